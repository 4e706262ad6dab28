/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The domain scheduler's round trip on the host HAL, printed as
 * `metric NAME VALUE UNIT`:
 *   budget_expiry_cycle_ns  a dispatched domain's budget ends at a syscall;
 *                           the kernel upcalls the scheduler (a fresh call on
 *                           its activation stack), which Dispatches the same
 *                           domain again, and the domain's syscall returns
 *   upcall_dispatch_ns      what the expiry adds to that syscall: the cycle
 *                           less the same syscall with no expiry (a capability
 *                           identify of the empty slot)
 *
 * Host-only, like bench_ipc.c: the root is the scheduler, with the least
 * policy there is (Dispatch the one worker again); the worker ends its own
 * budget by moving the HAL's deadline into the past just before a syscall,
 * which no real domain could do, so that the expiry lands exactly there.
 * On hardware the timer's interrupt takes the syscall's place. Each figure
 * is the median of BATCHES batch means. Build without sanitizers for
 * figures worth quoting (README: Benchmarks).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>

#include <libos/caps.h>
#include <libos/invocations.h>
#include <libos/libos.h>
#include <libos/sched.h>

#include "bench_root.h"
#include "bench_timing.h"
#include "child_domain.h"
#include "hal.h"
#include "host.h"

#define BATCHES 101
#define PER_BATCH 1000
#define BUDGET_NS 10000000000u /* never ends by itself within a batch */
#define STACK_FRAMES 4u

static vesper_cptr worker;
static volatile int finished;
static vesper_word upcalls;

/* The scheduler: run the worker again, or end the run once it is done. */
static _Noreturn void scheduler_entry(vesper_word block_and_reason)
{
    if (vesper_upcall_reason(block_and_reason) == VESPER_UPCALL_SCHEDULE)
        upcalls++;
    if (finished)
        vesper_exit(0);
    vesper_sched_control_dispatch(VESPER_ROOT_SLOT_SCHED_CONTROL, worker, BUDGET_NS);
    vesper_exit(1);
}

static void null_syscall(void)
{
    struct vesper_cap_info info;
    (void)vesper_cap_identify(VESPER_ROOT_SLOT_NULL, &info);
}

/* Median nanoseconds per syscall, with or without a budget expiry on each. */
static double time_syscalls(int expire)
{
    double samples[BATCHES];
    for (int b = -1; b < BATCHES; b++) {
        uint64_t start = now_ns();
        for (int i = 0; i < PER_BATCH; i++) {
            if (expire)
                hal_timer_set_deadline(0); /* host-only: see the top of the file */
            null_syscall();
        }
        if (b >= 0)
            samples[b] = (double)(now_ns() - start) / PER_BATCH;
    }
    return median(samples, BATCHES);
}

static void worker_entry(vesper_word arg)
{
    (void)arg;
    vesper_word before = upcalls;
    double plain = time_syscalls(0);
    double cycle = time_syscalls(1);
    vesper_word expected = (vesper_word)(BATCHES + 1) * PER_BATCH;
    if (upcalls - before != expected)
        printf("bench_sched: %lu upcalls, expected %lu\n", (unsigned long)(upcalls - before),
               (unsigned long)expected);
    else {
        printf("metric budget_expiry_cycle_ns %.1f ns\n", cycle);
        printf("metric upcall_dispatch_ns %.1f ns\n", cycle - plain);
    }
    fflush(stdout);
    finished = 1;
    vesper_yield(); /* the scheduler, upcalled, ends the run */
    vesper_exit(1);
}

static int bench_main(const struct vesper_bootinfo *info)
{
    struct carver c;
    struct child_domain child;
    if (!carver_init(&c, info) ||
        child_domain_make(&c, VESPER_ROOT_SLOT_NULL, false, &child) != VESPER_OK)
        return 1;
    struct vesper_control *block = carve_granted_frames(&c, VESPER_ROOT_SLOT_PDOM, 1);
    void *stack = carve_granted_frames(&c, VESPER_ROOT_SLOT_PDOM, STACK_FRAMES);
    if (block == NULL || stack == NULL)
        return 1;
    vesper_activation_setup(block, scheduler_entry, stack,
                            (vesper_word)STACK_FRAMES << VESPER_FRAME_4K_BITS, NULL);
    worker = child.domain;
    if (vesper_domain_set_control_block(VESPER_ROOT_SLOT_DOMAIN, (vesper_word)(uintptr_t)block) !=
            VESPER_OK ||
        vesper_sched_control_set_scheduler(VESPER_ROOT_SLOT_SCHED_CONTROL) != VESPER_OK ||
        child_domain_start(&child, worker_entry, 0) != VESPER_OK)
        return 1;
    vesper_sched_control_dispatch(VESPER_ROOT_SLOT_SCHED_CONTROL, worker, BUDGET_NS);
    return 1; /* not reached: the scheduler lives in upcalls from here */
}

static void root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, bench_main);
}

int main(void)
{
    static char console[8192];
    int status = bench_run_root(root_entry, console, sizeof console);
    if (status != 0)
        bench_report_failure("bench_sched", status, console);
    return status;
}

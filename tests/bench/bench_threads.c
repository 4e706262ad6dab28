/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A user-level thread switch made by the kernel's preemption, on the host
 * HAL, printed as `metric NAME VALUE UNIT`:
 *   thread_preempt_cycle_ns   one thread's slice ends at a syscall; the
 *                             kernel upcalls the domain with PREEMPTED; libos's
 *                             handler keeps the thread's context and Resumes
 *                             the other thread's kept one (libos/threads.c)
 *   thread_preempt_switch_ns  what the preemption adds to that syscall: the
 *                             cycle less the same syscall with no preemption
 *
 * Host-only, like bench_sched.c: the threads end their slice by moving the
 * HAL's deadline into the past just before a syscall, which no real domain
 * could do, so that the preemption lands exactly there; on hardware the
 * timer's interrupt takes the syscall's place. Two threads take turns, so
 * each of the measuring thread's steps is two switches and two syscalls.
 * Each figure is the median of BATCHES batch means. Build without
 * sanitizers for figures worth quoting (README: Benchmarks).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>

#include <libos/caps.h>
#include <libos/libos.h>
#include <libos/threads.h>

#include "bench_root.h"
#include "bench_timing.h"
#include "child_domain.h"
#include "hal.h"
#include "host.h"

#define BATCHES 101
#define PER_BATCH 1000
#define STACK_FRAMES 4u
#define STACK_SIZE ((size_t)STACK_FRAMES << VESPER_FRAME_4K_BITS)

static struct vesper_threads threads;
static volatile int preempting, finished;

static void null_syscall(void)
{
    struct vesper_cap_info info;
    (void)vesper_cap_identify(VESPER_ROOT_SLOT_NULL, &info);
}

static void step(void)
{
    if (preempting)
        hal_timer_set_deadline(0); /* host-only: see the top of the file */
    null_syscall();
}

/* Median nanoseconds per step of the measuring thread. */
static double time_steps(void)
{
    double samples[BATCHES];
    for (int b = -1; b < BATCHES; b++) {
        uint64_t start = now_ns();
        for (int i = 0; i < PER_BATCH; i++)
            step();
        if (b >= 0)
            samples[b] = (double)(now_ns() - start) / PER_BATCH;
    }
    return median(samples, BATCHES);
}

/* The other thread: a step at each of its turns, until the end. */
static void partner(struct vesper_threads *t, void *arg)
{
    (void)t, (void)arg;
    while (!finished)
        step();
}

static int bench_main(const struct vesper_bootinfo *info)
{
    static struct vesper_thread other;
    struct carver c;
    if (!carver_init(&c, info))
        return 1;
    void *block = carve_granted_frames(&c, VESPER_ROOT_SLOT_PDOM, 1);
    void *upcall_stack = carve_granted_frames(&c, VESPER_ROOT_SLOT_PDOM, STACK_FRAMES);
    void *stack = carve_granted_frames(&c, VESPER_ROOT_SLOT_PDOM, STACK_FRAMES);
    if (block == NULL || upcall_stack == NULL || stack == NULL)
        return 1;
    vesper_threads_init(&threads);
    if (vesper_threads_preemptive(&threads, VESPER_ROOT_SLOT_DOMAIN, 0, block, upcall_stack,
                                  STACK_SIZE, false) != VESPER_OK)
        return 1;
    vesper_thread_create(&threads, &other, stack, STACK_SIZE, partner, NULL);
    double plain = time_steps(); /* the partner has not run: no preemption yet */
    preempting = 1;
    unsigned long before = threads.preemptions;
    double cycle = time_steps() / 2; /* each step: this thread's, then the partner's */
    unsigned long switches = threads.preemptions - before;
    preempting = 0;
    finished = 1;
    vesper_thread_join(&threads, &other);
    unsigned long expected = 2ul * (BATCHES + 1) * PER_BATCH;
    if (switches + 1 < expected || switches > expected + 1) {
        printf("bench_threads: %lu switches by preemption, expected %lu\n", switches, expected);
        return 1;
    }
    printf("metric thread_preempt_cycle_ns %.1f ns\n", cycle);
    printf("metric thread_preempt_switch_ns %.1f ns\n", cycle - plain);
    fflush(stdout);
    return 0;
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
        bench_report_failure("bench_threads", status, console);
    return status;
}

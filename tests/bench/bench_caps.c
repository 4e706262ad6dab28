/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Benchmarks of the object model on the host HAL, printed as
 * `metric NAME VALUE UNIT`:
 *   cap_lookup_ns  resolving a CPtr through two CNode levels
 *   cnode_copy_ns  one CNode Copy invocation, through the syscall entry
 *   retype_ns      one Untyped Retype of a single Endpoint, likewise
 * Each figure is the median over many batches, each batch timed as a whole
 * with the monotonic clock. Build without sanitizers for meaningful
 * numbers (README: Benchmarks).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <vesper/bootinfo.h>
#include <vesper/message.h>
#include <vesper/object.h>

#include <libos/bootinfo.h>
#include <libos/invocations.h>

#include "cspace.h"
#include "root_invocation.h"
#include "host.h"
#include "kernel.h"
#include "state.h"
#include "bench_timing.h"

#define BATCHES 101
#define ROOT VESPER_ROOT_SLOT_CNODE

static void root_entry(vesper_word bootinfo)
{
    (void)bootinfo;
}

/* Invoke a capability of the root domain with a message of
 * libos/invocations.h; stop the benchmark on error. */
static void invoke(vesper_word cptr, struct vesper_invocation_msg msg)
{
    struct vesper_syscall_frame frame = root_invocation_frame(cptr, msg);
    host_syscall_as_current(&frame);
    while (kernel.root->context.restart) { /* stopped at a preemption point */
        kernel.root->context.restart = 0;
        host_syscall_as_current(&frame);
    }
    if (frame.arg[0] != VESPER_OK) {
        fprintf(stderr, "bench: invocation %lu failed with error %lu\n",
                (unsigned long)msg.label, (unsigned long)frame.arg[0]);
        exit(1);
    }
}

static const struct vesper_bootinfo *boot(void)
{
    if (host_machine_reset(HOST_MEMORY_DEFAULT, (uintptr_t)root_entry) != 0)
        exit(1);
    static char console[4096];
    host_console_capture(console, sizeof console);
    kernel_boot();
    return hal_kernel_view(kernel.root_bootinfo, sizeof(struct vesper_bootinfo));
}

static void retype(vesper_word untyped, vesper_word type, vesper_word bits, vesper_word slot,
                   vesper_word count)
{
    invoke(untyped, vesper_untyped_retype_msg(type, bits, ROOT, 0, 0, slot, count));
}

static void mint(vesper_word dest, vesper_word src, vesper_word data)
{
    invoke(ROOT, vesper_cnode_mint_msg(dest, 64, ROOT, src, 64, VESPER_RIGHTS_ALL, data));
}

/* Two levels: a copy of the root CNode with no guard (10 bits), whose slot
 * `level2` holds a radix-8 CNode with a 46-bit guard (54 bits). */
static void bench_lookup(const struct vesper_bootinfo *info)
{
    vesper_word untyped = info->untyped_first + vesper_largest_ram_untyped(info);
    vesper_word e = info->empty_first;
    retype(untyped, VESPER_OBJECT_CNODE, 8, e, 1);
    mint(e + 1, ROOT, vesper_cnode_guard(0, 0));
    mint(e + 2, e, vesper_cnode_guard(0, 46));
    struct cap root = cnode_slots(kernel.root->slots[DOMAIN_SLOT_CSPACE].cap)[e + 1].cap;
    uint64_t cptr = (uint64_t)(e + 2) << 54 | 5;
    enum { PER_BATCH = 100000 };
    double samples[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        uint64_t start = now_ns();
        uintptr_t sink = 0;
        for (int i = 0; i < PER_BATCH; i++)
            sink += (uintptr_t)cspace_lookup_slot(root, cptr + (uint64_t)(i & 1), 64).slot;
        samples[b] = (double)(now_ns() - start) / PER_BATCH;
        if (sink == 0)
            exit(1);
    }
    printf("metric cap_lookup_ns %.1f ns\n", median(samples, BATCHES));
}

/* Copies of an Endpoint capability into empty slots, a batch at a time;
 * the batch is revoked again untimed. (Not the root's PDom capability: its
 * descendants include the grants of the root's own frames, its IPC buffer
 * among them.) The Revoke is made again while a preemption point stops it
 * (docs/preemption.md). */
static void bench_copy(const struct vesper_bootinfo *info)
{
    enum { PER_BATCH = 500 };
    vesper_word untyped = info->untyped_first + vesper_largest_ram_untyped(info);
    vesper_word ep = info->empty_first, first = info->empty_first + 8;
    retype(untyped, VESPER_OBJECT_ENDPOINT, 0, ep, 1);
    double samples[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        uint64_t start = now_ns();
        for (vesper_word i = 0; i < PER_BATCH; i++)
            invoke(ROOT, vesper_cnode_copy_msg(first + i, 64, ROOT, ep, 64, VESPER_RIGHTS_ALL));
        samples[b] = (double)(now_ns() - start) / PER_BATCH;
        invoke(ROOT, vesper_cnode_revoke_msg(ep, 64));
    }
    printf("metric cnode_copy_ns %.1f ns\n", median(samples, BATCHES));
}

/* One Endpoint per Retype; the Untyped is revoked untimed between batches. */
static void bench_retype(const struct vesper_bootinfo *info)
{
    enum { PER_BATCH = 500 };
    vesper_word untyped = info->untyped_first + vesper_largest_ram_untyped(info);
    vesper_word first = info->empty_first + 8;
    double samples[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        uint64_t start = now_ns();
        for (vesper_word i = 0; i < PER_BATCH; i++)
            retype(untyped, VESPER_OBJECT_ENDPOINT, 0, first + i, 1);
        samples[b] = (double)(now_ns() - start) / PER_BATCH;
        invoke(ROOT, vesper_cnode_revoke_msg(untyped, 64));
    }
    printf("metric retype_ns %.1f ns\n", median(samples, BATCHES));
}

int main(void)
{
    bench_lookup(boot());
    bench_copy(boot());
    bench_retype(boot());
    return 0;
}

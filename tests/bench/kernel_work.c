/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Long kernel operations, for counting with callgrind how much work one
 * kernel entry does (kernel_work_count.py runs it; docs/preemption.md).
 *
 *   kernel_work CASE COUNT K [setup]
 *
 * It boots the kernel over the host HAL and drives it as the root, as
 * ipc_instructions does. CASE builds COUNT capabilities, then runs one
 * operation on them, as the root, making the call again while the kernel
 * asks (a preemption point stopped it), with the test hook stopping it at
 * every K-th point (0: never):
 *   revoke        COUNT copies of an Endpoint capability in CNodes of 2^12
 *                 slots, then Revoke of the original
 *   cnode-delete  COUNT copies in one CNode (COUNT a power of two, at most
 *                 2^16), then Delete of the CNode's only capability
 *   cnode-scan    a CNode of COUNT slots with one copy, in its last slot,
 *                 then Delete of the CNode: the scan of empty slots
 *   revoke-untyped  an Untyped of COUNT * 32 bytes made into COUNT Endpoints
 *                 (COUNT a power of two, 256 to 2^21: 64 MiB), then Revoke
 *                 of the Untyped
 *   retype-reset  COUNT frames of 2 MiB retyped from an Untyped and revoked,
 *                 then a Retype of one Endpoint from it, which zeroes what
 *                 the frames used first
 *   retype-unzeroed  a machine whose RAM was not zero at boot, then a
 *                 Retype of COUNT frames of 2 MiB, which zeroes the blocks
 *                 boot marked
 * With `setup` it stops before the operation, so that two runs differ by
 * the operation alone. It prints how many kernel entries the operation
 * took, and exits 1 on any surprise.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vesper/bootinfo.h>
#include <vesper/error.h>
#include <vesper/message.h>
#include <vesper/object.h>

#include <libos/bootinfo.h>
#include <libos/invocations.h>

#include "domain.h"
#include "hal.h"
#include "host.h"
#include "root_invocation.h"
#include "kernel.h"
#include "preempt.h"
#include "state.h"

#define ROOT VESPER_ROOT_SLOT_CNODE
#define LEAF_RADIX 12u
#define MAX_LEAVES 8u

static void unused_entry(vesper_word bootinfo)
{
    (void)bootinfo;
}

static _Noreturn void fail(const char *what, vesper_word error)
{
    fprintf(stderr, "kernel_work: %s: error %lu\n", what, (unsigned long)error);
    exit(1);
}

/* Invoke cap as the root with msg (words past the fourth in its IPC
 * buffer), making the call again while the kernel asks; the entries it
 * took in *entries, if given. */
static vesper_word invoke(vesper_word cap, struct vesper_invocation_msg msg, unsigned long *entries)
{
    struct vesper_syscall_frame frame = root_invocation_frame(cap, msg);
    unsigned long n = 1;
    host_syscall_as_current(&frame);
    while (kernel.root->context.restart) {
        kernel.root->context.restart = 0;
        host_syscall_as_current(&frame);
        n++;
    }
    if (entries != NULL)
        *entries = n;
    return frame.arg[0];
}

static void must(vesper_word error, const char *what)
{
    if (error != VESPER_OK)
        fail(what, error);
}

/* An Endpoint at slot, and COUNT copies of it in CNodes made from untyped
 * into the slots after it; with `last`, one copy only, in the last slot
 * of a CNode of COUNT slots. */
static void copies(vesper_word untyped, vesper_word slot, unsigned long count, unsigned radix,
                   bool last)
{
    unsigned long per = 1ul << radix, cnodes = (count + per - 1) / per;
    must(invoke(untyped, vesper_untyped_retype_msg(VESPER_OBJECT_ENDPOINT, 0, ROOT, 0, 0, slot, 1),
                NULL),
         "retype the Endpoint");
    must(invoke(untyped,
                vesper_untyped_retype_msg(VESPER_OBJECT_CNODE, radix, ROOT, 0, 0, slot + 1,
                                          cnodes),
                NULL),
         "retype the CNodes");
    for (unsigned long i = last ? count - 1 : 0; i < count; i++)
        must(invoke(slot + 1 + i / per,
                    vesper_cnode_copy_msg(i % per, radix, ROOT, slot, 64, VESPER_RIGHTS_ALL),
                    NULL),
             "copy");
}

/* Reset a machine of `memory` bytes, its console captured, and boot it;
 * the root's bootinfo, or NULL if the reset failed. */
static const struct vesper_bootinfo *boot_machine(size_t memory)
{
    static char console[4096];
    if (host_machine_reset(memory, (uintptr_t)unused_entry) != 0)
        return NULL;
    host_console_capture(console, sizeof console);
    kernel_boot();
    return hal_kernel_view(kernel.root_bootinfo, sizeof(struct vesper_bootinfo));
}

/* Run msg on cap with a stop at every k-th point (0: no slice ends, so one
 * entry) and print the entries it took. */
static void run_stepped(const char *work, unsigned long count, unsigned long k, vesper_word cap,
                        struct vesper_invocation_msg msg)
{
    preemption_test_every((uint32_t)k);
    if (k == 0)
        hal_timer_set_deadline(HAL_DEADLINE_NONE); /* no slice ends: one entry */
    unsigned long entries;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    must(invoke(cap, msg, &entries), work);
    clock_gettime(CLOCK_MONOTONIC, &end);
    long long ns = (long long)(end.tv_sec - start.tv_sec) * 1000000000LL +
                   (end.tv_nsec - start.tv_nsec);
    printf("%s of %lu, k %lu: %lu entries, %lld ns\n", work, count, k, entries, ns);
}

/* An Untyped of count * 32 bytes, made from the largest, retyped into
 * count Endpoints whose capabilities go to CNodes of 2^16 slots made from
 * the largest too; then the Revoke of that Untyped. A machine of 256 MiB. */
static int revoke_untyped_work(unsigned long count, unsigned long k, bool setup_only)
{
    unsigned bits = 0;
    while ((1ul << bits) < count)
        bits++;
    if ((1ul << bits) != count || count < 256 || bits > 21)
        return 2;
    const struct vesper_bootinfo *info = boot_machine((size_t)256 << 20);
    if (info == NULL)
        return 2;
    vesper_word parent = info->untyped_first + vesper_largest_ram_untyped(info);
    vesper_word pool = info->empty_first, cnodes = pool + 1;
    unsigned long per = 1ul << 16, ncnodes = (count + per - 1) / per;
    must(invoke(parent, vesper_untyped_retype_msg(VESPER_OBJECT_UNTYPED, bits + 5, ROOT, 0, 0,
                                                  pool, 1),
                NULL),
         "retype the Untyped");
    must(invoke(parent, vesper_untyped_retype_msg(VESPER_OBJECT_CNODE, 16, ROOT, 0, 0, cnodes,
                                                  ncnodes),
                NULL),
         "retype the CNodes");
    for (unsigned long i = 0; i < count; i += VESPER_RETYPE_FANOUT_MAX)
        must(invoke(pool,
                    vesper_untyped_retype_msg(VESPER_OBJECT_ENDPOINT, 0, ROOT, cnodes + i / per,
                                              64, i % per, VESPER_RETYPE_FANOUT_MAX),
                    NULL),
             "retype the Endpoints");
    if (setup_only) {
        printf("set up revoke-untyped of %lu\n", count);
        return 0;
    }
    run_stepped("revoke-untyped", count, k, ROOT, vesper_cnode_revoke_msg(pool, 64));
    return 0;
}

/* The two Retype cases, on a machine of 1 GiB (its largest Untyped is
 * 512 MiB, room for 256 frames of 2 MiB). */
static int retype_work(const char *work, unsigned long count, unsigned long k, bool setup_only)
{
    bool reset = strcmp(work, "retype-reset") == 0;
    if ((!reset && strcmp(work, "retype-unzeroed") != 0) || count == 0 ||
        count > VESPER_RETYPE_FANOUT_MAX)
        return 2;
    size_t memory = (size_t)1 << 30;
    if (!reset) { /* RAM left as the last machine wrote it: boot marks it */
        if (host_machine_reset(memory, (uintptr_t)unused_entry) != 0)
            return 2;
        memset(hal_kernel_view(HOST_USER_BASE, memory), 0xa5, memory);
        host_machine_scrub(false);
    }
    const struct vesper_bootinfo *info = boot_machine(memory);
    if (info == NULL)
        return 2;
    vesper_word untyped = info->untyped_first + vesper_largest_ram_untyped(info);
    vesper_word slot = info->empty_first;
    struct vesper_invocation_msg frames = vesper_untyped_retype_msg(
        VESPER_OBJECT_FRAME_2M, 0, ROOT, 0, 0, slot, count);
    if (reset) {
        must(invoke(untyped, frames, NULL), "retype the frames");
        for (unsigned long i = 0; i < count; i++) /* what their users wrote */
            memset(hal_kernel_view(info->untyped[untyped - info->untyped_first].base +
                                       (i << 21),
                                   (size_t)1 << 21),
                   0xa5, (size_t)1 << 21);
        must(invoke(ROOT, vesper_cnode_revoke_msg(untyped, 64), NULL), "revoke them");
    }
    if (setup_only) {
        printf("set up %s of %lu\n", work, count);
        return 0;
    }
    run_stepped(work, count, k, untyped,
                reset ? vesper_untyped_retype_msg(VESPER_OBJECT_ENDPOINT, 0, ROOT, 0, 0, slot, 1)
                      : frames);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5 || (argc == 5 && strcmp(argv[4], "setup") != 0)) {
        fprintf(stderr, "usage: kernel_work revoke|cnode-delete|cnode-scan|retype-reset|"
                        "retype-unzeroed COUNT K [setup]\n");
        return 2;
    }
    if (strcmp(argv[1], "revoke-untyped") == 0)
        return revoke_untyped_work(strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10),
                                   argc == 5);
    if (strncmp(argv[1], "retype-", 7) == 0)
        return retype_work(argv[1], strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10),
                           argc == 5);
    const char *work = argv[1];
    unsigned long count = strtoul(argv[2], NULL, 10);
    unsigned long k = strtoul(argv[3], NULL, 10);
    bool revoke = strcmp(work, "revoke") == 0;
    bool scan = strcmp(work, "cnode-scan") == 0;
    unsigned radix = LEAF_RADIX;
    if (!revoke) {
        radix = 0;
        while ((1ul << radix) < count)
            radix++;
    }
    if ((!revoke && !scan && strcmp(work, "cnode-delete") != 0) || count == 0 ||
        (revoke && count > MAX_LEAVES << LEAF_RADIX) || (!revoke && (1ul << radix) != count) ||
        radix > VESPER_CNODE_RADIX_MAX || radix < VESPER_CNODE_RADIX_MIN)
        return 2;
    const struct vesper_bootinfo *info = boot_machine((size_t)64 << 20);
    if (info == NULL)
        return 2;
    vesper_word untyped = info->untyped_first + vesper_largest_ram_untyped(info);
    vesper_word slot = info->empty_first;
    copies(untyped, slot, count, radix, scan);
    if (argc == 5) {
        printf("set up %s of %lu\n", work, count);
        return 0;
    }
    run_stepped(work, count, k, ROOT,
                revoke ? vesper_cnode_revoke_msg(slot, 64) : vesper_cnode_delete_msg(slot + 1, 64));
    return 0;
}

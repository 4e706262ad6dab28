/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * IPC benchmarks with real context switches on the host HAL, printed as
 * `metric NAME VALUE UNIT`:
 *   ipc_roundtrip_ns             one Call + ReplyRecv round trip between the
 *                                root domain and a server domain in the
 *                                root's PDom (fast path)
 *   ipc_roundtrip_cross_pdom_ns  the same with a server in a PDom of its own,
 *                                so that each round trip switches PDom twice
 *   pdom_switch_ns               what one PDom switch adds: half the
 *                                difference of the two round trips
 *   ipc_roundtrip_slowpath_ns    the same with the fast path turned off
 *   null_syscall_ns              one Yield with no other domain runnable
 *                                (the server is blocked on its endpoint), so
 *                                the kernel hands the CPU straight back
 *   notification_signal_wait_ns  Signal then Wait on one notification, both
 *                                from the root domain (no domain switch)
 *   ult_switch_ns                one switch between two user-level threads of
 *                                the root domain (libos/threads.c): a yield,
 *                                no kernel entry
 *   host_switch_floor_ns         four bare stack switches with the host HAL's
 *                                own switch routine, outside the kernel: the
 *                                least any host round trip can cost (a trap
 *                                and a return on each side), so that the
 *                                round trip's ratio to the floor can be read
 *
 * This is a host-only benchmark program, not a portable root domain: the
 * machine is reset and run by main() with a root entry of its own, and the
 * root domain, which runs in this same host process on its own stack,
 * reads the host's monotonic clock and prints with printf. It also writes
 * kernel.fastpath_disabled, which no real domain could reach, to time the
 * general path. Everything else goes through libos, as a domain would.
 *
 * The machine runs with the host's protection on (the mode vesper-sim uses
 * by default, HOST_PROTECTION_ON), so a PDom switch costs what it costs a
 * user of the simulator.
 *
 * Each figure is the median of BATCHES batch means; a batch is PER_BATCH
 * operations timed as a whole with CLOCK_MONOTONIC. The round trip is a
 * whole user-to-user exchange: libos stubs, the host trap trampoline (a
 * stack switch each way), the run loop and the kernel. Build without
 * sanitizers for meaningful numbers (README: Benchmarks).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <libos/bootinfo.h>
#include <libos/caps.h>
#include <libos/ipc.h>
#include <libos/libos.h>
#include <libos/threads.h>

#include "host.h"
#include "host_internal.h"
#include "state.h"
#include "bench_root.h"
#include "bench_timing.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BENCH_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(BENCH_ASAN)
#define BENCH_ASAN 1
#endif
#ifndef BENCH_ASAN
#define BENCH_ASAN 0
#endif

#define BATCHES 201
#define PER_BATCH 1000
#define ROOT VESPER_ROOT_SLOT_CNODE
#define DEPTH 64
#define SERVER_STACK_FRAMES 4u
#define SERVER_STACK_SIZE (SERVER_STACK_FRAMES << VESPER_FRAME_4K_BITS)

/* Where set-up puts the objects: slots from bootinfo's empty_first. */
enum {
    SLOT_ENDPOINT = 0,
    SLOT_REPLY = 1,
    SLOT_SERVER = 2,
    SLOT_NOTIFICATION = 3,
    SLOT_BADGED_NOTIFICATION = 4, /* badge 1, so that a signal sets a bit */
    SLOT_FRAMES = 5,              /* the server's IPC buffer, then its stack */
    /* The second server, in a PDom of its own. */
    SLOT_ENDPOINT2 = SLOT_FRAMES + 1 + SERVER_STACK_FRAMES,
    SLOT_REPLY2,
    SLOT_SERVER2,
    SLOT_PDOM2,
    SLOT_FRAMES2,
    SLOT_TABLES = SLOT_FRAMES2 + 1 + SERVER_STACK_FRAMES, /* PageTables from here */
};

/* Slots of the server (0 or 1) s at the first slot `first`. */
struct server_slots {
    vesper_cptr endpoint, reply, domain, pdom, frames;
};

static struct server_slots server_slots(vesper_cptr first, int which)
{
    if (which == 0)
        return (struct server_slots){first + SLOT_ENDPOINT, first + SLOT_REPLY, first + SLOT_SERVER,
                                     VESPER_ROOT_SLOT_PDOM, first + SLOT_FRAMES};
    return (struct server_slots){first + SLOT_ENDPOINT2, first + SLOT_REPLY2, first + SLOT_SERVER2,
                                 first + SLOT_PDOM2, first + SLOT_FRAMES2};
}

static vesper_cptr first_slot;
/* The server's last error; it stops on one, and the root's Call then never
 * returns: the kernel shuts down with "no domain can run". */
static enum vesper_error server_error;

/* The server: answer every Call with its word 0 plus one. Its argument
 * says which server it is. */
static void server_main(vesper_word which)
{
    struct server_slots slots = server_slots(first_slot, (int)which);
    vesper_cptr ep = slots.endpoint;
    vesper_cptr reply = slots.reply;
    struct vesper_message msg = {0};
    for (;;) {
        enum vesper_error error = vesper_ipc_reply_recv(ep, reply, &msg);
        if (error != VESPER_OK) {
            server_error = error;
            vesper_exit(1);
        }
        msg.tag = vesper_tag(0, 1, 0);
        msg.word[0] += 1;
    }
}

static int check(const char *step, enum vesper_error error)
{
    if (error != VESPER_OK)
        fprintf(stderr, "bench_ipc: %s failed: %s\n", step, vesper_error_name(error));
    return error != VESPER_OK;
}

static vesper_cptr untyped_slot, next_table;

/* A PageTable for a grant, from the Untyped into the next table slot. */
static enum vesper_error make_table(void *context, vesper_cptr *table)
{
    (void)context;
    enum vesper_error error = vesper_untyped_retype(untyped_slot, VESPER_OBJECT_PAGE_TABLE, 0,
                                                    ROOT, 0, 0, next_table, 1);
    if (error == VESPER_OK)
        *table = next_table++;
    return error;
}

/* Make server `which` (its buffer and stack in one Retype, so the frames
 * are contiguous), grant its frames to its PDom, configure it (it shares
 * the root's CSpace, so the CPtrs are the same) and start it. */
static int make_server(int which)
{
    struct server_slots s = server_slots(first_slot, which);
    static const enum vesper_object_type types[] = {VESPER_OBJECT_ENDPOINT, VESPER_OBJECT_REPLY,
                                                    VESPER_OBJECT_DOMAIN};
    const vesper_cptr slots[] = {s.endpoint, s.reply, s.domain};
    for (size_t i = 0; i < 3; i++)
        if (check("Retype", vesper_untyped_retype(untyped_slot, types[i], 0, ROOT, 0, 0,
                                                  slots[i], 1)))
            return 1;
    if ((which == 1 && check("Retype a PDom", vesper_untyped_retype(untyped_slot,
                                                                   VESPER_OBJECT_PDOM, 0, ROOT,
                                                                   0, 0, s.pdom, 1))) ||
        check("Retype frames", vesper_untyped_retype(untyped_slot, VESPER_OBJECT_FRAME_4K, 0,
                                                     ROOT, 0, 0, s.frames,
                                                     1 + SERVER_STACK_FRAMES)))
        return 1;
    for (vesper_word f = 0; f <= SERVER_STACK_FRAMES; f++)
        if (check("Grant", vesper_frame_grant_with_tables(
                               s.frames + f, s.pdom, VESPER_FRAME_READ | VESPER_FRAME_WRITE,
                               make_table, NULL)))
            return 1;
    struct vesper_frame_info buffer, stack;
    if (check("GetAddress", vesper_frame_get_address(s.frames, &buffer)) ||
        check("GetAddress", vesper_frame_get_address(s.frames + 1, &stack)) ||
        check("Configure",
              vesper_domain_configure(s.domain, ROOT, s.pdom, VESPER_ROOT_SLOT_NULL)) ||
        check("SetIPCBuffer", vesper_domain_set_ipc_buffer(s.domain, buffer.address, s.frames)) ||
        check("Start", vesper_domain_start(s.domain, (vesper_word)(uintptr_t)server_main,
                                           stack.address, SERVER_STACK_SIZE, (vesper_word)which)))
        return 1;
    vesper_yield(); /* the server runs until it blocks in its first ReplyRecv */
    return 0;
}

/* The objects: the servers and a badged notification. */
static int set_up(const struct vesper_bootinfo *info)
{
    untyped_slot = info->untyped_first + vesper_largest_ram_untyped(info);
    vesper_cptr s = first_slot = info->empty_first;
    next_table = s + SLOT_TABLES;
    if (check("Retype", vesper_untyped_retype(untyped_slot, VESPER_OBJECT_NOTIFICATION, 0, ROOT,
                                              0, 0, s + SLOT_NOTIFICATION, 1)) ||
        check("Mint a badged notification",
              vesper_cnode_mint(ROOT, s + SLOT_BADGED_NOTIFICATION, DEPTH, ROOT,
                                s + SLOT_NOTIFICATION, DEPTH, VESPER_RIGHTS_ALL, 1)))
        return 1;
    return make_server(0) || make_server(1);
}

/* Call + ReplyRecv round trips with server `which`; each answer is
 * checked. The median goes to *result. */
static int bench_roundtrip(const char *name, int which, double *result)
{
    vesper_cptr ep = server_slots(first_slot, which).endpoint;
    double samples[BATCHES];
    vesper_word next = 0;
    for (int b = -1; b < BATCHES; b++) { /* batch -1 warms up, untimed */
        uint64_t start = now_ns();
        for (int i = 0; i < PER_BATCH; i++) {
            struct vesper_message msg = {.tag = vesper_tag(0, 1, 0), .word = {next}};
            enum vesper_error error = vesper_ipc_call(ep, &msg);
            if (error != VESPER_OK || msg.word[0] != next + 1)
                return check("Call", error != VESPER_OK ? error : VESPER_ERR_INVALID_ARGUMENT);
            next = msg.word[0];
        }
        if (b >= 0)
            samples[b] = (double)(now_ns() - start) / PER_BATCH;
    }
    *result = median(samples, BATCHES);
    printf("metric %s %.1f ns\n", name, *result);
    return 0;
}

/* Yield: after a round trip the server waits on its endpoint, so the run
 * queue is empty and the root gets the CPU straight back. */
static int bench_null_syscall(void)
{
    double samples[BATCHES];
    for (int b = -1; b < BATCHES; b++) {
        uint64_t start = now_ns();
        for (int i = 0; i < PER_BATCH; i++)
            vesper_yield();
        if (b >= 0)
            samples[b] = (double)(now_ns() - start) / PER_BATCH;
    }
    printf("metric null_syscall_ns %.1f ns\n", median(samples, BATCHES));
    return 0;
}

/* Signal through the badged capability (ORs in bit 0), then Wait, which
 * finds the word non-zero, returns it and clears it: two syscalls, one
 * domain, no blocking. */
static int bench_notification(void)
{
    vesper_cptr badged = first_slot + SLOT_BADGED_NOTIFICATION;
    double samples[BATCHES];
    for (int b = -1; b < BATCHES; b++) {
        uint64_t start = now_ns();
        for (int i = 0; i < PER_BATCH; i++) {
            vesper_word word = 0;
            enum vesper_error error = vesper_signal(badged);
            if (error == VESPER_OK)
                error = vesper_wait(badged, &word);
            if (error != VESPER_OK || word != 1)
                return check("Signal and Wait",
                             error != VESPER_OK ? error : VESPER_ERR_INVALID_ARGUMENT);
        }
        if (b >= 0)
            samples[b] = (double)(now_ns() - start) / PER_BATCH;
    }
    printf("metric notification_signal_wait_ns %.1f ns\n", median(samples, BATCHES));
    return 0;
}

/* The other thread: it only ever yields back. */
static void yielding_thread(struct vesper_threads *threads, void *arg)
{
    (void)arg;
    for (;;)
        vesper_thread_yield(threads);
}

/* Yield to a second thread of the domain and back: two switches. */
static int bench_ult_switch(void)
{
    static struct vesper_threads threads;
    static struct vesper_thread other;
    static _Alignas(16) char stack[16384];
    vesper_threads_init(&threads);
    vesper_thread_create(&threads, &other, stack, sizeof stack, yielding_thread, NULL);
    double samples[BATCHES];
    for (int b = -1; b < BATCHES; b++) {
        uint64_t start = now_ns();
        for (int i = 0; i < PER_BATCH; i++)
            vesper_thread_yield(&threads);
        if (b >= 0)
            samples[b] = (double)(now_ns() - start) / (2 * PER_BATCH);
    }
    printf("metric ult_switch_ns %.1f ns\n", median(samples, BATCHES));
    return threads.switches != 2u * (BATCHES + 1) * PER_BATCH;
}

static int bench_main(const struct vesper_bootinfo *info)
{
    double same = 0, cross = 0, slow = 0;
    int failed = set_up(info) || bench_roundtrip("ipc_roundtrip_ns", 0, &same) ||
                 bench_roundtrip("ipc_roundtrip_cross_pdom_ns", 1, &cross) ||
                 bench_null_syscall() || bench_notification() || bench_ult_switch();
    if (!failed) {
        printf("metric pdom_switch_ns %.1f ns\n", (cross - same) / 2);
        kernel.fastpath_disabled = true; /* host-only: see the top of the file */
        failed = bench_roundtrip("ipc_roundtrip_slowpath_ns", 0, &slow);
        kernel.fastpath_disabled = false;
    }
    fflush(stdout);
    return failed;
}

/* ---- The floor: bare stack switches, no kernel --------------------------- */

static uint64_t floor_main_sp, floor_fiber_sp;

/* The other side of the switches: it only ever switches back. */
static void floor_fiber(vesper_word arg)
{
    (void)arg;
    for (;;)
        host_switch_stack(&floor_fiber_sp, floor_main_sp);
}

/* Each iteration switches to the fiber and back twice: four switches, as
 * many as a round trip makes (caller to kernel, kernel to server, and back). */
static void bench_switch_floor(void)
{
    static _Alignas(16) char stack[16384];
    host_start_domain(&floor_main_sp, (uint64_t)(uintptr_t)(stack + sizeof stack),
                      (uint64_t)(uintptr_t)floor_fiber, 0);
    double samples[BATCHES];
    for (int b = -1; b < BATCHES; b++) {
        uint64_t start = now_ns();
        for (int i = 0; i < PER_BATCH; i++) {
            host_switch_stack(&floor_main_sp, floor_fiber_sp);
            host_switch_stack(&floor_main_sp, floor_fiber_sp);
        }
        if (b >= 0)
            samples[b] = (double)(now_ns() - start) / PER_BATCH;
    }
    printf("metric host_switch_floor_ns %.1f ns\n", median(samples, BATCHES));
}

static void root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, bench_main);
}

int main(void)
{
    static char console[8192];
    int status = bench_run_root(root_entry, console, sizeof console);
    /* The floor's bare switches tell AddressSanitizer nothing, which it
     * reports as an error: measured only without it, as figures are. */
    if (status == 0 && !BENCH_ASAN)
        bench_switch_floor();
    if (status != 0) {
        fprintf(stderr, "bench_ipc: the kernel stopped with status %d", status);
        if (server_error != VESPER_OK)
            fprintf(stderr, " (the server got %s)", vesper_error_name(server_error));
        fprintf(stderr, "; its console said:\n%s", console);
    }
    return status;
}

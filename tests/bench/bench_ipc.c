/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * IPC benchmarks with real context switches on the host HAL, printed as
 * `metric NAME VALUE UNIT`:
 *   ipc_roundtrip_ns             one Call + ReplyRecv round trip between the
 *                                root domain and a server domain (fast path)
 *   ipc_roundtrip_slowpath_ns    the same with the fast path turned off
 *   null_syscall_ns              one Yield with no other domain runnable
 *                                (the server is blocked on its endpoint), so
 *                                the kernel hands the CPU straight back
 *   notification_signal_wait_ns  Signal then Wait on one notification, both
 *                                from the root domain (no domain switch)
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

#include "host.h"
#include "host_internal.h"
#include "state.h"
#include "bench_timing.h"

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
};

static vesper_cptr first_slot;
/* The server's last error; it stops on one, and the root's Call then never
 * returns: the kernel shuts down with "no domain can run". */
static enum vesper_error server_error;

/* The server: answer every Call with its word 0 plus one. */
static void server_main(vesper_word slots)
{
    vesper_cptr ep = slots + SLOT_ENDPOINT;
    vesper_cptr reply = slots + SLOT_REPLY;
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

/* Retype the objects, configure the server (it shares the root's CSpace,
 * so the CPtrs are the same), start it and let it block in ReplyRecv. */
static int set_up(const struct vesper_bootinfo *info)
{
    vesper_cptr untyped = info->untyped_first + vesper_largest_ram_untyped(info);
    vesper_cptr s = first_slot = info->empty_first;
    static const struct {
        enum vesper_object_type type;
        vesper_word slot, count;
    } objects[] = {
        {VESPER_OBJECT_ENDPOINT, SLOT_ENDPOINT, 1},
        {VESPER_OBJECT_REPLY, SLOT_REPLY, 1},
        {VESPER_OBJECT_DOMAIN, SLOT_SERVER, 1},
        {VESPER_OBJECT_NOTIFICATION, SLOT_NOTIFICATION, 1},
        /* one Retype, so the frames are contiguous */
        {VESPER_OBJECT_FRAME_4K, SLOT_FRAMES, 1 + SERVER_STACK_FRAMES},
    };
    for (size_t i = 0; i < sizeof objects / sizeof objects[0]; i++)
        if (check("Retype", vesper_untyped_retype(untyped, objects[i].type, 0, ROOT, 0, 0,
                                                  s + objects[i].slot, objects[i].count)))
            return 1;
    struct vesper_frame_info buffer, stack;
    if (check("Mint a badged notification",
              vesper_cnode_mint(ROOT, s + SLOT_BADGED_NOTIFICATION, DEPTH, ROOT,
                                s + SLOT_NOTIFICATION, DEPTH, VESPER_RIGHTS_ALL, 1)) ||
        check("GetAddress", vesper_frame_get_address(s + SLOT_FRAMES, &buffer)) ||
        check("GetAddress", vesper_frame_get_address(s + SLOT_FRAMES + 1, &stack)) ||
        check("Configure", vesper_domain_configure(s + SLOT_SERVER, ROOT, VESPER_ROOT_SLOT_PDOM,
                                                   VESPER_ROOT_SLOT_NULL)) ||
        check("SetIPCBuffer", vesper_domain_set_ipc_buffer(s + SLOT_SERVER, buffer.address,
                                                           s + SLOT_FRAMES)) ||
        check("Start", vesper_domain_start(s + SLOT_SERVER, (vesper_word)(uintptr_t)server_main,
                                           stack.address, SERVER_STACK_SIZE, s)))
        return 1;
    vesper_yield(); /* the server runs until it blocks in its first ReplyRecv */
    return 0;
}

/* Call + ReplyRecv round trips; each answer is checked. */
static int bench_roundtrip(const char *name)
{
    vesper_cptr ep = first_slot + SLOT_ENDPOINT;
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
    printf("metric %s %.1f ns\n", name, median(samples, BATCHES));
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

static int bench_main(const struct vesper_bootinfo *info)
{
    int failed = set_up(info) || bench_roundtrip("ipc_roundtrip_ns") || bench_null_syscall() ||
                 bench_notification();
    if (!failed) {
        kernel.fastpath_disabled = true; /* host-only: see the top of the file */
        failed = bench_roundtrip("ipc_roundtrip_slowpath_ns");
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
    if (host_machine_reset(HOST_MEMORY_DEFAULT, (uintptr_t)root_entry) != 0)
        return 1;
    host_console_capture(console, sizeof console);
    int status = host_run();
    if (status == 0)
        bench_switch_floor();
    if (status != 0) {
        fprintf(stderr, "bench_ipc: the kernel stopped with status %d", status);
        if (server_error != VESPER_OK)
            fprintf(stderr, " (the server got %s)", vesper_error_name(server_error));
        fprintf(stderr, "; its console said:\n%s", console);
    }
    return status;
}

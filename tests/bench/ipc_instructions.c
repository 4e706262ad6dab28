/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A fixed workload for counting the kernel's instructions per IPC round
 * trip with callgrind (callgrind_count.py runs it).
 *
 *   ipc_instructions ROUNDS [slow | yield]
 *
 * It boots the kernel over the host HAL and drives it directly, as the
 * unit tests do: no domain code runs, each syscall is made with
 * host_syscall_as_current() as whichever domain the kernel has made
 * current. The root domain makes an Endpoint, a Reply object and a server
 * Domain, starts the server and yields to it; the server's first ReplyRecv
 * blocks it on the endpoint. Then come ROUNDS round trips: a Call from the
 * root (message length 1, no capabilities) and the server's ReplyRecv
 * answering it, both eligible for the fast path. With `slow` the fast path
 * is turned off (kernel.fastpath_disabled) and both go the general way.
 * With `yield` the ROUNDS are Yields by the root instead, with the server
 * blocked, so that the kernel hands the CPU straight back: a null syscall.
 *
 * Every answer is checked and the program exits 1 on any surprise, so the
 * count is of exchanges that really happened. The set-up costs the same
 * for any ROUNDS: the difference between two runs is the round trips'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vesper/bootinfo.h>
#include <vesper/error.h>
#include <vesper/message.h>
#include <vesper/object.h>

#include <libos/bootinfo.h>
#include <libos/invocations.h>

#include "cspace.h"
#include "host.h"
#include "root_invocation.h"
#include "kernel.h"
#include "objects.h"
#include "state.h"

#define ROOT VESPER_ROOT_SLOT_CNODE
#define STACK_FRAMES 4u

static void unused_entry(vesper_word bootinfo)
{
    (void)bootinfo;
}

static _Noreturn void fail(const char *what, vesper_word error)
{
    fprintf(stderr, "ipc_instructions: %s: error %lu\n", what, (unsigned long)error);
    exit(1);
}

/* One syscall as the current domain; returns the current domain's results
 * (read from its context, since host_syscall_as_current hands back the
 * caller's, which is blocked after a Call). */
static struct vesper_syscall_frame syscall_as_current(vesper_word number, vesper_word cap,
                                                      vesper_word tag, vesper_word word0,
                                                      vesper_word reply)
{
    struct vesper_syscall_frame frame = {.number = number};
    frame.arg[0] = cap;
    frame.arg[1] = tag;
    frame.arg[2] = word0;
    frame.arg[6] = reply;
    if (host_syscall_as_current(&frame) == NULL)
        fail("the kernel stopped", 0);
    return frame;
}

/* Invoke an object as the root with a message of libos/invocations.h
 * (words past the fourth in its IPC buffer). */
static struct vesper_syscall_frame invoke(vesper_word cap, struct vesper_invocation_msg msg)
{
    struct vesper_syscall_frame frame = root_invocation_frame(cap, msg);
    host_syscall_as_current(&frame);
    if (frame.arg[0] != VESPER_OK)
        fail("an invocation during set-up failed", frame.arg[0]);
    return frame;
}

static void retype(vesper_word untyped, vesper_word type, vesper_word slot, vesper_word count)
{
    invoke(untyped, vesper_untyped_retype_msg(type, 0, ROOT, 0, 0, slot, count));
}

/* Endpoint, Reply and server made, the server started and blocked in its
 * first ReplyRecv; the root is current again. */
static void set_up(vesper_word *ep, vesper_word *reply, struct domain **server)
{
    const struct vesper_bootinfo *info =
        hal_kernel_view(kernel.root_bootinfo, sizeof(struct vesper_bootinfo));
    vesper_word untyped = info->untyped_first + vesper_largest_ram_untyped(info);
    vesper_word s = info->empty_first;
    *ep = s;
    *reply = s + 1;
    retype(untyped, VESPER_OBJECT_ENDPOINT, s, 1);
    retype(untyped, VESPER_OBJECT_REPLY, s + 1, 1);
    retype(untyped, VESPER_OBJECT_DOMAIN, s + 2, 1);
    retype(untyped, VESPER_OBJECT_FRAME_4K, s + 3, STACK_FRAMES);
    invoke(s + 2, vesper_domain_configure_msg(ROOT, VESPER_ROOT_SLOT_PDOM, VESPER_ROOT_SLOT_NULL));
    struct vesper_syscall_frame frame = invoke(s + 3, vesper_frame_get_address_msg());
    vesper_word address = vesper_frame_get_address_result(&frame.arg[2]).address;
    invoke(s + 2, vesper_domain_start_msg((vesper_word)(uintptr_t)unused_entry, address,
                                          STACK_FRAMES << VESPER_FRAME_4K_BITS, 0));
    struct cte *slots = cnode_slots(kernel.root->slots[DOMAIN_SLOT_CSPACE].cap);
    *server = object_of(slots[s + 2].cap);
    syscall_as_current(VESPER_SYS_YIELD, 0, 0, 0, 0);
    if (kernel.current != *server)
        fail("the server did not get the CPU", 0);
    syscall_as_current(VESPER_SYS_REPLY_RECV, *ep, 0, 0, *reply);
    if (kernel.current != kernel.root || (*server)->state != DOMAIN_BLOCKED_RECV)
        fail("the server did not block in ReplyRecv", 0);
}

/* Call + ReplyRecv round trips, each answer checked. */
static void round_trips(long rounds, vesper_word ep, vesper_word reply, struct domain *server)
{
    vesper_word tag = vesper_tag(0, 1, 0);
    for (long i = 0; i < rounds; i++) {
        syscall_as_current(VESPER_SYS_CALL, ep, tag, (vesper_word)i, 0);
        const struct vesper_syscall_frame *got = &server->context.frame;
        if (kernel.current != server || got->arg[0] != VESPER_OK || got->arg[2] != (vesper_word)i)
            fail("the Call did not reach the server", got->arg[0]);
        syscall_as_current(VESPER_SYS_REPLY_RECV, ep, tag, got->arg[2] + 1, reply);
        got = &kernel.root->context.frame;
        if (kernel.current != kernel.root || got->arg[0] != VESPER_OK ||
            got->arg[2] != (vesper_word)i + 1)
            fail("the reply did not reach the root", got->arg[0]);
    }
}

static void yields(long rounds)
{
    for (long i = 0; i < rounds; i++) {
        struct vesper_syscall_frame got = syscall_as_current(VESPER_SYS_YIELD, 0, 0, 0, 0);
        if (kernel.current != kernel.root || got.arg[0] != VESPER_OK)
            fail("Yield did not come straight back", got.arg[0]);
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc == 3 ? argv[2] : "fast";
    if (argc < 2 || argc > 3 || (argc == 3 && strcmp(mode, "slow") != 0 &&
                                 strcmp(mode, "yield") != 0)) {
        fprintf(stderr, "usage: ipc_instructions ROUNDS [slow | yield]\n");
        return 2;
    }
    long rounds = strtol(argv[1], NULL, 10);
    static char console[4096];
    if (rounds < 0 || host_machine_reset(HOST_MEMORY_DEFAULT, (uintptr_t)unused_entry) != 0)
        return 2;
    host_console_capture(console, sizeof console);
    kernel_boot();
    vesper_word ep, reply;
    struct domain *server;
    set_up(&ep, &reply, &server);
    kernel.fastpath_disabled = strcmp(mode, "slow") == 0;
    if (strcmp(mode, "yield") == 0)
        yields(rounds);
    else
        round_trips(rounds, ep, reply, server);
    printf("%ld %s, mode %s\n", rounds, strcmp(mode, "yield") == 0 ? "yields" : "round trips",
           mode);
    return 0;
}

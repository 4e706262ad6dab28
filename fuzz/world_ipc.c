/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The fuzzers' IPC operations (see world.h): every IPC syscall with
 * arbitrary tags (up to 127 words, past the 120 a message may hold),
 * words, badges and capability transfers; replies to faults that resume
 * the domain at a new pc or stop it; unknown syscalls, which are faults;
 * IPC buffer contents; and copies of Endpoints and Notifications with
 * fewer rights, so that every right check is reached.
 */
#include <vesper/message.h>
#include <vesper/object.h>

#include "kernel.h"
#include "state.h"
#include "world.h"

#define ROOT WORLD_ROOT

/* A number that names no syscall (9 is Resume, 16 Exit): a fault,
 * delivered to the fault endpoint that two of the domains have. */
#define UNKNOWN_SYSCALL 10

/* A message length: short (the fast path's), up to the buffer's 120
 * words, or past them. */
static unsigned message_length(struct world *w)
{
    uint8_t b = fuzz_byte(&w->in);
    if (b < 160)
        return b % 5;
    if (b < 240)
        return 5 + b % (VESPER_MSG_MAX - 4);
    return VESPER_MSG_MAX + 1 + b % 7;
}

/* Make an IPC syscall on the capability cptr: the tag, two message words
 * (the rest of a long message is what the IPC buffer holds) and the Reply
 * object's CPtr (word 6). */
static void ipc_syscall(struct world *w, vesper_word number, vesper_word cptr)
{
    uint8_t b = fuzz_byte(&w->in);
    vesper_word label = b < 160 ? 0 : b % 4;
    unsigned length = message_length(w);
    uint8_t word = fuzz_byte(&w->in);
    unsigned caps = fuzz_byte(&w->in) % 4;
    vesper_word args[VESPER_SYSCALL_ARGS] = {cptr, vesper_tag(label, length, caps), word};
    args[3] = word < 240 ? word : fuzz_u64(&w->in);
    args[6] = world_pick(w, CAP_REPLY);
    if (fuzz_byte(&w->in) >= 224)
        args[6] = world_any_cap(w);
    world_syscall(number, args);
}

/* The IPC syscalls an operation byte chooses among, each with the type of
 * capability it names; CAP_NULL stands for an Endpoint or, one time in
 * four, a Notification. Signal is a Send on a Notification. */
static const struct {
    vesper_word number;
    enum cap_type object;
} ipc_syscalls[] = {
    {VESPER_SYS_CALL, CAP_NULL}, {VESPER_SYS_CALL, CAP_NULL},
    {VESPER_SYS_REPLY_RECV, CAP_NULL}, {VESPER_SYS_REPLY_RECV, CAP_NULL},
    {VESPER_SYS_SEND, CAP_NULL}, {VESPER_SYS_NB_SEND, CAP_NULL},
    {VESPER_SYS_SEND, CAP_NOTIFICATION}, {VESPER_SYS_RECV, CAP_NULL},
    {VESPER_SYS_RECV, CAP_NULL}, {VESPER_SYS_NB_RECV, CAP_NULL},
    {VESPER_SYS_REPLY, CAP_REPLY},
};
#define IPC_SYSCALL_COUNT (sizeof ipc_syscalls / sizeof ipc_syscalls[0])

/* A CPtr for an ipc_syscalls entry's capability. */
static vesper_word ipc_object(struct world *w, enum cap_type type)
{
    if (type == CAP_NULL)
        type = fuzz_byte(&w->in) < 64 ? CAP_NOTIFICATION : CAP_ENDPOINT;
    return world_pick(w, type);
}

static void op_yield(struct world *w)
{
    vesper_word args[VESPER_SYSCALL_ARGS] = {0};
    (void)w;
    world_syscall(VESPER_SYS_YIELD, args);
}

static void op_unknown_syscall(struct world *w)
{
    ipc_syscall(w, UNKNOWN_SYSCALL, fuzz_byte(&w->in));
}

/* A reply to a fault: label 0 and a new pc word resume the faulted
 * domain there; any other label stops it. */
static void op_fault_reply(struct world *w)
{
    uint8_t b = fuzz_byte(&w->in);
    vesper_word args[VESPER_SYSCALL_ARGS] = {world_pick(w, CAP_REPLY),
                                             vesper_tag(b < 192 ? 0 : b % 4 + 1, b % 3, 0)};
    args[2] = world_address(w); /* the pc to resume at */
    args[3] = fuzz_byte(&w->in);
    if (b & 1) {
        args[6] = args[0];
        args[0] = world_pick(w, CAP_ENDPOINT);
        world_syscall(VESPER_SYS_REPLY_RECV, args);
    } else {
        world_syscall(VESPER_SYS_REPLY, args);
    }
}

/* Fill the current domain's IPC buffer: capabilities to send (mostly
 * Endpoints, which unwrap when sent over themselves), a receive slot and
 * one message word. */
static void op_fill_buffer(struct world *w)
{
    struct vesper_ipc_buffer *buffer = domain_ipc_buffer(kernel.current);
    if (buffer == NULL)
        return;
    for (int i = 0; i < 3; i++)
        buffer->caps_or_badges[i] =
            fuzz_byte(&w->in) < 128 ? world_pick(w, CAP_ENDPOINT) : world_any_cap(w);
    uint8_t b = fuzz_byte(&w->in);
    buffer->receive_cnode = b < 224 ? ROOT : world_any_cap(w);
    buffer->receive_index = world_pick(w, CAP_NULL);
    buffer->receive_depth = b >= 240 ? 65u + b % 4u : world_depth(w);
    unsigned word = VESPER_MSG_REGISTERS + fuzz_byte(&w->in) % 8;
    buffer->msg[word] = fuzz_u64(&w->in);
    const uint64_t written[VESPER_SYSCALL_ARGS] = {
        buffer->caps_or_badges[0], buffer->caps_or_badges[1], buffer->caps_or_badges[2],
        buffer->receive_cnode,     buffer->receive_index,     buffer->receive_depth,
        buffer->msg[word]};
    fuzz_note(FUZZ_EVENT_BUFFER, word, written);
}

/* Mint(dest, 64, root, src, 64, rights, badge) of an Endpoint or a
 * Notification: copies without write, read or grant, badged or not. */
static void op_mint_ipc(struct world *w)
{
    vesper_word dest = world_pick(w, CAP_NULL);
    vesper_word src = ipc_object(w, CAP_NULL);
    vesper_word rights = fuzz_byte(&w->in) & VESPER_RIGHTS_ALL;
    vesper_word badge = fuzz_byte(&w->in) % 4; /* 0 leaves it unbadged */
    world_invoke(w, ROOT, vesper_cnode_mint_msg(dest, 64, ROOT, src, 64, rights, badge), NULL);
}

/* The operations that are not one of ipc_syscalls, after them. */
static world_op *const other_ops[] = {
    op_yield, op_unknown_syscall, op_fault_reply, op_fill_buffer, op_fill_buffer, op_mint_ipc,
};

void world_ipc_op(struct world *w, uint8_t op)
{
    unsigned i = op % (IPC_SYSCALL_COUNT + sizeof other_ops / sizeof other_ops[0]);
    if (i < IPC_SYSCALL_COUNT)
        ipc_syscall(w, ipc_syscalls[i].number, ipc_object(w, ipc_syscalls[i].object));
    else
        other_ops[i - IPC_SYSCALL_COUNT](w);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The fuzzers' world: a freshly booted kernel with a few domains already
 * started, all sharing the root CNode as their CSpace, and a decoder that
 * turns input bytes into operations made by one domain or another:
 * capability invocations, IPC syscalls, exits, exceptions. Capabilities are
 * typed resources (as syzkaller treats them): an operation that needs, say,
 * an Endpoint mostly picks a slot that holds one, so short inputs reach
 * deep states; sometimes it picks any slot or a raw address, so the error
 * paths are reached too.
 *
 * world.c holds the world and the helpers every operation uses;
 * world_caps.c the capability operations; world_domains.c those on
 * domains, interrupt handlers and frames, exits and exceptions;
 * world_irq.c devices raising lines, the interrupt entries and Ack;
 * world_sched.c activations and the domain scheduler; world_ipc.c the IPC
 * syscalls. Every kernel entry goes through fuzz_syscall(),
 * fuzz_exception(), fuzz_timer(), fuzz_irq() or fuzz_no_wakeup()
 * (fuzz_harness.h), so a trace shows exactly what ran.
 *
 * When the kernel idles (every domain waits, a line is armed), only
 * operations that need no current domain go on: interrupts and the
 * timer, which may wake one. The others are skipped.
 */
#ifndef VESPER_FUZZ_WORLD_H
#define VESPER_FUZZ_WORLD_H

#include <stdbool.h>

#include <vesper/bootinfo.h>
#include <vesper/types.h>

#include <libos/invocations.h>

#include "cap.h"
#include "fuzz_harness.h"

struct domain;

enum fuzz_op_set {
    FUZZ_CAPS = 1, /* capability, domain and interrupt operations */
    FUZZ_IPC = 2,  /* IPC syscalls and faults, with the operations that change IPC state */
};

/* Run one input: boot, set up the world, then decode and perform
 * operations until the input or the kernel ends, checking the kernel's
 * invariants after each. */
void fuzz_world_run(const uint8_t *data, size_t size, enum fuzz_op_set ops);

/* ---- For the operation files ----------------------------------------- */

#define WORLD_ROOT VESPER_ROOT_SLOT_CNODE
/* The slots the fuzzers use: the first quarter of the root CNode, which
 * holds every boot capability; fewer slots to survey per operation. */
#define WORLD_SLOTS (1u << (VESPER_ROOT_CNODE_RADIX - 2))

/* Which root slots hold which type, rebuilt before each operation. */
struct inventory {
    uint16_t slot[CAP_TYPE_COUNT][WORLD_SLOTS];
    unsigned count[CAP_TYPE_COUNT];
    uint16_t empty[WORLD_SLOTS];
    unsigned empties;
};

struct world {
    struct fuzz_input in;
    struct inventory inv;
    const struct vesper_bootinfo *info;
    /* The root CNode's slots, kept from boot: an input may delete every
     * capability to it, and its memory still tells what it held. */
    struct cte *slots;
    /* The root slot of the Untyped the set-up made its objects from. */
    vesper_word untyped;
    /* Whether the last world_invoke() sent its message as it was built,
     * neither cut short nor relabelled: only then may an operation judge
     * the kernel's answer by what that message asked. */
    bool as_built;
    /* The interrupt lines the world's devices assert, one bit a line
     * (lines past HOST_IRQ_LINES included: the controller ignores them). */
    uint32_t asserted;
};

/* A CPtr for an argument that wants `type` (CAP_NULL: an empty slot):
 * usually a root slot that holds one, sometimes any slot, rarely a raw
 * word. */
vesper_word world_pick(struct world *w, enum cap_type type);
/* A CPtr to a slot of some useful type. */
vesper_word world_any_cap(struct world *w);
/* A depth: mostly the root's full 64 bits, sometimes one that is too
 * short, too long or out of range. */
vesper_word world_depth(struct world *w);
/* The capability in root slot `cptr` (null for anything else). */
struct cap world_cap_at(const struct world *w, vesper_word cptr);
/* An address in RAM (16-byte aligned) or, rarely, any word. */
vesper_word world_address(struct world *w);
/* A stack (base, size), as Start and an activation take one: in a frame,
 * over a live object, in a region bootinfo lists, misaligned, tiny, huge
 * or anything (world_domains.c). */
void world_stack(struct world *w, vesper_word *base, vesper_word *size);
/* Whether the last world_invoke() by caller sent its message as built to
 * a capability of this type in root slot cptr, looked up in the root
 * CNode: then the kernel's answer can be checked against the message. */
bool world_invoked(const struct world *w, const struct domain *caller, vesper_word cptr,
                   enum cap_type type);

/* Make a syscall as the current domain; results come back in args. */
void world_syscall(vesper_word number, vesper_word args[VESPER_SYSCALL_ARGS]);
/* Invoke a capability as the current domain with msg, made by a builder
 * of libos/invocations.h (words past four go through its IPC buffer, when
 * it has one). One input byte may cut the message short or change the
 * label, so that every decoder's length and label checks are reached.
 * Returns the error; the result words are in results when it is not NULL. */
vesper_word world_invoke(struct world *w, vesper_word cptr, struct vesper_invocation_msg msg,
                         vesper_word results[VESPER_SYSCALL_ARGS]);

typedef void world_op(struct world *w);

/* Perform the operation that the operation byte op picks among those of
 * world_caps.c, world_domains.c, world_sched.c or world_ipc.c. */
void world_cap_op(struct world *w, uint8_t op);
void world_domain_op(struct world *w, uint8_t op);
void world_sched_op(struct world *w, uint8_t op);
void world_ipc_op(struct world *w, uint8_t op);
void world_irq_op(struct world *w, uint8_t op);

/* The same for an idle kernel: perform the domain operation op picks only
 * if it needs no current domain (an interrupt or the timer). Returns
 * whether it did. */
bool world_domain_op_idle(struct world *w, uint8_t op);

/* What the host's run loop does after every kernel entry: the interrupt
 * entry for each line a device asserts that the kernel has not masked,
 * lowest first, until none is left (world_irq.c). */
void world_deliver_interrupts(struct world *w);
/* A line is unmasked exactly while it is claimed, bound and not pending:
 * fail if one is not so. */
void world_check_lines(void);

#endif

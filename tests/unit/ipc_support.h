/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Support for the IPC unit tests (test_ipc.c, test_notification.c,
 * test_fault.c, test_fastpath.c): domains that share the root CNode (so a
 * CPtr means the same to all of them), started without running any code,
 * and syscalls made as whichever domain the kernel has made current.
 *
 * No code ever runs in these domains. A syscall is issued "as" a domain:
 * syscall_as() first checks that the kernel really made that domain current,
 * then enters the kernel as the HAL would, then checks the kernel's
 * invariants. A domain that blocks keeps its syscall words in its saved
 * context; when a partner ends its syscall, results_of() reads them there.
 *
 * Everything here is static inline so that each test executable takes only
 * what it uses.
 */
#ifndef VESPER_TESTS_IPC_SUPPORT_H
#define VESPER_TESTS_IPC_SUPPORT_H

#include <stdbool.h>
#include <string.h>

#include <vesper/message.h>

#include "cdt.h"
#include "objects.h"
#include "objects_support.h"
#include "state.h"

#define NO_CAP VESPER_ROOT_SLOT_NULL        /* a CPtr to a slot that is always empty */
#define UNREACHABLE ((vesper_word)1 << 40) /* a CPtr the root CNode's guard refuses */
#define RW (VESPER_RIGHT_READ | VESPER_RIGHT_WRITE)
#define DOMAIN_ENTRY ((vesper_word)0x400000) /* never run: any address will do */
#define STACK_SIZE ((vesper_word)4096)

/* All the result words of a syscall, as a test expects them; words left
 * out of an initializer are zero. */
typedef vesper_word result_words[VESPER_SYSCALL_ARGS];

/* The words of an IPC syscall: word 0 the CPtr, word 1 the tag, words 2-5
 * message words 0-3, word 6 the Reply object's CPtr. */
struct ipc_args {
    vesper_word cptr;
    vesper_word tag;
    vesper_word msg[VESPER_MSG_REGISTERS];
    vesper_word reply;
};

static inline struct domain *root_domain(void)
{
    return kernel.root;
}

static inline struct domain *domain_at(vesper_word slot)
{
    assert_int_equal(cap_type(slot_cap(slot)), CAP_DOMAIN);
    return object_bytes(slot_cap(slot));
}

static inline struct endpoint *endpoint_at(vesper_word slot)
{
    assert_int_equal(cap_type(slot_cap(slot)), CAP_ENDPOINT);
    return object_bytes(slot_cap(slot));
}

static inline struct notification *notification_at(vesper_word slot)
{
    assert_int_equal(cap_type(slot_cap(slot)), CAP_NOTIFICATION);
    return object_bytes(slot_cap(slot));
}

static inline struct reply *reply_at(vesper_word slot)
{
    assert_int_equal(cap_type(slot_cap(slot)), CAP_REPLY);
    return object_bytes(slot_cap(slot));
}

/* Setting up goes through test_invoke, which calls as the current domain
 * and uses the root's IPC buffer: only the root may do it. */
static inline void assert_root_current(void)
{
    assert_ptr_equal(kernel.current, kernel.root);
}

/* A copy of the capability in root slot src with `rights` and `badge`. */
static inline vesper_word mint_cap(vesper_word src, vesper_word rights, vesper_word badge)
{
    assert_root_current();
    vesper_word slot = next_empty_slot();
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_mint, slot, 64, ROOT_CNODE, src, 64,
                               rights, badge),
                     VESPER_OK);
    assert_int_equal(cap_badge(slot_cap(slot)), badge);
    return slot;
}

/* A new Domain whose CSpace is the root CNode and whose fault endpoint is
 * the one at fault_ep (NO_CAP: none). Not started. Returns its slot. */
static inline vesper_word make_domain(vesper_word fault_ep)
{
    assert_root_current();
    vesper_word slot = make_object(VESPER_OBJECT_DOMAIN, 0);
    assert_int_equal(TEST_CALL(slot, domain_configure, ROOT_CNODE, VESPER_ROOT_SLOT_PDOM,
                               fault_ep),
                     VESPER_OK);
    return slot;
}

/* Give the domain at slot an IPC buffer at the start of a new frame,
 * granted to the root's PDom, which the domains of these tests share. */
static inline struct vesper_ipc_buffer *give_ipc_buffer(vesper_word slot)
{
    assert_root_current();
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    assert_int_equal(TEST_CALL(slot, domain_set_ipc_buffer, cap_address(slot_cap(frame)),
                               frame),
                     VESPER_OK);
    grant_frame(frame, VESPER_ROOT_SLOT_PDOM, RW);
    struct vesper_ipc_buffer *buffer = domain_ipc_buffer(domain_at(slot));
    assert_non_null(buffer);
    return buffer;
}

/* A fresh 4 KiB frame for a stack: its address. */
static inline vesper_word new_stack(void)
{
    return cap_address(slot_cap(make_object(VESPER_OBJECT_FRAME_4K, 0)));
}

/* Start the domain at slot: it joins the back of the run queue. */
static inline struct domain *start_domain(vesper_word slot)
{
    vesper_word stack = new_stack();
    assert_int_equal(TEST_CALL(slot, domain_start, DOMAIN_ENTRY, stack, STACK_SIZE, 0),
                     VESPER_OK);
    struct domain *d = domain_at(slot);
    assert_int_equal(d->state, DOMAIN_RUNNABLE);
    assert_ptr_equal(kernel.run_queue.tail, d);
    assert_invariants();
    return d;
}

/* make_domain, an IPC buffer if asked for, and start. */
static inline struct domain *new_started_domain(vesper_word fault_ep, bool with_buffer)
{
    vesper_word slot = make_domain(fault_ep);
    if (with_buffer)
        give_ipc_buffer(slot);
    return start_domain(slot);
}

/* Make syscall `number` as `expected`, which must be the current domain.
 * Returns the words the syscall left in the domain's context: its results
 * if it ended, its own arguments if it blocked. */
static inline struct vesper_syscall_frame syscall_as(struct domain *expected, vesper_word number,
                                                     struct ipc_args in)
{
    assert_non_null(expected);
    assert_ptr_equal(kernel.current, expected);
    struct vesper_syscall_frame frame = {.number = number};
    frame.arg[0] = in.cptr;
    frame.arg[1] = in.tag;
    for (unsigned i = 0; i < VESPER_MSG_REGISTERS; i++)
        frame.arg[2 + i] = in.msg[i];
    frame.arg[6] = in.reply;
    host_syscall_as_current(&frame);
    assert_invariants();
    return frame;
}

static inline struct vesper_syscall_frame recv_as(struct domain *d, vesper_word ep,
                                                  vesper_word reply)
{
    return syscall_as(d, VESPER_SYS_RECV, (struct ipc_args){.cptr = ep, .reply = reply});
}

/* A Yield by d. Its result word 1, the kernel's clock at the Yield, is
 * checked against the clock around it and then cleared, so that callers
 * compare the rest with assert_error_only(). */
static inline struct vesper_syscall_frame yield_as(struct domain *d)
{
    uint64_t before = hal_clock_now_ns();
    struct vesper_syscall_frame f = syscall_as(d, VESPER_SYS_YIELD, (struct ipc_args){0});
    assert_in_range(f.arg[1], before, hal_clock_now_ns());
    f.arg[1] = 0;
    return f;
}

/* The words in d's saved context: the results of its last syscall once it
 * has ended. */
static inline struct vesper_syscall_frame results_of(struct domain *d)
{
    struct vesper_syscall_frame frame;
    hal_context_get_syscall(&d->context, &frame);
    return frame;
}

/* All seven result words: error, tag, message words 0-3, badge. */
static inline void assert_words(const struct vesper_syscall_frame *frame,
                                const result_words expected)
{
    for (unsigned i = 0; i < VESPER_SYSCALL_ARGS; i++)
        if (frame->arg[i] != expected[i])
            fail_msg("result word %u is %#lx, expected %#lx", i, (unsigned long)frame->arg[i],
                     (unsigned long)expected[i]);
}

/* The syscall ended with `error` and every other word zero. */
static inline void assert_error_only(const struct vesper_syscall_frame *frame,
                                     enum vesper_error error)
{
    assert_words(frame, (result_words){error});
}

/* The root yields to `next`, which must be first on the run queue. */
static inline void hand_to(struct domain *next)
{
    assert_ptr_equal(kernel.run_queue.head, next);
    struct vesper_syscall_frame f = yield_as(root_domain());
    assert_error_only(&f, VESPER_OK);
    assert_ptr_equal(kernel.current, next);
}

/* The queue holds exactly the domains of the NULL-terminated `order`. */
static inline void assert_queue(const struct domain_queue *q, struct domain *const *order)
{
    const struct domain *d = q->head;
    unsigned i = 0;
    for (; order[i] != NULL; i++, d = d->queue_next)
        if (d != order[i])
            fail_msg("queue position %u holds %p, expected %p", i, (const void *)d,
                     (const void *)order[i]);
    if (d != NULL)
        fail_msg("queue holds more than the %u domains expected", i);
}

static inline void assert_run_queue(struct domain *const *order)
{
    assert_queue(&kernel.run_queue, order);
}

#endif

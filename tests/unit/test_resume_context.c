/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Contexts a domain keeps (core/sched/activation.c, <vesper/control.h>):
 * the copy of the saved context an upcall writes into the control block,
 * VESPER_SYS_RESUME with the address of a context the domain keeps (and
 * every check it makes first, each error changing nothing), and FAULT
 * upcalls, which a domain asks for in its block's flags instead of having
 * its faults sent to its fault endpoint while activations are enabled.
 *
 * The domains here share the root's CNode and PDom (ipc_support.h); each
 * runs on a stack granted RW to that PDom, so that a context it keeps
 * needs no memory it may not use.
 */
#include <string.h>

#include <vesper/control.h>

#include "activation_support.h"
#include "ipc_support.h"

#include "activation.h"
#include "kernel.h"

#define ACT_ENTRY ((vesper_word)0x500000) /* never run: recorded only */
#define FAULT_NUMBER 77                   /* no syscall has this number */
#define EXCEPTION_PC ((vesper_word)0x401230)

/* The words of the host's struct vesper_context (hal/host/context.c's
 * private enum context_word, in its order): sp, number, the seven syscall
 * words, then these. */
enum {
    WORD_SP = 0,
    WORD_STACK_BASE = 2 + VESPER_SYSCALL_ARGS, /* 9 */
    WORD_STACK_SIZE, WORD_START_ENTRY, WORD_START_ARG, WORD_FRESH, WORD_EXCEPTION_PC,
    WORD_RESUME_PC, WORD_IN_EXCEPTION, WORD_IPC_BUFFER, /* 17 */
};

/* A started domain with an IPC buffer, a stack granted RW, a control
 * block granted RW and an activation entry and stack registered in it. */
struct activated {
    vesper_word slot;
    vesper_word frame; /* the control block's frame */
    vesper_word address;
    vesper_word stack; /* the domain's own stack */
    struct domain *d;
    struct vesper_control *block;
};

/* A new 4 KiB frame granted to the root's PDom with rights (0: none);
 * its slot. */
static vesper_word frame_granted(vesper_word rights)
{
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    if (rights != 0)
        grant_frame(frame, VESPER_ROOT_SLOT_PDOM, rights);
    return frame;
}

static vesper_word address_of(vesper_word slot)
{
    return cap_address(slot_cap(slot));
}

static struct activated make_activated(vesper_word fault_ep)
{
    struct activated a;
    a.slot = make_domain(fault_ep);
    give_ipc_buffer(a.slot);
    a.frame = frame_granted(RW);
    a.address = address_of(a.frame);
    assert_int_equal(TEST_CALL(a.slot, domain_set_control_block, a.address), VESPER_OK);
    a.block = hal_kernel_pointer(a.address);
    a.block->entry = ACT_ENTRY;
    a.block->stack_base = new_stack();
    a.block->stack_size = STACK_SIZE;
    a.stack = address_of(frame_granted(RW));
    assert_int_equal(TEST_CALL(a.slot, domain_start, DOMAIN_ENTRY, a.stack, STACK_SIZE, 0),
                     VESPER_OK);
    a.d = domain_at(a.slot);
    assert_int_equal(a.d->state, DOMAIN_RUNNABLE);
    assert_invariants();
    return a;
}

/* The current domain d makes a syscall that leaves its words in its
 * context, which is then marked as the HAL leaves a started domain
 * switched out: its sp inside its stack, below the switch frame. Returns
 * a copy of it. */
static struct hal_context mark(const struct activated *a)
{
    syscall_as(a->d, VESPER_SYS_DEBUG_IDENTIFY, (struct ipc_args){.cptr = NO_CAP, .tag = 0x5a});
    a->d->context.fresh = 0;
    a->d->context.sp = a->stack + STACK_SIZE - 64;
    return a->d->context;
}

/* d's context is a fresh start at the activation entry, whose argument
 * is the block's address ORed with the reason. */
static void assert_upcalled(const struct activated *a, vesper_word reason)
{
    const struct hal_context *c = &a->d->context;
    assert_true(c->fresh);
    assert_int_equal(c->start_entry, ACT_ENTRY);
    assert_int_equal(c->start_arg & VESPER_UPCALL_REASON_MASK, reason);
    assert_int_equal(c->start_arg & ~(vesper_word)VESPER_UPCALL_REASON_MASK, a->d->control);
    assert_int_equal(c->stack_base, a->block->stack_base);
    assert_int_equal(c->stack_size, a->block->stack_size);
    assert_int_equal(c->ipc_buffer, a->d->ipc_buffer);
    assert_int_equal(c->sp, 0);
    assert_int_equal(a->block->reason, reason);
    assert_int_equal(a->block->disabled, 1);
}

/* The block records a FAULT of kind with these words. */
static void assert_fault(const struct activated *a, vesper_word kind, vesper_word w0,
                         vesper_word w1, vesper_word w2, vesper_word w3)
{
    assert_int_equal(a->block->fault_kind, kind);
    const vesper_word want[4] = {w0, w1, w2, w3};
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(a->block->fault_word[i], want[i]);
}

/* The block's saved copy is exactly the export of want. */
static void assert_saved_copy(const struct activated *a, const struct hal_context *want)
{
    struct vesper_context words;
    hal_context_export(want, &words);
    assert_memory_equal(&a->block->saved, &words, sizeof words);
}

static struct vesper_syscall_frame resume_as(const struct activated *a, vesper_word address)
{
    return syscall_as(a->d, VESPER_SYS_RESUME, (struct ipc_args){.cptr = address});
}

/* Resume(address) by the current a->d answers error alone and changes
 * nothing: its context (but the results), the kernel's save area and the
 * block's copy of it, and `disabled`. */
static void assert_resume_refused(const struct activated *a, vesper_word address,
                                  enum vesper_error error)
{
    struct hal_context context = a->d->context;
    struct hal_context saved = a->d->saved;
    uint32_t saved_valid = a->d->saved_valid;
    struct vesper_context block_saved = a->block->saved;
    vesper_word disabled = a->block->disabled;
    struct vesper_syscall_frame f = resume_as(a, address);
    assert_error_only(&f, error);
    assert_ptr_equal(kernel.current, a->d);
    context.frame = f;
    assert_same_context(&a->d->context, &context);
    assert_int_equal(a->d->saved_valid, saved_valid);
    assert_same_context(&a->d->saved, &saved);
    assert_memory_equal(&a->block->saved, &block_saved, sizeof block_saved);
    assert_int_equal(a->block->disabled, disabled);
}

/* Resume(address) continued want: the result words are its, activations
 * are enabled and nothing is saved. */
static void assert_resumed(const struct activated *a, const struct vesper_syscall_frame *f,
                           const struct hal_context *want)
{
    assert_ptr_equal(kernel.current, a->d);
    assert_memory_equal(f, &want->frame, sizeof *f);
    assert_same_context(&a->d->context, want);
    assert_int_equal(a->d->saved_valid, 0);
    assert_int_equal(a->block->disabled, 0);
}

/* A context's words that import checks; the rest are good's. */
struct shape {
    vesper_word fresh, in_exception, entry, base, size, sp;
};

static struct vesper_context shaped(const struct vesper_context *good, struct shape s)
{
    struct vesper_context c = *good;
    c.word[WORD_FRESH] = s.fresh;
    c.word[WORD_IN_EXCEPTION] = s.in_exception;
    c.word[WORD_START_ENTRY] = s.entry;
    c.word[WORD_STACK_BASE] = s.base;
    c.word[WORD_STACK_SIZE] = s.size;
    c.word[WORD_SP] = s.sp;
    return c;
}

/* CTX0001: an upcall that saves writes every word of the block's `saved`:
 * exactly the export of the context taken, word 0 its sp. */
static void CTX0001_upcall_exports_the_saved_context(void **state)
{
    (void)state;
    struct activated a = make_activated(NO_CAP);
    hand_to(a.d);
    struct hal_context before = mark(&a);
    memset(&a.block->saved, 0xa5, sizeof a.block->saved);
    preempt(a.d);
    hand_to(a.d);
    assert_upcalled(&a, VESPER_UPCALL_PREEMPTED);
    assert_int_equal(a.d->saved_valid, 1);
    assert_same_context(&a.d->saved, &before);
    assert_saved_copy(&a, &before);
    assert_int_equal(a.block->saved.word[WORD_SP], before.sp);
    assert_int_equal(a.block->saved.word[WORD_STACK_BASE], a.stack);
    assert_invariants();
}

/* CTX0002: Resume(address) continues a context the domain copied out of
 * its block (the copy's IPC buffer word is ignored: the domain's is set),
 * and works again with nothing saved, without an upcall. */
static void CTX0002_resume_address_continues_a_kept_context(void **state)
{
    (void)state;
    struct activated a = make_activated(NO_CAP);
    vesper_word kept = address_of(frame_granted(RW)) + 512;
    hand_to(a.d);
    struct hal_context before = mark(&a);
    preempt(a.d);
    hand_to(a.d);
    assert_upcalled(&a, VESPER_UPCALL_PREEMPTED);
    struct vesper_context copy = a.block->saved;
    copy.word[WORD_IPC_BUFFER] = 0x1234;
    test_poke(kept, &copy, sizeof copy);
    memset(&a.block->saved, 0, sizeof a.block->saved); /* the copy is what counts */
    struct vesper_syscall_frame f = resume_as(&a, kept);
    assert_resumed(&a, &f, &before);
    assert_int_equal(a.d->context.ipc_buffer, a.d->ipc_buffer);
    assert_int_equal(a.block->upcalls, 1);
    /* Again, with nothing saved, after the context moved on. */
    syscall_as(a.d, VESPER_SYS_DEBUG_IDENTIFY, (struct ipc_args){.cptr = NO_CAP, .tag = 0x77});
    a.block->disabled = 1;
    assert_int_equal(a.d->saved_valid, 0);
    f = resume_as(&a, kept);
    assert_resumed(&a, &f, &before);
    assert_int_equal(a.block->upcalls, 1);
    assert_invariants();
}

/* CTX0003: each of Resume(address)'s checks, in the kernel's order,
 * refuses with its error and changes nothing; then a context in a frame
 * granted only READ, and the refused stack shapes on a RW stack, are
 * accepted. */
static void CTX0003_resume_address_errors_change_nothing(void **state)
{
    (void)state;
    struct activated a = make_activated(NO_CAP);
    vesper_word endpoint = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word scratch = address_of(frame_granted(RW));
    vesper_word ungranted = address_of(frame_granted(0));
    assert_int_equal(ungranted, scratch + HAL_PAGE_SIZE);
    vesper_word read_only = address_of(frame_granted(VESPER_FRAME_READ));
    vesper_word domain_object = address_of(a.slot);
    vesper_word other = address_of(frame_granted(RW));
    hand_to(a.d);
    struct hal_context before = mark(&a);
    preempt(a.d);
    hand_to(a.d);
    assert_upcalled(&a, VESPER_UPCALL_PREEMPTED);
    const struct vesper_context good = a.block->saved;
    test_poke(scratch, &good, sizeof good);
    test_poke(ungranted, &good, sizeof good);
    test_poke(read_only, &good, sizeof good);

    /* Misaligned, before anything else (even outside RAM). */
    const vesper_word misaligned[] = {scratch + 4, scratch + 1, HOST_USER_BASE - 60};
    for (size_t i = 0; i < sizeof misaligned / sizeof misaligned[0]; i++)
        assert_resume_refused(&a, misaligned[i], VESPER_ERR_ALIGNMENT);
    /* Not readable: outside RAM, not granted, across into a page not
     * granted, or a kernel object. */
    const vesper_word unreadable[] = {8, ~(vesper_word)7, HOST_USER_BASE - 64,
                                      HOST_USER_BASE + TEST_MEMORY - 64, ungranted,
                                      ungranted - 64, domain_object, address_of(endpoint)};
    for (size_t i = 0; i < sizeof unreadable / sizeof unreadable[0]; i++)
        assert_resume_refused(&a, unreadable[i], VESPER_ERR_INVALID_ADDRESS);

    /* Words no context of the host HAL has, each breaking one rule (the
     * rest describe a context the domain could resume), then well-formed
     * words whose stack (or switch frame, at sp) the domain may not read
     * and write: the pages either side of its stack are not granted. */
    const vesper_word s = a.stack, top = s + STACK_SIZE, e = DOMAIN_ENTRY;
    assert_null(domain_user_view(a.d, s - 8, 8, VESPER_RIGHT_READ));
    assert_null(domain_user_view(a.d, top, 8, VESPER_RIGHT_READ));
    const struct shape bad[] = {
        {2, 0, e, s, STACK_SIZE, top - 64},
        {0, 2, e, s, STACK_SIZE, top - 64},
        {1, 1, e, s, STACK_SIZE, top - 64},
        {1, 0, 0, s, STACK_SIZE, 0},              /* fresh without an entry */
        {1, 0, e, s, 128, 0},                     /* fresh on a stack too small */
        {0, 0, e, s + 8, 256, top - 64},          /* base not 16-aligned */
        {0, 0, e, s, 264, top - 64},              /* size not a multiple of 16 */
        {0, 0, e, s, ~(vesper_word)15, top - 64}, /* base + size wraps */
        {0, 0, e, s, STACK_SIZE, top - 60},       /* sp misaligned */
        {0, 0, e, s, STACK_SIZE, 0},              /* no sp */
        {0, 0, e, s, STACK_SIZE, top - 8},        /* switch frame past the stack */
        {0, 0, e, s, STACK_SIZE, s - 8},          /* sp below the stack */
        {0, 0, e, ungranted, 256, ungranted + 192},
        {0, 0, e, read_only, 256, read_only + 192},
        {0, 0, e, domain_object, 256, domain_object + 192},
        {1, 0, e, s, 2 * STACK_SIZE, 0},          /* fresh stack past the granted one */
        {1, 0, e, ungranted, 256, 0},
        {1, 0, e, read_only, 256, 0},
        {1, 0, e, domain_object, 256, 0},
    };
    assert_int_equal(domain_object % 16, 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct vesper_context c = shaped(&good, bad[i]);
        test_poke(scratch, &c, sizeof c);
        assert_resume_refused(&a, scratch, VESPER_ERR_INVALID_ARGUMENT);
    }
    assert_int_equal(a.d->saved_valid, 1);
    assert_int_equal(a.block->disabled, 1);

    /* Reading is all the context's own words need. */
    struct vesper_syscall_frame f = resume_as(&a, read_only);
    assert_resumed(&a, &f, &before);
    /* The last stacks were refused for their grants alone: the same shapes
     * on a stack granted RW are accepted. */
    struct vesper_context c = shaped(&good, (struct shape){0, 0, e, other, 256, other + 192});
    test_poke(scratch, &c, sizeof c);
    f = resume_as(&a, scratch);
    assert_int_equal(a.d->context.stack_base, other);
    assert_int_equal(a.d->context.sp, other + 192);
    assert_memory_equal(&f, &before.frame, sizeof f);
    c = shaped(&good, (struct shape){1, 0, e, other, 256, 0});
    test_poke(scratch, &c, sizeof c);
    resume_as(&a, scratch);
    assert_true(a.d->context.fresh);
    assert_int_equal(a.d->context.start_entry, e);
    assert_int_equal(a.d->context.stack_base, other);
    assert_int_equal(a.d->context.stack_size, 256);
    assert_invariants();
}

/* CTX0004: without a usable control block (none, or its grant taken
 * back), Resume(address) is refused even for a valid kept context, which
 * works once the block is usable again. */
static void CTX0004_resume_address_needs_a_usable_block(void **state)
{
    (void)state;
    struct activated a = make_activated(NO_CAP);
    vesper_word kept = address_of(frame_granted(RW));
    assert_int_equal(TEST_CALL(a.slot, domain_set_control_block, 0), VESPER_OK);
    hand_to(a.d);
    struct hal_context before = mark(&a);
    struct vesper_context words;
    hal_context_export(&before, &words);
    test_poke(kept, &words, sizeof words);
    syscall_as(a.d, VESPER_SYS_DEBUG_IDENTIFY, (struct ipc_args){.cptr = NO_CAP, .tag = 0x77});
    assert_resume_refused(&a, kept, VESPER_ERR_ILLEGAL_OPERATION);
    yield_as(a.d);
    assert_int_equal(TEST_CALL(a.slot, domain_set_control_block, a.address), VESPER_OK);
    hand_to(a.d);
    struct vesper_syscall_frame f = resume_as(&a, kept);
    assert_resumed(&a, &f, &before);

    /* The grant taken back in the handler, with a context saved. */
    struct hal_context second = mark(&a);
    preempt(a.d);
    hand_to(a.d);
    assert_upcalled(&a, VESPER_UPCALL_PREEMPTED);
    test_poke(kept, &a.block->saved, sizeof a.block->saved);
    assert_int_equal(test_invoke_msg(NULL, a.frame, vesper_frame_ungrant_msg()), VESPER_OK);
    assert_null(activation_block(a.d));
    assert_resume_refused(&a, kept, VESPER_ERR_ILLEGAL_OPERATION);
    assert_resume_refused(&a, 0, VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(a.d->saved_valid, 1);
    yield_as(a.d);
    grant_frame(a.frame, VESPER_ROOT_SLOT_PDOM, RW);
    hand_to(a.d);
    f = resume_as(&a, kept);
    assert_resumed(&a, &f, &second);
    assert_invariants();
}

/* CTX0005: with FAULT upcalls asked for and activations enabled, an
 * unknown syscall upcalls the domain with FAULT instead of calling its
 * fault endpoint, where its handler waits; Resume(0) continues it. */
static void CTX0005_fault_upcall_replaces_the_fault_endpoint(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    struct activated a = make_activated(ep);
    a.block->flags = VESPER_CONTROL_FAULT_UPCALLS;
    recv_as(root, ep, reply); /* the handler waits: a Call would wake it */
    assert_ptr_equal(kernel.current, a.d);
    struct hal_context before = mark(&a);
    const struct ipc_args args = {.cptr = 5, .tag = 0x99, .msg = {1, 2, 3, 4}, .reply = 6};
    before.frame = (struct vesper_syscall_frame){
        .number = FAULT_NUMBER, .arg = {5, 0x99, 1, 2, 3, 4, 6}};
    syscall_as(a.d, FAULT_NUMBER, args);
    assert_ptr_equal(kernel.current, a.d);
    assert_int_equal(a.d->state, DOMAIN_RUNNABLE);
    assert_upcalled(&a, VESPER_UPCALL_FAULT);
    assert_int_equal(a.block->upcalls, 1);
    assert_fault(&a, VESPER_FAULT_UNKNOWN_SYSCALL, FAULT_NUMBER, hal_context_pc(&before), 0, 0);
    assert_int_equal(a.d->saved_valid, 1);
    assert_same_context(&a.d->saved, &before);
    assert_saved_copy(&a, &before);
    /* Nothing went to the endpoint. */
    assert_int_equal(a.d->fault, 0);
    assert_null(a.d->reply);
    assert_int_equal(root->state, DOMAIN_BLOCKED_RECV);
    assert_queue(&endpoint_at(ep)->queue, (struct domain *[]){root, NULL});
    assert_null(reply_at(reply)->caller);
    struct vesper_syscall_frame f = resume_as(&a, 0);
    assert_resumed(&a, &f, &before);
    assert_invariants();
}

/* CTX0006: the fault goes to the fault endpoint as before when the block
 * lacks the flag, when activations are disabled (a fault in the handler),
 * when the block is unusable (its grant taken back) and when it has no
 * activation entry. */
static void CTX0006_fault_goes_to_the_endpoint_otherwise(void **state)
{
    for (int which = 0; which < 4; which++) {
        assert_int_equal(test_boot(state), 0);
        struct domain *root = root_domain();
        vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
        vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
        struct activated a = make_activated(ep);
        a.block->flags = which == 0 ? 0 : VESPER_CONTROL_FAULT_UPCALLS;
        hand_to(a.d);
        if (which == 1) { /* in the handler of a preemption */
            mark(&a);
            preempt(a.d);
            hand_to(a.d);
            assert_upcalled(&a, VESPER_UPCALL_PREEMPTED);
        } else if (which == 2) {
            yield_as(a.d);
            assert_int_equal(test_invoke_msg(NULL, a.frame, vesper_frame_ungrant_msg()),
                             VESPER_OK);
            hand_to(a.d);
        } else if (which == 3) {
            a.block->entry = 0;
        }
        vesper_word upcalls = a.block->upcalls;
        syscall_as(a.d, FAULT_NUMBER, (struct ipc_args){0});
        assert_int_equal(a.d->state, DOMAIN_BLOCKED_SEND);
        assert_int_equal(a.d->fault, VESPER_FAULT_UNKNOWN_SYSCALL);
        assert_queue(&endpoint_at(ep)->queue, (struct domain *[]){a.d, NULL});
        assert_ptr_equal(kernel.current, root);
        assert_int_equal(a.block->upcalls, upcalls);
        assert_int_equal(a.block->fault_kind, 0);
        struct vesper_syscall_frame f =
            syscall_as(root, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = ep, .reply = reply});
        assert_int_equal(f.arg[0], VESPER_OK);
        assert_int_equal(f.arg[1], vesper_tag(VESPER_FAULT_UNKNOWN_SYSCALL, 4, 0));
        assert_int_equal(f.arg[2], FAULT_NUMBER);
        assert_int_equal(a.d->state, DOMAIN_BLOCKED_REPLY);
        assert_invariants();
    }
}

/* CTX0007: a machine exception upcalls with FAULT too, with the words a
 * fault endpoint would get: cause, pc, address, and for a page fault the
 * access (0 for any other exception). */
static void CTX0007_exception_fault_upcall_words(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct activated a = make_activated(ep);
    a.block->flags = VESPER_CONTROL_FAULT_UPCALLS;
    hand_to(a.d);
    mark(&a);
    a.d->context.in_exception = 1; /* as the HAL leaves a faulting domain */
    a.d->context.exception_pc = EXCEPTION_PC;
    struct hal_context before = a.d->context;
    struct hal_context *next =
        kernel_entry_exception(VESPER_FAULT_PAGE, 0x7000, 0xbad008, VESPER_FAULT_ACCESS_WRITE);
    assert_invariants();
    assert_ptr_equal(next, &a.d->context);
    assert_ptr_equal(kernel.current, a.d);
    assert_upcalled(&a, VESPER_UPCALL_FAULT);
    assert_fault(&a, VESPER_FAULT_PAGE, 0x7000, EXCEPTION_PC, 0xbad008, VESPER_FAULT_ACCESS_WRITE);
    assert_saved_copy(&a, &before);
    assert_int_equal(a.block->saved.word[WORD_EXCEPTION_PC], EXCEPTION_PC);
    assert_int_equal(a.block->saved.word[WORD_IN_EXCEPTION], 1);
    assert_int_equal(endpoint_at(ep)->state, ENDPOINT_IDLE);
    assert_int_equal(a.d->fault, 0);
    struct vesper_syscall_frame f = resume_as(&a, 0);
    assert_resumed(&a, &f, &before);
    /* A user exception: no access word, even if the HAL passed one. */
    kernel_entry_exception(VESPER_FAULT_USER_EXCEPTION, 0x96000045, 0xdead0,
                           VESPER_FAULT_ACCESS_READ);
    assert_upcalled(&a, VESPER_UPCALL_FAULT);
    assert_fault(&a, VESPER_FAULT_USER_EXCEPTION, 0x96000045, EXCEPTION_PC, 0xdead0, 0);
    assert_int_equal(a.block->upcalls, 2);
    assert_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(CTX0001_upcall_exports_the_saved_context, test_boot),
        cmocka_unit_test_setup(CTX0002_resume_address_continues_a_kept_context, test_boot),
        cmocka_unit_test_setup(CTX0003_resume_address_errors_change_nothing, test_boot),
        cmocka_unit_test_setup(CTX0004_resume_address_needs_a_usable_block, test_boot),
        cmocka_unit_test_setup(CTX0005_fault_upcall_replaces_the_fault_endpoint, test_boot),
        cmocka_unit_test_setup(CTX0006_fault_goes_to_the_endpoint_otherwise, test_boot),
        cmocka_unit_test_setup(CTX0007_exception_fault_upcall_words, test_boot),
    };
    return cmocka_run_group_tests_name("resume_context", tests, NULL, NULL);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Activations (core/sched/activation.c): Domain SetControlBlock, the
 * upcall a domain preempted with activations enabled gets when it next
 * runs, the save area and VESPER_SYS_RESUME, what `disabled` and `missed`
 * do, and every way the kernel falls back to a plain context: no block, a
 * block the domain's PDom may not write (or no longer may), no entry, an
 * unusable activation stack, or a domain that stopped.
 *
 * The domains here share the root's CNode and PDom (ipc_support.h), so a
 * frame granted to the root's PDom is one they may all use as a block.
 */
#include <string.h>

#include <vesper/control.h>

#include "activation_support.h"
#include "ipc_support.h"

#include "activation.h"
#include "kernel.h"

#define ACT_ENTRY ((vesper_word)0x500000) /* never run: recorded only */
#define MARK_SP ((uint64_t)0x5afe0)      /* a stack pointer a HAL would have saved */

/* A started domain with a control block granted RW and an activation
 * entry and stack registered in it. */
struct activated {
    vesper_word slot;
    vesper_word frame; /* the control block's frame */
    vesper_word address;
    vesper_word stack;
    struct domain *d;
    struct vesper_control *block;
};

static struct activated make_activated_granted(vesper_word rights)
{
    struct activated a;
    a.slot = make_domain(NO_CAP);
    a.frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    a.address = cap_address(slot_cap(a.frame));
    if (rights != 0)
        grant_frame(a.frame, VESPER_ROOT_SLOT_PDOM, rights);
    assert_int_equal(TEST_CALL(a.slot, domain_set_control_block, a.address), VESPER_OK);
    a.block = hal_kernel_pointer(a.address);
    a.stack = new_stack();
    a.block->entry = ACT_ENTRY;
    a.block->stack_base = a.stack;
    a.block->stack_size = STACK_SIZE;
    a.d = start_domain(a.slot);
    return a;
}

static struct activated make_activated(void)
{
    return make_activated_granted(RW);
}

/* The root hands the CPU to d, which makes a syscall that leaves its
 * words in its context; the context is marked as a HAL would leave it
 * switched out. Returns a copy of it. */
static struct hal_context run_and_mark(struct domain *d)
{
    hand_to(d);
    syscall_as(d, VESPER_SYS_DEBUG_IDENTIFY, (struct ipc_args){.cptr = NO_CAP, .tag = 0x5a});
    d->context.sp = MARK_SP;
    return d->context;
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
}

/* The domain resumed where it stopped, and nothing of its block changed. */
static void assert_plain_resume(const struct activated *a, const struct hal_context *before)
{
    assert_ptr_equal(kernel.current, a->d);
    assert_same_context(&a->d->context, before);
    assert_int_equal(a->d->saved_valid, 0);
    assert_int_equal(a->d->upcall_pending, 0);
    assert_int_equal(a->block->upcalls, 0);
}

/* ACT0001: SetControlBlock's errors, in order, each changing nothing:
 * no words, an address not a multiple of 64 (even outside RAM), a block
 * not wholly in RAM. */
static void ACT0001_set_control_block_errors(void **state)
{
    (void)state;
    vesper_word slot = make_domain(NO_CAP);
    struct domain *d = domain_at(slot);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word good = cap_address(slot_cap(frame));
    assert_int_equal(TEST_CALL(slot, domain_set_control_block, good), VESPER_OK);
    struct vesper_syscall_frame f;
    assert_int_equal(test_invoke(&f, slot, VESPER_DOMAIN_SET_CONTROL_BLOCK, 0, NULL),
                     VESPER_ERR_TRUNCATED_MESSAGE);
    assert_error_words(&f, VESPER_ERR_TRUNCATED_MESSAGE, 0, 0, 0);
    vesper_word ram_end = HOST_USER_BASE + TEST_MEMORY;
    const vesper_word misaligned[] = {good + 8, good + 32, good + 63, HOST_USER_BASE - 8, 1};
    for (size_t i = 0; i < sizeof misaligned / sizeof misaligned[0]; i++) {
        assert_int_equal(TEST_CALL_FRAME(&f, slot, domain_set_control_block, misaligned[i]),
                         VESPER_ERR_ALIGNMENT);
        assert_error_words(&f, VESPER_ERR_ALIGNMENT, 0, 0, 0);
    }
    const vesper_word outside[] = {64, HOST_USER_BASE - 64, ram_end, ram_end - 64,
                                   ram_end - sizeof(struct vesper_control) + 64,
                                   ~(vesper_word)63};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        assert_int_equal(TEST_CALL_FRAME(&f, slot, domain_set_control_block, outside[i]),
                         VESPER_ERR_INVALID_ADDRESS);
        assert_error_words(&f, VESPER_ERR_INVALID_ADDRESS, 0, 0, 0);
    }
    assert_int_equal(d->control, good);
    assert_invariants();
}

/* ACT0002: SetControlBlock records the address (the last block that fits
 * in RAM too), with or without a grant: whether the kernel may use it is
 * asked at each use, and only a READ|WRITE grant makes it usable. 0
 * removes it. */
static void ACT0002_set_control_block_records_and_removes(void **state)
{
    (void)state;
    vesper_word slot = make_domain(NO_CAP);
    struct domain *d = domain_at(slot);
    assert_int_equal(d->control, 0);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word address = cap_address(slot_cap(frame));
    struct vesper_syscall_frame f;
    assert_int_equal(TEST_CALL_FRAME(&f, slot, domain_set_control_block, address), VESPER_OK);
    assert_error_words(&f, VESPER_OK, 0, 0, 0);
    assert_int_equal(d->control, address);
    assert_null(activation_block(d)); /* not granted yet */
    grant_frame(frame, VESPER_ROOT_SLOT_PDOM, VESPER_FRAME_READ);
    assert_null(activation_block(d)); /* read only */
    assert_int_equal(test_invoke_msg(NULL, frame, vesper_frame_ungrant_msg()), VESPER_OK);
    grant_frame(frame, VESPER_ROOT_SLOT_PDOM, RW);
    assert_ptr_equal(activation_block(d), hal_kernel_pointer(address));
    vesper_word last = HOST_USER_BASE + TEST_MEMORY - ((sizeof(struct vesper_control) + 63) & ~63ul);
    assert_int_equal(TEST_CALL(slot, domain_set_control_block, last), VESPER_OK);
    assert_int_equal(d->control, last);
    assert_int_equal(TEST_CALL(slot, domain_set_control_block, address + 64), VESPER_OK);
    assert_int_equal(d->control, address + 64);
    assert_int_equal(TEST_CALL(slot, domain_set_control_block, 0), VESPER_OK);
    assert_int_equal(d->control, 0);
    assert_null(activation_block(d));
    assert_invariants();
}

/* ACT0003: the timer takes the CPU from a domain with activations
 * enabled: an upcall is pending; when it next runs, its context is saved
 * and it starts afresh at its entry with reason PREEMPTED, on the
 * activation stack, with `disabled` set and the block's record updated. */
static void ACT0003_preempted_domain_is_upcalled(void **state)
{
    (void)state;
    struct activated a = make_activated();
    struct hal_context before = run_and_mark(a.d);
    preempt(a.d);
    assert_int_equal(a.d->upcall_pending, VESPER_UPCALL_PREEMPTED);
    assert_int_equal(a.block->upcalls, 0); /* nothing until it runs */
    assert_same_context(&a.d->context, &before);
    hand_to(a.d);
    assert_int_equal(a.d->upcall_pending, 0);
    assert_int_equal(a.d->saved_valid, 1);
    assert_same_context(&a.d->saved, &before);
    assert_upcalled(&a, VESPER_UPCALL_PREEMPTED);
    assert_int_equal(a.block->disabled, 1);
    assert_int_equal(a.block->reason, VESPER_UPCALL_PREEMPTED);
    assert_int_equal(a.block->upcalls, 1);
    assert_int_equal(a.block->now_ns, hal_clock_now_ns());
    assert_int_equal(a.block->missed, 0);
    assert_invariants();
}

/* ACT0004: Resume continues exactly the saved context (its words are the
 * syscall's results) and enables activations; a second Resume finds
 * nothing saved. Enabled again, the next preemption upcalls again. */
static void ACT0004_resume_restores_the_saved_context(void **state)
{
    (void)state;
    struct activated a = make_activated();
    struct hal_context before = run_and_mark(a.d);
    preempt(a.d);
    hand_to(a.d);
    struct vesper_syscall_frame f = syscall_as(a.d, VESPER_SYS_RESUME, (struct ipc_args){0});
    assert_memory_equal(&f, &before.frame, sizeof f);
    assert_same_context(&a.d->context, &before);
    assert_ptr_equal(kernel.current, a.d);
    assert_int_equal(a.d->saved_valid, 0);
    assert_int_equal(a.block->disabled, 0);
    assert_int_equal(a.block->upcalls, 1);
    f = syscall_as(a.d, VESPER_SYS_RESUME, (struct ipc_args){0});
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(a.block->disabled, 0);
    preempt(a.d);
    hand_to(a.d);
    assert_upcalled(&a, VESPER_UPCALL_PREEMPTED);
    assert_int_equal(a.block->upcalls, 2);
    assert_invariants();
}

/* ACT0005: preempted while the domain itself keeps activations disabled:
 * no upcall is pending, `missed` records the reason, and it resumes
 * where it stopped. */
static void ACT0005_preempted_while_disabled_is_missed(void **state)
{
    (void)state;
    struct activated a = make_activated();
    a.block->disabled = 1;
    struct hal_context before = run_and_mark(a.d);
    preempt(a.d);
    assert_int_equal(a.d->upcall_pending, 0);
    assert_int_equal(a.block->missed, (vesper_word)1 << VESPER_UPCALL_PREEMPTED);
    hand_to(a.d);
    assert_plain_resume(&a, &before);
    assert_int_equal(a.block->disabled, 1);
    assert_invariants();
}

/* ACT0006: a preemption during the upcall handler (disabled by the
 * kernel) is missed, not nested: the handler resumes, the first save area
 * stays, and Resume still brings back the context taken first. */
static void ACT0006_preempted_in_the_handler_keeps_the_first_save(void **state)
{
    (void)state;
    struct activated a = make_activated();
    struct hal_context before = run_and_mark(a.d);
    preempt(a.d);
    hand_to(a.d);
    syscall_as(a.d, VESPER_SYS_DEBUG_IDENTIFY, (struct ipc_args){.cptr = NO_CAP, .tag = 0x77});
    struct hal_context handler = a.d->context;
    preempt(a.d);
    assert_int_equal(a.d->upcall_pending, 0);
    assert_int_equal(a.block->missed, (vesper_word)1 << VESPER_UPCALL_PREEMPTED);
    hand_to(a.d);
    assert_same_context(&a.d->context, &handler);
    assert_same_context(&a.d->saved, &before);
    assert_int_equal(a.block->upcalls, 1);
    syscall_as(a.d, VESPER_SYS_RESUME, (struct ipc_args){0});
    assert_same_context(&a.d->context, &before);
    assert_int_equal(a.block->disabled, 0);
    assert_invariants();
}

/* ACT0007: a block the PDom grants only READ, or does not grant at all,
 * is no block: the kernel neither upcalls nor writes it. */
static void ACT0007_block_without_rw_grant_is_plain(void **state)
{
    (void)state;
    const vesper_word grants[] = {VESPER_FRAME_READ, 0};
    for (size_t i = 0; i < sizeof grants / sizeof grants[0]; i++) {
        struct activated a = make_activated_granted(grants[i]);
        struct hal_context before = run_and_mark(a.d);
        preempt(a.d);
        assert_int_equal(a.d->upcall_pending, 0);
        hand_to(a.d);
        assert_plain_resume(&a, &before);
        assert_int_equal(a.block->disabled, 0);
        assert_int_equal(a.block->missed, 0);
        struct vesper_syscall_frame f = syscall_as(a.d, VESPER_SYS_RESUME, (struct ipc_args){0});
        assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
        /* Let it leave the CPU for the next round. */
        syscall_as(a.d, VESPER_SYS_EXIT, (struct ipc_args){0});
        assert_ptr_equal(kernel.current, root_domain());
        assert_invariants();
    }
}

/* ACT0008: the grant taken back after the preemption, by Ungrant or by
 * deleting the capability that granted it: the pending upcall is not
 * made and the domain resumes as a plain context. */
static void ACT0008_grant_taken_back_makes_a_plain_context(void **state)
{
    (void)state;
    for (int by_delete = 0; by_delete < 2; by_delete++) {
        struct activated a = make_activated();
        struct hal_context before = run_and_mark(a.d);
        preempt(a.d);
        assert_int_equal(a.d->upcall_pending, VESPER_UPCALL_PREEMPTED);
        if (by_delete)
            assert_int_equal(delete_slot(a.frame), VESPER_OK);
        else
            assert_int_equal(test_invoke_msg(NULL, a.frame, vesper_frame_ungrant_msg()),
                             VESPER_OK);
        assert_null(activation_block(a.d));
        hand_to(a.d);
        assert_plain_resume(&a, &before);
        assert_int_equal(a.block->disabled, 0);
        syscall_as(a.d, VESPER_SYS_EXIT, (struct ipc_args){0});
        assert_invariants();
    }
}

/* ACT0009: entry 0 means no activations (nothing pending); an unusable
 * activation stack (misaligned, too small, size not a multiple of 16, not
 * in RAM, wrapping) makes the pending upcall a plain resume. */
static void ACT0009_no_entry_or_bad_stack_is_plain(void **state)
{
    (void)state;
    struct {
        vesper_word entry, base, size;
    } cases[] = {
        {0, 0, STACK_SIZE},                        /* base filled in below */
        {ACT_ENTRY, 8, STACK_SIZE},                /* base misaligned */
        {ACT_ENTRY, 0, 240},                       /* too small */
        {ACT_ENTRY, 0, STACK_SIZE + 8},            /* size not a multiple of 16 */
        {ACT_ENTRY, HOST_USER_BASE + TEST_MEMORY, STACK_SIZE}, /* past RAM */
        {ACT_ENTRY, 16, ~(vesper_word)15},        /* wraps */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct activated a = make_activated();
        a.block->entry = cases[i].entry;
        a.block->stack_base = cases[i].base < 4096 ? a.stack + cases[i].base : cases[i].base;
        a.block->stack_size = cases[i].size;
        struct hal_context before = run_and_mark(a.d);
        preempt(a.d);
        assert_int_equal(a.d->upcall_pending, cases[i].entry ? VESPER_UPCALL_PREEMPTED : 0);
        hand_to(a.d);
        assert_plain_resume(&a, &before);
        assert_int_equal(a.block->disabled, 0);
        assert_int_equal(a.block->missed, 0);
        syscall_as(a.d, VESPER_SYS_EXIT, (struct ipc_args){0});
        assert_invariants();
    }
}

/* ACT0010: Resume's errors change nothing: no block, a block but nothing
 * saved (`disabled` stays as the domain set it), and a saved context
 * whose block is gone (it stays saved, and resumes once the block is
 * back). */
static void ACT0010_resume_errors_change_nothing(void **state)
{
    (void)state;
    struct domain *plain = start_domain(make_domain(NO_CAP));
    hand_to(plain);
    struct hal_context unchanged = plain->context;
    struct vesper_syscall_frame f = syscall_as(plain, VESPER_SYS_RESUME, (struct ipc_args){0});
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    assert_ptr_equal(kernel.current, plain);
    unchanged.frame = f; /* only the results differ */
    assert_same_context(&plain->context, &unchanged);
    assert_int_equal(plain->saved_valid, 0);
    syscall_as(plain, VESPER_SYS_EXIT, (struct ipc_args){0});

    struct activated a = make_activated();
    a.block->disabled = 1;
    hand_to(a.d);
    f = syscall_as(a.d, VESPER_SYS_RESUME, (struct ipc_args){0});
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(a.block->disabled, 1);
    a.block->disabled = 0;
    yield_as(a.d);
    struct hal_context before = run_and_mark(a.d);
    preempt(a.d);
    hand_to(a.d);
    assert_int_equal(a.d->saved_valid, 1);
    a.block->disabled = 1;
    syscall_as(a.d, VESPER_SYS_YIELD, (struct ipc_args){0});
    assert_int_equal(TEST_CALL(a.slot, domain_set_control_block, 0), VESPER_OK);
    hand_to(a.d);
    f = syscall_as(a.d, VESPER_SYS_RESUME, (struct ipc_args){0});
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(a.d->saved_valid, 1);
    assert_same_context(&a.d->saved, &before);
    assert_int_equal(a.block->disabled, 1);
    yield_as(a.d);
    assert_int_equal(TEST_CALL(a.slot, domain_set_control_block, a.address), VESPER_OK);
    hand_to(a.d);
    syscall_as(a.d, VESPER_SYS_RESUME, (struct ipc_args){0});
    assert_same_context(&a.d->context, &before);
    assert_int_equal(a.block->disabled, 0);
    assert_invariants();
}

/* ACT0011: a yield and a block are the domain's own doing, not
 * preemptions: no upcall is pending and it continues where it stopped,
 * with the results its syscall got. */
static void ACT0011_yield_and_block_are_not_preemption(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct activated a = make_activated();
    hand_to(a.d);
    yield_as(a.d);
    assert_int_equal(a.d->upcall_pending, 0);
    struct hal_context before = a.d->context;
    hand_to(a.d);
    assert_plain_resume(&a, &before);
    recv_as(a.d, ep, NO_CAP);
    assert_int_equal(a.d->state, DOMAIN_BLOCKED_RECV);
    assert_int_equal(a.d->upcall_pending, 0);
    syscall_as(root_domain(), VESPER_SYS_SEND,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(0, 1, 0), .msg = {42}});
    assert_int_equal(a.d->upcall_pending, 0);
    hand_to(a.d);
    struct vesper_syscall_frame f = results_of(a.d);
    assert_int_equal(f.arg[0], VESPER_OK);
    assert_int_equal(f.arg[2], 42);
    assert_int_equal(a.d->context.start_entry, DOMAIN_ENTRY);
    assert_int_equal(a.d->saved_valid, 0);
    assert_int_equal(a.block->upcalls, 0);
    assert_int_equal(a.block->disabled, 0);
    assert_invariants();
}

/* ACT0012: a domain that stops forgets its activation state: destroyed
 * with an upcall pending, or exiting with a context saved. */
static void ACT0012_stopped_domain_forgets_its_upcall(void **state)
{
    (void)state;
    struct activated a = make_activated();
    run_and_mark(a.d);
    preempt(a.d);
    assert_int_equal(a.d->upcall_pending, VESPER_UPCALL_PREEMPTED);
    assert_int_equal(delete_slot(a.slot), VESPER_OK);
    assert_int_equal(a.d->state, DOMAIN_STOPPED);
    assert_int_equal(a.d->upcall_pending, 0);
    assert_int_equal(a.d->saved_valid, 0);
    assert_run_queue((struct domain *[]){NULL});
    assert_invariants();

    struct activated b = make_activated();
    run_and_mark(b.d);
    preempt(b.d);
    hand_to(b.d);
    assert_int_equal(b.d->saved_valid, 1);
    syscall_as(b.d, VESPER_SYS_EXIT, (struct ipc_args){0});
    assert_int_equal(b.d->state, DOMAIN_STOPPED);
    assert_int_equal(b.d->saved_valid, 0);
    assert_int_equal(b.d->upcall_pending, 0);
    assert_ptr_equal(kernel.current, root_domain());
    assert_invariants();
}

/* ACT0013: the IPC buffer is the domain's current one, not the one it had
 * when the context was saved: at the upcall, and after Resume. */
static void ACT0013_resume_keeps_the_new_ipc_buffer(void **state)
{
    (void)state;
    struct activated a = make_activated();
    give_ipc_buffer(a.slot);
    uintptr_t first = a.d->ipc_buffer;
    struct hal_context before = run_and_mark(a.d);
    assert_int_equal(before.ipc_buffer, first);
    preempt(a.d);
    give_ipc_buffer(a.slot);
    uintptr_t second = a.d->ipc_buffer;
    assert_int_not_equal(second, first);
    hand_to(a.d);
    assert_upcalled(&a, VESPER_UPCALL_PREEMPTED);
    assert_int_equal(a.d->context.ipc_buffer, second);
    assert_int_equal(a.d->saved.ipc_buffer, second); /* set while it waited */
    yield_as(a.d);
    give_ipc_buffer(a.slot);
    uintptr_t third = a.d->ipc_buffer;
    hand_to(a.d);
    syscall_as(a.d, VESPER_SYS_RESUME, (struct ipc_args){0});
    before.ipc_buffer = third;
    assert_same_context(&a.d->context, &before);
    assert_int_equal(a.block->disabled, 0);
    assert_invariants();
}

/* ACT0014: an upcall pending when activations get disabled before the
 * domain runs again (another domain sharing its PDom wrote `disabled`) is
 * not made: the domain resumes where it stopped and, as <vesper/control.h>
 * says of every upcall not made because activations were disabled,
 * `missed` records it. */
static void ACT0014_pending_upcall_found_disabled_is_missed(void **state)
{
    (void)state;
    struct activated a = make_activated();
    struct hal_context before = run_and_mark(a.d);
    preempt(a.d);
    assert_int_equal(a.d->upcall_pending, VESPER_UPCALL_PREEMPTED);
    a.block->disabled = 1;
    hand_to(a.d);
    assert_plain_resume(&a, &before);
    assert_int_equal(a.block->disabled, 1);
    assert_invariants();
    assert_int_equal(a.block->missed, (vesper_word)1 << VESPER_UPCALL_PREEMPTED);
    assert_invariants();
}

/* ACT0015: the block is read at each use: moved while an upcall is
 * pending, the upcall goes by the new block; removed, none is made. */
static void ACT0015_block_is_read_at_each_use(void **state)
{
    (void)state;
    struct activated a = make_activated();
    vesper_word other = make_object(VESPER_OBJECT_FRAME_4K, 0);
    grant_frame(other, VESPER_ROOT_SLOT_PDOM, RW);
    vesper_word moved = cap_address(slot_cap(other)) + 64;
    struct vesper_control *block = hal_kernel_pointer(moved);
    vesper_word stack = new_stack();
    block->entry = ACT_ENTRY + 0x40;
    block->stack_base = stack;
    block->stack_size = 512;
    struct hal_context before = run_and_mark(a.d);
    preempt(a.d);
    assert_int_equal(TEST_CALL(a.slot, domain_set_control_block, moved), VESPER_OK);
    hand_to(a.d);
    assert_int_equal(a.d->context.start_entry, ACT_ENTRY + 0x40);
    assert_int_equal(a.d->context.stack_base, stack);
    assert_int_equal(a.d->context.stack_size, 512);
    assert_int_equal(block->upcalls, 1);
    assert_int_equal(block->disabled, 1);
    assert_int_equal(a.block->upcalls, 0);
    syscall_as(a.d, VESPER_SYS_RESUME, (struct ipc_args){0});
    assert_same_context(&a.d->context, &before);
    preempt(a.d);
    assert_int_equal(TEST_CALL(a.slot, domain_set_control_block, 0), VESPER_OK);
    hand_to(a.d);
    assert_same_context(&a.d->context, &before);
    assert_int_equal(block->upcalls, 1);
    assert_int_equal(a.d->saved_valid, 0);
    assert_invariants();
}

/* ACT0016: a block that runs past its frame into a page the PDom does not
 * grant is no block; granting that page too makes it one. */
static void ACT0016_block_across_pages_needs_both(void **state)
{
    (void)state;
    struct activated a = make_activated();
    vesper_word low = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word high = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word low_address = cap_address(slot_cap(low));
    assert_int_equal(cap_address(slot_cap(high)), low_address + HAL_PAGE_SIZE);
    grant_frame(low, VESPER_ROOT_SLOT_PDOM, RW);
    vesper_word across = low_address + HAL_PAGE_SIZE - 1024;
    struct vesper_control *block = hal_kernel_pointer(across);
    block->entry = ACT_ENTRY;
    block->stack_base = a.stack;
    block->stack_size = STACK_SIZE;
    assert_int_equal(TEST_CALL(a.slot, domain_set_control_block, across), VESPER_OK);
    assert_null(activation_block(a.d));
    struct hal_context before = run_and_mark(a.d);
    preempt(a.d);
    assert_int_equal(a.d->upcall_pending, 0);
    hand_to(a.d);
    assert_same_context(&a.d->context, &before);
    yield_as(a.d);
    grant_frame(high, VESPER_ROOT_SLOT_PDOM, RW);
    assert_ptr_equal(activation_block(a.d), block);
    hand_to(a.d);
    preempt(a.d);
    assert_int_equal(a.d->upcall_pending, VESPER_UPCALL_PREEMPTED);
    hand_to(a.d);
    assert_int_equal(a.d->context.start_entry, ACT_ENTRY);
    assert_int_equal(a.d->context.start_arg, across | VESPER_UPCALL_PREEMPTED);
    assert_int_equal(block->upcalls, 1);
    assert_int_equal(a.block->upcalls, 0);
    assert_invariants();
}

/* ACT0017: a signal to the Notification bound to a domain that is ready
 * to run, not waiting on it, leaves an EVENT upcall for its next turn, and
 * the handler's Poll finds the bits; a signal that sets no bit (badge 0)
 * makes none; with activations disabled the event goes to missed. */
static void ACT0017_signal_to_a_busy_domain_is_an_event(void **state)
{
    (void)state;
    struct activated a = make_activated();
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word badged = mint_cap(ntfn, VESPER_RIGHTS_ALL, 0x40);
    assert_int_equal(TEST_CALL(a.slot, domain_bind_notification, ntfn), VESPER_OK);
    hand_to(a.d);
    syscall_as(a.d, VESPER_SYS_YIELD, (struct ipc_args){0}); /* ready, not waiting */
    assert_ptr_not_equal(kernel.current, a.d);
    syscall_as(kernel.current, VESPER_SYS_SEND, (struct ipc_args){.cptr = ntfn});
    assert_int_equal(a.d->upcall_pending, 0); /* badge 0: no bit, nothing to tell */
    syscall_as(kernel.current, VESPER_SYS_SEND, (struct ipc_args){.cptr = badged});
    assert_int_equal(a.d->upcall_pending, VESPER_UPCALL_EVENT);
    assert_invariants();
    struct hal_context before = a.d->context;
    hand_to(a.d);
    assert_upcalled(&a, VESPER_UPCALL_EVENT);
    assert_true(a.d->saved_valid);
    assert_same_context(&a.d->saved, &before);
    struct vesper_syscall_frame f =
        syscall_as(a.d, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = ntfn});
    assert_int_equal(f.arg[6], 0x40); /* the handler's Poll */
    syscall_as(a.d, VESPER_SYS_RESUME, (struct ipc_args){0});
    assert_same_context(&a.d->context, &before);
    /* Disabled: the next event is only recorded. */
    syscall_as(a.d, VESPER_SYS_YIELD, (struct ipc_args){0});
    a.block->disabled = 1;
    syscall_as(kernel.current, VESPER_SYS_SEND, (struct ipc_args){.cptr = badged});
    assert_int_equal(a.d->upcall_pending, 0);
    assert_int_equal(a.block->missed, (vesper_word)1 << VESPER_UPCALL_EVENT);
    assert_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(ACT0001_set_control_block_errors, test_boot),
        cmocka_unit_test_setup(ACT0002_set_control_block_records_and_removes, test_boot),
        cmocka_unit_test_setup(ACT0003_preempted_domain_is_upcalled, test_boot),
        cmocka_unit_test_setup(ACT0004_resume_restores_the_saved_context, test_boot),
        cmocka_unit_test_setup(ACT0005_preempted_while_disabled_is_missed, test_boot),
        cmocka_unit_test_setup(ACT0006_preempted_in_the_handler_keeps_the_first_save, test_boot),
        cmocka_unit_test_setup(ACT0007_block_without_rw_grant_is_plain, test_boot),
        cmocka_unit_test_setup(ACT0008_grant_taken_back_makes_a_plain_context, test_boot),
        cmocka_unit_test_setup(ACT0009_no_entry_or_bad_stack_is_plain, test_boot),
        cmocka_unit_test_setup(ACT0010_resume_errors_change_nothing, test_boot),
        cmocka_unit_test_setup(ACT0011_yield_and_block_are_not_preemption, test_boot),
        cmocka_unit_test_setup(ACT0012_stopped_domain_forgets_its_upcall, test_boot),
        cmocka_unit_test_setup(ACT0013_resume_keeps_the_new_ipc_buffer, test_boot),
        cmocka_unit_test_setup(ACT0014_pending_upcall_found_disabled_is_missed, test_boot),
        cmocka_unit_test_setup(ACT0015_block_is_read_at_each_use, test_boot),
        cmocka_unit_test_setup(ACT0016_block_across_pages_needs_both, test_boot),
        cmocka_unit_test_setup(ACT0017_signal_to_a_busy_domain_is_an_event, test_boot),
    };
    return cmocka_run_group_tests_name("activation", tests, NULL, NULL);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Interrupt delivery (docs/objects/irq.md, Delivery, Ack and Deleting):
 * the interrupt entry masks a raised line, marks it pending and signals
 * the bound notification with the binding's badge; Ack unmasks it. The
 * simulated controller shows the mask of every line, and a line is
 * unmasked exactly while it is claimed, bound and not pending.
 *
 * The tests make the interrupt entry themselves, as the host's run loop
 * would for a line that is asserted and unmasked.
 */
#include <string.h>

#include <vesper/control.h>

#include "host_internal.h"
#include "ipc_support.h"

#define IRQ_CONTROL VESPER_ROOT_SLOT_IRQ_CONTROL
#define SCHED_CONTROL VESPER_ROOT_SLOT_SCHED_CONTROL
#define SCHED_ENTRY ((vesper_word)0x600000) /* never run: recorded only */
#define BUDGET ((vesper_word)200000)
#define BADGE ((vesper_word)0x30)

/* Get a handler for line into the next empty root slot; returns the slot. */
static vesper_word get_handler(vesper_word line)
{
    vesper_word dest = next_empty_slot();
    assert_int_equal(TEST_CALL(IRQ_CONTROL, irq_control_get, line, ROOT_CNODE, dest, 64),
                     VESPER_OK);
    return dest;
}

static void bind(vesper_word handler, vesper_word ntfn)
{
    assert_int_equal(TEST_CALL(handler, irq_handler_set_notification, ntfn), VESPER_OK);
}

static enum vesper_error ack(struct vesper_syscall_frame *f, vesper_word handler)
{
    return test_invoke_msg(f, handler, vesper_irq_handler_ack_msg());
}

static struct irq_line *irq(unsigned line)
{
    return &kernel.irq[line];
}

static bool bound(unsigned line)
{
    return !cap_is_null(irq(line)->notification.cap);
}

/* Every line is masked unless it is claimed, bound and not pending. */
static void assert_mask_rule(void)
{
    for (unsigned line = 0; line < hal_irq_count(); line++) {
        bool armed = irq(line)->claimed && !irq(line)->pending && bound(line);
        if (host_irq_masked(line) == armed)
            fail_msg("line %u is %s but %s", line, armed ? "masked" : "unmasked",
                     armed ? "claimed, bound and not pending" : "cannot be heard");
    }
}

/* A new notification and a copy of it minted with BADGE; *plain gets the
 * original's slot. Returns the badged copy's slot. */
static vesper_word badged_notification(vesper_word *plain)
{
    *plain = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    return mint_cap(*plain, VESPER_RIGHTS_ALL, BADGE);
}

/* A new domain waiting on the notification at ntfn (the root runs on). */
static struct domain *waiter_on(vesper_word ntfn)
{
    struct domain *x = start_domain(make_domain(NO_CAP));
    hand_to(x);
    syscall_as(x, VESPER_SYS_RECV, (struct ipc_args){.cptr = ntfn});
    assert_int_equal(x->state, DOMAIN_BLOCKED_NTFN);
    assert_ptr_equal(kernel.current, root_domain());
    return x;
}

/* The kernel's interrupt state and the controller's masks, to compare. */
struct irq_snapshot {
    struct irq_line line[HAL_IRQ_LINES_MAX];
    uint64_t unclaimed, spurious;
    bool masked[HOST_IRQ_LINES];
};

static void snapshot(struct irq_snapshot *s)
{
    memcpy(s->line, kernel.irq, sizeof s->line);
    s->unclaimed = kernel.irq_unclaimed;
    s->spurious = kernel.irq_spurious;
    for (unsigned i = 0; i < HOST_IRQ_LINES; i++)
        s->masked[i] = host_irq_masked(i);
}

static void assert_snapshot(const struct irq_snapshot *s)
{
    struct irq_snapshot now;
    snapshot(&now);
    for (unsigned i = 0; i < HAL_IRQ_LINES_MAX; i++)
        if (memcmp(&now.line[i], &s->line[i], sizeof now.line[i]) != 0)
            fail_msg("the state of line %u changed", i);
    assert_int_equal(now.unclaimed, s->unclaimed);
    assert_int_equal(now.spurious, s->spurious);
    assert_memory_equal(now.masked, s->masked, sizeof now.masked);
}

/* IRQD0001: after boot every line is masked, unclaimed, unbound, not
 * pending and never raised, and nothing is counted. */
static void IRQD0001_lines_start_masked(void **state)
{
    (void)state;
    assert_int_equal(hal_irq_count(), HOST_IRQ_LINES);
    for (unsigned line = 0; line < hal_irq_count(); line++) {
        assert_true(host_irq_masked(line));
        assert_false(irq(line)->claimed);
        assert_false(irq(line)->pending);
        assert_false(bound(line));
        assert_int_equal(irq(line)->raised, 0);
    }
    assert_int_equal(kernel.irq_unclaimed, 0);
    assert_int_equal(kernel.irq_spurious, 0);
    assert_int_equal(host_irq_next(), -1);
    assert_invariants();
}

/* IRQD0002: Get leaves the line masked, SetNotification unmasks it, Clear
 * masks it, binding again unmasks it, and deleting the last handler of
 * an unmasked line masks it. No other line's mask moves. */
static void IRQD0002_mask_follows_claim_and_binding(void **state)
{
    (void)state;
    vesper_word handler = get_handler(4);
    assert_true(host_irq_masked(4));
    vesper_word ntfn = make_irq_notification();
    bind(handler, ntfn);
    assert_false(host_irq_masked(4));
    assert_int_equal(test_invoke_msg(NULL, handler, vesper_irq_handler_clear_msg()), VESPER_OK);
    assert_true(host_irq_masked(4));
    assert_true(irq(4)->claimed);
    assert_mask_rule();
    bind(handler, ntfn);
    assert_false(host_irq_masked(4));
    vesper_word copy = copy_cap(handler, VESPER_RIGHTS_ALL);
    assert_int_equal(delete_slot(handler), VESPER_OK);
    assert_false(host_irq_masked(4)); /* a copy still holds the line */
    assert_int_equal(delete_slot(copy), VESPER_OK);
    assert_false(irq(4)->claimed);
    assert_true(host_irq_masked(4));
    assert_mask_rule();
    assert_invariants();
}

/* IRQD0003: an interrupt on a bound line masks it, marks it pending,
 * counts it and wakes the domain waiting on the notification with the
 * binding's badge. The interrupted root runs on (no scheduler); the
 * woken driver is queued, and its Ack unmasks the line. */
static void IRQD0003_interrupt_wakes_the_waiting_driver(void **state)
{
    (void)state;
    vesper_word ntfn;
    vesper_word badged = badged_notification(&ntfn);
    vesper_word handler = get_handler(7);
    struct domain *x = waiter_on(ntfn);
    bind(handler, badged);
    assert_false(host_irq_masked(7));
    struct domain *root = root_domain();
    assert_ptr_equal(kernel_entry_irq(7), &root->context);
    assert_ptr_equal(kernel.current, root);
    assert_true(host_irq_masked(7));
    assert_true(irq(7)->pending);
    assert_int_equal(irq(7)->raised, 1);
    assert_int_equal(kernel.irq_unclaimed, 0);
    assert_int_equal(kernel.irq_spurious, 0);
    assert_int_equal(x->state, DOMAIN_RUNNABLE);
    assert_run_queue((struct domain *[]){x, NULL});
    struct vesper_syscall_frame f = results_of(x);
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, BADGE});
    assert_int_equal(notification_at(ntfn)->word, 0);
    assert_invariants();
    hand_to(x);
    assert_int_equal(ack(&f, handler), VESPER_OK);
    assert_error_words(&f, VESPER_OK, 0, 0, 0);
    assert_false(irq(7)->pending);
    assert_false(host_irq_masked(7));
    assert_mask_rule();
    assert_invariants();
}

/* IRQD0004: with nobody waiting, the badge stays in the notification's
 * word, and the driver's Recv (polling) takes it. */
static void IRQD0004_interrupt_with_no_waiter_sets_the_word(void **state)
{
    (void)state;
    vesper_word ntfn;
    vesper_word badged = badged_notification(&ntfn);
    vesper_word handler = get_handler(2);
    bind(handler, badged);
    assert_ptr_equal(kernel_entry_irq(2), &root_domain()->context);
    assert_int_equal(notification_at(ntfn)->word, BADGE);
    assert_true(irq(2)->pending);
    assert_true(host_irq_masked(2));
    struct vesper_syscall_frame f =
        syscall_as(root_domain(), VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = ntfn});
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, BADGE});
    assert_int_equal(notification_at(ntfn)->word, 0);
    assert_mask_rule();
    assert_invariants();
}

/* IRQD0005: Ack with no interrupt pending, before the first one or a
 * second time, is ILLEGAL_OPERATION and changes nothing; with one pending
 * it clears it and unmasks the line, which may then be raised again. Any
 * copy of the handler may Ack. */
static void IRQD0005_ack_needs_a_pending_interrupt(void **state)
{
    (void)state;
    vesper_word handler = get_handler(11);
    vesper_word copy = copy_cap(handler, VESPER_RIGHTS_ALL);
    vesper_word ntfn = make_irq_notification();
    bind(handler, ntfn);
    struct irq_snapshot before;
    struct vesper_syscall_frame f;
    snapshot(&before);
    assert_int_equal(ack(&f, handler), VESPER_ERR_ILLEGAL_OPERATION);
    assert_error_words(&f, VESPER_ERR_ILLEGAL_OPERATION, 0, 0, 0);
    assert_snapshot(&before);
    assert_false(host_irq_masked(11));
    kernel_entry_irq(11);
    assert_true(irq(11)->pending);
    assert_int_equal(ack(&f, copy), VESPER_OK);
    assert_false(irq(11)->pending);
    assert_false(host_irq_masked(11));
    snapshot(&before);
    assert_int_equal(ack(&f, handler), VESPER_ERR_ILLEGAL_OPERATION);
    assert_error_words(&f, VESPER_ERR_ILLEGAL_OPERATION, 0, 0, 0);
    assert_snapshot(&before);
    kernel_entry_irq(11);
    assert_int_equal(irq(11)->raised, 2);
    assert_true(irq(11)->pending);
    assert_true(host_irq_masked(11));
    assert_int_equal(notification_at(ntfn)->word, 1); /* both interrupts: the badge */
    assert_mask_rule();
    assert_invariants();
}

/* IRQD0006: a line Cleared while an interrupt is pending: Ack forgets the
 * interrupt but leaves the line masked, since nobody would hear the next
 * one; binding it then unmasks it. */
static void IRQD0006_ack_of_an_unbound_line_keeps_it_masked(void **state)
{
    (void)state;
    vesper_word handler = get_handler(3);
    vesper_word ntfn = make_irq_notification();
    bind(handler, ntfn);
    kernel_entry_irq(3);
    assert_int_equal(test_invoke_msg(NULL, handler, vesper_irq_handler_clear_msg()), VESPER_OK);
    assert_true(irq(3)->pending);
    assert_true(host_irq_masked(3));
    assert_int_equal(ack(NULL, handler), VESPER_OK);
    assert_false(irq(3)->pending);
    assert_true(host_irq_masked(3));
    bind(handler, ntfn);
    assert_false(host_irq_masked(3));
    assert_mask_rule();
    assert_invariants();
}

/* IRQD0007: an interrupt on a claimed line bound to nothing is pending
 * and masked and wakes nobody. Binding the line then keeps it masked and
 * still wakes nobody; Ack unmasks it, and the next interrupt is heard. */
static void IRQD0007_interrupt_on_an_unbound_line(void **state)
{
    (void)state;
    vesper_word ntfn;
    vesper_word badged = badged_notification(&ntfn);
    vesper_word handler = get_handler(0);
    struct domain *x = waiter_on(ntfn);
    assert_true(host_irq_masked(0));
    assert_ptr_equal(kernel_entry_irq(0), &root_domain()->context);
    assert_true(irq(0)->pending);
    assert_true(host_irq_masked(0));
    assert_int_equal(irq(0)->raised, 1);
    assert_int_equal(kernel.irq_unclaimed, 0);
    assert_int_equal(x->state, DOMAIN_BLOCKED_NTFN);
    bind(handler, badged);
    assert_true(host_irq_masked(0));
    assert_int_equal(x->state, DOMAIN_BLOCKED_NTFN);
    assert_int_equal(notification_at(ntfn)->word, 0);
    assert_mask_rule();
    assert_int_equal(ack(NULL, handler), VESPER_OK);
    assert_false(host_irq_masked(0));
    kernel_entry_irq(0);
    assert_int_equal(x->state, DOMAIN_RUNNABLE);
    assert_int_equal(results_of(x).arg[6], BADGE);
    assert_mask_rule();
    assert_invariants();
}

/* IRQD0008: an interrupt on a line nobody claimed leaves it masked,
 * unclaimed and not pending and is counted in irq_unclaimed (and as
 * taken on the line); nothing else changes, and the root runs on. */
static void IRQD0008_interrupt_on_an_unclaimed_line(void **state)
{
    (void)state;
    vesper_word handler = get_handler(6);
    bind(handler, make_irq_notification());
    struct irq_snapshot before;
    snapshot(&before);
    assert_ptr_equal(kernel_entry_irq(5), &root_domain()->context);
    assert_ptr_equal(kernel.current, root_domain());
    assert_int_equal(kernel.irq_unclaimed, 1);
    assert_true(host_irq_masked(5));
    assert_false(irq(5)->claimed);
    assert_false(irq(5)->pending);
    assert_int_equal(irq(5)->raised, 1);
    before.line[5].raised = 1;
    before.unclaimed = 1;
    assert_snapshot(&before);
    assert_mask_rule();
    assert_invariants();
}

/* IRQD0009: an entry for a line the HAL does not have, even one inside
 * the kernel's table, is only counted in irq_spurious; the root runs on. */
static void IRQD0009_lines_out_of_range_are_spurious(void **state)
{
    (void)state;
    vesper_word handler = get_handler(HOST_IRQ_LINES - 1);
    bind(handler, make_irq_notification());
    const unsigned lines[] = {HOST_IRQ_LINES, HAL_IRQ_LINES_MAX - 1, HAL_IRQ_LINES_MAX, 1000,
                              UINT32_MAX};
    struct irq_snapshot before;
    for (unsigned i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        snapshot(&before);
        assert_ptr_equal(kernel_entry_irq(lines[i]), &root_domain()->context);
        assert_ptr_equal(kernel.current, root_domain());
        assert_int_equal(kernel.irq_spurious, i + 1);
        before.spurious = i + 1;
        assert_snapshot(&before);
    }
    assert_false(host_irq_masked(HOST_IRQ_LINES - 1));
    assert_mask_rule();
    assert_invariants();
}

/* IRQD0010: a line stays claimed while an interrupt is pending (a second
 * Get is refused and the interrupt stays), deleting a copy of the handler
 * changes nothing, and deleting the last one releases the line: masked,
 * not pending, unbound. A new handler then binds, unmasks and hears the
 * next interrupt as usual. */
static void IRQD0010_deleting_the_handler_forgets_a_pending_interrupt(void **state)
{
    (void)state;
    vesper_word ntfn;
    vesper_word badged = badged_notification(&ntfn);
    vesper_word handler = get_handler(12);
    vesper_word copy = copy_cap(handler, VESPER_RIGHTS_ALL);
    bind(handler, badged);
    kernel_entry_irq(12);
    struct vesper_syscall_frame f =
        syscall_as(root_domain(), VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = ntfn});
    assert_int_equal(f.arg[6], BADGE);
    vesper_word dest = next_empty_slot();
    assert_int_equal(TEST_CALL(IRQ_CONTROL, irq_control_get, 12, ROOT_CNODE, dest, 64),
                     VESPER_ERR_REVOKE_FIRST);
    assert_true(irq(12)->pending);
    assert_int_equal(delete_slot(copy), VESPER_OK);
    assert_true(irq(12)->pending);
    assert_true(bound(12));
    assert_int_equal(delete_slot(handler), VESPER_OK);
    assert_false(irq(12)->claimed);
    assert_false(irq(12)->pending);
    assert_false(bound(12));
    assert_true(host_irq_masked(12));
    assert_mask_rule();
    assert_invariants();
    vesper_word again = get_handler(12);
    assert_true(host_irq_masked(12));
    assert_int_equal(ack(NULL, again), VESPER_ERR_ILLEGAL_OPERATION);
    bind(again, badged);
    assert_false(host_irq_masked(12));
    kernel_entry_irq(12);
    assert_int_equal(notification_at(ntfn)->word, BADGE);
    assert_int_equal(irq(12)->raised, 2);
    assert_int_equal(ack(NULL, again), VESPER_OK);
    assert_false(host_irq_masked(12));
    assert_mask_rule();
    assert_invariants();
}

/* IRQD0011: revoking the notification capability the binding came from,
 * or the Untyped the notification came from, unbinds the line, which must
 * then be masked: nobody would hear it. */
static void IRQD0011_revoking_the_binding_masks_the_line(void **state)
{
    (void)state;
    vesper_word ntfn = make_irq_notification();
    vesper_word pool = make_object(VESPER_OBJECT_UNTYPED, 12);
    vesper_word handler = get_handler(8);
    vesper_word other = get_handler(15);
    bind(handler, ntfn);
    bind(other, make_irq_notification_from(pool));
    assert_false(host_irq_masked(8));
    assert_false(host_irq_masked(15));
    assert_int_equal(revoke_slot(ntfn), VESPER_OK);
    assert_int_equal(revoke_slot(pool), VESPER_OK);
    assert_false(bound(8));
    assert_false(bound(15));
    assert_true(irq(8)->claimed && irq(15)->claimed);
    assert_true(host_irq_masked(8));
    assert_true(host_irq_masked(15));
    assert_mask_rule();
    assert_invariants();
}

/* IRQD0012: an interrupt after the binding was revoked is pending and
 * masked and wakes nobody; binding the line again keeps it masked until
 * Ack. */
static void IRQD0012_interrupt_after_the_binding_was_revoked(void **state)
{
    (void)state;
    vesper_word ntfn;
    vesper_word badged = badged_notification(&ntfn);
    vesper_word handler = get_handler(10);
    struct domain *x = waiter_on(ntfn);
    bind(handler, badged);
    assert_int_equal(revoke_slot(badged), VESPER_OK);
    assert_false(bound(10));
    kernel_entry_irq(10);
    assert_true(irq(10)->pending);
    assert_true(host_irq_masked(10));
    assert_int_equal(irq(10)->raised, 1);
    assert_int_equal(x->state, DOMAIN_BLOCKED_NTFN);
    assert_int_equal(notification_at(ntfn)->word, 0);
    bind(handler, mint_cap(ntfn, VESPER_RIGHTS_ALL, BADGE));
    assert_true(host_irq_masked(10));
    assert_int_equal(ack(NULL, handler), VESPER_OK);
    assert_false(host_irq_masked(10));
    assert_mask_rule();
    assert_invariants();
}

/* IRQD0013: the simulated controller, level-triggered. An asserted line
 * reaches the kernel only once bound; the entry masks it, so the run loop
 * makes no second entry; Ack with the device still asserting it unmasks
 * it, so the run loop delivers it again; deasserted, nothing comes. */
static void IRQD0013_level_triggered_line(void **state)
{
    (void)state;
    vesper_word ntfn;
    vesper_word badged = badged_notification(&ntfn);
    vesper_word handler = get_handler(9);
    host_irq_set(9, true);
    assert_int_equal(host_irq_next(), -1);
    bind(handler, badged);
    assert_false(host_irq_masked(9));
    assert_int_equal(host_irq_next(), 9);
    assert_non_null(kernel_entry_irq((unsigned)host_irq_next()));
    assert_true(host_irq_masked(9));
    assert_int_equal(host_irq_next(), -1);
    assert_int_equal(notification_at(ntfn)->word, BADGE);
    assert_int_equal(ack(NULL, handler), VESPER_OK);
    assert_false(host_irq_masked(9));
    assert_int_equal(host_irq_next(), 9); /* still asserted: raised again */
    kernel_entry_irq(9);
    assert_int_equal(irq(9)->raised, 2);
    assert_int_equal(host_irq_next(), -1);
    host_irq_set(9, false);
    assert_int_equal(ack(NULL, handler), VESPER_OK);
    assert_false(host_irq_masked(9));
    assert_int_equal(host_irq_next(), -1);
    assert_mask_rule();
    assert_invariants();
}

/* IRQD0014: once the kernel has shut down, the interrupt entry returns
 * NULL and changes nothing, whatever the line. */
static void IRQD0014_no_delivery_after_shutdown(void **state)
{
    (void)state;
    vesper_word ntfn;
    vesper_word badged = badged_notification(&ntfn);
    vesper_word handler = get_handler(1);
    bind(handler, badged);
    struct vesper_syscall_frame f;
    test_syscall(&f, VESPER_SYS_EXIT, 0, 0);
    assert_false(kernel_is_running());
    struct irq_snapshot before;
    snapshot(&before);
    const unsigned lines[] = {1, 2, HOST_IRQ_LINES, UINT32_MAX};
    for (unsigned i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        assert_null(kernel_entry_irq(lines[i]));
        assert_snapshot(&before);
    }
    assert_int_equal(notification_at(ntfn)->word, 0);
    assert_false(kernel_is_running());
    assert_null(kernel_current_context());
    assert_invariants();
}

/* A control block for the domain at slot, with entry and a stack. */
static struct vesper_control *give_block(vesper_word slot, vesper_word entry)
{
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word address = cap_address(slot_cap(frame));
    grant_frame(frame, VESPER_ROOT_SLOT_PDOM, RW);
    assert_int_equal(TEST_CALL(slot, domain_set_control_block, address), VESPER_OK);
    struct vesper_control *block = hal_kernel_pointer(address);
    block->entry = entry;
    block->stack_base = new_stack();
    block->stack_size = STACK_SIZE;
    return block;
}

/* IRQD0015: with a domain scheduler idle while the domain it dispatched
 * runs, an interrupt that wakes the driver writes RUNNABLE for the driver
 * and PREEMPTED for the interrupted domain, and upcalls the scheduler. */
static void IRQD0015_wakeup_by_interrupt_upcalls_the_scheduler(void **state)
{
    (void)state;
    vesper_word ntfn;
    vesper_word badged = badged_notification(&ntfn);
    vesper_word handler = get_handler(13);
    bind(handler, badged);
    struct domain *x = waiter_on(ntfn);
    vesper_word s_slot = make_domain(NO_CAP);
    struct vesper_control *block = give_block(s_slot, SCHED_ENTRY);
    vesper_word a_slot = make_domain(NO_CAP);
    struct domain *s = start_domain(s_slot);
    struct domain *a = start_domain(a_slot);
    yield_as(root_domain());
    assert_ptr_equal(kernel.current, s);
    assert_int_equal(test_invoke_msg(NULL, SCHED_CONTROL,
                                     vesper_sched_control_set_scheduler_msg()),
                     VESPER_OK);
    assert_int_equal(TEST_CALL(SCHED_CONTROL, sched_control_dispatch, a_slot, BUDGET), VESPER_OK);
    assert_ptr_equal(kernel.current, a);
    assert_true(kernel.scheduler_idle);
    assert_int_equal(block->event_head, 0);
    assert_int_equal(block->upcalls, 0);
    assert_invariants();

    assert_ptr_equal(kernel_entry_irq(13), &s->context);
    assert_ptr_equal(kernel.current, s);
    assert_true(host_irq_masked(13));
    assert_true(irq(13)->pending);
    assert_int_equal(x->state, DOMAIN_RUNNABLE);
    assert_int_equal(results_of(x).arg[6], BADGE);
    assert_int_equal(block->event_head, 2);
    assert_int_equal(block->event[0].kind, VESPER_EVENT_RUNNABLE);
    assert_int_equal(block->event[0].domain, hal_user_address(x));
    assert_int_equal(block->event[1].kind, VESPER_EVENT_PREEMPTED);
    assert_int_equal(block->event[1].domain, hal_user_address(a));
    assert_int_equal(block->upcalls, 1);
    assert_int_equal(block->reason, VESPER_UPCALL_SCHEDULE);
    assert_true(s->context.fresh);
    assert_int_equal(s->context.start_entry, SCHED_ENTRY);
    assert_false(kernel.scheduler_idle);
    assert_run_queue((struct domain *[]){root_domain(), x, a, NULL});
    assert_mask_rule();
    assert_invariants();
}

/* IRQD0016: the bound notification destroyed (its Untyped revoked) and
 * its memory retyped into an Endpoint at the same address, with a domain
 * waiting on it: an interrupt on the line touches the Endpoint not at all,
 * since the destruction emptied the binding. */
static void IRQD0016_no_signal_into_reused_memory(void **state)
{
    (void)state;
    vesper_word pool = make_object(VESPER_OBJECT_UNTYPED, 12);
    vesper_word ntfn = make_irq_notification_from(pool);
    uintptr_t address = cap_address(slot_cap(ntfn));
    vesper_word handler = get_handler(14);
    bind(handler, ntfn);
    assert_int_equal(revoke_slot(pool), VESPER_OK);
    assert_false(bound(14));
    vesper_word ep = make_object_from(pool, VESPER_OBJECT_ENDPOINT, 0);
    assert_int_equal(cap_address(slot_cap(ep)), address);
    struct domain *x = start_domain(make_domain(NO_CAP));
    hand_to(x);
    recv_as(x, ep, NO_CAP);
    assert_int_equal(x->state, DOMAIN_BLOCKED_RECV);
    struct endpoint before = *endpoint_at(ep);
    kernel_entry_irq(14);
    assert_true(irq(14)->pending);
    assert_true(host_irq_masked(14));
    assert_memory_equal(endpoint_at(ep), &before, sizeof before);
    assert_int_equal(x->state, DOMAIN_BLOCKED_RECV);
    assert_int_equal(header_type(slot_cap(ep)), CAP_ENDPOINT);
    assert_mask_rule();
    assert_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(IRQD0001_lines_start_masked, test_boot),
        cmocka_unit_test_setup(IRQD0002_mask_follows_claim_and_binding, test_boot),
        cmocka_unit_test_setup(IRQD0003_interrupt_wakes_the_waiting_driver, test_boot),
        cmocka_unit_test_setup(IRQD0004_interrupt_with_no_waiter_sets_the_word, test_boot),
        cmocka_unit_test_setup(IRQD0005_ack_needs_a_pending_interrupt, test_boot),
        cmocka_unit_test_setup(IRQD0006_ack_of_an_unbound_line_keeps_it_masked, test_boot),
        cmocka_unit_test_setup(IRQD0007_interrupt_on_an_unbound_line, test_boot),
        cmocka_unit_test_setup(IRQD0008_interrupt_on_an_unclaimed_line, test_boot),
        cmocka_unit_test_setup(IRQD0009_lines_out_of_range_are_spurious, test_boot),
        cmocka_unit_test_setup(IRQD0010_deleting_the_handler_forgets_a_pending_interrupt,
                               test_boot),
        cmocka_unit_test_setup(IRQD0011_revoking_the_binding_masks_the_line, test_boot),
        cmocka_unit_test_setup(IRQD0012_interrupt_after_the_binding_was_revoked, test_boot),
        cmocka_unit_test_setup(IRQD0013_level_triggered_line, test_boot),
        cmocka_unit_test_setup(IRQD0014_no_delivery_after_shutdown, test_boot),
        cmocka_unit_test_setup(IRQD0015_wakeup_by_interrupt_upcalls_the_scheduler, test_boot),
        cmocka_unit_test_setup(IRQD0016_no_signal_into_reused_memory, test_boot),
    };
    return cmocka_run_group_tests_name("irq_delivery", tests, NULL, NULL);
}

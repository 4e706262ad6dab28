/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The user-level domain scheduler's kernel side (core/sched/scheduler.c,
 * sched.c): SchedControl SetScheduler and Dispatch with each error, the
 * budget Dispatch arms, the events the kernel writes to the scheduler's
 * ring and when it upcalls it, IPC hand-offs that bypass it, the round
 * robin it falls back to, and a scheduler or budget owner that goes away.
 *
 * The world of most tests: a scheduler domain S with a control block, and
 * plain domains A and B, all sharing the root's CNode and PDom, started in
 * that order after the root.
 */
#include <string.h>

#include <vesper/control.h>

#include "ipc_support.h"

#include "kernel.h"

#define SCHED_CONTROL VESPER_ROOT_SLOT_SCHED_CONTROL
#define SCHED_ENTRY ((vesper_word)0x600000) /* never run: recorded only */
#define BUDGET ((vesper_word)200000)         /* not a quantum, to tell them apart */

/* The frame of the block give_block() made last. */
static vesper_word last_block_frame;

struct world {
    vesper_word s_slot, a_slot, b_slot;
    struct domain *root, *s, *a, *b;
    struct vesper_control *block; /* the scheduler's */
};

/* A control block for the domain at slot, in a new frame granted RW to
 * the root's PDom, with entry and an activation stack. */
static struct vesper_control *give_block(vesper_word slot, vesper_word entry)
{
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word address = cap_address(slot_cap(frame));
    grant_frame(frame, VESPER_ROOT_SLOT_PDOM, RW);
    assert_int_equal(TEST_CALL(slot, domain_set_control_block, address), VESPER_OK);
    last_block_frame = frame;
    struct vesper_control *block = hal_kernel_pointer(address);
    block->entry = entry;
    block->stack_base = new_stack();
    block->stack_size = STACK_SIZE;
    return block;
}

static struct world make_world(void)
{
    struct world w;
    w.root = root_domain();
    w.s_slot = make_domain(NO_CAP);
    w.block = give_block(w.s_slot, SCHED_ENTRY);
    w.a_slot = make_domain(NO_CAP);
    w.b_slot = make_domain(NO_CAP);
    w.s = start_domain(w.s_slot);
    w.a = start_domain(w.a_slot);
    w.b = start_domain(w.b_slot);
    return w;
}

/* Yield as whoever runs until d does. */
static void run_until(struct domain *d)
{
    for (int i = 0; i < 16 && kernel.current != d; i++)
        yield_as(kernel.current);
    assert_ptr_equal(kernel.current, d);
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

/* SetScheduler, as the current domain. */
static enum vesper_error set_scheduler(struct vesper_syscall_frame *f)
{
    return test_invoke_msg(f, SCHED_CONTROL, vesper_sched_control_set_scheduler_msg());
}

/* S becomes the scheduler. */
static void install(struct world *w)
{
    run_until(w->s);
    struct vesper_syscall_frame f;
    assert_int_equal(set_scheduler(&f), VESPER_OK);
    assert_error_words(&f, VESPER_OK, 0, 0, 0);
    assert_ptr_equal(kernel.scheduler, w->s);
    assert_false(kernel.scheduler_idle);
    assert_ptr_equal(kernel.current, w->s);
    assert_invariants();
}

#define dispatch(f, slot, budget) \
    TEST_CALL_FRAME(f, SCHED_CONTROL, sched_control_dispatch, slot, budget)

/* The scheduler, running, dispatches target (at slot) for BUDGET. */
static void dispatch_ok(struct world *w, vesper_word slot, struct domain *target)
{
    assert_ptr_equal(kernel.current, w->s);
    assert_int_equal(dispatch(NULL, slot, BUDGET), VESPER_OK);
    assert_ptr_equal(kernel.current, target);
    assert_true(kernel.scheduler_idle);
    assert_ptr_equal(kernel.budget_owner, target);
    assert_int_equal(kernel.dispatched_at_ns, hal_clock_now_ns());
    assert_int_equal(host_timer_deadline(), hal_clock_now_ns() + BUDGET);
    assert_invariants();
}

/* The timer ends whatever runs. */
static void expire(void)
{
    hal_timer_set_deadline(0);
    assert_non_null(kernel_entry_timer());
    assert_invariants();
}

/* Advance the clock by n kernel entries of the current domain. */
static void spend(unsigned n)
{
    struct vesper_syscall_frame f;
    for (unsigned i = 0; i < n; i++)
        test_identify(&f, NO_CAP);
}

/* Event i of the ring is kind about d (NULL: no domain), used_ns long. */
static void assert_event(const struct vesper_control *b, vesper_word i, vesper_word kind,
                         const struct domain *d, vesper_word used_ns)
{
    const struct vesper_sched_event *e = &b->event[i % VESPER_CONTROL_EVENTS];
    assert_true(i < b->event_head);
    assert_int_equal(e->kind, kind);
    assert_int_equal(e->domain, d != NULL ? hal_user_address(d) : 0);
    assert_true(e->time_ns <= hal_clock_now_ns());
    assert_int_equal(e->used_ns, used_ns);
}

/* S was upcalled to decide, for the n-th time: a fresh context at its
 * entry with SCHEDULE, on its own budget, its old context dropped. */
static void assert_scheduler_upcalled(const struct world *w, vesper_word n)
{
    const struct hal_context *c = &w->s->context;
    assert_ptr_equal(kernel.current, w->s);
    assert_true(c->fresh);
    assert_int_equal(c->start_entry, SCHED_ENTRY);
    assert_int_equal(c->start_arg & VESPER_UPCALL_REASON_MASK, VESPER_UPCALL_SCHEDULE);
    assert_int_equal(c->start_arg & ~(vesper_word)VESPER_UPCALL_REASON_MASK, w->s->control);
    assert_int_equal(c->stack_base, w->block->stack_base);
    assert_int_equal(w->block->disabled, 1);
    assert_int_equal(w->block->reason, VESPER_UPCALL_SCHEDULE);
    assert_int_equal(w->block->upcalls, n);
    assert_int_equal(w->block->now_ns, hal_clock_now_ns());
    assert_int_equal(host_timer_deadline(), hal_clock_now_ns() + KERNEL_SCHEDULER_BUDGET_NS);
    assert_false(kernel.scheduler_idle);
    assert_null(kernel.budget_owner);
    assert_int_equal(w->s->saved_valid, 0);
    assert_invariants();
}

/* DISPATCH0001: every label but SetScheduler and Dispatch is
 * ILLEGAL_OPERATION on SchedControl, changing nothing. */
static void DISPATCH0001_unknown_labels_are_illegal(void **state)
{
    (void)state;
    struct vesper_syscall_frame f;
    for (vesper_word label = 0; label <= VESPER_INVOCATION_LABEL_MAX + 1; label++) {
        if (label == VESPER_SCHED_CONTROL_SET_SCHEDULER || label == VESPER_SCHED_CONTROL_DISPATCH)
            continue;
        assert_int_equal(test_invoke(&f, SCHED_CONTROL, label, 0, NULL),
                         VESPER_ERR_ILLEGAL_OPERATION);
        assert_error_words(&f, VESPER_ERR_ILLEGAL_OPERATION, 0, 0, 0);
    }
    assert_null(kernel.scheduler);
    assert_ptr_equal(kernel.current, root_domain());
    assert_invariants();
}

/* DISPATCH0002: SetScheduler needs a usable block with an entry; the
 * caller then goes on running and the round robin decides until its
 * first Dispatch, while events already reach its ring. Another domain may
 * take over. */
static void DISPATCH0002_set_scheduler(void **state)
{
    (void)state;
    struct vesper_syscall_frame f;
    assert_int_equal(set_scheduler(&f), VESPER_ERR_ILLEGAL_OPERATION); /* no block */
    assert_error_words(&f, VESPER_ERR_ILLEGAL_OPERATION, 0, 0, 0);
    struct vesper_control *root_block = give_block(VESPER_ROOT_SLOT_DOMAIN, 0);
    assert_int_equal(set_scheduler(&f), VESPER_ERR_ILLEGAL_OPERATION); /* no entry */
    root_block->entry = SCHED_ENTRY;
    assert_int_equal(test_invoke_msg(NULL, last_block_frame, vesper_frame_ungrant_msg()),
                     VESPER_OK);
    grant_frame(last_block_frame, VESPER_ROOT_SLOT_PDOM, VESPER_FRAME_READ);
    assert_int_equal(set_scheduler(&f), VESPER_ERR_ILLEGAL_OPERATION); /* not writable */
    assert_null(kernel.scheduler);
    assert_int_equal(root_block->upcalls, 0);
    assert_invariants();

    struct world w = make_world();
    struct vesper_control *b_block = give_block(w.b_slot, SCHED_ENTRY + 0x10);
    install(&w);
    yield_as(w.s); /* no Dispatch yet: the round robin, and no upcall */
    assert_ptr_equal(kernel.current, w.a);
    assert_run_queue((struct domain *[]){w.b, w.root, w.s, NULL});
    assert_int_equal(w.block->upcalls, 0);
    assert_int_equal(w.block->event_head, 0); /* nothing about itself */
    yield_as(w.a);
    assert_ptr_equal(kernel.current, w.b);
    assert_int_equal(w.block->event_head, 1);
    assert_event(w.block, 0, VESPER_EVENT_YIELDED, w.a, 0);
    assert_int_equal(set_scheduler(&f), VESPER_OK);
    assert_ptr_equal(kernel.scheduler, w.b);
    yield_as(w.b);
    assert_int_equal(w.block->event_head, 1);
    assert_int_equal(b_block->event_head, 0);
    assert_invariants();
}

/* DISPATCH0003: Dispatch's errors in order, each changing nothing: too
 * few words, a CPtr that does not resolve, a capability that is no
 * Domain, a budget out of range, and a domain that cannot be dispatched:
 * never started, blocked, stopped, the caller, the idle scheduler. */
static void DISPATCH0003_dispatch_errors_in_order(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word inactive = make_domain(NO_CAP);
    vesper_word blocked_slot = make_domain(NO_CAP);
    vesper_word stopped_slot = make_domain(NO_CAP);
    struct domain *blocked = start_domain(blocked_slot);
    struct domain *stopped = start_domain(stopped_slot);
    struct world w = make_world();
    run_until(blocked);
    recv_as(blocked, ep, NO_CAP);
    run_until(stopped);
    syscall_as(stopped, VESPER_SYS_EXIT, (struct ipc_args){0});
    install(&w);
    uint64_t deadline = host_timer_deadline();
    struct vesper_syscall_frame f;
    const vesper_word one_word[1] = {w.a_slot};
    assert_int_equal(test_invoke(&f, SCHED_CONTROL, VESPER_SCHED_CONTROL_DISPATCH, 0, NULL),
                     VESPER_ERR_TRUNCATED_MESSAGE);
    assert_int_equal(test_invoke(&f, SCHED_CONTROL, VESPER_SCHED_CONTROL_DISPATCH, 1, one_word),
                     VESPER_ERR_TRUNCATED_MESSAGE);
    assert_error_words(&f, VESPER_ERR_TRUNCATED_MESSAGE, 0, 0, 0);
    assert_int_equal(dispatch(&f, UNREACHABLE, 0), VESPER_ERR_FAILED_LOOKUP);
    assert_int_equal(f.arg[3], 1);
    assert_int_equal(dispatch(&f, ep, 0), VESPER_ERR_INVALID_CAPABILITY);
    assert_error_words(&f, VESPER_ERR_INVALID_CAPABILITY, 1, 0, 0);
    assert_int_equal(dispatch(&f, SCHED_CONTROL, 0), VESPER_ERR_INVALID_CAPABILITY);
    const vesper_word bad_budgets[] = {0, KERNEL_BUDGET_MIN_NS - 1, KERNEL_BUDGET_MAX_NS + 1,
                                       ~(vesper_word)0};
    for (size_t i = 0; i < sizeof bad_budgets / sizeof bad_budgets[0]; i++) {
        assert_int_equal(dispatch(&f, w.a_slot, bad_budgets[i]), VESPER_ERR_RANGE);
        assert_error_words(&f, VESPER_ERR_RANGE, KERNEL_BUDGET_MIN_NS, KERNEL_BUDGET_MAX_NS, 0);
        assert_int_equal(dispatch(&f, blocked_slot, bad_budgets[i]), VESPER_ERR_RANGE);
    }
    const vesper_word cannot[] = {inactive, blocked_slot, stopped_slot, w.s_slot};
    for (size_t i = 0; i < sizeof cannot / sizeof cannot[0]; i++) {
        assert_int_equal(dispatch(&f, cannot[i], BUDGET), VESPER_ERR_ILLEGAL_OPERATION);
        assert_error_words(&f, VESPER_ERR_ILLEGAL_OPERATION, 0, 0, 0);
    }
    assert_ptr_equal(kernel.current, w.s);
    assert_false(kernel.scheduler_idle);
    assert_null(kernel.budget_owner);
    assert_int_equal(host_timer_deadline(), deadline);
    assert_int_equal(w.block->upcalls, 0);
    assert_invariants();
    /* The idle scheduler, dispatched by another holder of SchedControl. */
    dispatch_ok(&w, VESPER_ROOT_SLOT_DOMAIN, w.root);
    struct domain *queue_before = kernel.run_queue.head;
    assert_int_equal(dispatch(&f, w.s_slot, BUDGET), VESPER_ERR_ILLEGAL_OPERATION);
    assert_ptr_equal(kernel.current, w.root);
    assert_true(kernel.scheduler_idle);
    assert_ptr_equal(kernel.run_queue.head, queue_before);
    assert_int_equal(host_timer_deadline(), kernel.dispatched_at_ns + BUDGET);
    /* The edges of the range are accepted. */
    assert_int_equal(dispatch(&f, w.a_slot, KERNEL_BUDGET_MAX_NS), VESPER_OK);
    assert_int_equal(host_timer_deadline(), hal_clock_now_ns() + KERNEL_BUDGET_MAX_NS);
    assert_int_equal(dispatch(&f, w.b_slot, KERNEL_BUDGET_MIN_NS), VESPER_OK);
    assert_ptr_equal(kernel.current, w.b);
    assert_int_equal(host_timer_deadline(), hal_clock_now_ns() + KERNEL_BUDGET_MIN_NS);
    assert_invariants();
}

/* DISPATCH0004: the dispatched domain runs now on its budget and the
 * scheduler idles on no queue, its Dispatch answered OK. When the budget
 * runs out: a BUDGET event with the time used, the domain goes to the
 * back of the queue, and the scheduler is upcalled afresh (it has nothing
 * saved to Resume). */
static void DISPATCH0004_dispatch_then_budget_expiry(void **state)
{
    (void)state;
    struct world w = make_world();
    install(&w);
    dispatch_ok(&w, w.a_slot, w.a);
    assert_run_queue((struct domain *[]){w.b, w.root, NULL});
    assert_int_equal(results_of(w.s).arg[0], VESPER_OK);
    assert_int_equal(w.block->event_head, 0);
    spend(3);
    expire();
    assert_int_equal(w.block->event_head, 1);
    assert_event(w.block, 0, VESPER_EVENT_BUDGET, w.a, 3 * HOST_ENTRY_COST_NS);
    assert_int_equal(w.block->event[0].time_ns, hal_clock_now_ns());
    assert_int_equal(w.block->event[0].domain, cap_address(slot_cap(w.a_slot)));
    assert_scheduler_upcalled(&w, 1);
    assert_run_queue((struct domain *[]){w.b, w.root, w.a, NULL});
    struct vesper_syscall_frame f = syscall_as(w.s, VESPER_SYS_RESUME, (struct ipc_args){0});
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    dispatch_ok(&w, w.a_slot, w.a);
}

/* DISPATCH0005: the dispatched domain blocks with no partner to run, or
 * yields: a BLOCKED or YIELDED event with the time used, and an upcall.
 * Neither is a preemption: no upcall of its own is pending. */
static void DISPATCH0005_block_or_yield_upcalls_the_scheduler(void **state)
{
    for (int yield = 0; yield < 2; yield++) {
        if (yield)
            test_boot(state);
        vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
        struct world w = make_world();
        give_block(w.a_slot, SCHED_ENTRY + 0x20);
        install(&w);
        dispatch_ok(&w, w.a_slot, w.a);
        spend(2);
        if (yield)
            yield_as(w.a);
        else
            recv_as(w.a, ep, NO_CAP);
        assert_int_equal(w.block->event_head, 1);
        assert_event(w.block, 0, yield ? VESPER_EVENT_YIELDED : VESPER_EVENT_BLOCKED, w.a,
                     3 * HOST_ENTRY_COST_NS);
        assert_scheduler_upcalled(&w, 1);
        assert_run_queue(yield ? (struct domain *[]){w.b, w.root, w.a, NULL}
                               : (struct domain *[]){w.b, w.root, NULL});
        assert_int_equal(w.a->upcall_pending, 0);
    }
}

/* DISPATCH0006: a wakeup while a dispatched domain runs: RUNNABLE for the
 * woken domain, PREEMPTED for the one that ran, and the scheduler is
 * upcalled. Taken against its will, the dispatched domain (activations
 * enabled) gets its PREEMPTED upcall when next dispatched. */
static void DISPATCH0006_wakeup_preempts_and_upcalls(void **state)
{
    (void)state;
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word badged = mint_cap(ntfn, VESPER_RIGHTS_ALL, 4);
    struct domain *x = waiter_on(ntfn);
    struct world w = make_world();
    struct vesper_control *a_block = give_block(w.a_slot, SCHED_ENTRY + 0x20);
    install(&w);
    dispatch_ok(&w, w.a_slot, w.a);
    syscall_as(w.a, VESPER_SYS_SEND, (struct ipc_args){.cptr = badged});
    assert_int_equal(w.block->event_head, 2);
    assert_event(w.block, 0, VESPER_EVENT_RUNNABLE, x, 0);
    assert_event(w.block, 1, VESPER_EVENT_PREEMPTED, w.a, HOST_ENTRY_COST_NS);
    assert_scheduler_upcalled(&w, 1);
    assert_int_equal(results_of(x).arg[6], 4);
    assert_run_queue((struct domain *[]){w.b, w.root, x, w.a, NULL});
    assert_int_equal(w.a->upcall_pending, VESPER_UPCALL_PREEMPTED);
    dispatch_ok(&w, w.a_slot, w.a);
    assert_true(w.a->context.fresh);
    assert_int_equal(w.a->context.start_entry, SCHED_ENTRY + 0x20);
    assert_int_equal(w.a->context.start_arg & VESPER_UPCALL_REASON_MASK,
                     VESPER_UPCALL_PREEMPTED);
    assert_int_equal(w.a->saved_valid, 1);
    assert_int_equal(a_block->upcalls, 1);
    assert_invariants();
}

/* DISPATCH0007: a Call to a waiting server hands the CPU over without the
 * scheduler: no event stays in the ring (the general path takes back the
 * one it wrote), no upcall, and the budget and its deadline go on; the
 * reply hands it back the same way. On both paths. */
static void DISPATCH0007_call_hands_off_on_the_budget(void **state)
{
    for (int general = 0; general < 2; general++) {
        if (general)
            test_boot(state);
        kernel.fastpath_disabled = general;
        vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
        vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
        struct world w = make_world();
        run_until(w.b);
        recv_as(w.b, ep, reply);
        install(&w);
        dispatch_ok(&w, w.a_slot, w.a);
        uint64_t deadline = host_timer_deadline();
        syscall_as(w.a, VESPER_SYS_CALL,
                   (struct ipc_args){.cptr = ep, .tag = vesper_tag(0, 1, 0), .msg = {7}});
        assert_ptr_equal(kernel.current, w.b);
        assert_int_equal(results_of(w.b).arg[2], 7);
        assert_int_equal(w.block->event_head, 0);
        assert_int_equal(w.block->upcalls, 0);
        assert_true(kernel.scheduler_idle);
        assert_ptr_equal(kernel.budget_owner, w.a);
        assert_int_equal(host_timer_deadline(), deadline);
        syscall_as(w.b, VESPER_SYS_REPLY_RECV,
                   (struct ipc_args){.cptr = ep, .tag = vesper_tag(0, 1, 0), .msg = {8},
                                     .reply = reply});
        assert_ptr_equal(kernel.current, w.a);
        assert_int_equal(results_of(w.a).arg[2], 8);
        assert_int_equal(w.block->event_head, 0);
        assert_int_equal(host_timer_deadline(), deadline);
        expire();
        assert_event(w.block, 0, VESPER_EVENT_BUDGET, w.a, 2 * HOST_ENTRY_COST_NS);
        assert_scheduler_upcalled(&w, 1);
    }
}

/* DISPATCH0008: the scheduler's own budget runs out: it is queued like
 * any domain (the missed upcall recorded, no event about itself), the
 * round robin runs the others with slices, events still reach its ring,
 * and its next Dispatch makes it idle again. */
static void DISPATCH0008_scheduler_budget_expiry_falls_back(void **state)
{
    (void)state;
    struct world w = make_world();
    install(&w);
    dispatch_ok(&w, w.a_slot, w.a);
    yield_as(w.a);
    assert_scheduler_upcalled(&w, 1);
    expire();
    assert_ptr_equal(kernel.current, w.b);
    assert_int_equal(host_timer_deadline(), hal_clock_now_ns() + KERNEL_QUANTUM_NS);
    assert_false(kernel.scheduler_idle);
    assert_run_queue((struct domain *[]){w.root, w.a, w.s, NULL});
    assert_int_equal(w.block->event_head, 1);
    assert_int_equal(w.block->missed, (vesper_word)1 << VESPER_UPCALL_PREEMPTED);
    yield_as(w.b); /* an event, but no upcall: the scheduler is not idle */
    assert_ptr_equal(kernel.current, w.root);
    assert_event(w.block, 1, VESPER_EVENT_YIELDED, w.b, 0);
    assert_int_equal(w.block->upcalls, 1);
    run_until(w.s); /* the handler it was upcalled in goes on */
    assert_int_equal(w.s->context.start_entry, SCHED_ENTRY);
    assert_int_equal(w.s->upcall_pending, 0);
    assert_int_equal(w.block->upcalls, 1);
    dispatch_ok(&w, w.b_slot, w.b);
    yield_as(w.b);
    assert_scheduler_upcalled(&w, 2);
}

/* DISPATCH0009: a full ring drops events and counts them, and the
 * scheduler is still upcalled; once it takes one, the next goes in.
 * Indices the domain made nonsense of are survived: a tail past the head
 * counts the event lost, and indices at the top of the word wrap. */
static void DISPATCH0009_ring_limits(void **state)
{
    (void)state;
    struct world w = make_world();
    install(&w);
    for (vesper_word i = 0; i <= VESPER_CONTROL_EVENTS; i++) {
        dispatch_ok(&w, w.a_slot, w.a);
        yield_as(w.a);
        assert_scheduler_upcalled(&w, i + 1);
    }
    assert_int_equal(w.block->event_head, VESPER_CONTROL_EVENTS);
    assert_int_equal(w.block->events_lost, 1);
    for (vesper_word i = 0; i < VESPER_CONTROL_EVENTS; i++)
        assert_event(w.block, i, VESPER_EVENT_YIELDED, w.a, HOST_ENTRY_COST_NS);
    uint64_t first = w.block->event[0].time_ns;
    w.block->event_tail = 1;
    dispatch_ok(&w, w.a_slot, w.a);
    yield_as(w.a);
    assert_int_equal(w.block->event_head, VESPER_CONTROL_EVENTS + 1);
    assert_true(w.block->event[0].time_ns > first);
    w.block->event_tail = VESPER_CONTROL_EVENTS + 11; /* ahead of the head */
    dispatch_ok(&w, w.a_slot, w.a);
    yield_as(w.a);
    assert_int_equal(w.block->event_head, VESPER_CONTROL_EVENTS + 1);
    assert_int_equal(w.block->events_lost, 2);
    w.block->event_head = ~(vesper_word)0;
    w.block->event_tail = ~(vesper_word)0 - 1;
    dispatch_ok(&w, w.a_slot, w.a);
    yield_as(w.a);
    assert_int_equal(w.block->event_head, 0);
    assert_int_equal(w.block->event[VESPER_CONTROL_EVENTS - 1].kind, VESPER_EVENT_YIELDED);
    assert_int_equal(w.block->events_lost, 2);
    assert_scheduler_upcalled(&w, VESPER_CONTROL_EVENTS + 4);
}

/* DISPATCH0010: Dispatch of an empty slot lets the round robin run the
 * next queued domain for the budget (not a slice); when it ends the
 * scheduler hears of it and is upcalled. */
static void DISPATCH0010_empty_slot_runs_the_round_robin(void **state)
{
    (void)state;
    struct world w = make_world();
    install(&w);
    assert_run_queue((struct domain *[]){w.a, w.b, w.root, NULL});
    assert_int_equal(dispatch(NULL, NO_CAP, BUDGET), VESPER_OK);
    assert_ptr_equal(kernel.current, w.a);
    assert_true(kernel.scheduler_idle);
    assert_int_equal(host_timer_deadline(), hal_clock_now_ns() + BUDGET);
    assert_run_queue((struct domain *[]){w.b, w.root, NULL});
    assert_invariants();
    spend(1);
    expire();
    assert_event(w.block, 0, VESPER_EVENT_BUDGET, w.a, 0); /* dispatched by no name */
    assert_scheduler_upcalled(&w, 1);
}

/* DISPATCH0011: a scheduler that exits is uninstalled and the round robin
 * takes over with slices, writing no more events; an idle scheduler
 * destroyed leaves no trace either. */
static void DISPATCH0011_scheduler_gone_uninstalls_it(void **state)
{
    (void)state;
    struct world w = make_world();
    install(&w);
    dispatch_ok(&w, w.a_slot, w.a);
    yield_as(w.a);
    assert_scheduler_upcalled(&w, 1);
    syscall_as(w.s, VESPER_SYS_EXIT, (struct ipc_args){0});
    assert_null(kernel.scheduler);
    assert_false(kernel.scheduler_idle);
    assert_ptr_equal(kernel.current, w.b);
    assert_int_equal(host_timer_deadline(), hal_clock_now_ns() + KERNEL_QUANTUM_NS);
    vesper_word head = w.block->event_head;
    yield_as(w.b);
    assert_int_equal(w.block->event_head, head);
    assert_invariants();

    test_boot(state);
    w = make_world();
    install(&w);
    dispatch_ok(&w, VESPER_ROOT_SLOT_DOMAIN, w.root);
    assert_int_equal(delete_slot(w.s_slot), VESPER_OK);
    assert_null(kernel.scheduler);
    assert_false(kernel.scheduler_idle);
    assert_ptr_equal(kernel.current, w.root);
    assert_invariants();
    yield_as(w.root);
    assert_ptr_equal(kernel.current, w.a);
    assert_int_equal(host_timer_deadline(), hal_clock_now_ns() + KERNEL_QUANTUM_NS);
    assert_int_equal(w.block->event_head, 0);
    assert_invariants();
}

/* DISPATCH0012: destroying the budget owner while its server runs clears
 * the budget; the timer then ends the server's time with nothing used. */
static void DISPATCH0012_destroying_the_budget_owner(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    struct world w = make_world();
    run_until(w.b);
    recv_as(w.b, ep, reply);
    install(&w);
    dispatch_ok(&w, w.a_slot, w.a);
    syscall_as(w.a, VESPER_SYS_CALL, (struct ipc_args){.cptr = ep, .tag = vesper_tag(0, 1, 0)});
    assert_ptr_equal(kernel.current, w.b);
    assert_ptr_equal(kernel.budget_owner, w.a);
    assert_int_equal(delete_slot(w.a_slot), VESPER_OK);
    assert_null(kernel.budget_owner);
    assert_ptr_equal(kernel.current, w.b);
    assert_invariants();
    expire();
    assert_event(w.block, 0, VESPER_EVENT_BUDGET, w.b, 0);
    assert_scheduler_upcalled(&w, 1);
}

/* One run of a fixed sequence; the ring's words afterwards. */
static void scripted_run(void **state, struct vesper_control *out)
{
    test_boot(state);
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct world w = make_world();
    install(&w);
    dispatch_ok(&w, w.a_slot, w.a);
    spend(2);
    yield_as(w.a);
    dispatch_ok(&w, w.b_slot, w.b);
    recv_as(w.b, ep, NO_CAP);
    dispatch_ok(&w, w.a_slot, w.a);
    syscall_as(w.a, VESPER_SYS_SEND, (struct ipc_args){.cptr = ep, .tag = vesper_tag(0, 0, 0)});
    dispatch_ok(&w, VESPER_ROOT_SLOT_DOMAIN, w.root);
    spend(5);
    expire();
    assert_ptr_equal(kernel.current, w.s);
    memcpy(out, w.block, sizeof *out);
}

/* DISPATCH0013: the same sequence gives the same events, times and all. */
static void DISPATCH0013_same_run_same_events(void **state)
{
    static struct vesper_control first, second;
    scripted_run(state, &first);
    scripted_run(state, &second);
    assert_true(first.event_head >= 5);
    assert_int_equal(first.event[0].kind, VESPER_EVENT_YIELDED);
    assert_memory_equal(&first, &second, sizeof first);
    assert_invariants();
}

/* DISPATCH0014: the idle scheduler's block removed: the next decision
 * cannot upcall it, so it is queued as a plain domain and the round
 * robin decides. */
static void DISPATCH0014_scheduler_block_removed(void **state)
{
    (void)state;
    struct world w = make_world();
    install(&w);
    dispatch_ok(&w, VESPER_ROOT_SLOT_DOMAIN, w.root);
    assert_int_equal(TEST_CALL(w.s_slot, domain_set_control_block, 0), VESPER_OK);
    yield_as(w.root);
    assert_ptr_equal(kernel.current, w.a);
    assert_ptr_equal(kernel.scheduler, w.s);
    assert_false(kernel.scheduler_idle);
    assert_run_queue((struct domain *[]){w.b, w.root, w.s, NULL});
    assert_int_equal(host_timer_deadline(), hal_clock_now_ns() + KERNEL_QUANTUM_NS);
    assert_int_equal(w.block->event_head, 0);
    run_until(w.s);
    assert_int_equal(results_of(w.s).arg[0], VESPER_OK); /* its Dispatch's answer */
    assert_int_equal(w.s->context.start_entry, DOMAIN_ENTRY);
    assert_invariants();
}

/* DISPATCH0015: with no scheduler, any holder of SchedControl may
 * Dispatch: the target runs for the budget, the caller waits at the back,
 * and the round robin goes on afterwards with slices. */
static void DISPATCH0015_dispatch_without_a_scheduler(void **state)
{
    (void)state;
    struct world w = make_world();
    assert_int_equal(dispatch(NULL, w.b_slot, 5000), VESPER_OK);
    assert_ptr_equal(kernel.current, w.b);
    assert_ptr_equal(kernel.budget_owner, w.b);
    assert_int_equal(host_timer_deadline(), hal_clock_now_ns() + 5000);
    assert_run_queue((struct domain *[]){w.s, w.a, w.root, NULL});
    assert_false(kernel.scheduler_idle);
    assert_invariants();
    expire();
    assert_ptr_equal(kernel.current, w.s);
    assert_int_equal(host_timer_deadline(), hal_clock_now_ns() + KERNEL_QUANTUM_NS);
    assert_run_queue((struct domain *[]){w.a, w.root, w.b, NULL});
    assert_int_equal(w.block->event_head, 0);
    assert_invariants();
}

/* DISPATCH0016: Dispatch of an empty slot when no other domain can run
 * leaves the kernel running: the scheduler itself is runnable. */
static void DISPATCH0016_empty_slot_with_nothing_else_runnable(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word s_slot = make_domain(NO_CAP);
    struct vesper_control *block = give_block(s_slot, SCHED_ENTRY);
    struct domain *s = start_domain(s_slot);
    run_until(s);
    assert_int_equal(set_scheduler(NULL), VESPER_OK);
    yield_as(s);
    recv_as(root_domain(), ep, NO_CAP); /* the root blocks; only s can run */
    assert_ptr_equal(kernel.current, s);
    assert_int_equal(block->event_head, 1);
    assert_int_equal(dispatch(NULL, NO_CAP, BUDGET), VESPER_OK);
    if (!kernel_is_running())
        fail_msg("the kernel stopped%s",
                 strstr(test_console, "no domain can run") ? ": no domain can run" : "");
    assert_non_null(kernel.current);
    assert_invariants();
}

/* DISPATCH0017: SetScheduler while another scheduler idles: the old one
 * is replaced and goes back among the runnable domains (queued), so the
 * kernel's run state stays whole. */
static void DISPATCH0017_replacing_an_idle_scheduler(void **state)
{
    (void)state;
    struct world w = make_world();
    give_block(w.a_slot, SCHED_ENTRY + 0x20);
    install(&w);
    dispatch_ok(&w, w.a_slot, w.a);
    assert_int_equal(set_scheduler(NULL), VESPER_OK);
    assert_ptr_equal(kernel.scheduler, w.a);
    assert_false(kernel.scheduler_idle);
    assert_int_equal(w.s->state, DOMAIN_RUNNABLE);
    assert_invariants();
}

/* DISPATCH0018: a dispatched domain that exits stopped with no partner to
 * run: a BLOCKED event. Stopping gave up its budget, so the event says 0
 * for the time it ran (<vesper/control.h>: a stopped domain holds none). */
static void DISPATCH0018_exit_of_the_dispatched_domain(void **state)
{
    (void)state;
    struct world w = make_world();
    install(&w);
    dispatch_ok(&w, w.a_slot, w.a);
    spend(2);
    syscall_as(w.a, VESPER_SYS_EXIT, (struct ipc_args){0});
    assert_int_equal(w.a->state, DOMAIN_STOPPED);
    assert_null(kernel.budget_owner);
    assert_scheduler_upcalled(&w, 1);
    assert_int_equal(w.block->event_head, 1);
    assert_event(w.block, 0, VESPER_EVENT_BLOCKED, w.a, 0);
    assert_invariants();
}

/* DISPATCH0019: a wakeup whose event finds the ring full is counted lost,
 * but still needs a decision: the idle scheduler is upcalled (and learns
 * from events_lost that it missed something). The ring is made full by
 * its indices alone. */
static void DISPATCH0019_wakeup_with_a_full_ring_still_upcalls(void **state)
{
    (void)state;
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    struct domain *x = waiter_on(ntfn);
    struct world w = make_world();
    install(&w);
    w.block->event_head = VESPER_CONTROL_EVENTS;
    dispatch_ok(&w, w.a_slot, w.a);
    syscall_as(w.a, VESPER_SYS_SEND, (struct ipc_args){.cptr = ntfn});
    assert_int_equal(x->state, DOMAIN_RUNNABLE);
    assert_true(w.block->events_lost >= 1);
    assert_int_equal(w.block->event_head, VESPER_CONTROL_EVENTS);
    assert_ptr_equal(kernel.current, w.s);
    assert_scheduler_upcalled(&w, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(DISPATCH0001_unknown_labels_are_illegal, test_boot),
        cmocka_unit_test_setup(DISPATCH0002_set_scheduler, test_boot),
        cmocka_unit_test_setup(DISPATCH0003_dispatch_errors_in_order, test_boot),
        cmocka_unit_test_setup(DISPATCH0004_dispatch_then_budget_expiry, test_boot),
        cmocka_unit_test_setup(DISPATCH0005_block_or_yield_upcalls_the_scheduler, test_boot),
        cmocka_unit_test_setup(DISPATCH0006_wakeup_preempts_and_upcalls, test_boot),
        cmocka_unit_test_setup(DISPATCH0007_call_hands_off_on_the_budget, test_boot),
        cmocka_unit_test_setup(DISPATCH0008_scheduler_budget_expiry_falls_back, test_boot),
        cmocka_unit_test_setup(DISPATCH0009_ring_limits, test_boot),
        cmocka_unit_test_setup(DISPATCH0010_empty_slot_runs_the_round_robin, test_boot),
        cmocka_unit_test_setup(DISPATCH0011_scheduler_gone_uninstalls_it, test_boot),
        cmocka_unit_test_setup(DISPATCH0012_destroying_the_budget_owner, test_boot),
        cmocka_unit_test_setup(DISPATCH0013_same_run_same_events, NULL),
        cmocka_unit_test_setup(DISPATCH0014_scheduler_block_removed, test_boot),
        cmocka_unit_test_setup(DISPATCH0015_dispatch_without_a_scheduler, test_boot),
        cmocka_unit_test_setup(DISPATCH0016_empty_slot_with_nothing_else_runnable, test_boot),
        cmocka_unit_test_setup(DISPATCH0017_replacing_an_idle_scheduler, test_boot),
        cmocka_unit_test_setup(DISPATCH0018_exit_of_the_dispatched_domain, test_boot),
        cmocka_unit_test_setup(DISPATCH0019_wakeup_with_a_full_ring_still_upcalls, test_boot),
    };
    return cmocka_run_group_tests_name("dispatch", tests, NULL, NULL);
}

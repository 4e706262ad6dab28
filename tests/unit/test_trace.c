/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The kernel's trace (core/interface/kernel_trace.h): which events a
 * syscall gives, in which order and with what in them, on the fast path
 * and the general one alike; the refusing function's name; the categories
 * filter what reaches the sink; a trace that is off never calls the sink;
 * capabilities carried, faults, and syscalls that stop their caller or stop
 * at a preemption point.
 */
#include "ipc_support.h"
#include "kernel_trace.h"
#include "preempt.h"

#define EVENTS_MAX 64

static struct kernel_trace_event events[EVENTS_MAX];
static size_t event_count;

static void record(const struct kernel_trace_event *e)
{
    assert_true(event_count < EVENTS_MAX);
    events[event_count++] = *e;
}

static void trace_from_now(unsigned categories)
{
    event_count = 0;
    kernel_trace_set(categories, record);
}

static int trace_teardown(void **state)
{
    (void)state;
    kernel_trace_set(0, NULL);
    return 0;
}

/* The first recorded event of kind, which must be there. */
static const struct kernel_trace_event *event_of(unsigned kind)
{
    for (size_t i = 0; i < event_count; i++)
        if (events[i].kind == kind)
            return &events[i];
    fail_msg("no event of kind %u among %zu", kind, event_count);
    return NULL;
}

static uintptr_t user(const void *object)
{
    return hal_user_address(object);
}

/* A server blocked receiving on ep with a Reply object, the root current. */
struct pair {
    struct domain *root, *server;
    vesper_word ep, badged, reply;
};

static struct pair pair_setup(void)
{
    struct pair p;
    p.root = root_domain();
    p.ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    p.badged = mint_cap(p.ep, RW, 0x77);
    p.reply = make_object(VESPER_OBJECT_REPLY, 0);
    p.server = new_started_domain(NO_CAP, false);
    hand_to(p.server);
    recv_as(p.server, p.ep, p.reply);
    assert_ptr_equal(kernel.current, p.root);
    return p;
}

/* A Call and its answer give, on either path, the message, the caller's
 * wait, the switch and the syscall's own event, which says how it ended. */
static void check_round_trip(bool fast)
{
    struct pair p = pair_setup();
    kernel.fastpath_disabled = !fast;
    trace_from_now(KERNEL_TRACE_ALL);
    syscall_as(p.root, VESPER_SYS_CALL,
               (struct ipc_args){.cptr = p.badged, .tag = vesper_tag(5, 2, 0), .msg = {40, 41}});
    const struct kernel_trace_event *m = event_of(KERNEL_TRACE_IPC_MESSAGE);
    assert_int_equal(m->category, KERNEL_TRACE_IPC);
    assert_int_equal(m->domain, user(p.root));
    assert_int_equal(m->other, user(p.server));
    assert_int_equal(m->object, user(endpoint_at(p.ep)));
    assert_int_equal(vesper_tag_label(m->in[0]), 5);
    assert_int_equal(vesper_tag_length(m->in[0]), 2);
    assert_int_equal(m->in[1], 40);
    assert_int_equal(m->in[5], 0x77);
    assert_true(m->in[6] & KERNEL_TRACE_MESSAGE_CALL);
    const struct kernel_trace_event *w = event_of(KERNEL_TRACE_IPC_BLOCK);
    assert_int_equal(w->number, KERNEL_TRACE_WAIT_REPLY);
    assert_int_equal(w->object, user(reply_at(p.reply)));
    const struct kernel_trace_event *s = event_of(KERNEL_TRACE_SWITCH);
    assert_int_equal(s->domain, user(p.root));
    assert_int_equal(s->other, user(p.server));
    const struct kernel_trace_event *c = event_of(KERNEL_TRACE_SYSCALL_END);
    assert_int_equal(c->number, VESPER_SYS_CALL);
    assert_int_equal(c->outcome, fast ? KERNEL_TRACE_FASTPATH : KERNEL_TRACE_BLOCKED);
    assert_int_equal(c->in[0], p.badged);
    assert_int_equal(c->invoked, KERNEL_TRACE_NO_OBJECT); /* IPC, not an invocation */
    assert_true(c == &events[event_count - 1] || events[event_count - 1].kind == KERNEL_TRACE_SWITCH);

    trace_from_now(KERNEL_TRACE_ALL);
    syscall_as(p.server, VESPER_SYS_REPLY_RECV,
               (struct ipc_args){.cptr = p.ep, .tag = vesper_tag(0, 1, 0), .msg = {9},
                                 .reply = p.reply});
    m = event_of(KERNEL_TRACE_IPC_MESSAGE);
    assert_int_equal(m->object, 0); /* an answer goes through no endpoint */
    assert_int_equal(m->other, user(p.root));
    assert_int_equal(m->in[1], 9);
    assert_int_equal(event_of(KERNEL_TRACE_IPC_BLOCK)->number, KERNEL_TRACE_WAIT_RECEIVE);
    assert_int_equal(event_of(KERNEL_TRACE_SWITCH)->other, user(p.root));
    c = event_of(KERNEL_TRACE_SYSCALL_END);
    assert_int_equal(c->outcome, fast ? KERNEL_TRACE_FASTPATH : KERNEL_TRACE_BLOCKED);
}

static void TRACE0001_fast_path_round_trip(void **state)
{
    (void)state;
    check_round_trip(true);
}

static void TRACE0002_general_path_round_trip(void **state)
{
    (void)state;
    check_round_trip(false);
}

/* An invocation's event names the object and its message; a refused one
 * names the error, its words and the function that refused it. */
static void TRACE0003_invocations_and_refusals(void **state)
{
    (void)state;
    trace_from_now(KERNEL_TRACE_SYSCALL | KERNEL_TRACE_CAP);
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    const struct kernel_trace_event *r = event_of(KERNEL_TRACE_RETYPE);
    assert_int_equal(r->number, VESPER_OBJECT_ENDPOINT);
    assert_int_equal(r->in[0], 1);
    assert_int_equal(r->object, cap_address(slot_cap(ep)));
    const struct kernel_trace_event *c = event_of(KERNEL_TRACE_SYSCALL_END);
    assert_int_equal(c->invoked, VESPER_OBJECT_UNTYPED);
    assert_int_equal(c->outcome, KERNEL_TRACE_RETURNED);
    assert_int_equal(c->out[0], VESPER_OK);
    assert_int_equal(c->msg[0], VESPER_OBJECT_ENDPOINT); /* Retype's word 0: the type */
    assert_true(c->msg_length >= 7);
    assert_null(c->site);

    /* Copy into an occupied slot: refused by the CNode's decoder. */
    trace_from_now(KERNEL_TRACE_ALL);
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_copy, ep, 64, ROOT_CNODE, ep, 64,
                               VESPER_RIGHTS_ALL),
                     VESPER_ERR_DELETE_FIRST);
    c = event_of(KERNEL_TRACE_SYSCALL_END);
    assert_int_equal(c->out[0], VESPER_ERR_DELETE_FIRST);
    assert_non_null(c->site);
    assert_string_equal(c->site, "decode_copy");

    /* A lookup that fails: the result words say where, the site who. */
    trace_from_now(KERNEL_TRACE_ALL);
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_copy, ep + 1, 64, ROOT_CNODE, NO_CAP, 64,
                               VESPER_RIGHTS_ALL),
                     VESPER_ERR_FAILED_LOOKUP);
    c = event_of(KERNEL_TRACE_SYSCALL_END);
    assert_int_equal(c->out[1], VESPER_LOOKUP_MISSING_CAPABILITY);
    assert_non_null(c->site);

    /* Deleting the last capability ends the object. */
    trace_from_now(KERNEL_TRACE_CAP);
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_delete, ep, 64), VESPER_OK);
    const struct kernel_trace_event *d = event_of(KERNEL_TRACE_DESTROY);
    assert_int_equal(d->number, VESPER_OBJECT_ENDPOINT);
    assert_int_equal(event_count, 1); /* the filter kept the syscall's own event out */
}

/* A notification's signal, and a trace turned off again. */
static void TRACE0004_signal_and_off(void **state)
{
    (void)state;
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word badged = mint_cap(n, VESPER_RIGHTS_ALL, 0x4);
    trace_from_now(KERNEL_TRACE_IPC);
    syscall_as(root_domain(), VESPER_SYS_SEND, (struct ipc_args){.cptr = badged});
    const struct kernel_trace_event *s = event_of(KERNEL_TRACE_IPC_SIGNAL);
    assert_int_equal(s->in[0], 0x4);
    assert_int_equal(s->other, 0); /* nobody waited */
    assert_int_equal(s->in[1], 0x4);
    assert_int_equal(event_count, 1);

    kernel_trace_set(0, record);
    event_count = 0;
    syscall_as(root_domain(), VESPER_SYS_SEND, (struct ipc_args){.cptr = badged});
    assert_int_equal(event_count, 0);
}

/* Index of e among the recorded events. */
static size_t index_of(const struct kernel_trace_event *e)
{
    return (size_t)(e - events);
}

/* Two capabilities in one message: a Frame copied into the receiver's
 * slot, and a badged capability to the endpoint the message goes through,
 * which arrives unwrapped as its badge; both events before the message's. */
static void TRACE0005_capability_transfers(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word badged = mint_cap(ep, RW, 0x33);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word slot = make_domain(NO_CAP);
    struct vesper_ipc_buffer *to = give_ipc_buffer(slot);
    struct domain *receiver = start_domain(slot);
    struct vesper_ipc_buffer *from = domain_ipc_buffer(root);
    vesper_word dest = next_empty_slot();
    to->receive_cnode = ROOT_CNODE;
    to->receive_index = dest;
    to->receive_depth = 64;
    from->caps_or_badges[0] = frame;
    from->caps_or_badges[1] = badged;
    hand_to(receiver);
    recv_as(receiver, ep, NO_CAP);
    trace_from_now(KERNEL_TRACE_IPC);
    syscall_as(root, VESPER_SYS_SEND,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(1, 1, 2), .msg = {42}});
    assert_int_equal(event_count, 3);
    const struct kernel_trace_event *copied = &events[0];
    assert_int_equal(copied->kind, KERNEL_TRACE_IPC_TRANSFER);
    assert_int_equal(copied->category, KERNEL_TRACE_IPC);
    assert_int_equal(copied->domain, user(root));
    assert_int_equal(copied->other, user(receiver));
    assert_int_equal(copied->number, CAP_FRAME_4K);
    assert_int_equal(copied->object, cap_address(slot_cap(frame)));
    assert_int_equal(copied->in[0], cap_rights(slot_cap(frame)));
    assert_int_equal(copied->in[1], 0); /* a Frame has no badge */
    assert_int_equal(copied->in[2], user(test_root_slot(dest)));
    const struct kernel_trace_event *unwrapped = &events[1];
    assert_int_equal(unwrapped->kind, KERNEL_TRACE_IPC_TRANSFER);
    assert_int_equal(unwrapped->number, CAP_ENDPOINT);
    assert_int_equal(unwrapped->in[1], 0x33);
    assert_int_equal(unwrapped->in[2], 0); /* no slot: it came as its badge */
    const struct kernel_trace_event *m = event_of(KERNEL_TRACE_IPC_MESSAGE);
    assert_true(index_of(m) > index_of(unwrapped));
    assert_int_equal(vesper_tag_caps(m->in[0]), 2);
}

/* A fault with a handler names the handler's endpoint; one without a
 * handler names nothing, and the syscall that raised it ends as stopped. */
static void TRACE0006_faults_and_a_stopped_caller(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    struct domain *handled = new_started_domain(mint_cap(ep, RW, 0x9), false);
    struct domain *alone = new_started_domain(NO_CAP, false);
    recv_as(root, ep, reply);
    assert_ptr_equal(kernel.current, handled);
    uintptr_t pc = hal_context_pc(&handled->context);
    trace_from_now(KERNEL_TRACE_FAULT);
    kernel_entry_exception(VESPER_FAULT_PAGE, 0x7000, 0x5008, VESPER_FAULT_ACCESS_WRITE);
    assert_int_equal(event_count, 1);
    const struct kernel_trace_event *f = &events[0];
    assert_int_equal(f->kind, KERNEL_TRACE_FAULT_TAKEN);
    assert_int_equal(f->category, KERNEL_TRACE_FAULT);
    assert_int_equal(f->domain, user(handled));
    assert_int_equal(f->number, VESPER_FAULT_PAGE);
    assert_int_equal(f->in[0], 0x7000);
    assert_int_equal(f->in[1], pc);
    assert_int_equal(f->in[2], 0x5008);
    assert_int_equal(f->in[3], VESPER_FAULT_ACCESS_WRITE);
    assert_int_equal(f->object, user(endpoint_at(ep)));
    assert_int_equal(f->other, 0);

    assert_ptr_equal(kernel.current, root); /* with the fault's message */
    yield_as(root);
    assert_ptr_equal(kernel.current, alone);
    trace_from_now(KERNEL_TRACE_FAULT | KERNEL_TRACE_SYSCALL);
    syscall_as(alone, 99, (struct ipc_args){0}); /* no such syscall: a fault */
    assert_int_equal(alone->state, DOMAIN_STOPPED);
    f = event_of(KERNEL_TRACE_FAULT_TAKEN);
    assert_int_equal(f->number, VESPER_FAULT_UNKNOWN_SYSCALL);
    assert_int_equal(f->object, 0);
    assert_int_equal(f->other, 0);
    const struct kernel_trace_event *c = event_of(KERNEL_TRACE_SYSCALL_END);
    assert_int_equal(c->number, 99);
    assert_int_equal(c->outcome, KERNEL_TRACE_STOPPED);
}

/* A Revoke stopped at a preemption point ends as a restart, and the one
 * that finishes as returned. */
static void TRACE0007_a_preempted_syscall_ends_as_a_restart(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    for (unsigned i = 0; i < 4; i++)
        mint_cap(ep, RW, i + 1);
    preemption_test_every(1);
    trace_from_now(KERNEL_TRACE_SYSCALL);
    test_invoke_msg(NULL, ROOT_CNODE, vesper_cnode_revoke_msg(ep, 64));
    assert_true(root->context.restart);
    root->context.restart = 0;
    assert_int_equal(event_count, 1);
    assert_int_equal(events[0].outcome, KERNEL_TRACE_RESTART);
    preemption_test_every(0);
    trace_from_now(KERNEL_TRACE_SYSCALL);
    assert_int_equal(test_invoke_msg(NULL, ROOT_CNODE, vesper_cnode_revoke_msg(ep, 64)),
                     VESPER_OK);
    assert_int_equal(events[event_count - 1].outcome, KERNEL_TRACE_RETURNED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(TRACE0001_fast_path_round_trip, test_boot, trace_teardown),
        cmocka_unit_test_setup_teardown(TRACE0002_general_path_round_trip, test_boot,
                                        trace_teardown),
        cmocka_unit_test_setup_teardown(TRACE0003_invocations_and_refusals, test_boot,
                                        trace_teardown),
        cmocka_unit_test_setup_teardown(TRACE0004_signal_and_off, test_boot, trace_teardown),
        cmocka_unit_test_setup_teardown(TRACE0005_capability_transfers, test_boot, trace_teardown),
        cmocka_unit_test_setup_teardown(TRACE0006_faults_and_a_stopped_caller, test_boot,
                                        trace_teardown),
        cmocka_unit_test_setup_teardown(TRACE0007_a_preempted_syscall_ends_as_a_restart, test_boot,
                                        trace_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

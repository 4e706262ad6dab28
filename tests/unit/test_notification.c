/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Notifications through the syscall entry: Signal (Send or NBSend), Wait
 * (Recv) and Poll (NBRecv) on a Notification capability, with their rights;
 * the order of waiters; a notification bound to a domain (Domain
 * BindNotification and UnbindNotification, and their errors) waking it
 * from a receive on an endpoint; and deleting a notification or a waiting
 * domain.
 */
#include "ipc_support.h"

#define ALL VESPER_RIGHTS_ALL
#define NO_WRITE (VESPER_RIGHTS_ALL & ~(vesper_word)VESPER_RIGHT_WRITE)
#define NO_READ (VESPER_RIGHTS_ALL & ~(vesper_word)VESPER_RIGHT_READ)

static struct vesper_syscall_frame signal_as(struct domain *d, vesper_word number,
                                             vesper_word cptr)
{
    return syscall_as(d, number, (struct ipc_args){.cptr = cptr});
}

/* BindNotification of ntfn to the Domain at `domain`, its message cut to
 * `length` words. */
static enum vesper_error bind_cut(struct vesper_syscall_frame *frame, vesper_word domain,
                                  unsigned length, vesper_word ntfn)
{
    struct vesper_invocation_msg m = vesper_domain_bind_notification_msg(ntfn);
    enum vesper_error e = test_invoke(frame, domain, m.label, length, m.word);
    assert_invariants();
    return e;
}

static enum vesper_error bind(struct vesper_syscall_frame *frame, vesper_word domain,
                              vesper_word ntfn)
{
    return bind_cut(frame, domain, VESPER_DOMAIN_BIND_NOTIFICATION_LENGTH, ntfn);
}

static enum vesper_error unbind(struct vesper_syscall_frame *frame, vesper_word domain)
{
    enum vesper_error e =
        test_invoke_msg(frame, domain, vesper_domain_unbind_notification_msg());
    assert_invariants();
    return e;
}

static void NTFN0001_signals_or_their_badges_until_a_wait(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word one = mint_cap(n, ALL, 0x1);
    vesper_word four = mint_cap(n, ALL, 0x4);
    vesper_word both = mint_cap(n, ALL, 0x11);
    struct notification *obj = notification_at(n);
    struct vesper_syscall_frame f = signal_as(root, VESPER_SYS_SEND, one);
    assert_error_only(&f, VESPER_OK);
    assert_int_equal(obj->word, 0x1);
    f = signal_as(root, VESPER_SYS_NB_SEND, four);
    assert_error_only(&f, VESPER_OK);
    assert_int_equal(obj->word, 0x5);
    f = signal_as(root, VESPER_SYS_SEND, both);
    assert_int_equal(obj->word, 0x15);
    f = signal_as(root, VESPER_SYS_SEND, one); /* a bit already set stays set */
    assert_int_equal(obj->word, 0x15);
    assert_ptr_equal(kernel.current, root);
    /* Wait returns the word at once and clears it. */
    f = syscall_as(root, VESPER_SYS_RECV, (struct ipc_args){.cptr = n});
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x15});
    assert_int_equal(obj->word, 0);
    assert_ptr_equal(kernel.current, root);
}

static void NTFN0002_wait_blocks_until_a_signal_wakes_it(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word badged = mint_cap(n, ALL, 0x80);
    struct notification *obj = notification_at(n);
    struct domain *a = new_started_domain(NO_CAP, false);
    hand_to(a);
    syscall_as(a, VESPER_SYS_RECV, (struct ipc_args){.cptr = n, .tag = 77, .msg = {1, 2, 3, 4}});
    assert_int_equal(a->state, DOMAIN_BLOCKED_NTFN);
    assert_ptr_equal(a->blocked_on, obj);
    assert_queue(&obj->queue, (struct domain *[]){a, NULL});
    assert_ptr_equal(kernel.current, root);
    struct vesper_syscall_frame f = signal_as(root, VESPER_SYS_SEND, badged);
    assert_error_only(&f, VESPER_OK);
    f = results_of(a);
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x80});
    assert_int_equal(a->state, DOMAIN_RUNNABLE);
    assert_null(a->blocked_on);
    assert_int_equal(obj->word, 0); /* the waiter took it; nothing is left behind */
    assert_queue(&obj->queue, (struct domain *[]){NULL});
    assert_run_queue((struct domain *[]){a, NULL});
    assert_ptr_equal(kernel.current, root); /* a signal does not hand over the CPU */
    /* NBSend signals a waiter the same way. */
    hand_to(a);
    syscall_as(a, VESPER_SYS_RECV, (struct ipc_args){.cptr = n});
    signal_as(root, VESPER_SYS_NB_SEND, badged);
    f = results_of(a);
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x80});
}

static void NTFN0003_poll_never_blocks(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word badged = mint_cap(n, ALL, 0x6);
    struct domain *a = new_started_domain(NO_CAP, false);
    struct vesper_syscall_frame f =
        syscall_as(root, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = n});
    assert_error_only(&f, VESPER_OK); /* nothing arrived: a zero word */
    assert_ptr_equal(kernel.current, root);
    signal_as(root, VESPER_SYS_SEND, badged);
    f = syscall_as(root, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = n});
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x6});
    f = syscall_as(root, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = n});
    assert_error_only(&f, VESPER_OK);
    /* Polling beside a waiter takes nothing from it and does not queue. */
    hand_to(a);
    syscall_as(a, VESPER_SYS_RECV, (struct ipc_args){.cptr = n});
    f = syscall_as(root, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = n});
    assert_error_only(&f, VESPER_OK);
    assert_queue(&notification_at(n)->queue, (struct domain *[]){a, NULL});
    assert_int_equal(root->state, DOMAIN_RUNNABLE);
}

static void NTFN0004_waiters_wake_in_arrival_order(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word badged = mint_cap(n, ALL, 0x2);
    struct domain *a = new_started_domain(NO_CAP, false);
    struct domain *b = new_started_domain(NO_CAP, false);
    struct domain *c = new_started_domain(NO_CAP, false);
    struct notification *obj = notification_at(n);
    hand_to(a);
    syscall_as(a, VESPER_SYS_RECV, (struct ipc_args){.cptr = n});
    syscall_as(b, VESPER_SYS_RECV, (struct ipc_args){.cptr = n});
    syscall_as(c, VESPER_SYS_RECV, (struct ipc_args){.cptr = n});
    struct domain *order[] = {a, b, c, NULL};
    assert_queue(&obj->queue, order);
    for (int i = 0; i < 3; i++) {
        signal_as(root, VESPER_SYS_SEND, badged);
        struct vesper_syscall_frame f = results_of(order[i]);
        assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x2});
        assert_int_equal(order[i]->state, DOMAIN_RUNNABLE);
        assert_queue(&obj->queue, &order[i + 1]);
        assert_int_equal(obj->word, 0);
    }
    assert_run_queue(order);
    /* With no waiter left, the next signal is kept. */
    signal_as(root, VESPER_SYS_SEND, badged);
    assert_int_equal(obj->word, 0x2);
}

/* Signal needs WRITE, Wait and Poll need READ: INVALID_CAPABILITY 0, and
 * the word is left alone. */
static void NTFN0005_rights(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word no_write = mint_cap(n, NO_WRITE, 0x10);
    vesper_word no_read = mint_cap(n, NO_READ, 0x20);
    struct notification *obj = notification_at(n);
    const vesper_word senders[] = {VESPER_SYS_SEND, VESPER_SYS_NB_SEND};
    for (int i = 0; i < 2; i++) {
        struct vesper_syscall_frame f = signal_as(root, senders[i], no_write);
        assert_words(&f, (result_words){VESPER_ERR_INVALID_CAPABILITY, 0});
        assert_int_equal(obj->word, 0);
    }
    /* Without READ, signalling works; waiting and polling do not. */
    signal_as(root, VESPER_SYS_SEND, no_read);
    assert_int_equal(obj->word, 0x20);
    const vesper_word receivers[] = {VESPER_SYS_RECV, VESPER_SYS_NB_RECV};
    for (int i = 0; i < 2; i++) {
        struct vesper_syscall_frame f = signal_as(root, receivers[i], no_read);
        assert_words(&f, (result_words){VESPER_ERR_INVALID_CAPABILITY, 0});
        assert_int_equal(obj->word, 0x20);
        assert_ptr_equal(kernel.current, root);
    }
    /* Nor is a Notification something to Call or ReplyRecv on. */
    struct vesper_syscall_frame f = signal_as(root, VESPER_SYS_CALL, n);
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    f = syscall_as(root, VESPER_SYS_REPLY_RECV, (struct ipc_args){.cptr = n});
    assert_words(&f, (result_words){VESPER_ERR_INVALID_CAPABILITY, 0});
    assert_int_equal(obj->word, 0x20);
    /* With READ it comes out. */
    f = syscall_as(root, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = no_write});
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x20});
}

/* A domain with a bound notification, started, blocked in Recv on ep
 * offering reply. */
struct bound {
    vesper_word slot;
    struct domain *d;
    vesper_word n;
    vesper_word ep;
    vesper_word reply;
};

static struct bound bound_receiver_setup(void)
{
    struct bound b;
    b.n = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    b.ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    b.reply = make_object(VESPER_OBJECT_REPLY, 0);
    b.slot = make_domain(NO_CAP);
    assert_int_equal(bind(NULL, b.slot, b.n), VESPER_OK);
    b.d = start_domain(b.slot);
    assert_ptr_equal(b.d->bound, notification_at(b.n));
    assert_ptr_equal(notification_at(b.n)->bound, b.d);
    return b;
}

static void NTFN0006_a_bound_notification_wakes_a_receive_on_an_endpoint(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct bound b = bound_receiver_setup();
    vesper_word badged = mint_cap(b.n, ALL, 0x300);
    hand_to(b.d);
    recv_as(b.d, b.ep, b.reply);
    assert_int_equal(b.d->state, DOMAIN_BLOCKED_RECV);
    struct vesper_syscall_frame f = signal_as(root, VESPER_SYS_SEND, badged);
    assert_error_only(&f, VESPER_OK);
    f = results_of(b.d);
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x300});
    assert_int_equal(b.d->state, DOMAIN_RUNNABLE);
    assert_null(b.d->blocked_on);
    assert_null(b.d->reply);
    assert_null(reply_at(b.reply)->receiver); /* the offer is withdrawn */
    assert_int_equal(endpoint_at(b.ep)->state, ENDPOINT_IDLE);
    assert_int_equal(notification_at(b.n)->word, 0);
    assert_ptr_equal(notification_at(b.n)->bound, b.d); /* still bound */
    assert_run_queue((struct domain *[]){b.d, NULL});
    /* A Call to the endpoint now finds no one: root blocks, b runs. */
    syscall_as(root, VESPER_SYS_CALL, (struct ipc_args){.cptr = b.ep, .tag = vesper_tag(1, 0, 0)});
    assert_int_equal(root->state, DOMAIN_BLOCKED_SEND);
    assert_ptr_equal(kernel.current, b.d);
}

static void NTFN0007_a_pending_signal_makes_recv_return_at_once(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct bound b = bound_receiver_setup();
    vesper_word one = mint_cap(b.n, ALL, 0x1);
    vesper_word two = mint_cap(b.n, ALL, 0x2);
    struct domain *sender = new_started_domain(NO_CAP, false);
    signal_as(root, VESPER_SYS_SEND, one);
    signal_as(root, VESPER_SYS_SEND, two);
    hand_to(b.d);
    struct vesper_syscall_frame f = recv_as(b.d, b.ep, b.reply);
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x3});
    assert_ptr_equal(kernel.current, b.d);
    assert_int_equal(notification_at(b.n)->word, 0);
    assert_null(reply_at(b.reply)->receiver);
    assert_int_equal(endpoint_at(b.ep)->state, ENDPOINT_IDLE);
    /* The signal comes first even with a sender waiting; so for NBRecv. */
    yield_as(b.d); /* sender runs */
    syscall_as(sender, VESPER_SYS_SEND,
               (struct ipc_args){.cptr = b.ep, .tag = vesper_tag(5, 1, 0), .msg = {9}});
    assert_ptr_equal(kernel.current, root);
    signal_as(root, VESPER_SYS_SEND, two);
    hand_to(b.d);
    f = syscall_as(b.d, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = b.ep, .reply = b.reply});
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x2});
    assert_int_equal(sender->state, DOMAIN_BLOCKED_SEND);
    /* With the word clear, the message comes through. */
    f = recv_as(b.d, b.ep, b.reply);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(5, 1, 0), 9, 0, 0, 0, 0});
    assert_int_equal(sender->state, DOMAIN_RUNNABLE);
}

/* Binding changes nothing for messages, or for waiting on the notification
 * itself. A signal while the domain is not receiving is kept. */
static void NTFN0008_a_bound_domain_still_receives_messages(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct bound b = bound_receiver_setup();
    vesper_word badged = mint_cap(b.n, ALL, 0x40);
    hand_to(b.d);
    recv_as(b.d, b.ep, NO_CAP);
    syscall_as(root, VESPER_SYS_SEND,
               (struct ipc_args){.cptr = b.ep, .tag = vesper_tag(3, 1, 0), .msg = {7}});
    struct vesper_syscall_frame f = results_of(b.d);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(3, 1, 0), 7, 0, 0, 0, 0});
    /* b is runnable, not receiving: the signal stays in the word. */
    signal_as(root, VESPER_SYS_SEND, badged);
    assert_int_equal(notification_at(b.n)->word, 0x40);
    hand_to(b.d);
    f = syscall_as(b.d, VESPER_SYS_RECV, (struct ipc_args){.cptr = b.n});
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x40});
    /* Waiting on its own bound notification, it is woken as a waiter. */
    syscall_as(b.d, VESPER_SYS_RECV, (struct ipc_args){.cptr = b.n});
    assert_int_equal(b.d->state, DOMAIN_BLOCKED_NTFN);
    signal_as(root, VESPER_SYS_SEND, badged);
    f = results_of(b.d);
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x40});
    assert_int_equal(notification_at(b.n)->word, 0);
}

static void NTFN0009_bind_errors(void **state)
{
    (void)state;
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word n2 = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word no_read = copy_cap(n, NO_READ);
    vesper_word d = make_domain(NO_CAP);
    vesper_word e = make_domain(NO_CAP);
    struct vesper_syscall_frame f;
    assert_int_equal(bind_cut(&f, d, 0, n), VESPER_ERR_TRUNCATED_MESSAGE);
    assert_error_only(&f, VESPER_ERR_TRUNCATED_MESSAGE);
    assert_int_equal(bind(&f, d, UNREACHABLE), VESPER_ERR_FAILED_LOOKUP);
    assert_words(&f, (result_words){VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_GUARD_MISMATCH, 64, 1});
    const vesper_word not_readable_notification[] = {ep, frame, NO_CAP, no_read, d};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(bind(&f, d, not_readable_notification[i]),
                         VESPER_ERR_INVALID_CAPABILITY);
        assert_words(&f, (result_words){VESPER_ERR_INVALID_CAPABILITY, 1});
    }
    assert_null(domain_at(d)->bound);
    assert_null(notification_at(n)->bound);
    /* A READ-only capability is enough. */
    vesper_word read_only = copy_cap(n, VESPER_RIGHT_READ);
    assert_int_equal(bind(&f, d, read_only), VESPER_OK);
    assert_error_only(&f, VESPER_OK);
    /* One binding on each side. */
    assert_int_equal(bind(&f, d, n2), VESPER_ERR_ILLEGAL_OPERATION);
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(bind(&f, e, n), VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(bind(&f, d, n), VESPER_ERR_ILLEGAL_OPERATION);
    assert_ptr_equal(domain_at(d)->bound, notification_at(n));
    assert_ptr_equal(notification_at(n)->bound, domain_at(d));
    assert_null(domain_at(e)->bound);
    assert_null(notification_at(n2)->bound);
}

static void NTFN0010_unbind(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct bound b = bound_receiver_setup();
    vesper_word badged = mint_cap(b.n, ALL, 0x8);
    struct vesper_syscall_frame f;
    assert_int_equal(unbind(&f, b.slot), VESPER_OK);
    assert_error_only(&f, VESPER_OK);
    assert_null(b.d->bound);
    assert_null(notification_at(b.n)->bound);
    assert_int_equal(unbind(&f, b.slot), VESPER_ERR_ILLEGAL_OPERATION);
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    /* Unbound, a signal no longer reaches b's receive. */
    hand_to(b.d);
    recv_as(b.d, b.ep, b.reply);
    signal_as(root, VESPER_SYS_SEND, badged);
    assert_int_equal(b.d->state, DOMAIN_BLOCKED_RECV);
    assert_int_equal(notification_at(b.n)->word, 0x8);
    /* The notification may be bound again, even while b waits. */
    assert_int_equal(bind(&f, b.slot, b.n), VESPER_OK);
    assert_ptr_equal(b.d->bound, notification_at(b.n));
}

static void NTFN0011_deleting_a_notification_wakes_waiters_and_unbinds(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct bound b = bound_receiver_setup();
    vesper_word badged = mint_cap(b.n, ALL, 0x1);
    struct notification *obj = notification_at(b.n);
    struct domain *w1 = new_started_domain(NO_CAP, false);
    struct domain *w2 = new_started_domain(NO_CAP, false);
    hand_to(b.d);
    recv_as(b.d, b.ep, b.reply);
    syscall_as(w1, VESPER_SYS_RECV, (struct ipc_args){.cptr = badged});
    syscall_as(w2, VESPER_SYS_RECV, (struct ipc_args){.cptr = b.n});
    assert_ptr_equal(kernel.current, root);
    assert_queue(&obj->queue, (struct domain *[]){w1, w2, NULL});
    assert_int_equal(revoke_slot(b.n), VESPER_OK); /* the badged copy goes first */
    assert_invariants();
    assert_int_equal(w1->state, DOMAIN_BLOCKED_NTFN);
    assert_int_equal(delete_slot(b.n), VESPER_OK);
    assert_invariants();
    assert_int_equal(obj->header.type, 0);
    for (int i = 0; i < 2; i++) {
        struct domain *w = i == 0 ? w1 : w2;
        struct vesper_syscall_frame f = results_of(w);
        assert_error_only(&f, VESPER_ERR_CANCELLED);
        assert_int_equal(w->state, DOMAIN_RUNNABLE);
        assert_null(w->blocked_on);
    }
    assert_run_queue((struct domain *[]){w1, w2, NULL});
    assert_null(b.d->bound);
    /* b's receive on the endpoint goes on. */
    assert_int_equal(b.d->state, DOMAIN_BLOCKED_RECV);
    assert_ptr_equal(reply_at(b.reply)->receiver, b.d);
    /* And it may be bound to another notification. */
    vesper_word n2 = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    assert_int_equal(bind(NULL, b.slot, n2), VESPER_OK);
}

static void NTFN0012_deleting_a_waiting_or_bound_domain(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word badged = mint_cap(n, ALL, 0x4);
    vesper_word a_slot = make_domain(NO_CAP);
    struct domain *a = start_domain(a_slot);
    struct domain *b = new_started_domain(NO_CAP, false);
    struct notification *obj = notification_at(n);
    hand_to(a);
    syscall_as(a, VESPER_SYS_RECV, (struct ipc_args){.cptr = n});
    syscall_as(b, VESPER_SYS_RECV, (struct ipc_args){.cptr = n});
    assert_int_equal(delete_slot(a_slot), VESPER_OK);
    assert_invariants();
    assert_queue(&obj->queue, (struct domain *[]){b, NULL});
    signal_as(root, VESPER_SYS_SEND, badged);
    struct vesper_syscall_frame f = results_of(b);
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x4});
    /* A bound domain's destruction unbinds the notification. */
    struct bound bd = bound_receiver_setup();
    struct notification *bn = notification_at(bd.n);
    assert_int_equal(delete_slot(bd.slot), VESPER_OK);
    assert_invariants();
    assert_null(bn->bound);
    vesper_word c = make_domain(NO_CAP);
    assert_int_equal(bind(NULL, c, bd.n), VESPER_OK);
}

/* A signal through an unbadged capability carries badge 0: it wakes a
 * waiter, but leaves no bit behind. */
static void NTFN0013_signal_with_badge_zero(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    signal_as(root, VESPER_SYS_SEND, n);
    assert_int_equal(notification_at(n)->word, 0);
    hand_to(a);
    syscall_as(a, VESPER_SYS_RECV, (struct ipc_args){.cptr = n});
    assert_int_equal(a->state, DOMAIN_BLOCKED_NTFN);
    signal_as(root, VESPER_SYS_SEND, n);
    struct vesper_syscall_frame f = results_of(a);
    assert_error_only(&f, VESPER_OK);
    assert_int_equal(a->state, DOMAIN_RUNNABLE);
}

/* Bound to a domain already blocked in Recv, with bits pending: the next
 * signal wakes it with every bit, the pending ones too, as Wait would
 * return them, and leaves the word clear. */
static void NTFN0014_a_woken_bound_receiver_gets_every_pending_bit(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word one = mint_cap(n, ALL, 0x1);
    vesper_word eight = mint_cap(n, ALL, 0x8);
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word slot = make_domain(NO_CAP);
    struct domain *b = start_domain(slot);
    hand_to(b);
    recv_as(b, ep, NO_CAP);
    signal_as(root, VESPER_SYS_SEND, eight);
    assert_int_equal(notification_at(n)->word, 0x8);
    assert_int_equal(bind(NULL, slot, n), VESPER_OK);
    assert_int_equal(b->state, DOMAIN_BLOCKED_RECV);
    signal_as(root, VESPER_SYS_SEND, one);
    struct vesper_syscall_frame f = results_of(b);
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x9});
    assert_int_equal(notification_at(n)->word, 0);
    assert_int_equal(b->state, DOMAIN_RUNNABLE);
}

/* The reproduction of a binding that outlived its domain: a domain that
 * has exited cannot be bound (stopping unbinds, and nothing would undo a
 * later binding), so after its destruction, and after a new Domain is
 * retyped at the same address, a signal reaches nobody. */
static void NTFN0015_a_stopped_domain_cannot_be_bound(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word u = make_object(VESPER_OBJECT_UNTYPED, 12);
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word badged = mint_cap(n, ALL, 0x40);
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word d_slot = make_object_from(u, VESPER_OBJECT_DOMAIN, 0);
    assert_int_equal(TEST_CALL(d_slot, domain_configure, ROOT_CNODE,
                               VESPER_ROOT_SLOT_PDOM, NO_CAP),
                     VESPER_OK);
    uintptr_t d_address = cap_address(slot_cap(d_slot));
    struct domain *d = start_domain(d_slot);
    struct notification *obj = notification_at(n);
    hand_to(d);
    syscall_as(d, VESPER_SYS_EXIT, (struct ipc_args){.cptr = 3});
    assert_int_equal(d->state, DOMAIN_STOPPED);
    assert_int_equal(d->exit_status, 3);
    assert_ptr_equal(kernel.current, root);
    struct vesper_syscall_frame f;
    assert_int_equal(bind(&f, d_slot, n), VESPER_ERR_ILLEGAL_OPERATION);
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    assert_null(d->bound);
    assert_null(obj->bound);
    assert_int_equal(d->exit_status, 3); /* refusing changes nothing */
    assert_int_equal(delete_slot(d_slot), VESPER_OK);
    assert_invariants();
    /* The notification is free for another domain. */
    vesper_word other = make_domain(NO_CAP);
    assert_int_equal(bind(NULL, other, n), VESPER_OK);
    assert_int_equal(unbind(NULL, other), VESPER_OK);
    /* A new Domain at the same address knows nothing of the notification. */
    assert_int_equal(revoke_slot(u), VESPER_OK);
    vesper_word again = make_object_from(u, VESPER_OBJECT_DOMAIN, 0);
    assert_int_equal(cap_address(slot_cap(again)), d_address);
    assert_int_equal(TEST_CALL(again, domain_configure, ROOT_CNODE,
                               VESPER_ROOT_SLOT_PDOM, NO_CAP),
                     VESPER_OK);
    struct domain *fresh = start_domain(again);
    assert_null(fresh->bound);
    hand_to(fresh);
    recv_as(fresh, ep, NO_CAP);
    assert_int_equal(fresh->state, DOMAIN_BLOCKED_RECV);
    signal_as(root, VESPER_SYS_SEND, badged);
    assert_int_equal(fresh->state, DOMAIN_BLOCKED_RECV);
    assert_int_equal(obj->word, 0x40);
    assert_invariants();
}

/* Destroying a domain undoes its binding whatever its state: inactive,
 * runnable, or blocked receiving on an endpoint. */
static void NTFN0016_destroying_a_bound_domain_in_any_state_unbinds(void **state)
{
    (void)state;
    for (int kind = 0; kind < 3; kind++) {
        vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0);
        vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
        vesper_word slot = make_domain(NO_CAP);
        assert_int_equal(bind(NULL, slot, n), VESPER_OK);
        if (kind >= 1) {
            struct domain *d = start_domain(slot);
            if (kind == 2) {
                hand_to(d);
                recv_as(d, ep, NO_CAP);
                assert_int_equal(d->state, DOMAIN_BLOCKED_RECV);
            }
        }
        assert_ptr_equal(kernel.current, root_domain());
        assert_int_equal(delete_slot(slot), VESPER_OK);
        assert_invariants();
        assert_null(notification_at(n)->bound);
        assert_int_equal(endpoint_at(ep)->state, ENDPOINT_IDLE);
        vesper_word other = make_domain(NO_CAP);
        assert_int_equal(bind(NULL, other, n), VESPER_OK);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(NTFN0001_signals_or_their_badges_until_a_wait, test_boot),
        cmocka_unit_test_setup(NTFN0002_wait_blocks_until_a_signal_wakes_it, test_boot),
        cmocka_unit_test_setup(NTFN0003_poll_never_blocks, test_boot),
        cmocka_unit_test_setup(NTFN0004_waiters_wake_in_arrival_order, test_boot),
        cmocka_unit_test_setup(NTFN0005_rights, test_boot),
        cmocka_unit_test_setup(NTFN0006_a_bound_notification_wakes_a_receive_on_an_endpoint,
                               test_boot),
        cmocka_unit_test_setup(NTFN0007_a_pending_signal_makes_recv_return_at_once, test_boot),
        cmocka_unit_test_setup(NTFN0008_a_bound_domain_still_receives_messages, test_boot),
        cmocka_unit_test_setup(NTFN0009_bind_errors, test_boot),
        cmocka_unit_test_setup(NTFN0010_unbind, test_boot),
        cmocka_unit_test_setup(NTFN0011_deleting_a_notification_wakes_waiters_and_unbinds,
                               test_boot),
        cmocka_unit_test_setup(NTFN0012_deleting_a_waiting_or_bound_domain, test_boot),
        cmocka_unit_test_setup(NTFN0013_signal_with_badge_zero, test_boot),
        cmocka_unit_test_setup(NTFN0015_a_stopped_domain_cannot_be_bound, test_boot),
        cmocka_unit_test_setup(NTFN0016_destroying_a_bound_domain_in_any_state_unbinds,
                               test_boot),
        cmocka_unit_test_setup(NTFN0014_a_woken_bound_receiver_gets_every_pending_bit,
                               test_boot),
    };
    return cmocka_run_group_tests_name("notification", tests, NULL, NULL);
}

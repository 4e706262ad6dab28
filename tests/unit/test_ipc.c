/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Endpoint IPC through the syscall entry: Call, ReplyRecv, Send, NBSend,
 * Recv, NBRecv and Reply, each one's success and every error it returns;
 * the order of queued senders and receivers; badges; message length in
 * registers and through IPC buffers; the one-shot reply; capability
 * transfer with the grant right and endpoint unwrapping; what deleting an
 * endpoint, a blocked domain or a Reply object does to IPC in progress;
 * CancelBadgedSends; Yield's round robin; and Domain Start, which puts
 * domains on the run queue. Several domains share the root CNode and take
 * turns as the current domain exactly as the kernel hands the CPU over.
 */
#include "ipc_support.h"

#define ALL VESPER_RIGHTS_ALL
#define NO_WRITE (VESPER_RIGHTS_ALL & ~(vesper_word)VESPER_RIGHT_WRITE)
#define NO_READ (VESPER_RIGHTS_ALL & ~(vesper_word)VESPER_RIGHT_READ)
#define NO_GRANT (VESPER_RIGHTS_ALL & ~(vesper_word)VESPER_RIGHT_GRANT)
#define UNWRAPPED(mask) ((vesper_word)(mask) << 9)

static const vesper_word ipc_syscalls[] = {
    VESPER_SYS_CALL, VESPER_SYS_REPLY_RECV, VESPER_SYS_SEND, VESPER_SYS_NB_SEND,
    VESPER_SYS_RECV, VESPER_SYS_NB_RECV,    VESPER_SYS_REPLY,
};
#define IPC_SYSCALL_COUNT (sizeof ipc_syscalls / sizeof ipc_syscalls[0])

/* d sends (blocking) and, with no receiver, blocks on the endpoint. */
static void send_and_block(struct domain *d, vesper_word number, vesper_word cptr,
                           vesper_word label, vesper_word word)
{
    syscall_as(d, number, (struct ipc_args){.cptr = cptr, .tag = vesper_tag(label, 1, 0),
                                            .msg = {word}});
    assert_int_equal(d->state, DOMAIN_BLOCKED_SEND);
}

/* ---- Send, Recv and their non-blocking forms ---- */

static void IPC0001_send_waits_for_a_receiver(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word badged = mint_cap(ep, ALL, 0x1234);
    struct domain *a = new_started_domain(NO_CAP, false);
    hand_to(a);
    syscall_as(a, VESPER_SYS_SEND, (struct ipc_args){.cptr = badged, .tag = vesper_tag(7, 3, 0),
                                                    .msg = {11, 22, 33, 44}});
    assert_int_equal(a->state, DOMAIN_BLOCKED_SEND);
    assert_ptr_equal(a->blocked_on, endpoint_at(ep));
    assert_int_equal(endpoint_at(ep)->state, ENDPOINT_SEND);
    assert_ptr_equal(kernel.current, root);
    /* Only the words the tag counts arrive; the badge comes in word 6. */
    struct vesper_syscall_frame got = recv_as(root, ep, NO_CAP);
    assert_words(&got, (result_words){VESPER_OK, vesper_tag(7, 3, 0), 11, 22, 33, 0, 0x1234});
    assert_int_equal(endpoint_at(ep)->state, ENDPOINT_IDLE);
    assert_int_equal(a->state, DOMAIN_RUNNABLE);
    assert_null(a->blocked_on);
    struct vesper_syscall_frame sent = results_of(a);
    assert_error_only(&sent, VESPER_OK);
    assert_run_queue((struct domain *[]){a, NULL});
    assert_ptr_equal(kernel.current, root);
}

static void IPC0002_recv_waits_for_a_sender(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    hand_to(a);
    recv_as(a, ep, NO_CAP);
    assert_int_equal(a->state, DOMAIN_BLOCKED_RECV);
    assert_int_equal(endpoint_at(ep)->state, ENDPOINT_RECV);
    assert_ptr_equal(kernel.current, root);
    /* An unbadged capability delivers badge 0; four words fill the registers. */
    struct vesper_syscall_frame sent = syscall_as(
        root, VESPER_SYS_SEND,
        (struct ipc_args){.cptr = ep, .tag = vesper_tag(5, 4, 0), .msg = {1, 2, 3, 4}});
    assert_error_only(&sent, VESPER_OK);
    struct vesper_syscall_frame got = results_of(a);
    assert_words(&got, (result_words){VESPER_OK, vesper_tag(5, 4, 0), 1, 2, 3, 4, 0});
    assert_int_equal(a->state, DOMAIN_RUNNABLE);
    assert_int_equal(endpoint_at(ep)->state, ENDPOINT_IDLE);
    assert_ptr_equal(kernel.current, root);
    assert_run_queue((struct domain *[]){a, NULL});
}

static void IPC0003_nb_send_without_receiver_is_dropped(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    struct vesper_syscall_frame f =
        syscall_as(root, VESPER_SYS_NB_SEND,
                   (struct ipc_args){.cptr = ep, .tag = vesper_tag(1, 1, 0), .msg = {9}});
    assert_error_only(&f, VESPER_OK);
    assert_int_equal(endpoint_at(ep)->state, ENDPOINT_IDLE);
    assert_ptr_equal(kernel.current, root);
    /* Nothing was kept: a later receive finds no sender. */
    hand_to(a);
    f = syscall_as(a, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = ep});
    assert_error_only(&f, VESPER_ERR_WOULD_BLOCK);
    /* With a receiver waiting, NBSend delivers. */
    recv_as(a, ep, NO_CAP);
    f = syscall_as(root, VESPER_SYS_NB_SEND,
                   (struct ipc_args){.cptr = ep, .tag = vesper_tag(2, 1, 0), .msg = {10}});
    assert_error_only(&f, VESPER_OK);
    f = results_of(a);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(2, 1, 0), 10, 0, 0, 0, 0});
    assert_int_equal(a->state, DOMAIN_RUNNABLE);
}

static void IPC0004_nb_recv_would_block_or_takes_a_waiting_sender(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    struct vesper_syscall_frame f = syscall_as(
        root, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = ep, .reply = reply});
    assert_error_only(&f, VESPER_ERR_WOULD_BLOCK);
    assert_null(reply_at(reply)->receiver); /* the Reply object was not left on offer */
    assert_null(root->reply);
    assert_int_equal(endpoint_at(ep)->state, ENDPOINT_IDLE);
    /* A queued Send. */
    hand_to(a);
    syscall_as(a, VESPER_SYS_SEND,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(3, 2, 0), .msg = {1, 2}});
    f = syscall_as(root, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = ep});
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(3, 2, 0), 1, 2, 0, 0, 0});
    assert_int_equal(a->state, DOMAIN_RUNNABLE);
    /* A queued Call binds the Reply object NBRecv offers. */
    hand_to(a);
    syscall_as(a, VESPER_SYS_CALL,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(4, 1, 0), .msg = {5}});
    assert_int_equal(a->state, DOMAIN_BLOCKED_SEND);
    f = syscall_as(root, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = ep, .reply = reply});
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(4, 1, 0), 5, 0, 0, 0, 0});
    assert_int_equal(a->state, DOMAIN_BLOCKED_REPLY);
    assert_ptr_equal(reply_at(reply)->caller, a);
    f = syscall_as(root, VESPER_SYS_REPLY,
                   (struct ipc_args){.cptr = reply, .tag = vesper_tag(0, 1, 0), .msg = {6}});
    assert_error_only(&f, VESPER_OK);
    f = results_of(a);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, 1, 0), 6, 0, 0, 0, 0});
}

/* ---- Call, Reply and ReplyRecv ---- */

/* A server's loop: ReplyRecv with nothing bound just receives; a Call
 * hands the CPU to it; ReplyRecv answers and hands the CPU back, ahead of
 * a domain waiting on the run queue. Run with the fast path on and off. */
static void IPC0005_call_and_reply_recv_round_trip(void **state)
{
    for (int disabled = 0; disabled <= 1; disabled++) {
        assert_int_equal(test_boot(state), 0);
        kernel.fastpath_disabled = disabled;
        struct domain *root = root_domain();
        vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
        vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
        vesper_word badged = mint_cap(ep, ALL, 0x42);
        struct reply *r = reply_at(reply);
        struct domain *s = new_started_domain(NO_CAP, false);
        struct domain *o = new_started_domain(NO_CAP, false);
        hand_to(s);
        syscall_as(s, VESPER_SYS_REPLY_RECV, (struct ipc_args){.cptr = ep, .reply = reply});
        assert_int_equal(s->state, DOMAIN_BLOCKED_RECV);
        assert_ptr_equal(r->receiver, s);
        assert_ptr_equal(s->reply, r);
        yield_as(o);
        for (vesper_word round = 1; round <= 3; round++) {
            assert_ptr_equal(kernel.current, root);
            syscall_as(root, VESPER_SYS_CALL,
                       (struct ipc_args){.cptr = badged, .tag = vesper_tag(9, 2, 0),
                                         .msg = {100 * round, 200 * round, 77}});
            assert_ptr_equal(kernel.current, s);
            assert_int_equal(root->state, DOMAIN_BLOCKED_REPLY);
            assert_ptr_equal(root->reply, r);
            assert_ptr_equal(r->caller, root);
            assert_null(r->receiver);
            assert_null(s->reply);
            assert_run_queue((struct domain *[]){o, NULL});
            struct vesper_syscall_frame got = results_of(s);
            assert_words(&got, (result_words){VESPER_OK, vesper_tag(9, 2, 0), 100 * round,
                                               200 * round, 0, 0, 0x42});
            syscall_as(s, VESPER_SYS_REPLY_RECV,
                       (struct ipc_args){.cptr = ep, .tag = vesper_tag(0, 1, 0),
                                         .msg = {300 + round}, .reply = reply});
            assert_ptr_equal(kernel.current, root);
            got = results_of(root);
            assert_words(&got, (result_words){VESPER_OK, vesper_tag(0, 1, 0), 300 + round, 0, 0,
                                               0, 0});
            assert_null(root->reply);
            assert_null(r->caller);
            assert_ptr_equal(r->receiver, s);
            assert_int_equal(s->state, DOMAIN_BLOCKED_RECV);
            assert_run_queue((struct domain *[]){o, NULL});
        }
    }
}

static void IPC0006_reply_is_one_shot(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    struct domain *s = new_started_domain(NO_CAP, false);
    hand_to(s);
    recv_as(s, ep, reply);
    syscall_as(root, VESPER_SYS_CALL, (struct ipc_args){.cptr = ep, .tag = vesper_tag(1, 0, 0)});
    assert_ptr_equal(kernel.current, s);
    struct vesper_syscall_frame f =
        syscall_as(s, VESPER_SYS_REPLY,
                   (struct ipc_args){.cptr = reply, .tag = vesper_tag(0, 1, 0), .msg = {5}});
    assert_error_only(&f, VESPER_OK);
    assert_ptr_equal(kernel.current, s); /* Reply alone does not give up the CPU */
    assert_run_queue((struct domain *[]){root, NULL});
    f = results_of(root);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, 1, 0), 5, 0, 0, 0, 0});
    /* The second answer has no one to go to and changes nothing. */
    f = syscall_as(s, VESPER_SYS_REPLY,
                   (struct ipc_args){.cptr = reply, .tag = vesper_tag(0, 1, 0), .msg = {6}});
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    f = results_of(root);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, 1, 0), 5, 0, 0, 0, 0});
    assert_run_queue((struct domain *[]){root, NULL});
}

static void IPC0007_reply_with_no_call_bound_is_illegal(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    struct vesper_syscall_frame f =
        syscall_as(root, VESPER_SYS_REPLY, (struct ipc_args){.cptr = reply});
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    /* Offered by a waiting receiver is not bound to a caller either. */
    hand_to(a);
    recv_as(a, ep, reply);
    f = syscall_as(root, VESPER_SYS_REPLY, (struct ipc_args){.cptr = reply});
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(a->state, DOMAIN_BLOCKED_RECV);
    assert_ptr_equal(reply_at(reply)->receiver, a);
}

/* Reply's word 0 is the capability it uses: each error names it as 0. */
static void IPC0008_reply_needs_a_reply_object(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    const vesper_word not_reply[] = {NO_CAP, ep, frame, ROOT_CNODE};
    for (size_t i = 0; i < sizeof not_reply / sizeof not_reply[0]; i++) {
        struct vesper_syscall_frame f =
            syscall_as(root, VESPER_SYS_REPLY, (struct ipc_args){.cptr = not_reply[i]});
        assert_words(&f, (result_words){VESPER_ERR_INVALID_CAPABILITY, 0});
    }
    struct vesper_syscall_frame f =
        syscall_as(root, VESPER_SYS_REPLY, (struct ipc_args){.cptr = UNREACHABLE});
    assert_words(&f, (result_words){VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_GUARD_MISMATCH, 64, 0});
    assert_int_equal(endpoint_at(ep)->state, ENDPOINT_IDLE);
}

/* A sender waiting when the server answers: ReplyRecv answers, then takes
 * that Call at once, and the server keeps the CPU. */
static void IPC0009_reply_recv_with_a_caller_waiting_keeps_the_server(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    struct reply *r = reply_at(reply);
    struct domain *s = new_started_domain(NO_CAP, false);
    struct domain *a = new_started_domain(NO_CAP, false);
    hand_to(s);
    recv_as(s, ep, reply); /* a runs next */
    syscall_as(a, VESPER_SYS_CALL, (struct ipc_args){.cptr = ep, .tag = vesper_tag(1, 1, 0),
                                                    .msg = {1}});
    assert_ptr_equal(kernel.current, s);
    yield_as(s); /* root runs; s is runnable, not receiving */
    syscall_as(root, VESPER_SYS_CALL, (struct ipc_args){.cptr = ep, .tag = vesper_tag(2, 1, 0),
                                                       .msg = {2}});
    assert_int_equal(root->state, DOMAIN_BLOCKED_SEND);
    assert_ptr_equal(kernel.current, s);
    struct vesper_syscall_frame f = syscall_as(
        s, VESPER_SYS_REPLY_RECV,
        (struct ipc_args){.cptr = ep, .tag = vesper_tag(0, 1, 0), .msg = {10}, .reply = reply});
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(2, 1, 0), 2, 0, 0, 0, 0});
    assert_ptr_equal(kernel.current, s);
    f = results_of(a);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, 1, 0), 10, 0, 0, 0, 0});
    assert_run_queue((struct domain *[]){a, NULL});
    assert_ptr_equal(r->caller, root);
    assert_int_equal(root->state, DOMAIN_BLOCKED_REPLY);
    /* Answering root, with nobody else sending, hands the CPU to it. */
    syscall_as(s, VESPER_SYS_REPLY_RECV,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(0, 1, 0), .msg = {20},
                                 .reply = reply});
    assert_ptr_equal(kernel.current, root);
    f = results_of(root);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, 1, 0), 20, 0, 0, 0, 0});
    assert_run_queue((struct domain *[]){a, NULL});
    assert_ptr_equal(r->receiver, s);
}

static void IPC0010_call_to_a_receiver_without_reply_object_fails(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    /* The receiver waits first: the caller's Call fails, the message arrives. */
    hand_to(a);
    recv_as(a, ep, NO_CAP);
    struct vesper_syscall_frame f =
        syscall_as(root, VESPER_SYS_CALL,
                   (struct ipc_args){.cptr = ep, .tag = vesper_tag(4, 1, 0), .msg = {8}});
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    assert_ptr_equal(kernel.current, root);
    assert_int_equal(root->state, DOMAIN_RUNNABLE);
    f = results_of(a);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(4, 1, 0), 8, 0, 0, 0, 0});
    assert_run_queue((struct domain *[]){a, NULL});
    /* The caller waits first: the receiver gets the message, the caller the error. */
    hand_to(a);
    syscall_as(a, VESPER_SYS_CALL, (struct ipc_args){.cptr = ep, .tag = vesper_tag(5, 1, 0),
                                                    .msg = {9}});
    assert_int_equal(a->state, DOMAIN_BLOCKED_SEND);
    f = recv_as(root, ep, NO_CAP);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(5, 1, 0), 9, 0, 0, 0, 0});
    f = results_of(a);
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(a->state, DOMAIN_RUNNABLE);
    assert_null(a->reply);
    assert_run_queue((struct domain *[]){a, NULL});
}

/* ---- errors of the capability and the Reply object ---- */

static void IPC0011_failed_lookup_of_the_capability(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    for (size_t i = 0; i < IPC_SYSCALL_COUNT; i++) {
        struct vesper_syscall_frame f = syscall_as(
            root, ipc_syscalls[i],
            (struct ipc_args){.cptr = UNREACHABLE, .tag = vesper_tag(1, 1, 0), .reply = reply});
        assert_words(&f,
                     (result_words){VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_GUARD_MISMATCH, 64, 0});
        assert_ptr_equal(kernel.current, root);
        assert_null(reply_at(reply)->receiver);
    }
}

static void IPC0012_failed_lookup_of_the_reply_object(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    const vesper_word numbers[] = {VESPER_SYS_RECV, VESPER_SYS_NB_RECV, VESPER_SYS_REPLY_RECV};
    for (size_t i = 0; i < 3; i++) {
        struct vesper_syscall_frame f =
            syscall_as(root, numbers[i], (struct ipc_args){.cptr = ep, .reply = UNREACHABLE});
        assert_words(&f,
                     (result_words){VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_GUARD_MISMATCH, 64, 1});
        assert_int_equal(endpoint_at(ep)->state, ENDPOINT_IDLE);
    }
}

/* Sending needs an Endpoint (or Notification) with WRITE, receiving one
 * with READ; anything else is INVALID_CAPABILITY naming capability 0. */
static void IPC0013_wrong_type_or_missing_right(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    vesper_word no_write = copy_cap(ep, NO_WRITE);
    vesper_word no_read = copy_cap(ep, NO_READ);
    struct {
        vesper_word number;
        vesper_word cptr;
    } cases[] = {
        {VESPER_SYS_CALL, no_write},        {VESPER_SYS_SEND, no_write},
        {VESPER_SYS_NB_SEND, no_write},     {VESPER_SYS_RECV, no_read},
        {VESPER_SYS_NB_RECV, no_read},      {VESPER_SYS_REPLY_RECV, no_read},
        {VESPER_SYS_REPLY_RECV, ntfn},      {VESPER_SYS_SEND, frame},
        {VESPER_SYS_NB_SEND, reply},        {VESPER_SYS_RECV, frame},
        {VESPER_SYS_NB_RECV, ROOT_CNODE},   {VESPER_SYS_REPLY_RECV, frame},
        {VESPER_SYS_SEND, NO_CAP},          {VESPER_SYS_RECV, NO_CAP},
        {VESPER_SYS_REPLY_RECV, NO_CAP},    {VESPER_SYS_CALL, NO_CAP},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct vesper_syscall_frame f = syscall_as(
            root, cases[i].number,
            (struct ipc_args){.cptr = cases[i].cptr, .tag = vesper_tag(1, 1, 0), .reply = reply});
        if (f.arg[0] != VESPER_ERR_INVALID_CAPABILITY)
            fail_msg("case %zu: error %lu", i, (unsigned long)f.arg[0]);
        assert_words(&f, (result_words){VESPER_ERR_INVALID_CAPABILITY, 0});
        assert_ptr_equal(kernel.current, root);
        assert_int_equal(endpoint_at(ep)->state, ENDPOINT_IDLE);
        assert_null(reply_at(reply)->receiver);
    }
}

static void IPC0014_bad_reply_object_is_capability_1(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    struct {
        vesper_word number;
        vesper_word reply;
    } cases[] = {
        {VESPER_SYS_RECV, frame},           {VESPER_SYS_RECV, ep},
        {VESPER_SYS_NB_RECV, frame},        {VESPER_SYS_NB_RECV, ROOT_CNODE},
        {VESPER_SYS_REPLY_RECV, NO_CAP},    {VESPER_SYS_REPLY_RECV, frame},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct vesper_syscall_frame f = syscall_as(
            root, cases[i].number, (struct ipc_args){.cptr = ep, .reply = cases[i].reply});
        assert_words(&f, (result_words){VESPER_ERR_INVALID_CAPABILITY, 1});
        assert_int_equal(endpoint_at(ep)->state, ENDPOINT_IDLE);
    }
}

/* A Reply object serves one Call at a time: while offered by a receiver
 * or bound to a caller, no other receive may offer it. */
static void IPC0015_reply_object_in_use_is_refused(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word other = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    struct domain *s = new_started_domain(NO_CAP, false);
    hand_to(s);
    recv_as(s, ep, reply);
    const vesper_word numbers[] = {VESPER_SYS_RECV, VESPER_SYS_NB_RECV, VESPER_SYS_REPLY_RECV};
    for (size_t i = 0; i < 3; i++) {
        struct vesper_syscall_frame f =
            syscall_as(root, numbers[i], (struct ipc_args){.cptr = other, .reply = reply});
        assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
        assert_int_equal(endpoint_at(other)->state, ENDPOINT_IDLE);
        assert_ptr_equal(reply_at(reply)->receiver, s);
        assert_ptr_equal(s->reply, reply_at(reply));
    }
    /* Bound to a caller (root): s may not offer it to another receive. */
    syscall_as(root, VESPER_SYS_CALL, (struct ipc_args){.cptr = ep, .tag = vesper_tag(1, 0, 0)});
    assert_ptr_equal(reply_at(reply)->caller, root);
    for (size_t i = 0; i < 2; i++) {
        struct vesper_syscall_frame f =
            syscall_as(s, numbers[i], (struct ipc_args){.cptr = other, .reply = reply});
        assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
        assert_ptr_equal(reply_at(reply)->caller, root);
        assert_int_equal(root->state, DOMAIN_BLOCKED_REPLY);
    }
}

/* ---- queues ---- */

static void IPC0016_senders_are_served_in_arrival_order(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    vesper_word b1 = mint_cap(ep, ALL, 1);
    vesper_word b2 = mint_cap(ep, ALL, 2);
    vesper_word b3 = mint_cap(ep, ALL, 3);
    struct domain *a = new_started_domain(NO_CAP, false);
    struct domain *b = new_started_domain(NO_CAP, false);
    struct domain *c = new_started_domain(NO_CAP, false);
    hand_to(a);
    send_and_block(a, VESPER_SYS_SEND, b1, 1, 10);
    send_and_block(b, VESPER_SYS_SEND, b2, 2, 20);
    send_and_block(c, VESPER_SYS_CALL, b3, 3, 30);
    struct endpoint *e = endpoint_at(ep);
    struct domain *order[] = {a, b, c, NULL};
    assert_queue(&e->queue, order);
    for (vesper_word i = 0; i < 3; i++) {
        struct vesper_syscall_frame f = recv_as(root, ep, reply);
        assert_words(&f, (result_words){VESPER_OK, vesper_tag(i + 1, 1, 0), 10 * (i + 1), 0, 0,
                                         0, i + 1});
        assert_queue(&e->queue, &order[i + 1]);
    }
    assert_int_equal(e->state, ENDPOINT_IDLE);
    assert_run_queue((struct domain *[]){a, b, NULL});
    assert_int_equal(c->state, DOMAIN_BLOCKED_REPLY);
    assert_ptr_equal(reply_at(reply)->caller, c);
}

static void IPC0017_receivers_are_served_in_arrival_order(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    struct domain *b = new_started_domain(NO_CAP, false);
    struct domain *c = new_started_domain(NO_CAP, false);
    hand_to(a);
    recv_as(a, ep, NO_CAP);
    recv_as(b, ep, NO_CAP);
    recv_as(c, ep, NO_CAP);
    struct endpoint *e = endpoint_at(ep);
    assert_queue(&e->queue, (struct domain *[]){a, b, c, NULL});
    struct domain *order[] = {a, b, c};
    for (vesper_word i = 0; i < 3; i++) {
        syscall_as(root, VESPER_SYS_SEND,
                   (struct ipc_args){.cptr = ep, .tag = vesper_tag(1, 1, 0), .msg = {i + 100}});
        struct vesper_syscall_frame f = results_of(order[i]);
        assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 0), i + 100, 0, 0, 0, 0});
        assert_int_equal(order[i]->state, DOMAIN_RUNNABLE);
        for (vesper_word j = i + 1; j < 3; j++)
            assert_int_equal(order[j]->state, DOMAIN_BLOCKED_RECV);
    }
    assert_int_equal(e->state, ENDPOINT_IDLE);
    assert_run_queue((struct domain *[]){a, b, c, NULL});
}

/* ---- message length ---- */

static void fill_words(vesper_word *words, unsigned from, unsigned to, vesper_word base)
{
    for (unsigned i = from; i < to; i++)
        words[i] = base + i;
}

static void IPC0018_long_message_through_both_ipc_buffers(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word slot = make_domain(NO_CAP);
    struct vesper_ipc_buffer *to = give_ipc_buffer(slot);
    struct domain *a = start_domain(slot);
    struct vesper_ipc_buffer *from = domain_ipc_buffer(root);
    memset(to, 0xaa, sizeof *to);
    fill_words(from->msg, 0, VESPER_MSG_MAX, 1000);
    hand_to(a);
    recv_as(a, ep, NO_CAP);
    syscall_as(root, VESPER_SYS_SEND,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(6, VESPER_MSG_MAX, 0),
                                 .msg = {1, 2, 3, 4}});
    struct vesper_syscall_frame f = results_of(a);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(6, VESPER_MSG_MAX, 0), 1, 2, 3, 4, 0});
    for (unsigned i = VESPER_MSG_REGISTERS; i < VESPER_MSG_MAX; i++)
        assert_int_equal(to->msg[i], 1000 + i);
    /* Words 0-3 travel in registers only; nothing else of the buffer changes. */
    for (unsigned i = 0; i < VESPER_MSG_REGISTERS; i++)
        assert_int_equal(to->msg[i], 0xaaaaaaaaaaaaaaaaull);
    assert_int_equal(to->user_data, 0xaaaaaaaaaaaaaaaaull);
    assert_int_equal(to->tag, 0xaaaaaaaaaaaaaaaaull);
}

/* A long Call and a long answer: both directions use the buffers. */
static void IPC0019_long_call_and_long_reply(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    vesper_word slot = make_domain(NO_CAP);
    struct vesper_ipc_buffer *server_buffer = give_ipc_buffer(slot);
    struct domain *s = start_domain(slot);
    struct vesper_ipc_buffer *root_buffer = domain_ipc_buffer(root);
    hand_to(s);
    recv_as(s, ep, reply);
    fill_words(root_buffer->msg, 0, VESPER_MSG_MAX, 5000);
    syscall_as(root, VESPER_SYS_CALL,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(3, 10, 0), .msg = {1, 2, 3, 4}});
    assert_ptr_equal(kernel.current, s);
    struct vesper_syscall_frame f = results_of(s);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(3, 10, 0), 1, 2, 3, 4, 0});
    for (unsigned i = 4; i < 10; i++)
        assert_int_equal(server_buffer->msg[i], 5000 + i);
    assert_int_equal(server_buffer->msg[10], 0); /* only the length asked for */
    fill_words(server_buffer->msg, 0, VESPER_MSG_MAX, 9000);
    syscall_as(s, VESPER_SYS_REPLY_RECV,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(0, 50, 0), .msg = {5, 6, 7, 8},
                                 .reply = reply});
    assert_ptr_equal(kernel.current, root);
    f = results_of(root);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, 50, 0), 5, 6, 7, 8, 0});
    for (unsigned i = 4; i < 50; i++)
        assert_int_equal(root_buffer->msg[i], 9000 + i);
    assert_int_equal(root_buffer->msg[50], 5000 + 50);
}

static void IPC0020_without_an_ipc_buffer_a_message_is_cut_to_registers(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    fill_words(domain_ipc_buffer(root)->msg, 0, VESPER_MSG_MAX, 1);
    /* The receiver has no buffer. */
    hand_to(a);
    recv_as(a, ep, NO_CAP);
    syscall_as(root, VESPER_SYS_SEND,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(8, 10, 0), .msg = {1, 2, 3, 4}});
    struct vesper_syscall_frame f = results_of(a);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(8, 4, 0), 1, 2, 3, 4, 0});
    /* The sender has none. */
    hand_to(a);
    syscall_as(a, VESPER_SYS_SEND,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(9, 100, 0), .msg = {5, 6, 7, 8}});
    vesper_word before = domain_ipc_buffer(root)->msg[4];
    f = recv_as(root, ep, NO_CAP);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(9, 4, 0), 5, 6, 7, 8, 0});
    assert_int_equal(domain_ipc_buffer(root)->msg[4], before);
}

static void IPC0021_a_tag_longer_than_the_maximum_is_cut(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word slot = make_domain(NO_CAP);
    struct vesper_ipc_buffer *to = give_ipc_buffer(slot);
    struct domain *a = start_domain(slot);
    struct vesper_ipc_buffer *from = domain_ipc_buffer(root);
    fill_words(from->msg, 0, VESPER_MSG_MAX, 7000);
    from->user_data = 0x5151; /* the word after msg[] must not travel */
    to->user_data = 0x7777;
    hand_to(a);
    recv_as(a, ep, NO_CAP);
    syscall_as(root, VESPER_SYS_SEND,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(2, 127, 0), .msg = {1, 2, 3, 4}});
    struct vesper_syscall_frame f = results_of(a);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(2, VESPER_MSG_MAX, 0), 1, 2, 3, 4, 0});
    assert_int_equal(to->msg[VESPER_MSG_MAX - 1], 7000 + VESPER_MSG_MAX - 1);
    assert_int_equal(to->user_data, 0x7777);
}

/* ---- capability transfer ---- */

struct transfer {
    vesper_word ep;
    struct domain *receiver;
    struct vesper_ipc_buffer *to;
    struct vesper_ipc_buffer *from;
};

/* A receiver with an IPC buffer, ready to take one capability into root
 * slot receive_slot (which the caller picks once all objects exist). */
static struct transfer transfer_setup(void)
{
    struct transfer t;
    t.ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word slot = make_domain(NO_CAP);
    t.to = give_ipc_buffer(slot);
    t.receiver = start_domain(slot);
    t.from = domain_ipc_buffer(root_domain());
    return t;
}

/* Where the receiver asks for a capability: its receive_* fields. */
struct receive_at {
    vesper_word cnode;
    vesper_word index;
    vesper_word depth;
};

/* The receiver waits, naming `at` as its receive slot; root sends `count`
 * capabilities through `via`; returns the receiver's results. */
static struct vesper_syscall_frame transfer_into(struct transfer *t, vesper_word via,
                                                 struct receive_at at, unsigned count,
                                                 const vesper_word *caps)
{
    t->to->receive_cnode = at.cnode;
    t->to->receive_index = at.index;
    t->to->receive_depth = at.depth;
    for (unsigned i = 0; i < count; i++)
        t->from->caps_or_badges[i] = caps[i];
    hand_to(t->receiver);
    recv_as(t->receiver, t->ep, NO_CAP);
    struct vesper_syscall_frame f = syscall_as(
        root_domain(), VESPER_SYS_SEND,
        (struct ipc_args){.cptr = via, .tag = vesper_tag(1, 1, count), .msg = {42}});
    assert_error_only(&f, VESPER_OK);
    assert_int_equal(t->receiver->state, DOMAIN_RUNNABLE);
    return results_of(t->receiver);
}

/* The same with root slot receive_slot as the receive slot. */
static struct vesper_syscall_frame transfer(struct transfer *t, vesper_word via,
                                            vesper_word receive_slot, unsigned count,
                                            const vesper_word *caps)
{
    return transfer_into(t, via, (struct receive_at){ROOT_CNODE, receive_slot, 64}, count,
                         caps);
}

static void assert_copy_of(vesper_word copy, vesper_word original)
{
    struct cte *c = test_root_slot(copy);
    struct cte *o = test_root_slot(original);
    assert_int_equal(c->cap.word0, o->cap.word0);
    assert_int_equal(c->cap.word1, o->cap.word1);
    assert_true(cdt_is_parent_of(o, c));
}

static void IPC0022_grant_moves_a_capability_into_the_receive_slot(void **state)
{
    (void)state;
    struct transfer t = transfer_setup();
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word dest = next_empty_slot();
    struct vesper_syscall_frame f = transfer(&t, t.ep, dest, 1, (vesper_word[]){frame});
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 1), 42, 0, 0, 0, 0});
    assert_copy_of(dest, frame);
    assert_int_equal(cap_type(slot_cap(frame)), CAP_FRAME_4K); /* the sender keeps its own */
    assert_invariants();
}

static void IPC0023_without_grant_no_capability_moves(void **state)
{
    (void)state;
    struct transfer t = transfer_setup();
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word no_grant = copy_cap(t.ep, NO_GRANT);
    vesper_word badged = mint_cap(t.ep, ALL, 5);
    vesper_word dest = next_empty_slot();
    struct vesper_syscall_frame f = transfer(&t, no_grant, dest, 2, (vesper_word[]){frame, badged});
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 0), 42, 0, 0, 0, 0});
    assert_true(cap_is_null(slot_cap(dest)));
    assert_int_equal(t.to->caps_or_badges[1], 0); /* not even unwrapped */
}

static void IPC0024_an_endpoint_sent_over_itself_arrives_as_its_badge(void **state)
{
    (void)state;
    struct transfer t = transfer_setup();
    vesper_word badged = mint_cap(t.ep, ALL, 0x99);
    vesper_word other = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word other_badged = mint_cap(other, RW, 0x55);
    vesper_word dest = next_empty_slot();
    struct vesper_syscall_frame f = transfer(&t, t.ep, dest, 1, (vesper_word[]){badged});
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 1) | UNWRAPPED(1), 42, 0, 0, 0,
                                     0});
    assert_int_equal(t.to->caps_or_badges[0], 0x99);
    assert_true(cap_is_null(slot_cap(dest)));
    /* Another endpoint's capability is copied, badge and all. */
    f = transfer(&t, t.ep, dest, 1, (vesper_word[]){other_badged});
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 1), 42, 0, 0, 0, 0});
    assert_copy_of(dest, other_badged);
    assert_int_equal(cap_badge(slot_cap(dest)), 0x55);
    assert_int_equal(cap_rights(slot_cap(dest)), RW);
}

static void IPC0025_transfer_stops_at_the_first_capability_that_cannot_go(void **state)
{
    (void)state;
    struct transfer t = transfer_setup();
    vesper_word badged = mint_cap(t.ep, ALL, 0x31);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    vesper_word untyped = largest_untyped();
    vesper_word occupied = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word dest = next_empty_slot();
    /* Unwrapped, copied, then no second receive slot for the notification. */
    struct vesper_syscall_frame f =
        transfer(&t, t.ep, dest, 3, (vesper_word[]){badged, frame, ntfn});
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 2) | UNWRAPPED(1), 42, 0, 0, 0,
                                     0});
    assert_int_equal(t.to->caps_or_badges[0], 0x31);
    assert_copy_of(dest, frame);
    assert_int_equal(delete_slot(dest), VESPER_OK);
    /* Capabilities that never move: Untyped, Reply, empty slots, bad CPtrs. */
    const vesper_word blockers[] = {untyped, reply, NO_CAP, UNREACHABLE};
    for (size_t i = 0; i < 4; i++) {
        f = transfer(&t, t.ep, dest, 2, (vesper_word[]){blockers[i], frame});
        assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 0), 42, 0, 0, 0, 0});
        assert_true(cap_is_null(slot_cap(dest)));
        f = transfer(&t, t.ep, dest, 3, (vesper_word[]){badged, blockers[i], frame});
        assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 1) | UNWRAPPED(1), 42, 0, 0,
                                         0, 0});
        assert_true(cap_is_null(slot_cap(dest)));
    }
    /* A receive slot that is full, or not there, takes nothing. */
    f = transfer(&t, t.ep, occupied, 1, (vesper_word[]){frame});
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 0), 42, 0, 0, 0, 0});
    assert_int_equal(cap_type(slot_cap(occupied)), CAP_FRAME_4K);
    assert_false(cdt_is_parent_of(test_root_slot(frame), test_root_slot(occupied)));
    f = transfer(&t, t.ep, UNREACHABLE, 1, (vesper_word[]){frame});
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 0), 42, 0, 0, 0, 0});
    assert_invariants();
}

/* Without an IPC buffer on either side, no capability can be named. */
static void IPC0026_no_transfer_without_ipc_buffers(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    vesper_word dest = next_empty_slot();
    domain_ipc_buffer(root)->caps_or_badges[0] = frame;
    hand_to(a);
    recv_as(a, ep, NO_CAP);
    syscall_as(root, VESPER_SYS_SEND, (struct ipc_args){.cptr = ep, .tag = vesper_tag(1, 0, 1)});
    struct vesper_syscall_frame f = results_of(a);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 0, 0), 0, 0, 0, 0, 0});
    assert_true(cap_is_null(slot_cap(dest)));
    /* The other way: a sender without a buffer names nothing, even to a
     * receiver whose receive slot is ready. */
    struct vesper_ipc_buffer *to = domain_ipc_buffer(root);
    to->receive_cnode = ROOT_CNODE;
    to->receive_index = dest;
    to->receive_depth = 64;
    recv_as(root, ep, NO_CAP);
    syscall_as(a, VESPER_SYS_SEND, (struct ipc_args){.cptr = ep, .tag = vesper_tag(2, 0, 1)});
    f = results_of(root);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(2, 0, 0), 0, 0, 0, 0, 0});
    assert_true(cap_is_null(slot_cap(dest)));
}

/* ---- destruction cancels IPC ---- */

static void IPC0027_deleting_an_endpoint_cancels_its_senders(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    struct domain *b = new_started_domain(NO_CAP, false);
    struct endpoint *e = endpoint_at(ep);
    hand_to(a);
    send_and_block(a, VESPER_SYS_SEND, ep, 1, 1);
    send_and_block(b, VESPER_SYS_CALL, ep, 2, 2);
    assert_ptr_equal(kernel.current, root);
    assert_int_equal(delete_slot(ep), VESPER_OK);
    assert_invariants();
    assert_int_equal(e->header.type, 0);
    for (int i = 0; i < 2; i++) {
        struct domain *d = i == 0 ? a : b;
        struct vesper_syscall_frame f = results_of(d);
        assert_error_only(&f, VESPER_ERR_CANCELLED);
        assert_int_equal(d->state, DOMAIN_RUNNABLE);
        assert_null(d->blocked_on);
        assert_null(d->reply);
    }
    assert_run_queue((struct domain *[]){a, b, NULL});
}

static void IPC0028_deleting_an_endpoint_cancels_its_receivers(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word other = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word ra = make_object(VESPER_OBJECT_REPLY, 0);
    vesper_word rb = make_object(VESPER_OBJECT_REPLY, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    struct domain *b = new_started_domain(NO_CAP, false);
    hand_to(a);
    recv_as(a, ep, ra);
    recv_as(b, ep, rb);
    assert_ptr_equal(kernel.current, root);
    assert_int_equal(delete_slot(ep), VESPER_OK);
    assert_invariants();
    struct vesper_syscall_frame f = results_of(a);
    assert_error_only(&f, VESPER_ERR_CANCELLED);
    f = results_of(b);
    assert_error_only(&f, VESPER_ERR_CANCELLED);
    assert_run_queue((struct domain *[]){a, b, NULL});
    assert_null(reply_at(ra)->receiver);
    assert_null(reply_at(rb)->receiver);
    assert_null(a->reply);
    assert_null(b->reply);
    /* The Reply objects are free for the next receive. */
    hand_to(a);
    f = syscall_as(a, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = other, .reply = ra});
    assert_error_only(&f, VESPER_ERR_WOULD_BLOCK);
    recv_as(a, other, rb);
    assert_ptr_equal(reply_at(rb)->receiver, a);
}

static void IPC0029_deleting_a_blocked_domain_takes_it_off_the_queue(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word other = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    vesper_word b_slot = make_domain(NO_CAP);
    struct domain *b = start_domain(b_slot);
    struct domain *c = new_started_domain(NO_CAP, false);
    vesper_word d_slot = make_domain(NO_CAP);
    struct domain *d = start_domain(d_slot);
    hand_to(a);
    send_and_block(a, VESPER_SYS_SEND, ep, 1, 1);
    send_and_block(b, VESPER_SYS_SEND, ep, 2, 2);
    send_and_block(c, VESPER_SYS_SEND, ep, 3, 3);
    recv_as(d, other, reply);
    assert_ptr_equal(kernel.current, root);
    assert_int_equal(delete_slot(b_slot), VESPER_OK);
    assert_invariants();
    assert_queue(&endpoint_at(ep)->queue, (struct domain *[]){a, c, NULL});
    assert_int_equal(delete_slot(d_slot), VESPER_OK);
    assert_invariants();
    assert_int_equal(endpoint_at(other)->state, ENDPOINT_IDLE);
    assert_null(reply_at(reply)->receiver);
    assert_int_equal(b->state, DOMAIN_STOPPED);
    assert_int_equal(d->state, DOMAIN_STOPPED);
    struct vesper_syscall_frame f = recv_as(root, ep, NO_CAP);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 0), 1, 0, 0, 0, 0});
    f = recv_as(root, ep, NO_CAP);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(3, 1, 0), 3, 0, 0, 0, 0});
    assert_run_queue((struct domain *[]){a, c, NULL});
}

static void IPC0030_deleting_the_reply_object_cancels_the_caller(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    vesper_word offered = make_object(VESPER_OBJECT_REPLY, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    struct domain *b = new_started_domain(NO_CAP, false);
    /* root serves: it blocks, a calls, root runs again holding the answer. */
    recv_as(root, ep, reply);
    assert_ptr_equal(kernel.current, a);
    syscall_as(a, VESPER_SYS_CALL, (struct ipc_args){.cptr = ep, .tag = vesper_tag(1, 1, 0),
                                                    .msg = {5}});
    assert_ptr_equal(kernel.current, root);
    assert_int_equal(a->state, DOMAIN_BLOCKED_REPLY);
    assert_int_equal(delete_slot(reply), VESPER_OK);
    assert_invariants();
    struct vesper_syscall_frame f = results_of(a);
    assert_error_only(&f, VESPER_ERR_CANCELLED);
    assert_int_equal(a->state, DOMAIN_RUNNABLE);
    assert_null(a->reply);
    assert_run_queue((struct domain *[]){b, a, NULL});
    /* A Reply object deleted while offered: the receiver waits on without
     * one, so a Call to it fails. */
    hand_to(b);
    recv_as(b, ep, offered);
    yield_as(a);
    assert_ptr_equal(kernel.current, root);
    assert_int_equal(delete_slot(offered), VESPER_OK);
    assert_invariants();
    assert_int_equal(b->state, DOMAIN_BLOCKED_RECV);
    assert_null(b->reply);
    f = syscall_as(root, VESPER_SYS_CALL,
                   (struct ipc_args){.cptr = ep, .tag = vesper_tag(2, 0, 0)});
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    f = results_of(b);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(2, 0, 0), 0, 0, 0, 0, 0});
}

/* ---- CancelBadgedSends ---- */

/* CancelBadgedSends(index, depth) on the root CNode, its message cut to
 * `length` words. */
static enum vesper_error cancel_badged_cut(struct vesper_syscall_frame *frame, unsigned length,
                                           vesper_word index, vesper_word depth)
{
    struct vesper_invocation_msg m = vesper_cnode_cancel_badged_sends_msg(index, depth);
    enum vesper_error e = test_invoke(frame, ROOT_CNODE, m.label, length, m.word);
    assert_invariants();
    return e;
}

static enum vesper_error cancel_badged(struct vesper_syscall_frame *frame, vesper_word index,
                                       vesper_word depth)
{
    return cancel_badged_cut(frame, VESPER_CNODE_CANCEL_BADGED_SENDS_LENGTH, index, depth);
}

static void IPC0031_cancel_badged_sends_cancels_only_that_badge(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word one = mint_cap(ep, ALL, 1);
    vesper_word two = mint_cap(ep, ALL, 2);
    struct domain *a = new_started_domain(NO_CAP, false);
    struct domain *b = new_started_domain(NO_CAP, false);
    struct domain *c = new_started_domain(NO_CAP, false);
    hand_to(a);
    send_and_block(a, VESPER_SYS_SEND, one, 1, 1);
    send_and_block(b, VESPER_SYS_SEND, two, 2, 2);
    send_and_block(c, VESPER_SYS_CALL, one, 3, 3);
    struct vesper_syscall_frame f;
    assert_int_equal(cancel_badged(&f, one, 64), VESPER_OK);
    f = results_of(a);
    assert_error_only(&f, VESPER_ERR_CANCELLED);
    f = results_of(c);
    assert_error_only(&f, VESPER_ERR_CANCELLED);
    assert_run_queue((struct domain *[]){a, c, NULL});
    assert_queue(&endpoint_at(ep)->queue, (struct domain *[]){b, NULL});
    assert_int_equal(endpoint_at(ep)->state, ENDPOINT_SEND);
    f = recv_as(root, ep, NO_CAP);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(2, 1, 0), 2, 0, 0, 0, 2});
    /* Receivers are never cancelled. */
    hand_to(a);
    recv_as(a, ep, NO_CAP);
    yield_as(c);
    assert_ptr_equal(kernel.current, b);
    yield_as(b);
    assert_ptr_equal(kernel.current, root);
    assert_int_equal(cancel_badged(&f, one, 64), VESPER_OK);
    assert_int_equal(a->state, DOMAIN_BLOCKED_RECV);
}

static void IPC0032_cancel_badged_sends_errors(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word badged_ntfn = mint_cap(ntfn, ALL, 4);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word badged = mint_cap(ep, ALL, 4);
    struct domain *a = new_started_domain(NO_CAP, false);
    hand_to(a);
    send_and_block(a, VESPER_SYS_SEND, badged, 1, 1);
    struct vesper_syscall_frame f;
    for (unsigned length = 0; length < VESPER_CNODE_CANCEL_BADGED_SENDS_LENGTH; length++) {
        assert_int_equal(cancel_badged_cut(&f, length, badged, 64), VESPER_ERR_TRUNCATED_MESSAGE);
        assert_error_only(&f, VESPER_ERR_TRUNCATED_MESSAGE);
    }
    const vesper_word depths[] = {0, 65, 1000};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(cancel_badged(&f, badged, depths[i]), VESPER_ERR_RANGE);
        assert_words(&f, (result_words){VESPER_ERR_RANGE, 1, 64});
    }
    assert_int_equal(cancel_badged(&f, UNREACHABLE, 64), VESPER_ERR_FAILED_LOOKUP);
    assert_words(&f, (result_words){VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_GUARD_MISMATCH, 64, 0});
    const vesper_word illegal[] = {ep, ntfn, badged_ntfn, frame, NO_CAP};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(cancel_badged(&f, illegal[i], 64), VESPER_ERR_ILLEGAL_OPERATION);
        assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    }
    /* None of these touched the queued sender. */
    assert_int_equal(a->state, DOMAIN_BLOCKED_SEND);
    assert_queue(&endpoint_at(ep)->queue, (struct domain *[]){a, NULL});
}

/* ---- Yield and Start ---- */

static void IPC0033_yield_runs_domains_round_robin(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    /* Alone, the root yields to itself. */
    struct vesper_syscall_frame f = yield_as(root);
    assert_error_only(&f, VESPER_OK);
    assert_ptr_equal(kernel.current, root);
    assert_run_queue((struct domain *[]){NULL});
    struct domain *a = new_started_domain(NO_CAP, false);
    struct domain *b = new_started_domain(NO_CAP, false);
    assert_run_queue((struct domain *[]){a, b, NULL});
    struct domain *order[] = {root, a, b};
    for (int i = 0; i < 7; i++) {
        struct domain *now = order[i % 3];
        f = yield_as(now);
        assert_error_only(&f, VESPER_OK);
        assert_ptr_equal(kernel.current, order[(i + 1) % 3]);
        assert_run_queue((struct domain *[]){order[(i + 2) % 3], now, NULL});
    }
}

static void IPC0034_start_puts_domains_at_the_back_of_the_run_queue(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word a_slot = make_domain(NO_CAP);
    vesper_word b_slot = make_domain(NO_CAP);
    assert_int_equal(domain_at(a_slot)->state, DOMAIN_INACTIVE);
    assert_run_queue((struct domain *[]){NULL});
    struct domain *b = start_domain(b_slot);
    struct domain *a = start_domain(a_slot);
    assert_run_queue((struct domain *[]){b, a, NULL});
    assert_ptr_equal(kernel.current, root);
    hand_to(b);
    assert_run_queue((struct domain *[]){a, root, NULL});
}

static void IPC0035_start_errors(void **state)
{
    (void)state;
    vesper_word slot = make_domain(NO_CAP);
    vesper_word stack = new_stack();
    struct domain *d = domain_at(slot);
    const struct vesper_invocation_msg good =
        vesper_domain_start_msg(DOMAIN_ENTRY, stack, STACK_SIZE, 0);
    struct vesper_syscall_frame f;
    for (unsigned length = 0; length < good.length; length++) {
        assert_int_equal(test_invoke(&f, slot, good.label, length, good.word),
                         VESPER_ERR_TRUNCATED_MESSAGE);
        assert_error_only(&f, VESPER_ERR_TRUNCATED_MESSAGE);
    }
    struct {
        vesper_word base, size;
        enum vesper_error error;
    } cases[] = {
        {stack + 8, STACK_SIZE - 16, VESPER_ERR_ALIGNMENT},
        {stack, STACK_SIZE - 8, VESPER_ERR_ALIGNMENT},
        {stack, 0, VESPER_ERR_RANGE},
        {stack, 240, VESPER_ERR_RANGE},
        {UINT64_MAX - 15, STACK_SIZE, VESPER_ERR_RANGE},
        {0x1000, STACK_SIZE, VESPER_ERR_INVALID_ADDRESS},
        {HOST_USER_BASE + TEST_MEMORY - 2048, STACK_SIZE, VESPER_ERR_INVALID_ADDRESS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(TEST_CALL_FRAME(&f, slot, domain_start, DOMAIN_ENTRY, cases[i].base,
                                         cases[i].size, 0), cases[i].error);
        if (cases[i].error == VESPER_ERR_RANGE)
            assert_words(&f, (result_words){VESPER_ERR_RANGE, 256, UINTPTR_MAX});
        else
            assert_error_only(&f, cases[i].error);
        assert_int_equal(d->state, DOMAIN_INACTIVE);
        assert_run_queue((struct domain *[]){NULL});
        assert_invariants();
    }
    assert_int_equal(test_invoke_msg(&f, slot, good), VESPER_OK);
    assert_run_queue((struct domain *[]){d, NULL});
    /* Started once, never again: not even with the same arguments. */
    assert_int_equal(test_invoke_msg(&f, slot, good),
                     VESPER_ERR_ILLEGAL_OPERATION);
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
    assert_run_queue((struct domain *[]){d, NULL});
    /* Nor once it has stopped (an unknown syscall with no fault handler). */
    hand_to(d);
    syscall_as(d, 99, (struct ipc_args){0});
    assert_int_equal(d->state, DOMAIN_STOPPED);
    assert_int_equal(test_invoke_msg(&f, slot, good),
                     VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(d->state, DOMAIN_STOPPED);
    assert_invariants();
}

/* ---- boundaries, every capability type, Yield's words ---- */

/* A tag of 119, 120 and 121 words through both buffers: the last word
 * that fits arrives, nothing past VESPER_MSG_MAX travels, and the tag says
 * how many words came. */
static void IPC0036_message_lengths_around_the_maximum(void **state)
{
    (void)state;
    struct transfer t = transfer_setup();
    fill_words(t.from->msg, 0, VESPER_MSG_MAX, 3000);
    t.from->user_data = 0x5151;
    const unsigned lengths[] = {VESPER_MSG_MAX - 1, VESPER_MSG_MAX, VESPER_MSG_MAX + 1};
    for (size_t i = 0; i < 3; i++) {
        unsigned arrived = lengths[i] < VESPER_MSG_MAX ? lengths[i] : VESPER_MSG_MAX;
        memset(t.to, 0xaa, sizeof *t.to);
        hand_to(t.receiver);
        recv_as(t.receiver, t.ep, NO_CAP);
        syscall_as(root_domain(), VESPER_SYS_SEND,
                   (struct ipc_args){.cptr = t.ep, .tag = vesper_tag(4, lengths[i], 0)});
        struct vesper_syscall_frame f = results_of(t.receiver);
        assert_words(&f, (result_words){VESPER_OK, vesper_tag(4, arrived, 0)});
        for (unsigned w = VESPER_MSG_REGISTERS; w < VESPER_MSG_MAX; w++)
            assert_int_equal(t.to->msg[w], w < arrived ? 3000 + w : 0xaaaaaaaaaaaaaaaaull);
        assert_int_equal(t.to->user_data, 0xaaaaaaaaaaaaaaaaull);
    }
}

/* IPC buffers at the last address their frames allow: the kernel reads
 * and writes every word of both, the receive slot fields at the very end
 * of the receiver's frame included. */
static void IPC0037_ipc_buffers_at_the_end_of_their_frames(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word cap = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    const vesper_word last = 4096 - sizeof(struct vesper_ipc_buffer);
    vesper_word root_frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word root_at = cap_address(slot_cap(root_frame)) + last;
    grant_frame(root_frame, VESPER_ROOT_SLOT_PDOM, RW);
    assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_DOMAIN, domain_set_ipc_buffer, root_at,
                               root_frame),
                     VESPER_OK);
    vesper_word slot = make_domain(NO_CAP);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    grant_frame(frame, VESPER_ROOT_SLOT_PDOM, RW);
    vesper_word at = cap_address(slot_cap(frame)) + last;
    assert_int_equal(TEST_CALL(slot, domain_set_ipc_buffer, at, frame), VESPER_OK);
    struct domain *a = start_domain(slot);
    struct vesper_ipc_buffer *from = domain_ipc_buffer(root);
    struct vesper_ipc_buffer *to = domain_ipc_buffer(a);
    assert_ptr_equal(from, hal_kernel_view(root_at, sizeof *from));
    assert_ptr_equal(to, hal_kernel_view(at, sizeof *to));
    fill_words(from->msg, 0, VESPER_MSG_MAX, 8000);
    from->caps_or_badges[0] = cap;
    vesper_word dest = next_empty_slot();
    to->receive_cnode = ROOT_CNODE;
    to->receive_index = dest;
    to->receive_depth = 64;
    hand_to(a);
    recv_as(a, ep, NO_CAP);
    syscall_as(root, VESPER_SYS_SEND,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(2, VESPER_MSG_MAX, 1),
                                 .msg = {1, 2, 3, 4}});
    struct vesper_syscall_frame f = results_of(a);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(2, VESPER_MSG_MAX, 1), 1, 2, 3, 4, 0});
    assert_int_equal(to->msg[VESPER_MSG_MAX - 1], 8000 + VESPER_MSG_MAX - 1);
    assert_copy_of(dest, cap);
    assert_invariants();
}

/* Each type of capability sent alone: all go but Untyped, Reply and
 * IRQControl, which are never copied; those stop the transfer before it
 * starts, so the receiver's count is 0 and its receive slot stays empty.
 * (A 2 MiB Frame does not fit in the test machine; it goes as a 4 KiB one
 * does.) */
static void IPC0038_which_capability_types_travel(void **state)
{
    (void)state;
    struct transfer t = transfer_setup();
    vesper_word handler = next_empty_slot();
    assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_IRQ_CONTROL, irq_control_get, 3,
                               ROOT_CNODE, handler, 64),
                     VESPER_OK);
    const struct {
        vesper_word slot;
        bool goes;
    } caps[] = {
        {make_object(VESPER_OBJECT_UNTYPED, 8), false},
        {make_object(VESPER_OBJECT_CNODE, 2), true},
        {make_object(VESPER_OBJECT_DOMAIN, 0), true},
        {make_object(VESPER_OBJECT_ENDPOINT, 0), true}, /* not the one carrying it */
        {make_object(VESPER_OBJECT_NOTIFICATION, 0), true},
        {make_object(VESPER_OBJECT_REPLY, 0), false},
        {make_object(VESPER_OBJECT_FRAME_4K, 0), true},
        {make_object(VESPER_OBJECT_PDOM, 0), true},
        {make_object(VESPER_OBJECT_PAGE_TABLE, 0), true},
        {VESPER_ROOT_SLOT_IRQ_CONTROL, false},
        {handler, true},
        {VESPER_ROOT_SLOT_SCHED_CONTROL, true},
    };
    vesper_word dest = next_empty_slot();
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        struct cap before = slot_cap(caps[i].slot);
        struct vesper_syscall_frame f = transfer(&t, t.ep, dest, 1, &caps[i].slot);
        assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, caps[i].goes ? 1 : 0), 42,
                                         0, 0, 0, 0});
        assert_int_equal(slot_cap(caps[i].slot).word0, before.word0); /* the sender keeps it */
        if (caps[i].goes) {
            assert_copy_of(dest, caps[i].slot);
            assert_int_equal(delete_slot(dest), VESPER_OK);
        }
        assert_true(cap_is_null(slot_cap(dest)));
        assert_invariants();
    }
}

/* Each way the receive slot can fail stops the transfer at the capability
 * that needs it: the message and the capabilities before it arrive (here
 * an unwrapped badge), the rest do not, and nothing else changes. The
 * same capability does go into a slot of another CNode at depth 4, and
 * into the root CNode at depth 64. */
static void IPC0039_each_failure_of_the_receive_slot_stops_the_transfer(void **state)
{
    (void)state;
    struct transfer t = transfer_setup();
    vesper_word badged = mint_cap(t.ep, ALL, 0x31);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 4); /* 16 slots, no guard */
    struct cte *cnode_slot = &cnode_slots(slot_cap(cnode))[5];
    vesper_word dest = next_empty_slot();
    const struct receive_at refused[] = {
        {UNREACHABLE, dest, 64},                     /* the CNode's CPtr does not resolve */
        {NO_CAP, dest, 64},                          /* it names an empty slot */
        {frame, dest, 64},                           /* or a capability that is not a CNode */
        {ROOT_CNODE, dest, 65},                      /* a depth above 64 */
        {ROOT_CNODE, dest, (vesper_word)1 << 32 | 64}, /* even one whose low bits are 64 */
        {ROOT_CNODE, dest, UINT64_MAX},
        {ROOT_CNODE, dest, 0},                       /* a depth of 0 */
        {ROOT_CNODE, dest, 10},                      /* the index fails: guard mismatch */
        {ROOT_CNODE, dest, 60},                      /* depth mismatch */
        {ROOT_CNODE, UNREACHABLE, 64},               /* guard mismatch at full depth */
        {cnode, 5, 5},                               /* depth mismatch in the other CNode */
        {ROOT_CNODE, frame, 64},                     /* the slot is occupied */
    };
    const vesper_word caps[2] = {badged, frame};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        struct vesper_syscall_frame f = transfer_into(&t, t.ep, refused[i], 2, caps);
        assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 1) | UNWRAPPED(1), 42, 0, 0,
                                         0, 0});
        assert_int_equal(t.to->caps_or_badges[0], 0x31);
        assert_true(cap_is_null(slot_cap(dest)));
        assert_true(cap_is_null(cnode_slot->cap));
        assert_int_equal(cap_type(slot_cap(frame)), CAP_FRAME_4K);
        assert_false(cdt_has_children(test_root_slot(frame)));
        assert_invariants();
    }
    struct vesper_syscall_frame f =
        transfer_into(&t, t.ep, (struct receive_at){cnode, 5, 4}, 2, caps);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 2) | UNWRAPPED(1), 42, 0, 0, 0,
                                     0});
    assert_int_equal(cnode_slot->cap.word0, slot_cap(frame).word0);
    assert_true(cdt_is_parent_of(test_root_slot(frame), cnode_slot));
    f = transfer(&t, t.ep, dest, 2, caps);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(1, 1, 2) | UNWRAPPED(1), 42, 0, 0, 0,
                                     0});
    assert_copy_of(dest, frame);
    assert_invariants();
}

/* A Yield by d with noise in every word: it ends with VESPER_OK, the
 * clock at the Yield in word 1, and every other word zero. */
static struct vesper_syscall_frame noisy_yield(struct domain *d)
{
    const struct ipc_args noise = {.cptr = 0x1234, .tag = vesper_tag(9, 3, 2),
                                   .msg = {~(vesper_word)0, 2, 3, 4}, .reply = 0x5678};
    uint64_t before = hal_clock_now_ns();
    struct vesper_syscall_frame f = syscall_as(d, VESPER_SYS_YIELD, noise);
    assert_in_range(f.arg[1], before, hal_clock_now_ns());
    f.arg[1] = 0;
    assert_error_only(&f, VESPER_OK);
    return f;
}

/* Yield answers the clock and zeroes every other result word, whatever
 * words it was given: when the caller goes straight on, and when another
 * domain runs first and the caller's turn comes back. */
static void IPC0040_yield_results_are_the_clock_and_zeros(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    noisy_yield(root);
    assert_ptr_equal(kernel.current, root);
    struct domain *a = new_started_domain(NO_CAP, false);
    noisy_yield(root);
    assert_ptr_equal(kernel.current, a);
    uint64_t root_yielded = results_of(root).arg[1];
    noisy_yield(a);
    assert_ptr_equal(kernel.current, root);
    struct vesper_syscall_frame f = results_of(root);
    assert_int_equal(f.arg[1], root_yielded); /* the clock at its Yield, not later */
    f.arg[1] = 0;
    assert_error_only(&f, VESPER_OK);
}

/* ---- capabilities in replies ---- */

/* The root Calls a server through `via`; the server answers, by Reply or by
 * ReplyRecv (`reply_recv`), with a tag naming one capability, a Frame in
 * its buffer's caps_or_badges[0]. Returns the root's results; dest is the
 * root's receive slot. */
static struct vesper_syscall_frame reply_with_a_frame(vesper_word rights, bool reply_recv,
                                                      vesper_word *frame, vesper_word *dest)
{
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    vesper_word via = copy_cap(ep, rights);
    *frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word slot = make_domain(NO_CAP);
    struct vesper_ipc_buffer *server_buffer = give_ipc_buffer(slot);
    struct domain *s = start_domain(slot);
    *dest = next_empty_slot();
    struct vesper_ipc_buffer *root_buffer = domain_ipc_buffer(root);
    root_buffer->receive_cnode = ROOT_CNODE;
    root_buffer->receive_index = *dest;
    root_buffer->receive_depth = 64;
    hand_to(s);
    recv_as(s, ep, reply);
    syscall_as(root, VESPER_SYS_CALL,
               (struct ipc_args){.cptr = via, .tag = vesper_tag(1, 1, 0), .msg = {7}});
    assert_ptr_equal(kernel.current, s);
    server_buffer->caps_or_badges[0] = *frame;
    const struct ipc_args answer = {.cptr = reply_recv ? ep : reply, .tag = vesper_tag(0, 1, 1),
                                    .msg = {8}, .reply = reply};
    syscall_as(s, reply_recv ? VESPER_SYS_REPLY_RECV : VESPER_SYS_REPLY, answer);
    assert_int_equal(root->state, DOMAIN_RUNNABLE);
    return results_of(root);
}

/* A Call made through a capability with GRANT_REPLY accepts capabilities in
 * its reply: the Frame arrives in the caller's receive slot, as a child of
 * the server's, whether the server answers with Reply or ReplyRecv. */
static void IPC0041_grant_reply_lets_the_reply_carry_a_capability(void **state)
{
    for (int reply_recv = 0; reply_recv <= 1; reply_recv++) {
        assert_int_equal(test_boot(state), 0);
        vesper_word frame, dest;
        struct vesper_syscall_frame f = reply_with_a_frame(
            VESPER_RIGHT_WRITE | VESPER_RIGHT_GRANT_REPLY, reply_recv, &frame, &dest);
        assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, 1, 1), 8, 0, 0, 0, 0});
        assert_copy_of(dest, frame);
        assert_invariants();
    }
}

/* Without GRANT_REPLY (even with GRANT) the reply arrives without it. */
static void IPC0042_without_grant_reply_the_reply_carries_none(void **state)
{
    for (int reply_recv = 0; reply_recv <= 1; reply_recv++) {
        assert_int_equal(test_boot(state), 0);
        vesper_word frame, dest;
        struct vesper_syscall_frame f = reply_with_a_frame(
            VESPER_RIGHT_WRITE | VESPER_RIGHT_GRANT, reply_recv, &frame, &dest);
        assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, 1, 0), 8, 0, 0, 0, 0});
        assert_true(cap_is_null(slot_cap(dest)));
        assert_invariants();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(IPC0001_send_waits_for_a_receiver, test_boot),
        cmocka_unit_test_setup(IPC0002_recv_waits_for_a_sender, test_boot),
        cmocka_unit_test_setup(IPC0003_nb_send_without_receiver_is_dropped, test_boot),
        cmocka_unit_test_setup(IPC0004_nb_recv_would_block_or_takes_a_waiting_sender, test_boot),
        cmocka_unit_test_setup(IPC0005_call_and_reply_recv_round_trip, test_boot),
        cmocka_unit_test_setup(IPC0006_reply_is_one_shot, test_boot),
        cmocka_unit_test_setup(IPC0007_reply_with_no_call_bound_is_illegal, test_boot),
        cmocka_unit_test_setup(IPC0008_reply_needs_a_reply_object, test_boot),
        cmocka_unit_test_setup(IPC0009_reply_recv_with_a_caller_waiting_keeps_the_server,
                               test_boot),
        cmocka_unit_test_setup(IPC0010_call_to_a_receiver_without_reply_object_fails, test_boot),
        cmocka_unit_test_setup(IPC0011_failed_lookup_of_the_capability, test_boot),
        cmocka_unit_test_setup(IPC0012_failed_lookup_of_the_reply_object, test_boot),
        cmocka_unit_test_setup(IPC0013_wrong_type_or_missing_right, test_boot),
        cmocka_unit_test_setup(IPC0014_bad_reply_object_is_capability_1, test_boot),
        cmocka_unit_test_setup(IPC0015_reply_object_in_use_is_refused, test_boot),
        cmocka_unit_test_setup(IPC0016_senders_are_served_in_arrival_order, test_boot),
        cmocka_unit_test_setup(IPC0017_receivers_are_served_in_arrival_order, test_boot),
        cmocka_unit_test_setup(IPC0018_long_message_through_both_ipc_buffers, test_boot),
        cmocka_unit_test_setup(IPC0019_long_call_and_long_reply, test_boot),
        cmocka_unit_test_setup(IPC0020_without_an_ipc_buffer_a_message_is_cut_to_registers,
                               test_boot),
        cmocka_unit_test_setup(IPC0021_a_tag_longer_than_the_maximum_is_cut, test_boot),
        cmocka_unit_test_setup(IPC0022_grant_moves_a_capability_into_the_receive_slot,
                               test_boot),
        cmocka_unit_test_setup(IPC0023_without_grant_no_capability_moves, test_boot),
        cmocka_unit_test_setup(IPC0024_an_endpoint_sent_over_itself_arrives_as_its_badge,
                               test_boot),
        cmocka_unit_test_setup(IPC0025_transfer_stops_at_the_first_capability_that_cannot_go,
                               test_boot),
        cmocka_unit_test_setup(IPC0026_no_transfer_without_ipc_buffers, test_boot),
        cmocka_unit_test_setup(IPC0027_deleting_an_endpoint_cancels_its_senders, test_boot),
        cmocka_unit_test_setup(IPC0028_deleting_an_endpoint_cancels_its_receivers, test_boot),
        cmocka_unit_test_setup(IPC0029_deleting_a_blocked_domain_takes_it_off_the_queue,
                               test_boot),
        cmocka_unit_test_setup(IPC0030_deleting_the_reply_object_cancels_the_caller, test_boot),
        cmocka_unit_test_setup(IPC0031_cancel_badged_sends_cancels_only_that_badge, test_boot),
        cmocka_unit_test_setup(IPC0032_cancel_badged_sends_errors, test_boot),
        cmocka_unit_test_setup(IPC0033_yield_runs_domains_round_robin, test_boot),
        cmocka_unit_test_setup(IPC0034_start_puts_domains_at_the_back_of_the_run_queue,
                               test_boot),
        cmocka_unit_test_setup(IPC0035_start_errors, test_boot),
        cmocka_unit_test_setup(IPC0036_message_lengths_around_the_maximum, test_boot),
        cmocka_unit_test_setup(IPC0037_ipc_buffers_at_the_end_of_their_frames, test_boot),
        cmocka_unit_test_setup(IPC0038_which_capability_types_travel, test_boot),
        cmocka_unit_test_setup(IPC0039_each_failure_of_the_receive_slot_stops_the_transfer,
                               test_boot),
        cmocka_unit_test_setup(IPC0040_yield_results_are_the_clock_and_zeros, test_boot),
        cmocka_unit_test(IPC0041_grant_reply_lets_the_reply_carry_a_capability),
        cmocka_unit_test(IPC0042_without_grant_reply_the_reply_carries_none),
    };
    return cmocka_run_group_tests_name("ipc", tests, NULL, NULL);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Faults: an unknown syscall, or an exception the HAL reports through
 * kernel_entry_exception, becomes a Call from the faulting domain on its
 * fault endpoint. The handler's reply with label 0 resumes the domain (an
 * unknown syscall then ends with the reply's words), any other label stops
 * it. Without a handler, without a Reply object to answer with, or when
 * the fault endpoint or Reply object goes away, the domain is stopped and
 * the kernel runs on with the others.
 */
#include <stdio.h>

#include "ipc_support.h"

#define UNKNOWN_NUMBER 99
#define FAULT_BADGE 0xfa

/* A handler (the root) and a domain whose fault endpoint is a badged copy
 * of `ep`. */
struct fault_setup {
    vesper_word ep;
    vesper_word badged;
    vesper_word reply;
    vesper_word slot;
    struct domain *d;
};

static struct fault_setup fault_setup(void)
{
    struct fault_setup s;
    s.ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    s.reply = make_object(VESPER_OBJECT_REPLY, 0);
    s.badged = mint_cap(s.ep, RW, FAULT_BADGE);
    s.slot = make_domain(s.badged);
    s.d = start_domain(s.slot);
    return s;
}

/* The message a fault of `kind` with words w0-w2 arrives as. */
static void assert_fault_message_access(const struct vesper_syscall_frame *f, vesper_word kind,
                                        vesper_word w0, vesper_word w1, vesper_word w2,
                                        vesper_word access)
{
    assert_words(f,
                 (result_words){VESPER_OK, vesper_tag(kind, 4, 0), w0, w1, w2, access, FAULT_BADGE});
}

static void assert_fault_message(const struct vesper_syscall_frame *f, vesper_word kind,
                                 vesper_word w0, vesper_word w1, vesper_word w2)
{
    assert_fault_message_access(f, kind, w0, w1, w2, 0);
}

/* The root waits for faults; d runs and makes syscall UNKNOWN_NUMBER
 * (with words that must not matter); the root wakes with the fault. */
static struct vesper_syscall_frame fault_to_waiting_root(struct fault_setup *s,
                                                         vesper_word reply)
{
    struct domain *root = root_domain();
    recv_as(root, s->ep, reply);
    assert_ptr_equal(kernel.current, s->d);
    uintptr_t pc = hal_context_pc(&s->d->context);
    syscall_as(s->d, UNKNOWN_NUMBER,
               (struct ipc_args){.cptr = 5, .tag = vesper_tag(9, 100, 3), .msg = {1, 2, 3, 4},
                                 .reply = 6});
    struct vesper_syscall_frame f = results_of(root);
    assert_fault_message(&f, VESPER_FAULT_UNKNOWN_SYSCALL, UNKNOWN_NUMBER, pc, 0);
    return f;
}

static void FAULT0001_unknown_syscall_arrives_at_the_handler(void **state)
{
    (void)state;
    struct fault_setup s = fault_setup();
    fault_to_waiting_root(&s, s.reply);
    assert_ptr_equal(kernel.current, root_domain()); /* the fault is a Call: a hand-off */
    assert_int_equal(s.d->state, DOMAIN_BLOCKED_REPLY);
    assert_ptr_equal(reply_at(s.reply)->caller, s.d);
    assert_ptr_equal(s.d->reply, reply_at(s.reply));
    assert_int_equal(s.d->fault, VESPER_FAULT_UNKNOWN_SYSCALL);
    assert_int_equal(endpoint_at(s.ep)->state, ENDPOINT_IDLE);
    assert_run_queue((struct domain *[]){NULL});
}

static void FAULT0002_label_zero_reply_resumes_with_its_words(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct fault_setup s = fault_setup();
    fault_to_waiting_root(&s, s.reply);
    struct vesper_syscall_frame f = syscall_as(
        root, VESPER_SYS_REPLY,
        (struct ipc_args){.cptr = s.reply, .tag = vesper_tag(0, 3, 0), .msg = {7, 8, 9, 10}});
    assert_error_only(&f, VESPER_OK);
    assert_int_equal(s.d->state, DOMAIN_RUNNABLE);
    assert_int_equal(s.d->fault, 0);
    assert_null(s.d->reply);
    assert_null(reply_at(s.reply)->caller);
    /* The unknown syscall ends as if it had answered the reply's message. */
    f = results_of(s.d);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, 3, 0), 7, 8, 9, 0, 0});
    assert_run_queue((struct domain *[]){s.d, NULL});
    /* It runs on: its next syscall works, and its next fault comes again. */
    yield_as(root);
    f = yield_as(s.d);
    assert_error_only(&f, VESPER_OK);
    assert_ptr_equal(kernel.current, root);
    fault_to_waiting_root(&s, s.reply);
    assert_int_equal(s.d->state, DOMAIN_BLOCKED_REPLY);
}

/* ReplyRecv answers a fault too (on the general path), and waits for the
 * next one, handing the CPU to the resumed domain. */
static void FAULT0003_reply_recv_resumes_and_waits_again(void **state)
{
    (void)state;
    for (int disabled = 0; disabled <= 1; disabled++) {
        assert_int_equal(test_boot(state), 0);
        kernel.fastpath_disabled = disabled;
        struct domain *root = root_domain();
        struct fault_setup s = fault_setup();
        fault_to_waiting_root(&s, s.reply);
        syscall_as(root, VESPER_SYS_REPLY_RECV,
                   (struct ipc_args){.cptr = s.ep, .tag = vesper_tag(0, 1, 0), .msg = {42},
                                     .reply = s.reply});
        assert_ptr_equal(kernel.current, s.d);
        assert_int_equal(root->state, DOMAIN_BLOCKED_RECV);
        assert_ptr_equal(reply_at(s.reply)->receiver, root);
        struct vesper_syscall_frame f = results_of(s.d);
        assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, 1, 0), 42, 0, 0, 0, 0});
        /* A second fault reaches the waiting handler. */
        syscall_as(s.d, UNKNOWN_NUMBER + 1, (struct ipc_args){0});
        f = results_of(root);
        assert_fault_message(&f, VESPER_FAULT_UNKNOWN_SYSCALL, UNKNOWN_NUMBER + 1,
                             hal_context_pc(&s.d->context), 0);
        assert_ptr_equal(kernel.current, root);
    }
}

static void FAULT0004_a_reply_with_a_non_zero_label_stops_the_domain(void **state)
{
    (void)state;
    const vesper_word labels[] = {1, 2, 0xfff};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(test_boot(state), 0);
        struct domain *root = root_domain();
        struct fault_setup s = fault_setup();
        fault_to_waiting_root(&s, s.reply);
        struct vesper_syscall_frame before = results_of(s.d);
        struct vesper_syscall_frame f = syscall_as(
            root, VESPER_SYS_REPLY,
            (struct ipc_args){.cptr = s.reply, .tag = vesper_tag(labels[i], 1, 0), .msg = {1}});
        assert_error_only(&f, VESPER_OK);
        assert_int_equal(s.d->state, DOMAIN_STOPPED);
        assert_null(s.d->reply);
        assert_null(reply_at(s.reply)->caller);
        assert_run_queue((struct domain *[]){NULL});
        f = results_of(s.d); /* it never resumes: nothing is written */
        assert_memory_equal(&f, &before, sizeof f);
        /* It cannot be started again. */
        assert_int_equal(TEST_CALL(s.slot, domain_start, DOMAIN_ENTRY, new_stack(),
                                   STACK_SIZE, 0),
                         VESPER_ERR_ILLEGAL_OPERATION);
        assert_invariants();
    }
}

static void FAULT0005_no_handler_stops_the_domain_and_the_kernel_runs_on(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct domain *a = new_started_domain(NO_CAP, false);
    struct domain *b = new_started_domain(NO_CAP, false);
    hand_to(a);
    syscall_as(a, UNKNOWN_NUMBER, (struct ipc_args){.cptr = 1});
    assert_int_equal(a->state, DOMAIN_STOPPED);
    assert_true(kernel_is_running());
    assert_ptr_equal(kernel.current, b);
    assert_run_queue((struct domain *[]){root, NULL});
    assert_non_null(strstr(test_console, "stopped: unknown syscall (0x63"));
    assert_non_null(strstr(test_console, "and no fault handler"));
    /* The others go on as before. */
    struct vesper_syscall_frame f = yield_as(b);
    assert_error_only(&f, VESPER_OK);
    assert_ptr_equal(kernel.current, root);
    f = yield_as(root);
    assert_ptr_equal(kernel.current, b); /* a is gone from the rotation */
}

static void FAULT0006_a_handler_without_reply_object_stops_the_domain(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct fault_setup s = fault_setup();
    struct domain *other = new_started_domain(NO_CAP, false);
    fault_to_waiting_root(&s, NO_CAP);
    assert_int_equal(s.d->state, DOMAIN_STOPPED);
    assert_null(s.d->reply);
    assert_int_equal(s.d->fault, 0);
    assert_non_null(strstr(test_console, "took no reply object"));
    /* The handler has the message; the next domain in line runs. */
    assert_ptr_equal(kernel.current, other);
    assert_run_queue((struct domain *[]){root, NULL});
    assert_int_equal(root->state, DOMAIN_RUNNABLE);
}

/* A fault queued on the endpoint waits for the handler's receive. */
static void FAULT0007_a_fault_waits_for_the_handler(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct fault_setup s = fault_setup();
    yield_as(root);
    syscall_as(s.d, UNKNOWN_NUMBER, (struct ipc_args){0});
    assert_int_equal(s.d->state, DOMAIN_BLOCKED_SEND);
    assert_ptr_equal(kernel.current, root);
    /* NBRecv takes it; no hand-off, the handler goes on running. */
    struct vesper_syscall_frame f = syscall_as(
        root, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = s.ep, .reply = s.reply});
    assert_fault_message(&f, VESPER_FAULT_UNKNOWN_SYSCALL, UNKNOWN_NUMBER,
                         hal_context_pc(&s.d->context), 0);
    assert_int_equal(s.d->state, DOMAIN_BLOCKED_REPLY);
    assert_ptr_equal(reply_at(s.reply)->caller, s.d);
    assert_ptr_equal(kernel.current, root);
    f = syscall_as(root, VESPER_SYS_REPLY,
                   (struct ipc_args){.cptr = s.reply, .tag = vesper_tag(0, 0, 0)});
    assert_error_only(&f, VESPER_OK);
    f = results_of(s.d);
    assert_error_only(&f, VESPER_OK);
}

static void FAULT0008_deleting_the_fault_endpoint_with_a_queued_fault_stops_it(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct fault_setup s = fault_setup();
    struct domain *a = new_started_domain(NO_CAP, false);
    yield_as(root);
    syscall_as(s.d, UNKNOWN_NUMBER, (struct ipc_args){0});
    assert_int_equal(s.d->state, DOMAIN_BLOCKED_SEND);
    /* An ordinary sender on the same endpoint is only cancelled. */
    syscall_as(a, VESPER_SYS_SEND, (struct ipc_args){.cptr = s.ep, .tag = vesper_tag(1, 0, 0)});
    assert_ptr_equal(kernel.current, root);
    /* The domain's own copy goes with the revocation; the endpoint lives on
     * in the root slot until deleted. */
    assert_int_equal(revoke_slot(s.ep), VESPER_OK);
    assert_invariants();
    assert_true(cap_is_null(s.d->slots[DOMAIN_SLOT_FAULT_ENDPOINT].cap));
    assert_int_equal(s.d->state, DOMAIN_BLOCKED_SEND);
    assert_int_equal(delete_slot(s.ep), VESPER_OK);
    assert_invariants();
    assert_int_equal(s.d->state, DOMAIN_STOPPED);
    assert_int_equal(s.d->fault, 0);
    assert_non_null(strstr(test_console, "its fault was cancelled"));
    struct vesper_syscall_frame f = results_of(a);
    assert_error_only(&f, VESPER_ERR_CANCELLED);
    assert_run_queue((struct domain *[]){a, NULL});
    assert_ptr_equal(kernel.current, root);
}

/* The Reply object that would answer the fault goes away: no answer can
 * come, so the domain is stopped rather than woken. */
static void FAULT0009_deleting_the_reply_object_stops_the_faulted_domain(void **state)
{
    (void)state;
    struct fault_setup s = fault_setup();
    fault_to_waiting_root(&s, s.reply);
    assert_int_equal(delete_slot(s.reply), VESPER_OK);
    assert_invariants();
    assert_int_equal(s.d->state, DOMAIN_STOPPED);
    assert_null(s.d->reply);
    assert_run_queue((struct domain *[]){NULL});
}

/* A user exception, as the Pi HAL reports one, arrives the same way:
 * label VESPER_FAULT_USER_EXCEPTION, words (cause, pc, address, 0). */
static void FAULT0010_user_exception_goes_to_the_handler(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct fault_setup s = fault_setup();
    recv_as(root, s.ep, s.reply);
    assert_ptr_equal(kernel.current, s.d);
    struct vesper_syscall_frame before = results_of(s.d);
    struct hal_context *next =
        kernel_entry_exception(VESPER_FAULT_USER_EXCEPTION, 0x96000045, 0xdead0,
                               VESPER_FAULT_ACCESS_WRITE); /* only page faults say */
    assert_invariants();
    assert_ptr_equal(next, &root->context);
    assert_ptr_equal(kernel.current, root);
    struct vesper_syscall_frame f = results_of(root);
    assert_fault_message(&f, VESPER_FAULT_USER_EXCEPTION, 0x96000045,
                         hal_context_pc(&s.d->context), 0xdead0);
    assert_int_equal(s.d->state, DOMAIN_BLOCKED_REPLY);
    /* Label 0 resumes it; an exception's registers are not results, so
     * they are left as they were. */
    f = syscall_as(root, VESPER_SYS_REPLY,
                   (struct ipc_args){.cptr = s.reply, .tag = vesper_tag(0, 1, 0), .msg = {0x1234}});
    assert_error_only(&f, VESPER_OK);
    assert_int_equal(s.d->state, DOMAIN_RUNNABLE);
    f = results_of(s.d);
    assert_memory_equal(&f, &before, sizeof f);
    /* A page fault the same way; this time the answer stops it. */
    recv_as(root, s.ep, s.reply);
    assert_ptr_equal(kernel.current, s.d);
    kernel_entry_exception(VESPER_FAULT_PAGE, 0x7000, 1, VESPER_FAULT_ACCESS_WRITE);
    assert_invariants();
    f = results_of(root);
    assert_fault_message_access(&f, VESPER_FAULT_PAGE, 0x7000, hal_context_pc(&s.d->context), 1,
                                VESPER_FAULT_ACCESS_WRITE);
    syscall_as(root, VESPER_SYS_REPLY,
               (struct ipc_args){.cptr = s.reply, .tag = vesper_tag(1, 0, 0)});
    assert_int_equal(s.d->state, DOMAIN_STOPPED);
}

static void FAULT0011_user_exception_without_handler_stops_the_domain(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct domain *a = new_started_domain(NO_CAP, false);
    yield_as(root);
    assert_ptr_equal(kernel.current, a);
    struct hal_context *next = kernel_entry_exception(VESPER_FAULT_USER_EXCEPTION, 0x2000000, 0, 0);
    assert_invariants();
    assert_int_equal(a->state, DOMAIN_STOPPED);
    assert_ptr_equal(next, &root->context);
    assert_ptr_equal(kernel.current, root);
    assert_non_null(strstr(test_console, "stopped: user exception"));
    /* The domain is named by the address its capability gives, as
     * Identify reports it, not by the kernel's pointer to it. */
    char named[64];
    snprintf(named, sizeof named, "vesper: domain 0x%lx stopped: user exception",
             (unsigned long)hal_user_address(a));
    assert_non_null(strstr(test_console, named));
    assert_int_not_equal(hal_user_address(a), (uintptr_t)a);
    assert_true(kernel_is_running());
    /* The root alone faulting leaves nothing to run: the kernel stops. */
    assert_null(kernel_entry_exception(VESPER_FAULT_PAGE, 0x10, 0, 0));
    assert_false(kernel_is_running());
    assert_int_equal(kernel_exit_status(), KERNEL_NO_DOMAIN_STATUS);
    assert_non_null(strstr(test_console, "stopped: page fault"));
    assert_null(kernel_entry_exception(VESPER_FAULT_PAGE, 0x10, 0, 0)); /* and stays stopped */
    assert_invariants();
}

/* Deleting a domain that waits for its fault's answer frees the Reply
 * object; the handler's answer then finds no one. */
static void FAULT0012_deleting_the_faulted_domain(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct fault_setup s = fault_setup();
    fault_to_waiting_root(&s, s.reply);
    assert_int_equal(delete_slot(s.slot), VESPER_OK);
    assert_invariants();
    assert_null(reply_at(s.reply)->caller);
    struct vesper_syscall_frame f = syscall_as(
        root, VESPER_SYS_REPLY, (struct ipc_args){.cptr = s.reply, .tag = vesper_tag(0, 0, 0)});
    assert_error_only(&f, VESPER_ERR_ILLEGAL_OPERATION);
}

/* Faults of several domains queue in order on a shared fault endpoint, and
 * each carries the badge of its own fault endpoint capability. */
static void FAULT0013_faults_queue_in_order_with_their_badges(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    vesper_word b1 = mint_cap(ep, RW, 1);
    vesper_word b2 = mint_cap(ep, RW, 2);
    struct domain *a = start_domain(make_domain(b1));
    struct domain *b = start_domain(make_domain(b2));
    yield_as(root);
    syscall_as(a, 100, (struct ipc_args){0});
    syscall_as(b, 200, (struct ipc_args){0});
    assert_queue(&endpoint_at(ep)->queue, (struct domain *[]){a, b, NULL});
    struct domain *order[] = {a, b};
    for (vesper_word i = 0; i < 2; i++) {
        struct vesper_syscall_frame f = recv_as(root, ep, reply);
        assert_words(&f, (result_words){VESPER_OK, vesper_tag(VESPER_FAULT_UNKNOWN_SYSCALL, 4, 0),
                                        100 * (i + 1), hal_context_pc(&order[i]->context), 0, 0,
                                        i + 1});
        f = syscall_as(root, VESPER_SYS_REPLY,
                       (struct ipc_args){.cptr = reply, .tag = vesper_tag(0, 1, 0), .msg = {i}});
        assert_error_only(&f, VESPER_OK);
        f = results_of(order[i]);
        assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, 1, 0), i});
    }
    assert_run_queue((struct domain *[]){a, b, NULL});
}

/* The fault handler's answer to an unknown syscall follows the message
 * rules: words past the fourth come only through both IPC buffers. */
static void FAULT0014_a_long_answer_to_an_unknown_syscall(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    vesper_word badged = mint_cap(ep, RW, FAULT_BADGE);
    vesper_word with_slot = make_domain(badged);
    struct vesper_ipc_buffer *buffer = give_ipc_buffer(with_slot);
    struct domain *with = start_domain(with_slot);
    struct domain *without = start_domain(make_domain(badged));
    struct vesper_ipc_buffer *root_buffer = domain_ipc_buffer(root);
    for (unsigned i = 0; i < VESPER_MSG_MAX; i++)
        root_buffer->msg[i] = 300 + i;
    struct domain *faulted[] = {with, without};
    for (int i = 0; i < 2; i++) {
        recv_as(root, ep, reply);
        syscall_as(faulted[i], UNKNOWN_NUMBER, (struct ipc_args){0});
        assert_ptr_equal(kernel.current, root);
        syscall_as(root, VESPER_SYS_REPLY,
                   (struct ipc_args){.cptr = reply, .tag = vesper_tag(0, 8, 0),
                                     .msg = {1, 2, 3, 4}});
        struct vesper_syscall_frame f = results_of(faulted[i]);
        assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, i == 0 ? 8 : 4, 0), 1, 2, 3, 4});
    }
    for (unsigned i = 4; i < 8; i++)
        assert_int_equal(buffer->msg[i], 300 + i);
    assert_int_equal(buffer->msg[8], 0);
}

/* A fault already queued when the handler receives without a Reply object:
 * the domain is stopped (it was taken off the queue to be delivered). */
static void FAULT0015_a_queued_fault_taken_without_reply_object_stops_it(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct fault_setup s = fault_setup();
    yield_as(root);
    syscall_as(s.d, UNKNOWN_NUMBER, (struct ipc_args){0});
    assert_int_equal(s.d->state, DOMAIN_BLOCKED_SEND);
    struct vesper_syscall_frame f = recv_as(root, s.ep, NO_CAP);
    assert_fault_message(&f, VESPER_FAULT_UNKNOWN_SYSCALL, UNKNOWN_NUMBER,
                         hal_context_pc(&s.d->context), 0);
    assert_int_equal(s.d->state, DOMAIN_STOPPED);
    assert_null(s.d->blocked_on);
    assert_int_equal(endpoint_at(s.ep)->state, ENDPOINT_IDLE);
    assert_ptr_equal(kernel.current, root);
}

/* CancelBadgedSends on the fault endpoint's badge: a queued fault cannot be
 * cancelled back into the domain, so it is stopped. */
static void FAULT0016_cancelling_a_queued_fault_stops_the_domain(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct fault_setup s = fault_setup();
    yield_as(root);
    syscall_as(s.d, UNKNOWN_NUMBER, (struct ipc_args){0});
    assert_int_equal(s.d->state, DOMAIN_BLOCKED_SEND);
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_cancel_badged_sends, s.badged, 64),
                     VESPER_OK);
    assert_invariants();
    assert_int_equal(s.d->state, DOMAIN_STOPPED);
    assert_int_equal(endpoint_at(s.ep)->state, ENDPOINT_IDLE);
    assert_run_queue((struct domain *[]){NULL});
    assert_ptr_equal(kernel.current, root);
}

/* A page fault answered with label 0 and no words resumes the domain
 * where it stopped. */
static void FAULT0017_an_empty_answer_resumes_where_it_stopped(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct fault_setup s = fault_setup();
    recv_as(root, s.ep, s.reply);
    uintptr_t pc = hal_context_pc(&s.d->context);
    struct vesper_syscall_frame before = results_of(s.d);
    kernel_entry_exception(VESPER_FAULT_PAGE, 0x7000, 0x5000, 0);
    assert_invariants();
    struct vesper_syscall_frame f = syscall_as(
        root, VESPER_SYS_REPLY, (struct ipc_args){.cptr = s.reply, .tag = vesper_tag(0, 0, 0)});
    assert_error_only(&f, VESPER_OK);
    assert_int_equal(s.d->state, DOMAIN_RUNNABLE);
    assert_int_equal(s.d->fault, 0);
    assert_int_equal(hal_context_pc(&s.d->context), pc);
    f = results_of(s.d);
    assert_memory_equal(&f, &before, sizeof f);
    assert_run_queue((struct domain *[]){s.d, NULL});
}

/* A HAL may report a kind of fault the core has no name for: it still
 * arrives with its kind as the label, and without a handler the console
 * calls it a fault. */
static void FAULT0018_a_fault_of_unknown_kind(void **state)
{
    (void)state;
    const uint32_t kind = 0x77;
    struct domain *root = root_domain();
    struct fault_setup s = fault_setup();
    recv_as(root, s.ep, s.reply);
    kernel_entry_exception(kind, 1, 2, 0);
    assert_invariants();
    struct vesper_syscall_frame f = results_of(root);
    assert_fault_message(&f, kind, 1, hal_context_pc(&s.d->context), 2);
    struct domain *lone = new_started_domain(NO_CAP, false);
    yield_as(root);
    assert_ptr_equal(kernel.current, lone);
    kernel_entry_exception(kind, 3, 4, 0);
    assert_invariants();
    assert_int_equal(lone->state, DOMAIN_STOPPED);
    assert_non_null(strstr(test_console, " stopped: fault (0x3, pc "));
}

/* ReplyRecv whose answer stops the faulted domain waits for the next
 * message and runs whoever is next in line, not the stopped domain. */
static void FAULT0019_reply_recv_that_stops_the_domain_runs_the_next(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct fault_setup s = fault_setup();
    struct domain *other = new_started_domain(NO_CAP, false);
    fault_to_waiting_root(&s, s.reply);
    assert_run_queue((struct domain *[]){other, NULL});
    syscall_as(root, VESPER_SYS_REPLY_RECV,
               (struct ipc_args){.cptr = s.ep, .tag = vesper_tag(1, 0, 0), .reply = s.reply});
    assert_int_equal(s.d->state, DOMAIN_STOPPED);
    assert_int_equal(root->state, DOMAIN_BLOCKED_RECV);
    assert_ptr_equal(kernel.current, other);
    assert_run_queue((struct domain *[]){NULL});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(FAULT0001_unknown_syscall_arrives_at_the_handler, test_boot),
        cmocka_unit_test_setup(FAULT0002_label_zero_reply_resumes_with_its_words, test_boot),
        cmocka_unit_test_setup(FAULT0003_reply_recv_resumes_and_waits_again, test_boot),
        cmocka_unit_test_setup(FAULT0004_a_reply_with_a_non_zero_label_stops_the_domain,
                               test_boot),
        cmocka_unit_test_setup(FAULT0005_no_handler_stops_the_domain_and_the_kernel_runs_on,
                               test_boot),
        cmocka_unit_test_setup(FAULT0006_a_handler_without_reply_object_stops_the_domain,
                               test_boot),
        cmocka_unit_test_setup(FAULT0007_a_fault_waits_for_the_handler, test_boot),
        cmocka_unit_test_setup(FAULT0008_deleting_the_fault_endpoint_with_a_queued_fault_stops_it,
                               test_boot),
        cmocka_unit_test_setup(FAULT0009_deleting_the_reply_object_stops_the_faulted_domain,
                               test_boot),
        cmocka_unit_test_setup(FAULT0010_user_exception_goes_to_the_handler, test_boot),
        cmocka_unit_test_setup(FAULT0011_user_exception_without_handler_stops_the_domain,
                               test_boot),
        cmocka_unit_test_setup(FAULT0012_deleting_the_faulted_domain, test_boot),
        cmocka_unit_test_setup(FAULT0013_faults_queue_in_order_with_their_badges, test_boot),
        cmocka_unit_test_setup(FAULT0014_a_long_answer_to_an_unknown_syscall, test_boot),
        cmocka_unit_test_setup(FAULT0015_a_queued_fault_taken_without_reply_object_stops_it,
                               test_boot),
        cmocka_unit_test_setup(FAULT0016_cancelling_a_queued_fault_stops_the_domain, test_boot),
        cmocka_unit_test_setup(FAULT0017_an_empty_answer_resumes_where_it_stopped, test_boot),
        cmocka_unit_test_setup(FAULT0018_a_fault_of_unknown_kind, test_boot),
        cmocka_unit_test_setup(FAULT0019_reply_recv_that_stops_the_domain_runs_the_next,
                               test_boot),
    };
    return cmocka_run_group_tests_name("fault", tests, NULL, NULL);
}

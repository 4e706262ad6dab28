/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The syscall entry: dispatch, the unknown-syscall path, debug print and
 * exit, each success and each error code, each from a fresh boot.
 */
#include <stdio.h>
#include <string.h>

#include "ipc_support.h"
#include "support.h"

static const char greeting[] = "hello, kernel\n";

/* A RAM address the tests may scribble on: the last page of the last
 * Untyped region, which nothing uses yet. */
/* RAM the root may read: the lowest page of its stack, which its PDom
 * grants it (no code runs in these tests, so nothing else uses it). */
static uintptr_t scratch_address(void)
{
    return test_bootinfo()->stack_base;
}

static void assert_results_zero(const struct vesper_syscall_frame *frame)
{
    for (int i = 1; i < VESPER_SYSCALL_ARGS; i++)
        assert_int_equal(frame->arg[i], 0);
}

/* A number that names no syscall is a fault. The root domain has no fault
 * handler, so it is stopped with a logged reason; with nothing left to
 * run, the kernel stops (test_fault.c delivers such faults to a handler). */
static void SYSCALL0001_unknown_number_stops_a_domain_without_handler(void **state)
{
    static const vesper_word numbers[] = {0, 10, 15, 17, 31, 34, 0x7fffffff, UINT64_MAX};
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        assert_int_equal(test_boot(state), 0);
        struct vesper_syscall_frame frame;
        assert_null(test_syscall(&frame, numbers[i], 1, 2));
        assert_false(kernel_is_running());
        assert_int_equal(kernel_exit_status(), KERNEL_NO_DOMAIN_STATUS);
        assert_non_null(strstr(test_console, "stopped: unknown syscall"));
        assert_non_null(strstr(test_console, "no fault handler"));
        assert_non_null(strstr(test_console, "vesper: no domain can run\n"));
        assert_invariants();
    }
}

static void SYSCALL0002_debug_print_writes_ram_text(void **state)
{
    (void)state;
    uintptr_t text = test_poke(scratch_address(), greeting, strlen(greeting));
    size_t before = host_console_written();
    struct vesper_syscall_frame frame;
    test_syscall(&frame, VESPER_SYS_DEBUG_PRINT, text, strlen(greeting));
    assert_int_equal(frame.arg[0], VESPER_OK);
    assert_int_equal(frame.arg[1], strlen(greeting));
    assert_int_equal(host_console_written() - before, strlen(greeting));
    assert_non_null(strstr(test_console, greeting));
    assert_invariants();
}

static void SYSCALL0003_debug_print_reads_the_boot_image(void **state)
{
    (void)state;
    /* A string literal of the program is in the boot image, which the
     * root domain's code and constants come from. */
    static const char literal[] = "from the image\n";
    struct vesper_syscall_frame frame;
    test_syscall(&frame, VESPER_SYS_DEBUG_PRINT, (uintptr_t)literal, strlen(literal));
    assert_int_equal(frame.arg[0], VESPER_OK);
    assert_non_null(strstr(test_console, literal));
}

static void SYSCALL0004_debug_print_of_nothing_succeeds(void **state)
{
    (void)state;
    size_t before = host_console_written();
    struct vesper_syscall_frame frame;
    test_syscall(&frame, VESPER_SYS_DEBUG_PRINT, scratch_address(), 0);
    assert_int_equal(frame.arg[0], VESPER_OK);
    assert_int_equal(frame.arg[1], 0);
    assert_int_equal(host_console_written(), before);
}

static void SYSCALL0005_debug_print_longest_allowed(void **state)
{
    (void)state;
    char text[VESPER_DEBUG_PRINT_MAX];
    memset(text, 'v', sizeof text);
    uintptr_t address = test_poke(scratch_address(), text, sizeof text);
    size_t before = host_console_written();
    struct vesper_syscall_frame frame;
    test_syscall(&frame, VESPER_SYS_DEBUG_PRINT, address, VESPER_DEBUG_PRINT_MAX);
    assert_int_equal(frame.arg[0], VESPER_OK);
    assert_int_equal(host_console_written() - before, VESPER_DEBUG_PRINT_MAX);
}

static void SYSCALL0006_debug_print_too_long_is_range_error(void **state)
{
    (void)state;
    static const vesper_word lengths[] = {VESPER_DEBUG_PRINT_MAX + 1, 1u << 20, UINT64_MAX};
    size_t before = host_console_written();
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        struct vesper_syscall_frame frame;
        test_syscall(&frame, VESPER_SYS_DEBUG_PRINT, scratch_address(), lengths[i]);
        assert_int_equal(frame.arg[0], VESPER_ERR_RANGE);
        assert_int_equal(frame.arg[1], 0);
        assert_int_equal(frame.arg[2], VESPER_DEBUG_PRINT_MAX);
    }
    assert_int_equal(host_console_written(), before);
    assert_invariants();
}

static void SYSCALL0007_debug_print_outside_memory_is_address_error(void **state)
{
    (void)state;
    uintptr_t ram_end = HOST_USER_BASE + TEST_MEMORY;
    const struct { vesper_word address, length; } cases[] = {
        {0, 1},                         /* the null page */
        {HOST_USER_BASE - 1, 2},        /* straddles the start of RAM */
        {ram_end - 4, 8},               /* runs past the end of RAM */
        {ram_end, 0},                   /* just past RAM, even empty */
        {HOST_KERNEL_WINDOW, 4},        /* the kernel's own window */
        {UINT64_MAX - 2, 8},            /* wraps around */
    };
    size_t before = host_console_written();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct vesper_syscall_frame frame;
        test_syscall(&frame, VESPER_SYS_DEBUG_PRINT, cases[i].address, cases[i].length);
        assert_int_equal(frame.arg[0], VESPER_ERR_INVALID_ADDRESS);
        assert_results_zero(&frame);
        assert_true(kernel_is_running());
    }
    assert_int_equal(host_console_written(), before);
    assert_invariants();
}

static void SYSCALL0008_root_exit_shuts_down(void **state)
{
    (void)state;
    struct vesper_syscall_frame frame;
    assert_null(test_syscall(&frame, VESPER_SYS_EXIT, 7, 0));
    assert_false(kernel_is_running());
    assert_int_equal(kernel_exit_status(), 7);
    assert_null(kernel_current_context());
    assert_non_null(strstr(test_console, "vesper: shutdown, status 7\n"));
    assert_invariants();
}

static void SYSCALL0009_exit_status_out_of_range_is_refused(void **state)
{
    (void)state;
    static const vesper_word statuses[] = {256, 1000, UINT64_MAX};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_non_null(test_syscall(&frame, VESPER_SYS_EXIT, statuses[i], 0));
        assert_int_equal(frame.arg[0], VESPER_ERR_RANGE);
        assert_int_equal(frame.arg[2], 255);
        assert_true(kernel_is_running());
    }
    struct vesper_syscall_frame frame;
    assert_null(test_syscall(&frame, VESPER_SYS_EXIT, 255, 0));
    assert_int_equal(kernel_exit_status(), 255);
}

static void SYSCALL0010_entries_after_shutdown_change_nothing(void **state)
{
    (void)state;
    struct vesper_syscall_frame frame;
    test_syscall(&frame, VESPER_SYS_EXIT, 0, 0);
    size_t before = host_console_written();
    assert_null(test_syscall(&frame, VESPER_SYS_DEBUG_PRINT, (uintptr_t)greeting, 3));
    assert_null(test_syscall(&frame, VESPER_SYS_EXIT, 9, 0));
    assert_int_equal(kernel_exit_status(), 0);
    assert_int_equal(host_console_written(), before);
    assert_invariants();
}

/* A domain other than the root exits: it stops with its status, writes
 * no results, leaves the run queue and its binding, and the next domain
 * runs; the kernel goes on, silently. Its Domain object and slots stay
 * until its last capability goes, and it never starts again. */
static void SYSCALL0011_exit_of_another_domain_stops_only_it(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word signal = mint_cap(ntfn, VESPER_RIGHTS_ALL, 0x8);
    vesper_word slot = make_domain(NO_CAP);
    assert_int_equal(TEST_CALL(slot, domain_bind_notification, ntfn), VESPER_OK);
    struct domain *a = start_domain(slot);
    struct domain *b = new_started_domain(NO_CAP, false);
    hand_to(a);
    assert_run_queue((struct domain *[]){b, root, NULL});
    /* A status above 255 is refused, and a goes on. */
    struct vesper_syscall_frame f = syscall_as(a, VESPER_SYS_EXIT, (struct ipc_args){.cptr = 256});
    assert_words(&f, (result_words){VESPER_ERR_RANGE, 0, 255});
    assert_ptr_equal(kernel.current, a);
    size_t printed = host_console_written();
    const struct ipc_args words = {.cptr = 42, .tag = 0x77, .msg = {1, 2, 3, 4}, .reply = 5};
    f = syscall_as(a, VESPER_SYS_EXIT, words);
    assert_words(&f, (result_words){42, 0x77, 1, 2, 3, 4, 5});
    assert_int_equal(a->state, DOMAIN_STOPPED);
    assert_int_equal(a->exit_status, 42);
    assert_ptr_equal(kernel.current, b);
    assert_run_queue((struct domain *[]){root, NULL});
    assert_true(kernel_is_running());
    assert_int_equal(host_console_written(), printed);
    /* Unbound: a Signal only sets the word. */
    assert_null(a->bound);
    assert_null(notification_at(ntfn)->bound);
    f = syscall_as(b, VESPER_SYS_SEND, (struct ipc_args){.cptr = signal});
    assert_error_only(&f, VESPER_OK);
    assert_int_equal(notification_at(ntfn)->word, 0x8);
    assert_int_equal(a->state, DOMAIN_STOPPED);
    yield_as(b);
    assert_ptr_equal(kernel.current, root);
    assert_int_equal(header_type(slot_cap(slot)), CAP_DOMAIN);
    assert_int_equal(cap_type(a->slots[DOMAIN_SLOT_CSPACE].cap), CAP_CNODE);
    assert_int_equal(TEST_CALL(slot, domain_start, DOMAIN_ENTRY, new_stack(), STACK_SIZE, 0),
                     VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(delete_slot(slot), VESPER_OK);
    assert_true(cap_is_null(a->slots[DOMAIN_SLOT_CSPACE].cap));
    assert_true(kernel_is_running());
    assert_invariants();
}

/* A server that exits holding a Call leaves its caller waiting for the
 * reply: the Reply object, not the server, answers it, and any domain
 * that holds it still can. */
static void SYSCALL0012_exit_of_a_server_leaves_its_caller_waiting(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    struct domain *s = new_started_domain(NO_CAP, false);
    struct domain *o = new_started_domain(NO_CAP, false);
    hand_to(s);
    recv_as(s, ep, reply);
    yield_as(o);
    syscall_as(root, VESPER_SYS_CALL,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(1, 1, 0), .msg = {5}});
    assert_ptr_equal(kernel.current, s);
    syscall_as(s, VESPER_SYS_EXIT, (struct ipc_args){.cptr = 0});
    assert_int_equal(s->state, DOMAIN_STOPPED);
    assert_int_equal(root->state, DOMAIN_BLOCKED_REPLY);
    assert_ptr_equal(reply_at(reply)->caller, root);
    assert_ptr_equal(kernel.current, o);
    struct vesper_syscall_frame f = syscall_as(
        o, VESPER_SYS_REPLY, (struct ipc_args){.cptr = reply, .tag = vesper_tag(0, 1, 0),
                                               .msg = {99}});
    assert_error_only(&f, VESPER_OK);
    f = results_of(root);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, 1, 0), 99});
    assert_int_equal(root->state, DOMAIN_RUNNABLE);
}

/* When the domain that exits was the last that could run (the root waits
 * in a receive), the kernel shuts down with 3, not with its status. */
static void SYSCALL0013_exit_of_the_last_runnable_domain_shuts_down(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    recv_as(root, ep, NO_CAP);
    assert_ptr_equal(kernel.current, a);
    syscall_as(a, VESPER_SYS_EXIT, (struct ipc_args){.cptr = 9});
    assert_false(kernel_is_running());
    assert_int_equal(kernel_exit_status(), KERNEL_NO_DOMAIN_STATUS);
    assert_int_equal(a->exit_status, 9);
    assert_int_equal(root->state, DOMAIN_BLOCKED_RECV);
    assert_non_null(strstr(test_console, "vesper: no domain can run\n"));
    /* Then every domain, named as Identify names it, and what it waits for. */
    char line[128];
    snprintf(line, sizeof line, "vesper:   domain 0x%lx: waits to receive on endpoint 0x%lx\n",
             (unsigned long)hal_user_address(root), (unsigned long)cap_address(slot_cap(ep)));
    assert_non_null(strstr(test_console, line));
    snprintf(line, sizeof line, "vesper:   domain 0x%lx: stopped, status 9\n",
             (unsigned long)hal_user_address(a));
    assert_non_null(strstr(test_console, line));
    assert_non_null(strstr(test_console, "vesper: shutdown, status 3\n"));
}

/* The list when nothing can run names each way a domain can wait: never
 * started, sending, waiting for the answer to a Call (with the Reply
 * object), on a notification, and receiving. */
static void SYSCALL0017_no_domain_can_run_lists_every_kind_of_wait(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word called = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word idle = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    vesper_word unstarted = make_domain(NO_CAP);
    struct domain *server = new_started_domain(NO_CAP, false);
    struct domain *caller = new_started_domain(NO_CAP, false);
    struct domain *sender = new_started_domain(NO_CAP, false);
    struct domain *waiter = new_started_domain(NO_CAP, false);
    assert_false(kernel_is_idle());
    recv_as(root, ep, NO_CAP);
    recv_as(server, called, reply);
    syscall_as(caller, VESPER_SYS_CALL, (struct ipc_args){.cptr = called});
    assert_int_equal(caller->state, DOMAIN_BLOCKED_REPLY);
    recv_as(server, idle, NO_CAP); /* keeps the caller bound to reply */
    syscall_as(sender, VESPER_SYS_SEND, (struct ipc_args){.cptr = called});
    syscall_as(waiter, VESPER_SYS_RECV, (struct ipc_args){.cptr = ntfn});
    assert_false(kernel_is_running());
    assert_false(kernel_is_idle());
    assert_int_equal(kernel_exit_status(), KERNEL_NO_DOMAIN_STATUS);

    char line[160];
    snprintf(line, sizeof line, "vesper:   domain 0x%lx: never started\n",
             (unsigned long)hal_user_address(domain_at(unstarted)));
    assert_non_null(strstr(test_console, line));
    snprintf(line, sizeof line, "vesper:   domain 0x%lx: waits to send on endpoint 0x%lx\n",
             (unsigned long)hal_user_address(sender), (unsigned long)cap_address(slot_cap(called)));
    assert_non_null(strstr(test_console, line));
    snprintf(line, sizeof line,
             "vesper:   domain 0x%lx: waits for the answer to its call (reply object 0x%lx)\n",
             (unsigned long)hal_user_address(caller), (unsigned long)cap_address(slot_cap(reply)));
    assert_non_null(strstr(test_console, line));
    snprintf(line, sizeof line, "vesper:   domain 0x%lx: waits on notification 0x%lx\n",
             (unsigned long)hal_user_address(waiter), (unsigned long)cap_address(slot_cap(ntfn)));
    assert_non_null(strstr(test_console, line));
    snprintf(line, sizeof line, "vesper:   domain 0x%lx: waits to receive on endpoint 0x%lx\n",
             (unsigned long)hal_user_address(server), (unsigned long)cap_address(slot_cap(idle)));
    assert_non_null(strstr(test_console, line));
}

/* The root's exit shuts the kernel down even while other domains could
 * run. */
static void SYSCALL0014_root_exit_shuts_down_whatever_else_can_run(void **state)
{
    (void)state;
    struct domain *a = new_started_domain(NO_CAP, false);
    struct vesper_syscall_frame f;
    assert_null(test_syscall(&f, VESPER_SYS_EXIT, 3, 0));
    assert_false(kernel_is_running());
    assert_int_equal(kernel_exit_status(), 3);
    assert_int_equal(a->state, DOMAIN_RUNNABLE);
    assert_null(strstr(test_console, "no domain can run"));
}

/* d invokes Retype on the largest Untyped for one Endpoint into root slot
 * dest, with a tag of `length` words. The words past the fourth go to d's
 * IPC buffer, when it has one: the kernel reads them there. */
static struct vesper_syscall_frame retype_endpoint_as(struct domain *d, unsigned length,
                                                      vesper_word dest)
{
    struct vesper_invocation_msg m =
        vesper_untyped_retype_msg(VESPER_OBJECT_ENDPOINT, 0, ROOT_CNODE, 0, 0, dest, 1);
    struct vesper_ipc_buffer *buffer = domain_ipc_buffer(d);
    for (unsigned w = VESPER_MSG_REGISTERS; buffer != NULL && w < m.length; w++)
        buffer->msg[w] = m.word[w];
    return syscall_as(d, VESPER_SYS_CALL,
                      (struct ipc_args){.cptr = largest_untyped(),
                                        .tag = vesper_tag(m.label, length, 0),
                                        .msg = {m.word[0], m.word[1], m.word[2], m.word[3]}});
}

/* An object invocation whose tag asks for more than VESPER_MSG_MAX words
 * counts as VESPER_MSG_MAX: Retype, which takes seven words (three of them
 * from the IPC buffer), works with a length of 120, 121 or 127 alike. */
static void SYSCALL0015_invocation_longer_than_the_maximum_counts_as_the_maximum(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct vesper_ipc_buffer *buffer = domain_ipc_buffer(root);
    const unsigned lengths[] = {VESPER_MSG_MAX, VESPER_MSG_MAX + 1, 127};
    for (size_t i = 0; i < 3; i++) {
        vesper_word dest = next_empty_slot();
        for (unsigned w = 0; w < VESPER_MSG_MAX; w++)
            buffer->msg[w] = ~(vesper_word)0;
        struct vesper_syscall_frame f = retype_endpoint_as(root, lengths[i], dest);
        assert_error_only(&f, VESPER_OK);
        assert_int_equal(cap_type(slot_cap(dest)), CAP_ENDPOINT);
    }
}

/* Without an IPC buffer the same lengths count as four words: too few for
 * Retype, enough for Delete. */
static void SYSCALL0016_invocation_without_an_ipc_buffer_counts_four_words(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct domain *a = new_started_domain(NO_CAP, false);
    vesper_word dest = next_empty_slot(); /* where a Retype would put an object */
    hand_to(a);
    const unsigned lengths[] = {5, VESPER_MSG_MAX, 127};
    for (size_t i = 0; i < 3; i++) {
        struct vesper_syscall_frame f = retype_endpoint_as(a, lengths[i], dest);
        assert_error_only(&f, VESPER_ERR_TRUNCATED_MESSAGE);
        assert_true(cap_is_null(slot_cap(dest)));
    }
    struct vesper_invocation_msg delete = vesper_cnode_delete_msg(ep, 64);
    struct vesper_syscall_frame f =
        syscall_as(a, VESPER_SYS_CALL,
                   (struct ipc_args){.cptr = ROOT_CNODE,
                                     .tag = vesper_tag(delete.label, 127, 0),
                                     .msg = {delete.word[0], delete.word[1]}});
    assert_error_only(&f, VESPER_OK);
    assert_true(cap_is_null(slot_cap(ep)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(SYSCALL0001_unknown_number_stops_a_domain_without_handler),
        cmocka_unit_test_setup(SYSCALL0002_debug_print_writes_ram_text, test_boot),
        cmocka_unit_test_setup(SYSCALL0003_debug_print_reads_the_boot_image, test_boot),
        cmocka_unit_test_setup(SYSCALL0004_debug_print_of_nothing_succeeds, test_boot),
        cmocka_unit_test_setup(SYSCALL0005_debug_print_longest_allowed, test_boot),
        cmocka_unit_test_setup(SYSCALL0006_debug_print_too_long_is_range_error, test_boot),
        cmocka_unit_test_setup(SYSCALL0007_debug_print_outside_memory_is_address_error, test_boot),
        cmocka_unit_test_setup(SYSCALL0008_root_exit_shuts_down, test_boot),
        cmocka_unit_test_setup(SYSCALL0009_exit_status_out_of_range_is_refused, test_boot),
        cmocka_unit_test_setup(SYSCALL0010_entries_after_shutdown_change_nothing, test_boot),
        cmocka_unit_test_setup(SYSCALL0011_exit_of_another_domain_stops_only_it, test_boot),
        cmocka_unit_test_setup(SYSCALL0012_exit_of_a_server_leaves_its_caller_waiting, test_boot),
        cmocka_unit_test_setup(SYSCALL0013_exit_of_the_last_runnable_domain_shuts_down,
                               test_boot),
        cmocka_unit_test_setup(SYSCALL0014_root_exit_shuts_down_whatever_else_can_run,
                               test_boot),
        cmocka_unit_test_setup(SYSCALL0015_invocation_longer_than_the_maximum_counts_as_the_maximum,
                               test_boot),
        cmocka_unit_test_setup(SYSCALL0016_invocation_without_an_ipc_buffer_counts_four_words,
                               test_boot),
        cmocka_unit_test_setup(SYSCALL0017_no_domain_can_run_lists_every_kind_of_wait, test_boot),
    };
    return cmocka_run_group_tests_name("syscall", tests, NULL, NULL);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The kernel's round robin and its time slices (core/sched/sched.c,
 * kernel_entry_timer()): a slice ends at the deadline the kernel set, the
 * domain goes to the back of the run queue and the next gets a fresh
 * slice; a hand-off keeps the slice; a timer entry with no kernel running
 * does nothing.
 */
#include "ipc_support.h"

#include "kernel.h"

static void assert_fresh_slice(void)
{
    assert_int_equal(host_timer_deadline(), hal_clock_now_ns() + KERNEL_QUANTUM_NS);
}

/* Boot gives the root a slice; the end of it with nobody else runnable
 * gives the root another. */
static void SCHED0001_the_root_starts_with_a_slice(void **state)
{
    (void)state;
    assert_fresh_slice();
    hal_timer_set_deadline(0); /* as if it had passed */
    struct hal_context *next = kernel_entry_timer();
    assert_ptr_equal(next, &root_domain()->context);
    assert_fresh_slice();
    assert_run_queue((struct domain *[]){NULL});
    assert_invariants();
}

/* The end of a slice sends the domain to the back of the queue and the
 * next one runs, with a slice of its own; round and round. */
static void SCHED0002_a_slice_ends_in_round_robin(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    struct domain *a = start_domain(make_domain(NO_CAP));
    struct domain *b = start_domain(make_domain(NO_CAP));
    assert_run_queue((struct domain *[]){a, b, NULL});
    assert_ptr_equal(kernel_entry_timer(), &a->context);
    assert_ptr_equal(kernel.current, a);
    assert_fresh_slice();
    assert_run_queue((struct domain *[]){b, root, NULL});
    assert_ptr_equal(kernel_entry_timer(), &b->context);
    assert_ptr_equal(kernel_entry_timer(), &root->context);
    assert_run_queue((struct domain *[]){a, b, NULL});
    assert_invariants();
}

/* A Call hands the CPU to the server in the caller's slice: the deadline
 * stays where it was. */
static void SCHED0003_a_hand_off_keeps_the_slice(void **state)
{
    (void)state;
    struct domain *root = root_domain();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    struct domain *server = start_domain(make_domain(NO_CAP));
    syscall_as(root, VESPER_SYS_YIELD, (struct ipc_args){0});
    recv_as(server, ep, reply); /* the server waits; the root runs again */
    assert_ptr_equal(kernel.current, root);
    hal_timer_set_deadline(hal_clock_now_ns() + 1234);
    uint64_t deadline = host_timer_deadline();
    syscall_as(root, VESPER_SYS_CALL,
               (struct ipc_args){.cptr = ep, .tag = vesper_tag(0, 1, 0), .msg = {7}});
    assert_ptr_equal(kernel.current, server);
    assert_int_equal(host_timer_deadline(), deadline);
    assert_invariants();
}

/* After shutdown a timer entry resumes nobody and changes nothing; the
 * kernel disarmed the timer when it stopped. */
static void SCHED0004_no_timer_entry_after_shutdown(void **state)
{
    (void)state;
    syscall_as(root_domain(), VESPER_SYS_EXIT, (struct ipc_args){.cptr = 0});
    assert_false(kernel_is_running());
    assert_int_equal(host_timer_deadline(), HAL_DEADLINE_NONE);
    assert_null(kernel_entry_timer());
    assert_int_equal(host_timer_deadline(), HAL_DEADLINE_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(SCHED0001_the_root_starts_with_a_slice, test_boot),
        cmocka_unit_test_setup(SCHED0002_a_slice_ends_in_round_robin, test_boot),
        cmocka_unit_test_setup(SCHED0003_a_hand_off_keeps_the_slice, test_boot),
        cmocka_unit_test_setup(SCHED0004_no_timer_entry_after_shutdown, test_boot),
    };
    return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}

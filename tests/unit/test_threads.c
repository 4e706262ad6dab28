/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * libos's user-level threads (libos/threads.c), run in the test process
 * itself: they need no kernel, since a switch is a function call. Turns in
 * creation order, yield with nobody else ready, join of a finished thread,
 * of itself, and a join that could never end.
 */
#include <string.h>

#include <libos/threads.h>

#include "support.h"

#define STACK_SIZE 65536u /* generous: sanitizer builds use large frames */

static _Alignas(16) unsigned char stacks[3][STACK_SIZE];
static char order[16];
static unsigned steps;

static void note(char c)
{
    order[steps++] = c;
}

/* Take two steps, yielding between them. */
static void two_steps(struct vesper_threads *threads, void *arg)
{
    note(*(const char *)arg);
    vesper_thread_yield(threads);
    note(*(const char *)arg);
}

static void reset(void)
{
    memset(order, 0, sizeof order);
    steps = 0;
}

/* Threads take turns in the order they were made, the first one (main)
 * included, and a finished one is off the ring. */
static void THREADS0001_turns_in_creation_order(void **state)
{
    (void)state;
    struct vesper_threads threads;
    struct vesper_thread a, b;
    reset();
    vesper_threads_init(&threads);
    vesper_thread_create(&threads, &a, stacks[0], STACK_SIZE, two_steps, "a");
    vesper_thread_create(&threads, &b, stacks[1], STACK_SIZE, two_steps, "b");
    note('m');
    vesper_thread_yield(&threads);
    note('m');
    vesper_thread_yield(&threads);
    note('m');
    vesper_thread_yield(&threads); /* both have finished: straight back */
    assert_string_equal(order, "mabmabm");
    assert_ptr_equal(vesper_thread_self(&threads), &threads.main);
}

/* With nobody else ready, yield returns at once and switches nothing. */
static void THREADS0002_yield_alone_returns(void **state)
{
    (void)state;
    struct vesper_threads threads;
    vesper_threads_init(&threads);
    vesper_thread_yield(&threads);
    assert_int_equal(threads.switches, 0);
}

/* Join waits for a thread to finish, returns at once for one that has,
 * and refuses the caller itself. */
static void THREADS0003_join(void **state)
{
    (void)state;
    struct vesper_threads threads;
    struct vesper_thread a;
    reset();
    vesper_threads_init(&threads);
    vesper_thread_create(&threads, &a, stacks[0], STACK_SIZE, two_steps, "a");
    assert_false(vesper_thread_join(&threads, &threads.main));
    assert_true(vesper_thread_join(&threads, &a));
    assert_string_equal(order, "aa");
    unsigned long switches = threads.switches;
    assert_true(vesper_thread_join(&threads, &a));
    assert_int_equal(threads.switches, switches);
}

static struct vesper_thread *joined_by_b;
static bool b_join_result;

/* Join main, which is waiting to join this thread: that wait could never
 * end, and join says so. */
static void join_main(struct vesper_threads *threads, void *arg)
{
    (void)arg;
    b_join_result = vesper_thread_join(threads, joined_by_b);
    note('b');
}

static void THREADS0004_a_join_that_could_never_end_is_refused(void **state)
{
    (void)state;
    struct vesper_threads threads;
    struct vesper_thread b;
    reset();
    vesper_threads_init(&threads);
    joined_by_b = &threads.main;
    b_join_result = true;
    vesper_thread_create(&threads, &b, stacks[2], STACK_SIZE, join_main, NULL);
    assert_true(vesper_thread_join(&threads, &b)); /* b refuses, then finishes */
    assert_false(b_join_result);
    assert_string_equal(order, "b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(THREADS0001_turns_in_creation_order),
        cmocka_unit_test(THREADS0002_yield_alone_returns),
        cmocka_unit_test(THREADS0003_join),
        cmocka_unit_test(THREADS0004_a_join_that_could_never_end_is_refused),
    };
    return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}

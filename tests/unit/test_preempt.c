/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Preemption points (core/entry/preempt.h): a Revoke, or the Delete of
 * the last capability to an Endpoint or Notification with domains queued,
 * stopped at every k-th point (the test hook, k = 1, 2, 3, ...) leaves
 * every invariant true after each attempt, the caller's syscall made again
 * each time with its words intact, and ends in the same state as an
 * unpreempted run; the number of attempts shows that each makes progress. The host's answer
 * without the hook: the timer's deadline passed, or a line raised.
 */
#include <string.h>

#include "ipc_support.h"

#include "host.h"
#include "kernel.h"
#include "preempt.h"

#define COPIES 24u  /* children of the revoked capability */
#define DEPTH 8u    /* a chain of copies of copies under the first child */
#define OBJECTS 16u /* objects retyped from the revoked Untyped, beside a CNode */
#define CNODE_COPIES 8u /* copies of the first of them, in that CNode */
#define MAX_K 7u

/* The root's CNode slots' capabilities, to compare whole runs. */
#define VIEW_SLOTS 4096u
struct root_view {
    struct cap cap[VIEW_SLOTS];
};

static void take_view(struct root_view *v)
{
    memset(v, 0, sizeof *v);
    vesper_word slots = (vesper_word)1 << cnode_radix(test_root_slot(ROOT_CNODE)->cap);
    assert_true(slots <= VIEW_SLOTS);
    for (vesper_word i = 0; i < slots; i++)
        v->cap[i] = test_root_slot(i)->cap;
}

/* Invoke the root CNode with msg as the root, making the syscall again as
 * long as the kernel asks (host_trap() does that for a running domain),
 * with the invariants checked after each attempt. Returns the attempts. */
static unsigned invoke_to_the_end(struct vesper_invocation_msg msg)
{
    struct domain *root = root_domain();
    struct vesper_syscall_frame f;
    for (unsigned attempts = 1;; attempts++) {
        vesper_word error = test_invoke_msg(&f, ROOT_CNODE, msg);
        assert_invariants();
        assert_ptr_equal(kernel.current, root);
        if (!root->context.restart) {
            assert_int_equal(error, VESPER_OK);
            return attempts;
        }
        /* Stopped at a point: no result was written, the words are the call's. */
        assert_int_equal(f.arg[0], ROOT_CNODE);
        assert_true(attempts < 10000);
        root->context.restart = 0;
    }
}

static unsigned revoke_to_the_end(vesper_word slot)
{
    return invoke_to_the_end(vesper_cnode_revoke_msg(slot, 64));
}

/* An Endpoint with COPIES copies, the first with a chain of DEPTH copies
 * below it; returns the original's slot. */
static vesper_word make_tree(void)
{
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word first = copy_cap(ep, VESPER_RIGHTS_ALL);
    for (unsigned i = 1; i < COPIES; i++)
        copy_cap(ep, VESPER_RIGHTS_ALL);
    vesper_word link = first;
    for (unsigned i = 0; i < DEPTH; i++)
        link = copy_cap(link, VESPER_RIGHTS_ALL);
    return ep;
}

/* An Untyped with a CNode and OBJECTS objects in it, Endpoints and
 * Notifications, the CNode holding copies of the first CNODE_COPIES.
 * Returns the Untyped's slot. Every capability made is its descendant. */
static vesper_word make_untyped_tree(void)
{
    vesper_word pool = make_object(VESPER_OBJECT_UNTYPED, 16);
    vesper_word cnode = make_object_from(pool, VESPER_OBJECT_CNODE, 4);
    for (unsigned i = 0; i < OBJECTS; i++) {
        vesper_word o = make_object_from(
            pool, i % 2 ? VESPER_OBJECT_ENDPOINT : VESPER_OBJECT_NOTIFICATION, 0);
        if (i < CNODE_COPIES)
            move_into_cnode(cnode, 4, i, copy_cap(o, VESPER_RIGHTS_ALL));
    }
    return pool;
}

/* For k = 0 (no preemption) and 1..MAX_K: boot, build, revoke with a stop
 * at every k-th point; every run must end in the k = 0 run's state. */
static void revoke_at_every_point(vesper_word (*build)(void), unsigned deletions)
{
    static struct root_view unpreempted, preempted;
    for (unsigned k = 0; k <= MAX_K; k++) {
        assert_int_equal(test_boot(NULL), 0);
        vesper_word top = build();
        preemption_test_every(k);
        unsigned attempts = revoke_to_the_end(top);
        preemption_test_every(0);
        assert_false(cdt_has_children(test_root_slot(top)));
        if (k == 0) {
            assert_int_equal(attempts, 1);
            take_view(&unpreempted);
            continue;
        }
        /* Every descendant is deleted once, with a point after each but the
         * last: a stop at every k-th point makes about deletions / k
         * attempts. */
        assert_in_range(attempts, (deletions - 1) / k + 1, deletions);
        take_view(&preempted);
        assert_memory_equal(&preempted, &unpreempted, sizeof preempted);
    }
}

/* PREEMPT0001: a Revoke of a wide and deep tree of copies. */
static void PREEMPT0001_revoke_of_copies_at_every_point(void **state)
{
    (void)state;
    revoke_at_every_point(make_tree, COPIES + DEPTH);
}

/* PREEMPT0002: a Revoke of an Untyped whose objects include a CNode
 * holding capabilities: each child object is destroyed whole, and the
 * Untyped can be used in full again after the last attempt. */
static void PREEMPT0002_revoke_of_an_untyped_at_every_point(void **state)
{
    (void)state;
    revoke_at_every_point(make_untyped_tree, 1 + OBJECTS + CNODE_COPIES);
    vesper_word pool = make_untyped_tree();
    assert_int_equal(revoke_to_the_end(pool), 1);
    make_object_from(pool, VESPER_OBJECT_UNTYPED, 16); /* all of it, free again */
}

/* PREEMPT0003: without the hook the host answers from its machine: the
 * timer's deadline passed, or an unmasked line raised. A Revoke started
 * with the deadline passed stops after its first deletion. */
static void PREEMPT0003_host_pending_is_the_deadline_or_a_line(void **state)
{
    (void)state;
    hal_timer_set_deadline(HAL_DEADLINE_NONE);
    assert_false(hal_preemption_pending());
    hal_timer_set_deadline(0);
    assert_true(hal_preemption_pending());
    hal_timer_set_deadline(HAL_DEADLINE_NONE);
    vesper_word ep = make_tree();
    hal_timer_set_deadline(0);
    vesper_word error = test_invoke_msg(NULL, ROOT_CNODE, vesper_cnode_revoke_msg(ep, 64));
    (void)error;
    assert_true(root_domain()->context.restart);
    assert_true(cdt_has_children(test_root_slot(ep)));
    assert_invariants();
    root_domain()->context.restart = 0;
    hal_timer_set_deadline(HAL_DEADLINE_NONE);
    assert_int_equal(revoke_to_the_end(ep), 1);
}

#define WAITERS 9u /* domains queued on the object whose last capability goes */

static struct domain *waiter[WAITERS];

/* WAITERS new domains, each blocked in a Send on the Endpoint at ep (or a
 * Wait on the Notification at ep), in that order; the root runs again. */
static void queue_waiters(vesper_word ep, vesper_word number)
{
    for (unsigned i = 0; i < WAITERS; i++)
        waiter[i] = new_started_domain(NO_CAP, false);
    hand_to(waiter[0]);
    for (unsigned i = 0; i < WAITERS; i++)
        syscall_as(waiter[i], number, (struct ipc_args){.cptr = ep, .tag = vesper_tag(0, 1, 0),
                                                          .msg = {i}});
    assert_ptr_equal(kernel.current, root_domain());
}

/* The waiters' states and results, and the run queue, at the end. */
struct waiters_view {
    uint32_t state[WAITERS];
    struct vesper_syscall_frame result[WAITERS];
    struct domain *run_queue[WAITERS + 2];
};

static void take_waiters_view(struct waiters_view *v)
{
    memset(v, 0, sizeof *v);
    for (unsigned i = 0; i < WAITERS; i++) {
        v->state[i] = waiter[i]->state;
        hal_context_get_syscall(&waiter[i]->context, &v->result[i]);
    }
    unsigned n = 0;
    for (struct domain *d = kernel.run_queue.head; d != NULL && n < WAITERS + 1; d = d->queue_next)
        v->run_queue[n++] = d;
}

/* For k = 0 and 1..MAX_K: boot, queue the waiters on a new object of type,
 * and delete its only capability, stopping at every k-th point: each
 * attempt cancels at most k of them, and every run ends as the k = 0 run
 * does, each waiter woken with VESPER_ERR_CANCELLED in queue order. */
static void delete_with_waiters_at_every_point(vesper_word type, vesper_word number)
{
    static struct waiters_view unpreempted, preempted;
    for (unsigned k = 0; k <= MAX_K; k++) {
        assert_int_equal(test_boot(NULL), 0);
        vesper_word object = make_object(type, 0);
        queue_waiters(object, number);
        preemption_test_every(k);
        unsigned attempts = invoke_to_the_end(vesper_cnode_delete_msg(object, 64));
        preemption_test_every(0);
        assert_true(cap_is_null(test_root_slot(object)->cap));
        for (unsigned i = 0; i < WAITERS; i++) {
            assert_int_equal(waiter[i]->state, DOMAIN_RUNNABLE);
            struct vesper_syscall_frame f = results_of(waiter[i]);
            assert_int_equal(f.arg[0], VESPER_ERR_CANCELLED);
        }
        if (k == 0) {
            assert_int_equal(attempts, 1);
            take_waiters_view(&unpreempted);
            continue;
        }
        /* A point after each cancellation: about WAITERS / k attempts. */
        assert_in_range(attempts, WAITERS / k, WAITERS + 1);
        take_waiters_view(&preempted);
        assert_memory_equal(&preempted, &unpreempted, sizeof preempted);
    }
}

/* PREEMPT0004: the last capability to an Endpoint with senders queued. */
static void PREEMPT0004_delete_of_an_endpoint_with_senders_at_every_point(void **state)
{
    (void)state;
    delete_with_waiters_at_every_point(VESPER_OBJECT_ENDPOINT, VESPER_SYS_SEND);
}

/* PREEMPT0005: the last capability to a Notification with waiters. */
static void PREEMPT0005_delete_of_a_notification_with_waiters_at_every_point(void **state)
{
    (void)state;
    delete_with_waiters_at_every_point(VESPER_OBJECT_NOTIFICATION, VESPER_SYS_RECV);
}

/* PREEMPT0006: a Revoke whose descendant is the last capability to an
 * Endpoint with senders: the Revoke stops inside that deletion too, and
 * the next attempt goes on with the queue's rest. */
static void PREEMPT0006_revoke_stops_inside_a_deletion(void **state)
{
    (void)state;
    vesper_word pool = make_object(VESPER_OBJECT_UNTYPED, 12);
    vesper_word ep = make_object_from(pool, VESPER_OBJECT_ENDPOINT, 0);
    queue_waiters(ep, VESPER_SYS_SEND);
    preemption_test_every(2);
    vesper_word error = test_invoke_msg(NULL, ROOT_CNODE, vesper_cnode_revoke_msg(pool, 64));
    (void)error;
    assert_true(root_domain()->context.restart);
    assert_int_equal(waiter[0]->state, DOMAIN_RUNNABLE);
    assert_int_equal(waiter[1]->state, DOMAIN_RUNNABLE);
    assert_int_equal(waiter[2]->state, DOMAIN_BLOCKED_SEND); /* the rest stay queued */
    assert_false(cap_is_null(test_root_slot(ep)->cap));
    assert_invariants();
    root_domain()->context.restart = 0;
    revoke_to_the_end(pool);
    preemption_test_every(0);
    assert_true(cap_is_null(test_root_slot(ep)->cap));
    for (unsigned i = 0; i < WAITERS; i++)
        assert_int_equal(waiter[i]->state, DOMAIN_RUNNABLE);
}

/* PREEMPT0007: a deletion the kernel makes for itself (emptying a CNode
 * being destroyed) cancels an Endpoint's whole queue at once, whatever the
 * hook says: only a caller's Delete or Revoke stops between waiters. */
static void PREEMPT0007_container_deletion_cancels_at_once(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    queue_waiters(ep, VESPER_SYS_SEND);
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 2);
    move_into_cnode(cnode, 2, 1, ep); /* the Endpoint's only capability */
    preemption_test_every(1);
    assert_int_equal(invoke_to_the_end(vesper_cnode_delete_msg(cnode, 64)), 1);
    preemption_test_every(0);
    for (unsigned i = 0; i < WAITERS; i++) {
        assert_int_equal(waiter[i]->state, DOMAIN_RUNNABLE);
        assert_int_equal(results_of(waiter[i]).arg[0], VESPER_ERR_CANCELLED);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(PREEMPT0001_revoke_of_copies_at_every_point, test_boot),
        cmocka_unit_test_setup(PREEMPT0002_revoke_of_an_untyped_at_every_point, test_boot),
        cmocka_unit_test_setup(PREEMPT0003_host_pending_is_the_deadline_or_a_line, test_boot),
        cmocka_unit_test_setup(PREEMPT0004_delete_of_an_endpoint_with_senders_at_every_point,
                               test_boot),
        cmocka_unit_test_setup(PREEMPT0005_delete_of_a_notification_with_waiters_at_every_point,
                               test_boot),
        cmocka_unit_test_setup(PREEMPT0006_revoke_stops_inside_a_deletion, test_boot),
        cmocka_unit_test_setup(PREEMPT0007_container_deletion_cancels_at_once, test_boot),
    };
    return cmocka_run_group_tests_name("preempt", tests, NULL, NULL);
}

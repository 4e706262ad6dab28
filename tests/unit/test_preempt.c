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
#include "ipc.h"
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

/* Invoke the CNode at cnode with msg as the root, making the syscall
 * again as long as the kernel asks (host_trap() does that for a running
 * domain), with the invariants checked after each attempt. Returns the
 * attempts. */
static unsigned invoke_cnode_to_the_end(vesper_word cnode, struct vesper_invocation_msg msg)
{
    struct domain *root = root_domain();
    struct vesper_syscall_frame f;
    for (unsigned attempts = 1;; attempts++) {
        vesper_word error = test_invoke_msg(&f, cnode, msg);
        assert_invariants();
        assert_ptr_equal(kernel.current, root);
        if (!root->context.restart) {
            assert_int_equal(error, VESPER_OK);
            return attempts;
        }
        /* Stopped at a point: no result was written, the words are the call's. */
        assert_int_equal(f.arg[0], cnode);
        assert_true(attempts < 100000);
        root->context.restart = 0;
    }
}

static unsigned invoke_to_the_end(struct vesper_invocation_msg msg)
{
    return invoke_cnode_to_the_end(ROOT_CNODE, msg);
}

/* One attempt of msg on the root CNode, which must stop at a point. */
static void invoke_and_stop(struct vesper_invocation_msg msg)
{
    test_invoke_msg(NULL, ROOT_CNODE, msg);
    assert_true(root_domain()->context.restart);
    assert_invariants();
    root_domain()->context.restart = 0;
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

/* For k = 0 (no preemption) and 1..MAX_K: boot, build, then Revoke
 * (revoke) or Delete the capability build returns, with a stop at every
 * k-th point; every run must end in the k = 0 run's state. An attempt goes
 * on where the last stopped, asking no point twice: with P points in the
 * k = 0 run, a run makes P / k + 1 attempts. Returns P. */
static unsigned remove_at_every_point(vesper_word (*build)(void), bool revoke)
{
    static struct root_view unpreempted, preempted;
    unsigned points = 0;
    for (unsigned k = 0; k <= MAX_K; k++) {
        assert_int_equal(test_boot(NULL), 0);
        vesper_word top = build();
        preemption_test_every(k);
        unsigned attempts = invoke_to_the_end(revoke ? vesper_cnode_revoke_msg(top, 64)
                                                     : vesper_cnode_delete_msg(top, 64));
        if (k == 0)
            points = kernel.preemption_points;
        preemption_test_every(0);
        if (revoke)
            assert_false(cdt_has_children(test_root_slot(top)));
        else
            assert_true(cap_is_null(test_root_slot(top)->cap));
        assert_int_equal(attempts, k == 0 ? 1 : points / k + 1);
        take_view(k == 0 ? &unpreempted : &preempted);
        if (k != 0)
            assert_memory_equal(&preempted, &unpreempted, sizeof preempted);
    }
    return points;
}

static void revoke_at_every_point(vesper_word (*build)(void), unsigned deletions)
{
    /* A point after each descendant's deletion but the last, and more
     * inside those that empty a container. */
    assert_true(remove_at_every_point(build, true) >= deletions - 1);
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

/* PREEMPT0007: emptying a CNode being destroyed stops between the
 * waiters it cancels, as a Delete of the Endpoint's last capability does;
 * the CNode is a zombie meanwhile. */
static void PREEMPT0007_container_deletion_stops_between_waiters(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    queue_waiters(ep, VESPER_SYS_SEND);
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 2);
    move_into_cnode(cnode, 2, 1, ep); /* the Endpoint's only capability */
    preemption_test_every(3); /* the zombie made, one waiter cancelled, a second */
    invoke_and_stop(vesper_cnode_delete_msg(cnode, 64));
    assert_int_equal(cap_type(test_root_slot(cnode)->cap), CAP_ZOMBIE);
    assert_int_equal(waiter[0]->state, DOMAIN_RUNNABLE);
    assert_int_equal(waiter[1]->state, DOMAIN_RUNNABLE);
    assert_int_equal(waiter[2]->state, DOMAIN_BLOCKED_SEND);
    invoke_to_the_end(vesper_cnode_delete_msg(cnode, 64));
    preemption_test_every(0);
    assert_true(cap_is_null(test_root_slot(cnode)->cap));
    for (unsigned i = 0; i < WAITERS; i++) {
        assert_int_equal(waiter[i]->state, DOMAIN_RUNNABLE);
        assert_int_equal(results_of(waiter[i]).arg[0], VESPER_ERR_CANCELLED);
    }
}

/* ---- Containers ---- */

#define NEST_RADIX 8u /* the outer CNode */
#define NEST_COPIES 100u

/* Fill `count` slots of the CNode at cnode (of radix) from `first` with
 * copies of the Endpoint at ep. */
static void fill_with_copies(vesper_word cnode, unsigned radix, vesper_word first,
                             unsigned count, vesper_word ep)
{
    for (unsigned i = 0; i < count; i++)
        move_into_cnode(cnode, radix, first + i, copy_cap(ep, VESPER_RIGHTS_ALL));
}

/* A CNode of radix NEST_RADIX whose last capability is in the root, with
 * NEST_COPIES copies of an Endpoint, and the last capabilities of: a CNode
 * of radix 4 with copies and the last capability to a CNode of radix 2;
 * an Endpoint with domains queued; a CNode holding a copy of itself (so
 * that its emptying meets the capability being deleted in it). Returns
 * the outer CNode's slot. */
static vesper_word make_nest(void)
{
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word outer = make_object(VESPER_OBJECT_CNODE, NEST_RADIX);
    fill_with_copies(outer, NEST_RADIX, 0, NEST_COPIES, ep);
    vesper_word middle = make_object(VESPER_OBJECT_CNODE, 4);
    fill_with_copies(middle, 4, 0, 10, ep);
    vesper_word inner = make_object(VESPER_OBJECT_CNODE, 2);
    fill_with_copies(inner, 2, 1, 3, ep);
    move_into_cnode(middle, 4, 12, inner);
    move_into_cnode(outer, NEST_RADIX, 200, middle);
    vesper_word queued = make_object(VESPER_OBJECT_ENDPOINT, 0);
    queue_waiters(queued, VESPER_SYS_SEND);
    move_into_cnode(outer, NEST_RADIX, 201, queued);
    vesper_word self = make_object(VESPER_OBJECT_CNODE, 2);
    move_into_cnode(self, 2, 3, copy_cap(self, VESPER_RIGHTS_ALL));
    move_into_cnode(outer, NEST_RADIX, 255, self);
    return outer;
}

/* PREEMPT0008: the Delete of a CNode that holds CNodes, an Endpoint with
 * senders and a CNode that holds itself, at every point. */
static void PREEMPT0008_delete_of_nested_cnodes_at_every_point(void **state)
{
    (void)state;
    /* The scans, the copies, the CNodes, the waiters: more than these. */
    assert_true(remove_at_every_point(make_nest, false) > NEST_COPIES + 10 + 3 + WAITERS);
}

/* A full CNode of radix 10. */
static vesper_word make_full_cnode(void)
{
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 10);
    fill_with_copies(cnode, 10, 0, 1024, ep);
    return cnode;
}

/* PREEMPT0009: a full CNode: a point after each capability. */
static void PREEMPT0009_delete_of_a_full_cnode_at_every_point(void **state)
{
    (void)state;
    assert_true(remove_at_every_point(make_full_cnode, false) >= 1024);
}

/* A CNode of radix 12 with one capability, in its last slot. */
static vesper_word make_sparse_cnode(void)
{
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 12);
    fill_with_copies(cnode, 12, 4095, 1, ep);
    return cnode;
}

/* PREEMPT0010: an almost empty CNode: its scan stops too, every 256
 * slots, so that no step's work grows with the CNode's size. */
static void PREEMPT0010_scan_of_an_empty_cnode_stops(void **state)
{
    (void)state;
    assert_true(remove_at_every_point(make_sparse_cnode, false) >= 4096 / 256);
}

/* PREEMPT0011: between attempts the zombie of a stopped deletion can be
 * named but not used: Identify shows it, every operation but Delete and
 * Revoke refuses it, Revoke finds nothing below it, and a Delete goes on
 * with the deletion. */
static void PREEMPT0011_a_zombie_between_attempts(void **state)
{
    (void)state;
    vesper_word cnode = make_full_cnode();
    vesper_word empty = next_empty_slot();
    preemption_test_every(5);
    invoke_and_stop(vesper_cnode_delete_msg(cnode, 64));
    preemption_test_every(0);
    struct vesper_syscall_frame f;
    assert_int_equal(test_identify(&f, cnode), VESPER_OK);
    assert_int_equal(f.arg[2] & 0xff, CAP_ZOMBIE);
    struct cap zombie = test_root_slot(cnode)->cap;
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_copy, empty, 64, ROOT_CNODE, cnode, 64,
                               VESPER_RIGHTS_ALL),
                     VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_mint, empty, 64, ROOT_CNODE, cnode, 64,
                               VESPER_RIGHTS_ALL, 0),
                     VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_move, empty, 64, ROOT_CNODE, cnode, 64),
                     VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_mutate, empty, 64, ROOT_CNODE, cnode, 64, 0),
                     VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_rotate, cnode, 64, ROOT_CNODE, empty - 1, 64,
                               0, ROOT_CNODE, cnode, 64, 0),
                     VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(TEST_CALL(cnode, cnode_delete, 0, 10), VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_revoke, cnode, 64), VESPER_OK);
    assert_memory_equal(&test_root_slot(cnode)->cap, &zombie, sizeof zombie);
    assert_true(cap_is_null(test_root_slot(empty)->cap));
    assert_invariants();
    invoke_to_the_end(vesper_cnode_delete_msg(cnode, 64));
    assert_true(cap_is_null(test_root_slot(cnode)->cap));
}

/* A CNode of radix 2 whose slot 1 holds the last capability to a full
 * CNode (make_full_cnode()); returns the outer one's slot. */
static vesper_word make_pair(void)
{
    vesper_word inner = make_full_cnode();
    vesper_word outer = make_object(VESPER_OBJECT_CNODE, 2);
    move_into_cnode(outer, 2, 1, inner);
    return outer;
}

/* PREEMPT0012: a deletion that stopped, left inside a container whose
 * own deletion then meets it: the second takes over the first's stack and
 * both end as one unpreempted Delete of the outer CNode does. */
static void PREEMPT0012_a_stopped_deletion_inside_a_container_being_deleted(void **state)
{
    (void)state;
    static struct root_view unpreempted, preempted;
    vesper_word outer = make_pair();
    invoke_to_the_end(vesper_cnode_delete_msg(outer, 64));
    take_view(&unpreempted);
    for (unsigned k = 1; k <= MAX_K; k++) {
        assert_int_equal(test_boot(NULL), 0);
        outer = make_pair();
        preemption_test_every(50 + k);
        test_invoke_msg(NULL, outer, vesper_cnode_delete_msg(1, 2));
        assert_true(root_domain()->context.restart);
        root_domain()->context.restart = 0;
        assert_invariants();
        preemption_test_every(k);
        invoke_to_the_end(vesper_cnode_delete_msg(outer, 64));
        preemption_test_every(0);
        take_view(&preempted);
        assert_memory_equal(&preempted, &unpreempted, sizeof preempted);
    }
}

/* PREEMPT0013: a Revoke of an Untyped whose one child is a CNode being
 * emptied inside another's stopped deletion: the Revoke finishes that
 * whole deletion, and the outer CNode's slot ends empty. */
static void PREEMPT0013_revoke_meets_a_zombie_inside_another_deletion(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word pool = make_object(VESPER_OBJECT_UNTYPED, 16);
    vesper_word inner = make_object_from(pool, VESPER_OBJECT_CNODE, 8);
    fill_with_copies(inner, 8, 0, 256, ep);
    vesper_word outer = make_object(VESPER_OBJECT_CNODE, 2);
    move_into_cnode(outer, 2, 0, inner);
    preemption_test_every(10); /* the outer zombie, the inner one, some copies */
    invoke_and_stop(vesper_cnode_delete_msg(outer, 64));
    assert_int_equal(cap_type(test_root_slot(outer)->cap), CAP_ZOMBIE);
    assert_int_equal(cap_type(cdt_next(test_root_slot(pool))->cap), CAP_ZOMBIE);
    preemption_test_every(7);
    revoke_to_the_end(pool);
    preemption_test_every(0);
    assert_false(cdt_has_children(test_root_slot(pool)));
    assert_true(cap_is_null(test_root_slot(outer)->cap));
}

/* An Untyped with two CNodes, each holding copies of an Endpoint and the
 * other's last capability: a ring no lookup reaches. Returns the
 * Untyped's slot. */
static vesper_word make_ring(void)
{
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word pool = make_object(VESPER_OBJECT_UNTYPED, 14);
    vesper_word a = make_object_from(pool, VESPER_OBJECT_CNODE, 3);
    vesper_word b = make_object_from(pool, VESPER_OBJECT_CNODE, 3);
    fill_with_copies(a, 3, 1, 5, ep);
    fill_with_copies(b, 3, 2, 4, ep);
    move_into_cnode(b, 3, 7, copy_cap(a, VESPER_RIGHTS_ALL));
    move_into_cnode(a, 3, 0, b);
    assert_int_equal(delete_slot(a), VESPER_OK); /* A's last capability is in B */
    return pool;
}

/* PREEMPT0014: the Revoke of an Untyped whose CNodes hold each other's
 * last capabilities: the deletion meets its own bottom inside a container
 * it empties, at every point. */
static void PREEMPT0014_revoke_of_a_ring_of_cnodes_at_every_point(void **state)
{
    (void)state;
    assert_true(remove_at_every_point(make_ring, true) > 9);
}

/* ---- Retype ---- */

#define RESET_BITS 18u /* the Untyped whose memory comes back dirty */

/* PREEMPT0015: a Retype from an Untyped whose frames were written and
 * deleted zeroes the region first, a chunk between points, from the top
 * down; stopped at every k-th point it makes P / k + 1 attempts, and ends
 * with the new object at the region's start and all of the region zero
 * but its header. */
static void PREEMPT0015_retype_zeroes_used_memory_at_every_point(void **state)
{
    (void)state;
    unsigned points = 0;
    for (unsigned k = 0; k <= MAX_K; k++) {
        assert_int_equal(test_boot(NULL), 0);
        vesper_word pool = make_object(VESPER_OBJECT_UNTYPED, RESET_BITS);
        vesper_word frames = next_empty_slot();
        assert_int_equal(retype_into(NULL, pool, VESPER_OBJECT_FRAME_4K, 0, frames, 64),
                         VESPER_OK);
        size_t size = (size_t)1 << RESET_BITS;
        uint64_t base = cap_address(test_root_slot(pool)->cap);
        memset(hal_kernel_view(base, size), 0x5a, size); /* what the frames' users wrote */
        assert_int_equal(revoke_slot(pool), VESPER_OK);
        vesper_word ep = next_empty_slot();
        struct vesper_invocation_msg msg =
            vesper_untyped_retype_msg(VESPER_OBJECT_ENDPOINT, 0, ROOT_CNODE, 0, 0, ep, 1);
        preemption_test_every(k);
        unsigned attempts = invoke_cnode_to_the_end(pool, msg);
        if (k == 0)
            points = kernel.preemption_points;
        preemption_test_every(0);
        assert_int_equal(points, size / (16 << 10) - 1); /* a point between 16 KiB chunks */
        assert_int_equal(attempts, k == 0 ? 1 : points / k + 1);
        assert_int_equal(cap_address(test_root_slot(ep)->cap), base);
        size_t made = (size_t)1 << VESPER_ENDPOINT_BITS;
        assert_int_equal(untyped_watermark(test_root_slot(pool)->cap), made);
        assert_true(all_zero(hal_kernel_view(base + made, size - made), size - made));
    }
}

/* ---- CancelBadgedSends ---- */

static struct domain *object_of_endpoint_head(vesper_word ep)
{
    return ((struct endpoint *)object_of(slot_cap(ep)))->queue.head;
}

static vesper_word badge_a, badge_b; /* root slots of the two badged copies */

/* WAITERS senders queued on a new Endpoint, with badges 1 and 2 in turn
 * (even positions 1); returns the Endpoint's slot. */
static vesper_word queue_badged_senders(void)
{
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    badge_a = mint_cap(ep, VESPER_RIGHTS_ALL, 1);
    badge_b = mint_cap(ep, VESPER_RIGHTS_ALL, 2);
    for (unsigned i = 0; i < WAITERS; i++)
        waiter[i] = new_started_domain(NO_CAP, false);
    hand_to(waiter[0]);
    for (unsigned i = 0; i < WAITERS; i++)
        syscall_as(waiter[i], VESPER_SYS_SEND,
                   (struct ipc_args){.cptr = i % 2 ? badge_b : badge_a,
                                     .tag = vesper_tag(0, 1, 0), .msg = {i}});
    assert_ptr_equal(kernel.current, root_domain());
    return ep;
}

/* Every sender with badge 1 woke with CANCELLED; those with badge 2 still
 * wait, in their order. */
static void assert_badge_1_cancelled(vesper_word ep)
{
    struct endpoint *object = object_of(slot_cap(ep));
    struct domain *queued = object->queue.head;
    for (unsigned i = 0; i < WAITERS; i++) {
        if (i % 2 == 0) {
            assert_int_equal(waiter[i]->state, DOMAIN_RUNNABLE);
            assert_int_equal(results_of(waiter[i]).arg[0], VESPER_ERR_CANCELLED);
        } else {
            assert_int_equal(waiter[i]->state, DOMAIN_BLOCKED_SEND);
            assert_ptr_equal(queued, waiter[i]);
            queued = queued->queue_next;
        }
    }
    assert_null(queued);
    assert_null(root_domain()->cancel_next);
}

/* PREEMPT0016: CancelBadgedSends stopped at every k-th point, a point
 * after each sender looked at: P / k + 1 attempts, the invariants after
 * each, and the same end as the unpreempted run. */
static void PREEMPT0016_cancel_badged_sends_at_every_point(void **state)
{
    (void)state;
    static struct waiters_view unpreempted, preempted;
    unsigned points = 0;
    for (unsigned k = 0; k <= MAX_K; k++) {
        assert_int_equal(test_boot(NULL), 0);
        vesper_word ep = queue_badged_senders();
        preemption_test_every(k);
        unsigned attempts = invoke_to_the_end(vesper_cnode_cancel_badged_sends_msg(badge_a, 64));
        if (k == 0)
            points = kernel.preemption_points;
        preemption_test_every(0);
        assert_int_equal(points, WAITERS - 1);
        assert_int_equal(attempts, k == 0 ? 1 : points / k + 1);
        assert_badge_1_cancelled(ep);
        take_waiters_view(k == 0 ? &unpreempted : &preempted);
        if (k != 0)
            assert_memory_equal(&preempted, &unpreempted, sizeof preempted);
    }
}

/* PREEMPT0017: the sender a stopped CancelBadgedSends would look at next
 * leaves the queue (it is stopped): the place moves on to the one after
 * it, and the next attempt ends the work as if nothing had happened. */
static void PREEMPT0017_cancel_place_moves_on(void **state)
{
    (void)state;
    queue_badged_senders();
    preemption_test_every(2); /* stops before the third sender */
    invoke_and_stop(vesper_cnode_cancel_badged_sends_msg(badge_a, 64));
    assert_ptr_equal(root_domain()->cancel_next, waiter[2]);
    domain_stop(waiter[2], 0);
    assert_ptr_equal(root_domain()->cancel_next, waiter[3]);
    assert_ptr_equal(waiter[3]->cancel_owner, root_domain());
    assert_invariants();
    invoke_to_the_end(vesper_cnode_cancel_badged_sends_msg(badge_a, 64));
    preemption_test_every(0);
    for (unsigned i = 0; i < WAITERS; i += 2)
        if (i != 2)
            assert_int_equal(results_of(waiter[i]).arg[0], VESPER_ERR_CANCELLED);
    assert_int_equal(waiter[2]->state, DOMAIN_STOPPED);
    assert_null(root_domain()->cancel_next);
    assert_null(waiter[3]->cancel_owner);
}

/* PREEMPT0020: the sender a stopped CancelBadgedSends would look at next
 * is the last, and leaves: the place is dropped, and the next attempt
 * looks at the whole queue again, to the same end. */
static void PREEMPT0020_cancel_place_past_the_end(void **state)
{
    (void)state;
    vesper_word ep = queue_badged_senders();
    preemption_test_every(WAITERS - 1); /* stops before the last sender */
    invoke_and_stop(vesper_cnode_cancel_badged_sends_msg(badge_a, 64));
    preemption_test_every(0);
    assert_ptr_equal(root_domain()->cancel_next, waiter[WAITERS - 1]);
    domain_stop(waiter[WAITERS - 1], 0);
    assert_null(root_domain()->cancel_next);
    assert_null(root_domain()->cancel_endpoint);
    assert_invariants();
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_cancel_badged_sends, badge_a, 64), VESPER_OK);
    for (unsigned i = 0; i + 1 < WAITERS; i++)
        assert_int_equal(waiter[i]->state, i % 2 ? DOMAIN_BLOCKED_SEND : DOMAIN_RUNNABLE);
    assert_ptr_equal(object_of_endpoint_head(ep), waiter[1]);
}

/* PREEMPT0018: a CancelBadgedSends of another badge in between starts from
 * the head and drops the stopped one's place, whose next attempt then
 * looks at the whole queue again; and a stopped caller keeps no place. */
static void PREEMPT0018_cancel_of_another_badge_in_between(void **state)
{
    (void)state;
    vesper_word ep = queue_badged_senders();
    preemption_test_every(3);
    invoke_and_stop(vesper_cnode_cancel_badged_sends_msg(badge_a, 64));
    preemption_test_every(0);
    assert_non_null(root_domain()->cancel_next);
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_cancel_badged_sends, badge_b, 64), VESPER_OK);
    assert_null(root_domain()->cancel_next);
    for (unsigned i = 1; i < WAITERS; i += 2)
        assert_int_equal(results_of(waiter[i]).arg[0], VESPER_ERR_CANCELLED);
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_cancel_badged_sends, badge_a, 64), VESPER_OK);
    for (unsigned i = 0; i < WAITERS; i += 2)
        assert_int_equal(results_of(waiter[i]).arg[0], VESPER_ERR_CANCELLED);
    assert_null(object_of_endpoint_head(ep));
}

/* ---- Configure ---- */

static vesper_word configured; /* the domain's slot */

/* A domain whose CSpace slot holds the last capability to a full CNode
 * of radix 10 (make_full_cnode()); returns the root's slot of the CNode
 * it is configured with next, the root CNode's own capability. */
static vesper_word make_domain_with_full_cspace(void)
{
    vesper_word cnode = make_full_cnode();
    configured = make_object(VESPER_OBJECT_DOMAIN, 0);
    assert_int_equal(TEST_CALL(configured, domain_configure, cnode, VESPER_ROOT_SLOT_PDOM,
                               NO_CAP),
                     VESPER_OK);
    assert_int_equal(delete_slot(cnode), VESPER_OK); /* the domain's is the last */
    return ROOT_CNODE;
}

/* PREEMPT0019: Configure of another domain empties the old CSpace it
 * replaces with preemption points, P / k + 1 attempts, and ends as the
 * unpreempted run does. */
static void PREEMPT0019_configure_empties_the_old_cspace_at_every_point(void **state)
{
    (void)state;
    static struct root_view unpreempted, preempted;
    unsigned points = 0;
    for (unsigned k = 0; k <= MAX_K; k++) {
        assert_int_equal(test_boot(NULL), 0);
        vesper_word cspace = make_domain_with_full_cspace();
        preemption_test_every(k);
        unsigned attempts = invoke_cnode_to_the_end(
            configured, vesper_domain_configure_msg(cspace, VESPER_ROOT_SLOT_PDOM, NO_CAP));
        if (k == 0)
            points = kernel.preemption_points;
        preemption_test_every(0);
        assert_true(points >= 1024);
        assert_int_equal(attempts, k == 0 ? 1 : points / k + 1);
        struct domain *d = object_of(slot_cap(configured));
        assert_int_equal(cap_address(d->slots[DOMAIN_SLOT_CSPACE].cap),
                         cap_address(slot_cap(ROOT_CNODE)));
        take_view(k == 0 ? &unpreempted : &preempted);
        if (k != 0)
            assert_memory_equal(&preempted, &unpreempted, sizeof preempted);
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
        cmocka_unit_test_setup(PREEMPT0007_container_deletion_stops_between_waiters, test_boot),
        cmocka_unit_test_setup(PREEMPT0008_delete_of_nested_cnodes_at_every_point, test_boot),
        cmocka_unit_test_setup(PREEMPT0009_delete_of_a_full_cnode_at_every_point, test_boot),
        cmocka_unit_test_setup(PREEMPT0010_scan_of_an_empty_cnode_stops, test_boot),
        cmocka_unit_test_setup(PREEMPT0011_a_zombie_between_attempts, test_boot),
        cmocka_unit_test_setup(PREEMPT0012_a_stopped_deletion_inside_a_container_being_deleted,
                               test_boot),
        cmocka_unit_test_setup(PREEMPT0013_revoke_meets_a_zombie_inside_another_deletion,
                               test_boot),
        cmocka_unit_test_setup(PREEMPT0014_revoke_of_a_ring_of_cnodes_at_every_point, test_boot),
        cmocka_unit_test_setup(PREEMPT0015_retype_zeroes_used_memory_at_every_point, test_boot),
        cmocka_unit_test_setup(PREEMPT0016_cancel_badged_sends_at_every_point, test_boot),
        cmocka_unit_test_setup(PREEMPT0017_cancel_place_moves_on, test_boot),
        cmocka_unit_test_setup(PREEMPT0018_cancel_of_another_badge_in_between, test_boot),
        cmocka_unit_test_setup(PREEMPT0019_configure_empties_the_old_cspace_at_every_point,
                               test_boot),
        cmocka_unit_test_setup(PREEMPT0020_cancel_place_past_the_end, test_boot),
    };
    return cmocka_run_group_tests_name("preempt", tests, NULL, NULL);
}

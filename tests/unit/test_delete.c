/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Deleting capabilities and destroying objects: the last capability's
 * deletion destroys its object (headers cleared, domains stopped, CNodes
 * emptied to any depth, cycles and self-containing CNodes included),
 * Revoke of an Untyped takes everything made from it, a non-final delete
 * leaves the object, deleting an Untyped with children orphans them, and
 * the root destroying its own Domain shuts the kernel down.
 */
#include <string.h>

#include <vesper/message.h>

#include "sched.h"
#include "cdt.h"
#include "objects.h"
#include "objects_support.h"
#include "state.h"

/* A child Untyped of 2^bits bytes for one test's objects, so that revoking
 * it touches nothing else. */
static vesper_word make_pool(unsigned bits)
{
    return make_object(VESPER_OBJECT_UNTYPED, bits);
}

static struct domain *domain_of(vesper_word slot)
{
    return object_bytes(slot_cap(slot));
}

static bool has_children(vesper_word slot)
{
    return cdt_has_children(test_root_slot(slot));
}

static void DELETE0001_last_capability_destroys_the_object(void **state)
{
    (void)state;
    static const vesper_word types[] = {VESPER_OBJECT_ENDPOINT, VESPER_OBJECT_NOTIFICATION,
                                        VESPER_OBJECT_REPLY};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        vesper_word slot = make_object(types[i], 0);
        struct cap cap = slot_cap(slot);
        assert_int_equal(header_type(cap), types[i]);
        assert_int_equal(delete_slot(slot), VESPER_OK);
        assert_true(cap_is_null(slot_cap(slot)));
        assert_int_equal(test_root_slot(slot)->mdb.prev, 0);
        assert_int_equal(test_root_slot(slot)->mdb.next, 0);
        assert_int_equal(header_type(cap), 0);
        assert_invariants();
    }
}

static void DELETE0002_non_final_delete_leaves_the_object(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct cap cap = slot_cap(ep);
    vesper_word copy = copy_cap(ep, VESPER_RIGHT_READ);
    vesper_word copy2 = copy_cap(copy, VESPER_RIGHT_READ);
    assert_int_equal(delete_slot(ep), VESPER_OK);
    assert_true(cap_is_null(slot_cap(ep)));
    assert_int_equal(header_type(cap), CAP_ENDPOINT);
    assert_invariants();
    assert_int_equal(delete_slot(copy2), VESPER_OK);
    assert_int_equal(header_type(cap), CAP_ENDPOINT);
    assert_true(cap_same_object(slot_cap(copy), cap));
    assert_invariants();
    assert_int_equal(delete_slot(copy), VESPER_OK);
    assert_int_equal(header_type(cap), 0);
    assert_invariants();
}

static void DELETE0003_deleting_an_empty_slot_does_nothing(void **state)
{
    (void)state;
    vesper_word empty = next_empty_slot();
    assert_int_equal(delete_slot(empty), VESPER_OK);
    assert_int_equal(revoke_slot(empty), VESPER_OK);
    assert_true(cap_is_null(slot_cap(empty)));
    assert_int_equal(next_empty_slot(), empty);
    assert_invariants();
}

/* A destroyed domain is stopped, its header cleared, its own slots
 * emptied; what they were copied from stays. */
static void DELETE0004_destroyed_domain_is_stopped_and_emptied(void **state)
{
    (void)state;
    vesper_word d = make_object(VESPER_OBJECT_DOMAIN, 0);
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 2);
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    assert_int_equal(TEST_CALL(d, domain_configure, cnode, VESPER_ROOT_SLOT_PDOM, ep),
                     VESPER_OK);
    assert_int_equal(TEST_CALL(d, domain_set_ipc_buffer, cap_address(slot_cap(frame)),
                               frame),
                     VESPER_OK);
    struct domain *dom = domain_of(d);
    dom->state = DOMAIN_RUNNABLE; /* as if it had been started */
    struct cap cap = slot_cap(d);
    assert_int_equal(delete_slot(d), VESPER_OK);
    assert_int_equal(dom->state, DOMAIN_STOPPED);
    assert_int_equal(header_type(cap), 0);
    for (int i = 0; i < DOMAIN_SLOT_COUNT; i++)
        assert_true(cap_is_null(dom->slots[i].cap));
    assert_int_equal(cap_type(slot_cap(cnode)), CAP_CNODE);
    assert_false(has_children(cnode));
    assert_false(has_children(ep));
    assert_false(has_children(frame));
    assert_int_equal(header_type(slot_cap(ep)), CAP_ENDPOINT);
    assert_int_equal(cap_type(slot_cap(VESPER_ROOT_SLOT_PDOM)), CAP_PDOM);
    assert_invariants();
}

static void DELETE0005_non_final_domain_delete_leaves_it_running(void **state)
{
    (void)state;
    vesper_word d = make_object(VESPER_OBJECT_DOMAIN, 0);
    vesper_word copy = copy_cap(d, VESPER_RIGHTS_ALL);
    struct domain *dom = domain_of(d);
    sched_make_runnable(dom); /* as Start would */
    assert_int_equal(delete_slot(d), VESPER_OK);
    assert_int_equal(dom->state, DOMAIN_RUNNABLE);
    assert_int_equal(header_type(slot_cap(copy)), CAP_DOMAIN);
    assert_invariants();
}

/* Destroying a CNode deletes what it holds: the last capability to an
 * object inside destroys that object; a copy inside leaves its original. */
static void DELETE0006_destroyed_cnode_deletes_its_contents(void **state)
{
    (void)state;
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 3);
    struct cap cnode_cap = slot_cap(cnode);
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct cap ep_cap = slot_cap(ep);
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word ntfn_copy = copy_cap(ntfn, VESPER_RIGHTS_ALL);
    move_into_cnode(cnode, 3, 0, ep);
    move_into_cnode(cnode, 3, 5, ntfn_copy);
    assert_true(has_children(ntfn));
    assert_int_equal(delete_slot(cnode), VESPER_OK);
    assert_int_equal(header_type(ep_cap), 0);
    assert_int_equal(header_type(slot_cap(ntfn)), CAP_NOTIFICATION);
    assert_false(has_children(ntfn));
    assert_true(all_zero(object_bytes(cnode_cap), (size_t)1 << cap_object_bits(cnode_cap)));
    assert_invariants();
}

/* A chain of CNodes, each holding the only capability to the next, goes
 * at once, however deep: the kernel empties them without recursion. */
static void DELETE0007_nested_cnodes_all_go(void **state)
{
    (void)state;
    enum { DEPTH = 48 };
    vesper_word pool = make_pool(14);
    struct cap chain[DEPTH];
    vesper_word slots[DEPTH];
    for (int i = 0; i < DEPTH; i++) {
        slots[i] = make_object_from(pool, VESPER_OBJECT_CNODE, 1);
        chain[i] = slot_cap(slots[i]);
    }
    vesper_word ep = make_object_from(pool, VESPER_OBJECT_ENDPOINT, 0);
    struct cap ep_cap = slot_cap(ep);
    move_into_cnode(slots[DEPTH - 1], 1, 1, ep);
    for (int i = DEPTH - 1; i > 0; i--)
        move_into_cnode(slots[i - 1], 1, 0, slots[i]);
    assert_invariants();
    assert_int_equal(delete_slot(slots[0]), VESPER_OK);
    for (int i = 0; i < DEPTH; i++)
        assert_true(all_zero(object_bytes(chain[i]), 64));
    assert_int_equal(header_type(ep_cap), 0);
    assert_false(has_children(pool));
    assert_invariants();
}

/* A CNode that holds a capability to itself survives the loss of its
 * other capabilities (nothing can reach it); revoking its Untyped
 * destroys it. */
static void DELETE0008_self_containing_cnode(void **state)
{
    (void)state;
    vesper_word pool = make_pool(12);
    vesper_word cnode = make_object_from(pool, VESPER_OBJECT_CNODE, 2);
    struct cap cap = slot_cap(cnode);
    vesper_word ep = make_object_from(pool, VESPER_OBJECT_ENDPOINT, 0);
    struct cap ep_cap = slot_cap(ep);
    move_into_cnode(cnode, 2, 3, ep);
    assert_int_equal(TEST_CALL(cnode, cnode_copy, 1, 2, ROOT_CNODE, cnode, 64,
                               VESPER_RIGHTS_ALL),
                     VESPER_OK);
    assert_int_equal(delete_slot(cnode), VESPER_OK);
    struct cte *inside = cnode_slots(cap);
    assert_true(cap_same_object(inside[1].cap, cap));
    assert_int_equal(header_type(ep_cap), CAP_ENDPOINT);
    assert_true(has_children(pool));
    assert_invariants();
    assert_int_equal(revoke_slot(pool), VESPER_OK);
    assert_true(all_zero(inside, 4 * sizeof *inside));
    assert_int_equal(header_type(ep_cap), 0);
    assert_false(has_children(pool));
    vesper_word again = make_object_from(pool, VESPER_OBJECT_ENDPOINT, 0);
    assert_int_equal(cap_address(slot_cap(again)), cap_address(slot_cap(pool)));
    assert_invariants();
}

/* A cycle: the domain's CSpace slot holds the only capability to a CNode
 * that holds the only capability to the domain. Revoking the Untyped they
 * came from takes both. */
static void DELETE0009_domain_cnode_cycle(void **state)
{
    (void)state;
    vesper_word pool = make_pool(13);
    vesper_word d = make_object_from(pool, VESPER_OBJECT_DOMAIN, 0);
    vesper_word cnode = make_object_from(pool, VESPER_OBJECT_CNODE, 2);
    vesper_word ep = make_object_from(pool, VESPER_OBJECT_ENDPOINT, 0);
    struct cap d_cap = slot_cap(d);
    struct cap cnode_cap = slot_cap(cnode);
    struct cap ep_cap = slot_cap(ep);
    assert_int_equal(TEST_CALL(d, domain_configure, cnode, VESPER_ROOT_SLOT_NULL, ep),
                     VESPER_OK);
    assert_int_equal(TEST_CALL(cnode, cnode_copy, 0, 2, ROOT_CNODE, d, 64,
                               VESPER_RIGHTS_ALL),
                     VESPER_OK);
    assert_int_equal(delete_slot(d), VESPER_OK);
    assert_int_equal(delete_slot(cnode), VESPER_OK);
    assert_int_equal(delete_slot(ep), VESPER_OK);
    struct domain *dom = object_bytes(d_cap);
    /* Nothing the root holds reaches them, yet both live. */
    assert_int_equal(dom->header.type, CAP_DOMAIN);
    assert_true(cap_same_object(dom->slots[DOMAIN_SLOT_CSPACE].cap, cnode_cap));
    assert_true(cap_same_object(cnode_slots(cnode_cap)[0].cap, d_cap));
    assert_int_equal(header_type(ep_cap), CAP_ENDPOINT);
    assert_invariants();
    assert_int_equal(revoke_slot(pool), VESPER_OK);
    assert_int_equal(dom->header.type, 0);
    assert_int_equal(dom->state, DOMAIN_STOPPED);
    for (int i = 0; i < DOMAIN_SLOT_COUNT; i++)
        assert_true(cap_is_null(dom->slots[i].cap));
    assert_true(all_zero(cnode_slots(cnode_cap), 4 * sizeof(struct cte)));
    assert_int_equal(header_type(ep_cap), 0);
    assert_false(has_children(pool));
    assert_invariants();
}

/* Two CNodes, each holding the only capability to the other. */
static void DELETE0010_cnode_cnode_cycle(void **state)
{
    (void)state;
    vesper_word pool = make_pool(12);
    vesper_word a = make_object_from(pool, VESPER_OBJECT_CNODE, 1);
    vesper_word b = make_object_from(pool, VESPER_OBJECT_CNODE, 1);
    struct cap a_cap = slot_cap(a);
    struct cap b_cap = slot_cap(b);
    assert_int_equal(TEST_CALL(a, cnode_copy, 0, 1, ROOT_CNODE, b, 64, VESPER_RIGHTS_ALL),
                     VESPER_OK);
    assert_int_equal(TEST_CALL(b, cnode_copy, 1, 1, ROOT_CNODE, a, 64, VESPER_RIGHTS_ALL),
                     VESPER_OK);
    assert_int_equal(delete_slot(a), VESPER_OK);
    assert_int_equal(delete_slot(b), VESPER_OK);
    assert_invariants();
    assert_int_equal(revoke_slot(pool), VESPER_OK);
    assert_true(all_zero(object_bytes(a_cap), 64));
    assert_true(all_zero(object_bytes(b_cap), 64));
    assert_false(has_children(pool));
    assert_invariants();
}

/* Revoke of an Untyped deletes every object made from it, every copy of
 * them wherever it is, and whatever they held. */
static void DELETE0011_revoke_of_untyped_deletes_everything(void **state)
{
    (void)state;
    vesper_word pool = make_pool(16);
    vesper_word dest = next_empty_slot();
    assert_int_equal(retype_into(NULL, pool, VESPER_OBJECT_ENDPOINT, 0, dest, 4), VESPER_OK);
    vesper_word ntfn = make_object_from(pool, VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word reply = make_object_from(pool, VESPER_OBJECT_REPLY, 0);
    vesper_word frame = make_object_from(pool, VESPER_OBJECT_FRAME_4K, 0);
    vesper_word d = make_object_from(pool, VESPER_OBJECT_DOMAIN, 0);
    vesper_word cnode = make_object_from(pool, VESPER_OBJECT_CNODE, 3);
    vesper_word child = make_object_from(pool, VESPER_OBJECT_UNTYPED, 12);
    vesper_word grandchild = make_object_from(child, VESPER_OBJECT_ENDPOINT, 0);
    vesper_word ep_copy = copy_cap(dest, VESPER_RIGHT_WRITE);
    vesper_word frame_copy = copy_cap(frame, VESPER_RIGHT_READ);
    /* An object of another Untyped, held inside a CNode from this one. */
    vesper_word outside = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word outside_copy = copy_cap(outside, VESPER_RIGHTS_ALL);
    move_into_cnode(cnode, 3, 6, outside_copy);
    assert_int_equal(TEST_CALL(d, domain_configure, cnode, VESPER_ROOT_SLOT_NULL, dest + 1),
                     VESPER_OK);
    struct cap headers[] = {slot_cap(dest),  slot_cap(dest + 3),  slot_cap(ntfn),
                            slot_cap(reply), slot_cap(grandchild), slot_cap(d)};
    struct cap cnode_cap = slot_cap(cnode);
    assert_invariants();

    assert_int_equal(revoke_slot(pool), VESPER_OK);
    const vesper_word gone[] = {dest,  dest + 1, dest + 2, dest + 3,   ntfn,    reply,     frame,
                                d,     cnode,    child,    grandchild, ep_copy, frame_copy};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        assert_true(cap_is_null(slot_cap(gone[i])));
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        assert_int_equal(header_type(headers[i]), 0);
    assert_true(all_zero(cnode_slots(cnode_cap), 8 * sizeof(struct cte)));
    assert_int_equal(header_type(slot_cap(outside)), CAP_ENDPOINT);
    assert_false(has_children(outside));
    assert_false(has_children(pool));
    assert_int_equal(cap_type(slot_cap(pool)), CAP_UNTYPED);
    vesper_word again = make_object_from(pool, VESPER_OBJECT_FRAME_4K, 0);
    assert_int_equal(cap_address(slot_cap(again)), cap_address(slot_cap(pool)));
    assert_invariants();
}

/* Revoke deletes the descendants and keeps the capability itself. */
static void DELETE0012_revoke_keeps_the_revoked_capability(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word a = copy_cap(ep, VESPER_RIGHTS_ALL);
    vesper_word b = copy_cap(ep, VESPER_RIGHT_READ);
    vesper_word c = copy_cap(a, VESPER_RIGHT_READ);
    assert_int_equal(revoke_slot(ep), VESPER_OK);
    assert_true(cap_is_null(slot_cap(a)));
    assert_true(cap_is_null(slot_cap(b)));
    assert_true(cap_is_null(slot_cap(c)));
    assert_int_equal(cap_type(slot_cap(ep)), CAP_ENDPOINT);
    assert_int_equal(header_type(slot_cap(ep)), CAP_ENDPOINT);
    assert_false(has_children(ep));
    assert_invariants();
}

/* seL4's semantics: deleting an Untyped capability does not touch the
 * objects made from it; they stay, now without a parent. */
static void DELETE0013_deleting_an_untyped_orphans_its_children(void **state)
{
    (void)state;
    vesper_word pool = make_pool(14);
    vesper_word ep = make_object_from(pool, VESPER_OBJECT_ENDPOINT, 0);
    vesper_word cnode = make_object_from(pool, VESPER_OBJECT_CNODE, 2);
    vesper_word ep_copy = copy_cap(ep, VESPER_RIGHTS_ALL);
    assert_int_equal(delete_slot(pool), VESPER_OK);
    assert_true(cap_is_null(slot_cap(pool)));
    assert_int_equal(header_type(slot_cap(ep)), CAP_ENDPOINT);
    assert_int_equal(cap_type(slot_cap(cnode)), CAP_CNODE);
    assert_true(cdt_is_parent_of(test_root_slot(ep), test_root_slot(ep_copy)));
    assert_invariants();
    /* The orphans still work and still die with their last capability. */
    move_into_cnode(cnode, 2, 0, ep_copy);
    struct cap ep_cap = slot_cap(ep);
    assert_int_equal(delete_slot(ep), VESPER_OK);
    assert_int_equal(header_type(ep_cap), CAP_ENDPOINT);
    assert_int_equal(delete_slot(cnode), VESPER_OK);
    assert_int_equal(header_type(ep_cap), 0);
    assert_invariants();
}

/* Objects made from a child Untyped whose capability is deleted become
 * children of the Untyped it came from, and its Revoke still takes them. */
static void DELETE0014_grandchildren_of_a_deleted_untyped_stay_revocable(void **state)
{
    (void)state;
    vesper_word pool = make_pool(14);
    vesper_word child = make_object_from(pool, VESPER_OBJECT_UNTYPED, 12);
    vesper_word ep = make_object_from(child, VESPER_OBJECT_ENDPOINT, 0);
    struct cap ep_cap = slot_cap(ep);
    assert_int_equal(delete_slot(child), VESPER_OK);
    assert_true(cdt_is_parent_of(test_root_slot(pool), test_root_slot(ep)));
    assert_invariants();
    assert_int_equal(revoke_slot(pool), VESPER_OK);
    assert_true(cap_is_null(slot_cap(ep)));
    assert_int_equal(header_type(ep_cap), 0);
    assert_invariants();
}

/* Revoking an Untyped whose capability lies inside a CNode made from it:
 * the CNode's destruction deletes the very capability being revoked, and
 * the revoke stops there, leaving the rest orphaned and the tree sound. */
static void DELETE0015_revoke_that_deletes_the_revoked_capability(void **state)
{
    (void)state;
    vesper_word pool = make_pool(13);
    /* Made in this order, the CNode comes first among the Untyped's
     * descendants, so the revoke reaches it before the endpoint. */
    vesper_word ep = make_object_from(pool, VESPER_OBJECT_ENDPOINT, 0);
    vesper_word cnode = make_object_from(pool, VESPER_OBJECT_CNODE, 2);
    struct cap cnode_cap = slot_cap(cnode);
    move_into_cnode(cnode, 2, 1, pool);
    struct cte *inside = &cnode_slots(cnode_cap)[1];
    assert_int_equal(cap_type(inside->cap), CAP_UNTYPED);
    assert_int_equal(TEST_CALL(cnode, cnode_revoke, 1, 2), VESPER_OK);
    assert_invariants();
    /* The CNode is gone with the Untyped capability it held. */
    assert_true(cap_is_null(slot_cap(cnode)));
    assert_true(all_zero(cnode_slots(cnode_cap), 4 * sizeof(struct cte)));
    assert_int_equal(header_type(slot_cap(ep)), CAP_ENDPOINT);
}

static void DELETE0016_irq_handler_in_a_destroyed_cnode_releases_its_line(void **state)
{
    (void)state;
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 2);
    vesper_word handler = next_empty_slot();
    assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_IRQ_CONTROL, irq_control_get, 7, ROOT_CNODE,
                               handler, 64),
                     VESPER_OK);
    vesper_word ntfn = make_irq_notification();
    assert_int_equal(TEST_CALL(handler, irq_handler_set_notification, ntfn), VESPER_OK);
    move_into_cnode(cnode, 2, 2, handler);
    assert_true(kernel.irq[7].claimed);
    assert_int_equal(delete_slot(cnode), VESPER_OK);
    assert_false(kernel.irq[7].claimed);
    assert_true(cap_is_null(kernel.irq[7].notification.cap));
    assert_false(has_children(ntfn));
    assert_invariants();
}

/* The root deletes the last capability to its own Domain: it is destroyed,
 * nothing is left to run, and the kernel shuts down. */
static void DELETE0017_root_destroying_its_own_domain_shuts_down(void **state)
{
    (void)state;
    struct domain *root = kernel.root;
    struct vesper_syscall_frame frame;
    test_call_words(&frame, ROOT_CNODE, vesper_cnode_delete_msg(VESPER_ROOT_SLOT_DOMAIN, 64));
    assert_null(host_syscall_as_current(&frame));
    assert_false(kernel_is_running());
    assert_int_equal(kernel_exit_status(), KERNEL_NO_DOMAIN_STATUS);
    assert_null(kernel_current_context());
    assert_int_equal(root->state, DOMAIN_STOPPED);
    assert_int_equal(root->header.type, 0);
    for (int i = 0; i < DOMAIN_SLOT_COUNT; i++)
        assert_true(cap_is_null(root->slots[i].cap));
    assert_non_null(strstr(test_console, "shutdown, status 3"));
    /* A stopped kernel stays stopped. */
    assert_null(kernel_entry_syscall());
    assert_false(kernel_is_running());
    assert_invariants();
}

static void DELETE0018_root_deleting_a_copy_of_its_domain_runs_on(void **state)
{
    (void)state;
    vesper_word copy = copy_cap(VESPER_ROOT_SLOT_DOMAIN, VESPER_RIGHTS_ALL);
    assert_int_equal(delete_slot(VESPER_ROOT_SLOT_DOMAIN), VESPER_OK);
    assert_true(kernel_is_running());
    assert_int_equal(kernel.root->state, DOMAIN_RUNNABLE);
    assert_int_equal(header_type(slot_cap(copy)), CAP_DOMAIN);
    assert_invariants();
}

/* A domain holding the only capabilities to its CSpace CNode and its fault
 * endpoint takes them with it. */
static void DELETE0019_destroyed_domain_takes_its_last_capabilities(void **state)
{
    (void)state;
    vesper_word d = make_object(VESPER_OBJECT_DOMAIN, 0);
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 2);
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word inner = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    struct cap cnode_cap = slot_cap(cnode);
    struct cap ep_cap = slot_cap(ep);
    struct cap inner_cap = slot_cap(inner);
    move_into_cnode(cnode, 2, 3, inner);
    assert_int_equal(TEST_CALL(d, domain_configure, cnode, VESPER_ROOT_SLOT_NULL, ep),
                     VESPER_OK);
    assert_int_equal(delete_slot(cnode), VESPER_OK);
    assert_int_equal(delete_slot(ep), VESPER_OK);
    assert_int_equal(header_type(ep_cap), CAP_ENDPOINT);
    assert_int_equal(delete_slot(d), VESPER_OK);
    assert_int_equal(header_type(ep_cap), 0);
    assert_int_equal(header_type(inner_cap), 0);
    assert_true(all_zero(cnode_slots(cnode_cap), 4 * sizeof(struct cte)));
    assert_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(DELETE0001_last_capability_destroys_the_object, test_boot),
        cmocka_unit_test_setup(DELETE0002_non_final_delete_leaves_the_object, test_boot),
        cmocka_unit_test_setup(DELETE0003_deleting_an_empty_slot_does_nothing, test_boot),
        cmocka_unit_test_setup(DELETE0004_destroyed_domain_is_stopped_and_emptied, test_boot),
        cmocka_unit_test_setup(DELETE0005_non_final_domain_delete_leaves_it_running, test_boot),
        cmocka_unit_test_setup(DELETE0006_destroyed_cnode_deletes_its_contents, test_boot),
        cmocka_unit_test_setup(DELETE0007_nested_cnodes_all_go, test_boot),
        cmocka_unit_test_setup(DELETE0008_self_containing_cnode, test_boot),
        cmocka_unit_test_setup(DELETE0009_domain_cnode_cycle, test_boot),
        cmocka_unit_test_setup(DELETE0010_cnode_cnode_cycle, test_boot),
        cmocka_unit_test_setup(DELETE0011_revoke_of_untyped_deletes_everything, test_boot),
        cmocka_unit_test_setup(DELETE0012_revoke_keeps_the_revoked_capability, test_boot),
        cmocka_unit_test_setup(DELETE0013_deleting_an_untyped_orphans_its_children, test_boot),
        cmocka_unit_test_setup(DELETE0014_grandchildren_of_a_deleted_untyped_stay_revocable,
                               test_boot),
        cmocka_unit_test_setup(DELETE0015_revoke_that_deletes_the_revoked_capability, test_boot),
        cmocka_unit_test_setup(DELETE0016_irq_handler_in_a_destroyed_cnode_releases_its_line,
                               test_boot),
        cmocka_unit_test_setup(DELETE0017_root_destroying_its_own_domain_shuts_down, test_boot),
        cmocka_unit_test_setup(DELETE0018_root_deleting_a_copy_of_its_domain_runs_on, test_boot),
        cmocka_unit_test_setup(DELETE0019_destroyed_domain_takes_its_last_capabilities, test_boot),
    };
    return cmocka_run_group_tests_name("delete", tests, NULL, NULL);
}

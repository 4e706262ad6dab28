/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The invariant checker is not vacuous: it holds after boot and after
 * ordinary work, and each invariant, broken on purpose by writing kernel
 * state directly, makes it name that invariant. Each test then repairs
 * what it broke and sees the checker pass again, so the message is known
 * to come from that one change.
 */
#include <string.h>

#include "cdt.h"
#include "invariants.h"
#include "objects.h"
#include "objects_support.h"
#include "state.h"

static void assert_violation(const char *expected)
{
    const char *found = kernel_check_invariants();
    assert_non_null(found);
    assert_string_equal(found, expected);
}

static void assert_holds(void)
{
    assert_null(kernel_check_invariants());
}

static void INVARIANT0001_hold_after_boot(void **state)
{
    (void)state;
    assert_holds();
}

static void INVARIANT0002_hold_after_ordinary_work(void **state)
{
    (void)state;
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 3);
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word copy = copy_cap(ep, VESPER_RIGHT_READ);
    move_into_cnode(cnode, 3, 2, copy);
    vesper_word d = make_object(VESPER_OBJECT_DOMAIN, 0);
    assert_int_equal(TEST_CALL(d, VESPER_DOMAIN_CONFIGURE, cnode, VESPER_ROOT_SLOT_PDOM, ep),
                     VESPER_OK);
    assert_holds();
    assert_int_equal(revoke_slot(largest_untyped()), VESPER_OK);
    assert_holds();
}

/* The checker only reads. */
static void INVARIANT0003_checking_changes_nothing(void **state)
{
    (void)state;
    make_object(VESPER_OBJECT_NOTIFICATION, 0);
    static struct kernel_state before;
    memcpy(&before, &kernel, sizeof kernel);
    size_t root_bytes = (size_t)1 << (VESPER_ROOT_CNODE_RADIX + VESPER_SLOT_BITS);
    unsigned char *root_cnode = object_bytes(slot_cap(ROOT_CNODE));
    static unsigned char cnode_before[1u << (VESPER_ROOT_CNODE_RADIX + VESPER_SLOT_BITS)];
    memcpy(cnode_before, root_cnode, root_bytes);
    assert_holds();
    assert_memory_equal(&before, &kernel, sizeof kernel);
    assert_memory_equal(cnode_before, root_cnode, root_bytes);
}

static void INVARIANT0004_overlapping_objects(void **state)
{
    (void)state;
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 7); /* 4 KiB too */
    struct cte *slot = test_root_slot(cnode);
    struct cap saved = slot->cap;
    slot->cap = cap_make(CAP_CNODE, cap_address(slot_cap(frame)), cap_rights(saved), 7,
                         saved.word1);
    assert_violation("two live objects overlap");
    slot->cap = saved;
    assert_holds();
}

static void INVARIANT0005_child_with_rights_its_parent_lacks(void **state)
{
    (void)state;
    /* The bootinfo frame's original capability is read-only. */
    vesper_word copy = copy_cap(VESPER_ROOT_SLOT_BOOTINFO, VESPER_RIGHTS_ALL);
    assert_int_equal(cap_rights(slot_cap(copy)), VESPER_RIGHT_READ);
    struct cte *slot = test_root_slot(copy);
    slot->cap = cap_with_rights(slot->cap, VESPER_RIGHT_READ | VESPER_RIGHT_WRITE);
    assert_violation("a capability has rights its parent lacks");
    slot->cap = cap_with_rights(slot->cap, VESPER_RIGHT_READ);
    assert_holds();
}

static void INVARIANT0006_watermark_past_the_end(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    struct cte *slot = test_root_slot(untyped);
    uint64_t size = UINT64_C(1) << untyped_size_bits(slot->cap);
    slot->cap.word1 = size + 1;
    assert_violation("an Untyped watermark is past the end of its region");
    slot->cap.word1 = size; /* exactly full is fine */
    assert_holds();
}

static void INVARIANT0007_capability_to_a_destroyed_object(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct object_header *header = object_header_of(slot_cap(ep));
    header->type = 0;
    assert_violation("a capability points at an object that is not alive or not its type");
    header->type = CAP_NOTIFICATION;
    assert_violation("a capability points at an object that is not alive or not its type");
    header->type = CAP_ENDPOINT;
    assert_holds();
    /* A destroyed domain too. */
    vesper_word d = make_object(VESPER_OBJECT_DOMAIN, 0);
    header = object_header_of(slot_cap(d));
    header->type = 0;
    assert_violation("a capability points at an object that is not alive or not its type");
    header->type = CAP_DOMAIN;
    assert_holds();
}

static void INVARIANT0008_list_links_disagree(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct cte *slot = test_root_slot(ep);
    uintptr_t saved = slot->mdb.prev;
    slot->mdb.prev = (uintptr_t)test_root_slot(VESPER_ROOT_SLOT_DOMAIN);
    assert_violation("derivation list links disagree");
    slot->mdb.prev = saved;
    assert_holds();
    /* A slot dropped from the forward chain: its follower's back link
     * still names it. (The newer endpoint comes first, so it has one.) */
    vesper_word newer = make_object(VESPER_OBJECT_ENDPOINT, 0);
    slot = test_root_slot(newer);
    assert_non_null(cdt_next(slot));
    struct cte *prev = cdt_prev(slot);
    uintptr_t saved_next = prev->mdb.next;
    prev->mdb.next = slot->mdb.next;
    assert_violation("derivation list links disagree");
    prev->mdb.next = saved_next;
    assert_holds();
}

/* A list that comes back round to its head with every link consistent.
 * The head's empty capability then shows up as an entry; were the head to
 * hold a capability naming no memory, only the length bound would catch
 * the cycle. */
static void INVARIANT0009_list_that_never_ends(void **state)
{
    (void)state;
    struct cte *last = &kernel.cdt_head;
    while (cdt_next(last) != NULL)
        last = cdt_next(last);
    assert_ptr_not_equal(last, &kernel.cdt_head);
    last->mdb.next = (uintptr_t)&kernel.cdt_head | (last->mdb.next & MDB_FLAGS);
    kernel.cdt_head.mdb.prev = (uintptr_t)last;
    assert_violation("an empty slot is on the derivation list");
    kernel.cdt_head.cap = cap_make(CAP_SCHED_CONTROL, 0, VESPER_RIGHTS_ALL, 0, 0);
    assert_violation("the derivation list does not end");
    kernel.cdt_head.cap = cap_null();
    last->mdb.next &= MDB_FLAGS;
    kernel.cdt_head.mdb.prev = 0;
    assert_holds();
}

static void INVARIANT0010_object_above_its_untyped_watermark(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    make_object(VESPER_OBJECT_ENDPOINT, 0);
    make_object(VESPER_OBJECT_FRAME_4K, 0);
    struct cte *slot = test_root_slot(untyped);
    uint64_t saved = slot->cap.word1;
    assert_int_equal(saved, 8192);
    slot->cap.word1 = 4096 + 2048; /* the frame ends at 8 KiB */
    assert_violation("an object lies above its Untyped parent's watermark");
    slot->cap.word1 = saved;
    assert_holds();
}

/* The same holds for an Untyped carved from an Untyped. */
static void INVARIANT0011_child_untyped_above_its_parent_watermark(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    make_object(VESPER_OBJECT_UNTYPED, 12);
    struct cte *slot = test_root_slot(untyped);
    uint64_t saved = slot->cap.word1;
    assert_int_equal(saved, 4096);
    slot->cap.word1 = 0;
    assert_violation("an object lies above its Untyped parent's watermark");
    slot->cap.word1 = saved;
    assert_holds();
}

static void INVARIANT0012_zombie_left_over(void **state)
{
    (void)state;
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 2);
    struct cte *slot = test_root_slot(cnode);
    struct cap saved = slot->cap;
    slot->cap = cap_make(CAP_ZOMBIE, cap_address(saved), 0, 2, 0);
    assert_violation("a zombie outlived its deletion");
    slot->cap = saved;
    assert_holds();
}

static void INVARIANT0013_empty_slot_on_the_list(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct cte *slot = test_root_slot(ep);
    struct cap saved = slot->cap;
    slot->cap = cap_null();
    assert_violation("an empty slot is on the derivation list");
    slot->cap = saved;
    assert_holds();
}

static void INVARIANT0014_capability_of_no_valid_type(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct cte *slot = test_root_slot(ep);
    struct cap saved = slot->cap;
    slot->cap.word0 = (saved.word0 & ~(UINT64_C(0x1f) << 48)) | (uint64_t)CAP_TYPE_COUNT << 48;
    assert_violation("a capability has no valid type");
    slot->cap.word0 = (saved.word0 & ~(UINT64_C(0x1f) << 48)) | UINT64_C(0x1f) << 48;
    assert_violation("a capability has no valid type");
    slot->cap = saved;
    assert_holds();
}

static void INVARIANT0015_misaligned_object(void **state)
{
    (void)state;
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    struct cte *slot = test_root_slot(frame);
    struct cap saved = slot->cap;
    slot->cap = cap_make(CAP_FRAME_4K, cap_address(saved) + 2048, cap_rights(saved), 0, 0);
    assert_violation("an object is not aligned to its size");
    slot->cap = saved;
    assert_holds();
}

static void INVARIANT0016_object_outside_handed_out_memory(void **state)
{
    (void)state;
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    struct cte *slot = test_root_slot(frame);
    struct cap saved = slot->cap;
    const uintptr_t outside[] = {0x1000, HOST_USER_BASE + TEST_MEMORY, HOST_USER_BASE - 4096};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        slot->cap = cap_make(CAP_FRAME_4K, outside[i], cap_rights(saved), 0, 0);
        assert_violation("an object lies outside the memory the kernel hands out");
    }
    slot->cap = saved;
    assert_holds();
}

static void INVARIANT0017_capabilities_to_one_object_apart(void **state)
{
    (void)state;
    vesper_word dest = next_empty_slot();
    assert_int_equal(retype_into(NULL, largest_untyped(), VESPER_OBJECT_ENDPOINT, 0, dest, 3),
                     VESPER_OK);
    /* Each new object goes right after the Untyped: the list holds them in
     * reverse, dest + 1 between the other two. */
    assert_ptr_equal(cdt_next(test_root_slot(dest + 2)), test_root_slot(dest + 1));
    assert_ptr_equal(cdt_next(test_root_slot(dest + 1)), test_root_slot(dest));
    struct cte *slot = test_root_slot(dest);
    struct cap saved = slot->cap;
    slot->cap = slot_cap(dest + 2);
    assert_violation("capabilities to one object are not contiguous");
    slot->cap = saved;
    assert_holds();
}

static void INVARIANT0018_domain_slot_of_the_wrong_type(void **state)
{
    (void)state;
    struct cte *pdom = &kernel.root->slots[DOMAIN_SLOT_PDOM];
    struct cap saved = pdom->cap;
    pdom->cap = cap_make(CAP_FRAME_4K, cap_address(saved), cap_rights(saved), 0, 0);
    assert_violation("a domain slot holds a capability of the wrong type");
    pdom->cap = saved;
    assert_holds();
}

static void INVARIANT0019_claimed_line_that_does_not_exist(void **state)
{
    (void)state;
    kernel.irq[hal_irq_count()].claimed = true;
    assert_violation("an interrupt line that does not exist is claimed");
    kernel.irq[hal_irq_count()].claimed = false;
    kernel.irq[HAL_IRQ_LINES_MAX - 1].claimed = true;
    assert_violation("an interrupt line that does not exist is claimed");
    kernel.irq[HAL_IRQ_LINES_MAX - 1].claimed = false;
    assert_holds();
}

static void INVARIANT0020_line_bound_to_something_else(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    kernel.irq[2].notification.cap = slot_cap(ep);
    assert_violation("an interrupt line is bound to something other than a notification");
    kernel.irq[2].notification.cap = cap_null();
    assert_holds();
}

static void INVARIANT0021_running_kernel_without_a_current_domain(void **state)
{
    (void)state;
    struct domain *current = kernel.current;
    kernel.current = NULL;
    assert_violation("a running kernel has no root or no current domain");
    kernel.current = current;
    struct domain *root = kernel.root;
    kernel.root = NULL;
    assert_violation("a running kernel has no root or no current domain");
    kernel.root = root;
    assert_holds();
}

static void INVARIANT0022_current_domain_not_runnable(void **state)
{
    (void)state;
    kernel.current->state = DOMAIN_STOPPED;
    assert_violation("the current domain is not runnable");
    kernel.current->state = DOMAIN_INACTIVE;
    assert_violation("the current domain is not runnable");
    kernel.current->state = DOMAIN_RUNNABLE;
    assert_holds();
}

static void INVARIANT0023_stopped_kernel_with_a_current_domain(void **state)
{
    (void)state;
    kernel.running = false;
    assert_violation("a stopped kernel has a current domain");
    kernel.current = NULL;
    assert_holds();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(INVARIANT0001_hold_after_boot, test_boot),
        cmocka_unit_test_setup(INVARIANT0002_hold_after_ordinary_work, test_boot),
        cmocka_unit_test_setup(INVARIANT0003_checking_changes_nothing, test_boot),
        cmocka_unit_test_setup(INVARIANT0004_overlapping_objects, test_boot),
        cmocka_unit_test_setup(INVARIANT0005_child_with_rights_its_parent_lacks, test_boot),
        cmocka_unit_test_setup(INVARIANT0006_watermark_past_the_end, test_boot),
        cmocka_unit_test_setup(INVARIANT0007_capability_to_a_destroyed_object, test_boot),
        cmocka_unit_test_setup(INVARIANT0008_list_links_disagree, test_boot),
        cmocka_unit_test_setup(INVARIANT0009_list_that_never_ends, test_boot),
        cmocka_unit_test_setup(INVARIANT0010_object_above_its_untyped_watermark, test_boot),
        cmocka_unit_test_setup(INVARIANT0011_child_untyped_above_its_parent_watermark, test_boot),
        cmocka_unit_test_setup(INVARIANT0012_zombie_left_over, test_boot),
        cmocka_unit_test_setup(INVARIANT0013_empty_slot_on_the_list, test_boot),
        cmocka_unit_test_setup(INVARIANT0014_capability_of_no_valid_type, test_boot),
        cmocka_unit_test_setup(INVARIANT0015_misaligned_object, test_boot),
        cmocka_unit_test_setup(INVARIANT0016_object_outside_handed_out_memory, test_boot),
        cmocka_unit_test_setup(INVARIANT0017_capabilities_to_one_object_apart, test_boot),
        cmocka_unit_test_setup(INVARIANT0018_domain_slot_of_the_wrong_type, test_boot),
        cmocka_unit_test_setup(INVARIANT0019_claimed_line_that_does_not_exist, test_boot),
        cmocka_unit_test_setup(INVARIANT0020_line_bound_to_something_else, test_boot),
        cmocka_unit_test_setup(INVARIANT0021_running_kernel_without_a_current_domain, test_boot),
        cmocka_unit_test_setup(INVARIANT0022_current_domain_not_runnable, test_boot),
        cmocka_unit_test_setup(INVARIANT0023_stopped_kernel_with_a_current_domain, test_boot),
    };
    return cmocka_run_group_tests_name("invariants", tests, NULL, NULL);
}

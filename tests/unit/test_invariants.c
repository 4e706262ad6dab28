/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The invariant checker is not vacuous: it holds after boot and after
 * ordinary work, and each invariant, broken on purpose by writing kernel
 * state directly, makes it name that invariant. Each test then repairs
 * what it broke and sees the checker pass again, so the message is known
 * to come from that one change. The last tests do the same in states far
 * larger than the others (60,000 capabilities, 10,000 runnable domains)
 * and past the checker's scratch space.
 */
#include <stdlib.h>
#include <string.h>

#include "invariants.h"
#include "ipc_support.h"
#include "preempt.h"
#include "sched.h"

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
    assert_int_equal(TEST_CALL(d, domain_configure, cnode, VESPER_ROOT_SLOT_PDOM, ep),
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
 * Each slot's back link is checked on the way, so the head is the only
 * slot such a walk can meet again: whatever the head holds, meeting it is
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
    assert_violation("the derivation list does not end");
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

static void INVARIANT0012_zombie_linking_to_nothing(void **state)
{
    (void)state;
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 2);
    struct cte *slot = test_root_slot(cnode);
    struct cap saved = slot->cap;
    slot->cap = cap_make(CAP_ZOMBIE, cap_address(saved), 0, 2, 0);
    assert_violation("a zombie links to no zombie");
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

/* A running kernel always has a root, and a current domain unless it
 * idles, which it may only while an interrupt line is armed. */
static void INVARIANT0021_running_kernel_without_a_current_domain(void **state)
{
    (void)state;
    struct domain *current = kernel.current;
    kernel.current = NULL;
    assert_violation("the kernel idles with no interrupt to wait for");
    kernel.current = current;
    struct domain *root = kernel.root;
    kernel.root = NULL;
    assert_violation("a running kernel has no root");
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

/* ---- Every slot, not only the list ---- */

/* An IRQHandler for line in the next empty root slot: the line is claimed. */
static vesper_word claim_line(vesper_word line)
{
    vesper_word slot = next_empty_slot();
    assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_IRQ_CONTROL, irq_control_get, line,
                               ROOT_CNODE, slot, 64),
                     VESPER_OK);
    return slot;
}

/* The memory of a Domain made and destroyed: no live domain. */
static struct domain *destroyed_domain(void)
{
    vesper_word slot = make_domain(NO_CAP);
    struct domain *gone = domain_at(slot);
    assert_int_equal(delete_slot(slot), VESPER_OK);
    assert_int_equal(gone->header.type, 0);
    return gone;
}

/* A capability written into an empty slot, with no links or with links
 * its neighbours do not return. */
static void INVARIANT0024_capability_forged_into_an_empty_root_slot(void **state)
{
    (void)state;
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    struct cte *empty = test_root_slot(next_empty_slot());
    empty->cap = slot_cap(frame);
    assert_violation("a capability lies in a slot off the derivation list");
    /* Links that name the frame's slot and its follower, which do not name
     * it back. */
    struct cte *real = test_root_slot(frame);
    empty->mdb.prev = (uintptr_t)real;
    empty->mdb.next = real->mdb.next;
    assert_violation("a capability lies in a slot off the derivation list");
    empty->cap = cap_null();
    empty->mdb = (struct mdb){0, 0};
    assert_holds();
}

/* Two forged slots that name each other: every link agrees with its
 * neighbour, and only the count of capabilities gives them away. */
static void INVARIANT0025_forged_slots_whose_links_agree(void **state)
{
    (void)state;
    vesper_word first = next_empty_slot();
    struct cte *a = test_root_slot(first);
    struct cte *b = test_root_slot(first + 1);
    assert_true(cap_is_null(b->cap));
    a->cap = slot_cap(VESPER_ROOT_SLOT_SCHED_CONTROL);
    b->cap = a->cap;
    a->mdb = (struct mdb){.prev = (uintptr_t)b, .next = (uintptr_t)b};
    b->mdb = (struct mdb){.prev = (uintptr_t)a, .next = (uintptr_t)a};
    assert_violation("a capability lies in a slot off the derivation list");
    *a = (struct cte){0};
    *b = (struct cte){0};
    assert_holds();
}

/* The same in a CNode made by Retype, in a domain's slot and in an
 * interrupt line's binding. */
static void INVARIANT0026_capability_forged_into_other_containers(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 4);
    struct cte *inner = &((struct cte *)object_bytes(slot_cap(cnode)))[9];
    inner->cap = slot_cap(ep);
    assert_violation("a capability lies in a slot off the derivation list");
    inner->cap = cap_null();
    assert_holds();

    struct domain *d = object_bytes(slot_cap(make_object(VESPER_OBJECT_DOMAIN, 0)));
    struct cte *fault_slot = &d->slots[DOMAIN_SLOT_FAULT_ENDPOINT];
    fault_slot->cap = slot_cap(ep);
    assert_violation("a capability lies in a slot off the derivation list");
    fault_slot->cap = cap_null();
    assert_holds();

    /* A claimed line (its handler exists) with a binding no one made. */
    claim_line(1);
    kernel.irq[1].notification.cap = slot_cap(ntfn);
    assert_violation("a capability lies in a slot off the derivation list");
    kernel.irq[1].notification.cap = cap_null();
    assert_holds();
}

/* A slot on the list that no container holds: an endpoint's slot moved,
 * links and all, into the memory of a frame. */
static void INVARIANT0027_list_slot_in_no_container(void **state)
{
    (void)state;
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct cte *home = test_root_slot(ep);
    struct cte *stray = object_bytes(slot_cap(frame));
    struct cap cap = home->cap;
    cdt_move(home, stray, cap);
    assert_violation("a slot on the derivation list lies in no live CNode or Domain");
    cdt_move(stray, home, cap);
    assert_holds();
}

/* A Frame capability on the boot image: the page of the kernel's own state
 * (on the host the program's data is part of the image) and the page of
 * the root's code, on the list or forged into an empty slot. */
static void INVARIANT0028_capability_to_the_boot_image(void **state)
{
    (void)state;
    const uintptr_t image[] = {(uintptr_t)&kernel & ~(uintptr_t)4095,
                               hal_root_entry() & ~(uintptr_t)4095};
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    struct cte *slot = test_root_slot(frame);
    struct cap saved = slot->cap;
    struct cte *empty = test_root_slot(next_empty_slot());
    for (size_t i = 0; i < sizeof image / sizeof image[0]; i++) {
        struct cap forged = cap_make(CAP_FRAME_4K, image[i], VESPER_RIGHTS_ALL, 0, 0);
        slot->cap = forged;
        assert_violation("an object lies outside the memory the kernel hands out");
        slot->cap = saved;
        empty->cap = forged;
        assert_violation("an object lies outside the memory the kernel hands out");
        empty->cap = cap_null();
    }
    assert_holds();
}

static void INVARIANT0029_zombie_forged_into_an_empty_slot(void **state)
{
    (void)state;
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 2);
    struct cte *empty = test_root_slot(next_empty_slot());
    empty->cap = cap_make(CAP_ZOMBIE, cap_address(slot_cap(cnode)), 0, 2, 0);
    assert_violation("a capability lies in a slot off the derivation list");
    empty->cap = cap_null();
    assert_holds();
}

static void INVARIANT0030_list_head_holding_a_capability(void **state)
{
    (void)state;
    kernel.cdt_head.cap = slot_cap(VESPER_ROOT_SLOT_SCHED_CONTROL);
    assert_violation("the derivation list's head holds a capability");
    kernel.cdt_head.cap = cap_null();
    assert_holds();
}

/* ---- Interrupt lines ---- */

static void INVARIANT0031_claims_that_do_not_match_handlers(void **state)
{
    (void)state;
    kernel.irq[1].claimed = true;
    assert_violation("an interrupt line's claim does not match its IRQHandler capabilities");
    kernel.irq[1].claimed = false;
    assert_holds();
    vesper_word handler = claim_line(0);
    kernel.irq[0].claimed = false;
    assert_violation("an interrupt line's claim does not match its IRQHandler capabilities");
    kernel.irq[0].claimed = true;
    struct cte *slot = test_root_slot(handler);
    slot->cap.word1 = hal_irq_count();
    assert_violation("an IRQHandler names a line that does not exist");
    slot->cap.word1 = 0;
    assert_holds();
}

static void INVARIANT0032_unclaimed_line_bound(void **state)
{
    (void)state;
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    kernel.irq[3].notification.cap = slot_cap(ntfn);
    assert_violation("an unclaimed interrupt line is bound to a notification");
    kernel.irq[3].notification.cap = cap_null();
    assert_holds();
}

/* ---- Domains and IPC ---- */

static void INVARIANT0033_run_queue_links(void **state)
{
    (void)state;
    struct domain *a = new_started_domain(NO_CAP, false);
    struct domain *b = new_started_domain(NO_CAP, false);
    assert_run_queue((struct domain *[]){a, b, NULL});
    b->queue_prev = NULL;
    assert_violation("a queue's links disagree");
    b->queue_prev = a;
    kernel.run_queue.tail = a;
    assert_violation("a queue's tail is not its last member");
    kernel.run_queue.tail = b;
    assert_holds();
}

static void INVARIANT0034_run_queue_members(void **state)
{
    (void)state;
    struct domain *a = new_started_domain(NO_CAP, false);
    new_started_domain(NO_CAP, false);
    a->state = DOMAIN_BLOCKED_NTFN;
    assert_violation("a queued domain is not waiting on that queue");
    a->state = DOMAIN_RUNNABLE;
    queue_remove(&kernel.run_queue, a);
    assert_violation("a runnable domain is on no run queue");
    queue_append(&kernel.run_queue, a);
    assert_holds();
    queue_append(&kernel.run_queue, kernel.current);
    assert_violation("the current domain is on the run queue");
    queue_remove(&kernel.run_queue, kernel.current);
    assert_holds();
    /* A destroyed domain's memory is no domain. */
    struct domain *gone = destroyed_domain();
    queue_append(&kernel.run_queue, gone);
    assert_violation("a queue holds something that is not a live domain");
    queue_remove(&kernel.run_queue, gone);
    assert_holds();
}

static void INVARIANT0035_current_domain_not_alive(void **state)
{
    (void)state;
    struct domain *gone = destroyed_domain();
    struct domain *current = kernel.current;
    kernel.current = gone;
    assert_violation("the current domain is not a live domain");
    kernel.current = current;
    assert_holds();
}

/* A receiver on one endpoint's queue, corrupted on either side. */
static void INVARIANT0036_endpoint_queue(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct endpoint *e = endpoint_at(ep);
    struct domain *a = new_started_domain(NO_CAP, false);
    hand_to(a);
    recv_as(a, ep, NO_CAP);
    assert_int_equal(a->state, DOMAIN_BLOCKED_RECV);
    e->state = ENDPOINT_SEND;
    assert_violation("a queued domain is not waiting on that queue");
    e->state = ENDPOINT_IDLE;
    assert_violation("an endpoint's state does not match its queue");
    e->state = ENDPOINT_RECV;
    a->queue_prev = a;
    assert_violation("a queue's links disagree");
    a->queue_prev = NULL;
    e->queue.tail = NULL;
    assert_violation("a queue's tail is not its last member");
    e->queue.tail = a;
    assert_holds();
}

/* A domain blocked on an endpoint whose queue it is not on: it names
 * another endpoint than the one it waits on, or none holds it. */
static void INVARIANT0037_domain_waiting_on_an_endpoint_it_is_not_queued_on(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word other = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct endpoint *e = endpoint_at(ep);
    struct domain *a = new_started_domain(NO_CAP, false);
    hand_to(a);
    recv_as(a, ep, NO_CAP);
    a->blocked_on = endpoint_at(other);
    assert_violation("a queued domain is not waiting on that queue");
    a->blocked_on = e;
    queue_remove(&e->queue, a);
    e->state = ENDPOINT_IDLE;
    assert_violation("a domain blocked on an endpoint is not on its queue");
    a->blocked_on = endpoint_at(other);
    assert_violation("a domain blocked on an endpoint is not on its queue");
    a->blocked_on = NULL;
    assert_violation("a domain blocked on an endpoint is not on its queue");
    a->blocked_on = e;
    queue_append(&e->queue, a);
    e->state = ENDPOINT_RECV;
    assert_holds();
}

static void INVARIANT0038_notification_queue(void **state)
{
    (void)state;
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    struct notification *n = notification_at(ntfn);
    struct domain *a = new_started_domain(NO_CAP, false);
    hand_to(a);
    recv_as(a, ntfn, NO_CAP);
    assert_int_equal(a->state, DOMAIN_BLOCKED_NTFN);
    n->word = 1;
    assert_violation("domains wait on a notification whose word is set");
    n->word = 0;
    queue_remove(&n->queue, a);
    assert_violation("a domain waiting on a notification is not on its queue");
    queue_append(&n->queue, a);
    assert_holds();
}

/* A Reply object and its receiver, then its caller, each side corrupted.
 * The Reply object is made before the domains, so it comes first in
 * memory and is checked first. */
static void INVARIANT0039_reply_object_and_its_domains(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    struct reply *r = reply_at(reply);
    struct domain *server = new_started_domain(NO_CAP, false);
    struct domain *client = new_started_domain(NO_CAP, false);
    hand_to(server);
    recv_as(server, ep, reply);
    assert_ptr_equal(r->receiver, server);
    r->receiver = kernel.root;
    assert_violation("a reply object is offered by a domain that is not receiving");
    r->receiver = NULL;
    assert_violation("a domain offers a reply object that does not name it");
    r->receiver = server;
    assert_holds();

    assert_ptr_equal(kernel.current, client);
    syscall_as(client, VESPER_SYS_CALL, (struct ipc_args){.cptr = ep, .tag = vesper_tag(1, 0, 0)});
    assert_int_equal(client->state, DOMAIN_BLOCKED_REPLY);
    assert_ptr_equal(r->caller, client);
    r->caller = NULL;
    assert_violation("a domain waits for a reply no reply object will give");
    r->caller = server;
    assert_violation("reply authority names a domain that is not waiting for it");
    r->caller = client;
    r->receiver = server;
    assert_violation("a reply object is both offered and bound");
    r->receiver = NULL;
    assert_holds();
}

/* A binding is mutual, and a stopped domain has none (docs/ipc.md,
 * Cancellation). */
static void INVARIANT0040_notification_binding(void **state)
{
    (void)state;
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    struct notification *n = notification_at(ntfn);
    vesper_word slot = make_domain(NO_CAP);
    struct domain *d = domain_at(slot);
    assert_int_equal(TEST_CALL(slot, domain_bind_notification, ntfn), VESPER_OK);
    assert_holds();
    n->bound = NULL;
    assert_violation("a domain's binding is one-sided");
    n->bound = d;
    d->bound = NULL;
    assert_violation("a notification's binding is one-sided");
    d->bound = n;
    d->state = DOMAIN_STOPPED;
    assert_violation("a stopped domain keeps a notification binding");
    d->state = DOMAIN_INACTIVE;
    assert_holds();
}

/* Links a domain's state has no use for. */
static void INVARIANT0041_domain_keeps_links_its_state_does_not_use(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    struct domain *root = kernel.root;
    root->blocked_on = endpoint_at(ep);
    assert_violation("a domain keeps IPC links its state does not use");
    root->blocked_on = NULL;
    root->reply = reply_at(reply);
    assert_violation("a domain keeps IPC links its state does not use");
    root->reply = NULL;
    assert_holds();
}

static void INVARIANT0042_ipc_buffer_outside_its_frame(void **state)
{
    (void)state;
    struct domain *root = kernel.root;
    uintptr_t saved = root->ipc_buffer;
    root->ipc_buffer = saved + 4096;
    assert_violation("a domain's IPC buffer lies outside its frame");
    root->ipc_buffer = saved - 512;
    assert_violation("a domain's IPC buffer lies outside its frame");
    root->ipc_buffer = saved;
    assert_holds();
}

/* ---- At sizes past the old scratch space of 16,384 ---- */

/* The machine for the large states: as large as the checker is sized for,
 * mapped at the first reset of the process (a later reset cannot map
 * more), so every test here resets within it. */
#define LARGE_MEMORY KERNEL_CHECK_MACHINE_BYTES

static void unused_root_entry(vesper_word bootinfo)
{
    (void)bootinfo;
}

static int map_large_machine(void **state)
{
    (void)state;
    return host_machine_reset(LARGE_MEMORY, (uintptr_t)unused_root_entry);
}

static int boot_large_machine(void **state)
{
    (void)state;
    if (host_machine_reset(LARGE_MEMORY, (uintptr_t)unused_root_entry) != 0)
        return -1;
    host_console_capture(test_console, sizeof test_console);
    return kernel_boot() == NULL ? -1 : 0;
}

/* The boot Untyped to use after `untyped` is full: the largest first, then
 * the others in bootinfo order. */
static vesper_word next_untyped(vesper_word untyped)
{
    const struct vesper_bootinfo *info = test_bootinfo();
    vesper_word largest = largest_untyped();
    vesper_word next = untyped == largest ? info->untyped_first : untyped + 1;
    if (next == largest)
        next++;
    if (next >= info->untyped_first + info->untyped_count)
        fail_msg("the boot Untypeds hold too little memory");
    return next;
}

/* Retype `count` objects of `type` into the CNode in root slot `cnode`,
 * from its slot `offset` on, from the largest boot Untyped and then the
 * others. */
static void retype_many(vesper_word cnode, vesper_word type, vesper_word offset,
                        vesper_word count)
{
    vesper_word untyped = largest_untyped();
    while (count > 0) {
        vesper_word batch = count < VESPER_RETYPE_FANOUT_MAX ? count : VESPER_RETYPE_FANOUT_MAX;
        enum vesper_error e = TEST_CALL(untyped, untyped_retype, type, 0, ROOT_CNODE, cnode, 64,
                                        offset, batch);
        if (e == VESPER_ERR_NOT_ENOUGH_MEMORY) {
            untyped = next_untyped(untyped);
            continue;
        }
        assert_int_equal(e, VESPER_OK);
        offset += batch;
        count -= batch;
    }
}

#define MANY_ENDPOINTS 60000u
#define ENDPOINT_CNODE_RADIX 16u

/* A CNode of 65,536 slots holding MANY_ENDPOINTS Endpoints, all from the
 * largest Untyped. Returns the CNode's root slot. */
static vesper_word make_many_endpoints(void)
{
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, ENDPOINT_CNODE_RADIX);
    retype_many(cnode, VESPER_OBJECT_ENDPOINT, 0, MANY_ENDPOINTS);
    return cnode;
}

static void INVARIANT0043_hold_past_16384_capabilities(void **state)
{
    (void)state;
    make_many_endpoints();
    assert_holds();
}

/* Corruptions that the checks of pairs would once have skipped at this
 * size, and a forged capability among 65,536 slots. */
static void INVARIANT0044_corruption_past_16384_capabilities(void **state)
{
    (void)state;
    vesper_word cnode = make_many_endpoints();
    struct cte *slots = object_bytes(slot_cap(cnode));
    struct cap saved = slots[MANY_ENDPOINTS - 1].cap;
    slots[MANY_ENDPOINTS - 1].cap = slots[0].cap;
    assert_violation("capabilities to one object are not contiguous");
    slots[MANY_ENDPOINTS - 1].cap = saved;

    struct cte *untyped = test_root_slot(largest_untyped());
    uint64_t watermark = untyped->cap.word1;
    untyped->cap.word1 = watermark - 32;
    assert_violation("an object lies above its Untyped parent's watermark");
    untyped->cap.word1 = watermark;

    slots[MANY_ENDPOINTS + 5].cap = saved;
    assert_violation("a capability lies in a slot off the derivation list");
    slots[MANY_ENDPOINTS + 5].cap = cap_null();
    assert_holds();
}

#define MANY_DOMAINS 10000u

/* MANY_DOMAINS runnable Domains, their capabilities in a CNode of their
 * own. They are made runnable as Domain Start would (sched_make_runnable),
 * without a syscall each: no CPtr of the root's one-level CSpace reaches a
 * slot of another CNode. Returns that CNode's root slot. */
static vesper_word make_many_runnable_domains(void)
{
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 14);
    retype_many(cnode, VESPER_OBJECT_DOMAIN, 0, MANY_DOMAINS);
    struct cte *slots = object_bytes(slot_cap(cnode));
    for (unsigned i = 0; i < MANY_DOMAINS; i++)
        sched_make_runnable(object_bytes(slots[i].cap));
    return cnode;
}

static void INVARIANT0045_hold_with_10000_runnable_domains(void **state)
{
    (void)state;
    make_many_runnable_domains();
    assert_holds();
}

static void INVARIANT0046_run_queue_corruption_among_10000_domains(void **state)
{
    (void)state;
    vesper_word cnode = make_many_runnable_domains();
    struct cte *slots = object_bytes(slot_cap(cnode));
    struct domain *middle = object_bytes(slots[MANY_DOMAINS / 2].cap);
    queue_remove(&kernel.run_queue, middle);
    assert_violation("a runnable domain is on no run queue");
    queue_append(&kernel.run_queue, middle);
    assert_holds();
    middle->state = DOMAIN_BLOCKED_SEND;
    assert_violation("a queued domain is not waiting on that queue");
    middle->state = DOMAIN_RUNNABLE;
    assert_holds();
}

/* Past its scratch space the checker says so; at its size it still checks
 * everything. A list of SchedControl capabilities in slots of the test's
 * own, which lie in no CNode, stands in for a machine that large. */
static void INVARIANT0047_too_many_capabilities_reported(void **state)
{
    (void)state;
    static struct cte fake[KERNEL_CHECK_CAPACITY + 1];
    struct cap control = slot_cap(VESPER_ROOT_SLOT_SCHED_CONTROL);
    uintptr_t saved_next = kernel.cdt_head.mdb.next;
    struct cte *prev = &kernel.cdt_head;
    for (size_t i = 0; i < KERNEL_CHECK_CAPACITY + 1; i++) {
        fake[i] = (struct cte){.cap = control, .mdb = {.prev = (uintptr_t)prev}};
        prev->mdb.next = (uintptr_t)&fake[i];
        prev = &fake[i];
    }
    assert_violation("too many capabilities for the checker's scratch space");
    fake[KERNEL_CHECK_CAPACITY - 1].mdb.next = 0;
    assert_violation("a slot on the derivation list lies in no live CNode or Domain");
    kernel.cdt_head.mdb.next = saved_next;
    assert_holds();
}

/* ---- Zombies of a stopped deletion ---- */

/* A Delete of a CNode of radix 2 whose slot 1 holds the last capability
 * to a CNode of radix 4 with copies, stopped once both are zombies: the
 * outer one, the bottom, in the root; the inner one in its slot 1. */
static void stop_a_nested_deletion(struct cte **outer, struct cte **inner)
{
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 4);
    for (unsigned i = 0; i < 4; i++)
        move_into_cnode(cnode, 4, i, copy_cap(ep, VESPER_RIGHTS_ALL));
    vesper_word top = make_object(VESPER_OBJECT_CNODE, 2);
    move_into_cnode(top, 2, 1, cnode);
    preemption_test_every(2); /* the outer zombie, then the inner */
    TEST_CALL(ROOT_CNODE, cnode_delete, top, 64);
    preemption_test_every(0);
    assert_true(root_domain()->context.restart);
    root_domain()->context.restart = 0;
    *outer = test_root_slot(top);
    *inner = &((struct cte *)object_bytes(slot_cap(top)))[1];
    assert_int_equal(cap_type((*outer)->cap), CAP_ZOMBIE);
    assert_int_equal(cap_type((*inner)->cap), CAP_ZOMBIE);
    assert_holds();
}

/* A zombie's word 1 with its scan index (bits 48-63) replaced. */
static uint64_t with_scan_index(uint64_t word1, uint64_t index)
{
    return (word1 & ((UINT64_C(1) << 48) - 1)) | index << 48;
}

static void INVARIANT0049_zombie_scanning_past_its_container(void **state)
{
    (void)state;
    struct cte *outer, *inner;
    stop_a_nested_deletion(&outer, &inner);
    uint64_t saved = inner->cap.word1;
    inner->cap.word1 = with_scan_index(saved, 16);
    assert_violation("a zombie's scan index lies past its container");
    inner->cap.word1 = saved;
    assert_holds();
}

static void INVARIANT0050_zombie_away_from_where_the_one_below_scans(void **state)
{
    (void)state;
    struct cte *outer, *inner;
    stop_a_nested_deletion(&outer, &inner);
    uint64_t saved = outer->cap.word1;
    outer->cap.word1 = with_scan_index(saved, 0);
    assert_violation("a zombie lies elsewhere than where the one below it scans");
    outer->cap.word1 = saved;
    assert_holds();
}

static void INVARIANT0051_zombie_on_no_stack(void **state)
{
    (void)state;
    struct cte *outer, *inner;
    stop_a_nested_deletion(&outer, &inner);
    uint64_t saved = outer->cap.word1;
    /* The bottom's top made itself: the inner zombie is on no stack. */
    outer->cap.word1 = (saved >> 48) << 48 | ((uint64_t)(uintptr_t)outer & ((UINT64_C(1) << 48) - 1));
    assert_violation("a zombie is on no deletion's stack");
    outer->cap.word1 = saved;
    assert_holds();
}

static void INVARIANT0052_zombie_stack_with_two_bottoms(void **state)
{
    (void)state;
    struct cte *outer, *inner;
    stop_a_nested_deletion(&outer, &inner);
    struct cap saved = inner->cap;
    inner->cap = cap_with_rights(saved, 1);
    assert_violation("a zombie's links do not come down to its bottom");
    inner->cap = saved;
    assert_holds();
}

/* The kernel idles only while nothing can run: with a line armed, an idle
 * kernel beside a queued domain is caught. */
static void INVARIANT0048_idle_with_a_runnable_domain(void **state)
{
    (void)state;
    vesper_word handler = next_empty_slot();
    assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_IRQ_CONTROL, irq_control_get, 3,
                               VESPER_ROOT_SLOT_CNODE, handler, 64),
                     VESPER_OK);
    vesper_word ntfn = make_irq_notification();
    assert_int_equal(TEST_CALL(handler, irq_handler_set_notification, ntfn), VESPER_OK);
    start_domain(make_domain(NO_CAP));
    struct domain *current = kernel.current;
    kernel.current = NULL;
    assert_violation("the kernel idles while a domain could run");
    kernel.current = current;
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
        cmocka_unit_test_setup(INVARIANT0012_zombie_linking_to_nothing, test_boot),
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
        cmocka_unit_test_setup(INVARIANT0024_capability_forged_into_an_empty_root_slot, test_boot),
        cmocka_unit_test_setup(INVARIANT0025_forged_slots_whose_links_agree, test_boot),
        cmocka_unit_test_setup(INVARIANT0026_capability_forged_into_other_containers, test_boot),
        cmocka_unit_test_setup(INVARIANT0027_list_slot_in_no_container, test_boot),
        cmocka_unit_test_setup(INVARIANT0028_capability_to_the_boot_image, test_boot),
        cmocka_unit_test_setup(INVARIANT0029_zombie_forged_into_an_empty_slot, test_boot),
        cmocka_unit_test_setup(INVARIANT0030_list_head_holding_a_capability, test_boot),
        cmocka_unit_test_setup(INVARIANT0031_claims_that_do_not_match_handlers, test_boot),
        cmocka_unit_test_setup(INVARIANT0032_unclaimed_line_bound, test_boot),
        cmocka_unit_test_setup(INVARIANT0033_run_queue_links, test_boot),
        cmocka_unit_test_setup(INVARIANT0034_run_queue_members, test_boot),
        cmocka_unit_test_setup(INVARIANT0035_current_domain_not_alive, test_boot),
        cmocka_unit_test_setup(INVARIANT0036_endpoint_queue, test_boot),
        cmocka_unit_test_setup(INVARIANT0037_domain_waiting_on_an_endpoint_it_is_not_queued_on,
                               test_boot),
        cmocka_unit_test_setup(INVARIANT0038_notification_queue, test_boot),
        cmocka_unit_test_setup(INVARIANT0039_reply_object_and_its_domains, test_boot),
        cmocka_unit_test_setup(INVARIANT0040_notification_binding, test_boot),
        cmocka_unit_test_setup(INVARIANT0041_domain_keeps_links_its_state_does_not_use, test_boot),
        cmocka_unit_test_setup(INVARIANT0042_ipc_buffer_outside_its_frame, test_boot),
        cmocka_unit_test_setup(INVARIANT0043_hold_past_16384_capabilities, boot_large_machine),
        cmocka_unit_test_setup(INVARIANT0044_corruption_past_16384_capabilities,
                               boot_large_machine),
        cmocka_unit_test_setup(INVARIANT0045_hold_with_10000_runnable_domains, boot_large_machine),
        cmocka_unit_test_setup(INVARIANT0046_run_queue_corruption_among_10000_domains,
                               boot_large_machine),
        cmocka_unit_test_setup(INVARIANT0047_too_many_capabilities_reported, test_boot),
        cmocka_unit_test_setup(INVARIANT0048_idle_with_a_runnable_domain, test_boot),
        cmocka_unit_test_setup(INVARIANT0049_zombie_scanning_past_its_container, test_boot),
        cmocka_unit_test_setup(INVARIANT0050_zombie_away_from_where_the_one_below_scans,
                               test_boot),
        cmocka_unit_test_setup(INVARIANT0051_zombie_on_no_stack, test_boot),
        cmocka_unit_test_setup(INVARIANT0052_zombie_stack_with_two_bottoms, test_boot),
    };
    /* One test alone, for measuring the checker under callgrind:
     * INVARIANT_TEST=INVARIANT0045* (a cmocka pattern). */
    const char *only = getenv("INVARIANT_TEST");
    if (only != NULL)
        cmocka_set_test_filter(only);
    return cmocka_run_group_tests_name("invariants", tests, map_large_machine, NULL);
}

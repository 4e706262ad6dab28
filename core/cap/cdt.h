/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The capability derivation tree, kept as in seL4: one doubly linked list
 * of slots in depth-first order. A slot's descendants are the run of slots
 * that follow it while cdt_is_parent_of(slot, follower) holds. The list
 * starts at kernel.cdt_head, a slot outside every CNode that stays empty:
 * every slot on the list has a predecessor, so only the next link can be
 * NULL (at the tail).
 *
 * Invariants (checked by kernel_check_invariants, which visits every slot
 * of every live CNode and Domain and every interrupt line's binding):
 *  - every non-empty slot is on the list exactly once, every empty slot on
 *    none; prev and next agree;
 *  - all capabilities to one object form one contiguous run;
 *  - a child never has rights its parent lacks.
 */
#ifndef VESPER_CORE_CDT_H
#define VESPER_CORE_CDT_H

#include <stdbool.h>

#include "cap.h"

static inline struct cte *cdt_next(const struct cte *slot)
{
    return (struct cte *)(slot->mdb.next & ~(uintptr_t)MDB_FLAGS);
}

static inline struct cte *cdt_prev(const struct cte *slot)
{
    return (struct cte *)slot->mdb.prev;
}

static inline bool cdt_is_revocable(const struct cte *slot)
{
    return slot->mdb.next & MDB_REVOCABLE;
}

static inline bool cdt_is_first_badged(const struct cte *slot)
{
    return slot->mdb.next & MDB_FIRST_BADGED;
}

/* Empty the list: only the head remains. */
void cdt_reset(struct cte *head);

/* Put cap in the empty slot `slot`, right after `after` on the list. */
void cdt_insert_after(struct cte *after, struct cte *slot, struct cap cap,
                      bool revocable, bool first_badged);

/* Put cap, derived from the capability in parent, in the empty slot
 * `slot` as parent's child, as a copy starts (cap_as_copy()). */
void cdt_insert_child(struct cte *parent, struct cte *slot, struct cap cap);

/* Take the slot off the list and empty it. Its children, if any, become
 * children of whatever precedes it. */
void cdt_remove(struct cte *slot);

/* Move the capability in from (non-empty) to the empty slot to, replacing
 * it by cap; to takes from's place in the tree. */
void cdt_move(struct cte *from, struct cte *to, struct cap cap);

/* Exchange the capabilities of two non-empty slots and their places in
 * the tree; a gets cap_for_a and b gets cap_for_b. */
void cdt_swap(struct cte *a, struct cte *b, struct cap cap_for_a, struct cap cap_for_b);

/* seL4's isMDBParentOf: whether b, following a, is a's descendant. */
bool cdt_is_parent_of(const struct cte *a, const struct cte *b);

/* Whether the slot's next neighbour is its child. */
bool cdt_has_children(const struct cte *slot);

/* Whether no other capability to the same object exists. */
bool cdt_is_final(const struct cte *slot);

#endif

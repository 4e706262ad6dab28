/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The capability derivation tree (see cdt.h). */
#include "cdt.h"
#include "objecttype.h"

static void set_next(struct cte *slot, struct cte *next)
{
    slot->mdb.next = (uintptr_t)next | (slot->mdb.next & MDB_FLAGS);
}

static void set_flags(struct cte *slot, bool revocable, bool first_badged)
{
    slot->mdb.next = (slot->mdb.next & ~(uintptr_t)MDB_FLAGS) |
                     (revocable ? MDB_REVOCABLE : 0) |
                     (first_badged ? MDB_FIRST_BADGED : 0);
}

void cdt_reset(struct cte *head)
{
    head->cap = cap_null();
    head->mdb.prev = 0;
    head->mdb.next = 0;
}

void cdt_insert_after(struct cte *after, struct cte *slot, struct cap cap,
                      bool revocable, bool first_badged)
{
    struct cte *next = cdt_next(after);
    slot->cap = cap;
    slot->mdb.prev = (uintptr_t)after;
    slot->mdb.next = (uintptr_t)next;
    set_flags(slot, revocable, first_badged);
    if (next != NULL)
        next->mdb.prev = (uintptr_t)slot;
    set_next(after, slot);
}

void cdt_insert_child(struct cte *parent, struct cte *slot, struct cap cap)
{
    bool revocable = cap_is_revocable(cap, parent->cap);
    cdt_insert_after(parent, slot, cap_as_copy(cap), revocable, revocable);
}

void cdt_remove(struct cte *slot)
{
    struct cte *prev = cdt_prev(slot);
    struct cte *next = cdt_next(slot);
    set_next(prev, next);
    if (next != NULL) {
        next->mdb.prev = (uintptr_t)prev;
        /* The follower inherits "first of its badge", so that copies of a
         * badged capability stay apart from an earlier badging of the same
         * badge (seL4 does the same). */
        if (cdt_is_first_badged(slot))
            next->mdb.next |= MDB_FIRST_BADGED;
    }
    slot->cap = cap_null();
    slot->mdb.prev = 0;
    slot->mdb.next = 0;
}

void cdt_move(struct cte *from, struct cte *to, struct cap cap)
{
    struct cte *prev = cdt_prev(from);
    struct cte *next = cdt_next(from);
    to->cap = cap;
    to->mdb = from->mdb;
    set_next(prev, to);
    if (next != NULL)
        next->mdb.prev = (uintptr_t)to;
    from->cap = cap_null();
    from->mdb.prev = 0;
    from->mdb.next = 0;
}

void cdt_swap(struct cte *a, struct cte *b, struct cap cap_for_a, struct cap cap_for_b)
{
    /* a's capability moves to b and b's to a; each keeps its tree node, so
     * the nodes trade slots. Exchange the slots' contents, then repoint
     * the neighbours. */
    struct mdb a_mdb = a->mdb;
    struct mdb b_mdb = b->mdb;
    a->mdb = b_mdb;
    b->mdb = a_mdb;
    a->cap = cap_for_a;
    b->cap = cap_for_b;
    /* Neighbours that pointed at the other slot (including each other). */
    struct cte *slots[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        struct cte *s = slots[i];
        struct cte *other = slots[1 - i];
        if (cdt_prev(s) == s)
            s->mdb.prev = (uintptr_t)other;
        if (cdt_next(s) == s)
            set_next(s, other);
    }
    for (int i = 0; i < 2; i++) {
        struct cte *s = slots[i];
        struct cte *prev = cdt_prev(s);
        struct cte *next = cdt_next(s);
        set_next(prev, s);
        if (next != NULL)
            next->mdb.prev = (uintptr_t)s;
    }
}

bool cdt_is_parent_of(const struct cte *a, const struct cte *b)
{
    if (!cdt_is_revocable(a) || !cap_same_region(a->cap, b->cap))
        return false;
    if (!cap_type_is_badged(cap_type(a->cap)))
        return true;
    uint64_t badge = cap_badge(a->cap);
    if (badge == 0)
        return true;
    return badge == cap_badge(b->cap) && !cdt_is_first_badged(b);
}

bool cdt_has_children(const struct cte *slot)
{
    const struct cte *next = cdt_next(slot);
    return next != NULL && cdt_is_parent_of(slot, next);
}

bool cdt_is_final(const struct cte *slot)
{
    const struct cte *prev = cdt_prev(slot);
    const struct cte *next = cdt_next(slot);
    if (cap_same_object(prev->cap, slot->cap))
        return false;
    if (next != NULL && cap_same_object(next->cap, slot->cap))
        return false;
    return true;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Deletion, revocation and object destruction (see delete.h). */
#include "cdt.h"
#include "cspace.h"
#include "delete.h"
#include "trace.h"
#include "irq.h"
#include "objects.h"
#include "objecttype.h"
#include "preempt.h"
#include "state.h"

/* A zombie's word 1: a link in bits 0-47 and in bits 48-63 the index
 * below which its container holds nothing left to delete (empty slots and
 * zombies), so that each slot is scanned once. The zombies of one deletion
 * form a stack: each links to the one below it, whose container holds it,
 * and the bottom one (ZOMBIE_BOTTOM in its rights), in the slot the
 * deletion began at, links to the top, so that a deletion stopped at a
 * preemption point goes on where it stopped. Kernel pointers are canonical
 * 48-bit addresses, so bit 47 extends upwards: a kernel mapped in the
 * upper half keeps working. */
#define ZOMBIE_LINK_MASK ((UINT64_C(1) << 48) - 1)
#define ZOMBIE_BOTTOM 1u

/* How many slots of a container one step looks at, at most: a step of a
 * few thousand instructions, whatever the container's size. */
#define SCAN_STEP 256u

struct cte *zombie_link(const struct cte *zombie)
{
    uint64_t link = zombie->cap.word1 & ZOMBIE_LINK_MASK;
    if (link & (UINT64_C(1) << 47))
        link |= ~ZOMBIE_LINK_MASK;
    return (struct cte *)(uintptr_t)link;
}

static void zombie_set_link(struct cte *zombie, const struct cte *link)
{
    zombie->cap.word1 = (zombie->cap.word1 & ~ZOMBIE_LINK_MASK) |
                        ((uint64_t)(uintptr_t)link & ZOMBIE_LINK_MASK);
}

bool zombie_is_bottom(const struct cte *zombie)
{
    return (cap_rights(zombie->cap) & ZOMBIE_BOTTOM) != 0;
}

unsigned zombie_scan_index(const struct cte *zombie)
{
    return (unsigned)(zombie->cap.word1 >> 48);
}

static void zombie_set_scan_index(struct cte *zombie, unsigned index)
{
    zombie->cap.word1 = (zombie->cap.word1 & ZOMBIE_LINK_MASK) | (uint64_t)index << 48;
}

/* The bottom of the stack the zombie in slot is on: the slot itself but
 * for a zombie found by a Revoke inside a container being emptied. */
static struct cte *zombie_bottom(struct cte *zombie)
{
    while (!zombie_is_bottom(zombie))
        zombie = zombie_link(zombie);
    return zombie;
}

enum scan { SCAN_FOUND, SCAN_EMPTY, SCAN_GOES_ON };

/* Look at up to SCAN_STEP slots of top's container, from its scan index,
 * for a capability still to delete: a live one, or a bottom zombie, of
 * another deletion that stopped or of this one. Empty slots are passed
 * over, and so is the top itself, which its own container may hold (a
 * CNode holding the last capability to itself, or after cycle_through()).
 * No other zombie can be there: the rest of this stack lie in the
 * containers below the top, and a zombie that is not a bottom lies in the
 * container of the one it links to or in its own. */
static enum scan zombie_scan(struct cte *top, struct cte **found)
{
    unsigned count;
    struct cte *slots = object_container_slots(top->cap, &count);
    unsigned i = zombie_scan_index(top);
    unsigned end = count - i > SCAN_STEP ? i + SCAN_STEP : count;
    for (; i < end; i++) {
        struct cte *slot = &slots[i];
        enum cap_type type = cap_type(slot->cap);
        if (type == CAP_NULL || slot == top || (type == CAP_ZOMBIE && !zombie_is_bottom(slot)))
            continue;
        zombie_set_scan_index(top, i);
        *found = slot;
        return SCAN_FOUND;
    }
    if (i == count)
        return SCAN_EMPTY;
    zombie_set_scan_index(top, i);
    return SCAN_GOES_ON;
}

/* Turn the slot's (final) CNode or Domain capability into a zombie that
 * links to `link`: the top below it, or for a bottom the top (itself). */
static void make_zombie(struct cte *slot, const struct cte *link, bool bottom)
{
    struct cap cap = slot->cap;
    unsigned aux = object_container_zombie(cap);
    slot->cap = cap_make(CAP_ZOMBIE, cap_address(cap), bottom ? ZOMBIE_BOTTOM : 0, aux,
                         (uint64_t)(uintptr_t)link & ZOMBIE_LINK_MASK);
}

/* The emptied container goes, and its zombie with it. */
static void zombie_pop(struct cte *zombie)
{
    struct cap z = zombie->cap;
    trace_destroy(cap_aux(z) == ZOMBIE_DOMAIN ? CAP_DOMAIN : CAP_CNODE, cap_address(z));
    cdt_remove(zombie);
}

static bool needs_emptying(const struct cte *slot)
{
    enum cap_type type = cap_type(slot->cap);
    return object_type_is_container(type) && cdt_is_final(slot);
}

/* One step of deleting a capability that is not a container to empty:
 * the cancellation of one domain queued on its object when it is the
 * last capability to an Endpoint or Notification (false: more to do),
 * else the deletion itself (true). */
static bool delete_simple_step(struct cte *slot)
{
    struct cap cap = slot->cap;
    bool final = cdt_is_final(slot);
    if (final && object_cancel_first_waiter(cap))
        return false;
    object_cap_removed(cap);
    cdt_remove(slot);
    if (cap_type(cap) == CAP_NOTIFICATION)
        irq_binding_removed(slot); /* a line's binding: mask the line */
    if (final)
        object_finalise(cap);
    return true;
}

/* The top's container holds this stack's own bottom: the containers from
 * the bottom's up to the top's hold one another's last capabilities in a
 * ring. The top cannot go before the bottom, which lies in it, so the two
 * trade slots: the top's zombie comes to lie in its own container, which
 * goes with it, and the bottom one level down, where the next container
 * down finds it in turn, until it lies in its own. Returns the bottom's
 * new slot. */
static struct cte *cycle_through(struct cte *top, struct cte *bottom)
{
    struct cap top_cap = top->cap, bottom_cap = bottom->cap;
    cdt_swap(top, bottom, bottom_cap, top_cap);
    zombie_set_link(top, bottom); /* the bottom, now in the top's old slot, links to it */
    if (zombie_link(bottom) == bottom)
        zombie_set_link(bottom, top); /* the top lay just above the bottom */
    return top;
}

/* One step of the deletion whose bottom zombie is in *bottom: look further
 * through the top's container, delete or begin emptying what is found
 * there, or take the emptied top off the stack. True when the bottom
 * itself is gone, and with it the deletion. */
static bool zombie_step(struct cte **bottom_slot)
{
    struct cte *bottom = *bottom_slot;
    struct cte *top = zombie_link(bottom), *work = NULL;
    switch (zombie_scan(top, &work)) {
    case SCAN_GOES_ON: return false;
    case SCAN_EMPTY:
        if (top == bottom) {
            zombie_pop(bottom);
            return true;
        }
        zombie_set_link(bottom, zombie_link(top));
        zombie_pop(top);
        return false;
    case SCAN_FOUND: break;
    }
    if (work == bottom) {
        *bottom_slot = cycle_through(top, bottom);
    } else if (cap_type(work->cap) == CAP_ZOMBIE) {
        /* Another deletion stopped here: its stack goes on top of this one. */
        struct cte *its_top = zombie_link(work);
        work->cap = cap_with_rights(work->cap, 0);
        zombie_set_link(work, top);
        zombie_set_link(bottom, its_top);
    } else if (needs_emptying(work)) {
        make_zombie(work, top, false);
        zombie_set_link(bottom, work);
    } else {
        delete_simple_step(work);
    }
    return false;
}

/* Delete the capability in slot step by step, asking for a preemption
 * point between steps when preemptible; false when one said to stop. */
static bool delete_steps(struct cte *slot, bool preemptible)
{
    if (cap_is_null(slot->cap))
        return true;
    if (cap_type(slot->cap) != CAP_ZOMBIE) {
        if (!needs_emptying(slot)) {
            while (!delete_simple_step(slot)) {
                if (preemptible && preemption_point())
                    return false; /* the next attempt goes on with the queue's rest */
            }
            return true;
        }
        make_zombie(slot, slot, true);
        if (preemptible && preemption_point())
            return false;
    }
    struct cte *bottom = zombie_bottom(slot);
    while (!zombie_step(&bottom)) {
        if (preemptible && preemption_point())
            return false;
    }
    return true;
}

void cap_delete(struct cte *slot)
{
    delete_steps(slot, false);
}

bool cap_delete_preemptible(struct cte *slot)
{
    return delete_steps(slot, true);
}

bool cap_revoke(struct cte *slot)
{
    struct cap original = slot->cap;
    /* A descendant's destruction may empty this very slot (when it lies in
     * a container being destroyed): then there is nothing left to revoke. */
    while (slot->cap.word0 == original.word0 && cdt_has_children(slot)) {
        if (!cap_delete_preemptible(cdt_next(slot)))
            return false;
        if (slot->cap.word0 == original.word0 && cdt_has_children(slot) && preemption_point())
            return false;
    }
    return true;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Deletion, revocation and object destruction (see delete.h). */
#include "cdt.h"
#include "cspace.h"
#include "delete.h"
#include "irq.h"
#include "objects.h"
#include "objecttype.h"
#include "preempt.h"
#include "state.h"

/* A zombie's word 1: the next zombie's slot in bits 0-47, and in bits
 * 48-63 the index below which its container holds nothing left to delete
 * (empty slots and zombies), so that each slot is scanned once. Kernel
 * pointers are canonical 48-bit addresses, so bit 47 extends upwards: a
 * kernel mapped in the upper half keeps working. */
#define ZOMBIE_LINK_MASK ((UINT64_C(1) << 48) - 1)

static struct cte *zombie_link(const struct cte *zombie)
{
    uint64_t link = zombie->cap.word1 & ZOMBIE_LINK_MASK;
    if (link & (UINT64_C(1) << 47))
        link |= ~ZOMBIE_LINK_MASK;
    return (struct cte *)(uintptr_t)link;
}

static unsigned zombie_scan_index(const struct cte *zombie)
{
    return (unsigned)(zombie->cap.word1 >> 48);
}

static void zombie_set_scan_index(struct cte *zombie, unsigned index)
{
    zombie->cap.word1 = (zombie->cap.word1 & ZOMBIE_LINK_MASK) | (uint64_t)index << 48;
}

/* The next slot of the zombie's container that still holds a capability
 * to delete, or NULL when it is empty (apart from zombies). */
static struct cte *zombie_next_work(struct cte *zombie)
{
    unsigned count;
    struct cte *slots = object_container_slots(zombie->cap, &count);
    for (unsigned i = zombie_scan_index(zombie); i < count; i++) {
        enum cap_type type = cap_type(slots[i].cap);
        if (type != CAP_NULL && type != CAP_ZOMBIE) {
            zombie_set_scan_index(zombie, i);
            return &slots[i];
        }
    }
    return NULL;
}

/* Turn the slot's (final) CNode or Domain capability into a zombie on top
 * of the stack whose top was `top`. */
static void make_zombie(struct cte *slot, struct cte *top)
{
    struct cap cap = slot->cap;
    unsigned aux = object_container_zombie(cap);
    slot->cap = cap_make(CAP_ZOMBIE, cap_address(cap), 0, aux,
                         (uint64_t)(uintptr_t)top & ZOMBIE_LINK_MASK);
}

static bool needs_emptying(const struct cte *slot)
{
    enum cap_type type = cap_type(slot->cap);
    return object_type_is_container(type) && cdt_is_final(slot);
}

/* Delete one capability that is not a container to empty. */
static void delete_simple(struct cte *slot)
{
    struct cap cap = slot->cap;
    bool final = cdt_is_final(slot);
    object_cap_removed(cap);
    cdt_remove(slot);
    if (cap_type(cap) == CAP_NOTIFICATION)
        irq_binding_removed(slot); /* a line's binding: mask the line */
    if (final)
        object_finalise(cap);
}

void cap_delete(struct cte *target)
{
    struct cte *top = NULL;
    struct cte *work = target;
    for (;;) {
        if (work != NULL && !cap_is_null(work->cap)) {
            if (needs_emptying(work)) {
                make_zombie(work, top);
                top = work;
            } else {
                delete_simple(work);
            }
        }
        if (top == NULL)
            return;
        work = zombie_next_work(top);
        if (work == NULL) {
            struct cte *done = top;
            top = zombie_link(done);
            cdt_remove(done);
        }
    }
}

bool cap_delete_preemptible(struct cte *slot)
{
    if (!cap_is_null(slot->cap) && cdt_is_final(slot)) {
        while (object_cancel_first_waiter(slot->cap)) {
            if (preemption_point())
                return false; /* the next attempt goes on with the queue's rest */
        }
    }
    cap_delete(slot);
    return true;
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

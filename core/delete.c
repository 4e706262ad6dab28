/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Deletion, revocation and object destruction (see delete.h). */
#include "cdt.h"
#include "cspace.h"
#include "delete.h"
#include "domain.h"
#include "ipc.h"
#include "irq.h"
#include "objects.h"
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

/* The slots a zombie's container holds. */
static struct cte *zombie_slots(const struct cte *zombie, unsigned *count)
{
    struct cap container = zombie->cap;
    if (cap_aux(container) == ZOMBIE_DOMAIN) {
        struct domain *d = hal_kernel_view(cap_address(container), sizeof *d);
        *count = DOMAIN_SLOT_COUNT;
        return d->slots;
    }
    unsigned radix = cap_aux(container);
    *count = 1u << radix;
    return hal_kernel_view(cap_address(container), (size_t)1 << (radix + VESPER_SLOT_BITS));
}

/* The next slot of the zombie's container that still holds a capability
 * to delete, or NULL when it is empty (apart from zombies). */
static struct cte *zombie_next_work(struct cte *zombie)
{
    unsigned count;
    struct cte *slots = zombie_slots(zombie, &count);
    for (unsigned i = zombie_scan_index(zombie); i < count; i++) {
        enum cap_type type = cap_type(slots[i].cap);
        if (type != CAP_NULL && type != CAP_ZOMBIE) {
            zombie_set_scan_index(zombie, i);
            return &slots[i];
        }
    }
    return NULL;
}

/* A domain being destroyed: it never runs again and nobody waits on it. */
static void domain_destroy(struct domain *d)
{
    domain_stop(d, 0);
    d->header.type = 0;
}

/* Turn the slot's (final) CNode or Domain capability into a zombie on top
 * of the stack whose top was `top`. */
static void make_zombie(struct cte *slot, struct cte *top)
{
    struct cap cap = slot->cap;
    unsigned aux = cnode_radix(cap);
    if (cap_type(cap) == CAP_DOMAIN) {
        domain_destroy(object_of(cap));
        aux = ZOMBIE_DOMAIN;
    }
    slot->cap = cap_make(CAP_ZOMBIE, cap_address(cap), 0, aux,
                         (uint64_t)(uintptr_t)top & ZOMBIE_LINK_MASK);
}

static bool needs_emptying(const struct cte *slot)
{
    enum cap_type type = cap_type(slot->cap);
    return (type == CAP_CNODE || type == CAP_DOMAIN) && cdt_is_final(slot);
}

/* Destroy what a final capability without contents names. */
static void finalise(struct cap cap)
{
    switch (cap_type(cap)) {
    case CAP_ENDPOINT:
        endpoint_cancel_all(object_of(cap));
        object_clear(cap);
        break;
    case CAP_NOTIFICATION:
        notification_cancel_all(object_of(cap));
        object_clear(cap);
        break;
    case CAP_REPLY:
        reply_cancel(object_of(cap));
        object_clear(cap);
        break;
    case CAP_IRQ_HANDLER:
        irq_release(irq_handler_line(cap));
        break;
    default:
        break;
    }
}

/* Delete one capability that is not a container to empty. */
static void delete_simple(struct cte *slot)
{
    struct cap cap = slot->cap;
    bool final = cdt_is_final(slot);
    cdt_remove(slot);
    if (final)
        finalise(cap);
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

void cap_revoke(struct cte *slot)
{
    struct cap original = slot->cap;
    /* A descendant's destruction may empty this very slot (when it lies in
     * a container being destroyed): then there is nothing left to revoke. */
    while (slot->cap.word0 == original.word0 && cdt_has_children(slot))
        cap_delete(cdt_next(slot));
}

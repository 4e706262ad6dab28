/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The capability view (see view.h). Like the invariant checker it starts
 * from the derivation list, which holds every capability the kernel keeps:
 * live domains and objects are found there, and a slot's container is the
 * CNode, Domain or zombie on the list whose slots include it. It only
 * reads, and its scratch space is on the caller's stack, so that the view
 * needs no memory of its own.
 */
#include "view.h"

#include "cdt.h"
#include "cspace.h"
#include "objects.h"
#include "objecttype.h"
#include "state.h"

/* How many CNodes view_cspace() remembers as listed; past that it still
 * never follows a cycle, as it also knows the CNodes on its path. */
#define VIEW_CNODES_MAX 256u

#define CPTR_BITS 64u

/* ---- One capability --------------------------------------------------- */

/* The kernel's pointer as a domain sees it, 0 for none. */
static uintptr_t user_address_or_0(const void *pointer)
{
    return pointer != NULL ? hal_user_address(pointer) : 0;
}

/* The slot's capability, without where it lies. */
static void describe_cap(const struct cte *slot, struct view_cap *v)
{
    *v = (struct view_cap){0};
    struct cap c = slot->cap;
    v->type = cap_type(c);
    v->rights = cap_rights(c);
    v->object = cap_address(c);
    v->object_bits = cap_object_bits(c);
    v->revocable = cdt_is_revocable(slot);
    switch (v->type) {
    case CAP_UNTYPED:
        v->watermark = untyped_watermark(c);
        v->device = untyped_is_device(c);
        break;
    case CAP_CNODE:
        v->radix = cnode_radix(c);
        v->guard = cnode_guard(c);
        v->guard_bits = cnode_guard_size(c);
        break;
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION: v->badge = cap_badge(c); break;
    case CAP_FRAME_4K:
    case CAP_FRAME_2M: v->device = frame_is_device(c); break;
    case CAP_IRQ_HANDLER: v->line = irq_handler_line(c); break;
    case CAP_ZOMBIE:
        v->radix = cap_aux(c) == ZOMBIE_DOMAIN ? 0 : cap_aux(c);
        break;
    default: break;
    }
}

/* ---- Where a slot lies ------------------------------------------------ */

/* The slots a capability's container holds. */
struct slot_range {
    const struct cte *first;
    unsigned count;
    enum view_place place;
    uintptr_t container;
};

/* The slots of the CNode or Domain c names, or of the one a zombie c
 * empties; false for any other capability. */
static bool slot_range_of(struct cap c, struct slot_range *r)
{
    r->container = cap_address(c);
    switch (cap_type(c)) {
    case CAP_CNODE:
        r->first = cnode_slots(c);
        r->count = 1u << cnode_radix(c);
        r->place = VIEW_PLACE_CNODE;
        return true;
    case CAP_DOMAIN:
        r->first = ((const struct domain *)object_of(c))->slots;
        r->count = DOMAIN_SLOT_COUNT;
        r->place = VIEW_PLACE_DOMAIN;
        return true;
    case CAP_ZOMBIE:
        r->first = object_container_slots(c, &r->count);
        r->place = cap_aux(c) == ZOMBIE_DOMAIN ? VIEW_PLACE_DOMAIN : VIEW_PLACE_CNODE;
        return true;
    default: return false;
    }
}

/* Whether the range holds the slot; if so, say where in v. */
static bool place_in(const struct slot_range *r, const struct cte *slot, struct view_cap *v)
{
    if (r->count == 0 || slot < r->first || slot >= r->first + r->count)
        return false;
    v->place = r->place;
    v->container = r->container;
    v->index = (unsigned)(slot - r->first);
    return true;
}

/* Whether the slot is an interrupt line's binding; if so, say which. */
static bool place_in_irq(const struct cte *slot, struct view_cap *v)
{
    for (unsigned line = 0; line < HAL_IRQ_LINES_MAX; line++) {
        if (slot == &kernel.irq[line].notification) {
            v->place = VIEW_PLACE_IRQ;
            v->index = line;
            return true;
        }
    }
    return false;
}

/* Where a slot on the derivation list lies. Slots of one container tend
 * to follow each other on the list, so the last container found (`last`)
 * is tried before a search of the list. */
static void place_slot(const struct cte *slot, struct view_cap *v, struct slot_range *last)
{
    if (place_in_irq(slot, v))
        return;
    v->slot = hal_user_address(slot);
    if (place_in(last, slot, v))
        return;
    for (const struct cte *s = cdt_next(&kernel.cdt_head); s != NULL; s = cdt_next(s)) {
        struct slot_range r;
        if (slot_range_of(s->cap, &r) && place_in(&r, slot, v)) {
            *last = r;
            return;
        }
    }
    v->place = VIEW_PLACE_UNKNOWN;
}

/* ---- The derivation tree and the live objects ---------------------------- */

size_t view_derivations(view_cap_fn *visit, void *arg)
{
    const struct cte *ancestors[VIEW_TREE_DEPTH_MAX];
    unsigned depth = 0;
    size_t visited = 0;
    struct slot_range last = {0};
    for (const struct cte *s = cdt_next(&kernel.cdt_head); s != NULL; s = cdt_next(s)) {
        while (depth > 0 && !cdt_is_parent_of(ancestors[depth - 1], s))
            depth--;
        struct view_cap v;
        describe_cap(s, &v);
        place_slot(s, &v, &last);
        v.tree_depth = depth;
        visit(&v, arg);
        visited++;
        if (depth < VIEW_TREE_DEPTH_MAX)
            ancestors[depth++] = s;
    }
    return visited;
}

size_t view_objects(enum cap_type type, view_cap_fn *visit, void *arg)
{
    const struct cte *previous = NULL;
    size_t visited = 0;
    struct slot_range last = {0};
    for (const struct cte *s = cdt_next(&kernel.cdt_head); s != NULL; s = cdt_next(s)) {
        if (cap_type(s->cap) != type)
            continue;
        if (previous != NULL && cap_same_object(previous->cap, s->cap))
            continue;
        previous = s;
        struct view_cap v;
        describe_cap(s, &v);
        place_slot(s, &v, &last);
        visit(&v, arg);
        visited++;
    }
    return visited;
}

/* The capability on the derivation list to a live object of type at
 * address, or NULL: what makes an address safe to look into. */
static const struct cte *find_live(uintptr_t address, enum cap_type type)
{
    for (const struct cte *s = cdt_next(&kernel.cdt_head); s != NULL; s = cdt_next(s))
        if (cap_type(s->cap) == type && cap_address(s->cap) == address)
            return s;
    return NULL;
}

/* ---- Domains ------------------------------------------------------------ */

/* The address of what a domain's slot holds if it is of type, else 0. */
static uintptr_t slot_object(const struct domain *d, enum domain_slot slot, enum cap_type type)
{
    struct cap c = d->slots[slot].cap;
    return cap_type(c) == type ? cap_address(c) : 0;
}

static void describe_domain(const struct domain *d, struct view_domain *v)
{
    *v = (struct view_domain){0};
    v->address = hal_user_address(d);
    v->state = (enum domain_state)d->state;
    v->waits_on = user_address_or_0(d->blocked_on);
    v->reply = user_address_or_0(d->reply);
    v->bound = user_address_or_0(d->bound);
    v->cspace = slot_object(d, DOMAIN_SLOT_CSPACE, CAP_CNODE);
    v->pdom = slot_object(d, DOMAIN_SLOT_PDOM, CAP_PDOM);
    v->fault_endpoint = slot_object(d, DOMAIN_SLOT_FAULT_ENDPOINT, CAP_ENDPOINT);
    v->current = d == kernel.current;
    v->root = d == kernel.root;
    v->exit_status = d->exit_status;
}

/* view_domains() through view_objects(): the caller's visitor and its
 * argument. */
struct domain_visit {
    view_domain_fn *visit;
    void *arg;
};

static void visit_domain_cap(const struct view_cap *cap, void *arg)
{
    const struct domain_visit *dv = arg;
    struct view_domain v;
    describe_domain(hal_kernel_pointer(cap->object), &v);
    dv->visit(&v, dv->arg);
}

size_t view_domains(view_domain_fn *visit, void *arg)
{
    struct domain_visit dv = {visit, arg};
    return view_objects(CAP_DOMAIN, visit_domain_cap, &dv);
}

size_t view_queue(uintptr_t object, view_domain_fn *visit, void *arg)
{
    const struct domain_queue *queue;
    if (find_live(object, CAP_ENDPOINT) != NULL)
        queue = &((const struct endpoint *)hal_kernel_pointer(object))->queue;
    else if (find_live(object, CAP_NOTIFICATION) != NULL)
        queue = &((const struct notification *)hal_kernel_pointer(object))->queue;
    else
        return 0;
    size_t visited = 0;
    for (const struct domain *d = queue->head; d != NULL; d = d->queue_next) {
        struct view_domain v;
        describe_domain(d, &v);
        visit(&v, arg);
        visited++;
    }
    return visited;
}

/* ---- A CSpace ------------------------------------------------------------ */

/* A walk of one CSpace: the visitor, the CNodes on the path to the one
 * being listed, and the CNodes listed so far. */
struct cspace_walk {
    view_cap_fn *visit;
    void *arg;
    size_t visited;
    uintptr_t path[CPTR_BITS];
    unsigned path_length;
    uintptr_t listed[VIEW_CNODES_MAX];
    unsigned listed_count;
};

static bool was_listed(const struct cspace_walk *w, uintptr_t cnode)
{
    for (unsigned i = 0; i < w->path_length; i++)
        if (w->path[i] == cnode)
            return true;
    for (unsigned i = 0; i < w->listed_count; i++)
        if (w->listed[i] == cnode)
            return true;
    return false;
}

/* The bits of a CNode capability's level: its guard, then radix bits. */
static unsigned level_bits(struct cap node)
{
    return cnode_guard_size(node) + cnode_radix(node);
}

/* prefix followed by the `count` low bits of value. */
static uint64_t append_bits(uint64_t prefix, uint64_t value, unsigned count)
{
    return count >= CPTR_BITS ? value : prefix << count | value;
}

static void walk_cnode(struct cspace_walk *w, struct cap node, uint64_t prefix, unsigned used,
                       unsigned level);

/* One non-empty slot of node, at index, reached with `used` bits of
 * prefix before node's level; then, for a CNode capability with bits left
 * for its level, the CNode's slots. */
static void walk_slot(struct cspace_walk *w, struct cap node, unsigned index, uint64_t prefix,
                      unsigned used, unsigned level)
{
    const struct cte *slot = &cnode_slots(node)[index];
    struct view_cap v;
    describe_cap(slot, &v);
    v.slot = hal_user_address(slot);
    v.place = VIEW_PLACE_CNODE;
    v.container = cap_address(node);
    v.index = index;
    v.cptr_bits = used + level_bits(node);
    v.cptr = append_bits(prefix, cnode_guard(node) << cnode_radix(node) | index,
                         level_bits(node));
    v.cspace_level = level;
    bool leads_on = v.type == CAP_CNODE && v.cptr_bits + level_bits(slot->cap) <= CPTR_BITS;
    if (leads_on && was_listed(w, v.object)) {
        v.revisit = true;
        leads_on = false;
    }
    w->visit(&v, w->arg);
    w->visited++;
    if (leads_on)
        walk_cnode(w, slot->cap, v.cptr, v.cptr_bits, level + 1);
}

/* Every non-empty slot of the CNode node names, reached with `used` bits
 * of prefix. Each level takes at least one bit, so the recursion is at
 * most CPTR_BITS deep. */
static void walk_cnode(struct cspace_walk *w, struct cap node, uint64_t prefix, unsigned used,
                       unsigned level)
{
    if (used + level_bits(node) > CPTR_BITS || w->path_length == CPTR_BITS)
        return;
    w->path[w->path_length++] = cap_address(node);
    if (w->listed_count < VIEW_CNODES_MAX)
        w->listed[w->listed_count++] = cap_address(node);
    const struct cte *slots = cnode_slots(node);
    for (unsigned i = 0; i < 1u << cnode_radix(node); i++)
        if (!cap_is_null(slots[i].cap))
            walk_slot(w, node, i, prefix, used, level);
    w->path_length--;
}

size_t view_cspace(uintptr_t domain, view_cap_fn *visit, void *arg)
{
    if (find_live(domain, CAP_DOMAIN) == NULL)
        return 0;
    const struct domain *d = hal_kernel_pointer(domain);
    struct cap root = d->slots[DOMAIN_SLOT_CSPACE].cap;
    if (cap_type(root) != CAP_CNODE) /* empty, or a zombie being emptied */
        return 0;
    struct cspace_walk w;
    w.visit = visit;
    w.arg = arg;
    w.visited = 0;
    w.path_length = 0;
    w.listed_count = 0;
    walk_cnode(&w, root, 0, 0, 0);
    return w.visited;
}

/* ---- Names ---------------------------------------------------------------- */

const char *view_type_name(enum cap_type type)
{
    static const char *const names[CAP_TYPE_COUNT] = {
        [CAP_NULL] = "empty",
        [CAP_UNTYPED] = "Untyped",
        [CAP_CNODE] = "CNode",
        [CAP_DOMAIN] = "Domain",
        [CAP_ENDPOINT] = "Endpoint",
        [CAP_NOTIFICATION] = "Notification",
        [CAP_REPLY] = "Reply",
        [CAP_FRAME_4K] = "Frame4K",
        [CAP_FRAME_2M] = "Frame2M",
        [CAP_PDOM] = "PDom",
        [CAP_PAGE_TABLE] = "PageTable",
        [CAP_IRQ_CONTROL] = "IRQControl",
        [CAP_IRQ_HANDLER] = "IRQHandler",
        [CAP_SCHED_CONTROL] = "SchedControl",
        [CAP_ZOMBIE] = "Zombie",
    };
    return (unsigned)type < CAP_TYPE_COUNT ? names[type] : "?";
}

const char *view_state_name(enum domain_state state)
{
    switch (state) {
    case DOMAIN_INACTIVE: return "never started";
    case DOMAIN_RUNNABLE: return "runnable";
    case DOMAIN_BLOCKED_SEND: return "waits to send";
    case DOMAIN_BLOCKED_RECV: return "waits to receive";
    case DOMAIN_BLOCKED_REPLY: return "waits for a reply";
    case DOMAIN_BLOCKED_NTFN: return "waits on a notification";
    case DOMAIN_STOPPED: return "stopped";
    default: return "?";
    }
}

void view_rights_text(const struct view_cap *cap, char text[5])
{
    static const char letters[4] = {'R', 'W', 'G', 'P'};
    bool frame = cap->type == CAP_FRAME_4K || cap->type == CAP_FRAME_2M;
    for (unsigned i = 0; i < 4; i++)
        text[i] = cap->rights & (1u << i) ? letters[i] : '-';
    if (frame && text[2] == 'G')
        text[2] = 'X'; /* VESPER_FRAME_EXECUTE */
    text[4] = '\0';
}

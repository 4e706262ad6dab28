/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The invariant checker (see invariants.h). It walks the derivation list
 * and compares capabilities pairwise: quadratic, meant for tests and
 * fuzzers on small machines, never for the kernel's own paths.
 */
#include "cdt.h"
#include "invariants.h"
#include "kernel.h"
#include "objects.h"
#include "sched.h"
#include "state.h"

/* More slots than RAM could hold means the list has a cycle. */
#define MAX_WALK ((size_t)1 << 26)

static bool in_free_memory(uintptr_t address, uint64_t size)
{
    const struct hal_memory_region *region;
    size_t count = hal_memory_map(&region);
    for (size_t i = 0; i < count; i++) {
        if (region[i].kind != HAL_REGION_FREE && region[i].kind != HAL_REGION_DEVICE)
            continue;
        if (address >= region[i].base && address - region[i].base < region[i].size &&
            size <= region[i].size - (address - region[i].base))
            return true;
    }
    return false;
}

static bool overlap(struct cap a, struct cap b)
{
    uint64_t a_end = cap_address(a) + (UINT64_C(1) << cap_object_bits(a));
    uint64_t b_end = cap_address(b) + (UINT64_C(1) << cap_object_bits(b));
    return cap_address(a) < b_end && cap_address(b) < a_end;
}

/* One capability on its own: type, place, alignment, header, watermark. */
static const char *check_cap(struct cap c)
{
    enum cap_type type = cap_type(c);
    if (type == CAP_NULL)
        return "an empty slot is on the derivation list";
    if (type == CAP_ZOMBIE)
        return "a zombie outlived its deletion";
    if (type >= CAP_TYPE_COUNT)
        return "a capability has no valid type";
    if (!cap_has_memory(c))
        return NULL;
    uint64_t size = UINT64_C(1) << cap_object_bits(c);
    if (cap_address(c) % size != 0)
        return "an object is not aligned to its size";
    if (!in_free_memory(cap_address(c), size))
        return "an object lies outside the memory the kernel hands out";
    if (type == CAP_UNTYPED && untyped_watermark(c) > size)
        return "an Untyped watermark is past the end of its region";
    struct object_header *header = object_header_of(c);
    if (header != NULL && header->type != type)
        return "a capability points at an object that is not alive or not its type";
    return NULL;
}

/* The derivation list: links agree, it ends, every entry is sound. */
static const char *check_list(size_t *length)
{
    const struct cte *prev = &kernel.cdt_head;
    size_t n = 0;
    for (const struct cte *s = cdt_next(prev); s != NULL; prev = s, s = cdt_next(s)) {
        if (cdt_prev(s) != prev)
            return "derivation list links disagree";
        if (++n > MAX_WALK)
            return "the derivation list does not end";
        const char *problem = check_cap(s->cap);
        if (problem != NULL)
            return problem;
    }
    *length = n;
    return NULL;
}

/* The nearest earlier entry that is b's parent, or NULL for a root. */
static const struct cte *parent_of(const struct cte *b)
{
    for (const struct cte *a = cdt_prev(b); a != NULL && a != &kernel.cdt_head; a = cdt_prev(a))
        if (cdt_is_parent_of(a, b))
            return a;
    return NULL;
}

static const char *check_parent(const struct cte *b)
{
    const struct cte *a = parent_of(b);
    if (a == NULL)
        return NULL;
    if ((cap_rights(b->cap) & ~cap_rights(a->cap)) != 0)
        return "a capability has rights its parent lacks";
    if (cap_type(a->cap) == CAP_UNTYPED) {
        uint64_t used_end = cap_address(a->cap) + untyped_watermark(a->cap);
        uint64_t end = cap_address(b->cap) + (UINT64_C(1) << cap_object_bits(b->cap));
        if (end > used_end)
            return "an object lies above its Untyped parent's watermark";
    }
    return NULL;
}

/* Pairs: caps to one object are contiguous; distinct objects do not
 * overlap unless one is an Untyped containing the other. */
static const char *check_pairs(void)
{
    for (const struct cte *a = cdt_next(&kernel.cdt_head); a != NULL; a = cdt_next(a)) {
        bool run_ended = false;
        for (const struct cte *b = cdt_next(a); b != NULL; b = cdt_next(b)) {
            bool same = cap_same_object(a->cap, b->cap);
            if (!same)
                run_ended = true;
            else if (run_ended)
                return "capabilities to one object are not contiguous";
            if (same || !cap_has_memory(a->cap) || !cap_has_memory(b->cap) ||
                !overlap(a->cap, b->cap))
                continue;
            bool nested = (cap_type(a->cap) == CAP_UNTYPED && cap_same_region(a->cap, b->cap)) ||
                          (cap_type(b->cap) == CAP_UNTYPED && cap_same_region(b->cap, a->cap));
            if (!nested)
                return "two live objects overlap";
        }
        const char *problem = check_parent(a);
        if (problem != NULL)
            return problem;
    }
    return NULL;
}

static const char *check_domain(const struct domain *d)
{
    static const enum cap_type wanted[DOMAIN_SLOT_COUNT] = {
        CAP_CNODE, CAP_PDOM, CAP_ENDPOINT, CAP_FRAME_4K};
    for (unsigned i = 0; i < DOMAIN_SLOT_COUNT; i++) {
        enum cap_type type = cap_type(d->slots[i].cap);
        bool frame_2m = i == DOMAIN_SLOT_IPC_BUFFER && type == CAP_FRAME_2M;
        if (type != CAP_NULL && type != wanted[i] && !frame_2m)
            return "a domain slot holds a capability of the wrong type";
    }
    return NULL;
}

/* A queue is finite, its links agree, and every member is in `state`
 * and blocked on `object` (NULL for the run queue). */
static const char *check_queue(const struct domain_queue *q, enum domain_state state,
                               const void *object)
{
    const struct domain *prev = NULL;
    size_t n = 0;
    for (const struct domain *d = q->head; d != NULL; prev = d, d = d->queue_next) {
        if (d->queue_prev != prev)
            return "a queue's links disagree";
        if (++n > MAX_WALK)
            return "a queue does not end";
        if (d->state != state || (object != NULL && d->blocked_on != object))
            return "a queued domain is not waiting on that queue";
        if (object == NULL && d == kernel.current)
            return "the current domain is on the run queue";
    }
    if (q->tail != prev)
        return "a queue's tail is not its last member";
    return NULL;
}

static const char *check_endpoint(const struct endpoint *ep)
{
    static const enum domain_state waiting[] = {
        [ENDPOINT_SEND] = DOMAIN_BLOCKED_SEND, [ENDPOINT_RECV] = DOMAIN_BLOCKED_RECV};
    if ((ep->state == ENDPOINT_IDLE) != (ep->queue.head == NULL) || ep->state > ENDPOINT_RECV)
        return "an endpoint's state does not match its queue";
    if (ep->state == ENDPOINT_IDLE)
        return NULL;
    return check_queue(&ep->queue, waiting[ep->state], ep);
}

static const char *check_notification(const struct notification *n)
{
    if (n->queue.head != NULL && n->word != 0)
        return "domains wait on a notification whose word is set";
    if (n->bound != NULL && n->bound->bound != n)
        return "a notification's binding is one-sided";
    return check_queue(&n->queue, DOMAIN_BLOCKED_NTFN, n);
}

static const char *check_reply(const struct reply *r)
{
    if (r->caller != NULL && r->receiver != NULL)
        return "a reply object is both offered and bound";
    if (r->caller != NULL &&
        (r->caller->state != DOMAIN_BLOCKED_REPLY || r->caller->reply != r))
        return "reply authority names a domain that is not waiting for it";
    if (r->receiver != NULL &&
        (r->receiver->state != DOMAIN_BLOCKED_RECV || r->receiver->reply != r))
        return "a reply object is offered by a domain that is not receiving";
    return NULL;
}

/* A domain's IPC state agrees with the queue or object it names. */
static const char *check_domain_ipc(const struct domain *d)
{
    switch (d->state) {
    case DOMAIN_RUNNABLE:
        if (d != kernel.current && !queue_contains(&kernel.run_queue, d))
            return "a runnable domain is on no run queue";
        break;
    case DOMAIN_BLOCKED_SEND:
    case DOMAIN_BLOCKED_RECV: {
        const struct endpoint *ep = d->blocked_on;
        if (ep == NULL || ep->header.type != CAP_ENDPOINT || !queue_contains(&ep->queue, d))
            return "a domain blocked on an endpoint is not on its queue";
        break;
    }
    case DOMAIN_BLOCKED_NTFN: {
        const struct notification *n = d->blocked_on;
        if (n == NULL || n->header.type != CAP_NOTIFICATION || !queue_contains(&n->queue, d))
            return "a domain waiting on a notification is not on its queue";
        break;
    }
    case DOMAIN_BLOCKED_REPLY:
        if (d->reply == NULL || d->reply->caller != d)
            return "a domain waits for a reply no reply object will give";
        break;
    case DOMAIN_INACTIVE:
    case DOMAIN_STOPPED:
        if (d->reply != NULL || d->blocked_on != NULL)
            return "a domain that does not run still takes part in IPC";
        break;
    default:
        return "a domain's state is not a domain state";
    }
    if (d->bound != NULL && d->bound->bound != d)
        return "a domain's binding is one-sided";
    return check_domain(d);
}

/* The IPC objects and domains the capabilities name, once each. */
static const char *check_ipc(void)
{
    const char *problem = check_queue(&kernel.run_queue, DOMAIN_RUNNABLE, NULL);
    for (const struct cte *s = cdt_next(&kernel.cdt_head); s != NULL && problem == NULL;
         s = cdt_next(s)) {
        const struct cte *prev = cdt_prev(s);
        if (prev != &kernel.cdt_head && cap_same_object(prev->cap, s->cap))
            continue;
        switch (cap_type(s->cap)) {
        case CAP_ENDPOINT: problem = check_endpoint(object_of(s->cap)); break;
        case CAP_NOTIFICATION: problem = check_notification(object_of(s->cap)); break;
        case CAP_REPLY: problem = check_reply(object_of(s->cap)); break;
        case CAP_DOMAIN: problem = check_domain_ipc(object_of(s->cap)); break;
        default: break;
        }
    }
    return problem;
}

static const char *check_irqs(void)
{
    for (unsigned line = 0; line < HAL_IRQ_LINES_MAX; line++) {
        struct cap bound = kernel.irq[line].notification.cap;
        if (line >= hal_irq_count() && kernel.irq[line].claimed)
            return "an interrupt line that does not exist is claimed";
        if (!cap_is_null(bound) && cap_type(bound) != CAP_NOTIFICATION)
            return "an interrupt line is bound to something other than a notification";
    }
    return NULL;
}

static const char *check_running_state(void)
{
    if (!kernel.running)
        return kernel.current == NULL ? NULL : "a stopped kernel has a current domain";
    if (kernel.root == NULL || kernel.current == NULL)
        return "a running kernel has no root or no current domain";
    if (kernel.current->state != DOMAIN_RUNNABLE)
        return "the current domain is not runnable";
    return check_domain(kernel.current);
}

const char *kernel_check_invariants(void)
{
    const char *problem = check_running_state();
    size_t length = 0;
    if (problem == NULL)
        problem = check_list(&length);
    if (problem == NULL)
        problem = check_pairs();
    if (problem == NULL)
        problem = check_irqs();
    if (problem == NULL && kernel.running)
        problem = check_ipc();
    return problem;
}

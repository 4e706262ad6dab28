/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The invariant checker (see invariants.h). It walks the derivation list
 * and sorts what the capabilities name, so a check costs O(n log n) in the
 * number of capabilities: meant for tests and fuzzers, which call it after
 * every operation, never for the kernel's own paths.
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

/* Scratch space for the checks that sort: static, since the kernel
 * allocates nothing, and linked only into programs that call the checker. */
#define CHECK_CAPACITY 16384u

/* One capability, by what it names and where it is on the list. */
struct entry {
    uint64_t start;
    uint64_t end;
    uint16_t type;
    uint16_t flags;
    uint32_t position; /* on the derivation list */
};

static struct entry entries[CHECK_CAPACITY];
static const struct cte *ancestors[CHECK_CAPACITY];

/* Order by start, then larger (enclosing) first, then type, then list
 * position. */
static bool entry_before(const struct entry *a, const struct entry *b)
{
    if (a->start != b->start)
        return a->start < b->start;
    if (a->end != b->end)
        return a->end > b->end;
    if (a->type != b->type)
        return a->type < b->type;
    return a->position < b->position;
}

static void sift_down(struct entry *e, size_t root, size_t n)
{
    for (size_t child; (child = 2 * root + 1) < n; root = child) {
        if (child + 1 < n && entry_before(&e[child], &e[child + 1]))
            child++;
        if (!entry_before(&e[root], &e[child]))
            return;
        struct entry t = e[root];
        e[root] = e[child];
        e[child] = t;
    }
}

/* Insertion sort for the short lists tests and fuzzers make; heap sort,
 * which never degrades, beyond that. */
static void sort_entries(struct entry *e, size_t n)
{
    if (n <= 64) {
        for (size_t i = 1; i < n; i++) {
            struct entry t = e[i];
            size_t j = i;
            for (; j > 0 && entry_before(&t, &e[j - 1]); j--)
                e[j] = e[j - 1];
            e[j] = t;
        }
        return;
    }
    for (size_t i = n / 2; i-- > 0;)
        sift_down(e, i, n);
    for (size_t i = n; i-- > 1;) {
        struct entry t = e[0];
        e[0] = e[i];
        e[i] = t;
        sift_down(e, 0, i);
    }
}

/* An entry for every capability: its object's range (for capabilities
 * that name memory) or its identity (IRQ line; control capabilities),
 * sorted once for both checks below. Untyped entries are never "the same"
 * as another; entries without memory take no part in the overlap sweep. */
#define ENTRY_MEMORY 1u
#define ENTRY_UNIQUE 2u

static size_t collect_entries(void)
{
    size_t n = 0;
    uint32_t position = 0;
    for (const struct cte *s = cdt_next(&kernel.cdt_head); s != NULL; s = cdt_next(s)) {
        struct entry *e = &entries[n++];
        struct cap c = s->cap;
        e->type = cap_type(c);
        e->position = position++;
        e->flags = e->type == CAP_UNTYPED ? ENTRY_UNIQUE : 0;
        if (cap_has_memory(c)) {
            e->flags |= ENTRY_MEMORY;
            e->start = cap_address(c);
            e->end = e->start + (UINT64_C(1) << cap_object_bits(c));
        } else {
            e->start = e->type == CAP_IRQ_HANDLER ? irq_handler_line(c) : 0;
            e->end = e->start;
        }
    }
    sort_entries(entries, n);
    return n;
}

static bool same_identity(const struct entry *a, const struct entry *b)
{
    return a->type == b->type && a->start == b->start && a->end == b->end &&
           !(a->flags & ENTRY_UNIQUE);
}

/* All capabilities to one object form one run of the list: in sorted
 * order each group's positions are consecutive. */
static const char *check_contiguous(size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && same_identity(&entries[i], &entries[j]))
            j++;
        if (entries[j - 1].position - entries[i].position != j - 1 - i)
            return "capabilities to one object are not contiguous";
        i = j;
    }
    return NULL;
}

/* Distinct objects never overlap, Untyped regions nest or are apart, and
 * an object lies wholly inside or wholly outside each Untyped. One sweep
 * in address order with a stack of the Untyped regions open there. */
static const char *check_overlaps(size_t n)
{
    static uint32_t untyped[CHECK_CAPACITY];
    size_t open = 0;
    const struct entry *widest = NULL; /* the object reaching furthest so far */
    for (size_t i = 0; i < n; i++) {
        const struct entry *e = &entries[i];
        if (!(e->flags & ENTRY_MEMORY))
            continue;
        while (open > 0 && entries[untyped[open - 1]].end <= e->start)
            open--;
        if (open > 0 && e->end > entries[untyped[open - 1]].end)
            return "two live objects overlap";
        bool overlaps_object = widest != NULL && e->start < widest->end;
        if (e->type == CAP_UNTYPED) {
            if (overlaps_object)
                return "two live objects overlap";
            untyped[open++] = (uint32_t)i;
            continue;
        }
        if (overlaps_object && !same_identity(e, widest))
            return "two live objects overlap";
        if (widest == NULL || e->end > widest->end)
            widest = e;
    }
    return NULL;
}

/* Each capability against its parent, found with a stack of ancestors as
 * the list is walked in order: rights only shrink, and an object made
 * from an Untyped lies below its watermark. */
static const char *check_parents(void)
{
    size_t depth = 0;
    for (const struct cte *b = cdt_next(&kernel.cdt_head); b != NULL; b = cdt_next(b)) {
        while (depth > 0 && !cdt_is_parent_of(ancestors[depth - 1], b))
            depth--;
        if (depth > 0) {
            const struct cte *a = ancestors[depth - 1];
            if ((cap_rights(b->cap) & ~cap_rights(a->cap)) != 0)
                return "a capability has rights its parent lacks";
            if (cap_type(a->cap) == CAP_UNTYPED) {
                uint64_t used_end = cap_address(a->cap) + untyped_watermark(a->cap);
                uint64_t end = cap_address(b->cap) + (UINT64_C(1) << cap_object_bits(b->cap));
                if (end > used_end)
                    return "an object lies above its Untyped parent's watermark";
            }
        }
        ancestors[depth++] = b;
    }
    return NULL;
}

/* The checks that need more than one capability at a time. Past the
 * scratch space's size they are skipped: no test or fuzzer comes near. */
static const char *check_pairs(size_t length)
{
    if (length > CHECK_CAPACITY)
        return NULL;
    size_t n = collect_entries();
    const char *problem = check_contiguous(n);
    if (problem == NULL)
        problem = check_overlaps(n);
    if (problem == NULL)
        problem = check_parents();
    return problem;
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
    unsigned lines = hal_irq_count();
    for (unsigned line = 0; line < HAL_IRQ_LINES_MAX; line++) {
        struct cap bound = kernel.irq[line].notification.cap;
        if (line >= lines && kernel.irq[line].claimed)
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
        problem = check_pairs(length);
    if (problem == NULL)
        problem = check_irqs();
    if (problem == NULL && kernel.running)
        problem = check_ipc();
    return problem;
}

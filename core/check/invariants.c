/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The invariant checker (see invariants.h): meant for tests and fuzzers,
 * which call it after every operation, never for the kernel's own paths.
 *
 * It sees every capability the kernel holds. It walks the derivation list,
 * then every slot of every live CNode and Domain and the kernel's own slots
 * (the interrupt lines' bindings), and requires the two to be the same set:
 * every slot on the list lies in one of those places, and the places hold
 * exactly as many capabilities as the list, so a capability written into a
 * slot off the list is found whatever its links say. Then it walks each
 * domain queue once and counts its members against the domains' states.
 *
 * Its cost is O(n log n) in the number of capabilities (one sort of what
 * they name; binary searches among the live objects) plus O(1) per slot of
 * every live CNode and per interrupt line; no part is quadratic in
 * capabilities, domains or queue lengths. One call in a release build, in
 * instructions counted by
 *   INVARIANT_TEST='INVARIANT0045*' valgrind --tool=callgrind \
 *       --toggle-collect=kernel_check_invariants build/tests/unit/test_invariants
 * with 10,000 runnable domains (INVARIANT0045): 12.6 million, where a search
 * of the run queue for each domain took 310 million; with 60,000 Endpoints
 * in one CNode (INVARIANT0043): 68 million, half of it the sort (it was
 * 11.5 million when the checks of pairs were skipped past 16,384
 * capabilities). Over the committed fuzz_caps corpus (2,251 calls,
 * `valgrind --tool=callgrind build-bench/fuzz/fuzz_caps_replay
 * fuzz/corpus/fuzz_caps`): 16,300 per call on average, about half of the
 * replay's instructions.
 *
 * The scratch space it sorts in is static, since the kernel allocates
 * nothing: 32 bytes per capability, for as many as the largest machine the
 * tests make can hold (invariants.h); past that the checker says so rather
 * than check less. It is linked only into programs that call the checker.
 */
#include <stddef.h>

#include <vesper/message.h>

#include "cdt.h"
#include "delete.h"
#include "objecttype.h"
#include "invariants.h"
#include "irq.h"
#include "kernel.h"
#include "objects.h"
#include "state.h"
#include "unzeroed.h"

#define CHECK_CAPACITY KERNEL_CHECK_CAPACITY

/* ---- One capability on its own ------------------------------------------ */

/* The HAL's memory map, read once per check. */
static struct {
    const struct hal_memory_region *region;
    size_t count;
} memory_map;

/* The kind of the FREE or DEVICE region that holds [address, address +
 * size) whole, or HAL_REGION_RESERVED for memory the kernel does not hand
 * out (the boot image, reserved memory, no memory at all). */
static enum hal_region_kind handed_out_region(uintptr_t address, uint64_t size)
{
    const struct hal_memory_region *region = memory_map.region;
    for (size_t i = 0; i < memory_map.count; i++) {
        if (region[i].kind != HAL_REGION_FREE && region[i].kind != HAL_REGION_DEVICE)
            continue;
        if (address >= region[i].base && address - region[i].base < region[i].size &&
            size <= region[i].size - (address - region[i].base))
            return region[i].kind;
    }
    return HAL_REGION_RESERVED;
}

/* A PDom capability names a used PDom slot that holds its PDom, at the
 * slot's current generation. */
static const char *check_pdom_cap(struct cap c)
{
    if (pdom_slot_of(c) >= KERNEL_PDOM_SLOTS)
        return "a PDom capability names no PDom slot";
    const struct pdom_slot *slot = &kernel.pdoms[pdom_slot_of(c)];
    if (!slot->used || slot->table != cap_address(c) || slot->generation != c.word1)
        return "a PDom capability's slot is unused, holds another PDom or a later generation";
    return NULL;
}

/* Whether [address, address + size) touches a block not zeroed since boot
 * (unzeroed.h): no object may. */
static bool lies_in_unzeroed(uint64_t address, uint64_t size)
{
    uint64_t block = (uint64_t)UNZEROED_BLOCK;
    for (uint64_t at = address & ~(block - 1); at < address + size; at += block)
        if (unzeroed_contains((uintptr_t)at))
            return true;
    return false;
}

/* Type, place, alignment, header, watermark. The memory an object occupies
 * must be FREE or DEVICE in the HAL's map: never the boot image (which on
 * the host holds the kernel's own state) nor reserved memory; and only
 * Untyped and Frames, whose bytes the kernel does not read, may be device
 * memory. A zombie names the container it empties (check_zombies says
 * more). */
static const char *check_cap(struct cap c, unsigned object_bits)
{
    enum cap_type type = cap_type(c);
    if (type == CAP_NULL)
        return "an empty slot is on the derivation list";
    if (type >= CAP_TYPE_COUNT)
        return "a capability has no valid type";
    if (object_bits == 0)
        return NULL;
    uint64_t size = UINT64_C(1) << object_bits;
    if (cap_address(c) % size != 0)
        return "an object is not aligned to its size";
    enum hal_region_kind kind = handed_out_region(cap_address(c), size);
    if (kind == HAL_REGION_RESERVED)
        return "an object lies outside the memory the kernel hands out";
    bool device_allowed = type == CAP_UNTYPED || type == CAP_FRAME_4K || type == CAP_FRAME_2M;
    if (kind == HAL_REGION_DEVICE && !device_allowed)
        return "a kernel object lies in device memory";
    if (type != CAP_UNTYPED && kind != HAL_REGION_DEVICE && lies_in_unzeroed(cap_address(c), size))
        return "an object lies in memory not zeroed since boot";
    if (type == CAP_UNTYPED && untyped_watermark(c) > size)
        return "an Untyped watermark is past the end of its region";
    struct object_header *header = object_header_of(c);
    if (header != NULL && header->type != type)
        return "a capability points at an object that is not alive or not its type";
    if (type == CAP_PDOM)
        return check_pdom_cap(c);
    return NULL;
}

/* ---- Scratch space -------------------------------------------------------- */

/* One capability, by what it names and where it is on the list. After the
 * checks that need every capability, the same array is compacted into one
 * entry per live object that the later checks look up (live_objects):
 * start and end then bound the kernel's pointer to the object. */
struct entry {
    uint64_t start;
    uint64_t end;
    uint16_t type;
    uint16_t flags;
    uint32_t position; /* on the derivation list */
};

static struct entry entries[CHECK_CAPACITY];

/* The stacks of the sweeps below, used one at a time. */
static union {
    uint32_t open_untyped[CHECK_CAPACITY];
    const struct cte *ancestors[CHECK_CAPACITY];
} stacks;

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

/* ---- The derivation list -------------------------------------------------- */

/* Untyped entries are never "the same" as another; entries without memory
 * take no part in the overlap sweep. */
#define ENTRY_MEMORY 1u
#define ENTRY_UNIQUE 2u
#define ENTRY_DOMAIN_ZOMBIE 4u /* a zombie emptying a Domain, not a CNode */

/* What a capability names: its object's range (for capabilities that name
 * memory) or its identity (IRQ line; control capabilities). */
static void record_entry(struct entry *e, struct cap c, unsigned object_bits, size_t position)
{
    e->type = (uint16_t)cap_type(c);
    e->position = (uint32_t)position;
    e->flags = e->type == CAP_UNTYPED ? ENTRY_UNIQUE : 0;
    if (e->type == CAP_ZOMBIE && cap_aux(c) == ZOMBIE_DOMAIN)
        e->flags |= ENTRY_DOMAIN_ZOMBIE;
    if (object_bits != 0) {
        e->flags |= ENTRY_MEMORY;
        e->start = cap_address(c);
        e->end = e->start + (UINT64_C(1) << object_bits);
    } else {
        e->start = e->type == CAP_IRQ_HANDLER ? irq_handler_line(c) : 0;
        e->end = e->start;
    }
}

/* The list: its links agree, it ends, every entry is sound; an entry for
 * each capability, in list order. Prev links are checked at every step, so
 * a walk that never ends must come back to the head (the first slot seen
 * twice can only be the one whose predecessor was never checked). */
static const char *check_list(size_t *length)
{
    const struct cte *prev = &kernel.cdt_head;
    size_t n = 0;
    for (const struct cte *s = cdt_next(prev); s != NULL; prev = s, s = cdt_next(s)) {
        if (cdt_prev(s) != prev)
            return "derivation list links disagree";
        if (s == &kernel.cdt_head)
            return "the derivation list does not end";
        if (n == CHECK_CAPACITY)
            return "too many capabilities for the checker's scratch space";
        unsigned object_bits = cap_object_bits(s->cap);
        const char *problem = check_cap(s->cap, object_bits);
        if (problem != NULL)
            return problem;
        record_entry(&entries[n], s->cap, object_bits, n);
        n++;
    }
    if (!cap_is_null(kernel.cdt_head.cap))
        return "the derivation list's head holds a capability";
    *length = n;
    return NULL;
}

static bool same_identity(const struct entry *a, const struct entry *b)
{
    return a->type == b->type && a->start == b->start && a->end == b->end &&
           !(a->flags & ENTRY_UNIQUE);
}

/* The end of the run of entries from i that name the same object. */
static size_t same_object_end(size_t i, size_t n)
{
    size_t j = i + 1;
    while (j < n && same_identity(&entries[i], &entries[j]))
        j++;
    return j;
}

/* All capabilities to one object form one run of the list: in sorted
 * order each group's positions are consecutive. */
static const char *check_contiguous(size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = same_object_end(i, n);
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
    uint32_t *untyped = stacks.open_untyped;
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
    const struct cte **ancestors = stacks.ancestors;
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

/* The checks that need every capability at once, on the sorted entries. */
static const char *check_pairs(size_t n)
{
    sort_entries(entries, n);
    const char *problem = check_contiguous(n);
    if (problem == NULL)
        problem = check_overlaps(n);
    if (problem == NULL)
        problem = check_parents();
    return problem;
}

/* ---- Slots off the list ------------------------------------------------ */

/* Whether a non-empty slot's neighbours on the list name it. Every slot on
 * the list passed this (check_list), so a slot that fails it is off the
 * list. */
static bool links_agree(const struct cte *s)
{
    const struct cte *prev = cdt_prev(s);
    const struct cte *next = cdt_next(s);
    return prev != NULL && cdt_next(prev) == s && (next == NULL || cdt_prev(next) == s);
}

/* What is wrong with a capability in a slot off the list: the capability
 * itself, or where it is. */
static const char *off_the_list(const struct cte *s)
{
    const char *problem = check_cap(s->cap, cap_object_bits(s->cap));
    return problem != NULL ? problem : "a capability lies in a slot off the derivation list";
}

/* ---- Interrupt lines ------------------------------------------------------ */

/* A line is claimed exactly while an IRQHandler capability for it exists,
 * and only a claimed line may be bound, to a notification. Counts the
 * bindings into *found (see check_every_slot). */
/* Every used PDom slot holds a PDom some capability names (the other way
 * round is check_pdom_cap()), among the n entries of every capability. */
static const char *check_pdom_slots(size_t n)
{
    bool named[KERNEL_PDOM_SLOTS] = {false};
    for (size_t i = 0; i < n; i++) {
        if (entries[i].type != CAP_PDOM)
            continue;
        for (unsigned s = 0; s < KERNEL_PDOM_SLOTS; s++)
            if (kernel.pdoms[s].used && kernel.pdoms[s].table == entries[i].start)
                named[s] = true;
    }
    for (unsigned s = 0; s < KERNEL_PDOM_SLOTS; s++)
        if (kernel.pdoms[s].used && !named[s])
            return "a PDom slot is used but no capability names its PDom";
    return NULL;
}

static const char *check_irqs(size_t n, size_t *found)
{
    bool handled[HAL_IRQ_LINES_MAX] = {false};
    unsigned lines = hal_irq_count();
    for (size_t i = 0; i < n; i++) {
        if (entries[i].type != CAP_IRQ_HANDLER)
            continue;
        if (entries[i].start >= lines)
            return "an IRQHandler names a line that does not exist";
        handled[entries[i].start] = true;
    }
    for (unsigned line = 0; line < HAL_IRQ_LINES_MAX; line++) {
        const struct irq_line *irq = &kernel.irq[line];
        if (irq->claimed != handled[line]) /* no handler names a line past `lines` */
            return line >= lines ? "an interrupt line that does not exist is claimed"
                                 : "an interrupt line's claim does not match its IRQHandler "
                                   "capabilities";
        if (cap_is_null(irq->notification.cap))
            continue;
        if (cap_type(irq->notification.cap) != CAP_NOTIFICATION)
            return "an interrupt line is bound to something other than a notification";
        if (!irq->claimed)
            return "an unclaimed interrupt line is bound to a notification";
        if (!links_agree(&irq->notification))
            return off_the_list(&irq->notification);
        ++*found;
    }
    return NULL;
}

/* ---- The live objects ----------------------------------------------------- */

/* The objects the rest of the checker looks into: CNodes, Domains and the
 * zombies emptying them (which hold slots), Endpoints, Notifications and
 * Replies. */
static bool is_looked_up(enum cap_type type)
{
    return type == CAP_CNODE || type == CAP_DOMAIN || type == CAP_ZOMBIE ||
           type == CAP_ENDPOINT || type == CAP_NOTIFICATION || type == CAP_REPLY;
}

/* Compact the sorted entries into one per live object of those types, by
 * the kernel's pointer to it, in pointer order. The objects do not overlap
 * (check_overlaps), so each pointer starts one object. */
static size_t collect_live_objects(size_t n)
{
    struct entry *objects = entries;
    size_t count = 0;
    bool in_order = true;
    for (size_t i = 0, next; i < n; i = next) {
        next = same_object_end(i, n); /* before objects[count] may overwrite entries[i] */
        struct entry e = entries[i];
        if (!is_looked_up(e.type))
            continue;
        uint64_t size = e.end - e.start;
        e.start = (uintptr_t)hal_kernel_pointer((uintptr_t)e.start);
        e.end = e.start + size;
        in_order = in_order && (count == 0 || objects[count - 1].start < e.start);
        objects[count++] = e;
    }
    if (!in_order)
        sort_entries(objects, count);
    return count;
}

/* The live object whose kernel pointer is the greatest not above pointer,
 * or NULL. */
static const struct entry *object_at_or_below(uintptr_t pointer, size_t count)
{
    const struct entry *objects = entries;
    size_t low = 0, high = count; /* the answer is below high */
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (objects[middle].start <= pointer)
            low = middle + 1;
        else
            high = middle;
    }
    return low == 0 ? NULL : &objects[low - 1];
}

/* Whether pointer is the kernel's pointer to a live object of type. */
static bool is_live(const void *pointer, enum cap_type type, size_t count)
{
    const struct entry *o = object_at_or_below((uintptr_t)pointer, count);
    return o != NULL && o->start == (uintptr_t)pointer && o->type == type;
}

/* ---- Every slot ----------------------------------------------------------- */

static bool is_slot_of(uintptr_t slot, uintptr_t first, size_t count, size_t stride)
{
    return slot >= first && (slot - first) / stride < count && (slot - first) % stride == 0;
}

static bool holds_domain_slots(const struct entry *o)
{
    return o->type == CAP_DOMAIN || (o->flags & ENTRY_DOMAIN_ZOMBIE);
}

static bool holds_cnode_slots(const struct entry *o)
{
    return o->type == CAP_CNODE || (o->type == CAP_ZOMBIE && !(o->flags & ENTRY_DOMAIN_ZOMBIE));
}

/* Whether a slot lies in the live CNode or Domain o, or in the one a
 * zombie o empties. */
static bool is_slot_in(uintptr_t slot, const struct entry *o)
{
    if (holds_cnode_slots(o))
        return is_slot_of(slot, o->start, (o->end - o->start) >> VESPER_SLOT_BITS,
                          sizeof(struct cte));
    if (holds_domain_slots(o))
        return is_slot_of(slot, o->start + offsetof(struct domain, slots), DOMAIN_SLOT_COUNT,
                          sizeof(struct cte));
    return false;
}

/* Every slot on the list lies in a live CNode or Domain or is an interrupt
 * line's binding. Most follow a slot of the same container, so that one is
 * tried before a search. */
static const char *check_list_slots_known(size_t count)
{
    uintptr_t lines = (uintptr_t)&kernel.irq[0].notification;
    const struct entry *last = NULL;
    for (const struct cte *s = cdt_next(&kernel.cdt_head); s != NULL; s = cdt_next(s)) {
        uintptr_t slot = (uintptr_t)s;
        if (last != NULL && is_slot_in(slot, last))
            continue;
        if (is_slot_of(slot, lines, HAL_IRQ_LINES_MAX, sizeof(struct irq_line)))
            continue;
        last = object_at_or_below(slot, count);
        if (last == NULL || !is_slot_in(slot, last))
            return "a slot on the derivation list lies in no live CNode or Domain";
    }
    return NULL;
}

/* How many empty slots are skipped at a time. */
#define SKIP_RUN 8u

/* Whether none of the SKIP_RUN slots from s holds a capability. */
static bool run_is_empty(const struct cte *s)
{
    uint64_t words = 0;
    for (unsigned i = 0; i < SKIP_RUN; i++)
        words |= s[i].cap.word0;
    return cap_is_null((struct cap){words, 0});
}

/* Count one slot's capability, if any, into *found. */
static const char *count_slot(const struct cte *s, size_t *found)
{
    if (cap_is_null(s->cap))
        return NULL;
    if (!links_agree(s))
        return off_the_list(s);
    ++*found;
    return NULL;
}

/* Count the capabilities in an array of slots into *found. Most slots are
 * empty; they are skipped a run at a time. */
static const char *count_slots(const struct cte *slots, size_t count, size_t *found)
{
    size_t i = 0;
    for (; i + SKIP_RUN <= count; i += SKIP_RUN) {
        if (run_is_empty(&slots[i]))
            continue;
        for (size_t j = i; j < i + SKIP_RUN; j++) {
            const char *problem = count_slot(&slots[j], found);
            if (problem != NULL)
                return problem;
        }
    }
    for (; i < count; i++) {
        const char *problem = count_slot(&slots[i], found);
        if (problem != NULL)
            return problem;
    }
    return NULL;
}

/* A domain's own slots hold the types they are for, and its IPC buffer
 * lies inside the frame in its IPC buffer slot. */
static const char *check_domain_slots(const struct domain *d)
{
    static const enum cap_type wanted[DOMAIN_SLOT_COUNT] = {
        CAP_CNODE, CAP_PDOM, CAP_ENDPOINT, CAP_FRAME_4K};
    for (unsigned i = 0; i < DOMAIN_SLOT_COUNT; i++) {
        enum cap_type type = cap_type(d->slots[i].cap);
        bool frame_2m = i == DOMAIN_SLOT_IPC_BUFFER && type == CAP_FRAME_2M;
        /* A Revoke that stopped while it deleted the CSpace's last capability */
        bool cnode_zombie = i == DOMAIN_SLOT_CSPACE && type == CAP_ZOMBIE &&
                            cap_aux(d->slots[i].cap) != ZOMBIE_DOMAIN;
        if (type != CAP_NULL && type != wanted[i] && !frame_2m && !cnode_zombie)
            return "a domain slot holds a capability of the wrong type";
    }
    struct cap frame = d->slots[DOMAIN_SLOT_IPC_BUFFER].cap;
    uint64_t size = UINT64_C(1) << cap_object_bits(frame);
    if (!cap_is_null(frame) && (d->ipc_buffer < cap_address(frame) ||
                                d->ipc_buffer - cap_address(frame) >
                                    size - sizeof(struct vesper_ipc_buffer)))
        return "a domain's IPC buffer lies outside its frame";
    return NULL;
}

/* Every slot of every live CNode and Domain, and the interrupt lines'
 * bindings (`found` of them, counted by check_irqs): as many capabilities
 * as on the list, all of them on it. Since every slot on the list is one
 * of these (check_list_slots_known) and the list holds each slot once,
 * equal counts mean the same slots. */
static const char *check_every_slot(size_t count, size_t length, size_t found)
{
    const char *problem = check_list_slots_known(count);
    for (size_t i = 0; i < count && problem == NULL; i++) {
        const struct entry *o = &entries[i];
        if (holds_cnode_slots(o)) {
            problem = count_slots((const struct cte *)(uintptr_t)o->start,
                                  (o->end - o->start) >> VESPER_SLOT_BITS, &found);
        } else if (holds_domain_slots(o)) {
            const struct domain *d = (const struct domain *)(uintptr_t)o->start;
            if (o->type == CAP_DOMAIN) /* one being emptied holds what it held */
                problem = check_domain_slots(d);
            if (problem == NULL)
                problem = count_slots(d->slots, DOMAIN_SLOT_COUNT, &found);
        }
    }
    if (problem == NULL && found != length)
        return "a capability lies in a slot off the derivation list";
    return problem;
}

/* ---- Zombies ------------------------------------------------------------ */

/* The slot at a zombie's scan index in the container it empties. */
static const struct cte *zombie_scan_slot(const struct cte *zombie)
{
    unsigned count;
    const struct cte *slots = object_container_slots(zombie->cap, &count);
    return &slots[zombie_scan_index(zombie)];
}

/* Whether a zombie lies in the container it empties (delete.c,
 * cycle_through()). */
static bool lies_in_own_container(const struct cte *zombie)
{
    unsigned count;
    const struct cte *slots = object_container_slots(zombie->cap, &count);
    return zombie >= slots && zombie < slots + count;
}

/* The zombies of the deletions that stopped half way (delete.c): each
 * scan index lies in its container; each zombie links to a zombie on the
 * list; one that is not a bottom lies in the container of the one it
 * links to, at that one's scan index, or in its own; and the links from each bottom's
 * top come down to that bottom, passing every zombie once. Run after
 * check_every_slot(), so that every slot on the list is known to lie in
 * a container; `length` capabilities are on the list. */
static const char *check_zombies(size_t count, size_t length)
{
    size_t zombies = 0, stacked = 0;
    for (const struct cte *s = cdt_next(&kernel.cdt_head); s != NULL; s = cdt_next(s)) {
        if (cap_type(s->cap) != CAP_ZOMBIE)
            continue;
        zombies++;
        unsigned slots;
        object_container_slots(s->cap, &slots);
        if (zombie_scan_index(s) >= slots)
            return "a zombie's scan index lies past its container";
        const struct cte *link = zombie_link(s);
        const struct entry *o = object_at_or_below((uintptr_t)link, count);
        if (o == NULL || !is_slot_in((uintptr_t)link, o) || cap_type(link->cap) != CAP_ZOMBIE)
            return "a zombie links to no zombie";
        if (!zombie_is_bottom(s)) {
            if (zombie_scan_slot(link) != s && !lies_in_own_container(s))
                return "a zombie lies elsewhere than where the one below it scans";
            continue;
        }
        size_t steps = 1;
        for (const struct cte *z = link; z != s; z = zombie_link(z), steps++) {
            if (zombie_is_bottom(z) || steps > length)
                return "a zombie's links do not come down to its bottom";
        }
        stacked += steps;
    }
    if (stacked != zombies)
        return "a zombie is on no deletion's stack";
    return NULL;
}

/* ---- Domains and IPC -------------------------------------------------------- */

/* How many domains belong on each kind of queue, and how many were found
 * there. Each queued domain is checked to be a live domain in the state and
 * blocked on the object of its queue, and a queue whose links agree holds
 * no domain twice; so equal counts mean every domain is on its queue. */
struct queue_tally {
    size_t run_wanted, run_found;
    size_t endpoint_wanted, endpoint_found;
    size_t notification_wanted, notification_found;
};

/* A queue's links agree and every member is a live domain in `state`,
 * blocked on `object` (NULL for the run queue, whose members are not the
 * current domain). Members are looked up before being read. */
static const char *check_queue(const struct domain_queue *q, enum domain_state state,
                               const void *object, size_t count, size_t *found)
{
    const struct domain *prev = NULL;
    for (const struct domain *d = q->head; d != NULL; prev = d, d = d->queue_next) {
        if (!is_live(d, CAP_DOMAIN, count))
            return "a queue holds something that is not a live domain";
        if (d->queue_prev != prev)
            return "a queue's links disagree";
        if (d->state != state || d->blocked_on != object)
            return "a queued domain is not waiting on that queue";
        if (object == NULL && d == kernel.current)
            return "the current domain is on the run queue";
        ++*found;
    }
    if (q->tail != prev)
        return "a queue's tail is not its last member";
    return NULL;
}

static const char *check_endpoint(const struct endpoint *ep, size_t count,
                                  struct queue_tally *tally)
{
    static const enum domain_state waiting[] = {
        [ENDPOINT_IDLE] = DOMAIN_INACTIVE, /* no member to be in it */
        [ENDPOINT_SEND] = DOMAIN_BLOCKED_SEND,
        [ENDPOINT_RECV] = DOMAIN_BLOCKED_RECV};
    if ((ep->state == ENDPOINT_IDLE) != (ep->queue.head == NULL) || ep->state > ENDPOINT_RECV)
        return "an endpoint's state does not match its queue";
    return check_queue(&ep->queue, waiting[ep->state], ep, count, &tally->endpoint_found);
}

static const char *check_notification(const struct notification *n, size_t count,
                                      struct queue_tally *tally)
{
    if (n->queue.head != NULL && n->word != 0)
        return "domains wait on a notification whose word is set";
    if (n->bound != NULL && (!is_live(n->bound, CAP_DOMAIN, count) || n->bound->bound != n))
        return "a notification's binding is one-sided";
    return check_queue(&n->queue, DOMAIN_BLOCKED_NTFN, n, count, &tally->notification_found);
}

static const char *check_reply(const struct reply *r, size_t count)
{
    if (r->caller != NULL && r->receiver != NULL)
        return "a reply object is both offered and bound";
    if (r->caller != NULL &&
        (!is_live(r->caller, CAP_DOMAIN, count) || r->caller->state != DOMAIN_BLOCKED_REPLY ||
         r->caller->reply != r))
        return "reply authority names a domain that is not waiting for it";
    if (r->receiver != NULL &&
        (!is_live(r->receiver, CAP_DOMAIN, count) ||
         r->receiver->state != DOMAIN_BLOCKED_RECV || r->receiver->reply != r))
        return "a reply object is offered by a domain that is not receiving";
    return NULL;
}

/* Which IPC links a domain's state allows: the object it is blocked on (an
 * endpoint or notification, whose queue it must be on) and its Reply
 * object (offered while receiving, the one naming it while waiting for a
 * reply). */
static const char *check_domain_links(const struct domain *d, size_t count,
                                      struct queue_tally *tally)
{
    bool may_offer_reply = false;
    switch (d->state) {
    case DOMAIN_RUNNABLE:
        if (d != kernel.current && !(d == kernel.scheduler && kernel.scheduler_idle))
            tally->run_wanted++; /* the idle scheduler is on no queue */
        break;
    case DOMAIN_BLOCKED_RECV:
        may_offer_reply = true;
        /* fall through */
    case DOMAIN_BLOCKED_SEND:
        tally->endpoint_wanted++;
        break;
    case DOMAIN_BLOCKED_NTFN:
        tally->notification_wanted++;
        break;
    case DOMAIN_BLOCKED_REPLY:
        if (!is_live(d->reply, CAP_REPLY, count) || d->reply->caller != d)
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
    bool blocked = d->state == DOMAIN_BLOCKED_SEND || d->state == DOMAIN_BLOCKED_RECV ||
                   d->state == DOMAIN_BLOCKED_NTFN;
    if ((!blocked && d->blocked_on != NULL) ||
        (d->reply != NULL && !may_offer_reply && d->state != DOMAIN_BLOCKED_REPLY))
        return "a domain keeps IPC links its state does not use";
    if (may_offer_reply && d->reply != NULL &&
        (!is_live(d->reply, CAP_REPLY, count) || d->reply->receiver != d))
        return "a domain offers a reply object that does not name it";
    return NULL;
}

/* The place a stopped CancelBadgedSends keeps (endpoint.c): a sender
 * queued on that endpoint that names its owner back; and a domain named
 * as such a place is its owner's. */
static const char *check_cancel_place(const struct domain *d, size_t count)
{
    const struct domain *next = d->cancel_next;
    if (next == NULL) {
        if (d->cancel_endpoint != NULL || d->cancel_badge != 0)
            return "a CancelBadgedSends keeps an endpoint but no place";
    } else if (!is_live(next, CAP_DOMAIN, count) || next->cancel_owner != d ||
               next->state != DOMAIN_BLOCKED_SEND || next->blocked_on != d->cancel_endpoint ||
               !is_live(d->cancel_endpoint, CAP_ENDPOINT, count)) {
        return "a CancelBadgedSends keeps its place at no sender of its endpoint";
    }
    const struct domain *owner = d->cancel_owner;
    if (owner != NULL && (!is_live(owner, CAP_DOMAIN, count) || owner->cancel_next != d))
        return "a sender is a CancelBadgedSends' place for a domain that does not keep it";
    return NULL;
}

/* A binding is mutual, and a stopped (or destroyed) domain has none. */
static const char *check_domain_binding(const struct domain *d, size_t count)
{
    if (d->bound == NULL)
        return NULL;
    if (d->state == DOMAIN_STOPPED)
        return "a stopped domain keeps a notification binding";
    if (!is_live(d->bound, CAP_NOTIFICATION, count) || d->bound->bound != d)
        return "a domain's binding is one-sided";
    return NULL;
}

static const char *check_object_ipc(const struct entry *o, size_t count,
                                    struct queue_tally *tally)
{
    const void *object = (const void *)(uintptr_t)o->start;
    switch (o->type) {
    case CAP_ENDPOINT: return check_endpoint(object, count, tally);
    case CAP_NOTIFICATION: return check_notification(object, count, tally);
    case CAP_REPLY: return check_reply(object, count);
    case CAP_DOMAIN: {
        const char *problem = check_domain_links(object, count, tally);
        if (problem == NULL)
            problem = check_cancel_place(object, count);
        return problem != NULL ? problem : check_domain_binding(object, count);
    }
    default: return NULL;
    }
}

/* The current domain, the run queue, then each live IPC object and domain
 * once; last, whether every blocked or runnable domain was found on its
 * queue. */
static const char *check_ipc(size_t count)
{
    if (kernel.current == NULL && kernel.run_queue.head != NULL)
        return "the kernel idles while a domain could run";
    if (kernel.current != NULL && !is_live(kernel.current, CAP_DOMAIN, count))
        return "the current domain is not a live domain";
    if (kernel.current != NULL && kernel.current->state != DOMAIN_RUNNABLE)
        return "the current domain is not runnable";
    struct queue_tally tally = {0};
    const char *problem =
        check_queue(&kernel.run_queue, DOMAIN_RUNNABLE, NULL, count, &tally.run_found);
    for (size_t i = 0; i < count && problem == NULL; i++)
        problem = check_object_ipc(&entries[i], count, &tally);
    if (problem != NULL)
        return problem;
    if (tally.run_found != tally.run_wanted)
        return "a runnable domain is on no run queue";
    if (tally.endpoint_found != tally.endpoint_wanted)
        return "a domain blocked on an endpoint is not on its queue";
    if (tally.notification_found != tally.notification_wanted)
        return "a domain waiting on a notification is not on its queue";
    return NULL;
}

/* ---- Scheduling ------------------------------------------------------------ */

/* The domain scheduler and the budget (state.h), and each domain's
 * activation state (domain.h): an upcall is pending only for a domain
 * waiting on the run queue, which is where the kernel put it when it took
 * the CPU. */
static const char *check_scheduling(size_t count)
{
    if (kernel.dispatching || kernel.wakeups != 0)
        return "a Dispatch or a wakeup outlived the entry that made it";
    struct domain *s = kernel.scheduler;
    if (s != NULL && !is_live(s, CAP_DOMAIN, count))
        return "the domain scheduler is not a live domain";
    if (kernel.scheduler_idle &&
        (s == NULL || s->state != DOMAIN_RUNNABLE || s == kernel.current))
        return "an idle scheduler is not a runnable domain off the CPU";
    if (kernel.budget_owner != NULL &&
        (!is_live(kernel.budget_owner, CAP_DOMAIN, count) ||
         kernel.budget_owner->state == DOMAIN_STOPPED))
        return "a budget runs for a domain that is gone";
    for (size_t i = 0; i < count; i++) {
        const struct domain *d = (const void *)(uintptr_t)entries[i].start;
        if (entries[i].type != CAP_DOMAIN || d->upcall_pending == 0)
            continue;
        if (d->state != DOMAIN_RUNNABLE || d == kernel.current)
            return "an upcall is pending for a domain that is not waiting to run";
    }
    return NULL;
}

/* ---- The whole ------------------------------------------------------------ */

/* The running flag and the current domain, before anything is looked up
 * (check_ipc makes sure the current domain is a live one). */
static const char *check_running_state(void)
{
    if (kernel.handoff != NULL)
        return "a hand-off outlived the entry that made it";
    if (!kernel.running)
        return kernel.current == NULL ? NULL : "a stopped kernel has a current domain";
    if (kernel.root == NULL)
        return "a running kernel has no root";
    if (kernel.current == NULL) /* idle: only while an interrupt may wake a driver */
        return irq_any_armed() ? NULL : "the kernel idles with no interrupt to wait for";
    return check_domain_slots(kernel.current);
}

const char *kernel_check_invariants(void)
{
    size_t length = 0, bindings = 0;
    memory_map.count = hal_memory_map(&memory_map.region);
    const char *problem = check_running_state();
    if (problem == NULL)
        problem = check_list(&length);
    if (problem == NULL)
        problem = check_pairs(length);
    if (problem == NULL)
        problem = check_irqs(length, &bindings);
    if (problem != NULL)
        return problem;
    /* Checked on every capability, before they are compacted into live
     * objects, but reported after the slots' checks, which say more. */
    const char *pdom_problem = check_pdom_slots(length);
    size_t count = collect_live_objects(length);
    problem = check_every_slot(count, length, bindings);
    if (problem == NULL)
        problem = check_zombies(count, length);
    if (problem == NULL)
        problem = pdom_problem;
    if (problem == NULL)
        problem = check_pdom_trees();
    if (problem == NULL && kernel.running)
        problem = check_ipc(count);
    if (problem == NULL && kernel.running)
        problem = check_scheduling(count);
    return problem;
}

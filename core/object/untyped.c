/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Untyped memory and Retype: the only way kernel objects come to exist
 * after boot.
 *
 * An Untyped capability names a power-of-two region and a watermark: the
 * bytes from the region's start that objects may occupy. Retype places new
 * objects at the watermark, each aligned to its own size, puts a capability
 * to each in consecutive empty slots as children of the Untyped, and moves
 * the watermark past them. When the Untyped has no children left, its next
 * Retype starts again from the region's start: the memory is reusable
 * once every object made from it is gone.
 *
 * Invariant: the memory of a RAM Untyped above its watermark holds zeros,
 * but for blocks boot marked as not zeroed yet (unzeroed.h), which a
 * Retype zeroes before it makes objects there, so new objects need no
 * zeroing of their own. Memory
 * comes back dirty only below a watermark, and the Retype that starts an
 * Untyped again zeroes it first, from the top down, bringing the
 * watermark down with it, a chunk at a time with a preemption point after
 * each: the work a caller's own objects left is done on its time, in steps
 * of bounded length. (seL4 does the same on resetting an Untyped.) Device
 * memory, which holds registers, is never zeroed.
 */
#include "cdt.h"
#include "invoke.h"
#include "klib.h"
#include "objects.h"
#include "objecttype.h"
#include "domain.h"
#include "preempt.h"
#include "unzeroed.h"
#include "trace.h"

/* How much memory a reset zeroes between two preemption points: some
 * 2,000 instructions on either HAL. */
#define RESET_CHUNK ((uint64_t)16 << 10)

/* What a Retype was asked for, once every check has passed. */
struct retype {
    enum cap_type type;
    unsigned object_bits; /* log2 of one object's size */
    unsigned aux;         /* the new capabilities' small field */
    uintptr_t first;      /* address of the first object */
    struct cte *dest;     /* the first destination slot */
    unsigned count;
};

/* Bring the watermark of an Untyped without children down to 0, zeroing
 * (RAM only) what lies below it from the top down. False if a preemption
 * point stopped it: the watermark is where the zeroing got to, and
 * everything above it is zero. */
static bool untyped_reset(struct cte *untyped)
{
    uint64_t base = cap_address(untyped->cap);
    uint64_t used = untyped_watermark(untyped->cap);
    if (untyped_is_device(untyped->cap))
        used = 0;
    while (used > 0) {
        uint64_t chunk = used % RESET_CHUNK != 0 ? used % RESET_CHUNK : RESET_CHUNK;
        used -= chunk;
        hal_memory_zero(hal_kernel_view((uintptr_t)(base + used), (size_t)chunk), (size_t)chunk);
        untyped->cap.word1 = used;
        if (used > 0 && preemption_point())
            return false;
    }
    untyped->cap.word1 = 0;
    return true;
}

static void invoke_untyped_retype(struct cte *untyped, const struct retype *r)
{
    bool device = untyped_is_device(untyped->cap);
    size_t size = (size_t)1 << r->object_bits;
    for (unsigned i = 0; i < r->count; i++) {
        uintptr_t address = r->first + i * size;
        struct cap cap = object_new_cap(r->type, r->aux, device, address);
        if (!device && r->type != CAP_UNTYPED) /* its memory is zero already */
            object_init(cap);
        cdt_insert_after(untyped, &r->dest[i], cap, true, true);
    }
    uintptr_t end = r->first + r->count * size;
    untyped->cap.word1 = end - cap_address(untyped->cap);
    trace_retype(cap_address(untyped->cap), r->type, r->object_bits, r->count, r->first);
}

/* Where the objects go: `count` empty slots from `offset` of a CNode. */
static struct syscall_result find_destination(const struct invocation *inv, struct retype *r)
{
    vesper_word node_depth = invocation_arg(inv, VESPER_UNTYPED_RETYPE_WORD_NODE_DEPTH);
    vesper_word offset = invocation_arg(inv, VESPER_UNTYPED_RETYPE_WORD_OFFSET);
    struct lookup root = lookup_argument(inv, invocation_arg(inv, VESPER_UNTYPED_RETYPE_WORD_ROOT));
    if (root.error != VESPER_OK)
        return result_lookup(&root, 1);
    struct cap node = root.slot->cap;
    if (cap_type(node) != CAP_CNODE) {
        struct lookup bad = {VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_INVALID_ROOT, 0, NULL};
        return result_lookup(&bad, 1);
    }
    if (node_depth != 0) {
        if (node_depth > 64)
            return result_range(0, 64);
        vesper_word index = invocation_arg(inv, VESPER_UNTYPED_RETYPE_WORD_NODE_INDEX);
        struct lookup found = cspace_lookup_slot(node, index, (unsigned)node_depth);
        if (found.error != VESPER_OK)
            return result_lookup(&found, 1);
        node = found.slot->cap;
        if (cap_type(node) != CAP_CNODE) {
            struct lookup missing = {VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_MISSING_CAPABILITY, 0, NULL};
            return result_lookup(&missing, 1);
        }
    }
    vesper_word slots = (vesper_word)1 << cnode_radix(node);
    if (offset >= slots)
        return result_range(0, slots - 1);
    if (r->count > slots - offset)
        return result_range(1, slots - offset);
    r->dest = &cnode_slots(node)[offset];
    for (unsigned i = 0; i < r->count; i++)
        if (!cap_is_null(r->dest[i].cap))
            return result_error(VESPER_ERR_DELETE_FIRST);
    return result_ok();
}

/* Where the objects fit: at the watermark, or at the start when the
 * Untyped has no children left. */
static struct syscall_result find_memory(const struct cte *untyped, struct retype *r)
{
    struct cap cap = untyped->cap;
    uint64_t base = cap_address(cap);
    uint64_t end = base + (UINT64_C(1) << untyped_size_bits(cap));
    uint64_t used = cdt_has_children(untyped) ? untyped_watermark(cap) : 0;
    uint64_t align = UINT64_C(1) << r->object_bits;
    uint64_t first = align_up(base + used, align);
    uint64_t need = (uint64_t)r->count << r->object_bits;
    if (r->object_bits > untyped_size_bits(cap) || first > end || need > end - first) {
        struct syscall_result e = result_error(VESPER_ERR_NOT_ENOUGH_MEMORY);
        e.value[1] = first < end ? end - first : 0; /* bytes left at that alignment */
        return e;
    }
    r->first = (uintptr_t)first;
    return result_ok();
}

/* Retype: its words are VESPER_UNTYPED_RETYPE_WORD_* (abi/invocations.py). */
static struct syscall_result decode_retype(const struct invocation *inv)
{
    if (inv->length < VESPER_UNTYPED_RETYPE_LENGTH)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    vesper_word type = invocation_arg(inv, VESPER_UNTYPED_RETYPE_WORD_TYPE);
    vesper_word count = invocation_arg(inv, VESPER_UNTYPED_RETYPE_WORD_COUNT);
    if (!object_type_is_retypable(type))
        return result_invalid_argument(VESPER_UNTYPED_RETYPE_WORD_TYPE);
    struct retype r = {.type = (enum cap_type)type};
    struct syscall_result e =
        object_type_size(r.type, invocation_arg(inv, VESPER_UNTYPED_RETYPE_WORD_SIZE_BITS),
                         &r.object_bits, &r.aux);
    if (e.error != VESPER_OK)
        return e;
    if (untyped_is_device(inv->slot->cap) && !object_type_fits_device(r.type))
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    if (count < 1 || count > VESPER_RETYPE_FANOUT_MAX)
        return result_range(1, VESPER_RETYPE_FANOUT_MAX);
    r.count = (unsigned)count;
    e = object_type_can_make(r.type, r.count);
    if (e.error != VESPER_OK)
        return e;
    e = find_destination(inv, &r);
    if (e.error != VESPER_OK)
        return e;
    e = find_memory(inv->slot, &r);
    if (e.error != VESPER_OK)
        return e;
    if (!cdt_has_children(inv->slot) && !untyped_reset(inv->slot))
        return result_restart(); /* the rest of the zeroing at the next attempt */
    uintptr_t end = r.first + ((uintptr_t)r.count << r.object_bits);
    if (!untyped_is_device(inv->slot->cap) && r.type != CAP_UNTYPED &&
        !unzeroed_clear(r.first, end))
        return result_restart();
    invoke_untyped_retype(inv->slot, &r);
    return result_ok();
}

struct syscall_result decode_untyped_invocation(const struct invocation *inv)
{
    if (inv->label != VESPER_UNTYPED_RETYPE)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    return decode_retype(inv);
}

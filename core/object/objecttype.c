/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Every per-type switch of the object model (see objecttype.h): sizes,
 * identity and regions, revocability, copying and badges, data updates,
 * headers, containers and finalisation, Retype's rules, and the decoder for
 * each type's invocations. The type's own file holds what its operations
 * do; this file says which type does what.
 */
#include "domain.h"
#include "scheduler.h"
#include "ipc.h"
#include "irq.h"
#include "objects.h"
#include "objecttype.h"
#include "pdom.h"
#include "trace.h"

/* ---- Capabilities ------------------------------------------------------- */

static bool is_frame(enum cap_type type)
{
    return type == CAP_FRAME_4K || type == CAP_FRAME_2M;
}


unsigned cap_object_bits(struct cap c)
{
    switch (cap_type(c)) {
    case CAP_UNTYPED: return untyped_size_bits(c);
    case CAP_CNODE: return cnode_radix(c) + VESPER_SLOT_BITS;
    case CAP_DOMAIN: return VESPER_DOMAIN_BITS;
    case CAP_ENDPOINT: return VESPER_ENDPOINT_BITS;
    case CAP_NOTIFICATION: return VESPER_NOTIFICATION_BITS;
    case CAP_REPLY: return VESPER_REPLY_BITS;
    case CAP_FRAME_4K: return VESPER_FRAME_4K_BITS;
    case CAP_FRAME_2M: return VESPER_FRAME_2M_BITS;
    case CAP_PDOM: return VESPER_PDOM_BITS;
    case CAP_PAGE_TABLE: return VESPER_PAGE_TABLE_BITS;
    case CAP_ZOMBIE: /* the container it empties, still in its Untyped */
        return cap_aux(c) == ZOMBIE_DOMAIN ? VESPER_DOMAIN_BITS : cap_aux(c) + VESPER_SLOT_BITS;
    default: return 0; /* NULL, IRQControl, IRQHandler, SchedControl */
    }
}

bool cap_has_memory(struct cap c)
{
    return cap_object_bits(c) != 0;
}

/* Whether [b, b + 2^b_bits) lies inside [a, a + 2^a_bits). */
static bool region_inside(uintptr_t a, unsigned a_bits, uintptr_t b, unsigned b_bits)
{
    uint64_t a_end = (uint64_t)a + (UINT64_C(1) << a_bits);
    uint64_t b_end = (uint64_t)b + (UINT64_C(1) << b_bits);
    return b >= a && b_end <= a_end;
}

bool cap_same_region(struct cap a, struct cap b)
{
    enum cap_type ta = cap_type(a);
    enum cap_type tb = cap_type(b);
    if (ta == CAP_UNTYPED)
        return cap_has_memory(b) &&
               region_inside(cap_address(a), untyped_size_bits(a),
                             cap_address(b), cap_object_bits(b));
    if (ta == CAP_IRQ_CONTROL)
        return tb == CAP_IRQ_CONTROL || tb == CAP_IRQ_HANDLER;
    return cap_same_object(a, b);
}

bool cap_same_object(struct cap a, struct cap b)
{
    enum cap_type ta = cap_type(a);
    if (ta != cap_type(b))
        return false;
    switch (ta) {
    case CAP_NULL:
    case CAP_ZOMBIE:
    case CAP_UNTYPED: /* one capability per region: never "the same" */
        return false;
    case CAP_CNODE:
        return cap_address(a) == cap_address(b) && cnode_radix(a) == cnode_radix(b);
    case CAP_IRQ_CONTROL:
    case CAP_SCHED_CONTROL:
        return true;
    case CAP_IRQ_HANDLER:
        return irq_handler_line(a) == irq_handler_line(b);
    default:
        return cap_address(a) == cap_address(b);
    }
}

bool cap_type_is_badged(enum cap_type type)
{
    return type == CAP_ENDPOINT || type == CAP_NOTIFICATION;
}

bool cap_is_revocable(struct cap derived, struct cap src)
{
    enum cap_type type = cap_type(derived);
    if (cap_type_is_badged(type))
        return cap_badge(derived) != cap_badge(src);
    if (type == CAP_IRQ_HANDLER)
        return cap_type(src) == CAP_IRQ_CONTROL;
    return type == CAP_UNTYPED;
}

bool cap_is_copyable(struct cap c)
{
    switch (cap_type(c)) {
    case CAP_NULL:
    case CAP_UNTYPED:
    case CAP_REPLY:
    case CAP_IRQ_CONTROL:
    case CAP_ZOMBIE:
        return false;
    default:
        return true;
    }
}

bool cap_derive(struct cap src, unsigned rights, struct cap *out)
{
    if (!cap_is_copyable(src))
        return false;
    *out = cap_with_rights(src, cap_rights(src) & rights);
    return true;
}

struct cap cap_as_copy(struct cap c)
{
    if (is_frame(cap_type(c)))
        c.word1 = 0; /* a grant stays with the capability that made it */
    if (cap_type(c) == CAP_PAGE_TABLE)
        c = cap_make(CAP_PAGE_TABLE, cap_address(c), cap_rights(c), 0, 0);
    return c;
}

/* A CNode guard word: size in bits 0-5, guard above. */
static enum cap_data_update cnode_guard_update(struct cap *cap, vesper_word data)
{
    unsigned guard_size = (unsigned)(data & 0x3fu);
    uint64_t guard = data >> 6;
    if (guard_size + cnode_radix(*cap) > 64)
        return CAP_DATA_BAD_GUARD;
    if ((guard >> guard_size) != 0) /* guard_size has 6 bits: at most 63 */
        return CAP_DATA_BAD_GUARD;
    cap->word1 = data;
    return CAP_DATA_OK;
}

enum cap_data_update cap_update_data(struct cap *cap, vesper_word data, bool mutate)
{
    enum cap_type type = cap_type(*cap);
    if (cap_type_is_badged(type)) {
        if (mutate || cap_badge(*cap) != 0)
            return CAP_DATA_ILLEGAL;
        cap->word1 = data;
        return CAP_DATA_OK;
    }
    if (type == CAP_CNODE)
        return cnode_guard_update(cap, data);
    return CAP_DATA_OK;
}

/* ---- Objects ------------------------------------------------------------ */

bool object_type_has_header(enum cap_type type)
{
    return type == CAP_ENDPOINT || type == CAP_NOTIFICATION || type == CAP_REPLY ||
           type == CAP_DOMAIN;
}

bool object_type_is_container(enum cap_type type)
{
    return type == CAP_CNODE || type == CAP_DOMAIN;
}

unsigned object_container_zombie(struct cap c)
{
    if (cap_type(c) != CAP_DOMAIN)
        return cnode_radix(c);
    struct domain *d = object_of(c);
    domain_stop(d, 0);
    d->header.type = 0;
    return ZOMBIE_DOMAIN;
}

struct cte *object_container_slots(struct cap zombie, unsigned *count)
{
    if (cap_aux(zombie) == ZOMBIE_DOMAIN) {
        struct domain *d = hal_kernel_view(cap_address(zombie), sizeof *d);
        *count = DOMAIN_SLOT_COUNT;
        return d->slots;
    }
    unsigned radix = cap_aux(zombie);
    *count = 1u << radix;
    return hal_kernel_view(cap_address(zombie), (size_t)1 << (radix + VESPER_SLOT_BITS));
}

void object_cap_removed(struct cap c)
{
    if (is_frame(cap_type(c)))
        frame_take_back(c);
    else if (cap_type(c) == CAP_PAGE_TABLE)
        page_table_take_back(c);
}

bool object_cancel_first_waiter(struct cap c)
{
    switch (cap_type(c)) {
    case CAP_ENDPOINT: return endpoint_cancel_first(object_of(c));
    case CAP_NOTIFICATION: return notification_cancel_first(object_of(c));
    default: return false;
    }
}

void object_finalise(struct cap c)
{
    if (cap_type(c) != CAP_IRQ_HANDLER) /* a handler names a line, not an object */
        trace_destroy(cap_type(c), cap_address(c));
    switch (cap_type(c)) {
    case CAP_ENDPOINT:
        endpoint_cancel_all(object_of(c));
        object_clear(c);
        break;
    case CAP_NOTIFICATION:
        notification_cancel_all(object_of(c));
        object_clear(c);
        break;
    case CAP_REPLY:
        reply_cancel(object_of(c));
        object_clear(c);
        break;
    case CAP_IRQ_HANDLER:
        irq_release(irq_handler_line(c));
        break;
    case CAP_PDOM:
        pdom_destroy(c);
        break;
    default: /* containers end as zombies (delete.c); the rest hold no state */
        break;
    }
}

/* ---- Retype ------------------------------------------------------------- */

bool object_type_is_retypable(vesper_word type)
{
    return type >= VESPER_OBJECT_UNTYPED && type <= VESPER_OBJECT_PAGE_TABLE;
}

bool object_type_fits_device(enum cap_type type)
{
    return type == CAP_UNTYPED || is_frame(type);
}

struct syscall_result object_type_size(enum cap_type type, vesper_word size_arg,
                                       unsigned *bits, unsigned *aux)
{
    *aux = 0;
    if (type == CAP_UNTYPED) {
        if (size_arg < VESPER_UNTYPED_MIN_BITS || size_arg > VESPER_UNTYPED_MAX_BITS)
            return result_range(VESPER_UNTYPED_MIN_BITS, VESPER_UNTYPED_MAX_BITS);
        *bits = (unsigned)size_arg;
        *aux = (unsigned)size_arg;
        return result_ok();
    }
    if (type == CAP_CNODE) {
        if (size_arg < VESPER_CNODE_RADIX_MIN || size_arg > VESPER_CNODE_RADIX_MAX)
            return result_range(VESPER_CNODE_RADIX_MIN, VESPER_CNODE_RADIX_MAX);
        *bits = (unsigned)size_arg + VESPER_SLOT_BITS;
        *aux = (unsigned)size_arg;
        return result_ok();
    }
    *bits = cap_object_bits(cap_make(type, 0, 0, 0, 0));
    return result_ok();
}

struct syscall_result object_type_can_make(enum cap_type type, unsigned count)
{
    if (type != CAP_PDOM)
        return result_ok();
    unsigned unused = pdom_slots_unused();
    if (count > unused)
        return result_range(1, unused);
    return result_ok();
}

struct cap object_new_cap(enum cap_type type, unsigned aux, bool device, uintptr_t address)
{
    if (type == CAP_PDOM)
        return pdom_make(address);
    if (type == CAP_UNTYPED && device)
        aux |= 1u << 6;
    if (is_frame(type) && device)
        aux = 1;
    return cap_make(type, address, VESPER_RIGHTS_ALL, aux, 0);
}

/* ---- Invocations -------------------------------------------------------- */

struct syscall_result object_decode_invocation(const struct invocation *inv)
{
    struct cap cap = inv->slot->cap;
    switch (cap_type(cap)) {
    case CAP_NULL: return result_invalid_capability(0);
    case CAP_UNTYPED: return decode_untyped_invocation(inv);
    case CAP_CNODE: return decode_cnode_invocation(inv);
    case CAP_DOMAIN: return decode_domain_invocation(inv);
    case CAP_IRQ_CONTROL: return decode_irq_control_invocation(inv);
    case CAP_IRQ_HANDLER: return decode_irq_handler_invocation(inv);
    case CAP_FRAME_4K:
    case CAP_FRAME_2M: return decode_frame_invocation(inv);
    case CAP_PAGE_TABLE: return decode_page_table_invocation(inv);
    case CAP_SCHED_CONTROL: return decode_sched_control_invocation(inv);
    default: return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    }
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Capability predicates (see cap.h). */
#include "cap.h"

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
    default: return 0;
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

bool cap_is_revocable(struct cap derived, struct cap src)
{
    switch (cap_type(derived)) {
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION:
        return cap_badge(derived) != cap_badge(src);
    case CAP_UNTYPED:
        return true;
    case CAP_IRQ_HANDLER:
        return cap_type(src) == CAP_IRQ_CONTROL;
    default:
        return false;
    }
}

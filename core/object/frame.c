/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Frames: pages of the single address space. A frame capability can grant
 * its frame to one PDom at a time, at the frame's one address, with rights
 * no greater than its own; the grant is recorded in the capability, so
 * that deleting or revoking the capability takes it back (docs/objects/
 * frame.md and pdom.md).
 */
#include "invoke.h"
#include "objecttype.h"
#include "pdom.h"

unsigned frame_level(struct cap frame)
{
    return cap_type(frame) == CAP_FRAME_2M ? HAL_PT_LEVELS - 2 : HAL_PT_LEVELS - 1;
}

static size_t frame_size(struct cap frame)
{
    return (size_t)1 << cap_object_bits(frame);
}

bool frame_grant_is_live(struct cap frame)
{
    return frame_grant_rights(frame) != 0 &&
           pdom_record_is_live(frame_grant_slot(frame), frame_grant_generation(frame),
                               FRAME_GRANT_GENERATION_BITS);
}

void frame_grant(struct cte *frame, struct cap pdom, hal_pte *entry, unsigned rights)
{
    struct cap f = frame->cap;
    unsigned slot = pdom_slot_of(pdom);
    *entry = hal_pte_frame(cap_address(f), frame_level(f), rights, frame_is_device(f));
    hal_pdom_flush(slot, cap_address(f), frame_size(f));
    frame->cap.word1 =
        frame_grant_record(rights, slot, pdom_generation_bits(slot, FRAME_GRANT_GENERATION_BITS));
}

void frame_take_back(struct cap frame)
{
    if (!frame_grant_is_live(frame))
        return; /* none, or its PDom is gone and every grant into it with it */
    unsigned slot = frame_grant_slot(frame);
    uintptr_t address = cap_address(frame);
    unsigned level = frame_level(frame);
    struct pt_place p = pt_find(pdom_table_of_slot(slot), address, level);
    hal_pte granted = hal_pte_frame(address, level, frame_grant_rights(frame),
                                    frame_is_device(frame));
    /* The entry may have gone with an uninstalled table; then another
     * grant may hold the place, and it stays. */
    if (p.status != PT_FOUND || *p.entry != granted)
        return;
    *p.entry = hal_pte_empty(address, level);
    hal_pdom_flush(slot, address, frame_size(frame));
}

/* GetAddress(): reply (address, size bits, device). */
static struct syscall_result decode_get_address(struct cap frame)
{
    vesper_word words[3] = {cap_address(frame), cap_object_bits(frame), frame_is_device(frame)};
    return result_reply(3, words);
}

/* Grant(pdom, rights): the rights must include READ and lie within the
 * capability's (and EXECUTE is never granted on device memory); the
 * capability must not hold a grant already; the PDom must have the tables
 * down to the frame's level, and nothing granted where the frame goes. */
static struct syscall_result decode_grant(const struct invocation *inv)
{
    if (inv->length < VESPER_FRAME_GRANT_LENGTH)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    struct cap frame = inv->slot->cap;
    vesper_word rights = invocation_arg(inv, VESPER_FRAME_GRANT_WORD_RIGHTS);
    if ((rights & VESPER_FRAME_READ) == 0 || (rights & ~(vesper_word)VESPER_FRAME_RIGHTS_ALL) != 0 ||
        (frame_is_device(frame) && (rights & VESPER_FRAME_EXECUTE) != 0))
        return result_invalid_argument(VESPER_FRAME_GRANT_WORD_RIGHTS);
    struct lookup found = lookup_argument(inv, invocation_arg(inv, VESPER_FRAME_GRANT_WORD_PDOM));
    if (found.error != VESPER_OK)
        return result_lookup(&found, 1);
    struct cap pdom = found.slot->cap;
    if (cap_type(pdom) != CAP_PDOM)
        return result_invalid_capability(1);
    if ((cap_rights(frame) & rights) != rights || frame_grant_is_live(frame))
        return result_invalid_capability(0);
    struct pt_place p = pt_find(cap_address(pdom), cap_address(frame), frame_level(frame));
    if (p.status == PT_MISSING_TABLE) {
        struct syscall_result r = result_error(VESPER_ERR_MISSING_TABLE);
        r.value[1] = p.level;
        return r;
    }
    if (p.status == PT_BLOCKED || !pt_entry_is_empty(*p.entry, cap_address(frame), p.level))
        return result_error(VESPER_ERR_DELETE_FIRST);
    frame_grant(inv->slot, pdom, p.entry, (unsigned)rights);
    return result_ok();
}

/* Ungrant(): take back the capability's grant, if it made one. */
static struct syscall_result decode_ungrant(const struct invocation *inv)
{
    frame_take_back(inv->slot->cap);
    inv->slot->cap.word1 = 0;
    return result_ok();
}

struct syscall_result decode_frame_invocation(const struct invocation *inv)
{
    switch (inv->label) {
    case VESPER_FRAME_GET_ADDRESS: return decode_get_address(inv->slot->cap);
    case VESPER_FRAME_GRANT: return decode_grant(inv);
    case VESPER_FRAME_UNGRANT: return decode_ungrant(inv);
    default: return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    }
}

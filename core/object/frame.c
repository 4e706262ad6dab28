/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Frames: pages of the single address space. Mapping a frame into a PDom
 * (granting rights to it at its one address) comes with protection
 * domains; for now a frame tells where it is.
 */
#include "invoke.h"

/* GetAddress(): reply (address, size bits, device). */
struct syscall_result decode_frame_invocation(const struct invocation *inv)
{
    if (inv->label != VESPER_FRAME_GET_ADDRESS)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    struct cap frame = inv->slot->cap;
    vesper_word words[3] = {cap_address(frame), cap_object_bits(frame), frame_is_device(frame)};
    return result_reply(3, words);
}

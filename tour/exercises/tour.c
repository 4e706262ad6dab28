/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* What several tour exercises share (tour.h). */
#include "tour.h"

bool tour_root_frame(struct carver *c, vesper_cptr *frame, vesper_word *address)
{
    struct vesper_frame_info info = {0};
    if (carve(c, "retype a frame", VESPER_OBJECT_FRAME_4K, 0, 1, frame) != VESPER_OK)
        return false;
    if (vesper_frame_get_address(*frame, &info) != VESPER_OK) {
        c->failed = "find the frame's address";
        return false;
    }
    *address = info.address;
    return grant_to(c, *frame, VESPER_ROOT_SLOT_PDOM, VESPER_FRAME_READ | VESPER_FRAME_WRITE) ==
           VESPER_OK;
}

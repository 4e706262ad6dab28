/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * What several tour exercises share, on top of programs/child_domain.h.
 */
#ifndef VESPER_TOUR_H
#define VESPER_TOUR_H

#include <stdbool.h>

#include "child_domain.h"

/* Carve a 4 KiB frame into a fresh slot (*frame) and grant it to the
 * root's PDom, read and write: the root may then use it at *address. On
 * failure c->failed says which step failed. */
bool tour_root_frame(struct carver *c, vesper_cptr *frame, vesper_word *address);

#endif

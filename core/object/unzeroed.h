/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * RAM not zeroed since boot.
 *
 * The kernel keeps the memory of an Untyped above its watermark zero
 * (untyped.c), so that a Retype has nothing to zero. Zeroing all of RAM at
 * boot would cost half a second on a Pi 3 and four in QEMU, so unless the
 * HAL says RAM is zero already (the host's fresh mapping), boot marks it
 * instead, in blocks of 64 KiB, in a bitmap it carves; a Retype zeroes the
 * marked blocks its objects will lie in before it makes them, a block
 * between two preemption points, and unmarks them.
 *
 * Invariant: no object lies in a marked block. Every object is made in
 * blocks zeroed and unmarked first, and boot marks only whole blocks of
 * the memory it hands out (it zeroes the partial ones at the ends).
 */
#ifndef VESPER_CORE_UNZEROED_H
#define VESPER_CORE_UNZEROED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UNZEROED_BLOCK_BITS 16u
#define UNZEROED_BLOCK ((uintptr_t)1 << UNZEROED_BLOCK_BITS)

/* The bytes of bitmap [base, end) needs, at one bit per block. */
size_t unzeroed_bitmap_bytes(uintptr_t base, uintptr_t end);

/* Boot: the bitmap (zeroed, of unzeroed_bitmap_bytes()) covers [base,
 * end), both block aligned; nothing is marked. */
void unzeroed_init(uintptr_t base, uintptr_t end, uint8_t *bitmap);

/* Boot: mark the whole blocks of [base, end), which lie in the bitmap's
 * range and hold nothing, and zero the parts of blocks at its ends. */
void unzeroed_mark(uintptr_t base, uintptr_t end);

/* Zero and unmark the marked blocks that [first, end) touches, with a
 * preemption point between two blocks: false if one stopped it, and the
 * next call goes on with the blocks still marked. */
bool unzeroed_clear(uintptr_t first, uintptr_t end);

/* Whether the block of address is marked. */
bool unzeroed_contains(uintptr_t address);

#endif

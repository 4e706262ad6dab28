/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* RAM not zeroed since boot (see unzeroed.h). */
#include "hal.h"
#include "klib.h"
#include "preempt.h"
#include "state.h"
#include "unzeroed.h"

size_t unzeroed_bitmap_bytes(uintptr_t base, uintptr_t end)
{
    size_t blocks = (size_t)((end - base) >> UNZEROED_BLOCK_BITS);
    return (blocks + 7) / 8;
}

void unzeroed_init(uintptr_t base, uintptr_t end, uint8_t *bitmap)
{
    kernel.unzeroed.base = base;
    kernel.unzeroed.blocks = (size_t)((end - base) >> UNZEROED_BLOCK_BITS);
    kernel.unzeroed.bits = bitmap;
}

/* The block index of address, which lies in the bitmap's range. */
static size_t block_of(uintptr_t address)
{
    return (size_t)((address - kernel.unzeroed.base) >> UNZEROED_BLOCK_BITS);
}

static bool in_range(uintptr_t address)
{
    return kernel.unzeroed.bits != NULL && address >= kernel.unzeroed.base &&
           block_of(address) < kernel.unzeroed.blocks;
}

static bool is_marked(size_t block)
{
    return (kernel.unzeroed.bits[block / 8] >> (block % 8)) & 1u;
}

/* The 64 bits of blocks [b, b + 64), b a multiple of 64. The bitmap is
 * carved to a power of two of at least 8 bytes, aligned to its size, so
 * the word lies wholly inside it. */
static uint64_t word_at(size_t b)
{
    return ((const uint64_t *)(const void *)kernel.unzeroed.bits)[b / 64];
}

static void zero(uintptr_t base, uintptr_t end)
{
    if (end > base)
        hal_memory_zero(hal_kernel_view(base, (size_t)(end - base)), (size_t)(end - base));
}

void unzeroed_mark(uintptr_t base, uintptr_t end)
{
    uintptr_t first = align_up(base, UNZEROED_BLOCK);
    uintptr_t last = end & ~(UNZEROED_BLOCK - 1);
    if (first >= last) { /* no whole block */
        zero(base, end);
        return;
    }
    zero(base, first);
    zero(last, end);
    for (size_t b = block_of(first); b < block_of(last); b++)
        kernel.unzeroed.bits[b / 8] |= (uint8_t)(1u << (b % 8));
}

bool unzeroed_clear(uintptr_t first, uintptr_t end)
{
    if (kernel.unzeroed.bits == NULL || end <= first || end <= kernel.unzeroed.base)
        return true;
    uintptr_t from = first > kernel.unzeroed.base ? first : kernel.unzeroed.base;
    size_t b = block_of(from), stop = block_of(end - 1) + 1;
    if (stop > kernel.unzeroed.blocks)
        stop = kernel.unzeroed.blocks;
    bool zeroed_one = false;
    while (b < stop) {
        if (b % 64 == 0 && word_at(b) == 0) {
            b += 64; /* 64 unmarked blocks at once: the scan stays short */
            continue;
        }
        if (is_marked(b)) {
            if (zeroed_one && preemption_point())
                return false;
            uintptr_t at = kernel.unzeroed.base + ((uintptr_t)b << UNZEROED_BLOCK_BITS);
            zero(at, at + UNZEROED_BLOCK);
            kernel.unzeroed.bits[b / 8] &= (uint8_t) ~(1u << (b % 8));
            zeroed_one = true;
        }
        b++;
    }
    return true;
}

bool unzeroed_contains(uintptr_t address)
{
    return in_range(address) && is_marked(block_of(address));
}

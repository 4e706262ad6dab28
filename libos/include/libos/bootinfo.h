/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Reading the bootinfo record (vesper/bootinfo.h). Static inline and free
 * of syscalls, so that code which drives the kernel directly (unit tests,
 * fuzzers, benchmarks) uses the same choice as root domains do without
 * linking libos.
 */
#ifndef VESPER_LIBOS_BOOTINFO_H
#define VESPER_LIBOS_BOOTINFO_H

#include <vesper/bootinfo.h>

/* The index in info->untyped of the largest Untyped of RAM (the first of
 * that size), or info->untyped_count when there is none. Anything that
 * retypes kernel objects needs RAM: a device Untyped can only become
 * Frames and smaller device Untyped. Its CPtr in the root CNode is
 * info->untyped_first plus the index. */
static inline vesper_word vesper_largest_ram_untyped(const struct vesper_bootinfo *info)
{
    vesper_word best = info->untyped_count;
    for (vesper_word i = 0; i < info->untyped_count; i++) {
        if (info->untyped[i].device)
            continue;
        if (best == info->untyped_count ||
            info->untyped[i].size_bits > info->untyped[best].size_bits)
            best = i;
    }
    return best;
}

#endif

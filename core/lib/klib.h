/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The few library routines the freestanding core needs, under names of its
 * own so that they never clash with a host libc.
 */
#ifndef VESPER_CORE_KLIB_H
#define VESPER_CORE_KLIB_H

#include <stddef.h>
#include <stdint.h>

void kmemset(void *dst, int value, size_t length);
size_t kstrlen(const char *s);

/* Round value up to a multiple of align, a power of two. */
static inline uintptr_t align_up(uintptr_t value, uintptr_t align)
{
    return (value + align - 1) & ~(align - 1);
}

#endif

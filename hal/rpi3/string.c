/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * memcpy, memmove, memset and memcmp for the freestanding image. clang
 * calls them for struct copies and initialisers even with -ffreestanding
 * -fno-builtin, so every image must define them, once, for the kernel and
 * for the domains' code alike. That is why this file's code is the image's
 * shared text (kernel8.ld), run at EL1 and at EL0: it must touch nothing
 * but its arguments (no global, no call into the kernel). Every access is
 * aligned, which SCTLR_EL1.A demands of the kernel and domains (and a board
 * of every access before the MMU is on): byte at a time, but for memset's
 * aligned middle, a word at a time (the kernel's own zeroing is kmemset).
 */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t length);
void *memmove(void *dst, const void *src, size_t length);
void *memset(void *dst, int value, size_t length);
int memcmp(const void *a, const void *b, size_t length);

void *memcpy(void *restrict dst, const void *restrict src, size_t length)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (size_t i = 0; i < length; i++)
        d[i] = s[i];
    return dst;
}

/* Copies forwards when the destination is below the source and backwards
 * otherwise, so overlapping ranges come out right. */
void *memmove(void *dst, const void *src, size_t length)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        for (size_t i = 0; i < length; i++)
            d[i] = s[i];
    } else {
        for (size_t i = length; i > 0; i--)
            d[i - 1] = s[i - 1];
    }
    return dst;
}

void *memset(void *dst, int value, size_t length)
{
    unsigned char *d = dst;
    unsigned char byte = (unsigned char)value;
    for (; length > 0 && ((uintptr_t)d & 7u) != 0; length--)
        *d++ = byte;
    uint64_t word = byte * UINT64_C(0x0101010101010101);
    uint64_t *w = (uint64_t *)(void *)d;
    for (; length >= 8; length -= 8)
        *w++ = word;
    d = (unsigned char *)w;
    for (; length > 0; length--)
        *d++ = byte;
    return dst;
}

int memcmp(const void *a, const void *b, size_t length)
{
    const unsigned char *x = a;
    const unsigned char *y = b;
    for (size_t i = 0; i < length; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

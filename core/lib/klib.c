/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Byte routines for the freestanding core (see klib.h). */
#include "klib.h"

/* Bytes up to an 8-byte boundary, then a word at a time (which the
 * compiler pairs into 16-byte stores on aarch64), then the tail: a Retype
 * of a 2 MiB frame makes 128 Ki stores rather than 2 Mi. Every access is
 * aligned, as the Pi's kernel demands (SCTLR_EL1.A). */
void kmemset(void *dst, int value, size_t length)
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
}

size_t kstrlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

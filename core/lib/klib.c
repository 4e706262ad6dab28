/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Byte routines for the freestanding core (see klib.h). */
#include "klib.h"

void kmemset(void *dst, int value, size_t length)
{
    unsigned char *d = dst;
    while (length--)
        *d++ = (unsigned char)value;
}

size_t kstrlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

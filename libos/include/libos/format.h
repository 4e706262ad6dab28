/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Formatted printing for domains, on both HALs: a small printf that writes
 * to the kernel console through VESPER_SYS_DEBUG_PRINT, and the same
 * formatting into a buffer.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%, with the length modifiers l, ll
 * and z, a field width, and the flags '0' and '-'. %p prints 0x and the
 * address in hexadecimal. There is no floating point (the Pi's domains
 * have no FP/SIMD). An unknown conversion is printed as it stands.
 */
#ifndef LIBOS_FORMAT_H
#define LIBOS_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

#include <vesper/object.h>

/* Format into out, of size bytes, always NUL-terminated when size > 0.
 * Returns the length the whole output has, which may exceed size - 1. */
size_t vesper_vformat(char *out, size_t size, const char *format, va_list args);
size_t vesper_format(char *out, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Print on the kernel console; output past 255 bytes is cut. Returns the
 * bytes printed, or -1 if the kernel refused them. */
int vesper_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* One line about the capability at cptr, from Identify: its type, rights,
 * address and type-specific word (badge, guard, watermark, line), as in
 * "cptr 0x5: Endpoint rwgG 0x520000800000 word 0x7", or the error that
 * Identify gave. */
int vesper_print_capability(vesper_cptr cptr);

#endif

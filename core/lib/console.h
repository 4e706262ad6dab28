/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Kernel console output: a small printf over hal_console_write.
 * Conversions: %s %c %d %i %u %x %p %%, with the flags '-' (left-justify)
 * and '0' (zero padding), a field width and the length modifiers l, ll and
 * z. An unknown conversion prints as '?' and takes no argument.
 */
#ifndef VESPER_CORE_CONSOLE_H
#define VESPER_CORE_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

#include "kernel.h" /* declares kprintf(), which HALs use too */

void kvprintf(const char *format, va_list args);

#endif

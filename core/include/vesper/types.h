/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Basic types of the Vesper user-visible ABI. Every field that crosses the
 * kernel boundary is a vesper_word: 64 bits on every supported machine
 * (x86_64 or aarch64 hosts under the host HAL, aarch64 on the Raspberry
 * Pi 3).
 */
#ifndef VESPER_TYPES_H
#define VESPER_TYPES_H

#include <stdint.h>

typedef uint64_t vesper_word;

#endif

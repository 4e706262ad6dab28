/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The kernel's invariant checker. Tests and fuzzers call it after every
 * operation; it never changes state. Each invariant it checks is written
 * beside the data it governs (state.h, domain.h, cdt.h, objects.h); this
 * is the executable copy of those comments.
 */
#ifndef VESPER_CORE_INVARIANTS_H
#define VESPER_CORE_INVARIANTS_H

#include <stddef.h>

#include <vesper/object.h>

#include "hal.h"

/* How many capabilities the checker can hold at once: every one that a
 * 32 MiB machine can have (one per 32-byte slot of its RAM, plus one per
 * interrupt line's binding), the largest machine the tests make. With more
 * it answers "too many capabilities for the checker's scratch space"
 * instead of checking less. */
#define KERNEL_CHECK_MACHINE_BYTES ((size_t)32 << 20)
#define KERNEL_CHECK_CAPACITY \
    ((KERNEL_CHECK_MACHINE_BYTES >> VESPER_SLOT_BITS) + HAL_IRQ_LINES_MAX)

/* Returns NULL when every invariant holds, or a constant sentence naming
 * the first one that does not. */
const char *kernel_check_invariants(void);

/* The part of the check about PDom trees (pdom_trees.c): what is wrong, or
 * NULL. */
const char *check_pdom_trees(void);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The kernel's invariant checker. Tests and fuzzers call it after every
 * operation; it never changes state. Each invariant it checks is written
 * beside the data it governs (state.h, domain.h); this is the executable
 * copy of those comments.
 */
#ifndef VESPER_CORE_INVARIANTS_H
#define VESPER_CORE_INVARIANTS_H

/* Returns NULL when every invariant holds, or a constant sentence naming
 * the first one that does not. */
const char *kernel_check_invariants(void);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Byte offsets into struct hal_context (hal_context.h) for the assembly in
 * vectors.S, which saves and restores a domain's registers in place.
 * context.c checks them against the C structure at compile time.
 */
#ifndef VESPER_HAL_RPI3_CONTEXT_LAYOUT_H
#define VESPER_HAL_RPI3_CONTEXT_LAYOUT_H

#define CONTEXT_X0 0       /* x0..x30, 8 bytes each: x[n] at 8 * n */
#define CONTEXT_X30 240
#define CONTEXT_SP_EL0 248
#define CONTEXT_ELR 256    /* ELR_EL1, then SPSR_EL1 right after it */
#define CONTEXT_SPSR 264
#define CONTEXT_BYTES 272

/* The bits of a saved SPSR_EL1 that are the domain's own: the condition
 * flags N, Z, C and V. Restoring keeps only these; M = 0 (EL0t) and D, A,
 * I, F clear are forced (vectors.S). */
#define SPSR_USER_FLAGS 0xf0000000

#endif

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
#define CONTEXT_TPIDR_EL0 272 /* the domain's IPC buffer pointer (hal.h) */
#define CONTEXT_BYTES 280

/* The bits of a saved SPSR_EL1 that are the domain's own: the condition
 * flags N, Z, C and V. Restoring keeps only these and forces the rest
 * (vectors.S): M = 0 (EL0t), and the kernel's choice of masks. */
#define SPSR_USER_FLAGS 0xf0000000
/* A, I and F masked: no interrupt or SError has a path to a handler yet,
 * so one taken while a domain runs would only halt the machine. D stays
 * clear; no debug exception is enabled (MDSCR_EL1). */
#define SPSR_EL0_MASKS 0x1c0

#endif

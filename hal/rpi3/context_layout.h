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
/* A and F masked, I clear: a domain runs with IRQs unmasked, so that the
 * timer's IRQ can end its time slice (irq.c), while SError and FIQ have no
 * path to a handler and stay masked. D stays clear; no debug exception is
 * enabled (MDSCR_EL1). EL0 cannot change any of them (SCTLR_EL1.UMA is 0). */
#define SPSR_EL0_MASKS 0x140

#endif

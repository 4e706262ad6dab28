/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Assembler macros shared by the Pi HAL's assembly files: constants built
 * in a register without reading memory, which boot code needs before it has
 * set the current level's SCTLR (an unknown SCTLR may say big-endian data).
 */
#ifndef VESPER_HAL_RPI3_ASM_MACROS_H
#define VESPER_HAL_RPI3_ASM_MACROS_H

/* reg = value, a 32-bit constant. */
.macro mov32 reg, value
    movz    \reg, #((\value) & 0xffff)
    movk    \reg, #(((\value) >> 16) & 0xffff), lsl #16
.endm

/* reg = value, a 64-bit constant. */
.macro mov64 reg, value
    mov32   \reg, (\value)
    movk    \reg, #(((\value) >> 32) & 0xffff), lsl #32
    movk    \reg, #(((\value) >> 48) & 0xffff), lsl #48
.endm

#endif

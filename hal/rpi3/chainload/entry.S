/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The chainloader's first instructions, at 0x80000 where the firmware (or
 * QEMU) put the raw image and started core 0, in non-secure EL2.
 *   1. Any core but core 0 parks in wfe. Under the firmware and QEMU with
 *      a raw image, cores 1-3 never come here: they wait on the firmware's
 *      spin table below 0x80000, which the loader never writes, so the
 *      kernel it starts can still release them.
 *   2. The current level's SCTLR gets its RES1 bits only, as the
 *      firmware's armstub8 sets SCTLR_EL2: MMU, caches and alignment checks
 *      off, little-endian. Nothing before reads memory.
 *   3. The image copies itself to __loader_start (chainload.ld), where it is
 *      linked, and jumps there; it clears its bss and sets its stack.
 *   4. loader_main() (loader.c) sets up the UART and returns once a kernel
 *      has arrived whole at __kernel_load_address.
 *   5. The loader enters the kernel at the level it was entered at (EL2
 *      under the firmware and QEMU), with x0 as the firmware gave it (the
 *      device tree or ATAGS address), x1-x3 zero and DAIF masked: the state
 *      armstub8 enters a kernel8.img in, which hal/rpi3/boot.S expects.
 *
 * Caches: the MMU and both caches are off from entry to the jump (the
 * firmware runs the ARM with them off, and step 2 keeps them off), so every
 * store goes straight to RAM, and no instruction cache line can hold code
 * from before the copy (with SCTLR.I clear nothing is allocated in it, and
 * the Cortex-A53 invalidates it at reset). Moving the loader and receiving
 * the kernel therefore need no cache maintenance, only barriers: dsb sy
 * (every store has reached memory) and isb (no instruction was fetched
 * before that) before running the code written.
 */

#include "asm_macros.h"

/* SCTLR_EL3 and SCTLR_EL2 (without VHE) with their RES1 bits only. */
#define SCTLR_EL3_EL2_RES1 0x30c50830
/* SCTLR_EL1 with its RES1 bits only. */
#define SCTLR_EL1_RES1 0x30d00800

    .section .text.boot, "ax"
    .global _start
_start:
    mrs     x9, mpidr_el1
    and     x9, x9, #0xff           // Aff0: the core number
    cbnz    x9, park
    msr     daifset, #0xf           // as armstub8 leaves them: masked
    mov     x19, x0                 // the firmware's x0, for the kernel
    mrs     x20, CurrentEL
    lsr     x20, x20, #2            // the entry level
    cmp     x20, #3
    b.eq    at_el3
    cmp     x20, #2
    b.eq    at_el2
    mov32   x9, SCTLR_EL1_RES1      // EL1: another loader entered us
    msr     sctlr_el1, x9
    msr     spsel, #1
    b       relocate
at_el3:
    mov32   x9, SCTLR_EL3_EL2_RES1
    msr     sctlr_el3, x9
    b       relocate
at_el2:
    mov32   x9, SCTLR_EL3_EL2_RES1
    msr     sctlr_el2, x9

relocate:
    isb
    adr     x1, _start              // where the image runs now
    ldr     x2, =__loader_start     // where it is linked
    ldr     x3, =__loader_end
    cmp     x1, x2
    b.eq    relocated               // loaded where it is linked already
1:  ldp     x4, x5, [x1], #16
    stp     x4, x5, [x2], #16
    cmp     x2, x3
    b.lo    1b
    dsb     sy                      // the copy is in RAM (caches are off)
    isb
    ldr     x9, =relocated
    br      x9                      // continue in the copy

relocated:
    ldr     x1, =__bss_start        // 16-byte aligned (chainload.ld)
    ldr     x2, =__bss_end
2:  cmp     x1, x2
    b.hs    3f
    stp     xzr, xzr, [x1], #16
    b       2b
3:  ldr     x9, =__stack_top
    mov     sp, x9
    mov     x0, x20
    bl      loader_main             // returns with the kernel in place

    dsb     sy                      // the kernel's bytes are in RAM
    isb
    mov     x0, x19
    mov     x1, xzr
    mov     x2, xzr
    mov     x3, xzr
    ldr     x9, =__kernel_load_address
    br      x9

park:
    wfe
    b       park

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The first instructions of the Raspberry Pi 3 image, at 0x80000.
 *
 * The firmware (and QEMU's raspi3b with a raw image) starts core 0 here in
 * non-secure EL2 and keeps cores 1-3 in its own spin loop. This code:
 *   1. parks any other core that arrives (as all four do when QEMU is given
 *      the ELF instead of the raw image);
 *   2. drops from EL2 to EL1: the EL1 timer registers made accessible, no
 *      virtual counter offset, EL1 in AArch64, EL1's MMU and caches off;
 *   3. takes the kernel stack from the linker script, clears bss and
 *      installs the exception vectors at VBAR_EL1;
 *   4. calls rpi3_main(), which never returns.
 * Interrupts stay masked (DAIF) at EL1: the kernel runs with them off.
 */

/* HCR_EL2.RW: EL1 runs in AArch64. */
#define HCR_EL2_RW (1 << 31)
/* CNTHCTL_EL2.EL1PCTEN | EL1PCEN: EL1 and EL0 may use the physical counter
 * and timer. */
#define CNTHCTL_EL2_EL1_TIMER_ACCESS 3
/* SCTLR_EL1 with its RES1 bits set and the MMU, caches and alignment
 * checks off. */
#define SCTLR_EL1_MMU_OFF 0x30d00800
/* SPSR_EL2 for the eret: EL1 with SP_EL1 (EL1h), D, A, I and F masked. */
#define SPSR_EL2_EL1H_MASKED 0x3c5

    .section .text.boot, "ax"
    .global _start
_start:
    mrs     x1, mpidr_el1
    and     x1, x1, #0xff           // Aff0: the core number in the cluster
    cbnz    x1, park

    mrs     x1, CurrentEL
    lsr     x1, x1, #2
    cmp     x1, #1
    b.eq    at_el1                  // a loader already dropped to EL1
    cmp     x1, #2
    b.ne    park                    // EL3: boot the raw image, not the ELF

    mov     x1, #CNTHCTL_EL2_EL1_TIMER_ACCESS
    msr     cnthctl_el2, x1
    msr     cntvoff_el2, xzr
    mov     x1, #HCR_EL2_RW
    msr     hcr_el2, x1
    ldr     x1, =SCTLR_EL1_MMU_OFF
    msr     sctlr_el1, x1
    mov     x1, #SPSR_EL2_EL1H_MASKED
    msr     spsr_el2, x1
    adr     x1, at_el1
    msr     elr_el2, x1
    eret

at_el1:
    ldr     x1, =__kernel_stack_top
    mov     sp, x1

    ldr     x1, =__bss_start        // 16-byte aligned bounds (kernel8.ld)
    ldr     x2, =__bss_end
clear_bss:
    cmp     x1, x2
    b.hs    bss_clear
    stp     xzr, xzr, [x1], #16
    b       clear_bss
bss_clear:

    ldr     x1, =rpi3_vectors
    msr     vbar_el1, x1
    isb

    bl      rpi3_main
park:
    wfe
    b       park

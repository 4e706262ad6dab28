/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A hostile loader, linked in front of boot.S in three test images only:
 * hostile-el2-test and hostile-spin-test take the EL2 variant below,
 * hostile-el1-test the EL1 one. It plays the part of a board whose reset
 * and firmware leave system registers UNKNOWN, which QEMU never does (it
 * zeroes them all): before the kernel's first instruction it writes the
 * values that would hurt most, then enters the kernel.
 *
 * EL1 and EL0 state, in both variants:
 *   CPACR_EL1     FP/SIMD enabled at EL0 and EL1
 *   CNTKCTL_EL1   EL0 may read both counters and use both timers
 *   PMUSERENR_EL0 EL0 may use the performance monitors
 *   MDSCR_EL1     TDCC clear: EL0 may use the debug channel
 *   TPIDR_EL0, TPIDRRO_EL0  a value the first domain could read
 *   SCTLR_EL1     EL0 may mask interrupts, read CTR_EL0, zero and maintain
 *                 caches, WFI and WFE without trapping
 * The EL2 variant also leaves EL1's MMU on, with its caches, over
 * translation registers that point at nothing the kernel made:
 *   SCTLR_EL1     M, C and I set besides the bits above
 *   TTBR0_EL1, TTBR1_EL1  a table address in the middle of the image
 *   TCR_EL1       39-bit addresses for both halves, TTBR1 walked, 16-bit
 *                 ASIDs, top-byte ignore
 *   MAIR_EL1      every attribute Device-nGnRnE
 * then scrambles EL2 too and jumps to the kernel at EL2, as the firmware
 * does:
 *   CPTR_EL2      traps FP/SIMD, trace and CPACR_EL1 accesses to EL2
 *   MDCR_EL2      routes debug exceptions to EL2 and traps debug and PMU
 *                 registers to it
 *   HSTR_EL2      traps AArch32 system registers
 *   HCR_EL2       routes interrupts to EL2 and traps WFI, WFE and writes
 *                 to the virtual memory controls
 *   VTTBR_EL2, VPIDR_EL2, VMPIDR_EL2  values EL1 must not inherit
 *   SCTLR_EL2     big-endian data with alignment checks
 * EL2 has no vectors here, so if the kernel trusted any of these it would
 * hang or misbehave instead of printing its banner. It also leaves core 0's
 * interrupt sources firing or routed badly, which the kernel must mask or
 * route again before the first domain runs with IRQs unmasked:
 *   per-core controller  every timer of core 0 routed to FIQ (which wins
 *                 over IRQ: the kernel's timer would never preempt), core
 *                 0's mailbox interrupts enabled with mailbox 0 set, and
 *                 the controller's local timer interrupting core 0 every
 *                 few microseconds
 *   BCM2835 controller  every line enabled, with the system timer's
 *                 compare 1 due a millisecond later
 * The EL1 variant leaves EL2 sane, and enters the kernel at EL1 in
 * the state a careless loader could leave: SP_EL0 selected (EL1t), every
 * exception unmasked, and SCTLR_EL1 also saying big-endian data. It leaves
 * the interrupt sources alone: with interrupts unmasked at entry, a pending
 * one would be taken before the kernel's first instruction could mask it,
 * which no kernel can prevent.
 *
 * The root program of hostile-el2-test and hostile-el1-test
 * (programs/sysregs_root.c) then checks that no domain can use any of it;
 * that of hostile-spin-test (programs/spin_root.c) needs the timer's
 * interrupt to take the CPU from a spinning domain.
 */

#include "asm_macros.h"

/* The ARMv8.0 RES1 bits of SCTLR_EL1 and of SCTLR_EL2. */
#define SCTLR_EL1_RES1 0x30d00800
#define SCTLR_EL2_RES1 0x30c50830
/* SCTLR_EL1: UCI (26), nTWE (18), nTWI (16), UCT (15), DZE (14), UMA (9). */
#define SCTLR_EL1_EL0_LOOSE 0x0405c200
/* SCTLR_EL1.EE (25) and E0E (24): big-endian data at EL1 and EL0. */
#define SCTLR_EL1_BIG_ENDIAN 0x03000000
/* SCTLR_EL1: M (0), C (2) and I (12): MMU and caches on. */
#define SCTLR_EL1_MMU_CACHES 0x1005
/* TCR_EL1: T0SZ and T1SZ 25, TG1 4 KiB (2 << 30), AS (36), TBI0 (37). */
#define TCR_EL1_HOSTILE 0x3080190019
/* SCTLR_EL2.EE (25) and A (1). */
#define SCTLR_EL2_HOSTILE_BITS 0x02000002
/* CPTR_EL2: TCPAC (31), TTA (20), TFP (10) over the RES1 bits. */
#define CPTR_EL2_HOSTILE 0x801037ff
/* MDCR_EL2: TDRA (11), TDOSA (10), TDA (9), TDE (8), TPM (6), TPMCR (5). */
#define MDCR_EL2_HOSTILE_TRAPS 0xf60
/* HCR_EL2: RW (31), TVM (26), TWE (14), TWI (13), AMO (5), IMO (4), FMO (3). */
#define HCR_EL2_HOSTILE 0x84006038
#define HCR_EL2_RW (1 << 31)
#define CPTR_EL2_RES1 0x33ff
/* The BCM2836 per-core controller and the BCM2835 peripherals. */
#define LOCAL_BASE 0x40000000
#define LOCAL_TIMER_ROUTE 0x24      /* 0: the local timer to core 0's IRQ */
#define LOCAL_TIMER_CONTROL 0x34
#define CORE0_TIMERS_CONTROL 0x40
#define CORE0_MAILBOXES_CONTROL 0x50
#define CORE0_MAILBOX0_SET 0x80
/* Local timer: enable (28), interrupt enable (29), reload 0x100 ticks of
 * 38.4 MHz. */
#define LOCAL_TIMER_HOSTILE 0x30000100
#define SYSTEM_TIMER_BASE 0x3F003000
#define SYSTEM_TIMER_CLO 0x04
#define SYSTEM_TIMER_C1 0x10
#define BCM2835_IC_BASE 0x3F00B200
#define BCM2835_ENABLE_1 0x10
#define BCM2835_ENABLE_2 0x14
#define BCM2835_ENABLE_BASIC 0x18
/* SPSR_EL2 for hostile-el1-test: EL1t (SP_EL0), D, A, I and F clear. */
#define SPSR_EL2_EL1T_UNMASKED 0x4

    .section .text.preboot, "ax"
    .global preboot_hostile
preboot_hostile:
    mrs     x1, mpidr_el1
    and     x1, x1, #0xff
    cbnz    x1, _start              // other cores: the kernel parks them

    mov64   x1, 0x300000            // CPACR_EL1.FPEN = 0b11
    msr     cpacr_el1, x1
    mov     x1, #0x303              // EL0PTEN, EL0VTEN, EL0VCTEN, EL0PCTEN
    msr     cntkctl_el1, x1
    mov     x1, #0xf                // EN, SW, CR, ER
    msr     pmuserenr_el0, x1
    msr     mdscr_el1, xzr
    mov64   x1, 0x7e57ab1e0000cafe
    msr     tpidr_el0, x1
    mov64   x1, 0x7e57ab1e0000beef
    msr     tpidrro_el0, x1

#ifdef PREBOOT_ENTER_EL1
    mov64   x1, (SCTLR_EL1_RES1 | SCTLR_EL1_EL0_LOOSE | SCTLR_EL1_BIG_ENDIAN)
    msr     sctlr_el1, x1
    mov64   x1, CPTR_EL2_RES1
    msr     cptr_el2, x1
    msr     hstr_el2, xzr
    mrs     x1, mdcr_el2
    and     x1, x1, #0x1f
    msr     mdcr_el2, x1
    mov     x1, #3                  // EL1 reaches the physical timer
    msr     cnthctl_el2, x1
    msr     cntvoff_el2, xzr
    mov64   x1, HCR_EL2_RW
    msr     hcr_el2, x1
    mov     x1, #SPSR_EL2_EL1T_UNMASKED
    msr     spsr_el2, x1
    adr     x1, _start
    msr     elr_el2, x1
    isb
    eret
#else
    mov64   x1, 0x00ab000000090000
    msr     ttbr0_el1, x1
    msr     ttbr1_el1, x1
    mov64   x1, TCR_EL1_HOSTILE
    msr     tcr_el1, x1
    msr     mair_el1, xzr
    mov64   x1, (SCTLR_EL1_RES1 | SCTLR_EL1_EL0_LOOSE | SCTLR_EL1_MMU_CACHES)
    msr     sctlr_el1, x1
    mov64   x1, CPTR_EL2_HOSTILE
    msr     cptr_el2, x1
    mov64   x1, 0xbfef              // T0-T15 but the RES0 T4 and T14
    msr     hstr_el2, x1
    mrs     x1, mdcr_el2
    mov     x2, #MDCR_EL2_HOSTILE_TRAPS
    orr     x1, x1, x2
    msr     mdcr_el2, x1
    mov64   x1, HCR_EL2_HOSTILE
    msr     hcr_el2, x1
    mov64   x1, 0x00ab0000dead0000
    msr     vttbr_el2, x1
    mov64   x1, 0x410fd000          // a MIDR with no part number
    msr     vpidr_el2, x1
    mov64   x1, 0x80000003          // a core number the kernel would park
    msr     vmpidr_el2, x1

    mov32   x1, LOCAL_BASE          // interrupts, with DAIF still masked
    mov     w2, #0xff               // every timer to IRQ and FIQ
    str     w2, [x1, #CORE0_TIMERS_CONTROL]
    mov     w2, #0xf                // every mailbox to IRQ
    str     w2, [x1, #CORE0_MAILBOXES_CONTROL]
    mov     w2, #1
    str     w2, [x1, #CORE0_MAILBOX0_SET]
    str     wzr, [x1, #LOCAL_TIMER_ROUTE]
    mov32   x2, LOCAL_TIMER_HOSTILE
    str     w2, [x1, #LOCAL_TIMER_CONTROL]
    dsb     sy                      // from one peripheral to another
    mov32   x1, SYSTEM_TIMER_BASE
    ldr     w2, [x1, #SYSTEM_TIMER_CLO]
    add     w2, w2, #1000           // 1 ms at 1 MHz
    str     w2, [x1, #SYSTEM_TIMER_C1]
    dsb     sy
    mov32   x1, BCM2835_IC_BASE
    mov     w2, #-1
    str     w2, [x1, #BCM2835_ENABLE_1]
    str     w2, [x1, #BCM2835_ENABLE_2]
    str     w2, [x1, #BCM2835_ENABLE_BASIC]
    dsb     sy

    mov64   x1, (SCTLR_EL2_RES1 | SCTLR_EL2_HOSTILE_BITS)
    msr     sctlr_el2, x1
    isb
    b       _start
#endif

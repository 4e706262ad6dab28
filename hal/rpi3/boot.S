/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The first instructions of the Raspberry Pi 3 image, at 0x80000.
 *
 * The stock firmware (armstub8, and QEMU's raspi3b with a raw image) starts
 * core 0 here in non-secure EL2 and keeps cores 1-3 in its own spin loop.
 * A custom armstub may start it at EL3 (so does QEMU when given the ELF,
 * with all four cores at once), another loader at EL1. This code:
 *   1. parks any core but core 0;
 *   2. from EL3, drops to non-secure EL2 as armstub8 does;
 *   3. from EL2, puts every EL2 register that can trap or redirect EL1 and
 *      EL0 into a known state, turns EL1's MMU off (a loader may have left
 *      it on, over tables the kernel knows nothing of) and drops to EL1
 *      with SP_EL1;
 *   4. at EL1, masks every exception, selects SP_EL1 and writes every EL1
 *      register that a real reset leaves UNKNOWN and that decides what EL0
 *      may do (QEMU zeroes them all; a board does not, and armstub8 writes
 *      none of them);
 *   5. drops whatever the data cache may hold of the image, fills the
 *      kernel stack with a pattern (the HAL checks its bottom for
 *      overflow), clears bss, installs the exception vectors;
 *   6. calls rpi3_main(entry level), which never returns; it turns the MMU
 *      on (mmu.c). The loader's x0 (a device tree or ATAGS) is not used:
 *      the RAM size comes from the firmware's mailbox (mailbox.c).
 * Until SCTLR_ELx is written at each level nothing here reads memory (no
 * literal loads): an UNKNOWN SCTLR may say big-endian or alignment-checked.
 */

#include "asm_macros.h"

/* ---- EL3 --------------------------------------------------------------- */
/* SCTLR_EL3 and SCTLR_EL2 (without VHE): RES1 bits only, so MMU, caches,
 * alignment checks off and little-endian. */
#define SCTLR_EL3_EL2_RES1 0x30c50830
/* SCR_EL3: NS (non-secure below EL3), RES1 bits 4 and 5, SMD (no SMC),
 * HCE (HVC allowed), RW (EL2 is AArch64): armstub8's value. */
#define SCR_EL3_VALUE 0x5b1
/* SPSR_EL3 for the eret: EL2h with D, A, I and F masked. */
#define SPSR_EL3_EL2H_MASKED 0x3c9
/* The board's crystal: the counter frequency armstub8 programs when the
 * register reads zero. */
#define RPI3_CRYSTAL_HZ 19200000

/* ---- EL2 --------------------------------------------------------------- */
/* CPTR_EL2: RES1 bits only: no trap of FP/SIMD (TFP), trace (TTA) or
 * CPACR_EL1 (TCPAC) to EL2; CPACR_EL1 decides. */
#define CPTR_EL2_RES1 0x33ff
/* MDCR_EL2.HPMN, bits 4:0: how many event counters EL1 sees. A reset sets
 * it to PMCR_EL0.N and leaves every other bit (the traps) UNKNOWN. */
#define MDCR_EL2_HPMN_MASK 0x1f
/* HCR_EL2.RW: EL1 runs in AArch64; nothing is trapped or routed to EL2. */
#define HCR_EL2_RW (1 << 31)
/* CNTHCTL_EL2.EL1PCTEN | EL1PCEN: EL1 may use the physical counter and
 * timer (CNTKCTL_EL1 then decides for EL0). */
#define CNTHCTL_EL2_EL1_TIMER_ACCESS 3
/* SPSR_EL2 for the eret: EL1h with D, A, I and F masked. */
#define SPSR_EL2_EL1H_MASKED 0x3c5

/* ---- EL1 --------------------------------------------------------------- */
/* SCTLR_EL1: the RES1 bits (29, 28, 23, 22, 20, 11), with A, SA and SA0
 * (alignment checks for data and for SP at EL1 and EL0), everything else 0:
 * MMU and caches off (mmu.c turns them on later), little-endian at EL1 and
 * EL0, and EL0 may neither mask interrupts (UMA), read CTR_EL0 (UCT), zero
 * or maintain caches (DZE, UCI), nor wait with WFI or WFE (nTWI, nTWE): all
 * of those trap. With the MMU off every access is to Device memory, where
 * a board faults on an unaligned access whatever A says; setting A makes
 * QEMU fault as well, and keeps doing so once the MMU is on. */
#define SCTLR_EL1_VALUE 0x30d0081a
/* MDSCR_EL1.TDCC: EL0 access to the debug communication channel traps. No
 * debug exception is enabled (MDE, KDE, SS clear). */
#define MDSCR_EL1_TDCC (1 << 12)

/* The kernel stack's fill pattern; rpi3.h has the same value in C. */
#define KERNEL_STACK_FILL 0x5354414b5354414b

    .section .text.boot, "ax"
    .global _start
_start:
    mrs     x20, CurrentEL
    lsr     x20, x20, #2            // the entry level, kept for rpi3_main
    mrs     x1, mpidr_el1
    and     x1, x1, #0xff           // Aff0: the core number in the cluster
    cbnz    x1, park
    cmp     x20, #3
    b.eq    from_el3
    cmp     x20, #2
    b.eq    from_el2
    cmp     x20, #1
    b.eq    from_el1
    b       park                    // EL0: cannot happen

from_el3:
    mov32   x1, SCTLR_EL3_EL2_RES1
    msr     sctlr_el3, x1
    isb
    msr     mdcr_el3, xzr           // no debug or PMU trap to EL3
    msr     cptr_el3, xzr           // no FP/SIMD or trace trap to EL3
    mrs     x1, cntfrq_el0          // only EL3 can write it
    cbnz    x1, 1f
    mov32   x1, RPI3_CRYSTAL_HZ
    msr     cntfrq_el0, x1
1:  mov     x1, #SCR_EL3_VALUE
    msr     scr_el3, x1
    mov     x1, #SPSR_EL3_EL2H_MASKED
    msr     spsr_el3, x1
    adr     x1, from_el2
    msr     elr_el3, x1
    eret

from_el2:
    mov32   x1, SCTLR_EL3_EL2_RES1
    msr     sctlr_el2, x1
    isb
    mov     x1, #CPTR_EL2_RES1
    msr     cptr_el2, x1
    msr     hstr_el2, xzr           // no AArch32 system register traps
    mrs     x1, mdcr_el2
    and     x1, x1, #MDCR_EL2_HPMN_MASK
    msr     mdcr_el2, x1            // HPMN kept, no debug or PMU traps
    msr     vttbr_el2, xzr          // no stage 2 (HCR_EL2.VM is 0 anyway)
    mrs     x1, midr_el1            // EL1 reads MIDR and MPIDR from these
    msr     vpidr_el2, x1
    mrs     x1, mpidr_el1
    msr     vmpidr_el2, x1
    msr     cnthp_ctl_el2, xzr      // the EL2 timer off
    mov     x1, #CNTHCTL_EL2_EL1_TIMER_ACCESS
    msr     cnthctl_el2, x1
    msr     cntvoff_el2, xzr
    mov     x1, #HCR_EL2_RW
    msr     hcr_el2, x1
    mov32   x1, SCTLR_EL1_VALUE     // EL1 starts with its MMU and caches off,
    msr     sctlr_el1, x1           // whatever tables a loader left
    mov     x1, #SPSR_EL2_EL1H_MASKED
    msr     spsr_el2, x1
    adr     x1, from_el1
    msr     elr_el2, x1
    eret

from_el1:
    msr     daifset, #0xf           // a loader may have left them unmasked
    msr     spsel, #1               // the kernel's stack is SP_EL1
    mov32   x1, SCTLR_EL1_VALUE
    msr     sctlr_el1, x1
    isb
    msr     cpacr_el1, xzr          // FP/SIMD traps at EL0 and EL1
    msr     cntkctl_el1, xzr        // EL0 reaches no counter or timer
    mov     x1, #MDSCR_EL1_TDCC
    msr     mdscr_el1, x1
    msr     pmuserenr_el0, xzr      // EL0 reaches no performance counter
    msr     tpidr_el0, xzr          // no value left by the loader for EL0
    msr     tpidrro_el0, xzr
    msr     tpidr_el1, xzr
    msr     cntp_ctl_el0, xzr       // both EL1 timers off
    msr     cntv_ctl_el0, xzr
    isb

    ldr     x0, =__image_start      // no stale cache line may shadow what
    ldr     x1, =__image_end        // is written below (mmu_on.S)
    bl      rpi3_dcache_invalidate_range

    ldr     x1, =__kernel_stack_bottom // 16-byte aligned bounds (kernel8.ld)
    ldr     x2, =__kernel_stack_top
    ldr     x3, =KERNEL_STACK_FILL
    bl      fill_range
    mov     sp, x2

    ldr     x1, =__bss_start        // 16-byte aligned bounds (kernel8.ld)
    ldr     x2, =__bss_end
    mov     x3, xzr
    bl      fill_range

    ldr     x1, =rpi3_vectors
    msr     vbar_el1, x1
    isb

    mov     x0, x20
    bl      rpi3_main
park:
    wfe
    b       park

/* Fill [x1, x2), both 16-byte aligned, with x3; x1 ends at x2. Uses no
 * stack. */
fill_range:
    cmp     x1, x2
    b.hs    1f
    stp     x3, x3, [x1], #16
    b       fill_range
1:  ret

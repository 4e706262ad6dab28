/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The two steps of turning the MMU on that C cannot express: cache
 * maintenance by address, and the register writes in their architectural
 * order. Both run only at boot, with the MMU and the caches still off
 * (hal/rpi3/mmu.c). They are the only cache maintenance instructions in
 * the image (scripts/check-rpi3-image.py is told so by tests/qemu).
 */

/* void rpi3_dcache_invalidate_range(uintptr_t start, uintptr_t end)
 * Drop every data cache line holding any byte of [start, end), to the
 * point of coherency, without writing it back. With the data cache off the
 * kernel's stores went straight to RAM; a line left over from before reset
 * or from a loader that ran with caches on would otherwise shadow them
 * once caches come on, or be written back over them. Uses no stack:
 * boot.S calls it before there is one. Clobbers x0-x4. */
    .text
    .global rpi3_dcache_invalidate_range
    .type   rpi3_dcache_invalidate_range, %function
rpi3_dcache_invalidate_range:
    mrs     x2, ctr_el0
    ubfx    x2, x2, #16, #4         // DminLine: log2 of the line in words
    mov     x3, #4
    lsl     x3, x3, x2              // the smallest data cache line, in bytes
    sub     x4, x3, #1
    bic     x0, x0, x4
1:  cmp     x0, x1
    b.hs    2f
    dc      ivac, x0
    add     x0, x0, x3
    b       1b
2:  dsb     sy
    ret
    .size   rpi3_dcache_invalidate_range, . - rpi3_dcache_invalidate_range

/* void rpi3_mmu_enable(uint64_t mair, uint64_t tcr, uint64_t ttbr0,
 *                      uint64_t sctlr)
 * Load the translation registers, forget every TLB entry and instruction
 * cache line from before (neither is architecturally reset), then write
 * SCTLR_EL1 with the MMU and caches on. The caller runs on an identity
 * map, so the next instruction is found at the same address. */
    .global rpi3_mmu_enable
    .type   rpi3_mmu_enable, %function
rpi3_mmu_enable:
    msr     mair_el1, x0
    msr     tcr_el1, x1
    msr     ttbr0_el1, x2
    msr     ttbr1_el1, xzr          // never walked (TCR_EL1.EPD1)
    dsb     ish                     // the tables are in RAM
    isb                             // the new registers are in force
    tlbi    vmalle1
    dsb     nsh
    ic      iallu
    dsb     nsh
    isb
    msr     sctlr_el1, x3
    isb
    ret
    .size   rpi3_mmu_enable, . - rpi3_mmu_enable

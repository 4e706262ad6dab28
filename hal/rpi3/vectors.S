/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The EL1 exception vector table and the two paths between EL0 and EL1.
 *
 * VBAR_EL1 points at rpi3_vectors: 2 KiB aligned, 16 entries of 0x80 bytes,
 * in four groups of four (synchronous, IRQ, FIQ, SError):
 *   +0x000 from EL1 using SP_EL0     +0x400 from EL0 in AArch64
 *   +0x200 from EL1 using SP_EL1     +0x600 from EL0 in AArch32
 * Three entries are expected:
 *   - a synchronous exception from EL0 in AArch64 (+0x400), which is how
 *     `svc #0` arrives, and with it a domain's faults (an undefined
 *     instruction, an abort). It saves the domain's registers straight
 *     into the context the HAL last resumed and calls rpi3_trap_from_el0()
 *     with ESR_EL1.
 *   - an IRQ from EL0 in AArch64 (+0x480): domains run with IRQs unmasked,
 *     and the timer's IRQ ends a domain's time slice (irq.c). It saves the
 *     registers the same way and calls rpi3_trap_irq_from_el0(). The
 *     kernel runs with DAIF masked, so an IRQ from EL1 (+0x280) cannot
 *     happen and stays unexpected; FIQ and SError stay masked at EL0 too.
 *   - an abort of the kernel itself (+0x200) that a domain's tree caused:
 *     the kernel runs under whatever tree TTBR0_EL1 holds (mmu.c), and a
 *     domain's tree may refuse the kernel what the kernel's own tree
 *     allows: a write to a page the domain was granted read-only, or an
 *     entry the core is replacing. If TTBR0_EL1 holds a domain's tree, the
 *     vector moves to the kernel's tree and retries the access; the next
 *     return to user mode puts the domain's tree back. Under the kernel's
 *     own tree, or in this file's code (where a second exception would
 *     lose the first one's ELR, SPSR and ESR), the abort is a kernel bug.
 * Every other entry, and a kernel abort that is not retried, calls
 * rpi3_trap_unexpected() with its entry number (0-15), which reports and
 * halts.
 *
 * The way back, rpi3_context_restore(), loads a whole context and erets.
 * It resets SP_EL1 to the top of the kernel stack first: the kernel keeps
 * nothing on its stack between entries, so each entry starts afresh.
 *
 * Context layout: context_layout.h (x0-x30, SP_EL0, ELR_EL1, SPSR_EL1,
 * TPIDR_EL0).
 */
#include "context_layout.h"

/* Store (stp) or load (ldp) x2-x29 of the context x0 points at, in pairs. */
.macro registers_x2_to_x29 op
    \op     x2, x3, [x0, #CONTEXT_X0 + 16]
    \op     x4, x5, [x0, #CONTEXT_X0 + 32]
    \op     x6, x7, [x0, #CONTEXT_X0 + 48]
    \op     x8, x9, [x0, #CONTEXT_X0 + 64]
    \op     x10, x11, [x0, #CONTEXT_X0 + 80]
    \op     x12, x13, [x0, #CONTEXT_X0 + 96]
    \op     x14, x15, [x0, #CONTEXT_X0 + 112]
    \op     x16, x17, [x0, #CONTEXT_X0 + 128]
    \op     x18, x19, [x0, #CONTEXT_X0 + 144]
    \op     x20, x21, [x0, #CONTEXT_X0 + 160]
    \op     x22, x23, [x0, #CONTEXT_X0 + 176]
    \op     x24, x25, [x0, #CONTEXT_X0 + 192]
    \op     x26, x27, [x0, #CONTEXT_X0 + 208]
    \op     x28, x29, [x0, #CONTEXT_X0 + 224]
.endm

/* Save all of EL0's state into *rpi3_resumed_context, with the domain's x0
 * and x1 waiting on the kernel stack (pushed by the vector entry) while they
 * serve as scratch registers. Leaves the stack as it was before the push.
 * Without a context (an EL0 exception before any resume, which cannot
 * happen) it reports entry number `number` instead. */
.macro save_el0_context number
    adrp    x0, rpi3_resumed_context
    ldr     x0, [x0, :lo12:rpi3_resumed_context]
    cbnz    x0, 1f
    mov     x0, #\number
    b       unexpected
1:  registers_x2_to_x29 stp
    str     x30, [x0, #CONTEXT_X30]
    ldp     x2, x3, [sp], #16       // the domain's x0 and x1
    stp     x2, x3, [x0, #CONTEXT_X0]
    mrs     x1, sp_el0
    str     x1, [x0, #CONTEXT_SP_EL0]
    mrs     x2, elr_el1
    mrs     x3, spsr_el1
    stp     x2, x3, [x0, #CONTEXT_ELR]
    mrs     x2, tpidr_el0
    str     x2, [x0, #CONTEXT_TPIDR_EL0]
.endm

/* One vector entry that is not expected: report entry number `number`. */
.macro unexpected_entry number
    .balign 0x80
    mov     x0, #\number
    b       unexpected
.endm

    .section .text.vectors, "ax"
    .balign 2048
    .global rpi3_vectors
rpi3_vectors:
    unexpected_entry 0      // EL1 with SP_EL0: synchronous
    unexpected_entry 1      //                  IRQ
    unexpected_entry 2      //                  FIQ
    unexpected_entry 3      //                  SError
    .balign 0x80            // EL1 with SP_EL1: synchronous
    msr     tpidr_el1, x0           // scratch: TPIDR_EL1 is unused, and SP_EL0
    msr     sp_el0, x1              // holds nothing while the kernel runs
    b       kernel_abort
    unexpected_entry 5      //                  IRQ
    unexpected_entry 6      //                  FIQ
    unexpected_entry 7      //                  SError

    .balign 0x80            // EL0 in AArch64: synchronous (syscalls, faults)
    stp     x0, x1, [sp, #-16]!     // scratch pair on the kernel stack
    b       el0_synchronous
    .balign 0x80            //                 IRQ (the timer)
    stp     x0, x1, [sp, #-16]!
    b       el0_irq
    unexpected_entry 10     //                 FIQ
    unexpected_entry 11     //                 SError
    unexpected_entry 12     // EL0 in AArch32: synchronous
    unexpected_entry 13     //                 IRQ
    unexpected_entry 14     //                 FIQ
    unexpected_entry 15     //                 SError

/* A synchronous exception from EL0: save its state, then call
 * rpi3_trap_from_el0(ESR_EL1). */
el0_synchronous:
    save_el0_context 8
    mrs     x0, esr_el1
    bl      rpi3_trap_from_el0      // resumes a context or halts
    b       .

/* An IRQ from EL0: save its state the same way, then call
 * rpi3_trap_irq_from_el0(). */
el0_irq:
    save_el0_context 9
    bl      rpi3_trap_irq_from_el0  // resumes a context or halts
    b       .

/* A synchronous exception taken at EL1, with the kernel's x0 and x1 in
 * TPIDR_EL1 and SP_EL0. Retried under the kernel's tree if it is an
 * instruction or data abort for translation, access flag, permission or
 * TLB conflict, taken outside this file's code, while TTBR0_EL1 holds a
 * tree other than the kernel's (once the MMU is on). It touches only kernel
 * bss, which every tree maps for EL1, and writes it only under the kernel's
 * tree, so nothing here can fault. */
kernel_abort:
    mrs     x0, esr_el1
    lsr     x1, x0, #26             // the exception class
    cmp     x1, #0x25               // a data abort at EL1,
    b.eq    0f
    cmp     x1, #0x21               // or an instruction abort at EL1
    b.ne    kernel_fault
0:  and     x0, x0, #0x3f           // the fault status code
    cmp     x0, #0x30               // TLB conflict
    b.eq    1f
    sub     x0, x0, #0x04           // 0x04-0x0f: translation, access flag
    cmp     x0, #0x0b               // or permission fault, at any level
    b.hi    kernel_fault
1:  mrs     x0, elr_el1
    adr     x1, rpi3_vectors
    cmp     x0, x1
    b.lo    2f
    adr     x1, rpi3_vectors_end
    cmp     x0, x1
    b.lo    kernel_fault            // in the entry or exit path
2:  adrp    x1, rpi3_kernel_ttbr0
    ldr     x1, [x1, :lo12:rpi3_kernel_ttbr0]
    cbz     x1, kernel_fault        // the MMU is not on yet
    mrs     x0, ttbr0_el1
    cmp     x0, x1
    b.eq    kernel_fault            // already the kernel's tree
    msr     ttbr0_el1, x1
    isb
    adrp    x0, rpi3_kernel_tree_retries // counted under the kernel's tree
    ldr     x1, [x0, :lo12:rpi3_kernel_tree_retries]
    add     x1, x1, #1
    str     x1, [x0, :lo12:rpi3_kernel_tree_retries]
    mrs     x0, tpidr_el1
    mrs     x1, sp_el0
    eret

kernel_fault:
    mov     x0, #4
    b       unexpected

/* x0 holds the entry number (an EL0 entry before any context was resumed
 * comes here too, rather than write through a null pointer). Start from the
 * top of the kernel stack: the report and the halt never return to what was
 * interrupted. */
unexpected:
    ldr     x1, =__kernel_stack_top
    mov     sp, x1
    bl      rpi3_trap_unexpected
    b       .

/* _Noreturn void rpi3_context_restore(struct hal_context *ctx)
 * Resume ctx: every register, SP_EL0, TPIDR_EL0 and ELR_EL1, with SP_EL1
 * back at the top of the kernel stack, then eret to where ELR points. Of
 * the saved SPSR only the condition flags (N, Z, C, V) are the domain's:
 * the rest is forced to EL0t with the kernel's masks (SPSR_EL0_MASKS), so
 * that a context however written (by a kernel bug, or by a domain on a
 * machine whose MMU does not keep it from Domain objects) never resumes at
 * EL1 or with interrupts other than the kernel chose. The caller has put
 * the domain's tree in TTBR0_EL1 (rpi3_mmu_user_tree()); the context is
 * kernel memory, mapped for EL1 in every tree. */
    .global rpi3_context_restore
    .type   rpi3_context_restore, %function
rpi3_context_restore:
    ldr     x1, =__kernel_stack_top
    mov     sp, x1
    ldr     x1, [x0, #CONTEXT_SP_EL0]
    msr     sp_el0, x1
    ldp     x1, x2, [x0, #CONTEXT_ELR]
    msr     elr_el1, x1
    and     x2, x2, #SPSR_USER_FLAGS
    mov     x3, #SPSR_EL0_MASKS     // two bits apart: no logical immediate
    orr     x2, x2, x3
    msr     spsr_el1, x2
    ldr     x1, [x0, #CONTEXT_TPIDR_EL0]
    msr     tpidr_el0, x1
    registers_x2_to_x29 ldp
    ldr     x30, [x0, #CONTEXT_X30]
    ldp     x0, x1, [x0, #CONTEXT_X0]
    eret
    .size   rpi3_context_restore, . - rpi3_context_restore

rpi3_vectors_end:                   // the end of the entry and exit paths

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Switching between user-level threads on aarch64 (AAPCS64): the
 * callee-saved x19-x30 and sp, and on a host also d8-d15 (a Pi domain has
 * no FP/SIMD: the kernel leaves it trapped, and libos is built without it).
 * No kernel entry. The frame is 96 bytes of x19..x30, then 64 of d8..d15
 * when LIBOS_SAVE_FP is set.
 */
#if LIBOS_SAVE_FP
#define FRAME 160
#else
#define FRAME 96
#endif

    .macro save_thread
    sub sp, sp, #FRAME
    stp x19, x20, [sp, #0]
    stp x21, x22, [sp, #16]
    stp x23, x24, [sp, #32]
    stp x25, x26, [sp, #48]
    stp x27, x28, [sp, #64]
    stp x29, x30, [sp, #80]
#if LIBOS_SAVE_FP
    stp d8, d9, [sp, #96]
    stp d10, d11, [sp, #112]
    stp d12, d13, [sp, #128]
    stp d14, d15, [sp, #144]
#endif
    mov x9, sp
    str x9, [x0]
    .endm

    .text
    .globl vesper_thread_switch
    .type vesper_thread_switch, %function
/* void vesper_thread_switch(uint64_t *save_sp [x0], uint64_t sp [x1]) */
vesper_thread_switch:
    save_thread
    mov sp, x1
    ldp x19, x20, [sp, #0]
    ldp x21, x22, [sp, #16]
    ldp x23, x24, [sp, #32]
    ldp x25, x26, [sp, #48]
    ldp x27, x28, [sp, #64]
    ldp x29, x30, [sp, #80]
#if LIBOS_SAVE_FP
    ldp d8, d9, [sp, #96]
    ldp d10, d11, [sp, #112]
    ldp d12, d13, [sp, #128]
    ldp d14, d15, [sp, #144]
#endif
    add sp, sp, #FRAME
    ret
    .size vesper_thread_switch, . - vesper_thread_switch

    .globl vesper_thread_begin
    .type vesper_thread_begin, %function
/* void vesper_thread_begin(uint64_t *save_sp [x0], uint64_t stack_top [x1],
 *                          void (*fn)(uint64_t) [x2], uint64_t arg [x3])
 * Save the running thread as vesper_thread_switch does, then call fn(arg)
 * at the top of a new stack; fn never returns. */
vesper_thread_begin:
    save_thread
    mov sp, x1
    mov x29, xzr
    mov x0, x3
    blr x2
    brk #0
    .size vesper_thread_begin, . - vesper_thread_begin

    .section .note.GNU-stack, "", %progbits

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Switching between user-level threads on x86_64 (System V ABI): a switch
 * is a function call, so only the callee-saved registers (rbx, rbp,
 * r12-r15) and the stack pointer change hands. No kernel entry.
 * Saved frame, from the lowest address: r15 r14 r13 r12 rbx rbp, return.
 */
    .macro save_thread
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    .endm

    .text
    .globl vesper_thread_switch
    .type vesper_thread_switch, @function
/* void vesper_thread_switch(uint64_t *save_sp [rdi], uint64_t sp [rsi]) */
vesper_thread_switch:
    save_thread
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size vesper_thread_switch, . - vesper_thread_switch

    .globl vesper_thread_begin
    .type vesper_thread_begin, @function
/* void vesper_thread_begin(uint64_t *save_sp [rdi], uint64_t stack_top [rsi],
 *                          void (*fn)(uint64_t) [rdx], uint64_t arg [rcx])
 * Save the running thread as vesper_thread_switch does, then call fn(arg)
 * at the top of a new stack; fn never returns. */
vesper_thread_begin:
    save_thread
    movq %rsi, %rsp
    xorl %ebp, %ebp
    movq %rcx, %rdi
    call *%rdx
    ud2
    .size vesper_thread_begin, . - vesper_thread_begin

    .section .note.GNU-stack, "", @progbits

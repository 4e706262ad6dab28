/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Stack switching for the host HAL on x86_64 (System V ABI). A voluntary
 * kernel entry is a function call, so only the callee-saved registers
 * (rbx, rbp, r12-r15) and the stack pointer need saving: a few
 * nanoseconds, where swapcontext also makes a signal-mask syscall.
 *
 * Saved frame, from the lowest address: r15 r14 r13 r12 rbx rbp, return.
 */
    .text
    .globl host_switch_stack
    .type host_switch_stack, @function
/* void host_switch_stack(uint64_t *save_sp [rdi], uint64_t new_sp [rsi]) */
host_switch_stack:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size host_switch_stack, . - host_switch_stack

    .globl host_domain_start
    .type host_domain_start, @function
/* First code of a new domain: r12 = entry, r13 = its argument. */
host_domain_start:
    xorl %ebp, %ebp
    movq %r12, %rdi
    movq %r13, %rsi
    call host_domain_main
    ud2
    .size host_domain_start, . - host_domain_start

    .section .note.GNU-stack, "", @progbits

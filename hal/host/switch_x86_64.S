/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Stack switching for the host HAL on x86_64 (System V ABI). A voluntary
 * kernel entry is a function call, so only the callee-saved registers
 * (rbx, rbp, r12-r15) and the stack pointer need saving: a few
 * nanoseconds, where swapcontext also makes a signal-mask syscall.
 *
 * Saved frame, from the lowest address: r15 r14 r13 r12 rbx rbp, return.
 */
/* Push the callee-saved registers and store the stack pointer at (rdi). */
    .macro save_kernel_side
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    .endm

    .text
    .globl host_switch_stack
    .type host_switch_stack, @function
/* void host_switch_stack(uint64_t *save_sp [rdi], uint64_t new_sp [rsi]) */
host_switch_stack:
    save_kernel_side
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size host_switch_stack, . - host_switch_stack

    .globl host_start_domain
    .type host_start_domain, @function
/* void host_start_domain(uint64_t *save_sp [rdi], uint64_t stack_top [rsi],
 *                        uint64_t entry [rdx], uint64_t arg [rcx])
 * Save the kernel's registers as host_switch_stack does, then begin a new
 * domain at the top of its stack. Nothing is written to that stack here:
 * the domain's first call pushes its own return address, as the domain. */
host_start_domain:
    save_kernel_side
    movq %rsi, %rsp
    movq %rdx, %r12
    movq %rcx, %r13
    xorl %ebx, %ebx
    xorl %r14d, %r14d
    xorl %r15d, %r15d
    .size host_start_domain, . - host_start_domain
/* Falls through into host_domain_start. */

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

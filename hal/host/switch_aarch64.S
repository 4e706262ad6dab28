/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Stack switching for the host HAL on aarch64 Linux hosts (AAPCS64): the
 * callee-saved x19-x30 and d8-d15, and sp. Same contract as
 * switch_x86_64.S; the frame is 160 bytes: x19..x30 then d8..d15.
 */
/* Push the callee-saved frame and store the stack pointer at [x0]. */
    .macro save_kernel_side
    sub sp, sp, #160
    stp x19, x20, [sp, #0]
    stp x21, x22, [sp, #16]
    stp x23, x24, [sp, #32]
    stp x25, x26, [sp, #48]
    stp x27, x28, [sp, #64]
    stp x29, x30, [sp, #80]
    stp d8, d9, [sp, #96]
    stp d10, d11, [sp, #112]
    stp d12, d13, [sp, #128]
    stp d14, d15, [sp, #144]
    mov x9, sp
    str x9, [x0]
    .endm

    .text
    .globl host_switch_stack
    .type host_switch_stack, %function
/* void host_switch_stack(uint64_t *save_sp [x0], uint64_t new_sp [x1]) */
host_switch_stack:
    save_kernel_side
    mov sp, x1
    ldp x19, x20, [sp, #0]
    ldp x21, x22, [sp, #16]
    ldp x23, x24, [sp, #32]
    ldp x25, x26, [sp, #48]
    ldp x27, x28, [sp, #64]
    ldp x29, x30, [sp, #80]
    ldp d8, d9, [sp, #96]
    ldp d10, d11, [sp, #112]
    ldp d12, d13, [sp, #128]
    ldp d14, d15, [sp, #144]
    add sp, sp, #160
    ret
    .size host_switch_stack, . - host_switch_stack

    .globl host_start_domain
    .type host_start_domain, %function
/* void host_start_domain(uint64_t *save_sp [x0], uint64_t stack_top [x1],
 *                        uint64_t entry [x2], uint64_t arg [x3])
 * Save the kernel's registers as host_switch_stack does, then begin a new
 * domain at the top of its stack. Nothing is written to that stack here. */
host_start_domain:
    save_kernel_side
    mov sp, x1
    mov x19, x2
    mov x20, x3
    mov x30, xzr
    .size host_start_domain, . - host_start_domain
/* Falls through into host_domain_start. */

    .type host_domain_start, %function
/* First code of a new domain: x19 = entry, x20 = its argument. */
host_domain_start:
    mov x29, xzr
    mov x0, x19
    mov x1, x20
    bl host_domain_main
    brk #0
    .size host_domain_start, . - host_domain_start

    .section .note.GNU-stack, "", %progbits

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * How a domain reaches the kernel on the host HAL, where there is no trap
 * instruction and no thread register: it calls host_trap() with its syscall
 * frame, and the host HAL switches to the kernel's stack; it asks
 * host_ipc_buffer() where its IPC buffer is. On the Pi the same frame
 * travels in registers through `svc #0` and the buffer's address is in
 * TPIDR_EL0 (libos/syscall_aarch64.c). This is part of the host's ABI, so
 * libos reaches it without seeing any HAL or kernel header.
 */
#ifndef VESPER_HOST_TRAP_H
#define VESPER_HOST_TRAP_H

#include <stdint.h>

#include <vesper/syscall.h>

/* Enter the kernel with a syscall. Called on a domain's stack; frame holds
 * the number and arguments and, on return, the results. */
void host_trap(struct vesper_syscall_frame *frame);

/* The running domain's IPC buffer address as the kernel last set it (0 for
 * none): what TPIDR_EL0 holds on the Pi. */
uintptr_t host_ipc_buffer(void);

/* Under AddressSanitizer, a domain that switches stacks by itself (libos's
 * user-level threads) says when it begins telling the sanitizer of a
 * switch and when it has ended on the new stack. A real-time preemption in
 * between would begin a second switch inside the first, which the
 * sanitizer refuses: the HAL then asks the timer again shortly instead.
 * Without the sanitizer nothing needs them. */
void host_stack_switch_begin(void);
void host_stack_switch_end(void);

#endif

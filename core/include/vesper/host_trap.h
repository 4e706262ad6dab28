/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * How a domain enters the kernel on the host HAL, where there is no trap
 * instruction: it calls host_trap() with its syscall frame, and the host HAL
 * switches to the kernel's stack. On the Pi the same frame travels in
 * registers through `svc #0` (libos/syscall_aarch64.c). This is part of the
 * host's ABI, so libos reaches it without seeing any HAL or kernel header.
 */
#ifndef VESPER_HOST_TRAP_H
#define VESPER_HOST_TRAP_H

#include <vesper/syscall.h>

/* Enter the kernel with a syscall. Called on a domain's stack; frame holds
 * the number and arguments and, on return, the results. */
void host_trap(struct vesper_syscall_frame *frame);

#endif

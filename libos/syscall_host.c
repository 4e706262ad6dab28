/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The syscall instruction of the host HAL: a call to its trap trampoline. */
#include <libos/libos.h>
#include <vesper/host_trap.h>

void vesper_syscall(struct vesper_syscall_frame *frame)
{
    host_trap(frame);
}

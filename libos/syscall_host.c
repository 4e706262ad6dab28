/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The syscall instruction of the host HAL, a call to its trap trampoline,
 * and the host's stand-in for TPIDR_EL0. */
#include <libos/libos.h>
#include <vesper/host_trap.h>

void vesper_syscall(struct vesper_syscall_frame *frame)
{
    host_trap(frame);
}

void libos_stack_switch_begin(void)
{
    host_stack_switch_begin();
}

void libos_stack_switch_end(void)
{
    host_stack_switch_end();
}

struct vesper_ipc_buffer *vesper_ipc_buffer(void)
{
    return (struct vesper_ipc_buffer *)host_ipc_buffer();
}

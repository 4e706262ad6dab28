/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The syscall instruction on aarch64: number in x7, arguments in x0-x6,
 * `svc #0`; results come back in x0-x6 (include/vesper/syscall.h). The
 * kernel keeps each domain's IPC buffer address in its TPIDR_EL0.
 */
#include <libos/libos.h>

void vesper_syscall(struct vesper_syscall_frame *frame)
{
    register vesper_word x0 __asm__("x0") = frame->arg[0];
    register vesper_word x1 __asm__("x1") = frame->arg[1];
    register vesper_word x2 __asm__("x2") = frame->arg[2];
    register vesper_word x3 __asm__("x3") = frame->arg[3];
    register vesper_word x4 __asm__("x4") = frame->arg[4];
    register vesper_word x5 __asm__("x5") = frame->arg[5];
    register vesper_word x6 __asm__("x6") = frame->arg[6];
    register vesper_word x7 __asm__("x7") = frame->number;
    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6)
                     : "r"(x7)
                     : "memory");
    frame->arg[0] = x0;
    frame->arg[1] = x1;
    frame->arg[2] = x2;
    frame->arg[3] = x3;
    frame->arg[4] = x4;
    frame->arg[5] = x5;
    frame->arg[6] = x6;
}

struct vesper_ipc_buffer *vesper_ipc_buffer(void)
{
    vesper_word address;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(address));
    return (struct vesper_ipc_buffer *)(uintptr_t)address;
}

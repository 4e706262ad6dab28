/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Stopping the machine.
 *
 * The HAL first reports how deep the kernel stack went (stack.c), which
 * tells whether its 16 KiB are enough, and how often a domain's
 * translation tables refused the kernel an access that it then retried
 * under its own (vectors.S), and how many IRQs came that were not the
 * timer's (irq.c). Under QEMU with -semihosting the Arm
 * semihosting call SYS_EXIT (0x18) ends the emulator with a status:
 * w0 = 0x18, x1 points at the pair {ADP_Stopped_ApplicationExit, status},
 * then `hlt #0xf000`. The call only works from EL1, which is where the
 * kernel runs. A board has no debugger to answer it: the hlt is an
 * undefined instruction there, the vector comes back through hal_halt()
 * (see rpi3_halt_in_progress()), and the core waits for events forever.
 */
#include <stdbool.h>
#include <stdint.h>

#include "hal.h"
#include "kernel.h"
#include "rpi3.h"

#define SEMIHOSTING_SYS_EXIT 0x18u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static volatile bool halting;

bool rpi3_halt_in_progress(void)
{
    return halting;
}

static void semihosting_exit(int status)
{
    const uint64_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint64_t)(int64_t)status};
    register uint64_t operation __asm__("x0") = SEMIHOSTING_SYS_EXIT;
    register const uint64_t *parameter __asm__("x1") = block;
    __asm__ volatile("hlt #0xf000" : "+r"(operation) : "r"(parameter) : "memory");
}

static _Noreturn void wait_forever(void)
{
    for (;;)
        __asm__ volatile("wfe");
}

_Noreturn void hal_halt(int status)
{
    if (!halting) {
        halting = true;
        kprintf("vesper: kernel stack: %lu of %lu bytes used\n", rpi3_kernel_stack_used(),
                (unsigned long)(__kernel_stack_top - __kernel_stack_bottom));
        if (!rpi3_kernel_stack_intact())
            kprintf("vesper: the kernel stack reached its guard\n");
        if (rpi3_kernel_tree_retries != 0)
            kprintf("vesper: the kernel retried %lu accesses under its own translation tables\n",
                    (unsigned long)rpi3_kernel_tree_retries);
        rpi3_irq_report();
        semihosting_exit(status);
    }
    wait_forever();
}

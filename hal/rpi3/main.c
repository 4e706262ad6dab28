/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The Raspberry Pi 3 HAL's C entry: boot.S calls rpi3_main() at EL1 on the
 * kernel stack with bss cleared and the vectors installed. It brings up the
 * console and the clock, prints the HAL's banner, boots the kernel and
 * enters the root domain at EL0. From then on the kernel runs only when an
 * exception brings it back (traps.c).
 */
#include <stdint.h>

#include "console.h"
#include "hal.h"
#include "kernel.h"
#include "rpi3.h"

static void print_banner(void)
{
    kprintf("vesper: rpi3 HAL at EL%u, CNTFRQ %lu Hz\n",
            (unsigned)(read_currentel() >> 2) & 3u, (unsigned long)read_cntfrq_el0());
}

_Noreturn void rpi3_main(void)
{
    rpi3_console_init();
    rpi3_clock_init();
    print_banner();
    struct hal_context *ctx = kernel_boot();
    if (ctx == NULL) /* kernel_boot() panics rather than return NULL */
        hal_halt(kernel_exit_status());
    rpi3_resume(ctx);
}

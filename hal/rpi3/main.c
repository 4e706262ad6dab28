/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The Raspberry Pi 3 HAL's C entry: boot.S calls rpi3_main() at EL1 on the
 * kernel stack with bss cleared and the vectors installed. It brings up the
 * console and the clock, prints the HAL's banner, boots the kernel and
 * enters the root domain at EL0. From then on the kernel runs only when an
 * exception brings it back (traps.c).
 */
#include <stdint.h>

#include "hal.h"
#include "kernel.h"
#include "rpi3.h"

static void print_banner(void)
{
    rpi3_console_put_string("vesper: rpi3 HAL at EL");
    rpi3_console_put_decimal((read_currentel() >> 2) & 3u);
    rpi3_console_put_string(", CNTFRQ ");
    rpi3_console_put_decimal(read_cntfrq_el0());
    rpi3_console_put_string(" Hz\n");
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

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The Raspberry Pi 3 HAL's C entry: boot.S calls rpi3_main() at EL1 on the
 * kernel stack with bss cleared, the vectors installed and the system
 * registers in a known state. It brings up the console and the clock,
 * prints the HAL's banner, learns how much RAM the ARM owns, turns the MMU
 * and the caches on, routes the timer's interrupt, boots the kernel and
 * enters the root domain at EL0. From then on the kernel runs only when an
 * exception brings it back: a syscall or fault (traps.c) or the timer's
 * IRQ (irq.c).
 */
#include <stdbool.h>
#include <stdint.h>

#include "hal.h"
#include "kernel.h"
#include "mailbox.h"
#include "rpi3.h"

static void print_banner(unsigned long entry_level)
{
    kprintf("vesper: rpi3 HAL at EL%u, CNTFRQ %lu Hz, entered at EL%lu\n",
            (unsigned)(read_currentel() >> 2) & 3u,
            (unsigned long)rpi3_clock_frequency(), entry_level);
}

_Noreturn void rpi3_main(unsigned long entry_level)
{
    rpi3_console_init();
    bool frequency_reported = rpi3_clock_init();
    print_banner(entry_level);
    if (!frequency_reported)
        kprintf("vesper: WARNING: CNTFRQ_EL0 reads 0; the clock assumes %u Hz\n",
                RPI3_CRYSTAL_HZ);
    rpi3_memory_init(); /* the mailbox, while the data cache is off */
    rpi3_mmu_init(rpi3_ram_end());
    rpi3_irq_init(); /* before the kernel arms the first time slice */
    struct hal_context *ctx = kernel_boot();
    if (ctx == NULL) /* kernel_boot() panics rather than return NULL */
        hal_halt(kernel_exit_status());
    rpi3_resume(ctx);
}

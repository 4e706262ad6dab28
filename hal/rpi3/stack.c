/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Watching the one kernel stack (16 KiB, kernel8.ld).
 *
 * Once the MMU is on, the page below the stack is unmapped (kernel8.ld,
 * mmu.c): an overflow faults there, and the EL1 vector reports it and
 * halts. Before that, while the MMU is off, nothing can fault, so boot.S
 * fills the stack with RPI3_KERNEL_STACK_FILL before the kernel first uses
 * it; the lowest RPI3_STACK_GUARD_BYTES are never meant to be reached.
 * Once the MMU is on they still tell of a stack that came within that many
 * bytes of its end, or of a stray write from below.
 *
 * When the guard is checked: on every interrupt from a domain (each time
 * slice ends with one), on every fault a domain takes, and at halt; not on
 * each return to a domain. A changed word stays changed, so the next check
 * finds it whenever it comes; checking on every return found it a few
 * syscalls sooner at the price of a third of the IPC fast path on this
 * HAL (docs/decisions.md).
 *
 * The same pattern tells how deep the kernel has gone, which the HAL
 * reports at halt.
 */
#include <stdbool.h>
#include <stdint.h>

#include "hal.h"
#include "kernel.h"
#include "rpi3.h"

static const volatile uint64_t *stack_words(void)
{
    return (const volatile uint64_t *)(uintptr_t)__kernel_stack_bottom;
}

bool rpi3_kernel_stack_intact(void)
{
    const volatile uint64_t *words = stack_words();
    for (unsigned i = 0; i < RPI3_STACK_GUARD_BYTES / sizeof *words; i++)
        if (words[i] != RPI3_KERNEL_STACK_FILL)
            return false;
    return true;
}

void rpi3_kernel_stack_check(void)
{
    if (!rpi3_kernel_stack_intact())
        kernel_panic("the kernel stack reached its guard");
}

unsigned long rpi3_kernel_stack_used(void)
{
    const volatile uint64_t *words = stack_words();
    uintptr_t size = (uintptr_t)__kernel_stack_top - (uintptr_t)__kernel_stack_bottom;
    uintptr_t untouched = 0;
    while (untouched < size && words[untouched / sizeof *words] == RPI3_KERNEL_STACK_FILL)
        untouched += sizeof *words;
    return (unsigned long)(size - untouched);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Watching the one kernel stack (16 KiB, kernel8.ld).
 *
 * Once the MMU is on, the page below the stack is unmapped (kernel8.ld,
 * mmu.c): an overflow faults there, and the EL1 vector reports it and
 * halts. Before that, while the MMU is off, nothing can fault, so boot.S
 * fills the stack with RPI3_KERNEL_STACK_FILL before the kernel first uses
 * it; the lowest RPI3_STACK_GUARD_BYTES are never meant to be reached, and
 * the HAL checks them each time it returns to a domain and panics if they
 * changed, which would also catch a stray write from below. The same
 * pattern tells how deep the kernel has gone, which the HAL reports at
 * halt.
 */
#include <stdbool.h>
#include <stdint.h>

#include "hal.h"
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

unsigned long rpi3_kernel_stack_used(void)
{
    const volatile uint64_t *words = stack_words();
    uintptr_t size = (uintptr_t)__kernel_stack_top - (uintptr_t)__kernel_stack_bottom;
    uintptr_t untouched = 0;
    while (untouched < size && words[untouched / sizeof *words] == RPI3_KERNEL_STACK_FILL)
        untouched += sizeof *words;
    return (unsigned long)(size - untouched);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The few GPIO operations the consoles need to put a UART on GPIO14 and 15:
 * choosing a pin's function and turning its pull-up/down resistors off
 * (BCM2835 ARM Peripherals, chapter 6). QEMU models the registers and
 * ignores what is written; a board needs both steps for the UART to reach
 * the header's pins 8 and 10.
 */
#include <stdint.h>

#include "rpi3.h"

#define GPIO_BASE (RPI3_PERIPHERAL_BASE + 0x200000u)
#define GPFSEL0 (GPIO_BASE + 0x00)   /* function of GPIO0-9, then 10-19, ... */
#define GPPUD (GPIO_BASE + 0x94)     /* pull-up/down control */
#define GPPUDCLK0 (GPIO_BASE + 0x98) /* pull-up/down clock, GPIO0-31 */
#define GPIO_FUNCTION_MASK 7u
#define GPIO_PULL_OFF 0u

/* The pull-up/down sequence needs the control signal held for 150 cycles
 * before and after the clock pulse. */
#define GPIO_PULL_SETUP_CYCLES 150

static void delay_cycles(unsigned cycles)
{
    for (unsigned i = 0; i < cycles; i++)
        __asm__ volatile("nop");
}

void rpi3_gpio_set_function(unsigned pin, uint32_t function)
{
    uintptr_t reg = GPFSEL0 + 4u * (pin / 10u);
    unsigned shift = 3u * (pin % 10u);
    uint32_t value = mmio_read32(reg);
    value &= ~(GPIO_FUNCTION_MASK << shift);
    value |= (function & GPIO_FUNCTION_MASK) << shift;
    mmio_write32(reg, value);
}

void rpi3_gpio_pulls_off(uint32_t mask)
{
    mmio_write32(GPPUD, GPIO_PULL_OFF);
    delay_cycles(GPIO_PULL_SETUP_CYCLES);
    mmio_write32(GPPUDCLK0, mask);
    delay_cycles(GPIO_PULL_SETUP_CYCLES);
    mmio_write32(GPPUD, GPIO_PULL_OFF);
    mmio_write32(GPPUDCLK0, 0);
}

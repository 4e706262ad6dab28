/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The kernel console on the PL011 UART0 (0x3F201000), polled: the default
 * of the rpi3_console build option (console_miniuart.c is the other).
 *
 * On the board GPIO14 (TXD) and GPIO15 (RXD) must be switched to their
 * ALT0 function, which connects them to UART0, with their pull-up/down
 * resistors off; the UART runs from a 48 MHz clock (config.txt:
 * init_uart_clock=48000000) divided down to 115200 baud, 8 data bits, no
 * parity, one stop bit, FIFOs on. QEMU's UART works without any of this
 * and accepts it all. Output waits while the transmit FIFO is full; no
 * interrupts are used. Each line ends in CR LF (console_write.c).
 *
 * Before reconfiguring, set-up waits for the transmitter to finish what the
 * firmware or a loader left in it (bounded, in case the UART is not
 * clocked). GPIO and UART are different peripherals: a barrier separates
 * their accesses, as the BCM2835 manual asks (peripheral_barrier()).
 */
#include <stddef.h>
#include <stdint.h>

#include "hal.h"
#include "rpi3.h"

/* The pins UART0 takes at ALT0 (gpio.c). */
#define UART0_TXD_PIN 14u
#define UART0_RXD_PIN 15u

/* PL011 UART0 registers. */
#define UART0_BASE (RPI3_PERIPHERAL_BASE + 0x201000u)
#define UART_DR (UART0_BASE + 0x00)   /* data */
#define UART_FR (UART0_BASE + 0x18)   /* flags */
#define UART_IBRD (UART0_BASE + 0x24) /* integer baud divisor */
#define UART_FBRD (UART0_BASE + 0x28) /* fractional baud divisor, 1/64ths */
#define UART_LCRH (UART0_BASE + 0x2C) /* line control */
#define UART_CR (UART0_BASE + 0x30)   /* control */
#define UART_IMSC (UART0_BASE + 0x38) /* interrupt mask set/clear */
#define UART_ICR (UART0_BASE + 0x44)  /* interrupt clear */

#define UART_FR_BUSY (1u << 3)                 /* still transmitting */
#define UART_FR_TXFF (1u << 5)                 /* transmit FIFO full */
#define UART_LCRH_FEN (1u << 4)                /* FIFOs enabled */
#define UART_LCRH_WLEN_8 (3u << 5)             /* 8 data bits */
#define UART_CR_UARTEN (1u << 0)
#define UART_CR_TXE (1u << 8)
#define UART_CR_RXE (1u << 9)
#define UART_ICR_ALL 0x7FFu

#define UART_CLOCK_HZ 48000000u
#define UART_BAUD 115200u

/* How many times set-up polls the flag register for the transmitter to
 * drain: at 115200 baud a full 16-byte FIFO takes 1.4 ms, far less than
 * this many reads of a peripheral register. */
#define UART_DRAIN_POLLS 1000000u

/* Program the baud rate divisor clock / (16 * baud) as an integer part and
 * a fraction in 64ths, rounded to the nearest 64th. */
static void uart_set_baud(uint32_t clock_hz, uint32_t baud)
{
    uint32_t divisor_64ths = (4 * clock_hz + baud / 2) / baud;
    mmio_write32(UART_IBRD, divisor_64ths >> 6);
    mmio_write32(UART_FBRD, divisor_64ths & 63u);
}

/* Wait, for a bounded time, until the UART has sent everything it holds. */
static void uart_drain(void)
{
    for (unsigned i = 0; i < UART_DRAIN_POLLS; i++)
        if ((mmio_read32(UART_FR) & UART_FR_BUSY) == 0)
            return;
}

void rpi3_console_init(void)
{
    peripheral_barrier();
    uart_drain();
    mmio_write32(UART_CR, 0); /* off while it is reconfigured */
    peripheral_barrier();
    rpi3_gpio_set_function(UART0_TXD_PIN, RPI3_GPIO_FUNCTION_ALT0);
    rpi3_gpio_set_function(UART0_RXD_PIN, RPI3_GPIO_FUNCTION_ALT0);
    rpi3_gpio_pulls_off((1u << UART0_TXD_PIN) | (1u << UART0_RXD_PIN));
    peripheral_barrier();
    mmio_write32(UART_ICR, UART_ICR_ALL);
    uart_set_baud(UART_CLOCK_HZ, UART_BAUD);
    mmio_write32(UART_LCRH, UART_LCRH_WLEN_8 | UART_LCRH_FEN);
    mmio_write32(UART_IMSC, 0); /* polled: no UART interrupts */
    mmio_write32(UART_CR, UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE);
    peripheral_barrier();
}

void rpi3_console_put_byte(char byte)
{
    while (mmio_read32(UART_FR) & UART_FR_TXFF)
        ;
    mmio_write32(UART_DR, (uint8_t)byte);
}

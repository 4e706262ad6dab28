/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The kernel console on the mini UART (UART1, part of the BCM2835 AUX
 * peripheral at 0x3F215000), polled: built instead of console.c when the
 * rpi3_console build option is 'miniuart'. Output and line endings are the
 * PL011 console's (console_write.c sends every LF as CR LF), 115200 baud,
 * 8N1.
 *
 * Registers (BCM2835 ARM Peripherals, chapter 2, with its errata):
 *   AUX_ENABLES  0x04  bit 0 enables the mini UART; until it is set the
 *                      UART's registers cannot be reached. Bits 1 and 2
 *                      are the two SPI masters, left as they are.
 *   AUX_MU_IO    0x40  data: a write queues a byte, a read takes one.
 *   AUX_MU_IER   0x44  interrupt enables: 0, the console is polled.
 *   AUX_MU_IIR   0x48  written with bits 1 and 2 it empties both FIFOs.
 *   AUX_MU_LCR   0x4C  3 is 8-bit mode (the manual names bit 0 only; the
 *                      errata say both bits are needed).
 *   AUX_MU_MCR   0x50  0: RTS not driven.
 *   AUX_MU_LSR   0x54  bit 0 data ready, bit 5 "transmitter empty", which
 *                      means the 8-byte FIFO can take a byte, bit 6 the
 *                      transmitter idle (FIFO empty, last bit sent).
 *   AUX_MU_CNTL  0x60  bit 0 receiver on, bit 1 transmitter on; bits 2 and
 *                      3 (hardware flow control) off.
 *   AUX_MU_BAUD  0x68  baud = system clock / (8 * (BAUD + 1)).
 *
 * What QEMU's raspi3b models (its bcm2835_aux): the mini UART is its
 * second -serial, AUX_ENABLES always reads 1, bytes written to IO appear at
 * once, LSR always says the transmitter is empty and idle, and IER, IIR and
 * the data path work; LCR, MCR, CNTL and BAUD are ignored, and the GPIO
 * functions have no effect. So QEMU shows that the kernel prints through
 * these registers, and nothing about the baud rate or the pins.
 *
 * What a board needs in addition:
 *   - GPIO14 (TXD1) and GPIO15 (RXD1) at ALT5 with their pull-up/down
 *     resistors off, which set-up does (gpio.c).
 *   - A fixed system (core/VPU) clock, since the mini UART has no clock of
 *     its own and the firmware otherwise scales the core clock with load,
 *     taking the baud rate with it. The divisor below assumes 250 MHz:
 *     config.txt must say `enable_uart=1` (which implies core_freq=250)
 *     and, since some firmware releases do not apply that, `core_freq=250`
 *     as well. `force_turbo=1` would fix the clock at a higher rate than
 *     this divisor expects: leave it out.
 *   - The mini UART on GPIO14/15 only: the Bluetooth chip keeps the PL011
 *     (no dtoverlay line, or disable-bt); `dtoverlay=miniuart-bt` would give
 *     the mini UART to Bluetooth instead.
 *
 * Set-up waits (bounded) for the transmitter to finish what the firmware
 * left in it, and separates GPIO and AUX accesses with barriers, as the
 * PL011 console does.
 */
#include <stdint.h>

#include "hal.h"
#include "rpi3.h"

#define AUX_BASE (RPI3_PERIPHERAL_BASE + 0x215000u)
#define AUX_ENABLES (AUX_BASE + 0x04)
#define AUX_MU_IO (AUX_BASE + 0x40)
#define AUX_MU_IER (AUX_BASE + 0x44)
#define AUX_MU_IIR (AUX_BASE + 0x48)
#define AUX_MU_LCR (AUX_BASE + 0x4C)
#define AUX_MU_MCR (AUX_BASE + 0x50)
#define AUX_MU_LSR (AUX_BASE + 0x54)
#define AUX_MU_CNTL (AUX_BASE + 0x60)
#define AUX_MU_BAUD (AUX_BASE + 0x68)

#define AUX_ENABLES_MINI_UART (1u << 0)
#define AUX_MU_IIR_CLEAR_FIFOS (3u << 1)   /* receive (bit 1) and transmit (bit 2) */
#define AUX_MU_LCR_8BIT 3u
#define AUX_MU_LSR_TX_ROOM (1u << 5)       /* the FIFO can take a byte */
#define AUX_MU_LSR_TX_IDLE (1u << 6)       /* nothing left to send */
#define AUX_MU_CNTL_RX_TX 3u               /* receiver and transmitter on */

/* The pins the mini UART takes at ALT5 (gpio.c). */
#define UART1_TXD_PIN 14u
#define UART1_RXD_PIN 15u

/* The core clock config.txt fixes (enable_uart=1, core_freq=250). */
#define CORE_CLOCK_HZ 250000000u
#define UART_BAUD 115200u

/* How many times set-up polls LSR for the transmitter to drain: at 115200
 * baud the 8-byte FIFO empties in 0.7 ms, far less than this many reads. */
#define UART_DRAIN_POLLS 1000000u

/* BAUD = clock / (8 * baud) - 1, to the nearest: 270 gives 115,313 baud
 * from 250 MHz, 0.1% fast. */
static uint32_t miniuart_divisor(uint32_t clock_hz, uint32_t baud)
{
    return (clock_hz + 4 * baud) / (8 * baud) - 1;
}

static void miniuart_drain(void)
{
    for (unsigned i = 0; i < UART_DRAIN_POLLS; i++)
        if (mmio_read32(AUX_MU_LSR) & AUX_MU_LSR_TX_IDLE)
            return;
}

void rpi3_console_init(void)
{
    peripheral_barrier();
    mmio_write32(AUX_ENABLES, mmio_read32(AUX_ENABLES) | AUX_ENABLES_MINI_UART);
    miniuart_drain();
    mmio_write32(AUX_MU_CNTL, 0); /* off while it is reconfigured */
    mmio_write32(AUX_MU_IER, 0);  /* polled: no interrupts */
    mmio_write32(AUX_MU_IIR, AUX_MU_IIR_CLEAR_FIFOS);
    mmio_write32(AUX_MU_LCR, AUX_MU_LCR_8BIT);
    mmio_write32(AUX_MU_MCR, 0);
    mmio_write32(AUX_MU_BAUD, miniuart_divisor(CORE_CLOCK_HZ, UART_BAUD));
    peripheral_barrier();
    rpi3_gpio_set_function(UART1_TXD_PIN, RPI3_GPIO_FUNCTION_ALT5);
    rpi3_gpio_set_function(UART1_RXD_PIN, RPI3_GPIO_FUNCTION_ALT5);
    rpi3_gpio_pulls_off((1u << UART1_TXD_PIN) | (1u << UART1_RXD_PIN));
    peripheral_barrier();
    mmio_write32(AUX_MU_CNTL, AUX_MU_CNTL_RX_TX);
    peripheral_barrier();
}

void rpi3_console_put_byte(char byte)
{
    while ((mmio_read32(AUX_MU_LSR) & AUX_MU_LSR_TX_ROOM) == 0)
        ;
    mmio_write32(AUX_MU_IO, (uint8_t)byte);
}

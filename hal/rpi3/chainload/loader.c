/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The chainloader: receives a kernel over the PL011 UART and leaves it at
 * __kernel_load_address for entry.S to start. Freestanding and alone: it
 * links none of the kernel's core or HAL, so that it stays a few KiB and
 * keeps working whatever state the kernel's tree is in.
 *
 * It runs at the level the firmware entered it at (EL2), with the MMU and
 * caches off (entry.S), polling the UART, with no interrupts. Timeouts
 * come from the ARM generic timer (CNTPCT_EL0 at CNTFRQ_EL0 Hz).
 *
 * The protocol is in protocol.h and docs/chainload.md. The kernel's bytes
 * go straight to their place as they arrive, with their CRC-32 computed on
 * the way; a frame that fails leaves garbage there, which the next frame
 * overwrites (nothing of the loader lives there).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crc32.h"
#include "protocol.h"

/* chainload.ld: their addresses are the values. */
extern char __kernel_load_address[];
extern char __kernel_max_size[];
extern char __loader_start[];

uint64_t loader_main(uint64_t entry_level);

/* ---- Registers ---------------------------------------------------------- */

#define PERIPHERAL_BASE 0x3F000000u

/* GPIO: function select for pins 10-19, and the pull-up/down sequence of
 * the BCM2835 (which the BCM2837 keeps). */
#define GPIO_BASE (PERIPHERAL_BASE + 0x200000u)
#define GPIO_GPFSEL1 (GPIO_BASE + 0x04u)
#define GPIO_GPPUD (GPIO_BASE + 0x94u)
#define GPIO_GPPUDCLK0 (GPIO_BASE + 0x98u)
#define GPIO_FUNCTION_ALT0 4u
#define UART_TXD_PIN 14u
#define UART_RXD_PIN 15u
/* The manual asks for 150 cycles around the pull clock; a read of a
 * peripheral register takes longer than a cycle, so this many reads are
 * enough. */
#define GPIO_PULL_SETTLE_READS 150u

/* PL011 UART0. */
#define UART_BASE (PERIPHERAL_BASE + 0x201000u)
#define UART_DR (UART_BASE + 0x00u)
#define UART_FR (UART_BASE + 0x18u)
#define UART_IBRD (UART_BASE + 0x24u)
#define UART_FBRD (UART_BASE + 0x28u)
#define UART_LCRH (UART_BASE + 0x2Cu)
#define UART_CR (UART_BASE + 0x30u)
#define UART_IMSC (UART_BASE + 0x38u)
#define UART_ICR (UART_BASE + 0x44u)
#define UART_FR_BUSY (1u << 3)
#define UART_FR_RXFE (1u << 4) /* receive FIFO empty */
#define UART_FR_TXFF (1u << 5) /* transmit FIFO full */
#define UART_LCRH_FEN (1u << 4)
#define UART_LCRH_WLEN_8 (3u << 5)
#define UART_CR_ENABLE ((1u << 0) | (1u << 8) | (1u << 9)) /* UARTEN, TXE, RXE */
#define UART_ICR_ALL 0x7FFu
/* config.txt's init_uart_clock, and the line speed: 115200 8N1. */
#define UART_CLOCK_HZ 48000000u
#define UART_BAUD 115200u
/* A bound on waiting for the transmitter to drain: far more reads than a
 * full FIFO takes to send, in case the UART is not clocked. */
#define UART_DRAIN_POLLS 1000000u

/* The board's crystal, for a counter frequency nobody programmed. */
#define CRYSTAL_HZ 19200000u

static uint32_t read32(uintptr_t address)
{
    return *(volatile const uint32_t *)address;
}

static void write32(uintptr_t address, uint32_t value)
{
    *(volatile uint32_t *)address = value;
}

/* Between accesses to two different peripherals (BCM2835 manual, 1.3). */
static void barrier(void)
{
    __asm__ volatile("dsb sy" : : : "memory");
}

static uint64_t counter(void)
{
    uint64_t value;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(value) : : "memory");
    return value;
}

static uint64_t counter_hz(void)
{
    uint64_t value;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(value));
    return value != 0 ? value : CRYSTAL_HZ;
}

/* ---- The UART ----------------------------------------------------------- */

static void uart_drain(void)
{
    for (uint32_t i = 0; i < UART_DRAIN_POLLS; i++)
        if ((read32(UART_FR) & UART_FR_BUSY) == 0)
            return;
}

/* GPIO14/15 to ALT0 (UART0) with no pulls, then 115200 8N1 from the 48 MHz
 * clock, FIFOs on, no interrupts. QEMU needs none of it and accepts it. */
static void uart_init(void)
{
    barrier();
    uart_drain(); /* what the firmware may still be sending */
    write32(UART_CR, 0);
    barrier();

    uint32_t select = read32(GPIO_GPFSEL1);
    uint32_t tx_shift = (UART_TXD_PIN - 10u) * 3u;
    uint32_t rx_shift = (UART_RXD_PIN - 10u) * 3u;
    select &= ~((7u << tx_shift) | (7u << rx_shift));
    select |= (GPIO_FUNCTION_ALT0 << tx_shift) | (GPIO_FUNCTION_ALT0 << rx_shift);
    write32(GPIO_GPFSEL1, select);
    write32(GPIO_GPPUD, 0); /* pulls off for the pins clocked next */
    for (uint32_t i = 0; i < GPIO_PULL_SETTLE_READS; i++)
        (void)read32(GPIO_GPPUD);
    write32(GPIO_GPPUDCLK0, (1u << UART_TXD_PIN) | (1u << UART_RXD_PIN));
    for (uint32_t i = 0; i < GPIO_PULL_SETTLE_READS; i++)
        (void)read32(GPIO_GPPUD);
    write32(GPIO_GPPUDCLK0, 0);
    barrier();

    /* The divisor clock / (16 * baud), in 64ths, rounded. */
    uint32_t divisor_64ths = (4u * UART_CLOCK_HZ + UART_BAUD / 2u) / UART_BAUD;
    write32(UART_ICR, UART_ICR_ALL);
    write32(UART_IBRD, divisor_64ths >> 6);
    write32(UART_FBRD, divisor_64ths & 63u);
    write32(UART_LCRH, UART_LCRH_WLEN_8 | UART_LCRH_FEN);
    write32(UART_IMSC, 0);
    write32(UART_CR, UART_CR_ENABLE);
    while ((read32(UART_FR) & UART_FR_RXFE) == 0) /* stale input */
        (void)read32(UART_DR);
    barrier();
}

static void put_byte(uint8_t byte)
{
    while (read32(UART_FR) & UART_FR_TXFF)
        ;
    write32(UART_DR, byte);
}

/* Text, each LF sent as CR LF for terminals in raw mode. */
static void put_text(const char *text)
{
    for (; *text != '\0'; text++) {
        if (*text == '\n')
            put_byte('\r');
        put_byte((uint8_t)*text);
    }
}

static void put_decimal(uint64_t value)
{
    char digits[21];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0);
    while (n > 0)
        put_byte((uint8_t)digits[--n]);
}

static void put_hex(uint64_t value)
{
    put_text("0x");
    int shift = 60;
    while (shift > 0 && (value >> shift) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        put_byte((uint8_t)"0123456789abcdef"[(value >> shift) & 0xFu]);
}

/* Iterations of an empty loop between two looks at an empty receive FIFO:
 * some microseconds on a board (each one loads and stores a word of the
 * stack, uncached), against the 87 us a byte takes at 115200 baud and the
 * FIFO's 16 bytes. The pause is for QEMU: each read of a UART register
 * takes the emulator's global lock, which the thread that moves bytes from
 * the socket or pty into the UART needs too, and a loop of nothing but
 * such reads starves that thread on a busy machine. With six busy
 * processes on two cores, a 100 KB transfer took 95 s with the pause and
 * had not ended after 120 s without it. */
#define POLL_PAUSE_ITERATIONS 100u

/* The next byte received, or -1 once the counter passes deadline. */
static int get_byte(uint64_t deadline)
{
    while (read32(UART_FR) & UART_FR_RXFE) {
        if (counter() >= deadline)
            return -1;
        for (volatile unsigned i = 0; i < POLL_PAUSE_ITERATIONS; i++)
            ;
    }
    return (int)(read32(UART_DR) & 0xFFu);
}

/* ---- The protocol ------------------------------------------------------- */

static uint64_t timeout_ticks;

/* The next byte of a frame, or -1 after CHAINLOAD_TIMEOUT_S without one. */
static int get_frame_byte(void)
{
    return get_byte(counter() + timeout_ticks);
}

static void announce(void)
{
    put_text(CHAINLOAD_READY " for a kernel of at most ");
    put_decimal((uintptr_t)__kernel_max_size);
    put_text(" bytes at ");
    put_hex((uintptr_t)__kernel_load_address);
    put_text(" (protocol 1, 115200 8N1)\n");
}

/* Refuse the frame: NAK, then a line that the caller ends. */
static void refuse(const char *why)
{
    put_byte(CHAINLOAD_NAK);
    put_text(CHAINLOAD_PREFIX);
    put_text(why);
}

static void refuse_timeout(const char *waiting_for)
{
    refuse("timed out after ");
    put_decimal(CHAINLOAD_TIMEOUT_S);
    put_text(" s without a byte, waiting for ");
    put_text(waiting_for);
}

/* Idle: answer ENQ with the announcement, skip anything else, and return
 * once the start of a frame has arrived. */
static void wait_for_start(void)
{
    static const uint8_t start[CHAINLOAD_START_LENGTH] = CHAINLOAD_START_BYTES;
    size_t matched = 0;
    while (matched < CHAINLOAD_START_LENGTH) {
        uint8_t byte = (uint8_t)get_byte(UINT64_MAX);
        if (byte == start[matched])
            matched++;
        else
            matched = byte == start[0] ? 1 : 0;
        if (byte == CHAINLOAD_ENQ)
            announce();
    }
}

/* A little-endian 32-bit word of the frame into *word; false on a timeout. */
static bool get_word(uint32_t *word)
{
    uint32_t value = 0;
    for (unsigned i = 0; i < 4; i++) {
        int byte = get_frame_byte();
        if (byte < 0)
            return false;
        value |= (uint32_t)byte << (8 * i);
    }
    *word = value;
    return true;
}

/* The rest of a frame after its start; true once a whole kernel with the
 * right CRC is in place. Every refusal ends its line and leaves the loader
 * idle again. */
static bool receive_frame(void)
{
    uint32_t size;
    if (!get_word(&size)) {
        refuse_timeout("the size\n");
        return false;
    }
    if (size == 0 || size > (uintptr_t)__kernel_max_size) {
        refuse("refused a kernel of ");
        put_decimal(size);
        put_text(" bytes: the size must be 1 to ");
        put_decimal((uintptr_t)__kernel_max_size);
        put_text("\n");
        return false;
    }
    put_byte(CHAINLOAD_ACK);

    uint8_t *kernel = (uint8_t *)__kernel_load_address;
    uint32_t crc = crc32_begin();
    for (uint32_t received = 0; received < size; received++) {
        int byte = get_frame_byte();
        if (byte < 0) {
            refuse_timeout("byte ");
            put_decimal(received);
            put_text(" of ");
            put_decimal(size);
            put_text("\n");
            return false;
        }
        kernel[received] = (uint8_t)byte;
        crc = crc32_byte(crc, (uint8_t)byte);
    }
    crc = crc32_end(crc);

    uint32_t sent_crc;
    if (!get_word(&sent_crc)) {
        refuse_timeout("the CRC-32\n");
        return false;
    }
    if (sent_crc != crc) {
        refuse("checksum mismatch: the ");
        put_decimal(size);
        put_text(" bytes have CRC-32 ");
        put_hex(crc);
        put_text(", the sender says ");
        put_hex(sent_crc);
        put_text("\n");
        return false;
    }
    put_byte(CHAINLOAD_ACK);
    put_text(CHAINLOAD_PREFIX "received ");
    put_decimal(size);
    put_text(" bytes, CRC-32 ");
    put_hex(crc);
    put_text("; starting the kernel at ");
    put_hex((uintptr_t)__kernel_load_address);
    put_text("\n");
    return true;
}

/* Called by entry.S at the loader's own address, with its stack. Returns
 * once a kernel is in place, with the UART done sending. */
uint64_t loader_main(uint64_t entry_level)
{
    uart_init();
    timeout_ticks = counter_hz() * CHAINLOAD_TIMEOUT_S;
    put_text("\n" CHAINLOAD_PREFIX "Vesper's serial chainloader, entered at EL");
    put_decimal(entry_level);
    put_text(", running at ");
    put_hex((uintptr_t)__loader_start);
    put_text("\n");
    announce();
    for (;;) {
        wait_for_start();
        if (receive_frame())
            break;
        put_text(CHAINLOAD_PREFIX "waiting for a kernel\n");
    }
    barrier();
    uart_drain();
    return entry_level;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The BCM2835 system timer as a timer backend: a free-running 64-bit
 * counter at 1 MHz (CLO, CHI) and four 32-bit comparators, of which the
 * ARM may use C1 and C3 (the GPU owns C0 and C2). When CLO equals C1 the
 * timer sets M1 in CS and raises peripheral line 1 until M1 is cleared by
 * writing it back. Only the low 32 bits are compared, so a time more than
 * about 71 minutes ahead fires early, which a sleep service tolerates (it
 * checks the clock and sets the comparator again).
 */
#include <libos/timer.h>

#define SYSTEM_TIMER_PAGE 0x3F003000u
#define SYSTEM_TIMER_LINE 1u /* comparator 1 */

#define CS 0x00u  /* M0-M3: match flags, write 1 to clear */
#define CLO 0x04u
#define CHI 0x08u
#define C1 0x10u
#define M1 (1u << 1)

static volatile uint32_t *reg(volatile void *registers, unsigned offset)
{
    return (volatile uint32_t *)((volatile char *)registers + offset);
}

static uint64_t bcm2835_now_us(volatile void *registers)
{
    uint32_t high, low;
    do { /* read CHI on both sides of CLO: a carry between them shows */
        high = *reg(registers, CHI);
        low = *reg(registers, CLO);
    } while (high != *reg(registers, CHI));
    return (uint64_t)high << 32 | low;
}

static uint64_t bcm2835_now_ns(volatile void *registers)
{
    return bcm2835_now_us(registers) * 1000u;
}

static void bcm2835_acknowledge(volatile void *registers)
{
    *reg(registers, CS) = M1;
}

static void bcm2835_arm(volatile void *registers, uint64_t when_ns)
{
    uint64_t when_us = (when_ns + 999u) / 1000u;
    uint64_t soonest = bcm2835_now_us(registers) + 2u; /* a match it cannot miss */
    bcm2835_acknowledge(registers);
    *reg(registers, C1) = (uint32_t)(when_us > soonest ? when_us : soonest);
}

static void bcm2835_disarm(volatile void *registers)
{
    /* No enable bit: park the comparator a full turn away and clear. */
    *reg(registers, C1) = *reg(registers, CLO) - 1u;
    bcm2835_acknowledge(registers);
}

const struct vesper_timer_device vesper_timer_device = {
    .name = "BCM2835 system timer",
    .address = SYSTEM_TIMER_PAGE,
    .line = SYSTEM_TIMER_LINE,
    .now_ns = bcm2835_now_ns,
    .arm = bcm2835_arm,
    .disarm = bcm2835_disarm,
    .acknowledge = bcm2835_acknowledge,
};

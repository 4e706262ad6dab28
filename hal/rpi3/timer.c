/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The clock and the deadline timer on the ARM generic timer.
 *
 * CNTPCT_EL0 counts at CNTFRQ_EL0 Hz (62.5 MHz in QEMU, 19.2 MHz on the
 * board): the clock is its count since boot converted to nanoseconds. The
 * frequency is read once at boot; a loader that left it 0 (only EL3 can
 * write it, and boot.S does so when entered there) gets the board's
 * crystal frequency rather than a division by zero.
 *
 * The deadline is the EL1 non-secure physical timer, CNTP: its compare
 * value CNTP_CVAL_EL0 holds the count at which the deadline falls, and its
 * condition (CNTP_CTL_EL0.ISTATUS) holds from the moment the count reaches
 * it, so a deadline already past raises the interrupt at once. The timer
 * runs with its interrupt unmasked (IMASK = 0); the per-core controller
 * routes it to core 0's IRQ (irq.c). The kernel at EL1 runs with IRQs
 * masked, so the interrupt is taken only once a domain runs again.
 *
 * Nanoseconds become ticks rounded up: at the compare value the clock
 * already reads the deadline or later, never a tick short of it.
 */
#include <stdbool.h>
#include <stdint.h>

#include "hal.h"
#include "rpi3.h"

#define NS_PER_SECOND 1000000000u

#define CNTP_CTL_ENABLE (1u << 0)
#define CNTP_CTL_IMASK (1u << 1)

static uint64_t count_at_boot;
static uint64_t frequency = RPI3_CRYSTAL_HZ;

bool rpi3_clock_init(void)
{
    count_at_boot = read_cntpct_el0();
    uint64_t reported = read_cntfrq_el0() & UINT32_MAX; /* the upper half is RES0 */
    if (reported == 0)
        return false;
    frequency = reported;
    return true;
}

uint64_t rpi3_clock_frequency(void)
{
    return frequency;
}

/* ticks / frequency seconds in nanoseconds. Whole seconds and the
 * remainder are scaled apart, so nothing overflows for 64-bit counts and
 * 32-bit frequencies (CNTFRQ_EL0 is 32 bits). */
static uint64_t ticks_to_ns(uint64_t ticks, uint64_t frequency)
{
    uint64_t seconds = ticks / frequency;
    uint64_t remainder = ticks % frequency;
    return seconds * NS_PER_SECOND + remainder * NS_PER_SECOND / frequency;
}

/* The inverse, rounded up (the first count at which ticks_to_ns() reaches
 * ns) and saturating at UINT64_MAX instead of wrapping. The remainder's
 * product stays below 2^62: under 10^9 times a 32-bit frequency. */
static uint64_t ns_to_ticks(uint64_t ns, uint64_t frequency)
{
    uint64_t seconds = ns / NS_PER_SECOND;
    uint64_t remainder = ns % NS_PER_SECOND;
    if (seconds > UINT64_MAX / frequency)
        return UINT64_MAX;
    uint64_t ticks = seconds * frequency;
    uint64_t fraction = (remainder * frequency + NS_PER_SECOND - 1) / NS_PER_SECOND;
    return ticks > UINT64_MAX - fraction ? UINT64_MAX : ticks + fraction;
}

uint64_t hal_clock_now_ns(void)
{
    return ticks_to_ns(read_cntpct_el0() - count_at_boot, frequency);
}

#define CNTP_CTL_ISTATUS (1u << 2)

static void write_cntp_ctl(uint64_t value)
{
    __asm__ volatile("msr cntp_ctl_el0, %0\n\tisb" : : "r"(value));
}

static uint64_t read_cntp_ctl(void)
{
    uint64_t value;
    __asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(value));
    return value;
}

static void write_cntp_cval(uint64_t value)
{
    __asm__ volatile("msr cntp_cval_el0, %0" : : "r"(value));
}

/* The compare value first, then the control register: the interrupt is
 * unmasked only once the new deadline is in place, and the isb makes both
 * take effect before the kernel goes on. A compare value of UINT64_MAX
 * (a deadline past the counter's range) is never reached. */
void hal_timer_set_deadline(uint64_t deadline_ns)
{
    if (deadline_ns == HAL_DEADLINE_NONE) {
        write_cntp_ctl(0);
        return;
    }
    uint64_t ticks = ns_to_ticks(deadline_ns, frequency);
    uint64_t compare = ticks > UINT64_MAX - count_at_boot ? UINT64_MAX
                                                          : ticks + count_at_boot;
    write_cntp_cval(compare);
    write_cntp_ctl(CNTP_CTL_ENABLE);
}

bool rpi3_timer_deadline_passed(void)
{
    uint64_t control = read_cntp_ctl();
    return (control & (CNTP_CTL_ENABLE | CNTP_CTL_IMASK | CNTP_CTL_ISTATUS)) ==
           (CNTP_CTL_ENABLE | CNTP_CTL_ISTATUS);
}

void rpi3_timer_disarm(void)
{
    write_cntp_ctl(0);
}


/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The clock and the deadline timer on the ARM generic timer.
 *
 * CNTPCT_EL0 counts at CNTFRQ_EL0 Hz (62.5 MHz in QEMU, 19.2 MHz on the
 * board): the clock is its count since boot converted to nanoseconds. The
 * frequency is read once at boot; a loader that left it 0 (only EL3 can
 * write it, and boot.S does so when entered there) gets the board's
 * crystal frequency rather than a division by zero. The
 * deadline is the EL1 physical timer's compare value, CNTP_CVAL_EL0: the
 * timer condition holds once the count reaches it.
 *
 * There is no interrupt path yet (the BCM2836 per-core controller does not
 * route the timer, and the kernel runs with interrupts masked), so the
 * timer is armed with its interrupt masked (CNTP_CTL_EL0.IMASK): the
 * deadline is programmed and observable, but never fires.
 */
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

/* The inverse, saturating at UINT64_MAX instead of wrapping. */
static uint64_t ns_to_ticks(uint64_t ns, uint64_t frequency)
{
    uint64_t seconds = ns / NS_PER_SECOND;
    uint64_t remainder = ns % NS_PER_SECOND;
    if (seconds > UINT64_MAX / frequency)
        return UINT64_MAX;
    uint64_t ticks = seconds * frequency;
    uint64_t fraction = remainder * frequency / NS_PER_SECOND;
    return ticks > UINT64_MAX - fraction ? UINT64_MAX : ticks + fraction;
}

uint64_t hal_clock_now_ns(void)
{
    return ticks_to_ns(read_cntpct_el0() - count_at_boot, frequency);
}

static void write_cntp_ctl(uint64_t value)
{
    __asm__ volatile("msr cntp_ctl_el0, %0\n\tisb" : : "r"(value));
}

static void write_cntp_cval(uint64_t value)
{
    __asm__ volatile("msr cntp_cval_el0, %0" : : "r"(value));
}

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
    write_cntp_ctl(CNTP_CTL_ENABLE | CNTP_CTL_IMASK);
}

/* The BCM2835 interrupt controller's 64 peripheral lines (pending
 * registers 1 and 2). Taking them is the interrupt path's work; for now
 * the lines are only named, so IRQHandler capabilities can exist. */
unsigned hal_irq_count(void)
{
    return 64;
}

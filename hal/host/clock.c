/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The clock and the deadline timer, in deterministic virtual time.
 *
 * Hardware has a free-running counter and a comparator that raises an
 * interrupt. Here time is a counter the HAL advances by HOST_ENTRY_COST_NS
 * at each kernel entry, so the same run gives the same times, every time.
 * A domain's time passes only as it enters the kernel, so the deadline is
 * noticed there: the run loop asks host_deadline_passed() after each entry
 * and, if so, makes the timer entry before resuming anyone, as hardware
 * takes an interrupt pending when the kernel returns to user mode. A
 * domain that never enters the kernel is never preempted in virtual time.
 * While no domain can run, the run loop moves the clock straight to the
 * next event (the deadline, or a simulated device's), as a CPU waiting for
 * an interrupt lets time pass.
 */
#include "hal.h"
#include "host.h"
#include "host_internal.h"

static uint64_t now_ns;
static uint64_t deadline_ns = HAL_DEADLINE_NONE;

void host_clock_reset(void)
{
    now_ns = 0;
    deadline_ns = HAL_DEADLINE_NONE;
}

void host_clock_charge_entry(void)
{
    now_ns += HOST_ENTRY_COST_NS;
}

uint64_t hal_clock_now_ns(void)
{
    return now_ns;
}

void hal_timer_set_deadline(uint64_t deadline)
{
    deadline_ns = deadline;
}

void host_clock_advance_to(uint64_t time)
{
    if (now_ns < time)
        now_ns = time;
}

bool host_deadline_passed(void)
{
    return deadline_ns != HAL_DEADLINE_NONE && now_ns >= deadline_ns;
}

uint64_t host_timer_deadline(void)
{
    return deadline_ns;
}

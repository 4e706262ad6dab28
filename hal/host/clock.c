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
 *
 * With a seed (host_machine_seed()), each entry costs a different time,
 * from half to one and a half times HOST_ENTRY_COST_NS as a generator
 * seeded with it draws: the deadline then falls at other entries, and a
 * program's domains interleave otherwise, but the same seed still gives
 * the same run.
 *
 * Real time (host_machine_time(HOST_TIME_REAL)) is the host's monotonic
 * clock since the reset, and the deadline is a POSIX timer that sends
 * SIGALRM: a domain that never enters the kernel is preempted all the same
 * (run.c), and waiting for an event sleeps. Runs no longer repeat exactly.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hal.h"
#include "host.h"
#include "host_internal.h"

static uint64_t now_ns;
static uint64_t deadline_ns = HAL_DEADLINE_NONE;

static bool real_time;
static uint64_t real_start_ns; /* the monotonic clock at the reset */
static timer_t real_timer;
static bool real_timer_made;

static uint64_t monotonic_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static struct timespec timespec_of(uint64_t ns)
{
    return (struct timespec){.tv_sec = (time_t)(ns / 1000000000u),
                             .tv_nsec = (long)(ns % 1000000000u)};
}

void host_machine_time(enum host_time mode)
{
    real_time = mode == HOST_TIME_REAL;
}

bool host_time_is_real(void)
{
    return real_time;
}

/* Set the POSIX timer to the deadline (absolute), or disarm it. */
static void set_real_timer(uint64_t deadline)
{
    if (!real_timer_made) {
        struct sigevent event = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
        if (timer_create(CLOCK_MONOTONIC, &event, &real_timer) != 0) {
            perror("vesper: cannot create the real-time timer");
            exit(1);
        }
        real_timer_made = true;
    }
    struct itimerspec when = {0};
    if (deadline != HAL_DEADLINE_NONE)
        when.it_value = timespec_of(real_start_ns + (deadline == 0 ? 1 : deadline));
    timer_settime(real_timer, TIMER_ABSTIME, &when, NULL);
}

/* --seed: the generator of entry costs (xorshift64*), restarted at each
 * reset from the seed, so that a seed gives the same run every time. */
static uint64_t seed, jitter_state;

void host_machine_seed(uint64_t value)
{
    seed = value;
}

static uint64_t entry_cost_ns(void)
{
    if (seed == 0)
        return HOST_ENTRY_COST_NS;
    jitter_state ^= jitter_state >> 12;
    jitter_state ^= jitter_state << 25;
    jitter_state ^= jitter_state >> 27;
    uint64_t draw = (jitter_state * UINT64_C(0x2545f4914f6cdd1d)) >> 32;
    return HOST_ENTRY_COST_NS / 2 + draw % (HOST_ENTRY_COST_NS + 1);
}

void host_clock_reset(void)
{
    now_ns = 0;
    jitter_state = seed ^ UINT64_C(0x9e3779b97f4a7c15);
    deadline_ns = HAL_DEADLINE_NONE;
    real_start_ns = monotonic_ns();
    if (real_timer_made)
        set_real_timer(HAL_DEADLINE_NONE);
}

void host_clock_charge_entry(void)
{
    if (!real_time)
        now_ns += entry_cost_ns();
}

uint64_t hal_clock_now_ns(void)
{
    return real_time ? monotonic_ns() - real_start_ns : now_ns;
}

void hal_timer_set_deadline(uint64_t deadline)
{
    deadline_ns = deadline;
    if (real_time)
        set_real_timer(deadline);
}

void host_clock_rearm_soon(void)
{
    if (real_time && deadline_ns != HAL_DEADLINE_NONE)
        set_real_timer(hal_clock_now_ns() + HOST_REAL_TIME_RETRY_NS);
}

void host_clock_advance_to(uint64_t time)
{
    if (real_time) {
        struct timespec until = timespec_of(real_start_ns + time);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) != 0)
            if (hal_clock_now_ns() >= time)
                break; /* woken by a signal past the time */
        return;
    }
    if (now_ns < time)
        now_ns = time;
}

bool host_deadline_passed(void)
{
    return deadline_ns != HAL_DEADLINE_NONE && hal_clock_now_ns() >= deadline_ns;
}

uint64_t host_timer_deadline(void)
{
    return deadline_ns;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The host HAL's simulated timer (<vesper/host_devices.h>) as a timer
 * backend: a nanosecond clock and one 64-bit comparator.
 */
#include <vesper/host_devices.h>

#include <libos/timer.h>

static volatile struct vesper_host_timer *regs(volatile void *registers)
{
    return registers;
}

static uint64_t host_now_ns(volatile void *registers)
{
    return regs(registers)->now_ns;
}

static void host_arm(volatile void *registers, uint64_t when_ns)
{
    regs(registers)->compare_ns = when_ns;
    regs(registers)->fired = 0;
    regs(registers)->control = VESPER_HOST_TIMER_ENABLE | VESPER_HOST_TIMER_INTERRUPT;
}

static void host_disarm(volatile void *registers)
{
    regs(registers)->control = 0;
    regs(registers)->fired = 0;
}

static void host_acknowledge(volatile void *registers)
{
    regs(registers)->fired = 0;
}

const struct vesper_timer_device vesper_timer_device = {
    .name = "host timer",
    .address = VESPER_HOST_TIMER_ADDRESS,
    .line = VESPER_HOST_TIMER_LINE,
    .now_ns = host_now_ns,
    .arm = host_arm,
    .disarm = host_disarm,
    .acknowledge = host_acknowledge,
};

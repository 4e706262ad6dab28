/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The simulated interrupt controller: HOST_IRQ_LINES level-triggered lines,
 * each with a mask bit.
 *
 * On hardware a device drives a wire; the controller raises the CPU's IRQ
 * while a wire it has not masked is asserted, and the CPU takes it before
 * the next user instruction. Here a simulated device, a test or a fuzzer
 * asserts and deasserts a line (host_irq_set()), and the run loop
 * (run.c), after each kernel entry, makes the interrupt entry for every
 * line that is asserted and unmasked before it resumes anyone, lowest line
 * first. The kernel masks a line as it takes it, so each asserted line
 * makes one entry until the driver Acks it.
 */
#include "hal.h"
#include "host.h"
#include "host_internal.h"

_Static_assert(HOST_IRQ_LINES <= 32, "one bit per line in a word");

static uint32_t asserted;
static uint32_t masked = UINT32_MAX;

void host_irq_reset(void)
{
    asserted = 0;
    masked = UINT32_MAX;
}

unsigned hal_irq_count(void)
{
    return HOST_IRQ_LINES;
}

void hal_irq_mask(unsigned line)
{
    if (line < HOST_IRQ_LINES)
        masked |= 1u << line;
}

void hal_irq_unmask(unsigned line)
{
    if (line < HOST_IRQ_LINES)
        masked &= ~(1u << line);
}

void host_irq_set(unsigned line, bool level)
{
    if (line >= HOST_IRQ_LINES)
        return;
    if (level)
        asserted |= 1u << line;
    else
        asserted &= ~(1u << line);
}

bool host_irq_masked(unsigned line)
{
    return line >= HOST_IRQ_LINES || (masked >> line & 1u) != 0;
}

int host_irq_next(void)
{
    uint32_t raised = asserted & ~masked;
    return raised != 0 ? __builtin_ctz(raised) : -1;
}

/* The kernel's entries come between steps of the run loop, which takes the
 * timer and the lines after each one: what it would take next is pending. */
bool hal_preemption_pending(void)
{
    return host_deadline_passed() || host_irq_next() >= 0;
}

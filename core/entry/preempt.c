/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Preemption points (see preempt.h). */
#include "hal.h"
#include "preempt.h"
#include "state.h"

bool preemption_point(void)
{
    kernel.preemption_points++;
    if (kernel.preempt_test_every != 0)
        return kernel.preemption_points % kernel.preempt_test_every == 0;
    return hal_preemption_pending();
}

void preemption_test_every(uint32_t every)
{
    kernel.preempt_test_every = every;
    kernel.preemption_points = 0;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A domain's saved context on aarch64: what the exception vector saves when
 * EL0 traps into EL1 and what `eret` restores. The layout is shared with
 * the assembly in vectors.S: x0-x30, then SP_EL0, ELR_EL1 and SPSR_EL1.
 */
#ifndef VESPER_HAL_RPI3_CONTEXT_H
#define VESPER_HAL_RPI3_CONTEXT_H

#include <stdint.h>

struct hal_context {
    uint64_t x[31];
    uint64_t sp_el0;
    uint64_t elr;  /* where eret resumes */
    uint64_t spsr; /* saved processor state: EL0t, interrupts unmasked */
};

#define HAL_CONTEXT_SIZE (34 * 8)

_Static_assert(sizeof(struct hal_context) == HAL_CONTEXT_SIZE,
               "vectors.S assumes this layout");

#endif

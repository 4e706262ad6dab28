/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A domain's saved context under the host HAL.
 *
 * On hardware a trap saves every general register. Here a domain enters the
 * kernel only by calling the trap trampoline (a function call), so the only
 * registers to keep are the callee-saved ones, which the trampoline pushes on
 * the domain's own stack, and the stack pointer itself; the syscall words
 * travel in `frame`. Asynchronous entries (signals) arrive with the host's
 * interrupts; they will save a full ucontext beside this.
 */
#ifndef VESPER_HAL_HOST_CONTEXT_H
#define VESPER_HAL_HOST_CONTEXT_H

#include <stdint.h>

#include <vesper/syscall.h>

struct hal_context {
    uint64_t sp;                       /* valid while the domain is switched out */
    struct vesper_syscall_frame frame; /* last syscall in, results out */
    uint64_t stack_base;               /* the domain stack, for AddressSanitizer */
    uint64_t stack_size;
};

#endif

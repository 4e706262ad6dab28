/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The Domain object: the schedulable entity (in Nemesis' sense, not a
 * thread). A domain that is not running keeps its whole state here; the
 * kernel has no per-domain stack.
 */
#ifndef VESPER_CORE_DOMAIN_H
#define VESPER_CORE_DOMAIN_H

#include <stdint.h>

#include "hal.h"

enum domain_state {
    DOMAIN_INACTIVE = 0, /* made but never started; memory is all zero */
    DOMAIN_RUNNABLE,     /* context holds where it resumes */
    DOMAIN_STOPPED,      /* exited or was stopped; never runs again */
};

struct domain {
    /* Saved user registers. Valid whenever the domain is not running on the
     * CPU; the HAL writes them at each kernel entry. */
    struct hal_context context;
    uint32_t state;      /* enum domain_state */
    int32_t exit_status; /* meaningful once state is DOMAIN_STOPPED */
    uintptr_t ipc_buffer; /* address of its IPC buffer frame, or 0 */
};

/* A domain object occupies 2^DOMAIN_SIZE_BITS bytes of Untyped memory. */
#define DOMAIN_SIZE_BITS 10u

_Static_assert(sizeof(struct domain) <= (1u << DOMAIN_SIZE_BITS),
               "struct domain outgrew its object size");

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Activations: how the kernel gives a domain the CPU when it registered an
 * activation entry in its control block (<vesper/control.h>), in the style
 * of Nemesis and Barrelfish. A domain that registered none, or whose block
 * the kernel may not use, is a plain context: it resumes where it stopped.
 *
 * The kernel keeps both save areas of the design: the domain's own
 * context (what resumes a domain taken off the CPU with activations
 * disabled, and every plain context) and `saved`, the context taken with
 * activations enabled, which VESPER_SYS_RESUME brings back. At each upcall
 * that saves, a copy goes to the control block, where the domain reads it
 * and may keep it (a user-level thread's registers); Resume with an
 * address continues such a kept copy after the HAL and the domain's PDom
 * have checked it (hal_context_import()).
 */
#ifndef VESPER_CORE_ACTIVATION_H
#define VESPER_CORE_ACTIVATION_H

#include <stdbool.h>

#include <vesper/control.h>

#include "domain.h"
#include "invoke.h"

/* d's control block as the kernel may use it: registered, RAM, and
 * readable and writable by d's PDom (domain_user_view()); else NULL. */
struct vesper_control *activation_block(const struct domain *d);

/* d, runnable, was just taken off the CPU against its will (its slice or
 * budget ended, or the scheduler took the CPU back). With activations
 * enabled it will be upcalled with VESPER_UPCALL_PREEMPTED when it next
 * runs; with them disabled the block's `missed` records it and it will
 * resume where it stopped. */
void activation_note_preempted(struct domain *d);

/* A signal left bits in the Notification bound to d while d runs or waits
 * to run: upcall it with VESPER_UPCALL_EVENT when it next runs (or, with
 * activations disabled, record it in `missed`). An upcall already pending
 * stays: the handler learns of the bits when it polls. */
void activation_note_event(struct domain *d);

/* d is about to run: make the upcall it has pending, if its block still
 * allows one. */
void activation_make_pending_upcall(struct domain *d);

static inline void activation_before_run(struct domain *d)
{
    if (d->upcall_pending != 0)
        activation_make_pending_upcall(d);
}

/* Upcall d's entry on its activation stack, with the block's address ORed
 * with reason as its argument, and set `disabled`.
 * With save, d's context goes to the save area first; without, it is
 * dropped (the scheduler's upcall: it has nothing to go back to). False,
 * changing nothing, when d has no usable block and entry. */
bool activation_upcall(struct domain *d, unsigned reason, bool save);

/* Forget d's activation state: it stopped. */
void activation_reset(struct domain *d);

/* d faulted (kind and the four words a fault endpoint would get): if d's
 * block asks for faults and activations are enabled, save d's context,
 * record the fault in the block and upcall d with VESPER_UPCALL_FAULT.
 * False, changing nothing, otherwise: the fault goes to d's endpoint. */
bool activation_fault_upcall(struct domain *d, uint32_t kind, const uint64_t words[4]);

/* VESPER_SYS_RESUME: continue a saved context (the kernel's, or one the
 * caller keeps in its memory) and enable activations. */
struct syscall_result sys_resume(struct domain *caller, const struct vesper_syscall_frame *frame);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The IPC fast path: Call and ReplyRecv with a short message (at most the
 * four register words) and no capabilities, when the partner is already
 * waiting. It hands the CPU over directly, skipping the general path, and
 * leaves exactly the state and results the general path would.
 */
#ifndef VESPER_CORE_FASTPATH_H
#define VESPER_CORE_FASTPATH_H

#include <stdbool.h>

#include <vesper/syscall.h>

#include "domain.h"

/* Handle the syscall if it qualifies; false (nothing changed) if not. */
bool fastpath_try(struct domain *caller, const struct vesper_syscall_frame *frame);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Preemption points (docs/preemption.md): where an operation whose work
 * grows with what a caller made may stop early, so that no kernel entry
 * keeps an interrupt or the end of a budget waiting for long.
 *
 * Such an operation does one bounded step of work, then asks
 * preemption_point(). When it answers true the operation leaves every
 * object in a state where all invariants hold and its progress is recorded
 * in the objects themselves, and answers result_restart(): the caller's
 * syscall is not ended but made again when the caller next runs
 * (hal_context_restart_syscall()), and each time it continues from the
 * progress the objects record. The caller sees no error; the final result
 * is the one an unpreempted run gives. An operation always does at least
 * one step before its first point, so every restart makes progress.
 */
#ifndef VESPER_CORE_PREEMPT_H
#define VESPER_CORE_PREEMPT_H

#include <stdbool.h>
#include <stdint.h>

/* Whether the operation in progress should stop here: an interrupt or the
 * timer's deadline waits (hal_preemption_pending()), or the test hook says
 * so. */
bool preemption_point(void);

/* The test hook: from now on, every `every`-th preemption point answers
 * true and no other does (0: back to the hardware's answer). For tests
 * and fuzzers that check an operation preempted at every point ends as an
 * unpreempted one does. */
void preemption_test_every(uint32_t every);

#endif

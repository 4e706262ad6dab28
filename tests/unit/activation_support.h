/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * What the activation tests share (test_activation.c, test_resume_context.c):
 * taking the CPU from a domain by the timer, and comparing two host
 * contexts field by field.
 */
#ifndef VESPER_TEST_ACTIVATION_SUPPORT_H
#define VESPER_TEST_ACTIVATION_SUPPORT_H

#include "ipc_support.h"

#include "kernel.h"

/* The timer ends d's slice: the kernel takes the CPU from it. */
static inline void preempt(struct domain *d)
{
    assert_ptr_equal(kernel.current, d);
    hal_timer_set_deadline(0);
    assert_non_null(kernel_entry_timer());
    assert_ptr_not_equal(kernel.current, d);
    assert_int_equal(d->state, DOMAIN_RUNNABLE);
    assert_invariants();
}

static inline void assert_same_context(const struct hal_context *got, const struct hal_context *want)
{
    assert_int_equal(got->sp, want->sp);
    assert_memory_equal(&got->frame, &want->frame, sizeof got->frame);
    assert_int_equal(got->stack_base, want->stack_base);
    assert_int_equal(got->stack_size, want->stack_size);
    assert_int_equal(got->start_entry, want->start_entry);
    assert_int_equal(got->start_arg, want->start_arg);
    assert_int_equal(got->fresh, want->fresh);
    assert_int_equal(got->exception_pc, want->exception_pc);
    assert_int_equal(got->resume_pc, want->resume_pc);
    assert_int_equal(got->in_exception, want->in_exception);
    assert_int_equal(got->ipc_buffer, want->ipc_buffer);
}

#endif

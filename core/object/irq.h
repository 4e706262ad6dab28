/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Interrupt lines as capabilities: IRQControl hands out one IRQHandler per
 * line, and a handler binds its line to a notification. The binding is a
 * real capability in a kernel slot per line, so revoking the notification
 * capability it came from unbinds the line.
 */
#ifndef VESPER_CORE_IRQ_H
#define VESPER_CORE_IRQ_H

#include <stdbool.h>

#include "cap.h"

/* A line is masked at the controller unless it is claimed, bound to a
 * notification and not pending: only then can it raise an interrupt. */
struct irq_line {
    bool claimed;             /* an IRQHandler capability exists for the line */
    bool pending;             /* raised and not yet Acked (claimed lines only) */
    struct cte notification;  /* empty, or the notification it signals */
    uint64_t raised;          /* interrupts taken on the line since boot */
};

/* The line was raised: mask it, and signal its handler's notification. */
void irq_raise(unsigned line);

/* slot was emptied by a deletion (a revoke, or the notification's Untyped
 * going): if it is a line's binding, the line is unbound now, so mask it. */
void irq_binding_removed(const struct cte *slot);

/* Whether some line can still raise an interrupt that wakes a driver:
 * claimed, bound and not pending. While one can, the kernel idles rather
 * than stop when no domain can run. */
bool irq_any_armed(void);

/* Forget every claim and binding, and mask every line (boot). */
void irq_reset(void);

/* The last IRQHandler of the line is gone: unclaim and unbind it, and
 * mask it (forgetting an interrupt that was pending). */
void irq_release(unsigned line);

#endif

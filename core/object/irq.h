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

struct irq_line {
    bool claimed;             /* an IRQHandler capability exists for the line */
    struct cte notification;  /* empty, or the notification it signals */
};

/* Forget every claim and binding (boot). */
void irq_reset(void);

/* The last IRQHandler of the line is gone: unclaim and unbind it. */
void irq_release(unsigned line);

#endif

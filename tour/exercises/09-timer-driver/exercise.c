/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Tour exercise 09: a driver for the simulated timer
 * (docs/tour/09-interrupts.md).
 *
 * The root becomes a driver. It holds the timer's device Frame, mapped at
 * VESPER_HOST_TIMER_ADDRESS (<vesper/host_devices.h> describes the
 * registers), and an IRQHandler for the timer's line bound to a
 * Notification through a capability with badge 0x1. It asks for three
 * ticks, each 1 ms after the previous, and checks the times.
 *
 * Your task: write sleep_until(), which blocks until the clock reaches
 * `when` and returns the clock then. With no busy waiting: set the
 * comparator (compare_ns, fired = 0, control = VESPER_HOST_TIMER_ENABLE |
 * VESPER_HOST_TIMER_INTERRUPT), Wait on the Notification, then service the
 * device (fired = 0, control = 0: it asserts its line while `fired` is set)
 * and Ack the IRQHandler (vesper_irq_handler_ack), which unmasks the line.
 * libos/devices/timer_host.c and libos/timer.c do the same for the sleep
 * service.
 *
 * Check it with: meson test -C build --suite exercises 09-timer-driver
 */
#include <libos/format.h>
#include <vesper/host_devices.h>
#include <vesper/sim.h>

#include "child_domain.h"

#define TICK_NS 1000000u /* 1 ms */

static uint64_t sleep_until(volatile struct vesper_host_timer *timer, uint64_t when,
                            vesper_cptr notification, vesper_cptr handler)
{
    (void)when, (void)notification, (void)handler;
    /* EXERCISE: arm, wait, service, Ack; then return the clock. */
    return timer->now_ns;
}

int vesper_main(const struct vesper_bootinfo *bootinfo)
{
    struct carver c;
    vesper_cptr frame, notification, badged, handler;
    if (!carver_init(&c, bootinfo) ||
        carve_device_frame(&c, bootinfo, VESPER_HOST_TIMER_ADDRESS, VESPER_ROOT_SLOT_PDOM,
                           &frame) != VESPER_OK ||
        carve(&c, "retype a Notification", VESPER_OBJECT_NOTIFICATION, 0, 1, &notification) !=
            VESPER_OK) {
        vesper_printf("tour 09: cannot %s\n", c.failed);
        return 1;
    }
    badged = c.next++;
    handler = c.next++;
    enum vesper_error error = vesper_cnode_mint(CHILD_ROOT_CNODE, badged, CHILD_ROOT_DEPTH,
                                                CHILD_ROOT_CNODE, notification, CHILD_ROOT_DEPTH,
                                                VESPER_RIGHTS_ALL, 0x1);
    if (error == VESPER_OK)
        error = vesper_irq_control_get(VESPER_ROOT_SLOT_IRQ_CONTROL, VESPER_HOST_TIMER_LINE,
                                       CHILD_ROOT_CNODE, handler, CHILD_ROOT_DEPTH);
    if (error == VESPER_OK)
        error = vesper_irq_handler_set_notification(handler, badged);
    if (error != VESPER_OK) {
        vesper_printf("tour 09: cannot claim the timer's line: %s\n", vesper_error_name(error));
        return 1;
    }
    volatile struct vesper_host_timer *timer =
        (volatile struct vesper_host_timer *)(uintptr_t)VESPER_HOST_TIMER_ADDRESS;
    unsigned late = 0;
    for (unsigned tick = 1; tick <= 3; tick++) {
        uint64_t asked = timer->now_ns;
        uint64_t woke = sleep_until(timer, asked + TICK_NS, notification, handler);
        vesper_printf("tour 09: tick %u: asked at %lu ns for %u ns, woke at %lu ns\n", tick,
                      (unsigned long)asked, TICK_NS, (unsigned long)woke);
        if (woke < asked + TICK_NS || woke > asked + 2 * TICK_NS) {
            vesper_printf("tour 09: not yet: tick %u should come 1 ms after it was asked\n", tick);
            late++;
        }
    }
    if (late == 0)
        vesper_printf("tour 09: all done\n");
    return late == 0 ? 0 : 1;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A timer driver in user space, and the sleep service it offers other
 * domains over IPC (docs/interrupts.md).
 *
 * The driver is a domain that holds the timer's device Frame (granted to
 * its PDom), an IRQHandler for its line bound to a Notification that is
 * bound to the driver domain, an Endpoint clients Call, and Reply objects,
 * one per client that may sleep at once, plus one to receive with. It
 * waits on the Endpoint; a client's Call is a request, and the timer's
 * interrupt arrives through the bound Notification as a message with the
 * notification's badge and label 0. Each device has a backend
 * (libos/devices/) that says how to read its clock and set its comparator.
 */
#ifndef VESPER_LIBOS_TIMER_H
#define VESPER_LIBOS_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include <vesper/error.h>
#include <vesper/object.h>
#include <vesper/types.h>

/* One timer device: its register page, its line, and what the driver does
 * with its registers. */
struct vesper_timer_device {
    const char *name;
    vesper_word address; /* the register page, a device Frame's address */
    unsigned line;       /* its interrupt line */
    uint64_t (*now_ns)(volatile void *registers);
    /* Raise the line when the clock reaches when_ns; may fire early or
     * late by the device's resolution, and at once for a time past. */
    void (*arm)(volatile void *registers, uint64_t when_ns);
    void (*disarm)(volatile void *registers);
    /* Lower the line: the interrupt was seen. */
    void (*acknowledge)(volatile void *registers);
};

/* This machine's timer: the host's simulated timer, or the BCM2835 system
 * timer's comparator 1 on the Pi. */
extern const struct vesper_timer_device vesper_timer_device;

/* Requests: the label of a Call to the driver's Endpoint. */
enum vesper_timer_request {
    VESPER_TIMER_SLEEP = 1, /* word 0: nanoseconds; the reply comes once they passed */
    VESPER_TIMER_NOW = 2,   /* no words */
};
/* Reply: label 0 and word 0 the time (ns) it answers at; label 1 for a
 * request it refuses (unknown, or too many sleepers). */

#define VESPER_TIMER_SLEEPERS 8u

struct vesper_timer_server {
    const struct vesper_timer_device *device;
    volatile void *registers; /* the device Frame's address */
    vesper_cptr endpoint;
    vesper_cptr irq_handler;
    vesper_cptr replies;      /* VESPER_TIMER_SLEEPERS + 1 Reply objects in a row */
    struct vesper_timer_sleeper {
        bool waiting;
        vesper_cptr reply;
        uint64_t wake_ns;
    } sleeper[VESPER_TIMER_SLEEPERS];
    uint64_t interrupts; /* taken */
    uint64_t woken;      /* sleepers answered */
};

/* Serve forever. The server's fields up to `replies` must be set; the
 * domain must have the IRQ's Notification bound and the line's handler
 * bound to it. */
_Noreturn void vesper_timer_serve(struct vesper_timer_server *s);

/* Sleep at least ns nanoseconds; *woke_ns (may be NULL) gets the time the
 * driver answered at. */
enum vesper_error vesper_timer_sleep(vesper_cptr timer, uint64_t ns, uint64_t *woke_ns);

/* The driver's clock. */
enum vesper_error vesper_timer_now(vesper_cptr timer, uint64_t *now_ns);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Interrupt delivery to a user driver on the host HAL, printed as
 * `metric NAME VALUE UNIT`:
 *   irq_to_user_ns  a device raises its line while the driver waits on the
 *                   line's Notification: the Wait enters the kernel, no
 *                   domain can run, the run loop makes the interrupt entry,
 *                   the kernel masks the line and signals, and the driver's
 *                   Wait returns with the badge
 *   irq_ack_ns      the driver's Ack: the line is unmasked again
 *
 * Host-only, like bench_ipc.c: the root is the driver, and plays the
 * device too, asserting and deasserting the line with host_irq_set() (a
 * simulated device does the same from the run loop). Each figure is the
 * median of BATCHES batch means. Build without sanitizers for figures
 * worth quoting (README: Benchmarks).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>

#include <libos/caps.h>
#include <libos/invocations.h>
#include <libos/ipc.h>
#include <libos/libos.h>

#include "bench_root.h"
#include "bench_timing.h"
#include "child_domain.h"
#include "host.h"

#define BATCHES 101
#define PER_BATCH 1000
#define LINE 5u
#define BADGE 4u

static int bench_main(const struct vesper_bootinfo *info)
{
    struct carver c;
    vesper_cptr notification;
    if (!carver_init(&c, info) ||
        carve(&c, "retype a Notification", VESPER_OBJECT_NOTIFICATION, 0, 1, &notification) !=
            VESPER_OK ||
        c.next + 2 > c.end)
        return 1;
    vesper_cptr badged = c.next++, handler = c.next++;
    if (vesper_cnode_mint(CHILD_ROOT_CNODE, badged, CHILD_ROOT_DEPTH, CHILD_ROOT_CNODE,
                          notification, CHILD_ROOT_DEPTH, VESPER_RIGHTS_ALL, BADGE) != VESPER_OK ||
        vesper_irq_control_get(VESPER_ROOT_SLOT_IRQ_CONTROL, LINE, CHILD_ROOT_CNODE, handler,
                               CHILD_ROOT_DEPTH) != VESPER_OK ||
        vesper_irq_handler_set_notification(handler, badged) != VESPER_OK)
        return 1;
    double to_user[BATCHES], ack[BATCHES];
    for (int b = -1; b < BATCHES; b++) {
        uint64_t wait_ns = 0, ack_ns = 0;
        for (int i = 0; i < PER_BATCH; i++) {
            vesper_word word = 0;
            uint64_t start = now_ns();
            host_irq_set(LINE, true); /* the device raises its line */
            if (vesper_wait(notification, &word) != VESPER_OK || word != BADGE)
                return 1;
            uint64_t woken = now_ns();
            host_irq_set(LINE, false); /* the driver serviced the device */
            uint64_t serviced = now_ns();
            if (vesper_irq_handler_ack(handler) != VESPER_OK)
                return 1;
            uint64_t acked = now_ns();
            wait_ns += woken - start;
            ack_ns += acked - serviced;
        }
        if (b >= 0) {
            to_user[b] = (double)wait_ns / PER_BATCH;
            ack[b] = (double)ack_ns / PER_BATCH;
        }
    }
    printf("metric irq_to_user_ns %.1f ns\n", median(to_user, BATCHES));
    printf("metric irq_ack_ns %.1f ns\n", median(ack, BATCHES));
    fflush(stdout);
    return 0;
}

static void root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, bench_main);
}

int main(void)
{
    static char console[8192];
    int status = bench_run_root(root_entry, console, sizeof console);
    if (status != 0)
        bench_report_failure("bench_irq", status, console);
    return status;
}

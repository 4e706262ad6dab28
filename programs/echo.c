/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * echo: an interrupt-driven console in user space (libos/console.c).
 *
 * The root becomes the UART's driver: it makes the device Frame of the
 * UART's page, claims its interrupt line and binds it to a Notification,
 * then waits. Each interrupt it reads the received bytes, echoes them and
 * edits the line; each finished line is answered with "echo: " and the
 * line, until the line "quit". On the host the input comes from --input or
 * --input-file (vesper-sim), one byte per kernel entry; on the Pi from the
 * serial port.
 */
#include <libos/console.h>
#include <libos/invocations.h>

#include "child_domain.h"
#include "programs.h"

static unsigned lines;

static bool same(const char *line, size_t length, const char *word)
{
    size_t i = 0;
    while (i < length && word[i] != '\0' && line[i] == word[i])
        i++;
    return i == length && word[i] == '\0';
}

static bool answer(struct vesper_console *console, const char *line, size_t length)
{
    if (same(line, length, "quit")) {
        vesper_console_print(console, "echo: bye\r\n");
        return false;
    }
    lines++;
    vesper_console_print(console, "echo: ");
    vesper_console_write(console, line, length);
    vesper_console_print(console, "\r\n");
    return true;
}

int echo_main(const struct vesper_bootinfo *info)
{
    static struct vesper_console console;
    struct carver c;
    vesper_cptr frame, notification, badged, handler;
    const struct vesper_uart_device *uart = &vesper_uart_device;
    if (!carver_init(&c, info) ||
        carve_device_frame(&c, info, uart->address, VESPER_ROOT_SLOT_PDOM, &frame) != VESPER_OK ||
        carve(&c, "retype the Notification", VESPER_OBJECT_NOTIFICATION, 0, 1, &notification) !=
            VESPER_OK ||
        c.next + 2 > c.end) {
        vesper_print("echo: FAILED to set up: ");
        vesper_print(c.failed != NULL ? c.failed : "?");
        vesper_print("\n");
        return 1;
    }
    badged = c.next++;
    handler = c.next++;
    /* Bound with a badge: an interrupt that comes while the driver is busy
     * then leaves a bit for its next Wait (a badge of 0 would set none). */
    if (vesper_cnode_mint(CHILD_ROOT_CNODE, badged, CHILD_ROOT_DEPTH, CHILD_ROOT_CNODE,
                          notification, CHILD_ROOT_DEPTH, VESPER_RIGHTS_ALL, 1) != VESPER_OK ||
        vesper_irq_control_get(VESPER_ROOT_SLOT_IRQ_CONTROL, uart->line, CHILD_ROOT_CNODE,
                               handler, CHILD_ROOT_DEPTH) != VESPER_OK ||
        vesper_irq_handler_set_notification(handler, badged) != VESPER_OK) {
        vesper_print("echo: FAILED to claim the UART's line\n");
        return 1;
    }
    console = (struct vesper_console){
        .device = uart, .registers = (volatile void *)(uintptr_t)uart->address,
        .notification = notification, .irq_handler = handler, .line_done = answer};
    vesper_print("echo: the ");
    vesper_print(uart->name);
    vesper_print(" driver echoes each line; \"quit\" ends\n");
    enum vesper_error error = vesper_console_serve(&console);
    vesper_print("echo: ");
    print_decimal(lines);
    vesper_print(" lines in ");
    print_decimal(console.interrupts);
    vesper_print(" interrupts\n");
    return error == VESPER_OK ? 0 : 1;
}

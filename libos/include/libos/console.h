/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * An interrupt-driven console driver in user space: a line editor with
 * echo (docs/interrupts.md).
 *
 * The driver domain holds the UART's device Frame (granted to its PDom) and
 * an IRQHandler for the UART's line, bound to a Notification it waits on
 * through a badged capability (a badge of 0 sets no bit, so an interrupt
 * while the driver is busy would go unseen).
 * Each interrupt it reads every received byte, echoes it, edits the line
 * (backspace and DEL erase, Ctrl-U erases the line) and, at CR or LF,
 * hands the finished line to a callback. Each UART has a backend
 * (libos/devices/) that says how to read, write and quiet it.
 */
#ifndef VESPER_LIBOS_CONSOLE_H
#define VESPER_LIBOS_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vesper/error.h>
#include <vesper/object.h>
#include <vesper/types.h>

struct vesper_uart_device {
    const char *name;
    vesper_word address; /* the register page, a device Frame's address */
    unsigned line;       /* its interrupt line */
    /* Raise the line while received bytes wait. */
    void (*enable_receive_interrupt)(volatile void *registers);
    /* One received byte, if any. */
    bool (*read_byte)(volatile void *registers, uint8_t *byte);
    /* Send one byte, waiting while the transmitter is full. */
    void (*write_byte)(volatile void *registers, uint8_t byte);
    /* Whatever the device needs once its bytes are read, before the Ack. */
    void (*acknowledge)(volatile void *registers);
};

/* This machine's UART: the host's simulated one, or the Pi's PL011. */
extern const struct vesper_uart_device vesper_uart_device;

#define VESPER_CONSOLE_LINE_MAX 128u

struct vesper_console {
    const struct vesper_uart_device *device;
    volatile void *registers;
    vesper_cptr notification; /* the line's Notification, which the driver waits on */
    vesper_cptr irq_handler;
    /* Called with each finished line (not NUL-terminated, without its end);
     * returns false to stop the driver. */
    bool (*line_done)(struct vesper_console *console, const char *line, size_t length);
    char line[VESPER_CONSOLE_LINE_MAX];
    size_t length;
    uint64_t interrupts;
    uint64_t bytes;
};

/* Write bytes through the driver's UART (polled). */
void vesper_console_write(struct vesper_console *console, const char *text, size_t length);
void vesper_console_print(struct vesper_console *console, const char *text);

/* Serve interrupts until line_done returns false (or waiting fails). */
enum vesper_error vesper_console_serve(struct vesper_console *console);

#endif

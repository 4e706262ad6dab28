/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The interrupt-driven line editor (<libos/console.h>). */
#include <libos/console.h>
#include <libos/invocations.h>
#include <libos/ipc.h>

void vesper_console_write(struct vesper_console *console, const char *text, size_t length)
{
    for (size_t i = 0; i < length; i++)
        console->device->write_byte(console->registers, (uint8_t)text[i]);
}

void vesper_console_print(struct vesper_console *console, const char *text)
{
    size_t length = 0;
    while (text[length] != '\0')
        length++;
    vesper_console_write(console, text, length);
}

/* Edit the line with one byte; false once line_done asks to stop. */
static bool edit(struct vesper_console *c, uint8_t byte)
{
    switch (byte) {
    case '\r':
    case '\n': {
        vesper_console_print(c, "\r\n");
        size_t length = c->length;
        c->length = 0;
        return c->line_done(c, c->line, length);
    }
    case 0x08: /* backspace */
    case 0x7f: /* DEL, what most terminals send for it */
        if (c->length > 0) {
            c->length--;
            vesper_console_print(c, "\b \b");
        }
        return true;
    case 0x15: /* Ctrl-U: erase the line */
        for (; c->length > 0; c->length--)
            vesper_console_print(c, "\b \b");
        return true;
    default:
        if (byte < 0x20 || c->length == VESPER_CONSOLE_LINE_MAX)
            return true; /* other controls, and a full line, are dropped */
        c->line[c->length++] = (char)byte;
        c->device->write_byte(c->registers, byte); /* the echo */
        return true;
    }
}

enum vesper_error vesper_console_serve(struct vesper_console *c)
{
    c->length = 0;
    c->device->enable_receive_interrupt(c->registers);
    for (;;) {
        vesper_word word = 0;
        enum vesper_error error = vesper_wait(c->notification, &word);
        if (error != VESPER_OK)
            return error;
        c->interrupts++;
        bool go_on = true;
        uint8_t byte;
        while (go_on && c->device->read_byte(c->registers, &byte)) {
            c->bytes++;
            go_on = edit(c, byte);
        }
        c->device->acknowledge(c->registers);
        error = vesper_irq_handler_ack(c->irq_handler);
        if (!go_on || error != VESPER_OK)
            return error;
    }
}

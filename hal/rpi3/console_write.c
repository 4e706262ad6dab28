/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * hal_console_write() for either console UART (console.c, the PL011, or
 * console_miniuart.c, the mini UART), so that both end lines alike: every
 * LF goes out as CR LF, as a terminal in raw mode (picocom, screen) needs to
 * start the next line at its left edge. The barriers separate the UART's
 * accesses from whatever peripheral the kernel touched before and after.
 */
#include <stddef.h>

#include "hal.h"
#include "rpi3.h"

void hal_console_write(const char *text, size_t length)
{
    peripheral_barrier();
    for (size_t i = 0; i < length; i++) {
        if (text[i] == '\n')
            rpi3_console_put_byte('\r');
        rpi3_console_put_byte(text[i]);
    }
    peripheral_barrier();
}

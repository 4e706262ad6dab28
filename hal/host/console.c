/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The console. A board has a UART; here the console is standard output,
 * written unbuffered so that kernel and host output interleave in order.
 * Tests may capture it in a buffer instead.
 *
 * The text may lie anywhere a domain could point the kernel at, including
 * bytes of the boot image that AddressSanitizer keeps as redzones between
 * globals. A UART reads such bytes without complaint, and so does this
 * console: it copies the text through a bounce buffer the sanitizer does
 * not check.
 */
#include <string.h>
#include <unistd.h>

#include "hal.h"
#include "host.h"
#include "host_internal.h"

static char *capture;
static size_t capture_size;
static size_t written;

void host_console_capture(char *buffer, size_t size)
{
    capture = size > 0 ? buffer : NULL;
    capture_size = size;
    written = 0;
    if (capture != NULL)
        capture[0] = '\0';
}

size_t host_console_written(void)
{
    return written;
}

void host_console_reset(void)
{
    written = 0;
    if (capture != NULL)
        capture[0] = '\0';
}

static void write_all(const char *text, size_t length)
{
    while (length > 0) {
        ssize_t n = write(STDOUT_FILENO, text, length);
        if (n <= 0)
            return; /* a console that cannot take output loses it, as a UART would */
        text += n;
        length -= (size_t)n;
    }
}

static void emit(const char *bytes, size_t length)
{
    if (capture == NULL) {
        write_all(bytes, length);
    } else if (written < capture_size - 1) {
        size_t room = capture_size - 1 - written;
        size_t n = length < room ? length : room;
        memcpy(capture + written, bytes, n);
        capture[written + n] = '\0';
    }
    written += length;
}

void hal_console_write(const char *text, size_t length)
{
    char bounce[256];
    while (length > 0) {
        size_t n = length < sizeof bounce ? length : sizeof bounce;
        hal_copy_from_view(bounce, text, n);
        emit(bounce, n);
        text += n;
        length -= n;
    }
}

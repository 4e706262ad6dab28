/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Kernel console output (see console.h). Output is gathered in a small
 * buffer on the stack and handed to the HAL in pieces, so a line costs a few
 * HAL calls rather than one per character.
 */
#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "hal.h"
#include "klib.h"

struct out_buffer {
    char bytes[64];
    size_t used;
};

static void out_flush(struct out_buffer *out)
{
    if (out->used > 0)
        hal_console_write(out->bytes, out->used);
    out->used = 0;
}

static void out_char(struct out_buffer *out, char c)
{
    if (out->used == sizeof out->bytes)
        out_flush(out);
    out->bytes[out->used++] = c;
}

static void out_repeat(struct out_buffer *out, char c, int count)
{
    for (int i = 0; i < count; i++)
        out_char(out, c);
}

/* How one conversion is laid out: field width, pad character, and whether
 * it is left-justified (padded on the right, always with spaces). */
struct field {
    int width;
    char pad;
    bool left;
};

static void out_pad_left(struct out_buffer *out, const struct field *f, int length)
{
    if (!f->left)
        out_repeat(out, f->pad, f->width - length);
}

static void out_pad_right(struct out_buffer *out, const struct field *f, int length)
{
    if (f->left)
        out_repeat(out, ' ', f->width - length);
}

/* Print value in base 10 or 16 in the field. */
static void out_number(struct out_buffer *out, uint64_t value, unsigned base,
                       bool negative, const struct field *f)
{
    char digits[24];
    int n = 0;
    do {
        unsigned d = (unsigned)(value % base);
        digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        value /= base;
    } while (value != 0);
    int length = n + (negative ? 1 : 0);
    if (negative && f->pad == '0')
        out_char(out, '-');
    out_pad_left(out, f, length);
    if (negative && f->pad != '0')
        out_char(out, '-');
    while (n > 0)
        out_char(out, digits[--n]);
    out_pad_right(out, f, length);
}

static void out_string(struct out_buffer *out, const char *s, const struct field *f)
{
    if (s == NULL)
        s = "(null)";
    int length = (int)kstrlen(s);
    out_pad_left(out, f, length);
    while (*s != '\0')
        out_char(out, *s++);
    out_pad_right(out, f, length);
}

/* Fetch an integer argument of the given length modifier count (0, 1 = l,
 * 2 = ll, 3 = z). */
static uint64_t fetch_unsigned(va_list *args, int length)
{
    switch (length) {
    case 0: return va_arg(*args, unsigned int);
    case 1: return va_arg(*args, unsigned long);
    case 3: return va_arg(*args, size_t);
    default: return va_arg(*args, unsigned long long);
    }
}

static int64_t fetch_signed(va_list *args, int length)
{
    switch (length) {
    case 0: return va_arg(*args, int);
    case 1: return va_arg(*args, long);
    case 3: return (int64_t)va_arg(*args, size_t);
    default: return va_arg(*args, long long);
    }
}

/* Parse flags and width: '-' then '0' (either order), then digits. */
static const char *parse_field(const char *f, struct field *field)
{
    *field = (struct field){.width = 0, .pad = ' ', .left = false};
    for (;; f++) {
        if (*f == '-')
            field->left = true;
        else if (*f == '0')
            field->pad = '0';
        else
            break;
    }
    if (field->left)
        field->pad = ' ';
    while (*f >= '0' && *f <= '9' && field->width < 1000)
        field->width = field->width * 10 + (*f++ - '0');
    return f;
}

static const char *out_conversion(struct out_buffer *out, const char *f,
                                  va_list *args)
{
    struct field field;
    int length = 0;
    f = parse_field(f, &field);
    while (*f == 'l' && length < 2) {
        length++;
        f++;
    }
    if (*f == 'z') {
        length = 3;
        f++;
    }
    switch (*f) {
    case 'd':
    case 'i': {
        int64_t v = fetch_signed(args, length);
        uint64_t magnitude = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
        out_number(out, magnitude, 10, v < 0, &field);
        break;
    }
    case 'u': out_number(out, fetch_unsigned(args, length), 10, false, &field); break;
    case 'x': out_number(out, fetch_unsigned(args, length), 16, false, &field); break;
    case 'p':
        out_char(out, '0');
        out_char(out, 'x');
        out_number(out, (uintptr_t)va_arg(*args, void *), 16, false, &field);
        break;
    case 's': out_string(out, va_arg(*args, const char *), &field); break;
    case 'c': out_char(out, (char)va_arg(*args, int)); break;
    case '%': out_char(out, '%'); break;
    case '\0': return f;
    default: out_char(out, '?'); break;
    }
    return f + 1;
}

void kvprintf(const char *format, va_list args)
{
    struct out_buffer out = {.used = 0};
    va_list copy;
    va_copy(copy, args);
    const char *f = format;
    while (*f != '\0') {
        if (*f == '%')
            f = out_conversion(&out, f + 1, &copy);
        else
            out_char(&out, *f++);
    }
    va_end(copy);
    out_flush(&out);
}

void kprintf(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    kvprintf(format, args);
    va_end(args);
}

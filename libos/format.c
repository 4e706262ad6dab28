/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Formatted printing for domains (see <libos/format.h>). */
#include <stdbool.h>
#include <stdint.h>

#include <libos/caps.h>
#include <libos/format.h>
#include <libos/libos.h>

/* Where formatted bytes go: a buffer of `size`, of which `length` bytes
 * have been asked for so far (only those that fit are stored). */
struct sink {
    char *out;
    size_t size;
    size_t length;
};

static void put(struct sink *s, char c)
{
    if (s->length + 1 < s->size)
        s->out[s->length] = c;
    s->length++;
}

static void put_padding(struct sink *s, char c, unsigned count)
{
    while (count-- > 0)
        put(s, c);
}

/* A conversion's flags and width. */
struct spec {
    bool zero;
    bool left;
    unsigned width;
};

static void put_field(struct sink *s, const struct spec *spec, const char *text, size_t n,
                      bool negative)
{
    size_t total = n + (negative ? 1 : 0);
    unsigned pad = spec->width > total ? (unsigned)(spec->width - total) : 0;
    if (!spec->left && !spec->zero)
        put_padding(s, ' ', pad);
    if (negative)
        put(s, '-');
    if (!spec->left && spec->zero)
        put_padding(s, '0', pad);
    for (size_t i = 0; i < n; i++)
        put(s, text[i]);
    if (spec->left)
        put_padding(s, ' ', pad);
}

static void put_number(struct sink *s, const struct spec *spec, uint64_t value, unsigned base,
                       bool upper, bool negative)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char text[24];
    size_t n = sizeof text;
    do {
        text[--n] = digits[value % base];
        value /= base;
    } while (value != 0);
    put_field(s, spec, text + n, sizeof text - n, negative);
}

/* The integer argument for a length modifier: 0 none, 1 l, 2 ll, 3 z. */
static uint64_t take_unsigned(va_list *args, int length)
{
    switch (length) {
    case 1: return va_arg(*args, unsigned long);
    case 2: return va_arg(*args, unsigned long long);
    case 3: return va_arg(*args, size_t);
    default: return va_arg(*args, unsigned int);
    }
}

static int64_t take_signed(va_list *args, int length)
{
    switch (length) {
    case 1: return va_arg(*args, long);
    case 2: return va_arg(*args, long long);
    case 3: return (int64_t)va_arg(*args, size_t);
    default: return va_arg(*args, int);
    }
}

/* Read the flags, width and length modifier after a '%'; returns where
 * the conversion letter is. */
static const char *read_spec(const char *p, struct spec *spec, int *length)
{
    for (;; p++) {
        if (*p == '0')
            spec->zero = true;
        else if (*p == '-')
            spec->left = true;
        else
            break;
    }
    while (*p >= '0' && *p <= '9' && spec->width < 1000)
        spec->width = spec->width * 10 + (unsigned)(*p++ - '0');
    if (*p == 'z') {
        *length = 3;
        p++;
    } else {
        for (; *p == 'l' && *length < 2; p++)
            ++*length;
    }
    return p;
}

static void convert(struct sink *s, char c, const struct spec *spec, int length, va_list *args)
{
    switch (c) {
    case 'd':
    case 'i': {
        int64_t v = take_signed(args, length);
        put_number(s, spec, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 10, false, v < 0);
        break;
    }
    case 'u': put_number(s, spec, take_unsigned(args, length), 10, false, false); break;
    case 'x': put_number(s, spec, take_unsigned(args, length), 16, false, false); break;
    case 'X': put_number(s, spec, take_unsigned(args, length), 16, true, false); break;
    case 'p':
        put(s, '0');
        put(s, 'x');
        put_number(s, spec, (uint64_t)(uintptr_t)va_arg(*args, void *), 16, false, false);
        break;
    case 'c': {
        char ch = (char)va_arg(*args, int);
        put_field(s, spec, &ch, 1, false);
        break;
    }
    case 's': {
        const char *text = va_arg(*args, const char *);
        if (text == NULL)
            text = "(null)";
        size_t n = 0;
        while (text[n] != '\0')
            n++;
        put_field(s, spec, text, n, false);
        break;
    }
    case '%': put(s, '%'); break;
    default: /* not a conversion: as it stands */
        put(s, '%');
        if (c != '\0')
            put(s, c);
        break;
    }
}

size_t vesper_vformat(char *out, size_t size, const char *format, va_list args)
{
    struct sink s = {out, size, 0};
    va_list ap;
    va_copy(ap, args);
    for (const char *p = format; *p != '\0'; p++) {
        if (*p != '%') {
            put(&s, *p);
            continue;
        }
        struct spec spec = {false, false, 0};
        int length = 0;
        p = read_spec(p + 1, &spec, &length);
        convert(&s, *p, &spec, length, &ap);
        if (*p == '\0')
            break;
    }
    va_end(ap);
    if (size > 0)
        out[s.length < size ? s.length : size - 1] = '\0';
    return s.length;
}

size_t vesper_format(char *out, size_t size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    size_t n = vesper_vformat(out, size, format, args);
    va_end(args);
    return n;
}

int vesper_printf(const char *format, ...)
{
    char text[256];
    va_list args;
    va_start(args, format);
    size_t n = vesper_vformat(text, sizeof text, format, args);
    va_end(args);
    if (vesper_print(text) != VESPER_OK)
        return -1;
    return (int)(n < sizeof text ? n : sizeof text - 1);
}

static const char *const type_names[] = {
    "empty", "Untyped", "CNode", "Domain", "Endpoint", "Notification", "Reply",
    "Frame 4K", "Frame 2M", "PDom", "PageTable", "IRQControl", "IRQHandler", "SchedControl",
    "Zombie",
};

int vesper_print_capability(vesper_cptr cptr)
{
    struct vesper_cap_info info;
    enum vesper_error error = vesper_cap_identify(cptr, &info);
    if (error != VESPER_OK)
        return vesper_printf("cptr 0x%lx: %s\n", (unsigned long)cptr, vesper_error_name(error));
    unsigned type = (unsigned)info.type;
    const char *name = type < sizeof type_names / sizeof type_names[0] ? type_names[type] : "?";
    char rights[5] = {info.rights & VESPER_RIGHT_READ ? 'r' : '-',
                      info.rights & VESPER_RIGHT_WRITE ? 'w' : '-',
                      info.rights & VESPER_RIGHT_GRANT ? 'g' : '-',
                      info.rights & VESPER_RIGHT_GRANT_REPLY ? 'G' : '-', '\0'};
    return vesper_printf("cptr 0x%lx: %s %s 0x%lx word 0x%lx\n", (unsigned long)cptr, name,
                         rights, (unsigned long)info.address, (unsigned long)info.data);
}

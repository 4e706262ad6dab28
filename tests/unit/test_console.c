/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The kernel's printf: each conversion, flag and length it supports. */
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "support.h"

static char out[512];

static int capture(void **state)
{
    (void)state;
    host_console_capture(out, sizeof out);
    return 0;
}

static void CONSOLE0001_integers(void **state)
{
    (void)state;
    kprintf("%d %i %u %d", -42, 7, 4000000000u, 0);
    assert_string_equal(out, "-42 7 4000000000 0");
}

static void CONSOLE0002_widths_and_zero_padding(void **state)
{
    (void)state;
    kprintf("[%5d][%05d][%-3d][%08x][%3s][%-4s][%2d]", 42, -42, 1, 0xbeefu, "ab", "cd", 12345);
    assert_string_equal(out, "[   42][-0042][1  ][0000beef][ ab][cd  ][12345]");
}

static void CONSOLE0003_length_modifiers(void **state)
{
    (void)state;
    kprintf("%lu %llx %zu %ld %lld", 1ul << 40, 0xfedcba9876543210ull, (size_t)99,
            -5l, -9223372036854775807ll - 1);
    assert_string_equal(out, "1099511627776 fedcba9876543210 99 -5 -9223372036854775808");
}

static void CONSOLE0004_strings_chars_pointers_percent(void **state)
{
    (void)state;
    kprintf("%s|%c|%p|%%|%s", "text", 'x', (void *)0x1000, (const char *)NULL);
    assert_string_equal(out, "text|x|0x1000|%|(null)");
}

/* Formats the compiler would reject go through kvprintf unchecked. */
static void print_unchecked(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    kvprintf(format, args);
    va_end(args);
}

static void CONSOLE0005_unknown_conversion_and_trailing_percent(void **state)
{
    (void)state;
    print_unchecked("a%qb%");
    assert_string_equal(out, "a?b");
}

static void CONSOLE0006_long_output_is_complete(void **state)
{
    (void)state;
    char expected[300];
    memset(expected, 'z', sizeof expected - 1);
    expected[sizeof expected - 1] = '\0';
    kprintf("%s", expected);
    assert_string_equal(out, expected);
    assert_int_equal(host_console_written(), sizeof expected - 1);
}

/* Nothing to print writes nothing: no empty write reaches the HAL. */
static void CONSOLE0007_empty_format_writes_nothing(void **state)
{
    (void)state;
    print_unchecked("");
    assert_int_equal(host_console_written(), 0);
    assert_string_equal(out, "");
}

static void CONSOLE0008_signed_size(void **state)
{
    (void)state;
    kprintf("%zd|%zd", (size_t)-7, (size_t)12);
    assert_string_equal(out, "-7|12");
}

/* A width takes at most four digits and a length at most two 'l's; what
 * follows is read as the conversion, and an unknown one prints '?' and
 * takes no argument. */
static void CONSOLE0009_overlong_width_and_length(void **state)
{
    (void)state;
    print_unchecked("[%12345d][%llld]", 1, 2);
    assert_string_equal(out, "[?d][?d]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(CONSOLE0001_integers, capture),
        cmocka_unit_test_setup(CONSOLE0002_widths_and_zero_padding, capture),
        cmocka_unit_test_setup(CONSOLE0003_length_modifiers, capture),
        cmocka_unit_test_setup(CONSOLE0004_strings_chars_pointers_percent, capture),
        cmocka_unit_test_setup(CONSOLE0005_unknown_conversion_and_trailing_percent, capture),
        cmocka_unit_test_setup(CONSOLE0006_long_output_is_complete, capture),
        cmocka_unit_test_setup(CONSOLE0007_empty_format_writes_nothing, capture),
        cmocka_unit_test_setup(CONSOLE0008_signed_size, capture),
        cmocka_unit_test_setup(CONSOLE0009_overlong_width_and_length, capture),
    };
    return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}

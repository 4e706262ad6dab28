/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * libos's formatted printing (<libos/format.h>): every conversion, the
 * length modifiers, width and flags, truncation to the buffer, and a
 * capability's line from Identify, printed by a domain on the console.
 */
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include <libos/bootinfo.h>
#include <libos/caps.h>
#include <libos/format.h>
#include <libos/libos.h>

#include "host.h"
#include "objects_support.h"

static char out[64];

static void assert_formats(const char *expected, size_t length)
{
    assert_string_equal(out, expected);
    assert_int_equal(length, strlen(expected));
}

static void FORMAT0001_conversions(void **state)
{
    (void)state;
    assert_formats("-42 7 ff FF 0x1000 x % z",
                   vesper_format(out, sizeof out, "%d %u %x %X %p %c %% %s", -42, 7u, 255u,
                                 255u, (void *)0x1000, 'x', "z"));
    assert_formats("-9223372036854775808 18446744073709551615",
                   vesper_format(out, sizeof out, "%lld %llu", LLONG_MIN, ULLONG_MAX));
    assert_formats("4294967295 123 -1",
                   vesper_format(out, sizeof out, "%lu %zu %li", 4294967295ul, (size_t)123, -1l));
    const char *volatile nothing = NULL; /* hidden from the compiler's format check */
    assert_formats("(null)", vesper_format(out, sizeof out, "%s", nothing));
}

static void FORMAT0002_width_and_flags(void **state)
{
    (void)state;
    assert_formats("[  42] [0042] [42  ] [-042]",
                   vesper_format(out, sizeof out, "[%4d] [%04d] [%-4d] [%04d]", 42, 42, 42, -42));
    assert_formats("[ ab] [  x]", vesper_format(out, sizeof out, "[%3s] [%3c]", "ab", 'x'));
}

/* Through a variable format, which the compiler cannot check, as a
 * hostile or mistaken caller may pass. */
static size_t format_unchecked(const char *format)
{
    return vesper_format(out, sizeof out, format, 0);
}

static void FORMAT0003_unknown_conversions_stand(void **state)
{
    (void)state;
    assert_formats("%q and %", format_unchecked("%q and %"));
}

static void FORMAT0004_truncation(void **state)
{
    (void)state;
    char small[6];
    memset(small, 'x', sizeof small);
    assert_int_equal(vesper_format(small, sizeof small, "%s %d", "hello", 12345), 11);
    assert_string_equal(small, "hello");
    assert_int_equal(vesper_format(small, 0, "abc"), 3); /* nothing written */
    assert_int_equal(small[0], 'h');
}

/* What the root domain of FORMAT0005 saw: an Endpoint's slot and address,
 * and vesper_printf's answer. */
static struct {
    vesper_word slot, address, empty;
    int printed;
} seen;

static int printing_main(const struct vesper_bootinfo *info)
{
    struct vesper_cap_info cap;
    seen.slot = info->empty_first;
    seen.empty = info->empty_first + 1;
    vesper_word untyped = info->untyped_first + vesper_largest_ram_untyped(info);
    if (vesper_untyped_retype(untyped, VESPER_OBJECT_ENDPOINT, 0, VESPER_ROOT_SLOT_CNODE, 0, 0,
                              seen.slot, 1) != VESPER_OK ||
        vesper_cap_identify(seen.slot, &cap) != VESPER_OK)
        return 1;
    seen.address = cap.address;
    seen.printed = vesper_printf("n=%d\n", 5);
    vesper_print_capability(seen.slot);
    vesper_print_capability(seen.empty);
    return 0;
}

/* Every error has its own name: a new error code must be named too. */
static void FORMAT0006_every_error_named(void **state)
{
    (void)state;
    for (unsigned e = 0; e < VESPER_ERROR_COUNT; e++) {
        const char *name = vesper_error_name((enum vesper_error)e);
        assert_non_null(name);
        assert_int_equal(strncmp(name, "VESPER_", 7), 0);
        assert_null(strstr(name, "unknown"));
    }
    assert_string_equal(vesper_error_name(VESPER_ERR_MISSING_TABLE), "VESPER_ERR_MISSING_TABLE");
    assert_string_equal(vesper_error_name((enum vesper_error)VESPER_ERROR_COUNT),
                        "VESPER_ERR_(unknown)");
}

static void printing_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, printing_main);
}

/* FORMAT0005: a domain prints with vesper_printf and names capabilities. */
static void FORMAT0005_printf_and_capability_lines(void **state)
{
    (void)state;
    assert_int_equal(host_machine_reset(TEST_MEMORY, (uintptr_t)printing_entry), 0);
    host_console_capture(test_console, sizeof test_console);
    assert_int_equal(host_run(), 0);
    assert_int_equal(seen.printed, 4);
    assert_non_null(strstr(test_console, "n=5\n"));
    char line[96];
    vesper_format(line, sizeof line, "cptr 0x%lx: Endpoint rwgG 0x%lx word 0x0\n",
                  (unsigned long)seen.slot, (unsigned long)seen.address);
    assert_non_null(strstr(test_console, line));
    vesper_format(line, sizeof line, "cptr 0x%lx: VESPER_ERR_INVALID_CAPABILITY\n",
                  (unsigned long)seen.empty);
    assert_non_null(strstr(test_console, line));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(FORMAT0001_conversions),
        cmocka_unit_test(FORMAT0002_width_and_flags),
        cmocka_unit_test(FORMAT0003_unknown_conversions_stand),
        cmocka_unit_test(FORMAT0004_truncation),
        cmocka_unit_test(FORMAT0006_every_error_named),
        cmocka_unit_test(FORMAT0005_printf_and_capability_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Helpers for the unit tests (see support.h). */
#include <string.h>

#include "invariants.h"
#include "state.h"
#include "support.h"

char test_console[8192];

/* The root domain never runs in unit tests; its entry is only recorded. */
static void unused_root_entry(vesper_word bootinfo)
{
    (void)bootinfo;
}

int test_boot(void **state)
{
    (void)state;
    if (host_machine_reset(TEST_MEMORY, (uintptr_t)unused_root_entry) != 0)
        return -1;
    host_console_capture(test_console, sizeof test_console);
    return kernel_boot() == NULL ? -1 : 0;
}

struct hal_context *test_syscall(struct vesper_syscall_frame *frame,
                                 vesper_word number, vesper_word a0,
                                 vesper_word a1)
{
    struct hal_context *ctx = kernel_current_context();
    memset(frame, 0, sizeof *frame);
    frame->number = number;
    frame->arg[0] = a0;
    frame->arg[1] = a1;
    if (ctx != NULL)
        ctx->frame = *frame;
    struct hal_context *next = kernel_entry_syscall();
    if (ctx != NULL)
        *frame = ctx->frame;
    return next;
}

const struct vesper_bootinfo *test_bootinfo(void)
{
    return hal_kernel_view(kernel.root_bootinfo, sizeof(struct vesper_bootinfo));
}

uintptr_t test_poke(uintptr_t address, const void *bytes, size_t length)
{
    void *view = hal_kernel_view(address, length);
    assert_non_null(view);
    memcpy(view, bytes, length);
    return address;
}

void assert_invariants(void)
{
    const char *violation = kernel_check_invariants();
    if (violation != NULL)
        fail_msg("kernel invariant broken: %s", violation);
}

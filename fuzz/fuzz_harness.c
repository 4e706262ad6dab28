/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Shared fuzz harness support (see fuzz_harness.h). */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_harness.h"
#include "host.h"
#include "invariants.h"
#include "kernel.h"

static char console[4096];

uint8_t fuzz_byte(struct fuzz_input *in)
{
    if (in->size == 0)
        return 0;
    in->size--;
    return *in->data++;
}

uint16_t fuzz_u16(struct fuzz_input *in)
{
    uint16_t low = fuzz_byte(in);
    return (uint16_t)(low | (uint16_t)fuzz_byte(in) << 8);
}

uint64_t fuzz_u64(struct fuzz_input *in)
{
    uint64_t value = 0;
    for (int i = 0; i < 8; i++)
        value |= (uint64_t)fuzz_byte(in) << (8 * i);
    return value;
}

int fuzz_done(const struct fuzz_input *in)
{
    return in->size == 0;
}

/* Domains never run under the fuzzer: the harness makes their syscalls. */
static void idle_root_entry(uint64_t bootinfo)
{
    (void)bootinfo;
}

void fuzz_boot(void)
{
    host_machine_scrub(false);
    if (host_machine_reset(FUZZ_MEMORY, (uintptr_t)idle_root_entry) != 0)
        abort();
    host_console_capture(console, sizeof console);
    if (kernel_boot() == NULL)
        abort();
}

_Noreturn void fuzz_fail(const char *what)
{
    fprintf(stderr, "vesper fuzz: %s\n", what);
    abort();
}

void fuzz_check_invariants(const char *after)
{
    const char *violation = kernel_check_invariants();
    if (violation == NULL)
        return;
    fprintf(stderr, "vesper fuzz: invariant broken after %s: %s\n", after, violation);
    abort();
}

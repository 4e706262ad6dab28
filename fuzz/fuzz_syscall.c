/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * fuzz_syscall: raw syscalls straight into the kernel entry.
 *
 * An input is a sequence of syscalls made by the current domain. Each
 * starts with a selector byte: its low bit picks a known syscall number or
 * a raw 64-bit one. Then come the six argument words, each a kind byte and
 * its operands; the kinds aim at the edges that matter (addresses at the
 * ends of RAM and of the boot image, lengths around the limits, the
 * extremes of a word), so short inputs reach every validation path. After
 * every syscall the kernel's invariants are checked.
 */
#include <stdbool.h>

#include "fuzz_harness.h"
#include "hal.h"
#include "host.h"
#include "kernel.h"

static const vesper_word known_syscalls[] = {VESPER_SYS_EXIT, VESPER_SYS_DEBUG_PRINT, VESPER_SYS_CALL};
#define KNOWN_COUNT (sizeof known_syscalls / sizeof known_syscalls[0])

/* Bytes in the boot image that a domain may print. */
static const char image_text[256] = "text in the boot image";

static vesper_word decode_number(struct fuzz_input *in)
{
    uint8_t selector = fuzz_byte(in);
    if (selector & 1)
        return fuzz_u64(in);
    return known_syscalls[(selector >> 1) % KNOWN_COUNT];
}

static vesper_word decode_word(struct fuzz_input *in)
{
    uint8_t kind = fuzz_byte(in);
    switch (kind % 8) {
    case 0: return 0;
    case 1: return fuzz_byte(in);
    case 2: return fuzz_u64(in);
    case 3: return HOST_USER_BASE + (vesper_word)fuzz_u16(in) * 8; /* in or past RAM */
    case 4: return (uintptr_t)image_text + fuzz_byte(in);
    case 5: return HOST_USER_BASE + FUZZ_MEMORY - fuzz_byte(in);    /* end of RAM */
    case 6: return VESPER_DEBUG_PRINT_MAX - 4 + (fuzz_byte(in) % 8); /* around the limit */
    default: return UINT64_MAX - fuzz_byte(in);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = {data, size};
    fuzz_boot(size % 2 == 0); /* the kernel's trace on for even lengths */
    fuzz_check_invariants("boot");
    while (!fuzz_done(&in)) {
        struct vesper_syscall_frame frame = {.number = decode_number(&in)};
        for (int i = 0; i < VESPER_SYSCALL_ARGS; i++)
            frame.arg[i] = decode_word(&in);
        bool stopped = kernel_current_context() == NULL;
        struct hal_context *next = fuzz_syscall(&frame);
        if (stopped && next != NULL)
            fuzz_fail("a syscall revived a stopped kernel");
        fuzz_check_invariants("a syscall");
    }
    fuzz_check_unused_memory();
    return 0;
}

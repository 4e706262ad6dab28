/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * What every Vesper fuzz harness shares: the libFuzzer entry it defines, a
 * fresh kernel per input, and a reader that turns input bytes into values.
 * A harness is also linked with replay_main.c into a plain program that
 * runs saved inputs, so corpora replay without libFuzzer.
 */
#ifndef VESPER_FUZZ_HARNESS_H
#define VESPER_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Fuzz machines are small so that a reset costs microseconds. */
#define FUZZ_MEMORY ((size_t)256 * 1024)

/* Input bytes, consumed from the front; past the end every read is 0. */
struct fuzz_input {
    const uint8_t *data;
    size_t size;
};

uint8_t fuzz_byte(struct fuzz_input *in);
uint16_t fuzz_u16(struct fuzz_input *in);
uint64_t fuzz_u64(struct fuzz_input *in);
int fuzz_done(const struct fuzz_input *in);

/* Reset the machine and boot; console output is kept, not printed. Aborts
 * when the machine cannot be made. */
void fuzz_boot(void);

/* Abort with a message: the kernel did something it must never do. */
_Noreturn void fuzz_fail(const char *what);

/* Abort with a message naming the broken invariant, if any. */
void fuzz_check_invariants(const char *after);

#endif

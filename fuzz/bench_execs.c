/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * How many inputs per second a harness runs, reset included: feeds it
 * pseudo-random inputs (a fixed seed, so every run sees the same ones) for
 * about two seconds and prints `metric fuzz_<harness>_execs_per_sec N
 * execs/s`. Meant for a build without sanitizers (README: Benchmarks);
 * libFuzzer's own loop adds mutation and coverage bookkeeping on top.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>

#include "fuzz_harness.h"

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "harness";
    uint8_t input[512];
    uint64_t state = 0x9e3779b97f4a7c15ull;
    unsigned long runs = 0;
    double start = seconds(), elapsed = 0;
    while (elapsed < 2.0) {
        for (int batch = 0; batch < 64; batch++) {
            size_t size = 16 + next_random(&state) % (sizeof input - 16);
            for (size_t i = 0; i < size; i++)
                input[i] = (uint8_t)next_random(&state);
            LLVMFuzzerTestOneInput(input, size);
            runs++;
        }
        elapsed = seconds() - start;
    }
    printf("metric fuzz_%s_execs_per_sec %.0f execs/s\n", name, runs / elapsed);
    return 0;
}

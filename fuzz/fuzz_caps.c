/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * fuzz_caps: sequences of capability operations (retype, copy, mint, move,
 * mutate, rotate, delete, revoke, lookups with arbitrary guards and depths,
 * domain and interrupt configuration) issued by several domains, with the
 * kernel's invariants checked after each (world.c).
 */
#include "world.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_world_run(data, size, FUZZ_CAPS);
    return 0;
}

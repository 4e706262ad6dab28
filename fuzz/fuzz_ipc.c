/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * fuzz_ipc: several domains doing every IPC syscall with arbitrary tags,
 * message words, badges and capability transfers, with deletions and
 * revocations mixed in, the kernel's invariants checked after each
 * (world.c).
 */
#include "world.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_world_run(data, size, FUZZ_IPC);
    return 0;
}

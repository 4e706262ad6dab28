/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The fuzzers' world: a freshly booted kernel with a few domains already
 * started, all sharing the root CNode as their CSpace, and a decoder that
 * turns input bytes into capability and IPC syscalls made by one domain or
 * another. Capabilities are typed resources (as syzkaller treats them): an
 * operation that needs, say, an Endpoint mostly picks a slot that holds
 * one, so short inputs reach deep states; sometimes it picks any slot or a
 * raw address, so the error paths are reached too.
 */
#ifndef VESPER_FUZZ_WORLD_H
#define VESPER_FUZZ_WORLD_H

#include <stdbool.h>

#include "fuzz_harness.h"

enum fuzz_op_set {
    FUZZ_CAPS = 1, /* capability operations */
    FUZZ_IPC = 2,  /* IPC syscalls, with deletion and revocation mixed in */
};

/* Run one input: boot, set up the world, then decode and perform
 * operations until the input or the kernel ends, checking the kernel's
 * invariants after each. */
void fuzz_world_run(const uint8_t *data, size_t size, enum fuzz_op_set ops);

#endif

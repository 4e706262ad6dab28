/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The VideoCore firmware's answers, for the Raspberry Pi 3 HAL only.
 *
 * The firmware decides how the 1 GiB of RAM is split between the GPU and
 * the ARM (config.txt's gpu_mem), so the HAL asks it through the mailbox
 * (mailbox.c) how much RAM the ARM owns before the memory map is handed to
 * the core (memory.c).
 */
#ifndef VESPER_HAL_RPI3_MAILBOX_H
#define VESPER_HAL_RPI3_MAILBOX_H

#include <stdbool.h>
#include <stdint.h>

/* The RAM the firmware leaves to the ARM: [base, base + size). */
struct rpi3_arm_memory {
    uint32_t base;
    uint32_t size;
};

/* mailbox.c: ask the firmware for the ARM's RAM (the property tag "get ARM
 * memory"). Returns true and fills *memory when a well-formed answer came;
 * false when the mailbox did not answer within a bounded number of polls or
 * the reply is malformed. It does not judge the values: the caller does. */
bool rpi3_mailbox_arm_memory(struct rpi3_arm_memory *memory);

/* memory.c: ask the firmware once, at boot, where the ARM's RAM ends, check
 * the answer and keep it for hal_memory_map(); print the RAM used, or a
 * warning and the small fallback used instead. Call it after the console
 * is up and before the MMU is on: the mailbox buffer gets no cache
 * maintenance, which it would need once the data cache is on. */
void rpi3_memory_init(void);

/* Where the ARM's RAM ends, page aligned, as rpi3_memory_init() found. */
uintptr_t rpi3_ram_end(void);

#endif

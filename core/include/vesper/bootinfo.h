/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The bootinfo record: what the kernel tells the root domain at boot. The
 * kernel writes it into a frame of the single address space that the root
 * domain can read and passes its address as the root's first argument.
 */
#ifndef VESPER_BOOTINFO_H
#define VESPER_BOOTINFO_H

#include <vesper/types.h>

#define VESPER_BOOTINFO_MAGIC 0x4f464e4950534556ull /* "VESPINFO" little-endian */
#define VESPER_BOOTINFO_VERSION 1u
#define VESPER_BOOTINFO_MAX_REGIONS 32u

enum vesper_region_kind {
    VESPER_REGION_FREE = 0,   /* RAM nobody uses yet: the root domain's to hand out */
    VESPER_REGION_DEVICE = 1, /* device registers */
    VESPER_REGION_IMAGE = 2,  /* the boot image: kernel and root code and data */
};

struct vesper_region {
    vesper_word base;
    vesper_word size;
    vesper_word kind; /* enum vesper_region_kind */
};

struct vesper_bootinfo {
    vesper_word magic;   /* VESPER_BOOTINFO_MAGIC */
    vesper_word version; /* VESPER_BOOTINFO_VERSION */
    vesper_word ipc_buffer;  /* address of the root domain's IPC buffer frame */
    vesper_word stack_base;  /* lowest address of the root domain's stack */
    vesper_word stack_size;
    vesper_word region_count;
    struct vesper_region region[VESPER_BOOTINFO_MAX_REGIONS];
};

#endif

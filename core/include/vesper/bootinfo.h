/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The bootinfo record: what the kernel tells the root domain at boot. The
 * kernel writes it into a frame of the single address space that the root
 * domain can read, and passes its address as the root's first argument.
 *
 * The root domain's CSpace is one CNode of 2^VESPER_ROOT_CNODE_RADIX slots
 * whose capability has a guard that makes a CPtr simply the slot number.
 * Its fixed slots are below; the Untyped capabilities follow, one per
 * entry of `untyped`, from slot `untyped_first`; slots from `empty_first`
 * to the end are empty.
 */
#ifndef VESPER_BOOTINFO_H
#define VESPER_BOOTINFO_H

#include <vesper/types.h>

#define VESPER_BOOTINFO_MAGIC 0x4f464e4950534556ull /* "VESPINFO" little-endian */
#define VESPER_BOOTINFO_VERSION 3u
#define VESPER_BOOTINFO_MAX_REGIONS 16u
#define VESPER_BOOTINFO_MAX_UNTYPED 128u

#define VESPER_ROOT_CNODE_RADIX 10u

enum vesper_root_slot {
    VESPER_ROOT_SLOT_NULL = 0,          /* always empty */
    VESPER_ROOT_SLOT_DOMAIN = 1,        /* the root domain itself */
    VESPER_ROOT_SLOT_CNODE = 2,         /* this CNode */
    VESPER_ROOT_SLOT_PDOM = 3,          /* the root's protection domain */
    VESPER_ROOT_SLOT_IPC_BUFFER = 4,    /* the frame of its IPC buffer */
    VESPER_ROOT_SLOT_BOOTINFO = 5,      /* the frame of this record */
    VESPER_ROOT_SLOT_IRQ_CONTROL = 6,
    VESPER_ROOT_SLOT_SCHED_CONTROL = 7,
    VESPER_ROOT_SLOT_UNTYPED_FIRST = 8,
};

enum vesper_region_kind {
    VESPER_REGION_FREE = 0,   /* RAM handed to the root as Untyped */
    VESPER_REGION_DEVICE = 1, /* device registers, handed over as device Untyped */
    VESPER_REGION_IMAGE = 2,  /* the boot image's part every domain may read: the
                               * root's and libos's code and data (on the Pi
                               * the kernel's part is not listed) */
    VESPER_REGION_ROOT = 3,   /* the root's stack, IPC buffer and bootinfo frames */
    VESPER_REGION_KERNEL = 4, /* the root's CNode, Domain and PDom, made at boot */
};

struct vesper_region {
    vesper_word base;
    vesper_word size;
    vesper_word kind; /* enum vesper_region_kind */
};

struct vesper_untyped {
    vesper_word base;
    vesper_word size_bits;
    vesper_word device; /* 1 for device memory: only Frames and Untyped */
};

struct vesper_bootinfo {
    vesper_word magic;   /* VESPER_BOOTINFO_MAGIC */
    vesper_word version; /* VESPER_BOOTINFO_VERSION */
    vesper_word ipc_buffer;  /* address of the root domain's IPC buffer */
    vesper_word stack_base;  /* lowest address of the root domain's stack */
    vesper_word stack_size;
    vesper_word untyped_first; /* slot of untyped[0] */
    vesper_word untyped_count;
    vesper_word empty_first;   /* first empty slot; all later ones are empty */
    vesper_word empty_end;     /* one past the last slot of the root CNode */
    vesper_word region_count;
    /* The root's PDom grants it its stack (read, write), its IPC buffer
     * (read, write) and this record (read only), through frame capabilities
     * in the root CNode: the stack's stack_size / 4 KiB frames from slot
     * stack_frame_first, and the IPC buffer and bootinfo frames in their
     * fixed slots. The PageTables those grants need are in
     * page_table_count slots from page_table_first. */
    vesper_word stack_frame_first;
    vesper_word page_table_first;
    vesper_word page_table_count;
    struct vesper_region region[VESPER_BOOTINFO_MAX_REGIONS];
    struct vesper_untyped untyped[VESPER_BOOTINFO_MAX_UNTYPED];
};

#endif

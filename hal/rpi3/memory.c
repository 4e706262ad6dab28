/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The Raspberry Pi 3's memory map and the kernel's view of RAM.
 *
 * The firmware splits the 1 GiB of RAM between the ARM, from 0, and the
 * GPU, above (config.txt's gpu_mem: a 1 GB board keeps 76 MiB for the GPU
 * by default, so the ARM's RAM ends at 0x3B400000; QEMU says 0x3C000000).
 * rpi3_memory_init() asks the firmware once at boot where the ARM's RAM
 * ends (mailbox.c) and falls back to the first 64 MiB when it gets no
 * plausible answer. Below 0x80000 lie the firmware's spin table and ATAGS;
 * the boot image starts at 0x80000 and ends, page aligned, past its bss and
 * the kernel stack (kernel8.ld); the rest of the ARM's RAM is free. The
 * BCM2837 peripherals sit at 0x3F000000-0x40000000 and the BCM2836
 * per-core controller at 0x40000000.
 *
 * The image holds the kernel and a user part (libos and the programs,
 * which every domain may run and read; kernel8.ld). The map calls only the
 * user part IMAGE: the core lets domains' debug prints read IMAGE memory,
 * and the kernel's part (its code, data, stack and translation tables) is
 * no domain's business, so it is RESERVED like the firmware's memory.
 *
 * The MMU maps every address to itself, so an address is its own kernel
 * view: hal_kernel_view() only checks bounds.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal.h"
#include "kernel.h"
#include "mailbox.h"
#include "rpi3.h"

void *memset(void *dst, int value, size_t length); /* string.c */

/* The root domain's entry: each boot image links one program that defines
 * it (programs/hello_root.c, programs/fault_root.c). */
extern void vesper_root_entry(vesper_word bootinfo);

enum { MEMORY_REGION_COUNT = 6 };

/* Where the ARM's RAM ends when the firmware does not say: 64 MiB, far
 * below what any usual gpu_mem leaves the ARM (the firmware's documents
 * advise at most 512 MiB for the GPU of a 1 GB board), so that the kernel
 * never hands out memory the GPU owns. */
#define RAM_END_FALLBACK 0x04000000u

static struct hal_memory_region memory_map[MEMORY_REGION_COUNT];

/* Where the ARM's RAM ends, page aligned: set by rpi3_memory_init(). Until
 * then the fallback, so that the map is never larger than the RAM. */
static uintptr_t ram_end = RAM_END_FALLBACK;

static struct hal_memory_region region(uintptr_t base, uintptr_t end,
                                       enum hal_region_kind kind)
{
    return (struct hal_memory_region){.base = base, .size = end - base, .kind = kind};
}

/* Fill memory_map from the board's constants, the linker's symbols and
 * ram_end. ram_end is set once, before the core boots, so the result is
 * the same every time and refilling it on each call keeps the array
 * unchanged for callers holding it. */
static void memory_map_fill(void)
{
    uintptr_t user_start = (uintptr_t)__user_start; /* page aligned by kernel8.ld */
    uintptr_t user_end = (uintptr_t)__user_end;
    uintptr_t image_end = (uintptr_t)__image_end;
    memory_map[0] = region(0, user_start, HAL_REGION_RESERVED); /* firmware, kernel */
    memory_map[1] = region(user_start, user_end, HAL_REGION_IMAGE);
    memory_map[2] = region(user_end, image_end, HAL_REGION_RESERVED); /* kernel */
    memory_map[3] = region(image_end, ram_end, HAL_REGION_FREE);
    memory_map[4] = region(RPI3_PERIPHERAL_BASE, RPI3_PERIPHERAL_END, HAL_REGION_DEVICE);
    /* The per-core controller routes the timer that ends time slices: the
     * kernel keeps it, and no device Untyped covers it. */
    memory_map[5] = region(RPI3_LOCAL_BASE, RPI3_LOCAL_END, HAL_REGION_RESERVED);
}

static uintptr_t page_round_down(uintptr_t address)
{
    return address & ~(uintptr_t)(HAL_PAGE_SIZE - 1);
}

/* Whether the firmware's answer can be the ARM's RAM: it starts at 0,
 * holds the boot image with at least a page to spare, and ends before the
 * peripherals. Anything else is a firmware or mailbox fault, and trusting
 * it would hand out memory that is not there or not the ARM's. */
static bool arm_memory_plausible(const struct rpi3_arm_memory *memory)
{
    return memory->base == 0 &&
           page_round_down(memory->size) > (uintptr_t)__image_end &&
           memory->size <= RPI3_PERIPHERAL_BASE;
}

void rpi3_memory_init(void)
{
    struct rpi3_arm_memory memory;
    if (rpi3_mailbox_arm_memory(&memory) && arm_memory_plausible(&memory)) {
        ram_end = page_round_down(memory.size);
        kprintf("vesper: ARM RAM 0x0-0x%lx from the firmware\n", (unsigned long)ram_end);
        return;
    }
    ram_end = RAM_END_FALLBACK;
    kprintf("vesper: WARNING: the firmware did not say how much RAM the ARM has; "
            "using 0x0-0x%lx\n", (unsigned long)ram_end);
}

uintptr_t rpi3_ram_end(void)
{
    return ram_end;
}

size_t hal_memory_map(const struct hal_memory_region **regions)
{
    memory_map_fill();
    *regions = memory_map;
    return MEMORY_REGION_COUNT;
}

/* Whether address lies in [base, base + size) and [address, address +
 * length) ends inside it too. Written with differences only, so that no
 * sum can wrap. */
static bool range_inside(uintptr_t address, size_t length,
                         uintptr_t base, size_t size)
{
    return address >= base && address - base < size &&
           length <= size - (address - base);
}

static bool kernel_may_view(enum hal_region_kind kind)
{
    return kind == HAL_REGION_FREE || kind == HAL_REGION_IMAGE;
}

/* DC ZVA zeroes one block of DCZID_EL0's size (64 bytes on the
 * Cortex-A53) per instruction, without reading it first: some four times
 * the speed of stores on the board, and in QEMU one call of its own
 * memset per block instead of eight emulated stores. Needs Normal memory,
 * which every kernel view of RAM is. The unaligned ends take plain stores. */
void hal_memory_zero(void *view, size_t length)
{
    uint64_t dczid;
    __asm__ volatile("mrs %0, dczid_el0" : "=r"(dczid));
    unsigned char *p = view, *end = p + length;
    size_t block = (size_t)4 << (dczid & 0xfu);
    if ((dczid & 0x10u) == 0) { /* DZP clear: DC ZVA is permitted */
        unsigned char *first = (unsigned char *)(((uintptr_t)p + block - 1) & ~(uintptr_t)(block - 1));
        if (first <= end && (size_t)(end - first) >= block) {
            memset(p, 0, (size_t)(first - p));
            for (p = first; (size_t)(end - p) >= block; p += block)
                __asm__ volatile("dc zva, %0" : : "r"(p) : "memory");
        }
    }
    memset(p, 0, (size_t)(end - p));
}

/* No sanitizer here: a plain copy. */
void hal_copy_from_view(void *dst, const void *src, size_t length)
{
    const unsigned char *from = src;
    unsigned char *to = dst;
    for (size_t i = 0; i < length; i++)
        to[i] = from[i];
}

void *hal_kernel_view(uintptr_t address, size_t length)
{
    const struct hal_memory_region *regions;
    size_t count = hal_memory_map(&regions);
    for (size_t i = 0; i < count; i++) {
        if (!kernel_may_view(regions[i].kind))
            continue;
        if (range_inside(address, length, regions[i].base, regions[i].size))
            return (void *)address; /* the identity map */
    }
    return NULL;
}

uintptr_t hal_root_entry(void)
{
    return (uintptr_t)vesper_root_entry;
}

const char *hal_platform_name(void)
{
    return "raspi3";
}

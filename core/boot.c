/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Boot: from the HAL's memory map to a running root domain.
 *
 * The kernel owns no heap. At boot it carves, page by page from the start
 * of the free RAM regions, exactly what the root domain needs to run: its
 * Domain object, its stack, its IPC buffer frame and its bootinfo frame.
 * Everything left is listed in the bootinfo record as free memory for the
 * root domain to manage; the kernel never allocates again.
 */
#include <vesper/bootinfo.h>

#include "console.h"
#include "kernel.h"
#include "klib.h"
#include "state.h"

#define ROOT_STACK_SIZE ((size_t)64 * 1024)
#define MAX_FREE_RANGES VESPER_BOOTINFO_MAX_REGIONS

/* The free RAM not yet carved, as [base, end) ranges in map order.
 * Invariant: every range is page aligned and lies in one FREE region. */
struct boot_memory {
    uintptr_t base[MAX_FREE_RANGES];
    uintptr_t end[MAX_FREE_RANGES];
    size_t count;
};

static void boot_memory_init(struct boot_memory *memory)
{
    const struct hal_memory_region *region;
    size_t count = hal_memory_map(&region);
    memory->count = 0;
    for (size_t i = 0; i < count; i++) {
        if (region[i].kind != HAL_REGION_FREE)
            continue;
        if (memory->count == MAX_FREE_RANGES) {
            kprintf("vesper: ignoring free region at %p: too many regions\n",
                    (void *)region[i].base);
            continue;
        }
        memory->base[memory->count] = region[i].base;
        memory->end[memory->count] = region[i].base + region[i].size;
        memory->count++;
    }
}

/* Take size bytes (a multiple of the page size) from the first free range
 * that has them, zeroed. Returns the address; panics when none fits. */
static uintptr_t boot_carve(struct boot_memory *memory, size_t size)
{
    for (size_t i = 0; i < memory->count; i++) {
        if (memory->end[i] - memory->base[i] < size)
            continue;
        uintptr_t address = memory->base[i];
        memory->base[i] += size;
        void *view = hal_kernel_view(address, size);
        if (view == NULL)
            kernel_panic("memory map names free memory the kernel cannot reach");
        kmemset(view, 0, size);
        return address;
    }
    kernel_panic("not enough free memory to boot the root domain");
}

static void bootinfo_add_region(struct vesper_bootinfo *info, uintptr_t base,
                                size_t size, enum vesper_region_kind kind)
{
    if (size == 0)
        return;
    if (info->region_count == VESPER_BOOTINFO_MAX_REGIONS) {
        kprintf("vesper: bootinfo full, region at %p not listed\n", (void *)base);
        return;
    }
    struct vesper_region *r = &info->region[info->region_count++];
    r->base = base;
    r->size = size;
    r->kind = kind;
}

/* List the image, what stays free and the device regions, in address
 * order. */
static void bootinfo_fill_regions(struct vesper_bootinfo *info,
                                  const struct boot_memory *memory)
{
    const struct hal_memory_region *region;
    size_t count = hal_memory_map(&region);
    size_t next_free = 0;
    for (size_t i = 0; i < count; i++) {
        if (region[i].kind == HAL_REGION_DEVICE) {
            bootinfo_add_region(info, region[i].base, region[i].size,
                                VESPER_REGION_DEVICE);
        } else if (region[i].kind == HAL_REGION_IMAGE) {
            bootinfo_add_region(info, region[i].base, region[i].size,
                                VESPER_REGION_IMAGE);
        } else if (region[i].kind == HAL_REGION_FREE && next_free < memory->count) {
            bootinfo_add_region(info, memory->base[next_free],
                                memory->end[next_free] - memory->base[next_free],
                                VESPER_REGION_FREE);
            next_free++;
        }
    }
}

static void print_banner(const struct boot_memory *memory)
{
    size_t free_bytes = 0;
    for (size_t i = 0; i < memory->count; i++)
        free_bytes += memory->end[i] - memory->base[i];
    kprintf("Vesper %s on %s: %zu KiB free memory\n", VESPER_VERSION_STRING,
            hal_platform_name(), free_bytes / 1024);
}

struct hal_context *kernel_boot(void)
{
    struct boot_memory memory;
    kmemset(&kernel, 0, sizeof kernel);
    boot_memory_init(&memory);
    print_banner(&memory);

    uintptr_t domain_address = boot_carve(&memory, align_up(sizeof(struct domain), HAL_PAGE_SIZE));
    uintptr_t stack = boot_carve(&memory, ROOT_STACK_SIZE);
    uintptr_t ipc_buffer = boot_carve(&memory, HAL_PAGE_SIZE);
    uintptr_t bootinfo_address = boot_carve(&memory, HAL_PAGE_SIZE);

    struct vesper_bootinfo *info = hal_kernel_view(bootinfo_address, sizeof *info);
    info->magic = VESPER_BOOTINFO_MAGIC;
    info->version = VESPER_BOOTINFO_VERSION;
    info->ipc_buffer = ipc_buffer;
    info->stack_base = stack;
    info->stack_size = ROOT_STACK_SIZE;
    bootinfo_fill_regions(info, &memory);

    struct domain *root = hal_kernel_view(domain_address, sizeof *root);
    root->ipc_buffer = ipc_buffer;
    root->state = DOMAIN_RUNNABLE;
    hal_context_init_user(&root->context, hal_root_entry(), stack,
                          stack + ROOT_STACK_SIZE, bootinfo_address);

    kernel.root = root;
    kernel.current = root;
    kernel.root_bootinfo = bootinfo_address;
    kernel.running = true;
    kprintf("vesper: entering the root domain\n");
    return &root->context;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Boot: from the HAL's memory map to a running root domain.
 *
 * The kernel owns no heap. At boot it carves from unused RAM exactly what
 * the root domain needs: its CNode, Domain, PDom, stack, IPC buffer frame
 * and bootinfo frame. It fills the root CNode with capabilities to those,
 * to IRQControl and SchedControl, and to all the remaining unused memory as
 * Untyped, in the largest aligned power-of-two blocks that fit; device
 * regions become device Untyped. From then on every kernel object is made
 * by user code retyping Untyped memory.
 */
#include <vesper/bootinfo.h>

#include "cdt.h"
#include "console.h"
#include "irq.h"
#include "kernel.h"
#include "klib.h"
#include "objects.h"
#include "pdom.h"
#include "sched.h"
#include "state.h"
#include "unzeroed.h"

#define ROOT_STACK_BITS 16u
#define ROOT_STACK_SIZE ((size_t)1 << ROOT_STACK_BITS)
#define MAX_FREE_RANGES 32u

#define ROOT_STACK_FRAMES (ROOT_STACK_SIZE / HAL_PAGE_SIZE)
/* The most PageTables the root's grants can need: its stack, IPC buffer
 * and bootinfo may straddle one boundary at each level. */
#define ROOT_PAGE_TABLES_MAX (2u * (HAL_PT_LEVELS - 1))

/* Every frame and table boot gives the root, and every Untyped that
 * bootinfo can list, has a slot in the root CNode. */
_Static_assert(VESPER_ROOT_SLOT_UNTYPED_FIRST + ROOT_STACK_FRAMES + ROOT_PAGE_TABLES_MAX +
                       VESPER_BOOTINFO_MAX_UNTYPED <=
                   (1u << VESPER_ROOT_CNODE_RADIX),
               "the root CNode holds everything boot gives the root");

/* The unused RAM not yet carved, as [base, end) ranges in address order. */
struct boot_memory {
    uintptr_t base[MAX_FREE_RANGES];
    uintptr_t end[MAX_FREE_RANGES];
    size_t count;
};

static void boot_memory_add(struct boot_memory *memory, size_t at, uintptr_t base, uintptr_t end)
{
    if (memory->count == MAX_FREE_RANGES) {
        kprintf("vesper: unused memory at %p lost: too many ranges\n", (void *)base);
        return;
    }
    for (size_t i = memory->count; i > at; i--) {
        memory->base[i] = memory->base[i - 1];
        memory->end[i] = memory->end[i - 1];
    }
    memory->base[at] = base;
    memory->end[at] = end;
    memory->count++;
}

static void boot_memory_init(struct boot_memory *memory)
{
    const struct hal_memory_region *region;
    size_t count = hal_memory_map(&region);
    memory->count = 0;
    for (size_t i = 0; i < count; i++)
        if (region[i].kind == HAL_REGION_FREE)
            boot_memory_add(memory, memory->count, region[i].base, region[i].base + region[i].size);
}

/* Take 2^bits bytes aligned to their size from the first unused range that
 * has them, zeroed; the skipped alignment gap stays unused. Panics when no
 * range fits: the machine is too small to boot. */
static uintptr_t boot_carve(struct boot_memory *memory, unsigned bits)
{
    uintptr_t size = (uintptr_t)1 << bits;
    for (size_t i = 0; i < memory->count; i++) {
        uintptr_t start = align_up(memory->base[i], size);
        if (start < memory->base[i] || start > memory->end[i] || memory->end[i] - start < size)
            continue;
        uintptr_t gap_base = memory->base[i];
        memory->base[i] = start + size;
        if (start > gap_base)
            boot_memory_add(memory, i, gap_base, start);
        void *view = hal_kernel_view(start, size);
        if (view == NULL)
            kernel_panic("memory map names unused memory the kernel cannot reach");
        kmemset(view, 0, size);
        return start;
    }
    kernel_panic("not enough memory to boot the root domain");
}

/* Where boot puts things. */
struct boot {
    struct boot_memory memory;
    struct vesper_bootinfo *info;
    struct cte *slots;  /* the root CNode */
    struct cte *tail;   /* the last capability put on the derivation list */
    vesper_word next_slot;
};

/* An original capability in the root CNode's next slot (or in slot `at`). */
static struct cte *boot_place(struct boot *b, vesper_word at, struct cap cap)
{
    struct cte *slot = &b->slots[at];
    cdt_insert_after(b->tail, slot, cap, true, false);
    b->tail = slot;
    return slot;
}

static void bootinfo_add_region(struct vesper_bootinfo *info, uintptr_t base, size_t size,
                                enum vesper_region_kind kind)
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

/* The log2 of the largest aligned power-of-two block starting at base and
 * ending by end. */
static unsigned largest_block(uintptr_t base, uintptr_t end)
{
    unsigned bits = VESPER_UNTYPED_MAX_BITS;
    while (bits > 0 && ((base & (((uintptr_t)1 << bits) - 1)) != 0 ||
                        end - base < ((uintptr_t)1 << bits)))
        bits--;
    return bits;
}

/* Hand [base, end) to the root as Untyped capabilities. */
static void boot_give_untyped(struct boot *b, uintptr_t base, uintptr_t end, bool device)
{
    struct vesper_bootinfo *info = b->info;
    while (end - base >= ((uintptr_t)1 << VESPER_UNTYPED_MIN_BITS)) {
        unsigned bits = largest_block(base, end);
        if (info->untyped_count == VESPER_BOOTINFO_MAX_UNTYPED) {
            kprintf("vesper: no slot for memory at %p: not handed over\n", (void *)base);
            return;
        }
        unsigned aux = bits | (device ? 1u << 6 : 0);
        boot_place(b, b->next_slot++, cap_make(CAP_UNTYPED, base, VESPER_RIGHTS_ALL, aux, 0));
        struct vesper_untyped *u = &info->untyped[info->untyped_count++];
        u->base = base;
        u->size_bits = bits;
        u->device = device;
        base += (uintptr_t)1 << bits;
    }
}

/* Whether every FREE region of the map holds zeros already. */
static bool free_memory_zeroed(const struct hal_memory_region *region, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (region[i].kind == HAL_REGION_FREE && !region[i].zeroed)
            return false;
    return true;
}

/* The rest of RAM, unless the HAL gave it zeroed, is marked as not zeroed
 * yet (unzeroed.h), in a bitmap carved from it. */
static void boot_mark_unzeroed(struct boot_memory *memory)
{
    const struct hal_memory_region *region;
    size_t count = hal_memory_map(&region);
    if (memory->count == 0 || free_memory_zeroed(region, count))
        return;
    uintptr_t base = memory->base[0], end = memory->end[0];
    for (size_t i = 1; i < memory->count; i++) {
        base = memory->base[i] < base ? memory->base[i] : base;
        end = memory->end[i] > end ? memory->end[i] : end;
    }
    base &= ~(UNZEROED_BLOCK - 1);
    end = align_up(end, UNZEROED_BLOCK);
    unsigned bits = 3;
    while (((size_t)1 << bits) < unzeroed_bitmap_bytes(base, end))
        bits++;
    uintptr_t bitmap = boot_carve(memory, bits);
    unzeroed_init(base, end, hal_kernel_view(bitmap, (size_t)1 << bits));
    for (size_t i = 0; i < memory->count; i++)
        unzeroed_mark(memory->base[i], memory->end[i]);
}

/* Hand the rest of RAM to the root as Untyped (its memory zero or marked
 * as not zeroed yet: untyped.c), then the device regions. */
static void boot_give_memory(struct boot *b)
{
    const struct hal_memory_region *region;
    size_t count = hal_memory_map(&region);
    b->info->untyped_first = b->next_slot;
    for (size_t i = 0; i < b->memory.count; i++) {
        bootinfo_add_region(b->info, b->memory.base[i], b->memory.end[i] - b->memory.base[i],
                            VESPER_REGION_FREE);
        boot_give_untyped(b, b->memory.base[i], b->memory.end[i], false);
    }
    for (size_t i = 0; i < count; i++) {
        if (region[i].kind == HAL_REGION_IMAGE)
            bootinfo_add_region(b->info, region[i].base, region[i].size, VESPER_REGION_IMAGE);
        if (region[i].kind != HAL_REGION_DEVICE)
            continue;
        bootinfo_add_region(b->info, region[i].base, region[i].size, VESPER_REGION_DEVICE);
        boot_give_untyped(b, region[i].base, region[i].base + region[i].size, true);
    }
    b->info->empty_first = b->next_slot;
    b->info->empty_end = (vesper_word)1 << VESPER_ROOT_CNODE_RADIX;
}

/* Grant the root's PDom the frame in slot frame with rights, carving and
 * installing the PageTables the grant needs (they go to the root too). */
static void boot_grant(struct boot *b, struct cte *frame, unsigned rights)
{
    struct cap pdom = b->slots[VESPER_ROOT_SLOT_PDOM].cap;
    uintptr_t address = cap_address(frame->cap);
    for (;;) {
        struct pt_place p = pt_find(cap_address(pdom), address, frame_level(frame->cap));
        if (p.status == PT_FOUND) {
            frame_grant(frame, pdom, p.entry, rights);
            return;
        }
        uintptr_t table = boot_carve(&b->memory, VESPER_PAGE_TABLE_BITS);
        bootinfo_add_region(b->info, table, HAL_PAGE_SIZE, VESPER_REGION_KERNEL);
        struct cte *slot = boot_place(b, b->next_slot++,
                                      cap_make(CAP_PAGE_TABLE, table, VESPER_RIGHTS_ALL, 0, 0));
        page_table_install(slot, pdom, p, address);
        b->info->page_table_count++;
    }
}

/* The root's frames: its stack as 4 KiB frames, then the grants of those,
 * its IPC buffer and its bootinfo to its PDom. */
static void boot_root_frames(struct boot *b, uintptr_t stack)
{
    unsigned rw = VESPER_FRAME_READ | VESPER_FRAME_WRITE;
    b->info->stack_frame_first = b->next_slot;
    for (unsigned i = 0; i < ROOT_STACK_FRAMES; i++)
        boot_place(b, b->next_slot++,
                   cap_make(CAP_FRAME_4K, stack + i * HAL_PAGE_SIZE, VESPER_RIGHTS_ALL, 0, 0));
    b->info->page_table_first = b->next_slot;
    for (unsigned i = 0; i < ROOT_STACK_FRAMES; i++)
        boot_grant(b, &b->slots[b->info->stack_frame_first + i], rw);
    boot_grant(b, &b->slots[VESPER_ROOT_SLOT_IPC_BUFFER], rw);
    boot_grant(b, &b->slots[VESPER_ROOT_SLOT_BOOTINFO], VESPER_FRAME_READ);
}

/* Order the bootinfo regions by address (there are few: insertion sort). */
static void bootinfo_sort_regions(struct vesper_bootinfo *info)
{
    for (vesper_word i = 1; i < info->region_count; i++) {
        struct vesper_region r = info->region[i];
        vesper_word j = i;
        for (; j > 0 && info->region[j - 1].base > r.base; j--)
            info->region[j] = info->region[j - 1];
        info->region[j] = r;
    }
}

static void print_banner(const struct boot_memory *memory)
{
    size_t free_bytes = 0;
    for (size_t i = 0; i < memory->count; i++)
        free_bytes += memory->end[i] - memory->base[i];
    kprintf("Vesper %s on %s: %zu KiB of memory to hand out\n", VESPER_VERSION_STRING,
            hal_platform_name(), free_bytes / 1024);
}

/* Give the root domain copies of its CSpace, PDom and IPC buffer frame. */
static void root_domain_setup(struct domain *root, struct cte *slots, uintptr_t ipc_buffer)
{
    root->header.type = CAP_DOMAIN;
    cdt_insert_child(&slots[VESPER_ROOT_SLOT_CNODE], &root->slots[DOMAIN_SLOT_CSPACE],
                     slots[VESPER_ROOT_SLOT_CNODE].cap);
    cdt_insert_child(&slots[VESPER_ROOT_SLOT_PDOM], &root->slots[DOMAIN_SLOT_PDOM],
                     slots[VESPER_ROOT_SLOT_PDOM].cap);
    cdt_insert_child(&slots[VESPER_ROOT_SLOT_IPC_BUFFER], &root->slots[DOMAIN_SLOT_IPC_BUFFER],
                     slots[VESPER_ROOT_SLOT_IPC_BUFFER].cap);
    root->ipc_buffer = ipc_buffer;
    root->state = DOMAIN_RUNNABLE;
}

struct hal_context *kernel_boot(void)
{
    struct boot b;
    kmemset(&kernel, 0, sizeof kernel);
    cdt_reset(&kernel.cdt_head);
    irq_reset();
    boot_memory_init(&b.memory);
    print_banner(&b.memory);

    unsigned radix = VESPER_ROOT_CNODE_RADIX;
    uintptr_t cnode = boot_carve(&b.memory, radix + VESPER_SLOT_BITS);
    uintptr_t stack = boot_carve(&b.memory, ROOT_STACK_BITS);
    uintptr_t domain = boot_carve(&b.memory, VESPER_DOMAIN_BITS);
    uintptr_t pdom = boot_carve(&b.memory, VESPER_PDOM_BITS);
    uintptr_t ipc_buffer = boot_carve(&b.memory, VESPER_FRAME_4K_BITS);
    uintptr_t bootinfo = boot_carve(&b.memory, VESPER_FRAME_4K_BITS);

    b.info = hal_kernel_view(bootinfo, sizeof *b.info);
    b.slots = hal_kernel_view(cnode, (size_t)1 << (radix + VESPER_SLOT_BITS));
    b.tail = &kernel.cdt_head;
    b.next_slot = VESPER_ROOT_SLOT_UNTYPED_FIRST;
    b.info->magic = VESPER_BOOTINFO_MAGIC;
    b.info->version = VESPER_BOOTINFO_VERSION;
    b.info->ipc_buffer = ipc_buffer;
    b.info->stack_base = stack;
    b.info->stack_size = ROOT_STACK_SIZE;
    bootinfo_add_region(b.info, stack, ROOT_STACK_SIZE, VESPER_REGION_ROOT);
    bootinfo_add_region(b.info, ipc_buffer, HAL_PAGE_SIZE, VESPER_REGION_ROOT);
    bootinfo_add_region(b.info, bootinfo, HAL_PAGE_SIZE, VESPER_REGION_ROOT);
    bootinfo_add_region(b.info, cnode, (size_t)1 << (radix + VESPER_SLOT_BITS), VESPER_REGION_KERNEL);
    bootinfo_add_region(b.info, domain, (size_t)1 << VESPER_DOMAIN_BITS, VESPER_REGION_KERNEL);
    bootinfo_add_region(b.info, pdom, (size_t)1 << VESPER_PDOM_BITS, VESPER_REGION_KERNEL);

    unsigned all = VESPER_RIGHTS_ALL;
    boot_place(&b, VESPER_ROOT_SLOT_DOMAIN, cap_make(CAP_DOMAIN, domain, all, 0, 0));
    boot_place(&b, VESPER_ROOT_SLOT_CNODE,
               cap_make(CAP_CNODE, cnode, all, radix, 64 - radix)); /* guard: 0, 54 bits */
    boot_place(&b, VESPER_ROOT_SLOT_PDOM, pdom_make(pdom)); /* slot 0 */
    boot_place(&b, VESPER_ROOT_SLOT_IPC_BUFFER, cap_make(CAP_FRAME_4K, ipc_buffer, all, 0, 0));
    boot_place(&b, VESPER_ROOT_SLOT_BOOTINFO,
               cap_make(CAP_FRAME_4K, bootinfo, VESPER_RIGHT_READ, 0, 0));
    boot_place(&b, VESPER_ROOT_SLOT_IRQ_CONTROL, cap_make(CAP_IRQ_CONTROL, 0, all, 0, 0));
    boot_place(&b, VESPER_ROOT_SLOT_SCHED_CONTROL, cap_make(CAP_SCHED_CONTROL, 0, all, 0, 0));
    boot_root_frames(&b, stack);
    boot_mark_unzeroed(&b.memory);
    boot_give_memory(&b);
    bootinfo_sort_regions(b.info);

    struct domain *root = hal_kernel_view(domain, sizeof *root);
    root_domain_setup(root, b.slots, ipc_buffer);
    hal_context_init_user(&root->context, hal_root_entry(), stack, stack + ROOT_STACK_SIZE,
                          bootinfo);
    hal_context_set_ipc_buffer(&root->context, ipc_buffer);
    kernel.root = root;
    kernel.root_bootinfo = bootinfo;
    kernel.running = true;
    kprintf("vesper: %u untyped regions handed over; entering the root domain\n",
            (unsigned)b.info->untyped_count);
    sched_new_slice();
    return sched_run(root);
}

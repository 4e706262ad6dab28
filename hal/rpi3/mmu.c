/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The MMU: the kernel's own translation tables, the entry format of every
 * PDom's tree (hal.h, "Protection domains"), and switching between trees.
 *
 * One address space, mapped to itself: a virtual address is the physical
 * one, in the kernel and in every domain. TTBR0_EL1 holds the tree in
 * force; TTBR1_EL1 is never walked (TCR_EL1.EPD1). Trees have four levels
 * of 512 entries over 4 KiB pages: 48-bit addresses, the walk starting at
 * level 0.
 *
 * The kernel runs at EL1 under whatever tree is in TTBR0, so every tree maps
 * what the kernel touches, for EL1 only. The kernel's tree is built here at
 * boot, in tables in the kernel's bss, and never changes afterwards:
 *   - page 0 is not mapped, so that a null pointer faults;
 *   - the rest of RAM (up to the end the firmware gave) is normal
 *     write-back memory, inner shareable, EL1 read-write, never executable;
 *   - the image's kernel part: text EL1 read-only and executable, rodata
 *     EL1 read-only, data, bss and stack EL1 read-write, the page below the
 *     stack unmapped (kernel8.ld);
 *   - the image's user part, the only memory EL0 may touch by default:
 *     shared text read-only and executable at EL0 and EL1, user text
 *     read-only and executable at EL0 only, user rodata read-only, user
 *     data and bss read-write, neither executable;
 *   - the peripherals (0x3F000000-0x40000000) and the per-core controller
 *     (0x40000000-0x40040000): device nGnRE, EL1 read-write, never
 *     executable.
 * 2 MiB blocks where a range covers them whole, 4 KiB pages elsewhere.
 * Every leaf is non-global (nG), the kernel's included: a kernel mapping
 * cached under one ASID then never meets a user grant of the same page
 * under another as a global entry would, which the architecture calls a
 * TLB conflict. The access flag is set in every leaf (no hardware flag
 * management on the Cortex-A53).
 *
 * hal_pte_empty() answers what the kernel's tree holds, read from the
 * tree itself: a PDom's tree starts as links to the kernel's own tables, and
 * where the kernel has a block and the core asks about a smaller entry
 * below it, a block or page with the same attributes. Entries the HAL makes
 * for users carry a software bit (55) that no kernel entry has, and the
 * rights they were made with (bits 56-58), so an empty entry never equals
 * a user's and hal_pte_rights() gives back exactly what was granted.
 *
 * ASIDs: the kernel's tree runs with ASID 0, the PDom in slot s with ASID
 * s + 1 (8-bit ASIDs; the core has at most 64 slots). Switching trees
 * flushes nothing.
 *
 * When the kernel, under a domain's tree, writes memory that the domain
 * was granted read-only (another domain's IPC buffer, say), the MMU refuses
 * at EL1 as it would at EL0. The EL1 abort vector (vectors.S) then moves to
 * the kernel's tree, where all RAM is EL1 read-write, and retries; the next
 * return to user mode puts the domain's tree back (rpi3_mmu_user_tree()).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vesper/object.h>

#include "hal.h"
#include "kernel.h"
#include "rpi3.h"

/* ---- Descriptor bits (Arm ARM, VMSAv8-64 stage 1) ----------------------- */

#define PTE_VALID (1ull << 0)
#define PTE_NOT_BLOCK (1ull << 1) /* a table at levels 0-2, a page at level 3 */
#define PTE_ATTR_NORMAL (0ull << 2) /* AttrIndx: MAIR_EL1 attribute 0 */
#define PTE_ATTR_DEVICE (1ull << 2) /* attribute 1 */
#define PTE_AP_EL0 (1ull << 6)      /* AP[1]: EL0 has the access EL1 has */
#define PTE_AP_READ_ONLY (1ull << 7) /* AP[2] */
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)
#define PTE_NG (1ull << 11)
#define PTE_PXN (1ull << 53)
#define PTE_UXN (1ull << 54)
/* Bits 58-55 are left to software in every descriptor. */
#define PTE_USER_MADE (1ull << 55) /* made by hal_pte_table() or hal_pte_frame() */
#define PTE_RIGHTS_SHIFT 56        /* the rights given to hal_pte_frame() */
#define PTE_RIGHTS_MASK (7ull << PTE_RIGHTS_SHIFT)
#define PTE_ADDRESS_MASK 0x0000fffffffff000ull /* bits 47-12 */

#define PTE_TABLE (PTE_VALID | PTE_NOT_BLOCK)
#define PTE_PAGE (PTE_VALID | PTE_NOT_BLOCK)
#define PTE_BLOCK PTE_VALID
#define PTE_TYPE_MASK (PTE_VALID | PTE_NOT_BLOCK)

/* Attributes of the kinds of memory, without type and address. */
#define MEMORY_NORMAL (PTE_ATTR_NORMAL | PTE_SH_INNER | PTE_AF | PTE_NG)
#define KERNEL_TEXT (MEMORY_NORMAL | PTE_AP_READ_ONLY | PTE_UXN)
#define KERNEL_READ_ONLY (MEMORY_NORMAL | PTE_AP_READ_ONLY | PTE_UXN | PTE_PXN)
#define KERNEL_READ_WRITE (MEMORY_NORMAL | PTE_UXN | PTE_PXN)
#define SHARED_TEXT (MEMORY_NORMAL | PTE_AP_READ_ONLY | PTE_AP_EL0)
#define USER_TEXT (MEMORY_NORMAL | PTE_AP_READ_ONLY | PTE_AP_EL0 | PTE_PXN)
#define USER_READ_ONLY (MEMORY_NORMAL | PTE_AP_READ_ONLY | PTE_AP_EL0 | PTE_UXN | PTE_PXN)
#define USER_READ_WRITE (MEMORY_NORMAL | PTE_AP_EL0 | PTE_UXN | PTE_PXN)
#define KERNEL_DEVICE (PTE_ATTR_DEVICE | PTE_AF | PTE_NG | PTE_UXN | PTE_PXN)

/* ---- System registers --------------------------------------------------- */

/* MAIR_EL1: attribute 0 normal memory, inner and outer write-back
 * non-transient with read and write allocation; attribute 1 device
 * nGnRE. */
#define MAIR_VALUE 0x04ffull

/* TCR_EL1: T0SZ 16 (48-bit addresses, walks from level 0); table walks
 * through TTBR0 inner and outer write-back write-allocate, inner
 * shareable, like the RAM they read; 4 KiB granule; TTBR1 never walked
 * (EPD1), its fields set to the same legal values; 8-bit ASIDs from
 * TTBR0 (A1 = 0, AS = 0); IPS added at run time. */
#define TCR_T0SZ 16ull
#define TCR_IRGN0_WBWA (1ull << 8)
#define TCR_ORGN0_WBWA (1ull << 10)
#define TCR_SH0_INNER (3ull << 12)
#define TCR_TG0_4K (0ull << 14)
#define TCR_T1SZ (16ull << 16)
#define TCR_EPD1 (1ull << 23)
#define TCR_IRGN1_WBWA (1ull << 24)
#define TCR_ORGN1_WBWA (1ull << 26)
#define TCR_SH1_INNER (3ull << 28)
#define TCR_TG1_4K (2ull << 30)
#define TCR_IPS_SHIFT 32
#define TCR_VALUE                                                                        \
    (TCR_T0SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K | TCR_T1SZ | \
     TCR_EPD1 | TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER | TCR_TG1_4K)

/* ID_AA64MMFR0_EL1.PARange: the physical address size, coded as TCR's IPS
 * is. Descriptors here hold 48-bit addresses, so larger ones are capped. */
#define PARANGE_MASK 0xfull
#define PARANGE_48_BITS 5ull
static const unsigned parange_bits[] = {32, 36, 40, 42, 44, 48};

/* SCTLR_EL1: M (MMU), C (data caches), I (instruction cache). */
#define SCTLR_M (1ull << 0)
#define SCTLR_C (1ull << 2)
#define SCTLR_I (1ull << 12)

#define VA_BITS 48 /* 64 - T0SZ */
#define TTBR_ASID_SHIFT 48
#define ASID_COUNT 256u

/* A TLB invalidation by page covers ranges of at most this many pages;
 * a larger range is forgotten for the whole ASID at once. */
#define FLUSH_PAGES_MAX 32u

/* ---- The kernel's tree -------------------------------------------------- */

/* Level 0, level 1, one level-2 table for each of the first two GiB (RAM
 * and peripherals, then the per-core controller), and level-3 tables for
 * the 2 MiB blocks that hold more than one kind of memory: the image's
 * (kernel8.ld bounds it to 6 MiB, three tables), the end of RAM when it is
 * not 2 MiB aligned, the per-core controller. */
#define KERNEL_TABLES 10u

static uint64_t kernel_tables[KERNEL_TABLES][HAL_PT_ENTRIES]
    __attribute__((aligned(HAL_PAGE_SIZE)));
static unsigned kernel_tables_used;

/* What TTBR0_EL1 holds for the kernel's tree (ASID 0); vectors.S reads
 * it to move to the kernel's tree. */
uint64_t rpi3_kernel_ttbr0;

/* How many kernel accesses vectors.S retried under the kernel's tree. */
uint64_t rpi3_kernel_tree_retries;

/* What TTBR0_EL1 should hold while user code runs. */
static uint64_t user_ttbr0;

/* A range of the kernel's map: [base, end) with attributes. */
struct kernel_range {
    uintptr_t base, end;
    uint64_t attributes;
};

#define KERNEL_RANGES_MAX 16u

static uint64_t *table_at(uint64_t entry)
{
    return (uint64_t *)(uintptr_t)(entry & PTE_ADDRESS_MASK);
}

static unsigned index_at(uintptr_t address, unsigned level)
{
    return (unsigned)(address >> hal_pt_shift(level)) & (HAL_PT_ENTRIES - 1);
}

static uint64_t entry_size(unsigned level)
{
    return 1ull << hal_pt_shift(level);
}

static uint64_t *kernel_table_new(void)
{
    if (kernel_tables_used == KERNEL_TABLES)
        kernel_panic("the kernel's translation tables ran out");
    return kernel_tables[kernel_tables_used++]; /* zeroed with the bss */
}

/* The table the entry at *entry links to, made now if the entry is empty. */
static uint64_t *kernel_next_table(uint64_t *entry)
{
    if (*entry == 0)
        *entry = (uint64_t)(uintptr_t)kernel_table_new() | PTE_TABLE;
    else if ((*entry & PTE_TYPE_MASK) != PTE_TABLE)
        kernel_panic("two ranges of the kernel's map overlap");
    return table_at(*entry);
}

/* Map [base, end), page aligned, with attributes: a 2 MiB block wherever
 * the range covers one whole, pages elsewhere. */
static void kernel_map(uint64_t *level0, uintptr_t base, uintptr_t end, uint64_t attributes)
{
    const unsigned block_level = HAL_PT_LEVELS - 2;
    const uint64_t block = entry_size(block_level);
    uintptr_t address = base;
    while (address < end) {
        uint64_t *table = level0;
        for (unsigned level = 0; level < block_level; level++)
            table = kernel_next_table(&table[index_at(address, level)]);
        uint64_t *entry = &table[index_at(address, block_level)];
        if (address % block == 0 && end - address >= block) {
            *entry = address | attributes | PTE_BLOCK;
            address += block;
            continue;
        }
        uint64_t *pages = kernel_next_table(entry);
        pages[index_at(address, HAL_PT_LEVELS - 1)] = address | attributes | PTE_PAGE;
        address += HAL_PAGE_SIZE;
    }
}

static void range_add(struct kernel_range *ranges, unsigned *count, uintptr_t base,
                      uintptr_t end, uint64_t attributes)
{
    if (base >= end)
        return;
    if (*count == KERNEL_RANGES_MAX)
        kernel_panic("too many ranges in the kernel's map");
    ranges[(*count)++] = (struct kernel_range){base, end, attributes};
}

/* The kernel's map, in address order; gaps are left unmapped. */
static unsigned kernel_ranges(struct kernel_range *ranges, uintptr_t ram_end)
{
    unsigned n = 0;
    range_add(ranges, &n, HAL_PAGE_SIZE, (uintptr_t)__image_start, KERNEL_READ_WRITE);
    range_add(ranges, &n, (uintptr_t)__image_start, (uintptr_t)__kernel_text_end, KERNEL_TEXT);
    range_add(ranges, &n, (uintptr_t)__kernel_text_end, (uintptr_t)__kernel_data_start,
              KERNEL_READ_ONLY);
    range_add(ranges, &n, (uintptr_t)__kernel_data_start, (uintptr_t)__user_start,
              KERNEL_READ_WRITE);
    range_add(ranges, &n, (uintptr_t)__user_start, (uintptr_t)__shared_text_end, SHARED_TEXT);
    range_add(ranges, &n, (uintptr_t)__shared_text_end, (uintptr_t)__user_text_end, USER_TEXT);
    range_add(ranges, &n, (uintptr_t)__user_text_end, (uintptr_t)__user_data_start,
              USER_READ_ONLY);
    range_add(ranges, &n, (uintptr_t)__user_data_start, (uintptr_t)__user_end, USER_READ_WRITE);
    range_add(ranges, &n, (uintptr_t)__user_end, (uintptr_t)__kernel_stack_guard,
              KERNEL_READ_WRITE);
    /* the guard page stays unmapped */
    range_add(ranges, &n, (uintptr_t)__kernel_stack_bottom, (uintptr_t)__image_end,
              KERNEL_READ_WRITE);
    range_add(ranges, &n, (uintptr_t)__image_end, ram_end, KERNEL_READ_WRITE);
    range_add(ranges, &n, RPI3_PERIPHERAL_BASE, RPI3_PERIPHERAL_END, KERNEL_DEVICE);
    range_add(ranges, &n, RPI3_LOCAL_BASE, RPI3_LOCAL_END, KERNEL_DEVICE);
    return n;
}

RPI3_SYSTEM_REGISTER_READER(id_aa64mmfr0_el1) /* PARange: the physical address size */
RPI3_SYSTEM_REGISTER_READER(sctlr_el1)
RPI3_SYSTEM_REGISTER_READER(ttbr0_el1)

/* Switch trees. The kernel's mappings are the same in every tree, so the
 * code around the switch runs on either. */
static void write_ttbr0_el1(uint64_t value)
{
    __asm__ volatile("msr ttbr0_el1, %0\n\tisb" : : "r"(value) : "memory");
}

void rpi3_mmu_init(uintptr_t ram_end)
{
    struct kernel_range ranges[KERNEL_RANGES_MAX];
    unsigned count = kernel_ranges(ranges, ram_end);
    uint64_t *level0 = kernel_table_new();
    for (unsigned i = 0; i < count; i++)
        kernel_map(level0, ranges[i].base, ranges[i].end, ranges[i].attributes);

    uint64_t parange = read_id_aa64mmfr0_el1() & PARANGE_MASK;
    if (parange > PARANGE_48_BITS)
        parange = PARANGE_48_BITS;
    rpi3_kernel_ttbr0 = (uint64_t)(uintptr_t)level0;
    user_ttbr0 = rpi3_kernel_ttbr0;

    /* The tables, the bss and the stack were written with the data cache
     * off, straight to RAM: drop whatever a cache may still hold of the
     * image, so that no stale line hides them once caches are on. */
    rpi3_dcache_invalidate_range((uintptr_t)__image_start, (uintptr_t)__image_end);
    rpi3_mmu_enable(MAIR_VALUE, TCR_VALUE | parange << TCR_IPS_SHIFT, rpi3_kernel_ttbr0,
                    read_sctlr_el1() | SCTLR_M | SCTLR_C | SCTLR_I);
    kprintf("vesper: MMU on, caches on: 48-bit addresses, %u-bit physical, %u translation "
            "tables; EL0 may use 0x%lx-0x%lx\n",
            parange_bits[parange], kernel_tables_used, (unsigned long)(uintptr_t)__user_start,
            (unsigned long)(uintptr_t)__user_end);
}

void rpi3_mmu_user_tree(void)
{
    if (read_ttbr0_el1() != user_ttbr0)
        write_ttbr0_el1(user_ttbr0);
}

/* ---- Entries (hal.h) ---------------------------------------------------- */

hal_pte hal_pte_empty(uintptr_t address, unsigned level)
{
    if (level >= HAL_PT_LEVELS || (uint64_t)address >> VA_BITS != 0)
        return 0; /* beyond the 48-bit space: nothing is mapped there */
    const uint64_t *table = table_at(rpi3_kernel_ttbr0);
    for (unsigned l = 0;; l++) {
        uint64_t e = table[index_at(address, l)];
        if (l == level)
            return e;
        if ((e & PTE_VALID) == 0)
            return 0;
        if ((e & PTE_NOT_BLOCK) != 0) {
            table = table_at(e);
            continue;
        }
        /* A kernel block over a smaller entry: the same attributes, at the
         * size of the entry asked about. */
        uint64_t attributes = e & ~(PTE_ADDRESS_MASK | PTE_TYPE_MASK);
        uint64_t output = (uint64_t)address & PTE_ADDRESS_MASK & ~(entry_size(level) - 1);
        return output | attributes | (level == HAL_PT_LEVELS - 1 ? PTE_PAGE : PTE_BLOCK);
    }
}

hal_pte hal_pte_table(uintptr_t table)
{
    return ((uint64_t)table & PTE_ADDRESS_MASK) | PTE_USER_MADE | PTE_TABLE;
}

uintptr_t hal_pte_table_address(hal_pte e)
{
    bool user_table = (e & PTE_USER_MADE) != 0 && (e & PTE_RIGHTS_MASK) == 0;
    return user_table ? (uintptr_t)(e & PTE_ADDRESS_MASK) : 0;
}

/* The permissions a frame grant gets. The MMU has no write-only and no
 * EL0 permission without read but execute-only:
 *   READ                AP 0b11 (read-only at EL0 and EL1)
 *   READ|WRITE, WRITE   AP 0b01 (read-write at EL0 and EL1): write alone
 *                       cannot be expressed, and reading is the lesser
 *                       right, so it comes with it
 *   EXECUTE alone       AP 0b10 (no EL0 data access, EL1 read-only) with
 *                       UXN clear: execute-only at EL0
 *   any with EXECUTE    UXN clear; without it UXN set
 * PXN is always set: the kernel never runs user memory, and the MMU would
 * refuse anyway wherever EL0 may write. Device frames take the device
 * attribute and are never executable, whatever the rights say. */
static uint64_t frame_permissions(unsigned rights, bool device)
{
    uint64_t bits = PTE_PXN;
    if ((rights & VESPER_FRAME_WRITE) != 0)
        bits |= PTE_AP_EL0;
    else if ((rights & VESPER_FRAME_READ) != 0)
        bits |= PTE_AP_EL0 | PTE_AP_READ_ONLY;
    else
        bits |= PTE_AP_READ_ONLY;
    if (device || (rights & VESPER_FRAME_EXECUTE) == 0)
        bits |= PTE_UXN;
    return bits;
}

hal_pte hal_pte_frame(uintptr_t frame, unsigned level, unsigned rights, bool device)
{
    if (level != HAL_PT_LEVELS - 1 && level != HAL_PT_LEVELS - 2)
        return 0; /* no frame of another size: an entry that maps nothing */
    rights &= VESPER_FRAME_READ | VESPER_FRAME_WRITE | VESPER_FRAME_EXECUTE;
    uint64_t memory = device ? (PTE_ATTR_DEVICE | PTE_AF | PTE_NG) : MEMORY_NORMAL;
    uint64_t output = (uint64_t)frame & PTE_ADDRESS_MASK & ~(entry_size(level) - 1);
    uint64_t type = level == HAL_PT_LEVELS - 1 ? PTE_PAGE : PTE_BLOCK;
    return output | memory | frame_permissions(rights, device) | PTE_USER_MADE |
           (uint64_t)rights << PTE_RIGHTS_SHIFT | type;
}

unsigned hal_pte_rights(hal_pte e)
{
    if ((e & PTE_USER_MADE) == 0)
        return 0;
    return (unsigned)((e & PTE_RIGHTS_MASK) >> PTE_RIGHTS_SHIFT);
}

/* ---- Switching and flushing (hal.h) ------------------------------------ */

static uint64_t asid_of_slot(unsigned slot)
{
    if (slot >= ASID_COUNT - 1)
        kernel_panic("a PDom slot beyond the ASIDs");
    return (uint64_t)slot + 1;
}

void hal_pdom_activate(uintptr_t pdom, unsigned slot)
{
    if (pdom == 0)
        user_ttbr0 = rpi3_kernel_ttbr0;
    else
        user_ttbr0 = ((uint64_t)pdom & PTE_ADDRESS_MASK) | asid_of_slot(slot) << TTBR_ASID_SHIFT;
    write_ttbr0_el1(user_ttbr0);
}

/* The table writes before this are seen by the table walker before any
 * access after it. */
static void tables_written(void)
{
    __asm__ volatile("dsb ishst" : : : "memory");
}

static void tlb_maintenance_done(void)
{
    __asm__ volatile("dsb ish\n\tisb" : : : "memory");
}

static void tlb_forget_asid(uint64_t asid)
{
    __asm__ volatile("tlbi aside1is, %0" : : "r"(asid << TTBR_ASID_SHIFT) : "memory");
}

void hal_pdom_flush(unsigned slot, uintptr_t address, size_t size)
{
    uint64_t asid = asid_of_slot(slot);
    tables_written();
    if (size != 0) {
        uint64_t first = (uint64_t)address >> HAL_PAGE_BITS;
        uint64_t last = ((uint64_t)address + (size - 1)) >> HAL_PAGE_BITS;
        bool wraps = (uint64_t)address + (size - 1) < (uint64_t)address;
        if (wraps || last - first >= FLUSH_PAGES_MAX) {
            tlb_forget_asid(asid);
        } else {
            /* TLBI VAE1IS: ASID in bits 63-48, the page number in 43-0;
             * it drops the walk's cached table entries for the page too. */
            for (uint64_t page = first; page <= last; page++) {
                uint64_t operand = asid << TTBR_ASID_SHIFT | (page & ((1ull << 44) - 1));
                __asm__ volatile("tlbi vae1is, %0" : : "r"(operand) : "memory");
            }
        }
    }
    tlb_maintenance_done();
}

void hal_pdom_forget(unsigned slot)
{
    tables_written();
    tlb_forget_asid(asid_of_slot(slot));
    tlb_maintenance_done();
}

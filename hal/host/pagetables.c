/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The host's simulated translation tables: the entry format of a PDom's
 * tree and the walks that read it.
 *
 * On hardware the MMU walks a PDom's tables by itself whenever its TLB
 * misses, and the entries are in the format the MMU defines. The host has
 * no MMU to give tables to, so it defines a format of its own and walks the
 * trees here, in software; protection.c turns what a walk finds into
 * mprotect calls on the users' window. An entry is a 64-bit word:
 *
 *   bit 0       valid (the empty entry is 0)
 *   bit 1       table: the address is the next level's table; else a frame
 *   bits 2-4    a frame's rights: VESPER_FRAME_READ, _WRITE, _EXECUTE
 *   bit 5       a device frame
 *   bits 12-47  the address of the table or frame, in the single address
 *               space
 *
 * As on aarch64, the level an entry sits at says how much a frame entry
 * covers: 2 MiB at level 2, 4 KiB at level 3. A frame entry anywhere else,
 * or one whose frame is not the memory its place in the tree covers,
 * grants nothing: in the single address space a frame is granted at its
 * one address, and mprotect cannot translate.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include <vesper/object.h>

#include "hal.h"
#include "host_internal.h"

#define PTE_VALID ((hal_pte)1 << 0)
#define PTE_TABLE ((hal_pte)1 << 1)
#define PTE_RIGHTS_SHIFT 2u
#define PTE_RIGHTS_MASK ((hal_pte)VESPER_FRAME_RIGHTS_ALL << PTE_RIGHTS_SHIFT)
#define PTE_DEVICE ((hal_pte)1 << 5)
#define PTE_ADDRESS_MASK ((((hal_pte)1 << 48) - 1) & ~(hal_pte)(HAL_PAGE_SIZE - 1))

/* Levels whose entries may grant a frame: 2 MiB blocks and 4 KiB pages. */
#define FRAME_LEVEL_FIRST 2u

hal_pte hal_pte_empty(uintptr_t address, unsigned level)
{
    (void)address, (void)level;
    return 0;
}

hal_pte hal_pte_table(uintptr_t table)
{
    return ((hal_pte)table & PTE_ADDRESS_MASK) | PTE_TABLE | PTE_VALID;
}

uintptr_t hal_pte_table_address(hal_pte e)
{
    return (e & PTE_TABLE) ? (uintptr_t)(e & PTE_ADDRESS_MASK) : 0;
}

hal_pte hal_pte_frame(uintptr_t frame, unsigned level, unsigned rights, bool device)
{
    (void)level; /* implied by where the entry sits */
    return ((hal_pte)frame & PTE_ADDRESS_MASK) |
           (((hal_pte)rights << PTE_RIGHTS_SHIFT) & PTE_RIGHTS_MASK) |
           (device ? PTE_DEVICE : 0) | PTE_VALID;
}

unsigned hal_pte_rights(hal_pte e)
{
    if (!(e & PTE_VALID) || (e & PTE_TABLE))
        return 0;
    return (unsigned)((e & PTE_RIGHTS_MASK) >> PTE_RIGHTS_SHIFT);
}

int host_rights_protection(unsigned rights)
{
    int prot = PROT_NONE;
    if (rights & VESPER_FRAME_READ)
        prot |= PROT_READ;
    /* x86_64 pages cannot be writable without being readable: a frame
     * granted WRITE alone is readable too. */
    if (rights & VESPER_FRAME_WRITE)
        prot |= PROT_READ | PROT_WRITE;
    if (rights & VESPER_FRAME_EXECUTE)
        prot |= PROT_EXEC;
    return prot;
}

static size_t entry_span(unsigned level)
{
    return (size_t)1 << hal_pt_shift(level);
}

static unsigned entry_index(uintptr_t address, unsigned level)
{
    return (unsigned)(address >> hal_pt_shift(level)) & (HAL_PT_ENTRIES - 1);
}

/* A table's entries through the kernel's window, or NULL when the address
 * is not a page of RAM (then the table grants nothing). */
static const hal_pte *table_entries(uintptr_t table)
{
    return hal_kernel_view(table, HAL_PAGE_SIZE);
}

/* What a frame entry at level, covering [base, base + span), grants:
 * its protection, or PROT_NONE when it grants nothing. */
static int frame_protection(hal_pte e, unsigned level, uintptr_t base)
{
    if (!(e & PTE_VALID) || (e & PTE_TABLE) || level < FRAME_LEVEL_FIRST)
        return PROT_NONE;
    if ((uintptr_t)(e & PTE_ADDRESS_MASK) != base)
        return PROT_NONE;
    return host_rights_protection(hal_pte_rights(e));
}

void host_runs_append(struct host_runs *runs, uintptr_t start, uintptr_t end, int prot)
{
    if (runs->count > 0) {
        struct host_run *last = &runs->run[runs->count - 1];
        if (last->end == start && last->prot == prot) {
            last->end = end;
            return;
        }
    }
    if (runs->count < runs->capacity)
        runs->run[runs->count++] = (struct host_run){start, end, prot};
}

static uintptr_t max_address(uintptr_t a, uintptr_t b)
{
    return a > b ? a : b;
}

static uintptr_t min_address(uintptr_t a, uintptr_t b)
{
    return a < b ? a : b;
}

/* The walk below table (at level, covering from base) over [start, end). */
static void walk_table(uintptr_t table, unsigned level, uintptr_t base, uintptr_t start,
                       uintptr_t end, struct host_runs *runs)
{
    const hal_pte *entries = table_entries(table);
    if (entries == NULL)
        return;
    size_t span = entry_span(level);
    unsigned last = entry_index(end - 1, level);
    for (unsigned i = entry_index(start, level); i <= last; i++) {
        uintptr_t entry_base = base + (uintptr_t)i * span;
        uintptr_t from = max_address(start, entry_base);
        uintptr_t to = min_address(end, entry_base + span);
        hal_pte e = entries[i];
        if ((e & PTE_VALID) && (e & PTE_TABLE) && level + 1 < HAL_PT_LEVELS) {
            walk_table(hal_pte_table_address(e), level + 1, entry_base, from, to, runs);
            continue;
        }
        int prot = frame_protection(e, level, entry_base);
        if (prot != PROT_NONE)
            host_runs_append(runs, from, to, prot);
    }
}

void host_tree_runs(uintptr_t pdom, uintptr_t start, uintptr_t end, struct host_runs *runs)
{
    if (pdom != 0 && start < end)
        walk_table(pdom, 0, 0, start, end, runs);
}

/* Widen a page's run over its neighbours in the same leaf table that grant
 * the same protection, within [start, end). */
static void widen_in_leaf(const hal_pte *entries, uintptr_t table_base, uintptr_t start,
                          uintptr_t end, struct host_run *run)
{
    unsigned i = entry_index(run->start, HAL_PT_LEVELS - 1);
    while (i > 0 && run->start - HAL_PAGE_SIZE >= start &&
           frame_protection(entries[i - 1], HAL_PT_LEVELS - 1,
                            table_base + (uintptr_t)(i - 1) * HAL_PAGE_SIZE) == run->prot) {
        i--;
        run->start -= HAL_PAGE_SIZE;
    }
    i = entry_index(run->end - 1, HAL_PT_LEVELS - 1);
    while (i + 1 < HAL_PT_ENTRIES && run->end + HAL_PAGE_SIZE <= end &&
           frame_protection(entries[i + 1], HAL_PT_LEVELS - 1,
                            table_base + (uintptr_t)(i + 1) * HAL_PAGE_SIZE) == run->prot) {
        i++;
        run->end += HAL_PAGE_SIZE;
    }
}

bool host_tree_lookup(uintptr_t pdom, uintptr_t address, uintptr_t start, uintptr_t end,
                      struct host_run *run)
{
    uintptr_t table = pdom, base = 0;
    for (unsigned level = 0; level < HAL_PT_LEVELS && table != 0; level++) {
        const hal_pte *entries = table_entries(table);
        if (entries == NULL)
            return false;
        size_t span = entry_span(level);
        unsigned i = entry_index(address, level);
        uintptr_t entry_base = base + (uintptr_t)i * span;
        hal_pte e = entries[i];
        if ((e & PTE_VALID) && (e & PTE_TABLE)) {
            table = hal_pte_table_address(e);
            base = entry_base;
            continue;
        }
        int prot = frame_protection(e, level, entry_base);
        if (prot == PROT_NONE)
            return false;
        *run = (struct host_run){max_address(start, entry_base),
                                 min_address(end, entry_base + span), prot};
        if (level == HAL_PT_LEVELS - 1)
            widen_in_leaf(entries, base, start, end, run);
        return run->start < run->end;
    }
    return false;
}

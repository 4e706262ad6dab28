/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * PDoms: their kernel slots, and the trees of tables that say what the
 * domains running in them may touch (pdom.h; docs/objects/pdom.md).
 *
 * The kernel never allocates a table: the PDom object is the tree's level 0
 * and every lower table is a PageTable a user retyped and installed. The
 * entries are in the HAL's format; the core only compares them with what
 * the HAL's constructors return.
 */
#include "domain.h"
#include "pdom.h"
#include "state.h"

unsigned pdom_slots_unused(void)
{
    unsigned unused = 0;
    for (unsigned i = 0; i < KERNEL_PDOM_SLOTS; i++)
        unused += kernel.pdoms[i].used ? 0 : 1;
    return unused;
}

struct cap pdom_make(uintptr_t address)
{
    unsigned i = 0;
    while (i < KERNEL_PDOM_SLOTS - 1 && kernel.pdoms[i].used)
        i++;
    struct pdom_slot *slot = &kernel.pdoms[i];
    slot->used = true;
    slot->table = address;
    pt_fill_empty(address, 0, 0);
    return cap_make(CAP_PDOM, address, VESPER_RIGHTS_ALL, i, slot->generation);
}

void pdom_destroy(struct cap c)
{
    unsigned index = pdom_slot_of(c) % KERNEL_PDOM_SLOTS;
    struct pdom_slot *slot = &kernel.pdoms[index];
    if (kernel.active_pdom == slot->table) {
        kernel.active_pdom = 0;
        hal_pdom_activate(0, 0);
    }
    hal_pdom_forget(index);
    slot->used = false;
    slot->table = 0;
    slot->generation++;
}

uint64_t pdom_generation_bits(unsigned slot, unsigned bits)
{
    return kernel.pdoms[slot % KERNEL_PDOM_SLOTS].generation & ((UINT64_C(1) << bits) - 1);
}

uintptr_t pdom_table_of_slot(unsigned slot)
{
    return kernel.pdoms[slot % KERNEL_PDOM_SLOTS].table;
}

bool pdom_record_is_live(unsigned slot, uint64_t generation, unsigned bits)
{
    return slot < KERNEL_PDOM_SLOTS && kernel.pdoms[slot].used &&
           pdom_generation_bits(slot, bits) == generation;
}

/* ---- The tree ------------------------------------------------------------ */

static unsigned pt_index(uintptr_t address, unsigned level)
{
    return (unsigned)(address >> hal_pt_shift(level)) & (HAL_PT_ENTRIES - 1);
}

static hal_pte *pt_table(uintptr_t table)
{
    return hal_kernel_pointer(table);
}

bool pt_entry_is_empty(hal_pte e, uintptr_t address, unsigned level)
{
    return e == hal_pte_empty(address, level);
}

void pt_fill_empty(uintptr_t table, uintptr_t base, unsigned level)
{
    hal_pte *entries = pt_table(table);
    for (unsigned i = 0; i < HAL_PT_ENTRIES; i++) {
        uintptr_t address = base + ((uintptr_t)i << hal_pt_shift(level));
        entries[i] = hal_pte_empty(address, level);
    }
}

struct pt_place pt_find(uintptr_t pdom, uintptr_t address, unsigned level)
{
    uintptr_t table = pdom;
    for (unsigned l = 0;; l++) {
        hal_pte *entry = &pt_table(table)[pt_index(address, l)];
        if (l == level)
            return (struct pt_place){PT_FOUND, l, entry};
        if (pt_entry_is_empty(*entry, address, l))
            return (struct pt_place){PT_MISSING_TABLE, l + 1, entry};
        table = hal_pte_table_address(*entry);
        if (table == 0)
            return (struct pt_place){PT_BLOCKED, l, entry};
    }
}

unsigned pdom_rights_at(uintptr_t pdom, uintptr_t address)
{
    if (pdom == 0 || (uint64_t)address >= PT_ADDRESS_LIMIT)
        return 0;
    struct pt_place p = pt_find(pdom, address, HAL_PT_LEVELS - 1);
    if (p.status == PT_MISSING_TABLE)
        return 0;
    if (p.status == PT_FOUND && pt_entry_is_empty(*p.entry, address, p.level))
        return 0;
    return hal_pte_rights(*p.entry);
}

void pdom_activate_for(const struct domain *d)
{
    struct cap c = d->slots[DOMAIN_SLOT_PDOM].cap;
    uintptr_t table = cap_address(c);
    kernel.active_pdom = table;
    hal_pdom_activate(table, table != 0 ? pdom_slot_of(c) : 0);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * PageTables: the lower levels of a PDom's tree, retyped from Untyped by
 * users and installed where a PDom lacks a table; the kernel allocates
 * none. Like a frame's grant, an installation is recorded in the
 * capability that made it, and deleting that capability unlinks the table
 * (docs/objects/pdom.md).
 */
#include "invoke.h"
#include "pdom.h"

/* The bytes one entry at level covers. */
static size_t entry_size(unsigned level)
{
    return (size_t)1 << hal_pt_shift(level);
}

bool page_table_is_installed(struct cap table)
{
    return page_table_level(table) != 0 &&
           pdom_record_is_live(page_table_slot(table), page_table_generation(table),
                               PAGE_TABLE_GENERATION_BITS);
}

void page_table_install(struct cte *table, struct cap pdom, struct pt_place at,
                        uintptr_t address)
{
    unsigned level = at.level;
    unsigned slot = pdom_slot_of(pdom);
    size_t covered = entry_size(level - 1);
    uintptr_t base = address & ~(uintptr_t)(covered - 1);
    uintptr_t t = cap_address(table->cap);
    pt_fill_empty(t, base, level);
    hal_pdom_flush(slot, base, covered); /* the entries before the link to them */
    *at.entry = hal_pte_table(t);
    hal_pdom_flush(slot, base, covered);
    table->cap = page_table_installed(table->cap, level, base, slot,
                                      pdom_generation_bits(slot, PAGE_TABLE_GENERATION_BITS));
}

void page_table_take_back(struct cap table)
{
    if (!page_table_is_installed(table))
        return;
    unsigned level = page_table_level(table);
    unsigned slot = page_table_slot(table);
    uintptr_t base = page_table_base(table);
    struct pt_place p = pt_find(pdom_table_of_slot(slot), base, level - 1);
    /* The link may have gone with a table above it; a table installed
     * there since stays. */
    if (p.status != PT_FOUND || *p.entry != hal_pte_table(cap_address(table)))
        return;
    *p.entry = hal_pte_empty(base, level - 1);
    hal_pdom_flush(slot, base, entry_size(level - 1));
}

/* Install(pdom, address): link the table into the PDom at the highest
 * level that has none for the address. */
static struct syscall_result decode_install(const struct invocation *inv)
{
    if (inv->length < VESPER_PAGE_TABLE_INSTALL_LENGTH)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    vesper_word address = invocation_arg(inv, VESPER_PAGE_TABLE_INSTALL_WORD_ADDRESS);
    struct lookup found =
        lookup_argument(inv, invocation_arg(inv, VESPER_PAGE_TABLE_INSTALL_WORD_PDOM));
    if (found.error != VESPER_OK)
        return result_lookup(&found, 1);
    struct cap pdom = found.slot->cap;
    if (cap_type(pdom) != CAP_PDOM)
        return result_invalid_capability(1);
    if (address >= PT_ADDRESS_LIMIT)
        return result_range(0, PT_ADDRESS_LIMIT - 1);
    if (page_table_is_installed(inv->slot->cap))
        return result_invalid_capability(0);
    struct pt_place p = pt_find(cap_address(pdom), (uintptr_t)address, HAL_PT_LEVELS - 1);
    if (p.status != PT_MISSING_TABLE)
        return result_error(VESPER_ERR_DELETE_FIRST); /* every level there, or a grant */
    page_table_install(inv->slot, pdom, p, (uintptr_t)address);
    return result_ok();
}

/* Uninstall(): unlink the table, if this capability installed it. */
static struct syscall_result decode_uninstall(const struct invocation *inv)
{
    struct cap table = inv->slot->cap;
    page_table_take_back(table);
    inv->slot->cap = cap_make(CAP_PAGE_TABLE, cap_address(table), cap_rights(table), 0, 0);
    return result_ok();
}

struct syscall_result decode_page_table_invocation(const struct invocation *inv)
{
    switch (inv->label) {
    case VESPER_PAGE_TABLE_INSTALL: return decode_install(inv);
    case VESPER_PAGE_TABLE_UNINSTALL: return decode_uninstall(inv);
    default: return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    }
}

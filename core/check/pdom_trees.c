/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The invariants of PDom trees (pdom.h; docs/objects/pdom.md), for the
 * checker (invariants.h): every table a tree links is a PageTable whose
 * installing capability still exists and records that very place, and
 * every frame a tree grants is granted by a frame capability that still
 * exists, records that PDom, and has every right the entry gives. So no
 * mapping outlives its capability or grants more than it.
 *
 * The checker's cost does not matter; each entry is matched by a walk of
 * the derivation list.
 */
#include "cdt.h"
#include "invariants.h"
#include "objecttype.h"
#include "pdom.h"
#include "state.h"

/* The capability on the derivation list that installed table at level for
 * the range at base in the PDom of slot, or NULL. */
static const struct cte *installer_of(uintptr_t table, unsigned level, uintptr_t base,
                                      unsigned slot)
{
    for (const struct cte *c = cdt_next(&kernel.cdt_head); c != NULL; c = cdt_next(c))
        if (cap_type(c->cap) == CAP_PAGE_TABLE && cap_address(c->cap) == table &&
            page_table_is_installed(c->cap) && page_table_slot(c->cap) == slot &&
            page_table_level(c->cap) == level && page_table_base(c->cap) == base)
            return c;
    return NULL;
}

/* Whether a frame capability on the list grants entry e (at level, for
 * address) in the PDom of slot, with no more rights than it has. */
static bool has_granter(hal_pte e, uintptr_t address, unsigned level, unsigned slot)
{
    for (const struct cte *c = cdt_next(&kernel.cdt_head); c != NULL; c = cdt_next(c)) {
        struct cap f = c->cap;
        enum cap_type type = cap_type(f);
        if ((type != CAP_FRAME_4K && type != CAP_FRAME_2M) || cap_address(f) != address ||
            frame_level(f) != level || !frame_grant_is_live(f) || frame_grant_slot(f) != slot)
            continue;
        unsigned rights = frame_grant_rights(f);
        if ((rights & ~cap_rights(f)) == 0 &&
            e == hal_pte_frame(address, level, rights, frame_is_device(f)))
            return true;
    }
    return false;
}

static const char *check_table(uintptr_t table, unsigned level, uintptr_t base, unsigned slot)
{
    const hal_pte *entries = hal_kernel_pointer(table);
    for (unsigned i = 0; i < HAL_PT_ENTRIES; i++) {
        uintptr_t address = base + ((uintptr_t)i << hal_pt_shift(level));
        hal_pte e = entries[i];
        /* No HAL makes a table or grant entry 0, so 0 grants nothing (on the
         * host it is the empty entry): skip it without asking the HAL, as
         * most entries are. */
        if (e == 0 || pt_entry_is_empty(e, address, level))
            continue;
        uintptr_t next = hal_pte_table_address(e);
        if (next == 0) {
            if (level < HAL_PT_LEVELS - 2 || !has_granter(e, address, level, slot))
                return "a PDom grants a frame that no capability's grant accounts for";
            continue;
        }
        if (level == HAL_PT_LEVELS - 1)
            return "a PDom's lowest level links a table";
        if (installer_of(next, level + 1, address, slot) == NULL)
            return "a PDom links a table that no installed PageTable capability accounts for";
        const char *problem = check_table(next, level + 1, address, slot);
        if (problem != NULL)
            return problem;
    }
    return NULL;
}

const char *check_pdom_trees(void)
{
    for (unsigned s = 0; s < KERNEL_PDOM_SLOTS; s++) {
        if (!kernel.pdoms[s].used)
            continue;
        const char *problem = check_table(kernel.pdoms[s].table, 0, 0, s);
        if (problem != NULL)
            return problem;
    }
    if (kernel.active_pdom != 0) {
        for (unsigned s = 0; s < KERNEL_PDOM_SLOTS; s++)
            if (kernel.pdoms[s].used && kernel.pdoms[s].table == kernel.active_pdom)
                return NULL;
        return "the active PDom is not a live PDom";
    }
    return NULL;
}

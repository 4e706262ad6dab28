/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * PDom identities (docs/objects/pdom.md, "What they will do"). The kernel
 * keeps a table of PDom slots in its own state, fixed at build time (like
 * the interrupt lines: no memory is allocated for it); every PDom occupies
 * one from its Retype until its last capability is deleted, and its
 * capabilities name the slot (the small field) and the slot's generation
 * (word 1). Releasing a slot bumps its generation, so whatever recorded the
 * pair (grants, with protection) can tell at once that the PDom is gone.
 */
#ifndef VESPER_CORE_PDOM_H
#define VESPER_CORE_PDOM_H

#include <stdbool.h>
#include <stdint.h>

#include "cap.h"
#include "hal.h"

struct domain;

/* How many PDoms can exist at once. The small field holds a slot number. */
#define KERNEL_PDOM_SLOTS 64u
_Static_assert(KERNEL_PDOM_SLOTS <= 0x80u, "a slot number fits a capability's small field");

struct pdom_slot {
    uintptr_t table;     /* the PDom's address: its first-level table */
    uint64_t generation; /* bumped each time the slot is released */
    bool used;
};

/* How many slots no PDom holds. */
unsigned pdom_slots_unused(void);

/* The capability of a new PDom at address, in an unused slot, its level-0
 * table filled with empty entries (hal_pte_empty()). The caller has checked
 * that a slot is unused (pdom_slots_unused()). */
struct cap pdom_make(uintptr_t address);

/* The last capability to the PDom c names is gone: release its slot, bump
 * its generation (every grant into it is stale from now on), forget its
 * cached translations, and deactivate it if it was the active one. */
void pdom_destroy(struct cap c);

/* The slot a PDom capability names. */
static inline unsigned pdom_slot_of(struct cap c)
{
    return cap_aux(c);
}

/* Whether a record made with the generation's low bits still names the
 * PDom in slot (it has not been deleted since). */
bool pdom_record_is_live(unsigned slot, uint64_t generation, unsigned bits);

/* The level-0 table of the PDom in slot (0 if the slot is unused). */
uintptr_t pdom_table_of_slot(unsigned slot);

/* The low bits of the generation of the PDom in slot, for a record. */
uint64_t pdom_generation_bits(unsigned slot, unsigned bits);

/* ---- The tree (hal.h, "Protection domains") ------------------------------ */

/* Where an entry of a tree for an address at a level is, or why there is
 * none: the walk met an empty entry above it (a table is missing, of
 * level `level`), or an entry that grants a frame above it (`entry` is
 * that grant, `level` its level). */
enum pt_find_status { PT_FOUND, PT_MISSING_TABLE, PT_BLOCKED };

struct pt_place {
    enum pt_find_status status;
    unsigned level;
    hal_pte *entry; /* FOUND: the entry; MISSING: the empty entry that would link
                     * the table; BLOCKED: the grant in the way */
};

/* Walk the tree whose level-0 table is at pdom towards the entry for
 * address at level (1 to HAL_PT_LEVELS - 1). */
struct pt_place pt_find(uintptr_t pdom, uintptr_t address, unsigned level);

/* Whether e is what the level's entry for address holds where nothing is
 * granted or installed. */
bool pt_entry_is_empty(hal_pte e, uintptr_t address, unsigned level);

/* Fill the table at table, of the given level, covering the range that
 * starts at base, with empty entries. */
void pt_fill_empty(uintptr_t table, uintptr_t base, unsigned level);

/* The rights the tree at pdom grants user code at address (0 for none; pdom
 * 0 grants nothing). */
unsigned pdom_rights_at(uintptr_t pdom, uintptr_t address);

/* Make the PDom that d names (none for an empty slot) the one user code
 * runs with; sched_run() calls it when it differs from the active one. */
void pdom_activate_for(const struct domain *d);

/* ---- Grants and tables (frame.c, pagetable.c) ---------------------------- */

/* The level of a frame's entry: 3 for 4 KiB, 2 for 2 MiB. */
unsigned frame_level(struct cap frame);

/* Whether a frame capability's grant is in force: it made one, and the
 * PDom it went to has not been deleted since. */
bool frame_grant_is_live(struct cap frame);

/* Grant the frame of the capability in slot frame to pdom with rights at
 * entry (empty, at the frame's level) and record it in the capability.
 * The caller has checked everything. */
void frame_grant(struct cte *frame, struct cap pdom, hal_pte *entry, unsigned rights);

/* Remove the entry the frame capability's grant made, if it is still in
 * force and still there. Leaves the record. */
void frame_take_back(struct cap frame);

/* Whether a PageTable capability's installation is in force. */
bool page_table_is_installed(struct cap table);

/* Install the PageTable of the capability in slot table in pdom where
 * pt_find() left at (a missing table), for address, and record it. */
void page_table_install(struct cte *table, struct cap pdom, struct pt_place at,
                        uintptr_t address);

/* Unlink the PageTable if its installation is in force and its entry still
 * links it. Leaves the record. */
void page_table_take_back(struct cap table);

/* The highest address a tree covers, plus one. */
#define PT_ADDRESS_LIMIT ((uint64_t)1 << hal_pt_shift(0) << HAL_PT_INDEX_BITS)

#endif

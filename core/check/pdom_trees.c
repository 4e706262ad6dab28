/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The invariants of PDom trees (pdom.h; docs/objects/pdom.md), for the
 * checker (invariants.h): every table a tree links is a PageTable whose
 * installing capability still exists and records that very place, and
 * every frame a tree grants is granted by a frame capability that still
 * exists, records that PDom, and has every right the entry gives. So no
 * mapping outlives its capability or grants more than it.
 *
 * The fuzzers run the checker after every syscall, so it is written to be
 * quick about the common case: one walk of the derivation list gathers
 * every capability that granted or installed something, and the tables'
 * runs of zero entries, which grant nothing, are skipped eight at a time.
 */
#include "cdt.h"
#include "invariants.h"
#include "objecttype.h"
#include "pdom.h"
#include "state.h"

/* A capability whose grant or installation is in force. */
struct record {
    uintptr_t address; /* the frame, or the table */
    uintptr_t base;    /* a table: the range it covers */
    hal_pte entry;     /* a frame: the entry it makes */
    uint8_t level;     /* a frame's level, or the level a table is installed at */
    uint8_t slot;      /* the PDom's */
    bool table;
};

/* Enough for every frame and table of the largest machine the tests and
 * fuzzers make; more and the check says it could not tell. */
#define RECORDS_MAX 8192u
static struct record records[RECORDS_MAX];
static size_t record_count;

/* The record a capability makes, if it is one; false for none. A grant
 * with more rights than its capability makes none, so that its entry is
 * unaccounted for. */
static bool record_of(struct cap c, struct record *r)
{
    enum cap_type type = cap_type(c);
    if ((type == CAP_FRAME_4K || type == CAP_FRAME_2M) && frame_grant_is_live(c)) {
        unsigned rights = frame_grant_rights(c);
        if ((rights & ~cap_rights(c)) != 0)
            return false;
        unsigned level = frame_level(c);
        *r = (struct record){cap_address(c), 0,
                             hal_pte_frame(cap_address(c), level, rights, frame_is_device(c)),
                             (uint8_t)level, (uint8_t)frame_grant_slot(c), false};
        return true;
    }
    if (type == CAP_PAGE_TABLE && page_table_is_installed(c)) {
        *r = (struct record){cap_address(c), page_table_base(c), 0,
                             (uint8_t)page_table_level(c), (uint8_t)page_table_slot(c), true};
        return true;
    }
    return false;
}

static const char *gather_records(void)
{
    record_count = 0;
    for (const struct cte *c = cdt_next(&kernel.cdt_head); c != NULL; c = cdt_next(c)) {
        struct record r;
        if (!record_of(c->cap, &r))
            continue;
        if (record_count == RECORDS_MAX)
            return "too many grants and tables for the checker to follow";
        records[record_count++] = r;
    }
    return NULL;
}

/* Whether a record accounts for entry e at level, for address, in the
 * PDom of slot: a table installed there, or a grant of that frame. */
static bool accounted(hal_pte e, uintptr_t address, unsigned level, unsigned slot)
{
    uintptr_t next = hal_pte_table_address(e);
    for (size_t i = 0; i < record_count; i++) {
        const struct record *r = &records[i];
        if (r->slot != slot)
            continue;
        if (next != 0 ? r->table && r->address == next && r->level == level + 1 &&
                            r->base == address
                      : !r->table && r->address == address && r->level == level && r->entry == e)
            return true;
    }
    return false;
}

/* Whether the eight entries at block are all 0: no HAL makes a table or
 * grant entry 0, so such entries grant nothing (on the host, 0 is the
 * empty entry). */
static bool eight_zero(const hal_pte *block)
{
    return (block[0] | block[1] | block[2] | block[3] | block[4] | block[5] | block[6] |
            block[7]) == 0;
}

static const char *check_table(uintptr_t table, unsigned level, uintptr_t base, unsigned slot);

/* One entry of a table: empty, a table to check in turn, or a grant. */
static const char *check_entry(hal_pte e, uintptr_t address, unsigned level, unsigned slot)
{
    if (e == 0 || pt_entry_is_empty(e, address, level))
        return NULL;
    uintptr_t next = hal_pte_table_address(e);
    if (next == 0)
        return level >= HAL_PT_LEVELS - 2 && accounted(e, address, level, slot)
                   ? NULL
                   : "a PDom grants a frame that no capability's grant accounts for";
    if (level == HAL_PT_LEVELS - 1)
        return "a PDom's lowest level links a table";
    if (!accounted(e, address, level, slot))
        return "a PDom links a table that no installed PageTable capability accounts for";
    return check_table(next, level + 1, address, slot);
}

static const char *check_table(uintptr_t table, unsigned level, uintptr_t base, unsigned slot)
{
    const hal_pte *entries = hal_kernel_pointer(table);
    for (unsigned block = 0; block < HAL_PT_ENTRIES; block += 8) {
        if (eight_zero(&entries[block]))
            continue;
        for (unsigned i = block; i < block + 8; i++) {
            uintptr_t address = base + ((uintptr_t)i << hal_pt_shift(level));
            const char *problem = check_entry(entries[i], address, level, slot);
            if (problem != NULL)
                return problem;
        }
    }
    return NULL;
}

const char *check_pdom_trees(void)
{
    const char *problem = gather_records();
    for (unsigned s = 0; s < KERNEL_PDOM_SLOTS && problem == NULL; s++)
        if (kernel.pdoms[s].used)
            problem = check_table(kernel.pdoms[s].table, 0, 0, s);
    if (problem != NULL || kernel.active_pdom == 0)
        return problem;
    for (unsigned s = 0; s < KERNEL_PDOM_SLOTS; s++)
        if (kernel.pdoms[s].used && kernel.pdoms[s].table == kernel.active_pdom)
            return NULL;
    return "the active PDom is not a live PDom";
}

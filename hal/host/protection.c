/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Protection of the users' window: the host's stand-in for an MMU.
 *
 * On hardware, activating a PDom only loads its tree's address (on the Pi,
 * TTBR0_EL1 with the slot's ASID): the MMU walks the tables by itself when
 * its TLB misses, and a touch the tree does not allow is a permission or
 * translation fault taken to the kernel. A flush invalidates TLB entries.
 * The host has no MMU to give a tree to; what it has is mprotect on the
 * users' window, so this file keeps the window's page protections in step
 * with the active PDom's tree (pagetables.c reads the trees), in one of two
 * ways (docs/hal.md, "Protection on the host"):
 *
 *  - EAGER: a switch computes the runs of pages the new tree grants and
 *    changes only the pages whose protection differs from what the window
 *    holds, one mprotect call per run that changes (or, when that takes
 *    more, one call taking everything away and one per run granted); a
 *    flush of the active PDom does the same over the flushed range.
 *  - LAZY: a software TLB. A switch takes away every page filled since the
 *    last one; a domain's first touch of a page faults, and the SIGSEGV
 *    handler calls host_protection_fill(), which walks the tree and gives
 *    the page (with its neighbours of the same grant) its protection. A
 *    flush takes away the filled pages of its range.
 *
 * Either way a page's protection never allows more than the active tree
 * grants it (WRITE alone aside, which x86_64 can only give with READ), so a
 * touch the tree forbids always faults, and a touch it allows faults at
 * most once, as a fill. The kernel's window is never touched.
 *
 * The users' window is two stretches of mapped pages, 4 GiB apart: RAM at
 * HOST_USER_BASE, and the simulated devices' pages at HOST_DEVICE_BASE
 * once a machine has had them (memory.c). Both follow the tree alike, as
 * an MMU makes no difference between RAM and device frames; nothing is
 * mapped between them, so every mprotect call is clipped to the stretches.
 * Device pages mapped but not part of the current machine (one made
 * without the simulated devices) stay inaccessible, protection or not, as
 * the region's unbacked pages are.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hal.h"
#include "host.h"
#include "host_internal.h"

#define WINDOW_START HOST_USER_BASE
#define DEVICE_START HOST_DEVICE_BASE
#define READ_WRITE (PROT_READ | PROT_WRITE)

static struct {
    enum host_protection chosen; /* for the machines of later resets */
    enum host_protection mode;   /* of the current machine */
    uintptr_t window_end;        /* end of the mapped RAM of the users' window */
    uintptr_t ram_end;           /* end of the current machine's RAM */
    uintptr_t device_end;        /* end of the device pages mapped there
                                  * (DEVICE_START for none): the whole
                                  * window's end either way */
    uintptr_t device_live_end;   /* end of those the current machine has */
    bool restricted;             /* some page of the window is not read-write */
    uintptr_t pdom;              /* the active tree, 0 for none */
    unsigned slot;               /* its slot, meaningful when pdom != 0 */
    unsigned long calls;         /* mprotect calls made */
    /* EAGER: the runs the window holds now, and room to build the next. */
    struct host_runs applied, next;
    /* LAZY: one bit per page of the window, set for a page given its
     * protection since the last switch, and the span of those pages
     * (empty when filled_start == filled_end). */
    uint64_t *filled;
    uintptr_t filled_start, filled_end;
} protection;

void host_machine_protection(enum host_protection mode)
{
    protection.chosen = mode;
}

bool host_protection_enabled(void)
{
    return protection.mode != HOST_PROTECTION_OFF;
}

unsigned long host_protection_calls(void)
{
    return protection.calls;
}

static uintptr_t min_address(uintptr_t a, uintptr_t b)
{
    return a < b ? a : b;
}

static uintptr_t max_address(uintptr_t a, uintptr_t b)
{
    return a > b ? a : b;
}

/* ---- The window's two stretches ----------------------------------------- */

/* Pages of the users' window in address order, [start, end). */
struct stretch {
    uintptr_t start, end;
};

#define STRETCHES 2u

/* Stretch i of what is mapped: RAM (0), then the device pages (1). */
static struct stretch mapped_stretch(unsigned i)
{
    return i == 0 ? (struct stretch){WINDOW_START, protection.window_end}
                  : (struct stretch){DEVICE_START, protection.device_end};
}

/* Stretch i of what the current machine has, where trees grant pages:
 * its RAM, then its device pages. */
static struct stretch machine_stretch(unsigned i)
{
    return i == 0 ? (struct stretch){WINDOW_START, protection.ram_end}
                  : (struct stretch){DEVICE_START, protection.device_live_end};
}

/* The stretch of the current machine that holds address, if one does. */
static bool machine_stretch_of(uintptr_t address, struct stretch *found)
{
    for (unsigned i = 0; i < STRETCHES; i++) {
        struct stretch s = machine_stretch(i);
        if (address >= s.start && address < s.end) {
            *found = s;
            return true;
        }
    }
    return false;
}

/* Whether address lies in a mapped page of the users' window. */
static bool in_window(uintptr_t address)
{
    for (unsigned i = 0; i < STRETCHES; i++) {
        struct stretch s = mapped_stretch(i);
        if (address >= s.start && address < s.end)
            return true;
    }
    return false;
}

/* mprotect [start, end) of one stretch. A failure (too many mappings for
 * the system's limit) leaves the window in no known state, so the machine
 * stops. */
static void protect_mapped(uintptr_t start, uintptr_t end, int prot)
{
    protection.calls++;
    if (mprotect((void *)start, end - start, prot) == 0)
        return;
    fprintf(stderr, "vesper: cannot protect the users' window at %p (%zu bytes): %s\n",
            (void *)start, (size_t)(end - start), strerror(errno));
    abort();
}

/* mprotect what is mapped of [start, end): one call per stretch it meets. */
static void protect(uintptr_t start, uintptr_t end, int prot)
{
    for (unsigned i = 0; i < STRETCHES; i++) {
        struct stretch s = mapped_stretch(i);
        uintptr_t from = max_address(start, s.start), to = min_address(end, s.end);
        if (from < to)
            protect_mapped(from, to, prot);
    }
}

/* ---- Bookkeeping storage ------------------------------------------------ */

static void *map_storage(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* Pages of the window's RAM stretch, fixed for the life of the process. */
static size_t ram_pages(void)
{
    return (protection.window_end - WINDOW_START) >> HAL_PAGE_BITS;
}

/* Room for one run per page of the window (the most a walk can make) in
 * both run lists, and the fill bitmap; made once, since the window's size
 * is fixed for the life of the process (the device pages counted whether
 * they are mapped yet or not). */
static int make_storage(void)
{
    if (protection.filled != NULL)
        return 0;
    size_t pages = ram_pages() + VESPER_HOST_DEVICE_PAGES;
    size_t run_bytes = (pages + 1) * sizeof(struct host_run);
    protection.applied.run = map_storage(run_bytes);
    protection.next.run = map_storage(run_bytes);
    protection.filled = map_storage((pages + 63) / 64 * sizeof(uint64_t));
    if (protection.applied.run == NULL || protection.next.run == NULL ||
        protection.filled == NULL) {
        fprintf(stderr, "vesper: no memory to keep the users' window's protection\n");
        return -1;
    }
    protection.applied.capacity = protection.next.capacity = pages + 1;
    return 0;
}

/* ---- Eager: apply the difference --------------------------------------- */

/* One side of a sweep over two run lists, read in address order. */
struct run_cursor {
    const struct host_runs *runs;
    size_t i;
};

/* The protection at address (PROT_NONE between runs), having moved past the
 * runs that end at or before it. */
static int cursor_protection(struct run_cursor *c, uintptr_t address)
{
    while (c->i < c->runs->count && c->runs->run[c->i].end <= address)
        c->i++;
    if (c->i < c->runs->count && c->runs->run[c->i].start <= address)
        return c->runs->run[c->i].prot;
    return PROT_NONE;
}

/* The first run boundary past address (UINTPTR_MAX after the last run). */
static uintptr_t cursor_next(const struct run_cursor *c, uintptr_t address)
{
    if (c->i >= c->runs->count)
        return UINTPTR_MAX;
    const struct host_run *r = &c->runs->run[c->i];
    return r->start > address ? r->start : r->end;
}

/* A stretch of the window that is to have one protection, and the part of
 * it that changes (none while from == to). */
struct change {
    int prot;
    uintptr_t from, to;
};

static unsigned finish_change(const struct change *c, bool apply)
{
    if (c->from == c->to)
        return 0;
    if (apply)
        protect(c->from, c->to, c->prot);
    return 1;
}

/* Take the window from holding the runs old to holding new: one mprotect
 * call per stretch of equal new protection where anything changes,
 * covering the unchanged pages between its changes. Returns the number of
 * calls; with apply false, only counts them. */
static unsigned sweep(const struct host_runs *old, const struct host_runs *new, bool apply)
{
    struct run_cursor was = {old, 0}, will = {new, 0};
    uintptr_t at = min_address(cursor_next(&was, 0), cursor_next(&will, 0));
    struct change pending = {PROT_NONE, 0, 0};
    unsigned calls = 0;
    while (at != UINTPTR_MAX) {
        int before = cursor_protection(&was, at), after = cursor_protection(&will, at);
        uintptr_t next = min_address(cursor_next(&was, at), cursor_next(&will, at));
        if (after != pending.prot) {
            calls += finish_change(&pending, apply);
            pending = (struct change){after, 0, 0};
        }
        if (before != after) {
            if (pending.from == pending.to)
                pending.from = at;
            pending.to = next;
        }
        at = next;
    }
    return calls + finish_change(&pending, apply);
}

/* Make the window hold protection.next, the cheaper of two ways: change
 * only what differs, or take everything away in one call and grant each
 * run (better when the old and new grants interleave page by page). */
static void eager_apply_next(void)
{
    static const struct host_runs nothing;
    unsigned by_difference = sweep(&protection.applied, &protection.next, false);
    if (1 + protection.next.count < by_difference) {
        protect(WINDOW_START, protection.device_end, PROT_NONE);
        sweep(&nothing, &protection.next, true);
    } else {
        sweep(&protection.applied, &protection.next, true);
    }
    struct host_runs held = protection.applied;
    protection.applied = protection.next;
    protection.next = held;
}

/* Append the runs of from that lie in [start, end), clipped to it. */
static void copy_runs(const struct host_runs *from, uintptr_t start, uintptr_t end,
                      struct host_runs *to)
{
    for (size_t i = 0; i < from->count; i++) {
        const struct host_run *r = &from->run[i];
        if (r->end > start && r->start < end)
            host_runs_append(to, max_address(r->start, start), min_address(r->end, end),
                             r->prot);
    }
}

/* The window with [start, end) as the active tree now says. */
static void eager_refresh(uintptr_t start, uintptr_t end)
{
    protection.next.count = 0;
    copy_runs(&protection.applied, WINDOW_START, start, &protection.next);
    host_tree_runs(protection.pdom, start, end, &protection.next);
    copy_runs(&protection.applied, end, protection.device_end, &protection.next);
    eager_apply_next();
}

/* ---- Lazy: fill on first touch ----------------------------------------- */

/* A page's bit in the fill bitmap: the RAM stretch's pages first, then the
 * device pages. An address at the end of a stretch numbers the page after
 * its last. */
static size_t page_number(uintptr_t address)
{
    if (address >= DEVICE_START)
        return ram_pages() + ((address - DEVICE_START) >> HAL_PAGE_BITS);
    return (address - WINDOW_START) >> HAL_PAGE_BITS;
}

static bool page_filled(uintptr_t address)
{
    size_t page = page_number(address);
    return (protection.filled[page / 64] >> (page % 64)) & 1;
}

/* Set (or clear) the fill bits of pages page to end_page - 1, a word at a
 * time: a switch clears the whole span of filled pages. */
static void mark_pages(size_t page, size_t end_page, bool filled)
{
    while (page < end_page) {
        size_t shift = page % 64;
        size_t count = end_page - page < 64 - shift ? end_page - page : 64 - shift;
        uint64_t mask = (count == 64 ? ~(uint64_t)0 : ((uint64_t)1 << count) - 1) << shift;
        if (filled)
            protection.filled[page / 64] |= mask;
        else
            protection.filled[page / 64] &= ~mask;
        page += count;
    }
}

/* mark_pages() for the mapped pages of [start, end). */
static void mark_filled(uintptr_t start, uintptr_t end, bool filled)
{
    for (unsigned i = 0; i < STRETCHES; i++) {
        struct stretch s = mapped_stretch(i);
        uintptr_t from = max_address(start, s.start), to = min_address(end, s.end);
        if (from < to)
            mark_pages(page_number(from), page_number(to), filled);
    }
}

static void lazy_fill_run(const struct host_run *run)
{
    protect(run->start, run->end, run->prot);
    mark_filled(run->start, run->end, true);
    if (protection.filled_start == protection.filled_end) {
        protection.filled_start = run->start;
        protection.filled_end = run->end;
    }
    protection.filled_start = min_address(protection.filled_start, run->start);
    protection.filled_end = max_address(protection.filled_end, run->end);
}

/* Take away the filled pages of [start, end): one call over the part of the
 * span of filled pages that lies there. */
static void lazy_revoke(uintptr_t start, uintptr_t end)
{
    start = max_address(start, protection.filled_start);
    end = min_address(end, protection.filled_end);
    if (start >= end)
        return;
    protect(start, end, PROT_NONE);
    mark_filled(start, end, false);
    if (start == protection.filled_start && end == protection.filled_end)
        protection.filled_start = protection.filled_end = 0;
}

bool host_protection_fill(uintptr_t address)
{
    struct stretch s;
    if (protection.mode != HOST_PROTECTION_LAZY || protection.pdom == 0 ||
        !machine_stretch_of(address, &s) || page_filled(address))
        return false;
    struct host_run run;
    if (!host_tree_lookup(protection.pdom, address, s.start, s.end, &run))
        return false;
    lazy_fill_run(&run);
    return true;
}

/* ---- The machine's side ------------------------------------------------ */

int host_protection_reset(void)
{
    protection.mode = protection.chosen;
    protection.pdom = 0;
    protection.slot = 0;
    protection.window_end = WINDOW_START + host_memory_window_size();
    protection.ram_end = WINDOW_START + host_memory_ram_size();
    protection.device_end = DEVICE_START + host_memory_device_mapped();
    protection.device_live_end = DEVICE_START + host_memory_device_backed();
    if (protection.mode == HOST_PROTECTION_OFF) {
        if (protection.restricted)
            protect(WINDOW_START, protection.device_end, READ_WRITE);
        /* Device pages this machine lacks are out of reach, as unbacked. */
        protect(protection.device_live_end, protection.device_end, PROT_NONE);
        protection.restricted = protection.device_live_end < protection.device_end;
        return 0;
    }
    if (make_storage() != 0)
        return -1;
    protect(WINDOW_START, protection.device_end, PROT_NONE);
    protection.restricted = true;
    protection.applied.count = 0;
    if (protection.filled_start != protection.filled_end)
        mark_filled(protection.filled_start, protection.filled_end, false);
    protection.filled_start = protection.filled_end = 0;
    return 0;
}

void hal_pdom_activate(uintptr_t pdom, unsigned slot)
{
    atomic_signal_fence(memory_order_seq_cst); /* the tree is read in handlers too */
    protection.pdom = pdom;
    protection.slot = slot;
    if (protection.mode == HOST_PROTECTION_EAGER) {
        protection.next.count = 0;
        for (unsigned i = 0; i < STRETCHES; i++) {
            struct stretch s = machine_stretch(i);
            host_tree_runs(pdom, s.start, s.end, &protection.next);
        }
        eager_apply_next();
    } else if (protection.mode == HOST_PROTECTION_LAZY) {
        lazy_revoke(WINDOW_START, protection.device_end);
    }
}

void hal_pdom_flush(unsigned slot, uintptr_t address, size_t size)
{
    /* The core's table writes come before the walks below, and before the
     * fills of the signal handler, which runs on this same thread. */
    atomic_signal_fence(memory_order_seq_cst);
    if (protection.mode == HOST_PROTECTION_OFF || protection.pdom == 0 ||
        slot != protection.slot)
        return;
    for (unsigned i = 0; i < STRETCHES; i++) {
        struct stretch s = machine_stretch(i);
        if (address >= s.end)
            continue;
        uintptr_t start = max_address(address, s.start);
        uintptr_t end = size > s.end - address ? s.end : address + size;
        if (start >= end)
            continue;
        if (protection.mode == HOST_PROTECTION_EAGER)
            eager_refresh(start, end);
        else
            lazy_revoke(start, end);
    }
}

void hal_pdom_forget(unsigned slot)
{
    /* The window holds the active PDom's protections only, and a PDom that
     * is forgotten is never the active one: nothing is cached for it. */
    (void)slot;
}

/* Whether user code may write the page at address under the active tree;
 * under lazy protection the page is filled when it may. */
static bool page_writable(uintptr_t address)
{
    if (!in_window(address))
        return true; /* not the window: not this HAL's to protect */
    struct stretch s;
    struct host_run run;
    if (protection.pdom == 0 || !machine_stretch_of(address, &s) ||
        !host_tree_lookup(protection.pdom, address, s.start, s.end, &run) ||
        !(run.prot & PROT_WRITE))
        return false;
    if (protection.mode == HOST_PROTECTION_LAZY && !page_filled(address))
        lazy_fill_run(&run);
    return true;
}

bool host_protection_stack_ready(uintptr_t room, uintptr_t need, uintptr_t stack_pointer)
{
    if (protection.mode == HOST_PROTECTION_OFF)
        return true;
    uintptr_t page = (stack_pointer - 1) & ~(uintptr_t)(HAL_PAGE_SIZE - 1);
    for (;; page -= HAL_PAGE_SIZE) {
        if (!page_writable(page))
            return page + HAL_PAGE_SIZE <= need;
        if (page <= room)
            return true;
    }
}

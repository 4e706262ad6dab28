/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * What switching PDoms costs the host HAL in each protection mode, printed
 * as `metric NAME VALUE UNIT`:
 *   host_mprotect_ns                      one mprotect call on a page of the
 *                                         users' window that nothing touches
 *                                         (calls alternately take write away
 *                                         and give it back), for reference
 *   host_mprotect_touched_ns              the same with a write to the page
 *                                         after each call that gives write
 *                                         back (the write counted in), so
 *                                         that each call that takes it away
 *                                         must flush what the TLB holds
 *   pdom_switch_<mode>_<n>_ns             one switch to a PDom granting n
 *                                         pages (4, 64, 512) read-write in a
 *                                         row, then a write to each of them
 *   pdom_switch_<mode>_<n>_scattered_ns   the same with every other page
 *                                         granted, the two PDoms' pages
 *                                         interleaved: no two grants merge
 *   pdom_switch_<mode>_<n>_touch1_ns      as the first, touching only one
 *                                         of the n pages after the switch
 *   pdom_switch_<mode>_<n>[_...]_calls    mprotect calls per switch and its
 *                                         touches (eager and lazy)
 * with mode off, eager or lazy. The touches belong in the figure: under
 * lazy protection the cost of a switch moves into the first touch of each
 * page. The cost is measured as rounds A -> B -> A, a switch and the
 * touches on each side, and given per switch (half a round).
 *
 * This is a benchmark of the HAL alone: two trees are written by hand in
 * the top pages of RAM, hal_pdom_activate() switches between them, and the
 * benchmark itself touches the pages, with a SIGSEGV handler that lets the
 * lazy fill do what the HAL's own handler does for a domain. Each figure is
 * the median of BATCHES batch means; a batch is as many rounds as take
 * about BATCH_NS, timed as a whole with CLOCK_MONOTONIC. Build without
 * sanitizers for meaningful numbers (README: Benchmarks).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <vesper/object.h>

#include "hal.h"
#include "host.h"
#include "host_internal.h"
#include "bench_timing.h"

#define BATCHES 21
#define BATCH_NS 4000000.0
#define MEMORY HOST_MEMORY_DEFAULT
#define RAM_END (HOST_USER_BASE + MEMORY)
#define BLOCK_SIZE ((uintptr_t)1 << hal_pt_shift(2))
/* Where the tables come from: the top 64 pages of RAM. */
#define TABLE_POOL (RAM_END - 64 * HAL_PAGE_SIZE)
/* Where the granted pages start: off any 2 MiB boundary, as a domain's
 * frames would be, in two areas 4 MiB apart. */
#define AREA_A (HOST_USER_BASE + BLOCK_SIZE + 16 * HAL_PAGE_SIZE)
#define AREA_B (AREA_A + 2 * BLOCK_SIZE)
#define SLOT_A 1u
#define SLOT_B 2u

static uintptr_t next_table;

static hal_pte *entries(uintptr_t table)
{
    return hal_kernel_view(table, HAL_PAGE_SIZE);
}

static uintptr_t new_table(void)
{
    uintptr_t table = next_table;
    next_table += HAL_PAGE_SIZE;
    memset(entries(table), 0, HAL_PAGE_SIZE);
    return table;
}

static unsigned index_at(uintptr_t address, unsigned level)
{
    return (unsigned)(address >> hal_pt_shift(level)) & (HAL_PT_ENTRIES - 1);
}

/* Grant the page at address read-write in the tree at pdom, adding the
 * tables it needs. */
static void grant(uintptr_t pdom, uintptr_t address)
{
    uintptr_t table = pdom;
    for (unsigned level = 0; level + 1 < HAL_PT_LEVELS; level++) {
        hal_pte *e = &entries(table)[index_at(address, level)];
        if (*e == hal_pte_empty(address, level))
            *e = hal_pte_table(new_table());
        table = hal_pte_table_address(*e);
    }
    entries(table)[index_at(address, HAL_PT_LEVELS - 1)] =
        hal_pte_frame(address, HAL_PT_LEVELS - 1, VESPER_FRAME_READ | VESPER_FRAME_WRITE, false);
}

/* A domain's side of the benchmark: its tree and the pages it touches. */
struct side {
    uintptr_t pdom;
    unsigned slot;
    uintptr_t first; /* its first page */
    uintptr_t step;  /* from one of its pages to the next */
    unsigned pages, touched;
};

static void on_fault(int sig, siginfo_t *info, void *context)
{
    (void)context;
    if (host_protection_fill((uintptr_t)info->si_addr))
        return;
    fprintf(stderr, "bench_pdom: unexpected fault at %p\n", info->si_addr);
    signal(sig, SIG_DFL);
}

static void catch_faults(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, NULL);
}

static void switch_and_touch(const struct side *s)
{
    hal_pdom_activate(s->pdom, s->slot);
    for (unsigned i = 0; i < s->touched; i++)
        *(volatile unsigned char *)(s->first + i * s->step) = (unsigned char)i;
}

static void prepare(struct side *s)
{
    s->pdom = new_table();
    for (unsigned i = 0; i < s->pages; i++)
        grant(s->pdom, s->first + i * s->step);
}

/* A fresh machine in mode with the two sides' trees, A active. */
static void set_up(enum host_protection mode, struct side *a, struct side *b)
{
    host_machine_protection(mode);
    if (host_machine_reset(MEMORY, 0) != 0)
        exit(1);
    next_table = TABLE_POOL;
    prepare(a);
    prepare(b);
    switch_and_touch(a);
}

static double time_rounds(const struct side *a, const struct side *b, long rounds)
{
    uint64_t start = now_ns();
    for (long r = 0; r < rounds; r++) {
        switch_and_touch(b);
        switch_and_touch(a);
    }
    return (double)(now_ns() - start);
}

static const char *const mode_names[] = {"off", "eager", "lazy"};

static void measure(enum host_protection mode, struct side a, struct side b, const char *name)
{
    set_up(mode, &a, &b);
    long rounds = 1;
    double once = time_rounds(&a, &b, 1); /* also warms up */
    if (once < BATCH_NS)
        rounds = (long)(BATCH_NS / (once > 1 ? once : 1));
    double samples[BATCHES];
    unsigned long calls = host_protection_calls();
    for (int i = 0; i < BATCHES; i++)
        samples[i] = time_rounds(&a, &b, rounds) / (2.0 * (double)rounds);
    calls = host_protection_calls() - calls;
    printf("metric pdom_switch_%s_%u%s_ns %.1f ns\n", mode_names[mode], a.pages, name,
           median(samples, BATCHES));
    if (mode != HOST_PROTECTION_OFF)
        printf("metric pdom_switch_%s_%u%s_calls %.1f calls\n", mode_names[mode], a.pages,
               name, (double)calls / (2.0 * BATCHES * (double)rounds));
}

/* Median time of one mprotect call on the page at AREA_A, alternating
 * read-only and read-write; with write_between, the page is written after
 * each call that makes it writable. */
static double time_mprotect(bool write_between)
{
    enum { CALLS = 400 };
    volatile unsigned char *page = (volatile unsigned char *)AREA_A;
    double samples[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        uint64_t start = now_ns();
        for (int i = 0; i < CALLS / 2; i++) {
            mprotect((void *)AREA_A, HAL_PAGE_SIZE, PROT_READ);
            mprotect((void *)AREA_A, HAL_PAGE_SIZE, PROT_READ | PROT_WRITE);
            if (write_between)
                *page = (unsigned char)i;
        }
        samples[b] = (double)(now_ns() - start) / CALLS;
    }
    return median(samples, BATCHES);
}

static void measure_mprotect(void)
{
    host_machine_protection(HOST_PROTECTION_OFF);
    if (host_machine_reset(MEMORY, 0) != 0)
        exit(1);
    printf("metric host_mprotect_ns %.1f ns\n", time_mprotect(false));
    printf("metric host_mprotect_touched_ns %.1f ns\n", time_mprotect(true));
}

int main(void)
{
    static const unsigned sizes[] = {4, 64, 512};
    catch_faults();
    measure_mprotect();
    for (unsigned m = HOST_PROTECTION_OFF; m <= HOST_PROTECTION_LAZY; m++) {
        for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            unsigned n = sizes[i];
            struct side a = {0, SLOT_A, AREA_A, HAL_PAGE_SIZE, n, n};
            struct side b = {0, SLOT_B, AREA_B, HAL_PAGE_SIZE, n, n};
            measure(m, a, b, "");
            struct side sa = {0, SLOT_A, AREA_A, 2 * HAL_PAGE_SIZE, n, n};
            struct side sb = {0, SLOT_B, AREA_A + HAL_PAGE_SIZE, 2 * HAL_PAGE_SIZE, n, n};
            measure(m, sa, sb, "_scattered");
            a.touched = b.touched = 1;
            measure(m, a, b, "_touch1");
        }
    }
    host_machine_protection(HOST_PROTECTION_OFF);
    return host_machine_reset(MEMORY, 0) == 0 ? 0 : 1;
}

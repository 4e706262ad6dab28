/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The host HAL's protection of the users' window, in both modes: trees
 * written by hand in the top pages of RAM, activated and flushed through
 * the HAL, and the window probed with accesses that may fault (the probe's
 * own SIGSEGV handler lets the lazy fill try first, as the HAL's does).
 * Execute rights are read from /proc/self/maps. The last tests run a root
 * domain under protection, so that its fault goes the HAL's whole way.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <libos/libos.h>

#include "host_internal.h"
#include "probe.h"
#include "support.h"

#define MEMORY TEST_LARGE_MEMORY
#define RAM_END (HOST_USER_BASE + MEMORY)
/* The tables of the test trees: four per tree, at the top of RAM. */
#define TABLES (RAM_END - 16 * HAL_PAGE_SIZE)
/* Pages to grant, in the first 2 MiB (the one the trees' level-3 table
 * covers), and a 2 MiB block past them. */
#define PAGE(i) (HOST_USER_BASE + 64 * 1024 + (uintptr_t)(i) * HAL_PAGE_SIZE)
#define BLOCK (HOST_USER_BASE + ((uintptr_t)2 << 20))
#define SLOT_A 1u
#define SLOT_B 2u

#define R VESPER_FRAME_READ
#define W VESPER_FRAME_WRITE
#define X VESPER_FRAME_EXECUTE

/* A tree's four tables, level 0 (the PDom) to level 3. */
struct tree {
    uintptr_t table[HAL_PT_LEVELS];
};

static hal_pte *entries(uintptr_t table)
{
    return hal_kernel_view(table, HAL_PAGE_SIZE);
}

static unsigned index_at(uintptr_t address, unsigned level)
{
    return (unsigned)(address >> hal_pt_shift(level)) & (HAL_PT_ENTRIES - 1);
}

/* Tree number n, granting nothing yet, with a table at every level down to
 * the one for the first 2 MiB of RAM. */
static struct tree make_tree(unsigned n)
{
    struct tree t;
    for (unsigned level = 0; level < HAL_PT_LEVELS; level++) {
        t.table[level] = TABLES + (n * HAL_PT_LEVELS + level) * HAL_PAGE_SIZE;
        memset(entries(t.table[level]), 0, HAL_PAGE_SIZE);
    }
    for (unsigned level = 0; level + 1 < HAL_PT_LEVELS; level++)
        entries(t.table[level])[index_at(HOST_USER_BASE, level)] =
            hal_pte_table(t.table[level + 1]);
    return t;
}

/* Grant a 4 KiB page of the first 2 MiB (rights 0: take it back). */
static void grant_page(const struct tree *t, uintptr_t page, unsigned rights)
{
    entries(t->table[3])[index_at(page, 3)] =
        rights != 0 ? hal_pte_frame(page, 3, rights, false) : hal_pte_empty(page, 3);
}

static void grant_block(const struct tree *t, uintptr_t block, unsigned rights)
{
    entries(t->table[2])[index_at(block, 2)] = hal_pte_frame(block, 2, rights, false);
}

/* ---- Probes ------------------------------------------------------------ */


static bool can_read(uintptr_t address)
{
    return test_probe(address, false);
}

static bool can_write(uintptr_t address)
{
    return test_probe(address, true);
}

/* The protection the host gives the page at address, as /proc/self/maps
 * shows it ("rw-", "r-x", "---"...). */
static void page_permissions(uintptr_t address, char perms[4])
{
    FILE *maps = fopen("/proc/self/maps", "r");
    assert_non_null(maps);
    char line[512];
    memcpy(perms, "???", 4);
    while (fgets(line, sizeof line, maps) != NULL) {
        unsigned long start, end;
        char found[5];
        if (sscanf(line, "%lx-%lx %4s", &start, &end, found) == 3 && address >= start &&
            address < end) {
            memcpy(perms, found, 3);
            break;
        }
    }
    fclose(maps);
}

static bool is_executable(uintptr_t address)
{
    char perms[4];
    page_permissions(address, perms);
    return perms[2] == 'x';
}

/* ---- Machines ---------------------------------------------------------- */

static void reset_with(enum host_protection mode)
{
    host_machine_protection(mode);
    assert_int_equal(test_reset_machine(MEMORY), 0);
}

/* Leave the next test a machine without protection. */
static int protection_off(void **state)
{
    (void)state;
    host_machine_protection(HOST_PROTECTION_OFF);
    return test_reset_machine(MEMORY);
}

static void assert_no_access(uintptr_t address)
{
    assert_false(can_read(address));
    assert_false(can_write(address));
}

static void assert_read_only(uintptr_t address)
{
    assert_true(can_read(address));
    assert_false(can_write(address));
}

static void assert_read_write(uintptr_t address)
{
    assert_true(can_read(address));
    assert_true(can_write(address));
}

/* ---- The tests, each in both modes ------------------------------------ */

static void HOSTPROT0001_off_leaves_the_window_read_write(void **state)
{
    (void)state;
    reset_with(HOST_PROTECTION_OFF);
    struct tree a = make_tree(0);
    grant_page(&a, PAGE(0), R);
    hal_pdom_activate(a.table[0], SLOT_A);
    hal_pdom_flush(SLOT_A, PAGE(0), HAL_PAGE_SIZE);
    assert_read_write(PAGE(0));
    assert_read_write(PAGE(1));
    assert_read_write(RAM_END - 1);
    hal_pdom_activate(0, 0);
    assert_read_write(HOST_USER_BASE);
}

static void reset_makes_the_window_inaccessible(enum host_protection mode)
{
    reset_with(mode);
    assert_no_access(HOST_USER_BASE);
    assert_no_access(PAGE(0));
    assert_no_access(RAM_END - 1);
    assert_false(host_protection_fill(PAGE(0))); /* no PDom to fill from */
    /* The kernel's window stays read-write. */
    *(volatile unsigned char *)hal_kernel_view(PAGE(0), 1) = 1;
}

static void grants_give_their_rights(enum host_protection mode)
{
    reset_with(mode);
    struct tree a = make_tree(0);
    grant_page(&a, PAGE(0), R);
    grant_page(&a, PAGE(1), R | W);
    grant_page(&a, PAGE(3), W); /* x86_64: readable too */
    hal_pdom_activate(a.table[0], SLOT_A);
    assert_read_only(PAGE(0));
    assert_read_write(PAGE(1));
    assert_no_access(PAGE(2));
    assert_read_write(PAGE(3));
    assert_no_access(PAGE(4));
    assert_no_access(BLOCK);
    assert_false(is_executable(PAGE(1)));
}

static void execute_right_makes_pages_executable(enum host_protection mode)
{
    reset_with(mode);
    struct tree a = make_tree(0);
    grant_page(&a, PAGE(0), R | X);
    grant_page(&a, PAGE(1), R | W);
    hal_pdom_activate(a.table[0], SLOT_A);
    assert_read_only(PAGE(0)); /* under lazy protection, also fills it */
    assert_true(is_executable(PAGE(0)));
    assert_read_write(PAGE(1));
    assert_false(is_executable(PAGE(1)));
}

static void flush_applies_changed_entries(enum host_protection mode)
{
    reset_with(mode);
    struct tree a = make_tree(0);
    grant_page(&a, PAGE(0), R | W);
    hal_pdom_activate(a.table[0], SLOT_A);
    assert_read_write(PAGE(0));
    grant_page(&a, PAGE(1), R | W);
    hal_pdom_flush(SLOT_A, PAGE(1), HAL_PAGE_SIZE);
    assert_read_write(PAGE(1));
    grant_page(&a, PAGE(0), R);
    hal_pdom_flush(SLOT_A, PAGE(0), HAL_PAGE_SIZE);
    assert_read_only(PAGE(0));
    grant_page(&a, PAGE(1), 0);
    hal_pdom_flush(SLOT_A, PAGE(1), HAL_PAGE_SIZE);
    assert_no_access(PAGE(1));
    /* Unlinking a whole table takes away everything below it. */
    entries(a.table[2])[index_at(HOST_USER_BASE, 2)] = hal_pte_empty(HOST_USER_BASE, 2);
    hal_pdom_flush(SLOT_A, HOST_USER_BASE, (size_t)1 << hal_pt_shift(2));
    assert_no_access(PAGE(0));
}

static void flush_of_another_pdom_changes_nothing(enum host_protection mode)
{
    reset_with(mode);
    struct tree a = make_tree(0), b = make_tree(1);
    grant_page(&a, PAGE(0), R | W);
    grant_page(&b, PAGE(1), R | W);
    hal_pdom_activate(a.table[0], SLOT_A);
    assert_read_write(PAGE(0));
    grant_page(&b, PAGE(2), R | W);
    hal_pdom_flush(SLOT_B, PAGE(2), HAL_PAGE_SIZE);
    hal_pdom_forget(SLOT_B);
    assert_read_write(PAGE(0));
    assert_no_access(PAGE(1));
    assert_no_access(PAGE(2));
}

static void switching_revokes_the_previous_pdom(enum host_protection mode)
{
    reset_with(mode);
    struct tree a = make_tree(0), b = make_tree(1);
    grant_page(&a, PAGE(0), R | W);
    grant_page(&a, PAGE(2), R);
    grant_page(&b, PAGE(1), R | W);
    grant_page(&b, PAGE(2), R | W); /* shared, with other rights */
    for (int round = 0; round < 2; round++) {
        hal_pdom_activate(a.table[0], SLOT_A);
        assert_read_write(PAGE(0));
        assert_no_access(PAGE(1));
        assert_read_only(PAGE(2));
        hal_pdom_activate(b.table[0], SLOT_B);
        assert_no_access(PAGE(0));
        assert_read_write(PAGE(1));
        assert_read_write(PAGE(2));
    }
}

static void no_pdom_makes_everything_inaccessible(enum host_protection mode)
{
    reset_with(mode);
    struct tree a = make_tree(0);
    grant_page(&a, PAGE(0), R | W);
    grant_block(&a, BLOCK, R | W);
    hal_pdom_activate(a.table[0], SLOT_A);
    assert_read_write(PAGE(0));
    assert_read_write(BLOCK);
    hal_pdom_activate(0, 0);
    assert_no_access(PAGE(0));
    assert_no_access(BLOCK);
    hal_pdom_flush(0, HOST_USER_BASE, MEMORY); /* nothing active: nothing to do */
    assert_no_access(PAGE(0));
}

static void large_frame_grants_its_whole_block(enum host_protection mode)
{
    reset_with(mode);
    struct tree a = make_tree(0);
    grant_block(&a, BLOCK, R);
    hal_pdom_activate(a.table[0], SLOT_A);
    assert_no_access(BLOCK - 1);
    assert_read_only(BLOCK);
    assert_read_only(BLOCK + ((uintptr_t)1 << 20));
    assert_read_only(BLOCK + ((uintptr_t)2 << 20) - 1);
    assert_no_access(BLOCK + ((uintptr_t)2 << 20));
}

/* Entries the host cannot honour grant nothing: a frame that is not the
 * memory its place covers, a frame at level 1, a table outside RAM. */
static void misplaced_entries_grant_nothing(enum host_protection mode)
{
    reset_with(mode);
    struct tree a = make_tree(0), b = make_tree(1);
    entries(b.table[1])[index_at(HOST_USER_BASE, 1)] =
        hal_pte_frame(HOST_USER_BASE, 1, R | W, false);
    hal_pdom_activate(b.table[0], SLOT_B);
    assert_no_access(PAGE(0));
    grant_page(&a, PAGE(0), R | W);
    entries(a.table[3])[index_at(PAGE(1), 3)] = hal_pte_frame(PAGE(5), 3, R | W, false);
    entries(a.table[2])[index_at(BLOCK, 2)] = hal_pte_table(RAM_END);
    hal_pdom_activate(a.table[0], SLOT_A);
    assert_read_write(PAGE(0));
    assert_no_access(PAGE(1));
    assert_no_access(PAGE(5));
    assert_no_access(BLOCK);
    assert_int_equal(hal_pte_table_address(hal_pte_table(TABLES)), TABLES);
    assert_int_equal(hal_pte_table_address(hal_pte_frame(PAGE(0), 3, R, true)), 0);
    assert_int_equal(hal_pte_rights(hal_pte_frame(PAGE(0), 3, R | X, true)), R | X);
    assert_int_equal(hal_pte_rights(hal_pte_table(TABLES)), 0);
}

static void stack_ready_needs_writable_pages_below(enum host_protection mode)
{
    reset_with(mode);
    struct tree a = make_tree(0);
    for (unsigned i = 2; i < 8; i++)
        grant_page(&a, PAGE(i), R | W);
    hal_pdom_activate(a.table[0], SLOT_A);
    uintptr_t sp = PAGE(8) - 64;
    /* Needs PAGE(5) and up; room as far as PAGE(2), then ungranted. */
    assert_true(host_protection_stack_ready(PAGE(0), PAGE(5) + 16, sp));
    assert_read_write(PAGE(2));
    assert_false(host_protection_stack_ready(PAGE(0), PAGE(1) + 16, sp));
    grant_page(&a, PAGE(6), R);
    hal_pdom_flush(SLOT_A, PAGE(6), HAL_PAGE_SIZE);
    assert_false(host_protection_stack_ready(PAGE(0), PAGE(5), sp));
    /* Outside the window the host protects nothing. */
    assert_true(host_protection_stack_ready(4096, 8192, 65536));
}

/* ---- A domain's fault under protection --------------------------------- */

/* The page the root below may read but not write. */
#define READ_ONLY_PAGE PAGE(40)

static struct {
    int reads;
    bool wrote;
} root_seen;

static bool grant_on_boot;

/* Every boot in this program passes here (-Wl,--wrap=kernel_boot). For the
 * domain tests, once the kernel has booted, activate a tree that grants
 * all RAM read-write but READ_ONLY_PAGE: the root's stack, IPC buffer and
 * bootinfo wherever boot put them. Every other page of the first 2 MiB is
 * executable too, so that no two pages there merge into one run: a lazy
 * machine then fills the root's stack a page at a time. */
struct hal_context *__real_kernel_boot(void);
struct hal_context *__wrap_kernel_boot(void);
struct hal_context *__wrap_kernel_boot(void)
{
    struct hal_context *root = __real_kernel_boot();
    if (!grant_on_boot)
        return root;
    struct tree t = make_tree(0);
    for (unsigned i = 0; i < HAL_PT_ENTRIES; i++)
        grant_page(&t, HOST_USER_BASE + (uintptr_t)i * HAL_PAGE_SIZE, i % 2 ? R | W : R | W | X);
    grant_page(&t, READ_ONLY_PAGE, R);
    for (uintptr_t block = BLOCK; block < RAM_END; block += (uintptr_t)2 << 20)
        grant_block(&t, block, R | W);
    hal_pdom_activate(t.table[0], SLOT_A);
    return root;
}

static int read_then_write_main(const struct vesper_bootinfo *info)
{
    (void)info;
    root_seen.reads += *(volatile unsigned char *)READ_ONLY_PAGE + 1;
    *(volatile unsigned char *)READ_ONLY_PAGE = 1;
    root_seen.wrote = true; /* never reached: the domain is stopped */
    return 0;
}

static void read_then_write_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, read_then_write_main);
}

/* Call trap with the stack pointer a little above a page boundary, so that
 * the signal frame of what it raises must go on the page below, which a
 * lazy machine has not filled yet. */
static __attribute__((noinline)) int trap_at_page_bottom(void (*trap)(void))
{
    uintptr_t offset = (uintptr_t)__builtin_frame_address(0) & (HAL_PAGE_SIZE - 1);
    size_t size = offset > 1024 ? offset - 512 : offset + HAL_PAGE_SIZE - 512;
    volatile char pad[size];
    pad[0] = 1;
    trap();
    return pad[0];
}

static void undefined_instruction(void)
{
    __builtin_trap();
}

/* A root that stops on a machine exception other than an access: its
 * signal too needs room on a stack whose pages a lazy machine has not
 * filled yet. */
static int undefined_instruction_main(const struct vesper_bootinfo *info)
{
    (void)info;
    root_seen.reads++;
    trap_at_page_bottom(undefined_instruction);
    root_seen.wrote = true; /* never reached: the domain is stopped */
    return 0;
}

static void undefined_instruction_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, undefined_instruction_main);
}

#if defined(__x86_64__)
/* x86_64's breakpoint leaves the pc after itself, so the host cannot
 * simply run it again to deliver it where it should. */
static void breakpoint(void)
{
    __asm__ volatile("int3");
}

static int breakpoint_main(const struct vesper_bootinfo *info)
{
    (void)info;
    root_seen.reads++;
    trap_at_page_bottom(breakpoint);
    root_seen.wrote = true; /* never reached: the domain is stopped */
    return 0;
}

static void breakpoint_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, breakpoint_main);
}
#endif

/* Run a root with entry under protection, over the tree of the wrap above;
 * it must stop with the exception whose text is expected. */
static void run_stopping_root(enum host_protection mode, void (*entry)(vesper_word),
                              const char *expected)
{
    memset(&root_seen, 0, sizeof root_seen);
    host_machine_protection(mode);
    assert_int_equal(host_machine_reset(MEMORY, (uintptr_t)entry), 0);
    host_console_capture(test_console, sizeof test_console);
    grant_on_boot = true;
    int status = host_run();
    grant_on_boot = false;
    assert_int_equal(status, KERNEL_NO_DOMAIN_STATUS);
    assert_int_equal(root_seen.reads, 1);
    assert_false(root_seen.wrote);
    assert_non_null(strstr(test_console, expected));
}

static void domain_fault_reaches_the_kernel(enum host_protection mode)
{
    char expected[96];
    snprintf(expected, sizeof expected, "stopped: page fault (0x%x, pc 0x", SIGSEGV);
    run_stopping_root(mode, read_then_write_entry, expected);
    snprintf(expected, sizeof expected, ", 0x%lx) and no fault handler",
             (unsigned long)READ_ONLY_PAGE);
    assert_non_null(strstr(test_console, expected));
}

static void undefined_instruction_stops_the_domain(enum host_protection mode)
{
    char expected[64];
    snprintf(expected, sizeof expected, "stopped: user exception (0x%x, pc 0x",
#if defined(__x86_64__)
             SIGILL
#else
             SIGTRAP
#endif
    );
    run_stopping_root(mode, undefined_instruction_entry, expected);
}

/* ---- Both modes -------------------------------------------------------- */

static void HOSTPROT0002_eager_reset_makes_the_window_inaccessible(void **state)
{
    (void)state;
    reset_makes_the_window_inaccessible(HOST_PROTECTION_EAGER);
}

static void HOSTPROT0003_lazy_reset_makes_the_window_inaccessible(void **state)
{
    (void)state;
    reset_makes_the_window_inaccessible(HOST_PROTECTION_LAZY);
}

static void HOSTPROT0004_eager_grants_give_their_rights(void **state)
{
    (void)state;
    grants_give_their_rights(HOST_PROTECTION_EAGER);
}

static void HOSTPROT0005_lazy_grants_give_their_rights(void **state)
{
    (void)state;
    grants_give_their_rights(HOST_PROTECTION_LAZY);
}

static void HOSTPROT0006_eager_execute_right_makes_pages_executable(void **state)
{
    (void)state;
    execute_right_makes_pages_executable(HOST_PROTECTION_EAGER);
}

static void HOSTPROT0007_lazy_execute_right_makes_pages_executable(void **state)
{
    (void)state;
    execute_right_makes_pages_executable(HOST_PROTECTION_LAZY);
}

static void HOSTPROT0008_eager_flush_applies_changed_entries(void **state)
{
    (void)state;
    flush_applies_changed_entries(HOST_PROTECTION_EAGER);
}

static void HOSTPROT0009_lazy_flush_applies_changed_entries(void **state)
{
    (void)state;
    flush_applies_changed_entries(HOST_PROTECTION_LAZY);
}

static void HOSTPROT0010_eager_flush_of_another_pdom_changes_nothing(void **state)
{
    (void)state;
    flush_of_another_pdom_changes_nothing(HOST_PROTECTION_EAGER);
}

static void HOSTPROT0011_lazy_flush_of_another_pdom_changes_nothing(void **state)
{
    (void)state;
    flush_of_another_pdom_changes_nothing(HOST_PROTECTION_LAZY);
}

static void HOSTPROT0012_eager_switching_revokes_the_previous_pdom(void **state)
{
    (void)state;
    switching_revokes_the_previous_pdom(HOST_PROTECTION_EAGER);
}

static void HOSTPROT0013_lazy_switching_revokes_the_previous_pdom(void **state)
{
    (void)state;
    switching_revokes_the_previous_pdom(HOST_PROTECTION_LAZY);
}

static void HOSTPROT0014_eager_no_pdom_makes_everything_inaccessible(void **state)
{
    (void)state;
    no_pdom_makes_everything_inaccessible(HOST_PROTECTION_EAGER);
}

static void HOSTPROT0015_lazy_no_pdom_makes_everything_inaccessible(void **state)
{
    (void)state;
    no_pdom_makes_everything_inaccessible(HOST_PROTECTION_LAZY);
}

static void HOSTPROT0016_eager_large_frame_grants_its_whole_block(void **state)
{
    (void)state;
    large_frame_grants_its_whole_block(HOST_PROTECTION_EAGER);
}

static void HOSTPROT0017_lazy_large_frame_grants_its_whole_block(void **state)
{
    (void)state;
    large_frame_grants_its_whole_block(HOST_PROTECTION_LAZY);
}

static void HOSTPROT0018_eager_misplaced_entries_grant_nothing(void **state)
{
    (void)state;
    misplaced_entries_grant_nothing(HOST_PROTECTION_EAGER);
}

static void HOSTPROT0019_lazy_misplaced_entries_grant_nothing(void **state)
{
    (void)state;
    misplaced_entries_grant_nothing(HOST_PROTECTION_LAZY);
}

static void HOSTPROT0020_eager_stack_ready_needs_writable_pages_below(void **state)
{
    (void)state;
    stack_ready_needs_writable_pages_below(HOST_PROTECTION_EAGER);
}

static void HOSTPROT0021_lazy_stack_ready_needs_writable_pages_below(void **state)
{
    (void)state;
    stack_ready_needs_writable_pages_below(HOST_PROTECTION_LAZY);
}

static void HOSTPROT0022_eager_domain_fault_reaches_the_kernel(void **state)
{
    (void)state;
    domain_fault_reaches_the_kernel(HOST_PROTECTION_EAGER);
}

static void HOSTPROT0023_lazy_domain_fault_reaches_the_kernel(void **state)
{
    (void)state;
    domain_fault_reaches_the_kernel(HOST_PROTECTION_LAZY);
}

static void HOSTPROT0029_eager_undefined_instruction_stops_the_domain(void **state)
{
    (void)state;
    undefined_instruction_stops_the_domain(HOST_PROTECTION_EAGER);
}

static void HOSTPROT0030_lazy_undefined_instruction_stops_the_domain(void **state)
{
    (void)state;
    undefined_instruction_stops_the_domain(HOST_PROTECTION_LAZY);
}

static void HOSTPROT0031_lazy_breakpoint_stops_the_domain(void **state)
{
    (void)state;
#if defined(__x86_64__)
    char expected[64];
    snprintf(expected, sizeof expected, "stopped: user exception (0x%x, pc 0x", SIGTRAP);
    run_stopping_root(HOST_PROTECTION_LAZY, breakpoint_entry, expected);
#else
    skip(); /* elsewhere __builtin_trap() is the breakpoint, tested above */
#endif
}

/* ---- How each mode spends its mprotect calls ---------------------------- */

/* A switch changes only what differs, a run at a time; when the old and
 * new grants interleave, it takes everything away in one call instead. */
static void HOSTPROT0024_eager_switch_merges_runs(void **state)
{
    (void)state;
    reset_with(HOST_PROTECTION_EAGER);
    struct tree a = make_tree(0), b = make_tree(1);
    for (unsigned i = 0; i < 64; i++) {
        grant_page(&a, PAGE(i), R | W);
        grant_page(&b, PAGE(64 + 2 * i), R | W);
    }
    unsigned long calls = host_protection_calls();
    hal_pdom_activate(a.table[0], SLOT_A);
    assert_int_equal(host_protection_calls() - calls, 1);
    calls = host_protection_calls();
    hal_pdom_activate(a.table[0], SLOT_A);
    assert_int_equal(host_protection_calls() - calls, 0);
    hal_pdom_activate(b.table[0], SLOT_B);
    assert_int_equal(host_protection_calls() - calls, 1 + 64);
    for (unsigned i = 0; i < 64; i++) {
        assert_no_access(PAGE(i));
        assert_read_write(PAGE(64 + 2 * i));
        assert_no_access(PAGE(65 + 2 * i));
    }
    /* B's pages interleave with what A is given now: all away, then A's. */
    for (unsigned i = 0; i < 64; i++)
        grant_page(&a, PAGE(65 + 2 * i), R);
    calls = host_protection_calls();
    hal_pdom_activate(a.table[0], SLOT_A);
    assert_int_equal(host_protection_calls() - calls, 1 + 1 + 64);
    assert_read_only(PAGE(65));
    assert_no_access(PAGE(64));
}

/* A fill gives a touched page's whole run in its leaf table at once; a
 * switch takes back all that was filled in one call. */
static void HOSTPROT0025_lazy_fill_takes_a_run(void **state)
{
    (void)state;
    reset_with(HOST_PROTECTION_LAZY);
    struct tree a = make_tree(0);
    for (unsigned i = 0; i < 64; i++)
        grant_page(&a, PAGE(i), i < 32 ? R | W : R);
    hal_pdom_activate(a.table[0], SLOT_A);
    unsigned long calls = host_protection_calls();
    for (unsigned i = 0; i < 64; i++)
        assert_true(can_read(PAGE(i)));
    assert_int_equal(host_protection_calls() - calls, 2);
    calls = host_protection_calls();
    hal_pdom_activate(a.table[0], SLOT_A);
    assert_int_equal(host_protection_calls() - calls, 1);
    assert_no_access(PAGE(64));
    assert_read_write(PAGE(0));
    assert_read_only(PAGE(63));
}

static void HOSTPROT0026_reset_without_protection_restores_read_write(void **state)
{
    (void)state;
    reset_with(HOST_PROTECTION_EAGER);
    assert_no_access(PAGE(0));
    reset_with(HOST_PROTECTION_OFF);
    assert_read_write(PAGE(0));
    assert_read_write(RAM_END - 1);
    assert_false(host_protection_fill(PAGE(0)));
}

/* ---- Many random changes ---------------------------------------------- */

#define RANDOM_TREES 3u
#define RANDOM_PAGES 48u
#define RANDOM_STEPS 150

static uint32_t random_state = 12345;

static uint32_t next_random(void)
{
    random_state ^= random_state << 13;
    random_state ^= random_state >> 17;
    random_state ^= random_state << 5;
    return random_state;
}

static unsigned random_rights(void)
{
    static const unsigned choices[] = {0, 0, R, R | W, R | W, R | X, W};
    return choices[next_random() % (sizeof choices / sizeof choices[0])];
}

/* What the window must show for a page granted rights ("---" for none). */
static void expected_permissions(unsigned rights, char perms[4])
{
    perms[0] = rights & (R | W) ? 'r' : '-';
    perms[1] = rights & W ? 'w' : '-';
    perms[2] = rights & X ? 'x' : '-';
    perms[3] = '\0';
}

/* Every page of the window shows what the active tree grants it (eager),
 * or that or nothing until a touch fills it (lazy: then every page is
 * read, and must show exactly what the tree grants). */
static void assert_window_matches(enum host_protection mode,
                                  unsigned rights[RANDOM_TREES][RANDOM_PAGES], int active)
{
    for (int pass = 0; pass < (mode == HOST_PROTECTION_LAZY ? 2 : 1); pass++) {
        for (unsigned i = 0; i < RANDOM_PAGES; i++) {
            unsigned granted = active >= 0 ? rights[active][i] : 0;
            char want[4], have[4];
            expected_permissions(granted, want);
            page_permissions(PAGE(i), have);
            bool unfilled = mode == HOST_PROTECTION_LAZY && pass == 0 &&
                            strcmp(have, "---") == 0;
            if (!unfilled && strcmp(want, have) != 0)
                fail_msg("page %u: the tree grants %s, the window shows %s", i, want, have);
            if (pass == 0 && mode == HOST_PROTECTION_LAZY && (granted & (R | W)))
                assert_true(can_read(PAGE(i)));
        }
    }
}

static void random_changes_match_the_trees(enum host_protection mode)
{
    reset_with(mode);
    struct tree trees[RANDOM_TREES];
    unsigned rights[RANDOM_TREES][RANDOM_PAGES] = {{0}};
    for (unsigned t = 0; t < RANDOM_TREES; t++)
        trees[t] = make_tree(t);
    int active = -1;
    for (int step = 0; step < RANDOM_STEPS; step++) {
        unsigned t = next_random() % RANDOM_TREES;
        if (next_random() % 4 == 0) {
            hal_pdom_activate(trees[t].table[0], t);
            active = (int)t;
        } else {
            unsigned first = next_random() % RANDOM_PAGES;
            unsigned count = 1 + next_random() % 4;
            for (unsigned i = first; i < first + count && i < RANDOM_PAGES; i++) {
                rights[t][i] = random_rights();
                grant_page(&trees[t], PAGE(i), rights[t][i]);
            }
            hal_pdom_flush(t, PAGE(first), count * HAL_PAGE_SIZE);
        }
        assert_window_matches(mode, rights, active);
    }
}

static void HOSTPROT0027_eager_random_changes_match_the_trees(void **state)
{
    (void)state;
    random_changes_match_the_trees(HOST_PROTECTION_EAGER);
}

static void HOSTPROT0028_lazy_random_changes_match_the_trees(void **state)
{
    (void)state;
    random_changes_match_the_trees(HOST_PROTECTION_LAZY);
}

#define PROT_TEST(f) cmocka_unit_test_teardown(f, protection_off)

int main(void)
{
    const struct CMUnitTest tests[] = {
        PROT_TEST(HOSTPROT0001_off_leaves_the_window_read_write),
        PROT_TEST(HOSTPROT0002_eager_reset_makes_the_window_inaccessible),
        PROT_TEST(HOSTPROT0003_lazy_reset_makes_the_window_inaccessible),
        PROT_TEST(HOSTPROT0004_eager_grants_give_their_rights),
        PROT_TEST(HOSTPROT0005_lazy_grants_give_their_rights),
        PROT_TEST(HOSTPROT0006_eager_execute_right_makes_pages_executable),
        PROT_TEST(HOSTPROT0007_lazy_execute_right_makes_pages_executable),
        PROT_TEST(HOSTPROT0008_eager_flush_applies_changed_entries),
        PROT_TEST(HOSTPROT0009_lazy_flush_applies_changed_entries),
        PROT_TEST(HOSTPROT0010_eager_flush_of_another_pdom_changes_nothing),
        PROT_TEST(HOSTPROT0011_lazy_flush_of_another_pdom_changes_nothing),
        PROT_TEST(HOSTPROT0012_eager_switching_revokes_the_previous_pdom),
        PROT_TEST(HOSTPROT0013_lazy_switching_revokes_the_previous_pdom),
        PROT_TEST(HOSTPROT0014_eager_no_pdom_makes_everything_inaccessible),
        PROT_TEST(HOSTPROT0015_lazy_no_pdom_makes_everything_inaccessible),
        PROT_TEST(HOSTPROT0016_eager_large_frame_grants_its_whole_block),
        PROT_TEST(HOSTPROT0017_lazy_large_frame_grants_its_whole_block),
        PROT_TEST(HOSTPROT0018_eager_misplaced_entries_grant_nothing),
        PROT_TEST(HOSTPROT0019_lazy_misplaced_entries_grant_nothing),
        PROT_TEST(HOSTPROT0020_eager_stack_ready_needs_writable_pages_below),
        PROT_TEST(HOSTPROT0021_lazy_stack_ready_needs_writable_pages_below),
        PROT_TEST(HOSTPROT0022_eager_domain_fault_reaches_the_kernel),
        PROT_TEST(HOSTPROT0023_lazy_domain_fault_reaches_the_kernel),
        PROT_TEST(HOSTPROT0024_eager_switch_merges_runs),
        PROT_TEST(HOSTPROT0025_lazy_fill_takes_a_run),
        PROT_TEST(HOSTPROT0026_reset_without_protection_restores_read_write),
        PROT_TEST(HOSTPROT0027_eager_random_changes_match_the_trees),
        PROT_TEST(HOSTPROT0028_lazy_random_changes_match_the_trees),
        PROT_TEST(HOSTPROT0029_eager_undefined_instruction_stops_the_domain),
        PROT_TEST(HOSTPROT0030_lazy_undefined_instruction_stops_the_domain),
        PROT_TEST(HOSTPROT0031_lazy_breakpoint_stops_the_domain),
    };
    return cmocka_run_group_tests_name("host_protection", tests, test_map_large, protection_off);
}

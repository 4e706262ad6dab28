/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The host HAL's own interface, for the programs built over it: vesper-sim,
 * the unit tests and the fuzzers. The core never includes this header.
 */
#ifndef VESPER_HAL_HOST_H
#define VESPER_HAL_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vesper/syscall.h>

#include <vesper/host_devices.h>
#include <vesper/host_trap.h>

#include "hal_context.h"

/* Where the simulated single address space and the kernel's window on the
 * same memory live in the host process. On x86_64 both sit in memory that
 * AddressSanitizer and MemorySanitizer leave to the program (MSan keeps
 * only 0x510000000000-0x600000000000 of the middle of the address space;
 * the rest is its shadow and origin memory) and below where Linux loads a
 * position-independent program (0x555555554000 and up). */
#define HOST_USER_BASE ((uintptr_t)0x520000000000ull)
#define HOST_KERNEL_WINDOW ((uintptr_t)0x530000000000ull)
_Static_assert(HOST_KERNEL_WINDOW - HOST_USER_BASE == HAL_HOST_WINDOW_OFFSET,
               "hal_context.h translates with the same offset");
#define HOST_MEMORY_MAX ((size_t)1 << 32)
/* Where a machine's DEVICE region starts, if it has one: just past the
 * largest RAM (host_machine_devices(), host_machine_simulated_devices()).
 * The simulated devices' drivers find their pages there through the ABI
 * header <vesper/host_devices.h>. */
#define HOST_DEVICE_BASE (HOST_USER_BASE + HOST_MEMORY_MAX)
_Static_assert(HOST_DEVICE_BASE == VESPER_HOST_DEVICE_BASE,
               "drivers find the device pages where the machine puts them");
#define HOST_MEMORY_DEFAULT ((size_t)16 << 20)

/* Interrupt lines of the simulated interrupt controller. */
#define HOST_IRQ_LINES 16u

/* Assert (level true) or deassert a line of the simulated interrupt
 * controller, as a device drives its wire (interrupts.c): while it is
 * asserted and unmasked, the run loop makes an interrupt entry for it
 * after each kernel entry. Lines past HOST_IRQ_LINES are ignored. */
void host_irq_set(unsigned line, bool level);

/* Whether the kernel has line masked at the controller (true for lines
 * past HOST_IRQ_LINES). */
bool host_irq_masked(unsigned line);

/* Simulated virtual time: what one kernel entry costs. */
#define HOST_ENTRY_COST_NS 100u

/* Vary the cost of each kernel entry in the virtual time of later resets:
 * 0 (the default) charges HOST_ENTRY_COST_NS each; another seed charges
 * from half to one and a half of it, drawn by a generator that starts from
 * the seed at each reset. The timer's deadlines then fall at other
 * entries, so domains interleave otherwise; the same seed gives the same
 * run. Real time ignores it. */
void host_machine_seed(uint64_t seed);

/* Make (the first time) or reset the simulated machine: memory_size bytes of
 * RAM (a multiple of the page size, at least 64 KiB and at most
 * HOST_MEMORY_MAX), all zero; virtual time zero; no deadline; console to
 * standard output. root_entry is what hal_root_entry() answers. The size of
 * the first call is kept for the life of the process: later calls with a
 * larger size fail. Returns 0, or -1 with a message on standard error. */
int host_machine_reset(size_t memory_size, uintptr_t root_entry);

/* Whether host_machine_reset() zeroes all of RAM, as a power cycle would
 * (the default). Fuzzers turn it off to reset in microseconds: the kernel
 * never reads RAM it has not written since boot (boot zeroes what it
 * carves, Retype zeroes what it makes), so only stale bytes that a domain
 * might print can differ. */
void host_machine_scrub(bool on);

/* Give the machines of later resets a DEVICE region of size bytes (a
 * multiple of the page size; 0, the default, for none) at HOST_DEVICE_BASE, which
 * boot hands over as device Untyped. Nothing backs it unless the machine
 * also has the simulated devices (below): it lets tests and fuzzers make
 * device Untyped and Frames, which the kernel never reads or writes. */
void host_machine_devices(size_t size);

/* Give the machines of later resets the simulated devices of
 * <vesper/host_devices.h> (devices.c), or take them away (off, the
 * default, except in vesper-sim). With them, the DEVICE region is at least
 * VESPER_HOST_DEVICE_PAGES pages (the larger of that and
 * host_machine_devices()), its first VESPER_HOST_DEVICE_PAGES pages are
 * backed by memory that each reset zeroes, and the device models run after
 * every kernel entry of host_run() and while the machine idles. The rest
 * of the region stays unbacked. */
void host_machine_simulated_devices(bool on);

/* Run the simulated devices once, as host_run() does after each kernel
 * entry: the timer's clock and comparator, one byte of UART input, the
 * UART's transmit ring to the console, and both interrupt lines. Does
 * nothing on a machine without the simulated devices. For tests that drive
 * the kernel directly. */
void host_devices_step(void);

/* What arrives on the simulated UART's receive line, in virtual time: a
 * copy of length bytes, one of which the UART takes per step (the steady
 * rate of a serial line), from the next step on. Each later reset starts
 * it again from its first byte, so every machine of the process receives
 * the same input. Replaces any input given before; a length of 0 gives
 * none. Aborts, with a message, when there is no memory for the copy. */
void host_uart_input(const char *bytes, size_t length);

/* Feed the UART from the process's standard input too, after any
 * host_uart_input() bytes: in real time, for an interactive console. A
 * byte is read only when one is there, so a run never blocks on it. */
void host_uart_input_stdin(bool on);

/* How the users' window enforces the active PDom's tree (docs/hal.md,
 * "Protection on the host"). With protection on, a page the tree grants has
 * its protection (READ: readable; WRITE: readable and writable, since
 * x86_64 has no write-only pages; EXECUTE: executable) and every other page
 * of the window none, so a touch outside a domain's rights is a page fault.
 * The kernel's window stays read-write whatever the mode. */
enum host_protection {
    /* No mprotect and no signals: the window is read-write for everyone.
     * The default, for unit tests, fuzzers and benchmarks of the core,
     * which check the core's trees rather than the host's pages. */
    HOST_PROTECTION_OFF,
    /* A switch applies the new tree at once: the pages whose protection
     * changes, in as few mprotect calls as the runs allow. */
    HOST_PROTECTION_EAGER,
    /* A software TLB: a switch takes away what the previous PDom's domains
     * touched, and the first touch of a page faults and fills it from the
     * tree. */
    HOST_PROTECTION_LAZY,
    /* The one chosen by measurement (docs/decisions.md). */
    HOST_PROTECTION_ON = HOST_PROTECTION_EAGER,
};

/* Choose the protection of the machines of later resets: it takes effect at
 * the next host_machine_reset(), which leaves the whole users' window
 * inaccessible until a PDom is activated (or read-write with protection
 * off). */
void host_machine_protection(enum host_protection mode);

/* Which clock the machines of later resets keep (clock.c). */
enum host_time {
    /* HOST_ENTRY_COST_NS per kernel entry; jumps to the next event when no
     * domain can run. The same program and input give the same run. The
     * default, and the only one tests and fuzzers use. */
    HOST_TIME_VIRTUAL,
    /* The host's monotonic clock; the deadline is a POSIX timer whose
     * SIGALRM preempts a domain wherever it is. Needs protection off or
     * eager: the signal frame goes on the domain's own stack. */
    HOST_TIME_REAL,
};
void host_machine_time(enum host_time mode);

/* Boot the kernel and run domains until it shuts down. Returns the kernel's
 * exit status. The machine must have been reset. */
int host_run(void);

/* From inside host_run() (a trace sink or the hook below): end the run
 * after the current kernel entry, leaving the kernel's state as it is, to
 * be looked at. host_run() then returns HOST_RUN_STOPPED. */
void host_run_stop(void);
#define HOST_RUN_STOPPED 5

/* Call hook after every kernel entry host_run() makes (NULL: none), as
 * vesper-sim --check-invariants does. Kept across resets. */
void host_run_after_entry(void (*hook)(void));

/* What host_run() counted, for vesper-sim --stats: the kernel entries by
 * kind (syscalls by number with the time they took: in virtual time what
 * each entry was charged, in real time what the kernel took; past the
 * table in `other_syscalls`; machine
 * exceptions by VESPER_FAULT_* kind), the switches from one domain to
 * another, and the clock at the end. host_machine_reset() clears it. */
#define HOST_STATS_SYSCALLS 64
#define HOST_STATS_FAULT_KINDS 8
struct host_stats {
    uint64_t syscalls[HOST_STATS_SYSCALLS];
    uint64_t syscall_ns[HOST_STATS_SYSCALLS]; /* the clock's time in each kind's entries */
    uint64_t other_syscalls;
    uint64_t exceptions[HOST_STATS_FAULT_KINDS];
    uint64_t timer_entries;
    uint64_t irq_entries;
    uint64_t switches;
    uint64_t end_ns;
};
const struct host_stats *host_stats(void);

/* host_trap(), the host's trap instruction, is declared in the ABI header
 * <vesper/host_trap.h>, which libos includes. */

/* Make a syscall as the current domain without running it: for tests,
 * benchmarks and fuzzers that drive the kernel directly. The frame goes
 * into the current context, the kernel handles the entry, and the frame
 * comes back with the results. Returns the context the kernel chose to run
 * next (NULL once it has shut down); with no current domain it does
 * nothing and returns NULL. */
struct hal_context *host_syscall_as_current(struct vesper_syscall_frame *frame);

/* Send console output to a buffer instead of standard output: the bytes go
 * to buffer (up to size - 1 of them, always NUL-terminated); NULL restores
 * standard output. For tests. */
void host_console_capture(char *buffer, size_t size);

/* How many bytes the console wrote since the last reset or capture. */
size_t host_console_written(void);

/* The current deadline of the simulated timer (HAL_DEADLINE_NONE if none). */
uint64_t host_timer_deadline(void);

#endif

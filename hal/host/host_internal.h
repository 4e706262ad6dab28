/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Shared between the files of the host HAL only. */
#ifndef VESPER_HAL_HOST_INTERNAL_H
#define VESPER_HAL_HOST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal_context.h"

int host_memory_reset(size_t size, uintptr_t root_entry);
/* Bytes mapped in each window (fixed at the first reset) and bytes of RAM
 * of the current machine. */
size_t host_memory_window_size(void);
size_t host_memory_ram_size(void);
/* Bytes of the simulated devices' pages mapped at HOST_DEVICE_BASE in each
 * window (0 until a machine first has them, then fixed), and bytes of them
 * the current machine has (0 without the simulated devices). */
size_t host_memory_device_mapped(void);
size_t host_memory_device_backed(void);
/* The kernel window's view of the current machine's device page index
 * (0 to VESPER_HOST_DEVICE_PAGES - 1), for the device models; NULL when
 * the machine has no such page. */
void *host_device_page(unsigned index);
void host_console_reset(void);
void host_clock_reset(void);
/* Advance virtual time by one kernel entry. */
void host_clock_charge_entry(void);

/* Whether the machine keeps real time (host.h). */
bool host_time_is_real(void);

/* In real time: a timer signal that found the kernel running asks again a
 * little later, so that one about to resume a domain is not missed. */
void host_clock_rearm_soon(void);
#define HOST_REAL_TIME_RETRY_NS 50000u

/* Whether the timer's deadline has passed by the machine's clock. */
bool host_deadline_passed(void);

/* While the machine idles: advance virtual time to time, the next event
 * that may wake a domain (never back: an event already due leaves the
 * clock where it is); in real time, sleep until then. */
void host_clock_advance_to(uint64_t time);

/* The simulated devices (devices.c): forget the models' state after a
 * reset has zeroed their pages; and the virtual time of their next event
 * that may raise a line while the machine idles (the timer's comparator,
 * the next byte of UART input), or HAL_DEADLINE_NONE for none. */
void host_devices_reset(void);
uint64_t host_devices_next_event(void);

/* Whether the current machine has the simulated devices (memory.c), so
 * that the run loop steps them only then. */
extern bool host_devices_present;

/* Whether the UART still listens to standard input (host_uart_input_stdin),
 * which may wake a domain at any time; and waiting, while the machine
 * idles, until `until` (HAL_DEADLINE_NONE: no end) or until standard input
 * has a byte, whichever comes first. */
bool host_uart_input_waits(void);
void host_devices_wait(uint64_t until);

/* The simulated interrupt controller (interrupts.c): every line deasserted
 * and masked; the lowest line asserted and unmasked, or -1. */
void host_irq_reset(void);
int host_irq_next(void);

/* Machine exceptions of domains (exceptions.c). */
void host_exceptions_install(void);
void host_exceptions_remove(void);

/* The context of the domain running now, or NULL in the kernel. */
struct hal_context *host_running_context(void);

/* From a domain's exception handler, on its stack: enter the kernel with
 * a fault, and return when the domain is resumed. */
void host_enter_kernel_with_exception(struct hal_context *ctx, uint32_t kind, uint64_t cause,
                                      uint64_t address, unsigned access);

/* Save the callee-saved registers on the current stack, store the stack
 * pointer in *save_sp, switch to new_sp and restore what was saved there
 * (switch_<arch>.S). Returns when someone switches back. */
void host_switch_stack(uint64_t *save_sp, uint64_t new_sp);

/* Save the kernel's callee-saved registers as host_switch_stack() does,
 * store its stack pointer in *save_sp, and begin a new domain with its
 * stack pointer at stack_top by calling host_domain_main(entry, arg)
 * (switch_<arch>.S). Returns when someone switches back. The domain's
 * stack is not touched before the domain itself runs. */
void host_start_domain(uint64_t *save_sp, uint64_t stack_top, uint64_t entry, uint64_t arg);
_Noreturn void host_domain_main(uintptr_t entry, uint64_t arg);

/* ---- Protection of the users' window (pagetables.c, protection.c) ---- */

/* A range of the users' window and the protection mprotect gives it. */
struct host_run {
    uintptr_t start, end; /* page aligned, start < end */
    int prot;             /* PROT_* */
};

/* Runs in address order, none overlapping; adjacent runs differ in
 * protection. At most capacity of them (room for one per page of the
 * window, so a walk of it never runs out). */
struct host_runs {
    struct host_run *run;
    size_t count, capacity;
};

/* Add [start, end) with prot after the last of runs (which must end at or
 * before start), joining it when they touch with the same protection. */
void host_runs_append(struct host_runs *runs, uintptr_t start, uintptr_t end, int prot);

/* What mprotect gives a frame granted rights (VESPER_FRAME_*). */
int host_rights_protection(unsigned rights);

/* Append to runs what the tree at pdom grants in [start, end), merged into
 * maximal runs, in address order; add nothing for pdom 0. */
void host_tree_runs(uintptr_t pdom, uintptr_t start, uintptr_t end, struct host_runs *runs);

/* The grant that covers address in the tree at pdom, clipped to
 * [start, end): a 2 MiB frame's range, or a 4 KiB page's widened over the
 * pages beside it in the same leaf table with the same protection. False
 * when the tree grants nothing there. */
bool host_tree_lookup(uintptr_t pdom, uintptr_t address, uintptr_t start, uintptr_t end,
                      struct host_run *run);

/* Apply the mode chosen with host_machine_protection() to a machine just
 * reset: the whole users' window inaccessible, no PDom active; or, with
 * protection off, the window read-write. Returns 0, or -1 with a message. */
int host_protection_reset(void);

/* Whether the current machine enforces protection (not HOST_PROTECTION_OFF). */
bool host_protection_enabled(void);

/* Lazy protection's fill, for whoever catches SIGSEGV: when address lies
 * in a page of the users' window that the active tree grants and that is
 * still inaccessible since the last switch, give it (and the pages around
 * it with the same grant) its protection and return true: the access must
 * be retried, and the host decides whether it is allowed now. False in any
 * other case, including in the other modes: the fault is real. Safe in a
 * signal handler. */
bool host_protection_fill(uintptr_t address);

/* Whether the active tree lets user code write every page of
 * [need, stack_pointer), and of [room, need) as far down as it does: the
 * stack the host needs to deliver a fault on a domain's own stack. Under
 * lazy protection it fills those pages. Addresses outside the users'
 * window count as writable: the window is all this HAL protects. */
bool host_protection_stack_ready(uintptr_t room, uintptr_t need, uintptr_t stack_pointer);

/* How many mprotect calls protection made since the process began. */
unsigned long host_protection_calls(void);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The core's entries: what a HAL calls, and the one core header a HAL (or a
 * host program) may include; the build gives them no other core directory.
 * Every entry runs to completion on the one kernel stack and ends by naming
 * the context to resume next, so a test or a fuzzer can drive the kernel by
 * calling these functions directly.
 *
 * A HAL's life cycle:
 *   ctx = kernel_boot();
 *   loop: resume ctx in user mode until it traps, then
 *         ctx = kernel_entry_syscall();              (for a syscall)
 *         ctx = kernel_entry_exception(kind, ...);   (for any other trap)
 *         ctx = kernel_entry_timer();                (the deadline passed)
 *         ctx = kernel_entry_irq(line);              (a device raised a line)
 *   until ctx is NULL: the kernel has shut down and kernel_exit_status()
 *   says how, or, if kernel_is_idle(), no domain can run until an
 *   interrupt wakes one: wait for it and make its entry (the timer's or
 *   kernel_entry_irq()), or, when none can ever come, call
 *   kernel_entry_no_wakeup().
 */
#ifndef VESPER_CORE_KERNEL_H
#define VESPER_CORE_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "hal.h"

/* Boot the kernel from nothing: read the memory map, carve the root
 * domain's objects from free memory, write its bootinfo record. Forgets all
 * state of any earlier boot, so tests may call it again. Returns the root
 * domain's context to enter; panics (hal_halt) when the machine has too
 * little memory to boot. */
struct hal_context *kernel_boot(void);

/* The current domain made a syscall; its context holds the words. Returns
 * the context to resume, or NULL once the kernel has shut down (then, and
 * on any later call, it does nothing more and returns NULL). */
struct hal_context *kernel_entry_syscall(void);

/* The current domain took an exception that is not a syscall: kind is a
 * VESPER_FAULT_*, cause the machine's description (ESR on aarch64),
 * address the faulting address, if any, and for a page fault access the
 * VESPER_FAULT_ACCESS_* it attempted (0 if unknown). The fault goes to the
 * domain's fault handler. Returns the context to resume, or NULL. */
struct hal_context *kernel_entry_exception(uint32_t kind, uint64_t cause, uint64_t address,
                                           unsigned access);

/* The deadline the kernel last set with hal_timer_set_deadline() has
 * passed: the running domain's time slice (or Dispatch budget) is over.
 * The HAL calls it when the timer interrupt arrives from user mode or
 * while the kernel idles, or (the host's virtual time) at the end of the
 * first kernel entry that finds the deadline passed. The domain goes to the
 * back of the run queue and the next one gets a fresh slice of
 * KERNEL_QUANTUM_NS (or the domain scheduler decides). Returns the context
 * to resume, or NULL: the kernel shut down, or idles. A timer entry with no
 * deadline passed is harmless: it only ends the slice early. Every timer
 * entry that returns a context sets a new deadline, so a HAL may disarm
 * its timer when the interrupt arrives (the Pi does, so that the line
 * drops). */
struct hal_context *kernel_entry_timer(void);

/* An unmasked interrupt line was raised (hal.h). The kernel masks it and,
 * when a handler claimed it, marks it pending and signals the notification
 * bound to it with that capability's badge; the driver services the device
 * and Acks the handler, which unmasks the line. A line nobody claimed stays
 * masked and is counted; one out of range is only counted. The running
 * domain goes on running unless the wakeup makes the domain scheduler
 * decide otherwise; an idle kernel runs the woken driver. Returns the
 * context to resume, or NULL: the kernel shut down, or still idles. */
struct hal_context *kernel_entry_irq(unsigned line);

/* How long a domain runs before the kernel's round robin takes the CPU
 * back, unless it blocks, yields or hands the CPU to an IPC partner first
 * (the partner then runs on in the same slice). */
#define KERNEL_QUANTUM_NS 5000000u

/* The budget of each upcall of the domain scheduler: if it has not
 * Dispatched by then it counts as stuck, and the round robin runs every
 * runnable domain (itself among them) until it Dispatches again. */
#define KERNEL_SCHEDULER_BUDGET_NS 1000000u

/* The budgets Dispatch accepts: 1 microsecond to 10 seconds. */
#define KERNEL_BUDGET_MIN_NS 1000u
#define KERNEL_BUDGET_MAX_NS 10000000000u

/* Whether the kernel is still running (booted and not shut down). */
bool kernel_is_running(void);

/* Whether it runs with no domain on the CPU: every domain waits, and a
 * driver's interrupt line is armed, so an interrupt may wake one. Only the
 * timer and interrupt entries do anything then. */
bool kernel_is_idle(void);

/* The HAL knows no interrupt will ever come while the kernel idles (on the
 * host's virtual time: no device has an event due): the kernel shuts down
 * as when no domain can run. Returns NULL, or the current context if the
 * kernel was not idle (then it does nothing). */
struct hal_context *kernel_entry_no_wakeup(void);

/* The status the kernel shut down with: the root domain's exit status, or
 * KERNEL_NO_DOMAIN_STATUS when no domain was left that could run. */
int kernel_exit_status(void);

/* The context of the domain the kernel last chose to run, or NULL. */
struct hal_context *kernel_current_context(void);

/* Print on the kernel console: a small printf (core/lib/console.h lists the
 * conversions). HALs print their own messages with it. */
void kprintf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Stop everything because a kernel invariant broke. Never for user error. */
_Noreturn void kernel_panic(const char *why);

/* The exit statuses the kernel gives of its own. Small, and clear of the
 * ones shells and timeout(1) give: 124 for a run timed out, 125 to 127
 * for a command that failed to run, 128 + n for a signal. */
#define KERNEL_PANIC_STATUS 4
/* The status of a shutdown because no domain is left that can run. */
#define KERNEL_NO_DOMAIN_STATUS 3

#endif

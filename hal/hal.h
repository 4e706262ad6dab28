/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The HAL contract: everything the portable core needs from a machine.
 *
 * Each HAL (hal/host, hal/rpi3) defines every function below exactly once,
 * and Meson links the core against one of them; there are no function
 * pointer tables. Each HAL also provides "hal_context.h", which defines
 * struct hal_context: the saved user registers of one domain, embedded in
 * the domain object so that a blocked domain's whole state lives in memory
 * the core owns.
 *
 * Unless a function says otherwise it is called by the core with
 * interrupts masked, on the kernel stack, and must not call back into the
 * core. Addresses are addresses of the single address space: a virtual
 * address means the same in every domain and to the kernel's memory map.
 *
 * The calls in the other direction, from the HAL into the core (boot and the
 * kernel entries, kprintf), are declared in core/interface/kernel.h, the
 * one core header a HAL sees.
 */
#ifndef VESPER_HAL_H
#define VESPER_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vesper/syscall.h>

#include "hal_context.h"

/* ---- Platform ---------------------------------------------------------- */

/* A short constant name of the machine for the boot banner, such as
 * "host" or "raspi3". Never NULL. */
const char *hal_platform_name(void);

/* ---- Memory ------------------------------------------------------------ */

enum hal_region_kind {
    HAL_REGION_FREE,     /* RAM that no one uses: the core carves it */
    HAL_REGION_IMAGE,    /* RAM holding the boot image: the kernel and the root
                          * domain's code and data, which the root may read */
    HAL_REGION_RESERVED, /* RAM the firmware or the HAL occupies */
    HAL_REGION_DEVICE,   /* device registers */
};

struct hal_memory_region {
    uintptr_t base; /* page aligned */
    size_t size;    /* a multiple of the page size, never 0 */
    enum hal_region_kind kind;
};

#define HAL_PAGE_BITS 12u
#define HAL_PAGE_SIZE ((size_t)1 << HAL_PAGE_BITS)

/* The machine's memory map. Stores a pointer to an array of regions in
 * *regions and returns how many there are. The regions are sorted by base
 * and do not overlap. The array stays valid and unchanged until the next
 * boot. */
size_t hal_memory_map(const struct hal_memory_region **regions);

/* Where the kernel can reach the bytes [address, address + length) of the
 * single address space. Returns a pointer the core may read and write
 * through, whatever the protection of the current domain, or NULL unless
 * the whole range lies in one FREE or IMAGE region (a wrapping range never
 * does).
 * A zero length at a RAM address is valid. It checks bounds only: which
 * domain may touch the memory is the core's business. */
void *hal_kernel_view(uintptr_t address, size_t length);

/* The address where the root domain starts: a function taking the bootinfo
 * address as its first argument. Its code is part of the boot image. */
uintptr_t hal_root_entry(void);

/* ---- Console ----------------------------------------------------------- */

/* Write length bytes to the kernel console, in order, before returning.
 * The bytes are not interpreted (no newline translation). */
void hal_console_write(const char *text, size_t length);

/* ---- Time -------------------------------------------------------------- */

/* Nanoseconds since boot from a monotonic clock: never decreases between two
 * calls. Under the host HAL's virtual time it advances only as the simulated
 * machine does, so a run repeats exactly. */
uint64_t hal_clock_now_ns(void);

/* Arm the one-shot deadline timer to fire when hal_clock_now_ns() reaches
 * deadline_ns (at once if it already has); HAL_DEADLINE_NONE disarms it.
 * A new call replaces the previous deadline. */
void hal_timer_set_deadline(uint64_t deadline_ns);

#define HAL_DEADLINE_NONE UINT64_MAX

/* ---- Interrupts ------------------------------------------------------ */

/* How many interrupt lines user drivers may claim: lines 0 to count - 1.
 * Constant for the life of the machine, at most HAL_IRQ_LINES_MAX. */
unsigned hal_irq_count(void);

#define HAL_IRQ_LINES_MAX 128u

/* ---- Domain register contexts ------------------------------------------ */

/* Two rules hold for every HAL and every context:
 *  - A HAL writes no user memory to prepare, save or restore a context: a
 *    domain's registers live in its struct hal_context, inside the domain
 *    object, never on its stack or anywhere else a domain can name.
 *  - A HAL never resumes user code with anything but user privilege and
 *    the interrupt state the kernel chooses, whatever a saved context
 *    holds: of a saved status word only the condition flags are restored.
 */

/* Prepare ctx so that resuming it runs entry(arg0) in user mode on the stack
 * that ends at stack_top (exclusive; aligned to 16 bytes by the caller),
 * with every other register zero. stack_base is the lowest address of that
 * stack. The HAL may record the bounds for its own checks, but must not
 * read or write the stack: the values are the caller's, unchecked, and any
 * fault they cause is the domain's own, taken when it runs. */
void hal_context_init_user(struct hal_context *ctx, uintptr_t entry,
                           uintptr_t stack_base, uintptr_t stack_top,
                           uint64_t arg0);

/* On the hot path of every syscall, four functions are static inline in
 * each HAL's hal_context.h rather than declared here; their contracts:
 *
 *   void hal_context_get_syscall(const struct hal_context *ctx,
 *                                struct vesper_syscall_frame *frame);
 *     The syscall a context made at its last kernel entry, read from where
 *     the ABI puts its words (include/vesper/syscall.h): saved registers,
 *     or on the host the frame the trap copied in.
 *
 *   void hal_context_set_result(struct hal_context *ctx, unsigned index,
 *                               uint64_t value);
 *     Set result word index (0 <= index < VESPER_SYSCALL_ARGS) that the
 *     context sees when it resumes from its syscall. Indices out of range
 *     are a core bug; the HAL ignores them.
 *
 *   const struct vesper_syscall_frame *
 *   hal_context_syscall_view(const struct hal_context *ctx,
 *                            struct vesper_syscall_frame *scratch);
 *     The same words as hal_context_get_syscall(), read in place where the
 *     context keeps them in that form (else copied into scratch). Valid
 *     until the context's results are written: for readers only.
 *
 *   void *hal_kernel_pointer(uintptr_t address);
 *     The kernel's pointer to an address the core knows lies in FREE RAM
 *     (an object a capability names): hal_kernel_view() without the checks.
 */

/* Where the context resumes, and moving it there (a fault handler may
 * resume a domain elsewhere). On the host, whose domains enter the kernel
 * by a call, a domain stopped in a syscall has no pc to report: pc returns
 * 0, and set_pc does nothing since it can only resume by returning. */
uintptr_t hal_context_pc(const struct hal_context *ctx);
void hal_context_set_pc(struct hal_context *ctx, uintptr_t pc);

/* Give the domain of ctx its IPC buffer's address (0: none), which its code
 * reads with libos's vesper_ipc_buffer(): domains sharing one program image
 * in the single address space each find their own. On aarch64 it is the
 * domain's TPIDR_EL0; on the host, what host_ipc_buffer() returns while the
 * domain runs (<vesper/host_trap.h>). The kernel sets it when the domain
 * starts and whenever its buffer changes, and never reads it back: a
 * domain may overwrite its own copy on aarch64. A context's value starts at
 * 0 (hal_context_init_user). */
void hal_context_set_ipc_buffer(struct hal_context *ctx, uintptr_t address);

/* ---- Stopping ---------------------------------------------------------- */

/* Stop the machine and report status (0 for success) in the way the
 * platform can: the host process exits with it, QEMU exits with it through
 * semihosting, a board stops and waits. Used for a kernel panic; a normal
 * shutdown returns from the kernel entry instead (core/interface/kernel.h). */
_Noreturn void hal_halt(int status);

#endif

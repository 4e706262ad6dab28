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
    HAL_REGION_RESERVED, /* RAM the firmware or the HAL occupies, or device
                          * registers the HAL keeps for itself */
    HAL_REGION_DEVICE,   /* device registers */
};

struct hal_memory_region {
    uintptr_t base; /* page aligned */
    size_t size;    /* a multiple of the page size, never 0 */
    enum hal_region_kind kind;
    /* FREE only: the region holds zeros at boot (a fresh mapping, say).
     * Otherwise the core zeroes it before it hands it out, since it keeps
     * an Untyped's unused memory zero (core/object/untyped.c). */
    bool zeroed;
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

/* Copy length bytes that the core reaches through hal_kernel_view() (user
 * memory, maybe the boot image) to dst. The boot image may hold objects
 * that a sanitizer keeps apart with poisoned gaps (the host's, where the
 * image is the whole program); this copy reads across them unchecked, as
 * a domain may. */
void hal_copy_from_view(void *dst, const void *src, size_t length);

/* Zero `length` bytes of RAM at a kernel view, as fast as the machine can:
 * the core zeroes the memory it hands out at boot, and what an Untyped's
 * objects used when it starts again (core/object/untyped.c). The Pi
 * zeroes a cache line per instruction (DC ZVA), the host calls memset. */
void hal_memory_zero(void *view, size_t length);

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

/* Whether an interrupt (a line's, or the timer's at its deadline) waits
 * to be taken, without taking it: what a preemption point asks in the
 * middle of a long kernel operation. The kernel runs with interrupts
 * masked, so on hardware this reads the CPU's pending state; on the host,
 * whether the deadline has passed or a simulated line is raised and
 * unmasked. */
bool hal_preemption_pending(void);

/* Mask or unmask line (below hal_irq_count()) at the interrupt
 * controller. A masked line raises nothing, though its device may go on
 * asserting it; lines are level-triggered, so unmasking one still asserted
 * raises it again. Every line starts masked at boot. When an unmasked line
 * is raised the HAL makes the interrupt entry, kernel_entry_irq(line): on
 * hardware when the interrupt arrives while a domain runs, on the host
 * after the kernel entry during which a simulated device raised it. */
void hal_irq_mask(unsigned line);
void hal_irq_unmask(unsigned line);

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

/* On the hot path of every syscall, five functions are static inline in
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
 *
 *   uintptr_t hal_user_address(const void *pointer);
 *     The inverse: the address of the single address space at which users
 *     see what the kernel reaches through pointer (a kernel object), as
 *     capabilities and Identify name it.
 */

/* Where the context resumes, and moving it there (a fault handler may
 * resume a domain elsewhere). On the host, whose domains enter the kernel
 * by a call, a domain stopped in a syscall has no pc to report: pc returns
 * 0, and set_pc does nothing since it can only resume by returning. */
uintptr_t hal_context_pc(const struct hal_context *ctx);
void hal_context_set_pc(struct hal_context *ctx, uintptr_t pc);

/* Make ctx, which entered the kernel with a syscall whose results were not
 * written, make that same syscall again when it next runs, with the same
 * words: a preempted long operation continues (core/entry/preempt.h). On
 * aarch64 the saved pc goes back to the `svc`; on the host the trap makes
 * its call again. */
void hal_context_restart_syscall(struct hal_context *ctx);

/* A context as a domain sees it (struct vesper_context, <vesper/control.h>):
 * what the kernel copies into a control block at an upcall, and what
 * VESPER_SYS_RESUME may take back from user memory.
 *
 * export writes every word of out (unused ones 0) and nothing else.
 *
 * import makes ctx the context that in describes, or answers false,
 * leaving ctx unspecified, when in can describe no context of this HAL.
 * The words are the caller's, read once: import never trusts them beyond
 * what a domain could do with its own registers. Where resuming the
 * context would also read user memory (on the host, the call chain on the
 * domain's stack), it names those ranges in needs (size 0: none; a range
 * with read_write set must also be writable), for the core to check against
 * the domain's PDom before it commits; the IPC buffer is left for the core
 * to set. */
struct hal_context_needs {
    uintptr_t base[2];
    uintptr_t size[2];
    bool read_write[2];
};
struct vesper_context;
void hal_context_export(const struct hal_context *ctx, struct vesper_context *out);
bool hal_context_import(struct hal_context *ctx, const struct vesper_context *in,
                        struct hal_context_needs *needs);

/* Give the domain of ctx its IPC buffer's address (0: none), which its code
 * reads with libos's vesper_ipc_buffer(): domains sharing one program image
 * in the single address space each find their own. On aarch64 it is the
 * domain's TPIDR_EL0; on the host, what host_ipc_buffer() returns while the
 * domain runs (<vesper/host_trap.h>). The kernel sets it when the domain
 * starts and whenever its buffer changes, and never reads it back: a
 * domain may overwrite its own copy on aarch64. A context's value starts at
 * 0 (hal_context_init_user). */
void hal_context_set_ipc_buffer(struct hal_context *ctx, uintptr_t address);

/* ---- Protection domains ------------------------------------------------ */

/* A PDom's tree of translation tables (docs/objects/pdom.md). Every table is
 * one 4 KiB page of HAL_PT_ENTRIES 64-bit entries; level 0 is the PDom
 * object itself and levels 1 to 3 are PageTable objects, all retyped from
 * Untyped by users. An entry at level L covers 2^hal_pt_shift(L) bytes:
 * 512 GiB, 1 GiB, 2 MiB, 4 KiB. The core decides the tree's shape and
 * writes its entries through the kernel's view of the tables; the HAL
 * decides the entries' format through the five pure functions below (on
 * the Pi they are the MMU's descriptors, on the host a simulated format
 * that mprotect applies). The core looks at an entry only by comparing it
 * with what these functions return, and through hal_pte_table_address()
 * and hal_pte_rights(). */
#define HAL_PT_LEVELS 4u
#define HAL_PT_ENTRIES 512u
#define HAL_PT_INDEX_BITS 9u

typedef uint64_t hal_pte;

static inline unsigned hal_pt_shift(unsigned level)
{
    return HAL_PAGE_BITS + HAL_PT_INDEX_BITS * (HAL_PT_LEVELS - 1 - level);
}

/* What the entry at level for address holds where no user put anything:
 * it gives user code no access to RAM outside the boot image. On the host
 * 0. On the Pi the kernel's own mapping of that range, reachable only from
 * EL1, except for the boot image's user part, which every domain may use
 * (docs/rpi3.md). Constant for the life of the machine, and never equal to
 * what hal_pte_table() or hal_pte_frame() return. */
hal_pte hal_pte_empty(uintptr_t address, unsigned level);

/* An entry that links the next level's table at table (a PageTable's
 * address, page aligned). */
hal_pte hal_pte_table(uintptr_t table);

/* For an entry made by hal_pte_table(), the table's address; for one made
 * by hal_pte_frame(), 0. The core never asks about an empty entry. */
uintptr_t hal_pte_table_address(hal_pte e);

/* An entry that grants user code rights to the frame at frame: a 4 KiB
 * frame at level 3 or a 2 MiB one at level 2, aligned to its size. rights
 * is a non-zero mix of VESPER_FRAME_READ, _WRITE and _EXECUTE; device says
 * the frame holds device registers (never cached, never executed). */
hal_pte hal_pte_frame(uintptr_t frame, unsigned level, unsigned rights, bool device);

/* For an entry made by hal_pte_frame(), its rights; for a table entry, 0. */
unsigned hal_pte_rights(hal_pte e);

/* From the next return to user mode, user code runs with the tree whose
 * level-0 table is at pdom, of the PDom in slot (0 to KERNEL_PDOM_SLOTS - 1,
 * its identity: on the Pi its ASID is slot + 1). pdom 0: no PDom, and user
 * code can reach nothing but the boot image. The core calls it only when the
 * PDom changes, so domains sharing one switch for free. */
void hal_pdom_activate(uintptr_t pdom, unsigned slot);

/* The core changed entries of the tree of the PDom in slot that cover
 * [address, address + size): forget whatever the machine cached of them
 * (on the Pi a TLB invalidation by ASID and address; on the host, when that
 * PDom is active, its protection is applied again to the range). It is also
 * a barrier: the core's table writes before it are visible to the
 * translation hardware before any after it, which is how a new table is
 * filled before it is linked. */
void hal_pdom_flush(unsigned slot, uintptr_t address, size_t size);

/* The PDom in slot is gone and the slot may be given to another: forget
 * every translation cached for it. Never the active one. */
void hal_pdom_forget(unsigned slot);

/* ---- Stopping ---------------------------------------------------------- */

/* Stop the machine and report status (0 for success) in the way the
 * platform can: the host process exits with it, QEMU exits with it through
 * semihosting, a board stops and waits. Used for a kernel panic; a normal
 * shutdown returns from the kernel entry instead (core/interface/kernel.h). */
_Noreturn void hal_halt(int status);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Shared between the files of the Raspberry Pi 3 HAL only: the board's
 * addresses, register access, the symbols the linker script defines, and
 * the HAL's internal functions. The core never includes this header.
 */
#ifndef VESPER_HAL_RPI3_H
#define VESPER_HAL_RPI3_H

#include <stdbool.h>
#include <stdint.h>

#include "hal.h"

/* ---- The board's physical addresses, which the MMU maps to themselves --- */

#define RPI3_PERIPHERAL_BASE 0x3F000000u /* BCM2837 peripherals, 16 MiB */
#define RPI3_PERIPHERAL_END 0x40000000u
#define RPI3_LOCAL_BASE 0x40000000u    /* BCM2836 per-core controller */
#define RPI3_LOCAL_END 0x40040000u

/* Memory-mapped register access. volatile keeps every access, in order,
 * exactly once; the MMU maps the registers as Device-nGnRE (before it is
 * on, every access is Device-nGnRnE). */
static inline uint32_t mmio_read32(uintptr_t address)
{
    return *(volatile const uint32_t *)address;
}

static inline void mmio_write32(uintptr_t address, uint32_t value)
{
    *(volatile uint32_t *)address = value;
}

/* The BCM2835 peripherals manual asks for a barrier between accesses to
 * two different peripherals: their reads may otherwise return out of
 * order. Put one before the first access to a peripheral and after the
 * last. */
static inline void peripheral_barrier(void)
{
    __asm__ volatile("dsb sy" : : : "memory");
}

/* ---- System registers -------------------------------------------------- */

/* One reader per register, read_<name>(): the register name must be a
 * literal in the instruction, so a macro writes each. */
#define RPI3_SYSTEM_REGISTER_READER(name)                         \
    static inline uint64_t read_##name(void)                      \
    {                                                             \
        uint64_t value;                                           \
        __asm__ volatile("mrs %0, " #name : "=r"(value));         \
        return value;                                             \
    }

RPI3_SYSTEM_REGISTER_READER(currentel)  /* the exception level in bits [3:2] */
RPI3_SYSTEM_REGISTER_READER(esr_el1)    /* why the last exception to EL1 was taken */
RPI3_SYSTEM_REGISTER_READER(elr_el1)    /* where it was taken */
RPI3_SYSTEM_REGISTER_READER(far_el1)    /* the faulting address of an abort */
RPI3_SYSTEM_REGISTER_READER(cntfrq_el0) /* the counter's frequency in Hz */

/* CNTPCT_EL0: the generic timer's physical count. The isb keeps the read
 * from being done early, ahead of the instructions before it. */
static inline uint64_t read_cntpct_el0(void)
{
    uint64_t value;
    __asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(value) : : "memory");
    return value;
}

/* ---- Linker script symbols (kernel8.ld) -------------------------------- */

extern char __image_start[];        /* the load address, 0x80000 */
extern char __image_end[];          /* past bss and the kernel stack, page aligned */
extern char __kernel_stack_bottom[];
extern char __kernel_stack_top[];
/* The pieces the MMU maps differently, each page aligned (kernel8.ld). */
extern char __kernel_text_end[];    /* kernel text ends, kernel rodata starts */
extern char __kernel_data_start[];  /* kernel rodata ends, kernel data starts */
extern char __user_start[];         /* the user part: shared text first */
extern char __shared_text_end[];    /* user text starts */
extern char __user_text_end[];      /* user rodata starts */
extern char __user_data_start[];    /* user data and bss */
extern char __user_end[];           /* the user part ends, kernel bss starts */
extern char __kernel_stack_guard[]; /* the unmapped page below the stack */

/* ---- The kernel stack (stack.c) ----------------------------------------- */

/* boot.S fills the kernel stack with this pattern (the same value as its
 * KERNEL_STACK_FILL). Once the MMU is on, an overflow faults on the
 * unmapped page below the stack; before that nothing can, so the lowest
 * RPI3_STACK_GUARD_BYTES are a guard as well: the HAL checks them on every
 * interrupt and fault from a domain and at halt, and panics if they
 * changed (stack.c says why not on every return). */
#define RPI3_KERNEL_STACK_FILL 0x5354414b5354414bull
#define RPI3_STACK_GUARD_BYTES 256u

/* Whether the guard at the bottom of the kernel stack still holds the
 * fill pattern. */
bool rpi3_kernel_stack_intact(void);

/* Panics if the guard no longer holds the fill pattern. */
void rpi3_kernel_stack_check(void);

/* The most bytes of the kernel stack used since boot: those below the top
 * that no longer hold the fill pattern. */
unsigned long rpi3_kernel_stack_used(void);

/* ---- Internal functions ------------------------------------------------- */

/* main.c: the C entry, called by boot.S at EL1 on the kernel stack with
 * the exception level the image was entered at (1, 2 or 3). */
_Noreturn void rpi3_main(unsigned long entry_level);

/* traps.c, called by vectors.S on a fresh kernel stack. A synchronous
 * exception from EL0 whose registers are saved in rpi3_resumed_context,
 * with ESR_EL1; it resumes a context or halts. */
_Noreturn void rpi3_trap_from_el0(uint64_t esr);
/* Any other exception: vector is the entry number in the table (0-15).
 * Reports it and halts. */
_Noreturn void rpi3_trap_unexpected(unsigned vector);

/* irq.c: route the timer's interrupt to core 0's IRQ and mask every other
 * source that could reach core 0. Once, at boot. */
void rpi3_irq_init(void);
/* Called by vectors.S on a fresh kernel stack for an IRQ from EL0, whose
 * registers are saved in rpi3_resumed_context: makes the interrupt entry
 * of each raised peripheral line the core unmasked, ends the time slice
 * when the timer's deadline passed, masks any other source; resumes a
 * context, idles or halts (rpi3_continue()). */
_Noreturn void rpi3_trap_irq_from_el0(void);

/* Resume next, or, when it is NULL, halt with the kernel's exit status if
 * it shut down, or wait for interrupts while it idles (irq.c). */
_Noreturn void rpi3_continue(struct hal_context *next);
/* IRQs not served since the last other kernel entry (rpi3_trap_from_el0()
 * clears it): bounds how long a source that cannot be masked may loop. */
extern unsigned rpi3_unserved_irqs_in_a_row;
/* At halt: how many IRQs were not the timer's, and from which sources. */
void rpi3_irq_report(void);

/* mmu.c: build the kernel's translation tables for RAM up to ram_end and
 * the devices, then turn the MMU and the caches on. Once, at boot. */
void rpi3_mmu_init(uintptr_t ram_end);

/* Before resuming user code: put the tree of the active PDom back in
 * TTBR0_EL1 if the kernel moved to its own (vectors.S). */
void rpi3_mmu_user_tree(void);

/* TTBR0_EL1's value for the kernel's tree, ASID 0. */
extern uint64_t rpi3_kernel_ttbr0;

/* How many times an access of the kernel that a domain's tree refused was
 * retried under the kernel's tree (vectors.S); reported at halt. */
extern uint64_t rpi3_kernel_tree_retries;

/* mmu_on.S, for boot only, with the MMU and caches off. */
void rpi3_dcache_invalidate_range(uintptr_t start, uintptr_t end);
void rpi3_mmu_enable(uint64_t mair, uint64_t tcr, uint64_t ttbr0, uint64_t sctlr);

/* console.c (the PL011) or console_miniuart.c (the mini UART), as the
 * rpi3_console build option chooses: set up the kernel's console UART on
 * GPIO14/15, and send one byte on it, waiting while it has no room.
 * hal_console_write() (console_write.c) prints through the second. */
void rpi3_console_init(void);
void rpi3_console_put_byte(char byte);

/* gpio.c: give a pin one of its functions (GPFSEL: 0 input, 1 output, 4-7
 * ALT0-ALT3, 3 ALT4, 2 ALT5), and turn the pull-up/down resistors off on
 * the pins of mask (GPIO0-31). */
#define RPI3_GPIO_FUNCTION_ALT0 4u
#define RPI3_GPIO_FUNCTION_ALT5 2u
void rpi3_gpio_set_function(unsigned pin, uint32_t function);
void rpi3_gpio_pulls_off(uint32_t mask);

/* timer.c: remember the counter at boot, so that the clock starts at 0,
 * and its frequency. Returns false when CNTFRQ_EL0 reads 0 (a loader that
 * did not program it): the clock then assumes RPI3_CRYSTAL_HZ. */
#define RPI3_CRYSTAL_HZ 19200000u
bool rpi3_clock_init(void);

/* The counter frequency the clock uses, in Hz: never 0. */
uint64_t rpi3_clock_frequency(void);

/* Whether the deadline timer is armed, unmasked and its deadline reached:
 * the condition that drives its interrupt. */
bool rpi3_timer_deadline_passed(void);

/* Turn the deadline timer off, which drops its interrupt, until
 * hal_timer_set_deadline() arms it again. */
void rpi3_timer_disarm(void);

/* context.c: the context the HAL last resumed, which the lower-EL
 * synchronous vector saves into. NULL until the first resume. */
extern struct hal_context *rpi3_resumed_context;

/* Resume ctx at EL0 with the kernel stack reset to its top. */
_Noreturn void rpi3_resume(struct hal_context *ctx);

/* vectors.S: load every register from ctx and `eret`. Called only by
 * rpi3_resume(). */
_Noreturn void rpi3_context_restore(struct hal_context *ctx);

/* halt.c: whether hal_halt() has started, so that a trap it causes (the
 * semihosting instruction on a board without a debugger) stops quietly. */
bool rpi3_halt_in_progress(void);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Interrupts: the timer's IRQ, which ends a domain's time slice, and the
 * BCM2835 controller's 64 peripheral lines, which user drivers claim.
 *
 * Routing. The Cortex-A53's generic timers do not reach the BCM2835
 * interrupt controller: their outputs go to the BCM2836 per-core
 * controller at 0x40000000 (the "ARM local peripherals"; QEMU models it as
 * bcm2836_control). Its core 0 timers interrupt control register (0x40)
 * has one IRQ enable bit per timer (0 CNTPS, 1 CNTPNS, 2 CNTHP, 3 CNTV)
 * and one FIQ enable bit each above them (4-7), the FIQ winning when both
 * are set. The kernel writes it whole, 0x2: the non-secure physical timer
 * (nCNTPNSIRQ, the EL1 timer hal_timer_set_deadline() programs) to IRQ, the
 * rest to nothing. Core 0's IRQ source register (0x60) then says which
 * inputs are asserted: bits 0-3 the timers, 4-7 the mailboxes, 8 the
 * BCM2835 controller (the "GPU" interrupt), 9 the PMU, 10 AXI, 11 the
 * controller's own local timer.
 *
 * Everything else that could reach core 0 is masked at boot, whatever a
 * loader left: its mailbox interrupts, the BCM2835 controller's 64 lines
 * and basic sources, the PMU's and AXI's routes and the local timer. The
 * core unmasks a peripheral line (hal_irq_unmask) while a driver's handler
 * is bound to it and not pending; the controller's "GPU" output (source bit
 * 8) stays routed to core 0's IRQ, its default.
 *
 * When. The kernel runs at EL1 with DAIF masked throughout, and domains run
 * at EL0 with I clear (SPSR_EL0_MASKS): an IRQ is taken only from EL0, at
 * the vector at VBAR_EL1 + 0x480, which saves the domain's registers into
 * its context as a syscall does and calls rpi3_trap_irq_from_el0(). A
 * deadline that passes while the kernel runs raises a level that waits
 * until the next return to EL0, where it is taken at once, before the
 * domain's next instruction.
 *
 * What. The controller's bit with lines pending that the core unmasked:
 * an interrupt entry for each, lowest first (the core masks each). The
 * timer's bit, with the timer's own condition still holding (enabled,
 * unmasked, ISTATUS), is the end of the slice: the timer is disarmed so
 * that its level drops (the core arms it again for the next slice), and
 * the core's timer entry names the context to resume. The condition is
 * checked too because the source register follows a level that may lag:
 * right after the kernel moved the deadline ahead, a board may still show
 * the old one for a moment.
 *
 * Anything else is unserved: it is masked at its source, counted, and the
 * interrupted domain resumes unchanged; the count and the sources are
 * reported at halt. The timer's own bit without its condition (the lag
 * above) needs no masking. A source that goes on firing through its mask
 * would never let the domain run again: after RPI3_UNSERVED_IRQ_LIMIT
 * unserved IRQs with no other kernel entry between them the kernel panics,
 * naming the sources.
 */
#include <stdbool.h>
#include <stdint.h>

#include "hal.h"
#include "kernel.h"
#include "rpi3.h"

/* The BCM2836 per-core controller's registers, core 0's where per core. */
#define LOCAL_PMU_ROUTE_CLEAR (RPI3_LOCAL_BASE + 0x14)  /* write 1s to clear */
#define LOCAL_AXI_IRQ (RPI3_LOCAL_BASE + 0x2C)          /* bit 20: enable */
#define LOCAL_TIMER_CONTROL (RPI3_LOCAL_BASE + 0x34)    /* bit 29: interrupt enable */
#define LOCAL_TIMER_CLEAR (RPI3_LOCAL_BASE + 0x38)      /* bit 31: clear the flag */
#define CORE0_TIMERS_CONTROL (RPI3_LOCAL_BASE + 0x40)
#define CORE0_MAILBOXES_CONTROL (RPI3_LOCAL_BASE + 0x50)
#define CORE0_IRQ_SOURCE (RPI3_LOCAL_BASE + 0x60)

/* Bits of the timers interrupt control register. */
#define TIMERS_CNTPNS_IRQ (1u << 1)

/* Bits of the IRQ source register. */
#define SOURCE_CNTPNS (1u << 1)
#define SOURCE_TIMERS 0x00fu     /* CNTPS, CNTPNS, CNTHP, CNTV */
#define SOURCE_MAILBOXES 0x0f0u
#define SOURCE_BCM2835 (1u << 8)
#define SOURCE_PMU (1u << 9)
#define SOURCE_AXI (1u << 10)
#define SOURCE_LOCAL_TIMER (1u << 11)

#define LOCAL_TIMER_FLAG (1u << 31)
#define PMU_ROUTES_ALL 0xffu     /* IRQ and FIQ to each of the four cores */

/* The BCM2835 interrupt controller: pending lines 0-31 and 32-63, and the
 * enable and disable registers (writing a 1 enables or masks a line). */
#define BCM2835_PENDING_1 (RPI3_PERIPHERAL_BASE + 0xB204)
#define BCM2835_PENDING_2 (RPI3_PERIPHERAL_BASE + 0xB208)
#define BCM2835_ENABLE_1 (RPI3_PERIPHERAL_BASE + 0xB210)
#define BCM2835_ENABLE_2 (RPI3_PERIPHERAL_BASE + 0xB214)
#define BCM2835_DISABLE_1 (RPI3_PERIPHERAL_BASE + 0xB21C)
#define BCM2835_DISABLE_2 (RPI3_PERIPHERAL_BASE + 0xB220)
#define BCM2835_DISABLE_BASIC (RPI3_PERIPHERAL_BASE + 0xB224)

#define RPI3_UNSERVED_IRQ_LIMIT 1000u

#define BCM2835_LINES 64u

/* The lines the core has unmasked: the only ones the controller may raise. */
static uint64_t lines_enabled;

static unsigned long unserved_count;
static uint32_t unserved_sources;
unsigned rpi3_unserved_irqs_in_a_row;

/* Mask every source in sources (IRQ source register bits) where it starts.
 * The timers' bits mask all but CNTPNS, which is the kernel's. */
static void mask_sources(uint32_t sources)
{
    if (sources & SOURCE_TIMERS & ~SOURCE_CNTPNS)
        mmio_write32(CORE0_TIMERS_CONTROL, TIMERS_CNTPNS_IRQ);
    if (sources & SOURCE_MAILBOXES)
        mmio_write32(CORE0_MAILBOXES_CONTROL, 0);
    if (sources & SOURCE_PMU)
        mmio_write32(LOCAL_PMU_ROUTE_CLEAR, PMU_ROUTES_ALL);
    if (sources & SOURCE_AXI)
        mmio_write32(LOCAL_AXI_IRQ, 0);
    if (sources & SOURCE_LOCAL_TIMER) {
        mmio_write32(LOCAL_TIMER_CONTROL, 0);
        mmio_write32(LOCAL_TIMER_CLEAR, LOCAL_TIMER_FLAG);
    }
    if (sources & SOURCE_BCM2835) {
        /* Every line the core has not unmasked, and the basic sources. */
        peripheral_barrier(); /* another peripheral: see rpi3.h */
        mmio_write32(BCM2835_DISABLE_1, ~(uint32_t)lines_enabled);
        mmio_write32(BCM2835_DISABLE_2, ~(uint32_t)(lines_enabled >> 32));
        mmio_write32(BCM2835_DISABLE_BASIC, UINT32_MAX);
        peripheral_barrier();
    }
    /* Reading the controller back makes the writes before it reach it
     * before the domain resumes (device writes may be acknowledged early). */
    (void)mmio_read32(CORE0_IRQ_SOURCE);
}

unsigned hal_irq_count(void)
{
    return BCM2835_LINES;
}

/* Write a 1 for line into one of a register pair (lines 0-31, 32-63). */
static void write_line_bit(uintptr_t low, uintptr_t high, unsigned line)
{
    peripheral_barrier();
    mmio_write32(line < 32 ? low : high, 1u << (line % 32));
    peripheral_barrier();
}

void hal_irq_mask(unsigned line)
{
    if (line >= BCM2835_LINES)
        return;
    lines_enabled &= ~((uint64_t)1 << line);
    write_line_bit(BCM2835_DISABLE_1, BCM2835_DISABLE_2, line);
}

void hal_irq_unmask(unsigned line)
{
    if (line >= BCM2835_LINES)
        return;
    lines_enabled |= (uint64_t)1 << line;
    write_line_bit(BCM2835_ENABLE_1, BCM2835_ENABLE_2, line);
}

/* The unmasked peripheral lines that are raised now. */
static uint64_t raised_lines(void)
{
    peripheral_barrier();
    uint64_t pending = mmio_read32(BCM2835_PENDING_1);
    pending |= (uint64_t)mmio_read32(BCM2835_PENDING_2) << 32;
    peripheral_barrier();
    return pending & lines_enabled;
}

/* ISR_EL1.I: an IRQ is pending at this core, whatever PSTATE masks (the
 * kernel runs with IRQs masked). Routed there are only the timer that ends
 * slices and the controller's lines the kernel unmasked. */
bool hal_preemption_pending(void)
{
    uint64_t isr;
    __asm__ volatile("mrs %0, isr_el1" : "=r"(isr));
    return (isr & (UINT64_C(1) << 7)) != 0;
}

void rpi3_irq_init(void)
{
    lines_enabled = 0;
    mask_sources(~SOURCE_CNTPNS);
    mmio_write32(CORE0_TIMERS_CONTROL, TIMERS_CNTPNS_IRQ);
    (void)mmio_read32(CORE0_TIMERS_CONTROL);
}

/* Sources that did not end a time slice: count them and mask all of them
 * but the timer's (whose bit without its condition is only lagging). */
static void set_aside(uint32_t sources)
{
    unserved_count++;
    unserved_sources |= sources;
    mask_sources(sources & ~SOURCE_CNTPNS);
}

/* An interrupt entry for each raised line; the context to resume (NULL:
 * the kernel shut down or idles). */
static struct hal_context *serve_lines(struct hal_context *next, uint64_t lines)
{
    for (; lines != 0 && kernel_is_running(); lines &= lines - 1)
        next = kernel_entry_irq((unsigned)__builtin_ctzll(lines));
    return next;
}

/* Take the IRQ that interrupted `interrupted` (NULL: the idle kernel) and
 * return the context to resume, or NULL. */
static struct hal_context *take_irq(struct hal_context *interrupted)
{
    uint32_t sources = mmio_read32(CORE0_IRQ_SOURCE);
    uint64_t lines = sources & SOURCE_BCM2835 ? raised_lines() : 0;
    bool timer = (sources & SOURCE_CNTPNS) != 0 && rpi3_timer_deadline_passed();
    uint32_t others = sources & ~(SOURCE_CNTPNS | (lines != 0 ? SOURCE_BCM2835 : 0));
    if (lines == 0 && !timer) {
        if (++rpi3_unserved_irqs_in_a_row >= RPI3_UNSERVED_IRQ_LIMIT) {
            kprintf("vesper: IRQ sources 0x%x keep firing through their masks\n",
                    (unsigned)sources);
            kernel_panic("an interrupt the kernel cannot mask");
        }
        set_aside(sources);
        return interrupted; /* the domain goes on unchanged */
    }
    rpi3_unserved_irqs_in_a_row = 0;
    if (others != 0)
        set_aside(others);
    struct hal_context *next = serve_lines(interrupted, lines);
    if (timer && kernel_is_running()) {
        rpi3_timer_disarm(); /* its level drops; the core sets the next deadline */
        next = kernel_entry_timer();
    }
    return next;
}

_Noreturn void rpi3_continue(struct hal_context *next)
{
    while (next == NULL) {
        if (!kernel_is_idle())
            hal_halt(kernel_exit_status());
        /* No domain can run: wait for an interrupt. DAIF stays masked at
         * EL1; a pending IRQ still ends the wait. */
        __asm__ volatile("wfi" ::: "memory");
        next = take_irq(NULL);
    }
    rpi3_resume(next);
}

_Noreturn void rpi3_trap_irq_from_el0(void)
{
    rpi3_kernel_stack_check(); /* on every tick: stack.c */
    rpi3_continue(take_irq(rpi3_resumed_context));
}

void rpi3_irq_report(void)
{
    if (unserved_count != 0)
        kprintf("vesper: %lu IRQs did not end a time slice (sources 0x%x; all but the "
                "timer's masked)\n",
                unserved_count, (unsigned)unserved_sources);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * What the kernel does with an exception (called from vectors.S).
 *
 * A synchronous exception from EL0 is the domain's doing. When its class
 * (ESR_EL1.EC) is SVC64 it is a syscall: the core handles it. Any other
 * class is a fault of the domain: an instruction or data abort from EL0
 * (classes 0x20 and 0x24) is a page fault, anything else (an undefined
 * instruction, a misaligned pc or sp, a trapped system register...) a user
 * exception. The core delivers it to the domain's fault endpoint, or stops
 * the domain when it has none. Either way the core names the next context
 * to resume, or NULL: then the kernel idles until an interrupt (irq.c), or
 * it has shut down and the machine halts with the kernel's exit status.
 *
 * An IRQ from EL0 goes to irq.c. Nothing else is expected: not any
 * exception taken at EL1 (a kernel bug; the kernel runs with DAIF masked,
 * so no IRQ either), and no FIQ or SError, which stay masked at EL0 too
 * since nothing handles them. Such an exception is reported on the console
 * with ESR, ELR and FAR, and the machine halts with
 * RPI3_UNEXPECTED_EXCEPTION_STATUS.
 */
#include <stdbool.h>
#include <stdint.h>

#include <vesper/syscall.h>

#include "hal.h"
#include "kernel.h"
#include "rpi3.h"

#define ESR_EC_SHIFT 26
#define ESR_EC_MASK 0x3Fu
#define ESR_EC_SVC64 0x15u                 /* SVC from AArch64 */
#define ESR_EC_INSTRUCTION_ABORT_EL0 0x20u /* instruction abort from a lower EL */
#define ESR_EC_PC_ALIGNMENT 0x22u          /* misaligned pc */
#define ESR_EC_DATA_ABORT_EL0 0x24u        /* data abort from a lower EL */
/* ISS.FnV of an abort: FAR_EL1 does not hold the faulting address. */
#define ESR_ABORT_FAR_NOT_VALID (1u << 10)

#define RPI3_UNEXPECTED_EXCEPTION_STATUS 3

static const char *const vector_source[4] = {
    "EL1 using SP_EL0", "EL1 using SP_EL1", "EL0 in AArch64", "EL0 in AArch32",
};

static const char *const vector_kind[4] = {
    "synchronous exception", "IRQ", "FIQ", "SError",
};

static unsigned esr_class(uint64_t esr)
{
    return (unsigned)(esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
}

/* Print what was taken, from where, and the registers that say why. */
static void report_exception(unsigned vector, uint64_t esr, uint64_t elr,
                             uint64_t far)
{
    kprintf("vesper: unexpected %s from %s\n"
            "vesper: ESR 0x%lx (class 0x%x), ELR 0x%lx, FAR 0x%lx\n",
            vector_kind[vector % 4], vector_source[(vector / 4) % 4],
            (unsigned long)esr, esr_class(esr), (unsigned long)elr,
            (unsigned long)far);
}

/* Set while an unexpected exception is being reported: a second one taken
 * meanwhile (the report itself faulting) halts without reporting again,
 * instead of recursing. */
static volatile bool reporting;

_Noreturn void rpi3_trap_unexpected(unsigned vector)
{
    if (rpi3_halt_in_progress() || reporting) {
        /* The semihosting call of hal_halt() on a board without a
         * debugger traps as an undefined instruction: just stop. */
        hal_halt(RPI3_UNEXPECTED_EXCEPTION_STATUS);
    }
    reporting = true;
    report_exception(vector, read_esr_el1(), read_elr_el1(), read_far_el1());
    kprintf("vesper: halting, status %d\n", RPI3_UNEXPECTED_EXCEPTION_STATUS);
    hal_halt(RPI3_UNEXPECTED_EXCEPTION_STATUS);
}

/* Whether FAR_EL1 holds the faulting address of this exception: for a
 * misaligned pc, and for an abort unless its ISS says FnV. For every other
 * class FAR is UNKNOWN. */
static bool far_is_valid(uint64_t esr)
{
    unsigned class = esr_class(esr);
    if (class == ESR_EC_PC_ALIGNMENT)
        return true;
    bool abort = class == ESR_EC_INSTRUCTION_ABORT_EL0 || class == ESR_EC_DATA_ABORT_EL0;
    return abort && (esr & ESR_ABORT_FAR_NOT_VALID) == 0;
}

/* What an abort tried: an instruction abort is a fetch; a data abort's
 * ISS.WnR (bit 6) says write or read. */
static unsigned abort_access(uint64_t esr)
{
    if (esr_class(esr) == ESR_EC_INSTRUCTION_ABORT_EL0)
        return VESPER_FAULT_ACCESS_EXECUTE;
    return (esr & (1u << 6)) ? VESPER_FAULT_ACCESS_WRITE : VESPER_FAULT_ACCESS_READ;
}

/* A synchronous exception from EL0 that is not a syscall: the fault kind
 * the core delivers, and the faulting address where FAR_EL1 holds one (0
 * where it does not). */
static struct hal_context *enter_fault(uint64_t esr)
{
    unsigned class = esr_class(esr);
    bool abort = class == ESR_EC_INSTRUCTION_ABORT_EL0 || class == ESR_EC_DATA_ABORT_EL0;
    uint32_t kind = abort ? VESPER_FAULT_PAGE : VESPER_FAULT_USER_EXCEPTION;
    uint64_t far = far_is_valid(esr) ? read_far_el1() : 0;
    return kernel_entry_exception(kind, esr, far, abort ? abort_access(esr) : 0);
}

_Noreturn void rpi3_trap_from_el0(uint64_t esr)
{
    struct hal_context *next;
    rpi3_unserved_irqs_in_a_row = 0; /* the domain ran: no IRQ is stuck */
    if (esr_class(esr) == ESR_EC_SVC64) {
        next = kernel_entry_syscall();
    } else {
        rpi3_kernel_stack_check(); /* not on syscalls: stack.c */
        next = enter_fault(esr);
    }
    rpi3_continue(next);
}

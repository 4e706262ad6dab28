/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * What the kernel does with an exception (called from vectors.S).
 *
 * A synchronous exception from EL0 whose class (ESR_EL1.EC) is SVC64 is a
 * syscall: the core handles it and names the next context, or NULL once it
 * has shut down. Nothing else is expected yet: not other EL0 exceptions
 * (undefined instructions, aborts; later they become faults delivered to
 * the domain's fault endpoint), not any exception taken at EL1, and no
 * IRQ, FIQ or SError, since no interrupt is enabled. Such an exception is
 * reported on the console with ESR, ELR and FAR, and the machine halts
 * with RPI3_UNEXPECTED_EXCEPTION_STATUS.
 */
#include <stdint.h>

#include "console.h"
#include "hal.h"
#include "kernel.h"
#include "rpi3.h"

#define ESR_EC_SHIFT 26
#define ESR_EC_MASK 0x3Fu
#define ESR_EC_SVC64 0x15u /* SVC from AArch64 */

#define RPI3_UNEXPECTED_EXCEPTION_STATUS 3

/* The vector entry numbers, as vectors.S passes them. */
#define VECTOR_EL0_AARCH64_SYNC 8

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

_Noreturn void rpi3_trap_unexpected(unsigned vector)
{
    if (rpi3_halt_in_progress()) {
        /* The semihosting call of hal_halt() on a board without a
         * debugger traps as an undefined instruction: just stop. */
        hal_halt(RPI3_UNEXPECTED_EXCEPTION_STATUS);
    }
    report_exception(vector, read_esr_el1(), read_elr_el1(), read_far_el1());
    kprintf("vesper: halting, status %d\n", RPI3_UNEXPECTED_EXCEPTION_STATUS);
    hal_halt(RPI3_UNEXPECTED_EXCEPTION_STATUS);
}

_Noreturn void rpi3_trap_from_el0(uint64_t esr)
{
    if (esr_class(esr) != ESR_EC_SVC64)
        rpi3_trap_unexpected(VECTOR_EL0_AARCH64_SYNC);
    struct hal_context *next = kernel_entry_syscall();
    if (next == NULL)
        hal_halt(kernel_exit_status());
    rpi3_resume(next);
}

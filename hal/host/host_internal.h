/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Shared between the files of the host HAL only. */
#ifndef VESPER_HAL_HOST_INTERNAL_H
#define VESPER_HAL_HOST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "hal_context.h"

int host_memory_reset(size_t size, uintptr_t root_entry);
void host_console_reset(void);
void host_clock_reset(void);
/* Advance virtual time by one kernel entry. */
void host_clock_charge_entry(void);

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

#endif

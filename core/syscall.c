/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The syscall entry: one dispatch switch over the syscall number, with an
 * explicit path for numbers that name no syscall. Each handler validates
 * every argument before it changes anything and answers bad input with an
 * error code; nothing a domain passes can crash the kernel.
 */
#include <vesper/error.h>
#include <vesper/syscall.h>

#include "console.h"
#include "invoke.h"
#include "kernel.h"
#include "state.h"

/* Write a byte string from the caller's memory to the console.
 * The range must lie in RAM; which domain may read it is checked once
 * protection domains exist (docs/syscalls.md). */
static struct syscall_result sys_debug_print(const struct vesper_syscall_frame *frame)
{
    vesper_word address = frame->arg[0];
    vesper_word length = frame->arg[1];
    if (length > VESPER_DEBUG_PRINT_MAX)
        return result_range(0, VESPER_DEBUG_PRINT_MAX);
    if (address > UINTPTR_MAX)
        return result_error(VESPER_ERR_INVALID_ADDRESS);
    const char *text = hal_kernel_view((uintptr_t)address, (size_t)length);
    if (text == NULL)
        return result_error(VESPER_ERR_INVALID_ADDRESS);
    hal_console_write(text, (size_t)length);
    struct syscall_result r = result_ok();
    r.value[1] = length;
    return r;
}

/* Stop the caller with a status in 0..255; the root's exit shuts the
 * kernel down. The range matches what every platform can report. */
static struct syscall_result sys_exit(struct domain *caller,
                                      const struct vesper_syscall_frame *frame)
{
    vesper_word status = frame->arg[0];
    if (status > 255)
        return result_range(0, 255);
    caller->state = DOMAIN_STOPPED;
    caller->exit_status = (int32_t)status;
    if (caller == kernel.root)
        kernel_shutdown((int)status);
    return result_ok();
}

static struct syscall_result syscall_dispatch(struct domain *caller,
                                              const struct vesper_syscall_frame *frame)
{
    switch (frame->number) {
    case VESPER_SYS_CALL:
        return sys_call(caller, frame);
    case VESPER_SYS_DEBUG_PRINT:
        return sys_debug_print(frame);
    case VESPER_SYS_EXIT:
        return sys_exit(caller, frame);
    default:
        return result_error(VESPER_ERR_UNKNOWN_SYSCALL);
    }
}

/* The domain to run after a syscall. Only the root domain runs yet, so
 * this is the caller while it can run; scheduling replaces it later. When
 * nothing can run (the root destroyed its own Domain), the kernel stops. */
static struct hal_context *choose_next(struct domain *caller)
{
    if (!kernel.running)
        return NULL;
    if (caller->state != DOMAIN_RUNNABLE) {
        kprintf("vesper: no domain can run\n");
        kernel_shutdown(KERNEL_NO_DOMAIN_STATUS);
        return NULL;
    }
    kernel.current = caller;
    return &caller->context;
}

struct hal_context *kernel_entry_syscall(void)
{
    if (!kernel.running || kernel.current == NULL)
        return NULL;
    struct domain *caller = kernel.current;
    struct vesper_syscall_frame frame;
    hal_context_get_syscall(&caller->context, &frame);
    struct syscall_result r = syscall_dispatch(caller, &frame);
    if (caller->state == DOMAIN_RUNNABLE) {
        hal_context_set_result(&caller->context, 0, (uint64_t)r.error);
        for (unsigned i = 1; i < VESPER_SYSCALL_ARGS; i++)
            hal_context_set_result(&caller->context, i, r.value[i]);
    }
    return choose_next(caller);
}

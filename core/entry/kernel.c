/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The kernel's global state, its queries, shutdown and panic. */
#include "console.h"
#include "kernel.h"
#include "sched.h"
#include "state.h"

struct kernel_state kernel;

bool kernel_is_running(void)
{
    return kernel.running;
}

int kernel_exit_status(void)
{
    return kernel.exit_status;
}

struct hal_context *kernel_current_context(void)
{
    if (!kernel.running || kernel.current == NULL)
        return NULL;
    return &kernel.current->context;
}

bool kernel_is_idle(void)
{
    return kernel.running && kernel.current == NULL;
}

void kernel_stop_no_domain(void)
{
    kprintf("vesper: no domain can run\n");
    kernel_shutdown(KERNEL_NO_DOMAIN_STATUS);
}

void kernel_shutdown(int status)
{
    kernel.running = false;
    kernel.exit_status = status;
    sched_stop();
    kprintf("vesper: shutdown, status %d\n", status);
}

_Noreturn void kernel_panic(const char *why)
{
    kprintf("vesper: PANIC: %s\n", why);
    hal_halt(KERNEL_PANIC_STATUS);
}

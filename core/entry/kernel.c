/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The kernel's global state, its queries, shutdown and panic. */
#include "cdt.h"
#include "console.h"
#include "kernel.h"
#include "objects.h"
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

/* One line for a domain: what it was doing when nothing could run. */
static void print_domain(const struct domain *d)
{
    unsigned long at = (unsigned long)hal_user_address(d);
    unsigned long on = d->blocked_on != NULL ? (unsigned long)hal_user_address(d->blocked_on) : 0;
    switch (d->state) {
    case DOMAIN_INACTIVE: kprintf("vesper:   domain 0x%lx: never started\n", at); break;
    case DOMAIN_BLOCKED_SEND:
        kprintf("vesper:   domain 0x%lx: waits to send on endpoint 0x%lx\n", at, on);
        break;
    case DOMAIN_BLOCKED_RECV:
        kprintf("vesper:   domain 0x%lx: waits to receive on endpoint 0x%lx\n", at, on);
        break;
    case DOMAIN_BLOCKED_NTFN:
        kprintf("vesper:   domain 0x%lx: waits on notification 0x%lx\n", at, on);
        break;
    case DOMAIN_BLOCKED_REPLY:
        kprintf("vesper:   domain 0x%lx: waits for the answer to its call (reply object 0x%lx)\n",
                at, d->reply != NULL ? (unsigned long)hal_user_address(d->reply) : 0ul);
        break;
    case DOMAIN_STOPPED:
        kprintf("vesper:   domain 0x%lx: stopped, status %d\n", at, (int)d->exit_status);
        break;
    default: kprintf("vesper:   domain 0x%lx: runnable\n", at); break;
    }
}

/* Every live domain and what it waits for, as xv6's ^P lists processes:
 * why nothing could run. Each domain once, where the derivation list
 * reaches its first capability (copies of one capability lie together). */
static void print_domains(void)
{
    const struct domain *last = NULL;
    for (const struct cte *s = cdt_next(&kernel.cdt_head); s != NULL; s = cdt_next(s)) {
        if (cap_type(s->cap) != CAP_DOMAIN || object_of(s->cap) == last)
            continue;
        last = object_of(s->cap);
        print_domain(last);
    }
}

void kernel_stop_no_domain(void)
{
    kprintf("vesper: no domain can run\n");
    kprintf("vesper: the domains, and what each waits for:\n");
    print_domains();
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

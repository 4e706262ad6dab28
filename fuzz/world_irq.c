/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The fuzzers' interrupts (see world.h and docs/interrupts.md): devices
 * asserting and deasserting lines, in range and past the controller's,
 * and the interrupt entries the host's run loop makes for them; entries
 * for any line at all, as broken hardware might make them; IRQHandler
 * Ack; a domain becoming a driver in one step (IRQControl Get, then
 * SetNotification) and waiting for its interrupt, on the notification or,
 * bound to it, on an Endpoint; and the host telling an idle kernel that
 * no interrupt will ever come.
 *
 * The kernel's answers are checked where that is cheap: after an
 * interrupt on a claimed line the line is masked and pending, and a
 * driver waiting for it is woken and, if the kernel idled, runs; one on
 * an unclaimed line or past the last is only counted; Ack answers
 * ILLEGAL_OPERATION exactly when nothing is pending; and after every step
 * a line is unmasked exactly while it is claimed, bound and not pending.
 */
#include <limits.h>

#include <vesper/error.h>

#include "host.h"
#include "kernel.h"
#include "objects.h"
#include "state.h"
#include "world.h"

#define ROOT WORLD_ROOT
/* The lines a device may drive: the controller's and a few past them. */
#define DEVICE_LINES (HOST_IRQ_LINES + 4)
_Static_assert(DEVICE_LINES <= 32, "one bit a line in world.asserted");

/* ---- Lines and what the kernel must have made of them ------------------ */

/* Whether a line of the controller may raise an interrupt: claimed,
 * bound and not pending. */
static bool armed(unsigned line)
{
    const struct irq_line *l = &kernel.irq[line];
    return l->claimed && !l->pending && !cap_is_null(l->notification.cap);
}

void world_check_lines(void)
{
    for (unsigned line = 0; line < HOST_IRQ_LINES; line++) {
        if (host_irq_masked(line) != armed(line))
            continue;
        fuzz_fail(armed(line) ? "a claimed, bound line with nothing pending is masked"
                              : "a line is unmasked though it is not claimed, bound and idle");
    }
}

/* What an entry for a line in range must have done: mask it; mark it
 * pending if it is claimed, else only count it; wake its driver and, if
 * the kernel idled, run someone. */
static void check_taken(unsigned line, bool idled, const struct domain *driver,
                        uint64_t unclaimed)
{
    const struct irq_line *l = &kernel.irq[line];
    if (!host_irq_masked(line))
        fuzz_fail("an interrupt left its line unmasked");
    if (l->claimed && !l->pending)
        fuzz_fail("an interrupt on a claimed line did not make it pending");
    if (!l->claimed && (l->pending || kernel.irq_unclaimed != unclaimed + 1))
        fuzz_fail("an interrupt on an unclaimed line was not only counted");
    if (driver != NULL && driver->state != DOMAIN_RUNNABLE)
        fuzz_fail("an interrupt did not wake the driver waiting for it");
    if (driver != NULL && idled && kernel_current_context() == NULL)
        fuzz_fail("an interrupt woke a driver but the kernel still idles");
}

/* The interrupt entry for line, any number, and what it must have done. */
static void interrupt(unsigned line)
{
    bool running = kernel_is_running(), idled = kernel_is_idle();
    const struct domain *driver = fuzz_line_driver(line);
    uint64_t spurious = kernel.irq_spurious, unclaimed = kernel.irq_unclaimed;
    fuzz_irq(line);
    fuzz_check_invariants("an interrupt");
    if (!running)
        return; /* a kernel that has shut down takes none */
    if (line < HOST_IRQ_LINES)
        check_taken(line, idled, driver, unclaimed);
    else if (kernel.irq_spurious != spurious + 1)
        fuzz_fail("an interrupt on a line past the last was not counted as spurious");
}

/* The lowest line a device asserts and the kernel has not masked, or -1. */
static int next_line(const struct world *w)
{
    for (unsigned line = 0; line < HOST_IRQ_LINES; line++)
        if ((w->asserted >> line & 1u) && !host_irq_masked(line))
            return (int)line;
    return -1;
}

/* As run.c after each kernel entry. Each entry masks its line, so this
 * ends; a line a device still asserts comes back after its Ack. */
void world_deliver_interrupts(struct world *w)
{
    for (int line; kernel_is_running() && (line = next_line(w)) >= 0;)
        interrupt((unsigned)line);
}

/* A device drives its wire: the controller ignores lines it lacks. */
static void drive(struct world *w, unsigned line, bool level)
{
    host_irq_set(line, level);
    if (level)
        w->asserted |= 1u << line;
    else
        w->asserted &= ~(1u << line);
    const uint64_t arg[VESPER_SYSCALL_ARGS] = {level};
    fuzz_note(FUZZ_EVENT_LINE, line, arg);
}

/* ---- Choosing lines and capabilities ----------------------------------- */

/* A line for a device: mostly one a handler claimed, else any it may
 * drive. */
static unsigned device_line(struct world *w)
{
    uint8_t b = fuzz_byte(&w->in);
    unsigned claimed[HOST_IRQ_LINES], count = 0;
    for (unsigned line = 0; line < HOST_IRQ_LINES; line++)
        if (kernel.irq[line].claimed)
            claimed[count++] = line;
    if (b < 128 && count > 0)
        return claimed[b % count];
    return b % DEVICE_LINES;
}

/* A line for IRQControl Get: mostly the first one nobody claimed from
 * some line on, sometimes any, past the last ones included. */
static vesper_word free_line(struct world *w)
{
    uint8_t b = fuzz_byte(&w->in);
    for (unsigned k = 0; k < HOST_IRQ_LINES && b < 224; k++) {
        unsigned line = (b + k) % HOST_IRQ_LINES;
        if (!kernel.irq[line].claimed)
            return line;
    }
    return b % DEVICE_LINES;
}

/* A root slot holding a Notification capability to the object some line
 * is bound to (from the line b names on); else any Notification's. */
static vesper_word bound_notification(struct world *w, uint8_t b)
{
    for (unsigned k = 0; k < HOST_IRQ_LINES; k++) {
        struct cap binding = kernel.irq[(b + k) % HOST_IRQ_LINES].notification.cap;
        if (cap_is_null(binding))
            continue;
        for (unsigned i = 0; i < w->inv.count[CAP_NOTIFICATION]; i++) {
            vesper_word slot = w->inv.slot[CAP_NOTIFICATION][i];
            if (object_of(world_cap_at(w, slot)) == object_of(binding))
                return slot;
        }
    }
    return world_pick(w, CAP_NOTIFICATION);
}

/* A root slot holding a Domain capability to the current domain; else
 * any Domain's. */
static vesper_word own_domain(struct world *w)
{
    for (unsigned i = 0; i < w->inv.count[CAP_DOMAIN]; i++) {
        vesper_word slot = w->inv.slot[CAP_DOMAIN][i];
        if (object_of(world_cap_at(w, slot)) == kernel.current)
            return slot;
    }
    return world_pick(w, CAP_DOMAIN);
}

/* ---- The operations ----------------------------------------------------- */

/* A device raises a line: it asserts it, the run loop makes the entries,
 * and the device either holds the line (it is level-triggered, so it
 * comes back after the Ack) or lets it go. */
static void op_raise(struct world *w)
{
    unsigned line = device_line(w);
    bool hold = fuzz_byte(&w->in) & 1;
    drive(w, line, true);
    world_deliver_interrupts(w);
    if (!hold)
        drive(w, line, false);
}

/* A device lets a line go: it raises nothing after the next Ack. */
static void op_lower(struct world *w)
{
    drive(w, device_line(w), false);
}

/* An interrupt entry for any line, masked or not (a claimed one that is
 * pending or unbound, mostly), past the last, or any number: what broken
 * hardware or a HAL's mistake could make. */
static void op_spurious(struct world *w)
{
    uint8_t b = fuzz_byte(&w->in);
    unsigned line = b < 192   ? device_line(w)
                    : b < 240 ? UINT_MAX - b % 4
                              : (unsigned)fuzz_u64(&w->in);
    interrupt(line);
}

/* IRQHandler Ack by the current domain: it must answer ILLEGAL_OPERATION
 * exactly when nothing is pending on the line, and leave nothing pending.
 * The line comes back at once if a device still asserts it (world.c
 * delivers it after the step). */
static void op_ack(struct world *w)
{
    if (kernel_current_context() == NULL)
        return; /* idle: no driver to Ack */
    struct domain *caller = kernel.current;
    vesper_word handler = world_pick(w, CAP_IRQ_HANDLER);
    struct cap cap = world_cap_at(w, handler);
    unsigned line = cap_type(cap) == CAP_IRQ_HANDLER ? irq_handler_line(cap) : 0;
    bool pending = line < HOST_IRQ_LINES && kernel.irq[line].pending;
    vesper_word error = world_invoke(w, handler, vesper_irq_handler_ack_msg(), NULL);
    if (!world_invoked(w, caller, handler, CAP_IRQ_HANDLER))
        return;
    if ((error == VESPER_ERR_ILLEGAL_OPERATION) == pending)
        fuzz_fail("Ack's answer does not follow whether an interrupt was pending");
    if (kernel.irq[line].pending)
        fuzz_fail("an Ack left its line pending");
}

/* The current domain becomes a driver in one step: IRQControl Get of a
 * line, mostly one nobody claimed, into an empty slot, then
 * SetNotification on the new handler. Either Call may fail or, made on
 * another capability, block: the second is then made by whoever is
 * current. */
static void op_driver(struct world *w)
{
    if (kernel_current_context() == NULL)
        return;
    vesper_word line = free_line(w);
    vesper_word dest = world_pick(w, CAP_NULL);
    vesper_word control = world_pick(w, CAP_IRQ_CONTROL);
    world_invoke(w, control, vesper_irq_control_get_msg(line, ROOT, dest, 64), NULL);
    if (kernel_current_context() == NULL)
        return;
    vesper_word notification = world_pick(w, CAP_NOTIFICATION);
    world_invoke(w, dest, vesper_irq_handler_set_notification_msg(notification), NULL);
}

/* The current domain waits for an interrupt: a Recv on a notification
 * some line is bound to or, one time in four, it binds that notification
 * to itself and Recvs on an Endpoint, as a driver that also serves
 * clients does. */
static void op_wait(struct world *w)
{
    if (kernel_current_context() == NULL)
        return;
    uint8_t b = fuzz_byte(&w->in);
    vesper_word notification = bound_notification(w, b);
    vesper_word args[VESPER_SYSCALL_ARGS] = {notification};
    if (b >= 192) {
        vesper_word self = own_domain(w);
        world_invoke(w, self, vesper_domain_bind_notification_msg(notification), NULL);
        if (kernel_current_context() == NULL)
            return;
        args[0] = world_pick(w, CAP_ENDPOINT);
        args[6] = world_pick(w, CAP_REPLY);
    }
    world_syscall(VESPER_SYS_RECV, args);
}

/* The host finds that no event will come (kernel_entry_no_wakeup()): an
 * idle kernel stops as when no domain can run; any other is left as it
 * was. */
static void op_no_wakeup(struct world *w)
{
    (void)w;
    bool idled = kernel_is_idle(), running = kernel_is_running();
    struct hal_context *before = kernel_current_context();
    struct hal_context *after = fuzz_no_wakeup();
    fuzz_check_invariants("the end of waiting");
    if (idled && (kernel_is_running() || after != NULL ||
                  kernel_exit_status() != KERNEL_NO_DOMAIN_STATUS))
        fuzz_fail("an idle kernel that no interrupt can wake did not stop with no domain");
    if (!idled && (kernel_is_running() != running || after != before))
        fuzz_fail("the no-wakeup entry changed a kernel that did not idle");
}

/* Devices raise lines twice as often as they let them go; a driver Acks
 * twice as often as it sets up. */
static world_op *const irq_ops[] = {
    op_raise, op_raise, op_lower, op_spurious, op_ack, op_ack, op_driver, op_wait, op_no_wakeup,
};

void world_irq_op(struct world *w, uint8_t op)
{
    irq_ops[op % (sizeof irq_ops / sizeof irq_ops[0])](w);
}

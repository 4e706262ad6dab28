/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The fuzzers' world (see world.h): set-up, the helpers every operation
 * uses, and the loop that decodes an input. */
#include <string.h>

#include <vesper/error.h>
#include <vesper/message.h>
#include <vesper/object.h>

#include <libos/bootinfo.h>

#include "activation.h"
#include "cspace.h"
#include "host.h"
#include "kernel.h"
#include "preempt.h"
#include "sched.h"
#include "state.h"
#include "world.h"

#define DOMAINS 3
#define MAX_OPS 64

static void take_inventory(struct world *w)
{
    struct cte *slots = w->slots;
    memset(w->inv.count, 0, sizeof w->inv.count);
    w->inv.empties = 0;
    for (unsigned i = 0; i < WORLD_SLOTS; i++) {
        enum cap_type type = cap_type(slots[i].cap);
        if (type == CAP_NULL)
            w->inv.empty[w->inv.empties++] = (uint16_t)i;
        else if (type < CAP_TYPE_COUNT)
            w->inv.slot[type][w->inv.count[type]++] = (uint16_t)i;
    }
}

vesper_word world_pick(struct world *w, enum cap_type type)
{
    uint8_t b = fuzz_byte(&w->in);
    unsigned n = type == CAP_NULL ? w->inv.empties : w->inv.count[type];
    if (b < 200 && n > 0) {
        unsigned i = fuzz_byte(&w->in) % n;
        return type == CAP_NULL ? w->inv.empty[i] : w->inv.slot[type][i];
    }
    if (b < 250)
        return fuzz_u16(&w->in) % WORLD_SLOTS;
    return fuzz_u64(&w->in);
}

vesper_word world_any_cap(struct world *w)
{
    static const enum cap_type types[] = {
        CAP_UNTYPED, CAP_CNODE,   CAP_DOMAIN, CAP_ENDPOINT,    CAP_NOTIFICATION,
        CAP_REPLY,   CAP_FRAME_4K, CAP_PDOM,  CAP_IRQ_HANDLER, CAP_IRQ_CONTROL};
    return world_pick(w, types[fuzz_byte(&w->in) % (sizeof types / sizeof types[0])]);
}

vesper_word world_depth(struct world *w)
{
    static const uint8_t odd_depths[] = {0, 1, 2, 3, 4, 8, 10, 12, 16, 32, 54, 60, 63, 65, 66, 255};
    uint8_t b = fuzz_byte(&w->in);
    return b < 224 ? 64 : odd_depths[b % 16];
}

struct cap world_cap_at(const struct world *w, vesper_word cptr)
{
    return cptr < WORLD_SLOTS ? w->slots[cptr].cap : cap_null();
}

vesper_word world_address(struct world *w)
{
    uint8_t b = fuzz_byte(&w->in);
    if (b < 240)
        return HOST_USER_BASE + (fuzz_u16(&w->in) * (vesper_word)16) % FUZZ_MEMORY;
    return fuzz_u64(&w->in);
}

void world_syscall(vesper_word number, vesper_word args[VESPER_SYSCALL_ARGS])
{
    struct vesper_syscall_frame frame = {.number = number};
    for (unsigned i = 0; i < VESPER_SYSCALL_ARGS; i++)
        frame.arg[i] = args[i];
    fuzz_syscall(&frame);
    for (unsigned i = 0; i < VESPER_SYSCALL_ARGS; i++)
        args[i] = frame.arg[i];
}

vesper_word world_invoke(struct world *w, vesper_word cptr, struct vesper_invocation_msg msg,
                         vesper_word results[VESPER_SYSCALL_ARGS])
{
    vesper_word label = msg.label;
    unsigned count = msg.length;
    const vesper_word *words = msg.word;
    uint8_t shape = fuzz_byte(&w->in);
    if (shape >= 232 && shape < 248)
        count = count == 0 ? 0 : shape % count; /* cut short */
    else if (shape >= 248)
        label = shape - 248 + (label == 1 ? 13 : 1); /* another operation's label */
    struct vesper_ipc_buffer *buffer = domain_ipc_buffer(kernel.current);
    vesper_word args[VESPER_SYSCALL_ARGS] = {cptr, vesper_tag(label, count, 0)};
    for (unsigned i = 0; i < count; i++) {
        if (i < VESPER_MSG_REGISTERS)
            args[2 + i] = words[i];
        else if (buffer != NULL)
            buffer->msg[i] = words[i];
    }
    w->as_built = label == msg.label && count == msg.length;
    world_syscall(VESPER_SYS_CALL, args);
    if (results != NULL)
        memcpy(results, args, sizeof args);
    return args[0];
}

bool world_invoked(const struct world *w, const struct domain *caller, vesper_word cptr,
                   enum cap_type type)
{
    if (!w->as_built || cap_type(world_cap_at(w, cptr)) != type)
        return false;
    struct lookup found = cspace_lookup_invocation(caller->slots[DOMAIN_SLOT_CSPACE].cap, cptr);
    return found.error == VESPER_OK && found.slot == &w->slots[cptr];
}

/* How many upcalls d's control block counts, if the kernel may use it. */
static uint64_t upcalls_of(const struct domain *d)
{
    const struct vesper_control *block = activation_block(d);
    return block != NULL ? block->upcalls : 0;
}

/* Let another runnable domain act, as a scheduler might: one from the run
 * queue, which holds every runnable domain but the current one (and the
 * idle domain scheduler). The kernel makes the upcall a domain has
 * pending whenever it gives it the CPU (activation_before_run()), so the
 * harness does too: a domain never acts with an upcall still pending. */
static void become(struct world *w)
{
    unsigned k = fuzz_byte(&w->in) % 4;
    struct domain *d = kernel.run_queue.head;
    for (; d != NULL && k > 0; k--)
        d = d->queue_next;
    if (d == NULL)
        return;
    queue_remove(&kernel.run_queue, d);
    queue_append(&kernel.run_queue, kernel.current);
    kernel.current = d;
    unsigned pending = d->upcall_pending;
    uint64_t upcalls = upcalls_of(d);
    activation_before_run(d);
    fuzz_note(FUZZ_EVENT_SWITCH, upcalls_of(d) != upcalls ? pending : 0, NULL);
}

/* A deadline that has passed in virtual time ends the slice or budget, as
 * the host HAL's run loop ends it after the entry in which it passed.
 * Time passes by HOST_ENTRY_COST_NS a syscall, so a short Dispatch budget
 * runs out within an input; op_timer ends one at any moment. */
static void deadline(void)
{
    uint64_t due = host_timer_deadline();
    if (kernel_current_context() == NULL || due == HAL_DEADLINE_NONE || hal_clock_now_ns() < due)
        return;
    fuzz_timer();
    fuzz_check_invariants("the end of a slice or budget");
}

/* ---- Set-up ---------------------------------------------------------- */

static void setup_call(struct world *w, vesper_word cptr, struct vesper_invocation_msg msg)
{
    struct fuzz_input none = {NULL, 0}, saved = w->in;
    w->in = none; /* set-up takes no input bytes */
    vesper_word error = world_invoke(w, cptr, msg, NULL);
    w->in = saved;
    if (error != VESPER_OK)
        fuzz_fail("setting up the fuzz world failed");
}

/* Root makes: 3 Endpoints, 2 Notifications (the first badged), 3 Replies, then per domain a
 * Domain, a 4 KiB stack frame and an IPC buffer frame, which it grants to
 * its own PDom (the world's RAM lies under the tables boot gave it), and
 * configures and starts each. Objects go to consecutive empty slots. The first two
 * domains take the first Endpoint as their fault endpoint. */
static void setup(struct world *w)
{
    w->info = hal_kernel_view(kernel.root_bootinfo, sizeof *w->info);
    w->slots = cnode_slots(kernel.root->slots[DOMAIN_SLOT_CSPACE].cap);
    vesper_word untyped = w->info->untyped_first + vesper_largest_ram_untyped(w->info);
    vesper_word next = w->info->empty_first;
    w->untyped = untyped;
    static const vesper_word kinds[][2] = {
        {VESPER_OBJECT_ENDPOINT, 3}, {VESPER_OBJECT_NOTIFICATION, 2}, {VESPER_OBJECT_REPLY, 3}};
    for (unsigned k = 0; k < 3; k++) {
        setup_call(w, untyped,
                   vesper_untyped_retype_msg(kinds[k][0], 0, WORLD_ROOT, 0, 0, next, kinds[k][1]));
        next += kinds[k][1];
    }
    /* The first Notification's capability gets badge 1, as an IRQHandler
     * binding needs; the second stays unbadged, which a binding refuses. */
    vesper_word first_notification = w->info->empty_first + kinds[0][1];
    setup_call(w, WORLD_ROOT, vesper_cnode_mint_msg(next, 64, WORLD_ROOT, first_notification, 64,
                                                    VESPER_RIGHTS_ALL, 1));
    setup_call(w, WORLD_ROOT, vesper_cnode_delete_msg(first_notification, 64));
    setup_call(w, WORLD_ROOT, vesper_cnode_move_msg(first_notification, 64, WORLD_ROOT, next, 64));
    for (unsigned d = 1; d <= DOMAINS; d++) {
        vesper_word dom = next++, stack = next++, ipc = next++;
        setup_call(w, untyped,
                   vesper_untyped_retype_msg(VESPER_OBJECT_DOMAIN, 0, WORLD_ROOT, 0, 0, dom, 1));
        setup_call(w, untyped,
                   vesper_untyped_retype_msg(VESPER_OBJECT_FRAME_4K, 0, WORLD_ROOT, 0, 0, stack, 2));
        vesper_word first_endpoint = w->info->empty_first;
        setup_call(w, dom, vesper_domain_configure_msg(WORLD_ROOT, VESPER_ROOT_SLOT_PDOM,
                                                       d <= 2 ? first_endpoint : 0));
        setup_call(w, dom, vesper_domain_set_ipc_buffer_msg(cap_address(w->slots[ipc].cap), ipc));
        setup_call(w, ipc, vesper_frame_grant_msg(VESPER_ROOT_SLOT_PDOM,
                                                  VESPER_FRAME_READ | VESPER_FRAME_WRITE));
        setup_call(w, dom,
                   vesper_domain_start_msg(0x1000, cap_address(w->slots[stack].cap), 4096, d));
    }
}

/* ---- The loop -------------------------------------------------------- */

/* The operation byte: 0xe0 and above lets another domain act; below, each
 * set spends most bytes on its own operations and the rest on the others'
 * (the IPC set needs bindings, exits, faults and deletions too). */
static void perform(struct world *w, enum fuzz_op_set ops, uint8_t op)
{
    if (op >= 0xe0)
        become(w);
    else if (ops == FUZZ_CAPS && op < 0x90)
        world_cap_op(w, op);
    else if (ops == FUZZ_CAPS)
        world_domain_op(w, op);
    else if (op < 0x90)
        world_ipc_op(w, op);
    else if (op < 0xb8)
        world_domain_op(w, op);
    else
        world_cap_op(w, op);
}

/* With the kernel idle an operation byte means what it means otherwise,
 * but only the domain operations that need no current domain are made
 * (world_domain_op_idle()): the rest are skipped. */
static void perform_idle(struct world *w, enum fuzz_op_set ops, uint8_t op)
{
    if (op >= 0x90 && op < (ops == FUZZ_CAPS ? 0xe0 : 0xb8))
        world_domain_op_idle(w, op);
}

/* An idle kernel has no domain to make a syscall or take an exception:
 * such entries must leave it idle. */
static void check_idle_inert(void)
{
    struct vesper_syscall_frame frame = {.number = VESPER_SYS_YIELD};
    if (fuzz_exception(VESPER_FAULT_PAGE, 0, 0, 0) != NULL || fuzz_syscall(&frame) != NULL ||
        !kernel_is_idle())
        fuzz_fail("a syscall or exception entry into an idle kernel did something");
    fuzz_check_invariants("an entry into an idle kernel");
}

/* Once the kernel has shut down, no entry may bring a domain back. */
static void check_stays_stopped(void)
{
    struct vesper_syscall_frame frame = {.number = VESPER_SYS_YIELD};
    if (fuzz_exception(VESPER_FAULT_PAGE, 0, 0, 0) != NULL || fuzz_syscall(&frame) != NULL ||
        fuzz_timer() != NULL || fuzz_irq(0) != NULL || fuzz_no_wakeup() != NULL)
        fuzz_fail("an entry into a kernel that had shut down chose a domain to run");
    fuzz_check_invariants("an entry into a kernel that had shut down");
}

void fuzz_world_run(const uint8_t *data, size_t size, enum fuzz_op_set ops)
{
    struct world w = {.in = {data, size}};
    /* The kernel's trace on for every other length in steps of 5, so that
     * it is on and off for each k below. */
    fuzz_boot((size / 5) % 2 == 0);
    /* Long operations stop at every k-th preemption point, k from the
     * input's length (0: never), and are made again until they end. */
    preemption_test_every((uint32_t)(size % 5));
    setup(&w);
    fuzz_check_invariants("setting up");
    fuzz_note(FUZZ_EVENT_INPUT, 0, NULL);
    for (int n = 0; n < MAX_OPS && !fuzz_done(&w.in) && kernel_is_running(); n++) {
        take_inventory(&w);
        uint8_t op = fuzz_byte(&w.in);
        if (kernel_is_idle())
            perform_idle(&w, ops, op);
        else
            perform(&w, ops, op);
        fuzz_check_invariants(ops == FUZZ_CAPS ? "a capability operation" : "an IPC operation");
        deadline();
        world_deliver_interrupts(&w);
        world_check_lines();
    }
    if (kernel_is_idle())
        check_idle_inert();
    if (!kernel_is_running())
        check_stays_stopped();
    fuzz_check_unused_memory();
}

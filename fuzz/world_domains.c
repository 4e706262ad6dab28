/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The fuzzers' operations on domains, interrupts and frames (see world.h):
 * Configure, SetIPCBuffer, Start, Bind and UnbindNotification; IRQControl
 * Get, IRQHandler SetNotification and Clear; Frame GetAddress, Grant and
 * Ungrant; PageTable Install and Uninstall; the Exit syscall; machine
 * exceptions; the end of a time slice; the IPC fast path switched on or
 * off; through op_sched, the activation and scheduler operations of
 * world_sched.c; and through op_irq, the devices, interrupt entries and
 * Acks of world_irq.c.
 */
#include <vesper/error.h>
#include <vesper/message.h>
#include <vesper/object.h>

#include "host.h"
#include "kernel.h"
#include "state.h"
#include "world.h"

#define ROOT WORLD_ROOT

/* A CPtr that wants `type` or, one time in four, an empty slot. */
static vesper_word pick_or_empty(struct world *w, enum cap_type type)
{
    return fuzz_byte(&w->in) < 64 ? world_pick(w, CAP_NULL) : world_pick(w, type);
}

/* Configure(CSpace root, PDom, fault endpoint); an empty slot empties the
 * domain's, which leaves it with lookups that fail at the root. */
static void op_configure(struct world *w)
{
    vesper_word cspace = pick_or_empty(w, CAP_CNODE);
    vesper_word pdom = pick_or_empty(w, CAP_PDOM);
    vesper_word fault_endpoint = pick_or_empty(w, CAP_ENDPOINT);
    world_invoke(w, world_pick(w, CAP_DOMAIN),
                 vesper_domain_configure_msg(cspace, pdom, fault_endpoint), NULL);
}

/* SetIPCBuffer(address, frame): mostly a buffer-aligned place in a frame,
 * sometimes misaligned, outside the frame or anywhere. */
static void op_set_ipc_buffer(struct world *w)
{
    vesper_word frame = pick_or_empty(w, CAP_FRAME_4K);
    uint8_t b = fuzz_byte(&w->in);
    vesper_word address = cap_address(world_cap_at(w, frame)) +
                          (b % 4) * sizeof(struct vesper_ipc_buffer);
    if (b >= 224)
        address += b % 32 < 16 ? 8 * (b % 16) : 4096; /* misaligned, or past the frame */
    else if (b >= 208)
        address = world_address(w);
    world_invoke(w, world_pick(w, CAP_DOMAIN), vesper_domain_set_ipc_buffer_msg(address, frame),
                 NULL);
}

/* A stack for Start or an activation: (base, size). In a frame, over a
 * live object, in a region bootinfo lists (the boot image, the root's and
 * the kernel's memory), misaligned, tiny, huge, exactly 256 bytes, or
 * anything. */
void world_stack(struct world *w, vesper_word *base, vesper_word *size)
{
    uint8_t kind = fuzz_byte(&w->in);
    uint8_t b = fuzz_byte(&w->in);
    const struct vesper_bootinfo *info = w->info;
    switch (kind % 8) {
    case 0: *base = cap_address(world_cap_at(w, world_pick(w, CAP_FRAME_4K))); *size = 4096; break;
    case 1: *base = cap_address(world_cap_at(w, world_any_cap(w))) + 16 * (b % 8); *size = 256; break;
    case 2: {
        const struct vesper_region *r = &info->region[b % info->region_count];
        *base = r->base + (fuzz_u16(&w->in) * (vesper_word)16) % r->size;
        *size = b & 0x80 ? r->size : 256;
        break;
    }
    case 3: *base = world_address(w) + 1 + b % 15; *size = 256 + 8 * (b & 1); break;
    case 4: *base = world_address(w); *size = (b % 16) * 16; break;
    case 5: *base = world_address(w); *size = b & 1 ? UINT64_MAX - 15 : FUZZ_MEMORY; break;
    case 6: *base = world_address(w); *size = 256; break;
    default: *base = fuzz_u64(&w->in); *size = fuzz_u64(&w->in); break;
    }
}

/* Start(entry, stack base, stack size, argument): a domain that has run
 * already must be refused. */
static void op_start(struct world *w)
{
    vesper_word domain = world_pick(w, CAP_DOMAIN);
    vesper_word entry = fuzz_u64(&w->in);
    vesper_word arg = fuzz_byte(&w->in);
    vesper_word stack_base, stack_size;
    world_stack(w, &stack_base, &stack_size);
    world_invoke(w, domain, vesper_domain_start_msg(entry, stack_base, stack_size, arg), NULL);
}

static void op_bind(struct world *w)
{
    vesper_word notification = world_pick(w, CAP_NOTIFICATION);
    world_invoke(w, world_pick(w, CAP_DOMAIN), vesper_domain_bind_notification_msg(notification),
                 NULL);
}

static void op_unbind(struct world *w)
{
    world_invoke(w, world_pick(w, CAP_DOMAIN), vesper_domain_unbind_notification_msg(), NULL);
}

/* IRQControl Get(line, dest root, dest index, dest depth); lines past the
 * last one now and then. */
static void op_irq_get(struct world *w)
{
    vesper_word line = fuzz_byte(&w->in) % (HOST_IRQ_LINES + 4);
    vesper_word root = ROOT;
    vesper_word index = world_pick(w, CAP_NULL);
    vesper_word depth = world_depth(w);
    if (fuzz_byte(&w->in) >= 240)
        root = world_any_cap(w);
    world_invoke(w, world_pick(w, CAP_IRQ_CONTROL),
                 vesper_irq_control_get_msg(line, root, index, depth), NULL);
}

static void op_irq_set_notification(struct world *w)
{
    vesper_word notification = world_pick(w, CAP_NOTIFICATION);
    world_invoke(w, world_pick(w, CAP_IRQ_HANDLER),
                 vesper_irq_handler_set_notification_msg(notification), NULL);
}

static void op_irq_clear(struct world *w)
{
    world_invoke(w, world_pick(w, CAP_IRQ_HANDLER), vesper_irq_handler_clear_msg(), NULL);
}

/* GetAddress(): a frame's answer must be the address and size its
 * capability names. */
static void op_frame_get_address(struct world *w)
{
    vesper_word frame = world_pick(w, CAP_FRAME_4K);
    struct cap cap = world_cap_at(w, frame);
    struct domain *caller = kernel.current;
    vesper_word r[VESPER_SYSCALL_ARGS];
    vesper_word error = world_invoke(w, frame, vesper_frame_get_address_msg(), r);
    bool answered = caller->state == DOMAIN_RUNNABLE && error == VESPER_OK;
    struct vesper_frame_info info = vesper_frame_get_address_result(&r[2]); /* reply word 0 */
    if (answered && cap_type(cap) == CAP_FRAME_4K &&
        caller->slots[DOMAIN_SLOT_CSPACE].cap.word0 == w->slots[ROOT].cap.word0 &&
        (info.address != cap_address(cap) || info.size_bits != VESPER_FRAME_4K_BITS))
        fuzz_fail("Frame GetAddress answered another frame's address or size");
}

/* Exit(status): the caller stops with that status; the root's exit shuts
 * the kernel down with it. Statuses past 255 must be refused. */
static void op_exit(struct world *w)
{
    struct domain *caller = kernel.current;
    bool root = caller == kernel.root;
    vesper_word status = fuzz_byte(&w->in);
    if (status >= 250)
        status = fuzz_u64(&w->in);
    vesper_word args[VESPER_SYSCALL_ARGS] = {status};
    world_syscall(VESPER_SYS_EXIT, args);
    if (status > 255) {
        if (args[0] != VESPER_ERR_RANGE || caller->state != DOMAIN_RUNNABLE)
            fuzz_fail("Exit accepted a status past 255");
    } else if (root) {
        if (kernel_is_running() || kernel_exit_status() != (int)status)
            fuzz_fail("the root's Exit did not shut the kernel down with its status");
    } else if (caller->state != DOMAIN_STOPPED || caller->exit_status != (int32_t)status) {
        fuzz_fail("Exit did not stop the caller with its status");
    }
}

/* A machine exception of the current domain: an undefined instruction or
 * a bad access, at some pc, delivered to its fault endpoint. */
static void op_exception(struct world *w)
{
    static const uint32_t kinds[] = {VESPER_FAULT_USER_EXCEPTION, VESPER_FAULT_PAGE,
                                     VESPER_FAULT_UNKNOWN_SYSCALL};
    uint8_t b = fuzz_byte(&w->in);
    uint32_t kind = kinds[b % 3];
    vesper_word address = kind == VESPER_FAULT_PAGE ? world_address(w) : 0;
    uint8_t cause = fuzz_byte(&w->in);
    fuzz_exception(kind, cause, address, world_address(w));
}

/* The current domain's slice ends, as the timer would end it; an idle
 * kernel takes the entry too. */
static void op_timer(struct world *w)
{
    (void)w;
    fuzz_timer();
}

static void op_toggle_fastpath(struct world *w)
{
    (void)w;
    kernel.fastpath_disabled = !kernel.fastpath_disabled;
    fuzz_note(FUZZ_EVENT_FASTPATH, !kernel.fastpath_disabled, NULL);
}

/* A frame of either size, by the low bit of b. */
static vesper_word pick_frame(struct world *w, uint8_t b)
{
    return world_pick(w, (b & 1) ? CAP_FRAME_2M : CAP_FRAME_4K);
}

/* Grant(PDom, rights): mostly READ with some of WRITE and EXECUTE,
 * sometimes any byte. */
static void op_grant(struct world *w)
{
    uint8_t b = fuzz_byte(&w->in);
    vesper_word frame = pick_frame(w, b);
    vesper_word pdom = pick_or_empty(w, CAP_PDOM);
    vesper_word rights = b >= 224 ? fuzz_byte(&w->in) : ((b >> 1) % 8u) | VESPER_FRAME_READ;
    world_invoke(w, frame, vesper_frame_grant_msg(pdom, rights), NULL);
}

static void op_ungrant(struct world *w)
{
    world_invoke(w, pick_frame(w, fuzz_byte(&w->in)), vesper_frame_ungrant_msg(), NULL);
}

/* Install(PDom, address): mostly where a frame lies, sometimes anywhere. */
static void op_install(struct world *w)
{
    uint8_t b = fuzz_byte(&w->in);
    vesper_word address =
        b < 224 ? cap_address(world_cap_at(w, pick_frame(w, b))) : world_address(w);
    vesper_word pdom = pick_or_empty(w, CAP_PDOM);
    world_invoke(w, world_pick(w, CAP_PAGE_TABLE), vesper_page_table_install_msg(pdom, address),
                 NULL);
}

static void op_uninstall(struct world *w)
{
    world_invoke(w, world_pick(w, CAP_PAGE_TABLE), vesper_page_table_uninstall_msg(), NULL);
}

/* One of world_sched.c's operations, chosen by the next byte. */
static void op_sched(struct world *w)
{
    world_sched_op(w, fuzz_byte(&w->in));
}

/* One of world_irq.c's operations, chosen by the next byte. */
static void op_irq(struct world *w)
{
    world_irq_op(w, fuzz_byte(&w->in));
}

/* Twenty-one operations: inputs pick one by the operation byte modulo 21,
 * so the committed corpora mean the same as long as the count stays.
 * op_sched took the places of a second Start and a second Install, op_irq
 * that of a second Grant (the one the fewest committed inputs used). */
static world_op *const domain_ops[] = {
    op_configure, op_set_ipc_buffer, op_start,     op_sched,
    op_bind,      op_unbind,         op_irq_get,   op_irq_set_notification,
    op_irq_clear, op_frame_get_address, op_exit,   op_exception,
    op_exception, op_toggle_fastpath, op_grant, op_irq,
    op_ungrant,   op_install,        op_sched,     op_uninstall,
    op_timer,
};
#define DOMAIN_OP_COUNT (sizeof domain_ops / sizeof domain_ops[0])

void world_domain_op(struct world *w, uint8_t op)
{
    domain_ops[op % DOMAIN_OP_COUNT](w);
}

bool world_domain_op_idle(struct world *w, uint8_t op)
{
    world_op *chosen = domain_ops[op % DOMAIN_OP_COUNT];
    if (chosen != op_irq && chosen != op_timer)
        return false;
    chosen(w);
    return true;
}

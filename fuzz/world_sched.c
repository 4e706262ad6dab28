/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The fuzzers' operations on activations and the domain scheduler (see
 * world.h and <vesper/control.h>): Domain SetControlBlock at good and bad
 * addresses; a domain writing hostile values into a control block it may
 * write; a domain readying itself for activations in one step; Resume;
 * SchedControl SetScheduler and Dispatch, with every kind of target and
 * budgets in and out of range; a domain destroyed and its slot retyped;
 * and the end of a slice or budget. A control block is user memory: what
 * these operations write there is what a domain could write between any
 * two kernel entries, and the kernel must trust none of it.
 *
 * When the message went as built (world_invoked()), an operation also
 * checks what the kernel's answer implies: SetControlBlock records the
 * address it accepted, SetScheduler installs exactly the callers with an
 * activation entry, a Dispatch it accepted runs the domain it named on
 * its budget, and Resume continues the saved context or changes nothing.
 */
#include <stddef.h>
#include <string.h>

#include <vesper/control.h>
#include <vesper/error.h>
#include <vesper/object.h>
#include <vesper/syscall.h>

#include "activation.h"
#include "host.h"
#include "kernel.h"
#include "objects.h"
#include "state.h"
#include "world.h"

#define ROOT WORLD_ROOT
#define READ_WRITE (VESPER_RIGHT_READ | VESPER_RIGHT_WRITE)
#define BLOCK_SIZE ((vesper_word)sizeof(struct vesper_control))
#define FRAME_SIZE ((vesper_word)1 << VESPER_FRAME_4K_BITS)
/* Where the world puts a domain's IPC buffer in its frame, and how far. */
#define BUFFER_END ((vesper_word)sizeof(struct vesper_ipc_buffer))

/* The activation entry the fuzzers register: a real function of the
 * harness. It never runs: the harness makes every syscall of a domain
 * itself, whatever its context says, and on the host HAL an upcall only
 * makes that context begin afresh at the entry. */
static void activation_entry(uint64_t reason)
{
    (void)reason;
}

/* ---- Domains and the slots that name them ------------------------------ */

/* The domain a root slot's capability names, or NULL. */
static struct domain *domain_at(const struct world *w, vesper_word cptr)
{
    struct cap cap = world_cap_at(w, cptr);
    return cap_type(cap) == CAP_DOMAIN ? object_of(cap) : NULL;
}

/* A root slot holding a Domain capability to d; else any Domain's. */
static vesper_word slot_of(struct world *w, const struct domain *d)
{
    for (unsigned i = 0; i < w->inv.count[CAP_DOMAIN]; i++)
        if (domain_at(w, w->inv.slot[CAP_DOMAIN][i]) == d)
            return w->inv.slot[CAP_DOMAIN][i];
    return world_pick(w, CAP_DOMAIN);
}

/* The Domain a control-block operation is about: mostly the current
 * domain's own, as a domain would set up itself, else any. */
static vesper_word own_or_any(struct world *w, uint8_t own_below)
{
    if (fuzz_byte(&w->in) < own_below)
        return slot_of(w, kernel.current);
    return world_pick(w, CAP_DOMAIN);
}

/* A root slot holding d's PDom, which a frame must be granted to for d's
 * control block to be usable there; else the root's PDom. */
static vesper_word pdom_slot(const struct world *w, const struct domain *d)
{
    uintptr_t pdom = d != NULL ? cap_address(d->slots[DOMAIN_SLOT_PDOM].cap) : 0;
    for (unsigned i = 0; i < w->inv.count[CAP_PDOM] && pdom != 0; i++)
        if (cap_address(world_cap_at(w, w->inv.slot[CAP_PDOM][i])) == pdom)
            return w->inv.slot[CAP_PDOM][i];
    return VESPER_ROOT_SLOT_PDOM;
}

/* The address of d's IPC buffer frame (0 for none), which the world
 * granted its domains read-write: the rest of it past the buffer is room
 * for a control block and an activation stack. */
static vesper_word ipc_frame(const struct domain *d)
{
    return d != NULL ? cap_address(d->slots[DOMAIN_SLOT_IPC_BUFFER].cap) : 0;
}

/* d's control block, as the domain writer may write it (its PDom grants
 * it read and write there), or NULL. */
static struct vesper_control *writable_block(const struct domain *writer,
                                             const struct domain *d)
{
    if (d == NULL || d->control == 0)
        return NULL;
    return domain_user_view(writer, d->control, BLOCK_SIZE, READ_WRITE);
}

/* ---- SetControlBlock --------------------------------------------------- */

/* A 4 KiB frame, first granted read-write to d's PDom (which fails when
 * the frame is granted already or no table lies under it): its address. */
static vesper_word granted_frame(struct world *w, const struct domain *d)
{
    vesper_word frame = world_pick(w, CAP_FRAME_4K);
    world_invoke(w, frame,
                 vesper_frame_grant_msg(pdom_slot(w, d), VESPER_FRAME_READ | VESPER_FRAME_WRITE),
                 NULL);
    return cap_address(world_cap_at(w, frame));
}

/* An address in a region bootinfo lists (the boot image, the root's and
 * the kernel's memory), 64-byte aligned. */
static vesper_word region_address(struct world *w, uint8_t b)
{
    const struct vesper_region *r = &w->info->region[b % w->info->region_count];
    vesper_word offset = r->size != 0 ? (fuzz_u16(&w->in) * (vesper_word)64) % r->size : 0;
    return (r->base + offset) & ~(vesper_word)63;
}

/* Where a control block for d goes: often where d may read and write it
 * (past the IPC buffer in its frame, or in a frame just granted), else
 * misaligned, across the end of a frame or of RAM, over kernel objects,
 * in the boot image, nowhere (0) or outside RAM. */
static vesper_word block_address(struct world *w, const struct domain *d)
{
    uint8_t kind = fuzz_byte(&w->in);
    uint8_t b = fuzz_byte(&w->in);
    switch (kind % 12) {
    case 0:
    case 1: return ipc_frame(d) + BUFFER_END + 64 * (b % 15);
    case 2: return granted_frame(w, d) + 64 * (b % 31);
    case 3: return cap_address(world_cap_at(w, world_pick(w, CAP_FRAME_4K))) + 64 * (b % 64);
    case 4: return ipc_frame(d) + BUFFER_END + 1 + b % 63;
    case 5: return cap_address(world_cap_at(w, world_any_cap(w))) & ~(vesper_word)63;
    case 6: return region_address(w, b);
    case 7: return HOST_USER_BASE + FUZZ_MEMORY - 64 * (b % 48);
    case 8: return 0;
    case 9: return world_address(w) & ~(vesper_word)63;
    case 10: return fuzz_u64(&w->in) & ~(vesper_word)63;
    default: return fuzz_u64(&w->in);
    }
}

/* SetControlBlock(address) on a Domain, mostly the caller's own. Making
 * the address may take a Grant, which an input can turn into a Call that
 * blocks: the caller is whoever is current after it, if anyone. */
static void op_set_control_block(struct world *w)
{
    vesper_word target = own_or_any(w, 160);
    struct domain *d = domain_at(w, target);
    vesper_word address = block_address(w, d != NULL ? d : kernel.current);
    if (kernel_current_context() == NULL)
        return;
    struct domain *caller = kernel.current;
    d = domain_at(w, target);
    vesper_word error =
        world_invoke(w, target, vesper_domain_set_control_block_msg(address), NULL);
    if (error == VESPER_OK && world_invoked(w, caller, target, CAP_DOMAIN) &&
        d->control != address)
        fuzz_fail("SetControlBlock answered OK but left the block elsewhere");
}

/* A domain readies itself for activations in one step, as a library
 * would: SetControlBlock past the IPC buffer in its frame, then, as the
 * current domain, an entry, a stack in the rest of that frame, activations
 * enabled and the event ring empty. */
static void op_activate(struct world *w)
{
    vesper_word target = own_or_any(w, 192);
    struct domain *d = domain_at(w, target);
    vesper_word frame = ipc_frame(d);
    vesper_word address = frame + BUFFER_END + 64 * (fuzz_byte(&w->in) % 11);
    world_invoke(w, target, vesper_domain_set_control_block_msg(address), NULL);
    if (kernel_current_context() == NULL ||
        !world_invoked(w, kernel.current, target, CAP_DOMAIN))
        return; /* not the SetControlBlock it was built as: it may have blocked */
    struct vesper_control *block = writable_block(kernel.current, d);
    if (d->control != address || block == NULL)
        return;
    block->entry = (uintptr_t)activation_entry;
    block->stack_base = address + BLOCK_SIZE;
    block->stack_size = frame + FRAME_SIZE - block->stack_base;
    block->disabled = 0;
    block->event_tail = block->event_head;
    const uint64_t written[VESPER_SYSCALL_ARGS] = {block->entry, block->stack_base,
                                                   block->stack_size};
    fuzz_note_about(FUZZ_EVENT_CONTROL, FUZZ_CONTROL_ALL, d, written);
}

/* ---- Hostile control blocks -------------------------------------------- */

/* An entry: the harness's function, none, data, a tiny word, anything. */
static vesper_word entry_value(struct world *w)
{
    uint8_t b = fuzz_byte(&w->in);
    switch (b % 6) {
    case 0:
    case 1: return (uintptr_t)activation_entry;
    case 2: return 0;
    case 3: return world_address(w);
    case 4: return 1 + b;
    default: return fuzz_u64(&w->in);
    }
}

/* `disabled`: clear (activations on, whether or not the kernel saved a
 * context to Resume), set, or any word. */
static vesper_word disabled_value(struct world *w)
{
    uint8_t b = fuzz_byte(&w->in);
    return b < 96 ? 0 : b < 192 ? 1 : fuzz_u64(&w->in);
}

/* A ring index next to head: the ring empty, full, one short of full,
 * one past the head (nonsense), zero, or any word. */
static vesper_word ring_value(struct world *w, vesper_word head)
{
    uint8_t b = fuzz_byte(&w->in);
    switch (b % 6) {
    case 0: return head;
    case 1: return head - VESPER_CONTROL_EVENTS;
    case 2: return head - VESPER_CONTROL_EVENTS + 1;
    case 3: return head + 1;
    case 4: return 0;
    default: return fuzz_u64(&w->in);
    }
}

/* A new value for a saved context's word: kept, moved by a little, small,
 * an address in the world, or any word. */
static vesper_word context_word_value(struct world *w, vesper_word old)
{
    uint8_t b = fuzz_byte(&w->in);
    switch (b % 6) {
    case 0: return old;
    case 1: return old + 8 * (1 + b % 4);
    case 2: return old - 8 * (1 + b % 4);
    case 3: return b % 3;
    case 4: return world_address(w);
    default: return fuzz_u64(&w->in);
    }
}

/* The current domain writes one field of a control block it may write,
 * mostly its own: what a buggy or hostile domain can do at any moment. */
static void op_write_control(struct world *w)
{
    struct domain *d = domain_at(w, own_or_any(w, 160));
    struct vesper_control *block = writable_block(kernel.current, d);
    if (block == NULL)
        return;
    uint8_t field = fuzz_byte(&w->in) % FUZZ_CONTROL_ALL;
    uint64_t v[VESPER_SYSCALL_ARGS] = {0};
    switch (field) {
    case FUZZ_CONTROL_ENTRY: v[0] = block->entry = entry_value(w); break;
    case FUZZ_CONTROL_STACK:
        world_stack(w, &v[0], &v[1]);
        block->stack_base = v[0];
        block->stack_size = v[1];
        break;
    case FUZZ_CONTROL_DISABLED: v[0] = block->disabled = disabled_value(w); break;
    case FUZZ_CONTROL_EVENT_TAIL:
        v[0] = block->event_tail = ring_value(w, block->event_head);
        break;
    case FUZZ_CONTROL_EVENT_HEAD:
        v[0] = block->event_head = ring_value(w, block->event_tail);
        break;
    case FUZZ_CONTROL_FLAGS: v[0] = block->flags = fuzz_byte(&w->in) % 4; break;
    default: /* a word of the saved context: what a thread library keeps and edits */
        v[0] = fuzz_byte(&w->in) % VESPER_CONTEXT_WORDS;
        v[1] = block->saved.word[v[0]] = context_word_value(w, block->saved.word[v[0]]);
        break;
    }
    fuzz_note_about(FUZZ_EVENT_CONTROL, field, d, v);
}

/* ---- Resume and the scheduler ------------------------------------------ */

/* Where a Resume may name a kept context: none (the kernel's), the
 * caller's block's saved copy, that copy a word off, anywhere in the
 * world, or any word. */
static vesper_word resume_address(struct world *w, const struct domain *caller)
{
    uint8_t b = fuzz_byte(&w->in);
    vesper_word kept = caller->control + offsetof(struct vesper_control, saved);
    switch (b % 6) {
    case 0:
    case 1: return 0;
    case 2: return caller->control != 0 ? kept : world_address(w);
    case 3: return kept + 4 * (1 + b % 3);
    case 4: return world_address(w);
    default: return fuzz_u64(&w->in);
    }
}

/* Two contexts are the same when they export the same words: compared so,
 * padding between their fields does not count. */
static bool same_context(const struct hal_context *a, const struct hal_context *b)
{
    struct vesper_context wa, wb;
    hal_context_export(a, &wa);
    hal_context_export(b, &wb);
    return memcmp(&wa, &wb, sizeof wa) == 0;
}

/* What a Resume of the context kept at address must do, worked out
 * apart from the kernel: whether it may be taken (aligned, readable by
 * the caller, a context this HAL accepts, its memory usable by the
 * caller) and, if so, the context the caller must go on from. */
static bool resume_expected(const struct domain *caller, vesper_word address,
                            struct hal_context *expected)
{
    if (address % 8 != 0 || address > UINTPTR_MAX)
        return false;
    const struct vesper_context *user = domain_user_view(
        caller, (uintptr_t)address, sizeof(struct vesper_context), VESPER_RIGHT_READ);
    if (user == NULL)
        return false;
    struct vesper_context copy;
    memcpy(&copy, user, sizeof copy);
    struct hal_context_needs needs;
    if (!hal_context_import(expected, &copy, &needs))
        return false;
    for (unsigned i = 0; i < 2; i++) {
        unsigned access = VESPER_RIGHT_READ | (needs.read_write[i] ? VESPER_RIGHT_WRITE : 0);
        if (needs.size[i] != 0 &&
            domain_user_view(caller, needs.base[i], needs.size[i], access) == NULL)
            return false;
    }
    hal_context_set_ipc_buffer(expected, caller->ipc_buffer);
    return true;
}

/* Resume of the kernel's context (word 0 zero) or of a kept one, with the
 * other words meaning nothing. Without a usable block it must answer
 * ILLEGAL_OPERATION, as must a Resume of the kernel's context with none
 * saved; an error changes nothing; else the caller goes on from the
 * context with activations enabled and nothing saved. A resumed context
 * keeps its own result words, which may hold any error code: success is
 * told from refusal by the state, not by word 0. */
static void op_resume(struct world *w)
{
    struct domain *caller = kernel.current;
    const struct vesper_control *block = activation_block(caller);
    vesper_word address = resume_address(w, caller);
    bool saved = caller->saved_valid && block != NULL;
    struct hal_context context = caller->context, kept = caller->saved, expected;
    bool may = block != NULL && (address == 0 ? saved
                                              : resume_expected(caller, address, &expected));
    if (address == 0 && saved) {
        expected = kept;
        hal_context_set_ipc_buffer(&expected, caller->ipc_buffer);
    }
    uint32_t saved_valid = caller->saved_valid;
    vesper_word disabled = block != NULL ? block->disabled : 0;
    vesper_word args[VESPER_SYSCALL_ARGS] = {address, fuzz_byte(&w->in)};
    world_syscall(VESPER_SYS_RESUME, args);
    block = activation_block(caller);
    if (kernel.current != caller)
        fuzz_fail("Resume gave the CPU away");
    if (!may) {
        if (args[0] == VESPER_OK)
            fuzz_fail("Resume took a context it must refuse");
        if ((address == 0 || block == NULL) && args[0] != VESPER_ERR_ILLEGAL_OPERATION)
            fuzz_fail("Resume with nothing to resume did not answer ILLEGAL_OPERATION");
        context.frame = caller->context.frame; /* only the results differ */
        context.in_exception = 0; /* the caller was resumed to make the call (fuzz_harness.c) */
        if (!same_context(&context, &caller->context) || saved_valid != caller->saved_valid ||
            !same_context(&kept, &caller->saved) ||
            (block != NULL && block->disabled != disabled))
            fuzz_fail("a refused Resume changed the caller's state");
        return;
    }
    if (caller->saved_valid || block == NULL || block->disabled != 0 ||
        !same_context(&expected, &caller->context))
        fuzz_fail("Resume did not continue the context with activations enabled");
}

/* SetScheduler by the current domain: it must succeed exactly when the
 * caller has a usable control block with an entry, and install it. */
static void op_set_scheduler(struct world *w)
{
    struct domain *caller = kernel.current;
    vesper_word control = world_pick(w, CAP_SCHED_CONTROL);
    const struct vesper_control *block = activation_block(caller);
    bool may = block != NULL && block->entry != 0;
    vesper_word error = world_invoke(w, control, vesper_sched_control_set_scheduler_msg(), NULL);
    if (!world_invoked(w, caller, control, CAP_SCHED_CONTROL))
        return;
    if ((error == VESPER_OK) != may)
        fuzz_fail("SetScheduler's answer does not follow the caller's control block");
    if (may && kernel.scheduler != caller)
        fuzz_fail("SetScheduler answered OK but installed another domain");
}

/* What a Dispatch may name: a domain in each state the kernel tells
 * apart, the caller, the scheduler, or no domain at all. */
enum target {
    TARGET_QUEUED,    /* runnable, waiting on the run queue */
    TARGET_BLOCKED,   /* in IPC or waiting on a notification */
    TARGET_STOPPED,
    TARGET_INACTIVE,  /* made and never started (op_recycle makes some) */
    TARGET_CALLER,
    TARGET_SCHEDULER, /* idle or not */
    TARGET_EMPTY,     /* an empty slot: no domain */
    TARGET_OTHER,     /* mostly a capability that is no Domain */
    TARGET_ANY,       /* any Domain capability */
    TARGET_RAW,       /* any word */
    TARGET_KINDS,
};

static bool is_target(const struct domain *d, enum target kind)
{
    switch (kind) {
    case TARGET_QUEUED:
        return d->state == DOMAIN_RUNNABLE && d != kernel.current &&
               !(d == kernel.scheduler && kernel.scheduler_idle);
    case TARGET_BLOCKED:
        return d->state != DOMAIN_RUNNABLE && d->state != DOMAIN_STOPPED &&
               d->state != DOMAIN_INACTIVE;
    case TARGET_STOPPED: return d->state == DOMAIN_STOPPED;
    case TARGET_INACTIVE: return d->state == DOMAIN_INACTIVE;
    case TARGET_CALLER: return d == kernel.current;
    case TARGET_SCHEDULER: return d == kernel.scheduler;
    default: return true;
    }
}

/* A root slot holding a Domain capability to a domain of that kind, the
 * next byte choosing among them; any Domain's when none is. */
static vesper_word domain_slot(struct world *w, enum target kind)
{
    unsigned n = w->inv.count[CAP_DOMAIN];
    unsigned start = fuzz_byte(&w->in);
    for (unsigned k = 0; k < n; k++) {
        vesper_word slot = w->inv.slot[CAP_DOMAIN][(start + k) % n];
        if (is_target(domain_at(w, slot), kind))
            return slot;
    }
    return world_pick(w, CAP_DOMAIN);
}

static vesper_word dispatch_target(struct world *w)
{
    enum target kind = (enum target)(fuzz_byte(&w->in) % TARGET_KINDS);
    switch (kind) {
    case TARGET_EMPTY: return world_pick(w, CAP_NULL);
    case TARGET_OTHER: return world_any_cap(w);
    case TARGET_ANY: return world_pick(w, CAP_DOMAIN);
    case TARGET_RAW: return fuzz_u64(&w->in);
    default: return domain_slot(w, kind);
    }
}

/* A budget: short enough to run out within an input (each syscall costs
 * HOST_ENTRY_COST_NS of virtual time), either end of the range, just
 * past either end, zero, anywhere in the range, or any word. */
static vesper_word dispatch_budget(struct world *w)
{
    uint8_t b = fuzz_byte(&w->in);
    switch (b % 8) {
    case 0: return KERNEL_BUDGET_MIN_NS + HOST_ENTRY_COST_NS * (b >> 3);
    case 1: return KERNEL_BUDGET_MIN_NS;
    case 2: return KERNEL_BUDGET_MAX_NS;
    case 3: return KERNEL_BUDGET_MIN_NS - 1;
    case 4: return KERNEL_BUDGET_MAX_NS + 1;
    case 5: return 0;
    case 6:
        return KERNEL_BUDGET_MIN_NS +
               fuzz_u64(&w->in) % (KERNEL_BUDGET_MAX_NS - KERNEL_BUDGET_MIN_NS + 1);
    default: return fuzz_u64(&w->in);
    }
}

/* What a Dispatch the kernel accepted must have done, checked before any
 * other entry. Since its caller can still run, some domain runs: the one
 * it named, on the budget; for an empty slot, whoever the round robin
 * chose, on no domain's budget. A scheduler that made it waits idle for
 * its next upcall, unless it named no domain and none other could run:
 * then it is upcalled again at once. */
static void check_dispatch(const struct domain *caller, bool by_scheduler,
                           const struct domain *d)
{
    if (kernel_current_context() == NULL)
        fuzz_fail("a Dispatch left no domain to run, though its caller could still run");
    if (d != NULL && (kernel.current != d || kernel.budget_owner != d))
        fuzz_fail("Dispatch did not run the domain it named on its budget");
    if (d == NULL && kernel.budget_owner != NULL)
        fuzz_fail("a Dispatch of no domain ran one on the budget");
    bool asked_again = d == NULL && kernel.current == caller;
    if (by_scheduler && (kernel.scheduler != caller || (!kernel.scheduler_idle && !asked_again)))
        fuzz_fail("the scheduler did not go idle at its Dispatch");
}

/* Dispatch(domain, budget) by the current domain, whoever it is: the
 * scheduler answering an upcall, or any domain holding SchedControl. */
static void op_dispatch(struct world *w)
{
    struct domain *caller = kernel.current;
    bool by_scheduler = caller == kernel.scheduler;
    vesper_word control = world_pick(w, CAP_SCHED_CONTROL);
    vesper_word target = dispatch_target(w);
    vesper_word budget = dispatch_budget(w);
    const struct domain *d = domain_at(w, target);
    vesper_word error =
        world_invoke(w, control, vesper_sched_control_dispatch_msg(target, budget), NULL);
    if (error == VESPER_OK && target < WORLD_SLOTS &&
        world_invoked(w, caller, control, CAP_SCHED_CONTROL))
        check_dispatch(caller, by_scheduler, d);
}

/* ---- Domains that go ---------------------------------------------------- */

/* A domain destroyed and its slot retyped: Delete a Domain capability
 * (each of the world's domains has one, so the domain goes with it, be it
 * the scheduler, the budget's owner or the caller), then Retype a new
 * Domain, or rarely an Endpoint, into the same slot, so that later
 * Dispatches name a domain never started, or no domain, there. */
static void op_recycle(struct world *w)
{
    vesper_word slot = world_pick(w, CAP_DOMAIN);
    vesper_word type = fuzz_byte(&w->in) < 192 ? VESPER_OBJECT_DOMAIN : VESPER_OBJECT_ENDPOINT;
    world_invoke(w, ROOT, vesper_cnode_delete_msg(slot, 64), NULL);
    if (kernel_current_context() == NULL)
        return; /* the kernel shut down: no domain was left to run */
    fuzz_check_invariants("deleting a domain");
    world_invoke(w, w->untyped, vesper_untyped_retype_msg(type, 0, ROOT, 0, 0, slot, 1), NULL);
}

/* The current domain's slice or budget ends: for a dispatched domain the
 * scheduler is upcalled; for the upcalled scheduler, the round robin takes
 * over until it Dispatches again. */
static void op_slice_ends(struct world *w)
{
    (void)w;
    fuzz_timer();
}

static world_op *const sched_ops[] = {
    op_set_control_block, op_set_control_block, op_activate, op_activate,
    op_write_control,     op_write_control,     op_resume,   op_set_scheduler,
    op_dispatch,          op_dispatch,          op_dispatch, op_recycle,
    op_slice_ends,
};

void world_sched_op(struct world *w, uint8_t op)
{
    sched_ops[op % (sizeof sched_ops / sizeof sched_ops[0])](w);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Domain invocations: Configure (CSpace root, PDom, fault endpoint),
 * SetIPCBuffer, Start, BindNotification, UnbindNotification and
 * SetControlBlock. Configure
 * and SetIPCBuffer place a copy of a capability the caller holds into the
 * domain's own slots, as a child in the derivation tree.
 *
 * Replacing a slot's capability deletes the old one first, which may
 * destroy objects (even, through a cycle, the domain being configured or
 * the capability about to be copied). So after each deletion the invoke
 * functions look again, and copy only what is still there: this is what
 * seL4 does for TCB_SetSpace.
 */
#include <vesper/control.h>
#include <vesper/message.h>

#include "cdt.h"
#include "delete.h"
#include "invoke.h"
#include "pdom.h"
#include "sched.h"

/* Whether [address, address + length) lies in the boot image, which every
 * domain may read (it holds the program the domains run). */
static bool in_boot_image(uintptr_t address, size_t length)
{
    const struct hal_memory_region *region;
    size_t count = hal_memory_map(&region);
    for (size_t i = 0; i < count; i++)
        if (region[i].kind == HAL_REGION_IMAGE && address >= region[i].base &&
            length <= region[i].size && address - region[i].base <= region[i].size - length)
            return true;
    return false;
}

void *domain_user_view(const struct domain *d, uintptr_t address, size_t length,
                       unsigned access)
{
    void *view = hal_kernel_view(address, length);
    if (view == NULL || length == 0)
        return view;
    if (access == VESPER_FRAME_READ && in_boot_image(address, length))
        return view;
    uintptr_t pdom = cap_address(d->slots[DOMAIN_SLOT_PDOM].cap);
    uintptr_t last = address + (length - 1); /* hal_kernel_view() refuses a wrap */
    for (uintptr_t page = address & ~(uintptr_t)(HAL_PAGE_SIZE - 1);; page += HAL_PAGE_SIZE) {
        if ((pdom_rights_at(pdom, page) & access) != access)
            return NULL;
        if (last - page < HAL_PAGE_SIZE)
            return view;
    }
}

struct vesper_ipc_buffer *domain_ipc_buffer(struct domain *d)
{
    if (cap_is_null(d->slots[DOMAIN_SLOT_IPC_BUFFER].cap))
        return NULL;
    return domain_user_view(d, d->ipc_buffer, sizeof(struct vesper_ipc_buffer),
                            VESPER_RIGHT_READ | VESPER_RIGHT_WRITE);
}

static bool same_cap(struct cap a, struct cap b)
{
    return a.word0 == b.word0 && a.word1 == b.word1;
}

/* Replace the domain's slot with a copy of source's capability (or empty
 * it, when source is NULL). Returns false if the domain was destroyed. */
static bool replace_slot(struct cte *domain_slot, struct cap domain_cap,
                         struct cte *target, struct cte *source)
{
    struct cap wanted = source != NULL ? source->cap : cap_null();
    cap_delete(target);
    if (!same_cap(domain_slot->cap, domain_cap))
        return false;
    if (source != NULL && same_cap(source->cap, wanted))
        cdt_insert_child(source, target, wanted);
    return true;
}

/* Configure's three capabilities: where each is in the message, its type,
 * and the domain slot it fills. */
static const unsigned configure_words[3] = {VESPER_DOMAIN_CONFIGURE_WORD_CSPACE,
                                            VESPER_DOMAIN_CONFIGURE_WORD_PDOM,
                                            VESPER_DOMAIN_CONFIGURE_WORD_FAULT_ENDPOINT};
static const enum cap_type configure_types[3] = {CAP_CNODE, CAP_PDOM, CAP_ENDPOINT};
static const enum domain_slot configure_slots[3] = {
    DOMAIN_SLOT_CSPACE, DOMAIN_SLOT_PDOM, DOMAIN_SLOT_FAULT_ENDPOINT};

/* Before Configure replaces the three slots: delete, with preemption
 * points, each capability there that is the last to its object, whose
 * destruction may be long (a CNode full of capabilities, an Endpoint
 * with many senders). False if a point stopped it: the slots emptied so
 * far stay empty, and the next attempt goes on. What is left for
 * replace_slot() to delete is a copy: no work to speak of. The caller
 * reaches no capability these deletions destroy (each is the last to its
 * object, and lies in a domain other than the caller), so the next
 * attempt finds its arguments as this one did. */
static bool empty_final_slots(struct domain *d)
{
    for (int i = 0; i < 3; i++) {
        struct cte *target = &d->slots[configure_slots[i]];
        if (!cap_is_null(target->cap) && cdt_is_final(target) && !cap_delete_preemptible(target))
            return false;
    }
    return true;
}

static void invoke_domain_configure(struct cte *domain_slot, struct cte *sources[3])
{
    struct cap domain_cap = domain_slot->cap;
    struct domain *d = object_of(domain_cap);
    for (int i = 0; i < 3; i++)
        if (!replace_slot(domain_slot, domain_cap, &d->slots[configure_slots[i]], sources[i]))
            return;
}

/* Configure: the CSpace root, the PDom and the fault endpoint, each a CPtr
 * in the caller's CSpace; an empty slot empties the domain's. The fault
 * endpoint needs the write right: the kernel sends faults on it. */
static struct syscall_result decode_configure(const struct invocation *inv)
{
    if (inv->length < VESPER_DOMAIN_CONFIGURE_LENGTH)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    struct cte *sources[3];
    for (unsigned i = 0; i < 3; i++) {
        struct lookup found = lookup_argument(inv, invocation_arg(inv, configure_words[i]));
        if (found.error != VESPER_OK)
            return result_lookup(&found, i + 1);
        struct cap cap = found.slot->cap;
        sources[i] = cap_is_null(cap) ? NULL : found.slot;
        if (sources[i] != NULL && cap_type(cap) != configure_types[i])
            return result_invalid_capability(i + 1);
    }
    if (sources[2] != NULL && !(cap_rights(sources[2]->cap) & VESPER_RIGHT_WRITE))
        return result_invalid_capability(3);
    /* A domain configuring itself may be emptying the CSpace its own call
     * goes through: that deletion still runs to its end at once. */
    struct domain *d = object_of(inv->slot->cap);
    if (d != inv->caller && !empty_final_slots(d))
        return result_restart(); /* the rest of the emptying at the next attempt */
    invoke_domain_configure(inv->slot, sources);
    return result_ok();
}

static void invoke_set_ipc_buffer(struct cte *domain_slot, struct cte *frame, uintptr_t address)
{
    struct cap domain_cap = domain_slot->cap;
    struct domain *d = object_of(domain_cap);
    if (replace_slot(domain_slot, domain_cap, &d->slots[DOMAIN_SLOT_IPC_BUFFER], frame)) {
        d->ipc_buffer = address;
        hal_context_set_ipc_buffer(&d->context, address); /* what the domain reads */
    }
}

/* SetIPCBuffer: the buffer lies at the address, aligned to its size,
 * inside the frame, which the domain must be able to read and write
 * and which must be RAM (the kernel copies messages through it).
 * A CPtr to an empty slot removes the buffer. */
static struct syscall_result decode_set_ipc_buffer(const struct invocation *inv)
{
    if (inv->length < VESPER_DOMAIN_SET_IPC_BUFFER_LENGTH)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    vesper_word address = invocation_arg(inv, VESPER_DOMAIN_SET_IPC_BUFFER_WORD_ADDRESS);
    struct lookup found =
        lookup_argument(inv, invocation_arg(inv, VESPER_DOMAIN_SET_IPC_BUFFER_WORD_FRAME));
    if (found.error != VESPER_OK)
        return result_lookup(&found, 1);
    struct cap frame = found.slot->cap;
    if (cap_is_null(frame)) {
        invoke_set_ipc_buffer(inv->slot, NULL, 0);
        return result_ok();
    }
    unsigned needed = VESPER_RIGHT_READ | VESPER_RIGHT_WRITE;
    if ((cap_type(frame) != CAP_FRAME_4K && cap_type(frame) != CAP_FRAME_2M) ||
        (cap_rights(frame) & needed) != needed || frame_is_device(frame))
        return result_invalid_capability(1);
    if (address % sizeof(struct vesper_ipc_buffer) != 0)
        return result_error(VESPER_ERR_ALIGNMENT);
    vesper_word base = cap_address(frame);
    vesper_word last = base + ((vesper_word)1 << cap_object_bits(frame)) -
                       sizeof(struct vesper_ipc_buffer);
    if (address < base || address > last)
        return result_range(base, last);
    invoke_set_ipc_buffer(inv->slot, found.slot, (uintptr_t)address);
    return result_ok();
}

static void invoke_domain_start(struct domain *d, uintptr_t entry, uintptr_t stack_base,
                                uintptr_t stack_top, vesper_word arg)
{
    hal_context_init_user(&d->context, entry, stack_base, stack_top, arg);
    hal_context_set_ipc_buffer(&d->context, d->ipc_buffer);
    sched_make_runnable(d);
}

/* Start: run a domain that has never run, at entry(argument) on the given
 * stack, after the domains
 * already runnable. The stack must be RAM and 16-byte aligned at both
 * ends; what the entry address and the stack hold is the caller's
 * business. Neither the kernel nor the HAL touches the stack: it only
 * becomes the domain's stack pointer, and the domain's own accesses to it
 * are checked as any other. */
static struct syscall_result decode_start(const struct invocation *inv)
{
    if (inv->length < VESPER_DOMAIN_START_LENGTH)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    struct domain *d = object_of(inv->slot->cap);
    vesper_word base = invocation_arg(inv, VESPER_DOMAIN_START_WORD_STACK_BASE);
    vesper_word size = invocation_arg(inv, VESPER_DOMAIN_START_WORD_STACK_SIZE);
    if (d->state != DOMAIN_INACTIVE)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    if (base % 16 != 0 || size % 16 != 0)
        return result_error(VESPER_ERR_ALIGNMENT);
    if (size < 256 || base > UINTPTR_MAX || size > UINTPTR_MAX - base)
        return result_range(256, UINTPTR_MAX);
    if (hal_kernel_view((uintptr_t)base, (size_t)size) == NULL)
        return result_error(VESPER_ERR_INVALID_ADDRESS);
    invoke_domain_start(d, (uintptr_t)invocation_arg(inv, VESPER_DOMAIN_START_WORD_ENTRY),
                        (uintptr_t)base, (uintptr_t)(base + size),
                        invocation_arg(inv, VESPER_DOMAIN_START_WORD_ARG));
    return result_ok();
}

/* BindNotification: signals to the notification wake the domain even while
 * it waits on an endpoint. One binding on each side at a time, and none for
 * a stopped domain: stopping unbinds, and nothing would undo a binding made
 * after it (a stopped domain never runs, so it could never use one). */
static struct syscall_result decode_bind(const struct invocation *inv)
{
    if (inv->length < VESPER_DOMAIN_BIND_NOTIFICATION_LENGTH)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    struct lookup found =
        lookup_argument(inv, invocation_arg(inv, VESPER_DOMAIN_BIND_NOTIFICATION_WORD_NOTIFICATION));
    if (found.error != VESPER_OK)
        return result_lookup(&found, 1);
    struct cap cap = found.slot->cap;
    if (cap_type(cap) != CAP_NOTIFICATION || !(cap_rights(cap) & VESPER_RIGHT_READ))
        return result_invalid_capability(1);
    struct domain *d = object_of(inv->slot->cap);
    struct notification *n = object_of(cap);
    if (d->state == DOMAIN_STOPPED || d->bound != NULL || n->bound != NULL)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    d->bound = n;
    n->bound = d;
    return result_ok();
}

/* SetControlBlock: where the domain's control block is (<vesper/control.h>);
 * 0 removes it. Only its alignment and that it is RAM are checked here:
 * whether the domain's PDom lets it read and write the block is checked
 * at every use, since grants change (activation_block()). */
static struct syscall_result decode_set_control_block(const struct invocation *inv)
{
    if (inv->length < VESPER_DOMAIN_SET_CONTROL_BLOCK_LENGTH)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    vesper_word address = invocation_arg(inv, VESPER_DOMAIN_SET_CONTROL_BLOCK_WORD_ADDRESS);
    if (address % 64 != 0)
        return result_error(VESPER_ERR_ALIGNMENT);
    if (address != 0 && (address > UINTPTR_MAX ||
                         hal_kernel_view((uintptr_t)address, sizeof(struct vesper_control)) == NULL))
        return result_error(VESPER_ERR_INVALID_ADDRESS);
    struct domain *d = object_of(inv->slot->cap);
    d->control = (uintptr_t)address;
    return result_ok();
}

static struct syscall_result decode_unbind(const struct invocation *inv)
{
    struct domain *d = object_of(inv->slot->cap);
    if (d->bound == NULL)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    d->bound->bound = NULL;
    d->bound = NULL;
    return result_ok();
}

struct syscall_result decode_domain_invocation(const struct invocation *inv)
{
    switch (inv->label) {
    case VESPER_DOMAIN_CONFIGURE: return decode_configure(inv);
    case VESPER_DOMAIN_SET_IPC_BUFFER: return decode_set_ipc_buffer(inv);
    case VESPER_DOMAIN_START: return decode_start(inv);
    case VESPER_DOMAIN_BIND_NOTIFICATION: return decode_bind(inv);
    case VESPER_DOMAIN_UNBIND_NOTIFICATION: return decode_unbind(inv);
    case VESPER_DOMAIN_SET_CONTROL_BLOCK: return decode_set_control_block(inv);
    default: return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    }
}

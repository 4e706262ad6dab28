/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Domain invocations: Configure (CSpace root, PDom, fault endpoint) and
 * SetIPCBuffer. Each places a copy of a capability the caller holds into
 * the domain's own slots, as a child in the derivation tree.
 *
 * Replacing a slot's capability deletes the old one first, which may
 * destroy objects (even, through a cycle, the domain being configured or
 * the capability about to be copied). So after each deletion the invoke
 * functions look again, and copy only what is still there: this is what
 * seL4 does for TCB_SetSpace.
 */
#include <vesper/message.h>

#include "cdt.h"
#include "delete.h"
#include "invoke.h"

struct vesper_ipc_buffer *domain_ipc_buffer(struct domain *d)
{
    if (cap_is_null(d->slots[DOMAIN_SLOT_IPC_BUFFER].cap))
        return NULL;
    return hal_kernel_view(d->ipc_buffer, sizeof(struct vesper_ipc_buffer));
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

static const enum cap_type configure_types[3] = {CAP_CNODE, CAP_PDOM, CAP_ENDPOINT};
static const enum domain_slot configure_slots[3] = {
    DOMAIN_SLOT_CSPACE, DOMAIN_SLOT_PDOM, DOMAIN_SLOT_FAULT_ENDPOINT};

static void invoke_domain_configure(struct cte *domain_slot, struct cte *sources[3])
{
    struct cap domain_cap = domain_slot->cap;
    struct domain *d = object_of(domain_cap);
    for (int i = 0; i < 3; i++)
        if (!replace_slot(domain_slot, domain_cap, &d->slots[configure_slots[i]], sources[i]))
            return;
}

/* Configure(cspace root, pdom, fault endpoint): each a CPtr in the
 * caller's CSpace; an empty slot empties the domain's. The fault endpoint
 * needs the write right: the kernel sends faults on it. */
static struct syscall_result decode_configure(const struct invocation *inv)
{
    if (inv->length < 3)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    struct cte *sources[3];
    for (unsigned i = 0; i < 3; i++) {
        struct lookup found = lookup_argument(inv, invocation_arg(inv, i));
        if (found.error != VESPER_OK)
            return result_lookup(&found, i + 1);
        struct cap cap = found.slot->cap;
        sources[i] = cap_is_null(cap) ? NULL : found.slot;
        if (sources[i] != NULL && cap_type(cap) != configure_types[i])
            return result_invalid_capability(i + 1);
    }
    if (sources[2] != NULL && !(cap_rights(sources[2]->cap) & VESPER_RIGHT_WRITE))
        return result_invalid_capability(3);
    invoke_domain_configure(inv->slot, sources);
    return result_ok();
}

static void invoke_set_ipc_buffer(struct cte *domain_slot, struct cte *frame, uintptr_t address)
{
    struct cap domain_cap = domain_slot->cap;
    struct domain *d = object_of(domain_cap);
    if (replace_slot(domain_slot, domain_cap, &d->slots[DOMAIN_SLOT_IPC_BUFFER], frame))
        d->ipc_buffer = address;
}

/* SetIPCBuffer(address, frame): the buffer lies at address, aligned to its
 * size, inside the frame, which the domain must be able to read and write
 * and which must be RAM (the kernel copies messages through it).
 * A CPtr to an empty slot removes the buffer. */
static struct syscall_result decode_set_ipc_buffer(const struct invocation *inv)
{
    if (inv->length < 2)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    vesper_word address = invocation_arg(inv, 0);
    struct lookup found = lookup_argument(inv, invocation_arg(inv, 1));
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

struct syscall_result decode_domain_invocation(const struct invocation *inv)
{
    switch (inv->label) {
    case VESPER_DOMAIN_CONFIGURE: return decode_configure(inv);
    case VESPER_DOMAIN_SET_IPC_BUFFER: return decode_set_ipc_buffer(inv);
    default: return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    }
}

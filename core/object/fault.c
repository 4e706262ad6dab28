/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Faults (see ipc.h): a domain's fault becomes a Call on its fault
 * endpoint, whose answer (reply.c) resumes or stops it; a domain with no
 * fault endpoint stops with a logged reason. A domain whose control block
 * asks for faults, with activations enabled, is upcalled instead
 * (activation.h).
 */
#include "activation.h"
#include "console.h"
#include "ipc.h"
#include "trace.h"

static const char *fault_name(uint32_t kind)
{
    switch (kind) {
    case VESPER_FAULT_UNKNOWN_SYSCALL: return "unknown syscall";
    case VESPER_FAULT_USER_EXCEPTION: return "user exception";
    case VESPER_FAULT_PAGE: return "page fault";
    default: return "fault";
    }
}

void fault_raise(struct domain *d, uint32_t kind, uint64_t w0, uint64_t w1, uint64_t w2,
                 uint64_t w3)
{
    const uint64_t words[4] = {w0, w1, w2, w3};
    if (activation_fault_upcall(d, kind, words)) {
        trace_fault(d, kind, words, NULL, d);
        return;
    }
    struct cap handler = d->slots[DOMAIN_SLOT_FAULT_ENDPOINT].cap;
    bool handled = cap_type(handler) == CAP_ENDPOINT;
    trace_fault(d, kind, words, handled ? object_of(handler) : NULL, NULL);
    if (!handled) {
        /* The domain named by its address as capabilities and Identify give
         * it, not the kernel's own pointer to it. */
        kprintf("vesper: domain 0x%lx stopped: %s (0x%lx, pc 0x%lx, 0x%lx) and no fault handler\n",
                (unsigned long)hal_user_address(d), fault_name(kind), (unsigned long)w0, (unsigned long)w1,
                (unsigned long)w2);
        domain_stop(d, 0);
        return;
    }
    d->fault = kind;
    d->fault_words[0] = w0;
    d->fault_words[1] = w1;
    d->fault_words[2] = w2;
    d->fault_words[3] = w3;
    uint32_t flags = IPC_CALL | IPC_FAULT;
    endpoint_send(d, object_of(handler), cap_badge(handler), flags, true);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The fuzzers' world (see world.h). */
#include <string.h>

#include <vesper/bootinfo.h>
#include <vesper/message.h>
#include <vesper/object.h>

#include "cspace.h"
#include "host.h"
#include "kernel.h"
#include "sched.h"
#include "state.h"
#include "world.h"

#define ROOT VESPER_ROOT_SLOT_CNODE
/* The slots the fuzzers use: the first quarter of the root CNode, which
 * holds every boot capability; fewer slots to survey per operation. */
#define SLOTS (1u << (VESPER_ROOT_CNODE_RADIX - 2))
#define DOMAINS 3
#define MAX_OPS 64

/* Which root slots hold which type, rebuilt before each operation. */
struct inventory {
    uint16_t slot[CAP_TYPE_COUNT][SLOTS];
    unsigned count[CAP_TYPE_COUNT];
    uint16_t empty[SLOTS];
    unsigned empties;
};

struct world {
    struct fuzz_input in;
    struct inventory inv;
    struct domain *domain[DOMAINS + 1]; /* [0] is the root */
    const struct vesper_bootinfo *info;
    /* The root CNode's slots, kept from boot: an input may delete every
     * capability to it, and its memory still tells what it held. */
    struct cte *slots;
};

static void take_inventory(struct world *w)
{
    struct cte *slots = w->slots;
    memset(w->inv.count, 0, sizeof w->inv.count);
    w->inv.empties = 0;
    for (unsigned i = 0; i < SLOTS; i++) {
        enum cap_type type = cap_type(slots[i].cap);
        if (type == CAP_NULL)
            w->inv.empty[w->inv.empties++] = (uint16_t)i;
        else if (type < CAP_TYPE_COUNT)
            w->inv.slot[type][w->inv.count[type]++] = (uint16_t)i;
    }
}

/* A CPtr for an argument that wants `type`: usually a slot that holds one,
 * sometimes any slot, rarely a raw word. */
static vesper_word pick(struct world *w, enum cap_type type)
{
    uint8_t b = fuzz_byte(&w->in);
    unsigned n = type == CAP_NULL ? w->inv.empties : w->inv.count[type];
    if (b < 200 && n > 0) {
        unsigned i = fuzz_byte(&w->in) % n;
        return type == CAP_NULL ? w->inv.empty[i] : w->inv.slot[type][i];
    }
    if (b < 250)
        return fuzz_u16(&w->in) % SLOTS;
    return fuzz_u64(&w->in);
}

static vesper_word any_cap(struct world *w)
{
    static const enum cap_type types[] = {CAP_UNTYPED, CAP_CNODE, CAP_DOMAIN, CAP_ENDPOINT,
                                          CAP_NOTIFICATION, CAP_REPLY, CAP_FRAME_4K, CAP_PDOM};
    return pick(w, types[fuzz_byte(&w->in) % (sizeof types / sizeof types[0])]);
}

/* A depth: mostly the root's full 64 bits, sometimes anything. */
static vesper_word depth(struct world *w)
{
    uint8_t b = fuzz_byte(&w->in);
    return b < 220 ? 64 : b % 70;
}

/* Make a syscall as the current domain. */
static void syscall_as_current(vesper_word number, const vesper_word *args, unsigned count)
{
    struct vesper_syscall_frame frame = {.number = number};
    for (unsigned i = 0; i < count && i < VESPER_SYSCALL_ARGS; i++)
        frame.arg[i] = args[i];
    host_syscall_as_current(&frame);
}

/* Invoke a capability as the current domain; words past four go through
 * its IPC buffer when it has one. */
static void invoke(vesper_word cptr, vesper_word label, unsigned count, const vesper_word *words)
{
    struct vesper_ipc_buffer *buffer = domain_ipc_buffer(kernel.current);
    vesper_word args[VESPER_SYSCALL_ARGS] = {cptr, vesper_tag(label, count, 0)};
    for (unsigned i = 0; i < count; i++) {
        if (i < VESPER_MSG_REGISTERS)
            args[2 + i] = words[i];
        else if (buffer != NULL)
            buffer->msg[i] = words[i];
    }
    syscall_as_current(VESPER_SYS_CALL, args, VESPER_SYSCALL_ARGS);
}

/* Let another runnable domain act, as a scheduler might. */
static void become(struct world *w)
{
    struct domain *d = w->domain[fuzz_byte(&w->in) % (DOMAINS + 1)];
    if (d == kernel.current || d->state != DOMAIN_RUNNABLE)
        return;
    queue_remove(&kernel.run_queue, d);
    queue_append(&kernel.run_queue, kernel.current);
    kernel.current = d;
}

/* ---- Capability operations ------------------------------------------- */

static void op_retype(struct world *w)
{
    vesper_word type = fuzz_byte(&w->in) % 11;
    vesper_word bits = (type == VESPER_OBJECT_UNTYPED ? 4 : 1) + fuzz_byte(&w->in) % 12;
    vesper_word words[7] = {type, bits, ROOT, 0, 0, pick(w, CAP_NULL), 1 + fuzz_byte(&w->in) % 4};
    invoke(pick(w, CAP_UNTYPED), VESPER_UNTYPED_RETYPE, 7, words);
}

static void op_copy_or_mint(struct world *w, bool mint)
{
    vesper_word words[7] = {pick(w, CAP_NULL), depth(w), ROOT, any_cap(w), depth(w),
                            fuzz_byte(&w->in) & 0x1f, fuzz_byte(&w->in)};
    if (mint && (words[6] & 0x80))
        words[6] = vesper_cnode_guard(fuzz_byte(&w->in) & 3, fuzz_byte(&w->in) % 60);
    invoke(ROOT, mint ? VESPER_CNODE_MINT : VESPER_CNODE_COPY, mint ? 7 : 6, words);
}

static void op_move_or_mutate(struct world *w, bool mutate)
{
    vesper_word words[6] = {pick(w, CAP_NULL), depth(w), ROOT, any_cap(w), depth(w),
                            vesper_cnode_guard(0, fuzz_byte(&w->in) % 58)};
    invoke(ROOT, mutate ? VESPER_CNODE_MUTATE : VESPER_CNODE_MOVE, mutate ? 6 : 5, words);
}

static void op_rotate(struct world *w)
{
    vesper_word src = any_cap(w);
    vesper_word dest = fuzz_byte(&w->in) & 1 ? src : pick(w, CAP_NULL);
    vesper_word words[10] = {dest, 64, ROOT, any_cap(w), 64, 0, ROOT, src, 64, 0};
    invoke(ROOT, VESPER_CNODE_ROTATE, 10, words);
}

static void op_delete_or_revoke(struct world *w, vesper_word label)
{
    vesper_word words[2] = {any_cap(w), depth(w)};
    invoke(ROOT, label, 2, words);
}

/* A CNode operation on a raw address and depth: lookups through arbitrary
 * guards and levels. */
static void op_raw_lookup(struct world *w)
{
    vesper_word words[6] = {fuzz_u64(&w->in), fuzz_byte(&w->in) % 70, fuzz_u64(&w->in) % SLOTS,
                            fuzz_u64(&w->in), fuzz_byte(&w->in) % 70, VESPER_RIGHTS_ALL};
    invoke(pick(w, CAP_CNODE), VESPER_CNODE_COPY, 6, words);
}

static void op_domain(struct world *w)
{
    vesper_word domain = pick(w, CAP_DOMAIN);
    if (fuzz_byte(&w->in) & 1) {
        vesper_word words[3] = {pick(w, CAP_CNODE), pick(w, CAP_PDOM), pick(w, CAP_ENDPOINT)};
        invoke(domain, VESPER_DOMAIN_CONFIGURE, 3, words);
    } else {
        vesper_word words[1] = {pick(w, CAP_NOTIFICATION)};
        invoke(domain, VESPER_DOMAIN_BIND_NOTIFICATION + (fuzz_byte(&w->in) & 1), 1, words);
    }
}

static void op_irq(struct world *w)
{
    if (fuzz_byte(&w->in) & 1) {
        vesper_word words[4] = {fuzz_byte(&w->in) % 20, ROOT, pick(w, CAP_NULL), 64};
        invoke(VESPER_ROOT_SLOT_IRQ_CONTROL, VESPER_IRQ_CONTROL_GET, 4, words);
    } else {
        vesper_word words[1] = {pick(w, CAP_NOTIFICATION)};
        invoke(pick(w, CAP_IRQ_HANDLER), VESPER_IRQ_HANDLER_SET_NOTIFICATION, 1, words);
    }
}

static void cap_op(struct world *w, uint8_t op)
{
    switch (op % 12) {
    case 0: op_retype(w); break;
    case 1: op_copy_or_mint(w, false); break;
    case 2: op_copy_or_mint(w, true); break;
    case 3: op_move_or_mutate(w, false); break;
    case 4: op_move_or_mutate(w, true); break;
    case 5: op_rotate(w); break;
    case 6: op_delete_or_revoke(w, VESPER_CNODE_DELETE); break;
    case 7: op_delete_or_revoke(w, VESPER_CNODE_REVOKE); break;
    case 8: op_raw_lookup(w); break;
    case 9: op_domain(w); break;
    case 10: op_irq(w); break;
    default: op_delete_or_revoke(w, VESPER_CNODE_CANCEL_BADGED_SENDS); break;
    }
}

/* ---- IPC operations ---------------------------------------------------- */

/* Fill the current domain's IPC buffer with words, capabilities to send and
 * a receive slot. */
static void fill_buffer(struct world *w)
{
    struct vesper_ipc_buffer *buffer = domain_ipc_buffer(kernel.current);
    if (buffer == NULL)
        return;
    for (int i = 0; i < 3; i++)
        buffer->caps_or_badges[i] = any_cap(w);
    buffer->receive_cnode = ROOT;
    buffer->receive_index = pick(w, CAP_NULL);
    buffer->receive_depth = depth(w);
    buffer->msg[VESPER_MSG_REGISTERS + fuzz_byte(&w->in) % 8] = fuzz_u64(&w->in);
}

static void ipc_op(struct world *w, uint8_t op)
{
    /* Number 9 names no syscall: a fault, delivered to the fault endpoint
     * that two of the domains have. */
    static const vesper_word numbers[] = {
        VESPER_SYS_CALL, VESPER_SYS_REPLY_RECV, VESPER_SYS_SEND, VESPER_SYS_NB_SEND,
        VESPER_SYS_RECV, VESPER_SYS_NB_RECV, VESPER_SYS_REPLY, VESPER_SYS_YIELD, 9};
    if (op % 8 == 7) {
        cap_op(w, op % 3 == 0 ? 6 : (op % 3 == 1 ? 7 : 11)); /* delete, revoke, cancel */
        return;
    }
    if (op % 8 == 6) {
        fill_buffer(w);
        return;
    }
    uint8_t b = fuzz_byte(&w->in);
    vesper_word number = numbers[b % (b & 0x80 ? 9 : 8)];
    enum cap_type want = (b & 8) ? CAP_NOTIFICATION : CAP_ENDPOINT;
    if (number == VESPER_SYS_REPLY)
        want = CAP_REPLY;
    uint8_t length = fuzz_byte(&w->in);
    vesper_word args[VESPER_SYSCALL_ARGS] = {
        pick(w, want), vesper_tag(fuzz_byte(&w->in) % 4, length % 8 == 0 ? length : length % 5,
                                  fuzz_byte(&w->in) % 4),
        fuzz_byte(&w->in), fuzz_u64(&w->in), 0, 0, pick(w, CAP_REPLY)};
    syscall_as_current(number, args, VESPER_SYSCALL_ARGS);
}

/* ---- The world ------------------------------------------------------- */

static vesper_word largest_untyped(const struct vesper_bootinfo *info)
{
    vesper_word best = 0;
    for (vesper_word i = 1; i < info->untyped_count; i++)
        if (info->untyped[i].size_bits > info->untyped[best].size_bits)
            best = i;
    return info->untyped_first + best;
}

static void setup_call(vesper_word cptr, vesper_word label, unsigned count, const vesper_word *w)
{
    invoke(cptr, label, count, w);
    if (kernel_current_context() != NULL &&
        kernel.current->context.frame.arg[0] != VESPER_OK)
        fuzz_fail("setting up the fuzz world failed");
}

/* Root makes: 3 Endpoints, 2 Notifications, 3 Replies, then per domain a
 * Domain, a 4 KiB stack frame and an IPC buffer frame; configures and
 * starts each. Objects go to consecutive empty slots. The first two
 * domains take the first Endpoint as their fault endpoint. */
static void setup(struct world *w)
{
    w->info = hal_kernel_view(kernel.root_bootinfo, sizeof *w->info);
    w->slots = cnode_slots(kernel.root->slots[DOMAIN_SLOT_CSPACE].cap);
    vesper_word untyped = largest_untyped(w->info);
    vesper_word next = w->info->empty_first;
    static const vesper_word kinds[][2] = {
        {VESPER_OBJECT_ENDPOINT, 3}, {VESPER_OBJECT_NOTIFICATION, 2}, {VESPER_OBJECT_REPLY, 3}};
    for (unsigned k = 0; k < 3; k++) {
        vesper_word words[7] = {kinds[k][0], 0, ROOT, 0, 0, next, kinds[k][1]};
        setup_call(untyped, VESPER_UNTYPED_RETYPE, 7, words);
        next += kinds[k][1];
    }
    w->domain[0] = kernel.root;
    for (unsigned d = 1; d <= DOMAINS; d++) {
        vesper_word dom = next++, stack = next++, ipc = next++;
        vesper_word r1[7] = {VESPER_OBJECT_DOMAIN, 0, ROOT, 0, 0, dom, 1};
        vesper_word r2[7] = {VESPER_OBJECT_FRAME_4K, 0, ROOT, 0, 0, stack, 2};
        setup_call(untyped, VESPER_UNTYPED_RETYPE, 7, r1);
        setup_call(untyped, VESPER_UNTYPED_RETYPE, 7, r2);
        vesper_word first_endpoint = w->info->empty_first;
        vesper_word conf[3] = {ROOT, VESPER_ROOT_SLOT_PDOM, d <= 2 ? first_endpoint : 0};
        setup_call(dom, VESPER_DOMAIN_CONFIGURE, 3, conf);
        struct cte *slots = w->slots;
        uintptr_t stack_base = cap_address(slots[stack].cap);
        uintptr_t buffer = cap_address(slots[ipc].cap);
        vesper_word set[2] = {buffer, ipc};
        setup_call(dom, VESPER_DOMAIN_SET_IPC_BUFFER, 2, set);
        vesper_word start[4] = {0x1000, stack_base, 4096, d};
        setup_call(dom, VESPER_DOMAIN_START, 4, start);
        w->domain[d] = object_of(slots[dom].cap);
    }
}

void fuzz_world_run(const uint8_t *data, size_t size, enum fuzz_op_set ops)
{
    struct world w = {.in = {data, size}};
    fuzz_boot();
    setup(&w);
    fuzz_check_invariants("setting up");
    for (int n = 0; n < MAX_OPS && !fuzz_done(&w.in) && kernel_current_context() != NULL; n++) {
        take_inventory(&w);
        uint8_t op = fuzz_byte(&w.in);
        if ((op & 0xe0) == 0xe0)
            become(&w);
        else if (ops == FUZZ_CAPS)
            cap_op(&w, op);
        else
            ipc_op(&w, op);
        fuzz_check_invariants(ops == FUZZ_CAPS ? "a capability operation" : "an IPC operation");
    }
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Shared fuzz harness support (see fuzz_harness.h). */
#include <stdio.h>
#include <stdlib.h>

#include <vesper/control.h>
#include <vesper/message.h>

#include "activation.h"
#include "cdt.h"
#include "cspace.h"
#include "fuzz_harness.h"
#include "host.h"
#include "invariants.h"
#include "kernel.h"
#include "kernel_trace.h"
#include "objects.h"
#include "state.h"
#include "unzeroed.h"

static char console[4096];

void (*fuzz_trace)(const struct fuzz_event *event);

uint8_t fuzz_byte(struct fuzz_input *in)
{
    if (in->size == 0)
        return 0;
    in->size--;
    return *in->data++;
}

uint16_t fuzz_u16(struct fuzz_input *in)
{
    uint16_t low = fuzz_byte(in);
    return (uint16_t)(low | (uint16_t)fuzz_byte(in) << 8);
}

uint64_t fuzz_u64(struct fuzz_input *in)
{
    uint64_t value = 0;
    for (int i = 0; i < 8; i++)
        value |= (uint64_t)fuzz_byte(in) << (8 * i);
    return value;
}

int fuzz_done(const struct fuzz_input *in)
{
    return in->size == 0;
}

/* Domains never run under the fuzzer: the harness makes their syscalls. */
static void idle_root_entry(uint64_t bootinfo)
{
    (void)bootinfo;
}

/* The trace's names for domains: their index in the order first met. A
 * domain made later at the same address takes the same name. */
#define NAMED_MAX 32
static const struct domain *named[NAMED_MAX];
static int named_count;

static int domain_name(const struct domain *d)
{
    if (d == NULL)
        return -1;
    for (int i = 0; i < named_count; i++)
        if (named[i] == d)
            return i;
    if (named_count == NAMED_MAX)
        return NAMED_MAX;
    named[named_count] = d;
    return named_count++;
}

/* What an event names a domain by: its name, or, with none, whether the
 * kernel idles or has shut down. */
static int who(const struct domain *d)
{
    if (!kernel.running)
        return FUZZ_NO_DOMAIN;
    return d != NULL ? domain_name(d) : FUZZ_IDLE;
}

/* The kernel's trace is on in half the fuzzed runs (the harness chooses by
 * the input's length), so that its trace points see hostile syscalls too
 * and the untraced entry, the one a kernel without a trace sink runs, is
 * fuzzed as well. Each event must be of a known kind, in that kind's
 * category, never earlier than the last, and a syscall's outcome must be
 * one the header names. */
static const uint32_t trace_category_of[] = {
    [KERNEL_TRACE_SYSCALL_END] = KERNEL_TRACE_SYSCALL,
    [KERNEL_TRACE_IPC_MESSAGE] = KERNEL_TRACE_IPC,
    [KERNEL_TRACE_IPC_BLOCK] = KERNEL_TRACE_IPC,
    [KERNEL_TRACE_IPC_SIGNAL] = KERNEL_TRACE_IPC,
    [KERNEL_TRACE_IPC_TRANSFER] = KERNEL_TRACE_IPC,
    [KERNEL_TRACE_SWITCH] = KERNEL_TRACE_SCHED,
    [KERNEL_TRACE_UPCALL] = KERNEL_TRACE_SCHED,
    [KERNEL_TRACE_STOP] = KERNEL_TRACE_SCHED,
    [KERNEL_TRACE_TIMER] = KERNEL_TRACE_SCHED,
    [KERNEL_TRACE_RETYPE] = KERNEL_TRACE_CAP,
    [KERNEL_TRACE_DESTROY] = KERNEL_TRACE_CAP,
    [KERNEL_TRACE_FAULT_TAKEN] = KERNEL_TRACE_FAULT,
    [KERNEL_TRACE_IRQ_RAISED] = KERNEL_TRACE_IRQ,
};
static uint64_t last_trace_ns;

static void check_trace_event(const struct kernel_trace_event *e)
{
    if (e->kind >= sizeof trace_category_of / sizeof trace_category_of[0] ||
        trace_category_of[e->kind] != e->category)
        fuzz_fail("a trace event of no known kind, or in another kind's category");
    if (e->time_ns < last_trace_ns)
        fuzz_fail("a trace event earlier than the one before it");
    last_trace_ns = e->time_ns;
    if (e->kind == KERNEL_TRACE_SYSCALL_END &&
        (e->outcome > KERNEL_TRACE_FASTPATH || e->msg_length > KERNEL_TRACE_MSG_WORDS))
        fuzz_fail("a syscall's trace event with an outcome or length out of range");
}

void fuzz_boot(bool kernel_trace)
{
    kernel_trace_set(kernel_trace ? KERNEL_TRACE_ALL : 0, kernel_trace ? check_trace_event : NULL);
    last_trace_ns = 0;
    host_machine_scrub(false);
    host_machine_devices(FUZZ_DEVICE_MEMORY);
    if (host_machine_reset(FUZZ_MEMORY, (uintptr_t)idle_root_entry) != 0)
        abort();
    host_console_capture(console, sizeof console);
    if (kernel_boot() == NULL)
        abort();
    named_count = 0;
    domain_name(kernel.root);
}

_Noreturn void fuzz_fail(const char *what)
{
    fprintf(stderr, "vesper fuzz: %s\n", what);
    abort();
}

/* What the checker leaves out for its cost: the memory of every RAM
 * Untyped above its watermark holds zeros (core/object/untyped.c), but in
 * blocks not zeroed since boot (unzeroed.h). */
static const char *check_unused_memory_zero(void)
{
    for (const struct cte *s = cdt_next(&kernel.cdt_head); s != NULL; s = cdt_next(s)) {
        struct cap c = s->cap;
        if (cap_type(c) != CAP_UNTYPED || untyped_is_device(c))
            continue;
        uintptr_t at = cap_address(c) + (uintptr_t)untyped_watermark(c);
        uintptr_t end = cap_address(c) + ((uintptr_t)1 << untyped_size_bits(c));
        /* A page at a time, its words ORed, so that the fuzzer's comparison
         * hooks see one comparison per page, not one per word. */
        while (at < end) {
            uintptr_t next = (at | (HAL_PAGE_SIZE - 1)) + 1;
            next = next < end ? next : end;
            const uint64_t *word = hal_kernel_view(at, next - at);
            uint64_t any = 0;
            for (size_t i = 0; word != NULL && i < (next - at) / 8; i++)
                any |= word[i];
            if (any != 0 && !unzeroed_contains(at))
                return "an Untyped's memory above its watermark is not zero";
            at = next;
        }
    }
    return NULL;
}

void fuzz_check_invariants(const char *after)
{
    const char *violation = kernel_check_invariants();
    if (violation == NULL)
        return;
    fprintf(stderr, "vesper fuzz: invariant broken after %s: %s\n", after, violation);
    abort();
}

void fuzz_check_unused_memory(void)
{
    const char *violation = check_unused_memory_zero();
    if (violation != NULL)
        fuzz_fail(violation);
}

/* ---- Kernel entries and their trace ------------------------------------ */

/* Upcalls in the trace. An entry may upcall only a domain it gives the
 * CPU to: one from the run queue, the idle scheduler, or the current
 * domain when it leaves and is chosen again. Before the entry, the upcall
 * counters of those; after it, the next domain's counter tells whether
 * it was upcalled. */
#define WATCHED_MAX 8
static struct {
    const struct domain *domain;
    uint64_t upcalls;
} watched[WATCHED_MAX];
static int watched_count;

static void watch(const struct domain *d)
{
    const struct vesper_control *block = d != NULL ? activation_block(d) : NULL;
    if (block == NULL || watched_count == WATCHED_MAX)
        return;
    watched[watched_count].domain = d;
    watched[watched_count].upcalls = block->upcalls;
    watched_count++;
}

static void watch_upcalls(void)
{
    watched_count = 0;
    if (!kernel.running)
        return;
    watch(kernel.current);
    watch(kernel.scheduler);
    for (const struct domain *d = kernel.run_queue.head; d != NULL; d = d->queue_next)
        watch(d);
}

static unsigned upcall_made(const struct domain *next)
{
    const struct vesper_control *block = next != NULL ? activation_block(next) : NULL;
    for (int i = 0; i < watched_count && block != NULL; i++)
        if (watched[i].domain == next && watched[i].upcalls != block->upcalls)
            return (unsigned)block->reason;
    return 0;
}

/* What the trace records before an entry: who acts, and with what. */
static void trace_before(struct fuzz_event *e, enum fuzz_event_kind kind, uint64_t number,
                         const uint64_t *arg)
{
    struct domain *actor = kernel.running ? kernel.current : NULL;
    *e = (struct fuzz_event){.kind = kind, .number = number, .invoked = -1, .about = -1};
    e->actor = who(actor);
    watch_upcalls();
    for (int i = 0; i < VESPER_SYSCALL_ARGS; i++)
        e->arg[i] = arg[i];
    if (kind != FUZZ_EVENT_SYSCALL || actor == NULL)
        return;
    struct lookup found = cspace_lookup_invocation(actor->slots[DOMAIN_SLOT_CSPACE].cap, arg[0]);
    if (found.error == VESPER_OK)
        e->invoked = (int)cap_type(found.slot->cap);
    const struct vesper_ipc_buffer *buffer = domain_ipc_buffer(actor);
    unsigned length = vesper_tag_length(arg[1]);
    unsigned readable = buffer != NULL ? FUZZ_EVENT_WORDS : VESPER_MSG_REGISTERS;
    for (e->words = 0; e->words < length && e->words < readable; e->words++)
        e->word[e->words] = e->words < VESPER_MSG_REGISTERS ? arg[2 + e->words]
                                                           : buffer->msg[e->words];
}

/* What the trace records after it, then hands on. */
static void trace_after(struct fuzz_event *e, const struct domain *actor,
                        const struct vesper_syscall_frame *results)
{
    if (actor != NULL)
        e->state = actor->state;
    if (results != NULL)
        for (int i = 0; i < VESPER_SYSCALL_ARGS; i++)
            e->result[i] = results->arg[i];
    e->next = who(kernel.running ? kernel.current : NULL);
    e->status = kernel_exit_status();
    if (kernel.running && e->kind != FUZZ_EVENT_SWITCH)
        e->upcall = upcall_made(kernel.current);
    fuzz_trace(e);
}

static struct hal_context *enter_with_syscall(struct vesper_syscall_frame *frame)
{
    struct hal_context *ctx = kernel_current_context();
    if (ctx == NULL)
        return kernel_entry_syscall(); /* a stopped kernel: it must stay so */
    ctx->in_exception = 0; /* the domain was resumed before it made this call */
    struct domain *caller = kernel.current;
    struct hal_context *next = host_syscall_as_current(frame);
    /* Stopped at a preemption point: the caller makes the call again, as
     * host_trap() has it do, for as long as it still runs (the test hook
     * leaves nothing else waiting; a timer would run another domain first,
     * and the caller's next operation is then a new call). */
    for (unsigned attempts = 0; kernel.running && kernel.current == caller &&
                                caller->context.restart;
         attempts++) {
        if (attempts > 100000)
            fuzz_fail("a preempted operation made no progress");
        fuzz_check_invariants("a preempted operation");
        caller->context.restart = 0;
        next = host_syscall_as_current(frame);
    }
    return next;
}

struct hal_context *fuzz_syscall(struct vesper_syscall_frame *frame)
{
    if (fuzz_trace == NULL)
        return enter_with_syscall(frame);
    struct fuzz_event event;
    struct domain *actor = kernel.running ? kernel.current : NULL;
    trace_before(&event, FUZZ_EVENT_SYSCALL, frame->number, frame->arg);
    struct hal_context *next = enter_with_syscall(frame);
    trace_after(&event, actor, frame);
    return next;
}

struct hal_context *fuzz_exception(uint32_t kind, uint64_t cause, uint64_t address,
                                   uint64_t pc)
{
    struct hal_context *ctx = kernel_current_context();
    if (ctx != NULL) {
        /* What exceptions.c records before it enters the kernel. */
        ctx->exception_pc = pc;
        ctx->resume_pc = pc;
        ctx->in_exception = 1;
    }
    if (fuzz_trace == NULL)
        return kernel_entry_exception(kind, cause, address, (unsigned)(cause & 7));
    struct fuzz_event event;
    struct domain *actor = kernel.running ? kernel.current : NULL;
    uint64_t arg[VESPER_SYSCALL_ARGS] = {cause, address, pc};
    trace_before(&event, FUZZ_EVENT_EXCEPTION, kind, arg);
    struct hal_context *next = kernel_entry_exception(kind, cause, address, (unsigned)(cause & 7));
    trace_after(&event, actor, NULL);
    return next;
}

struct hal_context *fuzz_timer(void)
{
    if (fuzz_trace == NULL)
        return kernel_entry_timer();
    struct fuzz_event event;
    struct domain *actor = kernel.running ? kernel.current : NULL;
    uint64_t arg[VESPER_SYSCALL_ARGS] = {0};
    trace_before(&event, FUZZ_EVENT_TIMER, 0, arg);
    struct hal_context *next = kernel_entry_timer();
    trace_after(&event, actor, NULL);
    return next;
}

/* What became of a line after its interrupt entry (enum fuzz_line_state). */
static uint64_t line_state(unsigned line)
{
    if (line >= hal_irq_count())
        return FUZZ_LINE_OUT_OF_RANGE;
    if (!kernel.irq[line].claimed)
        return FUZZ_LINE_UNCLAIMED;
    return cap_is_null(kernel.irq[line].notification.cap) ? FUZZ_LINE_UNBOUND
                                                          : FUZZ_LINE_SIGNALLED;
}

struct domain *fuzz_line_driver(unsigned line)
{
    if (line >= hal_irq_count() || !kernel.irq[line].claimed)
        return NULL;
    struct cap binding = kernel.irq[line].notification.cap;
    if (cap_is_null(binding))
        return NULL;
    const struct notification *n = object_of(binding);
    if (n->queue.head != NULL)
        return n->queue.head;
    return n->bound != NULL && n->bound->state == DOMAIN_BLOCKED_RECV ? n->bound : NULL;
}

struct hal_context *fuzz_irq(unsigned line)
{
    if (fuzz_trace == NULL)
        return kernel_entry_irq(line);
    struct fuzz_event event;
    struct domain *actor = kernel.running ? kernel.current : NULL;
    const struct domain *driver = kernel.running ? fuzz_line_driver(line) : NULL;
    static const uint64_t none[VESPER_SYSCALL_ARGS];
    trace_before(&event, FUZZ_EVENT_IRQ, line, none);
    if (driver != NULL)
        event.about = domain_name(driver);
    struct hal_context *next = kernel_entry_irq(line);
    struct vesper_syscall_frame after = {.arg = {line_state(line)}};
    trace_after(&event, actor, &after);
    return next;
}

struct hal_context *fuzz_no_wakeup(void)
{
    if (fuzz_trace == NULL)
        return kernel_entry_no_wakeup();
    struct fuzz_event event;
    struct domain *actor = kernel.running ? kernel.current : NULL;
    static const uint64_t none[VESPER_SYSCALL_ARGS];
    trace_before(&event, FUZZ_EVENT_NO_WAKEUP, 0, none);
    struct hal_context *next = kernel_entry_no_wakeup();
    trace_after(&event, actor, NULL);
    return next;
}

void fuzz_note(enum fuzz_event_kind kind, uint64_t number, const uint64_t *arg)
{
    fuzz_note_about(kind, number, NULL, arg);
}

void fuzz_note_about(enum fuzz_event_kind kind, uint64_t number, const struct domain *about,
                     const uint64_t *arg)
{
    if (fuzz_trace == NULL)
        return;
    struct fuzz_event event;
    static const uint64_t none[VESPER_SYSCALL_ARGS];
    trace_before(&event, kind, number, arg != NULL ? arg : none);
    if (about != NULL)
        event.about = domain_name(about);
    if (kind == FUZZ_EVENT_SWITCH)
        event.upcall = (unsigned)number; /* the harness made it (world.c) */
    watched_count = 0; /* no entry: nothing to compare */
    trace_after(&event, NULL, NULL);
}

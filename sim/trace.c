/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * vesper-sim's trace (trace.h): the kernel's events (kernel_trace.h) as
 * text lines and as Chrome Trace Event JSON.
 *
 * The same program, input and seed give the same bytes: every address the
 * kernel names is one of the simulated machine's, at fixed places, except
 * code and data of the program itself, which Linux loads at a random
 * place; those are written relative to the image's start ("image+0x...").
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libos/libos.h>
#include <vesper/control.h>
#include <vesper/object.h>

#include "host.h"
#include "invocation_names.h"
#include "kernel_trace.h"
#include "trace.h"
#include "view.h"

static struct sim_trace_options trace;
static uint64_t event_count;
static uint64_t kind_counts[SIM_TRACE_KINDS];
_Static_assert(KERNEL_TRACE_IRQ_RAISED < SIM_TRACE_KINDS, "a count for every kind");
static bool stopped;
static bool json_first = true;

/* The program's image, as the linker bounds it. */
extern const char __executable_start[];
extern const char _end[];

/* ---- Names ----------------------------------------------------------- */

static const char *const category_names[] = {"syscall", "ipc", "sched", "cap", "fault", "irq"};
#define CATEGORY_COUNT (sizeof category_names / sizeof category_names[0])

bool sim_trace_parse_categories(const char *list, unsigned *mask)
{
    *mask = 0;
    const char *p = list;
    for (;;) {
        size_t n = strcspn(p, ",");
        unsigned found = 0;
        if (n == 3 && strncmp(p, "all", 3) == 0)
            found = KERNEL_TRACE_ALL;
        for (unsigned i = 0; i < CATEGORY_COUNT; i++)
            if (strlen(category_names[i]) == n && strncmp(p, category_names[i], n) == 0)
                found = 1u << i;
        if (found == 0)
            return false;
        *mask |= found;
        if (p[n] == '\0')
            return true;
        p += n + 1;
    }
}

static const char *category_name(unsigned category)
{
    for (unsigned i = 0; i < CATEGORY_COUNT; i++)
        if (category == 1u << i)
            return category_names[i];
    return "?";
}

static const char *const object_names[] = {
    "Null", "Untyped", "CNode", "Domain", "Endpoint", "Notification", "Reply",
    "Frame4K", "Frame2M", "PDom", "PageTable", "IRQControl", "IRQHandler", "SchedControl",
};

static const char *object_name(uint64_t type)
{
    if (type < sizeof object_names / sizeof object_names[0])
        return object_names[type];
    return "?";
}

static const struct invocation_name *invocation_named(uint64_t label)
{
    for (unsigned i = 0; i < invocation_name_count; i++)
        if (invocation_names[i].label == label)
            return &invocation_names[i];
    return NULL;
}

static const char *lookup_failure_name(uint64_t failure)
{
    switch (failure) {
    case VESPER_LOOKUP_INVALID_ROOT: return "the root is not a CNode";
    case VESPER_LOOKUP_MISSING_CAPABILITY: return "missing capability";
    case VESPER_LOOKUP_DEPTH_MISMATCH: return "depth mismatch";
    case VESPER_LOOKUP_GUARD_MISMATCH: return "guard mismatch";
    default: return "lookup failed";
    }
}

const char *sim_fault_name(uint64_t kind)
{
    switch (kind) {
    case VESPER_FAULT_UNKNOWN_SYSCALL: return "unknown syscall";
    case VESPER_FAULT_USER_EXCEPTION: return "user exception";
    case VESPER_FAULT_PAGE: return "page fault";
    default: return "other";
    }
}

static const char *upcall_reason_name(uint64_t reason)
{
    switch (reason & VESPER_UPCALL_REASON_MASK) {
    case VESPER_UPCALL_PREEMPTED: return "preempted";
    case VESPER_UPCALL_SCHEDULE: return "schedule";
    case VESPER_UPCALL_EVENT: return "event";
    case VESPER_UPCALL_FAULT: return "fault";
    default: return "?";
    }
}

static const char *wait_name(uint64_t wait)
{
    switch (wait) {
    case KERNEL_TRACE_WAIT_SEND: return "waits to send on endpoint";
    case KERNEL_TRACE_WAIT_RECEIVE: return "waits to receive on endpoint";
    case KERNEL_TRACE_WAIT_REPLY: return "waits for the answer, reply object";
    case KERNEL_TRACE_WAIT_NOTIFICATION: return "waits on notification";
    default: return "waits on";
    }
}

/* ---- A line of text ---------------------------------------------------- */

/* A growing line: what one event says. */
struct line {
    char text[1024];
    size_t length;
};

static void say(struct line *l, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void say(struct line *l, const char *format, ...)
{
    if (l->length >= sizeof l->text)
        return;
    va_list args;
    va_start(args, format);
    int n = vsnprintf(l->text + l->length, sizeof l->text - l->length, format, args);
    va_end(args);
    if (n > 0)
        l->length += (size_t)n;
    if (l->length >= sizeof l->text)
        l->length = sizeof l->text - 1;
}

/* Where Linux puts a process's own memory on the 64-bit hosts: the
 * program, its heap, its stacks and mappings. The simulated machine lies
 * below (host.h). */
#define HOST_PROCESS_LOW UINT64_C(0x550000000000)
#define HOST_PROCESS_HIGH UINT64_C(0x800000000000)

/* A word: in hexadecimal (0 to 9 need no prefix); relative to the image
 * when it points into it; and only as "host" when it points elsewhere in
 * the process (a domain's host stack, say), which moves from run to run. */
static void say_word(struct line *l, uint64_t word)
{
    uintptr_t start = (uintptr_t)__executable_start, end = (uintptr_t)_end;
    if (word < 10)
        say(l, "%u", (unsigned)word);
    else if (word >= start && word < end)
        say(l, "image+0x%" PRIx64, word - start);
    else if (word >= HOST_PROCESS_LOW && word < HOST_PROCESS_HIGH)
        say(l, "host");
    else
        say(l, "0x%" PRIx64, word);
}

static void say_words(struct line *l, const uint64_t *words, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        say(l, i == 0 ? "" : " ");
        say_word(l, words[i]);
    }
}

/* An invocation's message: its words by name. */
static void say_invocation(struct line *l, const struct kernel_trace_event *e)
{
    uint64_t label = vesper_tag_label(e->in[1]);
    const struct invocation_name *name = invocation_named(label);
    say(l, "cap 0x%" PRIx64 " %s.", e->in[0], object_name(e->invoked));
    if (name == NULL) {
        say(l, "label %" PRIu64 "(", label);
        say_words(l, e->msg, e->msg_length);
        say(l, ")");
        return;
    }
    say(l, "%s(", name->operation);
    for (unsigned i = 0; i < name->word_count && i < e->msg_length; i++) {
        say(l, "%s%s ", i == 0 ? "" : ", ", name->words[i]);
        if (strcmp(name->words[i], "type") == 0)
            say(l, "%s", object_name(e->msg[i]));
        else
            say_word(l, e->msg[i]);
    }
    say(l, ")");
}

/* A message in registers: label, length and the words there. */
static void say_message(struct line *l, uint64_t tag, const uint64_t *words)
{
    unsigned length = vesper_tag_length(tag);
    say(l, "label 0x%" PRIx64 " words %u", vesper_tag_label(tag), length);
    if (length > 0) {
        say(l, " [");
        say_words(l, words, length < 4 ? length : 4);
        say(l, length > 4 ? " ...]" : "]");
    }
    unsigned caps = vesper_tag_caps(tag);
    if (caps != 0)
        say(l, " caps %u", caps);
}

static void say_syscall_call(struct line *l, const struct kernel_trace_event *e)
{
    switch (e->number) {
    case VESPER_SYS_CALL:
        if (e->invoked != KERNEL_TRACE_NO_OBJECT) {
            say_invocation(l, e);
            return;
        }
        say(l, "cap 0x%" PRIx64 " ", e->in[0]);
        say_message(l, e->in[1], &e->in[2]);
        return;
    case VESPER_SYS_SEND:
    case VESPER_SYS_NB_SEND:
    case VESPER_SYS_REPLY_RECV:
        say(l, "cap 0x%" PRIx64 " ", e->in[0]);
        say_message(l, e->in[1], &e->in[2]);
        if (e->number == VESPER_SYS_REPLY_RECV)
            say(l, " reply cap 0x%" PRIx64, e->in[6]);
        return;
    case VESPER_SYS_RECV:
    case VESPER_SYS_NB_RECV: say(l, "cap 0x%" PRIx64 " reply cap 0x%" PRIx64, e->in[0], e->in[6]); return;
    case VESPER_SYS_REPLY: say_message(l, e->in[1], &e->in[2]); return;
    case VESPER_SYS_RESUME:
        say(l, "context ");
        say_word(l, e->in[0]);
        return;
    case VESPER_SYS_EXIT: say(l, "status %" PRIu64, e->in[0]); return;
    case VESPER_SYS_DEBUG_PRINT: say(l, "%" PRIu64 " bytes", e->in[1]); return;
    case VESPER_SYS_DEBUG_IDENTIFY: say(l, "cap 0x%" PRIx64, e->in[0]); return;
    default: return;
    }
}

/* Why a refused syscall was refused: its error, what the error's words
 * say, and the kernel function that refused it. */
static void say_refusal(struct line *l, const struct kernel_trace_event *e)
{
    enum vesper_error error = (enum vesper_error)e->out[0];
    say(l, "%s", vesper_error_name(error));
    switch (error) {
    case VESPER_ERR_FAILED_LOOKUP:
        say(l, " (%s, %" PRIu64 " bits left, argument %" PRIu64 ")",
            lookup_failure_name(e->out[1]), e->out[2], e->out[3]);
        break;
    case VESPER_ERR_INVALID_ARGUMENT: say(l, " (word %" PRIu64 ")", e->out[1]); break;
    case VESPER_ERR_INVALID_CAPABILITY: say(l, " (capability %" PRIu64 ")", e->out[1]); break;
    case VESPER_ERR_RANGE: say(l, " (allowed %" PRIu64 "..%" PRIu64 ")", e->out[1], e->out[2]); break;
    default: break;
    }
    if (e->site != NULL)
        say(l, " at %s", e->site);
}

static void say_syscall(struct line *l, const struct kernel_trace_event *e)
{
    const char *name = vesper_syscall_name(e->number);
    if (name != NULL)
        say(l, "%s ", name);
    else
        say(l, "syscall %" PRIu64 " ", e->number);
    say_syscall_call(l, e);
    say(l, " -> ");
    switch (e->outcome) {
    case KERNEL_TRACE_FASTPATH: say(l, "fast path: the partner runs"); return;
    case KERNEL_TRACE_BLOCKED: say(l, "blocks"); return;
    case KERNEL_TRACE_STOPPED: say(l, "stopped"); return;
    case KERNEL_TRACE_RESTART: say(l, "preempted: made again when it next runs"); return;
    default: break;
    }
    if (e->out[0] != VESPER_OK) {
        say_refusal(l, e);
        return;
    }
    say(l, "OK");
    bool replies = (e->number == VESPER_SYS_CALL && e->invoked != KERNEL_TRACE_NO_OBJECT) ||
                   e->number == VESPER_SYS_DEBUG_IDENTIFY;
    if (replies && vesper_tag_length(e->out[1]) > 0) {
        say(l, " reply [");
        unsigned n = vesper_tag_length(e->out[1]);
        say_words(l, &e->out[2], n < 4 ? n : 4);
        say(l, "]");
    }
}

static void say_ipc_message(struct line *l, const struct kernel_trace_event *e)
{
    uint64_t flags = e->in[6];
    if (flags & KERNEL_TRACE_MESSAGE_FAULT)
        say(l, "fault message");
    else if (e->object == 0)
        say(l, "reply");
    else
        say(l, (flags & KERNEL_TRACE_MESSAGE_CALL) ? "call" : "send");
    if (e->object != 0)
        say(l, " through endpoint 0x%" PRIxPTR, e->object);
    if (e->in[5] != 0)
        say(l, " badge 0x%" PRIx64, e->in[5]);
    say(l, " ");
    say_message(l, e->in[0], &e->in[1]);
    uint64_t unwrapped = (e->in[0] >> 9) & 7u; /* capabilities that arrived as badges */
    if (unwrapped != 0)
        say(l, " (unwrapped: mask 0x%" PRIx64 ")", unwrapped);
    say(l, " -> 0x%" PRIxPTR, e->other);
}

static void say_transfer(struct line *l, const struct kernel_trace_event *e)
{
    struct view_cap cap = {.type = (enum cap_type)e->number, .rights = (unsigned)e->in[0]};
    char rights[5];
    view_rights_text(&cap, rights);
    say(l, "passes %s 0x%" PRIxPTR " %s", object_name(e->number), e->object, rights);
    if (e->in[1] != 0)
        say(l, " badge 0x%" PRIx64, e->in[1]);
    if (e->in[2] != 0)
        say(l, " -> 0x%" PRIxPTR " into slot 0x%" PRIx64, e->other, e->in[2]);
    else
        say(l, " -> 0x%" PRIxPTR ", unwrapped: it gets the badge", e->other);
}

static void say_fault(struct line *l, const struct kernel_trace_event *e)
{
    say(l, "%s", sim_fault_name(e->number));
    if (e->number == VESPER_FAULT_UNKNOWN_SYSCALL) {
        say(l, " %" PRIu64 " at pc ", e->in[0]);
        say_word(l, e->in[1]);
    } else {
        say(l, " at pc ");
        say_word(l, e->in[1]);
        say(l, " address ");
        say_word(l, e->in[2]);
        if (e->number == VESPER_FAULT_PAGE)
            say(l, " (%s%s%s)", e->in[3] & VESPER_FAULT_ACCESS_READ ? "read" : "",
                e->in[3] & VESPER_FAULT_ACCESS_WRITE ? "write" : "",
                e->in[3] & VESPER_FAULT_ACCESS_EXECUTE ? "execute" : "");
    }
    if (e->other != 0)
        say(l, " -> fault upcall");
    else if (e->object != 0)
        say(l, " -> handler endpoint 0x%" PRIxPTR, e->object);
    else
        say(l, " -> stopped: no fault handler");
}

static void say_event(struct line *l, const struct kernel_trace_event *e)
{
    switch (e->kind) {
    case KERNEL_TRACE_SYSCALL_END: say_syscall(l, e); return;
    case KERNEL_TRACE_IPC_MESSAGE: say_ipc_message(l, e); return;
    case KERNEL_TRACE_IPC_TRANSFER: say_transfer(l, e); return;
    case KERNEL_TRACE_IPC_BLOCK: say(l, "%s 0x%" PRIxPTR, wait_name(e->number), e->object); return;
    case KERNEL_TRACE_IPC_SIGNAL:
        say(l, "signal notification 0x%" PRIxPTR " badge 0x%" PRIx64, e->object, e->in[0]);
        if (e->other != 0)
            say(l, " -> wakes 0x%" PRIxPTR, e->other);
        else
            say(l, " -> pending, word 0x%" PRIx64, e->in[1]);
        return;
    case KERNEL_TRACE_SWITCH:
        if (e->domain != 0)
            say(l, "switch 0x%" PRIxPTR " -> 0x%" PRIxPTR, e->domain, e->other);
        else
            say(l, "switch (idle) -> 0x%" PRIxPTR, e->other);
        return;
    case KERNEL_TRACE_UPCALL: say(l, "upcall, reason %s", upcall_reason_name(e->number)); return;
    case KERNEL_TRACE_STOP: say(l, "stopped, status %" PRId64, (int64_t)e->number); return;
    case KERNEL_TRACE_TIMER: say(l, "timer: the deadline passed"); return;
    case KERNEL_TRACE_RETYPE:
        say(l, "retype Untyped 0x%" PRIxPTR " -> %" PRIu64 " %s (2^%" PRIu64 " bytes) at 0x%" PRIxPTR,
            e->other, e->in[0], object_name(e->number), e->in[1], e->object);
        return;
    case KERNEL_TRACE_DESTROY:
        say(l, "destroy %s 0x%" PRIxPTR, object_name(e->number), e->object);
        return;
    case KERNEL_TRACE_FAULT_TAKEN: say_fault(l, e); return;
    case KERNEL_TRACE_IRQ_RAISED:
        if (e->object != 0)
            say(l, "line %" PRIu64 " -> notification 0x%" PRIxPTR, e->number, e->object);
        else
            say(l, "line %" PRIu64 " unclaimed: masked", e->number);
        return;
    default: say(l, "event %u", e->kind); return;
    }
}

static void write_text(uint64_t n, const struct kernel_trace_event *e, const struct line *l)
{
    fprintf(trace.text, "%7" PRIu64 " %10" PRIu64 "ns %-7s ", n, e->time_ns,
            category_name(e->category));
    if (e->domain != 0 && e->kind != KERNEL_TRACE_SWITCH)
        fprintf(trace.text, "0x%-12" PRIxPTR " ", e->domain);
    else
        fprintf(trace.text, "%-14s ", "-");
    fprintf(trace.text, "%.*s\n", (int)l->length, l->text);
}

/* ---- Chrome Trace Event JSON ------------------------------------------- */

/* Domains are threads of one process, numbered in order of appearance (a
 * track needs a small integer); 0 is the kernel's own track. */
#define TRACKS_MAX 256
static uintptr_t tracks[TRACKS_MAX];
static unsigned track_count;

static void json_event_begin(void)
{
    fputs(json_first ? "\n" : ",\n", trace.json);
    json_first = false;
}

static unsigned track_of(uintptr_t domain)
{
    if (domain == 0)
        return 0;
    for (unsigned i = 0; i < track_count; i++)
        if (tracks[i] == domain)
            return i + 1;
    if (track_count == TRACKS_MAX)
        return 0;
    tracks[track_count++] = domain;
    json_event_begin();
    fprintf(trace.json,
            "{\"ph\":\"M\",\"pid\":1,\"tid\":%u,\"name\":\"thread_name\","
            "\"args\":{\"name\":\"domain 0x%" PRIxPTR "\"}}",
            track_count, domain);
    return track_count;
}

/* A string for JSON: the line's text, with quotes and backslashes escaped. */
static void json_string(const char *text, size_t length)
{
    fputc('"', trace.json);
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        if (c == '"' || c == '\\')
            fputc('\\', trace.json);
        if ((unsigned char)c < 0x20)
            fprintf(trace.json, "\\u%04x", (unsigned)c);
        else
            fputc(c, trace.json);
    }
    fputc('"', trace.json);
}

/* The event's place: phase, track and time (microseconds, as the format
 * counts, to the nanosecond). */
static void json_head(const char *phase, unsigned track, uint64_t ns)
{
    json_event_begin();
    fprintf(trace.json, "{\"ph\":\"%s\",\"pid\":1,\"tid\":%u,\"ts\":%" PRIu64 ".%03" PRIu64,
            phase, track, ns / 1000, ns % 1000);
}

static void json_named(const char *phase, unsigned track, uint64_t ns, const char *name,
                       const char *category, uint64_t n, const struct line *l)
{
    json_head(phase, track, ns);
    fprintf(trace.json, ",\"name\":\"%s\",\"cat\":\"%s\",\"args\":{\"event\":%" PRIu64 ",\"what\":",
            name, category, n);
    json_string(l->text, l->length);
    fputs("}", trace.json);
}

static void write_json(uint64_t n, const struct kernel_trace_event *e, const struct line *l)
{
    const char *category = category_name(e->category);
    switch (e->kind) {
    case KERNEL_TRACE_SYSCALL_END: {
        const char *name = vesper_syscall_name(e->number);
        json_named("X", track_of(e->domain), e->time_ns, name != NULL ? name : "unknown syscall",
                   category, n, l);
        fprintf(trace.json, ",\"dur\":%.3f}", HOST_ENTRY_COST_NS / 1000.0);
        return;
    }
    case KERNEL_TRACE_IPC_MESSAGE:
        /* A flow from the sender's track to the receiver's next slice. */
        json_named("i", track_of(e->domain), e->time_ns, "message", category, n, l);
        fputs(",\"s\":\"t\"}", trace.json);
        json_head("s", track_of(e->domain), e->time_ns);
        fprintf(trace.json, ",\"name\":\"message\",\"cat\":\"ipc\",\"id\":%" PRIu64 "}", n);
        json_head("f", track_of(e->other), e->time_ns);
        fprintf(trace.json, ",\"name\":\"message\",\"cat\":\"ipc\",\"id\":%" PRIu64 "}", n);
        return;
    case KERNEL_TRACE_SWITCH:
        if (e->domain != 0) {
            json_head("E", track_of(e->domain), e->time_ns);
            fputs("}", trace.json);
        }
        json_named("B", track_of(e->other), e->time_ns, "runs", category, n, l);
        fputs("}", trace.json);
        return;
    case KERNEL_TRACE_FAULT_TAKEN:
    case KERNEL_TRACE_IRQ_RAISED:
    case KERNEL_TRACE_UPCALL:
    case KERNEL_TRACE_STOP:
    case KERNEL_TRACE_TIMER:
    default:
        json_named("i", track_of(e->domain), e->time_ns, category, category, n, l);
        fprintf(trace.json, ",\"s\":\"%s\"}", e->domain != 0 ? "t" : "g");
        return;
    }
}

/* ---- The sink ---------------------------------------------------------- */

static void trace_sink(const struct kernel_trace_event *e)
{
    uint64_t n = ++event_count;
    if (e->kind < SIM_TRACE_KINDS)
        kind_counts[e->kind]++;
    if (e->category & trace.categories) {
        struct line l = {.length = 0};
        say_event(&l, e);
        if (trace.text != NULL)
            write_text(n, e, &l);
        if (trace.json != NULL)
            write_json(n, e, &l);
    }
    if (trace.stop_at != 0 && n == trace.stop_at && !stopped) {
        stopped = true;
        host_run_stop();
    }
}

void sim_trace_start(const struct sim_trace_options *options)
{
    trace = *options;
    event_count = 0;
    memset(kind_counts, 0, sizeof kind_counts);
    stopped = false;
    if (trace.json != NULL)
        fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", trace.json);
    if (trace.text != NULL || trace.json != NULL || trace.stop_at != 0 || trace.count)
        kernel_trace_set(KERNEL_TRACE_ALL, trace_sink);
}

uint64_t sim_trace_finish(void)
{
    kernel_trace_set(0, NULL);
    if (trace.json != NULL) {
        json_event_begin();
        fputs("{\"ph\":\"M\",\"pid\":1,\"tid\":0,\"name\":\"thread_name\","
              "\"args\":{\"name\":\"kernel\"}}\n]}\n",
              trace.json);
    }
    return event_count;
}

const uint64_t *sim_trace_counts(void)
{
    return kind_counts;
}

bool sim_trace_stopped(void)
{
    return stopped;
}

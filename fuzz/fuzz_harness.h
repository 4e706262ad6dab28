/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * What every Vesper fuzz harness shares: the libFuzzer entry it defines, a
 * fresh kernel per input, a reader that turns input bytes into values, and
 * the one way the harnesses enter the kernel, which can report each entry
 * to a trace hook. A harness is also linked with replay_main.c into a plain
 * program that runs saved inputs, so corpora replay without libFuzzer; its
 * --decode mode sets the hook and prints what an input does.
 */
#ifndef VESPER_FUZZ_HARNESS_H
#define VESPER_FUZZ_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vesper/syscall.h>

struct hal_context;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Fuzz machines are small so that a reset costs microseconds. */
#define FUZZ_MEMORY ((size_t)256 * 1024)
/* and a device region, so that device Untyped and Frames are fuzzed too */
#define FUZZ_DEVICE_MEMORY ((size_t)32 * 1024)

/* Input bytes, consumed from the front; past the end every read is 0. */
struct fuzz_input {
    const uint8_t *data;
    size_t size;
};

uint8_t fuzz_byte(struct fuzz_input *in);
uint16_t fuzz_u16(struct fuzz_input *in);
uint64_t fuzz_u64(struct fuzz_input *in);
int fuzz_done(const struct fuzz_input *in);

/* Reset the machine and boot, with the kernel's trace on (every event
 * checked) or off; console output is kept, not printed. Aborts when the
 * machine cannot be made. */
void fuzz_boot(bool kernel_trace);

/* Abort with a message: the kernel did something it must never do. */
_Noreturn void fuzz_fail(const char *what);

/* Fail unless the memory of every RAM Untyped above its watermark is zero:
 * at the end of an input, since looking at all of it after every
 * operation would halve the fuzzers' speed. */
void fuzz_check_unused_memory(void);

/* Abort with a message naming the broken invariant, if any. */
void fuzz_check_invariants(const char *after);

/* ---- Entering the kernel, and the trace of what an input did ---------- */

enum fuzz_event_kind {
    FUZZ_EVENT_SYSCALL,   /* the current domain made a syscall */
    FUZZ_EVENT_EXCEPTION, /* the current domain took an exception */
    FUZZ_EVENT_SWITCH,    /* the harness let another runnable domain act */
    FUZZ_EVENT_FASTPATH,  /* the harness turned the IPC fast path on or off */
    FUZZ_EVENT_BUFFER,    /* the current domain wrote its IPC buffer (arg: the three
                           * capabilities to send, the receive CNode, index and
                           * depth, the message word written) */
    FUZZ_EVENT_INPUT,     /* the world is set up: the input's own steps follow */
    FUZZ_EVENT_TIMER,     /* the current domain's time slice ended */
    FUZZ_EVENT_CONTROL,   /* the current domain wrote a control block (about: whose;
                           * number: enum fuzz_control_field; arg: the values) */
    FUZZ_EVENT_LINE,      /* a device drove an interrupt line (number: the line;
                           * arg 0: 1 asserted, 0 deasserted) */
    FUZZ_EVENT_IRQ,       /* the interrupt entry for a line (number: the line;
                           * result 0: enum fuzz_line_state after it; about:
                           * the driver it woke, if any) */
    FUZZ_EVENT_NO_WAKEUP, /* the HAL told the kernel no interrupt will come */
};

/* What an IRQ event's line is after the entry (result 0). */
enum fuzz_line_state {
    FUZZ_LINE_OUT_OF_RANGE, /* no such line: the entry was only counted */
    FUZZ_LINE_UNCLAIMED,    /* no handler: left masked, counted */
    FUZZ_LINE_UNBOUND,      /* claimed, pending, no notification to signal */
    FUZZ_LINE_SIGNALLED,    /* claimed, pending, its notification signalled */
};

/* Who acts or runs next, when no domain does. */
#define FUZZ_NO_DOMAIN (-1) /* the kernel has shut down (or an actor: none) */
#define FUZZ_IDLE (-2)      /* the kernel idles: every domain waits */

/* What a CONTROL event wrote (struct vesper_control). */
enum fuzz_control_field {
    FUZZ_CONTROL_ENTRY,      /* arg 0: entry */
    FUZZ_CONTROL_STACK,      /* arg 0, 1: stack_base, stack_size */
    FUZZ_CONTROL_DISABLED,   /* arg 0: disabled */
    FUZZ_CONTROL_EVENT_TAIL, /* arg 0: event_tail */
    FUZZ_CONTROL_EVENT_HEAD, /* arg 0: event_head */
    FUZZ_CONTROL_FLAGS,      /* arg 0: flags (fault upcalls) */
    FUZZ_CONTROL_SAVED_WORD, /* arg 0, 1: a word of the saved context, its value */
    FUZZ_CONTROL_ALL,        /* arg 0-2: entry, stack_base, stack_size; enabled, ring emptied */
};

/* How many message words an event carries: enough for every invocation. */
#define FUZZ_EVENT_WORDS 10

/* One kernel entry and what came of it. Domains are named by number: 0 is
 * the root, the others in the order the trace first meets them. */
struct fuzz_event {
    enum fuzz_event_kind kind;
    int actor;      /* the domain that acted (SWITCH: the one now acting; IRQ: the
                     * one interrupted), FUZZ_NO_DOMAIN or FUZZ_IDLE */
    uint64_t number; /* the syscall number, the fault kind, or the fast path's state (1 on) */
    uint64_t arg[VESPER_SYSCALL_ARGS]; /* the words in; EXCEPTION: cause, address */
    /* The message the kernel reads: words 0-3 from arg[2..5], the rest
     * from the actor's IPC buffer, up to the tag's length. */
    uint64_t word[FUZZ_EVENT_WORDS];
    unsigned words;
    int invoked;       /* the type of the capability arg[0] named, -1 if none */
    /* Afterwards: the actor's domain state (enum domain_state), its result
     * words (meaningful while it is runnable), who runs next
     * (FUZZ_NO_DOMAIN: the kernel has shut down, then status is its exit
     * status; FUZZ_IDLE: it idles). */
    uint32_t state;
    uint64_t result[VESPER_SYSCALL_ARGS];
    int next;
    int status;
    /* The reason (enum vesper_upcall_reason) of the upcall the entry made
     * as it gave next the CPU; SWITCH: the harness's. 0 for none. */
    unsigned upcall;
    int about; /* CONTROL: the domain whose block was written; IRQ: the one woken */
};

/* Called after each kernel entry the harness makes, when set. The
 * libFuzzer programs leave it NULL, which costs one test per entry. */
extern void (*fuzz_trace)(const struct fuzz_event *event);

/* Make a syscall as the current domain (host_syscall_as_current()), or,
 * with no current domain, enter the kernel as a stopped one would. The
 * frame comes back with the results. Returns the context the kernel chose
 * to run next, or NULL once it has shut down. */
struct hal_context *fuzz_syscall(struct vesper_syscall_frame *frame);

/* The current domain takes a machine exception of kind (VESPER_FAULT_*)
 * at pc, as the host HAL's signal handler reports one; with no current
 * domain, the kernel's exception entry is called all the same. */
struct hal_context *fuzz_exception(uint32_t kind, uint64_t cause, uint64_t address,
                                   uint64_t pc);

/* The current domain's time slice ends: the kernel's timer entry, as the
 * HAL makes it when the deadline passes. */
struct hal_context *fuzz_timer(void);

/* A device raised a line: the kernel's interrupt entry, as the run loop
 * of the host HAL makes it (or, for any other line, as broken hardware
 * might). */
struct hal_context *fuzz_irq(unsigned line);

/* The domain an interrupt on line would wake now: the first waiter on the
 * notification bound to it or, with none, the domain bound to that
 * notification if it is receiving on an Endpoint (notification_signal()).
 * NULL when the line is out of range, unclaimed or unbound, or nobody
 * waits. */
struct domain *fuzz_line_driver(unsigned line);

/* The HAL finds that nothing will ever wake the idle kernel (on the host:
 * no event is due): kernel_entry_no_wakeup(). */
struct hal_context *fuzz_no_wakeup(void);

/* Tell the trace about a step that is not a kernel entry (SWITCH,
 * FASTPATH, BUFFER, INPUT, LINE), with its words (NULL for none). */
void fuzz_note(enum fuzz_event_kind kind, uint64_t number, const uint64_t *arg);

/* The same for a step that concerns another domain (CONTROL). */
struct domain;
void fuzz_note_about(enum fuzz_event_kind kind, uint64_t number, const struct domain *about,
                     const uint64_t *arg);

#endif

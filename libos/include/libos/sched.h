/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Activations and domain-scheduler policies as ordinary user code
 * (docs/scheduling.md).
 *
 * A domain that wants upcalls fills a control block (<vesper/control.h>)
 * with vesper_activation_setup() and names it with Domain SetControlBlock.
 * The kernel then restarts it at its entry, on its activation stack,
 * whenever it gives the CPU back after taking it away; the entry decides
 * what to do and ends with vesper_resume() (or, in a scheduler, Dispatch).
 *
 * The scheduler side: a domain holding SchedControl describes the domains
 * it schedules (struct vesper_sched_client), picks a policy, and calls
 * vesper_sched_start(). From then on it runs only in upcalls: each drains
 * the event ring, updates its clients, asks the policy who runs and for how
 * long, and Dispatches. Three policies come with libos; a new one is two
 * functions (struct vesper_sched_policy). Switching policy changes no
 * kernel code.
 */
#ifndef VESPER_LIBOS_SCHED_H
#define VESPER_LIBOS_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vesper/control.h>
#include <vesper/error.h>
#include <vesper/object.h>
#include <vesper/types.h>

/* ---- Activations ------------------------------------------------------- */

typedef void (*vesper_upcall_fn)(vesper_word block_and_reason);

/* Fill block for upcalls to entry on [stack, stack + size) (16-byte
 * aligned), activations enabled, user = state, and an empty ring. The
 * caller then names the block with vesper_domain_set_control_block(). */
void vesper_activation_setup(struct vesper_control *block, vesper_upcall_fn entry,
                             void *stack, vesper_word size, void *state);

/* The block and the reason an entry was upcalled with. */
static inline struct vesper_control *vesper_upcall_block(vesper_word arg)
{
    return (struct vesper_control *)(uintptr_t)(arg & ~(vesper_word)VESPER_UPCALL_REASON_MASK);
}

static inline unsigned vesper_upcall_reason(vesper_word arg)
{
    return (unsigned)(arg & VESPER_UPCALL_REASON_MASK);
}

/* Continue the context the kernel saved at the upcall and enable
 * activations (VESPER_SYS_RESUME). Returns only on failure: nothing was
 * saved, or the block is unusable. */
enum vesper_error vesper_resume(void);

/* Continue context instead, one the domain kept (a copy of a block's
 * `saved`), and enable activations. Returns only on failure: the kernel
 * refused the context or its address (docs/syscalls.md), or the block is
 * unusable. */
enum vesper_error vesper_resume_context(const struct vesper_context *context);

/* An entry for domains that only want to count their upcalls: it adds one
 * to *(uint64_t *)block->user, when user is set, and resumes. */
_Noreturn void vesper_upcall_count_and_resume(vesper_word block_and_reason);

/* ---- The domain scheduler ---------------------------------------------- */

/* One domain the scheduler may dispatch. The caller fills the first
 * fields; the scheduler keeps the rest. */
struct vesper_sched_client {
    const char *name;
    vesper_cptr domain;    /* its Domain capability, in the scheduler's CSpace */
    vesper_word address;   /* its object address, as events name it (0: look it up) */
    unsigned priority;     /* fixed priority: the higher runs first */
    uint64_t period_ns;    /* EDF: a job is released every period (0: best effort) */
    uint64_t slice_ns;     /* EDF: the time it is guaranteed in each period */

    /* Kept by the scheduler. */
    bool runnable;         /* as far as the events say */
    bool waiting_release;  /* yielded: done until its next period */
    uint64_t release_ns;   /* start of its current period */
    uint64_t remaining_ns; /* slice left in this period */
    uint64_t run_ns;       /* all the time it has had */
    uint64_t jobs_done;    /* periods it yielded in (a finished job) */
    uint64_t jobs_missed;  /* periods that ended before it yielded */
    uint64_t last_done_ns; /* when its last job finished */
};

struct vesper_sched;

/* A policy: choose whom to run next among the clients eligible now (able
 * to run, and not waiting for their next period), and for how long (at
 * least 1000 ns); NULL runs nobody the scheduler knows (best effort by the
 * kernel's round robin) for *budget_ns. `account` hears how long a client
 * ran; may be NULL. */
struct vesper_sched_policy {
    const char *name;
    struct vesper_sched_client *(*choose)(struct vesper_sched *s, uint64_t now,
                                          uint64_t *budget_ns);
    void (*account)(struct vesper_sched *s, struct vesper_sched_client *c, uint64_t used_ns);
};

extern const struct vesper_sched_policy vesper_policy_round_robin;
extern const struct vesper_sched_policy vesper_policy_fixed_priority;
extern const struct vesper_sched_policy vesper_policy_edf;

/* One line of the schedule: who got the CPU when, for how long at most. */
typedef void (*vesper_sched_trace_fn)(struct vesper_sched *s,
                                      const struct vesper_sched_client *chosen,
                                      uint64_t now, uint64_t budget_ns);

struct vesper_sched {
    struct vesper_control *control;
    vesper_cptr sched_control;
    const struct vesper_sched_policy *policy;
    struct vesper_sched_client *client;
    unsigned count;
    uint64_t quantum_ns;      /* round robin and fixed priority: the slice */
    uint64_t start_ns;        /* the first upcall: every client's first period begins */
    uint64_t stop_after_ns;   /* stop() is called at the first upcall this long after
                               * start_ns (0: never) */
    vesper_sched_trace_fn trace; /* may be NULL */
    void (*stop)(struct vesper_sched *s); /* should not return; the domain exits if it does */
    bool started;             /* the first upcall has set the periods going */
    unsigned next_rr;         /* round robin's position */
    uint64_t upcalls;
    uint64_t dispatches;
    vesper_word events_lost;
    struct vesper_sched_client *running; /* the last dispatched */
};

/* Install the calling domain as the domain scheduler: it must have named
 * s->control, set up for upcalls to vesper_sched_upcall(), with
 * SetControlBlock. Clients without an address are identified with
 * VESPER_SYS_DEBUG_IDENTIFY. Then go idle; the rest happens in upcalls,
 * the first of which starts every client's first period. Returns an error,
 * or VESPER_OK if the kernel could not upcall the scheduler after all and
 * resumed it as a plain domain. */
enum vesper_error vesper_sched_start(struct vesper_sched *s);

/* The scheduler's upcall entry (give it to vesper_activation_setup with
 * the struct vesper_sched as state). */
_Noreturn void vesper_sched_upcall(vesper_word block_and_reason);

/* The clients' time accounting, for policies: whether c may run now. */
bool vesper_sched_eligible(const struct vesper_sched_client *c);

/* The earliest next release of any periodic client after now, or
 * UINT64_MAX. */
uint64_t vesper_sched_next_release(const struct vesper_sched *s, uint64_t now);

/* budget, cut so that it ends at the next release: a policy that must see
 * releases as they happen (EDF, fixed priority) asks for no more. */
uint64_t vesper_sched_until_release(const struct vesper_sched *s, uint64_t now, uint64_t budget);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Activations and the domain scheduler's upcall loop (<libos/sched.h>);
 * the policies are in sched_policies.c.
 */
#include <libos/caps.h>
#include <libos/invocations.h>
#include <libos/libos.h>
#include <libos/sched.h>

void vesper_activation_setup(struct vesper_control *block, vesper_upcall_fn entry,
                             void *stack, vesper_word size, void *state)
{
    block->entry = (vesper_word)(uintptr_t)entry;
    block->stack_base = (vesper_word)(uintptr_t)stack;
    block->stack_size = size;
    block->disabled = 0;
    block->missed = 0;
    block->user = (vesper_word)(uintptr_t)state;
    block->event_tail = block->event_head;
}

enum vesper_error vesper_resume(void)
{
    struct vesper_syscall_frame frame = {.number = VESPER_SYS_RESUME};
    vesper_syscall(&frame);
    return (enum vesper_error)frame.arg[0];
}

enum vesper_error vesper_resume_context(const struct vesper_context *context)
{
    struct vesper_syscall_frame frame = {.number = VESPER_SYS_RESUME};
    frame.arg[0] = (vesper_word)(uintptr_t)context;
    vesper_syscall(&frame);
    return (enum vesper_error)frame.arg[0];
}

_Noreturn void vesper_upcall_count_and_resume(vesper_word block_and_reason)
{
    struct vesper_control *block = vesper_upcall_block(block_and_reason);
    if (block->user != 0)
        (*(uint64_t *)(uintptr_t)block->user)++;
    vesper_resume();
    vesper_print("libos: an upcall found nothing to resume\n");
    vesper_exit(1);
}

/* ---- Keeping the clients' state from the events ------------------------ */

bool vesper_sched_eligible(const struct vesper_sched_client *c)
{
    return c->runnable && !c->waiting_release;
}

uint64_t vesper_sched_next_release(const struct vesper_sched *s, uint64_t now)
{
    uint64_t next = UINT64_MAX;
    for (unsigned i = 0; i < s->count; i++) {
        const struct vesper_sched_client *c = &s->client[i];
        if (c->period_ns == 0)
            continue;
        uint64_t release = c->release_ns + c->period_ns;
        if (release > now && release < next)
            next = release;
    }
    return next;
}

static struct vesper_sched_client *client_at(struct vesper_sched *s, vesper_word address)
{
    for (unsigned i = 0; i < s->count; i++)
        if (s->client[i].address == address)
            return &s->client[i];
    return NULL;
}

static void charge(struct vesper_sched *s, struct vesper_sched_client *c, uint64_t used)
{
    c->run_ns += used;
    c->remaining_ns -= used < c->remaining_ns ? used : c->remaining_ns;
    if (s->policy->account != NULL)
        s->policy->account(s, c, used);
}

static void apply_event(struct vesper_sched *s, const struct vesper_sched_event *e)
{
    struct vesper_sched_client *c = client_at(s, e->domain);
    if (c == NULL)
        return; /* a domain this scheduler does not schedule */
    switch (e->kind) {
    case VESPER_EVENT_RUNNABLE:
        c->runnable = true;
        return;
    case VESPER_EVENT_BLOCKED:
        c->runnable = false;
        break;
    case VESPER_EVENT_YIELDED:
        if (c->period_ns != 0 && !c->waiting_release) {
            c->waiting_release = true; /* its job for this period is done */
            c->jobs_done++;
            c->last_done_ns = e->time_ns;
        }
        break;
    default: /* BUDGET, PREEMPTED: it still runs */
        break;
    }
    charge(s, c, e->used_ns);
}

static void drain_events(struct vesper_sched *s)
{
    struct vesper_control *block = s->control;
    vesper_word tail = block->event_tail;
    while (tail != block->event_head) {
        apply_event(s, &block->event[tail % VESPER_CONTROL_EVENTS]);
        tail++;
    }
    block->event_tail = tail;
    s->events_lost = block->events_lost;
}

/* Periods that ended by now: a job not done in its period is a miss; the
 * next period's slice is fresh. */
static void release_jobs(struct vesper_sched *s, uint64_t now)
{
    for (unsigned i = 0; i < s->count; i++) {
        struct vesper_sched_client *c = &s->client[i];
        if (c->period_ns == 0)
            continue;
        while (now >= c->release_ns + c->period_ns) {
            if (!c->waiting_release)
                c->jobs_missed++;
            c->release_ns += c->period_ns;
            c->remaining_ns = c->slice_ns;
            c->waiting_release = false;
        }
    }
}

static void begin(struct vesper_sched *s, uint64_t now)
{
    s->started = true;
    s->start_ns = now;
    for (unsigned i = 0; i < s->count; i++) {
        struct vesper_sched_client *c = &s->client[i];
        c->release_ns = now;
        c->remaining_ns = c->slice_ns;
        c->waiting_release = false; /* what it did before time began does not count */
        c->run_ns = c->jobs_done = c->jobs_missed = 0;
    }
}

/* ---- Deciding ------------------------------------------------------------ */

uint64_t vesper_sched_until_release(const struct vesper_sched *s, uint64_t now, uint64_t budget)
{
    uint64_t release = vesper_sched_next_release(s, now);
    return release != UINT64_MAX && release - now < budget ? release - now : budget;
}

/* Dispatch the policy's choice; a client the kernel says cannot run is
 * marked so and the policy asked again. Returns only if nothing could be
 * dispatched at all. */
static enum vesper_error dispatch(struct vesper_sched *s, uint64_t now)
{
    enum vesper_error error = VESPER_OK;
    for (unsigned attempt = 0; attempt <= s->count; attempt++) {
        uint64_t budget = s->quantum_ns;
        struct vesper_sched_client *c = s->policy->choose(s, now, &budget);
        if (budget < 1000)
            budget = 1000; /* the smallest the kernel takes */
        if (s->trace != NULL)
            s->trace(s, c, now, budget);
        s->running = c;
        s->dispatches++;
        error = vesper_sched_control_dispatch(s->sched_control, c != NULL ? c->domain : 0, budget);
        if (c == NULL || error != VESPER_ERR_ILLEGAL_OPERATION)
            return error; /* not reached on success: the next upcall starts afresh */
        c->runnable = false;
    }
    return error;
}

_Noreturn void vesper_sched_upcall(vesper_word block_and_reason)
{
    struct vesper_control *block = vesper_upcall_block(block_and_reason);
    /* Taken off the CPU while it ran as a plain domain (setting up, before
     * its first Dispatch): go on where it was. */
    if (vesper_upcall_reason(block_and_reason) == VESPER_UPCALL_PREEMPTED)
        vesper_resume();
    struct vesper_sched *s = (struct vesper_sched *)(uintptr_t)block->user;
    uint64_t now = block->now_ns;
    s->upcalls++;
    drain_events(s);
    if (!s->started)
        begin(s, now);
    release_jobs(s, now);
    if (s->stop_after_ns != 0 && now - s->start_ns >= s->stop_after_ns && s->stop != NULL) {
        s->stop(s);
        vesper_exit(0);
    }
    enum vesper_error error = dispatch(s, now);
    vesper_print("libos: the scheduler could not dispatch: ");
    vesper_print(vesper_error_name(error));
    vesper_print("\n");
    vesper_exit(1);
}

enum vesper_error vesper_sched_start(struct vesper_sched *s)
{
    for (unsigned i = 0; i < s->count; i++) {
        struct vesper_sched_client *c = &s->client[i];
        c->runnable = true;
        if (c->address != 0)
            continue;
        struct vesper_cap_info info;
        enum vesper_error error = vesper_cap_identify(c->domain, &info);
        if (error != VESPER_OK)
            return error;
        c->address = info.address;
    }
    enum vesper_error error = vesper_sched_control_set_scheduler(s->sched_control);
    if (error != VESPER_OK)
        return error;
    /* The first upcall learns the time: until then the round robin runs
     * the others for the smallest budget. */
    return vesper_sched_control_dispatch(s->sched_control, 0, 1000);
}

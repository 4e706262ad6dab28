/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * sched-edf, sched-rr, sched-priority: the user-level domain scheduler.
 *
 * The root becomes the domain scheduler (libos/sched.c) and schedules three
 * domains. Two are periodic workers: every PERIOD_NS each has a job to do,
 * split over three user-level threads of its own that take turns, and a
 * finished job ends with Yield. The third spins forever and never yields.
 * The policy is ordinary user code; the three programs differ only in the
 * one they pass:
 *   - earliest deadline first, with each worker guaranteed SLICE_NS in
 *     every period: every job finishes within its period, and the spinner
 *     gets the rest;
 *   - round robin with a quantum of QUANTUM_NS: the spinner's quanta push
 *     the workers' jobs past their deadlines;
 *   - fixed priority, workers above the spinner: also on time here.
 * Each dispatch is printed (the schedule), then each domain's figures.
 *
 * Every domain registers a control block: the kernel upcalls a domain it
 * took the CPU from when it gives it back, and the domain's handler counts
 * the upcall and resumes (VESPER_SYS_RESUME). The spinner, preempted at the
 * end of every budget, shows it.
 *
 * Time: on the host it is virtual, 100 ns per kernel entry, so a domain's
 * work is counted in syscalls (burn()) and a run repeats exactly; the
 * checks of deadlines hold there. On the Pi the timer follows real time (in
 * QEMU, the host's clock), the spinner spins with no syscall at all, and
 * the figures are printed without judging deadlines.
 */
#include <libos/invocations.h>
#include <libos/sched.h>
#include <libos/threads.h>

#include "child_domain.h"
#include "programs.h"

#define WORKERS 2u
#define THREADS 3u
#define PERIODS 10u
#ifdef VESPER_HAL_HOST
#define PERIOD_NS 4000000u /* 4 ms */
#define SLICE_NS 1600000u  /* guaranteed per period under EDF */
#define QUANTUM_NS 2000000u
/* A job: this many syscalls, 1.4 ms of virtual time. */
#define JOB_UNITS 14000u
#else
/* In QEMU a syscall takes some microseconds of the host's time, and more
 * on a loaded host: longer periods, and a job well inside its slice. */
#define PERIOD_NS 40000000u
#define SLICE_NS 16000000u
#define QUANTUM_NS 20000000u
#define JOB_UNITS 900u
#endif
#define STACK_FRAMES 4u
#define STACK_SIZE ((vesper_word)STACK_FRAMES << VESPER_FRAME_4K_BITS)

struct worker {
    struct vesper_threads threads;
    struct vesper_thread thread[THREADS];
    void *stack[THREADS];
    uint64_t upcalls; /* counted by its activation handler */
    vesper_word jobs;
};

static struct worker workers[WORKERS];
static uint64_t spinner_upcalls;
static volatile vesper_word spinner_spins;

/* A unit of work: one syscall that changes nothing (identify the empty
 * slot), so that virtual time passes on the host. */
static void burn(unsigned units)
{
    struct vesper_cap_info info;
    for (unsigned i = 0; i < units; i++)
        (void)vesper_cap_identify(VESPER_ROOT_SLOT_NULL, &info);
}

/* One thread's third of a job, in three steps with turns in between. */
static void job_part(struct vesper_threads *threads, void *arg)
{
    (void)arg;
    for (unsigned step = 0; step < 3; step++) {
        burn(JOB_UNITS / (THREADS * 3));
        vesper_thread_yield(threads);
    }
}

static void worker_entry(vesper_word arg)
{
    struct worker *w = &workers[arg];
    vesper_threads_init(&w->threads);
    for (;;) {
        for (unsigned t = 0; t < THREADS; t++)
            vesper_thread_create(&w->threads, &w->thread[t], w->stack[t], STACK_SIZE, job_part,
                                 NULL);
        for (unsigned t = 0; t < THREADS; t++)
            vesper_thread_join(&w->threads, &w->thread[t]);
        w->jobs++;
        vesper_yield(); /* this period's job is done */
    }
}

static void spinner_entry(vesper_word arg)
{
    (void)arg;
    for (;;) {
        spinner_spins++;
#ifdef VESPER_HAL_HOST
        burn(1); /* virtual time passes only in the kernel */
#endif
    }
}

/* ---- Printing ------------------------------------------------------------ */

static void trace_dispatch(struct vesper_sched *s, const struct vesper_sched_client *c,
                           uint64_t now, uint64_t budget)
{
    vesper_print("sched: ");
    print_ms(now - s->start_ns);
    vesper_print(" ms  ");
    vesper_print(c != NULL ? c->name : "-");
    vesper_print(" for ");
    print_ms(budget);
    vesper_print(" ms\n");
}

/* ---- Setting up ---------------------------------------------------------- */

static struct vesper_sched_client clients[WORKERS + 1];
static struct vesper_sched sched;
static bool deadlines_judged;
static bool expect_misses;

static void *make_frames(struct carver *c, unsigned count)
{
    return carve_granted_frames(c, VESPER_ROOT_SLOT_PDOM, count);
}

/* Give the domain a control block and an activation stack for entry. */
static bool give_activations(struct carver *c, vesper_cptr domain, vesper_upcall_fn entry,
                             void *state, struct vesper_control **block_out)
{
    struct vesper_control *block = make_frames(c, 1);
    void *stack = make_frames(c, STACK_FRAMES);
    if (block == NULL || stack == NULL)
        return false;
    vesper_activation_setup(block, entry, stack, STACK_SIZE, state);
    if (block_out != NULL)
        *block_out = block;
    return vesper_domain_set_control_block(domain, (vesper_word)(uintptr_t)block) == VESPER_OK;
}

static bool start_workers(struct carver *c)
{
    static const char *const names[WORKERS + 1] = {"A", "B", "spin"};
    for (unsigned i = 0; i <= WORKERS; i++) {
        struct child_domain child;
        bool spinner = i == WORKERS;
        if (child_domain_make(c, VESPER_ROOT_SLOT_NULL, false, &child) != VESPER_OK)
            return false;
        uint64_t *counter = spinner ? &spinner_upcalls : &workers[i].upcalls;
        if (!give_activations(c, child.domain, vesper_upcall_count_and_resume, counter, NULL))
            return false;
        for (unsigned t = 0; !spinner && t < THREADS; t++)
            if ((workers[i].stack[t] = make_frames(c, STACK_FRAMES)) == NULL)
                return false;
        clients[i] = (struct vesper_sched_client){
            .name = names[i], .domain = child.domain, .priority = spinner ? 1 : 2,
            .period_ns = spinner ? 0 : PERIOD_NS, .slice_ns = spinner ? 0 : SLICE_NS};
        if (child_domain_start(&child, spinner ? spinner_entry : worker_entry, i) != VESPER_OK)
            return false;
    }
    return true;
}

/* ---- The end ------------------------------------------------------------- */

static void report_client(const struct vesper_sched_client *c, uint64_t upcalls)
{
    vesper_print("sched: ");
    vesper_print(c->name);
    vesper_print(" ran ");
    print_ms(c->run_ns);
    vesper_print(" ms");
    if (c->period_ns != 0) {
        vesper_print(", jobs done ");
        print_decimal(c->jobs_done);
        vesper_print(", deadlines missed ");
        print_decimal(c->jobs_missed);
    }
    vesper_print(", upcalls ");
    print_decimal(upcalls);
    vesper_print("\n");
}

static bool check(const char *what, bool ok)
{
    vesper_print(ok ? "sched: ok " : "sched: FAILED ");
    vesper_print(what);
    vesper_print("\n");
    return ok;
}

static _Noreturn void finish(struct vesper_sched *s)
{
    vesper_print("sched: ");
    print_decimal(PERIODS);
    vesper_print(" periods under ");
    vesper_print(s->policy->name);
    vesper_print(": ");
    print_decimal(s->upcalls);
    vesper_print(" upcalls, ");
    print_decimal(s->dispatches);
    vesper_print(" dispatches\n");
    uint64_t missed = 0, done = 0;
    for (unsigned i = 0; i <= WORKERS; i++) {
        report_client(&clients[i], i < WORKERS ? workers[i].upcalls : spinner_upcalls);
        missed += clients[i].jobs_missed;
        done += clients[i].jobs_done;
    }
    /* In QEMU a loaded host may slow jobs down past whole periods. */
    uint64_t jobs_wanted = deadlines_judged ? WORKERS * (PERIODS - 1) : WORKERS;
    bool ok = check("the workers finished jobs", done >= jobs_wanted);
    ok = check("the spinner ran and was upcalled after preemption",
               clients[WORKERS].run_ns > 0 && spinner_upcalls > 0 && spinner_spins > 0) && ok;
    if (deadlines_judged)
        ok = check(expect_misses ? "deadlines were missed, as this policy must here"
                                 : "every deadline was met",
                   expect_misses ? missed > 0 : missed == 0) &&
             ok;
    vesper_print(ok ? "sched: all checks passed\n" : "sched: some checks FAILED\n");
    vesper_exit(ok ? 0 : 1);
}

static int run(const struct vesper_bootinfo *info, const struct vesper_sched_policy *policy,
               bool misses_expected)
{
    struct carver c;
#ifdef VESPER_HAL_HOST
    deadlines_judged = true;
#endif
    expect_misses = misses_expected;
    sched = (struct vesper_sched){
        .sched_control = VESPER_ROOT_SLOT_SCHED_CONTROL, .policy = policy,
        .client = clients, .count = WORKERS + 1, .quantum_ns = QUANTUM_NS,
        .stop_after_ns = (uint64_t)PERIODS * PERIOD_NS, .trace = trace_dispatch,
        .stop = finish};
    if (!carver_init(&c, info) || !start_workers(&c) ||
        !give_activations(&c, VESPER_ROOT_SLOT_DOMAIN, vesper_sched_upcall, &sched,
                          &sched.control)) {
        vesper_print("sched: FAILED to set up: ");
        vesper_print(c.failed != NULL ? c.failed : "a control block");
        vesper_print("\n");
        return 1;
    }
    vesper_print("sched: two workers (3 threads each, a job every ");
    print_ms(PERIOD_NS);
    vesper_print(" ms) and a spinner, under ");
    vesper_print(policy->name);
    vesper_print("\n");
    enum vesper_error error = vesper_sched_start(&sched);
    vesper_print("sched: FAILED to start the scheduler: ");
    vesper_print(vesper_error_name(error));
    vesper_print("\n");
    return 1;
}

int sched_edf_main(const struct vesper_bootinfo *info)
{
    return run(info, &vesper_policy_edf, false);
}

int sched_rr_main(const struct vesper_bootinfo *info)
{
    return run(info, &vesper_policy_round_robin, true);
}

int sched_priority_main(const struct vesper_bootinfo *info)
{
    return run(info, &vesper_policy_fixed_priority, false);
}

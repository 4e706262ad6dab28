/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * preempt: user-level threads that never yield, switched by the domain's
 * own activation handler when the kernel takes the CPU (libos/threads.c,
 * vesper_threads_preemptive()).
 *
 * The root makes five threads. Three workers count steps in a loop and
 * never yield; each step makes one cheap syscall, so that time passes in
 * the simulator's virtual time, whose timer can only end a slice at a
 * kernel entry (on the Pi the timer interrupts them anywhere). When the
 * round robin's slice ends, the kernel upcalls the domain with PREEMPTED;
 * the handler keeps the running worker's registers (the context the kernel
 * copied into the control block) and resumes the next thread's, so the
 * workers take turns, each several times, and the program prints the order
 * of their turns. A sleeper sleeps three times for 2 ms and checks that it
 * never wakes early. A fifth thread writes to address 8, which no domain
 * may touch: the kernel upcalls the domain with FAULT instead of stopping
 * it, and the handler stops only that thread. The first thread joins them
 * all.
 */
#include <libos/caps.h>
#include <libos/threads.h>

#include "child_domain.h"
#include "programs.h"

#define WORKERS 3u
#define TURNS 3u      /* each worker runs until it has had this many turns */
#define SLEEPS 3u
#define SLEEP_NS 2000000u
#define STACK_FRAMES 4u
#define STACK_SIZE ((size_t)STACK_FRAMES << VESPER_FRAME_4K_BITS)
#define ORDER_MAX 48u

static struct preempt_run {
    volatile unsigned last;       /* the worker that took the last step, + 1 */
    unsigned turns[WORKERS];
    volatile bool done[WORKERS];  /* one flag each: threads preempt each other mid-update */
    char order[ORDER_MAX + 1];    /* one letter per turn */
    unsigned order_length;
    bool slept_enough;
    uint64_t late_ns[SLEEPS];     /* how late each sleep woke */
} run;

static bool others_done(unsigned me)
{
    for (unsigned i = 0; i < WORKERS; i++)
        if (i != me && !run.done[i])
            return false;
    return true;
}

/* The bookkeeping of a step, held against the other threads (the timer
 * may switch threads anywhere). Whether the worker is done. */
static bool note_step(struct vesper_threads *threads, unsigned me)
{
    bool done = false;
    vesper_threads_hold(threads);
    if (run.last != me + 1) { /* another worker ran since our last step */
        run.last = me + 1;
        if (run.order_length < ORDER_MAX)
            run.order[run.order_length++] = (char)('a' + me);
        done = ++run.turns[me] >= TURNS;
    }
    done = done || others_done(me); /* else no other worker could end this turn */
    run.done[me] = done;
    vesper_threads_release(threads);
    return done;
}

static void worker(struct vesper_threads *threads, void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    struct vesper_cap_info info;
    while (!note_step(threads, me))
        vesper_cap_identify(0, &info); /* a kernel entry: virtual time moves */
}

static void sleeper(struct vesper_threads *threads, void *arg)
{
    (void)arg;
    run.slept_enough = true;
    for (unsigned i = 0; i < SLEEPS; i++) {
        uint64_t want = vesper_threads_now(threads, true) + SLEEP_NS;
        vesper_thread_sleep_until(threads, want);
        uint64_t woke = vesper_threads_now(threads, false);
        run.slept_enough = run.slept_enough && woke >= want;
        run.late_ns[i] = woke >= want ? woke - want : 0;
    }
}

/* An address no domain may touch, kept where the compiler cannot see it. */
static volatile uintptr_t bad_address = 8;

static void faulter(struct vesper_threads *threads, void *arg)
{
    (void)threads, (void)arg;
    *(volatile vesper_word *)bad_address = 1; /* stopped here by the handler */
    vesper_print("preempt: FAILED the faulting thread went on\n");
}

static void report(const struct vesper_threads *threads, const struct vesper_thread *faulted,
                   bool joined, bool *ok)
{
    bool turns = true;
    for (unsigned i = 0; i < WORKERS; i++)
        turns = turns && run.turns[i] >= TURNS;
    run.order[run.order_length] = '\0';
    vesper_print("preempt: the workers' turns: ");
    vesper_print(run.order);
    vesper_print("\npreempt: threads switched for a preemption: ");
    print_decimal(threads->preemptions);
    vesper_print("\n");
    vesper_print(turns && threads->preemptions >= WORKERS * (TURNS - 1)
                     ? "preempt: ok each worker had its turns without ever yielding\n"
                     : "preempt: FAILED the workers did not take turns\n");
    for (unsigned i = 0; i < SLEEPS; i++) {
        vesper_print("preempt: the sleeper woke ");
        print_ms(run.late_ns[i]);
        vesper_print(" ms after its time\n");
    }
    vesper_print(run.slept_enough ? "preempt: ok no sleep ended early\n"
                                  : "preempt: FAILED a sleep ended early\n");
    bool stopped = threads->faults == 1 && faulted->fault_kind == VESPER_FAULT_PAGE;
    vesper_print(stopped ? "preempt: ok the faulting thread was stopped and the others went on\n"
                         : "preempt: FAILED the faulting thread was not stopped as it should\n");
    vesper_print(joined ? "preempt: ok the first thread joined all five\n"
                        : "preempt: FAILED a join\n");
    *ok = turns && threads->preemptions >= WORKERS * (TURNS - 1) && run.slept_enough &&
          stopped && joined;
}

int preempt_main(const struct vesper_bootinfo *info)
{
    static struct vesper_threads threads;
    static struct vesper_thread thread[WORKERS + 2];
    struct carver c;
    run = (struct preempt_run){0};
    if (!carver_init(&c, info))
        return 1;
    void *block = carve_granted_frames(&c, VESPER_ROOT_SLOT_PDOM, 1);
    void *upcall_stack = carve_granted_frames(&c, VESPER_ROOT_SLOT_PDOM, STACK_FRAMES);
    void *stacks[WORKERS + 2];
    for (unsigned i = 0; i < WORKERS + 2; i++)
        stacks[i] = carve_granted_frames(&c, VESPER_ROOT_SLOT_PDOM, STACK_FRAMES);
    if (block == NULL || upcall_stack == NULL || stacks[WORKERS + 1] == NULL) {
        vesper_print("preempt: FAILED to make the stacks\n");
        return 1;
    }
    vesper_threads_init(&threads);
    if (vesper_threads_preemptive(&threads, VESPER_ROOT_SLOT_DOMAIN, 0, block, upcall_stack,
                                  STACK_SIZE, true) != VESPER_OK) {
        vesper_print("preempt: FAILED to register the control block\n");
        return 1;
    }
    vesper_print("preempt: three workers that never yield, a sleeper and a faulting thread\n");
    for (unsigned i = 0; i < WORKERS; i++)
        vesper_thread_create(&threads, &thread[i], stacks[i], STACK_SIZE, worker,
                             (void *)(uintptr_t)i);
    vesper_thread_create(&threads, &thread[WORKERS], stacks[WORKERS], STACK_SIZE, sleeper, NULL);
    vesper_thread_create(&threads, &thread[WORKERS + 1], stacks[WORKERS + 1], STACK_SIZE, faulter,
                         NULL);
    bool joined = true;
    for (unsigned i = 0; i < WORKERS + 2; i++)
        joined = vesper_thread_join(&threads, &thread[i]) && joined;
    bool ok;
    report(&threads, &thread[WORKERS + 1], joined, &ok);
    return ok ? 0 : 1;
}

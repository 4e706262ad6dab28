/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * threads: user-level threads inside the root domain (libos/threads.c).
 * The kernel schedules domains, never threads: three threads take turns on
 * their own stacks, switched by libos with no kernel entry, and the root's
 * first thread waits for all three to finish. The turns come in a fixed
 * order, which the output shows and the checks require. Then a thread
 * waits on a Notification while the first one runs on and signals it.
 */
#include <libos/threads.h>

#include "child_domain.h"
#include "programs.h"

#define WORKERS 3u
#define STEPS 3u
#define STACK_FRAMES 4u
#define STACK_SIZE ((size_t)STACK_FRAMES << VESPER_FRAME_4K_BITS)

/* What each worker saw, in the order it happened: its name per step. */
static struct run {
    char order[WORKERS * STEPS + 1];
    unsigned steps;
} run;

static void worker(struct vesper_threads *threads, void *arg)
{
    const char *name = arg;
    for (unsigned i = 0; i < STEPS; i++) {
        vesper_print("threads: ");
        vesper_print(name);
        vesper_print(" takes step ");
        print_decimal(i);
        vesper_print("\n");
        run.order[run.steps++] = name[0];
        vesper_thread_yield(threads);
    }
}

/* A stack of STACK_FRAMES frames, granted to the root's PDom; its lowest
 * address in *bottom. */
static bool make_stack(struct carver *c, void **bottom)
{
    *bottom = carve_granted_frames(c, VESPER_ROOT_SLOT_PDOM, STACK_FRAMES);
    return *bottom != NULL;
}

static vesper_cptr wakeup;
static vesper_cptr wakeup_badged; /* badge 1 */
static vesper_word woken_with;

static void waiter(struct vesper_threads *threads, void *arg)
{
    (void)arg;
    if (vesper_thread_wait(threads, wakeup, &woken_with) != VESPER_OK)
        woken_with = 0;
}

/* A thread waits on a Notification; the first thread, still running, sees
 * it waiting, signals, and joins it. */
static bool wait_and_signal(struct carver *c, struct vesper_threads *threads,
                            struct vesper_thread *thread, void *stack)
{
    if (carve(c, "retype a Notification", VESPER_OBJECT_NOTIFICATION, 0, 1, &wakeup) !=
            VESPER_OK ||
        c->next >= c->end)
        return false;
    wakeup_badged = c->next++; /* a signal ORs in the capability's badge: 1 */
    if (vesper_cnode_mint(CHILD_ROOT_CNODE, wakeup_badged, CHILD_ROOT_DEPTH, CHILD_ROOT_CNODE,
                          wakeup, CHILD_ROOT_DEPTH, VESPER_RIGHTS_ALL, 1) != VESPER_OK)
        return false;
    woken_with = 0;
    vesper_thread_create(threads, thread, stack, STACK_SIZE, waiter, NULL);
    vesper_thread_yield(threads); /* the waiter polls, finds nothing, yields back */
    bool waited = woken_with == 0;
    return vesper_signal(wakeup_badged) == VESPER_OK && vesper_thread_join(threads, thread) &&
           waited && woken_with == 1;
}

/* The same with the kernel telling the domain: the Notification is bound
 * to the domain, whose activation handler (libos) polls it when an EVENT
 * upcall says a signal came, so the waiting thread makes no syscall while
 * the first one runs. The signal comes from the first thread itself, so
 * the upcall comes at the end of its Signal. */
static bool wait_for_events(struct carver *c, struct vesper_threads *threads,
                            struct vesper_thread *thread, void *stack)
{
    void *block = carve_granted_frames(c, VESPER_ROOT_SLOT_PDOM, 1);
    void *upcall_stack = carve_granted_frames(c, VESPER_ROOT_SLOT_PDOM, STACK_FRAMES);
    if (block == NULL || upcall_stack == NULL ||
        vesper_threads_take_events(threads, VESPER_ROOT_SLOT_DOMAIN, wakeup, block, upcall_stack,
                                   STACK_SIZE) != VESPER_OK)
        return false;
    woken_with = 0;
    vesper_thread_create(threads, thread, stack, STACK_SIZE, waiter, NULL);
    vesper_thread_yield(threads); /* the waiter finds nothing, yields back */
    bool waited = woken_with == 0;
    return vesper_signal(wakeup_badged) == VESPER_OK && threads->event_upcalls >= 1 &&
           vesper_thread_join(threads, thread) && waited && woken_with == 1;
}

int threads_main(const struct vesper_bootinfo *info)
{
    static const char *const names[WORKERS] = {"a", "b", "c"};
    static struct vesper_threads threads;
    static struct vesper_thread workers[WORKERS];
    struct carver c;
    run = (struct run){{0}, 0};
    if (!carver_init(&c, info))
        return 1;
    vesper_threads_init(&threads);
    void *stacks[WORKERS];
    for (unsigned i = 0; i < WORKERS; i++) {
        void *stack;
        if (!make_stack(&c, &stack)) {
            vesper_print("threads: FAILED to make a stack\n");
            return 1;
        }
        stacks[i] = stack;
        vesper_thread_create(&threads, &workers[i], stack, STACK_SIZE, worker,
                             (void *)names[i]);
    }
    bool joined = true;
    for (unsigned i = 0; i < WORKERS; i++)
        joined = vesper_thread_join(&threads, &workers[i]) && joined;
    bool in_turn = true;
    for (unsigned i = 0; i < WORKERS * STEPS; i++)
        in_turn = in_turn && run.order[i] == names[i % WORKERS][0];
    vesper_print(joined ? "threads: ok the first thread joined all three\n"
                        : "threads: FAILED a join\n");
    vesper_print(in_turn && run.steps == WORKERS * STEPS
                     ? "threads: ok they took their steps in turn: "
                     : "threads: FAILED the turns were: ");
    vesper_print(run.order);
    vesper_print("\nthreads: switches without a kernel entry: ");
    print_decimal(threads.switches);
    vesper_print("\n");
    /* The first worker has finished: its memory serves the waiter. */
    bool woke = wait_and_signal(&c, &threads, &workers[0], stacks[0]);
    vesper_print(woke ? "threads: ok a thread waited for a signal while the first ran on\n"
                      : "threads: FAILED waiting for a signal\n");
    bool told = woke && wait_for_events(&c, &threads, &workers[0], stacks[0]);
    vesper_print(told ? "threads: ok an upcall told the domain of the signal; the waiter "
                        "made no syscall\n"
                      : "threads: FAILED waiting for an event upcall\n");
    return joined && in_turn && woke && told ? 0 : 1;
}

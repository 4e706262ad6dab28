/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * User-level threads inside one domain: the kernel schedules domains,
 * never threads, and a domain runs as many threads as it likes on its own
 * stacks, switched by libos with no kernel entry (a function call that
 * swaps the callee-saved registers and the stack pointer).
 *
 * Cooperative by default: one runs until it yields, sleeps, waits, joins a
 * thread that has not finished, or finishes, and the next ready one in
 * creation order runs. A domain that calls vesper_threads_preemptive()
 * hands its activations to this library (docs/scheduling.md): when the
 * kernel takes the CPU from the domain, its handler keeps the preempted
 * thread's registers (the context the kernel copies into the control
 * block) and runs the next ready thread; a thread that faults is stopped
 * and the others go on. Library calls then run with activations disabled,
 * so an upcall never finds the threads half switched.
 *
 * Nothing here is global: all of a domain's threads hang off one struct
 * vesper_threads that the domain owns, since domains that run the same
 * program image share its globals in the single address space.
 */
#ifndef VESPER_LIBOS_THREADS_H
#define VESPER_LIBOS_THREADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vesper/control.h>
#include <vesper/error.h>
#include <vesper/object.h>

struct vesper_threads;

/* One thread. Its memory is the caller's, from creation until it has
 * finished (vesper_thread_join() says when). */
struct vesper_thread {
    uint64_t sp;                  /* the saved stack pointer while it does not run */
    struct vesper_thread *next;   /* the ring of live threads, in creation order */
    struct vesper_thread *joiner; /* the thread waiting for this one to finish */
    struct vesper_threads *owner;
    void (*entry)(struct vesper_threads *threads, void *arg);
    void *arg;
    const void *stack_bottom;     /* its stack, lowest address first */
    size_t stack_size;
    unsigned state;               /* enum in threads.c */
    bool started;
    bool preempted;               /* its registers are in context, not behind sp */
    uint64_t wake_ns;             /* sleeping: the clock it waits for */
    vesper_word fault_kind;       /* why it was stopped, if it faulted: 0 if not */
    vesper_word fault_pc;
    struct vesper_context context; /* while preempted */
};

/* A domain's threads. */
struct vesper_threads {
    struct vesper_thread *current;
    struct vesper_thread *previous; /* the one that switched to current */
    struct vesper_thread main;      /* the flow that called vesper_threads_init() */
    unsigned long switches;
    /* Events (vesper_threads_take_events()): the Notification bound to the
     * domain, and the bits its activation handler has polled from it. */
    vesper_cptr event_notification; /* 0: none */
    struct vesper_control *event_block;
    volatile vesper_word events;
    unsigned long event_upcalls;
    /* Preemption (vesper_threads_preemptive()). */
    bool preemptive;
    uint64_t now_ns;          /* the latest clock the domain heard of */
    unsigned long preemptions; /* threads switched for a preemption (by the handler,
                                * or at the end of a library call it came in) */
    unsigned long faults;      /* threads stopped by a fault */
    uint64_t handler_sp;       /* where a switch from the handler saves nothing useful */
};

/* Make the calling flow of control the first thread, "main", of threads. */
void vesper_threads_init(struct vesper_threads *threads);

/* Make a thread that will run entry(threads, arg) on the stack of size
 * bytes at stack (16-byte aligned, granted to the domain's PDom read and
 * write), after the threads ready before it. When entry returns, the
 * thread has finished. */
void vesper_thread_create(struct vesper_threads *threads, struct vesper_thread *thread,
                          void *stack, size_t size,
                          void (*entry)(struct vesper_threads *threads, void *arg), void *arg);

/* Let the next ready thread run; returns when this one's turn comes again,
 * at once if no other thread is ready. */
void vesper_thread_yield(struct vesper_threads *threads);

/* Wait until thread has finished (at once if it has). Returns false,
 * having waited for nothing, if thread is the caller, if another thread
 * waits for it already, or if no other thread could run meanwhile (waiting
 * would never end). */
bool vesper_thread_join(struct vesper_threads *threads, struct vesper_thread *thread);

/* Wait on a Notification (a CPtr with READ) until its word is non-zero,
 * then clear it and put it in *word, while the domain's other threads run:
 * the thread polls, and yields between polls, as long as another thread is
 * ready; when none is, it blocks the domain in the kernel's Wait, as the
 * only thread would. For the notification of vesper_threads_take_events()
 * it only looks at the bits upcalls brought, with no syscall, until it must
 * block. Returns the error of the Poll or Wait that failed. */
enum vesper_error vesper_thread_wait(struct vesper_threads *threads, vesper_cptr notification,
                                     vesper_word *word);

struct vesper_control;

/* Let the kernel tell the domain of signals to notification instead of
 * having waiting threads poll it: bind it to the domain (Domain
 * BindNotification, on the domain's capability `domain`) and name block,
 * with an activation stack of size bytes at stack, as the domain's control
 * block, whose upcalls this library then handles. An EVENT upcall polls
 * the notification into threads->events and resumes; so does any other
 * upcall, since a wakeup may come with it. From then on
 * vesper_thread_wait() on that notification makes no syscall while other
 * threads are ready. */
enum vesper_error vesper_threads_take_events(struct vesper_threads *threads, vesper_cptr domain,
                                             vesper_cptr notification,
                                             struct vesper_control *block, void *stack,
                                             size_t size);

/* Make the domain's threads preemptive, as vesper_threads_take_events()
 * does for events (notification may be 0: none), and more: at a PREEMPTED
 * upcall the handler keeps the running thread's registers and runs the
 * next ready thread; with faults, a thread that faults (a bad access, an
 * undefined instruction, an unknown syscall) is stopped instead of the
 * domain (VESPER_CONTROL_FAULT_UPCALLS), its joiner woken, and the others
 * go on. The calling flow is `main`, and must be the only thread so far. */
enum vesper_error vesper_threads_preemptive(struct vesper_threads *threads, vesper_cptr domain,
                                            vesper_cptr notification,
                                            struct vesper_control *block, void *stack,
                                            size_t size, bool faults);

/* Sleep until the clock (the kernel's, in ns) reaches when_ns, while the
 * domain's other threads run. The clock is what the domain last heard:
 * upcalls and Yield tell it. When every thread sleeps, the domain yields
 * until the earliest time comes; it wakes no earlier than asked, and late
 * by as much as the other domains ran meanwhile. */
void vesper_thread_sleep_until(struct vesper_threads *threads, uint64_t when_ns);

/* Sleep for ns from now (as vesper_threads_now() says). */
void vesper_thread_sleep(struct vesper_threads *threads, uint64_t ns);

/* The clock as the domain last heard of it, asked afresh (a Yield) if
 * fresh is set. */
uint64_t vesper_threads_now(struct vesper_threads *threads, bool fresh);

/* A short critical section for data the domain's threads share: between
 * hold and release the running thread keeps the CPU against the activation
 * handler (a preemption meanwhile is answered at the release, as a yield).
 * Other domains still run: the kernel preempts the domain as ever. Make no
 * other call of this library in between, and do not nest. Without
 * preemption both do nothing. */
void vesper_threads_hold(struct vesper_threads *threads);
void vesper_threads_release(struct vesper_threads *threads);

/* The thread running now. */
struct vesper_thread *vesper_thread_self(struct vesper_threads *threads);

#endif

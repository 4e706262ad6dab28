/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* User-level threads, cooperative or preemptive (see threads.h). */
#include <libos/invocations.h>
#include <libos/ipc.h>
#include <libos/libos.h>
#include <libos/sched.h>
#include <libos/threads.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LIBOS_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define LIBOS_ASAN 1
#endif
#ifdef LIBOS_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

enum thread_state {
    THREAD_READY,    /* running, or may run */
    THREAD_JOINING,  /* waiting for another to finish */
    THREAD_SLEEPING, /* waiting for the clock to reach wake_ns */
    THREAD_DONE,     /* finished or stopped: off the ring */
};

/* The two routines of arch/thread_switch_*.S. */
void vesper_thread_switch(uint64_t *save_sp, uint64_t sp);
void vesper_thread_begin(uint64_t *save_sp, uint64_t stack_top, void (*fn)(uint64_t),
                         uint64_t arg);

/* AddressSanitizer must hear of every stack switch (as in the host HAL);
 * without it these compile to nothing. A finished thread, and the
 * activation handler, pass no fake stack to keep: they never come back. */
#ifdef LIBOS_ASAN
/* The host HAL's markers around a switch told to the sanitizer
 * (<vesper/host_trap.h>), in syscall_host.c. */
void libos_stack_switch_begin(void);
void libos_stack_switch_end(void);
#endif

static void fiber_start(void **fake_stack, const void *bottom, size_t size)
{
#ifdef LIBOS_ASAN
    libos_stack_switch_begin();
    __sanitizer_start_switch_fiber(fake_stack, bottom, size);
#else
    (void)fake_stack, (void)bottom, (void)size;
#endif
}

/* A stack whose old frames were abandoned, about to be used from its top
 * again: what the sanitizer marked in them means nothing now. */
static void fiber_forget_stack(void *bottom, size_t size)
{
#ifdef LIBOS_ASAN
    __asan_unpoison_memory_region(bottom, size);
#else
    (void)bottom, (void)size;
#endif
}

static void fiber_finish(void *fake_stack, struct vesper_thread *previous)
{
#ifdef LIBOS_ASAN
    const void *bottom = NULL;
    size_t size = 0;
    __sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
    libos_stack_switch_end();
    if (previous != NULL && previous->stack_bottom == NULL) { /* main: learn its stack */
        previous->stack_bottom = bottom;
        previous->stack_size = size;
    }
#else
    (void)fake_stack, (void)previous;
#endif
}

/* ---- Activations off while the library works ---------------------------
 *
 * With preemption, every change to the threads' state happens with the
 * block's `disabled` set, so that an upcall never finds them half changed:
 * a preemption meanwhile is only recorded in `missed`, and is answered
 * when the work is done (a yield, as if the upcall had come then). Without
 * preemption these do nothing. */

static void compiler_barrier(void)
{
    __asm__ volatile("" ::: "memory");
}

static void set_disabled(struct vesper_threads *s, vesper_word value)
{
    compiler_barrier();
    *(volatile vesper_word *)&s->event_block->disabled = value;
    compiler_barrier();
}

static void critical_enter(struct vesper_threads *s)
{
    if (s->preemptive)
        set_disabled(s, 1);
}

static void poll_events(struct vesper_threads *s)
{
    vesper_word word = 0;
    if (s->event_notification != 0 && vesper_poll(s->event_notification, &word) == VESPER_OK)
        s->events |= word;
}

static bool yield_locked(struct vesper_threads *s);

static void critical_leave(struct vesper_threads *s)
{
    if (!s->preemptive)
        return;
    for (;;) {
        set_disabled(s, 0);
        if (*(volatile vesper_word *)&s->event_block->missed == 0)
            return;
        set_disabled(s, 1);
        vesper_word missed = s->event_block->missed;
        s->event_block->missed = 0;
        if (missed & ((vesper_word)1 << VESPER_UPCALL_EVENT))
            poll_events(s);
        if ((missed & ((vesper_word)1 << VESPER_UPCALL_PREEMPTED)) && yield_locked(s))
            s->preemptions++; /* the preemption's switch, made late */
    }
}

/* ---- Choosing and switching -------------------------------------------- */

static void thread_main(uint64_t address);
static _Noreturn void resume_kept(uint64_t address);

/* Make sleepers whose time has come ready. Whether any still sleeps. */
static bool wake_sleepers(struct vesper_threads *s)
{
    bool sleeping = false;
    struct vesper_thread *t = s->current;
    do {
        if (t->state == THREAD_SLEEPING) {
            if (t->wake_ns <= s->now_ns)
                t->state = THREAD_READY;
            else
                sleeping = true;
        }
        t = t->next;
    } while (t != s->current);
    return sleeping;
}

/* The next ready thread after the current one in the ring, or NULL. */
static struct vesper_thread *next_ready(struct vesper_threads *s)
{
    for (struct vesper_thread *t = s->current->next; t != s->current; t = t->next)
        if (t->state == THREAD_READY)
            return t;
    return NULL;
}

/* The next thread to run, the current one last: when none is ready but
 * some sleep, the domain yields until the first wakes. NULL: none can
 * ever run again without a signal. */
static struct vesper_thread *choose(struct vesper_threads *s)
{
    for (;;) {
        bool sleeping = wake_sleepers(s);
        struct vesper_thread *t = next_ready(s);
        if (t == NULL && s->current->state == THREAD_READY)
            t = s->current;
        if (t != NULL || !sleeping)
            return t;
        vesper_threads_now(s, true);
        poll_events(s);
    }
}

/* Go to `to`'s stack, begun or where it switched away, saving the
 * running flow's at *save_sp. */
static void enter_thread(uint64_t *save_sp, struct vesper_thread *to)
{
    if (!to->started) {
        to->started = true;
        uint64_t top = (uint64_t)(uintptr_t)to->stack_bottom + to->stack_size;
        vesper_thread_begin(save_sp, top, thread_main, (uint64_t)(uintptr_t)to);
    } else {
        vesper_thread_switch(save_sp, to->sp);
    }
}

/* Run `to` instead of the current thread; returns when the current one
 * runs again (never, if it has finished). */
static void switch_to(struct vesper_threads *s, struct vesper_thread *to)
{
    struct vesper_thread *from = s->current;
    void *fake_stack = NULL;
    void **keep = from->state == THREAD_DONE ? NULL : &fake_stack;
    if (to == from)
        return;
    s->previous = from;
    s->current = to;
    s->switches++;
    if (to->preempted) {
        /* Its registers are in its kept context: Resume them from the
         * activation stack, free while activations are off. */
        struct vesper_control *b = s->event_block;
        void *bottom = (void *)(uintptr_t)b->stack_base;
        fiber_start(keep, bottom, b->stack_size);
        fiber_forget_stack(bottom, b->stack_size);
        vesper_thread_begin(&from->sp, b->stack_base + b->stack_size, resume_kept,
                            (uint64_t)(uintptr_t)to);
    } else {
        fiber_start(keep, to->stack_bottom, to->stack_size);
        enter_thread(&from->sp, to);
    }
    fiber_finish(fake_stack, s->previous);
}

/* Continue a preempted thread: a Resume that enables activations. */
static _Noreturn void resume_kept(uint64_t address)
{
    struct vesper_thread *t = (struct vesper_thread *)(uintptr_t)address;
    fiber_finish(NULL, t->owner->previous); /* main may learn its stack here */
    t->preempted = false;
    vesper_resume_context(&t->context);
    vesper_print("libos: the kernel refused a thread's kept context\n");
    vesper_exit(1);
}

/* Let the next ready thread run; whether another did. */
static bool yield_locked(struct vesper_threads *s)
{
    struct vesper_thread *next = choose(s);
    if (next == NULL || next == s->current)
        return false;
    switch_to(s, next);
    return true;
}

/* Take a finished thread off the ring. */
static void unlink_thread(struct vesper_threads *s, struct vesper_thread *done)
{
    struct vesper_thread *t = done;
    while (t->next != done)
        t = t->next;
    t->next = done->next;
    (void)s;
}

/* The current thread has finished, or was stopped: run another for good. */
static _Noreturn void finish_current(struct vesper_threads *s)
{
    struct vesper_thread *self = s->current;
    self->state = THREAD_DONE;
    if (self->joiner != NULL)
        self->joiner->state = THREAD_READY;
    struct vesper_thread *next = choose(s);
    unlink_thread(s, self);
    if (next == NULL) {
        /* Every other thread waits on one that cannot finish. */
        vesper_print("libos: the last ready thread finished; the domain stops\n");
        vesper_exit(1);
    }
    switch_to(s, next);
    vesper_exit(1); /* not reached: a finished thread never runs again */
}

/* Where every created thread starts, on its own stack. */
static void thread_main(uint64_t address)
{
    struct vesper_thread *self = (struct vesper_thread *)(uintptr_t)address;
    struct vesper_threads *s = self->owner;
    fiber_finish(NULL, s->previous);
    critical_leave(s); /* whoever started it had activations off */
    self->entry(s, self->arg);
    critical_enter(s);
    finish_current(s);
}

/* ---- The activation handler -------------------------------------------- */

/* Keep the preempted thread's registers, or stop a faulted one, and run
 * the next ready thread: from the activation stack, never to return. */
static _Noreturn void reschedule(struct vesper_threads *s, unsigned reason)
{
    struct vesper_control *block = s->event_block;
    struct vesper_thread *self = s->current;
    if (reason == VESPER_UPCALL_FAULT) {
        s->faults++;
        self->fault_kind = block->fault_kind;
        self->fault_pc = block->fault_word[1];
        vesper_print("libos: a thread faulted and was stopped; the others go on\n");
        finish_current(s); /* its stack is abandoned, and the handler's too */
    }
    self->context = block->saved;
    self->preempted = true;
    struct vesper_thread *next = choose(s);
    if (next == NULL) {
        vesper_print("libos: no thread can run; the domain stops\n");
        vesper_exit(1);
    }
    s->previous = NULL;
    s->current = next;
    if (next != self) {
        s->switches++;
        s->preemptions++;
    }
    if (next->preempted) {
        next->preempted = false;
        vesper_resume_context(&next->context);
        vesper_print("libos: the kernel refused a thread's kept context\n");
        vesper_exit(1);
    }
    fiber_start(NULL, next->stack_bottom, next->stack_size);
    enter_thread(&s->handler_sp, next);
    vesper_exit(1); /* not reached: nothing switches back to the handler */
}

/* The activation entry of a domain whose threads take events or are
 * preemptive: whatever the reason, the bound notification may hold bits. */
static _Noreturn void threads_upcall(vesper_word block_and_reason)
{
    struct vesper_control *block = vesper_upcall_block(block_and_reason);
    struct vesper_threads *s = (struct vesper_threads *)(uintptr_t)block->user;
    unsigned reason = vesper_upcall_reason(block_and_reason);
    s->event_upcalls++;
    if (block->now_ns > s->now_ns)
        s->now_ns = block->now_ns;
    block->missed = 0; /* this upcall answers them */
    poll_events(s);
    if (s->preemptive && (reason == VESPER_UPCALL_PREEMPTED || reason == VESPER_UPCALL_FAULT))
        reschedule(s, reason);
    vesper_resume();
    vesper_exit(1); /* nothing was saved: not reached from a real upcall */
}

/* ---- The calls --------------------------------------------------------- */

void vesper_threads_init(struct vesper_threads *s)
{
    *s = (struct vesper_threads){.current = &s->main};
    s->main = (struct vesper_thread){.next = &s->main, .owner = s, .state = THREAD_READY,
                                     .started = true};
}

void vesper_thread_create(struct vesper_threads *s, struct vesper_thread *t, void *stack,
                          size_t size, void (*entry)(struct vesper_threads *, void *),
                          void *arg)
{
    critical_enter(s);
    *t = (struct vesper_thread){.owner = s, .entry = entry, .arg = arg, .stack_bottom = stack,
                                .stack_size = size, .state = THREAD_READY};
    /* Last in the ring: just before the current thread's turn comes again. */
    struct vesper_thread *last = s->current;
    while (last->next != s->current)
        last = last->next;
    t->next = s->current;
    last->next = t;
    critical_leave(s);
}

void vesper_thread_yield(struct vesper_threads *s)
{
    critical_enter(s);
    yield_locked(s);
    critical_leave(s);
}

bool vesper_thread_join(struct vesper_threads *s, struct vesper_thread *t)
{
    if (t == s->current)
        return false;
    critical_enter(s);
    bool joined = t->state == THREAD_DONE || t->joiner == NULL; /* one joiner at most */
    while (joined && t->state != THREAD_DONE) {
        s->current->state = THREAD_JOINING;
        t->joiner = s->current;
        struct vesper_thread *next = choose(s);
        if (next == NULL) { /* nothing else could ever run: waiting would never end */
            s->current->state = THREAD_READY;
            t->joiner = NULL;
            joined = false;
            break;
        }
        switch_to(s, next);
    }
    critical_leave(s);
    return joined;
}

void vesper_threads_hold(struct vesper_threads *s)
{
    critical_enter(s);
}

void vesper_threads_release(struct vesper_threads *s)
{
    critical_leave(s);
}

struct vesper_thread *vesper_thread_self(struct vesper_threads *s)
{
    return s->current;
}

uint64_t vesper_threads_now(struct vesper_threads *s, bool fresh)
{
    if (fresh) {
        uint64_t now = vesper_yield();
        if (now > s->now_ns)
            s->now_ns = now;
    }
    return s->now_ns;
}

void vesper_thread_sleep_until(struct vesper_threads *s, uint64_t when_ns)
{
    critical_enter(s);
    if (when_ns > s->now_ns) {
        s->current->wake_ns = when_ns;
        s->current->state = THREAD_SLEEPING;
        while (s->current->state == THREAD_SLEEPING) {
            struct vesper_thread *next = choose(s); /* itself, once woken */
            if (next != NULL)
                switch_to(s, next);
        }
    }
    critical_leave(s);
}

void vesper_thread_sleep(struct vesper_threads *s, uint64_t ns)
{
    vesper_thread_sleep_until(s, vesper_threads_now(s, true) + ns);
}

static enum vesper_error use_activations(struct vesper_threads *s, vesper_cptr domain,
                                         vesper_cptr notification,
                                         struct vesper_control *block, void *stack,
                                         size_t size)
{
    s->event_notification = notification;
    s->event_block = block;
    s->events = 0;
    vesper_activation_setup(block, threads_upcall, stack, size, s);
    enum vesper_error error = VESPER_OK;
    if (notification != 0)
        error = vesper_domain_bind_notification(domain, notification);
    if (error == VESPER_OK)
        error = vesper_domain_set_control_block(domain, (vesper_word)(uintptr_t)block);
    return error;
}

enum vesper_error vesper_threads_take_events(struct vesper_threads *s, vesper_cptr domain,
                                             vesper_cptr notification,
                                             struct vesper_control *block, void *stack,
                                             size_t size)
{
    return use_activations(s, domain, notification, block, stack, size);
}

enum vesper_error vesper_threads_preemptive(struct vesper_threads *s, vesper_cptr domain,
                                            vesper_cptr notification,
                                            struct vesper_control *block, void *stack,
                                            size_t size, bool faults)
{
    /* An upcall before preemptive is set only polls and resumes. */
    enum vesper_error error = use_activations(s, domain, notification, block, stack, size);
    block->flags = faults ? VESPER_CONTROL_FAULT_UPCALLS : 0;
    s->preemptive = error == VESPER_OK;
    return error;
}

/* Bits an upcall brought for notification: taken, or 0. */
static vesper_word take_events(struct vesper_threads *s, vesper_cptr notification)
{
    if (s->event_notification == 0 || notification != s->event_notification)
        return 0;
    vesper_word word = s->events;
    s->events = 0;
    return word;
}

enum vesper_error vesper_thread_wait(struct vesper_threads *s, vesper_cptr notification,
                                     vesper_word *word)
{
    bool told = s->event_notification != 0 && notification == s->event_notification;
    critical_enter(s);
    enum vesper_error error = VESPER_OK;
    for (;;) {
        if ((*word = take_events(s, notification)) != 0)
            break;
        struct vesper_thread *next = next_ready(s);
        if (next == NULL && wake_sleepers(s)) {
            vesper_threads_now(s, true); /* others sleep: yield until they wake */
            poll_events(s);
            continue;
        }
        if (told && next != NULL) {
            switch_to(s, next); /* an upcall will bring the bits */
            continue;
        }
        if (told) {
            /* Block the domain. With activations off, no upcall can take the
             * bits between the last look and the Wait: they stay for it. */
            if (!s->preemptive)
                set_disabled(s, 1);
            if ((*word = take_events(s, notification)) == 0)
                error = vesper_wait(notification, word);
            if (!s->preemptive) {
                s->event_block->missed = 0; /* what came meanwhile, the Wait took */
                set_disabled(s, 0);
            }
            break;
        }
        if (next == NULL) {
            error = vesper_wait(notification, word);
            break;
        }
        error = vesper_poll(notification, word);
        if (error != VESPER_OK || *word != 0)
            break;
        switch_to(s, next);
    }
    critical_leave(s);
    return error;
}

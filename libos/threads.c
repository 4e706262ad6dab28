/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Cooperative user-level threads (see threads.h). */
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
#include <sanitizer/common_interface_defs.h>
#endif

enum thread_state {
    THREAD_READY,   /* running, or may run */
    THREAD_JOINING, /* waiting for another to finish */
    THREAD_DONE,    /* finished: off the ring */
};

/* The two routines of arch/thread_switch_*.S. */
void vesper_thread_switch(uint64_t *save_sp, uint64_t sp);
void vesper_thread_begin(uint64_t *save_sp, uint64_t stack_top, void (*fn)(uint64_t),
                         uint64_t arg);

/* AddressSanitizer must hear of every stack switch (as in the host HAL);
 * without it these compile to nothing. A finished thread passes no fake
 * stack to keep: it never comes back. */
static void fiber_start(void **fake_stack, const struct vesper_thread *to)
{
#ifdef LIBOS_ASAN
    __sanitizer_start_switch_fiber(fake_stack, to->stack_bottom, to->stack_size);
#else
    (void)fake_stack, (void)to;
#endif
}

static void fiber_finish(void *fake_stack, struct vesper_thread *previous)
{
#ifdef LIBOS_ASAN
    const void *bottom = NULL;
    size_t size = 0;
    __sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
    if (previous != NULL && previous->stack_bottom == NULL) { /* main: learn its stack */
        previous->stack_bottom = bottom;
        previous->stack_size = size;
    }
#else
    (void)fake_stack, (void)previous;
#endif
}

static void thread_main(uint64_t address);

/* Run `to` instead of the current thread; returns when the current one
 * runs again (never, if it has finished). */
static void switch_to(struct vesper_threads *s, struct vesper_thread *to)
{
    struct vesper_thread *from = s->current;
    void *fake_stack = NULL;
    s->previous = from;
    s->current = to;
    s->switches++;
    fiber_start(from->state == THREAD_DONE ? NULL : &fake_stack, to);
    if (!to->started) {
        to->started = true;
        uint64_t top = (uint64_t)(uintptr_t)to->stack_bottom + to->stack_size;
        vesper_thread_begin(&from->sp, top, thread_main, (uint64_t)(uintptr_t)to);
    } else {
        vesper_thread_switch(&from->sp, to->sp);
    }
    fiber_finish(fake_stack, s->previous);
}

/* The next ready thread after the current one in the ring, or NULL. */
static struct vesper_thread *next_ready(struct vesper_threads *s)
{
    for (struct vesper_thread *t = s->current->next; t != s->current; t = t->next)
        if (t->state == THREAD_READY)
            return t;
    return NULL;
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

/* Where every created thread starts, on its own stack. */
static void thread_main(uint64_t address)
{
    struct vesper_thread *self = (struct vesper_thread *)(uintptr_t)address;
    struct vesper_threads *s = self->owner;
    fiber_finish(NULL, s->previous);
    self->entry(s, self->arg);
    self->state = THREAD_DONE;
    if (self->joiner != NULL)
        self->joiner->state = THREAD_READY;
    struct vesper_thread *next = next_ready(s);
    unlink_thread(s, self);
    if (next == NULL) {
        /* Every other thread waits on one that cannot finish. */
        vesper_print("libos: the last ready thread finished; the domain stops\n");
        vesper_exit(1);
    }
    switch_to(s, next);
    vesper_exit(1); /* not reached: a finished thread never runs again */
}

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
    *t = (struct vesper_thread){.owner = s, .entry = entry, .arg = arg, .stack_bottom = stack,
                                .stack_size = size, .state = THREAD_READY};
    /* Last in the ring: just before the current thread's turn comes again. */
    struct vesper_thread *last = s->current;
    while (last->next != s->current)
        last = last->next;
    t->next = s->current;
    last->next = t;
}

void vesper_thread_yield(struct vesper_threads *s)
{
    struct vesper_thread *next = next_ready(s);
    if (next != NULL)
        switch_to(s, next);
}

bool vesper_thread_join(struct vesper_threads *s, struct vesper_thread *t)
{
    if (t == s->current)
        return false;
    if (t->state == THREAD_DONE)
        return true;
    if (t->joiner != NULL)
        return false; /* another thread waits for it already */
    while (t->state != THREAD_DONE) {
        struct vesper_thread *next = next_ready(s);
        if (next == NULL)
            return false;
        t->joiner = s->current;
        s->current->state = THREAD_JOINING;
        switch_to(s, next);
    }
    return true;
}

struct vesper_thread *vesper_thread_self(struct vesper_threads *s)
{
    return s->current;
}

/* The activation entry of a domain whose threads take events: whatever the
 * reason, the bound notification may hold bits; take them and go on. */
static _Noreturn void threads_upcall(vesper_word block_and_reason)
{
    struct vesper_threads *s =
        (struct vesper_threads *)(uintptr_t)vesper_upcall_block(block_and_reason)->user;
    vesper_word word = 0;
    s->event_upcalls++;
    if (vesper_poll(s->event_notification, &word) == VESPER_OK)
        s->events |= word;
    vesper_resume();
    vesper_exit(1); /* nothing was saved: not reached from a real upcall */
}

enum vesper_error vesper_threads_take_events(struct vesper_threads *s, vesper_cptr domain,
                                             vesper_cptr notification,
                                             struct vesper_control *block, void *stack,
                                             size_t size)
{
    s->event_notification = notification;
    s->event_block = block;
    s->events = 0;
    vesper_activation_setup(block, threads_upcall, stack, size, s);
    enum vesper_error error = vesper_domain_bind_notification(domain, notification);
    if (error == VESPER_OK)
        error = vesper_domain_set_control_block(domain, (vesper_word)(uintptr_t)block);
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
    for (;;) {
        if ((*word = take_events(s, notification)) != 0)
            return VESPER_OK;
        if (told && next_ready(s) != NULL) {
            vesper_thread_yield(s); /* an upcall will bring the bits */
            continue;
        }
        if (told) {
            /* Block the domain. With activations off, no upcall can take the
             * bits between the last look and the Wait: they stay for it. */
            s->event_block->disabled = 1;
            vesper_word early = take_events(s, notification);
            enum vesper_error error = early != 0 ? VESPER_OK : vesper_wait(notification, word);
            if (early != 0)
                *word = early;
            s->event_block->missed = 0; /* what came meanwhile, the Wait took */
            s->event_block->disabled = 0;
            return error;
        }
        if (next_ready(s) == NULL)
            return vesper_wait(notification, word);
        enum vesper_error error = vesper_poll(notification, word);
        if (error != VESPER_OK || *word != 0)
            return error;
        vesper_thread_yield(s);
    }
}

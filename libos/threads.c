/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Cooperative user-level threads (see threads.h). */
#include <libos/ipc.h>
#include <libos/libos.h>
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

enum vesper_error vesper_thread_wait(struct vesper_threads *s, vesper_cptr notification,
                                     vesper_word *word)
{
    for (;;) {
        if (next_ready(s) == NULL)
            return vesper_wait(notification, word);
        enum vesper_error error = vesper_poll(notification, word);
        if (error != VESPER_OK || *word != 0)
            return error;
        vesper_thread_yield(s);
    }
}

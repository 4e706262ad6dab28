/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The sleep service of a user-space timer driver (<libos/timer.h>). */
#include <libos/caps.h>
#include <libos/invocations.h>
#include <libos/ipc.h>
#include <libos/timer.h>

/* A Reply object no sleeper holds: one is always left, since there is one
 * more than sleepers. */
static vesper_cptr free_reply(const struct vesper_timer_server *s)
{
    for (vesper_cptr r = s->replies; r <= s->replies + VESPER_TIMER_SLEEPERS; r++) {
        bool held = false;
        for (unsigned i = 0; i < VESPER_TIMER_SLEEPERS; i++)
            held = held || (s->sleeper[i].waiting && s->sleeper[i].reply == r);
        if (!held)
            return r;
    }
    return s->replies; /* not reached */
}

static void answer(vesper_cptr reply, vesper_word label, uint64_t now)
{
    struct vesper_message msg = {.tag = vesper_tag(label, 1, 0), .word = {now}};
    (void)vesper_ipc_reply(reply, &msg);
}

/* Answer every sleeper whose time has come; returns the earliest time
 * still awaited, or UINT64_MAX. */
static uint64_t wake_due(struct vesper_timer_server *s)
{
    uint64_t now = s->device->now_ns(s->registers);
    uint64_t earliest = UINT64_MAX;
    for (unsigned i = 0; i < VESPER_TIMER_SLEEPERS; i++) {
        struct vesper_timer_sleeper *z = &s->sleeper[i];
        if (!z->waiting)
            continue;
        if (z->wake_ns <= now) {
            z->waiting = false;
            s->woken++;
            answer(z->reply, 0, now);
        } else if (z->wake_ns < earliest) {
            earliest = z->wake_ns;
        }
    }
    return earliest;
}

/* Wake who is due and set the comparator for the next; a time that
 * passes while it is being set is served at once rather than missed. */
static void reprogram(struct vesper_timer_server *s)
{
    for (;;) {
        uint64_t next = wake_due(s);
        if (next == UINT64_MAX) {
            s->device->disarm(s->registers);
            return;
        }
        s->device->arm(s->registers, next);
        if (s->device->now_ns(s->registers) < next)
            return;
    }
}

static void take_request(struct vesper_timer_server *s, vesper_cptr reply,
                         const struct vesper_message *msg)
{
    uint64_t now = s->device->now_ns(s->registers);
    vesper_word label = vesper_tag_label(msg->tag);
    if (label == VESPER_TIMER_NOW) {
        answer(reply, 0, now);
        return;
    }
    unsigned i = 0;
    while (i < VESPER_TIMER_SLEEPERS && s->sleeper[i].waiting)
        i++;
    if (label != VESPER_TIMER_SLEEP || i == VESPER_TIMER_SLEEPERS) {
        answer(reply, 1, now);
        return;
    }
    uint64_t ns = msg->word[0];
    s->sleeper[i] = (struct vesper_timer_sleeper){
        .waiting = true, .reply = reply, .wake_ns = ns > UINT64_MAX - now ? UINT64_MAX : now + ns};
    reprogram(s);
}

_Noreturn void vesper_timer_serve(struct vesper_timer_server *s)
{
    for (unsigned i = 0; i < VESPER_TIMER_SLEEPERS; i++)
        s->sleeper[i].waiting = false;
    s->device->disarm(s->registers);
    for (;;) {
        vesper_cptr reply = free_reply(s);
        struct vesper_message msg = {0};
        if (vesper_ipc_recv(s->endpoint, reply, &msg) != VESPER_OK)
            continue;
        if (vesper_tag_label(msg.tag) == 0 && msg.badge != 0) {
            /* The line's Notification: the comparator fired. */
            s->interrupts++;
            s->device->acknowledge(s->registers);
            reprogram(s);
            (void)vesper_irq_handler_ack(s->irq_handler);
            continue;
        }
        take_request(s, reply, &msg);
    }
}

enum vesper_error vesper_timer_sleep(vesper_cptr timer, uint64_t ns, uint64_t *woke_ns)
{
    struct vesper_message msg = {.tag = vesper_tag(VESPER_TIMER_SLEEP, 1, 0), .word = {ns}};
    enum vesper_error error = vesper_ipc_call(timer, &msg);
    if (error == VESPER_OK && vesper_tag_label(msg.tag) != 0)
        error = VESPER_ERR_ILLEGAL_OPERATION;
    if (error == VESPER_OK && woke_ns != NULL)
        *woke_ns = msg.word[0];
    return error;
}

enum vesper_error vesper_timer_now(vesper_cptr timer, uint64_t *now_ns)
{
    struct vesper_message msg = {.tag = vesper_tag(VESPER_TIMER_NOW, 0, 0)};
    enum vesper_error error = vesper_ipc_call(timer, &msg);
    if (error == VESPER_OK)
        *now_ns = msg.word[0];
    return error;
}

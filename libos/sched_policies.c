/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Three domain-scheduler policies, each a choose function over the
 * clients (<libos/sched.h>): round robin, fixed priority, and earliest
 * deadline first with (period, slice) guarantees in the style of Nemesis'
 * Atropos. A client waiting for its next period is never chosen, under any
 * policy, so that the three can be compared on the same periodic work.
 */
#include <libos/sched.h>

/* The next eligible client after the last round-robin choice, or NULL. */
static struct vesper_sched_client *next_in_turn(struct vesper_sched *s)
{
    for (unsigned step = 0; step < s->count; step++) {
        unsigned i = (s->next_rr + step) % s->count;
        struct vesper_sched_client *c = &s->client[i];
        if (vesper_sched_eligible(c)) {
            s->next_rr = i + 1;
            return c;
        }
    }
    return NULL;
}

/* Round robin: every eligible client in turn, a quantum each, whatever
 * periods begin meanwhile. */
static struct vesper_sched_client *choose_round_robin(struct vesper_sched *s, uint64_t now,
                                                      uint64_t *budget_ns)
{
    (void)now;
    *budget_ns = s->quantum_ns;
    return next_in_turn(s);
}

const struct vesper_sched_policy vesper_policy_round_robin = {
    .name = "round robin",
    .choose = choose_round_robin,
};

/* Fixed priority: the highest-priority eligible client runs; equals take
 * turns a quantum each. A release may bring a higher priority, so no
 * budget runs past one. */
static struct vesper_sched_client *choose_fixed_priority(struct vesper_sched *s, uint64_t now,
                                                         uint64_t *budget_ns)
{
    *budget_ns = vesper_sched_until_release(s, now, s->quantum_ns);
    struct vesper_sched_client *best = NULL;
    for (unsigned step = 0; step < s->count; step++) {
        unsigned i = (s->next_rr + step) % s->count;
        struct vesper_sched_client *c = &s->client[i];
        if (vesper_sched_eligible(c) && (best == NULL || c->priority > best->priority))
            best = c;
    }
    if (best != NULL)
        s->next_rr = (unsigned)(best - s->client) + 1;
    return best;
}

const struct vesper_sched_policy vesper_policy_fixed_priority = {
    .name = "fixed priority",
    .choose = choose_fixed_priority,
};

/* EDF: among the periodic clients with slice left in their period, the one
 * whose period ends first runs until its slice is spent; when none has
 * slice left, every eligible client shares the slack round-robin. A
 * set of clients whose slices add up to no more than their periods, as
 * Atropos admits, then meets every deadline. */
static struct vesper_sched_client *choose_edf(struct vesper_sched *s, uint64_t now,
                                              uint64_t *budget_ns)
{
    struct vesper_sched_client *best = NULL;
    for (unsigned i = 0; i < s->count; i++) {
        struct vesper_sched_client *c = &s->client[i];
        if (c->period_ns == 0 || !vesper_sched_eligible(c) || c->remaining_ns == 0)
            continue;
        if (best == NULL ||
            c->release_ns + c->period_ns < best->release_ns + best->period_ns)
            best = c;
    }
    if (best != NULL) {
        *budget_ns = vesper_sched_until_release(s, now, best->remaining_ns);
        return best;
    }
    *budget_ns = vesper_sched_until_release(s, now, s->quantum_ns);
    return next_in_turn(s); /* slack: best effort, and slices spent */
}

const struct vesper_sched_policy vesper_policy_edf = {
    .name = "earliest deadline first",
    .choose = choose_edf,
};

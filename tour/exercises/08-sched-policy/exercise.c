/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Tour exercise 08: a scheduling policy of your own
 * (docs/tour/08-scheduling.md).
 *
 * The root becomes the domain scheduler (libos/sched.c) of two domains, A
 * and B, that never stop working. The kernel upcalls it whenever a budget
 * ends; libos then asks the policy whom to dispatch, and for how long.
 * After RUN_NS the scheduler stops and reports how much time each had.
 *
 * Your task: make choose_weighted() share the CPU in proportion to each
 * client's `weight` (kept in its `priority` field): A has weight 3 and B
 * weight 1, so A should get about three times the time B gets. Each client
 * has run for `run_ns` so far. As given, it takes turns, which is fair but
 * not weighted. libos/sched_policies.c has three policies to learn from.
 *
 * Check it with: meson test -C build --suite exercises 08-sched-policy
 */
#include <libos/format.h>
#include <libos/sched.h>
#include <vesper/sim.h>

#include "child_domain.h"

#define QUANTUM_NS 500000u /* 0.5 ms */
#define RUN_NS 40000000u   /* 40 ms */
#define STACK_FRAMES 4u

static struct vesper_sched_client clients[2] = {
    {.name = "A", .priority = 3},
    {.name = "B", .priority = 1},
};
static struct vesper_sched sched;

static struct vesper_sched_client *choose_weighted(struct vesper_sched *s, uint64_t now,
                                                   uint64_t *budget_ns)
{
    (void)now;
    *budget_ns = s->quantum_ns;
    /* EXERCISE: choose the eligible client (vesper_sched_eligible) that has
     * had the least time for its weight: the least run_ns / priority.
     * Compare a->run_ns * b->priority with b->run_ns * a->priority rather
     * than divide. As given: each eligible client in turn. */
    for (unsigned step = 0; step < s->count; step++) {
        struct vesper_sched_client *c = &s->client[(s->next_rr + step) % s->count];
        if (vesper_sched_eligible(c)) {
            s->next_rr = (unsigned)(c - s->client) + 1;
            return c;
        }
    }
    return NULL;
}

static const struct vesper_sched_policy weighted = {.name = "weighted", .choose = choose_weighted};

/* A client's work: syscalls that change nothing, so that virtual time passes. */
static _Noreturn void worker_main(vesper_word arg)
{
    (void)arg;
    struct vesper_cap_info info;
    for (;;)
        (void)vesper_cap_identify(VESPER_ROOT_SLOT_NULL, &info);
}

static _Noreturn void finish(struct vesper_sched *s)
{
    uint64_t a = s->client[0].run_ns, b = s->client[1].run_ns;
    vesper_printf("tour 08: under %s, A ran %lu us and B %lu us\n", s->policy->name,
                  (unsigned long)(a / 1000), (unsigned long)(b / 1000));
    bool both = a > 0 && b > 0, weighted_ok = both && 2 * a >= 5 * b && 2 * a <= 7 * b;
    vesper_printf("tour 08: %s both clients ran\n", both ? "ok" : "not yet:");
    vesper_printf("tour 08: %s A had about three times the time B had\n",
                  weighted_ok ? "ok" : "not yet:");
    vesper_exit(weighted_ok ? 0 : 1);
}

int vesper_main(const struct vesper_bootinfo *bootinfo)
{
    struct carver c;
    if (!carver_init(&c, bootinfo))
        return 1;
    for (unsigned i = 0; i < 2; i++) {
        struct child_domain child;
        if (child_domain_make(&c, VESPER_ROOT_SLOT_NULL, false, &child) != VESPER_OK ||
            child_domain_start(&child, worker_main, i) != VESPER_OK)
            return 1;
        clients[i].domain = child.domain;
    }
    struct vesper_control *block = carve_granted_frames(&c, VESPER_ROOT_SLOT_PDOM, 1);
    void *stack = carve_granted_frames(&c, VESPER_ROOT_SLOT_PDOM, STACK_FRAMES);
    if (block == NULL || stack == NULL)
        return 1;
    sched = (struct vesper_sched){
        .control = block, .sched_control = VESPER_ROOT_SLOT_SCHED_CONTROL, .policy = &weighted,
        .client = clients, .count = 2, .quantum_ns = QUANTUM_NS, .stop_after_ns = RUN_NS,
        .stop = finish};
    vesper_activation_setup(block, vesper_sched_upcall, stack,
                            (vesper_word)STACK_FRAMES << VESPER_FRAME_4K_BITS, &sched);
    if (vesper_domain_set_control_block(VESPER_ROOT_SLOT_DOMAIN, (vesper_word)(uintptr_t)block) !=
        VESPER_OK)
        return 1;
    enum vesper_error error = vesper_sched_start(&sched);
    vesper_printf("tour 08: the scheduler did not start: %s\n", vesper_error_name(error));
    return 1;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * sleep: a timer driver in user space serves sleeps to two client domains.
 *
 * The root makes the driver domain: it holds the timer's device Frame, an
 * IRQHandler for the timer's line bound to a Notification bound to the
 * driver, an Endpoint and Reply objects (libos/timer.c). Two clients then
 * Call it to sleep, A three times 2 ms and B twice 5 ms, and check that
 * each answer comes no earlier than asked. While every domain waits, no
 * domain can run: the kernel idles until the timer's interrupt (on the
 * host, virtual time jumps to the comparator; on the Pi the core waits
 * for the interrupt). The root waits for both clients, then exits.
 */
#include <libos/invocations.h>
#include <libos/timer.h>

#include "child_domain.h"
#include "programs.h"

#define IRQ_BADGE 1u
#define CLIENTS 2u

struct client_plan {
    const char *name;
    unsigned sleeps;
    uint64_t ns;
    vesper_word done_badge;
};

static const struct client_plan plans[CLIENTS] = {
    {"A", 3, 2000000u, 1u},
    {"B", 2, 5000000u, 2u},
};

static struct vesper_timer_server server;
static vesper_cptr timer_endpoint;
static vesper_cptr done_notification; /* unbadged: the root waits on it */
static vesper_cptr done_badged[CLIENTS];
static bool client_ok[CLIENTS];

static void driver_entry(vesper_word arg)
{
    (void)arg;
    vesper_timer_serve(&server);
}

static void client_entry(vesper_word index)
{
    const struct client_plan *plan = &plans[index];
    bool ok = true;
    for (unsigned i = 0; i < plan->sleeps; i++) {
        uint64_t before = 0, woke = 0;
        if (vesper_timer_now(timer_endpoint, &before) != VESPER_OK ||
            vesper_timer_sleep(timer_endpoint, plan->ns, &woke) != VESPER_OK) {
            ok = false;
            break;
        }
        vesper_print("sleep: ");
        vesper_print(plan->name);
        vesper_print(" asked at ");
        print_ms(before);
        vesper_print(" ms for ");
        print_ms(plan->ns);
        vesper_print(" ms, woke at ");
        print_ms(woke);
        vesper_print(" ms\n");
        ok = ok && woke >= before + plan->ns;
    }
    client_ok[index] = ok;
    (void)vesper_signal(done_badged[index]);
    vesper_exit(0);
}

/* The driver's objects: device Frame, Endpoint, Notification, handler. */
static bool make_driver(struct carver *c, const struct vesper_bootinfo *info)
{
    vesper_cptr frame, irq_notification, badged, handler;
    if (carve_device_frame(c, info, vesper_timer_device.address, VESPER_ROOT_SLOT_PDOM,
                           &frame) != VESPER_OK ||
        carve(c, "retype the Endpoint", VESPER_OBJECT_ENDPOINT, 0, 1, &timer_endpoint) !=
            VESPER_OK ||
        carve(c, "retype the Notification", VESPER_OBJECT_NOTIFICATION, 0, 1,
              &irq_notification) != VESPER_OK ||
        carve(c, "retype the Replies", VESPER_OBJECT_REPLY, 0, VESPER_TIMER_SLEEPERS + 1,
              &server.replies) != VESPER_OK || c->next + 2 > c->end)
        return false;
    badged = c->next++;
    handler = c->next++;
    c->failed = "bind the timer's line";
    struct child_domain driver;
    if (vesper_cnode_mint(CHILD_ROOT_CNODE, badged, CHILD_ROOT_DEPTH, CHILD_ROOT_CNODE,
                          irq_notification, CHILD_ROOT_DEPTH, VESPER_RIGHTS_ALL,
                          IRQ_BADGE) != VESPER_OK ||
        vesper_irq_control_get(VESPER_ROOT_SLOT_IRQ_CONTROL, vesper_timer_device.line,
                               CHILD_ROOT_CNODE, handler, CHILD_ROOT_DEPTH) != VESPER_OK ||
        vesper_irq_handler_set_notification(handler, badged) != VESPER_OK ||
        child_domain_make(c, VESPER_ROOT_SLOT_NULL, false, &driver) != VESPER_OK ||
        vesper_domain_bind_notification(driver.domain, irq_notification) != VESPER_OK)
        return false;
    server.device = &vesper_timer_device;
    server.registers = (volatile void *)(uintptr_t)vesper_timer_device.address;
    server.endpoint = timer_endpoint;
    server.irq_handler = handler;
    c->failed = NULL;
    return child_domain_start(&driver, driver_entry, 0) == VESPER_OK;
}

static bool start_clients(struct carver *c)
{
    if (carve(c, "retype the done Notification", VESPER_OBJECT_NOTIFICATION, 0, 1,
              &done_notification) != VESPER_OK ||
        c->next + CLIENTS > c->end)
        return false;
    for (unsigned i = 0; i < CLIENTS; i++) {
        struct child_domain client;
        done_badged[i] = c->next++;
        if (vesper_cnode_mint(CHILD_ROOT_CNODE, done_badged[i], CHILD_ROOT_DEPTH,
                              CHILD_ROOT_CNODE, done_notification, CHILD_ROOT_DEPTH,
                              VESPER_RIGHTS_ALL, plans[i].done_badge) != VESPER_OK ||
            child_domain_make(c, VESPER_ROOT_SLOT_NULL, false, &client) != VESPER_OK ||
            child_domain_start(&client, client_entry, i) != VESPER_OK)
            return false;
    }
    return true;
}

int timer_demo_main(const struct vesper_bootinfo *info)
{
    struct carver c;
    if (!carver_init(&c, info) || !make_driver(&c, info) || !start_clients(&c)) {
        vesper_print("sleep: FAILED to set up: ");
        vesper_print(c.failed != NULL ? c.failed : "?");
        vesper_print("\n");
        return 1;
    }
    vesper_print("sleep: the ");
    vesper_print(vesper_timer_device.name);
    vesper_print(" driver serves two clients\n");
    vesper_word seen = 0;
    while (seen != 3u) {
        vesper_word word = 0;
        if (vesper_wait(done_notification, &word) != VESPER_OK)
            return 1;
        seen |= word;
    }
    bool ok = client_ok[0] && client_ok[1];
    vesper_print(ok ? "sleep: ok every sleep lasted at least what was asked\n"
                    : "sleep: FAILED a sleep ended early or failed\n");
    vesper_print("sleep: the driver took ");
    print_decimal(server.interrupts);
    vesper_print(" interrupts and answered ");
    print_decimal(server.woken);
    vesper_print(" sleeps\n");
    return ok && server.woken == 5 ? 0 : 1;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Tour exercise 04: a server domain (docs/tour/04-ipc.md).
 *
 * The root carves an Endpoint and a Reply object, starts a second domain,
 * the server, and makes CALLS Calls to it through the Endpoint. Each
 * request has one word, x; the right answer has one word, x * x.
 *
 * Your task: write the server's loop in server_main(). Receive a Call,
 * answer it, and receive the next, for ever. <libos/ipc.h> has what you
 * need: vesper_ipc_recv() and vesper_ipc_reply(), or vesper_ipc_reply_recv(),
 * which does both in one kernel entry (programs/pingpong.c uses it).
 *
 * The server shares the root's CSpace and protection domain
 * (programs/child_domain.h), so it can use `endpoint` and `reply` as they
 * are.
 *
 * Check it with: meson test -C build --suite exercises 04-ipc-server
 */
#include <stdint.h>

#include <libos/format.h>
#include <vesper/sim.h>

#include "child_domain.h"

#define CALLS 5u

static vesper_cptr endpoint; /* the server receives on it, the root Calls it */
static vesper_cptr reply;    /* the server's Reply object */

static _Noreturn void server_main(vesper_word arg)
{
    (void)arg;
    struct vesper_message msg = {0};

    /* EXERCISE: replace the lines below with a loop that answers every
     * Call with one word, x * x, where x is the request's word 0. Set the
     * answer's tag with vesper_tag(0, 1, 0): label 0, one word. */
    (void)vesper_ipc_recv(endpoint, reply, &msg);
    vesper_printf("tour 04: the server received %lu and stops without an answer\n",
                  (unsigned long)msg.word[0]);
    vesper_exit(1);
}

int vesper_main(const struct vesper_bootinfo *bootinfo)
{
    struct carver c;
    struct child_domain server;
    if (!carver_init(&c, bootinfo) ||
        carve(&c, "retype an Endpoint", VESPER_OBJECT_ENDPOINT, 0, 1, &endpoint) != VESPER_OK ||
        carve(&c, "retype a Reply object", VESPER_OBJECT_REPLY, 0, 1, &reply) != VESPER_OK ||
        child_domain_make(&c, VESPER_ROOT_SLOT_NULL, false, &server) != VESPER_OK ||
        child_domain_start(&server, server_main, 0) != VESPER_OK) {
        vesper_printf("tour 04: cannot %s\n", c.failed != NULL ? c.failed : "start the server");
        return 1;
    }
    unsigned right = 0;
    for (vesper_word x = 1; x <= CALLS; x++) {
        struct vesper_message msg = {.tag = vesper_tag(0, 1, 0), .word = {x}};
        enum vesper_error error = vesper_ipc_call(endpoint, &msg);
        if (error != VESPER_OK) {
            vesper_printf("tour 04: Call %lu failed: %s\n", (unsigned long)x,
                          vesper_error_name(error));
            continue;
        }
        vesper_printf("tour 04: sent %lu, the answer is %lu\n", (unsigned long)x,
                      (unsigned long)msg.word[0]);
        if (vesper_tag_length(msg.tag) == 1 && msg.word[0] == x * x)
            right++;
    }
    vesper_printf("tour 04: %u of %u answers right\n", right, CALLS);
    return right == CALLS ? 0 : 1;
}

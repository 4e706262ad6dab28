/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * pingpong: the root domain, as a client, makes PINGPONG_CALLS Calls to a
 * server domain it starts itself, and checks every answer.
 *
 * The root carves an Endpoint, a Reply object, a Domain, a 16 KiB stack and
 * an IPC buffer frame from its largest RAM Untyped, configures the server
 * with its own CSpace and PDom, and starts it. The server loops on
 * ReplyRecv (the first one, with no Call bound to its Reply object, only
 * receives) and answers each message with word 0 plus one. Both run as
 * real domains: on the host each on its own stack, on the Pi at EL0.
 */
#include <stdint.h>

#include "child_domain.h"
#include "programs.h"

#define PINGPONG_CALLS 1000u

/* What the server needs, passed by address as its start argument. */
struct server_args {
    vesper_cptr endpoint;
    vesper_cptr reply;
};

static struct server_args server_args;

static _Noreturn void server_main(vesper_word arg)
{
    const struct server_args *args = (const struct server_args *)(uintptr_t)arg;
    struct vesper_message msg = {0};
    for (;;) {
        enum vesper_error error = vesper_ipc_reply_recv(args->endpoint, args->reply, &msg);
        if (error != VESPER_OK) {
            vesper_print("pingpong: the server's ReplyRecv failed: ");
            vesper_print(vesper_error_name(error));
            vesper_print("\n");
            vesper_exit(1);
        }
        msg.tag = vesper_tag(0, 1, 0);
        msg.word[0] += 1;
    }
}

static int setup_failed(const struct carver *c, enum vesper_error error)
{
    vesper_print("pingpong: cannot ");
    vesper_print(c->failed);
    vesper_print(": ");
    vesper_print(vesper_error_name(error));
    vesper_print("\n");
    return 1;
}

/* Carve the objects and start the server (programs.h). */
enum vesper_error pingpong_start_server(struct carver *c, vesper_cptr *endpoint)
{
    struct child_domain server;
    enum vesper_error error = carve(c, "retype an Endpoint", VESPER_OBJECT_ENDPOINT, 0, 1,
                                    &server_args.endpoint);
    if (error == VESPER_OK)
        error = carve(c, "retype a Reply object", VESPER_OBJECT_REPLY, 0, 1, &server_args.reply);
    if (error == VESPER_OK)
        error = child_domain_make(c, VESPER_ROOT_SLOT_NULL, true, &server);
    if (error == VESPER_OK) {
        error = child_domain_start(&server, server_main, (vesper_word)(uintptr_t)&server_args);
        if (error != VESPER_OK)
            c->failed = "start the server";
    }
    *endpoint = server_args.endpoint;
    return error;
}

static int call_failed(vesper_word call, const char *what, vesper_word got, vesper_word wanted)
{
    vesper_print("pingpong: call ");
    print_decimal(call);
    vesper_print(": ");
    vesper_print(what);
    vesper_print(" ");
    print_decimal(got);
    vesper_print(", wanted ");
    print_decimal(wanted);
    vesper_print("\n");
    return 1;
}

int pingpong_main(const struct vesper_bootinfo *info)
{
    struct carver c;
    if (!carver_init(&c, info))
        return setup_failed(&c, VESPER_ERR_INVALID_ARGUMENT);
    vesper_cptr endpoint;
    enum vesper_error error = pingpong_start_server(&c, &endpoint);
    if (error != VESPER_OK)
        return setup_failed(&c, error);
    vesper_print("pingpong: the server domain runs; calling it\n");
    for (vesper_word i = 0; i < PINGPONG_CALLS; i++) {
        vesper_word sent = 1000 * i + 7;
        struct vesper_message msg = {.tag = vesper_tag(0, 1, 0), .word = {sent}};
        error = vesper_ipc_call(endpoint, &msg);
        if (error != VESPER_OK) {
            vesper_print("pingpong: call ");
            print_decimal(i);
            vesper_print(" failed: ");
            vesper_print(vesper_error_name(error));
            vesper_print("\n");
            return 1;
        }
        if (vesper_tag_length(msg.tag) != 1)
            return call_failed(i, "the answer has length", vesper_tag_length(msg.tag), 1);
        if (msg.word[0] != sent + 1)
            return call_failed(i, "the answer is", msg.word[0], sent + 1);
    }
    vesper_print("pingpong: ");
    print_decimal(PINGPONG_CALLS);
    vesper_print(" calls answered\n");
    return 0;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * ipc: a root domain that shows Vesper's IPC at work and checks each step,
 * on both HALs. It prints one "ipc: ok" line per check that held and ends
 * with "ipc: all checks passed" (or "ipc: FAILED" lines and status 1).
 *
 *   (a) Call and ReplyRecv: a server domain answers word 0 plus one.
 *   (b) Notifications: after serving a Call the server Signals a badged
 *       Notification capability; the root Waits and finds the badge.
 *   (c) Capability transfer: a Call through an Endpoint capability with
 *       the grant right carries the capabilities named in the caller's IPC
 *       buffer; the server's IPC buffer names the slot that receives one,
 *       and an Endpoint capability to the endpoint carrying the message
 *       arrives unwrapped to its badge. Without the grant right nothing
 *       goes along.
 *   (d) Faults: a domain makes an unknown syscall; its fault endpoint (a
 *       badged capability to an endpoint the root receives on) brings the
 *       fault to the root as a Call, and the root's reply becomes the
 *       syscall's results.
 *   (e) A domain executes an undefined instruction (at EL0 on the Pi; a
 *       signal on the host); the root gets the user exception and resumes
 *       it past the instruction.
 *   (f) A frame server (libos/frames.c) in a domain of its own hands the
 *       root two frames, whose capabilities come back in the replies
 *       because the root calls through a capability with GRANT_REPLY;
 *       with the second request goes the root's PDom, to which the server
 *       grants the frame, and the root writes into it; through a
 *       capability without GRANT_REPLY, no frame comes back.
 *
 * Every domain shares the root's CSpace and PDom (child_domain.h), so the
 * CPtrs and pointers in their start arguments mean the same to all.
 */
#include <stdbool.h>
#include <stdint.h>

#include <libos/frames.h>

#include "child_domain.h"
#include "programs.h"

/* The server's operations: the labels of the messages it understands. */
enum server_label {
    SERVER_ADD = 1,            /* answer word 0 + 1 */
    SERVER_ADD_AND_SIGNAL = 2, /* the same, then Signal the notification */
    SERVER_REPORT_CAPS = 3,    /* answer: capabilities received, unwrapped
                                * mask, caps_or_badges[0] of its buffer */
};

/* Badges: of the Notification capabilities each domain signals through
 * (the word the root's Wait returns says who signalled, and how it went),
 * of the endpoint capability sent over itself, and of the fault
 * endpoint capabilities (the root learns which domain faulted). */
#define BADGE_SERVED 0x1u
#define BADGE_FAULTER_OK 0x10u
#define BADGE_FAULTER_WRONG 0x20u
#define BADGE_UNDEFINED_OK 0x100u
#define BADGE_UNDEFINED_WRONG 0x200u
#define BADGE_SENT_ENDPOINT 0x77u
#define BADGE_FAULTER 0xfau
#define BADGE_UNDEFINED 0xfbu

#define UNKNOWN_SYSCALL_NUMBER 10u
#define FAULT_ANSWER 0x5eedu

/* The exception part: an undefined instruction, which both HALs turn into
 * a user-exception fault. Its length is what the handler skips; the cause
 * word is ESR_EL1 on the Pi (class 0: unknown instruction) and the signal
 * number on the host (SIGILL, 4). */
#if defined(__aarch64__)
#define IPC_DEMO_USER_EXCEPTION 1
#define UNDEFINED_LENGTH 4
#define UNDEFINED_INSTRUCTION(at) __asm__ volatile("adr %0, 1f\n1:\tudf #0" : "=r"(at) : : "memory")
#elif defined(__x86_64__)
#define IPC_DEMO_USER_EXCEPTION 1
#define UNDEFINED_LENGTH 2
#define UNDEFINED_INSTRUCTION(at) __asm__ volatile("lea 1f(%%rip), %0\n1:\tud2" : "=r"(at) : : "memory")
#endif
#if defined(__linux__)
#define UNDEFINED_CAUSE_OK(cause) ((cause) == 4)
#else
#define UNDEFINED_CAUSE_OK(cause) ((((cause) >> 26) & 0x3fu) == 0)
#endif

struct server_args {
    struct vesper_ipc_buffer *buffer; /* the server's own IPC buffer */
    volatile bool found_own_buffer;   /* vesper_ipc_buffer() named it */
    vesper_cptr endpoint;
    vesper_cptr reply;
    vesper_cptr served;       /* the notification, badged BADGE_SERVED */
    vesper_cptr receive_slot; /* where a received capability goes */
};

struct faulter_args {
    vesper_cptr ok;     /* the notification, badged for success */
    vesper_cptr wrong;  /* badged for failure */
    vesper_word pc;     /* the pc the handler saw (part e) */
};

static struct server_args server_args;
static struct faulter_args faulter_args;
#ifdef IPC_DEMO_USER_EXCEPTION
static struct faulter_args undefined_args;
#endif

/* ---- Reporting ----------------------------------------------------------- */

static int failures;

static void print_pair(const char *a, const char *b)
{
    vesper_print(a);
    vesper_print(b);
}

static bool check(const char *what, bool ok)
{
    print_pair(ok ? "ipc: ok " : "ipc: FAILED ", what);
    vesper_print("\n");
    if (!ok)
        failures++;
    return ok;
}

static bool check_word(const char *what, vesper_word got, vesper_word wanted)
{
    if (got == wanted)
        return check(what, true);
    print_pair("ipc: FAILED ", what);
    vesper_print(" (got ");
    print_hex(got);
    vesper_print(", wanted ");
    print_hex(wanted);
    vesper_print(")\n");
    failures++;
    return false;
}

static bool check_ok(const char *what, enum vesper_error error)
{
    if (error == VESPER_OK)
        return true; /* set-up steps print nothing when they work */
    print_pair("ipc: FAILED ", what);
    print_pair(" (", vesper_error_name(error));
    vesper_print(")\n");
    failures++;
    return false;
}

/* ---- The server (parts a, b and c) --------------------------------------- */

static struct vesper_message serve(const struct server_args *args,
                                   const struct vesper_message *msg)
{
    struct vesper_message answer = {.tag = vesper_tag(0, 1, 0)};
    switch (vesper_tag_label(msg->tag)) {
    case SERVER_ADD:
    case SERVER_ADD_AND_SIGNAL:
        answer.word[0] = msg->word[0] + 1;
        break;
    case SERVER_REPORT_CAPS:
        answer.tag = vesper_tag(0, 3, 0);
        answer.word[0] = vesper_tag_caps(msg->tag);
        answer.word[1] = (msg->tag >> 9) & 7u;
        answer.word[2] = args->buffer->caps_or_badges[0];
        args->buffer->caps_or_badges[0] = 0;
        break;
    default:
        answer.tag = vesper_tag(1, 0, 0); /* not understood */
        break;
    }
    return answer;
}

static _Noreturn void server_main(vesper_word arg)
{
    struct server_args *args = (struct server_args *)(uintptr_t)arg;
    /* The server runs the root's program image, yet libos finds the
     * server's own buffer: the kernel gives each domain its address. */
    args->found_own_buffer = vesper_ipc_buffer() == args->buffer;
    args->buffer->receive_cnode = VESPER_ROOT_SLOT_CNODE;
    args->buffer->receive_index = args->receive_slot;
    args->buffer->receive_depth = CHILD_ROOT_DEPTH;
    struct vesper_message msg = {0};
    enum vesper_error error = vesper_ipc_reply_recv(args->endpoint, args->reply, &msg);
    while (error == VESPER_OK) {
        bool signal = vesper_tag_label(msg.tag) == SERVER_ADD_AND_SIGNAL;
        msg = serve(args, &msg);
        if (!signal) {
            error = vesper_ipc_reply_recv(args->endpoint, args->reply, &msg);
            continue;
        }
        error = vesper_ipc_reply(args->reply, &msg);
        if (error == VESPER_OK)
            error = vesper_signal(args->served);
        if (error == VESPER_OK)
            error = vesper_ipc_recv(args->endpoint, args->reply, &msg);
    }
    print_pair("ipc: FAILED the server stopped: ", vesper_error_name(error));
    vesper_print("\n");
    vesper_exit(1);
}

/* ---- The faulting domains (parts d and e) --------------------------------- */

static _Noreturn void faulter_main(vesper_word arg)
{
    const struct faulter_args *args = (const struct faulter_args *)(uintptr_t)arg;
    struct vesper_syscall_frame frame = {.number = UNKNOWN_SYSCALL_NUMBER};
    vesper_syscall(&frame);
    bool ok = frame.arg[0] == VESPER_OK && vesper_tag_label(frame.arg[1]) == 0 &&
              frame.arg[2] == FAULT_ANSWER;
    vesper_signal(ok ? args->ok : args->wrong);
    vesper_exit(0);
}

#ifdef IPC_DEMO_USER_EXCEPTION
static _Noreturn void undefined_main(vesper_word arg)
{
    const volatile struct faulter_args *args = (const struct faulter_args *)(uintptr_t)arg;
    vesper_word at;
    UNDEFINED_INSTRUCTION(at);
    /* Here only if the handler moved the pc past the instruction. */
    vesper_signal(args->pc == at ? args->ok : args->wrong);
    vesper_exit(0);
}
#endif

/* ---- The root's side ------------------------------------------------------ */

struct demo {
    struct carver carver;
    struct vesper_ipc_buffer *buffer; /* the root's own IPC buffer */
    vesper_cptr notification;         /* the root Waits on it */
    vesper_cptr fault_endpoint;       /* the root receives faults on it */
    vesper_cptr fault_reply;          /* its Reply object for them */
};

static bool carve_one(struct demo *d, const char *step, enum vesper_object_type type,
                      vesper_cptr *slot)
{
    return check_ok(step, carve(&d->carver, step, type, 0, 1, slot));
}

/* A fresh slot of the root CNode (the demo uses a few dozen of its 1024). */
static vesper_cptr take_slot(struct demo *d)
{
    return d->carver.next++;
}

/* Mint (badge non-zero) or Copy a capability of the root's into a fresh slot. */
static bool derive(struct demo *d, const char *step, vesper_cptr from, unsigned rights,
                   vesper_word badge, vesper_cptr *slot)
{
    *slot = take_slot(d);
    enum vesper_error error =
        badge != 0 ? vesper_cnode_mint(CHILD_ROOT_CNODE, *slot, CHILD_ROOT_DEPTH,
                                       CHILD_ROOT_CNODE, from, CHILD_ROOT_DEPTH, rights, badge)
                   : vesper_cnode_copy(CHILD_ROOT_CNODE, *slot, CHILD_ROOT_DEPTH,
                                       CHILD_ROOT_CNODE, from, CHILD_ROOT_DEPTH, rights);
    return check_ok(step, error);
}

static bool domain_step(struct demo *d, const char *what, enum vesper_error error)
{
    if (error == VESPER_OK)
        return true;
    print_pair("ipc: FAILED make the ", what);
    print_pair(": ", d->carver.failed);
    print_pair(" (", vesper_error_name(error));
    vesper_print(")\n");
    failures++;
    return false;
}

static bool make_domain(struct demo *d, const char *what, vesper_cptr fault_endpoint,
                        bool with_buffer, struct child_domain *child)
{
    return domain_step(d, what, child_domain_make(&d->carver, fault_endpoint, with_buffer, child));
}

static bool start_domain(struct demo *d, const char *what, const struct child_domain *child,
                         void (*entry)(vesper_word), const void *args)
{
    d->carver.failed = "start it";
    return domain_step(d, what, child_domain_start(child, entry, (vesper_word)(uintptr_t)args));
}

/* (a) Start the server and make a few Calls. */
static bool part_calls(struct demo *d)
{
    struct child_domain server;
    vesper_cptr served;
    if (!carve_one(d, "retype the server's Endpoint", VESPER_OBJECT_ENDPOINT,
                   &server_args.endpoint) ||
        !carve_one(d, "retype the server's Reply object", VESPER_OBJECT_REPLY,
                   &server_args.reply) ||
        !derive(d, "mint the server's Notification capability", d->notification,
              VESPER_RIGHT_WRITE, BADGE_SERVED, &served))
        return false;
    server_args.served = served;
    server_args.receive_slot = take_slot(d);
    if (!make_domain(d, "server", VESPER_ROOT_SLOT_NULL, true, &server))
        return false;
    server_args.buffer = (struct vesper_ipc_buffer *)(uintptr_t)server.ipc_buffer;
    if (!start_domain(d, "server", &server, server_main, &server_args))
        return false;
    check("a server domain started with its own stack and IPC buffer", true);
    check("the root finds its own IPC buffer through vesper_ipc_buffer()",
          vesper_ipc_buffer() == d->buffer);
    bool all = true;
    for (vesper_word i = 0; i < 3; i++) {
        struct vesper_message msg = {.tag = vesper_tag(SERVER_ADD, 1, 0), .word = {100 * i}};
        enum vesper_error error = vesper_ipc_call(server_args.endpoint, &msg);
        all = check_ok("Call the server", error) && all;
        if (error == VESPER_OK && msg.word[0] != 100 * i + 1)
            all = check_word("the server answers word 0 + 1", msg.word[0], 100 * i + 1) && all;
    }
    check("the server finds its own IPC buffer through vesper_ipc_buffer()",
          server_args.found_own_buffer);
    return check("3 Calls answered through ReplyRecv with word 0 + 1", all);
}

/* (b) The server signals after serving; the root's Wait gets the badge. */
static bool part_notification(struct demo *d)
{
    struct vesper_message msg = {.tag = vesper_tag(SERVER_ADD_AND_SIGNAL, 1, 0), .word = {41}};
    if (!check_ok("Call the server to signal", vesper_ipc_call(server_args.endpoint, &msg)))
        return false;
    check_word("the server answered 42, then signalled", msg.word[0], 42);
    vesper_word word = 0;
    if (!check_ok("Wait on the notification", vesper_wait(d->notification, &word)))
        return false;
    check_word("Wait returned the badge the server signalled with", word, BADGE_SERVED);
    if (!check_ok("Poll the notification", vesper_poll(d->notification, &word)))
        return false;
    return check_word("Wait cleared the word: a Poll finds nothing", word, 0);
}

/* Call the server with one capability named in the root's buffer. */
static bool send_cap(vesper_cptr endpoint, vesper_cptr cap, struct vesper_message *msg,
                     struct vesper_ipc_buffer *buffer)
{
    buffer->caps_or_badges[0] = cap;
    *msg = (struct vesper_message){.tag = vesper_tag(SERVER_REPORT_CAPS, 0, 1)};
    return check_ok("Call the server with a capability", vesper_ipc_call(endpoint, msg));
}

/* (c) Capabilities travel with the grant right; an Endpoint capability to
 * the carrying endpoint is unwrapped to its badge. */
static bool part_transfer(struct demo *d)
{
    vesper_cptr frame, no_grant, badged;
    struct vesper_frame_info where = {0};
    struct vesper_cap_info id = {0};
    struct vesper_message msg;
    if (!carve_one(d, "retype a Frame to send", VESPER_OBJECT_FRAME_4K, &frame) ||
        !check_ok("find the Frame", vesper_frame_get_address(frame, &where)) ||
        !derive(d, "copy the Endpoint capability without grant", server_args.endpoint,
              VESPER_RIGHT_READ | VESPER_RIGHT_WRITE, 0, &no_grant) ||
        !derive(d, "mint a badged Endpoint capability", server_args.endpoint,
              VESPER_RIGHT_READ | VESPER_RIGHT_WRITE, BADGE_SENT_ENDPOINT, &badged))
        return false;

    if (!send_cap(no_grant, frame, &msg, d->buffer))
        return false;
    check_word("without the grant right no capability goes along", msg.word[0], 0);
    check("the receive slot is still empty",
          vesper_cap_identify(server_args.receive_slot, &id) == VESPER_ERR_INVALID_CAPABILITY);

    if (!send_cap(server_args.endpoint, frame, &msg, d->buffer))
        return false;
    check_word("with the grant right the server received one capability", msg.word[0], 1);
    check_word("it was not unwrapped", msg.word[1], 0);
    if (!check_ok("identify the receive slot", vesper_cap_identify(server_args.receive_slot, &id)))
        return false;
    check("the receive slot holds the Frame",
          id.type == VESPER_OBJECT_FRAME_4K && id.address == where.address);

    if (!send_cap(server_args.endpoint, badged, &msg, d->buffer))
        return false;
    check_word("the Endpoint capability counts as one capability", msg.word[0], 1);
    check_word("the tag marks it unwrapped (bit 9)", msg.word[1], 1);
    return check_word("the server's caps_or_badges[0] holds its badge", msg.word[2],
                      BADGE_SENT_ENDPOINT);
}

/* Receive one fault on the root's fault endpoint. */
static bool receive_fault(struct demo *d, struct vesper_message *msg)
{
    *msg = (struct vesper_message){0};
    return check_ok("receive a fault",
                    vesper_ipc_recv(d->fault_endpoint, d->fault_reply, msg));
}

/* Wait for the faulted domain's verdict on how it was resumed. */
static bool wait_verdict(struct demo *d, const char *what, vesper_word ok)
{
    vesper_word word = 0;
    if (!check_ok("Wait for the faulted domain", vesper_wait(d->notification, &word)))
        return false;
    return check_word(what, word, ok);
}

static bool make_faulter(struct demo *d, const char *what, vesper_word fault_badge,
                         vesper_word ok_badge, vesper_word wrong_badge,
                         struct faulter_args *args, void (*entry)(vesper_word))
{
    vesper_cptr fault_cap;
    struct child_domain child;
    return derive(d, "mint a badged fault endpoint capability", d->fault_endpoint,
                VESPER_RIGHT_WRITE, fault_badge, &fault_cap) &&
           derive(d, "mint a Notification capability", d->notification, VESPER_RIGHT_WRITE,
                ok_badge, &args->ok) &&
           derive(d, "mint a Notification capability", d->notification, VESPER_RIGHT_WRITE,
                wrong_badge, &args->wrong) &&
           make_domain(d, what, fault_cap, false, &child) &&
           start_domain(d, what, &child, entry, args);
}

/* (d) An unknown syscall, answered by the root as the fault handler. */
static bool part_fault(struct demo *d)
{
    if (!make_faulter(d, "faulting domain", BADGE_FAULTER, BADGE_FAULTER_OK,
                      BADGE_FAULTER_WRONG, &faulter_args, faulter_main))
        return false;
    struct vesper_message msg;
    if (!receive_fault(d, &msg))
        return false;
    check_word("the fault arrives as an unknown-syscall Call", vesper_tag_label(msg.tag),
               VESPER_FAULT_UNKNOWN_SYSCALL);
    check_word("with the fault endpoint capability's badge", msg.badge, BADGE_FAULTER);
    check_word("its word 0 is the syscall number", msg.word[0], UNKNOWN_SYSCALL_NUMBER);
    msg = (struct vesper_message){.tag = vesper_tag(0, 1, 0), .word = {FAULT_ANSWER}};
    if (!check_ok("reply to the fault", vesper_ipc_reply(d->fault_reply, &msg)))
        return false;
    return wait_verdict(d, "the faulted domain got the reply as its syscall's results",
                        BADGE_FAULTER_OK);
}

#ifdef IPC_DEMO_USER_EXCEPTION
/* (e) An undefined instruction, resumed past it by the root. */
static bool part_user_exception(struct demo *d)
{
    if (!make_faulter(d, "undefined-instruction domain", BADGE_UNDEFINED, BADGE_UNDEFINED_OK,
                      BADGE_UNDEFINED_WRONG, &undefined_args, undefined_main))
        return false;
    struct vesper_message msg;
    if (!receive_fault(d, &msg))
        return false;
    check_word("an undefined instruction arrives as a user exception",
               vesper_tag_label(msg.tag), VESPER_FAULT_USER_EXCEPTION);
    check_word("with its fault endpoint capability's badge", msg.badge, BADGE_UNDEFINED);
    check_word("its cause says: an undefined instruction", UNDEFINED_CAUSE_OK(msg.word[0]), 1);
    undefined_args.pc = msg.word[1];
    msg = (struct vesper_message){.tag = vesper_tag(0, 1, 0),
                                  .word = {msg.word[1] + UNDEFINED_LENGTH}};
    if (!check_ok("reply with the next pc", vesper_ipc_reply(d->fault_reply, &msg)))
        return false;
    return wait_verdict(d, "the domain resumed after the instruction it faulted on",
                        BADGE_UNDEFINED_OK);
}
#endif

/* ---- The frame server (part f) ------------------------------------------- */

#define FRAME_SERVER_SLOTS 4u

static struct vesper_frame_server frame_server;

static _Noreturn void frame_server_main(vesper_word arg)
{
    struct vesper_frame_server *server = (struct vesper_frame_server *)(uintptr_t)arg;
    enum vesper_error error = vesper_frame_server_run(server);
    print_pair("ipc: FAILED the frame server stopped: ", vesper_error_name(error));
    vesper_print("\n");
    vesper_exit(1);
}

/* Start the frame server with a few slots of the root's CNode to fill. */
static bool start_frame_server(struct demo *d)
{
    struct child_domain server;
    if (!carve_one(d, "retype the frame server's Endpoint", VESPER_OBJECT_ENDPOINT,
                   &frame_server.endpoint) ||
        !carve_one(d, "retype the frame server's Reply object", VESPER_OBJECT_REPLY,
                   &frame_server.reply))
        return false;
    frame_server.untyped = d->carver.untyped;
    frame_server.cnode = CHILD_ROOT_CNODE;
    frame_server.next = d->carver.next;
    frame_server.end = frame_server.next + FRAME_SERVER_SLOTS;
    frame_server.scratch = frame_server.end;
    d->carver.next = frame_server.scratch + 1;
    return make_domain(d, "frame server", VESPER_ROOT_SLOT_NULL, true, &server) &&
           start_domain(d, "frame server", &server, frame_server_main, &frame_server);
}

/* (f) Two frames from the frame server, the second granted to the root's
 * PDom by the server, then a request that cannot be answered with one. */
static bool part_frames(struct demo *d)
{
    vesper_cptr client, no_grant_reply;
    if (!start_frame_server(d) ||
        !derive(d, "copy a client capability with GRANT_REPLY", frame_server.endpoint,
                VESPER_RIGHT_WRITE | VESPER_RIGHT_GRANT | VESPER_RIGHT_GRANT_REPLY, 0, &client) ||
        !derive(d, "copy a client capability without it", frame_server.endpoint,
                VESPER_RIGHT_WRITE, 0, &no_grant_reply))
        return false;
    vesper_cptr slots[2] = {take_slot(d), take_slot(d)};
    vesper_word addresses[2] = {0, 0};
    bool frames = true;
    for (unsigned i = 0; i < 2; i++) {
        struct vesper_cap_info info = {0};
        vesper_cptr pdom = i == 1 ? VESPER_ROOT_SLOT_PDOM : 0;
        frames = check_ok("get a frame from the frame server",
                          vesper_frame_get_granted(client, pdom, CHILD_ROOT_CNODE, slots[i],
                                                   &addresses[i])) &&
                 check_ok("identify the frame", vesper_cap_identify(slots[i], &info)) &&
                 info.type == VESPER_OBJECT_FRAME_4K && info.address == addresses[i] && frames;
    }
    check("the frame server's replies brought two Frames, at the addresses it gave",
          frames && addresses[0] != addresses[1]);
    if (frames) {
        volatile vesper_word *word = (volatile vesper_word *)(uintptr_t)addresses[1];
        *word = 0x5eed;
        check("the root writes into the frame the server granted to its PDom", *word == 0x5eed);
    }
    vesper_word ignored = 0;
    return check_word("without GRANT_REPLY no frame comes back",
                      vesper_frame_get(no_grant_reply, CHILD_ROOT_CNODE, take_slot(d), &ignored),
                      VESPER_ERR_ILLEGAL_OPERATION);
}

int ipc_demo_main(const struct vesper_bootinfo *info)
{
    struct demo d = {.buffer = (struct vesper_ipc_buffer *)(uintptr_t)info->ipc_buffer};
    failures = 0;
    bool going = check_ok("find a RAM Untyped",
                          carver_init(&d.carver, info) ? VESPER_OK : VESPER_ERR_RANGE) &&
                 carve_one(&d, "retype a Notification", VESPER_OBJECT_NOTIFICATION,
                           &d.notification) &&
                 carve_one(&d, "retype a fault Endpoint", VESPER_OBJECT_ENDPOINT,
                           &d.fault_endpoint) &&
                 carve_one(&d, "retype the root's Reply object", VESPER_OBJECT_REPLY,
                           &d.fault_reply);
    going = going && part_calls(&d);
    going = going && part_notification(&d);
    going = going && part_transfer(&d);
    going = going && part_fault(&d);
#ifdef IPC_DEMO_USER_EXCEPTION
    going = going && part_user_exception(&d);
#endif
    going = going && part_frames(&d);
    (void)going;
    vesper_print(failures == 0 ? "ipc: all checks passed\n" : "ipc: some checks failed\n");
    return failures == 0 ? 0 : 1;
}

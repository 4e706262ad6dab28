/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The IPC fast path (core/entry/fastpath.c). Each scenario runs twice from a
 * fresh boot, with the fast path on and off, and after every syscall the
 * two runs must agree on everything a domain or the kernel can observe:
 * every domain's state, results, IPC buffer, queue and Reply object links,
 * the endpoints' queues, the Reply objects, notification words, the run
 * queue and the current domain. Separately, fastpath_try() itself must
 * take the Call and ReplyRecv it is meant for, leaving what the general
 * path leaves, and decline (changing nothing) every case it is not: long
 * messages, capabilities in the tag, no receiver waiting, a receiver with
 * no Reply object, a fault to answer, a bound notification pending,
 * senders queued, missing rights and other syscalls.
 */
#include "fastpath.h"
#include "ipc_support.h"

#define MAX_DOMAINS 6
#define MAX_OBJECTS 4
#define MAX_STEPS 48
#define NTFN_BASE 100 /* blocked_on indices of notifications start here */

/* The objects of a scenario, so that two runs can name them alike. */
static struct {
    struct domain *domains[MAX_DOMAINS];
    unsigned domain_count;
    struct endpoint *endpoints[MAX_OBJECTS];
    unsigned endpoint_count;
    struct reply *replies[MAX_OBJECTS];
    unsigned reply_count;
    struct notification *notifications[MAX_OBJECTS];
    unsigned notification_count;
    /* Whose last syscall was a Yield: its result word 1 is the clock,
     * which the two paths advance differently. */
    bool yielded[MAX_DOMAINS];
} world;

static void world_reset(void)
{
    memset(&world, 0, sizeof world);
    world.domains[world.domain_count++] = root_domain();
}

static struct domain *add_domain(struct domain *d)
{
    assert_true(world.domain_count < MAX_DOMAINS);
    world.domains[world.domain_count++] = d;
    return d;
}

static vesper_word add_endpoint(void)
{
    vesper_word slot = make_object(VESPER_OBJECT_ENDPOINT, 0);
    assert_true(world.endpoint_count < MAX_OBJECTS);
    world.endpoints[world.endpoint_count++] = endpoint_at(slot);
    return slot;
}

static vesper_word add_reply(void)
{
    vesper_word slot = make_object(VESPER_OBJECT_REPLY, 0);
    assert_true(world.reply_count < MAX_OBJECTS);
    world.replies[world.reply_count++] = reply_at(slot);
    return slot;
}

static vesper_word add_notification(void)
{
    vesper_word slot = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    assert_true(world.notification_count < MAX_OBJECTS);
    world.notifications[world.notification_count++] = notification_at(slot);
    return slot;
}

/* Index of p in table (-1 for NULL); an unknown object fails the test. */
static int32_t index_in(void *const *table, unsigned count, const void *p)
{
    if (p == NULL)
        return -1;
    for (unsigned i = 0; i < count; i++)
        if (table[i] == p)
            return (int32_t)i;
    fail_msg("an object outside the scenario: %p", p);
    return -2;
}

static int32_t domain_index(const struct domain *d)
{
    return index_in((void *const *)world.domains, world.domain_count, d);
}

static int32_t reply_index(const struct reply *r)
{
    return index_in((void *const *)world.replies, world.reply_count, r);
}

/* What a domain is blocked on: an endpoint's index, NTFN_BASE plus a
 * notification's, or -1. */
static int32_t blocked_on_index(const struct domain *d)
{
    if (d->blocked_on == NULL)
        return -1;
    for (unsigned i = 0; i < world.notification_count; i++)
        if (world.notifications[i] == d->blocked_on)
            return NTFN_BASE + (int32_t)i;
    return index_in((void *const *)world.endpoints, world.endpoint_count, d->blocked_on);
}

struct domain_view {
    uint32_t state;
    uint32_t ipc_flags;
    int32_t blocked_on;
    int32_t reply;
    int32_t bound;
    uint32_t has_buffer;
    vesper_word results[VESPER_SYSCALL_ARGS];
    struct vesper_ipc_buffer buffer;
};

struct snapshot {
    int32_t current;
    int32_t run_queue[MAX_DOMAINS + 1];
    struct domain_view domains[MAX_DOMAINS];
    uint64_t endpoint_state[MAX_OBJECTS];
    int32_t endpoint_queue[MAX_OBJECTS][MAX_DOMAINS + 1];
    int32_t reply_caller[MAX_OBJECTS];
    int32_t reply_receiver[MAX_OBJECTS];
    uint64_t notification_word[MAX_OBJECTS];
    int32_t notification_queue[MAX_OBJECTS][MAX_DOMAINS + 1];
};

static void queue_view(const struct domain_queue *q, int32_t out[MAX_DOMAINS + 1])
{
    unsigned n = 0;
    for (const struct domain *d = q->head; d != NULL; d = d->queue_next) {
        assert_true(n < MAX_DOMAINS);
        out[n++] = domain_index(d);
    }
    out[n] = -1;
}

static void domain_view(const struct domain *d, struct domain_view *v)
{
    v->state = d->state;
    v->ipc_flags = d->ipc_flags;
    v->blocked_on = blocked_on_index(d);
    v->reply = reply_index(d->reply);
    v->bound = index_in((void *const *)world.notifications, world.notification_count, d->bound);
    struct vesper_syscall_frame frame;
    hal_context_get_syscall(&d->context, &frame);
    memcpy(v->results, frame.arg, sizeof v->results);
    int32_t index = domain_index(d);
    if (index >= 0 && world.yielded[index])
        v->results[1] = 0;
    struct vesper_ipc_buffer *buffer = domain_ipc_buffer((struct domain *)d);
    v->has_buffer = buffer != NULL;
    if (buffer != NULL)
        v->buffer = *buffer;
}

static void take_snapshot(struct snapshot *s)
{
    memset(s, 0, sizeof *s);
    s->current = domain_index(kernel.current);
    queue_view(&kernel.run_queue, s->run_queue);
    for (unsigned i = 0; i < world.domain_count; i++)
        domain_view(world.domains[i], &s->domains[i]);
    for (unsigned i = 0; i < world.endpoint_count; i++) {
        s->endpoint_state[i] = world.endpoints[i]->state;
        queue_view(&world.endpoints[i]->queue, s->endpoint_queue[i]);
    }
    for (unsigned i = 0; i < world.reply_count; i++) {
        s->reply_caller[i] = domain_index(world.replies[i]->caller);
        s->reply_receiver[i] = domain_index(world.replies[i]->receiver);
    }
    for (unsigned i = 0; i < world.notification_count; i++) {
        s->notification_word[i] = world.notifications[i]->word;
        queue_view(&world.notifications[i]->queue, s->notification_queue[i]);
    }
}

/* Fail, naming the first part that differs, unless a and b agree. */
static void assert_same(const struct snapshot *a, const struct snapshot *b, unsigned step)
{
#define SAME(field, what)                                                                \
    do {                                                                                 \
        if (memcmp(&a->field, &b->field, sizeof a->field) != 0)                          \
            fail_msg("step %u: %s differs between the fast and the general path", step, \
                     what);                                                              \
    } while (0)
    SAME(current, "the current domain");
    SAME(run_queue, "the run queue");
    for (unsigned i = 0; i < MAX_DOMAINS; i++) {
        if (memcmp(&a->domains[i], &b->domains[i], sizeof a->domains[i]) == 0)
            continue;
        SAME(domains[i].state, "a domain's state");
        SAME(domains[i].ipc_flags, "a domain's IPC flags");
        SAME(domains[i].blocked_on, "what a domain is blocked on");
        SAME(domains[i].reply, "a domain's Reply object");
        SAME(domains[i].bound, "a domain's bound notification");
        for (unsigned w = 0; w < VESPER_SYSCALL_ARGS; w++)
            if (a->domains[i].results[w] != b->domains[i].results[w])
                fail_msg("step %u: domain %u result word %u: %#lx against %#lx", step, i, w,
                         (unsigned long)a->domains[i].results[w],
                         (unsigned long)b->domains[i].results[w]);
        fail_msg("step %u: domain %u's IPC buffer differs", step, i);
    }
    SAME(endpoint_state, "an endpoint's state");
    SAME(endpoint_queue, "an endpoint's queue");
    SAME(reply_caller, "a Reply object's caller");
    SAME(reply_receiver, "a Reply object's receiver");
    SAME(notification_word, "a notification's word");
    SAME(notification_queue, "a notification's queue");
    assert_memory_equal(a, b, sizeof *a);
#undef SAME
}

/* ---- scenarios, recorded step by step ---- */

struct trace {
    unsigned count;
    struct snapshot steps[MAX_STEPS];
};

static struct trace *recording;

/* How a scenario's syscalls enter the kernel: through the syscall entry
 * with the fast path on, or off; or, to count the fast path's hits, by
 * calling fastpath_try() first, as the entry does, and the entry with the
 * fast path off only when it declines. */
enum path { PATH_ENTRY_FAST, PATH_ENTRY_GENERAL, PATH_DIRECT, PATH_COUNT };

static enum path path;
static unsigned fast_hits;

static struct vesper_syscall_frame frame_of(vesper_word number, struct ipc_args in)
{
    struct vesper_syscall_frame f = {.number = number};
    f.arg[0] = in.cptr;
    f.arg[1] = in.tag;
    for (unsigned i = 0; i < VESPER_MSG_REGISTERS; i++)
        f.arg[2 + i] = in.msg[i];
    f.arg[6] = in.reply;
    return f;
}

/* As the HAL does before entering the kernel: the words go into the
 * caller's context. */
static void load_frame(struct domain *d, const struct vesper_syscall_frame *f)
{
    for (unsigned i = 0; i < VESPER_SYSCALL_ARGS; i++)
        hal_context_set_result(&d->context, i, f->arg[i]);
}

/* A syscall as d, recorded. */
static void step(struct domain *d, vesper_word number, struct ipc_args in)
{
    struct vesper_syscall_frame f = frame_of(number, in);
    int32_t index = domain_index(d);
    if (index >= 0)
        world.yielded[index] = number == VESPER_SYS_YIELD;
    if (path == PATH_DIRECT) {
        assert_ptr_equal(kernel.current, d);
        load_frame(d, &f);
        if (fastpath_try(d, &f, false)) {
            fast_hits++;
            assert_invariants();
        } else {
            syscall_as(d, number, in);
        }
    } else {
        syscall_as(d, number, in);
    }
    assert_true(recording->count < MAX_STEPS);
    take_snapshot(&recording->steps[recording->count++]);
}

static struct ipc_args call_args(vesper_word cptr, vesper_word label, unsigned length,
                                 vesper_word seed)
{
    return (struct ipc_args){.cptr = cptr,
                             .tag = vesper_tag(label, length, 0),
                             .msg = {seed, seed + 1, seed + 2, seed + 3}};
}

static struct ipc_args reply_recv_args(vesper_word ep, vesper_word reply, unsigned length,
                                       vesper_word seed)
{
    struct ipc_args a = call_args(ep, 0, length, seed);
    a.reply = reply;
    return a;
}

/* A server loop with one client: every message length the fast path
 * takes, badges, with and without the grant right, labels. */
static void scenario_server_loop(void)
{
    struct domain *root = root_domain();
    vesper_word ep = add_endpoint();
    vesper_word reply = add_reply();
    vesper_word badged = mint_cap(ep, RW, 0x77);
    vesper_word granting = mint_cap(ep, VESPER_RIGHTS_ALL, 0x78);
    struct domain *s = add_domain(new_started_domain(NO_CAP, false));
    step(root, VESPER_SYS_YIELD, (struct ipc_args){0});
    step(s, VESPER_SYS_REPLY_RECV, (struct ipc_args){.cptr = ep, .reply = reply});
    for (unsigned length = 0; length <= VESPER_MSG_REGISTERS; length++) {
        vesper_word via = length % 3 == 0 ? ep : length % 3 == 1 ? badged : granting;
        step(root, VESPER_SYS_CALL, call_args(via, 10 + length, length, 100 * length));
        step(s, VESPER_SYS_REPLY_RECV,
             reply_recv_args(ep, reply, VESPER_MSG_REGISTERS - length, 1000 * length));
    }
}

/* Two clients and a server that is sometimes busy: Calls that find the
 * server waiting and Calls that queue; ReplyRecv with and without a
 * sender waiting. */
static void scenario_two_clients(void)
{
    struct domain *root = root_domain();
    vesper_word ep = add_endpoint();
    vesper_word reply = add_reply();
    vesper_word one = mint_cap(ep, RW, 1);
    vesper_word two = mint_cap(ep, RW, 2);
    struct domain *s = add_domain(new_started_domain(NO_CAP, false));
    struct domain *a = add_domain(new_started_domain(NO_CAP, false));
    step(root, VESPER_SYS_YIELD, (struct ipc_args){0});
    step(s, VESPER_SYS_RECV, (struct ipc_args){.cptr = ep, .reply = reply});
    step(a, VESPER_SYS_CALL, call_args(one, 1, 2, 10));              /* to the waiting server */
    step(s, VESPER_SYS_YIELD, (struct ipc_args){0});                  /* busy: root runs */
    step(root, VESPER_SYS_CALL, call_args(two, 2, 3, 20));           /* queues */
    step(s, VESPER_SYS_REPLY_RECV, reply_recv_args(ep, reply, 1, 30)); /* sender waiting */
    step(s, VESPER_SYS_REPLY_RECV, reply_recv_args(ep, reply, 4, 40)); /* none waiting */
    step(root, VESPER_SYS_YIELD, (struct ipc_args){0});
    step(a, VESPER_SYS_CALL, call_args(one, 3, 1, 50));
    step(s, VESPER_SYS_REPLY_RECV, reply_recv_args(ep, reply, 0, 60));
}

/* Exchanges the fast path leaves to the general path: long messages through
 * IPC buffers, capabilities, a Call with nobody waiting, a receiver with no
 * Reply object, a pending bound notification, a fault to answer, errors. */
static void scenario_general_cases(void)
{
    struct domain *root = root_domain();
    vesper_word ep = add_endpoint();
    vesper_word fault_ep = add_endpoint();
    vesper_word reply = add_reply();
    vesper_word ntfn = add_notification();
    vesper_word signal = mint_cap(ntfn, VESPER_RIGHTS_ALL, 0x4);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word no_write = copy_cap(ep, VESPER_RIGHT_READ);
    vesper_word s_slot = make_domain(NO_CAP);
    give_ipc_buffer(s_slot);
    assert_int_equal(TEST_CALL(s_slot, domain_bind_notification, ntfn), VESPER_OK);
    struct domain *s = add_domain(start_domain(s_slot));
    struct domain *f = add_domain(start_domain(make_domain(fault_ep)));
    vesper_word receive_slot = next_empty_slot();
    struct vesper_ipc_buffer *root_buffer = domain_ipc_buffer(root);
    for (unsigned i = 0; i < VESPER_MSG_MAX; i++)
        root_buffer->msg[i] = 0x500 + i;
    domain_ipc_buffer(s)->receive_cnode = ROOT_CNODE;
    domain_ipc_buffer(s)->receive_index = receive_slot;
    domain_ipc_buffer(s)->receive_depth = 64;
    root_buffer->caps_or_badges[0] = frame;

    /* A Call with nobody waiting queues; the server takes it. */
    step(root, VESPER_SYS_CALL, call_args(ep, 1, 2, 1)); /* s runs */
    step(s, VESPER_SYS_REPLY_RECV, reply_recv_args(ep, reply, 2, 2));
    /* s answers root and waits; a long Call; a long answer. */
    step(s, VESPER_SYS_REPLY_RECV, reply_recv_args(ep, reply, 1, 3));
    step(root, VESPER_SYS_CALL, call_args(ep, 2, 40, 4));
    step(s, VESPER_SYS_REPLY_RECV, reply_recv_args(ep, reply, 100, 5));
    /* A Call with a capability. */
    step(root, VESPER_SYS_CALL,
         (struct ipc_args){.cptr = ep, .tag = vesper_tag(3, 1, 1), .msg = {6}});
    step(s, VESPER_SYS_REPLY_RECV,
         (struct ipc_args){.cptr = ep, .tag = vesper_tag(0, 1, 1), .msg = {7}, .reply = reply});
    /* A pending bound notification: ReplyRecv answers, then returns at once. */
    step(root, VESPER_SYS_CALL, call_args(ep, 4, 1, 8));
    step(s, VESPER_SYS_SEND, (struct ipc_args){.cptr = signal});
    step(s, VESPER_SYS_REPLY_RECV, reply_recv_args(ep, reply, 1, 9));
    /* An error on each path: no WRITE; the Reply object in use. */
    step(s, VESPER_SYS_CALL, call_args(no_write, 5, 1, 10));
    step(s, VESPER_SYS_YIELD, (struct ipc_args){0}); /* f runs */
    step(f, VESPER_SYS_YIELD, (struct ipc_args){0}); /* root runs */
    step(root, VESPER_SYS_YIELD, (struct ipc_args){0}); /* s runs */
    step(s, VESPER_SYS_REPLY_RECV, (struct ipc_args){.cptr = ep, .reply = reply}); /* f runs */
    /* A fault queues on fault_ep; the root takes it without a Reply object,
     * which stops f. */
    step(f, 77, (struct ipc_args){0});
    step(root, VESPER_SYS_RECV, (struct ipc_args){.cptr = fault_ep, .reply = NO_CAP});
    step(root, VESPER_SYS_CALL, call_args(ep, 6, 1, 11)); /* s has the Call */
    step(s, VESPER_SYS_REPLY_RECV, reply_recv_args(ep, reply, 1, 12));
    /* A receiver with no Reply object: the Call fails. */
    step(root, VESPER_SYS_SEND, call_args(ep, 7, 1, 13)); /* s takes it */
    step(root, VESPER_SYS_YIELD, (struct ipc_args){0});  /* s runs */
    step(s, VESPER_SYS_RECV, (struct ipc_args){.cptr = ep, .reply = NO_CAP});
    step(root, VESPER_SYS_CALL, call_args(ep, 8, 1, 14));
}

/* A fault answered by ReplyRecv, and a Call right after it. */
static void scenario_fault_reply(void)
{
    struct domain *root = root_domain();
    vesper_word ep = add_endpoint();
    vesper_word reply = add_reply();
    vesper_word badged = mint_cap(ep, RW, 0xf);
    struct domain *f = add_domain(start_domain(make_domain(badged)));
    struct domain *c = add_domain(new_started_domain(NO_CAP, false));
    step(root, VESPER_SYS_RECV, (struct ipc_args){.cptr = ep, .reply = reply}); /* f runs */
    step(f, 77, (struct ipc_args){.cptr = 1, .tag = 2});                       /* to root */
    step(root, VESPER_SYS_REPLY_RECV, reply_recv_args(ep, reply, 2, 1));        /* f runs */
    step(f, VESPER_SYS_YIELD, (struct ipc_args){0});                            /* c runs */
    step(c, VESPER_SYS_CALL, call_args(badged, 9, 3, 2));                       /* to root */
    step(root, VESPER_SYS_REPLY_RECV, reply_recv_args(ep, reply, 3, 3));        /* c runs */
    step(c, VESPER_SYS_CALL, call_args(ep, 9, 1, 4));
    /* The receiver offers no Reply object this time. */
    step(root, VESPER_SYS_REPLY, (struct ipc_args){.cptr = reply, .tag = vesper_tag(1, 0, 0)});
    step(root, VESPER_SYS_RECV, (struct ipc_args){.cptr = ep, .reply = NO_CAP}); /* f runs */
    step(f, VESPER_SYS_CALL, call_args(ep, 9, 1, 5));
}

/* Two servers wait on one endpoint: each Call takes the first in line and
 * leaves the other waiting, and a server that answers with ReplyRecv
 * queues behind the one still waiting. */
static void scenario_two_servers(void)
{
    struct domain *root = root_domain();
    vesper_word ep = add_endpoint();
    vesper_word reply_1 = add_reply();
    vesper_word reply_2 = add_reply();
    struct domain *s1 = add_domain(new_started_domain(NO_CAP, false));
    struct domain *s2 = add_domain(new_started_domain(NO_CAP, false));
    step(root, VESPER_SYS_YIELD, (struct ipc_args){0});                            /* s1 runs */
    step(s1, VESPER_SYS_RECV, (struct ipc_args){.cptr = ep, .reply = reply_1});   /* s2 runs */
    step(s2, VESPER_SYS_RECV, (struct ipc_args){.cptr = ep, .reply = reply_2});   /* root runs */
    step(root, VESPER_SYS_CALL, call_args(ep, 1, 2, 10));                         /* to s1 */
    step(s1, VESPER_SYS_REPLY_RECV, reply_recv_args(ep, reply_1, 1, 20));         /* behind s2 */
    step(root, VESPER_SYS_CALL, call_args(ep, 2, 3, 30));                         /* to s2 */
    step(s2, VESPER_SYS_REPLY_RECV, reply_recv_args(ep, reply_2, 4, 40));         /* behind s1 */
}

/* The two-level CSpace of docs/objects/README.md's worked example: a
 * capability to the root CNode with a 46-bit guard, so that 8 bits are
 * left past the root, and in its slot b_guarded CNode B (radix 4) behind a
 * 4-bit guard of 0. In it: B[5] the endpoint, B[6] the Reply object (moved
 * there), B[7] a copy of the endpoint with badge 0x21, B[8] empty. */
struct two_level {
    vesper_word cspace;
    vesper_word b_guarded;
    vesper_word ep;
};

static vesper_word in_b(const struct two_level *t, vesper_word index)
{
    return t->b_guarded << 8 | index;
}

/* The CPtr that a one-level reading would take for slot 0x121 of the
 * root CNode; read in two levels it names root slot 1, the root's Domain. */
#define BELOW_1024 ((vesper_word)0x121)

static struct two_level two_level_setup(void)
{
    struct two_level t;
    t.ep = add_endpoint();
    vesper_word reply = add_reply();
    vesper_word badged = mint_cap(t.ep, RW, 0x21);
    vesper_word b = make_object(VESPER_OBJECT_CNODE, 4);
    t.b_guarded = mint_cap(b, VESPER_RIGHTS_ALL, vesper_cnode_guard(0, 4));
    t.cspace = mint_cap(ROOT_CNODE, VESPER_RIGHTS_ALL, vesper_cnode_guard(0, 46));
    assert_int_equal(TEST_CALL(b, cnode_copy, 5, 4, ROOT_CNODE, t.ep, 64, RW), VESPER_OK);
    move_into_cnode(b, 4, 6, reply);
    assert_int_equal(TEST_CALL(b, cnode_copy, 7, 4, ROOT_CNODE, badged, 64, RW), VESPER_OK);
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_copy, BELOW_1024, 64, ROOT_CNODE, t.ep, 64,
                               RW),
                     VESPER_OK);
    return t;
}

/* A started domain whose CSpace is the two-level one. */
static struct domain *two_level_domain(const struct two_level *t)
{
    vesper_word slot = make_object(VESPER_OBJECT_DOMAIN, 0);
    assert_int_equal(TEST_CALL(slot, domain_configure, t->cspace, VESPER_ROOT_SLOT_PDOM,
                               NO_CAP),
                     VESPER_OK);
    return add_domain(start_domain(slot));
}

/* A server and a client that both look their capabilities up through two
 * levels: the fast path takes their exchanges, and leaves to the general
 * path the CPtrs that do not resolve to what it needs there. */
static void scenario_two_level_cspace(void)
{
    struct domain *root = root_domain();
    struct two_level t = two_level_setup();
    struct domain *s = two_level_domain(&t);
    struct domain *c = two_level_domain(&t);
    struct ipc_args answer = reply_recv_args(in_b(&t, 5), in_b(&t, 6), 1, 20);
    step(root, VESPER_SYS_YIELD, (struct ipc_args){0});
    step(s, VESPER_SYS_REPLY_RECV, (struct ipc_args){.cptr = in_b(&t, 5), .reply = in_b(&t, 6)});
    step(c, VESPER_SYS_CALL, call_args(in_b(&t, 7), 3, 2, 10)); /* fast */
    step(s, VESPER_SYS_REPLY_RECV, answer);                    /* fast */
    /* A CPtr that stops at a root slot with 8 bits left over. */
    step(c, VESPER_SYS_CALL, call_args(t.ep << 8, 4, 1, 30)); /* fast */
    step(s, VESPER_SYS_REPLY_RECV, answer);                  /* fast */
    /* Misses: a guard mismatch, B's empty slot, root slot 1. */
    step(c, VESPER_SYS_CALL, call_args((vesper_word)1 << 63 | in_b(&t, 7), 5, 1, 40));
    step(c, VESPER_SYS_CALL, call_args(in_b(&t, 8), 6, 1, 50));
    step(c, VESPER_SYS_CALL, call_args(BELOW_1024, 7, 1, 60));
    step(c, VESPER_SYS_CALL, call_args(in_b(&t, 7), 8, 4, 70)); /* fast */
    step(s, VESPER_SYS_REPLY_RECV, answer);                    /* fast */
}

static struct trace traces[PATH_COUNT];

/* Run the scenario each way and compare every step with the general path;
 * the fast path must have taken exactly `expected_hits` syscalls. */
static void run_all(void **state, void (*scenario)(void), unsigned expected_hits)
{
    for (path = 0; path < PATH_COUNT; path++) {
        assert_int_equal(test_boot(state), 0);
        kernel.fastpath_disabled = path != PATH_ENTRY_FAST;
        world_reset();
        fast_hits = 0;
        recording = &traces[path];
        memset(recording, 0, sizeof *recording);
        scenario();
        assert_true(recording->count > 0);
    }
    assert_int_equal(fast_hits, expected_hits);
    const struct trace *general = &traces[PATH_ENTRY_GENERAL];
    for (enum path p = PATH_ENTRY_FAST; p < PATH_COUNT; p++) {
        assert_int_equal(traces[p].count, general->count);
        for (unsigned i = 0; i < general->count; i++)
            assert_same(&traces[p].steps[i], &general->steps[i], i);
    }
}

static void FASTPATH0001_server_loop_agrees(void **state)
{
    /* Every Call and every ReplyRecv but the first (nothing to answer). */
    run_all(state, scenario_server_loop, 10);
    /* The scenario really went back and forth. */
    const struct trace *t = &traces[PATH_ENTRY_FAST];
    const struct snapshot *last = &t->steps[t->count - 1];
    assert_int_equal(last->current, 0);
    assert_int_equal(last->domains[1].state, DOMAIN_BLOCKED_RECV);
    assert_int_equal(last->domains[0].results[6], 0);
    assert_int_equal(t->steps[t->count - 2].domains[1].results[6], 0x77);
}

static void FASTPATH0002_two_clients_agree(void **state)
{
    /* Both Calls that find the server waiting, and the ReplyRecvs that find
     * no sender queued. */
    run_all(state, scenario_two_clients, 4);
}

static void FASTPATH0003_cases_for_the_general_path_agree(void **state)
{
    /* Only the two short round trips among them. */
    run_all(state, scenario_general_cases, 4);
}

static void FASTPATH0004_fault_replies_agree(void **state)
{
    /* The client's two Calls to a server with a Reply object, one answer. */
    run_all(state, scenario_fault_reply, 3);
}

/* ---- fastpath_try() itself ---- */

/* A server s blocked in Recv on ep offering reply; another domain o on the
 * run queue; the root current. */
struct rig {
    struct domain *root;
    struct domain *s;
    struct domain *o;
    vesper_word ep;
    vesper_word reply;
    vesper_word badged;
    vesper_word ntfn;   /* bound to s */
    vesper_word signal; /* a badged capability to it */
    vesper_word fault_ep;
    vesper_word fault_reply;
};

/* s is bound to ntfn; o has fault_ep as its fault endpoint if asked. */
static struct rig rig_setup(bool o_has_fault_endpoint)
{
    struct rig r;
    world_reset();
    r.root = root_domain();
    r.ep = add_endpoint();
    r.reply = add_reply();
    r.ntfn = add_notification();
    r.signal = mint_cap(r.ntfn, VESPER_RIGHTS_ALL, 0x2);
    r.badged = mint_cap(r.ep, RW, 0x99);
    r.fault_ep = add_endpoint();
    r.fault_reply = add_reply();
    vesper_word s_slot = make_domain(NO_CAP);
    assert_int_equal(TEST_CALL(s_slot, domain_bind_notification, r.ntfn), VESPER_OK);
    r.s = add_domain(start_domain(s_slot));
    r.o = add_domain(start_domain(make_domain(o_has_fault_endpoint ? r.fault_ep : NO_CAP)));
    yield_as(r.root);
    recv_as(r.s, r.ep, r.reply);
    yield_as(r.o);
    assert_ptr_equal(kernel.current, r.root);
    return r;
}

/* fastpath_try must decline and change nothing. */
static void assert_declines(struct domain *caller, vesper_word number, struct ipc_args in)
{
    struct vesper_syscall_frame f = frame_of(number, in);
    load_frame(caller, &f);
    static struct snapshot before, after;
    take_snapshot(&before);
    assert_false(fastpath_try(caller, &f, false));
    take_snapshot(&after);
    assert_same(&before, &after, 0);
    assert_invariants();
}

/* The qualifying Call and ReplyRecv: fastpath_try takes them, and leaves
 * exactly what the general path leaves. */
static void FASTPATH0005_fastpath_try_takes_call_and_reply_recv(void **state)
{
    static struct snapshot fast[2], general[2];
    for (int disabled = 0; disabled <= 1; disabled++) {
        assert_int_equal(test_boot(state), 0);
        kernel.fastpath_disabled = true; /* only the calls below may take it */
        struct rig r = rig_setup(false);
        struct snapshot *out = disabled ? general : fast;
        struct vesper_syscall_frame call = frame_of(VESPER_SYS_CALL, call_args(r.badged, 5, 3, 50));
        struct vesper_syscall_frame answer =
            frame_of(VESPER_SYS_REPLY_RECV, reply_recv_args(r.ep, r.reply, 2, 60));
        if (disabled) {
            syscall_as(r.root, VESPER_SYS_CALL, call_args(r.badged, 5, 3, 50));
        } else {
            load_frame(r.root, &call);
            assert_true(fastpath_try(r.root, &call, false));
            assert_invariants();
        }
        assert_ptr_equal(kernel.current, r.s);
        struct vesper_syscall_frame got = results_of(r.s);
        assert_words(&got, (result_words){VESPER_OK, vesper_tag(5, 3, 0), 50, 51, 52, 0, 0x99});
        take_snapshot(&out[0]);
        if (disabled) {
            syscall_as(r.s, VESPER_SYS_REPLY_RECV, reply_recv_args(r.ep, r.reply, 2, 60));
        } else {
            load_frame(r.s, &answer);
            assert_true(fastpath_try(r.s, &answer, false));
            assert_invariants();
        }
        assert_ptr_equal(kernel.current, r.root);
        got = results_of(r.root);
        assert_words(&got, (result_words){VESPER_OK, vesper_tag(0, 2, 0), 60, 61});
        assert_int_equal(r.s->state, DOMAIN_BLOCKED_RECV);
        take_snapshot(&out[1]);
    }
    assert_same(&fast[0], &general[0], 0);
    assert_same(&fast[1], &general[1], 1);
}

static void FASTPATH0006_fastpath_try_declines_calls_it_is_not_for(void **state)
{
    (void)state;
    struct rig r = rig_setup(false);
    vesper_word no_write = copy_cap(r.ep, VESPER_RIGHT_READ);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word idle = add_endpoint();
    /* Long messages and capabilities. */
    assert_declines(r.root, VESPER_SYS_CALL, call_args(r.ep, 1, VESPER_MSG_REGISTERS + 1, 0));
    assert_declines(r.root, VESPER_SYS_CALL, call_args(r.ep, 1, 127, 0));
    assert_declines(r.root, VESPER_SYS_CALL,
                    (struct ipc_args){.cptr = r.ep, .tag = vesper_tag(1, 1, 1)});
    assert_declines(r.root, VESPER_SYS_CALL,
                    (struct ipc_args){.cptr = r.ep, .tag = vesper_tag(1, 0, 3)});
    /* No receiver waiting; not an endpoint; no WRITE; no capability. */
    assert_declines(r.root, VESPER_SYS_CALL, call_args(idle, 1, 1, 0));
    assert_declines(r.root, VESPER_SYS_CALL, call_args(r.ntfn, 1, 1, 0));
    assert_declines(r.root, VESPER_SYS_CALL, call_args(frame, 1, 1, 0));
    assert_declines(r.root, VESPER_SYS_CALL, call_args(no_write, 1, 1, 0));
    assert_declines(r.root, VESPER_SYS_CALL, call_args(NO_CAP, 1, 1, 0));
    assert_declines(r.root, VESPER_SYS_CALL, call_args(UNREACHABLE, 1, 1, 0));
    /* Other syscalls, even short ones on the waiting server's endpoint. */
    const vesper_word others[] = {VESPER_SYS_SEND, VESPER_SYS_NB_SEND, VESPER_SYS_RECV,
                                  VESPER_SYS_NB_RECV, VESPER_SYS_REPLY, VESPER_SYS_YIELD,
                                  VESPER_SYS_DEBUG_IDENTIFY, 99};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        assert_declines(r.root, others[i], reply_recv_args(r.ep, r.reply, 1, 0));
    /* A receiver that offers no Reply object. */
    struct vesper_syscall_frame f = syscall_as(r.root, VESPER_SYS_SEND, call_args(r.ep, 1, 0, 0));
    assert_error_only(&f, VESPER_OK); /* s took it and is runnable */
    yield_as(r.root);                  /* o */
    yield_as(r.o);                     /* s */
    recv_as(r.s, r.ep, NO_CAP);        /* root */
    assert_ptr_equal(kernel.current, r.root);
    assert_declines(r.root, VESPER_SYS_CALL, call_args(r.ep, 1, 1, 0));
}

static void FASTPATH0007_fastpath_try_declines_reply_recv_it_is_not_for(void **state)
{
    (void)state;
    struct rig r = rig_setup(false);
    vesper_word no_read = copy_cap(r.ep, VESPER_RIGHT_WRITE);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word other_reply = add_reply();
    /* Nothing bound to the Reply object (a server's first ReplyRecv): here
     * the root's, with s waiting elsewhere. */
    assert_declines(r.root, VESPER_SYS_REPLY_RECV, reply_recv_args(r.ep, other_reply, 1, 0));
    /* The Reply object offered by a waiting receiver. */
    assert_declines(r.root, VESPER_SYS_REPLY_RECV, reply_recv_args(r.ep, r.reply, 1, 0));
    /* root calls: s now holds the Reply object bound to root. */
    syscall_as(r.root, VESPER_SYS_CALL, call_args(r.ep, 1, 1, 0));
    assert_ptr_equal(kernel.current, r.s);
    assert_declines(r.s, VESPER_SYS_REPLY_RECV, reply_recv_args(r.ep, r.reply, 5, 0));
    assert_declines(r.s, VESPER_SYS_REPLY_RECV,
                    (struct ipc_args){.cptr = r.ep, .tag = vesper_tag(0, 0, 1), .reply = r.reply});
    assert_declines(r.s, VESPER_SYS_REPLY_RECV, reply_recv_args(no_read, r.reply, 1, 0));
    assert_declines(r.s, VESPER_SYS_REPLY_RECV, reply_recv_args(r.ntfn, r.reply, 1, 0));
    assert_declines(r.s, VESPER_SYS_REPLY_RECV, reply_recv_args(r.ep, frame, 1, 0));
    assert_declines(r.s, VESPER_SYS_REPLY_RECV, reply_recv_args(r.ep, NO_CAP, 1, 0));
    assert_declines(r.s, VESPER_SYS_REPLY_RECV, reply_recv_args(r.ep, UNREACHABLE, 1, 0));
    /* A bound notification pending; a Poll clears it. */
    syscall_as(r.s, VESPER_SYS_SEND, (struct ipc_args){.cptr = r.signal});
    assert_int_equal(notification_at(r.ntfn)->word, 0x2);
    assert_declines(r.s, VESPER_SYS_REPLY_RECV, reply_recv_args(r.ep, r.reply, 1, 0));
    struct vesper_syscall_frame f =
        syscall_as(r.s, VESPER_SYS_NB_RECV, (struct ipc_args){.cptr = r.ntfn});
    assert_words(&f, (result_words){VESPER_OK, 0, 0, 0, 0, 0, 0x2});
    /* A sender queued on the endpoint. */
    yield_as(r.s); /* o runs */
    syscall_as(r.o, VESPER_SYS_SEND, call_args(r.ep, 2, 1, 0));
    assert_ptr_equal(kernel.current, r.s);
    assert_declines(r.s, VESPER_SYS_REPLY_RECV, reply_recv_args(r.ep, r.reply, 1, 0));
}

/* A fault is answered on the general path: its reply decides whether the
 * domain resumes, which the fast path does not look at. */
static void FASTPATH0008_fastpath_try_declines_to_answer_a_fault(void **state)
{
    (void)state;
    struct rig r = rig_setup(true);
    /* The root serves o's faults. */
    recv_as(r.root, r.fault_ep, r.fault_reply);
    assert_ptr_equal(kernel.current, r.o);
    syscall_as(r.o, 77, (struct ipc_args){0});
    assert_ptr_equal(kernel.current, r.root);
    assert_int_equal(r.o->state, DOMAIN_BLOCKED_REPLY);
    assert_ptr_equal(reply_at(r.fault_reply)->caller, r.o);
    for (unsigned length = 0; length <= VESPER_MSG_REGISTERS; length++)
        assert_declines(r.root, VESPER_SYS_REPLY_RECV,
                        reply_recv_args(r.fault_ep, r.fault_reply, length, 0));
    /* The general path answers it and resumes o. */
    syscall_as(r.root, VESPER_SYS_REPLY_RECV, reply_recv_args(r.fault_ep, r.fault_reply, 1, 5));
    assert_ptr_equal(kernel.current, r.o);
    struct vesper_syscall_frame f = results_of(r.o);
    assert_words(&f, (result_words){VESPER_OK, vesper_tag(0, 1, 0), 5});
}

/* Through a CSpace of two levels the fast path finds the endpoint and the
 * Reply object with the general lookup, and takes the exchange; a CPtr
 * that does not resolve, or resolves to something else, goes to the
 * general path, which answers it with the same error it always does. */
static void FASTPATH0009_two_level_cspace_agrees(void **state)
{
    run_all(state, scenario_two_level_cspace, 6);
    const struct trace *t = &traces[PATH_ENTRY_FAST];
    enum { SERVER = 1, CLIENT = 2 };
    assert_int_equal(t->count, 11);
    assert_int_equal(t->steps[2].current, SERVER);
    assert_int_equal(t->steps[2].domains[SERVER].results[6], 0x21);
    assert_int_equal(t->steps[4].domains[SERVER].results[6], 0);
    assert_int_equal(t->steps[6].domains[CLIENT].results[0], VESPER_ERR_FAILED_LOOKUP);
    assert_int_equal(t->steps[6].domains[CLIENT].results[1], VESPER_LOOKUP_GUARD_MISMATCH);
    assert_int_equal(t->steps[7].domains[CLIENT].results[0], VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(t->steps[8].domains[CLIENT].results[0], VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(t->steps[8].current, CLIENT);
    assert_int_equal(t->steps[10].current, CLIENT);
    assert_int_equal(t->steps[10].domains[CLIENT].results[2], 20);
}

static void FASTPATH0010_two_waiting_servers_agree(void **state)
{
    /* Both Calls and both ReplyRecvs. */
    run_all(state, scenario_two_servers, 4);
    const struct trace *t = &traces[PATH_ENTRY_FAST];
    const struct snapshot *last = &t->steps[t->count - 1];
    assert_int_equal(last->current, 0);
    assert_int_equal(last->domains[1].state, DOMAIN_BLOCKED_RECV);
    assert_int_equal(last->domains[2].state, DOMAIN_BLOCKED_RECV);
    assert_int_equal(last->endpoint_state[0], ENDPOINT_RECV);
    assert_int_equal(last->endpoint_queue[0][0], 1);
    assert_int_equal(last->endpoint_queue[0][1], 2);
    assert_int_equal(last->endpoint_queue[0][2], -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(FASTPATH0001_server_loop_agrees, test_boot),
        cmocka_unit_test_setup(FASTPATH0002_two_clients_agree, test_boot),
        cmocka_unit_test_setup(FASTPATH0003_cases_for_the_general_path_agree, test_boot),
        cmocka_unit_test_setup(FASTPATH0004_fault_replies_agree, test_boot),
        cmocka_unit_test_setup(FASTPATH0005_fastpath_try_takes_call_and_reply_recv, test_boot),
        cmocka_unit_test_setup(FASTPATH0006_fastpath_try_declines_calls_it_is_not_for,
                               test_boot),
        cmocka_unit_test_setup(FASTPATH0007_fastpath_try_declines_reply_recv_it_is_not_for,
                               test_boot),
        cmocka_unit_test_setup(FASTPATH0008_fastpath_try_declines_to_answer_a_fault, test_boot),
        cmocka_unit_test_setup(FASTPATH0009_two_level_cspace_agrees, test_boot),
        cmocka_unit_test_setup(FASTPATH0010_two_waiting_servers_agree, test_boot),
    };
    return cmocka_run_group_tests_name("fastpath", tests, NULL, NULL);
}

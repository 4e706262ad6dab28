/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * share: one frame, one pointer, three protection domains.
 *
 * In a single address space sharing a buffer is granting its frame and
 * passing the pointer; isolation is what each PDom was granted:
 *   - The producer, in PDom P, asks the frame server for two pages, which
 *     the server grants to P (read, write). It writes a line into the
 *     first and sends the consumer the pointer with a read-only copy of
 *     that frame's capability.
 *   - The consumer, in PDom C, grants that copy to C (read only: the copy
 *     has no more), prints the line through the same pointer, answers, and
 *     then writes through the pointer: a page fault.
 *   - The snoop, in PDom S, was never granted the frame: reading through
 *     the pointer is a page fault.
 *   - The late reader, in PDom L, is granted the frame read only by the
 *     root and reads the line; the root takes the grant back, and the same
 *     read, whose translation the hardware may still hold, is a page fault.
 * The root handles the faults and prints what each tried where. On the host
 * the faults come from vesper-sim's protection (on by default); on the Pi
 * from the MMU. Prints "share: ok" per check and exits 0 only if all held.
 */
#include <libos/caps.h>
#include <libos/frames.h>
#include <libos/ipc.h>
#include <libos/libos.h>

#include "child_domain.h"
#include "programs.h"

#define LINE "a line written by the producer, read through the same pointer"
#define TABLE_SLOTS 4u /* PageTables the consumer may make for its grant */

enum { BADGE_CONSUMER = 1, BADGE_SNOOP = 2, BADGE_LATE = 3 };

/* What the domains share: written by the root before they start (the
 * image's data is readable by every domain), and the pointer. */
static struct share {
    vesper_cptr server;             /* the frame server, WRITE|GRANT|GRANT_REPLY */
    vesper_cptr to_consumer;        /* the producer's endpoint, WRITE|GRANT */
    vesper_cptr from_producer;      /* the consumer's endpoint, READ */
    vesper_cptr consumer_reply;
    vesper_cptr producer_pdom, consumer_pdom;
    vesper_cptr producer_frame;     /* where the frame server's capabilities go: two */
    vesper_cptr read_only;          /* the producer's read-only copy of it */
    vesper_cptr consumer_frame;     /* where the consumer receives that copy */
    vesper_cptr untyped;            /* the consumer's PageTables come from here */
    vesper_cptr table_next, table_end;
    vesper_cptr late_wakeup;        /* the Notification the late reader waits on */
    volatile bool late_has_read;
} share;

static struct vesper_frame_server frame_server;
static int failures;

static void print_line(const char *a, const char *b)
{
    vesper_print(a);
    vesper_print(b);
    vesper_print("\n");
}

static bool check(const char *what, bool ok)
{
    print_line(ok ? "share: ok " : "share: FAILED ", what);
    failures += ok ? 0 : 1;
    return ok;
}

static bool check_ok(const char *what, enum vesper_error error)
{
    if (error == VESPER_OK)
        return true;
    print_line("share: FAILED ", what);
    print_line("share:   error ", vesper_error_name(error));
    failures++;
    return false;
}

/* ---- The three domains ---------------------------------------------------- */

static _Noreturn void frame_server_main(vesper_word arg)
{
    vesper_frame_server_run((struct vesper_frame_server *)(uintptr_t)arg);
    vesper_exit(1);
}

static _Noreturn void producer_main(vesper_word arg)
{
    (void)arg;
    vesper_word pages[2] = {0, 0};
    if (!check_ok("the producer gets two pages granted to its PDom",
                  vesper_frames_get_granted(share.server, share.producer_pdom,
                                            VESPER_ROOT_SLOT_CNODE, share.producer_frame, 2,
                                            pages)))
        vesper_exit(1);
    *(volatile vesper_word *)(uintptr_t)pages[1] = pages[0]; /* the second is granted too */
    vesper_word address = pages[0];
    char *text = (char *)(uintptr_t)address;
    for (unsigned i = 0; i < sizeof LINE; i++)
        text[i] = LINE[i];
    check("the producer wrote its line into the frame", text[0] == LINE[0]);
    if (!check_ok("the producer makes a read-only copy of the frame's capability",
                  vesper_cnode_mint(VESPER_ROOT_SLOT_CNODE, share.read_only, 64,
                                    VESPER_ROOT_SLOT_CNODE, share.producer_frame, 64,
                                    VESPER_FRAME_READ, 0)))
        vesper_exit(1);
    vesper_ipc_buffer()->caps_or_badges[0] = share.read_only;
    struct vesper_message msg = {.tag = vesper_tag(0, 1, 1), .word = {address}};
    check_ok("the producer sends the pointer and the copy", vesper_ipc_call(share.to_consumer, &msg));
    vesper_exit(0);
}

static enum vesper_error consumer_table(void *context, vesper_cptr *table)
{
    (void)context;
    if (share.table_next >= share.table_end)
        return VESPER_ERR_NOT_ENOUGH_MEMORY;
    enum vesper_error error =
        vesper_untyped_retype(share.untyped, VESPER_OBJECT_PAGE_TABLE, 0,
                              VESPER_ROOT_SLOT_CNODE, 0, 0, share.table_next, 1);
    if (error == VESPER_OK)
        *table = share.table_next++;
    return error;
}

static _Noreturn void consumer_main(vesper_word arg)
{
    (void)arg;
    struct vesper_ipc_buffer *buffer = vesper_ipc_buffer();
    buffer->receive_cnode = VESPER_ROOT_SLOT_CNODE;
    buffer->receive_index = share.consumer_frame;
    buffer->receive_depth = 64;
    struct vesper_message msg = {0};
    if (!check_ok("the consumer receives the pointer",
                  vesper_ipc_recv(share.from_producer, share.consumer_reply, &msg)))
        vesper_exit(1);
    check("a capability came with it", vesper_tag_caps(msg.tag) == 1);
    check("the copy cannot grant writing",
          vesper_frame_grant(share.consumer_frame, share.consumer_pdom,
                             VESPER_FRAME_READ | VESPER_FRAME_WRITE) ==
              VESPER_ERR_INVALID_CAPABILITY);
    check_ok("the consumer grants the copy to its PDom, read only",
             vesper_frame_grant_with_tables(share.consumer_frame, share.consumer_pdom,
                                            VESPER_FRAME_READ, consumer_table, NULL));
    const char *text = (const char *)(uintptr_t)msg.word[0];
    vesper_print("share: the consumer reads \"");
    vesper_print(text);
    vesper_print("\"\n");
    check("the consumer read the producer's line", text[0] == LINE[0]);
    struct vesper_message answer = {.tag = vesper_tag(0, 0, 0)};
    vesper_ipc_reply(share.consumer_reply, &answer);
    *(volatile char *)(uintptr_t)msg.word[0] = '!'; /* the root stops it here */
    print_line("share: FAILED ", "the consumer wrote into a frame it may only read");
    vesper_exit(1);
}

static _Noreturn void snoop_main(vesper_word address)
{
    char c = *(volatile const char *)(uintptr_t)address; /* the root stops it here */
    (void)c;
    print_line("share: FAILED ", "the snoop read a frame never granted to its PDom");
    vesper_exit(1);
}

static _Noreturn void late_main(vesper_word address)
{
    const volatile char *text = (const volatile char *)(uintptr_t)address;
    check("the late reader reads the line while it is granted", text[0] == LINE[0]);
    share.late_has_read = true;
    vesper_word word = 0;
    vesper_wait(share.late_wakeup, &word); /* the root takes the grant back meanwhile */
    char c = text[0];                      /* the root stops it here */
    (void)c;
    print_line("share: FAILED ", "the late reader read a frame after its grant was taken back");
    vesper_exit(1);
}

/* ---- The root --------------------------------------------------------------- */

static bool take(struct carver *c, enum vesper_object_type type, vesper_cptr *slot)
{
    return check_ok(type == VESPER_OBJECT_PDOM ? "retype a PDom" : "retype an object",
                    carve(c, "retype", type, 0, 1, slot));
}

static bool derive(vesper_cptr from, vesper_word rights, vesper_word badge, vesper_cptr *to,
                   struct carver *c)
{
    *to = c->next++;
    return check_ok("copy a capability",
                    vesper_cnode_mint(VESPER_ROOT_SLOT_CNODE, *to, 64, VESPER_ROOT_SLOT_CNODE,
                                      from, 64, rights, badge));
}

static bool start_child(struct carver *c, vesper_cptr pdom, vesper_cptr fault,
                        void (*entry)(vesper_word), vesper_word arg)
{
    struct child_domain child;
    return check_ok("make a domain", child_domain_make_in(c, pdom, fault, true, &child)) &&
           check_ok("start a domain", child_domain_start(&child, entry, arg));
}

/* Wait for the fault of the domain with badge, check it and stop it; the
 * faulting address in *address. */
static void expect_fault(vesper_cptr fault_ep, vesper_cptr reply, vesper_word badge,
                         vesper_word access, const char *what, vesper_word *address)
{
    struct vesper_message msg = {0};
    if (!check_ok("wait for a fault", vesper_ipc_recv(fault_ep, reply, &msg)))
        return;
    *address = msg.word[2];
    vesper_print("share: ");
    vesper_print(what);
    vesper_print(" at ");
    print_hex(msg.word[2]);
    vesper_print(msg.word[3] == VESPER_FAULT_ACCESS_WRITE  ? ": page fault, write\n"
                 : msg.word[3] == VESPER_FAULT_ACCESS_READ ? ": page fault, read\n"
                                                           : ": page fault\n");
    check(what, msg.badge == badge && vesper_tag_label(msg.tag) == VESPER_FAULT_PAGE &&
                    msg.word[3] == access);
    struct vesper_message stop = {.tag = vesper_tag(1, 0, 0)};
    vesper_ipc_reply(reply, &stop);
}

/* Grant a read-only copy of the producer's frame to a new PDom, run the late
 * reader there until it has read through the pointer, then take the grant
 * back and wake it. */
static bool late_reader(struct carver *c, vesper_cptr fault_ep, vesper_word pointer)
{
    vesper_cptr pdom, fault, copy = c->next++;
    if (!take(c, VESPER_OBJECT_PDOM, &pdom) ||
        !take(c, VESPER_OBJECT_NOTIFICATION, &share.late_wakeup) ||
        !derive(fault_ep, VESPER_RIGHT_WRITE, BADGE_LATE, &fault, c) ||
        !check_ok("copy the frame for the late reader",
                  vesper_cnode_mint(VESPER_ROOT_SLOT_CNODE, copy, 64, VESPER_ROOT_SLOT_CNODE,
                                    share.producer_frame, 64, VESPER_FRAME_READ, 0)) ||
        !check_ok("grant it to the late reader's PDom", grant_to(c, copy, pdom, VESPER_FRAME_READ)) ||
        !start_child(c, pdom, fault, late_main, pointer))
        return false;
    while (!share.late_has_read)
        vesper_yield();
    return check_ok("take the late reader's grant back", vesper_frame_ungrant(copy)) &&
           check_ok("wake the late reader", vesper_signal(share.late_wakeup));
}

int share_main(const struct vesper_bootinfo *info)
{
    struct carver c;
    vesper_cptr fault_ep, root_reply, endpoint, server_reply, snoop_pdom, consumer_fault,
        snoop_fault;
    failures = 0;
    share.late_has_read = false;
    if (!check_ok("find a RAM Untyped", carver_init(&c, info) ? VESPER_OK : VESPER_ERR_RANGE) ||
        !take(&c, VESPER_OBJECT_ENDPOINT, &fault_ep) ||
        !take(&c, VESPER_OBJECT_REPLY, &root_reply) ||
        !take(&c, VESPER_OBJECT_ENDPOINT, &endpoint) ||
        !take(&c, VESPER_OBJECT_REPLY, &share.consumer_reply) ||
        !take(&c, VESPER_OBJECT_ENDPOINT, &frame_server.endpoint) ||
        !take(&c, VESPER_OBJECT_REPLY, &server_reply) ||
        !take(&c, VESPER_OBJECT_PDOM, &share.producer_pdom) ||
        !take(&c, VESPER_OBJECT_PDOM, &share.consumer_pdom) ||
        !take(&c, VESPER_OBJECT_PDOM, &snoop_pdom) ||
        !derive(frame_server.endpoint,
                VESPER_RIGHT_WRITE | VESPER_RIGHT_GRANT | VESPER_RIGHT_GRANT_REPLY, 0,
                &share.server, &c) ||
        !derive(endpoint, VESPER_RIGHT_WRITE | VESPER_RIGHT_GRANT, 0, &share.to_consumer, &c) ||
        !derive(endpoint, VESPER_RIGHT_READ, 0, &share.from_producer, &c) ||
        !derive(fault_ep, VESPER_RIGHT_WRITE, BADGE_CONSUMER, &consumer_fault, &c) ||
        !derive(fault_ep, VESPER_RIGHT_WRITE, BADGE_SNOOP, &snoop_fault, &c))
        return 1;
    /* Slots the domains fill. */
    share.producer_frame = c.next;
    c.next += 2;
    share.read_only = c.next++;
    share.consumer_frame = c.next++;
    share.untyped = c.untyped;
    share.table_next = c.next;
    share.table_end = c.next += TABLE_SLOTS;
    frame_server.reply = server_reply;
    frame_server.untyped = c.untyped;
    frame_server.cnode = VESPER_ROOT_SLOT_CNODE;
    frame_server.next = c.next;
    frame_server.end = c.next += 8;
    frame_server.scratch = c.next++;
    if (!start_child(&c, VESPER_ROOT_SLOT_PDOM, 0, frame_server_main,
                     (vesper_word)(uintptr_t)&frame_server) ||
        !start_child(&c, share.consumer_pdom, consumer_fault, consumer_main, 0) ||
        !start_child(&c, share.producer_pdom, 0, producer_main, 0))
        return 1;
    vesper_word pointer = 0, snooped = 0;
    expect_fault(fault_ep, root_reply, BADGE_CONSUMER, VESPER_FAULT_ACCESS_WRITE,
                 "the consumer faulted writing", &pointer);
    if (start_child(&c, snoop_pdom, snoop_fault, snoop_main, pointer))
        expect_fault(fault_ep, root_reply, BADGE_SNOOP, VESPER_FAULT_ACCESS_READ,
                     "the snoop faulted reading", &snooped);
    check("both faults name the shared pointer", pointer != 0 && snooped == pointer);
    vesper_word revoked = 0;
    if (late_reader(&c, fault_ep, pointer))
        expect_fault(fault_ep, root_reply, BADGE_LATE, VESPER_FAULT_ACCESS_READ,
                     "the late reader faulted reading after the grant was taken back",
                     &revoked);
    check("the late reader's fault names the shared pointer", revoked == pointer);
    vesper_print(failures == 0 ? "share: all checks passed\n" : "share: some checks failed\n");
    return failures == 0 ? 0 : 1;
}

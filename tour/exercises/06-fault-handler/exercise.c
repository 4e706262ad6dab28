/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Tour exercise 06: handling a fault (docs/tour/06-faults.md).
 *
 * The root writes 42 into a frame, then starts a child in a protection
 * domain of its own whose fault endpoint is one the root receives on. The
 * child reads the frame's word, but its PDom was never granted the frame:
 * the read is a page fault, which the kernel delivers to the root as a
 * Call on the fault endpoint. The child then waits for the answer.
 *
 * Your task, in handle_fault(): act as the child's pager. Grant the frame
 * to the child's PDom, read only, through a copy of its capability (one
 * capability makes one grant, and `frame` already made the root's), then
 * answer the fault so that the child resumes and reads again: label 0 and
 * no words runs the faulting instruction again (docs/ipc.md, Faults).
 *
 * Check it with: meson test -C build --suite exercises 06-fault-handler
 */
#include <libos/format.h>
#include <vesper/sim.h>

#include "tour.h"

static vesper_cptr report; /* the child sends what it read here */
static vesper_word shared; /* the frame's address */

static _Noreturn void child_main(vesper_word arg)
{
    (void)arg;
    vesper_word value = *(volatile vesper_word *)(uintptr_t)shared; /* faults first */
    struct vesper_message msg = {.tag = vesper_tag(0, 1, 0), .word = {value}};
    (void)vesper_ipc_send(report, &msg);
    vesper_exit(0);
}

static void handle_fault(struct carver *c, const struct vesper_message *fault, vesper_cptr reply,
                         vesper_cptr frame, vesper_cptr child_pdom)
{
    vesper_printf("tour 06: fault: kind %lu, pc %p, address %p, access %lu\n",
                  (unsigned long)vesper_tag_label(fault->tag), (void *)(uintptr_t)fault->word[1],
                  (void *)(uintptr_t)fault->word[2], (unsigned long)fault->word[3]);
    (void)c, (void)frame, (void)child_pdom;

    /* EXERCISE 1: copy `frame` into a fresh slot (c->next++) with
     * vesper_cnode_copy() or vesper_cnode_mint(), and grant the copy to
     * `child_pdom` with VESPER_FRAME_READ: grant_to(c, ...) makes the
     * PageTables the PDom lacks. */

    /* EXERCISE 2: resume the child. Label 1 stops it; what resumes it? */
    struct vesper_message answer = {.tag = vesper_tag(1, 0, 0)};
    (void)vesper_ipc_reply(reply, &answer);
}

int vesper_main(const struct vesper_bootinfo *bootinfo)
{
    struct carver c;
    struct child_domain child;
    vesper_cptr endpoints, fault_ep, fault_reply, frame, child_pdom;
    if (!carver_init(&c, bootinfo) ||
        carve(&c, "retype Endpoints", VESPER_OBJECT_ENDPOINT, 0, 2, &endpoints) != VESPER_OK ||
        carve(&c, "retype a Reply", VESPER_OBJECT_REPLY, 0, 1, &fault_reply) != VESPER_OK ||
        carve(&c, "retype a PDom", VESPER_OBJECT_PDOM, 0, 1, &child_pdom) != VESPER_OK ||
        !tour_root_frame(&c, &frame, &shared)) {
        vesper_printf("tour 06: cannot %s\n", c.failed);
        return 1;
    }
    fault_ep = endpoints;
    report = endpoints + 1;
    *(volatile vesper_word *)(uintptr_t)shared = 42;
    if (child_domain_make_in(&c, child_pdom, fault_ep, false, &child) != VESPER_OK ||
        child_domain_start(&child, child_main, 0) != VESPER_OK) {
        vesper_printf("tour 06: cannot %s\n", c.failed != NULL ? c.failed : "start the child");
        return 1;
    }
    struct vesper_message msg = {0};
    if (vesper_ipc_recv(fault_ep, fault_reply, &msg) != VESPER_OK)
        return 1;
    handle_fault(&c, &msg, fault_reply, frame, child_pdom);
    /* The child reports what it read, if it runs again. */
    if (vesper_ipc_recv(report, fault_reply, &msg) != VESPER_OK)
        return 1;
    vesper_printf("tour 06: the child resumed and read %lu\n", (unsigned long)msg.word[0]);
    return msg.word[0] == 42 ? 0 : 1;
}

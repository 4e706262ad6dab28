/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Tour exercise 07: sharing a frame between protection domains
 * (docs/tour/07-protection-domains.md).
 *
 * In a single address space a pointer means the same in every domain;
 * what a domain may do through it is what its PDom was granted. The root
 * writes a line into a frame and starts a child in a PDom of its own,
 * passing it the frame's address. The child prints the line through that
 * pointer, then tries to write through it. The root receives the child's
 * faults.
 *
 * Your task, in share_read_only(): let the child read the frame and not
 * write it. Make a copy of `frame` that has only VESPER_FRAME_READ (a copy
 * never has more rights than its source: vesper_cnode_mint or
 * vesper_cnode_copy), into a fresh slot (c->next++), and grant that copy
 * to `child_pdom` with grant_to() (programs/child_domain.h).
 *
 * Check it with: meson test -C build --suite exercises 07-sharing
 */
#include <libos/format.h>
#include <vesper/sim.h>

#include "tour.h"

#define LINE "a line the root wrote, read through the same pointer"

static _Noreturn void child_main(vesper_word address)
{
    char *text = (char *)(uintptr_t)address;
    vesper_printf("tour 07: the child reads \"%s\"\n", text);
    text[0] = '!'; /* may it? */
    vesper_printf("tour 07: the child wrote into the frame\n");
    vesper_exit(0);
}

static void share_read_only(struct carver *c, vesper_cptr frame, vesper_cptr child_pdom)
{
    (void)c, (void)frame, (void)child_pdom;
    /* EXERCISE: a read-only copy of `frame`, granted to `child_pdom`. */
}

int vesper_main(const struct vesper_bootinfo *bootinfo)
{
    struct carver c;
    struct child_domain child;
    vesper_word address;
    vesper_cptr fault_ep, reply, frame, child_pdom;
    if (!carver_init(&c, bootinfo) ||
        carve(&c, "retype a PDom", VESPER_OBJECT_PDOM, 0, 1, &child_pdom) != VESPER_OK ||
        !tour_root_frame(&c, &frame, &address) ||
        carve(&c, "retype an Endpoint", VESPER_OBJECT_ENDPOINT, 0, 1, &fault_ep) != VESPER_OK ||
        carve(&c, "retype a Reply", VESPER_OBJECT_REPLY, 0, 1, &reply) != VESPER_OK) {
        vesper_printf("tour 07: cannot %s\n", c.failed);
        return 1;
    }
    char *text = (char *)(uintptr_t)address;
    for (unsigned i = 0; i < sizeof LINE; i++)
        text[i] = LINE[i];
    share_read_only(&c, frame, child_pdom);
    if (child_domain_make_in(&c, child_pdom, fault_ep, false, &child) != VESPER_OK ||
        child_domain_start(&child, child_main, address) != VESPER_OK) {
        vesper_printf("tour 07: cannot %s\n", c.failed != NULL ? c.failed : "start the child");
        return 1;
    }
    struct vesper_message fault = {0};
    if (vesper_ipc_recv(fault_ep, reply, &fault) != VESPER_OK)
        return 1;
    bool at_frame = vesper_tag_label(fault.tag) == VESPER_FAULT_PAGE &&
                    fault.word[2] - address < ((vesper_word)1 << VESPER_FRAME_4K_BITS);
    bool write = fault.word[3] == VESPER_FAULT_ACCESS_WRITE;
    vesper_printf("tour 07: the child faulted: kind %lu at %p, access %lu\n",
                  (unsigned long)vesper_tag_label(fault.tag), (void *)(uintptr_t)fault.word[2],
                  (unsigned long)fault.word[3]);
    struct vesper_message stop = {.tag = vesper_tag(1, 0, 0)};
    (void)vesper_ipc_reply(reply, &stop); /* label 1: the child stops */
    if (at_frame && write && text[0] == LINE[0]) {
        vesper_printf("tour 07: ok the write faulted at the shared frame; the line is intact\n");
        vesper_printf("tour 07: all done\n");
        return 0;
    }
    vesper_printf("tour 07: not yet: the child should fault writing at the frame, not %s\n",
                  at_frame ? "reading" : "elsewhere");
    return 1;
}

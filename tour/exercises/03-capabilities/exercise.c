/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Tour exercise 03: capabilities and retype (docs/tour/03-capabilities.md).
 *
 * The root domain holds Untyped memory and nothing else to build with.
 * Your task, in the places marked EXERCISE:
 *   1. retype one Endpoint from the largest RAM Untyped into slot `endpoint`;
 *   2. mint a copy of it into slot `badged`, with badge 0x5 and only the
 *      right to send (VESPER_RIGHT_WRITE);
 *   3. print a line about each slot with vesper_print_capability().
 * The code after your part identifies both slots and says what it finds.
 * programs/caps.c calls every function you need but vesper_print_capability()
 * (<libos/format.h>), which programs/hello.c calls.
 *
 * Check it with: meson test -C build --suite exercises 03-capabilities
 */
#include <stdbool.h>

#include <libos/bootinfo.h>
#include <libos/caps.h>
#include <libos/format.h>
#include <libos/libos.h>
#include <vesper/sim.h>

#define ROOT VESPER_ROOT_SLOT_CNODE /* the root's CNode: CPtrs are slot numbers */
#define DEPTH 64u                   /* at full depth */

static int check(bool ok, const char *what)
{
    vesper_printf("tour 03: %s %s\n", ok ? "ok" : "not yet:", what);
    return ok ? 0 : 1;
}

int vesper_main(const struct vesper_bootinfo *bootinfo)
{
    vesper_cptr untyped = bootinfo->untyped_first + vesper_largest_ram_untyped(bootinfo);
    vesper_cptr endpoint = bootinfo->empty_first; /* two empty slots of the root CNode */
    vesper_cptr badged = bootinfo->empty_first + 1;
    (void)untyped;

    /* EXERCISE 1: retype one Endpoint from `untyped` into slot `endpoint`
     * (vesper_untyped_retype: the destination is ROOT, node index 0 and
     * depth 0 for the CNode itself, then the slot as the offset). */

    /* EXERCISE 2: mint a copy of `endpoint` into `badged`, with rights
     * VESPER_RIGHT_WRITE and badge 0x5 (vesper_cnode_mint). */

    /* EXERCISE 3: print both with vesper_print_capability(). */

    struct vesper_cap_info a = {0}, b = {0};
    bool have_a = vesper_cap_identify(endpoint, &a) == VESPER_OK;
    bool have_b = vesper_cap_identify(badged, &b) == VESPER_OK;
    int missing = 0;
    missing += check(have_a && a.type == VESPER_OBJECT_ENDPOINT, "slot `endpoint` holds an Endpoint");
    missing += check(have_a && a.data == 0 && a.rights == VESPER_RIGHTS_ALL,
                     "it has no badge and every right");
    missing += check(have_b && b.type == VESPER_OBJECT_ENDPOINT && b.address == a.address,
                     "slot `badged` names the same Endpoint");
    missing += check(have_b && b.data == 0x5, "its badge is 0x5");
    missing += check(have_b && b.rights == VESPER_RIGHT_WRITE, "it may send and nothing else");
    vesper_printf("tour 03: %s\n", missing == 0 ? "all done" : "some steps are left");
    return missing == 0 ? 0 : 1;
}

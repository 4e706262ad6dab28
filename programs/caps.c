/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A root domain that exercises the object model end to end, on both HALs:
 * it retypes Untyped memory into a CNode and Endpoints, then copies, mints,
 * moves, revokes and deletes capabilities, and checks each answer. It
 * prints one line per step and exits 0 only if every check held.
 */
#include <stdbool.h>

#include <libos/bootinfo.h>
#include <libos/caps.h>

#include "programs.h"

#define ROOT VESPER_ROOT_SLOT_CNODE
#define DEPTH 64 /* root CPtrs are slot numbers at full depth */

static int failures;

static void report(const char *step, bool ok, enum vesper_error error)
{
    vesper_print(ok ? "caps: ok     " : "caps: FAILED ");
    vesper_print(step);
    if (!ok) {
        vesper_print(" (");
        vesper_print(vesper_error_name(error));
        vesper_print(")");
        failures++;
    }
    vesper_print("\n");
}

static void expect(const char *step, enum vesper_error got, enum vesper_error wanted)
{
    report(step, got == wanted, got);
}

static vesper_word badge_of(vesper_cptr cap)
{
    struct vesper_cap_info info = {0};
    return vesper_cap_identify(cap, &info) == VESPER_OK ? info.data : ~(vesper_word)0;
}

/* A PDom holds a kernel slot (Identify's aux) at a generation (its data);
 * deleting its last capability releases the slot, and the next PDom made in
 * it has a later generation. The root's PDom holds slot 0. */
static void check_pdom_slots(vesper_cptr untyped, vesper_cptr pdom)
{
    struct vesper_cap_info first = {0}, second = {0};
    expect("retype a PDom", vesper_untyped_retype(untyped, VESPER_OBJECT_PDOM, 0, ROOT, 0, 0, pdom, 1), VESPER_OK);
    expect("identify the PDom", vesper_cap_identify(pdom, &first), VESPER_OK);
    report("it holds a PDom slot other than the root's", first.aux != 0, VESPER_OK);
    expect("delete the PDom", vesper_cnode_delete(ROOT, pdom, DEPTH), VESPER_OK);
    expect("retype another PDom", vesper_untyped_retype(untyped, VESPER_OBJECT_PDOM, 0, ROOT, 0, 0, pdom, 1), VESPER_OK);
    expect("identify it", vesper_cap_identify(pdom, &second), VESPER_OK);
    report("it reuses the released slot at a later generation",
           second.aux == first.aux && second.data == first.data + 1, VESPER_OK);
}

int caps_main(const struct vesper_bootinfo *info)
{
    vesper_word pick = vesper_largest_ram_untyped(info);
    vesper_cptr untyped = info->untyped_first + pick;
    vesper_cptr cnode = info->empty_first;   /* a CNode of 16 slots */
    vesper_cptr ep = cnode + 1;               /* four Endpoints: ep .. ep + 3 */
    vesper_cptr badged = cnode + 5;
    vesper_cptr moved = cnode + 6;
    struct vesper_cap_info id = {0};

    if (pick == info->untyped_count) {
        report("find a RAM Untyped", false, VESPER_ERR_NOT_ENOUGH_MEMORY);
        return 1;
    }

    expect("retype a CNode", vesper_untyped_retype(untyped, VESPER_OBJECT_CNODE, 4, ROOT, 0, 0, cnode, 1), VESPER_OK);
    expect("retype four Endpoints", vesper_untyped_retype(untyped, VESPER_OBJECT_ENDPOINT, 0, ROOT, 0, 0, ep, 4), VESPER_OK);
    expect("identify an Endpoint", vesper_cap_identify(ep, &id), VESPER_OK);
    report("it is an Endpoint", id.type == VESPER_OBJECT_ENDPOINT, VESPER_OK);
    expect("copy into the new CNode", vesper_cnode_copy(cnode, 0, 4, ROOT, ep, DEPTH, VESPER_RIGHTS_ALL), VESPER_OK);
    expect("copy onto an occupied slot", vesper_cnode_copy(cnode, 0, 4, ROOT, ep, DEPTH, VESPER_RIGHTS_ALL), VESPER_ERR_DELETE_FIRST);
    expect("mint with badge 42", vesper_cnode_mint(ROOT, badged, DEPTH, ROOT, ep, DEPTH, VESPER_RIGHT_READ | VESPER_RIGHT_WRITE, 42), VESPER_OK);
    report("the badge is 42", badge_of(badged) == 42, VESPER_OK);
    expect("mint a badged capability again", vesper_cnode_mint(ROOT, moved, DEPTH, ROOT, badged, DEPTH, VESPER_RIGHTS_ALL, 7), VESPER_ERR_ILLEGAL_OPERATION);
    expect("move the badged capability", vesper_cnode_move(ROOT, moved, DEPTH, ROOT, badged, DEPTH), VESPER_OK);
    expect("the old slot is empty", vesper_cap_identify(badged, &id), VESPER_ERR_INVALID_CAPABILITY);
    report("the badge moved with it", badge_of(moved) == 42, VESPER_OK);
    expect("revoke the original Endpoint", vesper_cnode_revoke(ROOT, ep, DEPTH), VESPER_OK);
    expect("its badged child is gone", vesper_cap_identify(moved, &id), VESPER_ERR_INVALID_CAPABILITY);
    expect("the original stays", vesper_cap_identify(ep, &id), VESPER_OK);
    expect("delete the CNode", vesper_cnode_delete(ROOT, cnode, DEPTH), VESPER_OK);
    for (vesper_cptr slot = ep; slot < ep + 4; slot++)
        expect("delete an Endpoint", vesper_cnode_delete(ROOT, slot, DEPTH), VESPER_OK);
    expect("retype once everything is gone", vesper_untyped_retype(untyped, VESPER_OBJECT_ENDPOINT, 0, ROOT, 0, 0, ep, 1), VESPER_OK);
    expect("identify the new Endpoint", vesper_cap_identify(ep, &id), VESPER_OK);
    report("the memory was reused from the start", id.address == info->untyped[pick].base, VESPER_OK);
    check_pdom_slots(untyped, cnode);
    vesper_print(failures == 0 ? "caps: all checks passed\n" : "caps: some checks failed\n");
    return failures == 0 ? 0 : 1;
}

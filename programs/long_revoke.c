/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * revoke: a long Revoke does not hold the machine (core/entry/preempt.h,
 * docs/preemption.md).
 *
 * The root fills a CNode with copies of one Endpoint capability, starts a
 * child domain that keeps looking at the first and the last copy, and then
 * revokes the Endpoint: one syscall that deletes every copy. The Revoke
 * takes longer than the root's time slice, so the timer's interrupt comes
 * while the kernel works; at its next preemption point the Revoke stops,
 * the child runs its slice, and the root's Revoke is made again and goes
 * on where it stopped. The child finding one end deleted and the other
 * still there shows it: without preemption no domain could see the tree
 * half revoked. Every copy is gone at the end, as without preemption.
 *
 * A second child has a deadline: it must run again within DEADLINE_MS of
 * its last turn. It yields at once each time it runs and keeps the longest
 * wait it saw while the Revoke was in progress, by the kernel's clock that
 * Yield answers. The Revoke takes seconds in QEMU; the child's longest wait
 * is a few time slices.
 *
 * It needs time to pass while the kernel works: on the Pi, and on the host
 * with vesper-sim --time=real. In virtual time the clock moves only between
 * kernel entries, so nothing can preempt the Revoke.
 */
#include "child_domain.h"
#include "programs.h"

/* Copies in CNODES CNodes of 2^RADIX slots (2 MiB each): enough deletions
 * for a Revoke to outlast a 5 ms slice, under QEMU and on the host
 * (vesper-sim needs --memory 32 for them). */
#define RADIX 16u
#define CNODES 4u
#define SLOTS ((vesper_word)1 << RADIX)
#define COPIES (CNODES * SLOTS)

/* In the image's user data, which every domain may write: what the child
 * saw, read by the root, and what it looks at. */
static volatile vesper_word looks, half_revoked;
/* The ticking child's: its turns, and its longest wait while `revoking`. */
static volatile vesper_word ticks, revoking, longest_wait_ns;

#define DEADLINE_MS 100u
#define NS_PER_MS 1000000u
static vesper_cptr first_cnode, child_spare; /* the CNodes are in a row from first_cnode */

/* A copy of the capability at ep in every slot of the CNodes. */
static bool fill(vesper_cptr ep)
{
    for (vesper_word n = 0; n < CNODES; n++)
        for (vesper_word i = 0; i < SLOTS; i++)
            if (vesper_cnode_copy(first_cnode + n, i, RADIX, CHILD_ROOT_CNODE, ep,
                                  CHILD_ROOT_DEPTH, VESPER_RIGHTS_ALL) != VESPER_OK)
                return false;
    return true;
}

/* Whether slot index of the CNode at cnode is empty: a Copy from it into
 * the root CNode's free slot `spare` fails then. */
static bool slot_empty(vesper_cptr cnode, vesper_word index, vesper_cptr spare)
{
    if (vesper_cnode_copy(CHILD_ROOT_CNODE, spare, CHILD_ROOT_DEPTH, cnode, index, RADIX,
                          VESPER_RIGHTS_ALL) != VESPER_OK)
        return true;
    vesper_cnode_delete(CHILD_ROOT_CNODE, spare, CHILD_ROOT_DEPTH);
    return false;
}

/* The child: look at both ends of the copies, forever. */
static void look_entry(vesper_word arg)
{
    (void)arg;
    for (;;) {
        bool first = slot_empty(first_cnode, 0, child_spare);
        bool last = slot_empty(first_cnode + CNODES - 1, SLOTS - 1, child_spare);
        if (first != last)
            half_revoked++;
        looks++;
    }
}

/* The ticking child: yield, and time how long until the next turn. */
static void tick_entry(vesper_word arg)
{
    (void)arg;
    uint64_t last = vesper_yield();
    for (;;) {
        uint64_t now = vesper_yield();
        if (revoking && now - last > longest_wait_ns)
            longest_wait_ns = now - last;
        last = now;
        ticks++;
    }
}

/* The root's verdict on the ticking child's deadline, given how long the
 * Revoke took. */
static bool report_deadline(uint64_t revoke_ns)
{
    vesper_print("revoke: the Revoke took ");
    print_decimal(revoke_ns / NS_PER_MS);
    vesper_print(" ms; the ticking domain waited at most ");
    print_decimal(longest_wait_ns / NS_PER_MS);
    vesper_print(" ms for a turn\n");
    bool met = longest_wait_ns < (uint64_t)DEADLINE_MS * NS_PER_MS;
    vesper_print(met ? "revoke: ok the ticking domain met its deadline of 100 ms\n"
                     : "revoke: FAILED the ticking domain missed its deadline of 100 ms\n");
    return met;
}

int long_revoke_main(const struct vesper_bootinfo *info)
{
    struct carver c;
    struct child_domain child, ticker;
    vesper_cptr ep;
    if (!carver_init(&c, info) ||
        carve(&c, "retype the CNodes", VESPER_OBJECT_CNODE, RADIX, CNODES, &first_cnode) !=
            VESPER_OK ||
        carve(&c, "retype the Endpoint", VESPER_OBJECT_ENDPOINT, 0, 1, &ep) != VESPER_OK ||
        !fill(ep)) {
        vesper_print("revoke: FAILED to make the copies (on the host they need "
                     "vesper-sim --memory 32)\n");
        return 1;
    }
    child_spare = c.next++;
    vesper_cptr root_spare = c.next++;
    if (child_domain_make(&c, VESPER_ROOT_SLOT_NULL, true, &child) != VESPER_OK ||
        child_domain_start(&child, look_entry, 0) != VESPER_OK) { /* Copy needs a buffer */
        vesper_print("revoke: FAILED to start the looking domain\n");
        return 1;
    }
    if (child_domain_make(&c, VESPER_ROOT_SLOT_NULL, false, &ticker) != VESPER_OK ||
        child_domain_start(&ticker, tick_entry, 0) != VESPER_OK) {
        vesper_print("revoke: FAILED to start the ticking domain\n");
        return 1;
    }
    vesper_print("revoke: ");
    print_decimal(COPIES);
    vesper_print(" copies of an Endpoint; a child domain looks at the first and the last\n");
    while (looks == 0 || ticks == 0)
        vesper_yield(); /* the children are under way */
    revoking = 1;
    uint64_t start = vesper_yield();
    enum vesper_error error = vesper_cnode_revoke(CHILD_ROOT_CNODE, ep, CHILD_ROOT_DEPTH);
    uint64_t took = vesper_yield() - start;
    revoking = 0;
    vesper_word seen = half_revoked;
    bool met = report_deadline(took);
    bool gone = true;
    for (vesper_word n = 0; n < CNODES; n++)
        gone = gone && slot_empty(first_cnode + n, 0, root_spare) &&
               slot_empty(first_cnode + n, SLOTS - 1, root_spare);
    vesper_print(error == VESPER_OK && gone ? "revoke: ok every copy is gone\n"
                                            : "revoke: FAILED copies are left\n");
    vesper_print(seen != 0 ? "revoke: ok the child saw the copies half revoked while the "
                             "root's one Revoke was in progress\n"
                           : "revoke: FAILED the child never saw the Revoke half done\n");
    return error == VESPER_OK && gone && seen != 0 && met ? 0 : 1;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Tour exercise 05: notifications (docs/tour/05-notifications.md).
 *
 * A Notification is one word of bits. Signal ORs the badge of the
 * capability it is made through into the word; Wait blocks until the word
 * is not zero, then returns it and clears it.
 *
 * Your task, in the places marked EXERCISE:
 *   1. mint two copies of `notification`, into slots `first` and `second`,
 *      with badges 0x1 and 0x4 (vesper_cnode_mint, rights
 *      VESPER_RIGHTS_ALL);
 *   2. signal through each of them once (vesper_signal);
 *   3. wait on `notification` once, into `word` (vesper_wait).
 * The code after your part says what one Wait saw, and what a Poll finds
 * after it.
 *
 * Check it with: meson test -C build --suite exercises 05-notifications
 */
#include <stdbool.h>

#include <libos/format.h>
#include <vesper/sim.h>

#include "child_domain.h"

static int check(bool ok, const char *what)
{
    vesper_printf("tour 05: %s %s\n", ok ? "ok" : "not yet:", what);
    return ok ? 0 : 1;
}

int vesper_main(const struct vesper_bootinfo *bootinfo)
{
    struct carver c;
    vesper_cptr notification;
    if (!carver_init(&c, bootinfo) ||
        carve(&c, "retype a Notification", VESPER_OBJECT_NOTIFICATION, 0, 1, &notification) !=
            VESPER_OK) {
        vesper_printf("tour 05: cannot %s\n", c.failed);
        return 1;
    }
    vesper_cptr first = c.next++, second = c.next++; /* two empty slots */
    vesper_word word = 0;

    /* EXERCISE 1: mint the two badged copies into `first` and `second`. */

    /* EXERCISE 2: signal through `first`, then through `second`. */

    /* EXERCISE 3: wait on `notification` once, into `word`. */

    vesper_printf("tour 05: one Wait returned 0x%lx\n", (unsigned long)word);
    vesper_word after = ~(vesper_word)0;
    (void)vesper_poll(notification, &after);
    vesper_printf("tour 05: a Poll after it returned 0x%lx\n", (unsigned long)after);

    struct vesper_cap_info a = {0}, b = {0};
    int missing = 0;
    missing += check(vesper_cap_identify(first, &a) == VESPER_OK && a.data == 0x1,
                     "slot `first` holds the notification with badge 0x1");
    missing += check(vesper_cap_identify(second, &b) == VESPER_OK && b.data == 0x4,
                     "slot `second` holds it with badge 0x4");
    missing += check(word == 0x5, "one Wait saw both signals, ORed together");
    missing += check(after == 0, "the Wait cleared the word");
    vesper_printf("tour 05: %s\n", missing == 0 ? "all done" : "some steps are left");
    return missing == 0 ? 0 : 1;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * spin: preemption by the timer of a domain that never enters the kernel
 * (spin-test.img on the Pi; vesper-sim --time real spin on the host).
 *
 * The root starts a child domain that spins forever on a counter and makes
 * no syscall at all, then yields. Nothing but the timer's interrupt at the
 * end of the child's time slice can bring the root back, so the root
 * running again, with the counter moved, shows that a domain that never
 * enters the kernel loses the CPU all the same. Then the root spins itself,
 * watching the counter, with no syscall either: the counter can only move
 * again if the timer takes the CPU from the root and hands it to the child
 * and back. It does that a few times, then returns 0 and the kernel shuts
 * down. Without preemption the machine would hang in the first spin, and
 * the QEMU test's timeout fails it.
 *
 * On the host in virtual time a domain's time passes only as it enters the
 * kernel, so a domain that never does is never preempted: there the
 * program needs real time (vesper-sim --time real), where the timer's
 * signal preempts it.
 */
#include "child_domain.h"
#include "programs.h"

/* How many times the root waits, spinning, for the child to run again. */
#define SPIN_ROUNDS 3u
/* How many slices of the child's the root gives it to make progress. */
#define MAX_YIELDS 1000u

/* In the image's user data, which every domain may write: the child's
 * progress, read by the root. */
static volatile vesper_word child_spins;

/* The child: count, forever, without entering the kernel. */
static void spin_entry(vesper_word arg)
{
    (void)arg;
    for (;;)
        child_spins++;
}

int spin_main(const struct vesper_bootinfo *info)
{
    struct carver c;
    struct child_domain child;
    if (!carver_init(&c, info) ||
        child_domain_make(&c, VESPER_ROOT_SLOT_NULL, false, &child) != VESPER_OK ||
        child_domain_start(&child, spin_entry, 0) != VESPER_OK) {
        vesper_print("spin: FAILED to start the spinning domain\n");
        return 1;
    }
    vesper_print("spin: a child domain spins with no syscall; the root yields to it\n");
    /* Each Yield comes back only once the child's slice has ended. In QEMU
     * the timer follows the host's clock, so on a loaded host a whole slice
     * can pass before the child runs one instruction: yield again until
     * it has. */
    vesper_word before = child_spins;
    unsigned yields = 0;
    do {
        vesper_yield();
        yields++;
    } while (child_spins == before && yields < MAX_YIELDS);
    if (child_spins == before) {
        vesper_print("spin: FAILED the root ran again but the child never did\n");
        return 1;
    }
    vesper_print("spin: ok the root ran again while a domain spun\n");
    for (unsigned round = 0; round < SPIN_ROUNDS; round++) {
        vesper_word seen = child_spins;
        while (child_spins == seen) {
            /* no syscall: only the timer can let the child run */
        }
    }
    vesper_print("spin: ok the timer took the CPU from the spinning root ");
    print_decimal(SPIN_ROUNDS);
    vesper_print(" times\n");
    return 0;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Tour exercise 01: your first program (docs/tour/01-first-program.md).
 *
 * This file is a root domain of your own. The executable it builds is a
 * vesper-sim whose one program is yours: it boots the kernel and calls
 * vesper_main() in the root domain with the bootinfo record. What
 * vesper_main() returns is the root's exit status: the kernel shuts down
 * with it, and the executable exits with it.
 *
 * Your task: print these two lines with vesper_printf() (<libos/format.h>),
 *
 *     tour 01: my name is NAME
 *     tour 01: 6 times 7 is N
 *
 * where NAME is your name and N is worked out by the program (use %d with
 * the product, do not write the digits into the string), then return 0.
 *
 * Check it with: meson test -C build --suite exercises 01-first-program
 */
#include <libos/format.h>
#include <vesper/sim.h>

int vesper_main(const struct vesper_bootinfo *bootinfo)
{
    (void)bootinfo; /* chapter 02 looks inside it */

    vesper_printf("tour 01: hello from my own root domain\n");

    /* EXERCISE: print your name, then 6 times 7, as described above. */

    /* EXERCISE: the root's exit status. 1 says "not done yet"; return 0. */
    return 1;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The root domain of fault-test.img, for the Pi only: it says what it is
 * about to do, then executes an undefined instruction at EL0. The root has
 * no fault endpoint, so the kernel must stop it with a logged reason (the
 * user exception, its ESR and pc), find no domain left to run and shut down
 * with status 3; the QEMU test checks that it does.
 */
#include "programs.h"

static int fault_main(const struct vesper_bootinfo *bootinfo)
{
    (void)bootinfo;
    vesper_print("fault: executing an undefined instruction at EL0\n");
    __asm__ volatile("udf #0");
    vesper_print("fault: still running after the undefined instruction\n");
    return 1;
}

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, fault_main);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The root domain of sched-rr-test.img: the domain scheduler, round robin. */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, sched_rr_main);
}

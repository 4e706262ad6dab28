/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The root domain of sched-edf-test.img: the domain scheduler, earliest deadline first. */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, sched_edf_main);
}

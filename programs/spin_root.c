/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The root domain of spin-test.img: a domain that never enters the kernel is preempted. */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, spin_main);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The root domain of preempt-test.img: threads switched by the activation handler. */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, preempt_main);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The root domain of sleep-test.img: a user-space timer driver and two clients. */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, timer_demo_main);
}

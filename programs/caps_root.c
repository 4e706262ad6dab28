/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The root domain of caps-test.img: the capability exercise. */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, caps_main);
}

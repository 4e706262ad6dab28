/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The root domain of pingpong-test.img: a client and a server domain trade Calls. */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, pingpong_main);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The root domain of threads-test.img: user-level threads taking turns. */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, threads_main);
}

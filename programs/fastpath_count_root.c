/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The root domain of fastpath-count.img: fast-path round trips between marks, for counting. */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, fastpath_count_main);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The root domain of share-test.img: one frame in three protection domains. */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, share_main);
}

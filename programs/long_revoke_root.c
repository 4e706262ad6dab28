/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The root domain of revoke-test.img: a long Revoke is preempted and made again. */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, long_revoke_main);
}

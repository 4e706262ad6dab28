/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The root domain of echo-test.img: an interrupt-driven console in user space. */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, echo_main);
}

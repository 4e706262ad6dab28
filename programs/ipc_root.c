/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The root domain of ipc-test.img: the IPC demonstration and its checks. */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, ipc_demo_main);
}

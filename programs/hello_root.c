/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The root domain of kernel8.img: the hello program. The Pi HAL starts the
 * root domain at vesper_root_entry with the bootinfo address in x0.
 */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, hello_main);
}

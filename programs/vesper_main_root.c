/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The root entry of a Pi image made from a program of your own
 * (libvesper-root, docs/your-program.md): the HAL starts the root domain
 * here with the bootinfo address, and vesper_main(), declared in
 * <vesper/sim.h> for both HALs, is the program. What it returns becomes
 * the machine's exit status.
 */
#include <vesper/sim.h>

#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, vesper_main);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The first root domain: read the bootinfo record, greet, and exit. */
#include "programs.h"

int hello_main(const struct vesper_bootinfo *bootinfo)
{
    if (bootinfo->magic != VESPER_BOOTINFO_MAGIC ||
        bootinfo->version != VESPER_BOOTINFO_VERSION) {
        vesper_print("hello: the bootinfo record is not valid\n");
        return 1;
    }
    vesper_print("Hello from the root domain!\n");
    return 0;
}

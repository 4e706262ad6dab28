/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The first root domain: read the bootinfo record, greet, say what memory
 * it was given (formatted by libos), show its CSpace's own capability,
 * and exit. */
#include <libos/bootinfo.h>
#include <libos/format.h>

#include "programs.h"

int hello_main(const struct vesper_bootinfo *bootinfo)
{
    if (bootinfo->magic != VESPER_BOOTINFO_MAGIC ||
        bootinfo->version != VESPER_BOOTINFO_VERSION) {
        vesper_print("hello: the bootinfo record is not valid\n");
        return 1;
    }
    vesper_print("Hello from the root domain!\n");
    vesper_word largest = vesper_largest_ram_untyped(bootinfo);
    if (largest < bootinfo->untyped_count)
        vesper_printf("hello: %u untyped regions; the largest RAM one is %lu KiB at %p\n",
                      (unsigned)bootinfo->untyped_count,
                      (unsigned long)(((vesper_word)1 << bootinfo->untyped[largest].size_bits) >> 10),
                      (void *)(uintptr_t)bootinfo->untyped[largest].base);
    vesper_print("hello: my CSpace's root: ");
    vesper_print_capability(VESPER_ROOT_SLOT_CNODE);
    return 0;
}

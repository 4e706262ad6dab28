/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A root-domain program of your own, built outside the Vesper tree. The
 * same file becomes a vesper-sim on the host (vesper-host.pc) and a boot
 * image for the Raspberry Pi 3 (vesper-rpi3.pc): docs/your-program.md.
 */
#include <stdint.h>

#include <libos/bootinfo.h>
#include <libos/format.h>
#include <libos/libos.h>
#include <vesper/sim.h>

int vesper_main(const struct vesper_bootinfo *bootinfo)
{
    if (bootinfo->magic != VESPER_BOOTINFO_MAGIC ||
        bootinfo->version != VESPER_BOOTINFO_VERSION) {
        vesper_print("hello: the bootinfo record is not valid\n");
        return 1;
    }
    vesper_printf("Hello from a program of my own: %u untyped regions\n",
                  (unsigned)bootinfo->untyped_count);
    vesper_word largest = vesper_largest_ram_untyped(bootinfo);
    if (largest < bootinfo->untyped_count)
        vesper_printf("the largest RAM one: %lu KiB at %p\n",
                      (unsigned long)(((vesper_word)1 << bootinfo->untyped[largest].size_bits) >> 10),
                      (void *)(uintptr_t)bootinfo->untyped[largest].base);
    /* What vesper_main returns is the machine's exit status. */
    return 0;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The root domain of return-test.img, for the Pi: its entry function
 * returns instead of exiting. Its link register started at 0, so it takes
 * an instruction abort at address 0; with no fault endpoint the kernel
 * stops it with the page fault logged, finds no domain left to run and
 * shuts down with status 3. The host raises the same fault for a domain
 * that returns (tests/unit/test_host.c, HOST0011); the QEMU test checks
 * the Pi's.
 */
#include "programs.h"

void vesper_root_entry(vesper_word bootinfo)
{
    (void)bootinfo;
    vesper_print("return: the root's entry function returns\n");
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Touching the users' window from a test, where the touch may fault: the
 * host tests of protection and of the simulated devices ask what a page
 * allows. The probe's own SIGSEGV handler lets the HAL's lazy fill try
 * first, as the HAL's handler does.
 */
#ifndef VESPER_TESTS_PROBE_H
#define VESPER_TESTS_PROBE_H

#include <stdbool.h>
#include <stdint.h>

/* Read address, or write back the byte it holds (read through the
 * kernel's window). False if the touch faults. */
bool test_probe(uintptr_t address, bool write);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Root-domain programs shared by both HALs: vesper-sim runs them on the
 * host, and the Pi images link one of them as their root domain.
 */
#ifndef VESPER_PROGRAMS_H
#define VESPER_PROGRAMS_H

#include <libos/libos.h>

/* Check the bootinfo record, greet through the debug-print syscall, and
 * exit with status 0 (1 if the bootinfo record is wrong). */
int hello_main(const struct vesper_bootinfo *bootinfo);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * What the benchmarks that run domain code share: a fresh machine with
 * protection on, whose root domain runs a program's main, under host_run().
 */
#ifndef VESPER_BENCH_ROOT_H
#define VESPER_BENCH_ROOT_H

#include <stdio.h>

#include <libos/libos.h>

#include "host.h"

/* Run `entry` as the root domain, the console kept in console (size
 * bytes) for a report. Returns the kernel's exit status; nonzero means the
 * machine could not be made, or the root failed. */
static inline int bench_run_root(void (*entry)(vesper_word), char *console, size_t size)
{
    host_machine_protection(HOST_PROTECTION_ON);
    if (host_machine_reset(HOST_MEMORY_DEFAULT, (uintptr_t)entry) != 0)
        return 1;
    host_console_capture(console, size);
    return host_run();
}

/* Say that name's run failed with status, and what the console said. */
static inline void bench_report_failure(const char *name, int status, const char *console)
{
    fprintf(stderr, "%s: the kernel stopped with status %d; its console said:\n%s", name, status,
            console);
}

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * vesper-sim as a library: boot the kernel over the host HAL and run one of
 * a table of root-domain programs, with every vesper-sim option (--help
 * lists them). vesper-sim itself is this function over the bundled
 * programs; a program of your own links libvesper-sim-main, whose main()
 * runs vesper_main() (below) the same way (docs/your-program.md).
 */
#ifndef VESPER_SIM_H
#define VESPER_SIM_H

#include <stddef.h>

#include <vesper/bootinfo.h>

/* Which clocks a program makes sense on. */
enum vesper_sim_time {
    VESPER_SIM_ANY_TIME,
    VESPER_SIM_REAL_TIME_ONLY,    /* hangs in virtual time: refused there */
    VESPER_SIM_VIRTUAL_TIME_ONLY, /* judges a schedule only virtual time repeats */
};

struct vesper_sim_program {
    const char *name;    /* what the command line calls it */
    int (*main)(const struct vesper_bootinfo *bootinfo); /* the root domain */
    const char *summary; /* one line for --list */
    enum vesper_sim_time time;
};

/* Parse the command line as vesper-sim does, run the program it names (the
 * first of the table when it names none) and return the exit status
 * vesper-sim would. count is at least 1. */
int vesper_sim_main(int argc, char **argv, const struct vesper_sim_program *programs,
                    size_t count);

/* Your own root domain, when you link libvesper-sim-main on the host or
 * libvesper-root on the Pi: the bootinfo record in, the exit status out. */
int vesper_main(const struct vesper_bootinfo *bootinfo);

#endif

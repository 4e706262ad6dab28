/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Serving a child domain that runs a list of probes, each an access or an
 * instruction that should (or should not) fault, with the root as its
 * fault handler: the Pi's sysregs and mmu tests. The child writes the
 * number of the probe it is at where the root can read it (one address
 * space), runs them in order, and ends with an undefined instruction. The
 * root answers each fault and resumes the child; a probe that should have
 * faulted and did not shows up as the next fault arriving at a later one.
 */
#ifndef VESPER_PROGRAMS_PROBES_H
#define VESPER_PROGRAMS_PROBES_H

#include <stdbool.h>

#include <libos/ipc.h>

struct probe_server {
    vesper_word count;              /* how many probes */
    const volatile vesper_word *at; /* the probe the child is at; count at its end */
    /* The program's check: print the verdict and count a failure. */
    void (*check)(const char *what, bool ok);
    /* Probe ran without faulting (the child went past it): judge that. */
    void (*ran)(vesper_word probe);
    /* The child faulted at probe, as msg says: judge that, and answer the
     * pc to resume the child at. */
    vesper_word (*faulted)(vesper_word probe, const struct vesper_message *msg);
    const char *resume_step; /* what check() calls a failed resume */
};

/* Answer the child's faults until it ends. */
void probes_serve(const struct probe_server *server, vesper_cptr fault_endpoint,
                  vesper_cptr reply);

#endif

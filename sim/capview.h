/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The capability view of vesper-sim: each domain's CSpace and the
 * derivation tree, as text and as Graphviz DOT, and the domains with what
 * they wait on (docs/capview.md). */
#ifndef VESPER_SIM_CAPVIEW_H
#define VESPER_SIM_CAPVIEW_H

#include <stdio.h>

/* Write the kernel's capabilities now, between kernel entries or after
 * shutdown: as indented text, or as a DOT digraph. */
void sim_capview_text(FILE *out);
void sim_capview_dot(FILE *out);

/* Write each live domain and what it waits on, then each Endpoint and
 * Notification that domains wait on, with its queue in order. */
void sim_domains_text(FILE *out);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The capability view of vesper-sim: each domain's CSpace and the
 * derivation tree, as text and as Graphviz DOT. */
#ifndef VESPER_SIM_CAPVIEW_H
#define VESPER_SIM_CAPVIEW_H

#include <stdio.h>

/* Write the kernel's capabilities now, between kernel entries or after
 * shutdown: as indented text, or as a DOT digraph. */
void sim_capview_text(FILE *out);
void sim_capview_dot(FILE *out);

#endif

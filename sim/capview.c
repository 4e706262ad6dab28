/* SPDX-License-Identifier: BlueOak-1.0.0 */
#include "capview.h"

void sim_capview_text(FILE *out)
{
    fprintf(out, "capability view: not yet written\n");
}

void sim_capview_dot(FILE *out)
{
    fprintf(out, "digraph capabilities {\n}\n");
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Serving a probing child domain (see probes.h). */
#include <vesper/syscall.h>

#include "probes.h"

/* The exception class of an ESR: the child's end, an undefined
 * instruction, has class 0. */
#define ESR_CLASS(esr) (((esr) >> 26) & 0x3fu)
#define CLASS_UNKNOWN 0x00u

void probes_serve(const struct probe_server *s, vesper_cptr fault_endpoint, vesper_cptr reply)
{
    vesper_word next = 0;
    for (;;) {
        struct vesper_message msg;
        if (vesper_ipc_recv(fault_endpoint, reply, &msg) != VESPER_OK) {
            s->check("receive the child's fault", false);
            return;
        }
        vesper_word index = *s->at;
        for (; next < index && next < s->count; next++)
            s->ran(next);
        if (index >= s->count) {
            s->check("the child ended with its undefined instruction",
                     vesper_tag_label(msg.tag) == VESPER_FAULT_USER_EXCEPTION &&
                         ESR_CLASS(msg.word[0]) == CLASS_UNKNOWN);
            return;
        }
        vesper_word resume = s->faulted(index, &msg);
        next = index + 1;
        msg = (struct vesper_message){.tag = vesper_tag(0, 1, 0), .word = {resume}};
        if (vesper_ipc_reply(reply, &msg) != VESPER_OK) {
            s->check(s->resume_step, false);
            return;
        }
    }
}

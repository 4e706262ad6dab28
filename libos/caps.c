/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Invoking a capability and identifying one (see caps.h); the stubs of
 * the operations are generated from abi/invocations.py. */
#include <stdint.h>

#include <libos/caps.h>
#include <libos/libos.h>

struct vesper_reply vesper_invoke(vesper_cptr cap, vesper_word label, unsigned count,
                                  const vesper_word *words)
{
    struct vesper_syscall_frame frame = {.number = VESPER_SYS_CALL};
    struct vesper_ipc_buffer *ipc_buffer = vesper_ipc_buffer();
    if (count > VESPER_MSG_MAX)
        count = VESPER_MSG_MAX;
    frame.arg[0] = cap;
    frame.arg[1] = vesper_tag(label, count, 0);
    for (unsigned i = 0; i < count; i++) {
        if (i < VESPER_MSG_REGISTERS)
            frame.arg[2 + i] = words[i];
        else if (ipc_buffer != NULL)
            ipc_buffer->msg[i] = words[i];
    }
    vesper_syscall(&frame);
    struct vesper_reply reply = {.error = (enum vesper_error)frame.arg[0]};
    for (unsigned i = 0; i <= VESPER_MSG_REGISTERS; i++)
        reply.word[i] = frame.arg[1 + i];
    return reply;
}

enum vesper_error vesper_cap_identify(vesper_cptr cap, struct vesper_cap_info *info)
{
    struct vesper_syscall_frame frame = {.number = VESPER_SYS_DEBUG_IDENTIFY};
    frame.arg[0] = cap;
    vesper_syscall(&frame);
    struct vesper_reply r = {.error = (enum vesper_error)frame.arg[0]};
    for (unsigned i = 0; i <= VESPER_MSG_REGISTERS; i++)
        r.word[i] = frame.arg[1 + i];
    if (r.error == VESPER_OK) {
        info->type = (enum vesper_object_type)(r.word[1] & 0xff);
        info->aux = (unsigned)(r.word[1] >> 8);
        info->rights = (unsigned)r.word[2];
        info->address = r.word[3];
        info->data = r.word[4];
    }
    return r.error;
}

enum vesper_error vesper_frame_grant_with_tables(vesper_cptr frame, vesper_cptr pdom,
                                                 vesper_word rights,
                                                 vesper_table_maker make_table, void *context)
{
    struct vesper_frame_info info = {0};
    enum vesper_error error = vesper_frame_get_address(frame, &info);
    /* A tree has three levels of PageTables: at most three are missing. */
    for (unsigned tries = 0; error == VESPER_OK && tries <= 3; tries++) {
        error = vesper_frame_grant(frame, pdom, rights);
        if (error != VESPER_ERR_MISSING_TABLE)
            return error;
        vesper_cptr table = 0;
        error = make_table(context, &table);
        if (error == VESPER_OK)
            error = vesper_page_table_install(table, pdom, info.address);
    }
    return error;
}

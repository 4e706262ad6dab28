/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* IPC wrappers (see ipc.h). */
#include <stddef.h>

#include <libos/caps.h>
#include <libos/ipc.h>
#include <libos/libos.h>

/* One IPC syscall: msg (if any) goes out in words 1-5, comes back the
 * same way with the badge in word 6. */
static enum vesper_error ipc(vesper_word number, vesper_cptr cap, vesper_cptr reply,
                             const struct vesper_message *out, struct vesper_message *in)
{
    struct vesper_syscall_frame frame = {.number = number};
    frame.arg[0] = cap;
    frame.arg[6] = reply;
    if (out != NULL) {
        frame.arg[1] = out->tag;
        for (int i = 0; i < 4; i++)
            frame.arg[2 + i] = out->word[i];
    }
    vesper_syscall(&frame);
    if (in != NULL && frame.arg[0] == VESPER_OK) {
        in->tag = frame.arg[1];
        for (int i = 0; i < 4; i++)
            in->word[i] = frame.arg[2 + i];
        in->badge = frame.arg[6];
    }
    return (enum vesper_error)frame.arg[0];
}

enum vesper_error vesper_ipc_call(vesper_cptr ep, struct vesper_message *msg)
{
    return ipc(VESPER_SYS_CALL, ep, 0, msg, msg);
}

enum vesper_error vesper_ipc_send(vesper_cptr ep, const struct vesper_message *msg)
{
    return ipc(VESPER_SYS_SEND, ep, 0, msg, NULL);
}

enum vesper_error vesper_ipc_nb_send(vesper_cptr ep, const struct vesper_message *msg)
{
    return ipc(VESPER_SYS_NB_SEND, ep, 0, msg, NULL);
}

enum vesper_error vesper_ipc_recv(vesper_cptr ep, vesper_cptr reply, struct vesper_message *msg)
{
    return ipc(VESPER_SYS_RECV, ep, reply, NULL, msg);
}

enum vesper_error vesper_ipc_nb_recv(vesper_cptr ep, vesper_cptr reply, struct vesper_message *msg)
{
    return ipc(VESPER_SYS_NB_RECV, ep, reply, NULL, msg);
}

enum vesper_error vesper_ipc_reply(vesper_cptr reply, const struct vesper_message *msg)
{
    return ipc(VESPER_SYS_REPLY, reply, 0, msg, NULL);
}

enum vesper_error vesper_ipc_reply_recv(vesper_cptr ep, vesper_cptr reply,
                                        struct vesper_message *msg)
{
    return ipc(VESPER_SYS_REPLY_RECV, ep, reply, msg, msg);
}

uint64_t vesper_yield(void)
{
    struct vesper_syscall_frame frame = {.number = VESPER_SYS_YIELD};
    vesper_syscall(&frame);
    return frame.arg[1];
}

enum vesper_error vesper_signal(vesper_cptr notification)
{
    return ipc(VESPER_SYS_SEND, notification, 0, NULL, NULL);
}

static enum vesper_error wait_or_poll(vesper_word number, vesper_cptr notification,
                                      vesper_word *word)
{
    struct vesper_message msg = {0};
    enum vesper_error error = ipc(number, notification, 0, NULL, &msg);
    if (error == VESPER_OK)
        *word = msg.badge;
    return error;
}

enum vesper_error vesper_wait(vesper_cptr notification, vesper_word *word)
{
    return wait_or_poll(VESPER_SYS_RECV, notification, word);
}

enum vesper_error vesper_poll(vesper_cptr notification, vesper_word *word)
{
    return wait_or_poll(VESPER_SYS_NB_RECV, notification, word);
}

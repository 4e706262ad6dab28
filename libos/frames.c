/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The frame server and its client call (see frames.h). */
#include <libos/caps.h>
#include <libos/frames.h>
#include <libos/ipc.h>
#include <libos/libos.h>

#define FULL_DEPTH 64u

/* Make one frame in the server's next slot; its address in *address. */
static enum vesper_error make_frame(struct vesper_frame_server *s, vesper_word *address)
{
    if (s->next >= s->end)
        return VESPER_ERR_NOT_ENOUGH_MEMORY;
    enum vesper_error error = vesper_untyped_retype(s->untyped, VESPER_OBJECT_FRAME_4K, 0,
                                                    s->cnode, 0, 0, s->next, 1);
    if (error != VESPER_OK)
        return error;
    struct vesper_frame_info info = {0};
    error = vesper_frame_get_address(s->next, &info);
    if (error != VESPER_OK)
        return error;
    *address = info.address;
    return VESPER_OK;
}

/* A PageTable for a client's PDom, from the server's Untyped and slots. */
static enum vesper_error make_table(void *context, vesper_cptr *table)
{
    struct vesper_frame_server *s = context;
    if (s->next >= s->end)
        return VESPER_ERR_NOT_ENOUGH_MEMORY;
    enum vesper_error error = vesper_untyped_retype(s->untyped, VESPER_OBJECT_PAGE_TABLE, 0,
                                                    s->cnode, 0, 0, s->next, 1);
    if (error == VESPER_OK)
        *table = s->next++;
    return error;
}

/* Grant the frame to the PDom that came with the request, then let the
 * PDom capability go. */
static enum vesper_error grant_to_client(struct vesper_frame_server *s, vesper_cptr frame)
{
    enum vesper_error error = vesper_frame_grant_with_tables(
        frame, s->scratch, VESPER_FRAME_READ | VESPER_FRAME_WRITE, make_table, s);
    vesper_cnode_delete(s->cnode, s->scratch, FULL_DEPTH);
    return error;
}

/* The answer to one request, the frame's capability named in the buffer. */
static struct vesper_message answer(struct vesper_frame_server *s, const struct vesper_message *request,
                                    struct vesper_ipc_buffer *buffer)
{
    if (vesper_tag_label(request->tag) != VESPER_FRAME_SERVER_GET)
        return (struct vesper_message){.tag = vesper_tag(VESPER_ERR_ILLEGAL_OPERATION, 0, 0)};
    vesper_word address = 0;
    enum vesper_error error = make_frame(s, &address);
    if (error != VESPER_OK)
        return (struct vesper_message){.tag = vesper_tag(error, 0, 0)};
    vesper_cptr frame = s->next++;
    /* A capability that came (not one unwrapped to a badge, tag bit 9). */
    if (vesper_tag_caps(request->tag) == 1 && ((request->tag >> 9) & 1u) == 0) {
        error = grant_to_client(s, frame);
        if (error != VESPER_OK) {
            vesper_cnode_delete(s->cnode, frame, FULL_DEPTH); /* its slot stays spent */
            return (struct vesper_message){.tag = vesper_tag(error, 0, 0)};
        }
    }
    buffer->caps_or_badges[0] = frame;
    return (struct vesper_message){.tag = vesper_tag(VESPER_OK, 1, 1), .word = {address}};
}

enum vesper_error vesper_frame_server_run(struct vesper_frame_server *s)
{
    struct vesper_ipc_buffer *buffer = vesper_ipc_buffer();
    if (buffer == NULL)
        return VESPER_ERR_ILLEGAL_OPERATION;
    buffer->receive_cnode = s->cnode;
    buffer->receive_index = s->scratch;
    buffer->receive_depth = FULL_DEPTH;
    struct vesper_message msg = {0};
    enum vesper_error error = vesper_ipc_recv(s->endpoint, s->reply, &msg);
    while (error == VESPER_OK) {
        msg = answer(s, &msg, buffer);
        error = vesper_ipc_reply_recv(s->endpoint, s->reply, &msg);
    }
    return error;
}

/* The request, with the capability at pdom attached unless pdom is 0. */
static enum vesper_error request_frame(vesper_cptr server_ep, vesper_cptr pdom, vesper_cptr cnode,
                                       vesper_word index, vesper_word *address)
{
    struct vesper_ipc_buffer *buffer = vesper_ipc_buffer();
    if (buffer == NULL)
        return VESPER_ERR_ILLEGAL_OPERATION;
    buffer->receive_cnode = cnode;
    buffer->receive_index = index;
    buffer->receive_depth = FULL_DEPTH;
    buffer->caps_or_badges[0] = pdom;
    struct vesper_message msg = {.tag = vesper_tag(VESPER_FRAME_SERVER_GET, 0, pdom != 0)};
    enum vesper_error error = vesper_ipc_call(server_ep, &msg);
    if (error != VESPER_OK)
        return error;
    if (vesper_tag_label(msg.tag) != VESPER_OK)
        return (enum vesper_error)vesper_tag_label(msg.tag);
    if (vesper_tag_caps(msg.tag) != 1)
        return VESPER_ERR_ILLEGAL_OPERATION; /* no capability came: no GRANT_REPLY */
    *address = msg.word[0];
    return VESPER_OK;
}

enum vesper_error vesper_frame_get(vesper_cptr server_ep, vesper_cptr cnode, vesper_word index,
                                   vesper_word *address)
{
    return request_frame(server_ep, 0, cnode, index, address);
}

enum vesper_error vesper_frame_get_granted(vesper_cptr server_ep, vesper_cptr pdom,
                                           vesper_cptr cnode, vesper_word index,
                                           vesper_word *address)
{
    return request_frame(server_ep, pdom, cnode, index, address);
}

enum vesper_error vesper_frames_get_granted(vesper_cptr server_ep, vesper_cptr pdom,
                                            vesper_cptr cnode, vesper_word index,
                                            vesper_word count, vesper_word *addresses)
{
    enum vesper_error error = VESPER_OK;
    for (vesper_word i = 0; i < count && error == VESPER_OK; i++)
        error = request_frame(server_ep, pdom, cnode, index + i, &addresses[i]);
    return error;
}

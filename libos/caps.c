/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Capability invocations (see caps.h). */
#include <stdint.h>

#include <libos/caps.h>
#include <libos/libos.h>

static struct vesper_ipc_buffer *ipc_buffer;

void vesper_set_ipc_buffer(struct vesper_ipc_buffer *buffer)
{
    ipc_buffer = buffer;
}

struct vesper_reply vesper_invoke(vesper_cptr cap, vesper_word label, unsigned count,
                                  const vesper_word *words)
{
    struct vesper_syscall_frame frame = {.number = VESPER_SYS_CALL};
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

static enum vesper_error invoke(vesper_cptr cap, vesper_word label, unsigned count,
                                const vesper_word *words)
{
    return vesper_invoke(cap, label, count, words).error;
}

enum vesper_error vesper_untyped_retype(vesper_cptr untyped, enum vesper_object_type type,
                                        vesper_word size_bits, vesper_cptr root,
                                        vesper_word node_index, vesper_word node_depth,
                                        vesper_word offset, vesper_word count)
{
    vesper_word w[7] = {type, size_bits, root, node_index, node_depth, offset, count};
    return invoke(untyped, VESPER_UNTYPED_RETYPE, 7, w);
}

enum vesper_error vesper_cnode_copy(vesper_cptr cnode, vesper_word dest_index,
                                    vesper_word dest_depth, vesper_cptr src_root,
                                    vesper_word src_index, vesper_word src_depth,
                                    unsigned rights)
{
    vesper_word w[6] = {dest_index, dest_depth, src_root, src_index, src_depth, rights};
    return invoke(cnode, VESPER_CNODE_COPY, 6, w);
}

enum vesper_error vesper_cnode_mint(vesper_cptr cnode, vesper_word dest_index,
                                    vesper_word dest_depth, vesper_cptr src_root,
                                    vesper_word src_index, vesper_word src_depth,
                                    unsigned rights, vesper_word data)
{
    vesper_word w[7] = {dest_index, dest_depth, src_root, src_index, src_depth, rights, data};
    return invoke(cnode, VESPER_CNODE_MINT, 7, w);
}

enum vesper_error vesper_cnode_move(vesper_cptr cnode, vesper_word dest_index,
                                    vesper_word dest_depth, vesper_cptr src_root,
                                    vesper_word src_index, vesper_word src_depth)
{
    vesper_word w[5] = {dest_index, dest_depth, src_root, src_index, src_depth};
    return invoke(cnode, VESPER_CNODE_MOVE, 5, w);
}

enum vesper_error vesper_cnode_mutate(vesper_cptr cnode, vesper_word dest_index,
                                      vesper_word dest_depth, vesper_cptr src_root,
                                      vesper_word src_index, vesper_word src_depth,
                                      vesper_word data)
{
    vesper_word w[6] = {dest_index, dest_depth, src_root, src_index, src_depth, data};
    return invoke(cnode, VESPER_CNODE_MUTATE, 6, w);
}

enum vesper_error vesper_cnode_rotate(vesper_cptr cnode, vesper_word dest_index,
                                      vesper_word dest_depth, vesper_cptr pivot_root,
                                      vesper_word pivot_index, vesper_word pivot_depth,
                                      vesper_word pivot_data, vesper_cptr src_root,
                                      vesper_word src_index, vesper_word src_depth,
                                      vesper_word src_data)
{
    vesper_word w[10] = {dest_index, dest_depth, pivot_root, pivot_index, pivot_depth,
                         pivot_data, src_root, src_index, src_depth, src_data};
    return invoke(cnode, VESPER_CNODE_ROTATE, 10, w);
}

enum vesper_error vesper_cnode_delete(vesper_cptr cnode, vesper_word index, vesper_word depth)
{
    vesper_word w[2] = {index, depth};
    return invoke(cnode, VESPER_CNODE_DELETE, 2, w);
}

enum vesper_error vesper_cnode_revoke(vesper_cptr cnode, vesper_word index, vesper_word depth)
{
    vesper_word w[2] = {index, depth};
    return invoke(cnode, VESPER_CNODE_REVOKE, 2, w);
}

enum vesper_error vesper_domain_configure(vesper_cptr domain, vesper_cptr cspace,
                                          vesper_cptr pdom, vesper_cptr fault_endpoint)
{
    vesper_word w[3] = {cspace, pdom, fault_endpoint};
    return invoke(domain, VESPER_DOMAIN_CONFIGURE, 3, w);
}

enum vesper_error vesper_domain_set_ipc_buffer(vesper_cptr domain, vesper_word address,
                                               vesper_cptr frame)
{
    vesper_word w[2] = {address, frame};
    return invoke(domain, VESPER_DOMAIN_SET_IPC_BUFFER, 2, w);
}

enum vesper_error vesper_frame_get_address(vesper_cptr frame, struct vesper_frame_info *info)
{
    struct vesper_reply r = vesper_invoke(frame, VESPER_FRAME_GET_ADDRESS, 0, NULL);
    if (r.error == VESPER_OK) {
        info->address = r.word[1];
        info->size_bits = r.word[2];
        info->device = r.word[3];
    }
    return r.error;
}

enum vesper_error vesper_irq_control_get(vesper_cptr control, vesper_word line,
                                         vesper_cptr root, vesper_word index, vesper_word depth)
{
    vesper_word w[4] = {line, root, index, depth};
    return invoke(control, VESPER_IRQ_CONTROL_GET, 4, w);
}

enum vesper_error vesper_irq_handler_set_notification(vesper_cptr handler,
                                                      vesper_cptr notification)
{
    vesper_word w[1] = {notification};
    return invoke(handler, VESPER_IRQ_HANDLER_SET_NOTIFICATION, 1, w);
}

enum vesper_error vesper_irq_handler_clear(vesper_cptr handler)
{
    return invoke(handler, VESPER_IRQ_HANDLER_CLEAR, 0, NULL);
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

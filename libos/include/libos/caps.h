/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Capability invocations from user space: one function per kernel object
 * operation, each a Call on a capability (docs/objects/ describes them and
 * their errors). CPtrs are resolved through the calling domain's CSpace;
 * "root, index, depth" triples name a slot relative to a CNode.
 */
#ifndef VESPER_LIBOS_CAPS_H
#define VESPER_LIBOS_CAPS_H

#include <vesper/error.h>
#include <vesper/message.h>
#include <vesper/object.h>

/* The result of an invocation: the error, and the reply words (or, for an
 * error, its details: docs/syscalls.md). */
struct vesper_reply {
    enum vesper_error error;
    vesper_word word[VESPER_MSG_REGISTERS + 1]; /* [0] the reply tag, [1..4] words 0-3 */
};

/* Where this domain's IPC buffer is: message words past the fourth go
 * there. vesper_start_root() sets it from the bootinfo record. */
void vesper_set_ipc_buffer(struct vesper_ipc_buffer *buffer);

/* Invoke cap with label and count message words. */
struct vesper_reply vesper_invoke(vesper_cptr cap, vesper_word label, unsigned count,
                                  const vesper_word *words);

enum vesper_error vesper_untyped_retype(vesper_cptr untyped, enum vesper_object_type type,
                                        vesper_word size_bits, vesper_cptr root,
                                        vesper_word node_index, vesper_word node_depth,
                                        vesper_word offset, vesper_word count);

enum vesper_error vesper_cnode_copy(vesper_cptr cnode, vesper_word dest_index,
                                    vesper_word dest_depth, vesper_cptr src_root,
                                    vesper_word src_index, vesper_word src_depth,
                                    unsigned rights);
enum vesper_error vesper_cnode_mint(vesper_cptr cnode, vesper_word dest_index,
                                    vesper_word dest_depth, vesper_cptr src_root,
                                    vesper_word src_index, vesper_word src_depth,
                                    unsigned rights, vesper_word data);
enum vesper_error vesper_cnode_move(vesper_cptr cnode, vesper_word dest_index,
                                    vesper_word dest_depth, vesper_cptr src_root,
                                    vesper_word src_index, vesper_word src_depth);
enum vesper_error vesper_cnode_mutate(vesper_cptr cnode, vesper_word dest_index,
                                      vesper_word dest_depth, vesper_cptr src_root,
                                      vesper_word src_index, vesper_word src_depth,
                                      vesper_word data);
enum vesper_error vesper_cnode_rotate(vesper_cptr cnode, vesper_word dest_index,
                                      vesper_word dest_depth, vesper_cptr pivot_root,
                                      vesper_word pivot_index, vesper_word pivot_depth,
                                      vesper_word pivot_data, vesper_cptr src_root,
                                      vesper_word src_index, vesper_word src_depth,
                                      vesper_word src_data);
enum vesper_error vesper_cnode_delete(vesper_cptr cnode, vesper_word index, vesper_word depth);
enum vesper_error vesper_cnode_revoke(vesper_cptr cnode, vesper_word index, vesper_word depth);

enum vesper_error vesper_domain_configure(vesper_cptr domain, vesper_cptr cspace,
                                          vesper_cptr pdom, vesper_cptr fault_endpoint);
enum vesper_error vesper_domain_set_ipc_buffer(vesper_cptr domain, vesper_word address,
                                               vesper_cptr frame);

/* Where a frame is: its address, log2 size and whether it is device memory. */
struct vesper_frame_info {
    vesper_word address;
    vesper_word size_bits;
    vesper_word device;
};
enum vesper_error vesper_frame_get_address(vesper_cptr frame, struct vesper_frame_info *info);

enum vesper_error vesper_irq_control_get(vesper_cptr control, vesper_word line,
                                         vesper_cptr root, vesper_word index, vesper_word depth);
enum vesper_error vesper_irq_handler_set_notification(vesper_cptr handler,
                                                      vesper_cptr notification);
enum vesper_error vesper_irq_handler_clear(vesper_cptr handler);

/* What a capability is: type, small type-specific field, rights, object
 * address, and its type-specific word (badge, guard, watermark, line). */
struct vesper_cap_info {
    enum vesper_object_type type;
    unsigned aux;
    unsigned rights;
    vesper_word address;
    vesper_word data;
};
enum vesper_error vesper_cap_identify(vesper_cptr cap, struct vesper_cap_info *info);

#endif

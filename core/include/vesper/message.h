/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Messages: the tag word and the IPC buffer.
 *
 * A message is a tag and up to VESPER_MSG_MAX words. The first
 * VESPER_MSG_REGISTERS words travel in registers (syscall words 2-5); the
 * rest are read from, and written to, the domain's IPC buffer at the same
 * index. A tag asks for at most VESPER_MSG_MAX words; a longer length is
 * cut to that. Object invocations are messages whose label names the
 * operation (include/vesper/object.h).
 */
#ifndef VESPER_MESSAGE_H
#define VESPER_MESSAGE_H

#include <vesper/types.h>

#define VESPER_MSG_MAX 120u
#define VESPER_MSG_REGISTERS 4u

/* Tag layout: length in bits 0-6, extra capabilities in 7-8, which of them
 * were unwrapped in 9-11, the label in 12-63. */
static inline vesper_word vesper_tag(vesper_word label, unsigned length, unsigned caps)
{
    return label << 12 | (vesper_word)(caps & 3u) << 7 | (vesper_word)(length & 0x7fu);
}

static inline vesper_word vesper_tag_label(vesper_word tag)
{
    return tag >> 12;
}

static inline unsigned vesper_tag_length(vesper_word tag)
{
    return (unsigned)(tag & 0x7fu);
}

static inline unsigned vesper_tag_caps(vesper_word tag)
{
    return (unsigned)(tag >> 7) & 3u;
}

/* The IPC buffer: one per domain, in a frame it owns, 1 KiB. */
struct vesper_ipc_buffer {
    vesper_word tag;
    vesper_word msg[VESPER_MSG_MAX];
    vesper_word user_data;
    vesper_word caps_or_badges[3];
    vesper_word receive_cnode;
    vesper_word receive_index;
    vesper_word receive_depth;
};

#endif

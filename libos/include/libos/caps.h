/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Capability invocations from user space: one function per kernel object
 * operation, each a Call on a capability (docs/objects/ describes them and
 * their errors). The functions, vesper_untyped_retype() to
 * vesper_irq_handler_clear(), are declared in <libos/invocations.h>, which
 * the build makes from abi/invocations.py with their message builders.
 * CPtrs are resolved through the calling domain's CSpace; "root, index,
 * depth" triples name a slot relative to a CNode.
 */
#ifndef VESPER_LIBOS_CAPS_H
#define VESPER_LIBOS_CAPS_H

#include <vesper/error.h>
#include <vesper/message.h>
#include <vesper/object.h>

#include <libos/invocations.h>

/* The result of an invocation: the error, and the reply words (or, for an
 * error, its details: docs/syscalls.md). */
struct vesper_reply {
    enum vesper_error error;
    vesper_word word[VESPER_MSG_REGISTERS + 1]; /* [0] the reply tag, [1..4] words 0-3 */
};

/* Invoke cap with label and count message words. */
struct vesper_reply vesper_invoke(vesper_cptr cap, vesper_word label, unsigned count,
                                  const vesper_word *words);

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

/* Make a PageTable and put its CPtr in *table, for the grant below;
 * context is the caller's. */
typedef enum vesper_error (*vesper_table_maker)(void *context, vesper_cptr *table);

/* Grant frame to pdom with rights (docs/objects/frame.md), first installing
 * each PageTable the PDom lacks for the frame's address, which make_table
 * provides. Returns the grant's error, or the first error of making or
 * installing a table. */
enum vesper_error vesper_frame_grant_with_tables(vesper_cptr frame, vesper_cptr pdom,
                                                 vesper_word rights,
                                                 vesper_table_maker make_table, void *context);

#endif

# SPDX-License-Identifier: BlueOak-1.0.0
#
# Every object invocation of the Vesper ABI: the one place where the words
# of each operation's message, and their order, are written down. This file
# is data, a single Python literal: abi/generate.py reads it with
# ast.literal_eval (it is never imported or run) and makes from it the libos
# stubs, the message builders that tests, fuzzers and benchmarks use, and
# the word tables of docs/objects/*.md, which a unit test checks.
#
# "objects" lists every object type a capability can name, with the page of
# docs/objects/ that describes it. "call_errors" are the errors the Call
# itself answers before any operation looks at its message. Each entry of
# "invocations" is one operation:
#
#   object, operation  the names the docs use ("CNode", "Copy")
#   label, value       the constant of enum vesper_invocation (object.h)
#                      and its value; the generated header checks the two
#                      agree at compile time
#   function           the libos stub; the message builder is
#                      <function>_msg and the constants start with <label>_
#   invoked            the name of the stub's first parameter: the CPtr of
#                      the invoked capability
#   summary            what the operation does, in a sentence
#   words              the message words in order: (name, C type of the
#                      stub's parameter, meaning as the docs table gives it)
#   capabilities       the capabilities the operation looks up, numbered as
#                      its errors report them (result word 3 of
#                      VESPER_ERR_FAILED_LOOKUP, word 1 of
#                      VESPER_ERR_INVALID_CAPABILITY): (number, the words
#                      that name it, what it must be). 0 is the invoked
#                      capability, or a slot addressed relative to it.
#   rights             the rights the operation checks: (capability number,
#                      rights, why); empty when it checks none
#   results            the reply words in order: (name, meaning); with
#                      result_struct, the libos struct the stub fills
#   errors             the errors the operation's own decoder can answer,
#                      in the order it first checks for each (read from
#                      core/object/*.c); the call_errors come before all of them
{
    "objects": [
        {"name": "Untyped", "types": ["VESPER_OBJECT_UNTYPED"], "page": "untyped.md"},
        {"name": "CNode", "types": ["VESPER_OBJECT_CNODE"], "page": "cnode.md"},
        {"name": "Domain", "types": ["VESPER_OBJECT_DOMAIN"], "page": "domain.md"},
        {"name": "Endpoint", "types": ["VESPER_OBJECT_ENDPOINT"], "page": "endpoint.md",
         "note": "no operations: a Call on an Endpoint is IPC, whatever its label"},
        {"name": "Notification", "types": ["VESPER_OBJECT_NOTIFICATION"],
         "page": "notification.md", "note": "no operations"},
        {"name": "Reply", "types": ["VESPER_OBJECT_REPLY"], "page": "reply.md",
         "note": "no operations"},
        {"name": "Frame", "types": ["VESPER_OBJECT_FRAME_4K", "VESPER_OBJECT_FRAME_2M"],
         "page": "frame.md"},
        {"name": "PDom", "types": ["VESPER_OBJECT_PDOM"], "page": "pdom.md",
         "note": "no operations of its own: Frame Grant and PageTable Install name it"},
        {"name": "PageTable", "types": ["VESPER_OBJECT_PAGE_TABLE"], "page": "pdom.md"},
        {"name": "IRQControl", "types": ["VESPER_OBJECT_IRQ_CONTROL"], "page": "irq.md"},
        {"name": "IRQHandler", "types": ["VESPER_OBJECT_IRQ_HANDLER"], "page": "irq.md"},
        {"name": "SchedControl", "types": ["VESPER_OBJECT_SCHED_CONTROL"],
         "page": "schedcontrol.md"},
    ],

    "call_errors": [
        ("VESPER_ERR_FAILED_LOOKUP", "the invoked CPtr does not resolve (word 3 = 0)"),
        ("VESPER_ERR_INVALID_CAPABILITY", "the invoked slot is empty (word 1 = 0)"),
        ("VESPER_ERR_ILLEGAL_OPERATION", "the label names no operation of the object's type"),
    ],

    "invocations": [
        # ---- Untyped (core/untyped.c) ----------------------------------
        {
            "object": "Untyped", "operation": "Retype",
            "label": "VESPER_UNTYPED_RETYPE", "value": 1,
            "function": "vesper_untyped_retype", "invoked": "untyped",
            "summary": "make `count` objects of one type from the Untyped and put a "
                       "capability to each in consecutive empty slots of a CNode",
            "words": [
                ("type", "enum vesper_object_type",
                 "object type, `enum vesper_object_type`: 1 (Untyped) to 10 (PageTable)"),
                ("size_bits", "vesper_word",
                 "size: log2 bytes for an Untyped (4-47), the radix for a CNode (1-16); "
                 "ignored for other types"),
                ("root", "vesper_cptr",
                 "CPtr, in the caller's CSpace, of the destination root: a CNode capability"),
                ("node_index", "vesper_word",
                 "node index: where the destination CNode's capability is, relative to the root"),
                ("node_depth", "vesper_word",
                 "node depth: bits of the node index to resolve, 0 to 64; 0 means the root "
                 "itself is the destination CNode (word 3 is then ignored)"),
                ("offset", "vesper_word",
                 "offset: the first destination slot in the destination CNode"),
                ("count", "vesper_word",
                 "count: how many objects, 1 to `VESPER_RETYPE_FANOUT_MAX` (256)"),
            ],
            "capabilities": [
                (0, [], "the invoked Untyped: RAM, or device memory for Frames and Untyped only"),
                (1, ["root", "node_index", "node_depth"],
                 "the destination CNode: `count` empty slots from `offset`"),
            ],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_INVALID_ARGUMENT",
                "VESPER_ERR_RANGE", "VESPER_ERR_ILLEGAL_OPERATION",
                "VESPER_ERR_FAILED_LOOKUP", "VESPER_ERR_DELETE_FIRST",
                "VESPER_ERR_NOT_ENOUGH_MEMORY",
            ],
        },

        # ---- CNode (core/cnode.c) --------------------------------------
        {
            "object": "CNode", "operation": "Copy",
            "label": "VESPER_CNODE_COPY", "value": 2,
            "function": "vesper_cnode_copy", "invoked": "cnode",
            "summary": "put a copy of the source's capability, its rights ANDed with the "
                       "mask, in the empty destination slot, as the source's child",
            "words": [
                ("dest_index", "vesper_word", "destination index"),
                ("dest_depth", "vesper_word", "destination depth"),
                ("src_root", "vesper_cptr", "source root: CPtr of a CNode capability"),
                ("src_index", "vesper_word", "source index"),
                ("src_depth", "vesper_word", "source depth"),
                ("rights", "unsigned", "rights mask, 0 to 15"),
            ],
            "capabilities": [
                (0, ["dest_index", "dest_depth"],
                 "the destination slot, relative to the invoked CNode: must be empty"),
                (1, ["src_root", "src_index", "src_depth"],
                 "the source slot: must hold a capability that can be copied (not a zombie)"),
            ],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_RANGE", "VESPER_ERR_FAILED_LOOKUP",
                "VESPER_ERR_INVALID_ARGUMENT", "VESPER_ERR_DELETE_FIRST",
                "VESPER_ERR_ILLEGAL_OPERATION",
            ],
        },
        {
            "object": "CNode", "operation": "Mint",
            "label": "VESPER_CNODE_MINT", "value": 3,
            "function": "vesper_cnode_mint", "invoked": "cnode",
            "summary": "Copy, and apply a data word: a badge for an unbadged Endpoint or "
                       "Notification, a guard for a CNode",
            "words": [
                ("dest_index", "vesper_word", "destination index"),
                ("dest_depth", "vesper_word", "destination depth"),
                ("src_root", "vesper_cptr", "source root: CPtr of a CNode capability"),
                ("src_index", "vesper_word", "source index"),
                ("src_depth", "vesper_word", "source depth"),
                ("rights", "unsigned", "rights mask, 0 to 15"),
                ("data", "vesper_word",
                 "the data word (badge, or `vesper_cnode_guard(guard, size)`)"),
            ],
            "capabilities": [
                (0, ["dest_index", "dest_depth"],
                 "the destination slot, relative to the invoked CNode: must be empty"),
                (1, ["src_root", "src_index", "src_depth"],
                 "the source slot: must hold a capability that can be copied (not a zombie)"),
            ],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_RANGE", "VESPER_ERR_FAILED_LOOKUP",
                "VESPER_ERR_INVALID_ARGUMENT", "VESPER_ERR_DELETE_FIRST",
                "VESPER_ERR_ILLEGAL_OPERATION",
            ],
        },
        {
            "object": "CNode", "operation": "Move",
            "label": "VESPER_CNODE_MOVE", "value": 4,
            "function": "vesper_cnode_move", "invoked": "cnode",
            "summary": "move the source's capability to the empty destination slot, keeping "
                       "its rights and its place in the derivation tree",
            "words": [
                ("dest_index", "vesper_word", "destination index"),
                ("dest_depth", "vesper_word", "destination depth"),
                ("src_root", "vesper_cptr", "source root: CPtr of a CNode capability"),
                ("src_index", "vesper_word", "source index"),
                ("src_depth", "vesper_word", "source depth"),
            ],
            "capabilities": [
                (0, ["dest_index", "dest_depth"],
                 "the destination slot, relative to the invoked CNode: must be empty"),
                (1, ["src_root", "src_index", "src_depth"],
                 "the source slot: must hold a capability, not a zombie"),
            ],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_RANGE", "VESPER_ERR_FAILED_LOOKUP",
                "VESPER_ERR_ILLEGAL_OPERATION", "VESPER_ERR_DELETE_FIRST",
            ],
        },
        {
            "object": "CNode", "operation": "Mutate",
            "label": "VESPER_CNODE_MUTATE", "value": 5,
            "function": "vesper_cnode_mutate", "invoked": "cnode",
            "summary": "Move, and apply a data word: a new guard for a CNode capability "
                       "(Endpoint and Notification capabilities are refused)",
            "words": [
                ("dest_index", "vesper_word", "destination index"),
                ("dest_depth", "vesper_word", "destination depth"),
                ("src_root", "vesper_cptr", "source root: CPtr of a CNode capability"),
                ("src_index", "vesper_word", "source index"),
                ("src_depth", "vesper_word", "source depth"),
                ("data", "vesper_word",
                 "the data word (`vesper_cnode_guard(guard, size)` for a CNode)"),
            ],
            "capabilities": [
                (0, ["dest_index", "dest_depth"],
                 "the destination slot, relative to the invoked CNode: must be empty"),
                (1, ["src_root", "src_index", "src_depth"],
                 "the source slot: must hold a capability, not a zombie"),
            ],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_RANGE", "VESPER_ERR_FAILED_LOOKUP",
                "VESPER_ERR_DELETE_FIRST", "VESPER_ERR_ILLEGAL_OPERATION",
                "VESPER_ERR_INVALID_ARGUMENT",
            ],
        },
        {
            # The pivot comes first in the message but is capability 2: the
            # source is 1 in every CNode operation (object.h says so too).
            "object": "CNode", "operation": "Rotate",
            "label": "VESPER_CNODE_ROTATE", "value": 6,
            "function": "vesper_cnode_rotate", "invoked": "cnode",
            "summary": "two moves in one step: the pivot's capability to the destination, "
                       "the source's to the pivot, each with new data as by Mutate",
            "words": [
                ("dest_index", "vesper_word", "destination index"),
                ("dest_depth", "vesper_word", "destination depth"),
                ("pivot_root", "vesper_cptr", "pivot root: CPtr of a CNode capability"),
                ("pivot_index", "vesper_word", "pivot index"),
                ("pivot_depth", "vesper_word", "pivot depth"),
                ("pivot_data", "vesper_word", "data for the pivot's capability (as Mutate)"),
                ("src_root", "vesper_cptr", "source root: CPtr of a CNode capability"),
                ("src_index", "vesper_word", "source index"),
                ("src_depth", "vesper_word", "source depth"),
                ("src_data", "vesper_word", "data for the source's capability (as Mutate)"),
            ],
            "capabilities": [
                (0, ["dest_index", "dest_depth"],
                 "the destination slot, relative to the invoked CNode: empty, or the source"),
                (1, ["src_root", "src_index", "src_depth"],
                 "the source slot: must hold a capability, not a zombie"),
                (2, ["pivot_root", "pivot_index", "pivot_depth"],
                 "the pivot slot: must hold a capability, not a zombie, and be neither source "
                 "nor destination"),
            ],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_RANGE", "VESPER_ERR_FAILED_LOOKUP",
                "VESPER_ERR_ILLEGAL_OPERATION", "VESPER_ERR_DELETE_FIRST",
                "VESPER_ERR_INVALID_ARGUMENT",
            ],
        },
        {
            "object": "CNode", "operation": "Delete",
            "label": "VESPER_CNODE_DELETE", "value": 7,
            "function": "vesper_cnode_delete", "invoked": "cnode",
            "summary": "empty the target slot, destroying the object if this was its last "
                       "capability",
            "words": [
                ("index", "vesper_word", "target index"),
                ("depth", "vesper_word", "target depth"),
            ],
            "capabilities": [
                (0, ["index", "depth"], "the target slot, relative to the invoked CNode"),
            ],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_RANGE", "VESPER_ERR_FAILED_LOOKUP",
            ],
        },
        {
            "object": "CNode", "operation": "Revoke",
            "label": "VESPER_CNODE_REVOKE", "value": 8,
            "function": "vesper_cnode_revoke", "invoked": "cnode",
            "summary": "delete every descendant of the target's capability, leaving the "
                       "capability itself",
            "words": [
                ("index", "vesper_word", "target index"),
                ("depth", "vesper_word", "target depth"),
            ],
            "capabilities": [
                (0, ["index", "depth"], "the target slot, relative to the invoked CNode"),
            ],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_RANGE", "VESPER_ERR_FAILED_LOOKUP",
            ],
        },
        {
            "object": "CNode", "operation": "CancelBadgedSends",
            "label": "VESPER_CNODE_CANCEL_BADGED_SENDS", "value": 19,
            "function": "vesper_cnode_cancel_badged_sends", "invoked": "cnode",
            "summary": "end with VESPER_ERR_CANCELLED every send queued on an endpoint with "
                       "the badge of the Endpoint capability in the target slot",
            "words": [
                ("index", "vesper_word", "target index"),
                ("depth", "vesper_word", "target depth"),
            ],
            "capabilities": [
                (0, ["index", "depth"],
                 "the target slot, relative to the invoked CNode: a badged Endpoint capability"),
            ],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_RANGE", "VESPER_ERR_FAILED_LOOKUP",
                "VESPER_ERR_ILLEGAL_OPERATION",
            ],
        },

        # ---- Domain (core/domain.c) ------------------------------------
        {
            "object": "Domain", "operation": "Configure",
            "label": "VESPER_DOMAIN_CONFIGURE", "value": 9,
            "function": "vesper_domain_configure", "invoked": "domain",
            "summary": "set the domain's CSpace root, PDom and fault endpoint to copies of "
                       "the capabilities named (an empty slot empties the domain's)",
            "words": [
                ("cspace", "vesper_cptr",
                 "CPtr, in the caller's CSpace, of a CNode capability, or of an empty slot"),
                ("pdom", "vesper_cptr", "CPtr of a PDom capability, or of an empty slot"),
                ("fault_endpoint", "vesper_cptr",
                 "CPtr of an Endpoint capability with `VESPER_RIGHT_WRITE`, or of an empty slot"),
            ],
            "capabilities": [
                (1, ["cspace"], "a CNode capability, or an empty slot"),
                (2, ["pdom"], "a PDom capability, or an empty slot"),
                (3, ["fault_endpoint"], "an Endpoint capability, or an empty slot"),
            ],
            "rights": [
                (3, "VESPER_RIGHT_WRITE", "the kernel sends the domain's faults on it"),
            ],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_FAILED_LOOKUP",
                "VESPER_ERR_INVALID_CAPABILITY",
            ],
        },
        {
            "object": "Domain", "operation": "SetIPCBuffer",
            "label": "VESPER_DOMAIN_SET_IPC_BUFFER", "value": 10,
            "function": "vesper_domain_set_ipc_buffer", "invoked": "domain",
            "summary": "tell the kernel where the domain's IPC buffer is: 1 KiB at an "
                       "aligned address inside a RAM frame (an empty slot removes it)",
            "words": [
                ("address", "vesper_word", "the buffer's address in the single address space"),
                ("frame", "vesper_cptr",
                 "CPtr, in the caller's CSpace, of the Frame holding it, or of an empty slot"),
            ],
            "capabilities": [
                (1, ["frame"], "a Frame capability of RAM, or an empty slot"),
            ],
            "rights": [
                (1, "VESPER_RIGHT_READ | VESPER_RIGHT_WRITE",
                 "the kernel copies messages through the buffer"),
            ],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_FAILED_LOOKUP",
                "VESPER_ERR_INVALID_CAPABILITY", "VESPER_ERR_ALIGNMENT", "VESPER_ERR_RANGE",
            ],
        },
        {
            "object": "Domain", "operation": "Start",
            "label": "VESPER_DOMAIN_START", "value": 16,
            "function": "vesper_domain_start", "invoked": "domain",
            "summary": "run a domain that has never run, at entry(argument) on the stack "
                       "[stack_base, stack_base + stack_size)",
            "words": [
                ("entry", "vesper_word", "the entry address"),
                ("stack_base", "vesper_word", "the stack's lowest address"),
                ("stack_size", "vesper_word", "the stack's size in bytes"),
                ("arg", "vesper_word", "the argument passed to the entry"),
            ],
            "capabilities": [],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_ILLEGAL_OPERATION",
                "VESPER_ERR_ALIGNMENT", "VESPER_ERR_RANGE", "VESPER_ERR_INVALID_ADDRESS",
            ],
        },
        {
            "object": "Domain", "operation": "BindNotification",
            "label": "VESPER_DOMAIN_BIND_NOTIFICATION", "value": 17,
            "function": "vesper_domain_bind_notification", "invoked": "domain",
            "summary": "bind a notification to the domain: a signal to it wakes the domain "
                       "even while it waits on an endpoint",
            "words": [
                ("notification", "vesper_cptr",
                 "CPtr, in the caller's CSpace, of a Notification capability"),
            ],
            "capabilities": [
                (1, ["notification"], "a Notification capability"),
            ],
            "rights": [
                (1, "VESPER_RIGHT_READ", "binding lets the domain receive its signals"),
            ],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_FAILED_LOOKUP",
                "VESPER_ERR_INVALID_CAPABILITY", "VESPER_ERR_ILLEGAL_OPERATION",
            ],
        },
        {
            "object": "Domain", "operation": "UnbindNotification",
            "label": "VESPER_DOMAIN_UNBIND_NOTIFICATION", "value": 18,
            "function": "vesper_domain_unbind_notification", "invoked": "domain",
            "summary": "remove the domain's notification binding",
            "words": [],
            "capabilities": [],
            "rights": [],
            "results": [],
            "errors": ["VESPER_ERR_ILLEGAL_OPERATION"],
        },
        {
            "object": "Domain", "operation": "SetControlBlock",
            "label": "VESPER_DOMAIN_SET_CONTROL_BLOCK", "value": 24,
            "function": "vesper_domain_set_control_block", "invoked": "domain",
            "summary": "tell the kernel where the domain's control block is "
                       "(activations, scheduling events; 0 removes it)",
            "words": [
                ("address", "vesper_word",
                 "the block's address, 64-byte aligned, in RAM; the domain's PDom must "
                 "let it read and write the block whenever the kernel uses it"),
            ],
            "capabilities": [],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_ALIGNMENT",
                "VESPER_ERR_INVALID_ADDRESS",
            ],
        },

        # ---- Frame (core/frame.c) --------------------------------------
        {
            "object": "Frame", "operation": "GetAddress",
            "label": "VESPER_FRAME_GET_ADDRESS", "value": 11,
            "function": "vesper_frame_get_address", "invoked": "frame",
            "summary": "where the frame is: its address, log2 size and whether it is "
                       "device memory",
            "words": [],
            "capabilities": [],
            "rights": [],
            "results": [
                ("address", "the frame's address"),
                ("size_bits", "its size as log2 bytes: 12 or 21"),
                ("device", "1 for a device frame, else 0"),
            ],
            "result_struct": "vesper_frame_info",
            "errors": [],
        },
        {
            "object": "Frame", "operation": "Grant",
            "label": "VESPER_FRAME_GRANT", "value": 20,
            "function": "vesper_frame_grant", "invoked": "frame",
            "summary": "let the domains of a PDom use the frame, at its one address, with "
                       "rights no greater than the capability's",
            "words": [
                ("pdom", "vesper_cptr", "CPtr, in the caller's CSpace, of a PDom capability"),
                ("rights", "vesper_word",
                 "VESPER_FRAME_READ, with VESPER_FRAME_WRITE and VESPER_FRAME_EXECUTE as wanted"),
            ],
            "capabilities": [
                (1, ["pdom"], "a PDom capability"),
            ],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_INVALID_ARGUMENT",
                "VESPER_ERR_FAILED_LOOKUP", "VESPER_ERR_INVALID_CAPABILITY",
                "VESPER_ERR_MISSING_TABLE", "VESPER_ERR_DELETE_FIRST",
            ],
        },
        {
            "object": "Frame", "operation": "Ungrant",
            "label": "VESPER_FRAME_UNGRANT", "value": 21,
            "function": "vesper_frame_ungrant", "invoked": "frame",
            "summary": "take back the grant this capability made, if any",
            "words": [],
            "capabilities": [],
            "rights": [],
            "results": [],
            "errors": [],
        },

        # ---- PageTable (core/object/pagetable.c) ----------------------------
        {
            "object": "PageTable", "operation": "Install",
            "label": "VESPER_PAGE_TABLE_INSTALL", "value": 22,
            "function": "vesper_page_table_install", "invoked": "table",
            "summary": "link the table into a PDom for an address, at the highest level the "
                       "PDom has no table for it",
            "words": [
                ("pdom", "vesper_cptr", "CPtr, in the caller's CSpace, of a PDom capability"),
                ("address", "vesper_word", "any address the table is to cover"),
            ],
            "capabilities": [
                (1, ["pdom"], "a PDom capability"),
            ],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_FAILED_LOOKUP",
                "VESPER_ERR_INVALID_CAPABILITY", "VESPER_ERR_RANGE", "VESPER_ERR_DELETE_FIRST",
            ],
        },
        {
            "object": "PageTable", "operation": "Uninstall",
            "label": "VESPER_PAGE_TABLE_UNINSTALL", "value": 23,
            "function": "vesper_page_table_uninstall", "invoked": "table",
            "summary": "unlink the table, if this capability installed it",
            "words": [],
            "capabilities": [],
            "rights": [],
            "results": [],
            "errors": [],
        },

        # ---- IRQControl and IRQHandler (core/irq.c) --------------------
        {
            "object": "IRQControl", "operation": "Get",
            "label": "VESPER_IRQ_CONTROL_GET", "value": 12,
            "function": "vesper_irq_control_get", "invoked": "control",
            "summary": "claim an interrupt line: put a new IRQHandler capability for it in "
                       "an empty slot",
            "words": [
                ("line", "vesper_word", "the line"),
                ("root", "vesper_cptr",
                 "destination root: CPtr, in the caller's CSpace, of a CNode capability"),
                ("index", "vesper_word", "destination index, relative to that root"),
                ("depth", "vesper_word", "destination depth, 1 to 64"),
            ],
            "capabilities": [
                (1, ["root", "index", "depth"], "the destination slot: must be empty"),
            ],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_RANGE", "VESPER_ERR_REVOKE_FIRST",
                "VESPER_ERR_FAILED_LOOKUP", "VESPER_ERR_DELETE_FIRST",
            ],
        },
        {
            "object": "IRQHandler", "operation": "SetNotification",
            "label": "VESPER_IRQ_HANDLER_SET_NOTIFICATION", "value": 13,
            "function": "vesper_irq_handler_set_notification", "invoked": "handler",
            "summary": "bind the handler's line to a notification, replacing any earlier "
                       "binding",
            "words": [
                ("notification", "vesper_cptr",
                 "CPtr, in the caller's CSpace, of a Notification capability"),
            ],
            "capabilities": [
                (1, ["notification"], "a Notification capability"),
            ],
            "rights": [
                (1, "VESPER_RIGHT_WRITE", "the kernel signals through it"),
            ],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_FAILED_LOOKUP",
                "VESPER_ERR_INVALID_CAPABILITY",
            ],
        },
        {
            "object": "IRQHandler", "operation": "Clear",
            "label": "VESPER_IRQ_HANDLER_CLEAR", "value": 14,
            "function": "vesper_irq_handler_clear", "invoked": "handler",
            "summary": "unbind the handler's line from its notification, if any; the line "
                       "stays claimed",
            "words": [],
            "capabilities": [],
            "rights": [],
            "results": [],
            "errors": [],
        },
        {
            "object": "IRQHandler", "operation": "Ack",
            "label": "VESPER_IRQ_HANDLER_ACK", "value": 27,
            "function": "vesper_irq_handler_ack", "invoked": "handler",
            "summary": "the driver has serviced the device: unmask the line, which the "
                       "kernel masked when the interrupt arrived",
            "words": [],
            "capabilities": [],
            "rights": [],
            "results": [],
            "errors": ["VESPER_ERR_ILLEGAL_OPERATION"],
        },

        # ---- SchedControl (core/sched/scheduler.c) ---------------------
        {
            "object": "SchedControl", "operation": "SetScheduler",
            "label": "VESPER_SCHED_CONTROL_SET_SCHEDULER", "value": 25,
            "function": "vesper_sched_control_set_scheduler", "invoked": "sched_control",
            "summary": "make the calling domain the domain scheduler: from its first "
                       "Dispatch on, the kernel upcalls it to decide who runs",
            "words": [],
            "capabilities": [],
            "rights": [],
            "results": [],
            "errors": ["VESPER_ERR_ILLEGAL_OPERATION"],
        },
        {
            "object": "SchedControl", "operation": "Dispatch",
            "label": "VESPER_SCHED_CONTROL_DISPATCH", "value": 26,
            "function": "vesper_sched_control_dispatch", "invoked": "sched_control",
            "summary": "run a runnable domain now for at most `budget` ns (an empty slot: "
                       "let the round robin run for that long); the scheduler is upcalled "
                       "when the budget ends or an event needs it",
            "words": [
                ("domain", "vesper_cptr",
                 "CPtr, in the caller's CSpace, of a Domain capability, or of an empty slot"),
                ("budget", "vesper_word", "the budget in ns, 1000 to 10^10"),
            ],
            "capabilities": [
                (1, ["domain"], "a Domain capability, or an empty slot"),
            ],
            "rights": [],
            "results": [],
            "errors": [
                "VESPER_ERR_TRUNCATED_MESSAGE", "VESPER_ERR_FAILED_LOOKUP",
                "VESPER_ERR_INVALID_CAPABILITY", "VESPER_ERR_RANGE",
                "VESPER_ERR_ILLEGAL_OPERATION",
            ],
        },
    ],
}

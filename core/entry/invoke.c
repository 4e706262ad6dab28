/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The Call syscall on kernel objects: find the invoked capability and the
 * message, then dispatch on the capability's type. Also the results every
 * decoder shares, and the capability-argument lookups.
 */
#include "invoke.h"
#include "objecttype.h"
#include "state.h"

vesper_word invocation_arg(const struct invocation *inv, unsigned i)
{
    if (i < VESPER_MSG_REGISTERS)
        return inv->frame->arg[2 + i];
    return inv->buffer->msg[i];
}

/* The result functions are defined with their names in parentheses, so
 * that invoke.h's macros, which note the refusing function, leave them be;
 * they build on error_result() so that the note keeps the caller's name. */
static struct syscall_result error_result(enum vesper_error error)
{
    return (struct syscall_result){.error = error};
}

struct syscall_result(result_error)(enum vesper_error error)
{
    return error_result(error);
}

struct syscall_result result_done(void)
{
    struct syscall_result r = {.error = VESPER_OK, .done = true};
    return r;
}

struct syscall_result result_restart(void)
{
    struct syscall_result r = {.error = VESPER_OK, .done = true, .restart = true};
    return r;
}

struct syscall_result result_ok(void)
{
    return error_result(VESPER_OK);
}

struct syscall_result result_reply(unsigned count, const vesper_word *words)
{
    struct syscall_result r = {.error = VESPER_OK};
    r.value[1] = vesper_tag(0, count, 0);
    for (unsigned i = 0; i < count && i < VESPER_MSG_REGISTERS; i++)
        r.value[2 + i] = words[i];
    return r;
}

struct syscall_result(result_invalid_argument)(unsigned index)
{
    struct syscall_result r = error_result(VESPER_ERR_INVALID_ARGUMENT);
    r.value[1] = index;
    return r;
}

struct syscall_result(result_invalid_capability)(unsigned which)
{
    struct syscall_result r = error_result(VESPER_ERR_INVALID_CAPABILITY);
    r.value[1] = which;
    return r;
}

struct syscall_result(result_range)(vesper_word min, vesper_word max)
{
    struct syscall_result r = error_result(VESPER_ERR_RANGE);
    r.value[1] = min;
    r.value[2] = max;
    return r;
}

struct syscall_result(result_lookup)(const struct lookup *lookup, unsigned which)
{
    struct syscall_result r = error_result(lookup->error);
    if (lookup->error == VESPER_ERR_RANGE) {
        r.value[1] = 1;
        r.value[2] = 64;
        return r;
    }
    r.value[1] = lookup->failure;
    r.value[2] = lookup->bits_left;
    r.value[3] = which;
    return r;
}

static struct cap caller_cspace(const struct domain *caller)
{
    return caller->slots[DOMAIN_SLOT_CSPACE].cap;
}

struct lookup lookup_argument(const struct invocation *inv, vesper_word cptr)
{
    return cspace_lookup_invocation(caller_cspace(inv->caller), cptr);
}

struct syscall_result lookup_relative_slot(const struct invocation *inv, vesper_word root_cptr,
                                           vesper_word index, vesper_word depth,
                                           unsigned which, struct cte **slot)
{
    struct lookup root = lookup_argument(inv, root_cptr);
    if (root.error != VESPER_OK)
        return result_lookup(&root, which);
    if (cap_type(root.slot->cap) != CAP_CNODE) {
        struct lookup bad = {VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_INVALID_ROOT, 0, NULL};
        return result_lookup(&bad, which);
    }
    if (depth > 64)
        return result_range(1, 64);
    struct lookup found = cspace_lookup_slot(root.slot->cap, index, (unsigned)depth);
    if (found.error != VESPER_OK)
        return result_lookup(&found, which);
    *slot = found.slot;
    return result_ok();
}

struct syscall_result sys_debug_identify(struct domain *caller,
                                        const struct vesper_syscall_frame *frame)
{
    struct lookup found = cspace_lookup_invocation(caller_cspace(caller), frame->arg[0]);
    if (found.error != VESPER_OK)
        return result_lookup(&found, 0);
    struct cap c = found.slot->cap;
    if (cap_is_null(c))
        return result_invalid_capability(0);
    vesper_word words[4] = {
        (vesper_word)cap_type(c) | (vesper_word)cap_aux(c) << 8,
        cap_rights(c),
        cap_address(c),
        c.word1,
    };
    return result_reply(4, words);
}

struct syscall_result invoke_capability(struct domain *caller, struct cte *slot,
                                        const struct vesper_syscall_frame *frame)
{
    vesper_word tag = frame->arg[1];
    struct invocation inv = {
        .caller = caller,
        .slot = slot,
        .label = vesper_tag_label(tag),
        .length = vesper_tag_length(tag),
        .frame = frame,
        .buffer = domain_ipc_buffer(caller),
    };
    if (inv.length > VESPER_MSG_MAX)
        inv.length = VESPER_MSG_MAX;
    if (inv.buffer == NULL && inv.length > VESPER_MSG_REGISTERS)
        inv.length = VESPER_MSG_REGISTERS;
    return object_decode_invocation(&inv);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Console, exit and start-up for user domains (see libos.h). */
#include <stdint.h>

#include <libos/caps.h>
#include <libos/libos.h>

enum vesper_error vesper_debug_print(const char *text, size_t length)
{
    struct vesper_syscall_frame frame = {.number = VESPER_SYS_DEBUG_PRINT};
    frame.arg[0] = (vesper_word)(uintptr_t)text;
    frame.arg[1] = length;
    vesper_syscall(&frame);
    return (enum vesper_error)frame.arg[0];
}

enum vesper_error vesper_print(const char *text)
{
    size_t length = 0;
    while (text[length] != '\0')
        length++;
    while (length > 0) {
        size_t piece = length < VESPER_DEBUG_PRINT_MAX ? length : VESPER_DEBUG_PRINT_MAX;
        enum vesper_error error = vesper_debug_print(text, piece);
        if (error != VESPER_OK)
            return error;
        text += piece;
        length -= piece;
    }
    return VESPER_OK;
}

_Noreturn void vesper_exit(int status)
{
    struct vesper_syscall_frame frame = {.number = VESPER_SYS_EXIT};
    frame.arg[0] = status >= 0 && status <= 255 ? (vesper_word)status : 255;
    for (;;)
        vesper_syscall(&frame); /* returns only if the kernel refused */
}

_Noreturn void vesper_start_root(vesper_word bootinfo, vesper_main_fn main)
{
    const struct vesper_bootinfo *info =
        (const struct vesper_bootinfo *)(uintptr_t)bootinfo;
    vesper_exit(main(info));
}

static const char *const error_names[VESPER_ERROR_COUNT] = {
    [VESPER_OK] = "VESPER_OK",
    [VESPER_ERR_UNKNOWN_SYSCALL] = "VESPER_ERR_UNKNOWN_SYSCALL",
    [VESPER_ERR_INVALID_ARGUMENT] = "VESPER_ERR_INVALID_ARGUMENT",
    [VESPER_ERR_INVALID_ADDRESS] = "VESPER_ERR_INVALID_ADDRESS",
    [VESPER_ERR_RANGE] = "VESPER_ERR_RANGE",
    [VESPER_ERR_INVALID_CAPABILITY] = "VESPER_ERR_INVALID_CAPABILITY",
    [VESPER_ERR_ILLEGAL_OPERATION] = "VESPER_ERR_ILLEGAL_OPERATION",
    [VESPER_ERR_ALIGNMENT] = "VESPER_ERR_ALIGNMENT",
    [VESPER_ERR_FAILED_LOOKUP] = "VESPER_ERR_FAILED_LOOKUP",
    [VESPER_ERR_TRUNCATED_MESSAGE] = "VESPER_ERR_TRUNCATED_MESSAGE",
    [VESPER_ERR_DELETE_FIRST] = "VESPER_ERR_DELETE_FIRST",
    [VESPER_ERR_REVOKE_FIRST] = "VESPER_ERR_REVOKE_FIRST",
    [VESPER_ERR_NOT_ENOUGH_MEMORY] = "VESPER_ERR_NOT_ENOUGH_MEMORY",
    [VESPER_ERR_WOULD_BLOCK] = "VESPER_ERR_WOULD_BLOCK",
    [VESPER_ERR_CANCELLED] = "VESPER_ERR_CANCELLED",
    [VESPER_ERR_MISSING_TABLE] = "VESPER_ERR_MISSING_TABLE",
};

const char *vesper_syscall_name(vesper_word number)
{
    switch (number) {
    case VESPER_SYS_CALL: return "Call";
    case VESPER_SYS_REPLY_RECV: return "ReplyRecv";
    case VESPER_SYS_SEND: return "Send";
    case VESPER_SYS_NB_SEND: return "NBSend";
    case VESPER_SYS_RECV: return "Recv";
    case VESPER_SYS_NB_RECV: return "NBRecv";
    case VESPER_SYS_REPLY: return "Reply";
    case VESPER_SYS_YIELD: return "Yield";
    case VESPER_SYS_RESUME: return "Resume";
    case VESPER_SYS_EXIT: return "Exit";
    case VESPER_SYS_DEBUG_PRINT: return "DebugPrint";
    case VESPER_SYS_DEBUG_IDENTIFY: return "DebugIdentify";
    default: return NULL;
    }
}

const char *vesper_error_name(enum vesper_error error)
{
    if ((unsigned)error >= VESPER_ERROR_COUNT || error_names[error] == NULL)
        return "VESPER_ERR_(unknown)";
    return error_names[error];
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Syscall numbers and the register convention of the Vesper ABI.
 *
 * A syscall carries a number and up to VESPER_SYSCALL_ARGS argument words.
 * On return the first word holds an enum vesper_error and the following
 * words hold the syscall's results. How the words travel:
 *
 *   aarch64 (hal/rpi3): number in x7, arguments in x0-x5, `svc #0`;
 *                       results come back in x0-x5.
 *   x86_64 (hal/host):  libos passes a struct vesper_syscall_frame to the
 *                       host trap trampoline, which copies it in and out.
 *
 * docs/syscalls.md describes every syscall; keep the two in step.
 */
#ifndef VESPER_SYSCALL_H
#define VESPER_SYSCALL_H

#include <vesper/types.h>

#define VESPER_SYSCALL_ARGS 6

enum vesper_syscall {
    /* Invoke a capability: argument 0 is its CPtr, argument 1 the message
     * tag, arguments 2-5 the first message words (include/vesper/message.h).
     * On return result 1 is the reply's tag and results 2-5 its first words;
     * on an error, results 1-3 describe it (docs/syscalls.md). */
    VESPER_SYS_CALL = 1,
    /* Stop the calling domain with a status (argument 0). When the root
     * domain exits the kernel shuts down and reports that status. */
    VESPER_SYS_EXIT = 16,
    /* Write a byte string to the kernel console: argument 0 is its address
     * in the single address space, argument 1 its length, at most
     * VESPER_DEBUG_PRINT_MAX. Result 1 is the number of bytes written. */
    VESPER_SYS_DEBUG_PRINT = 32,
};

#define VESPER_DEBUG_PRINT_MAX 1024u

/* The words of one syscall, in and out: the portable view of the registers. */
struct vesper_syscall_frame {
    vesper_word number;
    vesper_word arg[VESPER_SYSCALL_ARGS];
};

#endif

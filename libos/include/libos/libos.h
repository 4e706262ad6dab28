/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The library OS: what a user domain links to talk to the kernel. These
 * are thin wrappers over the syscalls of include/vesper/syscall.h; policy
 * (allocators, threads, schedulers, drivers) grows here, never in the
 * kernel.
 */
#ifndef VESPER_LIBOS_H
#define VESPER_LIBOS_H

#include <stddef.h>

#include <vesper/bootinfo.h>
#include <vesper/error.h>
#include <vesper/message.h>
#include <vesper/syscall.h>

/* Make one syscall: frame->number and frame->arg[] in; on return arg[0] is
 * the enum vesper_error and arg[1..] the results. One definition per
 * machine: a trap trampoline call on the host, `svc #0` on aarch64. */
void vesper_syscall(struct vesper_syscall_frame *frame);

/* This domain's IPC buffer, or NULL when it has none: where message words
 * past the fourth go. The kernel gives each domain the address it set with
 * SetIPCBuffer (the root's from boot) in a per-domain register, so domains
 * that share a program image each find their own: TPIDR_EL0 on the Pi,
 * host_ipc_buffer() on the host (docs/syscalls.md). */
struct vesper_ipc_buffer *vesper_ipc_buffer(void);

/* Write length bytes at text to the kernel console. */
enum vesper_error vesper_debug_print(const char *text, size_t length);

/* Write a NUL-terminated string, in pieces of at most
 * VESPER_DEBUG_PRINT_MAX bytes. */
enum vesper_error vesper_print(const char *text);

/* Stop this domain with status (0..255; anything else reports 255). */
_Noreturn void vesper_exit(int status);

/* The name of a syscall by number, such as "ReplyRecv", or NULL for a
 * number that names none. */
const char *vesper_syscall_name(vesper_word number);

/* The name of an error, such as "VESPER_ERR_RANGE". */
const char *vesper_error_name(enum vesper_error error);

/* The root domain's main program. */
typedef int (*vesper_main_fn)(const struct vesper_bootinfo *bootinfo);

/* Start the root domain: call main with the bootinfo record the kernel
 * passed and exit with what it returns. */
_Noreturn void vesper_start_root(vesper_word bootinfo, vesper_main_fn main);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Helpers for the core's unit tests: a fresh boot before each test and a
 * way to make a syscall as the current domain without running any code in
 * it. The kernel is driven through its entries (core/interface/kernel.h), exactly as
 * a HAL drives it.
 */
#ifndef VESPER_TESTS_SUPPORT_H
#define VESPER_TESTS_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <vesper/bootinfo.h>
#include <vesper/error.h>
#include <vesper/object.h>
#include <vesper/syscall.h>

#include <libos/invocations.h>

#include "hal.h"
#include "host.h"
#include "kernel.h"

/* RAM of the test machine: small, so a fresh boot per test is cheap. */
#define TEST_MEMORY ((size_t)1 << 20)

/* Everything the kernel printed since the last boot (NUL-terminated). */
extern char test_console[8192];

/* cmocka setup: reset the machine, capture the console, boot. */
int test_boot(void **state);

/* Reset the machine with `bytes` of RAM and capture the console; 0 on
 * success. The host maps RAM once, at the size of the process's first
 * reset, so a program that also boots machines larger than TEST_MEMORY
 * makes its first reset the largest (in its group setup). */
int test_reset_machine(size_t bytes);

/* test_reset_machine(bytes), then boot; 0 on success. */
int test_boot_machine(size_t bytes);

/* RAM of a test machine with room for 2 MiB frames. A program whose tests
 * boot one takes test_map_large as its group setup, so that the host maps
 * that much from the start, and test_boot_large as those tests' setup. */
#define TEST_LARGE_MEMORY ((size_t)8 << 20)
int test_map_large(void **state);
int test_boot_large(void **state);

/* Make syscall number with args (missing ones zero) as the current domain.
 * Fills frame with the results and returns the context the kernel chose. */
struct hal_context *test_syscall(struct vesper_syscall_frame *frame,
                                 vesper_word number, vesper_word a0,
                                 vesper_word a1);

/* The root domain's bootinfo record, read through the kernel's window. */
const struct vesper_bootinfo *test_bootinfo(void);

/* Copy bytes into the simulated RAM at address; returns address. */
uintptr_t test_poke(uintptr_t address, const void *bytes, size_t length);

/* Fail the test unless the kernel's invariants hold. */
void assert_invariants(void);

/* The root CNode's slot `index`, read through the kernel. */
struct cte;
struct cte *test_root_slot(vesper_word index);

/* Invoke the capability at cptr in the root domain's CSpace with `label`
 * and `count` message words (more than four go through its IPC buffer).
 * Returns the error; frame (if not NULL) receives all result words. Tests
 * that send what no message builder makes (too few words, another label)
 * call it with a builder's words. */
enum vesper_error test_invoke(struct vesper_syscall_frame *frame, vesper_word cptr,
                              vesper_word label, unsigned count, const vesper_word *words);

/* test_invoke() with a message made by a builder of libos/invocations.h,
 * such as vesper_cnode_copy_msg(), which puts each argument in the word
 * abi/invocations.py gives it. */
enum vesper_error test_invoke_msg(struct vesper_syscall_frame *frame, vesper_word cptr,
                                  struct vesper_invocation_msg msg);

/* The words of a Call of msg on cptr, for a test that makes the syscall
 * itself (to see which context the kernel chooses): frame is zeroed, then
 * gets the number, the CPtr, the tag and the message words, which must all
 * fit in registers. */
void test_call_words(struct vesper_syscall_frame *frame, vesper_word cptr,
                     struct vesper_invocation_msg msg);

/* Invoke cptr with operation `op` (the builder's name between vesper_ and
 * _msg) and its words, and return the error:
 * TEST_CALL(cptr, cnode_delete, index, depth). At least one word; an
 * operation without words is test_invoke_msg(NULL, cptr, vesper_..._msg()).
 * TEST_CALL_FRAME also keeps the result words in frame. */
#define TEST_CALL_FRAME(frame, cptr, op, ...)                                    \
    test_invoke_msg((frame), (cptr), vesper_##op##_msg(__VA_ARGS__))
#define TEST_CALL(cptr, op, ...) TEST_CALL_FRAME(NULL, cptr, op, __VA_ARGS__)

/* VESPER_SYS_DEBUG_IDENTIFY of cptr; frame gets the result words. */
enum vesper_error test_identify(struct vesper_syscall_frame *frame, vesper_word cptr);

/* Fail unless the words are VESPER_ERR_FAILED_LOOKUP with these details. */
void assert_failed_lookup(const struct vesper_syscall_frame *frame,
                          enum vesper_lookup_failure failure, vesper_word bits_left,
                          vesper_word which);

/* Fail unless the words are VESPER_ERR_RANGE for a depth: 1 to 64. */
void assert_range_1_64(const struct vesper_syscall_frame *frame);

/* The first empty slot of the root CNode after boot. */
vesper_word test_first_empty(void);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Helpers for the unit tests (see support.h). */
#include <string.h>

#include <vesper/message.h>

#include "cspace.h"
#include "invariants.h"
#include "state.h"
#include "support.h"

/* The root domain's CSpace root capability. */
static struct cap test_root_cnode_cap(void)
{
    return kernel.root->slots[DOMAIN_SLOT_CSPACE].cap;
}

char test_console[8192];

/* The root domain never runs in unit tests; its entry is only recorded. */
static void unused_root_entry(vesper_word bootinfo)
{
    (void)bootinfo;
}

int test_reset_machine(size_t bytes)
{
    if (host_machine_reset(bytes, (uintptr_t)unused_root_entry) != 0)
        return -1;
    host_console_capture(test_console, sizeof test_console);
    return 0;
}

int test_boot_machine(size_t bytes)
{
    if (test_reset_machine(bytes) != 0)
        return -1;
    return kernel_boot() == NULL ? -1 : 0;
}

int test_map_large(void **state)
{
    (void)state;
    return test_reset_machine(TEST_LARGE_MEMORY);
}

int test_boot_large(void **state)
{
    (void)state;
    return test_boot_machine(TEST_LARGE_MEMORY);
}

int test_boot(void **state)
{
    (void)state;
    return test_boot_machine(TEST_MEMORY);
}

struct hal_context *test_syscall(struct vesper_syscall_frame *frame,
                                 vesper_word number, vesper_word a0,
                                 vesper_word a1)
{
    memset(frame, 0, sizeof *frame);
    frame->number = number;
    frame->arg[0] = a0;
    frame->arg[1] = a1;
    if (kernel_current_context() == NULL)
        return kernel_entry_syscall(); /* a stopped kernel: must change nothing */
    return host_syscall_as_current(frame);
}

const struct vesper_bootinfo *test_bootinfo(void)
{
    return hal_kernel_view(kernel.root_bootinfo, sizeof(struct vesper_bootinfo));
}

uintptr_t test_poke(uintptr_t address, const void *bytes, size_t length)
{
    void *view = hal_kernel_view(address, length);
    assert_non_null(view);
    memcpy(view, bytes, length);
    return address;
}

void assert_invariants(void)
{
    const char *violation = kernel_check_invariants();
    if (violation != NULL)
        fail_msg("kernel invariant broken: %s", violation);
}

struct cte *test_root_slot(vesper_word index)
{
    struct cap root = test_root_cnode_cap();
    return &cnode_slots(root)[index];
}

enum vesper_error test_invoke(struct vesper_syscall_frame *frame, vesper_word cptr,
                              vesper_word label, unsigned count, const vesper_word *words)
{
    struct vesper_syscall_frame local;
    if (frame == NULL)
        frame = &local;
    struct vesper_ipc_buffer *buffer = domain_ipc_buffer(kernel.root);
    assert_non_null(kernel_current_context());
    memset(frame, 0, sizeof *frame);
    frame->number = VESPER_SYS_CALL;
    frame->arg[0] = cptr;
    frame->arg[1] = vesper_tag(label, count, 0);
    for (unsigned i = 0; i < count; i++) {
        if (i < VESPER_MSG_REGISTERS)
            frame->arg[2 + i] = words[i];
        else if (buffer != NULL)
            buffer->msg[i] = words[i];
    }
    host_syscall_as_current(frame);
    return (enum vesper_error)frame->arg[0];
}

enum vesper_error test_invoke_msg(struct vesper_syscall_frame *frame, vesper_word cptr,
                                  struct vesper_invocation_msg msg)
{
    return test_invoke(frame, cptr, msg.label, msg.length, msg.word);
}

void test_call_words(struct vesper_syscall_frame *frame, vesper_word cptr,
                     struct vesper_invocation_msg msg)
{
    assert_true(msg.length <= VESPER_MSG_REGISTERS);
    memset(frame, 0, sizeof *frame);
    frame->number = VESPER_SYS_CALL;
    frame->arg[0] = cptr;
    frame->arg[1] = vesper_tag(msg.label, msg.length, 0);
    for (unsigned i = 0; i < msg.length; i++)
        frame->arg[2 + i] = msg.word[i];
}

vesper_word test_first_empty(void)
{
    return test_bootinfo()->empty_first;
}

enum vesper_error test_identify(struct vesper_syscall_frame *frame, vesper_word cptr)
{
    memset(frame, 0, sizeof *frame);
    frame->number = VESPER_SYS_DEBUG_IDENTIFY;
    frame->arg[0] = cptr;
    host_syscall_as_current(frame);
    return (enum vesper_error)frame->arg[0];
}

void assert_failed_lookup(const struct vesper_syscall_frame *frame,
                          enum vesper_lookup_failure failure, vesper_word bits_left,
                          vesper_word which)
{
    assert_int_equal(frame->arg[0], VESPER_ERR_FAILED_LOOKUP);
    assert_int_equal(frame->arg[1], failure);
    assert_int_equal(frame->arg[2], bits_left);
    assert_int_equal(frame->arg[3], which);
}

void assert_range_1_64(const struct vesper_syscall_frame *frame)
{
    assert_int_equal(frame->arg[0], VESPER_ERR_RANGE);
    assert_int_equal(frame->arg[1], 1);
    assert_int_equal(frame->arg[2], 64);
}

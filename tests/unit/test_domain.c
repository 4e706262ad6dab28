/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Domain invocations: Configure (CSpace root, PDom, fault endpoint) and
 * SetIPCBuffer, their success, each error with its detail words, how
 * revoking a source empties the domain's slot, and replacements that
 * destroy what they replace.
 */
#include <string.h>

#include <vesper/message.h>

#include "cdt.h"
#include "objecttype.h"
#include "objects.h"
#include "objects_support.h"
#include "state.h"

#define NO_CAP VESPER_ROOT_SLOT_NULL /* a CPtr to a slot that is always empty */
#define BUFFER_SIZE sizeof(struct vesper_ipc_buffer)

static struct domain *domain_of(vesper_word slot)
{
    return object_bytes(slot_cap(slot));
}

/* Whether the domain's slot holds a copy of root slot src's capability,
 * derived from it: its child when src is revocable (an original), else its
 * sibling in the run of capabilities to the object. */
static void assert_slot_copied_from(struct cte *slot, vesper_word src)
{
    struct cte *source = test_root_slot(src);
    assert_int_equal(slot->cap.word0, source->cap.word0);
    assert_int_equal(slot->cap.word1, cap_as_copy(source->cap).word1); /* no grant */
    if (cdt_is_revocable(source)) {
        assert_true(cdt_is_parent_of(source, slot));
        return;
    }
    bool found = false;
    for (struct cte *c = source; c != NULL && cap_same_object(c->cap, source->cap); c = cdt_next(c))
        found = found || c == slot;
    for (struct cte *c = source; c != NULL && cap_same_object(c->cap, source->cap); c = cdt_prev(c))
        found = found || c == slot;
    assert_true(found);
}

/* How many capabilities to root slot src's object exist, src included. */
static int caps_to(vesper_word src)
{
    struct cap cap = slot_cap(src);
    int n = 0;
    for (struct cte *c = cdt_next(&kernel.cdt_head); c != NULL; c = cdt_next(c))
        n += cap_same_object(c->cap, cap);
    return n;
}

struct domain_setup {
    vesper_word domain;
    vesper_word cnode;
    vesper_word ep;
    vesper_word ntfn;
    vesper_word frame;
};

static struct domain_setup setup(void)
{
    struct domain_setup s;
    s.domain = make_object(VESPER_OBJECT_DOMAIN, 0);
    s.cnode = make_object(VESPER_OBJECT_CNODE, 4);
    s.ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    s.ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    s.frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    return s;
}

static uintptr_t frame_base(vesper_word frame)
{
    return cap_address(slot_cap(frame));
}

/* Let the domain use the frame as its IPC buffer: run it in the root's
 * PDom and grant the frame there. */
static void grant_buffer_frame(vesper_word domain, vesper_word frame)
{
    assert_int_equal(TEST_CALL(domain, domain_configure, ROOT_CNODE, VESPER_ROOT_SLOT_PDOM,
                               VESPER_ROOT_SLOT_NULL),
                     VESPER_OK);
    grant_frame(frame, VESPER_ROOT_SLOT_PDOM, VESPER_FRAME_READ | VESPER_FRAME_WRITE);
}

static void assert_domain_empty(struct domain *d)
{
    for (int i = 0; i < DOMAIN_SLOT_COUNT; i++)
        assert_true(cap_is_null(d->slots[i].cap));
}

static void DOMAIN0001_configure_copies_each_capability(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    /* A guard on the CNode capability travels with the copy. */
    vesper_word guarded = next_empty_slot();
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_mint, guarded, 64, ROOT_CNODE, s.cnode, 64,
                               VESPER_RIGHTS_ALL, vesper_cnode_guard(5, 3)),
                     VESPER_OK);
    assert_int_equal(TEST_CALL(s.domain, domain_configure, guarded, VESPER_ROOT_SLOT_PDOM,
                               s.ep),
                     VESPER_OK);
    struct domain *d = domain_of(s.domain);
    assert_slot_copied_from(&d->slots[DOMAIN_SLOT_CSPACE], guarded);
    assert_int_equal(cnode_guard(d->slots[DOMAIN_SLOT_CSPACE].cap), 5);
    assert_int_equal(cnode_guard_size(d->slots[DOMAIN_SLOT_CSPACE].cap), 3);
    assert_slot_copied_from(&d->slots[DOMAIN_SLOT_PDOM], VESPER_ROOT_SLOT_PDOM);
    assert_slot_copied_from(&d->slots[DOMAIN_SLOT_FAULT_ENDPOINT], s.ep);
    assert_true(cap_is_null(d->slots[DOMAIN_SLOT_IPC_BUFFER].cap));
    assert_int_equal(d->state, DOMAIN_INACTIVE);
    assert_invariants();
    /* Configuring again replaces the copies rather than adding more. */
    assert_int_equal(TEST_CALL(s.domain, domain_configure, guarded, VESPER_ROOT_SLOT_PDOM,
                               s.ep),
                     VESPER_OK);
    assert_int_equal(caps_to(guarded), 3); /* the original, the Mint and the domain's */
    assert_int_equal(caps_to(s.ep), 2);
    assert_invariants();
}

static void DOMAIN0002_configure_with_empty_slots_clears(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    assert_int_equal(TEST_CALL(s.domain, domain_configure, s.cnode, VESPER_ROOT_SLOT_PDOM,
                               s.ep),
                     VESPER_OK);
    struct domain *d = domain_of(s.domain);
    /* Only the fault endpoint cleared. */
    assert_int_equal(TEST_CALL(s.domain, domain_configure, s.cnode, VESPER_ROOT_SLOT_PDOM,
                               NO_CAP),
                     VESPER_OK);
    assert_slot_copied_from(&d->slots[DOMAIN_SLOT_CSPACE], s.cnode);
    assert_true(cap_is_null(d->slots[DOMAIN_SLOT_FAULT_ENDPOINT].cap));
    assert_int_equal(caps_to(s.ep), 1);
    /* Everything cleared; an empty slot anywhere in the root CNode will do. */
    vesper_word empty = next_empty_slot();
    assert_int_equal(TEST_CALL(s.domain, domain_configure, NO_CAP, empty, empty), VESPER_OK);
    assert_domain_empty(d);
    assert_int_equal(caps_to(s.cnode), 1);
    assert_int_equal(header_type(slot_cap(s.ep)), CAP_ENDPOINT);
    assert_invariants();
}

static void DOMAIN0003_configure_truncated(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    const struct vesper_invocation_msg m =
        vesper_domain_configure_msg(s.cnode, VESPER_ROOT_SLOT_PDOM, s.ep);
    for (unsigned length = 0; length < m.length; length++) {
        assert_int_equal(test_invoke(NULL, s.domain, m.label, length, m.word),
                         VESPER_ERR_TRUNCATED_MESSAGE);
        assert_domain_empty(domain_of(s.domain));
    }
    assert_invariants();
}

static void DOMAIN0004_configure_failed_lookup_names_the_argument(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    const vesper_word unreachable = (vesper_word)1 << 40; /* outside the root CNode's guard */
    for (unsigned i = 0; i < 3; i++) {
        /* Word i is capability argument i + 1. */
        struct vesper_invocation_msg m =
            vesper_domain_configure_msg(s.cnode, VESPER_ROOT_SLOT_PDOM, s.ep);
        m.word[i] = unreachable;
        struct vesper_syscall_frame frame;
        assert_int_equal(test_invoke_msg(&frame, s.domain, m), VESPER_ERR_FAILED_LOOKUP);
        assert_error_words(&frame, VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_GUARD_MISMATCH, 64,
                           i + 1);
        assert_domain_empty(domain_of(s.domain));
        assert_invariants();
    }
}

static void DOMAIN0005_configure_wrong_type_names_the_argument(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    const vesper_word bad[3][3] = {
        {s.ep, s.frame, VESPER_ROOT_SLOT_PDOM},
        {s.cnode, s.ntfn, s.domain},
        {s.ntfn, s.cnode, VESPER_ROOT_SLOT_IRQ_CONTROL},
    };
    for (unsigned i = 0; i < 3; i++) {
        for (unsigned j = 0; j < 3; j++) {
            /* Word i is capability argument i + 1. */
            struct vesper_invocation_msg m =
                vesper_domain_configure_msg(s.cnode, VESPER_ROOT_SLOT_PDOM, s.ep);
            m.word[i] = bad[i][j];
            struct vesper_syscall_frame frame;
            assert_int_equal(test_invoke_msg(&frame, s.domain, m), VESPER_ERR_INVALID_CAPABILITY);
            assert_int_equal(frame.arg[1], i + 1);
            assert_domain_empty(domain_of(s.domain));
        }
    }
    assert_invariants();
}

/* The kernel sends faults on the fault endpoint: it needs the write right. */
static void DOMAIN0006_fault_endpoint_needs_write(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    vesper_word no_write = copy_cap(s.ep, VESPER_RIGHTS_ALL & ~(vesper_word)VESPER_RIGHT_WRITE);
    struct vesper_syscall_frame frame;
    assert_int_equal(TEST_CALL_FRAME(&frame, s.domain, domain_configure, s.cnode,
                                     VESPER_ROOT_SLOT_PDOM, no_write),
                     VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(frame.arg[1], 3);
    assert_domain_empty(domain_of(s.domain));
    vesper_word write_only = copy_cap(s.ep, VESPER_RIGHT_WRITE);
    assert_int_equal(TEST_CALL(s.domain, domain_configure, NO_CAP, NO_CAP, write_only),
                     VESPER_OK);
    assert_slot_copied_from(&domain_of(s.domain)->slots[DOMAIN_SLOT_FAULT_ENDPOINT], write_only);
    assert_invariants();
}

/* A domain keeps no authority that was taken away: revoking what its
 * slots were copied from empties them. */
static void DOMAIN0007_revoking_the_sources_empties_the_slots(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    assert_int_equal(TEST_CALL(s.domain, domain_configure, s.cnode, VESPER_ROOT_SLOT_PDOM,
                               s.ep),
                     VESPER_OK);
    struct domain *d = domain_of(s.domain);
    assert_int_equal(revoke_slot(s.cnode), VESPER_OK);
    assert_true(cap_is_null(d->slots[DOMAIN_SLOT_CSPACE].cap));
    assert_false(cap_is_null(d->slots[DOMAIN_SLOT_PDOM].cap));
    assert_int_equal(cap_type(slot_cap(s.cnode)), CAP_CNODE);
    assert_invariants();
    assert_int_equal(revoke_slot(s.ep), VESPER_OK);
    assert_true(cap_is_null(d->slots[DOMAIN_SLOT_FAULT_ENDPOINT].cap));
    assert_int_equal(header_type(slot_cap(s.ep)), CAP_ENDPOINT);
    assert_invariants();
}

/* Replacing the only capability to a CNode destroys it and its contents. */
static void DOMAIN0008_configure_destroys_what_it_replaces(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    struct cap old_cnode = slot_cap(s.cnode);
    struct cap ntfn_cap = slot_cap(s.ntfn);
    move_into_cnode(s.cnode, 4, 9, s.ntfn);
    assert_int_equal(TEST_CALL(s.domain, domain_configure, s.cnode, NO_CAP, NO_CAP),
                     VESPER_OK);
    assert_int_equal(delete_slot(s.cnode), VESPER_OK);
    assert_int_equal(header_type(ntfn_cap), CAP_NOTIFICATION);
    vesper_word other = make_object(VESPER_OBJECT_CNODE, 2);
    assert_int_equal(TEST_CALL(s.domain, domain_configure, other, NO_CAP, NO_CAP),
                     VESPER_OK);
    assert_int_equal(header_type(ntfn_cap), 0);
    assert_true(all_zero(cnode_slots(old_cnode), 16 * sizeof(struct cte)));
    assert_slot_copied_from(&domain_of(s.domain)->slots[DOMAIN_SLOT_CSPACE], other);
    assert_invariants();
}

/* The root configures its own Domain while the copy in its CSpace slot is
 * the only capability to its root CNode: deleting it destroys the CNode,
 * the Domain capability in it and so the root domain itself. The kernel
 * finishes the call cleanly and, with nothing left to run, shuts down. */
static void DOMAIN0009_root_replacing_its_only_cspace_destroys_itself(void **state)
{
    (void)state;
    assert_int_equal(delete_slot(VESPER_ROOT_SLOT_CNODE), VESPER_OK);
    struct domain *root = kernel.root;
    struct vesper_syscall_frame frame;
    test_call_words(&frame, VESPER_ROOT_SLOT_DOMAIN,
                    vesper_domain_configure_msg(VESPER_ROOT_SLOT_NULL, VESPER_ROOT_SLOT_NULL,
                                                VESPER_ROOT_SLOT_NULL));
    assert_null(host_syscall_as_current(&frame));
    assert_false(kernel_is_running());
    assert_int_equal(kernel_exit_status(), KERNEL_NO_DOMAIN_STATUS);
    assert_int_equal(root->state, DOMAIN_STOPPED);
    assert_int_equal(root->header.type, 0);
    assert_domain_empty(root);
    assert_invariants();
}

static void DOMAIN0010_set_ipc_buffer(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    uintptr_t base = frame_base(s.frame);
    const uintptr_t addresses[] = {base, base + BUFFER_SIZE, base + 4096 - BUFFER_SIZE};
    struct domain *d = domain_of(s.domain);
    grant_buffer_frame(s.domain, s.frame);
    for (size_t i = 0; i < sizeof addresses / sizeof addresses[0]; i++) {
        assert_int_equal(TEST_CALL(s.domain, domain_set_ipc_buffer, addresses[i], s.frame),
                         VESPER_OK);
        assert_slot_copied_from(&d->slots[DOMAIN_SLOT_IPC_BUFFER], s.frame);
        assert_int_equal(d->ipc_buffer, addresses[i]);
        assert_int_equal(d->context.ipc_buffer, addresses[i]); /* what the domain reads */
        assert_ptr_equal(domain_ipc_buffer(d), hal_kernel_view(addresses[i], BUFFER_SIZE));
        assert_int_equal(caps_to(s.frame), 2);
        assert_invariants();
    }
}

/* The root moves its own IPC buffer; longer messages then travel in the
 * new one. */
static void DOMAIN0011_root_moves_its_ipc_buffer(void **state)
{
    (void)state;
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    uintptr_t address = frame_base(frame) + 2 * BUFFER_SIZE;
    grant_frame(frame, VESPER_ROOT_SLOT_PDOM, VESPER_FRAME_READ | VESPER_FRAME_WRITE);
    assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_DOMAIN, domain_set_ipc_buffer, address,
                               frame),
                     VESPER_OK);
    assert_int_equal(kernel.root->ipc_buffer, address);
    vesper_word dest = next_empty_slot();
    /* Retype takes seven words: three of them from the new buffer. */
    assert_int_equal(retype_into(NULL, largest_untyped(), VESPER_OBJECT_ENDPOINT, 0, dest, 2),
                     VESPER_OK);
    const struct vesper_ipc_buffer *buffer = hal_kernel_view(address, BUFFER_SIZE);
    assert_int_equal(buffer->msg[5], dest);
    assert_int_equal(buffer->msg[6], 2);
    assert_int_equal(cap_type(slot_cap(dest + 1)), CAP_ENDPOINT);
    assert_invariants();
}

static void DOMAIN0012_set_ipc_buffer_misaligned(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    uintptr_t base = frame_base(s.frame);
    const uintptr_t addresses[] = {base + 8, base + BUFFER_SIZE / 2, base + 4096 - 8, 1};
    for (size_t i = 0; i < sizeof addresses / sizeof addresses[0]; i++) {
        assert_int_equal(TEST_CALL(s.domain, domain_set_ipc_buffer, addresses[i], s.frame),
                         VESPER_ERR_ALIGNMENT);
        assert_domain_empty(domain_of(s.domain));
    }
    assert_invariants();
}

static void DOMAIN0013_set_ipc_buffer_outside_the_frame(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    uintptr_t base = frame_base(s.frame);
    const vesper_word addresses[] = {base - BUFFER_SIZE, base + 4096, 0,
                                     UINT64_MAX - BUFFER_SIZE + 1};
    for (size_t i = 0; i < sizeof addresses / sizeof addresses[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(TEST_CALL_FRAME(&frame, s.domain, domain_set_ipc_buffer, addresses[i],
                                         s.frame),
                         VESPER_ERR_RANGE);
        assert_int_equal(frame.arg[1], base);
        assert_int_equal(frame.arg[2], base + 4096 - BUFFER_SIZE);
        assert_domain_empty(domain_of(s.domain));
    }
    assert_invariants();
}

static void DOMAIN0014_set_ipc_buffer_needs_a_readable_writable_frame(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    uintptr_t base = frame_base(s.frame);
    const vesper_word refused[] = {
        s.ep, s.cnode, s.domain, VESPER_ROOT_SLOT_PDOM,
        copy_cap(s.frame, VESPER_RIGHT_READ),
        copy_cap(s.frame, VESPER_RIGHT_WRITE | VESPER_RIGHT_GRANT),
        VESPER_ROOT_SLOT_BOOTINFO, /* read-only */
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(TEST_CALL_FRAME(&frame, s.domain, domain_set_ipc_buffer, base, refused[i]),
                         VESPER_ERR_INVALID_CAPABILITY);
        assert_int_equal(frame.arg[1], 1);
        assert_domain_empty(domain_of(s.domain));
    }
    vesper_word read_write = copy_cap(s.frame, VESPER_RIGHT_READ | VESPER_RIGHT_WRITE);
    assert_int_equal(TEST_CALL(s.domain, domain_set_ipc_buffer, base, read_write),
                     VESPER_OK);
    assert_invariants();
}

/* The kernel copies messages through the IPC buffer: never device memory. */
static void DOMAIN0019_set_ipc_buffer_refuses_device_frames(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    vesper_word device = make_device_untyped(12);
    vesper_word frame = make_object_from(device, VESPER_OBJECT_FRAME_4K, 0);
    struct vesper_syscall_frame result;
    assert_int_equal(TEST_CALL_FRAME(&result, s.domain, domain_set_ipc_buffer, frame_base(frame),
                                     frame),
                     VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(result.arg[1], 1);
    assert_domain_empty(domain_of(s.domain));
    assert_invariants();
}

static void DOMAIN0015_set_ipc_buffer_with_an_empty_slot_clears(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    struct domain *d = domain_of(s.domain);
    uintptr_t address = frame_base(s.frame) + BUFFER_SIZE;
    grant_buffer_frame(s.domain, s.frame);
    assert_int_equal(TEST_CALL(s.domain, domain_set_ipc_buffer, address, s.frame),
                     VESPER_OK);
    assert_non_null(domain_ipc_buffer(d));
    /* The address is ignored when clearing. */
    assert_int_equal(TEST_CALL(s.domain, domain_set_ipc_buffer, 12345, NO_CAP), VESPER_OK);
    assert_true(cap_is_null(d->slots[DOMAIN_SLOT_IPC_BUFFER].cap));
    assert_int_equal(d->ipc_buffer, 0);
    assert_int_equal(d->context.ipc_buffer, 0);
    assert_null(domain_ipc_buffer(d));
    assert_int_equal(caps_to(s.frame), 1);
    assert_invariants();
}

static void DOMAIN0016_set_ipc_buffer_truncated_and_failed_lookup(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    const struct vesper_invocation_msg m = vesper_domain_set_ipc_buffer_msg(frame_base(s.frame),
                                                                            s.frame);
    for (unsigned length = 0; length < m.length; length++)
        assert_int_equal(test_invoke(NULL, s.domain, m.label, length, m.word),
                         VESPER_ERR_TRUNCATED_MESSAGE);
    struct vesper_syscall_frame frame;
    assert_int_equal(TEST_CALL_FRAME(&frame, s.domain, domain_set_ipc_buffer, frame_base(s.frame),
                                     (vesper_word)1 << 63),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_error_words(&frame, VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_GUARD_MISMATCH, 64, 1);
    assert_domain_empty(domain_of(s.domain));
    assert_invariants();
}

static void DOMAIN0017_revoking_the_frame_removes_the_ipc_buffer(void **state)
{
    (void)state;
    struct domain_setup s = setup();
    struct domain *d = domain_of(s.domain);
    assert_int_equal(TEST_CALL(s.domain, domain_set_ipc_buffer, frame_base(s.frame),
                               s.frame),
                     VESPER_OK);
    assert_int_equal(revoke_slot(s.frame), VESPER_OK);
    assert_true(cap_is_null(d->slots[DOMAIN_SLOT_IPC_BUFFER].cap));
    assert_null(domain_ipc_buffer(d));
    assert_invariants();
}

static void DOMAIN0018_unknown_label_is_illegal(void **state)
{
    (void)state;
    static const vesper_word labels[] = {0, VESPER_UNTYPED_RETYPE, VESPER_CNODE_DELETE,
                                         VESPER_FRAME_GET_ADDRESS, VESPER_IRQ_HANDLER_CLEAR,
                                         VESPER_INVOCATION_LABEL_MAX + 1, 999};
    struct domain_setup s = setup();
    const struct vesper_invocation_msg m =
        vesper_domain_configure_msg(s.cnode, VESPER_ROOT_SLOT_PDOM, s.ep);
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        assert_int_equal(test_invoke(NULL, s.domain, labels[i], m.length, m.word),
                         VESPER_ERR_ILLEGAL_OPERATION);
        assert_domain_empty(domain_of(s.domain));
    }
    assert_invariants();
}

/* Start with its stack's top at `top`: accepted or not, not one byte of
 * memory below or above it changes, however the stack lies over kernel
 * objects or the boot image. */
static void assert_start_writes_nothing(uintptr_t top, enum vesper_error expected)
{
    enum { AROUND = 256 };
    vesper_word domain = make_object(VESPER_OBJECT_DOMAIN, 0);
    const unsigned char *bytes = hal_kernel_view(top - AROUND, 2 * AROUND);
    assert_non_null(bytes);
    unsigned char before[2 * AROUND];
    memcpy(before, bytes, sizeof before);
    assert_int_equal(TEST_CALL(domain, domain_start, 0x400000, top - 256, 256, 7), expected);
    assert_memory_equal(bytes, before, sizeof before);
    assert_invariants();
}

static void DOMAIN0020_start_writes_no_memory(void **state)
{
    (void)state;
    /* Over the root CNode: the top of the stack just past an empty slot
     * (beyond the one the test's next Retype takes), which stays empty. */
    vesper_word empty = next_empty_slot() + 4;
    uintptr_t cnode = cap_address(slot_cap(ROOT_CNODE));
    uintptr_t after_empty = cnode + (empty + 1) * sizeof(struct cte);
    assert_start_writes_nothing(after_empty, VESPER_OK);
    assert_true(cap_is_null(test_root_slot(empty)->cap));
    /* Over live Endpoints. */
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    make_object(VESPER_OBJECT_ENDPOINT, 0);
    uintptr_t ep_end = cap_address(slot_cap(ep)) + ((uintptr_t)1 << VESPER_ENDPOINT_BITS);
    assert_start_writes_nothing(ep_end, VESPER_OK);
    assert_int_equal(header_type(slot_cap(ep)), CAP_ENDPOINT);
    /* Over the kernel's own state in the boot image, and over its code,
     * which is read-only. */
    uintptr_t state_top = ((uintptr_t)&kernel.irq[HAL_IRQ_LINES_MAX / 2] + 15) & ~(uintptr_t)15;
    assert_start_writes_nothing(state_top, VESPER_OK);
    uintptr_t code_top = ((uintptr_t)&hal_platform_name + 512) & ~(uintptr_t)15;
    assert_start_writes_nothing(code_top, VESPER_OK);
    /* The boundary: a stack of exactly 256 bytes is accepted (above), one
     * of 240 is not. */
    vesper_word domain = make_object(VESPER_OBJECT_DOMAIN, 0);
    assert_int_equal(TEST_CALL(domain, domain_start, 0x400000, ep_end - 240, 240, 0),
                     VESPER_ERR_RANGE);
}

/* Start's limits, each with the value just accepted and the one just
 * refused: a stack of 256 bytes and one of 240; a stack that ends at the
 * end of RAM and one 16 bytes past it; one whose end is the last address
 * a word can hold and one whose end would wrap to 0. */
static void DOMAIN0021_start_limits_at_their_edges(void **state)
{
    (void)state;
    const uintptr_t ram_end = HOST_USER_BASE + TEST_MEMORY;
    const uintptr_t ram_stack = ram_end - 256;
    const vesper_word top_of_words = (vesper_word)0 - 256; /* ends at 2^64: wraps */
    const struct {
        vesper_word base, size;
        enum vesper_error error;
    } cases[] = {
        {ram_stack, 240, VESPER_ERR_RANGE},
        {ram_stack, 256, VESPER_OK},
        {ram_stack + 16, 256, VESPER_ERR_INVALID_ADDRESS},
        {ram_stack - 16, 256 + 16, VESPER_OK},
        {top_of_words - 16, 256, VESPER_ERR_INVALID_ADDRESS}, /* ends at 2^64 - 16 */
        {top_of_words, 256, VESPER_ERR_RANGE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vesper_word slot = make_object(VESPER_OBJECT_DOMAIN, 0);
        struct vesper_syscall_frame frame;
        assert_int_equal(TEST_CALL_FRAME(&frame, slot, domain_start, 0x400000, cases[i].base,
                                         cases[i].size, 0),
                         cases[i].error);
        if (cases[i].error == VESPER_ERR_RANGE)
            assert_error_words(&frame, VESPER_ERR_RANGE, 256, UINTPTR_MAX, 0);
        assert_int_equal(domain_of(slot)->state,
                         cases[i].error == VESPER_OK ? DOMAIN_RUNNABLE : DOMAIN_INACTIVE);
        assert_invariants();
    }
}

/* The root starts with its IPC buffer's address where libos reads it, and
 * a domain given a buffer before Start finds it there once started (Start
 * makes a fresh context, which must not lose it). */
static void DOMAIN0022_each_domain_reads_its_own_ipc_buffer(void **state)
{
    (void)state;
    assert_int_not_equal(kernel.root->ipc_buffer, 0);
    assert_int_equal(kernel.root->context.ipc_buffer, kernel.root->ipc_buffer);
    struct domain_setup s = setup();
    struct domain *d = domain_of(s.domain);
    uintptr_t address = frame_base(s.frame) + BUFFER_SIZE;
    grant_buffer_frame(s.domain, s.frame);
    assert_int_equal(TEST_CALL(s.domain, domain_set_ipc_buffer, address, s.frame), VESPER_OK);
    assert_int_equal(TEST_CALL(s.domain, domain_start, 0x400000, frame_base(s.frame) + 2048,
                               1024, 0),
                     VESPER_OK);
    assert_int_equal(d->context.ipc_buffer, address);
    assert_int_not_equal(d->context.ipc_buffer, kernel.root->context.ipc_buffer);
    assert_int_equal(kernel.root->context.ipc_buffer, kernel.root->ipc_buffer);
    assert_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(DOMAIN0001_configure_copies_each_capability, test_boot),
        cmocka_unit_test_setup(DOMAIN0002_configure_with_empty_slots_clears, test_boot),
        cmocka_unit_test_setup(DOMAIN0003_configure_truncated, test_boot),
        cmocka_unit_test_setup(DOMAIN0004_configure_failed_lookup_names_the_argument, test_boot),
        cmocka_unit_test_setup(DOMAIN0005_configure_wrong_type_names_the_argument, test_boot),
        cmocka_unit_test_setup(DOMAIN0006_fault_endpoint_needs_write, test_boot),
        cmocka_unit_test_setup(DOMAIN0007_revoking_the_sources_empties_the_slots, test_boot),
        cmocka_unit_test_setup(DOMAIN0008_configure_destroys_what_it_replaces, test_boot),
        cmocka_unit_test_setup(DOMAIN0009_root_replacing_its_only_cspace_destroys_itself,
                               test_boot),
        cmocka_unit_test_setup(DOMAIN0010_set_ipc_buffer, test_boot),
        cmocka_unit_test_setup(DOMAIN0011_root_moves_its_ipc_buffer, test_boot),
        cmocka_unit_test_setup(DOMAIN0012_set_ipc_buffer_misaligned, test_boot),
        cmocka_unit_test_setup(DOMAIN0013_set_ipc_buffer_outside_the_frame, test_boot),
        cmocka_unit_test_setup(DOMAIN0014_set_ipc_buffer_needs_a_readable_writable_frame,
                               test_boot),
        cmocka_unit_test_setup(DOMAIN0015_set_ipc_buffer_with_an_empty_slot_clears, test_boot),
        cmocka_unit_test_setup(DOMAIN0016_set_ipc_buffer_truncated_and_failed_lookup, test_boot),
        cmocka_unit_test_setup(DOMAIN0017_revoking_the_frame_removes_the_ipc_buffer, test_boot),
        cmocka_unit_test_setup(DOMAIN0018_unknown_label_is_illegal, test_boot),
        cmocka_unit_test_setup(DOMAIN0019_set_ipc_buffer_refuses_device_frames, test_boot),
        cmocka_unit_test_setup(DOMAIN0020_start_writes_no_memory, test_boot),
        cmocka_unit_test_setup(DOMAIN0021_start_limits_at_their_edges, test_boot),
        cmocka_unit_test_setup(DOMAIN0022_each_domain_reads_its_own_ipc_buffer, test_boot),
    };
    return cmocka_run_group_tests_name("domain", tests, NULL, NULL);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The kernel against the description of every invocation
 * (abi/invocations.py), through the tables the build makes from it in
 * libos/invocations.h: each object type refuses every label the
 * description does not give it, and each operation that takes words
 * refuses a message one word shorter than the description's length. A
 * label or a length that changes in the kernel and not in the description,
 * or the other way round, fails here. The machine has room for a 2 MiB
 * frame, so that both sizes of Frame are asked.
 */
#include <stdbool.h>

#include "objects_support.h"

/* Whether the description gives label to objects of type. */
static bool applies(vesper_word label, enum vesper_object_type type)
{
#define APPLIES(l, t)                                                            \
    if (label == (l) && type == (t))                                             \
        return true;
    VESPER_INVOCATION_TARGETS(APPLIES)
#undef APPLIES
    return false;
}

/* A root slot that holds a capability of `type`, or 0 for an Endpoint:
 * a Call on one is IPC, whatever its label. */
static vesper_word capability_of(enum vesper_object_type type)
{
    switch (type) {
    case VESPER_OBJECT_ENDPOINT: return 0;
    case VESPER_OBJECT_UNTYPED: return largest_untyped();
    case VESPER_OBJECT_CNODE: return ROOT_CNODE;
    case VESPER_OBJECT_IRQ_CONTROL: return VESPER_ROOT_SLOT_IRQ_CONTROL;
    case VESPER_OBJECT_SCHED_CONTROL: return VESPER_ROOT_SLOT_SCHED_CONTROL;
    case VESPER_OBJECT_IRQ_HANDLER: {
        vesper_word slot = next_empty_slot();
        assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_IRQ_CONTROL, irq_control_get, 0, ROOT_CNODE,
                                   slot, 64),
                         VESPER_OK);
        return slot;
    }
    default: return make_object(type, 0);
    }
}

/* Destroy what capability_of() made from the largest Untyped, so that the
 * next type's object (a 2 MiB frame, say) finds room there again. */
static void release_objects(void)
{
    assert_int_equal(revoke_slot(largest_untyped()), VESPER_OK);
}

static void INVOCATIONS0001_each_type_refuses_the_labels_not_described(void **state)
{
    (void)state;
    for (int type = VESPER_OBJECT_UNTYPED; type < VESPER_OBJECT_TYPE_COUNT; type++) {
        vesper_word cptr = capability_of((enum vesper_object_type)type);
        if (cptr == 0)
            continue;
        for (vesper_word label = 0; label <= VESPER_INVOCATION_LABEL_MAX + 1; label++) {
            if (applies(label, (enum vesper_object_type)type))
                continue;
            struct vesper_syscall_frame frame;
            if (test_invoke(&frame, cptr, label, 0, NULL) != VESPER_ERR_ILLEGAL_OPERATION)
                fail_msg("object type %d answers label %lu with error %lu, but "
                         "abi/invocations.py gives it no such operation",
                         type, (unsigned long)label, (unsigned long)frame.arg[0]);
        }
        release_objects();
    }
    assert_invariants();
}

static void INVOCATIONS0002_one_word_short_is_truncated(void **state)
{
    (void)state;
    static const vesper_word zeros[VESPER_INVOCATION_WORDS_MAX];
    static const struct {
        vesper_word label;
        const char *object, *operation;
        unsigned length;
    } invocations[] = {
#define ROW(label, object, operation, length) {label, object, operation, length},
        VESPER_INVOCATIONS(ROW)
#undef ROW
    };
    for (size_t i = 0; i < sizeof invocations / sizeof invocations[0]; i++) {
        if (invocations[i].length == 0)
            continue;
        for (int type = VESPER_OBJECT_UNTYPED; type < VESPER_OBJECT_TYPE_COUNT; type++) {
            if (!applies(invocations[i].label, (enum vesper_object_type)type))
                continue;
            vesper_word cptr = capability_of((enum vesper_object_type)type);
            struct vesper_syscall_frame frame;
            enum vesper_error e = test_invoke(&frame, cptr, invocations[i].label,
                                              invocations[i].length - 1, zeros);
            if (e != VESPER_ERR_TRUNCATED_MESSAGE)
                fail_msg("%s %s with %u words (abi/invocations.py gives %u) answered %u, "
                         "not VESPER_ERR_TRUNCATED_MESSAGE",
                         invocations[i].object, invocations[i].operation,
                         invocations[i].length - 1, invocations[i].length, (unsigned)e);
            release_objects();
        }
    }
    assert_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(INVOCATIONS0001_each_type_refuses_the_labels_not_described,
                               test_boot_large),
        cmocka_unit_test_setup(INVOCATIONS0002_one_word_short_is_truncated, test_boot_large),
    };
    return cmocka_run_group_tests_name("invocations", tests, test_map_large, NULL);
}

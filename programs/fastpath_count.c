/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * fastpath_count: IPC round trips on the fast path between marks, so that
 * an instruction trace of the whole run (QEMU's, on the Pi build) can count
 * the kernel's instructions of one Call + ReplyRecv round trip
 * (tests/bench/rpi3_figures.py).
 *
 * The root, as the client, starts pingpong's server, a child domain that
 * shares its CSpace (one level: every CPtr is read inline) and its PDom.
 * Each message has one word and no capability, and the server waits in
 * ReplyRecv with its Reply object: the conditions of the fast path
 * (docs/ipc.md). A few warm-up Calls come first, so that the server is
 * already blocked in the ReplyRecv that answered one when counting begins.
 * Then fastpath_count_mark() is called three times: window 0 (from the
 * first mark to the second) holds FASTPATH_COUNT_ROUNDS round trips,
 * window 1 (from the second to the third) twice as many. Between two marks
 * the kernel runs only for the Calls and ReplyRecvs (and for any timer
 * interrupt, which the counter tells apart by its vector). Every answer is
 * checked; the program exits 1 on any surprise.
 */
#include "child_domain.h"
#include "programs.h"

#define FASTPATH_COUNT_ROUNDS 64u
#define WARM_UP_CALLS 4u

/* The counter finds this function's first instruction by its symbol. It
 * does nothing, and is never inlined. */
__attribute__((noinline)) void fastpath_count_mark(vesper_word window)
{
    __asm__ volatile("" : : "r"(window) : "memory");
}

/* rounds Calls, each answered with its word plus one: the first one that
 * went wrong, or -1 when all were answered. */
static long round_trips(vesper_cptr endpoint, vesper_word rounds)
{
    for (vesper_word i = 0; i < rounds; i++) {
        struct vesper_message msg = {.tag = vesper_tag(0, 1, 0), .word = {i}};
        if (vesper_ipc_call(endpoint, &msg) != VESPER_OK || vesper_tag_length(msg.tag) != 1 ||
            msg.word[0] != i + 1)
            return (long)i;
    }
    return -1;
}

int fastpath_count_main(const struct vesper_bootinfo *info)
{
    struct carver c;
    vesper_cptr endpoint;
    enum vesper_error error = VESPER_ERR_INVALID_ARGUMENT;
    if (!carver_init(&c, info) || (error = pingpong_start_server(&c, &endpoint)) != VESPER_OK) {
        vesper_print("fastpath-count: cannot ");
        vesper_print(c.failed);
        vesper_print(": ");
        vesper_print(vesper_error_name(error));
        vesper_print("\n");
        return 1;
    }
    long bad = round_trips(endpoint, WARM_UP_CALLS);
    fastpath_count_mark(0);
    if (bad < 0)
        bad = round_trips(endpoint, FASTPATH_COUNT_ROUNDS);
    fastpath_count_mark(1);
    if (bad < 0)
        bad = round_trips(endpoint, 2 * FASTPATH_COUNT_ROUNDS);
    fastpath_count_mark(2);
    if (bad >= 0) {
        vesper_print("fastpath-count: round trip ");
        print_decimal((vesper_word)bad);
        vesper_print(" went wrong\n");
        return 1;
    }
    vesper_print("fastpath-count: ");
    print_decimal(FASTPATH_COUNT_ROUNDS);
    vesper_print(" and ");
    print_decimal(2 * FASTPATH_COUNT_ROUNDS);
    vesper_print(" round trips between the marks\n");
    return 0;
}

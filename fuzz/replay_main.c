/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A plain main() for a fuzz harness: run each input file named on the
 * command line (a directory means every file in it, in name order) through
 * LLVMFuzzerTestOneInput once. This is how corpora replay as regression
 * tests, with any compiler and without libFuzzer.
 *
 * With --decode first, it also prints what each input does, one line per
 * step: who acted, the syscall or exception, its arguments, and what came
 * of it. The lines come from the harness's trace hook (fuzz_harness.h), so
 * they are what ran, not a second reading of the bytes; a crashing input
 * reads as the sequence of syscalls that led to the crash.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libos/invocations.h>
#include <libos/libos.h>
#include <vesper/control.h>
#include <vesper/message.h>
#include <vesper/object.h>

#include "domain.h"
#include "fuzz_harness.h"
#include "host.h"

/* ---- Decoding: names and one line per event -------------------------- */

static const char *syscall_name(uint64_t number)
{
    return vesper_syscall_name(number);
}

static const char *type_name(int type)
{
    static const char *const names[] = {
        "Null",    "Untyped", "CNode", "Domain",    "Endpoint",   "Notification",
        "Reply",   "Frame4K", "Frame2M", "PDom",    "PageTable",  "IRQControl",
        "IRQHandler", "SchedControl", "Zombie"};
    if (type < 0)
        return "(no capability)";
    if ((size_t)type >= sizeof names / sizeof names[0])
        return "(bad type)";
    return names[type];
}

static const char *fault_name(uint64_t kind)
{
    switch (kind) {
    case VESPER_FAULT_UNKNOWN_SYSCALL: return "unknown syscall";
    case VESPER_FAULT_USER_EXCEPTION: return "user exception";
    case VESPER_FAULT_PAGE: return "page fault";
    default: return "fault";
    }
}

static const char *state_name(uint32_t state)
{
    switch (state) {
    case DOMAIN_INACTIVE: return "inactive";
    case DOMAIN_RUNNABLE: return "runnable";
    case DOMAIN_BLOCKED_SEND: return "blocked sending";
    case DOMAIN_BLOCKED_RECV: return "blocked receiving";
    case DOMAIN_BLOCKED_REPLY: return "waiting for a reply";
    case DOMAIN_BLOCKED_NTFN: return "waiting on a notification";
    case DOMAIN_STOPPED: return "stopped";
    default: return "in no known state";
    }
}

/* A word as people read it: small ones in decimal, the rest in hex. */
static void print_word(uint64_t w)
{
    if (w < 4096)
        printf("%" PRIu64, w);
    else
        printf("0x%" PRIx64, w);
}

static void print_words(const uint64_t *words, unsigned count)
{
    putchar('(');
    for (unsigned i = 0; i < count; i++) {
        if (i > 0)
            printf(", ");
        print_word(words[i]);
    }
    putchar(')');
}

/* An invocation of a kernel object: Type[cptr].Operation(words). */
static void print_invocation(const struct fuzz_event *e)
{
    const char *label = vesper_invocation_name(vesper_tag_label(e->arg[1]));
    printf("%s[c", type_name(e->invoked));
    print_word(e->arg[0]);
    if (label != NULL)
        printf("].%s", label);
    else
        printf("].label %" PRIu64, vesper_tag_label(e->arg[1]));
    print_words(e->word, e->words);
}

/* An IPC syscall: the object, the tag, the words and the Reply object. */
static void print_ipc(const struct fuzz_event *e)
{
    printf("%s[c", type_name(e->invoked));
    print_word(e->arg[0]);
    printf("] tag(label %" PRIu64 ", %u words, %u caps) ", vesper_tag_label(e->arg[1]),
           vesper_tag_length(e->arg[1]), vesper_tag_caps(e->arg[1]));
    print_words(e->word, e->words);
    if (e->number == VESPER_SYS_RECV || e->number == VESPER_SYS_NB_RECV ||
        e->number == VESPER_SYS_REPLY_RECV || e->number == VESPER_SYS_CALL) {
        printf(" reply c");
        print_word(e->arg[6]);
    }
}

static void print_syscall(const struct fuzz_event *e)
{
    const char *name = syscall_name(e->number);
    if (name == NULL) {
        printf("syscall %" PRIu64 " (none such) ", e->number);
        print_words(e->arg, VESPER_SYSCALL_ARGS);
        return;
    }
    printf("%s ", name);
    if (e->number == VESPER_SYS_CALL && e->invoked != CAP_ENDPOINT &&
        e->invoked != CAP_NOTIFICATION)
        print_invocation(e);
    else if (e->number <= VESPER_SYS_REPLY)
        print_ipc(e);
    else if (e->number == VESPER_SYS_DEBUG_IDENTIFY)
        printf("%s[c%" PRIu64 "]", type_name(e->invoked), e->arg[0]);
    else if (e->number == VESPER_SYS_EXIT)
        print_words(e->arg, 1);
    else if (e->number == VESPER_SYS_DEBUG_PRINT)
        print_words(e->arg, 2);
}

/* The upcall the kernel (or, at a switch, the harness) made as it gave
 * the next domain the CPU, if any. */
static void print_upcall(const struct fuzz_event *e)
{
    if (e->upcall == VESPER_UPCALL_PREEMPTED)
        printf(", upcalled (preempted)");
    else if (e->upcall == VESPER_UPCALL_SCHEDULE)
        printf(", upcalled (schedule)");
    else if (e->upcall != 0)
        printf(", upcalled (reason %u)", e->upcall);
}

/* Who acted: a domain, or none because the kernel idles or has shut down. */
static void print_actor(const struct fuzz_event *e)
{
    if (e->actor == FUZZ_IDLE)
        printf("(idle) ");
    else if (e->actor < 0)
        printf("(no domain) ");
    else
        printf("d%d ", e->actor);
}

/* What came of it: the actor's result or state, if there was an actor,
 * and who runs next, or whether the kernel idles or shut down. */
static void print_outcome(const struct fuzz_event *e)
{
    bool actor = e->actor >= 0;
    printf(" -> ");
    if (actor && e->state == DOMAIN_RUNNABLE && e->kind == FUZZ_EVENT_SYSCALL) {
        printf("%s", vesper_error_name((enum vesper_error)e->result[0]));
        unsigned shown = VESPER_SYSCALL_ARGS;
        while (shown > 1 && e->result[shown - 1] == 0)
            shown--;
        if (shown > 1) {
            putchar(' ');
            print_words(e->result + 1, shown - 1);
        }
    } else if (actor) {
        printf("%s", state_name(e->state));
    }
    const char *then = actor ? "; " : "";
    if (e->next == FUZZ_NO_DOMAIN)
        printf("%sthe kernel shut down, status %d", then, e->status);
    else if (e->next == FUZZ_IDLE)
        printf("%sthe kernel idles", then);
    else if (e->next != e->actor)
        printf("%sd%d runs", then, e->next);
    print_upcall(e);
}

/* An interrupt entry: the line, and what the kernel made of it. */
static void print_irq(const struct fuzz_event *e)
{
    static const char *const states[] = {
        [FUZZ_LINE_OUT_OF_RANGE] = "no such line, counted",
        [FUZZ_LINE_UNCLAIMED] = "unclaimed, left masked",
        [FUZZ_LINE_UNBOUND] = "masked, pending, no notification bound",
        [FUZZ_LINE_SIGNALLED] = "masked, pending, notification signalled",
    };
    print_actor(e);
    printf("interrupt on line %" PRIu64, e->number);
    if (e->actor != FUZZ_NO_DOMAIN && e->result[0] < sizeof states / sizeof states[0])
        printf(" (%s)", states[e->result[0]]);
    if (e->about >= 0)
        printf(", wakes d%d", e->about);
    print_outcome(e);
    putchar('\n');
}

/* A write to a control block: whose, which field, what value. */
static void print_control(const struct fuzz_event *e)
{
    static const char *const fields[] = {"entry", "stack", "disabled", "event_tail",
                                         "event_head", "flags", "saved context word"};
    printf("d%d writes d%d's control block: ", e->actor, e->about);
    if (e->number == FUZZ_CONTROL_ALL) {
        printf("entry ");
        print_word(e->arg[0]);
        printf(", stack (");
        print_word(e->arg[1]);
        printf(", ");
        print_word(e->arg[2]);
        printf("), enabled, ring empty\n");
        return;
    }
    printf("%s = ", e->number < sizeof fields / sizeof fields[0] ? fields[e->number] : "?");
    if (e->number == FUZZ_CONTROL_STACK || e->number == FUZZ_CONTROL_SAVED_WORD)
        print_words(e->arg, 2);
    else
        print_word(e->arg[0]);
    putchar('\n');
}

static void print_event(const struct fuzz_event *e)
{
    switch (e->kind) {
    case FUZZ_EVENT_INPUT:
        printf("-- set-up done; the input's operations follow --\n");
        break;
    case FUZZ_EVENT_SWITCH:
        printf("switch to d%d", e->next);
        print_upcall(e);
        putchar('\n');
        break;
    case FUZZ_EVENT_CONTROL:
        print_control(e);
        break;
    case FUZZ_EVENT_FASTPATH:
        printf("fast path %s\n", e->number ? "on" : "off");
        break;
    case FUZZ_EVENT_BUFFER:
        printf("d%d IPC buffer: caps ", e->actor);
        print_words(e->arg, 3);
        printf(", receive slot ");
        print_words(e->arg + 3, 3);
        printf(", word %" PRIu64 " = ", e->number);
        print_word(e->arg[6]);
        putchar('\n');
        break;
    case FUZZ_EVENT_TIMER:
        print_actor(e);
        printf("%s", e->actor >= 0 ? "time slice ends" : "timer");
        print_outcome(e);
        putchar('\n');
        break;
    case FUZZ_EVENT_LINE:
        printf("line %" PRIu64 " %s%s\n", e->number, e->arg[0] ? "asserted" : "deasserted",
               e->number < HOST_IRQ_LINES ? "" : " (no such line)");
        break;
    case FUZZ_EVENT_IRQ:
        print_irq(e);
        break;
    case FUZZ_EVENT_NO_WAKEUP:
        print_actor(e);
        printf("no interrupt will come");
        print_outcome(e);
        putchar('\n');
        break;
    case FUZZ_EVENT_EXCEPTION:
        print_actor(e);
        printf("exception: %s (cause %" PRIu64 ", address ", fault_name(e->number), e->arg[0]);
        print_word(e->arg[1]);
        printf(", pc ");
        print_word(e->arg[2]);
        putchar(')');
        print_outcome(e);
        putchar('\n');
        break;
    case FUZZ_EVENT_SYSCALL:
        print_actor(e);
        print_syscall(e);
        print_outcome(e);
        putchar('\n');
        break;
    }
    fflush(stdout); /* a crash must not lose the steps that led to it */
}

/* ---- Replay ------------------------------------------------------------ */

static bool decoding;

static int replay_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        perror(path);
        return -1;
    }
    uint8_t *data = NULL;
    size_t size = 0, capacity = 0;
    for (;;) {
        if (size == capacity) {
            capacity = capacity ? 2 * capacity : 4096;
            uint8_t *grown = realloc(data, capacity);
            if (grown == NULL) {
                fprintf(stderr, "%s: out of memory\n", path);
                free(data);
                fclose(file);
                return -1;
            }
            data = grown;
        }
        size_t n = fread(data + size, 1, capacity - size, file);
        if (n == 0)
            break;
        size += n;
    }
    fclose(file);
    if (decoding)
        printf("== %s (%zu bytes)\n", path, size);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

static int compare_names(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int replay_directory(const char *path, int *count)
{
    struct dirent **entries;
    int n = scandir(path, &entries, NULL, compare_names);
    if (n < 0) {
        perror(path);
        return -1;
    }
    int status = 0;
    for (int i = 0; i < n; i++) {
        if (entries[i]->d_name[0] != '.' && status == 0) {
            char file[4096];
            snprintf(file, sizeof file, "%s/%s", path, entries[i]->d_name);
            status = replay_file(file);
            (*count)++;
        }
        free(entries[i]);
    }
    free(entries);
    return status;
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--decode") == 0) {
        decoding = true;
        fuzz_trace = print_event;
        first = 2;
    }
    if (argc <= first) {
        fprintf(stderr, "Usage: %s [--decode] INPUT_OR_DIRECTORY...\n", argv[0]);
        return 2;
    }
    int count = 0;
    for (int i = first; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        int status = S_ISDIR(st.st_mode) ? replay_directory(argv[i], &count)
                                         : (count++, replay_file(argv[i]));
        if (status != 0)
            return 1;
    }
    printf("replayed %d input(s) without a failure\n", count);
    return count > 0 ? 0 : 1;
}

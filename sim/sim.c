/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * vesper-sim: boot the Vesper kernel over the host HAL and run a root-domain
 * program in it, as the Pi would run its root domain. vesper_sim_main()
 * (<vesper/sim.h>) is the whole command line; main.c gives it the bundled
 * programs, program_main.c a program of the user's own.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <libos/libos.h>
#include <vesper/sim.h>

#include "capview.h"
#include "host.h"
#include "invariants.h"
#include "kernel_trace.h"
#include "trace.h"

#define EXIT_USAGE 2
#define EXIT_INVARIANT 6
_Static_assert(HOST_RUN_STOPPED == 5, "--help gives 5 for a run stopped at --stop-at");

/* The long options that have no letter. */
enum {
    OPTION_SEED = 256,
    OPTION_TRACE,
    OPTION_TRACE_JSON,
    OPTION_TRACE_ONLY,
    OPTION_STOP_AT,
    OPTION_CAPS,
    OPTION_CAPS_DOT,
    OPTION_CHECK_INVARIANTS,
};

/* --check-invariants found one broken. */
static bool invariant_broken;

/* The protection a run gets without --protection: on, so that a domain's
 * touch outside its PDom's grants faults as it would on the Pi. */
#define SIM_PROTECTION_DEFAULT HOST_PROTECTION_ON

/* --protection's words; "on" is the mode chosen by measurement. */
static const struct {
    const char *name;
    enum host_protection mode;
} protection_modes[] = {
    {"off", HOST_PROTECTION_OFF},
    {"eager", HOST_PROTECTION_EAGER},
    {"lazy", HOST_PROTECTION_LAZY},
    {"on", HOST_PROTECTION_ON},
};

#define PROTECTION_MODE_COUNT (sizeof protection_modes / sizeof protection_modes[0])

/* The table vesper_sim_main() was given, and the program chosen from it. */
static const struct vesper_sim_program *programs;
static size_t program_count;
static const struct vesper_sim_program *selected;
/* What --help and every message call the command: the name it was run by,
 * vesper-sim itself or a program of your own built on libvesper-sim-main. */
static const char *command_name = "vesper-sim";

static void sim_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, selected->main);
}

/* The first name of mode in protection_modes. */
static const char *protection_name(enum host_protection mode)
{
    for (size_t i = 0; i < PROTECTION_MODE_COUNT; i++)
        if (protection_modes[i].mode == mode)
            return protection_modes[i].name;
    return "?";
}

static void print_usage(FILE *out)
{
    fprintf(out,
            "Usage: %s [OPTION]...%s\n"
            "Boot the Vesper kernel as a Linux process and run %s as its root\n"
            "domain%s%s%s. The exit status is the root domain's.\n"
            "\n"
            "Options:\n"
            "  -m, --memory=MIB       simulated RAM in MiB, 1 to 4096 (default %zu)\n"
            "  -p, --protection=MODE  make a domain's touch outside its PDom's grants a\n"
            "                         page fault: on (%s), off, eager or lazy\n"
            "                         (default %s)\n"
            "  -i, --input=TEXT       send TEXT to the simulated UART, one byte per kernel\n"
            "                         entry in virtual time (in real time without it, the\n"
            "                         UART reads the terminal)\n"
            "  -f, --input-file=FILE  send the whole of FILE the same way; inputs given\n"
            "                         more than once follow each other in order\n"
            "  -t, --time=CLOCK       virtual (default: %u ns per kernel entry, runs repeat\n"
            "                         exactly) or real (the host's clock; a timer signal\n"
            "                         preempts a domain that never enters the kernel;\n"
            "                         needs protection off or eager; not for the sched-*\n"
           "                         programs, which judge virtual time)\n"
            "      --seed=N           vary each kernel entry's virtual cost by a generator\n"
            "                         seeded with N, so that domains interleave otherwise;\n"
            "                         the same seed gives the same run (default 0: every\n"
            "                         entry costs the same)\n"
            "      --trace=FILE       write every kernel event to FILE as text ('-':\n"
            "                         standard error): syscalls with their decoded\n"
            "                         arguments and results, messages, switches, faults...\n"
            "      --trace-json=FILE  the same as Chrome Trace Event JSON, for the\n"
            "                         Perfetto UI (ui.perfetto.dev)\n"
            "      --trace-only=LIST  write only these categories, comma-separated:\n"
            "                         syscall, ipc, sched, cap, fault, irq (default all)\n"
            "      --stop-at=N        stop after the trace's event N and print the\n"
            "                         domains and what each waits for\n"
            "      --caps=FILE        at the end (or the stop), write each domain's\n"
            "                         CSpace and the derivation tree to FILE ('-': standard\n"
            "                         output)\n"
            "      --caps-dot=FILE    the same as a Graphviz digraph (dot -Tsvg)\n"
            "      --check-invariants check every kernel invariant after every kernel\n"
            "                         entry; stop at the first that breaks\n"
            "  -l, --list             list the programs and exit\n"
            "  -s, --stats            at the end, print on standard error the kernel\n"
            "                         entries by kind (each syscall, each kind of fault,\n"
            "                         timer, interrupts), the switches between domains\n"
            "                         and the time the run took\n"
            "  -h, --help             show this help and exit\n"
            "  -V, --version          show the version and exit\n"
            "\n"
            "The machine has the simulated UART and timer (<vesper/host_devices.h>).\n"
            "\n"
            "Exit status: the root domain's status; 2 for a usage error or a file\n"
            "that cannot be read or written; 3 if no domain was left that could run;\n"
            "4 if the kernel panicked; 5 if the run stopped at --stop-at's event; 6 if\n"
            "--check-invariants found a broken invariant. None is 124, which\n"
            "timeout(1) gives.\n",
            command_name, program_count > 1 ? " [PROGRAM]" : "",
            program_count > 1 ? "PROGRAM" : programs[0].summary,
            program_count > 1 ? " (default: " : "", program_count > 1 ? programs[0].name : "",
            program_count > 1 ? ")" : "", HOST_MEMORY_DEFAULT >> 20, protection_name(HOST_PROTECTION_ON),
            protection_name(SIM_PROTECTION_DEFAULT), HOST_ENTRY_COST_NS);
}

static void print_programs(void)
{
    for (size_t i = 0; i < program_count; i++)
        printf("%-15s %s\n", programs[i].name, programs[i].summary);
}

static const struct vesper_sim_program *find_program(const char *name)
{
    for (size_t i = 0; i < program_count; i++)
        if (strcmp(programs[i].name, name) == 0)
            return &programs[i];
    return NULL;
}

/* Parse a memory size in MiB; returns 0 when it is not a number in range. */
static size_t parse_memory(const char *text)
{
    char *end;
    unsigned long mib = strtoul(text, &end, 10);
    if (end == text || *end != '\0' || mib < 1 || mib > 4096)
        return 0;
    return (size_t)mib << 20;
}

/* Parse a --protection word; returns false when it is none of them. */
static bool parse_protection(const char *text, enum host_protection *mode)
{
    for (size_t i = 0; i < PROTECTION_MODE_COUNT; i++) {
        if (strcmp(protection_modes[i].name, text) == 0) {
            *mode = protection_modes[i].mode;
            return true;
        }
    }
    return false;
}

/* What the UART receives: the --input and --input-file bytes in the
 * order given. */
struct input {
    char *bytes;
    size_t length, capacity;
};

/* Append length bytes to in; false when memory runs out. */
static bool input_append(struct input *in, const char *bytes, size_t length)
{
    if (length == 0)
        return true;
    if (length > in->capacity - in->length) {
        size_t capacity = in->capacity == 0 ? 4096 : in->capacity;
        while (length > capacity - in->length) {
            if (capacity > SIZE_MAX / 2)
                return false;
            capacity *= 2;
        }
        char *grown = realloc(in->bytes, capacity);
        if (grown == NULL)
            return false;
        in->bytes = grown;
        in->capacity = capacity;
    }
    memcpy(in->bytes + in->length, bytes, length);
    in->length += length;
    return true;
}

/* Append the whole of the file at path to in. Returns 0, or the errno of
 * what failed. */
static int input_append_file(struct input *in, const char *path)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return errno;
    char chunk[65536];
    size_t n;
    int status = 0;
    while (status == 0 && (n = fread(chunk, 1, sizeof chunk, file)) > 0)
        if (!input_append(in, chunk, n))
            status = ENOMEM;
    if (status == 0 && ferror(file))
        status = errno != 0 ? errno : EIO;
    fclose(file);
    return status;
}

/* In real time with no --input, the UART listens to the terminal: byte by
 * byte and without the terminal's own echo, since the console driver
 * echoes; the terminal is put back at exit. */
static struct termios terminal_before;

static void terminal_restore(void)
{
    tcsetattr(STDIN_FILENO, TCSANOW, &terminal_before);
}

static void listen_to_stdin(void)
{
    host_uart_input_stdin(true);
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &terminal_before) != 0)
        return;
    struct termios raw = terminal_before;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
        atexit(terminal_restore);
}

static int usage_error(const char *format, const char *what)
{
    fprintf(stderr, "%s: ", command_name);
    fprintf(stderr, format, what);
    fprintf(stderr, "\nTry '%s --help' for more information.\n", command_name);
    return EXIT_USAGE;
}

/* --stats: what the run's kernel entries were, and for each syscall the
 * time its entries took on the run's clock. */
static void print_stats(const struct host_stats *s, enum host_time time)
{
    uint64_t unknown = s->other_syscalls, total = 0;
    fprintf(stderr, "%s: kernel entries                 count    %s ns\n", command_name,
            time == HOST_TIME_REAL ? "   real" : "virtual");
    for (unsigned n = 0; n < HOST_STATS_SYSCALLS; n++) {
        if (s->syscalls[n] == 0)
            continue;
        total += s->syscalls[n];
        if (vesper_syscall_name(n) == NULL)
            unknown += s->syscalls[n];
        else
            fprintf(stderr, "  syscall %-14s %12llu %14llu\n", vesper_syscall_name(n),
                    (unsigned long long)s->syscalls[n], (unsigned long long)s->syscall_ns[n]);
    }
    total += s->other_syscalls;
    if (unknown != 0)
        fprintf(stderr, "  syscall %-14s %12llu\n", "(unknown)", (unsigned long long)unknown);
    fprintf(stderr, "  syscalls in all          %12llu\n", (unsigned long long)total);
    for (unsigned k = 0; k < HOST_STATS_FAULT_KINDS; k++)
        if (s->exceptions[k] != 0)
            fprintf(stderr, "  fault %-16s %12llu\n", sim_fault_name(k),
                    (unsigned long long)s->exceptions[k]);
    fprintf(stderr, "  timer                    %12llu\n", (unsigned long long)s->timer_entries);
    fprintf(stderr, "  interrupts               %12llu\n", (unsigned long long)s->irq_entries);
    fprintf(stderr, "%s: switches between domains %llu\n", command_name,
            (unsigned long long)s->switches);
    const uint64_t *n = sim_trace_counts();
    fprintf(stderr,
            "%s: messages %llu, capabilities passed %llu, signals %llu, upcalls %llu, "
            "faults %llu, retypes %llu, objects ended %llu\n",
            command_name,
            (unsigned long long)n[KERNEL_TRACE_IPC_MESSAGE],
            (unsigned long long)n[KERNEL_TRACE_IPC_TRANSFER],
            (unsigned long long)n[KERNEL_TRACE_IPC_SIGNAL], (unsigned long long)n[KERNEL_TRACE_UPCALL],
            (unsigned long long)n[KERNEL_TRACE_FAULT_TAKEN], (unsigned long long)n[KERNEL_TRACE_RETYPE],
            (unsigned long long)n[KERNEL_TRACE_DESTROY]);
    fprintf(stderr, "%s: %s time at the end: %llu ns\n", command_name,
            time == HOST_TIME_REAL ? "real" : "virtual", (unsigned long long)s->end_ns);
}

/* Everything the command line chose. */
struct sim_options {
    size_t memory;
    enum host_protection protection;
    struct input input;
    enum host_time time;
    bool stats;
    bool check_invariants;
    uint64_t seed;
    const char *trace_path, *json_path, *caps_path, *dot_path;
    unsigned trace_categories;
    uint64_t stop_at;
};

/* A whole decimal number of 64 bits; false when text is not one. */
static bool parse_count(const char *text, uint64_t *value)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(text, &end, 10);
    if (end == text || *end != '\0' || errno != 0 || text[0] == '-')
        return false;
    *value = n;
    return true;
}

/* Open an output file: '-' is the given stream. NULL, with a message,
 * when it cannot be opened. */
static FILE *open_output(const char *path, FILE *dash)
{
    if (strcmp(path, "-") == 0)
        return dash;
    FILE *file = fopen(path, "w");
    if (file == NULL)
        fprintf(stderr, "%s: cannot write '%s': %s\n", command_name, path, strerror(errno));
    return file;
}

static void close_output(FILE *file)
{
    if (file != NULL && file != stdout && file != stderr)
        fclose(file);
    else if (file != NULL)
        fflush(file);
}

/* --check-invariants: the checker after every kernel entry. */
static void check_after_entry(void)
{
    const char *broken = kernel_check_invariants();
    if (broken == NULL)
        return;
    fprintf(stderr, "%s: invariant broken: %s\n", command_name, broken);
    invariant_broken = true;
    host_run_stop();
}

/* One view to path, if the command line asked for it. */
static int write_view(const char *path, void (*write)(FILE *out))
{
    if (path == NULL)
        return 0;
    FILE *out = open_output(path, stdout);
    if (out == NULL)
        return EXIT_USAGE;
    write(out);
    close_output(out);
    return 0;
}

/* --caps and --caps-dot: the capability view, at the end or the stop. */
static int write_capability_views(const struct sim_options *o)
{
    int status = write_view(o->caps_path, sim_capview_text);
    return status != 0 ? status : write_view(o->dot_path, sim_capview_dot);
}

/* Boot the machine the options describe, run the selected program, and
 * say what the options ask for at the end. */
static int run(struct sim_options *o)
{
    struct sim_trace_options trace = {NULL, NULL, o->trace_categories, o->stop_at, o->stats};
    if ((o->trace_path != NULL && (trace.text = open_output(o->trace_path, stderr)) == NULL) ||
        (o->json_path != NULL && (trace.json = open_output(o->json_path, stdout)) == NULL))
        return EXIT_USAGE;
    host_machine_time(o->time);
    host_machine_protection(o->protection);
    host_machine_simulated_devices(true);
    host_machine_seed(o->seed);
    host_uart_input(o->input.bytes, o->input.length);
    if (o->time == HOST_TIME_REAL && o->input.length == 0)
        listen_to_stdin();
    free(o->input.bytes);
    if (host_machine_reset(o->memory, (uintptr_t)sim_root_entry) != 0)
        return 1;
    host_run_after_entry(o->check_invariants ? check_after_entry : NULL);
    sim_trace_start(&trace);
    int status = host_run();
    uint64_t events = sim_trace_finish();
    close_output(trace.text);
    close_output(trace.json);
    if (invariant_broken) {
        status = EXIT_INVARIANT;
    } else if (sim_trace_stopped()) {
        fprintf(stderr, "%s: stopped after event %llu; the domains:\n", command_name,
                (unsigned long long)o->stop_at);
        sim_domains_text(stderr);
    } else if (o->stop_at != 0) {
        fprintf(stderr, "%s: the run ended after %llu events, before event %llu\n",
                command_name, (unsigned long long)events, (unsigned long long)o->stop_at);
    }
    if (o->stats)
        print_stats(host_stats(), o->time);
    int written = write_capability_views(o);
    return written != 0 ? written : status;
}

/* The options that take no part in booting: false after a usage error,
 * with *status set. */
static bool parse_option(int option, struct sim_options *o, char **argv, int *status)
{
    int error;
    switch (option) {
    case 'm':
        o->memory = parse_memory(optarg);
        if (o->memory == 0)
            return *status = usage_error("invalid memory size '%s' (MiB, 1 to 4096)", optarg), false;
        return true;
    case 'p':
        if (!parse_protection(optarg, &o->protection))
            return *status = usage_error("invalid protection '%s' (on, off, eager or lazy)", optarg), false;
        return true;
    case 'i':
        if (!input_append(&o->input, optarg, strlen(optarg))) {
            fprintf(stderr, "%s: no memory for the input\n", command_name);
            return *status = EXIT_USAGE, false;
        }
        return true;
    case 'f':
        if ((error = input_append_file(&o->input, optarg)) != 0) {
            fprintf(stderr, "%s: cannot read input file '%s': %s\n", command_name, optarg,
                    strerror(error));
            return *status = EXIT_USAGE, false;
        }
        return true;
    case 't':
        if (strcmp(optarg, "virtual") == 0)
            o->time = HOST_TIME_VIRTUAL;
        else if (strcmp(optarg, "real") == 0)
            o->time = HOST_TIME_REAL;
        else
            return *status = usage_error("invalid time '%s' (virtual or real)", optarg), false;
        return true;
    case 's': o->stats = true; return true;
    case OPTION_SEED:
        if (!parse_count(optarg, &o->seed))
            return *status = usage_error("invalid seed '%s' (a whole number)", optarg), false;
        return true;
    case OPTION_TRACE: o->trace_path = optarg; return true;
    case OPTION_TRACE_JSON: o->json_path = optarg; return true;
    case OPTION_TRACE_ONLY:
        if (!sim_trace_parse_categories(optarg, &o->trace_categories))
            return *status = usage_error("invalid categories '%s' (syscall, ipc, sched, cap, "
                                         "fault, irq or all, comma-separated)", optarg), false;
        return true;
    case OPTION_STOP_AT:
        if (!parse_count(optarg, &o->stop_at) || o->stop_at == 0)
            return *status = usage_error("invalid event number '%s' (1 or more)", optarg), false;
        return true;
    case OPTION_CAPS: o->caps_path = optarg; return true;
    case OPTION_CAPS_DOT: o->dot_path = optarg; return true;
    case OPTION_CHECK_INVARIANTS: o->check_invariants = true; return true;
    case ':': return *status = usage_error("option '%s' needs an argument", argv[optind - 1]), false;
    default: return *status = usage_error("unknown option '%s'", argv[optind - 1]), false;
    }
}

/* Whether the program suits the clock: a usage error's status, or 0. */
static int check_program_time(const struct sim_options *o, const char *name)
{
    if (o->time == HOST_TIME_REAL && o->protection == HOST_PROTECTION_LAZY)
        return usage_error("%s: real time needs protection off or eager", "--time=real");
    if (selected->time == VESPER_SIM_REAL_TIME_ONLY && o->time != HOST_TIME_REAL)
        return usage_error("program '%s' needs --time=real: in virtual time nothing "
                           "preempts a domain that never enters the kernel", name);
    if (selected->time == VESPER_SIM_VIRTUAL_TIME_ONLY && o->time == HOST_TIME_REAL)
        return usage_error("program '%s' judges its schedule in virtual time: on the host's "
                           "clock the machine's other work decides its deadlines", name);
    return 0;
}

int vesper_sim_main(int argc, char **argv, const struct vesper_sim_program *table,
                    size_t count)
{
    static const struct option options[] = {
        {"memory", required_argument, NULL, 'm'},
        {"protection", required_argument, NULL, 'p'},
        {"input", required_argument, NULL, 'i'},
        {"input-file", required_argument, NULL, 'f'},
        {"time", required_argument, NULL, 't'},
        {"list", no_argument, NULL, 'l'},
        {"stats", no_argument, NULL, 's'},
        {"seed", required_argument, NULL, OPTION_SEED},
        {"trace", required_argument, NULL, OPTION_TRACE},
        {"trace-json", required_argument, NULL, OPTION_TRACE_JSON},
        {"trace-only", required_argument, NULL, OPTION_TRACE_ONLY},
        {"stop-at", required_argument, NULL, OPTION_STOP_AT},
        {"caps", required_argument, NULL, OPTION_CAPS},
        {"caps-dot", required_argument, NULL, OPTION_CAPS_DOT},
        {"check-invariants", no_argument, NULL, OPTION_CHECK_INVARIANTS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    programs = table;
    program_count = count;
    if (argc > 0 && argv[0] != NULL && argv[0][0] != '\0') {
        const char *slash = strrchr(argv[0], '/');
        command_name = slash != NULL ? slash + 1 : argv[0];
    }
    struct sim_options o = {
        .memory = HOST_MEMORY_DEFAULT,
        .protection = SIM_PROTECTION_DEFAULT,
        .time = HOST_TIME_VIRTUAL,
        .trace_categories = KERNEL_TRACE_ALL,
    };
    opterr = 0;
    int option, status = 0;
    while ((option = getopt_long(argc, argv, ":m:p:i:f:t:lshV", options, NULL)) != -1) {
        switch (option) {
        case 'l': print_programs(); return 0;
        case 'h': print_usage(stdout); return 0;
        case 'V': printf("%s (Vesper %s)\n", command_name, VESPER_VERSION_STRING); return 0;
        default:
            if (!parse_option(option, &o, argv, &status))
                return status;
        }
    }
    if (argc - optind > 1)
        return usage_error("too many arguments, starting at '%s'", argv[optind + 1]);
    const char *name = optind < argc ? argv[optind] : programs[0].name;
    selected = find_program(name);
    if (selected == NULL)
        return usage_error("unknown program '%s' (see --list)", name);
    if ((status = check_program_time(&o, name)) != 0)
        return status;
    return run(&o);
}

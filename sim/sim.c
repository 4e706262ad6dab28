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

#include "host.h"
#include <libos/libos.h>
#include <vesper/sim.h>

#define EXIT_USAGE 2

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
            "Usage: vesper-sim [OPTION]... [PROGRAM]\n"
            "Boot the Vesper kernel as a Linux process and run PROGRAM as its root\n"
            "domain (default: %s). The exit status is the root domain's.\n"
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
            "Exit status: the root domain's status; 2 for a usage error or an input\n"
            "file that cannot be read; 3 if no domain was left that could run; 4 if\n"
            "the kernel panicked. None is 124, which timeout(1) gives.\n",
            programs[0].name, HOST_MEMORY_DEFAULT >> 20, protection_name(HOST_PROTECTION_ON),
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
    fprintf(stderr, "vesper-sim: ");
    fprintf(stderr, format, what);
    fprintf(stderr, "\nTry 'vesper-sim --help' for more information.\n");
    return EXIT_USAGE;
}

static const char *fault_name(unsigned kind)
{
    switch (kind) {
    case VESPER_FAULT_UNKNOWN_SYSCALL: return "unknown syscall";
    case VESPER_FAULT_USER_EXCEPTION: return "user exception";
    case VESPER_FAULT_PAGE: return "page fault";
    default: return "other";
    }
}

/* --stats: what the run's kernel entries were. */
static void print_stats(const struct host_stats *s, enum host_time time)
{
    uint64_t unknown = s->other_syscalls, total = 0;
    fprintf(stderr, "vesper-sim: kernel entries\n");
    for (unsigned n = 0; n < HOST_STATS_SYSCALLS; n++) {
        if (s->syscalls[n] == 0)
            continue;
        total += s->syscalls[n];
        if (vesper_syscall_name(n) == NULL)
            unknown += s->syscalls[n];
        else
            fprintf(stderr, "  syscall %-14s %12llu\n", vesper_syscall_name(n),
                    (unsigned long long)s->syscalls[n]);
    }
    total += s->other_syscalls;
    if (unknown != 0)
        fprintf(stderr, "  syscall %-14s %12llu\n", "(unknown)", (unsigned long long)unknown);
    fprintf(stderr, "  syscalls in all          %12llu\n", (unsigned long long)total);
    for (unsigned k = 0; k < HOST_STATS_FAULT_KINDS; k++)
        if (s->exceptions[k] != 0)
            fprintf(stderr, "  fault %-16s %12llu\n", fault_name(k),
                    (unsigned long long)s->exceptions[k]);
    fprintf(stderr, "  timer                    %12llu\n", (unsigned long long)s->timer_entries);
    fprintf(stderr, "  interrupts               %12llu\n", (unsigned long long)s->irq_entries);
    fprintf(stderr, "vesper-sim: switches between domains %llu\n",
            (unsigned long long)s->switches);
    fprintf(stderr, "vesper-sim: %s time at the end: %llu ns\n",
            time == HOST_TIME_REAL ? "real" : "virtual", (unsigned long long)s->end_ns);
}

int vesper_sim_main(int argc, char **argv, const struct vesper_sim_program *table,
                    size_t count)
{
    programs = table;
    program_count = count;
    static const struct option options[] = {
        {"memory", required_argument, NULL, 'm'},
        {"protection", required_argument, NULL, 'p'},
        {"input", required_argument, NULL, 'i'},
        {"input-file", required_argument, NULL, 'f'},
        {"time", required_argument, NULL, 't'},
        {"list", no_argument, NULL, 'l'},
        {"stats", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    size_t memory = HOST_MEMORY_DEFAULT;
    enum host_protection protection = SIM_PROTECTION_DEFAULT;
    struct input input = {NULL, 0, 0};
    enum host_time time = HOST_TIME_VIRTUAL;
    opterr = 0;
    int option, error;
    bool stats = false;
    while ((option = getopt_long(argc, argv, ":m:p:i:f:t:lshV", options, NULL)) != -1) {
        switch (option) {
        case 'm':
            memory = parse_memory(optarg);
            if (memory == 0)
                return usage_error("invalid memory size '%s' (MiB, 1 to 4096)", optarg);
            break;
        case 'p':
            if (!parse_protection(optarg, &protection))
                return usage_error("invalid protection '%s' (on, off, eager or lazy)", optarg);
            break;
        case 'i':
            if (!input_append(&input, optarg, strlen(optarg))) {
                fprintf(stderr, "vesper-sim: no memory for the input\n");
                return EXIT_USAGE;
            }
            break;
        case 'f':
            if ((error = input_append_file(&input, optarg)) != 0) {
                fprintf(stderr, "vesper-sim: cannot read input file '%s': %s\n", optarg,
                        strerror(error));
                return EXIT_USAGE;
            }
            break;
        case 't':
            if (strcmp(optarg, "virtual") == 0)
                time = HOST_TIME_VIRTUAL;
            else if (strcmp(optarg, "real") == 0)
                time = HOST_TIME_REAL;
            else
                return usage_error("invalid time '%s' (virtual or real)", optarg);
            break;
        case 'l': print_programs(); return 0;
        case 's': stats = true; break;
        case 'h': print_usage(stdout); return 0;
        case 'V': printf("vesper-sim %s\n", VESPER_VERSION_STRING); return 0;
        case ':': return usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind > 1)
        return usage_error("too many arguments, starting at '%s'", argv[optind + 1]);
    const char *name = optind < argc ? argv[optind] : programs[0].name;
    selected = find_program(name);
    if (selected == NULL)
        return usage_error("unknown program '%s' (see --list)", name);

    if (time == HOST_TIME_REAL && protection == HOST_PROTECTION_LAZY)
        return usage_error("%s: real time needs protection off or eager", "--time=real");
    if (selected->time == VESPER_SIM_REAL_TIME_ONLY && time != HOST_TIME_REAL)
        return usage_error("program '%s' needs --time=real: in virtual time nothing "
                           "preempts a domain that never enters the kernel", name);
    if (selected->time == VESPER_SIM_VIRTUAL_TIME_ONLY && time == HOST_TIME_REAL)
        return usage_error("program '%s' judges its schedule in virtual time: on the host's "
                           "clock the machine's other work decides its deadlines", name);
    host_machine_time(time);
    host_machine_protection(protection);
    host_machine_simulated_devices(true);
    host_uart_input(input.bytes, input.length);
    if (time == HOST_TIME_REAL && input.length == 0)
        listen_to_stdin();
    free(input.bytes);
    if (host_machine_reset(memory, (uintptr_t)sim_root_entry) != 0)
        return 1;
    int status = host_run();
    if (stats)
        print_stats(host_stats(), time);
    return status;
}

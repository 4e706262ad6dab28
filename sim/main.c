/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * vesper-sim: boot the Vesper kernel over the host HAL and run a root-domain
 * program in it, as the Pi would run its root domain.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "programs.h"

struct program {
    const char *name;
    vesper_main_fn main;
    const char *summary;
};

static const struct program programs[] = {
    {"hello", hello_main, "greet through the debug-print syscall and exit"},
    {"caps", caps_main, "retype, copy, mint, move, revoke and delete capabilities"},
    {"pingpong", pingpong_main, "a client domain makes 1000 Calls to a server domain"},
    {"ipc", ipc_demo_main, "Call/ReplyRecv, notifications, capability transfer, faults"},
};

#define PROGRAM_COUNT (sizeof programs / sizeof programs[0])
#define EXIT_USAGE 2

static const struct program *selected;

static void sim_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, selected->main);
}

static void print_usage(FILE *out)
{
    fprintf(out,
            "Usage: vesper-sim [OPTION]... [PROGRAM]\n"
            "Boot the Vesper kernel as a Linux process and run PROGRAM as its root\n"
            "domain (default: hello). The exit status is the root domain's.\n"
            "\n"
            "Options:\n"
            "  -m, --memory=MIB   simulated RAM in MiB, 1 to 4096 (default %zu)\n"
            "  -l, --list         list the programs and exit\n"
            "  -h, --help         show this help and exit\n"
            "  -V, --version      show the version and exit\n"
            "\n"
            "Exit status: the root domain's status; 2 for a usage error;\n"
            "125 if the kernel panicked.\n",
            HOST_MEMORY_DEFAULT >> 20);
}

static void print_programs(void)
{
    for (size_t i = 0; i < PROGRAM_COUNT; i++)
        printf("%-10s %s\n", programs[i].name, programs[i].summary);
}

static const struct program *find_program(const char *name)
{
    for (size_t i = 0; i < PROGRAM_COUNT; i++)
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

static int usage_error(const char *format, const char *what)
{
    fprintf(stderr, "vesper-sim: ");
    fprintf(stderr, format, what);
    fprintf(stderr, "\nTry 'vesper-sim --help' for more information.\n");
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"memory", required_argument, NULL, 'm'},
        {"list", no_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    size_t memory = HOST_MEMORY_DEFAULT;
    opterr = 0;
    int option;
    while ((option = getopt_long(argc, argv, ":m:lhV", options, NULL)) != -1) {
        switch (option) {
        case 'm':
            memory = parse_memory(optarg);
            if (memory == 0)
                return usage_error("invalid memory size '%s' (MiB, 1 to 4096)", optarg);
            break;
        case 'l': print_programs(); return 0;
        case 'h': print_usage(stdout); return 0;
        case 'V': printf("vesper-sim %s\n", VESPER_VERSION_STRING); return 0;
        case ':': return usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind > 1)
        return usage_error("too many arguments, starting at '%s'", argv[optind + 1]);
    const char *name = optind < argc ? argv[optind] : "hello";
    selected = find_program(name);
    if (selected == NULL)
        return usage_error("unknown program '%s' (see --list)", name);

    if (host_machine_reset(memory, (uintptr_t)sim_root_entry) != 0)
        return 1;
    return host_run();
}

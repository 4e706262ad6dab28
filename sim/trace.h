/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * vesper-sim's trace of kernel events (core/interface/kernel_trace.h): as
 * text, one line per event, and as Chrome Trace Event JSON, which the
 * Perfetto UI opens: each domain a track, IPC as flow arrows, faults and
 * interrupts as instants. Events are numbered from 1 over every category,
 * whichever are written, so that a number means the same event in every
 * run of the same program: --stop-at takes it.
 */
#ifndef VESPER_SIM_TRACE_H
#define VESPER_SIM_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct sim_trace_options {
    FILE *text;          /* the text trace, or NULL */
    FILE *json;          /* the JSON trace, or NULL */
    unsigned categories; /* which to write: a mask of enum kernel_trace_category */
    uint64_t stop_at;    /* stop the run after this event (0: never) */
    bool count;          /* count the events by kind, for --stats */
};

/* How many events of each kind (enum kernel_trace_kind) the run gave,
 * when the options asked to count them. */
#define SIM_TRACE_KINDS 16
const uint64_t *sim_trace_counts(void);

/* Parse a comma-separated list of category names (syscall, ipc, sched,
 * cap, fault, irq, all) into a mask; false when a name is none of them. */
bool sim_trace_parse_categories(const char *list, unsigned *mask);

/* Start numbering and writing events as the options say. */
void sim_trace_start(const struct sim_trace_options *options);

/* Stop: end the JSON document. Returns how many events there were. */
uint64_t sim_trace_finish(void);

/* The name of a fault kind (VESPER_FAULT_*), such as "page fault". */
const char *sim_fault_name(uint64_t kind);

/* Whether the run was stopped at --stop-at's event. */
bool sim_trace_stopped(void);

#endif

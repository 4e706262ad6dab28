/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The names of every invocation and its message words, made from
 * abi/invocations.py (generate.py names), for the trace to decode a Call. */
#ifndef VESPER_SIM_INVOCATION_NAMES_H
#define VESPER_SIM_INVOCATION_NAMES_H

#define INVOCATION_WORDS_MAX 12u

struct invocation_name {
    unsigned label;        /* enum vesper_invocation */
    const char *object;    /* "CNode" */
    const char *operation; /* "Copy" */
    unsigned word_count;
    const char *words[INVOCATION_WORDS_MAX];
};

extern const struct invocation_name invocation_names[];
extern const unsigned invocation_name_count;

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Helpers for root programs that start other domains: choose an Untyped to
 * carve from, make a child domain with its own stack (and IPC buffer) out of
 * it, and print numbers through the debug console.
 *
 * A child domain shares the root's CSpace and protection domain, so every
 * CPtr the root holds means the same to it, and since the address space is
 * single, so does every pointer. Its stack and IPC buffer frames are
 * granted to that PDom (read and write). The child runs entry(arg) on its stack;
 * entry must never return: it ends with vesper_exit(), which stops a
 * non-root domain without shutting the kernel down.
 */
#ifndef VESPER_PROGRAMS_CHILD_DOMAIN_H
#define VESPER_PROGRAMS_CHILD_DOMAIN_H

#include <stdbool.h>

#include <libos/caps.h>
#include <libos/ipc.h>
#include <libos/libos.h>

/* Root CPtrs are slot numbers at full depth (include/vesper/bootinfo.h). */
#define CHILD_ROOT_CNODE VESPER_ROOT_SLOT_CNODE
#define CHILD_ROOT_DEPTH 64u

/* A child's stack: this many 4 KiB frames retyped in one call, which lie
 * next to each other (Retype carves them one after another). */
#define CHILD_STACK_FRAMES 4u
#define CHILD_STACK_SIZE ((vesper_word)CHILD_STACK_FRAMES << VESPER_FRAME_4K_BITS)

/* Where a root program carves objects from and puts their capabilities. */
struct carver {
    vesper_cptr untyped; /* the largest non-device Untyped */
    vesper_cptr next;    /* the next empty slot of the root CNode */
    vesper_cptr end;     /* one past the last slot */
    const char *failed;  /* the step that failed, for the report */
};

/* Start carving: pick the largest Untyped that is not device memory.
 * Returns false if the bootinfo record lists none. */
bool carver_init(struct carver *c, const struct vesper_bootinfo *info);

/* Retype count objects of type (size_bits for the sized ones) into fresh
 * slots; *first receives the first slot. On failure c->failed names step. */
enum vesper_error carve(struct carver *c, const char *step, enum vesper_object_type type,
                        vesper_word size_bits, vesper_word count, vesper_cptr *first);

/* Grant the frame at slot frame to the PDom at slot pdom with rights,
 * carving the PageTables it lacks. On failure c->failed says so. */
enum vesper_error grant_to(struct carver *c, vesper_cptr frame, vesper_cptr pdom,
                           vesper_word rights);

/* count 4 KiB frames from one Retype, so in a row, granted read-write to
 * the PDom at slot pdom: their lowest address, or NULL (c->failed says
 * which step failed). */
void *carve_granted_frames(struct carver *c, vesper_cptr pdom, unsigned count);

/* A Frame of the device page at address, granted read-write to the PDom
 * at slot pdom: found in the device Untyped that covers it and split down
 * to that page (two slots per halving), so no other page of the device
 * region is used. Its slot in *frame. On failure c->failed says which
 * step failed. */
enum vesper_error carve_device_frame(struct carver *c, const struct vesper_bootinfo *info,
                                     vesper_word address, vesper_cptr pdom, vesper_cptr *frame);

/* A child domain, configured but not yet started. */
struct child_domain {
    vesper_cptr domain;     /* its Domain capability */
    vesper_word stack_base; /* lowest address of its CHILD_STACK_SIZE stack */
    vesper_word ipc_buffer; /* address of its IPC buffer, 0 without one */
};

/* Make a child domain: a Domain, its stack frames and, if with_buffer, a
 * frame for its IPC buffer; configure it with the root's CNode and PDom and
 * fault_endpoint (the null slot for none). */
enum vesper_error child_domain_make(struct carver *c, vesper_cptr fault_endpoint,
                                    bool with_buffer, struct child_domain *child);

/* The same in the PDom at slot pdom (a PDom the root holds), to which its
 * stack and IPC buffer are granted. */
enum vesper_error child_domain_make_in(struct carver *c, vesper_cptr pdom,
                                       vesper_cptr fault_endpoint, bool with_buffer,
                                       struct child_domain *child);

/* Start it at entry(arg) on its stack. */
enum vesper_error child_domain_start(const struct child_domain *child,
                                     void (*entry)(vesper_word arg), vesper_word arg);

/* Print a number in decimal, or in hexadecimal with a 0x prefix. */
void print_decimal(vesper_word value);
void print_hex(vesper_word value);

/* Print a time given in nanoseconds as milliseconds with three decimals. */
void print_ms(uint64_t ns);

#endif

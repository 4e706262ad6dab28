/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * PDom identities (docs/objects/pdom.md, "What they will do"). The kernel
 * keeps a table of PDom slots in its own state, fixed at build time (like
 * the interrupt lines: no memory is allocated for it); every PDom occupies
 * one from its Retype until its last capability is deleted, and its
 * capabilities name the slot (the small field) and the slot's generation
 * (word 1). Releasing a slot bumps its generation, so whatever recorded the
 * pair (grants, with protection) can tell at once that the PDom is gone.
 */
#ifndef VESPER_CORE_PDOM_H
#define VESPER_CORE_PDOM_H

#include <stdbool.h>
#include <stdint.h>

#include "cap.h"

/* How many PDoms can exist at once. The small field holds a slot number. */
#define KERNEL_PDOM_SLOTS 64u
_Static_assert(KERNEL_PDOM_SLOTS <= 0x80u, "a slot number fits a capability's small field");

struct pdom_slot {
    uintptr_t table;     /* the PDom's address: its first-level table */
    uint64_t generation; /* bumped each time the slot is released */
    bool used;
};

/* How many slots no PDom holds. */
unsigned pdom_slots_unused(void);

/* The capability of a new PDom at address, in an unused slot. The caller has
 * checked that one is unused (pdom_slots_unused()). */
struct cap pdom_make(uintptr_t address);

/* The last capability to the PDom c names is gone: release its slot. */
void pdom_destroy(struct cap c);

/* The slot a PDom capability names. */
static inline unsigned pdom_slot_of(struct cap c)
{
    return cap_aux(c);
}

#endif

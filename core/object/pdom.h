/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * PDom identities (docs/objects/pdom.md, "What they will do"). The kernel
 * keeps a fixed table of PDom slots in its own state; every PDom occupies
 * one from its Retype until its last capability is deleted, and its
 * capabilities name the slot (the small field) and the slot's generation
 * (word 1). Freeing a slot bumps its generation, so whatever recorded the
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
    uint64_t generation; /* bumped each time the slot is freed */
    bool used;
};

/* How many slots are free. */
unsigned pdom_slots_free(void);

/* The capability of a new PDom at address, in a free slot. The caller has
 * checked that one is free (pdom_slots_free()). */
struct cap pdom_make(uintptr_t address);

/* The last capability to the PDom c names is gone: free its slot. */
void pdom_destroy(struct cap c);

/* The slot a PDom capability names. */
static inline unsigned pdom_slot_of(struct cap c)
{
    return cap_aux(c);
}

#endif

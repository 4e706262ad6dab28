/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The capability view: a read-only walk over what the kernel holds, as
 * plain data for a formatter on the host (vesper-sim's --caps, the unit
 * tests). It lists the live domains, the derivation tree in depth-first
 * order, a domain's CSpace as the CPtrs that reach each slot, and the
 * domains queued on an Endpoint or Notification.
 *
 * It changes nothing. It may be called between kernel entries and after
 * shutdown, when the objects of the last run are still in memory, and it
 * copes with zombies and stopped domains. Addresses are as domains see
 * them (hal_user_address). Like the invariant checker it is linked only
 * into tests, fuzzers and vesper-sim, never into a kernel image.
 */
#ifndef VESPER_CORE_VIEW_H
#define VESPER_CORE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap.h"
#include "domain.h"

/* Where a slot lies. */
enum view_place {
    VIEW_PLACE_CNODE,  /* in a CNode (or one a zombie is emptying) */
    VIEW_PLACE_DOMAIN, /* among a Domain's own slots (enum domain_slot) */
    VIEW_PLACE_IRQ,    /* an interrupt line's notification binding, in the kernel */
    VIEW_PLACE_UNKNOWN,
};

/* One capability and its slot. Fields that a type does not have are 0. */
struct view_cap {
    enum cap_type type;
    unsigned rights;      /* VESPER_RIGHT_* bits */
    uintptr_t object;     /* what it names; 0 for types without memory */
    unsigned object_bits; /* log2 of the object's size; 0 without memory */
    /* Its slot: the slot's address (0 for a binding, which lies in the
     * kernel's state), what holds it and at which index (the line, for a
     * binding). */
    uintptr_t slot;
    enum view_place place;
    uintptr_t container;
    unsigned index;
    bool revocable;       /* it may have children in the derivation tree */
    /* view_derivations(): 0 for a capability without a parent. */
    unsigned tree_depth;
    /* view_cspace(): the CPtr that names the slot with exactly cptr_bits
     * bits (cspace_lookup_slot's index and depth), the CNode level (0 for
     * the root CNode's slots), and, for a CNode capability, whether the
     * CNode was listed already (an ancestor or an earlier path), so that
     * its slots are not listed again. */
    uint64_t cptr;
    unsigned cptr_bits;
    unsigned cspace_level;
    bool revisit;
    /* Per type. */
    uint64_t badge;       /* Endpoint, Notification */
    uint64_t guard;       /* CNode */
    unsigned guard_bits;  /* CNode */
    unsigned radix;       /* CNode, and a zombie emptying one */
    uint64_t watermark;   /* Untyped */
    bool device;          /* Untyped, Frame */
    unsigned line;        /* IRQHandler */
};

/* One live domain. */
struct view_domain {
    uintptr_t address;
    enum domain_state state;
    uintptr_t waits_on;   /* the Endpoint or Notification it is queued on, or 0 */
    uintptr_t reply;      /* the Reply it offers while receiving, or that names it
                           * while it waits for an answer; 0 for none */
    uintptr_t bound;      /* its bound Notification, or 0 */
    uintptr_t cspace;     /* the CNode in its CSpace slot, or 0 */
    uintptr_t pdom;       /* the PDom in its PDom slot, or 0 */
    uintptr_t fault_endpoint; /* the Endpoint in its fault slot, or 0 */
    bool current;         /* on the CPU */
    bool root;            /* the root domain */
    int exit_status;      /* when stopped */
};

/* How deep view_derivations() follows the tree: a deeper capability is
 * given this depth. Each level is an Untyped inside another, an object, or
 * a badged or IRQHandler capability, so real trees stay far shallower. */
#define VIEW_TREE_DEPTH_MAX 128u

typedef void view_cap_fn(const struct view_cap *cap, void *arg);
typedef void view_domain_fn(const struct view_domain *domain, void *arg);

/* Every capability on the derivation list, in its depth-first order, with
 * its depth in the tree. Returns how many were visited. */
size_t view_derivations(view_cap_fn *visit, void *arg);

/* Each live object of `type` once: the first capability to it on the
 * derivation list (all capabilities to one object lie together there).
 * Returns how many. */
size_t view_objects(enum cap_type type, view_cap_fn *visit, void *arg);

/* Every live domain, in the order of the derivation list. */
size_t view_domains(view_domain_fn *visit, void *arg);

/* The non-empty slots of the CSpace of the live domain at `domain`, in
 * the order of their CPtrs within each CNode, a CNode's capability before
 * the slots it leads to. A CNode is walked only where CPtr bits are left
 * for its guard and radix, and only once, whatever cycles the CNodes
 * make. Returns how many slots were visited: 0 as well when `domain` is
 * not a live domain or its CSpace slot holds no CNode. */
size_t view_cspace(uintptr_t domain, view_cap_fn *visit, void *arg);

/* The domains queued on the live Endpoint or Notification at `object`,
 * first to last. Returns how many (0 for anything else). */
size_t view_queue(uintptr_t object, view_domain_fn *visit, void *arg);

/* The name of a type as the documents write it ("Endpoint", "Zombie"). */
const char *view_type_name(enum cap_type type);

/* A domain state in a few words ("waits to receive"). */
const char *view_state_name(enum domain_state state);

/* The rights as four letters, '-' for one missing: R (read), W (write),
 * G (grant; X, execute, for a Frame), P (grant-reply). */
void view_rights_text(const struct view_cap *cap, char text[5]);

#endif

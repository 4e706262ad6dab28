/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * What differs between object types, in one place (objecttype.c): every
 * switch on a capability's type that the object model needs lives there,
 * and the rest of the core asks these functions instead of testing types
 * itself. Adding an object type means this file's switches, the type's own
 * file and the ABI header (docs/architecture.md, "Adding an object type").
 *
 * Five capability predicates are declared in cap.h, next to the capability
 * format, and defined in objecttype.c too: cap_object_bits, cap_has_memory,
 * cap_same_region, cap_same_object and cap_is_revocable.
 */
#ifndef VESPER_CORE_OBJECTTYPE_H
#define VESPER_CORE_OBJECTTYPE_H

#include <stdbool.h>
#include <stdint.h>

#include "cap.h"
#include "invoke.h"

/* ---- Capabilities ------------------------------------------------------- */

/* Whether capabilities of this type carry a badge (Mint sets it once; a
 * newly badged capability starts a subtree of its own). */
bool cap_type_is_badged(enum cap_type type);

/* Whether a capability may be copied: by CNode Copy and Mint, and in an IPC
 * message. Untyped (one capability per region keeps its watermark honest),
 * Reply (one-shot), IRQControl (unique), and empty or zombie slots never
 * are. */
bool cap_is_copyable(struct cap c);

/* The capability Copy or Mint derives from src, with its rights cut to
 * `rights`. Returns false when src may not be copied. */
bool cap_derive(struct cap src, unsigned rights, struct cap *out);

/* What a new copy of c starts as, however it is made (Copy, Mint, an IPC
 * transfer, a domain's slot): c without what c alone did, which for a
 * Frame is its grant and for a PageTable its installation. */
struct cap cap_as_copy(struct cap c);

enum cap_data_update { CAP_DATA_BAD_GUARD, CAP_DATA_ILLEGAL, CAP_DATA_OK };

/* Apply Mint or Mutate data to *cap: a badge for an unbadged Endpoint or
 * Notification (Mint only: a badge is set once), a guard for a CNode;
 * other types ignore it. *cap is changed only with CAP_DATA_OK. */
enum cap_data_update cap_update_data(struct cap *cap, vesper_word data, bool mutate);

/* ---- Objects ------------------------------------------------------------ */

/* Whether objects of this type begin with a struct object_header
 * (objects.h): the ones the kernel keeps state in. */
bool object_type_has_header(enum cap_type type);

/* Whether an object of this type holds capabilities of its own (a CNode's
 * slots, a Domain's), which deleting its last capability must empty first,
 * preemptibly, through a zombie (delete.c). */
bool object_type_is_container(enum cap_type type);

/* The last capability to a container is being deleted: stop what the
 * container does (a Domain never runs again and nobody waits on it) and
 * return the small field of the zombie that replaces the capability while
 * the container's slots are emptied: ZOMBIE_DOMAIN, or a CNode's radix. */
unsigned object_container_zombie(struct cap c);

/* The slots of the container a zombie capability names, and how many. */
struct cte *object_container_slots(struct cap zombie, unsigned *count);

/* A capability is being deleted (any one, not only the last): undo what
 * it alone did, which for a Frame is its grant and for a PageTable its
 * installation. */
void object_cap_removed(struct cap c);

/* Destroy what the last capability to an object without contents names:
 * cancel whoever waits on it and clear its header. */
void object_finalise(struct cap c);

/* Before that, one step at a time (preempt.h): cancel the first domain
 * queued on the Endpoint or Notification c names, if any. Whether one was
 * cancelled; false for every other type. */
bool object_cancel_first_waiter(struct cap c);

/* ---- Retype ------------------------------------------------------------- */

/* Whether Retype may make objects of the ABI type `type`. */
bool object_type_is_retypable(vesper_word type);

/* Whether Retype may carve this type from device memory: Untyped and
 * Frames only, which the kernel never reads or writes. */
bool object_type_fits_device(enum cap_type type);

/* The log2 size of one new object of `type` and the new capabilities'
 * small field, for Retype's size argument; a RANGE error for a size the
 * type does not accept. */
struct syscall_result object_type_size(enum cap_type type, vesper_word size_arg,
                                       unsigned *bits, unsigned *aux);

/* Whether `count` more objects of this type may exist: a RANGE error (1 and
 * the most that may) when a kernel table they need is short: PDoms each
 * take one of the kernel's PDom slots (pdom.h). */
struct syscall_result object_type_can_make(enum cap_type type, unsigned count);

/* The capability for a new object at address, as Retype makes it from an
 * Untyped (device or not) with the small field object_type_size gave. A
 * PDom's takes a PDom slot (object_type_can_make() said one is unused). */
struct cap object_new_cap(enum cap_type type, unsigned aux, bool device, uintptr_t address);

/* ---- Invocations -------------------------------------------------------- */

/* Decode and perform an invocation of the capability in inv->slot: the
 * decoder of its type, or ILLEGAL_OPERATION for types with none. */
struct syscall_result object_decode_invocation(const struct invocation *inv);

#endif

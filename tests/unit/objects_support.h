/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Helpers for the object-model unit tests (Untyped, deletion, Domain, IRQ,
 * Frame, invariants): making objects by Retype into the root CNode,
 * copying, moving, deleting and revoking capabilities there, and reading
 * back what the kernel holds. Every helper goes through the syscall entry
 * exactly as user code would; only the read-back helpers look at kernel
 * state directly.
 */
#ifndef VESPER_TESTS_OBJECTS_SUPPORT_H
#define VESPER_TESTS_OBJECTS_SUPPORT_H

#include <vesper/object.h>

#include "cap.h"
#include "cspace.h"
#include "support.h"

/* The root CNode's capability, as a CPtr. */
#define ROOT_CNODE VESPER_ROOT_SLOT_CNODE

/* The capability in root slot `slot`. */
struct cap slot_cap(vesper_word slot);

/* The root slot of the boot Untyped of exactly 2^bits bytes, or 0 when
 * boot made none of that size. */
vesper_word untyped_of_bits(unsigned bits);

/* The root slot of the largest boot Untyped of RAM (libos/bootinfo.h). */
vesper_word largest_untyped(void);

/* The first empty root slot from test_first_empty() on. */
vesper_word next_empty_slot(void);

/* Retype(type, size_bits) from the Untyped at untyped into `count` root
 * slots from dest. Returns the error; frame (if not NULL) gets all words. */
enum vesper_error retype_into(struct vesper_syscall_frame *frame, vesper_word untyped,
                              vesper_word type, vesper_word size_bits, vesper_word dest,
                              vesper_word count);

/* One object from the Untyped at untyped into the next empty root slot;
 * fails the test unless the Retype succeeds. Returns the slot. */
vesper_word make_object_from(vesper_word untyped, vesper_word type, vesper_word size_bits);

/* The same from the largest boot Untyped. */
vesper_word make_object(vesper_word type, vesper_word size_bits);

/* A device Untyped of 2^bits bytes in the next empty root slot. The test
 * machine has no device region (only the fuzzers' machines have one: see
 * host_machine_devices()), so this retypes an ordinary child
 * Untyped from the largest one and sets the device bit of its capability,
 * which is all that marks one: it stays a proper child in the derivation
 * tree, over memory nothing else uses. Returns the slot. */
vesper_word make_device_untyped(unsigned bits);

/* Copy the capability in root slot src, with rights cut to `rights`, into
 * the next empty root slot; fails the test unless it succeeds. Returns the
 * new slot. */
vesper_word copy_cap(vesper_word src, vesper_word rights);

/* A new Notification (from untyped, or the largest Untyped when it is 0)
 * whose one capability carries badge 1, as an IRQHandler binding needs
 * (docs/objects/irq.md): its slot. */
vesper_word make_irq_notification_from(vesper_word untyped);
vesper_word make_irq_notification(void);

/* Move the capability in root slot src into slot `index` of the CNode
 * whose capability is in root slot cnode (radix bits of depth, no guard).
 * Fails the test unless it succeeds. */
void move_into_cnode(vesper_word cnode, unsigned radix, vesper_word index, vesper_word src);

/* Delete or Revoke root slot `slot` through the root CNode. */
enum vesper_error delete_slot(vesper_word slot);
enum vesper_error revoke_slot(vesper_word slot);

/* The header type word of the object a capability names (types with a
 * header only): its cap type while alive, 0 once destroyed. */
uint32_t header_type(struct cap cap);

/* The kernel's view of n bytes of the object a capability names. */
void *object_bytes(struct cap cap);

/* Fill the whole region of the Untyped in root slot `untyped`, which has
 * no children, with `byte`, and put its watermark at the end: the state
 * objects that used all of it and are gone leave. */
void fill_untyped(vesper_word untyped, unsigned char byte);

/* Whether n bytes at p are all zero. */
bool all_zero(const void *p, size_t n);

/* Install new PageTables in the PDom at root slot pdom until it has every
 * level for address. */
void install_tables(vesper_word pdom, vesper_word address);

/* Grant the frame at root slot frame to the PDom at root slot pdom with
 * rights, installing the PageTables the grant says are missing. */
void grant_frame(vesper_word frame, vesper_word pdom, vesper_word rights);

/* Assert the words of an error reply: error and result words 1-3. */
void assert_error_words(const struct vesper_syscall_frame *frame, enum vesper_error error,
                        vesper_word w1, vesper_word w2, vesper_word w3);

#endif

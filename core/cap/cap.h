/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Capabilities and the slots that hold them.
 *
 * A capability is two words:
 *   word 0: bits 0-47 the object's address in the single address space,
 *           bits 48-52 the type, 53-56 the rights, 57-63 a small
 *           type-specific field ("aux");
 *   word 1: a type-specific word.
 * Per type:
 *   Untyped       aux = size bits | device << 6; word 1 = watermark (bytes
 *                 used from the start of the region)
 *   CNode         aux = radix; word 1 = guard << 6 | guard size
 *   Endpoint,
 *   Notification  word 1 = badge (0: none)
 *   Frame         aux bit 0 = device memory; word 1 = the grant this
 *                 capability made (0: none): rights in bits 0-2, the PDom
 *                 slot in bits 4-10, its generation from bit 12
 *   PageTable     aux = the level it is installed at (1-3; 0: not
 *                 installed); word 1 = where: the base address >> 12 in
 *                 bits 0-35, the PDom slot in bits 36-42, the low 21 bits
 *                 of its generation from bit 43
 *   PDom          aux = its slot; word 1 = the slot's generation
 *   IRQHandler    no address; word 1 = the interrupt line
 *   Zombie        (made by the kernel only: a container being emptied) aux =
 *                 radix of the CNode, or ZOMBIE_DOMAIN; rights bit 0 = the
 *                 bottom of its deletion's stack; word 1 = the link to the
 *                 next zombie on that stack and how far its container has
 *                 been scanned (delete.c)
 * A slot (struct cte) is the capability and its links in the derivation
 * tree: 32 bytes.
 */
#ifndef VESPER_CORE_CAP_H
#define VESPER_CORE_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vesper/object.h>

enum cap_type {
    CAP_NULL = VESPER_OBJECT_NULL,
    CAP_UNTYPED = VESPER_OBJECT_UNTYPED,
    CAP_CNODE = VESPER_OBJECT_CNODE,
    CAP_DOMAIN = VESPER_OBJECT_DOMAIN,
    CAP_ENDPOINT = VESPER_OBJECT_ENDPOINT,
    CAP_NOTIFICATION = VESPER_OBJECT_NOTIFICATION,
    CAP_REPLY = VESPER_OBJECT_REPLY,
    CAP_FRAME_4K = VESPER_OBJECT_FRAME_4K,
    CAP_FRAME_2M = VESPER_OBJECT_FRAME_2M,
    CAP_PDOM = VESPER_OBJECT_PDOM,
    CAP_PAGE_TABLE = VESPER_OBJECT_PAGE_TABLE,
    CAP_IRQ_CONTROL = VESPER_OBJECT_IRQ_CONTROL,
    CAP_IRQ_HANDLER = VESPER_OBJECT_IRQ_HANDLER,
    CAP_SCHED_CONTROL = VESPER_OBJECT_SCHED_CONTROL,
    CAP_ZOMBIE = 14,
};

#define CAP_TYPE_COUNT 15
#define ZOMBIE_DOMAIN 0x7fu

struct cap {
    uint64_t word0;
    uint64_t word1;
};

#define CAP_ADDRESS_MASK ((UINT64_C(1) << 48) - 1)

static inline struct cap cap_make(enum cap_type type, uintptr_t address,
                                  unsigned rights, unsigned aux, uint64_t word1)
{
    struct cap c;
    c.word0 = ((uint64_t)address & CAP_ADDRESS_MASK) | (uint64_t)type << 48 |
              (uint64_t)(rights & 0xfu) << 53 | (uint64_t)(aux & 0x7fu) << 57;
    c.word1 = word1;
    return c;
}

static inline struct cap cap_null(void)
{
    struct cap c = {0, 0};
    return c;
}

static inline enum cap_type cap_type(struct cap c)
{
    return (enum cap_type)((c.word0 >> 48) & 0x1fu);
}

static inline bool cap_is_null(struct cap c)
{
    return cap_type(c) == CAP_NULL;
}

static inline uintptr_t cap_address(struct cap c)
{
    return (uintptr_t)(c.word0 & CAP_ADDRESS_MASK);
}

static inline unsigned cap_rights(struct cap c)
{
    return (unsigned)(c.word0 >> 53) & 0xfu;
}

static inline unsigned cap_aux(struct cap c)
{
    return (unsigned)(c.word0 >> 57) & 0x7fu;
}

static inline struct cap cap_with_rights(struct cap c, unsigned rights)
{
    c.word0 = (c.word0 & ~(UINT64_C(0xf) << 53)) | (uint64_t)(rights & 0xfu) << 53;
    return c;
}

/* Untyped. */
static inline unsigned untyped_size_bits(struct cap c) { return cap_aux(c) & 0x3fu; }
static inline bool untyped_is_device(struct cap c) { return (cap_aux(c) >> 6) & 1u; }
static inline uint64_t untyped_watermark(struct cap c) { return c.word1; }

/* CNode. */
static inline unsigned cnode_radix(struct cap c) { return cap_aux(c) & 0x3fu; }
static inline unsigned cnode_guard_size(struct cap c) { return (unsigned)(c.word1 & 0x3fu); }
static inline uint64_t cnode_guard(struct cap c) { return c.word1 >> 6; }

/* Endpoint and Notification. */
static inline uint64_t cap_badge(struct cap c) { return c.word1; }

/* Frame. */
static inline bool frame_is_device(struct cap c) { return cap_aux(c) & 1u; }

/* Frame grants (docs/objects/pdom.md). Copies start with no grant. */
#define FRAME_GRANT_GENERATION_BITS 52u
static inline unsigned frame_grant_rights(struct cap c) { return (unsigned)(c.word1 & 7u); }
static inline unsigned frame_grant_slot(struct cap c) { return (unsigned)(c.word1 >> 4) & 0x7fu; }
static inline uint64_t frame_grant_generation(struct cap c) { return c.word1 >> 12; }
static inline uint64_t frame_grant_record(unsigned rights, unsigned slot, uint64_t generation)
{
    return generation << 12 | (uint64_t)(slot & 0x7fu) << 4 | (rights & 7u);
}

/* PageTable installations. Copies start not installed. */
#define PAGE_TABLE_GENERATION_BITS 21u
static inline unsigned page_table_level(struct cap c) { return cap_aux(c) & 3u; }
static inline uintptr_t page_table_base(struct cap c)
{
    return (uintptr_t)(c.word1 & ((UINT64_C(1) << 36) - 1)) << 12;
}
static inline unsigned page_table_slot(struct cap c) { return (unsigned)(c.word1 >> 36) & 0x7fu; }
static inline uint64_t page_table_generation(struct cap c) { return c.word1 >> 43; }
static inline struct cap page_table_installed(struct cap c, unsigned level, uintptr_t base,
                                              unsigned slot, uint64_t generation)
{
    struct cap out = cap_make(CAP_PAGE_TABLE, cap_address(c), cap_rights(c), level, 0);
    out.word1 = ((uint64_t)base >> 12) | (uint64_t)(slot & 0x7fu) << 36 | generation << 43;
    return out;
}

/* IRQHandler. */
static inline unsigned irq_handler_line(struct cap c) { return (unsigned)c.word1; }

/* The derivation-tree links of a slot. `prev` and `next` are kernel
 * pointers to slots (or 0); the low bits of `next` carry the flags, as
 * slots are 32-byte aligned. */
struct mdb {
    uintptr_t prev;
    uintptr_t next;
};

#define MDB_REVOCABLE 1u
#define MDB_FIRST_BADGED 2u
#define MDB_FLAGS 3u

struct cte {
    struct cap cap;
    struct mdb mdb;
};

_Static_assert(sizeof(struct cte) == (1u << VESPER_SLOT_BITS), "a slot is 32 bytes");

/* The five predicates below depend on the capability's type; they are
 * defined with every other per-type switch in object/objecttype.c. */

/* The log2 size of the memory an object of this capability occupies, or 0
 * for capabilities that name no memory. */
unsigned cap_object_bits(struct cap c);

/* Whether the capability names memory (an object or an Untyped region). */
bool cap_has_memory(struct cap c);

/* seL4's sameRegionAs: b names memory or authority inside what a names
 * (for Untyped: inside its region; otherwise the same object). */
bool cap_same_region(struct cap a, struct cap b);

/* seL4's sameObjectAs: a and b name the same object. */
bool cap_same_object(struct cap a, struct cap b);

/* Whether a new capability derived from src is revocable: it starts a
 * subtree of its own (a newly badged Endpoint or Notification, an Untyped,
 * an IRQHandler made from IRQControl). */
bool cap_is_revocable(struct cap derived, struct cap src);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Making child domains and printing numbers for root programs (see child_domain.h). */
#include <stdint.h>

#include <libos/bootinfo.h>

#include "child_domain.h"

#define RW_RIGHTS (VESPER_FRAME_READ | VESPER_FRAME_WRITE)

bool carver_init(struct carver *c, const struct vesper_bootinfo *info)
{
    vesper_word best = vesper_largest_ram_untyped(info);
    *c = (struct carver){
        .untyped = info->untyped_first + best,
        .next = info->empty_first,
        .end = info->empty_end,
    };
    if (best == info->untyped_count) {
        c->failed = "find a RAM Untyped";
        return false;
    }
    return true;
}

enum vesper_error carve(struct carver *c, const char *step, enum vesper_object_type type,
                        vesper_word size_bits, vesper_word count, vesper_cptr *first)
{
    enum vesper_error error = VESPER_ERR_RANGE;
    if (count <= c->end - c->next)
        error = vesper_untyped_retype(c->untyped, type, size_bits, CHILD_ROOT_CNODE, 0, 0,
                                      c->next, count);
    if (error != VESPER_OK) {
        c->failed = step;
        return error;
    }
    *first = c->next;
    c->next += count;
    return VESPER_OK;
}

static enum vesper_error carve_table(void *context, vesper_cptr *table)
{
    return carve(context, "retype a PageTable", VESPER_OBJECT_PAGE_TABLE, 0, 1, table);
}

enum vesper_error grant_to(struct carver *c, vesper_cptr frame, vesper_cptr pdom,
                           vesper_word rights)
{
    enum vesper_error error = vesper_frame_grant_with_tables(frame, pdom, rights, carve_table, c);
    if (error != VESPER_OK && c->failed == NULL)
        c->failed = "grant a frame to a PDom";
    return error;
}

void *carve_granted_frames(struct carver *c, vesper_cptr pdom, unsigned count)
{
    vesper_cptr first;
    struct vesper_frame_info info;
    if (carve(c, "retype frames", VESPER_OBJECT_FRAME_4K, 0, count, &first) != VESPER_OK ||
        vesper_frame_get_address(first, &info) != VESPER_OK)
        return NULL;
    for (vesper_cptr f = first; f < first + count; f++)
        if (grant_to(c, f, pdom, VESPER_FRAME_READ | VESPER_FRAME_WRITE) != VESPER_OK)
            return NULL;
    return (void *)(uintptr_t)info.address;
}

/* Retype count objects of type from the Untyped at slot untyped into fresh
 * slots of the root CNode: the first in *first. */
static enum vesper_error retype_from(struct carver *c, vesper_cptr untyped,
                                     enum vesper_object_type type, vesper_word size_bits,
                                     vesper_word count, vesper_cptr *first)
{
    if (count > c->end - c->next) {
        c->failed = "find room in the root CNode";
        return VESPER_ERR_RANGE;
    }
    enum vesper_error error = vesper_untyped_retype(untyped, type, size_bits, CHILD_ROOT_CNODE,
                                                    0, 0, c->next, count);
    if (error != VESPER_OK) {
        c->failed = "split a device Untyped";
        return error;
    }
    *first = c->next;
    c->next += count;
    return VESPER_OK;
}

enum vesper_error carve_device_frame(struct carver *c, const struct vesper_bootinfo *info,
                                     vesper_word address, vesper_cptr pdom, vesper_cptr *frame)
{
    vesper_word i = 0;
    while (i < info->untyped_count &&
           !(info->untyped[i].device && address >= info->untyped[i].base &&
             address - info->untyped[i].base < ((vesper_word)1 << info->untyped[i].size_bits)))
        i++;
    if (i == info->untyped_count) {
        c->failed = "find the device Untyped of the page";
        return VESPER_ERR_INVALID_ADDRESS;
    }
    vesper_cptr untyped = info->untyped_first + i;
    vesper_word base = info->untyped[i].base;
    enum vesper_error error = VESPER_OK;
    for (vesper_word bits = info->untyped[i].size_bits;
         bits > VESPER_FRAME_4K_BITS && error == VESPER_OK; bits--) {
        vesper_cptr halves;
        error = retype_from(c, untyped, VESPER_OBJECT_UNTYPED, bits - 1, 2, &halves);
        vesper_word half = (vesper_word)1 << (bits - 1);
        bool upper = address - base >= half;
        untyped = halves + upper;
        base += upper ? half : 0;
    }
    if (error == VESPER_OK)
        error = retype_from(c, untyped, VESPER_OBJECT_FRAME_4K, 0, 1, frame);
    if (error == VESPER_OK)
        error = grant_to(c, *frame, pdom, VESPER_FRAME_READ | VESPER_FRAME_WRITE);
    return error;
}

/* The address of the frame at slot, or 0 (with c->failed set). */
static vesper_word frame_address(struct carver *c, vesper_cptr frame, const char *step,
                                 enum vesper_error *error)
{
    struct vesper_frame_info info = {0};
    *error = vesper_frame_get_address(frame, &info);
    if (*error != VESPER_OK) {
        c->failed = step;
        return 0;
    }
    return info.address;
}

static enum vesper_error failed(struct carver *c, const char *step, enum vesper_error error)
{
    if (error != VESPER_OK)
        c->failed = step;
    return error;
}

/* The stack: CHILD_STACK_FRAMES frames from one Retype, checked to be one
 * range (the first frame's base, the last one right below the top). */
static enum vesper_error make_stack(struct carver *c, vesper_cptr pdom, struct child_domain *child)
{
    vesper_cptr first;
    enum vesper_error error = carve(c, "retype the stack frames", VESPER_OBJECT_FRAME_4K, 0,
                                    CHILD_STACK_FRAMES, &first);
    if (error != VESPER_OK)
        return error;
    for (vesper_word i = 0; i < CHILD_STACK_FRAMES && error == VESPER_OK; i++)
        error = grant_to(c, first + i, pdom, RW_RIGHTS);
    if (error != VESPER_OK)
        return error;
    child->stack_base = frame_address(c, first, "find the stack", &error);
    if (error != VESPER_OK)
        return error;
    vesper_word last = frame_address(c, first + CHILD_STACK_FRAMES - 1, "find the stack", &error);
    if (error != VESPER_OK)
        return error;
    vesper_word page = (vesper_word)1 << VESPER_FRAME_4K_BITS;
    if (last != child->stack_base + CHILD_STACK_SIZE - page)
        return failed(c, "check that the stack frames are contiguous", VESPER_ERR_RANGE);
    return VESPER_OK;
}

static enum vesper_error make_buffer(struct carver *c, vesper_cptr pdom, struct child_domain *child)
{
    vesper_cptr frame;
    enum vesper_error error = carve(c, "retype the IPC buffer frame", VESPER_OBJECT_FRAME_4K, 0,
                                    1, &frame);
    if (error != VESPER_OK)
        return error;
    child->ipc_buffer = frame_address(c, frame, "find the IPC buffer", &error);
    if (error == VESPER_OK)
        error = grant_to(c, frame, pdom, RW_RIGHTS);
    if (error != VESPER_OK)
        return error;
    return failed(c, "set the IPC buffer",
                  vesper_domain_set_ipc_buffer(child->domain, child->ipc_buffer, frame));
}

enum vesper_error child_domain_make(struct carver *c, vesper_cptr fault_endpoint,
                                    bool with_buffer, struct child_domain *child)
{
    return child_domain_make_in(c, VESPER_ROOT_SLOT_PDOM, fault_endpoint, with_buffer, child);
}

enum vesper_error child_domain_make_in(struct carver *c, vesper_cptr pdom,
                                       vesper_cptr fault_endpoint, bool with_buffer,
                                       struct child_domain *child)
{
    *child = (struct child_domain){0};
    enum vesper_error error = carve(c, "retype a Domain", VESPER_OBJECT_DOMAIN, 0, 1,
                                    &child->domain);
    if (error == VESPER_OK)
        error = make_stack(c, pdom, child);
    if (error == VESPER_OK)
        error = failed(c, "configure the domain",
                       vesper_domain_configure(child->domain, VESPER_ROOT_SLOT_CNODE, pdom,
                                               fault_endpoint));
    if (error == VESPER_OK && with_buffer)
        error = make_buffer(c, pdom, child);
    return error;
}

enum vesper_error child_domain_start(const struct child_domain *child,
                                     void (*entry)(vesper_word arg), vesper_word arg)
{
    return vesper_domain_start(child->domain, (vesper_word)(uintptr_t)entry, child->stack_base,
                               CHILD_STACK_SIZE, arg);
}

static void print_in_base(vesper_word value, unsigned base)
{
    char text[24];
    unsigned at = sizeof text - 1;
    text[at] = '\0';
    do {
        text[--at] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value != 0);
    vesper_print(&text[at]);
}

void print_decimal(vesper_word value)
{
    print_in_base(value, 10);
}

void print_ms(uint64_t ns)
{
    print_decimal(ns / 1000000u);
    vesper_print(".");
    uint64_t frac = (ns / 1000u) % 1000u;
    vesper_print(frac < 100 ? (frac < 10 ? "00" : "0") : "");
    print_decimal(frac);
}

void print_hex(vesper_word value)
{
    vesper_print("0x");
    print_in_base(value, 16);
}

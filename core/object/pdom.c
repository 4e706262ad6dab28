/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* PDom identities (see pdom.h). */
#include "pdom.h"
#include "state.h"

unsigned pdom_slots_unused(void)
{
    unsigned unused = 0;
    for (unsigned i = 0; i < KERNEL_PDOM_SLOTS; i++)
        unused += kernel.pdoms[i].used ? 0 : 1;
    return unused;
}

struct cap pdom_make(uintptr_t address)
{
    unsigned i = 0;
    while (i < KERNEL_PDOM_SLOTS - 1 && kernel.pdoms[i].used)
        i++;
    struct pdom_slot *slot = &kernel.pdoms[i];
    slot->used = true;
    slot->table = address;
    return cap_make(CAP_PDOM, address, VESPER_RIGHTS_ALL, i, slot->generation);
}

void pdom_destroy(struct cap c)
{
    struct pdom_slot *slot = &kernel.pdoms[pdom_slot_of(c) % KERNEL_PDOM_SLOTS];
    slot->used = false;
    slot->table = 0;
    slot->generation++;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The invariant checker (see invariants.h). */
#include "invariants.h"
#include "kernel.h"
#include "state.h"

/* Whether [address, address + size) lies in free RAM of the memory map,
 * where boot carves kernel objects. */
static bool inside_free_memory(uintptr_t address, size_t size)
{
    const struct hal_memory_region *region;
    size_t count = hal_memory_map(&region);
    for (size_t i = 0; i < count; i++) {
        if (region[i].kind != HAL_REGION_FREE)
            continue;
        uintptr_t offset = address - region[i].base;
        if (address >= region[i].base && offset < region[i].size &&
            size <= region[i].size - offset)
            return true;
    }
    return false;
}

static bool domain_state_valid(const struct domain *domain)
{
    return domain->state == DOMAIN_INACTIVE || domain->state == DOMAIN_RUNNABLE ||
           domain->state == DOMAIN_STOPPED;
}

const char *kernel_check_invariants(void)
{
    if (!kernel.running)
        return kernel.current == NULL ? NULL : "a stopped kernel has a current domain";
    if (kernel.root == NULL)
        return "a running kernel has no root domain";
    if (kernel.current == NULL)
        return "a running kernel has no current domain";
    if (kernel.current->state != DOMAIN_RUNNABLE)
        return "the current domain is not runnable";
    if (!domain_state_valid(kernel.root))
        return "the root domain's state is not a domain state";
    if (!inside_free_memory((uintptr_t)0 + kernel.root_bootinfo, HAL_PAGE_SIZE))
        return "the bootinfo frame lies outside free memory";
    return NULL;
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The root domain of spsr-test.img, for the Pi only: a hostile rewrite of
 * another domain's saved registers. While the MMU is off a domain can write
 * any kernel object, so the root finds a child's saved ELR and SPSR in the
 * child's Domain object and asks for EL1h with every interrupt masked. The
 * HAL must resume the child at EL0 anyway: its first instruction reads
 * SCTLR_EL1, which traps at EL0 (the child has no fault handler, so the
 * kernel stops it with a logged user exception) and would succeed at EL1.
 * The QEMU test checks the log and that the root then finishes.
 */
#include "child_domain.h"
#include "programs.h"

#define HOSTILE_SPSR 0x3c5u /* EL1h, D, A, I and F masked */
/* The SPSR the HAL gives a new context: EL0t with A, I and F masked
 * (SPSR_EL0_MASKS in hal/rpi3/context_layout.h). */
#define FRESH_SPSR 0x1c0u

static void privileged_entry(vesper_word arg)
{
    (void)arg;
    vesper_word sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    vesper_print("spsr: ESCALATED: the child read SCTLR_EL1\n");
    vesper_exit(1);
}

/* The saved ELR in the Domain object at domain_address: the word equal to
 * the entry Start gave it, followed by the fresh saved SPSR. */
static volatile vesper_word *find_saved_elr(vesper_word domain_address, vesper_word entry)
{
    volatile vesper_word *words = (volatile vesper_word *)domain_address;
    for (unsigned i = 0; i + 1 < ((vesper_word)1 << VESPER_DOMAIN_BITS) / sizeof *words; i++)
        if (words[i] == entry && words[i + 1] == FRESH_SPSR)
            return &words[i];
    return 0;
}

static int spsr_main(const struct vesper_bootinfo *info)
{
    struct carver c;
    struct child_domain child;
    struct vesper_cap_info domain;
    vesper_word entry = (vesper_word)(uintptr_t)privileged_entry;
    if (!carver_init(&c, info) ||
        child_domain_make(&c, VESPER_ROOT_SLOT_NULL, false, &child) != VESPER_OK ||
        child_domain_start(&child, privileged_entry, 0) != VESPER_OK ||
        vesper_cap_identify(child.domain, &domain) != VESPER_OK) {
        vesper_print("spsr: FAILED to make the child domain\n");
        return 1;
    }
    volatile vesper_word *elr = find_saved_elr(domain.address, entry);
    if (elr == 0) {
        vesper_print("spsr: FAILED to find the child's saved ELR\n");
        return 1;
    }
    elr[1] = HOSTILE_SPSR;
    vesper_print("spsr: the child's saved SPSR now asks for EL1h, interrupts masked\n");
    vesper_yield();
    vesper_print("spsr: ok the child ran at EL0 and was stopped\n");
    return 0;
}

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, spsr_main);
}

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The root domain of spsr-test.img, for the Pi only: a hostile rewrite of
 * another domain's saved registers. An attacker domain finds a victim's
 * saved ELR and SPSR in the victim's Domain object and asks for EL1h with
 * every interrupt masked. Two defences stand in the way:
 *   - the MMU: a Domain object is kernel memory, which no PDom grants, so
 *     the attacker's write is a page fault (write, at the object), which
 *     the root receives as the attacker's fault handler;
 *   - the HAL, behind it: were the SPSR rewritten, it would still resume
 *     the victim at EL0 (docs/rpi3.md). With the MMU on, no user code can
 *     reach that second defence any more.
 * The victim then runs; its first instruction reads SCTLR_EL1, which traps
 * at EL0 (it has no fault handler, so the kernel stops it with a logged
 * user exception) and would succeed at EL1. The QEMU test checks the log
 * and that the root then finishes.
 */
#include "child_domain.h"
#include "programs.h"

#define HOSTILE_SPSR 0x3c5u /* EL1h, D, A, I and F masked */
/* The SPSR the HAL gives a new context: EL0t with A and F masked and IRQs
 * unmasked (SPSR_EL0_MASKS in hal/rpi3/context_layout.h). */
#define FRESH_SPSR 0x140u

static void privileged_entry(vesper_word arg)
{
    (void)arg;
    vesper_word sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    vesper_print("spsr: ESCALATED: the child read SCTLR_EL1\n");
    vesper_exit(1);
}

/* The attacker: write a hostile SPSR over every word of the victim's
 * Domain object that could be its saved one (the root stops it at its
 * first write). */
static void attacker_entry(vesper_word domain_address)
{
    volatile vesper_word *words = (volatile vesper_word *)domain_address;
    for (unsigned i = 0; i < ((vesper_word)1 << VESPER_DOMAIN_BITS) / sizeof *words; i++)
        words[i] = HOSTILE_SPSR;
    vesper_print("spsr: ESCALATED: the attacker wrote another domain's saved registers\n");
    vesper_exit(1);
}

static int spsr_main(const struct vesper_bootinfo *info)
{
    struct carver c;
    struct child_domain victim, attacker;
    struct vesper_cap_info domain;
    vesper_cptr fault_ep, reply;
    if (!carver_init(&c, info) ||
        carve(&c, "retype an Endpoint", VESPER_OBJECT_ENDPOINT, 0, 1, &fault_ep) != VESPER_OK ||
        carve(&c, "retype a Reply", VESPER_OBJECT_REPLY, 0, 1, &reply) != VESPER_OK ||
        child_domain_make(&c, VESPER_ROOT_SLOT_NULL, false, &victim) != VESPER_OK ||
        child_domain_make(&c, fault_ep, false, &attacker) != VESPER_OK ||
        vesper_cap_identify(victim.domain, &domain) != VESPER_OK ||
        child_domain_start(&attacker, attacker_entry, domain.address) != VESPER_OK) {
        vesper_print("spsr: FAILED to make the domains\n");
        return 1;
    }
    struct vesper_message msg = {0};
    if (vesper_ipc_recv(fault_ep, reply, &msg) != VESPER_OK ||
        vesper_tag_label(msg.tag) != VESPER_FAULT_PAGE || msg.word[2] != domain.address ||
        msg.word[3] != VESPER_FAULT_ACCESS_WRITE) {
        vesper_print("spsr: FAILED the attacker's write was not a page fault at the object\n");
        return 1;
    }
    vesper_print("spsr: ok the attacker's write to the victim's Domain object faulted\n");
    struct vesper_message stop = {.tag = vesper_tag(1, 0, 0)};
    vesper_ipc_reply(reply, &stop);
    if (child_domain_start(&victim, privileged_entry, 0) != VESPER_OK) {
        vesper_print("spsr: FAILED to start the victim\n");
        return 1;
    }
    vesper_yield();
    vesper_print("spsr: ok the child ran at EL0 and was stopped\n");
    return 0;
}

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, spsr_main);
}

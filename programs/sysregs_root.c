/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The root domain of the hostile-boot images (Pi only; the images put
 * hal/rpi3/preboot_hostile.S in front of the kernel, which loads every
 * register below with the value that would help a domain most). It checks
 * that the kernel put each back, so that no domain can use it:
 *   - TPIDR_EL0 holds each domain's own IPC buffer address, as the kernel
 *     sets it (not the loader's value), TPIDRRO_EL0 reads 0, and TPIDR_EL0
 *     is each domain's own: what a child writes there the root never sees,
 *     and the other way round;
 *   - a child's attempts at FP/SIMD, the counters and timers, the
 *     performance monitors, unmasking interrupts and WFI all trap, each
 *     with the exception class that names the control that stopped it;
 *   - alignment checking is on (SCTLR_EL1.A): an unaligned load faults in
 *     QEMU as it does on a board, on Normal memory too.
 * The child runs the probes in order with the root as its fault handler:
 * for each fault the root checks which probe the child was at and the
 * class, then resumes the child past the instruction. A probe that does not
 * trap shows up as the next fault arriving with a later probe index. The
 * child ends with an undefined instruction that the root leaves unanswered.
 *
 * Not checked, because QEMU 7.2 does not emulate them, though the kernel
 * sets them: MDSCR_EL1.TDCC (the debug channel from EL0 traps) and
 * SCTLR_EL1.SA0 (a misaligned stack pointer at EL0 faults).
 */
#include <stdint.h>

#include "child_domain.h"
#include "probes.h"
#include "programs.h"

#define ROOT_MARK 0x600d0000000000a1u
#define CHILD_MARK 0x600d0000000000c2u

/* ESR_EL1.EC values the probes must produce. */
#define CLASS_WFI_WFE 0x01u
#define CLASS_FP_SIMD 0x07u
#define CLASS_SYSTEM_REGISTER 0x18u
#define CLASS_DATA_ABORT 0x24u
#define ESR_CLASS(esr) (((esr) >> 26) & 0x3fu)
#define INSTRUCTION_BYTES 4u

static vesper_word read_tpidr_el0(void)
{
    vesper_word value;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(value));
    return value;
}

static vesper_word read_tpidrro_el0(void)
{
    vesper_word value;
    __asm__ volatile("mrs %0, tpidrro_el0" : "=r"(value));
    return value;
}

static void write_tpidr_el0(vesper_word value)
{
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(value));
}

/* ---- The probes: each one instruction that must trap at EL0 ------------- */

/* fmov d0, xzr, encoded by hand: the images are built without FP. */
static __attribute__((noinline)) void probe_fp_access(void)
{
    __asm__ volatile(".inst 0x9e6703e0" : : : "memory");
}

static __attribute__((noinline)) void probe_physical_counter(void)
{
    vesper_word value;
    __asm__ volatile("mrs %0, cntpct_el0" : "=r"(value) : : "memory");
}

static __attribute__((noinline)) void probe_virtual_counter(void)
{
    vesper_word value;
    __asm__ volatile("mrs %0, cntvct_el0" : "=r"(value) : : "memory");
}

static __attribute__((noinline)) void probe_timer_control(void)
{
    vesper_word value;
    __asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(value) : : "memory");
}

static __attribute__((noinline)) void probe_timer_compare(void)
{
    __asm__ volatile("msr cntp_cval_el0, xzr" : : : "memory");
}

static __attribute__((noinline)) void probe_pmu_control(void)
{
    vesper_word value;
    __asm__ volatile("mrs %0, pmcr_el0" : "=r"(value) : : "memory");
}

static __attribute__((noinline)) void probe_cycle_counter(void)
{
    vesper_word value;
    __asm__ volatile("mrs %0, pmccntr_el0" : "=r"(value) : : "memory");
}

static __attribute__((noinline)) void probe_unmask_irq(void)
{
    __asm__ volatile("msr daifclr, #2" : : : "memory");
}

static __attribute__((noinline)) void probe_wait_for_interrupt(void)
{
    __asm__ volatile("wfi" : : : "memory");
}

/* An 8-byte load one byte past an aligned word. */
static __attribute__((noinline)) void probe_unaligned_load(void)
{
    static volatile vesper_word words[2];
    vesper_word value;
    __asm__ volatile("ldr %0, [%1]" : "=r"(value) : "r"((uintptr_t)words + 1) : "memory");
}

struct probe {
    const char *what;
    void (*run)(void);
    unsigned class;
    vesper_word fault; /* the fault kind the kernel delivers */
};

static const struct probe probes[] = {
    {"an FP/SIMD instruction (CPACR_EL1)", probe_fp_access, CLASS_FP_SIMD,
     VESPER_FAULT_USER_EXCEPTION},
    {"reading the physical counter (CNTKCTL_EL1)", probe_physical_counter,
     CLASS_SYSTEM_REGISTER, VESPER_FAULT_USER_EXCEPTION},
    {"reading the virtual counter (CNTKCTL_EL1)", probe_virtual_counter,
     CLASS_SYSTEM_REGISTER, VESPER_FAULT_USER_EXCEPTION},
    {"reading the timer's control (CNTKCTL_EL1)", probe_timer_control,
     CLASS_SYSTEM_REGISTER, VESPER_FAULT_USER_EXCEPTION},
    {"setting the timer's deadline (CNTKCTL_EL1)", probe_timer_compare,
     CLASS_SYSTEM_REGISTER, VESPER_FAULT_USER_EXCEPTION},
    {"reading the PMU's control (PMUSERENR_EL0)", probe_pmu_control, CLASS_SYSTEM_REGISTER,
     VESPER_FAULT_USER_EXCEPTION},
    {"reading the cycle counter (PMUSERENR_EL0)", probe_cycle_counter,
     CLASS_SYSTEM_REGISTER, VESPER_FAULT_USER_EXCEPTION},
    {"unmasking IRQs (SCTLR_EL1.UMA)", probe_unmask_irq, CLASS_SYSTEM_REGISTER,
     VESPER_FAULT_USER_EXCEPTION},
    {"waiting for an interrupt (SCTLR_EL1.nTWI)", probe_wait_for_interrupt, CLASS_WFI_WFE,
     VESPER_FAULT_USER_EXCEPTION},
    {"an unaligned load (SCTLR_EL1.A)", probe_unaligned_load, CLASS_DATA_ABORT,
     VESPER_FAULT_PAGE},
};

#define PROBE_COUNT (sizeof probes / sizeof probes[0])

/* What the child reports; the root reads it (one address space). */
static volatile struct {
    vesper_word index; /* the probe the child is at; PROBE_COUNT at the end */
    vesper_word tpidr_at_start;
    vesper_word tpidrro;
    vesper_word tpidr_at_end;
} child_report;

static _Noreturn void prober_main(vesper_word arg)
{
    (void)arg;
    child_report.tpidr_at_start = read_tpidr_el0();
    child_report.tpidrro = read_tpidrro_el0();
    write_tpidr_el0(CHILD_MARK);
    for (vesper_word i = 0; i < PROBE_COUNT; i++) {
        child_report.index = i;
        probes[i].run();
    }
    child_report.tpidr_at_end = read_tpidr_el0();
    child_report.index = PROBE_COUNT;
    __asm__ volatile("udf #0" : : : "memory"); /* the end: never answered */
    for (;;)
        vesper_yield();
}

/* ---- The root ------------------------------------------------------------ */

static unsigned failures;

static void check_named(const char *prefix, const char *what, bool ok)
{
    vesper_print(ok ? "sysregs: ok " : "sysregs: FAILED ");
    vesper_print(prefix);
    vesper_print(what);
    vesper_print("\n");
    failures += ok ? 0 : 1;
}

static void check(const char *what, bool ok)
{
    check_named("", what, ok);
}

/* A probe the child went past without trapping leaked. */
static void probe_leaked(vesper_word probe)
{
    vesper_print("sysregs: LEAK did not trap: ");
    vesper_print(probes[probe].what);
    vesper_print("\n");
    failures++;
}

/* The child trapped at a probe: the kind and class must be the probe's;
 * it resumes past the instruction. */
static vesper_word probe_trapped(vesper_word probe, const struct vesper_message *msg)
{
    check_named("traps at EL0: ", probes[probe].what,
                vesper_tag_label(msg->tag) == probes[probe].fault &&
                    ESR_CLASS(msg->word[0]) == probes[probe].class);
    if (ESR_CLASS(msg->word[0]) != probes[probe].class) {
        vesper_print("sysregs: its class was ");
        print_hex(ESR_CLASS(msg->word[0]));
        vesper_print("\n");
    }
    return msg->word[1] + INSTRUCTION_BYTES;
}

static const struct probe_server probe_server = {
    .count = PROBE_COUNT,
    .at = &child_report.index,
    .check = check,
    .ran = probe_leaked,
    .faulted = probe_trapped,
    .resume_step = "resume the child past its probe",
};

static int sysregs_main(const struct vesper_bootinfo *info)
{
    check("TPIDR_EL0 holds the root's IPC buffer", read_tpidr_el0() == info->ipc_buffer);
    check("TPIDRRO_EL0 reads 0 in the root domain", read_tpidrro_el0() == 0);

    struct carver c;
    struct child_domain child;
    vesper_cptr fault_endpoint, reply;
    if (!carver_init(&c, info) ||
        carve(&c, "retype the fault Endpoint", VESPER_OBJECT_ENDPOINT, 0, 1, &fault_endpoint) !=
            VESPER_OK ||
        carve(&c, "retype the Reply", VESPER_OBJECT_REPLY, 0, 1, &reply) != VESPER_OK ||
        child_domain_make(&c, fault_endpoint, true, &child) != VESPER_OK ||
        child_domain_start(&child, prober_main, 0) != VESPER_OK) {
        vesper_print("sysregs: FAILED to make the child domain\n");
        return 1;
    }
    /* Libos finds the IPC buffer through TPIDR_EL0: the root's mark stays
     * only while it makes no call of more than four words. */
    vesper_word root_buffer = read_tpidr_el0();
    write_tpidr_el0(ROOT_MARK);
    probes_serve(&probe_server, fault_endpoint, reply);
    bool root_kept_mark = read_tpidr_el0() == ROOT_MARK;
    write_tpidr_el0(root_buffer);

    check("TPIDR_EL0 held the child's own IPC buffer at its start",
          child.ipc_buffer != 0 && child_report.tpidr_at_start == child.ipc_buffer);
    check("TPIDRRO_EL0 read 0 in the child", child_report.tpidrro == 0);
    check("the child kept its TPIDR_EL0 across the root's turns",
          child_report.tpidr_at_end == CHILD_MARK);
    check("the root kept its TPIDR_EL0 across the child's turns", root_kept_mark);
    vesper_print(failures == 0 ? "sysregs: all checks passed\n" : "sysregs: some checks failed\n");
    return failures == 0 ? 0 : 1;
}

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, sysregs_main);
}

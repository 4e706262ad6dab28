/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The root domain of mmu-test.img (Pi only): what the MMU keeps from a
 * domain that holds no grant beyond its own stack and IPC buffer.
 *
 * A child domain, sharing the root's PDom, with the root as its fault
 * handler, runs a list of probes, each one access:
 *   - reading its own read-only data and its own code works;
 *   - reading the kernel's code, its bss and its stack (found through
 *     symbols of the linker script) faults as a read;
 *   - reading its own PDom's translation table or its own Domain object,
 *     both in RAM no one granted, faults as a read;
 *   - writing its own code or read-only data faults as a write;
 *   - writing the UART's data register and reading the system timer, device
 *     registers no one granted, fault;
 *   - running code from its own data, or the kernel's code, faults as an
 *     execution.
 * For each fault the root checks which probe the child was at, the fault
 * kind (page fault), the access, the address and the exception class, then
 * resumes the child at prober_continue(), which goes on with the next
 * probe. A probe that should fault but does not shows up as the child
 * reaching its end, or faulting at a later probe, with this one unseen.
 * The child ends with an undefined instruction, which the root does not
 * answer.
 *
 * The root also checks what the kernel says and does for it: the memory
 * map in bootinfo names no part of the kernel as IMAGE, and the kernel will
 * not print its own memory for a domain.
 *
 * Last, the kernel writing for one domain while another's tree is in force:
 * a receiver domain runs in a second PDom, which holds its stack and IPC
 * buffer read-write, while the root's PDom holds the same buffer
 * read-only. The root sends the waiting receiver a message longer than the
 * registers carry, so the kernel copies words into the receiver's buffer
 * during the root's Send, under the root's tree, whose entry lets EL1 only
 * read that page. The HAL must retry the write under the kernel's own
 * tables (hal/rpi3/vectors.S): the receiver gets every word, and the root
 * reads them through its read-only grant.
 */
#include <stddef.h>
#include <stdint.h>

#include "child_domain.h"
#include "probes.h"
#include "programs.h"

/* Symbols of hal/rpi3/kernel8.ld. */
extern char __image_start[];      /* the kernel's first instruction */
extern char __bss_end[];          /* the end of the kernel's bss */
extern char __kernel_stack_top[]; /* the top of the kernel stack */

#define CLASS_INSTRUCTION_ABORT 0x20u /* from EL0 */
#define CLASS_DATA_ABORT 0x24u        /* from EL0 */
#define ESR_CLASS(esr) (((esr) >> 26) & 0x3fu)

#define UART0_DATA 0x3F201000u   /* PL011 data register */
#define SYSTEM_TIMER_LOW 0x3F003004u /* the 1 MHz counter's low word */
#define RET_INSTRUCTION 0xd65f03c0u
#define RODATA_MARK 0x6d6d7521u

/* A function of one known instruction, in the user text. */
void mmu_probe_ret(void);
__asm__(".text\n"
        ".balign 4\n"
        ".global mmu_probe_ret\n"
        ".type mmu_probe_ret, %function\n"
        "mmu_probe_ret:\n"
        "    ret\n"
        ".size mmu_probe_ret, . - mmu_probe_ret\n");

static const volatile uint32_t rodata_word = RODATA_MARK;

/* Two `ret` instructions in writable data, which must never run. */
static uint32_t data_code[2] = {RET_INSTRUCTION, RET_INSTRUCTION};

enum probe_kind { PROBE_READ, PROBE_WRITE, PROBE_EXECUTE };

struct probe {
    const char *what;
    enum probe_kind kind;
    uintptr_t address;     /* filled in by the root before the child starts */
    vesper_word access;    /* the fault's access; 0: it must not fault */
    unsigned class;        /* the exception class of the fault */
    vesper_word expected;  /* what a read that must not fault finds */
};

enum {
    PROBE_OWN_RODATA,
    PROBE_OWN_CODE,
    PROBE_KERNEL_CODE,
    PROBE_KERNEL_BSS,
    PROBE_KERNEL_STACK,
    PROBE_OWN_PDOM,
    PROBE_OWN_DOMAIN,
    PROBE_WRITE_CODE,
    PROBE_WRITE_RODATA,
    PROBE_WRITE_UART,
    PROBE_READ_TIMER,
    PROBE_RUN_DATA,
    PROBE_RUN_KERNEL,
    PROBE_COUNT
};

#define READ_FAULT VESPER_FAULT_ACCESS_READ, CLASS_DATA_ABORT
#define WRITE_FAULT VESPER_FAULT_ACCESS_WRITE, CLASS_DATA_ABORT
#define EXECUTE_FAULT VESPER_FAULT_ACCESS_EXECUTE, CLASS_INSTRUCTION_ABORT

static struct probe probes[PROBE_COUNT] = {
    [PROBE_OWN_RODATA] = {"reading its own read-only data", PROBE_READ, 0, 0, 0, RODATA_MARK},
    [PROBE_OWN_CODE] = {"reading its own code", PROBE_READ, 0, 0, 0, RET_INSTRUCTION},
    [PROBE_KERNEL_CODE] = {"reading the kernel's code", PROBE_READ, 0, READ_FAULT, 0},
    [PROBE_KERNEL_BSS] = {"reading the kernel's bss", PROBE_READ, 0, READ_FAULT, 0},
    [PROBE_KERNEL_STACK] = {"reading the kernel's stack", PROBE_READ, 0, READ_FAULT, 0},
    [PROBE_OWN_PDOM] = {"reading its PDom's translation table", PROBE_READ, 0, READ_FAULT, 0},
    [PROBE_OWN_DOMAIN] = {"reading its own Domain object", PROBE_READ, 0, READ_FAULT, 0},
    [PROBE_WRITE_CODE] = {"writing its own code", PROBE_WRITE, 0, WRITE_FAULT, 0},
    [PROBE_WRITE_RODATA] = {"writing its own read-only data", PROBE_WRITE, 0, WRITE_FAULT, 0},
    [PROBE_WRITE_UART] = {"writing the UART's data register", PROBE_WRITE, 0, WRITE_FAULT, 0},
    [PROBE_READ_TIMER] = {"reading the system timer", PROBE_READ, 0, READ_FAULT, 0},
    [PROBE_RUN_DATA] = {"running code in its own data", PROBE_EXECUTE, 0, EXECUTE_FAULT, 0},
    [PROBE_RUN_KERNEL] = {"running the kernel's code", PROBE_EXECUTE, 0, EXECUTE_FAULT, 0},
};

/* What the child reports; the root reads and writes it too (the child
 * shares the root's PDom, and this is the image's user data). */
static volatile struct {
    vesper_word next; /* the probe to run next; PROBE_COUNT at the end */
    vesper_word at;   /* the probe running now */
    vesper_word found[PROBE_COUNT]; /* what each read found */
} report;

/* ---- The child ------------------------------------------------------------ */

static void run_probe(vesper_word i)
{
    const struct probe *p = &probes[i];
    switch (p->kind) {
    case PROBE_READ:
        report.found[i] = *(const volatile uint32_t *)p->address;
        break;
    case PROBE_WRITE:
        *(volatile uint32_t *)p->address = 0;
        break;
    case PROBE_EXECUTE:
        ((void (*)(void))p->address)();
        break;
    }
}

/* Run the probes from report.next on. The root resumes the child here
 * after each fault, on whatever stack depth the fault left: this never
 * returns, so nothing below it is needed again. */
static _Noreturn void prober_continue(void)
{
    for (;;) {
        vesper_word i = report.next;
        if (i >= PROBE_COUNT)
            break;
        report.next = i + 1;
        report.at = i;
        run_probe(i);
    }
    report.at = PROBE_COUNT;
    __asm__ volatile("udf #0" : : : "memory"); /* the end: never answered */
    for (;;)
        vesper_yield();
}

static void prober_main(vesper_word arg)
{
    (void)arg;
    prober_continue();
}

/* ---- The receiver in a PDom of its own ----------------------------------- */

#define LONG_MESSAGE_WORDS 8u
#define MESSAGE_MARK 0x6c6f6e6700000000u
#define RECEIVER_STACK_SIZE ((vesper_word)1 << VESPER_FRAME_4K_BITS)

/* What the receiver reports (the image's user data, which every PDom maps). */
static volatile struct {
    vesper_word ready;
    vesper_word done;
    vesper_word error;
    vesper_word length;
    vesper_word words[LONG_MESSAGE_WORDS];
} receiver;

static void receiver_main(vesper_word endpoint)
{
    struct vesper_message msg = {0};
    receiver.ready = 1;
    receiver.error = vesper_ipc_recv(endpoint, VESPER_ROOT_SLOT_NULL, &msg);
    const struct vesper_ipc_buffer *buffer = vesper_ipc_buffer();
    receiver.length = vesper_tag_length(msg.tag);
    for (unsigned i = 0; i < LONG_MESSAGE_WORDS; i++)
        receiver.words[i] = i < VESPER_MSG_REGISTERS ? msg.word[i] : buffer->msg[i];
    receiver.done = 1;
    vesper_exit(0);
}

/* ---- The root ------------------------------------------------------------ */

static unsigned failures;

static void check_named(const char *prefix, const char *what, bool ok)
{
    vesper_print(ok ? "mmu: ok " : "mmu: FAILED ");
    vesper_print(prefix);
    vesper_print(what);
    vesper_print("\n");
    failures += ok ? 0 : 1;
}

static void check(const char *what, bool ok)
{
    check_named("", what, ok);
}

static void print_fault(const struct vesper_message *msg)
{
    vesper_print("mmu: the fault: kind ");
    print_decimal(vesper_tag_label(msg->tag));
    vesper_print(", ESR ");
    print_hex(msg->word[0]);
    vesper_print(", pc ");
    print_hex(msg->word[1]);
    vesper_print(", address ");
    print_hex(msg->word[2]);
    vesper_print(", access ");
    print_decimal(msg->word[3]);
    vesper_print("\n");
}

/* The child went past a probe without a fault: right only for a read
 * that must work, and found what it should. */
static void probe_ran(vesper_word probe)
{
    const struct probe *p = &probes[probe];
    if (p->access != 0)
        check_named("did not fault: ", p->what, false);
    else
        check_named("works: ", p->what, report.found[probe] == p->expected);
}

static bool fault_matches(const struct probe *p, const struct vesper_message *msg)
{
    return p->access != 0 && vesper_tag_label(msg->tag) == VESPER_FAULT_PAGE &&
           ESR_CLASS(msg->word[0]) == p->class && msg->word[2] == p->address &&
           msg->word[3] == p->access;
}

/* The child faulted at a probe: it must be the probe's fault; it resumes
 * at prober_continue(), which goes on with the next probe. */
static vesper_word probe_faulted(vesper_word probe, const struct vesper_message *msg)
{
    bool ok = fault_matches(&probes[probe], msg);
    check_named(probes[probe].access != 0 ? "faults: " : "FAULTED: ", probes[probe].what, ok);
    if (!ok)
        print_fault(msg);
    return (vesper_word)(uintptr_t)prober_continue;
}

static const struct probe_server probe_server = {
    .count = PROBE_COUNT,
    .at = &report.at,
    .check = check,
    .ran = probe_ran,
    .faulted = probe_faulted,
    .resume_step = "resume the child after its probe",
};

static bool inside(vesper_word address, const struct vesper_region *r)
{
    return address >= r->base && address - r->base < r->size;
}

/* No IMAGE region of bootinfo covers the kernel's code, bss or stack. */
static void check_memory_map(const struct vesper_bootinfo *info)
{
    bool kernel_hidden = true;
    bool user_listed = false;
    for (vesper_word i = 0; i < info->region_count && i < VESPER_BOOTINFO_MAX_REGIONS; i++) {
        const struct vesper_region *r = &info->region[i];
        if (r->kind != VESPER_REGION_IMAGE)
            continue;
        kernel_hidden = kernel_hidden && !inside((uintptr_t)__image_start, r) &&
                        !inside((uintptr_t)__bss_end - 4, r) &&
                        !inside((uintptr_t)__kernel_stack_top - 4, r);
        user_listed = user_listed || inside((uintptr_t)mmu_probe_ret, r);
    }
    check("the memory map lists the user code as IMAGE", user_listed);
    check("the memory map lists none of the kernel as IMAGE", kernel_hidden);
}

static void fill_addresses(const struct child_domain *child)
{
    struct vesper_cap_info pdom = {0}, domain = {0};
    if (vesper_cap_identify(VESPER_ROOT_SLOT_PDOM, &pdom) != VESPER_OK ||
        vesper_cap_identify(child->domain, &domain) != VESPER_OK)
        check("identify the PDom and the child's Domain", false);
    probes[PROBE_OWN_RODATA].address = (uintptr_t)&rodata_word;
    probes[PROBE_OWN_CODE].address = (uintptr_t)mmu_probe_ret;
    probes[PROBE_KERNEL_CODE].address = (uintptr_t)__image_start;
    probes[PROBE_KERNEL_BSS].address = (uintptr_t)__bss_end - 4;
    probes[PROBE_KERNEL_STACK].address = (uintptr_t)__kernel_stack_top - 4;
    probes[PROBE_OWN_PDOM].address = (uintptr_t)pdom.address;
    probes[PROBE_OWN_DOMAIN].address = (uintptr_t)domain.address;
    probes[PROBE_WRITE_CODE].address = (uintptr_t)mmu_probe_ret;
    probes[PROBE_WRITE_RODATA].address = (uintptr_t)&rodata_word;
    probes[PROBE_WRITE_UART].address = UART0_DATA;
    probes[PROBE_READ_TIMER].address = SYSTEM_TIMER_LOW;
    probes[PROBE_RUN_DATA].address = (uintptr_t)data_code;
    probes[PROBE_RUN_KERNEL].address = (uintptr_t)__image_start;
}

static enum vesper_error carve_table(void *context, vesper_cptr *table)
{
    return carve(context, "retype a PageTable", VESPER_OBJECT_PAGE_TABLE, 0, 1, table);
}

static vesper_word frame_address(vesper_cptr frame)
{
    struct vesper_frame_info info = {0};
    return vesper_frame_get_address(frame, &info) == VESPER_OK ? info.address : 0;
}

/* Make the receiver: its own PDom holding its stack and IPC buffer
 * read-write, and a copy of the buffer's capability granted read-only to
 * the root's PDom. Returns the buffer's address, or 0. */
static vesper_word receiver_make(struct carver *c, vesper_cptr fault_endpoint,
                                 vesper_cptr endpoint)
{
    const vesper_word rw = VESPER_FRAME_READ | VESPER_FRAME_WRITE;
    vesper_cptr pdom, domain, stack, buffer;
    if (carve(c, "retype a PDom", VESPER_OBJECT_PDOM, 0, 1, &pdom) != VESPER_OK ||
        carve(c, "retype a Domain", VESPER_OBJECT_DOMAIN, 0, 1, &domain) != VESPER_OK ||
        carve(c, "retype the stack", VESPER_OBJECT_FRAME_4K, 0, 1, &stack) != VESPER_OK ||
        carve(c, "retype the IPC buffer", VESPER_OBJECT_FRAME_4K, 0, 1, &buffer) != VESPER_OK ||
        c->next >= c->end)
        return 0;
    vesper_cptr buffer_copy = c->next++;
    vesper_word stack_base = frame_address(stack);
    vesper_word buffer_address = frame_address(buffer);
    if (stack_base == 0 || buffer_address == 0 ||
        vesper_cnode_copy(VESPER_ROOT_SLOT_CNODE, buffer_copy, CHILD_ROOT_DEPTH,
                          VESPER_ROOT_SLOT_CNODE, buffer, CHILD_ROOT_DEPTH,
                          VESPER_RIGHTS_ALL) != VESPER_OK ||
        vesper_frame_grant_with_tables(stack, pdom, rw, carve_table, c) != VESPER_OK ||
        vesper_frame_grant_with_tables(buffer, pdom, rw, carve_table, c) != VESPER_OK ||
        vesper_frame_grant_with_tables(buffer_copy, VESPER_ROOT_SLOT_PDOM, VESPER_FRAME_READ,
                                       carve_table, c) != VESPER_OK ||
        vesper_domain_configure(domain, VESPER_ROOT_SLOT_CNODE, pdom, fault_endpoint) !=
            VESPER_OK ||
        vesper_domain_set_ipc_buffer(domain, buffer_address, buffer) != VESPER_OK ||
        vesper_domain_start(domain, (vesper_word)(uintptr_t)receiver_main, stack_base,
                            RECEIVER_STACK_SIZE, endpoint) != VESPER_OK)
        return 0;
    return buffer_address;
}

/* Let the other domains run until *flag is set, a bounded number of
 * times. */
static bool yield_until(const volatile vesper_word *flag)
{
    for (unsigned i = 0; i < 100 && *flag == 0; i++)
        vesper_yield();
    return *flag != 0;
}

static void check_write_through_read_only(struct carver *c, vesper_cptr fault_endpoint)
{
    vesper_cptr endpoint;
    vesper_word buffer_address = 0;
    if (carve(c, "retype the receiver's Endpoint", VESPER_OBJECT_ENDPOINT, 0, 1, &endpoint) ==
        VESPER_OK)
        buffer_address = receiver_make(c, fault_endpoint, endpoint);
    check("make a receiver in a PDom of its own, its buffer read-only in the root's",
          buffer_address != 0);
    if (buffer_address == 0 || !yield_until(&receiver.ready)) {
        check("the receiver waits for a message", false);
        return;
    }
    struct vesper_ipc_buffer *mine = vesper_ipc_buffer();
    struct vesper_message msg = {.tag = vesper_tag(0, LONG_MESSAGE_WORDS, 0)};
    for (unsigned i = 0; i < LONG_MESSAGE_WORDS; i++) {
        if (i < VESPER_MSG_REGISTERS)
            msg.word[i] = MESSAGE_MARK + i;
        else
            mine->msg[i] = MESSAGE_MARK + i;
    }
    check("send the receiver 8 words", vesper_ipc_send(endpoint, &msg) == VESPER_OK);
    yield_until(&receiver.done);
    const volatile struct vesper_ipc_buffer *theirs =
        (const volatile struct vesper_ipc_buffer *)(uintptr_t)buffer_address;
    bool received = receiver.done != 0 && receiver.error == VESPER_OK &&
                    receiver.length == LONG_MESSAGE_WORDS;
    bool seen = true;
    for (unsigned i = 0; i < LONG_MESSAGE_WORDS; i++) {
        received = received && receiver.words[i] == MESSAGE_MARK + i;
        seen = seen && (i < VESPER_MSG_REGISTERS || theirs->msg[i] == MESSAGE_MARK + i);
    }
    check("the receiver got all 8 words", received);
    check("the root reads them in the receiver's buffer through its read-only grant", seen);
}

static int mmu_main(const struct vesper_bootinfo *info)
{
    check_memory_map(info);
    check("the kernel will not print its own code for a domain",
          vesper_debug_print(__image_start, 4) != VESPER_OK);

    struct carver c;
    struct child_domain child;
    vesper_cptr fault_endpoint, reply;
    if (!carver_init(&c, info) ||
        carve(&c, "retype the fault Endpoint", VESPER_OBJECT_ENDPOINT, 0, 1, &fault_endpoint) !=
            VESPER_OK ||
        carve(&c, "retype the Reply", VESPER_OBJECT_REPLY, 0, 1, &reply) != VESPER_OK ||
        child_domain_make(&c, fault_endpoint, true, &child) != VESPER_OK) {
        vesper_print("mmu: FAILED to make the child domain\n");
        return 1;
    }
    fill_addresses(&child);
    if (child_domain_start(&child, prober_main, 0) != VESPER_OK) {
        vesper_print("mmu: FAILED to start the child domain\n");
        return 1;
    }
    probes_serve(&probe_server, fault_endpoint, reply);
    check_write_through_read_only(&c, fault_endpoint);
    vesper_print(failures == 0 ? "mmu: all checks passed\n" : "mmu: some checks failed\n");
    return failures == 0 ? 0 : 1;
}

void vesper_root_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, mmu_main);
}

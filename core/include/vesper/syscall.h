/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Syscall numbers and the register convention of the Vesper ABI.
 *
 * A syscall carries a number and VESPER_SYSCALL_ARGS words. In: word 0 the
 * CPtr of the capability used (endpoint, notification, reply or object),
 * word 1 the message tag, words 2-5 message words 0-3, word 6 the CPtr of a
 * Reply object (Recv, NBRecv, ReplyRecv). Out: word 0 an enum vesper_error,
 * word 1 the received tag, words 2-5 message words 0-3, word 6 the badge.
 * How the words travel:
 *
 *   hal/rpi3 (aarch64): number in x7, words in x0-x6, `svc #0`.
 *   hal/host (an x86_64 or aarch64 host): libos passes a struct
 *       vesper_syscall_frame to the host trap trampoline, which copies it
 *       in and out.
 *
 * docs/syscalls.md describes every syscall; keep the two in step.
 */
#ifndef VESPER_SYSCALL_H
#define VESPER_SYSCALL_H

#include <vesper/types.h>

#define VESPER_SYSCALL_ARGS 7

enum vesper_syscall {
    /* Call a capability: on an Endpoint, send and wait for the reply (the
     * receiver gets one-shot reply authority); on any other object, invoke
     * it (include/vesper/object.h). */
    VESPER_SYS_CALL = 1,
    /* Reply through the Reply object (word 6), then Recv on word 0 with it. */
    VESPER_SYS_REPLY_RECV = 2,
    /* Send on an Endpoint, waiting for a receiver; on a Notification, Signal. */
    VESPER_SYS_SEND = 3,
    /* Send only if a receiver waits (else the message is dropped); on a
     * Notification, Signal. */
    VESPER_SYS_NB_SEND = 4,
    /* Receive on an Endpoint (word 6: the Reply object for a Call), waiting
     * for a sender; on a Notification, Wait. */
    VESPER_SYS_RECV = 5,
    /* Receive only if a sender waits (else VESPER_ERR_WOULD_BLOCK); on a
     * Notification, Poll. */
    VESPER_SYS_NB_RECV = 6,
    /* Answer the Call bound to the Reply object in word 0. */
    VESPER_SYS_REPLY = 7,
    /* Give the CPU to the next runnable domain. Result word 1 is the
     * kernel's clock (ns) at the Yield. */
    VESPER_SYS_YIELD = 8,
    /* Continue a saved context and enable activations (clear the control
     * block's `disabled`), in one kernel entry (<vesper/control.h>). Word
     * 0: 0 continues the context the kernel saved when it last took the
     * CPU with activations enabled; any other value is the address of a
     * struct vesper_context the domain may read (one the kernel wrote into
     * a control block, kept by the domain), which is checked and
     * continued instead, and the kernel's saved one is dropped. */
    VESPER_SYS_RESUME = 9,
    /* Stop the calling domain with a status (argument 0). When the root
     * domain exits the kernel shuts down and reports that status. */
    VESPER_SYS_EXIT = 16,
    /* Write a byte string to the kernel console: argument 0 is its address
     * in the single address space, argument 1 its length, at most
     * VESPER_DEBUG_PRINT_MAX. Result 1 is the number of bytes written. */
    VESPER_SYS_DEBUG_PRINT = 32,
    /* What the capability at CPtr word 0 is: result 1 a tag of length 4,
     * results 2-5 its type (bits 0-7) and type-specific small field (bits
     * 8 up), its rights, its object's address and its type-specific word
     * (badge, guard, watermark, line). A syscall, not an invocation, so
     * that it works on Endpoints too. */
    VESPER_SYS_DEBUG_IDENTIFY = 33,
};

#define VESPER_DEBUG_PRINT_MAX 1024u

/* The words of one syscall, in and out: the portable view of the registers. */
struct vesper_syscall_frame {
    vesper_word number;
    vesper_word arg[VESPER_SYSCALL_ARGS];
};

/* Faults: a domain that faults makes a Call on its fault endpoint with one
 * of these labels. The handler's reply with label 0 resumes it (for an
 * unknown syscall, the reply's words become the syscall's results; for an
 * exception, message word 0, when present, is the new program counter);
 * any other label stops it. */
enum vesper_fault {
    VESPER_FAULT_UNKNOWN_SYSCALL = 1, /* words: number, pc, 0, 0 */
    VESPER_FAULT_USER_EXCEPTION = 2,  /* words: machine cause (ESR), pc, address, 0 */
    VESPER_FAULT_PAGE = 3,            /* words: machine cause (ESR on aarch64,
                                       * the signal on the host), pc, faulting
                                       * address, access */
};

/* A page fault's access (its word 3): what the domain tried, as the frame
 * right it lacked. 0 when the machine does not say. */
enum vesper_fault_access {
    VESPER_FAULT_ACCESS_READ = 1u << 0,
    VESPER_FAULT_ACCESS_WRITE = 1u << 1,
    VESPER_FAULT_ACCESS_EXECUTE = 1u << 2,
};

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Root-domain programs shared by both HALs: vesper-sim runs them on the
 * host, and the Pi images link one of them as their root domain.
 */
#ifndef VESPER_PROGRAMS_H
#define VESPER_PROGRAMS_H

#include <libos/libos.h>
#include <vesper/object.h>

/* Check the bootinfo record, greet through the debug-print syscall, and
 * exit with status 0 (1 if the bootinfo record is wrong). */
int hello_main(const struct vesper_bootinfo *bootinfo);

/* Retype, copy, mint, move, revoke and delete capabilities and check every
 * answer; exit 0 only if all held. */
int caps_main(const struct vesper_bootinfo *bootinfo);

/* Start a server domain and make 1000 Calls to it, checking that each
 * answer is the message's word 0 plus one; exit 0 only if all were. */
int pingpong_main(const struct vesper_bootinfo *bootinfo);

/* pingpong's server, for other clients: carve an Endpoint, a Reply object
 * and a child domain (child_domain.h) that answers each Call on the
 * Endpoint with the message's word 0 plus one; the Endpoint's slot in
 * *endpoint. On failure c->failed names the step. */
struct carver;
enum vesper_error pingpong_start_server(struct carver *c, vesper_cptr *endpoint);

/* Show and check IPC between domains: Call and ReplyRecv, a badged
 * notification, capability transfer and unwrapping, a fault handled by the
 * root (and, on the Pi, a user exception); exit 0 only if all held. */
int ipc_demo_main(const struct vesper_bootinfo *bootinfo);

/* Share one frame between three protection domains through one pointer:
 * a producer granted it read-write, a consumer granted it read only, which
 * faults when it writes, and a snoop never granted it, which faults when it
 * reads; exit 0 only if each did what it should. */
int share_main(const struct vesper_bootinfo *bootinfo);

/* Three user-level threads take turns in the root domain, switched by
 * libos without the kernel; the first thread joins them. Exit 0 only if
 * the turns came in order and every join returned. */
int threads_main(const struct vesper_bootinfo *bootinfo);

/* The root becomes the domain scheduler of two periodic workers (three
 * user-level threads each) and a spinner, under earliest deadline first,
 * round robin or fixed priority, and prints the schedule; on the host it
 * also checks the deadlines: all met under EDF and fixed priority, some
 * missed under round robin. */
int sched_edf_main(const struct vesper_bootinfo *bootinfo);
int sched_rr_main(const struct vesper_bootinfo *bootinfo);
int sched_priority_main(const struct vesper_bootinfo *bootinfo);

/* A timer driver in user space serves sleeps to two client domains over
 * IPC, woken by the timer's interrupt; exit 0 only if every sleep lasted
 * at least what was asked. */
int timer_demo_main(const struct vesper_bootinfo *bootinfo);

/* An interrupt-driven console driver in the root domain echoes each line
 * it receives until the line "quit"; exit 0 then. */
int echo_main(const struct vesper_bootinfo *bootinfo);

/* A child domain spins with no syscall and the root too: only the timer's
 * preemption lets each run. Hangs where nothing preempts a domain that
 * never enters the kernel (the host's virtual time). */
int spin_main(const struct vesper_bootinfo *bootinfo);

/* User-level threads that never yield take turns as the kernel preempts
 * the domain; a sleeper and a thread that faults (programs/preempt.c). */
int preempt_main(const struct vesper_bootinfo *bootinfo);

/* A Revoke of many copies is preempted by the timer and made again, and
 * another domain runs meanwhile (programs/long_revoke.c). */
int long_revoke_main(const struct vesper_bootinfo *bootinfo);

/* Fast-path round trips between a client and a server domain, between
 * calls of fastpath_count_mark(), for counting the kernel's instructions
 * in a trace (programs/fastpath_count.c); exit 0 only if all were answered. */
int fastpath_count_main(const struct vesper_bootinfo *bootinfo);
void fastpath_count_mark(vesper_word window);

/* Where a Pi image's root domain starts, with the bootinfo address as its
 * argument. Each image links exactly one definition: hello_root.c in
 * kernel8.img, caps_root.c in caps-test.img, fault_root.c in
 * fault-test.img, pingpong_root.c in pingpong-test.img, ipc_root.c in
 * ipc-test.img. The host never uses it. */
void vesper_root_entry(vesper_word bootinfo);

#endif

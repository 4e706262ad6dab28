/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * IPC from user space: thin wrappers over the IPC syscalls
 * (include/vesper/syscall.h, docs/syscalls.md). A message is a tag and up
 * to four words here; longer messages and capability transfer use the
 * calling domain's IPC buffer directly (include/vesper/message.h).
 */
#ifndef VESPER_LIBOS_IPC_H
#define VESPER_LIBOS_IPC_H

#include <vesper/error.h>
#include <vesper/message.h>
#include <vesper/object.h>

/* Starting a domain, binding its notification and cancelling badged sends
 * are object invocations: the generated <libos/invocations.h> declares
 * vesper_domain_start(), vesper_domain_bind_notification(),
 * vesper_domain_unbind_notification() and
 * vesper_cnode_cancel_badged_sends() with the other stubs. */
#include <libos/invocations.h>

struct vesper_message {
    vesper_word tag;     /* label, length, capability count (vesper_tag()) */
    vesper_word word[4]; /* message words 0-3 */
    vesper_word badge;   /* received: the sender's badge, or a notification's word */
};

/* Send msg on ep and wait for the reply, which replaces msg. */
enum vesper_error vesper_ipc_call(vesper_cptr ep, struct vesper_message *msg);
/* Send, waiting for a receiver; on a Notification, Signal. */
enum vesper_error vesper_ipc_send(vesper_cptr ep, const struct vesper_message *msg);
/* Send only if a receiver waits; otherwise the message is dropped. */
enum vesper_error vesper_ipc_nb_send(vesper_cptr ep, const struct vesper_message *msg);
/* Receive into msg, offering the Reply object `reply` (or an empty slot). */
enum vesper_error vesper_ipc_recv(vesper_cptr ep, vesper_cptr reply, struct vesper_message *msg);
/* Receive only if a sender waits, else VESPER_ERR_WOULD_BLOCK. */
enum vesper_error vesper_ipc_nb_recv(vesper_cptr ep, vesper_cptr reply, struct vesper_message *msg);
/* Answer the Call bound to reply. */
enum vesper_error vesper_ipc_reply(vesper_cptr reply, const struct vesper_message *msg);
/* Answer the Call bound to reply with msg (if any is bound), then receive
 * the next message into msg. */
enum vesper_error vesper_ipc_reply_recv(vesper_cptr ep, vesper_cptr reply,
                                        struct vesper_message *msg);
/* Let the next runnable domain run. Returns the kernel's clock (ns) at
 * the Yield. */
uint64_t vesper_yield(void);

/* Notifications: Signal ORs the capability's badge into the word; Wait
 * blocks until it is non-zero, then returns and clears it; Poll does not
 * block (a zero word means nothing arrived). */
enum vesper_error vesper_signal(vesper_cptr notification);
enum vesper_error vesper_wait(vesper_cptr notification, vesper_word *word);
enum vesper_error vesper_poll(vesper_cptr notification, vesper_word *word);

#endif

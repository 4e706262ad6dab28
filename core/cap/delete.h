/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Deleting capabilities and destroying objects.
 *
 * Deleting the last capability to an object destroys it. Destroying a CNode
 * or a Domain means deleting every capability it holds, which may destroy
 * further CNodes and Domains, to any depth. The kernel does this without
 * recursion on its small stack: a container being emptied is marked by
 * turning its last capability into a Zombie, and the zombies form a stack
 * linked through their own capabilities. All of it completes within one
 * kernel entry: no zombie is ever seen outside.
 */
#ifndef VESPER_CORE_DELETE_H
#define VESPER_CORE_DELETE_H

#include "cap.h"

/* Delete the capability in slot (nothing for an empty slot); destroy its
 * object when it was the last capability to it. Never fails. */
void cap_delete(struct cte *slot);

/* cap_delete(), preemptible where its work grows with what users made:
 * when slot holds the last capability to an Endpoint or Notification,
 * the domains queued on it are cancelled one at a time, with a preemption
 * point after each. False if a point stopped it: the capability is still
 * there, with the rest of the queue, for the next attempt. */
bool cap_delete_preemptible(struct cte *slot);

/* Delete the descendants of the capability in slot, one after another,
 * until none is left (true) or a preemption point (preempt.h) says to stop
 * (false): the tree is then partly revoked, every invariant holds, and the
 * rest is what a second call deletes. Each descendant goes as
 * cap_delete_preemptible() deletes it. Never fails. */
bool cap_revoke(struct cte *slot);

#endif

/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Deleting capabilities and destroying objects.
 *
 * Deleting the last capability to an object destroys it. Destroying a CNode
 * or a Domain means deleting every capability it holds, which may destroy
 * further CNodes and Domains, to any depth. The kernel does this without
 * recursion on its small stack: a container being emptied is marked by
 * turning its last capability into a Zombie, and the zombies form a stack
 * linked through their own capabilities. A deletion stopped at a
 * preemption point leaves its zombies in place, every invariant true: a
 * zombie cannot be invoked, copied or moved, and deleting it again (a
 * second Delete of its slot, or a Revoke that reaches it) goes on with
 * the deletion where it stopped.
 */
#ifndef VESPER_CORE_DELETE_H
#define VESPER_CORE_DELETE_H

#include "cap.h"

/* Delete the capability in slot (nothing for an empty slot); destroy its
 * object when it was the last capability to it; a zombie's deletion goes
 * on to its end. All in one kernel entry, for the deletions the kernel
 * makes for itself. Never fails. */
void cap_delete(struct cte *slot);

/* cap_delete() in bounded steps with a preemption point after each: the
 * cancellation of one domain queued on an Endpoint or Notification whose
 * last capability goes, the deletion of one capability of a container
 * being emptied, a look at up to 256 of its slots. False if a point
 * stopped it: the capability is still there (a zombie, for a container),
 * with the rest of the work, for the next attempt. */
bool cap_delete_preemptible(struct cte *slot);

/* Delete the descendants of the capability in slot, one after another,
 * until none is left (true) or a preemption point (preempt.h) says to stop
 * (false): the tree is then partly revoked, every invariant holds, and the
 * rest is what a second call deletes. Each descendant goes as
 * cap_delete_preemptible() deletes it. Never fails. */
bool cap_revoke(struct cte *slot);

/* A zombie's fields (cap.h), for the invariant checker: the zombie it
 * links to, whether it is the bottom of its deletion's stack, and the
 * index in its container up to which the container holds nothing left to
 * delete. */
struct cte *zombie_link(const struct cte *zombie);
bool zombie_is_bottom(const struct cte *zombie);
unsigned zombie_scan_index(const struct cte *zombie);

#endif

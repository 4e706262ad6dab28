/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The capability view of vesper-sim (docs/capview.md): the plain data of
 * core/check/view.h, formatted for a reader as text, or for Graphviz as a
 * DOT digraph.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capview.h"
#include "view.h"

/* ---- Shared by the formats ------------------------------------------------- */

static const char *domain_slot_name(unsigned index)
{
    static const char *const names[DOMAIN_SLOT_COUNT] = {
        [DOMAIN_SLOT_CSPACE] = "CSpace",
        [DOMAIN_SLOT_PDOM] = "PDom",
        [DOMAIN_SLOT_FAULT_ENDPOINT] = "fault endpoint",
        [DOMAIN_SLOT_IPC_BUFFER] = "IPC buffer",
    };
    return index < DOMAIN_SLOT_COUNT ? names[index] : "?";
}

/* A capability: type, rights, object, and the fields its type has. */
static void print_cap(FILE *out, const struct view_cap *c)
{
    char rights[5];
    view_rights_text(c, rights);
    fprintf(out, "%s %s", view_type_name(c->type), rights);
    if (c->object_bits != 0)
        fprintf(out, " 0x%" PRIxPTR, c->object);
    switch (c->type) {
    case CAP_UNTYPED:
        fprintf(out, " size 2^%u watermark 0x%" PRIx64, c->object_bits, c->watermark);
        break;
    case CAP_CNODE:
        fprintf(out, " radix %u guard 0x%" PRIx64 "/%u", c->radix, c->guard, c->guard_bits);
        break;
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION:
        if (c->badge != 0)
            fprintf(out, " badge 0x%" PRIx64, c->badge);
        break;
    case CAP_IRQ_HANDLER: fprintf(out, " line %u", c->line); break;
    case CAP_ZOMBIE:
        if (c->radix == 0)
            fprintf(out, " (a Domain being destroyed)");
        else
            fprintf(out, " (a CNode of radix %u being emptied)", c->radix);
        break;
    default: break;
    }
    if (c->device)
        fprintf(out, " device");
}

/* Where a capability's slot lies. */
static void print_place(FILE *out, const struct view_cap *c)
{
    switch (c->place) {
    case VIEW_PLACE_CNODE:
        fprintf(out, "CNode 0x%" PRIxPTR " slot %u", c->container, c->index);
        break;
    case VIEW_PLACE_DOMAIN:
        fprintf(out, "Domain 0x%" PRIxPTR " %s slot", c->container, domain_slot_name(c->index));
        break;
    case VIEW_PLACE_IRQ: fprintf(out, "interrupt line %u's binding", c->index); break;
    default: fprintf(out, "slot 0x%" PRIxPTR, c->slot); break;
    }
}

/* What a blocked domain waits on: the object's type follows from the
 * state. */
static const char *waited_type(enum domain_state state)
{
    return state == DOMAIN_BLOCKED_NTFN ? "Notification" : "Endpoint";
}

/* One line on a domain: its address, role, state and what it waits on. */
static void print_domain(FILE *out, const struct view_domain *d)
{
    fprintf(out, "domain 0x%" PRIxPTR, d->address);
    if (d->root || d->current)
        fprintf(out, " (%s%s%s)", d->root ? "root" : "", d->root && d->current ? ", " : "",
                d->current ? "current" : "");
    fprintf(out, ": %s", view_state_name(d->state));
    if (d->waits_on != 0)
        fprintf(out, " on %s 0x%" PRIxPTR, waited_type(d->state), d->waits_on);
    if (d->reply != 0)
        fprintf(out, "%s Reply 0x%" PRIxPTR,
                d->state == DOMAIN_BLOCKED_REPLY ? ": its call's" : ", offering", d->reply);
    if (d->state == DOMAIN_STOPPED)
        fprintf(out, ", status %d", d->exit_status);
    if (d->bound != 0)
        fprintf(out, "; bound to Notification 0x%" PRIxPTR, d->bound);
    fprintf(out, "\n");
}

/* ---- Domains and queues ---------------------------------------------------- */

static void print_domain_line(const struct view_domain *d, void *arg)
{
    fprintf(arg, "  ");
    print_domain(arg, d);
}

/* A queue's member, after the object's heading. */
static void print_waiter(const struct view_domain *d, void *arg)
{
    fprintf(arg, "    ");
    print_domain(arg, d);
}

static void count_only(const struct view_domain *d, void *arg)
{
    (void)d;
    (void)arg;
}

/* The queue of one Endpoint or Notification, if any domain waits on it;
 * arg is the stream. */
static void print_queue(const struct view_cap *object, void *arg)
{
    FILE *out = arg;
    if (view_queue(object->object, count_only, NULL) == 0)
        return;
    fprintf(out, "  %s 0x%" PRIxPTR ", first to last:\n", view_type_name(object->type),
            object->object);
    view_queue(object->object, print_waiter, out);
}

void sim_domains_text(FILE *out)
{
    fprintf(out, "domains:\n");
    view_domains(print_domain_line, out);
    fprintf(out, "queues:\n");
    view_objects(CAP_ENDPOINT, print_queue, out);
    view_objects(CAP_NOTIFICATION, print_queue, out);
}

/* ---- Text ---------------------------------------------------------------- */

static void print_indent(FILE *out, unsigned levels)
{
    fprintf(out, "%*s", (int)(2 * levels), "");
}

static void print_cspace_line(const struct view_cap *c, void *arg)
{
    FILE *out = arg;
    print_indent(out, 2 + c->cspace_level);
    fprintf(out, "cptr 0x%" PRIx64 "/%u: ", c->cptr, c->cptr_bits);
    print_cap(out, c);
    if (c->revisit)
        fprintf(out, " (listed above)");
    fprintf(out, "\n");
}

/* The CSpace listings printed so far, so that a domain whose CSpace lists
 * the same as an earlier one's (a child given its parent's root CNode, as
 * most bundled programs do) says so instead of repeating it. */
struct listing {
    uintptr_t domain;
    char *text;
    size_t size;
};
struct listings {
    FILE *out;
    struct listing *list;
    size_t count;
};

/* An earlier domain whose listing is text, or NULL. */
static const struct listing *same_listing(const struct listings *l, const char *text,
                                          size_t size)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->list[i].size == size && memcmp(l->list[i].text, text, size) == 0)
            return &l->list[i];
    return NULL;
}

/* A domain's heading and its CSpace. */
static void print_domain_cspace(const struct view_domain *d, void *arg)
{
    struct listings *l = arg;
    print_domain(l->out, d);
    if (d->cspace == 0) {
        fprintf(l->out, "  no CSpace\n");
        return;
    }
    char *text = NULL;
    size_t size = 0;
    FILE *listing = open_memstream(&text, &size);
    if (listing == NULL) { /* no memory: list it where it goes */
        fprintf(l->out, "  CSpace (cptr/bits: capability):\n");
        if (view_cspace(d->address, print_cspace_line, l->out) == 0)
            fprintf(l->out, "    empty\n");
        return;
    }
    if (view_cspace(d->address, print_cspace_line, listing) == 0)
        fprintf(listing, "    empty\n");
    fclose(listing);
    const struct listing *earlier = same_listing(l, text, size);
    if (earlier != NULL) {
        fprintf(l->out, "  CSpace: the same as domain 0x%" PRIxPTR "'s\n", earlier->domain);
        free(text);
        return;
    }
    fprintf(l->out, "  CSpace (cptr/bits: capability):\n");
    fwrite(text, 1, size, l->out);
    struct listing *grown = realloc(l->list, (l->count + 1) * sizeof *grown);
    if (grown == NULL) {
        free(text);
        return;
    }
    l->list = grown;
    l->list[l->count++] = (struct listing){d->address, text, size};
}

static void print_tree_line(const struct view_cap *c, void *arg)
{
    FILE *out = arg;
    print_indent(out, 1 + c->tree_depth);
    print_cap(out, c);
    fprintf(out, " in ");
    print_place(out, c);
    fprintf(out, "\n");
}

void sim_capview_text(FILE *out)
{
    fprintf(out, "Capabilities, at addresses as domains see them; rights R read, W write,\n"
                 "G grant (X execute, for a Frame), P grant-reply.\n\n");
    struct listings listings = {.out = out};
    view_domains(print_domain_cspace, &listings);
    for (size_t i = 0; i < listings.count; i++)
        free(listings.list[i].text);
    free(listings.list);
    fprintf(out, "\nThe derivation tree (a child below its parent):\n");
    view_derivations(print_tree_line, out);
}

/* ---- DOT ----------------------------------------------------------------- */

/* A node name: a slot's or an object's; long enough for any of them. */
struct node_id {
    char text[48];
};

static struct node_id cap_node(const struct view_cap *c)
{
    struct node_id id;
    if (c->place == VIEW_PLACE_IRQ)
        snprintf(id.text, sizeof id.text, "binding_%u", c->index);
    else
        snprintf(id.text, sizeof id.text, "slot_%" PRIxPTR, c->slot);
    return id;
}

/* The object a capability names: by type and address, as an Untyped and
 * the first object carved from it share one; by line for an IRQHandler. */
static struct node_id object_node(const struct view_cap *c)
{
    struct node_id id;
    uintptr_t which = c->type == CAP_IRQ_HANDLER ? c->line : c->object;
    snprintf(id.text, sizeof id.text, "object_%s_%" PRIxPTR, view_type_name(c->type), which);
    return id;
}

/* The slots already given a node, so that a slot reached from two
 * CSpaces, or also by the derivation list, is declared once. */
struct slot_set {
    uintptr_t *slots;
    size_t count, capacity;
};

static bool slot_set_has(const struct slot_set *set, uintptr_t slot)
{
    for (size_t i = 0; i < set->count; i++)
        if (set->slots[i] == slot)
            return true;
    return false;
}

/* Add slot; false when it was there already. Without memory to remember
 * it, the slot counts as new: a node declared twice is still valid DOT. */
static bool slot_set_add(struct slot_set *set, uintptr_t slot)
{
    if (slot_set_has(set, slot))
        return false;
    if (set->count == set->capacity) {
        size_t capacity = set->capacity == 0 ? 256 : 2 * set->capacity;
        uintptr_t *grown = realloc(set->slots, capacity * sizeof *grown);
        if (grown == NULL)
            return true;
        set->slots = grown;
        set->capacity = capacity;
    }
    set->slots[set->count++] = slot;
    return true;
}

/* What the DOT walks share: the stream, the slots declared, and the node
 * of each ancestor of the capability being drawn. */
struct dot {
    FILE *out;
    struct slot_set declared;
    struct node_id ancestors[VIEW_TREE_DEPTH_MAX + 1];
};

/* A capability's node, with its CPtr when it has one. */
static void dot_cap_node(struct dot *dot, const struct view_cap *c, bool with_cptr)
{
    fprintf(dot->out, "    %s [label=\"", cap_node(c).text);
    if (with_cptr)
        fprintf(dot->out, "cptr 0x%" PRIx64 "/%u\\n", c->cptr, c->cptr_bits);
    print_cap(dot->out, c);
    fprintf(dot->out, "\\n");
    print_place(dot->out, c);
    fprintf(dot->out, "\"];\n");
}

static void dot_cspace_slot(const struct view_cap *c, void *arg)
{
    struct dot *dot = arg;
    if (slot_set_add(&dot->declared, c->slot))
        dot_cap_node(dot, c, true);
}

/* A cluster of the slots a domain's CSpace reaches first. */
static void dot_domain_cluster(const struct view_domain *d, void *arg)
{
    struct dot *dot = arg;
    fprintf(dot->out, "  subgraph cluster_domain_%" PRIxPTR " {\n", d->address);
    fprintf(dot->out, "    label=\"CSpace of domain 0x%" PRIxPTR "%s: %s\";\n", d->address,
            d->root ? " (root)" : "", view_state_name(d->state));
    size_t declared = dot->declared.count;
    if (view_cspace(d->address, dot_cspace_slot, dot) != 0 && dot->declared.count == declared)
        /* Every slot is in an earlier cluster: a node can be in only one,
         * and a cluster without nodes would not be drawn. */
        fprintf(dot->out,
                "    shared_%" PRIxPTR " [shape=plaintext, label=\"CSpace drawn in an earlier "
                "domain's cluster\"];\n",
                d->address);
    fprintf(dot->out, "  }\n");
}

/* The capabilities no CSpace reached (a Domain's own slots, interrupt
 * bindings, CNodes no domain uses); then every capability's edge from its
 * parent and to its object. */
static void dot_tree_cap(const struct view_cap *c, void *arg)
{
    struct dot *dot = arg;
    if (c->place == VIEW_PLACE_IRQ || slot_set_add(&dot->declared, c->slot))
        dot_cap_node(dot, c, false);
    struct node_id id = cap_node(c);
    if (c->tree_depth > 0)
        fprintf(dot->out, "  %s -> %s;\n", dot->ancestors[c->tree_depth - 1].text, id.text);
    dot->ancestors[c->tree_depth] = id;
    bool names_object = c->object_bits != 0 || c->type == CAP_IRQ_HANDLER ||
                        c->type == CAP_IRQ_CONTROL || c->type == CAP_SCHED_CONTROL;
    if (names_object)
        fprintf(dot->out, "  %s -> %s [style=dashed, arrowhead=open];\n", id.text,
                object_node(c).text);
}

static void dot_object(const struct view_cap *c, void *arg)
{
    struct dot *dot = arg;
    fprintf(dot->out, "  %s [shape=ellipse, label=\"%s", object_node(c).text,
            view_type_name(c->type));
    if (c->object_bits != 0)
        fprintf(dot->out, "\\n0x%" PRIxPTR, c->object);
    if (c->type == CAP_IRQ_HANDLER)
        fprintf(dot->out, "\\nline %u", c->line);
    fprintf(dot->out, "\"];\n");
}

void sim_capview_dot(FILE *out)
{
    struct dot dot = {.out = out};
    fprintf(out, "digraph capabilities {\n"
                 "  rankdir=LR;\n"
                 "  node [shape=box, fontname=\"monospace\", fontsize=10];\n");
    view_domains(dot_domain_cluster, &dot);
    for (unsigned type = CAP_UNTYPED; type < CAP_TYPE_COUNT; type++)
        view_objects((enum cap_type)type, dot_object, &dot);
    view_derivations(dot_tree_cap, &dot);
    fprintf(out, "}\n");
    free(dot.declared.slots);
}

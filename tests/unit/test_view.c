/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The capability view (core/check/view.h) and vesper-sim's formatting of it
 * (sim/capview.c): the derivation tree's order, depths, types, rights and
 * badges; CSpace CPtrs through guards and two levels, checked against the
 * kernel's own lookup; cycles of CNodes; zombies; the domains and an
 * endpoint's queue, also after shutdown; the text and DOT output.
 */
#include <stdio.h>
#include <string.h>

#include "capview.h"
#include "cspace.h"
#include "ipc_support.h"
#include "preempt.h"
#include "view.h"

/* ---- Collecting what the view visits ------------------------------------- */

#define SEEN_MAX 512

static struct view_cap seen[SEEN_MAX];
static size_t seen_count;

static void collect(const struct view_cap *cap, void *arg)
{
    (void)arg;
    assert_true(seen_count < SEEN_MAX);
    seen[seen_count++] = *cap;
}

static void collect_derivations(void)
{
    seen_count = 0;
    size_t visited = view_derivations(collect, NULL); /* before seen_count is read */
    assert_int_equal(visited, seen_count);
}

static void collect_cspace(uintptr_t domain)
{
    seen_count = 0;
    size_t visited = view_cspace(domain, collect, NULL); /* before seen_count is read */
    assert_int_equal(visited, seen_count);
}

static struct view_domain domains[8];
static size_t domain_count;

static void collect_domain(const struct view_domain *d, void *arg)
{
    (void)arg;
    assert_true(domain_count < 8);
    domains[domain_count++] = *d;
}

/* The user address of root slot `slot`, as the view names slots. */
static uintptr_t root_slot_address(vesper_word slot)
{
    return hal_user_address(test_root_slot(slot));
}

static uintptr_t root_cnode_address(void)
{
    return cap_address(slot_cap(ROOT_CNODE));
}

/* Where among the collected capabilities the one in root slot `slot` is. */
static size_t position_of(vesper_word slot)
{
    for (size_t i = 0; i < seen_count; i++)
        if (seen[i].place == VIEW_PLACE_CNODE && seen[i].slot == root_slot_address(slot))
            return i;
    fail_msg("root slot %lu was not visited", (unsigned long)slot);
    return 0;
}

/* How many capabilities are on the derivation list. */
static size_t caps_on_list(void)
{
    size_t n = 0;
    for (const struct cte *s = cdt_next(&kernel.cdt_head); s != NULL; s = cdt_next(s))
        n++;
    return n;
}

/* A collected capability: its type, rights, tree depth and badge. */
static void assert_cap(const struct view_cap *c, enum cap_type type, unsigned rights,
                       unsigned depth, uint64_t badge)
{
    assert_int_equal(c->type, type);
    assert_int_equal(c->rights, rights);
    assert_int_equal(c->tree_depth, depth);
    assert_int_equal(c->badge, badge);
}

/* Everything a FILE * received, as a string (the caller frees nothing:
 * the text is static and overwritten by the next call). */
static const char *captured(void (*write)(FILE *out))
{
    static char text[1 << 16];
    FILE *file = tmpfile();
    assert_non_null(file);
    write(file);
    rewind(file);
    size_t n = fread(text, 1, sizeof text - 1, file);
    assert_true(n < sizeof text - 1);
    text[n] = '\0';
    fclose(file);
    return text;
}

static void assert_contains(const char *text, const char *line)
{
    if (strstr(text, line) == NULL)
        fail_msg("no \"%s\" in:\n%s", line, text);
}

/* ---- Known capabilities ---------------------------------------------------- */

/* An Endpoint, a badged copy with fewer rights, and a copy of that. */
struct endpoints {
    vesper_word original, badged, copy;
};

static struct endpoints make_endpoints(void)
{
    struct endpoints e;
    e.original = make_object(VESPER_OBJECT_ENDPOINT, 0);
    e.badged = mint_cap(e.original, RW, 5);
    e.copy = copy_cap(e.badged, VESPER_RIGHTS_ALL);
    return e;
}

/* VIEW0001: the derivation tree in depth-first order: an Untyped, the
 * Endpoint retyped from it, its badged copy and the copy's copy, each one
 * deeper, with the rights and badge each has; and the root domain's own
 * CSpace slot, a child of root slot 2. */
static void VIEW0001_derivation_tree(void **state)
{
    (void)state;
    struct endpoints e = make_endpoints();
    collect_derivations();
    assert_int_equal(seen_count, caps_on_list());
    size_t untyped = position_of(largest_untyped());
    size_t original = position_of(e.original);
    assert_cap(&seen[untyped], CAP_UNTYPED, VESPER_RIGHTS_ALL, 0, 0);
    assert_true(seen[untyped].watermark > 0);
    assert_int_equal(seen[untyped].object_bits, untyped_size_bits(slot_cap(largest_untyped())));
    assert_true(untyped < original);
    assert_cap(&seen[original], CAP_ENDPOINT, VESPER_RIGHTS_ALL, 1, 0);
    assert_int_equal(position_of(e.badged), original + 1);
    assert_cap(&seen[original + 1], CAP_ENDPOINT, RW, 2, 5);
    assert_true(seen[original + 1].revocable);
    assert_int_equal(position_of(e.copy), original + 2);
    assert_cap(&seen[original + 2], CAP_ENDPOINT, RW, 3, 5);
    assert_false(seen[original + 2].revocable);
    assert_int_equal(seen[original].object, cap_address(slot_cap(e.original)));
    assert_int_equal(seen[original + 2].object, seen[original].object);
    assert_int_equal(seen[original].container, root_cnode_address());
    assert_int_equal(seen[original].index, e.original);
    /* The root domain's CSpace slot holds a child of root slot 2. */
    size_t cnode = position_of(ROOT_CNODE);
    assert_cap(&seen[cnode], CAP_CNODE, VESPER_RIGHTS_ALL, 0, 0);
    assert_int_equal(seen[cnode].radix, VESPER_ROOT_CNODE_RADIX);
    assert_int_equal(seen[cnode].guard_bits, 64 - VESPER_ROOT_CNODE_RADIX);
    const struct view_cap *own = &seen[cnode + 1];
    assert_cap(own, CAP_CNODE, VESPER_RIGHTS_ALL, 1, 0);
    assert_int_equal(own->place, VIEW_PLACE_DOMAIN);
    assert_int_equal(own->container, hal_user_address(root_domain()));
    assert_int_equal(own->index, DOMAIN_SLOT_CSPACE);
    assert_int_equal(own->slot, hal_user_address(&root_domain()->slots[DOMAIN_SLOT_CSPACE]));
}

/* Each visited slot is the one the kernel's lookup finds at its CPtr. */
static void assert_cptrs_resolve(struct cap root)
{
    for (size_t i = 0; i < seen_count; i++) {
        struct lookup r = cspace_lookup_slot(root, seen[i].cptr, seen[i].cptr_bits);
        assert_int_equal(r.error, VESPER_OK);
        assert_int_equal(hal_user_address(r.slot), seen[i].slot);
        assert_int_equal(cap_type(r.slot->cap), seen[i].type);
    }
}

/* How many root slots hold a capability. */
static size_t root_caps(void)
{
    size_t n = 0;
    for (vesper_word i = 0; i < 1u << VESPER_ROOT_CNODE_RADIX; i++)
        n += !cap_is_null(slot_cap(i));
    return n;
}

/* VIEW0002: the root domain's CSpace is one level: a slot's CPtr is its
 * index, with 64 bits. */
static void VIEW0002_root_cspace_is_one_level(void **state)
{
    (void)state;
    struct endpoints e = make_endpoints();
    collect_cspace(hal_user_address(root_domain()));
    assert_int_equal(seen_count, root_caps());
    for (size_t i = 0; i < seen_count; i++) {
        assert_int_equal(seen[i].cptr, seen[i].index);
        assert_int_equal(seen[i].cptr_bits, 64);
        assert_int_equal(seen[i].cspace_level, 0);
        assert_int_equal(seen[i].container, root_cnode_address());
        assert_false(seen[i].revisit);
    }
    size_t badged = position_of(e.badged);
    assert_int_equal(seen[badged].cptr, e.badged);
    assert_int_equal(seen[badged].badge, 5);
    assert_cptrs_resolve(root_domain()->slots[DOMAIN_SLOT_CSPACE].cap);
}

/* VIEW0003: a domain whose CSpace root takes 56 bits (a 46-bit guard and
 * the root's radix 10) and whose slot `inner` holds CNode B, radix 4,
 * with the 4-bit guard 3: B's slot 5 has CPtr inner << 8 | 3 << 4 | 5,
 * at level 1, and every CPtr resolves to its slot. */
static void VIEW0003_two_level_cspace_with_guards(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word b = make_object(VESPER_OBJECT_CNODE, 4);
    move_into_cnode(b, 4, 5, ep);
    vesper_word inner = next_empty_slot();
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_mint, inner, 64, ROOT_CNODE, b, 64,
                               VESPER_RIGHTS_ALL, vesper_cnode_guard(3, 4)),
                     VESPER_OK);
    assert_int_equal(delete_slot(b), VESPER_OK); /* B stays, through inner */
    vesper_word root = next_empty_slot();
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_mint, root, 64, ROOT_CNODE, ROOT_CNODE, 64,
                               VESPER_RIGHTS_ALL, vesper_cnode_guard(0, 46)),
                     VESPER_OK);
    vesper_word domain = make_object(VESPER_OBJECT_DOMAIN, 0);
    assert_int_equal(TEST_CALL(domain, domain_configure, root, NO_CAP, NO_CAP), VESPER_OK);
    collect_cspace(cap_address(slot_cap(domain)));
    assert_int_equal(seen_count, root_caps() + 1);
    size_t at = position_of(inner);
    assert_int_equal(seen[at].cptr, inner);
    assert_int_equal(seen[at].cptr_bits, 56);
    assert_int_equal(seen[at].guard, 3);
    assert_int_equal(seen[at].guard_bits, 4);
    assert_int_equal(seen[at].radix, 4);
    const struct view_cap *in_b = &seen[at + 1]; /* B's slots follow its capability */
    assert_int_equal(in_b->type, CAP_ENDPOINT);
    assert_int_equal(in_b->cptr, inner << 8 | 3 << 4 | 5);
    assert_int_equal(in_b->cptr_bits, 64);
    assert_int_equal(in_b->cspace_level, 1);
    assert_int_equal(in_b->container, seen[at].object);
    assert_int_equal(in_b->index, 5);
    for (size_t i = 0; i < seen_count; i++)
        if (&seen[i] != in_b)
            assert_int_equal(seen[i].cspace_level, 0); /* no other CNode has bits left */
    assert_cptrs_resolve(domain_at(domain)->slots[DOMAIN_SLOT_CSPACE].cap);
}

/* VIEW0004: CNodes in a cycle: B (radix 4, no guard, 4 bits a level)
 * holds itself in slot 1 and C (radix 2) in slot 2, and C holds B in
 * slot 3. The walk lists B's and C's slots once and marks the
 * capabilities that lead back as revisits. */
static void VIEW0004_cnode_cycles_end(void **state)
{
    (void)state;
    vesper_word b = make_object(VESPER_OBJECT_CNODE, 4);
    vesper_word c = make_object(VESPER_OBJECT_CNODE, 2);
    assert_int_equal(TEST_CALL(b, cnode_copy, 1, 4, ROOT_CNODE, b, 64, VESPER_RIGHTS_ALL),
                     VESPER_OK);
    assert_int_equal(TEST_CALL(c, cnode_copy, 3, 2, ROOT_CNODE, b, 64, VESPER_RIGHTS_ALL),
                     VESPER_OK);
    assert_int_equal(TEST_CALL(b, cnode_copy, 2, 4, ROOT_CNODE, c, 64, VESPER_RIGHTS_ALL),
                     VESPER_OK);
    vesper_word domain = make_object(VESPER_OBJECT_DOMAIN, 0);
    assert_int_equal(TEST_CALL(domain, domain_configure, b, NO_CAP, NO_CAP), VESPER_OK);
    collect_cspace(cap_address(slot_cap(domain)));
    assert_int_equal(seen_count, 3);
    uintptr_t b_address = cap_address(slot_cap(b)), c_address = cap_address(slot_cap(c));
    assert_int_equal(seen[0].object, b_address);
    assert_int_equal(seen[0].cptr, 1);
    assert_int_equal(seen[0].cptr_bits, 4);
    assert_true(seen[0].revisit);
    assert_int_equal(seen[1].object, c_address);
    assert_int_equal(seen[1].cptr, 2);
    assert_false(seen[1].revisit);
    assert_int_equal(seen[2].object, b_address);
    assert_int_equal(seen[2].container, c_address);
    assert_int_equal(seen[2].cptr, 2 << 2 | 3);
    assert_int_equal(seen[2].cptr_bits, 6);
    assert_int_equal(seen[2].cspace_level, 1);
    assert_true(seen[2].revisit);
    assert_cptrs_resolve(domain_at(domain)->slots[DOMAIN_SLOT_CSPACE].cap);
    assert_contains(captured(sim_capview_text), "(listed above)");
}

/* VIEW0005: a Delete stopped at a preemption point leaves a zombie in the
 * CNode's slot: the view shows it, with the capability still in the
 * container it empties, and does not walk into it. */
static void VIEW0005_zombies(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 2);
    uintptr_t cnode_address = cap_address(slot_cap(cnode));
    move_into_cnode(cnode, 2, 1, ep);
    preemption_test_every(1);
    test_invoke_msg(NULL, ROOT_CNODE, vesper_cnode_delete_msg(cnode, 64));
    preemption_test_every(0);
    root_domain()->context.restart = 0;
    assert_int_equal(cap_type(slot_cap(cnode)), CAP_ZOMBIE);
    collect_derivations();
    assert_int_equal(seen_count, caps_on_list());
    size_t zombie = position_of(cnode);
    assert_int_equal(seen[zombie].type, CAP_ZOMBIE);
    assert_int_equal(seen[zombie].radix, 2);
    assert_int_equal(seen[zombie].object, cnode_address);
    bool found = false;
    for (size_t i = 0; i < seen_count; i++) {
        if (seen[i].type == CAP_ENDPOINT && seen[i].container == cnode_address) {
            assert_int_equal(seen[i].place, VIEW_PLACE_CNODE);
            assert_int_equal(seen[i].index, 1);
            found = true;
        }
    }
    assert_true(found);
    collect_cspace(hal_user_address(root_domain()));
    assert_int_equal(seen_count, root_caps());
    assert_int_equal(seen[position_of(cnode)].type, CAP_ZOMBIE);
    assert_contains(captured(sim_capview_text), "Zombie");
}

/* The domains, in the order of the derivation list. */
static void collect_domains(void)
{
    domain_count = 0;
    size_t visited = view_domains(collect_domain, NULL); /* before domain_count is read */
    assert_int_equal(visited, domain_count);
}

static const struct view_domain *domain_viewed(const struct domain *d)
{
    for (size_t i = 0; i < domain_count; i++)
        if (domains[i].address == hal_user_address(d))
            return &domains[i];
    fail_msg("domain %p was not visited", (const void *)d);
    return NULL;
}

/* VIEW0006: the domains and an endpoint's queue: the root and a domain
 * wait to receive on an Endpoint, in that order, while a third runs; once
 * it waits too, no domain can run and the kernel stops, and the view
 * still shows them all. */
static void VIEW0006_domains_and_queue(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    uintptr_t ep_address = cap_address(slot_cap(ep));
    struct domain *a = new_started_domain(NO_CAP, false);
    struct domain *b = new_started_domain(NO_CAP, false);
    struct domain *root = root_domain();
    recv_as(root, ep, NO_CAP);
    recv_as(a, ep, NO_CAP);
    collect_domains();
    assert_int_equal(domain_count, 3);
    const struct view_domain *r = domain_viewed(root);
    assert_true(r->root);
    assert_false(r->current);
    assert_int_equal(r->state, DOMAIN_BLOCKED_RECV);
    assert_int_equal(r->waits_on, ep_address);
    assert_int_equal(r->cspace, root_cnode_address());
    assert_int_equal(r->pdom, cap_address(slot_cap(VESPER_ROOT_SLOT_PDOM)));
    assert_int_equal(domain_viewed(a)->waits_on, ep_address);
    assert_true(domain_viewed(b)->current);
    assert_int_equal(domain_viewed(b)->state, DOMAIN_RUNNABLE);
    domain_count = 0;
    assert_int_equal(view_queue(ep_address, collect_domain, NULL), 2);
    assert_int_equal(domains[0].address, hal_user_address(root));
    assert_int_equal(domains[1].address, hal_user_address(a));
    assert_int_equal(view_queue(cap_address(slot_cap(VESPER_ROOT_SLOT_PDOM)), collect_domain,
                                NULL),
                     0); /* not an Endpoint or Notification */
    const char *text = captured(sim_domains_text);
    char line[512];
    snprintf(line, sizeof line, "  domain 0x%lx (current): runnable\n",
             (unsigned long)hal_user_address(b));
    assert_contains(text, line);
    snprintf(line, sizeof line, "  Endpoint 0x%lx, first to last:\n    domain 0x%lx (root): "
             "waits to receive on Endpoint 0x%lx\n    domain 0x%lx: waits to receive",
             (unsigned long)ep_address, (unsigned long)hal_user_address(root),
             (unsigned long)ep_address, (unsigned long)hal_user_address(a));
    assert_contains(text, line);
    /* After shutdown the objects are still there to see. */
    recv_as(b, ep, NO_CAP);
    assert_false(kernel_is_running());
    collect_domains();
    assert_int_equal(domain_count, 3);
    assert_false(domain_viewed(b)->current);
    assert_int_equal(view_queue(ep_address, collect_domain, NULL), 3);
    collect_derivations();
    assert_int_equal(seen_count, caps_on_list());
}

/* VIEW0007: the text: a domain's heading, its CSpace lines and the
 * derivation tree indented by depth. */
static void VIEW0007_text(void **state)
{
    (void)state;
    struct endpoints e = make_endpoints();
    unsigned long ep = (unsigned long)cap_address(slot_cap(e.original));
    const char *text = captured(sim_capview_text);
    char line[512];
    snprintf(line, sizeof line, "domain 0x%lx (root, current): runnable\n  CSpace",
             (unsigned long)hal_user_address(root_domain()));
    assert_contains(text, line);
    snprintf(line, sizeof line, "\n    cptr 0x%lx/64: Endpoint RW-- 0x%lx badge 0x5\n",
             (unsigned long)e.badged, ep);
    assert_contains(text, line);
    snprintf(line, sizeof line,
             "\n    Endpoint RWGP 0x%lx in CNode 0x%lx slot %lu\n"
             "      Endpoint RW-- 0x%lx badge 0x5 in CNode 0x%lx slot %lu\n"
             "        Endpoint RW-- 0x%lx badge 0x5 in CNode 0x%lx slot %lu\n",
             ep, (unsigned long)root_cnode_address(), (unsigned long)e.original, ep,
             (unsigned long)root_cnode_address(), (unsigned long)e.badged, ep,
             (unsigned long)root_cnode_address(), (unsigned long)e.copy);
    assert_contains(text, line);
    snprintf(line, sizeof line, "CNode RWGP 0x%lx radix 10 guard 0x0/54 in Domain 0x%lx "
             "CSpace slot\n", (unsigned long)root_cnode_address(),
             (unsigned long)hal_user_address(root_domain()));
    assert_contains(text, line);
    assert_contains(text, "Frame4K R--- ");
}

/* How many times needle occurs in text. */
static size_t occurrences(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *at = strstr(text, needle); at != NULL; at = strstr(at + 1, needle))
        n++;
    return n;
}

/* VIEW0008: the DOT: a digraph with a cluster per domain, a node for each
 * capability, the edges of the derivation tree, and an edge from each
 * capability to its object. */
static void VIEW0008_dot(void **state)
{
    (void)state;
    struct endpoints e = make_endpoints();
    make_domain(NO_CAP);
    const char *dot = captured(sim_capview_dot);
    assert_int_equal(strncmp(dot, "digraph capabilities {\n", 23), 0);
    assert_int_equal(dot[strlen(dot) - 2], '}');
    assert_int_equal(occurrences(dot, "subgraph cluster_domain_"), 2);
    assert_int_equal(occurrences(dot, "{"), occurrences(dot, "}"));
    assert_int_equal(occurrences(dot, "[label=\""), caps_on_list());
    char line[512];
    snprintf(line, sizeof line, "  slot_%lx -> slot_%lx;\n",
             (unsigned long)root_slot_address(e.original),
             (unsigned long)root_slot_address(e.badged));
    assert_contains(dot, line);
    snprintf(line, sizeof line, "  slot_%lx -> object_Endpoint_%lx [style=dashed",
             (unsigned long)root_slot_address(e.copy),
             (unsigned long)cap_address(slot_cap(e.original)));
    assert_contains(dot, line);
    snprintf(line, sizeof line, "  object_Endpoint_%lx [shape=ellipse",
             (unsigned long)cap_address(slot_cap(e.original)));
    assert_int_equal(occurrences(dot, line), 1);
}

/* VIEW0010: domains given the root's CNode list the CSpace once: the
 * others name the domain whose listing theirs is, and their DOT clusters
 * say the slots are drawn in an earlier one. */
static void VIEW0010_a_shared_cspace_is_listed_once(void **state)
{
    (void)state;
    struct domain *a = new_started_domain(NO_CAP, false);
    struct domain *b = new_started_domain(NO_CAP, false);
    const char *text = captured(sim_capview_text);
    assert_int_equal(occurrences(text, "  CSpace (cptr/bits: capability):\n"), 1);
    char line[512];
    for (unsigned i = 0; i < 2; i++) {
        snprintf(line, sizeof line,
                 "domain 0x%lx: runnable\n  CSpace: the same as domain 0x%lx's\n",
                 (unsigned long)hal_user_address(i == 0 ? a : b),
                 (unsigned long)hal_user_address(root_domain()));
        assert_contains(text, line);
    }
    /* In the DOT, their clusters say where the slots are drawn. */
    const char *dot = captured(sim_capview_dot);
    for (unsigned i = 0; i < 2; i++) {
        snprintf(line, sizeof line, "    shared_%lx [shape=plaintext",
                 (unsigned long)hal_user_address(i == 0 ? a : b));
        assert_contains(dot, line);
    }
    snprintf(line, sizeof line, "shared_%lx", (unsigned long)hal_user_address(root_domain()));
    assert_null(strstr(dot, line));
}

/* VIEW0009: the names and the rights letters. */
static void VIEW0009_names(void **state)
{
    (void)state;
    assert_string_equal(view_type_name(CAP_NOTIFICATION), "Notification");
    assert_string_equal(view_type_name(CAP_ZOMBIE), "Zombie");
    assert_string_equal(view_type_name((enum cap_type)CAP_TYPE_COUNT), "?");
    assert_string_equal(view_state_name(DOMAIN_BLOCKED_NTFN), "waits on a notification");
    char text[5];
    struct view_cap c = {.type = CAP_ENDPOINT, .rights = VESPER_RIGHT_READ | VESPER_RIGHT_GRANT_REPLY};
    view_rights_text(&c, text);
    assert_string_equal(text, "R--P");
    c = (struct view_cap){.type = CAP_FRAME_4K, .rights = VESPER_RIGHTS_ALL};
    view_rights_text(&c, text);
    assert_string_equal(text, "RWXP");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(VIEW0001_derivation_tree, test_boot),
        cmocka_unit_test_setup(VIEW0002_root_cspace_is_one_level, test_boot),
        cmocka_unit_test_setup(VIEW0003_two_level_cspace_with_guards, test_boot),
        cmocka_unit_test_setup(VIEW0004_cnode_cycles_end, test_boot),
        cmocka_unit_test_setup(VIEW0005_zombies, test_boot),
        cmocka_unit_test_setup(VIEW0006_domains_and_queue, test_boot),
        cmocka_unit_test_setup(VIEW0007_text, test_boot),
        cmocka_unit_test_setup(VIEW0008_dot, test_boot),
        cmocka_unit_test(VIEW0009_names),
        cmocka_unit_test_setup(VIEW0010_a_shared_cspace_is_listed_once, test_boot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

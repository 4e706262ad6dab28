# SPDX-License-Identifier: BlueOak-1.0.0
"""Checks of scripts/gdb/vesper.py, sourced into gdb after it.

Each check runs a `vesper` command, reads its output, and compares it with
what plain gdb expressions read from the same kernel state, so that a
command that prints wrong data fails. Every check prints one line,
"gdb-check: ok WHAT" or "gdb-check: FAILED WHAT: why", and a command ends
with a summary that says "all passed" only when every check did.

    (gdb) set $window_offset = OFFSET   what hal_kernel_pointer() adds
    (gdb) check-pingpong                 at kernel_shutdown in pingpong
    (gdb) check-ipc-notification         at a notification_signal that
                                         wakes a waiter, in ipc
"""
import gdb


class Checker:
    def __init__(self):
        self.failures = 0
        self.count = 0
        self.offset = int(gdb.parse_and_eval("$window_offset"))

    def check(self, what, passed, why=""):
        self.count += 1
        if passed:
            gdb.write(f"gdb-check: ok {what}\n")
        else:
            self.failures += 1
            gdb.write(f"gdb-check: FAILED {what}: {why}\n")

    def summary(self):
        if self.failures:
            gdb.write(f"gdb-check: {self.failures} of {self.count} FAILED\n")
        else:
            gdb.write(f"gdb-check: {self.count} checks, all passed\n")

    def user(self, pointer):
        """hal_user_address() of a kernel pointer."""
        return int(pointer) - self.offset

    def value(self, expression):
        return gdb.parse_and_eval(expression)


def run(command):
    gdb.write(f"(gdb) {command}\n")
    output = gdb.execute(command, to_string=True)
    gdb.write(output)
    return output.splitlines()


def lines_with(lines, *texts):
    return [line for line in lines if all(text in line for text in texts)]


def enum_word(value, prefix):
    """An enum value as the commands print it: no prefix, lower case."""
    return str(value).replace(prefix, "", 1).lower()


def indent(line):
    return len(line) - len(line.lstrip(" "))


def domain_line(lines, address):
    found = [line for line in lines[2:] if line[2:].split(" ", 1)[0] == f"0x{address:x}"]
    return found[0] if len(found) == 1 else ""


def slot_count(c, cnode_cap):
    """Non-empty slots of a CNode, read with plain gdb expressions."""
    radix = (int(cnode_cap["word0"]) >> 57) & 0x3F
    address = (int(cnode_cap["word0"]) & ((1 << 48) - 1)) + c.offset
    slots = c.value(f"(struct cte *)0x{address:x}")
    return sum(1 for i in range(1 << radix)
               if (int(slots[i]["cap"]["word0"]) >> 48) & 0x1F != 0)


def list_length(c):
    """Slots on the derivation list, walked with plain gdb expressions."""
    count = 0
    pointer = int(c.value("kernel.cdt_head.mdb.next")) & ~3
    while pointer:
        count += 1
        pointer = int(c.value(f"((struct cte *)0x{pointer:x})->mdb.next")) & ~3
    return count


def check_domains_common(c, lines):
    count = int(lines[0].split()[0]) if lines and lines[0].split()[0].isdigit() else -1
    c.check("vesper domains lists one line per domain", count == len(lines) - 2,
            f"header says {count}, {len(lines) - 2} lines")
    current = int(c.value("kernel.current"))
    marked = [line for line in lines[2:] if line.startswith("*")]
    c.check("the current domain is marked",
            current and len(marked) == 1 and f"0x{c.user(current):x} " in marked[0],
            f"kernel.current is 0x{current:x}, marked {marked}")


def check_cspace_common(c, lines, root_cnode):
    slots = slot_count(c, root_cnode)
    rows = [line for line in lines[2:] if line.startswith("  0x")]
    c.check("vesper cspace shows every non-empty slot of the root CNode", len(rows) == slots,
            f"{len(rows)} rows, {slots} non-empty slots")
    root_domain = c.user(c.value("kernel.root"))
    c.check("slot 1 of the root CNode is the root domain",
            len(lines_with(lines, "  0x1/64 ", "domain", f"0x{root_domain:x}")) == 1)
    c.check("slot 2 is the root CNode, radix 10 with a 54-bit guard",
            len(lines_with(lines, "  0x2/64 ", "cnode", "radix 10, guard 0x0/54 bits")) == 1)
    bootinfo = lines_with(lines, "  0x5/64 ")
    c.check("slot 5, the bootinfo frame, has the read right only",
            len(bootinfo) == 1 and bootinfo[0].split()[3] == "read", f"{bootinfo}")


def check_cdt_common(c, lines):
    length = list_length(c)
    c.check("vesper cdt shows every slot on the derivation list",
            len(lines) == length + 1 and lines[0].startswith(f"{length} capabilities"),
            f"{len(lines) - 1} lines, {length} on the list")
    copies = [i for i, line in enumerate(lines) if line.lstrip().startswith("cnode")]
    c.check("the root CNode's copies in domains are children of the original",
            len(copies) >= 2 and "[2]" in lines[copies[0]] and
            all(indent(lines[i]) == indent(lines[copies[0]]) + 2 for i in copies[1:]),
            "\n".join(lines[i] for i in copies))


def parent_line(lines, index):
    """The nearest line above lines[index] indented less: its parent."""
    for line in reversed(lines[:index]):
        if indent(line) < indent(lines[index]):
            return line
    return ""


def state_of(c, domain):
    """A domain's state word, as gdb prints enum domain_state."""
    return enum_word(c.value(f"(enum domain_state)((struct domain *)0x{int(domain):x})->state"),
                     "DOMAIN_")


def check_pingpong(c):
    """At kernel_shutdown in the pingpong program."""
    root_cnode = c.value("kernel.root->slots[0].cap")
    cptr = int(c.value("'pingpong.c'::server_args.endpoint"))
    cnode = (int(root_cnode["word0"]) & ((1 << 48) - 1)) + c.offset
    endpoint_cap = c.value(f"((struct cte *)0x{cnode:x})[{cptr}].cap")
    endpoint = int(endpoint_cap["word0"]) & ((1 << 48) - 1)
    ep = c.value(f"(struct endpoint *)0x{endpoint + c.offset:x}")
    server = ep["queue"]["head"]
    reply = c.user(server["reply"])

    lines = run("vesper domains")
    check_domains_common(c, lines)
    root = domain_line(lines, c.user(c.value("kernel.root")))
    state = state_of(c, c.value("kernel.root"))
    c.check("the root domain is stopped with status 0, as its state word says",
            state == "stopped" and " stopped " in root and "status 0" in root and
            root.rstrip().endswith("root"), f"state {state}: {root!r}")
    line = domain_line(lines, c.user(server))
    state = state_of(c, server)
    c.check("the server waits to receive on the endpoint, with its reply object",
            state == "blocked_recv" and " blocked_recv " in line and
            f"endpoint 0x{endpoint:x} to receive, reply 0x{reply:x}" in line,
            f"state {state}: {line!r}")

    lines = run("vesper cspace")
    check_cspace_common(c, lines, root_cnode)
    c.check(f"slot {cptr:#x} (server_args.endpoint) is the endpoint, unbadged",
            len(lines_with(lines, f"  0x{cptr:x}/64 ", " endpoint ", f"0x{endpoint:x}",
                           "badge none")) == 1)
    server_lines = run(f"vesper cspace 0x{c.user(server):x}")
    c.check("the server's CSpace, named by its address, is the root's",
            server_lines[1:] == lines[1:] and f"0x{c.user(server):x}" in server_lines[0])

    lines = run("vesper cdt")
    check_cdt_common(c, lines)
    found = [i for i, line in enumerate(lines)
             if line.lstrip().startswith("endpoint") and f"0x{endpoint:x}" in line]
    parent = parent_line(lines, found[0]) if found else ""
    c.check("the endpoint derives from the Untyped it was retyped from",
            len(found) == 1 and parent.lstrip().startswith("untyped") and
            indent(lines[found[0]]) == indent(parent) + 2, f"{parent!r}")

    expected = ["endpoint 0x%x: state recv, 1 waiting" % endpoint,
                "  0: domain 0x%x receives, reply 0x%x" % (c.user(server), reply)]
    for form in (f"0x{endpoint:x}", f"0x{endpoint + c.offset:x}",
                 f"(struct endpoint *)0x{endpoint + c.offset:x}"):
        c.check(f"vesper endpoint {form} shows the receiving server",
                run(f"vesper endpoint {form}") == expected)
    c.check("vesper notification lists the one queue there is",
            run("vesper notification") == expected)

    lines = run("vesper cap kernel.root->slots[0]")
    c.check("vesper cap decodes the root's CSpace slot as a CNode",
            f"  type     cnode ({int(c.value('CAP_CNODE'))})" in lines and
            "  radix    10" in lines and "  guard    0x0/54 bits" in lines and
            any(line.startswith("  slot     prev 0x") for line in lines), f"{lines}")
    words = f"{int(endpoint_cap['word0'])} {int(endpoint_cap['word1'])}"
    lines = run(f"vesper cap {words}")
    c.check("vesper cap decodes the endpoint's two words",
            f"  type     endpoint ({int(c.value('CAP_ENDPOINT'))})" in lines and
            f"  address  0x{endpoint:x}" in lines and
            "  rights   0xf: all (read, write, grant, grant_reply)" in lines and
            "  badge    none" in lines, f"{lines}")


def check_ipc_notification(c):
    """Where ipc signals a notification a domain waits on (break
    notification_signal if n->queue.head != 0)."""
    n = c.value("n")
    badge = int(c.value("badge"))
    notification = c.user(n)
    waiter = n["queue"]["head"]

    lines = run("vesper domains")
    check_domains_common(c, lines)
    line = domain_line(lines, c.user(waiter))
    state = state_of(c, waiter)
    c.check("the waiter is blocked on the notification being signalled",
            state == "blocked_ntfn" and " blocked_ntfn " in line and
            f"notification 0x{notification:x}" in line, f"state {state}: {line!r}")
    current = domain_line(lines, c.user(c.value("kernel.current")))
    c.check("the signalling domain runs", " runnable " in current, current)

    lines = run(f"vesper notification 0x{notification:x}")
    c.check("vesper notification shows its word and its waiter",
            lines == [f"notification 0x{notification:x}: word 0x{int(n['word']):x}, "
                      "bound to no domain, 1 waiting",
                      f"  0: domain 0x{c.user(waiter):x} waits"], f"{lines}")

    lines = run("vesper cspace")
    badged = lines_with(lines, " notification ", f"0x{notification:x}",
                        f"badge 0x{badge:x}")
    c.check(f"the current CSpace holds the notification badged 0x{badge:x}",
            len(badged) >= 1, f"{badged}")

    lines = run("vesper cdt")
    check_cdt_common(c, lines)
    found = [i for i, line in enumerate(lines) if f"0x{notification:x}" in line and
             f"badge 0x{badge:x}" in line]
    parent = parent_line(lines, found[0]) if found else ""
    c.check("the badged capability derives from the unbadged original",
            bool(found) and parent.lstrip().startswith("notification") and
            f"0x{notification:x}" in parent and "badge none" in parent, f"{parent!r}")


class CheckCommand(gdb.Command):
    """A gdb command that runs one group of checks and sums them up."""

    def __init__(self, name, checks):
        super().__init__(name, gdb.COMMAND_USER)
        self.checks = checks

    def invoke(self, argument, from_tty):
        c = Checker()
        self.checks(c)
        c.summary()


CheckCommand("check-pingpong", check_pingpong)
CheckCommand("check-ipc-notification", check_ipc_notification)

# SPDX-License-Identifier: BlueOak-1.0.0
"""gdb commands that show the Vesper kernel's state: domains, CSpaces, the
derivation tree, IPC queues and capabilities.

Load it into gdb with `source scripts/gdb/vesper.py` (or `gdb -x ...`), on
build/sim/vesper-sim as on a Pi image's .elf under QEMU's gdb stub, then
type `help vesper`. docs/gdb.md describes every command.

Everything is read through the kernel's own debug information: the global
`kernel` (struct kernel_state, core/entry/state.h), struct domain, struct
cte and the enums that name capability types, rights and domain states.
What DWARF cannot give (the bit layout of a capability's two words,
documented at the top of core/cap/cap.h, and a few #define'd constants)
is written out below, next to the header it mirrors. A build with macro
information (-g3) lets the constants come from the headers too.
"""
import struct

import gdb

# The packed word 0 of a capability (core/cap/cap.h).
CAP_ADDRESS_MASK = (1 << 48) - 1
CAP_TYPE_SHIFT, CAP_TYPE_MASK = 48, 0x1F
CAP_RIGHTS_SHIFT, CAP_RIGHTS_MASK = 53, 0xF
CAP_AUX_SHIFT, CAP_AUX_MASK = 57, 0x7F

# Constants that are macros in the headers, so absent from DWARF unless the
# build keeps macro information. Each is first looked up by its name.
FALLBACK_CONSTANTS = {
    # core/include/vesper/object.h
    "VESPER_SLOT_BITS": 5,
    "VESPER_ENDPOINT_BITS": 5,
    "VESPER_NOTIFICATION_BITS": 6,
    "VESPER_REPLY_BITS": 5,
    "VESPER_DOMAIN_BITS": 11,
    "VESPER_FRAME_4K_BITS": 12,
    "VESPER_FRAME_2M_BITS": 21,
    "VESPER_PDOM_BITS": 12,
    "VESPER_PAGE_TABLE_BITS": 12,
    # core/cap/cap.h
    "ZOMBIE_DOMAIN": 0x7F,
    "MDB_REVOCABLE": 1,
    "MDB_FIRST_BADGED": 2,
    "MDB_FLAGS": 3,
    # core/object/domain.h
    "IPC_CALL": 1,
    "IPC_FAULT": 2,
    "IPC_GRANT": 4,
    "IPC_GRANT_REPLY": 8,
    # hal/host/hal_context.h: the kernel's window on RAM lies this far above
    # the users' (hal_kernel_pointer, hal_user_address).
    "HAL_HOST_WINDOW_OFFSET": 0x530000000000 - 0x520000000000,
}

# What ipc_flags of a queued domain say, in the order they are printed.
IPC_FLAG_NAMES = (("IPC_CALL", "call"), ("IPC_FAULT", "fault"),
                  ("IPC_GRANT", "grant"), ("IPC_GRANT_REPLY", "grant-reply"))

# A symbol only the POSIX host HAL defines (hal/host/run.c).
HOST_HAL_SYMBOL = "host_trap"


# Constants found so far; emptied by each command, as the program may change.
constants_found = {}


def constant(name):
    """A constant of the kernel's headers: from the macro information when
    the build has it, otherwise the value the header had when this was
    written."""
    if name not in constants_found:
        try:
            constants_found[name] = int(gdb.parse_and_eval(name))
        except gdb.error:
            constants_found[name] = FALLBACK_CONSTANTS[name]
    return constants_found[name]


def window_offset():
    """What hal_kernel_pointer() adds to a user address: the distance of the
    kernel's window from the single address space (0 on the Pi, where both
    are the same)."""
    try:
        return int(gdb.parse_and_eval("HAL_HOST_WINDOW_OFFSET"))
    except gdb.error:
        pass
    if gdb.lookup_global_symbol(HOST_HAL_SYMBOL) is not None:
        return FALLBACK_CONSTANTS["HAL_HOST_WINDOW_OFFSET"]
    return 0


def strip_typedefs_and_pointers(value):
    """value, dereferenced while it is a pointer, with typedefs stripped."""
    while value.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
        value = value.dereference()
    return value


def field_offset(type_name, path):
    """The byte offset of a (dotted) member path inside a struct."""
    offset = 0
    current = gdb.lookup_type(type_name)
    for member in path.split("."):
        found = [f for f in current.strip_typedefs().fields() if f.name == member]
        if not found:
            raise gdb.GdbError(f"{type_name} has no member {path}")
        offset += found[0].bitpos // 8
        current = found[0].type
    return offset


class Enum:
    """An enum of the kernel's, read from DWARF: values and short names
    (the enumerator without its prefix, in lower case)."""

    def __init__(self, type_name, prefix):
        try:
            fields = gdb.lookup_type(type_name).fields()
        except gdb.error:
            raise gdb.GdbError(f"no {type_name} in the debug information: "
                               "is this a Vesper kernel built with -g?")
        self.value_of = {}
        self.name_of = {}
        for f in fields:
            short = f.name[len(prefix):] if f.name.startswith(prefix) else f.name
            self.value_of[short.lower()] = f.enumval
            self.name_of.setdefault(f.enumval, short.lower())

    def name(self, value):
        return self.name_of.get(value, f"unknown({value})")

    def __getitem__(self, short):
        return self.value_of[short]


class Cap:
    """A capability's two words, with word 0's fields unpacked."""

    def __init__(self, word0, word1):
        self.word0 = word0 & (2**64 - 1)
        self.word1 = word1 & (2**64 - 1)
        self.address = self.word0 & CAP_ADDRESS_MASK
        self.type = (self.word0 >> CAP_TYPE_SHIFT) & CAP_TYPE_MASK
        self.rights = (self.word0 >> CAP_RIGHTS_SHIFT) & CAP_RIGHTS_MASK
        self.aux = (self.word0 >> CAP_AUX_SHIFT) & CAP_AUX_MASK


class Slot:
    """A struct cte read from memory: where it is (a kernel pointer), its
    capability and its derivation-list links."""

    def __init__(self, pointer, cap, prev, next_word):
        self.pointer = pointer
        self.cap = cap
        self.prev = prev
        self.next_word = next_word


class Kernel:
    """The kernel's state as the inferior holds it now. Made afresh by each
    command, since the state changes between stops."""

    def __init__(self):
        symbol = gdb.lookup_global_symbol("kernel")
        if symbol is None:
            raise gdb.GdbError("no global `kernel`: load a Vesper kernel "
                               "(build/sim/vesper-sim or a Pi image's .elf)")
        self.state = symbol.value()
        constants_found.clear()
        self.inferior = gdb.selected_inferior()
        self.types = Enum("enum cap_type", "CAP_")
        self.rights = Enum("enum vesper_rights", "VESPER_RIGHT_")
        self.frame_rights = Enum("enum vesper_frame_rights", "VESPER_FRAME_")
        self.domain_states = Enum("enum domain_state", "DOMAIN_")
        self.domain_slots = Enum("enum domain_slot", "DOMAIN_SLOT_")
        self.endpoint_states = Enum("enum endpoint_state", "ENDPOINT_")
        self.offset = window_offset()
        self.domain_type = gdb.lookup_type("struct domain")
        self.endpoint_type = gdb.lookup_type("struct endpoint")
        self.notification_type = gdb.lookup_type("struct notification")
        self.slot_size = gdb.lookup_type("struct cte").sizeof
        self.slot_layout = [field_offset("struct cte", path) for path in
                            ("cap.word0", "cap.word1", "mdb.prev", "mdb.next")]
        endian = gdb.execute("show endian", to_string=True)
        self.byte_order = ">" if "big endian" in endian else "<"
        self.mdb_flags = constant("MDB_FLAGS")
        self.bits = {name: constant(name) for name in FALLBACK_CONSTANTS
                     if name.endswith("_BITS")}

    # ---- Addresses ----------------------------------------------------

    def kernel_pointer(self, user_address):
        """hal_kernel_pointer(): where the kernel reaches a user address."""
        return user_address + self.offset

    def user_address(self, pointer):
        """hal_user_address(): the address domains see for a kernel pointer."""
        pointer = int(pointer)
        return pointer - self.offset if pointer else 0

    # ---- Memory -------------------------------------------------------

    def read_slots(self, pointer, count):
        """count slots from the kernel pointer on."""
        memory = bytes(self.inferior.read_memory(pointer, count * self.slot_size))
        word = self.byte_order + "Q"
        slots = []
        for i in range(count):
            base = i * self.slot_size
            w0, w1, prev, nxt = (struct.unpack_from(word, memory, base + at)[0]
                                 for at in self.slot_layout)
            slots.append(Slot(pointer + base, Cap(w0, w1), prev, nxt))
        return slots

    def value_at(self, pointer, gdb_type):
        return gdb.Value(pointer).cast(gdb_type.pointer()).dereference()

    def domain(self, pointer):
        return self.value_at(pointer, self.domain_type)

    # ---- The derivation list ------------------------------------------

    def derivation_list(self):
        """Every slot on the derivation list after kernel.cdt_head, in order."""
        head = int(self.state["cdt_head"].address)
        slots = []
        seen = set()
        pointer = self.read_slots(head, 1)[0].next_word & ~self.mdb_flags
        while pointer:
            if pointer in seen:
                raise gdb.GdbError(f"the derivation list loops at slot 0x{pointer:x}")
            seen.add(pointer)
            slot = self.read_slots(pointer, 1)[0]
            slots.append(slot)
            pointer = slot.next_word & ~self.mdb_flags
        return slots

    def objects_of_type(self, type_name, slots=None):
        """The user addresses of the objects of one type the derivation
        list names, each once, in list order (as print_domains() finds
        domains)."""
        wanted = self.types[type_name]
        found = []
        for slot in slots if slots is not None else self.derivation_list():
            if slot.cap.type == wanted and slot.cap.address not in found:
                found.append(slot.cap.address)
        return found

    # ---- The object model (core/object/objecttype.c, core/cap/cdt.c) --

    def type_name(self, cap):
        return self.types.name(cap.type)

    def object_bits(self, cap):
        """cap_object_bits(): log2 of the object's size, 0 for none."""
        name = self.type_name(cap)
        if name == "untyped":
            return cap.aux & 0x3F
        if name == "cnode":
            return (cap.aux & 0x3F) + self.bits["VESPER_SLOT_BITS"]
        if name == "zombie":
            if cap.aux == constant("ZOMBIE_DOMAIN"):
                return self.bits["VESPER_DOMAIN_BITS"]
            return cap.aux + self.bits["VESPER_SLOT_BITS"]
        return self.bits.get(f"VESPER_{name.upper()}_BITS", 0)

    def same_object(self, a, b):
        """cap_same_object()."""
        if a.type != b.type:
            return False
        name = self.type_name(a)
        if name in ("null", "zombie", "untyped"):
            return False
        if name == "cnode":
            return a.address == b.address and (a.aux & 0x3F) == (b.aux & 0x3F)
        if name in ("irq_control", "sched_control"):
            return True
        if name == "irq_handler":
            return (a.word1 & 0xFFFFFFFF) == (b.word1 & 0xFFFFFFFF)
        return a.address == b.address

    def same_region(self, a, b):
        """cap_same_region(): b lies inside what a names."""
        name = self.type_name(a)
        if name == "untyped":
            b_bits = self.object_bits(b)
            if b_bits == 0:
                return False
            return (b.address >= a.address and
                    b.address + (1 << b_bits) <= a.address + (1 << (a.aux & 0x3F)))
        if name == "irq_control":
            return self.type_name(b) in ("irq_control", "irq_handler")
        return self.same_object(a, b)

    def is_parent_of(self, a, b):
        """cdt_is_parent_of(): whether slot b, following a, descends from it."""
        if not (a.next_word & constant("MDB_REVOCABLE")) or not self.same_region(a.cap, b.cap):
            return False
        if self.type_name(a.cap) not in ("endpoint", "notification"):
            return True
        badge = a.cap.word1
        if badge == 0:
            return True
        return badge == b.cap.word1 and not (b.next_word & constant("MDB_FIRST_BADGED"))

    # ---- Words for people ---------------------------------------------

    def rights_text(self, cap):
        """The rights by the names object.h gives them; a frame's GRANT bit
        is its right to execute."""
        names = self.frame_rights if self.type_name(cap) in ("frame_4k", "frame_2m") \
            else self.rights
        return rights_words(names, cap.rights, cap.rights == CAP_RIGHTS_MASK)

    def details(self, cap):
        """The per-type fields of aux and word 1, as (label, text) pairs."""
        name = self.type_name(cap)
        decode = getattr(self, "details_" + name, None)
        return decode(cap) if decode else []

    def details_untyped(self, cap):
        bits = cap.aux & 0x3F
        out = [("size", f"2^{bits} ({size_text(1 << bits)})"),
               ("watermark", f"0x{cap.word1:x}")]
        if (cap.aux >> 6) & 1:
            out.append(("device", "yes"))
        return out

    def details_cnode(self, cap):
        guard_bits = cap.word1 & 0x3F
        return [("radix", str(cap.aux & 0x3F)),
                ("guard", f"0x{cap.word1 >> 6:x}/{guard_bits} bits")]

    def details_endpoint(self, cap):
        return [("badge", f"0x{cap.word1:x}" if cap.word1 else "none")]

    details_notification = details_endpoint

    def details_frame_4k(self, cap):
        out = []
        if cap.aux & 1:
            out.append(("device", "yes"))
        grant_rights = cap.word1 & 7
        if cap.word1 == 0:
            out.append(("grant", "none"))
        else:
            rights = rights_words(self.frame_rights, grant_rights, False)
            out.append(("grant", f"{rights} in pdom slot {(cap.word1 >> 4) & 0x7F} "
                                 f"generation {cap.word1 >> 12}"))
        return out

    details_frame_2m = details_frame_4k

    def details_pdom(self, cap):
        return [("pdom slot", str(cap.aux)), ("generation", str(cap.word1))]

    def details_page_table(self, cap):
        level = cap.aux & 3
        if level == 0:
            return [("installed", "no")]
        base = (cap.word1 & ((1 << 36) - 1)) << 12
        return [("installed", f"level {level} at 0x{base:x} in pdom slot "
                              f"{(cap.word1 >> 36) & 0x7F} generation {cap.word1 >> 43}")]

    def details_irq_handler(self, cap):
        return [("line", str(cap.word1 & 0xFFFFFFFF))]

    def details_zombie(self, cap):
        if cap.aux == constant("ZOMBIE_DOMAIN"):
            of = "a domain"
        else:
            of = f"a cnode of radix {cap.aux}"
        link = cap.word1 & CAP_ADDRESS_MASK
        if link >> 47:
            link |= ~CAP_ADDRESS_MASK & (2**64 - 1)
        return [("emptying", of), ("bottom", "yes" if cap.rights & 1 else "no"),
                ("next zombie", f"0x{link:x}"), ("scanned", str(cap.word1 >> 48))]

    def describe(self, cap):
        """One line: type, address, rights, details."""
        text = f"{self.type_name(cap):<13} {address_text(cap.address):<16} " \
               f"{self.rights_text(cap):<10}"
        extra = ", ".join(f"{label} {value}" for label, value in self.details(cap))
        return (text + " " + extra).rstrip()


def rights_words(names, rights, all_set):
    """Rights as their names joined by '|': 'all' for every right, 'none'."""
    if all_set:
        return "all"
    words = [names.name(bit) for bit in sorted(names.name_of) if bit and rights & bit]
    return "|".join(words) if words else "none"


def size_text(size):
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return f"{size >> shift} {unit}"
    return f"{size} bytes"


def address_text(address):
    return f"0x{address:x}" if address else "-"


def evaluate_integer(expression):
    return int(gdb.parse_and_eval(expression)) & (2**64 - 1)


def find_object(k, argument, type_names, kernel_types):
    """The user address and type of the object an argument names: an
    expression of a pointer to one of kernel_types (a kernel pointer, say
    kernel.current->blocked_on cast, or kernel.root), or a number, taken as
    the address domains see (as these commands print them) or else as a
    kernel pointer, which a capability of one of type_names must name."""
    value = gdb.parse_and_eval(argument)
    target = value.type.strip_typedefs()
    known = {}
    for name in type_names:
        for address in k.objects_of_type(name):
            known[address] = name
    if target.code == gdb.TYPE_CODE_PTR:
        pointed = target.target().strip_typedefs()
        for struct_name, type_name in kernel_types.items():
            if pointed.tag == struct_name:
                address = k.user_address(int(value))
                return address, known.get(address, type_name)
    number = int(value) & (2**64 - 1)
    for address in (number, k.user_address(number)):
        if address in known:
            return address, known[address]
    raise gdb.GdbError(f"no {' or '.join(type_names)} capability names 0x{number:x} "
                       "(as a user address or a kernel pointer)")


# ---- Commands ------------------------------------------------------------


class VesperPrefix(gdb.Command):
    """Inspect the Vesper kernel's state: domains, CSpaces, the derivation
tree, IPC queues and capabilities.

Addresses are those domains see (capabilities hold them). On the host a
kernel pointer lies in the kernel's window above them (0x53... for the
user address 0x52...); on the Pi the two are the same. Commands that take
an object accept either, or an expression such as kernel.root."""

    def __init__(self):
        super().__init__("vesper", gdb.COMMAND_DATA, prefix=True)


class DomainsCommand(gdb.Command):
    """List every live domain: address, state, what it waits on, its PDom.

Usage: vesper domains

Domains are found as the kernel's print_domains() finds them: each Domain
object a capability on the derivation list names. `*` marks the current
domain (kernel.current). The state is enum domain_state without DOMAIN_;
"waits on" gives the endpoint, notification or Reply object of a blocked
domain, with the badge and flags of a queued sender, and a stopped
domain's exit status."""

    def __init__(self):
        super().__init__("vesper domains", gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        k = Kernel()
        addresses = k.objects_of_type("domain")
        current = k.user_address(k.state["current"])
        root = k.user_address(k.state["root"])
        scheduler = k.user_address(k.state["scheduler"])
        gdb.write(f"{len(addresses)} domains (* current):\n")
        gdb.write(f"  {'domain':<16} {'state':<14} {'waits on':<58} pdom\n")
        for address in addresses:
            d = k.domain(k.kernel_pointer(address))
            mark = "*" if address == current else " "
            state = k.domain_states.name(int(d["state"]))
            pdom_cap = domain_slot_cap(k, d, "pdom")
            pdom = address_text(pdom_cap.address) if k.type_name(pdom_cap) == "pdom" else "-"
            notes = [role for role, holder in (("root", root), ("scheduler", scheduler))
                     if holder == address]
            if d["bound"]:
                notes.append(f"bound notification 0x{k.user_address(d['bound']):x}")
            gdb.write(f"{mark} 0x{address:<14x} {state:<14} {waits_on(k, d):<58} {pdom}"
                      f"{'  ' + ', '.join(notes) if notes else ''}\n")
        if root and root not in addresses:
            gdb.write(f"note: no Domain capability names kernel.root (0x{root:x}); unless "
                      "it was deleted, the translation of kernel pointers (offset "
                      f"0x{k.offset:x}) does not fit this kernel\n")


def domain_slot_cap(k, d, slot_name):
    slot = d["slots"][k.domain_slots[slot_name]]["cap"]
    return Cap(int(slot["word0"]), int(slot["word1"]))


def waits_on(k, d):
    """What a domain waits for, in the words of kernel.c's print_domain()."""
    state = k.domain_states.name(int(d["state"]))
    on = k.user_address(d["blocked_on"])
    reply = k.user_address(d["reply"])
    if state == "blocked_send":
        return f"endpoint 0x{on:x} to send, {sender_text(k, d)}"
    if state == "blocked_recv":
        return f"endpoint 0x{on:x} to receive, reply {address_text(reply)}"
    if state == "blocked_reply":
        return f"reply 0x{reply:x}"
    if state == "blocked_ntfn":
        return f"notification 0x{on:x}"
    if state == "stopped":
        return f"status {int(d['exit_status'])}"
    if state == "inactive":
        return "never started"
    return "-"


def sender_text(k, d):
    badge = int(d["ipc_badge"])
    flags = int(d["ipc_flags"])
    words = [word for name, word in IPC_FLAG_NAMES if flags & constant(name)]
    return f"badge {'0x%x' % badge if badge else 'none'}" + \
        (" " + " ".join(words) if words else "")


class CSpaceCommand(gdb.Command):
    """Show a domain's CSpace: every non-empty slot reachable from its root.

Usage: vesper cspace [DOMAIN]

DOMAIN is a domain's address (as `vesper domains` prints it), a kernel
pointer or an expression such as kernel.root; without it, the current
domain (kernel.current). The walk starts at the CNode in the domain's
CSPACE slot and resolves as the kernel does (core/cap/cspace.c): each
CNode takes its guard, then radix bits, from the top of the address. A
slot is shown as CPTR/DEPTH, the value and depth a CNode operation names
it by; an invocation resolves all 64 bits, so it names a slot at depth
d < 64 as CPTR << (64 - d). A CNode below is walked while bits remain,
and each CNode once."""

    def __init__(self):
        super().__init__("vesper cspace", gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        k = Kernel()
        if argument.strip():
            address, _ = find_object(k, argument, ["domain"], {"domain": "domain"})
        else:
            if not k.state["current"]:
                raise gdb.GdbError("no domain is current (the kernel idles): name one")
            address = k.user_address(k.state["current"])
        root = domain_slot_cap(k, k.domain(k.kernel_pointer(address)), "cspace")
        if k.type_name(root) != "cnode":
            gdb.write(f"domain 0x{address:x} has no CSpace (its CSPACE slot holds "
                      f"{k.type_name(root)})\n")
            return
        gdb.write(f"CSpace of domain 0x{address:x}: root {k.describe(root)}\n")
        gdb.write(f"  {'cptr/depth':<22} {'type':<13} {'address':<16} {'rights':<10} details\n")
        for line in cspace_lines(k, root):
            gdb.write(line + "\n")


def cspace_lines(k, root):
    """The lines of a CSpace walk from the CNode capability root."""
    lines = []
    walked = {}

    def walk(node, prefix, used):
        radix = node.aux & 0x3F
        guard_bits = node.word1 & 0x3F
        depth = used + radix + guard_bits
        if depth > 64:
            lines.append(f"  (cnode 0x{node.address:x} needs {depth} bits: not reachable)")
            return
        key = (node.address, radix)
        if key in walked:
            lines.append(f"  (cnode 0x{node.address:x} walked above, at {walked[key]})")
            return
        walked[key] = f"0x{prefix:x}/{used}" if used else "the root"
        base = (prefix << (radix + guard_bits)) | ((node.word1 >> 6) << radix)
        for index, slot in enumerate(k.read_slots(k.kernel_pointer(node.address), 1 << radix)):
            if k.type_name(slot.cap) == "null":
                continue
            cptr = base | index
            lines.append(f"  {f'0x{cptr:x}/{depth}':<22} {k.describe(slot.cap)}")
            if k.type_name(slot.cap) == "cnode" and depth < 64:
                walk(slot.cap, cptr, depth)

    walk(root, 0, 0)
    return lines


class CdtCommand(gdb.Command):
    """Show the capability derivation tree, indented by depth.

Usage: vesper cdt

Walks the derivation list from kernel.cdt_head (core/cap/cdt.h) and
indents each capability under the one it derives from, by the rule of
cdt_is_parent_of(). Each line says where the slot is: a CNode and index,
a domain's own slot, or an interrupt line's binding; `revocable` and
`first-badged` are the slot's list flags."""

    def __init__(self):
        super().__init__("vesper cdt", gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        k = Kernel()
        slots = k.derivation_list()
        places = SlotPlaces(k, slots)
        gdb.write(f"{len(slots)} capabilities on the derivation list:\n")
        ancestors = []
        for slot in slots:
            while ancestors and not k.is_parent_of(ancestors[-1], slot):
                ancestors.pop()
            flags = [word for bit, word in ((constant("MDB_REVOCABLE"), "revocable"),
                                            (constant("MDB_FIRST_BADGED"), "first-badged"))
                     if slot.next_word & bit]
            indent = "  " * (len(ancestors) + 1)
            gdb.write(f"{indent}{k.describe(slot.cap)}  [{places.where(slot.pointer)}"
                      f"{'; ' + ', '.join(flags) if flags else ''}]\n")
            ancestors.append(slot)


class SlotPlaces:
    """Names a slot by its container: the CNodes and Domains the list's
    capabilities name, and the interrupt lines' bindings."""

    def __init__(self, k, slots):
        self.k = k
        self.containers = []
        slot_bits = k.bits["VESPER_SLOT_BITS"]
        seen = set()
        for slot in slots:
            name = k.type_name(slot.cap)
            if name in ("cnode", "domain") and (slot.cap.address, name) not in seen:
                seen.add((slot.cap.address, name))
                size = 1 << k.object_bits(slot.cap)
                self.containers.append((k.kernel_pointer(slot.cap.address), size, name,
                                        slot.cap.address))
        self.slot_bits = slot_bits
        self.domain_slots_offset = field_offset("struct domain", "slots")
        irq = k.state["irq"]
        self.irq_base = int(irq[0].address)
        self.irq_size = irq[0].type.sizeof
        self.irq_count = irq.type.range()[1] + 1
        self.irq_binding = field_offset("struct irq_line", "notification")

    def where(self, pointer):
        k = self.k
        for base, size, name, address in self.containers:
            if base <= pointer < base + size:
                if name == "cnode":
                    return f"cnode 0x{address:x}[{(pointer - base) >> self.slot_bits}]"
                index = (pointer - base - self.domain_slots_offset) // k.slot_size
                return f"domain 0x{address:x} {k.domain_slots.name(index)} slot"
        line, rest = divmod(pointer - self.irq_base, self.irq_size)
        if 0 <= line < self.irq_count and rest == self.irq_binding:
            return f"irq line {line} binding"
        return f"slot 0x{pointer:x}"


class EndpointCommand(gdb.Command):
    """Show an endpoint or notification and the domains queued on it.

Usage: vesper endpoint ADDRESS
       vesper notification ADDRESS

ADDRESS is the object's address (as capabilities and the other commands
show it), a kernel pointer, or an expression of type struct endpoint * or
struct notification *. Without ADDRESS, every endpoint and notification
that has domains queued. An endpoint's queue holds only senders or only
receivers (its state says which); a sender shows the badge of the
capability it sends with and whether it calls, carries a fault or may
grant. A notification shows its signal word and bound domain."""

    def __init__(self, name):
        super().__init__(name, gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        k = Kernel()
        kernel_types = {"endpoint": "endpoint", "notification": "notification"}
        if argument.strip():
            address, name = find_object(k, argument, ["endpoint", "notification"],
                                        kernel_types)
            show_ipc_object(k, address, name, always=True)
            return
        slots = k.derivation_list()
        shown = 0
        for name in kernel_types:
            for address in k.objects_of_type(name, slots):
                shown += show_ipc_object(k, address, name, always=False)
        if not shown:
            gdb.write("no domain is queued on any endpoint or notification\n")


def show_ipc_object(k, address, name, always):
    """Print an endpoint or notification with its queue; whether it did."""
    gdb_type = k.endpoint_type if name == "endpoint" else k.notification_type
    obj = k.value_at(k.kernel_pointer(address), gdb_type)
    waiting = []
    d = obj["queue"]["head"]
    while d and len(waiting) < 4096:
        waiting.append(d)
        d = d["queue_next"]
    if not waiting and not always:
        return False
    if name == "endpoint":
        head = f"endpoint 0x{address:x}: state {k.endpoint_states.name(int(obj['state']))}"
    else:
        bound = k.user_address(obj["bound"])
        head = f"notification 0x{address:x}: word 0x{int(obj['word']):x}, " \
               f"bound to {'domain 0x%x' % bound if bound else 'no domain'}"
    gdb.write(f"{head}, {len(waiting)} waiting\n")
    for position, d in enumerate(waiting):
        state = k.domain_states.name(int(d["state"]))
        if state == "blocked_send":
            what = "sends, " + sender_text(k, d)
        elif state == "blocked_recv":
            what = f"receives, reply {address_text(k.user_address(d['reply']))}"
        else:
            what = "waits" if state == "blocked_ntfn" else state
        gdb.write(f"  {position}: domain 0x{k.user_address(d):x} {what}\n")
    return True


class CapCommand(gdb.Command):
    """Decode a capability: type, address, rights and per-type fields.

Usage: vesper cap WORD0 WORD1
       vesper cap EXPRESSION

WORD0 and WORD1 are the capability's two words (numbers or expressions).
EXPRESSION is of type struct cap or struct cte, or a pointer to one, for
example kernel.root->slots[0] or *(struct cte *)0x530000000040; for a
slot its derivation-list links and flags are shown too. Word 0 holds the
address in bits 0-47, the type in 48-52, the rights in 53-56 and the aux
field in 57-63 (core/cap/cap.h); word 1's meaning depends on the type."""

    def __init__(self):
        super().__init__("vesper cap", gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        k = Kernel()
        words = gdb.string_to_argv(argument)
        slot = None
        if len(words) == 2:
            cap = Cap(evaluate_integer(words[0]), evaluate_integer(words[1]))
        elif len(words) == 1:
            value = strip_typedefs_and_pointers(gdb.parse_and_eval(argument))
            tag = value.type.strip_typedefs().tag
            if tag == "cte":
                slot = value
                value = value["cap"]
            elif tag != "cap":
                raise gdb.GdbError("give two words, or a struct cap or struct cte")
            cap = Cap(int(value["word0"]), int(value["word1"]))
        else:
            raise gdb.GdbError("usage: vesper cap WORD0 WORD1 | vesper cap EXPRESSION")
        rights = ", ".join(f"{k.rights.name(bit)}" for bit in sorted(k.rights.name_of)
                           if bit and cap.rights & bit) or "none"
        gdb.write(f"word0 0x{cap.word0:016x}  word1 0x{cap.word1:016x}\n")
        gdb.write(f"  type     {k.type_name(cap)} ({cap.type})\n")
        gdb.write(f"  address  {address_text(cap.address)}\n")
        gdb.write(f"  rights   0x{cap.rights:x}: {k.rights_text(cap)} ({rights})\n")
        gdb.write(f"  aux      0x{cap.aux:x}\n")
        for label, text in k.details(cap):
            gdb.write(f"  {label:<8} {text}\n")
        if slot is not None:
            next_word = int(slot["mdb"]["next"])
            flags = [word for bit, word in ((constant("MDB_REVOCABLE"), "revocable"),
                                            (constant("MDB_FIRST_BADGED"), "first-badged"))
                     if next_word & bit]
            gdb.write(f"  slot     prev 0x{int(slot['mdb']['prev']):x} next "
                      f"0x{next_word & ~k.mdb_flags:x} {' '.join(flags) or 'no flags'}\n")


VesperPrefix()
DomainsCommand()
CSpaceCommand()
CdtCommand()
EndpointCommand("vesper endpoint")
EndpointCommand("vesper notification")
CapCommand()

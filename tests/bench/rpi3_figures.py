#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Figures of the Raspberry Pi 3 build: the kernel's sizes and its
instructions per IPC round trip on the fast path, counted in QEMU.

    rpi3_figures.py sizes KERNEL_ELF
    rpi3_figures.py fastpath --qemu QEMU ELF IMAGE [--check] [--top N]

`sizes` reads the section headers of an image's ELF (kernel8.elf). The
linker script (hal/rpi3/kernel8.ld) gives the kernel's code and data the
sections .text, .rodata, .data and .bss, and the user part (libos, the
programs, the root entry, the memcpy family both share) sections of its
own (.text.shared, .text.user, .rodata.user, .data.user, .bss.user), so
the kernel's sections are the kernel alone; the kernel stack
(.kernel_stack) is left out. It prints

    metric kernel_text_bytes N bytes      .text: code, boot and vectors included
    metric kernel_rodata_bytes N bytes    .rodata
    metric kernel_data_bytes N bytes      .data
    metric kernel_bss_bytes N bytes       .bss, translation tables included

`fastpath` boots IMAGE (fastpath-count.img, programs/fastpath_count.c) in
QEMU's raspi3b with an instruction trace: `-singlestep` (or, where QEMU
has dropped it, `-accel tcg,one-insn-per-tb=on`) with `-d exec,nochain`
makes every executed instruction one "Trace" line with its pc, and
`-dfilter` keeps only the kernel's text, the shared text and the program's
mark function. `-icount shift=0` makes the run, timer interrupts
included, the same each time. QEMU logs an instruction before it runs it,
and logs it again when it left it unrun the first time (to take an
interrupt, or to redo a device access): a pc logged twice in a row counts
once, unless its instruction branches to itself. ELF gives the symbols.
A kernel entry starts at the synchronous or the IRQ vector from EL0 and
ends at the eret of rpi3_context_restore; only the synchronous ones are
counted (a timer interrupt's entry is reported, not counted). The program
calls its mark three times: N round trips lie between the first two marks,
2N between the last two, and every instruction of a counted entry, from
the vector to the eret (the HAL's save and restore of the context
included), is one kernel instruction. It prints

    metric ipc_fastpath_instructions_rpi3 N instructions
    metric ipc_fastpath_core_instructions_rpi3 N instructions

the first the difference of the two windows divided by N, the second the
part of it inside kernel_entry_syscall() and what it calls (what the host's
callgrind count takes), then comment lines: each syscall's count, the
functions with the most instructions per round trip (--top, default 8).

It checks what makes the count what it claims, and exits 1 when one fails:
the marks were reached three times; each window holds two syscall entries
per round trip (a Call, then the server's ReplyRecv); every Call counts the
same, and every ReplyRecv; both windows agree exactly; no entry ran a
function of the general path (so both syscalls took the fast path); the
kernel ran no shared text. With --check (the quick test) the count must
also lie within a plausible range.
"""
import argparse
import bisect
import os
import re
import struct
import subprocess
import sys
import tempfile

# The kernel's sections, and the metric each one gives.
KERNEL_SECTIONS = [('.text', 'kernel_text_bytes'), ('.rodata', 'kernel_rodata_bytes'),
                   ('.data', 'kernel_data_bytes'), ('.bss', 'kernel_bss_bytes')]

SYNC_FROM_EL0 = 0x400 # vector offsets (hal/rpi3/vectors.S)
IRQ_FROM_EL0 = 0x480
ERET = 0xd69f03e0
SHT_PROGBITS = 1
# Functions of the general path, none of which a fast-path round trip runs.
GENERAL_PATH = ['sys_call_endpoint', 'sys_reply_receive', 'endpoint_send', 'endpoint_receive',
                'sched_choose', 'next_after', 'traced_entry']
PLAUSIBLE = (50, 5000) # instructions per round trip that --check accepts
TRACE = re.compile(r'^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/')


class Elf:
    """Sections and symbols of a little-endian ELF64 file."""

    def __init__(self, path):
        with open(path, 'rb') as f:
            self.data = f.read()
        if self.data[:4] != b'\x7fELF' or self.data[4] != 2 or self.data[5] != 1:
            sys.exit('rpi3_figures: %s is not a little-endian ELF64 file' % path)
        shoff, = struct.unpack_from('<Q', self.data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from('<HHH', self.data, 0x3a)
        headers = [struct.unpack_from('<IIQQQQIIQQ', self.data, shoff + i * shentsize)
                   for i in range(shnum)]
        names = headers[shstrndx]
        self.sections = {}
        for h in headers:
            name = self._string(names[4], h[0])
            self.sections[name] = {'type': h[1], 'addr': h[3], 'offset': h[4], 'size': h[5],
                                   'link': h[6], 'entsize': h[9]}
        self.symbols = self._symbols()

    def _string(self, table_offset, index):
        start = table_offset + index
        return self.data[start:self.data.index(b'\0', start)].decode()

    def _symbols(self):
        symtab = self.sections.get('.symtab')
        if symtab is None:
            sys.exit('rpi3_figures: the ELF has no symbol table')
        strtab = list(self.sections.values())[symtab['link']]
        symbols = {}
        for i in range(symtab['size'] // symtab['entsize']):
            name, info, _, _, value, size = struct.unpack_from(
                '<IBBHQQ', self.data, symtab['offset'] + i * symtab['entsize'])
            text = self._string(strtab['offset'], name)
            if text and not text.startswith('$'): # not a mapping symbol ($x, $d)
                symbols.setdefault(text, (value, size, info & 0xf))
        return symbols

    def section_range(self, name):
        s = self.sections.get(name)
        return (s['addr'], s['addr'] + s['size']) if s else (0, 0)

    def symbol(self, name):
        if name not in self.symbols:
            sys.exit('rpi3_figures: no symbol %s in the ELF' % name)
        return self.symbols[name]

    def word_at(self, address):
        """The 32-bit word loaded at address, or None outside the file's
        loaded contents."""
        for s in self.sections.values():
            if s['type'] == SHT_PROGBITS and s['addr'] <= address < s['addr'] + s['size'] - 3:
                return struct.unpack_from('<I', self.data, s['offset'] + address - s['addr'])[0]
        return None


def sizes(args):
    elf = Elf(args.elf)
    if '.text.user' not in elf.sections:
        sys.exit('rpi3_figures: no .text.user section: the kernel and user parts are not apart')
    for section, metric in KERNEL_SECTIONS:
        s = elf.sections.get(section)
        print('metric %s %d bytes' % (metric, s['size'] if s else 0), flush=True)
    return 0


class Symbolizer:
    """The name of the kernel symbol at or below an address."""

    def __init__(self, elf, low, high):
        pairs = sorted((v, n) for n, (v, _, _) in elf.symbols.items()
                       if low <= v < high and not n.startswith('__'))
        self.addresses = [a for a, _ in pairs]
        self.names = [n for _, n in pairs]

    def __call__(self, pc):
        i = bisect.bisect_right(self.addresses, pc) - 1
        return self.names[i] if i >= 0 else '?'


def one_instruction_per_block(qemu):
    """QEMU's option for translating one instruction at a time."""
    done = subprocess.run([qemu, '-help'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    if re.search(r'^-singlestep\b', done.stdout, re.MULTILINE):
        return ['-singlestep']
    return ['-accel', 'tcg,one-insn-per-tb=on']


def run_qemu(args, elf, log):
    text = elf.section_range('.text')
    shared = elf.section_range('.text.shared')
    mark = elf.symbol('fastpath_count_mark')[0]
    ranges = ['0x%x..0x%x' % (text[0], text[1] - 1), '0x%x+4' % mark]
    if shared[1] > shared[0]:
        ranges.append('0x%x..0x%x' % (shared[0], shared[1] - 1))
    command = ([args.qemu, '-M', 'raspi3b', '-display', 'none', '-serial', 'stdio',
                '-semihosting', '-icount', 'shift=0'] + one_instruction_per_block(args.qemu) +
               ['-d', 'exec,nochain', '-dfilter', ','.join(ranges), '-D', log,
                '-kernel', args.image])
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, universal_newlines=True,
                              timeout=args.timeout)
    except subprocess.TimeoutExpired:
        sys.exit('rpi3_figures: QEMU did not finish in %d s' % args.timeout)
    found = re.search(r'fastpath-count: (\d+) and (\d+) round trips between the marks',
                      done.stdout)
    if done.returncode != 0 or found is None:
        sys.stderr.write(done.stdout)
        sys.exit('rpi3_figures: the counting image failed (QEMU status %d)' % done.returncode)
    rounds = int(found.group(1))
    if int(found.group(2)) != 2 * rounds or rounds == 0:
        sys.exit('rpi3_figures: the windows are not N and 2N round trips')
    return rounds


def branches_to_itself(elf, pc):
    """Whether the instruction at pc is a branch to itself (b, b.cond, cbz, cbnz, tbz or tbnz with offset 0): the one kind
    that runs twice in a row at one pc."""
    word = elf.word_at(pc)
    return word is not None and (word & 0xffffffff == 0x14000000 or # b .
            word & 0xffffffe0 == 0x54000000 or # b.cond .
            word & 0x7effffe0 == 0x34000000 or # cbz, cbnz .
            word & 0x7e07ffe0 == 0x36000000) # tbz, tbnz .


def kernel_entries(elf, log):
    """The kernel entries in the trace, each with the window it lies in
    (-1 before the first mark, 0 or 1 between marks, 2 after the last)."""
    vectors = elf.symbol('rpi3_vectors')[0]
    restore, restore_size, _ = elf.symbol('rpi3_context_restore')
    eret = restore + restore_size - 4
    if elf.word_at(eret) != ERET:
        sys.exit('rpi3_figures: rpi3_context_restore does not end with eret')
    mark = elf.symbol('fastpath_count_mark')[0]
    core, core_size, _ = elf.symbol('kernel_entry_syscall')
    trap, trap_size, _ = elf.symbol('rpi3_trap_from_el0')
    shared = elf.section_range('.text.shared')
    name_of = Symbolizer(elf, *elf.section_range('.text'))
    entries, marks, entry, in_core, last = [], 0, None, False, None
    with open(log, errors='replace') as f:
        for line in f:
            found = TRACE.match(line)
            if found is None:
                continue
            pc = int(found.group(1), 16)
            if pc == last and not branches_to_itself(elf, pc):
                continue # logged, then left before it ran, and run again
            last = pc
            if pc == mark and entry is None:
                marks += 1
                continue
            if pc in (vectors + SYNC_FROM_EL0, vectors + IRQ_FROM_EL0):
                if entry is not None:
                    sys.exit('rpi3_figures: a vector from EL0 inside a kernel entry')
                entry = {'irq': pc == vectors + IRQ_FROM_EL0, 'window': marks - 1,
                         'count': 0, 'core': 0, 'shared': 0, 'functions': {}}
                in_core = False
            if entry is None:
                continue # the boot, or the first resume of a domain
            entry['count'] += 1
            if pc == core:
                in_core = True
            elif trap <= pc < trap + trap_size:
                in_core = False
            entry['core'] += in_core
            if shared[0] <= pc < shared[1]:
                entry['shared'] += 1
                name = 'shared text'
            else:
                name = name_of(pc)
            entry['functions'][name] = entry['functions'].get(name, 0) + 1
            if pc == eret:
                entries.append(entry)
                entry = None
    if marks != 3:
        sys.exit('rpi3_figures: the mark was reached %d times, not 3' % marks)
    return entries


def window_totals(entries, window, rounds):
    """A window's counts, checked: 2 * rounds syscall entries, alternately
    a Call and a ReplyRecv, each kind always counting the same."""
    syscalls = [e for e in entries if e['window'] == window and not e['irq']]
    if len(syscalls) != 2 * rounds:
        sys.exit('rpi3_figures: window %d has %d syscall entries for %d round trips'
                 % (window, len(syscalls), rounds))
    kinds = []
    for parity, name in ((0, 'Call'), (1, 'ReplyRecv')):
        counts = {(e['count'], e['core']) for e in syscalls[parity::2]}
        if len(counts) != 1:
            sys.exit('rpi3_figures: the %ss of window %d count differently: %s'
                     % (name, window, sorted(counts)))
        kinds.append(counts.pop())
    return {'total': sum(e['count'] for e in syscalls), 'core': sum(e['core'] for e in syscalls),
            'kinds': kinds, 'syscalls': syscalls}


def fastpath(args):
    elf = Elf(args.elf)
    missing = [n for n in GENERAL_PATH if n not in elf.symbols]
    if missing:
        sys.exit('rpi3_figures: the general path\'s functions %s are not in the ELF: '
                 'name the ones that took their place' % ', '.join(missing))
    with tempfile.TemporaryDirectory(prefix='vesper-rpi3-trace-') as workdir:
        log = os.path.join(workdir, 'trace.log')
        rounds = run_qemu(args, elf, log)
        entries = kernel_entries(elf, log)
    first = window_totals(entries, 0, rounds)
    second = window_totals(entries, 1, 2 * rounds)
    per_round = (second['total'] - first['total']) // rounds
    per_round_core = (second['core'] - first['core']) // rounds
    exact = (first['total'] == rounds * per_round and second['total'] == 2 * rounds * per_round
             and first['kinds'] == second['kinds'])
    if not exact:
        sys.exit('rpi3_figures: the windows disagree: %d for %d round trips, %d for %d'
                 % (first['total'], rounds, second['total'], 2 * rounds))
    counted = first['syscalls'] + second['syscalls']
    general = sorted({n for e in counted for n in e['functions'] if n in GENERAL_PATH})
    if general:
        sys.exit('rpi3_figures: the round trips ran the general path: ' + ', '.join(general))
    if any(e['shared'] for e in counted):
        sys.exit('rpi3_figures: the kernel ran shared text during the round trips')
    if args.check and not PLAUSIBLE[0] <= per_round <= PLAUSIBLE[1]:
        sys.exit('rpi3_figures: %d instructions per round trip is not plausible' % per_round)
    print('metric ipc_fastpath_instructions_rpi3 %d instructions' % per_round)
    print('metric ipc_fastpath_core_instructions_rpi3 %d instructions' % per_round_core)
    (call, call_core), (reply_recv, reply_recv_core) = first['kinds']
    print('# Call %d (%d in kernel_entry_syscall), ReplyRecv %d (%d); windows of %d and %d '
          'round trips: %d and %d instructions; timer interrupt entries left out: %d'
          % (call, call_core, reply_recv, reply_recv_core, rounds, 2 * rounds,
             first['total'], second['total'],
             sum(1 for e in entries if e['irq'] and e['window'] in (0, 1))))
    functions = {}
    for e in second['syscalls']:
        for name, n in e['functions'].items():
            functions[name] = functions.get(name, 0) + n
    for n, name in sorted(((n, name) for name, n in functions.items()), reverse=True)[:args.top]:
        print('#   %6.1f  %s' % (n / (2 * rounds), name))
    sys.stdout.flush()
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    commands = parser.add_subparsers(dest='command', required=True)
    size_parser = commands.add_parser('sizes')
    size_parser.add_argument('elf')
    count_parser = commands.add_parser('fastpath')
    count_parser.add_argument('--qemu', default='qemu-system-aarch64')
    count_parser.add_argument('--check', action='store_true')
    count_parser.add_argument('--top', type=int, default=8)
    count_parser.add_argument('--timeout', type=int, default=240)
    count_parser.add_argument('elf')
    count_parser.add_argument('image')
    args = parser.parse_args()
    return sizes(args) if args.command == 'sizes' else fastpath(args)


if __name__ == '__main__':
    sys.exit(main())

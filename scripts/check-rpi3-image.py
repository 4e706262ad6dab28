#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Refuse Raspberry Pi 3 images holding instructions the board cannot run.

Vesper boots on the Pi with the MMU off and turns it on early (mmu_on.S).
Until then the Cortex-A53 treats every data access as Device-nGnRnE memory,
and the image keeps to what holds there throughout, so that no code depends
on when it runs; several kinds of instruction that QEMU executes without
complaint fail on the real chip:

  exclusives      LDXR/STXR and their acquire/release, byte, halfword and pair
                  forms, and CLREX: Device memory has no exclusive monitor to
                  pair a load with its store, so a retry loop may never end.
  LSE atomics     CAS, CASP, SWP, LDADD, LDCLR, LDEOR, LDSET, LD{S,U}{MAX,MIN}
                  and their ST forms: ARMv8.1, while the Cortex-A53 is ARMv8.0
                  (they are undefined there), and Device memory would give
                  them no atomicity to rely on anyway.
  FP/SIMD         any instruction naming a v, q, d, s, h or b register (or an
                  SVE z or p register, or FPCR/FPSR): CPACR_EL1 leaves FP/SIMD
                  trapped, which is why the kernel is built with
                  -mgeneral-regs-only.
  cache upkeep    DC and IC (DC ZVA included), and a bare SYS in their
                  encoding space: DC ZVA faults on Device memory, and the
                  others belong only to the MMU set-up, whose functions the
                  build names with --allow (QEMU models no cache, so a
                  stray one would go unnoticed there).

Since the emulator forgives all of these, only a static look at the code can
catch them. The check disassembles each image with objdump, follows the
function headers so that every finding names its symbol and offset, skips
data that the disassembler shows as .word/.inst/<unknown>, and exits with
status 1 if anything is forbidden, if an image yielded no instructions at all
(a check that saw nothing must not pass), or if an --allow names a symbol found
in no image (an exemption outliving its function is a mistake).

  check-rpi3-image.py [--objdump PROGRAM] [--allow SYMBOL]... IMAGE.elf...

Relocatable objects (.o) are accepted as well as linked images.
"""

import argparse
import re
import subprocess
import sys

# Features given to llvm-objdump so that it decodes instructions newer than
# the default: without them an LSE atomic shows as <unknown>, i.e. as data,
# and would slip through.
LLVM_MATTR = '+v8.5a,+sve2'

HEADER = re.compile(r'^([0-9a-fA-F]+) <(.+)>:\s*$')
LINE = re.compile(r'^\s*([0-9a-fA-F]+):\s*(.*)$')
SECTION = re.compile(r'^Disassembly of section (\S+):')
# The instruction bytes objdump may print before the mnemonic: llvm-objdump
# shows them for data even with --no-show-raw-insn ("00 08 d0 30"), GNU
# objdump as one word ("d538a0a1").
RAW_BYTES = re.compile(
    r'^(?:[0-9a-fA-F]{2}(?: [0-9a-fA-F]{2})*|[0-9a-fA-F]{8})$')
# AArch64 ELF mapping symbols mark where code and data start; they are not
# functions, so the current function stays the one before them.
MAPPING_SYMBOL = re.compile(r'^\$[xdat](?:\.\S*)?$')

EXCLUSIVE = re.compile(r'^(?:ld|st)[al]?x[rp][bh]?$|^clrex$')
LSE = re.compile(
    r'^(?:casp?(?:a|l|al)?[bh]?'
    r'|swp(?:a|l|al)?[bh]?'
    r'|ld(?:add|clr|eor|set|smax|smin|umax|umin)(?:a|l|al)?[bh]?'
    r'|st(?:add|clr|eor|set|smax|smin|umax|umin)l?[bh]?)$')
CACHE = re.compile(r'^(?:dc|ic)$')
RAW_CACHE_SYS = re.compile(r'^#\d+,\s*c7,', re.IGNORECASE)
FP_REGISTER = re.compile(
    r'\b(?:[qdshb][0-9]{1,2}\b'      # scalar FP/SIMD: q0, d0, s1, h2, b3
    r'|v[0-9]{1,2}(?:\.|\b)'         # vector: v0.2d, v1.s[0]
    r'|z[0-9]{1,2}(?:\.|\b)'         # SVE vector
    r'|p[0-9]{1,2}(?:/[zm]|\.|\b)'   # SVE predicate
    r'|(?i:fpcr|fpsr)\b)')
# Mnemonics whose operands are only general registers and addresses; a target
# printed as a bare hex address ("b0 <foo>") must not look like register b0.
BRANCH = re.compile(r'^(?:b|bl|br|blr|b\.\w+|bc\.\w+|cbn?z|tbn?z|adrp?)$')
# A code address with its symbol, as objdump annotates branch and literal
# targets: "0x80090 <$d.1>" (LLVM) or "80090 <$d.1>" (GNU).
TARGET = re.compile(r'(?:0x)?[0-9a-fA-F]+\s*<[^>]*>')


def classify(mnemonic, operands):
    """The reason an instruction is forbidden, or None."""
    m = mnemonic.lower()
    if EXCLUSIVE.match(m):
        return 'exclusive access: Device memory has no exclusive monitor'
    if LSE.match(m):
        return 'LSE atomic: ARMv8.1, undefined on the ARMv8.0 Cortex-A53'
    if CACHE.match(m):
        return 'cache maintenance outside the MMU set-up'
    if m in ('sys', 'sysl') and RAW_CACHE_SYS.match(operands):
        return 'SYS in the cache maintenance space'
    if not BRANCH.match(m):
        found = FP_REGISTER.search(TARGET.sub('', operands))
        if found:
            return ('FP/SIMD register %s: traps, CPACR_EL1 leaves FP/SIMD off'
                    % found.group(0).rstrip('./'))
    return None


def is_data(mnemonic):
    """Whether objdump showed these bytes as data rather than as code."""
    return (mnemonic.startswith('.') or mnemonic.startswith('<unknown>')
            or mnemonic == '...')


def objdump_command(objdump):
    """The command line, with the feature list when objdump is LLVM's."""
    try:
        version = subprocess.run([objdump, '--version'], capture_output=True,
                                 text=True, check=False).stdout
    except OSError as e:
        sys.exit('check-rpi3-image: cannot run %s: %s' % (objdump, e))
    command = [objdump, '-d', '--no-show-raw-insn']
    if 'LLVM' in version:
        command.append('--mattr=' + LLVM_MATTR)
    return command


def disassemble(command, image):
    """objdump's listing of image, or None after reporting why not."""
    try:
        done = subprocess.run(command + [image], capture_output=True,
                              text=True, check=False)
    except OSError as e:
        print('%s: cannot run %s: %s' % (image, command[0], e))
        return None
    if done.returncode != 0:
        print('%s: %s failed with status %d: %s' % (
            image, command[0], done.returncode, done.stderr.strip()))
        return None
    return done.stdout


def check_image(image, listing, allowed, seen):
    """Print the forbidden instructions of one image; return (checked, bad)."""
    checked = 0
    bad = 0
    symbol, base = None, 0
    for line in listing.splitlines():
        section = SECTION.match(line)
        if section:
            symbol, base = section.group(1), 0
            continue
        header = HEADER.match(line)
        if header:
            name = header.group(2)
            if not MAPPING_SYMBOL.match(name):
                symbol, base = name, int(header.group(1), 16)
                if name in allowed:
                    seen.add(name)
            continue
        entry = LINE.match(line)
        if not entry:
            continue
        fields = [f.strip() for f in entry.group(2).split('\t')]
        fields = [f for f in fields if f]
        # Drop printed bytes, but a lone "dc" is a mnemonic, not a byte,
        # unless data follows it.
        if (len(fields) > 1 and RAW_BYTES.match(fields[0])
                and (len(fields[0]) > 2 or is_data(fields[1]))):
            fields = fields[1:]
        if not fields or is_data(fields[0]):
            continue
        mnemonic = fields[0]
        operands = ' '.join(fields[1:]).split('//')[0].strip()
        checked += 1
        if symbol in allowed:
            continue
        why = classify(mnemonic, operands)
        if why:
            bad += 1
            address = int(entry.group(1), 16)
            text = (mnemonic + ' ' + operands).strip()
            print('%s: %s+0x%x 0x%x: %s  (%s)' % (
                image, symbol or '?', address - base, address, text, why))
    return checked, bad


def main():
    parser = argparse.ArgumentParser(
        description='Fail on instructions a Raspberry Pi 3 cannot run before '
                    'its MMU is on, or at all: exclusives, LSE atomics, FP/SIMD, '
                    'cache maintenance outside the MMU set-up.')
    parser.add_argument('--objdump', default='llvm-objdump',
                        metavar='PROGRAM',
                        help='the disassembler (default: llvm-objdump)')
    parser.add_argument('--allow', action='append', default=[],
                        metavar='SYMBOL',
                        help='exempt the instructions of function SYMBOL; '
                             'it must exist in some image')
    parser.add_argument('images', nargs='+', metavar='IMAGE.elf')
    args = parser.parse_args()

    command = objdump_command(args.objdump)
    allowed = set(args.allow)
    seen = set()
    failed = False
    for image in args.images:
        listing = disassemble(command, image)
        if listing is None:
            failed = True
            continue
        checked, bad = check_image(image, listing, allowed, seen)
        if checked == 0:
            print('%s: no instructions found; nothing was checked' % image)
            failed = True
        elif bad:
            print('%s: %d instructions checked, %d forbidden'
                  % (image, checked, bad))
            failed = True
        else:
            print('%s: %d instructions checked, ok' % (image, checked))
    for name in sorted(allowed - seen):
        print('--allow %s: no such symbol in any image' % name)
        failed = True
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())

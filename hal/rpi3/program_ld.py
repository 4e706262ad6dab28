#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Make the linker script of Pi images built outside the tree.

kernel8.ld gives the user part of an image (what every domain may run and
touch) the libos and programs archives and the objects Meson compiles for
the image itself, and leaves everything else to the kernel. A program
built outside the tree has objects of any name, so the installed script
turns that round: the kernel part is the kernel's two archives,
libvesper-core.a and libvesper-hal-rpi3.a (less the HAL's shared string
routines, as in kernel8.ld), and every other input is user code. The
layout, the symbols the HAL reads and the checks stay kernel8.ld's own.

    program_ld.py kernel8.ld OUTPUT

Stops with an error when kernel8.ld no longer has the rules it rewrites.
"""
import re
import sys

KERNEL = ['*libvesper-core.a:*', '*libvesper-hal-rpi3.a:*']
# The names kernel8.ld gives user code; the image's own objects are the one
# a program outside the tree cannot match.
USER = ['*libvesper-libos.a:*', '*libvesper-programs.a:*', '*.elf.p/*.o']
OWN_OBJECTS = '*.elf.p/*.o'

# A kernel rule: every input but the user's, "*(EXCLUDE_FILE(...) sections)".
KERNEL_RULE = re.compile(r'\*\(EXCLUDE_FILE\(([^)]*)\)\s*([^)]*)\)')
# A user rule for the image's own objects: "*.elf.p/*.o(sections)".
USER_RULE = re.compile(re.escape(OWN_OBJECTS) + r'\(([^)]*)\)')


def kernel_rule(match, rewritten):
    excluded = match.group(1).split()
    if OWN_OBJECTS not in excluded:
        return match.group(0)
    rewritten.append(match.group(0))
    sections = ' '.join(match.group(2).split())
    rest = [p for p in excluded if p not in USER]
    hal = KERNEL[1] + '('
    if rest:
        hal += 'EXCLUDE_FILE(' + ' '.join(rest) + ') '
    return KERNEL[0] + '(' + sections + ') ' + hal + sections + ')'


def user_rule(match):
    return '*(EXCLUDE_FILE(' + ' '.join(KERNEL) + ') ' + match.group(1) + ')'


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-3].strip())
    with open(argv[1], encoding='utf-8') as source:
        script = source.read()
    rewritten = []
    script = KERNEL_RULE.sub(lambda match: kernel_rule(match, rewritten), script)
    script, user_rules = USER_RULE.subn(user_rule, script)
    if not rewritten or user_rules == 0 or OWN_OBJECTS in script:
        sys.exit('program_ld.py: ' + argv[1] + ' has not the rules this script rewrites')
    header = ('/* Made by program_ld.py from kernel8.ld for images built outside the\n'
              ' * tree: the kernel part is ' + ' and '.join(KERNEL) + ',\n'
              ' * everything else is user code. */\n')
    with open(argv[2], 'w', encoding='utf-8') as out:
        out.write(header + script)


if __name__ == '__main__':
    main(sys.argv)

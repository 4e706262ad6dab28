#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Check what the core links against: only the HAL and the few routines a
freestanding C compiler may call (memcpy, memset, memmove, memcmp), plus
the sanitizer runtimes when the build uses them. In particular no
allocator: the kernel allocates no memory.

    core_symbols.py NM LIBRARY
"""
import re
import subprocess
import sys

ALLOWED = {"memcpy", "memset", "memmove", "memcmp"}
ALLOWED_PREFIXES = ("hal_", "__asan", "__ubsan", "__sanitizer", "__sancov", "__llvm")
FORBIDDEN = {"malloc", "calloc", "realloc", "free", "aligned_alloc", "posix_memalign"}
# Defined by the linker itself, not by any library. The native build compiles
# the core as position-independent code (Meson's b_staticpic, so that it can
# be linked into any host program), which reaches globals through the GOT;
# the GNU assembler then names the GOT's base symbol in each such object,
# where clang's integrated assembler emits the same relocations without it.
LINKER_DEFINED = {"_GLOBAL_OFFSET_TABLE_"}


def undefined_symbols(nm, library):
    output = subprocess.run([nm, "-u", library], check=True, capture_output=True, text=True).stdout
    symbols = set()
    for line in output.splitlines():
        match = re.match(r"^\s*U\s+(\S+)$", line)
        if match:
            symbols.add(match.group(1))
    return symbols


def defined_symbols(nm, library):
    output = subprocess.run([nm, "--defined-only", library], check=True, capture_output=True,
                            text=True).stdout
    return {line.split()[-1] for line in output.splitlines() if len(line.split()) == 3}


def main(argv):
    nm, library = argv
    undefined = undefined_symbols(nm, library) - defined_symbols(nm, library) - LINKER_DEFINED
    problems = sorted(s for s in undefined
                      if s in FORBIDDEN or (s not in ALLOWED and not s.startswith(ALLOWED_PREFIXES)))
    for symbol in problems:
        print(f"FAIL: the core refers to {symbol}")
    print(f"{len(undefined)} undefined symbols checked in {library}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

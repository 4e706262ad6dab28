#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""The `disasm` run target: the kernel ELF disassembled, with the source
lines each instruction came from (-S, from the image's debug information).

    disasm.py DEFAULT_OBJDUMP ELF

runs DEFAULT_OBJDUMP (or $OBJDUMP).
"""
import sys

import boardtool


def main(argv):
    objdump = boardtool.program("OBJDUMP", argv[1], "Install llvm (Debian's package)")
    boardtool.replace_with(objdump + ["-d", "-S", argv[2]])


if __name__ == "__main__":
    main(sys.argv)

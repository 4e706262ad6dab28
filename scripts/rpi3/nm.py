#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""The `nm` run target: the kernel ELF's symbols by address, with sizes.

    nm.py DEFAULT_NM ELF

runs DEFAULT_NM (or $NM: llvm-nm, or binutils' nm if it reads AArch64).
"""
import sys

import boardtool


def main(argv):
    nm = boardtool.program("NM", argv[1], "Install llvm (Debian's package)")
    boardtool.replace_with(nm + ["--print-size", "--numeric-sort", argv[2]])


if __name__ == "__main__":
    main(sys.argv)

#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""The `qemu` and `qemu-gdb` run targets: a Pi image in QEMU's raspi3b.

    qemu.py DEFAULT_QEMU ARGUMENT...

runs DEFAULT_QEMU (or $QEMU) with the arguments the build gives. With -S
among them QEMU waits for gdb before the first instruction, which is said
on standard error.
"""
import sys

import boardtool


def main(argv):
    qemu = boardtool.program("QEMU", argv[1], "Install qemu-system-arm (Debian's package)")
    if "-S" in argv[2:]:
        print(f"QEMU is halted, waiting for gdb on port 1234: run `ninja -C "
              f"{boardtool.build_dir()} gdb` in another terminal.",
              file=sys.stderr, flush=True)
    boardtool.replace_with(qemu + argv[2:])


if __name__ == "__main__":
    main(sys.argv)

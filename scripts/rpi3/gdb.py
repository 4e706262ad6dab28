#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""The `gdb` run target: gdb-multiarch on the kernel ELF, attached to a
running Pi image.

    gdb.py --gdb DEFAULT_GDB [--script VESPER_PY] ELF [WHERE]

WHERE, else $GDB_TARGET, else qemu, says what gdb connects to:
    qemu      QEMU's gdb stub on port 1234 (`ninja qemu-gdb`)
    ocd       OpenOCD on port 3333, core 0 of a board (`ninja ocd`)
    HOST:PORT any other gdb server
$GDB names another gdb. The kernel's gdb commands (scripts/gdb/vesper.py,
docs/gdb.md) are loaded when the script is there.
"""
import argparse
import os
import sys

import boardtool

SERVERS = {"qemu": ":1234", "ocd": ":3333", "openocd": ":3333"}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gdb", default="gdb-multiarch")
    parser.add_argument("--script")
    parser.add_argument("elf")
    parser.add_argument("where", nargs="?")
    arguments = parser.parse_args(argv[1:])

    where = arguments.where or os.environ.get("GDB_TARGET") or "qemu"
    server = SERVERS.get(where, where)
    if ":" not in server:
        sys.exit(f"gdb: do not know where {where!r} is: say qemu, ocd or HOST:PORT")
    gdb = boardtool.program("GDB", arguments.gdb, "Install gdb-multiarch (Debian's package)")
    command = gdb + ["-q"]
    if arguments.script and os.path.isfile(arguments.script):
        command += ["-x", arguments.script]
    command += ["-ex", "target remote " + server, arguments.elf]
    boardtool.replace_with(command, show=True)


if __name__ == "__main__":
    main(sys.argv)

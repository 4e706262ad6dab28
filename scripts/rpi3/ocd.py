#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""The `ocd` run target: OpenOCD on a Raspberry Pi 3's JTAG pins.

    ocd.py --openocd DEFAULT_OPENOCD --configs DIR [OPENOCD_ARGUMENT]...

runs DEFAULT_OPENOCD (or $OPENOCD) with an adapter file, then DIR/rpi3.cfg
(the BCM2837's four cores). $ADAPTER picks the adapter file: a name from
DIR (ft2232h, the default, or jlink), a file's path, or a file from
OpenOCD's own scripts (interface/cmsis-dap.cfg). gdb then attaches on port
3333 (`GDB_TARGET=ocd ninja gdb`).
"""
import argparse
import os
import sys

import boardtool

DEFAULT_ADAPTER = "ft2232h"


def adapter_file(configs, name):
    """The -f argument for the adapter NAME."""
    own = os.path.join(configs, name + ".cfg")
    if os.path.isfile(own):
        return own
    if os.path.isfile(name):
        return os.path.abspath(name)
    # left to OpenOCD, which looks in its script directories
    return name


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openocd", default="openocd")
    parser.add_argument("--configs", required=True)
    parser.add_argument("extra", nargs=argparse.REMAINDER)
    arguments = parser.parse_args(argv[1:])

    target = os.path.join(arguments.configs, "rpi3.cfg")
    adapter = adapter_file(arguments.configs, os.environ.get("ADAPTER") or DEFAULT_ADAPTER)
    openocd = boardtool.program("OPENOCD", arguments.openocd, "Install openocd (Debian's package)")
    boardtool.replace_with(openocd + ["-f", adapter, "-f", target] + arguments.extra, show=True)


if __name__ == "__main__":
    main(sys.argv)

#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""The `help` run target: every run target of the Pi build, one a line.

    targets.py NAME DESCRIPTION [NAME DESCRIPTION]...

The pairs come from the one table in hal/rpi3/targets/meson.build that
also makes the targets, so the list is always the build's.
"""
import sys

import boardtool


def main(argv):
    pairs = list(zip(argv[1::2], argv[2::2]))
    width = max(len(name) for name, _ in pairs)
    print(f"Run targets of the Raspberry Pi 3 build: ninja -C {boardtool.build_dir()} TARGET")
    for name, description in pairs:
        print(f"  {name:<{width}}  {description}")


if __name__ == "__main__":
    main(sys.argv)

#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""The `send` run target: a new kernel to the board over its serial line.

    SERIAL=/dev/ttyUSB0 send.py VESPER_SEND KERNEL.img

runs vesper-send (or $VESPER_SEND) on the device SERIAL names: it sends
KERNEL.img to the chainloader waiting on the board (chainload.img, which
the `device-chainload` target puts on the SD card) and then stays attached
as a terminal until Ctrl-]. SERIAL may also name a Unix socket, or be
unix:PATH, for QEMU (docs/chainload.md). Options for vesper-send, such as
--baud, go in $VESPER_SEND_OPTIONS.
"""
import os
import shlex
import sys

import boardtool


def main(argv):
    default_sender, kernel = argv[1], argv[2]
    serial = os.environ.get("SERIAL", "")
    if not serial:
        sys.exit("send: SERIAL is not set. Name the serial device the board's UART is wired "
                 f"to: SERIAL=/dev/ttyUSB0 ninja -C {boardtool.build_dir()} send")
    sender = boardtool.program("VESPER_SEND", default_sender,
                               "Build the Pi build's vesper-send (ninja)")
    options = shlex.split(os.environ.get("VESPER_SEND_OPTIONS", ""))
    boardtool.replace_with(sender + options + [serial, kernel], show=True)


if __name__ == "__main__":
    main(sys.argv)

#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""The `device` run target: a Pi image and its config.txt onto an SD card.

    VOLUME=/media/you/BOOT device.py IMAGE CONFIG

copies IMAGE to kernel8.img and CONFIG to config.txt on the mounted FAT
partition VOLUME names, replacing what is there, and flushes them to the
card. VOLUME must be the absolute path of a mount point, so that a mistyped
path does not fill a directory of the disk instead; VESPER_DEVICE_ANY_DIR=1
accepts any directory. The firmware's own files are not the build's: when bootcode.bin,
start.elf or fixup.dat is missing, it says where to get them.
"""
import os
import shutil
import sys

import boardtool

FIRMWARE = ("bootcode.bin", "start.elf", "fixup.dat")
FIRMWARE_SOURCE = "https://github.com/raspberrypi/firmware/tree/master/boot"


def volume():
    """The directory to copy to, or exit saying why VOLUME will not do."""
    path = os.environ.get("VOLUME", "")
    if not path:
        sys.exit("device: VOLUME is not set. Mount the SD card's FAT partition and name it: "
                 f"VOLUME=/media/$USER/bootfs ninja -C {boardtool.build_dir()} device")
    if not os.path.isabs(path):
        sys.exit(f"device: VOLUME={path} is not an absolute path (the target runs in the "
                 f"build directory, not where ninja was started)")
    if not os.path.isdir(path):
        sys.exit(f"device: VOLUME={path} is not a directory: is the SD card mounted there?")
    if not os.path.ismount(path) and os.environ.get("VESPER_DEVICE_ANY_DIR") != "1":
        sys.exit(f"device: VOLUME={path} is not a mount point: name the directory where the "
                 f"SD card's FAT partition is mounted (VESPER_DEVICE_ANY_DIR=1 allows any "
                 f"directory)")
    return path


def main(argv):
    image, config = argv[1], argv[2]
    where = volume()
    for source, name in ((image, "kernel8.img"), (config, "config.txt")):
        destination = os.path.join(where, name)
        try:
            shutil.copyfile(source, destination)
        except OSError as error:
            sys.exit(f"device: cannot write {destination}: {error.strerror}")
        print(f"device: {source} -> {destination}")
    missing = [name for name in FIRMWARE if not os.path.isfile(os.path.join(where, name))]
    if missing:
        print(f"device: warning: {', '.join(missing)} missing on {where}: the board will not "
              f"boot without the firmware. Copy bootcode.bin, start.elf and fixup.dat from "
              f"{FIRMWARE_SOURCE}", file=sys.stderr)
    os.sync()
    print(f"device: done; unmount {where} before taking the card out")


if __name__ == "__main__":
    main(sys.argv)

#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Check a run target of the Pi build (hal/rpi3/targets/meson.build) without
a board: suite 'board'.

    check_targets.py TARGET [--names NAME DESCRIPTION...] -- SCRIPT ARGUMENT...

runs the target's script with the arguments the build gives it, as its run
target does, and checks what it does. QEMU, OpenOCD and gdb are replaced by
a stub that prints its arguments, one a line; the SD card is a temporary
directory, accepted through VESPER_DEVICE_ANY_DIR=1. Prints `ok ...` for
each check and ends with status 1 at the first that fails.
"""
import argparse
import os
import re
import stat
import subprocess
import sys
import tempfile

STUB = "#!/bin/sh\nfor a in \"$@\"; do printf 'ARG %s\\n' \"$a\"; done\n"


class Failed(Exception):
    pass


def check(condition, what, output=""):
    if not condition:
        raise Failed(what + ("\n--- output:\n" + output if output else ""))
    print("ok " + what)


class Target:
    """The target's command, and a scratch directory to run it with."""

    def __init__(self, command, scratch):
        self.command = command
        self.scratch = scratch
        self.stub = os.path.join(scratch, "stub")
        with open(self.stub, "w", encoding="ascii") as stub:
            stub.write(STUB)
        os.chmod(self.stub, stat.S_IRWXU)

    def run(self, env=None, extra=(), unset=()):
        environment = {k: v for k, v in os.environ.items() if k not in unset}
        environment.update(env or {})
        result = subprocess.run([sys.executable] + self.command + list(extra),
                                env=environment, capture_output=True, text=True,
                                timeout=50, check=False)
        return result.returncode, result.stdout, result.stderr

    def stub_arguments(self, variable, env=None, extra=()):
        """The arguments the target gave the program VARIABLE names."""
        status, out, err = self.run(dict(env or {}, **{variable: self.stub}), extra)
        check(status == 0, f"the target runs with {variable} set to a stub", out + err)
        return [line[4:] for line in out.splitlines() if line.startswith("ARG ")], err


def after(arguments, option):
    """Every argument that follows OPTION."""
    return [arguments[i + 1] for i, a in enumerate(arguments[:-1]) if a == option]


def check_qemu(target, halted):
    arguments, err = target.stub_arguments("QEMU")
    check(" ".join(arguments).startswith("-M raspi3b -display none -serial"),
          "QEMU gets the raspi3b machine and a serial port", "\n".join(arguments))
    check("-semihosting" in arguments, "QEMU gets -semihosting")
    kernel = after(arguments, "-kernel")
    check(len(kernel) == 1 and kernel[0].endswith("kernel8.img") and os.path.isfile(kernel[0]),
          "QEMU boots the built kernel8.img", "\n".join(arguments))
    check(("-S" in arguments and "-s" in arguments) == halted,
          "QEMU waits for gdb on port 1234" if halted else "QEMU starts at once")
    check(("waiting for gdb" in err) == halted, "the wait is said" if halted else "no wait is said")


def check_device(target):
    status, _, err = target.run(unset=("VOLUME",))
    check(status != 0 and "VOLUME is not set" in err, "refuses an unset VOLUME", err)

    card = os.path.join(target.scratch, "card")
    os.mkdir(card)
    status, _, err = target.run(env={"VOLUME": card}, unset=("VESPER_DEVICE_ANY_DIR",))
    check(status != 0 and "is not a mount point" in err, "refuses a directory that is no mount point", err)
    check(not os.listdir(card), "writes nothing there")

    not_a_directory = os.path.join(target.scratch, "file")
    open(not_a_directory, "w", encoding="ascii").close()
    status, _, err = target.run(env={"VOLUME": not_a_directory, "VESPER_DEVICE_ANY_DIR": "1"})
    check(status != 0 and "is not a directory" in err, "refuses a VOLUME that is no directory", err)

    any_dir = {"VOLUME": card, "VESPER_DEVICE_ANY_DIR": "1"}
    status, out, err = target.run(env=any_dir)
    check(status == 0, "copies into a plain directory with VESPER_DEVICE_ANY_DIR=1", out + err)
    check(sorted(os.listdir(card)) == ["config.txt", "kernel8.img"],
          "the card holds kernel8.img and config.txt", " ".join(os.listdir(card)))
    with open(target.command[1], "rb") as image, open(os.path.join(card, "kernel8.img"), "rb") as copy:
        check(image.read() == copy.read(), "kernel8.img is the built image")
    with open(os.path.join(card, "config.txt"), encoding="ascii") as config:
        lines = config.read().splitlines()
    for line in ("arm_64bit=1", "kernel_address=0x80000", "init_uart_clock=48000000",
                 "dtoverlay=disable-bt", "enable_jtag_gpio=1"):
        check(line in lines, "config.txt has " + line)
    check("bootcode.bin, start.elf, fixup.dat missing" in err,
          "warns that the firmware files are missing", err)

    for name in ("bootcode.bin", "start.elf", "fixup.dat"):
        open(os.path.join(card, name), "wb").close()
    status, out, err = target.run(env=any_dir)
    check(status == 0 and "warning" not in err, "no warning when the firmware is there", out + err)


def check_send(target):
    status, _, err = target.run(unset=("SERIAL",))
    check(status != 0 and "SERIAL is not set" in err, "refuses an unset SERIAL", err)
    arguments, err = target.stub_arguments(
        "VESPER_SEND", env={"SERIAL": "/dev/ttyUSB7", "VESPER_SEND_OPTIONS": "--baud 230400"})
    check(arguments[:3] == ["--baud", "230400", "/dev/ttyUSB7"],
          "vesper-send gets VESPER_SEND_OPTIONS, then the device SERIAL names",
          "\n".join(arguments))
    check(len(arguments) == 4 and arguments[3].endswith("kernel8.img")
          and os.path.isfile(arguments[3]), "vesper-send sends the built kernel8.img",
          "\n".join(arguments))
    check(err.startswith("+ "), "the command is shown", err)
    sender = target.command[1]
    check(os.path.basename(sender) == "vesper-send" and os.access(sender, os.X_OK),
          "the default sender is the built vesper-send", sender)


def check_ocd(target):
    for adapter, expected in (("", "ft2232h.cfg"), ("jlink", "jlink.cfg")):
        arguments, err = target.stub_arguments("OPENOCD", env={"ADAPTER": adapter})
        files = after(arguments, "-f")
        check(len(files) == 2 and all(os.path.isfile(f) for f in files),
              "OpenOCD gets two configuration files that exist", "\n".join(arguments))
        check(os.path.basename(files[0]) == expected and os.path.basename(files[1]) == "rpi3.cfg",
              f"ADAPTER={adapter} gives {expected}, then rpi3.cfg", "\n".join(arguments))
        check(err.startswith("+ "), "the command is shown", err)
    arguments, _ = target.stub_arguments("OPENOCD", env={"ADAPTER": "interface/cmsis-dap.cfg"})
    check(after(arguments, "-f")[0] == "interface/cmsis-dap.cfg",
          "an adapter file of OpenOCD's own is passed as it is")


def check_gdb(target):
    elf = target.command[-1]
    for env, extra, server in (({}, (), ":1234"), ({"GDB_TARGET": "ocd"}, (), ":3333"),
                               ({"GDB_TARGET": "ocd"}, ("qemu",), ":1234"),
                               ({}, ("localhost:2331",), "localhost:2331")):
        arguments, _ = target.stub_arguments("GDB", env=env, extra=extra)
        check(after(arguments, "-ex") == ["target remote " + server],
              f"gdb with {env or 'nothing'} and {list(extra)} connects to {server}",
              "\n".join(arguments))
        check(arguments[-1] == elf and elf.endswith("kernel8.elf") and os.path.isfile(elf),
              "gdb gets kernel8.elf")
        scripts = after(arguments, "-x")
        check(len(scripts) == 1 and scripts[0].endswith("vesper.py") and os.path.isfile(scripts[0]),
              "gdb sources scripts/gdb/vesper.py")
    status, _, err = target.run(env={"GDB": target.stub}, extra=("nowhere",))
    check(status != 0 and "qemu, ocd or HOST:PORT" in err, "an unknown gdb target is refused", err)


def check_listing(target, name, pattern):
    status, out, err = target.run()
    check(status == 0 and re.search(pattern, out, re.MULTILINE) is not None,
          f"{name} shows kernel_boot", (out + err)[-2000:])


def check_help(target, names):
    status, out, err = target.run()
    check(status == 0, "help runs", out + err)
    listed = [line.split(None, 1) for line in out.splitlines()[1:]]
    for name, description in zip(names[::2], names[1::2]):
        check([name, description] in listed, f"help lists {name}", out)
    check(len(listed) == len(names) // 2, "help lists nothing else", out)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target")
    parser.add_argument("--names", nargs="+", default=[])
    if "--" not in argv:
        parser.error("no command after --")
    split = argv.index("--")
    arguments = parser.parse_args(argv[1:split])
    command = argv[split + 1:]
    with tempfile.TemporaryDirectory() as scratch:
        target = Target(command, scratch)
        try:
            if arguments.target in ("qemu", "qemu-gdb"):
                check_qemu(target, arguments.target == "qemu-gdb")
            elif arguments.target in ("device", "device-chainload"):
                check_device(target)
            elif arguments.target == "send":
                check_send(target)
            elif arguments.target == "ocd":
                check_ocd(target)
            elif arguments.target == "gdb":
                check_gdb(target)
            elif arguments.target == "nm":
                check_listing(target, "nm", r"^0*8[0-9a-f]{4} [0-9a-f]+ T kernel_boot$")
            elif arguments.target == "disasm":
                check_listing(target, "disasm", r"^[0-9a-f]+ <kernel_boot>:$")
            elif arguments.target == "help":
                check_help(target, arguments.names)
            else:
                raise Failed(f"no check for the target {arguments.target}")
        except Failed as failure:
            print("FAILED " + str(failure))
            return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

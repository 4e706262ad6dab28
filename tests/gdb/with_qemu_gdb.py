#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Run a command while QEMU waits, halted, for gdb on a Unix socket.

    with_qemu_gdb.py QEMU [QEMU ARGUMENT]... -- COMMAND [ARGUMENT]...

QEMU starts with `-S` and its gdb server on a socket in a fresh temporary
folder; every @SOCKET@ in COMMAND's arguments becomes the socket's path
(for gdb: `-ex 'target remote @SOCKET@'`). A socket rather than a TCP
port, so that runs side by side, and someone's `ninja qemu-gdb` on port
1234, do not meet. The guest's serial port goes to a file, shown after
COMMAND's own output. QEMU is killed when COMMAND ends, however it ends,
so that a failed or timed-out gdb leaves no halted machine behind. The
exit status is COMMAND's.
"""
import os
import subprocess
import sys
import tempfile
import time

SOCKET_WAIT_SECONDS = 20.0


def split_arguments(argv):
    if "--" not in argv:
        sys.exit("usage: with_qemu_gdb.py QEMU [ARGUMENT]... -- COMMAND [ARGUMENT]...")
    at = argv.index("--")
    if at == 0 or at == len(argv) - 1:
        sys.exit("with_qemu_gdb.py: both QEMU and COMMAND are needed")
    return argv[:at], argv[at + 1:]


def wait_for_socket(path, qemu):
    """Whether the socket appeared before QEMU ended or the wait ran out."""
    deadline = time.monotonic() + SOCKET_WAIT_SECONDS
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return True
        if qemu.poll() is not None:
            return False
        time.sleep(0.05)
    return False


def stop(process):
    if process.poll() is None:
        process.kill()
    process.wait()


def main(argv):
    qemu_command, command = split_arguments(argv)
    with tempfile.TemporaryDirectory(prefix="vesper-gdb-") as folder:
        socket_path = os.path.join(folder, "gdb.sock")
        serial_path = os.path.join(folder, "serial.txt")
        qemu = subprocess.Popen(
            qemu_command + ["-serial", "file:" + serial_path, "-S",
                            "-chardev", f"socket,path={socket_path},server=on,wait=off,id=gdb",
                            "-gdb", "chardev:gdb"],
            stdin=subprocess.DEVNULL)
        try:
            if not wait_for_socket(socket_path, qemu):
                print(f"FAIL: QEMU made no gdb socket: {qemu_command}")
                return 1
            status = subprocess.run([a.replace("@SOCKET@", socket_path) for a in command],
                                    stdin=subprocess.DEVNULL).returncode
        finally:
            stop(qemu)
            if os.path.exists(serial_path):
                with open(serial_path, errors="replace") as serial:
                    print("serial port:\n" + serial.read())
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

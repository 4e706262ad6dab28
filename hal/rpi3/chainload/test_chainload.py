#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Chainload a kernel into QEMU's raspi3b with vesper-send, and check it runs.

QEMU boots chainload.img with its first serial port (the PL011) on a Unix
socket (or a pty with --case pty); vesper-send sends the kernel through it
and stays attached as a terminal, so its standard output holds what the
loader and then the kernel print, and it ends when the kernel's semihosting
exit ends QEMU. A case other than good first sends a bad frame, which the
loader must refuse with its message while the loader waits on; the good
send after it must still work:

    corrupt    a flipped byte: the CRC-32 does not match
    truncated  only the first bytes: the loader times out
    too-big    an image over the loader's maximum: refused after the size
    pty        no bad frame, but the port is a pty (termios) that QEMU opens
               without waiting, so the loader's first announcement is lost
               and vesper-send must ask for another (ENQ)

    test_chainload.py --qemu QEMU --loader chainload.img --kernel KERNEL.img
                      --send vesper-send [--case CASE]

Every process has a timeout, and QEMU is killed whatever happens.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

MAX_KERNEL = 16 * 1024 * 1024  # chainload.ld's __kernel_max_size
SEND_TIMEOUT_S = 120  # one vesper-send run, transfer and kernel included


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--qemu', required=True)
    parser.add_argument('--loader', required=True)
    parser.add_argument('--kernel', required=True)
    parser.add_argument('--send', required=True)
    parser.add_argument('--case', default='good',
                        choices=['good', 'corrupt', 'truncated', 'too-big', 'pty'])
    return parser.parse_args()


def send(arguments, device, image, *options):
    """Run vesper-send; return its exit status and standard output, after
    showing both."""
    command = [arguments.send, '--timeout', '60', *options, device, image]
    print('$', ' '.join(command), flush=True)
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=SEND_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as expired:
        output = (expired.stdout or b'').decode(errors='replace')
        print(output)
        print(f'FAIL: vesper-send ran longer than {SEND_TIMEOUT_S} s')
        return None, output
    output = done.stdout.decode(errors='replace')
    print(output)
    print(done.stderr.decode(errors='replace'), end='')
    print(f'(vesper-send exited with status {done.returncode})', flush=True)
    return done.returncode, output


def check(problems, output, texts, status, expected_status):
    """Note each text missing from output, in order, and a wrong status."""
    position = 0
    for text in texts:
        found = output.find(text, position)
        if found < 0:
            problems.append(f'missing (in this order): {text!r}')
        else:
            position = found + len(text)
    if status != expected_status:
        problems.append(f'vesper-send exit status {status}, expected {expected_status}')


def bad_frame(arguments, scratch, kernel):
    """The refused send of a case: vesper-send's options and image, and the
    loader's line that must say why."""
    size = len(kernel)
    if arguments.case == 'corrupt':
        return (['--corrupt'], arguments.kernel,
                f'vesper-chainload: checksum mismatch: the {size} bytes have CRC-32 ')
    if arguments.case == 'truncated':
        return (['--truncate', '4096'], arguments.kernel,
                'vesper-chainload: timed out after 3 s without a byte, '
                f'waiting for byte 4096 of {size}')
    big = os.path.join(scratch, 'big.img')
    with open(big, 'wb') as image:
        image.truncate(MAX_KERNEL + 1)
    return ([], big, f'vesper-chainload: refused a kernel of {MAX_KERNEL + 1} bytes')


def pty_path(qemu_log, deadline):
    """The pty QEMU names on its standard error."""
    while time.monotonic() < deadline:
        with open(qemu_log, encoding='utf-8', errors='replace') as log:
            found = re.search(r'char device redirected to (/dev/pts/\d+)', log.read())
        if found:
            return found.group(1)
        time.sleep(0.1)
    return None


def run(arguments, scratch):
    """The case's sends against one QEMU; the list of problems."""
    with open(arguments.kernel, 'rb') as image:
        kernel = image.read()
    problems = []
    qemu_log = os.path.join(scratch, 'qemu.log')
    if arguments.case == 'pty':
        port = ['-serial', 'pty']
    else:
        socket = os.path.join(scratch, 'serial')
        port = ['-chardev', f'socket,id=s0,path={socket},server=on,wait=on',
                '-serial', 'chardev:s0']
        # vesper-send finds a socket by its path, or is told with unix:
        device = 'unix:' + socket if arguments.case == 'corrupt' else socket
    command = [arguments.qemu, '-M', 'raspi3b', '-display', 'none', '-semihosting',
               *port, '-kernel', arguments.loader]
    print('$', ' '.join(command), flush=True)
    with open(qemu_log, 'wb') as log:
        qemu = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT)
    try:
        if arguments.case == 'pty':
            device = pty_path(qemu_log, time.monotonic() + 30)
            if device is None:
                return ['QEMU named no pty']
        elif arguments.case != 'good':
            options, image, refusal = bad_frame(arguments, scratch, kernel)
            status, output = send(arguments, device, image, '--no-terminal', *options)
            check(problems, output, ['vesper-chainload: ready', refusal], status, 4)

        status, output = send(arguments, device, arguments.kernel)
        check(problems, output, [
            'vesper-chainload: ready for a kernel of at most 16777216 bytes at 0x80000',
            f'vesper-chainload: received {len(kernel)} bytes, '
            f'CRC-32 {zlib.crc32(kernel):#x}; starting the kernel at 0x80000\r\n',
            'vesper: rpi3 HAL at EL1',
            'entered at EL2',
            'Hello from the root domain!\r\n',
            'vesper: shutdown, status 0',
        ], status, 0)
        for text in ['PANIC', 'unexpected']:
            if text in output:
                problems.append(f'must not appear: {text!r}')

        try:
            qemu_status = qemu.wait(timeout=30)
        except subprocess.TimeoutExpired:
            problems.append('QEMU did not exit after the kernel shut down')
        else:
            if qemu_status != 0:
                problems.append(f'QEMU exit status {qemu_status} (the kernel\'s), expected 0')
    finally:
        if qemu.poll() is None:
            qemu.kill()
            qemu.wait()
        with open(qemu_log, encoding='utf-8', errors='replace') as log:
            print('QEMU said:', log.read(), sep='\n')
    return problems


def main():
    arguments = parse_arguments()
    scratch = tempfile.mkdtemp(prefix='vesper-chainload-')
    try:
        problems = run(arguments, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for problem in problems:
        print('FAIL:', problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())

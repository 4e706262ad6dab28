#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Run a program and check what it prints and how it exits.

Used by the sim and qemu suites: the program's standard output and standard
error are read together; every --expect text must appear in them, in the
order given; no --reject text may appear; the exit status must equal
--status. A program that runs longer than --timeout seconds is killed and
the check fails. On failure the whole output is shown. --input gives the
program's standard input, written --input-delay seconds (default 1) after
it starts, so that a machine booting in an emulator is ready for it, and
kept open until the program ends (Python escapes such as \\r are
understood); without it the program reads an empty one.

    expect.py [--status N] [--expect TEXT]... [--reject TEXT]...
              [--timeout SECONDS] [--input TEXT] -- PROGRAM [ARGUMENT]...
"""
import argparse
import subprocess
import sys
import threading
import time


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--status", type=int, default=0)
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--input", default="")
    parser.add_argument("--input-delay", type=float, default=1.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    arguments = parser.parse_args(argv)
    if arguments.command and arguments.command[0] == "--":
        arguments.command = arguments.command[1:]
    if not arguments.command:
        parser.error("no program to run")
    return arguments


def check_output(output, expected, rejected):
    """Return a list of problems with the output."""
    problems = []
    position = 0
    for text in expected:
        found = output.find(text, position)
        if found < 0:
            where = "at all" if output.find(text) < 0 else "in the expected order"
            problems.append(f"missing {where}: {text!r}")
        else:
            position = found + len(text)
    for text in rejected:
        if text in output:
            problems.append(f"must not appear: {text!r}")
    return problems


def run(command, data, delay, timeout):
    """Run command, feeding it data after delay seconds; return its exit
    status (None if it was killed at the timeout) and its output."""
    process = subprocess.Popen(command,
                               stdin=subprocess.PIPE if data else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    killed = threading.Event()

    def feed():
        time.sleep(delay)
        try:
            process.stdin.write(data)
            process.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def kill():
        killed.set()
        process.kill()

    if data:
        threading.Thread(target=feed, daemon=True).start()
    timer = threading.Timer(timeout, kill)
    timer.start()
    output = process.stdout.read()
    status = process.wait()
    timer.cancel()
    return (None if killed.is_set() else status), output


def main(argv):
    arguments = parse_arguments(argv)
    data = arguments.input.encode().decode("unicode_escape").encode("latin-1")
    status, output = run(arguments.command, data, arguments.input_delay, arguments.timeout)
    output = output.decode(errors="replace")
    if status is None:
        print(output)
        print(f"FAIL: no exit within {arguments.timeout} s: {arguments.command}")
        return 1
    problems = check_output(output, arguments.expect, arguments.reject)
    if status != arguments.status:
        problems.append(f"exit status {status}, expected {arguments.status}")
    print(output)
    for problem in problems:
        print("FAIL:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

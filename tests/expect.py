#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Run a program and check what it prints and how it exits.

Used by the sim and qemu suites: the program's standard output and standard
error are read together; every --expect text must appear in them, in the
order given; no --reject text may appear; the exit status must equal
--status. A program that runs longer than --timeout seconds is killed and
the check fails. On failure the whole output is shown.

    expect.py [--status N] [--expect TEXT]... [--reject TEXT]...
              [--timeout SECONDS] -- PROGRAM [ARGUMENT]...
"""
import argparse
import subprocess
import sys


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--status", type=int, default=0)
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=60.0)
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


def main(argv):
    arguments = parse_arguments(argv)
    try:
        completed = subprocess.run(
            arguments.command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=arguments.timeout,
        )
    except subprocess.TimeoutExpired as timeout:
        output = (timeout.output or b"").decode(errors="replace")
        print(output)
        print(f"FAIL: no exit within {arguments.timeout} s: {arguments.command}")
        return 1
    output = completed.stdout.decode(errors="replace")
    problems = check_output(output, arguments.expect, arguments.reject)
    if completed.returncode != arguments.status:
        problems.append(f"exit status {completed.returncode}, expected {arguments.status}")
    print(output)
    for problem in problems:
        print("FAIL:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

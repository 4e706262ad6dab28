#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Run a command twice and fail unless both runs exit alike and print the
same bytes: a check that a run repeats exactly.

    same_twice.py -- COMMAND [ARG...]
"""
import subprocess
import sys


def main(argv):
    if len(argv) < 3 or argv[1] != '--':
        print(__doc__, file=sys.stderr)
        return 2
    runs = [subprocess.run(argv[2:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=120, check=False) for _ in range(2)]
    first, second = runs
    if first.returncode != second.returncode:
        print(f'exit statuses differ: {first.returncode} then {second.returncode}')
        return 1
    if first.stdout != second.stdout:
        lines = zip(first.stdout.splitlines(), second.stdout.splitlines())
        for number, (a, b) in enumerate(lines, 1):
            if a != b:
                print(f'first difference at line {number}:\n  {a!r}\n  {b!r}')
                break
        else:
            print('one output is a prefix of the other')
        return 1
    print(f'both runs printed the same {len(first.stdout)} bytes, status {first.returncode}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

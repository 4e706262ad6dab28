#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Count the kernel's instructions per IPC round trip with callgrind.

    callgrind_count.py PROGRAM [--rounds K1 K2] [--top N]

PROGRAM is ipc_instructions. It runs under
`valgrind --tool=callgrind --toggle-collect=kernel_entry_syscall`, so only
instructions executed inside kernel_entry_syscall() and what it calls are
counted: the core's syscall entry, not the test driver or the HAL's trap.
Two runs with K1 and K2 round trips differ only in the extra round trips,
so (total(K2) - total(K1)) / (K2 - K1) is the cost of one Call + ReplyRecv.
It prints, for the fast path, the general path (the program's `slow`
argument) and a Yield that comes straight back (`yield`, per syscall):

    metric ipc_fastpath_instructions N instructions
    metric ipc_slowpath_instructions N instructions
    metric null_syscall_instructions N instructions

and, with --top N (default 8), the N functions with the most instructions
of their own per round trip, as comment lines starting with '#'.
Exits 77 (skipped) when valgrind is not installed.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def run_callgrind(valgrind, program, rounds, extra, out_file):
    command = [valgrind, '--tool=callgrind', '--toggle-collect=kernel_entry_syscall',
               '--callgrind-out-file=' + out_file, program, str(rounds)] + extra
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        sys.exit('callgrind_count: %s failed with status %d'
                 % (' '.join(command), done.returncode))


def total_instructions(out_file):
    """The collected Ir total: the 'totals:' line, else 'summary:'."""
    found = {}
    with open(out_file) as f:
        for line in f:
            for key in ('totals:', 'summary:'):
                if line.startswith(key):
                    found[key] = int(line.split()[1])
    for key in ('totals:', 'summary:'):
        if key in found:
            return found[key]
    sys.exit('callgrind_count: no totals in ' + out_file)


LINE = re.compile(r'^\s*([\d,]+)\s+(?:\(\s*[\d.]+%\)\s+)?(\S.*?)\s*$')


def self_costs(annotate, out_file):
    """Instructions per function (exclusive), from callgrind_annotate."""
    done = subprocess.run([annotate, '--inclusive=no', '--threshold=100', out_file],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    costs = {}
    if done.returncode != 0:
        return costs
    table = False
    for line in done.stdout.splitlines():
        if 'file:function' in line:
            table = True
            continue
        match = LINE.match(line) if table else None
        if match and 'PROGRAM TOTALS' not in line:
            name = re.sub(r'\s*\[[^\]]*\]$', '', match.group(2))
            costs[name] = costs.get(name, 0) + int(match.group(1).replace(',', ''))
    return costs


def format_count(value):
    return '%d' % value if value == int(value) else '%.1f' % value


def measure(valgrind, annotate, program, rounds, extra, metric, top, workdir):
    totals, costs = [], []
    for k in rounds:
        out_file = os.path.join(workdir, 'callgrind.%s.%d' % (metric, k))
        run_callgrind(valgrind, program, k, extra, out_file)
        totals.append(total_instructions(out_file))
        if top > 0 and annotate is not None:
            costs.append(self_costs(annotate, out_file))
    extra_rounds = rounds[1] - rounds[0]
    per_round = (totals[1] - totals[0]) / extra_rounds
    print('metric %s %s instructions' % (metric, format_count(per_round)), flush=True)
    if len(costs) == 2:
        names = set(costs[0]) | set(costs[1])
        diff = {n: (costs[1].get(n, 0) - costs[0].get(n, 0)) / extra_rounds for n in names}
        ranked = sorted((v, n) for n, v in diff.items() if v > 0)
        for value, name in reversed(ranked[-top:]):
            print('#   %6.1f  %s' % (value, name))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('program')
    parser.add_argument('--rounds', type=int, nargs=2, default=[1000, 2000],
                        metavar=('K1', 'K2'))
    parser.add_argument('--top', type=int, default=8)
    args = parser.parse_args()
    if args.rounds[1] <= args.rounds[0] or args.rounds[0] < 0:
        parser.error('--rounds wants K1 < K2')
    valgrind = shutil.which('valgrind')
    if valgrind is None:
        print('callgrind_count: valgrind is not installed; skipping')
        return SKIP
    annotate = shutil.which('callgrind_annotate')
    with tempfile.TemporaryDirectory(prefix='vesper-callgrind-') as workdir:
        measure(valgrind, annotate, args.program, args.rounds, [],
                'ipc_fastpath_instructions', args.top, workdir)
        measure(valgrind, annotate, args.program, args.rounds, ['slow'],
                'ipc_slowpath_instructions', args.top, workdir)
        measure(valgrind, annotate, args.program, args.rounds, ['yield'],
                'null_syscall_instructions', args.top, workdir)
    return 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Count the kernel's instructions per entry for the long operations.

    kernel_work_count.py PROGRAM

PROGRAM is kernel_work. Each case runs twice under
`valgrind --tool=callgrind --toggle-collect=kernel_entry_syscall`, once
with `setup` (the capabilities made, no operation) and once whole; the
difference is the operation's kernel instructions. Without preemption
(K = 0) the operation is one kernel entry, so that is what one entry does.
With a stop at every point (K = 1) its steps are alike, so the difference
over the number of entries is what one entry does between two points.
It prints one line per figure:

    metric revoke_10000_instructions N instructions          (one entry)
    metric revoke_entry_instructions N instructions          (each of 10000)
    metric cnode_delete_65536_instructions N instructions    (one entry)
    metric cnode_delete_entry_instructions N instructions    (each, stepped)
    metric cnode_scan_entry_instructions N instructions      (each, stepped)
    metric retype_256_frames_2m_instructions N instructions  (one entry)
    metric retype_unzeroed_entry_instructions N instructions (each, stepped)
    metric retype_reset_entry_instructions N instructions    (each, stepped)
    metric revoke_untyped_entry_instructions N instructions  (each, stepped)
    metric kernel_entry_max_instructions N instructions
    metric revoke_10000_ns, cnode_delete_65536_ns, retype_256_frames_2m_ns,
           revoke_untyped_64m_ns N ns

the largest entry among the stepped cases (docs/preemption.md), and the
time each unpreempted operation takes run natively (median of 5): what a caller
waits for it, less the other domains' turns.
Exits 77 (skipped) when valgrind is not installed.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
ENTRIES = re.compile(r': (\d+) entries, (\d+) ns$')


def callgrind(valgrind, program, args, out_file):
    command = [valgrind, '--tool=callgrind', '--toggle-collect=kernel_entry_syscall',
               '--callgrind-out-file=' + out_file, program] + args
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        sys.exit('kernel_work_count: %s failed with status %d'
                 % (' '.join(command), done.returncode))
    total = None
    with open(out_file) as f:
        for line in f:
            if line.startswith('totals:') or (total is None and line.startswith('summary:')):
                total = int(line.split()[1])
    if total is None:
        sys.exit('kernel_work_count: no totals in ' + out_file)
    return total, done.stdout


def per_entry(valgrind, program, work, count, k, workdir):
    """Kernel instructions of the operation, and the entries it took."""
    base = os.path.join(workdir, '%s.%d.%d' % (work, count, k))
    setup, _ = callgrind(valgrind, program, [work, str(count), str(k), 'setup'],
                         base + '.setup')
    whole, out = callgrind(valgrind, program, [work, str(count), str(k)], base + '.whole')
    match = ENTRIES.search(out.strip())
    if match is None:
        sys.exit('kernel_work_count: no entry count in: ' + out)
    return whole - setup, int(match.group(1))


def native_ns(program, work, count, runs=5):
    """Nanoseconds the operation takes run natively without stops: the
    median of `runs` runs, each in a new process."""
    times = []
    for _ in range(runs):
        done = subprocess.run([program, work, str(count), '0'], stdout=subprocess.PIPE,
                              universal_newlines=True, check=True)
        match = ENTRIES.search(done.stdout.strip())
        if match is None:
            sys.exit('kernel_work_count: no time in: ' + done.stdout)
        times.append(int(match.group(2)))
    return sorted(times)[runs // 2]


# (metric, case, count): each case run whole, one entry, without stops.
WHOLE = (('revoke_10000_instructions', 'revoke', 10000),
         ('cnode_delete_65536_instructions', 'cnode-delete', 65536),
         ('retype_256_frames_2m_instructions', 'retype-unzeroed', 256))
# ... and stopped at every preemption point: what one entry does.
STEPPED = (('revoke_entry_instructions', 'revoke', 10000),
           ('cnode_delete_entry_instructions', 'cnode-delete', 65536),
           ('cnode_scan_entry_instructions', 'cnode-scan', 65536),
           ('retype_unzeroed_entry_instructions', 'retype-unzeroed', 256),
           ('retype_reset_entry_instructions', 'retype-reset', 256),
           ('revoke_untyped_entry_instructions', 'revoke-untyped', 65536))


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: kernel_work_count.py PROGRAM')
    program = sys.argv[1]
    valgrind = shutil.which('valgrind')
    if valgrind is None:
        print('kernel_work_count: valgrind is not installed; skipping')
        return SKIP
    with tempfile.TemporaryDirectory(prefix='vesper-kernel-work-') as workdir:
        for name, work, count in WHOLE:
            whole, entries = per_entry(valgrind, program, work, count, 0, workdir)
            if entries != 1:
                sys.exit('kernel_work_count: %s of %d unpreempted took %d entries'
                         % (work, count, entries))
            print('metric %s %d instructions' % (name, whole), flush=True)
        largest = 0
        for name, work, count in STEPPED:
            stepped, entries = per_entry(valgrind, program, work, count, 1, workdir)
            print('# %s of %d stopped at every point took %d entries' % (work, count, entries))
            print('metric %s %.0f instructions' % (name, stepped / entries), flush=True)
            largest = max(largest, stepped / entries)
        print('metric kernel_entry_max_instructions %.0f instructions' % largest, flush=True)
    for name, work, count in (('revoke_10000_ns', 'revoke', 10000),
                              ('cnode_delete_65536_ns', 'cnode-delete', 65536),
                              ('retype_256_frames_2m_ns', 'retype-unzeroed', 256),
                              ('revoke_untyped_64m_ns', 'revoke-untyped', 1 << 21)):
        print('metric %s %d ns' % (name, native_ns(program, work, count)), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())

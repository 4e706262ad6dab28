#!/bin/sh
# SPDX-License-Identifier: BlueOak-1.0.0
#
# How much of the kernel the tests reach: builds build-coverage/ with
# clang's source-based coverage, runs the unit suite, then separately the
# fuzz replay programs over their committed corpora, and prints
#
#   metric core_unit_line_pct NN.N %
#   metric core_unit_branch_pct NN.N %
#   metric core_fuzz_line_pct NN.N %
#   metric core_fuzz_branch_pct NN.N %
#
# over the kernel's sources in core/*/ (and the all-inline fast path,
# core/entry/fastpath.h) except core/check/ (the invariant
# checker: docs/coverage.md).
#
#   scripts/coverage.sh [--build DIR] [--report DIR]
#
# --build DIR   the build directory (default build-coverage/ at the top)
# --report DIR  also write, for each of unit and fuzz: DIR/<suite>-unreached.txt
#               (every line and branch outcome never reached),
#               DIR/<suite>.txt (the annotated sources) and DIR/<suite>-html/
#
# Needs clang, llvm-profdata and llvm-cov of the same version (Debian: the
# packages clang and llvm), meson, ninja, cmocka and python3. Build and test
# output goes to <build>/coverage.log, so standard output is the metrics.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/build-coverage"
report=""

die() { printf 'coverage.sh: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --build) [ $# -ge 2 ] || die "--build needs a directory"; build=$2; shift 2 ;;
        --report) [ $# -ge 2 ] || die "--report needs a directory"; report=$2; shift 2 ;;
        -h|--help) sed -n '4,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
case "$build" in /*) ;; *) build="$(pwd)/$build" ;; esac
if [ -n "$report" ]; then
    case "$report" in /*) ;; *) report="$(pwd)/$report" ;; esac
fi

command -v clang >/dev/null 2>&1 || die "clang is not installed"
# The profile format changes between LLVM versions: take the tools of
# clang's own version when they are installed under versioned names.
major=$(clang --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
llvm_tool() {
    if command -v "$1-$major" >/dev/null 2>&1; then
        command -v "$1-$major"
    elif command -v "$1" >/dev/null 2>&1; then
        command -v "$1"
    else
        die "$1 is not installed (Debian: apt-get install llvm)"
    fi
}
profdata=$(llvm_tool llvm-profdata)
llvm_cov=$(llvm_tool llvm-cov)

log="$build/coverage.log"
mkdir -p "$build"
: >"$log"
# Runs a command with its output in the log; on failure shows the end of it.
quietly() {
    if ! "$@" >>"$log" 2>&1; then
        tail -n 30 "$log" >&2
        die "failed: $* (the whole output is in $log)"
    fi
}

# Meson's compiler check runs a program: its profile goes to the build too.
if [ ! -f "$build/build.ninja" ]; then
    quietly env CC=clang LLVM_PROFILE_FILE="$build/meson-private/%p.profraw" meson setup "$build" "$top" -Dfuzzing=disabled -Db_sanitize=none \
        "-Dc_args=-fprofile-instr-generate -fcoverage-mapping" \
        "-Dc_link_args=-fprofile-instr-generate"
fi
quietly ninja -C "$build"

# Each test process writes its own raw profile; a suite's are merged.
profiles="$build/coverage"
rm -rf "$profiles"
for suite in unit fuzz; do
    mkdir -p "$profiles/$suite"
    quietly env LLVM_PROFILE_FILE="$profiles/$suite/%p-%m.profraw" \
        meson test -C "$build" --no-rebuild --suite "$suite"
    set -- "$profiles/$suite"/*.profraw
    [ -f "$1" ] || die "the $suite suite left no profiles in $profiles/$suite"
    quietly "$profdata" merge -sparse -o "$profiles/$suite.profdata" "$@"
done

# The programs that made each suite's profiles come from Meson's list of
# tests; llvm-cov reads the coverage mapping of all of them together.
python3 - "$top" "$build" "$llvm_cov" "$profiles" "$report" <<'EOF'
import json
import os
import re
import subprocess
import sys

top, build, llvm_cov, profiles, report = sys.argv[1:]
core = os.path.join(top, 'core')
# The kernel's folders; check/ (the invariant checker) runs only in tests and
# fuzzers and is not counted.
counted_folders = {'entry', 'object', 'cap', 'sched', 'lib'}


def suite_programs(suite):
    tests = json.loads(subprocess.run(['meson', 'introspect', '--tests', build],
                                      check=True, capture_output=True, text=True).stdout)
    programs = []
    for test in tests:
        program = os.path.realpath(test['cmd'][0])
        in_suite = any(s.split(':')[-1] == suite for s in test['suite'])
        if in_suite and program.startswith(os.path.realpath(build) + os.sep):
            programs.append(program)
    return sorted(set(programs))


def llvm_cov_args(command, programs, profdata):
    args = [llvm_cov, command, programs[0], '-instr-profile=' + profdata]
    for program in programs[1:]:
        args.append('-object=' + program)
    return args


def counted(filename):
    path = os.path.realpath(filename)
    folder = os.path.dirname(path)
    # The IPC fast path is all inline, in its header: count it as a source.
    fast_path = os.path.join(core, 'entry', 'fastpath.h')
    return (os.path.dirname(folder) == core and os.path.basename(folder) in counted_folders
            and (path.endswith('.c') or path == fast_path))


def ere_escape(text):
    return re.sub(r'([.\[\]()*+?{}|^$\\])', r'\\\1', text)


def percent(summary):
    count = summary['count']
    return 100.0 * summary['covered'] / count if count else 100.0


def unreached(annotated, out):
    """Lists the lines never run and the branch outcomes never taken on
    lines that did run, from llvm-cov's annotated text."""
    source = None
    line_count = {}
    for text in annotated.splitlines():
        if text.endswith(':') and text.startswith('/'):
            source = os.path.relpath(text[:-1], top)
            continue
        m = re.match(r'^\s*(\d+)\|\s*([0-9.kMGE]*)\|(.*)$', text)
        if m:
            line, count, code = m.groups()
            line_count[(source, line)] = count
            if count == '0':
                out.write(f'{source}:{line}: never run: {code.strip()}\n')
            continue
        m = re.search(r'Branch \((\d+):(\d+)\): \[True: ([^,]+), False: ([^\]]+)\]', text)
        if m and line_count.get((source, m.group(1))) not in (None, '0'):
            for outcome, count in (('true', m.group(3)), ('false', m.group(4))):
                if count.strip() == '0':
                    out.write(f'{source}:{m.group(1)}:{m.group(2)}: never {outcome}\n')


for suite in ('unit', 'fuzz'):
    programs = suite_programs(suite)
    if not programs:
        sys.exit(f'coverage.sh: Meson lists no programs in the {suite} suite')
    profdata = os.path.join(profiles, suite + '.profdata')
    export = json.loads(subprocess.run(
        llvm_cov_args('export', programs, profdata) + ['-summary-only'],
        check=True, capture_output=True, text=True).stdout)
    files = export['data'][0]['files']
    kept = [f for f in files if counted(f['filename'])]
    if not kept:
        sys.exit(f'coverage.sh: the {suite} programs have no coverage of core/')
    totals = {}
    for kind in ('lines', 'branches'):
        totals[kind] = {key: sum(f['summary'][kind][key] for f in kept)
                        for key in ('count', 'covered')}
    print(f"metric core_{suite}_line_pct {percent(totals['lines']):.1f} %")
    print(f"metric core_{suite}_branch_pct {percent(totals['branches']):.1f} %")
    lines, branches = totals['lines'], totals['branches']
    print(f"# {suite}: {lines['count'] - lines['covered']} of {lines['count']} lines and "
          f"{branches['count'] - branches['covered']} of {branches['count']} branch outcomes "
          "unreached")
    if report:
        os.makedirs(report, exist_ok=True)
        others = [f['filename'] for f in files if not counted(f['filename'])]
        ignore = '^(' + '|'.join(ere_escape(name) for name in others) + ')$'
        show = llvm_cov_args('show', programs, profdata) + [
            '-show-branches=count', '-ignore-filename-regex=' + ignore]
        annotated = subprocess.run(show, check=True, capture_output=True, text=True).stdout
        with open(os.path.join(report, suite + '.txt'), 'w') as out:
            out.write(annotated)
        with open(os.path.join(report, suite + '-unreached.txt'), 'w') as out:
            unreached(annotated, out)
        subprocess.run(show + ['-format=html', '-output-dir=' + os.path.join(report, suite + '-html')],
                       check=True)
EOF

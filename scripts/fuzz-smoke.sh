#!/bin/sh
# SPDX-License-Identifier: BlueOak-1.0.0
#
# Run each libFuzzer harness of build/ for a short, bounded run starting
# from its committed corpus, and fail on the first crash, sanitizer report
# or invariant violation. The run is a fixed number of inputs from a fixed
# seed (FUZZ_RUNS, FUZZ_SEED), so it does the same on every machine: about
# 20 seconds per harness here. The crashing input is left in
# build/fuzz-smoke/ for replay (fuzz/README.md). New corpus entries stay
# there too, not in fuzz/corpus; the directory starts empty each time.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
runs=${FUZZ_RUNS:-25000}
seed=${FUZZ_SEED:-1}
work="$top/build/fuzz-smoke"
rm -rf "$work"
mkdir -p "$work"

for harness in fuzz_syscall fuzz_caps fuzz_ipc; do
    program="$top/build/fuzz/$harness"
    if [ ! -x "$program" ]; then
        echo "fuzz-smoke: $program is missing (built only with clang's libFuzzer)" >&2
        exit 1
    fi
    corpus="$work/$harness"
    mkdir -p "$corpus"
    echo "==> $harness: $runs inputs from seed $seed"
    if ! "$program" "$corpus" "$top/fuzz/corpus/$harness" -runs="$runs" -seed="$seed" \
        -print_final_stats=1 -artifact_prefix="$work/$harness-" >"$work/$harness.log" 2>&1; then
        tail -n 40 "$work/$harness.log"
        echo "fuzz-smoke: $harness failed; the input is in $work" >&2
        exit 1
    fi
    grep -E "stat::number_of_executed_units|stat::average_exec_per_sec" "$work/$harness.log" || true
done
echo "==> fuzzing found nothing"

#!/bin/sh
# SPDX-License-Identifier: BlueOak-1.0.0
#
# Build the fuzzers as ClusterFuzzLite does, without Docker, and check the
# result. .clusterfuzzlite/build.sh runs as $SRC/build.sh from $SRC/vesper
# (a link to this repository) with the environment OSS-Fuzz's base-builder
# image gives an AddressSanitizer libFuzzer build, and empty $OUT and $WORK.
# Then every harness fuzz/meson.build names must be in $OUT with its seed
# corpus zip holding all of fuzz/corpus/<harness>, and must run 50 inputs
# from that corpus without a crash. Suite 'fuzz'; about 15 seconds on two
# cores. $CC and $CXX default to clang and clang++.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SRC="$tmp/src" OUT="$tmp/out" WORK="$tmp/work"
mkdir -p "$SRC" "$OUT" "$WORK" "$tmp/run"
ln -s "$top" "$SRC/vesper"
cp "$top/.clusterfuzzlite/build.sh" "$SRC/build.sh"

# base-builder's flags for SANITIZER=address, less -stdlib=libc++ in
# CXXFLAGS: that libc++ is OSS-Fuzz's own build, not the system's.
flags="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
flags="$flags -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
CC=${CC:-clang} CXX=${CXX:-clang++} CFLAGS=$flags CXXFLAGS=$flags
LIB_FUZZING_ENGINE=-fsanitize=fuzzer SANITIZER=address FUZZING_ENGINE=libfuzzer
export SRC OUT WORK CC CXX CFLAGS CXXFLAGS LIB_FUZZING_ENGINE SANITIZER FUZZING_ENGINE

(cd "$SRC/vesper" && sh "$SRC/build.sh") >"$tmp/build.log" 2>&1 || {
    cat "$tmp/build.log"
    echo "check-clusterfuzzlite: .clusterfuzzlite/build.sh failed" >&2
    exit 1
}

harnesses=$(sed -n "s/^fuzz_harnesses = \[\(.*\)\]/\1/p" "$top/fuzz/meson.build" | tr -d "',")
status=0
for harness in $harnesses; do
    program="$OUT/$harness"
    seeds="$OUT/${harness}_seed_corpus.zip"
    if [ ! -x "$program" ] || [ ! -f "$seeds" ]; then
        echo "FAIL $harness: $program or $seeds is missing" >&2
        status=1
        continue
    fi
    corpus="$tmp/run/$harness-corpus"
    python3 -m zipfile -e "$seeds" "$corpus"
    packed=$(find "$corpus" -type f | wc -l)
    committed=$(find "$top/fuzz/corpus/$harness" -type f | wc -l)
    if [ "$packed" -ne "$committed" ]; then
        echo "FAIL $harness: the zip holds $packed inputs, fuzz/corpus has $committed" >&2
        status=1
    fi
    # From the run directory, so that anything libFuzzer writes stays there.
    # Its count includes the seeds: more than 50 when the corpus is larger.
    if (cd "$tmp/run" && "$program" -runs=50 -seed=1 "$corpus") >"$tmp/$harness.log" 2>&1 &&
        runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$tmp/$harness.log") &&
        [ "${runs:-0}" -ge 50 ]; then
        echo "ok $harness: built, $packed seeds packed, $runs inputs run"
    else
        tail -n 30 "$tmp/$harness.log"
        echo "FAIL $harness: did not run 50 inputs cleanly" >&2
        status=1
    fi
done
[ -n "$harnesses" ] || { echo "FAIL: no harnesses in fuzz/meson.build" >&2; status=1; }
exit $status

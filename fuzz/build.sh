#!/bin/sh
# SPDX-License-Identifier: BlueOak-1.0.0
#
# Build the fuzz harnesses the way OSS-Fuzz and ClusterFuzzLite expect:
# with $CC and $CFLAGS, linked against $LIB_FUZZING_ENGINE, into $OUT, each
# with its seed corpus beside it as <name>_seed_corpus.zip. Intermediate
# objects go to $WORK (a temporary directory when it is unset). When $CXX
# and $CXXFLAGS are both set, as OSS-Fuzz and ClusterFuzzLite set them, the
# programs are linked with them: their libFuzzer is built against libc++,
# so even a C project links with the C++ compiler there. Meson is not
# needed; python3 is, to make libos/invocations.h. Examples:
#
#   CC=clang CFLAGS="-fsanitize=address,fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out fuzz/build.sh
#
#   CC=afl-clang-fast CFLAGS= LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/afl fuzz/build.sh
#
# Without $CFLAGS the build uses AddressSanitizer and UBSan, and
# -fno-sanitize-recover=all so that a UBSan report stops the fuzzer as a
# crash instead of scrolling past. The kernel is compiled once and linked
# into every harness.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
: "${CC:=clang}"
: "${CFLAGS:=-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${OUT:=$top/build-fuzz}"
mkdir -p "$OUT"
if [ -n "${WORK:-}" ]; then
    objects="$WORK/vesper-objects"
    rm -rf "$objects"
else
    objects=$(mktemp -d)
    trap 'rm -rf "$objects"' EXIT
fi
mkdir -p "$objects"

case "$(uname -m)" in
x86_64) switch=hal/host/switch_x86_64.S ;;
aarch64) switch=hal/host/switch_aarch64.S ;;
*) echo "build.sh: the host HAL runs on x86_64 and aarch64" >&2; exit 1 ;;
esac

# The harnesses are those fuzz/meson.build names; the code they share is
# fuzz_harness.c and world*.c.
harnesses=$(sed -n "s/^fuzz_harnesses = \[\(.*\)\]/\1/p" "$top/fuzz/meson.build" | tr -d "',")
if [ -z "$harnesses" ]; then
    echo "build.sh: no fuzz_harnesses list in fuzz/meson.build" >&2
    exit 1
fi
kernel=$(cd "$top" && echo core/*/*.c hal/host/*.c "$switch" fuzz/fuzz_harness.c fuzz/world*.c)

# Compile the kernel once, a job per processor. Objects are named after
# their path (core/lib/console.c and hal/host/console.c both exist).
VESPER_VERSION=$(sed -n "s/^ *version : '\([^']*\)'.*/\1/p" "$top/meson.build" | head -n 1)
core_dirs="entry object cap sched lib check interface"
VESPER_FLAGS="-std=c11 -O2 -g $(for d in $core_dirs; do printf -- '-I%s/core/%s ' "$top" "$d"; done)-I$top/core/include -I$top/hal -I$top/hal/host -I$top/fuzz"
# The kernel's decoders read word positions from <vesper/invocation_words.h>
# and the fuzzers build their invocations with the message builders of
# <libos/invocations.h>; abi/generate.py makes both from the description
# abi/invocations.py, as the Meson build does.
mkdir -p "$objects/include/libos" "$objects/include/vesper"
python3 "$top/abi/generate.py" words "$top/abi/invocations.py" "$objects/include/vesper/invocation_words.h"
python3 "$top/abi/generate.py" header "$top/abi/invocations.py" "$objects/include/libos/invocations.h"
VESPER_FLAGS="$VESPER_FLAGS -I$objects/include -I$top/libos/include"
export CC CFLAGS VESPER_VERSION VESPER_FLAGS top objects
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
# shellcheck disable=SC2016,SC2086
printf '%s\n' $kernel | xargs -P "$jobs" -n 1 sh -c '
    $CC $VESPER_FLAGS $CFLAGS -DVESPER_VERSION_STRING="\"$VESPER_VERSION\"" \
        -c "$top/$1" -o "$objects/$(echo "$1" | tr / -).o"' compile

if [ -n "${CXX:-}" ] && [ -n "${CXXFLAGS:-}" ]; then
    link="$CXX $CXXFLAGS"
else
    link="$CC $CFLAGS"
fi
# shellcheck disable=SC2086
kernel_objects=$(printf '%s\n' $kernel | tr / - | sed "s|^|$objects/|; s|$|.o|")

for harness in $harnesses; do
    # shellcheck disable=SC2086
    $CC $VESPER_FLAGS $CFLAGS -c "$top/fuzz/$harness.c" -o "$objects/$harness.o"
    # shellcheck disable=SC2086
    $link "$objects/$harness.o" $kernel_objects $LIB_FUZZING_ENGINE -o "$OUT/$harness"
    seeds="$OUT/${harness}_seed_corpus.zip"
    rm -f "$seeds"
    if command -v zip >/dev/null 2>&1; then
        (cd "$top/fuzz/corpus/$harness" && zip -q -r "$seeds" .)
    elif command -v python3 >/dev/null 2>&1; then
        # shellcheck disable=SC2046
        (cd "$top/fuzz/corpus/$harness" && python3 -m zipfile -c "$seeds" $(ls))
    else
        echo "build.sh: neither zip nor python3 found: $harness has no seed corpus zip" >&2
    fi
    echo "built $OUT/$harness"
done

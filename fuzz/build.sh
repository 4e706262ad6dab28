#!/bin/sh
# SPDX-License-Identifier: BlueOak-1.0.0
#
# Build the fuzz harnesses the way OSS-Fuzz and ClusterFuzzLite expect:
# with $CC and $CFLAGS, linked against $LIB_FUZZING_ENGINE, into $OUT, each
# with its seed corpus beside it as <name>_seed_corpus.zip. Meson is not
# needed. Examples:
#
#   CC=clang CFLAGS="-fsanitize=address,fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out fuzz/build.sh
#
#   CC=afl-clang-fast LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/afl fuzz/build.sh
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
: "${CC:=clang}"
: "${CFLAGS:=-fsanitize=address,undefined,fuzzer-no-link}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${OUT:=$top/build-fuzz}"
mkdir -p "$OUT"

case "$(uname -m)" in
x86_64) switch="$top/hal/host/switch_x86_64.S" ;;
aarch64) switch="$top/hal/host/switch_aarch64.S" ;;
*) echo "build.sh: the host HAL runs on x86_64 and aarch64" >&2; exit 1 ;;
esac

version=$(sed -n "s/^ *version : '\([^']*\)'.*/\1/p" "$top/meson.build" | head -n 1)
includes="-I$top/core -I$top/core/include -I$top/hal -I$top/hal/host -I$top/fuzz"
kernel="$top/core/*.c $top/hal/host/*.c $switch $top/fuzz/fuzz_harness.c $top/fuzz/world.c"

for harness in fuzz_syscall fuzz_caps fuzz_ipc; do
    # shellcheck disable=SC2086
    $CC $CFLAGS -std=c11 -O2 -g -DVESPER_VERSION_STRING="\"$version\"" $includes \
        $kernel "$top/fuzz/$harness.c" $LIB_FUZZING_ENGINE -o "$OUT/$harness"
    if command -v zip >/dev/null 2>&1; then
        (cd "$top/fuzz/corpus/$harness" && zip -q -r "$OUT/${harness}_seed_corpus.zip" .)
    fi
    echo "built $OUT/$harness"
done

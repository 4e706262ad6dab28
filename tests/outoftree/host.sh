#!/bin/sh
# SPDX-License-Identifier: BlueOak-1.0.0
# A host program of one's own against the installed build: compiled with
# `cc $(pkg-config --cflags --libs vesper-host)`, then examples/hello as a
# Meson project with dependency('vesper-host'). Each runs as a vesper-sim.
. "$(dirname "$0")/common.sh"
find_pc vesper-host

flags=$(pkg-config --cflags --libs vesper-host)
case "$flags" in
*sanitize*) fail "vesper-host.pc carries sanitizer flags: $flags" ;;
esac

# 1. One file and the compiler. The root's return value is the exit status.
cat >"$scratch/hello.c" <<'PROGRAM'
#include <libos/format.h>
#include <vesper/sim.h>

int vesper_main(const struct vesper_bootinfo *bootinfo)
{
    vesper_printf("hello.c: %u regions, %s, %d + %d = %d, 0x%x\n",
                  (unsigned)(bootinfo->untyped_count > 0), "formatted", 3, 4, 3 + 4, 42u);
    return 42;
}
PROGRAM
# shellcheck disable=SC2086
$CC -std=c11 -Wall -Wextra -Werror $sanitize_flags "$scratch/hello.c" $flags -o "$scratch/hello" ||
    fail "cc with vesper-host.pc failed"
python3 "$EXPECT" --status 42 --timeout 60 \
    --expect 'hello.c: 1 regions, formatted, 3 + 4 = 7, ' \
    --expect 'vesper: shutdown, status 42' \
    -- "$scratch/hello"
# Every vesper-sim option: this is a vesper-sim whose one program is ours.
python3 "$EXPECT" --status 42 --timeout 60 \
    --expect 'hello.c: 1 regions' --expect 'hello: kernel entries' \
    -- "$scratch/hello" --stats
python3 "$EXPECT" --status 0 --timeout 60 --expect 'Usage: hello [OPTION]...' \
    --reject '[PROGRAM]' --expect "run your program's vesper_main() as its root" \
    --expect=--stop-at \
    -- "$scratch/hello" --help

# 2. The example as a Meson project of its own.
# shellcheck disable=SC2086
CC=$CC "$MESON" setup "$scratch/build-example" "$VESPER_EXAMPLE" $meson_sanitize >"$scratch/setup.log" 2>&1 ||
    { cat "$scratch/setup.log"; fail "meson setup of examples/hello failed"; }
"$MESON" compile -C "$scratch/build-example" >"$scratch/compile.log" 2>&1 ||
    { cat "$scratch/compile.log"; fail "building examples/hello failed"; }
python3 "$EXPECT" --status 0 --timeout 60 \
    --expect 'Hello from a program of my own: ' --expect 'the largest RAM one: ' \
    --expect 'vesper: shutdown, status 0' \
    -- "$scratch/build-example/hello"
echo "outoftree: host programs built and ran"

#!/bin/sh
# SPDX-License-Identifier: BlueOak-1.0.0
# A Pi image of one's own against the installed cross build: hello.c
# compiled and linked with the cross compiler and vesper-rpi3.pc, made a raw
# image with objcopy, checked as the tree's images are, and booted in
# QEMU; then examples/hello as a Meson cross project with
# dependency('vesper-rpi3').
. "$(dirname "$0")/common.sh"
for variable in QEMU OBJCOPY OBJDUMP CHECK_IMAGE CROSS_FILE; do
    eval "[ -n \"\${$variable:-}\" ]" || fail "$variable is not set (run this through meson test)"
done
find_pc vesper-rpi3

# QEMU_SERIALS puts the console's UART on stdio (several words, split).
qemu_run() {
    # shellcheck disable=SC2086
    python3 "$EXPECT" --timeout 60 --status 0 \
        --expect 'Hello from a program of my own: ' --expect 'the largest RAM one: ' \
        --expect 'vesper: shutdown, status 0' --reject PANIC --reject unexpected \
        -- "$QEMU" -M raspi3b -display none ${QEMU_SERIALS:--serial stdio} -semihosting -kernel "$1"
}

# 1. The compiler, the linker script and objcopy by hand.
# shellcheck disable=SC2046,SC2086
$CC -std=c11 -Wall -Wextra -Werror "$VESPER_EXAMPLE/hello.c" \
    $(pkg-config --cflags --libs vesper-rpi3) -o "$scratch/hello.elf" ||
    fail "linking hello.elf with vesper-rpi3.pc failed"
"$OBJCOPY" -O binary "$scratch/hello.elf" "$scratch/kernel8.img"

# The program is user code: in the user text, which EL0 may run.
symbols=$("$OBJDUMP" --syms "$scratch/hello.elf")
address() {
    value=$(printf '%s\n' "$symbols" | awk -v name="$1" '$NF == name { print $1; exit }')
    [ -n "$value" ] || fail "no symbol $1 in hello.elf"
    printf '%d' "0x$value"
}
main=$(address vesper_main)
[ "$main" -ge "$(address __shared_text_end)" ] && [ "$main" -lt "$(address __user_text_end)" ] ||
    fail "vesper_main lies outside the user text"
[ "$(address kernel_boot)" -lt "$(address __kernel_text_end)" ] ||
    fail "kernel_boot lies outside the kernel text"

# The instructions a Pi cannot run, as for the tree's images.
python3 "$CHECK_IMAGE" --objdump "$OBJDUMP" \
    --allow rpi3_dcache_invalidate_range --allow rpi3_mmu_enable --allow hal_memory_zero \
    "$scratch/hello.elf"
qemu_run "$scratch/kernel8.img"

# 2. The example as a Meson cross project of its own.
"$MESON" setup "$scratch/build-example" "$VESPER_EXAMPLE" --cross-file "$CROSS_FILE" \
    >"$scratch/setup.log" 2>&1 ||
    { cat "$scratch/setup.log"; fail "meson setup of examples/hello for the Pi failed"; }
"$MESON" compile -C "$scratch/build-example" >"$scratch/compile.log" 2>&1 ||
    { cat "$scratch/compile.log"; fail "building examples/hello for the Pi failed"; }
qemu_run "$scratch/build-example/kernel8.img"
echo "outoftree: Pi images built and booted"

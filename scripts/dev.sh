#!/bin/sh
# SPDX-License-Identifier: BlueOak-1.0.0
#
# Set up a Debian or Ubuntu machine for Vesper and build it.
#
#   scripts/dev.sh demo   install what is missing, build, run the simulator demo
#   scripts/dev.sh test   install what is missing, build, run every test:
#                         native under AddressSanitizer and UBSan (unit, sim,
#                         fuzz replays), then the Raspberry Pi 3 cross build
#                         and its QEMU tests
#
# Packages are installed with apt-get, through sudo when not root. A machine
# that already has them installs nothing. Build directories: build/ (native)
# and build-rpi3/ (cross).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

say() { printf '==> %s\n' "$*"; }
die() { printf 'dev.sh: %s\n' "$*" >&2; exit 1; }

base_packages="clang lld llvm meson ninja-build pkg-config python3 libcmocka-dev qemu-system-arm gdb-multiarch valgrind"

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# clang's sanitizer and libFuzzer runtimes: libclang-rt-N-dev on current
# Debian and Ubuntu, part of libclang-common-N-dev on older ones.
runtime_package() {
    major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
    [ -n "$major" ] || return 0
    if apt-cache show "libclang-rt-$major-dev" >/dev/null 2>&1; then
        echo "libclang-rt-$major-dev"
    else
        echo "libclang-common-$major-dev"
    fi
}

apt_install() {
    if [ "$(id -u)" -eq 0 ]; then
        run=""
    elif command -v sudo >/dev/null 2>&1; then
        run="sudo"
    else
        die "missing packages: $*
Install them as root (apt-get install $*) or install sudo, then run this again."
    fi
    say "installing: $*"
    $run env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
        die "apt-get update failed; install by hand: $*"
    $run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" ||
        die "apt-get install failed; install by hand: $*"
}

install_missing() {
    command -v dpkg-query >/dev/null 2>&1 ||
        die "this script sets up Debian or Ubuntu; elsewhere install: $base_packages and clang's runtime library"
    missing=""
    for package in $base_packages; do
        installed "$package" || missing="$missing $package"
    done
    # shellcheck disable=SC2086
    [ -z "$missing" ] || apt_install $missing
    runtime=$(runtime_package)
    if [ -n "$runtime" ] && ! installed "$runtime"; then
        apt_install "$runtime"
    fi
}

configure_native() {
    if [ ! -f build/build.ninja ]; then
        say "configuring build/ (clang, AddressSanitizer, UBSan)"
        CC=clang meson setup build -Db_sanitize=address,undefined
    else
        meson configure build -Db_sanitize=address,undefined
    fi
}

configure_rpi3() {
    if [ ! -f build-rpi3/build.ninja ]; then
        say "configuring build-rpi3/ (Raspberry Pi 3 cross build)"
        meson setup build-rpi3 --cross-file hal/rpi3/aarch64-rpi3.ini
    fi
}

demo() {
    install_missing
    configure_native
    ninja -C build
    say "running build/sim/vesper-sim"
    ./build/sim/vesper-sim
}

run_tests() {
    install_missing
    configure_native
    ninja -C build
    say "native tests: unit, sim and fuzz replays, under the sanitizers"
    meson test -C build --print-errorlogs
    configure_rpi3
    ninja -C build-rpi3
    say "Raspberry Pi 3 tests in QEMU"
    meson test -C build-rpi3 --print-errorlogs
    say "all tests passed"
}

case "${1:-}" in
demo) demo ;;
test) run_tests ;;
*)
    echo "Usage: scripts/dev.sh demo|test" >&2
    exit 2
    ;;
esac

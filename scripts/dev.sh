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
#   scripts/dev.sh test-gcc
#                         install what is missing, build with gcc (release,
#                         no sanitizers), run the native unit and sim suites
#                         and install (a program built against an
#                         installation of build-gcc/)
#
# Packages are installed with apt-get, through sudo when not root. A machine
# that already has them installs nothing. Build directories: build/ (native,
# clang), build-rpi3/ (cross) and build-gcc/ (native, gcc). A build directory
# keeps the compiler it was configured with: one configured with another
# compiler than the command uses stops the command, with what to do.
#
# JOBS=N (for example `JOBS=2 scripts/dev.sh test`) runs at most N compile
# jobs (ninja -j) and N tests (meson test --num-processes) at once; without
# it ninja and meson choose from the number of CPUs.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

say() { printf '==> %s\n' "$*"; }
die() { printf 'dev.sh: %s\n' "$*" >&2; exit 1; }

base_packages="clang gcc lld llvm meson ninja-build pkg-config python3 libcmocka-dev qemu-system-arm gdb-multiarch valgrind graphviz"

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

case "${JOBS:-}" in
"") ninja_jobs="" test_jobs="" ;;
0* | *[!0-9]*) die "JOBS must be a positive whole number, not '$JOBS'" ;;
*) ninja_jobs="-j $JOBS" test_jobs="--num-processes $JOBS" ;;
esac

build_dir() {
    # shellcheck disable=SC2086
    ninja -C "$1" $ninja_jobs
}

test_dir() {
    dir=$1
    shift
    # shellcheck disable=SC2086
    meson test -C "$dir" $test_jobs --print-errorlogs "$@"
}

# Which compiler a configured build directory runs (clang or gcc), from the
# command its build.ninja compiles C with: asked, since "cc" may be either.
configured_compiler() {
    # shellcheck disable=SC2016
    compile=$(sed -n '/^rule c_COMPILER$/{n;s/^ command = \(.*\) \$ARGS .*/\1/p;q;}' "$1/build.ninja")
    # shellcheck disable=SC2086
    macros=$($compile -dM -E -x c /dev/null 2>/dev/null) || macros=""
    case "$macros" in
    *__clang__*) echo clang ;;
    *__GNUC__*) echo gcc ;;
    *) echo "${compile:-an unknown compiler}" ;;
    esac
}

# Meson cannot change a build directory's compiler in place, and a build
# directory may hold someone's own configuration: say what to do and stop.
require_compiler() {
    dir=$1 want=$2
    have=$(configured_compiler "$dir")
    [ "$have" = "$want" ] ||
        die "$dir/ is configured with $have, but this command builds it with $want.
Meson cannot change the compiler of a configured directory. Reconfigure it from
scratch with its other options kept (CC=$want meson setup --wipe $dir) or
remove it, then run this again."
}

configure_native() {
    if [ ! -f build/build.ninja ]; then
        say "configuring build/ (clang, AddressSanitizer, UBSan)"
        CC=clang meson setup build -Db_sanitize=address,undefined
    else
        require_compiler build clang
        say "using build/ (clang, AddressSanitizer, UBSan)"
        meson configure build -Db_sanitize=address,undefined
    fi
}

configure_gcc() {
    if [ ! -f build-gcc/build.ninja ]; then
        say "configuring build-gcc/ (gcc, release)"
        CC=gcc meson setup build-gcc --buildtype=release
    else
        require_compiler build-gcc gcc
        say "using build-gcc/ (gcc, release)"
        meson configure build-gcc --buildtype=release -Db_sanitize=none
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
    build_dir build
    say "running build/sim/vesper-sim"
    ./build/sim/vesper-sim
}

run_tests() {
    install_missing
    configure_native
    build_dir build
    say "native tests: unit, sim and fuzz replays, under the sanitizers"
    test_dir build
    configure_rpi3
    build_dir build-rpi3
    say "Raspberry Pi 3 tests in QEMU"
    test_dir build-rpi3
    say "all tests passed"
}

run_gcc_tests() {
    install_missing
    configure_gcc
    build_dir build-gcc
    say "native tests built with gcc: unit, sim and install"
    test_dir build-gcc --suite unit --suite sim --suite install
    say "gcc tests passed"
}

case "${1:-}" in
demo) demo ;;
test) run_tests ;;
test-gcc) run_gcc_tests ;;
*)
    echo "Usage: [JOBS=N] scripts/dev.sh demo|test|test-gcc" >&2
    exit 2
    ;;
esac

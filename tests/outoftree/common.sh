# SPDX-License-Identifier: BlueOak-1.0.0
# Shared by host.sh and rpi3.sh: install the build under test into a scratch
# folder and point pkg-config at it, as a user's installation would be.
# Sets scratch (removed at exit) and exports PKG_CONFIG_*.
set -eu

fail() { printf 'outoftree: %s\n' "$*" >&2; exit 1; }

for variable in VESPER_BUILD VESPER_EXAMPLE EXPECT CC MESON SANITIZE; do
    eval "[ -n \"\${$variable:-}\" ]" || fail "$variable is not set (run this through meson test)"
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM
destdir=$scratch/destdir

echo "installing $VESPER_BUILD into $destdir"
"$MESON" install -C "$VESPER_BUILD" --no-rebuild --quiet --destdir "$destdir" >/dev/null ||
    fail "meson install failed"

# Only this installation: a Vesper elsewhere on the machine must not answer.
find_pc() {
    pc=$(find "$destdir" -name "$1.pc" | head -n 1)
    [ -n "$pc" ] || fail "$1.pc was not installed"
    PKG_CONFIG_LIBDIR=$(dirname "$pc")
    PKG_CONFIG_PATH=$PKG_CONFIG_LIBDIR
    PKG_CONFIG_SYSROOT_DIR=$destdir
    export PKG_CONFIG_LIBDIR PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
    pkg-config --exists "$1" || fail "pkg-config does not find $1"
}

# A build with sanitizers installed libraries that need them at link time.
sanitize_flags=""
meson_sanitize=""
if [ "$SANITIZE" != none ]; then
    sanitize_flags="-fsanitize=$SANITIZE -fno-sanitize-recover=all"
    meson_sanitize="-Db_sanitize=$SANITIZE"
fi

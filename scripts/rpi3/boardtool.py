# SPDX-License-Identifier: BlueOak-1.0.0
"""What the Pi board's run targets (hal/rpi3/targets/meson.build) share.

Each target runs one program: the one the build found, unless an environment
variable names another (QEMU, OPENOCD, GDB, NM, OBJDUMP). The variable may
carry arguments of its own ("gdb-multiarch -nx"). The script then gives its
place to the program, so that the program owns the terminal and its exit
status is the target's.
"""
import os
import shlex
import shutil
import sys


def program(variable, default, hint):
    """The command line VARIABLE holds, else DEFAULT, with its program found
    on PATH; exits with HINT (what to install) when it is not there."""
    words = shlex.split(os.environ.get(variable, "")) or [default]
    found = shutil.which(words[0])
    if found is None:
        sys.exit(f"{words[0]}: not found. {hint}, or set {variable} to the program to run.")
    return [found] + words[1:]


def build_dir():
    """The build directory as one names it to ninja from the top of the
    source tree, or its whole path when it lies elsewhere."""
    root = os.environ.get("MESON_BUILD_ROOT")
    source = os.environ.get("MESON_SOURCE_ROOT")
    if not root or not source:
        return "BUILDDIR"
    relative = os.path.relpath(root, source)
    return root if relative.startswith("..") else relative


def replace_with(argv, show=False):
    """Run ARGV in this process's place; SHOW prints it first."""
    if show:
        print("+ " + shlex.join(argv), file=sys.stderr, flush=True)
    sys.stdout.flush()
    os.execv(argv[0], argv)

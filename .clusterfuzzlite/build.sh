#!/bin/sh
# SPDX-License-Identifier: BlueOak-1.0.0
#
# ClusterFuzzLite runs this as $SRC/build.sh inside the image of
# .clusterfuzzlite/Dockerfile, with $CC, $CFLAGS, $CXX, $CXXFLAGS,
# $LIB_FUZZING_ENGINE, $OUT and $WORK set for the sanitizer it builds
# (address, undefined or memory). fuzz/build.sh honours them all.
set -eu
exec "$SRC/vesper/fuzz/build.sh"

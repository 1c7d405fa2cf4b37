#!/bin/sh
# run-fuzz.sh: fuzz the image loader with libFuzzer for a given time.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   tests/imaging/run-fuzz.sh SECONDS [BUILD_DIR]
#
# Configures BUILD_DIR (default build-fuzz) with clang, ASan and UBSan if
# needed, builds tests/imaging/fuzz-load, seeds it with JPEG and PNG files
# from tests/imaging/fuzz-seeds (some larger than 512 px, for the 1/8 scale
# DC-only decoder) and runs it; new inputs go to BUILD_DIR/fuzz-corpus. Crashes
# land in BUILD_DIR/fuzz-artifacts/; the exit status is libFuzzer's.
set -eu

seconds=${1:?usage: run-fuzz.sh SECONDS [BUILD_DIR]}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${2:-$srcdir/build-fuzz}

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang CXX=clang++ meson setup "$builddir" "$srcdir" \
    -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized
fi
ninja -C "$builddir" tests/imaging/fuzz-load tests/imaging/fuzz-seeds

corpus="$builddir/fuzz-corpus"
seeds="$builddir/fuzz-seeds"
artifacts="$builddir/fuzz-artifacts"
mkdir -p "$corpus" "$seeds" "$artifacts"
# Written afresh each run (fuzz-seeds.c): small JPEGs of each kind, JPEGs
# larger than 512 px that reach the DC-only thumbnail decoder, and PNGs.
ASAN_OPTIONS=detect_leaks=0 "$builddir/tests/imaging/fuzz-seeds" "$seeds"

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
exec "$builddir/tests/imaging/fuzz-load" "$corpus" "$seeds" \
  -artifact_prefix="$artifacts/" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -max_len=262144 \
  -print_final_stats=1 2>&1

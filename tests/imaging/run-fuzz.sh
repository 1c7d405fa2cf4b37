#!/bin/sh
# run-fuzz.sh: fuzz the image loader with libFuzzer for a given time.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   tests/imaging/run-fuzz.sh SECONDS [BUILD_DIR]
#
# Configures BUILD_DIR (default build-fuzz) with clang, ASan and UBSan if
# needed, builds tests/imaging/fuzz-load, seeds a corpus with small JPEG and
# PNG files (scikit-image's sample photos when installed) and runs it. Crashes
# land in BUILD_DIR/fuzz-artifacts/; the exit status is libFuzzer's.
set -eu

seconds=${1:?usage: run-fuzz.sh SECONDS [BUILD_DIR]}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${2:-$srcdir/build-fuzz}

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang CXX=clang++ meson setup "$builddir" "$srcdir" \
    -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized
fi
ninja -C "$builddir" tests/imaging/fuzz-load

corpus="$builddir/fuzz-corpus"
artifacts="$builddir/fuzz-artifacts"
mkdir -p "$corpus" "$artifacts"
if [ -z "$(ls -A "$corpus")" ]; then
  /usr/bin/python3 - "$corpus" <<'PY'
import io, sys
import numpy as np
from PIL import Image
out = sys.argv[1]
rng = np.random.default_rng(1)
def save(img, name, **kw):
    img.save("%s/%s" % (out, name), **kw)
base = Image.fromarray(rng.integers(0, 256, (24, 32, 3), dtype=np.uint8), "RGB")
save(base, "rgb.jpg", quality=80)
save(base, "rgb-progressive.jpg", quality=80, progressive=True)
save(base, "rgb.png")
save(base.convert("L"), "grey.png")
save(base.convert("RGBA"), "rgba.png")
save(base.convert("P"), "palette.png")
save(base.convert("CMYK"), "cmyk.jpg")
exif = Image.Exif(); exif[0x0112] = 6
save(base, "exif.jpg", exif=exif.tobytes())
try:
    import skimage.data, os
    for name in ("chelsea.png", "coffee.png"):
        im = Image.open(os.path.join(skimage.data.data_dir, name)).convert("RGB").resize((64, 48))
        save(im, "sk-" + name.replace(".png", ".jpg"), quality=85)
except ImportError:
    pass
PY
fi

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
exec "$builddir/tests/imaging/fuzz-load" "$corpus" \
  -artifact_prefix="$artifacts/" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -max_len=262144 \
  -print_final_stats=1 2>&1

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""scikit-image reference for tests/imaging/test-imaging.c.

  skimage_reference.py datadir
      prints where python3-skimage keeps its sample photos
  skimage_reference.py metrics RGB.raw W H MASK.raw|none OUT.txt
      RGB.raw: H*W*3 bytes; MASK.raw: H*W bytes, non-zero inside the region.
      Writes "key value" lines: a* mean/median/p90 (skimage.color.rgb2lab),
      roughness and tone unevenness (scipy.ndimage.gaussian_filter) and
      GLCM properties (skimage.feature.graycomatrix/graycoprops) per distance,
      and levels_match 1 when OpenCV's BGR2GRAY formula >> 3 gives LEVELS.raw
      (the same quantised input the library used), read from RGB.raw + ".levels".
  skimage_reference.py make-inputs DIR
      writes the odd-format inputs the loader tests need (PIL).
"""
import sys

import numpy as np

DISTANCES = [1, 2, 4]
ANGLES = [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4]
PROPS = ["contrast", "dissimilarity", "homogeneity", "ASM", "energy", "correlation"]


def metrics(rgb_path, w, h, mask_path, out_path):
    from skimage import color, feature

    rgb = np.fromfile(rgb_path, dtype=np.uint8).reshape(h, w, 3)
    levels = np.fromfile(rgb_path + ".levels", dtype=np.uint8).reshape(h, w)
    mask = (np.ones((h, w), bool) if mask_path == "none"
            else np.fromfile(mask_path, dtype=np.uint8).reshape(h, w) != 0)

    lab = color.rgb2lab(rgb)
    a = lab[..., 1][mask]
    out = {"a_mean": a.mean(), "a_median": np.median(a), "a_p90": np.percentile(a, 90),
           "n_pixels": a.size}

    # Roughness (sigma 2) and tone unevenness (sigma 8) as IMAGING.md defines
    # them: normalised Gaussian blurs of L* over the region (scipy's
    # gaussian_filter, zero outside, radius int(4 sigma + 0.5)), then the
    # std over the region of L* minus the blur, and of the blur.
    from scipy import ndimage
    L = np.where(mask, lab[..., 0], 0.0)
    mf = mask.astype(np.float64)

    def normalised_blur(sigma):
        num = ndimage.gaussian_filter(L, sigma, mode="constant", truncate=4.0)
        den = ndimage.gaussian_filter(mf, sigma, mode="constant", truncate=4.0)
        return num / np.where(den > 0, den, 1)

    out["roughness"] = (L - normalised_blur(2.0))[mask].std()
    out["l_unevenness"] = normalised_blur(8.0)[mask].std()

    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    q = (((b * 3735 + g * 19235 + r * 9798 + 16384) >> 15) >> 3).astype(np.uint8)
    out["levels_match"] = int(np.array_equal(q, levels))

    # A pair counts only when both pixels are inside: outside pixels get an
    # extra level 32 whose row and column are dropped before normalising.
    qm = np.where(mask, q, 32).astype(np.uint8)
    P = feature.graycomatrix(qm, DISTANCES, ANGLES, levels=33, symmetric=True, normed=False)
    P = P[:32, :32].astype(np.float64)
    sums = P.sum(axis=(0, 1), keepdims=True)
    sums[sums == 0] = 1
    P = P / sums
    for prop in PROPS:
        v = feature.graycoprops(P, prop).mean(axis=1)
        for i, d in enumerate(DISTANCES):
            out["%s_d%d" % (prop, d)] = v[i]
    logp = np.log2(np.where(P > 0, P, 1))
    ent = (-(P * logp).sum(axis=(0, 1))).mean(axis=1)
    for i, d in enumerate(DISTANCES):
        out["entropy_d%d" % d] = ent[i]

    with open(out_path, "w") as f:
        for k, v in out.items():
            f.write("%s %.17g\n" % (k, float(v)))


def write_png16(path, rgb16):
    """A 16-bit RGB PNG, written by hand: PIL cannot write one."""
    import struct
    import zlib

    h, w, _ = rgb16.shape
    raw = b"".join(b"\x00" + rgb16[y].astype(">u2").tobytes() for y in range(h))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw)))
        f.write(chunk(b"IEND", b""))


def make_inputs(d):
    from PIL import Image

    rng = np.random.default_rng(7)
    base = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    base.tofile(d + "/base.rgb")

    # 16-bit RGB PNG: 8-bit value v stored as v * 257 + noise below one step.
    v16 = base.astype(np.uint16) * 257 + rng.integers(0, 100, base.shape).astype(np.uint16)
    write_png16(d + "/rgb16.png", v16)
    v16.astype("<u2").tofile(d + "/rgb16.raw")

    grey = base[..., 0]
    Image.fromarray(grey, "L").save(d + "/grey.png")
    rgba = np.dstack([base, rng.integers(0, 256, (48, 64, 1), dtype=np.uint8)])
    Image.fromarray(rgba, "RGBA").save(d + "/alpha.png")
    smooth = np.zeros((48, 64, 3), np.uint8)
    smooth[...] = (200, 120, 60)
    smooth[:, 32:] = (40, 160, 220)
    Image.fromarray(smooth, "RGB").convert("CMYK").save(d + "/cmyk.jpg", quality=95)
    smooth.tofile(d + "/cmyk.rgb")
    # 64x48 stored, EXIF orientation 6: shown rotated 90 degrees clockwise.
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(base, "RGB").save(d + "/oriented.jpg", quality=95, exif=exif.tobytes())
    Image.fromarray(np.zeros((1, 1, 3), np.uint8), "RGB").save(d + "/one.png")
    big = np.tile(np.linspace(0, 255, 800, dtype=np.uint8)[None, :, None], (600, 1, 3))
    Image.fromarray(big, "RGB").save(d + "/big.jpg", quality=90)


def main():
    mode = sys.argv[1]
    if mode == "datadir":
        import skimage.data
        print(skimage.data.data_dir)
    elif mode == "metrics":
        metrics(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6])
    elif mode == "make-inputs":
        make_inputs(sys.argv[2])
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()

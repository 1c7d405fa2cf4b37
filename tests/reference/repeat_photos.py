#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Repeat photos of unchanged skin (IMAGING.md, "When a change is a change").

Renders skin-like textured scenes and photographs them as a camera would:
the scene is sampled at 3x the photo's resolution through the pose (shift,
rotation, scale) with cubic interpolation and averaged over each photo
pixel's 3x3 footprint (an area sensor), then exposure and white balance
gains, sensor noise, the sRGB transfer function and JPEG. Both photos of a
pair are taken like this, so neither is ever "the original".

  repeat_photos.py calibrate CLI OUTDIR [N_PAIRS_PER_SCENE [SEEDS]]
      For each of four scenes, N pairs (default 30) of 640 x 440 photos with random pose
      changes (shift up to 1 px, rotation up to 2 degrees, scale up to 3 %),
      exposure and white balance within 5 %, JPEG quality 80-95 (4:4:4 or
      4:2:0 chroma) and sensor noise, as IMAGING.md specifies; runs `CLI compare BEFORE AFTER --json` on the whole frame and on
      a cheek-sized region, and prints each metric's 99th percentile of
      |change| and the 1st and 99th percentiles of the sharpness ratio:
      the figures of README's thresholds table (each threshold is that p99,
      the sharpness gate those percentiles).
  repeat_photos.py reencode CLI OUTDIR [SEEDS]
      For each scene, one photo saved as PNG and at JPEG q85, and the q85
      file saved again at q70 (issue 11's re-encode); compares the PNG and
      the q85 file with the q70 file, whole frame and region, and prints the
      same table. Not part of the thresholds (IMAGING.md sets them from the
      calibration alone): README reports where these changes fall.
  repeat_photos.py merge OUTDIR
      The table over the samples-*.json files calibrate wrote (scenes run
      in parallel, e.g. `calibrate CLI OUTDIR 30 11,12` and `... 13,14`).
  repeat_photos.py render-pairs OUTDIR
      The fixed pairs tests/test-measure.c checks (one scene, nothing
      changed but the named pose or encoding; each photo with its own
      sensor noise): before.png and
      shift05.png, rot1.png, rot2.png, scale09.png, scale11.png,
      jpeg.jpg (the before photo saved as JPEG q85), jpeg70.jpg (that
      file saved again at q70), blur1.png
      (the before photo blurred, Gaussian sigma 1).
  repeat_photos.py render-chart OUTDIR
      A ColorChecker Classic next to a cheek under three colour casts, and
      the same cheek with +8 a* erythema: chart_cast{0,1,2}.png and
      chart_cast{0,1,2}_red.png, plus chart.txt with the chart corners and
      the cheek rectangle.
  repeat_photos.py render-greyworld OUTDIR
      A frame neutral on average apart from a cheek (15 % of it) under a warm
      cast, before and with +8 a* erythema: gw_before.png, gw_after.png, gw.txt.
  repeat_photos.py greyworld-reference BEFORE AFTER X Y W H
      The change of the region's a* mean under grey world as IMAGING.md
      defines it, implemented independently of the library (numpy, skimage).
"""
import json
import os
import subprocess
import sys

import numpy as np

SS = 3   # supersampling of the scene relative to the photo


def srgb_encode(lin):
    lin = np.clip(lin, 0, 1)
    return np.where(lin > 0.0031308, 1.055 * np.power(lin, 1 / 2.4) - 0.055, 12.92 * lin)


def srgb_decode(v):
    return np.where(v > 0.04045, np.power((v + 0.055) / 1.055, 2.4), v / 12.92)


def band_noise(rng, shape, sigma):
    """White noise through a periodic Gaussian of @sigma px, unit std. Wide
    Gaussians are applied in the Fourier domain (scipy's mode="wrap" filter
    without its 4-sigma truncation: the same field to about 1e-4, 20x faster
    at the scenes' 75-105 px)."""
    from scipy import ndimage
    n = rng.standard_normal(shape)
    if sigma > 8:
        fy = np.fft.fftfreq(shape[0])[:, None]
        fx = np.fft.rfftfreq(shape[1])[None, :]
        n = np.fft.irfft2(np.fft.rfft2(n) * np.exp(-2 * np.pi ** 2 * sigma ** 2 * (fx ** 2 + fy ** 2)), s=shape)
    else:
        n = ndimage.gaussian_filter(n, sigma, mode="wrap")
    return n / (n.std() + 1e-12)


def make_scene(seed, w, h, tone="light", roughness=1.0):
    """Linear RGB scene of (h * SS * 1.3, w * SS * 1.3) for photos of w x h."""
    from skimage import color
    rng = np.random.default_rng(seed)
    H, W = int(h * SS * 1.3), int(w * SS * 1.3)
    L0, a0, b0 = {"light": (68, 13, 16), "intermediate": (58, 15, 20), "tan": (48, 16, 22)}[tone]
    # Pigmentation and redness blotches (tens of photo pixels), fine texture
    # (1-3 photo pixels), pores (dark dots) and a few wrinkles.
    L = L0 + 3.0 * band_noise(rng, (H, W), 25 * SS)
    a = a0 + 2.5 * band_noise(rng, (H, W), 30 * SS)
    b = b0 + 2.0 * band_noise(rng, (H, W), 35 * SS)
    L += roughness * (1.6 * band_noise(rng, (H, W), 1.0 * SS) + 1.2 * band_noise(rng, (H, W), 2.5 * SS))
    n_pores = int(H * W / (SS * SS) / 180)
    ys, xs = rng.integers(0, H, n_pores), rng.integers(0, W, n_pores)
    pores = np.zeros((H, W))
    pores[ys, xs] = rng.uniform(0.5, 1.0, n_pores)
    from scipy import ndimage
    pores = ndimage.gaussian_filter(pores, 0.9 * SS) * (2 * np.pi * (0.9 * SS) ** 2)
    L -= roughness * 9.0 * pores
    for _ in range(6):
        y0, x0 = rng.uniform(0, H), rng.uniform(0, W)
        ang = rng.uniform(0, np.pi)
        yy, xx = np.mgrid[0:H, 0:W]
        d = np.abs((yy - y0) * np.cos(ang) - (xx - x0) * np.sin(ang))
        along = np.abs((yy - y0) * np.sin(ang) + (xx - x0) * np.cos(ang))
        L -= roughness * 5.0 * np.exp(-(d / (1.2 * SS)) ** 2) * (along < rng.uniform(80, 250) * SS)
    lab = np.stack([L, a, b], axis=-1)
    return srgb_decode(np.clip(color.lab2rgb(lab), 0, 1))


def photograph(scene, w, h, dx=0.0, dy=0.0, rot_deg=0.0, scale=1.0, gains=(1, 1, 1),
               noise=0.0, rng=None):
    """Linear RGB photo (h, w, 3) of @scene: photo pixel (u, v) sees the scene
    around its centre + R(rot) S(1/scale) ((u, v) - photo centre) + (dx, dy)."""
    from skimage import transform
    Hs, Ws = scene.shape[:2]
    # Supersampled photo pixel p -> photo coordinates ((p + 0.5) / SS - 0.5)
    to_photo = np.array([[1 / SS, 0, 0.5 / SS - 0.5], [0, 1 / SS, 0.5 / SS - 0.5], [0, 0, 1]])
    cx, cy = (w - 1) / 2, (h - 1) / 2
    t = np.deg2rad(rot_deg)
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]) / scale
    centre = np.array([[1, 0, -cx], [0, 1, -cy], [0, 0, 1]])
    pose = np.eye(3)
    pose[:2, :2] = R
    pose[:2, 2] = [dx, dy]
    # Photo coordinates -> scene pixels (SS scene pixels per photo pixel, centred)
    to_scene = np.array([[SS, 0, (Ws - 1) / 2], [0, SS, (Hs - 1) / 2], [0, 0, 1]])
    M = to_scene @ pose @ centre @ to_photo
    sup = transform.warp(scene, transform.ProjectiveTransform(M), output_shape=(h * SS, w * SS),
                         order=3, mode="reflect")
    photo = sup.reshape(h, SS, w, SS, 3).mean(axis=(1, 3))
    photo = photo * np.asarray(gains)[None, None, :]
    if noise > 0:
        # Shot noise (variance proportional to signal) plus read noise
        photo = photo + rng.standard_normal(photo.shape) * np.sqrt(noise ** 2 * photo + (0.2 * noise) ** 2)
    return np.clip(photo, 0, 1)


def to_u8(lin):
    return np.round(srgb_encode(lin) * 255).astype(np.uint8)


def save(path, u8, quality=None):
    from PIL import Image
    im = Image.fromarray(u8)
    if quality is not None:
        im.save(path, quality=quality, subsampling=0)
    else:
        im.save(path, compress_level=1)


def save_jpeg(path, u8, rng):
    """A photo as a camera saves it: JPEG quality 80-95 (IMAGING.md's range),
    chroma 4:4:4 or 4:2:0."""
    from PIL import Image
    Image.fromarray(u8).save(path, quality=int(rng.integers(80, 96)), subsampling=int(rng.choice([0, 2])))


def compare(cli, before, after, extra):
    out = subprocess.run([cli, "compare", before, after, "--json"] + extra,
                         capture_output=True, text=True)
    if out.returncode != 0:
        print("%s %s: %s" % (before, after, out.stderr.strip()), file=sys.stderr)
        return None
    return json.loads(out.stdout)


def changes(report):
    """metric key -> |change| for every metric with a threshold"""
    res = {}
    for group in report["metrics"].values():
        for key, v in group.items():
            if isinstance(v, dict) and "clear_change" in v:
                res[key] = abs(v["change"])
        for entry in group.get("glcm", []) if isinstance(group, dict) else []:
            for key, v in entry.items():
                if isinstance(v, dict) and "clear_change" in v:
                    res["glcm_" + key] = abs(v["change"])
    return res


SCENES = [(11, "light", 1.0), (12, "intermediate", 0.7), (13, "tan", 1.3), (14, "light", 0.5)]


def calibrate(cli, outdir, n_pairs, only=None):
    os.makedirs(outdir, exist_ok=True)
    w, h = 640, 440
    scenes = [sc for sc in SCENES if only is None or sc[0] in only]
    samples = {}
    ratios = []
    for seed, tone, rough in scenes:
        rng = np.random.default_rng(2026 + seed)
        scene = make_scene(seed, w, h, tone, rough)
        for i in range(n_pairs):
            paths = []
            for k in range(2):
                photo = photograph(scene, w, h,
                                   dx=rng.uniform(-1, 1), dy=rng.uniform(-1, 1),
                                   rot_deg=rng.uniform(-1, 1), scale=1 + rng.uniform(-0.015, 0.015),
                                   gains=rng.uniform(0.975, 1.025) * rng.uniform(0.975, 1.025, 3),
                                   noise=rng.uniform(0.003, 0.01), rng=rng)
                p = os.path.join(outdir, "s%d_%d_%d.jpg" % (seed, i, k))
                save_jpeg(p, to_u8(photo), rng)
                paths.append(p)
            for extra in ([], ["--roi", "%d,%d,%d,%d" % (w // 3, h // 3, w // 4, h // 4)]):
                result = compare(cli, paths[0], paths[1], extra)
                if result is None:
                    print("pair %s not compared" % paths[0], file=sys.stderr)
                    continue
                for key, v in changes(result).items():
                    samples.setdefault(key, []).append(v)
                ratios.append(result["quality"]["sharpness_ratio"])
            for p in paths:
                os.unlink(p)
        print("after scene %d:" % seed, file=sys.stderr)
        report(samples, ratios, sys.stderr)
        with open(os.path.join(outdir, "samples-%d.json" % seed), "w") as f:
            json.dump({"samples": samples, "ratios": ratios}, f)
        samples, ratios = {}, []
    merge(outdir)


def reencode(cli, outdir, only=None):
    """The named unchanged condition IMAGING.md's calibration does not draw at
    random: a photo re-saved at lower JPEG quality (q85 4:2:0, as a camera
    or an app saves it, then that file at q70). For each scene: the photo
    (PNG) against its q70 second generation, and the q85 file against it,
    whole frame and region; samples-reencode-SEED.json."""
    from PIL import Image
    os.makedirs(outdir, exist_ok=True)
    w, h = 640, 440
    for seed, tone, rough in [sc for sc in SCENES if only is None or sc[0] in only]:
        rng = np.random.default_rng(4026 + seed)
        scene = make_scene(seed, w, h, tone, rough)
        u8 = to_u8(photograph(scene, w, h, noise=0.005, rng=rng))
        png, q85, q70 = (os.path.join(outdir, "r%d.%s" % (seed, e)) for e in ("png", "q85.jpg", "q70.jpg"))
        save(png, u8)
        Image.fromarray(u8).save(q85, quality=85)
        Image.open(q85).convert("RGB").save(q70, quality=70)
        samples, ratios = {}, []
        for before in (png, q85):
            for extra in ([], ["--roi", "%d,%d,%d,%d" % (w // 3, h // 3, w // 4, h // 4)]):
                result = compare(cli, before, q70, extra)
                if result is None:
                    continue
                for key, v in changes(result).items():
                    samples.setdefault(key, []).append(v)
                ratios.append(result["quality"]["sharpness_ratio"])
        for p in (png, q85, q70):
            os.unlink(p)
        print("re-encode, scene %d:" % seed, file=sys.stderr)
        report(samples, ratios, sys.stderr)
        with open(os.path.join(outdir, "reencode-%d.json" % seed), "w") as f:
            json.dump({"samples": samples, "ratios": ratios}, f)


def merge(outdir):
    """The table over every samples-*.json in @outdir"""
    samples, ratios = {}, []
    for name in sorted(os.listdir(outdir)):
        if name.startswith("samples-") and name.endswith(".json"):
            with open(os.path.join(outdir, name)) as f:
                d = json.load(f)
            for k, v in d["samples"].items():
                samples.setdefault(k, []).extend(v)
            ratios.extend(d["ratios"])
    report(samples, ratios, sys.stdout)


def report(samples, ratios, f):
    print("metric n p99(|change|) max(|change|)", file=f)
    for key in sorted(samples):
        v = np.asarray(samples[key])
        print("%s %d %.4g %.4g" % (key, v.size, np.percentile(v, 99), v.max()), file=f)
    r = np.asarray(ratios)
    print("sharpness_ratio %d p1 %.4g p99 %.4g min %.4g max %.4g" %
          (r.size, np.percentile(r, 1), np.percentile(r, 99), r.min(), r.max()), file=f)
    f.flush()


def render_pairs(outdir):
    from scipy import ndimage
    os.makedirs(outdir, exist_ok=True)
    w, h = 640, 480
    scene = make_scene(7, w, h, "light", 1.0)
    rng = np.random.default_rng(7)
    # Every photo has its own sensor noise, as two real photos do
    noise = 0.005
    before = to_u8(photograph(scene, w, h, noise=noise, rng=rng))
    save(os.path.join(outdir, "before.png"), before)
    for name, kw in [("shift05", dict(dx=0.5, dy=0.0)), ("rot1", dict(rot_deg=1.0)),
                     ("rot2", dict(rot_deg=2.0)), ("scale09", dict(scale=0.9)),
                     ("scale11", dict(scale=1.1))]:
        save(os.path.join(outdir, name + ".png"), to_u8(photograph(scene, w, h, noise=noise, rng=rng, **kw)))
    # JPEG re-encodes: q85 as a camera or an app would save it (4:2:0), and a
    # second generation of that at q70
    from PIL import Image
    Image.fromarray(before).save(os.path.join(outdir, "jpeg.jpg"), quality=85)
    Image.open(os.path.join(outdir, "jpeg.jpg")).convert("RGB").save(os.path.join(outdir, "jpeg70.jpg"), quality=70)
    lin = srgb_decode(before / 255.0)
    blurred = np.stack([ndimage.gaussian_filter(lin[..., c], 1.0, mode="reflect") for c in range(3)], -1)
    save(os.path.join(outdir, "blur1.png"), to_u8(blurred))


def chart_patches_srgb():
    """The 24 patches (D50 Lab, X-Rite 2005) adapted to D65 with Bradford, sRGB 0-1"""
    from skimage import color
    lab = np.array([
        [37.986, 13.555, 14.059], [65.711, 18.130, 17.810], [49.927, -4.880, -21.925],
        [43.139, -13.095, 21.905], [55.112, 8.844, -25.399], [70.719, -33.397, -0.199],
        [62.661, 36.067, 57.096], [40.020, 10.410, -45.964], [51.124, 48.239, 16.248],
        [30.325, 22.976, -21.587], [72.532, -23.709, 57.255], [71.941, 19.363, 67.857],
        [28.778, 14.179, -50.297], [55.261, -38.342, 31.370], [42.101, 53.378, 28.190],
        [81.733, 4.039, 79.819], [51.935, 49.986, -14.574], [51.038, -28.631, -28.638],
        [96.539, -0.425, 1.186], [81.257, -0.638, -0.335], [66.766, -0.734, -0.504],
        [50.867, -0.153, -0.270], [35.656, -0.421, -1.231], [20.461, -0.079, -0.973]])
    xyz50 = color.lab2xyz(lab, illuminant="D50", observer="2")
    B = np.array([[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]])
    s = B @ np.array([0.96422, 1.0, 0.82521])
    d = B @ np.array([0.95047, 1.0, 1.08883])
    A = np.linalg.inv(B) @ np.diag(d / s) @ B
    xyz65 = xyz50 @ A.T
    return np.clip(color.xyz2rgb(xyz65), 0, 1)


def render_chart(outdir):
    """A 960 x 640 scene: a cheek (left) and a ColorChecker (right) on a grey-beige
    background, photographed under three casts (linear-RGB channel gains)."""
    from scipy import ndimage
    os.makedirs(outdir, exist_ok=True)
    w, h = 960, 640
    rng = np.random.default_rng(5)
    lin = np.ones((h, w, 3)) * srgb_decode(np.array([0.55, 0.52, 0.48]))[None, None, :]
    # The chart: box of 16.75 x 11.25 units, 2.5-unit patches 0.25 apart
    unit = 24.0
    x0, y0 = 520.0, 150.0
    bw, bh = 16.75 * unit, 11.25 * unit
    yy, xx = np.mgrid[0:h, 0:w] + 0.0
    inside = (xx >= x0) & (xx < x0 + bw) & (yy >= y0) & (yy < y0 + bh)
    lin[inside] = srgb_decode(0.08)
    patches = srgb_decode(chart_patches_srgb())
    for k in range(24):
        i, j = k % 6, k // 6
        px, py = x0 + (0.25 + i * 2.75) * unit, y0 + (0.25 + j * 2.75) * unit
        m = (xx >= px) & (xx < px + 2.5 * unit) & (yy >= py) & (yy < py + 2.5 * unit)
        lin[m] = patches[k]
    # The cheek: a textured skin ellipse
    from skimage import color
    cheek = ((xx - 250) / 200) ** 2 + ((yy - 320) / 260) ** 2 < 1
    L = 64 + 2 * band_noise(rng, (h, w), 20) + 1.0 * band_noise(rng, (h, w), 1.5)
    a = 14 + 1.5 * band_noise(rng, (h, w), 25)
    b = 17 + 1.0 * band_noise(rng, (h, w), 25)
    skin = srgb_decode(np.clip(color.lab2rgb(np.stack([L, a, b], -1)), 0, 1))
    lin[cheek] = skin[cheek]
    # The same cheek with +8 a* in its centre (erythema)
    red = lin.copy()
    ery = ((xx - 250) / 120) ** 2 + ((yy - 320) / 150) ** 2 < 1
    skin_red = srgb_decode(np.clip(color.lab2rgb(np.stack([L, a + 8, b], -1)), 0, 1))
    red[ery] = skin_red[ery]
    casts = [(1.0, 1.0, 1.0), (1.25, 1.0, 0.75), (0.8, 0.95, 1.2)]
    for n, g in enumerate(casts):
        for suffix, img in (("", lin), ("_red", red)):
            shot = np.clip(img * np.asarray(g)[None, None, :] * 0.85, 0, 1)
            shot = ndimage.gaussian_filter(shot, (0.6, 0.6, 0))
            save(os.path.join(outdir, "chart_cast%d%s.png" % (n, suffix)), to_u8(shot))
    with open(os.path.join(outdir, "chart.txt"), "w") as f:
        f.write("corners %g %g %g %g %g %g %g %g\n" % (x0 - 0.5, y0 - 0.5, x0 + bw - 0.5, y0 - 0.5,
                                                       x0 + bw - 0.5, y0 + bh - 0.5, x0 - 0.5, y0 + bh - 0.5))
        f.write("erythema %d %d %d %d\n" % (250 - 80, 320 - 100, 160, 200))


def render_greyworld(outdir):
    """A 640 x 480 frame that is neutral on average apart from the skin: a
    textured grey background, a cheek ellipse on 15 % of the frame, under a
    warm cast; gw_before.png, and gw_after.png with +8 a* in the cheek's
    centre; gw.txt gives the region inside the erythema."""
    from skimage import color
    os.makedirs(outdir, exist_ok=True)
    w, h = 640, 480
    rng = np.random.default_rng(9)
    yy, xx = np.mgrid[0:h, 0:w] + 0.0
    L = 72 + 6 * band_noise(rng, (h, w), 12) + 1.0 * band_noise(rng, (h, w), 1.5)
    a = np.zeros((h, w))
    b = np.zeros((h, w))
    cheek = ((xx - 320) / 130) ** 2 + ((yy - 240) / 110) ** 2 < 1
    Ls = 64 + 2 * band_noise(rng, (h, w), 20) + 1.0 * band_noise(rng, (h, w), 1.5)
    a_s = 14 + 1.5 * band_noise(rng, (h, w), 25)
    b_s = 17 + 1.0 * band_noise(rng, (h, w), 25)
    L[cheek], a[cheek], b[cheek] = Ls[cheek], a_s[cheek], b_s[cheek]
    ery = ((xx - 320) / 75) ** 2 + ((yy - 240) / 62) ** 2 < 1
    a_red = a.copy()
    a_red[ery] += 8
    cast = np.array([1.15, 1.0, 0.85])
    for name, aa in (("gw_before.png", a), ("gw_after.png", a_red)):
        lin = srgb_decode(np.clip(color.lab2rgb(np.stack([L, aa, b], -1)), 0, 1))
        save(os.path.join(outdir, name), to_u8(np.clip(lin * cast[None, None, :] * 0.9, 0, 1)))
    with open(os.path.join(outdir, "gw.txt"), "w") as f:
        f.write("region %d %d %d %d\n" % (320 - 50, 240 - 40, 100, 80))
        f.write("skin_fraction %.3f\n" % cheek.mean())


def greyworld_reference(before, after, x, y, w, h):
    """IMAGING.md's grey world written out independently: per channel, in
    linear RGB, the whole frame's channel means made equal; then a* (skimage)
    averaged over the region. Prints the change of the region's a* mean."""
    from PIL import Image
    from skimage import color
    res = []
    for path in (before, after):
        lin = srgb_decode(np.asarray(Image.open(path).convert("RGB")) / 255.0)
        means = lin.reshape(-1, 3).mean(axis=0)
        balanced = np.clip(lin * (means.mean() / means)[None, None, :], 0, 1)
        lab = color.rgb2lab(srgb_encode(balanced))
        res.append(lab[y:y + h, x:x + w, 1].mean())
    print("%.6f" % (res[1] - res[0]))


def main(argv):
    if len(argv) >= 4 and argv[1] == "calibrate":
        only = {int(v) for v in argv[5].split(",")} if len(argv) > 5 else None
        calibrate(argv[2], argv[3], int(argv[4]) if len(argv) > 4 else 30, only)
    elif len(argv) >= 4 and argv[1] == "reencode":
        reencode(argv[2], argv[3], {int(v) for v in argv[4].split(",")} if len(argv) > 4 else None)
    elif len(argv) == 3 and argv[1] == "merge":
        merge(argv[2])
    elif len(argv) == 3 and argv[1] == "render-pairs":
        render_pairs(argv[2])
    elif len(argv) == 3 and argv[1] == "render-chart":
        render_chart(argv[2])
    elif len(argv) == 3 and argv[1] == "render-greyworld":
        render_greyworld(argv[2])
    elif len(argv) == 8 and argv[1] == "greyworld-reference":
        greyworld_reference(argv[2], argv[3], *(int(v) for v in argv[4:8]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

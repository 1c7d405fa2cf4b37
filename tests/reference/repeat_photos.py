#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Repeat photos of unchanged skin (IMAGING.md, "When a change is a change").

Renders skin-like textured scenes and photographs them as a camera would:
the scene is sampled at 3x the photo's resolution through the pose (shift,
rotation, scale) with cubic interpolation and averaged over each photo
pixel's 3x3 footprint (an area sensor), then exposure and white balance
gains, sensor noise, the sRGB transfer function and JPEG. Both photos of a
pair are taken like this, so neither is ever "the original".

  repeat_photos.py calibrate CLI OUTDIR [CONDITIONS [SCALE [--no-changes]]]
      Repeat photos of unchanged skin under each of CONDITIONS (a comma
      separated list of names from CONDITIONS below, or "all", the
      default): five scenes at 640 x 480, three at 1280 x 960 and two at
      full size (4000 x 3000); each photo of a pair with its own random pose
      (shift up to 1 px, rotation up to 2 degrees, scale up to 2 %: up to 4
      degrees and 4 % between the two), exposure and white balance (5 %
      between the two), sensor noise, JPEG quality 80-95 (4:4:4 or 4:2:0),
      a third of them saved twice. SCALE multiplies the number of pairs.
      At 640 x 480 also true changes (CHANGES): the after photo of the
      scene with its fine texture 10 % or 20 % weaker, or +1.5 or +3 a* in
      the cheek region. Runs `CLI compare BEFORE AFTER --json` on the
      whole frame and on a cheek (a quarter of each side) and writes
      rows-CONDITION.json. Conditions can run in parallel into one OUTDIR.
      --no-changes: only the unchanged pairs.
  repeat_photos.py reencode CLI OUTDIR [SEEDS]
      For each 640 x 480 scene, one photo saved as PNG and at JPEG q85, and
      the q85 file saved again at q70 (issue 11's re-encode); compares the
      PNG and the q85 file with the q70 file, whole frame and cheek;
      rows-reencode-SEED.json. Not part of the thresholds: merge reports
      where these changes fall.
  repeat_photos.py merge OUTDIR
      The thresholds table over OUTDIR's rows: the family-wise rule
      (ALPHA below): each calibrated metric's (1 - ALPHA / 7) quantile of
      |change|, with p99 and max; the sharpness ratio's percentiles; the
      false-change rate (share of region comparisons in which any of the 7
      metrics reads a clear change) over all rows, per condition, and on
      each half of the pairs by the thresholds of the other half; the
      detection rate of each true change; the re-encodes.
  repeat_photos.py render-pairs OUTDIR
      The fixed pairs tests/test-measure.c checks (one scene, nothing
      changed but the named pose or encoding; each photo with its own
      sensor noise): before.png and
      shift05.png, rot1.png, rot2.png, scale09.png, scale11.png,
      jpeg.jpg (the before photo saved as JPEG q85), jpeg70.jpg (that
      file saved again at q70), blur1.png
      (the before photo blurred, Gaussian sigma 1), and two true changes
      photographed at 1 degree: smooth40.png (fine texture 40 % weaker)
      and red3.png (+3 a* in the rectangle W/3, H/3, W/4, H/4).
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


class Scene:
    """A skin-like scene for photos of w x h: CIELAB fields at @ss scene
    pixels per photo pixel, 1.3x the photo's field of view. @fs scales the
    features (in photo pixels): a full-size photo sees the same skin with
    more pixels per pore. kind "skin": pigmentation and redness blotches
    (tens of photo pixels), fine texture (1-3 photo pixels), pores (dark
    dots) and a few wrinkles; kind "speckled": like tests/lib's synthetic
    skin, pixel-scale grain and hard-edged dark and light spots of 2-9 px."""

    def __init__(self, seed, w, h, tone="light", roughness=1.0, kind="skin", fs=1.0, ss=SS):
        from scipy import ndimage
        rng = np.random.default_rng(seed)
        self.ss = ss
        self.w, self.h = w, h
        H, W = int(h * ss * 1.3), int(w * ss * 1.3)
        k = ss * fs   # scene pixels per feature unit
        L0, a0, b0 = {"light": (68, 13, 16), "intermediate": (58, 15, 20), "tan": (48, 16, 22)}[tone]
        self.L = L0 + 3.0 * band_noise(rng, (H, W), 25 * k)
        self.a = a0 + 2.5 * band_noise(rng, (H, W), 30 * k)
        self.b = b0 + 2.0 * band_noise(rng, (H, W), 35 * k)
        if kind == "speckled":
            t = 1.1 * band_noise(rng, (H, W), 0.35 * k)
            n_spots = int(H * W / (k * k) / 900)
            spots = np.zeros((H, W))
            ys, xs = rng.uniform(0, H, n_spots), rng.uniform(0, W, n_spots)
            rs = rng.uniform(2, 9, n_spots) * k
            dl = np.where(rng.uniform(0, 1, n_spots) < 2 / 3, rng.uniform(-30, -10, n_spots), rng.uniform(4, 8, n_spots))
            for y, x, r, d in zip(ys, xs, rs, dl):
                y0, y1, x0, x1 = int(max(0, y - r - 1)), int(min(H, y + r + 2)), int(max(0, x - r - 1)), int(min(W, x + r + 2))
                yy, xx = np.mgrid[y0:y1, x0:x1]
                spots[y0:y1, x0:x1] += d * (((yy - y) ** 2 + (xx - x) ** 2) <= r * r)
            t += ndimage.gaussian_filter(spots, 0.3 * k)
        else:
            t = 1.6 * band_noise(rng, (H, W), 1.0 * k) + 1.2 * band_noise(rng, (H, W), 2.5 * k)
            n_pores = int(H * W / (k * k) / 180)
            ys, xs = rng.integers(0, H, n_pores), rng.integers(0, W, n_pores)
            pores = np.zeros((H, W))
            pores[ys, xs] = rng.uniform(0.5, 1.0, n_pores)
            pores = ndimage.gaussian_filter(pores, 0.9 * k) * (2 * np.pi * (0.9 * k) ** 2)
            t -= 9.0 * pores
            for _ in range(6):
                y0, x0 = rng.uniform(0, H), rng.uniform(0, W)
                ang = rng.uniform(0, np.pi)
                half = rng.uniform(80, 250) * k
                # Only the wrinkle's bounding box: beyond 8 widths it adds < 1e-27
                r = half + 8 * 1.2 * k
                ya, yb, xa, xb = int(max(0, y0 - r)), int(min(H, y0 + r + 1)), int(max(0, x0 - r)), int(min(W, x0 + r + 1))
                yy, xx = np.mgrid[ya:yb, xa:xb]
                d = np.abs((yy - y0) * np.cos(ang) - (xx - x0) * np.sin(ang))
                along = np.abs((yy - y0) * np.sin(ang) + (xx - x0) * np.cos(ang))
                t[ya:yb, xa:xb] -= 5.0 * np.exp(-np.minimum(d / (1.2 * k), 8) ** 2) * (along < half)
        self.texture = roughness * t

    def linear(self, texture=1.0, da=0.0, rect=None):
        """Linear RGB of the scene, its texture scaled by @texture and a*
        raised by @da inside @rect (x, y, w, h in photo pixels of a photo
        taken at the scene's centre without pose change)"""
        from skimage import color
        a = self.a
        if da != 0.0:
            a = a.copy()
            H, W = a.shape
            x, y, w, h = rect
            # photo pixel (u, v) -> scene pixel (u - (w-1)/2) * ss + (W-1)/2
            sx = lambda u: int(round((u - (self.w - 1) / 2) * self.ss + (W - 1) / 2))
            sy = lambda v: int(round((v - (self.h - 1) / 2) * self.ss + (H - 1) / 2))
            a[sy(y):sy(y + h), sx(x):sx(x + w)] += da
        lab = np.stack([self.L + texture * self.texture, a, self.b], axis=-1)
        return srgb_decode(np.clip(color.lab2rgb(lab), 0, 1))


def make_scene(seed, w, h, tone="light", roughness=1.0):
    """Linear RGB scene of (h * SS * 1.3, w * SS * 1.3) for photos of w x h."""
    return Scene(seed, w, h, tone, roughness).linear()


def prefilter(scene):
    """Cubic spline coefficients of a linear RGB scene, per channel, for photograph()"""
    from scipy import ndimage
    return [ndimage.spline_filter(scene[..., c], order=3, mode="mirror") for c in range(3)]


def photograph(scene, w, h, dx=0.0, dy=0.0, rot_deg=0.0, scale=1.0, gains=(1, 1, 1),
               noise=0.0, rng=None, ss=SS):
    """Linear RGB photo (h, w, 3) of @scene (an array, or prefilter()'s
    coefficients): photo pixel (u, v) sees the scene around its centre +
    R(rot) S(1/scale) ((u, v) - photo centre) + (dx, dy), through a cubic
    spline, averaged over the pixel's ss x ss footprint (an area sensor)."""
    from scipy import ndimage
    coeffs = scene if isinstance(scene, list) else prefilter(scene)
    Hs, Ws = coeffs[0].shape
    t = np.deg2rad(rot_deg)
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]) / scale
    # Supersampled photo pixel p -> photo coordinates (p + 0.5) / ss - 0.5,
    # relative to the photo centre, posed, then scene pixels
    u = (np.arange(w * ss) + 0.5) / ss - 0.5 - (w - 1) / 2
    v = (np.arange(h * ss) + 0.5) / ss - 0.5 - (h - 1) / 2
    uu, vv = np.meshgrid(u, v)
    X = (R[0, 0] * uu + R[0, 1] * vv + dx) * ss + (Ws - 1) / 2
    Y = (R[1, 0] * uu + R[1, 1] * vv + dy) * ss + (Hs - 1) / 2
    del uu, vv
    photo = np.empty((h, w, 3))
    for c in range(3):
        sup = ndimage.map_coordinates(coeffs[c], [Y, X], order=3, mode="mirror", prefilter=False)
        photo[..., c] = sup.reshape(h, ss, w, ss).mean(axis=(1, 3))
    photo = photo * np.asarray(gains)[None, None, :]
    if noise > 0:
        # Shot noise (variance proportional to signal) plus read noise
        photo = photo + rng.standard_normal(photo.shape) * np.sqrt(noise ** 2 * np.clip(photo, 0, None) + (0.2 * noise) ** 2)
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


def per_metric(report, field):
    """metric key -> @field ("change", "verdict") of every metric with a threshold"""
    res = {}
    for group in report["metrics"].values():
        for key, v in group.items():
            if isinstance(v, dict) and "clear_change" in v:
                res[key] = v[field]
        for entry in group.get("glcm", []) if isinstance(group, dict) else []:
            for key, v in entry.items():
                if isinstance(v, dict) and "clear_change" in v:
                    res["glcm_" + key] = v[field]
    return res


def changes(report):
    """metric key -> signed change for every metric with a threshold"""
    return per_metric(report, "change")


def verdicts(report):
    """metric key -> verdict for every metric with a threshold"""
    return per_metric(report, "verdict")


# The metrics whose thresholds the calibration sets (a* and L* follow
# IMAGING.md's 2 CIELAB units): 7 per region, the family of the rule below
CALIBRATED = ["erythema_index", "red_area_pct", "ita_mean", "l_unevenness", "roughness",
              "glcm_contrast", "glcm_homogeneity"]
COLOUR_FIXED = ["a_mean", "a_median", "a_p90", "l_mean"]
# Family-wise rule: on unchanged skin, the chance that ANY of the 7
# calibrated metrics of a region reads a clear change is at most ALPHA;
# each metric's threshold is its (1 - ALPHA / 7) quantile of |change|
# (Bonferroni: 0.99857), empirical or normal-tail, whichever is larger
# (thresholds_of). The sharpness gate likewise (gate_of).
ALPHA = 0.01

# The repeat-photo conditions: (name, scene seed, kind, tone, texture
# strength, photo width, height, feature scale, supersampling, pairs).
# 640 x 480 photos of five scenes; 1280 x 960 of the same skin; full-size
# 4000 x 3000 (12 MP) photos, where a pore spans 3x the pixels (features
# x3, rendered without supersampling: the scene is smooth at pixel scale).
CONDITIONS = [
    ("s11-640", 11, "skin", "light", 1.0, 640, 480, 1.0, SS, 30),
    ("s12-640", 12, "skin", "intermediate", 0.7, 640, 480, 1.0, SS, 30),
    ("s13-640", 13, "skin", "tan", 1.3, 640, 480, 1.0, SS, 30),
    ("s14-640", 14, "skin", "light", 0.5, 640, 480, 1.0, SS, 30),
    ("s15-640", 15, "speckled", "light", 1.0, 640, 480, 1.0, SS, 30),
    ("s11-1280", 11, "skin", "light", 1.0, 1280, 960, 1.0, SS, 6),
    ("s15-1280", 15, "speckled", "light", 1.0, 1280, 960, 1.0, SS, 6),
    ("s14-1280", 14, "skin", "light", 0.5, 1280, 960, 2.0, SS, 6),
    ("s11-12mp", 11, "skin", "light", 1.0, 4000, 3000, 3.0, 1, 2),
    ("s15-12mp", 15, "speckled", "light", 1.0, 4000, 3000, 3.0, 1, 2),
]

# True changes photographed like the repeat photos (after photo of the
# changed scene): fine texture 10 % and 20 % weaker, and +1.5 / +3 a* in
# the measured cheek region
CHANGES = [("texture-10", dict(texture=0.9)), ("texture-20", dict(texture=0.8)),
           ("a+1.5", dict(da=1.5)), ("a+3", dict(da=3.0))]


def regions(w, h):
    """The measured regions: the whole frame and a cheek (a quarter of each side)"""
    return [("whole", []), ("cheek", ["--roi", "%d,%d,%d,%d" % (w // 3, h // 3, w // 4, h // 4)])]


def random_pose(rng):
    """A hand-held repeat photo: shift up to 1 px, rotation up to 2 degrees
    and scale up to 2 % each way (so up to 4 degrees and 4 % between two),
    exposure and white balance within 2.5 % each (5 % between two), sensor
    noise (shot and read)"""
    return dict(dx=rng.uniform(-1, 1), dy=rng.uniform(-1, 1), rot_deg=rng.uniform(-2, 2),
                scale=1 + rng.uniform(-0.02, 0.02),
                gains=rng.uniform(0.975, 1.025) * rng.uniform(0.975, 1.025, 3),
                noise=rng.uniform(0.003, 0.01))


def save_camera(path, u8, rng):
    """JPEG quality 80-95, 4:4:4 or 4:2:0 (IMAGING.md's range); a third of the
    photos saved a second time at 80-95 (4:2:0), as an app that re-saves
    does"""
    from PIL import Image
    save_jpeg(path, u8, rng)
    if rng.uniform() < 1 / 3:
        Image.open(path).convert("RGB").save(path, quality=int(rng.integers(80, 96)), subsampling=2)


def calibrate(cli, outdir, names=None, n_scale=1.0, with_changes=True):
    os.makedirs(outdir, exist_ok=True)
    for (name, seed, kind, tone, rough, w, h, fs, ss, n_pairs) in CONDITIONS:
        if names is not None and name not in names:
            continue
        rng = np.random.default_rng(2026 + seed + 1000 * w)
        scene = Scene(seed, w, h, tone, rough, kind, fs, ss)
        coeffs = prefilter(scene.linear())
        rows = []
        n_pairs = max(1, int(round(n_pairs * n_scale)))
        photos = []
        for i in range(n_pairs):
            paths = []
            for k in range(2):
                p = os.path.join(outdir, "%s_%d_%d.jpg" % (name, i, k))
                save_camera(p, to_u8(photograph(coeffs, w, h, rng=rng, ss=ss, **random_pose(rng))), rng)
                paths.append(p)
            photos.append(paths)
            for region, extra in regions(w, h):
                result = compare(cli, paths[0], paths[1], extra)
                if result is None:
                    rows.append({"condition": name, "pair": i, "region": region, "refused": True})
                    continue
                rows.append({"condition": name, "pair": i, "region": region, "changes": changes(result),
                             "verdicts": verdicts(result), "ratio": result["quality"]["sharpness_ratio"]})
        # True changes (640 x 480): the before photos above against an after
        # photo of the changed scene, 8 pairs per change
        cheek = (w // 3, h // 3, w // 4, h // 4)
        for change, kw in (CHANGES if w == 640 and with_changes else []):
            coeffs_changed = prefilter(scene.linear(rect=cheek, **kw))
            for i in range(min(n_pairs, 8)):
                p = os.path.join(outdir, "%s_%d_%s.jpg" % (name, i, change))
                save_camera(p, to_u8(photograph(coeffs_changed, w, h, rng=rng, ss=ss, **random_pose(rng))), rng)
                for region, extra in regions(w, h):
                    result = compare(cli, photos[i][0], p, extra)
                    if result is not None:
                        rows.append({"condition": name, "pair": i, "region": region, "true_change": change,
                                     "changes": changes(result), "verdicts": verdicts(result),
                                     "ratio": result["quality"]["sharpness_ratio"]})
                os.unlink(p)
        for paths in photos:
            for p in paths:
                os.unlink(p)
        with open(os.path.join(outdir, "rows-%s.json" % name), "w") as f:
            json.dump(rows, f)
        print("condition %s done: %d rows" % (name, len(rows)), file=sys.stderr)
        sys.stderr.flush()


def reencode(cli, outdir, only=None):
    """The named unchanged condition IMAGING.md's calibration does not draw at
    random: a photo re-saved at lower JPEG quality (q85 4:2:0, as a camera
    or an app saves it, then that file at q70). For each 640 x 480 scene: the
    photo (PNG) against its q70 second generation, and the q85 file against
    it, whole frame and region; rows-reencode-SEED.json."""
    from PIL import Image
    os.makedirs(outdir, exist_ok=True)
    for (name, seed, kind, tone, rough, w, h, fs, ss, n_pairs) in CONDITIONS:
        if w != 640 or (only is not None and seed not in only):
            continue
        rng = np.random.default_rng(4026 + seed)
        u8 = to_u8(photograph(Scene(seed, w, h, tone, rough, kind, fs, ss).linear(), w, h, noise=0.005, rng=rng))
        png, q85, q70 = (os.path.join(outdir, "r%d.%s" % (seed, e)) for e in ("png", "q85.jpg", "q70.jpg"))
        save(png, u8)
        Image.fromarray(u8).save(q85, quality=85)
        Image.open(q85).convert("RGB").save(q70, quality=70)
        rows = []
        for before in (png, q85):
            for region, extra in regions(w, h):
                result = compare(cli, before, q70, extra)
                if result is not None:
                    rows.append({"condition": "reencode-%d" % seed, "region": region, "changes": changes(result),
                                 "verdicts": verdicts(result), "ratio": result["quality"]["sharpness_ratio"]})
        for p in (png, q85, q70):
            os.unlink(p)
        with open(os.path.join(outdir, "rows-reencode-%d.json" % seed), "w") as f:
            json.dump(rows, f)


def load_rows(outdir):
    rows = []
    for name in sorted(os.listdir(outdir)):
        if name.startswith("rows-") and name.endswith(".json"):
            with open(os.path.join(outdir, name)) as f:
                rows.extend(json.load(f))
    return rows


def z_family():
    """The two-sided normal quantile of ALPHA / 7: 3.19 for ALPHA 0.01"""
    from statistics import NormalDist
    return NormalDist().inv_cdf(1 - ALPHA / len(CALIBRATED) / 2)


def thresholds_of(rows, keys):
    """Each metric's threshold: the larger of its (1 - ALPHA / 7) quantile of
    |change| and the same quantile of a normal distribution with the
    changes' root mean square (a few hundred comparisons put the empirical
    quantile at their maximum; the normal tail keeps one lucky sample from
    setting it)"""
    q = 100 * (1 - ALPHA / len(CALIBRATED))
    res = {}
    for k in keys:
        v = np.asarray([r["changes"][k] for r in rows])
        res[k] = float(max(np.percentile(np.abs(v), q), z_family() * np.sqrt(np.mean(v ** 2))))
    return res


def gate_of(ratios):
    """The sharpness gate by the same rule on log(after / before)"""
    lr = np.log(np.asarray(ratios))
    lo, hi = 100 * ALPHA / len(CALIBRATED) / 2, 100 - 100 * ALPHA / len(CALIBRATED) / 2
    spread = z_family() * np.sqrt(np.mean(lr ** 2))
    return float(np.exp(min(np.percentile(lr, lo), -spread))), float(np.exp(max(np.percentile(lr, hi), spread)))


def false_change_rate(rows, thr, keys):
    """Share of region comparisons in which any metric of @keys reaches its threshold"""
    if not rows:
        return float("nan")
    return sum(any(abs(r["changes"][k]) >= thr[k] for k in keys) for r in rows) / len(rows)


def merge(outdir):
    """The thresholds table over every rows-*.json in @outdir: per metric the
    family-wise quantile, p99 and max of |change| on unchanged skin, the
    sharpness ratio's percentiles, the family-wise false-change rate in the
    calibration and on each half by the other half's thresholds, and the
    detection rate of each true change with these thresholds"""
    rows = load_rows(outdir)
    calib = [r for r in rows if "changes" in r and "true_change" not in r and not r["condition"].startswith("reencode")]
    refused = [r for r in rows if r.get("refused")]
    out = sys.stdout
    print("comparisons of unchanged skin: %d (%d refused alignments)" % (len(calib), len(refused)), file=out)
    keys = CALIBRATED + COLOUR_FIXED
    thr = thresholds_of(calib, keys)
    print("metric threshold p99 max (of |change|)", file=out)
    for k in keys:
        v = np.abs([r["changes"][k] for r in calib])
        print("%s %.4g %.4g %.4g" % (k, thr[k], np.percentile(v, 99), v.max()), file=out)
    ratios = np.asarray([r["ratio"] for r in calib])
    gate = gate_of(ratios)
    print("sharpness gate %.4g to %.4g (ratio min %.4g, max %.4g)" % (gate[0], gate[1], ratios.min(), ratios.max()), file=out)
    fixed = {k: 2.0 for k in COLOUR_FIXED}
    print("false-change rate, calibrated metrics, in the calibration: %.4f" % false_change_rate(calib, thr, CALIBRATED), file=out)
    print("false-change rate, a* and L* at 2 (white balance none, 5 %% lighting change): %.4f" %
          false_change_rate(calib, fixed, COLOUR_FIXED), file=out)
    even = [r for r in calib if r["pair"] % 2 == 0]
    odd = [r for r in calib if r["pair"] % 2 == 1]
    print("held out: thresholds from even pairs, rate on odd %.4f; from odd, on even %.4f" %
          (false_change_rate(odd, thresholds_of(even, CALIBRATED), CALIBRATED),
           false_change_rate(even, thresholds_of(odd, CALIBRATED), CALIBRATED)), file=out)
    for cond in sorted({r["condition"] for r in calib}):
        sub = [r for r in calib if r["condition"] == cond]
        print("  %s: %d comparisons, rate %.4f" % (cond, len(sub), false_change_rate(sub, thr, CALIBRATED)), file=out)
    # As derm-compare-metrics.c has them: 3 significant figures, rounded up
    # (the gate outwards)
    def sig3(v, up):
        e = 10.0 ** (np.floor(np.log10(v)) - 2)
        return float((np.ceil(v / e - 1e-9) if up else np.floor(v / e + 1e-9)) * e)
    print("rounded:", {k: float("%.3g" % sig3(thr[k], True)) for k in CALIBRATED},
          "gate %.3g to %.3g" % (sig3(gate[0], False), sig3(gate[1], True)), file=out)
    # Detection with these thresholds and gate: a texture metric counts when
    # its |change| reaches the threshold and the gate is open; "gated" is the
    # share the gate calls not comparable
    thr_all = dict(thr, **fixed)
    texture = ("roughness", "glcm_contrast", "glcm_homogeneity")
    for change, _ in CHANGES:
        for region in ("cheek", "whole"):
            sub = [r for r in rows if r.get("true_change") == change and r["region"] == region]
            if not sub:
                continue
            open_ = [gate[0] <= r["ratio"] <= gate[1] for r in sub]
            line = []
            for k in keys:
                ch = np.asarray([r["changes"][k] for r in sub])
                det = np.mean([abs(r["changes"][k]) >= thr_all[k] and (o or k not in texture)
                               for r, o in zip(sub, open_)])
                line.append("%s %.3g (%d%%)" % (k, np.median(ch), round(100 * det)))
            print("true change %s, %s, %d pairs, gated %d%%: median change (detected): %s" %
                  (change, region, len(sub), round(100 * (1 - np.mean(open_))), ", ".join(line)), file=out)
    for r in rows:
        if r["condition"].startswith("reencode"):
            print("%s %s: ratio %.3f, %s" % (r["condition"], r["region"], r["ratio"],
                  ", ".join("%s %+.3g" % (k, r["changes"][k]) for k in CALIBRATED)), file=out)


def render_pairs(outdir):
    from scipy import ndimage
    os.makedirs(outdir, exist_ok=True)
    w, h = 640, 480
    # 2x2 samples per photo pixel (the calibration takes 3x3): the same
    # area sensor for a test that must stay quick
    ss = 2
    sc = Scene(7, w, h, "light", 1.0, ss=ss)
    scene = prefilter(sc.linear())
    rng = np.random.default_rng(7)
    # Every photo has its own sensor noise, as two real photos do
    noise = 0.005
    before = to_u8(photograph(scene, w, h, noise=noise, rng=rng, ss=ss))
    save(os.path.join(outdir, "before.png"), before)
    for name, kw in [("shift05", dict(dx=0.5, dy=0.0)), ("rot1", dict(rot_deg=1.0)),
                     ("rot2", dict(rot_deg=2.0)), ("scale09", dict(scale=0.9)),
                     ("scale11", dict(scale=1.1))]:
        save(os.path.join(outdir, name + ".png"), to_u8(photograph(scene, w, h, noise=noise, rng=rng, ss=ss, **kw)))
    # True changes, photographed at 1 degree and 0.3 px: the skin's fine
    # texture 40 % weaker (smooth40.png), and +3 a* in the cheek rectangle
    # (red3.png; W/3, H/3, W/4, H/4)
    for name, kw in [("smooth40", dict(texture=0.6)), ("red3", dict(da=3.0, rect=(w // 3, h // 3, w // 4, h // 4)))]:
        save(os.path.join(outdir, name + ".png"),
             to_u8(photograph(prefilter(sc.linear(**kw)), w, h, dx=0.3, rot_deg=1.0, noise=noise, rng=rng, ss=ss)))
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
        calibrate(argv[2], argv[3], set(argv[4].split(",")) if len(argv) > 4 and argv[4] != "all" else None,
                  float(argv[5]) if len(argv) > 5 else 1.0, not (len(argv) > 6 and argv[6] == "--no-changes"))
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

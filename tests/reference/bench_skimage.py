#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Times the redness, tone and texture metrics of IMAGING.md with
scikit-image and scipy on one image (decode excluded); prints the wall and
CPU seconds (this process, all threads)."""
import sys
import time

import numpy as np
from scipy import ndimage
from skimage import color, feature, io

rgb = io.imread(sys.argv[1])[..., :3]
t0, c0 = time.perf_counter(), time.process_time()
lab = color.rgb2lab(rgb)
L, a = lab[..., 0], lab[..., 1]
a_mean, a_median, a_p90 = a.mean(), np.median(a), np.percentile(a, 90)
srgb = rgb.astype(np.float64) / 255.0
linear = np.where(srgb > 0.04045, ((srgb + 0.055) / 1.055) ** 2.4, srgb / 12.92)
ei = 100.0 * np.log10(np.maximum(linear[..., 0], 1 / 4096) / np.maximum(linear[..., 1], 1 / 4096)).mean()
red_area = 100.0 * np.count_nonzero(a >= 15.0) / a.size
grey = (rgb[..., 2].astype(np.uint32) * 3735 + rgb[..., 1].astype(np.uint32) * 19235
        + rgb[..., 0].astype(np.uint32) * 9798 + 16384) >> 15
q = (grey >> 3).astype(np.uint8)
P = feature.graycomatrix(q, [1, 2, 4], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4],
                         levels=32, symmetric=True, normed=True)
props = {p: feature.graycoprops(P, p).mean(axis=1)
         for p in ("contrast", "dissimilarity", "homogeneity", "ASM", "energy", "correlation")}
entropy = -np.sum(np.where(P > 0, P * np.log2(np.where(P > 0, P, 1)), 0), axis=(0, 1)).mean(axis=1)
rough = np.std(L - ndimage.gaussian_filter(L, 2.0, mode="constant"))
uneven = np.std(ndimage.gaussian_filter(L, 8.0, mode="constant"))
ita = np.degrees(np.arctan2(L - 50, lab[..., 2])).mean()
print(time.perf_counter() - t0, time.process_time() - c0)

/* derm-map.cpp
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Colour maps of a* and of its change between an aligned pair.
 * a* map: sequential, ColorBrewer YlOrRd, a* from -5 (pale) to 35 (deep red).
 * Difference map: diverging, ColorBrewer RdBu reversed, -10 (blue, less red)
 * through 0 (near white) to +10 (red, redder). Values beyond are clamped;
 * pixels outside the region are transparent.
 */
#include "derm-imaging-private.hpp"

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

struct _DermMap
{
  cv::Mat       rgba;   /* CV_8UC4, R G B A */
  DermMapLegend legend;
};

namespace {

struct Scale
{
  double  lo, hi;
  uint8_t stops[5][3];
};

const Scale A_STAR_SCALE = { -5.0, 35.0,
  { { 0xff, 0xff, 0xb2 }, { 0xfe, 0xcc, 0x5c }, { 0xfd, 0x8d, 0x3c }, { 0xf0, 0x3b, 0x20 }, { 0xbd, 0x00, 0x26 } } };
const Scale DIFF_SCALE = { -10.0, 10.0,
  { { 0x21, 0x66, 0xac }, { 0x67, 0xa9, 0xcf }, { 0xf7, 0xf7, 0xf7 }, { 0xef, 0x8a, 0x62 }, { 0xb2, 0x18, 0x2b } } };

inline void
colour (const Scale &sc, float v, uint8_t *rgba)
{
  float t = (v - (float) sc.lo) / (float) (sc.hi - sc.lo);
  t = std::min (1.0f, std::max (0.0f, t)) * 4.0f;
  int i = std::min (3, (int) t);
  float f = t - (float) i;
  for (int c = 0; c < 3; c++)
    rgba[c] = (uint8_t) std::lround (sc.stops[i][c] + f * (sc.stops[i + 1][c] - sc.stops[i][c]));
  rgba[3] = 255;
}

DermMapLegend
legend (const Scale &sc, const char *label)
{
  DermMapLegend l;
  std::memset (&l, 0, sizeof l);
  l.value_min = sc.lo;
  l.value_max = sc.hi;
  for (int i = 0; i < DERM_MAP_N_TICKS; i++)
    {
      l.ticks[i] = sc.lo + (sc.hi - sc.lo) * i / (DERM_MAP_N_TICKS - 1);
      colour (sc, (float) l.ticks[i], l.tick_rgba[i]);
    }
  std::snprintf (l.label, sizeof l.label, "%s", label);
  return l;
}

DermAnalysisSettings
checked_settings (const DermAnalysisSettings *settings)
{
  DermAnalysisSettings s;
  if (settings != nullptr)
    s = *settings;
  else
    derm_analysis_settings_init (&s);
  derm::validate_settings (&s);
  return s;
}

/* Fills @map over the whole frame of @first; @second (nullable) makes it a
 * difference map. */
std::unique_ptr<DermMap>
make_map (const DermImage *first, const DermImage *second, const DermRoi *roi,
          const DermAnalysisSettings &s)
{
  derm::Region region = derm::resolve_region (first, roi, second != nullptr ? &second->valid : nullptr);
  const derm::LinearLuts l1 = derm::make_luts (first, s, nullptr);
  derm::LinearLuts l2;
  if (second != nullptr)
    l2 = derm::make_luts (second, s, nullptr);
  const Scale &sc = second != nullptr ? DIFF_SCALE : A_STAR_SCALE;

  auto map = std::make_unique<DermMap> ();
  map->rgba = cv::Mat::zeros (first->bgr.size (), CV_8UC4);
  const cv::Rect box = region.box;
  cv::parallel_for_ (cv::Range (0, box.height), [&] (const cv::Range &range) {
    std::vector<float> a1 ((size_t) box.width), a2 ((size_t) box.width), L ((size_t) box.width), b ((size_t) box.width);
    for (int y = range.start; y < range.end; y++)
      {
        derm::lab_row (first->bgr.ptr<uint8_t> (box.y + y) + 3 * box.x, box.width, l1, L.data (), a1.data (), b.data ());
        if (second != nullptr)
          derm::lab_row (second->bgr.ptr<uint8_t> (box.y + y) + 3 * box.x, box.width, l2, L.data (), a2.data (), b.data ());
        const uint8_t *m = region.mask.empty () ? nullptr : region.mask.ptr<uint8_t> (y);
        uint8_t *o = map->rgba.ptr<uint8_t> (box.y + y) + 4 * box.x;
        for (int x = 0; x < box.width; x++)
          {
            if (m != nullptr && m[x] == 0)
              continue;
            float v = second != nullptr ? a2[(size_t) x] - a1[(size_t) x] : a1[(size_t) x];
            colour (sc, v, o + 4 * x);
          }
      }
  });
  map->legend = legend (sc, second != nullptr ? "Change in a* (after - before)" : "a* (redness)");
  return map;
}

} /* namespace */

extern "C" int
derm_map_new_a_star (const DermImage            *image,
                     const DermRoi              *roi,
                     const DermAnalysisSettings *settings,
                     DermMap                   **out,
                     DermError                  *err)
{
  return derm::guard (err, [&] () {
    if (image == nullptr || out == nullptr)
      derm::bug ("derm_map_new_a_star: NULL argument.");
    *out = nullptr;
    *out = make_map (image, nullptr, roi, checked_settings (settings)).release ();
    return (int) DERM_STATUS_OK;
  });
}

extern "C" int
derm_map_new_difference (const DermImage            *before,
                         const DermImage            *after_aligned,
                         const DermRoi              *roi,
                         const DermAnalysisSettings *settings,
                         DermMap                   **out,
                         DermError                  *err)
{
  return derm::guard (err, [&] () {
    if (before == nullptr || after_aligned == nullptr || out == nullptr)
      derm::bug ("derm_map_new_difference: NULL argument.");
    *out = nullptr;
    if (before->bgr.size () != after_aligned->bgr.size ())
      derm::fail (DERM_STATUS_INVALID_ARGUMENT, "The after photo must be aligned into the before photo's frame first.");
    *out = make_map (before, after_aligned, roi, checked_settings (settings)).release ();
    return (int) DERM_STATUS_OK;
  });
}

extern "C" void
derm_map_free (DermMap *map)
{
  delete map;
}

extern "C" const uint8_t *
derm_map_get_rgba (const DermMap *map, int *width, int *height, size_t *stride)
{
  if (map == nullptr)
    return nullptr;
  if (width != nullptr)
    *width = map->rgba.cols;
  if (height != nullptr)
    *height = map->rgba.rows;
  if (stride != nullptr)
    *stride = map->rgba.step[0];
  return map->rgba.ptr<uint8_t> ();
}

extern "C" void
derm_map_get_legend (const DermMap *map, DermMapLegend *out)
{
  if (map != nullptr && out != nullptr)
    *out = map->legend;
}

extern "C" int
derm_map_save_png (const DermMap *map, const char *path, DermError *err)
{
  return derm::guard (err, [&] () {
    if (map == nullptr || path == nullptr)
      derm::bug ("derm_map_save_png: NULL argument.");
    cv::Mat bgra;
    cv::cvtColor (map->rgba, bgra, cv::COLOR_RGBA2BGRA);
    derm::save_png (bgra, path);
    return (int) DERM_STATUS_OK;
  });
}

/* derm-imaging.cpp
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared plumbing: errors, regions of interest, white balance and the
 * sRGB -> CIE L*a*b* kernel every colour metric goes through.
 */
#include "derm-imaging-private.hpp"

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>

namespace derm {

/* Formats each conversion of @format on its own, so that a translated
 * format can take them in its own order. Returns false on a conversion this
 * does not know (then the message is shown untranslated). */
static bool
split_args (const char *format, va_list args, std::vector<std::string> &out)
{
  for (const char *p = format; *p != '\0'; p++)
    {
      if (*p != '%')
        continue;
      const char *start = p++;
      if (*p == '%')
        continue;
      while (*p != '\0' && std::strchr ("-+ #0", *p) != nullptr)
        p++;
      while (*p >= '0' && *p <= '9')
        p++;
      if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
          ;
      int longs = 0;
      bool size = false;
      if (*p == 'z')
        size = true, p++;
      while (*p == 'l')
        longs++, p++;
      if (*p == '\0' || out.size () >= DERM_ERROR_MAX_ARGS)
        return false;
      std::string spec (start, (size_t) (p - start + 1));
      char buf[128];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      switch (*p)
        {
        case 'd':
        case 'i':
          if (size)
            std::snprintf (buf, sizeof buf, spec.c_str (), va_arg (args, ssize_t));
          else if (longs == 2)
            std::snprintf (buf, sizeof buf, spec.c_str (), va_arg (args, long long));
          else if (longs == 1)
            std::snprintf (buf, sizeof buf, spec.c_str (), va_arg (args, long));
          else
            std::snprintf (buf, sizeof buf, spec.c_str (), va_arg (args, int));
          break;
        case 'u':
        case 'x':
        case 'X':
          if (size)
            std::snprintf (buf, sizeof buf, spec.c_str (), va_arg (args, size_t));
          else if (longs == 2)
            std::snprintf (buf, sizeof buf, spec.c_str (), va_arg (args, unsigned long long));
          else if (longs == 1)
            std::snprintf (buf, sizeof buf, spec.c_str (), va_arg (args, unsigned long));
          else
            std::snprintf (buf, sizeof buf, spec.c_str (), va_arg (args, unsigned));
          break;
        case 'f':
        case 'g':
        case 'e':
          std::snprintf (buf, sizeof buf, spec.c_str (), va_arg (args, double));
          break;
        case 's':
          std::snprintf (buf, sizeof buf, spec.c_str (), va_arg (args, const char *));
          break;
        default:
          return false;
        }
#pragma GCC diagnostic pop
      out.emplace_back (buf);
    }
  return true;
}

void
fail (int code, const char *format, ...)
{
  char buf[256];
  va_list args, copy;
  va_start (args, format);
  va_copy (copy, args);
  vsnprintf (buf, sizeof buf, format, args);
  va_end (args);
  std::vector<std::string> parts;
  bool split = split_args (format, copy, parts);
  va_end (copy);
  throw Failure (code, buf, split ? format : nullptr, std::move (parts));
}

void
bug (const char *what)
{
  throw Failure (DERM_STATUS_INVALID_ARGUMENT, what);
}

void
set_error (DermError *err, int code, const char *message, const char *format,
           const std::vector<std::string> *args)
{
  if (err == nullptr)
    return;
  err->code = code;
  snprintf (err->message, sizeof err->message, "%s", message);
  err->format = format;
  err->n_args = 0;
  if (args != nullptr)
    for (const std::string &arg : *args)
      if (err->n_args < DERM_ERROR_MAX_ARGS)
        snprintf (err->args[err->n_args++], sizeof err->args[0], "%s", arg.c_str ());
}

void
validate_settings (const DermAnalysisSettings *s)
{
  if (s->wb_mode != DERM_WB_NONE && s->wb_mode != DERM_WB_GREY_WORLD && s->wb_mode != DERM_WB_PATCH
      && s->wb_mode != DERM_WB_CHART)
    fail (DERM_STATUS_INVALID_ARGUMENT, "Unknown white balance mode %d.", (int) s->wb_mode);
  if (s->wb_mode == DERM_WB_CHART && s->chart_manual)
    for (int i = 0; i < 8; i++)
      if (!std::isfinite (s->chart_corners[i]) || std::fabs (s->chart_corners[i]) > 1e7)
        fail (DERM_STATUS_BAD_ROI, "Chart corner %d is not a valid coordinate.", i / 2 + 1);
  if (!std::isfinite (s->red_threshold))
    fail (DERM_STATUS_INVALID_ARGUMENT, "The red threshold must be a number.");
  if (!(s->roughness_sigma >= 0.5 && s->roughness_sigma <= 64.0))
    fail (DERM_STATUS_INVALID_ARGUMENT, "The roughness sigma must be between 0.5 and 64 pixels.");
  if (!(s->unevenness_sigma >= 0.5 && s->unevenness_sigma <= 64.0))
    fail (DERM_STATUS_INVALID_ARGUMENT, "The unevenness sigma must be between 0.5 and 64 pixels.");
  if ((s->metrics & DERM_METRICS_ALL) == 0 || (s->metrics & ~(unsigned) DERM_METRICS_ALL) != 0)
    fail (DERM_STATUS_INVALID_ARGUMENT, "No valid metric set requested.");
}

Region
resolve_region (const DermImage *image, const DermRoi *roi, const cv::Mat *extra_valid)
{
  const cv::Rect full (0, 0, image->bgr.cols, image->bgr.rows);
  Region r;

  if (roi == nullptr || roi->kind == DERM_ROI_WHOLE)
    {
      r.box = full;
    }
  else if (roi->kind == DERM_ROI_RECT)
    {
      if (roi->width <= 0 || roi->height <= 0)
        fail (DERM_STATUS_BAD_ROI, "The region is empty (%dx%d); draw a region of at least one pixel.",
              roi->width, roi->height);
      /* 64-bit so that a huge ROI cannot overflow. */
      int64_t x0 = roi->x, y0 = roi->y;
      int64_t x1 = x0 + roi->width, y1 = y0 + roi->height;
      int64_t cx0 = std::max<int64_t> (x0, 0), cy0 = std::max<int64_t> (y0, 0);
      int64_t cx1 = std::min<int64_t> (x1, full.width), cy1 = std::min<int64_t> (y1, full.height);
      if (cx0 >= cx1 || cy0 >= cy1)
        fail (DERM_STATUS_BAD_ROI, "The region %d,%d,%d,%d lies outside the %dx%d image.",
              roi->x, roi->y, roi->width, roi->height, full.width, full.height);
      if (x0 < 0 || y0 < 0 || x1 > full.width || y1 > full.height)
        fail (DERM_STATUS_BAD_ROI, "The region %d,%d,%d,%d extends past the %dx%d image; keep it inside the photo.",
              roi->x, roi->y, roi->width, roi->height, full.width, full.height);
      r.box = cv::Rect ((int) x0, (int) y0, roi->width, roi->height);
    }
  else if (roi->kind == DERM_ROI_POLYGON)
    {
      if (roi->points == nullptr || roi->n_points < 3)
        fail (DERM_STATUS_BAD_ROI, "A polygon region needs at least 3 points, got %zu.",
              roi->points == nullptr ? (size_t) 0 : roi->n_points);
      if (roi->n_points > 100000)
        fail (DERM_STATUS_BAD_ROI, "A polygon region may have at most 100000 points.");
      std::vector<cv::Point> pts;
      pts.reserve (roi->n_points);
      double minx = HUGE_VAL, miny = HUGE_VAL, maxx = -HUGE_VAL, maxy = -HUGE_VAL;
      for (size_t i = 0; i < roi->n_points; i++)
        {
          double x = roi->points[2 * i], y = roi->points[2 * i + 1];
          if (!std::isfinite (x) || !std::isfinite (y) || std::fabs (x) > 1e7 || std::fabs (y) > 1e7)
            fail (DERM_STATUS_BAD_ROI, "Polygon point %zu is not a valid coordinate.", i + 1);
          minx = std::min (minx, x); maxx = std::max (maxx, x);
          miny = std::min (miny, y); maxy = std::max (maxy, y);
          pts.emplace_back ((int) std::lround (x), (int) std::lround (y));
        }
      /* Shoelace area: repeated or collinear points enclose nothing, and
       * a "region" of one pixel row is not a region. */
      double area2 = 0;
      for (size_t i = 0; i < roi->n_points; i++)
        {
          size_t j = (i + 1) % roi->n_points;
          area2 += roi->points[2 * i] * roi->points[2 * j + 1] - roi->points[2 * j] * roi->points[2 * i + 1];
        }
      if (std::fabs (area2) < 2.0)
        fail (DERM_STATUS_BAD_ROI, "The polygon encloses no area (its points repeat or lie on one line); mark at least three points around the skin to measure.");
      if (maxx < 0 || maxy < 0 || minx > full.width - 1 || miny > full.height - 1)
        fail (DERM_STATUS_BAD_ROI, "The polygon lies outside the %dx%d image.", full.width, full.height);
      cv::Rect bb = cv::boundingRect (pts) & full;
      if (bb.empty ())
        fail (DERM_STATUS_BAD_ROI, "The polygon lies outside the %dx%d image.", full.width, full.height);
      cv::Mat mask = cv::Mat::zeros (bb.size (), CV_8UC1);
      std::vector<std::vector<cv::Point>> polys (1, pts);
      cv::fillPoly (mask, polys, cv::Scalar (255), cv::LINE_8, 0, -bb.tl ());
      r.box = bb;
      r.mask = mask;
    }
  else
    {
      fail (DERM_STATUS_INVALID_ARGUMENT, "Unknown region kind %d.", (int) roi->kind);
    }

  const cv::Mat *valids[2] = { image->valid.empty () ? nullptr : &image->valid, extra_valid };
  for (const cv::Mat *v : valids)
    {
      if (v == nullptr || v->empty ())
        continue;
      cv::Mat sub = (*v) (r.box);
      if (r.mask.empty ())
        r.mask = sub.clone ();
      else
        cv::bitwise_and (r.mask, sub, r.mask);
    }

  if (!r.mask.empty ())
    {
      /* Shrink the box to the mask so that work scales with the region. */
      cv::Rect inner = cv::boundingRect (r.mask);
      if (inner.empty ())
        fail (DERM_STATUS_BAD_ROI, "The region contains no usable pixels (empty polygon, or outside the area both photos cover).");
      r.mask = r.mask (inner).clone ();
      r.box = cv::Rect (r.box.x + inner.x, r.box.y + inner.y, inner.width, inner.height);
      if (cv::countNonZero (r.mask) == r.box.area ())
        r.mask.release ();
    }
  return r;
}

std::vector<cv::Point2d>
roi_outline (const DermImage *image, const DermRoi *roi)
{
  const double w = image->bgr.cols, h = image->bgr.rows;
  std::vector<cv::Point2d> p;
  if (roi == nullptr || roi->kind == DERM_ROI_WHOLE)
    p = { { -0.5, -0.5 }, { w - 0.5, -0.5 }, { w - 0.5, h - 0.5 }, { -0.5, h - 0.5 } };
  else if (roi->kind == DERM_ROI_RECT)
    {
      const double x0 = roi->x - 0.5, y0 = roi->y - 0.5;
      const double x1 = x0 + roi->width, y1 = y0 + roi->height;
      p = { { x0, y0 }, { x1, y0 }, { x1, y1 }, { x0, y1 } };
    }
  else
    for (size_t i = 0; i < roi->n_points; i++)
      p.emplace_back (roi->points[2 * i], roi->points[2 * i + 1]);
  return p;
}

Region
region_from_polygons (cv::Size size, const std::vector<std::vector<cv::Point2d>> &polys)
{
  constexpr int SHIFT = 8;
  const cv::Rect full (0, 0, size.width, size.height);
  cv::Rect box = full;
  for (const auto &poly : polys)
    {
      std::vector<cv::Point2f> f;
      for (const cv::Point2d &p : poly)
        f.emplace_back ((float) std::max (-1e6, std::min (1e6, p.x)), (float) std::max (-1e6, std::min (1e6, p.y)));
      cv::Rect bb = cv::boundingRect (f);
      bb.x -= 1, bb.y -= 1, bb.width += 2, bb.height += 2;
      box &= bb;
    }
  Region r;
  if (box.empty ())
    fail (DERM_STATUS_BAD_ROI, "The region lies outside the area both photos cover.");
  cv::Mat mask (box.size (), CV_8UC1, cv::Scalar (255));
  cv::Mat one (box.size (), CV_8UC1);
  for (const auto &poly : polys)
    {
      std::vector<cv::Point> pts;
      /* fillPoly fills pixel centres inside the outline, with the outline
       * in fixed point; pixel centres sit at integer coordinates. */
      for (const cv::Point2d &p : poly)
        pts.emplace_back ((int) std::lround ((p.x - box.x) * (1 << SHIFT)), (int) std::lround ((p.y - box.y) * (1 << SHIFT)));
      one.setTo (0);
      std::vector<std::vector<cv::Point>> pp (1, pts);
      cv::fillPoly (one, pp, cv::Scalar (255), cv::LINE_8, SHIFT);
      cv::bitwise_and (mask, one, mask);
    }
  r.box = box;
  r.mask = mask;
  return r;
}

cv::Point2d
apply_h (const cv::Matx33d &H, cv::Point2d p)
{
  cv::Vec3d v = H * cv::Vec3d (p.x, p.y, 1.0);
  return cv::Point2d (v[0] / v[2], v[1] / v[2]);
}

double
srgb_to_linear (double v)
{
  /* IEC 61966-2-1, with scikit-image's breakpoint. */
  return v > 0.04045 ? std::pow ((v + 0.055) / 1.055, 2.4) : v / 12.92;
}

namespace {

/* Linear means of the pixels of @image under @mask (the size of @box; empty:
 * all) and its valid area, through channel histograms, R, G, B. */
uint64_t
linear_means (const DermImage *image, cv::Rect box, const cv::Mat &mask, const double base[256], double out_rgb[3])
{
  const int n_bands = std::max (1, std::min (box.height, 4 * cv::getNumThreads ()));
  std::vector<std::vector<uint64_t>> hists ((size_t) n_bands, std::vector<uint64_t> (3 * 256 + 1, 0));
  cv::parallel_for_ (cv::Range (0, n_bands), [&] (const cv::Range &range) {
    for (int b = range.start; b < range.end; b++)
      {
        std::vector<uint64_t> &hist = hists[(size_t) b];
        const int y0 = (int) ((int64_t) box.height * b / n_bands), y1 = (int) ((int64_t) box.height * (b + 1) / n_bands);
        for (int y = y0; y < y1; y++)
          {
            const uint8_t *p = image->bgr.ptr<uint8_t> (box.y + y) + 3 * box.x;
            const uint8_t *m = mask.empty () ? nullptr : mask.ptr<uint8_t> (y);
            const uint8_t *v = image->valid.empty () ? nullptr : image->valid.ptr<uint8_t> (box.y + y) + box.x;
            uint64_t n = 0;
            for (int x = 0; x < box.width; x++)
              {
                if ((m != nullptr && m[x] == 0) || (v != nullptr && v[x] == 0))
                  continue;
                hist[p[3 * x]]++;
                hist[256 + p[3 * x + 1]]++;
                hist[512 + p[3 * x + 2]]++;
                n++;
              }
            hist[768] += n;
          }
      }
  });
  uint64_t n = 0;
  double mean_bgr[3] = { 0, 0, 0 };
  for (const auto &hist : hists)
    {
      n += hist[768];
      for (int c = 0; c < 3; c++)
        for (int v = 0; v < 256; v++)
          mean_bgr[c] += (double) hist[(size_t) (c * 256 + v)] * base[v];
    }
  for (int c = 0; c < 3; c++)
    out_rgb[2 - c] = n > 0 ? mean_bgr[c] / (double) n : 0.0;
  return n;
}

} /* namespace */

LinearLuts
make_luts (const DermImage *image, const DermAnalysisSettings &s, const cv::Matx33d *from_before)
{
  LinearLuts luts;
  double base[256];
  for (int v = 0; v < 256; v++)
    base[v] = srgb_to_linear (v / 255.0);

  double gains[3] = { 1.0, 1.0, 1.0 };  /* R, G, B */
  const cv::Rect full (0, 0, image->bgr.cols, image->bgr.rows);
  if (s.wb_mode == DERM_WB_GREY_WORLD || s.wb_mode == DERM_WB_PATCH)
    {
      double mean[3];
      uint64_t n;
      if (s.wb_mode == DERM_WB_GREY_WORLD)
        {
          /* The whole frame, never the measured region (IMAGING.md): skin
           * is not grey, and balancing it to grey erases its redness. */
          n = linear_means (image, full, cv::Mat (), base, mean);
        }
      else
        {
          cv::Rect patch (s.patch_x, s.patch_y, s.patch_width, s.patch_height);
          if (s.patch_width <= 0 || s.patch_height <= 0)
            fail (DERM_STATUS_BAD_ROI, "The white-balance patch %d,%d,%d,%d must be a non-empty rectangle.",
                  s.patch_x, s.patch_y, s.patch_width, s.patch_height);
          if (from_before == nullptr)
            {
              if ((patch & full) != patch)
                fail (DERM_STATUS_BAD_ROI, "The white-balance patch %d,%d,%d,%d must be a non-empty rectangle inside the %dx%d image.",
                      s.patch_x, s.patch_y, s.patch_width, s.patch_height, full.width, full.height);
              n = linear_means (image, patch, cv::Mat (), base, mean);
            }
          else
            {
              /* The card moved with the photo: its outline through the alignment. */
              DermRoi r {};
              r.kind = DERM_ROI_RECT;
              r.x = s.patch_x, r.y = s.patch_y, r.width = s.patch_width, r.height = s.patch_height;
              std::vector<cv::Point2d> q;
              for (const cv::Point2d &p : roi_outline (image, &r))
                q.push_back (apply_h (*from_before, p));
              Region reg = region_from_polygons (image->bgr.size (), { q });
              n = linear_means (image, reg.box, reg.mask, base, mean);
            }
        }
      if (n == 0)
        fail (DERM_STATUS_BAD_ROI, "The white-balance area contains no usable pixels.");
      const double mr = mean[0], mg = mean[1], mb = mean[2];
      if (mr <= 1e-6 || mg <= 1e-6 || mb <= 1e-6)
        fail (DERM_STATUS_BAD_ROI, "The white-balance area is black in one colour channel; pick a lit, neutral area.");
      double target;
      if (s.wb_mode == DERM_WB_GREY_WORLD)
        target = (mr + mg + mb) / 3.0;
      else
        target = 0.212671 * mr + 0.715160 * mg + 0.072169 * mb;  /* luminance Y */
      gains[0] = target / mr;
      gains[1] = target / mg;
      gains[2] = target / mb;
    }

  for (int c = 0; c < 3; c++)
    luts.gains[c] = gains[c];
  for (int i = 0; i < 9; i++)
    luts.matrix[i] = i % 4 == 0 ? gains[i / 4] : 0.0;
  if (s.wb_mode == DERM_WB_CHART)
    {
      chart_fit (image, s, from_before, &luts.chart, luts.matrix);
      luts.has_chart = true;
      luts.has_matrix = true;
      for (int i = 0; i < 9; i++)
        luts.m[i] = (float) luts.matrix[i];
      for (int c = 0; c < 3; c++)
        luts.gains[c] = 1.0;
    }
  for (int v = 0; v < 256; v++)
    {
      /* Table index 0 is B, as OpenCV stores pixels. */
      double lb = std::min (1.0, base[v] * gains[2]);
      double lg = std::min (1.0, base[v] * gains[1]);
      double lr = std::min (1.0, base[v] * gains[0]);
      luts.lin[0][v] = (float) lb;
      luts.lin[1][v] = (float) lg;
      luts.lin[2][v] = (float) lr;
      luts.log10_rg[0][v] = (float) std::log10 (std::max (lr, 1.0 / 4096.0));
      luts.log10_rg[1][v] = (float) std::log10 (std::max (lg, 1.0 / 4096.0));
    }
  return luts;
}

/* Cube root of t > 0.008856 to float precision: a bit-level first guess
 * refined by two Halley steps (cubic convergence), branch-free so that the
 * row loop vectorises. */
static inline float
lab_f (float t)
{
  uint32_t i;
  std::memcpy (&i, &t, sizeof i);
  i = i / 3u + 709921077u;
  float y;
  std::memcpy (&y, &i, sizeof y);
  float y3 = y * y * y;
  y = y * (y3 + 2.0f * t) / (2.0f * y3 + t);
  y3 = y * y * y;
  y = y * (y3 + 2.0f * t) / (2.0f * y3 + t);
  float lin = 7.787f * t + (16.0f / 116.0f);
  return t > 0.008856f ? y : lin;
}

void
lab_row (const uint8_t *bgr, int n, const LinearLuts &luts, float *__restrict L, float *__restrict a, float *__restrict b,
         float *__restrict r, float *__restrict g)
{
  /* skimage.color's xyz_from_rgb, with the D65 2-degree white folded in. */
  constexpr float xr = 0.412453f / 0.95047f, xg = 0.357580f / 0.95047f, xb = 0.180423f / 0.95047f;
  constexpr float yr = 0.212671f, yg = 0.715160f, yb = 0.072169f;
  constexpr float zr = 0.019334f / 1.08883f, zg = 0.119193f / 1.08883f, zb = 0.950227f / 1.08883f;
  constexpr int CHUNK = 256;
  float lr[CHUNK], lg[CHUNK], lb[CHUNK];

  for (int start = 0; start < n; start += CHUNK)
    {
      const int m = std::min (CHUNK, n - start);
      const uint8_t *p = bgr + 3 * start;
      for (int i = 0; i < m; i++)
        {
          lb[i] = luts.lin[0][p[3 * i]];
          lg[i] = luts.lin[1][p[3 * i + 1]];
          lr[i] = luts.lin[2][p[3 * i + 2]];
        }
      if (luts.has_matrix)
        {
          const float *M = luts.m;
          for (int i = 0; i < m; i++)
            {
              float cr = M[0] * lr[i] + M[1] * lg[i] + M[2] * lb[i];
              float cg = M[3] * lr[i] + M[4] * lg[i] + M[5] * lb[i];
              float cb = M[6] * lr[i] + M[7] * lg[i] + M[8] * lb[i];
              lr[i] = std::min (1.0f, std::max (0.0f, cr));
              lg[i] = std::min (1.0f, std::max (0.0f, cg));
              lb[i] = std::min (1.0f, std::max (0.0f, cb));
            }
          if (r != nullptr && g != nullptr)
            for (int i = 0; i < m; i++)
              {
                r[start + i] = lr[i];
                g[start + i] = lg[i];
              }
        }
      for (int i = 0; i < m; i++)
        {
          float fx = lab_f (xr * lr[i] + xg * lg[i] + xb * lb[i]);
          float fy = lab_f (yr * lr[i] + yg * lg[i] + yb * lb[i]);
          float fz = lab_f (zr * lr[i] + zg * lg[i] + zb * lb[i]);
          L[start + i] = 116.0f * fy - 16.0f;
          a[start + i] = 500.0f * (fx - fy);
          b[start + i] = 200.0f * (fy - fz);
        }
    }
}

} /* namespace derm */

extern "C" const char *
derm_status_to_string (int status)
{
  switch (status)
    {
    case DERM_STATUS_OK: return "ok";
    case DERM_STATUS_INVALID_ARGUMENT: return "invalid-argument";
    case DERM_STATUS_NOT_FOUND: return "not-found";
    case DERM_STATUS_IO: return "io";
    case DERM_STATUS_UNSUPPORTED: return "unsupported";
    case DERM_STATUS_CORRUPT: return "corrupt";
    case DERM_STATUS_TOO_LARGE: return "too-large";
    case DERM_STATUS_TOO_SMALL: return "too-small";
    case DERM_STATUS_BAD_ROI: return "bad-roi";
    case DERM_STATUS_ALIGNMENT_REFUSED: return "alignment-refused";
    case DERM_STATUS_NO_MEMORY: return "no-memory";
    case DERM_STATUS_INTERNAL: return "internal";
    default: return "unknown";
    }
}

extern "C" const char *
derm_ita_class_to_string (DermItaClass c)
{
  switch (c)
    {
    case DERM_ITA_VERY_LIGHT: return "very-light";
    case DERM_ITA_LIGHT: return "light";
    case DERM_ITA_INTERMEDIATE: return "intermediate";
    case DERM_ITA_TAN: return "tan";
    case DERM_ITA_BROWN: return "brown";
    case DERM_ITA_DARK: return "dark";
    default: return "unknown";
    }
}

extern "C" void
derm_analysis_settings_init (DermAnalysisSettings *s)
{
  if (s == nullptr)
    return;
  std::memset (s, 0, sizeof *s);
  s->wb_mode = DERM_WB_NONE;
  s->red_threshold = DERM_DEFAULT_RED_THRESHOLD;
  s->roughness_sigma = DERM_DEFAULT_ROUGHNESS_SIGMA;
  s->unevenness_sigma = DERM_DEFAULT_UNEVENNESS_SIGMA;
  s->metrics = DERM_METRICS_ALL;
}

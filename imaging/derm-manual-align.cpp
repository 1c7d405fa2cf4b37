/* derm-manual-align.cpp
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Alignment by hand, for pairs the automatic alignment refuses: the
 * transform through 3-4 points the user marked on each photo, refused
 * when the points cannot define a plausible photo-to-photo mapping. Also
 * the small image helpers the app needs to show pixels: an area resize
 * that keeps the valid mask, and RGBA with the mask as alpha.
 */
#include "derm-imaging-private.hpp"

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <memory>

namespace {

cv::Point2d
apply (const cv::Matx33d &H, cv::Point2d p)
{
  cv::Vec3d v = H * cv::Vec3d (p.x, p.y, 1.0);
  return cv::Point2d (v[0] / v[2], v[1] / v[2]);
}

/* Twice the area of the triangle (a, b, c), signed */
double
cross3 (cv::Point2d a, cv::Point2d b, cv::Point2d c)
{
  return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

/* Why the marked points cannot define a transform, or nullptr: every
 * triple must span a triangle that is not a sliver, else small clicking
 * errors swing the transform wildly. */
const char *
points_problem (const std::vector<cv::Point2d> &p)
{
  double extent = 0;
  for (size_t i = 0; i < p.size (); i++)
    for (size_t j = i + 1; j < p.size (); j++)
      extent = std::max (extent, cv::norm (p[i] - p[j]));
  if (extent < 8.0)
    return DERM_N_ ("the points are too close together; mark points spread over the face");
  for (size_t i = 0; i < p.size (); i++)
    for (size_t j = i + 1; j < p.size (); j++)
      if (cv::norm (p[i] - p[j]) < 0.02 * extent)
        return DERM_N_ ("two points are on the same spot; mark distinct features");
  /* For 3 points the triangle itself; for more, the best triangle. */
  double best = 0;
  for (size_t i = 0; i < p.size (); i++)
    for (size_t j = i + 1; j < p.size (); j++)
      for (size_t k = j + 1; k < p.size (); k++)
        best = std::max (best, std::fabs (cross3 (p[i], p[j], p[k])));
  if (best < 0.02 * extent * extent)
    return DERM_N_ ("the points lie on one line; mark points that surround the area");
  return nullptr;
}

/* As derm-align.cpp judges an automatic result: the after photo's frame
 * must map to a convex, unflipped quad no more than 4x larger or smaller. */
const char *
transform_problem (const cv::Matx33d &H, int width, int height)
{
  const double w = width - 1, h = height - 1;
  const cv::Point2d corners[4] = { { 0, 0 }, { w, 0 }, { w, h }, { 0, h } };
  cv::Point2d q[4];
  for (int i = 0; i < 4; i++)
    {
      cv::Vec3d v = H * cv::Vec3d (corners[i].x, corners[i].y, 1.0);
      if (!(v[2] > 1e-6))
        return DERM_N_ ("the points send part of the photo to infinity; check that they match");
      q[i] = cv::Point2d (v[0] / v[2], v[1] / v[2]);
    }
  for (int i = 0; i < 4; i++)
    if (cross3 (q[i], q[(i + 1) % 4], q[(i + 2) % 4]) <= 0)
      return DERM_N_ ("the points fold or mirror the photo; mark them in the same order on both photos");
  double area = 0;
  for (int i = 0; i < 4; i++)
    area += q[i].x * q[(i + 1) % 4].y - q[(i + 1) % 4].x * q[i].y;
  const double ratio = 0.5 * std::fabs (area) / (w * h);
  if (ratio > 16.0 || ratio < 1.0 / 16.0)
    return DERM_N_ ("the points scale the photo by more than 4x; check that they match");
  return nullptr;
}

} /* namespace */

extern "C" int
derm_homography_from_points (const double *after_points,
                             const double *before_points,
                             size_t        n_points,
                             int           after_width,
                             int           after_height,
                             double        h[9],
                             double       *rms_error,
                             DermError    *err)
{
  return derm::guard (err, [&] () {
    if (after_points == nullptr || before_points == nullptr || h == nullptr)
      derm::bug ("derm_homography_from_points: NULL argument.");
    if (n_points < 3 || n_points > 8)
      derm::fail (DERM_STATUS_INVALID_ARGUMENT, "Mark 3 or 4 matching points on each photo.");
    if (after_width < DERM_IMAGING_MIN_SIDE || after_height < DERM_IMAGING_MIN_SIDE)
      derm::bug ("derm_homography_from_points: bad photo size.");

    std::vector<cv::Point2d> pa, pb;
    for (size_t i = 0; i < n_points; i++)
      {
        const double v[4] = { after_points[2 * i], after_points[2 * i + 1], before_points[2 * i], before_points[2 * i + 1] };
        for (double d : v)
          if (!std::isfinite (d))
            derm::fail (DERM_STATUS_INVALID_ARGUMENT, "A marked point is not a number.");
        pa.emplace_back (v[0], v[1]);
        pb.emplace_back (v[2], v[3]);
      }
    if (const char *why = points_problem (pa))
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED, "Alignment refused: on the after photo, %s.", why);
    if (const char *why = points_problem (pb))
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED, "Alignment refused: on the before photo, %s.", why);

    cv::Matx33d H;
    if (n_points == 3)
      {
        /* Solved in double precision (cv::getAffineTransform works in float) */
        cv::Matx33d M (pa[0].x, pa[0].y, 1, pa[1].x, pa[1].y, 1, pa[2].x, pa[2].y, 1);
        cv::Vec3d rx, ry;
        if (!cv::solve (M, cv::Vec3d (pb[0].x, pb[1].x, pb[2].x), rx, cv::DECOMP_LU)
            || !cv::solve (M, cv::Vec3d (pb[0].y, pb[1].y, pb[2].y), ry, cv::DECOMP_LU))
          derm::fail (DERM_STATUS_ALIGNMENT_REFUSED, "Alignment refused: the points lie on one line; mark points that surround the area.");
        H = cv::Matx33d (rx[0], rx[1], rx[2], ry[0], ry[1], ry[2], 0, 0, 1);
      }
    else
      {
        /* Least squares over all points (exact for 4): plain DLT, no RANSAC,
         * since every point was marked on purpose. */
        cv::Mat Hm = cv::findHomography (pa, pb, 0);
        if (Hm.empty ())
          derm::fail (DERM_STATUS_ALIGNMENT_REFUSED,
                      "Alignment refused: the points do not define a transform; mark them in the same order on both photos.");
        H = cv::Matx33d (Hm);
      }
    if (!(std::fabs (H (2, 2)) > 1e-12))
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED, "Alignment refused: the transform is degenerate.");
    H *= 1.0 / H (2, 2);
    for (int i = 0; i < 9; i++)
      if (!std::isfinite (H.val[i]))
        derm::fail (DERM_STATUS_ALIGNMENT_REFUSED, "Alignment refused: the transform is degenerate.");
    if (const char *why = transform_problem (H, after_width, after_height))
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED, "Alignment refused: %s.", why);

    double se = 0;
    for (size_t i = 0; i < n_points; i++)
      {
        cv::Point2d q = apply (H, pa[i]);
        se += (q.x - pb[i].x) * (q.x - pb[i].x) + (q.y - pb[i].y) * (q.y - pb[i].y);
      }
    for (int i = 0; i < 9; i++)
      h[i] = H.val[i];
    if (rms_error != nullptr)
      *rms_error = std::sqrt (se / (double) n_points);
    return (int) DERM_STATUS_OK;
  });
}

extern "C" int
derm_image_resize (const DermImage *image,
                   int              max_side,
                   DermImage      **out,
                   DermError       *err)
{
  return derm::guard (err, [&] () {
    if (image == nullptr || out == nullptr || max_side < 1)
      derm::bug ("derm_image_resize: bad argument.");
    *out = nullptr;
    auto img = std::make_unique<DermImage> ();
    const int longer = std::max (image->bgr.cols, image->bgr.rows);
    if (longer <= max_side)
      {
        img->bgr = image->bgr.clone ();
        if (!image->valid.empty ())
          img->valid = image->valid.clone ();
      }
    else
      {
        const double s = (double) max_side / longer;
        cv::Size sz (std::max (1, (int) std::lround (image->bgr.cols * s)),
                     std::max (1, (int) std::lround (image->bgr.rows * s)));
        cv::resize (image->bgr, img->bgr, sz, 0, 0, cv::INTER_AREA);
        if (!image->valid.empty ())
          {
            /* A small pixel is real only when its whole footprint was. */
            cv::resize (image->valid, img->valid, sz, 0, 0, cv::INTER_AREA);
            cv::threshold (img->valid, img->valid, 254, 255, cv::THRESH_BINARY);
          }
      }
    *out = img.release ();
    return (int) DERM_STATUS_OK;
  });
}

extern "C" void
derm_image_copy_rgba (const DermImage *image,
                      uint8_t         *rgba,
                      size_t           stride)
{
  if (image == nullptr || rgba == nullptr)
    return;
  const int w = image->bgr.cols, hgt = image->bgr.rows;
  for (int y = 0; y < hgt; y++)
    {
      const uint8_t *src = image->bgr.ptr<uint8_t> (y);
      const uint8_t *valid = image->valid.empty () ? nullptr : image->valid.ptr<uint8_t> (y);
      uint8_t *dst = rgba + (size_t) y * stride;
      for (int x = 0; x < w; x++)
        {
          dst[4 * x + 0] = src[3 * x + 2];
          dst[4 * x + 1] = src[3 * x + 1];
          dst[4 * x + 2] = src[3 * x + 0];
          dst[4 * x + 3] = valid == nullptr || valid[x] != 0 ? 255 : 0;
        }
    }
}

/* derm-align.cpp
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After photo onto before photo: ORB features on downscaled grey copies,
 * ratio-tested matches, a RANSAC homography refined on its inliers, scaled
 * back to full resolution with the exact pixel-centre mapping of the resize.
 * Refused, with the reason, when it cannot be trusted.
 */
#include "derm-imaging-private.hpp"

#include <opencv2/calib3d.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <memory>
#include <mutex>

/* The warp of the whole after photo is made on the first
 * derm_alignment_get_warped (): measuring a pair does not need it (each
 * photo is measured in its own pixels, derm_compare_metrics_compute ()), only
 * showing or saving the aligned photo does, and on 24 MP it costs as much as
 * the alignment. */
struct _DermAlignment
{
  DermAlignmentResult                 result;
  DermImage                           after;     /* shares the after photo's pixels */
  cv::Size                            frame;     /* the before photo's */
  mutable std::once_flag              warp_once;
  mutable std::unique_ptr<DermImage>  warped;
};

namespace {

struct WorkImage
{
  cv::Mat grey;
  double  scale;   /* work = scale * (full + 0.5) - 0.5 */
};

WorkImage
work_copy (const DermImage *img, int work_side)
{
  WorkImage w;
  const int longer = std::max (img->bgr.cols, img->bgr.rows);
  cv::Mat small;
  if (longer > work_side)
    {
      w.scale = (double) work_side / longer;
      cv::Size sz (std::max (1, (int) std::lround (img->bgr.cols * w.scale)),
                   std::max (1, (int) std::lround (img->bgr.rows * w.scale)));
      /* INTER_AREA maps x to (x + 0.5) * sz / cols - 0.5 per axis; keep the
       * per-axis ratio, which rounding makes differ from w.scale slightly. */
      cv::resize (img->bgr, small, sz, 0, 0, cv::INTER_AREA);
      w.scale = (double) sz.width / img->bgr.cols;
    }
  else
    {
      w.scale = 1.0;
      small = img->bgr;
    }
  cv::cvtColor (small, w.grey, cv::COLOR_BGR2GRAY);
  return w;
}

/* Full-resolution pixel -> work pixel. */
cv::Matx33d
to_work (const DermImage *img, const WorkImage &w)
{
  const double sx = (double) w.grey.cols / img->bgr.cols;
  const double sy = (double) w.grey.rows / img->bgr.rows;
  return cv::Matx33d (sx, 0, 0.5 * sx - 0.5,
                      0, sy, 0.5 * sy - 0.5,
                      0, 0, 1);
}

cv::Point2d
apply (const cv::Matx33d &H, cv::Point2d p)
{
  cv::Vec3d v = H * cv::Vec3d (p.x, p.y, 1.0);
  return cv::Point2d (v[0] / v[2], v[1] / v[2]);
}

/* Why @H (after -> before, full resolution) is not a plausible photo-to-photo
 * mapping, or nullptr. */
const char *
degenerate_reason (const cv::Matx33d &H, cv::Size after_size)
{
  const double w = after_size.width - 1, h = after_size.height - 1;
  const cv::Point2d corners[4] = { { 0, 0 }, { w, 0 }, { w, h }, { 0, h } };
  cv::Point2d q[4];
  for (int i = 0; i < 4; i++)
    {
      cv::Vec3d v = H * cv::Vec3d (corners[i].x, corners[i].y, 1.0);
      if (!(v[2] > 1e-6))
        return DERM_N_ ("the transform sends part of the photo to infinity");
      q[i] = cv::Point2d (v[0] / v[2], v[1] / v[2]);
    }
  /* A quad that folds or flips has cross products of mixed or negative sign. */
  for (int i = 0; i < 4; i++)
    {
      cv::Point2d e1 = q[(i + 1) % 4] - q[i], e2 = q[(i + 2) % 4] - q[(i + 1) % 4];
      if (e1.x * e2.y - e1.y * e2.x <= 0)
        return DERM_N_ ("the transform folds or mirrors the photo");
    }
  double area = 0;
  for (int i = 0; i < 4; i++)
    area += q[i].x * q[(i + 1) % 4].y - q[(i + 1) % 4].x * q[i].y;
  area = 0.5 * std::fabs (area);
  const double ratio = area / (w * h);
  if (ratio > 16.0 || ratio < 1.0 / 16.0)
    return DERM_N_ ("the transform scales the photo by more than 4x");
  for (int i = 0; i < 4; i++)
    {
      double side = cv::norm (q[(i + 1) % 4] - q[i]);
      double orig = cv::norm (corners[(i + 1) % 4] - corners[i]);
      if (side > 4.0 * orig || side < orig / 4.0)
        return DERM_N_ ("the transform stretches one side of the photo by more than 4x");
    }
  return nullptr;
}

/* Area of the convex polygon @p */
double
polygon_area (const std::vector<cv::Point2d> &p)
{
  double a = 0;
  for (size_t i = 0; i < p.size (); i++)
    a += p[i].x * p[(i + 1) % p.size ()].y - p[(i + 1) % p.size ()].x * p[i].y;
  return 0.5 * std::fabs (a);
}

/* Fraction of the before frame (@frame) the after photo (@after_size) covers
 * through @H, which degenerate_reason () has accepted (the photo's image is
 * a convex quad): the quad of the outermost pixel centres (where a bilinear
 * sample is whole, as derm_image_warp () marks valid) clipped to the frame's
 * pixel squares (Sutherland-Hodgman). Equals the warp's valid fraction to
 * a pixel along its border, without warping 24 MP. */
double
geometric_overlap (const cv::Matx33d &H, cv::Size after_size, cv::Size frame)
{
  const double w = after_size.width - 1, h = after_size.height - 1;
  const cv::Point2d corners[4] = { { 0, 0 }, { w, 0 }, { w, h }, { 0, h } };
  std::vector<cv::Point2d> poly;
  for (const auto &c : corners)
    {
      cv::Vec3d v = H * cv::Vec3d (c.x, c.y, 1.0);
      poly.emplace_back (v[0] / v[2], v[1] / v[2]);
    }
  const double lo[2] = { -0.5, -0.5 }, hi[2] = { frame.width - 0.5, frame.height - 0.5 };
  for (int axis = 0; axis < 2; axis++)
    for (int side = 0; side < 2; side++)
      {
        std::vector<cv::Point2d> out;
        auto coord = [axis] (const cv::Point2d &q) { return axis == 0 ? q.x : q.y; };
        auto inside = [&] (const cv::Point2d &q) { return side == 0 ? coord (q) >= lo[axis] : coord (q) <= hi[axis]; };
        const double edge = side == 0 ? lo[axis] : hi[axis];
        for (size_t i = 0; i < poly.size (); i++)
          {
            const cv::Point2d &a = poly[i], &b = poly[(i + 1) % poly.size ()];
            if (inside (a))
              out.push_back (a);
            if (inside (a) != inside (b))
              {
                double t = (edge - coord (a)) / (coord (b) - coord (a));
                out.push_back (a + t * (b - a));
              }
          }
        poly.swap (out);
        if (poly.empty ())
          return 0.0;
      }
  return polygon_area (poly) / ((double) frame.width * frame.height);
}

/* Refines @H (after -> before, full resolution) to sub-pixel accuracy: around
 * inlier points, a patch of the before photo is located by normalised
 * cross-correlation (insensitive to brightness and contrast changes) in the
 * after photo resampled into the before frame, and the homography is fitted
 * again on those positions. Returns false when too few patches match. */
bool
refine_full_resolution (const DermImage *before, const DermImage *after, const std::vector<cv::Point2d> &pts_before,
                        cv::Matx33d *H, std::vector<cv::Point2d> *out_a, std::vector<cv::Point2d> *out_b)
{
  constexpr int R = 12;      /* template half size */
  constexpr int S = 5;       /* search radius */
  constexpr int MAX_POINTS = 400;
  const cv::Matx33d Hinv = H->inv ();
  const cv::Rect inner (R + S + 1, R + S + 1, before->bgr.cols - 2 * (R + S + 1), before->bgr.rows - 2 * (R + S + 1));
  if (inner.width <= 0 || inner.height <= 0)
    return false;

  std::vector<cv::Point2d> cand;
  for (const cv::Point2d &p : pts_before)
    if (inner.contains (cv::Point ((int) std::lround (p.x), (int) std::lround (p.y))))
      cand.push_back (p);
  if (cand.size () > (size_t) MAX_POINTS)
    {
      std::vector<cv::Point2d> pick;
      for (int i = 0; i < MAX_POINTS; i++)
        pick.push_back (cand[(size_t) ((double) i * cand.size () / MAX_POINTS)]);
      cand.swap (pick);
    }

  std::vector<cv::Point2d> pa ((size_t) cand.size ()), pb ((size_t) cand.size ());
  std::vector<uint8_t> ok (cand.size (), 0);
  cv::parallel_for_ (cv::Range (0, (int) cand.size ()), [&] (const cv::Range &range) {
    cv::Mat tpl_bgr, tpl, win_bgr, win, res;
    for (int i = range.start; i < range.end; i++)
      {
        const int px = (int) std::lround (cand[(size_t) i].x), py = (int) std::lround (cand[(size_t) i].y);
        cv::cvtColor (before->bgr (cv::Rect (px - R, py - R, 2 * R + 1, 2 * R + 1)), tpl, cv::COLOR_BGR2GRAY);
        const int x0 = px - R - S, y0 = py - R - S, side = 2 * (R + S) + 1;
        cv::Matx33d M = Hinv * cv::Matx33d (1, 0, x0, 0, 1, y0, 0, 0, 1);
        cv::warpPerspective (after->bgr, win_bgr, M, cv::Size (side, side),
                             cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_CONSTANT, cv::Scalar::all (0));
        cv::cvtColor (win_bgr, win, cv::COLOR_BGR2GRAY);
        cv::Scalar mean, sd;
        cv::meanStdDev (tpl, mean, sd);
        if (sd[0] < 1.0)
          continue;   /* a flat patch cannot be located */
        cv::matchTemplate (win, tpl, res, cv::TM_CCOEFF_NORMED);
        double maxv;
        cv::Point loc;
        cv::minMaxLoc (res, nullptr, &maxv, nullptr, &loc);
        if (maxv < 0.7 || loc.x < 1 || loc.y < 1 || loc.x > 2 * S - 1 || loc.y > 2 * S - 1)
          continue;
        auto vertex = [] (float l, float c, float r) {
          float d = l - 2 * c + r;
          return d < 0 ? 0.5f * (l - r) / d : 0.0f;
        };
        double dx = loc.x - S + vertex (res.at<float> (loc.y, loc.x - 1), res.at<float> (loc.y, loc.x), res.at<float> (loc.y, loc.x + 1));
        double dy = loc.y - S + vertex (res.at<float> (loc.y - 1, loc.x), res.at<float> (loc.y, loc.x), res.at<float> (loc.y + 1, loc.x));
        /* The before content at (px, py) sits at (px + dx, py + dy) of the resampled after photo. */
        pa[(size_t) i] = apply (Hinv, cv::Point2d (px + dx, py + dy));
        pb[(size_t) i] = cv::Point2d (px, py);
        ok[(size_t) i] = 1;
      }
  });

  std::vector<cv::Point2f> fa, fb;
  for (size_t i = 0; i < cand.size (); i++)
    if (ok[i])
      {
        fa.emplace_back ((float) pa[i].x, (float) pa[i].y);
        fb.emplace_back ((float) pb[i].x, (float) pb[i].y);
      }
  if (fa.size () < 30)
    return false;
  std::vector<uint8_t> inl;
  cv::Mat Hr = cv::findHomography (fa, fb, cv::RANSAC, 1.0, inl, 5000, 0.9995);
  if (Hr.empty ())
    return false;
  out_a->clear ();
  out_b->clear ();
  for (size_t i = 0; i < inl.size (); i++)
    if (inl[i])
      {
        out_a->emplace_back (fa[i].x, fa[i].y);
        out_b->emplace_back (fb[i].x, fb[i].y);
      }
  if (out_a->size () < 30)
    return false;
  *H = cv::Matx33d (Hr);
  *H *= 1.0 / (*H) (2, 2);
  return true;
}

/* Ratio-tested ORB matches of the after photo's features to the before
 * photo's, and their RANSAC homography (work pixels). */
struct Matches
{
  size_t n_features_b = 0, n_features_a = 0;
  std::vector<cv::Point2f> pa, pb;
  std::vector<uint8_t> inliers;
  cv::Mat H;
  int n_inliers = 0;
  double ratio () const { return pa.empty () ? 0.0 : (double) n_inliers / (double) pa.size (); }
};

Matches
match_features (const cv::Mat &grey_b, const cv::Mat &mask_b, const cv::Mat &grey_a, const cv::Mat &mask_a,
                 int max_features, int fast_threshold)
{
  Matches m;
  cv::Ptr<cv::ORB> orb = cv::ORB::create (max_features, 1.2f, 8, 31, 0, 2, cv::ORB::HARRIS_SCORE, 31, fast_threshold);
  std::vector<cv::KeyPoint> kb, ka;
  cv::Mat db, da;
  orb->detectAndCompute (grey_b, mask_b, kb, db);
  orb->detectAndCompute (grey_a, mask_a, ka, da);
  m.n_features_b = kb.size ();
  m.n_features_a = ka.size ();
  if (kb.size () < 2 || ka.size () < 2)
    return m;
  cv::BFMatcher matcher (cv::NORM_HAMMING);
  std::vector<std::vector<cv::DMatch>> knn;
  matcher.knnMatch (da, db, knn, 2);
  for (const auto &k : knn)
    if (k.size () == 2 && k[0].distance < 0.8f * k[1].distance)
      {
        m.pa.push_back (ka[(size_t) k[0].queryIdx].pt);
        m.pb.push_back (kb[(size_t) k[0].trainIdx].pt);
      }
  if (m.pa.size () < 4)
    return m;
  m.H = cv::findHomography (m.pa, m.pb, cv::RANSAC, 2.0, m.inliers, 10000, 0.9995);
  if (m.H.empty ())
    return m;
  for (uint8_t v : m.inliers)
    m.n_inliers += v != 0;
  return m;
}

} /* namespace */

extern "C" void
derm_align_options_init (DermAlignOptions *o)
{
  if (o == nullptr)
    return;
  o->work_side = 1600;
  o->max_features = 5000;
  o->min_inliers = 40;
  o->min_inlier_ratio = 0.25;
}

extern "C" int
derm_align (const DermImage        *before,
            const DermImage        *after,
            const DermAlignOptions *options,
            DermAlignment         **out,
            DermError              *err)
{
  return derm::guard (err, [&] () {
    if (before == nullptr || after == nullptr || out == nullptr)
      derm::bug ("derm_align: NULL argument.");
    *out = nullptr;
    DermAlignOptions opt;
    if (options != nullptr)
      opt = *options;
    else
      derm_align_options_init (&opt);
    if (opt.work_side < 64 || opt.work_side > 8192 || opt.max_features < 100 || opt.min_inliers < 8
        || !(opt.min_inlier_ratio >= 0.0 && opt.min_inlier_ratio <= 1.0))
      derm::fail (DERM_STATUS_INVALID_ARGUMENT, "Alignment options out of range.");

    WorkImage wb = work_copy (before, opt.work_side);
    WorkImage wa = work_copy (after, opt.work_side);

    cv::Mat mask_b, mask_a;
    if (!before->valid.empty ())
      cv::resize (before->valid, mask_b, wb.grey.size (), 0, 0, cv::INTER_NEAREST);
    if (!after->valid.empty ())
      cv::resize (after->valid, mask_a, wa.grey.size (), 0, 0, cv::INTER_NEAREST);
    /* Smooth skin (fine texture of a CIELAB unit or two) gives ORB too few
     * corners at its usual threshold: a second pass on local-contrast
     * equalised copies with a lower threshold. The pass with more inliers is
     * kept; both must meet the same acceptance limits. */
    Matches m = match_features (wb.grey, mask_b, wa.grey, mask_a, opt.max_features, 10);
    if (m.n_inliers < opt.min_inliers || m.ratio () < opt.min_inlier_ratio)
      {
        cv::Ptr<cv::CLAHE> clahe = cv::createCLAHE (3.0, cv::Size (8, 8));
        cv::Mat eb, ea;
        clahe->apply (wb.grey, eb);
        clahe->apply (wa.grey, ea);
        Matches m2 = match_features (eb, mask_b, ea, mask_a, opt.max_features, 5);
        if (m2.n_inliers > m.n_inliers)
          m = std::move (m2);
      }
    if (m.n_features_b < (size_t) opt.min_inliers || m.n_features_a < (size_t) opt.min_inliers)
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED,
                  "Alignment refused: too little detail to match (%zu and %zu features); use sharper, better lit photos.",
                  m.n_features_b, m.n_features_a);
    const int n_matches = (int) m.pa.size ();
    if (n_matches < opt.min_inliers)
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED,
                  "Alignment refused: only %d distinctive matches (at least %d needed); the photos may not show the same area.",
                  n_matches, opt.min_inliers);
    if (m.H.empty ())
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED, "Alignment refused: no consistent transform between the photos.");
    const int n_inliers = m.n_inliers;
    const double ratio = m.ratio ();
    if (n_inliers < opt.min_inliers || ratio < opt.min_inlier_ratio)
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED,
                  "Alignment refused: only %d of %d matches agree (%.0f%%); the photos may not show the same area.",
                  n_inliers, n_matches, 100.0 * ratio);
    const cv::Mat &Hw = m.H;
    const std::vector<uint8_t> &inl = m.inliers;
    const std::vector<cv::Point2f> &pa = m.pa, &pb = m.pb;

    /* Work coordinates back to full resolution. */
    const cv::Matx33d Ta = to_work (after, wa), Tb = to_work (before, wb);
    cv::Matx33d H = Tb.inv () * cv::Matx33d (Hw) * Ta;
    H *= 1.0 / H (2, 2);
    for (int i = 0; i < 9; i++)
      if (!std::isfinite (H.val[i]))
        derm::fail (DERM_STATUS_ALIGNMENT_REFUSED, "Alignment refused: the transform is degenerate.");
    if (const char *why = degenerate_reason (H, after->bgr.size ()))
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED, "Alignment refused: %s.", why);

    const cv::Matx33d Tai = Ta.inv (), Tbi = Tb.inv ();
    std::vector<cv::Point2d> fa, fb;
    for (size_t i = 0; i < inl.size (); i++)
      if (inl[i])
        {
          fa.push_back (apply (Tai, cv::Point2d (pa[i])));
          fb.push_back (apply (Tbi, cv::Point2d (pb[i])));
        }
    cv::Matx33d Hr = H;
    std::vector<cv::Point2d> ra, rb;
    if (refine_full_resolution (before, after, fb, &Hr, &ra, &rb) && degenerate_reason (Hr, after->bgr.size ()) == nullptr)
      {
        H = Hr;
        fa.swap (ra);
        fb.swap (rb);
      }
    double se = 0;
    for (size_t i = 0; i < fa.size (); i++)
      {
        cv::Point2d p = apply (H, fa[i]);
        se += (p.x - fb[i].x) * (p.x - fb[i].x) + (p.y - fb[i].y) * (p.y - fb[i].y);
      }

    auto al = std::make_unique<_DermAlignment> ();
    for (int i = 0; i < 9; i++)
      al->result.h[i] = H.val[i];
    al->result.n_matches = n_matches;
    al->result.n_inliers = n_inliers;
    al->result.inlier_ratio = ratio;
    al->result.rms_error = std::sqrt (se / (double) fa.size ());

    al->after = *after;
    al->frame = before->bgr.size ();
    if (after->valid.empty ())
      al->result.overlap = geometric_overlap (H, after->bgr.size (), al->frame);
    else
      {
        /* Only part of the after photo is real (itself a warp): count */
        DermImage *warped = nullptr;
        DermError werr;
        if (derm_image_warp (after, al->result.h, al->frame.width, al->frame.height, &warped, &werr) != DERM_STATUS_OK)
          derm::fail (DERM_STATUS_ALIGNMENT_REFUSED, "Alignment refused: the after photo does not overlap the before photo.");
        al->warped.reset (warped);
        al->result.overlap = (double) cv::countNonZero (warped->valid) / ((double) al->frame.width * al->frame.height);
        std::call_once (al->warp_once, [] () {});
      }
    if (al->result.overlap < 0.2)
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED,
                  "Alignment refused: the photos overlap on only %.0f%% of the before photo.", 100.0 * al->result.overlap);
    *out = al.release ();
    return (int) DERM_STATUS_OK;
  });
}

extern "C" void
derm_alignment_free (DermAlignment *alignment)
{
  delete alignment;
}

extern "C" void
derm_alignment_get_result (const DermAlignment *alignment, DermAlignmentResult *out)
{
  if (alignment != nullptr && out != nullptr)
    *out = alignment->result;
}

extern "C" const DermImage *
derm_alignment_get_warped (const DermAlignment *alignment)
{
  if (alignment == nullptr)
    return nullptr;
  std::call_once (alignment->warp_once, [alignment] () {
    DermImage *warped = nullptr;
    DermError err;
    /* Cannot fail for an accepted alignment (finite, non-singular, overlapping) */
    if (derm_image_warp (&alignment->after, alignment->result.h, alignment->frame.width, alignment->frame.height,
                         &warped, &err) == DERM_STATUS_OK)
      alignment->warped.reset (warped);
  });
  return alignment->warped.get ();
}

/* derm-pose.cpp
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The live pose of a camera preview against the baseline photo, for the
 * capture window's ghost overlay. The features and matching are those of
 * derm_align () (ORB with Harris scores, a 0.8 ratio test, RANSAC), on
 * small grey copies, with two differences that make it fit in a preview
 * frame's time: the baseline's features are found once (ORB's pyramid
 * takes the difference of scale to the frame), and the model is a similarity
 * (rotation, scale, offset: what a practitioner can correct by moving the
 * camera) rather than a homography.
 */
#include "derm-imaging-private.hpp"

#include <opencv2/calib3d.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <memory>

namespace {

/* Longer side of the grey copies: 1280 x 720 frames are scored at 512 x 288 */
constexpr int WORK_SIDE = 512;
constexpr int MAX_FEATURES = 1000;
constexpr int MIN_INLIERS = 12;
constexpr double MIN_INLIER_RATIO = 0.2;

cv::Ptr<cv::ORB>
make_orb ()
{
  return cv::ORB::create (MAX_FEATURES, 1.2f, 6, 31, 0, 2, cv::ORB::HARRIS_SCORE, 31, 10);
}

/* Local contrast equalised, as derm_align ()'s second pass does for smooth
 * skin: a preview under other light than the baseline still matches. */
cv::Mat
equalise (const cv::Mat &grey)
{
  cv::Mat out;
  cv::Ptr<cv::CLAHE> clahe = cv::createCLAHE (3.0, cv::Size (8, 8));
  clahe->apply (grey, out);
  return out;
}

} /* namespace */

struct _DermPoseReference
{
  cv::Mat                   grey;         /* the baseline, longer side WORK_SIDE at most */
  std::vector<cv::KeyPoint> keypoints;    /* in the pixels of grey */
  cv::Mat                   descriptors;
};

extern "C" int
derm_pose_reference_new (const DermImage    *baseline,
                         DermPoseReference **out,
                         DermError          *err)
{
  return derm::guard (err, [&] () {
    if (baseline == nullptr || out == nullptr)
      derm::bug ("derm_pose_reference_new: NULL argument.");
    *out = nullptr;
    const cv::Mat &bgr = baseline->bgr;
    const int longer = std::max (bgr.cols, bgr.rows);
    auto ref = std::make_unique<_DermPoseReference> ();
    cv::Mat small;
    if (longer > WORK_SIDE)
      cv::resize (bgr, small, cv::Size (std::max (1, (int) std::lround ((double) bgr.cols * WORK_SIDE / longer)),
                                        std::max (1, (int) std::lround ((double) bgr.rows * WORK_SIDE / longer))),
                  0, 0, cv::INTER_AREA);
    else
      small = bgr;
    cv::Mat grey;
    cv::cvtColor (small, grey, cv::COLOR_BGR2GRAY);
    ref->grey = equalise (grey);
    make_orb ()->detectAndCompute (ref->grey, cv::noArray (), ref->keypoints, ref->descriptors);
    if ((int) ref->keypoints.size () < 2 * MIN_INLIERS)
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED,
                  "The baseline photo has too little detail to guide the camera (%zu features).",
                  ref->keypoints.size ());
    *out = ref.release ();
    return (int) DERM_STATUS_OK;
  });
}

extern "C" void
derm_pose_reference_free (DermPoseReference *reference)
{
  delete reference;
}

extern "C" int
derm_pose_estimate (const DermPoseReference *ref,
                    int                      width,
                    int                      height,
                    const uint8_t           *rgb,
                    size_t                   stride,
                    DermPose                *out,
                    DermError               *err)
{
  return derm::guard (err, [&] () {
    if (ref == nullptr || rgb == nullptr || out == nullptr || width < DERM_IMAGING_MIN_SIDE
        || height < DERM_IMAGING_MIN_SIDE || stride < (size_t) width * 3)
      derm::bug ("derm_pose_estimate: bad argument.");
    *out = DermPose {};
    const cv::Mat frame (height, width, CV_8UC3, const_cast<uint8_t *> (rgb), stride);
    const int longer = std::max (width, height);
    const double f = longer > WORK_SIDE ? (double) WORK_SIDE / longer : 1.0;
    const cv::Size work (std::max (1, (int) std::lround (width * f)), std::max (1, (int) std::lround (height * f)));
    cv::Mat small, grey;
    if (work != frame.size ())
      cv::resize (frame, small, work, 0, 0, cv::INTER_AREA);
    else
      small = frame;
    cv::cvtColor (small, grey, cv::COLOR_RGB2GRAY);
    grey = equalise (grey);

    std::vector<cv::KeyPoint> kf;
    cv::Mat df;
    make_orb ()->detectAndCompute (grey, cv::noArray (), kf, df);
    if ((int) kf.size () < MIN_INLIERS)
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED,
                  "The preview shows too little detail to compare with the baseline; check the light and the focus.");

    /* The baseline as shown: scaled to fit the frame whole, centred. Its
     * features live in its own work copy; map them to the frame's. */
    const double bw = ref->grey.cols, bh = ref->grey.rows;
    const double shown = std::min (work.width / bw, work.height / bh);
    const double ox = 0.5 * (work.width - shown * bw), oy = 0.5 * (work.height - shown * bh);

    cv::BFMatcher matcher (cv::NORM_HAMMING);
    std::vector<std::vector<cv::DMatch>> knn;
    matcher.knnMatch (df, ref->descriptors, knn, 2);
    std::vector<cv::Point2f> pf, pg;
    for (const auto &k : knn)
      if (k.size () == 2 && k[0].distance < 0.8f * k[1].distance)
        {
          const cv::Point2f &b = ref->keypoints[(size_t) k[0].trainIdx].pt;
          pf.push_back (kf[(size_t) k[0].queryIdx].pt);
          pg.emplace_back ((float) (shown * (b.x + 0.5) - 0.5 + ox), (float) (shown * (b.y + 0.5) - 0.5 + oy));
        }
    out->n_matches = (int) pf.size ();
    if ((int) pf.size () < MIN_INLIERS)
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED,
                  "The preview does not match the baseline photo (%d distinctive matches); is it the same view?",
                  (int) pf.size ());
    std::vector<uint8_t> inliers;
    /* Frame -> shown baseline */
    cv::Mat A = cv::estimateAffinePartial2D (pf, pg, inliers, cv::RANSAC, 3.0, 2000, 0.995, 10);
    int n_in = 0;
    for (uint8_t v : inliers)
      n_in += v != 0;
    out->n_inliers = n_in;
    if (A.empty () || n_in < MIN_INLIERS || n_in < MIN_INLIER_RATIO * (double) pf.size ())
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED,
                  "The preview does not match the baseline photo (%d of %d matches agree); is it the same view?",
                  n_in, (int) pf.size ());
    const double a = A.at<double> (0, 0), b = A.at<double> (1, 0);
    const double s = std::hypot (a, b);
    if (!(s > 0.25 && s < 4.0) || !std::isfinite (A.at<double> (0, 2)) || !std::isfinite (A.at<double> (1, 2)))
      derm::fail (DERM_STATUS_ALIGNMENT_REFUSED,
                  "The preview does not match the baseline photo at a plausible distance; is it the same view?");
    /* The frame's content is the shown baseline through the inverse: it is
     * 1/s the size, turned the other way, and the baseline's centre is at
     * A^-1 (centre). */
    const double theta = std::atan2 (b, a);
    out->rotation_deg = -theta * 180.0 / M_PI;
    out->scale = 1.0 / s;
    const cv::Matx33d M (a, A.at<double> (0, 1), A.at<double> (0, 2),
                         b, A.at<double> (1, 1), A.at<double> (1, 2),
                         0, 0, 1);
    const cv::Matx33d Mi = M.inv ();
    const double cx = 0.5 * (work.width - 1), cy = 0.5 * (work.height - 1);
    const cv::Point2d c = derm::apply_h (Mi, cv::Point2d (cx, cy));
    out->offset_x = (c.x - cx) / work.width;
    out->offset_y = (c.y - cy) / work.height;
    return (int) DERM_STATUS_OK;
  });
}

extern "C" int
derm_image_edges_rgba (const DermImage *image,
                       int              max_side,
                       uint8_t          r,
                       uint8_t          g,
                       uint8_t          b,
                       uint8_t         *rgba,
                       size_t           stride,
                       DermError       *err)
{
  return derm::guard (err, [&] () {
    if (image == nullptr || rgba == nullptr || max_side < 1)
      derm::bug ("derm_image_edges_rgba: bad argument.");
    DermImage *small_img = nullptr;
    int status = derm_image_resize (image, max_side, &small_img, err);
    if (status != DERM_STATUS_OK)
      return status;
    std::unique_ptr<DermImage, void (*) (DermImage *)> small (small_img, derm_image_free);
    cv::Mat grey, blurred, edges;
    cv::cvtColor (small->bgr, grey, cv::COLOR_BGR2GRAY);
    /* Thresholds from the median: an outline of the face and its features,
     * not of pores, whatever the exposure */
    cv::GaussianBlur (grey, blurred, cv::Size (0, 0), 1.5);
    std::vector<uint8_t> v (blurred.begin<uint8_t> (), blurred.end<uint8_t> ());
    std::nth_element (v.begin (), v.begin () + (long) (v.size () / 2), v.end ());
    const double median = v[v.size () / 2];
    cv::Canny (blurred, edges, std::max (10.0, 0.66 * median), std::max (30.0, 1.33 * median));
    for (int y = 0; y < edges.rows; y++)
      {
        const uint8_t *e = edges.ptr<uint8_t> (y);
        uint8_t *dst = rgba + (size_t) y * stride;
        for (int x = 0; x < edges.cols; x++, dst += 4)
          {
            const bool on = e[x] != 0;
            dst[0] = on ? r : 0;
            dst[1] = on ? g : 0;
            dst[2] = on ? b : 0;
            dst[3] = on ? 255 : 0;
          }
      }
    return (int) DERM_STATUS_OK;
  });
}

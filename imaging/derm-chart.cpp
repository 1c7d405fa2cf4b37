/* derm-chart.cpp
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Colour calibration with a ColorChecker Classic (IMAGING.md, white
 * balance): the chart is found by OpenCV contrib's mcc detector on a
 * downscaled copy (or given by its four corners), the central half of each
 * of its 24 patches is averaged in linear RGB at full resolution, and a 3x3
 * matrix is fitted by least squares to the published patch values (X-Rite
 * 2005, D50 CIELAB) adapted to D65 with the Bradford transform. The residual
 * of the corrected chart is reported as CIEDE2000; a mean above
 * DERM_CHART_MAX_MEAN_DELTA_E is refused.
 */
#include "derm-imaging-private.hpp"

#include <opencv2/imgproc.hpp>
#include <opencv2/mcc/checker_detector.hpp>

#include <cmath>

namespace {

/* X-Rite ColorChecker Classic (2005 formulation), D50, 2 degrees. */
constexpr double REFERENCE_LAB_D50[24][3] = {
  { 37.986, 13.555, 14.059 }, { 65.711, 18.130, 17.810 }, { 49.927, -4.880, -21.925 },
  { 43.139, -13.095, 21.905 }, { 55.112, 8.844, -25.399 }, { 70.719, -33.397, -0.199 },
  { 62.661, 36.067, 57.096 }, { 40.020, 10.410, -45.964 }, { 51.124, 48.239, 16.248 },
  { 30.325, 22.976, -21.587 }, { 72.532, -23.709, 57.255 }, { 71.941, 19.363, 67.857 },
  { 28.778, 14.179, -50.297 }, { 55.261, -38.342, 31.370 }, { 42.101, 53.378, 28.190 },
  { 81.733, 4.039, 79.819 }, { 51.935, 49.986, -14.574 }, { 51.038, -28.631, -28.638 },
  { 96.539, -0.425, 1.186 }, { 81.257, -0.638, -0.335 }, { 66.766, -0.734, -0.504 },
  { 50.867, -0.153, -0.270 }, { 35.656, -0.421, -1.231 }, { 20.461, -0.079, -0.973 },
};

constexpr double D50[3] = { 0.96422, 1.0, 0.82521 };
constexpr double D65[3] = { 0.95047, 1.0, 1.08883 };
/* scikit-image's xyz_from_rgb, as lab_row uses. */
const cv::Matx33d XYZ_FROM_RGB (0.412453, 0.357580, 0.180423,
                                0.212671, 0.715160, 0.072169,
                                0.019334, 0.119193, 0.950227);

/* mcc's chart model: 6 x 4 patches of 2.5 units, 0.25 apart, in a box of
 * 16.75 x 11.25 units with a margin of 0.25. */
constexpr double BOX_W = 16.75, BOX_H = 11.25, CELL = 2.5, GAP = 0.25;

cv::Vec3d
lab_to_xyz (const double lab[3], const double white[3])
{
  const double fy = (lab[0] + 16.0) / 116.0, fx = fy + lab[1] / 500.0, fz = fy - lab[2] / 200.0;
  auto finv = [] (double f) { return f > 6.0 / 29.0 ? f * f * f : (f - 16.0 / 116.0) / 7.787; };
  return cv::Vec3d (finv (fx) * white[0], finv (fy) * white[1], finv (fz) * white[2]);
}

cv::Vec3d
xyz_to_lab (cv::Vec3d xyz)
{
  auto f = [] (double t) { return t > 0.008856 ? std::cbrt (t) : 7.787 * t + 16.0 / 116.0; };
  const double fx = f (xyz[0] / D65[0]), fy = f (xyz[1] / D65[1]), fz = f (xyz[2] / D65[2]);
  return cv::Vec3d (116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz));
}

/* The reference patches adapted to D65: XYZ (rows) */
void
reference_xyz_d65 (cv::Vec3d out[24])
{
  const cv::Matx33d B (0.8951, 0.2664, -0.1614, -0.7502, 1.7135, 0.0367, 0.0389, -0.0685, 1.0296);
  const cv::Vec3d s = B * cv::Vec3d (D50[0], D50[1], D50[2]);
  const cv::Vec3d d = B * cv::Vec3d (D65[0], D65[1], D65[2]);
  const cv::Matx33d adapt = B.inv () * cv::Matx33d (d[0] / s[0], 0, 0, 0, d[1] / s[1], 0, 0, 0, d[2] / s[2]) * B;
  for (int k = 0; k < 24; k++)
    out[k] = adapt * lab_to_xyz (REFERENCE_LAB_D50[k], D50);
}

/* CIEDE2000 (Sharma, Wu and Dalal 2005), kL = kC = kH = 1 */
double
ciede2000 (cv::Vec3d lab1, cv::Vec3d lab2)
{
  const double L1 = lab1[0], a1 = lab1[1], b1 = lab1[2], L2 = lab2[0], a2 = lab2[1], b2 = lab2[2];
  const double C1 = std::hypot (a1, b1), C2 = std::hypot (a2, b2);
  const double Cm = 0.5 * (C1 + C2);
  const double Cm7 = std::pow (Cm, 7.0);
  const double G = 0.5 * (1.0 - std::sqrt (Cm7 / (Cm7 + std::pow (25.0, 7.0))));
  const double a1p = (1.0 + G) * a1, a2p = (1.0 + G) * a2;
  const double C1p = std::hypot (a1p, b1), C2p = std::hypot (a2p, b2);
  auto hue = [] (double b, double a) {
    if (a == 0 && b == 0)
      return 0.0;
    double h = std::atan2 (b, a) * 180.0 / M_PI;
    return h < 0 ? h + 360.0 : h;
  };
  const double h1p = hue (b1, a1p), h2p = hue (b2, a2p);
  const double dLp = L2 - L1, dCp = C2p - C1p;
  double dhp = 0;
  if (C1p * C2p != 0)
    {
      dhp = h2p - h1p;
      if (dhp > 180) dhp -= 360;
      else if (dhp < -180) dhp += 360;
    }
  const double dHp = 2.0 * std::sqrt (C1p * C2p) * std::sin (dhp * M_PI / 360.0);
  const double Lpm = 0.5 * (L1 + L2), Cpm = 0.5 * (C1p + C2p);
  double hpm = h1p + h2p;
  if (C1p * C2p != 0)
    {
      if (std::fabs (h1p - h2p) <= 180) hpm = 0.5 * (h1p + h2p);
      else if (h1p + h2p < 360) hpm = 0.5 * (h1p + h2p + 360);
      else hpm = 0.5 * (h1p + h2p - 360);
    }
  const double rad = M_PI / 180.0;
  const double T = 1 - 0.17 * std::cos ((hpm - 30) * rad) + 0.24 * std::cos (2 * hpm * rad)
                   + 0.32 * std::cos ((3 * hpm + 6) * rad) - 0.20 * std::cos ((4 * hpm - 63) * rad);
  const double dtheta = 30.0 * std::exp (-((hpm - 275) / 25) * ((hpm - 275) / 25));
  const double Cpm7 = std::pow (Cpm, 7.0);
  const double RC = 2.0 * std::sqrt (Cpm7 / (Cpm7 + std::pow (25.0, 7.0)));
  const double SL = 1 + 0.015 * (Lpm - 50) * (Lpm - 50) / std::sqrt (20 + (Lpm - 50) * (Lpm - 50));
  const double SC = 1 + 0.045 * Cpm, SH = 1 + 0.015 * Cpm * T;
  const double RT = -std::sin (2 * dtheta * rad) * RC;
  const double l = dLp / SL, c = dCp / SC, h = dHp / SH;
  return std::sqrt (l * l + c * c + h * h + RT * c * h);
}

/* Outer corners of the chart in @image, in the order of DermAnalysisSettings */
bool
detect_chart (const DermImage *image, cv::Point2d corners[4])
{
  constexpr int WORK_SIDE = 800;
  const int longer = std::max (image->bgr.cols, image->bgr.rows);
  cv::Mat small;
  double sx = 1.0, sy = 1.0;
  if (longer > WORK_SIDE)
    {
      const double s = (double) WORK_SIDE / longer;
      cv::Size sz (std::max (1, (int) std::lround (image->bgr.cols * s)), std::max (1, (int) std::lround (image->bgr.rows * s)));
      cv::resize (image->bgr, small, sz, 0, 0, cv::INTER_AREA);
      sx = (double) sz.width / image->bgr.cols;
      sy = (double) sz.height / image->bgr.rows;
    }
  else
    small = image->bgr;

  cv::Ptr<cv::mcc::CCheckerDetector> detector = cv::mcc::CCheckerDetector::create ();
  cv::Ptr<cv::mcc::DetectorParameters> params = cv::mcc::DetectorParameters::create ();
  /* Three threshold windows instead of nine: the chart's patches are large
   * and contrasted on the downscaled copy; this is most of the time saved. */
  params->adaptiveThreshWinSizeMin = 23;
  params->adaptiveThreshWinSizeMax = 63;
  params->adaptiveThreshWinSizeStep = 20;
  if (!detector->process (small, cv::mcc::MCC24, 1, false, params))
    return false;
  cv::Ptr<cv::mcc::CChecker> checker = detector->getBestColorChecker ();
  if (checker.empty ())
    return false;
  std::vector<cv::Point2f> box = checker->getBox ();
  if (box.size () != 4)
    return false;
  for (int i = 0; i < 4; i++)
    corners[i] = cv::Point2d ((box[(size_t) i].x + 0.5) / sx - 0.5, (box[(size_t) i].y + 0.5) / sy - 0.5);
  return true;
}

/* Mean linear RGB of the central half of each patch */
void
sample_patches (const DermImage *image, const cv::Point2d corners[4], cv::Vec3d out[24], double *min_count)
{
  const cv::Point2f unit[4] = { { 0, 0 }, { (float) BOX_W, 0 }, { (float) BOX_W, (float) BOX_H }, { 0, (float) BOX_H } };
  const cv::Point2f img[4] = { cv::Point2f (corners[0]), cv::Point2f (corners[1]), cv::Point2f (corners[2]), cv::Point2f (corners[3]) };
  const cv::Matx33d H (cv::getPerspectiveTransform (unit, img));
  double base[256];
  for (int v = 0; v < 256; v++)
    base[v] = derm::srgb_to_linear (v / 255.0);
  *min_count = HUGE_VAL;
  for (int k = 0; k < 24; k++)
    {
      const double cx = GAP + (k % 6) * (CELL + GAP) + 0.5 * CELL, cy = GAP + (k / 6) * (CELL + GAP) + 0.5 * CELL;
      const double h = 0.25 * CELL;
      std::vector<cv::Point2d> q;
      for (cv::Point2d p : { cv::Point2d (cx - h, cy - h), cv::Point2d (cx + h, cy - h), cv::Point2d (cx + h, cy + h), cv::Point2d (cx - h, cy + h) })
        q.push_back (derm::apply_h (H, p));
      derm::Region r;
      try
        {
          r = derm::region_from_polygons (image->bgr.size (), { q });
        }
      catch (const derm::Failure &)
        {
          derm::fail (DERM_STATUS_BAD_ROI, "The colour chart is not entirely inside the photo; include the whole chart.");
        }
      double sum[3] = { 0, 0, 0 };
      double n = 0;
      for (int y = 0; y < r.box.height; y++)
        {
          const uint8_t *p = image->bgr.ptr<uint8_t> (r.box.y + y) + 3 * r.box.x;
          const uint8_t *m = r.mask.ptr<uint8_t> (y);
          const uint8_t *v = image->valid.empty () ? nullptr : image->valid.ptr<uint8_t> (r.box.y + y) + r.box.x;
          for (int x = 0; x < r.box.width; x++)
            if (m[x] != 0 && (v == nullptr || v[x] != 0))
              {
                sum[0] += base[p[3 * x + 2]];
                sum[1] += base[p[3 * x + 1]];
                sum[2] += base[p[3 * x]];
                n++;
              }
        }
      *min_count = std::min (*min_count, n);
      for (int c = 0; c < 3; c++)
        out[k][c] = n > 0 ? sum[c] / n : 0.0;
    }
}

} /* namespace */

namespace derm {

void
chart_fit (const DermImage *image, const DermAnalysisSettings &s, const cv::Matx33d *from_before,
           DermChartFit *fit, double matrix[9])
{
  cv::Point2d corners[4];
  *fit = DermChartFit {};
  if (s.chart_manual)
    {
      for (int i = 0; i < 4; i++)
        {
          corners[i] = cv::Point2d (s.chart_corners[2 * i], s.chart_corners[2 * i + 1]);
          if (from_before != nullptr)
            corners[i] = apply_h (*from_before, corners[i]);
        }
      double area2 = 0;
      for (int i = 0; i < 4; i++)
        area2 += corners[i].x * corners[(i + 1) % 4].y - corners[(i + 1) % 4].x * corners[i].y;
      if (std::fabs (area2) < 2.0 * 24 * 16)
        fail (DERM_STATUS_BAD_ROI, "The chart corners enclose (almost) no area; mark the chart's four outer corners.");
    }
  else
    {
      if (!detect_chart (image, corners))
        fail (DERM_STATUS_BAD_ROI, "No ColorChecker chart was found in the photo; include the whole chart, evenly lit, or mark its four corners.");
      fit->found_automatically = 1;
    }
  for (int i = 0; i < 4; i++)
    {
      fit->corners[2 * i] = corners[i].x;
      fit->corners[2 * i + 1] = corners[i].y;
    }

  cv::Vec3d measured[24], ref_xyz[24];
  double min_count;
  sample_patches (image, corners, measured, &min_count);
  if (min_count < 4)
    fail (DERM_STATUS_BAD_ROI, "The colour chart is too small in the photo (patches under 4 pixels); move closer or mark its corners.");
  reference_xyz_d65 (ref_xyz);
  const cv::Matx33d RGB_FROM_XYZ = XYZ_FROM_RGB.inv ();

  /* Least squares: measured (24 x 3) * M^T = reference linear RGB (24 x 3) */
  cv::Mat A (24, 3, CV_64F), Bm (24, 3, CV_64F);
  for (int k = 0; k < 24; k++)
    {
      cv::Vec3d t = RGB_FROM_XYZ * ref_xyz[k];
      for (int c = 0; c < 3; c++)
        {
          A.at<double> (k, c) = measured[k][c];
          Bm.at<double> (k, c) = t[c];
        }
    }
  cv::Mat Mt;
  if (!cv::solve (A, Bm, Mt, cv::DECOMP_SVD))
    fail (DERM_STATUS_BAD_ROI, "The colour chart's patches could not be told apart; check the chart is lit and in focus.");
  cv::Matx33d M;
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 3; c++)
      M (r, c) = Mt.at<double> (c, r);
  for (int i = 0; i < 9; i++)
    if (!std::isfinite (M.val[i]))
      fail (DERM_STATUS_BAD_ROI, "The colour chart's patches could not be told apart; check the chart is lit and in focus.");

  double sum = 0, worst = 0;
  for (int k = 0; k < 24; k++)
    {
      cv::Vec3d c = M * measured[k];
      for (int i = 0; i < 3; i++)
        c[i] = std::min (1.0, std::max (0.0, c[i]));
      double de = ciede2000 (xyz_to_lab (XYZ_FROM_RGB * c), xyz_to_lab (ref_xyz[k]));
      sum += de;
      worst = std::max (worst, de);
    }
  fit->delta_e_mean = sum / 24.0;
  fit->delta_e_max = worst;
  if (fit->delta_e_mean > DERM_CHART_MAX_MEAN_DELTA_E)
    fail (DERM_STATUS_BAD_ROI,
          "The colour chart fit is too poor to trust (mean CIEDE2000 %.1f, above %.0f): the chart may be glared, clipped or partly hidden; retake it evenly lit.",
          fit->delta_e_mean, DERM_CHART_MAX_MEAN_DELTA_E);
  for (int i = 0; i < 9; i++)
    matrix[i] = M.val[i];
}

} /* namespace derm */

extern "C" int
derm_chart_fit (const DermImage            *image,
                const DermAnalysisSettings *settings,
                DermChartFit               *out,
                double                      matrix[9],
                DermError                  *err)
{
  return derm::guard (err, [&] () {
    if (image == nullptr || settings == nullptr || out == nullptr)
      derm::bug ("derm_chart_fit: NULL argument.");
    derm::validate_settings (settings);
    double m[9];
    derm::chart_fit (image, *settings, nullptr, out, m);
    if (matrix != nullptr)
      for (int i = 0; i < 9; i++)
        matrix[i] = m[i];
    return (int) DERM_STATUS_OK;
  });
}

extern "C" void
derm_chart_reference_srgb (double rgb[24][3])
{
  cv::Vec3d xyz[24];
  reference_xyz_d65 (xyz);
  const cv::Matx33d RGB_FROM_XYZ = XYZ_FROM_RGB.inv ();
  for (int k = 0; k < 24; k++)
    {
      cv::Vec3d l = RGB_FROM_XYZ * xyz[k];
      for (int c = 0; c < 3; c++)
        {
          double v = std::min (1.0, std::max (0.0, l[c]));
          v = v > 0.0031308 ? 1.055 * std::pow (v, 1.0 / 2.4) - 0.055 : 12.92 * v;
          rgb[k][c] = 255.0 * v;
        }
    }
}

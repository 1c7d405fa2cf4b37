/* derm-analysis.cpp
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Redness, tone and texture over a region, as IMAGING.md defines them.
 *
 * Two parallel passes over row bands, each band with its own partial sums,
 * histogram and co-occurrence counts, merged at the end (no shared writes):
 *  1. per pixel: L*a*b*, a* histogram (0.01 bins), erythema index, red area,
 *     ITA; writes L* (zero outside the mask) and the 32-level grey image.
 *  2. per band: the 12 co-occurrence matrices, and the Gaussian blurs of L*
 *     for roughness and unevenness, done band by band with a halo of rows so
 *     no full-size blurred copy is ever made.
 * Blurs are normalised convolutions, blur(L* x mask) / blur(mask), zero
 * outside the region: pixels outside the region never contribute.
 */
#include "derm-imaging-private.hpp"

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cmath>
#include <memory>

namespace {

constexpr double A_MIN = -100.0;    /* a* of sRGB spans about -86 .. 98 */
constexpr double A_BIN = 0.01;
constexpr int    A_BINS = 20000;
constexpr int    QL = DERM_GLCM_LEVELS + 1;   /* level 32 marks "outside the region" */
constexpr int    N_ANGLES = 4;
constexpr int    N_GLCM = DERM_GLCM_N_DISTANCES * N_ANGLES;
constexpr int    DISTANCES[DERM_GLCM_N_DISTANCES] = { 1, 2, 4 };

struct Offset { int dr, dc; };

/* Exactly as skimage.feature.graycomatrix: round(sin(angle) * d) rows,
 * round(cos(angle) * d) columns, so 45 degrees at d = 2 is (1, 1). */
std::array<Offset, N_GLCM>
glcm_offsets ()
{
  std::array<Offset, N_GLCM> o;
  for (int d = 0; d < DERM_GLCM_N_DISTANCES; d++)
    for (int a = 0; a < N_ANGLES; a++)
      {
        double angle = a * M_PI / 4.0;
        o[d * N_ANGLES + a] = Offset { (int) std::lround (std::sin (angle) * DISTANCES[d]),
                                       (int) std::lround (std::cos (angle) * DISTANCES[d]) };
      }
  return o;
}

struct BandAcc
{
  uint64_t n = 0, n_red = 0, n_clipped = 0, n_lap = 0;
  double lap_sum = 0, lap_sumsq = 0;
  double sum_a = 0, sum_ei = 0, sum_L = 0, sum_ita = 0;
  double r_sum = 0, r_sumsq = 0, u_sum = 0, u_sumsq = 0;
  uint64_t u_n = 0;   /* positions the unevenness std is taken over */
  std::vector<uint32_t> hist;
  std::vector<uint32_t> glcm;
};

/* atan(t) for t in [0, 1], Abramowitz & Stegun 4.4.49, |error| <= 2e-8. */
inline float
atan01 (float t)
{
  float s = t * t;
  float p = 0.0028662257f;
  p = p * s - 0.0161657367f;
  p = p * s + 0.0429096138f;
  p = p * s - 0.0752896400f;
  p = p * s + 0.1065626393f;
  p = p * s - 0.1420889944f;
  p = p * s + 0.1999355085f;
  p = p * s - 0.3333314528f;
  return t + t * s * p;
}

/* Individual typology angle in degrees, atan2 (L* - 50, b*), branch-free. */
inline float
ita_deg (float L, float b)
{
  float y = L - 50.0f, x = b;
  float ax = std::fabs (x), ay = std::fabs (y);
  float mx = std::max (ax, ay), mn = std::min (ax, ay);
  float t = mx > 0.0f ? mn / mx : 0.0f;
  float r = atan01 (t);
  r = ay > ax ? (float) (M_PI / 2) - r : r;
  r = x < 0.0f ? (float) M_PI - r : r;
  r = y < 0.0f ? -r : r;
  return r * (float) (180.0 / M_PI);
}

DermItaClass
ita_class (double ita)
{
  if (ita > 55) return DERM_ITA_VERY_LIGHT;
  if (ita > 41) return DERM_ITA_LIGHT;
  if (ita > 28) return DERM_ITA_INTERMEDIATE;
  if (ita > 10) return DERM_ITA_TAN;
  if (ita > -30) return DERM_ITA_BROWN;
  return DERM_ITA_DARK;
}

/* numpy.percentile (linear) from the 0.01-wide a* histogram: the value of a
 * rank is placed evenly inside its bin, so the error is below one bin. */
double
hist_percentile (const std::vector<uint64_t> &hist, uint64_t n, double q)
{
  auto value_at = [&] (uint64_t rank) {
    uint64_t cum = 0;
    for (int i = 0; i < A_BINS; i++)
      {
        if (hist[i] == 0)
          continue;
        if (rank < cum + hist[i])
          return A_MIN + A_BIN * (i + ((double) (rank - cum) + 0.5) / (double) hist[i]);
        cum += hist[i];
      }
    return A_MIN + A_BIN * A_BINS;
  };
  double pos = q * (double) (n - 1);
  uint64_t lo = (uint64_t) std::floor (pos);
  uint64_t hi = std::min (lo + 1, n - 1);
  double frac = pos - (double) lo;
  double vlo = value_at (lo);
  return frac > 0 ? vlo + frac * (value_at (hi) - vlo) : vlo;
}

void
glcm_properties (const std::vector<uint64_t> &counts, DermTextureMetrics *tex)
{
  for (int d = 0; d < DERM_GLCM_N_DISTANCES; d++)
    {
      DermGlcmProperties acc {};
      acc.distance = DISTANCES[d];
      for (int a = 0; a < N_ANGLES; a++)
        {
          const uint64_t *c = counts.data () + (size_t) (d * N_ANGLES + a) * QL * QL;
          double P[DERM_GLCM_LEVELS][DERM_GLCM_LEVELS];
          uint64_t total = 0;
          for (int i = 0; i < DERM_GLCM_LEVELS; i++)
            for (int j = 0; j < DERM_GLCM_LEVELS; j++)
              {
                uint64_t s = c[i * QL + j] + c[j * QL + i];
                P[i][j] = (double) s;
                total += s;
              }
          /* skimage leaves an empty matrix all zero rather than dividing by 0. */
          double norm = total > 0 ? (double) total : 1.0;
          double contrast = 0, dissim = 0, homog = 0, asm_v = 0, entropy = 0, mi = 0, mj = 0;
          for (int i = 0; i < DERM_GLCM_LEVELS; i++)
            for (int j = 0; j < DERM_GLCM_LEVELS; j++)
              {
                double p = P[i][j] / norm;
                P[i][j] = p;
                double diff = i - j;
                contrast += p * diff * diff;
                dissim += p * std::fabs (diff);
                homog += p / (1.0 + diff * diff);
                asm_v += p * p;
                if (p > 0)
                  entropy -= p * std::log2 (p);
                mi += i * p;
                mj += j * p;
              }
          double vi = 0, vj = 0, cov = 0;
          for (int i = 0; i < DERM_GLCM_LEVELS; i++)
            for (int j = 0; j < DERM_GLCM_LEVELS; j++)
              {
                double p = P[i][j];
                vi += p * (i - mi) * (i - mi);
                vj += p * (j - mj) * (j - mj);
                cov += p * (i - mi) * (j - mj);
              }
          double si = std::sqrt (vi), sj = std::sqrt (vj);
          double corr = (si < 1e-15 || sj < 1e-15) ? 1.0 : cov / (si * sj);
          acc.contrast += contrast / N_ANGLES;
          acc.dissimilarity += dissim / N_ANGLES;
          acc.homogeneity += homog / N_ANGLES;
          acc.asm_value += asm_v / N_ANGLES;
          acc.energy += std::sqrt (asm_v) / N_ANGLES;
          acc.correlation += corr / N_ANGLES;
          acc.entropy += entropy / N_ANGLES;
        }
      tex->glcm[d] = acc;
    }
}

/* Sum of @n floats in eight independent lanes (vectorised), in double. */
double
lane_sum (const float *v, int n)
{
  float l[8] = { 0 };
  int x = 0;
  for (; x + 8 <= n; x += 8)
    for (int k = 0; k < 8; k++)
      l[k] += v[x + k];
  double s = 0;
  for (; x < n; x++)
    s += v[x];
  for (int k = 0; k < 8; k++)
    s += l[k];
  return s;
}

/* The Gaussian of scipy.ndimage.gaussian_filter: radius int(4 sigma + 0.5). */
cv::Mat
gaussian_kernel (double sigma)
{
  int radius = (int) (4.0 * sigma + 0.5);
  return cv::getGaussianKernel (2 * radius + 1, sigma, CV_32F);
}

/* Sum of the kernel taps that land inside [0, n) for each position: the
 * normalisation of a zero-padded blur of an all-ones region, separably. */
std::vector<float>
edge_weights (const cv::Mat &k, int n)
{
  const int radius = k.rows / 2;
  std::vector<float> w ((size_t) n);
  for (int i = 0; i < n; i++)
    {
      double s = 0;
      for (int t = -radius; t <= radius; t++)
        if (i + t >= 0 && i + t < n)
          s += k.at<float> (t + radius);
      w[(size_t) i] = (float) s;
    }
  return w;
}

struct Blur
{
  cv::Mat kernel;
  std::vector<float> col_w, row_w;   /* for a region without mask */
};

/* Blurs rows [y0, y1) of the zero-padded @src (box-sized), reading a halo
 * from the rows around; returns (y1 - y0) rows. */
cv::Mat
blur_band (const cv::Mat &src, int y0, int y1, const cv::Mat &kernel)
{
  const int radius = kernel.rows / 2;
  const int s0 = std::max (0, y0 - radius), s1 = std::min (src.rows, y1 + radius);
  cv::Mat out;
  cv::sepFilter2D (src.rowRange (s0, s1), out, CV_32F, kernel, kernel, cv::Point (-1, -1), 0,
                   cv::BORDER_CONSTANT | cv::BORDER_ISOLATED);
  return out.rowRange (y0 - s0, y1 - s0);
}

/* Sum and sum of squares of the normalised blur of @L (zero outside the
 * region) minus @shift, at the cell centres (step / 2 + i step) of rows
 * [y0, y1) that lie in the region; @maskf empty for a whole box, whose
 * normalisation is rw[y] cw[x]. The vertical pass runs over whole sampled
 * rows, the horizontal one at the sampled columns only. */
void
sampled_blur_stats (const cv::Mat &L, const cv::Mat &maskf, const cv::Mat &mask, const cv::Mat &kernel,
                    const std::vector<float> &cw, const std::vector<float> &rw, int step, int y0, int y1,
                    float shift, double *sum, double *sumsq, uint64_t *count)
{
  const int radius = kernel.rows / 2, W = L.cols, H = L.rows, off = step / 2;
  const float *k = kernel.ptr<float> ();
  std::vector<float> vn ((size_t) W + 2 * radius, 0.0f), vd (maskf.empty () ? 0 : (size_t) W + 2 * radius, 0.0f);
  double s = 0, ss = 0;
  uint64_t n = 0;
  int first = y0 + ((off - y0) % step + step) % step;
  for (int y = first; y < y1; y += step)
    {
      const uint8_t *m = mask.empty () ? nullptr : mask.ptr<uint8_t> (y);
      float *num = vn.data () + radius, *den = vd.empty () ? nullptr : vd.data () + radius;
      std::fill (num, num + W, 0.0f);
      if (den != nullptr)
        std::fill (den, den + W, 0.0f);
      for (int t = -radius; t <= radius; t++)
        {
          if (y + t < 0 || y + t >= H)
            continue;
          const float kt = k[t + radius];
          const float *row = L.ptr<float> (y + t);
          for (int x = 0; x < W; x++)
            num[x] += kt * row[x];
          if (den != nullptr)
            {
              const float *mrow = maskf.ptr<float> (y + t);
              for (int x = 0; x < W; x++)
                den[x] += kt * mrow[x];
            }
        }
      float rs = 0, rss = 0;
      for (int x = off; x < W; x += step)
        {
          if (m != nullptr && m[x] == 0)
            continue;
          float nu = 0, de = 0;
          for (int t = -radius; t <= radius; t++)
            nu += k[t + radius] * num[x + t];   /* zero padded by vn's margins */
          if (den != nullptr)
            for (int t = -radius; t <= radius; t++)
              de += k[t + radius] * den[x + t];
          else
            de = rw[(size_t) y] * cw[(size_t) x];
          const float v = nu / de - shift;
          rs += v;
          rss += v * v;
          n++;
        }
      s += rs;
      ss += rss;
    }
  *sum += s;
  *sumsq += ss;
  *count += n;
}

void
analyze_region (const DermImage *image, const derm::Region &region,
                const DermAnalysisSettings &s, const derm::LinearLuts &luts, DermAnalysis *out)
{
  const cv::Rect box = region.box;
  const cv::Mat &mask = region.mask;
  const bool want_red = (s.metrics & DERM_METRICS_REDNESS) != 0;
  const bool want_tone = (s.metrics & DERM_METRICS_TONE) != 0;
  const bool want_tex = (s.metrics & DERM_METRICS_TEXTURE) != 0;
  const float thr = (float) s.red_threshold;
  const int W = box.width, H = box.height;

  /* L* is kept only when a blur needs it; zero outside the mask. */
  cv::Mat Lbuf, qbuf, gbuf;
  if (want_tex || want_tone)
    Lbuf.create (H, W, CV_32FC1);
  if (want_tex)
    qbuf.create (H, W, CV_8UC1);
  /* 8-bit luma for the sharpness (variance of its Laplacian) */
  gbuf.create (H, W, CV_8UC1);

  const int n_bands = std::max (1, std::min (H / 8 + 1, std::max (4, 4 * cv::getNumThreads ())));
  std::vector<BandAcc> acc ((size_t) n_bands);
  auto band_rows = [&] (int b, int *y0, int *y1) {
    *y0 = (int) ((int64_t) H * b / n_bands);
    *y1 = (int) ((int64_t) H * (b + 1) / n_bands);
  };

  /* Pass 1 */
  cv::parallel_for_ (cv::Range (0, n_bands), [&] (const cv::Range &range) {
    std::vector<float> Lr ((size_t) W), ar ((size_t) W), br ((size_t) W), itar ((size_t) W);
    std::vector<float> rr (luts.has_matrix ? (size_t) W : 0), gr (luts.has_matrix ? (size_t) W : 0);
    for (int b = range.start; b < range.end; b++)
      {
        BandAcc &A = acc[(size_t) b];
        A.hist.assign (want_red ? A_BINS : 0, 0);
        int y0, y1;
        band_rows (b, &y0, &y1);
        for (int y = y0; y < y1; y++)
          {
            const uint8_t *px = image->bgr.ptr<uint8_t> (box.y + y) + 3 * box.x;
            const uint8_t *m = mask.empty () ? nullptr : mask.ptr<uint8_t> (y);
            derm::lab_row (px, W, luts, Lr.data (), ar.data (), br.data (),
                           luts.has_matrix ? rr.data () : nullptr, luts.has_matrix ? gr.data () : nullptr);
            {
              uint8_t *g = gbuf.ptr<uint8_t> (y);
              uint64_t clipped = 0;
              for (int x = 0; x < W; x++)
                {
                  g[x] = (uint8_t) ((px[3 * x] * 3735 + px[3 * x + 1] * 19235 + px[3 * x + 2] * 9798 + 16384) >> 15);
                  const uint8_t lo = std::min (px[3 * x], std::min (px[3 * x + 1], px[3 * x + 2]));
                  const uint8_t hi = std::max (px[3 * x], std::max (px[3 * x + 1], px[3 * x + 2]));
                  clipped += (m == nullptr || m[x] != 0) && (lo == 0 || hi == 255);
                }
              A.n_clipped += clipped;
            }
            if (want_tone)
              for (int x = 0; x < W; x++)
                itar[(size_t) x] = ita_deg (Lr[(size_t) x], br[(size_t) x]);
            if (want_tex)
              {
                uint8_t *q = qbuf.ptr<uint8_t> (y);
                const uint8_t *g = gbuf.ptr<uint8_t> (y);
                /* OpenCV 4's COLOR_BGR2GRAY fixed point (15 bits), then 32 levels. */
                for (int x = 0; x < W; x++)
                  q[x] = (uint8_t) (g[x] >> 3);
                if (m != nullptr)
                  for (int x = 0; x < W; x++)
                    q[x] = m[x] ? q[x] : (uint8_t) DERM_GLCM_LEVELS;
              }
            if (!Lbuf.empty ())
              {
                float *L = Lbuf.ptr<float> (y);
                for (int x = 0; x < W; x++)
                  L[x] = (m == nullptr || m[x]) ? Lr[(size_t) x] : 0.0f;
              }

            double sa = 0, sei = 0, sL = 0, sita = 0;
            uint64_t n = 0, nred = 0;
            if (m == nullptr && !luts.has_matrix)
              {
                /* A whole row: the same sums in independent lanes (they
                 * vectorise), the histogram in its own loop */
                n = (uint64_t) W;
                if (want_red)
                  {
                    sa = lane_sum (ar.data (), W);
                    for (int x = 0; x < W; x++)
                      {
                        const float a = ar[(size_t) x];
                        nred += a >= thr;
                        int bin = (int) ((a - (float) A_MIN) * (float) (1.0 / A_BIN));
                        bin = std::min (A_BINS - 1, std::max (0, bin));
                        A.hist[(size_t) bin]++;
                      }
                    float e[8] = { 0 };
                    int x = 0;
                    for (; x + 8 <= W; x += 8)
                      for (int l = 0; l < 8; l++)
                        e[l] += luts.log10_rg[0][px[3 * (x + l) + 2]] - luts.log10_rg[1][px[3 * (x + l) + 1]];
                    for (; x < W; x++)
                      e[0] += luts.log10_rg[0][px[3 * x + 2]] - luts.log10_rg[1][px[3 * x + 1]];
                    for (int l = 0; l < 8; l++)
                      sei += e[l];
                  }
                if (want_tone)
                  {
                    sL = lane_sum (Lr.data (), W);
                    sita = lane_sum (itar.data (), W);
                  }
              }
            else
            for (int x = 0; x < W; x++)
              {
                if (m != nullptr && m[x] == 0)
                  continue;
                n++;
                if (want_red)
                  {
                    float a = ar[(size_t) x];
                    sa += a;
                    nred += a >= thr;
                    int bin = (int) ((a - (float) A_MIN) * (float) (1.0 / A_BIN));
                    bin = std::min (A_BINS - 1, std::max (0, bin));
                    A.hist[(size_t) bin]++;
                    if (luts.has_matrix)
                      sei += std::log10 (std::max (rr[(size_t) x], 1.0f / 4096.0f))
                             - std::log10 (std::max (gr[(size_t) x], 1.0f / 4096.0f));
                    else
                      sei += luts.log10_rg[0][px[3 * x + 2]] - luts.log10_rg[1][px[3 * x + 1]];
                  }
                if (want_tone)
                  {
                    sL += Lr[(size_t) x];
                    sita += itar[(size_t) x];
                  }
              }
            A.n += n;
            A.n_red += nred;
            A.sum_a += sa;
            A.sum_ei += 100.0 * sei;
            A.sum_L += sL;
            A.sum_ita += sita;
          }
      }
  }, n_bands);

  uint64_t n = 0;
  for (const BandAcc &A : acc)
    n += A.n;
  if (n == 0)
    derm::fail (DERM_STATUS_BAD_ROI, "The region contains no pixels.");

  /* Pass 2 */
  const auto offsets = glcm_offsets ();
  cv::Mat rough_kernel, uneven_kernel, maskf;
  std::vector<float> rough_cw, rough_rw, uneven_cw, uneven_rw;
  if (want_tex)
    {
      rough_kernel = gaussian_kernel (s.roughness_sigma);
      rough_cw = edge_weights (rough_kernel, W);
      rough_rw = edge_weights (rough_kernel, H);
    }
  /* The unevenness blur is wide (sigma 8 px: 65 taps) and what it leaves
   * is smooth: over a large region its std is taken at every step-th row
   * and column (cell centres), step = sigma / 2, where the blurred field's
   * response is below 1e-8 (IMAGING.md's value to a relative 1e-3; small
   * regions, where a lattice would miss part of the region, every pixel). */
  int uneven_step = 1;
  if (want_tone)
    {
      const int step = std::max (1, (int) (s.unevenness_sigma / 2.0));
      if (step > 1 && W >= 128 * step && H >= 128 * step)
        uneven_step = step;
    }
  if (want_tone)
    {
      uneven_kernel = gaussian_kernel (s.unevenness_sigma);
      uneven_cw = edge_weights (uneven_kernel, W);
      uneven_rw = edge_weights (uneven_kernel, H);
    }
  if (!mask.empty () && (want_tex || want_tone))
    mask.convertTo (maskf, CV_32F, 1.0 / 255.0);
  /* Sums of squares are taken about the L* mean: without the shift, float
   * row sums would cancel catastrophically. */
  double L_mean = 0;
  for (const BandAcc &A : acc)
    L_mean += A.sum_L;
  const float shift = (float) (L_mean / (double) n);

  /* The Laplacian counts only where its 3x3 footprint is inside the region. */
  cv::Mat lap_mask;
  if (!mask.empty ())
    cv::erode (mask, lap_mask, cv::Mat (), cv::Point (-1, -1), 1, cv::BORDER_CONSTANT, cv::Scalar (0));

  cv::parallel_for_ (cv::Range (0, n_bands), [&] (const cv::Range &range) {
      for (int b = range.start; b < range.end; b++)
        {
          BandAcc &A = acc[(size_t) b];
          int y0, y1;
          band_rows (b, &y0, &y1);
          {
            double ls = 0, lss = 0;
            uint64_t ln = 0;
            for (int y = std::max (1, y0); y < std::min (y1, H - 1); y++)
              {
                const uint8_t *g0 = gbuf.ptr<uint8_t> (y - 1), *g1 = gbuf.ptr<uint8_t> (y), *g2 = gbuf.ptr<uint8_t> (y + 1);
                const uint8_t *lm = lap_mask.empty () ? nullptr : lap_mask.ptr<uint8_t> (y);
                int64_t rs = 0, rss = 0, rn = 0;
                for (int x = 1; x < W - 1; x++)
                  {
                    if (lm != nullptr && lm[x] == 0)
                      continue;
                    int v = g0[x] + g2[x] + g1[x - 1] + g1[x + 1] - 4 * g1[x];
                    rs += v;
                    rss += v * v;
                    rn++;
                  }
                ls += (double) rs;
                lss += (double) rss;
                ln += (uint64_t) rn;
              }
            A.lap_sum += ls;
            A.lap_sumsq += lss;
            A.n_lap += ln;
          }
          if (!(want_tex || want_tone))
            continue;
          if (want_tex)
            {
              A.glcm.assign ((size_t) N_GLCM * QL * QL, 0);
              /* Skin fills few grey levels, so neighbouring pixels mostly
               * hit the same cell: four tables, one per column mod 4,
               * keep the increments from waiting on each other. */
              std::vector<uint32_t> sub ((size_t) 4 * QL * QL);
              for (int k = 0; k < N_GLCM; k++)
                {
                  const int dr = offsets[(size_t) k].dr, dc = offsets[(size_t) k].dc;
                  const int c0 = std::max (0, -dc), c1 = std::min (W, W - dc);
                  std::fill (sub.begin (), sub.end (), 0u);
                  uint32_t *t0 = sub.data (), *t1 = t0 + QL * QL, *t2 = t1 + QL * QL, *t3 = t2 + QL * QL;
                  for (int y = y0; y < std::min (y1, H - dr); y++)
                    {
                      const uint8_t *q0 = qbuf.ptr<uint8_t> (y);
                      const uint8_t *q1 = qbuf.ptr<uint8_t> (y + dr) + dc;
                      int x = c0;
                      for (; x + 4 <= c1; x += 4)
                        {
                          t0[q0[x] * QL + q1[x]]++;
                          t1[q0[x + 1] * QL + q1[x + 1]]++;
                          t2[q0[x + 2] * QL + q1[x + 2]]++;
                          t3[q0[x + 3] * QL + q1[x + 3]]++;
                        }
                      for (; x < c1; x++)
                        t0[q0[x] * QL + q1[x]]++;
                    }
                  uint32_t *g = A.glcm.data () + (size_t) k * QL * QL;
                  for (int i = 0; i < QL * QL; i++)
                    g[i] = t0[i] + t1[i] + t2[i] + t3[i];
                }
            }

          struct Job { bool on; const cv::Mat *kernel; const std::vector<float> *cw, *rw; bool high_pass; float shift; double *sum, *sumsq; uint64_t *count; int step; };
          Job jobs[2] = {
            { want_tex, &rough_kernel, &rough_cw, &rough_rw, true, 0.0f, &A.r_sum, &A.r_sumsq, nullptr, 1 },
            { want_tone, &uneven_kernel, &uneven_cw, &uneven_rw, false, shift, &A.u_sum, &A.u_sumsq, &A.u_n, uneven_step },
          };
          for (const Job &job : jobs)
            {
              if (!job.on)
                continue;
              if (job.step > 1)
                {
                  sampled_blur_stats (Lbuf, maskf, mask, *job.kernel, *job.cw, *job.rw, job.step, y0, y1, job.shift,
                                      job.sum, job.sumsq, job.count);
                  continue;
                }
              cv::Mat num = blur_band (Lbuf, y0, y1, *job.kernel);
              cv::Mat den;
              if (!maskf.empty ())
                den = blur_band (maskf, y0, y1, *job.kernel);
              double sum = 0, sumsq = 0;
              uint64_t count = 0;
              for (int y = y0; y < y1; y++)
                {
                  const float *nu = num.ptr<float> (y - y0);
                  const float *de = den.empty () ? nullptr : den.ptr<float> (y - y0);
                  const float *L = Lbuf.ptr<float> (y);
                  const uint8_t *m = mask.empty () ? nullptr : mask.ptr<uint8_t> (y);
                  const float rw = (*job.rw)[(size_t) y];
                  const float *cw = job.cw->data ();
                  float rs = 0, rss = 0;
                  for (int x = 0; x < W; x++)
                    {
                      if (m != nullptr && m[x] == 0)
                        continue;
                      float d = de != nullptr ? de[x] : rw * cw[x];
                      float v = nu[x] / d;
                      v = job.high_pass ? L[x] - v : v - job.shift;
                      rs += v;
                      rss += v * v;
                      count++;
                    }
                  sum += rs;
                  sumsq += rss;
                }
              *job.sum += sum;
              *job.sumsq += sumsq;
              if (job.count != nullptr)
                *job.count += count;
            }
        }
  }, n_bands);

  /* Merge */
  out->version = DERM_IMAGING_ALGORITHM_VERSION;
  out->settings = s;
  out->n_pixels = n;
  for (int c = 0; c < 3; c++)
    out->gains[c] = luts.gains[c];
  for (int i = 0; i < 9; i++)
    out->matrix[i] = luts.matrix[i];
  out->has_chart = luts.has_chart;
  out->chart = luts.chart;
  uint64_t n_clipped = 0, n_lap = 0;
  double lap_sum = 0, lap_sumsq = 0;
  for (const BandAcc &A : acc)
    {
      n_clipped += A.n_clipped;
      n_lap += A.n_lap;
      lap_sum += A.lap_sum;
      lap_sumsq += A.lap_sumsq;
    }
  out->quality.clipped_pct = 100.0 * (double) n_clipped / (double) n;
  if (n_lap > 0)
    {
      const double lm = lap_sum / (double) n_lap;
      out->quality.sharpness = std::max (0.0, lap_sumsq / (double) n_lap - lm * lm);
    }
  else
    out->quality.sharpness = 0.0;
  double sum_a = 0, sum_ei = 0, sum_L = 0, sum_ita = 0, r_sum = 0, r_sumsq = 0, u_sum = 0, u_sumsq = 0;
  uint64_t n_red = 0, u_n = 0;
  for (const BandAcc &A : acc)
    {
      sum_a += A.sum_a; sum_ei += A.sum_ei; sum_L += A.sum_L; sum_ita += A.sum_ita;
      r_sum += A.r_sum; r_sumsq += A.r_sumsq; u_sum += A.u_sum; u_sumsq += A.u_sumsq;
      n_red += A.n_red;
      u_n += A.u_n;
    }
  const double nd = (double) n;
  auto stddev = [nd] (double sum, double sumsq) {
    double mean = sum / nd;
    return std::sqrt (std::max (0.0, sumsq / nd - mean * mean));
  };

  out->redness = DermRednessMetrics {};
  if (want_red)
    {
      std::vector<uint64_t> hist (A_BINS, 0);
      for (const BandAcc &A : acc)
        for (int i = 0; i < A_BINS; i++)
          hist[(size_t) i] += A.hist[(size_t) i];
      out->redness.a_mean = sum_a / nd;
      out->redness.a_median = hist_percentile (hist, n, 0.5);
      out->redness.a_p90 = hist_percentile (hist, n, 0.9);
      out->redness.ei_mean = sum_ei / nd;
      out->redness.red_area_pct = 100.0 * (double) n_red / nd;
    }
  out->tone = DermToneMetrics {};
  if (want_tone)
    {
      out->tone.l_mean = sum_L / nd;
      out->tone.ita_mean = sum_ita / nd;
      out->tone.ita_class = ita_class (out->tone.ita_mean);
      const double un = (double) std::max<uint64_t> (1, u_n);
      const double u_mean = u_sum / un;
      out->tone.l_unevenness = std::sqrt (std::max (0.0, u_sumsq / un - u_mean * u_mean));
    }
  out->texture = DermTextureMetrics {};
  if (want_tex)
    {
      std::vector<uint64_t> counts ((size_t) N_GLCM * QL * QL, 0);
      for (const BandAcc &A : acc)
        for (size_t i = 0; i < counts.size (); i++)
          counts[i] += A.glcm[i];
      glcm_properties (counts, &out->texture);
      out->texture.roughness = stddev (r_sum, r_sumsq);
    }
}

DermAnalysisSettings
settings_or_default (const DermAnalysisSettings *settings)
{
  DermAnalysisSettings s;
  if (settings != nullptr)
    s = *settings;
  else
    derm_analysis_settings_init (&s);
  derm::validate_settings (&s);
  return s;
}

/* Jacobian of @H at @p (after pixels): rotation and scale. */
void
geometry_at (const cv::Matx33d &H, cv::Point2d p, DermPairGeometry *g)
{
  const double w = H (2, 0) * p.x + H (2, 1) * p.y + H (2, 2);
  const cv::Point2d q = derm::apply_h (H, p);
  double J[2][2];
  for (int r = 0; r < 2; r++)
    {
      const double t = r == 0 ? q.x : q.y;
      J[r][0] = (H (r, 0) - t * H (2, 0)) / w;
      J[r][1] = (H (r, 1) - t * H (2, 1)) / w;
    }
  *g = DermPairGeometry {};
  g->scale = std::sqrt (std::fabs (J[0][0] * J[1][1] - J[0][1] * J[1][0]));
  /* H undoes the after photo's rotation: the photo turned by minus its angle. */
  g->rotation_deg = -std::atan2 (J[1][0] - J[0][1], J[0][0] + J[1][1]) * 180.0 / M_PI;
  g->common_scale = 1.0;
}

cv::Matx33d
matx (const double h[9])
{
  return cv::Matx33d (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]);
}

std::vector<cv::Point2d>
map_poly (const cv::Matx33d &H, const std::vector<cv::Point2d> &poly)
{
  std::vector<cv::Point2d> out;
  out.reserve (poly.size ());
  for (const cv::Point2d &p : poly)
    out.push_back (derm::apply_h (H, p));
  return out;
}

/* Intersects @r with @image's valid area; throws when nothing is left. */
void
restrict_to_valid (const DermImage *image, derm::Region &r)
{
  if (!image->valid.empty ())
    cv::bitwise_and (r.mask, image->valid (r.box), r.mask);
  cv::Rect inner = cv::boundingRect (r.mask);
  if (inner.empty ())
    derm::fail (DERM_STATUS_BAD_ROI, "The region contains no usable pixels (outside the area both photos cover).");
  r.mask = r.mask (inner).clone ();
  r.box = cv::Rect (r.box.x + inner.x, r.box.y + inner.y, inner.width, inner.height);
  if (cv::countNonZero (r.mask) == r.box.area ())
    r.mask.release ();
}

/* Resamples @image through @T (image pixels -> target pixels) into the
 * @box of the target grid, after a Gaussian that brings every photo to the
 * same blur in target pixels: @k target pixels per image pixel. */
DermImage
resample_into (const DermImage *image, const cv::Matx33d &T, double k, cv::Rect box)
{
  /* Total blur in target pixels, and the blur a photo already has in its
   * own pixels (sensor, demosaicing, JPEG): what each photo lacks is added. */
  constexpr double TARGET_SIGMA = 1.0, OWN_SIGMA = 0.5;
  const double add_target = std::sqrt (std::max (0.0, TARGET_SIGMA * TARGET_SIGMA - OWN_SIGMA * OWN_SIGMA * k * k));
  const double sigma = add_target / k;
  /* Only the source pixels the box needs, with a halo for the blur and the kernel. */
  const cv::Matx33d Ti = T.inv ();
  std::vector<cv::Point2f> c;
  for (cv::Point2d p : { cv::Point2d (box.x - 1, box.y - 1), cv::Point2d (box.x + box.width, box.y - 1),
                         cv::Point2d (box.x + box.width, box.y + box.height), cv::Point2d (box.x - 1, box.y + box.height) })
    {
      cv::Point2d q = derm::apply_h (Ti, p);
      c.emplace_back ((float) q.x, (float) q.y);
    }
  const int halo = (int) std::ceil (4.0 * sigma) + 4;
  cv::Rect src = cv::boundingRect (c);
  src.x -= halo, src.y -= halo, src.width += 2 * halo, src.height += 2 * halo;
  src &= cv::Rect (0, 0, image->bgr.cols, image->bgr.rows);
  if (src.empty ())
    derm::fail (DERM_STATUS_BAD_ROI, "The region lies outside the after photo.");
  cv::Mat blurred;
  cv::GaussianBlur (image->bgr (src), blurred, cv::Size (0, 0), sigma, sigma, cv::BORDER_REFLECT);
  const cv::Matx33d M = cv::Matx33d (1, 0, -box.x, 0, 1, -box.y, 0, 0, 1) * T * cv::Matx33d (1, 0, src.x, 0, 1, src.y, 0, 0, 1);
  DermImage out;
  /* The coarser photo is usually already on the target grid (T a whole-pixel
   * shift): cubic interpolation at whole pixels returns the pixels, so the
   * blurred pixels are taken as they are instead of warping 24 MP for nothing. */
  const int tx = (int) std::lround (M (0, 2)), ty = (int) std::lround (M (1, 2));
  if (M (0, 0) == 1.0 && M (0, 1) == 0.0 && M (1, 0) == 0.0 && M (1, 1) == 1.0 && M (2, 0) == 0.0 && M (2, 1) == 0.0
      && M (2, 2) == 1.0 && M (0, 2) == (double) tx && M (1, 2) == (double) ty
      && cv::Rect (-tx, -ty, box.width, box.height) == (cv::Rect (-tx, -ty, box.width, box.height) & cv::Rect (0, 0, blurred.cols, blurred.rows)))
    {
      out.bgr = blurred (cv::Rect (-tx, -ty, box.width, box.height));
      return out;
    }
  cv::warpPerspective (blurred, out.bgr, M, box.size (), cv::INTER_CUBIC, cv::BORDER_REFLECT);
  return out;
}

} /* namespace */

extern "C" int
derm_analyze (const DermImage            *image,
              const DermRoi              *roi,
              const DermAnalysisSettings *settings,
              DermAnalysis              **out,
              DermError                  *err)
{
  return derm::guard (err, [&] () {
    if (image == nullptr || out == nullptr)
      derm::bug ("derm_analyze: NULL argument.");
    *out = nullptr;
    DermAnalysisSettings s = settings_or_default (settings);
    derm::Region region = derm::resolve_region (image, roi, nullptr);
    const derm::LinearLuts luts = derm::make_luts (image, s, nullptr);
    auto a = std::make_unique<DermAnalysis> ();
    analyze_region (image, region, s, luts, a.get ());
    *out = a.release ();
    return (int) DERM_STATUS_OK;
  });
}

extern "C" void
derm_pair_geometry_at (const double h[9], double x, double y, DermPairGeometry *out)
{
  if (h == nullptr || out == nullptr)
    return;
  const cv::Matx33d H = matx (h);
  geometry_at (H, derm::apply_h (H.inv (), cv::Point2d (x, y)), out);
}

extern "C" int
derm_analyze_pair (const DermImage            *before,
                   const DermImage            *after,
                   const double                h[9],
                   const DermRoi              *roi,
                   const DermAnalysisSettings *settings,
                   DermAnalysis              **out_before,
                   DermAnalysis              **out_after,
                   DermPairGeometry           *geometry,
                   DermError                  *err)
{
  return derm::guard (err, [&] () {
    if (before == nullptr || after == nullptr || h == nullptr || out_before == nullptr || out_after == nullptr)
      derm::bug ("derm_analyze_pair: NULL argument.");
    *out_before = *out_after = nullptr;
    for (int i = 0; i < 9; i++)
      if (!std::isfinite (h[i]))
        derm::fail (DERM_STATUS_INVALID_ARGUMENT, "The alignment contains a non-finite value.");
    const cv::Matx33d H = matx (h);
    if (std::fabs (cv::determinant (H)) < 1e-12)
      derm::fail (DERM_STATUS_INVALID_ARGUMENT, "The alignment is singular.");
    const cv::Matx33d Hi = H.inv ();
    DermAnalysisSettings s = settings_or_default (settings);

    /* The region in the before photo, as the user drew it (this also
     * reports a bad ROI with its reason), and the same skin in the after photo. */
    derm::Region drawn = derm::resolve_region (before, roi, nullptr);
    const std::vector<cv::Point2d> outline = derm::roi_outline (before, roi);
    const std::vector<cv::Point2d> frame_b = derm::roi_outline (before, nullptr);
    const std::vector<cv::Point2d> frame_a = derm::roi_outline (after, nullptr);

    DermPairGeometry geo;
    const cv::Point2d centre (drawn.box.x + 0.5 * (drawn.box.width - 1), drawn.box.y + 0.5 * (drawn.box.height - 1));
    geometry_at (H, derm::apply_h (Hi, centre), &geo);

    const derm::LinearLuts luts_b = derm::make_luts (before, s, nullptr);
    const derm::LinearLuts luts_a = derm::make_luts (after, s, &Hi);
    auto a = std::make_unique<DermAnalysis> ();
    auto b = std::make_unique<DermAnalysis> ();

    if (std::fabs (geo.scale - 1.0) <= DERM_PAIR_MAX_SCALE_DIFFERENCE)
      {
        /* Each photo in its own pixels: no resampling, so no low-pass
         * applied to one photo only (IMAGING.md, texture). */
        derm::Region rb = derm::region_from_polygons (before->bgr.size (), { outline, map_poly (H, frame_a), frame_b });
        derm::Region ra = derm::region_from_polygons (after->bgr.size (), { map_poly (Hi, outline), map_poly (Hi, frame_b), frame_a });
        if (!drawn.mask.empty ())
          {
            /* A polygon's pixels exactly as a single analysis counts them */
            cv::Mat m = cv::Mat::zeros (rb.box.size (), CV_8UC1);
            cv::Rect both = rb.box & drawn.box;
            if (!both.empty ())
              drawn.mask (both - drawn.box.tl ()).copyTo (m (both - rb.box.tl ()));
            cv::bitwise_and (rb.mask, m, rb.mask);
          }
        restrict_to_valid (before, rb);
        restrict_to_valid (after, ra);
        analyze_region (before, rb, s, luts_b, a.get ());
        analyze_region (after, ra, s, luts_a, b.get ());
      }
    else
      {
        /* Scales differ: both photos through the same filter to the
         * coarser photo's scale, in the before photo's orientation. */
        const double f = std::min (1.0, 1.0 / geo.scale);   /* target px per before px */
        const cv::Matx33d Tb (f, 0, 0.5 * f - 0.5, 0, f, 0.5 * f - 0.5, 0, 0, 1);
        const cv::Matx33d Ta = Tb * H;
        const cv::Size tsize ((int) std::ceil (before->bgr.cols * f), (int) std::ceil (before->bgr.rows * f));
        derm::Region rt = derm::region_from_polygons (tsize, { map_poly (Tb, outline), map_poly (Ta, frame_a), map_poly (Tb, frame_b) });
        if (cv::countNonZero (rt.mask) == 0)
          derm::fail (DERM_STATUS_BAD_ROI, "The region lies outside the area both photos cover.");
        DermImage ib = resample_into (before, Tb, f, rt.box);
        DermImage ia = resample_into (after, Ta, f * geo.scale, rt.box);
        derm::Region local;
        local.box = cv::Rect (0, 0, rt.box.width, rt.box.height);
        local.mask = rt.mask;
        restrict_to_valid (&ib, local);
        analyze_region (&ib, local, s, luts_b, a.get ());
        analyze_region (&ia, local, s, luts_a, b.get ());
        geo.resampled = 1;
        geo.common_scale = f;
      }
    if (geometry != nullptr)
      *geometry = geo;
    *out_before = a.release ();
    *out_after = b.release ();
    return (int) DERM_STATUS_OK;
  });
}

extern "C" void
derm_analysis_free (DermAnalysis *analysis)
{
  delete analysis;
}

extern "C" int
derm_analysis_get_algorithm_version (const DermAnalysis *a)
{
  return a != nullptr ? a->version : 0;
}

extern "C" void
derm_analysis_get_settings (const DermAnalysis *a, DermAnalysisSettings *s)
{
  if (a != nullptr && s != nullptr)
    *s = a->settings;
}

extern "C" uint64_t
derm_analysis_get_pixel_count (const DermAnalysis *a)
{
  return a != nullptr ? a->n_pixels : 0;
}

extern "C" void
derm_analysis_get_wb_gains (const DermAnalysis *a, double gains[3])
{
  if (a != nullptr && gains != nullptr)
    for (int c = 0; c < 3; c++)
      gains[c] = a->gains[c];
}

extern "C" void
derm_analysis_get_redness (const DermAnalysis *a, DermRednessMetrics *out)
{
  if (a != nullptr && out != nullptr)
    *out = a->redness;
}

extern "C" void
derm_analysis_get_tone (const DermAnalysis *a, DermToneMetrics *out)
{
  if (a != nullptr && out != nullptr)
    *out = a->tone;
}

extern "C" void
derm_analysis_get_texture (const DermAnalysis *a, DermTextureMetrics *out)
{
  if (a != nullptr && out != nullptr)
    *out = a->texture;
}

extern "C" void
derm_analysis_get_quality (const DermAnalysis *a, DermQualityMetrics *out)
{
  if (a != nullptr && out != nullptr)
    *out = a->quality;
}

extern "C" void
derm_analysis_get_colour_matrix (const DermAnalysis *a, double matrix[9])
{
  if (a != nullptr && matrix != nullptr)
    for (int i = 0; i < 9; i++)
      matrix[i] = a->matrix[i];
}

extern "C" int
derm_analysis_get_chart_fit (const DermAnalysis *a, DermChartFit *out)
{
  if (a == nullptr || !a->has_chart)
    return 0;
  if (out != nullptr)
    *out = a->chart;
  return 1;
}

/* derm-imaging-private.hpp
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the imaging sources share and the public header hides: the handle
 * structs, error plumbing, ROI masks and the sRGB -> L*a*b* kernel.
 */
#pragma once

#include "derm-imaging.h"

#include <opencv2/core.hpp>

#include <cstdarg>
#include <exception>
#include <string>
#include <vector>

struct jpeg_decompress_struct;  /* jpeglib.h: j_decompress_ptr */

struct _DermImage
{
  cv::Mat bgr;    /* CV_8UC3 */
  cv::Mat valid;  /* CV_8UC1, non-zero where the pixel is real; empty: every pixel */
};

struct _DermAnalysis
{
  int                  version;
  DermAnalysisSettings settings;
  uint64_t             n_pixels;
  double               gains[3];
  DermRednessMetrics   redness;
  DermToneMetrics      tone;
  DermTextureMetrics   texture;
  DermQualityMetrics   quality;
  double               matrix[9];
  bool                 has_chart;
  DermChartFit         chart;
};

namespace derm {

/* The only exception the library throws on purpose; turned into a status at
 * the C boundary by guard(). */
class Failure : public std::exception
{
public:
  Failure (int code, std::string message, const char *format = nullptr, std::vector<std::string> args = {})
    : code_ (code), message_ (std::move (message)), format_ (format), args_ (std::move (args)) {}
  const char *what () const noexcept override { return message_.c_str (); }
  int code () const noexcept { return code_; }
  const char *format () const noexcept { return format_; }
  const std::vector<std::string> &args () const noexcept { return args_; }
private:
  int                      code_;
  std::string              message_;
  const char              *format_;
  std::vector<std::string> args_;
};

/* Marks a string literal for the translation catalogue (xgettext keyword
 * DERM_N_) without translating it: imaging knows nothing of gettext, the app
 * translates the message where it enters app/ (derm_imaging_error_message). */
#define DERM_N_(s) (s)

/* Throws a Failure. @format must be a string literal: it is extracted into
 * the catalogue (xgettext keyword fail:2) and kept, with each argument
 * formatted on its own, so that the app can show the message translated. */
[[noreturn]] void fail (int code, const char *format, ...) __attribute__ ((format (printf, 2, 3)));
/* A programmer error (NULL handle, bad arguments): not for translation. */
[[noreturn]] void bug (const char *what);
void set_error (DermError *err, int code, const char *message, const char *format = nullptr,
                const std::vector<std::string> *args = nullptr);

/* Runs @body, mapping every exception to a status and a message in @err. */
template <typename F>
int
guard (DermError *err, F &&body) noexcept
{
  try
    {
      int status = body ();
      if (status == DERM_STATUS_OK)
        set_error (err, DERM_STATUS_OK, "");
      return status;
    }
  catch (const Failure &e)
    {
      set_error (err, e.code (), e.what (), e.format (), &e.args ());
      return e.code ();
    }
  catch (const cv::Exception &e)
    {
      std::string msg = "Image processing failed: " + e.msg;
      std::vector<std::string> args = { e.msg };
      set_error (err, e.code == cv::Error::StsNoMem ? DERM_STATUS_NO_MEMORY : DERM_STATUS_INTERNAL,
                 msg.c_str (), DERM_N_("Image processing failed: %s"), &args);
      return e.code == cv::Error::StsNoMem ? DERM_STATUS_NO_MEMORY : DERM_STATUS_INTERNAL;
    }
  catch (const std::bad_alloc &)
    {
      set_error (err, DERM_STATUS_NO_MEMORY, "Not enough memory for this image; close other applications and try again.",
                 DERM_N_("Not enough memory for this image; close other applications and try again."));
      return DERM_STATUS_NO_MEMORY;
    }
  catch (const std::exception &e)
    {
      std::string msg = std::string ("Internal error: ") + e.what ();
      std::vector<std::string> args = { e.what () };
      set_error (err, DERM_STATUS_INTERNAL, msg.c_str (), DERM_N_("Internal error: %s"), &args);
      return DERM_STATUS_INTERNAL;
    }
  catch (...)
    {
      set_error (err, DERM_STATUS_INTERNAL, "Internal error.", DERM_N_("Internal error."));
      return DERM_STATUS_INTERNAL;
    }
}

/* A region resolved against an image: its bounding box, and a CV_8UC1 mask
 * of the box's size (empty when every pixel of the box counts). */
struct Region
{
  cv::Rect box;
  cv::Mat  mask;
};

/* Resolves @roi (nullable: whole image) against @image, intersected with the
 * image's valid area and @extra_valid (nullable). Throws DERM_STATUS_BAD_ROI
 * for an empty ROI, one outside the image, or a polygon of < 3 points or
 * without area (repeated or collinear points). */
Region resolve_region (const DermImage *image, const DermRoi *roi, const cv::Mat *extra_valid);
/* The outline of @roi in @image's pixels (whole: the frame), as a polygon. */
std::vector<cv::Point2d> roi_outline (const DermImage *image, const DermRoi *roi);
/* A region of @size from polygons, each filled at 1/256 px precision; a
 * pixel counts when its centre is inside every one of them. */
Region region_from_polygons (cv::Size size, const std::vector<std::vector<cv::Point2d>> &polys);
cv::Point2d apply_h (const cv::Matx33d &H, cv::Point2d p);

/* Per-channel lookup tables from 8-bit sRGB to white-balanced linear RGB. */
struct LinearLuts
{
  float lin[3][256];   /* B, G, R order, as OpenCV stores pixels; clipped to [0, 1] */
  float log10_rg[2][256]; /* log10 of linear R (0) and G (1), clamped below at 1/4096 */
  double gains[3];     /* R, G, B */
  /* DERM_WB_CHART: lin holds plain linear values, and this matrix (R, G, B
   * rows) is applied per pixel, the result clipped to [0, 1]. */
  bool   has_matrix = false;
  float  m[9];
  double matrix[9];    /* the matrix applied, gains on the diagonal otherwise */
  bool   has_chart = false;
  DermChartFit chart;
};

double srgb_to_linear (double v);
/* The white balance of @settings for @image: grey world over its whole
 * valid frame, the patch, or the chart. @from_before (nullable) maps
 * before-photo pixels into @image's pixels: the patch and hand-marked chart
 * corners of @settings are given in the before photo and mapped through it. */
LinearLuts make_luts (const DermImage *image, const DermAnalysisSettings &settings, const cv::Matx33d *from_before);

/* sRGB pixels (BGR order) to L*, a*, b* as skimage.color.rgb2lab does (D65,
 * 2 degrees), in float, into @n floats each of @L, @a, @b; with a matrix,
 * also the corrected linear R and G into @r and @g when not null. */
void lab_row (const uint8_t *bgr, int n, const LinearLuts &luts, float *L, float *a, float *b,
              float *r = nullptr, float *g = nullptr);

/* derm-chart.cpp: fits the chart of @s in @image (corners mapped by
 * @from_before when hand-marked); fills @fit and the row-major matrix. */
void chart_fit (const DermImage *image, const DermAnalysisSettings &s, const cv::Matx33d *from_before,
                DermChartFit *fit, double matrix[9]);

void validate_settings (const DermAnalysisSettings *settings);

/* derm-jpeg-dc.cpp: the 1/8 scale decode of a baseline JPEG whose header
 * @cinfo has read, from the scan data at @scan, into @out (CV_8UC3): BGR, or
 * with @ycc the Y, Cb, Cr samples before colour conversion (greyscale: Y in
 * all three). False when it does not handle the file or the data is not
 * clean, which is then decoded with libjpeg. */
bool decode_jpeg_dc (jpeg_decompress_struct *cinfo, const uint8_t *scan, size_t scan_len, cv::Mat &out,
                     bool ycc = false);

/* derm-codec.cpp: writes @m (CV_8UC3 BGR or CV_8UC4 BGRA) to @path as PNG. */
void save_png (const cv::Mat &m, const char *path);

} /* namespace derm */

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
};

namespace derm {

/* The only exception the library throws on purpose; turned into a status at
 * the C boundary by guard(). */
class Failure : public std::exception
{
public:
  Failure (int code, std::string message) : code_ (code), message_ (std::move (message)) {}
  const char *what () const noexcept override { return message_.c_str (); }
  int code () const noexcept { return code_; }
private:
  int         code_;
  std::string message_;
};

[[noreturn]] void fail (int code, const char *format, ...) __attribute__ ((format (printf, 2, 3)));
void set_error (DermError *err, int code, const char *message);

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
      set_error (err, e.code (), e.what ());
      return e.code ();
    }
  catch (const cv::Exception &e)
    {
      std::string msg = "Image processing failed: " + e.msg;
      set_error (err, e.code == cv::Error::StsNoMem ? DERM_STATUS_NO_MEMORY : DERM_STATUS_INTERNAL,
                 msg.c_str ());
      return e.code == cv::Error::StsNoMem ? DERM_STATUS_NO_MEMORY : DERM_STATUS_INTERNAL;
    }
  catch (const std::bad_alloc &)
    {
      set_error (err, DERM_STATUS_NO_MEMORY, "Not enough memory for this image; close other applications and try again.");
      return DERM_STATUS_NO_MEMORY;
    }
  catch (const std::exception &e)
    {
      std::string msg = std::string ("Internal error: ") + e.what ();
      set_error (err, DERM_STATUS_INTERNAL, msg.c_str ());
      return DERM_STATUS_INTERNAL;
    }
  catch (...)
    {
      set_error (err, DERM_STATUS_INTERNAL, "Internal error.");
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
 * for an empty ROI, one outside the image, or a polygon of < 3 points. */
Region resolve_region (const DermImage *image, const DermRoi *roi, const cv::Mat *extra_valid);

/* Per-channel lookup tables from 8-bit sRGB to white-balanced linear RGB. */
struct LinearLuts
{
  float lin[3][256];   /* B, G, R order, as OpenCV stores pixels; clipped to [0, 1] */
  float log10_rg[2][256]; /* log10 of linear R (0) and G (1), clamped below at 1/4096 */
  double gains[3];     /* R, G, B */
};

double srgb_to_linear (double v);
/* Computes the white-balance gains of @settings over @region of @image. */
LinearLuts make_luts (const DermImage *image, const Region &region, const DermAnalysisSettings &settings);

/* sRGB pixels (BGR order) to L*, a*, b* as skimage.color.rgb2lab does (D65,
 * 2 degrees), in float, into @n floats each of @L, @a, @b. */
void lab_row (const uint8_t *bgr, int n, const LinearLuts &luts, float *L, float *a, float *b);

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

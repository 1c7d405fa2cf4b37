/* derm-image.cpp
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Images from pixels, their pixels back, and warping. Files are read and
 * written in derm-codec.cpp.
 */
#include "derm-imaging-private.hpp"
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdint>
#include <memory>

extern "C" int
derm_image_new_from_rgb (int            width,
                         int            height,
                         const uint8_t *rgb,
                         size_t         stride,
                         DermImage    **out,
                         DermError     *err)
{
  return derm::guard (err, [&] () {
    if (out == nullptr || rgb == nullptr || width <= 0 || height <= 0 || stride < (size_t) width * 3)
      derm::bug ("derm_image_new_from_rgb: bad argument.");
    *out = nullptr;
    if ((uint64_t) width * (uint64_t) height > DERM_IMAGING_MAX_PIXELS)
      derm::fail (DERM_STATUS_TOO_LARGE, "The image is %dx%d pixels, over the 100 megapixel limit.", width, height);
    if (width < DERM_IMAGING_MIN_SIDE || height < DERM_IMAGING_MIN_SIDE)
      derm::fail (DERM_STATUS_TOO_SMALL, "The image is only %dx%d pixels; at least %dx%d are needed.",
                  width, height, DERM_IMAGING_MIN_SIDE, DERM_IMAGING_MIN_SIDE);
    auto img = std::make_unique<DermImage> ();
    cv::Mat src (height, width, CV_8UC3, const_cast<uint8_t *> (rgb), stride);
    cv::cvtColor (src, img->bgr, cv::COLOR_RGB2BGR);
    *out = img.release ();
    return (int) DERM_STATUS_OK;
  });
}

extern "C" void
derm_image_free (DermImage *image)
{
  delete image;
}

extern "C" int
derm_image_get_width (const DermImage *image)
{
  return image != nullptr ? image->bgr.cols : 0;
}

extern "C" int
derm_image_get_height (const DermImage *image)
{
  return image != nullptr ? image->bgr.rows : 0;
}

extern "C" void
derm_image_copy_rgb (const DermImage *image,
                     uint8_t         *rgb,
                     size_t           stride)
{
  if (image == nullptr || rgb == nullptr)
    return;
  try
    {
      cv::Mat dst (image->bgr.rows, image->bgr.cols, CV_8UC3, rgb, stride);
      cv::cvtColor (image->bgr, dst, cv::COLOR_BGR2RGB);
    }
  catch (...)
    {
      /* Only reachable on a bad stride, a programmer error; nothing to report through. */
    }
}

extern "C" void
derm_image_copy_texture_levels (const DermImage *image,
                                uint8_t         *levels)
{
  if (image == nullptr || levels == nullptr)
    return;
  try
    {
      cv::Mat dst (image->bgr.rows, image->bgr.cols, CV_8UC1, levels);
      cv::cvtColor (image->bgr, dst, cv::COLOR_BGR2GRAY);
      for (int y = 0; y < dst.rows; y++)
        {
          uint8_t *p = dst.ptr<uint8_t> (y);
          for (int x = 0; x < dst.cols; x++)
            p[x] >>= 3;
        }
    }
  catch (...)
    {
    }
}

extern "C" int
derm_image_warp (const DermImage *image,
                 const double     h[9],
                 int              width,
                 int              height,
                 DermImage      **out,
                 DermError       *err)
{
  return derm::guard (err, [&] () {
    if (image == nullptr || h == nullptr || out == nullptr || width <= 0 || height <= 0)
      derm::bug ("derm_image_warp: bad argument.");
    *out = nullptr;
    if ((uint64_t) width * (uint64_t) height > DERM_IMAGING_MAX_PIXELS)
      derm::fail (DERM_STATUS_TOO_LARGE, "The output would be over the 100 megapixel limit.");
    if (width < DERM_IMAGING_MIN_SIDE || height < DERM_IMAGING_MIN_SIDE)
      derm::fail (DERM_STATUS_TOO_SMALL, "The output would be smaller than %dx%d.", DERM_IMAGING_MIN_SIDE, DERM_IMAGING_MIN_SIDE);
    cv::Matx33d H (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]);
    for (int i = 0; i < 9; i++)
      if (!std::isfinite (h[i]))
        derm::fail (DERM_STATUS_INVALID_ARGUMENT, "The transform contains a non-finite value.");
    if (std::fabs (cv::determinant (H)) < 1e-12)
      derm::fail (DERM_STATUS_INVALID_ARGUMENT, "The transform is singular.");

    auto img = std::make_unique<DermImage> ();
    const cv::Size size (width, height);
    cv::warpPerspective (image->bgr, img->bgr, H, size, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all (0));

    /* A pixel is real only if its whole bilinear footprint was: the
     * source's valid area warped with the same interpolation stays at 255
     * only where no weight fell on an unreal pixel or outside the photo,
     * also at the edges of the output frame. */
    cv::Mat src_valid = image->valid.empty ()
      ? cv::Mat (image->bgr.size (), CV_8UC1, cv::Scalar (255)) : image->valid;
    cv::Mat footprint;
    cv::warpPerspective (src_valid, footprint, H, size, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar (0));
    cv::compare (footprint, 255, img->valid, cv::CMP_GE);
    if (cv::countNonZero (img->valid) == 0)
      derm::fail (DERM_STATUS_BAD_ROI, "The transformed image does not cover the output at all.");
    *out = img.release ();
    return (int) DERM_STATUS_OK;
  });
}

/* derm-image.cpp
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loading (with the pixel count checked from the header before any decode),
 * saving and warping images.
 */
#include "derm-imaging-private.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <strings.h>

namespace {

enum class Format { JPEG, PNG };

struct Header
{
  Format   format;
  uint64_t width;
  uint64_t height;
};

inline uint32_t
be16 (const uint8_t *p)
{
  return (uint32_t) p[0] << 8 | p[1];
}

inline uint32_t
be32 (const uint8_t *p)
{
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

/* Walks the JPEG segments up to the first scan: the frame header gives the
 * size; an end-of-image marker must follow the scan, or the file is truncated. */
Header
read_jpeg_header (const uint8_t *d, size_t n)
{
  Header h { Format::JPEG, 0, 0 };
  size_t pos = 2;
  bool have_sof = false;

  for (;;)
    {
      while (pos < n && d[pos] == 0xFF)
        pos++;
      if (pos >= n)
        derm::fail (DERM_STATUS_CORRUPT, "The JPEG file is truncated (it ends inside its header).");
      uint8_t marker = d[pos++];
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
        continue;
      if (marker == 0xD9)
        derm::fail (DERM_STATUS_CORRUPT, "The JPEG file contains no image data.");
      if (pos + 2 > n)
        derm::fail (DERM_STATUS_CORRUPT, "The JPEG file is truncated (it ends inside its header).");
      uint32_t len = be16 (d + pos);
      if (len < 2 || pos + len > n)
        derm::fail (DERM_STATUS_CORRUPT, "The JPEG file is truncated or damaged (bad segment length).");
      bool is_sof = (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC);
      if (is_sof)
        {
          if (len < 8)
            derm::fail (DERM_STATUS_CORRUPT, "The JPEG file has a damaged frame header.");
          h.height = be16 (d + pos + 3);
          h.width = be16 (d + pos + 5);
          have_sof = true;
        }
      pos += len;
      if (marker == 0xDA)
        break;
    }
  if (!have_sof)
    derm::fail (DERM_STATUS_CORRUPT, "The JPEG file has no frame header.");

  /* Inside entropy-coded data 0xFF is always followed by 0x00 or a restart
   * marker, so 0xFF 0xD9 after the first scan is the end of the image. */
  const uint8_t *p = d + pos;
  const uint8_t *end = d + n;
  bool have_eoi = false;
  while (p + 1 < end)
    {
      const uint8_t *ff = static_cast<const uint8_t *> (std::memchr (p, 0xFF, (size_t) (end - p - 1)));
      if (ff == nullptr)
        break;
      if (ff[1] == 0xD9)
        {
          have_eoi = true;
          break;
        }
      p = ff + 1;
    }
  if (!have_eoi)
    derm::fail (DERM_STATUS_CORRUPT, "The JPEG file is truncated: its image data ends early. Copy it again from the camera.");
  return h;
}

Header
read_png_header (const uint8_t *d, size_t n)
{
  if (n < 33 || std::memcmp (d + 12, "IHDR", 4) != 0 || be32 (d + 8) != 13)
    derm::fail (DERM_STATUS_CORRUPT, "The PNG file is truncated or damaged (no image header).");
  return Header { Format::PNG, be32 (d + 16), be32 (d + 20) };
}

Header
read_header (const uint8_t *d, size_t n)
{
  static const uint8_t png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
  Header h;
  if (n == 0)
    derm::fail (DERM_STATUS_CORRUPT, "The file is empty.");
  if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
    h = read_jpeg_header (d, n);
  else if (n >= 8 && std::memcmp (d, png_sig, 8) == 0)
    h = read_png_header (d, n);
  else
    derm::fail (DERM_STATUS_UNSUPPORTED, "This is not a JPEG or PNG image.");

  if (h.width == 0 || h.height == 0)
    derm::fail (DERM_STATUS_CORRUPT, "The image header gives a size of %llux%llu.",
                (unsigned long long) h.width, (unsigned long long) h.height);
  if (h.width * h.height > DERM_IMAGING_MAX_PIXELS)
    derm::fail (DERM_STATUS_TOO_LARGE, "The image is %llux%llu pixels, over the 100 megapixel limit; export it at a smaller size.",
                (unsigned long long) h.width, (unsigned long long) h.height);
  /* Deflate cannot expand more than 1032:1 (and a pixel is at least one bit);
   * a JPEG needs some bits per 8x8 block. A header claiming far more pixels
   * than the data could hold is a damaged file or a bomb: refuse it before
   * the decoder allocates for it. */
  const uint64_t max_ratio = h.format == Format::PNG ? 8300 : 4096;
  if (h.width * h.height > max_ratio * (uint64_t) n)
    derm::fail (DERM_STATUS_CORRUPT, "The %s file is too short for the %llux%llu pixels its header claims; it is damaged.",
                h.format == Format::PNG ? "PNG" : "JPEG", (unsigned long long) h.width, (unsigned long long) h.height);
  if (h.width < DERM_IMAGING_MIN_SIDE || h.height < DERM_IMAGING_MIN_SIDE)
    derm::fail (DERM_STATUS_TOO_SMALL, "The image is only %llux%llu pixels; at least %dx%d are needed.",
                (unsigned long long) h.width, (unsigned long long) h.height,
                DERM_IMAGING_MIN_SIDE, DERM_IMAGING_MIN_SIDE);
  return h;
}

std::unique_ptr<DermImage>
decode (const uint8_t *data, size_t size, const DermLoadOptions *options)
{
  if (size > (size_t) INT32_MAX)
    derm::fail (DERM_STATUS_TOO_LARGE, "The file is larger than 2 GB.");
  Header h = read_header (data, size);
  int max_side = options != nullptr ? options->max_side : 0;
  if (max_side < 0)
    derm::fail (DERM_STATUS_INVALID_ARGUMENT, "max_side must be 0 or positive.");

  /* Colour (grey expanded to R=G=B, alpha and CMYK converted), any depth,
   * EXIF orientation applied by OpenCV. */
  int flags = cv::IMREAD_COLOR | cv::IMREAD_ANYDEPTH;
  if (max_side > 0 && h.format == Format::JPEG)
    {
      const uint64_t longer = std::max (h.width, h.height);
      if (longer / 8 >= (uint64_t) max_side)
        flags = cv::IMREAD_REDUCED_COLOR_8 | cv::IMREAD_ANYDEPTH;
      else if (longer / 4 >= (uint64_t) max_side)
        flags = cv::IMREAD_REDUCED_COLOR_4 | cv::IMREAD_ANYDEPTH;
      else if (longer / 2 >= (uint64_t) max_side)
        flags = cv::IMREAD_REDUCED_COLOR_2 | cv::IMREAD_ANYDEPTH;
    }

  cv::Mat buf (1, (int) size, CV_8UC1, const_cast<uint8_t *> (data));
  cv::Mat decoded;
  try
    {
      decoded = cv::imdecode (buf, flags);
    }
  catch (const cv::Exception &e)
    {
      derm::fail (DERM_STATUS_CORRUPT, "The image could not be decoded (%s).", e.err.c_str ());
    }
  if (decoded.empty ())
    derm::fail (DERM_STATUS_CORRUPT, "The %s file is damaged and could not be decoded.",
                h.format == Format::JPEG ? "JPEG" : "PNG");
  if (decoded.channels () != 3)
    derm::fail (DERM_STATUS_UNSUPPORTED, "The image has an unsupported channel layout.");

  auto img = std::make_unique<DermImage> ();
  if (decoded.depth () == CV_8U)
    img->bgr = decoded;
  else if (decoded.depth () == CV_16U)
    decoded.convertTo (img->bgr, CV_8U, 1.0 / 257.0);
  else
    derm::fail (DERM_STATUS_UNSUPPORTED, "The image has an unsupported bit depth.");
  decoded.release ();

  if (img->bgr.cols < DERM_IMAGING_MIN_SIDE || img->bgr.rows < DERM_IMAGING_MIN_SIDE)
    {
      if (max_side == 0)
        derm::fail (DERM_STATUS_TOO_SMALL, "The image is only %dx%d pixels.", img->bgr.cols, img->bgr.rows);
    }
  if (max_side > 0 && std::max (img->bgr.cols, img->bgr.rows) > max_side)
    {
      double s = (double) max_side / std::max (img->bgr.cols, img->bgr.rows);
      cv::Size sz (std::max (1, (int) std::lround (img->bgr.cols * s)),
                   std::max (1, (int) std::lround (img->bgr.rows * s)));
      cv::Mat small;
      cv::resize (img->bgr, small, sz, 0, 0, cv::INTER_AREA);
      img->bgr = small;
    }
  return img;
}

std::vector<uint8_t>
read_file (const char *path)
{
  FILE *f = std::fopen (path, "rb");
  if (f == nullptr)
    {
      int e = errno;
      if (e == ENOENT || e == ENOTDIR)
        derm::fail (DERM_STATUS_NOT_FOUND, "No such file: %s", path);
      derm::fail (DERM_STATUS_IO, "Cannot open %s: %s", path, std::strerror (e));
    }
  std::unique_ptr<FILE, int (*) (FILE *)> guard_file (f, std::fclose);
  std::vector<uint8_t> data;
  uint8_t chunk[65536];
  size_t got;
  while ((got = std::fread (chunk, 1, sizeof chunk, f)) > 0)
    {
      if (data.size () + got > (size_t) INT32_MAX)
        derm::fail (DERM_STATUS_TOO_LARGE, "%s is larger than 2 GB.", path);
      data.insert (data.end (), chunk, chunk + got);
    }
  if (std::ferror (f))
    derm::fail (DERM_STATUS_IO, "Cannot read %s (it may be a folder or on a failing disk).", path);
  return data;
}

} /* namespace */

extern "C" int
derm_image_load_memory (const void            *data,
                        size_t                 size,
                        const DermLoadOptions *options,
                        DermImage            **out,
                        DermError             *err)
{
  return derm::guard (err, [&] () {
    if (out == nullptr || (data == nullptr && size > 0))
      derm::fail (DERM_STATUS_INVALID_ARGUMENT, "derm_image_load_memory: NULL argument.");
    *out = nullptr;
    *out = decode (static_cast<const uint8_t *> (data), size, options).release ();
    return (int) DERM_STATUS_OK;
  });
}

extern "C" int
derm_image_load_file (const char            *path,
                      const DermLoadOptions *options,
                      DermImage            **out,
                      DermError             *err)
{
  return derm::guard (err, [&] () {
    if (out == nullptr || path == nullptr)
      derm::fail (DERM_STATUS_INVALID_ARGUMENT, "derm_image_load_file: NULL argument.");
    *out = nullptr;
    std::vector<uint8_t> data = read_file (path);
    *out = decode (data.data (), data.size (), options).release ();
    return (int) DERM_STATUS_OK;
  });
}

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
      derm::fail (DERM_STATUS_INVALID_ARGUMENT, "derm_image_new_from_rgb: bad argument.");
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
derm_image_save (const DermImage *image,
                 const char      *path,
                 int              jpeg_quality,
                 DermError       *err)
{
  return derm::guard (err, [&] () {
    if (image == nullptr || path == nullptr)
      derm::fail (DERM_STATUS_INVALID_ARGUMENT, "derm_image_save: NULL argument.");
    const char *dot = std::strrchr (path, '.');
    bool jpeg = dot != nullptr && (strcasecmp (dot, ".jpg") == 0 || strcasecmp (dot, ".jpeg") == 0);
    std::vector<uint8_t> bytes;
    std::vector<int> params;
    if (jpeg)
      params = { cv::IMWRITE_JPEG_QUALITY, std::min (100, std::max (1, jpeg_quality)) };
    else
      params = { cv::IMWRITE_PNG_COMPRESSION, 3 };
    if (!cv::imencode (jpeg ? ".jpg" : ".png", image->bgr, bytes, params))
      derm::fail (DERM_STATUS_INTERNAL, "The image could not be encoded.");
    FILE *f = std::fopen (path, "wb");
    if (f == nullptr)
      derm::fail (errno == ENOENT ? DERM_STATUS_NOT_FOUND : DERM_STATUS_IO,
                  "Cannot write %s: %s", path, std::strerror (errno));
    size_t written = std::fwrite (bytes.data (), 1, bytes.size (), f);
    int close_rc = std::fclose (f);
    if (written != bytes.size () || close_rc != 0)
      derm::fail (DERM_STATUS_IO, "Cannot write %s (is the disk full?).", path);
    return (int) DERM_STATUS_OK;
  });
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
      derm::fail (DERM_STATUS_INVALID_ARGUMENT, "derm_image_warp: bad argument.");
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

    /* A pixel is real only if its whole bilinear footprint was: warp the
     * source's valid area, then drop the one-pixel seam blended with black. */
    cv::Mat src_valid = image->valid.empty ()
      ? cv::Mat (image->bgr.size (), CV_8UC1, cv::Scalar (255)) : image->valid;
    cv::warpPerspective (src_valid, img->valid, H, size, cv::INTER_NEAREST, cv::BORDER_CONSTANT, cv::Scalar (0));
    cv::erode (img->valid, img->valid, cv::Mat ());
    if (cv::countNonZero (img->valid) == 0)
      derm::fail (DERM_STATUS_BAD_ROI, "The transformed image does not cover the output at all.");
    *out = img.release ();
    return (int) DERM_STATUS_OK;
  });
}

/* derm-image.cpp
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loading (with the pixel count checked from the header before any decode),
 * saving and warping images.
 */
#include "derm-imaging-private.hpp"
#include "derm-imaging-testing.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h>
#include <jerror.h>

#ifndef JCS_EXTENSIONS
#error "libjpeg-turbo is needed (JCS_EXT_BGR output)"
#endif

namespace {

enum class Format { JPEG, PNG };

struct Header
{
  Format   format;
  uint64_t width;
  uint64_t height;
  int      orientation;  /* EXIF, 1-8; 1 when absent (read for JPEG only) */
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

/* The orientation tag (0x0112) of IFD0 in the TIFF structure of an EXIF
 * APP1 segment (@p: after "Exif\0\0"); 1 when absent or unreadable. */
int
exif_orientation (const uint8_t *p, size_t n)
{
  if (n < 8)
    return 1;
  bool le;
  if (p[0] == 'I' && p[1] == 'I')
    le = true;
  else if (p[0] == 'M' && p[1] == 'M')
    le = false;
  else
    return 1;
  auto u16 = [&] (size_t o) -> uint32_t {
    return le ? (uint32_t) p[o] | (uint32_t) p[o + 1] << 8 : be16 (p + o);
  };
  auto u32 = [&] (size_t o) -> uint32_t {
    return le ? u16 (o) | u16 (o + 2) << 16 : be32 (p + o);
  };
  if (u16 (2) != 42)
    return 1;
  size_t ifd = u32 (4);
  if (ifd < 8 || ifd > n - 2)
    return 1;
  size_t count = u16 (ifd);
  for (size_t i = 0; i < count; i++)
    {
      size_t e = ifd + 2 + 12 * i;
      if (e + 12 > n)
        break;
      if (u16 (e) != 0x0112)
        continue;
      uint32_t v = u16 (e + 8);
      if (u16 (e + 2) == 3 && u32 (e + 4) >= 1 && v >= 1 && v <= 8)
        return (int) v;
      return 1;
    }
  return 1;
}

/* Walks the JPEG segments up to the first scan: the frame header gives the
 * size; an end-of-image marker must follow the scan, or the file is truncated. */
Header
read_jpeg_header (const uint8_t *d, size_t n)
{
  Header h { Format::JPEG, 0, 0, 1 };
  size_t pos = 2;
  bool have_sof = false;
  bool have_exif = false;

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
      else if (marker == 0xE1 && !have_exif && len >= 8 && std::memcmp (d + pos + 2, "Exif\0\0", 6) == 0)
        {
          h.orientation = exif_orientation (d + pos + 8, len - 8);
          have_exif = true;
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
  /* Almost every file ends with the marker: no need to scan it all then. */
  bool have_eoi = n >= pos + 2 && d[n - 2] == 0xFF && d[n - 1] == 0xD9;
  while (!have_eoi && p + 1 < end)
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
  return Header { Format::PNG, be32 (d + 16), be32 (d + 20), 1 };
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

/* ---- Reduced JPEG decode for thumbnails: libjpeg-turbo straight into BGR
 * at 1/2, 1/4 or 1/8 scale (DCT scaling), without OpenCV's extra passes. */

struct JpegErrorMgr
{
  jpeg_error_mgr pub;
  std::jmp_buf   jump;
};

void
jpeg_error_exit_jump (j_common_ptr cinfo)
{
  std::longjmp (reinterpret_cast<JpegErrorMgr *> (cinfo->err)->jump, 1);
}

/* A library does not print: warnings (corrupt data libjpeg recovers from)
 * are ignored, as cv::imdecode does. */
void
jpeg_output_nothing (j_common_ptr)
{
}

struct JpegDecompressor
{
  jpeg_decompress_struct cinfo;
  JpegErrorMgr           err;

  JpegDecompressor ()
  {
    std::memset (&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error (&err.pub);
    err.pub.error_exit = jpeg_error_exit_jump;
    err.pub.output_message = jpeg_output_nothing;
  }
  ~JpegDecompressor () { jpeg_destroy_decompress (&cinfo); }
  JpegDecompressor (const JpegDecompressor &) = delete;
  JpegDecompressor &operator= (const JpegDecompressor &) = delete;

  [[noreturn]] void
  fail_from_libjpeg ()
  {
    char msg[JMSG_LENGTH_MAX];
    (*err.pub.format_message) (reinterpret_cast<j_common_ptr> (&cinfo), msg);
    if (err.pub.msg_code == JERR_OUT_OF_MEMORY)
      derm::fail (DERM_STATUS_NO_MEMORY, "Not enough memory for this image; close other applications and try again.");
    derm::fail (DERM_STATUS_CORRUPT, "The JPEG file is damaged and could not be decoded (%s).", msg);
  }
};

/* The steps that call into libjpeg, whose errors longjmp back here: no
 * object with a destructor lives in these frames. Each returns false on a
 * libjpeg error. */
bool
jpeg_read_header_from (JpegDecompressor *d, const uint8_t *data, size_t size)
{
  j_decompress_ptr cinfo = &d->cinfo;
  if (setjmp (d->err.jump))
    return false;
  jpeg_create_decompress (cinfo);
  jpeg_mem_src (cinfo, data, (unsigned long) size);
  jpeg_read_header (cinfo, TRUE);
  return true;
}

bool
jpeg_start_reduced (JpegDecompressor *d, unsigned int denom)
{
  j_decompress_ptr cinfo = &d->cinfo;
  if (setjmp (d->err.jump))
    return false;
  cinfo->out_color_space = JCS_EXT_BGR;
  cinfo->scale_num = 1;
  cinfo->scale_denom = denom;
  if (denom > 1)
    {
      /* Only the reduced IDCTs and box upsampling of what remains: a
       * thumbnail does not need the accurate 8x8 paths. */
      cinfo->dct_method = JDCT_IFAST;
      cinfo->do_fancy_upsampling = FALSE;
    }
  jpeg_start_decompress (cinfo);
  return true;
}

bool
jpeg_read_rows (JpegDecompressor *d, uint8_t *dst, size_t stride)
{
  j_decompress_ptr cinfo = &d->cinfo;
  if (setjmp (d->err.jump))
    return false;
  while (cinfo->output_scanline < cinfo->output_height)
    {
      JSAMPROW rows[16];
      JDIMENSION n = 0;
      for (; n < 16 && cinfo->output_scanline + n < cinfo->output_height; n++)
        rows[n] = dst + stride * (cinfo->output_scanline + n);
      if (jpeg_read_scanlines (cinfo, rows, n) == 0)
        break;
    }
  return true;
}

/* Applies EXIF @orientation (1-8) as cv::imdecode does. */
void
apply_orientation (cv::Mat &m, int orientation)
{
  cv::Mat out;
  switch (orientation)
    {
    case 2: cv::flip (m, out, 1); break;
    case 3: cv::rotate (m, out, cv::ROTATE_180); break;
    case 4: cv::flip (m, out, 0); break;
    case 5: cv::transpose (m, out); break;
    case 6: cv::rotate (m, out, cv::ROTATE_90_CLOCKWISE); break;
    case 7: cv::transpose (m, out); cv::flip (out, out, -1); break;
    case 8: cv::rotate (m, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    default: return;
    }
  m = out;
}

/* Brings the longer side of @m down to @max_side by an area resize. */
void
shrink_to (cv::Mat &m, int max_side)
{
  if (std::max (m.cols, m.rows) <= max_side)
    return;
  double s = (double) max_side / std::max (m.cols, m.rows);
  cv::Size sz (std::max (1, (int) std::lround (m.cols * s)),
               std::max (1, (int) std::lround (m.rows * s)));
  cv::Mat small;
  cv::resize (m, small, sz, 0, 0, cv::INTER_AREA);
  m = small;
}

/* A thumbnail of a JPEG: nullptr when libjpeg cannot produce BGR itself. */
std::unique_ptr<DermImage>
decode_jpeg_reduced (const uint8_t *data, size_t size, const Header &h, int max_side)
{
  const uint64_t longer = std::max (h.width, h.height);
  unsigned int denom = 1;
  if (longer / 8 >= (uint64_t) max_side)
    denom = 8;
  else if (longer / 4 >= (uint64_t) max_side)
    denom = 4;
  else if (longer / 2 >= (uint64_t) max_side)
    denom = 2;

  JpegDecompressor d;
  if (!jpeg_read_header_from (&d, data, size))
    d.fail_from_libjpeg ();
  /* libjpeg cannot turn CMYK or YCCK into BGR: OpenCV does that. */
  const J_COLOR_SPACE cs = d.cinfo.jpeg_color_space;
  if (cs != JCS_GRAYSCALE && cs != JCS_YCbCr && cs != JCS_RGB)
    return nullptr;

  auto img = std::make_unique<DermImage> ();
  if (denom != 8 || !derm::decode_jpeg_dc (&d.cinfo, d.cinfo.src->next_input_byte, d.cinfo.src->bytes_in_buffer, img->bgr))
    {
      if (!jpeg_start_reduced (&d, denom))
        d.fail_from_libjpeg ();
      if (d.cinfo.output_components != 3 || d.cinfo.output_width == 0 || d.cinfo.output_height == 0)
        derm::fail (DERM_STATUS_UNSUPPORTED, "The image has an unsupported channel layout.");
      img->bgr.create ((int) d.cinfo.output_height, (int) d.cinfo.output_width, CV_8UC3);
      if (!jpeg_read_rows (&d, img->bgr.data, img->bgr.step[0]))
        d.fail_from_libjpeg ();
    }
  /* Rotating the small result is cheaper than rotating the decode. */
  shrink_to (img->bgr, max_side);
  apply_orientation (img->bgr, h.orientation);
  return img;
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

  if (max_side > 0 && h.format == Format::JPEG)
    {
      std::unique_ptr<DermImage> thumb = decode_jpeg_reduced (data, size, h, max_side);
      if (thumb)
        return thumb;
    }

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
  if (max_side > 0)
    shrink_to (img->bgr, max_side);
  return img;
}

struct FileData
{
  std::unique_ptr<uint8_t[]> bytes;
  size_t                     size = 0;
};

/* The whole file in one buffer sized from fstat (no zero-filling, no
 * growing copies), still correct if the file changes size meanwhile. */
FileData
read_file (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      int e = errno;
      if (e == ENOENT || e == ENOTDIR)
        derm::fail (DERM_STATUS_NOT_FOUND, "No such file: %s", path);
      derm::fail (DERM_STATUS_IO, "Cannot open %s: %s", path, std::strerror (e));
    }
  std::unique_ptr<int, void (*) (int *)> guard_fd (&fd, [] (int *f) { close (*f); });
  struct stat st;
  size_t cap = 65536;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > 0)
    {
      if ((uint64_t) st.st_size > (uint64_t) INT32_MAX)
        derm::fail (DERM_STATUS_TOO_LARGE, "%s is larger than 2 GB.", path);
      cap = (size_t) st.st_size + 1;  /* the extra byte sees the end in one read */
    }
  FileData f;
  f.bytes.reset (new uint8_t[cap]);
  for (;;)
    {
      if (f.size == cap)
        {
          if (cap > (size_t) INT32_MAX)
            derm::fail (DERM_STATUS_TOO_LARGE, "%s is larger than 2 GB.", path);
          size_t bigger = cap * 2;
          std::unique_ptr<uint8_t[]> grown (new uint8_t[bigger]);
          std::memcpy (grown.get (), f.bytes.get (), f.size);
          f.bytes = std::move (grown);
          cap = bigger;
        }
      ssize_t got = read (fd, f.bytes.get () + f.size, cap - f.size);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        derm::fail (DERM_STATUS_IO, "Cannot read %s (it may be a folder or on a failing disk).", path);
      if (got == 0)
        break;
      f.size += (size_t) got;
    }
  if (f.size > (size_t) INT32_MAX)
    derm::fail (DERM_STATUS_TOO_LARGE, "%s is larger than 2 GB.", path);
  return f;
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
    FileData data = read_file (path);
    *out = decode (data.bytes.get (), data.size, options).release ();
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

/* ---- derm-imaging-testing.h */

extern "C" int
derm_testing_jpeg_dc_decode (const uint8_t *data, size_t size, int ycc, uint8_t **pixels, int *width, int *height)
{
  *pixels = nullptr;
  *width = *height = 0;
  try
    {
      JpegDecompressor d;
      if (!jpeg_read_header_from (&d, data, size))
        return -1;
      cv::Mat out;
      if (!derm::decode_jpeg_dc (&d.cinfo, d.cinfo.src->next_input_byte, d.cinfo.src->bytes_in_buffer, out, ycc != 0))
        return 0;
      CV_Assert (out.type () == CV_8UC3 && out.isContinuous ());
      uint8_t *copy = static_cast<uint8_t *> (std::malloc (out.total () * 3));
      if (copy == nullptr)
        return -2;
      std::memcpy (copy, out.data, out.total () * 3);
      *pixels = copy;
      *width = out.cols;
      *height = out.rows;
      return 1;
    }
  catch (...)
    {
      return -2;
    }
}

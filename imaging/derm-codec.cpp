/* derm-codec.cpp
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading and writing photo files: JPEG through libjpeg-turbo and PNG
 * through libpng, called directly. OpenCV's image codecs are not used:
 * Debian builds them with GDAL and a hundred other libraries, which every
 * program linking them would load at start-up.
 *
 * A file is checked before it is decoded: it must be a regular file (a pipe
 * or a device is refused before anything is read from it), no larger than
 * DERM_IMAGING_MAX_FILE_SIZE, start like a JPEG or PNG, and its header must
 * claim a size the file could hold. Decoding refuses on any doubt: a
 * libjpeg warning (corrupt data it would paper over with grey) is an error
 * here, and so is a damaged PNG. Nothing is printed: libpng's warnings on
 * harmless chunks (an "incorrect" sRGB profile) are silenced.
 */
#include "derm-imaging-private.hpp"
#include "derm-imaging-testing.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
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
#include <png.h>

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
  int      jpeg_sof;     /* the frame marker, 0xC0-0xCF */
  int      png_depth;    /* IHDR bit depth */
  int      png_channels; /* samples per pixel the IHDR colour type stores */
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
  Header h { Format::JPEG, 0, 0, 1, 0, 0, 0 };
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
          h.jpeg_sof = marker;
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
  static const int channels_of_type[7] = { 1, 0, 3, 1, 2, 0, 4 };
  const int depth = d[24], type = d[25];
  if (type > 6 || channels_of_type[type] == 0 || (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16))
    derm::fail (DERM_STATUS_CORRUPT, "The PNG file has a damaged image header.");
  return Header { Format::PNG, be32 (d + 16), be32 (d + 20), 1, 0, depth, channels_of_type[type] };
}

/* The fewest bytes a file with @h's header can have. A JPEG codes every
 * 8x8 block of the full-resolution component: with Huffman coding a
 * sequential file takes at least two bits a block (a DC code and an end
 * of block), a progressive one at least one (its DC scan). Deflate cannot
 * expand more than 1032:1. Arithmetic coding has no such bound: 4096
 * pixels a byte is already a uniform image. */
uint64_t
min_file_size (const Header &h)
{
  if (h.format == Format::PNG)
    {
      uint64_t row = 1 + (h.width * (uint64_t) h.png_channels * (uint64_t) h.png_depth + 7) / 8;
      return row * h.height / 1033;
    }
  const uint64_t blocks = ((h.width + 7) / 8) * ((h.height + 7) / 8);
  switch (h.jpeg_sof)
    {
    case 0xC0:
    case 0xC1:
      return blocks / 4;
    case 0xC2:
      return blocks / 8;
    default:
      return h.width * h.height / 4096;
    }
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
  /* A header claiming far more pixels than the data could hold is a
   * damaged file or a bomb: refuse it before the decoder allocates for it. */
  if (min_file_size (h) > (uint64_t) n)
    derm::fail (DERM_STATUS_CORRUPT, "The %s file is too short for the %llux%llu pixels its header claims; it is damaged.",
                h.format == Format::PNG ? "PNG" : "JPEG", (unsigned long long) h.width, (unsigned long long) h.height);
  if (h.width < DERM_IMAGING_MIN_SIDE || h.height < DERM_IMAGING_MIN_SIDE)
    derm::fail (DERM_STATUS_TOO_SMALL, "The image is only %llux%llu pixels; at least %dx%d are needed.",
                (unsigned long long) h.width, (unsigned long long) h.height,
                DERM_IMAGING_MIN_SIDE, DERM_IMAGING_MIN_SIDE);
  return h;
}

/* ---- JPEG, through libjpeg-turbo. Errors and warnings both longjmp out:
 * a warning means libjpeg met corrupt data and would fill the rest in. */

struct JpegErrorMgr
{
  jpeg_error_mgr pub;
  std::jmp_buf   jump;
  bool           warned;
  char           warning[JMSG_LENGTH_MAX];
};

void
jpeg_error_exit_jump (j_common_ptr cinfo)
{
  std::longjmp (reinterpret_cast<JpegErrorMgr *> (cinfo->err)->jump, 1);
}

/* Level -1 is a warning; trace messages (level >= 0) are dropped. */
void
jpeg_emit_message (j_common_ptr cinfo, int msg_level)
{
  if (msg_level >= 0)
    return;
  JpegErrorMgr *err = reinterpret_cast<JpegErrorMgr *> (cinfo->err);
  err->pub.num_warnings++;
  err->warned = true;
  (*err->pub.format_message) (cinfo, err->warning);
  std::longjmp (err->jump, 1);
}

/* A library does not print. */
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
    std::memset (&err, 0, sizeof err);
    cinfo.err = jpeg_std_error (&err.pub);
    err.pub.error_exit = jpeg_error_exit_jump;
    err.pub.emit_message = jpeg_emit_message;
    err.pub.output_message = jpeg_output_nothing;
  }
  ~JpegDecompressor () { jpeg_destroy_decompress (&cinfo); }
  JpegDecompressor (const JpegDecompressor &) = delete;
  JpegDecompressor &operator= (const JpegDecompressor &) = delete;

  [[noreturn]] void
  fail_from_libjpeg ()
  {
    if (err.warned)
      derm::fail (DERM_STATUS_CORRUPT, "The JPEG file is damaged (%s); it was not used. Copy it again from the camera.",
                  err.warning);
    char msg[JMSG_LENGTH_MAX];
    (*err.pub.format_message) (reinterpret_cast<j_common_ptr> (&cinfo), msg);
    if (err.pub.msg_code == JERR_OUT_OF_MEMORY)
      derm::fail (DERM_STATUS_NO_MEMORY, "Not enough memory for this image; close other applications and try again.");
    derm::fail (DERM_STATUS_CORRUPT, "The JPEG file is damaged and could not be decoded (%s).", msg);
  }
};

/* The steps that call into libjpeg, whose errors longjmp back here: no
 * object with a destructor lives in these frames. Each returns false on a
 * libjpeg error or warning. */
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
jpeg_start (JpegDecompressor *d, J_COLOR_SPACE out, unsigned int denom)
{
  j_decompress_ptr cinfo = &d->cinfo;
  if (setjmp (d->err.jump))
    return false;
  cinfo->out_color_space = out;
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

/* Reads every scanline into @dst (rows at @stride), or, with @cmyk, through
 * @tmp (16 rows of width * 4 bytes) converted to BGR as OpenCV did (Adobe's
 * inverted CMYK, the only kind cameras and Photoshop write). */
bool
jpeg_read_rows (JpegDecompressor *d, uint8_t *dst, size_t stride, uint8_t *tmp)
{
  j_decompress_ptr cinfo = &d->cinfo;
  if (setjmp (d->err.jump))
    return false;
  const size_t tmp_stride = (size_t) cinfo->output_width * 4;
  while (cinfo->output_scanline < cinfo->output_height)
    {
      JSAMPROW rows[16];
      const JDIMENSION first = cinfo->output_scanline;
      JDIMENSION n = 0;
      for (; n < 16 && first + n < cinfo->output_height; n++)
        rows[n] = tmp != nullptr ? tmp + tmp_stride * n : dst + stride * (first + n);
      JDIMENSION got = jpeg_read_scanlines (cinfo, rows, n);
      if (got == 0)
        return false;
      if (tmp != nullptr)
        for (JDIMENSION r = 0; r < got; r++)
          {
            const uint8_t *s = tmp + tmp_stride * r;
            uint8_t *o = dst + stride * (first + r);
            for (JDIMENSION x = 0; x < cinfo->output_width; x++, s += 4, o += 3)
              {
                int k = s[3];
                o[2] = (uint8_t) (k - ((255 - s[0]) * k >> 8));
                o[1] = (uint8_t) (k - ((255 - s[1]) * k >> 8));
                o[0] = (uint8_t) (k - ((255 - s[2]) * k >> 8));
              }
          }
    }
  return true;
}

/* Reads on to the end-of-image marker, so damage after the last row is
 * seen too. */
bool
jpeg_finish (JpegDecompressor *d)
{
  if (setjmp (d->err.jump))
    return false;
  jpeg_finish_decompress (&d->cinfo);
  return true;
}

/* Applies EXIF @orientation (1-8) as cv::imdecode did. */
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
  if (max_side <= 0 || std::max (m.cols, m.rows) <= max_side)
    return;
  double s = (double) max_side / std::max (m.cols, m.rows);
  cv::Size sz (std::max (1, (int) std::lround (m.cols * s)),
               std::max (1, (int) std::lround (m.rows * s)));
  cv::Mat small;
  cv::resize (m, small, sz, 0, 0, cv::INTER_AREA);
  m = small;
}

std::unique_ptr<DermImage>
decode_jpeg (const uint8_t *data, size_t size, const Header &h, int max_side)
{
  unsigned int denom = 1;
  if (max_side > 0)
    {
      const uint64_t longer = std::max (h.width, h.height);
      if (longer / 8 >= (uint64_t) max_side)
        denom = 8;
      else if (longer / 4 >= (uint64_t) max_side)
        denom = 4;
      else if (longer / 2 >= (uint64_t) max_side)
        denom = 2;
    }

  JpegDecompressor d;
  if (!jpeg_read_header_from (&d, data, size))
    d.fail_from_libjpeg ();
  const J_COLOR_SPACE cs = d.cinfo.jpeg_color_space;
  const bool cmyk = cs == JCS_CMYK || cs == JCS_YCCK;
  if (!cmyk && cs != JCS_GRAYSCALE && cs != JCS_YCbCr && cs != JCS_RGB)
    derm::fail (DERM_STATUS_UNSUPPORTED, "The JPEG file uses a colour space Dermis cannot read.");

  auto img = std::make_unique<DermImage> ();
  /* The DC decoder stops at the first thing libjpeg might warn about. */
  if (denom != 8 || cmyk
      || !derm::decode_jpeg_dc (&d.cinfo, d.cinfo.src->next_input_byte, d.cinfo.src->bytes_in_buffer, img->bgr))
    {
      if (!jpeg_start (&d, cmyk ? JCS_CMYK : JCS_EXT_BGR, denom))
        d.fail_from_libjpeg ();
      if (d.cinfo.output_components != (cmyk ? 4 : 3) || d.cinfo.output_width == 0 || d.cinfo.output_height == 0)
        derm::fail (DERM_STATUS_UNSUPPORTED, "The image has an unsupported channel layout.");
      img->bgr.create ((int) d.cinfo.output_height, (int) d.cinfo.output_width, CV_8UC3);
      std::unique_ptr<uint8_t[]> tmp;
      if (cmyk)
        tmp.reset (new uint8_t[(size_t) d.cinfo.output_width * 4 * 16]);
      if (!jpeg_read_rows (&d, img->bgr.data, img->bgr.step[0], tmp.get ()) || !jpeg_finish (&d))
        d.fail_from_libjpeg ();
    }
  /* Rotating the small result is cheaper than rotating the decode. */
  shrink_to (img->bgr, max_side);
  apply_orientation (img->bgr, h.orientation);
  return img;
}

/* ---- PNG, through libpng. */

struct PngSource
{
  const uint8_t *data;
  size_t         size;
  size_t         pos;
  char           message[160];
};

void
png_read_memory (png_structp png, png_bytep out, png_size_t n)
{
  PngSource *src = static_cast<PngSource *> (png_get_io_ptr (png));
  if (n > src->size - src->pos)
    png_error (png, "the file ends early");
  std::memcpy (out, src->data + src->pos, n);
  src->pos += n;
}

void
png_error_jump (png_structp png, png_const_charp message)
{
  PngSource *src = static_cast<PngSource *> (png_get_error_ptr (png));
  std::snprintf (src->message, sizeof src->message, "%s", message);
  png_longjmp (png, 1);
}

/* Warnings are about ancillary chunks libpng skips (an sRGB profile it
 * thinks incorrect, a bad text chunk): harmless to the pixels, not printed. */
void
png_warning_silent (png_structp, png_const_charp)
{
}

struct PngDecompressor
{
  PngSource   src {};
  png_structp png = nullptr;
  png_infop   info = nullptr;

  PngDecompressor (const uint8_t *data, size_t size)
  {
    src.data = data;
    src.size = size;
    png = png_create_read_struct (PNG_LIBPNG_VER_STRING, &src, png_error_jump, png_warning_silent);
    if (png == nullptr)
      throw std::bad_alloc ();
    info = png_create_info_struct (png);
    if (info == nullptr)
      {
        png_destroy_read_struct (&png, nullptr, nullptr);
        throw std::bad_alloc ();
      }
  }
  ~PngDecompressor () { png_destroy_read_struct (&png, &info, nullptr); }
  PngDecompressor (const PngDecompressor &) = delete;
  PngDecompressor &operator= (const PngDecompressor &) = delete;

  [[noreturn]] void
  fail_from_libpng ()
  {
    if (std::strstr (src.message, "memory") != nullptr)
      derm::fail (DERM_STATUS_NO_MEMORY, "Not enough memory for this image; close other applications and try again.");
    derm::fail (DERM_STATUS_CORRUPT, "The PNG file is damaged and could not be decoded (%s).", src.message);
  }
};

/* Reads the header and sets up 8-bit BGR output: palettes expanded, grey
 * made R = G = B, 16 bits scaled (v / 257, rounded), alpha and
 * transparency dropped. False on a libpng error. */
bool
png_start (PngDecompressor *d, int *width, int *height, int *channels)
{
  png_structp png = d->png;
  png_infop info = d->info;
  if (setjmp (png_jmpbuf (png)))
    return false;
  png_set_read_fn (png, &d->src, png_read_memory);
  png_read_info (png, info);
  const int type = png_get_color_type (png, info);
  const int depth = png_get_bit_depth (png, info);
  if (type == PNG_COLOR_TYPE_PALETTE)
    png_set_palette_to_rgb (png);
  if (type == PNG_COLOR_TYPE_GRAY && depth < 8)
    png_set_expand_gray_1_2_4_to_8 (png);
  if (depth == 16)
    png_set_scale_16 (png);
  if ((type & PNG_COLOR_MASK_ALPHA) != 0 || png_get_valid (png, info, PNG_INFO_tRNS))
    png_set_strip_alpha (png);
  if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA)
    png_set_gray_to_rgb (png);
  png_set_bgr (png);
  png_set_interlace_handling (png);
  png_read_update_info (png, info);
  *width = (int) png_get_image_width (png, info);
  *height = (int) png_get_image_height (png, info);
  *channels = png_get_channels (png, info);
  return true;
}

bool
png_read_all (PngDecompressor *d, png_bytepp rows)
{
  if (setjmp (png_jmpbuf (d->png)))
    return false;
  png_read_image (d->png, rows);
  /* On to IEND: a file cut after its image data is still a damaged file. */
  png_read_end (d->png, nullptr);
  return true;
}

std::unique_ptr<DermImage>
decode_png (const uint8_t *data, size_t size, int max_side)
{
  PngDecompressor d (data, size);
  int width = 0, height = 0, channels = 0;
  if (!png_start (&d, &width, &height, &channels))
    d.fail_from_libpng ();
  if (channels != 3 || width <= 0 || height <= 0)
    derm::fail (DERM_STATUS_UNSUPPORTED, "The image has an unsupported channel layout.");
  auto img = std::make_unique<DermImage> ();
  img->bgr.create (height, width, CV_8UC3);
  std::vector<png_bytep> rows ((size_t) height);
  for (int y = 0; y < height; y++)
    rows[(size_t) y] = img->bgr.ptr<uint8_t> (y);
  if (!png_read_all (&d, rows.data ()))
    d.fail_from_libpng ();
  shrink_to (img->bgr, max_side);
  return img;
}

std::unique_ptr<DermImage>
decode (const uint8_t *data, size_t size, const DermLoadOptions *options)
{
  if ((uint64_t) size > DERM_IMAGING_MAX_FILE_SIZE)
    derm::fail (DERM_STATUS_TOO_LARGE, "The file is larger than 1 GB, too large for a photo.");
  Header h = read_header (data, size);
  int max_side = options != nullptr ? options->max_side : 0;
  if (max_side < 0)
    derm::bug ("max_side must be 0 or positive.");
  if (h.format == Format::JPEG)
    return decode_jpeg (data, size, h, max_side);
  return decode_png (data, size, max_side);
}

struct FileData
{
  std::unique_ptr<uint8_t[]> bytes;
  size_t                     size = 0;
};

/* Reads up to @want bytes; fewer only at the end of the file. */
size_t
read_fully (int fd, uint8_t *buf, size_t want, const char *path)
{
  size_t got = 0;
  while (got < want)
    {
      ssize_t n = read (fd, buf + got, want - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        derm::fail (DERM_STATUS_IO, "Cannot read %s: %s", path, std::strerror (errno));
      if (n == 0)
        break;
      got += (size_t) n;
    }
  return got;
}

/* The whole file in one buffer sized from fstat, after checking that it is
 * a regular file (never blocking on a pipe, never reading a device) of an
 * acceptable size that starts like a JPEG or PNG. */
FileData
read_file (const char *path)
{
  /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    {
      int e = errno;
      if (e == ENOENT || e == ENOTDIR)
        derm::fail (DERM_STATUS_NOT_FOUND, "No such file: %s", path);
      derm::fail (DERM_STATUS_IO, "Cannot open %s: %s", path, std::strerror (e));
    }
  std::unique_ptr<int, void (*) (int *)> guard_fd (&fd, [] (int *f) { close (*f); });
  struct stat st;
  if (fstat (fd, &st) != 0)
    derm::fail (DERM_STATUS_IO, "Cannot read %s: %s", path, std::strerror (errno));
  if (S_ISDIR (st.st_mode))
    derm::fail (DERM_STATUS_UNSUPPORTED, "%s is a folder, not a photo.", path);
  if (!S_ISREG (st.st_mode))
    derm::fail (DERM_STATUS_UNSUPPORTED, "%s is not a regular file (it is a device, pipe or socket), so it is not read.", path);
  if ((uint64_t) st.st_size > DERM_IMAGING_MAX_FILE_SIZE)
    derm::fail (DERM_STATUS_TOO_LARGE, "%s is larger than 1 GB, too large for a photo.", path);
  if (st.st_size == 0)
    derm::fail (DERM_STATUS_CORRUPT, "The file is empty.");
  int flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);

  /* The first bytes say what it is: nothing more is read (or allocated)
   * for anything else. */
  uint8_t head[16];
  const size_t n_head = read_fully (fd, head, sizeof head, path);
  static const uint8_t png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
  bool jpeg = n_head >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;
  bool png = n_head >= 8 && std::memcmp (head, png_sig, 8) == 0;
  if (!jpeg && !png)
    {
      if (n_head == 0)
        derm::fail (DERM_STATUS_CORRUPT, "The file is empty.");
      derm::fail (DERM_STATUS_UNSUPPORTED, "This is not a JPEG or PNG image.");
    }

  /* The extra byte sees a file that grew since fstat in the same read. */
  const size_t cap = std::max ((size_t) st.st_size, n_head) + 1;
  FileData f;
  f.bytes.reset (new uint8_t[cap]);
  std::memcpy (f.bytes.get (), head, n_head);
  f.size = n_head;
  f.size += read_fully (fd, f.bytes.get () + f.size, cap - f.size, path);
  if (f.size == cap)
    derm::fail (DERM_STATUS_IO, "%s changed while it was being read; try again.", path);
  return f;
}

/* ---- Writing. */

struct PngSink
{
  std::vector<uint8_t> bytes;
  char                 message[160];
};

void
png_write_memory (png_structp png, png_bytep data, png_size_t n)
{
  PngSink *sink = static_cast<PngSink *> (png_get_io_ptr (png));
  sink->bytes.insert (sink->bytes.end (), data, data + n);
}

void
png_flush_nothing (png_structp)
{
}

void
png_write_error_jump (png_structp png, png_const_charp message)
{
  PngSink *sink = static_cast<PngSink *> (png_get_error_ptr (png));
  std::snprintf (sink->message, sizeof sink->message, "%s", message);
  png_longjmp (png, 1);
}

/* libpng's frames: no destructors. A std::bad_alloc from the sink's
 * vector unwinds through them, which is what libpng's own png_error does. */
bool
png_encode (png_structp png, png_infop info, PngSink *sink, const cv::Mat *m, png_bytepp rows)
{
  if (setjmp (png_jmpbuf (png)))
    return false;
  png_set_write_fn (png, sink, png_write_memory, png_flush_nothing);
  png_set_compression_level (png, 3);
  png_set_IHDR (png, info, (png_uint_32) m->cols, (png_uint_32) m->rows, 8,
                m->channels () == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);
  png_set_bgr (png);
  png_write_image (png, rows);
  png_write_end (png, nullptr);
  return true;
}

struct JpegCompressor
{
  jpeg_compress_struct cinfo;
  JpegErrorMgr         err;
  unsigned char       *out = nullptr;
  unsigned long        out_size = 0;

  JpegCompressor ()
  {
    std::memset (&cinfo, 0, sizeof cinfo);
    std::memset (&err, 0, sizeof err);
    cinfo.err = jpeg_std_error (&err.pub);
    err.pub.error_exit = jpeg_error_exit_jump;
    err.pub.output_message = jpeg_output_nothing;
  }
  ~JpegCompressor ()
  {
    jpeg_destroy_compress (&cinfo);
    std::free (out);
  }
  JpegCompressor (const JpegCompressor &) = delete;
  JpegCompressor &operator= (const JpegCompressor &) = delete;
};

bool
jpeg_encode (JpegCompressor *c, const cv::Mat *m, int quality)
{
  j_compress_ptr cinfo = &c->cinfo;
  if (setjmp (c->err.jump))
    return false;
  jpeg_create_compress (cinfo);
  jpeg_mem_dest (cinfo, &c->out, &c->out_size);
  cinfo->image_width = (JDIMENSION) m->cols;
  cinfo->image_height = (JDIMENSION) m->rows;
  cinfo->input_components = 3;
  cinfo->in_color_space = JCS_EXT_BGR;
  jpeg_set_defaults (cinfo);
  jpeg_set_quality (cinfo, quality, TRUE);
  jpeg_start_compress (cinfo, TRUE);
  while (cinfo->next_scanline < cinfo->image_height)
    {
      JSAMPROW row = const_cast<JSAMPROW> (m->ptr<uint8_t> ((int) cinfo->next_scanline));
      jpeg_write_scanlines (cinfo, &row, 1);
    }
  jpeg_finish_compress (cinfo);
  return true;
}

void
write_file (const char *path, const uint8_t *data, size_t size)
{
  FILE *f = std::fopen (path, "wb");
  if (f == nullptr)
    derm::fail (errno == ENOENT ? DERM_STATUS_NOT_FOUND : DERM_STATUS_IO,
                "Cannot write %s: %s", path, std::strerror (errno));
  size_t written = std::fwrite (data, 1, size, f);
  int close_rc = std::fclose (f);
  if (written != size || close_rc != 0)
    derm::fail (DERM_STATUS_IO, "Cannot write %s (is the disk full?).", path);
}

struct PngWriter
{
  PngSink     sink {};
  png_structp png = nullptr;
  png_infop   info = nullptr;

  PngWriter ()
  {
    png = png_create_write_struct (PNG_LIBPNG_VER_STRING, &sink, png_write_error_jump, png_warning_silent);
    if (png != nullptr)
      info = png_create_info_struct (png);
    if (png == nullptr || info == nullptr)
      {
        png_destroy_write_struct (&png, &info);
        throw std::bad_alloc ();
      }
  }
  ~PngWriter () { png_destroy_write_struct (&png, &info); }
  PngWriter (const PngWriter &) = delete;
  PngWriter &operator= (const PngWriter &) = delete;
};

} /* namespace */

void
derm::save_png (const cv::Mat &m, const char *path)
{
  CV_Assert (m.depth () == CV_8U && (m.channels () == 3 || m.channels () == 4));
  PngWriter w;
  std::vector<png_bytep> rows ((size_t) m.rows);
  for (int y = 0; y < m.rows; y++)
    rows[(size_t) y] = const_cast<png_bytep> (m.ptr<uint8_t> (y));
  if (!png_encode (w.png, w.info, &w.sink, &m, rows.data ()))
    derm::fail (DERM_STATUS_INTERNAL, "The image could not be encoded as PNG (%s).", w.sink.message);
  write_file (path, w.sink.bytes.data (), w.sink.bytes.size ());
}

extern "C" int
derm_image_load_memory (const void            *data,
                        size_t                 size,
                        const DermLoadOptions *options,
                        DermImage            **out,
                        DermError             *err)
{
  return derm::guard (err, [&] () {
    if (out == nullptr || (data == nullptr && size > 0))
      derm::bug ("derm_image_load_memory: NULL argument.");
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
      derm::bug ("derm_image_load_file: NULL argument.");
    *out = nullptr;
    FileData data = read_file (path);
    *out = decode (data.bytes.get (), data.size, options).release ();
    return (int) DERM_STATUS_OK;
  });
}

extern "C" int
derm_image_save (const DermImage *image,
                 const char      *path,
                 int              jpeg_quality,
                 DermError       *err)
{
  return derm::guard (err, [&] () {
    if (image == nullptr || path == nullptr)
      derm::bug ("derm_image_save: NULL argument.");
    const char *dot = std::strrchr (path, '.');
    bool jpeg = dot != nullptr && (strcasecmp (dot, ".jpg") == 0 || strcasecmp (dot, ".jpeg") == 0);
    if (!jpeg)
      {
        derm::save_png (image->bgr, path);
        return (int) DERM_STATUS_OK;
      }
    JpegCompressor c;
    if (!jpeg_encode (&c, &image->bgr, std::min (100, std::max (1, jpeg_quality))))
      {
        if (c.err.pub.msg_code == JERR_OUT_OF_MEMORY)
          throw std::bad_alloc ();
        derm::fail (DERM_STATUS_INTERNAL, "The image could not be encoded as JPEG.");
      }
    write_file (path, c.out, c.out_size);
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

extern "C" int
derm_image_probe_memory (const void *data,
                         size_t      size,
                         int        *width,
                         int        *height,
                         DermError  *err)
{
  return derm::guard (err, [&] () {
    if (data == nullptr || width == nullptr || height == nullptr)
      derm::bug ("derm_image_probe_memory: NULL argument.");
    *width = *height = 0;
    Header h = read_header (static_cast<const uint8_t *> (data), size);
    const bool turned = h.orientation >= 5;
    *width = (int) (turned ? h.height : h.width);
    *height = (int) (turned ? h.width : h.height);
    return (int) DERM_STATUS_OK;
  });
}

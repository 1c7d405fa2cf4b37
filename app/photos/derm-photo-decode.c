/* derm-photo-decode.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one way a photo file is read, by the app and by dermis-cli alike:
 * derm_photo_open() refuses anything but a regular file of a known type
 * and an acceptable size before reading more than its first bytes; the
 * imaging library then decodes JPEG and PNG (with the EXIF orientation
 * applied and a reduced decode for thumbnails); TIFF (with all eight
 * orientations applied here) and HEIC/HEIF are decoded here to 8-bit
 * RGB, checked against the same pixel limit before any pixel buffer is
 * allocated, and handed over with derm_image_new_from_rgb().
 */
#define G_LOG_DOMAIN "derm-photo-decode"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gexiv2/gexiv2.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libheif/heif.h>
#include <tiffio.h>

#include "derm-photo-decode.h"
#include "derm-imaging-error.h"
#include "derm-photo.h"

static void
init_libraries (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      /* gexiv2 must be initialised before it is used from several threads;
       * libtiff would otherwise print every warning on stderr. */
      gexiv2_initialize ();
      /* exiv2 prints its warnings on stderr; a file it cannot read is
       * handled without them */
      gexiv2_log_set_level (GEXIV2_LOG_LEVEL_MUTE);
      TIFFSetErrorHandler (NULL);
      TIFFSetWarningHandler (NULL);
      g_once_init_leave (&initialized, 1);
    }
}

DermPhotoFormat
derm_photo_format_sniff (const guint8 *head,
                         gsize         length)
{
  static const char * const heif_brands[] = {
    "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", NULL
  };

  if (length >= 3 && head[0] == 0xff && head[1] == 0xd8 && head[2] == 0xff)
    return DERM_PHOTO_FORMAT_JPEG;
  if (length >= 8 && memcmp (head, "\x89PNG\r\n\x1a\n", 8) == 0)
    return DERM_PHOTO_FORMAT_PNG;
  if (length >= 4 && (memcmp (head, "II*\0", 4) == 0 || memcmp (head, "MM\0*", 4) == 0))
    return DERM_PHOTO_FORMAT_TIFF;
  if (length >= 12 && memcmp (head + 4, "ftyp", 4) == 0)
    {
      for (guint i = 0; heif_brands[i] != NULL; i++)
        if (memcmp (head + 8, heif_brands[i], 4) == 0)
          return DERM_PHOTO_FORMAT_HEIF;
    }
  return DERM_PHOTO_FORMAT_UNKNOWN;
}

DermPhotoFormat
derm_photo_format_sniff_file (const char *path)
{
  guint8 head[16];
  gssize n;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return DERM_PHOTO_FORMAT_UNKNOWN;
  n = read (fd, head, sizeof head);
  close (fd);
  return n > 0 ? derm_photo_format_sniff (head, (gsize) n) : DERM_PHOTO_FORMAT_UNKNOWN;
}

int
derm_photo_open (const char       *path,
                 DermPhotoFormat  *format_out,
                 guint64          *size_out,
                 GError          **error)
{
  guint8 head[16];
  gssize n;
  struct stat st;
  DermPhotoFormat format;
  int flags;
  int fd;

  g_return_val_if_fail (path != NULL, -1);

  /* O_NONBLOCK: opening a FIFO must not wait for a writer */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ENOENT || saved == ENOTDIR)
        g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_NOT_FOUND,
                     _("The file does not exist."));
      else
        g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_IO,
                     _("The file cannot be opened: %s."), g_strerror (saved));
      return -1;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved = errno;

      close (fd);
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_IO,
                   _("The file cannot be read: %s."), g_strerror (saved));
      return -1;
    }
  if (S_ISDIR (st.st_mode))
    {
      close (fd);
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_UNSUPPORTED,
                   _("This is a folder, not a photo."));
      return -1;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_UNSUPPORTED,
                   _("This is not a regular file (it is a device, pipe or socket), so it was not read. Choose a photo file."));
      return -1;
    }
  if ((guint64) st.st_size > DERM_PHOTO_MAX_FILE_SIZE)
    {
      close (fd);
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_TOO_LARGE,
                   _("The file is larger than 1 GB; this is not a photo Dermis can use."));
      return -1;
    }
  flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);

  do
    n = read (fd, head, sizeof head);
  while (n < 0 && errno == EINTR);
  if (n < 0 || lseek (fd, 0, SEEK_SET) != 0)
    {
      int saved = errno;

      close (fd);
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_IO,
                   _("The file cannot be read: %s."), g_strerror (saved));
      return -1;
    }
  if (n == 0)
    {
      close (fd);
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_CORRUPT, _("The file is empty."));
      return -1;
    }
  format = derm_photo_format_sniff (head, (gsize) n);
  if (format == DERM_PHOTO_FORMAT_UNKNOWN)
    {
      close (fd);
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_UNSUPPORTED,
                   _("This is not a JPEG, PNG, TIFF or HEIC photo."));
      return -1;
    }

  if (format_out != NULL)
    *format_out = format;
  if (size_out != NULL)
    *size_out = (guint64) st.st_size;
  return fd;
}

/* The rest of the file open at its start, in one buffer; @size from
 * derm_photo_open(). A file that grew meanwhile is refused. */
static guint8 *
read_all (int       fd,
          guint64   size,
          gsize    *len_out,
          GError  **error)
{
  gsize cap = (gsize) size + 1;  /* the extra byte sees a file that grew */
  g_autofree guint8 *buffer = g_try_malloc (cap);
  gsize len = 0;

  if (buffer == NULL)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_TOO_LARGE,
                   _("There is not enough memory to open this image."));
      return NULL;
    }
  while (len < cap)
    {
      gssize n = read (fd, buffer + len, cap - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_IO,
                       _("The file cannot be read: %s."), g_strerror (errno));
          return NULL;
        }
      if (n == 0)
        break;
      len += (gsize) n;
    }
  if (len == cap)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_IO,
                   _("The file changed while it was being read. Try again."));
      return NULL;
    }
  *len_out = len;
  return g_steal_pointer (&buffer);
}

const char *
derm_photo_format_to_mime (DermPhotoFormat format)
{
  switch (format)
    {
    case DERM_PHOTO_FORMAT_JPEG:
      return "image/jpeg";
    case DERM_PHOTO_FORMAT_PNG:
      return "image/png";
    case DERM_PHOTO_FORMAT_TIFF:
      return "image/tiff";
    case DERM_PHOTO_FORMAT_HEIF:
      return "image/heic";
    case DERM_PHOTO_FORMAT_UNKNOWN:
    default:
      return NULL;
    }
}

DermPhotoFormat
derm_photo_format_from_mime (const char *mime_type)
{
  if (g_strcmp0 (mime_type, "image/jpeg") == 0)
    return DERM_PHOTO_FORMAT_JPEG;
  if (g_strcmp0 (mime_type, "image/png") == 0)
    return DERM_PHOTO_FORMAT_PNG;
  if (g_strcmp0 (mime_type, "image/tiff") == 0)
    return DERM_PHOTO_FORMAT_TIFF;
  if (g_strcmp0 (mime_type, "image/heic") == 0 || g_strcmp0 (mime_type, "image/heif") == 0)
    return DERM_PHOTO_FORMAT_HEIF;
  return DERM_PHOTO_FORMAT_UNKNOWN;
}

gboolean
derm_photo_format_has_known_extension (const char *name)
{
  static const char * const extensions[] = {
    ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".heif", ".hif", NULL
  };
  g_autofree char *lower = NULL;

  if (name == NULL)
    return FALSE;
  lower = g_ascii_strdown (name, -1);
  for (guint i = 0; extensions[i] != NULL; i++)
    if (g_str_has_suffix (lower, extensions[i]))
      return TRUE;
  return FALSE;
}

/* --- decoding ---------------------------------------------------------- */

static void
set_error_from_status (GError          **error,
                       const DermError  *err)
{
  DermPhotoError code;
  g_autofree char *message = NULL;

  switch (err->code)
    {
    case DERM_STATUS_NOT_FOUND:
      code = DERM_PHOTO_ERROR_NOT_FOUND;
      break;
    case DERM_STATUS_UNSUPPORTED:
      code = DERM_PHOTO_ERROR_UNSUPPORTED;
      break;
    case DERM_STATUS_CORRUPT:
      code = DERM_PHOTO_ERROR_CORRUPT;
      break;
    case DERM_STATUS_TOO_LARGE:
    case DERM_STATUS_NO_MEMORY:
      code = DERM_PHOTO_ERROR_TOO_LARGE;
      break;
    case DERM_STATUS_TOO_SMALL:
      code = DERM_PHOTO_ERROR_TOO_SMALL;
      break;
    default:
      code = DERM_PHOTO_ERROR_IO;
      break;
    }
  message = derm_imaging_error_message (err);
  g_set_error_literal (error, DERM_PHOTO_ERROR, code, message);
}

static gboolean
check_pixels (guint64   width,
              guint64   height,
              GError  **error)
{
  if (width == 0 || height == 0)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_CORRUPT,
                   _("The image has no pixels; the file is damaged."));
      return FALSE;
    }
  if (width * height > DERM_IMAGING_MAX_PIXELS)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_TOO_LARGE,
                   _("The image is %llux%llu pixels, over the 100 megapixel limit; export it at a smaller size."),
                   (unsigned long long) width, (unsigned long long) height);
      return FALSE;
    }
  if (width < DERM_IMAGING_MIN_SIDE || height < DERM_IMAGING_MIN_SIDE)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_TOO_SMALL,
                   _("The image is only %llux%llu pixels, too small to be a clinical photo."),
                   (unsigned long long) width, (unsigned long long) height);
      return FALSE;
    }
  return TRUE;
}

/* Area-averaging reduction to a longer side of @max_side, as a thumbnail
 * needs: every source pixel contributes, so fine detail does not alias. */
static guint8 *
downscale_rgb (const guint8 *src,
               int           src_width,
               int           src_height,
               gsize         src_stride,
               int           max_side,
               int          *out_width,
               int          *out_height)
{
  double scale = (double) max_side / MAX (src_width, src_height);
  int width = MAX (1, (int) (src_width * scale + 0.5));
  int height = MAX (1, (int) (src_height * scale + 0.5));
  g_autofree int *x0 = g_new (int, width + 1);
  g_autofree guint32 *sums = g_new0 (guint32, (gsize) width * 3);
  guint8 *dest = g_malloc ((gsize) width * height * 3);

  for (int x = 0; x <= width; x++)
    x0[x] = (int) ((gint64) x * src_width / width);

  for (int y = 0; y < height; y++)
    {
      int y0 = (int) ((gint64) y * src_height / height);
      int y1 = MAX (y0 + 1, (int) ((gint64) (y + 1) * src_height / height));
      guint8 *out = dest + (gsize) y * width * 3;

      memset (sums, 0, sizeof (guint32) * width * 3);
      for (int sy = y0; sy < y1; sy++)
        {
          const guint8 *row = src + (gsize) sy * src_stride;

          for (int x = 0; x < width; x++)
            {
              guint32 r = 0, g = 0, b = 0;
              int xe = MAX (x0[x] + 1, x0[x + 1]);

              for (int sx = x0[x]; sx < xe; sx++)
                {
                  r += row[sx * 3];
                  g += row[sx * 3 + 1];
                  b += row[sx * 3 + 2];
                }
              sums[x * 3] += r;
              sums[x * 3 + 1] += g;
              sums[x * 3 + 2] += b;
            }
        }
      for (int x = 0; x < width; x++)
        {
          guint32 n = (guint32) (MAX (x0[x] + 1, x0[x + 1]) - x0[x]) * (guint32) (y1 - y0);

          out[x * 3] = (guint8) ((sums[x * 3] + n / 2) / n);
          out[x * 3 + 1] = (guint8) ((sums[x * 3 + 1] + n / 2) / n);
          out[x * 3 + 2] = (guint8) ((sums[x * 3 + 2] + n / 2) / n);
        }
    }

  *out_width = width;
  *out_height = height;
  return dest;
}

static DermImage *
image_from_rgb (const guint8  *rgb,
                int            width,
                int            height,
                gsize          stride,
                int            max_side,
                GError       **error)
{
  DermImage *image = NULL;
  DermError err = { 0 };
  int status;

  if (max_side > 0 && MAX (width, height) > max_side)
    {
      int small_width, small_height;
      g_autofree guint8 *small = downscale_rgb (rgb, width, height, stride, max_side,
                                                &small_width, &small_height);

      status = derm_image_new_from_rgb (small_width, small_height, small,
                                        (size_t) small_width * 3, &image, &err);
    }
  else
    status = derm_image_new_from_rgb (width, height, rgb, stride, &image, &err);

  if (status != DERM_STATUS_OK)
    {
      set_error_from_status (error, &err);
      return NULL;
    }
  return image;
}

/* Where upright pixel (@x, @y) comes from in a stored @width x @height
 * raster, for TIFF/EXIF @orientation: the 0th row and 0th column of the
 * stored image are, in order, top-left (1), top-right (2), bottom-right
 * (3), bottom-left (4), left-top (5, transpose), right-top (6, turned a
 * quarter clockwise to show), right-bottom (7, transverse) and
 * left-bottom (8, turned a quarter anticlockwise to show). */
static inline gsize
oriented_source (int     orientation,
                 guint32 x,
                 guint32 y,
                 guint32 width,
                 guint32 height)
{
  guint32 sx, sy;

  switch (orientation)
    {
    case ORIENTATION_TOPRIGHT:
      sx = width - 1 - x;
      sy = y;
      break;
    case ORIENTATION_BOTRIGHT:
      sx = width - 1 - x;
      sy = height - 1 - y;
      break;
    case ORIENTATION_BOTLEFT:
      sx = x;
      sy = height - 1 - y;
      break;
    case ORIENTATION_LEFTTOP:
      sx = y;
      sy = x;
      break;
    case ORIENTATION_RIGHTTOP:
      sx = y;
      sy = height - 1 - x;
      break;
    case ORIENTATION_RIGHTBOT:
      sx = width - 1 - y;
      sy = height - 1 - x;
      break;
    case ORIENTATION_LEFTBOT:
      sx = width - 1 - y;
      sy = x;
      break;
    case ORIENTATION_TOPLEFT:
    default:
      sx = x;
      sy = y;
      break;
    }
  return (gsize) sy * width + sx;
}

static DermImage *
decode_tiff (int          fd,
             const char  *path,
             int          max_side,
             int         *full_width,
             int         *full_height,
             GError     **error)
{
  g_autofree guint32 *raster = NULL;
  g_autofree guint8 *rgb = NULL;
  guint32 width = 0, height = 0;
  guint32 upright_width, upright_height;
  guint16 orientation = ORIENTATION_TOPLEFT;
  TIFF *tif;

  /* TIFFClose() closes @fd */
  tif = TIFFFdOpen (fd, path, "r");
  if (tif == NULL)
    {
      close (fd);
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_CORRUPT,
                   _("The TIFF file is damaged and could not be opened."));
      return NULL;
    }
  TIFFGetField (tif, TIFFTAG_IMAGEWIDTH, &width);
  TIFFGetField (tif, TIFFTAG_IMAGELENGTH, &height);
  TIFFGetFieldDefaulted (tif, TIFFTAG_ORIENTATION, &orientation);
  if (orientation < ORIENTATION_TOPLEFT || orientation > ORIENTATION_LEFTBOT)
    orientation = ORIENTATION_TOPLEFT;
  if (!check_pixels (width, height, error))
    {
      TIFFClose (tif);
      return NULL;
    }

  raster = g_try_malloc ((gsize) width * height * sizeof (guint32));
  if (raster == NULL)
    {
      TIFFClose (tif);
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_TOO_LARGE,
                   _("There is not enough memory to open this image."));
      return NULL;
    }
  /* libtiff only flips, and treats the transposed orientations 5-8 as
   * 1-4; asking for the file's own orientation gets the rows exactly as
   * stored, and all eight cases are applied below. */
  if (!TIFFReadRGBAImageOriented (tif, width, height, raster, orientation, 0))
    {
      TIFFClose (tif);
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_CORRUPT,
                   _("The TIFF file is truncated or damaged and could not be decoded."));
      return NULL;
    }
  TIFFClose (tif);

  upright_width = orientation >= ORIENTATION_LEFTTOP ? height : width;
  upright_height = orientation >= ORIENTATION_LEFTTOP ? width : height;
  rgb = g_malloc ((gsize) width * height * 3);
  for (guint32 y = 0; y < upright_height; y++)
    {
      guint8 *out = rgb + (gsize) y * upright_width * 3;

      for (guint32 x = 0; x < upright_width; x++)
        {
          guint32 pixel = raster[oriented_source (orientation, x, y, width, height)];

          out[x * 3] = (guint8) TIFFGetR (pixel);
          out[x * 3 + 1] = (guint8) TIFFGetG (pixel);
          out[x * 3 + 2] = (guint8) TIFFGetB (pixel);
        }
    }
  g_clear_pointer (&raster, g_free);

  *full_width = (int) upright_width;
  *full_height = (int) upright_height;
  return image_from_rgb (rgb, (int) upright_width, (int) upright_height, (gsize) upright_width * 3,
                         max_side, error);
}

static DermImage *
decode_heif (const guint8  *data,
             gsize          len,
             int            max_side,
             int           *full_width,
             int           *full_height,
             GError       **error)
{
  struct heif_context *ctx = heif_context_alloc ();
  struct heif_image_handle *handle = NULL;
  struct heif_image *img = NULL;
  struct heif_error herr;
  const guint8 *plane;
  DermImage *image = NULL;
  int stride = 0;
  int width, height;

  herr = heif_context_read_from_memory_without_copy (ctx, data, len, NULL);
  if (herr.code != heif_error_Ok)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_CORRUPT,
                   _("The HEIC file is damaged and could not be opened (%s)."), herr.message);
      goto out;
    }
  herr = heif_context_get_primary_image_handle (ctx, &handle);
  if (herr.code != heif_error_Ok)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_CORRUPT,
                   _("The HEIC file contains no image (%s)."), herr.message);
      goto out;
    }
  if (!check_pixels ((guint64) heif_image_handle_get_width (handle),
                     (guint64) heif_image_handle_get_height (handle), error))
    goto out;

  /* libheif applies the rotation and mirroring stored in the file */
  herr = heif_decode_image (handle, &img, heif_colorspace_RGB, heif_chroma_interleaved_RGB, NULL);
  if (herr.code != heif_error_Ok)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_CORRUPT,
                   _("The HEIC image could not be decoded (%s)."), herr.message);
      goto out;
    }
  width = heif_image_get_width (img, heif_channel_interleaved);
  height = heif_image_get_height (img, heif_channel_interleaved);
  plane = heif_image_get_plane_readonly (img, heif_channel_interleaved, &stride);
  if (plane == NULL || width <= 0 || height <= 0)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_CORRUPT,
                   _("The HEIC image could not be decoded."));
      goto out;
    }
  image = image_from_rgb (plane, width, height, (gsize) stride, max_side, error);
  if (image != NULL)
    {
      *full_width = width;
      *full_height = height;
    }

out:
  if (img != NULL)
    heif_image_release (img);
  if (handle != NULL)
    heif_image_handle_release (handle);
  heif_context_free (ctx);
  return image;
}

DermImage *
derm_photo_decode_file (const char       *path,
                        DermPhotoFormat   format,
                        int               max_side,
                        int              *full_width,
                        int              *full_height,
                        GError          **error)
{
  g_autofree guint8 *data = NULL;
  int unused_width, unused_height;
  guint64 size = 0;
  gsize len = 0;
  int fd;

  if (full_width == NULL)
    full_width = &unused_width;
  if (full_height == NULL)
    full_height = &unused_height;
  *full_width = *full_height = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (max_side >= 0, NULL);

  init_libraries ();

  /* The first bytes decide, whatever the caller thought it was */
  fd = derm_photo_open (path, &format, &size, error);
  if (fd < 0)
    return NULL;
  if (format == DERM_PHOTO_FORMAT_TIFF)
    return decode_tiff (fd, path, max_side, full_width, full_height, error);

  data = read_all (fd, size, &len, error);
  close (fd);
  if (data == NULL)
    return NULL;

  switch (format)
    {
    case DERM_PHOTO_FORMAT_JPEG:
    case DERM_PHOTO_FORMAT_PNG:
      {
        DermLoadOptions options = { .max_side = max_side };
        DermImage *image = NULL;
        DermError err = { 0 };
        int width = 0, height = 0;

        if (derm_image_probe_memory (data, len, &width, &height, &err) != DERM_STATUS_OK ||
            derm_image_load_memory (data, len, &options, &image, &err) != DERM_STATUS_OK)
          {
            set_error_from_status (error, &err);
            return NULL;
          }
        *full_width = width;
        *full_height = height;
        return image;
      }
    case DERM_PHOTO_FORMAT_HEIF:
      return decode_heif (data, len, max_side, full_width, full_height, error);
    case DERM_PHOTO_FORMAT_TIFF:
    case DERM_PHOTO_FORMAT_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
}

/* --- metadata ---------------------------------------------------------- */

/* EXIF "YYYY:MM:DD HH:MM:SS" to "YYYY-MM-DDTHH:MM:SS"; NULL when malformed
 * or blank (cameras without a clock write spaces or zeros) */
static char *
parse_exif_datetime (const char *text)
{
  int y, mo, d, h, mi, s;
  g_autoptr (GDateTime) check = NULL;

  if (text == NULL || sscanf (text, "%4d:%2d:%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
    return NULL;
  check = g_date_time_new_utc (y, mo, d, h, mi, s);
  if (check == NULL || y < 1900)
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s);
}

static char *
dup_tag (GExiv2Metadata *md,
         const char     *tag)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;

  if (!gexiv2_metadata_try_has_tag (md, tag, NULL))
    return NULL;
  value = gexiv2_metadata_try_get_tag_string (md, tag, &error);
  if (value == NULL)
    return NULL;
  g_strstrip (value);
  if (value[0] == '\0' || !g_utf8_validate (value, -1, NULL))
    return NULL;
  return g_steal_pointer (&value);
}

/* The EXIF block of a HEIF file, as an APP1 segment gexiv2 can parse */
static GBytes *
heif_exif_app1 (const char *path)
{
  struct heif_context *ctx = heif_context_alloc ();
  struct heif_image_handle *handle = NULL;
  GBytes *bytes = NULL;
  heif_item_id id;

  if (heif_context_read_from_file (ctx, path, NULL).code == heif_error_Ok &&
      heif_context_get_primary_image_handle (ctx, &handle).code == heif_error_Ok &&
      heif_image_handle_get_list_of_metadata_block_IDs (handle, "Exif", &id, 1) == 1)
    {
      gsize size = heif_image_handle_get_metadata_size (handle, id);
      g_autofree guint8 *data = size > 4 ? g_malloc (size) : NULL;

      if (data != NULL && heif_image_handle_get_metadata (handle, id, data).code == heif_error_Ok)
        {
          /* 4 bytes of offset to the TIFF header come first */
          guint32 offset = ((guint32) data[0] << 24) | ((guint32) data[1] << 16) |
                           ((guint32) data[2] << 8) | data[3];

          if ((gsize) offset + 4 < size)
            {
              GByteArray *app1 = g_byte_array_new ();

              g_byte_array_append (app1, (const guint8 *) "Exif\0\0", 6);
              g_byte_array_append (app1, data + 4 + offset, (guint) (size - 4 - offset));
              bytes = g_byte_array_free_to_bytes (app1);
            }
        }
    }

  if (handle != NULL)
    heif_image_handle_release (handle);
  heif_context_free (ctx);
  return bytes;
}

void
derm_photo_read_metadata (const char        *path,
                          DermPhotoFormat    format,
                          DermPhotoMetadata *metadata)
{
  g_autoptr (GExiv2Metadata) md = NULL;
  g_autofree char *when = NULL;
  gboolean opened;
  int orientation;

  g_return_if_fail (path != NULL);
  g_return_if_fail (metadata != NULL);

  memset (metadata, 0, sizeof *metadata);
  metadata->orientation = 1;

  init_libraries ();

  md = gexiv2_metadata_new ();
  opened = gexiv2_metadata_open_path (md, path, NULL);
  if (!opened && format == DERM_PHOTO_FORMAT_HEIF)
    {
      g_autoptr (GBytes) app1 = heif_exif_app1 (path);

      g_clear_object (&md);
      md = gexiv2_metadata_new ();
      if (app1 != NULL)
        opened = gexiv2_metadata_from_app1_segment (md, g_bytes_get_data (app1, NULL),
                                                    (glong) g_bytes_get_size (app1), NULL);
    }
  if (!opened)
    return;

  if (format != DERM_PHOTO_FORMAT_HEIF)
    {
      metadata->width = gexiv2_metadata_get_pixel_width (md);
      metadata->height = gexiv2_metadata_get_pixel_height (md);
    }

  orientation = (int) gexiv2_metadata_try_get_orientation (md, NULL);
  metadata->orientation = orientation >= 1 && orientation <= 8 ? orientation : 1;

  when = dup_tag (md, "Exif.Photo.DateTimeOriginal");
  if (when == NULL)
    when = dup_tag (md, "Exif.Photo.DateTimeDigitized");
  if (when == NULL)
    when = dup_tag (md, "Exif.Image.DateTime");
  metadata->captured_at = parse_exif_datetime (when);
  metadata->camera_make = dup_tag (md, "Exif.Image.Make");
  metadata->camera_model = dup_tag (md, "Exif.Image.Model");
}

void
derm_photo_metadata_clear (DermPhotoMetadata *metadata)
{
  g_clear_pointer (&metadata->captured_at, g_free);
  g_clear_pointer (&metadata->camera_make, g_free);
  g_clear_pointer (&metadata->camera_model, g_free);
}


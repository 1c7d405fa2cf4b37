/* test-decode.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How photo files get into the imaging library: damaged JPEGs (libjpeg
 * warnings) and PNGs refused on every decode path, headers claiming more
 * pixels than the file can hold refused before decoding, files that are
 * not regular files refused before anything is read, nothing printed on
 * stderr, and what is written reads back.
 */
#include "derm-imaging.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* A photo-like image: smooth colour gradients with some noise, so that
 * the JPEG has real AC data to damage. */
static DermImage *
test_image (int w, int h)
{
  g_autofree guint8 *rgb = g_malloc ((gsize) w * h * 3);
  GRand *rand = g_rand_new_with_seed (7);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint8 *p = rgb + 3 * ((gsize) y * w + x);
        p[0] = (guint8) CLAMP (120 + 80 * sin (x / 23.0) + g_rand_int_range (rand, -20, 20), 0, 255);
        p[1] = (guint8) CLAMP (100 + 60 * cos (y / 17.0) + g_rand_int_range (rand, -20, 20), 0, 255);
        p[2] = (guint8) CLAMP (90 + 50 * sin ((x + y) / 31.0) + g_rand_int_range (rand, -20, 20), 0, 255);
      }
  g_rand_free (rand);
  DermImage *img = NULL;
  DermError err;
  g_assert_cmpint (derm_image_new_from_rgb (w, h, rgb, (size_t) w * 3, &img, &err), ==, DERM_STATUS_OK);
  return img;
}

static guint8 *
saved_bytes (const DermImage *img, const char *name, int quality, gsize *len)
{
  g_autofree char *path = tmp_path (name);
  DermError err;
  char *data = NULL;
  g_assert_cmpint (derm_image_save (img, path, quality, &err), ==, DERM_STATUS_OK);
  g_assert_true (g_file_get_contents (path, &data, len, NULL));
  return (guint8 *) data;
}

static int
load_bytes (const guint8 *data, gsize len, int max_side, DermError *err)
{
  DermLoadOptions opt = { max_side };
  DermImage *img = NULL;
  int status = derm_image_load_memory (data, len, &opt, &img, err);
  if (status == DERM_STATUS_OK)
    g_assert_nonnull (img);
  else
    g_assert_null (img);
  derm_image_free (img);
  return status;
}

static int
load_path (const char *path, DermError *err)
{
  DermImage *img = NULL;
  int status = derm_image_load_file (path, NULL, &img, err);
  g_test_message ("%s: %s (%s)", path, err->message, derm_status_to_string (status));
  if (status != DERM_STATUS_OK)
    g_assert_null (img);
  derm_image_free (img);
  return status;
}

static size_t
jpeg_scan_start (const guint8 *d, size_t n)
{
  for (size_t i = 2; i + 4 < n; i++)
    if (d[i] == 0xFF && d[i + 1] == 0xDA)
      return i + 2 + ((size_t) d[i + 2] << 8 | d[i + 3]);
  g_assert_not_reached ();
}

/* ------------------------------------------------------------ JPEG */

/* Issue 11: 200 bytes overwritten in the middle of the scan were analysed
 * (visibly broken) with exit 0. Every decode path refuses them now: full
 * resolution, the DC thumbnail (1/8) and the reduced IDCTs (1/2, 1/4). */
static void
test_jpeg_damaged_mid_scan (void)
{
  DermImage *img = test_image (1024, 768);
  gsize len;
  g_autofree guint8 *orig = saved_bytes (img, "mid-scan.jpg", 90, &len);
  derm_image_free (img);
  const int sides[] = { 0, 100, 256, 512 };
  DermError err;

  for (guint s = 0; s < G_N_ELEMENTS (sides); s++)
    g_assert_cmpint (load_bytes (orig, len, sides[s], &err), ==, DERM_STATUS_OK);

  size_t scan = jpeg_scan_start (orig, len);
  g_autofree guint8 *d = g_memdup2 (orig, len);
  GRand *rand = g_rand_new_with_seed (11);
  for (int trial = 0; trial < 5; trial++)
    {
      memcpy (d, orig, len);
      size_t at = scan + (len - scan) * (size_t) (trial + 2) / 9;
      for (size_t i = 0; i < 200; i++)
        d[at + i] = (guint8) g_rand_int_range (rand, 0, 255);  /* never 0xFF: no marker */
      for (guint s = 0; s < G_N_ELEMENTS (sides); s++)
        {
          int status = load_bytes (d, len, sides[s], &err);
          g_test_message ("200 bytes at %zu, max_side %d: %s", at, sides[s], err.message);
          g_assert_cmpint (status, ==, DERM_STATUS_CORRUPT);
          g_assert_nonnull (strstr (err.message, "damaged"));
        }
    }
  g_rand_free (rand);
}

/* Every libjpeg warning refuses the file, including those about what
 * follows the last row (extraneous bytes before the end-of-image marker),
 * which only reading on to the marker sees. */
static void
test_jpeg_warning_after_scan (void)
{
  DermImage *img = test_image (256, 256);
  gsize len;
  g_autofree guint8 *orig = saved_bytes (img, "extra.jpg", 90, &len);
  derm_image_free (img);
  g_assert_cmpint (orig[len - 2], ==, 0xFF);
  g_assert_cmpint (orig[len - 1], ==, 0xD9);
  /* Three junk bytes before the end-of-image marker. */
  g_autofree guint8 *d = g_malloc (len + 3);
  memcpy (d, orig, len - 2);
  memcpy (d + len - 2, "\x12\x34\x56\xFF\xD9", 5);
  DermError err;
  const int sides[] = { 0, 32, 64, 128 };
  for (guint s = 0; s < G_N_ELEMENTS (sides); s++)
    {
      int status = load_bytes (d, len + 3, sides[s], &err);
      g_test_message ("max_side %d: %s", sides[s], err.message);
      g_assert_cmpint (status, ==, DERM_STATUS_CORRUPT);
    }
}

/* Issue 11: a 48 KB file whose header claims 9000x9000 took 2.8 s and
 * 768 MB and was analysed as grey filler. It is refused from its header. */
static void
test_jpeg_header_claims_more_than_file (void)
{
  DermImage *img = test_image (400, 300);
  gsize len;
  g_autofree guint8 *d = saved_bytes (img, "claims.jpg", 95, &len);
  derm_image_free (img);
  g_test_message ("file of %zu bytes", len);
  g_assert_cmpuint (len, >, 30000);
  g_assert_cmpuint (len, <, 120000);
  gboolean patched = FALSE;
  for (size_t i = 2; i + 9 < len && !patched; i++)
    if (d[i] == 0xFF && d[i + 1] == 0xC0)
      {
        d[i + 5] = 9000 >> 8;
        d[i + 6] = 9000 & 0xFF;
        d[i + 7] = 9000 >> 8;
        d[i + 8] = 9000 & 0xFF;
        patched = TRUE;
      }
  g_assert_true (patched);
  g_autofree char *path = tmp_path ("claims-9000.jpg");
  g_assert_true (g_file_set_contents (path, (const char *) d, (gssize) len, NULL));
  DermError err;
  gint64 t0 = g_get_monotonic_time ();
  int status = load_path (path, &err);
  gint64 elapsed = g_get_monotonic_time () - t0;
  g_test_message ("refused in %.1f ms", elapsed / 1000.0);
  g_assert_cmpint (status, ==, DERM_STATUS_CORRUPT);
  g_assert_nonnull (strstr (err.message, "9000x9000"));
  g_assert_cmpint (elapsed, <, 200000);
  g_assert_cmpint (load_bytes (d, len, 256, &err), ==, DERM_STATUS_CORRUPT);
}

/* ------------------------------------------------------------ files */

/* Issue 11: a FIFO given to analyze blocked forever; /dev/zero was read up
 * to 2 GB. Neither is read at all now; a folder is refused by name. */
static void
test_file_not_regular (void)
{
  g_autofree char *fifo = tmp_path ("fifo.jpg");
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  DermError err;
  gint64 t0 = g_get_monotonic_time ();
  g_assert_cmpint (load_path (fifo, &err), ==, DERM_STATUS_UNSUPPORTED);
  g_assert_nonnull (strstr (err.message, "not a regular file"));
  g_assert_cmpint (load_path ("/dev/zero", &err), ==, DERM_STATUS_UNSUPPORTED);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 1000000);
  g_assert_cmpint (load_path (tmp_dir, &err), ==, DERM_STATUS_UNSUPPORTED);
  g_assert_nonnull (strstr (err.message, "folder"));
  g_unlink (fifo);
}

/* The size is checked before reading: a sparse file over the limit is
 * refused at once, and one at the limit that is not an image is refused
 * from its first bytes without reading the rest. */
static void
test_file_size_before_reading (void)
{
  g_autofree char *big = tmp_path ("sparse.jpg");
  int fd = g_open (big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) DERM_IMAGING_MAX_FILE_SIZE + 1), ==, 0);
  DermError err;
  gint64 t0 = g_get_monotonic_time ();
  g_assert_cmpint (load_path (big, &err), ==, DERM_STATUS_TOO_LARGE);
  g_assert_cmpint (ftruncate (fd, (off_t) DERM_IMAGING_MAX_FILE_SIZE), ==, 0);
  close (fd);
  g_assert_cmpint (load_path (big, &err), ==, DERM_STATUS_UNSUPPORTED);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 1000000);
  g_unlink (big);
}

/* ------------------------------------------------------------ PNG */

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
}

/* @png with a chunk of @type and @data inserted after IHDR. */
static GByteArray *
png_with_chunk (const guint8 *png, gsize len, const char *type, const guint8 *data, gsize data_len)
{
  GByteArray *out = g_byte_array_new ();
  guint8 head[8], crc[4];
  g_byte_array_append (out, png, 33);  /* signature + IHDR */
  put_be32 (head, (guint32) data_len);
  memcpy (head + 4, type, 4);
  g_byte_array_append (out, head, 8);
  g_byte_array_append (out, data, (guint) data_len);
  uLong c = crc32 (0, head + 4, 4);
  c = crc32 (c, data, (uInt) data_len);
  put_be32 (crc, (guint32) c);
  g_byte_array_append (out, crc, 4);
  g_byte_array_append (out, png + 33, (guint) (len - 33));
  return out;
}

static void
load_png_with_bad_iccp (void)
{
  DermImage *img = test_image (64, 48);
  gsize len;
  g_autofree guint8 *png = saved_bytes (img, "iccp-base.png", 0, &len);
  derm_image_free (img);
  /* An ICC profile whose length field does not match its size: libpng
   * skips it with "libpng warning: iCCP: ...". */
  guint8 profile[256] = { 0 };
  put_be32 (profile, 9999);
  memcpy (profile + 36, "acsp", 4);
  guint8 chunk[400];
  memcpy (chunk, "bogus\0\0", 7);  /* name, NUL, compression method 0 */
  uLongf zlen = sizeof chunk - 7;
  g_assert_cmpint (compress (chunk + 7, &zlen, profile, sizeof profile), ==, Z_OK);
  g_autoptr (GByteArray) with = png_with_chunk (png, len, "iCCP", chunk, 7 + zlen);
  DermError err;
  g_assert_cmpint (load_bytes (with->data, with->len, 0, &err), ==, DERM_STATUS_OK);
  g_assert_cmpint (load_bytes (with->data, with->len, 16, &err), ==, DERM_STATUS_OK);
}

/* Issue 11: libpng printed "libpng warning: iCCP: ..." on stderr when the
 * load succeeded. A library prints nothing. */
static void
test_png_iccp_warning_silent (void)
{
  if (g_test_subprocess ())
    {
      load_png_with_bad_iccp ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("?*");
}

/* A damaged PNG (a flipped bit in the image data, a file cut short before
 * its end) is refused, not decoded with a guess. */
static void
test_png_damaged (void)
{
  DermImage *img = test_image (200, 150);
  gsize len;
  g_autofree guint8 *png = saved_bytes (img, "damaged-base.png", 0, &len);
  derm_image_free (img);
  DermError err;
  g_assert_cmpint (load_bytes (png, len, 0, &err), ==, DERM_STATUS_OK);

  size_t idat = 0;
  for (size_t i = 8; i + 8 < len; i++)
    if (memcmp (png + i, "IDAT", 4) == 0)
      {
        idat = i + 4;
        break;
      }
  g_assert_cmpuint (idat, >, 0);
  g_autofree guint8 *d = g_memdup2 (png, len);
  d[idat + 100] ^= 0x10;
  g_assert_cmpint (load_bytes (d, len, 0, &err), ==, DERM_STATUS_CORRUPT);
  g_test_message ("bit flip: %s", err.message);
  g_assert_cmpint (load_bytes (d, len, 64, &err), ==, DERM_STATUS_CORRUPT);
  const double cuts[] = { 0.5, 0.9 };
  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_assert_cmpint (load_bytes (png, (gsize) (len * cuts[i]), 0, &err), ==, DERM_STATUS_CORRUPT);
      g_test_message ("cut at %.0f%%: %s", cuts[i] * 100, err.message);
    }
  /* Only IEND missing. */
  g_assert_cmpint (load_bytes (png, len - 12, 0, &err), ==, DERM_STATUS_CORRUPT);
}

/* ------------------------------------------------------------ writing */

static void
test_save_round_trip (void)
{
  DermImage *img = test_image (120, 90);
  g_autofree guint8 *rgb = g_malloc (120 * 90 * 3);
  derm_image_copy_rgb (img, rgb, 120 * 3);
  gsize len;
  DermError err;

  g_autofree guint8 *png = saved_bytes (img, "round.png", 0, &len);
  DermImage *back = NULL;
  g_assert_cmpint (derm_image_load_memory (png, len, NULL, &back, &err), ==, DERM_STATUS_OK);
  g_autofree guint8 *rgb2 = g_malloc (120 * 90 * 3);
  derm_image_copy_rgb (back, rgb2, 120 * 3);
  g_assert_cmpmem (rgb, 120 * 90 * 3, rgb2, 120 * 90 * 3);
  derm_image_free (back);

  g_autofree guint8 *jpg = saved_bytes (img, "round.jpg", 95, &len);
  back = NULL;
  g_assert_cmpint (derm_image_load_memory (jpg, len, NULL, &back, &err), ==, DERM_STATUS_OK);
  derm_image_copy_rgb (back, rgb2, 120 * 3);
  double sum = 0;
  for (int i = 0; i < 120 * 90 * 3; i++)
    sum += ABS ((int) rgb[i] - (int) rgb2[i]);
  g_test_message ("JPEG q95 mean abs error %.2f", sum / (120 * 90 * 3));
  g_assert_cmpfloat (sum / (120 * 90 * 3), <, 12.0);
  derm_image_free (back);

  g_autofree char *nowhere = tmp_path ("no-such-dir/x.png");
  g_assert_cmpint (derm_image_save (img, nowhere, 0, &err), ==, DERM_STATUS_NOT_FOUND);
  derm_image_free (img);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  tmp_dir = g_dir_make_tmp ("dermis-decode-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/decode/jpeg/damaged-mid-scan-refused-on-every-path", test_jpeg_damaged_mid_scan);
  g_test_add_func ("/decode/jpeg/extraneous-bytes-after-scan-refused", test_jpeg_warning_after_scan);
  g_test_add_func ("/decode/jpeg/header-claiming-more-than-the-file-refused", test_jpeg_header_claims_more_than_file);
  g_test_add_func ("/decode/file/fifo-dev-zero-folder-refused-unread", test_file_not_regular);
  g_test_add_func ("/decode/file/size-checked-before-reading", test_file_size_before_reading);
  g_test_add_func ("/decode/png/iccp-warning-not-printed", test_png_iccp_warning_silent);
  g_test_add_func ("/decode/png/damaged-refused", test_png_damaged);
  g_test_add_func ("/decode/save/png-exact-jpeg-close", test_save_round_trip);

  int rc = g_test_run ();
  /* Only files this test made. */
  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = tmp_path (name);
      g_unlink (p);
    }
  g_rmdir (tmp_dir);
  return rc;
}

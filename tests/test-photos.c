/* test-photos.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The photo library: import and dedupe, metadata and orientation (JPEG
 * and TIFF), HEIC,
 * bad files failing alone, Recently removed, recovery, verify, export
 * without GPS, and a real dermis-cli import killed with SIGKILL.
 */
#define G_LOG_DOMAIN "test-photos"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <gexiv2/gexiv2.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <tiffio.h>

#include "derm-client.h"
#include "derm-imaging.h"
#include "derm-photo-decode.h"
#include "derm-photo-library.h"
#include "derm-photo.h"
#include "derm-store-photos.h"
#include "derm-store-private.h"
#include "derm-store.h"
#include "derm-thumbnailer.h"
#include "derm-treatment.h"
#include "derm-test-utils.h"

typedef struct
{
  DermTestStore     fx;
  /* Shorthands into fx */
  char             *dir;
  char             *data_dir;
  char             *files_dir;
  DermStore        *store;
  DermThumbnailer  *thumbnailer;
  DermPhotoLibrary *library;
  gint64            client_id;
  gint64            other_client_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  derm_test_store_set_up (&f->fx, "photos");
  f->dir = f->fx.dir;
  f->data_dir = f->fx.data_dir;
  f->files_dir = f->fx.files_dir;
  f->store = f->fx.store;
  f->thumbnailer = f->fx.thumbnailer;
  f->library = f->fx.library;
  f->client_id = derm_test_add_client (f->store, "Ada Lovelace");
  f->other_client_id = derm_test_add_client (f->store, "Grace Hopper");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  derm_test_store_tear_down (&f->fx);
}

/* --- making test photos ------------------------------------------------ */

/* The picture as it must be displayed: four coloured quadrants */
static void
quadrant_colour (int     x,
                 int     y,
                 int     width,
                 int     height,
                 guint8  rgb[3])
{
  static const guint8 colours[4][3] = {
    { 220, 30, 30 },   /* top left: red */
    { 30, 200, 30 },   /* top right: green */
    { 30, 30, 220 },   /* bottom left: blue */
    { 240, 240, 240 }, /* bottom right: white */
  };
  int q = (y >= height / 2 ? 2 : 0) + (x >= width / 2 ? 1 : 0);

  memcpy (rgb, colours[q], 3);
}

/* Where stored pixel (x, y) of a @width x @height file lands on screen
 * once EXIF @orientation is applied */
static void
orient (int  orientation,
        int  x,
        int  y,
        int  width,
        int  height,
        int *dx,
        int *dy)
{
  switch (orientation)
    {
    case 2: *dx = width - 1 - x; *dy = y; break;
    case 3: *dx = width - 1 - x; *dy = height - 1 - y; break;
    case 4: *dx = x; *dy = height - 1 - y; break;
    case 5: *dx = y; *dy = x; break;
    case 6: *dx = height - 1 - y; *dy = x; break;
    case 7: *dx = height - 1 - y; *dy = width - 1 - x; break;
    case 8: *dx = y; *dy = width - 1 - x; break;
    case 1:
    default: *dx = x; *dy = y; break;
    }
}

/* A JPEG stored so that, with @orientation applied, it shows the quadrants */
static char *
make_jpeg (const char *dir,
           const char *name,
           int         width,
           int         height,
           int         orientation,
           guint32     noise_seed)
{
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);
  char *path = g_build_filename (dir, name, NULL);
  gboolean swapped = orientation >= 5;
  int shown_width = swapped ? height : width;
  int shown_height = swapped ? width : height;
  GRand *rand = noise_seed ? g_rand_new_with_seed (noise_seed) : NULL;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = rgb + ((gsize) y * width + x) * 3;
        int dx, dy;

        orient (orientation, x, y, width, height, &dx, &dy);
        quadrant_colour (dx, dy, shown_width, shown_height, p);
        if (rand != NULL)
          for (int c = 0; c < 3; c++)
            p[c] = (guint8) CLAMP (p[c] + g_rand_int_range (rand, -25, 25), 0, 255);
      }
  g_clear_pointer (&rand, g_rand_free);

  derm_test_write_jpeg (path, width, height, rgb, (gsize) width * 3, 92);
  return path;
}

/* A TIFF stored so that, with its Orientation tag applied, it shows the
 * quadrants. libtiff writes the tag itself: no EXIF involved. */
static char *
make_tiff (const char *dir,
           const char *name,
           int         width,
           int         height,
           int         orientation)
{
  g_autofree guint8 *row = g_malloc ((gsize) width * 3);
  char *path = g_build_filename (dir, name, NULL);
  gboolean swapped = orientation >= 5;
  int shown_width = swapped ? height : width;
  int shown_height = swapped ? width : height;
  TIFF *tif = TIFFOpen (path, "w");

  g_assert_nonnull (tif);
  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, (guint32) width);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, (guint32) height);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 3);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
  TIFFSetField (tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField (tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
  TIFFSetField (tif, TIFFTAG_ORIENTATION, orientation);
  TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize (tif, 0));
  for (int y = 0; y < height; y++)
    {
      for (int x = 0; x < width; x++)
        {
          int dx, dy;

          orient (orientation, x, y, width, height, &dx, &dy);
          quadrant_colour (dx, dy, shown_width, shown_height, row + (gsize) x * 3);
        }
      g_assert_cmpint (TIFFWriteScanline (tif, row, (guint32) y, 0), ==, 1);
    }
  TIFFClose (tif);
  return path;
}

static void
write_exif (const char *path,
            int         orientation,
            const char *datetime,
            gboolean    with_gps)
{
  g_autoptr (GExiv2Metadata) md = gexiv2_metadata_new ();
  g_autoptr (GError) error = NULL;

  gexiv2_metadata_open_path (md, path, &error);
  g_assert_no_error (error);
  gexiv2_metadata_try_set_orientation (md, (GExiv2Orientation) orientation, &error);
  g_assert_no_error (error);
  if (datetime != NULL)
    {
      gexiv2_metadata_try_set_tag_string (md, "Exif.Photo.DateTimeOriginal", datetime, &error);
      g_assert_no_error (error);
    }
  gexiv2_metadata_try_set_tag_string (md, "Exif.Image.Make", "Canon", &error);
  g_assert_no_error (error);
  gexiv2_metadata_try_set_tag_string (md, "Exif.Image.Model", "Canon EOS R6", &error);
  g_assert_no_error (error);
  if (with_gps)
    {
      gexiv2_metadata_try_set_gps_info (md, 2.35, 48.85, 35.0, &error);
      g_assert_no_error (error);
    }
  gexiv2_metadata_save_file (md, path, &error);
  g_assert_no_error (error);
}

static DermPhoto *
import_path (Fixture     *f,
             gint64       client_id,
             const char  *path,
             GError     **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);

  return derm_photo_library_import_file (f->library, client_id, file, NULL, NULL, error);
}

static char *
sha256_of (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        n += g_str_equal (name, ".tmp") ? 0 : count_files (child);
      else
        n++;
    }
  return n;
}

/* --- tests ------------------------------------------------------------- */

static void
test_import_dedupe (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = make_jpeg (f->files_dir, "front.jpg", 200, 150, 1, 1);
  g_autofree char *copy = g_build_filename (f->files_dir, "same-bytes-other-name.jpg", NULL);
  g_autofree char *expected = sha256_of (path);
  g_autofree char *stored = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *original = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPhoto) photo = NULL;
  g_autoptr (DermPhoto) again = NULL;
  g_autoptr (DermPhoto) other = NULL;
  g_autoptr (GPtrArray) list = NULL;
  gsize length, original_length;

  photo = import_path (f, f->client_id, path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (derm_photo_get_id (photo), >, 0);
  g_assert_cmpstr (derm_photo_get_sha256 (photo), ==, expected);
  g_assert_cmpstr (derm_photo_get_mime_type (photo), ==, "image/jpeg");
  g_assert_cmpstr (derm_photo_get_original_name (photo), ==, "front.jpg");
  g_assert_cmpint (derm_photo_get_width (photo), ==, 200);
  g_assert_cmpint (derm_photo_get_height (photo), ==, 150);

  /* Stored byte for byte under its hash */
  stored = derm_photo_library_get_original_path (f->library, expected);
  {
    g_autofree char *tail = g_strdup_printf ("/photos/%.2s/%s", expected, expected);
    g_assert_true (g_str_has_suffix (stored, tail));
  }
  g_file_get_contents (stored, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_get_contents (path, &original, &original_length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, original, original_length);

  /* Twice for the same client: refused, no second copy */
  g_assert_true (g_file_set_contents (copy, original, (gssize) original_length, NULL));
  again = import_path (f, f->client_id, copy, &error);
  g_assert_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_DUPLICATE);
  g_assert_null (again);
  g_assert_nonnull (strstr (error->message, "Already in this client"));
  g_clear_error (&error);

  /* Another client: a second row, still one file */
  other = import_path (f, f->other_client_id, copy, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_files (derm_photo_library_get_photos_dir (f->library)), ==, 1);

  list = derm_store_list_photos (f->store, f->client_id, DERM_PHOTO_LIST_ACTIVE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  /* Nothing is left in the temporary folder */
  {
    g_autofree char *tmp = g_build_filename (derm_photo_library_get_photos_dir (f->library), ".tmp", NULL);
    g_assert_cmpuint (count_files (tmp), ==, 0);
  }
}

static void
test_unknown_client_leaves_nothing (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *path = make_jpeg (f->files_dir, "a.jpg", 100, 80, 1, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPhoto) photo = import_path (f, 9999, path, &error);

  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
  g_assert_null (photo);
  g_assert_cmpuint (count_files (derm_photo_library_get_photos_dir (f->library)), ==, 0);
}

static void
test_metadata_and_session (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = make_jpeg (f->files_dir, "session.jpg", 120, 90, 1, 0);
  g_autoptr (DermTreatment) treatment = derm_treatment_new ();
  g_autoptr (DermPhoto) photo = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *camera = NULL;

  derm_treatment_set_client_id (treatment, f->client_id);
  derm_treatment_set_date (treatment, "2024-03-14");
  derm_store_add_treatment (f->store, treatment, &error);
  g_assert_no_error (error);

  write_exif (path, 1, "2024:03:14 10:22:33", FALSE);
  photo = import_path (f, f->client_id, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_photo_get_captured_at (photo), ==, "2024-03-14T10:22:33");
  g_assert_cmpstr (derm_photo_get_camera_make (photo), ==, "Canon");
  g_assert_cmpstr (derm_photo_get_camera_model (photo), ==, "Canon EOS R6");
  camera = derm_photo_dup_camera (photo);
  g_assert_cmpstr (camera, ==, "Canon EOS R6");
  /* Suggested by the capture date */
  g_assert_cmpint (derm_photo_get_treatment_id (photo), ==, derm_treatment_get_id (treatment));

  /* Editable afterwards */
  derm_photo_set_treatment_id (photo, 0);
  derm_photo_set_view (photo, DERM_PHOTO_VIEW_LEFT_45);
  derm_photo_set_area (photo, "left cheek");
  derm_store_update_photo (f->store, photo, &error);
  g_assert_no_error (error);
  {
    g_autoptr (DermPhoto) back = derm_store_get_photo (f->store, derm_photo_get_id (photo), &error);

    g_assert_no_error (error);
    g_assert_cmpint (derm_photo_get_treatment_id (back), ==, 0);
    g_assert_cmpint (derm_photo_get_view (back), ==, DERM_PHOTO_VIEW_LEFT_45);
    g_assert_cmpstr (derm_photo_get_area (back), ==, "left cheek");
  }

  /* Another client's session is refused */
  {
    g_autoptr (DermTreatment) foreign = derm_treatment_new ();

    derm_treatment_set_client_id (foreign, f->other_client_id);
    derm_treatment_set_date (foreign, "2024-03-15");
    derm_store_add_treatment (f->store, foreign, &error);
    g_assert_no_error (error);
    derm_photo_set_treatment_id (photo, derm_treatment_get_id (foreign));
    g_assert_false (derm_store_update_photo (f->store, photo, &error));
    g_assert_nonnull (error);
  }
}

static void
assert_colour (const guint8 *rgb,
               int           stride,
               int           x,
               int           y,
               int           q,
               int           orientation)
{
  guint8 expected[3];
  const guint8 *p = rgb + (gsize) y * stride + (gsize) x * 3;

  quadrant_colour (q & 1 ? 3 : 0, q & 2 ? 3 : 0, 4, 4, expected);
  for (int c = 0; c < 3; c++)
    if (ABS ((int) p[c] - (int) expected[c]) > 40)
      g_error ("orientation %d: quadrant %d at (%d, %d) is %u,%u,%u, expected %u,%u,%u",
               orientation, q, x, y, p[0], p[1], p[2], expected[0], expected[1], expected[2]);
}

/* @photo, imported from a @width x @height file with @orientation, is
 * upright in its recorded size, its thumbnail and the viewer's decode */
static void
assert_imported_upright (Fixture   *f,
                         DermPhoto *photo,
                         int        orientation,
                         int        width,
                         int        height)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *thumb = NULL;
  g_autofree guint8 *rgb = NULL;
  DermImage *image = NULL;
  DermError err = { 0 };
  gboolean swapped = orientation >= 5;
  int w, h;

  g_assert_cmpint (derm_photo_get_orientation (photo), ==, orientation);
  g_assert_cmpint (derm_photo_get_width (photo), ==, swapped ? height : width);
  g_assert_cmpint (derm_photo_get_height (photo), ==, swapped ? width : height);

  /* The thumbnail, as the gallery shows it, is upright */
  thumb = derm_thumbnailer_get_path (f->thumbnailer, derm_photo_get_sha256 (photo), DERM_THUMBNAIL_SIZE);
  g_assert_true (g_file_test (thumb, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (derm_image_load_file (thumb, NULL, &image, &err), ==, DERM_STATUS_OK);
  w = derm_image_get_width (image);
  h = derm_image_get_height (image);
  g_assert_cmpint (MAX (w, h), ==, DERM_THUMBNAIL_SIZE);
  g_assert_cmpint (w > h, ==, !swapped);
  rgb = g_malloc ((gsize) w * h * 3);
  derm_image_copy_rgb (image, rgb, (size_t) w * 3);
  assert_colour (rgb, w * 3, w / 4, h / 4, 0, orientation);
  assert_colour (rgb, w * 3, 3 * w / 4, h / 4, 1, orientation);
  assert_colour (rgb, w * 3, w / 4, 3 * h / 4, 2, orientation);
  assert_colour (rgb, w * 3, 3 * w / 4, 3 * h / 4, 3, orientation);
  derm_image_free (image);

  /* So is the full decode the viewer uses */
  {
    g_autofree char *original = derm_photo_library_get_original_path (f->library, derm_photo_get_sha256 (photo));
    g_autofree guint8 *full = NULL;
    int full_width = 0, full_height = 0;
    DermImage *decoded = derm_photo_decode_file (original, DERM_PHOTO_FORMAT_UNKNOWN, 0,
                                                 &full_width, &full_height, &error);

    g_assert_no_error (error);
    w = derm_image_get_width (decoded);
    h = derm_image_get_height (decoded);
    g_assert_cmpint (w, ==, derm_photo_get_width (photo));
    g_assert_cmpint (h, ==, derm_photo_get_height (photo));
    g_assert_cmpint (full_width, ==, w);
    g_assert_cmpint (full_height, ==, h);
    full = g_malloc ((gsize) w * h * 3);
    derm_image_copy_rgb (decoded, full, (size_t) w * 3);
    assert_colour (full, w * 3, w / 4, h / 4, 0, orientation);
    assert_colour (full, w * 3, 3 * w / 4, h / 4, 1, orientation);
    assert_colour (full, w * 3, w / 4, 3 * h / 4, 2, orientation);
    assert_colour (full, w * 3, 3 * w / 4, 3 * h / 4, 3, orientation);
    derm_image_free (decoded);
  }
}

static void
test_orientation_upright (Fixture       *f,
                          gconstpointer  data)
{
  for (int orientation = 1; orientation <= 8; orientation++)
    {
      g_autofree char *name = g_strdup_printf ("orientation-%d.jpg", orientation);
      g_autofree char *path = make_jpeg (f->files_dir, name, 1280, 960, orientation, 0);
      g_autoptr (DermPhoto) photo = NULL;
      g_autoptr (GError) error = NULL;

      write_exif (path, orientation, NULL, FALSE);
      photo = import_path (f, f->client_id, path, &error);
      g_assert_no_error (error);
      assert_imported_upright (f, photo, orientation, 1280, 960);
    }
}

static void
test_tiff_orientation_upright (Fixture       *f,
                               gconstpointer  data)
{
  for (int orientation = 1; orientation <= 8; orientation++)
    {
      g_autofree char *name = g_strdup_printf ("orientation-%d.tif", orientation);
      g_autofree char *path = make_tiff (f->files_dir, name, 640, 400, orientation);
      g_autoptr (DermPhoto) photo = NULL;
      g_autoptr (GError) error = NULL;

      g_assert_cmpint (derm_photo_format_sniff_file (path), ==, DERM_PHOTO_FORMAT_TIFF);
      photo = import_path (f, f->client_id, path, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (derm_photo_get_mime_type (photo), ==, "image/tiff");
      assert_imported_upright (f, photo, orientation, 640, 400);
    }
}

static char *
find_heif_enc (void)
{
  return g_find_program_in_path ("heif-enc");
}

static void
test_heic_import (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *heif_enc = find_heif_enc ();
  g_autofree char *jpeg = NULL;
  g_autofree char *heic = NULL;
  g_autofree char *thumb = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPhoto) photo = NULL;
  int status = -1;

  if (heif_enc == NULL)
    {
      g_test_skip ("heif-enc (Debian package libheif-examples) is not installed");
      return;
    }

  jpeg = make_jpeg (f->files_dir, "phone.jpg", 640, 480, 1, 0);
  write_exif (jpeg, 1, "2024:05:01 09:00:00", FALSE);
  heic = g_build_filename (f->files_dir, "IMG_0001.HEIC", NULL);
  {
    const char *argv[] = { heif_enc, "-q", "90", "-o", heic, jpeg, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_assert_cmpint (derm_photo_format_sniff_file (heic), ==, DERM_PHOTO_FORMAT_HEIF);

  photo = import_path (f, f->client_id, heic, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_photo_get_mime_type (photo), ==, "image/heic");
  g_assert_cmpint (derm_photo_get_width (photo), ==, 640);
  g_assert_cmpint (derm_photo_get_height (photo), ==, 480);
  g_assert_cmpstr (derm_photo_get_captured_at (photo), ==, "2024-05-01T09:00:00");

  thumb = derm_thumbnailer_get_path (f->thumbnailer, derm_photo_get_sha256 (photo), DERM_THUMBNAIL_SIZE);
  g_assert_true (g_file_test (thumb, G_FILE_TEST_IS_REGULAR));
  /* Regenerated when missing, from the stored HEIC */
  g_unlink (thumb);
  {
    g_autofree char *original = derm_photo_library_get_original_path (f->library, derm_photo_get_sha256 (photo));
    g_autofree char *again = derm_thumbnailer_ensure (f->thumbnailer, derm_photo_get_sha256 (photo), original,
                                                      "image/heic", DERM_THUMBNAIL_SIZE, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, thumb);
    g_assert_true (g_file_test (thumb, G_FILE_TEST_IS_REGULAR));
  }
}

static void
on_import_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DermPhotoImportReport **report = user_data;
  g_autoptr (GError) error = NULL;

  *report = derm_photo_library_import_finish (DERM_PHOTO_LIBRARY (object), result, &error);
  g_assert_no_error (error);
}

static void
test_bulk_bad_files_fail_alone (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (f->files_dir, "visit", NULL);
  g_autofree char *good1 = NULL, *good2 = NULL, *truncated = NULL, *text = NULL, *empty = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  DermPhotoImportReport *report = NULL;
  gsize length;
  guint max_done = 0;

  g_mkdir (folder, 0700);
  good1 = make_jpeg (folder, "01-front.jpg", 300, 200, 1, 11);
  good2 = make_jpeg (folder, "02-left.jpg", 300, 200, 1, 12);
  truncated = g_build_filename (folder, "03-truncated.jpg", NULL);
  g_file_get_contents (good1, &contents, &length, NULL);
  g_file_set_contents (truncated, contents, (gssize) length / 2, NULL);
  text = g_build_filename (f->files_dir, "notes.txt", NULL);
  g_file_set_contents (text, "not a photo", -1, NULL);
  empty = g_build_filename (folder, "04-empty.png", NULL);
  g_file_set_contents (empty, "", 0, NULL);
  /* Not a photo name: a folder import skips it */
  {
    g_autofree char *skipped = g_build_filename (folder, "readme.txt", NULL);
    g_file_set_contents (skipped, "skip me", -1, NULL);
  }

  g_ptr_array_add (files, g_file_new_for_path (folder));
  g_ptr_array_add (files, g_file_new_for_path (text));

  derm_photo_library_import_async (f->library, f->client_id, (GFile **) files->pdata, files->len,
                                   NULL, NULL, on_import_done, &report);
  g_assert_true (derm_photo_library_get_importing (f->library));
  while (report == NULL)
    {
      guint done;

      g_main_context_iteration (NULL, TRUE);
      g_object_get (f->library, "n-done", &done, NULL);
      g_assert_cmpuint (done, >=, max_done);
      max_done = done;
    }
  g_assert_false (derm_photo_library_get_importing (f->library));
  g_assert_cmpfloat (derm_photo_library_get_progress (f->library), ==, 1.0);

  g_assert_cmpuint (report->n_files, ==, 5);
  g_assert_cmpuint (report->imported->len, ==, 2);
  g_assert_cmpstr (derm_photo_get_original_name (g_ptr_array_index (report->imported, 0)), ==, "01-front.jpg");
  g_assert_cmpuint (report->failures->len, ==, 3);
  for (guint i = 0; i < report->failures->len; i++)
    {
      DermPhotoImportFailure *failure = g_ptr_array_index (report->failures, i);

      g_test_message ("%s: %s", failure->name, failure->error->message);
      g_assert_true (failure->error->domain == DERM_PHOTO_ERROR);
      if (g_str_equal (failure->name, "03-truncated.jpg"))
        g_assert_error (failure->error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_CORRUPT);
      else if (g_str_equal (failure->name, "notes.txt"))
        g_assert_error (failure->error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_UNSUPPORTED);
      else
        g_assert_cmpstr (failure->name, ==, "04-empty.png");
    }
  derm_photo_import_report_free (report);
}

static void
test_recently_removed (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *shared = make_jpeg (f->files_dir, "shared.jpg", 100, 80, 1, 21);
  g_autofree char *own = make_jpeg (f->files_dir, "own.jpg", 100, 80, 1, 22);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPhoto) a = import_path (f, f->client_id, shared, &error);
  g_autoptr (DermPhoto) b = import_path (f, f->client_id, own, &error);
  g_autoptr (DermPhoto) c = import_path (f, f->other_client_id, shared, &error);
  g_autoptr (GPtrArray) active = NULL;
  g_autoptr (GPtrArray) removed = NULL;
  g_autofree char *shared_path = derm_photo_library_get_original_path (f->library, derm_photo_get_sha256 (a));
  g_autofree char *own_path = derm_photo_library_get_original_path (f->library, derm_photo_get_sha256 (b));
  guint n_erased = 99;

  g_assert_no_error (error);
  g_assert_true (derm_photo_library_remove (f->library, a, &error));
  g_assert_true (derm_photo_library_remove (f->library, b, &error));
  g_assert_no_error (error);
  g_assert_nonnull (derm_photo_get_removed_at (a));

  active = derm_store_list_photos (f->store, f->client_id, DERM_PHOTO_LIST_ACTIVE, &error);
  removed = derm_store_list_photos (f->store, f->client_id, DERM_PHOTO_LIST_REMOVED, &error);
  g_assert_cmpuint (active->len, ==, 0);
  g_assert_cmpuint (removed->len, ==, 2);

  /* Undo */
  g_assert_true (derm_photo_library_restore (f->library, b, &error));
  g_assert_null (derm_photo_get_removed_at (b));
  g_assert_true (derm_photo_library_remove (f->library, b, &error));

  /* Files are still there until the list is emptied */
  g_assert_true (g_file_test (own_path, G_FILE_TEST_EXISTS));
  g_assert_true (derm_photo_library_empty_removed (f->library, f->client_id, &n_erased, &error));
  g_assert_no_error (error);
  /* The shared original stays for the other client's photo */
  g_assert_cmpuint (n_erased, ==, 1);
  g_assert_false (g_file_test (own_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shared_path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&removed, g_ptr_array_unref);
  removed = derm_store_list_photos (f->store, f->client_id, DERM_PHOTO_LIST_REMOVED, &error);
  g_assert_cmpuint (removed->len, ==, 0);
  g_assert_nonnull (c);
}

static void
test_recover_orphans (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = make_jpeg (f->files_dir, "orphan.jpg", 100, 80, 1, 31);
  g_autofree char *sha = sha256_of (path);
  g_autofree char *final = derm_photo_library_get_original_path (f->library, sha);
  g_autofree char *final_dir = g_path_get_dirname (final);
  g_autofree char *tmp_dir = g_build_filename (derm_photo_library_get_photos_dir (f->library), ".tmp", NULL);
  g_autofree char *stray = g_build_filename (tmp_dir, "import-AbCdEf", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GPtrArray) orphans = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPhoto) adopted = NULL;
  gsize length;
  guint n_stray = 0;

  /* What a kill between rename and commit leaves, and one mid-copy */
  g_file_get_contents (path, &contents, &length, NULL);
  g_mkdir_with_parents (final_dir, 0700);
  g_mkdir_with_parents (tmp_dir, 0700);
  g_file_set_contents (final, contents, (gssize) length, NULL);
  g_file_set_contents (stray, contents, (gssize) length / 3, NULL);

  orphans = derm_photo_library_recover (f->library, &n_stray, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_stray, ==, 1);
  g_assert_false (g_file_test (stray, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (orphans->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (orphans, 0), ==, sha);
  /* Listed, not deleted */
  g_assert_true (g_file_test (final, G_FILE_TEST_EXISTS));

  adopted = derm_photo_library_adopt_orphan (f->library, sha, f->client_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_photo_get_sha256 (adopted), ==, sha);
  g_clear_pointer (&orphans, g_ptr_array_unref);
  orphans = derm_photo_library_recover (f->library, NULL, &error);
  g_assert_cmpuint (orphans->len, ==, 0);

  /* Deleting is refused while a row refers to the file */
  g_assert_false (derm_photo_library_delete_orphan (f->library, sha, &error));
  g_assert_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_BUSY);
  g_assert_true (g_file_test (final, G_FILE_TEST_EXISTS));
}

static int
run_cli (const char * const *args,
         char              **out)
{
  int status = derm_test_run_cli (args, NULL, out, NULL);

  g_assert_cmpint (status, >=, 0);
  return status;
}

static void
test_verify_finds_tampering (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *a = make_jpeg (f->files_dir, "a.jpg", 100, 80, 1, 41);
  g_autofree char *b = make_jpeg (f->files_dir, "b.jpg", 100, 80, 1, 42);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPhoto) pa = import_path (f, f->client_id, a, &error);
  g_autoptr (DermPhoto) pb = import_path (f, f->client_id, b, &error);
  g_autoptr (GPtrArray) problems = NULL;
  g_autofree char *path_a = derm_photo_library_get_original_path (f->library, derm_photo_get_sha256 (pa));
  g_autofree char *path_b = derm_photo_library_get_original_path (f->library, derm_photo_get_sha256 (pb));
  g_autofree char *output = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  guint n_checked = 0;
  const char *verify[] = { "--data-dir", f->data_dir, "photo", "verify", NULL };

  g_assert_no_error (error);
  g_assert_cmpint (run_cli (verify, NULL), ==, 0);

  /* One byte changed in a, b deleted */
  g_chmod (path_a, 0600);
  g_file_get_contents (path_a, &contents, &length, NULL);
  contents[length / 2] ^= 0x01;
  g_file_set_contents (path_a, contents, (gssize) length, NULL);
  g_chmod (path_b, 0600);
  g_unlink (path_b);

  problems = derm_photo_library_verify (f->library, NULL, &n_checked, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_checked, ==, 2);
  g_assert_cmpuint (problems->len, ==, 2);
  for (guint i = 0; i < problems->len; i++)
    {
      DermPhotoProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->sha256, derm_photo_get_sha256 (pa)))
        g_assert_cmpint (problem->kind, ==, DERM_PHOTO_PROBLEM_MISMATCH);
      else
        g_assert_cmpint (problem->kind, ==, DERM_PHOTO_PROBLEM_MISSING);
    }

  g_assert_cmpint (run_cli (verify, &output), ==, 6);
  g_assert_nonnull (strstr (output, "damaged"));
  g_assert_nonnull (strstr (output, "missing"));
}

static gboolean
has_gps_tags (const char *path)
{
  g_autoptr (GExiv2Metadata) md = gexiv2_metadata_new ();
  g_auto (GStrv) tags = NULL;

  g_assert_true (gexiv2_metadata_open_path (md, path, NULL));
  tags = gexiv2_metadata_get_exif_tags (md);
  for (guint i = 0; tags[i] != NULL; i++)
    if (g_str_has_prefix (tags[i], "Exif.GPSInfo."))
      return TRUE;
  return FALSE;
}

static void
test_export_without_gps (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = make_jpeg (f->files_dir, "gps.jpg", 100, 80, 1, 51);
  g_autofree char *dest = g_build_filename (f->dir, "exported.jpg", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPhoto) photo = NULL;
  g_autofree char *stored = NULL;

  write_exif (path, 1, "2024:01:02 03:04:05", TRUE);
  g_assert_true (has_gps_tags (path));
  photo = import_path (f, f->client_id, path, &error);
  g_assert_no_error (error);
  /* The original is kept whole... */
  stored = derm_photo_library_get_original_path (f->library, derm_photo_get_sha256 (photo));
  g_assert_true (has_gps_tags (stored));
  /* ...and the export carries no location */
  g_assert_true (derm_photo_library_export (f->library, photo, dest, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (has_gps_tags (dest));
}

/* --- kill -9 ------------------------------------------------------------ */

static void
assert_consistent (Fixture *f,
                   guint   *n_rows_out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = derm_store_open (f->data_dir, &error);
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (GPtrArray) photos = NULL;
  g_autoptr (GPtrArray) orphans = NULL;
  g_autoptr (GHashTable) on_disk = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GDir) top = NULL;
  const char *prefix;
  sqlite3_stmt *stmt = NULL;
  guint expected_orphans = 0;

  g_assert_no_error (error);

  /* The database passes integrity_check */
  g_assert_cmpint (sqlite3_prepare_v2 (derm_store_get_db (store), "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  /* No half-written file under a final name: every file hashes to its name */
  library = derm_photo_library_new (store, f->thumbnailer);
  top = g_dir_open (derm_photo_library_get_photos_dir (library), 0, NULL);
  while (top != NULL && (prefix = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *sub = g_build_filename (derm_photo_library_get_photos_dir (library), prefix, NULL);
      g_autoptr (GDir) dir = NULL;
      const char *name;

      if (g_str_equal (prefix, ".tmp"))
        continue;
      dir = g_dir_open (sub, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (sub, name, NULL);
          g_autofree char *sha = sha256_of (file);

          g_assert_cmpstr (sha, ==, name);
          g_hash_table_add (on_disk, g_strdup (name));
        }
    }

  /* Every row points at a file whose hash matches */
  photos = derm_store_list_photos (store, 0, DERM_PHOTO_LIST_ALL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < photos->len; i++)
    g_assert_true (g_hash_table_contains (on_disk, derm_photo_get_sha256 (g_ptr_array_index (photos, i))));

  /* Recovery lists exactly the files without rows */
  {
    GHashTableIter iter;
    gpointer key;
    g_autoptr (GHashTable) known = derm_store_dup_photo_hashes (store, &error);

    g_hash_table_iter_init (&iter, on_disk);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      expected_orphans += g_hash_table_contains (known, key) ? 0 : 1;
  }
  orphans = derm_photo_library_recover (library, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orphans->len, ==, expected_orphans);
  {
    g_autofree char *tmp = g_build_filename (derm_photo_library_get_photos_dir (library), ".tmp", NULL);
    g_assert_cmpuint (count_files (tmp), ==, 0);
  }
  /* Orphans are adopted, as the user would, so the next round starts clean */
  for (guint i = 0; i < orphans->len; i++)
    {
      g_autoptr (DermPhoto) photo = derm_photo_library_adopt_orphan (library, g_ptr_array_index (orphans, i),
                                                                    f->client_id, NULL, &error);
      g_assert_no_error (error);
    }
  g_test_message ("%u rows, %u orphans adopted", photos->len, orphans->len);
  *n_rows_out = photos->len + orphans->len;
}

static void
test_kill_during_import (Fixture       *f,
                         gconstpointer  data)
{
  const char *cli = g_getenv ("DERMIS_CLI");
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *client = g_strdup_printf ("%" G_GINT64_FORMAT, f->client_id);
  guint n_files = 40;
  guint n_rows = 0;
  guint rounds = 6;

  if (!derm_test_have_cli ())
    {
      g_test_skip ("DERMIS_CLI is not set to a built dermis-cli");
      return;
    }

  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_strdup_printf ("kill-%02u.jpg", i);

      g_ptr_array_add (paths, make_jpeg (f->files_dir, name, 1200, 900, 1, 100 + i));
    }

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr (GPtrArray) argv = g_ptr_array_new ();
      g_autoptr (GError) error = NULL;
      GPid pid;
      int status;
      guint delay_ms = (guint) g_test_rand_int_range (30, 600);

      g_ptr_array_add (argv, (gpointer) cli);
      g_ptr_array_add (argv, (gpointer) "--data-dir");
      g_ptr_array_add (argv, f->data_dir);
      g_ptr_array_add (argv, (gpointer) "photo");
      g_ptr_array_add (argv, (gpointer) "import");
      g_ptr_array_add (argv, client);
      for (guint i = 0; i < paths->len; i++)
        g_ptr_array_add (argv, g_ptr_array_index (paths, i));
      g_ptr_array_add (argv, NULL);

      g_spawn_async (NULL, (char **) argv->pdata, NULL,
                     G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &pid, &error);
      g_assert_no_error (error);
      g_usleep (delay_ms * 1000);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);
      g_test_message ("round %u: killed after %u ms (%s)", round, delay_ms,
                      WIFSIGNALED (status) ? "mid-import" : "had finished");

      assert_consistent (f, &n_rows);
    }

  /* A last run completes the set: the rows that were there are duplicates */
  {
    const char **args = g_new0 (const char *, paths->len + 6);
    guint k = 0;

    args[k++] = "--data-dir";
    args[k++] = f->data_dir;
    args[k++] = "photo";
    args[k++] = "import";
    args[k++] = client;
    for (guint i = 0; i < paths->len; i++)
      args[k++] = g_ptr_array_index (paths, i);
    g_assert_cmpint (run_cli (args, NULL), ==, 0);
    g_free (args);
  }
  assert_consistent (f, &n_rows);
  g_assert_cmpuint (n_rows, ==, n_files);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* For the dermis-cli this test spawns: never the real cache */
  cache = derm_test_make_tmp_dir ("photos-cache");
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/photos/import/store-and-dedupe", test_import_dedupe);
  ADD ("/photos/import/unknown-client-leaves-no-file", test_unknown_client_leaves_nothing);
  ADD ("/photos/import/metadata-and-suggested-session", test_metadata_and_session);
  ADD ("/photos/import/exif-orientation-1-to-8-upright", test_orientation_upright);
  ADD ("/photos/import/tiff-orientation-1-to-8-upright", test_tiff_orientation_upright);
  ADD ("/photos/import/heic", test_heic_import);
  ADD ("/photos/import/bulk-bad-files-fail-alone", test_bulk_bad_files_fail_alone);
  ADD ("/photos/removed/undo-and-empty", test_recently_removed);
  ADD ("/photos/recover/stray-and-orphans", test_recover_orphans);
  ADD ("/photos/verify/tampered-and-missing", test_verify_finds_tampering);
  ADD ("/photos/export/no-gps", test_export_without_gps);
  ADD ("/photos/crash/kill-9-during-import", test_kill_during_import);
#undef ADD

  status = g_test_run ();
  derm_test_remove_tree (cache);
  return status;
}

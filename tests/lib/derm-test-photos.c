/* derm-test-photos.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixtures that need the photo library, apart from the rest of
 * derm-test-utils.c, so a suite that uses none of them does not link the
 * imaging library (and pay for loading OpenCV in every child it spawns).
 */
#define G_LOG_DOMAIN "derm-test-utils"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gexiv2/gexiv2.h>
#include <glib/gstdio.h>
#include <jpeglib.h>
#include <png.h>

#include "derm-test-utils.h"

/* --- a store with its photo library ------------------------------------ */

void
derm_test_store_set_up (DermTestStore *fixture,
                        const char    *name)
{
  g_autoptr (GError) error = NULL;

  memset (fixture, 0, sizeof *fixture);
  fixture->dir = derm_test_make_tmp_dir (name);
  fixture->data_dir = g_build_filename (fixture->dir, "data", NULL);
  fixture->files_dir = g_build_filename (fixture->dir, "files", NULL);
  fixture->cache_dir = g_build_filename (fixture->dir, "cache", NULL);
  g_assert_cmpint (g_mkdir (fixture->files_dir, 0700), ==, 0);

  fixture->store = derm_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  fixture->thumbnailer = derm_thumbnailer_new (fixture->cache_dir);
  fixture->library = derm_photo_library_new (fixture->store, fixture->thumbnailer);
}

void
derm_test_store_tear_down (DermTestStore *fixture)
{
  g_clear_object (&fixture->library);
  g_clear_object (&fixture->thumbnailer);
  g_clear_object (&fixture->store);
  if (fixture->dir != NULL)
    derm_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->data_dir, g_free);
  g_clear_pointer (&fixture->files_dir, g_free);
  g_clear_pointer (&fixture->cache_dir, g_free);
}

DermPhoto *
derm_test_import (DermPhotoLibrary *library,
                  gint64            client_id,
                  const char       *path,
                  gint64            session_id,
                  DermPhotoView     view)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  DermPhotoImportOptions options;
  DermPhoto *photo;

  derm_photo_import_options_init (&options);
  options.treatment_id = session_id;
  options.view = view;
  photo = derm_photo_library_import_file (library, client_id, file, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (photo);
  return photo;
}

/* --- photo files ------------------------------------------------------- */

void
derm_test_write_jpeg (const char   *path,
                      int           width,
                      int           height,
                      const guint8 *rgb,
                      gsize         stride,
                      int           quality)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  FILE *file = g_fopen (path, "wb");

  g_assert_nonnull (file);
  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_stdio_dest (&cinfo, file);
  cinfo.image_width = (JDIMENSION) width;
  cinfo.image_height = (JDIMENSION) height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, quality, TRUE);
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW row = (JSAMPROW) (rgb + (gsize) cinfo.next_scanline * stride);

      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  g_assert_cmpint (fclose (file), ==, 0);
}

void
derm_test_write_png (const char   *path,
                     int           width,
                     int           height,
                     const guint8 *rgb,
                     gsize         stride)
{
  png_image image;

  memset (&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = (png_uint_32) width;
  image.height = (png_uint_32) height;
  image.format = PNG_FORMAT_RGB;
  if (!png_image_write_to_file (&image, path, FALSE, rgb, (png_int_32) stride, NULL))
    g_error ("Could not write %s: %s", path, image.message);
  png_image_free (&image);
}

char *
derm_test_write_image (const char   *dir,
                       const char   *name,
                       int           width,
                       int           height,
                       const guint8 *rgb)
{
  char *path = g_build_filename (dir, name, NULL);

  if (g_str_has_suffix (name, ".png"))
    derm_test_write_png (path, width, height, rgb, (gsize) width * 3);
  else
    {
      g_assert_true (g_str_has_suffix (name, ".jpg") || g_str_has_suffix (name, ".jpeg"));
      derm_test_write_jpeg (path, width, height, rgb, (gsize) width * 3, 92);
    }
  return path;
}

char *
derm_test_make_image (const char        *dir,
                      const char        *name,
                      int                width,
                      int                height,
                      DermTestPixelFunc  func,
                      gpointer           user_data)
{
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      func (x, y, rgb + ((gsize) y * width + x) * 3, user_data);

  return derm_test_write_image (dir, name, width, height, rgb);
}

/* --- synthetic skin ------------------------------------------------------ */

static guint32
hash2 (guint32 x, guint32 y, guint32 seed)
{
  guint32 h = x * 374761393u + y * 668265263u + seed * 2246822519u;

  h = (h ^ (h >> 13)) * 1274126177u;
  return h ^ (h >> 16);
}

DermImage *
derm_test_make_skin (int    width,
                     int    height,
                     double redness,
                     double blotch_x,
                     double blotch_y,
                     double blotch_r)
{
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  int n_spots = (int) (700.0 * width * height / (900.0 * 700.0));
  DermImage *image = NULL;
  DermError err;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = rgb + 3 * ((gsize) y * width + x);
        int n = (int) (hash2 ((guint32) x, (guint32) y, 7) % 9) - 4;
        double d = hypot (x - blotch_x, y - blotch_y);
        double w = d < blotch_r ? 1.0 : d < blotch_r + 20 ? (blotch_r + 20 - d) / 20 : 0.0;

        p[0] = (guint8) CLAMP (205 + n + redness * w, 0, 255);
        p[1] = (guint8) CLAMP (160 + n - 0.8 * redness * w, 0, 255);
        p[2] = (guint8) CLAMP (140 + n - 0.5 * redness * w, 0, 255);
      }
  for (int i = 0; i < n_spots; i++)
    {
      int cx = g_rand_int_range (rand, 0, width), cy = g_rand_int_range (rand, 0, height);
      int r = g_rand_int_range (rand, 2, 9);
      int dark = g_rand_int_range (rand, 0, 3) != 0;
      double k = dark ? g_rand_double_range (rand, 0.35, 0.7) : g_rand_double_range (rand, 1.1, 1.25);
      int square = g_rand_int_range (rand, 0, 2);

      for (int y = MAX (0, cy - r); y < MIN (height, cy + r + 1); y++)
        for (int x = MAX (0, cx - r); x < MIN (width, cx + r + 1); x++)
          if (square || (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
            {
              guint8 *p = rgb + 3 * ((gsize) y * width + x);
              for (int c = 0; c < 3; c++)
                p[c] = (guint8) CLAMP (p[c] * k, 0, 255);
            }
    }
  g_assert_cmpint (derm_image_new_from_rgb (width, height, rgb, (size_t) width * 3, &image, &err), ==, DERM_STATUS_OK);
  return image;
}

GPtrArray *
derm_test_import_skin_series (DermTestStore  *fixture,
                              gint64          client_id,
                              DermPhotoView   view,
                              const gint64   *session_ids,
                              const double   *redness,
                              guint           n,
                              int             width,
                              int             height)
{
  GPtrArray *photos = g_ptr_array_new_with_free_func (g_object_unref);
  int scene_w = width * 7 / 5, scene_h = height * 7 / 5;

  for (guint i = 0; i < n; i++)
    {
      /* A hand-held camera: a small rotation and zoom about the scene's
       * centre, and a shift, different each session */
      double a = ((int) (i % 3) - 1) * 2.0 * G_PI / 180, s = 1.0 + ((int) (i % 2) * 2 - 1) * 0.02;
      double cx = scene_w / 2.0, cy = scene_h / 2.0;
      double dx = -(scene_w - width) / 2.0 + ((int) (i % 4) - 2) * 6, dy = -(scene_h - height) / 2.0 + ((int) (i % 3) - 1) * 5;
      double h[9] = {
        s * cos (a), -s * sin (a), cx - s * cos (a) * cx + s * sin (a) * cy + dx,
        s * sin (a), s * cos (a), cy - s * sin (a) * cx - s * cos (a) * cy + dy,
        0, 0, 1,
      };
      DermImage *scene = derm_test_make_skin (scene_w, scene_h, redness[i], cx, cy, MIN (width, height) / 7.0);
      DermImage *photo = NULL;
      g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);
      g_autofree char *name = g_strdup_printf ("skin-%s-%lld-%u.jpg", derm_photo_view_to_key (view),
                                               (long long) client_id, i);
      g_autofree char *path = NULL;
      DermError err;

      g_assert_cmpint (derm_image_warp (scene, h, width, height, &photo, &err), ==, DERM_STATUS_OK);
      derm_image_copy_rgb (photo, rgb, (size_t) width * 3);
      path = derm_test_write_image (fixture->files_dir, name, width, height, rgb);
      g_ptr_array_add (photos, derm_test_import (fixture->library, client_id, path, session_ids[i], view));
      derm_image_free (photo);
      derm_image_free (scene);
    }
  return photos;
}

void
derm_test_set_capture_date (const char *path,
                            const char *datetime)
{
  g_autoptr (GExiv2Metadata) md = gexiv2_metadata_new ();
  g_autoptr (GError) error = NULL;

  gexiv2_metadata_open_path (md, path, &error);
  g_assert_no_error (error);
  gexiv2_metadata_try_set_tag_string (md, "Exif.Photo.DateTimeOriginal", datetime, &error);
  g_assert_no_error (error);
  gexiv2_metadata_save_file (md, path, &error);
  g_assert_no_error (error);
}

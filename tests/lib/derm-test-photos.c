/* derm-test-photos.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixtures that need the photo library, apart from the rest of
 * derm-test-utils.c, so a suite that uses none of them does not link the
 * imaging library (and pay for loading OpenCV in every child it spawns).
 */
#define G_LOG_DOMAIN "derm-test-utils"

#include "config.h"

#include <stdio.h>
#include <string.h>

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

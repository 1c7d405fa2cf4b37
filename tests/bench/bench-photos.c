/* bench-photos.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 1. Import of 50 made-up 24 MP JPEGs (hash, metadata, store, thumbnail)
 *    through the same bulk import the gallery uses: photos per second.
 * 2. 5,000 photos with a warm thumbnail cache: time from asking the store
 *    for the client's photos to the first screen of thumbnails (48 tiles)
 *    decoded and ready to upload, on two worker threads.
 * Everything happens in a temporary directory that is removed at the end.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gexiv2/gexiv2.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "derm-client.h"
#include "derm-imaging.h"
#include "derm-photo-library.h"
#include "derm-store-photos.h"
#include "derm-store-private.h"
#include "derm-store.h"
#include "derm-thumbnailer.h"
#include "derm-test-utils.h"

#define N_IMPORT      50
#define IMPORT_WIDTH  6000
#define IMPORT_HEIGHT 4000
#define N_GALLERY     5000
#define FIRST_SCREEN  48

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* A skin-like 24 MP picture with sensor noise, so the JPEG is as large
 * as a camera's (~8-12 MB); each copy then gets its own capture time */
static void
make_photos (const char *dir,
             GPtrArray  *files)
{
  g_autofree guint8 *rgb = g_malloc ((gsize) IMPORT_WIDTH * IMPORT_HEIGHT * 3);
  g_autofree char *base = g_build_filename (dir, "base.jpg", NULL);
  g_autofree char *contents = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  gsize length;

  for (int y = 0; y < IMPORT_HEIGHT; y++)
    for (int x = 0; x < IMPORT_WIDTH; x++)
      {
        guint8 *p = rgb + ((gsize) y * IMPORT_WIDTH + x) * 3;
        int n = g_rand_int_range (rand, -12, 12);

        p[0] = (guint8) CLAMP (190 + 30 * x / IMPORT_WIDTH + n, 0, 255);
        p[1] = (guint8) CLAMP (140 + 20 * y / IMPORT_HEIGHT + n, 0, 255);
        p[2] = (guint8) CLAMP (120 + n, 0, 255);
      }
  g_rand_free (rand);
  derm_test_write_jpeg (base, IMPORT_WIDTH, IMPORT_HEIGHT, rgb, (gsize) IMPORT_WIDTH * 3, 92);
  g_file_get_contents (base, &contents, &length, NULL);
  printf ("test photo: %dx%d JPEG, %.1f MB\n", IMPORT_WIDTH, IMPORT_HEIGHT, length / 1e6);

  for (guint i = 0; i < N_IMPORT; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/IMG_%04u.jpg", dir, i);
      g_autofree char *when = g_strdup_printf ("2025:02:03 10:%02u:%02u", i / 60, i % 60);
      g_autoptr (GExiv2Metadata) md = gexiv2_metadata_new ();

      g_file_set_contents (path, contents, (gssize) length, NULL);
      gexiv2_metadata_open_path (md, path, NULL);
      gexiv2_metadata_try_set_tag_string (md, "Exif.Photo.DateTimeOriginal", when, NULL);
      gexiv2_metadata_try_set_tag_string (md, "Exif.Image.Make", "Canon", NULL);
      gexiv2_metadata_save_file (md, path, NULL);
      g_ptr_array_add (files, g_file_new_for_path (path));
    }
}

static void
on_imported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DermPhotoImportReport **report = user_data;

  *report = derm_photo_library_import_finish (DERM_PHOTO_LIBRARY (object), result, NULL);
}

static void
bench_import (const char *root)
{
  g_autofree char *data = g_build_filename (root, "import-data", NULL);
  g_autofree char *files_dir = g_build_filename (root, "import-files", NULL);
  g_autofree char *cache = g_build_filename (root, "import-cache", NULL);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (DermStore) store = derm_store_open (data, NULL);
  g_autoptr (DermThumbnailer) thumbnailer = derm_thumbnailer_new (cache);
  g_autoptr (DermPhotoLibrary) library = derm_photo_library_new (store, thumbnailer);
  gint64 client_id = derm_test_add_client (store, "Benchmark Client");
  DermPhotoImportReport *report = NULL;
  double start, elapsed;

  g_mkdir_with_parents (files_dir, 0700);
  make_photos (files_dir, files);

  start = now_ms ();
  derm_photo_library_import_async (library, client_id, (GFile **) files->pdata,
                                   files->len, NULL, NULL, on_imported, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);
  elapsed = now_ms () - start;

  printf ("import of %u 24 MP JPEGs: %.0f ms, %.2f photos/s on %u cores (%u imported, %u failed; target >= 8/s)\n",
          files->len, elapsed, report->imported->len / (elapsed / 1000.0), g_get_num_processors (),
          report->imported->len, report->failures->len);
  derm_photo_import_report_free (report);
}

typedef struct
{
  DermThumbnailer *thumbnailer;
  DermPhotoLibrary *library;
  GPtrArray       *photos;
  gint             next;
} FirstScreen;

static gpointer
load_thumbnails (gpointer data)
{
  FirstScreen *fs = data;

  for (;;)
    {
      guint i = (guint) g_atomic_int_add (&fs->next, 1);
      DermPhoto *photo;
      g_autofree char *original = NULL;
      g_autofree char *path = NULL;
      DermImage *image = NULL;

      if (i >= FIRST_SCREEN || i >= fs->photos->len)
        break;
      photo = g_ptr_array_index (fs->photos, i);
      original = derm_photo_library_get_original_path (fs->library, derm_photo_get_sha256 (photo));
      path = derm_thumbnailer_ensure (fs->thumbnailer, derm_photo_get_sha256 (photo), original,
                                      derm_photo_get_mime_type (photo), DERM_THUMBNAIL_SIZE, NULL);
      if (path != NULL && derm_image_load_file (path, NULL, &image, NULL) == DERM_STATUS_OK)
        derm_image_free (image);
    }
  return NULL;
}

static void
bench_gallery (const char *root)
{
  g_autofree char *data = g_build_filename (root, "gallery-data", NULL);
  g_autofree char *cache = g_build_filename (root, "gallery-cache", NULL);
  g_autoptr (DermStore) store = derm_store_open (data, NULL);
  g_autoptr (DermThumbnailer) thumbnailer = derm_thumbnailer_new (cache);
  g_autoptr (DermPhotoLibrary) library = derm_photo_library_new (store, thumbnailer);
  g_autoptr (DermClient) client = derm_client_new ();
  g_autoptr (GPtrArray) photos = NULL;
  g_autofree char *first_thumb = NULL;
  g_autofree guint8 *rgb = g_malloc (320 * 240 * 3);
  sqlite3 *db = derm_store_get_db (store);
  sqlite3_stmt *insert = NULL;
  DermImage *image = NULL;
  FirstScreen fs = { 0 };
  GThread *second;
  double start, listed, ready;

  derm_client_set_name (client, "Gallery Client");
  derm_store_add_client (store, client, NULL);

  /* 5,000 rows over 50 sessions, each with a cached thumbnail: one PNG,
   * hard-linked under every name, is as warm as a cache gets */
  for (gsize i = 0; i < 320 * 240 * 3; i++)
    rgb[i] = (guint8) (i * 7);
  derm_image_new_from_rgb (320, 240, rgb, 320 * 3, &image, NULL);

  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (int s = 0; s < 50; s++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO treatments (client_id, date, created_at, updated_at) "
                                              "VALUES (%" G_GINT64_FORMAT ", '2024-%02d-%02d', 'x', 'x')",
                                              derm_client_get_id (client), 1 + s / 28, 1 + s % 28);
      sqlite3_exec (db, sql, NULL, NULL, NULL);
    }
  sqlite3_prepare_v2 (db, "INSERT INTO photos (client_id, treatment_id, sha256, original_name, mime_type, "
                          "width, height, view, imported_at) VALUES (?1, ?2, ?3, ?4, 'image/jpeg', 6000, 4000, "
                          "'front', 'x')", -1, &insert, NULL);
  for (int i = 0; i < N_GALLERY; i++)
    {
      g_autofree char *seed = g_strdup_printf ("photo-%d", i);
      g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);
      g_autofree char *name = g_strdup_printf ("IMG_%04d.jpg", i);
      g_autofree char *thumb = derm_thumbnailer_get_path (thumbnailer, sha, DERM_THUMBNAIL_SIZE);

      sqlite3_bind_int64 (insert, 1, derm_client_get_id (client));
      sqlite3_bind_int64 (insert, 2, 1 + i % 50);
      sqlite3_bind_text (insert, 3, sha, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 4, name, -1, SQLITE_TRANSIENT);
      sqlite3_step (insert);
      sqlite3_reset (insert);
      if (first_thumb == NULL)
        {
          derm_thumbnailer_save (thumbnailer, sha, DERM_THUMBNAIL_SIZE, image, NULL);
          first_thumb = g_strdup (thumb);
        }
      else if (link (first_thumb, thumb) != 0)
        g_error ("Cannot link %s", thumb);
    }
  sqlite3_finalize (insert);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  derm_image_free (image);

  start = now_ms ();
  photos = derm_store_list_photos (store, derm_client_get_id (client), DERM_PHOTO_LIST_ACTIVE, NULL);
  listed = now_ms ();
  fs.thumbnailer = thumbnailer;
  fs.library = library;
  fs.photos = photos;
  second = g_thread_new ("thumbnails", load_thumbnails, &fs);
  load_thumbnails (&fs);
  g_thread_join (second);
  ready = now_ms ();

  printf ("gallery of %u photos, warm cache: list %.1f ms, first screen (%d thumbnails) ready %.1f ms (target <= 300 ms)\n",
          photos->len, listed - start, FIRST_SCREEN, ready - start);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = derm_test_make_tmp_dir ("bench-photos");

  bench_gallery (root);
  bench_import (root);
  derm_test_remove_tree (root);
  return 0;
}

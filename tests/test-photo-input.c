/* test-photo-input.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How photo files get in, through the app's import and dermis-cli alike:
 * regression tests for the cases of issues 11 and 13. Folders with
 * symlink loops, /dev/zero, a 1 GiB sparse .jpg and a FIFO named .jpg are
 * refused or walked without hanging and without copying anything into
 * photos/.tmp; a photo whose metadata exiv2 cannot read gets its real size
 * from the decoder; dermis-cli analyze reads HEIC and TIFF like the app
 * and refuses damaged and non-regular files with exit 4, printing nothing
 * but its own one-line error.
 */
#define G_LOG_DOMAIN "test-photo-input"

#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <tiffio.h>

#include "derm-client.h"
#include "derm-imaging.h"
#include "derm-photo-library.h"
#include "derm-photo.h"
#include "derm-store-photos.h"
#include "derm-store.h"
#include "derm-thumbnailer.h"

typedef struct
{
  char             *dir;
  char             *data_dir;
  char             *files_dir;
  DermStore        *store;
  DermPhotoLibrary *library;
  gint64            client_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClient) client = derm_client_new ();
  g_autoptr (DermThumbnailer) thumbnailer = NULL;
  g_autofree char *cache = NULL;

  f->dir = g_dir_make_tmp ("dermis-input-XXXXXX", &error);
  g_assert_no_error (error);
  f->data_dir = g_build_filename (f->dir, "data", NULL);
  f->files_dir = g_build_filename (f->dir, "files", NULL);
  g_mkdir (f->files_dir, 0700);
  cache = g_build_filename (f->dir, "cache", NULL);
  f->store = derm_store_open (f->data_dir, &error);
  g_assert_no_error (error);
  thumbnailer = derm_thumbnailer_new (cache);
  f->library = derm_photo_library_new (f->store, thumbnailer);
  derm_client_set_name (client, "Ada Lovelace");
  derm_store_add_client (f->store, client, &error);
  g_assert_no_error (error);
  f->client_id = derm_client_get_id (client);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->library);
  derm_store_close (f->store);
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data_dir);
  g_free (f->files_dir);
}

/* --- files ------------------------------------------------------------- */

static DermImage *
make_image (int w, int h)
{
  g_autofree guint8 *rgb = g_malloc ((gsize) w * h * 3);
  DermImage *image = NULL;
  DermError err;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint8 *p = rgb + 3 * ((gsize) y * w + x);

        p[0] = (guint8) (x * 255 / w);
        p[1] = (guint8) (y * 255 / h);
        p[2] = (guint8) ((x ^ y) & 0xff);
      }
  g_assert_cmpint (derm_image_new_from_rgb (w, h, rgb, (size_t) w * 3, &image, &err), ==, DERM_STATUS_OK);
  return image;
}

static char *
write_photo (const char *dir, const char *name, int w, int h)
{
  char *path = g_build_filename (dir, name, NULL);
  DermImage *image = make_image (w, h);
  DermError err;

  g_assert_cmpint (derm_image_save (image, path, 90, &err), ==, DERM_STATUS_OK);
  derm_image_free (image);
  return path;
}

/* @jpeg with @segment inserted @count times right after its SOI marker. */
static char *
write_with_segments (const char   *dir,
                     const char   *name,
                     const guint8 *jpeg,
                     gsize         len,
                     GByteArray *(*segment) (guint index))
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GError) error = NULL;

  g_byte_array_append (out, jpeg, 2);
  for (guint i = 0;; i++)
    {
      g_autoptr (GByteArray) seg = segment (i);

      if (seg == NULL)
        break;
      g_byte_array_append (out, seg->data, seg->len);
    }
  g_byte_array_append (out, jpeg + 2, (guint) (len - 2));
  g_file_set_contents (path, (const char *) out->data, out->len, &error);
  g_assert_no_error (error);
  return path;
}

static GByteArray *
marker_segment (guint8 marker, const guint8 *payload, gsize n)
{
  GByteArray *seg = g_byte_array_new ();
  guint8 head[4] = { 0xFF, marker, (guint8) ((n + 2) >> 8), (guint8) (n + 2) };

  g_assert_cmpuint (n + 2, <=, 0xFFFF);
  g_byte_array_append (seg, head, 4);
  g_byte_array_append (seg, payload, (guint) n);
  return seg;
}

/* A 16 MB ICC profile: 255 APP2 chunks of 65519 bytes each. */
static GByteArray *
icc_segment (guint index)
{
  const gsize chunk = 65519;
  g_autofree guint8 *payload = NULL;

  if (index >= 255)
    return NULL;
  payload = g_malloc (14 + chunk);
  memcpy (payload, "ICC_PROFILE", 12);
  payload[12] = (guint8) (index + 1);
  payload[13] = 255;
  memset (payload + 14, (int) (index * 7), chunk);
  if (index == 0)
    {
      guint32 total = (guint32) (255 * chunk);

      payload[14] = (guint8) (total >> 24);
      payload[15] = (guint8) (total >> 16);
      payload[16] = (guint8) (total >> 8);
      payload[17] = (guint8) total;
    }
  return marker_segment (0xE2, payload, 14 + chunk);
}

/* 200 APP1 segments that start like Exif and hold junk. */
static GByteArray *
junk_app1_segment (guint index)
{
  guint8 payload[600];

  if (index >= 200)
    return NULL;
  memcpy (payload, "Exif\0\0", 6);
  for (gsize i = 6; i < sizeof payload; i++)
    payload[i] = (guint8) ((i * 31 + index) % 251);
  return marker_segment (0xE1, payload, sizeof payload);
}

static char *
make_fifo (const char *dir, const char *name)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  return path;
}

static char *
make_sparse (const char *dir, const char *name, goffset size)
{
  char *path = g_build_filename (dir, name, NULL);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, size), ==, 0);
  close (fd);
  return path;
}

/* Pieces of @text between occurrences of @separator: lines, matches + 1 */
static guint
count_pieces (const char *text, const char *separator)
{
  g_auto (GStrv) pieces = g_strsplit (text, separator, -1);

  return g_strv_length (pieces);
}

static guint
count_entries (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static guint
tmp_entries (Fixture *f)
{
  g_autofree char *tmp = g_build_filename (f->data_dir, "photos", ".tmp", NULL);

  return count_entries (tmp);
}

static guint
n_photos (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) photos = derm_store_list_photos (f->store, f->client_id, DERM_PHOTO_LIST_ACTIVE, &error);

  g_assert_no_error (error);
  return photos->len;
}

/* --- the app's import ---------------------------------------------------- */

static void
import_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DermPhotoImportReport **report = user_data;
  g_autoptr (GError) error = NULL;

  *report = derm_photo_library_import_finish (DERM_PHOTO_LIBRARY (object), result, &error);
  g_assert_no_error (error);
}

/* Runs an import of @paths as the app does (drop, file chooser). */
static DermPhotoImportReport *
import_as_app (Fixture *f, const char * const *paths)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  DermPhotoImportReport *report = NULL;

  for (; *paths != NULL; paths++)
    g_ptr_array_add (files, g_file_new_for_path (*paths));
  derm_photo_library_import_async (f->library, f->client_id, (GFile **) files->pdata, files->len,
                                   NULL, NULL, import_done, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);
  return report;
}

static int
run_cli (Fixture *f, char **out, char **err, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *arg;
  int status = 0;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("DERMIS_CLI"));
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, f->data_dir);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* Issue 13: a folder holding two symlinks to itself was walked forever
 * (181 MB and growing); one self-link imported the same file 41 times. */
static void
test_import_symlink_loops (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *two = g_build_filename (f->files_dir, "two-links", NULL);
  g_autofree char *one = g_build_filename (f->files_dir, "one-link", NULL);
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  g_autofree char *link1 = g_build_filename (two, "again", NULL);
  g_autofree char *link2 = g_build_filename (two, "and-again", NULL);
  g_autofree char *link3 = g_build_filename (one, "self", NULL);
  g_autofree char *alias = g_build_filename (one, "alias.jpg", NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, f->client_id);
  g_autofree char *out = NULL, *err = NULL;

  g_mkdir (two, 0700);
  g_mkdir (one, 0700);
  a = write_photo (two, "a.jpg", 64, 48);
  b = write_photo (two, "b.png", 48, 64);
  c = write_photo (one, "c.jpg", 80, 60);
  g_assert_cmpint (symlink (".", link1), ==, 0);
  g_assert_cmpint (symlink ("..", link2), ==, 0);
  g_assert_cmpint (symlink (".", link3), ==, 0);
  g_assert_cmpint (symlink ("c.jpg", alias), ==, 0);

  {
    const char *paths[] = { two, NULL };
    g_autoptr (DermPhotoImportReport) report = import_as_app (f, paths);

    /* a.jpg, b.png and, through "and-again" (..), one-link/c.jpg: each once */
    g_assert_cmpuint (report->n_files, ==, 3);
    g_assert_cmpuint (report->imported->len, ==, 3);
    g_assert_cmpuint (report->failures->len, ==, 0);
  }
  {
    const char *paths[] = { one, NULL };
    g_autoptr (DermPhotoImportReport) report = import_as_app (f, paths);

    /* c.jpg once, whatever the self link and the alias say; it is
     * already there from the walk above */
    g_assert_cmpuint (report->n_files, ==, 1);
  }
  g_assert_cmpuint (n_photos (f), ==, 3);

  /* The same through dermis-cli, for another client's folder import */
  g_assert_cmpint (run_cli (f, &out, &err, "photo", "import", id, one, NULL), ==, 0);
  g_test_message ("%s%s", out, err);
  g_assert_nonnull (strstr (err, "Already in this client"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (f, &out, &err, "--json", "photo", "import", id, two, NULL), ==, 0);
  /* three entries, all duplicates: nothing walked twice */
  g_assert_cmpuint (count_pieces (out, "\"duplicate\"") - 1, ==, 3);
  g_assert_cmpuint (n_photos (f), ==, 3);
  g_assert_cmpuint (tmp_entries (f), ==, 0);
}

/* Issue 13: /dev/zero and a 1 GiB sparse .jpg were copied whole into
 * photos/.tmp before being refused (20-30 s); a FIFO named .jpg blocked
 * the import forever, in the app too. Each is refused from what it is,
 * before anything is copied. */
static void
test_import_non_photos_refused_uncopied (Fixture       *f,
                                         gconstpointer  data)
{
  g_autofree char *fifo = make_fifo (f->files_dir, "pipe.jpg");
  g_autofree char *sparse = make_sparse (f->files_dir, "sparse.jpg", (goffset) 1 << 30);
  g_autofree char *over = make_sparse (f->files_dir, "over.jpg", ((goffset) 1 << 30) + 1);
  g_autofree char *folder = g_build_filename (f->files_dir, "with-pipe", NULL);
  g_autofree char *fifo2 = NULL, *good = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, f->client_id);
  const char *singles[] = { "/dev/zero", sparse, over, fifo, NULL };
  gint64 t0 = g_get_monotonic_time ();

  g_mkdir (folder, 0700);
  fifo2 = make_fifo (folder, "camera.jpg");
  good = write_photo (folder, "good.jpg", 64, 48);

  /* The app: one by one, and a folder holding a FIFO */
  for (guint i = 0; singles[i] != NULL; i++)
    {
      g_autoptr (GFile) file = g_file_new_for_path (singles[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (DermPhoto) photo = derm_photo_library_import_file (f->library, f->client_id, file,
                                                                    NULL, NULL, &error);

      g_assert_null (photo);
      g_test_message ("%s: %s", singles[i], error->message);
      g_assert_true (error->domain == DERM_PHOTO_ERROR);
      g_assert_true (error->code == DERM_PHOTO_ERROR_UNSUPPORTED || error->code == DERM_PHOTO_ERROR_TOO_LARGE);
      g_assert_cmpuint (tmp_entries (f), ==, 0);
    }
  {
    const char *paths[] = { folder, NULL };
    g_autoptr (DermPhotoImportReport) report = import_as_app (f, paths);
    DermPhotoImportFailure *failure;

    g_assert_cmpuint (report->n_files, ==, 2);
    g_assert_cmpuint (report->imported->len, ==, 1);
    g_assert_cmpuint (report->failures->len, ==, 1);
    failure = g_ptr_array_index (report->failures, 0);
    g_assert_error (failure->error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_UNSUPPORTED);
    g_assert_nonnull (strstr (failure->error->message, "not a regular file"));
  }
  g_assert_cmpuint (tmp_entries (f), ==, 0);

  /* dermis-cli: the same files, exit 4, one line each */
  for (guint i = 0; singles[i] != NULL; i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      g_assert_cmpint (run_cli (f, &out, &err, "photo", "import", id, singles[i], NULL), ==, 4);
      g_assert_cmpuint (count_pieces (g_strchomp (err), "\n"), ==, 1);
    }
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_cli (f, &out, &err, "photo", "import", id, fifo2, NULL), ==, 4);
    g_assert_nonnull (strstr (err, "not a regular file"));
  }
  g_assert_cmpuint (tmp_entries (f), ==, 0);
  g_assert_cmpuint (n_photos (f), ==, 1);
  g_test_message ("all refused in %.2f s", (g_get_monotonic_time () - t0) / 1e6);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 30 * G_USEC_PER_SEC);
}

/* Issue 13: a photo whose metadata exiv2 cannot read (a 16 MB ICC
 * profile; 200 junk APP1 segments) was stored with its thumbnail's size
 * (320x240 for 800x600). The size comes from the decoder. */
static void
test_import_size_from_decoder (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *base = write_photo (f->files_dir, "base.jpg", 800, 600);
  g_autofree char *contents = NULL;
  gsize len;
  g_autofree char *icc = NULL, *junk = NULL;
  const char *paths[3];

  g_assert_true (g_file_get_contents (base, &contents, &len, NULL));
  icc = write_with_segments (f->files_dir, "icc-16mb.jpg", (guint8 *) contents, len, icc_segment);
  junk = write_with_segments (f->files_dir, "junk-app1.jpg", (guint8 *) contents, len, junk_app1_segment);
  paths[0] = icc;
  paths[1] = junk;
  paths[2] = NULL;
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr (GFile) file = g_file_new_for_path (paths[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (DermPhoto) photo = derm_photo_library_import_file (f->library, f->client_id, file,
                                                                    NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (derm_photo_get_width (photo), ==, 800);
      g_assert_cmpint (derm_photo_get_height (photo), ==, 600);
    }
}

/* --- dermis-cli analyze: the app's decode path ------------------------------ */

static char *
write_tiff (const char *dir, int w, int h)
{
  char *path = g_build_filename (dir, "photo.tif", NULL);
  TIFF *tif = TIFFOpen (path, "w");
  g_autofree guint8 *row = g_malloc ((gsize) w * 3);

  g_assert_nonnull (tif);
  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, (guint32) w);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, (guint32) h);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 3);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
  TIFFSetField (tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, 16);
  for (int y = 0; y < h; y++)
    {
      for (int x = 0; x < w; x++)
        {
          row[3 * x] = (guint8) (150 + x % 50);
          row[3 * x + 1] = (guint8) (100 + y % 40);
          row[3 * x + 2] = 90;
        }
      g_assert_cmpint (TIFFWriteScanline (tif, row, (guint32) y, 0), ==, 1);
    }
  TIFFClose (tif);
  return path;
}

/* Issue 11: analyze/align/compare refused HEIC and TIFF that the app
 * imports and compares. */
static void
test_cli_reads_heic_and_tiff (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *tiff = write_tiff (f->files_dir, 120, 90);
  g_autofree char *png = write_photo (f->files_dir, "for-heic.png", 128, 96);
  g_autofree char *heic = g_build_filename (f->files_dir, "photo.heic", NULL);
  g_autofree char *heif_enc = g_find_program_in_path ("heif-enc");
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_cli (f, &out, &err, "--json", "analyze", tiff, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"width\" : 120"));
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  if (heif_enc == NULL)
    {
      g_test_skip ("heif-enc (libheif-examples) is not installed");
      return;
    }
  {
    const char *argv[] = { heif_enc, "-q", "90", "-o", heic, png, NULL };
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_true (g_file_test (heic, G_FILE_TEST_EXISTS));
  }
  g_assert_cmpint (run_cli (f, &out, &err, "--json", "analyze", heic, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"width\" : 128"));
  g_assert_cmpstr (err, ==, "");
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
}

/* Issue 11: damaged JPEGs were analysed with exit 0, a FIFO blocked
 * analyze forever, /dev/zero was read up to 2 GB, and libpng printed
 * "libpng warning: iCCP: ..." on success. */
static void
test_cli_bad_input (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *jpeg = write_photo (f->files_dir, "good.jpg", 640, 480);
  g_autofree char *damaged = g_build_filename (f->files_dir, "damaged.jpg", NULL);
  g_autofree char *fifo = make_fifo (f->files_dir, "pipe.jpg");
  g_autofree char *png = NULL, *iccp = g_build_filename (f->files_dir, "iccp.png", NULL);
  g_autofree char *contents = NULL;
  gsize len;
  const char *bad[] = { damaged, fifo, "/dev/zero", f->files_dir, NULL };

  /* 200 bytes overwritten in the middle of the image data */
  g_assert_true (g_file_get_contents (jpeg, &contents, &len, NULL));
  for (gsize i = 0; i < 200; i++)
    contents[len / 2 + i] = (char) (i * 37 % 255);
  g_assert_true (g_file_set_contents (damaged, contents, (gssize) len, NULL));
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      g_assert_cmpint (run_cli (f, &out, &err, "analyze", bad[i], NULL), ==, 4);
      g_test_message ("%s", err);
      g_assert_true (g_str_has_prefix (err, "dermis-cli"));
      g_assert_cmpuint (count_pieces (g_strchomp (err), "\n"), ==, 1);
    }

  /* A PNG with an ICC profile libpng finds fault with: analysed, and
   * nothing on stderr */
  png = write_photo (f->files_dir, "plain.png", 64, 48);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (png, &contents, &len, NULL));
  {
    static const guint8 chunk_data[] = {
      'b', 'o', 'g', 'u', 's', 0, 0,
      /* zlib stream of 4 bytes "ABCD": a profile far too short */
      0x78, 0x9c, 0x73, 0x74, 0x72, 0x76, 0x01, 0x00, 0x02, 0x98, 0x01, 0x0b,
    };
    g_autoptr (GByteArray) with = g_byte_array_new ();
    guint8 head[8], crc[4];
    g_autofree char *out = NULL, *err = NULL;
    guint32 c;

    g_byte_array_append (with, (guint8 *) contents, 33);
    put_be32 (head, sizeof chunk_data);
    memcpy (head + 4, "iCCP", 4);
    g_byte_array_append (with, head, 8);
    g_byte_array_append (with, chunk_data, sizeof chunk_data);
    /* CRC-32 of type and data */
    c = 0xFFFFFFFFu;
    for (gsize i = 4; i < 8 + sizeof chunk_data; i++)
      {
        guint8 byte = i < 8 ? head[i] : chunk_data[i - 8];

        c ^= byte;
        for (int k = 0; k < 8; k++)
          c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
      }
    put_be32 (crc, c ^ 0xFFFFFFFFu);
    g_byte_array_append (with, crc, 4);
    g_byte_array_append (with, (guint8 *) contents + 33, (guint) (len - 33));
    g_assert_true (g_file_set_contents (iccp, (char *) with->data, with->len, NULL));
    g_assert_cmpint (run_cli (f, &out, &err, "analyze", iccp, NULL), ==, 0);
    g_assert_cmpstr (err, ==, "");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/photo-input/import/symlink-loops-walked-once", test_import_symlink_loops);
  ADD ("/photo-input/import/dev-zero-sparse-fifo-refused-before-copying", test_import_non_photos_refused_uncopied);
  ADD ("/photo-input/import/size-from-decoder-when-metadata-fails", test_import_size_from_decoder);
  ADD ("/photo-input/cli/analyze-reads-heic-and-tiff", test_cli_reads_heic_and_tiff);
  ADD ("/photo-input/cli/analyze-refuses-damaged-and-non-regular-exit-4", test_cli_bad_input);
#undef ADD

  return g_test_run ();
}

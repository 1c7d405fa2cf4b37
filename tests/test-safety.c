/* test-safety.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing lost, nothing leaked: files Dermis refuses keep every byte
 * (and so do their -wal and -journal), a symbolic link in the data path
 * works, read-only commands never create a database, exports never
 * overwrite or write into the data folder and carry no location, and
 * control characters and dates past 9999 are clear errors.
 */
#include "config.h"

#include <gexiv2/gexiv2.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "derm-cli-common.h"
#include "derm-export-file.h"
#include "derm-imaging.h"
#include "derm-photo-export.h"
#include "derm-store.h"

typedef struct
{
  char *dir;
  char *data_dir;
  char *out_dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("dermis-safety-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->data_dir = g_build_filename (f->dir, "data", NULL);
  f->out_dir = g_build_filename (f->dir, "out", NULL);
  g_mkdir (f->out_dir, 0700);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
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
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data_dir);
  g_free (f->out_dir);
}

/* --- helpers ------------------------------------------------------------ */

static char *
hash_of (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return g_strdup ("absent");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static int
run_cli_v (const char  *data_dir,
           char       **out,
           char       **err,
           const char  *first,
           va_list      ap)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *o = NULL;
  g_autofree char *e = NULL;
  int status = -1;

  g_ptr_array_add (argv, (gpointer) g_getenv ("DERMIS_CLI"));
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) data_dir);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &o, &e, &status, &error);
  g_assert_no_error (error);
  /* Never a crash, whatever the input */
  g_assert_true (WIFEXITED (status));
  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);
  return WEXITSTATUS (status);
}

static int run_cli (const char *data_dir, char **out, char **err, const char *first, ...) G_GNUC_NULL_TERMINATED;

static int
run_cli (const char  *data_dir,
         char       **out,
         char       **err,
         const char  *first,
         ...)
{
  va_list ap;
  int status;

  va_start (ap, first);
  status = run_cli_v (data_dir, out, err, first, ap);
  va_end (ap);
  return status;
}

/* A failure is one line on stderr */
static void
assert_one_line (const char *err)
{
  g_assert_nonnull (err);
  g_assert_true (g_str_has_prefix (err, "dermis-cli: "));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

static char *
make_jpeg (const char *dir,
           const char *name,
           guint32     seed)
{
  const int width = 64, height = 48;
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);
  char *path = g_build_filename (dir, name, NULL);
  GRand *rand = g_rand_new_with_seed (seed);
  DermImage *image = NULL;

  for (gsize i = 0; i < (gsize) width * height * 3; i++)
    rgb[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  g_assert_cmpint (derm_image_new_from_rgb (width, height, rgb, (size_t) width * 3, &image, NULL), ==, DERM_STATUS_OK);
  g_assert_cmpint (derm_image_save (image, path, 90, NULL), ==, DERM_STATUS_OK);
  derm_image_free (image);
  return path;
}

static void
set_metadata (const char *path,
              gboolean    exif_gps,
              gboolean    xmp_gps,
              gboolean    iptc_city,
              int         orientation)
{
  g_autoptr (GExiv2Metadata) md = gexiv2_metadata_new ();
  g_autoptr (GError) error = NULL;

  gexiv2_metadata_open_path (md, path, &error);
  g_assert_no_error (error);
  if (orientation > 0)
    gexiv2_metadata_try_set_orientation (md, (GExiv2Orientation) orientation, &error);
  g_assert_no_error (error);
  gexiv2_metadata_try_set_tag_string (md, "Exif.Image.Make", "Canon", &error);
  g_assert_no_error (error);
  if (exif_gps)
    gexiv2_metadata_try_set_gps_info (md, 2.35, 48.85, 35.0, &error);
  g_assert_no_error (error);
  if (xmp_gps)
    {
      gexiv2_metadata_try_set_tag_string (md, "Xmp.exif.GPSLatitude", "48,51.0N", &error);
      g_assert_no_error (error);
      gexiv2_metadata_try_set_tag_string (md, "Xmp.exif.GPSLongitude", "2,21.0E", &error);
      g_assert_no_error (error);
    }
  if (iptc_city)
    {
      gexiv2_metadata_try_set_tag_string (md, "Iptc.Application2.City", "Paris", &error);
      g_assert_no_error (error);
    }
  gexiv2_metadata_save_file (md, path, &error);
  g_assert_no_error (error);
}

/* The first APP1 Exif segment of a JPEG, marker included */
static GBytes *
first_exif_segment (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0, i = 2;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  while (i + 4 < len)
    {
      const guint8 *p = (const guint8 *) data + i;
      gsize seglen = ((gsize) p[2] << 8) | p[3];

      if (p[1] == 0xE1 && memcmp (p + 4, "Exif", 4) == 0)
        return g_bytes_new (p, seglen + 2);
      i += seglen + 2;
    }
  g_assert_not_reached ();
}

/* Inserts @segment after the first APP1 of @path */
static void
insert_segment (const char *path,
                GBytes     *segment)
{
  g_autofree char *data = NULL;
  g_autoptr (GByteArray) out = g_byte_array_new ();
  gsize len = 0, i = 2;
  gsize size;
  const guint8 *seg = g_bytes_get_data (segment, &size);

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  while (((const guint8 *) data)[i + 1] != 0xE1)
    i += ((((gsize) (guint8) data[i + 2]) << 8) | (guint8) data[i + 3]) + 2;
  i += ((((gsize) (guint8) data[i + 2]) << 8) | (guint8) data[i + 3]) + 2;
  g_byte_array_append (out, (const guint8 *) data, (guint) i);
  g_byte_array_append (out, seg, (guint) size);
  g_byte_array_append (out, (const guint8 *) data + i, (guint) (len - i));
  g_assert_true (g_file_set_contents (path, (const char *) out->data, out->len, NULL));
}

/* Checks, without the code under test, that @path carries no location:
 * no GPS, XMP or IPTC that exiv2 sees, at most one APP1 (Exif) segment,
 * no APP13, nothing after EOI, no GPS field names anywhere, and it still
 * decodes at its size */
static void
assert_location_free_jpeg (const char *path)
{
  g_autoptr (GExiv2Metadata) md = gexiv2_metadata_new ();
  g_auto (GStrv) exif = NULL;
  g_auto (GStrv) xmp = NULL;
  g_auto (GStrv) iptc = NULL;
  g_autofree char *data = NULL;
  gsize len = 0, i = 2;
  guint n_app1 = 0;
  DermImage *image = NULL;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_null (memmem (data, len, "GPSLatitude", 11));
  g_assert_null (memmem (data, len, "Paris", 5));
  g_assert_cmpuint ((guint8) data[len - 2], ==, 0xFF);
  g_assert_cmpuint ((guint8) data[len - 1], ==, 0xD9);
  while (i + 4 < len && (guint8) data[i + 1] != 0xDA)
    {
      const guint8 *p = (const guint8 *) data + i;

      if (p[1] == 0xE1)
        n_app1++;
      g_assert_cmpuint (p[1], !=, 0xED);
      i += (((gsize) p[2] << 8) | p[3]) + 2;
    }
  g_assert_cmpuint (n_app1, <=, 1);

  if (gexiv2_metadata_open_path (md, path, NULL))
    {
      exif = gexiv2_metadata_get_exif_tags (md);
      xmp = gexiv2_metadata_get_xmp_tags (md);
      iptc = gexiv2_metadata_get_iptc_tags (md);
      for (guint k = 0; exif != NULL && exif[k] != NULL; k++)
        g_assert_false (g_str_has_prefix (exif[k], "Exif.GPSInfo."));
      g_assert_true (xmp == NULL || xmp[0] == NULL);
      g_assert_true (iptc == NULL || iptc[0] == NULL);
    }

  g_assert_cmpint (derm_image_load_file (path, NULL, &image, NULL), ==, DERM_STATUS_OK);
  /* 64 x 48, turned by its orientation or not */
  g_assert_cmpint (derm_image_get_width (image) * derm_image_get_height (image), ==, 64 * 48);
  derm_image_free (image);
}

static gboolean
has_temp_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, ".dermis-"))
      return TRUE;
  return FALSE;
}

/* --- opening: refused files keep every byte ------------------------------ */

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (from, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (to, contents, (gssize) len, NULL));
}

/* Copies DIR/dermis.db and its @suffix companion from @work to @dest
 * while @db still holds them as a live writer does */
static void
snapshot_pair (const char *work,
               const char *dest,
               const char *suffix)
{
  g_autofree char *db_from = g_build_filename (work, "dermis.db", NULL);
  g_autofree char *db_to = g_build_filename (dest, "dermis.db", NULL);
  g_autofree char *side_from = g_strconcat (db_from, suffix, NULL);
  g_autofree char *side_to = g_strconcat (db_to, suffix, NULL);
  struct stat st;

  g_mkdir_with_parents (dest, 0700);
  copy_file (db_from, db_to);
  g_assert_cmpint (g_stat (side_from, (GStatBuf *) &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);
  copy_file (side_from, side_to);
}

/* Opens @data_dir expecting refusal @code; the database, its @suffix file
 * and the absence of -shm are exactly as before; the message is one line */
static void
assert_refused_untouched (const char *data_dir,
                          const char *suffix,
                          int         code)
{
  g_autofree char *db = g_build_filename (data_dir, "dermis.db", NULL);
  g_autofree char *side = g_strconcat (db, suffix, NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *db_before = hash_of (db);
  g_autofree char *side_before = hash_of (side);
  g_autofree char *db_after = NULL;
  g_autofree char *side_after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = NULL;
  gboolean had_shm = g_file_test (shm, G_FILE_TEST_EXISTS);

  g_assert_cmpstr (side_before, !=, "absent");
  store = derm_store_open (data_dir, &error);
  g_assert_null (store);
  g_assert_error (error, DERM_STORE_ERROR, code);
  g_assert_null (strchr (error->message, '\n'));

  db_after = hash_of (db);
  side_after = hash_of (side);
  g_assert_cmpstr (db_after, ==, db_before);
  g_assert_cmpstr (side_after, ==, side_before);
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS) == had_shm);

  /* ...and through dermis-cli, a writing command included */
  g_assert_cmpint (run_cli (data_dir, &out, &err, "client", "add", "--name", "X", NULL), ==, DERM_EXIT_STORAGE);
  assert_one_line (err);
  g_clear_pointer (&db_after, g_free);
  g_clear_pointer (&side_after, g_free);
  db_after = hash_of (db);
  side_after = hash_of (side);
  g_assert_cmpstr (db_after, ==, db_before);
  g_assert_cmpstr (side_after, ==, side_before);
}

static sqlite3 *
open_wal_writer (const char *work)
{
  g_autofree char *path = g_build_filename (work, "dermis.db", NULL);
  sqlite3 *db = NULL;

  g_mkdir_with_parents (work, 0700);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;");
  return db;
}

static void
test_refused_newer_with_wal (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *work = g_build_filename (f->dir, "work", NULL);
  sqlite3 *db = open_wal_writer (work);

  exec_sql (db, "PRAGMA application_id = 1147499117; PRAGMA user_version = 5;"
                "CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT);"
                "PRAGMA wal_checkpoint (TRUNCATE);"
                "PRAGMA user_version = 99; INSERT INTO clients (name) VALUES ('in the WAL');");
  snapshot_pair (work, f->data_dir, "-wal");
  sqlite3_close (db);
  assert_refused_untouched (f->data_dir, "-wal", DERM_STORE_ERROR_TOO_NEW);
}

static void
test_refused_foreign_wal (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *work = g_build_filename (f->dir, "work", NULL);
  sqlite3 *db = open_wal_writer (work);

  exec_sql (db, "CREATE TABLE notes (t TEXT); PRAGMA wal_checkpoint (TRUNCATE);"
                "INSERT INTO notes VALUES ('another program');");
  snapshot_pair (work, f->data_dir, "-wal");
  sqlite3_close (db);
  assert_refused_untouched (f->data_dir, "-wal", DERM_STORE_ERROR_FOREIGN);
}

static void
test_refused_damaged_with_wal (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *work = g_build_filename (f->dir, "work", NULL);
  g_autofree char *path = g_build_filename (f->data_dir, "dermis.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize len = 0;
  sqlite3 *db;

  /* A real Dermis database, then a writer that leaves a WAL */
  {
    g_autoptr (DermStore) store = derm_store_open (work, &error);
    g_assert_no_error (error);
  }
  db = open_wal_writer (work);
  exec_sql (db, "CREATE TABLE filler (x BLOB);"
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)"
                "  INSERT INTO filler SELECT randomblob (300) FROM n;"
                "PRAGMA wal_checkpoint (TRUNCATE);"
                "CREATE TABLE in_wal (y);");
  snapshot_pair (work, f->data_dir, "-wal");
  sqlite3_close (db);

  /* Garbage over pages in the middle of the file */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  memset (contents + (len / 4096 / 2) * 4096, 0x55, 3 * 4096);
  g_assert_true (g_file_set_contents (path, contents, (gssize) len, NULL));

  assert_refused_untouched (f->data_dir, "-wal", DERM_STORE_ERROR_CORRUPT);
}

static void
test_refused_foreign_hot_journal (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *work = g_build_filename (f->dir, "work", NULL);
  g_autofree char *path = g_build_filename (work, "dermis.db", NULL);
  sqlite3 *db = NULL;

  g_mkdir_with_parents (work, 0700);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, "PRAGMA journal_mode = DELETE; CREATE TABLE notes (t BLOB);"
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)"
                "  INSERT INTO notes SELECT randomblob (500) FROM n;"
                "PRAGMA cache_size = 2; BEGIN; UPDATE notes SET t = randomblob (600);");
  /* The transaction spilled into the file; its journal is hot */
  snapshot_pair (work, f->data_dir, "-journal");
  exec_sql (db, "ROLLBACK");
  sqlite3_close (db);
  assert_refused_untouched (f->data_dir, "-journal", DERM_STORE_ERROR_FOREIGN);
}

/* --- opening: paths ------------------------------------------------------ */

static void
test_symlink_in_path (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *real = g_build_filename (f->dir, "var-home", NULL);
  g_autofree char *link = g_build_filename (f->dir, "home", NULL);
  g_autofree char *through = g_build_filename (link, "clinic", "dermis", NULL);
  g_autofree char *db = g_build_filename (real, "clinic", "dermis", "dermis.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  struct stat st;

  g_mkdir (real, 0700);
  g_assert_cmpint (symlink (real, link), ==, 0);

  g_assert_cmpint (run_cli (through, &out, &err, "client", "add", "--name", "Zoë", NULL), ==, DERM_EXIT_OK);
  g_assert_cmpint (g_stat (db, (GStatBuf *) &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (through, &out, NULL, "client", "list", NULL), ==, DERM_EXIT_OK);
  g_assert_nonnull (strstr (out, "Zoë"));
}

/* What the app's window and dermis-cli call, in a subprocess that must
 * finish within 20 s (a pipe used to block it for ever) */
static void
open_fifo_child (void)
{
  const char *data_dir = g_getenv ("DERMIS_TEST_FIFO_DIR");
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = derm_store_open (data_dir, &error);
  g_autoptr (DermStore) existing = NULL;

  g_assert_null (store);
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_FOREIGN);
  g_printerr ("%s\n", error->message);
  g_clear_error (&error);
  existing = derm_store_open_existing (data_dir, &error);
  g_assert_null (existing);
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_FOREIGN);
}

/* A FIFO named dermis.db, or beside it as its -wal: a clear one-line
 * refusal (exit 5 in dermis-cli) within seconds, never a hang, and the
 * FIFO is left as it was */
static void
test_fifo_database_refused (Fixture       *f,
                            gconstpointer  data)
{
  const char *names[] = { "dermis.db", "dermis.db-wal" };

  if (g_test_subprocess ())
    {
      open_fifo_child ();
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *dir = g_build_filename (f->dir, names[i], NULL);
      g_autofree char *fifo = g_build_filename (dir, names[i], NULL);
      g_autofree char *db = g_build_filename (dir, "dermis.db", NULL);
      g_autofree char *err = NULL;
      g_autofree char *timeout = g_find_program_in_path ("timeout");
      g_autoptr (GError) error = NULL;
      const char *argv[] = { timeout, "20", g_getenv ("DERMIS_CLI"), "--data-dir", dir, "client", "list", NULL };
      const char *write_argv[] = { timeout, "20", g_getenv ("DERMIS_CLI"), "--data-dir", dir,
                                   "client", "add", "--name", "Ada", NULL };
      int status = -1;
      struct stat st;

      g_test_message ("%s", names[i]);
      g_assert_nonnull (timeout);
      g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
      if (i == 1)
        {
          /* A real database beside a FIFO -wal */
          g_assert_cmpint (run_cli (dir, NULL, NULL, "client", "add", "--name", "Ada", NULL), ==, 0);
          g_autofree char *wal = g_strconcat (db, "-wal", NULL);

          g_unlink (wal);
        }
      g_unlink (fifo);
      g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

      for (guint k = 0; k < 2; k++)
        {
          g_clear_pointer (&err, g_free);
          g_spawn_sync (NULL, (char **) (k == 0 ? argv : write_argv), NULL, G_SPAWN_DEFAULT, NULL, NULL,
                        NULL, &err, &status, &error);
          g_assert_no_error (error);
          /* timeout(1) exits 124 when it had to stop a hang */
          g_assert_true (WIFEXITED (status));
          g_assert_cmpint (WEXITSTATUS (status), ==, DERM_EXIT_STORAGE);
          assert_one_line (err);
          g_assert_nonnull (strstr (err, "not a regular file"));
        }

      g_setenv ("DERMIS_TEST_FIFO_DIR", dir, TRUE);
      g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stderr ("*not a regular file*");
      g_unsetenv ("DERMIS_TEST_FIFO_DIR");
      g_assert_cmpint (g_lstat (fifo, (GStatBuf *) &st), ==, 0);
      g_assert_true (S_ISFIFO (st.st_mode));
    }
}

static void
test_failed_first_open_leaves_nothing (Fixture       *f,
                                       gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->data_dir, "dermis.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *journal = g_strconcat (db, "-journal", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = NULL;

  /* Neither journal can be created: the first write fails */
  g_mkdir_with_parents (wal, 0700);
  g_mkdir_with_parents (journal, 0700);
  store = derm_store_open (f->data_dir, &error);
  g_assert_null (store);
  g_assert_nonnull (error);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
}

static void
test_read_only_commands_need_a_database (Fixture       *f,
                                         gconstpointer  data)
{
  const char *commands[][6] = {
    { "client", "list", NULL },
    { "client", "show", "1", NULL },
    { "session", "list", "1", NULL },
    { "photo", "list", "1", NULL },
    { "photo", "verify", NULL },
    { "photo", "export", "1", "/nonexistent/x.jpg", NULL },
    { "plan", "list", NULL },
    { "plan", "export-ics", "--week", "2026-01-05", NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = NULL;

  store = derm_store_open_existing (f->data_dir, &error);
  g_assert_null (store);
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NO_DATABASE);
  g_assert_false (g_file_test (f->data_dir, G_FILE_TEST_EXISTS));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char **c = commands[i];
      int status = run_cli (f->data_dir, &out, &err, c[0], c[1], c[2], c[3], c[4], c[5], NULL);

      g_assert_cmpint (status, ==, DERM_EXIT_STORAGE);
      g_assert_true (g_str_has_prefix (err, "dermis-cli: No Dermis database in "));
      assert_one_line (err);
      g_assert_false (g_file_test (f->data_dir, G_FILE_TEST_EXISTS));
    }

  /* A writing command creates it */
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "add", "--name", "A", NULL), ==, DERM_EXIT_OK);
  g_assert_true (derm_store_database_exists (f->data_dir));
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "photo", "verify", NULL), ==, DERM_EXIT_OK);
}

/* --- exports ------------------------------------------------------------- */

/* A data dir with a client and two photos, the first with GPS */
static void
make_photo_data (Fixture *f)
{
  g_autofree char *a = make_jpeg (f->dir, "a.jpg", 1);
  g_autofree char *b = make_jpeg (f->dir, "b.jpg", 2);

  set_metadata (a, TRUE, TRUE, TRUE, 6);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "add", "--name", "Ada", NULL), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "photo", "import", "1", a, NULL), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "photo", "import", "1", b, NULL), ==, 0);
}

static char *
second_original (Fixture *f)
{
  g_autofree char *out = NULL;
  g_autofree char *b = g_build_filename (f->dir, "b.jpg", NULL);
  g_autofree char *sha = hash_of (b);
  char prefix[3] = { sha[0], sha[1], 0 };

  return g_build_filename (f->data_dir, "photos", prefix, sha, NULL);
}

static void
test_export_never_into_data_dir (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->data_dir, "dermis.db", NULL);
  g_autofree char *other = NULL;
  g_autofree char *db_before = NULL;
  g_autofree char *other_before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;

  make_photo_data (f);
  other = second_original (f);
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  db_before = hash_of (db);
  other_before = hash_of (other);

  /* Onto the database, even with --force */
  g_assert_cmpint (run_cli (f->data_dir, &out, &err, "photo", "export", "1", db, NULL), ==, DERM_EXIT_INVALID);
  assert_one_line (err);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "photo", "export", "1", db, "--force", NULL), ==, DERM_EXIT_INVALID);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "plan", "export-ics", "--week", "2026-01-05",
                            "--out", db, NULL), ==, DERM_EXIT_INVALID);
  assert_one_line (err);
  g_clear_pointer (&err, g_free);
  /* Onto another photo's original */
  g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "photo", "export", "1", other, "--force", NULL), ==, DERM_EXIT_INVALID);
  g_clear_pointer (&err, g_free);
  /* Into the data folder under a new name */
  {
    g_autofree char *inside = g_build_filename (f->data_dir, "copy.jpg", NULL);

    g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "photo", "export", "1", inside, NULL), ==, DERM_EXIT_INVALID);
    g_assert_false (g_file_test (inside, G_FILE_TEST_EXISTS));
  }

  after = hash_of (db);
  g_assert_cmpstr (after, ==, db_before);
  g_clear_pointer (&after, g_free);
  after = hash_of (other);
  g_assert_cmpstr (after, ==, other_before);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f->data_dir, &out, NULL, "client", "list", NULL), ==, DERM_EXIT_OK);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "photo", "verify", NULL), ==, DERM_EXIT_OK);
  g_assert_false (has_temp_files (f->data_dir));
}

static void
test_export_never_overwrites (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *dest = g_build_filename (f->out_dir, "photo.jpg", NULL);
  g_autofree char *ics = g_build_filename (f->out_dir, "week.ics", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *err = NULL;

  make_photo_data (f);
  g_assert_true (g_file_set_contents (dest, "keep me", -1, NULL));
  g_assert_true (g_file_set_contents (ics, "keep me too", -1, NULL));

  g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "photo", "export", "1", dest, NULL), ==, DERM_EXIT_INVALID);
  assert_one_line (err);
  g_assert_nonnull (strstr (err, "--force"));
  g_assert_true (g_file_get_contents (dest, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");
  g_clear_pointer (&contents, g_free);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "plan", "export-ics", "--week", "2026-01-05",
                            "--out", ics, NULL), ==, DERM_EXIT_INVALID);
  g_assert_true (g_file_get_contents (ics, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me too");
  g_clear_pointer (&contents, g_free);

  /* Asked for: replaced */
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "photo", "export", "1", dest, "--force", NULL), ==, DERM_EXIT_OK);
  assert_location_free_jpeg (dest);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "plan", "export-ics", "--week", "2026-01-05",
                            "--out", ics, "--force", NULL), ==, DERM_EXIT_OK);
  g_assert_true (g_file_get_contents (ics, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "BEGIN:VCALENDAR"));
  g_assert_false (has_temp_files (f->out_dir));
}

/* A picture the aligner finds corners in: rectangles of many colours */
static char *
make_scene (const char *dir,
            const char *name)
{
  const int width = 480, height = 360;
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);
  char *path = g_build_filename (dir, name, NULL);
  GRand *rand = g_rand_new_with_seed (11);
  DermImage *image = NULL;

  memset (rgb, 128, (gsize) width * height * 3);
  for (int k = 0; k < 120; k++)
    {
      int x0 = g_rand_int_range (rand, 0, width - 20), y0 = g_rand_int_range (rand, 0, height - 20);
      int w = g_rand_int_range (rand, 8, 60), h = g_rand_int_range (rand, 8, 60);
      guint8 c[3] = { (guint8) g_rand_int_range (rand, 0, 256), (guint8) g_rand_int_range (rand, 0, 256),
                      (guint8) g_rand_int_range (rand, 0, 256) };

      for (int y = y0; y < MIN (height, y0 + h); y++)
        for (int x = x0; x < MIN (width, x0 + w); x++)
          memcpy (rgb + ((gsize) y * width + x) * 3, c, 3);
    }
  g_rand_free (rand);
  g_assert_cmpint (derm_image_new_from_rgb (width, height, rgb, (size_t) width * 3, &image, NULL), ==, DERM_STATUS_OK);
  g_assert_cmpint (derm_image_save (image, path, 95, NULL), ==, DERM_STATUS_OK);
  derm_image_free (image);
  return path;
}

static gboolean
is_png (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  return g_file_get_contents (path, &contents, &len, NULL) && len > 8 &&
         memcmp (contents, "\x89PNG", 4) == 0;
}

/* align --out and compare --heatmap go through the one export path: an
 * existing file is kept unless --force; the database, a link, a FIFO
 * are refused even with --force, and nothing is left behind */
static void
test_align_and_heatmap_outputs (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *scene = make_scene (f->dir, "scene.jpg");
  g_autofree char *db = g_build_filename (f->data_dir, "dermis.db", NULL);
  g_autofree char *kept = g_build_filename (f->out_dir, "kept.png", NULL);
  g_autofree char *link = g_build_filename (f->out_dir, "link.png", NULL);
  g_autofree char *fifo = g_build_filename (f->out_dir, "fifo.png", NULL);
  g_autofree char *fresh = g_build_filename (f->out_dir, "fresh.png", NULL);
  g_autofree char *db_before = NULL;
  const struct { const char *command; const char *option; } outputs[] = {
    { "align", "--out" }, { "compare", "--heatmap" },
  };

  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "add", "--name", "Ada", NULL), ==, 0);
  db_before = hash_of (db);
  g_assert_true (g_file_set_contents (kept, "keep me", -1, NULL));
  g_assert_cmpint (symlink (kept, link), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      const char *cmd = outputs[i].command, *opt = outputs[i].option;
      g_autofree char *contents = NULL;
      g_autofree char *err = NULL;
      struct stat st;

      g_test_message ("%s %s", cmd, opt);
      /* An existing file: kept, and the message says how to replace it */
      g_assert_cmpint (run_cli (f->data_dir, NULL, &err, cmd, scene, scene, opt, kept, NULL), ==, DERM_EXIT_INVALID);
      assert_one_line (err);
      g_assert_nonnull (strstr (err, "--force"));
      g_clear_pointer (&err, g_free);
      g_assert_true (g_file_get_contents (kept, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "keep me");
      g_clear_pointer (&contents, g_free);

      /* The database, a link and a FIFO: not even with --force */
      g_assert_cmpint (run_cli (f->data_dir, NULL, &err, cmd, scene, scene, opt, db, "--force", NULL), ==, DERM_EXIT_INVALID);
      assert_one_line (err);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_cli (f->data_dir, NULL, &err, cmd, scene, scene, opt, link, "--force", NULL), ==, DERM_EXIT_INVALID);
      assert_one_line (err);
      g_clear_pointer (&err, g_free);
      g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
      g_assert_true (g_file_get_contents (kept, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "keep me");
      g_clear_pointer (&contents, g_free);
      g_assert_cmpint (run_cli (f->data_dir, NULL, &err, cmd, scene, scene, opt, fifo, "--force", NULL), ==, DERM_EXIT_INVALID);
      assert_one_line (err);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (g_lstat (fifo, (GStatBuf *) &st), ==, 0);
      g_assert_true (S_ISFIFO (st.st_mode));

      /* A new name, then the same name on purpose */
      g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, cmd, scene, scene, opt, fresh, NULL), ==, DERM_EXIT_OK);
      g_assert_true (is_png (fresh));
      g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, cmd, scene, scene, opt, fresh, NULL), ==, DERM_EXIT_INVALID);
      g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, cmd, scene, scene, opt, fresh, "--force", NULL), ==, DERM_EXIT_OK);
      g_assert_true (is_png (fresh));
      g_unlink (fresh);
      g_assert_false (has_temp_files (f->out_dir));
    }
  {
    g_autofree char *db_after = hash_of (db);

    g_assert_cmpstr (db_after, ==, db_before);
  }
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "list", NULL), ==, DERM_EXIT_OK);
  g_assert_false (has_temp_files (f->data_dir));
}

/* A folder the user may not write to: one line, exit 5, nothing there.
 * Root writes through folder permissions, so this is checked as another
 * user (CI runs the suite both ways) and skipped, saying so, as root. */
static void
test_export_refused_by_permissions (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *readonly = g_build_filename (f->dir, "readonly", NULL);
  g_autofree char *dest = g_build_filename (readonly, "photo.jpg", NULL);
  g_autofree char *ics = g_build_filename (readonly, "week.ics", NULL);
  g_autofree char *err = NULL;
  g_autoptr (GDir) dir = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("running as root, which ignores folder permissions: run this suite as another user to check refusals");
      return;
    }
  make_photo_data (f);
  g_assert_cmpint (g_mkdir (readonly, 0500), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "photo", "export", "1", dest, NULL), ==, DERM_EXIT_STORAGE);
  assert_one_line (err);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "plan", "export-ics", "--week", "2026-01-05",
                            "--out", ics, NULL), ==, DERM_EXIT_STORAGE);
  assert_one_line (err);
  dir = g_dir_open (readonly, 0, NULL);
  g_assert_null (g_dir_read_name (dir));
  g_chmod (readonly, 0700);
}

static void
test_export_mode_from_umask (Fixture       *f,
                             gconstpointer  data)
{
  const struct { mode_t umask; mode_t mode; } cases[] = { { 022, 0644 }, { 077, 0600 }, { 027, 0640 } };
  g_autofree char *original = NULL;
  struct stat st;

  make_photo_data (f);
  original = second_original (f);
  /* The stored original is read-only; the export must not inherit that */
  g_assert_cmpint (g_stat (original, (GStatBuf *) &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0400);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("m%u.jpg", i);
      g_autofree char *dest = g_build_filename (f->out_dir, name, NULL);
      g_autofree char *ics = g_strconcat (dest, ".ics", NULL);
      mode_t old = umask (cases[i].umask);

      g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "photo", "export", "1", dest, NULL), ==, DERM_EXIT_OK);
      g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "plan", "export-ics", "--week", "2026-01-05",
                                "--out", ics, NULL), ==, DERM_EXIT_OK);
      umask (old);
      g_assert_cmpint (g_stat (dest, (GStatBuf *) &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, cases[i].mode);
      g_assert_cmpint (g_stat (ics, (GStatBuf *) &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, cases[i].mode);
      assert_location_free_jpeg (dest);
    }
}

static void
export_and_check (Fixture    *f,
                  const char *src,
                  const char *name)
{
  g_autofree char *dest = g_build_filename (f->out_dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (derm_photo_export_without_location (src, dest, f->data_dir, FALSE, &error));
  g_assert_no_error (error);
  assert_location_free_jpeg (dest);
  g_assert_false (has_temp_files (f->out_dir));
}

static void
test_export_strips_every_location (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *xmp_only = make_jpeg (f->dir, "xmp.jpg", 3);
  g_autofree char *second = make_jpeg (f->dir, "second.jpg", 4);
  g_autofree char *with_gps = make_jpeg (f->dir, "gps.jpg", 5);
  g_autofree char *iptc = make_jpeg (f->dir, "iptc.jpg", 6);
  g_autofree char *trailing = make_jpeg (f->dir, "trailing.jpg", 7);
  g_autofree char *kept = g_build_filename (f->out_dir, "second.jpg", NULL);
  g_autoptr (GBytes) gps_segment = NULL;
  g_autoptr (GExiv2Metadata) md = gexiv2_metadata_new ();

  /* GPS in XMP only */
  set_metadata (xmp_only, FALSE, TRUE, FALSE, 0);
  export_and_check (f, xmp_only, "xmp.jpg");

  /* GPS in a second Exif APP1 segment, the first one clean */
  set_metadata (with_gps, TRUE, FALSE, FALSE, 0);
  gps_segment = first_exif_segment (with_gps);
  set_metadata (second, FALSE, FALSE, FALSE, 6);
  insert_segment (second, gps_segment);
  export_and_check (f, second, "second.jpg");
  /* the first Exif block stays: the photo still shows upright */
  g_assert_true (gexiv2_metadata_open_path (md, kept, NULL));
  g_assert_cmpint (gexiv2_metadata_try_get_orientation (md, NULL), ==, 6);

  /* IPTC city with Exif GPS */
  set_metadata (iptc, TRUE, FALSE, TRUE, 0);
  export_and_check (f, iptc, "iptc.jpg");

  /* A second picture with GPS after the end of the first */
  {
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    gsize alen, blen;
    g_autoptr (GString) joined = NULL;

    g_assert_true (g_file_get_contents (trailing, &a, &alen, NULL));
    g_assert_true (g_file_get_contents (with_gps, &b, &blen, NULL));
    joined = g_string_new_len (a, (gssize) alen);
    g_string_append_len (joined, b, (gssize) blen);
    g_assert_true (g_file_set_contents (trailing, joined->str, (gssize) joined->len, NULL));
    export_and_check (f, trailing, "trailing.jpg");
  }
}

static void
test_export_killed_leaves_nothing_unclean (Fixture       *f,
                                           gconstpointer  data)
{
  g_autofree char *dest = g_build_filename (f->out_dir, "killed.jpg", NULL);
  GRand *rand = g_rand_new_with_seed (13);

  make_photo_data (f);
  for (guint round = 0; round < 20; round++)
    {
      const char *argv[] = { g_getenv ("DERMIS_CLI"), "--data-dir", f->data_dir,
                             "photo", "export", "1", dest, NULL };
      g_autoptr (GError) error = NULL;
      GPid pid;
      int status;

      g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                    G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error));
      g_usleep (g_rand_int_range (rand, 0, 40000));
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);

      /* Absent, or complete and clean: never the original */
      if (g_file_test (dest, G_FILE_TEST_EXISTS))
        {
          assert_location_free_jpeg (dest);
          g_unlink (dest);
        }
    }
  g_rand_free (rand);
}

/* --- input ---------------------------------------------------------------- */

static void
test_control_characters_refused (Fixture       *f,
                                 gconstpointer  data)
{
  const char *bad[][4] = {
    { "--name", "Zoë\x1b[2J\x1b[H", NULL },
    { "--name", "Line\nbreak", NULL },
    { "--email", "a@b.example\nBcc: x@y.example", NULL },
    { "--phone", "0123\t456", NULL },
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "add", "--name", "Ada", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "client", "add", "--name", "Ok",
                                bad[i][0], bad[i][1], NULL), ==, DERM_EXIT_INVALID);
      assert_one_line (err);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "client", "update", "1",
                                bad[i][0], bad[i][1], NULL), ==, DERM_EXIT_INVALID);
    }
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "session", "add", "1", "--date", "2024-01-02",
                            "--practitioner", "Dr\rX", NULL), ==, DERM_EXIT_INVALID);

  /* Nothing stored: one client, named Ada */
  g_assert_cmpint (run_cli (f->data_dir, &out, NULL, "--json", "client", "list", NULL), ==, 0);
  g_assert_null (strchr (out, 0x1b));
  g_assert_null (strstr (out, "Ok"));

  /* Notes keep their lines and tabs */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "update", "1",
                            "--notes", "first line\n\tindented", NULL), ==, DERM_EXIT_OK);
  g_assert_cmpint (run_cli (f->data_dir, &out, NULL, "--json", "client", "show", "1", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "first line\\n\\tindented"));
}

/* A file named with a newline and a terminal escape: photo import and
 * photo list keep one line per photo, errors one line, no escape */
static void
test_file_names_with_control_characters (Fixture       *f,
                                         gconstpointer  data)
{
  g_autofree char *photo = make_jpeg (f->dir, "a\nb\x1b[2J.jpg", 3);
  g_autofree char *missing = g_build_filename (f->dir, "gone\n\x1b[H.jpg", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "add", "--name", "Ada", NULL), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, &out, &err, "photo", "import", "1", photo, NULL), ==, DERM_EXIT_OK);
  g_assert_nonnull (strstr (out, "imported as photo 1"));
  g_assert_true (strchr (out, '\n') == out + strlen (out) - 1);
  g_assert_null (strchr (out, 0x1b));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (f->data_dir, &out, NULL, "photo", "list", "1", NULL), ==, DERM_EXIT_OK);
  g_assert_null (strchr (out, 0x1b));
  {
    g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
    guint n = 0;

    for (guint i = 0; lines[i] != NULL; i++)
      n += strstr (lines[i], ".jpg") != NULL;
    g_assert_cmpuint (n, ==, 1);
  }
  g_clear_pointer (&out, g_free);

  /* Also through a folder, and a missing file's error */
  g_assert_cmpint (run_cli (f->data_dir, &out, &err, "photo", "import", "1", missing, NULL), ==, DERM_EXIT_NOT_FOUND);
  assert_one_line (err);
  g_assert_null (strchr (err, 0x1b));
}

static void
test_dates_after_9999 (Fixture       *f,
                       gconstpointer  data)
{
  const char *ranges[][5] = {
    { "--to", "9999-12-31", NULL },
    { "--from", "9999-12-31", NULL },
    { "--from", "0001-01-01", "--to", "9999-12-31", NULL },
    { "--from", "9999-12-25", "--to", "9999-12-31", NULL },
  };
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "add", "--name", "Ada", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    {
      g_clear_pointer (&out, g_free);
      g_assert_cmpint (run_cli (f->data_dir, &out, NULL, "plan", "list",
                                ranges[i][0], ranges[i][1], ranges[i][2], ranges[i][3], NULL), ==, DERM_EXIT_OK);
    }
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "plan", "export-ics", "--week", "9999-12-31", NULL), ==, DERM_EXIT_OK);

  /* Past the last day: a clear error */
  g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "plan", "list", "--to", "10000-01-01", NULL), ==, DERM_EXIT_USAGE);
  assert_one_line (err);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "plan", "create", "1", "--protocol", "1",
                            "--start", "9999-12-01", "--yes", NULL), ==, DERM_EXIT_INVALID);
  assert_one_line (err);
  g_assert_nonnull (strstr (err, "9999-12-31"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "session", "add", "1", "--date", "10000-01-01", NULL), !=, DERM_EXIT_OK);
  assert_one_line (err);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gexiv2_initialize ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/safety/open/newer-with-wal-untouched", test_refused_newer_with_wal);
  ADD ("/safety/open/foreign-wal-untouched", test_refused_foreign_wal);
  ADD ("/safety/open/damaged-with-wal-untouched", test_refused_damaged_with_wal);
  ADD ("/safety/open/foreign-hot-journal-untouched", test_refused_foreign_hot_journal);
  ADD ("/safety/open/symlink-in-path", test_symlink_in_path);
  ADD ("/safety/open/failed-first-open-leaves-no-file", test_failed_first_open_leaves_nothing);
  ADD ("/safety/open/fifo-database-refused", test_fifo_database_refused);
  ADD ("/safety/open/read-only-commands-need-a-database", test_read_only_commands_need_a_database);
  ADD ("/safety/export/never-into-data-dir", test_export_never_into_data_dir);
  ADD ("/safety/export/never-overwrites-unless-forced", test_export_never_overwrites);
  ADD ("/safety/export/mode-from-umask", test_export_mode_from_umask);
  ADD ("/safety/export/refused-by-permissions", test_export_refused_by_permissions);
  ADD ("/safety/export/align-and-heatmap-outputs", test_align_and_heatmap_outputs);
  ADD ("/safety/export/strips-every-location", test_export_strips_every_location);
  ADD ("/safety/export/killed-leaves-nothing-unclean", test_export_killed_leaves_nothing_unclean);
  ADD ("/safety/input/control-characters-refused", test_control_characters_refused);
  ADD ("/safety/input/dates-after-9999", test_dates_after_9999);
  ADD ("/safety/input/file-names-with-control-characters", test_file_names_with_control_characters);

  return g_test_run ();
}

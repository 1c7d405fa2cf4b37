/* test-backup.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backups taken while Dermis runs restore to the same records and
 * originals; they are incremental, keep the last N, refuse a non-empty
 * restore target, catch any damaged file, and survive kill -9 at any
 * point: a snapshot either verifies complete or is not there.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <archive.h>
#include <archive_entry.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "derm-backup.h"
#include "derm-cli-common.h"
#include "derm-client.h"
#include "derm-imaging.h"
#include "derm-store-backup.h"
#include "derm-store.h"

typedef struct
{
  char *dir;
  char *data_dir;
  char *dest;
  char *files;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("dermis-backup-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->data_dir = g_build_filename (f->dir, "data", NULL);
  f->dest = g_build_filename (f->dir, "backups", NULL);
  f->files = g_build_filename (f->dir, "files", NULL);
  g_mkdir (f->files, 0700);
  /* dermis-cli keeps thumbnails under here */
  {
    g_autofree char *cache = g_build_filename (f->dir, "cache", NULL);

    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }
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
          {
            g_chmod (child, 0600);
            g_unlink (child);
          }
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
  g_free (f->dest);
  g_free (f->files);
}

static int run_cli (const char *data_dir, char **out, char **err, const char *first, ...) G_GNUC_NULL_TERMINATED;

static int
run_cli (const char  *data_dir,
         char       **out,
         char       **err,
         const char  *first,
         ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *o = NULL;
  g_autofree char *e = NULL;
  int status = -1;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("DERMIS_CLI"));
  if (data_dir != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--data-dir");
      g_ptr_array_add (argv, (gpointer) data_dir);
    }
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &o, &e, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  if (WEXITSTATUS (status) != 0)
    g_test_message ("exit %d: %s", WEXITSTATUS (status), e);
  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);
  return WEXITSTATUS (status);
}

/* A noisy JPEG of about @side x @side pixels: a few hundred KB */
static char *
make_jpeg (const char *dir,
           guint       seed,
           int         side)
{
  g_autofree char *name = g_strdup_printf ("p%u.jpg", seed);
  g_autofree guint8 *rgb = g_malloc ((gsize) side * side * 3);
  char *path = g_build_filename (dir, name, NULL);
  GRand *rand = g_rand_new_with_seed (seed);
  DermImage *image = NULL;

  for (gsize i = 0; i < (gsize) side * side * 3; i++)
    rgb[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  g_assert_cmpint (derm_image_new_from_rgb (side, side, rgb, (size_t) side * 3, &image, NULL), ==, DERM_STATUS_OK);
  g_assert_cmpint (derm_image_save (image, path, 92, NULL), ==, DERM_STATUS_OK);
  derm_image_free (image);
  return path;
}

/* Clients and @n_photos photos, through dermis-cli */
static void
make_data (Fixture *f,
           guint    n_photos,
           int      side)
{

  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "add", "--name", "Zoë Müller",
                            "--notes", "line one\nline two", NULL), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "add", "--name", "Ada Lovelace", NULL), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "session", "add", "1", "--date", "2024-05-01",
                            "--depth", "forehead=0.5", NULL), ==, 0);
  /* One import per client, each with half of the photos */
  for (guint client = 1; client <= 2; client++)
    {
      g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GError) error = NULL;
      int status;

      g_ptr_array_add (argv, g_strdup (g_getenv ("DERMIS_CLI")));
      g_ptr_array_add (argv, g_strdup ("--data-dir"));
      g_ptr_array_add (argv, g_strdup (f->data_dir));
      g_ptr_array_add (argv, g_strdup ("photo"));
      g_ptr_array_add (argv, g_strdup ("import"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", client));
      for (guint i = client - 1; i < n_photos; i += 2)
        g_ptr_array_add (argv, make_jpeg (f->files, i + 1, side));
      g_ptr_array_add (argv, NULL);
      if (argv->len == 7)
        continue;
      g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                    NULL, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    }
}

/* What a data folder holds, as text to compare: every row of every
 * table but the audit log, in id order, read without opening it as Dermis */
static char *
records_of (const char *data_dir)
{
  static const char * const tables[] = {
    "clients", "screenings", "screening_answers", "treatments", "treatment_depths", "photos",
    "regions", "series", "appointments", "protocols", "rooms", "practitioners",
  };
  g_autofree char *path = g_build_filename (data_dir, "dermis.db", NULL);
  g_autofree char *uri = g_strdup_printf ("file:%s?mode=ro", path);
  g_autoptr (GString) all = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==, SQLITE_OK);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1, 2", tables[t]);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_string_append_printf (all, "%s\n", tables[t]);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            g_string_append_printf (all, "%s|", (const char *) sqlite3_column_text (stmt, c));
          g_string_append_c (all, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  g_assert_cmpuint (all->len, >, 200);
  return g_string_free (g_steal_pointer (&all), FALSE);
}

static void
assert_restores_same (Fixture    *f,
                      const char *name)
{
  g_autofree char *target = g_build_filename (f->dir, name, NULL);
  g_autofree char *db = g_build_filename (target, "dermis.db", NULL);
  g_autofree char *before = records_of (f->data_dir);
  g_autofree char *after = NULL;
  g_autoptr (GError) error = NULL;
  struct stat st;

  g_assert_cmpint (run_cli (target, NULL, NULL, "backup", "restore", f->dest, NULL), ==, 0);
  /* integrity_check passes, the folder is private */
  g_assert_true (derm_store_check_file (db, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (target, (GStatBuf *) &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (run_cli (target, NULL, NULL, "photo", "verify", NULL), ==, 0);
  after = records_of (target);
  g_assert_cmpstr (after, ==, before);
}

static guint
n_snapshots (const char *dest)
{
  g_autoptr (GPtrArray) names = derm_backup_list_snapshots (dest);

  return names->len;
}

static guint
count_originals (const char *root)
{
  g_autofree char *photos = g_build_filename (root, "photos", NULL);
  g_autoptr (GDir) dir = g_dir_open (photos, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sub = g_build_filename (photos, name, NULL);
      g_autoptr (GDir) sdir = g_dir_open (sub, 0, NULL);
      const char *file;

      while (sdir != NULL && (file = g_dir_read_name (sdir)) != NULL)
        if (strlen (file) == 64)
          n++;
    }
  return n;
}

/* --- tests ----------------------------------------------------------------- */

/* Folder permissions: root writes through them, so these refusals are
 * only seen as another user (CI runs the suite both ways) */
static gboolean
skip_as_root (void)
{
  if (geteuid () == 0)
    {
      g_test_skip ("running as root, which ignores folder permissions: run this suite as another user to check refusals");
      return TRUE;
    }
  return FALSE;
}

/* A destination the user may not write to, a restore target in a
 * read-only folder: one clear line (exit 5), nothing half-made, and a
 * later backup once the folder is writable is complete */
static void
test_refused_by_permissions (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *readonly = g_build_filename (f->dir, "readonly", NULL);
  g_autofree char *dest = g_build_filename (readonly, "backups", NULL);
  g_autofree char *target = g_build_filename (readonly, "restored", NULL);
  g_autofree char *err = NULL;
  g_autoptr (GDir) dir = NULL;

  if (skip_as_root ())
    return;
  make_data (f, 2, 200);
  g_assert_cmpint (g_mkdir (readonly, 0700), ==, 0);
  g_assert_cmpint (g_chmod (readonly, 0500), ==, 0);

  g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "backup", "create", dest, NULL), ==, DERM_EXIT_STORAGE);
  g_assert_nonnull (strstr (err, readonly));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  g_clear_pointer (&err, g_free);
  dir = g_dir_open (readonly, 0, NULL);
  g_assert_null (g_dir_read_name (dir));
  g_clear_pointer (&dir, g_dir_close);

  /* A backup elsewhere, restored into the read-only folder: refused */
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "backup", "create", f->dest, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, NULL, &err, "backup", "restore", f->dest, "--data-dir", target, NULL),
                   ==, DERM_EXIT_STORAGE);
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  dir = g_dir_open (readonly, 0, NULL);
  g_assert_null (g_dir_read_name (dir));
  g_clear_pointer (&dir, g_dir_close);

  /* Writable again: the backup goes through and verifies */
  g_assert_cmpint (g_chmod (readonly, 0700), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "backup", "create", dest, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "backup", "verify", dest, NULL), ==, 0);
}

static void
test_round_trip_while_running (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autofree char *err = NULL;

  make_data (f, 4, 200);

  /* Dermis is running and has just written: its WAL holds the change */
  store = derm_store_open (f->data_dir, &error);
  g_assert_no_error (error);
  {
    g_autoptr (DermClient) c = derm_client_new ();

    derm_client_set_name (c, "Written while running");
    g_assert_true (derm_store_add_client (store, c, &error));
  }

  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "backup", "create", f->dest, NULL), ==, 0);
  g_assert_cmpuint (n_snapshots (f->dest), ==, 1);
  g_assert_cmpuint (count_originals (f->dest), ==, 4);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "backup", "verify", f->dest, NULL), ==, 0);
  assert_restores_same (f, "restored");
  {
    g_autofree char *target = g_build_filename (f->dir, "restored", NULL);
    g_autofree char *out = NULL;

    g_assert_cmpint (run_cli (target, &out, NULL, "client", "list", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "Written while running"));
  }

  /* A restore never goes into a folder that holds anything */
  {
    g_autofree char *target = g_build_filename (f->dir, "restored", NULL);
    g_autofree char *db = g_build_filename (target, "dermis.db", NULL);
    g_autofree char *sum_before = NULL;
    g_autofree char *sum_after = NULL;
    g_autofree char *contents = NULL;
    gsize len;

    g_file_get_contents (db, &contents, &len, NULL);
    sum_before = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, len);
    g_assert_cmpint (run_cli (target, NULL, &err, "backup", "restore", f->dest, NULL), ==, DERM_EXIT_INVALID);
    g_assert_nonnull (strstr (err, "not an empty folder"));
    g_clear_pointer (&contents, g_free);
    g_file_get_contents (db, &contents, &len, NULL);
    sum_after = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, len);
    g_assert_cmpstr (sum_after, ==, sum_before);
  }
  /* ...but an empty one is fine */
  {
    g_autofree char *target = g_build_filename (f->dir, "empty", NULL);

    g_mkdir (target, 0700);
    g_assert_cmpint (run_cli (target, NULL, NULL, "backup", "restore", f->dest, NULL), ==, 0);
  }
  /* Never into the data folder */
  {
    g_autofree char *inside = g_build_filename (f->data_dir, "backups", NULL);

    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "backup", "create", inside, NULL), ==, DERM_EXIT_INVALID);
    g_assert_false (g_file_test (inside, G_FILE_TEST_EXISTS));
  }
}

static void
test_incremental_and_keep (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *extra = NULL;

  make_data (f, 3, 120);
  g_assert_cmpint (run_cli (f->data_dir, &out, NULL, "--json", "backup", "create", f->dest, "--keep", "2", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"photos_copied\" : 3"));
  g_clear_pointer (&out, g_free);

  /* Nothing new: nothing copied */
  g_assert_cmpint (run_cli (f->data_dir, &out, NULL, "--json", "backup", "create", f->dest, "--keep", "2", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"photos_copied\" : 0"));
  g_clear_pointer (&out, g_free);

  /* One new photo: one copied */
  extra = make_jpeg (f->files, 99, 120);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "photo", "import", "1", extra, NULL), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, &out, NULL, "--json", "backup", "create", f->dest, "--keep", "2", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"photos_copied\" : 1"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpuint (n_snapshots (f->dest), ==, 2);
  g_assert_cmpuint (count_originals (f->dest), ==, 4);

  /* The photo erased for good: once no kept snapshot lists it, it goes */
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "photo", "remove", "4", NULL), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "photo", "empty-removed", NULL), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "backup", "create", f->dest, "--keep", "2", NULL), ==, 0);
  g_assert_cmpuint (count_originals (f->dest), ==, 4);   /* the previous snapshot still has it */
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "backup", "create", f->dest, "--keep", "2", NULL), ==, 0);
  g_assert_cmpuint (n_snapshots (f->dest), ==, 2);
  g_assert_cmpuint (count_originals (f->dest), ==, 3);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "backup", "verify", f->dest, NULL), ==, 0);
  assert_restores_same (f, "restored");
}

static void
test_verify_catches_damage (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr (GPtrArray) names = NULL;
  g_autofree char *err = NULL;
  g_autofree char *manifest = NULL;
  g_autofree char *text = NULL;
  g_autofree char *photos = NULL;
  g_autoptr (GDir) dir = NULL;
  const char *sub;
  gsize len;

  make_data (f, 2, 120);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "backup", "create", f->dest, NULL), ==, 0);
  names = derm_backup_list_snapshots (f->dest);
  manifest = g_build_filename (f->dest, "snapshots", g_ptr_array_index (names, 0), "MANIFEST", NULL);

  /* A manifest cut short */
  g_assert_true (g_file_get_contents (manifest, &text, &len, NULL));
  g_assert_true (g_file_set_contents (manifest, text, (gssize) len - 20, NULL));
  g_assert_cmpint (run_cli (NULL, NULL, &err, "backup", "verify", f->dest, NULL), ==, DERM_EXIT_MISMATCH);
  g_assert_true (g_file_set_contents (manifest, text, (gssize) len, NULL));
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "backup", "verify", f->dest, NULL), ==, 0);

  /* One flipped byte in an original */
  photos = g_build_filename (f->dest, "photos", NULL);
  dir = g_dir_open (photos, 0, NULL);
  sub = g_dir_read_name (dir);
  {
    g_autofree char *subdir = g_build_filename (photos, sub, NULL);
    g_autoptr (GDir) sdir = g_dir_open (subdir, 0, NULL);
    g_autofree char *path = g_build_filename (subdir, g_dir_read_name (sdir), NULL);
    g_autofree char *contents = NULL;

    g_chmod (path, 0600);
    g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
    contents[len / 2] ^= 1;
    g_assert_true (g_file_set_contents (path, contents, (gssize) len, NULL));
  }
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (NULL, NULL, &err, "backup", "verify", f->dest, NULL), ==, DERM_EXIT_MISMATCH);
  g_assert_nonnull (strstr (err, "damaged"));
  /* and a damaged backup is not restored */
  {
    g_autofree char *target = g_build_filename (f->dir, "restored", NULL);

    g_assert_cmpint (run_cli (target, NULL, NULL, "backup", "restore", f->dest, NULL), ==, DERM_EXIT_MISMATCH);
    g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  }

  /* An empty folder has no backup */
  {
    g_autofree char *empty = g_build_filename (f->dir, "nothing", NULL);

    g_mkdir (empty, 0700);
    g_assert_cmpint (run_cli (NULL, NULL, NULL, "backup", "verify", empty, NULL), ==, DERM_EXIT_MISMATCH);
  }
}

/* kill -9 at random points of `backup create`, into a folder that
 * already has backups and into new ones: every snapshot left is either
 * complete and verifies, or absent; the last one restores the records */
static void
test_kill_during_backup (Fixture       *f,
                         gconstpointer  data)
{
  GRand *rand = g_rand_new_with_seed (20261203);
  gint64 start, full_us;
  guint complete_rounds = 0;

  make_data (f, 12, 400);

  /* How long a full backup takes here */
  {
    g_autofree char *probe = g_build_filename (f->dir, "probe", NULL);

    start = g_get_monotonic_time ();
    g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "backup", "create", probe, NULL), ==, 0);
    full_us = g_get_monotonic_time () - start;
    g_test_message ("full backup: %.0f ms", full_us / 1000.0);
  }

  for (guint round = 0; round < 20; round++)
    {
      g_autofree char *fresh_name = g_strdup_printf ("fresh-%u", round);
      g_autofree char *dest = round % 2 ? g_build_filename (f->dir, fresh_name, NULL) : g_strdup (f->dest);
      const char *argv[] = { g_getenv ("DERMIS_CLI"), "--data-dir", f->data_dir, "backup", "create", dest, NULL };
      g_autoptr (GError) error = NULL;
      GPid pid;
      int status;

      g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                    G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error));
      g_usleep ((gulong) g_rand_int_range (rand, 0, (gint32) MIN (full_us * 2, G_MAXINT32 - 1) + 1));
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
        complete_rounds++;

      /* Whatever is left: complete and verifying, or no snapshot at all */
      if (n_snapshots (dest) > 0)
        g_assert_cmpint (run_cli (NULL, NULL, NULL, "backup", "verify", dest, NULL), ==, 0);
      else
        g_assert_cmpint (run_cli (NULL, NULL, NULL, "backup", "verify", dest, NULL), ==, DERM_EXIT_MISMATCH);
    }
  g_rand_free (rand);
  g_test_message ("%u of 20 backups finished before the kill", complete_rounds);

  /* A backup after all that: complete, and restores the same records */
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "backup", "create", f->dest, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, NULL, NULL, "backup", "verify", f->dest, NULL), ==, 0);
  assert_restores_same (f, "restored");
}

static char *
sha_of_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static char *
original_of (Fixture    *f,
             const char *sha)
{
  char prefix[3] = { sha[0], sha[1], 0 };

  return g_build_filename (f->data_dir, "photos", prefix, sha, NULL);
}

static void
put_file (const char *dir,
          const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (path, "thumbnail", -1, NULL));
}

static void
sql (const char *db_path,
     const char *text)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, text, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static int
sql_count (const char *db_path,
           const char *text)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, text, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_client_export_and_erase (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *shared = make_jpeg (f->files, 101, 96);
  g_autofree char *own = make_jpeg (f->files, 102, 96);
  g_autofree char *other = make_jpeg (f->files, 103, 96);
  g_autofree char *sha_shared = sha_of_file (shared);
  g_autofree char *sha_own = sha_of_file (own);
  g_autofree char *db = g_build_filename (f->data_dir, "dermis.db", NULL);
  g_autofree char *zip = g_build_filename (f->dir, "zoe.zip", NULL);
  g_autofree char *thumbs = g_build_filename (f->dir, "cache", "dermis", "thumbnails", "256", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *record = NULL;
  g_autoptr (GHashTable) in_zip = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  struct archive *a;
  struct archive_entry *entry;

  make_data (f, 0, 0);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "photo", "import", "1", shared, own, NULL), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "photo", "import", "2", shared, other, NULL), ==, 0);
  {
    g_autofree char *cache_rows = g_strdup_printf (
      "INSERT INTO analysis_cache VALUES ('%s', '', '', 's', 1, '{}', 'now');"
      "INSERT INTO analysis_cache VALUES ('%s', '', '', 's', 1, '{}', 'now');",
      sha_own, sha_shared);

    sql (db, cache_rows);
  }
  {
    g_autofree char *own_png = g_strconcat (sha_own, ".png", NULL);
    g_autofree char *own_part = g_strconcat (sha_own, ".png.Ab12Cd", NULL);
    g_autofree char *shared_png = g_strconcat (sha_shared, ".png", NULL);

    put_file (thumbs, own_png);
    put_file (thumbs, own_part);
    put_file (thumbs, shared_png);
  }

  /* Export: one ZIP with record.json and the originals, byte for byte */
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "export", "1", "--out", zip, NULL), ==, 0);
  a = archive_read_new ();
  archive_read_support_format_zip (a);
  g_assert_cmpint (archive_read_open_filename (a, zip, 65536), ==, ARCHIVE_OK);
  while (archive_read_next_header (a, &entry) == ARCHIVE_OK)
    {
      la_int64_t size = archive_entry_size (entry);
      g_autofree char *bytes = g_malloc0 ((gsize) size + 1);

      g_assert_cmpint (archive_read_data (a, bytes, (size_t) size), ==, size);
      if (g_str_equal (archive_entry_pathname (entry), "record.json"))
        record = g_strdup (bytes);
      else
        g_hash_table_add (in_zip, g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) bytes, (gsize) size));
    }
  archive_read_free (a);
  g_assert_nonnull (record);
  g_assert_nonnull (strstr (record, "\"name\" : \"Zoë Müller\""));
  g_assert_nonnull (strstr (record, "\"sessions\""));
  g_assert_nonnull (strstr (record, "line one\\nline two"));
  g_assert_cmpuint (g_hash_table_size (in_zip), ==, 2);
  g_assert_true (g_hash_table_contains (in_zip, sha_shared));
  g_assert_true (g_hash_table_contains (in_zip, sha_own));
  /* like every export: never over a file, never into the data folder */
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "export", "1", "--out", zip, NULL), ==, DERM_EXIT_INVALID);
  {
    g_autofree char *inside = g_build_filename (f->data_dir, "zoe.zip", NULL);

    g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "export", "1", "--out", inside, NULL), ==, DERM_EXIT_INVALID);
  }

  /* Erase asks for --yes and changes nothing without it */
  g_assert_cmpint (run_cli (f->data_dir, NULL, &err, "client", "erase", "1", NULL), ==, DERM_EXIT_USAGE);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "show", "1", NULL), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "erase", "1", "--yes", NULL), ==, 0);

  /* Gone: the records, the original no one else uses, its thumbnails
   * (the partial one too) and cached analyses */
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "client", "show", "1", NULL), ==, DERM_EXIT_NOT_FOUND);
  {
    g_autofree char *own_path = original_of (f, sha_own);
    g_autofree char *shared_path = original_of (f, sha_shared);
    g_autofree char *own_png = g_strconcat (thumbs, "/", sha_own, ".png", NULL);
    g_autofree char *own_part = g_strconcat (thumbs, "/", sha_own, ".png.Ab12Cd", NULL);
    g_autofree char *shared_png = g_strconcat (thumbs, "/", sha_shared, ".png", NULL);
    g_autofree char *cache_own = g_strdup_printf ("SELECT count(*) FROM analysis_cache WHERE sha256 = '%s'", sha_own);
    g_autofree char *cache_shared = g_strdup_printf ("SELECT count(*) FROM analysis_cache WHERE sha256 = '%s'", sha_shared);

    g_assert_false (g_file_test (own_path, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (own_png, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (own_part, G_FILE_TEST_EXISTS));
    g_assert_cmpint (sql_count (db, cache_own), ==, 0);
    /* what client 2 still uses stays */
    g_assert_true (g_file_test (shared_path, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (shared_png, G_FILE_TEST_EXISTS));
    g_assert_cmpint (sql_count (db, cache_shared), ==, 1);
  }
  g_assert_cmpint (sql_count (db, "SELECT count(*) FROM photos WHERE client_id = 1"), ==, 0);
  g_assert_cmpint (sql_count (db, "SELECT count(*) FROM treatments WHERE client_id = 1"), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, NULL, NULL, "photo", "verify", NULL), ==, 0);
  g_assert_cmpint (run_cli (f->data_dir, &out, NULL, "client", "show", "2", NULL), ==, 0);

  /* The audit log says "client 1 erased" and nothing personal; the
   * file keeps no trace of the name (secure_delete) */
  g_assert_cmpint (sql_count (db, "SELECT count(*) FROM audit_log WHERE action = 'erase' AND entity = 'client' "
                                  "AND entity_id = 1 AND fields = ''"), ==, 1);
  {
    g_autofree char *contents = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (db, &contents, &len, NULL));
    g_assert_null (memmem (contents, len, "Zoë Müller", strlen ("Zoë Müller")));
    g_assert_null (memmem (contents, len, "line one", strlen ("line one")));
  }
}

static void
last_time_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The folder's newest backup, read on a worker: not there, none yet, then
 * the one just made, as the synchronous call says */
static GDateTime *
last_time_async (const char  *dest,
                 GError     **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  derm_backup_last_time_async (dest, NULL, last_time_ready, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return derm_backup_last_time_finish (result, error);
}

static void
test_last_time_async (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) last = NULL;
  g_autoptr (GDateTime) sync_last = NULL;

  g_assert_null (last_time_async (f->dest, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  {
    g_autofree char *empty = g_build_filename (f->dir, "empty", NULL);

    g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
    g_assert_null (last_time_async (empty, &error));
    g_assert_no_error (error);
    g_rmdir (empty);
  }

  {
    g_autoptr (DermStore) store = derm_store_open (f->data_dir, &error);
    g_auto (DermBackupReport) report = { 0 };

    g_assert_no_error (error);
    g_assert_true (derm_backup_create (store, f->dest, 0, &report, NULL, &error));
    g_assert_no_error (error);
  }
  last = last_time_async (f->dest, &error);
  g_assert_no_error (error);
  sync_last = derm_backup_last_time (f->dest);
  g_assert_nonnull (last);
  g_assert_true (g_date_time_equal (last, sync_last));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/backup/round-trip-while-running", test_round_trip_while_running);
  ADD ("/backup/incremental-and-keep-last-n", test_incremental_and_keep);
  ADD ("/backup/verify-catches-damage", test_verify_catches_damage);
  ADD ("/backup/refused-by-permissions", test_refused_by_permissions);
  ADD ("/backup/kill-9-leaves-complete-or-nothing", test_kill_during_backup);
  ADD ("/backup/client-export-and-erase", test_client_export_and_erase);
  ADD ("/backup/last-time-on-a-worker", test_last_time_async);

  return g_test_run ();
}

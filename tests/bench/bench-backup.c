/* bench-backup.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A clinic's data folder with 10,000 clients and 2,000 photos (originals
 * of BENCH_PHOTO_KB KB each, 300 by default):
 *   1. `cp -r` of the same folder (the reference, same run, warm cache),
 *      `cp -r` followed by `sync`, and a full backup (derm_backup_create
 *      into an empty folder), three rounds interleaved, medians compared;
 *   2. a backup with nothing new.
 * Each time comes with its CPU time (cp's, and the backup's on all its
 * threads) and the load average, since the machine is shared.
 * Prints one figure per line; the goal is a full backup at >= 70 % of
 * the speed of cp -r and a backup with nothing new in <= 2 s.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "derm-backup.h"
#include "derm-store-private.h"
#include "derm-store.h"

#define N_CLIENTS 10000
#define N_PHOTOS  2000
#define ROUNDS    3

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (const double *values)
{
  double sorted[ROUNDS];

  memcpy (sorted, values, sizeof sorted);
  qsort (sorted, ROUNDS, sizeof (double), compare_doubles);
  return sorted[ROUNDS / 2];
}

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
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
fill (DermStore *store,
      const char *data_dir,
      gsize       photo_bytes)
{
  sqlite3 *db = derm_store_get_db (store);
  sqlite3_stmt *client = NULL;
  sqlite3_stmt *photo = NULL;
  g_autofree guint8 *bytes = g_malloc (photo_bytes);
  GRand *rand = g_rand_new_with_seed (7);

  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO clients (name, phone, email, notes, created_at, updated_at) "
                          "VALUES (?1, '+44 20 7946 0000', 'client@example.com', ?2, "
                          "'2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')", -1, &client, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO photos (client_id, sha256, original_name, mime_type, width, height, imported_at) "
                          "VALUES (?1, ?2, 'IMG.jpg', 'image/jpeg', 4000, 3000, '2025-01-01T00:00:00Z')",
                      -1, &photo, NULL);
  for (int i = 1; i <= N_CLIENTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Client %05d", i);

      sqlite3_bind_text (client, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (client, 2, "Prefers morning appointments; sensitive to lidocaine.", -1, SQLITE_STATIC);
      sqlite3_step (client);
      sqlite3_reset (client);
    }
  for (int i = 0; i < N_PHOTOS; i++)
    {
      g_autofree char *sha = NULL;
      g_autofree char *dir = NULL;
      g_autofree char *path = NULL;
      char prefix[3];

      for (gsize k = 0; k < photo_bytes; k += 4)
        {
          guint32 r = g_rand_int (rand);
          memcpy (bytes + k, &r, MIN (4, photo_bytes - k));
        }
      sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes, photo_bytes);
      prefix[0] = sha[0];
      prefix[1] = sha[1];
      prefix[2] = '\0';
      dir = g_build_filename (data_dir, "photos", prefix, NULL);
      path = g_build_filename (dir, sha, NULL);
      g_mkdir_with_parents (dir, 0700);
      g_assert_true (g_file_set_contents (path, (const char *) bytes, (gssize) photo_bytes, NULL));
      g_chmod (path, 0400);
      sqlite3_bind_int64 (photo, 1, 1 + i % N_CLIENTS);
      sqlite3_bind_text (photo, 2, sha, -1, SQLITE_TRANSIENT);
      sqlite3_step (photo);
      sqlite3_reset (photo);
    }
  sqlite3_finalize (client);
  sqlite3_finalize (photo);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  g_rand_free (rand);
}

/* CPU time (user + system) of this process's threads, or of its
 * finished children */
static double
cpu_s (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
run_cpu (const char *command,
         double     *cpu)
{
  double start = now_s ();
  double cpu_start = cpu_s (RUSAGE_CHILDREN);
  int status = system (command);

  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  if (cpu != NULL)
    *cpu = cpu_s (RUSAGE_CHILDREN) - cpu_start;
  return now_s () - start;
}

static double
run (const char *command)
{
  return run_cpu (command, NULL);
}

static const char *
load_average (void)
{
  static char text[128];
  FILE *f = fopen ("/proc/loadavg", "r");

  if (f == NULL || fgets (text, sizeof text, f) == NULL)
    g_strlcpy (text, "unknown\n", sizeof text);
  if (f != NULL)
    fclose (f);
  return text;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = g_dir_make_tmp ("dermis-bench-backup-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (root, "data", NULL);
  g_autofree char *ref = g_build_filename (root, "cp-r", NULL);
  g_autofree char *ref_sync = g_build_filename (root, "cp-r-sync", NULL);
  g_autofree char *dest = g_build_filename (root, "backup", NULL);
  g_autofree char *cmd = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (DermBackupReport) again = { 0 };
  const char *kb_env = g_getenv ("BENCH_PHOTO_KB");
  gsize photo_kb = kb_env != NULL ? (gsize) g_ascii_strtoull (kb_env, NULL, 10) : 300;
  double t_cp[ROUNDS], t_cp_sync[ROUNDS], t_full[ROUNDS], t_again, mb;
  double c_cp[ROUNDS], c_full[ROUNDS];

  store = derm_store_open (data_dir, &error);
  g_assert_no_error (error);
  fill (store, data_dir, photo_kb * 1024);
  mb = N_PHOTOS * (double) photo_kb / 1024.0;
  printf ("data: %d clients, %d photos of %zu KB (%.0f MB)\n", N_CLIENTS, N_PHOTOS, photo_kb, mb);

  /* The data was just written: everything is in the page cache for all
   * three. The machine is shared, so one run of each says little: the
   * three run ROUNDS times, interleaved in a rotating order, and the
   * medians are compared. */
  run ("sync");
  for (guint round = 0; round < ROUNDS; round++)
    for (guint k = 0; k < 3; k++)
      {
        guint which = (round + k) % 3;

        if (which == 0)
          {
            cmd = g_strdup_printf ("cp -r '%s' '%s'", data_dir, ref);
            t_cp[round] = run_cpu (cmd, &c_cp[round]);
            g_clear_pointer (&cmd, g_free);
            remove_tree (ref);
          }
        else if (which == 1)
          {
            cmd = g_strdup_printf ("cp -r '%s' '%s' && sync", data_dir, ref_sync);
            t_cp_sync[round] = run (cmd);
            g_clear_pointer (&cmd, g_free);
            remove_tree (ref_sync);
          }
        else
          {
            g_auto (DermBackupReport) full = { 0 };
            double start, cpu_start;

            remove_tree (dest);
            run ("sync");
            start = now_s ();
            cpu_start = cpu_s (RUSAGE_SELF);
            g_assert_true (derm_backup_create (store, dest, 0, &full, NULL, &error));
            g_assert_no_error (error);
            t_full[round] = now_s () - start;
            c_full[round] = cpu_s (RUSAGE_SELF) - cpu_start;
            g_assert_cmpuint (full.n_copied, ==, N_PHOTOS);
          }
        /* The next one starts with a quiet disk, like the first */
        run ("sync");
      }
  for (guint round = 0; round < ROUNDS; round++)
    printf ("round %u: cp -r %.2f s (CPU %.2f s), cp -r && sync %.2f s, full backup %.2f s (CPU %.2f s; %.0f %% of cp -r)\n",
            round + 1, t_cp[round], c_cp[round], t_cp_sync[round], t_full[round], c_full[round],
            100.0 * t_cp[round] / t_full[round]);
  {
    double cp = median (t_cp), cp_sync = median (t_cp_sync), full = median (t_full);

    printf ("load average at the end: %s", load_average ());
    printf ("cp -r: %.2f s (%.0f MB/s, median of %d; CPU %.2f s)\n", cp, mb / cp, ROUNDS, median (c_cp));
    printf ("cp -r && sync: %.2f s (%.0f MB/s)\n", cp_sync, mb / cp_sync);
    printf ("full backup: %.2f s (%.0f MB/s; CPU %.2f s on all its threads), %d originals copied, every file and folder fsync'd\n",
            full, mb / full, median (c_full), N_PHOTOS);
    printf ("full backup speed vs cp -r: %.0f %% (goal >= 70 %%)\n", 100.0 * cp / full);
    printf ("full backup speed vs cp -r && sync: %.0f %%\n", 100.0 * cp_sync / full);
  }

  {
    double start = now_s ();

    g_assert_true (derm_backup_create (store, dest, 0, &again, NULL, &error));
    g_assert_no_error (error);
    t_again = now_s () - start;
  }
  g_assert_cmpuint (again.n_copied, ==, 0);
  printf ("backup with nothing new: %.2f s (goal <= 2 s)\n", t_again);

  g_clear_object (&store);
  remove_tree (root);
  return 0;
}

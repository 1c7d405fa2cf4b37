/* bench-cli.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The command-line floor (issue 10): wall time of `dermis-cli --version`
 * and of `dermis-cli client list` on 10,000 clients, medians of 10 runs,
 * beside `true` (the cost of starting any program on this machine) and,
 * when given, another build of dermis-cli (the one before a change), all
 * measured in the same rounds, one run of each per round, so that a busy
 * machine slows them alike.
 *
 *   bench-cli [--same-schema] DERMIS-CLI [OLD-DERMIS-CLI]
 *
 * The old build reads a copy of the same records as schema 9 left them
 * (schema 10 only adds an index), as it refuses a newer database; with
 * --same-schema (an old build of today's schema: the one before a
 * change) it reads the same records as the new one.
 *
 * Targets: --version <= 25 ms, client list <= 60 ms. CPU time (user +
 * system) is printed too: on a shared, loaded machine the wall time
 * mostly measures the wait for a core, the CPU time what the run costs.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "derm-screening.h"
#include "derm-store-private.h"
#include "derm-store.h"

#define N_CLIENTS 10000
#define N_ROUNDS  10

/* 10,000 clients, each with a session and a screening answered in full,
 * as a clinic has them: every answer "no" but for 1 in 50 clients with
 * an active infection and 1 in 50 on isotretinoin (half of them within
 * the window), so the list's Do Not Treat badge has work to do */
static void
seed (const char *data_dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = derm_store_open (data_dir, &error);
  sqlite3_stmt *client = NULL, *treatment = NULL, *screening = NULL, *answer = NULL;
  g_autoptr (GDateTime) today = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) recent = g_date_time_add_months (today, -2);
  g_autofree char *recent_iso = g_date_time_format (recent, "%Y-%m-%d");
  sqlite3 *db;

  g_assert_no_error (error);
  db = derm_store_get_db (store);
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO clients (name, phone, email, fitzpatrick, concerns, created_at, updated_at) "
                          "VALUES (?1, ?2, ?3, ?4, 'texture,redness', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
                      -1, &client, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO treatments (client_id, date, practitioner, passes, created_at, updated_at) "
                          "VALUES (?1, '2025-03-01', 'Dr Example', 3, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
                      -1, &treatment, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO screenings (client_id, date, created_at) VALUES (?1, '2025-01-01', '2025-01-01T00:00:00Z')",
                      -1, &screening, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO screening_answers (screening_id, question, answer, date) VALUES (?1, ?2, ?3, ?4)",
                      -1, &answer, NULL);
  for (int i = 0; i < N_CLIENTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Client Müller-Nørgaard %05d", i);
      g_autofree char *phone = g_strdup_printf ("+33 6 %02d %02d %02d 00", i % 100, (i / 100) % 100, i % 37);
      g_autofree char *email = g_strdup_printf ("client%d@example.org", i);
      gint64 id;

      sqlite3_bind_text (client, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (client, 2, phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (client, 3, email, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (client, 4, 1 + i % 6);
      if (sqlite3_step (client) != SQLITE_DONE)
        g_error ("seed: %s", sqlite3_errmsg (db));
      sqlite3_reset (client);
      id = sqlite3_last_insert_rowid (db);
      sqlite3_bind_int64 (treatment, 1, id);
      sqlite3_step (treatment);
      sqlite3_reset (treatment);
      sqlite3_bind_int64 (screening, 1, id);
      sqlite3_step (screening);
      sqlite3_reset (screening);
      id = sqlite3_last_insert_rowid (db);
      for (int q = 0; q < DERM_N_QUESTIONS; q++)
        {
          gboolean yes = (q == DERM_QUESTION_ACTIVE_INFECTION && i % 50 == 7) ||
                         (q == DERM_QUESTION_ISOTRETINOIN && i % 50 == 31) ||
                         q == DERM_QUESTION_CONSENT;
          const char *date = NULL;

          if (q == DERM_QUESTION_ISOTRETINOIN && yes)
            date = i % 100 == 31 ? recent_iso : "2024-01-15";
          sqlite3_bind_int64 (answer, 1, id);
          sqlite3_bind_text (answer, 2, derm_question_to_key (q), -1, SQLITE_STATIC);
          sqlite3_bind_text (answer, 3, yes ? "yes" : "no", -1, SQLITE_STATIC);
          sqlite3_bind_text (answer, 4, date, -1, SQLITE_STATIC);
          if (sqlite3_step (answer) != SQLITE_DONE)
            g_error ("seed: %s", sqlite3_errmsg (db));
          sqlite3_reset (answer);
        }
    }
  sqlite3_finalize (client);
  sqlite3_finalize (treatment);
  sqlite3_finalize (screening);
  sqlite3_finalize (answer);
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    g_error ("seed: %s", sqlite3_errmsg (db));
  derm_store_close (store);
}

static void
remove_folder (const char *path)
{
  g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (path, name, NULL);

      g_unlink (p);
    }
  g_rmdir (path);
}

/* @to: the database of @from without what schema 10 added */
static void
copy_as_schema_9 (const char *from,
                  const char *to)
{
  g_autofree char *from_db = g_build_filename (from, "dermis.db", NULL);
  g_autofree char *to_db = g_build_filename (to, "dermis.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;
  gsize length;

  g_mkdir_with_parents (to, 0700);
  if (!g_file_get_contents (from_db, &contents, &length, &error) ||
      !g_file_set_contents_full (to_db, contents, (gssize) length, G_FILE_SET_CONTENTS_NONE, 0600, &error))
    g_error ("copy: %s", error->message);
  if (sqlite3_open (to_db, &db) != SQLITE_OK ||
      sqlite3_exec (db, "DROP INDEX IF EXISTS clients_by_name; PRAGMA user_version = 9;",
                    NULL, NULL, NULL) != SQLITE_OK)
    g_error ("schema 9 copy: %s", sqlite3_errmsg (db));
  sqlite3_close (db);
}

static double
children_cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

/* Wall time of one run, in ms, and its CPU time in *cpu_ms; its output
 * goes to /dev/null. */
static double
run_once (char **argv, gboolean *ok, double *cpu_ms)
{
  g_autoptr (GError) error = NULL;
  double cpu0 = children_cpu_ms ();
  gint64 t0 = g_get_monotonic_time ();
  int status = 0;

  if (!g_spawn_sync (NULL, argv, NULL,
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  *ok = *ok && WIFEXITED (status) && WEXITSTATUS (status) == 0;
  *cpu_ms = children_cpu_ms () - cpu0;
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v, int n)
{
  qsort (v, (size_t) n, sizeof *v, (int (*) (const void *, const void *)) cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct
{
  const char *label;
  char       *argv[8];
  double      ms[N_ROUNDS];
  double      cpu[N_ROUNDS];
  gboolean    ok;
} Case;

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL, *data_dir = NULL, *old_data_dir = NULL;
  const char *new_cli, *old_cli;
  gboolean same_schema = argc > 1 && g_str_equal (argv[1], "--same-schema");
  Case cases[5];
  int n = 0;
  gint64 t0;

  if (same_schema)
    {
      argv++;
      argc--;
    }
  if (argc < 2 || argc > 3)
    {
      fprintf (stderr, "Usage: %s [--same-schema] DERMIS-CLI [OLD-DERMIS-CLI]\n", argv[0]);
      return 2;
    }
  new_cli = argv[1];
  old_cli = argc > 2 ? argv[2] : NULL;

  dir = g_dir_make_tmp ("dermis-bench-cli-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (dir, "data", NULL);
  t0 = g_get_monotonic_time ();
  seed (data_dir);
  printf ("seeded %d clients in %.0f ms\n", N_CLIENTS, (g_get_monotonic_time () - t0) / 1000.0);
  if (old_cli != NULL && !same_schema)
    {
      old_data_dir = g_build_filename (dir, "old-data", NULL);
      copy_as_schema_9 (data_dir, old_data_dir);
    }

  memset (cases, 0, sizeof cases);
  cases[n++] = (Case) { "true", { (char *) "/bin/true", NULL }, { 0 }, { 0 }, TRUE };
  cases[n++] = (Case) { "--version", { (char *) new_cli, (char *) "--version", NULL }, { 0 }, { 0 }, TRUE };
  cases[n++] = (Case) { "client list", { (char *) new_cli, (char *) "--data-dir", data_dir, (char *) "client", (char *) "list", NULL },
                        { 0 }, { 0 }, TRUE };
  if (old_cli != NULL)
    {
      cases[n++] = (Case) { "old --version", { (char *) old_cli, (char *) "--version", NULL }, { 0 }, { 0 }, TRUE };
      cases[n++] = (Case) { "old client list", { (char *) old_cli, (char *) "--data-dir",
                                                 old_data_dir != NULL ? old_data_dir : data_dir, (char *) "client",
                                                 (char *) "list", NULL }, { 0 }, { 0 }, TRUE };
    }

  /* One warm-up run of each: the page cache, not the first start, is measured */
  for (int c = 0; c < n; c++)
    {
      gboolean ok = TRUE;
      double cpu;

      run_once (cases[c].argv, &ok, &cpu);
    }
  for (int r = 0; r < N_ROUNDS; r++)
    for (int c = 0; c < n; c++)
      cases[c].ms[r] = run_once (cases[c].argv, &cases[c].ok, &cases[c].cpu[r]);

  {
    double m[5], cpu[5];
    double load[3] = { 0 };

    for (int c = 0; c < n; c++)
      {
        m[c] = median (cases[c].ms, N_ROUNDS);
        cpu[c] = median (cases[c].cpu, N_ROUNDS);
      }
    if (getloadavg (load, 3) < 1)
      load[0] = -1;
    printf ("medians of %d runs, same rounds, wall time (CPU time), load average %.1f:\n", N_ROUNDS, load[0]);
    printf ("true_ms: %.1f (%.1f)\n", m[0], cpu[0]);
    printf ("version_ms: %.1f (%.1f) (target <= 25)%s\n", m[1], cpu[1], cases[1].ok ? "" : " FAILED");
    printf ("client_list_10000_ms: %.1f (%.1f) (target <= 60)%s\n", m[2], cpu[2], cases[2].ok ? "" : " FAILED");
    if (old_cli != NULL)
      {
        printf ("old_version_ms: %.1f (%.1f)%s\n", m[3], cpu[3], cases[3].ok ? "" : " (it failed)");
        printf ("old_client_list_10000_ms: %.1f (%.1f)%s\n", m[4], cpu[4], cases[4].ok ? "" : " (it failed)");
      }
  }

  remove_folder (data_dir);
  if (old_data_dir != NULL)
    remove_folder (old_data_dir);
  g_rmdir (dir);
  return cases[1].ok && cases[2].ok ? 0 : 1;
}

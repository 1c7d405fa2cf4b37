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
 *   bench-cli DERMIS-CLI [OLD-DERMIS-CLI]
 *
 * Targets: --version <= 25 ms, client list <= 60 ms.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "derm-store-private.h"
#include "derm-store.h"

#define N_CLIENTS 10000
#define N_ROUNDS  10

/* 10,000 clients, each with a session and a screening, as a clinic has them */
static void
seed (const char *data_dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = derm_store_open (data_dir, &error);
  sqlite3_stmt *client = NULL, *treatment = NULL, *screening = NULL;
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
    }
  sqlite3_finalize (client);
  sqlite3_finalize (treatment);
  sqlite3_finalize (screening);
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    g_error ("seed: %s", sqlite3_errmsg (db));
  derm_store_close (store);
}

/* Wall time of one run, in ms; its output goes to /dev/null. */
static double
run_once (char **argv, gboolean *ok)
{
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  int status = 0;

  if (!g_spawn_sync (NULL, argv, NULL,
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  *ok = *ok && WIFEXITED (status) && WEXITSTATUS (status) == 0;
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
  gboolean    ok;
} Case;

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL, *data_dir = NULL;
  const char *new_cli, *old_cli;
  Case cases[5];
  int n = 0;
  gint64 t0;

  if (argc < 2 || argc > 3)
    {
      fprintf (stderr, "Usage: %s DERMIS-CLI [OLD-DERMIS-CLI]\n", argv[0]);
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

  memset (cases, 0, sizeof cases);
  cases[n++] = (Case) { "true", { (char *) "/bin/true", NULL }, { 0 }, TRUE };
  cases[n++] = (Case) { "--version", { (char *) new_cli, (char *) "--version", NULL }, { 0 }, TRUE };
  cases[n++] = (Case) { "client list", { (char *) new_cli, (char *) "--data-dir", data_dir, (char *) "client", (char *) "list", NULL },
                        { 0 }, TRUE };
  if (old_cli != NULL)
    {
      cases[n++] = (Case) { "old --version", { (char *) old_cli, (char *) "--version", NULL }, { 0 }, TRUE };
      cases[n++] = (Case) { "old client list", { (char *) old_cli, (char *) "--data-dir", data_dir, (char *) "client",
                                                 (char *) "list", NULL }, { 0 }, TRUE };
    }

  /* One warm-up run of each: the page cache, not the first start, is measured */
  for (int c = 0; c < n; c++)
    {
      gboolean ok = TRUE;

      run_once (cases[c].argv, &ok);
    }
  for (int r = 0; r < N_ROUNDS; r++)
    for (int c = 0; c < n; c++)
      cases[c].ms[r] = run_once (cases[c].argv, &cases[c].ok);

  {
    double m[5];

    for (int c = 0; c < n; c++)
      m[c] = median (cases[c].ms, N_ROUNDS);
    printf ("medians of %d runs, wall time, same rounds:\n", N_ROUNDS);
    printf ("true_ms: %.1f\n", m[0]);
    printf ("version_ms: %.1f (target <= 25)%s\n", m[1], cases[1].ok ? "" : " FAILED");
    printf ("client_list_10000_ms: %.1f (target <= 60)%s\n", m[2], cases[2].ok ? "" : " FAILED");
    if (old_cli != NULL)
      {
        printf ("old_version_ms: %.1f%s\n", m[3], cases[3].ok ? "" : " (it failed)");
        printf ("old_client_list_10000_ms: %.1f%s\n", m[4], cases[4].ok ? "" : " (it failed)");
      }
  }

  {
    g_autoptr (GDir) d = g_dir_open (data_dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (data_dir, name, NULL);

        g_unlink (p);
      }
    g_rmdir (data_dir);
    g_rmdir (dir);
  }
  return cases[1].ok && cases[2].ok ? 0 : 1;
}

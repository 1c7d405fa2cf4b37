/* bench-records.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Seeds 10,000 clients with 5 sessions and 2 screenings each, then
 * prints: database open, first list, search latency per keystroke
 * (through the same GtkFilterListModel + derm_client_matches the client
 * list uses), and the time from process start to the first frame of the
 * real dermis window (when given its path and a display).
 *
 *   bench-records [PATH-TO-dermis]
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "derm-client.h"
#include "derm-store.h"
#include "derm-store-private.h"

#define N_CLIENTS 10000

static const char *first_names[] = {
  "Maria", "Zoë", "Léa", "Chloé", "Sophie", "Hannah", "Emma", "Olivia", "Amélie", "Inès",
  "Noah", "Lucas", "Jürgen", "Søren", "Björn", "Ana", "João", "Siobhán", "Małgorzata", "Aiko",
};
static const char *last_names[] = {
  "González", "Müller", "Dubois", "Nørgaard", "O'Connor", "Smith", "Nakamura", "Kowalski",
  "Fernández", "Rossi", "Schäfer", "Lefèvre", "Brown", "Öztürk", "Papadopoulos", "Novák",
};

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
seed (DermStore *store)
{
  sqlite3 *db = derm_store_get_db (store);
  sqlite3_stmt *client = NULL, *treatment = NULL, *depth = NULL, *screening = NULL, *answer = NULL;
  GRand *rand = g_rand_new_with_seed (42);

  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO clients (name, phone, email, fitzpatrick, concerns, created_at, updated_at) "
                          "VALUES (?1, ?2, ?3, ?4, 'texture,redness', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
                      -1, &client, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO treatments (client_id, date, practitioner, passes, created_at, updated_at) "
                          "VALUES (?1, ?2, 'Dr Example', 3, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
                      -1, &treatment, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO treatment_depths VALUES (?1, ?2, ?3, ?4)", -1, &depth, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO screenings (client_id, date, created_at) VALUES (?1, ?2, '2025-01-01T00:00:00Z')",
                      -1, &screening, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO screening_answers VALUES (?1, ?2, 'no', NULL, NULL)", -1, &answer, NULL);

  for (int i = 0; i < N_CLIENTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %s %d",
                                               first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))],
                                               last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))], i);
      g_autofree char *phone = g_strdup_printf ("+33 6 %02d %02d %02d %02d", i % 100, (i / 100) % 100,
                                                g_rand_int_range (rand, 0, 100), g_rand_int_range (rand, 0, 100));
      g_autofree char *email = g_strdup_printf ("client%d@example.org", i);
      gint64 cid;

      sqlite3_bind_text (client, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (client, 2, phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (client, 3, email, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (client, 4, 1 + i % 6);
      sqlite3_step (client);
      sqlite3_reset (client);
      cid = sqlite3_last_insert_rowid (db);

      for (int s = 0; s < 5; s++)
        {
          g_autofree char *date = g_strdup_printf ("2025-%02d-%02d", 1 + s * 2, 1 + g_rand_int_range (rand, 0, 28));
          gint64 tid;

          sqlite3_bind_int64 (treatment, 1, cid);
          sqlite3_bind_text (treatment, 2, date, -1, SQLITE_TRANSIENT);
          sqlite3_step (treatment);
          sqlite3_reset (treatment);
          tid = sqlite3_last_insert_rowid (db);
          for (int z = 0; z < 3; z++)
            {
              sqlite3_bind_int64 (depth, 1, tid);
              sqlite3_bind_int (depth, 2, z);
              sqlite3_bind_text (depth, 3, z == 0 ? "forehead" : z == 1 ? "left cheek" : "right cheek", -1, SQLITE_STATIC);
              sqlite3_bind_double (depth, 4, 0.5 + z * 0.5);
              sqlite3_step (depth);
              sqlite3_reset (depth);
            }
        }
      for (int s = 0; s < 2; s++)
        {
          gint64 sid;
          sqlite3_bind_int64 (screening, 1, cid);
          sqlite3_bind_text (screening, 2, s == 0 ? "2025-01-01" : "2025-06-01", -1, SQLITE_STATIC);
          sqlite3_step (screening);
          sqlite3_reset (screening);
          sid = sqlite3_last_insert_rowid (db);
          for (int q = 0; q < 12; q++)
            {
              g_autofree char *key = g_strdup_printf ("q%d", q);
              sqlite3_bind_int64 (answer, 1, sid);
              sqlite3_bind_text (answer, 2, key, -1, SQLITE_TRANSIENT);
              sqlite3_step (answer);
              sqlite3_reset (answer);
            }
        }
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  sqlite3_finalize (client);
  sqlite3_finalize (treatment);
  sqlite3_finalize (depth);
  sqlite3_finalize (screening);
  sqlite3_finalize (answer);
  g_rand_free (rand);
}

static char *current_query;

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  return !derm_client_get_archived (item) && derm_client_matches (item, current_query);
}

static void
bench_search (GPtrArray *clients)
{
  const char *typed[] = { "maria gonz", "zoe muller", "0612", "client99", "lefevre", "so" };
  g_autoptr (GListStore) store = g_list_store_new (DERM_TYPE_CLIENT);
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  GtkCustomFilter *filter = gtk_custom_filter_new (filter_func, NULL, NULL);
  g_autoptr (GtkFilterListModel) model = NULL;
  double median, p95, max;

  g_list_store_splice (store, 0, 0, clients->pdata, clients->len);
  current_query = g_strdup ("");
  model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (store)), GTK_FILTER (filter));
  gtk_filter_list_model_set_incremental (model, FALSE);

  for (guint w = 0; w < G_N_ELEMENTS (typed); w++)
    {
      gsize len = strlen (typed[w]);
      for (gsize k = 1; k <= len; k++)
        {
          g_autofree char *prefix = g_strndup (typed[w], k);
          double t0 = now_ms (), dt;
          guint n;

          /* what one keystroke costs: fold the query, refilter, read the count */
          g_free (current_query);
          current_query = derm_fold_for_search (prefix);
          gtk_filter_changed (GTK_FILTER (filter), GTK_FILTER_CHANGE_DIFFERENT);
          n = g_list_model_get_n_items (G_LIST_MODEL (model));
          dt = now_ms () - t0;
          g_array_append_val (times, dt);
          if (k == len)
            printf ("search \"%s\": %u matches\n", typed[w], n);
        }
    }

  g_array_sort (times, compare_double);
  median = g_array_index (times, double, times->len / 2);
  p95 = g_array_index (times, double, (guint) (times->len * 0.95));
  max = g_array_index (times, double, times->len - 1);
  printf ("search per keystroke over %d clients (%u keystrokes): median %.2f ms, p95 %.2f ms, max %.2f ms (target p95 <= 10 ms)\n",
          N_CLIENTS, times->len, median, p95, max);
  g_clear_pointer (&current_query, g_free);
}

static void
bench_first_frame (const char *dermis,
                   const char *dir)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (int run = 0; run < 5; run++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr (GSubprocess) proc = NULL;
      g_autoptr (GDataInputStream) out = NULL;
      g_autofree char *line = NULL;
      double t0 = now_ms (), dt;

      g_subprocess_launcher_setenv (launcher, "DERMIS_EXIT_AFTER_FIRST_FRAME", "1", TRUE);
      proc = g_subprocess_launcher_spawn (launcher, &error, dermis, "--data-dir", dir, NULL);
      if (proc == NULL)
        {
          printf ("first frame: could not start %s: %s\n", dermis, error->message);
          return;
        }
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
      while ((line = g_data_input_stream_read_line (out, NULL, NULL, NULL)) != NULL)
        {
          if (g_str_has_prefix (line, "first-frame"))
            break;
          g_clear_pointer (&line, g_free);
        }
      dt = now_ms () - t0;
      g_subprocess_wait (proc, NULL, NULL);
      if (line == NULL)
        {
          printf ("first frame: dermis exited without drawing a frame (is DISPLAY set?)\n");
          return;
        }
      g_array_append_val (times, dt);
    }

  g_array_sort (times, compare_double);
  printf ("process start to first frame with %d clients (5 runs): median %.0f ms, max %.0f ms (target <= 500 ms)\n",
          N_CLIENTS, g_array_index (times, double, 2), g_array_index (times, double, 4));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dermis-bench-XXXXXX", NULL);
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GPtrArray) clients = NULL;
  double t0;

  gtk_init ();

  store = derm_store_open (dir, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  t0 = now_ms ();
  seed (store);
  printf ("seeded %d clients, %d sessions, %d screenings in %.0f ms\n",
          N_CLIENTS, N_CLIENTS * 5, N_CLIENTS * 2, now_ms () - t0);
  g_clear_object (&store);

  {
    /* As after a crash: no record of a clean close, so the full check runs */
    g_autofree char *record = g_build_filename (dir, "dermis.db-verified", NULL);
    g_unlink (record);
  }
  t0 = now_ms ();
  store = derm_store_open (dir, &error);
  printf ("database open after an unclean exit (full quick_check): %.1f ms\n", now_ms () - t0);
  g_clear_object (&store);
  t0 = now_ms ();
  store = derm_store_open (dir, &error);
  printf ("database open after a clean close: %.1f ms\n", now_ms () - t0);
  t0 = now_ms ();
  clients = derm_store_list_clients (store, TRUE, &error);
  printf ("first list of %u clients (with last visit): %.1f ms\n", clients->len, now_ms () - t0);

  bench_search (clients);

  if (argc > 1)
    bench_first_frame (argv[1], dir);

  g_clear_object (&store);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", dir);
  }
  return 0;
}

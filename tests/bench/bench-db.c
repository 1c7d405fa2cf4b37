/* bench-db.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What one statement costs through DermDb on each back end, in the same
 * run: SQLite (a file in a temporary folder, WAL) beside PostgreSQL (the
 * throwaway cluster of tests/pg-cluster.sh, over its Unix socket). One
 * line per figure: the median and p95 of a read by primary key, an
 * insert in its own write transaction (what every store write is), an
 * insert among 200 in one transaction, and a 4 MiB photo stored and read
 * back in chunks (PostgreSQL only: SQLite keeps photos as files).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "derm-db.h"
#include "derm-db-pg-schema.h"

#define READS   2000
#define WRITES  300
#define BATCH   200

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* @us: nanoseconds, printed as microseconds */
static void
report (const char *what,
        const char *backend,
        GArray     *us)
{
  g_array_sort (us, compare_gint64);
  g_print ("%-28s %-10s median %8.1f us  p95 %8.1f us  (n=%u)\n", what, backend,
           g_array_index (us, gint64, us->len / 2) / 1000.0,
           g_array_index (us, gint64, (us->len * 95) / 100) / 1000.0, us->len);
}

/* takes the address: the call that sets the error runs first */
static void
check (gboolean   ok,
       GError   **error)
{
  if (!ok)
    g_error ("%s", *error != NULL ? (*error)->message : "failed");
}

static gboolean
insert_one (DermDb   *db,
            gpointer  data,
            GError  **error)
{
  gint64 *next = data;
  DermDbStmt *stmt = derm_db_prepare (db, "INSERT INTO bench_rows (id, label, n) VALUES (?1, ?2, ?1)", error);

  if (stmt == NULL)
    return FALSE;
  derm_db_bind_int64 (stmt, 1, (*next)++);
  derm_db_bind_text (stmt, 2, "a label of about the length of a client's name");
  return derm_db_step_done (stmt, error);
}

typedef struct
{
  GBytes *bytes;
  char   *sha256;
} Blob;

static gboolean
put_blob (DermDb   *db,
          gpointer  data,
          GError  **error)
{
  Blob *blob = data;

  return derm_db_blob_put (db, blob->sha256, blob->bytes, error);
}

static void
bench (DermDb     *db,
       const char *backend)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) us = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 next = 1;

  check (derm_db_exec (db, "DROP TABLE IF EXISTS bench_rows; "
                           "CREATE TABLE bench_rows (id BIGINT PRIMARY KEY, label TEXT NOT NULL, n BIGINT NOT NULL)",
                       &error), &error);

  for (guint i = 0; i < WRITES; i++)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 elapsed;

      check (derm_db_write (db, insert_one, &next, &error), &error);
      elapsed = (g_get_monotonic_time () - start) * 1000;
      g_array_append_val (us, elapsed);
    }
  report ("insert, own transaction", backend, us);
  g_array_set_size (us, 0);

  for (guint round = 0; round < 5; round++)
    {
      gint64 start;
      gint64 elapsed;

      check (derm_db_begin (db, DERM_DB_WRITE, &error), &error);
      start = g_get_monotonic_time ();
      for (guint i = 0; i < BATCH; i++)
        check (insert_one (db, &next, &error), &error);
      elapsed = (g_get_monotonic_time () - start) * 1000 / BATCH;
      check (derm_db_commit (db, &error), &error);
      g_array_append_val (us, elapsed);
    }
  report ("insert, 200 per transaction", backend, us);
  g_array_set_size (us, 0);

  for (guint i = 0; i < READS; i++)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 elapsed;
      DermDbStmt *stmt = derm_db_prepare (db, "SELECT label, n FROM bench_rows WHERE id = ?1", &error);

      check (stmt != NULL, &error);
      derm_db_bind_int64 (stmt, 1, 1 + g_random_int_range (0, (int) next - 1));
      check (derm_db_step (stmt, &error) == DERM_DB_ROW, &error);
      derm_db_reset (stmt);
      elapsed = (g_get_monotonic_time () - start) * 1000;
      g_array_append_val (us, elapsed);
    }
  report ("select by primary key", backend, us);
}

static void
bench_blobs (DermDb *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) put = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) get = g_array_new (FALSE, FALSE, sizeof (gint64));
  gsize size = 4 * 1024 * 1024;

  check (derm_db_pg_migrate (db, &error), &error);
  for (guint round = 0; round < 5; round++)
    {
      g_autofree guint8 *raw = g_malloc (size);
      g_autoptr (GBytes) back = NULL;
      Blob blob;
      gint64 start;
      gint64 elapsed;

      for (gsize i = 0; i < size; i++)
        raw[i] = (guint8) g_random_int ();
      blob.bytes = g_bytes_new_take (g_steal_pointer (&raw), size);
      blob.sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob.bytes);
      start = g_get_monotonic_time ();
      check (derm_db_write (db, put_blob, &blob, &error), &error);
      elapsed = (g_get_monotonic_time () - start) * 1000;
      g_array_append_val (put, elapsed);
      start = g_get_monotonic_time ();
      back = derm_db_blob_get (db, blob.sha256, &error);
      check (back != NULL, &error);
      elapsed = (g_get_monotonic_time () - start) * 1000;
      g_array_append_val (get, elapsed);
      g_bytes_unref (blob.bytes);
      g_free (blob.sha256);
    }
  report ("4 MiB photo stored", "postgresql", put);
  report ("4 MiB photo read, checked", "postgresql", get);
}

int
main (int   argc,
      char *argv[])
{
  const char *source_dir = g_getenv ("DERMIS_SOURCE_DIR");
  g_autofree char *script = g_build_filename (source_dir != NULL ? source_dir : ".", "tests", "pg-cluster.sh", NULL);
  g_autofree char *cluster = g_strdup_printf ("/tmp/dermis-pg-bench-%d", (int) getpid ());
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *tmp = g_dir_make_tmp ("dermis-bench-db-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "bench.db", NULL);
  g_autofree char *uri = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermDb) sqlite = NULL;
  g_autoptr (DermDb) pg = NULL;
  const char *start[] = { script, "start", cluster, pid, NULL };
  const char *remove_cluster[] = { script, "remove", cluster, NULL };
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) start, NULL, G_SPAWN_DEFAULT, NULL, NULL, &uri, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("tests/pg-cluster.sh start: %s", error->message);
  g_strstrip (uri);

  sqlite = derm_db_open (path, &error);
  check (sqlite != NULL, &error);
  pg = derm_db_open (uri, &error);
  check (pg != NULL, &error);

  g_print ("DermDb, per statement (SQLite file in WAL mode; PostgreSQL over a Unix socket, same run):\n");
  /* the store's schema first, on the empty database */
  bench_blobs (pg);
  bench (sqlite, "sqlite");
  bench (pg, "postgresql");

  g_clear_object (&sqlite);
  g_clear_object (&pg);
  g_spawn_sync (NULL, (char **) remove_cluster, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, NULL, NULL);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *file = g_strconcat (path, (const char *[]) { "", "-wal", "-shm" }[i], NULL);

      g_remove (file);
    }
  g_rmdir (tmp);
  return 0;
}

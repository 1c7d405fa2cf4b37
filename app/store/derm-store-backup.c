/* derm-store-backup.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "derm-store-backup.h"
#include "derm-store-private.h"

gboolean
derm_store_snapshot (DermStore   *self,
                     const char  *path,
                     GError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (self->db == NULL)
    {
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_IO, _("The client database is closed."));
      return FALSE;
    }
  stmt = derm_store_prepare (self, "VACUUM INTO ?1", error);
  if (stmt == NULL)
    return FALSE;
  derm_sql_bind_text (stmt, 1, path);
  return derm_store_step_done (self, stmt, error);
}

static void
set_file_error (GError     **error,
                const char  *path,
                int          code,
                const char  *detail)
{
  g_autofree char *line = derm_store_one_line (detail);

  if (code == DERM_STORE_ERROR_FOREIGN)
    g_set_error (error, DERM_STORE_ERROR, code, _("%s is not a Dermis database (%s)."), path, line);
  else
    g_set_error (error, DERM_STORE_ERROR, code, _("The database copy %s is damaged (%s)."), path, line);
}

gboolean
derm_store_check_file (const char  *path,
                       GPtrArray  **photo_hashes,
                       GError     **error)
{
  g_autofree char *uri = NULL;
  g_autoptr (GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (path != NULL, FALSE);

  /* immutable: a copy nobody writes to; nothing next to it is created */
  {
    g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);

    uri = g_strdup_printf ("file:%s?immutable=1", escaped);
  }
  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  if (rc != SQLITE_OK)
    {
      set_file_error (error, path, DERM_STORE_ERROR_CORRUPT, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      goto out;
    }

  rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL);
  if (rc != SQLITE_OK || sqlite3_step (stmt) != SQLITE_ROW ||
      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      set_file_error (error, path, DERM_STORE_ERROR_CORRUPT,
                      stmt != NULL && sqlite3_column_text (stmt, 0) != NULL
                        ? (const char *) sqlite3_column_text (stmt, 0) : sqlite3_errmsg (db));
      goto out;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;

  rc = sqlite3_prepare_v2 (db, "PRAGMA application_id", -1, &stmt, NULL);
  if (rc != SQLITE_OK || sqlite3_step (stmt) != SQLITE_ROW ||
      sqlite3_column_int (stmt, 0) != DERM_STORE_APPLICATION_ID)
    {
      set_file_error (error, path, DERM_STORE_ERROR_FOREIGN, _("another application id"));
      goto out;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;

  /* The originals and the signed consent forms' PDFs (a database from
   * before consent forms has only the photos) */
  rc = sqlite3_prepare_v2 (db, "SELECT sha256 FROM photos UNION SELECT sha256 FROM consent_forms ORDER BY 1",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "SELECT DISTINCT sha256 FROM photos ORDER BY sha256", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_file_error (error, path, DERM_STORE_ERROR_CORRUPT, sqlite3_errmsg (db));
      goto out;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (hashes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      set_file_error (error, path, DERM_STORE_ERROR_CORRUPT, sqlite3_errmsg (db));
      goto out;
    }
  ok = TRUE;
  if (photo_hashes != NULL)
    *photo_hashes = g_steal_pointer (&hashes);

out:
  if (stmt != NULL)
    sqlite3_finalize (stmt);
  if (db != NULL)
    sqlite3_close_v2 (db);
  return ok;
}

gboolean
derm_store_count_records (DermStore  *self,
                          gint64     *n_clients,
                          gint64     *n_photos,
                          GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self, "SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM photos)", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      derm_store_set_sqlite_error (self, sqlite3_errcode (self->db), error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *n_clients = sqlite3_column_int64 (stmt, 0);
  *n_photos = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
}

/* --- erasing a client ---------------------------------------------------- */

typedef struct
{
  gint64     id;
  GPtrArray *unreferenced;
} EraseWrite;

static gboolean
erase_client_write (DermStore  *self,
                    gpointer    data,
                    GError    **error)
{
  EraseWrite *w = data;
  sqlite3_stmt *stmt;
  int rc;

  /* The originals only this client uses, for the library to erase */
  stmt = derm_store_prepare (self,
                             "SELECT DISTINCT p.sha256 FROM photos p WHERE p.client_id = ?1 AND NOT EXISTS "
                             "(SELECT 1 FROM photos o WHERE o.sha256 = p.sha256 AND o.client_id <> ?1) "
                             "UNION SELECT f.sha256 FROM consent_forms f WHERE f.client_id = ?1 AND NOT EXISTS "
                             "(SELECT 1 FROM consent_forms o WHERE o.sha256 = f.sha256 AND o.client_id <> ?1)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (w->unreferenced, g_strdup (derm_sql_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  /* Cached analyses of those photos, alone or in a pair */
  for (guint i = 0; i < w->unreferenced->len; i++)
    {
      const char *sha = g_ptr_array_index (w->unreferenced, i);

      stmt = derm_store_prepare (self,
                                 "DELETE FROM analysis_cache WHERE sha256 = ?1 OR instr (pair, ?1) > 0",
                                 error);
      if (stmt == NULL)
        return FALSE;
      derm_sql_bind_text (stmt, 1, sha);
      if (!derm_store_step_done (self, stmt, error))
        return FALSE;
    }

  /* Screenings, sessions, photos, regions, series and appointments go
   * with the client (ON DELETE CASCADE) */
  stmt = derm_store_prepare (self, "DELETE FROM clients WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->id);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return derm_store_not_found (error, _("client"), w->id);

  /* "client N erased": the id and nothing else */
  return derm_store_audit (self, "erase", "client", w->id, NULL, error);
}

GPtrArray *
derm_store_erase_client (DermStore  *self,
                         gint64      id,
                         GError    **error)
{
  g_autoptr (GPtrArray) unreferenced = g_ptr_array_new_with_free_func (g_free);
  EraseWrite w = { id, unreferenced };

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  if (!derm_store_write (self, erase_client_write, &w, error))
    return NULL;
  return g_steal_pointer (&unreferenced);
}

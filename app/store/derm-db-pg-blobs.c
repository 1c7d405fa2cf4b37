/* derm-db-pg-blobs.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Photo and document bytes on the server: content-addressed by SHA-256
 * in blobs and blob_chunks (see derm-db-pg-schema.c for why chunks of
 * bytea). Writing checks the name against the bytes; reading checks the
 * bytes against the name, so damage on the server is reported, never
 * shown as a photo.
 */
#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include <string.h>

#include "derm-db-pg-schema.h"
#include "derm-db-private.h"
#include "derm-store.h"

gboolean
derm_db_blob_put (DermDb      *db,
                  const char  *sha256,
                  GBytes      *bytes,
                  GError     **error)
{
  g_autofree char *actual = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gint64 chunks = (gint64) ((size + DERM_DB_BLOB_CHUNK_SIZE - 1) / DERM_DB_BLOB_CHUNK_SIZE);
  DermDbStmt *stmt;

  g_return_val_if_fail (DERM_IS_DB (db), FALSE);
  g_return_val_if_fail (derm_db_in_transaction (db), FALSE);
  g_return_val_if_fail (sha256 != NULL && bytes != NULL, FALSE);

  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (strcmp (actual, sha256) != 0)
    {
      g_autofree char *detail = g_strdup_printf ("the bytes named %s hash to %s", sha256, actual);

      derm_db_set_error (db, DERM_STORE_ERROR_CORRUPT, detail, error);
      return FALSE;
    }

  /* the same bytes stored twice (two photos of one file): once */
  stmt = derm_db_prepare (db,
                          "INSERT INTO blobs (sha256, size, chunks, created_at) VALUES (?1, ?2, ?3, ?4) "
                          "ON CONFLICT (sha256) DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  derm_db_bind_text (stmt, 1, sha256);
  derm_db_bind_int64 (stmt, 2, (gint64) size);
  derm_db_bind_int64 (stmt, 3, chunks);
  derm_db_bind_text (stmt, 4, created);
  if (!derm_db_step_done (stmt, error))
    return FALSE;
  if (derm_db_changes (stmt) == 0)
    return TRUE;

  for (gint64 seq = 0; seq < chunks; seq++)
    {
      gsize offset = (gsize) seq * DERM_DB_BLOB_CHUNK_SIZE;

      stmt = derm_db_prepare (db, "INSERT INTO blob_chunks (sha256, seq, data) VALUES (?1, ?2, ?3)", error);
      if (stmt == NULL)
        return FALSE;
      derm_db_bind_text (stmt, 1, sha256);
      derm_db_bind_int64 (stmt, 2, seq);
      derm_db_bind_blob (stmt, 3, data + offset, MIN (size - offset, (gsize) DERM_DB_BLOB_CHUNK_SIZE));
      if (!derm_db_step_done (stmt, error))
        return FALSE;
    }
  return TRUE;
}

GBytes *
derm_db_blob_get (DermDb      *db,
                  const char  *sha256,
                  GError     **error)
{
  g_autoptr (GByteArray) bytes = NULL;
  g_autofree char *actual = NULL;
  g_autoptr (GBytes) result = NULL;
  DermDbStmt *stmt;
  DermDbStep rc;
  gint64 size;
  gint64 chunks;
  gint64 seq = 0;

  g_return_val_if_fail (DERM_IS_DB (db), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  stmt = derm_db_prepare (db, "SELECT size, chunks FROM blobs WHERE sha256 = ?1", error);
  if (stmt == NULL)
    return NULL;
  derm_db_bind_text (stmt, 1, sha256);
  rc = derm_db_step (stmt, error);
  if (rc != DERM_DB_ROW)
    {
      derm_db_reset (stmt);
      if (rc == DERM_DB_DONE)
        g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND,
                     "The clinic server holds no file with SHA-256 %s.", sha256);
      return NULL;
    }
  size = derm_db_column_int64 (stmt, 0);
  chunks = derm_db_column_int64 (stmt, 1);
  derm_db_reset (stmt);

  bytes = g_byte_array_sized_new ((guint) MIN (size, G_MAXUINT));
  stmt = derm_db_prepare (db, "SELECT seq, data FROM blob_chunks WHERE sha256 = ?1 ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  derm_db_bind_text (stmt, 1, sha256);
  while ((rc = derm_db_step (stmt, error)) == DERM_DB_ROW)
    {
      gsize length = 0;
      gconstpointer data = derm_db_column_blob (stmt, 1, &length);

      if (derm_db_column_int64 (stmt, 0) != seq++)
        break;
      g_byte_array_append (bytes, data, (guint) length);
    }
  derm_db_reset (stmt);
  if (rc == DERM_DB_ERROR)
    return NULL;
  result = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, result);
  if (seq != chunks || (gint64) g_bytes_get_size (result) != size || strcmp (actual, sha256) != 0)
    {
      g_autofree char *detail = g_strdup_printf ("the file named %s on the server does not match its name", sha256);

      derm_db_set_error (db, DERM_STORE_ERROR_CORRUPT, detail, error);
      return NULL;
    }
  return g_steal_pointer (&result);
}

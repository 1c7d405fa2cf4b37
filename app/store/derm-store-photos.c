/* derm-store-photos.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Photo rows. The library writes an original under its final name before
 * the row commits; add re-checks, inside the write transaction, that the
 * file is still there, and erasing a file happens inside a write
 * transaction that proves no row refers to it. The two are serialised by
 * SQLite's write lock, so a committed row never points at a missing file
 * even with dermis-cli and the app working on the same data at once.
 */
#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "derm-photo.h"
#include "derm-store-photos.h"
#include "derm-store-private.h"
#include "derm-validate.h"

#define PHOTO_COLUMNS \
  "p.id, p.client_id, p.treatment_id, p.sha256, p.original_name, p.mime_type, p.width, " \
  "p.height, p.orientation, p.captured_at, p.camera_make, p.camera_model, p.view, p.area, " \
  "p.imported_at, p.removed_at, t.date, coalesce (p.photo_use, c.photo_use), p.photo_use IS NOT NULL"
#define PHOTO_FROM " FROM photos p LEFT JOIN treatments t ON t.id = p.treatment_id " \
  "JOIN clients c ON c.id = p.client_id "
#define PHOTO_ORDER \
  " ORDER BY t.date IS NULL, t.date DESC, p.treatment_id DESC, " \
  "p.captured_at IS NULL, p.captured_at, p.id"

static DermPhoto *
photo_from_row (sqlite3_stmt *stmt)
{
  DermPhoto *photo = derm_photo_new ();
  DermPhotoView view = DERM_PHOTO_VIEW_OTHER;
  DermPhotoUse use;

  derm_photo_set_id (photo, sqlite3_column_int64 (stmt, 0));
  derm_photo_set_client_id (photo, sqlite3_column_int64 (stmt, 1));
  derm_photo_set_treatment_id (photo, sqlite3_column_int64 (stmt, 2));
  derm_photo_set_sha256 (photo, derm_sql_column_text (stmt, 3));
  derm_photo_set_original_name (photo, derm_sql_column_text (stmt, 4));
  derm_photo_set_mime_type (photo, derm_sql_column_text (stmt, 5));
  derm_photo_set_size (photo, sqlite3_column_int (stmt, 6), sqlite3_column_int (stmt, 7));
  derm_photo_set_orientation (photo, sqlite3_column_int (stmt, 8));
  derm_photo_set_captured_at (photo, derm_sql_column_text (stmt, 9));
  derm_photo_set_camera_make (photo, derm_sql_column_text (stmt, 10));
  derm_photo_set_camera_model (photo, derm_sql_column_text (stmt, 11));
  derm_photo_view_from_key (derm_sql_column_text (stmt, 12), &view);
  derm_photo_set_view (photo, view);
  derm_photo_set_area (photo, derm_sql_column_text (stmt, 13));
  derm_photo_set_imported_at (photo, derm_sql_column_text (stmt, 14));
  derm_photo_set_removed_at (photo, derm_sql_column_text (stmt, 15));
  derm_photo_set_session_date (photo, derm_sql_column_text (stmt, 16));
  if (derm_photo_use_from_key (derm_sql_column_text (stmt, 17), &use))
    derm_photo_set_use (photo, use, sqlite3_column_int (stmt, 18) != 0);

  return photo;
}

static gboolean
is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static gboolean
validate_photo (DermPhoto  *photo,
                GError    **error)
{
  const char *area = derm_photo_get_area (photo);

  if (!is_sha256 (derm_photo_get_sha256 (photo)))
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("The photo has no valid content hash."));
      return FALSE;
    }
  if (derm_photo_get_original_name (photo) == NULL || derm_photo_get_mime_type (photo) == NULL)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                   _("The photo has no file name or format."));
      return FALSE;
    }
  if (derm_photo_get_width (photo) <= 0 || derm_photo_get_height (photo) <= 0)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("The photo has no size."));
      return FALSE;
    }
  if (area != NULL && g_utf8_strlen (area, -1) > 200)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_TOO_LONG,
                   _("The area is too long; keep it under 200 characters."));
      return FALSE;
    }
  if (!derm_validate_line (_("Area"), area, error))
    return FALSE;
  /* A file name is what the camera or the file manager made it: keep it,
   * one line, with any control character shown as "?" */
  if (!derm_text_is_clean (derm_photo_get_original_name (photo), FALSE))
    {
      g_autofree char *name = g_strdup (derm_photo_get_original_name (photo));

      for (char *p = name; *p != '\0'; p++)
        if ((guchar) *p < 0x20 || *p == 0x7f)
          *p = '?';
      if (!derm_text_is_clean (name, FALSE))
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                       _("The photo's file name is not valid text."));
          return FALSE;
        }
      derm_photo_set_original_name (photo, name);
    }
  return TRUE;
}

/* A photo can only be filed under one of its own client's sessions */
static gboolean
check_treatment_locked (DermStore  *self,
                        gint64      client_id,
                        gint64      treatment_id,
                        GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (treatment_id == 0)
    return TRUE;

  stmt = derm_store_prepare (self, "SELECT client_id FROM treatments WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, treatment_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gint64 owner = sqlite3_column_int64 (stmt, 0);

      sqlite3_reset (stmt);
      if (owner == client_id)
        return TRUE;
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("Session %lld is another client’s. Choose one of this client’s sessions."),
                   (long long) treatment_id);
      return FALSE;
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return derm_store_not_found (error, _("session"), treatment_id);
  derm_store_set_sqlite_error (self, rc, error);
  return FALSE;
}

static DermPhoto *
find_photo_locked (DermStore   *self,
                   gint64       client_id,
                   const char  *sha256,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self,
                             "SELECT " PHOTO_COLUMNS PHOTO_FROM
                             "WHERE p.client_id = ?1 AND p.sha256 = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  derm_sql_bind_text (stmt, 2, sha256);
  return derm_store_fetch_row (self, stmt, (DermStoreRowFunc) photo_from_row, NULL, 0, error);
}

static void
set_duplicate_error (DermPhoto  *existing,
                     GError    **error)
{
  if (derm_photo_get_removed_at (existing) != NULL)
    g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_DUPLICATE,
                 _("Already in this client’s photos, in Recently removed. Restore it from there."));
  else
    g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_DUPLICATE,
                 _("Already in this client’s photos."));
}

typedef struct
{
  DermPhoto  *photo;
  const char *required_file;
  const char *now;
  gint64      id;
  DermPhotoUse use;         /* the client's photo-use consent, which the new photo follows */
} AddPhotoWrite;

static gboolean
add_photo_write (DermStore  *self,
                 gpointer    data,
                 GError    **error)
{
  AddPhotoWrite *w = data;
  DermPhoto *photo = w->photo;
  g_autoptr (DermPhoto) existing = NULL;
  GError *local_error = NULL;
  gint64 client_id = derm_photo_get_client_id (photo);
  sqlite3_stmt *stmt;

  if (!derm_store_client_exists_locked (self, client_id, error) ||
      !check_treatment_locked (self, client_id, derm_photo_get_treatment_id (photo), error))
    return FALSE;

  existing = find_photo_locked (self, client_id, derm_photo_get_sha256 (photo), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (existing != NULL)
    {
      set_duplicate_error (existing, error);
      return FALSE;
    }

  /* The write lock is held: nobody can erase the file between this check
   * and the commit (see derm_store_unlink_unreferenced()). */
  if (w->required_file != NULL && !g_file_test (w->required_file, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_NOT_FOUND,
                   _("The stored copy of the photo was erased while it was being imported. Import it again."));
      return FALSE;
    }

  stmt = derm_store_prepare (self,
                             "INSERT INTO photos (client_id, treatment_id, sha256, original_name, "
                             "mime_type, width, height, orientation, captured_at, camera_make, "
                             "camera_model, view, area, imported_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  if (derm_photo_get_treatment_id (photo) != 0)
    sqlite3_bind_int64 (stmt, 2, derm_photo_get_treatment_id (photo));
  else
    sqlite3_bind_null (stmt, 2);
  derm_sql_bind_text (stmt, 3, derm_photo_get_sha256 (photo));
  derm_sql_bind_text (stmt, 4, derm_photo_get_original_name (photo));
  derm_sql_bind_text (stmt, 5, derm_photo_get_mime_type (photo));
  sqlite3_bind_int (stmt, 6, derm_photo_get_width (photo));
  sqlite3_bind_int (stmt, 7, derm_photo_get_height (photo));
  sqlite3_bind_int (stmt, 8, derm_photo_get_orientation (photo));
  derm_sql_bind_text (stmt, 9, derm_photo_get_captured_at (photo));
  derm_sql_bind_text (stmt, 10, derm_photo_get_camera_make (photo));
  derm_sql_bind_text (stmt, 11, derm_photo_get_camera_model (photo));
  derm_sql_bind_text (stmt, 12, derm_photo_view_to_key (derm_photo_get_view (photo)));
  derm_sql_bind_text (stmt, 13, derm_photo_get_area (photo));
  derm_sql_bind_text (stmt, 14, w->now);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  w->id = sqlite3_last_insert_rowid (self->db);

  stmt = derm_store_prepare (self, "SELECT photo_use FROM clients WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    derm_photo_use_from_key (derm_sql_column_text (stmt, 0), &w->use);
  sqlite3_reset (stmt);

  return derm_store_audit (self, "create", "photo", w->id, NULL, error);
}

gboolean
derm_store_add_photo (DermStore   *self,
                      DermPhoto   *photo,
                      const char  *required_file,
                      GError     **error)
{
  g_autofree char *now = NULL;
  AddPhotoWrite w = { photo, required_file, NULL, 0, DERM_PHOTO_USE_CLINICAL };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_PHOTO (photo), FALSE);
  g_return_val_if_fail (derm_photo_get_id (photo) == 0, FALSE);

  if (!validate_photo (photo, error))
    return FALSE;

  w.now = now = derm_store_now_iso ();
  if (!derm_store_write (self, add_photo_write, &w, error))
    return FALSE;

  derm_photo_set_id (photo, w.id);
  derm_photo_set_imported_at (photo, now);
  derm_photo_set_use (photo, w.use, FALSE);
  return TRUE;
}

DermPhoto *
derm_store_get_photo (DermStore  *self,
                      gint64      id,
                      GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self, "SELECT " PHOTO_COLUMNS PHOTO_FROM "WHERE p.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  return derm_store_fetch_row (self, stmt, (DermStoreRowFunc) photo_from_row, _("photo"), id, error);
}

DermPhoto *
derm_store_find_photo (DermStore   *self,
                       gint64       client_id,
                       const char  *sha256,
                       GError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  return find_photo_locked (self, client_id, sha256, error);
}

GPtrArray *
derm_store_list_photos (DermStore          *self,
                        gint64              client_id,
                        DermPhotoListKind   kind,
                        GError            **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                             "SELECT " PHOTO_COLUMNS PHOTO_FROM
                             "WHERE (?1 = 0 OR p.client_id = ?1) "
                             "AND (?2 = 2 OR (?2 = 0 AND p.removed_at IS NULL) "
                             "OR (?2 = 1 AND p.removed_at IS NOT NULL))"
                             PHOTO_ORDER, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  sqlite3_bind_int (stmt, 2, (int) kind);
  return derm_store_collect_rows (self, stmt, (DermStoreRowFunc) photo_from_row, error);
}

static gboolean
update_photo_write (DermStore  *self,
                    gpointer    data,
                    GError    **error)
{
  DermPhoto *photo = data;
  g_autoptr (DermPhoto) old = NULL;
  g_autoptr (GString) fields = g_string_new (NULL);
  gint64 id = derm_photo_get_id (photo);
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self, "SELECT " PHOTO_COLUMNS PHOTO_FROM "WHERE p.id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  old = derm_store_fetch_row (self, stmt, (DermStoreRowFunc) photo_from_row, _("photo"), id, error);
  if (old == NULL)
    return FALSE;
  if (!check_treatment_locked (self, derm_photo_get_client_id (old),
                               derm_photo_get_treatment_id (photo), error))
    return FALSE;

  if (derm_photo_get_treatment_id (old) != derm_photo_get_treatment_id (photo))
    g_string_append (fields, "treatment_id,");
  if (derm_photo_get_view (old) != derm_photo_get_view (photo))
    g_string_append (fields, "view,");
  if (g_strcmp0 (derm_photo_get_area (old), derm_photo_get_area (photo)) != 0)
    g_string_append (fields, "area,");
  if (fields->len == 0)
    return TRUE;
  g_string_truncate (fields, fields->len - 1);

  stmt = derm_store_prepare (self,
                             "UPDATE photos SET treatment_id = ?2, view = ?3, area = ?4 WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (derm_photo_get_treatment_id (photo) != 0)
    sqlite3_bind_int64 (stmt, 2, derm_photo_get_treatment_id (photo));
  else
    sqlite3_bind_null (stmt, 2);
  derm_sql_bind_text (stmt, 3, derm_photo_view_to_key (derm_photo_get_view (photo)));
  derm_sql_bind_text (stmt, 4, derm_photo_get_area (photo));
  return derm_store_step_done (self, stmt, error) &&
         derm_store_audit (self, "update", "photo", id, fields->str, error);
}

gboolean
derm_store_update_photo (DermStore  *self,
                         DermPhoto  *photo,
                         GError    **error)
{
  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_PHOTO (photo), FALSE);

  if (!validate_photo (photo, error))
    return FALSE;

  return derm_store_write (self, update_photo_write, photo, error);
}

typedef struct
{
  gint64      id;
  gboolean    removed;
  const char *now;
} RemovedWrite;

static gboolean
set_photo_removed_write (DermStore  *self,
                         gpointer    data,
                         GError    **error)
{
  RemovedWrite *w = data;
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self,
                             "UPDATE photos SET removed_at = CASE WHEN ?2 THEN coalesce (removed_at, ?3) "
                             "ELSE NULL END WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->id);
  sqlite3_bind_int (stmt, 2, w->removed ? 1 : 0);
  derm_sql_bind_text (stmt, 3, w->now);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return derm_store_not_found (error, _("photo"), w->id);
  return derm_store_audit (self, w->removed ? "remove" : "restore", "photo", w->id, "removed_at", error);
}

gboolean
derm_store_set_photo_removed (DermStore  *self,
                              gint64      id,
                              gboolean    removed,
                              GError    **error)
{
  g_autofree char *now = derm_store_now_iso ();
  RemovedWrite w = { id, removed, now };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);

  return derm_store_write (self, set_photo_removed_write, &w, error);
}

typedef struct
{
  gint64     client_id;
  GPtrArray *unreferenced;   /* sha256 strings no row refers to any more */
} PurgeWrite;

static gboolean
purge_removed_photos_write (DermStore  *self,
                            gpointer    data,
                            GError    **error)
{
  PurgeWrite *w = data;
  g_autoptr (GArray) removed_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = derm_store_prepare (self,
                             "SELECT id, sha256 FROM photos WHERE removed_at IS NOT NULL "
                             "AND (?1 = 0 OR client_id = ?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->client_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (removed_ids, id);
      g_ptr_array_add (hashes, g_strdup (derm_sql_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  for (guint i = 0; i < removed_ids->len; i++)
    {
      gint64 id = g_array_index (removed_ids, gint64, i);

      stmt = derm_store_prepare (self, "DELETE FROM photos WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!derm_store_step_done (self, stmt, error) ||
          !derm_store_audit (self, "delete", "photo", id, NULL, error))
        return FALSE;
    }

  for (guint i = 0; i < hashes->len; i++)
    {
      const char *sha = g_ptr_array_index (hashes, i);
      gboolean seen = FALSE;

      for (guint j = 0; j < w->unreferenced->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (w->unreferenced, j), sha);
      if (seen)
        continue;

      stmt = derm_store_prepare (self, "SELECT 1 FROM photos WHERE sha256 = ?1 "
                                 "UNION ALL SELECT 1 FROM consent_forms WHERE sha256 = ?1 LIMIT 1", error);
      if (stmt == NULL)
        return FALSE;
      derm_sql_bind_text (stmt, 1, sha);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        g_ptr_array_add (w->unreferenced, g_strdup (sha));
      else if (rc != SQLITE_ROW)
        {
          derm_store_set_sqlite_error (self, rc, error);
          return FALSE;
        }
    }
  return TRUE;
}

GPtrArray *
derm_store_purge_removed_photos (DermStore  *self,
                                 gint64      client_id,
                                 GError    **error)
{
  g_autoptr (GPtrArray) unreferenced = g_ptr_array_new_with_free_func (g_free);
  PurgeWrite w = { client_id, unreferenced };

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  if (!derm_store_write (self, purge_removed_photos_write, &w, error))
    return NULL;
  return g_steal_pointer (&unreferenced);
}

GHashTable *
derm_store_dup_photo_hashes (DermStore  *self,
                             GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GHashTable) set = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self, "SELECT sha256 FROM photos UNION SELECT sha256 FROM consent_forms", error);
  if (stmt == NULL)
    return NULL;

  set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (set, g_strdup (derm_sql_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&set);
}

typedef struct
{
  const char *sha256;
  const char *path;
  gboolean    deleted;
} UnlinkWrite;

/* Writes nothing: it holds the write lock so that no import can add a
 * row for this file between the check and the unlink */
static gboolean
unlink_unreferenced_write (DermStore  *self,
                           gpointer    data,
                           GError    **error)
{
  UnlinkWrite *w = data;
  sqlite3_stmt *stmt;
  int rc;

  stmt = derm_store_prepare (self, "SELECT 1 FROM photos WHERE sha256 = ?1 "
                                 "UNION ALL SELECT 1 FROM consent_forms WHERE sha256 = ?1 LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  derm_sql_bind_text (stmt, 1, w->sha256);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  if (rc == SQLITE_DONE)
    {
      if (g_unlink (w->path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_IO,
                       _("Could not erase %s: %s."), w->path, g_strerror (saved));
          return FALSE;
        }
      w->deleted = TRUE;
    }
  return TRUE;
}

gboolean
derm_store_unlink_unreferenced (DermStore   *self,
                                const char  *sha256,
                                const char  *path,
                                gboolean    *deleted,
                                GError     **error)
{
  UnlinkWrite w = { sha256, path, FALSE };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (sha256 != NULL && path != NULL, FALSE);

  if (deleted != NULL)
    *deleted = FALSE;
  if (!derm_store_write (self, unlink_unreferenced_write, &w, error))
    return FALSE;
  if (deleted != NULL)
    *deleted = w.deleted;
  return TRUE;
}

gint64
derm_store_suggest_treatment (DermStore   *self,
                              gint64       client_id,
                              const char  *captured_at,
                              GError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *day = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), 0);

  if (captured_at == NULL || strlen (captured_at) < 10)
    return 0;
  day = g_strndup (captured_at, 10);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                             "SELECT id FROM treatments WHERE client_id = ?1 "
                             "AND abs (julianday (date) - julianday (?2)) <= 1 "
                             "ORDER BY abs (julianday (date) - julianday (?2)), id DESC LIMIT 1",
                             error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, client_id);
  derm_sql_bind_text (stmt, 2, day);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    derm_store_set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);
  return id;
}

/* --- photo-use consent ------------------------------------------------- */

typedef struct
{
  gint64        id;
  gboolean      own;
  DermPhotoUse  use;
} PhotoUseWrite;

static gboolean
set_photo_use_write (DermStore  *self,
                     gpointer    data,
                     GError    **error)
{
  PhotoUseWrite *w = data;
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self, "UPDATE photos SET photo_use = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->id);
  derm_sql_bind_text (stmt, 2, w->own ? derm_photo_use_to_key (w->use) : NULL);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return derm_store_not_found (error, _("photo"), w->id);
  return derm_store_audit (self, "update", "photo", w->id, "photo_use", error);
}

gboolean
derm_store_set_photo_use (DermStore     *self,
                          gint64         photo_id,
                          gboolean       own,
                          DermPhotoUse   use,
                          GError       **error)
{
  PhotoUseWrite w = { photo_id, own, use };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail ((guint) use < DERM_N_PHOTO_USES, FALSE);

  return derm_store_write (self, set_photo_use_write, &w, error);
}

static gboolean
set_client_photo_use_write (DermStore  *self,
                            gpointer    data,
                            GError    **error)
{
  PhotoUseWrite *w = data;
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self, "UPDATE clients SET photo_use = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->id);
  derm_sql_bind_text (stmt, 2, derm_photo_use_to_key (w->use));
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return derm_store_not_found (error, _("client"), w->id);
  return derm_store_audit (self, "update", "client", w->id, "photo_use", error);
}

gboolean
derm_store_set_client_photo_use (DermStore     *self,
                                 gint64         client_id,
                                 DermPhotoUse   use,
                                 GError       **error)
{
  PhotoUseWrite w = { client_id, TRUE, use };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail ((guint) use < DERM_N_PHOTO_USES, FALSE);

  return derm_store_write (self, set_client_photo_use_write, &w, error);
}

gboolean
derm_store_get_client_photo_use (DermStore     *self,
                                 gint64         client_id,
                                 DermPhotoUse  *use,
                                 GError       **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  DermPhotoUse value = DERM_PHOTO_USE_CLINICAL;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self, "SELECT photo_use FROM clients WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      derm_photo_use_from_key (derm_sql_column_text (stmt, 0), &value);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  if (!found)
    return derm_store_not_found (error, _("client"), client_id);
  if (use != NULL)
    *use = value;
  return TRUE;
}

gboolean
derm_store_get_client_photo_use_record (DermStore     *self,
                                        gint64         client_id,
                                        DermPhotoUse  *use,
                                        gint64        *recorded_at,
                                        char         **recorded_by,
                                        GError       **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (recorded_at != NULL && recorded_by != NULL, FALSE);

  if (!derm_store_get_client_photo_use (self, client_id, use, error))
    return FALSE;
  *recorded_at = 0;
  *recorded_by = NULL;
  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                             "SELECT at, os_user FROM audit_log WHERE entity = 'client' AND entity_id = ?1 "
                             "AND action = 'update' AND fields = 'photo_use' ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *recorded_at = sqlite3_column_int64 (stmt, 0);
      *recorded_by = g_strdup (derm_sql_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_clear_pointer (recorded_by, g_free);
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GArray       *ids;
  DermPhotoUse  use;
  const char   *what;
} OverrideWrite;

static gboolean
photo_use_override_write (DermStore  *self,
                          gpointer    data,
                          GError    **error)
{
  OverrideWrite *w = data;
  g_autofree char *fields = g_strdup_printf ("use=%s; export=%s", derm_photo_use_to_key (w->use), w->what);

  for (guint i = 0; i < w->ids->len; i++)
    if (!derm_store_audit (self, "override-photo-use", "photo", g_array_index (w->ids, gint64, i), fields, error))
      return FALSE;
  return TRUE;
}

gboolean
derm_store_audit_photo_use_override (DermStore     *self,
                                     GArray        *photo_ids,
                                     DermPhotoUse   use,
                                     const char    *what,
                                     GError       **error)
{
  OverrideWrite w = { photo_ids, use, what };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (photo_ids != NULL && what != NULL, FALSE);

  return derm_store_write (self, photo_use_override_write, &w, error);
}

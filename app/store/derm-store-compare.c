/* derm-store-compare.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Regions and the analysis cache. A region's geometry is stored as the
 * canonical text of derm_region_dup_geometry (), which round-trips every
 * coordinate exactly. The cache holds JSON written by
 * derm_compare_metrics_to_json (); a row whose key differs in any part
 * (settings, algorithm version ...) is simply another row, so old numbers
 * are never read for new definitions.
 */
#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "derm-store-compare.h"
#include "derm-store-private.h"
#include "derm-validate.h"

#define REGION_COLUMNS "id, client_id, view, name, frame_sha256, geometry"

static DermRegion *
region_from_row (sqlite3_stmt *stmt)
{
  g_autoptr (DermRegion) region = g_object_new (DERM_TYPE_REGION, NULL);
  DermPhotoView view = DERM_PHOTO_VIEW_OTHER;

  derm_region_set_id (region, sqlite3_column_int64 (stmt, 0));
  derm_region_set_client_id (region, sqlite3_column_int64 (stmt, 1));
  derm_photo_view_from_key (derm_sql_column_text (stmt, 2), &view);
  derm_region_set_view (region, view);
  derm_region_set_name (region, derm_sql_column_text (stmt, 3));
  derm_region_set_frame_sha256 (region, derm_sql_column_text (stmt, 4));
  if (!derm_region_set_geometry (region, derm_sql_column_text (stmt, 5), NULL))
    {
      g_warning ("Region %" G_GINT64_FORMAT " has a damaged outline; skipped", derm_region_get_id (region));
      return NULL;
    }
  return g_steal_pointer (&region);
}

static gboolean
validate_region (DermRegion  *region,
                 GError     **error)
{
  const char *name = derm_region_get_name (region);
  const char *frame = derm_region_get_frame_sha256 (region);
  guint n_points = 0;

  derm_region_get_points (region, &n_points);
  if (name == NULL || name[strspn (name, " \t\n")] == '\0')
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                   _("Give the region a name, for example “Left cheek”"));
      return FALSE;
    }
  if (g_utf8_strlen (name, -1) > DERM_MAX_SHORT_LENGTH)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_TOO_LONG,
                   _("A region name can have at most %d characters"), DERM_MAX_SHORT_LENGTH);
      return FALSE;
    }
  if (!derm_validate_line (_("Region name"), name, error))
    return FALSE;
  if (derm_region_get_client_id (region) <= 0)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                   _("The region does not belong to a client"));
      return FALSE;
    }
  if (frame == NULL || strlen (frame) != 64)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                   _("The region is not drawn on a photo"));
      return FALSE;
    }
  if (n_points < 3)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("Draw the region with at least three points"));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  DermRegion *region;
  const char *geometry;
  const char *now;
  gint64      id;
} RegionWrite;

static gboolean
save_region_write (DermStore  *self,
                   gpointer    data,
                   GError    **error)
{
  RegionWrite *w = data;
  DermRegion *region = w->region;
  sqlite3_stmt *stmt;

  if (w->id == 0)
    {
      stmt = derm_store_prepare (self,
                                 "INSERT INTO regions (client_id, view, name, frame_sha256, geometry,"
                                 " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, derm_region_get_client_id (region));
      derm_sql_bind_text (stmt, 2, derm_photo_view_to_key (derm_region_get_view (region)));
      derm_sql_bind_text (stmt, 3, derm_region_get_name (region));
      derm_sql_bind_text (stmt, 4, derm_region_get_frame_sha256 (region));
      derm_sql_bind_text (stmt, 5, w->geometry);
      derm_sql_bind_text (stmt, 6, w->now);
      if (!derm_store_step_done (self, stmt, error))
        return FALSE;
      w->id = sqlite3_last_insert_rowid (self->db);
      return derm_store_audit (self, "create", "region", w->id, NULL, error);
    }

  stmt = derm_store_prepare (self,
                             "UPDATE regions SET view = ?2, name = ?3, frame_sha256 = ?4, geometry = ?5,"
                             " updated_at = ?6 WHERE id = ?1 AND client_id = ?7", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->id);
  derm_sql_bind_text (stmt, 2, derm_photo_view_to_key (derm_region_get_view (region)));
  derm_sql_bind_text (stmt, 3, derm_region_get_name (region));
  derm_sql_bind_text (stmt, 4, derm_region_get_frame_sha256 (region));
  derm_sql_bind_text (stmt, 5, w->geometry);
  derm_sql_bind_text (stmt, 6, w->now);
  sqlite3_bind_int64 (stmt, 7, derm_region_get_client_id (region));
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return derm_store_not_found (error, _("region"), w->id);
  return derm_store_audit (self, "update", "region", w->id, "view,name,frame_sha256,geometry", error);
}

gboolean
derm_store_save_region (DermStore   *self,
                        DermRegion  *region,
                        GError     **error)
{
  g_autofree char *geometry = NULL;
  g_autofree char *now = NULL;
  RegionWrite w = { region, NULL, NULL, 0 };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_REGION (region), FALSE);

  if (!validate_region (region, error))
    return FALSE;

  w.geometry = geometry = derm_region_dup_geometry (region);
  w.now = now = derm_store_now_iso ();
  w.id = derm_region_get_id (region);
  if (!derm_store_write (self, save_region_write, &w, error))
    return FALSE;

  derm_region_set_id (region, w.id);
  return TRUE;
}

static gboolean
delete_region_write (DermStore  *self,
                     gpointer    data,
                     GError    **error)
{
  gint64 id = *(gint64 *) data;
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self, "DELETE FROM regions WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return derm_store_not_found (error, _("region"), id);
  return derm_store_audit (self, "delete", "region", id, NULL, error);
}

gboolean
derm_store_delete_region (DermStore  *self,
                          gint64      id,
                          GError    **error)
{
  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);

  return derm_store_write (self, delete_region_write, &id, error);
}

DermRegion *
derm_store_get_region (DermStore  *self,
                       gint64      id,
                       GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  DermRegion *region = NULL;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self, "SELECT " REGION_COLUMNS " FROM regions WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      region = region_from_row (stmt);
      if (region == NULL)
        g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_CORRUPT,
                     _("The saved outline of a region is damaged; draw the region again"));
    }
  else if (rc == SQLITE_DONE)
    derm_store_not_found (error, _("region"), id);
  else
    derm_store_set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);
  return region;
}

GPtrArray *
derm_store_list_regions (DermStore      *self,
                         gint64          client_id,
                         DermPhotoView   view,
                         GError        **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GPtrArray) regions = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                             "SELECT " REGION_COLUMNS " FROM regions WHERE client_id = ?1 AND view = ?2"
                             " ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  derm_sql_bind_text (stmt, 2, derm_photo_view_to_key (view));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DermRegion *region = region_from_row (stmt);
      if (region != NULL)
        g_ptr_array_add (regions, region);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&regions);
}

static void
bind_key (sqlite3_stmt          *stmt,
          const DermAnalysisKey *key)
{
  derm_sql_bind_text (stmt, 1, key->sha256);
  derm_sql_bind_text (stmt, 2, key->pair != NULL ? key->pair : "");
  derm_sql_bind_text (stmt, 3, key->region_hash != NULL ? key->region_hash : "");
  derm_sql_bind_text (stmt, 4, key->settings);
  sqlite3_bind_int (stmt, 5, key->algorithm_version);
}

char *
derm_store_lookup_analysis (DermStore              *self,
                            const DermAnalysisKey  *key,
                            GError                **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  char *json = NULL;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL && key->sha256 != NULL && key->settings != NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                             "SELECT metrics FROM analysis_cache WHERE sha256 = ?1 AND pair = ?2"
                             " AND region_hash = ?3 AND settings = ?4 AND algorithm_version = ?5", error);
  if (stmt == NULL)
    return NULL;
  bind_key (stmt, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    json = g_strdup (derm_sql_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    derm_store_set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);
  return json;
}

typedef struct
{
  const DermAnalysisKey *key;
  const char            *json;
  const char            *now;
} AnalysisWrite;

static gboolean
save_analysis_write (DermStore  *self,
                     gpointer    data,
                     GError    **error)
{
  AnalysisWrite *w = data;
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self,
                             "INSERT OR REPLACE INTO analysis_cache (sha256, pair, region_hash, settings,"
                             " algorithm_version, metrics, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  bind_key (stmt, w->key);
  derm_sql_bind_text (stmt, 6, w->json);
  derm_sql_bind_text (stmt, 7, w->now);
  return derm_store_step_done (self, stmt, error);
}

gboolean
derm_store_save_analysis (DermStore              *self,
                          const DermAnalysisKey  *key,
                          const char             *json,
                          GError                **error)
{
  g_autofree char *now = NULL;
  AnalysisWrite w = { key, json, NULL };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL && key->sha256 != NULL && key->settings != NULL, FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  w.now = now = derm_store_now_iso ();
  return derm_store_write (self, save_analysis_write, &w, error);
}

gint64
derm_store_count_analyses (DermStore   *self,
                           const char  *sha256,
                           GError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  gint64 n = -1;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), -1);
  g_return_val_if_fail (sha256 != NULL, -1);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                             "SELECT count (*) FROM analysis_cache WHERE sha256 = ?1 OR pair LIKE ?1 || ':%'",
                             error);
  if (stmt == NULL)
    return -1;
  derm_sql_bind_text (stmt, 1, sha256);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    derm_store_set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);
  return n;
}

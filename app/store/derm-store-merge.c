/* derm-store-merge.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "derm-screening.h"
#include "derm-store-merge.h"
#include "derm-store-private.h"
#include "derm-validate.h"

/* --- duplicates --------------------------------------------------------- */

GPtrArray *
derm_store_find_duplicates (DermStore   *self,
                            DermClient  *client,
                            GError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GPtrArray) found = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);
  g_return_val_if_fail (DERM_IS_CLIENT (client), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                             "SELECT id, name, date_of_birth, phone, email, archived FROM clients "
                             "WHERE id != ?1 ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, derm_client_get_id (client));

  found = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (DermClient) other = derm_client_new ();
      DermDuplicateReason reason;

      derm_client_set_id (other, sqlite3_column_int64 (stmt, 0));
      derm_client_set_name (other, derm_sql_column_text (stmt, 1));
      derm_client_set_date_of_birth (other, derm_sql_column_text (stmt, 2));
      derm_client_set_phone (other, derm_sql_column_text (stmt, 3));
      derm_client_set_email (other, derm_sql_column_text (stmt, 4));
      derm_client_set_archived (other, sqlite3_column_int (stmt, 5) != 0);

      reason = derm_client_duplicate_reason (client, other);
      if (reason == DERM_DUPLICATE_NONE)
        continue;
      g_object_set_data (G_OBJECT (other), "derm-duplicate-reason", GINT_TO_POINTER (reason));
      g_ptr_array_add (found, g_steal_pointer (&other));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&found);
}

/* --- merging ------------------------------------------------------------ */

char *
derm_client_counts_describe (const DermClientCounts *counts)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) text = g_string_new (NULL);

  g_return_val_if_fail (counts != NULL, NULL);

  if (counts->screenings > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u screening", "%u screenings", counts->screenings),
                                             counts->screenings));
  if (counts->sessions > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u session", "%u sessions", counts->sessions),
                                             counts->sessions));
  if (counts->photos > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u photo", "%u photos", counts->photos), counts->photos));
  if (counts->series > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u series", "%u series", counts->series), counts->series));
  if (counts->appointments > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u appointment", "%u appointments", counts->appointments),
                                             counts->appointments));
  if (counts->regions > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u region", "%u regions", counts->regions),
                                             counts->regions));

  if (parts->len == 0)
    return g_strdup (_("nothing"));
  for (guint i = 0; i < parts->len; i++)
    {
      if (i > 0)
        /* Translators: the separators of "2 screenings, 1 session and 3 photos" */
        g_string_append (text, i + 1 == parts->len ? _(" and ") : _(", "));
      g_string_append (text, g_ptr_array_index (parts, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
derm_merge_report_clear (DermMergeReport *report)
{
  g_clear_pointer (&report->overlaps, g_array_unref);
  memset (report, 0, sizeof *report);
}

static gboolean
count_one (DermStore   *self,
           const char  *sql,
           gint64       client_id,
           guint       *out,
           GError     **error)
{
  sqlite3_stmt *stmt = derm_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
count_locked (DermStore        *self,
              gint64            client_id,
              DermClientCounts *out,
              GError          **error)
{
  return count_one (self, "SELECT count(*) FROM screenings WHERE client_id = ?1", client_id,
                    &out->screenings, error) &&
         count_one (self, "SELECT count(*) FROM treatments WHERE client_id = ?1", client_id,
                    &out->sessions, error) &&
         count_one (self, "SELECT count(*) FROM photos WHERE client_id = ?1 AND removed_at IS NULL", client_id,
                    &out->photos, error) &&
         count_one (self, "SELECT count(*) FROM series WHERE client_id = ?1", client_id,
                    &out->series, error) &&
         count_one (self, "SELECT count(*) FROM appointments WHERE client_id = ?1", client_id,
                    &out->appointments, error) &&
         count_one (self, "SELECT count(*) FROM regions WHERE client_id = ?1", client_id,
                    &out->regions, error);
}

static GArray *
overlaps_locked (DermStore  *self,
                 gint64      from_id,
                 gint64      into_id,
                 GError    **error)
{
  g_autoptr (GArray) overlaps = g_array_new (FALSE, TRUE, sizeof (DermMergeOverlap));
  sqlite3_stmt *stmt;
  int rc;

  stmt = derm_store_prepare (self,
                             "SELECT f.id, f.start_local, i.id, i.start_local "
                             "FROM appointments f JOIN appointments i "
                             "  ON i.client_id = ?2 AND i.status = 'booked' "
                             "  AND i.start_utc < f.end_utc AND f.start_utc < i.end_utc "
                             "WHERE f.client_id = ?1 AND f.status = 'booked' "
                             "ORDER BY f.start_utc, f.id, i.start_utc, i.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from_id);
  sqlite3_bind_int64 (stmt, 2, into_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DermMergeOverlap overlap = { 0 };

      overlap.from_id = sqlite3_column_int64 (stmt, 0);
      g_strlcpy (overlap.from_start, derm_sql_column_text (stmt, 1), sizeof overlap.from_start);
      overlap.into_id = sqlite3_column_int64 (stmt, 2);
      g_strlcpy (overlap.into_start, derm_sql_column_text (stmt, 3), sizeof overlap.into_start);
      g_array_append_val (overlaps, overlap);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&overlaps);
}

static gboolean
check_pair (gint64   from_id,
            gint64   into_id,
            GError **error)
{
  if (from_id == into_id)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("A client cannot be merged into themselves. Choose two different clients."));
      return FALSE;
    }
  return TRUE;
}

/* Reads both clients (NOT_FOUND for either missing), the counts and the
 * overlaps */
static gboolean
preview_locked (DermStore        *self,
                gint64            from_id,
                gint64            into_id,
                DermClient      **from,
                DermClient      **into,
                DermMergeReport  *report,
                GError          **error)
{
  g_autoptr (DermClient) f = NULL;
  g_autoptr (DermClient) i = NULL;

  if (!(f = derm_store_get_client_locked (self, from_id, error)) ||
      !(i = derm_store_get_client_locked (self, into_id, error)) ||
      !count_locked (self, from_id, &report->moved, error) ||
      !(report->overlaps = overlaps_locked (self, from_id, into_id, error)))
    return FALSE;

  if (from != NULL)
    *from = g_steal_pointer (&f);
  if (into != NULL)
    *into = g_steal_pointer (&i);
  return TRUE;
}

gboolean
derm_store_preview_merge (DermStore        *self,
                          gint64            from_id,
                          gint64            into_id,
                          DermMergeReport  *report,
                          GError          **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  if (!check_pair (from_id, into_id, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->mutex);
  if (!derm_store_exec (self, "BEGIN", error))
    return FALSE;
  ok = preview_locked (self, from_id, into_id, NULL, NULL, report, error);
  derm_store_rollback (self);
  if (!ok)
    derm_merge_report_clear (report);
  return ok;
}

/* The text fields @into leaves empty come from @from; notes are joined,
 * concerns combined, and the merged client is archived only when both
 * were */
static void
fill_client (DermClient *into,
             DermClient *from)
{
#define FILL(getter, setter) \
  if (getter (into) == NULL && getter (from) != NULL) \
    setter (into, getter (from));

  FILL (derm_client_get_date_of_birth, derm_client_set_date_of_birth);
  FILL (derm_client_get_phone, derm_client_set_phone);
  FILL (derm_client_get_email, derm_client_set_email);
  FILL (derm_client_get_goals, derm_client_set_goals);
#undef FILL

  if (derm_client_get_fitzpatrick (into) == 0)
    derm_client_set_fitzpatrick (into, derm_client_get_fitzpatrick (from));
  derm_client_set_concerns (into, derm_client_get_concerns (into) | derm_client_get_concerns (from));

  if (derm_client_get_notes (from) != NULL &&
      g_strcmp0 (derm_client_get_notes (into), derm_client_get_notes (from)) != 0)
    {
      g_autofree char *notes = derm_client_get_notes (into) != NULL
                               ? g_strdup_printf ("%s\n\n%s", derm_client_get_notes (into),
                                                  derm_client_get_notes (from))
                               : g_strdup (derm_client_get_notes (from));

      derm_client_set_notes (into, notes);
    }

  derm_client_set_archived (into, derm_client_get_archived (into) && derm_client_get_archived (from));
}

/* The screening the merged client's latest one must be so that no "yes"
 * of either latest screening is lost, or NULL when the later one already
 * holds them all. A question answered yes in both keeps the later date
 * (a last dose, a procedure), the stricter one. */
static DermScreening *
combined_screening (DermScreening *a,
                    DermScreening *b)
{
  DermScreening *later;
  DermScreening *other;
  g_autoptr (DermScreening) combined = NULL;
  gboolean changed = FALSE;
  int order;

  if (a == NULL || b == NULL)
    return NULL;

  order = g_strcmp0 (derm_screening_get_date (a), derm_screening_get_date (b));
  if (order == 0)
    order = derm_screening_get_id (a) > derm_screening_get_id (b) ? 1 : -1;
  later = order > 0 ? a : b;
  other = order > 0 ? b : a;

  combined = derm_screening_copy (later);
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    {
      if (derm_screening_get_answer (other, q) != DERM_ANSWER_YES)
        continue;
      if (derm_screening_get_answer (later, q) == DERM_ANSWER_YES &&
          g_strcmp0 (derm_screening_get_date_for (later, q), derm_screening_get_date_for (other, q)) >= 0)
        continue;

      if (derm_screening_get_answer (later, q) != DERM_ANSWER_YES)
        {
          derm_screening_set_answer (combined, q, DERM_ANSWER_YES);
          derm_screening_set_details (combined, q, derm_screening_get_details (other, q));
        }
      derm_screening_set_date_for (combined, q, derm_screening_get_date_for (other, q));
      changed = TRUE;
    }

  if (!changed)
    return NULL;
  derm_screening_set_id (combined, 0);
  return g_steal_pointer (&combined);
}

typedef struct
{
  gint64           from_id;
  gint64           into_id;
  const char      *now;
  DermMergeReport *report;
} MergeWrite;

static gboolean
exec_for_pair (DermStore   *self,
               const char  *sql,
               gint64       from_id,
               gint64       into_id,
               GError     **error)
{
  sqlite3_stmt *stmt = derm_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from_id);
  sqlite3_bind_int64 (stmt, 2, into_id);
  return derm_store_step_done (self, stmt, error);
}

static gboolean
merge_write (DermStore  *self,
             gpointer    data,
             GError    **error)
{
  MergeWrite *w = data;
  g_autoptr (DermClient) from = NULL;
  g_autoptr (DermClient) into = NULL;
  g_autoptr (DermScreening) from_latest = NULL;
  g_autoptr (DermScreening) into_latest = NULL;
  g_autoptr (DermScreening) combined = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *fields = NULL;
  sqlite3_stmt *stmt;
  static const char * const moves[] = {
    "UPDATE screenings SET client_id = ?2 WHERE client_id = ?1",
    "UPDATE treatments SET client_id = ?2 WHERE client_id = ?1",
    "UPDATE series SET client_id = ?2 WHERE client_id = ?1",
    "UPDATE appointments SET client_id = ?2 WHERE client_id = ?1",
    "UPDATE regions SET client_id = ?2 WHERE client_id = ?1",
    /* A photo both hold (one file, the same hash) stays once: the kept
     * row takes what only the other knew, and is shown if either was */
    "UPDATE photos AS i SET "
    "  treatment_id = coalesce (i.treatment_id, f.treatment_id),"
    "  area = coalesce (i.area, f.area),"
    "  view = CASE WHEN i.view = 'other' THEN f.view ELSE i.view END,"
    "  captured_at = coalesce (i.captured_at, f.captured_at),"
    "  removed_at = CASE WHEN f.removed_at IS NULL THEN NULL ELSE i.removed_at END "
    "FROM photos AS f WHERE f.client_id = ?1 AND i.client_id = ?2 AND f.sha256 = i.sha256",
    "DELETE FROM photos WHERE client_id = ?1 AND sha256 IN (SELECT sha256 FROM photos WHERE client_id = ?2)",
    "UPDATE photos SET client_id = ?2 WHERE client_id = ?1",
  };

  if (!preview_locked (self, w->from_id, w->into_id, &from, &into, w->report, error))
    return FALSE;

  /* Either latest screening may carry a Do Not Treat: the merged one must */
  from_latest = derm_store_latest_screening_locked (self, w->from_id, &local);
  if (local == NULL)
    into_latest = derm_store_latest_screening_locked (self, w->into_id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  combined = combined_screening (from_latest, into_latest);

  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    if (!exec_for_pair (self, moves[i], w->from_id, w->into_id, error))
      return FALSE;

  if (combined != NULL)
    {
      gint64 id;

      derm_screening_set_client_id (combined, w->into_id);
      if (!derm_store_insert_screening_locked (self, combined, w->now, &id, error))
        return FALSE;
      w->report->screening_combined = TRUE;
    }

  fill_client (into, from);
  if (!derm_validate_client (into, NULL, error) ||
      !derm_store_update_client_locked (self, into, w->now, error))
    return FALSE;
  stmt = derm_store_prepare (self, "DELETE FROM clients WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->from_id);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;

  /* Ids only, no personal values */
  fields = g_strdup_printf ("from:%" G_GINT64_FORMAT ",screenings:%u,sessions:%u,photos:%u,series:%u,"
                            "appointments:%u,regions:%u%s",
                            w->from_id, w->report->moved.screenings, w->report->moved.sessions,
                            w->report->moved.photos, w->report->moved.series,
                            w->report->moved.appointments, w->report->moved.regions,
                            w->report->screening_combined ? ",screening-combined" : "");
  return derm_store_audit (self, "merge", "client", w->into_id, fields, error) &&
         derm_store_audit (self, "delete", "client", w->from_id, "merged", error);
}

gboolean
derm_store_merge_clients (DermStore        *self,
                          gint64            from_id,
                          gint64            into_id,
                          DermMergeReport  *report,
                          GError          **error)
{
  g_autofree char *now = NULL;
  MergeWrite w = { from_id, into_id, NULL, report };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  if (!check_pair (from_id, into_id, error))
    return FALSE;

  w.now = now = derm_store_now_iso ();
  if (!derm_store_write (self, merge_write, &w, error))
    {
      derm_merge_report_clear (report);
      return FALSE;
    }
  return TRUE;
}

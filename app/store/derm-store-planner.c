/* derm-store-planner.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The planner's tables (migration 3 -> 4). Overlap checks run inside the
 * writing transaction, after the rows are written, so a booking that
 * swaps two appointments is judged on the final state and a slot taken
 * by another Dermis in the meantime is caught before COMMIT.
 */

#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "derm-screening-rules.h"
#include "derm-store-planner.h"
#include "derm-store-private.h"
#include "derm-validate.h"

/* Longest appointment, for bounding overlap scans on the start index */
#define MAX_DURATION_SECONDS (DERM_PROTOCOL_MAX_DURATION * 60)

/* --- protocols --------------------------------------------------------- */

#define PROTOCOL_COLUMNS \
  "id, name, sessions, interval_weeks, min_interval_weeks, max_interval_weeks, " \
  "duration_minutes, follow_up_weeks"

static DermProtocol *
protocol_from_row (sqlite3_stmt *stmt)
{
  DermProtocol *protocol = derm_protocol_new ();

  derm_protocol_set_id (protocol, sqlite3_column_int64 (stmt, 0));
  derm_protocol_set_name (protocol, derm_sql_column_text (stmt, 1));
  derm_protocol_set_sessions (protocol, sqlite3_column_int (stmt, 2));
  derm_protocol_set_interval_weeks (protocol, sqlite3_column_int (stmt, 3));
  derm_protocol_set_min_interval_weeks (protocol, sqlite3_column_int (stmt, 4));
  derm_protocol_set_max_interval_weeks (protocol, sqlite3_column_int (stmt, 5));
  derm_protocol_set_duration_minutes (protocol, sqlite3_column_int (stmt, 6));
  derm_protocol_set_follow_up_weeks (protocol, sqlite3_column_int (stmt, 7));
  return protocol;
}

GPtrArray *
derm_store_list_protocols (DermStore  *self,
                           GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self, "SELECT " PROTOCOL_COLUMNS " FROM protocols ORDER BY name, id", error);
  if (stmt == NULL)
    return NULL;
  return derm_store_collect_rows (self, stmt, (DermStoreRowFunc) protocol_from_row, error);
}

static DermProtocol *
get_protocol_locked (DermStore  *self,
                     gint64      id,
                     GError    **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self, "SELECT " PROTOCOL_COLUMNS " FROM protocols WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rows = derm_store_collect_rows (self, stmt, (DermStoreRowFunc) protocol_from_row, error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      derm_store_not_found (error, _("protocol"), id);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (rows, 0));
}

DermProtocol *
derm_store_get_protocol (DermStore  *self,
                         gint64      id,
                         GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  return get_protocol_locked (self, id, error);
}

DermProtocol *
derm_store_find_protocol (DermStore   *self,
                          const char  *id_or_name,
                          GError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);
  g_return_val_if_fail (id_or_name != NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (g_ascii_string_to_signed (id_or_name, 10, 1, G_MAXINT64, &id, NULL))
    return get_protocol_locked (self, id, error);

  stmt = derm_store_prepare (self, "SELECT " PROTOCOL_COLUMNS " FROM protocols WHERE name = ?1", error);
  if (stmt == NULL)
    return NULL;
  derm_sql_bind_text (stmt, 1, id_or_name);
  rows = derm_store_collect_rows (self, stmt, (DermStoreRowFunc) protocol_from_row, error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND,
                   _("There is no protocol named “%s”."), id_or_name);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (rows, 0));
}

static void
bind_protocol (sqlite3_stmt *stmt,
               DermProtocol *protocol)
{
  derm_sql_bind_text (stmt, 1, derm_protocol_get_name (protocol));
  sqlite3_bind_int (stmt, 2, derm_protocol_get_sessions (protocol));
  sqlite3_bind_int (stmt, 3, derm_protocol_get_interval_weeks (protocol));
  sqlite3_bind_int (stmt, 4, derm_protocol_get_min_interval_weeks (protocol));
  sqlite3_bind_int (stmt, 5, derm_protocol_get_max_interval_weeks (protocol));
  sqlite3_bind_int (stmt, 6, derm_protocol_get_duration_minutes (protocol));
  sqlite3_bind_int (stmt, 7, derm_protocol_get_follow_up_weeks (protocol));
}

static gboolean
check_protocol_name_free (DermStore     *self,
                          DermProtocol  *protocol,
                          GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean taken;

  stmt = derm_store_prepare (self, "SELECT 1 FROM protocols WHERE name = ?1 AND id <> ?2", error);
  if (stmt == NULL)
    return FALSE;
  derm_sql_bind_text (stmt, 1, derm_protocol_get_name (protocol));
  sqlite3_bind_int64 (stmt, 2, derm_protocol_get_id (protocol));
  taken = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (taken)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("Protocol name: there is already a protocol named “%s”. Choose another name."),
                   derm_protocol_get_name (protocol));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  DermProtocol *protocol;
  gint64        id;
} ProtocolWrite;

static gboolean
add_protocol_write (DermStore  *self,
                    gpointer    data,
                    GError    **error)
{
  ProtocolWrite *w = data;
  sqlite3_stmt *stmt;

  /* A new protocol never takes the id of a deleted one: the deleted
   * protocol's consent form versions stay keyed to its id, readable for
   * the forms signed under them, and must not become the new protocol's
   * form (nor count as signed for it) */
  if (!check_protocol_name_free (self, w->protocol, error) ||
      (stmt = derm_store_prepare (self,
                                  "INSERT INTO protocols (id, name, sessions, interval_weeks, min_interval_weeks, "
                                  "max_interval_weeks, duration_minutes, follow_up_weeks) "
                                  "VALUES ((SELECT max (m) + 1 FROM (SELECT coalesce (max (id), 0) AS m FROM protocols "
                                  "  UNION ALL SELECT coalesce (max (protocol_id), 0) FROM consent_templates)), "
                                  "?1, ?2, ?3, ?4, ?5, ?6, ?7)", error)) == NULL)
    return FALSE;
  bind_protocol (stmt, w->protocol);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  w->id = sqlite3_last_insert_rowid (self->db);
  return derm_store_audit (self, "create", "protocol", w->id,
                           "name,sessions,interval_weeks,min_interval_weeks,max_interval_weeks,"
                           "duration_minutes,follow_up_weeks", error);
}

gboolean
derm_store_add_protocol (DermStore     *self,
                         DermProtocol  *protocol,
                         GError       **error)
{
  ProtocolWrite w = { protocol, 0 };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_PROTOCOL (protocol), FALSE);

  if (!derm_protocol_validate (protocol, error) ||
      !derm_store_write (self, add_protocol_write, &w, error))
    return FALSE;

  derm_protocol_set_id (protocol, w.id);
  return TRUE;
}

static gboolean
update_protocol_write (DermStore  *self,
                       gpointer    data,
                       GError    **error)
{
  DermProtocol *protocol = data;
  g_autoptr (DermProtocol) before = NULL;
  g_autoptr (GString) fields = g_string_new (NULL);
  sqlite3_stmt *stmt;
  const struct { const char *name; guint (*get) (DermProtocol *); } numbers[] = {
    { "sessions", derm_protocol_get_sessions },
    { "interval_weeks", derm_protocol_get_interval_weeks },
    { "min_interval_weeks", derm_protocol_get_min_interval_weeks },
    { "max_interval_weeks", derm_protocol_get_max_interval_weeks },
    { "duration_minutes", derm_protocol_get_duration_minutes },
    { "follow_up_weeks", derm_protocol_get_follow_up_weeks },
  };

  if ((before = get_protocol_locked (self, derm_protocol_get_id (protocol), error)) == NULL ||
      !check_protocol_name_free (self, protocol, error) ||
      (stmt = derm_store_prepare (self,
                                  "UPDATE protocols SET name = ?1, sessions = ?2, interval_weeks = ?3, "
                                  "min_interval_weeks = ?4, max_interval_weeks = ?5, duration_minutes = ?6, "
                                  "follow_up_weeks = ?7 WHERE id = ?8", error)) == NULL)
    return FALSE;
  bind_protocol (stmt, protocol);
  sqlite3_bind_int64 (stmt, 8, derm_protocol_get_id (protocol));
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;

  if (g_strcmp0 (derm_protocol_get_name (before), derm_protocol_get_name (protocol)) != 0)
    g_string_append (fields, "name");
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    if (numbers[i].get (before) != numbers[i].get (protocol))
      g_string_append_printf (fields, "%s%s", fields->len > 0 ? "," : "", numbers[i].name);

  return derm_store_audit (self, "update", "protocol", derm_protocol_get_id (protocol), fields->str, error);
}

gboolean
derm_store_update_protocol (DermStore     *self,
                            DermProtocol  *protocol,
                            GError       **error)
{
  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_PROTOCOL (protocol), FALSE);

  return derm_protocol_validate (protocol, error) &&
         derm_store_write (self, update_protocol_write, protocol, error);
}

static gboolean
delete_protocol_write (DermStore  *self,
                       gpointer    data,
                       GError    **error)
{
  gint64 id = *(gint64 *) data;
  sqlite3_stmt *stmt;

  if ((stmt = derm_store_prepare (self, "DELETE FROM protocols WHERE id = ?1", error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return derm_store_not_found (error, _("protocol"), id);
  return derm_store_audit (self, "delete", "protocol", id, "", error);
}

gboolean
derm_store_delete_protocol (DermStore  *self,
                            gint64      id,
                            GError    **error)
{
  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);

  return derm_store_write (self, delete_protocol_write, &id, error);
}

/* --- clinic settings --------------------------------------------------- */

static char *
get_setting_locked (DermStore   *self,
                    const char  *key,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  stmt = derm_store_prepare (self, "SELECT value FROM planner_settings WHERE key = ?1", error);
  if (stmt == NULL)
    return NULL;
  derm_sql_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = g_strdup (derm_sql_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return value != NULL ? value : g_strdup ("");
}

static gboolean
set_setting_locked (DermStore   *self,
                    const char  *key,
                    const char  *value,
                    GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self,
                             "INSERT INTO planner_settings (key, value) VALUES (?1, ?2) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  derm_sql_bind_text (stmt, 1, key);
  derm_sql_bind_text (stmt, 2, value);
  return derm_store_step_done (self, stmt, error);
}

static GStrv
load_names_locked (DermStore    *self,
                   sqlite3_stmt *stmt,
                   GError      **error)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, derm_sql_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

static DermClinic *
load_clinic_locked (DermStore  *self,
                    GError    **error)
{
  g_autoptr (DermClinic) clinic = derm_clinic_new ();
  g_autofree char *zone = NULL;
  g_autofree char *step = NULL;
  g_autofree char *full_names = NULL;
  g_auto (GStrv) rooms = NULL;
  g_auto (GStrv) practitioners = NULL;
  DermOpeningSpan spans[8][DERM_CLINIC_MAX_SPANS];
  guint n_spans[8] = { 0 };
  sqlite3_stmt *stmt;
  int rc;

  if ((zone = get_setting_locked (self, "time-zone", error)) == NULL ||
      (step = get_setting_locked (self, "slot-step", error)) == NULL ||
      (full_names = get_setting_locked (self, "ical-full-names", error)) == NULL)
    return NULL;
  derm_clinic_set_export_full_names (clinic, g_strcmp0 (full_names, "1") == 0);
  /* Empty means the system's zone, which derm_clinic_new() already took */
  if (zone[0] != '\0' && !derm_clinic_set_time_zone_id (clinic, zone))
    g_warning ("Unknown clinic time zone “%s”; using %s", zone, derm_clinic_get_time_zone_id (clinic));
  if (step[0] != '\0')
    derm_clinic_set_slot_step (clinic, (guint) g_ascii_strtoull (step, NULL, 10));

  stmt = derm_store_prepare (self,
                             "SELECT weekday, open_minute, close_minute FROM opening_hours "
                             "ORDER BY weekday, open_minute", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int day = sqlite3_column_int (stmt, 0);

      if (day < 1 || day > 7 || n_spans[day] == DERM_CLINIC_MAX_SPANS)
        continue;
      spans[day][n_spans[day]].open = sqlite3_column_int (stmt, 1);
      spans[day][n_spans[day]].close = sqlite3_column_int (stmt, 2);
      n_spans[day]++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  for (int day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
    if (!derm_clinic_set_hours (clinic, day, spans[day], n_spans[day], error))
      return NULL;

  stmt = derm_store_prepare (self, "SELECT date, label FROM closed_dates", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GDate date;

      if (derm_date_parse (derm_sql_column_text (stmt, 0), &date))
        derm_clinic_add_closed_date (clinic, &date, derm_sql_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }

  if ((stmt = derm_store_prepare (self, "SELECT name FROM rooms ORDER BY position", error)) == NULL ||
      (rooms = load_names_locked (self, stmt, error)) == NULL ||
      (stmt = derm_store_prepare (self, "SELECT name FROM practitioners ORDER BY position", error)) == NULL ||
      (practitioners = load_names_locked (self, stmt, error)) == NULL)
    return NULL;
  derm_clinic_set_rooms (clinic, (const char * const *) rooms);
  derm_clinic_set_practitioners (clinic, (const char * const *) practitioners);

  /* Practitioners' own week, by their id (a rename keeps it) */
  stmt = derm_store_prepare (self, "SELECT p.name, h.weekday, h.hours FROM practitioner_hours h "
                                   "JOIN practitioners p ON p.id = h.practitioner_id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = derm_sql_column_text (stmt, 0);
      int day = sqlite3_column_int (stmt, 1);

      if (derm_clinic_has_practitioner (clinic, name) && day >= 1 && day <= 7 &&
          !derm_clinic_set_practitioner_hours_string (clinic, name, day, derm_sql_column_text (stmt, 2), NULL))
        g_warning ("Hours of %s on weekday %d not understood", name, day);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  stmt = derm_store_prepare (self, "SELECT p.name, l.date, l.label FROM practitioner_leave l "
                                   "JOIN practitioners p ON p.id = l.practitioner_id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = derm_sql_column_text (stmt, 0);
      GDate date;

      if (derm_clinic_has_practitioner (clinic, name) && derm_date_parse (derm_sql_column_text (stmt, 1), &date))
        derm_clinic_add_practitioner_leave (clinic, name, &date, derm_sql_column_text (stmt, 2), NULL);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&clinic);
}

DermClinic *
derm_store_load_clinic (DermStore  *self,
                        GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  return load_clinic_locked (self, error);
}

static gboolean
load_clinic_call (DermStore  *self,
                  gpointer    data,
                  gpointer   *result,
                  GError    **error)
{
  return (*result = derm_store_load_clinic (self, error)) != NULL;
}

void
derm_store_load_clinic_async (DermStore           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  derm_store_call_async (self, derm_store_load_clinic_async, load_clinic_call, NULL, NULL,
                         g_object_unref, cancellable, callback, user_data);
}

DermClinic *
derm_store_load_clinic_finish (DermStore     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return derm_store_call_finish (self, result, derm_store_load_clinic_async, error);
}

static gboolean
save_names_locked (DermStore           *self,
                   const char          *delete_sql,
                   const char          *insert_sql,
                   const char * const  *names,
                   GError             **error)
{
  sqlite3_stmt *stmt;

  if (!derm_store_exec (self, delete_sql, error))
    return FALSE;
  for (guint i = 0; names[i] != NULL; i++)
    {
      if ((stmt = derm_store_prepare (self, insert_sql, error)) == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, i);
      derm_sql_bind_text (stmt, 2, names[i]);
      if (!derm_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* The practitioners in @names' order, each keeping the id their name
 * already has (a new name gets a new one); those no longer listed go,
 * with their hours and leave */
static gboolean
save_practitioners_locked (DermStore           *self,
                           const char * const  *names,
                           GError             **error)
{
  sqlite3_stmt *stmt;

  if (!derm_store_exec (self, "UPDATE practitioners SET position = -1 - position", error))
    return FALSE;
  for (guint i = 0; names[i] != NULL; i++)
    {
      if ((stmt = derm_store_prepare (self, "UPDATE practitioners SET position = ?1 WHERE name = ?2", error)) == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, i);
      derm_sql_bind_text (stmt, 2, names[i]);
      if (!derm_store_step_done (self, stmt, error))
        return FALSE;
      if (sqlite3_changes (self->db) > 0)
        continue;
      if ((stmt = derm_store_prepare (self, "INSERT INTO practitioners (position, name) VALUES (?1, ?2)", error)) == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, i);
      derm_sql_bind_text (stmt, 2, names[i]);
      if (!derm_store_step_done (self, stmt, error))
        return FALSE;
    }
  return derm_store_exec (self,
                          "DELETE FROM practitioner_hours WHERE practitioner_id IN "
                          "  (SELECT id FROM practitioners WHERE position < 0);"
                          "DELETE FROM practitioner_leave WHERE practitioner_id IN "
                          "  (SELECT id FROM practitioners WHERE position < 0);"
                          "DELETE FROM practitioners WHERE position < 0", error);
}

typedef struct
{
  const char *from;
  const char *to;
} Rename;

static gboolean
rename_practitioner_write (DermStore  *self,
                           gpointer    data,
                           GError    **error)
{
  Rename *r = data;
  g_autofree char *fields = NULL;
  sqlite3_stmt *stmt;
  int n_booked;

  if ((stmt = derm_store_prepare (self, "SELECT count(*) FROM practitioners WHERE name = ?1", error)) == NULL)
    return FALSE;
  derm_sql_bind_text (stmt, 1, r->to);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) > 0)
    {
      sqlite3_reset (stmt);
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("There is already a practitioner “%s”. Choose another name."), r->to);
      return FALSE;
    }
  sqlite3_reset (stmt);
  if ((stmt = derm_store_prepare (self, "UPDATE practitioners SET name = ?2 WHERE name = ?1", error)) == NULL)
    return FALSE;
  derm_sql_bind_text (stmt, 1, r->from);
  derm_sql_bind_text (stmt, 2, r->to);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND,
                   _("There is no practitioner “%s”."), r->from);
      return FALSE;
    }
  /* The bookings still to come and the series are theirs under the new
   * name; what was done keeps the name it was done under */
  if ((stmt = derm_store_prepare (self, "UPDATE appointments SET practitioner = ?2 "
                                        "WHERE practitioner = ?1 AND status = 'booked'", error)) == NULL)
    return FALSE;
  derm_sql_bind_text (stmt, 1, r->from);
  derm_sql_bind_text (stmt, 2, r->to);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  n_booked = sqlite3_changes (self->db);
  if ((stmt = derm_store_prepare (self, "UPDATE series SET practitioner = ?2 WHERE practitioner = ?1", error)) == NULL)
    return FALSE;
  derm_sql_bind_text (stmt, 1, r->from);
  derm_sql_bind_text (stmt, 2, r->to);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  fields = g_strdup_printf ("practitioner:%s->%s,bookings:%d", r->from, r->to, n_booked);
  return derm_store_audit (self, "rename", "clinic", 0, fields, error);
}

gboolean
derm_store_rename_practitioner (DermStore   *self,
                                const char  *from,
                                const char  *to,
                                GError     **error)
{
  g_autofree char *trimmed = NULL;
  Rename r;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (from != NULL && to != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (to));
  if (*trimmed == '\0')
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("Give the practitioner’s new name."));
      return FALSE;
    }
  if (!derm_validate_line (_("Practitioner"), trimmed, error))
    return FALSE;
  r.from = from;
  r.to = trimmed;
  return derm_store_write (self, rename_practitioner_write, &r, error);
}

/* Each practitioner's own hours (only the weekdays that differ from the
 * clinic's) and leave */
static gboolean
save_availability_locked (DermStore   *self,
                          DermClinic  *clinic,
                          GError     **error)
{
  const char * const *names = derm_clinic_get_practitioners (clinic);
  sqlite3_stmt *stmt;

  if (!derm_store_exec (self, "DELETE FROM practitioner_hours; DELETE FROM practitioner_leave", error))
    return FALSE;
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_auto (GStrv) leave = derm_clinic_dup_practitioner_leave (clinic, names[i]);

      for (int day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
        {
          g_autofree char *hours = derm_clinic_dup_practitioner_hours_string (clinic, names[i], day);

          if (hours == NULL)
            continue;
          stmt = derm_store_prepare (self, "INSERT INTO practitioner_hours (practitioner_id, weekday, hours) "
                                           "SELECT id, ?2, ?3 FROM practitioners WHERE name = ?1", error);
          if (stmt == NULL)
            return FALSE;
          derm_sql_bind_text (stmt, 1, names[i]);
          sqlite3_bind_int (stmt, 2, day);
          derm_sql_bind_text (stmt, 3, hours);
          if (!derm_store_step_done (self, stmt, error))
            return FALSE;
        }
      for (guint j = 0; leave[j] != NULL; j++)
        {
          GDate date;

          derm_date_parse (leave[j], &date);
          stmt = derm_store_prepare (self, "INSERT INTO practitioner_leave (practitioner_id, date, label) "
                                           "SELECT id, ?2, ?3 FROM practitioners WHERE name = ?1", error);
          if (stmt == NULL)
            return FALSE;
          derm_sql_bind_text (stmt, 1, names[i]);
          derm_sql_bind_text (stmt, 2, leave[j]);
          derm_sql_bind_text (stmt, 3, derm_clinic_get_practitioner_leave_label (clinic, names[i], &date));
          if (!derm_store_step_done (self, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
save_clinic_write (DermStore  *self,
                   gpointer    data,
                   GError    **error)
{
  DermClinic *clinic = data;
  g_autofree char *step = g_strdup_printf ("%u", derm_clinic_get_slot_step (clinic));
  g_auto (GStrv) closed = derm_clinic_dup_closed_dates (clinic);
  sqlite3_stmt *stmt;

  if (!set_setting_locked (self, "time-zone", derm_clinic_get_time_zone_id (clinic), error) ||
      !set_setting_locked (self, "slot-step", step, error) ||
      !set_setting_locked (self, "ical-full-names", derm_clinic_get_export_full_names (clinic) ? "1" : "0", error) ||
      !derm_store_exec (self, "DELETE FROM opening_hours", error))
    return FALSE;

  for (int day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
    {
      guint n;
      const DermOpeningSpan *spans = derm_clinic_get_hours (clinic, day, &n);

      for (guint i = 0; i < n; i++)
        {
          stmt = derm_store_prepare (self,
                                     "INSERT INTO opening_hours (weekday, open_minute, close_minute) "
                                     "VALUES (?1, ?2, ?3)", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int (stmt, 1, day);
          sqlite3_bind_int (stmt, 2, spans[i].open);
          sqlite3_bind_int (stmt, 3, spans[i].close);
          if (!derm_store_step_done (self, stmt, error))
            return FALSE;
        }
    }

  if (!derm_store_exec (self, "DELETE FROM closed_dates", error))
    return FALSE;
  for (guint i = 0; closed[i] != NULL; i++)
    {
      GDate date;

      derm_date_parse (closed[i], &date);
      stmt = derm_store_prepare (self, "INSERT INTO closed_dates (date, label) VALUES (?1, ?2)", error);
      if (stmt == NULL)
        return FALSE;
      derm_sql_bind_text (stmt, 1, closed[i]);
      derm_sql_bind_text (stmt, 2, derm_clinic_get_closed_label (clinic, &date));
      if (!derm_store_step_done (self, stmt, error))
        return FALSE;
    }

  return save_names_locked (self, "DELETE FROM rooms",
                            "INSERT INTO rooms (position, name) VALUES (?1, ?2)",
                            derm_clinic_get_rooms (clinic), error) &&
         save_practitioners_locked (self, derm_clinic_get_practitioners (clinic), error) &&
         save_availability_locked (self, clinic, error) &&
         derm_store_audit (self, "update", "clinic", 0,
                           "time_zone,slot_step,opening_hours,closed_dates,rooms,practitioners,"
                           "practitioner_hours,practitioner_leave", error);
}

gboolean
derm_store_save_clinic (DermStore   *self,
                        DermClinic  *clinic,
                        GError     **error)
{
  g_auto (GStrv) closed = NULL;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_CLINIC (clinic), FALSE);

  closed = derm_clinic_dup_closed_dates (clinic);
  for (const char * const *n = derm_clinic_get_rooms (clinic); n != NULL && *n != NULL; n++)
    if (!derm_validate_line (_("Room"), *n, error))
      return FALSE;
  for (const char * const *n = derm_clinic_get_practitioners (clinic); n != NULL && *n != NULL; n++)
    if (!derm_validate_line (_("Practitioner"), *n, error))
      return FALSE;
  for (guint i = 0; closed[i] != NULL; i++)
    {
      GDate date;

      if (!derm_date_parse (closed[i], &date) ||
          !derm_validate_line (_("Closed day"), derm_clinic_get_closed_label (clinic, &date), error))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_DATE,
                         _("Closed day “%s” is not a date."), closed[i]);
          return FALSE;
        }
    }
  for (const char * const *n = derm_clinic_get_practitioners (clinic); n != NULL && *n != NULL; n++)
    {
      g_auto (GStrv) leave = derm_clinic_dup_practitioner_leave (clinic, *n);

      for (guint i = 0; leave[i] != NULL; i++)
        {
          GDate date;

          if (derm_date_parse (leave[i], &date) &&
              !derm_validate_line (_("Leave"), derm_clinic_get_practitioner_leave_label (clinic, *n, &date), error))
            return FALSE;
        }
    }

  return derm_store_write (self, save_clinic_write, clinic, error);
}

char *
derm_store_dup_calendar_id (DermStore  *self,
                            GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  return get_setting_locked (self, "calendar-id", error);
}

/* --- series ------------------------------------------------------------ */

#define SERIES_SELECT \
  "SELECT s.id, s.client_id, s.protocol_id, s.protocol_name, s.sessions, s.interval_weeks, " \
  "s.min_interval_weeks, s.max_interval_weeks, s.duration_minutes, s.follow_up_weeks, " \
  "s.start_date, s.status, s.practitioner, s.room, s.created_at, c.name, s.version " \
  "FROM series s JOIN clients c ON c.id = s.client_id "

static DermSeries *
series_from_row (sqlite3_stmt *stmt)
{
  DermSeries *series = derm_series_new ();
  DermSeriesStatus status = DERM_SERIES_ACTIVE;

  derm_series_set_id (series, sqlite3_column_int64 (stmt, 0));
  derm_series_set_client_id (series, sqlite3_column_int64 (stmt, 1));
  derm_series_set_protocol_id (series, sqlite3_column_int64 (stmt, 2));
  derm_series_set_protocol_name (series, derm_sql_column_text (stmt, 3));
  derm_series_set_sessions (series, sqlite3_column_int (stmt, 4));
  derm_series_set_interval_weeks (series, sqlite3_column_int (stmt, 5));
  derm_series_set_min_interval_weeks (series, sqlite3_column_int (stmt, 6));
  derm_series_set_max_interval_weeks (series, sqlite3_column_int (stmt, 7));
  derm_series_set_duration_minutes (series, sqlite3_column_int (stmt, 8));
  derm_series_set_follow_up_weeks (series, sqlite3_column_int (stmt, 9));
  derm_series_set_start_date (series, derm_sql_column_text (stmt, 10));
  derm_series_status_from_key (derm_sql_column_text (stmt, 11), &status);
  derm_series_set_status (series, status);
  derm_series_set_practitioner (series, derm_sql_column_text (stmt, 12));
  derm_series_set_room (series, derm_sql_column_text (stmt, 13));
  derm_series_set_created_at (series, derm_sql_column_text (stmt, 14));
  derm_series_set_client_name (series, derm_sql_column_text (stmt, 15));
  derm_series_set_version (series, (guint) sqlite3_column_int64 (stmt, 16));
  return series;
}

static DermSeries *
get_series_locked (DermStore  *self,
                   gint64      id,
                   GError    **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self, SERIES_SELECT "WHERE s.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rows = derm_store_collect_rows (self, stmt, (DermStoreRowFunc) series_from_row, error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      derm_store_not_found (error, _("series"), id);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (rows, 0));
}

DermSeries *
derm_store_get_series (DermStore  *self,
                       gint64      id,
                       GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  return get_series_locked (self, id, error);
}

GPtrArray *
derm_store_list_series (DermStore  *self,
                        gint64      client_id,
                        GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                             SERIES_SELECT "WHERE ?1 = 0 OR s.client_id = ?1 "
                             "ORDER BY s.start_date DESC, s.id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  return derm_store_collect_rows (self, stmt, (DermStoreRowFunc) series_from_row, error);
}

typedef struct
{
  gint64      id;
  DermSeriesStatus status;
  const char *now;
} StatusWrite;

static gboolean
set_series_status_write (DermStore  *self,
                         gpointer    data,
                         GError    **error)
{
  StatusWrite *w = data;
  sqlite3_stmt *stmt;

  if ((stmt = derm_store_prepare (self, "UPDATE series SET status = ?1, updated_at = ?2 WHERE id = ?3",
                                  error)) == NULL)
    return FALSE;
  derm_sql_bind_text (stmt, 1, derm_series_status_to_key (w->status));
  derm_sql_bind_text (stmt, 2, w->now);
  sqlite3_bind_int64 (stmt, 3, w->id);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return derm_store_not_found (error, _("series"), w->id);
  return derm_store_audit (self, "update", "series", w->id, "status", error);
}

gboolean
derm_store_set_series_status (DermStore         *self,
                              gint64             id,
                              DermSeriesStatus   status,
                              GError           **error)
{
  g_autofree char *now = derm_store_now_iso ();
  StatusWrite w = { id, status, now };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);

  return derm_store_write (self, set_series_status_write, &w, error);
}

/* --- appointments ------------------------------------------------------ */

#define APPOINTMENT_SELECT \
  "SELECT a.id, a.client_id, a.series_id, a.session_index, a.session_count, a.kind, " \
  "a.start_local, a.time_zone, a.duration_minutes, a.room, a.practitioner, a.status, " \
  "a.note, a.treatment_id, a.rescreen_first, c.name, s.protocol_name, " \
  "(SELECT max (sc.date) FROM screenings sc WHERE sc.client_id = a.client_id), " \
  "a.sequence, a.updated_at " \
  "FROM appointments a JOIN clients c ON c.id = a.client_id " \
  "LEFT JOIN series s ON s.id = a.series_id "

static DermAppointment *
appointment_from_row (sqlite3_stmt *stmt)
{
  DermAppointment *appointment = derm_appointment_new ();
  DermAppointmentStatus status = DERM_APPOINTMENT_BOOKED;
  DermAppointmentKind kind = DERM_APPOINTMENT_SESSION;

  derm_appointment_set_id (appointment, sqlite3_column_int64 (stmt, 0));
  derm_appointment_set_client_id (appointment, sqlite3_column_int64 (stmt, 1));
  derm_appointment_set_series_id (appointment, sqlite3_column_int64 (stmt, 2));
  derm_appointment_set_session_index (appointment, sqlite3_column_int (stmt, 3));
  derm_appointment_set_session_count (appointment, sqlite3_column_int (stmt, 4));
  derm_appointment_kind_from_key (derm_sql_column_text (stmt, 5), &kind);
  derm_appointment_set_kind (appointment, kind);
  if (!derm_appointment_set_start (appointment, derm_sql_column_text (stmt, 6),
                                   derm_sql_column_text (stmt, 7)))
    g_warning ("Appointment %lld has an unreadable start “%s %s”",
               (long long) sqlite3_column_int64 (stmt, 0),
               derm_sql_column_text (stmt, 6), derm_sql_column_text (stmt, 7));
  derm_appointment_set_duration_minutes (appointment, sqlite3_column_int (stmt, 8));
  derm_appointment_set_room (appointment, derm_sql_column_text (stmt, 9));
  derm_appointment_set_practitioner (appointment, derm_sql_column_text (stmt, 10));
  derm_appointment_status_from_key (derm_sql_column_text (stmt, 11), &status);
  derm_appointment_set_status (appointment, status);
  derm_appointment_set_note (appointment, derm_sql_column_text (stmt, 12));
  derm_appointment_set_treatment_id (appointment, sqlite3_column_int64 (stmt, 13));
  derm_appointment_set_rescreen_first (appointment, sqlite3_column_int (stmt, 14) != 0);
  derm_appointment_set_client_name (appointment, derm_sql_column_text (stmt, 15));
  derm_appointment_set_protocol_name (appointment, derm_sql_column_text (stmt, 16));
  derm_appointment_set_sequence (appointment, (guint) sqlite3_column_int (stmt, 18));
  derm_appointment_set_updated_at (appointment, derm_sql_column_text (stmt, 19));

  /* A session still to come on a day the latest screening no longer
   * covers: the calendar says "re-screen first"; with no screening at
   * all, "screen first". The flag stored at booking stays only while it
   * still holds: a screening since then clears it. */
  if (status == DERM_APPOINTMENT_BOOKED && kind == DERM_APPOINTMENT_SESSION)
    {
      GDate day, screened;
      gboolean outdated = TRUE;
      gboolean never = sqlite3_column_type (stmt, 17) == SQLITE_NULL;

      if (derm_date_parse (derm_sql_column_text (stmt, 17), &screened) &&
          derm_appointment_get_local_date (appointment, &day))
        {
          g_date_add_months (&screened, derm_screening_thresholds ()->rescreen_months);
          outdated = g_date_compare (&day, &screened) >= 0;
        }
      derm_appointment_set_screening_outdated (appointment, outdated);
      derm_appointment_set_never_screened (appointment, never);
      if (!outdated)
        derm_appointment_set_rescreen_first (appointment, FALSE);
    }
  return appointment;
}

/* Appointments with their client's "Do Not Treat" reason */
static GPtrArray *
collect_appointments (DermStore     *self,
                      sqlite3_stmt  *stmt,
                      GError       **error)
{
  g_autoptr (GPtrArray) rows = derm_store_collect_rows (self, stmt, (DermStoreRowFunc) appointment_from_row, error);
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GHashTable) seen = NULL;
  g_autoptr (GHashTable) reasons = NULL;

  if (rows == NULL)
    return NULL;
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      gint64 id = derm_appointment_get_client_id (g_ptr_array_index (rows, i));

      if (!g_hash_table_contains (seen, &id))
        {
          g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
          g_array_append_val (ids, id);
        }
    }
  if ((reasons = derm_store_do_not_treat_locked (self, ids, error)) == NULL)
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    {
      DermAppointment *appointment = g_ptr_array_index (rows, i);
      gint64 id = derm_appointment_get_client_id (appointment);

      derm_appointment_set_do_not_treat (appointment, g_hash_table_lookup (reasons, &id));
    }
  return g_steal_pointer (&rows);
}

static DermAppointment *
get_appointment_locked (DermStore  *self,
                        gint64      id,
                        GError    **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self, APPOINTMENT_SELECT "WHERE a.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rows = derm_store_collect_rows (self, stmt, (DermStoreRowFunc) appointment_from_row, error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      derm_store_not_found (error, _("appointment"), id);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (rows, 0));
}

DermAppointment *
derm_store_get_appointment (DermStore  *self,
                            gint64      id,
                            GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  return get_appointment_locked (self, id, error);
}

GPtrArray *
derm_store_list_appointments (DermStore  *self,
                              GDateTime  *from,
                              GDateTime  *to,
                              GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                             APPOINTMENT_SELECT
                             "WHERE a.start_utc < ?2 AND a.start_utc > ?1 - ?3 AND a.end_utc > ?1 "
                             "ORDER BY a.start_utc, a.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, g_date_time_to_unix (from));
  sqlite3_bind_int64 (stmt, 2, g_date_time_to_unix (to));
  sqlite3_bind_int64 (stmt, 3, MAX_DURATION_SECONDS);
  return collect_appointments (self, stmt, error);
}

GPtrArray *
derm_store_list_client_appointments (DermStore  *self,
                                     gint64      client_id,
                                     GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self, APPOINTMENT_SELECT "WHERE a.client_id = ?1 ORDER BY a.start_utc, a.id",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  return collect_appointments (self, stmt, error);
}

static GPtrArray *
list_series_appointments_locked (DermStore  *self,
                                 gint64      series_id,
                                 GError    **error)
{
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self, APPOINTMENT_SELECT "WHERE a.series_id = ?1 ORDER BY a.start_utc, a.id",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, series_id);
  return collect_appointments (self, stmt, error);
}

GPtrArray *
derm_store_list_series_appointments (DermStore  *self,
                                     gint64      series_id,
                                     GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  return list_series_appointments_locked (self, series_id, error);
}

#define SERIES_NOT_FINISHED \
  "(s.status = 'active' OR (s.status = 'completed' AND s.follow_up_weeks > 0 AND NOT EXISTS " \
  "(SELECT 1 FROM appointments f WHERE f.series_id = s.id AND f.kind = 'follow-up-photo' " \
  "AND f.status = 'done')))"

gboolean
derm_store_list_due_series (DermStore   *self,
                            GPtrArray  **series_out,
                            GPtrArray  **appointments_out,
                            GError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GPtrArray) series = NULL;
  g_autoptr (GPtrArray) appointments = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (series_out != NULL && appointments_out != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  /* One snapshot: the series and their appointments agree */
  if (!derm_store_exec (self, "BEGIN", error))
    return FALSE;
  if ((stmt = derm_store_prepare (self,
                                  SERIES_SELECT "WHERE " SERIES_NOT_FINISHED " "
                                  "ORDER BY s.start_date DESC, s.id DESC", error)) == NULL ||
      (series = derm_store_collect_rows (self, stmt, (DermStoreRowFunc) series_from_row, error)) == NULL ||
      (stmt = derm_store_prepare (self,
                                  APPOINTMENT_SELECT
                                  "WHERE a.status IN ('booked', 'done') AND a.series_id IN "
                                  "(SELECT s.id FROM series s WHERE " SERIES_NOT_FINISHED ") "
                                  "ORDER BY a.start_utc, a.id", error)) == NULL ||
      (appointments = derm_store_collect_rows (self, stmt, (DermStoreRowFunc) appointment_from_row, error)) == NULL)
    {
      derm_store_rollback (self);
      return FALSE;
    }
  derm_store_rollback (self);

  *series_out = g_steal_pointer (&series);
  *appointments_out = g_steal_pointer (&appointments);
  return TRUE;
}

static gint64 store_now_unix (DermStore *self);

/* The Due list's own narrow read: the numbers of the series not finished
 * and four columns of their appointments, no joins, no object per
 * appointment; full series objects only for the few that are due. */
static gboolean
list_due_locked (DermStore    *self,
                 const GDate  *today,
                 guint         horizon_days,
                 GPtrArray   **out,
                 GError      **error)
{
  g_autoptr (GArray) series = g_array_new (FALSE, TRUE, sizeof (DermDueSeriesRow));
  g_autoptr (GArray) rows = g_array_new (FALSE, TRUE, sizeof (DermDueAppointmentRow));
  g_autoptr (GArray) results = NULL;
  g_autoptr (GPtrArray) due = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GHashTable) objects = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_autoptr (GString) ids = g_string_new ("[");
  sqlite3_stmt *stmt;
  int rc;

  stmt = derm_store_prepare (self,
                             "SELECT s.id, s.sessions, s.min_interval_weeks, s.max_interval_weeks, "
                             "s.follow_up_weeks, s.start_date, s.status FROM series s "
                             "WHERE " SERIES_NOT_FINISHED, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DermDueSeriesRow row = { 0 };

      row.id = sqlite3_column_int64 (stmt, 0);
      row.sessions = (guint) sqlite3_column_int (stmt, 1);
      row.min_interval_weeks = (guint) sqlite3_column_int (stmt, 2);
      row.max_interval_weeks = (guint) sqlite3_column_int (stmt, 3);
      row.follow_up_weeks = (guint) sqlite3_column_int (stmt, 4);
      if (!derm_date_parse (derm_sql_column_text (stmt, 5), &row.start_date))
        g_date_clear (&row.start_date, 1);
      row.status = DERM_SERIES_ACTIVE;
      derm_series_status_from_key (derm_sql_column_text (stmt, 6), &row.status);
      g_array_append_val (series, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  /* By the ids just read: the appointments_by_series index, and the
   * "not finished" test is not run again per appointment */
  for (guint i = 0; i < series->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (series, DermDueSeriesRow, i).id);
  g_string_append_c (ids, ']');
  stmt = derm_store_prepare (self,
                             "SELECT series_id, session_index, kind, status, substr (start_local, 1, 10) "
                             "FROM appointments WHERE series_id IN (SELECT value FROM json_each (?1)) "
                             "AND status IN ('booked', 'done')", error);
  if (stmt == NULL)
    return FALSE;
  derm_sql_bind_text (stmt, 1, ids->str);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DermDueAppointmentRow row = { 0 };
      const char *kind = (const char *) sqlite3_column_text (stmt, 2);
      const char *status = (const char *) sqlite3_column_text (stmt, 3);

      row.series_id = sqlite3_column_int64 (stmt, 0);
      row.session_index = (guint) sqlite3_column_int (stmt, 1);
      row.kind = g_strcmp0 (kind, "follow-up-photo") == 0 ? DERM_APPOINTMENT_FOLLOW_UP_PHOTO
                                                          : DERM_APPOINTMENT_SESSION;
      row.status = g_strcmp0 (status, "done") == 0 ? DERM_APPOINTMENT_DONE : DERM_APPOINTMENT_BOOKED;
      if (!derm_date_parse ((const char *) sqlite3_column_text (stmt, 4), &row.day))
        g_date_clear (&row.day, 1);
      g_array_append_val (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  results = derm_planner_compute_due ((DermDueSeriesRow *) series->data, series->len,
                                      (DermDueAppointmentRow *) rows->data, rows->len,
                                      today, horizon_days);
  if (results->len > 0)
    {
      g_autoptr (GPtrArray) found = NULL;

      g_string_assign (ids, "[");
      for (guint i = 0; i < results->len; i++)
        g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                                g_array_index (series, DermDueSeriesRow,
                                               g_array_index (results, DermDueResult, i).series).id);
      g_string_append_c (ids, ']');
      stmt = derm_store_prepare (self, SERIES_SELECT "WHERE s.id IN (SELECT value FROM json_each (?1))", error);
      if (stmt == NULL)
        return FALSE;
      derm_sql_bind_text (stmt, 1, ids->str);
      if ((found = derm_store_collect_rows (self, stmt, (DermStoreRowFunc) series_from_row, error)) == NULL)
        return FALSE;
      for (guint i = 0; i < found->len; i++)
        {
          DermSeries *object = g_ptr_array_index (found, i);

          gint64 id = derm_series_get_id (object);

          g_hash_table_insert (objects, g_memdup2 (&id, sizeof id), g_object_ref (object));
        }
    }

  for (guint i = 0; i < results->len; i++)
    {
      const DermDueResult *result = &g_array_index (results, DermDueResult, i);
      gint64 id = g_array_index (series, DermDueSeriesRow, result->series).id;
      DermSeries *object = g_hash_table_lookup (objects, &id);

      if (object != NULL)
        g_ptr_array_add (due, derm_planner_due_item_new (result, object));
    }
  *out = g_steal_pointer (&due);
  return TRUE;
}

GPtrArray *
derm_store_list_due (DermStore    *self,
                     const GDate  *today,
                     guint         horizon_days,
                     GError      **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  GPtrArray *due = NULL;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  /* One snapshot: the series and their appointments agree */
  if (!derm_store_exec (self, "BEGIN", error))
    return NULL;
  if (!list_due_locked (self, today, horizon_days, &due, error))
    due = NULL;
  derm_store_rollback (self);
  return due;
}

GPtrArray *
derm_store_list_needs_outcome (DermStore  *self,
                               GDateTime  *now,
                               GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                             APPOINTMENT_SELECT
                             "WHERE a.status = 'booked' AND a.start_utc < ?1 AND a.end_utc <= ?1 "
                             "ORDER BY a.start_utc, a.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now != NULL ? g_date_time_to_unix (now) : store_now_unix (self));
  return collect_appointments (self, stmt, error);
}

static gboolean
validate_appointment (DermAppointment  *appointment,
                      GError          **error)
{
  guint duration = derm_appointment_get_duration_minutes (appointment);

  if (derm_appointment_get_start_local (appointment) == NULL)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                   _("Start: choose a date and time for the appointment."));
      return FALSE;
    }
  if (derm_appointment_get_client_id (appointment) <= 0)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                   _("Client: choose who the appointment is for."));
      return FALSE;
    }
  if (duration < DERM_PROTOCOL_MIN_DURATION || duration > DERM_PROTOCOL_MAX_DURATION)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("Length must be between %d and %d minutes."),
                   DERM_PROTOCOL_MIN_DURATION, DERM_PROTOCOL_MAX_DURATION);
      return FALSE;
    }
  return derm_validate_text (_("Note"), derm_appointment_get_note (appointment),
                             DERM_MAX_TEXT_LENGTH, FALSE, error) &&
         derm_validate_text (_("Room"), derm_appointment_get_room (appointment),
                             DERM_MAX_SHORT_LENGTH, FALSE, error) &&
         derm_validate_text (_("Practitioner"), derm_appointment_get_practitioner (appointment),
                             DERM_MAX_SHORT_LENGTH, FALSE, error);
}

static gboolean
row_exists_locked (DermStore   *self,
                   const char  *sql,
                   gint64       id,
                   gboolean    *exists,
                   GError     **error)
{
  sqlite3_stmt *stmt = derm_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
check_client_locked (DermStore  *self,
                     gint64      client_id,
                     GError    **error)
{
  gboolean exists;

  if (!row_exists_locked (self, "SELECT 1 FROM clients WHERE id = ?1", client_id, &exists, error))
    return FALSE;
  if (!exists)
    return derm_store_not_found (error, _("client"), client_id);
  return TRUE;
}

/* Binds the columns shared by INSERT and UPDATE as ?1..?14 */
static void
bind_appointment (sqlite3_stmt    *stmt,
                  DermAppointment *appointment,
                  const char      *now)
{
  if (derm_appointment_get_series_id (appointment) > 0)
    sqlite3_bind_int64 (stmt, 1, derm_appointment_get_series_id (appointment));
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int (stmt, 2, derm_appointment_get_session_index (appointment));
  sqlite3_bind_int (stmt, 3, derm_appointment_get_session_count (appointment));
  derm_sql_bind_text (stmt, 4, derm_appointment_kind_to_key (derm_appointment_get_kind (appointment)));
  derm_sql_bind_text (stmt, 5, derm_appointment_get_start_local (appointment));
  derm_sql_bind_text (stmt, 6, derm_appointment_get_time_zone (appointment));
  sqlite3_bind_int64 (stmt, 7, derm_appointment_get_start_unix (appointment));
  sqlite3_bind_int64 (stmt, 8, derm_appointment_get_end_unix (appointment));
  sqlite3_bind_int (stmt, 9, derm_appointment_get_duration_minutes (appointment));
  derm_sql_bind_text (stmt, 10, derm_appointment_get_room (appointment));
  derm_sql_bind_text (stmt, 11, derm_appointment_get_practitioner (appointment));
  derm_sql_bind_text (stmt, 12, derm_appointment_status_to_key (derm_appointment_get_status (appointment)));
  derm_sql_bind_text (stmt, 13, derm_appointment_get_note (appointment));
  sqlite3_bind_int (stmt, 14, derm_appointment_get_rescreen_first (appointment));
  derm_sql_bind_text (stmt, 15, now);
}

static gboolean
insert_appointment_locked (DermStore        *self,
                           DermAppointment  *appointment,
                           const char       *now,
                           gint64           *id_out,
                           GError          **error)
{
  sqlite3_stmt *stmt;

  if (!validate_appointment (appointment, error) ||
      !check_client_locked (self, derm_appointment_get_client_id (appointment), error))
    return FALSE;

  stmt = derm_store_prepare (self,
                             "INSERT INTO appointments (series_id, session_index, session_count, kind, "
                             "start_local, time_zone, start_utc, end_utc, duration_minutes, room, "
                             "practitioner, status, note, rescreen_first, created_at, updated_at, client_id) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16)",
                             error);
  if (stmt == NULL)
    return FALSE;
  bind_appointment (stmt, appointment, now);
  sqlite3_bind_int64 (stmt, 16, derm_appointment_get_client_id (appointment));
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  *id_out = sqlite3_last_insert_rowid (self->db);
  return derm_store_audit (self, "create", "appointment", *id_out,
                           "client_id,series_id,session_index,start,duration,room,practitioner,status,note",
                           error);
}

static char *
appointment_changed_fields (DermAppointment *before,
                            DermAppointment *after)
{
  GString *fields = g_string_new (NULL);

#define CHANGED(name, cond) \
  if (cond) g_string_append_printf (fields, "%s%s", fields->len > 0 ? "," : "", name)

  CHANGED ("start", g_strcmp0 (derm_appointment_get_start_local (before), derm_appointment_get_start_local (after)) != 0 ||
                    g_strcmp0 (derm_appointment_get_time_zone (before), derm_appointment_get_time_zone (after)) != 0);
  CHANGED ("duration", derm_appointment_get_duration_minutes (before) != derm_appointment_get_duration_minutes (after));
  CHANGED ("room", g_strcmp0 (derm_appointment_get_room (before), derm_appointment_get_room (after)) != 0);
  CHANGED ("practitioner", g_strcmp0 (derm_appointment_get_practitioner (before), derm_appointment_get_practitioner (after)) != 0);
  CHANGED ("status", derm_appointment_get_status (before) != derm_appointment_get_status (after));
  CHANGED ("note", g_strcmp0 (derm_appointment_get_note (before), derm_appointment_get_note (after)) != 0);
  CHANGED ("rescreen_first", derm_appointment_get_rescreen_first (before) != derm_appointment_get_rescreen_first (after));

#undef CHANGED

  return g_string_free (fields, FALSE);
}

static gboolean
update_appointment_locked (DermStore        *self,
                           DermAppointment  *appointment,
                           const char       *now,
                           GError          **error)
{
  g_autoptr (DermAppointment) before = NULL;
  g_autofree char *fields = NULL;
  sqlite3_stmt *stmt;
  gint64 id = derm_appointment_get_id (appointment);

  if (!validate_appointment (appointment, error) ||
      (before = get_appointment_locked (self, id, error)) == NULL)
    return FALSE;

  stmt = derm_store_prepare (self,
                             "UPDATE appointments SET series_id = ?1, session_index = ?2, session_count = ?3, "
                             "kind = ?4, start_local = ?5, time_zone = ?6, start_utc = ?7, end_utc = ?8, "
                             "duration_minutes = ?9, room = ?10, practitioner = ?11, status = ?12, note = ?13, "
                             "rescreen_first = ?14, updated_at = ?15, sequence = sequence + 1 WHERE id = ?16", error);
  if (stmt == NULL)
    return FALSE;
  bind_appointment (stmt, appointment, now);
  sqlite3_bind_int64 (stmt, 16, id);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;

  fields = appointment_changed_fields (before, appointment);
  return derm_store_audit (self, "update", "appointment", id, fields, error);
}

/* Fails with DERM_PLANNER_ERROR_CONFLICT when another held appointment
 * overlaps @appointment (with its @id as written) in room or practitioner */
static gboolean
check_conflicts_locked (DermStore        *self,
                        DermAppointment  *appointment,
                        gint64            id,
                        GError          **error)
{
  static const char * const queries[] = {
    "SELECT id FROM appointments WHERE room = ?1 AND status IN ('booked', 'done') "
    "AND start_utc < ?3 AND start_utc > ?2 - ?5 AND end_utc > ?2 AND id <> ?4 LIMIT 1",
    "SELECT id FROM appointments WHERE practitioner = ?1 AND status IN ('booked', 'done') "
    "AND start_utc < ?3 AND start_utc > ?2 - ?5 AND end_utc > ?2 AND id <> ?4 LIMIT 1",
  };
  const char *names[] = {
    derm_appointment_get_room (appointment),
    derm_appointment_get_practitioner (appointment),
  };

  if (!derm_appointment_occupies (appointment))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      sqlite3_stmt *stmt;
      int rc;

      if (names[i] == NULL)
        continue;
      if ((stmt = derm_store_prepare (self, queries[i], error)) == NULL)
        return FALSE;
      derm_sql_bind_text (stmt, 1, names[i]);
      sqlite3_bind_int64 (stmt, 2, derm_appointment_get_start_unix (appointment));
      sqlite3_bind_int64 (stmt, 3, derm_appointment_get_end_unix (appointment));
      sqlite3_bind_int64 (stmt, 4, id);
      sqlite3_bind_int64 (stmt, 5, MAX_DURATION_SECONDS);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        {
          g_autofree char *when = derm_appointment_dup_when (appointment);

          /* Translators: "Room 1 is already booked on Monday 21 December 2026 at 10:00. …" */
          if (i == 0)
            g_set_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT,
                         _("%s is already booked on %s. Nothing was booked; choose another time."),
                         names[i], when);
          else
            g_set_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT,
                         _("%s already has an appointment on %s. Nothing was booked; choose another time."),
                         names[i], when);
          return FALSE;
        }
      if (rc != SQLITE_DONE)
        {
          derm_store_set_sqlite_error (self, rc, error);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean recheck_single_locked      (DermStore        *self,
                                           DermAppointment  *appointment,
                                           GError          **error);
static gboolean bump_series_version_locked (DermStore        *self,
                                           gint64            series_id,
                                           GError          **error);

typedef struct
{
  DermAppointment *appointment;
  const char      *now;
  gint64           id;
} AppointmentWrite;

static gboolean
add_appointment_write (DermStore  *self,
                       gpointer    data,
                       GError    **error)
{
  AppointmentWrite *w = data;

  return recheck_single_locked (self, w->appointment, error) &&
         insert_appointment_locked (self, w->appointment, w->now, &w->id, error) &&
         check_conflicts_locked (self, w->appointment, w->id, error) &&
         bump_series_version_locked (self, derm_appointment_get_series_id (w->appointment), error);
}

gboolean
derm_store_add_appointment (DermStore        *self,
                            DermAppointment  *appointment,
                            GError          **error)
{
  g_autofree char *now = derm_store_now_iso ();
  AppointmentWrite w = { appointment, now, 0 };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_APPOINTMENT (appointment), FALSE);

  if (!derm_store_write (self, add_appointment_write, &w, error))
    return FALSE;
  derm_appointment_set_id (appointment, w.id);
  return TRUE;
}

static gboolean
update_appointment_write (DermStore  *self,
                          gpointer    data,
                          GError    **error)
{
  AppointmentWrite *w = data;

  return recheck_single_locked (self, w->appointment, error) &&
         update_appointment_locked (self, w->appointment, w->now, error) &&
         check_conflicts_locked (self, w->appointment, derm_appointment_get_id (w->appointment), error) &&
         bump_series_version_locked (self, derm_appointment_get_series_id (w->appointment), error);
}

gboolean
derm_store_update_appointment (DermStore        *self,
                               DermAppointment  *appointment,
                               GError          **error)
{
  g_autofree char *now = derm_store_now_iso ();
  AppointmentWrite w = { appointment, now, 0 };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_APPOINTMENT (appointment), FALSE);

  return derm_store_write (self, update_appointment_write, &w, error);
}

static gboolean
set_status_locked (DermStore              *self,
                   gint64                  id,
                   DermAppointmentStatus   status,
                   gint64                  treatment_id,
                   GError                **error)
{
  g_autofree char *now = derm_store_now_iso ();
  g_autoptr (DermAppointment) appointment = NULL;
  sqlite3_stmt *stmt;

  if ((appointment = get_appointment_locked (self, id, error)) == NULL)
    return FALSE;

  /* Restoring a cancelled or missed appointment books it again: every rule applies */
  if (status == DERM_APPOINTMENT_BOOKED && !derm_appointment_occupies (appointment))
    {
      g_autoptr (DermAppointment) restored = derm_appointment_copy (appointment);

      derm_appointment_set_status (restored, DERM_APPOINTMENT_BOOKED);
      if (!recheck_single_locked (self, restored, error))
        return FALSE;
    }

  stmt = derm_store_prepare (self,
                             "UPDATE appointments SET status = ?1, treatment_id = ?2, updated_at = ?3, "
                             "sequence = sequence + 1 "
                             "WHERE id = ?4", error);
  if (stmt == NULL)
    return FALSE;
  derm_sql_bind_text (stmt, 1, derm_appointment_status_to_key (status));
  if (treatment_id > 0)
    sqlite3_bind_int64 (stmt, 2, treatment_id);
  else
    sqlite3_bind_null (stmt, 2);
  derm_sql_bind_text (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, id);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;

  /* Back to booked: it holds its slot again, which someone may have taken */
  derm_appointment_set_status (appointment, status);
  if (!check_conflicts_locked (self, appointment, id, error) ||
      !bump_series_version_locked (self, derm_appointment_get_series_id (appointment), error))
    return FALSE;

  return derm_store_audit (self, "update", "appointment", id,
                           treatment_id > 0 ? "status,treatment_id" : "status", error);
}

typedef struct
{
  gint64                 id;
  DermAppointmentStatus  status;
  gint64                 treatment_id;
} AppointmentStatusWrite;

static gboolean
set_appointment_status_write (DermStore  *self,
                              gpointer    data,
                              GError    **error)
{
  AppointmentStatusWrite *w = data;

  return set_status_locked (self, w->id, w->status, 0, error);
}

gboolean
derm_store_set_appointment_status (DermStore              *self,
                                   gint64                  id,
                                   DermAppointmentStatus   status,
                                   GError                **error)
{
  AppointmentStatusWrite w = { id, status, 0 };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);

  if (status == DERM_APPOINTMENT_DONE)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("Mark an appointment done by recording its treatment session."));
      return FALSE;
    }

  return derm_store_write (self, set_appointment_status_write, &w, error);
}

static gboolean
mark_appointment_done_write (DermStore  *self,
                             gpointer    data,
                             GError    **error)
{
  AppointmentStatusWrite *w = data;
  g_autoptr (DermAppointment) appointment = NULL;
  gboolean exists = TRUE;

  if (w->treatment_id > 0 &&
      !row_exists_locked (self, "SELECT 1 FROM treatments WHERE id = ?1", w->treatment_id, &exists, error))
    return FALSE;
  if (!exists)
    return derm_store_not_found (error, _("session"), w->treatment_id);
  if (!set_status_locked (self, w->id, DERM_APPOINTMENT_DONE, w->treatment_id, error) ||
      (appointment = get_appointment_locked (self, w->id, error)) == NULL)
    return FALSE;

  if (derm_appointment_get_series_id (appointment) > 0)
    {
      sqlite3_stmt *stmt;
      g_autofree char *now = derm_store_now_iso ();

      /* Complete when no session of the series is left undone */
      stmt = derm_store_prepare (self,
                                 "UPDATE series SET status = 'completed', updated_at = ?2 "
                                 "WHERE id = ?1 AND status = 'active' AND sessions <= "
                                 "(SELECT count(DISTINCT session_index) FROM appointments "
                                 " WHERE series_id = ?1 AND kind = 'session' AND status = 'done')", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, derm_appointment_get_series_id (appointment));
      derm_sql_bind_text (stmt, 2, now);
      if (!derm_store_step_done (self, stmt, error))
        return FALSE;
      if (sqlite3_changes (self->db) > 0 &&
          !derm_store_audit (self, "update", "series", derm_appointment_get_series_id (appointment),
                             "status", error))
        return FALSE;
    }
  return TRUE;
}

gboolean
derm_store_mark_appointment_done (DermStore  *self,
                                  gint64      id,
                                  gint64      treatment_id,
                                  GError    **error)
{
  AppointmentStatusWrite w = { id, DERM_APPOINTMENT_DONE, treatment_id };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);

  return derm_store_write (self, mark_appointment_done_write, &w, error);
}

/* --- booking ----------------------------------------------------------- */

static gboolean
insert_series_locked (DermStore   *self,
                      DermSeries  *series,
                      const char  *now,
                      gint64      *id_out,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean exists = TRUE;

  if (!check_client_locked (self, derm_series_get_client_id (series), error))
    return FALSE;
  if (derm_series_get_protocol_id (series) > 0 &&
      !row_exists_locked (self, "SELECT 1 FROM protocols WHERE id = ?1",
                          derm_series_get_protocol_id (series), &exists, error))
    return FALSE;

  stmt = derm_store_prepare (self,
                             "INSERT INTO series (client_id, protocol_id, protocol_name, sessions, "
                             "interval_weeks, min_interval_weeks, max_interval_weeks, duration_minutes, "
                             "follow_up_weeks, start_date, status, practitioner, room, created_at, updated_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, derm_series_get_client_id (series));
  if (exists && derm_series_get_protocol_id (series) > 0)
    sqlite3_bind_int64 (stmt, 2, derm_series_get_protocol_id (series));
  else
    sqlite3_bind_null (stmt, 2);
  derm_sql_bind_text (stmt, 3, derm_series_get_protocol_name (series)
                                 ? derm_series_get_protocol_name (series) : "");
  sqlite3_bind_int (stmt, 4, derm_series_get_sessions (series));
  sqlite3_bind_int (stmt, 5, derm_series_get_interval_weeks (series));
  sqlite3_bind_int (stmt, 6, derm_series_get_min_interval_weeks (series));
  sqlite3_bind_int (stmt, 7, derm_series_get_max_interval_weeks (series));
  sqlite3_bind_int (stmt, 8, derm_series_get_duration_minutes (series));
  sqlite3_bind_int (stmt, 9, derm_series_get_follow_up_weeks (series));
  derm_sql_bind_text (stmt, 10, derm_series_get_start_date (series));
  derm_sql_bind_text (stmt, 11, derm_series_status_to_key (derm_series_get_status (series)));
  derm_sql_bind_text (stmt, 12, derm_series_get_practitioner (series));
  derm_sql_bind_text (stmt, 13, derm_series_get_room (series));
  derm_sql_bind_text (stmt, 14, now);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  *id_out = sqlite3_last_insert_rowid (self->db);
  return derm_store_audit (self, "create", "series", *id_out,
                           "client_id,protocol,sessions,intervals,duration,follow_up,start_date,status", error);
}

/* How far back the client rules look: no minimum interval is longer */
#define RULES_LOOKBACK_SECONDS ((gint64) 400 * 24 * 3600)

static gint64
store_now_unix (DermStore *self)
{
  if (self->clock != NULL)
    return g_date_time_to_unix (self->clock);
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* The clinic and the index from committed state, in the caller's
 * transaction: only what the rules need, from the UTC columns */
static DermPlanner *
load_planner_locked (DermStore  *self,
                     gint64      from_unix,
                     GError    **error)
{
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (DermPlanner) planner = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if ((clinic = load_clinic_locked (self, error)) == NULL)
    return NULL;
  planner = derm_planner_new (clinic);
  derm_planner_set_now (planner, self->clock);

  stmt = derm_store_prepare (self,
                             "SELECT a.id, a.start_utc, a.end_utc, a.room, a.practitioner, a.client_id, "
                             "coalesce (a.series_id, 0), coalesce (s.min_interval_weeks, 0), a.kind "
                             "FROM appointments a LEFT JOIN series s ON s.id = a.series_id "
                             "WHERE a.end_utc > ?1 AND a.status IN ('booked', 'done')", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from_unix);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 start = sqlite3_column_int64 (stmt, 1);
      gint64 end = sqlite3_column_int64 (stmt, 2);
      DermPlannerClientInfo info = {
        .client_id = sqlite3_column_int64 (stmt, 5),
        .series_id = sqlite3_column_int64 (stmt, 6),
        .min_interval_weeks = (guint) sqlite3_column_int (stmt, 7),
        .session = g_strcmp0 (derm_sql_column_text (stmt, 8), "session") == 0,
      };

      if (start < end)
        derm_planner_add_interval_full (planner, sqlite3_column_int64 (stmt, 0), start, end,
                                        derm_sql_column_text (stmt, 3), derm_sql_column_text (stmt, 4),
                                        &info);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&planner);
}

static gboolean
bump_series_version_locked (DermStore  *self,
                            gint64      series_id,
                            GError    **error)
{
  sqlite3_stmt *stmt;

  if (series_id <= 0)
    return TRUE;
  stmt = derm_store_prepare (self, "UPDATE series SET version = version + 1 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, series_id);
  return derm_store_step_done (self, stmt, error);
}

/* What a planner from derm_store_load_planner() was read from: which
 * connection, the database's data_version (changed by every commit of
 * another connection), this connection's own count of changes and how far
 * back the calendar reaches. Equal now, inside a transaction, means the
 * committed state is the one the planner holds. */
typedef struct
{
  DermStore     *store;
  gint64         data_version;
  sqlite3_int64  own_changes;
  gint64         from_unix;
} PlannerStamp;

#define PLANNER_STAMP "derm-store-planner-stamp"

static gboolean
read_stamp_locked (DermStore     *self,
                   PlannerStamp  *stamp,
                   GError       **error)
{
  sqlite3_stmt *stmt = derm_store_prepare (self, "PRAGMA data_version", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  stamp->store = self;
  stamp->data_version = sqlite3_column_int64 (stmt, 0);
  stamp->own_changes = sqlite3_total_changes64 (self->db);
  sqlite3_reset (stmt);
  return TRUE;
}

/* @loaded when it still holds what is committed (and reaches back at
 * least to @from_unix), else a planner read now: the booking's re-check
 * is never judged against an older state than a fresh read would give */
static DermPlanner *
current_planner_locked (DermStore    *self,
                        DermPlanner  *loaded,
                        gint64        from_unix,
                        GError      **error)
{
  PlannerStamp *then = loaded != NULL ? g_object_get_data (G_OBJECT (loaded), PLANNER_STAMP) : NULL;
  PlannerStamp now;

  if (then != NULL && then->store == self && then->from_unix <= from_unix &&
      read_stamp_locked (self, &now, NULL) &&
      now.data_version == then->data_version && now.own_changes == then->own_changes)
    {
      self->planner_reuses++;
      return g_object_ref (loaded);
    }
  self->planner_loads++;
  return load_planner_locked (self, from_unix, error);
}

/* Every booking rule (derm_planner_check_proposal()) against the state
 * committed now, inside the write transaction: the clinic, the calendar,
 * the series as booked and the client's latest screening. A proposal
 * made from an older version of its series is refused first: someone
 * changed it meanwhile. */
static gboolean
recheck_locked (DermStore         *self,
                DermPlanProposal  *proposal,
                DermPlanner       *loaded,
                GError           **error)
{
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (DermPlanProposal) fresh = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GPtrArray) context = NULL;
  g_autoptr (DermSeries) committed = NULL;
  DermSeries *series = derm_plan_proposal_get_series (proposal);
  gint64 series_id = series != NULL ? derm_series_get_id (series) : 0;
  gint64 client_id = 0;
  guint n = derm_plan_proposal_get_n_items (proposal);

  if (series != NULL)
    client_id = derm_series_get_client_id (series);
  if (client_id <= 0 && n > 0)
    client_id = derm_appointment_get_client_id (derm_plan_proposal_get_item (proposal, 0));

  if (series_id > 0)
    {
      if ((committed = get_series_locked (self, series_id, error)) == NULL)
        return FALSE;
      if (derm_series_get_version (committed) != derm_series_get_version (series))
        {
          g_set_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT,
                       _("This series was changed by someone else (another window or dermis-cli) after the plan was made. Nothing was booked; look at the series again and re-plan."));
          return FALSE;
        }
      if ((context = list_series_appointments_locked (self, series_id, error)) == NULL)
        return FALSE;
    }

  if ((planner = current_planner_locked (self, loaded, store_now_unix (self) - RULES_LOOKBACK_SECONDS,
                                        error)) == NULL ||
      (client_id > 0 && (findings = derm_store_findings_locked (self, client_id, error)) == NULL))
    return FALSE;

  /* The same items, judged against what is booked now */
  fresh = derm_plan_proposal_new (derm_plan_proposal_get_kind (proposal),
                                  committed != NULL ? committed : series);
  for (guint i = 0; i < n; i++)
    {
      DermAppointment *item = derm_plan_proposal_get_item (proposal, i);
      DermAppointment *original = NULL;

      g_autoptr (DermAppointment) stored = NULL;

      for (guint j = 0; context != NULL && j < context->len; j++)
        if (derm_appointment_get_id (g_ptr_array_index (context, j)) == derm_appointment_get_id (item) &&
            derm_appointment_get_id (item) > 0)
          original = g_ptr_array_index (context, j);
      if (original == NULL && derm_appointment_get_id (item) > 0)
        original = stored = get_appointment_locked (self, derm_appointment_get_id (item), NULL);
      derm_plan_proposal_add_item (fresh, item, original, derm_plan_proposal_get_flags (proposal, i));
    }
  if (context != NULL)
    derm_plan_proposal_set_context (fresh, context);

  derm_planner_check_proposal (planner, fresh, findings);
  for (guint i = 0; i < n; i++)
    {
      DermPlanProblems problems = derm_plan_proposal_get_problems (fresh, i);

      if (problems != DERM_PLAN_PROBLEM_NONE)
        {
          DermAppointment *item = derm_plan_proposal_get_item (proposal, i);
          g_autofree char *text = derm_plan_problems_to_string (problems);
          g_autofree char *when = derm_appointment_dup_when (item);

          /* A plain sentence: the broken rules, not the plan's notes */
          if (when != NULL)
            g_set_error (error, DERM_PLANNER_ERROR,
                         problems & DERM_PLAN_PROBLEM_CONTRAINDICATED ? DERM_PLANNER_ERROR_BLOCKED
                                                                      : DERM_PLANNER_ERROR_CONFLICT,
                         /* Translators: "Nothing was booked: on Monday 21 December 2026 at 10:00, the clinic is closed that day." */
                         _("Nothing was booked: on %s, %s."), when, text);
          else
            g_set_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT,
                         _("Nothing was booked: %s."), text);
          return FALSE;
        }
    }
  return TRUE;
}

/* A single appointment (a one-off, or one appointment of a series changed
 * on its own) through the same rules */
static gboolean
recheck_single_locked (DermStore        *self,
                       DermAppointment  *appointment,
                       GError          **error)
{
  g_autoptr (DermSeries) series = NULL;
  g_autoptr (DermPlanProposal) proposal = NULL;
  gint64 series_id = derm_appointment_get_series_id (appointment);

  if (!derm_appointment_occupies (appointment))
    return TRUE;
  if (series_id > 0 && (series = get_series_locked (self, series_id, error)) == NULL)
    return FALSE;
  proposal = derm_plan_proposal_new (DERM_PLAN_PROPOSAL_RESCHEDULE, series);
  derm_plan_proposal_add_item (proposal, appointment, NULL, DERM_PLAN_FLAG_CHANGED);
  return recheck_locked (self, proposal, NULL, error);
}

typedef struct
{
  DermPlanProposal *proposal;
  DermPlanner      *loaded;
  const char       *now;
  gint64           *ids;
  gint64            series_id;
} BookingWrite;

static gboolean
book_proposal_write (DermStore  *self,
                     gpointer    data,
                     GError    **error)
{
  BookingWrite *w = data;
  DermSeries *series = derm_plan_proposal_get_series (w->proposal);
  guint n = derm_plan_proposal_get_n_items (w->proposal);

  if (!recheck_locked (self, w->proposal, w->loaded, error))
    return FALSE;

  if (derm_plan_proposal_get_kind (w->proposal) == DERM_PLAN_PROPOSAL_SERIES)
    {
      if (series == NULL || !insert_series_locked (self, series, w->now, &w->series_id, error))
        return FALSE;
    }
  else if (series != NULL)
    w->series_id = derm_series_get_id (series);
  if (!bump_series_version_locked (self, w->series_id, error))
    return FALSE;

  /* Write everything first, then judge overlaps on the final state */
  for (guint i = 0; i < n; i++)
    {
      DermAppointment *item = derm_plan_proposal_get_item (w->proposal, i);
      g_autoptr (DermAppointment) row = derm_appointment_copy (item);

      if (derm_appointment_get_series_id (row) == 0)
        derm_appointment_set_series_id (row, w->series_id);
      if (derm_appointment_get_id (row) > 0)
        {
          if (!update_appointment_locked (self, row, w->now, error))
            return FALSE;
          w->ids[i] = derm_appointment_get_id (row);
        }
      else if (!insert_appointment_locked (self, row, w->now, &w->ids[i], error))
        return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!check_conflicts_locked (self, derm_plan_proposal_get_item (w->proposal, i), w->ids[i], error))
      return FALSE;
  return TRUE;
}

gboolean
derm_store_book_proposal (DermStore         *self,
                          DermPlanProposal  *proposal,
                          GError           **error)
{
  return derm_store_book_proposal_with (self, proposal, NULL, error);
}

gboolean
derm_store_book_proposal_with (DermStore         *self,
                               DermPlanProposal  *proposal,
                               DermPlanner       *loaded,
                               GError           **error)
{
  g_autofree char *now = derm_store_now_iso ();
  g_autofree gint64 *ids = NULL;
  BookingWrite w = { proposal, loaded, now, NULL, 0 };
  guint n;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (proposal), FALSE);
  g_return_val_if_fail (loaded == NULL || DERM_IS_PLANNER (loaded), FALSE);

  if (derm_plan_proposal_get_blocked (proposal))
    {
      g_set_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_BLOCKED,
                   _("Nothing was booked: %s"), derm_plan_proposal_get_blocked_reason (proposal));
      return FALSE;
    }
  n = derm_plan_proposal_get_n_items (proposal);
  if (n == 0)
    {
      g_set_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_INVALID,
                   _("Nothing to book: the plan has no appointments."));
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      if (derm_plan_proposal_get_problems (proposal, i) != DERM_PLAN_PROBLEM_NONE)
        {
          g_autofree char *text = derm_plan_problems_to_string (derm_plan_proposal_get_problems (proposal, i));
          g_set_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_INVALID,
                       _("Appointment %u of the plan cannot be booked: %s. Nothing was booked."),
                       i + 1, text);
          return FALSE;
        }
    }

  w.ids = ids = g_new0 (gint64, n);
  if (!derm_store_write (self, book_proposal_write, &w, error))
    return FALSE;

  if (derm_plan_proposal_get_kind (proposal) == DERM_PLAN_PROPOSAL_SERIES)
    {
      DermSeries *series = derm_plan_proposal_get_series (proposal);

      derm_series_set_id (series, w.series_id);
      derm_series_set_created_at (series, now);
      derm_series_set_version (series, 1);
    }
  else if (derm_plan_proposal_get_series (proposal) != NULL)
    {
      DermSeries *series = derm_plan_proposal_get_series (proposal);

      derm_series_set_version (series, derm_series_get_version (series) + 1);
    }
  for (guint i = 0; i < n; i++)
    {
      DermAppointment *item = derm_plan_proposal_get_item (proposal, i);

      derm_appointment_set_id (item, ids[i]);
      if (derm_appointment_get_series_id (item) == 0)
        derm_appointment_set_series_id (item, w.series_id);
    }
  return TRUE;
}

/* --- re-validation ----------------------------------------------------- */

static gboolean
revalidate_locked (DermStore  *self,
                   GPtrArray  *appointments,
                   GError    **error)
{
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (GHashTable) groups = NULL;   /* series id -> GPtrArray of appointments */
  g_autoptr (GHashTable) findings = NULL; /* client id -> GPtrArray of DermFinding */
  g_autoptr (GPtrArray) singles = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;
  gint64 now = store_now_unix (self);

  groups = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  findings = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < appointments->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (appointments, i);
      gint64 series_id = derm_appointment_get_series_id (a);
      GPtrArray *group;

      derm_appointment_set_problems (a, 0, NULL);
      if (derm_appointment_get_status (a) != DERM_APPOINTMENT_BOOKED ||
          derm_appointment_get_start_local (a) == NULL ||
          derm_appointment_get_start_unix (a) < now)
        continue;
      if (series_id <= 0)
        {
          g_ptr_array_add (singles, a);
          continue;
        }
      if ((group = g_hash_table_lookup (groups, &series_id)) == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, g_memdup2 (&series_id, sizeof series_id), group);
        }
      g_ptr_array_add (group, a);
    }
  if (singles->len == 0 && g_hash_table_size (groups) == 0)
    return TRUE;

  if ((planner = load_planner_locked (self, now - RULES_LOOKBACK_SECONDS, error)) == NULL)
    return FALSE;

#define CLIENT_FINDINGS(client_id, out) \
  G_STMT_START { \
    gint64 cid_ = (client_id); \
    (out) = g_hash_table_lookup (findings, &cid_); \
    if ((out) == NULL) \
      { \
        if (((out) = derm_store_findings_locked (self, cid_, error)) == NULL) \
          return FALSE; \
        g_hash_table_insert (findings, g_memdup2 (&cid_, sizeof cid_), (out)); \
      } \
  } G_STMT_END

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr (DermSeries) series = NULL;
      g_autoptr (GPtrArray) context = NULL;
      GPtrArray *group = value;
      GPtrArray *client_findings;

      if ((series = get_series_locked (self, *(gint64 *) key, error)) == NULL ||
          (context = list_series_appointments_locked (self, *(gint64 *) key, error)) == NULL)
        return FALSE;
      CLIENT_FINDINGS (derm_series_get_client_id (series), client_findings);
      derm_planner_revalidate (planner, series, context, group, client_findings);
    }
  for (guint i = 0; i < singles->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (singles, i);
      g_autoptr (GPtrArray) one = g_ptr_array_new ();
      GPtrArray *client_findings;

      CLIENT_FINDINGS (derm_appointment_get_client_id (a), client_findings);
      g_ptr_array_add (one, a);
      derm_planner_revalidate (planner, NULL, NULL, one, client_findings);
    }
#undef CLIENT_FINDINGS
  return TRUE;
}

gboolean
derm_store_revalidate_appointments (DermStore  *self,
                                    GPtrArray  *appointments,
                                    GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (appointments != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (!derm_store_exec (self, "BEGIN", error))
    return FALSE;
  ok = revalidate_locked (self, appointments, error);
  derm_store_rollback (self);
  return ok;
}

GPtrArray *
derm_store_list_needs_attention (DermStore  *self,
                                 GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GPtrArray) booked = NULL;
  GPtrArray *flagged;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  /* One read transaction: the bookings and the rules from the same state */
  if (!derm_store_exec (self, "BEGIN", error))
    return NULL;
  stmt = derm_store_prepare (self,
                             APPOINTMENT_SELECT
                             "WHERE a.status = 'booked' AND a.start_utc >= ?1 "
                             "ORDER BY a.start_utc, a.id", error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, store_now_unix (self));
      booked = collect_appointments (self, stmt, error);
    }
  if (booked == NULL || !revalidate_locked (self, booked, error))
    {
      derm_store_rollback (self);
      return NULL;
    }
  derm_store_rollback (self);

  flagged = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < booked->len; i++)
    if (derm_appointment_get_problems (g_ptr_array_index (booked, i)) != 0)
      g_ptr_array_add (flagged, g_object_ref (g_ptr_array_index (booked, i)));
  return flagged;
}

/* --- planner ----------------------------------------------------------- */

DermPlanner *
derm_store_load_planner (DermStore  *self,
                         GDateTime  *from,
                         GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (DermPlanner) planner = NULL;
  gint64 from_unix;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  /* One read transaction: the clinic and the calendar from the same state */
  if (!derm_store_exec (self, "BEGIN", error))
    return NULL;
  from_unix = from != NULL ? g_date_time_to_unix (from) : G_MININT64;
  /* The client rules look back further than the calendar shown */
  from_unix = MIN (from_unix, store_now_unix (self) - RULES_LOOKBACK_SECONDS);
  planner = load_planner_locked (self, from_unix, error);
  if (planner != NULL)
    {
      PlannerStamp *stamp = g_new0 (PlannerStamp, 1);

      /* Read in the same transaction: the state the planner holds */
      if (read_stamp_locked (self, stamp, NULL))
        {
          stamp->from_unix = from_unix;
          g_object_set_data_full (G_OBJECT (planner), PLANNER_STAMP, stamp, g_free);
        }
      else
        g_free (stamp);
    }
  derm_store_rollback (self);
  return g_steal_pointer (&planner);
}

void
derm_store_get_planner_counts (DermStore *self,
                               guint     *loads,
                               guint     *reuses)
{
  g_return_if_fail (DERM_IS_STORE (self));

  g_mutex_lock (&self->mutex);
  if (loads != NULL)
    *loads = self->planner_loads;
  if (reuses != NULL)
    *reuses = self->planner_reuses;
  g_mutex_unlock (&self->mutex);
}

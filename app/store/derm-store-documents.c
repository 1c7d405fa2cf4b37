/* derm-store-documents.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The letterhead and the aftercare advice (schema step 7 -> 8).
 */
#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "derm-store-documents.h"
#include "derm-store-private.h"
#include "derm-validate.h"

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

const char *
derm_paper_to_key (DermPaper paper)
{
  return paper == DERM_PAPER_LETTER ? "letter" : "a4";
}

gboolean
derm_paper_from_key (const char *key,
                     DermPaper  *paper)
{
  if (key != NULL && g_ascii_strcasecmp (key, "a4") == 0)
    *paper = DERM_PAPER_A4;
  else if (key != NULL && g_ascii_strcasecmp (key, "letter") == 0)
    *paper = DERM_PAPER_LETTER;
  else
    return FALSE;
  return TRUE;
}

/* --- the letterhead ---------------------------------------------------- */

gboolean
derm_store_get_letterhead (DermStore  *self,
                           char      **clinic_name,
                           char      **contact,
                           GBytes    **logo_png,
                           DermPaper  *paper,
                           GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *name = g_strdup ("");
  g_autofree char *line = g_strdup ("");
  g_autoptr (GBytes) logo = NULL;
  DermPaper size = DERM_PAPER_A4;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self, "SELECT key, value FROM document_settings", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = derm_sql_column_text (stmt, 0);

      if (g_str_equal (key, "clinic-name"))
        { g_free (name); name = g_strdup (derm_sql_column_text (stmt, 1)); }
      else if (g_str_equal (key, "clinic-contact"))
        { g_free (line); line = g_strdup (derm_sql_column_text (stmt, 1)); }
      else if (g_str_equal (key, "paper"))
        derm_paper_from_key (derm_sql_column_text (stmt, 1), &size);
      else if (g_str_equal (key, "logo") && sqlite3_column_type (stmt, 1) == SQLITE_BLOB)
        logo = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  if (clinic_name != NULL)
    *clinic_name = g_steal_pointer (&name);
  if (contact != NULL)
    *contact = g_steal_pointer (&line);
  if (logo_png != NULL)
    *logo_png = g_steal_pointer (&logo);
  if (paper != NULL)
    *paper = size;
  return TRUE;
}

typedef struct
{
  const char *name;
  const char *contact;
  GBytes     *logo;
  DermPaper   paper;
} LetterheadWrite;

static gboolean
set_document_setting (DermStore   *self,
                      const char  *key,
                      const char  *text,
                      GBytes      *blob,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self,
                             "INSERT INTO document_settings (key, value) VALUES (?1, ?2) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  derm_sql_bind_text (stmt, 1, key);
  if (blob != NULL)
    {
      gsize size;
      gconstpointer data = g_bytes_get_data (blob, &size);

      sqlite3_bind_blob64 (stmt, 2, data, size, SQLITE_TRANSIENT);
    }
  else if (text != NULL)
    derm_sql_bind_text (stmt, 2, text);
  else
    sqlite3_bind_null (stmt, 2);
  return derm_store_step_done (self, stmt, error);
}

static gboolean
letterhead_write (DermStore  *self,
                  gpointer    data,
                  GError    **error)
{
  LetterheadWrite *w = data;

  return set_document_setting (self, "clinic-name", w->name, NULL, error) &&
         set_document_setting (self, "clinic-contact", w->contact, NULL, error) &&
         set_document_setting (self, "logo", NULL, w->logo, error) &&
         set_document_setting (self, "paper", derm_paper_to_key (w->paper), NULL, error) &&
         derm_store_audit (self, "update", "letterhead", 0, "clinic-name,clinic-contact,logo,paper", error);
}

gboolean
derm_store_set_letterhead (DermStore   *self,
                           const char  *clinic_name,
                           const char  *contact,
                           GBytes      *logo_png,
                           DermPaper    paper,
                           GError     **error)
{
  g_autofree char *name = g_strstrip (g_strdup (clinic_name != NULL ? clinic_name : ""));
  g_autofree char *line = g_strstrip (g_strdup (contact != NULL ? contact : ""));
  LetterheadWrite w = { name, line, logo_png, paper };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);

  if (!derm_validate_line (_("Clinic name"), name, error) ||
      !derm_validate_line (_("Clinic contact"), line, error))
    return FALSE;
  if (logo_png != NULL)
    {
      gsize size;
      const guint8 *bytes = g_bytes_get_data (logo_png, &size);

      if (size > DERM_LOGO_MAX_BYTES)
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_TOO_LONG,
                       _("The logo is larger than %d MB. Save it smaller (a few hundred pixels wide is plenty)."),
                       DERM_LOGO_MAX_BYTES / (1024 * 1024));
          return FALSE;
        }
      if (size < sizeof png_signature || memcmp (bytes, png_signature, sizeof png_signature) != 0)
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                       _("The logo is not a PNG image. Save it as PNG and choose it again."));
          return FALSE;
        }
    }
  return derm_store_write (self, letterhead_write, &w, error);
}

/* --- aftercare advice -------------------------------------------------- */

DermAftercareTemplate *
derm_store_get_aftercare_template (DermStore  *self,
                                   gint64      protocol_id,
                                   GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (DermAftercareTemplate) template_ = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                             "SELECT sun, skincare, actives, actives_days, normal, call_clinic, updated_at "
                             "FROM aftercare_templates WHERE protocol_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, protocol_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      template_ = derm_aftercare_template_new_default (protocol_id);
      derm_aftercare_template_set_sun (template_, derm_sql_column_text (stmt, 0));
      derm_aftercare_template_set_skincare (template_, derm_sql_column_text (stmt, 1));
      derm_aftercare_template_set_actives (template_, derm_sql_column_text (stmt, 2));
      derm_aftercare_template_set_actives_days (template_, (guint) sqlite3_column_int (stmt, 3));
      derm_aftercare_template_set_normal (template_, derm_sql_column_text (stmt, 4));
      derm_aftercare_template_set_call (template_, derm_sql_column_text (stmt, 5));
      derm_aftercare_template_set_updated_at (template_, derm_sql_column_text (stmt, 6));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  if (template_ == NULL)
    template_ = derm_aftercare_template_new_default (protocol_id);
  return g_steal_pointer (&template_);
}

typedef struct
{
  DermAftercareTemplate *template_;
  char                  *now;
} AftercareWrite;

static gboolean
aftercare_write (DermStore  *self,
                 gpointer    data,
                 GError    **error)
{
  AftercareWrite *w = data;
  DermAftercareTemplate *t = w->template_;
  gint64 protocol_id = derm_aftercare_template_get_protocol_id (t);
  sqlite3_stmt *stmt;

  if (!derm_store_protocol_exists_locked (self, protocol_id, error))
    return FALSE;
  stmt = derm_store_prepare (self,
                             "INSERT INTO aftercare_templates (protocol_id, sun, skincare, actives, "
                             "  actives_days, normal, call_clinic, updated_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                             "ON CONFLICT (protocol_id) DO UPDATE SET sun = excluded.sun, "
                             "  skincare = excluded.skincare, actives = excluded.actives, "
                             "  actives_days = excluded.actives_days, normal = excluded.normal, "
                             "  call_clinic = excluded.call_clinic, updated_at = excluded.updated_at", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, protocol_id);
  derm_sql_bind_text (stmt, 2, derm_aftercare_template_get_sun (t));
  derm_sql_bind_text (stmt, 3, derm_aftercare_template_get_skincare (t));
  derm_sql_bind_text (stmt, 4, derm_aftercare_template_get_actives (t));
  sqlite3_bind_int (stmt, 5, (int) derm_aftercare_template_get_actives_days (t));
  derm_sql_bind_text (stmt, 6, derm_aftercare_template_get_normal (t));
  derm_sql_bind_text (stmt, 7, derm_aftercare_template_get_call (t));
  derm_sql_bind_text (stmt, 8, w->now);
  return derm_store_step_done (self, stmt, error) &&
         derm_store_audit (self, "update", "aftercare-template", protocol_id,
                           "sun,skincare,actives,actives_days,normal,call", error);
}

gboolean
derm_store_save_aftercare_template (DermStore             *self,
                                    DermAftercareTemplate *template_,
                                    GError               **error)
{
  g_autofree char *now = derm_store_now_iso ();
  AftercareWrite w = { template_, now };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_AFTERCARE_TEMPLATE (template_), FALSE);

  if (!derm_aftercare_template_validate (template_, error) ||
      !derm_store_write (self, aftercare_write, &w, error))
    return FALSE;
  derm_aftercare_template_set_updated_at (template_, now);
  return TRUE;
}

static gboolean
aftercare_reset_write (DermStore  *self,
                       gpointer    data,
                       GError    **error)
{
  gint64 protocol_id = *(gint64 *) data;
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self, "DELETE FROM aftercare_templates WHERE protocol_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, protocol_id);
  return derm_store_step_done (self, stmt, error) &&
         derm_store_audit (self, "reset", "aftercare-template", protocol_id, "", error);
}

gboolean
derm_store_reset_aftercare_template (DermStore  *self,
                                     gint64      protocol_id,
                                     GError    **error)
{
  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);

  return derm_store_write (self, aftercare_reset_write, &protocol_id, error);
}

gboolean
derm_store_get_treatment_protocol (DermStore  *self,
                                   gint64      treatment_id,
                                   gint64     *protocol_id,
                                   char      **protocol_name,
                                   GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  char *name = NULL;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                             "SELECT coalesce (s.protocol_id, 0), s.protocol_name "
                             "FROM appointments a JOIN series s ON s.id = a.series_id "
                             "WHERE a.treatment_id = ?1 ORDER BY a.start_utc LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, treatment_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      name = g_strdup (derm_sql_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  if (protocol_id != NULL)
    *protocol_id = id;
  if (protocol_name != NULL)
    *protocol_name = name;
  else
    g_free (name);
  return TRUE;
}

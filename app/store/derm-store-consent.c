/* derm-store-consent.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Consent form versions and signed forms (schema step 12 -> 13).
 */
#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "derm-store-consent.h"
#include "derm-store-private.h"
#include "derm-validate.h"

#define TEMPLATE_COLUMNS "id, protocol_id, version, title, body, created_at"

static DermConsentTemplate *
template_from_row (sqlite3_stmt *stmt)
{
  DermConsentTemplate *t = derm_consent_template_new (sqlite3_column_int64 (stmt, 1),
                                                      derm_sql_column_text (stmt, 3),
                                                      derm_sql_column_text (stmt, 4));

  derm_consent_template_set_id (t, sqlite3_column_int64 (stmt, 0));
  derm_consent_template_set_version (t, (guint) sqlite3_column_int (stmt, 2));
  derm_consent_template_set_created_at (t, derm_sql_column_text (stmt, 5));
  return t;
}

static GPtrArray *
list_templates_locked (DermStore   *self,
                       gint64       protocol_id,
                       int          limit,
                       GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self,
                             "SELECT " TEMPLATE_COLUMNS " FROM consent_templates WHERE protocol_id = ?1 "
                             "ORDER BY version DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, protocol_id);
  sqlite3_bind_int (stmt, 2, limit);
  return derm_store_collect_rows (self, stmt, (DermStoreRowFunc) template_from_row, error);
}

DermConsentTemplate *
derm_store_get_consent_template (DermStore  *self,
                                 gint64      protocol_id,
                                 GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GPtrArray) templates = NULL;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  templates = list_templates_locked (self, protocol_id, 1, error);
  if (templates == NULL)
    return NULL;
  if (templates->len == 0)
    return derm_consent_template_new_default (protocol_id);
  return g_object_ref (g_ptr_array_index (templates, 0));
}

GPtrArray *
derm_store_list_consent_templates (DermStore  *self,
                                   gint64      protocol_id,
                                   GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  return list_templates_locked (self, protocol_id, -1, error);
}

DermConsentTemplate *
derm_store_get_consent_template_by_id (DermStore  *self,
                                       gint64      id,
                                       GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self, "SELECT " TEMPLATE_COLUMNS " FROM consent_templates WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  return derm_store_fetch_row (self, stmt, (DermStoreRowFunc) template_from_row,
                               _("consent form version"), id, error);
}

typedef struct
{
  DermConsentTemplate *template_;
  const char          *now;
  gint64               id;        /* out */
  guint                version;   /* out */
  char                *created_at;/* out */
} TemplateWrite;

/* Stores w->template_ as the next version unless the latest has the same text */
static gboolean
template_write_locked (DermStore      *self,
                       TemplateWrite  *w,
                       GError        **error)
{
  DermConsentTemplate *t = w->template_;
  gint64 protocol_id = derm_consent_template_get_protocol_id (t);
  g_autoptr (GPtrArray) latest = NULL;
  sqlite3_stmt *stmt;
  guint version = 1;

  if (!derm_store_protocol_exists_locked (self, protocol_id, error))
    return FALSE;
  latest = list_templates_locked (self, protocol_id, 1, error);
  if (latest == NULL)
    return FALSE;
  if (latest->len > 0)
    {
      DermConsentTemplate *last = g_ptr_array_index (latest, 0);

      if (g_str_equal (derm_consent_template_get_title (last), derm_consent_template_get_title (t)) &&
          g_str_equal (derm_consent_template_get_body (last), derm_consent_template_get_body (t)))
        {
          w->id = derm_consent_template_get_id (last);
          w->version = derm_consent_template_get_version (last);
          w->created_at = g_strdup (derm_consent_template_get_created_at (last));
          return TRUE;
        }
      version = derm_consent_template_get_version (last) + 1;
    }
  stmt = derm_store_prepare (self,
                             "INSERT INTO consent_templates (protocol_id, version, title, body, created_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, protocol_id);
  sqlite3_bind_int (stmt, 2, (int) version);
  derm_sql_bind_text (stmt, 3, derm_consent_template_get_title (t));
  derm_sql_bind_text (stmt, 4, derm_consent_template_get_body (t));
  derm_sql_bind_text (stmt, 5, w->now);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  w->id = sqlite3_last_insert_rowid (self->db);
  w->version = version;
  w->created_at = g_strdup (w->now);
  return derm_store_audit (self, "create", "consent-template", w->id, "protocol_id,version,title,body", error);
}

static gboolean
save_template_write (DermStore  *self,
                     gpointer    data,
                     GError    **error)
{
  return template_write_locked (self, data, error);
}

static void
template_apply (TemplateWrite *w)
{
  derm_consent_template_set_id (w->template_, w->id);
  derm_consent_template_set_version (w->template_, w->version);
  derm_consent_template_set_created_at (w->template_, w->created_at);
}

gboolean
derm_store_save_consent_template (DermStore            *self,
                                  DermConsentTemplate  *template_,
                                  GError              **error)
{
  g_autofree char *now = derm_store_now_iso ();
  TemplateWrite w = { template_, now, 0, 0, NULL };
  gboolean ok;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_CONSENT_TEMPLATE (template_), FALSE);

  if (!derm_consent_template_validate (template_, error))
    return FALSE;
  ok = derm_store_write (self, save_template_write, &w, error);
  if (ok)
    template_apply (&w);
  g_free (w.created_at);
  return ok;
}

/* --- signed forms ------------------------------------------------------ */

#define FORM_COLUMNS \
  "f.id, f.client_id, f.template_id, t.protocol_id, t.version, t.title, f.protocol_name, f.signer, " \
  "f.practitioner, f.signed_on, f.method, f.sha256, f.created_at"
#define FORM_FROM " FROM consent_forms f JOIN consent_templates t ON t.id = f.template_id "

static DermConsentForm *
form_from_row (sqlite3_stmt *stmt)
{
  DermConsentForm *form = derm_consent_form_new ();
  DermConsentMethod method = DERM_CONSENT_SIGNED_ON_SCREEN;

  derm_consent_form_set_id (form, sqlite3_column_int64 (stmt, 0));
  derm_consent_form_set_client_id (form, sqlite3_column_int64 (stmt, 1));
  derm_consent_form_set_template_id (form, sqlite3_column_int64 (stmt, 2));
  derm_consent_form_set_protocol_id (form, sqlite3_column_int64 (stmt, 3));
  derm_consent_form_set_version (form, (guint) sqlite3_column_int (stmt, 4));
  derm_consent_form_set_title (form, derm_sql_column_text (stmt, 5));
  derm_consent_form_set_protocol_name (form, derm_sql_column_text (stmt, 6));
  derm_consent_form_set_signer (form, derm_sql_column_text (stmt, 7));
  derm_consent_form_set_practitioner (form, derm_sql_column_text (stmt, 8));
  derm_consent_form_set_signed_on (form, derm_sql_column_text (stmt, 9));
  derm_consent_method_from_key (derm_sql_column_text (stmt, 10), &method);
  derm_consent_form_set_method (form, method);
  derm_consent_form_set_sha256 (form, derm_sql_column_text (stmt, 11));
  derm_consent_form_set_created_at (form, derm_sql_column_text (stmt, 12));
  return form;
}

typedef struct
{
  DermConsentForm *form;
  TemplateWrite    template_write;
  const char      *required_file;
  gint64           id;            /* out */
} FormWrite;

static gboolean
add_form_write (DermStore  *self,
                gpointer    data,
                GError    **error)
{
  FormWrite *w = data;
  DermConsentForm *form = w->form;
  gint64 client_id = derm_consent_form_get_client_id (form);
  gint64 screening_id = 0;
  sqlite3_stmt *stmt;
  int rc;

  if (!derm_store_client_exists_locked (self, client_id, error) ||
      !template_write_locked (self, &w->template_write, error))
    return FALSE;
  /* The write lock is held: the PDF cannot be erased before the commit */
  if (w->required_file != NULL && !g_file_test (w->required_file, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_IO,
                   _("The stored copy of the signed form disappeared before it was recorded. Sign it again."));
      return FALSE;
    }
  stmt = derm_store_prepare (self,
                             "INSERT INTO consent_forms (client_id, template_id, protocol_name, signer, practitioner, "
                             "  signed_on, method, sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  sqlite3_bind_int64 (stmt, 2, w->template_write.id);
  derm_sql_bind_text (stmt, 3, derm_consent_form_get_protocol_name (form));
  derm_sql_bind_text (stmt, 4, derm_consent_form_get_signer (form));
  derm_sql_bind_text (stmt, 5, derm_consent_form_get_practitioner (form));
  derm_sql_bind_text (stmt, 6, derm_consent_form_get_signed_on (form));
  derm_sql_bind_text (stmt, 7, derm_consent_method_to_key (derm_consent_form_get_method (form)));
  derm_sql_bind_text (stmt, 8, derm_consent_form_get_sha256 (form));
  derm_sql_bind_text (stmt, 9, w->template_write.now);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  w->id = sqlite3_last_insert_rowid (self->db);
  if (!derm_store_audit (self, "create", "consent-form", w->id, NULL, error))
    return FALSE;

  /* The latest screening's consent answer now points at this form */
  stmt = derm_store_prepare (self,
                             "SELECT id FROM screenings WHERE client_id = ?1 ORDER BY date DESC, id DESC LIMIT 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    screening_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  if (screening_id == 0)
    return TRUE;
  stmt = derm_store_prepare (self,
                             "INSERT INTO screening_answers (screening_id, question, answer, details, date, consent_form_id) "
                             "VALUES (?1, 'consent', 'yes', NULL, ?2, ?3) "
                             "ON CONFLICT (screening_id, question) DO UPDATE SET answer = 'yes', details = NULL, "
                             "  date = excluded.date, consent_form_id = excluded.consent_form_id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, screening_id);
  derm_sql_bind_text (stmt, 2, derm_consent_form_get_signed_on (form));
  sqlite3_bind_int64 (stmt, 3, w->id);
  return derm_store_step_done (self, stmt, error) &&
         derm_store_audit (self, "update", "screening", screening_id, "consent", error);
}

gboolean
derm_store_add_consent_form (DermStore            *self,
                             DermConsentForm      *form,
                             DermConsentTemplate  *template_,
                             const char           *required_file,
                             GError              **error)
{
  g_autofree char *now = derm_store_now_iso ();
  FormWrite w = { form, { template_, now, 0, 0, NULL }, required_file, 0 };
  gboolean ok;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_CONSENT_FORM (form), FALSE);
  g_return_val_if_fail (DERM_IS_CONSENT_TEMPLATE (template_), FALSE);
  g_return_val_if_fail (derm_consent_form_get_id (form) == 0, FALSE);

  if (!derm_validate_name (derm_consent_form_get_signer (form), error) ||
      !derm_validate_line (_("Practitioner"), derm_consent_form_get_practitioner (form), error) ||
      !derm_validate_date (_("Signed on"), derm_consent_form_get_signed_on (form), DERM_DATE_NOT_FUTURE, TRUE, NULL, error) ||
      !derm_consent_template_validate (template_, error))
    return FALSE;
  if (strlen (derm_consent_form_get_sha256 (form)) != 64)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("The signed form has no valid SHA-256. Sign it again."));
      return FALSE;
    }
  ok = derm_store_write (self, add_form_write, &w, error);
  if (ok)
    {
      template_apply (&w.template_write);
      derm_consent_form_set_id (form, w.id);
      derm_consent_form_set_template_id (form, w.template_write.id);
      derm_consent_form_set_protocol_id (form, derm_consent_template_get_protocol_id (template_));
      derm_consent_form_set_version (form, w.template_write.version);
      derm_consent_form_set_title (form, derm_consent_template_get_title (template_));
      derm_consent_form_set_created_at (form, now);
    }
  g_free (w.template_write.created_at);
  return ok;
}

DermConsentForm *
derm_store_get_consent_form (DermStore  *self,
                             gint64      id,
                             GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self, "SELECT " FORM_COLUMNS FORM_FROM "WHERE f.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  return derm_store_fetch_row (self, stmt, (DermStoreRowFunc) form_from_row,
                               _("signed consent form"), id, error);
}

GPtrArray *
derm_store_list_consent_forms (DermStore  *self,
                               gint64      client_id,
                               GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                             "SELECT " FORM_COLUMNS FORM_FROM "WHERE ?1 = 0 OR f.client_id = ?1 "
                             "ORDER BY f.signed_on DESC, f.id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  return derm_store_collect_rows (self, stmt, (DermStoreRowFunc) form_from_row, error);
}

/* --- the consent finding ----------------------------------------------- */

char *
derm_store_consent_problem_locked (DermStore  *self,
                                   gint64      client_id,
                                   GError    **error)
{
  g_autoptr (GString) problem = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  /* The protocols the client is being treated under (their active
   * series; sessions outside a series when there is none), each with the
   * latest version of its form and the latest version the client signed */
  stmt = derm_store_prepare (self,
                             "SELECT p.pid, coalesce ((SELECT name FROM protocols WHERE id = p.pid), ''), "
                             "  (SELECT max (version) FROM consent_templates WHERE protocol_id = p.pid), "
                             "  (SELECT max (t.version) FROM consent_forms f JOIN consent_templates t ON t.id = f.template_id "
                             "   WHERE f.client_id = ?1 AND t.protocol_id = p.pid) "
                             "FROM (SELECT DISTINCT coalesce (protocol_id, 0) AS pid FROM series "
                             "      WHERE client_id = ?1 AND status = 'active' "
                             "      UNION SELECT 0 WHERE NOT EXISTS "
                             "        (SELECT 1 FROM series WHERE client_id = ?1 AND status = 'active')) p "
                             "ORDER BY p.pid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = derm_sql_column_text (stmt, 1);
      g_autofree char *what = NULL;
      int latest, signed_version;

      if (sqlite3_column_type (stmt, 2) == SQLITE_NULL)
        continue;  /* no form kept for this protocol: the consent answer decides */
      latest = sqlite3_column_int (stmt, 2);
      signed_version = sqlite3_column_type (stmt, 3) == SQLITE_NULL ? 0 : sqlite3_column_int (stmt, 3);
      if (signed_version >= latest)
        continue;
      what = *name != '\0' ? g_strdup_printf (_("the consent form for %s"), name)
                           : g_strdup (_("the consent form for sessions outside a series"));
      if (problem->len > 0)
        g_string_append_c (problem, ' ');
      if (signed_version == 0)
        g_string_append_printf (problem, _("No signed copy of %s (version %d) is stored. Have it signed before treating."),
                                what, latest);
      else
        g_string_append_printf (problem, _("The client signed version %d of %s; it has changed since (version %d). "
                                           "Have the current form signed before treating."),
                                signed_version, what, latest);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&problem), FALSE);
}

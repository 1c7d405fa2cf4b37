/* test-consent.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Consent forms (versioned templates, signed on screen or on paper,
 * stored as PDFs checked with poppler-utils, verified by hash, the
 * screening's consent caution) and photo-use consent (clinical record,
 * education, marketing) with its check before every export, through the
 * store and through dermis-cli.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "derm-consent-document.h"
#include "derm-finding.h"
#include "derm-photo-use.h"
#include "derm-screening-rules.h"
#include "derm-store-consent.h"
#include "derm-store-photos.h"
#include "derm-store-planner.h"
#include "derm-store-private.h"
#include "derm-test-utils.h"
#include "derm-validate.h"

typedef struct
{
  DermTestStore t;
  gint64        client_id;
  DermPhoto    *photo;
} Fixture;

static void
paint_skin (int      x,
            int      y,
            guint8   rgb[3],
            gpointer user_data)
{
  rgb[0] = (guint8) (180 + (x * 7 + y * 3) % 40);
  rgb[1] = (guint8) (120 + (x + y) % 30);
  rgb[2] = (guint8) (100 + (x * y) % 20);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;

  derm_test_store_set_up (&f->t, "consent");
  f->client_id = derm_test_add_client (f->t.store, "Ada Lovelace");
  path = derm_test_make_image (f->t.files_dir, "front.jpg", 320, 240, paint_skin, NULL);
  f->photo = derm_test_import (f->t.library, f->client_id, path, 0, DERM_PHOTO_VIEW_FRONT);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->photo);
  derm_test_store_tear_down (&f->t);
}

static int run_cli (Fixture *f, char **out, char **err, ...) G_GNUC_NULL_TERMINATED;

static int
run_cli (Fixture  *f,
         char    **out,
         char    **err,
         ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  g_ptr_array_add (args, (gpointer) "--data-dir");
  g_ptr_array_add (args, f->t.data_dir);
  va_start (ap, err);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return derm_test_run_cli ((const char * const *) args->pdata, NULL, out, err);
}

/* The audit entries of @action, newest first */
static guint
count_audit (DermStore  *store,
             const char *action,
             char      **last_fields)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) audit = derm_store_list_audit (store, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      const char *entry_action, *fields;

      g_variant_get (g_ptr_array_index (audit, i), "(x&s&s&sx&s)", NULL, NULL, &entry_action, NULL, NULL, &fields);
      if (g_str_equal (entry_action, action))
        {
          if (n == 0 && last_fields != NULL)
            *last_fields = g_strdup (fields);
          n++;
        }
    }
  return n;
}

/* --- photo use ----------------------------------------------------------- */

static void
test_photo_use_levels (void)
{
  DermPhotoUse use;

  /* each level includes the ones before it, never the ones after */
  g_assert_true (derm_photo_use_allows (DERM_PHOTO_USE_CLINICAL, DERM_PHOTO_USE_CLINICAL));
  g_assert_false (derm_photo_use_allows (DERM_PHOTO_USE_CLINICAL, DERM_PHOTO_USE_EDUCATION));
  g_assert_false (derm_photo_use_allows (DERM_PHOTO_USE_CLINICAL, DERM_PHOTO_USE_MARKETING));
  g_assert_true (derm_photo_use_allows (DERM_PHOTO_USE_EDUCATION, DERM_PHOTO_USE_EDUCATION));
  g_assert_false (derm_photo_use_allows (DERM_PHOTO_USE_EDUCATION, DERM_PHOTO_USE_MARKETING));
  g_assert_true (derm_photo_use_allows (DERM_PHOTO_USE_MARKETING, DERM_PHOTO_USE_EDUCATION));
  g_assert_true (derm_photo_use_allows (DERM_PHOTO_USE_MARKETING, DERM_PHOTO_USE_CLINICAL));
  g_assert_true (derm_photo_use_from_key ("Marketing", &use));
  g_assert_cmpint (use, ==, DERM_PHOTO_USE_MARKETING);
  g_assert_false (derm_photo_use_from_key ("instagram", &use));
  g_assert_false (derm_photo_use_from_key (NULL, &use));
}

static DermPhoto *
reload (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  DermPhoto *photo = derm_store_get_photo (f->t.store, derm_photo_get_id (f->photo), &error);

  g_assert_no_error (error);
  return photo;
}

static void
test_photo_use_follows_client (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPhoto) photo = NULL;
  DermPhotoUse use;

  /* a new client and their photos: the clinical record only */
  g_assert_cmpint (derm_photo_get_use (f->photo), ==, DERM_PHOTO_USE_CLINICAL);
  g_assert_false (derm_photo_get_use_is_own (f->photo));

  g_assert_true (derm_store_set_client_photo_use (f->t.store, f->client_id, DERM_PHOTO_USE_EDUCATION, &error));
  g_assert_no_error (error);
  g_assert_true (derm_store_get_client_photo_use (f->t.store, f->client_id, &use, &error));
  g_assert_cmpint (use, ==, DERM_PHOTO_USE_EDUCATION);
  photo = reload (f);
  g_assert_cmpint (derm_photo_get_use (photo), ==, DERM_PHOTO_USE_EDUCATION);
  g_assert_false (derm_photo_get_use_is_own (photo));
  g_clear_object (&photo);

  /* the photo's own consent wins over the client's, both ways */
  g_assert_true (derm_store_set_photo_use (f->t.store, derm_photo_get_id (f->photo), TRUE,
                                           DERM_PHOTO_USE_CLINICAL, &error));
  photo = reload (f);
  g_assert_cmpint (derm_photo_get_use (photo), ==, DERM_PHOTO_USE_CLINICAL);
  g_assert_true (derm_photo_get_use_is_own (photo));
  g_clear_object (&photo);

  /* and can be given back to the client's */
  g_assert_true (derm_store_set_photo_use (f->t.store, derm_photo_get_id (f->photo), FALSE,
                                           DERM_PHOTO_USE_CLINICAL, &error));
  photo = reload (f);
  g_assert_cmpint (derm_photo_get_use (photo), ==, DERM_PHOTO_USE_EDUCATION);
  g_assert_false (derm_photo_get_use_is_own (photo));

  /* unknown records */
  g_assert_false (derm_store_set_photo_use (f->t.store, 999, TRUE, DERM_PHOTO_USE_MARKETING, &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (derm_store_set_client_photo_use (f->t.store, 999, DERM_PHOTO_USE_MARKETING, &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
}

static void
test_photo_use_check_export (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) photos = g_ptr_array_new ();
  g_autofree char *fields = NULL;

  g_ptr_array_add (photos, f->photo);

  /* covered: nothing asked, nothing logged */
  g_assert_true (derm_photo_use_check_export (f->t.store, photos, DERM_PHOTO_USE_CLINICAL, FALSE, "report", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_audit (f->t.store, "override-photo-use", NULL), ==, 0);

  /* not covered: refused without the override, and nothing logged */
  g_assert_false (derm_photo_use_check_export (f->t.store, photos, DERM_PHOTO_USE_MARKETING, FALSE, "report", &error));
  g_assert_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_NOT_CONSENTED);
  g_assert_nonnull (strstr (error->message, "marketing"));
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);
  g_assert_cmpuint (count_audit (f->t.store, "override-photo-use", NULL), ==, 0);

  /* overridden: allowed and logged with the use and the kind of export */
  g_assert_true (derm_photo_use_check_export (f->t.store, photos, DERM_PHOTO_USE_MARKETING, TRUE, "report", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_audit (f->t.store, "override-photo-use", &fields), ==, 1);
  g_assert_cmpstr (fields, ==, "use=marketing; export=report");
}

static void
test_photo_use_cli (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, derm_photo_get_id (f->photo));
  g_autofree char *client = g_strdup_printf ("%" G_GINT64_FORMAT, f->client_id);
  g_autofree char *dest = g_build_filename (f->t.dir, "for-the-website.jpg", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (!derm_test_have_cli ())
    {
      g_test_skip ("dermis-cli not built");
      return;
    }

  /* marketing without the client's consent: refused, nothing written */
  g_assert_cmpint (run_cli (f, &out, &err, "photo", "export", id, dest, "--use", "marketing", NULL), ==, 4);
  g_assert_nonnull (strstr (err, "--override-consent"));
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  /* a use that is not one */
  g_assert_cmpint (run_cli (f, NULL, NULL, "photo", "export", id, dest, "--use", "tiktok", NULL), ==, 2);

  /* the clinical record is always covered */
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "photo", "export", id, dest, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"photo_use\" : \"clinical\""));
  g_assert_nonnull (strstr (out, "\"consent_overridden\" : false"));
  g_unlink (dest);
  g_clear_pointer (&out, g_free);

  /* overridden explicitly: exported and logged */
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "photo", "export", id, dest, "--use", "marketing",
                            "--override-consent", NULL), ==, 0);
  g_assert_true (g_file_test (dest, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (out, "\"consent_overridden\" : true"));
  g_assert_cmpuint (count_audit (f->t.store, "override-photo-use", NULL), ==, 1);
  g_unlink (dest);
  g_clear_pointer (&out, g_free);

  /* the client consents to marketing: no override needed, none logged */
  g_assert_cmpint (run_cli (f, &out, NULL, "client", "photo-use", client, "marketing", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, NULL, NULL, "photo", "export", id, dest, "--use", "marketing", NULL), ==, 0);
  g_assert_cmpuint (count_audit (f->t.store, "override-photo-use", NULL), ==, 1);
  g_unlink (dest);

  /* this photo is withdrawn from marketing: refused again */
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "photo", "consent", id, "education", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"photo_use_from\" : \"photo\""));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, NULL, NULL, "photo", "export", id, dest, "--use", "marketing", NULL), ==, 4);
  g_assert_cmpint (run_cli (f, NULL, NULL, "photo", "export", id, dest, "--use", "education", NULL), ==, 0);
  g_unlink (dest);

  /* the listing carries the consent */
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "photo", "list", client, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"photo_use\" : \"education\""));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "client", "show", client, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"photo_use\" : \"marketing\""));
}

/* The progress report names its use; a client with no photo-use consent
 * (the clinical record only) gets a report for the record and nothing
 * else without an override, which is logged */
static void
test_report_use_cli (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *client = g_strdup_printf ("%" G_GINT64_FORMAT, f->client_id);
  g_autofree char *dest = g_build_filename (f->t.dir, "report.pdf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *fields = NULL;

  if (!derm_test_have_cli ())
    {
      g_test_skip ("dermis-cli not built");
      return;
    }

  /* education for a client who agreed to nothing more than the record:
   * refused in one line naming the photo, nothing written, nothing logged */
  g_assert_cmpint (run_cli (f, NULL, &err, "report", client, "--out", dest, "--use", "education", NULL), ==, 4);
  g_assert_nonnull (strstr (err, "education"));
  g_assert_nonnull (strstr (err, "--override-consent"));
  g_assert_cmpuint (strchr (err, '\n') - err + 1, ==, strlen (err));
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_audit (f->t.store, "override-photo-use", NULL), ==, 0);
  g_clear_pointer (&err, g_free);

  /* a use that is not one */
  g_assert_cmpint (run_cli (f, NULL, NULL, "report", client, "--out", dest, "--use", "poster", NULL), ==, 2);

  /* the clinical record, the default, is always covered */
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "report", client, "--out", dest, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"use\" : \"clinical\""));
  g_assert_nonnull (strstr (out, "\"consent_overridden\" : false"));
  g_assert_true (g_file_test (dest, G_FILE_TEST_IS_REGULAR));
  g_unlink (dest);
  g_clear_pointer (&out, g_free);

  /* overridden: written and logged as a report */
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "report", client, "--out", dest, "--use", "marketing",
                            "--override-consent", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"consent_overridden\" : true"));
  g_assert_true (g_file_test (dest, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_audit (f->t.store, "override-photo-use", &fields), ==, 1);
  g_assert_cmpstr (fields, ==, "use=marketing; export=report");
  g_unlink (dest);
  g_clear_pointer (&out, g_free);

  /* the client agrees to education: that report needs no override */
  g_assert_cmpint (run_cli (f, NULL, NULL, "client", "photo-use", client, "education", NULL), ==, 0);
  g_assert_cmpint (run_cli (f, NULL, NULL, "report", client, "--out", dest, "--use", "education", NULL), ==, 0);
  g_unlink (dest);
  g_assert_cmpint (run_cli (f, NULL, NULL, "report", client, "--out", dest, "--use", "marketing", NULL), ==, 4);
  g_assert_cmpuint (count_audit (f->t.store, "override-photo-use", NULL), ==, 1);
}

/* --- consent forms ------------------------------------------------------- */

static char *
today_iso (void)
{
  GDate today;

  derm_date_today (&today);
  return derm_date_format (&today);
}

/* A signature of two strokes, as the pad records them */
static DermSignature *
make_signature (double shift)
{
  DermSignature *s = derm_signature_new (480, 180);

  derm_signature_begin_stroke (s, 40, 120, 0.8);
  for (int i = 1; i <= 40; i++)
    derm_signature_add_point (s, 40 + i * 8, 120 - 50 * sin (i / (4.0 + shift)), 0.5 + i / 80.0);
  derm_signature_begin_stroke (s, 120, 60, 1.0);
  derm_signature_add_point (s, 200 + 60 * shift, 140, 1.0);
  return s;
}

static char *
run_tool (const char *program,
          ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = 0;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) program);
  va_start (ap, program);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* Each of @needles found in @text, in this order */
static void
assert_in_order (const char         *text,
                 const char * const *needles)
{
  const char *at = text;

  for (guint i = 0; needles[i] != NULL; i++)
    {
      const char *found = strstr (at, needles[i]);

      if (found == NULL)
        g_error ("“%s” not found (in order) in:\n%s", needles[i], text);
      at = found + strlen (needles[i]);
    }
}

static DermConsentForm *
sign (Fixture             *f,
      DermConsentTemplate *t,
      DermSignature       *signature,
      const char          *scan,
      GError             **error)
{
  g_autofree char *today = today_iso ();
  DermConsentSigning signing = { f->client_id, t, "Ada Lovelace", "Dr Grace Hopper", today, signature, scan };

  return derm_consent_sign (f->t.library, &signing, error);
}

static void
test_template_versions (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermConsentTemplate) builtin = derm_store_get_consent_template (f->t.store, 1, &error);
  g_autoptr (DermConsentTemplate) edit = NULL;
  g_autoptr (DermConsentTemplate) same = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (DermConsentTemplate) empty = derm_consent_template_new (1, "Consent", "  ");

  /* never edited: the built-in form, version 0 */
  g_assert_no_error (error);
  g_assert_cmpuint (derm_consent_template_get_version (builtin), ==, 0);
  g_assert_nonnull (strstr (derm_consent_template_get_body (builtin), "microneedling"));

  edit = derm_consent_template_new (1, "Consent to microneedling", "First text.");
  g_assert_true (derm_store_save_consent_template (f->t.store, edit, &error));
  g_assert_cmpuint (derm_consent_template_get_version (edit), ==, 1);
  /* saving the same text makes no new version */
  same = derm_consent_template_new (1, "Consent to microneedling", "First text.");
  g_assert_true (derm_store_save_consent_template (f->t.store, same, &error));
  g_assert_cmpuint (derm_consent_template_get_version (same), ==, 1);
  g_assert_cmpint (derm_consent_template_get_id (same), ==, derm_consent_template_get_id (edit));
  /* an edit is a new version; the old one keeps its text */
  derm_consent_template_set_body (same, "Second text.");
  g_assert_true (derm_store_save_consent_template (f->t.store, same, &error));
  g_assert_cmpuint (derm_consent_template_get_version (same), ==, 2);
  all = derm_store_list_consent_templates (f->t.store, 1, &error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (derm_consent_template_get_body (g_ptr_array_index (all, 1)), ==, "First text.");
  /* versions are never changed in place, even by hand */
  g_assert_cmpint (sqlite3_exec (derm_store_get_db (f->t.store),
                                 "UPDATE consent_templates SET body = 'tampered'", NULL, NULL, NULL), !=, SQLITE_OK);

  /* bad input: nothing stored */
  g_assert_false (derm_store_save_consent_template (f->t.store, empty, &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED);
  g_clear_error (&error);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = derm_store_list_consent_templates (f->t.store, 1, &error);
  g_assert_cmpuint (all->len, ==, 2);
  {
    g_autoptr (DermConsentTemplate) nowhere = derm_consent_template_new (999, "Consent", "Text.");

    g_assert_false (derm_store_save_consent_template (f->t.store, nowhere, &error));
    g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
  }
}

static DermProtocol *
add_protocol (Fixture    *f,
              const char *name)
{
  g_autoptr (GError) error = NULL;
  DermProtocol *protocol = derm_protocol_new ();

  derm_protocol_set_name (protocol, name);
  derm_protocol_set_sessions (protocol, 3);
  derm_protocol_set_interval_weeks (protocol, 4);
  derm_protocol_set_min_interval_weeks (protocol, 3);
  derm_protocol_set_max_interval_weeks (protocol, 6);
  derm_protocol_set_duration_minutes (protocol, 45);
  g_assert_true (derm_store_add_protocol (f->t.store, protocol, &error));
  g_assert_no_error (error);
  return protocol;
}

/* A deleted protocol: the forms signed under it stay readable with the
 * text they were signed under; its form is offered for nothing new, and a
 * protocol made later never inherits it (a reused id would have made the
 * old text the new protocol's form and the old signatures count for it) */
static void
test_deleted_protocol (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermProtocol) peel = add_protocol (f, "Chemical peel");
  gint64 peel_id = derm_protocol_get_id (peel);
  g_autoptr (DermConsentTemplate) t = derm_consent_template_new (peel_id, "Consent to a peel", "Peel text.");
  g_autoptr (DermSignature) signature = make_signature (0);
  g_autoptr (DermConsentForm) form = NULL;
  g_autoptr (DermConsentForm) read = NULL;
  g_autoptr (DermProtocol) laser = NULL;
  g_autoptr (DermConsentTemplate) laser_form = NULL;
  g_autoptr (GPtrArray) versions = NULL;
  g_autoptr (DermConsentTemplate) again = NULL;

  g_assert_true (derm_store_save_consent_template (f->t.store, t, &error));
  form = sign (f, t, signature, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (derm_store_delete_protocol (f->t.store, peel_id, &error));

  /* the signed form and its version are still there, with their text */
  read = derm_store_get_consent_form (f->t.store, derm_consent_form_get_id (form), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_consent_form_get_title (read), ==, "Consent to a peel");
  g_assert_cmpstr (derm_consent_form_get_protocol_name (read), ==, "Chemical peel");
  versions = derm_store_list_consent_templates (f->t.store, peel_id, &error);
  g_assert_cmpuint (versions->len, ==, 1);
  g_assert_cmpstr (derm_consent_template_get_body (g_ptr_array_index (versions, 0)), ==, "Peel text.");

  /* nothing new under the deleted protocol: no version, no signature */
  again = derm_consent_template_new (peel_id, "Consent to a peel", "Other text.");
  g_assert_false (derm_store_save_consent_template (f->t.store, again, &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr (DermSignature) s2 = make_signature (1);
    g_autoptr (DermConsentForm) refused = sign (f, t, s2, NULL, &error);

    g_assert_null (refused);
    g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* the next protocol (the deleted one had the highest id) starts afresh */
  laser = add_protocol (f, "Laser toning");
  g_assert_cmpint (derm_protocol_get_id (laser), >, peel_id);
  laser_form = derm_store_get_consent_template (f->t.store, derm_protocol_get_id (laser), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (derm_consent_template_get_version (laser_form), ==, 0);
  g_assert_cmpstr (derm_consent_template_get_body (laser_form), !=, "Peel text.");
}

static void
test_sign_on_screen (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermConsentTemplate) t = derm_store_get_consent_template (f->t.store, 0, &error);
  g_autoptr (DermSignature) signature = make_signature (0);
  g_autoptr (DermSignature) other = make_signature (1.5);
  g_autoptr (DermConsentForm) form = NULL;
  g_autoptr (DermConsentForm) form2 = NULL;
  g_autoptr (DermConsentTemplate) edit = NULL;
  g_autoptr (GPtrArray) forms = NULL;
  g_autoptr (GPtrArray) orphans = NULL;
  g_autofree char *path = NULL;
  g_autofree char *path2 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *today = today_iso ();
  g_autofree char *day = derm_date_format_display (today, TRUE);
  g_autofree char *page1 = NULL;
  g_autofree char *page2 = NULL;
  gsize size, size2;
  gsize differing = 0;
  const char *expected[] = { "Consent to microneedling treatment", "Client", "Ada Lovelace",
                             "Treatment", "Sessions outside a series", "Form version", "1",
                             "I have been told what microneedling is", "Signature", "Signed by", "Ada Lovelace",
                             "Date", NULL, "Practitioner", "Dr Grace Hopper", "On screen", NULL };

  expected[12] = day;
  form = sign (f, t, signature, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (form);
  /* the built-in form is stored as version 1 when first signed */
  g_assert_cmpuint (derm_consent_form_get_version (form), ==, 1);
  g_assert_cmpuint (derm_consent_template_get_version (t), ==, 1);
  g_assert_cmpint (derm_consent_form_get_method (form), ==, DERM_CONSENT_SIGNED_ON_SCREEN);

  /* stored content-addressed, read-only, beside the photos */
  path = derm_consent_form_get_path (f->t.library, form);
  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, size);
  g_assert_cmpstr (actual, ==, derm_consent_form_get_sha256 (form));
  g_assert_true (g_str_has_prefix (path, f->t.data_dir));
  g_assert_false (g_access (path, W_OK) == 0 && getuid () != 0);
  /* and not taken for an orphan photo */
  orphans = derm_photo_library_recover (f->t.library, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orphans->len, ==, 0);

  text = run_tool ("pdftotext", "-layout", path, "-", NULL);
  assert_in_order (text, expected);

  /* the strokes are drawn: another signature gives another page */
  form2 = sign (f, t, other, NULL, &error);
  g_assert_no_error (error);
  path2 = derm_consent_form_get_path (f->t.library, form2);
  page1 = run_tool ("pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", path, NULL);
  page2 = run_tool ("pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", path2, NULL);
  size = strlen (page1) > 0 ? 1 : 0;
  g_assert_cmpuint (size, ==, 1);
  {
    g_autofree char *p1 = NULL;
    g_autofree char *p2 = NULL;
    g_autofree char *o1 = g_build_filename (f->t.dir, "one", NULL);
    g_autofree char *o2 = g_build_filename (f->t.dir, "two", NULL);
    g_autofree char *f1 = NULL;
    g_autofree char *f2 = NULL;

    g_free (run_tool ("pdftoppm", "-gray", "-r", "40", "-singlefile", path, o1, NULL));
    g_free (run_tool ("pdftoppm", "-gray", "-r", "40", "-singlefile", path2, o2, NULL));
    f1 = g_strconcat (o1, ".pgm", NULL);
    f2 = g_strconcat (o2, ".pgm", NULL);
    g_assert_true (g_file_get_contents (f1, &p1, &size, NULL));
    g_assert_true (g_file_get_contents (f2, &p2, &size2, NULL));
    g_assert_cmpuint (size, ==, size2);
    for (gsize i = 0; i < size; i++)
      differing += ABS ((int) (guchar) p1[i] - (int) (guchar) p2[i]) > 64;
    /* only the signature differs: a few hundred pixels at 40 dpi */
    g_assert_cmpuint (differing, >, 20);
    g_assert_cmpuint (differing, <, size / 20);
  }

  /* a new version of the form: the signed one keeps its text */
  edit = derm_consent_template_new (0, "Consent to microneedling treatment", "A rewritten form.");
  g_assert_true (derm_store_save_consent_template (f->t.store, edit, &error));
  g_assert_cmpuint (derm_consent_template_get_version (edit), ==, 2);
  g_clear_pointer (&text, g_free);
  text = run_tool ("pdftotext", "-layout", path, "-", NULL);
  g_assert_nonnull (strstr (text, "I have been told what microneedling is"));
  g_assert_null (strstr (text, "rewritten"));
  forms = derm_store_list_consent_forms (f->t.store, f->client_id, &error);
  g_assert_cmpuint (forms->len, ==, 2);
  g_assert_cmpuint (derm_consent_form_get_version (g_ptr_array_index (forms, 0)), ==, 1);
  g_assert_cmpint (sqlite3_exec (derm_store_get_db (f->t.store),
                                 "UPDATE consent_forms SET signer = 'someone else'", NULL, NULL, NULL), !=, SQLITE_OK);
}

static void
test_sign_refuses (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermConsentTemplate) t = derm_store_get_consent_template (f->t.store, 0, &error);
  g_autoptr (DermSignature) tap = derm_signature_new (480, 180);
  g_autoptr (DermConsentForm) form = NULL;
  g_autoptr (GPtrArray) forms = NULL;
  g_autofree char *text = g_build_filename (f->t.files_dir, "form.jpg", NULL);

  /* a stray tap is not a signature */
  derm_signature_begin_stroke (tap, 100, 100, 1);
  derm_signature_add_point (tap, 101, 100, 1);
  g_assert_false (derm_signature_is_signed (tap));
  form = sign (f, t, tap, NULL, &error);
  g_assert_null (form);
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED);
  g_clear_error (&error);

  /* a "scan" that is not an image: the photo import's checks refuse it */
  g_assert_true (g_file_set_contents (text, "not a picture at all", -1, NULL));
  form = sign (f, t, NULL, text, &error);
  g_assert_null (form);
  g_assert_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  forms = derm_store_list_consent_forms (f->t.store, 0, &error);
  g_assert_cmpuint (forms->len, ==, 0);
  g_clear_object (&t);
  t = derm_store_get_consent_template (f->t.store, 0, &error);
  g_assert_cmpuint (derm_consent_template_get_version (t), ==, 0);
}

static void
test_consent_cli (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *client = g_strdup_printf ("%" G_GINT64_FORMAT, f->client_id);
  g_autofree char *scan = derm_test_make_image (f->t.files_dir, "signed-form.jpg", 600, 840, paint_skin, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *pdf = g_build_filename (f->t.dir, "signed.pdf", NULL);
  g_autofree char *images = NULL;
  g_autoptr (GPtrArray) forms = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize size;

  if (!derm_test_have_cli ())
    {
      g_test_skip ("dermis-cli not built");
      return;
    }

  g_assert_cmpint (run_cli (f, &out, NULL, "documents", "verify", NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  /* a signed paper form, scanned */
  g_assert_cmpint (run_cli (f, &out, &err, "--json", "consent", "import", client, scan, "--protocol", "0",
                            "--practitioner", "Dr Grace Hopper", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"method\" : \"paper\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* a file that is not a scan: refused, nothing stored */
  g_assert_cmpint (run_cli (f, NULL, &err, "consent", "import", client, f->t.dir, "--protocol", "0",
                            "--practitioner", "Dr Grace Hopper", NULL), ==, 4);
  g_assert_cmpuint (strlen (err), >, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (f, NULL, NULL, "consent", "import", client, scan, "--protocol", "0", NULL), ==, 2);

  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "consent", "list", client, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"signer\" : \"Ada Lovelace\""));
  g_clear_pointer (&out, g_free);
  forms = derm_store_list_consent_forms (f->t.store, f->client_id, &error);
  g_assert_cmpuint (forms->len, ==, 1);

  /* exported, with the scan in it */
  g_assert_cmpint (run_cli (f, NULL, NULL, "consent", "export", "1", "--out", pdf, NULL), ==, 0);
  images = run_tool ("pdfimages", "-list", pdf, NULL);
  g_assert_nonnull (strstr (images, "image"));
  g_clear_pointer (&out, g_free);
  out = run_tool ("pdftotext", "-layout", pdf, "-", NULL);
  g_assert_nonnull (strstr (out, "On paper"));

  /* one flipped byte: verification fails with exit 6 and the form is not exported */
  g_assert_cmpint (run_cli (f, NULL, NULL, "documents", "verify", NULL), ==, 0);
  path = derm_consent_form_get_path (f->t.library, g_ptr_array_index (forms, 0));
  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  contents[size / 2] ^= 0x01;
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, size, NULL));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "documents", "verify", NULL), ==, 6);
  g_assert_nonnull (strstr (out, "\"kind\" : \"mismatch\""));
  g_unlink (pdf);
  g_assert_cmpint (run_cli (f, NULL, NULL, "consent", "export", "1", "--out", pdf, NULL), ==, 6);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  /* a missing one too */
  g_unlink (path);
  g_assert_cmpint (run_cli (f, NULL, NULL, "documents", "verify", NULL), ==, 6);

  /* template commands */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "consent", "template-show", "0", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"version\" : 1"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "consent", "template-set", "0", "--title", "Consent", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"version\" : 2"));
  g_assert_cmpint (run_cli (f, NULL, NULL, "consent", "template-show", "0", "--version", "7", NULL), ==, 3);
}

/* The screening's consent answer and the finding */
static gboolean
has_consent_finding (Fixture     *f,
                     char       **reason)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermScreening) latest = derm_store_get_latest_screening (f->t.store, f->client_id, &error);
  g_autoptr (GPtrArray) findings = derm_screening_evaluate (latest, NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < findings->len; i++)
    if (g_str_equal (derm_finding_get_code (g_ptr_array_index (findings, i)), "no-consent"))
      {
        if (reason != NULL)
          *reason = g_strdup (derm_finding_get_reason (g_ptr_array_index (findings, i)));
        return TRUE;
      }
  return FALSE;
}

static void
test_consent_finding (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermScreening) screening = derm_screening_new ();
  g_autoptr (DermScreening) latest = NULL;
  g_autoptr (DermConsentTemplate) t = NULL;
  g_autoptr (DermConsentTemplate) edit = NULL;
  g_autoptr (DermSignature) signature = make_signature (0);
  g_autoptr (DermConsentForm) form = NULL;
  g_autofree char *today = today_iso ();
  g_autofree char *reason = NULL;

  derm_screening_set_client_id (screening, f->client_id);
  derm_screening_set_date (screening, today);
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    derm_screening_set_answer (screening, q, DERM_ANSWER_NO);
  derm_screening_set_answer (screening, DERM_QUESTION_CONSENT, DERM_ANSWER_YES);
  derm_screening_set_date_for (screening, DERM_QUESTION_CONSENT, today);
  g_assert_true (derm_store_add_screening (f->t.store, screening, &error));
  g_assert_no_error (error);

  /* no form kept for the protocol: the answer alone, as before */
  g_assert_false (has_consent_finding (f, NULL));

  /* a form is kept: the caution stays until it is signed */
  t = derm_consent_template_new (0, "Consent", "The text.");
  g_assert_true (derm_store_save_consent_template (f->t.store, t, &error));
  g_assert_true (has_consent_finding (f, &reason));
  g_assert_nonnull (strstr (reason, "version 1"));
  g_clear_pointer (&reason, g_free);

  /* signed: the answer links to the form and the caution goes */
  form = sign (f, t, signature, NULL, &error);
  g_assert_no_error (error);
  latest = derm_store_get_latest_screening (f->t.store, f->client_id, &error);
  g_assert_cmpint (derm_screening_get_consent_form_id (latest), ==, derm_consent_form_get_id (form));
  g_assert_cmpint (derm_screening_get_answer (latest, DERM_QUESTION_CONSENT), ==, DERM_ANSWER_YES);
  g_assert_false (has_consent_finding (f, NULL));

  /* the form changes: the old signature is no longer current */
  edit = derm_consent_template_new (0, "Consent", "The new text.");
  g_assert_true (derm_store_save_consent_template (f->t.store, edit, &error));
  g_assert_true (has_consent_finding (f, &reason));
  g_assert_nonnull (strstr (reason, "version 1"));
  g_assert_nonnull (strstr (reason, "version 2"));

  /* the same through dermis-cli */
  if (derm_test_have_cli ())
    {
      g_autofree char *client = g_strdup_printf ("%" G_GINT64_FORMAT, f->client_id);
      g_autofree char *out = NULL;

      g_assert_cmpint (run_cli (f, &out, NULL, "--json", "client", "show", client, NULL), ==, 0);
      g_assert_nonnull (strstr (out, "no-consent"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/consent/photo-use/levels", test_photo_use_levels);
  ADD ("/consent/photo-use/follows-client", test_photo_use_follows_client);
  ADD ("/consent/photo-use/check-export-logs-override", test_photo_use_check_export);
  ADD ("/consent/photo-use/cli", test_photo_use_cli);
  ADD ("/consent/photo-use/report-cli", test_report_use_cli);
  ADD ("/consent/form/template-versions", test_template_versions);
  ADD ("/consent/form/deleted-protocol", test_deleted_protocol);
  ADD ("/consent/form/sign-on-screen-pdf", test_sign_on_screen);
  ADD ("/consent/form/refuses-unsigned-and-bad-scan", test_sign_refuses);
  ADD ("/consent/form/cli-import-export-verify", test_consent_cli);
  ADD ("/consent/form/screening-caution", test_consent_finding);
#undef ADD

  return g_test_run ();
}

/* test-ui-consent.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The consent window: the form shown for the client to read, the
 * signature pad drawn on with synthesised strokes (the gestures' own
 * entry points), Clear, signing on the worker into a stored PDF that
 * lifts the screening's consent caution. Screenshot consent-pad.png.
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <glib/gstdio.h>
#include <string.h>

#include "derm-client.h"
#include "derm-client-consent-group.h"
#include "derm-consent-document.h"
#include "derm-photo-use.h"
#include "derm-store-photos.h"
#include "derm-consent-window.h"
#include "derm-finding.h"
#include "derm-screening-rules.h"
#include "derm-screening.h"
#include "derm-signature-pad.h"
#include "derm-store-consent.h"
#include "derm-test-utils.h"
#include "derm-validate.h"
#include "test-ui-util.h"

static gboolean
not_busy (gpointer data)
{
  return !derm_consent_window_get_busy (data);
}

static gboolean
has_form (gpointer data)
{
  return derm_consent_window_get_form_id (data) != 0;
}

/* A signature as a hand would draw it: a wave, lifted, then a stroke */
static void
draw_signature (DermSignaturePad *pad)
{
  derm_signature_pad_stroke_begin (pad, 60, 110, 1.0);
  for (int i = 1; i <= 60; i++)
    derm_signature_pad_stroke_to (pad, 60 + i * 5, 110 - 40 * sin (i / 5.0), 1.0);
  derm_signature_pad_stroke_end (pad);
  derm_signature_pad_stroke_begin (pad, 150, 60, 0.6);
  derm_signature_pad_stroke_to (pad, 230, 130, 0.9);
  derm_signature_pad_stroke_to (pad, 330, 80, 0.7);
  derm_signature_pad_stroke_end (pad);
}

static void
test_consent_pad (void)
{
  g_autofree char *dir = derm_test_make_data_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = derm_store_open (dir, &error);
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (DermScreening) screening = derm_screening_new ();
  g_autoptr (DermScreening) latest = NULL;
  g_autoptr (DermConsentTemplate) t = NULL;
  g_autoptr (GPtrArray) forms = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (DermClient) client = derm_client_new ();
  g_autofree char *today = NULL;
  DermConsentWindow *window;
  DermSignaturePad *pad;
  DermSignature *signature;
  gpointer weak;
  GDate day;

  g_assert_no_error (error);
  library = derm_photo_library_new (store, NULL);
  derm_client_set_name (client, "Ada Lovelace");
  g_assert_true (derm_store_add_client (store, client, &error));
  derm_date_today (&day);
  today = derm_date_format (&day);
  derm_screening_set_client_id (screening, derm_client_get_id (client));
  derm_screening_set_date (screening, today);
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    derm_screening_set_answer (screening, q, DERM_ANSWER_NO);
  derm_screening_set_answer (screening, DERM_QUESTION_CONSENT, DERM_ANSWER_YES);
  derm_screening_set_date_for (screening, DERM_QUESTION_CONSENT, today);
  g_assert_true (derm_store_add_screening (store, screening, &error));
  /* The clinic keeps its own form for sessions outside a series */
  t = derm_consent_template_new (0, "Consent to microneedling treatment",
                                 "I have been told what microneedling is and what to expect.\n\n"
                                 "I agree to the treatment and know I may stop it at any time.");
  g_assert_true (derm_store_save_consent_template (store, t, &error));

  window = derm_consent_window_new (NULL, library, derm_client_get_id (client), 0, "Dr Grace Hopper");
  /* the protocols and the form are read on the worker: until then the
   * window says so and nothing can be signed */
  g_assert_true (derm_consent_window_get_busy (window));
  g_assert_cmpuint (derm_consent_window_get_version (window), ==, 0);
  gtk_window_unfullscreen (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 820);
  gtk_window_present (GTK_WINDOW (window));
  derm_test_ui_await (not_busy, window, "the form to be read");
  derm_test_ui_await_frame (GTK_WIDGET (window));
  g_assert_cmpuint (derm_consent_window_get_version (window), ==, 1);
  g_assert_null (derm_consent_window_get_error (window));

  pad = derm_consent_window_get_pad (window);
  signature = derm_signature_pad_get_signature (pad);
  /* nothing drawn: nothing to sign or clear */
  g_assert_false (derm_signature_pad_get_signed (pad));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "consent.sign", NULL) &&
                  derm_consent_window_get_busy (window));

  /* a stray tap is not a signature */
  derm_signature_pad_stroke_begin (pad, 200, 100, 1.0);
  derm_signature_pad_stroke_end (pad);
  g_assert_false (derm_signature_pad_get_signed (pad));

  /* Clear takes everything away */
  draw_signature (pad);
  signature = derm_signature_pad_get_signature (pad);
  g_assert_true (derm_signature_pad_get_signed (pad));
  g_assert_cmpuint (derm_signature_get_n_strokes (signature), ==, 3);
  gtk_widget_activate_action (GTK_WIDGET (pad), "signature-pad.clear", NULL);
  g_assert_cmpuint (derm_signature_get_n_strokes (derm_signature_pad_get_signature (pad)), ==, 0);
  g_assert_false (derm_signature_pad_get_signed (pad));

  draw_signature (pad);
  g_assert_cmpuint (derm_signature_get_n_strokes (derm_signature_pad_get_signature (pad)), ==, 2);
  g_assert_cmpuint (derm_signature_get_n_points (derm_signature_pad_get_signature (pad)), ==, 64);
  derm_test_ui_await_frame (GTK_WIDGET (window));
  derm_test_ui_screenshot (GTK_WIDGET (window), "consent-pad");

  /* signing: on the worker, then the window closes */
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  g_object_ref (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "consent.sign", NULL));
  derm_test_ui_await (not_busy, window, "the signed form to be stored");
  derm_test_ui_await (has_form, window, "the signed form's id");
  g_assert_null (derm_consent_window_get_error (window));
  g_object_unref (window);
  derm_test_ui_await_finalized (&weak);

  forms = derm_store_list_consent_forms (store, derm_client_get_id (client), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (forms->len, ==, 1);
  g_assert_cmpstr (derm_consent_form_get_signer (g_ptr_array_index (forms, 0)), ==, "Ada Lovelace");
  g_assert_cmpstr (derm_consent_form_get_practitioner (g_ptr_array_index (forms, 0)), ==, "Dr Grace Hopper");
  g_assert_cmpuint (derm_consent_form_get_version (g_ptr_array_index (forms, 0)), ==, 1);

  /* the screening's consent answer points at it; no consent caution */
  latest = derm_store_get_latest_screening (store, derm_client_get_id (client), &error);
  g_assert_cmpint (derm_screening_get_consent_form_id (latest), ==,
                   derm_consent_form_get_id (g_ptr_array_index (forms, 0)));
  findings = derm_screening_evaluate (latest, NULL);
  for (guint i = 0; i < findings->len; i++)
    g_assert_cmpstr (derm_finding_get_code (g_ptr_array_index (findings, i)), !=, "no-consent");

  derm_test_remove_dir (dir);
}

static gboolean
group_idle (gpointer data)
{
  return !derm_client_consent_group_get_busy (data);
}

/* The client page's Consent group: a client never asked shows the
 * clinical record only; choosing a use records it on the worker with who
 * and when (and the audit log); signed forms are listed with date,
 * protocol and version and exported byte for byte as stored, and a
 * changed stored PDF is neither exported nor opened */
static void
test_client_consent_group (void)
{
  g_autofree char *dir = derm_test_make_data_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = derm_store_open (dir, &error);
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (DermClient) client = derm_client_new ();
  g_autoptr (DermConsentTemplate) t = NULL;
  g_autoptr (DermSignature) signature = derm_signature_new (480, 180);
  g_autoptr (DermConsentForm) form = NULL;
  g_autoptr (DermConsentForm) listed = NULL;
  g_autoptr (GFile) dest = NULL;
  g_autofree char *today = NULL;
  g_autofree char *dest_path = NULL;
  g_autofree char *stored_path = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *copied = NULL;
  gsize stored_len, copied_len;
  DermClientConsentGroup *group;
  GtkWindow *window;
  DermPhotoUse use;
  GDate day;

  g_assert_no_error (error);
  library = derm_photo_library_new (store, NULL);
  derm_client_set_name (client, "Ada Lovelace");
  g_assert_true (derm_store_add_client (store, client, &error));
  derm_date_today (&day);
  today = derm_date_format (&day);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 640, 420);
  group = DERM_CLIENT_CONSENT_GROUP (derm_client_consent_group_new (library));
  gtk_window_set_child (window, GTK_WIDGET (group));
  gtk_window_present (window);

  /* never asked: the clinical record only, said so */
  derm_client_consent_group_set_client_id (group, derm_client_get_id (client));
  g_assert_true (derm_client_consent_group_get_busy (group));
  derm_test_ui_await (group_idle, group, "the consent to be read");
  g_assert_cmpint (derm_client_consent_group_get_photo_use (group), ==, DERM_PHOTO_USE_CLINICAL);
  g_assert_nonnull (strstr (derm_client_consent_group_get_photo_use_note (group), "Not asked yet"));
  g_assert_cmpuint (g_list_model_get_n_items (derm_client_consent_group_get_forms (group)), ==, 0);

  /* the client agrees to education: recorded with who and when */
  derm_client_consent_group_set_photo_use (group, DERM_PHOTO_USE_EDUCATION);
  derm_test_ui_await (group_idle, group, "the consent to be recorded");
  g_assert_true (derm_store_get_client_photo_use (store, derm_client_get_id (client), &use, &error));
  g_assert_cmpint (use, ==, DERM_PHOTO_USE_EDUCATION);
  g_assert_cmpint (derm_client_consent_group_get_photo_use (group), ==, DERM_PHOTO_USE_EDUCATION);
  g_assert_nonnull (strstr (derm_client_consent_group_get_photo_use_note (group), g_get_user_name ()));
  {
    g_autoptr (GPtrArray) audit = derm_store_list_audit (store, 1, &error);
    const char *entity, *fields;

    g_variant_get (g_ptr_array_index (audit, 0), "(x&s&s&sx&s)", NULL, NULL, NULL, &entity, NULL, &fields);
    g_assert_cmpstr (entity, ==, "client");
    g_assert_cmpstr (fields, ==, "photo_use");
  }

  /* a signed form is listed with its date, protocol and version */
  t = derm_consent_template_new (0, "Consent to microneedling treatment", "I agree to the treatment.");
  g_assert_true (derm_store_save_consent_template (store, t, &error));
  derm_signature_begin_stroke (signature, 40, 120, 0.8);
  for (int i = 1; i <= 30; i++)
    derm_signature_add_point (signature, 40 + i * 10, 120 - 40 * sin (i / 4.0), 0.8);
  {
    DermConsentSigning signing = { derm_client_get_id (client), t, "Ada Lovelace", "Dr Grace Hopper", today,
                                   signature, NULL };

    form = derm_consent_sign (library, &signing, &error);
    g_assert_no_error (error);
  }
  derm_client_consent_group_set_client_id (group, derm_client_get_id (client));
  derm_test_ui_await (group_idle, group, "the signed forms to be read");
  g_assert_cmpuint (g_list_model_get_n_items (derm_client_consent_group_get_forms (group)), ==, 1);
  listed = g_list_model_get_item (derm_client_consent_group_get_forms (group), 0);
  g_assert_cmpstr (derm_consent_form_get_title (listed), ==, "Consent to microneedling treatment");
  g_assert_cmpuint (derm_consent_form_get_version (listed), ==, 1);
  g_assert_cmpstr (derm_consent_form_get_signed_on (listed), ==, today);
  derm_test_ui_await_frame (GTK_WIDGET (window));
  derm_test_ui_screenshot (GTK_WIDGET (window), "client-consent-group");

  /* exported: the stored bytes, exactly */
  dest_path = g_build_filename (g_get_tmp_dir (), "dermis-test-signed-form.pdf", NULL);
  g_unlink (dest_path);
  dest = g_file_new_for_path (dest_path);
  derm_client_consent_group_export_form (group, derm_consent_form_get_id (listed), dest);
  derm_test_ui_await (group_idle, group, "the export");
  stored_path = derm_consent_form_get_path (library, form);
  g_assert_true (g_file_get_contents (stored_path, &stored, &stored_len, NULL));
  g_assert_true (g_file_get_contents (dest_path, &copied, &copied_len, NULL));
  g_assert_cmpmem (stored, stored_len, copied, copied_len);
  g_unlink (dest_path);

  /* a stored PDF changed after signing: not exported (nor opened) */
  g_assert_cmpint (g_chmod (stored_path, 0600), ==, 0);
  stored[stored_len / 2] ^= 1;
  g_assert_true (g_file_set_contents (stored_path, stored, stored_len, NULL));
  derm_client_consent_group_export_form (group, derm_consent_form_get_id (listed), dest);
  derm_test_ui_await (group_idle, group, "the refused export");
  g_assert_false (g_file_test (dest_path, G_FILE_TEST_EXISTS));
  g_assert_false (derm_consent_check (library, listed, &error));
  g_assert_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_MISMATCH);
  g_clear_error (&error);
  derm_client_consent_group_open_form (group, derm_consent_form_get_id (listed));
  derm_test_ui_await (group_idle, group, "the refused open");

  gtk_window_destroy (window);
  derm_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  derm_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/consent/pad-sign-and-store", test_consent_pad);
  g_test_add_func ("/ui/consent/client-group", test_client_consent_group);

  return g_test_run ();
}

/* test-ui-documents.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Documents in the app (issue 16): Preferences → Documents edits the
 * aftercare advice per protocol; a saved session's toast offers the
 * aftercare sheet, whose dialog prints or saves it. Driven by actions.
 */
#include "config.h"

#include <glib/gstdio.h>

#include <adwaita.h>
#include <string.h>

#include "derm-documents-page.h"
#include "derm-documents-ui.h"
#include "derm-progress-report.h"
#include "derm-protocol.h"
#include "derm-region.h"
#include "derm-report-dialog.h"
#include "derm-store-compare.h"
#include "derm-store-documents.h"
#include "derm-store-planner.h"
#include "derm-test-utils.h"
#include "test-ui-util.h"

static gboolean
has_question (gpointer data)
{
  return derm_test_ui_find_question () != NULL;
}

static void
test_preferences_advice (void)
{
  g_autofree char *dir = derm_test_make_data_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = derm_store_open (dir, &error);
  g_autoptr (DermProtocol) protocol = NULL;
  g_autoptr (DermAftercareTemplate) saved = NULL;
  GtkWidget *window, *page;
  GtkTextBuffer *sun, *call;
  gint64 id;

  g_assert_no_error (error);
  protocol = derm_store_find_protocol (store, "Microneedling, acne scars", &error);
  g_assert_no_error (error);
  id = derm_protocol_get_id (protocol);

  window = adw_preferences_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  page = derm_documents_page_new (store);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (window));
  derm_test_ui_await_frame (window);

  g_assert_true (derm_documents_page_select_protocol (DERM_DOCUMENTS_PAGE (page), id));
  sun = derm_documents_page_get_buffer (DERM_DOCUMENTS_PAGE (page), "sun");
  gtk_text_buffer_set_text (sun, "No sun for a week after acne-scar needling; SPF 50 daily.", -1);
  /* The template's days field stops at the limit the store checks */
  gtk_spin_button_set_value (derm_documents_page_get_days (DERM_DOCUMENTS_PAGE (page)), 500);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (derm_documents_page_get_days (DERM_DOCUMENTS_PAGE (page))), ==,
                   DERM_AFTERCARE_MAX_DAYS);
  gtk_spin_button_set_value (derm_documents_page_get_days (DERM_DOCUMENTS_PAGE (page)), 9);
  gtk_widget_activate_action (page, "documents.save-advice", NULL);
  g_assert_cmpstr (derm_documents_page_get_message (DERM_DOCUMENTS_PAGE (page)), ==, "Aftercare advice saved");
  saved = derm_store_get_aftercare_template (store, id, &error);
  g_assert_cmpstr (derm_aftercare_template_get_sun (saved), ==, "No sun for a week after acne-scar needling; SPF 50 daily.");
  g_assert_cmpuint (derm_aftercare_template_get_actives_days (saved), ==, 9);
  g_clear_object (&saved);
  derm_test_ui_await_frame (window);
  derm_test_ui_screenshot (window, "preferences-documents");

  /* An empty section is refused with its reason; what is stored stays */
  call = derm_documents_page_get_buffer (DERM_DOCUMENTS_PAGE (page), "call");
  gtk_text_buffer_set_text (call, "  ", -1);
  gtk_widget_activate_action (page, "documents.save-advice", NULL);
  g_assert_nonnull (strstr (derm_documents_page_get_message (DERM_DOCUMENTS_PAGE (page)), "When to call the clinic is empty"));
  saved = derm_store_get_aftercare_template (store, id, &error);
  g_assert_cmpuint (g_utf8_strlen (derm_aftercare_template_get_call (saved), -1), >, 10);
  g_clear_object (&saved);

  /* Another protocol shows its own (built-in) advice */
  g_assert_true (derm_documents_page_select_protocol (DERM_DOCUMENTS_PAGE (page), 0));
  {
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (sun, &start, &end);
    text = gtk_text_buffer_get_text (sun, &start, &end, FALSE);
    g_assert_nonnull (strstr (text, "Keep out of direct sun"));
  }
  gtk_widget_activate_action (page, "documents.reset-advice", NULL);
  g_assert_true (derm_documents_page_select_protocol (DERM_DOCUMENTS_PAGE (page), id));
  gtk_widget_activate_action (page, "documents.reset-advice", NULL);
  saved = derm_store_get_aftercare_template (store, id, &error);
  g_assert_null (derm_aftercare_template_get_updated_at (saved));

  derm_test_ui_await_tooltips ();
  gtk_window_destroy (GTK_WINDOW (window));
  derm_test_ui_await_idle ();
  g_clear_object (&store);
  derm_test_remove_dir (dir);
}

static void
test_session_toast_offers_sheet (void)
{
  g_autofree char *dir = derm_test_make_data_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = derm_store_open (dir, &error);
  AdwToastOverlay *overlay;
  GtkWidget *window;
  GtkWindow *dialog;
  gint64 client, session;

  g_assert_no_error (error);
  g_assert_true (derm_store_set_letterhead (store, "Lumen Skin Clinic", "12 High Street, Bath", NULL,
                                            DERM_PAPER_A4, &error));
  client = derm_test_add_client (store, "Zoë Müller");
  session = derm_test_add_session (store, client, "2025-06-02");

  window = g_object_new (ADW_TYPE_APPLICATION_WINDOW, "default-width", 700, "default-height", 500, NULL);
  overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (overlay, adw_status_page_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), GTK_WIDGET (overlay));
  derm_documents_ui_install (ADW_APPLICATION_WINDOW (window), store, overlay);
  gtk_window_present (GTK_WINDOW (window));
  derm_test_ui_await_frame (window);

  /* What the session dialog and Mark Done show: a toast whose button
   * activates win.aftercare-sheet for the session */
  gtk_widget_activate_action (window, "win.session-saved", "(sx)", "Session saved", session);
  derm_test_ui_await_frame (window);
  gtk_widget_activate_action (window, "win.aftercare-sheet", "x", session);
  derm_test_ui_await (has_question, NULL, "the aftercare sheet's dialog");
  dialog = derm_test_ui_find_question ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Zoë Müller"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "print"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "save"));
  derm_test_ui_await_frame (GTK_WIDGET (dialog));
  derm_test_ui_screenshot (GTK_WIDGET (dialog), "aftercare-offer");
  g_assert_true (derm_test_ui_answer_question ("close", DERM_TEST_UI_TIMEOUT_MS));

  /* A session that is not on record: no dialog */
  g_assert_null (derm_documents_ui_offer_aftercare (GTK_WINDOW (window), store, 999));

  derm_test_ui_await_tooltips ();
  gtk_window_destroy (GTK_WINDOW (window));
  derm_test_ui_await_idle ();
  g_clear_object (&store);
  derm_test_remove_dir (dir);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_IS_REGULAR);
}

static guint
count_overrides (DermStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) audit = derm_store_list_audit (store, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      const char *action, *fields;

      g_variant_get (g_ptr_array_index (audit, i), "(x&s&s&sx&s)", NULL, NULL, &action, NULL, NULL, &fields);
      if (g_str_equal (action, "override-photo-use"))
        {
          g_assert_cmpstr (fields, ==, "use=marketing; export=report");
          n++;
        }
    }
  return n;
}

/* The progress report's dialog, as the client page and the compare window
 * open it: the report is made in a worker (the dialog stays responsive,
 * with progress and Cancel), its pages are previewed, a bad date is
 * refused with its reason, and Cancel stops a report being made */
static void
test_report_dialog (void)
{
  static const double redness[3] = { 45, 25, 5 };
  DermTestStore f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) photos = NULL;
  g_autoptr (DermRegion) region = NULL;
  DermReportDialog *dialog;
  gint64 client, sessions[3];

  derm_test_store_set_up (&f, "ui-report");
  g_assert_true (derm_store_set_letterhead (f.store, "Lumen Skin Clinic", "12 High Street, Bath", NULL,
                                            DERM_PAPER_A4, &error));
  client = derm_test_add_client (f.store, "Zoë Müller");
  sessions[0] = derm_test_add_session (f.store, client, "2025-01-10");
  sessions[1] = derm_test_add_session (f.store, client, "2025-02-14");
  sessions[2] = derm_test_add_session (f.store, client, "2025-03-20");
  photos = derm_test_import_skin_series (&f, client, DERM_PHOTO_VIEW_FRONT, sessions, redness, 3, 640, 480);
  region = derm_region_new_rect ("Blotch", 230, 150, 180, 180);
  derm_region_set_client_id (region, client);
  derm_region_set_view (region, DERM_PHOTO_VIEW_FRONT);
  derm_region_set_frame_sha256 (region, derm_photo_get_sha256 (g_ptr_array_index (photos, 0)));
  g_assert_true (derm_store_save_region (f.store, region, &error));
  g_assert_no_error (error);

  dialog = DERM_REPORT_DIALOG (derm_report_dialog_new (NULL, f.library, client, DERM_PHOTO_VIEW_FRONT, NULL));
  gtk_window_set_default_size (GTK_WINDOW (dialog), 1100, 800);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  derm_test_ui_await_unset (dialog, "building");
  g_assert_nonnull (derm_report_dialog_get_document (dialog));
  g_assert_cmpuint (derm_report_dialog_get_n_pages (dialog), >=, 2);
  {
    g_autofree char *ready = g_strdup_printf ("The report is ready: %u pages.", derm_report_dialog_get_n_pages (dialog));

    g_assert_cmpstr (derm_report_dialog_get_status (dialog), ==, ready);
  }
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Progress Report for Zoë Müller");
  derm_test_ui_await_frame (GTK_WIDGET (dialog));
  derm_test_ui_screenshot (GTK_WIDGET (dialog), "report-preview-page-1");

  /* The next page, and no page past the last */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "report.next-page", NULL);
  g_assert_cmpuint (derm_report_dialog_get_page (dialog), ==, 1);
  for (guint i = 0; i < 10; i++)
    gtk_widget_activate_action (GTK_WIDGET (dialog), "report.next-page", NULL);
  g_assert_cmpuint (derm_report_dialog_get_page (dialog), ==, derm_report_dialog_get_n_pages (dialog) - 1);
  derm_test_ui_await_frame (GTK_WIDGET (dialog));
  derm_test_ui_screenshot (GTK_WIDGET (dialog), "report-preview-last-page");

  /* A date that is not one: the reason, and the report shown stays */
  derm_report_dialog_set_period (dialog, "2025-02-30", NULL);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "report.build", NULL);
  g_assert_nonnull (strstr (derm_report_dialog_get_status (dialog), "YYYY-MM-DD"));
  g_assert_nonnull (derm_report_dialog_get_document (dialog));

  /* Cancel while it is being made: no report, and the dialog says so */
  derm_report_dialog_set_period (dialog, "2025-02-01", "2025-03-31");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "report.build", NULL);
  g_assert_null (derm_report_dialog_get_document (dialog));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "report.cancel", NULL);
  derm_test_ui_await_unset (dialog, "building");
  g_assert_null (derm_report_dialog_get_document (dialog));
  g_assert_nonnull (strstr (derm_report_dialog_get_status (dialog), "Cancelled"));

  /* The period: made again, from the second session on */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "report.build", NULL);
  derm_test_ui_await_unset (dialog, "building");
  g_assert_nonnull (derm_report_dialog_get_document (dialog));
  g_assert_cmpuint (derm_report_dialog_get_page (dialog), ==, 0);

  /* The client was never asked about photo use: for the record the report
   * is saved at once; for marketing the practitioner is asked first, and
   * Cancel saves nothing while Export Anyway logs the override */
  {
    g_autofree char *path = g_build_filename (f.dir, "report.pdf", NULL);
    g_autoptr (GFile) file = g_file_new_for_path (path);

    derm_report_dialog_save_to_file (dialog, file);
    g_assert_null (derm_test_ui_find_question ());
    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    g_unlink (path);

    derm_report_dialog_set_use (dialog, DERM_PHOTO_USE_MARKETING);
    derm_report_dialog_save_to_file (dialog, file);
    {
      GtkWindow *question = derm_test_ui_find_question ();

      g_assert_nonnull (question);
      g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (question)), "marketing"));
    }
    g_assert_true (derm_test_ui_answer_question ("cancel", DERM_TEST_UI_TIMEOUT_MS));
    derm_test_ui_await_idle ();
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_assert_cmpuint (count_overrides (f.store), ==, 0);

    derm_report_dialog_save_to_file (dialog, file);
    g_assert_true (derm_test_ui_answer_question ("export", DERM_TEST_UI_TIMEOUT_MS));
    derm_test_ui_await (file_exists, path, "the report saved after the override");
    /* one entry per photo printed (the first and the last) */
    g_assert_cmpuint (count_overrides (f.store), ==, 2);
    g_unlink (path);
  }

  /* Closed while a report is being made: the worker is cancelled, and its
   * end touches nothing of the closed dialog, which then goes away */
  {
    gpointer weak = dialog;

    g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
    gtk_widget_activate_action (GTK_WIDGET (dialog), "report.build", NULL);
    derm_test_ui_await_tooltips ();
    gtk_window_destroy (GTK_WINDOW (dialog));
    derm_test_ui_await_finalized (&weak);
  }
  derm_test_store_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  derm_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/documents/preferences/advice-per-protocol", test_preferences_advice);
  g_test_add_func ("/ui/documents/session-saved/offers-aftercare-sheet", test_session_toast_offers_sheet);
  g_test_add_func ("/ui/documents/progress-report/made-off-the-main-thread-previewed-cancelled", test_report_dialog);

  return g_test_run ();
}

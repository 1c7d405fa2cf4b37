/* test-ui-client-page.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client page, the screening dialog and the treatment dialog,
 * driven through their actions and checked against the store.
 */
#define G_LOG_DOMAIN "test-ui-client-page"

#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include <adwaita.h>
#include <string.h>

#include "derm-client.h"
#include "derm-finding.h"
#include "derm-screening.h"
#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-treatment.h"
#include "derm-validate.h"

#include "derm-client-page.h"
#include "derm-date-row.h"
#include "derm-screening-dialog.h"
#include "derm-treatment-dialog.h"

#include "test-ui-util.h"

typedef struct
{
  char           *data_dir;
  DermStore      *store;
  GtkWindow      *window;
  DermClientPage *page;
  AdwToastOverlay *overlay;
  GPtrArray      *toasts;
  guint           n_saved;
  gint64          deleted_id;
} Fixture;

static void
show_toast (GSimpleAction *action,
            GVariant      *param,
            gpointer       user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->toasts, g_variant_dup_string (param, NULL));
}

static void
show_list (GSimpleAction *action,
           GVariant      *param,
           gpointer       user_data)
{
}

static void
on_client_saved (DermClientPage *page,
                 DermClient     *client,
                 Fixture        *fixture)
{
  g_assert_true (DERM_IS_CLIENT (client));
  fixture->n_saved++;
}

typedef struct
{
  Fixture *fixture;
  guint    n;
} SavedCount;

static gboolean
saved_reached (gpointer data)
{
  SavedCount *count = data;

  return count->fixture->n_saved >= count->n;
}

/* Saves run on the store's worker: wait for the page to report the
 * @n-th one (condition wait, no fixed sleep) */
static void
wait_saved (Fixture *fixture,
            guint    n)
{
  SavedCount count = { fixture, n };

  derm_test_ui_await (saved_reached, &count, "saved reached");
}

static gboolean
deleted_set (gpointer data)
{
  return ((Fixture *) data)->deleted_id != 0;
}

static void
on_client_deleted (DermClientPage *page,
                   gint64          id,
                   Fixture        *fixture)
{
  fixture->deleted_id = id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const GActionEntry entries[] = {
    { "show-toast", show_toast, "s" },
    { "show-list", show_list },
  };
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr (GError) error = NULL;

  fixture->data_dir = derm_test_make_data_dir ();
  fixture->store = derm_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  fixture->toasts = g_ptr_array_new_with_free_func (g_free);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1000, 900);
  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), fixture);
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "win", G_ACTION_GROUP (group));

  fixture->page = DERM_CLIENT_PAGE (derm_client_page_new (fixture->store));
  g_signal_connect (fixture->page, "client-saved", G_CALLBACK (on_client_saved), fixture);
  g_signal_connect (fixture->page, "client-deleted", G_CALLBACK (on_client_deleted), fixture);
  /* As in the window: the page's own toasts (waiting, Retry) go to the overlay */
  fixture->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (fixture->overlay, GTK_WIDGET (fixture->page));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->overlay));
  gtk_window_present (fixture->window);
  derm_test_ui_await_frame (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr (GList) toplevels = NULL;

  derm_test_ui_await_tooltips ();

  /* Dialogs a failed test left open */
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != fixture->window)
      gtk_window_destroy (l->data);

  gtk_window_destroy (fixture->window);
  derm_test_ui_await_idle ();

  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->toasts, g_ptr_array_unref);
  derm_test_remove_dir (fixture->data_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
}

static gpointer
get_child (Fixture    *fixture,
           const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (fixture->page),
                                                  DERM_TYPE_CLIENT_PAGE, name);

  g_assert_nonnull (child);
  return child;
}

static gboolean
has_toast (Fixture    *fixture,
           const char *message)
{
  for (guint i = 0; i < fixture->toasts->len; i++)
    if (g_strcmp0 (g_ptr_array_index (fixture->toasts, i), message) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
save_enabled (Fixture *fixture)
{
  return gtk_widget_get_sensitive (get_child (fixture, "save_button"));
}

static void
set_text (gpointer    editable,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

static DermClient *
add_client (Fixture    *fixture,
            const char *name)
{
  g_autoptr (DermClient) client = derm_client_new ();
  g_autoptr (GError) error = NULL;

  derm_client_set_name (client, name);
  derm_client_set_phone (client, "+33 6 12 34 56 78");
  derm_client_set_email (client, "client@example.com");
  derm_client_set_date_of_birth (client, "1988-06-21");
  derm_client_set_fitzpatrick (client, 3);
  derm_client_set_concerns (client, DERM_CONCERN_ACNE_SCARS | DERM_CONCERN_TEXTURE);
  derm_client_set_goals (client, "Smoother texture on the cheeks before the summer.");
  derm_store_add_client (fixture->store, client, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&client);
}

static gpointer
find_toplevel (GType type)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

static gboolean
no_toplevel (gpointer data)
{
  return find_toplevel ((GType) GPOINTER_TO_SIZE (data)) == NULL;
}

/* What a click on one of the confirmation's buttons does */
static void
answer (AdwMessageDialog *confirm,
        const char       *response)
{
  adw_message_dialog_response (confirm, response);
  gtk_window_close (GTK_WINDOW (confirm));
}

static guint
count_severity (GListModel   *findings,
                DermSeverity  severity)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr (DermFinding) finding = g_list_model_get_item (findings, i);

      if (derm_finding_get_severity (finding) == severity)
        n++;
    }

  return n;
}

static char *
months_ago (int months)
{
  GDate date;

  derm_date_today (&date);
  g_date_subtract_months (&date, months);
  return derm_date_format (&date);
}

static char *
days_ago (int days)
{
  GDate date;

  derm_date_today (&date);
  g_date_subtract_days (&date, days);
  return derm_date_format (&date);
}

/* Fills and saves a screening with isotretinoin taken 2 months ago */
static void
take_isotretinoin_screening (Fixture    *fixture,
                             const char *screenshot)
{
  g_autofree char *last_dose = months_ago (2);
  DermScreeningDialog *dialog;
  GListModel *preview;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.new-screening", NULL));
  dialog = find_toplevel (DERM_TYPE_SCREENING_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_false (derm_screening_dialog_get_read_only (dialog));

  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    derm_screening_dialog_set_answer (dialog, q, DERM_ANSWER_NO);
  derm_screening_dialog_set_answer (dialog, DERM_QUESTION_CONSENT, DERM_ANSWER_YES);
  derm_screening_dialog_set_answer (dialog, DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES);
  derm_screening_dialog_set_details (dialog, DERM_QUESTION_ISOTRETINOIN, "Roaccutane 20 mg");
  derm_screening_dialog_set_date_for (dialog, DERM_QUESTION_ISOTRETINOIN, last_dose);

  /* The practitioner sees the contraindication before saving */
  preview = derm_screening_dialog_get_findings (dialog);
  g_assert_cmpuint (count_severity (preview, DERM_SEVERITY_CONTRAINDICATION), >=, 1);

  if (screenshot != NULL)
    {
      g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), screenshot));
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "screening.save", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_SCREENING_DIALOG), "no toplevel");
  derm_test_ui_await_unset (fixture->page, "loading");
}

static guint
count_in_array (GPtrArray    *findings,
                DermSeverity  severity)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    if (derm_finding_get_severity (g_ptr_array_index (findings, i)) == severity)
      n++;
  return n;
}

/* Ticks every caution the dialog lists, as the practitioner does after reading them */
static void
acknowledge_cautions (DermTreatmentDialog *dialog)
{
  GPtrArray *findings = derm_treatment_dialog_get_findings (dialog);

  for (guint i = 0; i < findings->len; i++)
    {
      DermFinding *finding = g_ptr_array_index (findings, i);

      if (derm_finding_get_severity (finding) == DERM_SEVERITY_CAUTION)
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "treatment.acknowledge", "s",
                                                   derm_finding_get_code (finding)));
    }
}

/* Records a session through the treatment dialog */
static void
add_session (Fixture    *fixture,
             const char *date,
             const char *practitioner,
             gboolean    aftercare,
             const char *screenshot)
{
  DermTreatmentDialog *dialog;
  GObject *child;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.add-session", NULL));
  dialog = find_toplevel (DERM_TYPE_TREATMENT_DIALOG);
  g_assert_nonnull (dialog);
  derm_test_ui_await_unset (dialog, "loading");
  g_assert_nonnull (dialog);

  child = gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_TREATMENT_DIALOG, "date_row");
  if (date != NULL)
    set_text (child, date);
  child = gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_TREATMENT_DIALOG, "practitioner_row");
  set_text (child, practitioner);
  child = gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_TREATMENT_DIALOG, "areas_row");
  set_text (child, "Full face");
  child = gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_TREATMENT_DIALOG, "device_row");
  set_text (child, "Dermapen 4");
  child = gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_TREATMENT_DIALOG, "lot_row");
  set_text (child, "LOT-2291A");
  child = gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_TREATMENT_DIALOG, "aftercare_switch");
  gtk_switch_set_active (GTK_SWITCH (child), aftercare);

  /* A later session starts from the last one's zones and depths */
  child = gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_TREATMENT_DIALOG, "depths_list");
  if (gtk_list_box_get_row_at_index (GTK_LIST_BOX (child), 0) == NULL)
    {
      derm_treatment_dialog_add_zone (dialog, "forehead", 0.5);
      derm_treatment_dialog_add_zone (dialog, "left cheek", 1.5);
    }
  else
    {
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gtk_list_box_get_row_at_index (GTK_LIST_BOX (child), 0))),
                       ==, "forehead");
      g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (child), 1));
      g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (child), 2));
    }
  acknowledge_cautions (dialog);

  if (screenshot != NULL)
    {
      g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), screenshot));
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "treatment.save", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_TREATMENT_DIALOG), "no toplevel");
  derm_test_ui_await_unset (fixture->page, "loading");
}

static void
test_create_client (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr (GPtrArray) clients = NULL;
  g_autoptr (GError) error = NULL;
  DermClient *client;

  /* Folded into a single pane, the page offers the way back to the list */
  g_assert_false (gtk_widget_get_visible (get_child (fixture, "back_button")));
  derm_client_page_set_folded (fixture->page, TRUE);
  g_assert_true (gtk_widget_get_visible (get_child (fixture, "back_button")));
  g_assert_cmpstr (gtk_actionable_get_action_name (get_child (fixture, "back_button")), ==, "win.show-list");

  /* New-client mode: the empty form, nothing to save yet */
  g_assert_cmpint (derm_client_get_id (derm_client_page_get_client (fixture->page)), ==, 0);
  g_assert_false (gtk_widget_get_visible (get_child (fixture, "screening_group")));
  g_assert_false (gtk_widget_get_visible (get_child (fixture, "sessions_group")));
  g_assert_false (save_enabled (fixture));

  set_text (get_child (fixture, "name_row"), "Ana Lima");
  set_text (get_child (fixture, "dob_row"), "1990-02-11");
  set_text (get_child (fixture, "phone_row"), "06 12 34 56 78");
  g_assert_true (save_enabled (fixture));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.save", NULL));
  wait_saved (fixture, 1);

  clients = derm_store_list_clients (fixture->store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clients->len, ==, 1);
  client = g_ptr_array_index (clients, 0);
  g_assert_cmpstr (derm_client_get_name (client), ==, "Ana Lima");
  g_assert_cmpstr (derm_client_get_date_of_birth (client), ==, "1990-02-11");
  g_assert_cmpstr (derm_client_get_phone (client), ==, "06 12 34 56 78");

  /* The page now shows the created client, with nothing left to save */
  g_assert_cmpint (derm_client_get_id (derm_client_page_get_client (fixture->page)), ==,
                   derm_client_get_id (client));
  g_assert_cmpuint (fixture->n_saved, ==, 1);
  g_assert_true (gtk_widget_get_visible (get_child (fixture, "screening_group")));
  g_assert_true (gtk_widget_get_visible (get_child (fixture, "sessions_group")));
  g_assert_false (save_enabled (fixture));
  g_assert_true (has_toast (fixture, "Client created"));
}

static void
test_invalid_email (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr (DermClient) client = add_client (fixture, "Bea Souza");
  g_autoptr (DermClient) stored = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *email_row;
  GtkWidget *error_label;

  derm_client_page_set_client (fixture->page, client);
  derm_test_ui_await_unset (fixture->page, "loading");
  email_row = get_child (fixture, "email_row");
  error_label = get_child (fixture, "error_label");
  g_assert_false (save_enabled (fixture));

  set_text (email_row, "bea@");
  g_assert_false (save_enabled (fixture));
  g_assert_true (gtk_widget_has_css_class (email_row, "error"));
  g_assert_true (gtk_widget_get_visible (error_label));

  /* Saving anyway (a shortcut racing the state) must not write */
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.save", NULL);
  stored = derm_store_get_client (fixture->store, derm_client_get_id (client), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_client_get_email (stored), ==, "client@example.com");
  g_clear_object (&stored);

  set_text (email_row, "bea@example.org");
  g_assert_true (save_enabled (fixture));
  g_assert_false (gtk_widget_has_css_class (email_row, "error"));
  g_assert_false (gtk_widget_get_visible (error_label));

  /* A date of birth in the future is caught as typed */
  set_text (get_child (fixture, "dob_row"), "2999-01-01");
  g_assert_false (save_enabled (fixture));
  g_assert_true (gtk_widget_has_css_class (get_child (fixture, "dob_row"), "error"));

  /* Typed in the locale's order ("05/20/87", "20.05.1987"): read as that date */
  {
    GDate typed;
    char text[64];
    g_autofree char *iso = NULL;

    g_date_clear (&typed, 1);
    g_date_set_dmy (&typed, 20, G_DATE_MAY, 1987);
    g_assert_cmpuint (g_date_strftime (text, sizeof text, "%x", &typed), >, 0);
    iso = derm_date_row_read_text (text);
    g_assert_cmpstr (iso, ==, "1987-05-20");
    g_assert_null (derm_date_row_read_text ("not a date"));
    g_assert_null (derm_date_row_read_text (""));
    set_text (get_child (fixture, "dob_row"), text);
    g_assert_true (save_enabled (fixture));
    g_assert_false (gtk_widget_has_css_class (get_child (fixture, "dob_row"), "error"));
  }

  /* Picked from the calendar */
  {
    GtkWidget *calendar = derm_date_row_get_calendar (get_child (fixture, "dob_row"));
    GtkWidget *popover = gtk_widget_get_ancestor (calendar, GTK_TYPE_POPOVER);
    g_autoptr (GDateTime) day = g_date_time_new_local (1988, 6, 21, 12, 0, 0);

    gtk_popover_popup (GTK_POPOVER (popover));
    derm_test_ui_await_mapped (calendar, TRUE);
    gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
    g_signal_emit_by_name (calendar, "day-selected");
    g_assert_cmpstr (gtk_editable_get_text (get_child (fixture, "dob_row")), ==, "1988-06-21");
    derm_test_ui_await_mapped (calendar, FALSE);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.save", NULL));
  wait_saved (fixture, 1);
  stored = derm_store_get_client (fixture->store, derm_client_get_id (client), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_client_get_email (stored), ==, "bea@example.org");
  g_assert_cmpstr (derm_client_get_date_of_birth (stored), ==, "1988-06-21");
  g_assert_true (has_toast (fixture, "Client saved"));

  /* Emptying the name of an existing client is an error right away */
  set_text (get_child (fixture, "name_row"), "");
  g_assert_false (save_enabled (fixture));
  g_assert_true (gtk_widget_has_css_class (get_child (fixture, "name_row"), "error"));
}

static void
test_screening_contraindication (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr (DermClient) client = add_client (fixture, "Carla Dias");
  g_autoptr (DermScreening) latest = NULL;
  g_autoptr (GError) error = NULL;
  DermScreeningDialog *viewer;

  derm_client_page_set_client (fixture->page, client);
  derm_test_ui_await_unset (fixture->page, "loading");
  g_assert_cmpuint (count_severity (derm_client_page_get_findings (fixture->page),
                                    DERM_SEVERITY_CONTRAINDICATION), ==, 0);
  g_assert_false (gtk_widget_get_visible (get_child (fixture, "contra_card")));

  take_isotretinoin_screening (fixture, "screening-dialog");

  latest = derm_store_get_latest_screening (fixture->store, derm_client_get_id (client), &error);
  g_assert_no_error (error);
  g_assert_nonnull (latest);
  g_assert_cmpint (derm_screening_get_answer (latest, DERM_QUESTION_ISOTRETINOIN), ==, DERM_ANSWER_YES);
  g_assert_cmpstr (derm_screening_get_details (latest, DERM_QUESTION_ISOTRETINOIN), ==, "Roaccutane 20 mg");

  /* The page shows the contraindication, in the card that cannot be missed */
  g_assert_cmpuint (count_severity (derm_client_page_get_findings (fixture->page),
                                    DERM_SEVERITY_CONTRAINDICATION), >=, 1);
  g_assert_true (gtk_widget_get_visible (get_child (fixture, "contra_card")));
  g_assert_true (has_toast (fixture, "Screening saved"));

  /* Opening the latest screening shows it read-only */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.open-latest-screening", NULL));
  viewer = find_toplevel (DERM_TYPE_SCREENING_DIALOG);
  g_assert_nonnull (viewer);
  g_assert_true (derm_screening_dialog_get_read_only (viewer));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (viewer),
                                                                                     DERM_TYPE_SCREENING_DIALOG,
                                                                                     "save_button"))));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (viewer), "screening-dialog-read-only"));
  g_assert_cmpuint (count_severity (derm_screening_dialog_get_findings (viewer),
                                    DERM_SEVERITY_CONTRAINDICATION), >=, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "window.close", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_SCREENING_DIALOG), "no toplevel");

  /* A second screening pushes the first into the earlier list */
  take_isotretinoin_screening (fixture, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (derm_client_page_get_screenings (fixture->page)), ==, 1);
}

static void
test_sessions (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr (DermClient) client = add_client (fixture, "Dora Reis");
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (GPtrArray) treatments = NULL;
  g_autoptr (DermTreatment) shown = NULL;
  g_autoptr (GError) error = NULL;
  DermTreatmentDialog *dialog;
  DermTreatment *stored;
  AdwMessageDialog *confirm;
  GtkListBox *list;
  const char * const practitioners[] = { "Dr. Marta Silva", "Léa Martin", NULL };

  /* The practitioners offered are the clinic's, from the database */
  clinic = derm_store_load_clinic (fixture->store, &error);
  g_assert_no_error (error);
  derm_clinic_set_practitioners (clinic, practitioners);
  g_assert_true (derm_store_save_clinic (fixture->store, clinic, &error));
  g_assert_no_error (error);
  derm_client_page_set_client (fixture->page, client);
  derm_test_ui_await_unset (fixture->page, "loading");
  add_session (fixture, NULL, "Dr. Marta Silva", TRUE, "treatment-dialog");

  treatments = derm_store_list_treatments (fixture->store, derm_client_get_id (client), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (treatments->len, ==, 1);
  stored = g_ptr_array_index (treatments, 0);
  g_assert_cmpstr (derm_treatment_get_practitioner (stored), ==, "Dr. Marta Silva");
  g_assert_cmpuint (derm_treatment_get_n_depths (stored), ==, 2);
  g_assert_cmpstr (derm_treatment_get_depth_zone (stored, 0), ==, "forehead");
  g_assert_cmpfloat_with_epsilon (derm_treatment_get_depth_mm (stored, 0), 0.5, 1e-9);
  g_assert_cmpstr (derm_treatment_get_depth_zone (stored, 1), ==, "left cheek");
  g_assert_cmpfloat_with_epsilon (derm_treatment_get_depth_mm (stored, 1), 1.5, 1e-9);
  g_assert_true (derm_treatment_get_aftercare_given (stored));

  /* In the page's list, as a row */
  g_assert_cmpuint (g_list_model_get_n_items (derm_client_page_get_sessions (fixture->page)), ==, 1);
  shown = g_list_model_get_item (derm_client_page_get_sessions (fixture->page), 0);
  g_assert_cmpint (derm_treatment_get_id (shown), ==, derm_treatment_get_id (stored));
  list = get_child (fixture, "sessions_list");
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, 0));
  g_assert_null (gtk_list_box_get_row_at_index (list, 1));

  /* Editing it: the dialog comes back filled in */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.edit-session", "x",
                                             derm_treatment_get_id (stored)));
  dialog = find_toplevel (DERM_TYPE_TREATMENT_DIALOG);
  g_assert_nonnull (dialog);
  derm_test_ui_await_unset (dialog, "loading");
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                                        DERM_TYPE_TREATMENT_DIALOG,
                                                                                        "practitioner_row"))),
                   ==, "Dr. Marta Silva");
  set_text (gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_TREATMENT_DIALOG, "response_row"),
            "Mild erythema");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "treatment.save", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_TREATMENT_DIALOG), "no toplevel");
  g_clear_pointer (&treatments, g_ptr_array_unref);
  treatments = derm_store_list_treatments (fixture->store, derm_client_get_id (client), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (treatments->len, ==, 1);
  stored = g_ptr_array_index (treatments, 0);
  g_assert_cmpstr (derm_treatment_get_immediate_response (stored), ==, "Mild erythema");
  g_assert_cmpuint (derm_treatment_get_n_depths (stored), ==, 2);

  /* A session with a zone but no name is refused, and nothing is written */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.add-session", NULL));
  dialog = find_toplevel (DERM_TYPE_TREATMENT_DIALOG);
  g_assert_nonnull (dialog);
  derm_test_ui_await_unset (dialog, "loading");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                                    DERM_TYPE_TREATMENT_DIALOG,
                                                                                    "practitioner_button"))));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "treatment.pick-practitioner", "s",
                                             "Léa Martin"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                                        DERM_TYPE_TREATMENT_DIALOG,
                                                                                        "practitioner_row"))),
                   ==, "Léa Martin");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "treatment.add-zone", NULL));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "treatment.save", NULL);
  g_assert_true (find_toplevel (DERM_TYPE_TREATMENT_DIALOG) == dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  /* The form has edits that cannot be saved: only Discard closes it */
  g_assert_true (derm_test_ui_answer_question ("discard", 2000));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_TREATMENT_DIALOG), "no toplevel");
  g_clear_pointer (&treatments, g_ptr_array_unref);
  treatments = derm_store_list_treatments (fixture->store, derm_client_get_id (client), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (treatments->len, ==, 1);
  stored = g_ptr_array_index (treatments, 0);

  /* Deleting it, after confirming */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.edit-session", "x",
                                             derm_treatment_get_id (stored)));
  dialog = find_toplevel (DERM_TYPE_TREATMENT_DIALOG);
  g_assert_nonnull (dialog);
  derm_test_ui_await_unset (dialog, "loading");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "treatment.delete", NULL));
  confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  answer (confirm, "delete");
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_TREATMENT_DIALOG), "no toplevel");
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "no toplevel");

  g_clear_pointer (&treatments, g_ptr_array_unref);
  treatments = derm_store_list_treatments (fixture->store, derm_client_get_id (client), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (treatments->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (derm_client_page_get_sessions (fixture->page)), ==, 0);
  g_assert_true (has_toast (fixture, "Session deleted"));
}

static gboolean has_label_containing (GtkWidget  *widget,
                                      const char *text);

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_undo_button (gpointer overlay)
{
  return find_button (overlay, "_Undo") != NULL;
}

static void
test_archive (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr (DermClient) client = add_client (fixture, "Eva Matos");
  g_autoptr (DermClient) stored = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id = derm_client_get_id (client);

  derm_client_page_set_client (fixture->page, client);
  derm_test_ui_await_unset (fixture->page, "loading");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.archive", NULL));
  wait_saved (fixture, 1);
  stored = derm_store_get_client (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (derm_client_get_archived (stored));
  g_assert_true (derm_client_get_archived (derm_client_page_get_client (fixture->page)));
  g_assert_cmpuint (fixture->n_saved, ==, 1);
  g_clear_object (&stored);

  /* The same action restores */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.archive", NULL));
  wait_saved (fixture, 2);
  stored = derm_store_get_client (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_false (derm_client_get_archived (stored));
  g_assert_cmpuint (fixture->n_saved, ==, 2);
  g_assert_true (has_label_containing (GTK_WIDGET (fixture->overlay), "Client archived"));
  g_assert_true (has_toast (fixture, "Client restored"));
  g_clear_object (&stored);

  /* Archived by mistake: the toast's Undo brings the client back, even
   * once another client is open */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.archive", NULL));
  wait_saved (fixture, 3);
  {
    g_autoptr (DermClient) other = add_client (fixture, "Rui Costa");
    GtkWidget *undo;

    derm_test_ui_await (has_undo_button, fixture->overlay, "the toast's Undo button");
    undo = find_button (GTK_WIDGET (fixture->overlay), "_Undo");
    derm_client_page_set_client (fixture->page, other);
    gtk_widget_activate (undo);
    wait_saved (fixture, 4);
    g_assert_cmpint (derm_client_get_id (derm_client_page_get_client (fixture->page)), ==, derm_client_get_id (other));
  }
  stored = derm_store_get_client (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_false (derm_client_get_archived (stored));
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* The lock test: a second connection, as dermis-cli would be, holds the
 * write lock for 5 s while the page saves */
typedef struct
{
  sqlite3 *other;
  gint64   hold_us;     /* how long the other program keeps the lock; 0: 5 s */
  int      released;
  gint64   last_frame;
  gint64   last_delay;
  gint64   max_gap;
  gint64   max_raw_gap;
  guint    n_frames;
} LockRun;

/* The other program, on its own thread as it would be in its own
 * process: its COMMIT (an fsync) must not be counted against our frames */
static gpointer
hold_lock (gpointer data)
{
  LockRun *run = data;

  g_usleep (run->hold_us > 0 ? (gulong) run->hold_us : 5 * G_USEC_PER_SEC);
  if (sqlite3_exec (run->other, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return GINT_TO_POINTER (1);
  g_atomic_int_set (&run->released, 1);
  return NULL;
}

/* Time the calling thread spent runnable but waiting for a CPU, in µs
 * (the scheduler's run delay), or -1 where the kernel does not say */
static gint64
run_delay_us (void)
{
  g_autofree char *text = NULL;
  guint64 ran, waited;

  if (!g_file_get_contents ("/proc/thread-self/schedstat", &text, NULL, NULL) ||
      sscanf (text, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &ran, &waited) != 2)
    return -1;
  return (gint64) (waited / 1000);
}

/* The gap between frames, less the time the main thread only waited for
 * a CPU: the 2-core CI machine runs many jobs at once, and a frame late
 * because the kernel gave the CPU to another process says nothing about
 * Dermis. Time blocked on a lock, a disk or SQLite is sleeping, not
 * waiting for a CPU, and so still counts. */
static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  LockRun *run = data;
  gint64 t = gdk_frame_clock_get_frame_time (clock);
  gint64 delay = run_delay_us ();

  if (run->last_frame != 0)
    {
      gint64 gap = t - run->last_frame;

      run->max_raw_gap = MAX (run->max_raw_gap, gap);
      if (delay >= 0 && run->last_delay >= 0)
        gap -= MIN (gap, delay - run->last_delay);
      run->max_gap = MAX (run->max_gap, gap);
    }
  run->last_frame = t;
  run->last_delay = delay;
  run->n_frames++;
  return G_SOURCE_CONTINUE;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_fitzpatrick_choice (gpointer row)
{
  return find_label (row, "II · Usually burns, tans minimally") != NULL;
}

static gboolean
has_label_containing (GtkWidget  *widget,
                      const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_containing (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
wait_toast_shown (gpointer data)
{
  return has_label_containing (GTK_WIDGET (data), "waiting for it to finish");
}

static void
test_save_while_locked (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr (DermClient) client = add_client (fixture, "Gil Rocha");
  g_autoptr (DermClient) stored = NULL;
  g_autoptr (GError) error = NULL;
  LockRun run = { 0 };
  gint64 started;
  guint tick;
  GThread *holder;

  derm_client_page_set_client (fixture->page, client);
  derm_test_ui_await_unset (fixture->page, "loading");
  set_text (get_child (fixture, "phone_row"), "06 98 76 54 32");
  g_assert_true (save_enabled (fixture));
  /* Long enough to outlast the other writer: the save completes after it */
  derm_store_set_busy_timeout (fixture->store, 15000);

  g_assert_cmpint (sqlite3_open (derm_store_get_path (fixture->store), &run.other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (run.other,
                                 "BEGIN IMMEDIATE; INSERT INTO audit_log (at, os_user, action, entity, entity_id) "
                                 "VALUES (0, 'dermis-cli', 'test', 'client', 0)", NULL, NULL, NULL), ==, SQLITE_OK);
  holder = g_thread_new ("other-writer", hold_lock, &run);

  tick = gtk_widget_add_tick_callback (GTK_WIDGET (fixture->window), count_frame, &run, NULL);
  started = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.save", NULL));

  /* The window says it is waiting, and cannot start a second save */
  derm_test_ui_await (wait_toast_shown, fixture->overlay, "wait toast shown");
  g_assert_cmpint (g_atomic_int_get (&run.released), ==, 0);
  g_assert_false (save_enabled (fixture));

  wait_saved (fixture, 1);
  gtk_widget_remove_tick_callback (GTK_WIDGET (fixture->window), tick);
  g_assert_null (g_thread_join (holder));
  sqlite3_close (run.other);

  /* It waited for the lock, and the window drew throughout */
  g_assert_cmpint (g_atomic_int_get (&run.released), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 4900000);
  g_test_message ("%u frames, longest gap %.1f ms (%.1f ms before taking out waits for a CPU)",
                  run.n_frames, run.max_gap / 1000.0, run.max_raw_gap / 1000.0);
  g_assert_cmpuint (run.n_frames, >, 100);
  g_assert_cmpint (run.max_gap, <=, 100000);

  /* Nothing lost: the other writer's row and this save are both there */
  stored = derm_store_get_client (fixture->store, derm_client_get_id (client), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_client_get_phone (stored), ==, "06 98 76 54 32");
  g_assert_cmpstr (derm_client_get_phone (derm_client_page_get_client (fixture->page)), ==, "06 98 76 54 32");
  g_assert_true (has_toast (fixture, "Client saved"));
  g_assert_false (save_enabled (fixture));
  {
    g_autoptr (GPtrArray) audit = derm_store_list_audit (fixture->store, 0, &error);
    gboolean other_seen = FALSE, update_seen = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < audit->len; i++)
      {
        const char *user, *action, *entity, *fields;
        gint64 at, id;

        g_variant_get (g_ptr_array_index (audit, i), "(x&s&s&sx&s)", &at, &user, &action, &entity, &id, &fields);
        other_seen |= g_str_equal (user, "dermis-cli");
        update_seen |= g_str_equal (action, "update") && id == derm_client_get_id (client);
      }
    g_assert_true (other_seen);
    g_assert_true (update_seen);
  }
}

static void
take_write_lock (Fixture *fixture,
                 LockRun *run)
{
  g_assert_cmpint (sqlite3_open (derm_store_get_path (fixture->store), &run->other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (run->other,
                                 "BEGIN IMMEDIATE; INSERT INTO audit_log (at, os_user, action, entity, entity_id) "
                                 "VALUES (0, 'dermis-cli', 'test', 'client', 0)", NULL, NULL, NULL), ==, SQLITE_OK);
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *text)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL &&
      strstr (gtk_button_get_label (GTK_BUTTON (widget)), text) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Retry on the toast, or, where the busy message does not fit beside it,
 * in the dialog of the toast's Details (derm-toast.h) */
static gboolean
retry_shown (gpointer dialog)
{
  return find_button_labelled (GTK_WIDGET (dialog), "Retry") != NULL ||
         (find_button_labelled (GTK_WIDGET (dialog), "Details") != NULL &&
          !has_label_containing (GTK_WIDGET (dialog), "waiting for it to finish"));
}

static void
click_retry (GtkWidget *dialog)
{
  GtkWidget *retry = find_button_labelled (dialog, "Retry");

  if (retry != NULL)
    {
      g_signal_emit_by_name (retry, "clicked");
      return;
    }
  g_signal_emit_by_name (find_button_labelled (dialog, "Details"), "clicked");
  g_assert_true (derm_test_ui_answer_question ("action", DERM_TEST_UI_TIMEOUT_MS));
}

static guint
n_stored (Fixture  *fixture,
          gint64    client_id,
          gboolean  screenings)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = screenings ? derm_store_list_screenings (fixture->store, client_id, &error)
                                          : derm_store_list_treatments (fixture->store, client_id, &error);

  g_assert_no_error (error);
  return rows->len;
}

/* The screening and session dialogs save on the store's worker too: while
 * another program holds the write lock the window keeps drawing; a lock
 * held past the busy timeout ends in "busy" with Retry and the answers
 * still in the form, nothing written; Retry, once the lock is gone,
 * saves. A session saved while the lock is held briefly waits for it and
 * then is stored. */
static void
test_dialogs_while_locked (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr (DermClient) client = add_client (fixture, "Iva Moreira");
  gint64 id = derm_client_get_id (client);
  DermScreeningDialog *screening;
  DermTreatmentDialog *treatment;
  LockRun run = { 0 };
  GThread *holder;
  guint tick;

  derm_client_page_set_client (fixture->page, client);
  derm_test_ui_await_unset (fixture->page, "loading");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.new-screening", NULL));
  screening = find_toplevel (DERM_TYPE_SCREENING_DIALOG);
  g_assert_nonnull (screening);
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    derm_screening_dialog_set_answer (screening, q, DERM_ANSWER_NO);
  derm_screening_dialog_set_answer (screening, DERM_QUESTION_CONSENT, DERM_ANSWER_YES);
  derm_screening_dialog_set_answer (screening, DERM_QUESTION_ACTIVE_INFECTION, DERM_ANSWER_YES);

  /* 1. The lock outlasts the busy timeout: busy, Retry, nothing written */
  derm_store_set_busy_timeout (fixture->store, 1500);
  take_write_lock (fixture, &run);
  tick = gtk_widget_add_tick_callback (GTK_WIDGET (screening), count_frame, &run, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (screening), "screening.save", NULL));
  /* Closing while it saves is refused: the save ends it, or says why not */
  gtk_window_close (GTK_WINDOW (screening));
  g_assert_true (find_toplevel (DERM_TYPE_SCREENING_DIALOG) == screening);
  derm_test_ui_await (wait_toast_shown, screening, "the screening dialog's wait toast");
  derm_test_ui_await (retry_shown, screening, "the busy toast with Retry");
  gtk_widget_remove_tick_callback (GTK_WIDGET (screening), tick);
  g_test_message ("screening: %u frames, longest gap %.1f ms (%.1f ms raw)",
                  run.n_frames, run.max_gap / 1000.0, run.max_raw_gap / 1000.0);
  g_assert_cmpuint (run.n_frames, >, 30);
  g_assert_cmpint (run.max_gap, <=, 100000);
  g_assert_true (find_toplevel (DERM_TYPE_SCREENING_DIALOG) == screening);
  g_assert_cmpuint (n_stored (fixture, id, TRUE), ==, 0);
  /* The answers are still in the form */
  g_assert_cmpuint (count_severity (derm_screening_dialog_get_findings (screening), DERM_SEVERITY_CONTRAINDICATION), ==, 1);

  /* The other program finishes; Retry saves */
  g_assert_cmpint (sqlite3_exec (run.other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (run.other);
  click_retry (GTK_WIDGET (screening));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_SCREENING_DIALOG), "the screening saved on Retry");
  g_assert_cmpuint (n_stored (fixture, id, TRUE), ==, 1);

  /* 2. A session saved while the lock is held for 2 s waits, then is stored */
  memset (&run, 0, sizeof run);
  run.hold_us = 2 * G_USEC_PER_SEC;
  derm_store_set_busy_timeout (fixture->store, 15000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.add-session", NULL));
  treatment = find_toplevel (DERM_TYPE_TREATMENT_DIALOG);
  g_assert_nonnull (treatment);
  derm_test_ui_await_unset (treatment, "loading");
  g_assert_nonnull (treatment);
  set_text (gtk_widget_get_template_child (GTK_WIDGET (treatment), DERM_TYPE_TREATMENT_DIALOG, "practitioner_row"),
            "Dr. Marta Silva");
  derm_treatment_dialog_add_zone (treatment, "forehead", 0.5);
  set_text (gtk_widget_get_template_child (GTK_WIDGET (treatment), DERM_TYPE_TREATMENT_DIALOG, "override_row"),
            "Infection cleared this morning, checked by the doctor");
  acknowledge_cautions (treatment);
  take_write_lock (fixture, &run);
  holder = g_thread_new ("other-writer", hold_lock, &run);
  tick = gtk_widget_add_tick_callback (GTK_WIDGET (treatment), count_frame, &run, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (treatment), "treatment.save", NULL));
  derm_test_ui_await (wait_toast_shown, treatment, "the session dialog's wait toast");
  g_assert_cmpint (g_atomic_int_get (&run.released), ==, 0);
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_TREATMENT_DIALOG), "the session saved after the lock");
  g_assert_null (g_thread_join (holder));
  sqlite3_close (run.other);
  g_test_message ("session: %u frames, longest gap %.1f ms (%.1f ms raw)",
                  run.n_frames, run.max_gap / 1000.0, run.max_raw_gap / 1000.0);
  g_assert_cmpint (g_atomic_int_get (&run.released), ==, 1);
  g_assert_cmpuint (run.n_frames, >, 30);
  g_assert_cmpint (run.max_gap, <=, 100000);
  g_assert_cmpuint (n_stored (fixture, id, FALSE), ==, 1);
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr (DermClient) client = add_client (fixture, "Fia Nunes");
  g_autoptr (GPtrArray) clients = NULL;
  g_autoptr (GError) error = NULL;
  AdwMessageDialog *confirm;
  gint64 id = derm_client_get_id (client);

  derm_client_page_set_client (fixture->page, client);
  derm_test_ui_await_unset (fixture->page, "loading");
  add_session (fixture, NULL, "Dr. Marta Silva", FALSE, NULL);

  /* Export Record writes one ZIP, off the main thread */
  {
    g_autofree char *dir = derm_test_make_data_dir ();
    g_autofree char *zip = g_build_filename (dir, "Fia Nunes record.zip", NULL);
    g_autofree char *contents = NULL;
    gsize len = 0;

    derm_client_page_export_record (fixture->page, zip);
    derm_test_ui_await (file_exists, zip, "file exists");
    g_assert_true (g_file_get_contents (zip, &contents, &len, NULL));
    g_assert_cmpuint (len, >, 4);
    g_assert_true (memcmp (contents, "PK", 2) == 0);
    derm_test_remove_dir (dir);
  }

  /* Cancelling keeps everything */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.erase", NULL));
  confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  answer (confirm, "cancel");
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "no toplevel");
  clients = derm_store_list_clients (fixture->store, TRUE, &error);
  g_assert_cmpuint (clients->len, ==, 1);
  g_clear_pointer (&clients, g_ptr_array_unref);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.erase", NULL));
  confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  /* Erase stays disabled until the client's name is typed */
  g_assert_false (adw_message_dialog_get_response_enabled (confirm, "erase"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (confirm)), "Fia");
  g_assert_false (adw_message_dialog_get_response_enabled (confirm, "erase"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (confirm)), "Fia Nunes");
  g_assert_true (adw_message_dialog_get_response_enabled (confirm, "erase"));
  answer (confirm, "erase");
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "no toplevel");
  derm_test_ui_await (deleted_set, fixture, "deleted set");

  clients = derm_store_list_clients (fixture->store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clients->len, ==, 0);
  g_assert_cmpint (fixture->deleted_id, ==, id);
  /* The page no longer shows the deleted client */
  g_assert_cmpint (derm_client_get_id (derm_client_page_get_client (fixture->page)), ==, 0);
}

static void
test_screenshot (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr (DermClient) client = add_client (fixture, "Gabriela Moreau");
  g_autofree char *first = days_ago (42);
  g_autofree char *second = days_ago (14);

  derm_client_page_set_client (fixture->page, client);
  derm_test_ui_await_unset (fixture->page, "loading");
  add_session (fixture, first, "Dr. Marta Silva", TRUE, NULL);
  add_session (fixture, second, "Léa Martin", FALSE, NULL);
  take_isotretinoin_screening (fixture, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (derm_client_page_get_sessions (fixture->page)), ==, 2);
  g_assert_cmpuint (count_severity (derm_client_page_get_findings (fixture->page),
                                    DERM_SEVERITY_CONTRAINDICATION), >=, 1);

  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "client-page"));

  /* Each Fitzpatrick choice is read whole in the list, not cut at 20 characters */
  {
    AdwComboRow *row = get_child (fixture, "fitzpatrick_row");
    GtkWidget *choice;
    int natural = 0;

    gtk_widget_activate (GTK_WIDGET (row));
    derm_test_ui_await (has_fitzpatrick_choice, row, "the Fitzpatrick list");
    choice = find_label (GTK_WIDGET (row), "II · Usually burns, tans minimally");
    derm_test_ui_await_mapped (choice, TRUE);
    derm_test_ui_await_frame (choice);
    gtk_widget_measure (choice, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
    g_assert_cmpint (gtk_widget_get_width (choice), >=, natural);
    gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (choice, GTK_TYPE_POPOVER)));
  }

  /* Lower down: screening and sessions */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (get_child (fixture, "scrolled_window")),
                            G_MAXDOUBLE);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "client-page-bottom"));

  derm_client_page_set_client (fixture->page, NULL);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "client-page-new"));
}

/* Issue 12: the session dialog shows the findings; a contraindication
 * needs a written reason, which is stored; cautions must be acknowledged */
static void
test_session_override (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr (DermClient) client = add_client (fixture, "Zoë Müller");
  g_autoptr (DermScreening) screening = derm_screening_new ();
  g_autoptr (GPtrArray) treatments = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *last_dose = NULL;
  DermTreatmentDialog *dialog;
  DermTreatment *stored;
  GPtrArray *findings;
  GObject *child;
  GDate day;

  derm_date_today (&day);
  g_date_subtract_months (&day, 2);
  last_dose = derm_date_format (&day);
  derm_screening_set_client_id (screening, derm_client_get_id (client));
  derm_date_today (&day);
  {
    g_autofree char *today = derm_date_format (&day);
    derm_screening_set_date (screening, today);
  }
  derm_screening_set_answer (screening, DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES);
  derm_screening_set_date_for (screening, DERM_QUESTION_ISOTRETINOIN, last_dose);
  derm_screening_set_answer (screening, DERM_QUESTION_ANTICOAGULANTS, DERM_ANSWER_YES);
  g_assert_true (derm_store_add_screening (fixture->store, screening, &error));
  g_assert_no_error (error);
  derm_client_page_set_client (fixture->page, client);
  derm_test_ui_await_unset (fixture->page, "loading");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "client.add-session", NULL));
  dialog = find_toplevel (DERM_TYPE_TREATMENT_DIALOG);
  g_assert_nonnull (dialog);
  derm_test_ui_await_unset (dialog, "loading");
  g_assert_nonnull (dialog);
  findings = derm_treatment_dialog_get_findings (dialog);
  g_assert_cmpuint (count_in_array (findings, DERM_SEVERITY_CONTRAINDICATION), ==, 1);
  g_assert_cmpuint (count_in_array (findings, DERM_SEVERITY_CAUTION), >=, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                                    DERM_TYPE_TREATMENT_DIALOG,
                                                                                    "override_group"))));
  child = gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_TREATMENT_DIALOG, "practitioner_row");
  set_text (child, "Dr. Marta Silva");

  /* Neither the cautions nor the contraindication answered: Save does nothing */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "treatment.save", NULL);
  g_assert_true (find_toplevel (DERM_TYPE_TREATMENT_DIALOG) == dialog);
  acknowledge_cautions (dialog);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "treatment.save", NULL);
  g_assert_true (find_toplevel (DERM_TYPE_TREATMENT_DIALOG) == dialog);
  treatments = derm_store_list_treatments (fixture->store, derm_client_get_id (client), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (treatments->len, ==, 0);
  g_clear_pointer (&treatments, g_ptr_array_unref);

  child = gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_TREATMENT_DIALOG, "override_row");
  set_text (child, "Dermatologist confirmed a 10-day course only");
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "treatment-dialog-override"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "treatment.save", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_TREATMENT_DIALOG), "no toplevel");

  treatments = derm_store_list_treatments (fixture->store, derm_client_get_id (client), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (treatments->len, ==, 1);
  stored = g_ptr_array_index (treatments, 0);
  g_assert_cmpstr (derm_treatment_get_override_reason (stored), ==, "Dermatologist confirmed a 10-day course only");
  g_assert_nonnull (strstr (derm_treatment_get_cautions_acknowledged (stored), "anticoagulants"));
}

int
main (int   argc,
      char *argv[])
{
  derm_test_ui_init (&argc, &argv);

  g_test_add ("/ui/client-page/create-client", Fixture, NULL,
              fixture_set_up, test_create_client, fixture_tear_down);
  g_test_add ("/ui/client-page/invalid-input-disables-save", Fixture, NULL,
              fixture_set_up, test_invalid_email, fixture_tear_down);
  g_test_add ("/ui/client-page/screening-shows-contraindication", Fixture, NULL,
              fixture_set_up, test_screening_contraindication, fixture_tear_down);
  g_test_add ("/ui/client-page/sessions-add-edit-delete", Fixture, NULL,
              fixture_set_up, test_sessions, fixture_tear_down);
  g_test_add ("/ui/client-page/session-contraindication-needs-written-reason", Fixture, NULL,
              fixture_set_up, test_session_override, fixture_tear_down);
  g_test_add ("/ui/client-page/archive-toggles", Fixture, NULL,
              fixture_set_up, test_archive, fixture_tear_down);
  g_test_add ("/ui/client-page/save-while-another-program-writes", Fixture, NULL,
              fixture_set_up, test_save_while_locked, fixture_tear_down);
  g_test_add ("/ui/client-page/dialogs-save-while-another-program-writes", Fixture, NULL,
              fixture_set_up, test_dialogs_while_locked, fixture_tear_down);
  g_test_add ("/ui/client-page/delete-after-confirmation", Fixture, NULL,
              fixture_set_up, test_delete, fixture_tear_down);
  g_test_add ("/ui/client-page/screenshot", Fixture, NULL,
              fixture_set_up, test_screenshot, fixture_tear_down);

  return g_test_run ();
}

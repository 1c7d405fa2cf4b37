/* test-ui-practice.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A practitioner's day in the main window: unsaved edits are never
 * thrown away without asking (switching client, closing the window or a
 * form, Escape included), and the small things met every hour. Driven
 * through actions and signals; questions are answered as a click would.
 * Screenshots go to $DERMIS_SCREENSHOT_DIR.
 */
#define G_LOG_DOMAIN "test-ui-practice"

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "derm-client.h"
#include "derm-client-list.h"
#include "derm-client-page.h"
#include "derm-agenda-view.h"
#include "derm-finding.h"
#include "derm-imaging.h"
#include "derm-month-view.h"
#include "derm-photo.h"
#include "derm-photo-gallery.h"
#include "derm-photo-library.h"
#include "derm-store-photos.h"
#include "derm-plan-dialog.h"
#include "derm-screening.h"
#include "derm-screening-dialog.h"
#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-treatment.h"
#include "derm-treatment-dialog.h"
#include "derm-validate.h"
#include "derm-window.h"

#include "test-ui-util.h"

typedef struct
{
  char       *data_dir;
  DermStore  *store;
  DermWindow *window;
  gint64      zoe_id;
  gint64      paul_id;
} Fixture;

static gint64
add_client (Fixture    *fixture,
            const char *name,
            const char *phone)
{
  g_autoptr (DermClient) client = derm_client_new ();
  g_autoptr (GError) error = NULL;

  derm_client_set_name (client, name);
  derm_client_set_phone (client, phone);
  derm_client_set_date_of_birth (client, "1990-06-01");
  g_assert_true (derm_store_add_client (fixture->store, client, &error));
  g_assert_no_error (error);

  return derm_client_get_id (client);
}

static gboolean
list_loaded (gpointer data)
{
  DermClientList *list = data;

  return !derm_client_list_get_loading (list) && derm_client_list_get_n_clients (list) > 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_reset (settings, "window-maximized");
  g_settings_set_int (settings, "window-width", 1366);
  g_settings_set_int (settings, "window-height", 768);

  fixture->data_dir = derm_test_make_data_dir ();
  fixture->store = derm_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);

  fixture->zoe_id = add_client (fixture, "Zoë Müller", "06 12 34 56 78");
  fixture->paul_id = add_client (fixture, "Paul Mulder", "06 98 76 54 32");

  fixture->window = g_object_ref_sink (derm_window_new (NULL, fixture->store));
  gtk_window_present (GTK_WINDOW (fixture->window));
  derm_test_ui_await (list_loaded, derm_window_get_client_list (fixture->window), "list loaded");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr (GList) toplevels = NULL;

  derm_test_ui_await_tooltips ();

  /* Questions and dialogs a failed test left open */
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != (gpointer) fixture->window)
      gtk_window_destroy (l->data);

  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  derm_test_ui_await_idle ();

  g_clear_object (&fixture->store);
  derm_test_remove_dir (fixture->data_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
}

static DermClientPage *
page_of (Fixture *fixture)
{
  return derm_window_get_client_page (fixture->window);
}

static gpointer
page_child (Fixture    *fixture,
            const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page_of (fixture)), DERM_TYPE_CLIENT_PAGE, name);

  g_assert_nonnull (child);
  return child;
}

static gint64
shown_id (Fixture *fixture)
{
  return derm_client_get_id (derm_client_page_get_client (page_of (fixture)));
}

typedef struct
{
  Fixture *fixture;
  gint64   id;
} ShowWait;

static gboolean
shown_or_asked (gpointer data)
{
  ShowWait *wait = data;

  return shown_id (wait->fixture) == wait->id || derm_test_ui_find_question () != NULL;
}

/* The window reads the client on the store's worker: until it shows
 * them, or asks about unsaved edits first */
static void
show_client (Fixture *fixture,
             gint64   id)
{
  ShowWait wait = { fixture, id };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-client", "x", id));
  derm_test_ui_await (shown_or_asked, &wait, "the client shown, or a question");
  if (shown_id (fixture) == id)
    derm_test_ui_await_unset (page_of (fixture), "loading");
}

/* What a click on a client in the list does */
static void
click_client (Fixture *fixture,
              gint64   id)
{
  DermClientList *list = derm_window_get_client_list (fixture->window);
  g_autoptr (DermClient) client = derm_store_get_client (fixture->store, id, NULL);

  g_assert_nonnull (client);
  derm_client_list_select_client (list, id);
  g_signal_emit_by_name (list, "client-activated", client);
}

static char *
stored_phone (Fixture *fixture,
              gint64   id)
{
  g_autoptr (DermClient) client = derm_store_get_client (fixture->store, id, NULL);

  g_assert_nonnull (client);
  return g_strdup (derm_client_get_phone (client));
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

static gboolean
no_question (gpointer data)
{
  return derm_test_ui_find_question () == NULL;
}

static gboolean
has_question (gpointer data)
{
  return derm_test_ui_find_question () != NULL;
}

static gboolean
question_allocated (gpointer data)
{
  GtkWindow *question = derm_test_ui_find_question ();

  return question != NULL && gtk_widget_get_width (GTK_WIDGET (question)) > 0;
}

static gboolean
shows_client (gpointer data)
{
  gpointer *args = data;

  return shown_id (args[0]) == *(gint64 *) args[1];
}

static gboolean
shows_created (gpointer data)
{
  return shown_id (data) > 0;
}

static void
wait_for_client (Fixture *fixture,
                 gint64   id)
{
  gpointer args[2] = { fixture, &id };

  derm_test_ui_await (shows_client, args, "shows client");
}

static gint64
selected_id (Fixture *fixture)
{
  DermClient *selected = derm_client_list_get_selected (derm_window_get_client_list (fixture->window));

  return selected != NULL ? derm_client_get_id (selected) : 0;
}

static gboolean
selects_shown (gpointer data)
{
  Fixture *fixture = data;

  return selected_id (fixture) == shown_id (fixture);
}

static void
test_switch_client_asks (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *phone = NULL;

  show_client (fixture, fixture->zoe_id);
  g_assert_cmpint (shown_id (fixture), ==, fixture->zoe_id);

  /* Without edits, switching asks nothing */
  click_client (fixture, fixture->paul_id);
  g_assert_cmpint (shown_id (fixture), ==, fixture->paul_id);
  g_assert_null (derm_test_ui_find_question ());
  click_client (fixture, fixture->zoe_id);
  g_assert_cmpint (shown_id (fixture), ==, fixture->zoe_id);

  /* An edited phone number: another client asks first */
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "phone_row")), "07 00 00 00 01");
  g_assert_true (derm_client_page_has_unsaved_changes (page_of (fixture)));
  click_client (fixture, fixture->paul_id);
  derm_test_ui_await (question_allocated, NULL, "question allocated");
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (derm_test_ui_find_question ()), "unsaved-question"));

  /* Cancel: the same client, the edit kept, the list back on them */
  g_assert_true (derm_test_ui_answer_question ("cancel", 2000));
  derm_test_ui_await (selects_shown, fixture, "selects shown");
  g_assert_cmpint (shown_id (fixture), ==, fixture->zoe_id);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (fixture, "phone_row"))), ==, "07 00 00 00 01");
  g_assert_cmpint (selected_id (fixture), ==, fixture->zoe_id);
  phone = stored_phone (fixture, fixture->zoe_id);
  g_assert_cmpstr (phone, ==, "06 12 34 56 78");
  g_clear_pointer (&phone, g_free);

  /* Save: stored, then the other client */
  click_client (fixture, fixture->paul_id);
  g_assert_true (derm_test_ui_answer_question ("save", 2000));
  wait_for_client (fixture, fixture->paul_id);
  phone = stored_phone (fixture, fixture->zoe_id);
  g_assert_cmpstr (phone, ==, "07 00 00 00 01");
  g_clear_pointer (&phone, g_free);

  /* Discard: nothing stored, the other client shown */
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "phone_row")), "07 99 99 99 99");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-client", "x",
                                             fixture->zoe_id));
  g_assert_true (derm_test_ui_answer_question ("discard", 2000));
  wait_for_client (fixture, fixture->zoe_id);
  phone = stored_phone (fixture, fixture->paul_id);
  g_assert_cmpstr (phone, ==, "06 98 76 54 32");
  g_clear_pointer (&phone, g_free);

  /* An invalid edit cannot be saved from the question: only Discard or Cancel */
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "email_row")), "not an address");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-client", NULL));
  derm_test_ui_await (has_question, NULL, "has question");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (derm_test_ui_find_question ()),
                                                          "save"));
  g_assert_true (derm_test_ui_answer_question ("discard", 2000));
  wait_for_client (fixture, 0);
  g_assert_cmpint (selected_id (fixture), ==, 0);
}

static void
test_close_window_asks (Fixture       *fixture,
                        gconstpointer  data)
{
  DermWindow *window = fixture->window;
  g_autofree char *phone = NULL;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);

  show_client (fixture, fixture->zoe_id);
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "phone_row")), "07 00 00 00 02");

  /* Cancel keeps the window open */
  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_true (derm_test_ui_answer_question ("cancel", 2000));
  derm_test_ui_await (no_question, NULL, "no question");
  /* Everything the answer set off has run */
  derm_test_ui_await_idle ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));

  /* Save stores the edit, then the window goes */
  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_true (derm_test_ui_answer_question ("save", 2000));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_WINDOW), "no toplevel");
  phone = stored_phone (fixture, fixture->zoe_id);
  g_assert_cmpstr (phone, ==, "07 00 00 00 02");

  g_clear_object (&fixture->window);
  g_assert_null (window);
}

static void
test_screening_escape_asks (Fixture       *fixture,
                            gconstpointer  data)
{
  DermScreeningDialog *dialog;
  g_autoptr (GPtrArray) screenings = NULL;
  g_autoptr (GError) error = NULL;

  show_client (fixture, fixture->zoe_id);

  /* Opened and closed untouched: no question */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "client.new-screening", NULL));
  dialog = find_toplevel (DERM_TYPE_SCREENING_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_SCREENING_DIALOG), "no toplevel");
  g_assert_null (derm_test_ui_find_question ());

  /* Half-filled, Escape asks; Cancel keeps every answer */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "client.new-screening", NULL));
  dialog = find_toplevel (DERM_TYPE_SCREENING_DIALOG);
  derm_screening_dialog_set_answer (dialog, DERM_QUESTION_ACTIVE_INFECTION, DERM_ANSWER_NO);
  derm_screening_dialog_set_answer (dialog, DERM_QUESTION_ANTICOAGULANTS, DERM_ANSWER_YES);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  g_assert_true (derm_test_ui_answer_question ("cancel", 2000));
  derm_test_ui_await (no_question, NULL, "no question");
  /* Everything the answer set off has run */
  derm_test_ui_await_idle ();
  g_assert_true (find_toplevel (DERM_TYPE_SCREENING_DIALOG) == dialog);

  /* Save from the question stores the screening */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  g_assert_true (derm_test_ui_answer_question ("save", 2000));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_SCREENING_DIALOG), "no toplevel");
  screenings = derm_store_list_screenings (fixture->store, fixture->zoe_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (screenings->len, ==, 1);
  g_assert_cmpint (derm_screening_get_answer (g_ptr_array_index (screenings, 0), DERM_QUESTION_ANTICOAGULANTS),
                   ==, DERM_ANSWER_YES);
}

static gboolean
plan_ready (gpointer data)
{
  return derm_plan_dialog_get_ready (data);
}

static void
test_session_and_plan_ask (Fixture       *fixture,
                           gconstpointer  data)
{
  DermTreatmentDialog *session;
  DermPlanDialog *plan;
  g_autoptr (GPtrArray) treatments = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *tomorrow = NULL;
  GDate date;

  show_client (fixture, fixture->zoe_id);

  /* A session with a zone added, closed: Discard stores nothing */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "client.add-session", NULL));
  session = find_toplevel (DERM_TYPE_TREATMENT_DIALOG);
  g_assert_nonnull (session);
  derm_test_ui_await_unset (session, "loading");
  g_assert_nonnull (session);
  derm_treatment_dialog_add_zone (session, "forehead", 0.5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (session), "window.close", NULL));
  g_assert_true (derm_test_ui_answer_question ("discard", 2000));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_TREATMENT_DIALOG), "no toplevel");
  treatments = derm_store_list_treatments (fixture->store, fixture->zoe_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (treatments->len, ==, 0);

  /* A plan whose start was changed by hand asks too; Cancel keeps it open */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "client.plan-series", NULL));
  plan = find_toplevel (DERM_TYPE_PLAN_DIALOG);
  g_assert_nonnull (plan);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan), "window.close", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_PLAN_DIALOG), "no toplevel");
  g_assert_null (derm_test_ui_find_question ());

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "client.plan-series", NULL));
  plan = find_toplevel (DERM_TYPE_PLAN_DIALOG);
  /* It reads the calendar on the store's worker before it proposes */
  derm_test_ui_await (plan_ready, plan, "the plan dialog ready");
  derm_date_today (&date);
  g_date_add_days (&date, 2);
  tomorrow = derm_date_format (&date);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (plan), DERM_TYPE_PLAN_DIALOG,
                                                                      "start_row")), tomorrow);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan), "window.close", NULL));
  g_assert_true (derm_test_ui_answer_question ("cancel", 2000));
  derm_test_ui_await (no_question, NULL, "no question");
  /* Everything the answer set off has run */
  derm_test_ui_await_idle ();
  g_assert_true (find_toplevel (DERM_TYPE_PLAN_DIALOG) == plan);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan), "window.close", NULL));
  g_assert_true (derm_test_ui_answer_question ("discard", 2000));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_PLAN_DIALOG), "no toplevel");
}

static double
y_in_window (GtkWidget *widget)
{
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (gtk_widget_get_root (widget)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  return point.y;
}

static gboolean
allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

typedef struct
{
  GtkWidget *widget;
  int        height;
} HeightWatch;

static gboolean
height_changed (gpointer data)
{
  HeightWatch *watch = data;

  return gtk_widget_get_height (watch->widget) != watch->height;
}

/* Answering Yes adds a finding: the questions must not move under the pointer */
static void
test_screening_questions_stay_still (Fixture       *fixture,
                                     gconstpointer  data)
{
  DermScreeningDialog *dialog;
  GtkWidget *questions;
  GtkWidget *findings;
  HeightWatch watch;
  double before;

  show_client (fixture, fixture->zoe_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "client.new-screening", NULL));
  dialog = find_toplevel (DERM_TYPE_SCREENING_DIALOG);
  questions = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_SCREENING_DIALOG,
                                                         "questions_group"));
  findings = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_SCREENING_DIALOG,
                                                        "findings_group"));
  derm_screening_dialog_set_answer (dialog, DERM_QUESTION_ACTIVE_INFECTION, DERM_ANSWER_NO);
  derm_screening_dialog_set_answer (dialog, DERM_QUESTION_OPEN_WOUNDS, DERM_ANSWER_NO);
  derm_screening_dialog_set_answer (dialog, DERM_QUESTION_INFLAMED_SKIN, DERM_ANSWER_NO);
  derm_screening_dialog_set_answer (dialog, DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_NO);
  derm_screening_dialog_set_answer (dialog, DERM_QUESTION_CONSENT, DERM_ANSWER_YES);
  derm_test_ui_await (allocated, dialog, "allocated");
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "screening-before-yes"));
  before = y_in_window (questions);
  watch.widget = findings;
  watch.height = gtk_widget_get_height (findings);

  derm_screening_dialog_set_answer (dialog, DERM_QUESTION_ANTICOAGULANTS, DERM_ANSWER_YES);
  derm_screening_dialog_set_answer (dialog, DERM_QUESTION_PREGNANCY, DERM_ANSWER_YES);
  derm_test_ui_await (height_changed, &watch, "height changed");
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "screening-after-yes"));

  g_assert_cmpfloat_with_epsilon (y_in_window (questions), before, 0.5);
  /* The findings follow the questions */
  g_assert_cmpfloat (y_in_window (findings), >, y_in_window (questions));
}

static gboolean
label_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

/* 7 typed as a depth is refused with a message, not turned into 3.00 */
static void
test_depth_out_of_range_refused (Fixture       *fixture,
                                 gconstpointer  data)
{
  DermTreatmentDialog *session;
  GtkListBox *depths;
  GtkWidget *row;
  GtkLabel *message;
  GtkWidget *spin;
  g_autoptr (GPtrArray) treatments = NULL;
  g_autoptr (GError) error = NULL;

  show_client (fixture, fixture->zoe_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "client.add-session", NULL));
  session = find_toplevel (DERM_TYPE_TREATMENT_DIALOG);
  g_assert_nonnull (session);
  derm_test_ui_await_unset (session, "loading");
  derm_treatment_dialog_add_zone (session, "forehead", 0.5);
  depths = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (session), DERM_TYPE_TREATMENT_DIALOG,
                                                        "depths_list"));
  message = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (session), DERM_TYPE_TREATMENT_DIALOG,
                                                      "depth_error_label"));
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (depths, 0));
  spin = g_object_get_data (G_OBJECT (row), "depth-spin");
  g_assert_true (GTK_IS_SPIN_BUTTON (spin));

  derm_test_ui_await (allocated, session, "allocated");
  gtk_editable_set_text (GTK_EDITABLE (spin), "7");
  derm_test_ui_await (label_visible, message, "label visible");
  g_assert_nonnull (strstr (gtk_label_get_text (message), "forehead"));
  g_assert_nonnull (strstr (gtk_label_get_text (message), "7 mm"));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (session), "session-depth-refused"));

  /* Leaving the field keeps what was typed */
  gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), 7.0, 1e-9);

  gtk_widget_activate_action (GTK_WIDGET (session), "treatment.save", NULL);
  /* Everything the answer set off has run */
  derm_test_ui_await_idle ();
  treatments = derm_store_list_treatments (fixture->store, fixture->zoe_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (treatments->len, ==, 0);

  /* Corrected, and the cautions (no screening yet) acknowledged, it saves */
  gtk_editable_set_text (GTK_EDITABLE (spin), "1.25");
  {
    GPtrArray *findings = derm_treatment_dialog_get_findings (session);

    for (guint i = 0; i < findings->len; i++)
      if (derm_finding_get_severity (g_ptr_array_index (findings, i)) == DERM_SEVERITY_CAUTION)
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (session), "treatment.acknowledge", "s",
                                                   derm_finding_get_code (g_ptr_array_index (findings, i))));
  }
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (message)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (session), "treatment.save", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_TREATMENT_DIALOG), "no toplevel");
  g_clear_pointer (&treatments, g_ptr_array_unref);
  treatments = derm_store_list_treatments (fixture->store, fixture->zoe_id, &error);
  g_assert_cmpuint (treatments->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (derm_treatment_get_depth_mm (g_ptr_array_index (treatments, 0), 0), 1.25, 1e-9);

  /* The next session starts from this one */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "client.add-session", NULL));
  session = find_toplevel (DERM_TYPE_TREATMENT_DIALOG);
  g_assert_nonnull (session);
  derm_test_ui_await_unset (session, "loading");
  depths = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (session), DERM_TYPE_TREATMENT_DIALOG,
                                                        "depths_list"));
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (depths, 0));
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "forehead");
  spin = g_object_get_data (G_OBJECT (row), "depth-spin");
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), 1.25, 1e-9);
  /* Prefilled is not edited: closing asks nothing */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (session), "window.close", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_TREATMENT_DIALOG), "no toplevel");
  g_assert_null (derm_test_ui_find_question ());
}

static void
collect_until_label (GtkWidget  *widget,
                     GtkWidget **found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && *found == NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), "Until "))
        *found = child;
      else
        collect_until_label (child, found);
    }
}

static double
luminance (const guchar *px)
{
  double c[3];

  for (guint i = 0; i < 3; i++)
    {
      double v = px[i] / 255.0;

      c[i] = v <= 0.04045 ? v / 12.92 : pow ((v + 0.055) / 1.055, 2.4);
    }
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/* The strongest contrast between the label's darkest (or lightest) text
 * pixel and the background around it, as rendered */
static double
rendered_contrast (GtkWidget *area,
                   GtkWidget *label)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (area);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  graphene_rect_t bounds;
  int width = gtk_widget_get_width (area);
  int height = gtk_widget_get_height (area);
  gsize stride = (gsize) width * 4;
  double background;
  double best = 1.0;

  g_assert_true (gtk_widget_compute_bounds (label, area, &bounds));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (area)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);

  /* Just left of the text: the row's own background */
  background = luminance (pixels + (gsize) (bounds.origin.y + bounds.size.height / 2) * stride +
                          (gsize) MAX (bounds.origin.x - 3, 0) * 4 + 0);
  for (int y = bounds.origin.y; y < bounds.origin.y + bounds.size.height && y < height; y++)
    for (int x = bounds.origin.x; x < bounds.origin.x + bounds.size.width && x < width; x++)
      {
        /* Downloaded as B G R A on little-endian: reorder for luminance */
        const guchar *p = pixels + (gsize) y * stride + (gsize) x * 4;
        guchar rgb[3] = { p[2], p[1], p[0] };
        double l = luminance (rgb);
        double ratio = (MAX (l, background) + 0.05) / (MIN (l, background) + 0.05);

        best = MAX (best, ratio);
      }

  return best;
}

static gboolean
has_until_label (gpointer data)
{
  GtkWidget *found = NULL;

  collect_until_label (data, &found);
  return found != NULL && gtk_widget_get_width (found) > 0;
}

/* The "Until" line under a contraindication reads at 4.5:1 or better,
 * light and dark */
static void
test_until_contrast (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr (DermScreening) screening = derm_screening_new ();
  g_autoptr (GError) error = NULL;
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *last_dose = NULL;
  GtkWidget *list;
  GtkWidget *label = NULL;
  GDate date;

  /* What AdwApplication loads for the app */
  gtk_css_provider_load_from_resource (css, "/io/github/dermis/Dermis/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  derm_date_today (&date);
  g_date_subtract_days (&date, 10);
  last_dose = derm_date_format (&date);
  derm_screening_set_client_id (screening, fixture->zoe_id);
  derm_screening_set_date (screening, last_dose);
  derm_screening_set_answer (screening, DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES);
  derm_screening_set_date_for (screening, DERM_QUESTION_ISOTRETINOIN, last_dose);
  g_assert_true (derm_store_add_screening (fixture->store, screening, &error));
  g_assert_no_error (error);

  show_client (fixture, fixture->zoe_id);
  list = page_child (fixture, "contra_list");
  derm_test_ui_await (has_until_label, list, "has until label");
  collect_until_label (list, &label);

  for (guint dark = 0; dark < 2; dark++)
    {
      double ratio;

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window),
                                              dark ? "client-page-dark" : "client-page-light"));
      ratio = rendered_contrast (list, label);
      g_test_message ("Until line contrast, %s: %.2f:1", dark ? "dark" : "light", ratio);
      g_assert_cmpfloat (ratio, >=, 4.5);
    }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_style_context_remove_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css));
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_descendant (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        return child;
      found = find_actionable (child, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *
make_photo (const char *dir,
            const char *name,
            guint8      shade)
{
  int width = 320, height = 240;
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);
  char *path = g_build_filename (dir, name, NULL);
  DermImage *image = NULL;

  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      rgb[i * 3] = shade;
      rgb[i * 3 + 1] = (guint8) (shade * 3 / 4 + (i % width) / 8);
      rgb[i * 3 + 2] = (guint8) (shade / 2 + (i / width) / 8);
    }
  g_assert_cmpint (derm_image_new_from_rgb (width, height, rgb, (size_t) width * 3, &image, NULL), ==, DERM_STATUS_OK);
  g_assert_cmpint (derm_image_save (image, path, 90, NULL), ==, DERM_STATUS_OK);
  derm_image_free (image);
  return path;
}

static gboolean
import_done (gpointer data)
{
  DermPhotoGallery *gallery = data;

  return !derm_photo_library_get_importing (derm_photo_gallery_get_library (gallery)) &&
         g_list_model_get_n_items (derm_photo_gallery_get_sections (gallery)) > 0;
}

static gboolean
widget_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

static void
file_photo (Fixture       *fixture,
            DermPhoto     *photo,
            DermPhotoView  view)
{
  g_autoptr (GError) error = NULL;

  derm_photo_set_view (photo, view);
  g_assert_true (derm_store_update_photo (fixture->store, photo, &error));
  g_assert_no_error (error);
}

/* Created, a client's gallery takes photos at once; filing the second
 * Front photo makes Compare... available without reselecting the client */
/* The gallery's list came back from the store's worker */
static gboolean
gallery_listed (gpointer gallery)
{
  return !derm_photo_gallery_get_reloading (DERM_PHOTO_GALLERY (gallery));
}

static void
test_new_client_gallery_and_compare (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *camera = g_build_filename (fixture->data_dir, "camera", NULL);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) photos = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *gallery;
  GtkWidget *compare;
  gint64 id;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-client", NULL));
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "name_row")), "Ingrid Ødegård");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "client.save", NULL));
  /* The save runs on the store's worker */
  g_assert_true (derm_test_ui_wait_until (shows_created, fixture, 5000));
  id = shown_id (fixture);
  g_assert_cmpint (id, >, 0);

  gallery = find_descendant (GTK_WIDGET (page_of (fixture)), DERM_TYPE_PHOTO_GALLERY);
  g_assert_nonnull (gallery);
  g_assert_true (gtk_widget_get_sensitive (gallery));
  g_assert_cmpint (derm_photo_gallery_get_client_id (DERM_PHOTO_GALLERY (gallery)), ==, id);

  g_mkdir_with_parents (camera, 0700);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("visit-%u.jpg", i);
      g_autofree char *path = make_photo (camera, name, (guint8) (180 + 20 * i));

      g_ptr_array_add (files, g_file_new_for_path (path));
    }
  derm_photo_gallery_import (DERM_PHOTO_GALLERY (gallery), (GFile **) files->pdata, files->len);
  derm_test_ui_await (import_done, gallery, "import done");

  photos = derm_store_list_photos (fixture->store, id, DERM_PHOTO_LIST_ACTIVE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photos->len, ==, 2);
  file_photo (fixture, g_ptr_array_index (photos, 0), DERM_PHOTO_VIEW_FRONT);
  file_photo (fixture, g_ptr_array_index (photos, 1), DERM_PHOTO_VIEW_LEFT_45);
  derm_photo_gallery_reload (DERM_PHOTO_GALLERY (gallery));
  compare = find_actionable (GTK_WIDGET (page_of (fixture)), "client.compare-photos");
  g_assert_nonnull (compare);
  /* Everything the reload set off has run */
  derm_test_ui_await (gallery_listed, gallery, "the photos listed");
  derm_test_ui_await_idle ();
  g_assert_false (gtk_widget_get_sensitive (compare));

  /* What the viewer does when the second photo is filed as Front */
  file_photo (fixture, g_ptr_array_index (photos, 1), DERM_PHOTO_VIEW_FRONT);
  derm_photo_gallery_reload (DERM_PHOTO_GALLERY (gallery));
  derm_test_ui_await (widget_sensitive, compare, "widget sensitive");
}

/* The week of 30 Nov-6 Dec opens December; a week ending in October opens October */
static void
test_month_follows_week (Fixture       *fixture,
                         gconstpointer  data)
{
  DermAgendaView *agenda = derm_window_get_agenda_view (fixture->window);
  DermMonthView *month = derm_window_get_month_view (fixture->window);
  GDate monday;
  GDate shown;

  g_date_clear (&monday, 1);
  g_date_set_dmy (&monday, 30, G_DATE_NOVEMBER, 2026);
  derm_agenda_view_set_week (agenda, &monday);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.calendar-mode", "s", "month"));
  derm_month_view_get_month (month, &shown);
  g_assert_cmpint (g_date_get_month (&shown), ==, G_DATE_DECEMBER);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.calendar-mode", "s", "week"));
  g_date_set_dmy (&monday, 28, G_DATE_SEPTEMBER, 2026);
  derm_agenda_view_set_week (agenda, &monday);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.calendar-mode", "s", "month"));
  derm_month_view_get_month (month, &shown);
  g_assert_cmpint (g_date_get_month (&shown), ==, G_DATE_OCTOBER);
}

/* "soren" and "odegard" find "Søren Ødegård" */
static void
test_search_folds_letters (Fixture       *fixture,
                           gconstpointer  data)
{
  DermClientList *list = derm_window_get_client_list (fixture->window);
  g_autoptr (DermClient) client = NULL;

  add_client (fixture, "Søren Ødegård", NULL);
  derm_client_list_reload (list);
  derm_test_ui_await (list_loaded, list, "list loaded");
  g_assert_cmpuint (derm_client_list_get_n_clients (list), ==, 3);

  derm_client_list_set_query (list, "soren");
  g_assert_cmpuint (g_list_model_get_n_items (derm_client_list_get_model (list)), ==, 1);
  client = g_list_model_get_item (derm_client_list_get_model (list), 0);
  g_assert_cmpstr (derm_client_get_name (client), ==, "Søren Ødegård");
  derm_client_list_set_query (list, "odegard");
  g_assert_cmpuint (g_list_model_get_n_items (derm_client_list_get_model (list)), ==, 1);
  derm_client_list_set_query (list, "");
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
} RowWatch;

static gboolean
n_clients_is_3 (gpointer data)
{
  return derm_client_list_get_n_clients (data) == 3;
}

static gboolean
email_row_shows (gpointer data)
{
  RowWatch *watch = data;

  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (page_child (watch->fixture, "email_row"))),
                    watch->text) == 0;
}

/* Another program (dermis-cli, a second window) writes: what is on
 * screen follows within a second, keeping the selection and unsaved edits */
static void
test_live_refresh (Fixture       *fixture,
                   gconstpointer  data)
{
  DermClientList *list = derm_window_get_client_list (fixture->window);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) other = derm_store_open (fixture->data_dir, &error);
  g_autoptr (DermClient) zoe = NULL;
  g_autoptr (DermClient) added = derm_client_new ();
  RowWatch watch = { fixture, "zoe@example.org" };
  gint64 start;

  g_assert_no_error (error);
  show_client (fixture, fixture->zoe_id);
  g_assert_true (derm_client_list_select_client (list, fixture->zoe_id));
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "phone_row")), "07 11 11 11 11");

  derm_client_set_name (added, "Live Added");
  g_assert_true (derm_store_add_client (other, added, &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_assert_true (derm_test_ui_wait_until (n_clients_is_3, list, 3000));
  g_test_message ("New client from another connection shown after %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1000 * 1000 * 2);

  /* The edit and the selection stayed */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (fixture, "phone_row"))), ==, "07 11 11 11 11");
  g_assert_cmpint (shown_id (fixture), ==, fixture->zoe_id);
  g_assert_true (derm_test_ui_wait_until (selects_shown, fixture, 2000));

  /* Without edits, the record itself follows */
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "phone_row")), "06 12 34 56 78");
  g_assert_false (derm_client_page_has_unsaved_changes (page_of (fixture)));
  zoe = derm_store_get_client (other, fixture->zoe_id, &error);
  g_assert_no_error (error);
  derm_client_set_email (zoe, "zoe@example.org");
  g_assert_true (derm_store_update_client (other, zoe, &error));
  g_assert_no_error (error);
  g_assert_true (derm_test_ui_wait_until (email_row_shows, &watch, 3000));
  g_assert_false (derm_client_page_has_unsaved_changes (page_of (fixture)));
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

/* The client as the list has it (its row's badge and last visit) */
static DermClient *
listed_client (Fixture *fixture,
               gint64   id)
{
  GListModel *model = derm_client_list_get_model (derm_window_get_client_list (fixture->window));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (DermClient) client = g_list_model_get_item (model, i);

      if (derm_client_get_id (client) == id)
        return client;   /* the model keeps it */
    }
  return NULL;
}

static gboolean
last_visit_is (gpointer data)
{
  gpointer *args = data;
  DermClient *listed = listed_client (args[0], ((Fixture *) args[0])->zoe_id);

  return listed != NULL && g_strcmp0 (derm_client_get_last_visit (listed), args[1]) == 0;
}

/* The page's first contraindication, as its red card shows it, or NULL */
static const char *
page_do_not_treat (Fixture *fixture)
{
  GListModel *findings = derm_client_page_get_findings (page_of (fixture));

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr (DermFinding) finding = g_list_model_get_item (findings, i);

      if (derm_finding_get_severity (finding) == DERM_SEVERITY_CONTRAINDICATION)
        return derm_finding_get_reason (finding);  /* the model keeps it */
    }
  return NULL;
}

typedef struct
{
  Fixture    *fixture;
  const char *expected;   /* NULL: no badge */
} BadgeWait;

static gboolean
badge_is (gpointer data)
{
  BadgeWait *wait = data;
  DermClient *listed = listed_client (wait->fixture, wait->fixture->zoe_id);

  return listed != NULL && !derm_client_page_get_loading (page_of (wait->fixture)) &&
         g_strcmp0 (derm_client_get_do_not_treat (listed), wait->expected) == 0;
}

static gboolean
phone_saved (gpointer data)
{
  Fixture *fixture = data;
  DermClient *listed = listed_client (fixture, fixture->zoe_id);

  return listed != NULL && g_strcmp0 (derm_client_get_phone (listed), "06 11 22 33 44") == 0;
}

static void
screen (Fixture    *fixture,
        DermAnswer  infection)
{
  DermScreeningDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "client.new-screening", NULL));
  dialog = find_toplevel (DERM_TYPE_SCREENING_DIALOG);
  g_assert_nonnull (dialog);
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    derm_screening_dialog_set_answer (dialog, q, DERM_ANSWER_NO);
  derm_screening_dialog_set_answer (dialog, DERM_QUESTION_CONSENT, DERM_ANSWER_YES);
  derm_screening_dialog_set_answer (dialog, DERM_QUESTION_ACTIVE_INFECTION, infection);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "screening.save", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_SCREENING_DIALOG), "the screening saved");
  derm_test_ui_await_unset (page_of (fixture), "loading");
}

/* What the list says of a client is what the page says: its Do Not Treat
 * badge is the page's first contraindication, word for word, after a
 * screening rules treatment out, after the client's own details are
 * saved (the row is replaced), and after a clear screening; its last
 * visit follows a session */
static void
test_list_agrees_with_page (Fixture       *fixture,
                            gconstpointer  data)
{
  BadgeWait wait = { fixture, NULL };
  g_autofree char *reason = NULL;
  DermTreatmentDialog *session;
  GDate today;
  g_autofree char *today_iso = NULL;

  show_client (fixture, fixture->zoe_id);
  g_assert_null (page_do_not_treat (fixture));
  g_assert_null (derm_client_get_do_not_treat (listed_client (fixture, fixture->zoe_id)));

  screen (fixture, DERM_ANSWER_YES);
  reason = g_strdup (page_do_not_treat (fixture));
  g_assert_nonnull (reason);
  wait.expected = reason;
  derm_test_ui_await (badge_is, &wait, "the list's badge to say the page's contraindication");

  /* Saving the client's own details replaces the row: the badge stays */
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "phone_row")), "06 11 22 33 44");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "client.save", NULL));
  derm_test_ui_await (phone_saved, fixture, "the saved phone in the list");
  g_assert_cmpstr (derm_client_get_do_not_treat (listed_client (fixture, fixture->zoe_id)), ==, reason);

  /* A clear screening takes the badge away */
  screen (fixture, DERM_ANSWER_NO);
  g_assert_null (page_do_not_treat (fixture));
  wait.expected = NULL;
  derm_test_ui_await (badge_is, &wait, "the list's badge gone with the contraindication");

  /* A session today: the list's last visit is today */
  g_assert_null (derm_client_get_last_visit (listed_client (fixture, fixture->zoe_id)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "client.add-session", NULL));
  session = find_toplevel (DERM_TYPE_TREATMENT_DIALOG);
  g_assert_nonnull (session);
  derm_test_ui_await_unset (session, "loading");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (session), DERM_TYPE_TREATMENT_DIALOG,
                                                                      "practitioner_row")), "Dr. Marta Silva");
  derm_treatment_dialog_add_zone (session, "forehead", 0.5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (session), "treatment.save", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_TREATMENT_DIALOG), "the session saved");
  derm_date_today (&today);
  today_iso = derm_date_format (&today);
  {
    gpointer args[] = { fixture, today_iso };

    derm_test_ui_await (last_visit_is, args, "the list's last visit to be today");
  }
}

int
main (int   argc,
      char *argv[])
{
  derm_test_ui_init (&argc, &argv);

  ADD ("/ui/practice/unsaved/switching-client-asks", test_switch_client_asks);
  ADD ("/ui/practice/unsaved/closing-window-asks", test_close_window_asks);
  ADD ("/ui/practice/unsaved/screening-escape-asks", test_screening_escape_asks);
  ADD ("/ui/practice/unsaved/session-and-plan-ask", test_session_and_plan_ask);
  ADD ("/ui/practice/screening/questions-stay-still", test_screening_questions_stay_still);
  ADD ("/ui/practice/session/depth-out-of-range-refused", test_depth_out_of_range_refused);
  ADD ("/ui/practice/findings/until-line-contrast", test_until_contrast);
  ADD ("/ui/practice/photos/new-client-gallery-and-compare", test_new_client_gallery_and_compare);
  ADD ("/ui/practice/calendar/month-follows-week", test_month_follows_week);
  ADD ("/ui/practice/search/folds-nordic-and-slavic-letters", test_search_folds_letters);
  ADD ("/ui/practice/live/another-program-shows-within-a-second", test_live_refresh);
  ADD ("/ui/practice/list/badge-and-last-visit-agree-with-page", test_list_agrees_with_page);

  return g_test_run ();
}

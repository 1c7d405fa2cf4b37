/* test-ui-planner.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The planner's views driven through their actions: the week agenda
 * (lanes by room and by practitioner, the appointment popover), the
 * month, the Due list and booking from it, planning a series with the
 * proposal edited and re-checked, cancelling with the rest of the series
 * re-planned only on confirmation, marking done through the treatment
 * dialog, the Preferences pages and the iCalendar export. Screenshots
 * go to $DERMIS_SCREENSHOT_DIR.
 */
#define G_LOG_DOMAIN "test-ui-planner"

#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>

#include "derm-application.h"
#include "derm-client.h"
#include "derm-finding.h"
#include "derm-planner.h"
#include "derm-screening.h"
#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-store-private.h"
#include "derm-treatment.h"
#include "derm-validate.h"

#include "derm-agenda-view.h"
#include "derm-book-dialog.h"
#include "derm-clinic-preferences-page.h"
#include "derm-date-row.h"
#include "derm-due-list.h"
#include "derm-month-view.h"
#include "derm-plan-dialog.h"
#include "derm-planner-ui.h"
#include "derm-preferences-window.h"
#include "derm-protocols-preferences-page.h"
#include "derm-replan-dialog.h"
#include "derm-series-timeline.h"
#include "derm-treatment-dialog.h"
#include "derm-window.h"
#include "derm-test-utils.h"
#include "test-ui-util.h"

#define N_AGENDA_CLIENTS 14

static DermApplication *app;

typedef struct
{
  char         *data_dir;
  DermStore    *store;
  DermWindow   *window;
  DermProtocol *protocol;
  /* The Monday of the week the agenda tests look at, three weeks ahead */
  GDate         week;
} Fixture;

static const char *names[] = {
  "Amélie Laurent", "Ana Silva", "Beatriz Costa", "Camille Dubois", "Chloé Bernard",
  "Daniela Rossi", "Elif Yılmaz", "Emma Johansson", "Fatima Haddad", "Gabriela Nowak",
  "Inès Moreau", "Julia Wagner", "Laura García", "Léa Petit", "Maya Cohen", "Nadia Benali",
};

static gint64
add_client (Fixture    *fixture,
            const char *name)
{
  g_autoptr (DermClient) client = derm_client_new ();
  g_autoptr (GError) error = NULL;

  derm_client_set_name (client, name);
  g_assert_true (derm_store_add_client (fixture->store, client, &error));
  g_assert_no_error (error);

  return derm_client_get_id (client);
}

static char *
iso_days_from (const GDate *date,
               int          days)
{
  GDate copy = *date;

  if (days >= 0)
    g_date_add_days (&copy, days);
  else
    g_date_subtract_days (&copy, -days);

  return derm_date_format (&copy);
}

static char *
iso_days_from_today (int days)
{
  GDate today;

  derm_date_today (&today);
  return iso_days_from (&today, days);
}

/* Books a whole series through the planner, as the dialog would */
static DermPlanProposal *
book_series (Fixture    *fixture,
             gint64      client_id,
             const char *start,
             int         preferred_time)
{
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (GError) error = NULL;
  DermPlanProposal *proposal;
  DermPlanRequest request = { 0 };

  GDate day;

  /* A series in the past was booked back then: the store's clock goes
   * back to the day before it starts (no past starts is a booking rule) */
  g_assert_true (derm_date_parse (start, &day));
  g_date_subtract_days (&day, 1);
  {
    g_autoptr (GDateTime) then = g_date_time_new_utc (g_date_get_year (&day), g_date_get_month (&day),
                                                      g_date_get_day (&day), 0, 0, 0);
    derm_store_set_clock (fixture->store, then);
  }
  planner = derm_store_load_planner (fixture->store, NULL, &error);
  g_assert_no_error (error);

  request.protocol = fixture->protocol;
  request.client_id = client_id;
  request.start_date = start;
  request.preferred_time = preferred_time;
  request.with_follow_up = TRUE;

  proposal = derm_planner_propose_series (planner, &request, &error);
  g_assert_no_error (error);
  g_assert_true (derm_planner_check_proposal (planner, proposal, NULL));
  g_assert_true (derm_store_book_proposal (fixture->store, proposal, &error));
  g_assert_no_error (error);
  derm_store_set_clock (fixture->store, NULL);

  return proposal;
}

static void
set_status (Fixture         *fixture,
            DermAppointment *appointment,
            DermAppointmentStatus status)
{
  g_autoptr (GError) error = NULL;

  if (status == DERM_APPOINTMENT_DONE)
    g_assert_true (derm_store_mark_appointment_done (fixture->store, derm_appointment_get_id (appointment),
                                                     0, &error));
  else
    g_assert_true (derm_store_set_appointment_status (fixture->store, derm_appointment_get_id (appointment),
                                                      status, &error));
  g_assert_no_error (error);
}

static gboolean
window_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (GError) error = NULL;
  const char * const rooms[] = { "Room 1", "Room 2", NULL };
  const char * const practitioners[] = { "Dr Ana Silva", "Léa Martin", NULL };
  GDate today;

  g_settings_reset (settings, "window-maximized");
  g_settings_set_int (settings, "window-width", 1280);
  g_settings_set_int (settings, "window-height", 860);

  fixture->data_dir = derm_test_make_data_dir ();
  fixture->store = derm_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);

  clinic = derm_store_load_clinic (fixture->store, &error);
  g_assert_no_error (error);
  derm_clinic_set_rooms (clinic, rooms);
  derm_clinic_set_practitioners (clinic, practitioners);
  g_assert_true (derm_store_save_clinic (fixture->store, clinic, &error));
  g_assert_no_error (error);

  /* A new database may come with it; either way it has these numbers */
  fixture->protocol = derm_store_find_protocol (fixture->store, "Microneedling, face", NULL);
  if (fixture->protocol == NULL)
    {
      fixture->protocol = derm_protocol_new ();
      derm_protocol_set_name (fixture->protocol, "Microneedling, face");
    }
  derm_protocol_set_sessions (fixture->protocol, 4);
  derm_protocol_set_max_interval_weeks (fixture->protocol, 6);
  derm_protocol_set_min_interval_weeks (fixture->protocol, 4);
  derm_protocol_set_interval_weeks (fixture->protocol, 4);
  derm_protocol_set_duration_minutes (fixture->protocol, 60);
  derm_protocol_set_follow_up_weeks (fixture->protocol, 12);
  if (derm_protocol_get_id (fixture->protocol) != 0)
    derm_store_update_protocol (fixture->store, fixture->protocol, &error);
  else
    derm_store_add_protocol (fixture->store, fixture->protocol, &error);
  g_assert_no_error (error);

  derm_date_today (&today);
  g_date_add_days (&today, 21);
  derm_planner_ui_week_start (&today, &fixture->week);

  fixture->window = g_object_ref_sink (derm_window_new (app, fixture->store));
  gtk_window_present (GTK_WINDOW (fixture->window));
  derm_test_ui_await (window_allocated, fixture->window, "window allocated");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  DermWindow *window = fixture->window;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  derm_test_ui_await_tooltips ();
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  derm_test_ui_await_finalized ((gpointer *) &window);

  g_clear_object (&fixture->protocol);
  g_clear_object (&fixture->store);
  derm_test_remove_dir (fixture->data_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
}

typedef struct
{
  DermClientPage *page;
  gint64          id;
} ShownWait;

static gboolean
page_shows (gpointer data)
{
  ShownWait *wait = data;

  return derm_client_get_id (derm_client_page_get_client (wait->page)) == wait->id &&
         !derm_client_page_get_loading (wait->page);
}

/* win.show-client reads the client on the store's worker: until the page
 * shows them with their records */
static void
await_client_shown (DermWindow *window,
                    gint64      id)
{
  ShownWait wait = { derm_window_get_client_page (window), id };

  derm_test_ui_await (page_shows, &wait, "the client page to show the client");
}

static void
activate (Fixture    *fixture,
          const char *action,
          GVariant   *param)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window), action, param));
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
no_toplevel (gpointer data)
{
  return find_toplevel ((GType) GPOINTER_TO_SIZE (data)) == NULL;
}

static guint
count_in_week (Fixture *fixture)
{
  g_autoptr (DermClinic) clinic = derm_store_load_clinic (fixture->store, NULL);
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (GPtrArray) appointments = NULL;

  derm_planner_ui_range (clinic, &fixture->week, 7, &from, &to);
  appointments = derm_store_list_appointments (fixture->store, from, to, NULL);
  g_assert_nonnull (appointments);

  return appointments->len;
}

/* A busy week: a series for each client, starting that Monday */
static GPtrArray *
fill_week (Fixture *fixture)
{
  GPtrArray *proposals = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < N_AGENDA_CLIENTS; i++)
    {
      gint64 id = add_client (fixture, names[i]);
      g_autofree char *day = iso_days_from (&fixture->week, (int) (i % 5));

      g_ptr_array_add (proposals, book_series (fixture, id, day, 9 * 60 + (int) (i % 4) * 150));
    }

  return proposals;
}

static gboolean
plan_dialog_ready (gpointer data)
{
  DermPlanDialog *dialog = find_toplevel (DERM_TYPE_PLAN_DIALOG);

  return dialog != NULL && derm_plan_dialog_get_ready (dialog);
}

/* The dialogs open once the flow read the store, and read what they
 * need on its worker: wait until one is shown and ready */
static DermPlanDialog *
await_plan_dialog (void)
{
  derm_test_ui_await (plan_dialog_ready, NULL, "a plan dialog ready");
  return find_toplevel (DERM_TYPE_PLAN_DIALOG);
}

static gboolean
replan_dialog_ready (gpointer data)
{
  DermReplanDialog *dialog = find_toplevel (DERM_TYPE_REPLAN_DIALOG);

  return dialog != NULL && derm_replan_dialog_get_ready (dialog);
}

static DermReplanDialog *
await_replan_dialog (void)
{
  derm_test_ui_await (replan_dialog_ready, NULL, "a re-plan dialog ready");
  return find_toplevel (DERM_TYPE_REPLAN_DIALOG);
}

static gboolean
timeline_loaded (gpointer data)
{
  return !derm_series_timeline_get_loading (data);
}

static void
await_timeline (DermSeriesTimeline *timeline)
{
  derm_test_ui_await (timeline_loaded, timeline, "the timeline read");
}

/* Picks @iso in the calendar of the date field @editable, as a click on
 * that day would: the popover opens, the day is chosen, it closes */
static void
pick_day (gpointer    editable,
          const char *iso)
{
  GtkWidget *calendar = derm_date_row_get_calendar (editable);
  GtkWidget *popover;
  g_autoptr (GDateTime) day = NULL;
  GDate date;

  g_assert_nonnull (calendar);
  g_assert_true (derm_date_parse (iso, &date));
  day = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date),
                               12, 0, 0);
  popover = gtk_widget_get_ancestor (calendar, GTK_TYPE_POPOVER);
  gtk_popover_popup (GTK_POPOVER (popover));
  derm_test_ui_await_mapped (calendar, TRUE);
  gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
  g_signal_emit_by_name (calendar, "day-selected");
  derm_test_ui_await_mapped (calendar, FALSE);
}

/* @iso as this locale writes a date ("12/25/26", "25.12.2026") */
static char *
locale_date (const char *iso)
{
  char text[64];
  GDate date;

  g_assert_true (derm_date_parse (iso, &date));
  g_assert_cmpuint (g_date_strftime (text, sizeof text, "%x", &date), >, 0);

  return g_strdup (text);
}

/* The first entry below @widget with a calendar button */
static GtkWidget *
find_date_entry (GtkWidget *widget)
{
  if (GTK_IS_ENTRY (widget) && derm_date_row_get_calendar (widget) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_date_entry (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
agenda_loaded (gpointer data)
{
  return !derm_agenda_view_get_loading (data);
}

/* The calendar views read the store on its worker: wait for the read */
static void
await_agenda (DermAgendaView *agenda)
{
  derm_test_ui_await (agenda_loaded, agenda, "the week read");
}

static gboolean
month_loaded (gpointer data)
{
  return !derm_month_view_get_loading (data);
}

static void
await_month (DermMonthView *month)
{
  derm_test_ui_await (month_loaded, month, "the month read");
}

static void
test_agenda_week (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr (GPtrArray) proposals = fill_week (fixture);
  DermAgendaView *agenda = derm_window_get_agenda_view (fixture->window);
  DermAgendaGrid *grid = derm_agenda_view_get_grid (agenda);
  DermPlanProposal *first = g_ptr_array_index (proposals, 0);
  DermAppointment *missed = derm_plan_proposal_get_item (g_ptr_array_index (proposals, 1), 0);
  DermAppointment *shown;
  graphene_rect_t block;
  GDate monday;
  guint n;

  set_status (fixture, missed, DERM_APPOINTMENT_CANCELLED);

  activate (fixture, "win.show-calendar", NULL);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (agenda),
                                                                                                   ADW_TYPE_VIEW_STACK))),
                   ==, "calendar");

  derm_agenda_view_set_week (agenda, &fixture->week);
  derm_agenda_view_get_week (agenda, &monday);
  g_assert_cmpint (g_date_compare (&monday, &fixture->week), ==, 0);
  await_agenda (agenda);

  /* Every appointment of the week, cancelled ones too, as the store has them */
  n = count_in_week (fixture);
  g_assert_cmpuint (n, >=, N_AGENDA_CLIENTS);
  g_assert_cmpuint (derm_agenda_view_get_appointments (agenda)->len, ==, n);

  /* Each is drawn, and a click on its block finds it */
  g_assert_true (derm_agenda_grid_get_block (grid, derm_appointment_get_id (derm_plan_proposal_get_item (first, 0)),
                                             &block));
  derm_test_ui_await_frame (GTK_WIDGET (grid));
  g_assert_true (derm_agenda_grid_get_block (grid, derm_appointment_get_id (derm_plan_proposal_get_item (first, 0)),
                                             &block));
  shown = derm_agenda_grid_get_appointment_at (grid, block.origin.x + block.size.width / 2,
                                               block.origin.y + block.size.height / 2, NULL);
  g_assert_nonnull (shown);
  g_assert_cmpint (derm_appointment_get_id (shown), ==,
                   derm_appointment_get_id (derm_plan_proposal_get_item (first, 0)));
  g_assert_cmpstr (derm_appointment_get_client_name (shown), ==, names[0]);

  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "agenda-week"));

  /* By practitioner: the same appointments in other lanes */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (agenda), "agenda.group-by", "s", "practitioner"));
  g_assert_cmpint (derm_agenda_grid_get_group (grid), ==, DERM_AGENDA_GROUP_PRACTITIONER);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "agenda-week-practitioners"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (agenda), "agenda.group-by", "s", "room"));

  /* The popover of an appointment */
  g_assert_true (derm_agenda_view_open_appointment (agenda, derm_appointment_get_id (derm_plan_proposal_get_item (first, 0))));
  g_assert_nonnull (derm_agenda_view_get_popover (agenda));
  derm_test_ui_await_mapped (GTK_WIDGET (derm_agenda_view_get_popover (agenda)), TRUE);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (derm_agenda_view_get_popover (agenda)), "agenda-popover"));

  /* From the keyboard: the first appointment of the week, then Enter */
  {
    g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (grid));
    gboolean handled = FALSE;

    gtk_popover_popdown (derm_agenda_view_get_popover (agenda));
    derm_test_ui_await_mapped (GTK_WIDGET (derm_agenda_view_get_popover (agenda)), FALSE);
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

        if (!GTK_IS_EVENT_CONTROLLER_KEY (controller))
          continue;
        g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Home, 0, 0, &handled);
        g_assert_true (handled);
        g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
        g_assert_true (handled);
      }
    derm_test_ui_await_mapped (GTK_WIDGET (derm_agenda_view_get_popover (agenda)), TRUE);
  }

  /* Week navigation */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (agenda), "agenda.next", NULL));
  derm_agenda_view_get_week (agenda, &monday);
  g_assert_cmpint (g_date_days_between (&fixture->week, &monday), ==, 7);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (agenda), "agenda.previous", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (agenda), "agenda.today", NULL));
  derm_agenda_view_get_week (agenda, &monday);
  g_assert_cmpint (g_date_get_weekday (&monday), ==, G_DATE_MONDAY);
  g_assert_cmpint (g_date_days_between (&monday, &fixture->week), ==, 21);
}

static void
test_month (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr (GPtrArray) proposals = fill_week (fixture);
  DermMonthView *month = derm_window_get_month_view (fixture->window);
  DermAgendaView *agenda = derm_window_get_agenda_view (fixture->window);
  g_autoptr (GDateTime) start = derm_appointment_dup_start (derm_plan_proposal_get_item (g_ptr_array_index (proposals, 0), 0));
  g_autofree char *iso = NULL;
  guint total = 0;
  GDate date;
  GDate monday;

  derm_agenda_view_set_week (agenda, &fixture->week);
  activate (fixture, "win.calendar-mode", g_variant_new_string ("month"));
  await_month (month);

  /* The week shown before leads to its month: the one holding most of
   * the week, its Thursday's (30 Nov-6 Dec is December) */
  derm_month_view_get_month (month, &date);
  {
    GDate thursday = fixture->week;

    g_date_add_days (&thursday, 3);
    g_assert_cmpint (g_date_get_month (&date), ==, g_date_get_month (&thursday));
  }

  for (guint i = 0; i < 7; i++)
    {
      GDate day = fixture->week;

      g_date_add_days (&day, i);
      total += derm_month_view_get_day_count (month, &day);
    }
  /* Cancelled or missed ones are not counted; none are here */
  g_assert_cmpuint (total, ==, count_in_week (fixture));

  derm_month_view_set_month (month, &fixture->week);
  await_month (month);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "month"));

  /* A day leads to its week */
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (start), g_date_time_get_month (start),
                  g_date_time_get_year (start));
  g_date_add_days (&date, 7);
  iso = derm_date_format (&date);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (month), "month.show-day", "s", iso));
  derm_agenda_view_get_week (agenda, &monday);
  g_assert_cmpint (g_date_days_between (&fixture->week, &monday), ==, 7);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (agenda)))),
                   ==, "week");
}

/* Three series: one overdue, one due soon, one completed and due its
 * follow-up photo */
static void
make_due_series (Fixture *fixture,
                 gint64   ids[3])
{
  g_autofree char *long_ago = iso_days_from_today (-7 * 30);
  g_autofree char *weeks_ago = iso_days_from_today (-7 * 5);
  g_autofree char *months_ago = iso_days_from_today (-7 * 28);
  g_autoptr (DermPlanProposal) overdue = NULL;
  g_autoptr (DermPlanProposal) soon = NULL;
  g_autoptr (DermPlanProposal) completed = NULL;

  overdue = book_series (fixture, add_client (fixture, "Olivia Smith"), long_ago, 10 * 60);
  set_status (fixture, derm_plan_proposal_get_item (overdue, 0), DERM_APPOINTMENT_DONE);
  for (guint i = 1; i < derm_plan_proposal_get_n_items (overdue); i++)
    set_status (fixture, derm_plan_proposal_get_item (overdue, i), DERM_APPOINTMENT_CANCELLED);

  soon = book_series (fixture, add_client (fixture, "Priya Sharma"), weeks_ago, 11 * 60);
  set_status (fixture, derm_plan_proposal_get_item (soon, 0), DERM_APPOINTMENT_DONE);
  set_status (fixture, derm_plan_proposal_get_item (soon, 1), DERM_APPOINTMENT_NO_SHOW);

  completed = book_series (fixture, add_client (fixture, "Rosa Jiménez"), months_ago, 14 * 60);
  for (guint i = 0; i < 4; i++)
    set_status (fixture, derm_plan_proposal_get_item (completed, i), DERM_APPOINTMENT_DONE);
  set_status (fixture, derm_plan_proposal_get_item (completed, 4), DERM_APPOINTMENT_CANCELLED);

  ids[0] = derm_series_get_id (derm_plan_proposal_get_series (overdue));
  ids[1] = derm_series_get_id (derm_plan_proposal_get_series (soon));
  ids[2] = derm_series_get_id (derm_plan_proposal_get_series (completed));
}

static DermDueItem *
find_due (GListModel *model,
          gint64      series_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (DermDueItem) item = g_list_model_get_item (model, i);

      if (derm_series_get_id (derm_due_item_get_series (item)) == series_id)
        return item;
    }

  return NULL;
}

static gboolean
due_loaded (gpointer data)
{
  return !derm_due_list_get_loading (data);
}

/* Waits for the Due list's reload (it reads on the store's worker) */
static void
await_due (DermDueList *due)
{
  derm_test_ui_await (due_loaded, due, "the Due list read");
}

static void
test_due_list (Fixture       *fixture,
               gconstpointer  data)
{
  DermDueList *due = derm_window_get_due_list (fixture->window);
  GListModel *model = derm_due_list_get_model (due);
  GListModel *outcome = derm_due_list_get_outcome_model (due);
  DermPlanDialog *dialog;
  DermReplanDialog *replan;
  DermPlanProposal *proposal;
  g_autoptr (DermPlanProposal) past = NULL;
  g_autoptr (DermAppointment) first = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ten_days_ago = iso_days_from_today (-10);
  DermDueItem *item;
  gint64 ids[3];

  make_due_series (fixture, ids);
  /* Session 1 ten days ago, never marked: it needs an outcome */
  past = book_series (fixture, add_client (fixture, "Mei Chen"), ten_days_ago, 9 * 60);

  /* Showing the page reads what is due afresh */
  activate (fixture, "win.show-due", NULL);
  g_assert_true (derm_due_list_get_loading (due));
  await_due (due);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (outcome), ==, 1);
  first = g_list_model_get_item (outcome, 0);
  g_assert_cmpint (derm_appointment_get_id (first), ==,
                   derm_appointment_get_id (derm_plan_proposal_get_item (past, 0)));

  item = find_due (model, ids[0]);
  g_assert_nonnull (item);
  g_assert_cmpint (derm_due_item_get_kind (item), ==, DERM_DUE_OVERDUE);
  g_assert_cmpuint (derm_due_item_get_session_index (item), ==, 2);
  item = find_due (model, ids[1]);
  g_assert_nonnull (item);
  g_assert_cmpint (derm_due_item_get_kind (item), ==, DERM_DUE_SOON);
  item = find_due (model, ids[2]);
  g_assert_nonnull (item);
  g_assert_cmpint (derm_due_item_get_kind (item), ==, DERM_DUE_FOLLOW_UP);

  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "due-list"));

  /* Its outcome from the list: a no-show, through the re-plan preview */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (due), "planner.no-show", "x",
                                             derm_appointment_get_id (first)));
  replan = await_replan_dialog ();
  derm_replan_dialog_set_rebook (replan, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (replan), "replan.confirm", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_REPLAN_DIALOG), "no toplevel");
  await_due (due);
  g_assert_cmpuint (g_list_model_get_n_items (outcome), ==, 0);
  g_clear_object (&first);
  first = derm_store_get_appointment (fixture->store, derm_appointment_get_id (derm_plan_proposal_get_item (past, 0)),
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (derm_appointment_get_status (first), ==, DERM_APPOINTMENT_NO_SHOW);

  /* Book…: the remaining sessions of the overdue series, from today */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (due), "due.book", "x", ids[0]));
  dialog = await_plan_dialog ();
  g_assert_nonnull (dialog);
  proposal = derm_plan_dialog_get_proposal (dialog);
  g_assert_nonnull (proposal);
  g_assert_cmpint (derm_plan_proposal_get_kind (proposal), ==, DERM_PLAN_PROPOSAL_RESCHEDULE);
  g_assert_cmpuint (derm_plan_proposal_get_n_items (proposal), ==, 3);
  g_assert_cmpuint (derm_appointment_get_session_index (derm_plan_proposal_get_item (proposal, 0)), ==, 2);
  derm_test_assert_bookable (proposal);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "plan.book", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_PLAN_DIALOG), "no toplevel");
  await_due (due);

  /* Booked: no longer due; the series whose session 1 was missed (and
   * not rebooked) is due again instead */
  g_assert_null (find_due (model, ids[0]));
  g_assert_nonnull (find_due (model, ids[1]));
  g_assert_nonnull (find_due (model, ids[2]));
  item = find_due (model, derm_series_get_id (derm_plan_proposal_get_series (past)));
  g_assert_nonnull (item);
  g_assert_cmpuint (derm_due_item_get_session_index (item), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* The follow-up photo */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (due), "due.book", "x", ids[2]));
  dialog = await_plan_dialog ();
  g_assert_nonnull (dialog);
  proposal = derm_plan_dialog_get_proposal (dialog);
  g_assert_cmpuint (derm_plan_proposal_get_n_items (proposal), ==, 1);
  g_assert_cmpint (derm_appointment_get_kind (derm_plan_proposal_get_item (proposal, 0)), ==,
                   DERM_APPOINTMENT_FOLLOW_UP_PHOTO);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "plan.book", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_PLAN_DIALOG), "no toplevel");
  await_due (due);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_null (find_due (model, ids[2]));
}

static guint count_markers (GtkWidget *widget, const char *css);
static gboolean has_label (GtkWidget *widget, const char *text);
static const char *marker_tooltip_containing (GtkWidget *widget, const char *part);

/* Re-validation in every calendar view: a closed day declared after
 * session 1 was booked on it badges that booking in the week, the month,
 * its popover and the Due list's "Needs attention" (read on the store's
 * worker); nothing moves it, and moving it from the list clears it */
static void
test_needs_attention (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermAppointment) stored = NULL;
  g_autofree char *monday = derm_date_format (&fixture->week);
  DermAgendaView *agenda = derm_window_get_agenda_view (fixture->window);
  DermMonthView *month = derm_window_get_month_view (fixture->window);
  DermDueList *due = derm_window_get_due_list (fixture->window);
  GListModel *attention = derm_due_list_get_attention_model (due);
  DermAppointment *first;
  DermAppointment *shown = NULL;
  DermReplanDialog *replan;
  GPtrArray *week;
  GDate day;
  gint64 id;

  proposal = book_series (fixture, add_client (fixture, "Zoë Müller"), monday, 10 * 60);
  first = derm_plan_proposal_get_item (proposal, 0);
  id = derm_appointment_get_id (first);
  g_assert_true (derm_appointment_get_local_date (first, &day));

  /* Before any change: no badge anywhere */
  activate (fixture, "win.show-due", NULL);
  await_due (due);
  g_assert_cmpuint (g_list_model_get_n_items (attention), ==, 0);

  /* The clinic closes that day afterwards */
  clinic = derm_store_load_clinic (fixture->store, &error);
  g_assert_no_error (error);
  derm_clinic_add_closed_date (clinic, &day, "Training");
  g_assert_true (derm_store_save_clinic (fixture->store, clinic, &error));
  g_assert_no_error (error);

  /* The week */
  activate (fixture, "win.show-calendar", NULL);
  activate (fixture, "win.calendar-mode", g_variant_new_string ("week"));
  derm_agenda_view_set_week (agenda, &fixture->week);
  await_agenda (agenda);
  week = derm_agenda_view_get_appointments (agenda);
  for (guint i = 0; i < week->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (week, i);

      if (derm_appointment_get_id (a) == id)
        shown = a;
      else
        g_assert_false (derm_planner_ui_needs_attention (a));
    }
  g_assert_nonnull (shown);
  g_assert_true (derm_planner_ui_needs_attention (shown));
  g_assert_true (derm_appointment_get_problems (shown) & DERM_PLAN_PROBLEM_CLOSED_DAY);
  g_assert_nonnull (derm_appointment_get_problem_message (shown));
  derm_test_ui_await_frame (GTK_WIDGET (derm_agenda_view_get_grid (agenda)));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "agenda-needs-attention"));
  g_assert_true (derm_agenda_view_open_appointment (agenda, id));
  derm_test_ui_await_mapped (GTK_WIDGET (derm_agenda_view_get_popover (agenda)), TRUE);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (derm_agenda_view_get_popover (agenda)),
                                          "agenda-popover-needs-attention"));
  gtk_popover_popdown (derm_agenda_view_get_popover (agenda));

  /* The month: the day's badge counts it, other days have none */
  activate (fixture, "win.calendar-mode", g_variant_new_string ("month"));
  derm_month_view_set_month (month, &day);
  await_month (month);
  g_assert_cmpuint (derm_month_view_get_day_attention (month, &day), ==, 1);
  /* Closed, and still holding the booking: the cell says both */
  g_assert_cmpstr (derm_month_view_get_day_summary (month, &day), ==, "Training · 1 appointment");
  {
    GDate next = day;

    g_date_add_days (&next, 1);
    g_assert_cmpuint (derm_month_view_get_day_attention (month, &next), ==, 0);
  }
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "month-needs-attention"));

  /* The client page's series timeline: re-checked as it is read, the
   * session's marker and the series say it, with the reason */
  {
    DermClientPage *page = derm_window_get_client_page (fixture->window);
    DermSeriesTimeline *timeline;

    activate (fixture, "win.show-client", g_variant_new_int64 (derm_appointment_get_client_id (first)));
    await_client_shown (fixture->window, derm_appointment_get_client_id (first));
    timeline = DERM_SERIES_TIMELINE (gtk_widget_get_template_child (GTK_WIDGET (page), DERM_TYPE_CLIENT_PAGE,
                                                                    "series_timeline"));
    await_timeline (timeline);
    g_assert_cmpuint (count_markers (GTK_WIDGET (timeline), "error"), ==, 1);
    g_assert_true (has_label (GTK_WIDGET (timeline), "Needs attention"));
    g_assert_nonnull (marker_tooltip_containing (GTK_WIDGET (timeline), "The clinic is closed that day"));
  }

  /* Due: "Needs attention" lists it with its reason; the store kept it */
  activate (fixture, "win.show-due", NULL);
  await_due (due);
  g_assert_cmpuint (g_list_model_get_n_items (attention), ==, 1);
  {
    g_autoptr (DermAppointment) listed = g_list_model_get_item (attention, 0);

    g_assert_cmpint (derm_appointment_get_id (listed), ==, id);
    g_assert_true (derm_appointment_get_problems (listed) & DERM_PLAN_PROBLEM_CLOSED_DAY);
  }
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "due-needs-attention"));
  stored = derm_store_get_appointment (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_appointment_get_start_local (stored), ==, derm_appointment_get_start_local (first));
  g_assert_cmpint (derm_appointment_get_status (stored), ==, DERM_APPOINTMENT_BOOKED);

  /* Move… from the list: the re-plan preview, a day later, confirmed */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (due), "planner.move", "x", id));
  replan = await_replan_dialog ();
  {
    GDate later = day;
    g_autofree char *iso = NULL;

    g_date_add_days (&later, 1);
    iso = derm_date_format (&later);
    derm_replan_dialog_set_start (replan, iso, "10:00");
  }
  derm_test_assert_bookable (derm_replan_dialog_get_proposal (replan));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (replan), "replan.confirm", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_REPLAN_DIALOG), "no toplevel");
  await_due (due);
  g_assert_cmpuint (g_list_model_get_n_items (attention), ==, 0);
}

static void
test_plan_series (Fixture       *fixture,
                  gconstpointer  data)
{
  gint64 id = add_client (fixture, "Jane Doe");
  g_autofree char *tuesday = iso_days_from (&fixture->week, 1);
  g_autofree char *sunday = iso_days_from (&fixture->week, 6);
  DermClientPage *page = derm_window_get_client_page (fixture->window);
  g_autoptr (GPtrArray) series = NULL;
  g_autoptr (GPtrArray) appointments = NULL;
  g_autoptr (GError) error = NULL;
  DermSeriesTimeline *timeline;
  DermPlanDialog *dialog;
  DermPlanProposal *proposal;
  DermAppointment *first;
  const char *local;

  activate (fixture, "win.show-client", g_variant_new_int64 (id));
  await_client_shown (fixture->window, id);
  g_assert_cmpint (derm_client_get_id (derm_client_page_get_client (page)), ==, id);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "client.plan-series", NULL));
  dialog = await_plan_dialog ();
  g_assert_nonnull (dialog);

  derm_plan_dialog_set_request (dialog, "Microneedling, face", tuesday, 10 * 60);
  proposal = derm_plan_dialog_get_proposal (dialog);
  g_assert_nonnull (proposal);
  /* Four sessions and the follow-up photo */
  g_assert_cmpuint (derm_plan_proposal_get_n_items (proposal), ==, 5);
  first = derm_plan_proposal_get_item (proposal, 0);
  local = derm_appointment_get_start_local (first);
  g_assert_true (g_str_has_prefix (local, tuesday));
  g_assert_cmpstr (local + 11, ==, "10:00");
  /* Never screened: re-screen first */
  g_assert_true (derm_appointment_get_rescreen_first (first) ||
                 (derm_plan_proposal_get_flags (proposal, 0) & DERM_PLAN_FLAG_RESCREEN_FIRST) != 0);

  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "plan-dialog"));

  /* The first day typed in the locale's order, or picked in the calendar */
  {
    GtkWidget *start_row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_PLAN_DIALOG,
                                                                      "start_row"));
    g_autofree char *wednesday = iso_days_from (&fixture->week, 2);
    g_autofree char *typed = locale_date (wednesday);
    GtkWidget *item_date;

    gtk_editable_set_text (GTK_EDITABLE (start_row), typed);
    proposal = derm_plan_dialog_get_proposal (dialog);
    g_assert_nonnull (proposal);
    g_assert_true (g_str_has_prefix (derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, 0)),
                                     wednesday));
    pick_day (start_row, tuesday);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start_row)), ==, tuesday);
    proposal = derm_plan_dialog_get_proposal (dialog);
    first = derm_plan_proposal_get_item (proposal, 0);
    g_assert_true (g_str_has_prefix (derm_appointment_get_start_local (first), tuesday));

    /* A session's own date has its calendar too */
    item_date = find_date_entry (GTK_WIDGET (dialog));
    g_assert_nonnull (item_date);
    pick_day (item_date, wednesday);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (item_date)), ==, wednesday);
    g_assert_true (g_str_has_prefix (derm_appointment_get_start_local (first), wednesday));
    gtk_editable_set_text (GTK_EDITABLE (item_date), typed);
    g_assert_true (g_str_has_prefix (derm_appointment_get_start_local (first), wednesday));
    pick_day (item_date, tuesday);
    g_assert_true (g_str_has_prefix (derm_appointment_get_start_local (first), tuesday));
    g_assert_cmpstr (derm_appointment_get_start_local (first) + 11, ==, "10:00");
  }

  /* Moved to a Sunday, when the clinic is closed: said under the row, and
   * nothing can be booked */
  derm_plan_dialog_edit_item (dialog, 0, sunday, "10:00");
  g_assert_cmpuint (derm_plan_proposal_get_problems (proposal, 0) & DERM_PLAN_PROBLEM_CLOSED_DAY, !=, 0);
  g_assert_cmpstr (derm_plan_dialog_get_item_message (dialog, 0), !=, "");
  g_assert_false (derm_plan_proposal_is_bookable (proposal));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "plan-dialog-problem"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "plan.book", NULL);
  series = derm_store_list_series (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (series->len, ==, 0);
  g_clear_pointer (&series, g_ptr_array_unref);

  /* A time typed badly is caught before anything else */
  derm_plan_dialog_edit_item (dialog, 0, tuesday, "9h30");
  g_assert_cmpstr (derm_plan_dialog_get_item_message (dialog, 0), !=, "");

  /* Back on the Tuesday at 11:00: fine again, and booked */
  derm_plan_dialog_edit_item (dialog, 0, tuesday, "11:00");
  derm_test_assert_bookable (proposal);
  g_assert_cmpstr (derm_appointment_get_start_local (first) + 11, ==, "11:00");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "plan.book", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_PLAN_DIALOG), "no toplevel");

  series = derm_store_list_series (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (series->len, ==, 1);
  appointments = derm_store_list_series_appointments (fixture->store,
                                                      derm_series_get_id (g_ptr_array_index (series, 0)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (appointments->len, ==, 5);
  g_assert_cmpstr (derm_appointment_get_start_local (g_ptr_array_index (appointments, 0)) + 11, ==, "11:00");

  /* The client page's timeline shows it */
  timeline = DERM_SERIES_TIMELINE (gtk_widget_get_template_child (GTK_WIDGET (page), DERM_TYPE_CLIENT_PAGE,
                                                                  "series_timeline"));
  await_timeline (timeline);
  g_assert_cmpuint (g_list_model_get_n_items (derm_series_timeline_get_series (timeline)), ==, 1);
  /* Every session is booked, and it says so */
  g_assert_cmpstr (derm_series_timeline_get_summary (timeline, 0), ==, "0 of 4 done · sessions 1–4 booked");

  /* One session done, one missed: the timeline says so */
  set_status (fixture, g_ptr_array_index (appointments, 0), DERM_APPOINTMENT_DONE);
  set_status (fixture, g_ptr_array_index (appointments, 1), DERM_APPOINTMENT_NO_SHOW);
  activate (fixture, "win.planner-changed", NULL);
  await_timeline (timeline);
  g_assert_true (g_str_has_prefix (derm_series_timeline_get_summary (timeline, 0), "1 of 4 done"));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), DERM_TYPE_CLIENT_PAGE,
                                                                          "series_group")),
                                          "series-timeline"));
}

/* The session markers of @widget's subtree carrying the style @css */
static guint
count_markers (GtkWidget  *widget,
               const char *css)
{
  guint n = 0;

  if (GTK_IS_MENU_BUTTON (widget) && gtk_widget_has_css_class (widget, "circular") &&
      gtk_widget_has_css_class (widget, css))
    return 1;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_markers (child, css);

  return n;
}

/* The tooltip of the first timeline marker whose tooltip holds @part */
static const char *
marker_tooltip_containing (GtkWidget  *widget,
                           const char *part)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_MENU_BUTTON (widget) && tooltip != NULL && strstr (tooltip, part) != NULL)
    return tooltip;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if ((tooltip = marker_tooltip_containing (child, part)) != NULL)
      return tooltip;
  return NULL;
}

/* A series begun twelve weeks before the test week: its first three
 * sessions are over and still booked, the fourth is to come. The past
 * ones look and count as needing an outcome, not as booked. */
static void
test_timeline_needs_outcome (Fixture       *fixture,
                             gconstpointer  data)
{
  gint64 id = add_client (fixture, "Noor Rahman");
  g_autofree char *start = iso_days_from (&fixture->week, -84);
  g_autoptr (DermPlanProposal) proposal = book_series (fixture, id, start, 10 * 60);
  DermClientPage *page = derm_window_get_client_page (fixture->window);
  DermSeriesTimeline *timeline;
  gint64 now = derm_planner_ui_store_now (fixture->store);

  for (guint k = 0; k < 3; k++)
    g_assert_true (derm_planner_ui_needs_outcome (derm_plan_proposal_get_item (proposal, k), now));
  g_assert_false (derm_planner_ui_needs_outcome (derm_plan_proposal_get_item (proposal, 3), now));

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1366, 768);
  activate (fixture, "win.show-client", g_variant_new_int64 (id));
  await_client_shown (fixture->window, id);
  timeline = DERM_SERIES_TIMELINE (gtk_widget_get_template_child (GTK_WIDGET (page), DERM_TYPE_CLIENT_PAGE,
                                                                  "series_timeline"));
  await_timeline (timeline);
  g_assert_cmpstr (derm_series_timeline_get_summary (timeline, 0), ==,
                   "0 of 4 done · 3 need an outcome · 1 more booked");
  g_assert_cmpuint (count_markers (GTK_WIDGET (timeline), "warning"), ==, 3);
  /* Session 4 and the follow-up photo are to come */
  g_assert_cmpuint (count_markers (GTK_WIDGET (timeline), "accent"), ==, 2);

  /* Session 1 recorded, 2 a no-show: one still waits for its outcome */
  set_status (fixture, derm_plan_proposal_get_item (proposal, 0), DERM_APPOINTMENT_DONE);
  set_status (fixture, derm_plan_proposal_get_item (proposal, 1), DERM_APPOINTMENT_NO_SHOW);
  activate (fixture, "win.planner-changed", NULL);
  await_timeline (timeline);
  g_assert_cmpstr (derm_series_timeline_get_summary (timeline, 0), ==,
                   "1 of 4 done · 1 needs an outcome · 1 more booked");
  g_assert_cmpuint (count_markers (GTK_WIDGET (timeline), "warning"), ==, 1);
  g_assert_cmpuint (count_markers (GTK_WIDGET (timeline), "success"), ==, 1);
  g_assert_cmpuint (count_markers (GTK_WIDGET (timeline), "error"), ==, 1);
  /* The series group, the page scrolled to it in a 1366x768 window */
  derm_test_ui_await_frame (GTK_WIDGET (fixture->window));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                                     DERM_TYPE_CLIENT_PAGE,
                                                                                     "series_group")),
                                          "1366-series-timeline-needs-outcome"));

  /* "Past" is the store's clock, not the wall clock: back to the week the
   * series began, session 3 is still to come, forward to after the
   * follow-up, all that is left needs an outcome */
  {
    GDate day;
    g_autoptr (GDateTime) before = NULL;
    g_autoptr (GDateTime) after = NULL;
    DermAppointment *third = derm_plan_proposal_get_item (proposal, 2);
    g_autoptr (GtkWidget) popover = NULL;

    g_assert_true (derm_date_parse (start, &day));
    g_date_add_days (&day, 3);
    before = g_date_time_new_local (g_date_get_year (&day), g_date_get_month (&day), g_date_get_day (&day), 12, 0, 0);
    derm_store_set_clock (fixture->store, before);
    g_assert_false (derm_planner_ui_needs_outcome (third, derm_planner_ui_store_now (fixture->store)));
    popover = g_object_ref_sink (derm_appointment_popover_new (third, derm_planner_ui_store_now (fixture->store)));
    g_assert_false (has_label (popover, "Needs an outcome: record the session, or mark a no-show or a cancellation"));
    g_clear_object (&popover);
    activate (fixture, "win.planner-changed", NULL);
    await_timeline (timeline);
    g_assert_true (g_str_has_prefix (derm_series_timeline_get_summary (timeline, 0), "1 of 4 done · "));
    g_assert_null (strstr (derm_series_timeline_get_summary (timeline, 0), "outcome"));
    g_assert_cmpuint (count_markers (GTK_WIDGET (timeline), "warning"), ==, 0);

    {
      g_autoptr (GDateTime) wall = g_date_time_new_now_local ();

      after = g_date_time_add_weeks (wall, 52);
    }
    derm_store_set_clock (fixture->store, after);
    g_assert_true (derm_planner_ui_needs_outcome (third, derm_planner_ui_store_now (fixture->store)));
    popover = g_object_ref_sink (derm_appointment_popover_new (third, derm_planner_ui_store_now (fixture->store)));
    g_assert_true (has_label (popover, "Needs an outcome: record the session, or mark a no-show or a cancellation"));
    activate (fixture, "win.planner-changed", NULL);
    await_timeline (timeline);
    g_assert_cmpuint (count_markers (GTK_WIDGET (timeline), "warning"), ==, 3);
    g_assert_nonnull (strstr (derm_series_timeline_get_summary (timeline, 0), "2 need an outcome"));
    derm_store_set_clock (fixture->store, NULL);
  }
}

/* A screening of client @id: isotretinoin two months ago (Do Not Treat
 * for four more months), consent given, everything else "no" */
static void
screen_isotretinoin (Fixture *fixture,
                     gint64   id)
{
  g_autoptr (DermScreening) screening = derm_screening_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *today = iso_days_from_today (0);
  g_autofree char *last_dose = NULL;
  GDate date;

  derm_date_today (&date);
  g_date_subtract_months (&date, 2);
  last_dose = derm_date_format (&date);

  derm_screening_set_client_id (screening, id);
  derm_screening_set_date (screening, today);
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    derm_screening_set_answer (screening, q, DERM_ANSWER_NO);
  derm_screening_set_answer (screening, DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES);
  derm_screening_set_date_for (screening, DERM_QUESTION_ISOTRETINOIN, last_dose);
  derm_screening_set_answer (screening, DERM_QUESTION_CONSENT, DERM_ANSWER_YES);
  derm_screening_set_date_for (screening, DERM_QUESTION_CONSENT, today);
  g_assert_true (derm_store_add_screening (fixture->store, screening, &error));
  g_assert_no_error (error);
}

/* Isotretinoin two months ago: nothing before six months after the
 * last dose, and the proposal says until when */
static void
test_plan_contraindication (Fixture       *fixture,
                            gconstpointer  data)
{
  gint64 id = add_client (fixture, "Zoë Müller");
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *tomorrow = iso_days_from_today (1);
  g_autofree char *in_16_weeks = iso_days_from_today (7 * 16);
  DermPlanDialog *dialog;
  DermPlanProposal *proposal;

  screen_isotretinoin (fixture, id);

  client = derm_store_get_client (fixture->store, id, &error);
  g_assert_no_error (error);
  dialog = DERM_PLAN_DIALOG (derm_plan_dialog_new (fixture->store, client));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (dialog));
  await_plan_dialog ();

  derm_plan_dialog_set_request (dialog, "Microneedling, face", tomorrow, 10 * 60);
  proposal = derm_plan_dialog_get_proposal (dialog);
  g_assert_nonnull (proposal);
  g_assert_false (derm_plan_proposal_get_blocked (proposal));
  g_assert_cmpuint (derm_plan_proposal_get_flags (proposal, 0) & DERM_PLAN_FLAG_DELAYED_BY_FINDING, !=, 0);
  g_assert_cmpstr (derm_plan_dialog_get_item_message (dialog, 0), !=, "");
  /* Four months on at the earliest */
  g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, 0)), >, in_16_weeks);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "plan-dialog-contraindication"));

  /* Pulled back to tomorrow: inside the window, not bookable */
  derm_plan_dialog_edit_item (dialog, 0, tomorrow, "10:00");
  g_assert_cmpuint (derm_plan_proposal_get_problems (proposal, 0) & DERM_PLAN_PROBLEM_CONTRAINDICATED, !=, 0);
  g_assert_false (derm_plan_proposal_is_bookable (proposal));

  gtk_window_destroy (GTK_WINDOW (dialog));
  derm_test_ui_await_idle ();
}

static void
test_cancel_replans_on_confirm (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *monday = derm_date_format (&fixture->week);
  g_autoptr (DermPlanProposal) booked = book_series (fixture, add_client (fixture, "Sofia Esposito"), monday, 10 * 60);
  DermAgendaView *agenda = derm_window_get_agenda_view (fixture->window);
  DermAppointment *session = derm_plan_proposal_get_item (booked, 0);
  g_autoptr (DermAppointment) stored = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GError) error = NULL;
  DermReplanDialog *dialog;
  DermPlanProposal *proposal;
  gboolean has_new = FALSE;

  derm_agenda_view_set_week (agenda, &fixture->week);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (agenda), "planner.cancel", "x",
                                             derm_appointment_get_id (session)));
  dialog = await_replan_dialog ();
  g_assert_nonnull (dialog);
  proposal = derm_replan_dialog_get_proposal (dialog);
  g_assert_nonnull (proposal);
  for (guint i = 0; i < derm_plan_proposal_get_n_items (proposal); i++)
    has_new |= (derm_plan_proposal_get_flags (proposal, i) & DERM_PLAN_FLAG_NEW) != 0;
  g_assert_true (has_new);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "replan-dialog"));

  /* Nothing changed yet */
  stored = derm_store_get_appointment (fixture->store, derm_appointment_get_id (session), &error);
  g_assert_no_error (error);
  g_assert_cmpint (derm_appointment_get_status (stored), ==, DERM_APPOINTMENT_BOOKED);
  g_clear_object (&stored);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "replan.confirm", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_REPLAN_DIALOG), "no toplevel");

  stored = derm_store_get_appointment (fixture->store, derm_appointment_get_id (session), &error);
  g_assert_no_error (error);
  g_assert_cmpint (derm_appointment_get_status (stored), ==, DERM_APPOINTMENT_CANCELLED);
  after = derm_store_list_series_appointments (fixture->store,
                                              derm_series_get_id (derm_plan_proposal_get_series (booked)), &error);
  g_assert_no_error (error);
  /* The replacement was booked with the rest */
  g_assert_cmpuint (after->len, ==, derm_plan_proposal_get_n_items (booked) + 1);

  /* Moving: the new time is checked against the clinic's hours */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (agenda), "planner.move", "x",
                                             derm_appointment_get_id (derm_plan_proposal_get_item (booked, 1))));
  dialog = await_replan_dialog ();
  g_assert_nonnull (dialog);
  /* Nothing is shown as changed, nor can be confirmed, before anything is */
  g_assert_null (derm_replan_dialog_get_proposal (dialog));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "replan.confirm", NULL);
  g_assert_true (find_toplevel (DERM_TYPE_REPLAN_DIALOG) == dialog);
  {
    g_autofree char *date = g_strndup (derm_appointment_get_start_local (derm_plan_proposal_get_item (booked, 1)), 10);

    derm_replan_dialog_set_start (dialog, date, "23:00");
    g_assert_cmpstr (derm_replan_dialog_get_status_message (dialog), !=, "");
    g_assert_false (derm_plan_proposal_is_bookable (derm_replan_dialog_get_proposal (dialog)));
    g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "replan-move-problem"));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  g_assert_true (derm_test_ui_answer_question ("discard", 2000));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_REPLAN_DIALOG), "no toplevel");
}

typedef struct
{
  DermStore             *store;
  gint64                 id;
  DermAppointmentStatus  status;
} StatusWait;

/* Writes happen on the store's worker: wait until the store has it */
static gboolean
has_status (gpointer data)
{
  StatusWait *wait = data;
  g_autoptr (DermAppointment) stored = derm_store_get_appointment (wait->store, wait->id, NULL);

  return stored != NULL && derm_appointment_get_status (stored) == wait->status;
}

static gboolean
page_has_one_session (gpointer data)
{
  return g_list_model_get_n_items (derm_client_page_get_sessions (data)) == 1;
}

static gboolean
timeline_says_one_done (gpointer data)
{
  const char *summary = derm_series_timeline_get_summary (data, 0);

  return !derm_series_timeline_get_loading (data) && summary != NULL && g_str_has_prefix (summary, "1 of 4 done");
}

static void
test_mark_done_records_session (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *start = iso_days_from_today (-14);
  gint64 client_id = add_client (fixture, "Valentina Bianchi");
  g_autoptr (DermPlanProposal) booked = book_series (fixture, client_id, start, 10 * 60);
  DermAppointment *session = derm_plan_proposal_get_item (booked, 0);
  DermSeriesTimeline *timeline;
  DermTreatmentDialog *dialog;
  g_autoptr (DermAppointment) stored = NULL;
  g_autoptr (GPtrArray) treatments = NULL;
  g_autoptr (GError) error = NULL;
  DermClientPage *page = derm_window_get_client_page (fixture->window);

  activate (fixture, "win.show-client", g_variant_new_int64 (client_id));
  await_client_shown (fixture->window, client_id);
  timeline = DERM_SERIES_TIMELINE (gtk_widget_get_template_child (GTK_WIDGET (page), DERM_TYPE_CLIENT_PAGE,
                                                                  "series_timeline"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "planner.mark-done", "x",
                                             derm_appointment_get_id (session)));
  dialog = DERM_TREATMENT_DIALOG (derm_test_ui_await_toplevel (DERM_TYPE_TREATMENT_DIALOG));
  g_assert_nonnull (dialog);
  derm_test_ui_await_unset (dialog, "loading");
  g_assert_nonnull (dialog);
  /* Prefilled from the appointment */
  g_assert_true (g_str_has_prefix (derm_appointment_get_start_local (session),
                                   gtk_editable_get_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                                                        DERM_TYPE_TREATMENT_DIALOG,
                                                                                                        "date_row")))));
  /* Mark Done shows the client's findings too: never screened is a caution
   * to acknowledge before the session can be recorded */
  {
    GPtrArray *findings = derm_treatment_dialog_get_findings (dialog);
    gboolean seen_no_screening = FALSE;

    gtk_widget_activate_action (GTK_WIDGET (dialog), "treatment.save", NULL);
    g_assert_true (find_toplevel (DERM_TYPE_TREATMENT_DIALOG) == dialog);
    for (guint i = 0; i < findings->len; i++)
      {
        DermFinding *finding = g_ptr_array_index (findings, i);

        seen_no_screening |= g_strcmp0 (derm_finding_get_code (finding), "no-screening") == 0;
        if (derm_finding_get_severity (finding) == DERM_SEVERITY_CAUTION)
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "treatment.acknowledge", "s",
                                                     derm_finding_get_code (finding)));
      }
    g_assert_true (seen_no_screening);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "treatment.save", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_TREATMENT_DIALOG), "no toplevel");
  {
    StatusWait wait = { fixture->store, derm_appointment_get_id (session), DERM_APPOINTMENT_DONE };

    derm_test_ui_await (has_status, &wait, "the appointment marked done");
  }

  treatments = derm_store_list_treatments (fixture->store, client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (treatments->len, ==, 1);
  stored = derm_store_get_appointment (fixture->store, derm_appointment_get_id (session), &error);
  g_assert_no_error (error);
  g_assert_cmpint (derm_appointment_get_status (stored), ==, DERM_APPOINTMENT_DONE);
  g_assert_cmpint (derm_appointment_get_treatment_id (stored), ==,
                   derm_treatment_get_id (g_ptr_array_index (treatments, 0)));

  /* The page followed: the session in its list, the timeline one done */
  derm_test_ui_await (page_has_one_session, page, "the page listing the session");
  derm_test_ui_await (timeline_says_one_done, timeline, "the timeline saying 1 of 4 done");
}

/* A label styled as an error with text, under @widget */
static GtkWidget *
find_error_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error") &&
      *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_error_label (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gpointer
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gpointer found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
clinic_saved (gpointer data)
{
  return !derm_clinic_preferences_page_get_saving (data);
}

static gboolean
protocols_read (gpointer data)
{
  return !derm_protocols_preferences_page_get_busy (data);
}

static void
test_preferences_pages (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *prefs = derm_preferences_window_new (fixture->store);
  DermClinicPreferencesPage *calendar = NULL;
  DermProtocolsPreferencesPage *protocols = NULL;
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sunday = NULL;
  GDate christmas;
  GListModel *list;
  guint n_protocols;

  /* The clinic is read on the store's worker; its pages come after */
  derm_test_ui_await_unset (prefs, "loading");
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (prefs));
  derm_test_ui_await_frame (prefs);

  calendar = find_descendant (prefs, DERM_TYPE_CLINIC_PREFERENCES_PAGE);
  protocols = find_descendant (prefs, DERM_TYPE_PROTOCOLS_PREFERENCES_PAGE);
  g_assert_nonnull (calendar);
  g_assert_nonnull (protocols);

  /* Opening hours: validated, saved as the clinic reads them */
  g_assert_true (derm_clinic_preferences_page_set_hours (calendar, G_DATE_SUNDAY, "10:00-14:00"));
  g_assert_false (derm_clinic_preferences_page_set_hours (calendar, G_DATE_SATURDAY, "14:00-10:00"));
  /* The reason is shown in full under the days, not in a toast cut short */
  {
    GtkLabel *reason = GTK_LABEL (find_error_label (GTK_WIDGET (calendar)));

    g_assert_nonnull (reason);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reason)));
    g_assert_true (gtk_label_get_wrap (reason));
    g_assert_true (g_str_has_prefix (gtk_label_get_text (reason), "Saturday: "));
  }
  g_assert_true (derm_clinic_preferences_page_add_closed_day (calendar, "2026-12-25 Christmas"));
  g_assert_false (derm_clinic_preferences_page_add_closed_day (calendar, "Christmas"));
  /* Typed in the locale's order */
  {
    g_autofree char *typed = locale_date ("2026-12-26");
    g_autofree char *text = g_strconcat (typed, " Boxing Day", NULL);

    g_assert_true (derm_clinic_preferences_page_add_closed_day (calendar, text));
  }
  /* Picked in the calendar: the date goes before the name typed first,
   * and a second pick replaces only the date */
  {
    GtkWidget *row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (calendar),
                                                                DERM_TYPE_CLINIC_PREFERENCES_PAGE,
                                                                "add_closed_row"));

    gtk_editable_set_text (GTK_EDITABLE (row), "New Year");
    pick_day (row, "2026-12-31");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "2026-12-31 New Year");
    pick_day (row, "2027-01-01");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "2027-01-01 New Year");
    g_signal_emit_by_name (row, "apply");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  }
  g_assert_true (derm_clinic_preferences_page_add_room (calendar, "Room 3"));
  g_assert_false (derm_clinic_preferences_page_add_room (calendar, "Room 3"));
  /* Saved on the store's worker, in order */
  derm_test_ui_await (clinic_saved, calendar, "the clinic saved");

  clinic = derm_store_load_clinic (fixture->store, &error);
  g_assert_no_error (error);
  sunday = derm_clinic_dup_hours_string (clinic, G_DATE_SUNDAY);
  g_assert_cmpstr (sunday, ==, "10:00-14:00");
  g_date_clear (&christmas, 1);
  g_date_set_dmy (&christmas, 25, G_DATE_DECEMBER, 2026);
  g_assert_cmpstr (derm_clinic_get_closed_label (clinic, &christmas), ==, "Christmas");
  g_date_add_days (&christmas, 1);
  g_assert_cmpstr (derm_clinic_get_closed_label (clinic, &christmas), ==, "Boxing Day");
  g_date_set_dmy (&christmas, 1, G_DATE_JANUARY, 2027);
  g_assert_cmpstr (derm_clinic_get_closed_label (clinic, &christmas), ==, "New Year");
  g_assert_true (derm_clinic_has_room (clinic, "Room 3"));

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs), ADW_PREFERENCES_PAGE (calendar));
  g_assert_true (derm_test_ui_screenshot (prefs, "preferences-calendar"));

  /* Protocols: those of a new database, then one more */
  list = derm_protocols_preferences_page_get_protocols (protocols);
  derm_test_ui_await (protocols_read, protocols, "the protocols read");
  n_protocols = g_list_model_get_n_items (list);
  g_assert_cmpuint (n_protocols, >=, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (protocols), "protocols.add", NULL));
  derm_test_ui_await (protocols_read, protocols, "the protocol added");
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, n_protocols + 1);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs), ADW_PREFERENCES_PAGE (protocols));
  g_assert_true (derm_test_ui_screenshot (prefs, "preferences-protocols"));

  gtk_window_destroy (GTK_WINDOW (prefs));
  derm_test_ui_await_idle ();
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  int *state = user_data;
  g_autoptr (GError) error = NULL;

  *state = derm_planner_ui_export_to_file_finish (result, &error) ? 1 : -1;
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(int *) data != 0;
}

static void
test_export_week (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr (GPtrArray) proposals = fill_week (fixture);
  DermAgendaView *agenda = derm_window_get_agenda_view (fixture->window);
  g_autofree char *path = g_build_filename (fixture->data_dir, "week.ics", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *appointments;
  guint events = 0;
  int state = 0;

  derm_agenda_view_set_week (agenda, &fixture->week);
  await_agenda (agenda);
  appointments = derm_agenda_view_get_appointments (agenda);
  derm_planner_ui_export_to_file_async (fixture->store, appointments, file, NULL, on_exported, &state);
  derm_test_ui_await (is_set, &state, "is set");
  g_assert_cmpint (state, ==, 1);

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\n"));
  for (const char *p = text; (p = strstr (p, "BEGIN:VEVENT")) != NULL; p++)
    events++;
  g_assert_cmpuint (events, ==, appointments->len);
  /* The kind and initials only by default (issue 12), never health details */
  g_assert_null (strstr (text, names[0]));
  g_assert_nonnull (strstr (text, "– A. L."));
}

/* Issue 12: the appointment popover carries the client's Do Not Treat badge */
static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

static void
test_popover_do_not_treat (void)
{
  g_autoptr (DermAppointment) appointment = derm_appointment_new ();
  GtkWidget *plain, *flagged;

  derm_appointment_set_id (appointment, 7);
  derm_appointment_set_client_name (appointment, "Zoë Müller");
  g_assert_true (derm_appointment_set_start (appointment, "2036-03-03T10:00", "Europe/London"));
  derm_appointment_set_duration_minutes (appointment, 60);
  plain = g_object_ref_sink (derm_appointment_popover_new (appointment, g_get_real_time () / G_USEC_PER_SEC));
  g_assert_false (has_label (plain, "Do Not Treat"));
  derm_appointment_set_do_not_treat (appointment, "Active skin infection in the treatment area.");
  flagged = g_object_ref_sink (derm_appointment_popover_new (appointment, g_get_real_time () / G_USEC_PER_SEC));
  g_assert_true (has_label (flagged, "Do Not Treat"));
  g_object_unref (plain);
  g_object_unref (flagged);
}

/* Issue 12, the front desk: a click on a free slot books a single
 * appointment there; dragging an appointment opens the re-plan preview
 * at the drop, which says what breaks and moves nothing by itself; a
 * cancelled appointment is restored from its popover */
static gboolean
book_dialog_ready (gpointer data)
{
  DermBookDialog *dialog = find_toplevel (DERM_TYPE_BOOK_DIALOG);

  return dialog != NULL && derm_book_dialog_get_ready (dialog);
}

static void
emit_on_controller (GtkWidget  *widget,
                    GType       type,
                    const char *signal,
                    double      a,
                    double      b)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (!G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        continue;
      if (g_str_equal (signal, "released"))
        g_signal_emit_by_name (controller, signal, 1, a, b);
      else
        g_signal_emit_by_name (controller, signal, a, b);
      found = TRUE;
    }
  g_assert_true (found);
}

static void
test_front_desk (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *monday = derm_date_format (&fixture->week);
  g_autofree char *sunday = iso_days_from (&fixture->week, 6);
  gint64 walk_in = add_client (fixture, "Amira Haddad");
  g_autoptr (DermPlanProposal) booked = book_series (fixture, add_client (fixture, "Sofia Esposito"), monday, 10 * 60);
  DermAgendaView *agenda = derm_window_get_agenda_view (fixture->window);
  DermAgendaGrid *grid = derm_agenda_view_get_grid (agenda);
  DermAppointment *first = derm_plan_proposal_get_item (booked, 0);
  g_autoptr (GPtrArray) singles = NULL;
  g_autoptr (DermAppointment) stored = NULL;
  g_autoptr (GError) error = NULL;
  DermBookDialog *book;
  DermReplanDialog *replan;
  DermPlanProposal *proposal;
  graphene_rect_t block;
  const char *lane = NULL;
  int minute;
  GDate day;

  activate (fixture, "win.show-calendar", NULL);
  derm_agenda_view_set_week (agenda, &fixture->week);
  await_agenda (agenda);
  derm_test_ui_await_frame (GTK_WIDGET (grid));

  /* Where a point falls: session 1's own block is its day, start and room */
  g_assert_true (derm_agenda_grid_get_block (grid, derm_appointment_get_id (first), &block));
  g_assert_true (derm_agenda_grid_get_slot_at (grid, block.origin.x + 2, block.origin.y + 2, &day, &minute, &lane));
  g_assert_cmpint (g_date_compare (&day, &fixture->week), ==, 0);
  g_assert_cmpint (minute, ==, 10 * 60);
  g_assert_cmpstr (lane, ==, derm_appointment_get_room (first));

  /* A click two hours below it, free: the booking dialog for that slot */
  emit_on_controller (GTK_WIDGET (grid), GTK_TYPE_GESTURE_CLICK, "released",
                      block.origin.x + 2, block.origin.y + 2 + 2 * (block.size.height + 2));
  derm_test_ui_await (book_dialog_ready, NULL, "the booking dialog ready");
  book = find_toplevel (DERM_TYPE_BOOK_DIALOG);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (book),
                                                                                       DERM_TYPE_BOOK_DIALOG,
                                                                                       "time_row"))),
                   ==, "12:00");
  /* No client yet: nothing to book */
  g_assert_null (derm_book_dialog_get_proposal (book));
  g_assert_cmpstr (derm_book_dialog_get_status_message (book), !=, "");
  g_assert_true (derm_book_dialog_set_client (book, walk_in));
  derm_test_ui_await (book_dialog_ready, NULL, "the client's screening read");
  derm_test_assert_bookable (derm_book_dialog_get_proposal (book));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (book), "book-single"));

  /* The day picked in the calendar */
  {
    GtkWidget *date_row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (book), DERM_TYPE_BOOK_DIALOG,
                                                                     "date_row"));

    pick_day (date_row, sunday);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (date_row)), ==, sunday);
    g_assert_true (g_str_has_prefix (derm_appointment_get_start_local (derm_plan_proposal_get_item (
                                       derm_book_dialog_get_proposal (book), 0)), sunday));
  }

  /* On a Sunday the clinic is closed: said, and not bookable */
  derm_book_dialog_set_start (book, sunday, "12:00");
  proposal = derm_book_dialog_get_proposal (book);
  g_assert_nonnull (proposal);
  g_assert_cmpuint (derm_plan_proposal_get_problems (proposal, 0) & DERM_PLAN_PROBLEM_CLOSED_DAY, !=, 0);
  g_assert_cmpstr (derm_book_dialog_get_status_message (book), !=, "");
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (book), "book-single-problem"));
  /* Over session 1 of the same client's series would be the client twice;
   * back to the free slot and booked */
  derm_book_dialog_set_start (book, monday, "12:00");
  derm_test_assert_bookable (derm_book_dialog_get_proposal (book));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (book), "book.book", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_BOOK_DIALOG), "no toplevel");
  singles = derm_store_list_client_appointments (fixture->store, walk_in, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (singles->len, ==, 1);
  g_assert_cmpint (derm_appointment_get_series_id (g_ptr_array_index (singles, 0)), ==, 0);
  g_assert_true (g_str_has_suffix (derm_appointment_get_start_local (g_ptr_array_index (singles, 0)), "T12:00"));
  await_agenda (agenda);

  /* Session 1 dragged a day later: the re-plan preview opens at the drop,
   * session 2 (now a day short of the minimum interval) shifted with it;
   * nothing moves until the user confirms */
  derm_test_ui_await_frame (GTK_WIDGET (grid));
  g_assert_true (derm_agenda_grid_get_block (grid, derm_appointment_get_id (first), &block));
  {
    double day_width = (gtk_widget_get_width (GTK_WIDGET (grid)) - 56) / 7.0;
    gboolean shifted = FALSE;
    g_autofree char *tuesday = iso_days_from (&fixture->week, 1);

    emit_on_controller (GTK_WIDGET (grid), GTK_TYPE_GESTURE_DRAG, "drag-begin", block.origin.x + 2, block.origin.y + 2);
    emit_on_controller (GTK_WIDGET (grid), GTK_TYPE_GESTURE_DRAG, "drag-update", day_width / 2, 0);
    derm_test_ui_await_frame (GTK_WIDGET (grid));
    g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (grid), "drag-move-ghost"));
    emit_on_controller (GTK_WIDGET (grid), GTK_TYPE_GESTURE_DRAG, "drag-end", day_width, 0);
    replan = await_replan_dialog ();
    proposal = derm_replan_dialog_get_proposal (replan);
    g_assert_nonnull (proposal);
    g_assert_cmpint (derm_appointment_get_id (derm_plan_proposal_get_item (proposal, 0)), ==,
                     derm_appointment_get_id (first));
    g_assert_true (g_str_has_prefix (derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, 0)),
                                     tuesday));
    g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, 0)) + 11, ==, "10:00");
    for (guint i = 0; i < derm_plan_proposal_get_n_items (proposal); i++)
      shifted |= (derm_plan_proposal_get_flags (proposal, i) & DERM_PLAN_FLAG_SHIFTED) != 0;
    g_assert_true (shifted);
    g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (replan), "drag-move-preview"));

    /* Another day picked in its calendar */
    {
      GtkWidget *date_row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (replan), DERM_TYPE_REPLAN_DIALOG,
                                                                       "date_row"));
      g_autofree char *wednesday = iso_days_from (&fixture->week, 2);

      pick_day (date_row, wednesday);
      g_assert_true (g_str_has_prefix (derm_appointment_get_start_local (derm_plan_proposal_get_item (
                                         derm_replan_dialog_get_proposal (replan), 0)), wednesday));
    }

    /* Dropped on the Sunday: closed, said, and the move cannot be confirmed */
    derm_replan_dialog_set_start (replan, sunday, "10:00");
    g_assert_cmpstr (derm_replan_dialog_get_status_message (replan), !=, "");
    g_assert_false (derm_plan_proposal_is_bookable (derm_replan_dialog_get_proposal (replan)));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (replan), "window.close", NULL));
  g_assert_true (derm_test_ui_answer_question ("discard", 2000));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_REPLAN_DIALOG), "no toplevel");
  stored = derm_store_get_appointment (fixture->store, derm_appointment_get_id (first), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_appointment_get_start_local (stored), ==, derm_appointment_get_start_local (first));
  g_clear_object (&stored);

  /* Cancelled without rebooking, then restored from its popover */
  set_status (fixture, first, DERM_APPOINTMENT_CANCELLED);
  activate (fixture, "win.planner-changed", NULL);
  await_agenda (agenda);
  g_assert_true (derm_agenda_view_open_appointment (agenda, derm_appointment_get_id (first)));
  derm_test_ui_await_mapped (GTK_WIDGET (derm_agenda_view_get_popover (agenda)), TRUE);
  g_assert_true (has_label (GTK_WIDGET (derm_agenda_view_get_popover (agenda)), "_Restore Appointment"));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (derm_agenda_view_get_popover (agenda)), "popover-restore"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (agenda), "planner.restore", "x",
                                             derm_appointment_get_id (first)));
  {
    StatusWait wait = { fixture->store, derm_appointment_get_id (first), DERM_APPOINTMENT_BOOKED };

    derm_test_ui_await (has_status, &wait, "the appointment restored");
  }
  await_agenda (agenda);
}

/* The text of the first label under @widget starting with @prefix */
static const char *
label_with_prefix (GtkWidget  *widget,
                   const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix))
    return gtk_label_get_text (GTK_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text = label_with_prefix (child, prefix);

      if (text != NULL)
        return text;
    }
  return NULL;
}

static gboolean
has_label_prefix (GtkWidget  *widget,
                  const char *prefix)
{
  return label_with_prefix (widget, prefix) != NULL;
}

static gboolean
says_not_restored (gpointer window)
{
  return has_label_prefix (window, "The appointment was not restored. Nothing was booked: on ");
}

/* The book dialog's Kind row: for a client with a Do Not Treat finding
 * a one-off treatment is refused with the finding named and cannot be
 * booked; choosing "Consultation (no needling)" in the row makes the same
 * slot bookable, and the store keeps it as a consultation */
static void
test_book_kind (Fixture       *fixture,
                gconstpointer  data)
{
  gint64 id = add_client (fixture, "Zoë Müller");
  g_autofree char *monday = derm_date_format (&fixture->week);
  g_autoptr (DermClinic) clinic = derm_store_load_clinic (fixture->store, NULL);
  g_autoptr (GPtrArray) stored = NULL;
  g_autoptr (GError) error = NULL;
  DermBookDialog *book;
  AdwComboRow *kind_row;
  DermPlanProposal *proposal;
  GListModel *kinds;

  screen_isotretinoin (fixture, id);
  g_assert_nonnull (clinic);
  book = DERM_BOOK_DIALOG (derm_book_dialog_new (fixture->store, monday, 11 * 60,
                                                 derm_clinic_get_rooms (clinic)[0], NULL));
  gtk_window_set_transient_for (GTK_WINDOW (book), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (book));
  derm_test_ui_await (book_dialog_ready, NULL, "the booking dialog ready");
  g_assert_true (derm_book_dialog_set_client (book, id));
  derm_test_ui_await (book_dialog_ready, NULL, "the client's screening read");

  kind_row = ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (book), DERM_TYPE_BOOK_DIALOG, "kind_row"));
  kinds = adw_combo_row_get_model (kind_row);
  g_assert_cmpuint (g_list_model_get_n_items (kinds), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (kinds), 0), ==, "One-off treatment");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (kinds), 1), ==, "Consultation (no needling)");

  /* A treatment: contraindicated, said with the finding, not bookable */
  adw_combo_row_set_selected (kind_row, 0);
  proposal = derm_book_dialog_get_proposal (book);
  g_assert_nonnull (proposal);
  g_assert_cmpint (derm_appointment_get_kind (derm_plan_proposal_get_item (proposal, 0)), ==,
                   DERM_APPOINTMENT_SESSION);
  g_assert_cmpuint (derm_plan_proposal_get_problems (proposal, 0) & DERM_PLAN_PROBLEM_CONTRAINDICATED, !=, 0);
  g_assert_nonnull (strstr (derm_book_dialog_get_status_message (book), "sotretinoin"));
  /* Book does nothing: not booking, nothing stored */
  gtk_widget_activate_action (GTK_WIDGET (book), "book.book", NULL);
  g_assert_true (derm_book_dialog_get_ready (book));
  stored = derm_store_list_client_appointments (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 0);
  g_clear_pointer (&stored, g_ptr_array_unref);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (book), "book-kind-treatment-refused"));

  /* A consultation in the same slot: no needling, bookable, booked as one */
  adw_combo_row_set_selected (kind_row, 1);
  proposal = derm_book_dialog_get_proposal (book);
  derm_test_assert_bookable (proposal);
  g_assert_cmpint (derm_appointment_get_kind (derm_plan_proposal_get_item (proposal, 0)), ==,
                   DERM_APPOINTMENT_CONSULTATION);
  g_assert_cmpstr (derm_book_dialog_get_status_message (book), ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (book), "book.book", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_BOOK_DIALOG), "no toplevel");
  stored = derm_store_list_client_appointments (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpint (derm_appointment_get_kind (g_ptr_array_index (stored, 0)), ==, DERM_APPOINTMENT_CONSULTATION);
  g_assert_true (g_str_has_suffix (derm_appointment_get_start_local (g_ptr_array_index (stored, 0)), "T11:00"));
}

/* A restore the rules refuse: the day of a cancelled appointment closed
 * meanwhile, so restoring it from its popover says why and it stays
 * cancelled */
static void
test_restore_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *monday = derm_date_format (&fixture->week);
  g_autoptr (DermPlanProposal) booked = book_series (fixture, add_client (fixture, "Ines Duarte"), monday, 10 * 60);
  DermAppointment *first = derm_plan_proposal_get_item (booked, 0);
  DermAgendaView *agenda = derm_window_get_agenda_view (fixture->window);
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (DermAppointment) stored = NULL;
  g_autoptr (GError) error = NULL;
  GDate day;

  set_status (fixture, first, DERM_APPOINTMENT_CANCELLED);
  g_assert_true (derm_appointment_get_local_date (first, &day));
  clinic = derm_store_load_clinic (fixture->store, &error);
  g_assert_no_error (error);
  derm_clinic_add_closed_date (clinic, &day, "Training");
  g_assert_true (derm_store_save_clinic (fixture->store, clinic, &error));
  g_assert_no_error (error);

  activate (fixture, "win.show-calendar", NULL);
  activate (fixture, "win.calendar-mode", g_variant_new_string ("week"));
  derm_agenda_view_set_week (agenda, &fixture->week);
  await_agenda (agenda);
  g_assert_true (derm_agenda_view_open_appointment (agenda, derm_appointment_get_id (first)));
  derm_test_ui_await_mapped (GTK_WIDGET (derm_agenda_view_get_popover (agenda)), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (agenda), "planner.restore", "x",
                                             derm_appointment_get_id (first)));
  derm_test_ui_await (says_not_restored, fixture->window, "the refusal said");
  /* Plain sentences with the day as people write it: no ISO stamp, no
   * zone identifier, no planner notes ("changed") */
  {
    g_autofree char *when = derm_appointment_dup_when (first);
    g_autofree char *expected = g_strdup_printf ("The appointment was not restored. Nothing was booked: on %s, "
                                                 "the clinic is closed that day.", when);

    g_assert_cmpstr (label_with_prefix (GTK_WIDGET (fixture->window), "The appointment was not restored."), ==,
                     expected);
  }
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "restore-refused"));

  stored = derm_store_get_appointment (fixture->store, derm_appointment_get_id (first), &error);
  g_assert_no_error (error);
  g_assert_cmpint (derm_appointment_get_status (stored), ==, DERM_APPOINTMENT_CANCELLED);
}

/* Issue 10: while another program holds the write lock the dialog keeps
 * drawing, says the database is busy, changes nothing and keeps the form;
 * once the lock goes, confirming again works */
static void
test_busy_then_retry (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *monday = derm_date_format (&fixture->week);
  g_autoptr (DermPlanProposal) booked = book_series (fixture, add_client (fixture, "Noor Rahman"), monday, 10 * 60);
  DermAppointment *session = derm_plan_proposal_get_item (booked, 0);
  DermAgendaView *agenda = derm_window_get_agenda_view (fixture->window);
  g_autofree char *path = g_build_filename (fixture->data_dir, "dermis.db", NULL);
  g_autoptr (DermAppointment) stored = NULL;
  g_autoptr (GError) error = NULL;
  sqlite3 *other = NULL;
  DermReplanDialog *dialog;
  StatusWait cancelled = { fixture->store, derm_appointment_get_id (session), DERM_APPOINTMENT_CANCELLED };

  derm_store_set_busy_timeout (fixture->store, 300);
  derm_agenda_view_set_week (agenda, &fixture->week);
  await_agenda (agenda);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (agenda), "planner.cancel", "x",
                                             derm_appointment_get_id (session)));
  dialog = await_replan_dialog ();
  derm_replan_dialog_set_rebook (dialog, FALSE);

  /* Another program (dermis-cli, a second window) is writing */
  g_assert_cmpint (sqlite3_open_v2 (path, &other, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "replan.confirm", NULL));
  g_assert_false (derm_replan_dialog_get_ready (dialog));
  derm_test_ui_await (replan_dialog_ready, NULL, "the busy write given up");
  g_assert_true (find_toplevel (DERM_TYPE_REPLAN_DIALOG) == dialog);
  stored = derm_store_get_appointment (fixture->store, derm_appointment_get_id (session), &error);
  g_assert_no_error (error);
  g_assert_cmpint (derm_appointment_get_status (stored), ==, DERM_APPOINTMENT_BOOKED);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "replan-busy"));

  /* The lock goes: the same form, confirmed again */
  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "replan.confirm", NULL));
  derm_test_ui_await (no_toplevel, GSIZE_TO_POINTER (DERM_TYPE_REPLAN_DIALOG), "no toplevel");
  derm_test_ui_await (has_status, &cancelled, "the appointment cancelled");
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Retry on the toast, or, where the message does not fit beside it, in
 * the dialog of the toast's Details (derm-toast.h) */
static gboolean
has_retry (gpointer window)
{
  return find_button_labelled (window, "_Retry") != NULL || find_button_labelled (window, "_Details") != NULL;
}

static void
click_retry (GtkWidget *window)
{
  GtkWidget *retry = find_button_labelled (window, "_Retry");

  if (retry != NULL)
    {
      g_signal_emit_by_name (retry, "clicked");
      return;
    }
  g_signal_emit_by_name (find_button_labelled (window, "_Details"), "clicked");
  g_assert_true (derm_test_ui_answer_question ("action", DERM_TEST_UI_TIMEOUT_MS));
}

static gboolean
not_has_retry (gpointer window)
{
  return !has_retry (window);
}

static void
break_appointments (Fixture  *fixture,
                    gboolean  broken)
{
  sqlite3 *db = derm_store_get_db (fixture->store);

  g_assert_cmpint (sqlite3_exec (db, broken ? "ALTER TABLE appointments RENAME TO appointments_away"
                                            : "ALTER TABLE appointments_away RENAME TO appointments",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
}

/* Issue 10: a view whose read failed says why, with a Retry button that
 * reads again: the week, then a client's series timeline */
static void
test_load_failed_retry (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *monday = derm_date_format (&fixture->week);
  gint64 id = add_client (fixture, "Noor Rahman");
  g_autoptr (DermPlanProposal) first = book_series (fixture, id, monday, 10 * 60);
  g_autoptr (DermPlanProposal) second = NULL;
  DermAgendaView *agenda = derm_window_get_agenda_view (fixture->window);
  DermClientPage *page = derm_window_get_client_page (fixture->window);
  DermSeriesTimeline *timeline;
  guint before;

  derm_agenda_view_set_week (agenda, &fixture->week);
  await_agenda (agenda);
  before = derm_agenda_view_get_appointments (agenda)->len;
  g_assert_cmpuint (before, >=, 1);

  /* The read fails: the week stays as it was, a toast offers Retry */
  break_appointments (fixture, TRUE);
  derm_agenda_view_reload (agenda);
  await_agenda (agenda);
  derm_test_ui_await (has_retry, fixture->window, "the Retry button");
  g_assert_cmpuint (derm_agenda_view_get_appointments (agenda)->len, ==, before);

  /* Mended, and meanwhile another client booked that week: Retry reads it */
  break_appointments (fixture, FALSE);
  second = book_series (fixture, add_client (fixture, "Ana Silva"), monday, 14 * 60);
  /* (a click: "activate" would press the button for a moment first) */
  click_retry (GTK_WIDGET (fixture->window));
  g_assert_true (derm_agenda_view_get_loading (agenda));
  await_agenda (agenda);
  g_assert_cmpuint (derm_agenda_view_get_appointments (agenda)->len, ==, before + 1);

  /* The same for the series timeline */
  activate (fixture, "win.show-client", g_variant_new_int64 (id));
  await_client_shown (fixture->window, id);
  timeline = DERM_SERIES_TIMELINE (gtk_widget_get_template_child (GTK_WIDGET (page), DERM_TYPE_CLIENT_PAGE,
                                                                  "series_timeline"));
  await_timeline (timeline);
  /* The toast went with its button */
  derm_test_ui_await (not_has_retry, fixture->window, "the first toast gone");
  break_appointments (fixture, TRUE);
  derm_series_timeline_reload (timeline);
  g_assert_true (derm_series_timeline_get_loading (timeline));
  await_timeline (timeline);
  derm_test_ui_await (has_retry, fixture->window, "the timeline's Retry button");
  break_appointments (fixture, FALSE);
  click_retry (GTK_WIDGET (fixture->window));
  g_assert_true (derm_series_timeline_get_loading (timeline));
  await_timeline (timeline);
  g_assert_nonnull (derm_series_timeline_get_summary (timeline, 0));
}

/* Issue 10: the Due list's template leaves nothing behind: its top child
 * (the overlay holding the list and the progress bar) goes at dispose, so
 * GTK finds no child left when it finalizes the list */
static void
test_due_list_disposes_children (void)
{
  GtkWidget *due = g_object_ref_sink (g_object_new (DERM_TYPE_DUE_LIST, NULL));

  g_assert_nonnull (gtk_widget_get_first_child (due));
  g_object_run_dispose (G_OBJECT (due));
  g_assert_null (gtk_widget_get_first_child (due));
  g_object_unref (due);
}

/* Issue 10: a planning dialog whose own read failed says why, with a
 * Retry button in the dialog that reads again */
static void
test_dialog_read_failed_retry (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *monday = derm_date_format (&fixture->week);
  GtkWidget *dialog;

  add_client (fixture, "Noor Rahman");
  break_appointments (fixture, TRUE);
  dialog = derm_book_dialog_new (fixture->store, monday, 12 * 60, NULL, NULL);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (dialog));
  derm_test_ui_await (has_retry, dialog, "the dialog's Retry button");
  g_assert_false (derm_book_dialog_get_ready (DERM_BOOK_DIALOG (dialog)));
  g_assert_cmpstr (derm_book_dialog_get_status_message (DERM_BOOK_DIALOG (dialog)), !=, "");

  /* Mended: Retry reads again and the dialog can book */
  break_appointments (fixture, FALSE);
  click_retry (dialog);
  derm_test_ui_await (book_dialog_ready, NULL, "the booking dialog read again");
  derm_test_ui_await (not_has_retry, dialog, "the toast gone with its button");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  derm_test_ui_init (&argc, &argv);

  app = derm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/ui/planner/popover/do-not-treat-badge", test_popover_do_not_treat);
  g_test_add_func ("/ui/planner/due/dispose-leaves-no-child", test_due_list_disposes_children);
  g_test_add ("/ui/planner/agenda/week-by-room-and-practitioner", Fixture, NULL,
              fixture_set_up, test_agenda_week, fixture_tear_down);
  g_test_add ("/ui/planner/month/counts-and-day-opens-week", Fixture, NULL,
              fixture_set_up, test_month, fixture_tear_down);
  g_test_add ("/ui/planner/due/lists-and-books", Fixture, NULL,
              fixture_set_up, test_due_list, fixture_tear_down);
  g_test_add ("/ui/planner/revalidation/badges-week-month-due", Fixture, NULL,
              fixture_set_up, test_needs_attention, fixture_tear_down);
  g_test_add ("/ui/planner/plan-dialog/edit-recheck-book", Fixture, NULL,
              fixture_set_up, test_plan_series, fixture_tear_down);
  g_test_add ("/ui/planner/timeline/past-booked-needs-outcome", Fixture, NULL,
              fixture_set_up, test_timeline_needs_outcome, fixture_tear_down);
  g_test_add ("/ui/planner/plan-dialog/contraindication-delays-and-blocks", Fixture, NULL,
              fixture_set_up, test_plan_contraindication, fixture_tear_down);
  g_test_add ("/ui/planner/replan/cancel-only-on-confirm", Fixture, NULL,
              fixture_set_up, test_cancel_replans_on_confirm, fixture_tear_down);
  g_test_add ("/ui/planner/mark-done/records-session", Fixture, NULL,
              fixture_set_up, test_mark_done_records_session, fixture_tear_down);
  g_test_add ("/ui/planner/preferences/hours-closed-days-rooms-protocols", Fixture, NULL,
              fixture_set_up, test_preferences_pages, fixture_tear_down);
  g_test_add ("/ui/planner/front-desk/restore-refused-by-rules", Fixture, NULL,
              fixture_set_up, test_restore_refused, fixture_tear_down);
  g_test_add ("/ui/planner/front-desk/book-slot-drag-restore", Fixture, NULL,
              fixture_set_up, test_front_desk, fixture_tear_down);
  g_test_add ("/ui/planner/front-desk/book-kind-treatment-or-consultation", Fixture, NULL,
              fixture_set_up, test_book_kind, fixture_tear_down);
  g_test_add ("/ui/planner/busy/refused-then-retried", Fixture, NULL,
              fixture_set_up, test_busy_then_retry, fixture_tear_down);
  g_test_add ("/ui/planner/load-failed/retry-reads-again", Fixture, NULL,
              fixture_set_up, test_load_failed_retry, fixture_tear_down);
  g_test_add ("/ui/planner/load-failed/dialog-retry-reads-again", Fixture, NULL,
              fixture_set_up, test_dialog_read_failed_retry, fixture_tear_down);
  g_test_add ("/ui/planner/export/week-ics", Fixture, NULL,
              fixture_set_up, test_export_week, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}

/* derm-planner-ui.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-planner-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-client.h"
#include "derm-ical.h"
#include "derm-planner.h"
#include "derm-screening.h"
#include "derm-screening-rules.h"
#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-treatment.h"
#include "derm-validate.h"

#include "derm-plan-dialog.h"
#include "derm-planner-ui.h"
#include "derm-replan-dialog.h"
#include "derm-treatment-dialog.h"
#include "derm-toast.h"

char *
derm_planner_ui_format_date (const GDate *date)
{
  g_autoptr (GDateTime) dt = NULL;

  g_return_val_if_fail (date != NULL && g_date_valid (date), g_strdup (""));

  dt = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                              g_date_get_day (date), 12, 0, 0);
  /* Translators: a date as in "Tue 3 Mar 2026"; see g_date_time_format() */
  return g_date_time_format (dt, _("%a %-d %b %Y"));
}

char *
derm_planner_ui_format_iso_date (const char *iso)
{
  GDate date;

  if (iso == NULL || !derm_date_parse (iso, &date))
    return g_strdup (iso != NULL ? iso : "");

  return derm_planner_ui_format_date (&date);
}

char *
derm_planner_ui_format_appointment_time (DermAppointment *appointment)
{
  g_autoptr (GDateTime) start = derm_appointment_dup_start (appointment);
  g_autoptr (GDateTime) end = derm_appointment_dup_end (appointment);
  g_autofree char *day = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (start == NULL || end == NULL)
    return g_strdup (_("No time set"));

  /* Translators: a date as in "Tue 3 Mar 2026"; see g_date_time_format() */
  day = g_date_time_format (start, _("%a %-d %b %Y"));
  from = g_date_time_format (start, "%H:%M");
  to = g_date_time_format (end, "%H:%M");

  /* Translators: a day, then a time span: "Tue 3 Mar 2026, 10:00–11:00" */
  return g_strdup_printf (_("%s, %s–%s"), day, from, to);
}

char *
derm_planner_ui_format_minutes (int minutes)
{
  if (minutes < 0)
    return g_strdup ("");

  return g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);
}

GtkStringList *
derm_planner_ui_names_list (const char * const *names,
                            const char         *none)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, none);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    gtk_string_list_append (list, names[i]);

  return list;
}

guint
derm_planner_ui_name_position (GtkStringList *list,
                               const char    *name)
{
  guint n;

  if (list == NULL || name == NULL || *name == '\0')
    return 0;

  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  for (guint i = 1; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (list, i), name) == 0)
      return i;

  return 0;
}

const char *
derm_planner_ui_chosen_name (GtkStringList *list,
                             guint          position)
{
  if (list == NULL || position == 0 || position == GTK_INVALID_LIST_POSITION)
    return NULL;

  return gtk_string_list_get_string (list, position);
}

int
derm_planner_ui_parse_time (const char *text)
{
  guint minutes;

  return derm_time_parse (text, &minutes) ? (int) minutes : -1;
}

gboolean
derm_planner_ui_needs_attention (DermAppointment *appointment)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (appointment), FALSE);

  return derm_appointment_get_status (appointment) == DERM_APPOINTMENT_BOOKED &&
         derm_appointment_get_problems (appointment) != 0;
}

gboolean
derm_planner_ui_needs_outcome (DermAppointment *appointment,
                               gint64           now)
{
  return derm_appointment_get_status (appointment) == DERM_APPOINTMENT_BOOKED &&
         derm_appointment_get_start_local (appointment) != NULL &&
         derm_appointment_get_end_unix (appointment) <= now;
}

gint64
derm_planner_ui_store_now (DermStore *store)
{
  g_autoptr (GDateTime) now = NULL;

  if (store == NULL)
    return g_get_real_time () / G_USEC_PER_SEC;
  now = derm_store_dup_now (store);
  return g_date_time_to_unix (now);
}

void
derm_planner_ui_status_color (DermAppointment *appointment,
                              GdkRGBA         *out)
{
  /* The GNOME palette: blue 3, green 4, light 5, red 3, purple 3 */
  const char *color = "#3584e4";

  if (derm_appointment_get_kind (appointment) == DERM_APPOINTMENT_FOLLOW_UP_PHOTO)
    color = "#9141ac";

  switch (derm_appointment_get_status (appointment))
    {
    case DERM_APPOINTMENT_DONE:
      color = "#2ec27e";
      break;

    case DERM_APPOINTMENT_CANCELLED:
      color = "#9a9996";
      break;

    case DERM_APPOINTMENT_NO_SHOW:
      color = "#e01b24";
      break;

    case DERM_APPOINTMENT_BOOKED:
    default:
      break;
    }

  gdk_rgba_parse (out, color);
}

void
derm_planner_ui_week_start (const GDate *date,
                            GDate       *monday)
{
  *monday = *date;
  g_date_subtract_days (monday, g_date_get_weekday (date) - G_DATE_MONDAY);
}

void
derm_planner_ui_range (DermClinic  *clinic,
                       const GDate *first,
                       guint        days,
                       GDateTime  **from,
                       GDateTime  **to)
{
  GTimeZone *zone = derm_clinic_get_time_zone (clinic);
  GDate last = *first;

  g_date_add_days (&last, days);
  *from = g_date_time_new (zone, g_date_get_year (first), g_date_get_month (first),
                           g_date_get_day (first), 0, 0, 0);
  *to = g_date_time_new (zone, g_date_get_year (&last), g_date_get_month (&last),
                         g_date_get_day (&last), 0, 0, 0);
}

typedef struct
{
  GDate first;
  guint days;
} CalendarRequest;

typedef struct
{
  DermClinic *clinic;
  GPtrArray  *appointments;
} CalendarRead;

static void
calendar_read_free (gpointer data)
{
  CalendarRead *read = data;

  g_clear_object (&read->clinic);
  g_clear_pointer (&read->appointments, g_ptr_array_unref);
  g_free (read);
}

static gboolean
read_calendar (DermStore  *store,
               gpointer    data,
               gpointer   *result,
               GError    **error)
{
  CalendarRequest *request = data;
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  GPtrArray *appointments;
  CalendarRead *read;

  if ((clinic = derm_store_load_clinic (store, error)) == NULL)
    return FALSE;
  derm_planner_ui_range (clinic, &request->first, request->days, &from, &to);
  if ((appointments = derm_store_list_appointments (store, from, to, error)) == NULL)
    return FALSE;
  /* Bookings a later change made impossible carry their reason, here on
   * the worker: the views only draw the badge */
  if (!derm_store_revalidate_appointments (store, appointments, error))
    {
      g_ptr_array_unref (appointments);
      return FALSE;
    }

  read = g_new0 (CalendarRead, 1);
  read->clinic = g_steal_pointer (&clinic);
  read->appointments = appointments;
  *result = read;
  return TRUE;
}

void
derm_planner_ui_read_calendar_async (DermStore           *store,
                                     const GDate         *first,
                                     guint                days,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  CalendarRequest *request;

  g_return_if_fail (DERM_IS_STORE (store));
  g_return_if_fail (first != NULL && g_date_valid (first));

  request = g_new (CalendarRequest, 1);
  request->first = *first;
  request->days = days;
  derm_store_run_async (store, read_calendar, request, g_free, calendar_read_free,
                        cancellable, callback, user_data);
}

gboolean
derm_planner_ui_read_calendar_finish (DermStore     *store,
                                      GAsyncResult  *result,
                                      DermClinic   **clinic,
                                      GPtrArray    **appointments,
                                      GError       **error)
{
  CalendarRead *read = NULL;

  if (!derm_store_run_finish (store, result, (gpointer *) &read, error))
    return FALSE;
  *clinic = g_steal_pointer (&read->clinic);
  *appointments = g_steal_pointer (&read->appointments);
  calendar_read_free (read);
  return TRUE;
}

GPtrArray *
derm_planner_ui_load_findings (DermStore *store,
                               gint64     client_id)
{
  g_autoptr (DermScreening) latest = NULL;
  g_autoptr (GError) error = NULL;

  latest = derm_store_get_latest_screening (store, client_id, &error);
  if (error != NULL)
    {
      /* Unreadable is not "never screened": plan as if it were missing,
       * which marks the first appointment "re-screen first". */
      g_warning ("Could not read the screening of client %" G_GINT64_FORMAT ": %s",
                 client_id, error->message);
    }

  return derm_screening_evaluate (latest, NULL);
}

#define PROGRESS_DELAY_MS 300
#define PROGRESS_PULSE_MS 100

static void
remove_source (gpointer id)
{
  g_source_remove (GPOINTER_TO_UINT (id));
}

static gboolean
progress_pulse (gpointer data)
{
  GtkProgressBar *bar = data;

  gtk_widget_set_visible (GTK_WIDGET (bar), TRUE);
  gtk_progress_bar_pulse (bar);
  return G_SOURCE_CONTINUE;
}

static gboolean
progress_show (gpointer data)
{
  GtkProgressBar *bar = data;
  guint id;

  /* This source ends here: forget it without removing it */
  g_object_steal_data (G_OBJECT (bar), "derm-progress-source");
  progress_pulse (bar);
  id = g_timeout_add_full (G_PRIORITY_DEFAULT, PROGRESS_PULSE_MS, progress_pulse,
                           g_object_ref (bar), g_object_unref);
  g_object_set_data_full (G_OBJECT (bar), "derm-progress-source", GUINT_TO_POINTER (id),
                          remove_source);
  return G_SOURCE_REMOVE;
}

void
derm_planner_ui_progress_start (GtkProgressBar *bar)
{
  guint id;

  g_return_if_fail (GTK_IS_PROGRESS_BAR (bar));

  if (g_object_get_data (G_OBJECT (bar), "derm-progress-source") != NULL)
    return;
  id = g_timeout_add_full (G_PRIORITY_DEFAULT, PROGRESS_DELAY_MS, progress_show,
                           g_object_ref (bar), g_object_unref);
  g_object_set_data_full (G_OBJECT (bar), "derm-progress-source", GUINT_TO_POINTER (id),
                          remove_source);
}

void
derm_planner_ui_progress_stop (GtkProgressBar *bar)
{
  g_return_if_fail (GTK_IS_PROGRESS_BAR (bar));

  g_object_set_data (G_OBJECT (bar), "derm-progress-source", NULL);
  gtk_widget_set_visible (GTK_WIDGET (bar), FALSE);
}

gboolean
derm_planner_ui_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

void
derm_planner_ui_notify_changed (GtkWidget *origin)
{
  if (origin != NULL && gtk_widget_get_root (origin) != NULL)
    gtk_widget_activate_action (origin, "win.planner-changed", NULL);
}

static void
on_retry_load (AdwToast  *toast,
               GtkWidget *view)
{
  gtk_widget_activate_action (view, "planner.reload", NULL);
}

void
derm_planner_ui_load_failed (GtkWidget    *view,
                             const GError *error)
{
  GtkWidget *overlay;
  AdwToast *toast;

  g_return_if_fail (GTK_IS_WIDGET (view));
  g_return_if_fail (error != NULL);

  /* The window's overlay holds the view: the toast's button calls back
   * into the view, whose actions the overlay cannot see */
  overlay = gtk_widget_get_ancestor (view, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      derm_planner_ui_toast (view, error->message);
      return;
    }
  toast = derm_toast_new_with_button (overlay, error->message, _("_Retry"),
                                      g_cclosure_new_object (G_CALLBACK (on_retry_load), G_OBJECT (view)));
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

void
derm_planner_ui_toast (GtkWidget  *origin,
                       const char *message)
{
  if (origin != NULL && gtk_widget_get_root (origin) != NULL)
    gtk_widget_activate_action (origin, "win.show-toast", "s", message);
}

static GtkWindow *
origin_window (GtkWidget *origin)
{
  GtkRoot *root = origin != NULL ? gtk_widget_get_root (origin) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Mark done */

typedef struct
{
  GWeakRef   origin;
  DermStore *store;
  gint64     appointment_id;
} FlowData;

static FlowData *
flow_data_new (GtkWidget *origin,
               DermStore *store,
               gint64     appointment_id)
{
  FlowData *data = g_new0 (FlowData, 1);

  g_weak_ref_init (&data->origin, origin);
  data->store = g_object_ref (store);
  data->appointment_id = appointment_id;

  return data;
}

static void
flow_data_free (gpointer  user_data,
                GClosure *closure)
{
  FlowData *data = user_data;

  g_weak_ref_clear (&data->origin);
  g_clear_object (&data->store);
  g_free (data);
}

/* Marking done writes on the store's worker once the session is saved */
static void
on_marked_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (GtkWidget) origin = g_weak_ref_get (ref);
  g_autoptr (GError) error = NULL;
  g_autofree gint64 *treatment = NULL;

  g_weak_ref_clear (ref);
  g_free (ref);

  if (!derm_store_run_finish (DERM_STORE (source), result, (gpointer *) &treatment, &error))
    {
      /* The session is saved either way; say what did not happen */
      g_autofree char *message = g_strdup_printf (_("Session saved, but the appointment could not be marked done: %s"),
                                                  error->message);

      derm_planner_ui_toast (origin, message);
      derm_planner_ui_notify_changed (origin);
      return;
    }

  /* The toast offers the aftercare sheet (ui/documents) */
  if (origin != NULL && gtk_widget_get_root (origin) != NULL)
    gtk_widget_activate_action (origin, "win.session-saved", "(sx)",
                                _("Session recorded and appointment marked done"),
                                *treatment);
  derm_planner_ui_notify_changed (origin);
}

typedef struct
{
  gint64 appointment_id;
  gint64 treatment_id;
} DoneWrite;

static gboolean
write_done (DermStore  *store,
            gpointer    data,
            gpointer   *result,
            GError    **error)
{
  DoneWrite *write = data;

  if (!derm_store_mark_appointment_done (store, write->appointment_id, write->treatment_id, error))
    return FALSE;
  /* The session it was marked done with, for the toast's aftercare sheet */
  *result = g_memdup2 (&write->treatment_id, sizeof write->treatment_id);
  return TRUE;
}

static GWeakRef *
weak_ref_new (GtkWidget *widget)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, widget);
  return ref;
}

static void
on_session_saved (DermTreatmentDialog *dialog,
                  DermTreatment       *treatment,
                  FlowData            *data)
{
  g_autoptr (GtkWidget) origin = g_weak_ref_get (&data->origin);
  DoneWrite *write = g_new (DoneWrite, 1);

  write->appointment_id = data->appointment_id;
  write->treatment_id = derm_treatment_get_id (treatment);
  derm_store_run_async (data->store, write_done, write, g_free, g_free, NULL,
                        on_marked_done, weak_ref_new (origin));
}

/* What a flow reads before its dialog opens: the appointment, and the
 * client or the series it needs */
typedef struct
{
  DermAppointment *appointment;
  DermClient      *client;
  DermSeries      *series;
} FlowRead;

static void
flow_read_free (gpointer data)
{
  FlowRead *read = data;

  g_clear_object (&read->appointment);
  g_clear_object (&read->client);
  g_clear_object (&read->series);
  g_free (read);
}

typedef enum
{
  FLOW_MARK_DONE,
  FLOW_RESCHEDULE,
  FLOW_BOOK_DUE,
} FlowKind;

typedef struct
{
  FlowKind              kind;
  gint64                id;        /* appointment, or series for FLOW_BOOK_DUE */
  DermAppointmentStatus status;
} FlowRequest;

static gboolean
read_flow (DermStore  *store,
           gpointer    data,
           gpointer   *result,
           GError    **error)
{
  FlowRequest *request = data;
  FlowRead *read = g_new0 (FlowRead, 1);
  gboolean ok = TRUE;

  switch (request->kind)
    {
    case FLOW_MARK_DONE:
      ok = (read->appointment = derm_store_get_appointment (store, request->id, error)) != NULL &&
           (read->client = derm_store_get_client (store, derm_appointment_get_client_id (read->appointment),
                                                  error)) != NULL;
      break;

    case FLOW_RESCHEDULE:
      ok = (read->appointment = derm_store_get_appointment (store, request->id, error)) != NULL;
      break;

    case FLOW_BOOK_DUE:
    default:
      ok = (read->series = derm_store_get_series (store, request->id, error)) != NULL;
      if (ok)
        {
          g_autoptr (GError) missing = NULL;

          /* A series outlives nothing, but say so rather than fail */
          read->client = derm_store_get_client (store, derm_series_get_client_id (read->series), &missing);
          if (read->client == NULL)
            {
              g_warning ("Series %" G_GINT64_FORMAT ": %s", request->id, missing->message);
              read->client = derm_client_new ();
              derm_client_set_name (read->client, derm_series_get_client_name (read->series));
              derm_client_set_id (read->client, derm_series_get_client_id (read->series));
            }
        }
      break;
    }

  if (!ok)
    {
      flow_read_free (read);
      return FALSE;
    }
  *result = read;
  return TRUE;
}

static void
on_replan_confirmed (DermReplanDialog *dialog,
                     const char       *message,
                     FlowData         *data)
{
  g_autoptr (GtkWidget) origin = g_weak_ref_get (&data->origin);

  derm_planner_ui_toast (origin, message);
  derm_planner_ui_notify_changed (origin);
}

static void
on_plan_booked (DermPlanDialog   *dialog,
                DermPlanProposal *proposal,
                FlowData         *data)
{
  g_autoptr (GtkWidget) origin = g_weak_ref_get (&data->origin);
  guint n = derm_plan_proposal_get_n_items (proposal);
  g_autofree char *message = g_strdup_printf (ngettext ("%u appointment booked",
                                                        "%u appointments booked", n), n);

  derm_planner_ui_toast (origin, message);
  derm_planner_ui_notify_changed (origin);
}

typedef struct
{
  GWeakRef     origin;
  FlowRequest  request;
} FlowStart;

static void
on_flow_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  FlowStart *start = user_data;
  g_autoptr (GtkWidget) origin = g_weak_ref_get (&start->origin);
  g_autoptr (GError) error = NULL;
  DermStore *store = DERM_STORE (source);
  FlowRead *read = NULL;
  GtkWidget *dialog = NULL;

  g_weak_ref_clear (&start->origin);

  if (!derm_store_run_finish (store, result, (gpointer *) &read, &error))
    {
      derm_planner_ui_toast (origin, error->message);
      g_free (start);
      return;
    }

  /* The view that asked went away meanwhile: nothing to open over */
  if (origin == NULL || gtk_widget_get_root (origin) == NULL)
    {
      flow_read_free (read);
      g_free (start);
      return;
    }

  switch (start->request.kind)
    {
    case FLOW_MARK_DONE:
      {
        g_autoptr (DermTreatment) prefill = derm_planner_prefill_treatment (read->appointment);

        dialog = derm_treatment_dialog_new (store, read->client, prefill);
        g_signal_connect_data (dialog, "saved", G_CALLBACK (on_session_saved),
                               flow_data_new (origin, store, start->request.id), flow_data_free, 0);
      }
      break;

    case FLOW_RESCHEDULE:
      dialog = derm_replan_dialog_new (store, read->appointment, start->request.status);
      g_signal_connect_data (dialog, "confirmed", G_CALLBACK (on_replan_confirmed),
                             flow_data_new (origin, store, start->request.id), flow_data_free, 0);
      break;

    case FLOW_BOOK_DUE:
    default:
      dialog = derm_plan_dialog_new_for_series (store, read->series, read->client);
      g_signal_connect_data (dialog, "booked", G_CALLBACK (on_plan_booked),
                             flow_data_new (origin, store, 0), flow_data_free, 0);
      break;
    }

  gtk_window_set_transient_for (GTK_WINDOW (dialog), origin_window (origin));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
  flow_read_free (read);
  g_free (start);
}

static void
start_flow (GtkWidget             *origin,
            DermStore             *store,
            FlowKind               kind,
            gint64                 id,
            DermAppointmentStatus  status)
{
  FlowStart *start = g_new0 (FlowStart, 1);
  FlowRequest *request = g_new0 (FlowRequest, 1);

  g_weak_ref_init (&start->origin, origin);
  start->request.kind = request->kind = kind;
  start->request.id = request->id = id;
  start->request.status = request->status = status;
  derm_store_run_async (store, read_flow, request, g_free, flow_read_free, NULL, on_flow_read, start);
}

void
derm_planner_ui_mark_done (GtkWidget *origin,
                           DermStore *store,
                           gint64     appointment_id)
{
  g_return_if_fail (DERM_IS_STORE (store));

  start_flow (origin, store, FLOW_MARK_DONE, appointment_id, DERM_APPOINTMENT_DONE);
}

void
derm_planner_ui_reschedule (GtkWidget             *origin,
                            DermStore             *store,
                            gint64                 appointment_id,
                            DermAppointmentStatus  status)
{
  g_return_if_fail (DERM_IS_STORE (store));

  start_flow (origin, store, FLOW_RESCHEDULE, appointment_id, status);
}

void
derm_planner_ui_book_due (GtkWidget *origin,
                          DermStore *store,
                          gint64     series_id)
{
  g_return_if_fail (DERM_IS_STORE (store));

  start_flow (origin, store, FLOW_BOOK_DUE, series_id, DERM_APPOINTMENT_BOOKED);
}

/* Restore: the appointment booked again where it was, through every
 * rule the store checks for a booking; what stops it is said */

static gboolean
write_restore (DermStore  *store,
               gpointer    data,
               gpointer   *result,
               GError    **error)
{
  *result = NULL;
  return derm_store_set_appointment_status (store, *(gint64 *) data, DERM_APPOINTMENT_BOOKED, error);
}

static void
on_restored (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (GtkWidget) origin = g_weak_ref_get (ref);
  g_autoptr (GError) error = NULL;
  gpointer nothing = NULL;

  g_weak_ref_clear (ref);
  g_free (ref);

  if (!derm_store_run_finish (DERM_STORE (source), result, &nothing, &error))
    {
      /* Two plain sentences: the store's says what stopped it, and when */
      g_autofree char *message = g_strdup_printf (_("The appointment was not restored. %s"), error->message);

      derm_planner_ui_toast (origin, message);
      return;
    }

  derm_planner_ui_toast (origin, _("Appointment restored"));
  derm_planner_ui_notify_changed (origin);
}

void
derm_planner_ui_restore (GtkWidget *origin,
                         DermStore *store,
                         gint64     appointment_id)
{
  g_return_if_fail (DERM_IS_STORE (store));

  derm_store_run_async (store, write_restore, g_memdup2 (&appointment_id, sizeof appointment_id), g_free,
                        NULL, NULL, on_restored, weak_ref_new (origin));
}

/* Export */

typedef struct
{
  DermStore     *store;
  GPtrArray     *appointments;
  GFile         *file;
} ExportData;

static void
export_data_free (gpointer user_data)
{
  ExportData *data = user_data;

  g_clear_object (&data->store);
  g_clear_pointer (&data->appointments, g_ptr_array_unref);
  g_clear_object (&data->file);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClinic) clinic = NULL;
  g_autofree char *calendar_id = NULL;
  g_autofree char *text = NULL;
  DermIcalNames names;

  /* The store is read here too, off the main thread: the calendar's
   * identifier and whether the clinic exports full names (Preferences) */
  if ((calendar_id = derm_store_dup_calendar_id (data->store, &error)) == NULL ||
      (clinic = derm_store_load_clinic (data->store, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  names = derm_clinic_get_export_full_names (clinic) ? DERM_ICAL_NAMES_FULL : DERM_ICAL_NAMES_INITIALS;

  text = derm_ical_export_full (data->appointments, calendar_id, NULL, names, &error);
  if (text == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!g_file_replace_contents (data->file, text, strlen (text), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
derm_planner_ui_export_to_file_async (DermStore           *store,
                                      GPtrArray           *appointments,
                                      GFile               *file,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (DERM_IS_STORE (store));
  g_return_if_fail (appointments != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, derm_planner_ui_export_to_file_async);

  data = g_new0 (ExportData, 1);
  data->store = g_object_ref (store);
  data->file = g_object_ref (file);
  /* The worker gets its own copies: nothing the UI may touch meanwhile */
  data->appointments = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < appointments->len; i++)
    g_ptr_array_add (data->appointments, derm_appointment_copy (g_ptr_array_index (appointments, i)));
  g_task_set_task_data (task, data, export_data_free);

  g_task_run_in_thread (task, export_thread);
}

gboolean
derm_planner_ui_export_to_file_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (GtkWidget) origin = g_weak_ref_get (ref);
  g_autoptr (GError) error = NULL;

  g_weak_ref_clear (ref);
  g_free (ref);

  if (!derm_planner_ui_export_to_file_finish (result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not export the calendar: %s"), error->message);

      derm_planner_ui_toast (origin, message);
      return;
    }

  derm_planner_ui_toast (origin, _("Calendar exported"));
}

typedef struct
{
  GWeakRef   origin;
  DermStore *store;
  GPtrArray *appointments;
} ChooserData;

static void
chooser_data_free (ChooserData *data)
{
  g_weak_ref_clear (&data->origin);
  g_clear_object (&data->store);
  g_clear_pointer (&data->appointments, g_ptr_array_unref);
  g_free (data);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     ChooserData     *data)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr (GtkWidget) origin = g_weak_ref_get (&data->origin);
      GWeakRef *ref = g_new0 (GWeakRef, 1);

      g_weak_ref_init (ref, origin);
      derm_planner_ui_export_to_file_async (data->store, data->appointments, file, NULL,
                                            on_export_done, ref);
    }

  chooser_data_free (data);
  g_object_unref (chooser);
}

void
derm_planner_ui_export (GtkWidget  *origin,
                        DermStore  *store,
                        GPtrArray  *appointments,
                        const char *suggested_name)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  ChooserData *data;

  g_return_if_fail (DERM_IS_STORE (store));
  g_return_if_fail (appointments != NULL);

  if (appointments->len == 0)
    {
      derm_planner_ui_toast (origin, _("There are no appointments to export"));
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Export Calendar"), origin_window (origin),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("iCalendar files"));
  gtk_file_filter_add_mime_type (filter, "text/calendar");
  gtk_file_filter_add_suffix (filter, "ics");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested_name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  data = g_new0 (ChooserData, 1);
  g_weak_ref_init (&data->origin, origin);
  data->store = g_object_ref (store);
  data->appointments = g_ptr_array_ref (appointments);

  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The appointment popover */

static GtkWidget *
popover_button (const char *label,
                const char *action,
                gint64      id)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", id);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_halign (gtk_button_get_child (GTK_BUTTON (button)), GTK_ALIGN_START);

  return button;
}

static GtkWidget *
popover_label (const char *text,
               const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

GtkWidget *
derm_appointment_popover_new (DermAppointment *appointment,
                              gint64           now)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  DermAppointmentStatus status = derm_appointment_get_status (appointment);
  gint64 id = derm_appointment_get_id (appointment);
  const char *name = derm_appointment_get_client_name (appointment);
  const char *room = derm_appointment_get_room (appointment);
  const char *practitioner = derm_appointment_get_practitioner (appointment);
  g_autofree char *title = NULL;
  g_autofree char *when = derm_planner_ui_format_appointment_time (appointment);
  g_autoptr (GString) where = g_string_new (NULL);

  g_return_val_if_fail (DERM_IS_APPOINTMENT (appointment), NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  if (derm_appointment_get_kind (appointment) != DERM_APPOINTMENT_SESSION)
    title = g_strdup (derm_appointment_kind_to_label (derm_appointment_get_kind (appointment)));
  else
    /* Translators: a protocol name, then "session 1 of 4" */
    title = g_strdup_printf (_("%s · session %u of %u"),
                             derm_appointment_get_protocol_name (appointment) != NULL
                             ? derm_appointment_get_protocol_name (appointment) : "",
                             derm_appointment_get_session_index (appointment),
                             derm_appointment_get_session_count (appointment));

  gtk_box_append (GTK_BOX (box), popover_label (name != NULL ? name : "", "heading"));
  if (derm_appointment_get_do_not_treat (appointment) != NULL)
    {
      GtkWidget *badge = popover_label (_("Do Not Treat"), "error");

      gtk_widget_add_css_class (badge, "derm-tag");
      gtk_widget_set_tooltip_text (badge, derm_appointment_get_do_not_treat (appointment));
      gtk_box_append (GTK_BOX (box), badge);
      gtk_box_append (GTK_BOX (box), popover_label (derm_appointment_get_do_not_treat (appointment), "caption"));
    }
  gtk_box_append (GTK_BOX (box), popover_label (title, "dim-label"));
  gtk_box_append (GTK_BOX (box), popover_label (when, NULL));

  if (room != NULL && *room != '\0')
    g_string_append (where, room);
  if (practitioner != NULL && *practitioner != '\0')
    {
      if (where->len > 0)
        g_string_append (where, " · ");
      g_string_append (where, practitioner);
    }
  if (where->len > 0)
    gtk_box_append (GTK_BOX (box), popover_label (where->str, NULL));

  if (status != DERM_APPOINTMENT_BOOKED)
    gtk_box_append (GTK_BOX (box),
                    popover_label (derm_appointment_status_to_label (status),
                                   status == DERM_APPOINTMENT_DONE ? "success" : "warning"));
  else if (derm_planner_ui_needs_outcome (appointment, now))
    gtk_box_append (GTK_BOX (box),
                    popover_label (_("Needs an outcome: record the session, or mark a no-show or a cancellation"),
                                   "warning"));
  else if (derm_appointment_get_screening_need (appointment) != DERM_SCREENING_NEED_NONE)
    gtk_box_append (GTK_BOX (box),
                    popover_label (derm_screening_need_to_label (derm_appointment_get_screening_need (appointment)),
                                   "warning"));

  if (derm_planner_ui_needs_attention (appointment))
    {
      /* Re-validation found it breaks a rule now: say which, and that
       * moving or cancelling it is the user's call */
      GtkWidget *badge = popover_label (_("Needs attention"), "error");

      gtk_widget_add_css_class (badge, "derm-tag");
      gtk_box_append (GTK_BOX (box), badge);
      gtk_box_append (GTK_BOX (box), popover_label (derm_appointment_get_problem_message (appointment), "error"));
    }

  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  if (status == DERM_APPOINTMENT_BOOKED)
    {
      gtk_box_append (GTK_BOX (buttons), popover_button (_("Mark _Done…"), "planner.mark-done", id));
      gtk_box_append (GTK_BOX (buttons), popover_button (_("_Move…"), "planner.move", id));
      gtk_box_append (GTK_BOX (buttons), popover_button (_("Mark _No-Show…"), "planner.no-show", id));
      gtk_box_append (GTK_BOX (buttons), popover_button (_("_Cancel Appointment…"), "planner.cancel", id));
    }
  else if (status == DERM_APPOINTMENT_CANCELLED || status == DERM_APPOINTMENT_NO_SHOW)
    gtk_box_append (GTK_BOX (buttons), popover_button (_("_Restore Appointment"), "planner.restore", id));
  gtk_box_append (GTK_BOX (buttons),
                  popover_button (_("_Open Client"), "win.show-client",
                                  derm_appointment_get_client_id (appointment)));
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_popover_set_child (GTK_POPOVER (popover), box);

  return popover;
}

/* --- appointment actions of the views ----------------------------------- */

static GQuark
popdown_quark (void)
{
  return g_quark_from_static_string ("derm-planner-ui-popdown");
}

/* The view's store and the appointment id, after its popover closed
 * (when @close_popover) */
static DermStore *
begin_appointment_action (GtkWidget *view,
                          GVariant  *param,
                          gboolean   close_popover,
                          gint64    *id)
{
  DermPlannerPopdownFunc popdown = NULL;
  DermStore *store = NULL;

  for (GType type = G_TYPE_FROM_INSTANCE (view); type != 0 && popdown == NULL; type = g_type_parent (type))
    popdown = (DermPlannerPopdownFunc) g_type_get_qdata (type, popdown_quark ());
  if (popdown != NULL && close_popover)
    popdown (view);
  g_object_get (view, "store", &store, NULL);
  *id = g_variant_get_int64 (param);
  return store;
}

static void
planner_mark_done (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  gint64 id;
  g_autoptr (DermStore) store = begin_appointment_action (widget, param, TRUE, &id);

  derm_planner_ui_mark_done (widget, store, id);
}

static void
planner_reschedule (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DermAppointmentStatus status = DERM_APPOINTMENT_BOOKED;
  gint64 id;
  g_autoptr (DermStore) store = begin_appointment_action (widget, param, TRUE, &id);

  if (g_str_equal (action_name, "planner.cancel"))
    status = DERM_APPOINTMENT_CANCELLED;
  else if (g_str_equal (action_name, "planner.no-show"))
    status = DERM_APPOINTMENT_NO_SHOW;
  derm_planner_ui_reschedule (widget, store, id, status);
}

static void
planner_restore (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  gint64 id;
  g_autoptr (DermStore) store = begin_appointment_action (widget, param, TRUE, &id);

  derm_planner_ui_restore (widget, store, id);
}

static void
planner_book_due (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  gint64 id;
  g_autoptr (DermStore) store = begin_appointment_action (widget, param, FALSE, &id);

  derm_planner_ui_book_due (widget, store, id);
}

void
derm_planner_ui_install_appointment_actions (GtkWidgetClass         *widget_class,
                                             DermPlannerPopdownFunc  popdown,
                                             gboolean                with_restore,
                                             const char             *book_action)
{
  g_return_if_fail (GTK_IS_WIDGET_CLASS (widget_class));

  if (popdown != NULL)
    g_type_set_qdata (G_TYPE_FROM_CLASS (widget_class), popdown_quark (), (gpointer) popdown);
  gtk_widget_class_install_action (widget_class, "planner.mark-done", "x", planner_mark_done);
  gtk_widget_class_install_action (widget_class, "planner.move", "x", planner_reschedule);
  gtk_widget_class_install_action (widget_class, "planner.cancel", "x", planner_reschedule);
  gtk_widget_class_install_action (widget_class, "planner.no-show", "x", planner_reschedule);
  if (with_restore)
    gtk_widget_class_install_action (widget_class, "planner.restore", "x", planner_restore);
  if (book_action != NULL)
    gtk_widget_class_install_action (widget_class, book_action, "x", planner_book_due);
}

/* --- the planning dialogs ----------------------------------------------- */

void
derm_planner_ui_dialog_set_busy (GtkWidget      *dialog,
                                 GCancellable  **cancellable,
                                 gboolean        busy,
                                 GtkWidget      *spinner,
                                 const char     *action,
                                 ...)
{
  va_list args;

  g_clear_object (cancellable);
  if (busy)
    *cancellable = g_cancellable_new ();
  gtk_widget_set_visible (spinner, busy);
  va_start (args, action);
  for (GtkWidget *input = va_arg (args, GtkWidget *); input != NULL; input = va_arg (args, GtkWidget *))
    gtk_widget_set_sensitive (input, !busy);
  va_end (args);
  if (busy)
    gtk_widget_action_set_enabled (dialog, action, FALSE);
}

static void
on_dialog_retry (AdwToast  *toast,
                 GtkWidget *overlay)
{
  /* The overlay is inside the dialog: it reaches the dialog's actions */
  gtk_widget_activate_action (overlay, g_object_get_data (G_OBJECT (toast), "derm-retry-action"), NULL);
}

void
derm_planner_ui_dialog_read_failed (AdwToastOverlay *overlay,
                                    const GError    *error,
                                    const char      *retry_action)
{
  AdwToast *toast;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (error != NULL);

  /* Retry on the toast, or in its Details where the message is long */
  toast = derm_toast_new_with_button (GTK_WIDGET (overlay), error->message, _("_Retry"),
                                      g_cclosure_new_object (G_CALLBACK (on_dialog_retry), G_OBJECT (overlay)));
  g_object_set_data_full (G_OBJECT (toast), "derm-retry-action", g_strdup (retry_action), g_free);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (overlay, toast);
}

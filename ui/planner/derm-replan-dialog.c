/* derm-replan-dialog.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-replan-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-planner.h"
#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-validate.h"

#include "derm-date-row.h"
#include "derm-planner-ui.h"
#include "derm-unsaved.h"
#include "derm-replan-dialog.h"
#include "derm-toast.h"

struct _DermReplanDialog
{
  AdwWindow              parent_instance;

  DermStore             *store;
  DermAppointment       *appointment;
  DermAppointmentStatus  status;
  DermSeries            *series;
  GPtrArray             *series_appointments;
  DermPlanner           *planner;
  DermClinic            *clinic;
  GPtrArray             *findings;
  DermPlanProposal      *proposal;
  /* The appointment as it would be; for one outside any series */
  DermAppointment       *changed;
  GtkStringList         *room_names;
  GtkStringList         *practitioner_names;

  /* Template children */
  AdwToastOverlay       *toast_overlay;
  AdwWindowTitle        *window_title;
  GtkButton             *confirm_button;
  AdwActionRow          *current_row;
  AdwEntryRow           *date_row;
  AdwEntryRow           *time_row;
  AdwComboRow           *room_row;
  AdwComboRow           *practitioner_row;
  GtkLabel              *status_label;
  GtkWidget             *proposal_group;
  GtkListBox            *proposal_list;
  AdwActionRow          *rebook_row;
  GtkSwitch             *rebook_switch;
  GtkSpinner            *spinner;

  /* A read or write on the store's worker; the form waits for it */
  GCancellable          *busy;

  guint                  loading : 1;
  /* Where the appointment was dropped on the calendar, or NULL */
  char                  *target_date;
  char                  *target_time;
  char                  *target_room;
  char                  *target_practitioner;

  /* Something was changed by hand since the dialog opened */
  guint                  edited : 1;
  guint                  close_confirmed : 1;
};

G_DEFINE_FINAL_TYPE (DermReplanDialog, derm_replan_dialog, ADW_TYPE_WINDOW)

enum {
  CONFIRMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_status (DermReplanDialog *self,
            const char       *message)
{
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL && *message != '\0');
}

/* No room and an empty room are the same choice */
static gboolean
same_name (const char *a,
           const char *b)
{
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static char *
describe_item (DermAppointment *item,
               DermAppointment *original,
               DermPlanFlags    flags)
{
  g_autofree char *when = derm_planner_ui_format_appointment_time (item);

  if (derm_appointment_get_status (item) == DERM_APPOINTMENT_CANCELLED ||
      derm_appointment_get_status (item) == DERM_APPOINTMENT_NO_SHOW)
    return g_strdup_printf ("%s · %s", when, derm_appointment_status_to_label (derm_appointment_get_status (item)));

  if (original != NULL && g_strcmp0 (derm_appointment_get_start_local (original),
                                     derm_appointment_get_start_local (item)) != 0)
    {
      g_autofree char *before = derm_planner_ui_format_appointment_time (original);

      /* Translators: an appointment moved, "before → after" */
      return g_strdup_printf (_("%s → %s"), before, when);
    }

  if ((flags & DERM_PLAN_FLAG_NEW) != 0)
    /* Translators: a new appointment replacing a missed one */
    return g_strdup_printf (_("New: %s"), when);

  return g_steal_pointer (&when);
}

static char *
item_title (DermAppointment *item)
{
  if (derm_appointment_get_kind (item) == DERM_APPOINTMENT_FOLLOW_UP_PHOTO)
    return g_strdup (_("Follow-up photo"));

  return g_strdup_printf (_("Session %u of %u"), derm_appointment_get_session_index (item),
                          derm_appointment_get_session_count (item));
}

static void
set_confirm_enabled (DermReplanDialog *self,
                     gboolean          enabled)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "replan.confirm", enabled && self->busy == NULL);
}

/* Booking the replacement, or only this appointment's change */
static gboolean
rebooking (DermReplanDialog *self)
{
  return self->status == DERM_APPOINTMENT_BOOKED || gtk_switch_get_active (self->rebook_switch);
}

static void
show_proposal (DermReplanDialog *self)
{
  gboolean ok = TRUE;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->proposal_list))) != NULL)
    gtk_list_box_remove (self->proposal_list, child);

  if (self->proposal == NULL)
    {
      DermPlanProblems problems = DERM_PLAN_PROBLEM_NONE;

      gtk_widget_set_visible (self->proposal_group, FALSE);
      if (self->changed != NULL && self->status == DERM_APPOINTMENT_BOOKED)
        {
          problems = derm_planner_check_appointment (self->planner, self->changed);
          if (problems != DERM_PLAN_PROBLEM_NONE)
            {
              g_autofree char *text = derm_plan_problems_to_string (problems);
              g_autofree char *sentence = derm_text_sentence_case (text);

              set_status (self, sentence);
              ok = FALSE;
            }
        }
      set_confirm_enabled (self, ok && self->changed != NULL);
      return;
    }

  /* A cancellation or no-show may leave the rest of the series alone */
  gtk_widget_set_visible (GTK_WIDGET (self->rebook_row),
                          self->status != DERM_APPOINTMENT_BOOKED && derm_plan_proposal_get_n_items (self->proposal) > 1);
  if (!rebooking (self))
    {
      gtk_widget_set_visible (self->proposal_group, FALSE);
      set_confirm_enabled (self, TRUE);
      return;
    }

  gtk_widget_set_visible (self->proposal_group, TRUE);
  derm_planner_check_proposal (self->planner, self->proposal, self->findings);

  for (guint i = 0; i < derm_plan_proposal_get_n_items (self->proposal); i++)
    {
      DermAppointment *item = derm_plan_proposal_get_item (self->proposal, i);
      DermPlanProblems problems = derm_plan_proposal_get_problems (self->proposal, i);
      DermPlanFlags flags = derm_plan_proposal_get_flags (self->proposal, i);
      const char *message = derm_plan_proposal_get_message (self->proposal, i);
      g_autofree char *title = item_title (item);
      g_autofree char *what = describe_item (item, derm_plan_proposal_get_original (self->proposal, i), flags);
      g_autofree char *subtitle = *message != '\0' ? g_strdup_printf ("%s\n%s", what, message) : g_strdup (what);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      if (problems != DERM_PLAN_PROBLEM_NONE)
        {
          /* The first problem also goes at the top, where it is seen */
          if (ok)
            {
              g_autofree char *top = g_strdup_printf (_("%s: %s"), title, message);

              set_status (self, top);
            }
          gtk_widget_add_css_class (row, "error");
          ok = FALSE;
        }
      if ((flags & DERM_PLAN_FLAG_SHIFTED) != 0)
        adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      else if ((flags & DERM_PLAN_FLAG_NEW) != 0)
        adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("list-add-symbolic"));
      else
        adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("x-office-calendar-symbolic"));
      gtk_list_box_append (self->proposal_list, row);
    }

  if (derm_plan_proposal_get_blocked (self->proposal))
    {
      set_status (self, derm_plan_proposal_get_blocked_reason (self->proposal));
      ok = FALSE;
    }

  set_confirm_enabled (self, ok && derm_plan_proposal_is_bookable (self->proposal));
}

static void
replan (DermReplanDialog *self)
{
  g_autoptr (DermAppointment) changed = derm_appointment_copy (self->appointment);
  g_autoptr (GError) error = NULL;

  g_clear_object (&self->proposal);
  g_clear_object (&self->changed);
  set_status (self, NULL);

  if (self->status == DERM_APPOINTMENT_BOOKED)
    {
      g_autofree char *date = derm_date_row_read_text (gtk_editable_get_text (GTK_EDITABLE (self->date_row)));
      g_autofree char *time_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->time_row))));
      int minutes = derm_planner_ui_parse_time (time_text);
      g_autofree char *local = NULL;
      gboolean date_ok;
      GDate parsed;

      date_ok = date != NULL && derm_date_parse (date, &parsed);
      if (!date_ok || minutes < 0)
        {
          if (!date_ok)
            gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
          if (minutes < 0)
            gtk_widget_add_css_class (GTK_WIDGET (self->time_row), "error");
          set_status (self, _("Type the new date as YYYY-MM-DD and the time as HH:MM"));
          set_confirm_enabled (self, FALSE);
          return;
        }
      gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->time_row), "error");

      local = g_strdup_printf ("%sT%02d:%02d", date, minutes / 60, minutes % 60);
      derm_appointment_set_start (changed, local, derm_appointment_get_time_zone (self->appointment));
      if (self->room_names != NULL)
        derm_appointment_set_room (changed, derm_planner_ui_chosen_name (self->room_names,
                                                         adw_combo_row_get_selected (self->room_row)));
      derm_appointment_set_practitioner (changed, derm_planner_ui_chosen_name (self->practitioner_names,
                                                               adw_combo_row_get_selected (self->practitioner_row)));

      /* Nothing differs from the appointment yet: nothing to show as changed */
      if (g_strcmp0 (derm_appointment_get_start_local (changed), derm_appointment_get_start_local (self->appointment)) == 0 &&
          same_name (derm_appointment_get_room (changed), derm_appointment_get_room (self->appointment)) &&
          same_name (derm_appointment_get_practitioner (changed), derm_appointment_get_practitioner (self->appointment)))
        {
          gtk_widget_set_visible (self->proposal_group, FALSE);
          gtk_widget_action_set_enabled (GTK_WIDGET (self), "replan.confirm", FALSE);
          return;
        }
    }
  else
    derm_appointment_set_status (changed, self->status);

  self->changed = g_object_ref (changed);

  if (self->series == NULL)
    {
      show_proposal (self);
      return;
    }

  self->proposal = derm_planner_replan (self->planner, self->series, self->series_appointments,
                                        changed, self->findings, NULL, &error);
  if (self->proposal == NULL)
    {
      set_status (self, error->message);
      set_confirm_enabled (self, FALSE);
      gtk_widget_set_visible (self->proposal_group, FALSE);
      return;
    }

  show_proposal (self);
}

static void
on_change_edited (DermReplanDialog *self)
{
  if (self->loading || self->planner == NULL)
    return;

  self->edited = TRUE;
  replan (self);
}

static void
on_rebook_toggled (DermReplanDialog *self)
{
  if (self->loading || self->planner == NULL)
    return;

  self->edited = TRUE;
  show_proposal (self);
}

/* Work on the store's worker: the form is insensitive meanwhile */

static void
set_busy (DermReplanDialog *self,
          gboolean          busy)
{
  derm_planner_ui_dialog_set_busy (GTK_WIDGET (self), &self->busy, busy, GTK_WIDGET (self->spinner),
                                   "replan.confirm", GTK_WIDGET (self->date_row), GTK_WIDGET (self->time_row),
                                   GTK_WIDGET (self->room_row), GTK_WIDGET (self->practitioner_row),
                                   GTK_WIDGET (self->rebook_row), NULL);
}

typedef struct
{
  DermClinic  *clinic;
  DermPlanner *planner;
  DermSeries  *series;
  GPtrArray   *series_appointments;
  GPtrArray   *findings;
} ReplanRead;

static void
replan_read_free (gpointer data)
{
  ReplanRead *read = data;

  g_clear_object (&read->clinic);
  g_clear_object (&read->planner);
  g_clear_object (&read->series);
  g_clear_pointer (&read->series_appointments, g_ptr_array_unref);
  g_clear_pointer (&read->findings, g_ptr_array_unref);
  g_free (read);
}

static gboolean
read_context (DermStore  *store,
              gpointer    data,
              gpointer   *result,
              GError    **error)
{
  DermAppointment *appointment = data;
  gint64 series_id = derm_appointment_get_series_id (appointment);
  ReplanRead *read = g_new0 (ReplanRead, 1);

  if ((read->clinic = derm_store_load_clinic (store, error)) == NULL ||
      (read->planner = derm_store_load_planner (store, NULL, error)) == NULL ||
      (series_id != 0 &&
       ((read->series = derm_store_get_series (store, series_id, error)) == NULL ||
        (read->series_appointments = derm_store_list_series_appointments (store, series_id, error)) == NULL)))
    {
      replan_read_free (read);
      return FALSE;
    }
  read->findings = derm_planner_ui_load_findings (store, derm_appointment_get_client_id (appointment));
  *result = read;
  return TRUE;
}

static void fill_form (DermReplanDialog *self);

static void
on_context_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (DermReplanDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  ReplanRead *read = NULL;
  gboolean first = self->planner == NULL;

  if (!derm_store_run_finish (DERM_STORE (source), result, (gpointer *) &read, &error))
    {
      if (derm_planner_ui_is_cancelled (error))
        return;
      set_busy (self, FALSE);
      set_status (self, error->message);
      set_confirm_enabled (self, FALSE);
      gtk_widget_set_visible (self->proposal_group, FALSE);
      derm_planner_ui_dialog_read_failed (self->toast_overlay, error, "replan.reload");
      return;
    }

  set_busy (self, FALSE);
  g_set_object (&self->clinic, read->clinic);
  g_set_object (&self->planner, read->planner);
  g_set_object (&self->series, read->series);
  g_clear_pointer (&self->series_appointments, g_ptr_array_unref);
  self->series_appointments = read->series_appointments != NULL ? g_ptr_array_ref (read->series_appointments) : NULL;
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  self->findings = g_ptr_array_ref (read->findings);
  replan_read_free (read);

  if (first)
    fill_form (self);
  else
    replan (self);
}

/* Reads the clinic, the calendar, the series and the client's findings */
static void
read_from_store (DermReplanDialog *self)
{
  set_busy (self, TRUE);
  derm_store_run_async (self->store, read_context, derm_appointment_copy (self->appointment), g_object_unref,
                        replan_read_free, self->busy, on_context_read, g_object_ref (self));
}

/* The Retry of a failed read's toast */
static void
replan_reload (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DermReplanDialog *self = DERM_REPLAN_DIALOG (widget);

  if (self->busy == NULL)
    read_from_store (self);
}

typedef struct
{
  DermPlanProposal     *proposal;  /* NULL: only the appointment changes */
  DermAppointment      *changed;
  DermAppointmentStatus status;
} ReplanWrite;

static void
replan_write_free (gpointer data)
{
  ReplanWrite *write = data;

  g_clear_object (&write->proposal);
  g_clear_object (&write->changed);
  g_free (write);
}

static gboolean
write_change (DermStore  *store,
              gpointer    data,
              gpointer   *result,
              GError    **error)
{
  ReplanWrite *write = data;

  *result = NULL;
  if (write->proposal != NULL)
    return derm_store_book_proposal (store, write->proposal, error);
  if (write->status == DERM_APPOINTMENT_BOOKED)
    return derm_store_update_appointment (store, write->changed, error);
  return derm_store_set_appointment_status (store, derm_appointment_get_id (write->changed), write->status, error);
}

static void
on_change_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (DermReplanDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  gpointer nothing = NULL;
  const char *message;

  if (!derm_store_run_finish (DERM_STORE (source), result, &nothing, &error))
    {
      if (derm_planner_ui_is_cancelled (error))
        return;
      set_busy (self, FALSE);
      derm_toast_show (GTK_WIDGET (self->toast_overlay), error->message);
      /* Someone booked meanwhile: judge again against what is booked now */
      if (g_error_matches (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT))
        read_from_store (self);
      else
        show_proposal (self);
      return;
    }

  set_busy (self, FALSE);
  switch (self->status)
    {
    case DERM_APPOINTMENT_CANCELLED:
      message = _("Appointment cancelled");
      break;

    case DERM_APPOINTMENT_NO_SHOW:
      message = _("Marked as no-show");
      break;

    case DERM_APPOINTMENT_BOOKED:
    case DERM_APPOINTMENT_DONE:
    default:
      message = _("Appointment moved");
      break;
    }

  g_signal_emit (self, signals[CONFIRMED], 0, message);
  self->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
replan_confirm (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DermReplanDialog *self = DERM_REPLAN_DIALOG (widget);
  ReplanWrite *write;

  if (self->changed == NULL || self->busy != NULL)
    return;

  write = g_new0 (ReplanWrite, 1);
  write->changed = derm_appointment_copy (self->changed);
  write->status = self->status;
  if (self->proposal != NULL && rebooking (self))
    write->proposal = g_object_ref (self->proposal);

  set_busy (self, TRUE);
  derm_store_run_async (self->store, write_change, write, replan_write_free, NULL,
                        self->busy, on_change_written, g_object_ref (self));
}

static void
fill_form (DermReplanDialog *self)
{
  const char *local = derm_appointment_get_start_local (self->appointment);

  self->loading = TRUE;

  if (derm_clinic_get_rooms (self->clinic)[0] != NULL)
    {
      self->room_names = derm_planner_ui_names_list (derm_clinic_get_rooms (self->clinic), _("No room"));
      adw_combo_row_set_model (self->room_row, G_LIST_MODEL (self->room_names));
      adw_combo_row_set_selected (self->room_row,
                                  derm_planner_ui_name_position (self->room_names, derm_appointment_get_room (self->appointment)));
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->room_row), FALSE);

  self->practitioner_names = derm_planner_ui_names_list (derm_clinic_get_practitioners (self->clinic), _("Anyone"));
  adw_combo_row_set_model (self->practitioner_row, G_LIST_MODEL (self->practitioner_names));
  adw_combo_row_set_selected (self->practitioner_row,
                              derm_planner_ui_name_position (self->practitioner_names,
                                             derm_appointment_get_practitioner (self->appointment)));

  if (self->target_date != NULL)
    {
      /* Dropped on the calendar: the new start and where it was dropped */
      gtk_editable_set_text (GTK_EDITABLE (self->date_row), self->target_date);
      gtk_editable_set_text (GTK_EDITABLE (self->time_row), self->target_time);
      if (self->target_room != NULL && self->room_names != NULL)
        adw_combo_row_set_selected (self->room_row, derm_planner_ui_name_position (self->room_names, self->target_room));
      if (self->target_practitioner != NULL)
        adw_combo_row_set_selected (self->practitioner_row,
                                    derm_planner_ui_name_position (self->practitioner_names, self->target_practitioner));
      self->edited = TRUE;
    }
  else if (local != NULL && strlen (local) >= 16)
    {
      g_autofree char *date = g_strndup (local, 10);

      gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
      gtk_editable_set_text (GTK_EDITABLE (self->time_row), local + 11);
    }

  self->loading = FALSE;
  replan (self);
}

static void
setup (DermReplanDialog *self)
{
  g_autofree char *title = derm_appointment_dup_title (self->appointment);
  g_autofree char *when = derm_planner_ui_format_appointment_time (self->appointment);
  gboolean moving = self->status == DERM_APPOINTMENT_BOOKED;
  const char *heading;
  const char *confirm;

  switch (self->status)
    {
    case DERM_APPOINTMENT_CANCELLED:
      heading = _("Cancel Appointment");
      confirm = _("_Cancel Appointment");
      gtk_widget_add_css_class (GTK_WIDGET (self->confirm_button), "destructive-action");
      break;

    case DERM_APPOINTMENT_NO_SHOW:
      heading = _("Mark No-Show");
      confirm = _("_Mark No-Show");
      gtk_widget_add_css_class (GTK_WIDGET (self->confirm_button), "destructive-action");
      break;

    case DERM_APPOINTMENT_BOOKED:
    case DERM_APPOINTMENT_DONE:
    default:
      heading = _("Move Appointment");
      confirm = _("_Move");
      gtk_widget_add_css_class (GTK_WIDGET (self->confirm_button), "suggested-action");
      break;
    }

  gtk_window_set_title (GTK_WINDOW (self), heading);
  adw_window_title_set_title (self->window_title, heading);
  adw_window_title_set_subtitle (self->window_title, derm_appointment_get_client_name (self->appointment));
  gtk_button_set_label (self->confirm_button, confirm);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->current_row), title);
  adw_action_row_set_subtitle (self->current_row, when);

  gtk_widget_set_visible (GTK_WIDGET (self->date_row), moving);
  gtk_widget_set_visible (GTK_WIDGET (self->time_row), moving);
  gtk_widget_set_visible (GTK_WIDGET (self->room_row), moving);
  gtk_widget_set_visible (GTK_WIDGET (self->practitioner_row), moving);
  gtk_widget_set_visible (self->proposal_group, FALSE);

  read_from_store (self);
}

/* GObject */

static void
derm_replan_dialog_dispose (GObject *object)
{
  DermReplanDialog *self = DERM_REPLAN_DIALOG (object);

  if (self->busy != NULL)
    g_cancellable_cancel (self->busy);
  g_clear_object (&self->busy);

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_REPLAN_DIALOG);

  g_clear_pointer (&self->target_date, g_free);
  g_clear_pointer (&self->target_time, g_free);
  g_clear_pointer (&self->target_room, g_free);
  g_clear_pointer (&self->target_practitioner, g_free);

  g_clear_pointer (&self->series_appointments, g_ptr_array_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_object (&self->proposal);
  g_clear_object (&self->changed);
  g_clear_object (&self->planner);
  g_clear_object (&self->clinic);
  g_clear_object (&self->series);
  g_clear_object (&self->room_names);
  g_clear_object (&self->practitioner_names);
  g_clear_object (&self->appointment);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_replan_dialog_parent_class)->dispose (object);
}

static gboolean
derm_replan_dialog_close_request (GtkWindow *window)
{
  DermReplanDialog *self = DERM_REPLAN_DIALOG (window);

  if (!self->close_confirmed && self->edited)
    return derm_unsaved_ask_close (window, _("Keep the Change?"), _("Nothing changes in the calendar until you save."),
                                   TRUE, replan_confirm, "replan.confirm");

  return GTK_WINDOW_CLASS (derm_replan_dialog_parent_class)->close_request (window);
}

static void
derm_replan_dialog_class_init (DermReplanDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_replan_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = derm_replan_dialog_close_request;

  /**
   * DermReplanDialog::confirmed:
   * @message: what was done, for a toast
   */
  signals[CONFIRMED] =
    g_signal_new ("confirmed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-replan-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, current_row);
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, time_row);
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, room_row);
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, practitioner_row);
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, proposal_group);
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, proposal_list);
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, rebook_row);
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, rebook_switch);
  gtk_widget_class_bind_template_child (widget_class, DermReplanDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_change_edited);
  gtk_widget_class_bind_template_callback (widget_class, on_rebook_toggled);

  gtk_widget_class_install_action (widget_class, "replan.confirm", NULL, replan_confirm);
  gtk_widget_class_install_action (widget_class, "replan.reload", NULL, replan_reload);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
derm_replan_dialog_init (DermReplanDialog *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  derm_date_row_attach (self->date_row);
  self->loading = FALSE;
}

GtkWidget *
derm_replan_dialog_new (DermStore             *store,
                        DermAppointment       *appointment,
                        DermAppointmentStatus  status)
{
  DermReplanDialog *self;

  g_return_val_if_fail (DERM_IS_STORE (store), NULL);
  g_return_val_if_fail (DERM_IS_APPOINTMENT (appointment), NULL);
  g_return_val_if_fail (status != DERM_APPOINTMENT_DONE, NULL);

  self = g_object_new (DERM_TYPE_REPLAN_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->appointment = g_object_ref (appointment);
  self->status = status;
  setup (self);

  return GTK_WIDGET (self);
}

GtkWidget *
derm_replan_dialog_new_move_to (DermStore       *store,
                                DermAppointment *appointment,
                                const char      *date,
                                const char      *time,
                                const char      *room,
                                const char      *practitioner)
{
  DermReplanDialog *self;

  g_return_val_if_fail (DERM_IS_STORE (store), NULL);
  g_return_val_if_fail (DERM_IS_APPOINTMENT (appointment), NULL);
  g_return_val_if_fail (date != NULL && time != NULL, NULL);

  self = g_object_new (DERM_TYPE_REPLAN_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->appointment = g_object_ref (appointment);
  self->status = DERM_APPOINTMENT_BOOKED;
  self->target_date = g_strdup (date);
  self->target_time = g_strdup (time);
  self->target_room = g_strdup (room);
  self->target_practitioner = g_strdup (practitioner);
  setup (self);

  return GTK_WIDGET (self);
}

gboolean
derm_replan_dialog_get_ready (DermReplanDialog *self)
{
  g_return_val_if_fail (DERM_IS_REPLAN_DIALOG (self), FALSE);

  return self->planner != NULL && self->busy == NULL;
}

void
derm_replan_dialog_set_rebook (DermReplanDialog *self,
                               gboolean          rebook)
{
  g_return_if_fail (DERM_IS_REPLAN_DIALOG (self));

  gtk_switch_set_active (self->rebook_switch, rebook);
}

DermPlanProposal *
derm_replan_dialog_get_proposal (DermReplanDialog *self)
{
  g_return_val_if_fail (DERM_IS_REPLAN_DIALOG (self), NULL);

  return self->proposal;
}

void
derm_replan_dialog_set_start (DermReplanDialog *self,
                              const char       *date,
                              const char       *time)
{
  g_return_if_fail (DERM_IS_REPLAN_DIALOG (self));

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
  self->loading = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), time);
}

const char *
derm_replan_dialog_get_status_message (DermReplanDialog *self)
{
  g_return_val_if_fail (DERM_IS_REPLAN_DIALOG (self), NULL);

  return gtk_label_get_text (self->status_label);
}

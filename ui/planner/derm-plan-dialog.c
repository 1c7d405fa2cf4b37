/* derm-plan-dialog.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-plan-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-client.h"
#include "derm-combo-row.h"
#include "derm-date-row.h"
#include "derm-planner.h"
#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-validate.h"

#include "derm-plan-dialog.h"
#include "derm-planner-ui.h"
#include "derm-unsaved.h"
#include "derm-toast.h"

/* How far ahead of now the first start may be */
#define PLAN_LEAD_MINUTES 5

typedef struct
{
  guint        index;
  GtkWidget   *row;
  GtkLabel    *title;
  GtkEntry    *date;
  GtkEntry    *time;
  GtkDropDown *room;
  GtkDropDown *practitioner;
  GtkLabel    *message;
} ItemRow;

struct _DermPlanDialog
{
  AdwWindow         parent_instance;

  DermStore        *store;
  DermClient       *client;
  /* Set when booking the rest of an existing series */
  DermSeries       *series;
  DermPlanner      *planner;
  DermClinic       *clinic;
  GPtrArray        *protocols;
  GPtrArray        *findings;
  DermPlanProposal *proposal;
  GPtrArray        *rows;
  GtkStringList    *room_names;
  GtkStringList    *practitioner_names;

  /* Continuing a series: what to propose */
  guint             first_index;
  guint             n_sessions;
  gboolean          follow_up;

  /* Template children */
  AdwToastOverlay  *toast_overlay;
  AdwWindowTitle   *window_title;
  AdwComboRow      *protocol_row;
  AdwEntryRow      *start_row;
  AdwEntryRow      *time_row;
  AdwComboRow      *practitioner_row;
  AdwComboRow      *room_row;
  GtkLabel         *status_label;
  GtkListBox       *proposal_list;
  GtkSpinner       *spinner;

  /* A read or write on the store's worker; the form waits for it */
  GCancellable     *busy;
  /* The series' appointments as booked, read with the rest */
  GPtrArray        *series_appointments;

  guint             loading : 1;
  /* Something was changed by hand since the dialog opened */
  guint             edited : 1;
  guint             close_confirmed : 1;
};

G_DEFINE_FINAL_TYPE (DermPlanDialog, derm_plan_dialog, ADW_TYPE_WINDOW)

enum {
  BOOKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_toast (DermPlanDialog *self,
            const char     *message)
{
  AdwToast *toast = derm_toast_new (GTK_WIDGET (self->toast_overlay), message);

  if (adw_toast_get_timeout (toast) != 0)
    adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
set_status (DermPlanDialog *self,
            const char     *message)
{
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL && *message != '\0');
}

static char *
entry_text (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

/* Rows */

static char *item_title (DermAppointment *item);

static void
refresh_rows (DermPlanDialog *self)
{
  gboolean all_valid = TRUE;

  for (guint i = 0; i < self->rows->len; i++)
    {
      ItemRow *row = g_ptr_array_index (self->rows, i);
      DermPlanProblems problems = derm_plan_proposal_get_problems (self->proposal, row->index);
      const char *message = derm_plan_proposal_get_message (self->proposal, row->index);
      gboolean bad_entry = gtk_widget_has_css_class (GTK_WIDGET (row->date), "error") ||
                           gtk_widget_has_css_class (GTK_WIDGET (row->time), "error");

      if (bad_entry)
        message = _("Type the date as YYYY-MM-DD and the time as HH:MM");
      else
        {
          /* The weekday, which the date as typed does not say */
          DermAppointment *item = derm_plan_proposal_get_item (self->proposal, row->index);
          g_autoptr (GDateTime) start = derm_appointment_dup_start (item);
          g_autofree char *title = item_title (item);

          if (start != NULL)
            {
              /* Translators: a weekday and date after "Session 1 of 4 · " */
              g_autofree char *day = g_date_time_format (start, _("%A %-d %B"));
              g_autofree char *text = g_strdup_printf ("%s · %s", title, day);

              gtk_label_set_text (row->title, text);
            }
        }

      gtk_label_set_text (row->message, message);
      gtk_widget_set_visible (GTK_WIDGET (row->message), *message != '\0');
      if (problems != DERM_PLAN_PROBLEM_NONE || bad_entry)
        {
          gtk_widget_remove_css_class (GTK_WIDGET (row->message), "dim-label");
          gtk_widget_remove_css_class (GTK_WIDGET (row->message), "warning");
          gtk_widget_add_css_class (GTK_WIDGET (row->message), "error");
          all_valid = FALSE;
        }
      else
        {
          DermPlanFlags flags = derm_plan_proposal_get_flags (self->proposal, row->index);
          /* Bookable, but the practitioner should know before booking */
          gboolean notable = (flags & (DERM_PLAN_FLAG_DELAYED_BY_FINDING |
                                       DERM_PLAN_FLAG_RESCREEN_FIRST |
                                       DERM_PLAN_FLAG_BEYOND_MAX)) != 0;

          gtk_widget_remove_css_class (GTK_WIDGET (row->message), "error");
          if (notable)
            {
              gtk_widget_remove_css_class (GTK_WIDGET (row->message), "dim-label");
              gtk_widget_add_css_class (GTK_WIDGET (row->message), "warning");
            }
          else
            {
              gtk_widget_remove_css_class (GTK_WIDGET (row->message), "warning");
              gtk_widget_add_css_class (GTK_WIDGET (row->message), "dim-label");
            }
        }
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plan.book",
                                 self->busy == NULL && self->proposal != NULL && all_valid &&
                                 derm_plan_proposal_is_bookable (self->proposal));
}

static void
recheck (DermPlanDialog *self)
{
  if (self->proposal == NULL)
    return;

  derm_planner_check_proposal (self->planner, self->proposal, self->findings);
  refresh_rows (self);
}

static void
on_item_edited (ItemRow *row)
{
  DermPlanDialog *self = DERM_PLAN_DIALOG (gtk_widget_get_ancestor (row->row, DERM_TYPE_PLAN_DIALOG));
  DermAppointment *item;
  g_autofree char *date = NULL;
  g_autofree char *time_text = NULL;
  gboolean date_ok;
  GDate parsed;
  int minutes;

  if (self == NULL || self->loading || self->proposal == NULL)
    return;

  self->edited = TRUE;
  item = derm_plan_proposal_get_item (self->proposal, row->index);
  date = derm_date_row_read_text (gtk_editable_get_text (GTK_EDITABLE (row->date)));
  time_text = entry_text (GTK_EDITABLE (row->time));
  minutes = derm_planner_ui_parse_time (time_text);

  date_ok = date != NULL && derm_date_parse (date, &parsed);
  if (date_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (row->date), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row->date), "error");
  if (minutes >= 0)
    gtk_widget_remove_css_class (GTK_WIDGET (row->time), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row->time), "error");

  if (date_ok && minutes >= 0)
    {
      g_autofree char *local = g_strdup_printf ("%sT%02d:%02d", date, minutes / 60, minutes % 60);

      derm_appointment_set_start (item, local, derm_clinic_get_time_zone_id (self->clinic));
    }

  if (self->room_names != NULL)
    derm_appointment_set_room (item, derm_planner_ui_chosen_name (self->room_names,
                                                  gtk_drop_down_get_selected (row->room)));
  derm_appointment_set_practitioner (item, derm_planner_ui_chosen_name (self->practitioner_names,
                                                        gtk_drop_down_get_selected (row->practitioner)));

  recheck (self);
}

static GtkWidget *
small_entry (const char *text,
             int         chars,
             const char *label)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), chars);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (entry), chars);
  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  return entry;
}

static GtkWidget *
name_drop_down (GtkStringList *names,
                const char    *current,
                const char    *label)
{
  GtkWidget *drop_down = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), derm_planner_ui_name_position (names, current));
  gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  return drop_down;
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
add_item_row (DermPlanDialog *self,
              guint           index)
{
  DermAppointment *item = derm_plan_proposal_get_item (self->proposal, index);
  const char *local = derm_appointment_get_start_local (item);
  g_autofree char *date = g_strndup (local != NULL ? local : "", 10);
  g_autofree char *title = item_title (item);
  ItemRow *row = g_new0 (ItemRow, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  row->index = index;
  row->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row->row), FALSE);

  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  row->title = GTK_LABEL (gtk_label_new (title));
  gtk_label_set_xalign (row->title, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (row->title), TRUE);
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (row->title));

  row->date = GTK_ENTRY (small_entry (date, 10, _("Date")));
  row->time = GTK_ENTRY (small_entry (local != NULL && strlen (local) >= 16 ? local + 11 : "", 5, _("Time")));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (row->date));
  gtk_box_append (GTK_BOX (line), derm_date_button_new (GTK_EDITABLE (row->date)));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (row->time));

  if (self->room_names != NULL)
    {
      row->room = GTK_DROP_DOWN (name_drop_down (self->room_names, derm_appointment_get_room (item), _("Room")));
      gtk_box_append (GTK_BOX (line), GTK_WIDGET (row->room));
      g_signal_connect_swapped (row->room, "notify::selected", G_CALLBACK (on_item_edited), row);
    }
  row->practitioner = GTK_DROP_DOWN (name_drop_down (self->practitioner_names,
                                                     derm_appointment_get_practitioner (item),
                                                     _("Practitioner")));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (row->practitioner));

  row->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (row->message, 0);
  gtk_label_set_wrap (row->message, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (row->message), "caption");

  gtk_box_append (GTK_BOX (box), line);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->message));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row->row), box);
  gtk_list_box_append (self->proposal_list, row->row);

  g_signal_connect_swapped (row->date, "changed", G_CALLBACK (on_item_edited), row);
  g_signal_connect_swapped (row->time, "changed", G_CALLBACK (on_item_edited), row);
  g_signal_connect_swapped (row->practitioner, "notify::selected", G_CALLBACK (on_item_edited), row);

  g_ptr_array_add (self->rows, row);
}

static void
clear_rows (DermPlanDialog *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      ItemRow *row = g_ptr_array_index (self->rows, i);

      g_signal_handlers_disconnect_by_data (row->date, row);
      g_signal_handlers_disconnect_by_data (row->time, row);
      g_signal_handlers_disconnect_by_data (row->practitioner, row);
      if (row->room != NULL)
        g_signal_handlers_disconnect_by_data (row->room, row);
      gtk_list_box_remove (self->proposal_list, row->row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

/* Proposing */

static DermProtocol *
chosen_protocol (DermPlanDialog *self)
{
  guint position = adw_combo_row_get_selected (self->protocol_row);

  if (self->series != NULL)
    {
      DermProtocol *protocol = derm_protocol_new ();

      /* The series keeps the numbers it was booked with */
      derm_protocol_set_name (protocol, derm_series_get_protocol_name (self->series));
      derm_protocol_set_sessions (protocol, self->n_sessions);
      derm_protocol_set_max_interval_weeks (protocol, derm_series_get_max_interval_weeks (self->series));
      derm_protocol_set_interval_weeks (protocol, derm_series_get_interval_weeks (self->series));
      derm_protocol_set_min_interval_weeks (protocol, derm_series_get_min_interval_weeks (self->series));
      derm_protocol_set_duration_minutes (protocol,
                                          self->follow_up ? derm_clinic_get_slot_step (self->clinic)
                                                          : derm_series_get_duration_minutes (self->series));
      derm_protocol_set_follow_up_weeks (protocol, 0);
      return protocol;
    }

  if (self->protocols == NULL || position >= self->protocols->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->protocols, position));
}

/* Continuing a series: the proposed items become the next sessions (or
 * the follow-up photo) of that series, booked as new appointments */
static DermPlanProposal *
adopt_into_series (DermPlanDialog   *self,
                   DermPlanProposal *fresh)
{
  DermPlanProposal *proposal = derm_plan_proposal_new (DERM_PLAN_PROPOSAL_RESCHEDULE, self->series);
  guint n = derm_series_get_sessions (self->series);

  if (derm_plan_proposal_get_blocked (fresh))
    {
      derm_plan_proposal_set_blocked (proposal, derm_plan_proposal_get_blocked_reason (fresh));
      derm_plan_proposal_set_blocked_until (proposal, derm_plan_proposal_get_blocked_until (fresh));
      return proposal;
    }

  for (guint i = 0; i < derm_plan_proposal_get_n_items (fresh); i++)
    {
      DermAppointment *item = derm_plan_proposal_get_item (fresh, i);

      if (derm_appointment_get_kind (item) == DERM_APPOINTMENT_FOLLOW_UP_PHOTO && !self->follow_up)
        continue;

      derm_appointment_set_series_id (item, derm_series_get_id (self->series));
      derm_appointment_set_session_count (item, n);
      if (self->follow_up)
        {
          derm_appointment_set_kind (item, DERM_APPOINTMENT_FOLLOW_UP_PHOTO);
          derm_appointment_set_session_index (item, n + 1);
        }
      else
        derm_appointment_set_session_index (item, self->first_index + i);

      derm_plan_proposal_add_item (proposal, item, NULL,
                                   derm_plan_proposal_get_flags (fresh, i) | DERM_PLAN_FLAG_NEW);
    }

  return proposal;
}

static void
propose (DermPlanDialog *self)
{
  g_autoptr (DermProtocol) protocol = chosen_protocol (self);
  g_autoptr (DermPlanProposal) fresh = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *start = derm_date_row_read_text (gtk_editable_get_text (GTK_EDITABLE (self->start_row)));
  g_autofree char *time_text = entry_text (GTK_EDITABLE (self->time_row));
  DermPlanRequest request = { 0 };
  GDate start_date;

  clear_rows (self);
  g_clear_object (&self->proposal);

  if (protocol == NULL)
    {
      set_status (self, _("Add a protocol in Preferences first"));
      refresh_rows (self);
      return;
    }

  if (start == NULL || !derm_date_parse (start, &start_date))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->start_row), "error");
      set_status (self, _("Type the first day as YYYY-MM-DD"));
      refresh_rows (self);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->start_row), "error");

  request.preferred_time = -1;
  if (*time_text != '\0')
    {
      request.preferred_time = derm_planner_ui_parse_time (time_text);
      if (request.preferred_time < 0)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->time_row), "error");
          set_status (self, _("Type the preferred time as HH:MM, or leave it empty"));
          refresh_rows (self);
          return;
        }
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->time_row), "error");

  request.protocol = protocol;
  request.client_id = derm_client_get_id (self->client);
  request.start_date = start;
  request.practitioner = derm_planner_ui_chosen_name (self->practitioner_names,
                                      adw_combo_row_get_selected (self->practitioner_row));
  request.room = self->room_names != NULL
                 ? derm_planner_ui_chosen_name (self->room_names, adw_combo_row_get_selected (self->room_row))
                 : NULL;
  request.findings = self->findings;
  request.with_follow_up = self->series == NULL && derm_protocol_get_follow_up_weeks (protocol) > 0;

  fresh = derm_planner_propose_series (self->planner, &request, &error);
  if (fresh == NULL)
    {
      set_status (self, error->message);
      refresh_rows (self);
      return;
    }

  self->proposal = self->series != NULL ? adopt_into_series (self, fresh) : g_steal_pointer (&fresh);

  if (derm_plan_proposal_get_blocked (self->proposal))
    {
      const char *until = derm_plan_proposal_get_blocked_until (self->proposal);
      g_autofree char *message = NULL;

      if (until != NULL)
        {
          g_autofree char *date = derm_planner_ui_format_iso_date (until);

          message = g_strdup_printf (_("Treatment is blocked until %s: %s"), date,
                                     derm_plan_proposal_get_blocked_reason (self->proposal));
        }
      else
        message = g_strdup_printf (_("Treatment is blocked: %s"),
                                   derm_plan_proposal_get_blocked_reason (self->proposal));
      set_status (self, message);
    }
  else
    set_status (self, NULL);

  self->loading = TRUE;
  for (guint i = 0; i < derm_plan_proposal_get_n_items (self->proposal); i++)
    add_item_row (self, i);
  self->loading = FALSE;

  recheck (self);
  refresh_rows (self);
}

static void
on_request_changed (DermPlanDialog *self)
{
  if (self->loading || self->planner == NULL || self->busy != NULL)
    return;

  self->edited = TRUE;
  propose (self);
}

/* Actions */

static void
set_busy (DermPlanDialog *self,
          gboolean        busy)
{
  derm_planner_ui_dialog_set_busy (GTK_WIDGET (self), &self->busy, busy, GTK_WIDGET (self->spinner), "plan.book",
                                   GTK_WIDGET (self->protocol_row), GTK_WIDGET (self->start_row),
                                   GTK_WIDGET (self->time_row), GTK_WIDGET (self->practitioner_row),
                                   GTK_WIDGET (self->room_row), GTK_WIDGET (self->proposal_list), NULL);
}

static void read_from_store (DermPlanDialog *self);

static gboolean
write_booking (DermStore  *store,
               gpointer    data,
               gpointer   *result,
               GError    **error)
{
  *result = NULL;
  return derm_store_book_proposal (store, data, error);
}

static void
on_booked (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (DermPlanDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  gpointer nothing = NULL;

  if (!derm_store_run_finish (DERM_STORE (source), result, &nothing, &error))
    {
      if (derm_planner_ui_is_cancelled (error))
        return;
      set_busy (self, FALSE);
      show_toast (self, error->message);
      /* Someone may have booked meanwhile: check against what is booked now */
      if (g_error_matches (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT))
        read_from_store (self);
      else
        refresh_rows (self);
      return;
    }

  set_busy (self, FALSE);
  g_signal_emit (self, signals[BOOKED], 0, self->proposal);
  self->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
plan_book (GtkWidget  *widget,
           const char *action_name,
           GVariant   *param)
{
  DermPlanDialog *self = DERM_PLAN_DIALOG (widget);

  if (self->proposal == NULL || self->busy != NULL)
    return;

  if (!derm_planner_check_proposal (self->planner, self->proposal, self->findings))
    {
      refresh_rows (self);
      show_toast (self, _("Some appointments cannot be booked as they stand; see the messages under them"));
      return;
    }

  /* The worker books this very proposal (and sets its ids): the form
   * stays insensitive until it is done */
  set_busy (self, TRUE);
  derm_store_run_async (self->store, write_booking, g_object_ref (self->proposal), g_object_unref, NULL,
                        self->busy, on_booked, g_object_ref (self));
}

/* Setting up */

typedef struct
{
  gint64   client_id;
  gint64   series_id;
} PlanRequest;

typedef struct
{
  DermClinic  *clinic;
  DermPlanner *planner;
  GPtrArray   *protocols;
  GPtrArray   *findings;
  GPtrArray   *series_appointments;
} PlanRead;

static void
plan_read_free (gpointer data)
{
  PlanRead *read = data;

  g_clear_object (&read->clinic);
  g_clear_object (&read->planner);
  g_clear_pointer (&read->protocols, g_ptr_array_unref);
  g_clear_pointer (&read->findings, g_ptr_array_unref);
  g_clear_pointer (&read->series_appointments, g_ptr_array_unref);
  g_free (read);
}

static gboolean
read_context (DermStore  *store,
              gpointer    data,
              gpointer   *result,
              GError    **error)
{
  PlanRequest *request = data;
  PlanRead *read = g_new0 (PlanRead, 1);

  if ((read->clinic = derm_store_load_clinic (store, error)) == NULL ||
      (read->planner = derm_store_load_planner (store, NULL, error)) == NULL ||
      (read->protocols = derm_store_list_protocols (store, error)) == NULL ||
      (request->series_id > 0 &&
       (read->series_appointments = derm_store_list_series_appointments (store, request->series_id, error)) == NULL))
    {
      plan_read_free (read);
      return FALSE;
    }
  read->findings = derm_planner_ui_load_findings (store, request->client_id);
  *result = read;
  return TRUE;
}

static void
fill_lists (DermPlanDialog *self)
{
  g_autoptr (GtkStringList) protocol_names = gtk_string_list_new (NULL);
  const char * const *rooms;

  for (guint i = 0; i < self->protocols->len; i++)
    gtk_string_list_append (protocol_names, derm_protocol_get_name (g_ptr_array_index (self->protocols, i)));
  adw_combo_row_set_model (self->protocol_row, G_LIST_MODEL (protocol_names));

  self->practitioner_names = derm_planner_ui_names_list (derm_clinic_get_practitioners (self->clinic), _("Anyone"));
  adw_combo_row_set_model (self->practitioner_row, G_LIST_MODEL (self->practitioner_names));

  rooms = derm_clinic_get_rooms (self->clinic);
  if (rooms[0] != NULL)
    {
      self->room_names = derm_planner_ui_names_list (rooms, _("Any room"));
      adw_combo_row_set_model (self->room_row, G_LIST_MODEL (self->room_names));
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->room_row), FALSE);
}

static void fill_form (DermPlanDialog *self);

static void
on_context_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (DermPlanDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  PlanRead *read = NULL;
  gboolean first = self->planner == NULL;

  if (!derm_store_run_finish (DERM_STORE (source), result, (gpointer *) &read, &error))
    {
      if (derm_planner_ui_is_cancelled (error))
        return;
      set_busy (self, FALSE);
      set_status (self, error->message);
      refresh_rows (self);
      derm_planner_ui_dialog_read_failed (self->toast_overlay, error, "plan.reload");
      return;
    }

  set_busy (self, FALSE);
  g_set_object (&self->planner, read->planner);
  {
    /* Nobody can come to a start a minute away: propose and judge from a
     * few minutes ahead, so that a slot proposed at 13:59:58 for 14:00 is
     * not "in the past" when the user books it a moment later */
    g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr (GDateTime) ahead = g_date_time_add_minutes (now, PLAN_LEAD_MINUTES);

    derm_planner_set_now (self->planner, ahead);
  }
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  self->findings = g_ptr_array_ref (read->findings);
  if (first)
    {
      g_set_object (&self->clinic, read->clinic);
      self->protocols = g_ptr_array_ref (read->protocols);
      if (read->series_appointments != NULL)
        self->series_appointments = g_ptr_array_ref (read->series_appointments);
    }
  plan_read_free (read);

  if (first)
    fill_form (self);
  else
    recheck (self);
}

/* Reads the clinic, the calendar, the protocols and the client's findings
 * on the store's worker; again after a booking lost a race */
static void
read_from_store (DermPlanDialog *self)
{
  PlanRequest *request = g_new0 (PlanRequest, 1);

  request->client_id = derm_client_get_id (self->client);
  request->series_id = self->series != NULL ? derm_series_get_id (self->series) : 0;
  set_busy (self, TRUE);
  derm_store_run_async (self->store, read_context, request, g_free, plan_read_free,
                        self->busy, on_context_read, g_object_ref (self));
}

/* The Retry of a failed read's toast */
static void
plan_reload (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DermPlanDialog *self = DERM_PLAN_DIALOG (widget);

  if (self->busy == NULL)
    read_from_store (self);
}

/* What is left of the series to book: the sessions from the first one
 * not done up to the next one booked, or the follow-up photo */
static void
plan_rest_of_series (DermPlanDialog *self,
                     GDate          *start)
{
  GPtrArray *appointments = self->series_appointments;
  DermSeriesProgress progress;
  GDate today;
  guint n = derm_series_get_sessions (self->series);
  guint last;

  derm_date_today (&today);
  *start = today;

  derm_planner_series_progress (self->series, appointments, &today, g_get_real_time () / G_USEC_PER_SEC, &progress);

  if (progress.next_index == 0)
    {
      self->follow_up = TRUE;
      self->first_index = n + 1;
      self->n_sessions = 1;
      if (g_date_valid (&progress.follow_up_date) && g_date_compare (&progress.follow_up_date, &today) > 0)
        *start = progress.follow_up_date;
      return;
    }

  last = n;
  for (guint i = 0; i < appointments->len; i++)
    {
      DermAppointment *appointment = g_ptr_array_index (appointments, i);
      guint index = derm_appointment_get_session_index (appointment);

      if (derm_appointment_get_kind (appointment) == DERM_APPOINTMENT_SESSION &&
          derm_appointment_get_status (appointment) == DERM_APPOINTMENT_BOOKED &&
          index > progress.next_index && index <= last)
        last = index - 1;
    }

  self->first_index = progress.next_index;
  self->n_sessions = last - progress.next_index + 1;
  if (g_date_valid (&progress.due_from) && g_date_compare (&progress.due_from, &today) > 0)
    *start = progress.due_from;
}

static void
fill_form (DermPlanDialog *self)
{
  g_autofree char *start_text = NULL;
  GDate start;

  self->loading = TRUE;
  fill_lists (self);

  derm_date_today (&start);
  g_date_add_days (&start, 1);

  if (self->series != NULL)
    {
      g_autofree char *title = NULL;

      plan_rest_of_series (self, &start);
      adw_combo_row_set_selected (self->practitioner_row,
                                  derm_planner_ui_name_position (self->practitioner_names,
                                                 derm_series_get_practitioner (self->series)));
      if (self->room_names != NULL)
        adw_combo_row_set_selected (self->room_row,
                                    derm_planner_ui_name_position (self->room_names, derm_series_get_room (self->series)));

      if (self->follow_up)
        title = g_strdup (_("Book Follow-up Photo"));
      else if (self->n_sessions == 1)
        title = g_strdup_printf (_("Book Session %u of %u"), self->first_index,
                                 derm_series_get_sessions (self->series));
      else
        title = g_strdup_printf (_("Book Sessions %u–%u of %u"), self->first_index,
                                 self->first_index + self->n_sessions - 1,
                                 derm_series_get_sessions (self->series));
      adw_window_title_set_title (self->window_title, title);
      gtk_window_set_title (GTK_WINDOW (self), title);
    }

  start_text = derm_date_format (&start);
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), start_text);

  self->loading = FALSE;
  propose (self);
}

static void
setup (DermPlanDialog *self)
{
  const char *name = derm_client_get_name (self->client);

  adw_window_title_set_subtitle (self->window_title, name != NULL ? name : "");
  if (self->series != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->protocol_row), FALSE);
  read_from_store (self);
}

/* GObject */

static void
derm_plan_dialog_dispose (GObject *object)
{
  DermPlanDialog *self = DERM_PLAN_DIALOG (object);

  if (self->busy != NULL)
    g_cancellable_cancel (self->busy);
  g_clear_object (&self->busy);
  if (self->rows != NULL)
    clear_rows (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_PLAN_DIALOG);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->protocols, g_ptr_array_unref);
  g_clear_pointer (&self->series_appointments, g_ptr_array_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_object (&self->proposal);
  g_clear_object (&self->planner);
  g_clear_object (&self->clinic);
  g_clear_object (&self->room_names);
  g_clear_object (&self->practitioner_names);
  g_clear_object (&self->series);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_plan_dialog_parent_class)->dispose (object);
}

static gboolean
derm_plan_dialog_close_request (GtkWindow *window)
{
  DermPlanDialog *self = DERM_PLAN_DIALOG (window);

  if (!self->close_confirmed && self->edited)
    return derm_unsaved_ask_close (window, _("Book the Series?"), _("Nothing is booked until you save; the changes you made to the proposal are lost otherwise."),
                                   TRUE, plan_book, "plan.book");

  return GTK_WINDOW_CLASS (derm_plan_dialog_parent_class)->close_request (window);
}

static void
derm_plan_dialog_class_init (DermPlanDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_plan_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = derm_plan_dialog_close_request;

  /**
   * DermPlanDialog::booked:
   * @proposal: what was booked, with the ids set
   */
  signals[BOOKED] =
    g_signal_new ("booked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DERM_TYPE_PLAN_PROPOSAL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-plan-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DermPlanDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DermPlanDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DermPlanDialog, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, DermPlanDialog, start_row);
  gtk_widget_class_bind_template_child (widget_class, DermPlanDialog, time_row);
  gtk_widget_class_bind_template_child (widget_class, DermPlanDialog, practitioner_row);
  gtk_widget_class_bind_template_child (widget_class, DermPlanDialog, room_row);
  gtk_widget_class_bind_template_child (widget_class, DermPlanDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, DermPlanDialog, proposal_list);
  gtk_widget_class_bind_template_child (widget_class, DermPlanDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_request_changed);

  gtk_widget_class_install_action (widget_class, "plan.book", NULL, plan_book);
  gtk_widget_class_install_action (widget_class, "plan.reload", NULL, plan_reload);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
derm_plan_dialog_init (DermPlanDialog *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  derm_combo_row_show_whole_items (self->protocol_row);
  derm_date_row_attach (self->start_row);
  self->loading = FALSE;

  self->rows = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plan.book", FALSE);
}

GtkWidget *
derm_plan_dialog_new (DermStore  *store,
                      DermClient *client)
{
  DermPlanDialog *self;

  g_return_val_if_fail (DERM_IS_STORE (store), NULL);
  g_return_val_if_fail (DERM_IS_CLIENT (client), NULL);

  self = g_object_new (DERM_TYPE_PLAN_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  setup (self);

  return GTK_WIDGET (self);
}

GtkWidget *
derm_plan_dialog_new_for_series (DermStore  *store,
                                 DermSeries *series,
                                 DermClient *client)
{
  DermPlanDialog *self;

  g_return_val_if_fail (DERM_IS_STORE (store), NULL);
  g_return_val_if_fail (DERM_IS_SERIES (series), NULL);
  g_return_val_if_fail (DERM_IS_CLIENT (client), NULL);

  self = g_object_new (DERM_TYPE_PLAN_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->series = g_object_ref (series);
  self->client = g_object_ref (client);
  setup (self);

  return GTK_WIDGET (self);
}

gboolean
derm_plan_dialog_get_ready (DermPlanDialog *self)
{
  g_return_val_if_fail (DERM_IS_PLAN_DIALOG (self), FALSE);

  return self->planner != NULL && self->busy == NULL;
}

DermPlanProposal *
derm_plan_dialog_get_proposal (DermPlanDialog *self)
{
  g_return_val_if_fail (DERM_IS_PLAN_DIALOG (self), NULL);

  return self->proposal;
}

void
derm_plan_dialog_set_request (DermPlanDialog *self,
                              const char     *protocol_name,
                              const char     *start_date,
                              int             preferred_time)
{
  g_autofree char *time_text = derm_planner_ui_format_minutes (preferred_time);

  g_return_if_fail (DERM_IS_PLAN_DIALOG (self));

  self->loading = TRUE;
  for (guint i = 0; protocol_name != NULL && self->protocols != NULL && i < self->protocols->len; i++)
    if (g_strcmp0 (derm_protocol_get_name (g_ptr_array_index (self->protocols, i)), protocol_name) == 0)
      adw_combo_row_set_selected (self->protocol_row, i);
  if (start_date != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->start_row), start_date);
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), time_text);
  self->loading = FALSE;

  propose (self);
}

void
derm_plan_dialog_edit_item (DermPlanDialog *self,
                            guint           index,
                            const char     *date,
                            const char     *time)
{
  g_return_if_fail (DERM_IS_PLAN_DIALOG (self));
  g_return_if_fail (index < self->rows->len);

  gtk_editable_set_text (GTK_EDITABLE (((ItemRow *) g_ptr_array_index (self->rows, index))->date), date);
  gtk_editable_set_text (GTK_EDITABLE (((ItemRow *) g_ptr_array_index (self->rows, index))->time), time);
}

const char *
derm_plan_dialog_get_item_message (DermPlanDialog *self,
                                   guint           index)
{
  g_return_val_if_fail (DERM_IS_PLAN_DIALOG (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);

  return gtk_label_get_text (((ItemRow *) g_ptr_array_index (self->rows, index))->message);
}

const char *
derm_plan_dialog_get_status_message (DermPlanDialog *self)
{
  g_return_val_if_fail (DERM_IS_PLAN_DIALOG (self), NULL);

  return gtk_label_get_text (self->status_label);
}

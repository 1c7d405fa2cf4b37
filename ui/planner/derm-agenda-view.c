/* derm-agenda-view.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-agenda-view"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-store.h"
#include "derm-store-planner.h"

#include "derm-agenda-view.h"
#include "derm-book-dialog.h"
#include "derm-planner-ui.h"
#include "derm-replan-dialog.h"

struct _DermAgendaView
{
  GtkWidget       parent_instance;

  DermStore      *store;
  DermClinic     *clinic;
  GPtrArray      *appointments;
  GDate           monday;
  GtkWidget      *popover;
  GCancellable   *reload;      /* the reload under way */

  /* Template children */
  GtkLabel       *week_label;
  DermAgendaGrid *grid;
  GtkProgressBar *progress;
};

G_DEFINE_FINAL_TYPE (DermAgendaView, derm_agenda_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_GROUP_BY,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_week_label (DermAgendaView *self)
{
  GDate sunday = self->monday;
  g_autoptr (GDateTime) first = NULL;
  g_autoptr (GDateTime) last = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *text = NULL;

  g_date_add_days (&sunday, 6);
  first = g_date_time_new_local (g_date_get_year (&self->monday), g_date_get_month (&self->monday),
                                 g_date_get_day (&self->monday), 12, 0, 0);
  last = g_date_time_new_local (g_date_get_year (&sunday), g_date_get_month (&sunday),
                                g_date_get_day (&sunday), 12, 0, 0);
  /* Translators: the first day of a week shown, as in "3 Mar" */
  from = g_date_time_format (first, _("%-d %b"));
  /* Translators: the last day of a week shown, as in "9 Mar 2026" */
  to = g_date_time_format (last, _("%-d %b %Y"));
  /* Translators: a week, as in "3 Mar – 9 Mar 2026 · Week 10" */
  text = g_strdup_printf (_("%s – %s · Week %d"), from, to, g_date_time_get_week_of_year (first));
  gtk_label_set_text (self->week_label, text);
}

static void
close_popover (DermAgendaView *self)
{
  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
}

static void
on_calendar_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (DermAgendaView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (GPtrArray) appointments = NULL;

  if (!derm_planner_ui_read_calendar_finish (DERM_STORE (source), result, &clinic, &appointments, &error))
    {
      if (derm_planner_ui_is_cancelled (error))
        return;
      g_clear_object (&self->reload);
      derm_planner_ui_progress_stop (self->progress);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      derm_planner_ui_load_failed (GTK_WIDGET (self), error);
      return;
    }

  g_clear_object (&self->reload);
  derm_planner_ui_progress_stop (self->progress);
  close_popover (self);
  g_set_object (&self->clinic, clinic);
  g_clear_pointer (&self->appointments, g_ptr_array_unref);
  self->appointments = g_steal_pointer (&appointments);

  {
    g_autoptr (GDateTime) now = derm_store_dup_now (self->store);

    derm_agenda_grid_set_now (self->grid, now);
  }
  derm_agenda_grid_set_clinic (self->grid, self->clinic);
  derm_agenda_grid_set_week (self->grid, &self->monday);
  derm_agenda_grid_set_appointments (self->grid, self->appointments);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
derm_agenda_view_reload (DermAgendaView *self)
{
  g_return_if_fail (DERM_IS_AGENDA_VIEW (self));

  update_week_label (self);

  if (self->store == NULL)
    return;

  /* The newest reload wins: a week asked for meanwhile replaces this one */
  if (self->reload != NULL)
    g_cancellable_cancel (self->reload);
  g_clear_object (&self->reload);
  self->reload = g_cancellable_new ();
  derm_planner_ui_progress_start (self->progress);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  derm_planner_ui_read_calendar_async (self->store, &self->monday, 7, self->reload,
                                       on_calendar_read, g_object_ref (self));
}

gboolean
derm_agenda_view_get_loading (DermAgendaView *self)
{
  g_return_val_if_fail (DERM_IS_AGENDA_VIEW (self), FALSE);

  return self->reload != NULL;
}

static void
show_popover (DermAgendaView        *self,
              DermAppointment       *appointment,
              const graphene_rect_t *block)
{
  /* One popover at a time; the last one stays parented until replaced */
  if (self->popover != NULL)
    {
      gtk_popover_popdown (GTK_POPOVER (self->popover));
      gtk_widget_unparent (self->popover);
    }

  self->popover = derm_appointment_popover_new (appointment, derm_planner_ui_store_now (self->store));
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self->grid));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { block->origin.x, block->origin.y,
                                                 block->size.width, block->size.height });
  gtk_popover_set_position (GTK_POPOVER (self->popover), GTK_POS_RIGHT);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
on_appointment_activated (DermAgendaView  *self,
                          DermAppointment *appointment,
                          DermAgendaGrid  *grid)
{
  graphene_rect_t block;

  if (derm_agenda_grid_get_block (grid, derm_appointment_get_id (appointment), &block))
    show_popover (self, appointment, &block);
}

gboolean
derm_agenda_view_open_appointment (DermAgendaView *self,
                                   gint64          id)
{
  g_return_val_if_fail (DERM_IS_AGENDA_VIEW (self), FALSE);

  for (guint i = 0; self->appointments != NULL && i < self->appointments->len; i++)
    {
      DermAppointment *appointment = g_ptr_array_index (self->appointments, i);

      if (derm_appointment_get_id (appointment) == id)
        {
          on_appointment_activated (self, appointment, self->grid);
          return TRUE;
        }
    }

  return FALSE;
}

/* The front desk: a free slot clicked, an appointment dropped */

static GtkWindow *
view_window (DermAgendaView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
on_single_booked (DermBookDialog   *dialog,
                  DermPlanProposal *proposal,
                  DermAgendaView   *self)
{
  derm_planner_ui_toast (GTK_WIDGET (self), _("Appointment booked"));
  derm_planner_ui_notify_changed (GTK_WIDGET (self));
}

static void
on_moved (DermReplanDialog *dialog,
          const char       *message,
          DermAgendaView   *self)
{
  derm_planner_ui_toast (GTK_WIDGET (self), message);
  derm_planner_ui_notify_changed (GTK_WIDGET (self));
}

/* The lane's name as a room or a practitioner, as the lanes are grouped */
static void
lane_resources (DermAgendaView  *self,
                const char      *lane,
                const char     **room,
                const char     **practitioner)
{
  gboolean by_room = derm_agenda_grid_get_group (self->grid) == DERM_AGENDA_GROUP_ROOM;

  *room = lane != NULL && *lane != '\0' && by_room ? lane : NULL;
  *practitioner = lane != NULL && *lane != '\0' && !by_room ? lane : NULL;
}

static void
agenda_book_slot (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  DermAgendaView *self = DERM_AGENDA_VIEW (widget);
  const char *date, *lane, *room, *practitioner;
  int minute;
  GtkWidget *dialog;

  if (self->store == NULL)
    return;
  g_variant_get (param, "(&si&s)", &date, &minute, &lane);
  lane_resources (self, lane, &room, &practitioner);
  close_popover (self);

  dialog = derm_book_dialog_new (self->store, date, minute, room, practitioner);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), view_window (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "booked", G_CALLBACK (on_single_booked), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
agenda_move_to (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DermAgendaView *self = DERM_AGENDA_VIEW (widget);
  DermAppointment *appointment = NULL;
  const char *date, *lane, *room, *practitioner;
  g_autofree char *time_text = NULL;
  gint64 id;
  int minute;
  GtkWidget *dialog;

  if (self->store == NULL)
    return;
  g_variant_get (param, "(x&si&s)", &id, &date, &minute, &lane);
  for (guint i = 0; self->appointments != NULL && i < self->appointments->len; i++)
    if (derm_appointment_get_id (g_ptr_array_index (self->appointments, i)) == id)
      appointment = g_ptr_array_index (self->appointments, i);
  if (appointment == NULL || derm_appointment_get_status (appointment) != DERM_APPOINTMENT_BOOKED)
    return;

  lane_resources (self, lane, &room, &practitioner);
  time_text = derm_planner_ui_format_minutes (minute);
  close_popover (self);

  /* Never a silent move: the re-plan preview shows what it breaks or
   * shifts, and nothing changes until the user confirms */
  dialog = derm_replan_dialog_new_move_to (self->store, appointment, date, time_text, room, practitioner);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), view_window (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "confirmed", G_CALLBACK (on_moved), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_slot_activated (DermAgendaView *self,
                   const char     *date,
                   int             minute,
                   const char     *lane,
                   DermAgendaGrid *grid)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "agenda.book-slot", "(sis)", date, minute,
                              lane != NULL ? lane : "");
}

static void
on_appointment_dropped (DermAgendaView  *self,
                        DermAppointment *appointment,
                        const char      *date,
                        int              minute,
                        const char      *lane,
                        DermAgendaGrid  *grid)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "agenda.move-to", "(xsis)",
                              derm_appointment_get_id (appointment), date, minute, lane != NULL ? lane : "");
}

/* Actions */

static void
move_weeks (DermAgendaView *self,
            int             weeks)
{
  GDate date = self->monday;

  if (weeks > 0)
    g_date_add_days (&date, 7 * weeks);
  else
    g_date_subtract_days (&date, 7 * -weeks);
  derm_agenda_view_set_week (self, &date);
}

static void
agenda_previous (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  move_weeks (DERM_AGENDA_VIEW (widget), -1);
}

static void
agenda_next (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  move_weeks (DERM_AGENDA_VIEW (widget), 1);
}

static void
agenda_today (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  derm_agenda_view_set_week (DERM_AGENDA_VIEW (widget), &today);
}

static void
agenda_export (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DermAgendaView *self = DERM_AGENDA_VIEW (widget);
  g_autoptr (GDateTime) dt = NULL;
  g_autofree char *name = NULL;

  if (self->store == NULL || self->appointments == NULL)
    return;

  dt = g_date_time_new_local (g_date_get_year (&self->monday), g_date_get_month (&self->monday),
                              g_date_get_day (&self->monday), 12, 0, 0);
  /* Translators: the file name suggested for a week's calendar; keep the .ics */
  name = g_date_time_format (dt, _("clinic-week-%G-W%V.ics"));
  derm_planner_ui_export (widget, self->store, self->appointments, name);
}

/* Before an action on an appointment of the popover */
static void
agenda_popdown (GtkWidget *view)
{
  close_popover (DERM_AGENDA_VIEW (view));
}

/* GObject */

static void
derm_agenda_view_dispose (GObject *object)
{
  DermAgendaView *self = DERM_AGENDA_VIEW (object);

  if (self->reload != NULL)
    g_cancellable_cancel (self->reload);
  g_clear_object (&self->reload);
  if (self->progress != NULL)
    derm_planner_ui_progress_stop (self->progress);

  if (self->popover != NULL)
    {
      gtk_widget_unparent (self->popover);
      self->popover = NULL;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_AGENDA_VIEW);

  g_clear_pointer (&self->appointments, g_ptr_array_unref);
  g_clear_object (&self->clinic);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_agenda_view_parent_class)->dispose (object);
}

static void
derm_agenda_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DermAgendaView *self = DERM_AGENDA_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_GROUP_BY:
      g_value_set_string (value, derm_agenda_grid_get_group (self->grid) == DERM_AGENDA_GROUP_ROOM
                                 ? "room" : "practitioner");
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->reload != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_agenda_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DermAgendaView *self = DERM_AGENDA_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      derm_agenda_view_set_store (self, g_value_get_object (value));
      break;

    case PROP_GROUP_BY:
      {
        DermAgendaGroup group = g_strcmp0 (g_value_get_string (value), "practitioner") == 0
                                ? DERM_AGENDA_GROUP_PRACTITIONER : DERM_AGENDA_GROUP_ROOM;

        if (group != derm_agenda_grid_get_group (self->grid))
          {
            derm_agenda_grid_set_group (self->grid, group);
            g_object_notify_by_pspec (object, pspec);
          }
      }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The Retry of a failed load's toast */
static void
agenda_reload (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  derm_agenda_view_reload (DERM_AGENDA_VIEW (widget));
}

static void
derm_agenda_view_class_init (DermAgendaViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_agenda_view_dispose;
  object_class->get_property = derm_agenda_view_get_property;
  object_class->set_property = derm_agenda_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DERM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* "room" or "practitioner": what the lanes of a day are */
  properties[PROP_GROUP_BY] =
    g_param_spec_string ("group-by", NULL, NULL,
                         "room",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* TRUE while a reload reads the store */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DERM_TYPE_AGENDA_GRID);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-agenda-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DermAgendaView, week_label);
  gtk_widget_class_bind_template_child (widget_class, DermAgendaView, grid);
  gtk_widget_class_bind_template_child (widget_class, DermAgendaView, progress);
  gtk_widget_class_bind_template_callback (widget_class, on_appointment_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_slot_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_appointment_dropped);

  gtk_widget_class_install_action (widget_class, "planner.reload", NULL, agenda_reload);
  gtk_widget_class_install_action (widget_class, "agenda.previous", NULL, agenda_previous);
  gtk_widget_class_install_action (widget_class, "agenda.next", NULL, agenda_next);
  gtk_widget_class_install_action (widget_class, "agenda.today", NULL, agenda_today);
  gtk_widget_class_install_action (widget_class, "agenda.export", NULL, agenda_export);
  /* (date, minute, lane): book a single appointment there */
  gtk_widget_class_install_action (widget_class, "agenda.book-slot", "(sis)", agenda_book_slot);
  /* (appointment id, date, minute, lane): move it there, with the preview */
  gtk_widget_class_install_action (widget_class, "agenda.move-to", "(xsis)", agenda_move_to);
  gtk_widget_class_install_property_action (widget_class, "agenda.group-by", "group-by");
  derm_planner_ui_install_appointment_actions (widget_class, agenda_popdown, TRUE, NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "agenda.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "agenda.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "agenda.today", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dermagendaview");
}

static void
derm_agenda_view_init (DermAgendaView *self)
{
  GDate today;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  derm_planner_ui_week_start (&today, &self->monday);
  update_week_label (self);
}

GtkWidget *
derm_agenda_view_new (void)
{
  return g_object_new (DERM_TYPE_AGENDA_VIEW, NULL);
}

DermStore *
derm_agenda_view_get_store (DermAgendaView *self)
{
  g_return_val_if_fail (DERM_IS_AGENDA_VIEW (self), NULL);

  return self->store;
}

void
derm_agenda_view_set_store (DermAgendaView *self,
                            DermStore      *store)
{
  g_return_if_fail (DERM_IS_AGENDA_VIEW (self));
  g_return_if_fail (store == NULL || DERM_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      derm_agenda_view_reload (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

void
derm_agenda_view_set_week (DermAgendaView *self,
                           const GDate    *date)
{
  g_return_if_fail (DERM_IS_AGENDA_VIEW (self));
  g_return_if_fail (date != NULL && g_date_valid (date));

  derm_planner_ui_week_start (date, &self->monday);
  derm_agenda_view_reload (self);
}

void
derm_agenda_view_get_week (DermAgendaView *self,
                           GDate          *monday)
{
  g_return_if_fail (DERM_IS_AGENDA_VIEW (self));

  *monday = self->monday;
}

GPtrArray *
derm_agenda_view_get_appointments (DermAgendaView *self)
{
  g_return_val_if_fail (DERM_IS_AGENDA_VIEW (self), NULL);

  return self->appointments;
}

DermAgendaGrid *
derm_agenda_view_get_grid (DermAgendaView *self)
{
  g_return_val_if_fail (DERM_IS_AGENDA_VIEW (self), NULL);

  return self->grid;
}

GtkPopover *
derm_agenda_view_get_popover (DermAgendaView *self)
{
  g_return_val_if_fail (DERM_IS_AGENDA_VIEW (self), NULL);

  return self->popover != NULL ? GTK_POPOVER (self->popover) : NULL;
}

/* derm-month-view.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-month-view"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-validate.h"

#include "derm-month-view.h"
#include "derm-planner-ui.h"

/* Six weeks always hold a month, whatever day it starts on */
#define N_CELLS 42
#define N_LINES 3

typedef struct
{
  GtkWidget *button;
  GtkLabel  *number;
  GtkLabel  *count;
  GtkLabel  *lines[N_LINES];
  GtkLabel  *attention;   /* the badge of bookings that break a rule now */
  guint      n_appointments;
  guint      n_attention;
} Cell;

struct _DermMonthView
{
  GtkWidget   parent_instance;

  DermStore  *store;
  GDate       first;     /* the first of the month */
  GDate       grid_start;
  Cell        cells[N_CELLS];
  GCancellable *reload;   /* the reload under way */

  /* Template children */
  GtkLabel   *month_label;
  GtkGrid    *grid;
  GtkProgressBar *progress;
};

G_DEFINE_FINAL_TYPE (DermMonthView, derm_month_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_LOADING,
  N_PROPS
};

enum {
  DAY_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
clear_cells (DermMonthView *self)
{
  GDate today;

  derm_date_today (&today);

  for (guint i = 0; i < N_CELLS; i++)
    {
      Cell *cell = &self->cells[i];
      GDate date = self->grid_start;
      g_autofree char *number = NULL;
      g_autofree char *iso = NULL;
      g_autofree char *label = NULL;

      g_date_add_days (&date, i);
      number = g_strdup_printf ("%u", g_date_get_day (&date));
      iso = derm_date_format (&date);
      label = derm_planner_ui_format_date (&date);

      gtk_label_set_text (cell->number, number);
      gtk_label_set_text (cell->count, "");
      for (guint j = 0; j < N_LINES; j++)
        gtk_label_set_text (cell->lines[j], "");
      cell->n_appointments = 0;
      cell->n_attention = 0;
      gtk_widget_set_visible (GTK_WIDGET (cell->attention), FALSE);

      gtk_actionable_set_action_target (GTK_ACTIONABLE (cell->button), "s", iso);
      gtk_accessible_update_property (GTK_ACCESSIBLE (cell->button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

      if (g_date_get_month (&date) != g_date_get_month (&self->first))
        gtk_widget_add_css_class (cell->button, "dim-label");
      else
        gtk_widget_remove_css_class (cell->button, "dim-label");

      if (g_date_compare (&date, &today) == 0)
        gtk_widget_add_css_class (GTK_WIDGET (cell->number), "accent");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (cell->number), "accent");
    }
}

static void
show_month (DermMonthView *self,
            DermClinic    *clinic,
            GPtrArray     *appointments)
{
  clear_cells (self);

  for (guint i = 0; i < N_CELLS; i++)
    {
      GDate date = self->grid_start;

      g_date_add_days (&date, i);
      if (!derm_clinic_is_open_on (clinic, &date))
        {
          const char *label = derm_clinic_get_closed_label (clinic, &date);

          gtk_label_set_text (self->cells[i].count,
                              label != NULL && *label != '\0' ? label : _("Closed"));
        }
    }

  for (guint i = 0; i < appointments->len; i++)
    {
      DermAppointment *appointment = g_ptr_array_index (appointments, i);
      DermAppointmentStatus status = derm_appointment_get_status (appointment);
      const char *local = derm_appointment_get_start_local (appointment);
      const char *name = derm_appointment_get_client_name (appointment);
      gint64 index;
      Cell *cell;
      GDate date;

      if (status == DERM_APPOINTMENT_CANCELLED || status == DERM_APPOINTMENT_NO_SHOW ||
          !derm_appointment_get_local_date (appointment, &date))
        continue;

      index = g_date_days_between (&self->grid_start, &date);
      if (index < 0 || index >= N_CELLS)
        continue;

      cell = &self->cells[index];
      if (cell->n_appointments < N_LINES && local != NULL && strlen (local) >= 16)
        {
          g_autofree char *line = g_strdup_printf ("%.5s %s", local + 11, name != NULL ? name : "");

          gtk_label_set_text (cell->lines[cell->n_appointments], line);
        }
      cell->n_appointments++;
      if (derm_planner_ui_needs_attention (appointment))
        cell->n_attention++;
    }

  for (guint i = 0; i < N_CELLS; i++)
    {
      Cell *cell = &self->cells[i];
      g_autofree char *count = NULL;

      if (cell->n_attention > 0)
        {
          g_autofree char *badge = g_strdup_printf (ngettext ("%u needs attention", "%u need attention",
                                                              cell->n_attention),
                                                    cell->n_attention);

          gtk_label_set_text (cell->attention, badge);
          gtk_widget_set_visible (GTK_WIDGET (cell->attention), TRUE);
        }
      if (cell->n_appointments == 0)
        continue;

      count = g_strdup_printf (ngettext ("%u appointment", "%u appointments", cell->n_appointments),
                               cell->n_appointments);
      /* A closed day that still holds bookings says both */
      if (*gtk_label_get_text (cell->count) != '\0')
        {
          /* Translators: a closed day's name and its count, "Closed · 1 appointment" */
          g_autofree char *both = g_strdup_printf (_("%s · %s"), gtk_label_get_text (cell->count), count);

          gtk_label_set_text (cell->count, both);
        }
      else
        gtk_label_set_text (cell->count, count);
    }
}


static void
on_calendar_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (DermMonthView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (GPtrArray) appointments = NULL;

  if (!derm_planner_ui_read_calendar_finish (DERM_STORE (source), result, &clinic, &appointments, &error))
    {
      if (derm_planner_ui_is_cancelled (error))
        return;
      derm_planner_ui_load_failed (GTK_WIDGET (self), error);
    }
  else
    show_month (self, clinic, appointments);

  g_clear_object (&self->reload);
  derm_planner_ui_progress_stop (self->progress);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
derm_month_view_reload (DermMonthView *self)
{
  g_autoptr (GDateTime) month = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (DERM_IS_MONTH_VIEW (self));

  derm_planner_ui_week_start (&self->first, &self->grid_start);
  month = g_date_time_new_local (g_date_get_year (&self->first), g_date_get_month (&self->first), 1, 12, 0, 0);
  /* Translators: a month heading, "March 2026" */
  title = g_date_time_format (month, _("%B %Y"));
  gtk_label_set_text (self->month_label, title);

  if (self->store == NULL)
    {
      clear_cells (self);
      return;
    }

  /* The newest reload wins: a month asked for meanwhile replaces this one */
  if (self->reload != NULL)
    g_cancellable_cancel (self->reload);
  g_clear_object (&self->reload);
  self->reload = g_cancellable_new ();
  derm_planner_ui_progress_start (self->progress);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  derm_planner_ui_read_calendar_async (self->store, &self->grid_start, N_CELLS, self->reload,
                                       on_calendar_read, g_object_ref (self));
}

gboolean
derm_month_view_get_loading (DermMonthView *self)
{
  g_return_val_if_fail (DERM_IS_MONTH_VIEW (self), FALSE);

  return self->reload != NULL;
}

guint
derm_month_view_get_day_count (DermMonthView *self,
                               const GDate   *date)
{
  gint64 index;

  g_return_val_if_fail (DERM_IS_MONTH_VIEW (self), 0);

  index = g_date_days_between (&self->grid_start, date);
  if (index < 0 || index >= N_CELLS)
    return 0;

  return self->cells[index].n_appointments;
}

/* Actions */

static void
move_months (DermMonthView *self,
             int            months)
{
  GDate date = self->first;

  if (months > 0)
    g_date_add_months (&date, months);
  else
    g_date_subtract_months (&date, -months);
  derm_month_view_set_month (self, &date);
}

static void
month_previous (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  move_months (DERM_MONTH_VIEW (widget), -1);
}

static void
month_next (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  move_months (DERM_MONTH_VIEW (widget), 1);
}

static void
month_today (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GDate today;

  derm_date_today (&today);
  derm_month_view_set_month (DERM_MONTH_VIEW (widget), &today);
}

static void
month_show_day (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  GDate date;

  if (derm_date_parse (g_variant_get_string (param, NULL), &date))
    g_signal_emit (widget, signals[DAY_ACTIVATED], 0, g_variant_get_string (param, NULL));
}

/* GObject */

static void
derm_month_view_dispose (GObject *object)
{
  DermMonthView *self = DERM_MONTH_VIEW (object);

  if (self->reload != NULL)
    g_cancellable_cancel (self->reload);
  g_clear_object (&self->reload);
  if (self->progress != NULL)
    derm_planner_ui_progress_stop (self->progress);

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_MONTH_VIEW);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_month_view_parent_class)->dispose (object);
}

static void
derm_month_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DermMonthView *self = DERM_MONTH_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->reload != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_month_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DermMonthView *self = DERM_MONTH_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      derm_month_view_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The Retry of a failed load's toast */
static void
month_reload (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  derm_month_view_reload (DERM_MONTH_VIEW (widget));
}

static void
derm_month_view_class_init (DermMonthViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_month_view_dispose;
  object_class->get_property = derm_month_view_get_property;
  object_class->set_property = derm_month_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DERM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* TRUE while a reload reads the store */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DermMonthView::day-activated:
   * @date: the ISO date clicked
   */
  signals[DAY_ACTIVATED] =
    g_signal_new ("day-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-month-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DermMonthView, month_label);
  gtk_widget_class_bind_template_child (widget_class, DermMonthView, grid);
  gtk_widget_class_bind_template_child (widget_class, DermMonthView, progress);

  gtk_widget_class_install_action (widget_class, "planner.reload", NULL, month_reload);
  gtk_widget_class_install_action (widget_class, "month.previous", NULL, month_previous);
  gtk_widget_class_install_action (widget_class, "month.next", NULL, month_next);
  gtk_widget_class_install_action (widget_class, "month.today", NULL, month_today);
  gtk_widget_class_install_action (widget_class, "month.show-day", "s", month_show_day);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "month.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "month.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "month.today", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dermmonthview");
}

static GtkWidget *
cell_label (const char *css)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 4);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);

  return label;
}

static void
derm_month_view_init (DermMonthView *self)
{
  GDate today;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Weekday headings, Monday first */
  for (guint i = 0; i < 7; i++)
    {
      g_autoptr (GDateTime) day = g_date_time_new_local (2024, 1, 1 + i, 12, 0, 0);   /* a Monday */
      g_autofree char *name = g_date_time_format (day, "%a");
      GtkWidget *label = gtk_label_new (name);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_grid_attach (self->grid, label, i, 0, 1, 1);
    }

  for (guint i = 0; i < N_CELLS; i++)
    {
      Cell *cell = &self->cells[i];
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

      cell->number = GTK_LABEL (cell_label ("heading"));
      cell->count = GTK_LABEL (cell_label ("caption"));
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (cell->number));
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (cell->count));
      cell->attention = GTK_LABEL (cell_label ("caption"));
      gtk_widget_add_css_class (GTK_WIDGET (cell->attention), "error");
      gtk_widget_add_css_class (GTK_WIDGET (cell->attention), "derm-tag");
      gtk_widget_set_halign (GTK_WIDGET (cell->attention), GTK_ALIGN_START);
      gtk_widget_set_visible (GTK_WIDGET (cell->attention), FALSE);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (cell->attention));
      for (guint j = 0; j < N_LINES; j++)
        {
          cell->lines[j] = GTK_LABEL (cell_label ("caption"));
          gtk_widget_add_css_class (GTK_WIDGET (cell->lines[j]), "dim-label");
          gtk_box_append (GTK_BOX (box), GTK_WIDGET (cell->lines[j]));
        }

      cell->button = gtk_button_new ();
      gtk_button_set_child (GTK_BUTTON (cell->button), box);
      gtk_widget_add_css_class (cell->button, "flat");
      gtk_widget_set_vexpand (cell->button, TRUE);
      gtk_widget_set_hexpand (cell->button, TRUE);
      gtk_widget_set_valign (box, GTK_ALIGN_START);
      /* The target first: the name alone would not match the action's type */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (cell->button), "s", "");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (cell->button), "month.show-day");
      gtk_grid_attach (self->grid, cell->button, i % 7, 1 + i / 7, 1, 1);
    }

  derm_date_today (&today);
  derm_month_view_set_month (self, &today);
}

GtkWidget *
derm_month_view_new (void)
{
  return g_object_new (DERM_TYPE_MONTH_VIEW, NULL);
}

DermStore *
derm_month_view_get_store (DermMonthView *self)
{
  g_return_val_if_fail (DERM_IS_MONTH_VIEW (self), NULL);

  return self->store;
}

void
derm_month_view_set_store (DermMonthView *self,
                           DermStore     *store)
{
  g_return_if_fail (DERM_IS_MONTH_VIEW (self));
  g_return_if_fail (store == NULL || DERM_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      derm_month_view_reload (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

void
derm_month_view_set_month (DermMonthView *self,
                           const GDate   *date)
{
  g_return_if_fail (DERM_IS_MONTH_VIEW (self));
  g_return_if_fail (date != NULL && g_date_valid (date));

  g_date_clear (&self->first, 1);
  g_date_set_dmy (&self->first, 1, g_date_get_month (date), g_date_get_year (date));
  derm_month_view_reload (self);
}

void
derm_month_view_get_month (DermMonthView *self,
                           GDate         *first)
{
  g_return_if_fail (DERM_IS_MONTH_VIEW (self));

  *first = self->first;
}

const char *
derm_month_view_get_day_summary (DermMonthView *self,
                                 const GDate   *date)
{
  gint64 index;

  g_return_val_if_fail (DERM_IS_MONTH_VIEW (self), NULL);
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  index = g_date_days_between (&self->grid_start, date);
  if (index < 0 || index >= N_CELLS)
    return NULL;
  return gtk_label_get_text (self->cells[index].count);
}

guint
derm_month_view_get_day_attention (DermMonthView *self,
                                   const GDate   *date)
{
  gint64 index;

  g_return_val_if_fail (DERM_IS_MONTH_VIEW (self), 0);
  g_return_val_if_fail (date != NULL && g_date_valid (date), 0);

  index = g_date_days_between (&self->grid_start, date);
  if (index < 0 || index >= N_CELLS)
    return 0;
  return gtk_widget_get_visible (GTK_WIDGET (self->cells[index].attention)) ? self->cells[index].n_attention : 0;
}

/* derm-series-timeline.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-series-timeline"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-planner.h"
#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-validate.h"

#include "derm-planner-ui.h"
#include "derm-series-timeline.h"

struct _DermSeriesTimeline
{
  GtkWidget     parent_instance;

  DermStore    *store;
  gint64        client_id;
  GListStore   *series;
  /* Series id -> GPtrArray of its DermAppointment */
  GHashTable   *appointments;
  GPtrArray    *summaries;
  GtkMenuButton *open_button;
  GCancellable *reload;     /* the reload under way */

  /* Template children */
  GtkWidget      *overlay;
  GtkListBox     *list_box;
  GtkProgressBar *progress;
};

G_DEFINE_FINAL_TYPE (DermSeriesTimeline, derm_series_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT_ID,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GPtrArray *
series_appointments (DermSeriesTimeline *self,
                     DermSeries         *series)
{
  gint64 id = derm_series_get_id (series);

  return g_hash_table_lookup (self->appointments, &id);
}

/* What to show for session @index: done first, then booked, then the
 * last cancelled or missed one */
static DermAppointment *
session_appointment (GPtrArray           *appointments,
                     guint                index,
                     DermAppointmentKind  kind)
{
  DermAppointment *best = NULL;
  int best_rank = -1;

  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      DermAppointment *appointment = g_ptr_array_index (appointments, i);
      int rank;

      if (derm_appointment_get_kind (appointment) != kind ||
          (kind == DERM_APPOINTMENT_SESSION && derm_appointment_get_session_index (appointment) != index))
        continue;

      switch (derm_appointment_get_status (appointment))
        {
        case DERM_APPOINTMENT_DONE:
          rank = 3;
          break;

        case DERM_APPOINTMENT_BOOKED:
          rank = 2;
          break;

        case DERM_APPOINTMENT_CANCELLED:
        case DERM_APPOINTMENT_NO_SHOW:
        default:
          rank = 1;
          break;
        }

      if (rank >= best_rank)
        {
          best = appointment;
          best_rank = rank;
        }
    }

  return best;
}

static char *
summarize (DermSeries         *series,
           DermSeriesProgress *progress)
{
  g_autoptr (GString) text = g_string_new (NULL);

  g_string_append_printf (text, _("%u of %u done"), progress->done, progress->sessions);

  if (derm_series_get_status (series) == DERM_SERIES_CANCELLED)
    {
      g_string_append_printf (text, " · %s", _("Series cancelled"));
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  if (progress->next_index > 0 && progress->needs_outcome > 0)
    {
      /* Past sessions still booked are neither done nor to come: say how
       * many wait for an outcome, and count only the rest as booked */
      g_string_append_printf (text, ngettext (" · %u needs an outcome", " · %u need an outcome",
                                              progress->needs_outcome),
                              progress->needs_outcome);
      if (progress->booked > 0)
        g_string_append_printf (text, ngettext (" · %u more booked", " · %u more booked", progress->booked),
                                progress->booked);
    }
  else if (progress->next_index > 0)
    {
      guint left = progress->sessions - MIN (progress->done, progress->sessions);

      /* Say how much is booked, not only the next one: "0 of 4 done ·
       * session 1 booked" read as if 2 to 4 were not */
      if (progress->next_booked && progress->booked >= 2 && progress->booked >= left)
        g_string_append_printf (text, _(" · sessions %u–%u booked"), progress->next_index, progress->sessions);
      else if (progress->next_booked && progress->booked >= 2)
        g_string_append_printf (text, ngettext (" · session %u and %u more booked",
                                                " · session %u and %u more booked", progress->booked - 1),
                                progress->next_index, progress->booked - 1);
      else if (progress->next_booked)
        g_string_append_printf (text, _(" · session %u booked"), progress->next_index);
      else if (g_date_valid (&progress->due_from))
        {
          g_autofree char *from = derm_planner_ui_format_date (&progress->due_from);
          g_autofree char *until = derm_planner_ui_format_date (&progress->due_until);

          if (progress->overdue)
            g_string_append_printf (text, _(" · session %u overdue since %s"), progress->next_index, until);
          else
            g_string_append_printf (text, _(" · session %u due %s – %s"), progress->next_index, from, until);
        }
      else
        g_string_append_printf (text, _(" · session %u not booked"), progress->next_index);
    }
  else if (g_date_valid (&progress->follow_up_date))
    {
      g_autofree char *date = derm_planner_ui_format_date (&progress->follow_up_date);

      if (progress->follow_up_pending && progress->follow_up_booked)
        g_string_append_printf (text, _(" · follow-up photo booked"));
      else if (progress->follow_up_pending)
        g_string_append_printf (text, _(" · follow-up photo due %s"), date);
      else
        g_string_append_printf (text, _(" · follow-up photo taken"));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Unix seconds the timeline reads "past" against: the store's clock,
 * as the calendar views' "needs outcome" does */
static gint64
timeline_now (DermSeriesTimeline *self)
{
  return derm_planner_ui_store_now (self->store);
}

static void
create_popup (GtkMenuButton *button,
              gpointer       user_data)
{
  DermAppointment *appointment = user_data;
  GtkWidget *timeline = gtk_widget_get_ancestor (GTK_WIDGET (button), DERM_TYPE_SERIES_TIMELINE);
  gint64 now = timeline != NULL ? timeline_now (DERM_SERIES_TIMELINE (timeline)) : derm_planner_ui_store_now (NULL);

  gtk_menu_button_set_popover (button, derm_appointment_popover_new (appointment, now));
  if (timeline != NULL)
    g_set_weak_pointer (&DERM_SERIES_TIMELINE (timeline)->open_button, button);
}

static GtkWidget *
make_marker (DermSeries      *series,
             DermAppointment *appointment,
             guint            index,
             gboolean         follow_up,
             gint64           now)
{
  g_autofree char *number = g_strdup_printf ("%u", index);
  g_autofree char *tooltip = NULL;
  const char *icon = NULL;
  const char *css = NULL;
  GtkWidget *marker;

  if (appointment == NULL)
    {
      marker = gtk_button_new ();
      if (follow_up)
        gtk_button_set_icon_name (GTK_BUTTON (marker), "camera-photo-symbolic");
      else
        gtk_button_set_label (GTK_BUTTON (marker), number);
      gtk_widget_add_css_class (marker, "flat");
      gtk_widget_add_css_class (marker, "dim-label");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (marker), "timeline.book");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (marker), "x", derm_series_get_id (series));
      gtk_widget_set_sensitive (marker, derm_series_get_status (series) != DERM_SERIES_CANCELLED);
      tooltip = follow_up ? g_strdup (_("Follow-up photo: not booked"))
                          : g_strdup_printf (_("Session %u of %u: not booked"), index,
                                             derm_series_get_sessions (series));
    }
  else
    {
      g_autofree char *when = derm_planner_ui_format_appointment_time (appointment);
      DermAppointmentStatus status = derm_appointment_get_status (appointment);
      const char *status_label = derm_appointment_status_to_label (status);

      marker = gtk_menu_button_new ();
      switch (status)
        {
        case DERM_APPOINTMENT_DONE:
          icon = "object-select-symbolic";
          css = "success";
          break;

        case DERM_APPOINTMENT_CANCELLED:
          icon = "action-unavailable-symbolic";
          css = "dim-label";
          break;

        case DERM_APPOINTMENT_NO_SHOW:
          icon = "dialog-warning-symbolic";
          css = "error";
          break;

        case DERM_APPOINTMENT_BOOKED:
        default:
          /* Over and nobody said how it went: it is not one to come */
          if (derm_appointment_get_start_local (appointment) != NULL &&
              derm_appointment_get_end_unix (appointment) <= now)
            {
              css = "warning";
              status_label = _("Needs outcome");
            }
          else if (derm_planner_ui_needs_attention (appointment))
            {
              /* Booked, but a rule changed under it since */
              css = "error";
              status_label = _("Needs attention");
            }
          else
            css = "accent";
          break;
        }

      if (icon == NULL && follow_up)
        icon = "camera-photo-symbolic";
      if (icon != NULL)
        gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (marker), icon);
      else
        /* A child rather than a label: a labelled menu button grows an arrow */
        gtk_menu_button_set_child (GTK_MENU_BUTTON (marker), gtk_label_new (number));
      gtk_widget_add_css_class (marker, css);
      gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (marker), create_popup,
                                             g_object_ref (appointment), g_object_unref);

      /* Translators: "Session 2 of 4: Booked, Tue 3 Mar 2026, 10:00–11:00" */
      tooltip = follow_up ? g_strdup_printf (_("Follow-up photo: %s, %s"), status_label, when)
                          : g_strdup_printf (_("Session %u of %u: %s, %s"), index,
                                             derm_series_get_sessions (series), status_label, when);
      /* What the rule says, on its own line */
      if (derm_planner_ui_needs_attention (appointment) && derm_appointment_get_problem_message (appointment) != NULL)
        {
          g_autofree char *longer = g_strdup_printf ("%s\n%s", tooltip, derm_appointment_get_problem_message (appointment));

          g_free (tooltip);
          tooltip = g_steal_pointer (&longer);
        }
    }

  gtk_widget_add_css_class (marker, "circular");
  gtk_widget_set_tooltip_text (marker, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (marker), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);

  return marker;
}

static GtkWidget *
make_tag (const char *text,
          const char *css)
{
  GtkWidget *tag = gtk_label_new (text);

  gtk_widget_add_css_class (tag, "derm-tag");
  gtk_widget_add_css_class (tag, "caption");
  if (css != NULL)
    gtk_widget_add_css_class (tag, css);
  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);

  return tag;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  DermSeriesTimeline *self = user_data;
  DermSeries *series = item;
  GPtrArray *appointments = series_appointments (self, series);
  guint n = derm_series_get_sessions (series);
  DermSeriesProgress progress;
  g_autofree char *summary = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *markers = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 3);
  GtkWidget *title = gtk_label_new (derm_series_get_protocol_name (series));
  GtkWidget *label;
  GtkWidget *button;
  gint64 now = timeline_now (self);
  GDate today;

  {
    g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (now);

    derm_date_set_date_time (&today, local);
  }
  derm_planner_series_progress (series, appointments, &today, now, &progress);
  summary = summarize (series, &progress);
  g_ptr_array_add (self->summaries, g_strdup (summary));

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_set_hexpand (title, TRUE);
  gtk_box_append (GTK_BOX (top), title);

  if (progress.overdue && derm_series_get_status (series) == DERM_SERIES_ACTIVE)
    gtk_box_append (GTK_BOX (top), make_tag (_("Overdue"), "error"));
  if (progress.needs_outcome > 0 && derm_series_get_status (series) != DERM_SERIES_CANCELLED)
    gtk_box_append (GTK_BOX (top), make_tag (_("Needs outcome"), "warning"));
  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    if (derm_planner_ui_needs_attention (g_ptr_array_index (appointments, i)))
      {
        gtk_box_append (GTK_BOX (top), make_tag (_("Needs attention"), "error"));
        break;
      }
  gtk_box_append (GTK_BOX (top), make_tag (derm_series_status_to_label (derm_series_get_status (series)),
                                           derm_series_get_status (series) == DERM_SERIES_COMPLETED ? "success" : NULL));

  button = gtk_button_new_from_icon_name ("document-save-as-symbolic");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Export Series…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Export Series…"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "timeline.export");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", derm_series_get_id (series));
  gtk_box_append (GTK_BOX (top), button);

  for (guint k = 1; k <= n; k++)
    gtk_box_append (GTK_BOX (markers),
                    make_marker (series, session_appointment (appointments, k, DERM_APPOINTMENT_SESSION), k, FALSE, now));
  if (derm_series_get_follow_up_weeks (series) > 0)
    {
      gtk_box_append (GTK_BOX (markers), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
      gtk_box_append (GTK_BOX (markers),
                      make_marker (series,
                                   session_appointment (appointments, n + 1, DERM_APPOINTMENT_FOLLOW_UP_PHOTO),
                                   n + 1, TRUE, now));
    }

  label = gtk_label_new (summary);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, progress.overdue ? "error" : "dim-label");
  gtk_widget_add_css_class (label, "caption");

  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), markers);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  return row;
}

typedef struct
{
  GPtrArray  *series;
  GHashTable *appointments;   /* series id -> GPtrArray of DermAppointment */
} TimelineRead;

static void
timeline_read_free (gpointer data)
{
  TimelineRead *read = data;

  g_clear_pointer (&read->series, g_ptr_array_unref);
  g_clear_pointer (&read->appointments, g_hash_table_unref);
  g_free (read);
}

static gboolean
read_timeline (DermStore  *store,
               gpointer    data,
               gpointer   *result,
               GError    **error)
{
  gint64 client_id = *(gint64 *) data;
  g_autoptr (GPtrArray) series = derm_store_list_series (store, client_id, error);
  /* Borrowed from the per-series arrays */
  g_autoptr (GPtrArray) all = g_ptr_array_new ();
  TimelineRead *read;

  if (series == NULL)
    return FALSE;

  read = g_new0 (TimelineRead, 1);
  read->appointments = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                              (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < series->len; i++)
    {
      DermSeries *s = g_ptr_array_index (series, i);
      gint64 id = derm_series_get_id (s);
      GPtrArray *appointments;

      /* A series shown without its sessions would look empty: the read
       * fails instead, and the toast offers Retry */
      appointments = derm_store_list_series_appointments (store, id, error);
      if (appointments == NULL)
        {
          timeline_read_free (read);
          return FALSE;
        }
      g_hash_table_insert (read->appointments, g_memdup2 (&id, sizeof id), appointments);
      g_ptr_array_extend (all, appointments, NULL, NULL);
    }
  /* Bookings a later change (a screening, the hours, a closed day, leave)
   * made impossible carry their reason, as in the week and month views:
   * one re-check of them all, here on the worker */
  if (!derm_store_revalidate_appointments (store, all, error))
    {
      timeline_read_free (read);
      return FALSE;
    }
  read->series = g_steal_pointer (&series);
  *result = read;
  return TRUE;
}

/* The same loading state as the other planner views: "loading", and a
 * progress bar once a read takes noticeably long */
static void
loading_changed (DermSeriesTimeline *self)
{
  if (self->reload != NULL)
    derm_planner_ui_progress_start (self->progress);
  else
    derm_planner_ui_progress_stop (self->progress);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_timeline_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (DermSeriesTimeline) self = user_data;
  g_autoptr (GError) error = NULL;
  TimelineRead *read = NULL;

  if (!derm_store_run_finish (DERM_STORE (source), result, (gpointer *) &read, &error))
    {
      if (derm_planner_ui_is_cancelled (error))
        return;
      g_clear_object (&self->reload);
      derm_planner_ui_load_failed (GTK_WIDGET (self), error);
      g_list_store_remove_all (self->series);
      loading_changed (self);
      return;
    }

  g_clear_object (&self->reload);
  if (self->open_button != NULL)
    gtk_menu_button_popdown (self->open_button);
  g_ptr_array_set_size (self->summaries, 0);
  g_hash_table_unref (self->appointments);
  self->appointments = g_steal_pointer (&read->appointments);
  g_list_store_splice (self->series, 0, g_list_model_get_n_items (G_LIST_MODEL (self->series)),
                       read->series->pdata, read->series->len);
  timeline_read_free (read);
  loading_changed (self);
}

void
derm_series_timeline_reload (DermSeriesTimeline *self)
{
  g_return_if_fail (DERM_IS_SERIES_TIMELINE (self));

  if (self->reload != NULL)
    g_cancellable_cancel (self->reload);
  g_clear_object (&self->reload);

  if (self->store == NULL || self->client_id == 0)
    {
      if (self->open_button != NULL)
        gtk_menu_button_popdown (self->open_button);
      g_hash_table_remove_all (self->appointments);
      g_ptr_array_set_size (self->summaries, 0);
      g_list_store_remove_all (self->series);
      loading_changed (self);
      return;
    }

  /* The newest reload wins: another client asked for meanwhile replaces it */
  self->reload = g_cancellable_new ();
  loading_changed (self);
  derm_store_run_async (self->store, read_timeline, g_memdup2 (&self->client_id, sizeof self->client_id),
                        g_free, timeline_read_free, self->reload, on_timeline_read, g_object_ref (self));
}

gboolean
derm_series_timeline_get_loading (DermSeriesTimeline *self)
{
  g_return_val_if_fail (DERM_IS_SERIES_TIMELINE (self), FALSE);

  return self->reload != NULL;
}

/* Actions */

static void
popdown (DermSeriesTimeline *self)
{
  if (self->open_button != NULL)
    gtk_menu_button_popdown (self->open_button);
}

/* Before an action on an appointment of the popover */
static void
timeline_popdown (GtkWidget *view)
{
  popdown (DERM_SERIES_TIMELINE (view));
}

static void
timeline_export (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  DermSeriesTimeline *self = DERM_SERIES_TIMELINE (widget);
  gint64 id = g_variant_get_int64 (param);
  GPtrArray *appointments = g_hash_table_lookup (self->appointments, &id);
  g_autofree char *name = NULL;

  if (appointments == NULL)
    return;

  /* Translators: the file name suggested for a series' calendar; keep the .ics */
  name = g_strdup_printf (_("series-%lld.ics"), (long long) id);
  derm_planner_ui_export (widget, self->store, appointments, name);
}

/* GObject */

static void
derm_series_timeline_dispose (GObject *object)
{
  DermSeriesTimeline *self = DERM_SERIES_TIMELINE (object);

  if (self->reload != NULL)
    g_cancellable_cancel (self->reload);
  g_clear_object (&self->reload);
  if (self->progress != NULL)
    derm_planner_ui_progress_stop (self->progress);
  g_clear_weak_pointer (&self->open_button);
  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_SERIES_TIMELINE);

  g_clear_object (&self->series);
  g_clear_pointer (&self->appointments, g_hash_table_unref);
  g_clear_pointer (&self->summaries, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_series_timeline_parent_class)->dispose (object);
}

static void
derm_series_timeline_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DermSeriesTimeline *self = DERM_SERIES_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CLIENT_ID:
      g_value_set_int64 (value, self->client_id);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->reload != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_series_timeline_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DermSeriesTimeline *self = DERM_SERIES_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      derm_series_timeline_set_store (self, g_value_get_object (value));
      break;

    case PROP_CLIENT_ID:
      derm_series_timeline_set_client_id (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The Retry of a failed load's toast */
static void
timeline_reload (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  derm_series_timeline_reload (DERM_SERIES_TIMELINE (widget));
}

static void
derm_series_timeline_class_init (DermSeriesTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_series_timeline_dispose;
  object_class->get_property = derm_series_timeline_get_property;
  object_class->set_property = derm_series_timeline_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DERM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CLIENT_ID] =
    g_param_spec_int64 ("client-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* TRUE while a reload reads the store */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-series-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, DermSeriesTimeline, overlay);
  gtk_widget_class_bind_template_child (widget_class, DermSeriesTimeline, list_box);
  gtk_widget_class_bind_template_child (widget_class, DermSeriesTimeline, progress);

  gtk_widget_class_install_action (widget_class, "planner.reload", NULL, timeline_reload);
  derm_planner_ui_install_appointment_actions (widget_class, timeline_popdown, TRUE, "timeline.book");
  gtk_widget_class_install_action (widget_class, "timeline.export", "x", timeline_export);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dermseriestimeline");
}

static void
derm_series_timeline_init (DermSeriesTimeline *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->series = g_list_store_new (DERM_TYPE_SERIES);
  self->appointments = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                              (GDestroyNotify) g_ptr_array_unref);
  self->summaries = g_ptr_array_new_with_free_func (g_free);

  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->series), create_row, self, NULL);
}

GtkWidget *
derm_series_timeline_new (void)
{
  return g_object_new (DERM_TYPE_SERIES_TIMELINE, NULL);
}

DermStore *
derm_series_timeline_get_store (DermSeriesTimeline *self)
{
  g_return_val_if_fail (DERM_IS_SERIES_TIMELINE (self), NULL);

  return self->store;
}

void
derm_series_timeline_set_store (DermSeriesTimeline *self,
                                DermStore          *store)
{
  g_return_if_fail (DERM_IS_SERIES_TIMELINE (self));
  g_return_if_fail (store == NULL || DERM_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      derm_series_timeline_reload (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

gint64
derm_series_timeline_get_client_id (DermSeriesTimeline *self)
{
  g_return_val_if_fail (DERM_IS_SERIES_TIMELINE (self), 0);

  return self->client_id;
}

void
derm_series_timeline_set_client_id (DermSeriesTimeline *self,
                                    gint64              client_id)
{
  g_return_if_fail (DERM_IS_SERIES_TIMELINE (self));

  /* Reloads even for the same client: the page sets it on every open */
  self->client_id = client_id;
  derm_series_timeline_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_ID]);
}

GListModel *
derm_series_timeline_get_series (DermSeriesTimeline *self)
{
  g_return_val_if_fail (DERM_IS_SERIES_TIMELINE (self), NULL);

  return G_LIST_MODEL (self->series);
}

const char *
derm_series_timeline_get_summary (DermSeriesTimeline *self,
                                  guint               position)
{
  g_return_val_if_fail (DERM_IS_SERIES_TIMELINE (self), NULL);

  if (position >= self->summaries->len)
    return NULL;

  return g_ptr_array_index (self->summaries, position);
}

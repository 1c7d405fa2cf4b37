/* derm-trend-view.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each change of metric or region makes a new DermTrend: an export still
 * running in a worker keeps reading the old one, which nothing changes.
 */
#define G_LOG_DOMAIN "derm-trend-view"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-trend-view.h"
#include "derm-toast.h"

#define EXPORT_WIDTH  1200
#define EXPORT_HEIGHT 700

struct _DermTrendView
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkDropDown          *metric_dropdown;
  GtkDropDown          *region_dropdown;
  GtkProgressBar       *progress_bar;
  GtkDrawingArea       *chart;
  GtkLabel             *problems_label;

  DermPhotoLibrary     *library;
  gint64                client_id;
  DermPhotoView         view;
  GListModel           *regions;      /* nullable */
  GtkStringList        *region_names;
  DermAnalysisSettings  settings;

  DermTrend            *trend;
  GCancellable         *cancellable;
  GBinding             *progress_binding;
  int                   hover;
  guint                 n_exports;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (DermTrendView, derm_trend_view, ADW_TYPE_WINDOW)

static DermRegion *
chosen_region (DermTrendView *self)
{
  guint selected = gtk_drop_down_get_selected (self->region_dropdown);

  /* Item 0 is the whole photo */
  if (self->regions == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return g_list_model_get_item (self->regions, selected - 1);
}

static void
update_problems (DermTrendView *self)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < derm_trend_get_n_points (self->trend); i++)
    {
      const DermTrendPoint *point = derm_trend_get_point (self->trend, i);

      if (point->problem == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (point->session_number > 0)
        /* TRANSLATORS: session number, date: why the photo has no value */
        g_string_append_printf (text, _("Session %d, %s: %s"), point->session_number, point->date, point->problem);
      else
        /* TRANSLATORS: date: why the photo has no value */
        g_string_append_printf (text, _("%s: %s"), point->date, point->problem);
    }
  gtk_label_set_label (self->problems_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), text->len > 0);
}

static void
compute_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (DermTrendView) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!derm_trend_compute_finish (DERM_TREND (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (DERM_TREND (source) == self->trend)
        {
          gtk_label_set_label (self->problems_label, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->problems_label), TRUE);
        }
    }
  else if (DERM_TREND (source) == self->trend)
    update_problems (self);
  if (DERM_TREND (source) == self->trend)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      gtk_widget_queue_draw (GTK_WIDGET (self->chart));
    }
}

static void
recompute (DermTrendView *self)
{
  g_autoptr (DermRegion) region = chosen_region (self);
  guint metric = gtk_drop_down_get_selected (self->metric_dropdown);
  g_autofree char *subtitle = NULL;

  if (metric >= DERM_N_METRICS)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_object (&self->trend);

  self->hover = -1;
  self->cancellable = g_cancellable_new ();
  self->trend = derm_trend_new (self->library, self->client_id, self->view, region, (DermMetric) metric,
                                &self->settings);
  self->progress_binding = g_object_bind_property (self->trend, "progress", self->progress_bar, "fraction",
                                                   G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->trend, "notify::points", G_CALLBACK (gtk_widget_queue_draw), self->chart,
                           G_CONNECT_SWAPPED);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), FALSE);
  /* TRANSLATORS: photo view and region of a trend, e.g. "Front · Left cheek" */
  subtitle = g_strdup_printf (_("%s · %s"), derm_photo_view_to_label (self->view),
                              region != NULL ? derm_region_get_name (region) : _("Whole photo"));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  derm_trend_compute_async (self->trend, self->cancellable, compute_done, g_object_ref (self));
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  DermTrendView *self = user_data;

  if (self->trend != NULL)
    derm_trend_draw (self->trend, cr, gtk_widget_get_pango_context (GTK_WIDGET (area)), width, height, self->hover);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           DermTrendView            *self)
{
  int index = derm_trend_hit_test (self->trend, gtk_widget_get_width (GTK_WIDGET (self->chart)),
                                   gtk_widget_get_height (GTK_WIDGET (self->chart)), x, y);

  derm_trend_view_set_hover (self, index);
}

static void
on_leave (GtkEventControllerMotion *controller,
          DermTrendView            *self)
{
  derm_trend_view_set_hover (self, -1);
}

static void
sync_region_names (DermTrendView *self)
{
  guint n = self->regions != NULL ? g_list_model_get_n_items (self->regions) : 0;
  guint old = g_list_model_get_n_items (G_LIST_MODEL (self->region_names));
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (names, g_strdup (_("Whole photo")));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DermRegion) region = g_list_model_get_item (self->regions, i);
      g_ptr_array_add (names, g_strdup (derm_region_get_name (region)));
    }
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->region_names, 0, old, (const char * const *) names->pdata);
}

/* ------------------------------------------------------------ export */

typedef struct
{
  DermTrend *trend;
  char      *path;
  gboolean   svg;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *d = data;

  g_object_unref (d->trend);
  g_free (d->path);
  g_free (d);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *d = task_data;
  GError *error = NULL;
  gboolean ok = d->svg ? derm_trend_export_svg (d->trend, d->path, EXPORT_WIDTH, EXPORT_HEIGHT, &error)
                       : derm_trend_export_png (d->trend, d->path, EXPORT_WIDTH, EXPORT_HEIGHT, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  DermTrendView *self = DERM_TREND_VIEW (source);
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  self->n_exports--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    message = g_strdup_printf (_("Could not export the chart: %s"), error->message);
  else
    message = g_strdup (_("Chart exported"));
  derm_toast_show (GTK_WIDGET (self->toast_overlay), message);
}

void
derm_trend_view_export_to_file (DermTrendView *self,
                                GFile         *file,
                                gboolean       svg)
{
  g_autoptr (GTask) task = NULL;
  ExportData *d;

  g_return_if_fail (DERM_IS_TREND_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  d = g_new0 (ExportData, 1);
  d->trend = g_object_ref (self->trend);
  d->path = g_file_get_path (file);
  d->svg = svg;
  self->n_exports++;
  task = g_task_new (self, NULL, export_done, NULL);
  g_task_set_source_tag (task, derm_trend_view_export_to_file);
  g_task_set_task_data (task, d, export_data_free);
  g_task_run_in_thread (task, export_thread);
}

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     DermTrendView   *self)
{
  g_autoptr (GFile) file = NULL;
  gboolean svg = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "svg"));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (file != NULL)
    derm_trend_view_export_to_file (self, file, svg);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DermTrendView *self = DERM_TREND_VIEW (widget);
  gboolean svg = g_str_equal (action_name, "trend.export-svg");
  const DermMetricInfo *info = derm_metric_get_info (derm_trend_get_metric (self->trend));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (svg ? _("Export Chart as SVG") : _("Export Chart as PNG"),
                                               GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, svg ? _("SVG images") : _("PNG images"));
  gtk_file_filter_add_mime_type (filter, svg ? "image/svg+xml" : "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  name = g_strdup_printf ("trend-%s.%s", info->key, svg ? "svg" : "png");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_object_set_data (G_OBJECT (self->chooser), "svg", GINT_TO_POINTER (svg));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ------------------------------------------------------------ GObject */

static void
derm_trend_view_dispose (GObject *object)
{
  DermTrendView *self = DERM_TREND_VIEW (object);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  if (self->regions != NULL)
    g_signal_handlers_disconnect_by_data (self->regions, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_TREND_VIEW);
  g_clear_object (&self->trend);
  g_clear_object (&self->regions);
  g_clear_object (&self->region_names);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (derm_trend_view_parent_class)->dispose (object);
}

static void
derm_trend_view_class_init (DermTrendViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_trend_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-trend-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DermTrendView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DermTrendView, window_title);
  gtk_widget_class_bind_template_child (widget_class, DermTrendView, metric_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DermTrendView, region_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DermTrendView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DermTrendView, chart);
  gtk_widget_class_bind_template_child (widget_class, DermTrendView, problems_label);

  gtk_widget_class_install_action (widget_class, "trend.export-png", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "trend.export-svg", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
derm_trend_view_init (DermTrendView *self)
{
  g_autoptr (GtkStringList) metrics = gtk_string_list_new (NULL);
  GtkEventController *motion;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->hover = -1;
  for (guint i = 0; i < DERM_N_METRICS; i++)
    gtk_string_list_append (metrics, derm_metric_get_info ((DermMetric) i)->label);
  gtk_drop_down_set_model (self->metric_dropdown, G_LIST_MODEL (metrics));
  self->region_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->region_dropdown, G_LIST_MODEL (self->region_names));

  gtk_drawing_area_set_draw_func (self->chart, draw_chart, self, NULL);
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->chart), motion);
}

GtkWidget *
derm_trend_view_new (DermPhotoLibrary           *library,
                     gint64                      client_id,
                     DermPhotoView               view,
                     GListModel                 *regions,
                     DermRegion                 *region,
                     DermMetric                  metric,
                     const DermAnalysisSettings *settings)
{
  DermTrendView *self;
  guint region_index = 0;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);
  g_return_val_if_fail (regions == NULL || G_IS_LIST_MODEL (regions), NULL);

  self = g_object_new (DERM_TYPE_TREND_VIEW, NULL);
  self->library = g_object_ref (library);
  self->client_id = client_id;
  self->view = view;
  if (settings != NULL)
    self->settings = *settings;
  else
    derm_analysis_settings_init (&self->settings);
  if (regions != NULL)
    {
      self->regions = g_object_ref (regions);
      for (guint i = 0; region != NULL && i < g_list_model_get_n_items (regions); i++)
        {
          g_autoptr (DermRegion) item = g_list_model_get_item (regions, i);
          if (item == region)
            region_index = i + 1;
        }
    }
  sync_region_names (self);
  gtk_drop_down_set_selected (self->metric_dropdown, metric);
  gtk_drop_down_set_selected (self->region_dropdown, region_index);
  if (self->regions != NULL)
    g_signal_connect_swapped (self->regions, "items-changed", G_CALLBACK (sync_region_names), self);
  g_signal_connect_swapped (self->metric_dropdown, "notify::selected", G_CALLBACK (recompute), self);
  g_signal_connect_swapped (self->region_dropdown, "notify::selected", G_CALLBACK (recompute), self);
  recompute (self);
  return GTK_WIDGET (self);
}

DermTrend *
derm_trend_view_get_trend (DermTrendView *self)
{
  g_return_val_if_fail (DERM_IS_TREND_VIEW (self), NULL);
  return self->trend;
}

gboolean
derm_trend_view_get_busy (DermTrendView *self)
{
  g_return_val_if_fail (DERM_IS_TREND_VIEW (self), FALSE);
  return self->n_exports > 0 || (self->trend != NULL && derm_trend_get_computing (self->trend));
}

void
derm_trend_view_set_metric (DermTrendView *self,
                            DermMetric     metric)
{
  g_return_if_fail (DERM_IS_TREND_VIEW (self));
  gtk_drop_down_set_selected (self->metric_dropdown, metric);
}

void
derm_trend_view_set_hover (DermTrendView *self,
                           int            index)
{
  g_return_if_fail (DERM_IS_TREND_VIEW (self));

  if (self->hover == index)
    return;
  self->hover = index;
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

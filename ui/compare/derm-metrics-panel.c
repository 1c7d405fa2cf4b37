/* derm-metrics-panel.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-metrics-panel"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "derm-metric-text.h"
#include "derm-metrics-panel.h"

struct _DermMetricsPanel
{
  AdwBin                 parent_instance;

  GtkStack              *stack;
  GtkLabel              *message_label;
  GtkSpinner            *spinner;
  GtkGrid               *grid;
  GtkLabel              *settings_label;

  DermComparisonMetrics *metrics;
};

G_DEFINE_FINAL_TYPE (DermMetricsPanel, derm_metrics_panel, ADW_TYPE_BIN)

static GtkWidget *
cell (const char *text,
      float       xalign,
      const char *css_class,
      const char *second_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  if (second_class != NULL)
    gtk_widget_add_css_class (label, second_class);
  return label;
}

static void
clear_grid (DermMetricsPanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
}

static void
add_group (DermMetricsPanel *self,
           const char       *title,
           DermMetricGroup   group,
           int              *row)
{
  const DermCompareMetrics *values = &self->metrics->values;

  gtk_grid_attach (self->grid, cell (title, 0, "heading", NULL), 0, *row, 1, 1);
  gtk_grid_attach (self->grid, cell (_("Before"), 1, "caption-heading", "dim-label"), 1, *row, 1, 1);
  gtk_grid_attach (self->grid, cell (_("After"), 1, "caption-heading", "dim-label"), 2, *row, 1, 1);
  gtk_grid_attach (self->grid, cell (_("Change"), 1, "caption-heading", "dim-label"), 3, *row, 1, 1);
  (*row)++;

  for (guint i = 0; i < DERM_METRIC_TEXT_N_SHOWN; i++)
    {
      DermMetric metric = derm_metric_text_shown[i];
      const DermMetricInfo *info = derm_metric_get_info (metric);
      DermChangeVerdict verdict;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autofree char *change = NULL;
      g_autofree char *name = NULL;
      g_autofree char *hint = NULL;
      g_autofree char *statement = NULL;
      GtkWidget *name_box, *change_box, *verdict_label;
      const char *verdict_class;

      if (info->group != group)
        continue;
      verdict = derm_compare_metrics_get_verdict (values, metric);
      before = derm_metric_format_value (metric, derm_compare_metrics_get_before (values, metric));
      after = derm_metric_format_value (metric, derm_compare_metrics_get_after (values, metric));
      change = derm_metric_format_change (metric, derm_compare_metrics_get_change (values, metric),
                                          derm_compare_metrics_get_percent_change (values, metric));
      name = derm_metric_dup_name (metric);
      hint = derm_metric_dup_hint (metric);
      /* The same sentence the progress report prints */
      statement = derm_compare_metrics_dup_statement (values, metric);

      name_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_widget_set_hexpand (name_box, TRUE);
      {
        GtkWidget *name_label = cell (name, 0, NULL, NULL);

        gtk_label_set_wrap (GTK_LABEL (name_label), TRUE);
        gtk_box_append (GTK_BOX (name_box), name_label);
      }
      gtk_box_append (GTK_BOX (name_box), cell (hint, 0, "caption", "dim-label"));

      switch (verdict)
        {
        case DERM_CHANGE_IMPROVED:
          verdict_class = "success";
          break;
        case DERM_CHANGE_WORSENED:
          verdict_class = "error";
          break;
        case DERM_CHANGE_CHANGED:
          verdict_class = "accent";
          break;
        case DERM_CHANGE_SOFTER:
        case DERM_CHANGE_SHARPER:
          verdict_class = "warning";
          break;
        case DERM_CHANGE_NONE:
        default:
          verdict_class = "dim-label";
          break;
        }
      change_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_box_append (GTK_BOX (change_box), cell (change, 1, "numeric", NULL));
      verdict_label = cell (derm_change_verdict_to_label (verdict), 1, "caption-heading", verdict_class);
      g_object_set_data (G_OBJECT (verdict_label), "derm-metric", GINT_TO_POINTER (metric + 1));
      gtk_widget_set_tooltip_text (change_box, statement);
      gtk_box_append (GTK_BOX (change_box), verdict_label);

      gtk_grid_attach (self->grid, name_box, 0, *row, 1, 1);
      gtk_grid_attach (self->grid, cell (before, 1, "numeric", NULL), 1, *row, 1, 1);
      gtk_grid_attach (self->grid, cell (after, 1, "numeric", NULL), 2, *row, 1, 1);
      gtk_grid_attach (self->grid, change_box, 3, *row, 1, 1);
      gtk_widget_set_valign (gtk_grid_get_child_at (self->grid, 1, *row), GTK_ALIGN_START);
      gtk_widget_set_valign (gtk_grid_get_child_at (self->grid, 2, *row), GTK_ALIGN_START);
      (*row)++;
    }
}

static void
rebuild (DermMetricsPanel *self)
{
  g_autofree char *settings = NULL;
  int row = 0;

  clear_grid (self);
  {
    g_autofree char *notes = derm_compare_metrics_dup_notes (&self->metrics->values);

    if (*notes != '\0')
      {
        GtkWidget *label = gtk_label_new (notes);

        gtk_label_set_wrap (GTK_LABEL (label), TRUE);
        gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
        gtk_label_set_xalign (GTK_LABEL (label), 0);
        gtk_widget_add_css_class (label, "warning");
        gtk_grid_attach (self->grid, label, 0, row++, 4, 1);
      }
  }
  add_group (self, _("Redness"), DERM_METRIC_GROUP_REDNESS, &row);
  gtk_grid_attach (self->grid, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL), 0, row++, 4, 1);
  add_group (self, _("Texture"), DERM_METRIC_GROUP_TEXTURE, &row);

  settings = derm_compare_metrics_dup_settings_line (&self->metrics->values, self->metrics->region_name,
                                                    self->metrics->settings_label,
                                                    self->metrics->manual_alignment);
  gtk_label_set_label (self->settings_label, settings);
  gtk_stack_set_visible_child_name (self->stack, "table");
}

static void
derm_metrics_panel_dispose (GObject *object)
{
  DermMetricsPanel *self = DERM_METRICS_PANEL (object);

  /* AdwBin unparents its child itself: hand the template's over first */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_METRICS_PANEL);
  g_clear_pointer (&self->metrics, derm_comparison_metrics_free);

  G_OBJECT_CLASS (derm_metrics_panel_parent_class)->dispose (object);
}

static void
derm_metrics_panel_class_init (DermMetricsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_metrics_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-metrics-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, DermMetricsPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, DermMetricsPanel, message_label);
  gtk_widget_class_bind_template_child (widget_class, DermMetricsPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, DermMetricsPanel, grid);
  gtk_widget_class_bind_template_child (widget_class, DermMetricsPanel, settings_label);
}

static void
derm_metrics_panel_init (DermMetricsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  derm_metrics_panel_show_message (self, _("Align the photos to see their metrics."));
}

GtkWidget *
derm_metrics_panel_new (void)
{
  return g_object_new (DERM_TYPE_METRICS_PANEL, NULL);
}

void
derm_metrics_panel_set_metrics (DermMetricsPanel      *self,
                                DermComparisonMetrics *metrics)
{
  g_return_if_fail (DERM_IS_METRICS_PANEL (self));
  g_return_if_fail (metrics != NULL);

  g_clear_pointer (&self->metrics, derm_comparison_metrics_free);
  self->metrics = metrics;
  gtk_spinner_stop (self->spinner);
  rebuild (self);
}

const DermComparisonMetrics *
derm_metrics_panel_get_metrics (DermMetricsPanel *self)
{
  g_return_val_if_fail (DERM_IS_METRICS_PANEL (self), NULL);
  return self->metrics;
}

void
derm_metrics_panel_show_loading (DermMetricsPanel *self)
{
  g_return_if_fail (DERM_IS_METRICS_PANEL (self));

  g_clear_pointer (&self->metrics, derm_comparison_metrics_free);
  clear_grid (self);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

void
derm_metrics_panel_show_message (DermMetricsPanel *self,
                                 const char       *message)
{
  g_return_if_fail (DERM_IS_METRICS_PANEL (self));

  g_clear_pointer (&self->metrics, derm_comparison_metrics_free);
  clear_grid (self);
  gtk_spinner_stop (self->spinner);
  gtk_label_set_label (self->message_label, message);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

const char *
derm_metrics_panel_get_message (DermMetricsPanel *self)
{
  g_return_val_if_fail (DERM_IS_METRICS_PANEL (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "message") != 0)
    return NULL;
  return gtk_label_get_label (self->message_label);
}

const char *
derm_metrics_panel_get_verdict_text (DermMetricsPanel *self,
                                     DermMetric        metric)
{
  g_return_val_if_fail (DERM_IS_METRICS_PANEL (self), NULL);

  if (self->metrics == NULL)
    return NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->grid)); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!GTK_IS_BOX (child))
        continue;
      for (GtkWidget *label = gtk_widget_get_first_child (child); label; label = gtk_widget_get_next_sibling (label))
        if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "derm-metric")) == (int) metric + 1)
          return gtk_label_get_label (GTK_LABEL (label));
    }
  return NULL;
}

/* derm-comparison-export.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Laid out top to bottom: the two photos side by side with their labels,
 * the map legend when a map is shown, then the metrics table and the
 * settings line. cairo_surface_write_to_png () writes IHDR, IDAT and IEND
 * only: no text, time or EXIF chunks, so nothing identifying leaves with
 * the file beyond what is drawn.
 */

#define G_LOG_DOMAIN "derm-comparison-export"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gi18n.h>

#include "derm-chart-text.h"
#include "derm-comparison-export.h"
#include "derm-export-file.h"
#include "derm-store.h"

#define MARGIN     24.0
#define GAP        16.0
#define LABEL_H    28.0
#define ROW_H      20.0
#define LEGEND_H   44.0

void
derm_comparison_export_options_init (DermComparisonExportOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->show_aligned = TRUE;
  options->overlay_opacity = 0.6;
  options->photo_side = 1000;
}

cairo_surface_t *
derm_cairo_surface_from_rgba (GBytes *rgba,
                              int     width,
                              int     height,
                              gsize   stride)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  const guint8 *src = g_bytes_get_data (rgba, NULL);
  guint8 *dst;
  int dst_stride;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;
  cairo_surface_flush (surface);
  dst = cairo_image_surface_get_data (surface);
  dst_stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    {
      const guint8 *s = src + (gsize) y * stride;
      guint32 *d = (guint32 *) (void *) (dst + (gsize) y * dst_stride);
      for (int x = 0; x < width; x++)
        {
          guint32 a = s[4 * x + 3];
          guint32 r = (s[4 * x + 0] * a + 127) / 255;
          guint32 g = (s[4 * x + 1] * a + 127) / 255;
          guint32 b = (s[4 * x + 2] * a + 127) / 255;
          d[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

void
derm_comparison_export_outline_region (cairo_t    *cr,
                                       DermRegion *region,
                                       double      scale)
{
  const double *p;
  guint n;

  p = derm_region_get_points (region, &n);
  if (n < 3)
    return;
  cairo_save (cr);
  cairo_move_to (cr, p[0] * scale, p[1] * scale);
  for (guint i = 1; i < n; i++)
    cairo_line_to (cr, p[2 * i] * scale, p[2 * i + 1] * scale);
  cairo_close_path (cr);
  cairo_set_source_rgb (cr, 1, 0.85, 0.1);
  cairo_set_line_width (cr, 2.5);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static char *
format_number (double v)
{
  if (!isfinite (v))
    return g_strdup ("—");
  return g_strdup_printf (fabs (v) >= 100 ? "%.1f" : fabs (v) >= 1 ? "%.2f" : "%.4f", v);
}

/* As format_number, with a sign; no sign when it rounds to zero */
static char *
format_change (double v)
{
  return derm_format_signed (v, fabs (v) >= 100 ? 1 : fabs (v) >= 1 ? 2 : 4);
}

static gboolean
write_png (DermComparison                     *comparison,
           const DermComparisonExportOptions  *options,
           const char                         *path,
           GError                            **error)
{
  DermComparisonExportOptions defaults;
  DermComparisonImage which[2];
  cairo_surface_t *photos[2] = { NULL, NULL };
  double scales[2] = { 1, 1 }, widths[2], heights[2];
  char *labels[2] = { NULL, NULL };
  cairo_surface_t *surface = NULL;
  cairo_t *cr = NULL;
  DermChartText text = { 0 };
  double font = 11;
  cairo_status_t status;
  double page_w, page_h, photos_h, y;
  guint n_rows;
  int side;
  gboolean ok = FALSE;

  g_return_val_if_fail (DERM_IS_COMPARISON (comparison), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (options == NULL)
    {
      derm_comparison_export_options_init (&defaults);
      options = &defaults;
    }
  side = options->photo_side > 0 ? options->photo_side : 1000;
  which[0] = DERM_COMPARISON_IMAGE_BEFORE;
  which[1] = options->show_aligned ? DERM_COMPARISON_IMAGE_AFTER_ALIGNED : DERM_COMPARISON_IMAGE_AFTER;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GBytes) rgba = NULL;
      int w = 0, h = 0;
      gsize stride = 0;
      double scale = 1;

      rgba = derm_comparison_dup_rgba (comparison, which[i], side, &w, &h, &stride, &scale);
      if (rgba == NULL)
        {
          g_set_error_literal (error, DERM_COMPARISON_ERROR,
                               which[i] == DERM_COMPARISON_IMAGE_AFTER_ALIGNED ? DERM_COMPARISON_ERROR_NOT_ALIGNED
                                                                               : DERM_COMPARISON_ERROR_NOT_READY,
                               which[i] == DERM_COMPARISON_IMAGE_AFTER_ALIGNED
                               ? _("The photos are not aligned; export the unaligned view or align them first")
                               : _("The photos are still loading; export when they are shown"));
          goto out;
        }
      photos[i] = derm_cairo_surface_from_rgba (rgba, w, h, stride);
      scales[i] = scale;
      widths[i] = w;
      heights[i] = h;
      labels[i] = derm_comparison_dup_label (comparison, which[i]);
    }

  n_rows = options->metrics != NULL ? DERM_N_METRICS + 1 : 0;
  if (options->metrics != NULL)
    {
      /* Quality and pose warnings print below the settings line */
      DermCompareWarning *w = NULL;
      guint n = derm_compare_metrics_get_warnings (&options->metrics->values, &w);

      derm_compare_warnings_free (w, n);
      n_rows += n;
    }
  photos_h = MAX (heights[0], heights[1]);
  /* Wide enough for "Not comparable: the after photo is softer" */
  page_w = MAX (2 * MARGIN + widths[0] + GAP + widths[1], 900);
  page_h = MARGIN + LABEL_H + photos_h
           + (options->overlay != NULL ? LEGEND_H : 0)
           + (n_rows > 0 ? GAP + LABEL_H + n_rows * ROW_H + 2 * ROW_H : 0)
           + MARGIN;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (page_w), (int) ceil (page_h));
  cr = cairo_create (surface);
  derm_chart_text_init (&text, cr, NULL);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  /* Photos with their labels */
  for (guint i = 0; i < 2; i++)
    {
      double x = MARGIN + (i == 0 ? 0 : widths[0] + GAP);
      y = MARGIN;

      cairo_set_source_rgb (cr, 0.12, 0.12, 0.14);
      font = 14;
      derm_chart_text_show (&text, x, y + 18, 0, font, labels[i]);
      y += LABEL_H;

      cairo_save (cr);
      cairo_translate (cr, x, y);
      cairo_set_source_surface (cr, photos[i], 0, 0);
      cairo_paint (cr);
      if (i == 1 && options->overlay != NULL)
        {
          const DermComparisonMap *map = options->overlay;
          cairo_surface_t *overlay = derm_cairo_surface_from_rgba (map->rgba, map->width, map->height, map->stride);
          double k = widths[1] / map->width;

          cairo_save (cr);
          cairo_scale (cr, k, k);
          cairo_set_source_surface (cr, overlay, 0, 0);
          cairo_paint_with_alpha (cr, CLAMP (options->overlay_opacity, 0, 1));
          cairo_restore (cr);
          cairo_surface_destroy (overlay);
        }
      /* The region is in before-photo pixels: the aligned after photo
       * shares them; the unaligned one does not, so it is not outlined */
      if (options->region != NULL && (i == 0 || which[1] == DERM_COMPARISON_IMAGE_AFTER_ALIGNED))
        derm_comparison_export_outline_region (cr, options->region, scales[0]);
      cairo_restore (cr);
    }
  y = MARGIN + LABEL_H + photos_h;

  /* Legend of the map: colour swatches at the tick values, with the unit */
  if (options->overlay != NULL)
    {
      const DermMapLegend *legend = &options->overlay->legend;
      double x = MARGIN + widths[0] + GAP;

      font = 11;
      for (guint t = 0; t < DERM_MAP_N_TICKS; t++)
        {
          g_autofree char *value = derm_format_signed (legend->ticks[t], 0);

          cairo_set_source_rgb (cr, legend->tick_rgba[t][0] / 255.0, legend->tick_rgba[t][1] / 255.0,
                                legend->tick_rgba[t][2] / 255.0);
          cairo_rectangle (cr, x + t * 48, y + 8, 40, 12);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 0.2, 0.2, 0.24);
          derm_chart_text_show (&text, x + t * 48 + 20, y + 34, 0.5, font, value);
        }
      derm_chart_text_show (&text, x + DERM_MAP_N_TICKS * 48 + 8, y + 18, 0, font, options->overlay->units);
      y += LEGEND_H;
    }

  /* Metrics table */
  if (options->metrics != NULL)
    {
      const DermComparisonMetrics *m = options->metrics;
      const double cols[] = { MARGIN, MARGIN + 260, MARGIN + 350, MARGIN + 440, MARGIN + 530, MARGIN + 600 };
      const char *heads[] = { NULL, _("Before"), _("After"), _("Change"), _("Change %"), NULL };
      g_autofree char *title = g_strdup_printf (_("Metrics — %s"),
                                                m->region_name != NULL ? m->region_name : _("Whole photo"));

      y += GAP;
      cairo_set_source_rgb (cr, 0.12, 0.12, 0.14);
      font = 14;
      derm_chart_text_show (&text, MARGIN, y + 18, 0, font, title);
      y += LABEL_H;
      font = 11;
      for (guint c = 1; c < 5; c++)
        derm_chart_text_show (&text, cols[c] + 70, y + 14, 1, font, heads[c]);
      y += ROW_H;
      for (guint i = 0; i < DERM_N_METRICS; i++)
        {
          const DermMetricInfo *info = derm_metric_get_info ((DermMetric) i);
          g_autofree char *before = format_number (derm_compare_metrics_get_before (&m->values, (DermMetric) i));
          g_autofree char *after = format_number (derm_compare_metrics_get_after (&m->values, (DermMetric) i));
          g_autofree char *change = format_change (derm_compare_metrics_get_change (&m->values, (DermMetric) i));
          double pct = derm_compare_metrics_get_percent_change (&m->values, (DermMetric) i);
          g_autofree char *pct_text = derm_format_signed (pct, 1);
          g_autofree char *percent = isfinite (pct) ? g_strdup_printf ("%s%%", pct_text) : g_strdup ("—");
          g_autofree char *name = info->unit[0] != '\0' ? g_strdup_printf ("%s (%s)", info->label, info->unit)
                                                        : g_strdup (info->label);
          DermChangeVerdict verdict = derm_compare_metrics_get_verdict (&m->values, (DermMetric) i);

          if (i % 2 == 0)
            {
              cairo_set_source_rgb (cr, 0.96, 0.96, 0.97);
              cairo_rectangle (cr, MARGIN - 4, y, page_w - 2 * MARGIN + 8, ROW_H);
              cairo_fill (cr);
            }
          cairo_set_source_rgb (cr, 0.12, 0.12, 0.14);
          derm_chart_text_show (&text, cols[0], y + 14, 0, font, name);
          derm_chart_text_show (&text, cols[1] + 70, y + 14, 1, font, before);
          derm_chart_text_show (&text, cols[2] + 70, y + 14, 1, font, after);
          derm_chart_text_show (&text, cols[3] + 70, y + 14, 1, font, change);
          derm_chart_text_show (&text, cols[4] + 70, y + 14, 1, font, percent);
          if (verdict == DERM_CHANGE_IMPROVED)
            cairo_set_source_rgb (cr, 0.1, 0.5, 0.2);
          else if (verdict == DERM_CHANGE_WORSENED)
            cairo_set_source_rgb (cr, 0.75, 0.15, 0.1);
          else if (verdict == DERM_CHANGE_SOFTER || verdict == DERM_CHANGE_SHARPER)
            cairo_set_source_rgb (cr, 0.6, 0.4, 0.0);
          else
            cairo_set_source_rgb (cr, 0.4, 0.4, 0.45);
          derm_chart_text_show (&text, cols[5] + 20, y + 14, 0, font, derm_change_verdict_to_label (verdict));
          y += ROW_H;
        }
      cairo_set_source_rgb (cr, 0.35, 0.35, 0.4);
      derm_chart_text_show (&text, MARGIN, y + 16, 0, font, m->settings_label);
      if (m->manual_alignment)
        derm_chart_text_show (&text, MARGIN, y + 32, 0, font, _("Aligned by hand from marked points"));
      {
        DermCompareWarning *w = NULL;
        guint n = derm_compare_metrics_get_warnings (&m->values, &w);

        y += 2 * ROW_H;
        cairo_set_source_rgb (cr, 0.6, 0.4, 0.0);
        for (guint i = 0; i < n; i++, y += ROW_H)
          derm_chart_text_show (&text, MARGIN, y + 14, 0, font, w[i].message);
        derm_compare_warnings_free (w, n);
      }
    }

  derm_chart_text_clear (&text);
  cairo_destroy (cr);
  cr = NULL;
  cairo_surface_flush (surface);
  status = cairo_surface_write_to_png (surface, path);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”: %s"), path,
                   cairo_status_to_string (status));
      goto out;
    }
  ok = TRUE;

out:
  derm_chart_text_clear (&text);
  if (cr != NULL)
    cairo_destroy (cr);
  if (surface != NULL)
    cairo_surface_destroy (surface);
  for (guint i = 0; i < 2; i++)
    {
      if (photos[i] != NULL)
        cairo_surface_destroy (photos[i]);
      g_free (labels[i]);
    }
  return ok;
}


/* Like every export (derm-export-file.h): a temporary file beside @path,
 * renamed when complete, never inside the data folder. The save dialog
 * has already asked before replacing a file. */
gboolean
derm_comparison_export_png (DermComparison                     *comparison,
                            const DermComparisonExportOptions  *options,
                            const char                         *path,
                            GError                            **error)
{
  DermStore *store = derm_photo_library_get_store (derm_comparison_get_library (comparison));
  g_autoptr (DermExportFile) file = NULL;

  g_return_val_if_fail (DERM_IS_COMPARISON (comparison), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  file = derm_export_file_begin (path, derm_store_get_data_dir (store), TRUE, error);
  if (file == NULL || !write_png (comparison, options, derm_export_file_get_temp_path (file), error))
    return FALSE;
  return derm_export_file_commit (g_steal_pointer (&file), error);
}

typedef struct
{
  DermComparisonExportOptions  options;
  DermComparisonMap           *overlay;
  DermComparisonMetrics       *metrics;
  char                        *path;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *d = data;

  g_clear_object (&d->options.region);
  derm_comparison_map_free (d->overlay);
  derm_comparison_metrics_free (d->metrics);
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

  if (derm_comparison_export_png (source_object, &d->options, d->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
derm_comparison_export_png_async (DermComparison                    *comparison,
                                  const DermComparisonExportOptions *options,
                                  const char                        *path,
                                  GCancellable                      *cancellable,
                                  GAsyncReadyCallback                callback,
                                  gpointer                           user_data)
{
  g_autoptr (GTask) task = NULL;
  ExportData *d;

  g_return_if_fail (DERM_IS_COMPARISON (comparison));
  g_return_if_fail (path != NULL);

  d = g_new0 (ExportData, 1);
  if (options != NULL)
    d->options = *options;
  else
    derm_comparison_export_options_init (&d->options);
  d->path = g_strdup (path);
  /* Deep copies: the caller may free or change its own right away */
  if (d->options.region != NULL)
    d->options.region = derm_region_copy (d->options.region, TRUE);
  if (options != NULL && options->overlay != NULL)
    {
      d->overlay = g_memdup2 (options->overlay, sizeof *d->overlay);
      d->overlay->rgba = g_bytes_ref (options->overlay->rgba);
      d->overlay->units = g_strdup (options->overlay->units);
      d->overlay->description = g_strdup (options->overlay->description);
      d->options.overlay = d->overlay;
    }
  if (options != NULL && options->metrics != NULL)
    {
      d->metrics = g_memdup2 (options->metrics, sizeof *d->metrics);
      d->metrics->region_name = g_strdup (options->metrics->region_name);
      d->metrics->settings_key = g_strdup (options->metrics->settings_key);
      d->metrics->settings_label = g_strdup (options->metrics->settings_label);
      d->options.metrics = d->metrics;
    }

  task = g_task_new (comparison, cancellable, callback, user_data);
  g_task_set_source_tag (task, derm_comparison_export_png_async);
  g_task_set_task_data (task, d, export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
derm_comparison_export_png_finish (DermComparison  *comparison,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (comparison), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, comparison), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

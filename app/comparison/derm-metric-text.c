/* derm-metric-text.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-comparison"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "derm-metric-text.h"

const DermMetric derm_metric_text_shown[DERM_METRIC_TEXT_N_SHOWN] = {
  DERM_METRIC_A_MEAN, DERM_METRIC_ERYTHEMA_INDEX, DERM_METRIC_RED_AREA_PCT,
  DERM_METRIC_ROUGHNESS, DERM_METRIC_GLCM_CONTRAST, DERM_METRIC_GLCM_HOMOGENEITY,
};

char *
derm_metric_format_value (DermMetric metric,
                          double     value)
{
  if (isnan (value))
    return g_strdup ("—");
  if (metric == DERM_METRIC_GLCM_HOMOGENEITY)
    return g_strdup_printf ("%.3f", value);
  if (fabs (value) >= 100)
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf ("%.2f", value);
}

char *
derm_metric_format_change (DermMetric metric,
                           double     change,
                           double     percent)
{
  g_autofree char *value = derm_format_signed (change, metric == DERM_METRIC_GLCM_HOMOGENEITY ? 3 : 2);
  g_autofree char *pct = NULL;

  if (isnan (percent))
    return g_steal_pointer (&value);
  pct = derm_format_signed (percent, 0);
  /* TRANSLATORS: a change and the same change in percent, e.g. "-1.20 (-8 %)" */
  return g_strdup_printf (_("%s (%s %%)"), value, pct);
}

const char *
derm_metric_improvement_text (DermMetric metric)
{
  switch (derm_metric_get_info (metric)->improvement)
    {
    case DERM_IMPROVEMENT_LOWER:
      return _("Lower is better");
    case DERM_IMPROVEMENT_HIGHER:
      return _("Higher is better");
    case DERM_IMPROVEMENT_NEITHER:
    default:
      return _("Descriptive");
    }
}

char *
derm_metric_dup_name (DermMetric metric)
{
  const DermMetricInfo *info = derm_metric_get_info (metric);

  if (info->unit == NULL || *info->unit == '\0')
    return g_strdup (info->label);
  /* TRANSLATORS: metric name and its unit, e.g. "a* mean (CIELAB units)" */
  return g_strdup_printf (_("%s (%s)"), info->label, info->unit);
}

char *
derm_metric_dup_hint (DermMetric metric)
{
  const DermMetricInfo *info = derm_metric_get_info (metric);
  g_autofree char *threshold = NULL;

  if (info->clear_change <= 0)
    return g_strdup (derm_metric_improvement_text (metric));
  threshold = derm_format_threshold (info->clear_change);
  /* TRANSLATORS: which way is better, and the smallest change that counts */
  return g_strdup_printf (_("%s; clear beyond ±%s"), derm_metric_improvement_text (metric), threshold);
}

char *
derm_compare_metrics_dup_statement (const DermCompareMetrics *metrics,
                                    DermMetric                metric)
{
  g_autofree char *name = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *change = NULL;
  g_autofree char *hint = NULL;

  g_return_val_if_fail (metrics != NULL, NULL);

  name = derm_metric_dup_name (metric);
  before = derm_metric_format_value (metric, derm_compare_metrics_get_before (metrics, metric));
  after = derm_metric_format_value (metric, derm_compare_metrics_get_after (metrics, metric));
  change = derm_metric_format_change (metric, derm_compare_metrics_get_change (metrics, metric),
                                      derm_compare_metrics_get_percent_change (metrics, metric));
  hint = derm_metric_dup_hint (metric);
  /* TRANSLATORS: metric; verdict ("No clear change", "Improved", ...); value
   * before; value after; change; which way is better and the threshold */
  return g_strdup_printf (_("%s: %s. Before %s, after %s, change %s. %s."),
                          name, derm_change_verdict_to_label (derm_compare_metrics_get_verdict (metrics, metric)),
                          before, after, change, hint);
}

char *
derm_compare_metrics_dup_notes (const DermCompareMetrics *metrics)
{
  DermCompareWarning *warnings = NULL;
  guint n;
  GString *notes = g_string_new (NULL);

  g_return_val_if_fail (metrics != NULL, NULL);

  n = derm_compare_metrics_get_warnings (metrics, &warnings);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (notes, "%s%s", notes->len > 0 ? "\n" : "", warnings[i].message);
  derm_compare_warnings_free (warnings, n);
  if (metrics->settings.wb_mode == DERM_WB_GREY_WORLD)
    g_string_append_printf (notes, "%s%s", notes->len > 0 ? "\n" : "",
                            _("Grey world assumes the whole photo is grey on average; where skin fills most of "
                              "the frame it pulls the skin towards grey and hides redness. Use a grey card or a "
                              "colour chart for reliable colour."));
  return g_string_free (notes, FALSE);
}

char *
derm_compare_metrics_dup_settings_line (const DermCompareMetrics *v,
                                        const char               *region_name,
                                        const char               *settings_label,
                                        gboolean                  manual_alignment)
{
  g_autofree char *pixels = NULL;
  g_autofree char *quality = NULL;
  g_autofree char *chart = NULL;

  g_return_val_if_fail (v != NULL, NULL);

  pixels = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu pixel compared", "%llu pixels compared",
                                         (gulong) v->pixel_count),
                            (unsigned long long) v->pixel_count);
  /* TRANSLATORS: sharpness ratio of the two photos, clipped shares, rotation, scale */
  quality = g_strdup_printf (_("Sharpness after/before %.2f; clipped %.1f%% / %.1f%%; after photo rotated %.1f°, scale %.3f"),
                             derm_compare_metrics_get_sharpness_ratio (v),
                             v->quality_before.clipped_pct, v->quality_after.clipped_pct,
                             v->geometry.rotation_deg, v->geometry.scale);
  if (v->has_chart)
    chart = g_strdup_printf (_(" Colour chart fit: mean CIEDE2000 %.2f before, %.2f after."),
                             v->chart_before.delta_e_mean, v->chart_after.delta_e_mean);
  /* TRANSLATORS: region; settings; alignment; pixels; quality; chart */
  return g_strdup_printf (_("%s. %s. %s. %s. %s.%s Algorithm version %d."),
                          region_name != NULL ? region_name : _("Whole photo"),
                          settings_label != NULL ? settings_label : "",
                          manual_alignment ? _("Aligned by hand") : _("Aligned automatically"),
                          pixels, quality, chart != NULL ? chart : "", v->algorithm_version);
}

char *
derm_map_legend_describe_difference (const DermMapLegend *legend)
{
  g_return_val_if_fail (legend != NULL, NULL);

  return g_strdup_printf (_("Change in redness, after minus before, from %+.0f to %+.0f a* units: red got redder, "
                            "blue got less red, white is within ±%.0f, no clear change"),
                          legend->value_min, legend->value_max,
                          derm_metric_get_info (DERM_METRIC_A_MEAN)->clear_change);
}

/* derm-compare-metrics.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-compare-metrics"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "derm-compare-metrics.h"

/* a* changes smaller than this are "no clear change" (IMAGING.md) */
#define A_STAR_CLEAR_CHANGE 2.0

G_DEFINE_ENUM_TYPE (DermMetric, derm_metric,
                    G_DEFINE_ENUM_VALUE (DERM_METRIC_A_MEAN, "a-mean"),
                    G_DEFINE_ENUM_VALUE (DERM_METRIC_A_MEDIAN, "a-median"),
                    G_DEFINE_ENUM_VALUE (DERM_METRIC_A_P90, "a-p90"),
                    G_DEFINE_ENUM_VALUE (DERM_METRIC_ERYTHEMA_INDEX, "erythema-index"),
                    G_DEFINE_ENUM_VALUE (DERM_METRIC_RED_AREA_PCT, "red-area-pct"),
                    G_DEFINE_ENUM_VALUE (DERM_METRIC_L_MEAN, "l-mean"),
                    G_DEFINE_ENUM_VALUE (DERM_METRIC_ITA_MEAN, "ita-mean"),
                    G_DEFINE_ENUM_VALUE (DERM_METRIC_L_UNEVENNESS, "l-unevenness"),
                    G_DEFINE_ENUM_VALUE (DERM_METRIC_ROUGHNESS, "roughness"),
                    G_DEFINE_ENUM_VALUE (DERM_METRIC_GLCM_CONTRAST, "glcm-contrast"),
                    G_DEFINE_ENUM_VALUE (DERM_METRIC_GLCM_HOMOGENEITY, "glcm-homogeneity"))

/* When a change is a change (IMAGING.md): below these, a comparison says
 * "no clear change". The a* and L* figures follow IMAGING.md (2 CIELAB
 * units, from the colour-difference literature). Each other one is set by
 * tests/reference/repeat_photos.py (`calibrate`, `merge`) from repeat
 * photos of unchanged skin (five scenes, 640 x 480 to 4000 x 3000, up to 4
 * degrees and 4 % apart, 5 % lighting, JPEG 80-95 once or twice) under a
 * family-wise rule: the chance that any of these 7 metrics of a region
 * reads a clear change on unchanged skin is 1 %, so each threshold is its
 * metric's 1 - 0.01/7 quantile of |change| (empirical or normal-tail,
 * whichever is larger), to three significant figures, rounded up (README,
 * thresholds table). They are settings of the verdict only: they never
 * change a measured value, so they are not part of the algorithm version. */
#define ERYTHEMA_CLEAR_CHANGE    3.88     /* EI units */
#define RED_AREA_CLEAR_CHANGE   40.2      /* percentage points */
#define ITA_CLEAR_CHANGE         4.13     /* degrees */
#define UNEVENNESS_CLEAR_CHANGE  0.101    /* CIELAB units */
#define ROUGHNESS_CLEAR_CHANGE   0.371    /* CIELAB units */
#define CONTRAST_CLEAR_CHANGE    0.429    /* grey levels squared */
#define HOMOGENEITY_CLEAR_CHANGE 0.104

/* Labels and units are marked with N_() and translated on the way out */
static const DermMetricInfo metric_info[DERM_N_METRICS] = {
  { DERM_METRIC_A_MEAN, "a_mean", DERM_METRIC_GROUP_REDNESS, N_("a* mean"), N_("CIELAB units"),
    DERM_IMPROVEMENT_LOWER, A_STAR_CLEAR_CHANGE },
  { DERM_METRIC_A_MEDIAN, "a_median", DERM_METRIC_GROUP_REDNESS, N_("a* median"), N_("CIELAB units"),
    DERM_IMPROVEMENT_LOWER, A_STAR_CLEAR_CHANGE },
  { DERM_METRIC_A_P90, "a_p90", DERM_METRIC_GROUP_REDNESS, N_("a* 90th percentile"), N_("CIELAB units"),
    DERM_IMPROVEMENT_LOWER, A_STAR_CLEAR_CHANGE },
  { DERM_METRIC_ERYTHEMA_INDEX, "erythema_index", DERM_METRIC_GROUP_REDNESS, N_("Erythema index"),
    N_("EI units"), DERM_IMPROVEMENT_LOWER, ERYTHEMA_CLEAR_CHANGE },
  { DERM_METRIC_RED_AREA_PCT, "red_area_pct", DERM_METRIC_GROUP_REDNESS, N_("Red area"),
    /* xgettext:no-c-format */
    N_("% of region"), DERM_IMPROVEMENT_LOWER, RED_AREA_CLEAR_CHANGE },
  { DERM_METRIC_L_MEAN, "l_mean", DERM_METRIC_GROUP_TONE, N_("Lightness (L*) mean"), N_("CIELAB units"),
    DERM_IMPROVEMENT_NEITHER, A_STAR_CLEAR_CHANGE },
  { DERM_METRIC_ITA_MEAN, "ita_mean", DERM_METRIC_GROUP_TONE, N_("ITA mean"), N_("degrees"),
    DERM_IMPROVEMENT_NEITHER, ITA_CLEAR_CHANGE },
  { DERM_METRIC_L_UNEVENNESS, "l_unevenness", DERM_METRIC_GROUP_TONE, N_("Tone unevenness"),
    N_("CIELAB units"), DERM_IMPROVEMENT_LOWER, UNEVENNESS_CLEAR_CHANGE },
  { DERM_METRIC_ROUGHNESS, "roughness", DERM_METRIC_GROUP_TEXTURE, N_("Roughness"), N_("CIELAB units"),
    DERM_IMPROVEMENT_LOWER, ROUGHNESS_CLEAR_CHANGE },
  { DERM_METRIC_GLCM_CONTRAST, "glcm_contrast", DERM_METRIC_GROUP_TEXTURE, N_("Texture contrast (GLCM)"),
    N_("grey levels²"), DERM_IMPROVEMENT_LOWER, CONTRAST_CLEAR_CHANGE },
  { DERM_METRIC_GLCM_HOMOGENEITY, "glcm_homogeneity", DERM_METRIC_GROUP_TEXTURE,
    N_("Texture homogeneity (GLCM)"), "", DERM_IMPROVEMENT_HIGHER, HOMOGENEITY_CLEAR_CHANGE },
};

const DermMetricInfo *
derm_metric_get_info (DermMetric metric)
{
  static DermMetricInfo translated[DERM_N_METRICS];
  static gsize initialized = 0;

  g_return_val_if_fail ((guint) metric < DERM_N_METRICS, NULL);

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < DERM_N_METRICS; i++)
        {
          translated[i] = metric_info[i];
          translated[i].label = _(metric_info[i].label);
          translated[i].unit = metric_info[i].unit[0] != '\0' ? _(metric_info[i].unit) : "";
        }
      g_once_init_leave (&initialized, 1);
    }
  return &translated[metric];
}

gboolean
derm_metric_from_key (const char *key,
                      DermMetric *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  for (guint i = 0; i < DERM_N_METRICS; i++)
    if (g_strcmp0 (metric_info[i].key, key) == 0)
      {
        *out = metric_info[i].metric;
        return TRUE;
      }
  return FALSE;
}

const char *
derm_metric_group_to_key (DermMetricGroup group)
{
  switch (group)
    {
    case DERM_METRIC_GROUP_TONE:
      return "tone";
    case DERM_METRIC_GROUP_TEXTURE:
      return "texture";
    case DERM_METRIC_GROUP_REDNESS:
    default:
      return "redness";
    }
}

void
derm_metric_values_from_analysis (const DermAnalysis *analysis,
                                  DermMetricValues   *out)
{
  g_return_if_fail (analysis != NULL);
  g_return_if_fail (out != NULL);

  derm_analysis_get_redness (analysis, &out->redness);
  derm_analysis_get_tone (analysis, &out->tone);
  derm_analysis_get_texture (analysis, &out->texture);
}

double
derm_metric_values_get (const DermMetricValues *v,
                        DermMetric              metric)
{
  g_return_val_if_fail (v != NULL, NAN);

  switch (metric)
    {
    case DERM_METRIC_A_MEAN:
      return v->redness.a_mean;
    case DERM_METRIC_A_MEDIAN:
      return v->redness.a_median;
    case DERM_METRIC_A_P90:
      return v->redness.a_p90;
    case DERM_METRIC_ERYTHEMA_INDEX:
      return v->redness.ei_mean;
    case DERM_METRIC_RED_AREA_PCT:
      return v->redness.red_area_pct;
    case DERM_METRIC_L_MEAN:
      return v->tone.l_mean;
    case DERM_METRIC_ITA_MEAN:
      return v->tone.ita_mean;
    case DERM_METRIC_L_UNEVENNESS:
      return v->tone.l_unevenness;
    case DERM_METRIC_ROUGHNESS:
      return v->texture.roughness;
    case DERM_METRIC_GLCM_CONTRAST:
      return v->texture.glcm[0].contrast;
    case DERM_METRIC_GLCM_HOMOGENEITY:
      return v->texture.glcm[0].homogeneity;
    default:
      g_return_val_if_reached (NAN);
    }
}

int
derm_compare_metrics_compute (const DermImage            *before,
                              const DermImage            *after,
                              const double                h[9],
                              const DermRoi              *roi,
                              const DermAnalysisSettings *settings,
                              DermCompareMetrics         *out,
                              DermError                  *err)
{
  DermAnalysisSettings defaults;
  DermAnalysis *ab = NULL, *aa = NULL;
  int status;

  g_return_val_if_fail (out != NULL, DERM_STATUS_INVALID_ARGUMENT);

  if (settings == NULL)
    {
      derm_analysis_settings_init (&defaults);
      settings = &defaults;
    }
  memset (out, 0, sizeof *out);
  status = derm_analyze_pair (before, after, h, roi, settings, &ab, &aa, &out->geometry, err);
  if (status != DERM_STATUS_OK)
    return status;

  out->algorithm_version = derm_analysis_get_algorithm_version (ab);
  derm_analysis_get_settings (ab, &out->settings);
  out->pixel_count = derm_analysis_get_pixel_count (ab);
  derm_analysis_get_wb_gains (ab, out->wb_gains_before);
  derm_analysis_get_wb_gains (aa, out->wb_gains_after);
  derm_metric_values_from_analysis (ab, &out->before);
  derm_metric_values_from_analysis (aa, &out->after);
  derm_analysis_get_quality (ab, &out->quality_before);
  derm_analysis_get_quality (aa, &out->quality_after);
  derm_analysis_get_colour_matrix (ab, out->matrix_before);
  derm_analysis_get_colour_matrix (aa, out->matrix_after);
  out->has_chart = derm_analysis_get_chart_fit (ab, &out->chart_before)
                   && derm_analysis_get_chart_fit (aa, &out->chart_after);
  derm_analysis_free (ab);
  derm_analysis_free (aa);
  return DERM_STATUS_OK;
}

double
derm_compare_metrics_get_before (const DermCompareMetrics *metrics,
                                 DermMetric                metric)
{
  g_return_val_if_fail (metrics != NULL, NAN);
  return derm_metric_values_get (&metrics->before, metric);
}

double
derm_compare_metrics_get_after (const DermCompareMetrics *metrics,
                                DermMetric                metric)
{
  g_return_val_if_fail (metrics != NULL, NAN);
  return derm_metric_values_get (&metrics->after, metric);
}

double
derm_compare_metrics_get_change (const DermCompareMetrics *metrics,
                                 DermMetric                metric)
{
  g_return_val_if_fail (metrics != NULL, NAN);
  return derm_metric_values_get (&metrics->after, metric) - derm_metric_values_get (&metrics->before, metric);
}

double
derm_compare_metrics_get_percent_change (const DermCompareMetrics *metrics,
                                         DermMetric                metric)
{
  double before;

  g_return_val_if_fail (metrics != NULL, NAN);

  before = derm_metric_values_get (&metrics->before, metric);
  if (before == 0.0)
    return NAN;
  return 100.0 * (derm_metric_values_get (&metrics->after, metric) - before) / fabs (before);
}

double
derm_compare_metrics_get_sharpness_ratio (const DermCompareMetrics *metrics)
{
  g_return_val_if_fail (metrics != NULL, NAN);

  if (!(metrics->quality_before.sharpness > 0.0))
    return NAN;
  return metrics->quality_after.sharpness / metrics->quality_before.sharpness;
}

DermChangeVerdict
derm_compare_metrics_get_sharpness_gate (const DermCompareMetrics *metrics)
{
  double ratio = derm_compare_metrics_get_sharpness_ratio (metrics);

  if (!isfinite (ratio))
    return metrics->quality_after.sharpness > 0.0 ? DERM_CHANGE_SHARPER : DERM_CHANGE_NONE;
  if (ratio < DERM_SHARPNESS_RATIO_MIN)
    return DERM_CHANGE_SOFTER;
  if (ratio > DERM_SHARPNESS_RATIO_MAX)
    return DERM_CHANGE_SHARPER;
  return DERM_CHANGE_NONE;
}

gboolean
derm_compare_metrics_is_clear_change (const DermCompareMetrics *metrics,
                                      DermMetric                metric)
{
  double change;

  g_return_val_if_fail (metrics != NULL, FALSE);
  g_return_val_if_fail ((guint) metric < DERM_N_METRICS, FALSE);

  change = derm_compare_metrics_get_change (metrics, metric);
  return isfinite (change) && change != 0.0 && fabs (change) >= metric_info[metric].clear_change;
}

DermChangeVerdict
derm_compare_metrics_get_verdict (const DermCompareMetrics *metrics,
                                  DermMetric                metric)
{
  const DermMetricInfo *info;
  double change;

  g_return_val_if_fail (metrics != NULL, DERM_CHANGE_NONE);

  info = &metric_info[metric];
  change = derm_compare_metrics_get_change (metrics, metric);
  /* A softer or sharper photo changes texture by itself: neither better nor worse */
  if (info->group == DERM_METRIC_GROUP_TEXTURE && derm_compare_metrics_get_sharpness_gate (metrics) != DERM_CHANGE_NONE)
    return derm_compare_metrics_get_sharpness_gate (metrics);
  if (!derm_compare_metrics_is_clear_change (metrics, metric))
    return DERM_CHANGE_NONE;
  switch (info->improvement)
    {
    case DERM_IMPROVEMENT_LOWER:
      return change < 0 ? DERM_CHANGE_IMPROVED : DERM_CHANGE_WORSENED;
    case DERM_IMPROVEMENT_HIGHER:
      return change > 0 ? DERM_CHANGE_IMPROVED : DERM_CHANGE_WORSENED;
    case DERM_IMPROVEMENT_NEITHER:
    default:
      return DERM_CHANGE_CHANGED;
    }
}

const char *
derm_change_verdict_to_label (DermChangeVerdict verdict)
{
  switch (verdict)
    {
    case DERM_CHANGE_IMPROVED:
      return _("Improved");
    case DERM_CHANGE_WORSENED:
      return _("Worse");
    case DERM_CHANGE_CHANGED:
      return _("Changed");
    case DERM_CHANGE_SOFTER:
      return _("Not comparable: the after photo is softer");
    case DERM_CHANGE_SHARPER:
      return _("Not comparable: the after photo is sharper or more compressed");
    case DERM_CHANGE_NONE:
    default:
      return _("No clear change");
    }
}

guint
derm_compare_metrics_get_warnings (const DermCompareMetrics *m,
                                   DermCompareWarning      **out)
{
  GArray *w = g_array_new (FALSE, TRUE, sizeof (DermCompareWarning));
  DermCompareWarning item;
  DermChangeVerdict gate;
  double scale_change;
  guint n;

  g_return_val_if_fail (m != NULL, 0);
  g_return_val_if_fail (out != NULL, 0);

  if (m->quality_before.clipped_pct > DERM_WARN_CLIPPED_PCT)
    {
      item.key = "clipped-before";
      item.message = g_strdup_printf (_("Before photo: %.0f%% of the region is over- or underexposed; "
                                        "its values there are not measured colours. Retake it with less exposure or light."),
                                      m->quality_before.clipped_pct);
      g_array_append_val (w, item);
    }
  if (m->quality_after.clipped_pct > DERM_WARN_CLIPPED_PCT)
    {
      item.key = "clipped-after";
      item.message = g_strdup_printf (_("After photo: %.0f%% of the region is over- or underexposed; "
                                        "its values there are not measured colours. Retake it with less exposure or light."),
                                      m->quality_after.clipped_pct);
      g_array_append_val (w, item);
    }
  if (fabs (m->geometry.rotation_deg) > DERM_WARN_ROTATION_DEG)
    {
      item.key = "rotation";
      item.message = g_strdup_printf (_("After photo rotated %.0f degrees: retake it at the baseline pose."),
                                      fabs (m->geometry.rotation_deg));
      g_array_append_val (w, item);
    }
  scale_change = m->geometry.scale > 0 ? 100.0 * (1.0 / m->geometry.scale - 1.0) : 0.0;
  if (fabs (scale_change) > DERM_WARN_SCALE_CHANGE)
    {
      item.key = "scale";
      item.message = g_strdup_printf (scale_change > 0
                                      ? _("After photo taken %.0f%% closer: retake it at the baseline distance.")
                                      : _("After photo taken %.0f%% further away: retake it at the baseline distance."),
                                      fabs (scale_change));
      g_array_append_val (w, item);
    }
  gate = derm_compare_metrics_get_sharpness_gate (m);
  if (gate != DERM_CHANGE_NONE)
    {
      item.key = "sharpness";
      item.message = g_strdup (gate == DERM_CHANGE_SOFTER
                               ? _("After photo softer than the before photo: texture cannot be compared. Retake it in focus and without motion.")
                               : _("After photo sharper than the before photo, or saved with stronger JPEG compression (its 8-pixel blocks add edges): texture cannot be compared. Use photos saved once at high quality, taken at the same focus."));
      g_array_append_val (w, item);
    }
  n = w->len;
  *out = (DermCompareWarning *) (void *) g_array_free (w, FALSE);
  return n;
}

void
derm_compare_warnings_free (DermCompareWarning *warnings,
                            guint               n)
{
  for (guint i = 0; i < n; i++)
    g_free (warnings[i].message);
  g_free (warnings);
}

char *
derm_format_threshold (double value)
{
  /* As many decimals as the figure has, up to 6: 2, 0.3, 0.014, 0.00871 */
  for (int decimals = 0; decimals < 6; decimals++)
    {
      double scaled = value * pow (10.0, decimals);
      if (fabs (scaled - round (scaled)) < 1e-9 * fmax (1.0, fabs (scaled)))
        return g_strdup_printf ("%.*f", decimals, value);
    }
  return g_strdup_printf ("%.6f", value);
}

char *
derm_format_signed (double value,
                    int    decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double scale = pow (10.0, CLAMP (decimals, 0, 9));

  if (!isfinite (value))
    return g_strdup ("—");
  /* A change that rounds to zero has no direction: "0.00", never "-0.00"
   * or "+0.00" */
  if (round (fabs (value) * scale) == 0.0)
    return g_strdup_printf ("%.*f", CLAMP (decimals, 0, 9), 0.0);
  g_snprintf (buf, sizeof buf, "%+.*f", CLAMP (decimals, 0, 9), value);
  return g_strdup (buf);
}

const char *
derm_wb_mode_to_key (DermWhiteBalanceMode mode)
{
  switch (mode)
    {
    case DERM_WB_GREY_WORLD:
      return "grey-world";
    case DERM_WB_PATCH:
      return "patch";
    case DERM_WB_CHART:
      return "chart";
    case DERM_WB_NONE:
    default:
      return "none";
    }
}

gboolean
derm_wb_mode_from_key (const char           *key,
                       DermWhiteBalanceMode *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (g_strcmp0 (key, "none") == 0)
    *out = DERM_WB_NONE;
  else if (g_strcmp0 (key, "grey-world") == 0)
    *out = DERM_WB_GREY_WORLD;
  else if (g_strcmp0 (key, "patch") == 0)
    *out = DERM_WB_PATCH;
  else if (g_strcmp0 (key, "chart") == 0)
    *out = DERM_WB_CHART;
  else
    return FALSE;
  return TRUE;
}

char *
derm_analysis_settings_to_key (const DermAnalysisSettings *s)
{
  char red[G_ASCII_DTOSTR_BUF_SIZE], rough[G_ASCII_DTOSTR_BUF_SIZE], uneven[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *wb = NULL;

  g_return_val_if_fail (s != NULL, NULL);

  if (s->wb_mode == DERM_WB_PATCH)
    wb = g_strdup_printf ("patch:%d,%d,%d,%d", s->patch_x, s->patch_y, s->patch_width, s->patch_height);
  else if (s->wb_mode == DERM_WB_CHART && s->chart_manual)
    {
      GString *str = g_string_new ("chart:");
      for (guint i = 0; i < 8; i++)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          g_string_append_printf (str, "%s%s", i > 0 ? "," : "", g_ascii_dtostr (buf, sizeof buf, s->chart_corners[i]));
        }
      wb = g_string_free (str, FALSE);
    }
  else
    wb = g_strdup (derm_wb_mode_to_key (s->wb_mode));
  return g_strdup_printf ("wb=%s;red=%s;rough=%s;uneven=%s;metrics=%u", wb,
                          g_ascii_dtostr (red, sizeof red, s->red_threshold),
                          g_ascii_dtostr (rough, sizeof rough, s->roughness_sigma),
                          g_ascii_dtostr (uneven, sizeof uneven, s->unevenness_sigma),
                          s->metrics);
}

char *
derm_analysis_settings_describe (const DermAnalysisSettings *s)
{
  const char *wb;

  g_return_val_if_fail (s != NULL, NULL);

  switch (s->wb_mode)
    {
    case DERM_WB_GREY_WORLD:
      wb = _("grey world");
      break;
    case DERM_WB_PATCH:
      wb = _("grey card");
      break;
    case DERM_WB_CHART:
      wb = s->chart_manual ? _("colour chart, corners marked by hand") : _("colour chart");
      break;
    case DERM_WB_NONE:
    default:
      wb = _("none");
      break;
    }
  return g_strdup_printf (_("White balance: %s; red area at a* ≥ %.1f; roughness blur %.1f px; "
                            "tone blur %.1f px"),
                          wb, s->red_threshold, s->roughness_sigma, s->unevenness_sigma);
}

/* ------------------------------------------------------------ cache JSON */

/* quality (4), geometry (4), two matrices (18), has_chart, two chart fits (11 each) */
#define N_PAIR_FIELDS (4 + 4 + 18 + 1 + 22)

/* Every double of a set of values, in a fixed order */
#define N_VALUE_FIELDS (5 + 3 + DERM_GLCM_N_DISTANCES * 7 + 1)

static void
value_fields (DermMetricValues *v,
              double           *fields[N_VALUE_FIELDS])
{
  guint n = 0;

  fields[n++] = &v->redness.a_mean;
  fields[n++] = &v->redness.a_median;
  fields[n++] = &v->redness.a_p90;
  fields[n++] = &v->redness.ei_mean;
  fields[n++] = &v->redness.red_area_pct;
  fields[n++] = &v->tone.l_mean;
  fields[n++] = &v->tone.ita_mean;
  fields[n++] = &v->tone.l_unevenness;
  for (guint d = 0; d < DERM_GLCM_N_DISTANCES; d++)
    {
      DermGlcmProperties *p = &v->texture.glcm[d];
      fields[n++] = &p->contrast;
      fields[n++] = &p->dissimilarity;
      fields[n++] = &p->homogeneity;
      fields[n++] = &p->asm_value;
      fields[n++] = &p->energy;
      fields[n++] = &p->correlation;
      fields[n++] = &p->entropy;
    }
  fields[n++] = &v->texture.roughness;
  g_assert (n == N_VALUE_FIELDS);
}

/* JSON has no NaN or infinity: those are written as null */
static void
add_double (JsonBuilder *b,
            double       v)
{
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_values (JsonBuilder            *b,
            const char             *name,
            const DermMetricValues *values)
{
  DermMetricValues copy = *values;
  double *fields[N_VALUE_FIELDS];

  value_fields (&copy, fields);
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "values");
  json_builder_begin_array (b);
  for (guint i = 0; i < N_VALUE_FIELDS; i++)
    add_double (b, *fields[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "ita_class");
  json_builder_add_int_value (b, values->tone.ita_class);
  json_builder_set_member_name (b, "distances");
  json_builder_begin_array (b);
  for (guint d = 0; d < DERM_GLCM_N_DISTANCES; d++)
    json_builder_add_int_value (b, values->texture.glcm[d].distance);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

char *
derm_compare_metrics_to_json (const DermCompareMetrics *m)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  const DermAnalysisSettings *s;

  g_return_val_if_fail (m != NULL, NULL);

  s = &m->settings;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "algorithm_version");
  json_builder_add_int_value (b, m->algorithm_version);
  json_builder_set_member_name (b, "settings");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, s->wb_mode);
  json_builder_add_int_value (b, s->patch_x);
  json_builder_add_int_value (b, s->patch_y);
  json_builder_add_int_value (b, s->patch_width);
  json_builder_add_int_value (b, s->patch_height);
  json_builder_add_double_value (b, s->red_threshold);
  json_builder_add_double_value (b, s->roughness_sigma);
  json_builder_add_double_value (b, s->unevenness_sigma);
  json_builder_add_int_value (b, s->metrics);
  json_builder_add_int_value (b, s->chart_manual);
  for (guint i = 0; i < 8; i++)
    json_builder_add_double_value (b, s->chart_corners[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "pair");
  json_builder_begin_array (b);
  add_double (b, m->quality_before.sharpness);
  add_double (b, m->quality_before.clipped_pct);
  add_double (b, m->quality_after.sharpness);
  add_double (b, m->quality_after.clipped_pct);
  add_double (b, m->geometry.scale);
  add_double (b, m->geometry.rotation_deg);
  add_double (b, m->geometry.resampled);
  add_double (b, m->geometry.common_scale);
  for (guint i = 0; i < 9; i++)
    add_double (b, m->matrix_before[i]);
  for (guint i = 0; i < 9; i++)
    add_double (b, m->matrix_after[i]);
  add_double (b, m->has_chart);
  for (guint k = 0; k < 2; k++)
    {
      const DermChartFit *c = k == 0 ? &m->chart_before : &m->chart_after;
      for (guint i = 0; i < 8; i++)
        add_double (b, c->corners[i]);
      add_double (b, c->found_automatically);
      add_double (b, c->delta_e_mean);
      add_double (b, c->delta_e_max);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "pixel_count");
  json_builder_add_int_value (b, (gint64) m->pixel_count);
  json_builder_set_member_name (b, "wb_gains");
  json_builder_begin_array (b);
  for (guint i = 0; i < 3; i++)
    add_double (b, m->wb_gains_before[i]);
  for (guint i = 0; i < 3; i++)
    add_double (b, m->wb_gains_after[i]);
  json_builder_end_array (b);
  add_values (b, "before", &m->before);
  add_values (b, "after", &m->after);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static double
array_double (JsonArray *array,
              guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  if (JSON_NODE_HOLDS_NULL (node))
    return NAN;
  return json_node_get_double (node);
}

static gboolean
read_values (JsonObject       *root,
             const char       *name,
             DermMetricValues *out)
{
  JsonObject *obj;
  JsonArray *values, *distances;
  double *fields[N_VALUE_FIELDS];

  if (!json_object_has_member (root, name)
      || (obj = json_object_get_object_member (root, name)) == NULL
      || !json_object_has_member (obj, "values")
      || !json_object_has_member (obj, "distances")
      || (values = json_object_get_array_member (obj, "values")) == NULL
      || (distances = json_object_get_array_member (obj, "distances")) == NULL
      || json_array_get_length (values) != N_VALUE_FIELDS
      || json_array_get_length (distances) != DERM_GLCM_N_DISTANCES)
    return FALSE;

  value_fields (out, fields);
  for (guint i = 0; i < N_VALUE_FIELDS; i++)
    *fields[i] = array_double (values, i);
  for (guint d = 0; d < DERM_GLCM_N_DISTANCES; d++)
    out->texture.glcm[d].distance = (int) json_array_get_int_element (distances, d);
  out->tone.ita_class = (DermItaClass) json_object_get_int_member_with_default (obj, "ita_class", 0);
  return TRUE;
}

gboolean
derm_compare_metrics_from_json (const char          *json,
                                DermCompareMetrics  *out,
                                GError             **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *settings, *gains, *pair;

  g_return_val_if_fail (json != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (!json_parser_load_from_data (parser, json, -1, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto bad;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "settings") || !json_object_has_member (root, "wb_gains")
      || !json_object_has_member (root, "pair"))
    goto bad;
  settings = json_object_get_array_member (root, "settings");
  gains = json_object_get_array_member (root, "wb_gains");
  pair = json_object_get_array_member (root, "pair");
  if (settings == NULL || gains == NULL || pair == NULL || json_array_get_length (settings) != 18
      || json_array_get_length (gains) != 6 || json_array_get_length (pair) != N_PAIR_FIELDS)
    goto bad;

  out->algorithm_version = (int) json_object_get_int_member_with_default (root, "algorithm_version", 0);
  out->settings.wb_mode = (DermWhiteBalanceMode) json_array_get_int_element (settings, 0);
  out->settings.patch_x = (int) json_array_get_int_element (settings, 1);
  out->settings.patch_y = (int) json_array_get_int_element (settings, 2);
  out->settings.patch_width = (int) json_array_get_int_element (settings, 3);
  out->settings.patch_height = (int) json_array_get_int_element (settings, 4);
  out->settings.red_threshold = json_array_get_double_element (settings, 5);
  out->settings.roughness_sigma = json_array_get_double_element (settings, 6);
  out->settings.unevenness_sigma = json_array_get_double_element (settings, 7);
  out->settings.metrics = (unsigned int) json_array_get_int_element (settings, 8);
  out->settings.chart_manual = (int) json_array_get_int_element (settings, 9);
  for (guint i = 0; i < 8; i++)
    out->settings.chart_corners[i] = json_array_get_double_element (settings, 10 + i);
  {
    guint k = 0;
    out->quality_before.sharpness = array_double (pair, k++);
    out->quality_before.clipped_pct = array_double (pair, k++);
    out->quality_after.sharpness = array_double (pair, k++);
    out->quality_after.clipped_pct = array_double (pair, k++);
    out->geometry.scale = array_double (pair, k++);
    out->geometry.rotation_deg = array_double (pair, k++);
    out->geometry.resampled = (int) array_double (pair, k++);
    out->geometry.common_scale = array_double (pair, k++);
    for (guint i = 0; i < 9; i++)
      out->matrix_before[i] = array_double (pair, k++);
    for (guint i = 0; i < 9; i++)
      out->matrix_after[i] = array_double (pair, k++);
    out->has_chart = array_double (pair, k++) != 0.0;
    for (guint c = 0; c < 2; c++)
      {
        DermChartFit *f = c == 0 ? &out->chart_before : &out->chart_after;
        for (guint i = 0; i < 8; i++)
          f->corners[i] = array_double (pair, k++);
        f->found_automatically = (int) array_double (pair, k++);
        f->delta_e_mean = array_double (pair, k++);
        f->delta_e_max = array_double (pair, k++);
      }
    g_assert (k == N_PAIR_FIELDS);
  }
  out->pixel_count = (guint64) json_object_get_int_member_with_default (root, "pixel_count", 0);
  for (guint i = 0; i < 3; i++)
    {
      out->wb_gains_before[i] = array_double (gains, i);
      out->wb_gains_after[i] = array_double (gains, 3 + i);
    }
  if (!read_values (root, "before", &out->before) || !read_values (root, "after", &out->after))
    goto bad;
  return TRUE;

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("A cached analysis is damaged; it will be computed again"));
  return FALSE;
}

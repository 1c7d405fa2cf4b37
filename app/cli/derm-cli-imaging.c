/* derm-cli-imaging.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The photo measurement commands of dermis-cli: analyze, align and
 * compare (the table at the end), over the imaging library's C API.
 * JSON field names are stable; README.md documents them.
 */

#define G_LOG_DOMAIN "derm-cli-imaging"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "derm-cli-common.h"
#include "derm-imaging-error.h"
#include "derm-cli-imaging.h"
#include "derm-compare-metrics.h"
#include "derm-export-file.h"
#include "derm-imaging.h"
#include "derm-photo-decode.h"
#include "derm-photo.h"

/* a* changes smaller than this are "no clear change" (IMAGING.md). */

typedef struct
{
  DermCliInvocation *inv;
  gboolean    json;
  DermRoi     roi;
  GArray     *points;       /* doubles of --polygon */
  DermAnalysisSettings settings;
  char       *out;          /* --out or --heatmap */
  gboolean    force;        /* --force: replace an existing regular file */
} Args;

/* Prints "dermis-cli: [WHAT: ]MESSAGE" and returns the status's exit code */
static int
report_error (const char *what, int status, const DermError *err)
{
  g_autofree char *message = derm_imaging_error_message (err);

  if (what != NULL)
    derm_cli_warn ("%s: %s", what, message);
  else
    derm_cli_warn ("%s", message);
  return derm_cli_exit_code_for_status (status);
}

/* Parses "n1,n2,..." into doubles; FALSE on anything else. */
static gboolean
parse_numbers (const char *text, GArray *out)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  for (char **p = parts; *p != NULL; p++)
    {
      char *end = NULL;
      const char *s = g_strstrip (*p);
      errno = 0;
      double v = g_ascii_strtod (s, &end);
      if (s[0] == '\0' || end == NULL || *end != '\0' || errno != 0 || !isfinite (v))
        return FALSE;
      g_array_append_val (out, v);
    }
  return TRUE;
}

static gboolean
parse_rect (const char *text, int rect[4])
{
  g_autoptr (GArray) v = g_array_new (FALSE, FALSE, sizeof (double));
  if (!parse_numbers (text, v) || v->len != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      double d = g_array_index (v, double, i);
      if (d != (double) (int) d || d < -1e8 || d > 1e8)
        return FALSE;
      rect[i] = (int) d;
    }
  return TRUE;
}

static const char *
wb_name (DermWhiteBalanceMode mode)
{
  return derm_wb_mode_to_key (mode);
}

/* Parses the options of @inv (the region ones with @region_options, the
 * output file with @out_option) and checks there are @n_args positional
 * arguments. Returns DERM_EXIT_OK, DERM_CLI_HELP_SHOWN or a usage error. */
static int
parse_args (DermCliInvocation *inv,
            gboolean           region_options,
            const char        *out_option,
            guint              n_args,
            const char        *missing,
            Args              *args)
{
  g_autofree char *roi = NULL;
  g_autofree char *polygon = NULL;
  g_autofree char *wb = NULL;
  g_autofree char *out = NULL;
  GOptionEntry entries[6] = { { NULL } };
  guint n = 0;
  int rc;

  if (region_options)
    {
      entries[n++] = (GOptionEntry) { "roi", 0, 0, G_OPTION_ARG_STRING, &roi,
                                      N_("Measure only this rectangle, in whole pixels"), N_("x,y,w,h") };
      entries[n++] = (GOptionEntry) { "polygon", 0, 0, G_OPTION_ARG_STRING, &polygon,
                                      N_("Measure only inside this polygon (at least 3 points)"), N_("x1,y1,x2,y2,…") };
      entries[n++] = (GOptionEntry) { "wb", 0, 0, G_OPTION_ARG_STRING, &wb,
                                      N_("White balance: none, grey-world, patch:x,y,w,h (a grey card), chart or chart:x1,y1,…,x4,y4 (a ColorChecker)"), N_("MODE") };
    }
  if (out_option != NULL)
    entries[n++] = (GOptionEntry) { out_option, 0, 0, G_OPTION_ARG_FILENAME, &out,
                                    g_str_equal (out_option, "out") ? N_("Write the warped after photo to FILE (PNG or JPEG)")
                                                                    : N_("Write the a* difference map to FILE (PNG)"),
                                    N_("FILE") };
  if (out_option != NULL)
    entries[n++] = (GOptionEntry) { "force", 0, 0, G_OPTION_ARG_NONE, &args->force,
                                    N_("Replace FILE if it exists"), NULL };

  args->inv = inv;
  args->points = g_array_new (FALSE, FALSE, sizeof (double));
  memset (&args->roi, 0, sizeof args->roi);
  args->roi.kind = DERM_ROI_WHOLE;
  derm_analysis_settings_init (&args->settings);

  if ((rc = derm_cli_parse (inv, entries, n_args, n_args, missing)))
    return rc;
  args->json = inv->json;

  if (roi != NULL && polygon != NULL)
    return derm_cli_usage_error (inv, _("Give one region: --roi or --polygon, not both."));
  if (roi != NULL)
    {
      int r[4];

      if (!parse_rect (roi, r))
        return derm_cli_usage_error (inv, _("--roi takes x,y,w,h in whole pixels."));
      args->roi.kind = DERM_ROI_RECT;
      args->roi.x = r[0], args->roi.y = r[1], args->roi.width = r[2], args->roi.height = r[3];
    }
  if (polygon != NULL)
    {
      if (!parse_numbers (polygon, args->points) || args->points->len % 2 != 0)
        return derm_cli_usage_error (inv, _("--polygon takes x1,y1,x2,y2,… (pairs of numbers)."));
      args->roi.kind = DERM_ROI_POLYGON;
      args->roi.points = (const double *) (void *) args->points->data;
      args->roi.n_points = args->points->len / 2;
    }
  if (wb != NULL)
    {
      int r[4];

      if (g_str_equal (wb, "none"))
        args->settings.wb_mode = DERM_WB_NONE;
      else if (g_str_equal (wb, "grey-world"))
        args->settings.wb_mode = DERM_WB_GREY_WORLD;
      else if (g_str_has_prefix (wb, "patch:") && parse_rect (wb + 6, r))
        {
          args->settings.wb_mode = DERM_WB_PATCH;
          args->settings.patch_x = r[0], args->settings.patch_y = r[1];
          args->settings.patch_width = r[2], args->settings.patch_height = r[3];
        }
      else if (g_str_equal (wb, "chart"))
        {
          args->settings.wb_mode = DERM_WB_CHART;
          args->settings.chart_manual = 0;
        }
      else if (g_str_has_prefix (wb, "chart:"))
        {
          g_autoptr (GArray) c = g_array_new (FALSE, FALSE, sizeof (double));

          if (!parse_numbers (wb + 6, c) || c->len != 8)
            return derm_cli_usage_error (inv, _("--wb chart: takes the chart's four corners x1,y1,x2,y2,x3,y3,x4,y4."));
          args->settings.wb_mode = DERM_WB_CHART;
          args->settings.chart_manual = 1;
          for (guint k = 0; k < 8; k++)
            args->settings.chart_corners[k] = g_array_index (c, double, k);
        }
      else
        return derm_cli_usage_error (inv, _("--wb takes none, grey-world, patch:x,y,w,h, chart or chart:x1,y1,…,x4,y4."));
    }
  args->out = g_steal_pointer (&out);

  return DERM_EXIT_OK;
}

static void
args_clear (Args *args)
{
  g_clear_pointer (&args->points, g_array_unref);
  g_clear_pointer (&args->out, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Args, args_clear)

/* Through the app's one decode path: JPEG, PNG, TIFF and HEIC, with the
 * same checks as an import. */
static DermImage *
load_image (const char *path, int *exit_code)
{
  g_autoptr (GError) error = NULL;
  DermImage *img = derm_photo_decode_file (path, DERM_PHOTO_FORMAT_UNKNOWN, 0, NULL, NULL, &error);

  if (img == NULL)
    {
      derm_cli_warn ("%s: %s", path, error->message);
      *exit_code = derm_cli_exit_code_for_error (error);
    }
  return img;
}

/* The output file, checked before the work: never over an existing file
 * unless --force, never a link, a device or a file of the data folder;
 * written under a temporary name beside it and renamed when complete.
 * NULL with the exit code in @exit_code when refused. */
static DermExportFile *
begin_output (Args *args,
              int  *exit_code)
{
  g_autoptr (GError) error = NULL;
  DermExportFile *file = derm_export_file_begin (args->out, args->inv->data_dir, args->force, &error);

  if (file == NULL)
    *exit_code = derm_cli_fail_with_error (error);
  return file;
}

/* Commits @file after a DermImage writer returned @status */
static int
finish_output (Args            *args,
               DermExportFile  *file,
               int              status,
               const DermError *err)
{
  g_autoptr (GError) error = NULL;

  if (status != DERM_STATUS_OK)
    {
      derm_export_file_abort (file);
      return report_error (args->out, status, err) == DERM_EXIT_NOT_FOUND ? DERM_EXIT_NOT_FOUND : DERM_EXIT_FAILURE;
    }
  if (!derm_export_file_commit (file, &error))
    return derm_cli_fail_with_error (error);
  return DERM_EXIT_OK;
}

/* ------------------------------------------------------------ JSON pieces */

static JsonNode *
settings_json (const DermAnalysisSettings *s, const DermRoi *roi)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "white_balance");
  json_builder_add_string_value (b, wb_name (s->wb_mode));
  if (s->wb_mode == DERM_WB_CHART && s->chart_manual)
    {
      json_builder_set_member_name (b, "chart_corners");
      json_builder_begin_array (b);
      for (int i = 0; i < 8; i++)
        json_builder_add_double_value (b, s->chart_corners[i]);
      json_builder_end_array (b);
    }
  if (s->wb_mode == DERM_WB_PATCH)
    {
      json_builder_set_member_name (b, "patch");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, s->patch_x);
      json_builder_add_int_value (b, s->patch_y);
      json_builder_add_int_value (b, s->patch_width);
      json_builder_add_int_value (b, s->patch_height);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "red_threshold");
  json_builder_add_double_value (b, s->red_threshold);
  json_builder_set_member_name (b, "roughness_sigma");
  json_builder_add_double_value (b, s->roughness_sigma);
  json_builder_set_member_name (b, "unevenness_sigma");
  json_builder_add_double_value (b, s->unevenness_sigma);
  json_builder_set_member_name (b, "roi");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, roi->kind == DERM_ROI_RECT ? "rect" : roi->kind == DERM_ROI_POLYGON ? "polygon" : "whole");
  if (roi->kind == DERM_ROI_RECT)
    {
      json_builder_set_member_name (b, "rect");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, roi->x);
      json_builder_add_int_value (b, roi->y);
      json_builder_add_int_value (b, roi->width);
      json_builder_add_int_value (b, roi->height);
      json_builder_end_array (b);
    }
  else if (roi->kind == DERM_ROI_POLYGON)
    {
      json_builder_set_member_name (b, "points");
      json_builder_begin_array (b);
      for (size_t i = 0; i < 2 * roi->n_points; i++)
        json_builder_add_double_value (b, roi->points[i]);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Each metric: a name and a getter over the three result structs, so that
 * analyze prints values and compare prints before/after/change from one list. */
typedef struct
{
  const char *group;   /* "redness", "tone", "texture" */
  const char *name;
  const char *label;
  double    (*get) (const DermRednessMetrics *, const DermToneMetrics *, const DermTextureMetrics *);
} Metric;

#define METRIC(group, field, label, expr) \
  static double get_##field (const DermRednessMetrics *r, const DermToneMetrics *t, const DermTextureMetrics *x) \
  { (void) r; (void) t; (void) x; return (expr); }
METRIC (redness, a_mean, "a* mean", r->a_mean)
METRIC (redness, a_median, "a* median", r->a_median)
METRIC (redness, a_p90, "a* 90th percentile", r->a_p90)
METRIC (redness, erythema_index, "Erythema index", r->ei_mean)
METRIC (redness, red_area_pct, "Red area %", r->red_area_pct)
METRIC (tone, l_mean, "L* mean", t->l_mean)
METRIC (tone, ita_mean, "ITA mean (degrees)", t->ita_mean)
METRIC (tone, l_unevenness, "L* unevenness", t->l_unevenness)
METRIC (texture, roughness, "Roughness", x->roughness)
#undef METRIC

static const Metric metrics[] = {
  { "redness", "a_mean", N_("a* mean"), get_a_mean },
  { "redness", "a_median", N_("a* median"), get_a_median },
  { "redness", "a_p90", N_("a* 90th percentile"), get_a_p90 },
  { "redness", "erythema_index", N_("Erythema index"), get_erythema_index },
  { "redness", "red_area_pct", N_("Red area %"), get_red_area_pct },
  { "tone", "l_mean", N_("L* mean"), get_l_mean },
  { "tone", "ita_mean", N_("ITA mean (degrees)"), get_ita_mean },
  { "tone", "l_unevenness", N_("L* unevenness"), get_l_unevenness },
  { "texture", "roughness", N_("Roughness"), get_roughness },
};

static const char *glcm_names[] = { "contrast", "dissimilarity", "homogeneity", "asm", "energy", "correlation", "entropy" };

static double
glcm_value (const DermGlcmProperties *p, guint i)
{
  const double v[] = { p->contrast, p->dissimilarity, p->homogeneity, p->asm_value, p->energy, p->correlation, p->entropy };
  return v[i];
}

typedef struct
{
  DermRednessMetrics red;
  DermToneMetrics    tone;
  DermTextureMetrics tex;
} Results;

static void
get_results (const DermAnalysis *a, Results *r)
{
  derm_analysis_get_redness (a, &r->red);
  derm_analysis_get_tone (a, &r->tone);
  derm_analysis_get_texture (a, &r->tex);
}

static const char *
verdict_key (DermChangeVerdict v)
{
  switch (v)
    {
    case DERM_CHANGE_IMPROVED:
      return "improved";
    case DERM_CHANGE_WORSENED:
      return "worse";
    case DERM_CHANGE_CHANGED:
      return "changed";
    case DERM_CHANGE_SOFTER:
      return "not-comparable-softer";
    case DERM_CHANGE_SHARPER:
      return "not-comparable-sharper";
    case DERM_CHANGE_NONE:
    default:
      return "no-clear-change";
    }
}

/* @metric_key: the key of the thresholds table (derm_metric_from_key), or NULL */
static void
add_change (JsonBuilder *b, const char *name, const char *metric_key, double before, double after,
            const DermCompareMetrics *cm)
{
  DermMetric metric;
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "before");
  json_builder_add_double_value (b, before);
  json_builder_set_member_name (b, "after");
  json_builder_add_double_value (b, after);
  json_builder_set_member_name (b, "change");
  json_builder_add_double_value (b, after - before);
  /* As the app shows it (derm-compare-metrics.h): relative to |before|, null when before is 0 */
  json_builder_set_member_name (b, "percent_change");
  if (before != 0.0 && isfinite (before) && isfinite (after))
    json_builder_add_double_value (b, 100.0 * (after - before) / fabs (before));
  else
    json_builder_add_null_value (b);
  /* The same threshold and verdict the app shows next to the change */
  if (metric_key != NULL && derm_metric_from_key (metric_key, &metric) && derm_metric_get_info (metric)->clear_change > 0)
    {
      json_builder_set_member_name (b, "threshold");
      json_builder_add_double_value (b, derm_metric_get_info (metric)->clear_change);
      json_builder_set_member_name (b, "clear_change");
      json_builder_add_boolean_value (b, derm_compare_metrics_is_clear_change (cm, metric));
      json_builder_set_member_name (b, "verdict");
      json_builder_add_string_value (b, verdict_key (derm_compare_metrics_get_verdict (cm, metric)));
    }
  json_builder_end_object (b);
}

/* One "metrics" object: plain values (@after NULL) or before/after/change. */
static void
add_metrics (JsonBuilder *b, const Results *before, const Results *after, const DermCompareMetrics *cm)
{
  const char *groups[] = { "redness", "tone", "texture" };
  json_builder_set_member_name (b, "metrics");
  json_builder_begin_object (b);
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      json_builder_set_member_name (b, groups[g]);
      json_builder_begin_object (b);
      for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
        {
          if (!g_str_equal (metrics[m].group, groups[g]))
            continue;
          double vb = metrics[m].get (&before->red, &before->tone, &before->tex);
          if (after == NULL)
            {
              json_builder_set_member_name (b, metrics[m].name);
              json_builder_add_double_value (b, vb);
            }
          else
            {
              double va = metrics[m].get (&after->red, &after->tone, &after->tex);
              add_change (b, metrics[m].name, metrics[m].name, vb, va, cm);
            }
        }
      if (g == 1)
        {
          json_builder_set_member_name (b, "ita_class");
          if (after == NULL)
            json_builder_add_string_value (b, derm_ita_class_to_string (before->tone.ita_class));
          else
            {
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "before");
              json_builder_add_string_value (b, derm_ita_class_to_string (before->tone.ita_class));
              json_builder_set_member_name (b, "after");
              json_builder_add_string_value (b, derm_ita_class_to_string (after->tone.ita_class));
              json_builder_end_object (b);
            }
        }
      if (g == 2)
        {
          json_builder_set_member_name (b, "glcm");
          json_builder_begin_array (b);
          for (int d = 0; d < DERM_GLCM_N_DISTANCES; d++)
            {
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "distance");
              json_builder_add_int_value (b, before->tex.glcm[d].distance);
              for (guint i = 0; i < G_N_ELEMENTS (glcm_names); i++)
                {
                  if (after == NULL)
                    {
                      json_builder_set_member_name (b, glcm_names[i]);
                      json_builder_add_double_value (b, glcm_value (&before->tex.glcm[d], i));
                    }
                  else
                    {
                      /* The thresholds table covers contrast and homogeneity at 1 px */
                      g_autofree char *key = g_strdup_printf ("glcm_%s", glcm_names[i]);
                      add_change (b, glcm_names[i], before->tex.glcm[d].distance == 1 ? key : NULL,
                                  glcm_value (&before->tex.glcm[d], i), glcm_value (&after->tex.glcm[d], i), cm);
                    }
                }
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static void
add_matrix (JsonBuilder *b, const char *name, const double m[9])
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (int i = 0; i < 9; i++)
    json_builder_add_double_value (b, m[i]);
  json_builder_end_array (b);
}

static void
add_chart_fit (JsonBuilder *b, const char *name, const DermChartFit *f)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "corners");
  json_builder_begin_array (b);
  for (int i = 0; i < 8; i++)
    json_builder_add_double_value (b, f->corners[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "found_automatically");
  json_builder_add_boolean_value (b, f->found_automatically != 0);
  json_builder_set_member_name (b, "delta_e_mean");
  json_builder_add_double_value (b, f->delta_e_mean);
  json_builder_set_member_name (b, "delta_e_max");
  json_builder_add_double_value (b, f->delta_e_max);
  json_builder_end_object (b);
}

/* "colour_matrix" and, for a chart, "chart" of one analysis */
static void
add_colour (JsonBuilder *b, const DermAnalysis *a)
{
  double m[9];
  DermChartFit fit;
  derm_analysis_get_colour_matrix (a, m);
  add_matrix (b, "colour_matrix", m);
  if (derm_analysis_get_chart_fit (a, &fit))
    add_chart_fit (b, "chart", &fit);
}

static void
add_pair_quality (JsonBuilder *b, const DermCompareMetrics *m)
{
  json_builder_set_member_name (b, "quality");
  json_builder_begin_object (b);
  for (int k = 0; k < 2; k++)
    {
      const DermQualityMetrics *q = k == 0 ? &m->quality_before : &m->quality_after;
      json_builder_set_member_name (b, k == 0 ? "before" : "after");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "sharpness");
      json_builder_add_double_value (b, q->sharpness);
      json_builder_set_member_name (b, "clipped_pct");
      json_builder_add_double_value (b, q->clipped_pct);
      json_builder_end_object (b);
    }
  double ratio = derm_compare_metrics_get_sharpness_ratio (m);
  json_builder_set_member_name (b, "sharpness_ratio");
  if (isfinite (ratio))
    json_builder_add_double_value (b, ratio);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "sharpness_ratio_limits");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, DERM_SHARPNESS_RATIO_MIN);
  json_builder_add_double_value (b, DERM_SHARPNESS_RATIO_MAX);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "texture_comparable");
  json_builder_add_boolean_value (b, derm_compare_metrics_get_sharpness_gate (m) == DERM_CHANGE_NONE);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "pose");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rotation_deg");
  json_builder_add_double_value (b, m->geometry.rotation_deg);
  json_builder_set_member_name (b, "scale");
  json_builder_add_double_value (b, m->geometry.scale);
  json_builder_set_member_name (b, "resampled");
  json_builder_add_boolean_value (b, m->geometry.resampled != 0);
  json_builder_set_member_name (b, "common_scale");
  json_builder_add_double_value (b, m->geometry.common_scale);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "white_balance");
  json_builder_begin_object (b);
  add_matrix (b, "matrix_before", m->matrix_before);
  add_matrix (b, "matrix_after", m->matrix_after);
  if (m->has_chart)
    {
      add_chart_fit (b, "chart_before", &m->chart_before);
      add_chart_fit (b, "chart_after", &m->chart_after);
    }
  json_builder_end_object (b);

  DermCompareWarning *w = NULL;
  guint n = derm_compare_metrics_get_warnings (m, &w);
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, w[i].key);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, w[i].message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  derm_compare_warnings_free (w, n);
}

static void
print_metrics_text (const Results *before, const Results *after, const DermCompareMetrics *cm)
{
  for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
    {
      double vb = metrics[m].get (&before->red, &before->tone, &before->tex);
      if (after == NULL)
        derm_cli_out ("%-22s %10.3f\n", _(metrics[m].label), vb);
      else
        {
          double va = metrics[m].get (&after->red, &after->tone, &after->tex);
          DermMetric metric;
          const char *verdict = "";
          if (derm_metric_from_key (metrics[m].name, &metric))
            {
              DermChangeVerdict v = derm_compare_metrics_get_verdict (cm, metric);
              verdict = v == DERM_CHANGE_NONE || v == DERM_CHANGE_SOFTER || v == DERM_CHANGE_SHARPER
                        ? derm_change_verdict_to_label (v) : "";
            }
          g_autofree char *change = derm_format_signed (va - vb, 3);

          derm_cli_out ("%-22s %10.3f %10.3f %10s%s%s\n", _(metrics[m].label), vb, va, change,
                        verdict[0] != '\0' ? "  " : "", verdict);
        }
    }
  if (after == NULL)
    derm_cli_out ("%-22s %10s\n", _("ITA class"), derm_ita_class_to_string (before->tone.ita_class));
  else
    derm_cli_out ("%-22s %10s %10s\n", _("ITA class"), derm_ita_class_to_string (before->tone.ita_class),
                  derm_ita_class_to_string (after->tone.ita_class));
  for (int d = 0; d < DERM_GLCM_N_DISTANCES; d++)
    for (guint i = 0; i < G_N_ELEMENTS (glcm_names); i++)
      {
        g_autofree char *label = g_strdup_printf ("GLCM %s d=%d", glcm_names[i], before->tex.glcm[d].distance);
        double vb = glcm_value (&before->tex.glcm[d], i);
        if (after == NULL)
          derm_cli_out ("%-22s %10.4f\n", label, vb);
        else
          {
            double va = glcm_value (&after->tex.glcm[d], i);
            g_autofree char *change = derm_format_signed (va - vb, 4);

            derm_cli_out ("%-22s %10.4f %10.4f %10s\n", label, vb, va, change);
          }
      }
}

static void
add_alignment (JsonBuilder *b, const DermAlignmentResult *r)
{
  json_builder_set_member_name (b, "homography");
  json_builder_begin_array (b);
  for (int i = 0; i < 9; i++)
    json_builder_add_double_value (b, r->h[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "matches");
  json_builder_add_int_value (b, r->n_matches);
  json_builder_set_member_name (b, "inliers");
  json_builder_add_int_value (b, r->n_inliers);
  json_builder_set_member_name (b, "inlier_ratio");
  json_builder_add_double_value (b, r->inlier_ratio);
  json_builder_set_member_name (b, "rms_error_px");
  json_builder_add_double_value (b, r->rms_error);
  json_builder_set_member_name (b, "overlap");
  json_builder_add_double_value (b, r->overlap);
}

/* ------------------------------------------------------------ commands */

static int
cmd_analyze (Args *args)
{
  const char *path = args->inv->args[0];
  int exit_code = DERM_EXIT_OK;
  DermImage *img = load_image (path, &exit_code);
  if (img == NULL)
    return exit_code;
  DermAnalysis *a = NULL;
  DermError err;
  int status = derm_analyze (img, &args->roi, &args->settings, &a, &err);
  if (status != DERM_STATUS_OK)
    {
      derm_image_free (img);
      return report_error (NULL, status, &err);
    }
  Results r;
  get_results (a, &r);
  double gains[3];
  derm_analysis_get_wb_gains (a, gains);

  if (args->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "image");
      json_builder_add_string_value (b, path);
      json_builder_set_member_name (b, "width");
      json_builder_add_int_value (b, derm_image_get_width (img));
      json_builder_set_member_name (b, "height");
      json_builder_add_int_value (b, derm_image_get_height (img));
      json_builder_set_member_name (b, "algorithm_version");
      json_builder_add_int_value (b, derm_analysis_get_algorithm_version (a));
      json_builder_set_member_name (b, "settings");
      json_builder_add_value (b, settings_json (&args->settings, &args->roi));
      json_builder_set_member_name (b, "pixel_count");
      json_builder_add_int_value (b, (gint64) derm_analysis_get_pixel_count (a));
      json_builder_set_member_name (b, "wb_gains");
      json_builder_begin_array (b);
      for (int c = 0; c < 3; c++)
        json_builder_add_double_value (b, gains[c]);
      json_builder_end_array (b);
      add_metrics (b, &r, NULL, NULL);
      DermQualityMetrics q;
      derm_analysis_get_quality (a, &q);
      json_builder_set_member_name (b, "quality");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "sharpness");
      json_builder_add_double_value (b, q.sharpness);
      json_builder_set_member_name (b, "clipped_pct");
      json_builder_add_double_value (b, q.clipped_pct);
      json_builder_end_object (b);
      add_colour (b, a);
      json_builder_end_object (b);
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      derm_cli_print_json (root);
    }
  else
    {
      derm_cli_out (g_dngettext (GETTEXT_PACKAGE,
                                 "%s: %dx%d, %llu pixel analysed, white balance %s, algorithm version %d\n",
                                 "%s: %dx%d, %llu pixels analysed, white balance %s, algorithm version %d\n",
                                 (gulong) derm_analysis_get_pixel_count (a)), path,
                    derm_image_get_width (img), derm_image_get_height (img),
                    (unsigned long long) derm_analysis_get_pixel_count (a),
                    wb_name (args->settings.wb_mode), derm_analysis_get_algorithm_version (a));
      print_metrics_text (&r, NULL, NULL);
    }
  derm_analysis_free (a);
  derm_image_free (img);
  return DERM_EXIT_OK;
}

/* Loads and aligns the pair; on failure prints the error and returns NULL. */
static DermAlignment *
align_pair (Args *args, DermImage **before, DermImage **after, int *exit_code)
{
  const char *bp = args->inv->args[0], *ap = args->inv->args[1];
  *before = load_image (bp, exit_code);
  if (*before == NULL)
    return NULL;
  *after = load_image (ap, exit_code);
  if (*after == NULL)
    return NULL;
  DermAlignment *al = NULL;
  DermError err;
  int status = derm_align (*before, *after, NULL, &al, &err);
  if (status != DERM_STATUS_OK)
    *exit_code = report_error (NULL, status, &err);
  return al;
}

static int
cmd_align (Args *args)
{
  DermImage *before = NULL, *after = NULL;
  int exit_code = DERM_EXIT_OK;
  DermExportFile *file = NULL;
  DermAlignment *al = NULL;

  if (args->out != NULL && (file = begin_output (args, &exit_code)) == NULL)
    return exit_code;
  al = align_pair (args, &before, &after, &exit_code);
  if (al == NULL)
    g_clear_pointer (&file, derm_export_file_abort);
  if (al != NULL)
    {
      DermAlignmentResult r;
      derm_alignment_get_result (al, &r);
      DermError err;
      if (file != NULL)
        {
          int status = derm_image_save (derm_alignment_get_warped (al),
                                        derm_export_file_get_temp_path (file), 95, &err);

          exit_code = finish_output (args, g_steal_pointer (&file), status, &err);
        }
      if (exit_code != DERM_EXIT_OK)
        ;
      else if (args->json)
        {
          g_autoptr (JsonBuilder) b = json_builder_new ();
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "before");
          json_builder_add_string_value (b, args->inv->args[0]);
          json_builder_set_member_name (b, "after");
          json_builder_add_string_value (b, args->inv->args[1]);
          add_alignment (b, &r);
          json_builder_set_member_name (b, "warped");
          if (args->out != NULL)
            json_builder_add_string_value (b, args->out);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
          g_autoptr (JsonNode) root = json_builder_get_root (b);
          derm_cli_print_json (root);
        }
      else
        {
          derm_cli_out (g_dngettext (GETTEXT_PACKAGE,
                                     "Aligned: %d of %d match agrees (%.0f%%), RMS error %.2f px, overlap %.0f%%\n",
                                     "Aligned: %d of %d matches agree (%.0f%%), RMS error %.2f px, overlap %.0f%%\n",
                                     (gulong) r.n_matches),
                        r.n_inliers, r.n_matches, 100 * r.inlier_ratio, r.rms_error, 100 * r.overlap);
          derm_cli_out ("H = [%.6g %.6g %.6g; %.6g %.6g %.6g; %.6g %.6g %.6g]\n",
                        r.h[0], r.h[1], r.h[2], r.h[3], r.h[4], r.h[5], r.h[6], r.h[7], r.h[8]);
          if (args->out != NULL)
            derm_cli_out (_("Warped after photo written to %s\n"), args->out);
        }
      derm_alignment_free (al);
    }
  derm_image_free (before);
  derm_image_free (after);
  return exit_code;
}

static int
cmd_compare (Args *args)
{
  DermImage *before = NULL, *after = NULL;
  int exit_code = DERM_EXIT_OK;
  DermExportFile *file = NULL;
  DermAlignment *al = NULL;

  /* A refused destination is said before the work */
  if (args->out != NULL && (file = begin_output (args, &exit_code)) == NULL)
    return exit_code;
  al = align_pair (args, &before, &after, &exit_code);
  DermCompareMetrics m;
  DermMap *map = NULL;
  DermError err;
  int status;
  if (al == NULL)
    goto out;

  /* The same function the app's comparison view calls: the numbers agree */
  DermAlignmentResult r;
  derm_alignment_get_result (al, &r);
  status = derm_compare_metrics_compute (before, after, r.h, &args->roi, &args->settings, &m, &err);
  if (status != DERM_STATUS_OK)
    {
      exit_code = report_error (NULL, status, &err);
      goto out;
    }
  if (args->out != NULL)
    {
      status = derm_map_new_difference (before, derm_alignment_get_warped (al), &args->roi, &args->settings, &map, &err);
      if (status == DERM_STATUS_OK)
        status = derm_map_save_png (map, derm_export_file_get_temp_path (file), &err);
      if ((exit_code = finish_output (args, g_steal_pointer (&file), status, &err)) != DERM_EXIT_OK)
        goto out;
    }

  Results rb = { m.before.redness, m.before.tone, m.before.texture };
  Results ra = { m.after.redness, m.after.tone, m.after.texture };
  if (args->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "before");
      json_builder_add_string_value (b, args->inv->args[0]);
      json_builder_set_member_name (b, "after");
      json_builder_add_string_value (b, args->inv->args[1]);
      json_builder_set_member_name (b, "algorithm_version");
      json_builder_add_int_value (b, m.algorithm_version);
      json_builder_set_member_name (b, "alignment");
      json_builder_begin_object (b);
      add_alignment (b, &r);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "settings");
      json_builder_add_value (b, settings_json (&args->settings, &args->roi));
      json_builder_set_member_name (b, "pixel_count");
      json_builder_add_int_value (b, (gint64) m.pixel_count);
      json_builder_set_member_name (b, "a_change_threshold");
      json_builder_add_double_value (b, derm_metric_get_info (DERM_METRIC_A_MEAN)->clear_change);
      add_metrics (b, &rb, &ra, &m);
      add_pair_quality (b, &m);
      json_builder_set_member_name (b, "heatmap");
      if (map != NULL)
        {
          DermMapLegend legend;
          derm_map_get_legend (map, &legend);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "path");
          json_builder_add_string_value (b, args->out);
          json_builder_set_member_name (b, "label");
          json_builder_add_string_value (b, legend.label);
          json_builder_set_member_name (b, "legend");
          json_builder_begin_array (b);
          for (int i = 0; i < DERM_MAP_N_TICKS; i++)
            {
              g_autofree char *hex = g_strdup_printf ("#%02x%02x%02x", legend.tick_rgba[i][0], legend.tick_rgba[i][1], legend.tick_rgba[i][2]);
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "value");
              json_builder_add_double_value (b, legend.ticks[i]);
              json_builder_set_member_name (b, "colour");
              json_builder_add_string_value (b, hex);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      derm_cli_print_json (root);
    }
  else
    {
      g_autofree char *pixels = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu pixel compared",
                                                              "%llu pixels compared", (gulong) m.pixel_count),
                                                 (unsigned long long) m.pixel_count);

      /* TRANSLATORS: the last %s is "N pixels compared" */
      derm_cli_out (g_dngettext (GETTEXT_PACKAGE, "Aligned: %d of %d match agrees, RMS error %.2f px; %s\n",
                                 "Aligned: %d of %d matches agree, RMS error %.2f px; %s\n", (gulong) r.n_matches),
                    r.n_inliers, r.n_matches, r.rms_error, pixels);
      derm_cli_out ("%-22s %10s %10s %10s\n", "",
                    C_("metrics table", "before"), C_("metrics table", "after"), C_("metrics table", "change"));
      print_metrics_text (&rb, &ra, &m);
      {
        DermCompareWarning *w = NULL;
        guint n = derm_compare_metrics_get_warnings (&m, &w);
        double ratio = derm_compare_metrics_get_sharpness_ratio (&m);
        derm_cli_out (_("Sharpness ratio (after / before) %.2f; clipped pixels %.1f%% before, %.1f%% after; "
                        "after photo rotated %.1f degrees, scale %.3f\n"),
                      ratio, m.quality_before.clipped_pct, m.quality_after.clipped_pct,
                      m.geometry.rotation_deg, m.geometry.scale);
        if (m.has_chart)
          derm_cli_out (_("Colour chart fit: mean CIEDE2000 %.2f before, %.2f after\n"),
                        m.chart_before.delta_e_mean, m.chart_after.delta_e_mean);
        for (guint i = 0; i < n; i++)
          derm_cli_out (_("Warning: %s\n"), w[i].message);
        derm_compare_warnings_free (w, n);
      }
      if (map != NULL)
        derm_cli_out (_("Difference map written to %s (a* change, blue -10 .. white 0 .. red +10)\n"), args->out);
    }

out:
  derm_export_file_abort (file);
  derm_map_free (map);
  derm_alignment_free (al);
  derm_image_free (before);
  derm_image_free (after);
  return exit_code;
}

static int
run_analyze (DermCliInvocation *inv)
{
  g_auto (Args) args = { 0 };
  int rc;

  if ((rc = parse_args (inv, TRUE, NULL, 1, _("image"), &args)))
    return rc;
  return cmd_analyze (&args);
}

static int
run_align (DermCliInvocation *inv)
{
  g_auto (Args) args = { 0 };
  int rc;

  if ((rc = parse_args (inv, FALSE, "out", 2, _("before and after photos"), &args)))
    return rc;
  return cmd_align (&args);
}

static int
run_compare (DermCliInvocation *inv)
{
  g_auto (Args) args = { 0 };
  int rc;

  if ((rc = parse_args (inv, TRUE, "heatmap", 2, _("before and after photos"), &args)))
    return rc;
  return cmd_compare (&args);
}

const DermCliCommand derm_cli_imaging_commands[] = {
  { "analyze", "IMAGE [--roi x,y,w,h | --polygon x1,y1,x2,y2,…] [--wb MODE]",
    N_("Measures redness, tone and texture of one photo."), run_analyze },
  { "align", "BEFORE AFTER [--out FILE [--force]]",
    N_("Aligns the after photo onto the before photo and reports how well it fits."), run_align },
  { "compare", "BEFORE AFTER [--roi … | --polygon …] [--wb MODE] [--heatmap FILE [--force]]",
    N_("Aligns a pair of photos and prints each measurement before, after and its change."), run_compare },
  { NULL }
};

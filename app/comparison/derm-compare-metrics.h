/* derm-compare-metrics.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The before/after metrics of an aligned pair, computed by ONE function
 * that both `dermis-cli compare` and DermComparison call, so the numbers
 * the practitioner sees are exactly what the CLI prints for the same
 * photos, region and settings. Also: what each metric means (label, unit,
 * which direction is an improvement, when a change is a clear change),
 * canonical settings text for cache keys, and a lossless JSON form for
 * the analysis cache. Plain functions, safe from any thread.
 */
#pragma once

#include <glib.h>

#include "derm-imaging.h"

G_BEGIN_DECLS

/* The metrics of the metrics panel and the trend chart. GLCM properties
 * are those at distance 1 px (mean over the four angles). */
typedef enum
{
  DERM_METRIC_A_MEAN = 0,
  DERM_METRIC_A_MEDIAN,
  DERM_METRIC_A_P90,
  DERM_METRIC_ERYTHEMA_INDEX,
  DERM_METRIC_RED_AREA_PCT,
  DERM_METRIC_L_MEAN,
  DERM_METRIC_ITA_MEAN,
  DERM_METRIC_L_UNEVENNESS,
  DERM_METRIC_ROUGHNESS,
  DERM_METRIC_GLCM_CONTRAST,
  DERM_METRIC_GLCM_HOMOGENEITY,
} DermMetric;

#define DERM_N_METRICS 11

typedef enum
{
  DERM_METRIC_GROUP_REDNESS = 0,
  DERM_METRIC_GROUP_TONE,
  DERM_METRIC_GROUP_TEXTURE,
} DermMetricGroup;

/* Which way a change is an improvement */
typedef enum
{
  DERM_IMPROVEMENT_NEITHER = 0,  /* descriptive only (L*, ITA) */
  DERM_IMPROVEMENT_LOWER,        /* less redness, smoother skin */
  DERM_IMPROVEMENT_HIGHER,       /* more homogeneous texture */
} DermImprovement;

typedef struct
{
  DermMetric      metric;
  const char     *key;           /* "a_mean": as in `dermis-cli compare --json` */
  DermMetricGroup group;
  const char     *label;         /* translated: "a* mean" */
  const char     *unit;          /* translated: "CIELAB units", "%", "degrees", "" */
  DermImprovement improvement;
  /* |change| below this is "no clear change" (IMAGING.md); 0: any change counts */
  double          clear_change;
} DermMetricInfo;

#define DERM_TYPE_METRIC (derm_metric_get_type ())
GType                 derm_metric_get_type     (void) G_GNUC_CONST;
const DermMetricInfo *derm_metric_get_info     (DermMetric       metric);
gboolean              derm_metric_from_key     (const char      *key,
                                                DermMetric      *out);
/* "redness", "tone", "texture" */
const char           *derm_metric_group_to_key (DermMetricGroup  group);

/* Every value of one analysis */
typedef struct
{
  DermRednessMetrics redness;
  DermToneMetrics    tone;
  DermTextureMetrics texture;
} DermMetricValues;

void    derm_metric_values_from_analysis (const DermAnalysis     *analysis,
                                          DermMetricValues       *out);
double  derm_metric_values_get           (const DermMetricValues *values,
                                          DermMetric              metric);

/* The comparison of one region of an aligned pair */
typedef struct
{
  int                  algorithm_version;
  DermAnalysisSettings settings;         /* the same for both photos */
  guint64              pixel_count;      /* pixels compared: ROI within both photos (before photo) */
  double               wb_gains_before[3];
  double               wb_gains_after[3];
  DermMetricValues     before;
  DermMetricValues     after;
  DermQualityMetrics   quality_before;
  DermQualityMetrics   quality_after;
  DermPairGeometry     geometry;
  double               matrix_before[9]; /* linear-RGB colour correction of each photo */
  double               matrix_after[9];
  gboolean             has_chart;        /* DERM_WB_CHART: the two fits */
  DermChartFit         chart_before;
  DermChartFit         chart_after;
} DermCompareMetrics;

/* Analyses @before and @after (each in its own pixels; @h maps after-photo
 * pixels to before-photo pixels) over the same skin with derm_analyze_pair(). */
int       derm_compare_metrics_compute   (const DermImage            *before,
                                          const DermImage            *after,
                                          const double                h[9],
                                          const DermRoi              *roi,
                                          const DermAnalysisSettings *settings,
                                          DermCompareMetrics         *out,
                                          DermError                  *err);

typedef enum
{
  DERM_CHANGE_NONE = 0,   /* no clear change: below the metric's threshold */
  DERM_CHANGE_IMPROVED,
  DERM_CHANGE_WORSENED,
  DERM_CHANGE_CHANGED,    /* a clear change of a descriptive metric */
  DERM_CHANGE_SOFTER,     /* texture not comparable: the after photo is softer */
  DERM_CHANGE_SHARPER,    /* texture not comparable: the after photo is sharper */
} DermChangeVerdict;

/* The sharpness gate (IMAGING.md): past these ratios of the two photos'
 * sharpness (after / before), texture changes are not comparable.
 * Calibrated by tests/reference/repeat_photos.py like the thresholds, by the
 * same family-wise rule on log(ratio) over repeat photos of unchanged skin,
 * to three significant figures, rounded outwards; README gives the figures. */
#define DERM_SHARPNESS_RATIO_MIN 0.273
#define DERM_SHARPNESS_RATIO_MAX 2.23

/* Quality and pose limits past which a comparison carries a warning */
#define DERM_WARN_CLIPPED_PCT    2.0   /* % of the region clipped in a photo */
#define DERM_WARN_ROTATION_DEG   5.0
#define DERM_WARN_SCALE_CHANGE  10.0   /* % */

/* after / before sharpness; NAN when the before photo has none */
double            derm_compare_metrics_get_sharpness_ratio (const DermCompareMetrics *metrics);
/* DERM_CHANGE_SOFTER, DERM_CHANGE_SHARPER or DERM_CHANGE_NONE (comparable) */
DermChangeVerdict derm_compare_metrics_get_sharpness_gate  (const DermCompareMetrics *metrics);
/* Whether |change| reaches the metric's threshold */
gboolean          derm_compare_metrics_is_clear_change    (const DermCompareMetrics *metrics,
                                                           DermMetric                metric);

typedef struct
{
  const char *key;       /* "clipped-before", "clipped-after", "rotation", "scale", "sharpness" */
  char       *message;   /* translated: what happened and what to fix */
} DermCompareWarning;

/* The quality and pose warnings of @metrics, in a fixed order; free with
 * derm_compare_warnings_free(). Returns the count. */
guint             derm_compare_metrics_get_warnings (const DermCompareMetrics *metrics,
                                                     DermCompareWarning      **out);
void              derm_compare_warnings_free        (DermCompareWarning       *warnings,
                                                     guint                     n);
/* Formats a threshold with the precision it has: "2", "0.3", "0.014" */
char             *derm_format_threshold             (double                    value);
/* A change with its sign and @decimals decimals, in the current locale;
 * one that rounds to zero prints without a sign ("0.00"); "—" for NAN */
char             *derm_format_signed                (double                    value,
                                                     int                       decimals);

double            derm_compare_metrics_get_before   (const DermCompareMetrics *metrics,
                                                     DermMetric                metric);
double            derm_compare_metrics_get_after    (const DermCompareMetrics *metrics,
                                                     DermMetric                metric);
/* after - before */
double            derm_compare_metrics_get_change   (const DermCompareMetrics *metrics,
                                                     DermMetric                metric);
/* 100 * (after - before) / |before|; NAN when before is 0 */
double            derm_compare_metrics_get_percent_change (const DermCompareMetrics *metrics,
                                                     DermMetric                metric);
DermChangeVerdict derm_compare_metrics_get_verdict  (const DermCompareMetrics *metrics,
                                                     DermMetric                metric);
/* Translated: "Improved", "Worse", "Changed", "No clear change" */
const char       *derm_change_verdict_to_label      (DermChangeVerdict         verdict);

/* Canonical text of the settings, e.g.
 * "wb=patch:10,10,40,40;red=15;rough=2;uneven=8;metrics=7"; used in cache
 * keys and shown with the metrics as "the settings used". */
char     *derm_analysis_settings_to_key  (const DermAnalysisSettings *settings);
/* "none", "grey-world", "patch", "chart" */
const char *derm_wb_mode_to_key          (DermWhiteBalanceMode        mode);
gboolean  derm_wb_mode_from_key          (const char                 *key,
                                          DermWhiteBalanceMode       *out);
/* Translated, for the settings line: "White balance: grey world; red at a* >= 15" */
char     *derm_analysis_settings_describe (const DermAnalysisSettings *settings);

/* Lossless (round-trip) JSON of every value, for the analysis cache */
char     *derm_compare_metrics_to_json   (const DermCompareMetrics   *metrics);
gboolean  derm_compare_metrics_from_json (const char                 *json,
                                          DermCompareMetrics         *out,
                                          GError                    **error);

G_END_DECLS

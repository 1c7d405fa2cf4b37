/* derm-metric-text.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the results of a comparison are worded, in ONE place: the compare
 * window's metrics panel and the progress report both call these, so a
 * printed statement is word for word what the practitioner saw on screen.
 * The verdict itself (derm_compare_metrics_get_verdict ()) applies the
 * "no clear change" rule and the sharpness gate: a change inside a
 * metric's threshold is never worded "improved", and texture is never
 * judged when the pair is not comparable. Plain functions, any thread.
 */
#pragma once

#include <glib-object.h>

#include "derm-compare-metrics.h"

G_BEGIN_DECLS

/* A value as the panel shows it: "12.31", "0.412", "134"; "—" for NAN */
char       *derm_metric_format_value      (DermMetric                 metric,
                                           double                     value);
/* A change and its percentage: "-1.20 (-8 %)"; without the percentage
 * when it is NAN */
char       *derm_metric_format_change     (DermMetric                 metric,
                                           double                     change,
                                           double                     percent);
/* "Lower is better", "Higher is better", "Descriptive" */
const char *derm_metric_improvement_text  (DermMetric                 metric);
/* The metric and its unit: "a* mean (CIELAB units)" */
char       *derm_metric_dup_name          (DermMetric                 metric);
/* Which way is better and the smallest change that counts:
 * "Lower is better; clear beyond ±2" */
char       *derm_metric_dup_hint          (DermMetric                 metric);
/* The result of one metric in plain words, e.g. "a* mean (CIELAB units):
 * no clear change, 12.31 before and 12.05 after (-0.26 (-2 %)); lower is
 * better; clear beyond ±2." The verdict leads, in the words of
 * derm_change_verdict_to_label (). */
char       *derm_compare_metrics_dup_statement (const DermCompareMetrics *metrics,
                                           DermMetric                 metric);
/* The quality and pose warnings, and the grey-world caveat when that
 * white balance was used, one per line; "" when there are none */
char       *derm_compare_metrics_dup_notes (const DermCompareMetrics *metrics);
/* The settings line under the metrics: region, settings, alignment,
 * pixels compared, quality, colour chart fit, algorithm version.
 * @region_name NULL: the whole photo. */
char       *derm_compare_metrics_dup_settings_line (const DermCompareMetrics *metrics,
                                           const char                *region_name,
                                           const char                *settings_label,
                                           gboolean                   manual_alignment);
/* What the difference map's colours mean, for its legend: "Change in
 * redness, after minus before, from -10 to +10 a* units: ..." */
char       *derm_map_legend_describe_difference (const DermMapLegend *legend);

/* The metrics the panel and the report show, in their order */
extern const DermMetric derm_metric_text_shown[];
#define DERM_METRIC_TEXT_N_SHOWN 6

G_END_DECLS

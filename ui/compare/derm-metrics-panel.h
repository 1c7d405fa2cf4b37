/* derm-metrics-panel.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The metrics of one region of an aligned pair: before, after, change and
 * percentage change of the redness (a* mean, erythema index, red area)
 * and texture (roughness, GLCM contrast, homogeneity) measures, which
 * direction is an improvement, "No clear change" below each metric's
 * documented threshold, and the settings the numbers were computed with.
 */
#pragma once

#include <adwaita.h>

#include "derm-comparison.h"

G_BEGIN_DECLS

#define DERM_TYPE_METRICS_PANEL (derm_metrics_panel_get_type ())
G_DECLARE_FINAL_TYPE (DermMetricsPanel, derm_metrics_panel, DERM, METRICS_PANEL, AdwBin)

GtkWidget                   *derm_metrics_panel_new          (void);
/* Shows @metrics (transfer full) */
void                         derm_metrics_panel_set_metrics  (DermMetricsPanel      *self,
                                                              DermComparisonMetrics *metrics);
/* The metrics shown, NULL while loading or showing a message */
const DermComparisonMetrics *derm_metrics_panel_get_metrics  (DermMetricsPanel      *self);
/* A spinner while the metrics are computed */
void                         derm_metrics_panel_show_loading (DermMetricsPanel      *self);
/* Why there are no metrics, and what to do */
void                         derm_metrics_panel_show_message (DermMetricsPanel      *self,
                                                              const char            *message);
/* The message shown instead of metrics (an error ...), or NULL */
const char                  *derm_metrics_panel_get_message  (DermMetricsPanel      *self);
/* The text of the verdict shown for @metric ("No clear change" ...), NULL
 * when no metrics are shown or the metric is not in the panel */
const char                  *derm_metrics_panel_get_verdict_text (DermMetricsPanel  *self,
                                                              DermMetric             metric);

G_END_DECLS

/* derm-trend-view.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window with the chart of one metric of one region across all of a
 * client's sessions for a view (DermTrend): metric and region pickers,
 * the value and date of the point under the pointer, and export as PNG
 * or SVG.
 */
#pragma once

#include <adwaita.h>

#include "derm-trend.h"

G_BEGIN_DECLS

#define DERM_TYPE_TREND_VIEW (derm_trend_view_get_type ())
G_DECLARE_FINAL_TYPE (DermTrendView, derm_trend_view, DERM, TREND_VIEW, AdwWindow)

/* @regions: the DermRegion objects offered (nullable); @region (nullable:
 * whole photo) the one chosen first, @settings (nullable: defaults) */
GtkWidget  *derm_trend_view_new            (DermPhotoLibrary           *library,
                                            gint64                      client_id,
                                            DermPhotoView               view,
                                            GListModel                 *regions,
                                            DermRegion                 *region,
                                            DermMetric                  metric,
                                            const DermAnalysisSettings *settings);
DermTrend  *derm_trend_view_get_trend      (DermTrendView *self);
/* TRUE while the chart's values are computed or an export runs */
gboolean    derm_trend_view_get_busy       (DermTrendView *self);
void        derm_trend_view_set_metric     (DermTrendView *self,
                                            DermMetric     metric);
/* The point highlighted with its value, as hovering does; -1 for none */
void        derm_trend_view_set_hover      (DermTrendView *self,
                                            int            index);
/* Writes the chart as shown to @file (PNG, or SVG when @svg) in a worker,
 * as the export actions do after the file chooser */
void        derm_trend_view_export_to_file (DermTrendView *self,
                                            GFile         *file,
                                            gboolean       svg);

G_END_DECLS

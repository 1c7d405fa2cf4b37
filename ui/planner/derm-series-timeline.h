/* derm-series-timeline.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A client's treatment series, one row each: a marker per session
 * (done, booked, cancelled, no-show or not booked), where the series
 * stands, the next due window, an overdue badge and the follow-up photo.
 */
#pragma once

#include <adwaita.h>

#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_SERIES_TIMELINE (derm_series_timeline_get_type ())
G_DECLARE_FINAL_TYPE (DermSeriesTimeline, derm_series_timeline, DERM, SERIES_TIMELINE, GtkWidget)

GtkWidget  *derm_series_timeline_new           (void);
DermStore  *derm_series_timeline_get_store     (DermSeriesTimeline *self);
void        derm_series_timeline_set_store     (DermSeriesTimeline *self,
                                                DermStore          *store);
/* 0 shows nothing */
gint64      derm_series_timeline_get_client_id (DermSeriesTimeline *self);
void        derm_series_timeline_set_client_id (DermSeriesTimeline *self,
                                                gint64              client_id);
void        derm_series_timeline_reload        (DermSeriesTimeline *self);
/* TRUE while a reload reads the store (it reads on the store's worker) */
gboolean    derm_series_timeline_get_loading (DermSeriesTimeline *self);
/* The DermSeries objects shown, newest first */
GListModel *derm_series_timeline_get_series    (DermSeriesTimeline *self);
/* What row @position says about where its series stands */
const char *derm_series_timeline_get_summary   (DermSeriesTimeline *self,
                                                guint               position);

G_END_DECLS

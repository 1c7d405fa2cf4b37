/* derm-trend.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One metric of one region across all of a client's sessions for a view:
 * every active photo of the view, oldest session first, the later ones
 * aligned onto the first (the baseline) and analysed over the region
 * with the same settings (through the store's analysis cache), plus the
 * chart drawn with cairo: on a GtkDrawingArea (derm_trend_draw ()), or
 * to a PNG or SVG file.
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>
#include <gio/gio.h>

#include "derm-compare-metrics.h"
#include "derm-photo-library.h"
#include "derm-region.h"

G_BEGIN_DECLS

typedef struct
{
  DermPhoto *photo;           /* borrowed */
  char      *date;            /* "YYYY-MM-DD": session date, else capture, else import */
  int        session_number;  /* 1-based; 0 when the photo has no session */
  double     value;           /* NAN when not aligned */
  gboolean   aligned;         /* the baseline itself counts as aligned */
  char      *problem;         /* why there is no value (alignment refused ...), else NULL */
  /* DERM_CHANGE_SOFTER or DERM_CHANGE_SHARPER when this photo's texture is
   * not comparable with the baseline's (the sharpness gate), else NONE */
  int        texture_gate;
  /* Everything measured for this point (the baseline: a pair of itself;
   * the others: the pair with the baseline, as the compare window
   * measures it), or NULL when there is no value */
  DermCompareMetrics *metrics;
} DermTrendPoint;

#define DERM_TYPE_TREND (derm_trend_get_type ())
G_DECLARE_FINAL_TYPE (DermTrend, derm_trend, DERM, TREND, GObject)

/* @region: NULL for the whole photo; in the baseline photo's pixels when
 * its frame is the baseline, else mapped onto the baseline first.
 * @settings: NULL for defaults. */
DermTrend     *derm_trend_new             (DermPhotoLibrary           *library,
                                           gint64                      client_id,
                                           DermPhotoView               view,
                                           DermRegion                 *region,
                                           DermMetric                  metric,
                                           const DermAnalysisSettings *settings);

/* Only photos dated @from to @to (YYYY-MM-DD, inclusive, either NULL:
 * open); the first of them is the baseline */
void           derm_trend_set_date_range  (DermTrend    *self,
                                           const char   *from,
                                           const char   *to);
DermMetric     derm_trend_get_metric      (DermTrend    *self);
DermRegion    *derm_trend_get_region      (DermTrend    *self);
/* The "computing" property: TRUE while compute_async runs */
gboolean       derm_trend_get_computing   (DermTrend    *self);
/* 0..1 ("progress" property) */
double         derm_trend_get_progress    (DermTrend    *self);

/* Lists the photos and computes every value in a worker; the points are
 * replaced (and "points" notified) when it finishes. Fails when the
 * client has no photo of the view. Photos whose alignment is refused
 * become points without a value, with the reason. */
void           derm_trend_compute_async   (DermTrend           *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean       derm_trend_compute_finish  (DermTrend           *self,
                                           GAsyncResult        *result,
                                           GError             **error);
/* The same work in the calling thread, for code already in a worker (the
 * progress report, dermis-cli); no property is notified. */
gboolean       derm_trend_compute         (DermTrend           *self,
                                           GCancellable        *cancellable,
                                           GError             **error);
/* A computed trend of the same photos and region for another metric,
 * from the points' metrics: nothing is read or computed again */
DermTrend     *derm_trend_copy_with_metric (DermTrend          *self,
                                           DermMetric           metric);
/* Analyses computed (not read from the cache) by the last compute */
guint          derm_trend_get_n_computed  (DermTrend    *self);

guint          derm_trend_get_n_points    (DermTrend    *self);
const DermTrendPoint *derm_trend_get_point (DermTrend   *self,
                                           guint         index);

/* Draws the chart into a @width x @height area of @cr: title (metric,
 * region), value axis with unit, session dates on the time axis, the
 * series, and for @hover_index >= 0 that point highlighted with its
 * value and date. Works with no points ("No photos"). Text goes through
 * Pango with @context's font and text size (a widget's context, so large
 * text grows the chart's margins too), or "Sans" at 12.5 px for NULL. */
/* The value axis the chart draws, and the baseline's "no clear change"
 * band (both NAN when there is no baseline value) */
void           derm_trend_get_value_axis  (DermTrend    *self,
                                           double       *vmin,
                                           double       *vmax,
                                           double       *band_low,
                                           double       *band_high);
void           derm_trend_draw            (DermTrend    *self,
                                           cairo_t      *cr,
                                           PangoContext *context,
                                           int           width,
                                           int           height,
                                           int           hover_index);
/* The point under (@x, @y) in a @width x @height chart, or -1: for hover */
int            derm_trend_hit_test        (DermTrend    *self,
                                           int           width,
                                           int           height,
                                           double        x,
                                           double        y);
gboolean       derm_trend_export_png      (DermTrend    *self,
                                           const char   *path,
                                           int           width,
                                           int           height,
                                           GError      **error);
gboolean       derm_trend_export_svg      (DermTrend    *self,
                                           const char   *path,
                                           int           width,
                                           int           height,
                                           GError      **error);

/* After a compute: the region as it was measured, in the baseline
 * photo's pixels (mapped onto it when it was drawn on another photo);
 * NULL for the whole photo */
DermRegion    *derm_trend_get_placed_region (DermTrend *self);

G_END_DECLS

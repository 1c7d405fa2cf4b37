/* derm-comparison-export.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The current comparison as one PNG for the client's record or to hand
 * over: both photos as shown, each labelled with date, session and view,
 * optionally a map over the after photo with its legend, the region
 * outlined, and the metrics table with the settings used. Written with
 * cairo, which embeds no EXIF, GPS or text metadata.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "derm-comparison.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean                      show_aligned;    /* after photo aligned (TRUE) or as taken */
  const DermComparisonMap      *overlay;         /* nullable: drawn over the after photo */
  double                        overlay_opacity; /* 0..1 */
  DermRegion                   *region;          /* nullable: outlined on both photos */
  const DermComparisonMetrics  *metrics;         /* nullable: the table under the photos */
  int                           photo_side;      /* longer side of each photo in the PNG; 0: 1000 */
} DermComparisonExportOptions;

void     derm_comparison_export_options_init (DermComparisonExportOptions *options);

/* Renders and writes @path. Any thread (it only reads @comparison's
 * pixels); the UI calls the async variant. */
gboolean derm_comparison_export_png          (DermComparison                    *comparison,
                                              const DermComparisonExportOptions *options,
                                              const char                        *path,
                                              GError                           **error);
/* @options and what it points to are copied before returning */
void     derm_comparison_export_png_async    (DermComparison                    *comparison,
                                              const DermComparisonExportOptions *options,
                                              const char                        *path,
                                              GCancellable                      *cancellable,
                                              GAsyncReadyCallback                callback,
                                              gpointer                           user_data);
gboolean derm_comparison_export_png_finish   (DermComparison                    *comparison,
                                              GAsyncResult                      *result,
                                              GError                           **error);

/* A cairo surface (ARGB32, premultiplied) of straight RGBA pixels */
cairo_surface_t *derm_cairo_surface_from_rgba (GBytes     *rgba,
                                              int         width,
                                              int         height,
                                              gsize       stride);
/* Outlines @region (its points times @scale) in yellow on @cr */
void     derm_comparison_export_outline_region (cairo_t    *cr,
                                              DermRegion *region,
                                              double      scale);

G_END_DECLS

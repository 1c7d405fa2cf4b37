/* derm-compare-canvas.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Draws a before/after pair (DermComparison) in one of four modes (side
 * by side, wipe, blend, heatmap) with one zoom and pan for both photos,
 * from a pyramid of cached textures (full, 1/2, 1/4, 1/8) so zooming a
 * 24 MP pair never decodes again. Regions are drawn on the before photo
 * (rectangle drag, polygon clicks closed by a double click or Enter),
 * a grey-card patch is marked the same way as a rectangle, and matching
 * points are marked on both photos for a hand alignment. A click on a
 * region emits "region-activated".
 */
#pragma once

#include <adwaita.h>

#include "derm-comparison.h"

G_BEGIN_DECLS

typedef enum
{
  DERM_COMPARE_MODE_SIDE_BY_SIDE = 0,
  DERM_COMPARE_MODE_WIPE,
  DERM_COMPARE_MODE_BLEND,
  DERM_COMPARE_MODE_HEATMAP,
} DermCompareMode;

#define DERM_TYPE_COMPARE_MODE (derm_compare_mode_get_type ())
GType derm_compare_mode_get_type (void) G_GNUC_CONST;

/* What a press on the photos does */
typedef enum
{
  DERM_COMPARE_TOOL_PAN = 0,  /* pan; in wipe mode, drag the divider */
  DERM_COMPARE_TOOL_RECT,     /* drag a rectangle region */
  DERM_COMPARE_TOOL_POLYGON,  /* click the corners of a polygon region */
  DERM_COMPARE_TOOL_WB_PATCH, /* drag over the grey card */
  DERM_COMPARE_TOOL_POINTS,   /* mark matching points on both photos */
  DERM_COMPARE_TOOL_CHART,    /* click the colour chart's four corners */
} DermCompareTool;

#define DERM_TYPE_COMPARE_TOOL (derm_compare_tool_get_type ())
GType derm_compare_tool_get_type (void) G_GNUC_CONST;

/* Fraction of the width the wipe divider moves per arrow key press */
#define DERM_COMPARE_WIPE_STEP 0.02

#define DERM_TYPE_COMPARE_CANVAS (derm_compare_canvas_get_type ())
G_DECLARE_FINAL_TYPE (DermCompareCanvas, derm_compare_canvas, DERM, COMPARE_CANVAS, GtkWidget)

GtkWidget       *derm_compare_canvas_new                (void);

DermComparison  *derm_compare_canvas_get_comparison     (DermCompareCanvas *self);
void             derm_compare_canvas_set_comparison     (DermCompareCanvas *self,
                                                         DermComparison    *comparison);

DermCompareMode  derm_compare_canvas_get_mode           (DermCompareCanvas *self);
void             derm_compare_canvas_set_mode           (DermCompareCanvas *self,
                                                         DermCompareMode    mode);
/* 0..1 across the photo: left of it the before photo */
double           derm_compare_canvas_get_wipe_position  (DermCompareCanvas *self);
void             derm_compare_canvas_set_wipe_position  (DermCompareCanvas *self,
                                                         double             position);
/* 0..1: the after photo over the before photo (blend), the map (heatmap) */
double           derm_compare_canvas_get_opacity        (DermCompareCanvas *self);
void             derm_compare_canvas_set_opacity        (DermCompareCanvas *self,
                                                         double             opacity);
/* Shows the after photo as taken instead of aligned */
gboolean         derm_compare_canvas_get_show_unaligned (DermCompareCanvas *self);
void             derm_compare_canvas_set_show_unaligned (DermCompareCanvas *self,
                                                         gboolean           show_unaligned);
DermCompareTool  derm_compare_canvas_get_tool           (DermCompareCanvas *self);
void             derm_compare_canvas_set_tool           (DermCompareCanvas *self,
                                                         DermCompareTool    tool);
/* 1 fits the before photo; larger zooms in. Both photos follow. */
double           derm_compare_canvas_get_zoom           (DermCompareCanvas *self);
void             derm_compare_canvas_set_zoom           (DermCompareCanvas *self,
                                                         double             zoom);
/* The before-photo pixel at the centre of the view */
void             derm_compare_canvas_get_center         (DermCompareCanvas *self,
                                                         double            *x,
                                                         double            *y);
void             derm_compare_canvas_set_center         (DermCompareCanvas *self,
                                                         double             x,
                                                         double             y);

/* The overlay of the heatmap mode; takes ownership (NULL clears) */
void             derm_compare_canvas_set_map            (DermCompareCanvas *self,
                                                         DermComparisonMap *map);
const DermComparisonMap *derm_compare_canvas_get_map    (DermCompareCanvas *self);
/* A status line drawn in the heatmap mode while there is no map */
void             derm_compare_canvas_set_map_status     (DermCompareCanvas *self,
                                                         const char        *status);

/* The region drawn highlighted (nullable) */
void             derm_compare_canvas_set_selected_region (DermCompareCanvas *self,
                                                         DermRegion        *region);

/* TRUE once something of both photos is on screen; the full
 * resolution flag once the full pyramid of both is */
gboolean         derm_compare_canvas_has_picture        (DermCompareCanvas *self);
gboolean         derm_compare_canvas_has_full_resolution (DermCompareCanvas *self);
/* TRUE once the aligned after photo's textures are ready */
gboolean         derm_compare_canvas_has_aligned        (DermCompareCanvas *self);
/* Scale (texture pixels per full-resolution pixel) of the texture
 * the current zoom draws the before photo from */
double           derm_compare_canvas_get_drawn_level_scale (DermCompareCanvas *self);

/* Where before-photo pixel (@x, @y) is drawn in pane @pane (0: the
 * before photo, or the only pane; 1: the after photo side by side), in
 * widget coordinates; FALSE when there is no such pane */
gboolean         derm_compare_canvas_image_to_widget    (DermCompareCanvas *self,
                                                         guint              pane,
                                                         double             x,
                                                         double             y,
                                                         double            *widget_x,
                                                         double            *widget_y);

/* Region drawing through the widget API, as a drag or clicks do: each
 * ends in "region-drawn" (or "patch-marked" with the patch tool).
 * Coordinates in before-photo pixels. */
void             derm_compare_canvas_add_region_rect    (DermCompareCanvas *self,
                                                         double             x,
                                                         double             y,
                                                         double             width,
                                                         double             height);
void             derm_compare_canvas_add_region_polygon (DermCompareCanvas *self,
                                                         const double      *points,
                                                         guint              n_points);
/* A click with the chart tool: the fourth corner ends in "chart-marked" */
void             derm_compare_canvas_add_chart_corner   (DermCompareCanvas *self,
                                                         double             x,
                                                         double             y);
/* Corners clicked so far with the chart tool */
guint            derm_compare_canvas_get_n_chart_corners (DermCompareCanvas *self);
/* Manual alignment points, in full-resolution pixels of the photo */
void             derm_compare_canvas_add_manual_point   (DermCompareCanvas *self,
                                                         gboolean           on_after,
                                                         double             x,
                                                         double             y);
const double    *derm_compare_canvas_get_manual_points  (DermCompareCanvas *self,
                                                         gboolean           on_after,
                                                         guint             *n_points);
void             derm_compare_canvas_clear_manual_points (DermCompareCanvas *self);

G_END_DECLS

/* derm-region.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A named area of a client's face that metrics are computed over: a
 * rectangle or a polygon in the pixels of the photo it was drawn on (the
 * "frame" photo, named by its SHA-256). Regions are saved per client and
 * view (derm-store-compare.h) and reused in later comparisons, mapped
 * through the alignment of the frame photo onto the new before photo.
 */
#pragma once

#include <glib-object.h>

#include "derm-imaging.h"
#include "derm-photo.h"

G_BEGIN_DECLS

typedef enum
{
  DERM_REGION_RECT = 0,
  DERM_REGION_POLYGON,
} DermRegionKind;

#define DERM_TYPE_REGION_KIND (derm_region_kind_get_type ())
GType           derm_region_kind_get_type      (void) G_GNUC_CONST;
/* "rect", "polygon" */
const char     *derm_region_kind_to_key        (DermRegionKind kind);
gboolean        derm_region_kind_from_key      (const char    *key,
                                                DermRegionKind *out);

/* Translated names the UI offers first: "Forehead", "Left cheek", "Right
 * cheek", "Chin", "Nose"; NULL-terminated, static. Any other text is a
 * valid name too. */
const char * const *derm_region_get_suggested_names (void);

/* Polygons have 3 to this many points */
#define DERM_REGION_MAX_POINTS 256

#define DERM_TYPE_REGION (derm_region_get_type ())
G_DECLARE_FINAL_TYPE (DermRegion, derm_region, DERM, REGION, GObject)

DermRegion     *derm_region_new_rect           (const char    *name,
                                                double         x,
                                                double         y,
                                                double         width,
                                                double         height);
/* @points: x1, y1, x2, y2, ... (@n_points pairs, at least 3) */
DermRegion     *derm_region_new_polygon        (const char    *name,
                                                const double  *points,
                                                guint          n_points);
/* A copy with id 0 (not yet saved) unless @keep_id */
DermRegion     *derm_region_copy               (DermRegion    *self,
                                                gboolean       keep_id);

/* 0 until the store saves it */
gint64          derm_region_get_id             (DermRegion    *self);
void            derm_region_set_id             (DermRegion    *self,
                                                gint64         id);
gint64          derm_region_get_client_id      (DermRegion    *self);
void            derm_region_set_client_id      (DermRegion    *self,
                                                gint64         client_id);
DermPhotoView   derm_region_get_view           (DermRegion    *self);
void            derm_region_set_view           (DermRegion    *self,
                                                DermPhotoView  view);
const char     *derm_region_get_name           (DermRegion    *self);
void            derm_region_set_name           (DermRegion    *self,
                                                const char    *name);
/* SHA-256 of the photo whose pixels the points are in; NULL when unset */
const char     *derm_region_get_frame_sha256   (DermRegion    *self);
void            derm_region_set_frame_sha256   (DermRegion    *self,
                                                const char    *sha256);
DermRegionKind  derm_region_get_kind           (DermRegion    *self);

/* The outline: 4 corners for a rectangle (top-left, clockwise), the
 * vertices of a polygon; x1, y1, x2, y2, ... Borrowed. */
const double   *derm_region_get_points         (DermRegion    *self,
                                                guint         *n_points);
/* A rectangle's x, y, width and height; FALSE for a polygon */
gboolean        derm_region_get_rect           (DermRegion    *self,
                                                double        *x,
                                                double        *y,
                                                double        *width,
                                                double        *height);
/* Replaces the geometry (notifies "points") */
void            derm_region_set_rect           (DermRegion    *self,
                                                double         x,
                                                double         y,
                                                double         width,
                                                double         height);
void            derm_region_set_polygon        (DermRegion    *self,
                                                const double  *points,
                                                guint          n_points);
/* Bounding box, rounded outwards to whole pixels */
void            derm_region_get_bounds         (DermRegion    *self,
                                                int           *x,
                                                int           *y,
                                                int           *width,
                                                int           *height);
/* TRUE when (@x, @y) is inside the outline (for hit-testing in the UI) */
gboolean        derm_region_contains           (DermRegion    *self,
                                                double         x,
                                                double         y);

/* Fills @roi for the imaging library, with every coordinate multiplied by
 * @scale (1.0: the frame's own pixels). A rectangle becomes a DERM_ROI_RECT
 * with its corners rounded to whole pixels, exactly as `dermis-cli
 * --roi` takes it; a polygon a DERM_ROI_POLYGON. The polygon points are
 * written to @points_storage (a GArray of double, cleared first), which
 * must outlive @roi. */
void            derm_region_to_roi             (DermRegion    *self,
                                                double         scale,
                                                GArray        *points_storage,
                                                DermRoi       *roi);
/* The `dermis-cli` option that selects the same pixels:
 * "--roi=x,y,w,h" or "--polygon=x1,y1,..." (round-trip precision). */
char           *derm_region_to_cli_option      (DermRegion    *self);

/* A canonical text of kind and points, and its SHA-256: the region part
 * of the analysis cache key. Name, id and client do not enter it. */
char           *derm_region_dup_geometry       (DermRegion    *self);
char           *derm_region_dup_geometry_hash  (DermRegion    *self);
/* Parses derm_region_dup_geometry() text back into the geometry of @self */
gboolean        derm_region_set_geometry       (DermRegion    *self,
                                                const char    *geometry,
                                                GError       **error);

/* A copy (same id, name, client and view, so saving it updates the same
 * saved region in its new frame) with every point mapped
 * through @h (3x3 row-major, frame-photo pixel -> new-frame pixel) and
 * the frame set to @new_frame_sha256. A rectangle stays a rectangle
 * when @h only scales and translates; otherwise it becomes a polygon. */
DermRegion     *derm_region_map                (DermRegion    *self,
                                                const double   h[9],
                                                const char    *new_frame_sha256);

G_END_DECLS

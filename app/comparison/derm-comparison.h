/* derm-comparison.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A before/after pair of one client's photos, as the comparison views
 * show it: decoded pixels (a reduced decode first, so the first picture
 * is up within 300 ms, then the full images), the after photo aligned onto
 * the before photo (automatically, or by hand through 3-4 matching
 * points), the white balance setting, the regions, and per region the
 * metrics, the a* and difference maps. All decoding, alignment, analysis
 * and map work runs in worker threads (GTask); results and property
 * notifications come back on the main context of the caller of new().
 *
 * The UI reads pixels as plain straight RGBA buffers (GBytes) and turns
 * them into GdkTextures; this layer uses no GTK.
 *
 * Coordinates: regions, the white balance patch and manual points on the
 * before photo are in full-resolution before-photo pixels; manual points
 * on the after photo in full-resolution after-photo pixels. A buffer
 * reports its scale (buffer pixels per full-resolution pixel).
 */
#pragma once

#include <gio/gio.h>

#include "derm-compare-metrics.h"
#include "derm-imaging.h"
#include "derm-photo-library.h"
#include "derm-photo.h"
#include "derm-region.h"

G_BEGIN_DECLS

#define DERM_COMPARISON_ERROR (derm_comparison_error_quark ())
GQuark derm_comparison_error_quark (void);

typedef enum
{
  DERM_COMPARISON_ERROR_DIFFERENT_CLIENTS,  /* the two photos are of different clients */
  DERM_COMPARISON_ERROR_SAME_PHOTO,         /* before and after are the same photo */
  DERM_COMPARISON_ERROR_PHOTO_REMOVED,      /* a photo is in Recently removed or deleted */
  DERM_COMPARISON_ERROR_NOT_READY,          /* the full images are not loaded yet */
  DERM_COMPARISON_ERROR_NOT_ALIGNED,        /* metrics need an aligned pair */
  DERM_COMPARISON_ERROR_ALIGNMENT_REFUSED,  /* the message says why */
  DERM_COMPARISON_ERROR_IMAGING,            /* analysis failed; the message says why */
} DermComparisonError;

/* Where the comparison is; the "state" property. */
typedef enum
{
  DERM_COMPARISON_STATE_LOADING_PREVIEW = 0,  /* nothing to show yet */
  DERM_COMPARISON_STATE_PREVIEW_READY,        /* reduced decodes available */
  DERM_COMPARISON_STATE_LOADING_FULL,         /* reduced shown, full images decoding */
  DERM_COMPARISON_STATE_UNALIGNED,            /* full images, no alignment (not run or cancelled) */
  DERM_COMPARISON_STATE_ALIGNING,             /* automatic or manual alignment running */
  DERM_COMPARISON_STATE_ALIGNED,              /* automatic alignment accepted */
  DERM_COMPARISON_STATE_ALIGNMENT_REFUSED,    /* see the "refused-reason" property */
  DERM_COMPARISON_STATE_MANUAL,               /* aligned by hand from marked points */
  DERM_COMPARISON_STATE_FAILED,               /* a photo could not be decoded; see "error-message" */
  DERM_COMPARISON_STATE_PHOTO_REMOVED,        /* a photo was removed: close with a message */
} DermComparisonState;

#define DERM_TYPE_COMPARISON_STATE (derm_comparison_state_get_type ())
GType derm_comparison_state_get_type (void) G_GNUC_CONST;

typedef enum
{
  DERM_COMPARISON_IMAGE_BEFORE = 0,
  DERM_COMPARISON_IMAGE_AFTER,          /* as taken (the "unaligned original" toggle) */
  DERM_COMPARISON_IMAGE_AFTER_ALIGNED,  /* warped into the before frame; alpha 0 where uncovered */
} DermComparisonImage;

typedef enum
{
  DERM_COMPARISON_MAP_A_STAR_BEFORE = 0,  /* a* of the before photo */
  DERM_COMPARISON_MAP_A_STAR_AFTER,       /* a* of the aligned after photo */
  DERM_COMPARISON_MAP_DIFFERENCE,         /* a* after minus before */
} DermComparisonMapKind;

/* Longer side of the reduced decodes shown first */
#define DERM_COMPARISON_PREVIEW_SIDE 1280

/* A colour map over the before frame (straight RGBA, transparent outside
 * the region and the area both photos cover). */
typedef struct
{
  GBytes        *rgba;
  int            width;
  int            height;
  gsize          stride;
  double         scale;      /* map pixels per before-photo pixel */
  DermMapLegend  legend;     /* values and colours of the scale */
  char          *units;      /* translated: "a* (CIELAB units)" */
  char          *description;/* translated, e.g. "Change in a* (after - before); red: redder, blue: less red, white: within ±2, no clear change" */
} DermComparisonMap;

void derm_comparison_map_free (DermComparisonMap *map);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DermComparisonMap, derm_comparison_map_free)

/* Metrics of one region, with what they were computed with */
typedef struct
{
  DermCompareMetrics  values;
  char               *region_name;     /* NULL: whole photo */
  char               *settings_key;    /* derm_analysis_settings_to_key () */
  char               *settings_label;  /* derm_analysis_settings_describe () */
  gboolean            manual_alignment;
  gboolean            from_cache;      /* TRUE when read from the store's cache */
} DermComparisonMetrics;

void derm_comparison_metrics_free (DermComparisonMetrics *metrics);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DermComparisonMetrics, derm_comparison_metrics_free)

#define DERM_TYPE_COMPARISON (derm_comparison_get_type ())
G_DECLARE_FINAL_TYPE (DermComparison, derm_comparison, DERM, COMPARISON, GObject)

/* Refuses (DERM_COMPARISON_ERROR) photos of different clients, the same
 * photo twice, and photos in Recently removed. Nothing is decoded until
 * derm_comparison_load_async(). The comparison watches both DermPhoto
 * objects: when one is removed (derm_photo_library_remove () on it),
 * the state becomes PHOTO_REMOVED and "photo-removed" is emitted. */
DermComparison   *derm_comparison_new               (DermPhotoLibrary  *library,
                                                     DermPhoto         *before,
                                                     DermPhoto         *after,
                                                     GError           **error);
/* The earliest and the latest active photo of @client_id's @view (by
 * session date, then capture time): what the client page's Compare opens.
 * Fails with DERM_COMPARISON_ERROR_SAME_PHOTO when there are fewer than two. */
DermComparison   *derm_comparison_new_default       (DermPhotoLibrary  *library,
                                                     gint64             client_id,
                                                     DermPhotoView      view,
                                                     GError           **error);
/* The client's active photos of @view (DermPhoto), oldest session first:
 * the strip either photo can be swapped from, and the trend's series. */
GPtrArray        *derm_comparison_list_same_view    (DermPhotoLibrary  *library,
                                                     gint64             client_id,
                                                     DermPhotoView      view,
                                                     GError           **error);

DermPhotoLibrary *derm_comparison_get_library       (DermComparison    *self);
DermPhoto        *derm_comparison_get_before        (DermComparison    *self);
DermPhoto        *derm_comparison_get_after         (DermComparison    *self);
DermComparisonState derm_comparison_get_state       (DermComparison    *self);
/* Work progress 0..1 of the current step (loading, aligning) */
double            derm_comparison_get_progress      (DermComparison    *self);
/* Why alignment was refused (ALIGNMENT_REFUSED), else NULL */
const char       *derm_comparison_get_refused_reason (DermComparison   *self);
/* Why loading failed (FAILED) or which photo was removed, else NULL */
const char       *derm_comparison_get_error_message (DermComparison    *self);

/* Decodes both photos reduced, then full (state LOADING_PREVIEW ->
 * PREVIEW_READY -> LOADING_FULL -> UNALIGNED), and, when @align, aligns
 * them (ALIGNING -> ALIGNED or ALIGNMENT_REFUSED). Cancelling stops at
 * the step it is in: decoded images stay usable, a cancelled alignment
 * leaves UNALIGNED. Finishes TRUE once the last step ran, a refused
 * alignment included; FALSE with G_IO_ERROR_CANCELLED when cancelled or
 * DERM_PHOTO_ERROR when a photo cannot be decoded. */
void              derm_comparison_load_async        (DermComparison    *self,
                                                     gboolean           align,
                                                     GCancellable      *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer           user_data);
gboolean          derm_comparison_load_finish       (DermComparison    *self,
                                                     GAsyncResult      *result,
                                                     GError           **error);

/* Automatic alignment of the full images (after load). FALSE with
 * DERM_COMPARISON_ERROR_ALIGNMENT_REFUSED and the reason when refused
 * (the state is then ALIGNMENT_REFUSED). */
void              derm_comparison_align_async       (DermComparison    *self,
                                                     GCancellable      *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer           user_data);
gboolean          derm_comparison_align_finish      (DermComparison    *self,
                                                     GAsyncResult      *result,
                                                     GError           **error);
/* Aligns by hand through @n_points (3 or 4) matching points, x1, y1, ...
 * in full-resolution pixels of each photo. On success the state becomes
 * MANUAL; refused points (collinear, folding) fail with
 * DERM_COMPARISON_ERROR_ALIGNMENT_REFUSED and keep the previous state. */
void              derm_comparison_align_manual_async (DermComparison   *self,
                                                     const double      *before_points,
                                                     const double      *after_points,
                                                     guint              n_points,
                                                     GCancellable      *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer           user_data);
gboolean          derm_comparison_align_manual_finish (DermComparison  *self,
                                                     GAsyncResult      *result,
                                                     GError           **error);
/* TRUE in ALIGNED and MANUAL; @result (nullable) gets the homography
 * (after pixel -> before pixel), inliers, RMS error and overlap (for a
 * manual alignment: n_inliers = n_matches = number of points). */
gboolean          derm_comparison_get_alignment     (DermComparison    *self,
                                                     DermAlignmentResult *result);

/* Full-resolution size of a photo (the after photo aligned: the before size) */
void              derm_comparison_get_image_size    (DermComparison    *self,
                                                     DermComparisonImage which,
                                                     int               *width,
                                                     int               *height);
/* TRUE once full images (not only the reduced ones) are loaded */
gboolean          derm_comparison_has_full_images   (DermComparison    *self);
gboolean          derm_comparison_has_image         (DermComparison    *self,
                                                     DermComparisonImage which);
/* Straight RGBA pixels of the best decode available (full when loaded,
 * else reduced), area-downscaled so the longer side is at most @max_side
 * (0: as decoded); copies are cached per size, so the UI can build
 * textures for each zoom level once and never re-decode. NULL when the
 * image is not available yet (AFTER_ALIGNED before an alignment). Safe
 * from any thread; at 24 MP call it from a worker. @scale: buffer pixels
 * per full-resolution pixel of that photo. */
GBytes           *derm_comparison_dup_rgba          (DermComparison    *self,
                                                     DermComparisonImage which,
                                                     int                max_side,
                                                     int               *width,
                                                     int               *height,
                                                     gsize             *stride,
                                                     double            *scale);
/* "12 March 2024 · Session 2 · Front": date of the session (else of
 * capture, else of import), session number among the client's sessions,
 * view. Translated. */
char             *derm_comparison_dup_label         (DermComparison    *self,
                                                     DermComparisonImage which);
/* 1-based number of the photo's session among the client's sessions by
 * date; 0 when the photo belongs to no session */
int               derm_comparison_get_session_number (DermComparison   *self,
                                                     DermComparisonImage which);

/* White balance applied to both photos (the "white-balance" property).
 * The patch is in before-photo pixels, which are also the aligned after
 * photo's. */
void              derm_comparison_set_white_balance (DermComparison    *self,
                                                     DermWhiteBalanceMode mode);
DermWhiteBalanceMode derm_comparison_get_white_balance (DermComparison *self);
void              derm_comparison_set_wb_patch      (DermComparison    *self,
                                                     int                x,
                                                     int                y,
                                                     int                width,
                                                     int                height);
/* The colour chart's four outer corners marked by hand on the before photo
 * (x, y in its full-resolution pixels, from next to patch 1 brown, patch 6
 * bluish green, patch 24 black, patch 19 white), mapped into the after photo
 * through the alignment; NULL: found automatically in each photo. Used
 * with DERM_WB_CHART. */
void              derm_comparison_set_chart_corners (DermComparison    *self,
                                                     const double      *corners);
gboolean          derm_comparison_get_chart_corners (DermComparison    *self,
                                                     double             corners[8]);
/* The analysis settings used for metrics and maps */
void              derm_comparison_get_settings      (DermComparison    *self,
                                                     DermAnalysisSettings *settings);

/* The regions (DermRegion, in before-photo pixels) shown on this pair */
GListModel       *derm_comparison_get_regions       (DermComparison    *self);
/* Loads the client's saved regions of the before photo's view. Regions
 * drawn on another photo are mapped onto this before photo through an
 * alignment of that photo onto it (computed in a worker); those that
 * cannot be mapped (alignment refused, photo gone) are skipped and
 * counted in *@n_skipped. Replaces the regions model's contents. */
void              derm_comparison_load_regions_async (DermComparison   *self,
                                                     GCancellable      *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer           user_data);
gboolean          derm_comparison_load_regions_finish (DermComparison  *self,
                                                     GAsyncResult      *result,
                                                     guint             *n_skipped,
                                                     GError           **error);
/* Sets client, view and frame (the before photo) on @region, saves it in
 * the store, and adds it to the model when new. */
gboolean          derm_comparison_save_region       (DermComparison    *self,
                                                     DermRegion        *region,
                                                     GError           **error);
/* Deletes a saved region from the store and the model */
gboolean          derm_comparison_remove_region     (DermComparison    *self,
                                                     DermRegion        *region,
                                                     GError           **error);

/* Metrics of @region (NULL: whole before photo) on the aligned pair with
 * the current settings, from the store's cache when the same photos,
 * alignment, region, settings and algorithm version were analysed
 * before. Needs ALIGNED or MANUAL (else DERM_COMPARISON_ERROR_NOT_ALIGNED). */
void              derm_comparison_compute_metrics_async (DermComparison *self,
                                                     DermRegion        *region,
                                                     GCancellable      *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer           user_data);
DermComparisonMetrics *derm_comparison_compute_metrics_finish (DermComparison *self,
                                                     GAsyncResult      *result,
                                                     GError           **error);
/* Analyses computed (not read from the cache) by this comparison */
guint             derm_comparison_get_n_computed    (DermComparison    *self);

/* A map over @region (NULL: whole photo) computed on the images
 * downscaled to @max_side (0: full resolution). The a* maps need the
 * full images, the difference map and A_STAR_AFTER an alignment. */
void              derm_comparison_compute_map_async (DermComparison    *self,
                                                     DermComparisonMapKind kind,
                                                     DermRegion        *region,
                                                     int                max_side,
                                                     GCancellable      *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer           user_data);
DermComparisonMap *derm_comparison_compute_map_finish (DermComparison  *self,
                                                     GAsyncResult      *result,
                                                     GError           **error);

/* Re-reads both photos' rows: when one was removed through another
 * DermPhoto object (or by dermis-cli), switches to PHOTO_REMOVED and
 * emits "photo-removed". Returns FALSE when a photo is gone. */
gboolean          derm_comparison_check_photos      (DermComparison    *self);

G_END_DECLS

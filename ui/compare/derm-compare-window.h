/* derm-compare-window.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A before/after comparison of one client's photos of the same view: the
 * four views (side by side, wipe, blend, heatmap), the alignment state
 * with cancel and hand alignment, white balance, regions with their
 * metrics, a strip of the client's photos of the view to swap either
 * photo, the trend chart and export as PNG.
 */
#pragma once

#include <adwaita.h>

#include "derm-photo-use.h"

#include "derm-compare-canvas.h"
#include "derm-comparison.h"
#include "derm-metrics-panel.h"

G_BEGIN_DECLS

#define DERM_TYPE_COMPARE_WINDOW (derm_compare_window_get_type ())
G_DECLARE_FINAL_TYPE (DermCompareWindow, derm_compare_window, DERM, COMPARE_WINDOW, AdwWindow)

/* Starts loading and aligning @comparison at once */
GtkWidget         *derm_compare_window_new              (DermComparison    *comparison);
/* NULL with a DERM_COMPARISON_ERROR when the pair cannot be compared
 * (different clients, the same photo, a removed photo) */
GtkWidget         *derm_compare_window_new_for_photos   (DermPhotoLibrary  *library,
                                                         DermPhoto         *before,
                                                         DermPhoto         *after,
                                                         GError           **error);
/* The earliest and the latest photo of @client_id's @view */
GtkWidget         *derm_compare_window_new_default      (DermPhotoLibrary  *library,
                                                         gint64             client_id,
                                                         DermPhotoView      view,
                                                         GError           **error);
/* The view a Compare button opens: @preferred when the client has two
 * photos of it, else the first view that has; FALSE when none has */
gboolean           derm_compare_window_find_default_view (DermPhotoLibrary *library,
                                                         gint64             client_id,
                                                         DermPhotoView      preferred,
                                                         DermPhotoView     *view);
/* Opens and presents a comparison, or tells the user in a dialog over
 * @parent why it cannot be opened (and returns NULL) */
GtkWidget         *derm_compare_window_open             (GtkWindow         *parent,
                                                         DermPhotoLibrary  *library,
                                                         DermPhoto         *before,
                                                         DermPhoto         *after);
GtkWidget         *derm_compare_window_open_default     (GtkWindow         *parent,
                                                         DermPhotoLibrary  *library,
                                                         gint64             client_id,
                                                         DermPhotoView      view);

DermComparison    *derm_compare_window_get_comparison   (DermCompareWindow *self);
DermCompareCanvas *derm_compare_window_get_canvas       (DermCompareWindow *self);
DermMetricsPanel  *derm_compare_window_get_metrics_panel (DermCompareWindow *self);
/* The client's photos of the view (DermPhoto) the strip offers */
GListModel        *derm_compare_window_get_strip        (DermCompareWindow *self);
/* The alignment state line, as shown */
const char        *derm_compare_window_get_status       (DermCompareWindow *self);
/* NULL: the whole photo */
DermRegion        *derm_compare_window_get_selected_region (DermCompareWindow *self);
void               derm_compare_window_select_region    (DermCompareWindow *self,
                                                         DermRegion        *region);
/* TRUE while photos load or align, or metrics, a map, regions or an
 * export are being made */
gboolean           derm_compare_window_get_busy         (DermCompareWindow *self);
/* Writes the comparison as shown to @file (PNG) in a worker, as Export…
 * does after its file chooser (whose "For" choice is @use); asks first
 * when either photo's photo-use consent does not cover @use */
void               derm_compare_window_export_to_file   (DermCompareWindow *self,
                                                         GFile             *file,
                                                         DermPhotoUse       use);
/* The file name Export… suggests: the client, the view and both dates,
 * "Zoë Müller, Front, 2026-01-05 to 2026-03-05.png" */
char              *derm_compare_window_dup_export_name  (DermCompareWindow *self);

G_END_DECLS

/* derm-photo-viewer.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One photo at full resolution: zoom to fit or 100 %, Ctrl+scroll and
 * pinch to zoom, drag to pan; how it is filed (session, view, area);
 * remove it (to Recently removed) or restore it.
 */
#pragma once

#include <adwaita.h>

#include "derm-photo-library.h"

G_BEGIN_DECLS

#define DERM_TYPE_PHOTO_VIEWER (derm_photo_viewer_get_type ())
G_DECLARE_FINAL_TYPE (DermPhotoViewer, derm_photo_viewer, DERM, PHOTO_VIEWER, AdwWindow)

GtkWidget *derm_photo_viewer_new       (DermPhotoLibrary *library,
                                        DermPhoto        *photo);
DermPhoto *derm_photo_viewer_get_photo (DermPhotoViewer  *self);
/* TRUE once the full-resolution picture is shown */
gboolean   derm_photo_viewer_get_loaded (DermPhotoViewer *self);
/* 0 fits the photo in the window; 1 is 100 % */
double     derm_photo_viewer_get_zoom  (DermPhotoViewer  *self);
void       derm_photo_viewer_set_zoom  (DermPhotoViewer  *self,
                                        double            zoom);

G_END_DECLS

/* derm-photo-gallery.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A client's photos on the client page: a section per session (a
 * heading, then its thumbnails), a view filter (and Recently removed), import by
 * file chooser or drag and drop with progress and cancel, a viewer.
 */
#pragma once

#include <adwaita.h>

#include "derm-photo-library.h"
#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_PHOTO_GALLERY (derm_photo_gallery_get_type ())
G_DECLARE_FINAL_TYPE (DermPhotoGallery, derm_photo_gallery, DERM, PHOTO_GALLERY, AdwBin)

/* @thumbnailer: NULL for the default cache */
GtkWidget        *derm_photo_gallery_new          (DermStore        *store,
                                                   DermThumbnailer  *thumbnailer);
DermPhotoLibrary *derm_photo_gallery_get_library  (DermPhotoGallery *self);
/* 0 empties the gallery */
void              derm_photo_gallery_set_client_id (DermPhotoGallery *self,
                                                   gint64            client_id);
gint64            derm_photo_gallery_get_client_id (DermPhotoGallery *self);
/* Re-reads the client's photos from the store */
/* Reads the client's photos again on the store's worker; the list shown
 * changes ("photos-changed") when they are here */
void              derm_photo_gallery_reload       (DermPhotoGallery *self);
/* TRUE while a reload is on the store's worker */
gboolean          derm_photo_gallery_get_reloading (DermPhotoGallery *self);
/* Imports files and folders in the background, each photo under the
 * session of its capture day (none without one), view Other */
void              derm_photo_gallery_import       (DermPhotoGallery *self,
                                                   GFile           **files,
                                                   guint             n_files);
/* What Add Photos…, Add Folder… and a drop do: the Add Photos dialog
 * (derm-photo-import-dialog.h) for @files, which is returned (NULL when
 * nothing can be imported now, the reason told); its Import imports in
 * the background with the gallery's progress and cancel */
GtkWidget        *derm_photo_gallery_choose_import (DermPhotoGallery *self,
                                                   GFile           **files,
                                                   guint             n_files);
/* The sections shown, in session order (newest first, "No session"
 * last): each item is a GListModel of one session's DermPhoto objects
 * that pass the chosen view; sessions left with none are not listed */
GListModel       *derm_photo_gallery_get_sections (DermPhotoGallery *self);
/* Thumbnails still being made or loaded for visible tiles */
guint             derm_photo_gallery_get_n_loading (DermPhotoGallery *self);
/* Opens @photo in a viewer window, which is returned */
GtkWidget        *derm_photo_gallery_open_photo   (DermPhotoGallery *self,
                                                   DermPhoto        *photo);
/* Ctrl+click: the first call remembers @photo, the second opens the
 * comparison of the two (the earlier one before) and returns its window,
 * or NULL when it cannot be opened (the user is told why) */
GtkWidget        *derm_photo_gallery_pick_for_comparison (DermPhotoGallery *self,
                                                   DermPhoto        *photo);

G_END_DECLS

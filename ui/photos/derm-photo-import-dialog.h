/* derm-photo-import-dialog.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Add Photos: before a batch of photos is imported, the practitioner
 * chooses the session, view and area for every photo (the session by
 * capture date to start with), and can change any single photo. A photo
 * without a capture date needs its session chosen (or No session):
 * Import stays insensitive until then, so no photo lands in "No
 * session" unseen. The files are looked at (folders expanded, capture
 * dates read, no decoding) off the main thread; Import hands the items
 * to the caller ("import"), which imports them with progress and cancel.
 */
#pragma once

#include <adwaita.h>

#include "derm-photo-library.h"

G_BEGIN_DECLS

#define DERM_TYPE_PHOTO_IMPORT_DIALOG (derm_photo_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DermPhotoImportDialog, derm_photo_import_dialog, DERM, PHOTO_IMPORT_DIALOG, AdwWindow)

/* Looks at @files for @client_id's photos on a worker ("scanning" is TRUE until then) */
DermPhotoImportDialog *derm_photo_import_dialog_new         (GtkWindow             *parent,
                                                             DermPhotoLibrary      *library,
                                                             gint64                 client_id,
                                                             GFile                **files,
                                                             guint                  n_files);
gboolean               derm_photo_import_dialog_get_scanning (DermPhotoImportDialog *self);
/* The DermPhotoImportItem of each photo found */
GListModel            *derm_photo_import_dialog_get_items    (DermPhotoImportDialog *self);
/* The session choices, in the menus' order: DERM_PHOTO_SUGGEST_SESSION
 * (by capture date), the client's sessions, newest first, then 0 (no session) */
GArray                *derm_photo_import_dialog_get_sessions (DermPhotoImportDialog *self);
/* What the dialog says above the photos */
const char            *derm_photo_import_dialog_get_status   (DermPhotoImportDialog *self);

G_END_DECLS

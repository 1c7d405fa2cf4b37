/* derm-photo-import-item.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One file of a photo import and where it goes, chosen before anything
 * is imported: its capture date (from the file, when it has one), the
 * client's session of that day, and the session, view and area the
 * practitioner chose for it (for the whole batch, then per photo).
 * derm_photo_library_scan() makes them, derm_photo_library_import_items_async()
 * imports them.
 */
#pragma once

#include <gio/gio.h>

#include "derm-photo.h"
#include "derm-photo-library.h"

G_BEGIN_DECLS

#define DERM_TYPE_PHOTO_IMPORT_ITEM (derm_photo_import_item_get_type ())
G_DECLARE_FINAL_TYPE (DermPhotoImportItem, derm_photo_import_item, DERM, PHOTO_IMPORT_ITEM, GObject)

DermPhotoImportItem *derm_photo_import_item_new        (GFile               *file);
GFile         *derm_photo_import_item_get_file         (DermPhotoImportItem *self);
/* The file's name, for people */
const char    *derm_photo_import_item_get_name         (DermPhotoImportItem *self);
/* "YYYY-MM-DDTHH:MM:SS" from the file's metadata, or NULL */
const char    *derm_photo_import_item_get_captured_at  (DermPhotoImportItem *self);
void           derm_photo_import_item_set_captured_at  (DermPhotoImportItem *self,
                                                        const char          *captured_at);
/* The client's session of the capture day, 0 for none */
gint64         derm_photo_import_item_get_suggested_session (DermPhotoImportItem *self);
void           derm_photo_import_item_set_suggested_session (DermPhotoImportItem *self,
                                                             gint64               treatment_id);
/* DERM_PHOTO_SUGGEST_SESSION (the default: the session of the capture
 * day), 0 for no session, or a session id ("session") */
gint64         derm_photo_import_item_get_session      (DermPhotoImportItem *self);
void           derm_photo_import_item_set_session      (DermPhotoImportItem *self,
                                                        gint64               treatment_id);
DermPhotoView  derm_photo_import_item_get_view         (DermPhotoImportItem *self);
void           derm_photo_import_item_set_view         (DermPhotoImportItem *self,
                                                        DermPhotoView        view);
const char    *derm_photo_import_item_get_area         (DermPhotoImportItem *self);
void           derm_photo_import_item_set_area         (DermPhotoImportItem *self,
                                                        const char          *area);
/* TRUE when the session is left to the capture date and the file has
 * none: the practitioner must choose one, or No session, rather than
 * the photo landing there silently ("needs-session") */
gboolean       derm_photo_import_item_get_needs_session (DermPhotoImportItem *self);
/* The options to import it with; the area is borrowed from @self */
void           derm_photo_import_item_get_options      (DermPhotoImportItem    *self,
                                                        DermPhotoImportOptions *options);

G_END_DECLS

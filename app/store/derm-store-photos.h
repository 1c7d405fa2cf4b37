/* derm-store-photos.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The photo rows of DermStore (one class split across files, see
 * derm-store-private.h). A row names its original by SHA-256; the files
 * themselves are written by the photo library (derm-photo-library.h)
 * before their row commits, so every row points at a complete file.
 */
#pragma once

#include "derm-photo.h"
#include "derm-store.h"

G_BEGIN_DECLS

typedef enum
{
  DERM_PHOTO_LIST_ACTIVE,   /* not in Recently removed */
  DERM_PHOTO_LIST_REMOVED,  /* only Recently removed */
  DERM_PHOTO_LIST_ALL,
} DermPhotoListKind;

/* Adds @photo (id 0) and sets its id and imported-at. Fails with
 * DERM_PHOTO_ERROR_DUPLICATE when the client already has a photo with the
 * same sha256, with DERM_PHOTO_ERROR_NOT_FOUND when @required_file (when
 * not NULL) does not exist at the moment the row would commit, and with
 * DERM_VALIDATION_ERROR when the session is not one of the client's. */
gboolean      derm_store_add_photo              (DermStore      *self,
                                                 DermPhoto      *photo,
                                                 const char     *required_file,
                                                 GError        **error);
DermPhoto    *derm_store_get_photo              (DermStore      *self,
                                                 gint64          id,
                                                 GError        **error);
/* NULL without error when the client has no photo with that hash */
DermPhoto    *derm_store_find_photo             (DermStore      *self,
                                                 gint64          client_id,
                                                 const char     *sha256,
                                                 GError        **error);
/* DermPhoto objects with their session date filled in, newest session
 * first, photos without a session last, then by capture time and id.
 * @client_id 0 lists every client's photos. */
GPtrArray    *derm_store_list_photos            (DermStore      *self,
                                                 gint64          client_id,
                                                 DermPhotoListKind kind,
                                                 GError        **error);
/* Saves how the photo is filed: session, view and area */
gboolean      derm_store_update_photo           (DermStore      *self,
                                                 DermPhoto      *photo,
                                                 GError        **error);
/* Moves a photo to Recently removed, or back */
gboolean      derm_store_set_photo_removed      (DermStore      *self,
                                                 gint64          id,
                                                 gboolean        removed,
                                                 GError        **error);
/* Deletes the rows of the client's Recently removed photos (every
 * client's with @client_id 0). Returns the sha256 of the originals no
 * row refers to any more (char *), for the library to erase. */
GPtrArray    *derm_store_purge_removed_photos   (DermStore      *self,
                                                 gint64          client_id,
                                                 GError        **error);
/* Every sha256 any row refers to, as a set (char * -> NULL) */
GHashTable   *derm_store_dup_photo_hashes       (DermStore      *self,
                                                 GError        **error);
/* Unlinks @path, inside a write transaction, only if no row refers to
 * @sha256, so that an import of the same content cannot commit a row
 * for a file that is being erased. *@deleted tells whether it did. */
gboolean      derm_store_unlink_unreferenced    (DermStore      *self,
                                                 const char     *sha256,
                                                 const char     *path,
                                                 gboolean       *deleted,
                                                 GError        **error);
/* The client's session on the day of @captured_at ("YYYY-MM-DD..."),
 * else the nearest within a day; 0 when there is none */
gint64        derm_store_suggest_treatment      (DermStore      *self,
                                                 gint64          client_id,
                                                 const char     *captured_at,
                                                 GError        **error);

/* Photo-use consent (derm-photo-use.h). @own FALSE: the photo follows
 * its client's consent again. */
gboolean      derm_store_set_photo_use          (DermStore      *self,
                                                 gint64          photo_id,
                                                 gboolean        own,
                                                 DermPhotoUse    use,
                                                 GError        **error);
gboolean      derm_store_set_client_photo_use   (DermStore      *self,
                                                 gint64          client_id,
                                                 DermPhotoUse    use,
                                                 GError        **error);
gboolean      derm_store_get_client_photo_use   (DermStore      *self,
                                                 gint64          client_id,
                                                 DermPhotoUse   *use,
                                                 GError        **error);
/* The client's consent and who recorded it when (the latest audit entry
 * of the change: the user's login name and Unix seconds), or 0 and NULL
 * when it was never changed from the default */
gboolean      derm_store_get_client_photo_use_record (DermStore   *self,
                                                 gint64          client_id,
                                                 DermPhotoUse   *use,
                                                 gint64         *recorded_at,
                                                 char          **recorded_by,
                                                 GError        **error);
/* One "override-photo-use" audit entry per photo id (gint64) of
 * @photo_ids, its fields "use=USE; export=WHAT"; one transaction. Use
 * derm_photo_use_check_export() rather than this. */
gboolean      derm_store_audit_photo_use_override (DermStore    *self,
                                                 GArray         *photo_ids,
                                                 DermPhotoUse    use,
                                                 const char     *what,
                                                 GError        **error);

G_END_DECLS

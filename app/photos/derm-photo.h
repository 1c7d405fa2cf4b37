/* derm-photo.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One photo of a client: which stored original it is (by SHA-256), what
 * its metadata said when it was imported, and how the practitioner filed
 * it (session, view, area). The original itself lives in the photo
 * library (derm-photo-library.h), never in this object.
 */
#pragma once

#include <glib-object.h>

#include "derm-photo-use.h"
#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_PHOTO_ERROR (derm_photo_error_quark ())
GQuark derm_photo_error_quark (void);

typedef enum
{
  DERM_PHOTO_ERROR_UNSUPPORTED,  /* not a JPEG, PNG, TIFF or HEIC/HEIF image */
  DERM_PHOTO_ERROR_CORRUPT,      /* an image that cannot be decoded */
  DERM_PHOTO_ERROR_TOO_LARGE,    /* over the pixel or file size limit */
  DERM_PHOTO_ERROR_TOO_SMALL,    /* too small to be a clinical photo */
  DERM_PHOTO_ERROR_DUPLICATE,    /* already in this client's photos */
  DERM_PHOTO_ERROR_NOT_FOUND,    /* the file or the stored original is missing */
  DERM_PHOTO_ERROR_MISMATCH,     /* a stored original no longer matches its hash */
  DERM_PHOTO_ERROR_IO,           /* reading or writing failed */
  DERM_PHOTO_ERROR_BUSY,         /* another import is running */
  DERM_PHOTO_ERROR_NOT_CONSENTED, /* the photo-use consent does not cover an export's use */
} DermPhotoError;

typedef enum
{
  DERM_PHOTO_VIEW_FRONT = 0,
  DERM_PHOTO_VIEW_LEFT_45,
  DERM_PHOTO_VIEW_RIGHT_45,
  DERM_PHOTO_VIEW_LEFT_90,
  DERM_PHOTO_VIEW_RIGHT_90,
  DERM_PHOTO_VIEW_CLOSE_UP,
  DERM_PHOTO_VIEW_OTHER,
} DermPhotoView;

#define DERM_N_PHOTO_VIEWS 7

#define DERM_TYPE_PHOTO_VIEW (derm_photo_view_get_type ())
GType          derm_photo_view_get_type   (void) G_GNUC_CONST;
/* "front", "left-45", "right-45", "left-90", "right-90", "close-up", "other" */
const char    *derm_photo_view_to_key     (DermPhotoView  view);
const char    *derm_photo_view_to_label   (DermPhotoView  view);
gboolean       derm_photo_view_from_key   (const char    *key,
                                           DermPhotoView *out);

#define DERM_TYPE_PHOTO (derm_photo_get_type ())
G_DECLARE_FINAL_TYPE (DermPhoto, derm_photo, DERM, PHOTO, GObject)

DermPhoto     *derm_photo_new                (void);
DermPhoto     *derm_photo_copy               (DermPhoto     *self);

gint64         derm_photo_get_id             (DermPhoto     *self);
void           derm_photo_set_id             (DermPhoto     *self,
                                              gint64         id);
gint64         derm_photo_get_client_id      (DermPhoto     *self);
void           derm_photo_set_client_id      (DermPhoto     *self,
                                              gint64         client_id);
/* 0 when the photo belongs to no session */
gint64         derm_photo_get_treatment_id   (DermPhoto     *self);
void           derm_photo_set_treatment_id   (DermPhoto     *self,
                                              gint64         treatment_id);
/* ISO date of the session, filled in by the store's listings; NULL for none */
const char    *derm_photo_get_session_date   (DermPhoto     *self);
void           derm_photo_set_session_date   (DermPhoto     *self,
                                              const char    *date);
/* 64 lower-case hex digits */
const char    *derm_photo_get_sha256         (DermPhoto     *self);
void           derm_photo_set_sha256         (DermPhoto     *self,
                                              const char    *sha256);
const char    *derm_photo_get_original_name  (DermPhoto     *self);
void           derm_photo_set_original_name  (DermPhoto     *self,
                                              const char    *name);
/* "image/jpeg", "image/png", "image/tiff", "image/heic" */
const char    *derm_photo_get_mime_type      (DermPhoto     *self);
void           derm_photo_set_mime_type      (DermPhoto     *self,
                                              const char    *mime_type);
/* As displayed, that is with the orientation applied */
int            derm_photo_get_width          (DermPhoto     *self);
int            derm_photo_get_height         (DermPhoto     *self);
void           derm_photo_set_size           (DermPhoto     *self,
                                              int            width,
                                              int            height);
/* EXIF orientation of the original, 1-8 */
int            derm_photo_get_orientation    (DermPhoto     *self);
void           derm_photo_set_orientation    (DermPhoto     *self,
                                              int            orientation);
/* Camera local time "YYYY-MM-DDTHH:MM:SS", NULL when unknown */
const char    *derm_photo_get_captured_at    (DermPhoto     *self);
void           derm_photo_set_captured_at    (DermPhoto     *self,
                                              const char    *captured_at);
const char    *derm_photo_get_camera_make    (DermPhoto     *self);
void           derm_photo_set_camera_make    (DermPhoto     *self,
                                              const char    *make);
const char    *derm_photo_get_camera_model   (DermPhoto     *self);
void           derm_photo_set_camera_model   (DermPhoto     *self,
                                              const char    *model);
DermPhotoView  derm_photo_get_view           (DermPhoto     *self);
void           derm_photo_set_view           (DermPhoto     *self,
                                              DermPhotoView  view);
const char    *derm_photo_get_area           (DermPhoto     *self);
void           derm_photo_set_area           (DermPhoto     *self,
                                              const char    *area);
const char    *derm_photo_get_imported_at    (DermPhoto     *self);
void           derm_photo_set_imported_at    (DermPhoto     *self,
                                              const char    *timestamp);
/* NULL unless the photo is in Recently removed */
const char    *derm_photo_get_removed_at     (DermPhoto     *self);
void           derm_photo_set_removed_at     (DermPhoto     *self,
                                              const char    *timestamp);

/* "Camera make model", without the make repeated when the model starts
 * with it (as many cameras write it); NULL when neither is known */
/* The photo-use consent that applies: the photo's own when
 * derm_photo_get_use_is_own(), else its client's */
DermPhotoUse   derm_photo_get_use            (DermPhoto     *self);
gboolean       derm_photo_get_use_is_own     (DermPhoto     *self);
void           derm_photo_set_use            (DermPhoto     *self,
                                              DermPhotoUse   use,
                                              gboolean       own);
char          *derm_photo_dup_camera         (DermPhoto     *self);

G_END_DECLS

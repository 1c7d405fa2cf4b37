/* derm-photo-use.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a client agreed their photos may be used for, per client or per
 * photo: the clinical record only, also education (teaching other
 * practitioners), or also marketing (the clinic's own advertising). Each
 * level includes the ones before it. A photo without its own consent
 * follows its client's.
 *
 * Every export of a stored photo (photo export, comparison export, the
 * progress report) names the use it is for and asks
 * derm_photo_use_check_export() first: a photo whose consent does not
 * cover the use is refused unless the user overrides, and each override
 * is written to the audit log.
 */
#pragma once

#include <glib-object.h>

#include "derm-types.h"

G_BEGIN_DECLS

typedef enum
{
  DERM_PHOTO_USE_CLINICAL = 0,  /* the clinical record only */
  DERM_PHOTO_USE_EDUCATION,     /* also teaching and training */
  DERM_PHOTO_USE_MARKETING,     /* also the clinic's advertising */
} DermPhotoUse;

#define DERM_N_PHOTO_USES 3

/* "clinical", "education", "marketing" */
const char *derm_photo_use_to_key     (DermPhotoUse  use);
gboolean    derm_photo_use_from_key   (const char   *key,
                                       DermPhotoUse *use);
/* What a consent allows, for the user: "Clinical record only" */
const char *derm_photo_use_to_label   (DermPhotoUse  use);
/* What an export is for, for the user: "marketing" */
const char *derm_photo_use_to_purpose (DermPhotoUse  use);

/* Whether a photo whose consent is @consent may be used for @use */
gboolean    derm_photo_use_allows     (DermPhotoUse  consent,
                                       DermPhotoUse  use);

/* The photos (DermPhoto) of @photos whose consent does not cover @use,
 * in order; empty when every one is covered */
GPtrArray  *derm_photo_use_uncovered  (GPtrArray    *photos,
                                       DermPhotoUse  use);

/* One line for the user about @uncovered (from derm_photo_use_uncovered(),
 * not empty): "Photo 12's consent covers the clinical record only, not
 * marketing." or "3 photos' consent does not cover marketing." */
char       *derm_photo_use_describe   (GPtrArray    *uncovered,
                                       DermPhotoUse  use);

/* The one check before an export of stored photos for @use. When every
 * photo of @photos is covered: TRUE, nothing written. When one is not:
 * without @override, FALSE with DERM_PHOTO_ERROR_NOT_CONSENTED (the
 * message of derm_photo_use_describe() and what to do); with @override,
 * one "override-photo-use" audit entry per uncovered photo naming the use
 * and @what ("photo-export", "comparison-export", "report"), then TRUE.
 * Any thread. */
gboolean    derm_photo_use_check_export (DermStore    *store,
                                         GPtrArray    *photos,
                                         DermPhotoUse  use,
                                         gboolean      override,
                                         const char   *what,
                                         GError      **error);

G_END_DECLS

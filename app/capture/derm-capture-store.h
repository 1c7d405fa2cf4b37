/* derm-capture-store.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the capture window's photos come from and go: the baseline photo
 * of a view, and a kept shot filed through the photo import
 * (derm_photo_library_import_file ()), like any imported photo:
 * content-addressed by SHA-256, checked, never half-written.
 */
#pragma once

#include "derm-camera.h"
#include "derm-imaging.h"
#include "derm-photo-library.h"
#include "derm-photo.h"
#include "derm-store.h"

G_BEGIN_DECLS

/* The baseline of @client_id's @view: its photo of that view in the
 * earliest session that has one (not in Recently removed), or NULL
 * without @error when there is none. Any thread. */
DermPhoto *derm_capture_find_baseline (DermStore         *store,
                                       gint64             client_id,
                                       DermPhotoView      view,
                                       GError           **error);
/* A copy of @frame's pixels */
DermImage *derm_capture_frame_to_image (DermCameraFrame   *frame);
/* Imports @shot for @client_id as a JPEG (quality 95) filed under
 * @treatment_id (0: none), @view and @area (nullable). The JPEG is written
 * to a private temporary file first and removed once imported. Any
 * thread. */
DermPhoto *derm_capture_store_shot    (DermPhotoLibrary  *library,
                                       gint64             client_id,
                                       gint64             treatment_id,
                                       DermPhotoView      view,
                                       const char        *area,
                                       const DermImage   *shot,
                                       GCancellable      *cancellable,
                                       GError           **error);

G_END_DECLS

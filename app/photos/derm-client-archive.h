/* derm-client-archive.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A client's whole record, for the client to take away: one ZIP archive
 * holding record.json (the client, every screening, session, photo and
 * appointment, in the JSON of derm-json.h and dermis-cli) and every
 * original photo as it was imported. Written like every export
 * (derm-export-file.h): never over a file unless @overwrite, never into
 * the data folder, renamed into place when complete.
 */
#pragma once

#include "derm-photo-library.h"

G_BEGIN_DECLS

gboolean derm_client_archive_export (DermPhotoLibrary  *library,
                                     gint64             client_id,
                                     const char        *dest,
                                     gboolean           overwrite,
                                     guint             *n_photos,
                                     GError           **error);

G_END_DECLS

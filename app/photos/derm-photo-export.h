/* derm-photo-export.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A copy of an original for someone outside the clinic, without where it
 * was taken: Exif GPS, XMP (GPS and location fields), IPTC, every APP1
 * segment but the one Exif block kept (so orientation and date stay),
 * Photoshop (APP13) blocks, multi-picture (MPF) images and anything after
 * the end of the image; in PNG every text, eXIf and unknown ancillary
 * chunk. The copy is written under a temporary name in the destination
 * folder (derm-export-file.h), checked again, and renamed only when no
 * location is left. A HEIF file is exported as it is when it carries no
 * location, and refused when it does.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean derm_photo_export_without_location (const char  *original,
                                             const char  *dest,
                                             const char  *data_dir,
                                             gboolean     overwrite,
                                             GError     **error);

/* TRUE when the file at @path carries no location this module knows of */
gboolean derm_photo_file_is_location_free   (const char  *path);

G_END_DECLS

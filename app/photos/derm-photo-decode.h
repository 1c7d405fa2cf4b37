/* derm-photo-decode.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading a photo file of any format the practitioner may bring: JPEG
 * and PNG through the imaging library, TIFF through libtiff and
 * HEIC/HEIF through libheif (both decoded to RGB and handed to the
 * imaging library), and the metadata that matters to the clinic (capture
 * time, camera, orientation) through gexiv2. Plain functions, safe to
 * call from any thread.
 */
#pragma once

#include <glib.h>

#include "derm-imaging.h"

G_BEGIN_DECLS

typedef enum
{
  DERM_PHOTO_FORMAT_UNKNOWN = 0,
  DERM_PHOTO_FORMAT_JPEG,
  DERM_PHOTO_FORMAT_PNG,
  DERM_PHOTO_FORMAT_TIFF,
  DERM_PHOTO_FORMAT_HEIF,
} DermPhotoFormat;

/* Files larger than this are refused before they are read or copied */
#define DERM_PHOTO_MAX_FILE_SIZE ((guint64) DERM_IMAGING_MAX_FILE_SIZE)

/* From the first bytes of a file (at least 12 are needed for HEIF) */
DermPhotoFormat  derm_photo_format_sniff      (const guint8    *head,
                                               gsize            length);
DermPhotoFormat  derm_photo_format_sniff_file (const char      *path);
/* Opens @path to read a photo, and refuses, before reading more than its
 * first bytes: a folder, anything that is not a regular file (a FIFO is
 * not waited on, a device not read), a file over DERM_PHOTO_MAX_FILE_SIZE,
 * an empty file, and one whose first bytes are not a JPEG, PNG, TIFF or
 * HEIC/HEIF. Returns the descriptor, at offset 0, with the sniffed format
 * and the size; -1 with @error (DERM_PHOTO_ERROR) otherwise. */
int              derm_photo_open              (const char       *path,
                                               DermPhotoFormat  *format,
                                               guint64          *size,
                                               GError          **error);
/* "image/jpeg", "image/png", "image/tiff", "image/heic"; NULL for unknown */
const char      *derm_photo_format_to_mime    (DermPhotoFormat  format);
DermPhotoFormat  derm_photo_format_from_mime  (const char      *mime_type);
/* File name extensions a folder import picks up, case-insensitively */
gboolean         derm_photo_format_has_known_extension (const char *name);

/* Decodes @path (upright: the orientation is applied) to an image whose
 * longer side is at most @max_side (0: full resolution): the one decode
 * path of the app and dermis-cli. The file is opened with
 * derm_photo_open(); its first bytes decide the format (@format is only a
 * hint). @full_width and @full_height (nullable) get the upright
 * full-resolution size from the decoder. Errors are in DERM_PHOTO_ERROR
 * and say what is wrong with the file. */
DermImage       *derm_photo_decode_file       (const char      *path,
                                               DermPhotoFormat  format,
                                               int              max_side,
                                               int             *full_width,
                                               int             *full_height,
                                               GError         **error);

typedef struct
{
  int   orientation;     /* EXIF orientation 1-8 (1 when absent) */
  int   width, height;   /* as stored, before orientation; 0 when unknown */
  char *captured_at;     /* "YYYY-MM-DDTHH:MM:SS" camera local time, or NULL */
  char *camera_make;
  char *camera_model;
} DermPhotoMetadata;

/* Never fails: a file without metadata gives orientation 1 and NULLs */
void             derm_photo_read_metadata     (const char        *path,
                                               DermPhotoFormat    format,
                                               DermPhotoMetadata *metadata);
void             derm_photo_metadata_clear    (DermPhotoMetadata *metadata);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DermPhotoMetadata, derm_photo_metadata_clear)

G_END_DECLS

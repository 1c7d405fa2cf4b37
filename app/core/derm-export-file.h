/* derm-export-file.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How every export (a photo, a comparison, a chart, a calendar, a
 * client's record) reaches its destination: never over an existing file
 * unless asked, never inside the data folder, written under a temporary
 * name in the destination folder and renamed only when complete, with
 * the mode the user's umask gives a new file. A killed export leaves at
 * most a hidden temporary file, never a half-written or unfiltered one
 * under the name the user asked for.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DERM_EXPORT_ERROR (derm_export_error_quark ())
GQuark derm_export_error_quark (void);

typedef enum
{
  DERM_EXPORT_ERROR_EXISTS,       /* the destination exists and overwriting was not asked for */
  DERM_EXPORT_ERROR_IN_DATA_DIR,  /* the destination is inside the data folder */
  DERM_EXPORT_ERROR_INVALID,      /* the destination is a folder, a symbolic link or another
                                   * file that is not a regular one, or its folder is missing */
  DERM_EXPORT_ERROR_IO,           /* writing failed; nothing is left at the destination */
} DermExportError;

typedef struct _DermExportFile DermExportFile;

/* Checks @dest (NULL @data_dir: the default data folder) and creates the
 * temporary file next to it. NULL with an error when @dest is refused. */
DermExportFile *derm_export_file_begin      (const char      *dest,
                                             const char      *data_dir,
                                             gboolean         overwrite,
                                             GError         **error);
/* The temporary file to write, named so that its extension is @dest's
 * (image writers choose the format by it); the file exists, empty */
const char     *derm_export_file_get_temp_path (DermExportFile *self);
/* Moves the temporary file to the destination (refusing, when
 * overwriting was not asked for, a file that appeared meanwhile) with
 * the umask's mode, and frees @self. On failure the temporary file is
 * removed. */
gboolean        derm_export_file_commit     (DermExportFile  *self,
                                             GError         **error);
/* Removes the temporary file and frees @self */
void            derm_export_file_abort      (DermExportFile  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DermExportFile, derm_export_file_abort)

/* Writes @data to the temporary file, then commits (frees @self either way) */
gboolean        derm_export_file_finish     (DermExportFile  *self,
                                             const void      *data,
                                             gsize            length,
                                             GError         **error);

/* begin, write @data, commit */
gboolean        derm_export_file_write      (const char      *dest,
                                             const char      *data_dir,
                                             gboolean         overwrite,
                                             const void      *data,
                                             gsize            length,
                                             GError         **error);

/* TRUE when @path (existing or not) lies inside @data_dir, symbolic
 * links resolved */
gboolean        derm_path_is_inside         (const char      *path,
                                             const char      *data_dir);

G_END_DECLS

/* derm-photo-library.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The originals of every photo, stored byte for byte under
 * <data dir>/photos/ab/abcdef... (content-addressed by SHA-256, so the
 * same file imported for two clients is stored once), and the import
 * pipeline that puts them there without ever losing one:
 *
 *   copy to photos/.tmp/ while hashing, fsync -> check it decodes ->
 *   rename to its final name, fsync the folder -> the database row commits
 *
 * A process killed at any point leaves either a stray temporary file
 * (removed by derm_photo_library_recover()), an original without a row
 * (listed by it for the user to adopt or delete) or a complete import.
 */
#pragma once

#include <gio/gio.h>

#include "derm-photo.h"
#include "derm-thumbnailer.h"
#include "derm-types.h"

G_BEGIN_DECLS

typedef struct
{
  gint64        treatment_id;  /* DERM_PHOTO_SUGGEST_SESSION, 0 for none, or a session id */
  DermPhotoView view;
  const char   *area;          /* nullable */
} DermPhotoImportOptions;

/* Files the photo under the client's session of its capture day, if any */
#define DERM_PHOTO_SUGGEST_SESSION ((gint64) -1)

/* Suggested session, view "other", no area */
void derm_photo_import_options_init (DermPhotoImportOptions *options);

typedef struct
{
  char   *name;    /* the file's name, for the user */
  GError *error;   /* why it was not imported; DERM_PHOTO_ERROR_DUPLICATE for a duplicate */
} DermPhotoImportFailure;

typedef struct
{
  GPtrArray *imported;   /* DermPhoto, in the order the files were given */
  GPtrArray *failures;   /* DermPhotoImportFailure, duplicates included */
  guint      n_files;    /* files found, folders expanded */
  gboolean   cancelled;  /* stopped early; the files before stayed imported */
} DermPhotoImportReport;

void derm_photo_import_report_free (DermPhotoImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DermPhotoImportReport, derm_photo_import_report_free)

typedef enum
{
  DERM_PHOTO_PROBLEM_MISSING,    /* no file for rows that need it */
  DERM_PHOTO_PROBLEM_MISMATCH,   /* the file no longer hashes to its name */
} DermPhotoProblemKind;

typedef struct
{
  DermPhotoProblemKind  kind;
  char                 *sha256;
  char                 *path;
  GArray               *photo_ids;  /* gint64: the rows that refer to it */
} DermPhotoProblem;

void derm_photo_problem_free (DermPhotoProblem *problem);

#define DERM_TYPE_PHOTO_LIBRARY (derm_photo_library_get_type ())
G_DECLARE_FINAL_TYPE (DermPhotoLibrary, derm_photo_library, DERM, PHOTO_LIBRARY, GObject)

/* Originals live under the store's data dir. @thumbnailer: NULL for one
 * on the default cache dir. Progress is notified on the thread-default
 * main context of the caller of new(). */
DermPhotoLibrary *derm_photo_library_new             (DermStore        *store,
                                                      DermThumbnailer  *thumbnailer);
DermStore        *derm_photo_library_get_store       (DermPhotoLibrary *self);
DermThumbnailer  *derm_photo_library_get_thumbnailer (DermPhotoLibrary *self);
const char       *derm_photo_library_get_photos_dir  (DermPhotoLibrary *self);
/* <data dir>/photos/ab/abcdef... */
char             *derm_photo_library_get_original_path (DermPhotoLibrary *self,
                                                      const char       *sha256);

/* Imports one file for @client_id. Any thread. */
DermPhoto        *derm_photo_library_import_file     (DermPhotoLibrary *self,
                                                      gint64            client_id,
                                                      GFile            *file,
                                                      const DermPhotoImportOptions *options,
                                                      GCancellable     *cancellable,
                                                      GError          **error);
/* Imports files and folders (their JPEG, PNG, TIFF and HEIC files, sub
 * folders included) in worker threads. One import at a time per library
 * (else DERM_PHOTO_ERROR_BUSY). Progress: the importing, progress,
 * n-done and n-total properties. */
void              derm_photo_library_import_async    (DermPhotoLibrary *self,
                                                      gint64            client_id,
                                                      GFile           **files,
                                                      guint             n_files,
                                                      const DermPhotoImportOptions *options,
                                                      GCancellable     *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer          user_data);
/* The files an import of @files takes, in order: each file as given, and
 * the JPEG, PNG, TIFF and HEIC files (by name) of each folder, sub folders
 * included, hidden ones skipped, sorted by name. Symlinks are followed,
 * and every file and folder is taken once however many links lead to it,
 * so a link back up the tree ends there. Any thread. */
GPtrArray        *derm_photo_library_collect_files   (GFile           **files,
                                                      guint             n_files,
                                                      GCancellable     *cancellable);
/* Any thread: the files an import of @files takes (as
 * derm_photo_library_collect_files()), each as a DermPhotoImportItem
 * with its capture date and @client_id's session of that day, read from
 * the file's metadata without decoding it. For the import dialog. */
GPtrArray        *derm_photo_library_scan            (DermPhotoLibrary *self,
                                                      gint64            client_id,
                                                      GFile           **files,
                                                      guint             n_files,
                                                      GCancellable     *cancellable);
/* Imports @items (DermPhotoImportItem), each with its own session, view
 * and area, as derm_photo_library_import_async() does (worker threads,
 * progress, cancel, the same report; finish with
 * derm_photo_library_import_finish()). The items are read here, on the
 * calling thread; changing them afterwards changes nothing. */
void              derm_photo_library_import_items_async (DermPhotoLibrary *self,
                                                      gint64            client_id,
                                                      GPtrArray        *items,
                                                      GCancellable     *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer          user_data);
DermPhotoImportReport *derm_photo_library_import_finish (DermPhotoLibrary *self,
                                                      GAsyncResult     *result,
                                                      GError          **error);
gboolean          derm_photo_library_get_importing   (DermPhotoLibrary *self);
double            derm_photo_library_get_progress    (DermPhotoLibrary *self);

/* Recently removed: remove and restore only move the row; files are
 * erased by empty_removed, and only when no other row shares them. */
gboolean          derm_photo_library_remove          (DermPhotoLibrary *self,
                                                      DermPhoto        *photo,
                                                      GError          **error);
gboolean          derm_photo_library_restore         (DermPhotoLibrary *self,
                                                      DermPhoto        *photo,
                                                      GError          **error);
/* @client_id 0: every client's. Returns the number of photos deleted. */
gboolean          derm_photo_library_empty_removed   (DermPhotoLibrary *self,
                                                      gint64            client_id,
                                                      guint            *n_erased_files,
                                                      GError          **error);

/* Start-up recovery: removes temporary files no running import holds and
 * returns the sha256 (char *) of originals that no row refers to, for
 * the user to adopt or delete; nothing is deleted silently. */
GPtrArray        *derm_photo_library_recover         (DermPhotoLibrary *self,
                                                      guint            *n_stray_removed,
                                                      GError          **error);
DermPhoto        *derm_photo_library_adopt_orphan    (DermPhotoLibrary *self,
                                                      const char       *sha256,
                                                      gint64            client_id,
                                                      const DermPhotoImportOptions *options,
                                                      GError          **error);
gboolean          derm_photo_library_delete_orphan   (DermPhotoLibrary *self,
                                                      const char       *sha256,
                                                      GError          **error);

/* Re-hashes every stored original that a row refers to. Returns the
 * problems found (DermPhotoProblem), empty when all is well. */
GPtrArray        *derm_photo_library_verify          (DermPhotoLibrary *self,
                                                      GCancellable     *cancellable,
                                                      guint            *n_checked,
                                                      GError          **error);

/* SHA-256 of the file at @path, as hex; NULL with @error when unreadable */
char             *derm_photo_library_hash_file       (const char       *path,
                                                      GCancellable     *cancellable,
                                                      GError          **error);
/* Stores @bytes content-addressed beside the originals, by the import's
 * steps (a locked temporary file, fsync, rename to its SHA-256 name, read
 * only, fsync of the folder); returns the SHA-256 and, in @path_out, the
 * stored file's path. A row that refers to it must commit afterwards
 * (signed consent forms: derm-store-consent.h), or the file is an orphan
 * that derm_photo_library_recover() lists. */
char             *derm_photo_library_store_bytes     (DermPhotoLibrary *self,
                                                      GBytes           *bytes,
                                                      char            **path_out,
                                                      GError          **error);

/* Copies the original to @dest without location data
 * (derm-photo-export.h): never over an existing file unless @overwrite,
 * never inside the data folder; DERM_EXPORT_ERROR on refusal */
gboolean          derm_photo_library_export          (DermPhotoLibrary *self,
                                                      DermPhoto        *photo,
                                                      const char       *dest,
                                                      gboolean          overwrite,
                                                      GError          **error);

/* Erases the client for good (derm_store_erase_client ()), then the
 * originals and thumbnails (partial ones too) no other client uses */
gboolean          derm_photo_library_erase_client    (DermPhotoLibrary *self,
                                                      gint64            client_id,
                                                      guint            *n_erased_files,
                                                      GError          **error);

G_END_DECLS

/* derm-backup.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backups of the whole data folder to another disk or a network share,
 * taken while Dermis runs. A backup folder holds
 *
 *   DEST/snapshots/20261203T084500Z/dermis.db   a consistent copy (VACUUM INTO)
 *   DEST/snapshots/20261203T084500Z/MANIFEST    SHA-256 and size of every file
 *   DEST/photos/ab/abcdef…                      the originals, shared by all
 *                                               snapshots (content-addressed,
 *                                               so each is copied once)
 *
 * A snapshot is written under snapshots/.tmp-NAME and renamed when every
 * file is on disk, so an interrupted backup never looks complete: it is
 * ignored by verify and restore and cleared by the next backup. The last
 * N snapshots are kept; originals no kept snapshot lists are removed.
 */
#pragma once

#include <gio/gio.h>

#include "derm-store.h"

G_BEGIN_DECLS

#define DERM_BACKUP_ERROR (derm_backup_error_quark ())
GQuark derm_backup_error_quark (void);

typedef enum
{
  DERM_BACKUP_ERROR_INVALID,      /* a destination or target that cannot be used */
  DERM_BACKUP_ERROR_NOT_EMPTY,    /* restore into a folder that holds files */
  DERM_BACKUP_ERROR_NO_SNAPSHOT,  /* no complete backup in the folder */
  DERM_BACKUP_ERROR_DAMAGED,      /* a file does not match its manifest */
  DERM_BACKUP_ERROR_BUSY,         /* another backup writes to the folder */
  DERM_BACKUP_ERROR_IO,
} DermBackupError;

#define DERM_BACKUP_DEFAULT_KEEP 10

typedef struct
{
  char    *snapshot;       /* name of the snapshot written or checked */
  guint    n_snapshots;    /* complete snapshots in the folder (verify: checked) */
  guint    n_photos;       /* originals the snapshot lists */
  guint    n_copied;       /* originals copied this time (create) */
  guint64  bytes_copied;
  guint    n_removed;      /* old snapshots removed (create) */
  guint    n_unfinished;   /* interrupted backups found (verify) or cleared (create) */
} DermBackupReport;

void      derm_backup_report_clear  (DermBackupReport *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DermBackupReport, derm_backup_report_clear)

/* Backs up @store's database and the originals it refers to into @dest
 * (created if missing), keeping the newest @keep snapshots (0: the
 * default). Any thread. */
gboolean  derm_backup_create        (DermStore        *store,
                                     const char       *dest,
                                     guint             keep,
                                     DermBackupReport *report,
                                     GCancellable     *cancellable,
                                     GError          **error);
void      derm_backup_create_async  (DermStore          *store,
                                     const char         *dest,
                                     guint               keep,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
gboolean  derm_backup_create_finish (GAsyncResult      *result,
                                     DermBackupReport  *report,
                                     GError           **error);

/* Checks every complete snapshot in @dest (or only @snapshot): the
 * manifest, the SHA-256 of every file, integrity_check of the database.
 * DERM_BACKUP_ERROR_DAMAGED on the first mismatch, _NO_SNAPSHOT when
 * there is none. */
gboolean  derm_backup_verify        (const char       *dest,
                                     const char       *snapshot,
                                     DermBackupReport *report,
                                     GError          **error);

/* Verifies, then restores the snapshot (NULL: the newest) into the new
 * data folder @data_dir, which must not exist or be empty. The folder
 * appears whole or not at all. */
gboolean  derm_backup_restore       (const char       *dest,
                                     const char       *snapshot,
                                     const char       *data_dir,
                                     DermBackupReport *report,
                                     GError          **error);

/* The complete snapshots in @dest, oldest first (names) */
GPtrArray *derm_backup_list_snapshots (const char     *dest);

/* When the newest complete snapshot in @dest was taken (UTC), or NULL */
GDateTime *derm_backup_last_time      (const char     *dest);

/* derm_backup_last_time() on a worker thread, as reading the folder (a
 * sleeping USB disk, a network share) can take seconds. The result is
 * NULL without an error when @dest holds no backup; @dest not being a
 * folder is G_IO_ERROR_NOT_FOUND. */
void       derm_backup_last_time_async  (const char          *dest,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GDateTime *derm_backup_last_time_finish (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS

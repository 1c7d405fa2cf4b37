/* derm-store-backup.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's part of backups (app/backup/derm-backup.h): a consistent
 * copy of the database taken while Dermis and dermis-cli keep working,
 * and the checks run on such a copy.
 */
#pragma once

#include "derm-store.h"

G_BEGIN_DECLS

/* Writes a consistent, compact copy of the database to @path (which must
 * not exist) with VACUUM INTO: one read transaction, so writers go on */
gboolean   derm_store_snapshot           (DermStore    *self,
                                          const char   *path,
                                          GError      **error);

/* Opens the database file @path read-only (and changes nothing), runs
 * PRAGMA integrity_check, and returns in @photo_hashes (when not NULL)
 * the distinct sha256 of every photo row, sorted. Fails with
 * DERM_STORE_ERROR_CORRUPT or _FOREIGN. */
gboolean   derm_store_check_file         (const char   *path,
                                          GPtrArray   **photo_hashes,
                                          GError      **error);

/* Counts of clients, photos and audit rows, for a restore report */
gboolean   derm_store_count_records      (DermStore    *self,
                                          gint64       *n_clients,
                                          gint64       *n_photos,
                                          GError      **error);

G_END_DECLS

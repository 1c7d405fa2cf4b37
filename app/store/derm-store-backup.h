/* derm-store-backup.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's part of keeping data safe: a consistent copy of the
 * database for backups (app/backup/derm-backup.h) taken while Dermis and
 * dermis-cli keep working, the checks run on such a copy, and erasing a
 * client for good.
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

/* Erases a client for good, in one transaction: their records, screenings,
 * sessions, photo rows, regions, series, appointments and the cached
 * analyses of photos no other client uses; the audit log keeps "erase
 * client N" and nothing personal. Returns the sha256 (char *) of the
 * originals no row refers to any more, for the photo library to erase. */
GPtrArray *derm_store_erase_client       (DermStore    *self,
                                          gint64        id,
                                          GError      **error);

G_END_DECLS

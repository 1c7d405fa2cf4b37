/* derm-db-pg-schema.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's schema on a PostgreSQL server: the same tables as SQLite
 * schema DERM_STORE_SCHEMA_VERSION, plus what a shared server needs
 * (photo and document bytes, row versions, change notifications).
 */
#pragma once

#include "derm-db.h"

G_BEGIN_DECLS

/* Brings the database of @db (a PostgreSQL connection) to
 * DERM_STORE_SCHEMA_VERSION, one transaction per step, holding an
 * advisory lock so two desktops starting together migrate once.
 * Refuses, writing nothing, a database that holds tables but is not a
 * Dermis store (DERM_STORE_ERROR_FOREIGN) and one from a newer Dermis
 * (DERM_STORE_ERROR_TOO_NEW). */
gboolean      derm_db_pg_migrate            (DermDb       *db,
                                             GError      **error);
/* The schema version recorded on the server, 0 for an empty database */
gboolean      derm_db_pg_get_schema_version (DermDb       *db,
                                             int          *version,
                                             GError      **error);

/* Photo and document bytes are cut into chunks of this size */
#define DERM_DB_BLOB_CHUNK_SIZE (1024 * 1024)

/* Inside a write transaction: stores @bytes under @sha256 unless the
 * server has them already; DERM_STORE_ERROR_CORRUPT when @bytes do not
 * hash to @sha256 */
gboolean      derm_db_blob_put              (DermDb       *db,
                                             const char   *sha256,
                                             GBytes       *bytes,
                                             GError      **error);
/* The bytes named @sha256, checked against their name
 * (DERM_STORE_ERROR_CORRUPT when they differ, NOT_FOUND when absent) */
GBytes       *derm_db_blob_get              (DermDb       *db,
                                             const char   *sha256,
                                             GError      **error);

G_END_DECLS

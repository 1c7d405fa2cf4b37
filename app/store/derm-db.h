/* derm-db.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One database connection, SQLite or PostgreSQL, behind one small API:
 * statements written once with SQLite's `?` and `?N` placeholders (turned
 * into $N for PostgreSQL), bind/step/column as in sqlite3, transactions,
 * errors in DERM_STORE_ERROR, and change notifications. It is the seam
 * under the store; only app/store uses it, and the store stays the only
 * place SQL lives.
 *
 * A DermDb is not thread-safe: its owner serialises calls (the store does,
 * with its mutex). Notifications arrive on the GMainContext given to
 * derm_db_listen(), from a connection of their own.
 *
 * Porting the store (next step: the store files still call sqlite3 directly)
 * -------------------------------------------------------------------------
 * 1. DermStore gains `DermDb *db` next to `sqlite3 *db`: for SQLite the
 *    store keeps its careful opening (check_existing_file, quick_check,
 *    known-good record) and wraps the opened handle with
 *    derm_db_new_for_sqlite(); for postgresql:// it calls derm_db_open()
 *    and derm_db_pg_migrate() (derm-db-pg-schema.h) instead.
 * 2. Mechanical replacements, file by file:
 *      sqlite3_stmt *               -> DermDbStmt *
 *      derm_store_prepare (self, S)  -> derm_db_prepare (self->db, S)
 *      sqlite3_bind_int/int64/double/null, derm_sql_bind_text
 *                                   -> derm_db_bind_int/int64/double/null/text
 *      sqlite3_bind_blob64           -> derm_db_bind_blob
 *      sqlite3_step () == SQLITE_ROW -> derm_db_step (stmt, error) == DERM_DB_ROW
 *      sqlite3_step () == SQLITE_DONE-> ... == DERM_DB_DONE (DERM_DB_ERROR has set @error)
 *      derm_store_step_done          -> derm_db_step_done
 *      sqlite3_reset                 -> derm_db_reset
 *      sqlite3_column_*, derm_sql_column_text -> derm_db_column_* (same indexes)
 *      sqlite3_column_type () == SQLITE_NULL  -> derm_db_column_is_null
 *      sqlite3_changes (self->db)    -> derm_db_changes (stmt) after DONE
 *      sqlite3_last_insert_rowid     -> "INSERT ... RETURNING id" (SQLite 3.35+),
 *                                       derm_db_step () == DERM_DB_ROW, column 0
 *      derm_store_set_sqlite_error   -> not needed: errors come mapped
 *      derm_store_write's BEGIN IMMEDIATE/COMMIT -> derm_db_write ()
 *      (PostgreSQL retries the write function on a serialization failure,
 *      so a write function must keep its results in @data, applied only
 *      after success: already the store's rule.)
 * 3. The few places where the dialects differ (all in SQL text):
 *      COLLATE NOCASE ordering      -> lower (name) in both (an expression
 *                                      index on SQLite in a new migration)
 *      json_each (?1)               -> a table of ids: unnest (?1::bigint[])
 *                                      on PostgreSQL, or a temporary table
 *      INSERT OR REPLACE            -> INSERT ... ON CONFLICT DO UPDATE (both)
 *      instr (a, b) > 0             -> a LIKE '%' || b || '%' (both)
 *      julianday (a) - julianday (b)-> date arithmetic done in C, or one
 *                                      DERM_DB_SQL (sqlite, pg) pair
 *      `WHERE ?1 OR ...` (an integer used as a boolean) -> `?1 <> 0 OR ...`
 *      `?N IS NULL` with nothing else typing ?N -> `CAST (?N AS TEXT) IS NULL`
 *      PRAGMA ...                   -> SQLite only (opening, checks)
 *      document_settings.value      -> bytea on PostgreSQL: bind and read
 *                                      the text settings as blobs
 * 4. Photos and signed PDFs: on PostgreSQL the bytes go into blobs and
 *    blob_chunks (derm-db-pg-schema.c) in the same transaction as the row
 *    that names them; each desktop keeps only its thumbnail cache.
 * 5. Concurrent edits: row_version is bumped by a trigger on every UPDATE
 *    (PostgreSQL; a matching SQLite migration comes with the port); a save
 *    carries the version it read (`WHERE id = ?1 AND row_version = ?2`)
 *    and 0 changes means someone else saved first.
 * 6. Live updates: every change to a store table notifies the channel
 *    "dermis_changes" with the table's name (a trigger on the server); the
 *    window listens with derm_db_listen() instead of polling data_version.
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef enum
{
  DERM_DB_SQLITE,
  DERM_DB_POSTGRESQL,
} DermDbKind;

typedef enum
{
  DERM_DB_ERROR = -1,  /* @error is set */
  DERM_DB_DONE  = 0,   /* no (more) rows */
  DERM_DB_ROW   = 1,   /* a row is ready for derm_db_column_*() */
} DermDbStep;

typedef enum
{
  DERM_DB_READ,   /* a consistent snapshot, read only */
  DERM_DB_WRITE,  /* SQLite BEGIN IMMEDIATE; PostgreSQL SERIALIZABLE */
} DermDbTransaction;

/* The channel every change to a store table is announced on (PostgreSQL:
 * by a trigger; its payload is the table's name) */
#define DERM_DB_CHANGES_CHANNEL "dermis_changes"

typedef struct _DermDbStmt DermDbStmt;

#define DERM_TYPE_DB (derm_db_get_type ())
G_DECLARE_FINAL_TYPE (DermDb, derm_db, DERM, DB, GObject)

/* DERMIS_DATABASE when set and not empty, else NULL */
const char   *derm_db_uri_from_environment (void);
/* TRUE when @uri names a PostgreSQL server (postgresql:// or postgres://) */
gboolean      derm_db_uri_is_postgresql    (const char   *uri);

/* Opens @uri: "postgresql://..." or "postgres://..." through libpq (TLS
 * required unless every host is a Unix socket or localhost), "sqlite:PATH"
 * or a plain file path for SQLite (created if missing; WAL, foreign keys).
 * Fails with DERM_STORE_ERROR_OFFLINE when the server cannot be reached
 * and DERM_STORE_ERROR_REFUSED when the URI breaks the TLS rule or the
 * server refuses the login. */
DermDb       *derm_db_open                 (const char   *uri,
                                            GError      **error);
/* Wraps a connection the caller opened and keeps ownership of (the
 * store's checked SQLite file); close it only after the last unref */
DermDb       *derm_db_new_for_sqlite       (sqlite3      *handle);

DermDbKind    derm_db_get_kind             (DermDb       *self);
/* What messages name: the file, or host and database (never a password) */
const char   *derm_db_get_name             (DermDb       *self);
/* FALSE after the server connection was lost, until a call reconnects
 * (every call tries once); always TRUE for SQLite */
gboolean      derm_db_get_online           (DermDb       *self);
/* How long a write waits for another writer (SQLite) or for a row lock
 * (PostgreSQL lock_timeout) before DERM_STORE_ERROR_LOCKED */
void          derm_db_set_busy_timeout     (DermDb       *self,
                                            guint         ms);

/* A statement, cached per connection and keyed by the address of @sql:
 * pass string literals. Comes back reset, with its bindings cleared. */
DermDbStmt   *derm_db_prepare              (DermDb       *self,
                                            const char   *sql,
                                            GError      **error);
/* Runs @sql, which may hold several statements and no placeholders */
gboolean      derm_db_exec                 (DermDb       *self,
                                            const char   *sql,
                                            GError      **error);

/* Placeholders count from 1, as in SQLite. Text and blobs are copied.
 * A NULL @text or @data binds SQL NULL. */
void          derm_db_bind_null            (DermDbStmt   *stmt,
                                            int           index);
void          derm_db_bind_text            (DermDbStmt   *stmt,
                                            int           index,
                                            const char   *text);
void          derm_db_bind_int64           (DermDbStmt   *stmt,
                                            int           index,
                                            gint64        value);
void          derm_db_bind_int             (DermDbStmt   *stmt,
                                            int           index,
                                            int           value);
void          derm_db_bind_double          (DermDbStmt   *stmt,
                                            int           index,
                                            double        value);
void          derm_db_bind_blob            (DermDbStmt   *stmt,
                                            int           index,
                                            gconstpointer data,
                                            gsize         size);

DermDbStep    derm_db_step                 (DermDbStmt   *stmt,
                                            GError      **error);
/* Steps to the end (ignoring rows), then resets */
gboolean      derm_db_step_done            (DermDbStmt   *stmt,
                                            GError      **error);
void          derm_db_reset                (DermDbStmt   *stmt);
/* Rows inserted, changed or deleted by the statement's last run, once
 * derm_db_step() returned DERM_DB_DONE */
gint64        derm_db_changes              (DermDbStmt   *stmt);

/* The current row. Text stays valid until the next step or reset; a
 * NULL reads as NULL text, 0 and an empty blob. PostgreSQL booleans read
 * as 1 and 0, as SQLite's comparisons do. */
int           derm_db_column_count         (DermDbStmt   *stmt);
gboolean      derm_db_column_is_null       (DermDbStmt   *stmt,
                                            int           column);
const char   *derm_db_column_text          (DermDbStmt   *stmt,
                                            int           column);
gint64        derm_db_column_int64         (DermDbStmt   *stmt,
                                            int           column);
int           derm_db_column_int           (DermDbStmt   *stmt,
                                            int           column);
double        derm_db_column_double        (DermDbStmt   *stmt,
                                            int           column);
gconstpointer derm_db_column_blob          (DermDbStmt   *stmt,
                                            int           column,
                                            gsize        *size);

gboolean      derm_db_begin                (DermDb       *self,
                                            DermDbTransaction kind,
                                            GError      **error);
gboolean      derm_db_commit               (DermDb       *self,
                                            GError      **error);
/* Ends the transaction, if any, undoing it */
void          derm_db_rollback             (DermDb       *self);
gboolean      derm_db_in_transaction       (DermDb       *self);

/* Return FALSE with @error set to undo everything; TRUE commits. The
 * function may run more than once (PostgreSQL serialization failures, a
 * reconnection before anything was committed): keep results in @data
 * and apply them only after derm_db_write() succeeded. */
typedef gboolean (*DermDbWriteFunc)        (DermDb       *db,
                                            gpointer      data,
                                            GError      **error);
/* The one write transaction: begins (waiting for another writer up to
 * the busy timeout), runs @write, commits, rolls back on failure. On
 * PostgreSQL a serialization failure runs @write again (a few times,
 * then DERM_STORE_ERROR_LOCKED), and a connection lost at COMMIT is
 * settled after reconnecting by asking the server whether that
 * transaction committed, so a write is never lost nor made twice. */
gboolean      derm_db_write                (DermDb       *self,
                                            DermDbWriteFunc write,
                                            gpointer      data,
                                            GError      **error);
/* How many times the last derm_db_write() ran its function */
guint         derm_db_get_write_attempts   (DermDb       *self);

/* Announces @payload on @channel; inside a transaction it is sent when
 * (and only if) the transaction commits. SQLite reaches listeners in
 * this process only (other processes see SQLite's data_version). */
gboolean      derm_db_notify               (DermDb       *self,
                                            const char   *channel,
                                            const char   *payload,
                                            GError      **error);
/* @payload is NULL once listening starts and after every reconnection:
 * notifications may have been missed until then; read again what is
 * shown */
typedef void   (*DermDbNotifyFunc)         (const char   *channel,
                                            const char   *payload,
                                            gpointer      user_data);
/* Calls @func on @context (NULL: the thread-default one) for every
 * notification on @channel; returns an id for derm_db_unlisten(). All
 * listens of one DermDb use the same context. */
guint         derm_db_listen               (DermDb       *self,
                                            const char   *channel,
                                            GMainContext *context,
                                            DermDbNotifyFunc func,
                                            gpointer      user_data,
                                            GDestroyNotify destroy,
                                            GError      **error);
void          derm_db_unlisten             (DermDb       *self,
                                            guint         id);

G_END_DECLS

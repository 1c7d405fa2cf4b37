/* derm-store-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inside the store. DermStore is one class split across files
 * (derm-store.c for opening, migrations, clients, screenings and
 * sessions; later files for other entities), as GNOME Text Editor splits
 * its big classes; they share the struct and these helpers. Tests and
 * benchmarks use the raw connection and the migration steps, so a test
 * can build a database as an older Dermis left it.
 *
 * Rules for every store file: SQL only through derm_store_prepare()
 * (cached prepared statements, literals only); a read takes the mutex
 * (g_mutex_locker_new (&self->mutex)); a write validates its input, then
 * goes through derm_store_write(), the one write transaction, and audits
 * what changed from inside it: field names only, never values, except the
 * written reason of a contraindication override (derm_store_list_audit()).
 */
#pragma once

#include <sqlite3.h>

#include "derm-store.h"

G_BEGIN_DECLS

struct _DermStore
{
  GObject     parent_instance;

  GMutex      mutex;
  sqlite3    *db;
  GHashTable *statements;   /* SQL text -> sqlite3_stmt* */
  char       *data_dir;
  char       *path;
  int         schema_version;
  guint       busy_timeout_ms;
  gboolean    integrity_checked;  /* quick_check ran when this store opened */
  char       *known_good;         /* dermis.db-verified as found at opening, if it vouched for the file */
  GDateTime  *clock;              /* "now" for the booking rules; NULL: the real clock */
  GThreadPool *worker;      /* one thread: _async calls run in the order made */
  guint       planner_loads;      /* a booking's re-check read the planner */
  guint       planner_reuses;     /* ... or used the caller's, unchanged since */
};

/* The findings of @client_id's latest screening today (the store's clock) */
GPtrArray          *derm_store_findings_locked  (DermStore     *self,
                                                 gint64         client_id,
                                                 GError       **error);

/* Inside a write (or read) transaction: the client as stored (NOT_FOUND
 * when absent); an update of every field from @client, audited with the
 * names of the fields that changed; the latest screening (NULL, no error,
 * when there is none); a new screening, audited, its id in @id */
DermClient         *derm_store_get_client_locked (DermStore   *self,
                                                  gint64       id,
                                                  GError     **error);
gboolean            derm_store_update_client_locked (DermStore  *self,
                                                  DermClient  *client,
                                                  const char  *now,
                                                  GError     **error);
DermScreening      *derm_store_latest_screening_locked (DermStore *self,
                                                  gint64       client_id,
                                                  GError     **error);
gboolean            derm_store_insert_screening_locked (DermStore     *self,
                                                  DermScreening *screening,
                                                  const char    *now,
                                                  gint64        *id,
                                                  GError       **error);
/* Why the client has no current signed consent form for the protocols
 * they are being treated under, "" when nothing is missing (a protocol
 * whose form Dermis does not keep needs none) */
char               *derm_store_consent_problem_locked (DermStore *self,
                                                       gint64     client_id,
                                                       GError   **error);

/* Tests and simulations: the instant before which the store's booking
 * rules refuse new starts (NULL restores the real clock) */
void                derm_store_set_clock        (DermStore     *self,
                                                 GDateTime     *now);

sqlite3_stmt       *derm_store_prepare          (DermStore     *self,
                                                 const char    *sql,
                                                 GError       **error);
gboolean            derm_store_exec             (DermStore     *self,
                                                 const char    *sql,
                                                 GError       **error);
/* Steps a statement that returns no rows (or ignores them), then resets it */
gboolean            derm_store_step_done        (DermStore     *self,
                                                 sqlite3_stmt  *stmt,
                                                 GError       **error);
/* Writes inside the transaction. Return FALSE with @error set to undo
 * everything; TRUE commits. Results go back through @data and are
 * applied to the caller's objects only after derm_store_write() succeeds. */
typedef gboolean  (*DermStoreWriteFunc)         (DermStore     *self,
                                                 gpointer       data,
                                                 GError       **error);
/* The store's one write transaction: takes the mutex, BEGIN IMMEDIATE
 * (waiting up to the busy timeout for another process, the mutex released
 * while it waits), runs @write, COMMIT; ROLLBACK on any failure. */
gboolean            derm_store_write            (DermStore          *self,
                                                 DermStoreWriteFunc  write,
                                                 gpointer            data,
                                                 GError            **error);
/* Ends a read transaction (BEGIN ... ) */
void                derm_store_rollback         (DermStore     *self);
void                derm_store_set_sqlite_error (DermStore     *self,
                                                 int            rc,
                                                 GError       **error);
gboolean            derm_store_audit            (DermStore     *self,
                                                 const char    *action,
                                                 const char    *entity,
                                                 gint64         entity_id,
                                                 const char    *fields,
                                                 GError       **error);
/* Sets DERM_STORE_ERROR_NOT_FOUND ("There is no @what with id @id") and returns FALSE */
gboolean            derm_store_not_found        (GError       **error,
                                                 const char    *what,
                                                 gint64         id);
/* Makes a row's object (a GObject) from the current row of a statement */
typedef gpointer  (*DermStoreRowFunc)           (sqlite3_stmt  *stmt);
/* Steps the bound @stmt to its end: an array (freeing with
 * g_object_unref) of @from_row's object for each row; NULL with @error
 * set when a step fails. Resets @stmt. */
GPtrArray          *derm_store_collect_rows     (DermStore          *self,
                                                 sqlite3_stmt       *stmt,
                                                 DermStoreRowFunc    from_row,
                                                 GError            **error);
/* Steps the bound @stmt once: @from_row's object for its row. When it
 * returns none: NULL, with NOT_FOUND ("There is no @what with id @id")
 * when @what is given, no error otherwise; NULL with @error set when the
 * step fails. Resets @stmt. */
gpointer            derm_store_fetch_row        (DermStore          *self,
                                                 sqlite3_stmt       *stmt,
                                                 DermStoreRowFunc    from_row,
                                                 const char         *what,
                                                 gint64              id,
                                                 GError            **error);
/* TRUE when @sql (its ?1 bound to @id) returns a row; otherwise FALSE
 * with NOT_FOUND ("There is no @what with id @id") or the SQLite error */
gboolean            derm_store_row_exists_locked (DermStore         *self,
                                                 const char         *sql,
                                                 const char         *what,
                                                 gint64              id,
                                                 GError            **error);
/* The client exists (NOT_FOUND otherwise) */
gboolean            derm_store_client_exists_locked (DermStore      *self,
                                                 gint64              client_id,
                                                 GError            **error);
/* The protocol exists, or @protocol_id is 0 (none) */
gboolean            derm_store_protocol_exists_locked (DermStore    *self,
                                                 gint64              protocol_id,
                                                 GError            **error);
/* @text with control characters (newlines) folded into "; " */
char               *derm_store_one_line         (const char    *text);
/* Now, as stored: ISO 8601 UTC with seconds */
char               *derm_store_now_iso          (void);
/* Client id (gint64) -> the reason of the first contraindication of its
 * latest screening today, for the clients in @client_ids (gint64; NULL
 * for every client); clients with none are absent */
GHashTable         *derm_store_do_not_treat_locked (DermStore  *self,
                                                    GArray     *client_ids,
                                                    GError    **error);
/* NULL binds SQL NULL */
void                derm_sql_bind_text          (sqlite3_stmt  *stmt,
                                                 int            index,
                                                 const char    *text);
const char         *derm_sql_column_text        (sqlite3_stmt  *stmt,
                                                 int            index);


void                derm_store_worker_free      (DermStore          *self);

sqlite3            *derm_store_get_db          (DermStore *self);
/* TRUE when opening ran PRAGMA quick_check, FALSE when the file was
 * known good: left by a clean close, unchanged since, within a week */
gboolean            derm_store_get_integrity_checked (DermStore *self);
/* The SQL of each migration step; step i takes user_version i to i+1 */
const char * const *derm_store_get_migrations  (guint     *n_steps);

G_END_DECLS

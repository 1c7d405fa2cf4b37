/* derm-db-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inside DermDb: the back-end table each of derm-db-sqlite.c and
 * derm-db-pg.c fills in, the struct they share, and the error helpers.
 * derm-db.c owns the statement cache, the transaction state and the
 * write loop, so both back ends behave the same above the SQL.
 */
#pragma once

#include "derm-db.h"
#include "derm-store.h"

G_BEGIN_DECLS

struct _DermDbStmt
{
  DermDb     *db;        /* not owned: the connection owns its statements */
  const char *sql;       /* the caller's literal, the cache key */
  gpointer    impl;      /* the back end's own statement */
};

typedef struct
{
  DermDbKind  kind;
  void        (*close)        (DermDb *db);
  gboolean    (*prepare)      (DermDb *db, DermDbStmt *stmt, GError **error);
  void        (*finalize)     (DermDbStmt *stmt);
  gboolean    (*exec)         (DermDb *db, const char *sql, GError **error);
  void        (*reset)        (DermDbStmt *stmt);
  void        (*bind_null)    (DermDbStmt *stmt, int index);
  void        (*bind_text)    (DermDbStmt *stmt, int index, const char *text);
  void        (*bind_int64)   (DermDbStmt *stmt, int index, gint64 value);
  void        (*bind_double)  (DermDbStmt *stmt, int index, double value);
  void        (*bind_blob)    (DermDbStmt *stmt, int index, gconstpointer data, gsize size);
  DermDbStep  (*step)         (DermDbStmt *stmt, GError **error);
  gint64      (*changes)      (DermDbStmt *stmt);
  int         (*column_count) (DermDbStmt *stmt);
  gboolean    (*column_is_null) (DermDbStmt *stmt, int column);
  const char *(*column_text)  (DermDbStmt *stmt, int column);
  gint64      (*column_int64) (DermDbStmt *stmt, int column);
  double      (*column_double)(DermDbStmt *stmt, int column);
  gconstpointer (*column_blob)(DermDbStmt *stmt, int column, gsize *size);
  /* BEGIN of @kind; COMMIT; ROLLBACK (errors ignored) */
  gboolean    (*begin)        (DermDb *db, DermDbTransaction kind, GError **error);
  gboolean    (*commit)       (DermDb *db, GError **error);
  void        (*rollback)     (DermDb *db);
  void        (*set_busy_timeout) (DermDb *db, guint ms);
  /* After a failed commit whose connection was lost: reconnects and
   * tells whether the transaction committed after all (PostgreSQL) */
  gboolean    (*settle_lost_commit) (DermDb *db, gboolean *committed, GError **error);
  gboolean    (*notify)       (DermDb *db, const char *channel, const char *payload, GError **error);
  guint       (*listen)       (DermDb *db, const char *channel, GMainContext *context,
                               DermDbNotifyFunc func, gpointer user_data,
                               GDestroyNotify destroy, GError **error);
  void        (*unlisten)     (DermDb *db, guint id);
} DermDbBackend;

struct _DermDb
{
  GObject              parent_instance;

  const DermDbBackend *backend;
  gpointer             conn;             /* the back end's connection state */
  char                *name;
  GHashTable          *statements;       /* SQL literal -> DermDbStmt* */
  guint                busy_timeout_ms;
  gboolean             online;
  gboolean             in_transaction;
  /* Set by a back end when a statement of the open transaction failed
   * in a way that running it again may cure: a serialization failure or
   * deadlock (retry), or the connection was lost (nothing committed) */
  gboolean             txn_serialization_failure;
  gboolean             txn_connection_lost;
  guint                write_attempts;
};

extern const DermDbBackend derm_db_sqlite_backend;
extern const DermDbBackend derm_db_pg_backend;

/* Back-end constructors: fill in @db->conn and @db->name */
gboolean    derm_db_sqlite_open         (DermDb       *db,
                                         const char   *path,
                                         sqlite3      *borrowed,
                                         GError      **error);
gboolean    derm_db_pg_open             (DermDb       *db,
                                         const char   *uri,
                                         GError      **error);

/* @sql with SQLite's `?` and `?N` turned into $N, leaving string
 * literals, quoted names and comments alone; the highest number in
 * @n_params */
char       *derm_db_pg_translate        (const char   *sql,
                                         int          *n_params);
/* Whether libpq connection @uri may be used: TRUE when every host is a
 * Unix socket or this computer, or when TLS is required */
gboolean    derm_db_pg_check_tls        (const char   *uri,
                                         GError      **error);

/* The connection that listens for notifications (derm-db-pg-listen.c):
 * it lives on @context, connects without blocking it, and reconnects
 * by itself, calling every listener with a NULL payload when it is
 * listening again. Add and remove from @context's thread. */
typedef struct _DermDbPgListener DermDbPgListener;

DermDbPgListener *derm_db_pg_listener_new (const char        *uri,
                                           GMainContext      *context);
guint       derm_db_pg_listener_add     (DermDbPgListener  *listener,
                                         const char        *channel,
                                         DermDbNotifyFunc   func,
                                         gpointer           user_data,
                                         GDestroyNotify     destroy);
void        derm_db_pg_listener_remove  (DermDbPgListener  *listener,
                                         guint              id);
void        derm_db_pg_listener_free    (DermDbPgListener  *listener);
GMainContext *derm_db_pg_listener_get_context (DermDbPgListener *listener);

/* The one place messages are worded: @detail is the back end's own text */
void        derm_db_set_error           (DermDb        *self,
                                         DermStoreError code,
                                         const char    *detail,
                                         GError       **error);
void        derm_db_set_online          (DermDb        *self,
                                         gboolean       online);

G_END_DECLS

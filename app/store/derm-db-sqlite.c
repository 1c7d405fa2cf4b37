/* derm-db-sqlite.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQLite back end of DermDb: a thin layer over sqlite3, which the
 * API copies. Notifications reach listeners in this process, on any
 * connection to the same file; other processes see SQLite's
 * data_version change instead (the store polls it).
 */
#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include "derm-db-private.h"

typedef struct
{
  sqlite3   *handle;
  gboolean   borrowed;
  char      *path;        /* as SQLite resolved it: the key for notifications */
  GPtrArray *pending;     /* channel, payload, channel, ...: sent at COMMIT */
  GArray    *listen_ids;  /* guint */
} SqliteConn;

typedef struct
{
  sqlite3_stmt *stmt;
  gint64        changes;
} SqliteStmt;

#define CONN(db) ((SqliteConn *) (db)->conn)
#define STMT(s) (((SqliteStmt *) (s)->impl)->stmt)

static DermStoreError
code_from_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return DERM_STORE_ERROR_LOCKED;
    case SQLITE_CONSTRAINT:
      return DERM_STORE_ERROR_CONSTRAINT;
    case SQLITE_FULL:
      return DERM_STORE_ERROR_FULL;
    case SQLITE_CORRUPT:
      return DERM_STORE_ERROR_CORRUPT;
    case SQLITE_NOTADB:
      return DERM_STORE_ERROR_FOREIGN;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return DERM_STORE_ERROR_READ_ONLY;
    default:
      return DERM_STORE_ERROR_IO;
    }
}

static void
set_error (DermDb  *db,
           int      rc,
           GError **error)
{
  sqlite3 *handle = db->conn != NULL ? CONN (db)->handle : NULL;

  derm_db_set_error (db, code_from_sqlite (rc),
                     handle != NULL ? sqlite3_errmsg (handle) : sqlite3_errstr (rc), error);
}

/* --- notifications in this process ------------------------------------- */

typedef struct
{
  gatomicrefcount   ref;
  guint             id;
  gpointer          owner;     /* the DermDb that listens; compared only */
  char             *path;
  char             *channel;
  GMainContext     *context;
  DermDbNotifyFunc  func;
  gpointer          user_data;
  GDestroyNotify    destroy;
  gboolean          active;    /* under registry_lock */
} Listener;

typedef struct
{
  Listener *listener;
  char     *payload;
} Delivery;

static GMutex     registry_lock;
static GPtrArray *registry;    /* Listener*, active ones */
static guint      last_listener_id;

static void
listener_unref (Listener *listener)
{
  if (!g_atomic_ref_count_dec (&listener->ref))
    return;
  if (listener->destroy != NULL)
    listener->destroy (listener->user_data);
  g_main_context_unref (listener->context);
  g_free (listener->path);
  g_free (listener->channel);
  g_free (listener);
}

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  listener_unref (delivery->listener);
  g_free (delivery->payload);
  g_free (delivery);
}

static gboolean
deliver_cb (gpointer data)
{
  Delivery *delivery = data;
  gboolean active;

  g_mutex_lock (&registry_lock);
  active = delivery->listener->active;
  g_mutex_unlock (&registry_lock);
  if (active)
    delivery->listener->func (delivery->listener->channel, delivery->payload,
                              delivery->listener->user_data);
  return G_SOURCE_REMOVE;
}

static void
deliver (const char *path,
         const char *channel,
         const char *payload)
{
  g_mutex_lock (&registry_lock);
  for (guint i = 0; registry != NULL && i < registry->len; i++)
    {
      Listener *listener = g_ptr_array_index (registry, i);
      Delivery *delivery;

      if (g_strcmp0 (listener->path, path) != 0 || g_strcmp0 (listener->channel, channel) != 0)
        continue;
      delivery = g_new0 (Delivery, 1);
      delivery->listener = listener;
      g_atomic_ref_count_inc (&listener->ref);
      delivery->payload = g_strdup (payload);
      g_main_context_invoke_full (listener->context, G_PRIORITY_DEFAULT,
                                  deliver_cb, delivery, delivery_free);
    }
  g_mutex_unlock (&registry_lock);
}

static guint
sqlite_listen (DermDb            *db,
               const char        *channel,
               GMainContext      *context,
               DermDbNotifyFunc   func,
               gpointer           user_data,
               GDestroyNotify     destroy,
               GError           **error)
{
  Listener *listener = g_new0 (Listener, 1);

  g_atomic_ref_count_init (&listener->ref);
  listener->owner = db;
  listener->path = g_strdup (CONN (db)->path);
  listener->channel = g_strdup (channel);
  listener->context = g_main_context_ref (context);
  listener->func = func;
  listener->user_data = user_data;
  listener->destroy = destroy;
  listener->active = TRUE;

  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_ptr_array_new ();
  listener->id = ++last_listener_id;
  g_ptr_array_add (registry, listener);
  g_mutex_unlock (&registry_lock);
  g_array_append_val (CONN (db)->listen_ids, listener->id);

  {
    /* listening from now on: read what is shown (as after a reconnection) */
    Delivery *delivery = g_new0 (Delivery, 1);

    delivery->listener = listener;
    g_atomic_ref_count_inc (&listener->ref);
    g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, deliver_cb, delivery, delivery_free);
  }
  return listener->id;
}

static void
sqlite_unlisten (DermDb *db,
                 guint   id)
{
  Listener *found = NULL;

  g_mutex_lock (&registry_lock);
  for (guint i = 0; registry != NULL && i < registry->len; i++)
    {
      Listener *listener = g_ptr_array_index (registry, i);

      if (listener->id == id && listener->owner == db)
        {
          found = listener;
          found->active = FALSE;
          g_ptr_array_remove_index (registry, i);
          break;
        }
    }
  g_mutex_unlock (&registry_lock);
  for (guint i = 0; i < CONN (db)->listen_ids->len; i++)
    if (g_array_index (CONN (db)->listen_ids, guint, i) == id)
      {
        g_array_remove_index (CONN (db)->listen_ids, i);
        break;
      }
  if (found != NULL)
    listener_unref (found);
}

static gboolean
sqlite_notify (DermDb      *db,
               const char  *channel,
               const char  *payload,
               GError     **error)
{
  if (db->in_transaction)
    {
      g_ptr_array_add (CONN (db)->pending, g_strdup (channel));
      g_ptr_array_add (CONN (db)->pending, g_strdup (payload));
    }
  else
    deliver (CONN (db)->path, channel, payload);
  return TRUE;
}

/* --- connection -------------------------------------------------------- */

gboolean
derm_db_sqlite_open (DermDb      *db,
                     const char  *path,
                     sqlite3     *borrowed,
                     GError     **error)
{
  SqliteConn *conn = g_new0 (SqliteConn, 1);
  const char *file;

  conn->pending = g_ptr_array_new_with_free_func (g_free);
  conn->listen_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  db->conn = conn;
  if (borrowed != NULL)
    {
      conn->handle = borrowed;
      conn->borrowed = TRUE;
    }
  else
    {
      int rc;

      db->name = g_strdup (path);
      rc = sqlite3_open_v2 (path, &conn->handle,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_extended_result_codes (conn->handle, 1);
          sqlite3_busy_timeout (conn->handle, (int) db->busy_timeout_ms);
          rc = sqlite3_exec (conn->handle,
                             "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;"
                             "PRAGMA synchronous = NORMAL;", NULL, NULL, NULL);
        }
      if (rc != SQLITE_OK)
        {
          set_error (db, rc, error);
          return FALSE;
        }
    }
  file = sqlite3_db_filename (conn->handle, "main");
  conn->path = g_strdup (file != NULL && *file != '\0' ? file : ":memory:");
  if (db->name == NULL)
    db->name = g_strdup (conn->path);
  return TRUE;
}

static void
sqlite_close (DermDb *db)
{
  SqliteConn *conn = CONN (db);

  while (conn->listen_ids->len > 0)
    sqlite_unlisten (db, g_array_index (conn->listen_ids, guint, 0));
  if (conn->handle != NULL && !conn->borrowed)
    sqlite3_close_v2 (conn->handle);
  g_ptr_array_unref (conn->pending);
  g_array_unref (conn->listen_ids);
  g_free (conn->path);
  g_free (conn);
  db->conn = NULL;
}

static void
sqlite_set_busy_timeout (DermDb *db,
                         guint   ms)
{
  sqlite3_busy_timeout (CONN (db)->handle, (int) MIN (ms, G_MAXINT));
}

/* --- statements -------------------------------------------------------- */

static gboolean
sqlite_prepare (DermDb      *db,
                DermDbStmt  *stmt,
                GError     **error)
{
  SqliteStmt *impl = g_new0 (SqliteStmt, 1);
  int rc = sqlite3_prepare_v3 (CONN (db)->handle, stmt->sql, -1,
                               SQLITE_PREPARE_PERSISTENT, &impl->stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_error (db, rc, error);
      g_free (impl);
      return FALSE;
    }
  stmt->impl = impl;
  return TRUE;
}

static void
sqlite_finalize (DermDbStmt *stmt)
{
  sqlite3_finalize (STMT (stmt));
  g_free (stmt->impl);
}

static gboolean
sqlite_exec (DermDb      *db,
             const char  *sql,
             GError     **error)
{
  int rc = sqlite3_exec (CONN (db)->handle, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

static void
sqlite_reset (DermDbStmt *stmt)
{
  sqlite3_reset (STMT (stmt));
  sqlite3_clear_bindings (STMT (stmt));
}

static void
sqlite_bind_null (DermDbStmt *stmt,
                  int         index)
{
  sqlite3_bind_null (STMT (stmt), index);
}

static void
sqlite_bind_text (DermDbStmt *stmt,
                  int         index,
                  const char *text)
{
  sqlite3_bind_text (STMT (stmt), index, text, -1, SQLITE_TRANSIENT);
}

static void
sqlite_bind_int64 (DermDbStmt *stmt,
                   int         index,
                   gint64      value)
{
  sqlite3_bind_int64 (STMT (stmt), index, value);
}

static void
sqlite_bind_double (DermDbStmt *stmt,
                    int         index,
                    double      value)
{
  sqlite3_bind_double (STMT (stmt), index, value);
}

static void
sqlite_bind_blob (DermDbStmt    *stmt,
                  int            index,
                  gconstpointer  data,
                  gsize          size)
{
  /* a zero-length blob, not NULL */
  sqlite3_bind_blob64 (STMT (stmt), index, size > 0 ? data : "", size, SQLITE_TRANSIENT);
}

static DermDbStep
sqlite_step (DermDbStmt  *stmt,
             GError     **error)
{
  SqliteStmt *impl = stmt->impl;
  int rc = sqlite3_step (impl->stmt);

  if (rc == SQLITE_ROW)
    return DERM_DB_ROW;
  if (rc == SQLITE_DONE)
    {
      impl->changes = sqlite3_stmt_readonly (impl->stmt) ? 0 : sqlite3_changes64 (CONN (stmt->db)->handle);
      return DERM_DB_DONE;
    }
  set_error (stmt->db, rc, error);
  return DERM_DB_ERROR;
}

static gint64
sqlite_changes (DermDbStmt *stmt)
{
  return ((SqliteStmt *) stmt->impl)->changes;
}

static int
sqlite_column_count (DermDbStmt *stmt)
{
  return sqlite3_data_count (STMT (stmt));
}

static gboolean
sqlite_column_is_null (DermDbStmt *stmt,
                       int         column)
{
  return sqlite3_column_type (STMT (stmt), column) == SQLITE_NULL;
}

static const char *
sqlite_column_text (DermDbStmt *stmt,
                    int         column)
{
  return (const char *) sqlite3_column_text (STMT (stmt), column);
}

static gint64
sqlite_column_int64 (DermDbStmt *stmt,
                     int         column)
{
  return sqlite3_column_int64 (STMT (stmt), column);
}

static double
sqlite_column_double (DermDbStmt *stmt,
                      int         column)
{
  return sqlite3_column_double (STMT (stmt), column);
}

static gconstpointer
sqlite_column_blob (DermDbStmt *stmt,
                    int         column,
                    gsize      *size)
{
  gconstpointer data = sqlite3_column_blob (STMT (stmt), column);

  *size = (gsize) sqlite3_column_bytes (STMT (stmt), column);
  return data;
}

/* --- transactions ------------------------------------------------------ */

static gboolean
sqlite_begin (DermDb             *db,
              DermDbTransaction   kind,
              GError            **error)
{
  g_ptr_array_set_size (CONN (db)->pending, 0);
  /* IMMEDIATE takes the write lock now, waiting for another writer
   * through the busy handler, so a write never fails half-way for a
   * lock another process holds */
  return sqlite_exec (db, kind == DERM_DB_WRITE ? "BEGIN IMMEDIATE" : "BEGIN", error);
}

static gboolean
sqlite_commit (DermDb  *db,
               GError **error)
{
  SqliteConn *conn = CONN (db);

  if (!sqlite_exec (db, "COMMIT", error))
    return FALSE;
  for (guint i = 0; i + 1 < conn->pending->len; i += 2)
    deliver (conn->path, g_ptr_array_index (conn->pending, i),
             g_ptr_array_index (conn->pending, i + 1));
  g_ptr_array_set_size (conn->pending, 0);
  return TRUE;
}

static void
sqlite_rollback (DermDb *db)
{
  g_ptr_array_set_size (CONN (db)->pending, 0);
  if (!sqlite3_get_autocommit (CONN (db)->handle))
    sqlite3_exec (CONN (db)->handle, "ROLLBACK", NULL, NULL, NULL);
}

/* A local file has no lost commits: COMMIT either returned or did not */
static gboolean
sqlite_settle_lost_commit (DermDb    *db,
                           gboolean  *committed,
                           GError   **error)
{
  *committed = FALSE;
  return TRUE;
}

const DermDbBackend derm_db_sqlite_backend = {
  .kind = DERM_DB_SQLITE,
  .close = sqlite_close,
  .prepare = sqlite_prepare,
  .finalize = sqlite_finalize,
  .exec = sqlite_exec,
  .reset = sqlite_reset,
  .bind_null = sqlite_bind_null,
  .bind_text = sqlite_bind_text,
  .bind_int64 = sqlite_bind_int64,
  .bind_double = sqlite_bind_double,
  .bind_blob = sqlite_bind_blob,
  .step = sqlite_step,
  .changes = sqlite_changes,
  .column_count = sqlite_column_count,
  .column_is_null = sqlite_column_is_null,
  .column_text = sqlite_column_text,
  .column_int64 = sqlite_column_int64,
  .column_double = sqlite_column_double,
  .column_blob = sqlite_column_blob,
  .begin = sqlite_begin,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .set_busy_timeout = sqlite_set_busy_timeout,
  .settle_lost_commit = sqlite_settle_lost_commit,
  .notify = sqlite_notify,
  .listen = sqlite_listen,
  .unlisten = sqlite_unlisten,
};

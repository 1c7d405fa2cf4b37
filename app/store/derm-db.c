/* derm-db.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What both back ends share: choosing one from the URI, the statement
 * cache, the transaction state, the write loop with its retries, and the
 * wording of every error.
 */
#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "derm-db-private.h"
#include "derm-store-private.h"

#define DEFAULT_BUSY_TIMEOUT_MS 5000
/* Serialization failures come from two desktops writing the same rows
 * at once; a handful of retries with a random pause settles them */
#define MAX_WRITE_ATTEMPTS 8

G_DEFINE_FINAL_TYPE (DermDb, derm_db, G_TYPE_OBJECT)

static void
stmt_free (gpointer data)
{
  DermDbStmt *stmt = data;

  stmt->db->backend->finalize (stmt);
  g_free (stmt);
}

static void
derm_db_finalize (GObject *object)
{
  DermDb *self = DERM_DB (object);

  g_clear_pointer (&self->statements, g_hash_table_destroy);
  if (self->backend != NULL && self->conn != NULL)
    self->backend->close (self);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (derm_db_parent_class)->finalize (object);
}

static void
derm_db_class_init (DermDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = derm_db_finalize;
}

static void
derm_db_init (DermDb *self)
{
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, stmt_free);
  self->busy_timeout_ms = DEFAULT_BUSY_TIMEOUT_MS;
  self->online = TRUE;
}

/* --- opening ----------------------------------------------------------- */

const char *
derm_db_uri_from_environment (void)
{
  const char *env = g_getenv ("DERMIS_DATABASE");

  return env != NULL && *env != '\0' ? env : NULL;
}

gboolean
derm_db_uri_is_postgresql (const char *uri)
{
  g_return_val_if_fail (uri != NULL, FALSE);

  return g_str_has_prefix (uri, "postgresql://") || g_str_has_prefix (uri, "postgres://");
}

DermDb *
derm_db_open (const char  *uri,
              GError     **error)
{
  g_autoptr (DermDb) self = NULL;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (DERM_TYPE_DB, NULL);
  if (derm_db_uri_is_postgresql (uri))
    {
      self->backend = &derm_db_pg_backend;
      if (!derm_db_pg_open (self, uri, error))
        return NULL;
    }
  else
    {
      const char *path = g_str_has_prefix (uri, "sqlite:") ? uri + strlen ("sqlite:") : uri;

      /* sqlite:///abs/path as well as sqlite:/abs/path and sqlite:rel */
      if (g_str_has_prefix (path, "//"))
        path += 2;
      self->backend = &derm_db_sqlite_backend;
      if (!derm_db_sqlite_open (self, path, NULL, error))
        return NULL;
    }
  return g_steal_pointer (&self);
}

DermDb *
derm_db_new_for_sqlite (sqlite3 *handle)
{
  DermDb *self;

  g_return_val_if_fail (handle != NULL, NULL);

  self = g_object_new (DERM_TYPE_DB, NULL);
  self->backend = &derm_db_sqlite_backend;
  /* a borrowed handle opens nothing and cannot fail */
  derm_db_sqlite_open (self, NULL, handle, NULL);
  return self;
}

DermDbKind
derm_db_get_kind (DermDb *self)
{
  g_return_val_if_fail (DERM_IS_DB (self), DERM_DB_SQLITE);

  return self->backend->kind;
}

const char *
derm_db_get_name (DermDb *self)
{
  g_return_val_if_fail (DERM_IS_DB (self), NULL);

  return self->name;
}

gboolean
derm_db_get_online (DermDb *self)
{
  g_return_val_if_fail (DERM_IS_DB (self), FALSE);

  return self->online;
}

void
derm_db_set_online (DermDb   *self,
                    gboolean  online)
{
  if (self->online != online)
    g_debug ("%s is %s", self->name, online ? "back online" : "offline");
  self->online = online;
}

void
derm_db_set_busy_timeout (DermDb *self,
                          guint   ms)
{
  g_return_if_fail (DERM_IS_DB (self));

  self->busy_timeout_ms = ms;
  self->backend->set_busy_timeout (self, ms);
}

/* --- errors ------------------------------------------------------------ */

void
derm_db_set_error (DermDb         *self,
                   DermStoreError  code,
                   const char     *detail,
                   GError        **error)
{
  g_autofree char *line = NULL;
  const char *name = self->name != NULL ? self->name : "";
  gboolean server = self->backend->kind == DERM_DB_POSTGRESQL;

  if (detail == NULL || *detail == '\0')
    detail = _("no details");
  /* server and SQLite messages may span lines */
  line = derm_store_one_line (detail);

  switch (code)
    {
    case DERM_STORE_ERROR_LOCKED:
      g_set_error (error, DERM_STORE_ERROR, code,
                   _("The client database is busy: another Dermis window or dermis-cli is writing to it. Nothing was saved; try again in a moment."));
      break;
    case DERM_STORE_ERROR_FULL:
      g_set_error (error, DERM_STORE_ERROR, code,
                   _("The disk is full. Nothing was saved and your records are unchanged. Free some disk space and try again."));
      break;
    case DERM_STORE_ERROR_CORRUPT:
      g_set_error (error, DERM_STORE_ERROR, code,
                   _("The client database %s is damaged (%s). It was left untouched; restore it from a backup."),
                   name, line);
      break;
    case DERM_STORE_ERROR_FOREIGN:
      g_set_error (error, DERM_STORE_ERROR, code,
                   _("%s is not a Dermis database. It was left untouched; move it away or choose another data folder."),
                   name);
      break;
    case DERM_STORE_ERROR_READ_ONLY:
      if (server)
        g_set_error (error, DERM_STORE_ERROR, code,
                     _("The clinic server %s does not let Dermis make this change (%s). Nothing was saved; ask whoever runs the server to check the Dermis user's rights."),
                     name, line);
      else
        g_set_error (error, DERM_STORE_ERROR, code,
                     _("Cannot write to the client database %s (%s). Check that the folder is yours and writable."),
                     name, line);
      break;
    case DERM_STORE_ERROR_OFFLINE:
      g_set_error (error, DERM_STORE_ERROR, code,
                   _("The clinic server %s cannot be reached (%s). Nothing was saved; Dermis reconnects by itself when the server is back."),
                   name, line);
      break;
    case DERM_STORE_ERROR_CONSTRAINT:
      g_set_error (error, DERM_STORE_ERROR, code,
                   _("The change breaks a rule of the client database (%s). Nothing was saved."),
                   line);
      break;
    case DERM_STORE_ERROR_REFUSED:
      g_set_error (error, DERM_STORE_ERROR, code,
                   _("The clinic server %s refused the connection (%s). Check the user name and password."),
                   name, line);
      break;
    case DERM_STORE_ERROR_TOO_NEW:
    case DERM_STORE_ERROR_NOT_FOUND:
    case DERM_STORE_ERROR_IO:
    case DERM_STORE_ERROR_NO_DATABASE:
    default:
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_IO,
                   _("The client database could not be used (%s). Nothing was changed."),
                   line);
      break;
    }
}

/* --- statements -------------------------------------------------------- */

DermDbStmt *
derm_db_prepare (DermDb      *self,
                 const char  *sql,
                 GError     **error)
{
  DermDbStmt *stmt;

  g_return_val_if_fail (DERM_IS_DB (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      self->backend->reset (stmt);
      return stmt;
    }
  stmt = g_new0 (DermDbStmt, 1);
  stmt->db = self;
  stmt->sql = sql;
  if (!self->backend->prepare (self, stmt, error))
    {
      g_free (stmt);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
derm_db_exec (DermDb      *self,
              const char  *sql,
              GError     **error)
{
  g_return_val_if_fail (DERM_IS_DB (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  return self->backend->exec (self, sql, error);
}

void
derm_db_bind_null (DermDbStmt *stmt,
                   int         index)
{
  g_return_if_fail (stmt != NULL && index >= 1);
  stmt->db->backend->bind_null (stmt, index);
}

void
derm_db_bind_text (DermDbStmt *stmt,
                   int         index,
                   const char *text)
{
  g_return_if_fail (stmt != NULL && index >= 1);
  if (text == NULL)
    stmt->db->backend->bind_null (stmt, index);
  else
    stmt->db->backend->bind_text (stmt, index, text);
}

void
derm_db_bind_int64 (DermDbStmt *stmt,
                    int         index,
                    gint64      value)
{
  g_return_if_fail (stmt != NULL && index >= 1);
  stmt->db->backend->bind_int64 (stmt, index, value);
}

void
derm_db_bind_int (DermDbStmt *stmt,
                  int         index,
                  int         value)
{
  derm_db_bind_int64 (stmt, index, value);
}

void
derm_db_bind_double (DermDbStmt *stmt,
                     int         index,
                     double      value)
{
  g_return_if_fail (stmt != NULL && index >= 1);
  stmt->db->backend->bind_double (stmt, index, value);
}

void
derm_db_bind_blob (DermDbStmt    *stmt,
                   int            index,
                   gconstpointer  data,
                   gsize          size)
{
  g_return_if_fail (stmt != NULL && index >= 1);
  g_return_if_fail (data != NULL || size == 0);
  if (data == NULL)
    stmt->db->backend->bind_null (stmt, index);
  else
    stmt->db->backend->bind_blob (stmt, index, data, size);
}

DermDbStep
derm_db_step (DermDbStmt  *stmt,
              GError     **error)
{
  g_return_val_if_fail (stmt != NULL, DERM_DB_ERROR);
  g_return_val_if_fail (error == NULL || *error == NULL, DERM_DB_ERROR);

  return stmt->db->backend->step (stmt, error);
}

gboolean
derm_db_step_done (DermDbStmt  *stmt,
                   GError     **error)
{
  DermDbStep rc;

  g_return_val_if_fail (stmt != NULL, FALSE);

  while ((rc = stmt->db->backend->step (stmt, error)) == DERM_DB_ROW)
    ;
  /* derm_db_changes() stays readable after the reset */
  stmt->db->backend->reset (stmt);
  return rc == DERM_DB_DONE;
}

void
derm_db_reset (DermDbStmt *stmt)
{
  g_return_if_fail (stmt != NULL);
  stmt->db->backend->reset (stmt);
}

gint64
derm_db_changes (DermDbStmt *stmt)
{
  g_return_val_if_fail (stmt != NULL, 0);
  return stmt->db->backend->changes (stmt);
}

int
derm_db_column_count (DermDbStmt *stmt)
{
  g_return_val_if_fail (stmt != NULL, 0);
  return stmt->db->backend->column_count (stmt);
}

gboolean
derm_db_column_is_null (DermDbStmt *stmt,
                        int         column)
{
  g_return_val_if_fail (stmt != NULL, TRUE);
  return stmt->db->backend->column_is_null (stmt, column);
}

const char *
derm_db_column_text (DermDbStmt *stmt,
                     int         column)
{
  g_return_val_if_fail (stmt != NULL, NULL);
  return stmt->db->backend->column_text (stmt, column);
}

gint64
derm_db_column_int64 (DermDbStmt *stmt,
                      int         column)
{
  g_return_val_if_fail (stmt != NULL, 0);
  return stmt->db->backend->column_int64 (stmt, column);
}

int
derm_db_column_int (DermDbStmt *stmt,
                    int         column)
{
  return (int) derm_db_column_int64 (stmt, column);
}

double
derm_db_column_double (DermDbStmt *stmt,
                       int         column)
{
  g_return_val_if_fail (stmt != NULL, 0.0);
  return stmt->db->backend->column_double (stmt, column);
}

gconstpointer
derm_db_column_blob (DermDbStmt *stmt,
                     int         column,
                     gsize      *size)
{
  g_return_val_if_fail (stmt != NULL, NULL);
  g_return_val_if_fail (size != NULL, NULL);
  return stmt->db->backend->column_blob (stmt, column, size);
}

/* --- transactions ------------------------------------------------------ */

gboolean
derm_db_begin (DermDb             *self,
               DermDbTransaction   kind,
               GError            **error)
{
  g_return_val_if_fail (DERM_IS_DB (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  self->txn_serialization_failure = FALSE;
  self->txn_connection_lost = FALSE;
  if (!self->backend->begin (self, kind, error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

gboolean
derm_db_commit (DermDb  *self,
                GError **error)
{
  gboolean ok;

  g_return_val_if_fail (DERM_IS_DB (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  ok = self->backend->commit (self, error);
  if (ok)
    self->in_transaction = FALSE;
  return ok;
}

void
derm_db_rollback (DermDb *self)
{
  g_return_if_fail (DERM_IS_DB (self));

  if (!self->in_transaction)
    return;
  self->backend->rollback (self);
  self->in_transaction = FALSE;
}

gboolean
derm_db_in_transaction (DermDb *self)
{
  g_return_val_if_fail (DERM_IS_DB (self), FALSE);
  return self->in_transaction;
}

guint
derm_db_get_write_attempts (DermDb *self)
{
  g_return_val_if_fail (DERM_IS_DB (self), 0);
  return self->write_attempts;
}

gboolean
derm_db_write (DermDb           *self,
               DermDbWriteFunc   write,
               gpointer          data,
               GError          **error)
{
  g_return_val_if_fail (DERM_IS_DB (self), FALSE);
  g_return_val_if_fail (write != NULL, FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->write_attempts = 0;
  for (;;)
    {
      g_autoptr (GError) local = NULL;
      gboolean committing = FALSE;
      gboolean retry;

      self->write_attempts++;
      if (!derm_db_begin (self, DERM_DB_WRITE, &local))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (write (self, data, &local))
        {
          committing = TRUE;
          if (derm_db_commit (self, &local))
            return TRUE;
        }
      /* PostgreSQL aborts a transaction at its first error: whatever the
       * write function made of the error, these flags say why */
      if (committing && self->txn_connection_lost)
        {
          gboolean committed = FALSE;
          g_autoptr (GError) settle_error = NULL;

          self->in_transaction = FALSE;
          if (!self->backend->settle_lost_commit (self, &committed, &settle_error))
            {
              g_propagate_error (error, g_steal_pointer (&settle_error));
              return FALSE;
            }
          if (committed)
            return TRUE;
          retry = TRUE;
        }
      else
        {
          derm_db_rollback (self);
          retry = self->txn_serialization_failure || self->txn_connection_lost;
        }
      if (!retry || self->write_attempts >= MAX_WRITE_ATTEMPTS)
        {
          if (retry && self->txn_serialization_failure)
            derm_db_set_error (self, DERM_STORE_ERROR_LOCKED, NULL, error);
          else
            g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_debug ("%s: running the write again (%s)", self->name,
               self->txn_connection_lost ? "reconnected" : "serialization failure");
      if (self->txn_serialization_failure)
        g_usleep (g_random_int_range (1000, 5000 * (int) self->write_attempts));
    }
}

/* --- notifications ----------------------------------------------------- */

gboolean
derm_db_notify (DermDb      *self,
                const char  *channel,
                const char  *payload,
                GError     **error)
{
  g_return_val_if_fail (DERM_IS_DB (self), FALSE);
  g_return_val_if_fail (channel != NULL && *channel != '\0', FALSE);

  return self->backend->notify (self, channel, payload != NULL ? payload : "", error);
}

guint
derm_db_listen (DermDb           *self,
                const char       *channel,
                GMainContext     *context,
                DermDbNotifyFunc  func,
                gpointer          user_data,
                GDestroyNotify    destroy,
                GError          **error)
{
  g_return_val_if_fail (DERM_IS_DB (self), 0);
  g_return_val_if_fail (channel != NULL && *channel != '\0', 0);
  g_return_val_if_fail (func != NULL, 0);

  if (context == NULL)
    context = g_main_context_get_thread_default ();
  if (context == NULL)
    context = g_main_context_default ();
  return self->backend->listen (self, channel, context, func, user_data, destroy, error);
}

void
derm_db_unlisten (DermDb *self,
                  guint   id)
{
  g_return_if_fail (DERM_IS_DB (self));
  self->backend->unlisten (self, id);
}

/* derm-db-pg.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PostgreSQL back end of DermDb, over libpq. Statements keep the
 * store's SQLite text: placeholders become $N here, and each statement
 * is prepared on the server once per connection and per pattern of
 * bound types (an int8 where SQLite had an integer, a float8, a bytea;
 * text and NULL are left for the server to type from their use).
 * Results come as text and are read the way sqlite3_column_* reads.
 *
 * A lost connection turns the store offline (DERM_STORE_ERROR_OFFLINE);
 * the next call reconnects. Write transactions are SERIALIZABLE: the
 * store checks its rules (no double booking) by reading, then writes,
 * and only serializable transactions make that check hold between two
 * desktops. Each one learns its transaction id at BEGIN, so a COMMIT
 * whose answer was lost is settled with txid_status() after reconnecting.
 */
#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include <glib/gi18n.h>
#include <libpq-fe.h>
#include <math.h>
#include <string.h>

#include "derm-db-private.h"

#define INT8OID   20
#define FLOAT8OID 701
#define BYTEAOID  17

typedef struct
{
  PGconn          *conn;
  char            *uri;
  guint            generation;    /* counts connections: prepared names die with one */
  guint            next_name;
  gint64           xid;           /* of the open write transaction, 0 when none */
  DermDbPgListener *listener;
} PgConn;

typedef struct
{
  char        *translated;
  int          n_params;
  char       **values;
  int         *lengths;
  int         *formats;
  Oid         *types;
  GHashTable  *names;        /* type pattern -> server-side statement name */
  guint        generation;
  PGresult    *result;
  int          row;          /* current row; -1 before the statement ran */
  gint64       changes;
  GHashTable  *blobs;        /* column -> GBytes of the current row's bytea */
} PgStmt;

#define CONN(db) ((PgConn *) (db)->conn)

/* --- placeholders ------------------------------------------------------ */

char *
derm_db_pg_translate (const char *sql,
                      int        *n_params)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  int highest = 0;

  for (const char *p = sql; *p != '\0';)
    {
      if (*p == '\'' || *p == '"')
        {
          /* a string literal or a quoted name; a doubled quote stays inside */
          char quote = *p;

          g_string_append_c (out, *p++);
          while (*p != '\0')
            {
              if (*p == quote && p[1] == quote)
                {
                  g_string_append_len (out, p, 2);
                  p += 2;
                  continue;
                }
              g_string_append_c (out, *p);
              if (*p++ == quote)
                break;
            }
        }
      else if (p[0] == '-' && p[1] == '-')
        {
          while (*p != '\0' && *p != '\n')
            g_string_append_c (out, *p++);
        }
      else if (p[0] == '/' && p[1] == '*')
        {
          const char *end = strstr (p + 2, "*/");
          gsize len = end != NULL ? (gsize) (end + 2 - p) : strlen (p);

          g_string_append_len (out, p, len);
          p += len;
        }
      else if (*p == '?')
        {
          int number;

          p++;
          if (g_ascii_isdigit (*p))
            {
              number = 0;
              while (g_ascii_isdigit (*p))
                number = number * 10 + (*p++ - '0');
            }
          else
            number = highest + 1;   /* SQLite: one more than the largest so far */
          highest = MAX (highest, number);
          g_string_append_printf (out, "$%d", number);
        }
      else
        g_string_append_c (out, *p++);
    }
  if (n_params != NULL)
    *n_params = highest;
  return g_string_free (out, FALSE);
}

/* --- the TLS rule ------------------------------------------------------ */

static gboolean
host_is_local (const char *host)
{
  static const char *const local[] = { "localhost", "127.0.0.1", "::1", "[::1]" };

  if (host == NULL || *host == '\0' || host[0] == '/' || host[0] == '@')
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (local); i++)
    if (g_ascii_strcasecmp (host, local[i]) == 0)
      return TRUE;
  return g_str_has_prefix (host, "127.");
}

static const char *
conninfo_value (PQconninfoOption *options,
                const char       *keyword,
                const char       *env)
{
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (strcmp (o->keyword, keyword) == 0 && o->val != NULL && *o->val != '\0')
      return o->val;
  return g_getenv (env);
}

/* "host/database" for messages: never the password */
static char *
display_name (const char *uri)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  const char *host;
  const char *dbname;
  char *name;

  if (options == NULL)
    return g_strdup ("PostgreSQL");
  host = conninfo_value (options, "host", "PGHOST");
  dbname = conninfo_value (options, "dbname", "PGDATABASE");
  if (dbname == NULL)
    dbname = conninfo_value (options, "user", "PGUSER");
  name = g_strdup_printf ("%s/%s", host != NULL ? host : "localhost",
                          dbname != NULL ? dbname : g_get_user_name ());
  PQconninfoFree (options);
  return name;
}

/* Decides from the URI (and libpq's environment variables), before any
 * byte, let alone a password, goes to the network */
gboolean
derm_db_pg_check_tls (const char  *uri,
                      GError     **error)
{
  char *parse_error = NULL;
  PQconninfoOption *options = PQconninfoParse (uri, &parse_error);
  const char *sslmode;
  g_auto (GStrv) hosts = NULL;
  g_auto (GStrv) addrs = NULL;
  gboolean all_local = TRUE;
  gboolean ok;

  if (options == NULL)
    {
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_REFUSED,
                   _("The clinic server's address is not valid (%s)."),
                   parse_error != NULL ? g_strstrip (parse_error) : "out of memory");
      PQfreemem (parse_error);
      return FALSE;
    }
  {
    const char *host = conninfo_value (options, "host", "PGHOST");
    const char *hostaddr = conninfo_value (options, "hostaddr", "PGHOSTADDR");

    hosts = g_strsplit (host != NULL ? host : "", ",", -1);
    addrs = g_strsplit (hostaddr != NULL ? hostaddr : "", ",", -1);
  }
  /* no host at all: libpq's Unix socket */
  for (guint i = 0; i < MAX (g_strv_length (hosts), g_strv_length (addrs)); i++)
    {
      /* hostaddr, where given, is where libpq really connects */
      const char *addr = i < g_strv_length (addrs) ? addrs[i] : NULL;
      const char *name = addr != NULL && *addr != '\0' ? addr
                         : i < g_strv_length (hosts) ? hosts[i] : NULL;

      if (!host_is_local (name))
        all_local = FALSE;
    }
  sslmode = conninfo_value (options, "sslmode", "PGSSLMODE");
  ok = all_local || (sslmode != NULL && (strcmp (sslmode, "require") == 0 ||
                                         strcmp (sslmode, "verify-ca") == 0 ||
                                         strcmp (sslmode, "verify-full") == 0));
  PQconninfoFree (options);
  if (!ok)
    {
      g_autofree char *name = display_name (uri);

      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_REFUSED,
                   _("The clinic server %s is on another computer, and Dermis talks to it only encrypted: add sslmode=verify-full (or sslmode=require) to its address."),
                   name);
    }
  return ok;
}

/* --- errors ------------------------------------------------------------ */

static void
connection_lost (DermDb *db)
{
  derm_db_set_online (db, FALSE);
  if (db->in_transaction)
    db->txn_connection_lost = TRUE;
}

/* Maps the server's SQLSTATE onto the store's codes, and records what
 * the write loop needs: a serialization failure or a lost connection */
static void
set_result_error (DermDb        *db,
                  PGresult      *result,
                  GError       **error)
{
  PGconn *conn = CONN (db)->conn;
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *detail = result != NULL ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  DermStoreError code = DERM_STORE_ERROR_IO;

  if (detail == NULL)
    detail = conn != NULL ? PQerrorMessage (conn) : NULL;
  if (conn == NULL || PQstatus (conn) == CONNECTION_BAD)
    {
      /* libpq lost the server, before or after an answer */
      connection_lost (db);
      code = DERM_STORE_ERROR_OFFLINE;
    }
  else if (state == NULL)
    code = DERM_STORE_ERROR_IO;
  else if (g_str_has_prefix (state, "08") || strcmp (state, "57P01") == 0 ||
           strcmp (state, "57P02") == 0 || strcmp (state, "57P03") == 0)
    {
      connection_lost (db);
      code = DERM_STORE_ERROR_OFFLINE;
    }
  else if (strcmp (state, "40001") == 0 || strcmp (state, "40P01") == 0)
    {
      db->txn_serialization_failure = TRUE;
      code = DERM_STORE_ERROR_LOCKED;
    }
  else if (strcmp (state, "55P03") == 0 || strcmp (state, "57014") == 0)
    code = DERM_STORE_ERROR_LOCKED;
  else if (g_str_has_prefix (state, "23"))
    code = DERM_STORE_ERROR_CONSTRAINT;
  else if (strcmp (state, "53100") == 0)
    code = DERM_STORE_ERROR_FULL;
  else if (strcmp (state, "XX001") == 0 || strcmp (state, "XX002") == 0)
    code = DERM_STORE_ERROR_CORRUPT;
  else if (g_str_has_prefix (state, "28"))
    code = DERM_STORE_ERROR_REFUSED;
  else if (strcmp (state, "42501") == 0 || strcmp (state, "25006") == 0)
    code = DERM_STORE_ERROR_READ_ONLY;
  derm_db_set_error (db, code, detail, error);
}

static gboolean
result_ok (PGresult *result)
{
  ExecStatusType status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;

  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

/* Runs @sql without parameters; the last result when @out is given */
static gboolean
run (DermDb      *db,
     const char  *sql,
     PGresult   **out,
     GError     **error)
{
  PGresult *result = PQexec (CONN (db)->conn, sql);

  if (!result_ok (result))
    {
      set_result_error (db, result, error);
      PQclear (result);
      return FALSE;
    }
  if (out != NULL)
    *out = result;
  else
    PQclear (result);
  return TRUE;
}

/* --- connection -------------------------------------------------------- */

static void
notice_to_debug (void       *arg,
                 const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

static gboolean
session_setup (DermDb  *db,
               GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SET lock_timeout = %u; SET client_min_messages = warning",
                                          db->busy_timeout_ms);

  PQsetNoticeProcessor (CONN (db)->conn, notice_to_debug, NULL);
  return run (db, sql, NULL, error);
}

static PGconn *
connect_to (const char *uri)
{
  /* earlier keywords are defaults the URI may override */
  const char *const keywords[] = { "connect_timeout", "application_name", "dbname", NULL };
  const char *const values[] = { "5", "dermis", uri, NULL };

  return PQconnectdbParams (keywords, values, 1);
}

/* Connected to a server, or DERM_STORE_ERROR_OFFLINE; reconnects a lost
 * connection unless a transaction was open on it */
static gboolean
ensure_connected (DermDb  *db,
                  GError **error)
{
  PgConn *pg = CONN (db);

  if (pg->conn != NULL && PQstatus (pg->conn) == CONNECTION_OK)
    return TRUE;
  if (db->in_transaction)
    {
      connection_lost (db);
      derm_db_set_error (db, DERM_STORE_ERROR_OFFLINE, PQerrorMessage (pg->conn), error);
      return FALSE;
    }
  g_clear_pointer (&pg->conn, PQfinish);
  pg->conn = connect_to (pg->uri);
  if (PQstatus (pg->conn) != CONNECTION_OK)
    {
      DermStoreError code = PQconnectionNeedsPassword (pg->conn) || PQconnectionUsedPassword (pg->conn)
                            ? DERM_STORE_ERROR_REFUSED : DERM_STORE_ERROR_OFFLINE;

      derm_db_set_online (db, FALSE);
      derm_db_set_error (db, code, PQerrorMessage (pg->conn), error);
      return FALSE;
    }
  pg->generation++;
  if (!session_setup (db, error))
    return FALSE;
  derm_db_set_online (db, TRUE);
  return TRUE;
}

gboolean
derm_db_pg_open (DermDb      *db,
                 const char  *uri,
                 GError     **error)
{
  PgConn *pg;

  if (!derm_db_pg_check_tls (uri, error))
    return FALSE;
  pg = g_new0 (PgConn, 1);
  pg->uri = g_strdup (uri);
  db->conn = pg;
  db->name = display_name (uri);
  return ensure_connected (db, error);
}

static void
pg_close (DermDb *db)
{
  PgConn *pg = CONN (db);

  g_clear_pointer (&pg->listener, derm_db_pg_listener_free);
  g_clear_pointer (&pg->conn, PQfinish);
  g_free (pg->uri);
  g_free (pg);
  db->conn = NULL;
}

static void
pg_set_busy_timeout (DermDb *db,
                     guint   ms)
{
  g_autofree char *sql = g_strdup_printf ("SET lock_timeout = %u", ms);

  if (CONN (db)->conn != NULL && PQstatus (CONN (db)->conn) == CONNECTION_OK)
    run (db, sql, NULL, NULL);
}

/* --- statements -------------------------------------------------------- */

static void
clear_row (PgStmt *impl)
{
  g_hash_table_remove_all (impl->blobs);
}

static void
clear_result (PgStmt *impl)
{
  g_clear_pointer (&impl->result, PQclear);
  impl->row = -1;
  clear_row (impl);
}

static gboolean
pg_prepare (DermDb      *db,
            DermDbStmt  *stmt,
            GError     **error)
{
  PgStmt *impl = g_new0 (PgStmt, 1);

  impl->translated = derm_db_pg_translate (stmt->sql, &impl->n_params);
  impl->values = g_new0 (char *, MAX (impl->n_params, 1));
  impl->lengths = g_new0 (int, MAX (impl->n_params, 1));
  impl->formats = g_new0 (int, MAX (impl->n_params, 1));
  impl->types = g_new0 (Oid, MAX (impl->n_params, 1));
  impl->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  impl->blobs = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) g_bytes_unref);
  impl->row = -1;
  stmt->impl = impl;
  /* the server sees the statement at its first run, when the bound
   * types are known */
  return TRUE;
}

static void
clear_bindings (PgStmt *impl)
{
  for (int i = 0; i < impl->n_params; i++)
    {
      g_clear_pointer (&impl->values[i], g_free);
      impl->lengths[i] = 0;
      impl->formats[i] = 0;
      impl->types[i] = 0;
    }
}

static void
pg_finalize (DermDbStmt *stmt)
{
  PgStmt *impl = stmt->impl;

  clear_result (impl);
  clear_bindings (impl);
  g_free (impl->values);
  g_free (impl->lengths);
  g_free (impl->formats);
  g_free (impl->types);
  g_hash_table_unref (impl->names);
  g_hash_table_unref (impl->blobs);
  g_free (impl->translated);
  g_free (impl);
}

static gboolean
pg_exec (DermDb      *db,
         const char  *sql,
         GError     **error)
{
  if (!ensure_connected (db, error))
    return FALSE;
  return run (db, sql, NULL, error);
}

static void
pg_reset (DermDbStmt *stmt)
{
  PgStmt *impl = stmt->impl;

  clear_result (impl);
  clear_bindings (impl);
}

static void
bind_value (DermDbStmt *stmt,
            int         index,
            char       *value,
            int         length,
            int         format,
            Oid         type)
{
  PgStmt *impl = stmt->impl;

  if (index > impl->n_params)
    {
      g_critical ("%s: no placeholder %d in %s", G_STRFUNC, index, stmt->sql);
      g_free (value);
      return;
    }
  g_free (impl->values[index - 1]);
  impl->values[index - 1] = value;
  impl->lengths[index - 1] = length;
  impl->formats[index - 1] = format;
  impl->types[index - 1] = type;
}

static void
pg_bind_null (DermDbStmt *stmt,
              int         index)
{
  bind_value (stmt, index, NULL, 0, 0, 0);
}

static void
pg_bind_text (DermDbStmt *stmt,
              int         index,
              const char *text)
{
  bind_value (stmt, index, g_strdup (text), 0, 0, 0);
}

static void
pg_bind_int64 (DermDbStmt *stmt,
               int         index,
               gint64      value)
{
  bind_value (stmt, index, g_strdup_printf ("%" G_GINT64_FORMAT, value), 0, 0, INT8OID);
}

static void
pg_bind_double (DermDbStmt *stmt,
                int         index,
                double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  const char *text;

  if (isnan (value))
    text = "NaN";
  else if (isinf (value))
    text = value > 0 ? "Infinity" : "-Infinity";
  else
    text = g_ascii_dtostr (buffer, sizeof buffer, value);
  bind_value (stmt, index, g_strdup (text), 0, 0, FLOAT8OID);
}

static void
pg_bind_blob (DermDbStmt    *stmt,
              int            index,
              gconstpointer  data,
              gsize          size)
{
  g_return_if_fail (size <= G_MAXINT);
  /* binary: the bytes as they are, no escaping */
  bind_value (stmt, index, size > 0 ? g_memdup2 (data, size) : g_strdup (""), (int) size, 1, BYTEAOID);
}

static gboolean
is_select (const char *sql)
{
  while (g_ascii_isspace (*sql) || *sql == '(')
    sql++;
  return g_ascii_strncasecmp (sql, "SELECT", 6) == 0;
}

/* The server-side statement for the bound types, prepared on first use */
static const char *
server_statement (DermDbStmt  *stmt,
                  GError     **error)
{
  PgConn *pg = CONN (stmt->db);
  PgStmt *impl = stmt->impl;
  g_autoptr (GString) pattern = g_string_new (NULL);
  const char *name;
  char *new_name;
  PGresult *result;

  if (impl->generation != pg->generation)
    {
      g_hash_table_remove_all (impl->names);
      impl->generation = pg->generation;
    }
  for (int i = 0; i < impl->n_params; i++)
    g_string_append_printf (pattern, "%u,", impl->types[i]);
  name = g_hash_table_lookup (impl->names, pattern->str);
  if (name != NULL)
    return name;

  new_name = g_strdup_printf ("d%u", ++pg->next_name);
  result = PQprepare (pg->conn, new_name, impl->translated, impl->n_params, impl->types);
  if (!result_ok (result))
    {
      set_result_error (stmt->db, result, error);
      PQclear (result);
      g_free (new_name);
      return NULL;
    }
  PQclear (result);
  g_hash_table_insert (impl->names, g_strdup (pattern->str), new_name);
  return new_name;
}

static gboolean
execute (DermDbStmt  *stmt,
         GError     **error)
{
  DermDb *db = stmt->db;
  PgStmt *impl = stmt->impl;

  for (guint attempt = 0;; attempt++)
    {
      g_autoptr (GError) local = NULL;
      const char *name;
      PGresult *result;

      if (!ensure_connected (db, error))
        return FALSE;
      name = server_statement (stmt, &local);
      if (name != NULL)
        {
          result = PQexecPrepared (CONN (db)->conn, name, impl->n_params,
                                   (const char *const *) impl->values, impl->lengths,
                                   impl->formats, 0);
          if (result_ok (result))
            {
              const char *status = PQcmdStatus (result);

              impl->result = result;
              impl->row = 0;
              impl->changes = g_str_has_prefix (status, "SELECT") ? 0
                              : g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
              return TRUE;
            }
          set_result_error (db, result, &local);
          PQclear (result);
        }
      /* a read outside a transaction is safe to run again on a new
       * connection: the server restarted while this one sat idle */
      if (attempt == 0 && !db->in_transaction && is_select (stmt->sql) &&
          g_error_matches (local, DERM_STORE_ERROR, DERM_STORE_ERROR_OFFLINE))
        continue;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
}

static DermDbStep
pg_step (DermDbStmt  *stmt,
         GError     **error)
{
  PgStmt *impl = stmt->impl;

  if (impl->result == NULL)
    {
      if (!execute (stmt, error))
        return DERM_DB_ERROR;
    }
  else
    {
      impl->row++;
      clear_row (impl);
    }
  if (impl->row < PQntuples (impl->result))
    return DERM_DB_ROW;
  return DERM_DB_DONE;
}

static gint64
pg_changes (DermDbStmt *stmt)
{
  return ((PgStmt *) stmt->impl)->changes;
}

static gboolean
has_value (PgStmt *impl,
           int     column)
{
  return impl->result != NULL && impl->row >= 0 && impl->row < PQntuples (impl->result) &&
         column >= 0 && column < PQnfields (impl->result) &&
         !PQgetisnull (impl->result, impl->row, column);
}

static int
pg_column_count (DermDbStmt *stmt)
{
  PgStmt *impl = stmt->impl;

  return impl->result != NULL && impl->row < PQntuples (impl->result) ? PQnfields (impl->result) : 0;
}

static gboolean
pg_column_is_null (DermDbStmt *stmt,
                   int         column)
{
  return !has_value (stmt->impl, column);
}

static const char *
pg_column_text (DermDbStmt *stmt,
                int         column)
{
  PgStmt *impl = stmt->impl;

  return has_value (impl, column) ? PQgetvalue (impl->result, impl->row, column) : NULL;
}

static gint64
pg_column_int64 (DermDbStmt *stmt,
                 int         column)
{
  const char *text = pg_column_text (stmt, column);

  if (text == NULL)
    return 0;
  /* booleans (EXISTS, comparisons) read as SQLite's 1 and 0 */
  if (strcmp (text, "t") == 0)
    return 1;
  if (strcmp (text, "f") == 0)
    return 0;
  return g_ascii_strtoll (text, NULL, 10);
}

static double
pg_column_double (DermDbStmt *stmt,
                  int         column)
{
  const char *text = pg_column_text (stmt, column);

  return text != NULL ? g_ascii_strtod (text, NULL) : 0.0;
}

static gconstpointer
pg_column_blob (DermDbStmt *stmt,
                int         column,
                gsize      *size)
{
  PgStmt *impl = stmt->impl;
  GBytes *bytes;

  *size = 0;
  if (!has_value (impl, column))
    return NULL;
  bytes = g_hash_table_lookup (impl->blobs, GINT_TO_POINTER (column));
  if (bytes == NULL)
    {
      const char *text = PQgetvalue (impl->result, impl->row, column);

      if (PQftype (impl->result, column) == BYTEAOID)
        {
          size_t length = 0;
          guchar *raw = PQunescapeBytea ((const guchar *) text, &length);

          bytes = g_bytes_new (raw, length);
          PQfreemem (raw);
        }
      else
        bytes = g_bytes_new (text, strlen (text));   /* text read as bytes, as SQLite does */
      g_hash_table_insert (impl->blobs, GINT_TO_POINTER (column), bytes);
    }
  return g_bytes_get_data (bytes, size);
}

/* --- transactions ------------------------------------------------------ */

static gboolean
pg_begin (DermDb             *db,
          DermDbTransaction   kind,
          GError            **error)
{
  PgConn *pg = CONN (db);

  pg->xid = 0;
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr (GError) local = NULL;
      PGresult *result = NULL;

      if (!ensure_connected (db, error))
        return FALSE;
      if (kind == DERM_DB_READ)
        {
          if (run (db, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", NULL, &local))
            return TRUE;
        }
      else if (run (db, "BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT txid_current ()", &result, &local))
        {
          pg->xid = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
          PQclear (result);
          return TRUE;
        }
      /* nothing has happened yet: a connection that died while idle is
       * replaced at once */
      if (attempt > 0 || !g_error_matches (local, DERM_STORE_ERROR, DERM_STORE_ERROR_OFFLINE))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
}

static gboolean
pg_commit (DermDb  *db,
           GError **error)
{
  if (!ensure_connected (db, error))
    return FALSE;
  if (!run (db, "COMMIT", NULL, error))
    return FALSE;
  CONN (db)->xid = 0;
  return TRUE;
}

static void
pg_rollback (DermDb *db)
{
  PgConn *pg = CONN (db);

  pg->xid = 0;
  if (pg->conn != NULL && PQstatus (pg->conn) == CONNECTION_OK &&
      PQtransactionStatus (pg->conn) != PQTRANS_IDLE)
    PQclear (PQexec (pg->conn, "ROLLBACK"));
}

/* The connection died around COMMIT: reconnect (for up to the busy
 * timeout) and ask the server how the transaction ended */
static gboolean
pg_settle_lost_commit (DermDb    *db,
                       gboolean  *committed,
                       GError   **error)
{
  PgConn *pg = CONN (db);
  gint64 deadline = g_get_monotonic_time () + (gint64) db->busy_timeout_ms * 1000;
  gint64 xid = pg->xid;
  g_autoptr (GError) local = NULL;
  char xid_text[32];
  const char *values[1] = { xid_text };
  PGresult *result;

  *committed = FALSE;
  pg->xid = 0;
  if (xid == 0)
    return TRUE;
  while (!ensure_connected (db, &local))
    {
      if (g_get_monotonic_time () >= deadline)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_clear_error (&local);
      g_usleep (100000);
    }
  g_snprintf (xid_text, sizeof xid_text, "%" G_GINT64_FORMAT, xid);
  result = PQexecParams (pg->conn, "SELECT txid_status ($1::bigint)", 1, NULL, values, NULL, NULL, 0);
  if (!result_ok (result))
    {
      set_result_error (db, result, error);
      PQclear (result);
      return FALSE;
    }
  *committed = !PQgetisnull (result, 0, 0) && strcmp (PQgetvalue (result, 0, 0), "committed") == 0;
  g_debug ("%s: the transaction whose COMMIT was lost %s", db->name,
           *committed ? "had committed" : "had not committed");
  PQclear (result);
  return TRUE;
}

/* --- notifications ----------------------------------------------------- */

static gboolean
pg_notify (DermDb      *db,
           const char  *channel,
           const char  *payload,
           GError     **error)
{
  DermDbStmt *stmt = derm_db_prepare (db, "SELECT pg_notify (?1, ?2)", error);

  if (stmt == NULL)
    return FALSE;
  derm_db_bind_text (stmt, 1, channel);
  derm_db_bind_text (stmt, 2, payload);
  return derm_db_step_done (stmt, error);
}

static guint
pg_listen (DermDb            *db,
           const char        *channel,
           GMainContext      *context,
           DermDbNotifyFunc   func,
           gpointer           user_data,
           GDestroyNotify     destroy,
           GError           **error)
{
  PgConn *pg = CONN (db);

  if (pg->listener == NULL)
    pg->listener = derm_db_pg_listener_new (pg->uri, context);
  if (derm_db_pg_listener_get_context (pg->listener) != context)
    {
      g_critical ("%s: every listen of one connection must use the same main context", G_STRFUNC);
      return 0;
    }
  return derm_db_pg_listener_add (pg->listener, channel, func, user_data, destroy);
}

static void
pg_unlisten (DermDb *db,
             guint   id)
{
  if (CONN (db)->listener != NULL)
    derm_db_pg_listener_remove (CONN (db)->listener, id);
}

const DermDbBackend derm_db_pg_backend = {
  .kind = DERM_DB_POSTGRESQL,
  .close = pg_close,
  .prepare = pg_prepare,
  .finalize = pg_finalize,
  .exec = pg_exec,
  .reset = pg_reset,
  .bind_null = pg_bind_null,
  .bind_text = pg_bind_text,
  .bind_int64 = pg_bind_int64,
  .bind_double = pg_bind_double,
  .bind_blob = pg_bind_blob,
  .step = pg_step,
  .changes = pg_changes,
  .column_count = pg_column_count,
  .column_is_null = pg_column_is_null,
  .column_text = pg_column_text,
  .column_int64 = pg_column_int64,
  .column_double = pg_column_double,
  .column_blob = pg_column_blob,
  .begin = pg_begin,
  .commit = pg_commit,
  .rollback = pg_rollback,
  .set_busy_timeout = pg_set_busy_timeout,
  .settle_lost_commit = pg_settle_lost_commit,
  .notify = pg_notify,
  .listen = pg_listen,
  .unlisten = pg_unlisten,
};

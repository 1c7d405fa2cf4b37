/* derm-db-pg-listen.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LISTEN on a connection of its own, watched by a GSource on the main
 * context: the socket wakes it, so a notification reaches the window
 * within a poll of the main loop, and nothing here ever blocks that
 * loop (the connection is made with PQconnectStartParams and
 * PQconnectPoll). When the server goes away the source reconnects,
 * waiting a little longer each time, and tells every listener (NULL
 * payload) once it listens again, since notifications sent meanwhile
 * are lost.
 */
#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "derm-db-private.h"

#define FIRST_RETRY_MS 100
#define LAST_RETRY_MS  2000

typedef enum
{
  STATE_WAITING,     /* no connection: a timer brings the next attempt */
  STATE_CONNECTING,
  STATE_LISTENING,
} State;

typedef struct
{
  guint             id;
  char             *channel;
  DermDbNotifyFunc  func;
  gpointer          user_data;
  GDestroyNotify    destroy;
} Entry;

struct _DermDbPgListener
{
  GSource        source;

  GMutex         mutex;         /* everything below; never held during a callback */
  char          *uri;
  GMainContext  *context;
  PGconn        *conn;
  State          state;
  int            fd;
  gpointer       fd_tag;
  guint          retry_ms;
  GPtrArray     *entries;       /* Entry* */
  GHashTable    *listening;     /* channel -> TRUE once the server confirmed LISTEN */
  GPtrArray     *sent;          /* channels of the LISTEN in flight */
  guint          last_id;
};

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  if (entry->destroy != NULL)
    entry->destroy (entry->user_data);
  g_free (entry->channel);
  g_free (entry);
}

static void
watch_socket (DermDbPgListener *self,
              GIOCondition      condition)
{
  int fd = self->conn != NULL ? PQsocket (self->conn) : -1;

  if (self->fd_tag != NULL && fd != self->fd)
    {
      g_source_remove_unix_fd (&self->source, self->fd_tag);
      self->fd_tag = NULL;
    }
  self->fd = fd;
  if (fd < 0)
    return;
  if (self->fd_tag == NULL)
    self->fd_tag = g_source_add_unix_fd (&self->source, fd, condition);
  else
    g_source_modify_unix_fd (&self->source, self->fd_tag, condition);
}

static void
drop_connection (DermDbPgListener *self)
{
  if (self->fd_tag != NULL)
    g_source_remove_unix_fd (&self->source, self->fd_tag);
  self->fd_tag = NULL;
  self->fd = -1;
  g_clear_pointer (&self->conn, PQfinish);
  g_hash_table_remove_all (self->listening);
  g_ptr_array_set_size (self->sent, 0);
  self->state = STATE_WAITING;
  g_source_set_ready_time (&self->source, g_source_get_time (&self->source) + self->retry_ms * 1000);
  self->retry_ms = MIN (self->retry_ms * 2, LAST_RETRY_MS);
}

static void
notice_to_debug (void       *arg,
                 const char *message)
{
  g_debug ("PostgreSQL (listening): %s", message);
}

static void
start_connecting (DermDbPgListener *self)
{
  const char *const keywords[] = { "connect_timeout", "application_name", "dbname", NULL };
  const char *const values[] = { "5", "dermis-listen", self->uri, NULL };

  self->conn = PQconnectStartParams (keywords, values, 1);
  if (self->conn == NULL || PQstatus (self->conn) == CONNECTION_BAD)
    {
      drop_connection (self);
      return;
    }
  /* the server's goodbye at a restart is no news: the reconnection says it */
  PQsetNoticeProcessor (self->conn, notice_to_debug, NULL);
  self->state = STATE_CONNECTING;
  g_source_set_ready_time (&self->source, -1);
  watch_socket (self, G_IO_OUT | G_IO_ERR | G_IO_HUP);
}

/* LISTEN for every channel someone listens to and the server does not
 * know of yet, as one query; its answer confirms them all */
static void
send_listens (DermDbPgListener *self)
{
  g_autoptr (GString) sql = g_string_new (NULL);

  if (self->state != STATE_LISTENING || self->sent->len > 0)
    return;
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      char *quoted;
      gboolean queued = FALSE;

      if (g_hash_table_contains (self->listening, entry->channel))
        continue;
      for (guint j = 0; j < self->sent->len && !queued; j++)
        queued = strcmp (g_ptr_array_index (self->sent, j), entry->channel) == 0;
      if (queued)
        continue;
      quoted = PQescapeIdentifier (self->conn, entry->channel, strlen (entry->channel));
      if (quoted == NULL)
        continue;
      g_string_append_printf (sql, "LISTEN %s;", quoted);
      PQfreemem (quoted);
      g_ptr_array_add (self->sent, g_strdup (entry->channel));
    }
  if (self->sent->len == 0)
    return;
  if (!PQsendQuery (self->conn, sql->str))
    drop_connection (self);
}

/* What dispatch found, to be handed out without the mutex */
typedef struct
{
  char *channel;
  char *payload;   /* NULL: now listening, anything may have changed */
} Event;

static void
event_clear (gpointer data)
{
  Event *event = data;

  g_free (event->channel);
  g_free (event->payload);
}

static void
read_connection (DermDbPgListener *self,
                 GArray           *events)
{
  PGnotify *notify;

  if (!PQconsumeInput (self->conn))
    {
      g_debug ("listening connection lost: %s", PQerrorMessage (self->conn));
      drop_connection (self);
      return;
    }
  while (!PQisBusy (self->conn))
    {
      PGresult *result = PQgetResult (self->conn);

      if (result == NULL)
        {
          /* the LISTEN in flight, if any, is done */
          for (guint i = 0; i < self->sent->len; i++)
            {
              Event event = { g_strdup (g_ptr_array_index (self->sent, i)), NULL };

              g_hash_table_add (self->listening, g_strdup (event.channel));
              g_array_append_val (events, event);
            }
          g_ptr_array_set_size (self->sent, 0);
          break;
        }
      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        g_warning ("LISTEN failed: %s", PQresultErrorMessage (result));
      PQclear (result);
    }
  while ((notify = PQnotifies (self->conn)) != NULL)
    {
      Event event = { g_strdup (notify->relname), g_strdup (notify->extra) };

      g_array_append_val (events, event);
      PQfreemem (notify);
    }
  if (PQstatus (self->conn) == CONNECTION_BAD)
    drop_connection (self);
  else
    send_listens (self);
}

static void
advance (DermDbPgListener *self,
         GArray           *events)
{
  switch (self->state)
    {
    case STATE_WAITING:
      if (g_source_get_ready_time (&self->source) >= 0 &&
          g_source_get_time (&self->source) >= g_source_get_ready_time (&self->source))
        start_connecting (self);
      break;

    case STATE_CONNECTING:
      switch (PQconnectPoll (self->conn))
        {
        case PGRES_POLLING_READING:
          watch_socket (self, G_IO_IN | G_IO_ERR | G_IO_HUP);
          break;
        case PGRES_POLLING_WRITING:
          watch_socket (self, G_IO_OUT | G_IO_ERR | G_IO_HUP);
          break;
        case PGRES_POLLING_OK:
          self->state = STATE_LISTENING;
          self->retry_ms = FIRST_RETRY_MS;
          PQsetnonblocking (self->conn, 1);
          watch_socket (self, G_IO_IN | G_IO_ERR | G_IO_HUP);
          send_listens (self);
          break;
        case PGRES_POLLING_FAILED:
        case PGRES_POLLING_ACTIVE:
        default:
          g_debug ("listening connection failed: %s", PQerrorMessage (self->conn));
          drop_connection (self);
          break;
        }
      break;

    case STATE_LISTENING:
      g_source_set_ready_time (&self->source, -1);
      read_connection (self, events);
      break;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
listener_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  DermDbPgListener *self = (DermDbPgListener *) source;
  g_autoptr (GArray) events = g_array_new (FALSE, FALSE, sizeof (Event));

  g_array_set_clear_func (events, event_clear);
  g_mutex_lock (&self->mutex);
  advance (self, events);
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; i < events->len; i++)
    {
      Event *event = &g_array_index (events, Event, i);
      g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));

      g_mutex_lock (&self->mutex);
      for (guint j = 0; j < self->entries->len; j++)
        {
          Entry *entry = g_ptr_array_index (self->entries, j);

          if (strcmp (entry->channel, event->channel) == 0)
            g_array_append_val (ids, entry->id);
        }
      g_mutex_unlock (&self->mutex);
      /* one at a time, looked up again: a callback may stop listening */
      for (guint j = 0; j < ids->len; j++)
        {
          DermDbNotifyFunc func = NULL;
          gpointer data = NULL;

          g_mutex_lock (&self->mutex);
          for (guint k = 0; k < self->entries->len; k++)
            {
              Entry *entry = g_ptr_array_index (self->entries, k);

              if (entry->id == g_array_index (ids, guint, j))
                {
                  func = entry->func;
                  data = entry->user_data;
                }
            }
          g_mutex_unlock (&self->mutex);
          if (func != NULL)
            func (event->channel, event->payload, data);
        }
    }
  return G_SOURCE_CONTINUE;
}

static void
listener_finalize (GSource *source)
{
  DermDbPgListener *self = (DermDbPgListener *) source;

  g_clear_pointer (&self->conn, PQfinish);
  g_ptr_array_unref (self->entries);
  g_ptr_array_unref (self->sent);
  g_hash_table_unref (self->listening);
  g_free (self->uri);
  g_mutex_clear (&self->mutex);
}

static GSourceFuncs listener_funcs = {
  .dispatch = listener_dispatch,
  .finalize = listener_finalize,
};

DermDbPgListener *
derm_db_pg_listener_new (const char   *uri,
                         GMainContext *context)
{
  DermDbPgListener *self = (DermDbPgListener *) g_source_new (&listener_funcs, sizeof (DermDbPgListener));

  g_mutex_init (&self->mutex);
  self->uri = g_strdup (uri);
  self->context = context;
  self->fd = -1;
  self->retry_ms = FIRST_RETRY_MS;
  self->state = STATE_WAITING;
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->sent = g_ptr_array_new_with_free_func (g_free);
  self->listening = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_source_set_static_name (&self->source, "[dermis] PostgreSQL LISTEN");
  /* connect at the first iteration of the loop */
  g_source_set_ready_time (&self->source, 0);
  g_source_attach (&self->source, context);
  return self;
}

GMainContext *
derm_db_pg_listener_get_context (DermDbPgListener *self)
{
  return self->context;
}

guint
derm_db_pg_listener_add (DermDbPgListener *self,
                         const char       *channel,
                         DermDbNotifyFunc  func,
                         gpointer          user_data,
                         GDestroyNotify    destroy)
{
  Entry *entry = g_new0 (Entry, 1);
  guint id;

  entry->channel = g_strdup (channel);
  entry->func = func;
  entry->user_data = user_data;
  entry->destroy = destroy;
  g_mutex_lock (&self->mutex);
  id = entry->id = ++self->last_id;
  g_ptr_array_add (self->entries, entry);
  if (self->state == STATE_LISTENING && !g_hash_table_contains (self->listening, channel))
    {
      /* sent by the dispatch, which owns the connection's reading */
      g_source_set_ready_time (&self->source, 0);
    }
  g_mutex_unlock (&self->mutex);
  return id;
}

void
derm_db_pg_listener_remove (DermDbPgListener *self,
                            guint             id)
{
  Entry *found = NULL;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->id == id)
        {
          found = g_ptr_array_steal_index (self->entries, i);
          break;
        }
    }
  g_mutex_unlock (&self->mutex);
  /* the channel stays listened to: harmless, and a later listen is quick */
  if (found != NULL)
    entry_free (found);
}

void
derm_db_pg_listener_free (DermDbPgListener *self)
{
  g_source_destroy (&self->source);
  g_source_unref (&self->source);
}

/* derm-store-async.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's worker: every _async call runs on one thread per store, in
 * the order the calls were made, so a reload asked for after a save sees
 * the save. The window only queues calls and applies results: a write
 * that waits for another process's lock keeps the worker busy, never the
 * main loop.
 */
#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include "derm-client.h"
#include "derm-store-private.h"

typedef struct
{
  DermStoreCallFunc func;
  gpointer          data;
  GDestroyNotify    data_free;
  GDestroyNotify    result_free;
} Call;

static void
call_free (Call *call)
{
  if (call->data_free != NULL && call->data != NULL)
    call->data_free (call->data);
  g_free (call);
}

static void
run_call (gpointer task_pointer,
          gpointer unused)
{
  g_autoptr (GTask) task = task_pointer;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer result = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (call->func (g_task_get_source_object (task), call->data, &result, &error))
    g_task_return_pointer (task, result, call->result_free);
  else
    g_task_return_error (task, error);
}

void
derm_store_call_async (DermStore           *self,
                       gpointer             source_tag,
                       DermStoreCallFunc    func,
                       gpointer             data,
                       GDestroyNotify       data_free,
                       GDestroyNotify       result_free,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  Call *call;

  g_return_if_fail (DERM_IS_STORE (self));
  g_return_if_fail (func != NULL);

  call = g_new0 (Call, 1);
  call->func = func;
  call->data = data;
  call->data_free = data_free;
  call->result_free = result_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  if (g_once_init_enter (&self->worker))
    g_once_init_leave (&self->worker, g_thread_pool_new (run_call, NULL, 1, FALSE, NULL));
  /* the pool owns the task until run_call drops it */
  g_thread_pool_push (self->worker, task, NULL);
}

gpointer
derm_store_call_finish (DermStore     *self,
                        GAsyncResult  *result,
                        gpointer       source_tag,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
derm_store_worker_free (DermStore *self)
{
  /* Every queued call holds a reference on the store, so the pool is idle
   * here; do not wait, as the last reference may go on the worker itself */
  if (self->worker != NULL)
    g_thread_pool_free (g_steal_pointer (&self->worker), FALSE, FALSE);
}

/* --- clients ----------------------------------------------------------- */

static gboolean
list_clients_call (DermStore  *self,
                   gpointer    data,
                   gpointer   *result,
                   GError    **error)
{
  return (*result = derm_store_list_clients (self, GPOINTER_TO_INT (data), error)) != NULL;
}

void
derm_store_list_clients_async (DermStore           *self,
                               gboolean             include_archived,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  derm_store_call_async (self, derm_store_list_clients_async, list_clients_call,
                         GINT_TO_POINTER (include_archived ? 1 : 0), NULL,
                         (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
derm_store_list_clients_finish (DermStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return derm_store_call_finish (self, result, derm_store_list_clients_async, error);
}

static gboolean
save_client_call (DermStore  *self,
                  gpointer    data,
                  gpointer   *result,
                  GError    **error)
{
  DermClient *client = data;
  gboolean ok;

  if (derm_client_get_id (client) == 0)
    ok = derm_store_add_client (self, client, error);
  else
    ok = derm_store_update_client (self, client, error);
  if (!ok)
    return FALSE;
  /* As stored, with the last visit and Do Not Treat the list shows */
  return (*result = derm_store_get_client (self, derm_client_get_id (client), error)) != NULL;
}

void
derm_store_save_client_async (DermStore           *self,
                              DermClient          *client,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (DERM_IS_CLIENT (client));

  derm_store_call_async (self, derm_store_save_client_async, save_client_call,
                         g_object_ref (client), g_object_unref, g_object_unref,
                         cancellable, callback, user_data);
}

DermClient *
derm_store_save_client_finish (DermStore     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return derm_store_call_finish (self, result, derm_store_save_client_async, error);
}

typedef struct
{
  gint64   id;
  gboolean archived;
} ArchiveCall;

static gboolean
set_client_archived_call (DermStore  *self,
                          gpointer    data,
                          gpointer   *result,
                          GError    **error)
{
  ArchiveCall *call = data;

  return derm_store_set_client_archived (self, call->id, call->archived, error) &&
         (*result = derm_store_get_client (self, call->id, error)) != NULL;
}

void
derm_store_set_client_archived_async (DermStore           *self,
                                      gint64               id,
                                      gboolean             archived,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  ArchiveCall *call = g_new (ArchiveCall, 1);

  call->id = id;
  call->archived = archived;
  derm_store_call_async (self, derm_store_set_client_archived_async, set_client_archived_call,
                         call, g_free, g_object_unref, cancellable, callback, user_data);
}

DermClient *
derm_store_set_client_archived_finish (DermStore     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return derm_store_call_finish (self, result, derm_store_set_client_archived_async, error);
}

static gboolean
get_client_call (DermStore  *self,
                 gpointer    data,
                 gpointer   *result,
                 GError    **error)
{
  return (*result = derm_store_get_client (self, *(gint64 *) data, error)) != NULL;
}

void
derm_store_get_client_async (DermStore           *self,
                             gint64               id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  derm_store_call_async (self, derm_store_get_client_async, get_client_call,
                         g_memdup2 (&id, sizeof id), g_free, g_object_unref, cancellable, callback, user_data);
}

DermClient *
derm_store_get_client_finish (DermStore     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return derm_store_call_finish (self, result, derm_store_get_client_async, error);
}

/* --- any work ---------------------------------------------------------- */

void
derm_store_run_async (DermStore           *self,
                      DermStoreWorkFunc    func,
                      gpointer             data,
                      GDestroyNotify       data_free,
                      GDestroyNotify       result_free,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  derm_store_call_async (self, derm_store_run_async, (DermStoreCallFunc) func, data, data_free,
                         result_free, cancellable, callback, user_data);
}

gboolean
derm_store_run_finish (DermStore     *self,
                       GAsyncResult  *result,
                       gpointer      *out,
                       GError       **error)
{
  GError *local = NULL;
  gpointer value;

  g_return_val_if_fail (out != NULL, FALSE);

  value = derm_store_call_finish (self, result, derm_store_run_async, &local);

  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

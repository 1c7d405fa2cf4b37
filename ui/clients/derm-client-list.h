/* derm-client-list.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The searchable, sortable list of clients in the sidebar. It keeps every
 * client (archived ones too) in one GListStore and filters and sorts in
 * the model, so searching never touches the database.
 */
#pragma once

#include <gtk/gtk.h>

#include "derm-types.h"

G_BEGIN_DECLS

typedef enum
{
  DERM_CLIENT_SORT_NAME,
  DERM_CLIENT_SORT_LAST_VISIT,
} DermClientSort;

#define DERM_TYPE_CLIENT_LIST (derm_client_list_get_type ())
G_DECLARE_FINAL_TYPE (DermClientList, derm_client_list, DERM, CLIENT_LIST, GtkWidget)

GtkWidget     *derm_client_list_new               (void);
DermStore     *derm_client_list_get_store         (DermClientList *self);
/* Sets the store and reloads */
void           derm_client_list_set_store         (DermClientList *self,
                                                   DermStore      *store);
/* Reloads every client from the store in a worker thread */
void           derm_client_list_reload            (DermClientList *self);
/* TRUE while a reload is running */
gboolean       derm_client_list_get_loading       (DermClientList *self);
const char    *derm_client_list_get_query         (DermClientList *self);
/* Filters synchronously: the model is up to date when this returns */
void           derm_client_list_set_query         (DermClientList *self,
                                                   const char     *query);
DermClientSort derm_client_list_get_sort          (DermClientList *self);
void           derm_client_list_set_sort          (DermClientList *self,
                                                   DermClientSort  sort);
gboolean       derm_client_list_get_show_archived (DermClientList *self);
void           derm_client_list_set_show_archived (DermClientList *self,
                                                   gboolean        show_archived);
/* Inserts a copy of @client, or replaces the client with the same id */
void           derm_client_list_update_client     (DermClientList *self,
                                                   DermClient     *client);
void           derm_client_list_remove_client     (DermClientList *self,
                                                   gint64          id);
/* Selects and scrolls to the client without emitting "client-activated";
 * returns FALSE when the client is not shown (filtered out or unknown) */
gboolean       derm_client_list_select_client     (DermClientList *self,
                                                   gint64          id);
void           derm_client_list_unselect          (DermClientList *self);
/* The selected client, or NULL */
DermClient    *derm_client_list_get_selected      (DermClientList *self);
/* The clients as shown: filtered and sorted */
GListModel    *derm_client_list_get_model         (DermClientList *self);
/* Every client known, archived ones included, before filtering */
guint          derm_client_list_get_n_clients     (DermClientList *self);

G_END_DECLS

/* derm-client-merge.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client page's duplicate question ("Possible duplicate of ...",
 * Open / Create Anyway) and its Merge Clients… flow: choose the other
 * client, confirm what will move, merge on the store's worker.
 */
#pragma once

#include <adwaita.h>

#include "derm-client.h"
#include "derm-store.h"

G_BEGIN_DECLS

/* Reads derm_store_find_duplicates() for @client (copied) on the
 * store's worker; finish gives the GPtrArray of DermClient (transfer full) */
void        derm_client_merge_find_duplicates_async  (DermStore           *store,
                                                      DermClient          *client,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray  *derm_client_merge_find_duplicates_finish (DermStore           *store,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* The question for @duplicates (not empty): responses "cancel", "open"
 * (the first duplicate, its id as the dialog's "client-id" data, a
 * gint64 pointer) and "create" */
GtkWidget  *derm_client_merge_duplicate_question     (GtkWindow           *parent,
                                                      GPtrArray           *duplicates);

/* Called once a merge is done: @from_id is gone, @into_id holds it all;
 * @message says what moved, for a toast */
typedef void (*DermClientMergedFunc) (gpointer    owner,
                                      gint64      from_id,
                                      gint64      into_id,
                                      const char *message);

/* Merge Clients…: asks which other client to merge into @into, then
 * confirms with what will move, then merges. @owner (a widget) gets
 * @func unless it went away meanwhile. */
void        derm_client_merge_start                  (GtkWidget           *owner,
                                                      DermStore           *store,
                                                      DermClient          *into,
                                                      DermClientMergedFunc func);

/* The chooser's and confirmation's dialogs, while open (tests) */
GtkWidget  *derm_client_merge_get_dialog             (void);
/* Chooses @from_id in the open chooser, as picking it would */
gboolean    derm_client_merge_choose                 (gint64               from_id);

G_END_DECLS

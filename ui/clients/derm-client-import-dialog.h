/* derm-client-import-dialog.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import Clients…: the preview of a CSV file before anything is written.
 * Each column of the file has a menu of the client field it holds
 * (guessed from its header), the rows are listed with their errors first,
 * and Import, sensitive only when every row is valid, adds all the
 * clients in one transaction on the store's worker (derm_store_add_clients).
 */
#pragma once

#include <adwaita.h>

#include "derm-types.h"
#include "derm-client-csv.h"

G_BEGIN_DECLS

#define DERM_TYPE_CLIENT_IMPORT_DIALOG (derm_client_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DermClientImportDialog, derm_client_import_dialog, DERM, CLIENT_IMPORT_DIALOG, AdwWindow)

DermClientImportDialog *derm_client_import_dialog_new     (GtkWindow     *parent,
                                                           DermStore     *store,
                                                           DermClientCsv *csv,
                                                           const char    *file_name);
DermClientCsv          *derm_client_import_dialog_get_csv (DermClientImportDialog *self);
/* The menu of the file's @column */
AdwComboRow            *derm_client_import_dialog_get_column_row (DermClientImportDialog *self,
                                                                  guint                   column);
/* The rows as listed: their indices in the file's rows, errors first */
GListModel             *derm_client_import_dialog_get_rows (DermClientImportDialog *self);
const char             *derm_client_import_dialog_get_status (DermClientImportDialog *self);

/* Reads @file on a worker thread, then opens the preview over @parent, or
 * says in a toast on @parent ("win.show-toast") why the file cannot be
 * imported. After an import the dialog activates "win.show-toast" and
 * "win.refresh" on @parent. */
void                    derm_client_import_dialog_open_file (GtkWindow *parent,
                                                             DermStore *store,
                                                             GFile     *file);

G_END_DECLS

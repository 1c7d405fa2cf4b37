/* derm-client-csv-export.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export Clients…: the client list as CSV (derm_client_csv_export()),
 * written on the store's worker through the safe export path (never into
 * the data folder, through a link or over anything but a regular file).
 */
#pragma once

#include <gtk/gtk.h>

#include "derm-types.h"

G_BEGIN_DECLS

/* Asks where to save (the native file chooser, with the choices "For
 * spreadsheets" (a byte order mark) and "Include archived clients"),
 * then exports */
void derm_client_csv_export_ask     (GtkWindow *parent,
                                     DermStore *store);

/* Writes the clients to @file; the outcome is a toast on @parent
 * ("win.show-toast") */
void derm_client_csv_export_to_file (GtkWindow *parent,
                                     DermStore *store,
                                     GFile     *file,
                                     gboolean   bom,
                                     gboolean   archived);

G_END_DECLS

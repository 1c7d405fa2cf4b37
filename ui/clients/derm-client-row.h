/* derm-client-row.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row of the client list: name, last visit and phone, and an
 * "Archived" tag. Rows are recycled by the list view's factory.
 */
#pragma once

#include <gtk/gtk.h>

#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_CLIENT_ROW (derm_client_row_get_type ())
G_DECLARE_FINAL_TYPE (DermClientRow, derm_client_row, DERM, CLIENT_ROW, GtkWidget)

GtkWidget  *derm_client_row_new        (void);
DermClient *derm_client_row_get_client (DermClientRow *self);
void        derm_client_row_set_client (DermClientRow *self,
                                        DermClient    *client);
/* "Last visit 12 Mar 2026 · 06 12 34 56 78", "No visits yet", ... */
char       *derm_client_row_format_subtitle (DermClient *client);

G_END_DECLS

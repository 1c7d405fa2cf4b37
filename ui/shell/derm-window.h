/* derm-window.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: the client list in a sidebar and the selected
 * client's page, folding to one pane on narrow screens.
 */
#pragma once

#include <adwaita.h>

#include "derm-types.h"
#include "derm-application.h"
#include "derm-client-list.h"
#include "derm-client-page.h"
#include "derm-agenda-view.h"
#include "derm-due-list.h"
#include "derm-month-view.h"

G_BEGIN_DECLS

#define DERM_TYPE_WINDOW (derm_window_get_type ())
G_DECLARE_FINAL_TYPE (DermWindow, derm_window, DERM, WINDOW, AdwApplicationWindow)

DermWindow     *derm_window_new               (DermApplication *app,
                                               DermStore       *store);
DermStore      *derm_window_get_store         (DermWindow      *self);
DermClientList *derm_window_get_client_list   (DermWindow      *self);
DermClientPage *derm_window_get_client_page   (DermWindow      *self);
GtkWidget      *derm_window_get_search_entry  (DermWindow      *self);
/* The planner's views: "win.show-calendar" and "win.show-due" show them */
DermAgendaView *derm_window_get_agenda_view   (DermWindow      *self);
DermMonthView  *derm_window_get_month_view    (DermWindow      *self);
DermDueList    *derm_window_get_due_list      (DermWindow      *self);
/* Shows @message in a toast; the same as activating "win.show-toast" */
void            derm_window_add_toast         (DermWindow      *self,
                                               const char      *message);

G_END_DECLS

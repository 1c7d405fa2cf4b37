/* derm-due-list.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Due list: past appointments still booked, under "Needs outcome"
 * with their outcomes (done, no-show, cancelled); "Needs attention":
 * bookings to come that a later change made break a rule, with the
 * reason, to move or cancel; then series whose next
 * session falls due within 14 days and is not booked, overdue ones, and
 * completed series due their follow-up photo, each with a button to book
 * it. Reloads read the store on its worker thread.
 */
#pragma once

#include <adwaita.h>

#include "derm-types.h"

G_BEGIN_DECLS

/* How far ahead the list looks */
#define DERM_DUE_HORIZON_DAYS 14

#define DERM_TYPE_DUE_LIST (derm_due_list_get_type ())
G_DECLARE_FINAL_TYPE (DermDueList, derm_due_list, DERM, DUE_LIST, GtkWidget)

GtkWidget  *derm_due_list_new       (void);
DermStore  *derm_due_list_get_store (DermDueList *self);
void        derm_due_list_set_store (DermDueList *self,
                                     DermStore   *store);
void        derm_due_list_reload    (DermDueList *self);
/* The DermDueItem objects shown */
GListModel *derm_due_list_get_model (DermDueList *self);
/* The DermAppointment objects under "Needs outcome": past, still booked */
GListModel *derm_due_list_get_outcome_model (DermDueList *self);
/* The DermAppointment objects under "Needs attention": still to come and
 * breaking a rule now (a changed screening, hours, closed day, room,
 * practitioner or protocol), each with its problems set */
GListModel *derm_due_list_get_attention_model (DermDueList *self);
/* TRUE while a reload reads the store (the "loading" property) */
gboolean    derm_due_list_get_loading (DermDueList *self);

G_END_DECLS

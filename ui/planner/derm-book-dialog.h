/* derm-book-dialog.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Books a single appointment (a consultation, a one-off treatment) at a
 * slot the front desk clicked in the week: who it is for, when, how long,
 * where and with whom. Every change is judged with the same rules as any
 * booking (derm_planner_check_proposal(): hours, closed days, slot step,
 * past starts, rooms, practitioners, the client's other appointments and
 * series, contraindications) and what breaks is said before Book is
 * possible; the store checks it all again when it books. Reads and writes
 * run on the store's worker thread.
 */
#pragma once

#include <adwaita.h>

#include "derm-plan-proposal.h"
#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_BOOK_DIALOG (derm_book_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DermBookDialog, derm_book_dialog, DERM, BOOK_DIALOG, AdwWindow)

/* @date "YYYY-MM-DD", @minute since midnight; @room and @practitioner
 * (either NULL) from the lane clicked */
GtkWidget        *derm_book_dialog_new                (DermStore      *store,
                                                       const char     *date,
                                                       int             minute,
                                                       const char     *room,
                                                       const char     *practitioner);
/* TRUE once the clients, the clinic and the calendar are read and the
 * dialog is not booking */
gboolean          derm_book_dialog_get_ready          (DermBookDialog *self);
/* Chooses the client by id; FALSE when not among the active clients */
gboolean          derm_book_dialog_set_client         (DermBookDialog *self,
                                                       gint64          client_id);
/* A consultation (no needling) rather than a one-off treatment */
void              derm_book_dialog_set_consultation   (DermBookDialog *self,
                                                       gboolean        consultation);
/* Types a date and time ("YYYY-MM-DD", "HH:MM") */
void              derm_book_dialog_set_start          (DermBookDialog *self,
                                                       const char     *date,
                                                       const char     *time);
/* (transfer none) the single appointment as it would be booked, with
 * its problems; NULL until a client and a valid start are chosen */
DermPlanProposal *derm_book_dialog_get_proposal       (DermBookDialog *self);
/* What the dialog says ("" when the appointment can be booked) */
const char       *derm_book_dialog_get_status_message (DermBookDialog *self);

G_END_DECLS

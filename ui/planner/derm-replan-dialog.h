/* derm-replan-dialog.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Moves, cancels or marks a no-show on a booked appointment: shows the
 * change and what the planner proposes for the rest of the series
 * (a replacement session, later sessions shifted to keep the minimum
 * interval). Nothing changes until the user confirms. It reads and
 * writes on the store's worker thread.
 */
#pragma once

#include <adwaita.h>

#include "derm-appointment.h"
#include "derm-plan-proposal.h"
#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_REPLAN_DIALOG (derm_replan_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DermReplanDialog, derm_replan_dialog, DERM, REPLAN_DIALOG, AdwWindow)

/* @status BOOKED moves @appointment; CANCELLED or NO_SHOW changes it */
GtkWidget        *derm_replan_dialog_new          (DermStore             *store,
                                                   DermAppointment       *appointment,
                                                   DermAppointmentStatus  status);
/* Moving @appointment to where it was dropped on the calendar: the form
 * starts with the new @date ("YYYY-MM-DD"), @time ("HH:MM") and the
 * @room or @practitioner of the lane (NULL: unchanged), and shows what
 * that breaks or shifts before anything changes */
GtkWidget        *derm_replan_dialog_new_move_to  (DermStore             *store,
                                                   DermAppointment       *appointment,
                                                   const char            *date,
                                                   const char            *time,
                                                   const char            *room,
                                                   const char            *practitioner);
/* TRUE once the dialog has read the store and is not writing */
gboolean          derm_replan_dialog_get_ready    (DermReplanDialog      *self);
/* Cancel or no-show: whether to book the proposed replacement and
 * shifts too (the default), or change only this appointment */
void              derm_replan_dialog_set_rebook   (DermReplanDialog      *self,
                                                   gboolean               rebook);
/* (transfer none) what would be booked on confirming; NULL for an
 * appointment outside any series */
DermPlanProposal *derm_replan_dialog_get_proposal (DermReplanDialog      *self);
/* Types a new date and time into the move fields */
void              derm_replan_dialog_set_start    (DermReplanDialog      *self,
                                                   const char            *date,
                                                   const char            *time);
/* What the dialog says about the change ("" when nothing) */
const char       *derm_replan_dialog_get_status_message (DermReplanDialog *self);

G_END_DECLS

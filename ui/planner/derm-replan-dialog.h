/* derm-replan-dialog.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Moves, cancels or marks a no-show on a booked appointment: shows the
 * change and what the planner proposes for the rest of the series
 * (a replacement session, later sessions shifted to keep the minimum
 * interval). Nothing changes until the user confirms.
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

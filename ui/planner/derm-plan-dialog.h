/* derm-plan-dialog.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plans a treatment series for a client, or the sessions of a series
 * that are due and not booked: the planner proposes every appointment,
 * the user adjusts dates, times, rooms and practitioners (each change
 * re-checked at once) and books.
 */
#pragma once

#include <adwaita.h>

#include "derm-plan-proposal.h"
#include "derm-series.h"
#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_PLAN_DIALOG (derm_plan_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DermPlanDialog, derm_plan_dialog, DERM, PLAN_DIALOG, AdwWindow)

/* A new series for @client */
GtkWidget        *derm_plan_dialog_new                (DermStore      *store,
                                                       DermClient     *client);
/* The next sessions of @series not booked yet, or its follow-up photo */
GtkWidget        *derm_plan_dialog_new_for_series     (DermStore      *store,
                                                       DermSeries     *series,
                                                       DermClient     *client);
/* TRUE once the dialog has read the store (on its worker) and is not
 * booking */
gboolean          derm_plan_dialog_get_ready          (DermPlanDialog *self);
/* (transfer none) the proposal shown; NULL when none could be made */
DermPlanProposal *derm_plan_dialog_get_proposal       (DermPlanDialog *self);
/* Fills in the request as the user would; @protocol_name NULL keeps the
 * protocol, @preferred_time -1 for the earliest */
void              derm_plan_dialog_set_request        (DermPlanDialog *self,
                                                       const char     *protocol_name,
                                                       const char     *start_date,
                                                       int             preferred_time);
/* Types a new date and time ("YYYY-MM-DD", "HH:MM") into item @index's row */
void              derm_plan_dialog_edit_item          (DermPlanDialog *self,
                                                       guint           index,
                                                       const char     *date,
                                                       const char     *time);
/* What item @index's row says under it */
const char       *derm_plan_dialog_get_item_message   (DermPlanDialog *self,
                                                       guint           index);
/* What the dialog says about the whole proposal ("" when nothing) */
const char       *derm_plan_dialog_get_status_message (DermPlanDialog *self);

G_END_DECLS

/* derm-treatment-dialog.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Records a new treatment session or edits an existing one.
 */
#pragma once

#include <adwaita.h>

#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_TREATMENT_DIALOG (derm_treatment_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DermTreatmentDialog, derm_treatment_dialog, DERM, TREATMENT_DIALOG, AdwWindow)

/* @existing NULL records a new session; one with id 0 records a new
 * session prefilled from it. The practitioners offered are the clinic's
 * (derm_store_load_clinic()). */
GtkWidget *derm_treatment_dialog_new      (DermStore           *store,
                                           DermClient          *client,
                                           DermTreatment       *existing);
/* Adds a needle depth row, as the "Add Zone" button does, filled in */
void       derm_treatment_dialog_add_zone (DermTreatmentDialog *self,
                                           const char          *zone,
                                           double               depth_mm);

/* The client's findings on the session date in the form (DermFinding),
 * shown above the form; NULL when editing a recorded session. Each
 * caution must be acknowledged ("treatment.acknowledge" with its code,
 * or its check button) and a contraindication needs a written reason
 * before the session can be saved. */
GPtrArray *derm_treatment_dialog_get_findings (DermTreatmentDialog *self);

G_END_DECLS

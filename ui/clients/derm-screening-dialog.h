/* derm-screening-dialog.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Takes a new medical screening, or shows an earlier one read-only.
 */
#pragma once

#include <adwaita.h>

#include "derm-types.h"
#include "derm-enums.h"
#include "derm-screening.h"

G_BEGIN_DECLS

#define DERM_TYPE_SCREENING_DIALOG (derm_screening_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DermScreeningDialog, derm_screening_dialog, DERM, SCREENING_DIALOG, AdwWindow)

/* @existing NULL takes a new screening; non-NULL shows it read-only */
GtkWidget  *derm_screening_dialog_new          (DermStore           *store,
                                                DermClient          *client,
                                                DermScreening       *existing);
gboolean    derm_screening_dialog_get_read_only (DermScreeningDialog *self);
/* Fill the form as the practitioner would: sets the answer buttons,
 * and the question's date entry. */
void        derm_screening_dialog_set_answer   (DermScreeningDialog *self,
                                                DermQuestion         question,
                                                DermAnswer           answer);
void        derm_screening_dialog_set_details  (DermScreeningDialog *self,
                                                DermQuestion         question,
                                                const char          *details);
void        derm_screening_dialog_set_date_for (DermScreeningDialog *self,
                                                DermQuestion         question,
                                                const char          *iso);
/* The DermFinding objects the form's current answers produce */
GListModel *derm_screening_dialog_get_findings (DermScreeningDialog *self);

G_END_DECLS

/* derm-documents-ui.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The documents' window actions, installed on the main window:
 *
 *   win.aftercare-sheet (x)    the aftercare sheet of session x: print it
 *                              (the print dialog has the preview) or save
 *                              it as PDF
 *   win.session-saved ((sx))   a toast with the message and an
 *                              "Aftercare Sheet…" button for session x;
 *                              what the session dialog and Mark Done show
 */
#pragma once

#include <adwaita.h>

#include "derm-store.h"

G_BEGIN_DECLS

void  derm_documents_ui_install      (AdwApplicationWindow *window,
                                      DermStore            *store,
                                      AdwToastOverlay      *toasts);

/* Offers the aftercare sheet of @treatment_id: a dialog with Print… and
 * Save as PDF… (the dialog is returned, for tests) */
GtkWidget *derm_documents_ui_offer_aftercare (GtkWindow *parent,
                                              DermStore *store,
                                              gint64     treatment_id);

G_END_DECLS

/* derm-documents-page.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences → Documents: the letterhead every document carries (clinic
 * name, contact line, logo, paper size) and the aftercare advice per
 * protocol. Laid out in derm-documents-page.ui.
 */
#pragma once

#include <adwaita.h>

#include "derm-store.h"

G_BEGIN_DECLS

#define DERM_TYPE_DOCUMENTS_PAGE (derm_documents_page_get_type ())
G_DECLARE_FINAL_TYPE (DermDocumentsPage, derm_documents_page, DERM, DOCUMENTS_PAGE, AdwPreferencesPage)

GtkWidget *derm_documents_page_new            (DermStore         *store);

/* For tests: the protocol whose advice is shown (0: outside a series) */
gboolean   derm_documents_page_select_protocol (DermDocumentsPage *self,
                                                gint64             protocol_id);
/* For tests: the text buffer of an advice section ("sun", "skincare",
 * "actives", "normal", "call") and the days spin button */
GtkTextBuffer *derm_documents_page_get_buffer (DermDocumentsPage *self,
                                               const char        *section);
GtkSpinButton *derm_documents_page_get_days   (DermDocumentsPage *self);
/* For tests: the last message shown (saved, or why not) */
const char *derm_documents_page_get_message   (DermDocumentsPage *self);

G_END_DECLS

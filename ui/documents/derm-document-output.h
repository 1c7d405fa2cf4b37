/* derm-document-output.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where a document goes from the app: printed through GtkPrintOperation
 * (whose dialog has the print preview) or saved as PDF through the native
 * file chooser (the portal inside the Flatpak), never inside the data
 * folder.
 */
#pragma once

#include <gtk/gtk.h>

#include "derm-document.h"

G_BEGIN_DECLS

/* Opens the print dialog for @doc on @paper; what it prints is laid out
 * for the page the dialog chooses. Errors are shown as a toast. */
void  derm_document_output_print (GtkWindow    *parent,
                                  DermDocument *doc,
                                  DermPaper     paper);

/* Asks where to save @doc as PDF (suggesting @file_name) and writes it;
 * the outcome is shown as a toast ("win.show-toast" on @parent) */
void  derm_document_output_save  (GtkWindow    *parent,
                                  DermDocument *doc,
                                  DermPaper     paper,
                                  const char   *file_name,
                                  const char   *data_dir);

/* "Aftercare 2026-11-24 Zoë Müller.pdf", with characters file systems
 * refuse replaced */
char *derm_document_output_file_name (const char *kind,
                                      const char *date,
                                      const char *name);

G_END_DECLS

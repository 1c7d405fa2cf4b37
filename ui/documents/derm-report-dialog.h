/* derm-report-dialog.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The progress report from the client page and the compare window: the
 * view, the period and the paper; the report made in a worker with its
 * progress and a Cancel button; its pages previewed as they will print;
 * Print… (through GtkPrintOperation) and Save as PDF… (the file chooser).
 *
 * Actions: report.build, report.cancel, report.previous-page,
 * report.next-page, report.print, report.save.
 */
#pragma once

#include <adwaita.h>

#include "derm-photo-use.h"

#include "derm-document.h"
#include "derm-imaging.h"
#include "derm-photo-library.h"

G_BEGIN_DECLS

#define DERM_TYPE_REPORT_DIALOG (derm_report_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DermReportDialog, derm_report_dialog, DERM, REPORT_DIALOG, AdwWindow)

/* @view: a DermPhotoView or DERM_PROGRESS_REPORT_ALL_VIEWS; @settings:
 * the compare window's analysis settings, or NULL for the defaults. The
 * report is made as soon as the dialog is shown. */
GtkWidget    *derm_report_dialog_new          (GtkWindow                  *parent,
                                               DermPhotoLibrary           *library,
                                               gint64                      client_id,
                                               int                         view,
                                               const DermAnalysisSettings *settings);
/* The report made last, or NULL (none yet, or being made) */
DermDocument *derm_report_dialog_get_document (DermReportDialog           *self);
/* The page previewed (from 0) and the number of pages (0 without a report) */
guint         derm_report_dialog_get_page     (DermReportDialog           *self);
guint         derm_report_dialog_get_n_pages  (DermReportDialog           *self);
/* What the status line says: progress, the error, or the pages */
const char   *derm_report_dialog_get_status   (DermReportDialog           *self);
/* Options, for tests: the period typed, the view (row of the view list) */
void          derm_report_dialog_set_period   (DermReportDialog           *self,
                                               const char                 *from,
                                               const char                 *to);

/* What the report is for (the "For" row): checked against the photo-use
 * consent of the photos it prints before it is printed or saved */
void          derm_report_dialog_set_use       (DermReportDialog *self,
                                                DermPhotoUse      use);
/* Save as PDF… without the file chooser: asks first when a photo's
 * consent does not cover the use */
void          derm_report_dialog_save_to_file  (DermReportDialog *self,
                                                GFile            *file);

G_END_DECLS

/* derm-progress-report.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The progress report handed to the client at a follow-up: the clinic's
 * letterhead; the client's name and date of birth; the series timeline
 * (sessions done, the next one booked); per view the first and the last
 * photo of the period, the last aligned onto the first, the change in
 * redness as a heat map with its legend, and per saved region the
 * metrics in the words of the compare window (derm-metric-text.h: the
 * "no clear change" rule and the sharpness gate decide the wording) with
 * trend charts that show the threshold band; a footnote with the settings,
 * the thresholds and the algorithm version.
 *
 * Every value comes through the analysis cache (derm-trend.h), keyed like
 * the compare window's automatic alignment, so a report of photos already
 * compared computes nothing. The photos are decoded reduced for print.
 */
#pragma once

#include <gio/gio.h>

#include "derm-document.h"
#include "derm-imaging.h"
#include "derm-photo-library.h"

G_BEGIN_DECLS

/* derm_progress_report_set_view (): every view with photos */
#define DERM_PROGRESS_REPORT_ALL_VIEWS (-1)

/* Longer side, in pixels, of each photo printed (about 240 dpi at the
 * width a photo gets on the page) */
#define DERM_PROGRESS_REPORT_PHOTO_SIDE 720

#define DERM_TYPE_PROGRESS_REPORT (derm_progress_report_get_type ())
G_DECLARE_FINAL_TYPE (DermProgressReport, derm_progress_report, DERM, PROGRESS_REPORT, GObject)

DermProgressReport *derm_progress_report_new          (DermPhotoLibrary           *library,
                                                       gint64                      client_id);
/* A DermPhotoView, or DERM_PROGRESS_REPORT_ALL_VIEWS (the default) */
void                derm_progress_report_set_view     (DermProgressReport         *self,
                                                       int                         view);
/* Sessions and photos dated @from to @to (YYYY-MM-DD, inclusive; NULL:
 * open). build() refuses a date that is not one, or @from after @to. */
void                derm_progress_report_set_date_range (DermProgressReport       *self,
                                                       const char                 *from,
                                                       const char                 *to);
/* The day the report is made (YYYY-MM-DD; default: today): printed in the
 * footer when no end date is given, and "next booked" is after it */
void                derm_progress_report_set_today    (DermProgressReport         *self,
                                                       const char                 *today);
/* The analysis settings (default: derm_analysis_settings_init ()); the
 * compare window passes its own */
void                derm_progress_report_set_settings (DermProgressReport         *self,
                                                       const DermAnalysisSettings *settings);

/* 0..1 while build_async runs ("progress" property, notified on the
 * caller's main context) */
double              derm_progress_report_get_progress (DermProgressReport         *self);
/* The "running" property */
gboolean            derm_progress_report_get_running  (DermProgressReport         *self);

/* Builds the document in the calling thread (dermis-cli, or a worker).
 * NULL with DERM_STORE_ERROR_NOT_FOUND for an unknown client,
 * DERM_VALIDATION_ERROR for bad dates, G_IO_ERROR_CANCELLED when
 * cancelled. */
DermDocument       *derm_progress_report_build        (DermProgressReport         *self,
                                                       GCancellable               *cancellable,
                                                       GError                    **error);
/* The same in a worker thread, with progress; one at a time */
void                derm_progress_report_build_async  (DermProgressReport         *self,
                                                       GCancellable               *cancellable,
                                                       GAsyncReadyCallback         callback,
                                                       gpointer                    user_data);
DermDocument       *derm_progress_report_build_finish (DermProgressReport         *self,
                                                       GAsyncResult               *result,
                                                       GError                    **error);

/* What the last build printed: views and photos shown */
guint               derm_progress_report_get_n_views  (DermProgressReport         *self);
guint               derm_progress_report_get_n_photos (DermProgressReport         *self);
/* The stored photos (DermPhoto) the last build printed, for
 * derm_photo_use_check_export() before the report leaves the app */
GPtrArray          *derm_progress_report_get_photos   (DermProgressReport         *self);

G_END_DECLS

/* derm-planner-ui.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the planner views share: formatting dates and times for people,
 * the status colours, and the flows every view starts the same way
 * (mark done, move, cancel, no-show, book what is due, export). A flow
 * that changes the calendar tells the window with "win.planner-changed"
 * on the widget it started from, so every view reloads.
 */
#pragma once

#include <adwaita.h>

#include "derm-appointment.h"
#include "derm-clinic.h"
#include "derm-series.h"
#include "derm-types.h"

G_BEGIN_DECLS

/* "Tue 3 Mar 2026" */
char       *derm_planner_ui_format_date        (const GDate     *date);
/* "Tue 3 Mar 2026" for an ISO date; the text itself when it is no date */
char       *derm_planner_ui_format_iso_date    (const char      *iso);
/* "Tue 3 Mar 2026, 10:00–11:00" */
char       *derm_planner_ui_format_appointment_time (DermAppointment *appointment);
/* "HH:MM" from minutes since midnight */
char       *derm_planner_ui_format_minutes     (int              minutes);
/* A choice of rooms or practitioners: @none ("No room", "Anyone") first,
 * then @names; (transfer full) */
GtkStringList *derm_planner_ui_names_list     (const char * const *names,
                                               const char         *none);
/* The position of @name in such a list; 0 (the @none entry) when absent */
guint       derm_planner_ui_name_position      (GtkStringList   *list,
                                                const char      *name);
/* The name at @position of such a list; NULL for the @none entry */
const char *derm_planner_ui_chosen_name        (GtkStringList   *list,
                                                guint            position);
/* Parses "H:MM" or "HH:MM"; -1 when it is no time */
int         derm_planner_ui_parse_time         (const char      *text);
/* Over at @now (Unix seconds: the store's clock, derm_store_dup_now())
 * and still booked: it needs an outcome (done, no-show, cancelled) */
gboolean    derm_planner_ui_needs_outcome      (DermAppointment *appointment,
                                                gint64           now);
/* derm_store_dup_now() as Unix seconds, for the above */
gint64      derm_planner_ui_store_now          (DermStore       *store);
/* Still booked and to come, and re-validation found it breaks a rule
 * now (derm_appointment_get_problems()): every calendar view badges it */
gboolean    derm_planner_ui_needs_attention    (DermAppointment *appointment);
/* The colour an appointment is drawn in, by status and kind */
void        derm_planner_ui_status_color       (DermAppointment *appointment,
                                                GdkRGBA         *out);
/* The Monday of the week holding @date */
void        derm_planner_ui_week_start         (const GDate     *date,
                                                GDate           *monday);
/* [start of @first, start of @first + @days) in the clinic's zone */
void        derm_planner_ui_range              (DermClinic      *clinic,
                                                const GDate     *first,
                                                guint            days,
                                                GDateTime      **from,
                                                GDateTime      **to);
/* What a calendar view shows: the clinic, and the appointments of
 * [@first, @first + @days) in its zone, read on the store's worker */
void        derm_planner_ui_read_calendar_async (DermStore      *store,
                                                 const GDate    *first,
                                                 guint           days,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
gboolean    derm_planner_ui_read_calendar_finish (DermStore     *store,
                                                 GAsyncResult   *result,
                                                 DermClinic    **clinic,
                                                 GPtrArray     **appointments,
                                                 GError        **error);
/* The client's findings, from their latest screening (never NULL); it
 * reads the store, so call it from store work (derm_store_run_async()) */
GPtrArray  *derm_planner_ui_load_findings      (DermStore       *store,
                                                gint64           client_id);
/* A progress bar over a view that shows, pulsing, once a load has taken
 * more than a moment (300 ms), and hides when it ends */
void        derm_planner_ui_progress_start     (GtkProgressBar  *bar);
void        derm_planner_ui_progress_stop      (GtkProgressBar  *bar);

/* A view's load failed: a toast with the reason and a Retry button that
 * reads again ("planner.reload" on @view, which every planner view has) */
void        derm_planner_ui_load_failed        (GtkWidget       *view,
                                                const GError    *error);
/* TRUE for the error of a call cancelled because a newer one replaced it
 * or its widget went away: nothing to show */
gboolean    derm_planner_ui_is_cancelled       (const GError    *error);
/* Tells the window (through @origin) that the calendar changed */
void        derm_planner_ui_notify_changed     (GtkWidget       *origin);
/* A toast through "win.show-toast" */
void        derm_planner_ui_toast              (GtkWidget       *origin,
                                                const char      *message);

/* Opens the treatment session dialog prefilled from the appointment;
 * once the session is saved the appointment is marked done */
void        derm_planner_ui_mark_done          (GtkWidget       *origin,
                                                DermStore       *store,
                                                gint64           appointment_id);
/* Opens the replanning dialog: @status BOOKED moves the appointment,
 * CANCELLED or NO_SHOW changes its status; nothing changes until the
 * user confirms */
void        derm_planner_ui_reschedule         (GtkWidget       *origin,
                                                DermStore       *store,
                                                gint64           appointment_id,
                                                DermAppointmentStatus status);
/* Books a cancelled or missed appointment again where it was: the store
 * checks every booking rule first; a toast says how it went */
void        derm_planner_ui_restore            (GtkWidget       *origin,
                                                DermStore       *store,
                                                gint64           appointment_id);
/* Opens the planning dialog for the next sessions (or the follow-up
 * photo) of @series_id that are not booked */
void        derm_planner_ui_book_due           (GtkWidget       *origin,
                                                DermStore       *store,
                                                gint64           series_id);
/* Asks where to save and writes @appointments as iCalendar off the
 * main thread; says how it went in a toast */
void        derm_planner_ui_export             (GtkWidget       *origin,
                                                DermStore       *store,
                                                GPtrArray       *appointments,
                                                const char      *suggested_name);
/* The same without asking, for tests: writes to @file and calls
 * @callback on the main context */
void        derm_planner_ui_export_to_file_async (DermStore     *store,
                                                GPtrArray       *appointments,
                                                GFile           *file,
                                                GCancellable    *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer         user_data);
gboolean    derm_planner_ui_export_to_file_finish (GAsyncResult *result,
                                                GError         **error);

/* --- what the planner views share -------------------------------------- */

/* Closes a view's popover before one of its appointment actions runs */
typedef void (*DermPlannerPopdownFunc)         (GtkWidget       *view);
/* Installs, on the class of a planner view with a "store" property, the
 * actions on one appointment, each taking its id ("x"): planner.mark-done,
 * planner.move, planner.cancel, planner.no-show, planner.restore (when
 * @with_restore) and @book_action ("due.book"; NULL: none) for booking
 * what is due of a series. @popdown (may be NULL) runs first. */
void        derm_planner_ui_install_appointment_actions (GtkWidgetClass *widget_class,
                                                DermPlannerPopdownFunc popdown,
                                                gboolean         with_restore,
                                                const char      *book_action);

/* --- what the planning dialogs share ------------------------------------ */

/* The dialog's work on the store's worker starts (@busy) or ends: a new
 * cancellable in *@cancellable (cleared when it ends), @spinner shown,
 * the widgets of the NULL-terminated list insensitive, and @action
 * disabled, while it runs */
void        derm_planner_ui_dialog_set_busy    (GtkWidget       *dialog,
                                                GCancellable   **cancellable,
                                                gboolean         busy,
                                                GtkWidget       *spinner,
                                                const char      *action,
                                                ...) G_GNUC_NULL_TERMINATED;
/* The dialog's own read failed: the reason in a toast on @overlay with a
 * Retry button that activates @retry_action (the dialog's read again) */
void        derm_planner_ui_dialog_read_failed (AdwToastOverlay *overlay,
                                                const GError    *error,
                                                const char      *retry_action);

/* A popover with an appointment's details and the buttons of its
 * actions ("planner.mark-done", "planner.move", "planner.no-show",
 * "planner.cancel", "planner.restore" and "win.show-client", each with
 * the id as target),
 * which the widget showing it provides */
GtkWidget  *derm_appointment_popover_new       (DermAppointment *appointment,
                                                gint64           now);

G_END_DECLS

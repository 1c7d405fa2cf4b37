/* derm-store-planner.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The planner's part of DermStore (derm-store-planner.c): protocols,
 * clinic settings, series and appointments. Same rules as the rest of
 * the store: one transaction per call, validated input, audited writes
 * (field names only). Every write that books or moves an appointment
 * (a proposal, a single appointment, an update, a restored cancellation)
 * re-checks all of derm_planner_check_proposal() inside its transaction
 * against the committed clinic, calendar, series (by its version) and the
 * client's latest screening, and fails with DERM_PLANNER_ERROR_CONFLICT
 * (or _BLOCKED for a contraindication) naming the rule when someone
 * changed any of it meanwhile.
 */
#pragma once

#include "derm-appointment.h"
#include "derm-clinic.h"
#include "derm-plan-proposal.h"
#include "derm-planner.h"
#include "derm-protocol.h"
#include "derm-series.h"
#include "derm-store.h"

G_BEGIN_DECLS

/* Protocols, ordered by name. add sets the id. Deleting a protocol
 * keeps the series made from it (they hold a copy of its numbers). */
GPtrArray    *derm_store_list_protocols        (DermStore       *self,
                                                GError         **error);
DermProtocol *derm_store_get_protocol          (DermStore       *self,
                                                gint64           id,
                                                GError         **error);
/* By id (all digits) or by name, case-insensitively */
DermProtocol *derm_store_find_protocol         (DermStore       *self,
                                                const char      *id_or_name,
                                                GError         **error);
gboolean      derm_store_add_protocol          (DermStore       *self,
                                                DermProtocol    *protocol,
                                                GError         **error);
gboolean      derm_store_update_protocol       (DermStore       *self,
                                                DermProtocol    *protocol,
                                                GError         **error);
gboolean      derm_store_delete_protocol       (DermStore       *self,
                                                gint64           id,
                                                GError         **error);

/* Clinic settings: hours, closed dates, rooms, practitioners, zone, step */
DermClinic   *derm_store_load_clinic           (DermStore       *self,
                                                GError         **error);
/* derm_store_load_clinic() on the store's worker */
void          derm_store_load_clinic_async     (DermStore       *self,
                                                GCancellable    *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer         user_data);
DermClinic   *derm_store_load_clinic_finish    (DermStore       *self,
                                                GAsyncResult    *result,
                                                GError         **error);
gboolean      derm_store_save_clinic           (DermStore       *self,
                                                DermClinic      *clinic,
                                                GError         **error);
/* A random identifier made once per database, for stable iCalendar UIDs */
char         *derm_store_dup_calendar_id       (DermStore       *self,
                                                GError         **error);

/* A planner with the clinic settings and every appointment that holds a
 * room or practitioner and ends after @from (NULL: all) */
DermPlanner  *derm_store_load_planner          (DermStore       *self,
                                                GDateTime       *from,
                                                GError         **error);

/* Books a proposal in one transaction. SERIES: inserts the series and
 * its appointments, setting their ids (and the series id on each).
 * RESCHEDULE: applies the changed appointment, the new ones and the
 * shifts. Fails without writing anything: DERM_PLANNER_ERROR_BLOCKED for
 * a blocked proposal, DERM_PLANNER_ERROR_INVALID when an item has
 * problems, DERM_PLANNER_ERROR_CONFLICT when a room or practitioner was
 * taken meanwhile. Run derm_planner_check_proposal() first. */
/* Renames a practitioner in one transaction: their hours and leave stay
 * theirs (they belong to the practitioner's id), and their bookings still
 * to come and their series take the new name; done appointments keep the
 * name they were done under. NOT_FOUND for an unknown @from; a validation
 * error for an empty or taken @to. Audited. */
gboolean      derm_store_rename_practitioner   (DermStore        *self,
                                                const char       *from,
                                                const char       *to,
                                                GError          **error);

gboolean      derm_store_book_proposal         (DermStore        *self,
                                                DermPlanProposal *proposal,
                                                GError          **error);
/* The same, with the planner the proposal was made with (from
 * derm_store_load_planner() on this store): the booking's re-check uses it
 * instead of reading the calendar again when nothing was committed since
 * it was read (the database's data_version and this connection's changes
 * unchanged), and reads afresh otherwise - never an older state. Not while
 * another thread uses @loaded. */
gboolean      derm_store_book_proposal_with    (DermStore        *self,
                                                DermPlanProposal *proposal,
                                                DermPlanner      *loaded,
                                                GError          **error);
/* How often a booking's re-check read the planner from the store, and how
 * often it used the caller's (derm_store_book_proposal_with()) */
void          derm_store_get_planner_counts    (DermStore        *self,
                                                guint            *loads,
                                                guint            *reuses);

DermSeries   *derm_store_get_series            (DermStore       *self,
                                                gint64           id,
                                                GError         **error);
/* Newest first; @client_id 0 for every client */
GPtrArray    *derm_store_list_series           (DermStore       *self,
                                                gint64           client_id,
                                                GError         **error);
/* What the Due list needs, in one read transaction: every series that is
 * not finished (finished: cancelled, or completed with its follow-up
 * photo done or none to take), newest first, and their booked and done
 * appointments by start. */
gboolean      derm_store_list_due_series       (DermStore       *self,
                                                GPtrArray      **series_out,
                                                GPtrArray      **appointments_out,
                                                GError         **error);
/* The Due list (DermDueItem, as derm_planner_list_due() orders them) on
 * @today, from one narrow read: what the rules need of the series not
 * finished and of their appointments, series objects only for those due */
GPtrArray    *derm_store_list_due              (DermStore       *self,
                                                const GDate     *today,
                                                guint            horizon_days,
                                                GError         **error);
/* Appointments still booked that ended before @now (NULL: the store's
 * now): each needs an outcome (done, no-show or cancelled). By start. */
GPtrArray    *derm_store_list_needs_outcome    (DermStore       *self,
                                                GDateTime       *now,
                                                GError         **error);
gboolean      derm_store_set_series_status     (DermStore       *self,
                                                gint64           id,
                                                DermSeriesStatus status,
                                                GError         **error);

/* Appointments come with client-name and protocol-name filled in */
DermAppointment *derm_store_get_appointment    (DermStore       *self,
                                                gint64           id,
                                                GError         **error);
/* Every appointment (any status) overlapping [from, to), by start */
GPtrArray    *derm_store_list_appointments     (DermStore       *self,
                                                GDateTime       *from,
                                                GDateTime       *to,
                                                GError         **error);
/* By start */
GPtrArray    *derm_store_list_client_appointments (DermStore    *self,
                                                gint64           client_id,
                                                GError         **error);
GPtrArray    *derm_store_list_series_appointments (DermStore    *self,
                                                gint64           series_id,
                                                GError         **error);
/* A single appointment outside a series or added to one; sets the id.
 * Conflict-checked like a booking. */
gboolean      derm_store_add_appointment       (DermStore       *self,
                                                DermAppointment *appointment,
                                                GError         **error);
/* Start, duration, room, practitioner, note; conflict-checked */
gboolean      derm_store_update_appointment    (DermStore       *self,
                                                DermAppointment *appointment,
                                                GError         **error);
/* Booked, cancelled or no-show (done goes through mark_done) */
gboolean      derm_store_set_appointment_status (DermStore      *self,
                                                gint64           id,
                                                DermAppointmentStatus status,
                                                GError         **error);
/* Done, linked to the treatment session recorded for it (0 for none);
 * completes the series when it was its last session */
gboolean      derm_store_mark_appointment_done (DermStore       *self,
                                                gint64           id,
                                                gint64           treatment_id,
                                                GError         **error);

/* Re-validation, in one read transaction: every appointment of
 * @appointments that is booked and still to come (by the store's clock)
 * is judged against the rules as committed now (derm_planner_revalidate():
 * the clinic, the calendar, its series and its client's latest screening),
 * and gets derm_appointment_set_problems(); the others get none. A
 * booking that a later change of hours, closed days, rooms,
 * practitioners or screening made impossible is flagged with the reason,
 * never kept silently and never moved. */
gboolean      derm_store_revalidate_appointments (DermStore     *self,
                                                GPtrArray       *appointments,
                                                GError         **error);
/* "Needs attention": every booking still to come that breaks a rule as
 * the rules stand now (derm_store_revalidate_appointments()), with its
 * problems set, by start; one read transaction */
GPtrArray    *derm_store_list_needs_attention (DermStore     *self,
                                                GError         **error);

G_END_DECLS

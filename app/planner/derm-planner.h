/* derm-planner.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The treatment planner: pure logic, no SQL, no widgets. A DermPlanner
 * holds the clinic settings and an index of the appointments that hold a
 * room or a practitioner (booked and done ones), sorted per room and per
 * practitioner so that a proposal stays fast with tens of thousands of
 * appointments. It proposes; it never books: proposals go to the user,
 * then to derm_store_book_proposal(), which re-checks in its transaction.
 *
 * The rules, in order:
 *  - every appointment lies inside one opening span of an open day
 *    (closed weekdays and closed dates excluded), in the clinic's zone,
 *    on the clinic's slot step;
 *  - no two appointments overlap in the same room or with the same
 *    practitioner;
 *  - session k+1 is at least the minimum interval (in calendar days of
 *    whole weeks) after session k; days are tried outward from the
 *    default interval, later before earlier at equal distance, within
 *    [minimum, maximum]; when nothing fits, the first slot after the
 *    maximum is taken and flagged DERM_PLAN_FLAG_BEYOND_MAX;
 *  - on a day, the time of day of session 1 is preferred, then the
 *    earliest free start;
 *  - a contraindication finding with an end date blocks every day
 *    before it (DERM_PLAN_FLAG_DELAYED_BY_FINDING); one without an end
 *    date blocks the whole proposal (derm_plan_proposal_get_blocked());
 *    a "rescreen-due" or "no-screening" caution marks the first
 *    appointment DERM_PLAN_FLAG_RESCREEN_FIRST, and "no-screening" also
 *    DERM_PLAN_FLAG_NEVER_SCREENED: "screen first", never "re-screen"
 *    for a client who was never screened.
 *
 * A DermPlanner is not thread-safe (queries sort the index lazily): use
 * one from one thread at a time. It is cheap to rebuild with
 * derm_store_load_planner() (about 8 ms for 20,000 appointments).
 */
#pragma once

#include <glib-object.h>

#include "derm-appointment.h"
#include "derm-clinic.h"
#include "derm-due-item.h"
#include "derm-plan-proposal.h"
#include "derm-protocol.h"
#include "derm-series.h"
#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_PLANNER_ERROR (derm_planner_error_quark ())
GQuark derm_planner_error_quark (void);

typedef enum
{
  DERM_PLANNER_ERROR_CONFLICT,  /* a room or practitioner is taken at that time (maybe booked meanwhile) */
  DERM_PLANNER_ERROR_BLOCKED,   /* a contraindication blocks the booking */
  DERM_PLANNER_ERROR_NO_SLOT,   /* no free slot within a year */
  DERM_PLANNER_ERROR_INVALID,   /* a proposal with problems, an unusable request */
} DermPlannerError;

/* How far past the wanted day the planner looks before giving up */
#define DERM_PLANNER_SEARCH_DAYS 366

#define DERM_TYPE_PLANNER (derm_planner_get_type ())
G_DECLARE_FINAL_TYPE (DermPlanner, derm_planner, DERM, PLANNER, GObject)

/* Keeps a reference on @clinic; change the clinic, not a copy, and the
 * planner follows */
DermPlanner  *derm_planner_new                 (DermClinic      *clinic);
DermClinic   *derm_planner_get_clinic          (DermPlanner     *self);

/* The index. Appointments that do not occupy (cancelled, no-show) are
 * ignored; adding an id already indexed replaces it. The planner copies
 * what it needs: later changes to @appointment are not seen. */
void          derm_planner_add_appointment     (DermPlanner     *self,
                                                DermAppointment *appointment);
void          derm_planner_add_appointments    (DermPlanner     *self,
                                                GPtrArray       *appointments);
/* The same from plain data (what the store reads from its UTC columns):
 * [start_unix, end_unix) held in @room and by @practitioner, either NULL */
void          derm_planner_add_interval        (DermPlanner     *self,
                                                gint64           id,
                                                gint64           start_unix,
                                                gint64           end_unix,
                                                const char      *room,
                                                const char      *practitioner);
/* What the client rules need about an indexed appointment: the same
 * client is never booked twice at once, and sessions of different series
 * keep the larger of their minimum intervals */
typedef struct
{
  gint64   client_id;
  gint64   series_id;           /* 0 for a single appointment */
  guint    min_interval_weeks;  /* of its series; 0 for none */
  gboolean session;             /* a treatment session, not a follow-up photo */
} DermPlannerClientInfo;

void          derm_planner_add_interval_full   (DermPlanner     *self,
                                                gint64           id,
                                                gint64           start_unix,
                                                gint64           end_unix,
                                                const char      *room,
                                                const char      *practitioner,
                                                const DermPlannerClientInfo *info);
/* The instant before which nothing may be booked; NULL (the default)
 * for the real clock. Tests and the store's own clock set it. */
void          derm_planner_set_now             (DermPlanner     *self,
                                                GDateTime       *now);
gboolean      derm_planner_remove_appointment  (DermPlanner     *self,
                                                gint64           id);
void          derm_planner_clear               (DermPlanner     *self);
guint         derm_planner_get_n_appointments  (DermPlanner     *self);

/* TRUE when neither @room nor @practitioner (either may be NULL: not
 * checked) is taken during [start_unix, end_unix), ignoring the
 * appointment @ignore_id (0 for none) */
gboolean      derm_planner_is_free             (DermPlanner     *self,
                                                const char      *room,
                                                const char      *practitioner,
                                                gint64           start_unix,
                                                gint64           end_unix,
                                                gint64           ignore_id);

typedef struct
{
  DermProtocol *protocol;        /* required */
  gint64        client_id;
  const char   *start_date;      /* ISO date: the first session is on or after it */
  const char   *practitioner;    /* NULL or "" for any */
  const char   *room;            /* NULL or "" for any */
  int           preferred_time;  /* minutes since midnight for session 1, -1 for the earliest */
  GPtrArray    *findings;        /* DermFinding from derm_screening_evaluate(), or NULL */
  gboolean      with_follow_up;  /* also propose the follow-up photo after the last session */
} DermPlanRequest;

/* Proposes a whole series. Errors: DERM_PLANNER_ERROR_INVALID for an
 * invalid protocol, date, room or practitioner; DERM_PLANNER_ERROR_NO_SLOT
 * when some session finds no slot within DERM_PLANNER_SEARCH_DAYS. A
 * contraindication without an end is not an error: the proposal comes
 * back blocked. */
DermPlanProposal *derm_planner_propose_series  (DermPlanner           *self,
                                                const DermPlanRequest *request,
                                                GError               **error);

/* After @changed (an appointment of @series, as the user wants it: a new
 * start, or the status cancelled or no-show) re-checks the rest of the
 * series and proposes: the changed appointment itself (FLAG_CHANGED),
 * a replacement for a cancelled or missed session (FLAG_NEW, not before
 * @now), and shifts of later booked sessions that would break the
 * minimum interval (FLAG_SHIFTED). @appointments are the series'
 * appointments as booked. Sessions already far enough apart are left
 * alone. @now may be NULL for the real now. */
DermPlanProposal *derm_planner_replan          (DermPlanner     *self,
                                                DermSeries      *series,
                                                GPtrArray       *appointments,
                                                DermAppointment *changed,
                                                GPtrArray       *findings,
                                                GDateTime       *now,
                                                GError         **error);

/* Re-checks every item after the user adjusted it: clinic hours and
 * closed days, the index (ignoring the appointments being changed), the
 * minimum interval, contraindication windows and overlaps between items.
 * Sets each item's problems and message; returns
 * derm_plan_proposal_is_bookable(). @findings may be NULL. */
gboolean      derm_planner_check_proposal      (DermPlanner      *self,
                                                DermPlanProposal *proposal,
                                                GPtrArray        *findings);

/* A single appointment (a consultation, a one-off session), booked on
 * its own: @appointment (client, kind, start, duration, room, practitioner)
 * as one new item of a proposal outside any series, judged by
 * derm_planner_check_proposal() - hours, closed days, the step, leave,
 * past starts, overlaps, the client's other bookings and, unless it is a
 * consultation, contraindications. The Book dialog and `dermis-cli plan
 * book` both book what this returns. (transfer full) */
DermPlanProposal *derm_planner_propose_single  (DermPlanner      *self,
                                                DermAppointment  *appointment,
                                                GPtrArray        *findings);

/* Re-validation: judges bookings already made against the rules as they
 * stand now (the clinic's hours, closed days, rooms and practitioners,
 * the index, the series' intervals, @findings of the client) and sets each
 * one's derm_appointment_set_problems(). @to_check are booked
 * appointments of @series (NULL for appointments outside a series),
 * @context all of the series' appointments (NULL for none). Starts in
 * the past are not a problem here: those bookings were made in time. */
void          derm_planner_revalidate          (DermPlanner      *self,
                                                DermSeries       *series,
                                                GPtrArray        *context,
                                                GPtrArray        *to_check,
                                                GPtrArray        *findings);

/* What a single appointment would break in the clinic and the index,
 * ignoring its own id. Interval rules are not checked here. */
DermPlanProblems derm_planner_check_appointment (DermPlanner     *self,
                                                DermAppointment *appointment);

/* A new treatment session prefilled from a done appointment: client,
 * date, practitioner and a note naming the series session */
DermTreatment *derm_planner_prefill_treatment  (DermAppointment *appointment);

/* Where a series stands on @today, from its appointments (any order,
 * any status). A session still booked whose appointment ended before
 * @now (Unix seconds) needs an outcome: it counts there, not as booked. */
typedef struct
{
  guint    sessions;        /* n */
  guint    done;            /* sessions done */
  guint    booked;          /* sessions booked and still to come */
  guint    needs_outcome;   /* sessions booked whose appointment is over */
  guint    next_index;      /* first session not done (1-based); 0 when all done */
  gboolean next_booked;     /* that session has a booked appointment */
  GDate    due_from;        /* window for the next session: min..max after the last done one */
  GDate    due_until;       /* (invalid when no session is done yet) */
  gboolean overdue;         /* next session not booked and @today is past due_until */
  gboolean follow_up_pending; /* all done, follow-up photo not done */
  gboolean follow_up_booked;
  GDate    follow_up_date;  /* last session + follow-up weeks (invalid when none) */
} DermSeriesProgress;

void          derm_planner_series_progress     (DermSeries         *series,
                                                GPtrArray          *appointments,
                                                const GDate        *today,
                                                gint64              now,
                                                DermSeriesProgress *out);

/* The Due list: DermDueItem for every active series whose next session
 * falls due within @horizon_days (14 in the app) and is not booked,
 * every overdue one, and every completed series whose follow-up photo
 * is due within the horizon or past and not booked. @appointments may
 * hold appointments of any series; ordered by due_from. */
GPtrArray    *derm_planner_list_due            (GPtrArray       *series,
                                                GPtrArray       *appointments,
                                                const GDate     *today,
                                                guint            horizon_days);

/* The same Due rules on plain rows, for the store's narrow read (no
 * objects per appointment): */
typedef struct
{
  gint64           id;
  guint            sessions;
  guint            min_interval_weeks;
  guint            max_interval_weeks;
  guint            follow_up_weeks;
  DermSeriesStatus status;
  GDate            start_date;      /* invalid when unset */
} DermDueSeriesRow;

typedef struct
{
  gint64                series_id;
  guint                 session_index;
  DermAppointmentKind   kind;
  DermAppointmentStatus status;
  GDate                 day;        /* the local day of its start; invalid when unknown */
} DermDueAppointmentRow;

typedef struct
{
  guint       series;         /* index into the series rows */
  DermDueKind kind;
  guint       session_index;  /* the session due, n + 1 for the follow-up photo */
  GDate       due_from;
  GDate       due_until;      /* invalid for a follow-up photo */
} DermDueResult;

/* DermDueResult for what is due, in the order of derm_planner_list_due();
 * @appointments in any order, of any series */
GArray       *derm_planner_compute_due         (const DermDueSeriesRow      *series,
                                                guint                        n_series,
                                                const DermDueAppointmentRow *appointments,
                                                guint                        n_appointments,
                                                const GDate                 *today,
                                                guint                        horizon_days);
/* The row of the Due list for @result, whose series is @series */
DermDueItem  *derm_planner_due_item_new        (const DermDueResult         *result,
                                                DermSeries                  *series);

G_END_DECLS

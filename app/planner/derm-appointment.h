/* derm-appointment.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One appointment in the clinic calendar: a session of a series, or the
 * follow-up photo after it. The start is kept as a local wall-clock time
 * plus a time zone identifier, so an appointment at 10:00 stays at 10:00
 * local across a daylight-saving change; the instant is derived from them.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  DERM_APPOINTMENT_BOOKED    = 0,
  DERM_APPOINTMENT_DONE      = 1,
  DERM_APPOINTMENT_CANCELLED = 2,
  DERM_APPOINTMENT_NO_SHOW   = 3,
} DermAppointmentStatus;

#define DERM_TYPE_APPOINTMENT_STATUS (derm_appointment_status_get_type ())
GType        derm_appointment_status_get_type  (void) G_GNUC_CONST;
/* "booked", "done", "cancelled", "no-show" */
const char  *derm_appointment_status_to_key    (DermAppointmentStatus  status);
const char  *derm_appointment_status_to_label  (DermAppointmentStatus  status);
gboolean     derm_appointment_status_from_key  (const char            *key,
                                                DermAppointmentStatus *out);

typedef enum
{
  DERM_APPOINTMENT_SESSION         = 0,
  DERM_APPOINTMENT_FOLLOW_UP_PHOTO = 1,
  /* A single appointment without needling: held to the clinic's hours,
   * rooms, practitioners and the client's other bookings, not to session
   * intervals nor to contraindications (it is where they are discussed) */
  DERM_APPOINTMENT_CONSULTATION    = 2,
} DermAppointmentKind;

#define DERM_TYPE_APPOINTMENT_KIND (derm_appointment_kind_get_type ())
GType        derm_appointment_kind_get_type    (void) G_GNUC_CONST;
/* "session", "follow-up-photo", "consultation" */
const char  *derm_appointment_kind_to_key      (DermAppointmentKind    kind);
const char  *derm_appointment_kind_to_label    (DermAppointmentKind    kind);
gboolean     derm_appointment_kind_from_key    (const char            *key,
                                                DermAppointmentKind   *out);

#define DERM_TYPE_APPOINTMENT (derm_appointment_get_type ())
G_DECLARE_FINAL_TYPE (DermAppointment, derm_appointment, DERM, APPOINTMENT, GObject)

DermAppointment *derm_appointment_new                (void);
DermAppointment *derm_appointment_copy               (DermAppointment *self);

/* 0 until stored */
gint64        derm_appointment_get_id                (DermAppointment *self);
void          derm_appointment_set_id                (DermAppointment *self,
                                                      gint64           id);
gint64        derm_appointment_get_client_id         (DermAppointment *self);
void          derm_appointment_set_client_id         (DermAppointment *self,
                                                      gint64           client_id);
/* 0 for an appointment outside any series */
gint64        derm_appointment_get_series_id         (DermAppointment *self);
void          derm_appointment_set_series_id         (DermAppointment *self,
                                                      gint64           series_id);
/* Session k of n (k is 1-based); a follow-up photo has k = n + 1 */
guint         derm_appointment_get_session_index     (DermAppointment *self);
void          derm_appointment_set_session_index     (DermAppointment *self,
                                                      guint            index);
/* Times the booking changed (iCalendar SEQUENCE), and when it last did */
guint         derm_appointment_get_sequence          (DermAppointment *self);
void          derm_appointment_set_sequence          (DermAppointment *self,
                                                      guint            sequence);
const char   *derm_appointment_get_updated_at        (DermAppointment *self);
void          derm_appointment_set_updated_at        (DermAppointment *self,
                                                      const char      *timestamp);
guint         derm_appointment_get_session_count     (DermAppointment *self);
void          derm_appointment_set_session_count     (DermAppointment *self,
                                                      guint            count);

/* Local start as "YYYY-MM-DDTHH:MM" in the zone below */
const char   *derm_appointment_get_start_local       (DermAppointment *self);
/* A time zone identifier as g_time_zone_new_identifier() takes ("Europe/Paris") */
const char   *derm_appointment_get_time_zone         (DermAppointment *self);
/* Sets start-local and time-zone together. FALSE (nothing changed) when
 * @local is not "YYYY-MM-DDTHH:MM" (a space instead of 'T' is accepted)
 * or the zone is unknown. */
gboolean      derm_appointment_set_start             (DermAppointment *self,
                                                      const char      *local,
                                                      const char      *time_zone);
/* Sets start from @start's wall-clock time and its zone identifier */
void          derm_appointment_set_start_date_time   (DermAppointment *self,
                                                      GDateTime       *start);
/* (transfer full) the start and end in the appointment's zone; NULL when unset */
GDateTime    *derm_appointment_dup_start             (DermAppointment *self);
GDateTime    *derm_appointment_dup_end               (DermAppointment *self);
/* The start as a sentence can carry it, in the appointment's own (the
 * clinic's) time: "Monday 21 December 2026 at 10:00"; NULL without a start */
char         *derm_appointment_dup_when              (DermAppointment *self);
/* Unix seconds of the start and end instants; 0 when unset */
gint64        derm_appointment_get_start_unix        (DermAppointment *self);
gint64        derm_appointment_get_end_unix          (DermAppointment *self);
/* The local calendar day of the start; FALSE when unset */
gboolean      derm_appointment_get_local_date        (DermAppointment *self,
                                                      GDate           *out);

guint         derm_appointment_get_duration_minutes  (DermAppointment *self);
void          derm_appointment_set_duration_minutes  (DermAppointment *self,
                                                      guint            minutes);
/* NULL when the clinic does not assign one */
const char   *derm_appointment_get_room              (DermAppointment *self);
void          derm_appointment_set_room              (DermAppointment *self,
                                                      const char      *room);
const char   *derm_appointment_get_practitioner      (DermAppointment *self);
void          derm_appointment_set_practitioner      (DermAppointment *self,
                                                      const char      *practitioner);
DermAppointmentStatus derm_appointment_get_status    (DermAppointment *self);
void          derm_appointment_set_status            (DermAppointment *self,
                                                      DermAppointmentStatus status);
DermAppointmentKind derm_appointment_get_kind        (DermAppointment *self);
void          derm_appointment_set_kind              (DermAppointment *self,
                                                      DermAppointmentKind kind);
const char   *derm_appointment_get_note              (DermAppointment *self);
void          derm_appointment_set_note              (DermAppointment *self,
                                                      const char      *note);
/* The treatment session recorded when the appointment was done; 0 before */
gint64        derm_appointment_get_treatment_id      (DermAppointment *self);
void          derm_appointment_set_treatment_id      (DermAppointment *self,
                                                      gint64           treatment_id);
/* The screening is missing or out of date: re-screen before this session */
gboolean      derm_appointment_get_rescreen_first    (DermAppointment *self);
void          derm_appointment_set_rescreen_first    (DermAppointment *self,
                                                      gboolean         rescreen);

/* Display only, filled in by the store when listing (not stored with the
 * appointment): on the appointment's day the client's latest screening
 * will be missing or older than the re-screen threshold */
gboolean      derm_appointment_get_screening_outdated (DermAppointment *self);
void          derm_appointment_set_screening_outdated (DermAppointment *self,
                                                       gboolean         outdated);
/* Display only, filled in by the store when listing, and by the planner
 * on a proposal: the client has no screening at all */
gboolean      derm_appointment_get_never_screened    (DermAppointment *self);
void          derm_appointment_set_never_screened    (DermAppointment *self,
                                                      gboolean         never);

/* Display only, set by re-validation (derm_planner_revalidate(),
 * derm_store_revalidate_appointments()): the rules a booking still to come
 * breaks now that the clinic, the screening or the calendar changed
 * (DermPlanProblems bits, 0 for none) and why, as a sentence (NULL when
 * none). Never stored: judged again on every read. */
guint         derm_appointment_get_problems          (DermAppointment *self);
const char   *derm_appointment_get_problem_message   (DermAppointment *self);
void          derm_appointment_set_problems          (DermAppointment *self,
                                                      guint            problems,
                                                      const char      *message);

typedef enum
{
  DERM_SCREENING_NEED_NONE = 0,
  DERM_SCREENING_NEED_RESCREEN,   /* the latest screening is or will be out of date then */
  DERM_SCREENING_NEED_FIRST,      /* the client has never been screened */
} DermScreeningNeed;

/* What the calendar, the popover, the CLI and JSON say before this
 * session: a client never screened is told "screen first", not
 * "re-screen" */
DermScreeningNeed derm_appointment_get_screening_need (DermAppointment *self);
/* "Re-screen the client first", "Screen the client first: never
 * screened"; NULL for NONE (translated) */
const char   *derm_screening_need_to_label           (DermScreeningNeed need);
/* The short form for calendar cells and list lines: "re-screen", "screen
 * first (never screened)"; NULL for NONE */
const char   *derm_screening_need_to_short           (DermScreeningNeed need);
/* For JSON: "rescreen", "first-screening"; NULL for NONE */
const char   *derm_screening_need_to_key             (DermScreeningNeed need);

/* Display only, filled in by the store when listing (not stored with the
 * appointment): the client's name and the series' protocol name. */
/* The client's "Do Not Treat" reason today (filled in by the store), or NULL */
const char   *derm_appointment_get_do_not_treat      (DermAppointment *self);
void          derm_appointment_set_do_not_treat      (DermAppointment *self,
                                                      const char      *reason);
const char   *derm_appointment_get_client_name       (DermAppointment *self);
void          derm_appointment_set_client_name       (DermAppointment *self,
                                                      const char      *name);
const char   *derm_appointment_get_protocol_name     (DermAppointment *self);
void          derm_appointment_set_protocol_name     (DermAppointment *self,
                                                      const char      *name);

/* TRUE for booked and done: the appointment holds its room and practitioner */
gboolean      derm_appointment_occupies              (DermAppointment *self);
/* "Microneedling, face 2/4 – Jane Doe", "Follow-up photo – Jane Doe";
 * names and counts only, never health details. Newly allocated. */
/* The title that may leave the clinic: kind, session k/n and the
 * client's initials ("Treatment 2/4 – Z. M."), no condition, no name */
char         *derm_appointment_dup_private_title     (DermAppointment *self);
char         *derm_appointment_dup_title             (DermAppointment *self);

/* For sorting GPtrArrays of DermAppointment by start instant, then id */
int           derm_appointment_compare_start         (gconstpointer    a,
                                                      gconstpointer    b);

G_END_DECLS

/* derm-clinic.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The clinic's calendar settings: opening hours per weekday (possibly
 * split, 09:00-13:00 and 14:00-19:00), closed dates (holidays), rooms,
 * practitioners, the time zone the clinic works in and the step on
 * which appointments may start. Plain settings; the planner reads them
 * and the store keeps them.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* At most this many opening spans per day */
#define DERM_CLINIC_MAX_SPANS 4

/* One opening span, in minutes since local midnight; open < close <= 1440 */
typedef struct
{
  guint16 open;
  guint16 close;
} DermOpeningSpan;

#define DERM_TYPE_CLINIC (derm_clinic_get_type ())
G_DECLARE_FINAL_TYPE (DermClinic, derm_clinic, DERM, CLINIC, GObject)

/* The defaults a new database gets: Monday to Friday 09:00-18:00,
 * Saturday 09:00-13:00, Sunday closed, one room "Room 1", no named
 * practitioner, the system's time zone, a 15 minute step. */
DermClinic   *derm_clinic_new                  (void);
DermClinic   *derm_clinic_copy                 (DermClinic      *self);

/* The zone this process runs in as an IANA identifier ("Europe/London"),
 * or "UTC" when it has none; what a new database stores as the clinic's */
char         *derm_clinic_dup_system_zone_id   (void);
/* Identifier ("Europe/Paris"); "UTC" when the system's cannot be named */
const char   *derm_clinic_get_time_zone_id     (DermClinic      *self);
/* FALSE (nothing changed) when g_time_zone_new_identifier() does not know @id */
gboolean      derm_clinic_set_time_zone_id     (DermClinic      *self,
                                                const char      *id);
/* (transfer none) the zone for @time-zone-id */
GTimeZone    *derm_clinic_get_time_zone        (DermClinic      *self);

/* Minutes between possible appointment starts, 5..120 (default 15) */
/* Calendar exports carry the client's full name and the protocol only
 * when this is on; by default the kind and the initials ("Treatment 2/4 –
 * Z. M."), as events end up on phones and cloud calendars */
gboolean      derm_clinic_get_export_full_names (DermClinic     *self);
void          derm_clinic_set_export_full_names (DermClinic     *self,
                                                 gboolean        full);
guint         derm_clinic_get_slot_step        (DermClinic      *self);
void          derm_clinic_set_slot_step        (DermClinic      *self,
                                                guint            minutes);

/* Opening spans of @weekday, sorted, not overlapping; *n_spans = 0 when
 * the clinic is closed that weekday */
const DermOpeningSpan *derm_clinic_get_hours   (DermClinic      *self,
                                                GDateWeekday     weekday,
                                                guint           *n_spans);
/* Sorts the spans; FALSE with DERM_VALIDATION_ERROR when they overlap,
 * are empty or out of the day, or more than DERM_CLINIC_MAX_SPANS */
gboolean      derm_clinic_set_hours            (DermClinic      *self,
                                                GDateWeekday     weekday,
                                                const DermOpeningSpan *spans,
                                                guint            n_spans,
                                                GError         **error);
/* "09:00-13:00,14:00-19:00", or "" when closed; newly allocated */
char         *derm_clinic_dup_hours_string     (DermClinic      *self,
                                                GDateWeekday     weekday);
/* Parses the format above ("" or "closed" closes the day) */
gboolean      derm_clinic_set_hours_string     (DermClinic      *self,
                                                GDateWeekday     weekday,
                                                const char      *text,
                                                GError         **error);

/* Closed dates (holidays, training days) as ISO dates with an optional
 * label. Adding a date already there replaces its label. */
void          derm_clinic_add_closed_date      (DermClinic      *self,
                                                const GDate     *date,
                                                const char      *label);
gboolean      derm_clinic_remove_closed_date   (DermClinic      *self,
                                                const GDate     *date);
/* (transfer full) sorted "YYYY-MM-DD" strings */
GStrv         derm_clinic_dup_closed_dates     (DermClinic      *self);
/* The label of a closed date, "" when none, NULL when not closed */
const char   *derm_clinic_get_closed_label     (DermClinic      *self,
                                                const GDate     *date);

/* TRUE when @date has opening hours and is not a closed date */
gboolean      derm_clinic_is_open_on           (DermClinic      *self,
                                                const GDate     *date);
/* TRUE when [start, start + minutes) lies inside one opening span of the
 * day, in the clinic's zone, on an open day */
gboolean      derm_clinic_is_within_hours      (DermClinic      *self,
                                                GDateTime       *start,
                                                guint            minutes);

/* Rooms and practitioners, in display order; NULL-terminated, never NULL */
const char * const *derm_clinic_get_rooms      (DermClinic      *self);
void          derm_clinic_set_rooms            (DermClinic      *self,
                                                const char * const *rooms);
const char * const *derm_clinic_get_practitioners (DermClinic   *self);
void          derm_clinic_set_practitioners    (DermClinic      *self,
                                                const char * const *practitioners);
gboolean      derm_clinic_has_room             (DermClinic      *self,
                                                const char      *room);
gboolean      derm_clinic_has_practitioner     (DermClinic      *self,
                                                const char      *practitioner);

/* Practitioners' own hours and leave. Someone without any works
 * whenever the clinic is open. Per weekday a practitioner works the
 * clinic's hours, their own spans (inside the clinic's: both must hold)
 * or not at all.
 * get: TRUE and their own spans (none for a day off); FALSE and the
 * clinic's when they work the clinic's hours that day. */
gboolean      derm_clinic_get_practitioner_hours (DermClinic           *self,
                                                const char             *practitioner,
                                                GDateWeekday            weekday,
                                                const DermOpeningSpan **spans,
                                                guint                  *n_spans);
/* "09:00-13:00", "" for a day off, NULL for the clinic's hours */
char         *derm_clinic_dup_practitioner_hours_string (DermClinic   *self,
                                                const char             *practitioner,
                                                GDateWeekday            weekday);
/* @text as for derm_clinic_set_hours_string(), "" or "off" for a day
 * off, NULL for the clinic's hours. DERM_VALIDATION_ERROR for an unknown
 * practitioner or hours not understood; nothing changes then. */
gboolean      derm_clinic_set_practitioner_hours_string (DermClinic    *self,
                                                const char             *practitioner,
                                                GDateWeekday            weekday,
                                                const char             *text,
                                                GError                **error);
/* Leave: whole days off. Adding a day already there replaces its label. */
gboolean      derm_clinic_add_practitioner_leave (DermClinic           *self,
                                                const char             *practitioner,
                                                const GDate            *date,
                                                const char             *label,
                                                GError                **error);
gboolean      derm_clinic_remove_practitioner_leave (DermClinic        *self,
                                                const char             *practitioner,
                                                const GDate            *date);
/* (transfer full) sorted "YYYY-MM-DD" strings, empty when none */
GStrv         derm_clinic_dup_practitioner_leave (DermClinic           *self,
                                                const char             *practitioner);
/* The label of a day of leave, "" when none, NULL when not on leave */
const char   *derm_clinic_get_practitioner_leave_label (DermClinic     *self,
                                                const char             *practitioner,
                                                const GDate            *date);
/* TRUE when @practitioner (NULL: nobody named) is not on leave that day
 * and works all of [start, start + minutes) in the clinic's zone; the
 * clinic's own hours are checked apart (derm_clinic_is_within_hours()) */
gboolean      derm_clinic_is_practitioner_available (DermClinic        *self,
                                                const char             *practitioner,
                                                GDateTime              *start,
                                                guint                   minutes);

/* Besides the notify of each property (time-zone-id, slot-step, rooms,
 * practitioners), the "changed" signal is emitted after any change,
 * including hours and closed dates. */

G_END_DECLS

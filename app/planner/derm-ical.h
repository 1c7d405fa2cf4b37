/* derm-ical.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * iCalendar (RFC 5545) export through libical: a client's series or a
 * stretch of the clinic calendar. The export leaves the clinic, so it
 * carries names and session counts only, never health details. UIDs are
 * stable across exports: "dermis-<calendar id>-appointment-<id>@dermis".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A VCALENDAR with one VEVENT per appointment (initials only, see below) (DermAppointment, any
 * status; cancelled and no-show ones are STATUS:CANCELLED) and one
 * VTIMEZONE per zone used. @calendar_id comes from
 * derm_store_dup_calendar_id(); @now is the DTSTAMP (NULL: now).
 * Returns the text with CRLF line ends, or NULL with G_IO_ERROR when a
 * zone is unknown to libical. */
char     *derm_ical_export       (GPtrArray   *appointments,
                                  const char  *calendar_id,
                                  GDateTime   *now,
                                  GError     **error);

typedef enum
{
  DERM_ICAL_NAMES_INITIALS,  /* "Treatment 2/4 – Z. M.": the default */
  DERM_ICAL_NAMES_FULL,      /* "Microneedling, acne scars 2/6 – Zoë Müller" */
} DermIcalNames;

/* The same, choosing what SUMMARY says. Every event has SEQUENCE (the
 * appointment's change count) and LAST-MODIFIED; TZIDs are IANA names
 * ("Europe/London") with each VTIMEZONE cut to the exported range. */
char     *derm_ical_export_full  (GPtrArray     *appointments,
                                  const char    *calendar_id,
                                  GDateTime     *now,
                                  DermIcalNames  names,
                                  GError       **error);
/* "dermis-<calendar id>-appointment-<id>@dermis"; newly allocated */
char     *derm_ical_uid          (const char  *calendar_id,
                                  gint64       appointment_id);

G_END_DECLS

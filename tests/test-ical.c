/* test-ical.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The iCalendar export, parsed back with libical: every field, the RFC
 * 5545 constraints, stable UIDs, time zones across DST, and nothing of
 * the client's health leaving the clinic.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libical/ical.h>
#include <string.h>

#include "derm-appointment.h"
#include "derm-ical.h"

#define CALENDAR_ID "0123456789abcdef0123456789abcdef"

static DermAppointment *
make (gint64                 id,
      const char            *local,
      const char            *zone,
      guint                  k,
      DermAppointmentStatus  status)
{
  DermAppointment *a = derm_appointment_new ();

  derm_appointment_set_id (a, id);
  derm_appointment_set_client_id (a, 3);
  derm_appointment_set_series_id (a, 9);
  g_assert_true (derm_appointment_set_start (a, local, zone));
  derm_appointment_set_duration_minutes (a, 60);
  derm_appointment_set_session_index (a, k);
  derm_appointment_set_session_count (a, 4);
  derm_appointment_set_room (a, "Room 1");
  derm_appointment_set_practitioner (a, "Alice");
  derm_appointment_set_status (a, status);
  derm_appointment_set_client_name (a, "Jane Doe");
  derm_appointment_set_protocol_name (a, "Microneedling, face");
  /* Health details that must never be exported */
  derm_appointment_set_note (a, "isotretinoin stopped in May");
  return a;
}

static GPtrArray *
sample (void)
{
  GPtrArray *appointments = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (appointments, make (11, "2026-03-02T09:00", "Europe/Paris", 1, DERM_APPOINTMENT_DONE));
  g_ptr_array_add (appointments, make (12, "2026-03-30T09:00", "Europe/Paris", 2, DERM_APPOINTMENT_BOOKED));
  g_ptr_array_add (appointments, make (13, "2026-04-27T10:30", "Europe/Paris", 3, DERM_APPOINTMENT_CANCELLED));
  g_ptr_array_add (appointments, make (14, "2026-05-25T14:00", "America/New_York", 4, DERM_APPOINTMENT_NO_SHOW));
  g_ptr_array_add (appointments, make (15, "2026-06-01T08:15", "UTC", 4, DERM_APPOINTMENT_BOOKED));
  derm_appointment_set_kind (g_ptr_array_index (appointments, 4), DERM_APPOINTMENT_FOLLOW_UP_PHOTO);
  derm_appointment_set_practitioner (g_ptr_array_index (appointments, 4), NULL);
  return appointments;
}

static char *
export (GPtrArray  *appointments,
        const char *calendar_id)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) now = g_date_time_new (utc, 2026, 2, 1, 12, 0, 0);
  g_autoptr (GError) error = NULL;
  char *text = derm_ical_export (appointments, calendar_id, now, &error);

  g_assert_no_error (error);
  g_assert_nonnull (text);
  return text;
}

static icalcomponent *
find_event (icalcomponent *calendar,
            const char    *uid)
{
  for (icalcomponent *c = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT))
    if (g_strcmp0 (icalcomponent_get_uid (c), uid) == 0)
      return c;
  return NULL;
}

static icaltimezone *
zone_of (icalcomponent *calendar,
         icalproperty  *prop)
{
  icalparameter *param = icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER);

  if (param == NULL)
    return NULL;
  return icalcomponent_get_timezone (calendar, icalparameter_get_tzid (param));
}

static void
test_round_trip (void)
{
  g_autoptr (GPtrArray) appointments = sample ();
  g_autofree char *text = export (appointments, CALENDAR_ID);
  icalcomponent *calendar = icalparser_parse_string (text);
  int n_events = 0, n_zones = 0;

  g_assert_nonnull (calendar);
  g_assert_cmpint (icalcomponent_isa (calendar), ==, ICAL_VCALENDAR_COMPONENT);
  g_assert_cmpint (icalcomponent_count_errors (calendar), ==, 0);

  /* RFC 5545 3.6: VERSION and PRODID once each */
  g_assert_cmpint (icalcomponent_count_properties (calendar, ICAL_VERSION_PROPERTY), ==, 1);
  g_assert_cmpstr (icalproperty_get_version (icalcomponent_get_first_property (calendar, ICAL_VERSION_PROPERTY)), ==, "2.0");
  g_assert_cmpint (icalcomponent_count_properties (calendar, ICAL_PRODID_PROPERTY), ==, 1);
  g_assert_nonnull (strstr (icalproperty_get_prodid (icalcomponent_get_first_property (calendar, ICAL_PRODID_PROPERTY)), "Dermis"));

  /* One VTIMEZONE per zone used (UTC needs none) */
  for (icalcomponent *c = icalcomponent_get_first_component (calendar, ICAL_VTIMEZONE_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (calendar, ICAL_VTIMEZONE_COMPONENT))
    {
      g_assert_nonnull (icalcomponent_get_first_property (c, ICAL_TZID_PROPERTY));
      g_assert_true (icalcomponent_get_first_component (c, ICAL_XSTANDARD_COMPONENT) != NULL ||
                     icalcomponent_get_first_component (c, ICAL_XDAYLIGHT_COMPONENT) != NULL);
      n_zones++;
    }
  g_assert_cmpint (n_zones, ==, 2);

  for (guint i = 0; i < appointments->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (appointments, i);
      g_autofree char *uid = derm_ical_uid (CALENDAR_ID, derm_appointment_get_id (a));
      g_autofree char *title = derm_appointment_dup_private_title (a);
      icalcomponent *event = find_event (calendar, uid);
      icalproperty *dtstart, *dtend, *dtstamp;
      icaltimezone *zone;
      struct icaltimetype start, end, stamp;

      g_assert_nonnull (event);
      n_events++;

      /* RFC 5545 3.6.1: UID and DTSTAMP required, once */
      g_assert_cmpint (icalcomponent_count_properties (event, ICAL_UID_PROPERTY), ==, 1);
      g_assert_cmpint (icalcomponent_count_properties (event, ICAL_DTSTAMP_PROPERTY), ==, 1);
      g_assert_cmpint (icalcomponent_count_properties (event, ICAL_DTSTART_PROPERTY), ==, 1);
      g_assert_cmpint (icalcomponent_count_properties (event, ICAL_DTEND_PROPERTY), ==, 1);
      g_assert_cmpint (icalcomponent_count_properties (event, ICAL_DURATION_PROPERTY), ==, 0);

      dtstamp = icalcomponent_get_first_property (event, ICAL_DTSTAMP_PROPERTY);
      stamp = icalproperty_get_dtstamp (dtstamp);
      g_assert_true (icaltime_is_utc (stamp));
      g_assert_cmpint (icaltime_as_timet (stamp), ==, 1769947200);

      dtstart = icalcomponent_get_first_property (event, ICAL_DTSTART_PROPERTY);
      dtend = icalcomponent_get_first_property (event, ICAL_DTEND_PROPERTY);
      start = icalproperty_get_dtstart (dtstart);
      end = icalproperty_get_dtend (dtend);
      if (g_str_equal (derm_appointment_get_time_zone (a), "UTC"))
        {
          g_assert_true (icaltime_is_utc (start));
          zone = icaltimezone_get_utc_timezone ();
        }
      else
        {
          zone = zone_of (calendar, dtstart);
          g_assert_nonnull (zone);
          g_assert_true (zone == zone_of (calendar, dtend));
          /* The IANA name itself, which every calendar app knows */
          g_assert_cmpstr (icaltimezone_get_tzid (zone), ==, derm_appointment_get_time_zone (a));
          /* The wall-clock time as booked */
          g_assert_cmpint (start.hour * 60 + start.minute, ==,
                           g_ascii_strtoll (derm_appointment_get_start_local (a) + 11, NULL, 10) * 60 +
                           g_ascii_strtoll (derm_appointment_get_start_local (a) + 14, NULL, 10));
        }
      /* ... and the instant */
      g_assert_cmpint (icaltime_as_timet_with_zone (start, zone), ==, derm_appointment_get_start_unix (a));
      g_assert_cmpint (icaltime_as_timet_with_zone (end, zone), ==, derm_appointment_get_end_unix (a));

      g_assert_cmpstr (icalcomponent_get_summary (event), ==, title);
      g_assert_cmpint (icalcomponent_count_properties (event, ICAL_SEQUENCE_PROPERTY), ==, 1);
      g_assert_cmpint (icalcomponent_count_properties (event, ICAL_LASTMODIFIED_PROPERTY), ==, 1);
      g_assert_cmpstr (icalcomponent_get_location (event), ==, "Room 1");
      g_assert_cmpint (icalcomponent_get_status (event), ==,
                       derm_appointment_occupies (a) ? ICAL_STATUS_CONFIRMED : ICAL_STATUS_CANCELLED);
    }
  g_assert_cmpint (n_events, ==, appointments->len);
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VEVENT_COMPONENT), ==, appointments->len);
  g_assert_cmpstr (icalcomponent_get_summary (find_event (calendar, "dermis-" CALENDAR_ID "-appointment-12@dermis")),
                   ==, "Treatment 2/4 – J. D.");
  g_assert_cmpstr (icalcomponent_get_summary (find_event (calendar, "dermis-" CALENDAR_ID "-appointment-15@dermis")),
                   ==, "Follow-up photo – J. D.");
  /* No name and no condition leave the clinic by default */
  g_assert_null (strstr (text, "Jane"));
  g_assert_null (strstr (text, "Microneedling"));
  /* The zones' history is cut to the exported range */
  g_assert_null (strstr (text, "1847"));
  g_assert_null (strstr (text, "freeassociation"));
  g_assert_cmpuint (strlen (text), <, 6000);

  /* libical's own RFC restriction check adds no X-LIC-ERROR */
  icalrestriction_check (calendar);
  g_assert_cmpint (icalcomponent_count_errors (calendar), ==, 0);

  icalcomponent_free (calendar);
}

/* 09:00 in Paris is 08:00Z in winter and 07:00Z in summer */
static void
test_dst (void)
{
  g_autoptr (GPtrArray) appointments = sample ();
  g_autofree char *text = export (appointments, CALENDAR_ID);
  icalcomponent *calendar = icalparser_parse_string (text);
  icalcomponent *winter = find_event (calendar, "dermis-" CALENDAR_ID "-appointment-11@dermis");
  icalcomponent *summer = find_event (calendar, "dermis-" CALENDAR_ID "-appointment-12@dermis");
  icalproperty *p1 = icalcomponent_get_first_property (winter, ICAL_DTSTART_PROPERTY);
  icalproperty *p2 = icalcomponent_get_first_property (summer, ICAL_DTSTART_PROPERTY);
  struct icaltimetype w = icalproperty_get_dtstart (p1);
  struct icaltimetype s = icalproperty_get_dtstart (p2);

  g_assert_cmpint (w.hour, ==, 9);
  g_assert_cmpint (s.hour, ==, 9);
  g_assert_cmpint (icaltime_as_timet_with_zone (w, zone_of (calendar, p1)) % 86400, ==, 8 * 3600);
  g_assert_cmpint (icaltime_as_timet_with_zone (s, zone_of (calendar, p2)) % 86400, ==, 7 * 3600);
  icalcomponent_free (calendar);
}

static void
test_text_rules (void)
{
  g_autoptr (GPtrArray) appointments = sample ();
  g_autofree char *text = export (appointments, CALENDAR_ID);
  g_autofree char *again = export (appointments, CALENDAR_ID);
  g_autofree char *other = export (appointments, "ffffffffffffffffffffffffffffffff");
  g_auto (GStrv) lines = NULL;

  /* Nothing but the title, room and practitioner leaves the clinic */
  g_assert_null (strstr (text, "isotretinoin"));
  g_assert_nonnull (strstr (text, "BEGIN:VCALENDAR\r\n"));
  g_assert_true (g_str_has_suffix (text, "END:VCALENDAR\r\n"));

  /* CRLF everywhere, no line longer than 75 octets (RFC 5545 3.1) */
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_null (strchr (lines[i], '\n'));
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
    }

  /* Same database, same UIDs; another database, other UIDs */
  g_assert_cmpstr (text, ==, again);
  g_assert_nonnull (strstr (other, "dermis-ffffffffffffffffffffffffffffffff-appointment-11@dermis"));
  g_assert_null (strstr (other, CALENDAR_ID));
}

static void
test_empty_and_unknown_zone (void)
{
  g_autoptr (GPtrArray) none = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *text = export (none, CALENDAR_ID);
  icalcomponent *calendar = icalparser_parse_string (text);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) odd = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *failed = NULL;

  g_assert_nonnull (calendar);
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VEVENT_COMPONENT), ==, 0);
  g_assert_cmpint (icalcomponent_count_properties (calendar, ICAL_VERSION_PROPERTY), ==, 1);
  icalcomponent_free (calendar);

  /* A zone GLib knows by a fixed offset but libical has no VTIMEZONE for */
  g_ptr_array_add (odd, make (1, "2026-03-02T09:00", "+05:30", 1, DERM_APPOINTMENT_BOOKED));
  failed = derm_ical_export (odd, CALENDAR_ID, NULL, &error);
  g_assert_null (failed);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

/* Issue 12: both DST changes of London and New York, a moved event's
 * SEQUENCE, full names only when asked, and Debian's python3-icalendar
 * and python3-vobject reading the same instants as Dermis */
static void
test_dst_python (void)
{
  static const struct { const char *local; const char *zone; } times[] = {
    { "2026-03-27T09:00", "Europe/London" },    /* before the spring change (29 March) */
    { "2026-03-30T09:00", "Europe/London" },
    { "2026-10-23T17:30", "Europe/London" },    /* around the autumn change (25 October) */
    { "2026-10-26T17:30", "Europe/London" },
    { "2026-03-06T09:00", "America/New_York" }, /* 8 March */
    { "2026-03-09T09:00", "America/New_York" },
    { "2026-10-30T16:00", "America/New_York" }, /* 1 November */
    { "2026-11-02T16:00", "America/New_York" },
  };
  g_autoptr (GPtrArray) appointments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dermis-ical-XXXXXX", &error);
  g_autofree char *ics_path = g_build_filename (dir, "export.ics", NULL);
  g_autofree char *expected_path = g_build_filename (dir, "expected.txt", NULL);
  g_autofree char *script = g_build_filename (g_getenv ("DERMIS_SOURCE_DIR"), "tests", "ical-parse-check.py", NULL);
  g_autofree char *text = NULL;
  g_autofree char *full = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "/usr/bin/python3", script, ics_path, expected_path, NULL };
  icalcomponent *calendar;
  int status = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      DermAppointment *a = make (100 + i, times[i].local, times[i].zone, 1 + i % 4, DERM_APPOINTMENT_BOOKED);
      g_autofree char *uid = derm_ical_uid (CALENDAR_ID, 100 + i);

      derm_appointment_set_sequence (a, i);
      derm_appointment_set_updated_at (a, "2026-02-01T10:00:00Z");
      g_ptr_array_add (appointments, a);
      g_string_append_printf (expected, "%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", uid,
                              derm_appointment_get_start_unix (a), derm_appointment_get_end_unix (a));
    }
  text = export (appointments, CALENDAR_ID);

  /* libical: each instant, SEQUENCE as the change count, one cut VTIMEZONE per zone */
  calendar = icalparser_parse_string (text);
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VTIMEZONE_COMPONENT), ==, 2);
  for (guint i = 0; i < appointments->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (appointments, i);
      g_autofree char *uid = derm_ical_uid (CALENDAR_ID, derm_appointment_get_id (a));
      icalcomponent *event = find_event (calendar, uid);
      icalproperty *dtstart = icalcomponent_get_first_property (event, ICAL_DTSTART_PROPERTY);

      g_assert_cmpint (icaltime_as_timet_with_zone (icalproperty_get_dtstart (dtstart), zone_of (calendar, dtstart)), ==,
                       derm_appointment_get_start_unix (a));
      g_assert_cmpint (icalcomponent_get_sequence (event), ==, (int) i);
    }
  icalcomponent_free (calendar);

  g_assert_true (g_file_set_contents (ics_path, text, -1, &error));
  g_assert_true (g_file_set_contents (expected_path, expected->str, -1, &error));
  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    g_test_fail_printf ("/usr/bin/python3 is missing: run .ci/bootstrap");
  else
    {
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL))
        g_test_message ("stdout: %s\nstderr: %s", out, err);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }

  /* Full names and protocols only when the clinic turns them on */
  full = derm_ical_export_full (appointments, CALENDAR_ID, NULL, DERM_ICAL_NAMES_FULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (full, "Jane Doe"));
  g_assert_nonnull (strstr (full, "Microneedling"));

  g_unlink (ics_path);
  g_unlink (expected_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ical/export/round-trip", test_round_trip);
  g_test_add_func ("/ical/export/dst", test_dst);
  g_test_add_func ("/ical/export/dst-london-new-york-libical-icalendar-vobject", test_dst_python);
  g_test_add_func ("/ical/export/text-rules-and-stable-uids", test_text_rules);
  g_test_add_func ("/ical/export/empty-and-unknown-zone", test_empty_and_unknown_zone);

  int result = g_test_run ();

  icaltimezone_free_builtin_timezones ();
  return result;
}

/* derm-ical.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each event carries its local start with a TZID and the VTIMEZONE that
 * defines it (libical's builtin zones), so calendars show 10:00 as 10:00
 * on both sides of a daylight-saving change. What leaves the clinic is
 * deliberately little: the title (protocol, session k/n, client name),
 * the room and the practitioner. Notes and screening never do.
 */

#define G_LOG_DOMAIN "derm-ical"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <libical/ical.h>

#include "derm-appointment.h"
#include "derm-ical.h"

char *
derm_ical_uid (const char *calendar_id,
               gint64      appointment_id)
{
  return g_strdup_printf ("dermis-%s-appointment-%" G_GINT64_FORMAT "@dermis",
                          calendar_id != NULL && calendar_id[0] != '\0' ? calendar_id : "local",
                          appointment_id);
}

static struct icaltimetype
local_time (GDateTime    *dt,
            icaltimezone *zone)
{
  struct icaltimetype t = icaltime_null_time ();

  t.year = g_date_time_get_year (dt);
  t.month = g_date_time_get_month (dt);
  t.day = g_date_time_get_day_of_month (dt);
  t.hour = g_date_time_get_hour (dt);
  t.minute = g_date_time_get_minute (dt);
  t.second = g_date_time_get_second (dt);
  t.is_date = 0;
  t.zone = zone;
  return t;
}

/* DTSTART/DTEND: local time with TZID, or UTC with Z */
/* TZIDs are the IANA names ("Europe/London") every calendar app knows,
 * not libical's "/freeassociation.sourceforge.net/..." ones */
static icalproperty *
time_property (icalproperty *(*make) (struct icaltimetype),
               GDateTime     *dt,
               icaltimezone  *zone,
               const char    *zone_id)
{
  icalproperty *prop;

  if (zone == icaltimezone_get_utc_timezone ())
    return make (icaltime_from_timet_with_zone (g_date_time_to_unix (dt), 0, zone));

  prop = make (local_time (dt, zone));
  icalproperty_add_parameter (prop, icalparameter_new_tzid (zone_id));
  return prop;
}

static icaltimezone *
zone_for (const char  *id,
          GError     **error)
{
  icaltimezone *zone;

  if (id == NULL || g_str_equal (id, "UTC") || g_str_equal (id, "Etc/UTC"))
    return icaltimezone_get_utc_timezone ();

  zone = icaltimezone_get_builtin_timezone (id);
  if (zone == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The time zone “%s” is unknown to the calendar export. Choose another time zone in Preferences."),
                   id);
      return NULL;
    }
  return zone;
}

typedef struct
{
  icaltimezone *zone;
  gint64        first;   /* earliest start using it, unix */
  gint64        last;    /* latest end */
} ZoneUse;

static icalcomponent *
observance (GTimeZone *tz,
            gint64     at,
            int        offset_from)
{
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, at);
  int offset_to = g_time_zone_get_offset (tz, interval);
  icalcomponent *obs = g_time_zone_is_dst (tz, interval) ? icalcomponent_new_xdaylight ()
                                                           : icalcomponent_new_xstandard ();
  /* DTSTART is the local time of the onset, in the offset before it */
  icaltimetype start = icaltime_from_timet_with_zone ((time_t) (at + offset_from), 0, NULL);

  start.zone = NULL;
  icalcomponent_add_property (obs, icalproperty_new_tzname (g_time_zone_get_abbreviation (tz, interval)));
  icalcomponent_add_property (obs, icalproperty_new_tzoffsetfrom (offset_from));
  icalcomponent_add_property (obs, icalproperty_new_tzoffsetto (offset_to));
  icalcomponent_add_property (obs, icalproperty_new_dtstart (start));
  return obs;
}

/* The offset in force at @t */
static int
offset_at (GTimeZone *tz,
           gint64     t)
{
  return g_time_zone_get_offset (tz, g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, t));
}

/* One VTIMEZONE per zone used, cut to the exported range: the offset in
 * force a year before the first event, then each change up to a year
 * after the last one, from the system's tz database (libical 3.0's own
 * truncation drops the autumn rule of Europe/London) */
static void
add_vtimezone (icalcomponent *calendar,
               const char    *zone_id,
               ZoneUse       *use)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (zone_id);
  icalcomponent *vtz;
  gint64 from = use->first - (gint64) 366 * 24 * 3600;
  gint64 to = use->last + (gint64) 366 * 24 * 3600;
  int offset;

  if (tz == NULL)
    return;
  vtz = icalcomponent_new_vtimezone ();
  icalcomponent_add_property (vtz, icalproperty_new_tzid (zone_id));
  offset = offset_at (tz, from);
  icalcomponent_add_component (vtz, observance (tz, from - from % 60, offset));

  /* Day by day for a change of offset or of DST, then to the second */
  for (gint64 day = from; day < to; day += 24 * 3600)
    {
      gint64 lo = day, hi = day + 24 * 3600;

      if (offset_at (tz, hi) == offset_at (tz, lo))
        continue;
      while (hi - lo > 1)
        {
          gint64 mid = lo + (hi - lo) / 2;

          if (offset_at (tz, mid) == offset_at (tz, lo))
            lo = mid;
          else
            hi = mid;
        }
      icalcomponent_add_component (vtz, observance (tz, hi, offset_at (tz, lo)));
    }
  icalcomponent_add_component (calendar, vtz);
}

static icaltimetype
utc_time_from_iso (const char *iso,
                   gint64      fallback)
{
  g_autoptr (GDateTime) dt = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;

  return icaltime_from_timet_with_zone ((time_t) (dt != NULL ? g_date_time_to_unix (dt) : fallback), 0,
                                        icaltimezone_get_utc_timezone ());
}

char *
derm_ical_export (GPtrArray   *appointments,
                  const char  *calendar_id,
                  GDateTime   *now,
                  GError     **error)
{
  return derm_ical_export_full (appointments, calendar_id, now, DERM_ICAL_NAMES_INITIALS, error);
}

char *
derm_ical_export_full (GPtrArray     *appointments,
                       const char    *calendar_id,
                       GDateTime     *now,
                       DermIcalNames  names,
                       GError       **error)
{
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr (GDateTime) real_now = NULL;
  icalcomponent *calendar;
  struct icaltimetype stamp;
  char *text, *result;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (appointments != NULL, NULL);


  if (now == NULL)
    now = real_now = g_date_time_new_now_utc ();
  stamp = icaltime_from_timet_with_zone (g_date_time_to_unix (now), 0, icaltimezone_get_utc_timezone ());

  calendar = icalcomponent_new_vcalendar ();
  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_prodid ("-//Dermis//Dermis " PACKAGE_VERSION "//EN"));
  icalcomponent_add_property (calendar, icalproperty_new_calscale ("GREGORIAN"));

  for (guint i = 0; i < appointments->len; i++)
    {
      DermAppointment *appointment = g_ptr_array_index (appointments, i);
      g_autoptr (GDateTime) start = derm_appointment_dup_start (appointment);
      g_autoptr (GDateTime) end = derm_appointment_dup_end (appointment);
      g_autofree char *uid = NULL;
      g_autofree char *title = NULL;
      icalcomponent *event;
      icaltimezone *zone;

      if (start == NULL)
        continue;
      zone = zone_for (derm_appointment_get_time_zone (appointment), error);
      if (zone == NULL)
        {
          icalcomponent_free (calendar);
          return NULL;
        }
      if (zone != icaltimezone_get_utc_timezone ())
        {
          const char *id = derm_appointment_get_time_zone (appointment);
          ZoneUse *use = g_hash_table_lookup (used, id);

          if (use == NULL)
            {
              use = g_new0 (ZoneUse, 1);
              use->zone = zone;
              use->first = g_date_time_to_unix (start);
              use->last = g_date_time_to_unix (end);
              g_hash_table_insert (used, (gpointer) id, use);
            }
          use->first = MIN (use->first, g_date_time_to_unix (start));
          use->last = MAX (use->last, g_date_time_to_unix (end));
        }

      uid = derm_ical_uid (calendar_id, derm_appointment_get_id (appointment));
      title = names == DERM_ICAL_NAMES_FULL ? derm_appointment_dup_title (appointment)
                                            : derm_appointment_dup_private_title (appointment);

      event = icalcomponent_new_vevent ();
      icalcomponent_add_property (event, icalproperty_new_uid (uid));
      icalcomponent_add_property (event, icalproperty_new_dtstamp (stamp));
      icalcomponent_add_property (event, icalproperty_new_sequence ((int) derm_appointment_get_sequence (appointment)));
      icalcomponent_add_property (event,
                                  icalproperty_new_lastmodified (utc_time_from_iso (derm_appointment_get_updated_at (appointment),
                                                                                    g_date_time_to_unix (now))));
      icalcomponent_add_property (event, time_property (icalproperty_new_dtstart, start, zone,
                                                        derm_appointment_get_time_zone (appointment)));
      icalcomponent_add_property (event, time_property (icalproperty_new_dtend, end, zone,
                                                        derm_appointment_get_time_zone (appointment)));
      icalcomponent_add_property (event, icalproperty_new_summary (title));
      if (derm_appointment_get_room (appointment) != NULL)
        icalcomponent_add_property (event, icalproperty_new_location (derm_appointment_get_room (appointment)));
      if (derm_appointment_get_practitioner (appointment) != NULL)
        {
          g_autofree char *with = g_strdup_printf (_("With %s"), derm_appointment_get_practitioner (appointment));
          icalcomponent_add_property (event, icalproperty_new_description (with));
        }
      icalcomponent_add_property (event,
                                  icalproperty_new_status (derm_appointment_occupies (appointment)
                                                           ? ICAL_STATUS_CONFIRMED
                                                           : ICAL_STATUS_CANCELLED));
      icalcomponent_add_property (event, icalproperty_new_transp (ICAL_TRANSP_OPAQUE));
      icalcomponent_add_component (calendar, event);
    }

  /* The zones go first, before the events that use them */
  {
    icalcomponent *events = calendar;

    calendar = icalcomponent_new_vcalendar ();
    for (icalproperty *p = icalcomponent_get_first_property (events, ICAL_ANY_PROPERTY); p != NULL;
         p = icalcomponent_get_next_property (events, ICAL_ANY_PROPERTY))
      icalcomponent_add_property (calendar, icalproperty_new_clone (p));
    g_hash_table_iter_init (&iter, used);
    while (g_hash_table_iter_next (&iter, &key, &value))
      add_vtimezone (calendar, key, value);
    for (icalcomponent *c = icalcomponent_get_first_component (events, ICAL_VEVENT_COMPONENT); c != NULL;
         c = icalcomponent_get_next_component (events, ICAL_VEVENT_COMPONENT))
      icalcomponent_add_component (calendar, icalcomponent_new_clone (c));
    icalcomponent_free (events);
  }

  text = icalcomponent_as_ical_string_r (calendar);
  result = g_strdup (text);
  icalmemory_free_buffer (text);
  icalcomponent_free (calendar);
  return result;
}

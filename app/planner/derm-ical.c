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
static icalproperty *
time_property (icalproperty *(*make) (struct icaltimetype),
               GDateTime     *dt,
               icaltimezone  *zone)
{
  icalproperty *prop;

  if (zone == icaltimezone_get_utc_timezone ())
    return make (icaltime_from_timet_with_zone (g_date_time_to_unix (dt), 0, zone));

  prop = make (local_time (dt, zone));
  icalproperty_add_parameter (prop, icalparameter_new_tzid (icaltimezone_get_tzid (zone)));
  return prop;
}

static icaltimezone *
zone_for (const char  *id,
          GHashTable  *added,
          icalcomponent *calendar,
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
  if (!g_hash_table_contains (added, id))
    {
      icalcomponent_add_component (calendar, icalcomponent_new_clone (icaltimezone_get_component (zone)));
      g_hash_table_add (added, (gpointer) id);
    }
  return zone;
}

char *
derm_ical_export (GPtrArray   *appointments,
                  const char  *calendar_id,
                  GDateTime   *now,
                  GError     **error)
{
  g_autoptr (GHashTable) added = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GDateTime) real_now = NULL;
  icalcomponent *calendar;
  struct icaltimetype stamp;
  char *text, *result;

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
      zone = zone_for (derm_appointment_get_time_zone (appointment), added, calendar, error);
      if (zone == NULL)
        {
          icalcomponent_free (calendar);
          return NULL;
        }

      uid = derm_ical_uid (calendar_id, derm_appointment_get_id (appointment));
      title = derm_appointment_dup_title (appointment);

      event = icalcomponent_new_vevent ();
      icalcomponent_add_property (event, icalproperty_new_uid (uid));
      icalcomponent_add_property (event, icalproperty_new_dtstamp (stamp));
      icalcomponent_add_property (event, time_property (icalproperty_new_dtstart, start, zone));
      icalcomponent_add_property (event, time_property (icalproperty_new_dtend, end, zone));
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

  text = icalcomponent_as_ical_string_r (calendar);
  result = g_strdup (text);
  icalmemory_free_buffer (text);
  icalcomponent_free (calendar);
  return result;
}

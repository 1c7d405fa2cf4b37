/* derm-cli-clinic.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-cli-clinic.h"
#include "derm-clinic.h"
#include "derm-store-planner.h"
#include "derm-validate.h"

static const char * const weekday_keys[] = { NULL, "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static int
parse_weekday (DermCliInvocation *inv,
               const char        *text,
               GDateWeekday      *out)
{
  for (int day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
    if (g_ascii_strncasecmp (text, weekday_keys[day], 3) == 0 ||
        (text[0] == '0' + day && text[1] == '\0'))
      {
        *out = day;
        return DERM_EXIT_OK;
      }
  return derm_cli_usage_error (inv, _("“%s” is not a weekday: use mon, tue, wed, thu, fri, sat or sun."), text);
}

static void
add_days (JsonBuilder *b,
          GStrv        dates)
{
  json_builder_begin_array (b);
  for (guint i = 0; dates[i] != NULL; i++)
    json_builder_add_string_value (b, dates[i]);
  json_builder_end_array (b);
}

/* The calendar settings, as text or JSON */
static void
print_calendar (DermClinic *clinic,
                gboolean    json)
{
  const char * const *people = derm_clinic_get_practitioners (clinic);
  g_auto (GStrv) closed = derm_clinic_dup_closed_dates (clinic);

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "time_zone");
      json_builder_add_string_value (b, derm_clinic_get_time_zone_id (clinic));
      json_builder_set_member_name (b, "slot_step");
      json_builder_add_int_value (b, derm_clinic_get_slot_step (clinic));
      json_builder_set_member_name (b, "hours");
      json_builder_begin_object (b);
      for (int day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
        {
          g_autofree char *hours = derm_clinic_dup_hours_string (clinic, day);

          json_builder_set_member_name (b, weekday_keys[day]);
          json_builder_add_string_value (b, hours);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "closed_dates");
      add_days (b, closed);
      json_builder_set_member_name (b, "rooms");
      json_builder_begin_array (b);
      for (const char * const *r = derm_clinic_get_rooms (clinic); *r != NULL; r++)
        json_builder_add_string_value (b, *r);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "practitioners");
      json_builder_begin_array (b);
      for (guint i = 0; people[i] != NULL; i++)
        {
          g_auto (GStrv) leave = derm_clinic_dup_practitioner_leave (clinic, people[i]);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, people[i]);
          /* Only the weekdays that differ from the clinic's; "" a day off */
          json_builder_set_member_name (b, "hours");
          json_builder_begin_object (b);
          for (int day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
            {
              g_autofree char *hours = derm_clinic_dup_practitioner_hours_string (clinic, people[i], day);

              if (hours == NULL)
                continue;
              json_builder_set_member_name (b, weekday_keys[day]);
              json_builder_add_string_value (b, hours);
            }
          json_builder_end_object (b);
          json_builder_set_member_name (b, "leave");
          add_days (b, leave);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      derm_cli_print_json (node);
      return;
    }

  {
    g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *step = g_strdup_printf (_("%u minutes"), derm_clinic_get_slot_step (clinic));
    g_autofree char *rooms = g_strjoinv (", ", (char **) derm_clinic_get_rooms (clinic));
    g_autofree char *closed_text = g_strjoinv (", ", closed);

    derm_cli_add_field (fields, _("Time zone"), derm_clinic_get_time_zone_id (clinic));
    derm_cli_add_field (fields, _("Slot step"), step);
    for (int day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
      {
        g_autofree char *hours = derm_clinic_dup_hours_string (clinic, day);

        derm_cli_add_field (fields, weekday_keys[day], *hours != '\0' ? hours : _("closed"));
      }
    derm_cli_add_field (fields, _("Closed dates"), *closed_text != '\0' ? closed_text : _("none"));
    derm_cli_add_field (fields, _("Rooms"), *rooms != '\0' ? rooms : _("none"));
    for (guint i = 0; people[i] != NULL; i++)
      {
        g_auto (GStrv) leave = derm_clinic_dup_practitioner_leave (clinic, people[i]);
        g_autoptr (GString) week = g_string_new (NULL);
        g_autofree char *leave_text = g_strjoinv (", ", leave);
        g_autofree char *line = NULL;

        for (int day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
          {
            g_autofree char *hours = derm_clinic_dup_practitioner_hours_string (clinic, people[i], day);

            if (hours != NULL)
              g_string_append_printf (week, "%s%s %s", week->len > 0 ? "; " : "", weekday_keys[day],
                                      *hours != '\0' ? hours : _("off"));
          }
        /* Translators: a practitioner's week, then their leave */
        line = g_strdup_printf (_("hours: %s · leave: %s"),
                                week->len > 0 ? week->str : _("the clinic’s"),
                                *leave_text != '\0' ? leave_text : _("none"));
        derm_cli_add_field (fields, people[i], line);
      }
    derm_cli_print_fields (fields);
  }
}

/* Every change: read the clinic, change it, save it (the store validates
 * and audits), print what it is now. Nothing is stored on a failure. */
typedef int (*ChangeFunc) (DermCliInvocation *inv,
                           DermClinic        *clinic,
                           gpointer           data);

static int
change_clinic (DermCliInvocation *inv,
               ChangeFunc         change,
               gpointer           data)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (GError) error = NULL;
  int rc;

  if (!(store = derm_cli_open_store (inv, &rc)))
    return rc;
  if ((clinic = derm_store_load_clinic (store, &error)) == NULL)
    return derm_cli_fail_with_error (error);
  if (change != NULL)
    {
      if ((rc = change (inv, clinic, data)) != DERM_EXIT_OK)
        return rc;
      if (!derm_store_save_clinic (store, clinic, &error))
        return derm_cli_fail_with_error (error);
    }
  print_calendar (clinic, inv->json);
  return DERM_EXIT_OK;
}

static int
cmd_calendar (DermCliInvocation *inv)
{
  int rc;

  if ((rc = derm_cli_parse (inv, NULL, 0, 0, NULL)))
    return rc;
  return change_clinic (inv, NULL, NULL);
}

static int
set_zone (DermCliInvocation *inv,
          DermClinic        *clinic,
          gpointer           data)
{
  if (!derm_clinic_set_time_zone_id (clinic, inv->args[0]))
    return derm_cli_fail (DERM_EXIT_INVALID, _("“%s” is not a time zone: use a name such as Europe/London."),
                          inv->args[0]);
  return DERM_EXIT_OK;
}

static int
cmd_timezone (DermCliInvocation *inv)
{
  int rc;

  if ((rc = derm_cli_parse (inv, NULL, 1, 1, _("time zone"))))
    return rc;
  return change_clinic (inv, set_zone, NULL);
}

static int
set_step (DermCliInvocation *inv,
          DermClinic        *clinic,
          gpointer           data)
{
  guint64 minutes;

  if (!g_ascii_string_to_unsigned (inv->args[0], 10, 5, 120, &minutes, NULL))
    return derm_cli_fail (DERM_EXIT_INVALID, _("The slot step must be a number of minutes from 5 to 120."));
  derm_clinic_set_slot_step (clinic, (guint) minutes);
  return DERM_EXIT_OK;
}

static int
cmd_slot_step (DermCliInvocation *inv)
{
  int rc;

  if ((rc = derm_cli_parse (inv, NULL, 1, 1, _("minutes"))))
    return rc;
  return change_clinic (inv, set_step, NULL);
}

static int
set_hours (DermCliInvocation *inv,
           DermClinic        *clinic,
           gpointer           data)
{
  g_autoptr (GError) error = NULL;

  if (!derm_clinic_set_hours_string (clinic, *(GDateWeekday *) data, inv->args[1], &error))
    return derm_cli_fail_with_error (error);
  return DERM_EXIT_OK;
}

static int
cmd_hours (DermCliInvocation *inv)
{
  GDateWeekday day;
  int rc;

  if ((rc = derm_cli_parse (inv, NULL, 2, 2, _("weekday and hours"))) ||
      (rc = parse_weekday (inv, inv->args[0], &day)))
    return rc;
  return change_clinic (inv, set_hours, &day);
}

typedef struct
{
  GDate       date;
  const char *label;
  gboolean    close;
} CloseChange;

static int
set_closed (DermCliInvocation *inv,
            DermClinic        *clinic,
            gpointer           data)
{
  CloseChange *c = data;

  if (c->close)
    derm_clinic_add_closed_date (clinic, &c->date, c->label);
  else if (!derm_clinic_remove_closed_date (clinic, &c->date))
    return derm_cli_fail (DERM_EXIT_NOT_FOUND, _("%s is not a closed date."), inv->args[0]);
  return DERM_EXIT_OK;
}

static int
cmd_close_reopen (DermCliInvocation *inv)
{
  g_autofree char *label = NULL;
  const GOptionEntry entries[] = {
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("Why the clinic is closed"), N_("TEXT") },
    { NULL }
  };
  CloseChange c = { .close = g_str_equal (inv->command->name, "clinic close") };
  int rc;

  if ((rc = derm_cli_parse (inv, c.close ? entries : NULL, 1, 1, _("date"))) ||
      (rc = derm_cli_parse_date (inv, _("the date"), inv->args[0], &c.date)))
    return rc;
  c.label = label;
  return change_clinic (inv, set_closed, &c);
}

/* room add|remove NAME, practitioner add|remove NAME */
static int
set_names (DermCliInvocation *inv,
           DermClinic        *clinic,
           gpointer           data)
{
  gboolean rooms = GPOINTER_TO_INT (data);
  const char * const *now = rooms ? derm_clinic_get_rooms (clinic) : derm_clinic_get_practitioners (clinic);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) names = NULL;
  const char *name = inv->args[1];
  gboolean add = g_str_equal (inv->args[0], "add");
  gboolean found = g_strv_contains (now, name);

  if (add && found)
    return derm_cli_fail (DERM_EXIT_INVALID, _("“%s” is already there."), name);
  if (!add && !found)
    return derm_cli_fail (DERM_EXIT_NOT_FOUND, _("There is no “%s”."), name);
  for (guint i = 0; now[i] != NULL; i++)
    if (add || !g_str_equal (now[i], name))
      g_strv_builder_add (builder, now[i]);
  if (add)
    g_strv_builder_add (builder, name);
  names = g_strv_builder_end (builder);
  if (rooms)
    derm_clinic_set_rooms (clinic, (const char * const *) names);
  else
    derm_clinic_set_practitioners (clinic, (const char * const *) names);
  return DERM_EXIT_OK;
}

/* practitioner rename OLD NEW: the same person, their hours, leave and
 * bookings to come kept */
static int
rename_practitioner (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (GError) error = NULL;
  int rc;

  if (inv->n_args != 3)
    return derm_cli_usage_error (inv, _("Give the practitioner’s name and their new name."));
  if (!(store = derm_cli_open_store (inv, &rc)))
    return rc;
  if (!derm_store_rename_practitioner (store, inv->args[1], inv->args[2], &error) ||
      (clinic = derm_store_load_clinic (store, &error)) == NULL)
    return derm_cli_fail_with_error (error);
  print_calendar (clinic, inv->json);
  return DERM_EXIT_OK;
}

static int
cmd_names (DermCliInvocation *inv)
{
  gboolean rooms = g_str_equal (inv->command->name, "clinic room");
  int rc;

  if ((rc = derm_cli_parse (inv, NULL, 2, rooms ? 2 : 3, _("add or remove, and a name"))))
    return rc;
  if (!rooms && g_str_equal (inv->args[0], "rename"))
    return rename_practitioner (inv);
  if (inv->n_args != 2)
    return derm_cli_usage_error (inv, _("“%s”: use add or remove."), inv->args[0]);
  if (!g_str_equal (inv->args[0], "add") && !g_str_equal (inv->args[0], "remove"))
    return derm_cli_usage_error (inv, _("“%s”: use add or remove."), inv->args[0]);
  if (g_strstrip (inv->args[1])[0] == '\0')
    return derm_cli_usage_error (inv, _("Give a name."));
  return change_clinic (inv, set_names, GINT_TO_POINTER (rooms));
}

typedef struct
{
  char  *weekday;
  char  *hours;
  char **leave;
  char **back;
  char  *label;
} Availability;

static int
set_availability (DermCliInvocation *inv,
                  DermClinic        *clinic,
                  gpointer           data)
{
  Availability *a = data;
  const char *name = inv->args[0];
  g_autoptr (GError) error = NULL;
  int rc;

  if (!derm_clinic_has_practitioner (clinic, name))
    return derm_cli_fail (DERM_EXIT_NOT_FOUND, _("There is no practitioner “%s”. Add them first."), name);
  if (a->weekday != NULL)
    {
      GDateWeekday day;
      const char *hours = g_strcmp0 (a->hours, "clinic") == 0 ? NULL : a->hours;

      if ((rc = parse_weekday (inv, a->weekday, &day)))
        return rc;
      if (!derm_clinic_set_practitioner_hours_string (clinic, name, day, hours, &error))
        return derm_cli_fail_with_error (error);
    }
  for (guint i = 0; a->leave != NULL && a->leave[i] != NULL; i++)
    {
      GDate date;

      if ((rc = derm_cli_parse_date (inv, "--leave", a->leave[i], &date)))
        return rc;
      if (!derm_clinic_add_practitioner_leave (clinic, name, &date, a->label, &error))
        return derm_cli_fail_with_error (error);
    }
  for (guint i = 0; a->back != NULL && a->back[i] != NULL; i++)
    {
      GDate date;

      if ((rc = derm_cli_parse_date (inv, "--back", a->back[i], &date)))
        return rc;
      if (!derm_clinic_remove_practitioner_leave (clinic, name, &date))
        return derm_cli_fail (DERM_EXIT_NOT_FOUND, _("%s is not a day of leave of %s."), a->back[i], name);
    }
  return DERM_EXIT_OK;
}

static int
cmd_availability (DermCliInvocation *inv)
{
  Availability a = { 0 };
  const GOptionEntry entries[] = {
    { "weekday", 0, 0, G_OPTION_ARG_STRING, &a.weekday, N_("The weekday whose hours --hours sets"), N_("mon…sun") },
    { "hours", 0, 0, G_OPTION_ARG_STRING, &a.hours, N_("Hours that weekday: 09:00-13:00,14:00-18:00, off, or clinic for the clinic’s"), N_("HOURS") },
    { "leave", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.leave, N_("A day of leave (may repeat)"), N_("YYYY-MM-DD") },
    { "back", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.back, N_("Cancels a day of leave (may repeat)"), N_("YYYY-MM-DD") },
    { "label", 0, 0, G_OPTION_ARG_STRING, &a.label, N_("Why, for the days of --leave"), N_("TEXT") },
    { NULL }
  };
  int rc;

  rc = derm_cli_parse (inv, entries, 1, 1, _("practitioner"));
  if (rc == DERM_EXIT_OK && (a.weekday == NULL) != (a.hours == NULL))
    rc = derm_cli_usage_error (inv, _("Give --weekday and --hours together."));
  if (rc == DERM_EXIT_OK)
    rc = change_clinic (inv, a.weekday != NULL || a.leave != NULL || a.back != NULL ? set_availability : NULL, &a);
  g_free (a.weekday);
  g_free (a.hours);
  g_strfreev (a.leave);
  g_strfreev (a.back);
  g_free (a.label);
  return rc;
}

const DermCliCommand derm_cli_clinic_commands[] = {
  { "clinic calendar", NULL,
    N_("Shows the clinic’s time zone, slot step, opening hours, closed dates, rooms and practitioners with their hours and leave."),
    cmd_calendar, DERM_CLI_READS },
  { "clinic timezone", "ZONE", N_("Sets the time zone the clinic works in (Europe/London)."), cmd_timezone },
  { "clinic slot-step", "MINUTES", N_("Sets the minutes between possible appointment starts (5 to 120)."), cmd_slot_step },
  { "clinic hours", "WEEKDAY HOURS", N_("Sets a weekday’s opening hours: 09:00-13:00,14:00-19:00 or closed."), cmd_hours },
  { "clinic close", "DATE [--label TEXT]", N_("Closes the clinic on a date (a holiday)."), cmd_close_reopen },
  { "clinic reopen", "DATE", N_("Opens a closed date again."), cmd_close_reopen },
  { "clinic room", "add|remove NAME", N_("Adds or removes a room."), cmd_names },
  { "clinic practitioner", "add|remove NAME | rename NAME NEW_NAME",
    N_("Adds or removes a practitioner, with their hours and leave, or renames them (hours, leave and bookings to come kept)."),
    cmd_names },
  { "clinic availability", "NAME [--weekday DAY --hours HOURS] [--leave DATE] [--back DATE] [--label TEXT]",
    N_("Shows or sets a practitioner’s own hours per weekday and days of leave."), cmd_availability },
  { NULL }
};

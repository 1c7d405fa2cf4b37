/* derm-cli-plan.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * dermis-cli plan: the treatment planner from the command line. Same
 * conventions as the other commands: options per subcommand, --json for
 * one JSON document on stdout, errors as one line on stderr, exit codes
 * from derm-cli-common.h. Nothing is booked or moved without --yes: the
 * proposal is printed first, as the app shows it before the user confirms.
 */

#define G_LOG_DOMAIN "derm-cli"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "derm-cli-common.h"
#include "derm-cli-plan.h"
#include "derm-client.h"
#include "derm-export-file.h"
#include "derm-ical.h"
#include "derm-json.h"
#include "derm-planner.h"
#include "derm-screening-rules.h"
#include "derm-screening.h"
#include "derm-store-planner.h"
#include "derm-store.h"
#include "derm-validate.h"

#define PROGRAM_NAME DERM_CLI_PROGRAM_NAME

/* --- output ------------------------------------------------------------ */

/* "problems": the rules broken, as stable keys ("closed-day", ...) */
static void
set_problems_member (JsonObject *o,
                     guint       problems)
{
  g_auto (GStrv) keys = derm_plan_problems_to_keys (problems);
  JsonArray *array = json_array_new ();

  for (guint i = 0; keys[i] != NULL; i++)
    json_array_add_string_element (array, keys[i]);
  json_object_set_array_member (o, "problems", array);
}

static JsonNode *
json_from_appointment (DermAppointment *a)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *title = derm_appointment_dup_title (a);

#define STR(key, value) \
  G_STMT_START { \
    json_builder_set_member_name (b, key); \
    if ((value) != NULL) json_builder_add_string_value (b, value); else json_builder_add_null_value (b); \
  } G_STMT_END

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, derm_appointment_get_id (a));
  json_builder_set_member_name (b, "client_id");
  json_builder_add_int_value (b, derm_appointment_get_client_id (a));
  STR ("client_name", derm_appointment_get_client_name (a));
  json_builder_set_member_name (b, "series_id");
  if (derm_appointment_get_series_id (a) > 0)
    json_builder_add_int_value (b, derm_appointment_get_series_id (a));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "session_index");
  json_builder_add_int_value (b, derm_appointment_get_session_index (a));
  json_builder_set_member_name (b, "session_count");
  json_builder_add_int_value (b, derm_appointment_get_session_count (a));
  STR ("kind", derm_appointment_kind_to_key (derm_appointment_get_kind (a)));
  STR ("title", title);
  STR ("start", derm_appointment_get_start_local (a));
  STR ("time_zone", derm_appointment_get_time_zone (a));
  json_builder_set_member_name (b, "duration_minutes");
  json_builder_add_int_value (b, derm_appointment_get_duration_minutes (a));
  STR ("room", derm_appointment_get_room (a));
  STR ("practitioner", derm_appointment_get_practitioner (a));
  STR ("status", derm_appointment_status_to_key (derm_appointment_get_status (a)));
  json_builder_set_member_name (b, "rescreen_first");
  json_builder_add_boolean_value (b, derm_appointment_get_rescreen_first (a));
  /* null, "rescreen" or "first-screening" (never screened) */
  STR ("screening_needed", derm_screening_need_to_key (derm_appointment_get_screening_need (a)));
  STR ("note", derm_appointment_get_note (a));
  /* Re-validation of a booking (plan list): why it needs attention */
  STR ("problem_message", derm_appointment_get_problem_message (a));
  json_builder_end_object (b);

#undef STR

  {
    JsonNode *node = json_builder_get_root (b);

    set_problems_member (json_node_get_object (node), derm_appointment_get_problems (a));
    return node;
  }
}

static JsonNode *
json_from_appointments (GPtrArray *appointments)
{
  return derm_cli_json_array (appointments, (DermCliToJson) json_from_appointment);
}

static JsonNode *
json_from_proposal (DermPlanProposal *proposal,
                    gboolean          booked)
{
  JsonObject *object = json_object_new ();
  JsonArray *items = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  DermSeries *series = derm_plan_proposal_get_series (proposal);

  json_object_set_string_member (object, "kind",
                                 derm_plan_proposal_get_kind (proposal) == DERM_PLAN_PROPOSAL_SERIES
                                   ? "series" : "reschedule");
  json_object_set_boolean_member (object, "booked", booked);
  json_object_set_boolean_member (object, "bookable", derm_plan_proposal_is_bookable (proposal));
  json_object_set_boolean_member (object, "blocked", derm_plan_proposal_get_blocked (proposal));
  if (derm_plan_proposal_get_blocked_reason (proposal) != NULL)
    json_object_set_string_member (object, "blocked_reason", derm_plan_proposal_get_blocked_reason (proposal));
  else
    json_object_set_null_member (object, "blocked_reason");
  if (derm_plan_proposal_get_blocked_until (proposal) != NULL)
    json_object_set_string_member (object, "blocked_until", derm_plan_proposal_get_blocked_until (proposal));
  else
    json_object_set_null_member (object, "blocked_until");
  if (series != NULL && derm_series_get_id (series) > 0)
    json_object_set_int_member (object, "series_id", derm_series_get_id (series));
  else
    json_object_set_null_member (object, "series_id");

  for (guint i = 0; i < derm_plan_proposal_get_n_items (proposal); i++)
    {
      JsonNode *item = json_from_appointment (derm_plan_proposal_get_item (proposal, i));
      JsonObject *o = json_node_get_object (item);
      DermAppointment *original = derm_plan_proposal_get_original (proposal, i);

      json_object_set_string_member (o, "message", derm_plan_proposal_get_message (proposal, i));
      json_object_set_int_member (o, "flags", derm_plan_proposal_get_flags (proposal, i));
      set_problems_member (o, derm_plan_proposal_get_problems (proposal, i));
      if (original != NULL)
        json_object_set_string_member (o, "was", derm_appointment_get_start_local (original));
      else
        json_object_set_null_member (o, "was");
      json_array_add_element (items, item);
    }
  json_object_set_array_member (object, "appointments", items);
  json_node_take_object (node, object);
  return node;
}

/* The clinic's zone: every time printed is clinic-local, whatever this
 * process's TZ; set once the store is open */
static GTimeZone *clinic_zone;

static DermStore *
open_plan_store (DermCliInvocation *inv,
                 int               *rc)
{
  DermStore *store = derm_cli_open_store (inv, rc);
  g_autoptr (DermClinic) clinic = NULL;

  if (store == NULL)
    return NULL;
  if ((clinic = derm_store_load_clinic (store, NULL)) != NULL)
    {
      g_clear_pointer (&clinic_zone, g_time_zone_unref);
      clinic_zone = g_time_zone_ref (derm_clinic_get_time_zone (clinic));
    }
  return store;
}

/* "2026-03-02 09:00 GMT": the clinic's wall clock, with its zone */
static char *
pretty_start (DermAppointment *a)
{
  g_autoptr (GDateTime) start = derm_appointment_dup_start (a);
  g_autoptr (GDateTime) local = NULL;
  char *text;

  if (start != NULL && clinic_zone != NULL)
    {
      local = g_date_time_to_timezone (start, clinic_zone);
      return g_date_time_format (local, "%Y-%m-%d %H:%M %Z");
    }
  text = g_strdup (derm_appointment_get_start_local (a));
  if (text != NULL && strlen (text) > 10)
    text[10] = ' ';
  return text;
}

static void
print_appointment_line (DermAppointment *a,
                        const char      *prefix,
                        const char      *suffix)
{
  g_autofree char *start = pretty_start (a);
  g_autofree char *title = derm_appointment_dup_title (a);
  GString *line = g_string_new (NULL);

  g_string_append_printf (line, "%s%s  %3u min  %s", prefix, start ? start : "?",
                          derm_appointment_get_duration_minutes (a), title);
  if (derm_appointment_get_room (a) != NULL)
    g_string_append_printf (line, "  · %s", derm_appointment_get_room (a));
  if (derm_appointment_get_practitioner (a) != NULL)
    g_string_append_printf (line, "  · %s", derm_appointment_get_practitioner (a));
  if (suffix != NULL && suffix[0] != '\0')
    g_string_append_printf (line, "  (%s)", suffix);
  g_string_append_c (line, '\n');
  derm_cli_out ("%s", line->str);
  g_string_free (line, TRUE);
}

static void
print_proposal (DermPlanProposal *proposal)
{
  if (derm_plan_proposal_get_blocked (proposal))
    {
      derm_cli_out (_("Cannot book: %s\n"), derm_plan_proposal_get_blocked_reason (proposal));
      return;
    }
  for (guint i = 0; i < derm_plan_proposal_get_n_items (proposal); i++)
    {
      DermAppointment *item = derm_plan_proposal_get_item (proposal, i);
      DermAppointment *original = derm_plan_proposal_get_original (proposal, i);
      g_autofree char *prefix = NULL;

      if (original != NULL && g_strcmp0 (derm_appointment_get_start_local (original),
                                         derm_appointment_get_start_local (item)) != 0)
        {
          g_autofree char *was = pretty_start (original);
          prefix = g_strdup_printf ("%s → ", was);
        }
      if (!derm_appointment_occupies (item))
        {
          g_autofree char *status =
            g_strdup_printf ("%s", derm_appointment_status_to_label (derm_appointment_get_status (item)));
          print_appointment_line (item, prefix ? prefix : "", status);
        }
      else
        print_appointment_line (item, prefix ? prefix : "",
                                derm_plan_proposal_get_message (proposal, i));
    }
}

/* @proposal as JSON (with whether it was @booked) or as text */
static void
print_result (DermPlanProposal *proposal,
              gboolean          booked,
              gboolean          json)
{
  if (json)
    {
      g_autoptr (JsonNode) node = json_from_proposal (proposal, booked);
      derm_cli_print_json (node);
    }
  else
    print_proposal (proposal);
}

static GPtrArray *
client_findings (DermStore  *store,
                 gint64      client_id,
                 GError    **error)
{
  g_autoptr (DermScreening) latest = derm_store_get_latest_screening (store, client_id, error);

  if (latest == NULL && error != NULL && *error != NULL)
    return NULL;
  return derm_screening_evaluate (latest, NULL);
}

/* --- plan protocols ---------------------------------------------------- */

/* Midnight starting @date in @tz. A range may end after the last day
 * GDateTime knows (9999-12-31): it then ends there. */
static GDateTime *
day_start (GTimeZone   *tz,
           const GDate *date)
{
  GDateTime *dt = NULL;

  if (g_date_get_year (date) <= 9999)
    dt = g_date_time_new (tz, g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date), 0, 0, 0);
  if (dt == NULL)
    dt = g_date_time_new_utc (9999, 12, 31, 23, 59, 59.0);
  return dt;
}

static int
cmd_protocols (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GPtrArray) protocols = NULL;
  g_autoptr (GError) error = NULL;
  int rc;

  if ((rc = derm_cli_parse (inv, NULL, 0, 0, NULL)) != 0)
    return rc;
  if ((store = open_plan_store (inv, &rc)) == NULL)
    return rc;
  if ((protocols = derm_store_list_protocols (store, &error)) == NULL)
    return derm_cli_fail_with_error (error);

  if (inv->json)
    {
      JsonArray *array = json_array_new ();
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < protocols->len; i++)
        {
          DermProtocol *p = g_ptr_array_index (protocols, i);
          JsonObject *o = json_object_new ();

          json_object_set_int_member (o, "id", derm_protocol_get_id (p));
          json_object_set_string_member (o, "name", derm_protocol_get_name (p));
          json_object_set_int_member (o, "sessions", derm_protocol_get_sessions (p));
          json_object_set_int_member (o, "interval_weeks", derm_protocol_get_interval_weeks (p));
          json_object_set_int_member (o, "min_interval_weeks", derm_protocol_get_min_interval_weeks (p));
          json_object_set_int_member (o, "max_interval_weeks", derm_protocol_get_max_interval_weeks (p));
          json_object_set_int_member (o, "duration_minutes", derm_protocol_get_duration_minutes (p));
          json_object_set_int_member (o, "follow_up_weeks", derm_protocol_get_follow_up_weeks (p));
          json_array_add_object_element (array, o);
        }
      json_node_take_array (node, array);
      derm_cli_print_json (node);
      return DERM_EXIT_OK;
    }

  for (guint i = 0; i < protocols->len; i++)
    {
      DermProtocol *p = g_ptr_array_index (protocols, i);

      guint n = derm_protocol_get_sessions (p), every = derm_protocol_get_interval_weeks (p);
      guint follow_up = derm_protocol_get_follow_up_weeks (p);
      g_autofree char *sessions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u session every %u weeks",
                                                                "%u sessions every %u weeks", n), n, every);
      g_autofree char *photo = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "follow-up photo at %u week",
                                                             "follow-up photo at %u weeks", follow_up), follow_up);

      /* TRANSLATORS: "  1  Standard: 4 sessions every 4 weeks (4–6), 60 min, follow-up photo at 12 weeks" */
      derm_cli_out (_("%3lld  %s: %s (%u–%u), %u min, %s\n"),
                    (long long) derm_protocol_get_id (p), derm_protocol_get_name (p), sessions,
                    derm_protocol_get_min_interval_weeks (p), derm_protocol_get_max_interval_weeks (p),
                    derm_protocol_get_duration_minutes (p), photo);
    }
  return DERM_EXIT_OK;
}

/* --- plan create ------------------------------------------------------- */

static int
cmd_create (DermCliInvocation *inv)
{
  g_autofree char *protocol_arg = NULL;
  g_autofree char *start = NULL;
  g_autofree char *practitioner = NULL;
  g_autofree char *room = NULL;
  g_autofree char *time = NULL;
  gboolean yes = FALSE, no_follow_up = FALSE;
  const GOptionEntry entries[] = {
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol_arg, N_("Protocol name or ID (see “plan protocols”)"), N_("NAME|ID") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, N_("First session on or after this date"), N_("YYYY-MM-DD") },
    { "practitioner", 0, 0, G_OPTION_ARG_STRING, &practitioner, N_("Only this practitioner"), N_("NAME") },
    { "room", 0, 0, G_OPTION_ARG_STRING, &room, N_("Only this room"), N_("NAME") },
    { "time", 0, 0, G_OPTION_ARG_STRING, &time, N_("Preferred time of day"), N_("HH:MM") },
    { "no-follow-up", 0, 0, G_OPTION_ARG_NONE, &no_follow_up, N_("Do not plan the follow-up photo"), NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Book the proposal (without it nothing is booked)"), NULL },
    { NULL }
  };
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermProtocol) protocol = NULL;
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GError) error = NULL;
  DermPlanRequest request = { 0 };
  gboolean booked = FALSE;
  gint64 client_id;
  GDate start_date;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("client ID"))) != 0 ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &client_id)) != 0)
    return rc;
  if (protocol_arg == NULL)
    return derm_cli_usage_error (inv, _("Missing --protocol NAME|ID (“%s plan protocols” lists them)."), PROGRAM_NAME);
  if (start == NULL)
    return derm_cli_usage_error (inv, _("Missing --start YYYY-MM-DD."));
  if ((rc = derm_cli_parse_date (inv, "--start", start, &start_date)) != 0)
    return rc;

  request.preferred_time = -1;
  if (time != NULL)
    {
      guint minutes;

      if (!derm_time_parse (time, &minutes))
        return derm_cli_usage_error (inv, _("--time “%s” is not a time. Write it as HH:MM."), time);
      request.preferred_time = (int) minutes;
    }

  if ((store = open_plan_store (inv, &rc)) == NULL ||
      (client = derm_cli_get_client (store, client_id, &rc)) == NULL)
    return rc;
  if ((protocol = derm_store_find_protocol (store, protocol_arg, &error)) == NULL ||
      (findings = client_findings (store, client_id, &error)) == NULL ||
      (planner = derm_store_load_planner (store, NULL, &error)) == NULL)
    return derm_cli_fail_with_error (error);
  if (request.preferred_time >= 0)
    {
      guint step = derm_clinic_get_slot_step (derm_planner_get_clinic (planner));

      if (step > 1 && request.preferred_time % step != 0)
        return derm_cli_fail (DERM_EXIT_INVALID,
                              _("--time %s is not on the clinic’s %u-minute step. Choose a time such as %02d:%02d."),
                              time, step, (request.preferred_time - request.preferred_time % (int) step) / 60,
                              (request.preferred_time - request.preferred_time % (int) step) % 60);
    }

  request.protocol = protocol;
  request.client_id = client_id;
  request.start_date = start;
  request.practitioner = practitioner;
  request.room = room;
  request.findings = findings;
  request.with_follow_up = !no_follow_up;
  if ((proposal = derm_planner_propose_series (planner, &request, &error)) == NULL)
    return derm_cli_fail_with_error (error);

  for (guint i = 0; i < derm_plan_proposal_get_n_items (proposal); i++)
    derm_appointment_set_client_name (derm_plan_proposal_get_item (proposal, i), derm_client_get_name (client));

  /* The re-check inside the booking uses the same planner unless
   * something was committed meanwhile */
  if (yes && derm_plan_proposal_is_bookable (proposal))
    {
      if (!derm_store_book_proposal_with (store, proposal, planner, &error))
        return derm_cli_fail_with_error (error);
      booked = TRUE;
    }

  print_result (proposal, booked, inv->json);
  if (!inv->json)
    {
      if (booked)
        derm_cli_out (_("Booked as series %lld.\n"), (long long) derm_series_get_id (derm_plan_proposal_get_series (proposal)));
      else if (derm_plan_proposal_is_bookable (proposal))
        derm_cli_out (_("Nothing was booked. Run again with --yes to book this series.\n"));
    }

  if (derm_plan_proposal_get_blocked (proposal))
    return derm_cli_fail (DERM_EXIT_INVALID, _("Nothing was booked: %s"), derm_plan_proposal_get_blocked_reason (proposal));
  return DERM_EXIT_OK;
}

/* --- plan list --------------------------------------------------------- */

static int
cmd_list (DermCliInvocation *inv)
{
  g_autofree char *from_arg = NULL;
  g_autofree char *to_arg = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_arg, N_("From this day (default: today)"), N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_arg, N_("Up to and including this day (default: four weeks on)"), N_("YYYY-MM-DD") },
    { NULL }
  };
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (GPtrArray) appointments = NULL;
  g_autoptr (GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (GError) error = NULL;
  gint64 client_id = 0;
  GDate from_date, to_date;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 0, 1, NULL)) != 0 ||
      (inv->n_args == 1 && (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &client_id)) != 0) ||
      (from_arg != NULL && (rc = derm_cli_parse_date (inv, "--from", from_arg, &from_date)) != 0) ||
      (to_arg != NULL && (rc = derm_cli_parse_date (inv, "--to", to_arg, &to_date)) != 0))
    return rc;

  if ((store = open_plan_store (inv, &rc)) == NULL)
    return rc;
  if ((clinic = derm_store_load_clinic (store, &error)) == NULL)
    return derm_cli_fail_with_error (error);

  if (from_arg == NULL)
    derm_date_today (&from_date);
  if (to_arg == NULL)
    {
      to_date = from_date;
      g_date_add_days (&to_date, 28);
    }
  if (g_date_compare (&to_date, &from_date) < 0)
    return derm_cli_usage_error (inv, _("--to is before --from. Give the earlier day first."));
  from = day_start (derm_clinic_get_time_zone (clinic), &from_date);
  g_date_add_days (&to_date, 1);
  to = day_start (derm_clinic_get_time_zone (clinic), &to_date);

  if (client_id > 0)
    {
      g_autoptr (DermClient) client = derm_cli_get_client (store, client_id, &rc);

      if (client == NULL)
        return rc;
      if ((appointments = derm_store_list_client_appointments (store, client_id, &error)) == NULL)
        return derm_cli_fail_with_error (error);
    }
  else if ((appointments = derm_store_list_appointments (store, from, to, &error)) == NULL)
    return derm_cli_fail_with_error (error);

  /* A client's whole history unless a range was asked for */
  for (guint i = 0; i < appointments->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (appointments, i);

      if (client_id > 0 && (from_arg != NULL || to_arg != NULL) &&
          (derm_appointment_get_end_unix (a) <= g_date_time_to_unix (from) ||
           derm_appointment_get_start_unix (a) >= g_date_time_to_unix (to)))
        continue;
      g_ptr_array_add (shown, g_object_ref (a));
    }

  /* Bookings that a later change (hours, closed days, rooms,
   * practitioners, a screening) broke are flagged with the reason */
  if (!derm_store_revalidate_appointments (store, shown, &error))
    return derm_cli_fail_with_error (error);

  if (inv->json)
    {
      g_autoptr (JsonNode) node = json_from_appointments (shown);
      derm_cli_print_json (node);
      return DERM_EXIT_OK;
    }
  if (shown->len == 0)
    derm_cli_out (_("No appointments.\n"));
  for (guint i = 0; i < shown->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (shown, i);
      g_autofree char *prefix = g_strdup_printf ("%5lld  ", (long long) derm_appointment_get_id (a));
      g_autoptr (GString) suffix = g_string_new (NULL);

      if (derm_appointment_get_status (a) != DERM_APPOINTMENT_BOOKED)
        g_string_append (suffix, derm_appointment_status_to_label (derm_appointment_get_status (a)));
      if (derm_appointment_get_problems (a) != 0)
        g_string_append_printf (suffix, "%s%s %s", suffix->len > 0 ? ", " : "", _("needs attention:"),
                                derm_appointment_get_problem_message (a));
      if (derm_appointment_get_status (a) == DERM_APPOINTMENT_BOOKED &&
          derm_appointment_get_screening_need (a) != DERM_SCREENING_NEED_NONE)
        g_string_append_printf (suffix, "%s%s", suffix->len > 0 ? ", " : "",
                                derm_screening_need_to_short (derm_appointment_get_screening_need (a)));
      print_appointment_line (a, prefix, suffix->str);
    }
  return DERM_EXIT_OK;
}

/* --- plan book -------------------------------------------------------- */

/* One appointment outside any series (a consultation, a one-off session),
 * through the same rules as the app's Book dialog */
static int
cmd_book (DermCliInvocation *inv)
{
  g_autofree char *at = NULL;
  g_autofree char *kind_arg = NULL;
  g_autofree char *room = NULL;
  g_autofree char *practitioner = NULL;
  g_autofree char *note = NULL;
  int duration = 0;
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, N_("Start, the clinic’s local time"), N_("\"YYYY-MM-DD HH:MM\"") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_arg,
      N_("“consultation” (no needling; the default) or “session” (a one-off treatment)"), N_("consultation|session") },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration, N_("Length in minutes (default: 30, or the clinic’s step if longer)"), N_("MINUTES") },
    { "room", 0, 0, G_OPTION_ARG_STRING, &room, N_("Room"), N_("NAME") },
    { "practitioner", 0, 0, G_OPTION_ARG_STRING, &practitioner, N_("Practitioner"), N_("NAME") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note on the appointment"), N_("TEXT") },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Book it"), NULL },
    { NULL }
  };
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (DermAppointment) item = NULL;
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (GError) error = NULL;
  DermAppointmentKind kind = DERM_APPOINTMENT_CONSULTATION;
  DermClinic *clinic;
  gboolean booked = FALSE;
  gint64 client_id;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("client ID"))) != 0 ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &client_id)) != 0)
    return rc;
  if (at == NULL)
    return derm_cli_usage_error (inv, _("Missing --at \"YYYY-MM-DD HH:MM\"."));
  if (kind_arg != NULL && g_strcmp0 (kind_arg, "consultation") != 0 && g_strcmp0 (kind_arg, "session") != 0)
    return derm_cli_usage_error (inv, _("--kind is “consultation” or “session”, not “%s”."), kind_arg);
  if (g_strcmp0 (kind_arg, "session") == 0)
    kind = DERM_APPOINTMENT_SESSION;
  if (duration != 0 && (duration < 5 || duration > 480))
    return derm_cli_fail (DERM_EXIT_INVALID, _("--duration %d is not a length Dermis books: give 5 to 480 minutes."), duration);

  if ((store = open_plan_store (inv, &rc)) == NULL ||
      (client = derm_cli_get_client (store, client_id, &rc)) == NULL)
    return rc;
  if ((findings = client_findings (store, client_id, &error)) == NULL ||
      (planner = derm_store_load_planner (store, NULL, &error)) == NULL)
    return derm_cli_fail_with_error (error);
  clinic = derm_planner_get_clinic (planner);

  item = derm_appointment_new ();
  derm_appointment_set_client_id (item, client_id);
  derm_appointment_set_client_name (item, derm_client_get_name (client));
  derm_appointment_set_kind (item, kind);
  derm_appointment_set_status (item, DERM_APPOINTMENT_BOOKED);
  derm_appointment_set_duration_minutes (item, duration != 0 ? (guint) duration
                                                             : MAX (derm_clinic_get_slot_step (clinic), 30u));
  derm_appointment_set_room (item, room != NULL && *room != '\0' ? room : NULL);
  derm_appointment_set_practitioner (item, practitioner != NULL && *practitioner != '\0' ? practitioner : NULL);
  derm_appointment_set_note (item, note != NULL && *note != '\0' ? note : NULL);
  if (!derm_appointment_set_start (item, at, derm_clinic_get_time_zone_id (clinic)))
    return derm_cli_usage_error (inv, _("--at “%s” is not a date and time. Write it as \"YYYY-MM-DD HH:MM\"."), at);

  /* No --room: the first of the clinic's rooms free then (the first
   * room when none is, so the message says it is taken) */
  if (room == NULL || *room == '\0')
    for (const char * const *r = derm_clinic_get_rooms (clinic); *r != NULL; r++)
      {
        g_autoptr (DermAppointment) in_room = derm_appointment_copy (item);
        g_autoptr (DermPlanProposal) tried = NULL;

        derm_appointment_set_room (in_room, *r);
        tried = derm_planner_propose_single (planner, in_room, findings);
        if (proposal == NULL || !(derm_plan_proposal_get_problems (tried, 0) & DERM_PLAN_PROBLEM_ROOM_TAKEN))
          g_set_object (&proposal, tried);
        if (!(derm_plan_proposal_get_problems (tried, 0) & DERM_PLAN_PROBLEM_ROOM_TAKEN))
          break;
      }
  if (proposal == NULL)
    proposal = derm_planner_propose_single (planner, item, findings);
  g_set_object (&item, derm_plan_proposal_get_item (proposal, 0));
  if (yes && derm_plan_proposal_is_bookable (proposal))
    {
      if (!derm_store_book_proposal_with (store, proposal, planner, &error))
        return derm_cli_fail_with_error (error);
      booked = TRUE;
    }

  print_result (proposal, booked, inv->json);
  if (!inv->json)
    {
      if (booked)
        derm_cli_out (_("Booked as appointment %lld.\n"), (long long) derm_appointment_get_id (item));
      else if (derm_plan_proposal_is_bookable (proposal))
        derm_cli_out (_("Nothing was booked. Run again with --yes to book this appointment.\n"));
    }

  if (derm_plan_proposal_get_blocked (proposal))
    return derm_cli_fail (DERM_EXIT_INVALID, _("Nothing was booked: %s"), derm_plan_proposal_get_blocked_reason (proposal));
  if (!derm_plan_proposal_is_bookable (proposal))
    {
      g_autofree char *when = derm_appointment_dup_when (item);
      g_autofree char *text = derm_plan_problems_to_string (derm_plan_proposal_get_problems (proposal, 0));

      return derm_cli_fail (DERM_EXIT_INVALID, _("Nothing was booked: on %s, %s."), when, text);
    }
  return DERM_EXIT_OK;
}

/* --- plan move / cancel ------------------------------------------------ */

/* Builds the reschedule proposal for @changed (a copy of a stored appointment) */
static DermPlanProposal *
replan_for (DermStore        *store,
            DermAppointment  *changed,
            GError          **error)
{
  g_autoptr (DermSeries) series = NULL;
  g_autoptr (GPtrArray) appointments = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (DermPlanner) planner = NULL;

  if ((series = derm_store_get_series (store, derm_appointment_get_series_id (changed), error)) == NULL ||
      (appointments = derm_store_list_series_appointments (store, derm_series_get_id (series), error)) == NULL ||
      (findings = client_findings (store, derm_appointment_get_client_id (changed), error)) == NULL ||
      (planner = derm_store_load_planner (store, NULL, error)) == NULL)
    return NULL;
  return derm_planner_replan (planner, series, appointments, changed, findings, NULL, error);
}

/* A proposal with just @changed, for appointments outside a series */
static DermPlanProposal *
single_change (DermStore        *store,
               DermAppointment  *original,
               DermAppointment  *changed,
               GError          **error)
{
  g_autoptr (DermPlanner) planner = derm_store_load_planner (store, NULL, error);
  DermPlanProposal *proposal;

  if (planner == NULL)
    return NULL;
  proposal = derm_plan_proposal_new (DERM_PLAN_PROPOSAL_RESCHEDULE, NULL);
  derm_plan_proposal_add_item (proposal, changed, original, DERM_PLAN_FLAG_CHANGED);
  derm_planner_check_proposal (planner, proposal, NULL);
  return proposal;
}

static int
finish_change (DermStore        *store,
               DermPlanProposal *proposal,
               gboolean          apply,
               gboolean          json,
               const char       *hint)
{
  g_autoptr (GError) error = NULL;
  gboolean booked = FALSE;

  if (apply)
    {
      if (!derm_plan_proposal_is_bookable (proposal))
        {
          /* What is wrong goes out either way: the proposal with its problems */
          print_result (proposal, FALSE, json);
          return derm_cli_fail (DERM_EXIT_INVALID, _("Nothing was changed: the plan has problems (shown above)."));
        }
      if (!derm_store_book_proposal (store, proposal, &error))
        return derm_cli_fail_with_error (error);
      booked = TRUE;
    }

  print_result (proposal, booked, json);
  if (!json)
    derm_cli_out ("%s\n", booked ? _("Done.") : hint);
  return DERM_EXIT_OK;
}

static int
cmd_move (DermCliInvocation *inv)
{
  g_autofree char *to = NULL;
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("New start, local time"), N_("\"YYYY-MM-DD HH:MM\"") },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Apply the move and the proposed shifts"), NULL },
    { NULL }
  };
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermAppointment) original = NULL;
  g_autoptr (DermAppointment) changed = NULL;
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("appointment ID"))) != 0 ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_APPOINTMENT, inv->args[0], &id)) != 0)
    return rc;
  if (to == NULL)
    return derm_cli_usage_error (inv, _("Missing --to \"YYYY-MM-DD HH:MM\"."));

  if ((store = open_plan_store (inv, &rc)) == NULL)
    return rc;
  if ((original = derm_store_get_appointment (store, id, &error)) == NULL)
    return derm_cli_fail_lookup (DERM_CLI_APPOINTMENT, id, error);
  if (derm_appointment_get_status (original) != DERM_APPOINTMENT_BOOKED)
    return derm_cli_fail (DERM_EXIT_INVALID, _("Appointment %lld is %s; only booked appointments can be moved."),
                          (long long) id, derm_appointment_status_to_label (derm_appointment_get_status (original)));

  changed = derm_appointment_copy (original);
  if (!derm_appointment_set_start (changed, to, derm_appointment_get_time_zone (original)))
    return derm_cli_usage_error (inv, _("--to “%s” is not a date and time. Write it as \"YYYY-MM-DD HH:MM\"."), to);

  proposal = derm_appointment_get_series_id (original) > 0
    ? replan_for (store, changed, &error)
    : single_change (store, original, changed, &error);
  if (proposal == NULL)
    return derm_cli_fail_with_error (error);

  return finish_change (store, proposal, yes, inv->json,
                        _("Nothing was changed. Run again with --yes to apply these changes."));
}

static int
cmd_cancel (DermCliInvocation *inv)
{
  gboolean no_show = FALSE, rebook = FALSE;
  const GOptionEntry entries[] = {
    { "no-show", 0, 0, G_OPTION_ARG_NONE, &no_show, N_("The client did not come (instead of cancelled)"), NULL },
    { "rebook", 0, 0, G_OPTION_ARG_NONE, &rebook, N_("Also book the proposed replacement and shifts"), NULL },
    { NULL }
  };
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermAppointment) original = NULL;
  g_autoptr (DermAppointment) changed = NULL;
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (GError) error = NULL;
  DermAppointmentStatus status;
  gint64 id;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("appointment ID"))) != 0 ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_APPOINTMENT, inv->args[0], &id)) != 0)
    return rc;

  if ((store = open_plan_store (inv, &rc)) == NULL)
    return rc;
  if ((original = derm_store_get_appointment (store, id, &error)) == NULL)
    return derm_cli_fail_lookup (DERM_CLI_APPOINTMENT, id, error);
  if (derm_appointment_get_status (original) != DERM_APPOINTMENT_BOOKED)
    return derm_cli_fail (DERM_EXIT_INVALID, _("Appointment %lld is %s; only booked appointments can be cancelled."),
                          (long long) id, derm_appointment_status_to_label (derm_appointment_get_status (original)));

  status = no_show ? DERM_APPOINTMENT_NO_SHOW : DERM_APPOINTMENT_CANCELLED;
  changed = derm_appointment_copy (original);
  derm_appointment_set_status (changed, status);

  if (derm_appointment_get_series_id (original) > 0)
    {
      if ((proposal = replan_for (store, changed, &error)) == NULL)
        return derm_cli_fail_with_error (error);
    }
  else if ((proposal = single_change (store, original, changed, &error)) == NULL)
    return derm_cli_fail_with_error (error);

  if (rebook)
    return finish_change (store, proposal, TRUE, inv->json, NULL);

  /* The status change alone; the rest stays a proposal */
  if (!derm_store_set_appointment_status (store, id, status, &error))
    return derm_cli_fail_with_error (error);
  if (inv->json)
    {
      g_autoptr (JsonNode) node = json_from_proposal (proposal, FALSE);
      json_object_set_string_member (json_node_get_object (node), "status", derm_appointment_status_to_key (status));
      derm_cli_print_json (node);
    }
  else
    {
      derm_cli_out (no_show ? _("Appointment %lld marked as a no-show.\n") : _("Appointment %lld cancelled.\n"), (long long) id);
      if (derm_plan_proposal_get_n_items (proposal) > 1)
        {
          derm_cli_out (_("Proposed to keep the series on track (not booked; use --rebook to book it with the cancellation):\n"));
          for (guint i = 1; i < derm_plan_proposal_get_n_items (proposal); i++)
            {
              DermAppointment *item = derm_plan_proposal_get_item (proposal, i);
              DermAppointment *was = derm_plan_proposal_get_original (proposal, i);
              g_autofree char *prefix = NULL;

              if (was != NULL)
                {
                  g_autofree char *before = pretty_start (was);
                  prefix = g_strdup_printf ("%s → ", before);
                }
              print_appointment_line (item, prefix ? prefix : "  ", derm_plan_proposal_get_message (proposal, i));
            }
        }
    }
  return DERM_EXIT_OK;
}

/* --- plan export-ics --------------------------------------------------- */

/* Only in dermis-cli-full: libical (and ICU with it) is not worth loading
 * for every other command of dermis-cli (see derm-cli.c) */
#ifndef DERM_CLI_FRONT
static int
cmd_export_ics (DermCliInvocation *inv)
{
  g_autofree char *names_arg = NULL;
  g_autofree char *client_arg = NULL;
  g_autofree char *week = NULL;
  g_autofree char *out_path = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "client", 0, 0, G_OPTION_ARG_STRING, &client_arg, N_("Every appointment of this client"), N_("ID") },
    { "week", 0, 0, G_OPTION_ARG_STRING, &week, N_("The clinic's week (Monday to Sunday) containing this day"), N_("YYYY-MM-DD") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write to FILE instead of standard output"), N_("FILE") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace FILE if it exists"), NULL },
    { "names", 0, 0, G_OPTION_ARG_STRING, &names_arg,
      N_("What event titles say: “initials” (kind and initials) or “full” (protocol and full name); default: the clinic’s setting"),
      N_("initials|full") },
    { NULL }
  };
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClinic) settings = NULL;
  g_autoptr (GPtrArray) appointments = NULL;
  DermIcalNames names;
  g_autoptr (GError) error = NULL;
  g_autofree char *calendar_id = NULL;
  g_autofree char *text = NULL;
  gint64 client_id = 0;
  GDate day;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 0, 0, NULL)) != 0)
    return rc;
  if ((client_arg == NULL) == (week == NULL))
    return derm_cli_usage_error (inv, _("Give either --client ID or --week YYYY-MM-DD."));
  if ((client_arg != NULL && (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, client_arg, &client_id)) != 0) ||
      (week != NULL && (rc = derm_cli_parse_date (inv, "--week", week, &day)) != 0))
    return rc;

  if (names_arg != NULL && g_strcmp0 (names_arg, "full") != 0 && g_strcmp0 (names_arg, "initials") != 0)
    return derm_cli_usage_error (inv, _("--names is “initials” or “full”, not “%s”."), names_arg);

  if ((store = open_plan_store (inv, &rc)) == NULL)
    return rc;
  if ((calendar_id = derm_store_dup_calendar_id (store, &error)) == NULL ||
      (settings = derm_store_load_clinic (store, &error)) == NULL)
    return derm_cli_fail_with_error (error);
  if (names_arg != NULL)
    names = g_str_equal (names_arg, "full") ? DERM_ICAL_NAMES_FULL : DERM_ICAL_NAMES_INITIALS;
  else
    names = derm_clinic_get_export_full_names (settings) ? DERM_ICAL_NAMES_FULL : DERM_ICAL_NAMES_INITIALS;

  if (client_id > 0)
    {
      g_autoptr (DermClient) client = derm_cli_get_client (store, client_id, &rc);

      if (client == NULL)
        return rc;
      if ((appointments = derm_store_list_client_appointments (store, client_id, &error)) == NULL)
        return derm_cli_fail_with_error (error);
    }
  else
    {
      g_autoptr (DermClinic) clinic = derm_store_load_clinic (store, &error);
      g_autoptr (GDateTime) from = NULL;
      g_autoptr (GDateTime) to = NULL;

      if (clinic == NULL)
        return derm_cli_fail_with_error (error);
      g_date_subtract_days (&day, g_date_get_weekday (&day) - G_DATE_MONDAY);
      from = day_start (derm_clinic_get_time_zone (clinic), &day);
      g_date_add_days (&day, 7);
      to = day_start (derm_clinic_get_time_zone (clinic), &day);
      if ((appointments = derm_store_list_appointments (store, from, to, &error)) == NULL)
        return derm_cli_fail_with_error (error);
    }

  if ((text = derm_ical_export_full (appointments, calendar_id, NULL, names, &error)) == NULL)
    return derm_cli_fail_with_error (error);

  if (out_path != NULL)
    {
      if (!derm_export_file_write (out_path, derm_store_get_data_dir (store), force,
                                   text, strlen (text), &error))
        return derm_cli_fail_with_error (error);
      if (inv->json)
        {
          g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "file", out_path);
          json_object_set_int_member (o, "events", appointments->len);
          json_node_take_object (node, o);
          derm_cli_print_json (node);
        }
      else
        derm_cli_out (ngettext ("Wrote %u appointment to %s.\n", "Wrote %u appointments to %s.\n",
                                appointments->len),
                      appointments->len, out_path);
    }
  else if (inv->json)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "events", appointments->len);
      json_object_set_string_member (o, "ics", text);
      json_node_take_object (node, o);
      derm_cli_print_json (node);
    }
  else
    derm_cli_out ("%s", text);

  return DERM_EXIT_OK;
}
#endif

const DermCliCommand derm_cli_plan_commands[] = {
  { "plan protocols", NULL, N_("Lists the treatment protocols."), cmd_protocols, DERM_CLI_READS },
  { "plan create", "CLIENT_ID --protocol NAME|ID --start YYYY-MM-DD [--practitioner NAME] [--room NAME] "
                   "[--time HH:MM] [--no-follow-up] [--yes]",
    N_("Proposes a treatment series; books it with --yes."), cmd_create },
  { "plan list", "[CLIENT_ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD]",
    N_("Lists appointments: a client’s, or the clinic’s between two days."), cmd_list, DERM_CLI_READS },
  { "plan book", "CLIENT_ID --at \"YYYY-MM-DD HH:MM\" [--kind consultation|session] [--duration MINUTES] "
                 "[--room NAME] [--practitioner NAME] [--note TEXT] [--yes]",
    N_("Checks a single appointment (a consultation or a one-off session) against the clinic’s rules; books it with --yes."),
    cmd_book },
  { "plan move", "APPOINTMENT_ID --to \"YYYY-MM-DD HH:MM\" [--yes]",
    N_("Moves an appointment; shows, and with --yes applies, the shifts the rest of the series needs."),
    cmd_move },
  { "plan cancel", "APPOINTMENT_ID [--no-show] [--rebook]",
    N_("Cancels an appointment or marks it a no-show; shows how to rebook the series."), cmd_cancel },
#ifndef DERM_CLI_FRONT
  { "plan export-ics", "(--client ID | --week YYYY-MM-DD) [--out FILE [--force]] [--names initials|full]",
    N_("Exports appointments as iCalendar (RFC 5545)."), cmd_export_ics, DERM_CLI_READS },
#endif
  { NULL }
};

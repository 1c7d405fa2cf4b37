/* test-planner.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The treatment planner: proposals across daylight-saving changes, month
 * ends, 29 February, holidays and fully booked weeks; re-planning; a
 * randomised run over thousands of generated calendars; the store's
 * planner tables and booking conflicts.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "derm-client.h"
#include "derm-finding.h"
#include "derm-planner.h"
#include "derm-screening.h"
#include "derm-screening-rules.h"
#include "derm-store-planner.h"
#include "derm-store-private.h"
#include "derm-store.h"
#include "derm-treatment.h"
#include "derm-validate.h"
#include "derm-test-utils.h"

#define ZONE "Europe/Paris"

/* The tests' own "now": their fixed dates (2026 onwards) lie after it,
 * so the rule "no past starts" holds whatever day the suite runs */
static GDateTime *
test_now (void)
{
  static GDateTime *now;

  if (now == NULL)
    now = g_date_time_new_utc (2025, 6, 1, 0, 0, 0);
  return now;
}

static DermPlanner *
test_planner_new (DermClinic *clinic)
{
  DermPlanner *planner = derm_planner_new (clinic);

  derm_planner_set_now (planner, test_now ());
  return planner;
}

/* --- helpers ----------------------------------------------------------- */

static DermClinic *
make_clinic (void)
{
  DermClinic *clinic = derm_clinic_new ();

  g_assert_true (derm_clinic_set_time_zone_id (clinic, ZONE));
  return clinic;
}

static DermProtocol *
make_protocol (guint sessions,
               guint interval,
               guint min_weeks,
               guint max_weeks,
               guint minutes)
{
  DermProtocol *protocol = derm_protocol_new ();

  derm_protocol_set_name (protocol, "Microneedling, face");
  derm_protocol_set_sessions (protocol, sessions);
  derm_protocol_set_interval_weeks (protocol, interval);
  derm_protocol_set_min_interval_weeks (protocol, min_weeks);
  derm_protocol_set_max_interval_weeks (protocol, max_weeks);
  derm_protocol_set_duration_minutes (protocol, minutes);
  derm_protocol_set_follow_up_weeks (protocol, 12);
  return protocol;
}

static void
add_closed (DermClinic *clinic,
            const char *iso)
{
  GDate date;

  g_assert_true (derm_date_parse (iso, &date));
  derm_clinic_add_closed_date (clinic, &date, "Holiday");
}

static DermAppointment *
make_appointment (gint64      id,
                  const char *local,
                  guint       minutes,
                  const char *room,
                  const char *practitioner)
{
  DermAppointment *appointment = derm_appointment_new ();

  derm_appointment_set_id (appointment, id);
  /* Someone else's appointment: the requests are for client 1 */
  derm_appointment_set_client_id (appointment, 9999);
  g_assert_true (derm_appointment_set_start (appointment, local, ZONE));
  derm_appointment_set_duration_minutes (appointment, minutes);
  derm_appointment_set_room (appointment, room);
  derm_appointment_set_practitioner (appointment, practitioner);
  return appointment;
}

/* Fills every opening minute of [from, to] (ISO dates) in @room */
static void
book_out (DermPlanner *planner,
          const char  *from,
          const char  *to,
          const char  *room,
          gint64      *next_id)
{
  DermClinic *clinic = derm_planner_get_clinic (planner);
  GDate day, last;

  g_assert_true (derm_date_parse (from, &day));
  g_assert_true (derm_date_parse (to, &last));
  for (; g_date_compare (&day, &last) <= 0; g_date_add_days (&day, 1))
    {
      guint n;
      const DermOpeningSpan *spans = derm_clinic_get_hours (clinic, g_date_get_weekday (&day), &n);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *iso = derm_date_format (&day);
          g_autofree char *local = g_strdup_printf ("%sT%02u:%02u", iso, spans[i].open / 60, spans[i].open % 60);
          g_autoptr (DermAppointment) block =
            make_appointment ((*next_id)++, local, spans[i].close - spans[i].open, room, NULL);

          derm_planner_add_appointment (planner, block);
        }
    }
}

static GPtrArray *
findings_with (DermSeverity  severity,
               const char   *code,
               const char   *until)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (findings, derm_finding_new (severity, code, "Reason given by the rules.", until));
  return findings;
}

static char *
item_local (DermPlanProposal *proposal,
            guint             index)
{
  return g_strdup (derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, index)));
}

/* --- table-driven proposals -------------------------------------------- */

typedef struct
{
  const char  *path;
  const char  *start;
  guint        sessions, interval, min_weeks, max_weeks, minutes;
  gboolean     saturday_closed;
  const char  *closed[4];
  const char  *busy_from, *busy_to;   /* room 1 fully booked on these days */
  DermSeverity finding_severity;
  const char  *finding_code;          /* NULL: no finding */
  const char  *finding_until;
  const char  *expected[7];           /* local starts, NULL-terminated */
  DermPlanFlags expected_flags[7];
  gboolean     blocked;
} PlanCase;

static const PlanCase plan_cases[] = {
  { "/planner/propose/basic", "2026-01-05", 4, 4, 4, 6, 60, FALSE, { NULL }, NULL, NULL, 0, NULL, NULL,
    { "2026-01-05T09:00", "2026-02-02T09:00", "2026-03-02T09:00", "2026-03-30T09:00" } },
  /* Europe/Paris springs forward on 2026-03-29: 09:00 stays 09:00 local */
  { "/planner/propose/dst-spring", "2026-03-02", 3, 4, 4, 6, 60, FALSE, { NULL }, NULL, NULL, 0, NULL, NULL,
    { "2026-03-02T09:00", "2026-03-30T09:00", "2026-04-27T09:00" } },
  /* ... and falls back on 2026-10-25 */
  { "/planner/propose/dst-autumn", "2026-10-05", 3, 4, 4, 6, 60, FALSE, { NULL }, NULL, NULL, 0, NULL, NULL,
    { "2026-10-05T09:00", "2026-11-02T09:00", "2026-11-30T09:00" } },
  /* Saturday 31 January, open 09:00-13:00: four weeks later is 28 February */
  { "/planner/propose/month-end", "2026-01-31", 3, 4, 4, 6, 60, FALSE, { NULL }, NULL, NULL, 0, NULL, NULL,
    { "2026-01-31T09:00", "2026-02-28T09:00", "2026-03-28T09:00" } },
  { "/planner/propose/leap-day", "2028-02-01", 3, 4, 4, 6, 60, FALSE, { NULL }, NULL, NULL, 0, NULL, NULL,
    { "2028-02-01T09:00", "2028-02-29T09:00", "2028-03-28T09:00" } },
  /* Easter Monday closed; the default day of session 2 is a holiday too:
   * one day later wins over one day earlier */
  { "/planner/propose/holidays", "2026-04-06", 2, 4, 3, 6, 60, FALSE, { "2026-04-06", "2026-05-05" }, NULL, NULL,
    0, NULL, NULL,
    { "2026-04-07T09:00", "2026-05-06T09:00" },
    { 0, DERM_PLAN_FLAG_LATER_THAN_DEFAULT } },
  /* With min = default the earlier side is out of bounds */
  { "/planner/propose/holiday-no-earlier", "2026-04-07", 2, 4, 4, 6, 60, FALSE, { "2026-05-05" }, NULL, NULL,
    0, NULL, NULL,
    { "2026-04-07T09:00", "2026-05-06T09:00" },
    { 0, DERM_PLAN_FLAG_LATER_THAN_DEFAULT } },
  { "/planner/propose/closed-saturdays", "2026-01-31", 2, 4, 4, 6, 60, TRUE, { NULL }, NULL, NULL, 0, NULL, NULL,
    { "2026-02-02T09:00", "2026-03-02T09:00" } },
  /* The week of session 2 is fully booked: the next open day after it */
  { "/planner/propose/fully-booked-week", "2026-01-05", 2, 4, 4, 6, 60, FALSE, { NULL }, "2026-02-02", "2026-02-07",
    0, NULL, NULL,
    { "2026-01-05T09:00", "2026-02-09T09:00" },
    { 0, DERM_PLAN_FLAG_LATER_THAN_DEFAULT } },
  /* Nothing fits within the maximum: the first slot after it, flagged */
  { "/planner/propose/beyond-max", "2026-01-05", 2, 4, 4, 5, 60, FALSE, { NULL }, "2026-02-02", "2026-02-10",
    0, NULL, NULL,
    { "2026-01-05T09:00", "2026-02-11T09:00" },
    { 0, DERM_PLAN_FLAG_BEYOND_MAX } },
  /* Isotretinoin until 1 July: nothing before it */
  { "/planner/propose/contraindication-window", "2026-01-05", 2, 4, 4, 6, 60, FALSE, { NULL }, NULL, NULL,
    DERM_SEVERITY_CONTRAINDICATION, "isotretinoin-recent", "2026-07-01",
    { "2026-07-01T09:00", "2026-07-29T09:00" },
    { DERM_PLAN_FLAG_DELAYED_BY_FINDING, 0 } },
  /* The window blocks from now on, whatever the start date asked */
  { "/planner/propose/contraindication-short", "2026-01-05", 3, 4, 4, 6, 60, FALSE, { NULL }, NULL, NULL,
    DERM_SEVERITY_CONTRAINDICATION, "isotretinoin-recent", "2026-02-20",
    { "2026-02-20T09:00", "2026-03-20T09:00", "2026-04-17T09:00" },
    { DERM_PLAN_FLAG_DELAYED_BY_FINDING, 0, 0 } },
  /* A window that ended before the start date changes nothing */
  { "/planner/propose/contraindication-past", "2026-01-05", 2, 4, 4, 6, 60, FALSE, { NULL }, NULL, NULL,
    DERM_SEVERITY_CONTRAINDICATION, "isotretinoin-recent", "2025-12-01",
    { "2026-01-05T09:00", "2026-02-02T09:00" },
    { 0, 0 } },
  { "/planner/propose/contraindication-blocks", "2026-01-05", 2, 4, 4, 6, 60, FALSE, { NULL }, NULL, NULL,
    DERM_SEVERITY_CONTRAINDICATION, "active-infection", NULL,
    { NULL }, { 0 }, TRUE },
  { "/planner/propose/rescreen-first", "2026-01-05", 2, 4, 4, 6, 60, FALSE, { NULL }, NULL, NULL,
    DERM_SEVERITY_CAUTION, "rescreen-due", NULL,
    { "2026-01-05T09:00", "2026-02-02T09:00" },
    { DERM_PLAN_FLAG_RESCREEN_FIRST, 0 } },
  /* 75 minutes does not fit Saturday 12:00-13:00 but does at 09:00; a
   * Sunday start moves to Monday */
  { "/planner/propose/sunday-start", "2026-03-01", 2, 6, 4, 8, 75, FALSE, { NULL }, NULL, NULL, 0, NULL, NULL,
    { "2026-03-02T09:00", "2026-04-13T09:00" } },
};

static void
test_propose_case (gconstpointer data)
{
  const PlanCase *c = data;
  g_autoptr (DermClinic) clinic = make_clinic ();
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (DermProtocol) protocol = make_protocol (c->sessions, c->interval, c->min_weeks,
                                                     c->max_weeks, c->minutes);
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GError) error = NULL;
  DermPlanRequest request = { 0 };
  gint64 next_id = 1000;
  guint n_expected = 0;

  if (c->saturday_closed)
    g_assert_true (derm_clinic_set_hours (clinic, G_DATE_SATURDAY, NULL, 0, NULL));
  for (guint i = 0; c->closed[i] != NULL; i++)
    add_closed (clinic, c->closed[i]);
  planner = test_planner_new (clinic);
  if (c->busy_from != NULL)
    book_out (planner, c->busy_from, c->busy_to, "Room 1", &next_id);
  if (c->finding_code != NULL)
    findings = findings_with (c->finding_severity, c->finding_code, c->finding_until);

  request.protocol = protocol;
  request.client_id = 7;
  request.start_date = c->start;
  request.preferred_time = -1;
  request.findings = findings;

  proposal = derm_planner_propose_series (planner, &request, &error);
  g_assert_no_error (error);
  g_assert_nonnull (proposal);

  g_assert_cmpint (derm_plan_proposal_get_blocked (proposal), ==, c->blocked);
  if (c->blocked)
    {
      g_assert_cmpuint (derm_plan_proposal_get_n_items (proposal), ==, 0);
      g_assert_cmpstr (derm_plan_proposal_get_blocked_reason (proposal), ==, "Reason given by the rules.");
      g_assert_false (derm_plan_proposal_is_bookable (proposal));
      return;
    }

  while (c->expected[n_expected] != NULL)
    n_expected++;
  g_assert_cmpuint (derm_plan_proposal_get_n_items (proposal), ==, n_expected);
  derm_test_assert_bookable (proposal);

  for (guint i = 0; i < n_expected; i++)
    {
      DermAppointment *item = derm_plan_proposal_get_item (proposal, i);
      g_autofree char *local = item_local (proposal, i);

      g_assert_cmpstr (local, ==, c->expected[i]);
      g_assert_cmpstr (derm_appointment_get_time_zone (item), ==, ZONE);
      g_assert_cmpuint (derm_appointment_get_session_index (item), ==, i + 1);
      g_assert_cmpuint (derm_appointment_get_session_count (item), ==, c->sessions);
      g_assert_cmpuint (derm_appointment_get_duration_minutes (item), ==, c->minutes);
      g_assert_cmpint (derm_appointment_get_client_id (item), ==, 7);
      g_assert_cmpstr (derm_appointment_get_room (item), ==, "Room 1");
      g_assert_cmpint (derm_plan_proposal_get_flags (proposal, i), ==, c->expected_flags[i]);
      g_assert_cmpint (derm_plan_proposal_get_problems (proposal, i), ==, 0);
      g_assert_cmpint (derm_appointment_get_rescreen_first (item), ==,
                       (c->expected_flags[i] & DERM_PLAN_FLAG_RESCREEN_FIRST) != 0);
    }

  if (c->finding_until != NULL)
    {
      g_assert_cmpstr (derm_plan_proposal_get_blocked_until (proposal), ==, c->finding_until);
      for (guint i = 0; i < n_expected; i++)
        if (derm_plan_proposal_get_flags (proposal, i) & DERM_PLAN_FLAG_DELAYED_BY_FINDING)
          {
            const char *message = derm_plan_proposal_get_message (proposal, i);
            g_autofree char *until = derm_date_format_display (c->finding_until, TRUE);

            /* The day as people write it, not as ISO 8601 */
            g_assert_nonnull (strstr (message, until));
            g_assert_null (strstr (message, c->finding_until));
            /* Shown on its own: a sentence ("Delayed by a contraindication. ...") */
            g_assert_true (g_ascii_isupper (message[0]));
          }
    }
}

/* The instants behind the wall-clock times do change with DST */
static void
test_dst_instants (void)
{
  g_autoptr (DermAppointment) winter = make_appointment (1, "2026-03-02T09:00", 60, "Room 1", NULL);
  g_autoptr (DermAppointment) summer = make_appointment (2, "2026-03-30T09:00", 60, "Room 1", NULL);
  g_autoptr (DermAppointment) autumn = make_appointment (3, "2026-10-26 09:00", 60, "Room 1", NULL);

  g_assert_cmpint (derm_appointment_get_start_unix (winter), ==, 1772438400);  /* 08:00Z */
  g_assert_cmpint (derm_appointment_get_start_unix (summer), ==, 1774854000);  /* 07:00Z */
  g_assert_cmpint (derm_appointment_get_start_unix (autumn), ==, 1793001600);  /* 08:00Z */
  g_assert_cmpstr (derm_appointment_get_start_local (autumn), ==, "2026-10-26T09:00");
  g_assert_cmpint (derm_appointment_get_end_unix (summer) - derm_appointment_get_start_unix (summer), ==, 3600);
  g_assert_false (derm_appointment_set_start (winter, "2026-02-30T09:00", ZONE));
  g_assert_false (derm_appointment_set_start (winter, "2026-03-02T09:00", "Not/AZone"));
  g_assert_cmpstr (derm_appointment_get_start_local (winter), ==, "2026-03-02T09:00");
}

/* Split hours, a preferred time and a preferred practitioner */
static void
test_split_hours_and_people (void)
{
  g_autoptr (DermClinic) clinic = make_clinic ();
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (DermProtocol) protocol = make_protocol (2, 4, 4, 6, 60);
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermAppointment) busy = NULL;
  const char *rooms[] = { "Room 1", "Room 2", NULL };
  const char *people[] = { "Alice", "Bea", NULL };
  g_autofree char *hours = NULL;
  DermPlanRequest request = { 0 };

  g_assert_true (derm_clinic_set_hours_string (clinic, G_DATE_MONDAY, "14:00-19:00, 09:00-13:00", &error));
  g_assert_no_error (error);
  hours = derm_clinic_dup_hours_string (clinic, G_DATE_MONDAY);
  g_assert_cmpstr (hours, ==, "09:00-13:00,14:00-19:00");
  g_assert_false (derm_clinic_set_hours_string (clinic, G_DATE_TUESDAY, "09:00-13:00,12:00-14:00", &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (derm_clinic_set_hours_string (clinic, G_DATE_TUESDAY, "nine to five", &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
  g_clear_error (&error);
  derm_clinic_set_rooms (clinic, rooms);
  derm_clinic_set_practitioners (clinic, people);
  planner = test_planner_new (clinic);

  /* Bea is busy at 12:30-13:30 on Monday 5 January */
  busy = make_appointment (50, "2026-01-05T12:30", 60, "Room 2", "Bea");
  derm_planner_add_appointment (planner, busy);

  request.protocol = protocol;
  request.client_id = 1;
  request.start_date = "2026-01-05";
  request.practitioner = "Bea";
  request.preferred_time = 12 * 60;   /* 12:00 + 60 min crosses lunch: not possible */
  proposal = derm_planner_propose_series (planner, &request, &error);
  g_assert_no_error (error);
  derm_test_assert_bookable (proposal);

  {
    DermAppointment *first = derm_plan_proposal_get_item (proposal, 0);
    DermAppointment *second = derm_plan_proposal_get_item (proposal, 1);

    g_assert_cmpstr (derm_appointment_get_start_local (first), ==, "2026-01-05T09:00");
    g_assert_cmpstr (derm_appointment_get_practitioner (first), ==, "Bea");
    g_assert_cmpstr (derm_appointment_get_room (first), ==, "Room 1");
    /* The time of day of session 1 is kept */
    g_assert_cmpstr (derm_appointment_get_start_local (second), ==, "2026-02-02T09:00");
    g_assert_cmpstr (derm_appointment_get_practitioner (second), ==, "Bea");
  }

  /* Starting at 14:00 on request; an unknown practitioner is refused */
  g_clear_object (&proposal);
  request.preferred_time = 14 * 60;
  proposal = derm_planner_propose_series (planner, &request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, 0)), ==,
                   "2026-01-05T14:00");
  g_clear_object (&proposal);
  request.practitioner = "Zoe";
  proposal = derm_planner_propose_series (planner, &request, &error);
  g_assert_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_INVALID);
  g_assert_null (proposal);
}

/* An adjusted proposal is re-checked: every kind of problem */
static void
test_check_adjusted (void)
{
  g_autoptr (DermClinic) clinic = make_clinic ();
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (DermProtocol) protocol = make_protocol (3, 4, 4, 6, 60);
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (DermAppointment) other = NULL;
  g_autoptr (GError) error = NULL;
  DermPlanRequest request = { 0 };
  DermAppointment *second;

  add_closed (clinic, "2026-02-03");
  planner = test_planner_new (clinic);
  other = make_appointment (99, "2026-02-04T11:00", 60, "Room 1", NULL);
  derm_planner_add_appointment (planner, other);
  g_assert_cmpuint (derm_planner_get_n_appointments (planner), ==, 1);

  request.protocol = protocol;
  request.start_date = "2026-01-05";
  request.preferred_time = -1;
  proposal = derm_planner_propose_series (planner, &request, &error);
  g_assert_no_error (error);
  second = derm_plan_proposal_get_item (proposal, 1);

  /* Sunday */
  derm_appointment_set_start (second, "2026-02-01T10:00", ZONE);
  g_assert_false (derm_planner_check_proposal (planner, proposal, NULL));
  g_assert_cmpint (derm_plan_proposal_get_problems (proposal, 1) & DERM_PLAN_PROBLEM_CLOSED_DAY, !=, 0);
  g_assert_cmpint (derm_plan_proposal_get_problems (proposal, 1) & DERM_PLAN_PROBLEM_TOO_SOON, !=, 0);
  g_assert_cmpstr (derm_plan_proposal_get_message (proposal, 1), !=, "");
  g_assert_true (g_ascii_isupper (derm_plan_proposal_get_message (proposal, 1)[0]));
  /* Holiday */
  derm_appointment_set_start (second, "2026-02-03T10:00", ZONE);
  derm_planner_check_proposal (planner, proposal, NULL);
  g_assert_cmpint (derm_plan_proposal_get_problems (proposal, 1), ==, DERM_PLAN_PROBLEM_CLOSED_DAY);
  /* After closing time */
  derm_appointment_set_start (second, "2026-02-04T17:30", ZONE);
  derm_planner_check_proposal (planner, proposal, NULL);
  g_assert_cmpint (derm_plan_proposal_get_problems (proposal, 1), ==, DERM_PLAN_PROBLEM_OUTSIDE_HOURS);
  /* Room taken */
  derm_appointment_set_start (second, "2026-02-04T11:30", ZONE);
  derm_planner_check_proposal (planner, proposal, NULL);
  g_assert_cmpint (derm_plan_proposal_get_problems (proposal, 1), ==, DERM_PLAN_PROBLEM_ROOM_TAKEN);
  /* Third session now too soon after the second */
  derm_appointment_set_start (second, "2026-02-20T10:00", ZONE);
  derm_planner_check_proposal (planner, proposal, NULL);
  g_assert_cmpint (derm_plan_proposal_get_problems (proposal, 1), ==, 0);
  g_assert_cmpint (derm_plan_proposal_get_problems (proposal, 2), ==, DERM_PLAN_PROBLEM_TOO_SOON);
  /* Unknown room */
  derm_appointment_set_start (second, "2026-02-02T10:00", ZONE);
  derm_appointment_set_room (second, "Room 9");
  derm_planner_check_proposal (planner, proposal, NULL);
  g_assert_cmpint (derm_plan_proposal_get_problems (proposal, 1), ==, DERM_PLAN_PROBLEM_UNKNOWN_ROOM);
  derm_appointment_set_room (second, "Room 1");
  g_assert_true (derm_planner_check_proposal (planner, proposal, NULL));

  /* Contraindication added after the proposal was made */
  {
    g_autoptr (GPtrArray) findings = findings_with (DERM_SEVERITY_CONTRAINDICATION, "isotretinoin-recent", "2026-03-01");
    g_assert_false (derm_planner_check_proposal (planner, proposal, findings));
    g_assert_cmpint (derm_plan_proposal_get_problems (proposal, 0), ==, DERM_PLAN_PROBLEM_CONTRAINDICATED);
  }

  /* Index removal frees the slot */
  g_assert_true (derm_planner_remove_appointment (planner, 99));
  g_assert_false (derm_planner_remove_appointment (planner, 99));
  g_assert_true (derm_planner_is_free (planner, "Room 1", NULL,
                                       derm_appointment_get_start_unix (other),
                                       derm_appointment_get_end_unix (other), 0));
}

/* --- re-planning ------------------------------------------------------- */

static GPtrArray *
booked_series (DermSeries  *series,
               DermPlanner *planner)
{
  const char *starts[] = { "2026-01-05T09:00", "2026-02-02T09:00", "2026-03-02T09:00", "2026-03-30T09:00" };
  GPtrArray *appointments = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    {
      DermAppointment *a = make_appointment (100 + i, starts[i], 60, "Room 1", NULL);

      derm_appointment_set_series_id (a, derm_series_get_id (series));
      derm_appointment_set_session_index (a, i + 1);
      derm_appointment_set_session_count (a, 4);
      if (i == 0)
        derm_appointment_set_status (a, DERM_APPOINTMENT_DONE);
      g_ptr_array_add (appointments, a);
      derm_planner_add_appointment (planner, a);
    }
  return appointments;
}

static void
test_replan_move (void)
{
  g_autoptr (DermClinic) clinic = make_clinic ();
  g_autoptr (DermPlanner) planner = test_planner_new (clinic);
  g_autoptr (DermProtocol) protocol = make_protocol (4, 4, 4, 6, 60);
  g_autoptr (DermSeries) series = derm_series_new_from_protocol (protocol, 1, "2026-01-05");
  g_autoptr (GPtrArray) appointments = NULL;
  g_autoptr (DermAppointment) moved = NULL;
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (GError) error = NULL;

  derm_series_set_id (series, 5);
  appointments = booked_series (series, planner);

  /* Session 2 two weeks later: sessions 3 and 4 follow, 4 weeks apart */
  moved = derm_appointment_copy (g_ptr_array_index (appointments, 1));
  derm_appointment_set_start (moved, "2026-02-16T09:00", ZONE);
  proposal = derm_planner_replan (planner, series, appointments, moved, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (derm_plan_proposal_get_kind (proposal), ==, DERM_PLAN_PROPOSAL_RESCHEDULE);
  g_assert_cmpuint (derm_plan_proposal_get_n_items (proposal), ==, 3);
  g_assert_cmpint (derm_plan_proposal_get_flags (proposal, 0), ==, DERM_PLAN_FLAG_CHANGED);
  g_assert_cmpint (derm_plan_proposal_get_flags (proposal, 1), ==, DERM_PLAN_FLAG_SHIFTED);
  g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, 1)), ==, "2026-03-16T09:00");
  g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, 2)), ==, "2026-04-13T09:00");
  g_assert_cmpint (derm_appointment_get_id (derm_plan_proposal_get_item (proposal, 1)), ==, 102);
  g_assert_true (derm_plan_proposal_get_original (proposal, 1) == g_ptr_array_index (appointments, 2));
  derm_test_assert_bookable (proposal);
  /* Nothing booked was touched */
  g_assert_cmpstr (derm_appointment_get_start_local (g_ptr_array_index (appointments, 2)), ==, "2026-03-02T09:00");

  /* Moving it a week later keeps session 3 (still 3 weeks... too soon) */
  g_clear_object (&proposal);
  derm_appointment_set_start (moved, "2026-02-06T09:00", ZONE);
  proposal = derm_planner_replan (planner, series, appointments, moved, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (derm_plan_proposal_get_n_items (proposal), ==, 3);
  g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, 1)), ==, "2026-03-06T09:00");
  /* Session 4 on 03-30 is 24 days after 03-06: shifted to 04-03 */
  g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, 2)), ==, "2026-04-03T09:00");

  /* Moving it earlier: nothing later needs to move, but it is too soon */
  g_clear_object (&proposal);
  derm_appointment_set_start (moved, "2026-01-26T09:00", ZONE);
  proposal = derm_planner_replan (planner, series, appointments, moved, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (derm_plan_proposal_get_n_items (proposal), ==, 1);
  g_assert_cmpint (derm_plan_proposal_get_problems (proposal, 0), ==, DERM_PLAN_PROBLEM_TOO_SOON);
  g_assert_false (derm_plan_proposal_is_bookable (proposal));
}

static void
test_replan_no_show (void)
{
  g_autoptr (DermClinic) clinic = make_clinic ();
  g_autoptr (DermPlanner) planner = test_planner_new (clinic);
  g_autoptr (DermProtocol) protocol = make_protocol (4, 4, 4, 6, 60);
  g_autoptr (DermSeries) series = derm_series_new_from_protocol (protocol, 1, "2026-01-05");
  g_autoptr (GPtrArray) appointments = NULL;
  g_autoptr (DermAppointment) missed = NULL;
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (ZONE);
  g_autoptr (GDateTime) now = g_date_time_new (tz, 2026, 2, 10, 8, 0, 0);
  g_autoptr (GError) error = NULL;
  DermAppointment *replacement;

  derm_series_set_id (series, 5);
  appointments = booked_series (series, planner);

  missed = derm_appointment_copy (g_ptr_array_index (appointments, 1));
  derm_appointment_set_status (missed, DERM_APPOINTMENT_NO_SHOW);
  proposal = derm_planner_replan (planner, series, appointments, missed, NULL, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (derm_plan_proposal_get_n_items (proposal), ==, 4);
  g_assert_cmpint (derm_appointment_get_status (derm_plan_proposal_get_item (proposal, 0)), ==,
                   DERM_APPOINTMENT_NO_SHOW);

  replacement = derm_plan_proposal_get_item (proposal, 1);
  g_assert_cmpint (derm_plan_proposal_get_flags (proposal, 1) & DERM_PLAN_FLAG_NEW, !=, 0);
  g_assert_cmpint (derm_appointment_get_id (replacement), ==, 0);
  g_assert_cmpuint (derm_appointment_get_session_index (replacement), ==, 2);
  g_assert_cmpstr (derm_appointment_get_start_local (replacement), ==, "2026-02-10T09:00");
  g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, 2)), ==, "2026-03-10T09:00");
  g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, 3)), ==, "2026-04-07T09:00");
  derm_test_assert_bookable (proposal);
}

/* --- progress and Due list --------------------------------------------- */

static void
test_due_list (void)
{
  g_autoptr (DermProtocol) protocol = make_protocol (2, 4, 4, 6, 60);
  g_autoptr (GPtrArray) series = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) appointments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) due = NULL;
  DermSeriesProgress progress;
  GDate today;
  g_autoptr (GDateTime) jan_20 = g_date_time_new_utc (2026, 1, 20, 0, 0, 0);
  gint64 now_20_jan = g_date_time_to_unix (jan_20);
  /* Series 1: session 1 done 01-05, session 2 not booked (due 02-02..02-16)
   * Series 2: session 1 done 12-01, nothing booked: overdue after 01-12
   * Series 3: both done, last 11-03: follow-up photo due 2026-01-26
   * Series 4: session 1 done, session 2 booked: not due */
  const struct { gint64 series; guint k; const char *start; DermAppointmentStatus status; } rows[] = {
    { 1, 1, "2026-01-05T09:00", DERM_APPOINTMENT_DONE },
    { 2, 1, "2025-12-01T09:00", DERM_APPOINTMENT_DONE },
    { 3, 1, "2025-10-06T09:00", DERM_APPOINTMENT_DONE },
    { 3, 2, "2025-11-03T09:00", DERM_APPOINTMENT_DONE },
    { 4, 1, "2026-01-05T09:00", DERM_APPOINTMENT_DONE },
    { 4, 2, "2026-02-02T09:00", DERM_APPOINTMENT_BOOKED },
  };

  for (gint64 id = 1; id <= 4; id++)
    {
      DermSeries *s = derm_series_new_from_protocol (protocol, id, "2025-10-01");
      derm_series_set_id (s, id);
      g_ptr_array_add (series, s);
    }
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      DermAppointment *a = make_appointment (i + 1, rows[i].start, 60, "Room 1", NULL);
      derm_appointment_set_series_id (a, rows[i].series);
      derm_appointment_set_session_index (a, rows[i].k);
      derm_appointment_set_session_count (a, 2);
      derm_appointment_set_status (a, rows[i].status);
      g_ptr_array_add (appointments, a);
    }

  g_assert_true (derm_date_parse ("2026-01-20", &today));
  derm_planner_series_progress (g_ptr_array_index (series, 0), appointments, &today, now_20_jan, &progress);
  g_assert_cmpuint (progress.done, ==, 1);
  g_assert_cmpuint (progress.next_index, ==, 2);
  g_assert_false (progress.next_booked);
  g_assert_false (progress.overdue);
  derm_planner_series_progress (g_ptr_array_index (series, 3), appointments, &today, now_20_jan, &progress);
  g_assert_true (progress.next_booked);
  g_assert_cmpuint (progress.booked, ==, 1);
  g_assert_cmpuint (progress.needs_outcome, ==, 0);
  /* Once its hour is over and nobody said how it went, the booked
   * session needs an outcome: no longer counted as booked to come */
  derm_planner_series_progress (g_ptr_array_index (series, 3), appointments, &today,
                                derm_appointment_get_end_unix (g_ptr_array_index (appointments, 5)), &progress);
  g_assert_true (progress.next_booked);
  g_assert_cmpuint (progress.booked, ==, 0);
  g_assert_cmpuint (progress.needs_outcome, ==, 1);
  derm_planner_series_progress (g_ptr_array_index (series, 3), appointments, &today,
                                derm_appointment_get_end_unix (g_ptr_array_index (appointments, 5)) - 1, &progress);
  g_assert_cmpuint (progress.booked, ==, 1);
  g_assert_cmpuint (progress.needs_outcome, ==, 0);

  due = derm_planner_list_due (series, appointments, &today, 14);
  g_assert_cmpuint (due->len, ==, 3);
  /* Ordered by due-from: overdue (2025-12-29), follow-up (2026-01-26), due (2026-02-02) */
  g_assert_cmpint (derm_due_item_get_kind (g_ptr_array_index (due, 0)), ==, DERM_DUE_OVERDUE);
  g_assert_cmpint (derm_series_get_id (derm_due_item_get_series (g_ptr_array_index (due, 0))), ==, 2);
  g_assert_cmpint (derm_due_item_get_kind (g_ptr_array_index (due, 1)), ==, DERM_DUE_FOLLOW_UP);
  g_assert_cmpstr (derm_due_item_get_due_from (g_ptr_array_index (due, 1)), ==, "2026-01-26");
  g_assert_cmpuint (derm_due_item_get_session_index (g_ptr_array_index (due, 1)), ==, 3);
  g_assert_cmpint (derm_due_item_get_kind (g_ptr_array_index (due, 2)), ==, DERM_DUE_SOON);
  g_assert_cmpstr (derm_due_item_get_due_from (g_ptr_array_index (due, 2)), ==, "2026-02-02");
  g_assert_cmpstr (derm_due_item_get_due_until (g_ptr_array_index (due, 2)), ==, "2026-02-16");

  /* With a 7 day horizon series 1 (due from 2026-02-02) is not listed yet */
  g_clear_pointer (&due, g_ptr_array_unref);
  due = derm_planner_list_due (series, appointments, &today, 7);
  g_assert_cmpuint (due->len, ==, 2);
  g_assert_cmpint (derm_due_item_get_kind (g_ptr_array_index (due, 0)), ==, DERM_DUE_OVERDUE);
  g_assert_cmpint (derm_due_item_get_kind (g_ptr_array_index (due, 1)), ==, DERM_DUE_FOLLOW_UP);
}

static void
test_prefill_treatment (void)
{
  g_autoptr (DermAppointment) a = make_appointment (3, "2026-03-30T09:00", 60, "Room 1", "Alice");
  g_autoptr (DermTreatment) treatment = NULL;
  g_autofree char *title = NULL;

  derm_appointment_set_client_id (a, 42);
  derm_appointment_set_session_index (a, 2);
  derm_appointment_set_session_count (a, 4);
  derm_appointment_set_protocol_name (a, "Microneedling, face");
  derm_appointment_set_client_name (a, "Jane Doe");
  treatment = derm_planner_prefill_treatment (a);
  g_assert_cmpint (derm_treatment_get_client_id (treatment), ==, 42);
  g_assert_cmpstr (derm_treatment_get_date (treatment), ==, "2026-03-30");
  g_assert_cmpstr (derm_treatment_get_practitioner (treatment), ==, "Alice");
  g_assert_nonnull (strstr (derm_treatment_get_notes (treatment), "2 of 4"));
  title = derm_appointment_dup_title (a);
  g_assert_cmpstr (title, ==, "Microneedling, face 2/4 – Jane Doe");
}

/* --- randomised -------------------------------------------------------- */

static void
random_hours (DermClinic *clinic)
{
  gboolean any_open = FALSE;

  for (int day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
    {
      DermOpeningSpan spans[2];
      guint n = 0;
      int kind = g_test_rand_int_range (0, 10);

      if (kind < 2 && !(day == G_DATE_SUNDAY && !any_open))
        ;   /* closed */
      else if (kind < 6)
        {
          guint open = 7 * 60 + 15 * g_test_rand_int_range (0, 12);
          spans[n++] = (DermOpeningSpan) { open, open + 60 * g_test_rand_int_range (3, 11) };
        }
      else
        {
          guint open = 8 * 60 + 30 * g_test_rand_int_range (0, 4);
          guint lunch = open + 60 * g_test_rand_int_range (2, 5);
          spans[n++] = (DermOpeningSpan) { open, lunch };
          spans[n++] = (DermOpeningSpan) { lunch + 60, lunch + 60 + 60 * g_test_rand_int_range (2, 6) };
        }
      g_assert_true (derm_clinic_set_hours (clinic, day, spans, n, NULL));
      any_open |= n > 0;
    }
}

typedef struct
{
  gint64      series;
  guint       k;
  gint64      start, end;
  const char *room;
  const char *practitioner;
  guint       min_days;
  GDate       day;
  DermAppointment *appointment;
} Booked;

static int
compare_booked_series (gconstpointer a,
                       gconstpointer b)
{
  const Booked *x = a, *y = b;

  if (x->series != y->series)
    return x->series < y->series ? -1 : 1;
  return (int) x->k - (int) y->k;
}

static void
test_randomised (void)
{
  static const char * const all_rooms[] = { "Room 1", "Room 2", "Room 3" };
  static const char * const all_people[] = { "Alice", "Bea", "Chloé" };
  guint n_calendars = g_test_slow () ? 20000 : 5000;
  guint n_proposals = 0, n_sessions = 0;

  for (guint c = 0; c < n_calendars; c++)
    {
      g_autoptr (DermClinic) clinic = make_clinic ();
      g_autoptr (DermPlanner) planner = NULL;
      g_autoptr (GArray) booked = g_array_new (FALSE, FALSE, sizeof (Booked));
      g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
      const char *rooms[4] = { NULL }, *people[4] = { NULL };
      guint n_rooms = g_test_rand_int_range (1, 4);
      guint n_people = g_test_rand_int_range (0, 4);
      guint n_series = g_test_rand_int_range (2, 12);
      GDate base;

      for (guint i = 0; i < n_rooms; i++)
        rooms[i] = all_rooms[i];
      for (guint i = 0; i < n_people; i++)
        people[i] = all_people[i];
      derm_clinic_set_rooms (clinic, rooms);
      derm_clinic_set_practitioners (clinic, people);
      derm_clinic_set_slot_step (clinic, g_test_rand_bit () ? 15 : 30);
      random_hours (clinic);

      /* Around the DST changes, month ends and 29 February on purpose */
      g_date_clear (&base, 1);
      g_date_set_dmy (&base, 1, g_test_rand_int_range (1, 13), g_test_rand_int_range (2026, 2029));
      for (guint h = 0; h < 6; h++)
        {
          GDate holiday = base;
          g_date_add_days (&holiday, g_test_rand_int_range (0, 200));
          derm_clinic_add_closed_date (clinic, &holiday, NULL);
        }
      planner = test_planner_new (clinic);

      for (guint s = 0; s < n_series; s++)
        {
          g_autoptr (DermProtocol) protocol = NULL;
          g_autoptr (DermPlanProposal) proposal = NULL;
          g_autoptr (GError) error = NULL;
          g_autofree char *start = NULL;
          DermPlanRequest request = { 0 };
          guint min_weeks = g_test_rand_int_range (1, 5);
          guint interval = min_weeks + g_test_rand_int_range (0, 3);
          guint max_weeks = interval + g_test_rand_int_range (0, 3);
          GDate day = base;

          protocol = make_protocol (g_test_rand_int_range (1, 7), interval, min_weeks, max_weeks,
                                    15 * g_test_rand_int_range (2, 7));
          g_date_add_days (&day, g_test_rand_int_range (0, 60));
          start = derm_date_format (&day);
          request.protocol = protocol;
          request.client_id = s + 1;
          request.start_date = start;
          request.preferred_time = g_test_rand_bit () ? -1 : 60 * g_test_rand_int_range (8, 17);
          if (n_people > 0 && g_test_rand_int_range (0, 3) == 0)
            request.practitioner = people[g_test_rand_int_range (0, n_people)];
          if (g_test_rand_int_range (0, 4) == 0)
            request.room = rooms[g_test_rand_int_range (0, n_rooms)];

          proposal = derm_planner_propose_series (planner, &request, &error);
          if (proposal == NULL)
            {
              /* A duration longer than every opening span has no slot */
              g_assert_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_NO_SLOT);
              continue;
            }
          derm_test_assert_bookable (proposal);
          n_proposals++;

          for (guint i = 0; i < derm_plan_proposal_get_n_items (proposal); i++)
            {
              DermAppointment *item = derm_plan_proposal_get_item (proposal, i);
              g_autoptr (GDateTime) dt = derm_appointment_dup_start (item);
              Booked b = { 0 };

              g_assert_true (derm_clinic_is_within_hours (clinic, dt, derm_appointment_get_duration_minutes (item)));
              derm_appointment_set_id (item, 1 + booked->len + 100000 * (gint64) c);
              derm_planner_add_appointment (planner, item);
              g_ptr_array_add (keep, g_object_ref (item));

              b.series = s;
              b.k = derm_appointment_get_session_index (item);
              b.start = derm_appointment_get_start_unix (item);
              b.end = derm_appointment_get_end_unix (item);
              b.room = derm_appointment_get_room (item);
              b.practitioner = derm_appointment_get_practitioner (item);
              b.min_days = 7 * min_weeks;
              derm_appointment_get_local_date (item, &b.day);
              b.appointment = item;
              g_array_append_val (booked, b);
              n_sessions++;
            }
        }

      /* No overlap in a room or with a practitioner */
      for (guint i = 0; i < booked->len; i++)
        for (guint j = i + 1; j < booked->len; j++)
          {
            const Booked *x = &g_array_index (booked, Booked, i);
            const Booked *y = &g_array_index (booked, Booked, j);

            if (x->start < y->end && y->start < x->end)
              {
                g_assert_cmpstr (x->room, !=, y->room);
                if (x->practitioner != NULL || y->practitioner != NULL)
                  g_assert_cmpstr (x->practitioner, !=, y->practitioner);
              }
          }

      /* Every series keeps its minimum interval */
      g_array_sort (booked, compare_booked_series);
      for (guint i = 1; i < booked->len; i++)
        {
          const Booked *x = &g_array_index (booked, Booked, i - 1);
          const Booked *y = &g_array_index (booked, Booked, i);

          if (x->series == y->series)
            {
              g_assert_cmpuint (y->k, ==, x->k + 1);
              g_assert_cmpint ((int) g_date_get_julian (&y->day) - (int) g_date_get_julian (&x->day), >=,
                               (int) x->min_days);
            }
        }
    }

  g_test_message ("%u calendars, %u series proposed, %u sessions", n_calendars, n_proposals, n_sessions);
  g_assert_cmpuint (n_proposals, >, n_calendars);
}

/* --- store ------------------------------------------------------------- */

typedef struct
{
  char      *dir;
  DermStore *store;
  gint64     client_id;
} StoreFixture;

static void
store_setup (StoreFixture  *f,
             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  f->dir = derm_test_make_tmp_dir ("planner");
  f->store = derm_store_open (f->dir, &error);
  g_assert_no_error (error);
  derm_store_set_clock (f->store, test_now ());
  f->client_id = derm_test_add_client (f->store, "Jane Doe");
}

static void
store_teardown (StoreFixture  *f,
                gconstpointer  data)
{
  g_clear_object (&f->store);
  derm_test_remove_tree (f->dir);
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
  g_free (f->dir);
}

static int
count_rows (DermStore  *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_prepare_v2 (derm_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* A consultation (no needling) is not held back by a contraindication
 * nor by session intervals, but keeps to the clinic's hours and the
 * practitioner's leave; the store keeps its kind */
static void
test_consultation (StoreFixture  *f,
                   gconstpointer  data)
{
  g_autoptr (DermClinic) clinic = make_clinic ();
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (DermAppointment) item = derm_appointment_new ();
  g_autoptr (DermAppointment) stored = NULL;
  g_autoptr (GPtrArray) findings = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (DermFinding) infection = NULL;
  g_autoptr (GError) error = NULL;
  const char *people[] = { "Bea", NULL };
  GDate leave;

  derm_clinic_set_practitioners (clinic, people);
  g_assert_true (derm_date_parse ("2026-03-03", &leave));
  g_assert_true (derm_clinic_add_practitioner_leave (clinic, "Bea", &leave, NULL, &error));
  g_assert_true (derm_store_save_clinic (f->store, clinic, &error));
  g_assert_no_error (error);
  planner = derm_store_load_planner (f->store, NULL, &error);
  g_assert_no_error (error);

  /* An active infection, no end date: no needling at all */
  infection = derm_finding_new (DERM_SEVERITY_CONTRAINDICATION, "active-infection", "Active skin infection", NULL);
  g_ptr_array_add (findings, g_object_ref (infection));

  derm_appointment_set_client_id (item, f->client_id);
  derm_appointment_set_status (item, DERM_APPOINTMENT_BOOKED);
  derm_appointment_set_duration_minutes (item, 30);
  derm_appointment_set_practitioner (item, "Bea");
  derm_appointment_set_room (item, "Room 1");
  g_assert_true (derm_appointment_set_start (item, "2026-03-02T10:00", ZONE));
  proposal = derm_plan_proposal_new (DERM_PLAN_PROPOSAL_RESCHEDULE, NULL);
  derm_plan_proposal_add_item (proposal, item, NULL, DERM_PLAN_FLAG_NEW);

  derm_appointment_set_kind (item, DERM_APPOINTMENT_SESSION);
  g_assert_false (derm_planner_check_proposal (planner, proposal, findings));
  g_assert_true (derm_plan_proposal_get_problems (proposal, 0) & DERM_PLAN_PROBLEM_CONTRAINDICATED);

  derm_appointment_set_kind (item, DERM_APPOINTMENT_CONSULTATION);
  g_assert_true (derm_planner_check_proposal (planner, proposal, findings));

  /* Still the clinic's hours and the practitioner's leave */
  g_assert_true (derm_appointment_set_start (item, "2026-03-02T19:00", ZONE));
  g_assert_false (derm_planner_check_proposal (planner, proposal, findings));
  g_assert_true (derm_plan_proposal_get_problems (proposal, 0) & DERM_PLAN_PROBLEM_OUTSIDE_HOURS);
  g_assert_true (derm_appointment_set_start (item, "2026-03-03T10:00", ZONE));
  g_assert_false (derm_planner_check_proposal (planner, proposal, findings));
  g_assert_true (derm_plan_proposal_get_problems (proposal, 0) & DERM_PLAN_PROBLEM_PRACTITIONER_AWAY);

  /* Booked and read back as a consultation */
  g_assert_true (derm_appointment_set_start (item, "2026-03-02T10:00", ZONE));
  g_assert_true (derm_store_add_appointment (f->store, item, &error));
  g_assert_no_error (error);
  stored = derm_store_get_appointment (f->store, derm_appointment_get_id (item), &error);
  g_assert_no_error (error);
  g_assert_cmpint (derm_appointment_get_kind (stored), ==, DERM_APPOINTMENT_CONSULTATION);
  {
    g_autofree char *title = derm_appointment_dup_private_title (stored);

    g_assert_cmpstr (title, ==, "Consultation – J. D.");
  }
}

/* dermis-cli clinic: the calendar settings from the command line; bad
 * input is refused with its exit code and changes nothing */
static void
test_cli_clinic (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *hours = NULL;
  g_auto (GStrv) leave = NULL;
  JsonObject *root, *bea;
  GDate date;

#define RUN(expected, ...) \
  G_STMT_START { \
    g_clear_pointer (&out, g_free); \
    g_clear_pointer (&err, g_free); \
    g_assert_cmpint (derm_test_run_cli_in (f->dir, &out, &err, __VA_ARGS__, NULL), ==, (expected)); \
  } G_STMT_END

  RUN (0, "clinic", "timezone", "Europe/London");
  RUN (0, "clinic", "slot-step", "10");
  RUN (0, "clinic", "hours", "sat", "closed");
  RUN (0, "clinic", "close", "2026-12-25", "--label", "Christmas");
  RUN (0, "clinic", "room", "add", "Room 2");
  RUN (0, "clinic", "practitioner", "add", "Bea");
  RUN (0, "clinic", "availability", "Bea", "--weekday", "tue", "--hours", "off",
       "--leave", "2026-08-03", "--leave", "2026-08-04", "--label", "Summer");
  RUN (0, "clinic", "availability", "Bea", "--back", "2026-08-04");
  /* Refused, nothing changed */
  RUN (3, "clinic", "availability", "Zoe", "--leave", "2026-08-05");
  RUN (4, "clinic", "availability", "Bea", "--weekday", "mon", "--hours", "nine to five");
  RUN (2, "clinic", "availability", "Bea", "--weekday", "mon");
  RUN (4, "clinic", "timezone", "Mars/Base");
  RUN (4, "clinic", "room", "add", "Room 2");
  RUN (3, "clinic", "reopen", "2026-12-24");
  g_assert_cmpstr (err, !=, "");

  RUN (0, "--json", "clinic", "calendar");
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "time_zone"), ==, "Europe/London");
  g_assert_cmpint (json_object_get_int_member (root, "slot_step"), ==, 10);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "hours"), "sat"), ==, "");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "rooms")), ==, 2);
  bea = json_array_get_object_element (json_object_get_array_member (root, "practitioners"), 0);
  g_assert_cmpstr (json_object_get_string_member (bea, "name"), ==, "Bea");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (bea, "hours"), "tue"), ==, "");
  g_assert_false (json_object_has_member (json_object_get_object_member (bea, "hours"), "mon"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (bea, "leave")), ==, 1);

  /* What the planner reads */
  clinic = derm_store_load_clinic (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_clinic_get_time_zone_id (clinic), ==, "Europe/London");
  hours = derm_clinic_dup_practitioner_hours_string (clinic, "Bea", G_DATE_TUESDAY);
  g_assert_cmpstr (hours, ==, "");
  leave = derm_clinic_dup_practitioner_leave (clinic, "Bea");
  g_assert_cmpstrv (leave, ((const char * const[]) { "2026-08-03", NULL }));
  g_assert_true (derm_date_parse ("2026-08-03", &date));
  g_assert_cmpstr (derm_clinic_get_practitioner_leave_label (clinic, "Bea", &date), ==, "Summer");
  g_assert_true (derm_date_parse ("2026-12-25", &date));
  g_assert_cmpstr (derm_clinic_get_closed_label (clinic, &date), ==, "Christmas");

  /* Removing her takes her week along */
  RUN (0, "clinic", "practitioner", "remove", "Bea");
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM practitioner_leave"), ==, 0);
#undef RUN
}

/* Practitioners' own hours and leave: proposals go round them, a check
 * names them, the store keeps them and refuses a booking into them in
 * its transaction, and re-validation flags a booking that leave made
 * impossible */
static void
test_practitioner_hours_leave (StoreFixture  *f,
                               gconstpointer  data)
{
  g_autoptr (DermClinic) clinic = make_clinic ();
  g_autoptr (DermClinic) loaded = NULL;
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (DermProtocol) protocol = make_protocol (2, 4, 4, 6, 60);
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) leave = NULL;
  g_autofree char *monday = NULL;
  g_autofree char *tuesday = NULL;
  const char *people[] = { "Alice", "Bea", NULL };
  DermPlanRequest request = { 0 };
  DermAppointment *first;
  GDate date;

  derm_clinic_set_practitioners (clinic, people);
  /* Bea works Monday mornings, not Tuesdays; on leave 5 January 2026 */
  g_assert_true (derm_clinic_set_practitioner_hours_string (clinic, "Bea", G_DATE_MONDAY, "09:00-13:00", &error));
  g_assert_true (derm_clinic_set_practitioner_hours_string (clinic, "Bea", G_DATE_TUESDAY, "off", &error));
  g_assert_no_error (error);
  g_assert_true (derm_date_parse ("2026-01-05", &date));
  g_assert_true (derm_clinic_add_practitioner_leave (clinic, "Bea", &date, "Holiday", &error));
  g_assert_no_error (error);
  /* Nobody named Zoe; hours not understood: refused, nothing changed */
  g_assert_false (derm_clinic_set_practitioner_hours_string (clinic, "Zoe", G_DATE_MONDAY, "09:00-12:00", &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (derm_clinic_set_practitioner_hours_string (clinic, "Bea", G_DATE_MONDAY, "9 to 5", &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
  g_clear_error (&error);
  monday = derm_clinic_dup_practitioner_hours_string (clinic, "Bea", G_DATE_MONDAY);
  g_assert_cmpstr (monday, ==, "09:00-13:00");
  tuesday = derm_clinic_dup_practitioner_hours_string (clinic, "Bea", G_DATE_TUESDAY);
  g_assert_cmpstr (tuesday, ==, "");
  g_assert_null (derm_clinic_dup_practitioner_hours_string (clinic, "Bea", G_DATE_WEDNESDAY));
  g_assert_null (derm_clinic_dup_practitioner_hours_string (clinic, "Alice", G_DATE_MONDAY));

  /* Kept by the store as set */
  g_assert_true (derm_store_save_clinic (f->store, clinic, &error));
  g_assert_no_error (error);
  loaded = derm_store_load_clinic (f->store, &error);
  g_assert_no_error (error);
  g_clear_pointer (&monday, g_free);
  monday = derm_clinic_dup_practitioner_hours_string (loaded, "Bea", G_DATE_MONDAY);
  g_assert_cmpstr (monday, ==, "09:00-13:00");
  leave = derm_clinic_dup_practitioner_leave (loaded, "Bea");
  g_assert_cmpuint (g_strv_length (leave), ==, 1);
  g_assert_cmpstr (leave[0], ==, "2026-01-05");
  g_assert_cmpstr (derm_clinic_get_practitioner_leave_label (loaded, "Bea", &date), ==, "Holiday");

  /* Bea from Monday 5 January at 14:00: on leave that day, off on
   * Tuesday, only mornings on Monday: Wednesday 7 at 14:00 */
  planner = derm_store_load_planner (f->store, NULL, &error);
  g_assert_no_error (error);
  request.protocol = protocol;
  request.client_id = f->client_id;
  request.start_date = "2026-01-05";
  request.practitioner = "Bea";
  request.preferred_time = 14 * 60;
  proposal = derm_planner_propose_series (planner, &request, &error);
  g_assert_no_error (error);
  derm_test_assert_bookable (proposal);
  first = derm_plan_proposal_get_item (proposal, 0);
  g_assert_cmpstr (derm_appointment_get_start_local (first), ==, "2026-01-07T14:00");
  /* Session 2 four weeks on is a Wednesday too, at the same time */
  g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, 1)), ==,
                   "2026-02-04T14:00");

  /* Moved by hand onto her leave, then onto a Monday afternoon: named */
  g_assert_true (derm_appointment_set_start (first, "2026-01-05T10:00", ZONE));
  g_assert_false (derm_planner_check_proposal (planner, proposal, NULL));
  g_assert_true (derm_plan_proposal_get_problems (proposal, 0) & DERM_PLAN_PROBLEM_PRACTITIONER_AWAY);
  g_assert_true (derm_appointment_set_start (first, "2026-01-12T15:00", ZONE));
  g_assert_false (derm_planner_check_proposal (planner, proposal, NULL));
  g_assert_true (derm_plan_proposal_get_problems (proposal, 0) & DERM_PLAN_PROBLEM_PRACTITIONER_AWAY);
  {
    g_auto (GStrv) keys = derm_plan_problems_to_keys (derm_plan_proposal_get_problems (proposal, 0));

    g_assert_true (g_strv_contains ((const char * const *) keys, "practitioner-away"));
  }
  /* Monday mornings are fine */
  g_assert_true (derm_appointment_set_start (first, "2026-01-12T10:00", ZONE));
  g_assert_true (derm_appointment_set_start (derm_plan_proposal_get_item (proposal, 1), "2026-02-09T10:00", ZONE));
  derm_planner_check_proposal (planner, proposal, NULL);
  derm_test_assert_bookable (proposal);

  /* The store re-checks in its transaction: leave added meanwhile by
   * someone else refuses the booking */
  {
    g_autoptr (DermClinic) other = derm_store_load_clinic (f->store, &error);
    GDate twelfth;

    g_assert_no_error (error);
    g_assert_true (derm_date_parse ("2026-01-12", &twelfth));
    g_assert_true (derm_clinic_add_practitioner_leave (other, "Bea", &twelfth, "", &error));
    g_assert_true (derm_store_save_clinic (f->store, other, &error));
    g_assert_no_error (error);
  }
  g_assert_false (derm_store_book_proposal (f->store, proposal, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM appointments"), ==, 0);

  /* Booked on the Wednesdays; leave taken afterwards flags it, never moves it */
  g_assert_true (derm_appointment_set_start (first, "2026-01-07T14:00", ZONE));
  g_assert_true (derm_appointment_set_start (derm_plan_proposal_get_item (proposal, 1), "2026-02-04T14:00", ZONE));
  g_clear_object (&planner);
  planner = derm_store_load_planner (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (derm_planner_check_proposal (planner, proposal, NULL));
  g_assert_true (derm_store_book_proposal (f->store, proposal, &error));
  g_assert_no_error (error);
  {
    g_autoptr (DermClinic) other = derm_store_load_clinic (f->store, &error);
    g_autoptr (GPtrArray) attention = NULL;
    GDate seventh;

    g_assert_true (derm_date_parse ("2026-01-07", &seventh));
    g_assert_true (derm_clinic_add_practitioner_leave (other, "Bea", &seventh, "Sick", &error));
    g_assert_true (derm_store_save_clinic (f->store, other, &error));
    g_assert_no_error (error);
    attention = derm_store_list_needs_attention (f->store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (attention->len, ==, 1);
    g_assert_cmpstr (derm_appointment_get_start_local (g_ptr_array_index (attention, 0)), ==, "2026-01-07T14:00");
    g_assert_true (derm_appointment_get_problems (g_ptr_array_index (attention, 0)) & DERM_PLAN_PROBLEM_PRACTITIONER_AWAY);

    /* A practitioner removed takes their week along */
    derm_clinic_set_practitioners (other, (const char *[]) { "Alice", NULL });
    g_assert_true (derm_store_save_clinic (f->store, other, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM practitioner_hours"), ==, 0);
    g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM practitioner_leave"), ==, 0);
  }
}


static void
test_store_protocols (StoreFixture  *f,
                      gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) protocols = derm_store_list_protocols (f->store, &error);
  g_autoptr (DermProtocol) face = NULL;
  g_autoptr (DermProtocol) added = make_protocol (5, 5, 4, 6, 45);
  g_autoptr (DermProtocol) again = NULL;
  g_autoptr (DermProtocol) duplicate = make_protocol (3, 4, 4, 6, 60);

  g_assert_no_error (error);
  g_assert_cmpuint (protocols->len, ==, 3);
  g_assert_cmpstr (derm_protocol_get_name (g_ptr_array_index (protocols, 0)), ==, "Microneedling, acne scars");
  g_assert_cmpuint (derm_protocol_get_sessions (g_ptr_array_index (protocols, 0)), ==, 6);
  g_assert_cmpuint (derm_protocol_get_max_interval_weeks (g_ptr_array_index (protocols, 0)), ==, 8);
  g_assert_cmpuint (derm_protocol_get_duration_minutes (g_ptr_array_index (protocols, 0)), ==, 75);

  face = derm_store_find_protocol (f->store, "microneedling, FACE", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (derm_protocol_get_sessions (face), ==, 4);
  g_assert_cmpuint (derm_protocol_get_interval_weeks (face), ==, 4);
  g_assert_cmpuint (derm_protocol_get_min_interval_weeks (face), ==, 4);
  g_assert_cmpuint (derm_protocol_get_max_interval_weeks (face), ==, 6);
  g_assert_cmpuint (derm_protocol_get_duration_minutes (face), ==, 60);
  g_assert_cmpuint (derm_protocol_get_follow_up_weeks (face), ==, 12);

  /* The same name twice is refused, whatever the case */
  derm_protocol_set_name (duplicate, "MICRONEEDLING, FACE");
  g_assert_false (derm_store_add_protocol (f->store, duplicate, &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
  g_clear_error (&error);

  /* Invalid numbers are refused */
  derm_protocol_set_name (duplicate, "Odd");
  derm_protocol_set_min_interval_weeks (duplicate, 5);
  g_assert_false (derm_store_add_protocol (f->store, duplicate, &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);

  derm_protocol_set_name (added, "Microneedling, body");
  g_assert_true (derm_store_add_protocol (f->store, added, &error));
  g_assert_no_error (error);
  g_assert_cmpint (derm_protocol_get_id (added), >, 3);
  derm_protocol_set_duration_minutes (added, 50);
  g_assert_true (derm_store_update_protocol (f->store, added, &error));
  g_assert_no_error (error);
  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, derm_protocol_get_id (added));
    again = derm_store_find_protocol (f->store, id, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (derm_protocol_get_duration_minutes (again), ==, 50);
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM audit_log WHERE entity = 'protocol' "
                                         "AND action = 'update' AND fields = 'duration_minutes'"), ==, 1);
  g_assert_true (derm_store_delete_protocol (f->store, derm_protocol_get_id (added), &error));
  g_assert_false (derm_store_delete_protocol (f->store, derm_protocol_get_id (added), &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
}

static void
test_store_clinic (StoreFixture  *f,
                   gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClinic) clinic = derm_store_load_clinic (f->store, &error);
  g_autoptr (DermClinic) reloaded = NULL;
  g_autofree char *id1 = NULL;
  g_autofree char *id2 = NULL;
  g_auto (GStrv) closed = NULL;
  const char *people[] = { "Alice", "Bea", NULL };
  const char *rooms[] = { "Blue room", "Green room", NULL };
  guint n;
  GDate christmas;

  g_assert_no_error (error);
  for (int day = G_DATE_MONDAY; day <= G_DATE_FRIDAY; day++)
    {
      g_autofree char *hours = derm_clinic_dup_hours_string (clinic, day);
      g_assert_cmpstr (hours, ==, "09:00-18:00");
    }
  {
    g_autofree char *sat = derm_clinic_dup_hours_string (clinic, G_DATE_SATURDAY);
    g_assert_cmpstr (sat, ==, "09:00-13:00");
  }
  derm_clinic_get_hours (clinic, G_DATE_SUNDAY, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpstr (derm_clinic_get_rooms (clinic)[0], ==, "Room 1");
  g_assert_null (derm_clinic_get_rooms (clinic)[1]);

  g_assert_true (derm_clinic_set_time_zone_id (clinic, "America/New_York"));
  g_assert_true (derm_clinic_set_hours_string (clinic, G_DATE_WEDNESDAY, "09:00-13:00,14:00-19:00", NULL));
  g_assert_true (derm_clinic_set_hours_string (clinic, G_DATE_SATURDAY, "closed", NULL));
  derm_clinic_set_practitioners (clinic, people);
  derm_clinic_set_rooms (clinic, rooms);
  derm_clinic_set_slot_step (clinic, 30);
  g_assert_true (derm_date_parse ("2026-12-25", &christmas));
  derm_clinic_add_closed_date (clinic, &christmas, "Christmas");
  g_assert_true (derm_store_save_clinic (f->store, clinic, &error));
  g_assert_no_error (error);

  reloaded = derm_store_load_clinic (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_clinic_get_time_zone_id (reloaded), ==, "America/New_York");
  g_assert_cmpuint (derm_clinic_get_slot_step (reloaded), ==, 30);
  {
    g_autofree char *wed = derm_clinic_dup_hours_string (reloaded, G_DATE_WEDNESDAY);
    g_autofree char *sat = derm_clinic_dup_hours_string (reloaded, G_DATE_SATURDAY);
    g_assert_cmpstr (wed, ==, "09:00-13:00,14:00-19:00");
    g_assert_cmpstr (sat, ==, "");
  }
  g_assert_true (g_strv_equal (derm_clinic_get_practitioners (reloaded), people));
  g_assert_true (g_strv_equal (derm_clinic_get_rooms (reloaded), rooms));
  closed = derm_clinic_dup_closed_dates (reloaded);
  g_assert_cmpstr (closed[0], ==, "2026-12-25");
  g_assert_null (closed[1]);
  g_assert_cmpstr (derm_clinic_get_closed_label (reloaded, &christmas), ==, "Christmas");
  g_assert_false (derm_clinic_is_open_on (reloaded, &christmas));

  id1 = derm_store_dup_calendar_id (f->store, &error);
  g_assert_no_error (error);
  id2 = derm_store_dup_calendar_id (f->store, &error);
  g_assert_cmpuint (strlen (id1), ==, 32);
  g_assert_cmpstr (id1, ==, id2);
}

static DermPlanProposal *propose_for_client (StoreFixture *f,
                                             gint64        client_id,
                                             const char   *start);

static DermPlanProposal *
propose_in_store (StoreFixture *f,
                  const char   *start)
{
  return propose_for_client (f, f->client_id, start);
}

static gint64
add_other_client (StoreFixture *f,
                  const char   *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClient) client = derm_client_new ();

  derm_client_set_name (client, name);
  g_assert_true (derm_store_add_client (f->store, client, &error));
  g_assert_no_error (error);
  return derm_client_get_id (client);
}

static DermPlanProposal *
propose_for_client (StoreFixture *f,
                    gint64        client_id,
                    const char   *start)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPlanner) planner = derm_store_load_planner (f->store, NULL, &error);
  g_autoptr (DermProtocol) protocol = derm_store_find_protocol (f->store, "Microneedling, face", &error);
  DermPlanRequest request = { 0 };
  DermPlanProposal *proposal;

  g_assert_no_error (error);
  request.protocol = protocol;
  request.client_id = client_id;
  request.start_date = start;
  request.preferred_time = -1;
  request.with_follow_up = TRUE;
  proposal = derm_planner_propose_series (planner, &request, &error);
  g_assert_no_error (error);
  return proposal;
}

/* Issue 12: the client list and every appointment carry "Do Not Treat" */
static void
test_store_do_not_treat (StoreFixture  *f,
                         gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermScreening) screening = derm_screening_new ();
  g_autoptr (DermPlanProposal) proposal = propose_in_store (f, "2036-01-07");
  g_autoptr (GPtrArray) clients = NULL;
  g_autoptr (GPtrArray) appointments = NULL;
  g_autofree char *today_iso = NULL;
  GDate today;

  g_assert_true (derm_store_book_proposal (f->store, proposal, &error));
  g_assert_no_error (error);
  clients = derm_store_list_clients (f->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (derm_client_get_do_not_treat (g_ptr_array_index (clients, 0)));
  g_clear_pointer (&clients, g_ptr_array_unref);

  derm_date_today (&today);
  today_iso = derm_date_format (&today);
  derm_screening_set_client_id (screening, f->client_id);
  derm_screening_set_date (screening, today_iso);
  derm_screening_set_answer (screening, DERM_QUESTION_ACTIVE_INFECTION, DERM_ANSWER_YES);
  g_assert_true (derm_store_add_screening (f->store, screening, &error));
  g_assert_no_error (error);

  clients = derm_store_list_clients (f->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (derm_client_get_do_not_treat (g_ptr_array_index (clients, 0)), "infection"));
  appointments = derm_store_list_client_appointments (f->store, f->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (appointments->len, >, 0);
  for (guint i = 0; i < appointments->len; i++)
    g_assert_nonnull (derm_appointment_get_do_not_treat (g_ptr_array_index (appointments, i)));
}

static void
test_store_book (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClinic) clinic = derm_store_load_clinic (f->store, &error);
  g_autoptr (DermPlanProposal) first = NULL;
  g_autoptr (DermPlanProposal) second = NULL;
  g_autoptr (DermPlanProposal) third = NULL;
  g_autoptr (GPtrArray) listed = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (DermSeries) series = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (ZONE);
  g_autoptr (GDateTime) from = g_date_time_new (tz, 2026, 1, 1, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new (tz, 2027, 1, 1, 0, 0, 0);
  int audits_before;

  g_assert_true (derm_clinic_set_time_zone_id (clinic, ZONE));
  g_assert_true (derm_store_save_clinic (f->store, clinic, &error));

  /* Two proposals made from the same state want the same slots */
  first = propose_in_store (f, "2026-01-05");
  second = propose_in_store (f, "2026-01-05");
  g_assert_cmpuint (derm_plan_proposal_get_n_items (first), ==, 5);
  g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (first, 0)), ==,
                   derm_appointment_get_start_local (derm_plan_proposal_get_item (second, 0)));

  g_assert_true (derm_store_book_proposal (f->store, first, &error));
  g_assert_no_error (error);
  series = g_object_ref (derm_plan_proposal_get_series (first));
  g_assert_cmpint (derm_series_get_id (series), >, 0);
  for (guint i = 0; i < 5; i++)
    {
      DermAppointment *item = derm_plan_proposal_get_item (first, i);
      g_assert_cmpint (derm_appointment_get_id (item), >, 0);
      g_assert_cmpint (derm_appointment_get_series_id (item), ==, derm_series_get_id (series));
    }

  /* Someone booked it meanwhile: the second fails whole */
  audits_before = count_rows (f->store, "SELECT count(*) FROM audit_log");
  g_assert_false (derm_store_book_proposal (f->store, second, &error));
  g_assert_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM series"), ==, 1);
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM appointments"), ==, 5);
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM audit_log"), ==, audits_before);
  g_assert_cmpint (derm_appointment_get_id (derm_plan_proposal_get_item (second, 0)), ==, 0);

  /* A fresh proposal for another client sees the booking and goes around it */
  third = propose_for_client (f, add_other_client (f, "John Roe"), "2026-01-05");
  g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (third, 0)), ==, "2026-01-05T10:00");
  g_assert_true (derm_store_book_proposal (f->store, third, &error));
  g_assert_no_error (error);

  listed = derm_store_list_series_appointments (f->store, derm_series_get_id (series), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      DermAppointment *a = g_ptr_array_index (listed, i);
      DermAppointment *b = derm_plan_proposal_get_item (first, i);

      g_assert_cmpint (derm_appointment_get_id (a), ==, derm_appointment_get_id (b));
      g_assert_cmpstr (derm_appointment_get_start_local (a), ==, derm_appointment_get_start_local (b));
      g_assert_cmpstr (derm_appointment_get_time_zone (a), ==, ZONE);
      g_assert_cmpint (derm_appointment_get_start_unix (a), ==, derm_appointment_get_start_unix (b));
      g_assert_cmpstr (derm_appointment_get_client_name (a), ==, "Jane Doe");
      g_assert_cmpstr (derm_appointment_get_protocol_name (a), ==, "Microneedling, face");
      g_assert_cmpstr (derm_appointment_get_room (a), ==, "Room 1");
      g_assert_cmpint (derm_appointment_get_kind (a), ==,
                       i == 4 ? DERM_APPOINTMENT_FOLLOW_UP_PHOTO : DERM_APPOINTMENT_SESSION);
    }

  all = derm_store_list_appointments (f->store, from, to, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 10);

  {
    g_autoptr (DermSeries) stored = derm_store_get_series (f->store, derm_series_get_id (series), &error);
    g_autoptr (GPtrArray) of_client = derm_store_list_series (f->store, f->client_id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (derm_series_get_protocol_name (stored), ==, "Microneedling, face");
    g_assert_cmpuint (derm_series_get_sessions (stored), ==, 4);
    g_assert_cmpstr (derm_series_get_start_date (stored), ==, "2026-01-05");
    g_assert_cmpstr (derm_series_get_client_name (stored), ==, "Jane Doe");
    g_assert_cmpint (derm_series_get_status (stored), ==, DERM_SERIES_ACTIVE);
    g_assert_cmpuint (of_client->len, ==, 1);
  }
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM audit_log WHERE entity = 'appointment'"), ==, 10);
}

/* --- issue 12: every case under "Why" ---------------------------------- */

/* The series of the issue: 2027-01-04, 02-01, 03-01, 03-29 (+ photo), in London */
static DermPlanProposal *
book_issue_series (StoreFixture *f,
                   gint64        client_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClinic) clinic = derm_store_load_clinic (f->store, &error);
  DermPlanProposal *booked;

  g_assert_true (derm_clinic_set_time_zone_id (clinic, "Europe/London"));
  g_assert_true (derm_store_save_clinic (f->store, clinic, &error));
  booked = propose_for_client (f, client_id, "2027-01-04");
  g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (booked, 2)), ==, "2027-03-01T09:00");
  g_assert_true (derm_store_book_proposal (f->store, booked, &error));
  g_assert_no_error (error);
  return booked;
}

static DermPlanProposal *
replan_move (StoreFixture *f,
             gint64        series_id,
             guint         index,
             const char   *to,
             GPtrArray    *findings)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermSeries) series = derm_store_get_series (f->store, series_id, &error);
  g_autoptr (GPtrArray) appointments = derm_store_list_series_appointments (f->store, series_id, &error);
  g_autoptr (DermPlanner) planner = derm_store_load_planner (f->store, NULL, &error);
  g_autoptr (DermAppointment) moved = NULL;
  DermPlanProposal *proposal;

  g_assert_no_error (error);
  moved = derm_appointment_copy (g_ptr_array_index (appointments, index));
  if (to != NULL)
    g_assert_true (derm_appointment_set_start (moved, to, "Europe/London"));
  else
    derm_appointment_set_status (moved, DERM_APPOINTMENT_CANCELLED);
  proposal = derm_planner_replan (planner, series, appointments, moved, findings, NULL, &error);
  g_assert_no_error (error);
  return proposal;
}

static void
test_why_move_before_first (StoreFixture  *f,
                            gconstpointer  data)
{
  g_autoptr (DermPlanProposal) booked = book_issue_series (f, f->client_id);
  gint64 series_id = derm_series_get_id (derm_plan_proposal_get_series (booked));
  g_autoptr (DermPlanProposal) move = replan_move (f, series_id, 2, "2026-12-31T15:00", NULL);
  g_autoptr (GError) error = NULL;

  /* Four days before session 1: the earlier neighbour is checked too */
  g_assert_false (derm_plan_proposal_is_bookable (move));
  g_assert_true (derm_plan_proposal_get_problems (move, 0) & DERM_PLAN_PROBLEM_TOO_CLOSE_NEXT);
  g_assert_false (derm_store_book_proposal (f->store, move, &error));
  g_assert_nonnull (error);
}

static void
test_why_contraindication_without_end (StoreFixture  *f,
                                       gconstpointer  data)
{
  g_autoptr (DermPlanProposal) booked = book_issue_series (f, f->client_id);
  gint64 series_id = derm_series_get_id (derm_plan_proposal_get_series (booked));
  g_autoptr (DermScreening) screening = derm_screening_new ();
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (DermPlanProposal) move = NULL;
  g_autoptr (DermPlanProposal) rebook = NULL;
  g_autoptr (GError) error = NULL;

  derm_screening_set_client_id (screening, f->client_id);
  derm_screening_set_date (screening, "2025-05-20");
  derm_screening_set_answer (screening, DERM_QUESTION_ACTIVE_INFECTION, DERM_ANSWER_YES);
  g_assert_true (derm_store_add_screening (f->store, screening, &error));
  g_assert_no_error (error);
  findings = derm_screening_evaluate (screening, NULL);

  move = replan_move (f, series_id, 1, "2027-02-08T09:00", findings);
  g_assert_true (derm_plan_proposal_get_problems (move, 0) & DERM_PLAN_PROBLEM_CONTRAINDICATED);
  rebook = replan_move (f, series_id, 1, NULL, findings);
  g_assert_false (derm_plan_proposal_is_bookable (rebook));

  /* Even a caller that skips the check is refused by the store */
  g_clear_object (&move);
  move = replan_move (f, series_id, 1, "2027-02-08T09:00", NULL);
  derm_test_assert_bookable (move);
  g_assert_false (derm_store_book_proposal (f->store, move, &error));
  g_assert_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_BLOCKED);
}

/* Two writers from the same read: one moves session 2 (shifting 3 and 4),
 * the other moves session 4; the second is told why and nothing breaks */
static void
test_why_concurrent_reschedules (StoreFixture  *f,
                                 gconstpointer  data)
{
  g_autoptr (DermPlanProposal) booked = book_issue_series (f, f->client_id);
  gint64 series_id = derm_series_get_id (derm_plan_proposal_get_series (booked));
  g_autoptr (DermPlanProposal) first = replan_move (f, series_id, 1, "2027-02-15T09:00", NULL);
  g_autoptr (DermPlanProposal) second = replan_move (f, series_id, 3, "2027-04-05T09:00", NULL);
  g_autoptr (DermStore) other = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GError) error = NULL;

  derm_test_assert_bookable (first);
  derm_test_assert_bookable (second);
  /* Another process: its own connection to the same file */
  other = derm_store_open (f->dir, &error);
  g_assert_no_error (error);
  derm_store_set_clock (other, test_now ());
  g_assert_true (derm_store_book_proposal (other, first, &error));
  g_assert_no_error (error);
  g_assert_false (derm_store_book_proposal (f->store, second, &error));
  g_assert_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "changed"));

  after = derm_store_list_series_appointments (f->store, series_id, &error);
  for (guint i = 1; i < after->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (after, i - 1);
      DermAppointment *b = g_ptr_array_index (after, i);
      GDate da, db;

      if (derm_appointment_get_kind (b) != DERM_APPOINTMENT_SESSION)
        continue;
      derm_appointment_get_local_date (a, &da);
      derm_appointment_get_local_date (b, &db);
      g_assert_cmpint ((int) g_date_get_julian (&db) - (int) g_date_get_julian (&da), >=, 28);
    }
}

/* A single consultation for the fixture's client at @local, Room 1,
 * judged by @planner */
static DermPlanProposal *
single_at (StoreFixture *f,
           DermPlanner  *planner,
           const char   *local)
{
  g_autoptr (DermAppointment) item = derm_appointment_new ();

  derm_appointment_set_client_id (item, f->client_id);
  derm_appointment_set_kind (item, DERM_APPOINTMENT_CONSULTATION);
  derm_appointment_set_status (item, DERM_APPOINTMENT_BOOKED);
  derm_appointment_set_duration_minutes (item, 30);
  derm_appointment_set_room (item, "Room 1");
  g_assert_true (derm_appointment_set_start (item, local, ZONE));
  return derm_planner_propose_single (planner, item, NULL);
}

static void
close_day (DermStore  *store,
           guint       day)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClinic) clinic = derm_store_load_clinic (store, &error);
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, G_DATE_JANUARY, 2027);
  derm_clinic_add_closed_date (clinic, &date, "Training");
  g_assert_true (derm_store_save_clinic (store, clinic, &error));
  g_assert_no_error (error);
}

/* plan create --yes loads the planner once: the booking's re-check uses
 * the caller's planner while nothing was committed since it was read, and
 * reads again when another connection or this one changed anything - a
 * day closed meanwhile is still refused */
static void
test_store_recheck_shares_planner (StoreFixture  *f,
                                   gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) other = derm_store_open (f->dir, &error);
  guint loads = 0, reuses = 0;

  g_assert_no_error (error);
  derm_store_set_clock (other, test_now ());

  /* Nothing changed: the caller's planner, no second read */
  {
    g_autoptr (DermPlanner) planner = derm_store_load_planner (f->store, NULL, &error);
    g_autoptr (DermPlanProposal) proposal = single_at (f, planner, "2027-01-05T10:00");

    derm_test_assert_bookable (proposal);
    g_assert_true (derm_store_book_proposal_with (f->store, proposal, planner, &error));
    g_assert_no_error (error);
    derm_store_get_planner_counts (f->store, &loads, &reuses);
    g_assert_cmpuint (loads, ==, 0);
    g_assert_cmpuint (reuses, ==, 1);
  }

  /* Another process closes the day after the planner was read: read again, refused */
  {
    g_autoptr (DermPlanner) planner = derm_store_load_planner (f->store, NULL, &error);
    g_autoptr (DermPlanProposal) proposal = single_at (f, planner, "2027-01-06T10:00");

    derm_test_assert_bookable (proposal);
    close_day (other, 6);
    g_assert_false (derm_store_book_proposal_with (f->store, proposal, planner, &error));
    g_assert_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT);
    g_assert_nonnull (strstr (error->message, "closed"));
    g_clear_error (&error);
    derm_store_get_planner_counts (f->store, &loads, &reuses);
    g_assert_cmpuint (loads, ==, 1);
    g_assert_cmpuint (reuses, ==, 1);
  }

  /* This connection closes it: its own change is seen too */
  {
    g_autoptr (DermPlanner) planner = derm_store_load_planner (f->store, NULL, &error);
    g_autoptr (DermPlanProposal) proposal = single_at (f, planner, "2027-01-07T10:00");

    derm_test_assert_bookable (proposal);
    close_day (f->store, 7);
    g_assert_false (derm_store_book_proposal_with (f->store, proposal, planner, &error));
    g_assert_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT);
    g_clear_error (&error);
    derm_store_get_planner_counts (f->store, &loads, &reuses);
    g_assert_cmpuint (loads, ==, 2);
    g_assert_cmpuint (reuses, ==, 1);
  }

  /* A planner of another connection is never taken for this one's */
  {
    g_autoptr (DermPlanner) planner = derm_store_load_planner (other, NULL, &error);
    g_autoptr (DermPlanProposal) proposal = single_at (f, planner, "2027-01-08T10:00");

    g_assert_true (derm_store_book_proposal_with (f->store, proposal, planner, &error));
    g_assert_no_error (error);
    derm_store_get_planner_counts (f->store, &loads, &reuses);
    g_assert_cmpuint (loads, ==, 3);
    g_assert_cmpuint (reuses, ==, 1);
  }
}

/* A practitioner renamed keeps their hours and leave (keyed by their
 * id, not the name) and their bookings still to come; a clinic saved
 * afterwards keeps the id; an unknown or taken name is refused */
static void
test_store_rename_practitioner (StoreFixture  *f,
                                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClinic) clinic = derm_store_load_clinic (f->store, &error);
  g_autoptr (DermClinic) renamed = NULL;
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (DermAppointment) stored = NULL;
  g_autoptr (DermAppointment) item = derm_appointment_new ();
  const char * const people[] = { "Ana", "Bea Klein", NULL };
  g_autofree char *hours = NULL;
  g_auto (GStrv) leave = NULL;
  gint64 id_before;
  GDate day;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 1, G_DATE_FEBRUARY, 2027);
  derm_clinic_set_practitioners (clinic, people);
  g_assert_true (derm_clinic_set_practitioner_hours_string (clinic, "Bea Klein", G_DATE_TUESDAY, "09:00-13:00", &error));
  g_assert_true (derm_clinic_add_practitioner_leave (clinic, "Bea Klein", &day, "Course", &error));
  g_assert_true (derm_store_save_clinic (f->store, clinic, &error));
  g_assert_no_error (error);
  id_before = count_rows (f->store, "SELECT id FROM practitioners WHERE name = 'Bea Klein'");

  /* A booking of hers, Tuesday morning */
  planner = derm_store_load_planner (f->store, NULL, &error);
  derm_appointment_set_client_id (item, f->client_id);
  derm_appointment_set_kind (item, DERM_APPOINTMENT_CONSULTATION);
  derm_appointment_set_status (item, DERM_APPOINTMENT_BOOKED);
  derm_appointment_set_duration_minutes (item, 30);
  derm_appointment_set_room (item, "Room 1");
  derm_appointment_set_practitioner (item, "Bea Klein");
  g_assert_true (derm_appointment_set_start (item, "2027-01-05T10:00", ZONE));
  proposal = derm_planner_propose_single (planner, item, NULL);
  derm_test_assert_bookable (proposal);
  g_assert_true (derm_store_book_proposal (f->store, proposal, &error));
  g_assert_no_error (error);

  g_assert_true (derm_store_rename_practitioner (f->store, "Bea Klein", "Bea Schmidt", &error));
  g_assert_no_error (error);
  renamed = derm_store_load_clinic (f->store, &error);
  g_assert_false (derm_clinic_has_practitioner (renamed, "Bea Klein"));
  hours = derm_clinic_dup_practitioner_hours_string (renamed, "Bea Schmidt", G_DATE_TUESDAY);
  g_assert_cmpstr (hours, ==, "09:00-13:00");
  leave = derm_clinic_dup_practitioner_leave (renamed, "Bea Schmidt");
  g_assert_cmpuint (g_strv_length (leave), ==, 1);
  g_assert_cmpstr (derm_clinic_get_practitioner_leave_label (renamed, "Bea Schmidt", &day), ==, "Course");
  stored = derm_store_get_appointment (f->store, derm_appointment_get_id (item), &error);
  g_assert_cmpstr (derm_appointment_get_practitioner (stored), ==, "Bea Schmidt");
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM audit_log WHERE action = 'rename'"), ==, 1);

  /* Saving the clinic again (as Preferences does) keeps her id and week */
  g_assert_true (derm_store_save_clinic (f->store, renamed, &error));
  g_assert_cmpint (count_rows (f->store, "SELECT id FROM practitioners WHERE name = 'Bea Schmidt'"), ==, id_before);
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM practitioner_hours"), ==, 1);

  /* Unknown, taken, empty: refused, nothing changed */
  g_assert_false (derm_store_rename_practitioner (f->store, "Nobody", "Cara", &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (derm_store_rename_practitioner (f->store, "Ana", "Bea Schmidt", &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (derm_store_rename_practitioner (f->store, "Ana", "  ", &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM practitioners WHERE name = 'Ana'"), ==, 1);

  /* Removed: her week goes with her */
  {
    const char * const only_ana[] = { "Ana", NULL };

    derm_clinic_set_practitioners (renamed, only_ana);
    g_assert_true (derm_store_save_clinic (f->store, renamed, &error));
    g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM practitioner_hours"), ==, 0);
    g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM practitioner_leave"), ==, 0);
  }
}

/* --- two writers, randomised ----------------------------------------- */

/* Every appointment of 2027 and the first half of 2028, by start */
static GPtrArray *
two_writers_all (DermStore *store)
{
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 12, 1, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2028, 7, 1, 0, 0, 0);
  g_autoptr (GError) error = NULL;
  GPtrArray *all = derm_store_list_appointments (store, from, to, &error);

  g_assert_no_error (error);
  return all;
}

/* A random move, cancellation with rebooking or single booking, planned
 * from what @store reads now, as a second window or dermis-cli would;
 * NULL when the planner finds no way (nothing to book then) */
static DermPlanProposal *
two_writers_operation (DermStore     *store,
                       GRand         *rand,
                       gint64         focus,
                       guint         *kind_out)
{
  static const char * const rooms[] = { "Room 1", "Room 2" };
  static const char * const people[] = { "Ana", "Bea" };
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPlanner) planner = derm_store_load_planner (store, NULL, &error);
  g_autoptr (GPtrArray) all = two_writers_all (store);
  g_autoptr (GPtrArray) booked = g_ptr_array_new ();
  g_autofree char *local = NULL;
  DermPlanProposal *proposal = NULL;
  guint kind = (guint) g_rand_int_range (rand, 0, 3);
  GDate day;

  g_assert_no_error (error);
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 4, G_DATE_JANUARY, 2027);
  g_date_add_days (&day, (guint) g_rand_int_range (rand, 0, 120));
  {
    int minute = 9 * 60 + 15 * g_rand_int_range (rand, 0, 30);
    g_autofree char *iso = derm_date_format (&day);

    local = g_strdup_printf ("%sT%02d:%02d", iso, minute / 60, minute % 60);
  }
  for (guint i = 0; i < all->len; i++)
    if (derm_appointment_get_status (g_ptr_array_index (all, i)) == DERM_APPOINTMENT_BOOKED &&
        derm_appointment_get_client_id (g_ptr_array_index (all, i)) == focus)
      g_ptr_array_add (booked, g_ptr_array_index (all, i));
  if (booked->len == 0)
    kind = 2;
  *kind_out = kind;

  if (kind == 2)
    {
      g_autoptr (DermAppointment) item = derm_appointment_new ();

      derm_appointment_set_client_id (item, focus);
      derm_appointment_set_kind (item, g_rand_boolean (rand) ? DERM_APPOINTMENT_CONSULTATION : DERM_APPOINTMENT_SESSION);
      derm_appointment_set_status (item, DERM_APPOINTMENT_BOOKED);
      derm_appointment_set_duration_minutes (item, g_rand_boolean (rand) ? 30 : 60);
      derm_appointment_set_room (item, rooms[g_rand_int_range (rand, 0, 2)]);
      derm_appointment_set_practitioner (item, people[g_rand_int_range (rand, 0, 2)]);
      g_assert_true (derm_appointment_set_start (item, local, "Europe/London"));
      return derm_planner_propose_single (planner, item, NULL);
    }

  {
    DermAppointment *original = g_ptr_array_index (booked, g_rand_int_range (rand, 0, (int) booked->len));
    g_autoptr (DermAppointment) changed = derm_appointment_copy (original);
    gint64 series_id = derm_appointment_get_series_id (original);

    if (kind == 0)
      g_assert_true (derm_appointment_set_start (changed, local, "Europe/London"));
    else
      derm_appointment_set_status (changed, DERM_APPOINTMENT_CANCELLED);
    if (series_id > 0)
      {
        g_autoptr (DermSeries) series = derm_store_get_series (store, series_id, &error);
        g_autoptr (GPtrArray) context = derm_store_list_series_appointments (store, series_id, &error);

        g_assert_no_error (error);
        proposal = derm_planner_replan (planner, series, context, changed, NULL, NULL, &error);
        g_clear_error (&error);
      }
    else
      {
        proposal = derm_plan_proposal_new (DERM_PLAN_PROPOSAL_RESCHEDULE, NULL);
        derm_plan_proposal_add_item (proposal, changed, original, DERM_PLAN_FLAG_CHANGED);
        derm_planner_check_proposal (planner, proposal, NULL);
      }
  }
  return proposal;
}

static gboolean
two_writers_overlap (DermAppointment *a,
                     DermAppointment *b)
{
  return derm_appointment_get_start_unix (a) < derm_appointment_get_end_unix (b) &&
         derm_appointment_get_start_unix (b) < derm_appointment_get_end_unix (a);
}

/* What holds after every round, read from committed state: no room,
 * practitioner or client twice at once; no booking breaking a rule (the
 * store's re-validation finds nothing); nothing lost (never fewer rows;
 * every session of every active series held by exactly one booking) */
static void
two_writers_check (DermStore    *store,
                   const gint64 *clients,
                   guint         n_clients,
                   guint        *n_rows)
{
  g_autoptr (GPtrArray) all = two_writers_all (store);
  g_autoptr (GPtrArray) booked = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (all->len, >=, *n_rows);
  *n_rows = all->len;

  for (guint i = 0; i < all->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (all, i);

      if (!derm_appointment_occupies (a))
        continue;
      if (derm_appointment_get_status (a) == DERM_APPOINTMENT_BOOKED)
        g_ptr_array_add (booked, a);
      for (guint j = i + 1; j < all->len; j++)
        {
          DermAppointment *b = g_ptr_array_index (all, j);

          if (!derm_appointment_occupies (b) || !two_writers_overlap (a, b))
            continue;
          g_assert_cmpstr (derm_appointment_get_room (a), !=, derm_appointment_get_room (b));
          if (derm_appointment_get_practitioner (a) != NULL)
            g_assert_cmpstr (derm_appointment_get_practitioner (a), !=, derm_appointment_get_practitioner (b));
          g_assert_cmpint (derm_appointment_get_client_id (a), !=, derm_appointment_get_client_id (b));
        }
    }

  g_assert_true (derm_store_revalidate_appointments (store, booked, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < booked->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (booked, i);

      if (derm_appointment_get_problems (a) != 0)
        g_test_message ("appointment %" G_GINT64_FORMAT " at %s breaks a rule: %s",
                        derm_appointment_get_id (a), derm_appointment_get_start_local (a),
                        derm_appointment_get_problem_message (a));
      g_assert_cmpuint (derm_appointment_get_problems (a), ==, 0);
    }

  for (guint c = 0; c < n_clients; c++)
    {
      g_autoptr (GPtrArray) series = derm_store_list_series (store, clients[c], &error);

      g_assert_no_error (error);
      for (guint s = 0; s < series->len; s++)
        {
          DermSeries *one = g_ptr_array_index (series, s);
          g_autoptr (GPtrArray) items = derm_store_list_series_appointments (store, derm_series_get_id (one), &error);

          g_assert_no_error (error);
          if (derm_series_get_status (one) == DERM_SERIES_CANCELLED)
            continue;
          for (guint k = 1; k <= derm_series_get_sessions (one); k++)
            {
              guint held = 0;

              for (guint i = 0; i < items->len; i++)
                {
                  DermAppointment *a = g_ptr_array_index (items, i);

                  held += derm_appointment_get_kind (a) == DERM_APPOINTMENT_SESSION &&
                          derm_appointment_get_session_index (a) == k && derm_appointment_occupies (a);
                }
              g_assert_cmpuint (held, ==, 1);
            }
        }
    }
}

/* Two writers on one database file, each with its own connection as two
 * processes have (a window and dermis-cli): every round both plan a random
 * move, cancellation with rebooking or single booking for the same
 * client from the same committed state, then both book, in random order. The second is judged
 * against what the first committed; after every round the invariants
 * above hold. */
static void
test_two_writers_randomised (StoreFixture  *f,
                             gconstpointer  data)
{
  static const char * const rooms[] = { "Room 1", "Room 2", NULL };
  static const char * const people[] = { "Ana", "Bea", NULL };
  guint32 seed = g_test_rand_int ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (DermStore) other = NULL;
  g_autoptr (GError) error = NULL;
  guint n_rounds = g_test_slow () ? 300 : 60;
  guint n_rows = 0, n_booked = 0, n_refused = 0, n_kinds[3] = { 0 };
  gint64 clients[4];

  g_test_message ("seed %u", seed);
  {
    g_autoptr (DermClinic) clinic = derm_store_load_clinic (f->store, &error);

    g_assert_true (derm_clinic_set_time_zone_id (clinic, "Europe/London"));
    derm_clinic_set_rooms (clinic, rooms);
    derm_clinic_set_practitioners (clinic, people);
    g_assert_true (derm_store_save_clinic (f->store, clinic, &error));
    g_assert_no_error (error);
  }
  clients[0] = f->client_id;
  clients[1] = add_other_client (f, "Amira Haddad");
  clients[2] = add_other_client (f, "Tom Evans");
  clients[3] = add_other_client (f, "Zoë Müller");
  for (guint c = 0; c < G_N_ELEMENTS (clients); c++)
    {
      g_autofree char *start = g_strdup_printf ("2027-01-%02u", 4 + c);
      g_autoptr (DermPlanProposal) series = propose_for_client (f, clients[c], start);

      g_assert_true (derm_store_book_proposal (f->store, series, &error));
      g_assert_no_error (error);
    }
  other = derm_store_open (f->dir, &error);
  g_assert_no_error (error);
  derm_store_set_clock (other, test_now ());
  two_writers_check (f->store, clients, G_N_ELEMENTS (clients), &n_rows);

  for (guint round = 0; round < n_rounds; round++)
    {
      DermStore *writers[2] = { f->store, other };
      DermPlanProposal *plans[2] = { NULL, NULL };
      guint first = (guint) g_rand_int_range (rand, 0, 2);
      /* Both writers on the same client's bookings: the races that matter */
      gint64 focus = clients[g_rand_int_range (rand, 0, G_N_ELEMENTS (clients))];

      for (guint w = 0; w < 2; w++)
        {
          guint kind = 0;

          plans[w] = two_writers_operation (writers[w], rand, focus, &kind);
          n_kinds[kind]++;
        }
      for (guint k = 0; k < 2; k++)
        {
          guint w = (first + k) % 2;

          if (plans[w] == NULL || !derm_plan_proposal_is_bookable (plans[w]))
            continue;
          if (derm_store_book_proposal (writers[w], plans[w], &error))
            n_booked++;
          else
            {
              /* Refused by a rule or the series' version, never a failure */
              g_assert_true (error->domain == DERM_PLANNER_ERROR);
              g_clear_error (&error);
              n_refused++;
            }
        }
      g_clear_object (&plans[0]);
      g_clear_object (&plans[1]);
      two_writers_check (other, clients, G_N_ELEMENTS (clients), &n_rows);
    }
  g_test_message ("%u rounds: %u moves, %u rebookings, %u single bookings planned; %u booked, %u refused at commit",
                  n_rounds, n_kinds[0], n_kinds[1], n_kinds[2], n_booked, n_refused);
  /* The run did something: bookings from both, and some refused */
  g_assert_cmpuint (n_booked, >, n_rounds / 2);
}

/* One client, two series with the same start: never the same hour, and
 * the second keeps the minimum interval from the first */
static void
test_why_same_client_two_series (StoreFixture  *f,
                                 gconstpointer  data)
{
  g_autoptr (DermPlanProposal) booked = book_issue_series (f, f->client_id);
  g_autoptr (DermPlanProposal) again = propose_for_client (f, f->client_id, "2027-01-04");
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < derm_plan_proposal_get_n_items (again); i++)
    for (guint j = 0; j < derm_plan_proposal_get_n_items (booked); j++)
      g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (again, i)), !=,
                       derm_appointment_get_start_local (derm_plan_proposal_get_item (booked, j)));

  /* Forced onto the first series' hours in another room: refused */
  {
    g_autoptr (DermClinic) clinic = derm_store_load_clinic (f->store, &error);
    const char *rooms[] = { "Room 1", "Room 2", NULL };
    DermAppointment *item = derm_plan_proposal_get_item (again, 0);

    derm_clinic_set_rooms (clinic, rooms);
    g_assert_true (derm_store_save_clinic (f->store, clinic, &error));
    g_assert_true (derm_appointment_set_start (item, "2027-01-04T09:00", "Europe/London"));
    derm_appointment_set_room (item, "Room 2");
    g_assert_false (derm_store_book_proposal (f->store, again, &error));
    g_assert_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT);
  }
}

/* Past starts, the slot step, 26 weeks after the previous session, the
 * follow-up before the last session */
static void
test_why_past_step_max_follow_up (StoreFixture  *f,
                                  gconstpointer  data)
{
  g_autoptr (DermPlanProposal) booked = book_issue_series (f, f->client_id);
  gint64 series_id = derm_series_get_id (derm_plan_proposal_get_series (booked));
  g_autoptr (DermPlanProposal) past = replan_move (f, series_id, 0, "2025-01-06T09:00", NULL);
  g_autoptr (DermPlanProposal) odd = replan_move (f, series_id, 0, "2027-01-04T16:07", NULL);
  g_autoptr (DermPlanProposal) late = replan_move (f, series_id, 3, "2027-08-30T09:00", NULL);
  g_autoptr (DermPlanProposal) photo = replan_move (f, series_id, 4, "2027-03-22T09:00", NULL);

  g_assert_true (derm_plan_proposal_get_problems (past, 0) & DERM_PLAN_PROBLEM_IN_PAST);
  g_assert_true (derm_plan_proposal_get_problems (odd, 0) & DERM_PLAN_PROBLEM_OFF_STEP);
  g_assert_true (derm_plan_proposal_get_flags (late, 0) & DERM_PLAN_FLAG_BEYOND_MAX);
  g_assert_true (derm_plan_proposal_get_problems (photo, 0) & DERM_PLAN_PROBLEM_FOLLOW_UP_EARLY);
}

static void
test_store_reschedule (StoreFixture  *f,
                       gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClinic) clinic = derm_store_load_clinic (f->store, &error);
  g_autoptr (DermPlanProposal) booked = NULL;
  g_autoptr (DermPlanProposal) shift = NULL;
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (GPtrArray) appointments = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (DermAppointment) moved = NULL;
  g_autoptr (DermSeries) series = NULL;
  g_autoptr (DermSeries) done_series = NULL;
  g_autoptr (DermClient) client = derm_client_new ();
  gint64 series_id;

  g_assert_true (derm_clinic_set_time_zone_id (clinic, ZONE));
  g_assert_true (derm_store_save_clinic (f->store, clinic, &error));
  booked = propose_in_store (f, "2026-01-05");
  g_assert_true (derm_store_book_proposal (f->store, booked, &error));
  series_id = derm_series_get_id (derm_plan_proposal_get_series (booked));

  series = derm_store_get_series (f->store, series_id, &error);
  appointments = derm_store_list_series_appointments (f->store, series_id, &error);
  planner = derm_store_load_planner (f->store, NULL, &error);
  g_assert_no_error (error);

  /* Session 2 moves two weeks later; 3 and 4 follow after confirmation */
  moved = derm_appointment_copy (g_ptr_array_index (appointments, 1));
  derm_appointment_set_start (moved, "2026-02-16T09:00", ZONE);
  shift = derm_planner_replan (planner, series, appointments, moved, NULL, NULL, &error);
  g_assert_no_error (error);
  /* Session 2 moved, 3 and 4 shifted, and the follow-up photo after them */
  g_assert_cmpuint (derm_plan_proposal_get_n_items (shift), ==, 4);
  g_assert_cmpint (derm_appointment_get_kind (derm_plan_proposal_get_item (shift, 3)), ==,
                   DERM_APPOINTMENT_FOLLOW_UP_PHOTO);
  g_assert_cmpstr (derm_appointment_get_start_local (derm_plan_proposal_get_item (shift, 3)), ==,
                   "2026-07-06T09:00");
  derm_test_assert_bookable (shift);

  /* Nothing moved yet */
  after = derm_store_list_series_appointments (f->store, series_id, &error);
  g_assert_cmpstr (derm_appointment_get_start_local (g_ptr_array_index (after, 2)), ==, "2026-03-02T09:00");
  g_clear_pointer (&after, g_ptr_array_unref);

  g_assert_true (derm_store_book_proposal (f->store, shift, &error));
  g_assert_no_error (error);
  after = derm_store_list_series_appointments (f->store, series_id, &error);
  g_assert_cmpstr (derm_appointment_get_start_local (g_ptr_array_index (after, 1)), ==, "2026-02-16T09:00");
  g_assert_cmpstr (derm_appointment_get_start_local (g_ptr_array_index (after, 2)), ==, "2026-03-16T09:00");
  g_assert_cmpstr (derm_appointment_get_start_local (g_ptr_array_index (after, 3)), ==, "2026-04-13T09:00");
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM audit_log WHERE entity = 'appointment' "
                                         "AND action = 'update' AND fields = 'start'"), ==, 4);

  /* A single move onto a taken slot is refused */
  {
    g_autoptr (DermAppointment) clash = derm_appointment_copy (g_ptr_array_index (after, 2));
    derm_appointment_set_start (clash, "2026-02-16T09:30", ZONE);
    g_assert_false (derm_store_update_appointment (f->store, clash, &error));
    g_assert_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT);
    g_clear_error (&error);
  }

  /* Cancel and restore */
  g_assert_true (derm_store_set_appointment_status (f->store, derm_appointment_get_id (g_ptr_array_index (after, 3)),
                                                    DERM_APPOINTMENT_CANCELLED, &error));
  g_assert_false (derm_store_set_appointment_status (f->store, 999999, DERM_APPOINTMENT_CANCELLED, &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (derm_store_set_appointment_status (f->store, derm_appointment_get_id (g_ptr_array_index (after, 3)),
                                                    DERM_APPOINTMENT_BOOKED, &error));

  /* A restore the rules now refuse says why in a plain sentence, the
   * clinic's day and time formatted, none of the plan's notes */
  {
    gint64 id = derm_appointment_get_id (g_ptr_array_index (after, 3));
    g_autoptr (DermClinic) closing = derm_store_load_clinic (f->store, &error);
    GDate day;

    g_date_clear (&day, 1);
    g_date_set_dmy (&day, 13, G_DATE_APRIL, 2026);
    g_assert_true (derm_store_set_appointment_status (f->store, id, DERM_APPOINTMENT_CANCELLED, &error));
    derm_clinic_add_closed_date (closing, &day, "Training");
    g_assert_true (derm_store_save_clinic (f->store, closing, &error));
    g_assert_false (derm_store_set_appointment_status (f->store, id, DERM_APPOINTMENT_BOOKED, &error));
    g_assert_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT);
    g_assert_cmpstr (error->message, ==,
                     "Nothing was booked: on Monday 13 April 2026 at 09:00, the clinic is closed that day.");
    g_clear_error (&error);
    derm_clinic_remove_closed_date (closing, &day);
    g_assert_true (derm_store_save_clinic (f->store, closing, &error));
    g_assert_true (derm_store_set_appointment_status (f->store, id, DERM_APPOINTMENT_BOOKED, &error));
    g_assert_no_error (error);
  }

  /* Done, one by one: the series completes with its last session */
  derm_client_set_name (client, "Unused");
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr (DermTreatment) treatment = derm_planner_prefill_treatment (g_ptr_array_index (after, i));

      g_assert_true (derm_store_add_treatment (f->store, treatment, &error));
      g_assert_no_error (error);
      g_assert_true (derm_store_mark_appointment_done (f->store, derm_appointment_get_id (g_ptr_array_index (after, i)),
                                                       derm_treatment_get_id (treatment), &error));
      g_assert_no_error (error);
      done_series = derm_store_get_series (f->store, series_id, &error);
      g_assert_cmpint (derm_series_get_status (done_series), ==, i == 3 ? DERM_SERIES_COMPLETED : DERM_SERIES_ACTIVE);
      g_clear_object (&done_series);
    }
  {
    g_autoptr (DermAppointment) done = derm_store_get_appointment (f->store, derm_appointment_get_id (g_ptr_array_index (after, 0)), &error);
    g_assert_cmpint (derm_appointment_get_status (done), ==, DERM_APPOINTMENT_DONE);
    g_assert_cmpint (derm_appointment_get_treatment_id (done), >, 0);
  }
  g_assert_false (derm_store_set_appointment_status (f->store, 1, DERM_APPOINTMENT_DONE, &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
}

/* A proposal with problems or blocked is refused before writing */
static void
test_store_refuses (StoreFixture  *f,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPlanProposal) proposal = propose_in_store (f, "2026-01-05");
  g_autoptr (DermPlanProposal) blocked = NULL;
  g_autoptr (DermPlanner) planner = derm_store_load_planner (f->store, NULL, &error);
  g_autoptr (DermProtocol) protocol = derm_store_find_protocol (f->store, "1", &error);
  g_autoptr (GPtrArray) findings = findings_with (DERM_SEVERITY_CONTRAINDICATION, "open-wounds", NULL);
  DermPlanRequest request = { 0 };

  derm_appointment_set_start (derm_plan_proposal_get_item (proposal, 1), "2026-02-01T10:00", ZONE);
  derm_planner_check_proposal (planner, proposal, NULL);
  g_assert_false (derm_store_book_proposal (f->store, proposal, &error));
  g_assert_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_INVALID);
  g_clear_error (&error);

  request.protocol = protocol;
  request.client_id = f->client_id;
  request.start_date = "2026-01-05";
  request.findings = findings;
  blocked = derm_planner_propose_series (planner, &request, &error);
  g_assert_no_error (error);
  g_assert_false (derm_store_book_proposal (f->store, blocked, &error));
  g_assert_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_BLOCKED);
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM appointments"), ==, 0);
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM series"), ==, 0);
}

/* A booked session on a day the latest screening no longer covers is
 * listed as "re-screen first", even when it was booked while it did */
static void
test_store_screening_outdated (StoreFixture  *f,
                               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermScreening) screening = derm_screening_new ();
  g_autoptr (DermPlanProposal) proposal = propose_in_store (f, "2026-01-05");
  g_autoptr (GPtrArray) booked = NULL;
  guint outdated = 0, sessions = 0;

  g_assert_true (derm_store_book_proposal (f->store, proposal, &error));
  g_assert_no_error (error);

  /* screened 1 September 2025: covered until 1 March 2026 */
  derm_screening_set_client_id (screening, f->client_id);
  derm_screening_set_date (screening, "2025-09-01");
  g_assert_true (derm_store_add_screening (f->store, screening, &error));
  g_assert_no_error (error);

  booked = derm_store_list_client_appointments (f->store, f->client_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < booked->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (booked, i);
      GDate day, limit;

      if (derm_appointment_get_kind (a) != DERM_APPOINTMENT_SESSION)
        {
          g_assert_false (derm_appointment_get_screening_outdated (a));
          continue;
        }
      sessions++;
      g_assert_true (derm_appointment_get_local_date (a, &day));
      g_assert_true (derm_date_parse ("2026-03-01", &limit));
      g_assert_cmpint (derm_appointment_get_screening_outdated (a), ==, g_date_compare (&day, &limit) >= 0);
      g_assert_cmpint (derm_appointment_get_screening_need (a), ==,
                       derm_appointment_get_screening_outdated (a) ? DERM_SCREENING_NEED_RESCREEN
                                                                  : DERM_SCREENING_NEED_NONE);
      outdated += derm_appointment_get_screening_outdated (a);
    }
  g_assert_cmpuint (sessions, ==, 4);
  /* 5 Jan and 2 Feb are covered; 2 Mar and 30 Mar are not */
  g_assert_cmpuint (outdated, ==, 2);
}

static gboolean
contains_ci (const char *text,
             const char *part)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  return strstr (lower, part) != NULL;
}

/* Issue 12: a client never screened is told "screen first", not
 * "re-screen first", in the proposal, the stored booking and its JSON
 * key; a screening since the booking clears it */
static void
test_why_never_screened (StoreFixture  *f,
                         gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPlanner) planner = derm_store_load_planner (f->store, NULL, &error);
  g_autoptr (DermProtocol) protocol = derm_store_find_protocol (f->store, "Microneedling, face", &error);
  g_autoptr (GPtrArray) never = NULL;
  g_autoptr (GPtrArray) old = NULL;
  g_autoptr (DermScreening) long_ago = derm_screening_new ();
  g_autoptr (DermScreening) fresh = derm_screening_new ();
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (DermPlanProposal) outdated = NULL;
  g_autoptr (GPtrArray) booked = NULL;
  DermPlanRequest request = { 0 };
  GDate today;

  g_assert_no_error (error);
  /* the store's clock: 1 June 2025 */
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, G_DATE_JUNE, 2025);
  never = derm_screening_evaluate (NULL, &today);
  request.protocol = protocol;
  request.client_id = f->client_id;
  request.start_date = "2025-06-09";
  request.preferred_time = -1;
  request.findings = never;
  proposal = derm_planner_propose_series (planner, &request, &error);
  g_assert_no_error (error);
  derm_test_assert_bookable (proposal);
  g_assert_cmpuint (derm_plan_proposal_get_flags (proposal, 0) & DERM_PLAN_FLAG_NEVER_SCREENED, !=, 0);
  g_assert_cmpuint (derm_plan_proposal_get_flags (proposal, 0) & DERM_PLAN_FLAG_RESCREEN_FIRST, !=, 0);
  g_assert_nonnull (strstr (derm_plan_proposal_get_message (proposal, 0), "never been screened"));
  g_assert_false (contains_ci (derm_plan_proposal_get_message (proposal, 0), "re-screen"));
  g_assert_cmpint (derm_appointment_get_screening_need (derm_plan_proposal_get_item (proposal, 0)), ==,
                   DERM_SCREENING_NEED_FIRST);
  g_assert_cmpstr (derm_screening_need_to_key (DERM_SCREENING_NEED_FIRST), ==, "first-screening");

  /* Screened, but more than six months ago: "re-screen first" */
  derm_screening_set_client_id (long_ago, f->client_id);
  derm_screening_set_date (long_ago, "2024-09-01");
  old = derm_screening_evaluate (long_ago, &today);
  request.findings = old;
  outdated = derm_planner_propose_series (planner, &request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (derm_plan_proposal_get_flags (outdated, 0) & DERM_PLAN_FLAG_NEVER_SCREENED, ==, 0);
  g_assert_cmpuint (derm_plan_proposal_get_flags (outdated, 0) & DERM_PLAN_FLAG_RESCREEN_FIRST, !=, 0);
  g_assert_true (contains_ci (derm_plan_proposal_get_message (outdated, 0), "re-screen first"));
  g_assert_cmpint (derm_appointment_get_screening_need (derm_plan_proposal_get_item (outdated, 0)), ==,
                   DERM_SCREENING_NEED_RESCREEN);

  /* Booked while never screened: every session reads "screen first" */
  g_assert_true (derm_store_book_proposal (f->store, proposal, &error));
  g_assert_no_error (error);
  booked = derm_store_list_client_appointments (f->store, f->client_id, &error);
  g_assert_no_error (error);
  g_assert_true (derm_appointment_get_rescreen_first (g_ptr_array_index (booked, 0)));
  for (guint i = 0; i < booked->len; i++)
    if (derm_appointment_get_kind (g_ptr_array_index (booked, i)) == DERM_APPOINTMENT_SESSION)
      g_assert_cmpint (derm_appointment_get_screening_need (g_ptr_array_index (booked, i)), ==,
                       DERM_SCREENING_NEED_FIRST);
  g_clear_pointer (&booked, g_ptr_array_unref);

  /* Screened the week before: nothing left to say, and the flag stored at
   * booking no longer reads true */
  derm_screening_set_client_id (fresh, f->client_id);
  derm_screening_set_date (fresh, "2025-06-02");
  g_assert_true (derm_store_add_screening (f->store, fresh, &error));
  g_assert_no_error (error);
  booked = derm_store_list_client_appointments (f->store, f->client_id, &error);
  g_assert_no_error (error);
  /* four sessions: no follow-up photo was asked for */
  g_assert_cmpuint (booked->len, ==, 4);
  for (guint i = 0; i < booked->len; i++)
    {
      g_assert_cmpint (derm_appointment_get_screening_need (g_ptr_array_index (booked, i)), ==,
                       DERM_SCREENING_NEED_NONE);
      g_assert_false (derm_appointment_get_rescreen_first (g_ptr_array_index (booked, i)));
    }
}

/* Issue 12, re-validation: a booking that a later change broke (a closed
 * day, a removed room, a contraindication found at a screening) is
 * flagged with the reason, stays where it is, and a past one is left alone */
static void
test_revalidate (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPlanProposal) proposal = propose_in_store (f, "2025-06-09");
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (DermScreening) screening = derm_screening_new ();
  g_autoptr (GPtrArray) booked = NULL;
  g_autoptr (GDateTime) later = NULL;
  DermAppointment *second;
  GDate day;

  derm_test_assert_bookable (proposal);
  g_assert_true (derm_store_book_proposal (f->store, proposal, &error));
  g_assert_no_error (error);

#define RELIST() \
  G_STMT_START { \
    g_clear_pointer (&booked, g_ptr_array_unref); \
    booked = derm_store_list_client_appointments (f->store, f->client_id, &error); \
    g_assert_no_error (error); \
    g_assert_true (derm_store_revalidate_appointments (f->store, booked, &error)); \
    g_assert_no_error (error); \
  } G_STMT_END

  RELIST ();
  g_assert_cmpuint (booked->len, ==, 5);
  for (guint i = 0; i < booked->len; i++)
    g_assert_cmpuint (derm_appointment_get_problems (g_ptr_array_index (booked, i)), ==, 0);

  /* The clinic closes on the day of session 2 */
  second = g_ptr_array_index (booked, 1);
  g_assert_true (derm_appointment_get_local_date (second, &day));
  clinic = derm_store_load_clinic (f->store, &error);
  g_assert_no_error (error);
  derm_clinic_add_closed_date (clinic, &day, "Training");
  g_assert_true (derm_store_save_clinic (f->store, clinic, &error));
  g_assert_no_error (error);
  RELIST ();
  for (guint i = 0; i < booked->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (booked, i);

      if (i == 1)
        {
          g_auto (GStrv) keys = derm_plan_problems_to_keys (derm_appointment_get_problems (a));

          g_assert_cmpuint (derm_appointment_get_problems (a), ==, DERM_PLAN_PROBLEM_CLOSED_DAY);
          g_assert_true (g_strv_contains ((const char * const *) keys, "closed-day"));
          g_assert_nonnull (derm_appointment_get_problem_message (a));
          g_assert_true (contains_ci (derm_appointment_get_problem_message (a), "closed"));
          /* never moved: it is where it was booked */
          g_assert_cmpstr (derm_appointment_get_start_local (a), ==,
                           derm_appointment_get_start_local (derm_plan_proposal_get_item (proposal, 1)));
        }
      else
        g_assert_cmpuint (derm_appointment_get_problems (a), ==, 0);
    }

  /* The room goes */
  {
    const char *rooms[] = { "Room 9", NULL };

    derm_clinic_set_rooms (clinic, rooms);
    g_assert_true (derm_store_save_clinic (f->store, clinic, &error));
    g_assert_no_error (error);
  }
  RELIST ();
  for (guint i = 0; i < booked->len; i++)
    g_assert_cmpuint (derm_appointment_get_problems (g_ptr_array_index (booked, i)) &
                      DERM_PLAN_PROBLEM_UNKNOWN_ROOM, !=, 0);

  /* A screening finds an active infection (no end date): every session */
  derm_screening_set_client_id (screening, f->client_id);
  derm_screening_set_date (screening, "2025-06-01");
  derm_screening_set_answer (screening, DERM_QUESTION_ACTIVE_INFECTION, DERM_ANSWER_YES);
  g_assert_true (derm_store_add_screening (f->store, screening, &error));
  g_assert_no_error (error);
  RELIST ();
  for (guint i = 0; i < booked->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (booked, i);

      g_assert_cmpuint ((derm_appointment_get_problems (a) & DERM_PLAN_PROBLEM_CONTRAINDICATED) != 0, ==,
                        derm_appointment_get_kind (a) == DERM_APPOINTMENT_SESSION);
    }

  /* Once session 1 has passed, it is not judged again */
  later = g_date_time_add_days (test_now (), 30);
  derm_store_set_clock (f->store, later);
  RELIST ();
  g_assert_cmpuint (derm_appointment_get_problems (g_ptr_array_index (booked, 0)), ==, 0);
  g_assert_cmpuint (derm_appointment_get_problems (g_ptr_array_index (booked, 2)), !=, 0);
  derm_store_set_clock (f->store, test_now ());
#undef RELIST
}

/* --- dermis-cli plan ---------------------------------------------------- */

/* dermis-cli --data-dir @data_dir FIRST...; the exit status */
static int
run_cli (const char  *data_dir,
         char       **out,
         const char  *first,
         ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;
  int status;

  g_ptr_array_add (args, (char *) "--data-dir");
  g_ptr_array_add (args, (char *) data_dir);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  status = derm_test_run_cli ((const char * const *) args->pdata, NULL, out, NULL);
  g_assert_cmpint (status, >=, 0);
  return status;
}

/* Dates for the CLI tests, which run dermis-cli on the real clock: from
 * the first Monday at least two weeks after today, so "no past starts"
 * holds at any date and time of day */
typedef struct
{
  GDate monday;
} CliDates;

static void
cli_dates_init (CliDates *d)
{
  derm_date_today (&d->monday);
  g_date_add_days (&d->monday, 14);
  while (g_date_get_weekday (&d->monday) != G_DATE_MONDAY)
    g_date_add_days (&d->monday, 1);
}

/* "YYYY-MM-DD" @days after the Monday */
static char *
cli_day (const CliDates *d,
         int             days)
{
  GDate day = d->monday;

  if (days >= 0)
    g_date_add_days (&day, days);
  else
    g_date_subtract_days (&day, -days);
  return derm_date_format (&day);
}

/* "YYYY-MM-DD HH:MM" (with @zone_abbrev: "YYYY-MM-DD HH:MM GMT", as the
 * CLI prints London times) or @iso_t: "YYYY-MM-DDTHH:MM" */
static char *
cli_time (const CliDates *d,
          int             days,
          const char     *hh_mm,
          gboolean        with_zone,
          gboolean        iso_t)
{
  g_autofree char *day = cli_day (d, days);
  g_autoptr (GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  g_autoptr (GDateTime) dt = NULL;
  g_autofree char *abbrev = NULL;
  int hour = 0, minute = 0;

  g_assert_cmpint (sscanf (hh_mm, "%d:%d", &hour, &minute), ==, 2);
  if (!with_zone)
    return g_strdup_printf ("%s%c%s", day, iso_t ? 'T' : ' ', hh_mm);
  dt = g_date_time_new (london, atoi (day), atoi (day + 5), atoi (day + 8), hour, minute, 0);
  abbrev = g_date_time_format (dt, "%Z");
  return g_strdup_printf ("%s %s %s", day, hh_mm, abbrev);
}

static void
test_cli (StoreFixture  *f,
          gconstpointer  data)
{
  g_autofree char *text = NULL;
  /* next to the data folder: exports never go inside it */
  g_autofree char *ics_path = g_strconcat (f->dir, "-series.ics", NULL);
  g_autofree char *ics = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *client = NULL;
  /* The issue's series: Monday M, M+28, M+56, M+84 (+ photo), in London */
  CliDates d;
  g_autofree char *start = NULL;
  g_autofree char *session_2 = NULL;
  g_autofree char *moved_2 = NULL;
  g_autofree char *shift_3 = NULL;
  g_autofree char *sunday = NULL;
  g_autofree char *before_1 = NULL;
  JsonArray *array;

  if (!derm_test_have_cli ())
    {
      g_test_skip ("DERMIS_CLI is not set to a built dermis-cli");
      return;
    }
  /* A London clinic, and every dermis-cli below runs with TZ=UTC, as cron
   * jobs and containers do: times are the clinic's all the same */
  {
    g_autoptr (DermClinic) clinic = derm_store_load_clinic (f->store, &error);

    g_assert_true (derm_clinic_set_time_zone_id (clinic, "Europe/London"));
    g_assert_true (derm_store_save_clinic (f->store, clinic, &error));
    g_assert_no_error (error);
  }
  g_setenv ("TZ", "UTC", TRUE);
  /* The fixture's store has the client; let the CLI use the file alone */
  g_clear_object (&f->store);
  client = g_strdup_printf ("%" G_GINT64_FORMAT, f->client_id);
  cli_dates_init (&d);
  start = cli_day (&d, 0);
  session_2 = cli_time (&d, 28, "09:00", FALSE, FALSE);
  moved_2 = cli_time (&d, 42, "09:00", FALSE, FALSE);
  sunday = cli_time (&d, 41, "09:00", FALSE, FALSE);
  /* the Thursday before session 1 */
  before_1 = cli_time (&d, -4, "15:00", FALSE, FALSE);

  g_assert_cmpint (run_cli (f->dir, &text, "plan", "protocols", "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 3);
  g_clear_pointer (&text, g_free);

  /* Without --yes nothing is booked */
  g_assert_cmpint (run_cli (f->dir, &text, "plan", "create", client, "--protocol", "Microneedling, face",
                            "--start", start, NULL), ==, 0);
  g_assert_nonnull (strstr (text, session_2));
  /* Jane was never screened: "screen first", not "re-screen" */
  g_assert_nonnull (strstr (text, "never been screened"));
  g_assert_false (contains_ci (text, "re-screen"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (f->dir, &text, "--json", "plan", "list", client, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 0);
  g_clear_pointer (&text, g_free);

  g_assert_cmpint (run_cli (f->dir, &text, "plan", "create", client, "--protocol", "1",
                            "--start", start, "--yes", "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (json_parser_get_root (parser)), "booked"));
  g_clear_pointer (&text, g_free);

  g_assert_cmpint (run_cli (f->dir, &text, "plan", "list", client, "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "screening_needed"), ==,
                   "first-screening");
  {
    g_autofree char *expected = cli_time (&d, 28, "09:00", FALSE, TRUE);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "start"), ==,
                     expected);
  }
  g_clear_pointer (&text, g_free);

  /* Move session 2: shows the shifts, applies them only with --yes */
  g_assert_cmpint (run_cli (f->dir, &text, "plan", "move", "2", "--to", moved_2, NULL), ==, 0);
  {
    g_autofree char *was = cli_time (&d, 56, "09:00", TRUE, FALSE);
    g_autofree char *now = cli_time (&d, 70, "09:00", TRUE, FALSE);

    shift_3 = g_strdup_printf ("%s → %s", was, now);
  }
  g_assert_nonnull (strstr (text, shift_3));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (f->dir, &text, "plan", "move", "2", "--to", moved_2, "--yes", NULL), ==, 0);
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (f->dir, &text, "plan", "list", client, "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  array = json_node_get_array (json_parser_get_root (parser));
  {
    g_autofree char *expected = cli_time (&d, 70, "09:00", FALSE, TRUE);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 2), "start"), ==,
                     expected);
  }
  g_clear_pointer (&text, g_free);

  g_assert_cmpint (run_cli (f->dir, &text, "plan", "cancel", "3", "--no-show", NULL), ==, 0);
  g_assert_nonnull (strstr (text, "no-show"));
  g_clear_pointer (&text, g_free);

  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "export-ics", "--client", client, "--out", ics_path, NULL), ==, 0);
  g_assert_true (g_file_get_contents (ics_path, &ics, NULL, &error));
  g_assert_true (g_str_has_prefix (ics, "BEGIN:VCALENDAR\r\n"));
  g_assert_nonnull (strstr (ics, "STATUS:CANCELLED"));
  /* Initials and the kind by default; IANA zone names; each change counted */
  g_assert_null (strstr (ics, "Jane Doe"));
  g_assert_nonnull (strstr (ics, "Treatment 2/4 – J. D."));
  g_assert_nonnull (strstr (ics, "TZID=Europe/London:"));
  g_assert_nonnull (strstr (ics, "SEQUENCE:"));
  g_assert_nonnull (strstr (ics, "LAST-MODIFIED:"));
  g_unlink (ics_path);
  g_clear_pointer (&ics, g_free);
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "export-ics", "--client", client, "--names", "full",
                            "--out", ics_path, NULL), ==, 0);
  g_assert_true (g_file_get_contents (ics_path, &ics, NULL, &error));
  g_assert_nonnull (strstr (ics, "Jane Doe"));
  g_unlink (ics_path);
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "export-ics", "--client", client, "--names", "nicknames", NULL), ==, 2);

  /* Exit codes */
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "move", "999", "--to", moved_2, NULL), ==, 3);
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "move", "2", "--to", "tomorrow", NULL), ==, 2);
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "create", client, "--protocol", "none", "--start", start, NULL), ==, 3);
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "export-ics", NULL), ==, 2);
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "frobnicate", NULL), ==, 2);
  /* Moving onto a closed Sunday is refused whole; with --json the
   * refused plan and its problems still come out on stdout */
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "move", "2", "--to", sunday, "--yes", NULL), ==, 4);
  g_assert_cmpint (run_cli (f->dir, &text, "--json", "plan", "move", "2", "--to", sunday, "--yes", NULL), ==, 4);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_nonnull (strstr (text, "closed"));
  g_clear_pointer (&text, g_free);
  /* Issue 12: moved before session 1 is refused */
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "move", "4", "--to", before_1, "--yes", NULL), ==, 4);

  /* 17:00 is 17:00 in London, with TZ=UTC; 16:07 is off the step */
  {
    g_autofree char *other = NULL;
    g_autofree char *tuesday = cli_day (&d, 1);
    g_autofree char *tuesday_17 = cli_time (&d, 1, "17:00", FALSE, TRUE);
    g_autofree char *tuesday_17_zone = cli_time (&d, 1, "17:00", TRUE, FALSE);
    g_autofree char *from = cli_day (&d, -3);
    g_autofree char *to = cli_day (&d, 27);

    g_assert_cmpint (run_cli (f->dir, &other, "client", "add", "--name", "Tom Evans", NULL), ==, 0);
    g_strstrip (other);
    g_assert_cmpint (run_cli (f->dir, NULL, "plan", "create", other, "--protocol", "1", "--start", tuesday,
                              "--time", "16:07", "--yes", NULL), ==, 4);
    g_assert_cmpint (run_cli (f->dir, NULL, "plan", "create", other, "--protocol", "1", "--start", tuesday,
                              "--time", "17:00", "--yes", NULL), ==, 0);
    g_assert_cmpint (run_cli (f->dir, &text, "plan", "list", other, "--json", NULL), ==, 0);
    g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
    array = json_node_get_array (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "start"), ==,
                     tuesday_17);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "time_zone"), ==,
                     "Europe/London");
    g_clear_pointer (&text, g_free);
    g_assert_cmpint (run_cli (f->dir, &text, "plan", "list", other, "--from", from, "--to", to, NULL), ==, 0);
    g_assert_nonnull (strstr (text, tuesday_17_zone));
    g_assert_nonnull (strstr (text, "screen first (never screened)"));
    g_assert_false (contains_ci (text, "re-screen"));
    g_clear_pointer (&text, g_free);
    g_assert_cmpint (run_cli (f->dir, NULL, "plan", "list", "--from", "2027-12-31", "--to", "2027-01-01", NULL), ==, 2);
  }

  /* Re-validation: the clinic closes on Jane's session 2 (moved to M+42) after it
   * was booked: plan list says so, with the reason, in text and JSON */
  {
    g_autoptr (DermStore) store = derm_store_open (f->dir, &error);
    g_autoptr (DermClinic) clinic = NULL;
    GDate day = d.monday;

    g_assert_no_error (error);
    clinic = derm_store_load_clinic (store, &error);
    g_assert_no_error (error);
    g_date_add_days (&day, 42);
    derm_clinic_add_closed_date (clinic, &day, "Inventory");
    g_assert_true (derm_store_save_clinic (store, clinic, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (run_cli (f->dir, &text, "plan", "list", client, NULL), ==, 0);
  g_assert_nonnull (strstr (text, "needs attention: The clinic is closed that day"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (f->dir, &text, "plan", "list", client, "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  array = json_node_get_array (json_parser_get_root (parser));
  {
    guint flagged = 0;

    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonObject *o = json_array_get_object_element (array, i);
        JsonArray *problems = json_object_get_array_member (o, "problems");

        if (json_array_get_length (problems) > 0)
          {
            flagged++;
            g_assert_cmpstr (json_array_get_string_element (problems, 0), ==, "closed-day");
            g_assert_nonnull (strstr (json_object_get_string_member (o, "problem_message"), "closed"));
          }
      }
    g_assert_cmpuint (flagged, ==, 1);
  }
  g_clear_pointer (&text, g_free);
  g_unsetenv ("TZ");
}

/* JSON of the proposal `plan book --json` printed: its one item */
static JsonObject *
booked_item (JsonParser *parser,
             const char *text,
             gboolean    booked)
{
  g_autoptr (GError) error = NULL;
  JsonObject *o;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_boolean_member (o, "booked"), ==, booked);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "appointments")), ==, 1);
  return json_array_get_object_element (json_object_get_array_member (o, "appointments"), 0);
}

static gboolean
has_problem (JsonObject *item,
             const char *key)
{
  JsonArray *problems = json_object_get_array_member (item, "problems");

  for (guint i = 0; i < json_array_get_length (problems); i++)
    if (g_strcmp0 (json_array_get_string_element (problems, i), key) == 0)
      return TRUE;
  return FALSE;
}

/* `plan book`: a single appointment through the app's rules - hours,
 * closed days, the step, leave, overlaps, Do Not Treat for a session but
 * not a consultation - in the clinic's time whatever TZ says; nothing
 * written without --yes or when a rule says no */
static void
test_cli_book (StoreFixture  *f,
               gconstpointer  data)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *jane = NULL;
  g_autofree char *zoe = NULL;
  g_autofree char *at_10 = NULL;
  g_autofree char *at_10_iso = NULL;
  g_autofree char *at_10_15 = NULL;
  g_autofree char *sunday = NULL;
  g_autofree char *off_step = NULL;
  g_autofree char *evening = NULL;
  g_autofree char *leave_day = NULL;
  g_autofree char *wednesday = NULL;
  CliDates d;
  JsonObject *item;

  if (!derm_test_have_cli ())
    {
      g_test_skip ("DERMIS_CLI is not set to a built dermis-cli");
      return;
    }
  cli_dates_init (&d);
  /* London, Bea on leave on the Tuesday; dermis-cli runs with TZ=UTC */
  {
    g_autoptr (DermClinic) clinic = derm_store_load_clinic (f->store, &error);
    const char * const people[] = { "Bea", NULL };
    GDate tuesday = d.monday;

    g_date_add_days (&tuesday, 1);
    g_assert_true (derm_clinic_set_time_zone_id (clinic, "Europe/London"));
    derm_clinic_set_practitioners (clinic, people);
    g_assert_true (derm_clinic_add_practitioner_leave (clinic, "Bea", &tuesday, "Course", &error));
    g_assert_true (derm_store_save_clinic (f->store, clinic, &error));
    g_assert_no_error (error);
  }
  g_setenv ("TZ", "UTC", TRUE);
  g_clear_object (&f->store);
  jane = g_strdup_printf ("%" G_GINT64_FORMAT, f->client_id);
  at_10 = cli_time (&d, 0, "10:00", FALSE, FALSE);
  at_10_iso = cli_time (&d, 0, "10:00", FALSE, TRUE);
  at_10_15 = cli_time (&d, 0, "10:15", FALSE, FALSE);
  sunday = cli_time (&d, -1, "10:00", FALSE, FALSE);
  off_step = cli_time (&d, 0, "11:07", FALSE, FALSE);
  evening = cli_time (&d, 0, "20:00", FALSE, FALSE);
  leave_day = cli_time (&d, 1, "10:00", FALSE, FALSE);
  wednesday = cli_time (&d, 2, "10:00", FALSE, FALSE);

  /* Shown, not booked, without --yes */
  g_assert_cmpint (run_cli (f->dir, &text, "plan", "book", jane, "--at", at_10, NULL), ==, 0);
  g_assert_nonnull (strstr (text, "--yes"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (f->dir, &text, "--json", "plan", "list", jane, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 0);
  g_clear_pointer (&text, g_free);

  /* Booked: a consultation by default, in the first free room, London time */
  g_assert_cmpint (run_cli (f->dir, &text, "--json", "plan", "book", jane, "--at", at_10, "--yes", NULL), ==, 0);
  item = booked_item (parser, text, TRUE);
  g_assert_cmpstr (json_object_get_string_member (item, "kind"), ==, "consultation");
  g_assert_cmpstr (json_object_get_string_member (item, "start"), ==, at_10_iso);
  g_assert_cmpstr (json_object_get_string_member (item, "time_zone"), ==, "Europe/London");
  g_assert_cmpstr (json_object_get_string_member (item, "room"), ==, "Room 1");
  g_assert_cmpint (json_object_get_int_member (item, "id"), >, 0);
  g_clear_pointer (&text, g_free);

  /* Every rule refuses with exit 4, the problem named, nothing written */
  g_assert_cmpint (run_cli (f->dir, &text, "--json", "plan", "book", jane, "--at", at_10_15, "--yes", NULL), ==, 4);
  item = booked_item (parser, text, FALSE);
  g_assert_true (has_problem (item, "client-busy"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (f->dir, &text, "--json", "plan", "book", jane, "--at", sunday, "--yes", NULL), ==, 4);
  g_assert_true (has_problem (booked_item (parser, text, FALSE), "closed-day"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (f->dir, &text, "--json", "plan", "book", jane, "--at", off_step, "--yes", NULL), ==, 4);
  g_assert_true (has_problem (booked_item (parser, text, FALSE), "off-step"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (f->dir, &text, "--json", "plan", "book", jane, "--at", evening, "--yes", NULL), ==, 4);
  g_assert_true (has_problem (booked_item (parser, text, FALSE), "outside-hours"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (f->dir, &text, "--json", "plan", "book", jane, "--at", leave_day,
                            "--practitioner", "Bea", "--yes", NULL), ==, 4);
  g_assert_true (has_problem (booked_item (parser, text, FALSE), "practitioner-away"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (f->dir, &text, "--json", "plan", "book", jane, "--at", leave_day,
                            "--practitioner", "Nobody", "--yes", NULL), ==, 4);
  g_assert_true (has_problem (booked_item (parser, text, FALSE), "unknown-practitioner"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (f->dir, &text, "--json", "plan", "list", jane, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 1);
  g_clear_pointer (&text, g_free);

  /* Do Not Treat: isotretinoin two months ago blocks a session, not a consultation */
  {
    g_autoptr (GDateTime) now = g_date_time_new_now_local ();
    g_autoptr (GDateTime) dose = g_date_time_add_months (now, -2);
    g_autofree char *date_for = g_date_time_format (dose, "isotretinoin=%Y-%m-%d");

    g_assert_cmpint (run_cli (f->dir, &zoe, "client", "add", "--name", "Zoë Müller", NULL), ==, 0);
    g_strstrip (zoe);
    g_assert_cmpint (run_cli (f->dir, NULL, "screening", "add", zoe, "--answer", "isotretinoin=yes",
                              "--date-for", date_for, "--answer", "consent=yes", NULL), ==, 0);
  }
  g_assert_cmpint (run_cli (f->dir, &text, "--json", "plan", "book", zoe, "--at", wednesday,
                            "--kind", "session", "--yes", NULL), ==, 4);
  item = booked_item (parser, text, FALSE);
  g_assert_true (has_problem (item, "contraindicated"));
  g_assert_nonnull (strstr (json_object_get_string_member (item, "message"), "sotretinoin"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (f->dir, &text, "--json", "plan", "book", zoe, "--at", wednesday,
                            "--kind", "consultation", "--duration", "45", "--yes", NULL), ==, 0);
  item = booked_item (parser, text, TRUE);
  g_assert_cmpint (json_object_get_int_member (item, "duration_minutes"), ==, 45);
  g_clear_pointer (&text, g_free);

  /* Usage (2), not found (3), a length Dermis does not book (4) */
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "book", jane, NULL), ==, 2);
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "book", jane, "--at", "tomorrow", NULL), ==, 2);
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "book", jane, "--at", wednesday, "--kind", "peel", NULL), ==, 2);
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "book", "999", "--at", wednesday, NULL), ==, 3);
  g_assert_cmpint (run_cli (f->dir, NULL, "plan", "book", jane, "--at", wednesday, "--duration", "3", NULL), ==, 4);
  g_unsetenv ("TZ");
}

/* The Due list's narrow read (plain rows, series objects only for the due
 * ones) lists exactly what the rules list from every object, on series in
 * every state; past appointments still booked need an outcome */
static void
test_store_due_narrow (StoreFixture  *f,
                       gconstpointer  data)
{
  sqlite3 *db = derm_store_get_db (f->store);
  sqlite3_stmt *series = NULL, *appointment = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Europe/London");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) outcome = NULL;
  g_autoptr (GDateTime) now = NULL;
  const char *statuses[] = { "booked", "done", "cancelled", "no-show" };
  GDate base;

  g_date_clear (&base, 1);
  g_date_set_dmy (&base, 1, G_DATE_JANUARY, 2026);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO series (client_id, protocol_name, sessions, "
                                       "interval_weeks, min_interval_weeks, max_interval_weeks, duration_minutes, "
                                       "follow_up_weeks, start_date, status, created_at, updated_at) "
                                       "VALUES (?1, 'P', ?2, 4, 4, 6, 60, ?3, ?4, ?5, 'x', 'x')",
                                       -1, &series, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO appointments (client_id, series_id, session_index, "
                                       "session_count, kind, start_local, time_zone, start_utc, end_utc, "
                                       "duration_minutes, status, created_at, updated_at) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'Europe/London', ?7, ?7 + 3600, 60, ?8, 'x', 'x')",
                                       -1, &appointment, NULL), ==, SQLITE_OK);
  for (guint s = 0; s < 60; s++)
    {
      guint n = 2 + s % 4;
      GDate start = base;
      g_autofree char *start_text = NULL;
      const char *status = s % 7 == 0 ? "cancelled" : s % 5 == 0 ? "completed" : "active";
      gint64 series_id;

      g_date_add_days (&start, (s * 37) % 300);
      start_text = derm_date_format (&start);
      sqlite3_bind_int64 (series, 1, f->client_id);
      sqlite3_bind_int (series, 2, (int) n);
      sqlite3_bind_int (series, 3, s % 3 == 0 ? 0 : 12);
      sqlite3_bind_text (series, 4, start_text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (series, 5, status, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (series), ==, SQLITE_DONE);
      sqlite3_reset (series);
      series_id = sqlite3_last_insert_rowid (db);

      /* Sessions (one out of range now and then) and maybe the photo, in
       * every status, some twice */
      for (guint k = 1; k <= n + 2; k++)
        {
          GDate day = start;
          g_autoptr (GDateTime) at = NULL;
          g_autofree char *local = NULL;
          gboolean photo = k == n + 1;

          if ((s + k) % 4 == 3)
            continue;
          g_date_add_days (&day, 28 * (k - 1) + (int) (s % 5));
          at = g_date_time_new (tz, g_date_get_year (&day), g_date_get_month (&day), g_date_get_day (&day), 10, 0, 0);
          local = g_date_time_format (at, "%Y-%m-%dT%H:%M");
          sqlite3_bind_int64 (appointment, 1, f->client_id);
          sqlite3_bind_int64 (appointment, 2, series_id);
          sqlite3_bind_int (appointment, 3, (int) (photo ? n + 1 : k));
          sqlite3_bind_int (appointment, 4, (int) n);
          sqlite3_bind_text (appointment, 5, photo ? "follow-up-photo" : "session", -1, SQLITE_STATIC);
          sqlite3_bind_text (appointment, 6, local, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (appointment, 7, g_date_time_to_unix (at));
          sqlite3_bind_text (appointment, 8, statuses[(s * 3 + k) % 4 == 3 ? 3 : (s + k) % 3], -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (appointment), ==, SQLITE_DONE);
          sqlite3_reset (appointment);
        }
    }
  sqlite3_finalize (series);
  sqlite3_finalize (appointment);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);

  for (guint t = 0; t < 12; t++)
    {
      g_autoptr (GPtrArray) all_series = NULL;
      g_autoptr (GPtrArray) all_appointments = NULL;
      g_autoptr (GPtrArray) expected = NULL;
      g_autoptr (GPtrArray) narrow = NULL;
      GDate today = base;

      g_date_add_days (&today, 30 * t);
      g_assert_true (derm_store_list_due_series (f->store, &all_series, &all_appointments, &error));
      g_assert_no_error (error);
      expected = derm_planner_list_due (all_series, all_appointments, &today, 14);
      narrow = derm_store_list_due (f->store, &today, 14, &error);
      g_assert_no_error (error);
      g_assert_nonnull (narrow);
      g_assert_cmpuint (narrow->len, ==, expected->len);
      if (t == 4)
        g_assert_cmpuint (narrow->len, >, 0);
      for (guint i = 0; i < narrow->len; i++)
        {
          DermDueItem *a = g_ptr_array_index (expected, i);
          DermDueItem *b = g_ptr_array_index (narrow, i);

          g_assert_cmpint (derm_series_get_id (derm_due_item_get_series (a)), ==,
                           derm_series_get_id (derm_due_item_get_series (b)));
          g_assert_cmpint (derm_due_item_get_kind (a), ==, derm_due_item_get_kind (b));
          g_assert_cmpuint (derm_due_item_get_session_index (a), ==, derm_due_item_get_session_index (b));
          g_assert_cmpstr (derm_due_item_get_due_from (a), ==, derm_due_item_get_due_from (b));
          g_assert_cmpstr (derm_due_item_get_due_until (a), ==, derm_due_item_get_due_until (b));
          g_assert_cmpstr (derm_series_get_client_name (derm_due_item_get_series (b)), ==, "Jane Doe");
        }
    }

  /* Needs an outcome: booked and over before now, nothing else */
  now = g_date_time_new (tz, 2026, 6, 1, 12, 0, 0);
  outcome = derm_store_list_needs_outcome (f->store, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outcome->len, >, 0);
  for (guint i = 0; i < outcome->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (outcome, i);

      g_assert_cmpint (derm_appointment_get_status (a), ==, DERM_APPOINTMENT_BOOKED);
      g_assert_cmpint (derm_appointment_get_end_unix (a), <=, g_date_time_to_unix (now));
      g_assert_cmpstr (derm_appointment_get_client_name (a), ==, "Jane Doe");
      if (i > 0)
        g_assert_cmpint (derm_appointment_get_start_unix (g_ptr_array_index (outcome, i - 1)), <=,
                         derm_appointment_get_start_unix (a));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (plan_cases); i++)
    g_test_add_data_func (plan_cases[i].path, &plan_cases[i], test_propose_case);
  g_test_add_func ("/planner/dst/instants", test_dst_instants);
  g_test_add_func ("/planner/propose/split-hours-and-people", test_split_hours_and_people);
  g_test_add_func ("/planner/check/adjusted", test_check_adjusted);
  g_test_add_func ("/planner/replan/move", test_replan_move);
  g_test_add_func ("/planner/replan/no-show", test_replan_no_show);
  g_test_add_func ("/planner/due/list", test_due_list);
  g_test_add_func ("/planner/done/prefill", test_prefill_treatment);
  g_test_add_func ("/planner/randomised/no-overlap-min-interval", test_randomised);
  g_test_add ("/planner/store/protocols", StoreFixture, NULL, store_setup, test_store_protocols, store_teardown);
  g_test_add ("/planner/store/clinic", StoreFixture, NULL, store_setup, test_store_clinic, store_teardown);
  g_test_add ("/planner/store/do-not-treat-badge", StoreFixture, NULL, store_setup, test_store_do_not_treat, store_teardown);
  g_test_add ("/planner/why/move-before-session-1-refused", StoreFixture, NULL, store_setup, test_why_move_before_first, store_teardown);
  g_test_add ("/planner/why/open-ended-contraindication-blocks-move-and-rebook", StoreFixture, NULL, store_setup,
              test_why_contraindication_without_end, store_teardown);
  g_test_add ("/planner/why/concurrent-reschedules-loser-told-why", StoreFixture, NULL, store_setup,
              test_why_concurrent_reschedules, store_teardown);
  g_test_add ("/planner/two-writers/randomised-move-rebook-single", StoreFixture, NULL, store_setup,
              test_two_writers_randomised, store_teardown);
  g_test_add ("/planner/store/recheck-shares-planner-unless-changed", StoreFixture, NULL, store_setup,
              test_store_recheck_shares_planner, store_teardown);
  g_test_add ("/planner/store/rename-practitioner-keeps-week", StoreFixture, NULL, store_setup,
              test_store_rename_practitioner, store_teardown);
  g_test_add ("/planner/why/same-client-two-series-kept-apart", StoreFixture, NULL, store_setup,
              test_why_same_client_two_series, store_teardown);
  g_test_add ("/planner/why/past-step-maximum-follow-up", StoreFixture, NULL, store_setup,
              test_why_past_step_max_follow_up, store_teardown);
  g_test_add ("/planner/why/never-screened-says-screen-first", StoreFixture, NULL, store_setup,
              test_why_never_screened, store_teardown);
  g_test_add ("/planner/revalidate/closed-day-room-screening", StoreFixture, NULL, store_setup,
              test_revalidate, store_teardown);
  g_test_add ("/planner/store/due-narrow-read-matches-rules", StoreFixture, NULL, store_setup,
              test_store_due_narrow, store_teardown);
  g_test_add ("/planner/practitioner/hours-and-leave", StoreFixture, NULL, store_setup,
              test_practitioner_hours_leave, store_teardown);
  g_test_add ("/planner/consultation/no-needling-rules", StoreFixture, NULL, store_setup,
              test_consultation, store_teardown);
  g_test_add ("/planner/cli/clinic-calendar-settings", StoreFixture, NULL, store_setup,
              test_cli_clinic, store_teardown);
  g_test_add ("/planner/store/book-conflict", StoreFixture, NULL, store_setup, test_store_book, store_teardown);
  g_test_add ("/planner/store/reschedule", StoreFixture, NULL, store_setup, test_store_reschedule, store_teardown);
  g_test_add ("/planner/store/refuses", StoreFixture, NULL, store_setup, test_store_refuses, store_teardown);
  g_test_add ("/planner/store/outdated-screening-marks-sessions", StoreFixture, NULL, store_setup,
              test_store_screening_outdated, store_teardown);
  g_test_add ("/planner/cli/create-list-move-cancel-export", StoreFixture, NULL, store_setup, test_cli, store_teardown);
  g_test_add ("/planner/cli/book-single-appointment", StoreFixture, NULL, store_setup, test_cli_book, store_teardown);

  return g_test_run ();
}

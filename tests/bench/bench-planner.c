/* bench-planner.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Proposing a 6-session series in a clinic calendar that already holds
 * 20,000 appointments (target <= 50 ms), from the in-memory index and
 * from the store (loading the index included), and a whole
 * `dermis-cli plan create --yes` process on that store beside
 * `dermis-cli --version` (the cost of starting the program at all) timed
 * in the same run. Prints one figure a line.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <string.h>

#include "derm-client.h"
#include "derm-planner.h"
#include "derm-store-planner.h"
#include "derm-store-private.h"
#include "derm-store.h"
#include "derm-test-utils.h"
#include "derm-validate.h"

#define N_EXISTING  20000
#define N_RUNS      50
#define ZONE        "Europe/Paris"
#define N_ROOMS     8
#define N_PEOPLE    8
#define SLOT        45
#define N_PROCESS_RUNS 15

/* Now, once: the calendar starts on the first Monday a week after it, so
 * a dermis-cli process (on the real clock) books into it like the index
 * does, whatever the date */
static GDateTime *
bench_now (void)
{
  static GDateTime *now;

  if (now == NULL)
    now = g_date_time_new_now_utc ();
  return now;
}

static void
calendar_start (GDate *out)
{
  derm_date_today (out);
  g_date_add_days (out, 7);
  while (g_date_get_weekday (out) != G_DATE_MONDAY)
    g_date_add_days (out, 1);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *ms,
        gboolean    target)
{
  g_array_sort (ms, compare_double);
  printf ("%s: median %.2f ms, p95 %.2f ms, max %.2f ms%s\n", what,
          g_array_index (ms, double, ms->len / 2),
          g_array_index (ms, double, (ms->len * 95) / 100 - (ms->len * 95 % 100 == 0 ? 1 : 0)),
          g_array_index (ms, double, ms->len - 1),
          target ? " (target <= 50 ms)" : "");
}

/* CPU time of this process, and of its waited-for children, in ms: on a
 * shared, loaded machine wall time says more about the neighbours */
static double
cpu_self_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static double
cpu_children_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

static DermClinic *
make_clinic (void)
{
  DermClinic *clinic = derm_clinic_new ();
  const char *rooms[N_ROOMS + 1] = { NULL };
  const char *people[N_PEOPLE + 1] = { NULL };
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  derm_clinic_set_time_zone_id (clinic, ZONE);
  for (guint i = 0; i < N_ROOMS; i++)
    {
      g_ptr_array_add (names, g_strdup_printf ("Room %u", i + 1));
      rooms[i] = g_ptr_array_index (names, names->len - 1);
    }
  for (guint i = 0; i < N_PEOPLE; i++)
    {
      g_ptr_array_add (names, g_strdup_printf ("Practitioner %u", i + 1));
      people[i] = g_ptr_array_index (names, names->len - 1);
    }
  derm_clinic_set_rooms (clinic, rooms);
  derm_clinic_set_practitioners (clinic, people);
  for (int day = G_DATE_MONDAY; day <= G_DATE_SATURDAY; day++)
    derm_clinic_set_hours_string (clinic, day, "09:00-13:00,14:00-19:00", NULL);
  return clinic;
}

/* 20,000 appointments in free slots of the year from calendar_start(),
 * randomly spread: most days are about two-thirds full */
static GPtrArray *
make_calendar (DermClinic *clinic)
{
  GPtrArray *appointments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (DermPlanner) planner = derm_planner_new (clinic);

  derm_planner_set_now (planner, bench_now ());
  GRand *rand = g_rand_new_with_seed (20000);
  const char * const *rooms = derm_clinic_get_rooms (clinic);
  const char * const *people = derm_clinic_get_practitioners (clinic);
  gint64 id = 1;

  while (appointments->len < N_EXISTING)
    {
      g_autoptr (DermAppointment) a = derm_appointment_new ();
      GDate day;
      guint n, minute;
      const DermOpeningSpan *spans;
      g_autofree char *iso = NULL;
      g_autofree char *local = NULL;

      calendar_start (&day);
      g_date_add_days (&day, g_rand_int_range (rand, 0, 365));
      spans = derm_clinic_get_hours (clinic, g_date_get_weekday (&day), &n);
      if (n == 0)
        continue;
      {
        const DermOpeningSpan *span = &spans[g_rand_int_range (rand, 0, n)];
        guint slots = (span->close - span->open) / 15 - SLOT / 15;
        minute = span->open + 15 * g_rand_int_range (rand, 0, slots + 1);
      }
      iso = derm_date_format (&day);
      local = g_strdup_printf ("%sT%02u:%02u", iso, minute / 60, minute % 60);
      derm_appointment_set_id (a, id);
      derm_appointment_set_client_id (a, 1);
      derm_appointment_set_start (a, local, ZONE);
      derm_appointment_set_duration_minutes (a, SLOT);
      derm_appointment_set_room (a, rooms[g_rand_int_range (rand, 0, N_ROOMS)]);
      derm_appointment_set_practitioner (a, people[g_rand_int_range (rand, 0, N_PEOPLE)]);
      if (!derm_planner_is_free (planner, derm_appointment_get_room (a), derm_appointment_get_practitioner (a),
                                 derm_appointment_get_start_unix (a), derm_appointment_get_end_unix (a), 0))
        continue;
      derm_planner_add_appointment (planner, a);
      g_ptr_array_add (appointments, g_steal_pointer (&a));
      id++;
    }
  g_rand_free (rand);
  return appointments;
}

static DermProtocol *
acne_protocol (void)
{
  DermProtocol *protocol = derm_protocol_new ();

  derm_protocol_set_name (protocol, "Microneedling, acne scars");
  derm_protocol_set_sessions (protocol, 6);
  derm_protocol_set_interval_weeks (protocol, 6);
  derm_protocol_set_min_interval_weeks (protocol, 4);
  derm_protocol_set_max_interval_weeks (protocol, 8);
  derm_protocol_set_duration_minutes (protocol, 75);
  return protocol;
}

static double
propose_once (DermPlanner  *planner,
              DermProtocol *protocol,
              guint         run,
              const char   *practitioner)
{
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *start = NULL;
  DermPlanRequest request = { 0 };
  GDate day;
  gint64 t0;

  calendar_start (&day);
  g_date_add_days (&day, run * 3);
  start = derm_date_format (&day);
  request.protocol = protocol;
  request.client_id = 999999;   /* a new client: the calendar is everyone else's */
  request.start_date = start;
  request.preferred_time = 10 * 60;
  request.practitioner = practitioner;
  request.with_follow_up = TRUE;

  t0 = g_get_monotonic_time ();
  proposal = derm_planner_propose_series (planner, &request, &error);
  t0 = g_get_monotonic_time () - t0;
  g_assert_no_error (error);
  g_assert_true (derm_plan_proposal_is_bookable (proposal));
  g_assert_cmpuint (derm_plan_proposal_get_n_items (proposal), ==, 7);
  return t0 / 1000.0;
}

/* Whole dermis-cli processes on the store of 20,000 appointments: each
 * `plan create --yes` books a 6-session series for a new client (so no
 * client rule pushes it out); `--version` is the reference, timed in
 * alternation in the same run */
static void
bench_processes (DermStore    *store,
                 const char   *dir,
                 DermProtocol *protocol)
{
  g_autoptr (GArray) create_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) version_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) create_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) version_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (DermProtocol) stored = derm_protocol_copy (protocol);
  g_autoptr (GError) error = NULL;
  g_autofree char *protocol_id = NULL;

  if (!derm_test_have_cli ())
    {
      printf ("dermis-cli processes: skipped, DERMIS_CLI is not set to a built dermis-cli\n");
      return;
    }
  derm_protocol_set_name (stored, "Bench process protocol");
  g_assert_true (derm_store_add_protocol (store, stored, &error));
  g_assert_no_error (error);
  protocol_id = g_strdup_printf ("%" G_GINT64_FORMAT, derm_protocol_get_id (stored));

  for (guint run = 0; run < N_PROCESS_RUNS; run++)
    {
      g_autoptr (DermClient) client = derm_client_new ();
      g_autofree char *name = g_strdup_printf ("Process Client %u", run);
      g_autofree char *id = NULL;
      g_autofree char *start = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      GDate day;
      gint64 t0;
      double ms, cpu;

      derm_client_set_name (client, name);
      g_assert_true (derm_store_add_client (store, client, &error));
      g_assert_no_error (error);
      id = g_strdup_printf ("%" G_GINT64_FORMAT, derm_client_get_id (client));
      calendar_start (&day);
      g_date_add_days (&day, 1 + run * 5);
      start = derm_date_format (&day);

      {
        const char *args[] = { "--version", NULL };

        cpu = cpu_children_ms ();
        t0 = g_get_monotonic_time ();
        g_assert_cmpint (derm_test_run_cli (args, NULL, NULL, NULL), ==, 0);
        ms = (g_get_monotonic_time () - t0) / 1000.0;
        cpu = cpu_children_ms () - cpu;
        g_array_append_val (version_ms, ms);
        g_array_append_val (version_cpu, cpu);
      }
      {
        const char *args[] = { "--data-dir", dir, "plan", "create", id, "--protocol", protocol_id,
                               "--start", start, "--time", "10:00", "--yes", NULL };
        int status;

        cpu = cpu_children_ms ();
        t0 = g_get_monotonic_time ();
        status = derm_test_run_cli (args, NULL, &out, &err);
        ms = (g_get_monotonic_time () - t0) / 1000.0;
        cpu = cpu_children_ms () - cpu;
        if (status != 0 || strstr (out, "Booked as series") == NULL)
          g_error ("dermis-cli plan create --yes: exit %d, %s%s", status, out, err);
        g_array_append_val (create_ms, ms);
        g_array_append_val (create_cpu, cpu);
      }
    }
  report ("dermis-cli --version (reference), whole process, wall", version_ms, FALSE);
  report ("dermis-cli plan create --yes on 20,000 appointments, whole process, wall", create_ms, FALSE);
  report ("dermis-cli --version (reference), whole process, CPU", version_cpu, FALSE);
  report ("dermis-cli plan create --yes on 20,000 appointments, whole process, CPU", create_cpu, FALSE);
}

static void
bench_store (DermClinic *clinic,
             GPtrArray  *appointments,
             DermProtocol *protocol)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dermis-bench-planner-XXXXXX", &error);
  g_autofree char *db_path = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = derm_client_new ();
  g_autoptr (GArray) load_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) total_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) total_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  store = derm_store_open (dir, &error);
  if (store != NULL)
    derm_store_set_clock (store, bench_now ());
  g_assert_no_error (error);
  derm_client_set_name (client, "Bench Client");
  g_assert_true (derm_store_add_client (store, client, &error));
  g_assert_true (derm_store_save_clinic (store, clinic, &error));
  g_assert_no_error (error);

  /* Bulk insert, as a clinic's history would be */
  db = derm_store_get_db (store);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO appointments (client_id, kind, start_local, time_zone, start_utc, "
                                       "end_utc, duration_minutes, room, practitioner, status, created_at, updated_at) "
                                       "VALUES (?1, 'session', ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'booked', 'x', 'x')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < appointments->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (appointments, i);

      sqlite3_bind_int64 (stmt, 1, derm_client_get_id (client));
      sqlite3_bind_text (stmt, 2, derm_appointment_get_start_local (a), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, derm_appointment_get_time_zone (a), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, derm_appointment_get_start_unix (a));
      sqlite3_bind_int64 (stmt, 5, derm_appointment_get_end_unix (a));
      sqlite3_bind_int (stmt, 6, derm_appointment_get_duration_minutes (a));
      sqlite3_bind_text (stmt, 7, derm_appointment_get_room (a), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, derm_appointment_get_practitioner (a), -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);

  for (guint run = 0; run < N_RUNS; run++)
    {
      g_autoptr (DermPlanner) planner = NULL;
      double cpu = cpu_self_ms ();
      gint64 t0 = g_get_monotonic_time ();
      double load, propose;

      planner = derm_store_load_planner (store, NULL, &error);
      g_assert_no_error (error);
      load = (g_get_monotonic_time () - t0) / 1000.0;
      g_assert_cmpuint (derm_planner_get_n_appointments (planner), ==, N_EXISTING);
      propose = propose_once (planner, protocol, run, NULL);
      g_array_append_val (load_ms, load);
      propose += load;
      cpu = cpu_self_ms () - cpu;
      g_array_append_val (total_ms, propose);
      g_array_append_val (total_cpu, cpu);
    }
  report ("load 20,000 appointments from the store into the index", load_ms, FALSE);
  report ("propose a 6-session series, store load included", total_ms, TRUE);
  report ("propose a 6-session series, store load included, CPU", total_cpu, TRUE);

  bench_processes (store, dir, protocol);

  g_clear_object (&store);
  db_path = g_build_filename (dir, "dermis.db", NULL);
  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
    g_autofree char *verified = g_strconcat (db_path, "-verified", NULL);
    g_unlink (verified);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_unlink (db_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (DermClinic) clinic = make_clinic ();
  g_autoptr (GPtrArray) appointments = NULL;
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (DermProtocol) protocol = acne_protocol ();
  g_autoptr (GArray) any_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) fixed_ms = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 t0;

  appointments = make_calendar (clinic);

  t0 = g_get_monotonic_time ();
  planner = derm_planner_new (clinic);
  derm_planner_set_now (planner, bench_now ());
  derm_planner_add_appointments (planner, appointments);
  /* The first query sorts the tracks: count it with the build */
  derm_planner_is_free (planner, "Room 1", "Practitioner 1", 0, 1, 0);
  printf ("build the index of %u appointments: %.2f ms\n", N_EXISTING,
          (g_get_monotonic_time () - t0) / 1000.0);

  for (guint run = 0; run < N_RUNS; run++)
    {
      double ms = propose_once (planner, protocol, run, NULL);
      g_array_append_val (any_ms, ms);
      ms = propose_once (planner, protocol, run, "Practitioner 3");
      g_array_append_val (fixed_ms, ms);
    }
  report ("propose a 6-session series (+ follow-up), any room and practitioner", any_ms, TRUE);
  report ("propose a 6-session series (+ follow-up), one practitioner", fixed_ms, TRUE);

  bench_store (clinic, appointments, protocol);
  return 0;
}

/* bench-report.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The progress report (issue 16): a client with 6 sessions, 4 views of
 * 6 photos (2000 x 1500 JPEG) and 3 regions per view, written as PDF by
 * `dermis-cli report`, the whole process timed, from the analysis cache.
 *
 *   bench-report DERMIS-CLI
 *
 * In the same run, for reference: the first report (the cache empty: every
 * alignment and analysis computed), `dermis-cli --version` (the cost of
 * starting the program) and the one-page aftercare sheet (a document
 * without photos). Each figure is the median of the rounds, one run of each
 * per round so that a busy machine slows them alike; CPU time (user +
 * system of the child) beside the wall time. Target: the report from the
 * cache <= 2 s. DERMIS_BENCH_KEEP=1 keeps the records (for a profiler).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "derm-region.h"
#include "derm-store-compare.h"
#include "derm-store-photos.h"
#include "derm-store-documents.h"
#include "derm-test-utils.h"

#define N_VIEWS    4
#define N_SESSIONS 6
#define N_REGIONS  3
#define PHOTO_W    2000
#define PHOTO_H    1500
#define N_ROUNDS   5

typedef struct
{
  double wall;   /* seconds */
  double cpu;
} Run;

static double
timeval_seconds (const struct timeval *tv)
{
  return tv->tv_sec + tv->tv_usec / 1e6;
}

/* Runs @argv to its end; its wall and CPU time */
static Run
run (const char * const *argv)
{
  struct rusage before, after;
  g_autoptr (GError) error = NULL;
  gint64 start;
  int status = 0;
  Run r;

  getrusage (RUSAGE_CHILDREN, &before);
  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                     &status, &error) || !g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s", argv[0], error->message);
  r.wall = (g_get_monotonic_time () - start) / 1e6;
  getrusage (RUSAGE_CHILDREN, &after);
  r.cpu = timeval_seconds (&after.ru_utime) - timeval_seconds (&before.ru_utime)
          + timeval_seconds (&after.ru_stime) - timeval_seconds (&before.ru_stime);
  return r;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
print_median (const char *name,
              Run        *runs,
              guint       n,
              const char *note)
{
  double wall[N_ROUNDS], cpu[N_ROUNDS];

  for (guint i = 0; i < n; i++)
    {
      wall[i] = runs[i].wall;
      cpu[i] = runs[i].cpu;
    }
  qsort (wall, n, sizeof (double), compare_doubles);
  qsort (cpu, n, sizeof (double), compare_doubles);
  printf ("%-40s %8.3f s wall  %8.3f s CPU  (median of %u)%s\n", name, wall[n / 2], cpu[n / 2], n, note);
}

int
main (int   argc,
      char *argv[])
{
  static const DermPhotoView views[N_VIEWS] = {
    DERM_PHOTO_VIEW_FRONT, DERM_PHOTO_VIEW_LEFT_45, DERM_PHOTO_VIEW_RIGHT_45, DERM_PHOTO_VIEW_CLOSE_UP,
  };
  static const char *region_names[N_REGIONS] = { "Forehead", "Left cheek", "Chin" };
  g_autoptr (GError) error = NULL;
  DermTestStore f = { 0 };
  gint64 sessions[N_SESSIONS];
  double redness[N_SESSIONS];
  gint64 client_id, n_cached = 0;
  g_autofree char *id = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *sheet = NULL;
  const char *cli;
  Run cold, report[N_ROUNDS], version[N_ROUNDS], aftercare[N_ROUNDS];
  double setup;
  gint64 start;

  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    {
      fprintf (stderr, "Usage: bench-report DERMIS-CLI\n");
      return 2;
    }
  cli = argv[1];

  start = g_get_monotonic_time ();
  derm_test_store_set_up (&f, "bench-report");
  g_assert_true (derm_store_set_letterhead (f.store, "Lumen Skin Clinic", "12 High Street, Bath", NULL,
                                            DERM_PAPER_A4, &error));
  g_assert_no_error (error);
  client_id = derm_test_add_client (f.store, "Zoë Müller");
  for (guint s = 0; s < N_SESSIONS; s++)
    {
      g_autofree char *date = g_strdup_printf ("2025-%02u-10", 1 + 2 * s);

      sessions[s] = derm_test_add_session (f.store, client_id, date);
    }
  for (guint v = 0; v < N_VIEWS; v++)
    {
      g_autoptr (GPtrArray) photos = NULL;

      /* The blotch fades session by session, a little differently per view */
      for (guint s = 0; s < N_SESSIONS; s++)
        redness[s] = 50 - 8 * s + 2 * v;
      photos = derm_test_import_skin_series (&f, client_id, views[v], sessions, redness,
                                                                   N_SESSIONS, PHOTO_W, PHOTO_H);

      for (guint r = 0; r < N_REGIONS; r++)
        {
          g_autoptr (DermRegion) region = derm_region_new_rect (region_names[r], 300 + 450 * r, 400 + 150 * r, 400, 350);

          derm_region_set_client_id (region, client_id);
          derm_region_set_view (region, views[v]);
          derm_region_set_frame_sha256 (region, derm_photo_get_sha256 (g_ptr_array_index (photos, 0)));
          g_assert_true (derm_store_save_region (f.store, region, &error));
          g_assert_no_error (error);
        }
    }
  setup = (g_get_monotonic_time () - start) / 1e6;
  printf ("# %u views x %u sessions x %u regions, photos %d x %d JPEG; set up in %.1f s\n",
          N_VIEWS, N_SESSIONS, N_REGIONS, PHOTO_W, PHOTO_H, setup);

  id = g_strdup_printf ("%lld", (long long) client_id);
  session_id = g_strdup_printf ("%lld", (long long) sessions[N_SESSIONS - 1]);
  pdf = g_build_filename (f.dir, "report.pdf", NULL);
  sheet = g_build_filename (f.dir, "aftercare.pdf", NULL);
  {
    const char *report_argv[] = { cli, "--data-dir", f.data_dir, "report", id, "--to", "2025-12-31",
                                  "--out", pdf, "--force", NULL };
    const char *version_argv[] = { cli, "--version", NULL };
    const char *aftercare_argv[] = { cli, "--data-dir", f.data_dir, "aftercare", session_id, "--out", sheet,
                                     "--force", NULL };

    cold = run (report_argv);
    {
      g_autoptr (GPtrArray) all = derm_store_list_photos (f.store, client_id, DERM_PHOTO_LIST_ACTIVE, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < all->len; i++)
        n_cached += derm_store_count_analyses (f.store, derm_photo_get_sha256 (g_ptr_array_index (all, i)), NULL);
    }
    for (guint round = 0; round < N_ROUNDS; round++)
      {
        report[round] = run (report_argv);
        version[round] = run (version_argv);
        aftercare[round] = run (aftercare_argv);
      }
    /* Nothing was computed again: the cache holds as many analyses as after the first */
    {
      g_autoptr (GPtrArray) all = derm_store_list_photos (f.store, client_id, DERM_PHOTO_LIST_ACTIVE, &error);
      gint64 n_after = 0;

      for (guint i = 0; i < all->len; i++)
        n_after += derm_store_count_analyses (f.store, derm_photo_get_sha256 (g_ptr_array_index (all, i)), NULL);
      g_assert_cmpint (n_after, ==, n_cached);
    }
  }
  {
    g_autofree char *size = NULL;
    GStatBuf st;

    g_assert_cmpint (g_stat (pdf, &st), ==, 0);
    printf ("%-40s %8.3f s wall  %8.3f s CPU  (once: fills the cache, %lld analyses)\n",
            "report, cache empty (reference)", cold.wall, cold.cpu, (long long) n_cached);
    print_median ("report from the cache", report, N_ROUNDS, "  target <= 2 s");
    print_median ("dermis-cli --version (reference)", version, N_ROUNDS, "");
    print_median ("aftercare sheet, 1 page (reference)", aftercare, N_ROUNDS, "");
    size = g_format_size ((guint64) st.st_size);
    printf ("# report PDF: %s\n", size);
  }
  if (g_strcmp0 (g_getenv ("DERMIS_BENCH_KEEP"), "1") == 0)
    printf ("# kept for profiling: %s report %s --data-dir %s\n", cli, id, f.data_dir);
  else
    derm_test_store_tear_down (&f);
  return 0;
}

/* bench-pose.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The capture window's pose score per preview frame (target: <= 50 ms at
 * 1280 x 720): derm_pose_estimate () on skin-like frames turned, scaled and
 * shifted against the baseline, 40 frames, median and 95th percentile of
 * wall clock and the process's CPU time (OpenCV's worker threads included). References from the same run: the
 * full alignment (derm_align ()) of the same pair, which the pose score
 * replaces for live use, and copying a frame's pixels (the floor of any
 * per-frame work). Then the camera pipeline itself: photos played as a
 * 1280 x 720 camera at 30 frames per second for 4 s with every frame
 * handed to the pose tracker, as the capture window does: frames delivered
 * per second and frames scored per second. Prints the load average.
 *
 *   bench-pose
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

#include "derm-camera.h"
#include "derm-pose-tracker.h"
#include "derm-test-utils.h"

#define N_FRAMES 40

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
process_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
report (const char *what,
        GArray     *wall,
        GArray     *cpu)
{
  g_array_sort (wall, compare_double);
  g_array_sort (cpu, compare_double);
  printf ("%-44s median %7.2f ms  p95 %7.2f ms   CPU median %7.2f ms\n", what,
          g_array_index (wall, double, wall->len / 2),
          g_array_index (wall, double, MIN (wall->len - 1, (wall->len * 95 + 99) / 100 - 1)),
          g_array_index (cpu, double, cpu->len / 2));
}

static DermImage *
warp_similarity (const DermImage *image,
                 double           deg,
                 double           scale,
                 double           dx,
                 double           dy)
{
  int w = derm_image_get_width (image), h = derm_image_get_height (image);
  double cx = 0.5 * (w - 1), cy = 0.5 * (h - 1);
  double a = scale * cos (deg * G_PI / 180.0), b = scale * sin (deg * G_PI / 180.0);
  double m[9] = { a, -b, cx + dx * w - (a * cx - b * cy), b, a, cy + dy * h - (b * cx + a * cy), 0, 0, 1 };
  DermImage *out = NULL;
  DermError err;

  g_assert_cmpint (derm_image_warp (image, m, w, h, &out, &err), ==, DERM_STATUS_OK);
  return out;
}

static void
push_frame (DermCameraFrame *frame,
            gpointer         tracker)
{
  derm_pose_tracker_push_frame (tracker, frame);
}

int
main (int   argc,
      char *argv[])
{
  DermImage *baseline = derm_test_make_skin (1280, 720, 40, 640, 360, 90);
  DermImage *frames[4];
  g_autofree guint8 *rgb[4] = { NULL };
  DermPoseReference *reference = NULL;
  g_autoptr (GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = derm_test_make_tmp_dir ("bench-pose");
  g_autofree char *frame_path = NULL;
  double load[3];
  DermError err;

  frames[0] = warp_similarity (baseline, 3, 1.04, 0.02, -0.03);
  frames[1] = warp_similarity (baseline, 8, 1.0, 0.10, 0.0);
  frames[2] = warp_similarity (baseline, -6, 0.85, -0.05, 0.02);
  frames[3] = warp_similarity (baseline, 0, 1.2, 0.0, 0.06);
  for (int i = 0; i < 4; i++)
    {
      rgb[i] = g_malloc ((gsize) 1280 * 720 * 3);
      derm_image_copy_rgb (frames[i], rgb[i], 1280 * 3);
    }

  if (derm_pose_reference_new (baseline, &reference, &err) != DERM_STATUS_OK)
    g_error ("%s", err.message);

  printf ("pose score of a 1280 x 720 frame against a 1280 x 720 baseline, %d frames\n", N_FRAMES);
  for (int i = 0; i < N_FRAMES; i++)
    {
      DermPose pose;
      gint64 t0 = g_get_monotonic_time ();
      double c0 = process_cpu_ms ();
      double ms, cms;

      if (derm_pose_estimate (reference, 1280, 720, rgb[i % 4], 1280 * 3, &pose, &err) != DERM_STATUS_OK)
        g_error ("%s", err.message);
      ms = (g_get_monotonic_time () - t0) / 1e3;
      cms = process_cpu_ms () - c0;
      g_array_append_val (wall, ms);
      g_array_append_val (cpu, cms);
    }
  report ("derm_pose_estimate", wall, cpu);

  g_array_set_size (wall, 0);
  g_array_set_size (cpu, 0);
  for (int i = 0; i < 5; i++)
    {
      DermAlignment *alignment = NULL;
      gint64 t0 = g_get_monotonic_time ();
      double c0 = process_cpu_ms ();
      double ms, cms;

      if (derm_align (baseline, frames[i % 4], NULL, &alignment, &err) != DERM_STATUS_OK)
        g_error ("%s", err.message);
      ms = (g_get_monotonic_time () - t0) / 1e3;
      cms = process_cpu_ms () - c0;
      g_array_append_val (wall, ms);
      g_array_append_val (cpu, cms);
      derm_alignment_free (alignment);
    }
  report ("reference: derm_align, same pairs (5 runs)", wall, cpu);

  g_array_set_size (wall, 0);
  g_array_set_size (cpu, 0);
  for (int i = 0; i < N_FRAMES; i++)
    {
      DermImage *copy = NULL;
      gint64 t0 = g_get_monotonic_time ();
      double c0 = process_cpu_ms ();
      double ms, cms;

      if (derm_image_new_from_rgb (1280, 720, rgb[i % 4], 1280 * 3, &copy, &err) != DERM_STATUS_OK)
        g_error ("%s", err.message);
      ms = (g_get_monotonic_time () - t0) / 1e3;
      cms = process_cpu_ms () - c0;
      g_array_append_val (wall, ms);
      g_array_append_val (cpu, cms);
      derm_image_free (copy);
    }
  report ("reference: copying the frame's pixels", wall, cpu);

  /* The pipeline with the tracker fed every frame */
  {
    g_autofree guint8 *bytes = g_malloc ((gsize) 1280 * 720 * 3);
    const char *paths[2] = { NULL, NULL };
    g_autoptr (DermCamera) camera = NULL;
    g_autoptr (DermPoseTracker) tracker = derm_pose_tracker_new ();
    g_autoptr (GError) error = NULL;
    gint64 start, end;
    guint64 n0;
    guint s0;

    derm_image_copy_rgb (frames[0], bytes, 1280 * 3);
    frame_path = derm_test_write_image (dir, "frame.png", 1280, 720, bytes);
    paths[0] = frame_path;
    camera = derm_camera_new_for_photos (paths, 1280, 30, &error);
    g_assert_no_error (error);
    derm_pose_tracker_set_reference (tracker, g_steal_pointer (&reference));
    derm_camera_set_frame_func (camera, push_frame, g_object_ref (tracker), g_object_unref);
    if (!derm_camera_start (camera, &error))
      g_error ("%s", error->message);
    /* Settle for a second, then count for four */
    start = g_get_monotonic_time () + G_USEC_PER_SEC;
    while (g_get_monotonic_time () < start)
      g_main_context_iteration (NULL, FALSE), g_usleep (1000);
    n0 = derm_camera_get_n_frames (camera);
    s0 = derm_pose_tracker_get_n_scored (tracker);
    end = start + 4 * G_USEC_PER_SEC;
    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE), g_usleep (1000);
    printf ("camera at 30 fps, 1280 x 720, every frame to the tracker: %.1f frames/s delivered, %.1f scored/s\n",
            (derm_camera_get_n_frames (camera) - n0) / 4.0,
            (derm_pose_tracker_get_n_scored (tracker) - s0) / 4.0);
    derm_camera_stop (camera);
    derm_camera_set_frame_func (camera, NULL, NULL, NULL);
  }

  if (getloadavg (load, 3) == 3)
    printf ("load average %.2f %.2f %.2f on %u cores\n", load[0], load[1], load[2], g_get_num_processors ());

  derm_pose_reference_free (reference);
  for (int i = 0; i < 4; i++)
    derm_image_free (frames[i]);
  derm_image_free (baseline);
  derm_test_remove_tree (dir);
  return 0;
}

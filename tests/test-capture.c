/* test-capture.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Capture: the camera pipeline driven by GStreamer's test source and by an
 * appsrc fed from photos; the pose of a photo warped by a known rotation,
 * scale and offset, scored directly and through the pipeline, with the
 * arrows it gives; the checks before a shot is kept; a kept shot filed
 * through the photo import under its session and view.
 */
#include "config.h"

#include <math.h>

#include "derm-camera.h"
#include "derm-capture-check.h"
#include "derm-capture-store.h"
#include "derm-pose-tracker.h"
#include "derm-store-photos.h"
#include "derm-test-utils.h"

#define WAIT_USEC (20 * G_USEC_PER_SEC)

/* Runs the default main context until @cond (a boolean expression) holds,
 * failing the test after WAIT_USEC */
#define WAIT_FOR(cond)                                                    \
  G_STMT_START {                                                          \
    gint64 deadline_ = g_get_monotonic_time () + WAIT_USEC;               \
    while (!(cond))                                                       \
      {                                                                   \
        g_main_context_iteration (NULL, FALSE);                           \
        if (g_get_monotonic_time () > deadline_)                          \
          g_error ("Timed out waiting for %s", #cond);                    \
        g_usleep (2000);                                                  \
      }                                                                   \
  } G_STMT_END

/* @image's content turned @deg clockwise about the centre, scaled by
 * @scale and shifted by (@dx, @dy) frame widths and heights */
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
  double tx = cx + dx * w - (a * cx - b * cy), ty = cy + dy * h - (b * cx + a * cy);
  double m[9] = { a, -b, tx, b, a, ty, 0, 0, 1 };
  DermImage *out = NULL;
  DermError err;

  g_assert_cmpint (derm_image_warp (image, m, w, h, &out, &err), ==, DERM_STATUS_OK);
  return out;
}

static char *
save_image (const char      *dir,
            const char      *name,
            const DermImage *image)
{
  int w = derm_image_get_width (image), h = derm_image_get_height (image);
  g_autofree guint8 *rgb = g_malloc ((gsize) w * h * 3);

  derm_image_copy_rgb (image, rgb, (gsize) w * 3);
  return derm_test_write_image (dir, name, w, h, rgb);
}

static void
pixel_at (DermCameraFrame *frame,
          int              x,
          int              y,
          guint8           rgb[3])
{
  const guint8 *p = g_bytes_get_data (derm_camera_frame_get_pixels (frame), NULL);

  memcpy (rgb, p + (gsize) y * derm_camera_frame_get_stride (frame) + (gsize) x * 3, 3);
}

/* --- the pipeline -------------------------------------------------------- */

static void
test_camera_test_source (void)
{
  g_autoptr (DermCamera) camera = derm_camera_new_test ("smpte", 320, 240, 30);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermCameraFrame) frame = NULL;
  guint8 rgb[3];

  g_assert_null (derm_camera_dup_last_frame (camera));
  g_assert_true (derm_camera_start (camera, &error));
  g_assert_no_error (error);
  g_assert_true (derm_camera_get_running (camera));
  WAIT_FOR (derm_camera_get_n_frames (camera) >= 5);

  frame = derm_camera_dup_last_frame (camera);
  g_assert_cmpint (derm_camera_frame_get_width (frame), ==, 320);
  g_assert_cmpint (derm_camera_frame_get_height (frame), ==, 240);
  g_assert_cmpuint (derm_camera_frame_get_stride (frame), >=, 320 * 3);
  g_assert_cmpuint (derm_camera_frame_get_number (frame), >=, 5);
  /* SMPTE bars: white on the left, yellow next, blue on the right of the
   * top row (as gst-launch-1.0 videotestsrc pattern=smpte gives them) */
  pixel_at (frame, 10, 10, rgb);
  g_assert_cmpint (MIN (rgb[0], MIN (rgb[1], rgb[2])), >=, 250);
  pixel_at (frame, 60, 10, rgb);
  g_assert_cmpint (MIN (rgb[0], rgb[1]), >=, 250);
  g_assert_cmpint (rgb[2], <=, 5);
  pixel_at (frame, 310, 10, rgb);
  g_assert_cmpint (MAX (rgb[0], rgb[1]), <=, 5);
  g_assert_cmpint (rgb[2], >=, 250);

  derm_camera_stop (camera);
  g_assert_false (derm_camera_get_running (camera));
}

typedef struct
{
  GMutex  mutex;
  guint   n_red, n_blue;
} Seen;

static void
count_colours (DermCameraFrame *frame,
               gpointer         user_data)
{
  Seen *seen = user_data;
  guint8 rgb[3];

  pixel_at (frame, 3, 3, rgb);
  g_mutex_lock (&seen->mutex);
  if (rgb[0] == 200 && rgb[1] == 30 && rgb[2] == 40)
    seen->n_red++;
  else if (rgb[0] == 20 && rgb[1] == 50 && rgb[2] == 210)
    seen->n_blue++;
  else
    g_error ("A frame of neither photo: %u %u %u", rgb[0], rgb[1], rgb[2]);
  g_mutex_unlock (&seen->mutex);
}

static void
fill (int      x,
      int      y,
      guint8   rgb[3],
      gpointer user_data)
{
  memcpy (rgb, user_data, 3);
}

static guint
seen_both (Seen *seen)
{
  guint n;

  g_mutex_lock (&seen->mutex);
  n = MIN (seen->n_red, seen->n_blue);
  g_mutex_unlock (&seen->mutex);
  return n;
}

static void
test_camera_photos (void)
{
  g_autofree char *dir = derm_test_make_tmp_dir ("capture-photos");
  guint8 red[3] = { 200, 30, 40 }, blue[3] = { 20, 50, 210 };
  /* An odd width: RGB rows padded to 4 bytes must come out right */
  g_autofree char *a = derm_test_make_image (dir, "a.png", 161, 90, fill, red);
  g_autofree char *b = derm_test_make_image (dir, "b.png", 161, 90, fill, blue);
  g_autofree char *other = derm_test_make_image (dir, "c.png", 90, 90, fill, blue);
  const char *paths[] = { a, b, NULL };
  const char *mixed[] = { a, other, NULL };
  g_autoptr (DermCamera) camera = NULL;
  g_autoptr (DermCamera) refused = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermCameraFrame) frame = NULL;
  Seen seen = { 0 };

  refused = derm_camera_new_for_photos (mixed, 1280, 30, &error);
  g_assert_error (error, DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_PHOTOS);
  g_assert_null (refused);
  g_clear_error (&error);

  g_mutex_init (&seen.mutex);
  camera = derm_camera_new_for_photos (paths, 1280, 60, &error);
  g_assert_no_error (error);
  derm_camera_set_frame_func (camera, count_colours, &seen, NULL);
  g_assert_true (derm_camera_start (camera, &error));
  g_assert_no_error (error);
  /* The photos alternate, frame by frame */
  WAIT_FOR (seen_both (&seen) >= 3);
  frame = derm_camera_dup_last_frame (camera);
  g_assert_cmpint (derm_camera_frame_get_width (frame), ==, 161);
  g_assert_cmpint (derm_camera_frame_get_height (frame), ==, 90);
  derm_camera_stop (camera);
  derm_camera_set_frame_func (camera, NULL, NULL, NULL);
  g_mutex_clear (&seen.mutex);
  derm_test_remove_tree (dir);
}

/* --- pose ----------------------------------------------------------------- */

static DermImage *
baseline_scene (void)
{
  return derm_test_make_skin (1280, 720, 40, 640, 360, 90);
}

static DermPose
pose_of (const DermPoseReference *reference,
         const DermImage         *frame)
{
  int w = derm_image_get_width (frame), h = derm_image_get_height (frame);
  g_autofree guint8 *rgb = g_malloc ((gsize) w * h * 3);
  DermPose pose;
  DermError err;

  derm_image_copy_rgb (frame, rgb, (gsize) w * 3);
  g_assert_cmpint (derm_pose_estimate (reference, w, h, rgb, (gsize) w * 3, &pose, &err), ==, DERM_STATUS_OK);
  return pose;
}

static void
test_pose_known_offset (void)
{
  DermImage *baseline = baseline_scene ();
  DermPoseReference *reference = NULL;
  DermError err;
  struct
  {
    double            deg, scale, dx, dy;
    DermCaptureAdvice advice;
  } cases[] = {
    { 0, 1, 0, 0, DERM_CAPTURE_ADVICE_NONE },
    { 3, 1.04, 0.02, -0.03, DERM_CAPTURE_ADVICE_NONE },
    { 8, 1, 0.10, 0, DERM_CAPTURE_ADVICE_TURN_CW | DERM_CAPTURE_ADVICE_RIGHT },
    { -9, 1, 0, -0.08, DERM_CAPTURE_ADVICE_TURN_CCW | DERM_CAPTURE_ADVICE_UP },
    { 0, 1.25, 0, 0.07, DERM_CAPTURE_ADVICE_BACK | DERM_CAPTURE_ADVICE_DOWN },
    { 0, 0.8, -0.07, 0, DERM_CAPTURE_ADVICE_CLOSER | DERM_CAPTURE_ADVICE_LEFT },
  };

  g_assert_cmpint (derm_pose_reference_new (baseline, &reference, &err), ==, DERM_STATUS_OK);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DermImage *frame = warp_similarity (baseline, cases[i].deg, cases[i].scale, cases[i].dx, cases[i].dy);
      DermPose pose = pose_of (reference, frame);

      g_test_message ("case %u: %.2f deg, scale %.3f, offset %.3f %.3f, %d of %d", i, pose.rotation_deg,
                      pose.scale, pose.offset_x, pose.offset_y, pose.n_inliers, pose.n_matches);
      g_assert_cmpfloat_with_epsilon (pose.rotation_deg, cases[i].deg, 0.5);
      g_assert_cmpfloat_with_epsilon (pose.scale, cases[i].scale, 0.02);
      g_assert_cmpfloat_with_epsilon (pose.offset_x, cases[i].dx, 0.01);
      g_assert_cmpfloat_with_epsilon (pose.offset_y, cases[i].dy, 0.01);
      g_assert_cmpint (derm_capture_advise (&pose), ==, cases[i].advice);
      derm_image_free (frame);
    }
  derm_pose_reference_free (reference);
  derm_image_free (baseline);
}

static void
test_pose_other_scene (void)
{
  DermImage *baseline = baseline_scene ();
  DermPoseReference *reference = NULL;
  g_autofree guint8 *grey = g_malloc0 (1280 * 720 * 3);
  DermPose pose;
  DermError err;

  g_assert_cmpint (derm_pose_reference_new (baseline, &reference, &err), ==, DERM_STATUS_OK);
  memset (grey, 128, 1280 * 720 * 3);
  g_assert_cmpint (derm_pose_estimate (reference, 1280, 720, grey, 1280 * 3, &pose, &err), ==,
                   DERM_STATUS_ALIGNMENT_REFUSED);
  g_assert_cmpstr (err.message, !=, "");
  derm_pose_reference_free (reference);
  derm_image_free (baseline);
}

static void
on_scored (DermPoseTracker *tracker,
           guint           *n)
{
  (*n)++;
}

static void
push_to_tracker (DermCameraFrame *frame,
                 gpointer         tracker)
{
  derm_pose_tracker_push_frame (tracker, frame);
}

/* The warped photo played as a camera, scored on the tracker's thread */
static void
test_pose_through_pipeline (void)
{
  g_autofree char *dir = derm_test_make_tmp_dir ("capture-pose");
  DermImage *baseline = baseline_scene ();
  DermImage *moved = warp_similarity (baseline, -7, 0.85, -0.06, 0.0);
  g_autofree char *path = save_image (dir, "moved.png", moved);
  const char *paths[] = { path, NULL };
  g_autoptr (DermCamera) camera = NULL;
  g_autoptr (DermPoseTracker) tracker = derm_pose_tracker_new ();
  DermPoseReference *reference = NULL;
  g_autoptr (GError) error = NULL;
  DermPose pose;
  DermError err;
  guint n_scored = 0;

  g_assert_cmpint (derm_pose_reference_new (baseline, &reference, &err), ==, DERM_STATUS_OK);
  derm_pose_tracker_set_reference (tracker, reference);
  g_signal_connect (tracker, "scored", G_CALLBACK (on_scored), &n_scored);
  camera = derm_camera_new_for_photos (paths, 1280, 30, &error);
  g_assert_no_error (error);
  derm_camera_set_frame_func (camera, push_to_tracker, g_object_ref (tracker), g_object_unref);
  g_assert_true (derm_camera_start (camera, &error));
  WAIT_FOR (n_scored >= 3);
  derm_camera_stop (camera);
  derm_camera_set_frame_func (camera, NULL, NULL, NULL);

  g_assert_true (derm_pose_tracker_get_pose (tracker, &pose, NULL));
  g_assert_cmpfloat_with_epsilon (pose.rotation_deg, -7, 0.5);
  g_assert_cmpfloat_with_epsilon (pose.scale, 0.85, 0.02);
  g_assert_cmpfloat_with_epsilon (pose.offset_x, -0.06, 0.01);
  g_assert_cmpint (derm_capture_advise (&pose), ==,
                   DERM_CAPTURE_ADVICE_TURN_CCW | DERM_CAPTURE_ADVICE_CLOSER | DERM_CAPTURE_ADVICE_LEFT);
  g_assert_cmpuint (derm_pose_tracker_get_n_scored (tracker), >=, 3);

  derm_image_free (moved);
  derm_image_free (baseline);
  derm_test_remove_tree (dir);
}

/* --- checks before a shot is kept ----------------------------------------- */

/* A 5 x 5 box blur, three times: clearly softer */
static DermImage *
blurred (const DermImage *image)
{
  int w = derm_image_get_width (image), h = derm_image_get_height (image);
  g_autofree guint8 *a = g_malloc ((gsize) w * h * 3);
  g_autofree guint8 *b = g_malloc ((gsize) w * h * 3);
  DermImage *out = NULL;
  DermError err;

  derm_image_copy_rgb (image, a, (gsize) w * 3);
  for (int pass = 0; pass < 3; pass++)
    {
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          for (int c = 0; c < 3; c++)
            {
              int sum = 0, n = 0;

              for (int dy = -2; dy <= 2; dy++)
                for (int dx = -2; dx <= 2; dx++)
                  if (x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h)
                    {
                      sum += a[((gsize) (y + dy) * w + (x + dx)) * 3 + c];
                      n++;
                    }
              b[((gsize) y * w + x) * 3 + c] = (guint8) (sum / n);
            }
      memcpy (a, b, (gsize) w * h * 3);
    }
  g_assert_cmpint (derm_image_new_from_rgb (w, h, a, (gsize) w * 3, &out, &err), ==, DERM_STATUS_OK);
  return out;
}

static DermImage *
brightened (const DermImage *image,
            int              add)
{
  int w = derm_image_get_width (image), h = derm_image_get_height (image);
  g_autofree guint8 *a = g_malloc ((gsize) w * h * 3);
  DermImage *out = NULL;
  DermError err;

  derm_image_copy_rgb (image, a, (gsize) w * 3);
  for (gsize i = 0; i < (gsize) w * h * 3; i++)
    a[i] = (guint8) MIN (255, a[i] + add);
  g_assert_cmpint (derm_image_new_from_rgb (w, h, a, (gsize) w * 3, &out, &err), ==, DERM_STATUS_OK);
  return out;
}

static void
test_checks (void)
{
  DermImage *baseline = derm_test_make_skin (640, 360, 40, 320, 180, 50);
  DermImage *soft = blurred (baseline);
  DermImage *bright = brightened (baseline, 60);
  DermPose good = { .rotation_deg = 1, .scale = 1.02, .offset_x = 0.01, .offset_y = 0.0 };
  DermPose turned = { .rotation_deg = 12, .scale = 1.0 };
  DermCaptureChecks checks;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) problems = NULL;

  g_assert_true (derm_capture_check_shot (baseline, baseline, &good, &checks, &error));
  g_assert_no_error (error);
  g_assert_true (checks.exposure_ok && checks.sharpness_ok && checks.pose_ok);
  g_assert_cmpfloat_with_epsilon (checks.sharpness_ratio, 1.0, 1e-9);
  problems = derm_capture_checks_problems (&checks);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);
  g_clear_pointer (&problems, g_strfreev);

  g_assert_true (derm_capture_check_shot (soft, baseline, &good, &checks, &error));
  g_assert_true (checks.exposure_ok && checks.pose_ok);
  g_assert_false (checks.sharpness_ok);
  g_assert_cmpfloat (checks.sharpness_ratio, <, 0.5);
  problems = derm_capture_checks_problems (&checks);
  g_assert_cmpuint (g_strv_length (problems), ==, 1);
  g_assert_nonnull (strstr (problems[0], "softer"));
  g_clear_pointer (&problems, g_strfreev);

  /* 60 brighter: the light skin's red channel clips */
  g_assert_true (derm_capture_check_shot (bright, baseline, &turned, &checks, &error));
  g_assert_false (checks.exposure_ok);
  g_assert_cmpfloat (checks.clipped_pct, >, 50);
  g_assert_false (checks.pose_ok);
  problems = derm_capture_checks_problems (&checks);
  g_assert_cmpuint (g_strv_length (problems), >=, 2);
  g_clear_pointer (&problems, g_strfreev);

  /* No pose found against a baseline fails the pose; no baseline at all
   * judges the exposure only */
  g_assert_true (derm_capture_check_shot (baseline, baseline, NULL, &checks, &error));
  g_assert_false (checks.pose_ok);
  g_assert_true (derm_capture_check_shot (soft, NULL, NULL, &checks, &error));
  g_assert_true (checks.exposure_ok && checks.sharpness_ok && checks.pose_ok);
  g_assert_true (isnan (checks.sharpness_ratio));

  derm_image_free (bright);
  derm_image_free (soft);
  derm_image_free (baseline);
}

/* --- a kept shot ---------------------------------------------------------- */

static void
test_store_shot (void)
{
  DermTestStore fixture;
  gint64 client, first, second;
  g_autoptr (GPtrArray) series = NULL;
  g_autoptr (DermPhoto) baseline = NULL;
  g_autoptr (DermPhoto) photo = NULL;
  g_autoptr (DermPhoto) again = NULL;
  g_autoptr (DermCamera) camera = derm_camera_new_test ("ball", 640, 360, 30);
  g_autoptr (DermCameraFrame) frame = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *original = NULL;
  g_autofree char *sha = NULL;
  g_autoptr (GPtrArray) photos = NULL;
  gint64 sessions[2];
  double redness[2] = { 20, 20 };
  DermImage *shot;

  derm_test_store_set_up (&fixture, "capture-store");
  client = derm_test_add_client (fixture.store, "Zoë Capture");
  first = derm_test_add_session (fixture.store, client, "2026-01-10");
  second = derm_test_add_session (fixture.store, client, "2026-02-10");
  sessions[0] = first;
  sessions[1] = second;
  g_assert_null (derm_capture_find_baseline (fixture.store, client, DERM_PHOTO_VIEW_LEFT_45, &error));
  g_assert_no_error (error);
  series = derm_test_import_skin_series (&fixture, client, DERM_PHOTO_VIEW_LEFT_45, sessions, redness, 2, 400, 300);

  /* The baseline is the first session's photo of the view */
  baseline = derm_capture_find_baseline (fixture.store, client, DERM_PHOTO_VIEW_LEFT_45, &error);
  g_assert_no_error (error);
  g_assert_nonnull (baseline);
  g_assert_cmpint (derm_photo_get_treatment_id (baseline), ==, first);
  g_assert_null (derm_capture_find_baseline (fixture.store, client, DERM_PHOTO_VIEW_FRONT, &error));

  g_assert_true (derm_camera_start (camera, &error));
  WAIT_FOR (derm_camera_get_n_frames (camera) >= 2);
  frame = derm_camera_dup_last_frame (camera);
  derm_camera_stop (camera);
  shot = derm_capture_frame_to_image (frame);
  photo = derm_capture_store_shot (fixture.library, client, second, DERM_PHOTO_VIEW_LEFT_45, "left cheek", shot,
                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (photo);
  g_assert_cmpint (derm_photo_get_treatment_id (photo), ==, second);
  g_assert_cmpint (derm_photo_get_view (photo), ==, DERM_PHOTO_VIEW_LEFT_45);
  g_assert_cmpstr (derm_photo_get_area (photo), ==, "left cheek");

  /* Stored content-addressed: the original hashes to its name */
  original = derm_photo_library_get_original_path (fixture.library, derm_photo_get_sha256 (photo));
  sha = derm_photo_library_hash_file (original, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha, ==, derm_photo_get_sha256 (photo));

  /* Listed with its session, as the gallery reads it */
  photos = derm_store_list_photos (fixture.store, client, DERM_PHOTO_LIST_ACTIVE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photos->len, ==, 3);
  again = derm_store_get_photo (fixture.store, derm_photo_get_id (photo), &error);
  g_assert_cmpint (derm_photo_get_treatment_id (again), ==, second);
  g_assert_cmpint (derm_photo_get_width (again), ==, 640);

  /* The same shot twice is the import's duplicate, nothing stored twice */
  g_clear_object (&photo);
  photo = derm_capture_store_shot (fixture.library, client, second, DERM_PHOTO_VIEW_LEFT_45, NULL, shot, NULL, &error);
  g_assert_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_DUPLICATE);
  g_assert_null (photo);

  derm_image_free (shot);
  derm_test_store_tear_down (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture/camera/test-source", test_camera_test_source);
  g_test_add_func ("/capture/camera/photos", test_camera_photos);
  g_test_add_func ("/capture/pose/known-offset", test_pose_known_offset);
  g_test_add_func ("/capture/pose/other-scene", test_pose_other_scene);
  g_test_add_func ("/capture/pose/through-pipeline", test_pose_through_pipeline);
  g_test_add_func ("/capture/checks", test_checks);
  g_test_add_func ("/capture/store-shot", test_store_shot);

  return g_test_run ();
}

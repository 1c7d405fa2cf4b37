/* test-comparison.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Before/after comparisons on synthetic photos: one "face" texture with a
 * red blotch that fades session by session, photographed through known
 * homographies, imported with the photo library into a temporary data
 * dir. Proves: pairs of different clients are refused; loading walks the
 * states and aligns back to the known transform; a refused alignment says
 * why; manual alignment from points; regions saved, loaded and mapped;
 * the analysis cache; numbers equal to `dermis-cli compare --json`; the
 * trend falls as redness falls; the export PNG carries no metadata; a
 * removed photo ends the comparison.
 */
#define G_LOG_DOMAIN "test-comparison"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <pango/pangocairo.h>

#include "derm-client.h"
#include "derm-compare-metrics.h"
#include "derm-comparison-export.h"
#include "derm-export-file.h"
#include "derm-comparison.h"
#include "derm-imaging.h"
#include "derm-photo-library.h"
#include "derm-region.h"
#include "derm-store-compare.h"
#include "derm-store-photos.h"
#include "derm-store.h"
#include "derm-thumbnailer.h"
#include "derm-treatment.h"
#include "derm-trend.h"
#include "derm-test-utils.h"

#define WORLD_W 900
#define WORLD_H 700
#define PHOTO_W 640
#define PHOTO_H 480
#define N_SESSIONS 3

/* The blotch, in world pixels */
#define BLOTCH_X 450.0
#define BLOTCH_Y 330.0
#define BLOTCH_R 70.0

typedef struct
{
  DermTestStore     fx;
  /* Shorthands into fx */
  char             *dir;
  char             *data_dir;
  char             *files_dir;
  DermStore        *store;
  DermThumbnailer  *thumbnailer;
  DermPhotoLibrary *library;
  gint64            client_id;
  gint64            other_client_id;
  DermPhoto        *photos[N_SESSIONS];   /* front view, sessions 1..3 */
  double            world_to_photo[N_SESSIONS][9];
  DermPhoto        *flat;                 /* featureless, session 3 */
  DermPhoto        *foreign;              /* the other client's */
} Fixture;

/* ------------------------------------------------------------ helpers */

static void
mat_mul (const double a[9], const double b[9], double out[9])
{
  double r[9];

  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      r[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
  memcpy (out, r, sizeof r);
}

static void
mat_inv (const double m[9], double out[9])
{
  double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6])
               + m[2] * (m[3] * m[7] - m[4] * m[6]);
  double r[9] = {
    (m[4] * m[8] - m[5] * m[7]) / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
    (m[5] * m[6] - m[3] * m[8]) / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
    (m[3] * m[7] - m[4] * m[6]) / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det,
  };
  memcpy (out, r, sizeof r);
}

static void
apply (const double h[9], double x, double y, double *ox, double *oy)
{
  double w = h[6] * x + h[7] * y + h[8];

  *ox = (h[0] * x + h[1] * y + h[2]) / w;
  *oy = (h[3] * x + h[4] * y + h[5]) / w;
}

/* Largest displacement of the photo corners between two homographies */
static double
corner_error (const double a[9], const double b[9])
{
  const double corners[4][2] = { { 0, 0 }, { PHOTO_W - 1, 0 }, { PHOTO_W - 1, PHOTO_H - 1 }, { 0, PHOTO_H - 1 } };
  double worst = 0;

  for (int i = 0; i < 4; i++)
    {
      double ax, ay, bx, by;
      apply (a, corners[i][0], corners[i][1], &ax, &ay);
      apply (b, corners[i][0], corners[i][1], &bx, &by);
      worst = MAX (worst, hypot (ax - bx, ay - by));
    }
  return worst;
}

/* The known after -> before transform between session photos */
static void
known_after_to_before (Fixture *f, guint before, guint after, double out[9])
{
  double inv[9];

  mat_inv (f->world_to_photo[after], inv);
  mat_mul (f->world_to_photo[before], inv, out);
}

/* A skin-like world with a red blotch of @redness */
static DermImage *
make_world (double redness)
{
  return derm_test_make_skin (WORLD_W, WORLD_H, redness, BLOTCH_X, BLOTCH_Y, BLOTCH_R);
}

/* Writes @image as a PNG in the files directory; returns the path */
static char *
write_photo (Fixture *f, const DermImage *image, const char *name)
{
  int width = derm_image_get_width (image), height = derm_image_get_height (image);
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);

  derm_image_copy_rgb (image, rgb, (size_t) width * 3);
  return derm_test_write_image (f->files_dir, name, width, height, rgb);
}

static DermPhoto *
import (Fixture *f, gint64 client_id, const char *path, gint64 treatment_id)
{
  return derm_test_import (f->library, client_id, path, treatment_id, DERM_PHOTO_VIEW_FRONT);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  static const char *dates[N_SESSIONS] = { "2024-01-10", "2024-02-12", "2024-03-15" };
  /* Small rotations, shifts and zooms, as a hand-held camera gives */
  static const double motion[N_SESSIONS][4] = {   /* angle (deg), scale, dx, dy */
    { 0.0, 1.0, -130, -110 },
    { 3.0, 1.04, -150, -95 },
    { -2.5, 0.97, -115, -125 },
  };
  g_autoptr (GError) error = NULL;
  gint64 sessions[N_SESSIONS];

  derm_test_store_set_up (&f->fx, "comparison");
  f->dir = f->fx.dir;
  f->data_dir = f->fx.data_dir;
  f->files_dir = f->fx.files_dir;
  f->store = f->fx.store;
  f->thumbnailer = f->fx.thumbnailer;
  f->library = f->fx.library;
  f->client_id = derm_test_add_client (f->store, "Ada Lovelace");
  f->other_client_id = derm_test_add_client (f->store, "Grace Hopper");

  for (guint i = 0; i < N_SESSIONS; i++)
    {
      double a = motion[i][0] * G_PI / 180, s = motion[i][1];
      double cx = WORLD_W / 2.0, cy = WORLD_H / 2.0;
      /* rotate and scale about the world centre, then shift */
      double h[9] = {
        s * cos (a), -s * sin (a), cx - s * cos (a) * cx + s * sin (a) * cy + motion[i][2],
        s * sin (a), s * cos (a), cy - s * sin (a) * cx - s * cos (a) * cy + motion[i][3],
        0, 0, 1,
      };
      DermImage *world = make_world (60.0 - 25.0 * i);
      DermImage *photo = NULL;
      DermError err;
      g_autofree char *name = g_strdup_printf ("session-%u.png", i + 1);
      g_autofree char *path = NULL;

      memcpy (f->world_to_photo[i], h, sizeof h);
      g_assert_cmpint (derm_image_warp (world, h, PHOTO_W, PHOTO_H, &photo, &err), ==, DERM_STATUS_OK);
      path = write_photo (f, photo, name);
      sessions[i] = derm_test_add_session (f->store, f->client_id, dates[i]);
      f->photos[i] = import (f, f->client_id, path, sessions[i]);
      derm_image_free (photo);
      derm_image_free (world);
    }

  {
    g_autofree guint8 *rgb = g_malloc ((gsize) PHOTO_W * PHOTO_H * 3);
    g_autofree char *flat_path = NULL;
    g_autofree char *foreign_path = NULL;
    DermImage *image = NULL;
    DermError err;

    for (int y = 0; y < PHOTO_H; y++)
      for (int x = 0; x < PHOTO_W; x++)
        {
          guint8 *p = rgb + 3 * ((gsize) y * PHOTO_W + x);
          p[0] = (guint8) (150 + x / 16);
          p[1] = 120;
          p[2] = (guint8) (110 + y / 16);
        }
    g_assert_cmpint (derm_image_new_from_rgb (PHOTO_W, PHOTO_H, rgb, PHOTO_W * 3, &image, &err), ==, DERM_STATUS_OK);
    flat_path = write_photo (f, image, "flat.png");
    f->flat = import (f, f->client_id, flat_path, sessions[2]);
    derm_photo_set_view (f->flat, DERM_PHOTO_VIEW_CLOSE_UP);
    derm_store_update_photo (f->store, f->flat, &error);
    g_assert_no_error (error);
    /* Another client's copy of the first photo's content, slightly changed */
    rgb[0] ^= 1;
    derm_image_free (image);
    g_assert_cmpint (derm_image_new_from_rgb (PHOTO_W, PHOTO_H, rgb, PHOTO_W * 3, &image, &err), ==, DERM_STATUS_OK);
    foreign_path = write_photo (f, image, "foreign.png");
    f->foreign = import (f, f->other_client_id, foreign_path, 0);
    derm_image_free (image);
  }
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < N_SESSIONS; i++)
    g_clear_object (&f->photos[i]);
  g_clear_object (&f->flat);
  g_clear_object (&f->foreign);
  derm_test_store_tear_down (&f->fx);
}

/* Runs the main context until *@result is set by a callback */
static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
record_state (DermComparison *comparison, GParamSpec *pspec, GArray *states)
{
  DermComparisonState state = derm_comparison_get_state (comparison);

  g_array_append_val (states, state);
}

static DermComparison *
open_loaded (Fixture *f, DermPhoto *before, DermPhoto *after, gboolean align)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  DermComparison *comparison = derm_comparison_new (f->library, before, after, &error);

  g_assert_no_error (error);
  derm_comparison_load_async (comparison, align, NULL, store_result, &result);
  g_assert_true (derm_comparison_load_finish (comparison, wait_for (&result), &error));
  g_assert_no_error (error);
  return comparison;
}

static DermComparisonMetrics *
metrics_of (DermComparison *comparison, DermRegion *region)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  DermComparisonMetrics *metrics;

  derm_comparison_compute_metrics_async (comparison, region, NULL, store_result, &result);
  metrics = derm_comparison_compute_metrics_finish (comparison, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (metrics);
  return metrics;
}

/* The blotch of session 1 as a region on the first photo */
static DermRegion *
blotch_polygon (Fixture *f, guint session)
{
  double pts[16];

  for (int i = 0; i < 8; i++)
    {
      double a = i * G_PI / 4;
      apply (f->world_to_photo[session], BLOTCH_X + 55 * cos (a), BLOTCH_Y + 55 * sin (a), &pts[2 * i], &pts[2 * i + 1]);
    }
  return derm_region_new_polygon ("Left cheek", pts, 8);
}

/* ------------------------------------------------------------ tests */

static void
test_different_clients (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermComparison) comparison = derm_comparison_new (f->library, f->photos[0], f->foreign, &error);

  g_assert_null (comparison);
  g_assert_error (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_DIFFERENT_CLIENTS);
  g_assert_nonnull (strstr (error->message, "different clients"));
  g_clear_error (&error);

  comparison = derm_comparison_new (f->library, f->photos[0], f->photos[0], &error);
  g_assert_null (comparison);
  g_assert_error (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_SAME_PHOTO);
}

static void
test_load_and_align (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (DermComparison) comparison = NULL;
  g_autoptr (GArray) states = g_array_new (FALSE, FALSE, sizeof (DermComparisonState));
  g_autoptr (GBytes) rgba = NULL;
  g_autofree char *label = NULL;
  static const DermComparisonState expected[] = {
    DERM_COMPARISON_STATE_PREVIEW_READY, DERM_COMPARISON_STATE_LOADING_FULL,
    DERM_COMPARISON_STATE_UNALIGNED, DERM_COMPARISON_STATE_ALIGNING, DERM_COMPARISON_STATE_ALIGNED,
  };
  DermAlignmentResult r;
  double known[9];
  int w, h;
  gsize stride;
  double scale;
  guint transparent = 0;
  const guint8 *px;

  comparison = derm_comparison_new_default (f->library, f->client_id, DERM_PHOTO_VIEW_FRONT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (derm_photo_get_id (derm_comparison_get_before (comparison)), ==, derm_photo_get_id (f->photos[0]));
  g_assert_cmpint (derm_photo_get_id (derm_comparison_get_after (comparison)), ==, derm_photo_get_id (f->photos[2]));
  g_assert_cmpint (derm_comparison_get_state (comparison), ==, DERM_COMPARISON_STATE_LOADING_PREVIEW);
  g_signal_connect (comparison, "notify::state", G_CALLBACK (record_state), states);

  derm_comparison_load_async (comparison, TRUE, NULL, store_result, &result);
  g_assert_true (derm_comparison_load_finish (comparison, wait_for (&result), &error));
  g_assert_no_error (error);

  g_assert_cmpuint (states->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < states->len; i++)
    g_assert_cmpint (g_array_index (states, DermComparisonState, i), ==, expected[i]);
  g_assert_cmpfloat (derm_comparison_get_progress (comparison), ==, 1.0);

  g_assert_true (derm_comparison_get_alignment (comparison, &r));
  known_after_to_before (f, 0, 2, known);
  g_assert_cmpfloat (corner_error (r.h, known), <, 1.0);
  g_assert_cmpint (r.n_inliers, >=, 40);
  g_assert_null (derm_comparison_get_refused_reason (comparison));

  /* Pixels for textures: the aligned after photo is transparent where
   * it does not cover the before photo (it was shifted and rotated) */
  rgba = derm_comparison_dup_rgba (comparison, DERM_COMPARISON_IMAGE_AFTER_ALIGNED, 0, &w, &h, &stride, &scale);
  g_assert_nonnull (rgba);
  g_assert_cmpint (w, ==, PHOTO_W);
  g_assert_cmpint (h, ==, PHOTO_H);
  g_assert_cmpuint (stride, ==, (gsize) PHOTO_W * 4);
  g_assert_cmpfloat (scale, ==, 1.0);
  px = g_bytes_get_data (rgba, NULL);
  for (gsize i = 0; i < (gsize) w * h; i++)
    transparent += px[4 * i + 3] == 0;
  g_assert_cmpuint (transparent, >, 100);
  g_assert_cmpuint (transparent, <, (guint) (w * h / 4));
  g_clear_pointer (&rgba, g_bytes_unref);

  /* A zoomed-out level, and the same level again comes from the cache */
  rgba = derm_comparison_dup_rgba (comparison, DERM_COMPARISON_IMAGE_BEFORE, 320, &w, &h, &stride, &scale);
  g_assert_cmpint (w, ==, 320);
  g_assert_cmpint (h, ==, 240);
  g_assert_cmpfloat_with_epsilon (scale, 0.5, 1e-9);
  {
    g_autoptr (GBytes) again = derm_comparison_dup_rgba (comparison, DERM_COMPARISON_IMAGE_BEFORE, 320,
                                                         NULL, NULL, NULL, NULL);
    g_assert_true (again == rgba);
  }

  label = derm_comparison_dup_label (comparison, DERM_COMPARISON_IMAGE_AFTER);
  g_assert_nonnull (strstr (label, "2024"));
  g_assert_nonnull (strstr (label, "Session 3"));
  g_assert_cmpint (derm_comparison_get_session_number (comparison, DERM_COMPARISON_IMAGE_BEFORE), ==, 1);
}

static void
test_alignment_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (DermComparison) comparison = open_loaded (f, f->photos[0], f->flat, TRUE);
  double before_pts[8], after_pts[8];
  DermAlignmentResult r;

  g_assert_cmpint (derm_comparison_get_state (comparison), ==, DERM_COMPARISON_STATE_ALIGNMENT_REFUSED);
  g_assert_nonnull (derm_comparison_get_refused_reason (comparison));
  g_assert_nonnull (strstr (derm_comparison_get_refused_reason (comparison), "refused"));
  g_assert_false (derm_comparison_get_alignment (comparison, NULL));
  g_assert_false (derm_comparison_has_image (comparison, DERM_COMPARISON_IMAGE_AFTER_ALIGNED));
  /* The unaligned pair can still be looked at */
  g_assert_true (derm_comparison_has_image (comparison, DERM_COMPARISON_IMAGE_AFTER));

  /* No metrics without an alignment */
  derm_comparison_compute_metrics_async (comparison, NULL, NULL, store_result, &result);
  g_assert_null (derm_comparison_compute_metrics_finish (comparison, wait_for (&result), &error));
  g_assert_error (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_NOT_ALIGNED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* By hand: four points, related by a known shift and zoom */
  {
    const double a[8] = { 100, 100, 500, 120, 480, 400, 120, 380 };
    for (int i = 0; i < 4; i++)
      {
        after_pts[2 * i] = a[2 * i];
        after_pts[2 * i + 1] = a[2 * i + 1];
        before_pts[2 * i] = 1.05 * a[2 * i] + 12;
        before_pts[2 * i + 1] = 1.05 * a[2 * i + 1] - 7;
      }
  }
  derm_comparison_align_manual_async (comparison, before_pts, after_pts, 4, NULL, store_result, &result);
  g_assert_true (derm_comparison_align_manual_finish (comparison, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (derm_comparison_get_state (comparison), ==, DERM_COMPARISON_STATE_MANUAL);
  g_assert_null (derm_comparison_get_refused_reason (comparison));
  g_assert_true (derm_comparison_get_alignment (comparison, &r));
  g_assert_cmpfloat_with_epsilon (r.h[0], 1.05, 1e-6);
  g_assert_cmpfloat_with_epsilon (r.h[2], 12, 1e-4);
  g_assert_cmpfloat_with_epsilon (r.h[5], -7, 1e-4);
  g_assert_cmpfloat (r.rms_error, <, 1e-6);
  g_assert_cmpint (r.n_inliers, ==, 4);
  g_assert_true (derm_comparison_has_image (comparison, DERM_COMPARISON_IMAGE_AFTER_ALIGNED));
  g_clear_object (&result);

  /* Collinear points are refused with the reason; the manual alignment stays */
  {
    const double line[6] = { 10, 10, 200, 200, 400, 400 };
    derm_comparison_align_manual_async (comparison, line, line, 3, NULL, store_result, &result);
    g_assert_false (derm_comparison_align_manual_finish (comparison, wait_for (&result), &error));
    g_assert_error (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_ALIGNMENT_REFUSED);
    g_assert_nonnull (strstr (error->message, "line"));
    g_assert_cmpint (derm_comparison_get_state (comparison), ==, DERM_COMPARISON_STATE_MANUAL);
  }
}

static void
test_manual_points_imaging (void)
{
  /* 3 points: an exact affine transform */
  const double a3[6] = { 10, 20, 300, 40, 150, 260 };
  double b3[6], h[9], rms = -1;
  const double A[9] = { 0.98, -0.12, 14, 0.1, 1.02, -6, 0, 0, 1 };
  /* 4 points: an exact homography */
  const double H[9] = { 1.01, 0.03, 5, -0.02, 0.99, 9, 1e-5, -2e-5, 1 };
  const double a4[8] = { 30, 30, 600, 20, 610, 450, 25, 470 };
  double b4[8];
  DermError err;

  for (int i = 0; i < 3; i++)
    apply (A, a3[2 * i], a3[2 * i + 1], &b3[2 * i], &b3[2 * i + 1]);
  g_assert_cmpint (derm_homography_from_points (a3, b3, 3, PHOTO_W, PHOTO_H, h, &rms, &err), ==, DERM_STATUS_OK);
  for (int i = 0; i < 9; i++)
    g_assert_cmpfloat_with_epsilon (h[i], A[i], 1e-6);
  g_assert_cmpfloat (rms, <, 1e-6);

  for (int i = 0; i < 4; i++)
    apply (H, a4[2 * i], a4[2 * i + 1], &b4[2 * i], &b4[2 * i + 1]);
  g_assert_cmpint (derm_homography_from_points (a4, b4, 4, PHOTO_W, PHOTO_H, h, &rms, &err), ==, DERM_STATUS_OK);
  g_assert_cmpfloat (corner_error (h, H), <, 1e-3);

  /* Mirrored order: refused as folding */
  {
    double mirrored[8];
    for (int i = 0; i < 4; i++)
      {
        mirrored[2 * i] = PHOTO_W - a4[2 * i];
        mirrored[2 * i + 1] = a4[2 * i + 1];
      }
    g_assert_cmpint (derm_homography_from_points (a4, mirrored, 4, PHOTO_W, PHOTO_H, h, NULL, &err), ==,
                     DERM_STATUS_ALIGNMENT_REFUSED);
    g_assert_nonnull (strstr (err.message, "mirror"));
  }
  /* Two points on one spot */
  {
    const double dup[6] = { 10, 10, 10.1, 10, 300, 300 };
    g_assert_cmpint (derm_homography_from_points (dup, a3, 3, PHOTO_W, PHOTO_H, h, NULL, &err), ==,
                     DERM_STATUS_ALIGNMENT_REFUSED);
  }
}

static void
test_regions (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (DermComparison) first = open_loaded (f, f->photos[0], f->photos[1], TRUE);
  g_autoptr (DermComparison) later = NULL;
  g_autoptr (DermRegion) rect = derm_region_new_rect ("Forehead", 200, 60, 180, 70);
  g_autoptr (DermRegion) poly = blotch_polygon (f, 0);
  g_autoptr (GPtrArray) saved = NULL;
  g_autoptr (DermRegion) reloaded = NULL;
  guint n_skipped = 99;
  double known[9], photo0_to_photo1[9];

  g_assert_true (derm_comparison_save_region (first, rect, &error));
  g_assert_no_error (error);
  g_assert_true (derm_comparison_save_region (first, poly, &error));
  g_assert_no_error (error);
  g_assert_cmpint (derm_region_get_id (rect), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (derm_comparison_get_regions (first)), ==, 2);

  /* Saved per client and view, exactly */
  saved = derm_store_list_regions (f->store, f->client_id, DERM_PHOTO_VIEW_FRONT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (saved->len, ==, 2);
  {
    g_autofree char *a = derm_region_dup_geometry (poly);
    g_autofree char *b = derm_region_dup_geometry (g_ptr_array_index (saved, 1));
    g_assert_cmpstr (a, ==, b);
  }
  g_assert_cmpstr (derm_region_get_name (g_ptr_array_index (saved, 0)), ==, "Forehead");
  g_assert_cmpstr (derm_region_get_frame_sha256 (g_ptr_array_index (saved, 0)), ==,
                   derm_photo_get_sha256 (f->photos[0]));
  g_clear_pointer (&saved, g_ptr_array_unref);
  saved = derm_store_list_regions (f->store, f->client_id, DERM_PHOTO_VIEW_LEFT_45, &error);
  g_assert_cmpuint (saved->len, ==, 0);

  /* Renaming updates the same row */
  derm_region_set_name (rect, "Brow");
  g_assert_true (derm_comparison_save_region (first, rect, &error));
  reloaded = derm_store_get_region (f->store, derm_region_get_id (rect), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_region_get_name (reloaded), ==, "Brow");

  /* A later comparison (session 2 -> 3) gets them mapped onto its before photo */
  later = open_loaded (f, f->photos[1], f->photos[2], TRUE);
  derm_comparison_load_regions_async (later, NULL, store_result, &result);
  g_assert_true (derm_comparison_load_regions_finish (later, wait_for (&result), &n_skipped, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_skipped, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (derm_comparison_get_regions (later)), ==, 2);

  known_after_to_before (f, 1, 0, known);   /* photo 0 pixels -> photo 1 pixels */
  memcpy (photo0_to_photo1, known, sizeof known);
  for (guint r = 0; r < 2; r++)
    {
      g_autoptr (DermRegion) mapped = g_list_model_get_item (derm_comparison_get_regions (later), r);
      DermRegion *original = r == 0 ? rect : poly;
      const double *op, *mp;
      guint on, mn;

      g_assert_cmpstr (derm_region_get_frame_sha256 (mapped), ==, derm_photo_get_sha256 (f->photos[1]));
      g_assert_cmpint (derm_region_get_id (mapped), ==, derm_region_get_id (original));
      /* The rectangle is rotated by the mapping: a polygon now */
      g_assert_cmpint (derm_region_get_kind (mapped), ==, DERM_REGION_POLYGON);
      op = derm_region_get_points (original, &on);
      mp = derm_region_get_points (mapped, &mn);
      g_assert_cmpuint (on, ==, mn);
      for (guint i = 0; i < on; i++)
        {
          double ex, ey;
          apply (photo0_to_photo1, op[2 * i], op[2 * i + 1], &ex, &ey);
          g_assert_cmpfloat (hypot (mp[2 * i] - ex, mp[2 * i + 1] - ey), <, 1.5);
        }
    }

  /* Removing deletes the row */
  g_assert_true (derm_comparison_remove_region (first, rect, &error));
  g_assert_no_error (error);
  g_clear_pointer (&saved, g_ptr_array_unref);
  saved = derm_store_list_regions (f->store, f->client_id, DERM_PHOTO_VIEW_FRONT, &error);
  g_assert_cmpuint (saved->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (derm_comparison_get_regions (first)), ==, 1);
}

static gboolean
metrics_equal (const DermCompareMetrics *a, const DermCompareMetrics *b)
{
  for (guint m = 0; m < DERM_N_METRICS; m++)
    if (derm_compare_metrics_get_before (a, m) != derm_compare_metrics_get_before (b, m)
        || derm_compare_metrics_get_after (a, m) != derm_compare_metrics_get_after (b, m))
      return FALSE;
  return a->pixel_count == b->pixel_count;
}

static void
test_cache (Fixture *f, gconstpointer data)
{
  g_autoptr (DermComparison) one = open_loaded (f, f->photos[0], f->photos[1], TRUE);
  g_autoptr (DermComparison) two = NULL;
  g_autoptr (DermRegion) region = blotch_polygon (f, 0);
  g_autoptr (DermComparisonMetrics) first = NULL;
  g_autoptr (DermComparisonMetrics) second = NULL;
  g_autoptr (DermComparisonMetrics) third = NULL;
  g_autoptr (DermComparisonMetrics) grey = NULL;

  first = metrics_of (one, region);
  g_assert_false (first->from_cache);
  g_assert_cmpuint (derm_comparison_get_n_computed (one), ==, 1);
  g_assert_cmpstr (first->region_name, ==, "Left cheek");
  g_assert_nonnull (strstr (first->settings_key, "wb=none"));
  g_assert_cmpint (derm_store_count_analyses (f->store, derm_photo_get_sha256 (f->photos[0]), NULL), ==, 1);

  /* Same comparison again, and a new comparison of the same pair: cached */
  second = metrics_of (one, region);
  g_assert_true (second->from_cache);
  g_assert_cmpuint (derm_comparison_get_n_computed (one), ==, 1);
  g_assert_true (metrics_equal (&first->values, &second->values));

  two = open_loaded (f, f->photos[0], f->photos[1], TRUE);
  third = metrics_of (two, region);
  g_assert_true (third->from_cache);
  g_assert_cmpuint (derm_comparison_get_n_computed (two), ==, 0);
  g_assert_true (metrics_equal (&first->values, &third->values));

  /* Other settings are another analysis, never the cached one */
  derm_comparison_set_white_balance (two, DERM_WB_GREY_WORLD);
  grey = metrics_of (two, region);
  g_assert_false (grey->from_cache);
  g_assert_cmpuint (derm_comparison_get_n_computed (two), ==, 1);
  g_assert_cmpint (grey->values.settings.wb_mode, ==, DERM_WB_GREY_WORLD);
  g_assert_cmpint (derm_store_count_analyses (f->store, derm_photo_get_sha256 (f->photos[0]), NULL), ==, 2);

  /* The blotch faded: redness went down, and that is an improvement */
  g_assert_cmpfloat (derm_compare_metrics_get_change (&first->values, DERM_METRIC_A_MEAN), <, -2.0);
  g_assert_cmpint (derm_compare_metrics_get_verdict (&first->values, DERM_METRIC_A_MEAN), ==, DERM_CHANGE_IMPROVED);
  g_assert_cmpfloat (derm_compare_metrics_get_percent_change (&first->values, DERM_METRIC_RED_AREA_PCT), <, 0);
}

/* Runs dermis-cli compare on the originals and returns its JSON root */
static JsonObject *
run_cli (Fixture *f, const char *region_option, const char *wb, JsonParser *parser)
{
  g_autofree char *before = derm_photo_library_get_original_path (f->library, derm_photo_get_sha256 (f->photos[0]));
  g_autofree char *after = derm_photo_library_get_original_path (f->library, derm_photo_get_sha256 (f->photos[2]));
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  const char *args[] = { "compare", before, after, region_option, "--wb", wb, "--json", NULL };

  if (derm_test_run_cli (args, NULL, &out, &err) != 0)
    g_error ("dermis-cli failed: %s", err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_same (JsonObject *group, const char *key, const DermCompareMetrics *m, DermMetric metric)
{
  JsonObject *o = json_object_get_object_member (group, key);

  g_assert_nonnull (o);
  /* Exactly the same numbers: the same function computed them */
  g_assert_cmpfloat (json_object_get_double_member (o, "before"), ==, derm_compare_metrics_get_before (m, metric));
  g_assert_cmpfloat (json_object_get_double_member (o, "after"), ==, derm_compare_metrics_get_after (m, metric));
  g_assert_cmpfloat (json_object_get_double_member (o, "change"), ==, derm_compare_metrics_get_change (m, metric));
  if (json_node_is_null (json_object_get_member (o, "percent_change")))
    g_assert_true (isnan (derm_compare_metrics_get_percent_change (m, metric)));
  else
    g_assert_cmpfloat (json_object_get_double_member (o, "percent_change"), ==,
                       derm_compare_metrics_get_percent_change (m, metric));
}

static void
test_cli_equality (Fixture *f, gconstpointer data)
{
  g_autoptr (DermComparison) comparison = open_loaded (f, f->photos[0], f->photos[2], TRUE);
  g_autoptr (DermRegion) poly = blotch_polygon (f, 0);
  g_autoptr (DermRegion) rect = derm_region_new_rect ("Forehead", 180.4, 50.6, 200, 90);
  struct { DermRegion *region; DermWhiteBalanceMode wb; const char *wb_arg; } cases[] = {
    { poly, DERM_WB_GREY_WORLD, "grey-world" },
    { rect, DERM_WB_NONE, "none" },
    { rect, DERM_WB_PATCH, "patch:300,300,40,40" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (DermComparisonMetrics) m = NULL;
      g_autofree char *option = derm_region_to_cli_option (cases[c].region);
      JsonObject *root, *metrics, *redness, *tone, *texture;
      JsonArray *glcm, *homography;
      DermAlignmentResult r;

      derm_comparison_set_white_balance (comparison, cases[c].wb);
      derm_comparison_set_wb_patch (comparison, 300, 300, 40, 40);
      m = metrics_of (comparison, cases[c].region);
      root = run_cli (f, option, cases[c].wb_arg, parser);

      /* The same alignment */
      g_assert_true (derm_comparison_get_alignment (comparison, &r));
      homography = json_object_get_array_member (json_object_get_object_member (root, "alignment"), "homography");
      for (guint i = 0; i < 9; i++)
        g_assert_cmpfloat (json_array_get_double_element (homography, i), ==, r.h[i]);

      g_assert_cmpint (json_object_get_int_member (root, "pixel_count"), ==, (gint64) m->values.pixel_count);
      g_assert_cmpint (json_object_get_int_member (root, "algorithm_version"), ==, m->values.algorithm_version);
      metrics = json_object_get_object_member (root, "metrics");
      redness = json_object_get_object_member (metrics, "redness");
      tone = json_object_get_object_member (metrics, "tone");
      texture = json_object_get_object_member (metrics, "texture");
      assert_same (redness, "a_mean", &m->values, DERM_METRIC_A_MEAN);
      assert_same (redness, "a_median", &m->values, DERM_METRIC_A_MEDIAN);
      assert_same (redness, "a_p90", &m->values, DERM_METRIC_A_P90);
      assert_same (redness, "erythema_index", &m->values, DERM_METRIC_ERYTHEMA_INDEX);
      assert_same (redness, "red_area_pct", &m->values, DERM_METRIC_RED_AREA_PCT);
      assert_same (tone, "l_mean", &m->values, DERM_METRIC_L_MEAN);
      assert_same (tone, "ita_mean", &m->values, DERM_METRIC_ITA_MEAN);
      assert_same (tone, "l_unevenness", &m->values, DERM_METRIC_L_UNEVENNESS);
      assert_same (texture, "roughness", &m->values, DERM_METRIC_ROUGHNESS);
      glcm = json_object_get_array_member (texture, "glcm");
      assert_same (json_array_get_object_element (glcm, 0), "contrast", &m->values, DERM_METRIC_GLCM_CONTRAST);
      assert_same (json_array_get_object_element (glcm, 0), "homogeneity", &m->values, DERM_METRIC_GLCM_HOMOGENEITY);
    }
}

static void
test_maps (Fixture *f, gconstpointer data)
{
  g_autoptr (DermComparison) comparison = open_loaded (f, f->photos[0], f->photos[2], TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (DermComparisonMap) map = NULL;
  g_autoptr (DermComparisonMap) small = NULL;

  derm_comparison_compute_map_async (comparison, DERM_COMPARISON_MAP_DIFFERENCE, NULL, 0, NULL, store_result, &result);
  map = derm_comparison_compute_map_finish (comparison, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (map->width, ==, PHOTO_W);
  g_assert_cmpint (map->height, ==, PHOTO_H);
  g_assert_cmpuint (g_bytes_get_size (map->rgba), ==, map->stride * (gsize) map->height);
  g_assert_cmpfloat (map->legend.value_min, <, 0);
  g_assert_cmpfloat (map->legend.value_max, >, 0);
  g_assert_nonnull (strstr (map->units, "a*"));
  g_assert_nonnull (strstr (map->description, "no clear change"));
  {
    /* The faded blotch is blue (less red) on the difference map */
    double bx, by;
    const guint8 *p;
    apply (f->world_to_photo[0], BLOTCH_X + 20, BLOTCH_Y + 5, &bx, &by);
    p = (const guint8 *) g_bytes_get_data (map->rgba, NULL) + (gsize) lround (by) * map->stride + 4 * (gsize) lround (bx);
    g_assert_cmpint (p[2], >, p[0]);
  }
  g_clear_object (&result);

  derm_comparison_compute_map_async (comparison, DERM_COMPARISON_MAP_A_STAR_BEFORE, NULL, 320, NULL, store_result, &result);
  small = derm_comparison_compute_map_finish (comparison, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (small->width, ==, 320);
  g_assert_cmpfloat_with_epsilon (small->scale, 0.5, 1e-9);
}

static void
trend_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
screenshot_path (const char *name)
{
  const char *dir = g_getenv ("DERMIS_SCREENSHOT_DIR");

  if (dir == NULL)
    return NULL;
  g_mkdir_with_parents (dir, 0755);
  return g_build_filename (dir, name, NULL);
}

static void
test_trend (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (DermRegion) region = blotch_polygon (f, 0);
  g_autoptr (DermTrend) trend = NULL;
  g_autofree char *png = g_build_filename (f->dir, "trend.png", NULL);
  g_autofree char *svg = g_build_filename (f->dir, "trend.svg", NULL);
  g_autofree char *svg_text = NULL;
  g_autofree char *shot = screenshot_path ("comparison-trend.png");
  guint8 head[8];
  FILE *fp;

  derm_region_set_frame_sha256 (region, derm_photo_get_sha256 (f->photos[0]));
  trend = derm_trend_new (f->library, f->client_id, DERM_PHOTO_VIEW_FRONT, region, DERM_METRIC_A_MEAN, NULL);
  derm_trend_compute_async (trend, NULL, trend_done, &result);
  g_assert_true (derm_trend_compute_finish (trend, wait_for (&result), &error));
  g_assert_no_error (error);

  /* Three sessions, oldest first, redness falling session by session */
  g_assert_cmpuint (derm_trend_get_n_points (trend), ==, N_SESSIONS);
  for (guint i = 0; i < N_SESSIONS; i++)
    {
      const DermTrendPoint *p = derm_trend_get_point (trend, i);
      g_assert_true (p->aligned);
      g_assert_null (p->problem);
      g_assert_cmpint (p->session_number, ==, (int) i + 1);
      g_assert_cmpint (derm_photo_get_id (p->photo), ==, derm_photo_get_id (f->photos[i]));
      if (i > 0)
        g_assert_cmpfloat (p->value, <, derm_trend_get_point (trend, i - 1)->value - 2.0);
    }
  g_assert_cmpstr (derm_trend_get_point (trend, 0)->date, ==, "2024-01-10");
  {
    double vmin, vmax, lo, hi;
    double thr = derm_metric_get_info (DERM_METRIC_A_MEAN)->clear_change;

    /* The baseline's "no clear change" band, and an axis at least twice its width */
    derm_trend_get_value_axis (trend, &vmin, &vmax, &lo, &hi);
    g_assert_cmpfloat_with_epsilon (lo, derm_trend_get_point (trend, 0)->value - thr, 1e-9);
    g_assert_cmpfloat_with_epsilon (hi, derm_trend_get_point (trend, 0)->value + thr, 1e-9);
    g_assert_cmpfloat (vmax - vmin, >=, 2 * (hi - lo));
    g_assert_cmpfloat (vmin, <=, lo);
    g_assert_cmpfloat (vmax, >=, hi);
    /* The baseline is never gated against itself */
    g_assert_cmpint (derm_trend_get_point (trend, 0)->texture_gate, ==, DERM_CHANGE_NONE);
  }
  g_assert_cmpuint (derm_trend_get_n_computed (trend), ==, N_SESSIONS);

  /* Again: everything from the cache */
  g_clear_object (&result);
  derm_trend_compute_async (trend, NULL, trend_done, &result);
  g_assert_true (derm_trend_compute_finish (trend, wait_for (&result), &error));
  g_assert_cmpuint (derm_trend_get_n_computed (trend), ==, 0);
  g_assert_cmpfloat (derm_trend_get_progress (trend), ==, 1.0);

  g_assert_cmpint (derm_trend_hit_test (trend, 800, 400, 2, 2), ==, -1);

  g_assert_true (derm_trend_export_png (trend, png, 800, 400, &error));
  g_assert_no_error (error);
  fp = g_fopen (png, "rb");
  g_assert_nonnull (fp);
  g_assert_cmpuint (fread (head, 1, 8, fp), ==, 8);
  fclose (fp);
  g_assert_cmpmem (head, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_true (derm_trend_export_svg (trend, svg, 800, 400, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &svg_text, NULL, NULL));
  g_assert_nonnull (strstr (svg_text, "<svg"));
  if (shot != NULL)
    {
      /* The hovered state, as the UI shows it */
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 400);
      cairo_t *cr = cairo_create (surface);
      derm_trend_draw (trend, cr, NULL, 800, 400, 1);
      cairo_destroy (cr);
      g_assert_cmpint (cairo_surface_write_to_png (surface, shot), ==, CAIRO_STATUS_SUCCESS);
      cairo_surface_destroy (surface);
    }

  /* The text goes through Pango at the context's size: large text (twice
   * the design size) draws the title's ink about four times as large */
  {
    guint dark[2];

    for (guint big = 0; big < 2; big++)
      {
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 400);
        cairo_t *cr = cairo_create (surface);
        PangoContext *context = NULL;

        if (big)
          {
            PangoFontDescription *desc = pango_font_description_from_string ("Sans 25px");

            context = pango_cairo_create_context (cr);
            pango_context_set_font_description (context, desc);
            pango_font_description_free (desc);
          }
        derm_trend_draw (trend, cr, context, 800, 400, -1);
        g_clear_object (&context);
        cairo_destroy (cr);
        cairo_surface_flush (surface);
        dark[big] = 0;
        /* The title is the only near-black text */
        for (int y = 0; y < 400; y++)
          {
            const guint32 *row = (const guint32 *) (const void *) (cairo_image_surface_get_data (surface)
                                                                   + (gsize) y * cairo_image_surface_get_stride (surface));
            for (int x = 0; x < 800; x++)
              dark[big] += ((row[x] >> 16) & 0xff) < 60 && ((row[x] >> 8) & 0xff) < 60 && (row[x] & 0xff) < 60;
          }
        cairo_surface_destroy (surface);
      }
    g_test_message ("title ink: %u px at the design size, %u px at twice the size", dark[0], dark[1]);
    g_assert_cmpuint (dark[0], >, 50);
    g_assert_cmpuint (dark[1], >, 2 * dark[0]);
  }
}

/* Names of the PNG chunks of @path, in order */
static GPtrArray *
png_chunks (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  gsize off = 8;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  while (off + 12 <= len)
    {
      const guint8 *p = (const guint8 *) data + off;
      guint32 n = ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
      g_ptr_array_add (names, g_strndup ((const char *) p + 4, 4));
      off += 12 + n;
    }
  g_assert_cmpuint (off, ==, len);
  return names;
}

static void
test_export (Fixture *f, gconstpointer data)
{
  g_autoptr (DermComparison) comparison = open_loaded (f, f->photos[0], f->photos[2], TRUE);
  g_autoptr (DermRegion) region = blotch_polygon (f, 0);
  g_autoptr (DermComparisonMetrics) metrics = metrics_of (comparison, region);
  g_autoptr (DermComparisonMap) map = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) chunks = NULL;
  g_autofree char *path = g_build_filename (f->dir, "export.png", NULL);
  g_autofree char *shot = screenshot_path ("comparison-export.png");
  DermComparisonExportOptions options;
  DermImage *image = NULL;
  DermError err;

  derm_comparison_compute_map_async (comparison, DERM_COMPARISON_MAP_DIFFERENCE, region, 0, NULL, store_result, &result);
  map = derm_comparison_compute_map_finish (comparison, wait_for (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  derm_comparison_export_options_init (&options);
  options.overlay = map;
  options.region = region;
  options.metrics = metrics;
  options.photo_side = 480;
  derm_comparison_export_png_async (comparison, &options, path, NULL, store_result, &result);
  g_assert_true (derm_comparison_export_png_finish (comparison, wait_for (&result), &error));
  g_assert_no_error (error);

  /* Only image data (and the background colour libpng adds): no text,
   * time, EXIF (where GPS would be) or any other chunk */
  chunks = png_chunks (path);
  g_assert_cmpstr (g_ptr_array_index (chunks, 0), ==, "IHDR");
  g_assert_cmpstr (g_ptr_array_index (chunks, chunks->len - 1), ==, "IEND");
  for (guint i = 0; i < chunks->len; i++)
    {
      const char *name = g_ptr_array_index (chunks, i);
      g_assert_cmpstr (name, !=, "eXIf");
      g_assert_cmpstr (name, !=, "tEXt");
      g_assert_cmpstr (name, !=, "iTXt");
      g_assert_cmpstr (name, !=, "zTXt");
      g_assert_cmpstr (name, !=, "tIME");
      g_assert_true (g_str_equal (name, "IHDR") || g_str_equal (name, "IDAT") || g_str_equal (name, "IEND")
                     || g_str_equal (name, "bKGD"));
    }
  /* Both photos side by side, the table under them */
  g_assert_cmpint (derm_image_load_file (path, NULL, &image, &err), ==, DERM_STATUS_OK);
  g_assert_cmpint (derm_image_get_width (image), >=, 2 * 480);
  g_assert_cmpint (derm_image_get_height (image), >, 360 + DERM_N_METRICS * 20);
  derm_image_free (image);

  if (shot != NULL)
    {
      g_autofree char *contents = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (shot, contents, (gssize) len, NULL));
    }

  /* The unaligned view exports too */
  options.show_aligned = FALSE;
  options.overlay = NULL;
  g_assert_true (derm_comparison_export_png (comparison, &options, path, &error));
  g_assert_no_error (error);

  /* Like every export: never into the data folder, nothing left behind */
  {
    g_autofree char *inside = g_build_filename (f->data_dir, "export.png", NULL);

    g_assert_false (derm_comparison_export_png (comparison, &options, inside, &error));
    g_assert_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_IN_DATA_DIR);
    g_clear_error (&error);
    g_assert_false (g_file_test (inside, G_FILE_TEST_EXISTS));
  }
}

static void
on_photo_removed (DermComparison *comparison, DermPhoto *photo, DermPhoto **out)
{
  *out = photo;
}

static void
test_photo_removed (Fixture *f, gconstpointer data)
{
  g_autoptr (DermComparison) comparison = open_loaded (f, f->photos[0], f->photos[1], TRUE);
  g_autoptr (DermComparison) other = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (DermPhoto) copy = NULL;
  DermPhoto *removed = NULL;

  g_signal_connect (comparison, "photo-removed", G_CALLBACK (on_photo_removed), &removed);
  g_assert_true (derm_comparison_check_photos (comparison));
  g_assert_true (derm_photo_library_remove (f->library, f->photos[1], &error));
  g_assert_no_error (error);
  g_assert_true (removed == f->photos[1]);
  g_assert_cmpint (derm_comparison_get_state (comparison), ==, DERM_COMPARISON_STATE_PHOTO_REMOVED);
  g_assert_nonnull (strstr (derm_comparison_get_error_message (comparison), "after photo was removed"));

  derm_comparison_compute_metrics_async (comparison, NULL, NULL, store_result, &result);
  g_assert_null (derm_comparison_compute_metrics_finish (comparison, wait_for (&result), &error));
  g_assert_error (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_PHOTO_REMOVED);
  g_clear_error (&error);

  /* A removed photo cannot be opened */
  g_assert_null (derm_comparison_new (f->library, f->photos[0], f->photos[1], &error));
  g_assert_error (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_PHOTO_REMOVED);
  g_clear_error (&error);

  /* Removed through another object (the gallery's, or dermis-cli):
   * noticed when the comparison checks */
  other = open_loaded (f, f->photos[0], f->photos[2], FALSE);
  copy = derm_store_get_photo (f->store, derm_photo_get_id (f->photos[0]), &error);
  g_assert_no_error (error);
  removed = NULL;
  g_signal_connect (other, "photo-removed", G_CALLBACK (on_photo_removed), &removed);
  g_assert_true (derm_photo_library_remove (f->library, copy, &error));
  g_assert_cmpint (derm_comparison_get_state (other), ==, DERM_COMPARISON_STATE_UNALIGNED);
  g_assert_false (derm_comparison_check_photos (other));
  g_assert_true (removed == f->photos[0]);
  g_assert_cmpint (derm_comparison_get_state (other), ==, DERM_COMPARISON_STATE_PHOTO_REMOVED);
}

static void
test_region_geometry (void)
{
  g_autoptr (DermRegion) rect = derm_region_new_rect ("Chin", 30, 40, -20, 10);
  g_autoptr (DermRegion) copy = g_object_new (DERM_TYPE_REGION, NULL);
  g_autoptr (DermRegion) moved = NULL;
  g_autoptr (GArray) storage = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *geometry = NULL;
  g_autofree char *option = NULL;
  const double shift[9] = { 2, 0, 5, 0, 2, -3, 0, 0, 1 };
  double x, y, w, h;
  DermRoi roi;

  /* Drawn right to left: normalised */
  g_assert_true (derm_region_get_rect (rect, &x, &y, &w, &h));
  g_assert_cmpfloat (x, ==, 10);
  g_assert_cmpfloat (w, ==, 20);
  g_assert_true (derm_region_contains (rect, 15, 45));
  g_assert_false (derm_region_contains (rect, 35, 45));
  geometry = derm_region_dup_geometry (rect);
  g_assert_true (derm_region_set_geometry (copy, geometry, NULL));
  g_assert_true (derm_region_get_rect (copy, &x, &y, &w, &h));
  g_assert_cmpfloat (h, ==, 10);
  g_assert_false (derm_region_set_geometry (copy, "rect:1,2,3", NULL));
  derm_region_to_roi (rect, 0.5, storage, &roi);
  g_assert_cmpint (roi.kind, ==, DERM_ROI_RECT);
  g_assert_cmpint (roi.x, ==, 5);
  g_assert_cmpint (roi.width, ==, 10);
  option = derm_region_to_cli_option (rect);
  g_assert_cmpstr (option, ==, "--roi=10,40,20,10");
  /* Scale and shift keep a rectangle a rectangle */
  moved = derm_region_map (rect, shift, NULL);
  g_assert_cmpint (derm_region_get_kind (moved), ==, DERM_REGION_RECT);
  g_assert_true (derm_region_get_rect (moved, &x, &y, &w, &h));
  g_assert_cmpfloat (x, ==, 25);
  g_assert_cmpfloat (y, ==, 77);
  g_assert_cmpfloat (w, ==, 40);
  g_assert_cmpstr (derm_region_get_suggested_names ()[0], ==, "Forehead");
}

static void
test_metrics_json (void)
{
  DermCompareMetrics m, back;
  g_autofree char *json = NULL;
  g_autofree char *key = NULL;

  memset (&m, 0, sizeof m);
  m.algorithm_version = DERM_IMAGING_ALGORITHM_VERSION;
  derm_analysis_settings_init (&m.settings);
  m.settings.wb_mode = DERM_WB_PATCH;
  m.settings.patch_x = 3;
  m.pixel_count = 12345;
  m.before.redness.a_mean = 0.1 + 0.2;        /* not exactly representable in short decimal */
  m.after.redness.a_mean = 1.0 / 3.0;
  m.after.texture.glcm[2].correlation = NAN;  /* a flat region has none */
  m.after.texture.glcm[2].distance = 4;
  m.before.tone.ita_class = DERM_ITA_TAN;
  json = derm_compare_metrics_to_json (&m);
  g_assert_true (derm_compare_metrics_from_json (json, &back, NULL));
  g_assert_cmpfloat (back.before.redness.a_mean, ==, m.before.redness.a_mean);
  g_assert_cmpfloat (back.after.redness.a_mean, ==, m.after.redness.a_mean);
  g_assert_true (isnan (back.after.texture.glcm[2].correlation));
  g_assert_cmpint (back.after.texture.glcm[2].distance, ==, 4);
  g_assert_cmpint (back.before.tone.ita_class, ==, DERM_ITA_TAN);
  g_assert_cmpint (back.settings.patch_x, ==, 3);
  g_assert_cmpuint (back.pixel_count, ==, 12345);
  g_assert_false (derm_compare_metrics_from_json ("{\"settings\": []}", &back, NULL));

  key = derm_analysis_settings_to_key (&m.settings);
  g_assert_cmpstr (key, ==, "wb=patch:3,0,0,0;red=15;rough=2;uneven=8;metrics=7");
  g_assert_cmpint (derm_metric_get_info (DERM_METRIC_GLCM_HOMOGENEITY)->improvement, ==, DERM_IMPROVEMENT_HIGHER);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  g_test_add_func ("/comparison/region/geometry", test_region_geometry);
  g_test_add_func ("/comparison/metrics/json-round-trip", test_metrics_json);
  g_test_add_func ("/comparison/imaging/homography-from-points", test_manual_points_imaging);
  ADD ("/comparison/open/different-clients-refused", test_different_clients);
  ADD ("/comparison/load/states-and-alignment", test_load_and_align);
  ADD ("/comparison/align/refused-reason-then-manual", test_alignment_refused);
  ADD ("/comparison/regions/saved-loaded-mapped", test_regions);
  ADD ("/comparison/metrics/cache-hit-no-recompute", test_cache);
  ADD ("/comparison/metrics/equal-to-cli", test_cli_equality);
  ADD ("/comparison/maps/difference-and-a-star", test_maps);
  ADD ("/comparison/trend/redness-decreases", test_trend);
  ADD ("/comparison/export/png-without-metadata", test_export);
  ADD ("/comparison/photo-removed/closes", test_photo_removed);
#undef ADD

  return g_test_run ();
}

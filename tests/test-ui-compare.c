/* test-ui-compare.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The comparison views under Xvfb, on synthetic skin-like photos of one
 * scene taken three times (moved, turned and less red each session) and
 * imported into a throw-away library: the default pair opens at once from
 * the reduced decodes, sharpens and aligns; each view mode is driven
 * through its actions and the canvas API (screenshots of side by side,
 * wipe, blend and heatmap); regions are drawn and named through the
 * widget; metrics, white balance, export and the trend chart (screenshot)
 * work; the strip swaps a photo. Bad cases: photos of two clients do not
 * open, a removed photo closes the comparison with a message, a refused
 * alignment shows its reason and the pair is then aligned by hand.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "derm-client-page.h"
#include "derm-client.h"
#include "derm-compare-window.h"
#include "derm-photo-gallery.h"
#include "derm-photo-viewer.h"
#include "derm-store-photos.h"
#include "derm-store.h"
#include "derm-treatment.h"
#include "derm-trend-view.h"
#include "derm-test-utils.h"
#include "test-ui-util.h"

#define PHOTO_W 1200
#define PHOTO_H 900

typedef struct
{
  char             *data_dir;
  DermStore        *store;
  DermPhotoLibrary *library;
  gint64            client_a;
  gint64            client_b;
  DermPhoto        *front[3];   /* sessions 1, 2, 3 of client A */
  DermPhoto        *other;      /* client B's front photo */
  DermPhoto        *left[2];    /* client A's left-45: the second cannot be aligned */
  gint64            client_c;
  DermPhoto        *chart[2];   /* client C's front, with a ColorChecker in the scene */
} Fixture;

static Fixture fx;

/* A ColorChecker Classic in the scene (scene pixels), while the photos of
 * client C are made: 2.5-unit patches 0.25 apart in a 16.75 x 11.25 box */
#define CHART_X0   760.0
#define CHART_Y0   110.0
#define CHART_UNIT 20.0
static gboolean scene_has_chart;

/* ------------------------------------------------------------ synthetic photos */

static double
hash2 (int x,
       int y,
       int seed)
{
  guint32 h = (guint32) x * 374761393u + (guint32) y * 668265263u + (guint32) seed * 2246822519u;

  h = (h ^ (h >> 13)) * 1274126177u;
  h ^= h >> 16;
  return (h & 0xffffff) / (double) 0x1000000;
}

static double
value_noise (double x,
             double y,
             double cell,
             int    seed)
{
  double gx = x / cell, gy = y / cell;
  int ix = (int) floor (gx), iy = (int) floor (gy);
  double fx_ = gx - ix, fy = gy - iy;
  double sx = fx_ * fx_ * (3 - 2 * fx_), sy = fy * fy * (3 - 2 * fy);
  double a = hash2 (ix, iy, seed), b = hash2 (ix + 1, iy, seed);
  double c = hash2 (ix, iy + 1, seed), d = hash2 (ix + 1, iy + 1, seed);

  return (a + (b - a) * sx) * (1 - sy) + (c + (d - c) * sx) * sy;
}

/* Skin-like colour of scene point (@wx, @wy): mottled tone, dark spots
 * (features to align on) and a red patch of strength @red */
static void
scene_colour (double  wx,
              double  wy,
              double  red,
              int     seed,
              guint8 *out)
{
  double n;

  if (scene_has_chart)
    {
      double u = (wx - CHART_X0) / CHART_UNIT, v = (wy - CHART_Y0) / CHART_UNIT;

      if (u >= 0 && u < 16.75 && v >= 0 && v < 11.25)
        {
          double ref[24][3];
          int i = (int) floor ((u - 0.25) / 2.75), j = (int) floor ((v - 0.25) / 2.75);
          double fu = u - 0.25 - i * 2.75, fv = v - 0.25 - j * 2.75;
          gboolean patch = i >= 0 && i < 6 && j >= 0 && j < 4 && fu < 2.5 && fv < 2.5;

          derm_chart_reference_srgb (ref);
          for (int c = 0; c < 3; c++)
            out[c] = patch ? (guint8) lround (CLAMP (ref[j * 6 + i][c], 0, 255)) : 25;
          return;
        }
    }
  n = 0.5 * value_noise (wx, wy, 60, seed) + 0.3 * value_noise (wx, wy, 18, seed + 1) +
             0.2 * value_noise (wx, wy, 5, seed + 2);
  double shade = 0.72 + 0.5 * n;
  double r = 206 * shade, g = 152 * shade, b = 132 * shade;
  int cx = (int) floor (wx / 36), cy = (int) floor (wy / 36);

  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++)
      {
        double px = (cx + dx + hash2 (cx + dx, cy + dy, seed + 3)) * 36;
        double py = (cy + dy + hash2 (cx + dx, cy + dy, seed + 4)) * 36;
        double radius = 2 + 5 * hash2 (cx + dx, cy + dy, seed + 5);
        double d = hypot (wx - px, wy - py);

        if (d < radius)
          {
            double k = 0.45 + 0.3 * hash2 (cx + dx, cy + dy, seed + 6);
            r *= k;
            g *= k;
            b *= k;
          }
      }
  {
    double e = pow ((wx - 640) / 230, 2) + pow ((wy - 470) / 150, 2);
    double w = red * exp (-e * 1.5);

    r += 45 * w;
    g -= 35 * w;
    b -= 25 * w;
  }
  out[0] = (guint8) CLAMP (r, 0, 255);
  out[1] = (guint8) CLAMP (g, 0, 255);
  out[2] = (guint8) CLAMP (b, 0, 255);
}

/* The scene seen with the camera turned by @angle degrees, moved by
 * (@tx, @ty) and zoomed by @scale; @flat: a featureless grey-beige card */
static char *
make_photo_sized (const char *dir,
                  const char *name,
                  int         width,
                  int         height,
                  double      tx,
                  double      ty,
                  double      angle,
                  double      scale,
                  double      red,
                  gboolean    flat)
{
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);
  char *path = g_build_filename (dir, name, NULL);
  /* The scene is PHOTO_W wide whatever the photo's pixel count */
  double unit = (double) PHOTO_W / width;
  double c = cos (angle * G_PI / 180) / scale, s = sin (angle * G_PI / 180) / scale;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = rgb + ((gsize) y * width + x) * 3;
        double ox = (x - width / 2.0) * unit, oy = (y - height / 2.0) * unit;
        double wx = c * ox - s * oy + PHOTO_W / 2.0 + tx;
        double wy = s * ox + c * oy + PHOTO_H / 2.0 + ty;

        if (flat)
          {
            p[0] = (guint8) (180 + 20.0 * x / width);
            p[1] = 150;
            p[2] = 135;
          }
        else
          scene_colour (wx, wy, red, 7, p);
      }
  derm_test_write_jpeg (path, width, height, rgb, (gsize) width * 3, 92);
  return path;
}

static char *
make_photo (const char *dir,
            const char *name,
            double      tx,
            double      ty,
            double      angle,
            double      scale,
            double      red,
            gboolean    flat)
{
  return make_photo_sized (dir, name, PHOTO_W, PHOTO_H, tx, ty, angle, scale, red, flat);
}

static gint64
add_session (gint64      client_id,
             const char *date)
{
  return derm_test_add_session (fx.store, client_id, date);
}

static DermPhoto *
import (gint64         client_id,
        const char    *path,
        gint64         session,
        DermPhotoView  view)
{
  return derm_test_import (fx.library, client_id, path, session, view);
}

static void
fixture_set_up (void)
{
  g_autofree char *camera = NULL;
  g_autofree char *cache = NULL;
  g_autoptr (DermThumbnailer) thumbnailer = NULL;
  g_autoptr (GError) error = NULL;
  const char *dates[] = { "2025-01-10", "2025-02-07", "2025-03-07" };
  const double moves[][5] = {
    /* tx, ty, angle, scale, redness */
    { 0, 0, 0, 1.0, 1.0 }, { 24, -16, 1.5, 1.0, 0.7 }, { -20, 12, -1.0, 1.04, 0.35 },
  };
  gint64 sessions[3];

  fx.data_dir = derm_test_make_data_dir ();
  camera = g_build_filename (fx.data_dir, "camera", NULL);
  cache = g_build_filename (fx.data_dir, "cache", NULL);
  g_mkdir_with_parents (camera, 0700);
  fx.store = derm_store_open (fx.data_dir, &error);
  g_assert_no_error (error);
  thumbnailer = derm_thumbnailer_new (cache);
  fx.library = derm_photo_library_new (fx.store, thumbnailer);

  fx.client_a = derm_test_add_client (fx.store, "Ana Lima");
  fx.client_b = derm_test_add_client (fx.store, "Beatriz Rocha");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("front-%u.jpg", i + 1);
      g_autofree char *path = make_photo (camera, name, moves[i][0], moves[i][1], moves[i][2], moves[i][3],
                                          moves[i][4], FALSE);

      sessions[i] = add_session (fx.client_a, dates[i]);
      fx.front[i] = import (fx.client_a, path, sessions[i], DERM_PHOTO_VIEW_FRONT);
    }
  {
    g_autofree char *path = make_photo (camera, "other.jpg", 10, 5, 0.5, 1.0, 0.9, FALSE);
    g_autofree char *left1 = make_photo (camera, "left-1.jpg", 300, 200, 0, 1.0, 0.5, FALSE);
    g_autofree char *left2 = make_photo (camera, "left-2.jpg", 0, 0, 0, 1.0, 0.0, TRUE);

    fx.other = import (fx.client_b, path, add_session (fx.client_b, "2025-02-01"), DERM_PHOTO_VIEW_FRONT);
    fx.left[0] = import (fx.client_a, left1, sessions[0], DERM_PHOTO_VIEW_LEFT_45);
    fx.left[1] = import (fx.client_a, left2, sessions[2], DERM_PHOTO_VIEW_LEFT_45);
  }
  {
    g_autofree char *c1 = NULL, *c2 = NULL;

    scene_has_chart = TRUE;
    c1 = make_photo (camera, "chart-1.jpg", 0, 0, 0, 1.0, 1.0, FALSE);
    c2 = make_photo (camera, "chart-2.jpg", 14, -10, 1.0, 1.0, 0.5, FALSE);
    scene_has_chart = FALSE;
    fx.client_c = derm_test_add_client (fx.store, "Carla Dias");
    fx.chart[0] = import (fx.client_c, c1, add_session (fx.client_c, "2025-01-12"), DERM_PHOTO_VIEW_FRONT);
    fx.chart[1] = import (fx.client_c, c2, add_session (fx.client_c, "2025-02-12"), DERM_PHOTO_VIEW_FRONT);
  }
}

static void
fixture_tear_down (void)
{
  for (guint i = 0; i < 3; i++)
    g_clear_object (&fx.front[i]);
  g_clear_object (&fx.left[0]);
  g_clear_object (&fx.left[1]);
  g_clear_object (&fx.chart[0]);
  g_clear_object (&fx.chart[1]);
  g_clear_object (&fx.other);
  g_clear_object (&fx.library);
  g_clear_object (&fx.store);
  derm_test_remove_dir (fx.data_dir);
  g_free (fx.data_dir);
}

/* ------------------------------------------------------------ helpers */

static gboolean
has_picture (gpointer data)
{
  return derm_compare_canvas_has_picture (derm_compare_window_get_canvas (data));
}

static gboolean
settled (gpointer data)
{
  DermCompareWindow *window = data;

  return derm_compare_canvas_has_full_resolution (derm_compare_window_get_canvas (window)) &&
         !derm_compare_window_get_busy (window);
}

static gboolean
aligned_shown (gpointer data)
{
  DermCompareWindow *window = data;

  return settled (window) && derm_compare_canvas_has_aligned (derm_compare_window_get_canvas (window));
}

static gboolean
map_shown (gpointer data)
{
  return settled (data) && derm_compare_canvas_get_map (derm_compare_window_get_canvas (data)) != NULL;
}

static gboolean
trend_done (gpointer data)
{
  return !derm_trend_view_get_busy (data);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
no_message_dialog (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL;
}

typedef struct
{
  DermCompareCanvas *canvas;
  double             level;
} LevelAbove;

static gboolean
drawn_level_above (gpointer data)
{
  LevelAbove *above = data;

  return derm_compare_canvas_get_drawn_level_scale (above->canvas) > above->level;
}

static GtkWidget *
find_child (GtkWidget *widget,
            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_child (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Names the region the canvas just reported, through its dialog */
static void
name_region (const char *name)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  derm_test_ui_await (message_dialog_shown, NULL, "message dialog shown");
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  entry = find_child (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  /* As its button does: respond, then close */
  adw_message_dialog_response (dialog, "save");
  gtk_window_close (GTK_WINDOW (dialog));
  derm_test_ui_await (no_message_dialog, NULL, "the name dialog to close");
}

static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
    }
  return handled;
}

static void
assert_png_without_metadata (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
  /* No EXIF, no text chunks that could carry a place or a name */
  g_assert_null (g_strstr_len (contents, (gssize) length, "eXIf"));
  g_assert_null (g_strstr_len (contents, (gssize) length, "tEXt"));
  g_assert_null (g_strstr_len (contents, (gssize) length, "iTXt"));
  g_assert_null (g_strstr_len (contents, (gssize) length, "GPS"));
}

/* ------------------------------------------------------------ tests */

static void
test_views (void)
{
  g_autoptr (GError) error = NULL;
  /* Kept with the screenshots for a look: it is what the clinic hands over */
  const char *shots = g_getenv ("DERMIS_SCREENSHOT_DIR");
  g_autofree char *export_path = shots != NULL && *shots != '\0'
                                  ? g_build_filename (shots, "compare-export.png", NULL)
                                  : g_strconcat (fx.data_dir, "-compare-export.png", NULL);
  /* Exports go next to the data folder: never inside it */
  g_autofree char *trend_png = g_strconcat (fx.data_dir, "-trend.png", NULL);
  g_autofree char *trend_svg = g_strconcat (fx.data_dir, "-trend.svg", NULL);
  DermCompareWindow *window;
  DermCompareCanvas *canvas;
  DermComparison *comparison;
  GListModel *regions;
  gint64 start = g_get_monotonic_time ();
  double first_ms, fit_level, wipe;
  DermPhotoView view;
  int width;

  g_assert_true (derm_compare_window_find_default_view (fx.library, fx.client_a, DERM_PHOTO_VIEW_FRONT, &view));
  g_assert_cmpint (view, ==, DERM_PHOTO_VIEW_FRONT);
  window = DERM_COMPARE_WINDOW (derm_compare_window_new_default (fx.library, fx.client_a, view, &error));
  g_assert_no_error (error);
  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 860);
  gtk_window_present (GTK_WINDOW (window));
  canvas = derm_compare_window_get_canvas (window);
  comparison = derm_compare_window_get_comparison (window);

  /* Earliest and latest of the view */
  g_assert_cmpint (derm_photo_get_id (derm_comparison_get_before (comparison)), ==, derm_photo_get_id (fx.front[0]));
  g_assert_cmpint (derm_photo_get_id (derm_comparison_get_after (comparison)), ==, derm_photo_get_id (fx.front[2]));

  /* The reduced decodes first, then the full pyramid, then aligned */
  derm_test_ui_await (has_picture, window, "has picture");
  first_ms = (g_get_monotonic_time () - start) / 1000.0;
  /* Speed is the benchmarks' business; this only reports it */
  g_test_message ("first picture after %.0f ms", first_ms);
  derm_test_ui_await (aligned_shown, window, "aligned shown");
  g_assert_cmpint (derm_comparison_get_state (comparison), ==, DERM_COMPARISON_STATE_ALIGNED);
  g_assert_nonnull (strstr (derm_compare_window_get_status (window), "Aligned"));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (derm_compare_window_get_metrics_panel (window))));
  g_assert_nonnull (derm_metrics_panel_get_metrics (derm_compare_window_get_metrics_panel (window)));
  g_assert_cmpuint (g_list_model_get_n_items (derm_compare_window_get_strip (window)), ==, 3);

  /* Side by side; zooming draws from a finer level, never a new decode */
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (window), "compare-side-by-side"));
  width = gtk_widget_get_width (GTK_WIDGET (window));
  fit_level = derm_compare_canvas_get_drawn_level_scale (canvas);
  g_assert_cmpfloat (fit_level, <, 1.0);
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.zoom-in", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.zoom-in", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.zoom-in", NULL);
  g_assert_cmpfloat (derm_compare_canvas_get_zoom (canvas), >, 3.0);
  {
    LevelAbove above = { canvas, fit_level };

    derm_test_ui_await (drawn_level_above, &above, "the zoomed canvas to draw from a finer level");
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.zoom-fit", NULL);
  g_assert_cmpfloat (derm_compare_canvas_get_zoom (canvas), ==, 1.0);

  /* Wipe: the divider moves with the arrow keys */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.mode", "s", "wipe");
  g_assert_cmpint (derm_compare_canvas_get_mode (canvas), ==, DERM_COMPARE_MODE_WIPE);
  derm_compare_canvas_set_wipe_position (canvas, 0.45);
  wipe = derm_compare_canvas_get_wipe_position (canvas);
  g_assert_true (press_key (GTK_WIDGET (canvas), GDK_KEY_Right));
  g_assert_cmpfloat_with_epsilon (derm_compare_canvas_get_wipe_position (canvas), wipe + DERM_COMPARE_WIPE_STEP, 1e-9);
  g_assert_true (press_key (GTK_WIDGET (canvas), GDK_KEY_Left));
  g_assert_true (press_key (GTK_WIDGET (canvas), GDK_KEY_Left));
  g_assert_cmpfloat_with_epsilon (derm_compare_canvas_get_wipe_position (canvas), wipe - DERM_COMPARE_WIPE_STEP, 1e-9);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (window), "compare-wipe"));

  /* Blend with its opacity */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.mode", "s", "blend");
  derm_compare_canvas_set_opacity (canvas, 0.5);
  g_assert_cmpint (derm_compare_canvas_get_mode (canvas), ==, DERM_COMPARE_MODE_BLEND);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (window), "compare-blend"));

  /* Heatmap of the change, with its legend's units */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.mode", "s", "heatmap");
  {
    GtkDropDown *kinds = GTK_DROP_DOWN (find_child (GTK_WIDGET (window), GTK_TYPE_DROP_DOWN));

    gtk_drop_down_set_selected (kinds, DERM_COMPARISON_MAP_DIFFERENCE);
  }
  derm_compare_canvas_set_opacity (canvas, 0.8);
  derm_test_ui_await (map_shown, window, "map shown");
  g_assert_nonnull (derm_compare_canvas_get_map (canvas)->units);
  g_assert_cmpstr (derm_compare_canvas_get_map (canvas)->units, !=, "");
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (window), "compare-heatmap"));

  /* Regions drawn through the widget and named */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.mode", "s", "side-by-side");
  regions = derm_comparison_get_regions (comparison);
  g_assert_cmpuint (g_list_model_get_n_items (regions), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.tool", "s", "rect");
  g_assert_cmpint (derm_compare_canvas_get_tool (canvas), ==, DERM_COMPARE_TOOL_RECT);
  derm_compare_canvas_add_region_rect (canvas, 480, 360, 320, 220);
  name_region ("Left cheek");
  g_assert_cmpuint (g_list_model_get_n_items (regions), ==, 1);
  g_assert_cmpint (derm_compare_canvas_get_tool (canvas), ==, DERM_COMPARE_TOOL_PAN);
  {
    DermRegion *selected = derm_compare_window_get_selected_region (window);

    g_assert_nonnull (selected);
    g_assert_cmpstr (derm_region_get_name (selected), ==, "Left cheek");
    g_assert_cmpint (derm_region_get_kind (selected), ==, DERM_REGION_RECT);
    g_assert_cmpint (derm_region_get_id (selected), >, 0);
  }
  derm_test_ui_await (settled, window, "settled");
  {
    DermMetricsPanel *panel = derm_compare_window_get_metrics_panel (window);
    const DermComparisonMetrics *metrics = derm_metrics_panel_get_metrics (panel);

    g_assert_nonnull (metrics);
    g_assert_cmpstr (metrics->region_name, ==, "Left cheek");
    /* The red patch faded: a* fell clearly, which is an improvement */
    g_assert_cmpfloat (derm_compare_metrics_get_change (&metrics->values, DERM_METRIC_A_MEAN), <, 0);
    g_assert_cmpstr (derm_metrics_panel_get_verdict_text (panel, DERM_METRIC_A_MEAN), ==,
                     derm_change_verdict_to_label (derm_compare_metrics_get_verdict (&metrics->values,
                                                                                    DERM_METRIC_A_MEAN)));
    g_assert_nonnull (derm_metrics_panel_get_verdict_text (panel, DERM_METRIC_GLCM_HOMOGENEITY));
  }

  gtk_widget_activate_action (GTK_WIDGET (window), "compare.tool", "s", "polygon");
  {
    const double points[] = { 420, 120, 780, 110, 820, 260, 600, 330, 380, 250 };

    derm_compare_canvas_add_region_polygon (canvas, points, 5);
  }
  name_region ("Forehead");
  g_assert_cmpuint (g_list_model_get_n_items (regions), ==, 2);
  g_assert_cmpint (derm_region_get_kind (derm_compare_window_get_selected_region (window)), ==, DERM_REGION_POLYGON);
  derm_test_ui_await (settled, window, "settled");
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (window), "compare-regions"));
  /* The window keeps the size it was given: regions and their metrics fit the sidebar */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), ==, width);

  /* A click on the cheek on the after photo selects it again */
  {
    GtkGesture *drag = NULL;
    g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (canvas));
    double x, y;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_GESTURE_DRAG (controller))
          drag = GTK_GESTURE (controller);
      }
    g_assert_nonnull (drag);
    g_assert_true (derm_compare_canvas_image_to_widget (canvas, 1, 640, 470, &x, &y));
    g_signal_emit_by_name (drag, "drag-begin", x, y);
    g_signal_emit_by_name (drag, "drag-end", 1.0, 0.0);
    g_assert_cmpstr (derm_region_get_name (derm_compare_window_get_selected_region (window)), ==, "Left cheek");
    derm_test_ui_await (settled, window, "settled");
  }

  /* A click is not a region */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.tool", "s", "rect");
  derm_compare_canvas_add_region_rect (canvas, 100, 100, 1, 1);
  /* Everything the click set off has run, and drawn: still no name dialog */
  derm_test_ui_await_idle ();
  derm_test_ui_await_frame (GTK_WIDGET (window));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.tool", "s", "rect");
  g_assert_cmpint (derm_compare_canvas_get_tool (canvas), ==, DERM_COMPARE_TOOL_PAN);

  /* White balance applies to both photos and is stated with the metrics */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.white-balance", "s", "grey-world");
  g_assert_cmpint (derm_comparison_get_white_balance (comparison), ==, DERM_WB_GREY_WORLD);
  derm_test_ui_await (settled, window, "settled");
  g_assert_nonnull (strstr (derm_metrics_panel_get_metrics (derm_compare_window_get_metrics_panel (window))->settings_key,
                            "grey-world"));

  /* A colour chart: found in each photo; these photos have none, and the panel says so */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.white-balance", "s", "chart");
  g_assert_cmpint (derm_comparison_get_white_balance (comparison), ==, DERM_WB_CHART);
  g_assert_true (derm_test_ui_wait_until (settled, window, 30000));
  {
    const char *message = derm_metrics_panel_get_message (derm_compare_window_get_metrics_panel (window));

    g_assert_nonnull (message);
    g_assert_nonnull (strstr (message, "ColorChecker"));
  }

  /* A grey card: marked on the before photo like a rectangle */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.white-balance", "s", "patch");
  g_assert_cmpint (derm_compare_canvas_get_tool (canvas), ==, DERM_COMPARE_TOOL_WB_PATCH);
  derm_compare_canvas_add_region_rect (canvas, 100, 700, 80, 60);
  g_assert_cmpint (derm_compare_canvas_get_tool (canvas), ==, DERM_COMPARE_TOOL_PAN);
  g_assert_cmpint (derm_comparison_get_white_balance (comparison), ==, DERM_WB_PATCH);
  g_assert_cmpuint (g_list_model_get_n_items (regions), ==, 2);
  derm_test_ui_await (settled, window, "settled");
  g_assert_nonnull (strstr (derm_metrics_panel_get_metrics (derm_compare_window_get_metrics_panel (window))->settings_key,
                            "patch"));

  /* The unaligned original */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.show-unaligned", NULL);
  g_assert_true (derm_compare_canvas_get_show_unaligned (canvas));
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.show-unaligned", NULL);
  g_assert_false (derm_compare_canvas_get_show_unaligned (canvas));

  /* Export: one PNG, nothing identifying embedded */
  {
    g_autoptr (GFile) file = g_file_new_for_path (export_path);
    g_autofree char *suggested = derm_compare_window_dup_export_name (window);

    /* The suggested name says whose comparison it is and of what */
    g_assert_true (g_str_has_prefix (suggested, "Ana Lima, Front, 2025-"));
    g_assert_true (g_str_has_suffix (suggested, ".png"));
    g_assert_nonnull (strstr (suggested, " to 2025-"));

    derm_compare_window_export_to_file (window, file, DERM_PHOTO_USE_CLINICAL);
    g_assert_true (derm_compare_window_get_busy (window));
    derm_test_ui_await (settled, window, "settled");
    assert_png_without_metadata (export_path);
    g_unlink (export_path);

    /* For education, and the client never agreed to more than the record:
     * asked first; Cancel writes nothing, Export Anyway logs the override
     * for both photos */
    derm_compare_window_export_to_file (window, file, DERM_PHOTO_USE_EDUCATION);
    g_assert_true (derm_compare_window_get_busy (window));
    g_assert_true (derm_test_ui_answer_question ("cancel", DERM_TEST_UI_TIMEOUT_MS));
    derm_test_ui_await (settled, window, "settled");
    g_assert_false (g_file_test (export_path, G_FILE_TEST_EXISTS));
    derm_compare_window_export_to_file (window, file, DERM_PHOTO_USE_EDUCATION);
    g_assert_true (derm_test_ui_answer_question ("export", DERM_TEST_UI_TIMEOUT_MS));
    derm_test_ui_await (settled, window, "settled");
    assert_png_without_metadata (export_path);
    {
      g_autoptr (GPtrArray) audit = derm_store_list_audit (fx.store, 0, NULL);
      guint n = 0;

      for (guint i = 0; i < audit->len; i++)
        {
          const char *action, *fields;

          g_variant_get (g_ptr_array_index (audit, i), "(x&s&s&sx&s)", NULL, NULL, &action, NULL, NULL, &fields);
          if (g_str_equal (action, "override-photo-use"))
            {
              g_assert_cmpstr (fields, ==, "use=education; export=comparison-export");
              n++;
            }
        }
      g_assert_cmpuint (n, ==, 2);
    }
  }

  /* The trend of the selected region across the three sessions */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.white-balance", "s", "none");
  {
    g_autoptr (DermRegion) cheek = g_list_model_get_item (regions, 0);

    derm_compare_window_select_region (window, cheek);
  }
  g_assert_cmpstr (derm_region_get_name (derm_compare_window_get_selected_region (window)), ==, "Left cheek");
  derm_test_ui_await (settled, window, "settled");
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.show-trend", NULL);
  {
    DermTrendView *trend = DERM_TREND_VIEW (find_toplevel (DERM_TYPE_TREND_VIEW));
    g_autoptr (GFile) png = g_file_new_for_path (trend_png);
    g_autoptr (GFile) svg = g_file_new_for_path (trend_svg);

    g_assert_nonnull (trend);
    derm_test_ui_await (trend_done, trend, "trend done");
    g_assert_cmpuint (derm_trend_get_n_points (derm_trend_view_get_trend (trend)), ==, 3);
    for (guint i = 0; i < 3; i++)
      g_assert_true (derm_trend_get_point (derm_trend_view_get_trend (trend), i)->aligned);
    derm_trend_view_set_hover (trend, 1);
    g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (trend), "trend-chart"));
    derm_trend_view_export_to_file (trend, png, FALSE);
    derm_trend_view_export_to_file (trend, svg, TRUE);
    derm_test_ui_await (trend_done, trend, "trend done");
    g_assert_true (g_file_test (trend_png, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (trend_svg, G_FILE_TEST_IS_REGULAR));
    g_unlink (trend_png);
    g_unlink (trend_svg);
    gtk_window_destroy (GTK_WINDOW (trend));
  }

  /* Swap the after photo from the strip: the saved regions follow */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.set-after", "x", derm_photo_get_id (fx.front[1]));
  comparison = derm_compare_window_get_comparison (window);
  g_assert_cmpint (derm_photo_get_id (derm_comparison_get_after (comparison)), ==, derm_photo_get_id (fx.front[1]));
  derm_test_ui_await (aligned_shown, window, "aligned shown");
  g_assert_cmpuint (g_list_model_get_n_items (derm_comparison_get_regions (comparison)), ==, 2);
  /* Choosing the before photo as the after one swaps them */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.set-after", "x", derm_photo_get_id (fx.front[0]));
  comparison = derm_compare_window_get_comparison (window);
  g_assert_cmpint (derm_photo_get_id (derm_comparison_get_before (comparison)), ==, derm_photo_get_id (fx.front[1]));
  g_assert_cmpint (derm_photo_get_id (derm_comparison_get_after (comparison)), ==, derm_photo_get_id (fx.front[0]));
  derm_test_ui_await (settled, window, "settled");
  /* Swapping photos did not resize the window either */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), ==, width);

  /* A smaller screen: everything still fits */
  {
    int min_width = 0;

    gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
    g_test_message ("minimum width %d", min_width);
    g_assert_cmpint (min_width, <=, 1024);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  derm_test_ui_await_idle ();
}

static void
test_different_clients (void)
{
  g_autoptr (GError) error = NULL;
  GtkWidget *window = derm_compare_window_new_for_photos (fx.library, fx.front[0], fx.other, &error);
  AdwMessageDialog *dialog;

  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());

  g_assert_null (window);
  g_assert_error (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_DIFFERENT_CLIENTS);

  /* As the gallery opens it: the user is told why */
  gtk_window_present (parent);
  g_assert_null (derm_compare_window_open (parent, fx.library, fx.front[0], fx.other));
  derm_test_ui_await (message_dialog_shown, NULL, "message dialog shown");
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Cannot Compare These Photos");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, error->message);
  adw_message_dialog_response (dialog, "close");
  gtk_window_close (GTK_WINDOW (dialog));
  derm_test_ui_await (no_message_dialog, NULL, "the dialog to close");
  gtk_window_destroy (parent);
}

static void
test_removed_photo (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPhoto) elsewhere = NULL;
  GtkWidget *window = derm_compare_window_new_for_photos (fx.library, fx.front[0], fx.front[1], &error);
  GtkWidget *watched = window;
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  AdwMessageDialog *dialog;

  g_assert_no_error (error);
  gtk_window_present (parent);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &watched);
  gtk_window_present (GTK_WINDOW (window));
  derm_test_ui_await (has_picture, window, "has picture");

  /* Removed through another object, as the gallery does; the window
   * notices when it is looked at again */
  elsewhere = derm_store_get_photo (fx.store, derm_photo_get_id (fx.front[1]), &error);
  g_assert_no_error (error);
  g_assert_true (derm_photo_library_remove (fx.library, elsewhere, &error));
  g_assert_no_error (error);
  g_assert_false (derm_comparison_check_photos (derm_compare_window_get_comparison (DERM_COMPARE_WINDOW (window))));
  /* The window closes and says why */
  derm_test_ui_await_finalized ((gpointer *) &watched);
  dialog = ADW_MESSAGE_DIALOG (derm_test_ui_await_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "removed"));
  adw_message_dialog_response (dialog, "close");
  gtk_window_close (GTK_WINDOW (dialog));

  g_assert_true (derm_photo_library_restore (fx.library, elsewhere, &error));
  g_assert_no_error (error);
  gtk_window_destroy (parent);
  derm_test_ui_await_idle ();
}

static gboolean
compare_window_shown (gpointer data)
{
  return find_toplevel (DERM_TYPE_COMPARE_WINDOW) != NULL;
}

static gboolean
no_compare_window (gpointer data)
{
  return find_toplevel (DERM_TYPE_COMPARE_WINDOW) == NULL;
}

/* The entries that open a comparison: the client page's Compare… (the
 * earliest and the latest photo of the front view), the viewer's
 * Compare With… (the photo shown and the one furthest from it) and two
 * photos Ctrl+clicked in the gallery */
static void
test_entries (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClient) client = derm_store_get_client (fx.store, fx.client_a, &error);
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  GtkWidget *page = derm_client_page_new (fx.store);
  GtkWidget *viewer;
  DermCompareWindow *window;
  DermComparison *comparison;

  g_assert_no_error (error);
  gtk_window_set_child (parent, page);
  gtk_window_present (parent);
  derm_client_page_set_client (DERM_CLIENT_PAGE (page), client);
  derm_test_ui_await_frame (page);
  g_assert_true (gtk_widget_activate_action (page, "client.compare-photos", NULL));
  derm_test_ui_await (compare_window_shown, NULL, "compare window shown");
  window = DERM_COMPARE_WINDOW (find_toplevel (DERM_TYPE_COMPARE_WINDOW));
  comparison = derm_compare_window_get_comparison (window);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (window)) == parent);
  g_assert_cmpint (derm_photo_get_id (derm_comparison_get_before (comparison)), ==, derm_photo_get_id (fx.front[0]));
  g_assert_cmpint (derm_photo_get_id (derm_comparison_get_after (comparison)), ==, derm_photo_get_id (fx.front[2]));
  derm_test_ui_await (settled, window, "settled");
  gtk_window_destroy (GTK_WINDOW (window));
  derm_test_ui_await (no_compare_window, NULL, "the comparison window to close");

  viewer = derm_photo_viewer_new (fx.library, fx.front[1]);
  gtk_window_set_transient_for (GTK_WINDOW (viewer), parent);
  gtk_window_present (GTK_WINDOW (viewer));
  derm_test_ui_await_frame (viewer);
  gtk_widget_activate_action (viewer, "viewer.compare", NULL);
  derm_test_ui_await (compare_window_shown, NULL, "compare window shown");
  window = DERM_COMPARE_WINDOW (find_toplevel (DERM_TYPE_COMPARE_WINDOW));
  comparison = derm_compare_window_get_comparison (window);
  g_assert_cmpint (derm_photo_get_id (derm_comparison_get_before (comparison)), ==, derm_photo_get_id (fx.front[0]));
  g_assert_cmpint (derm_photo_get_id (derm_comparison_get_after (comparison)), ==, derm_photo_get_id (fx.front[1]));
  derm_test_ui_await (settled, window, "settled");
  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (viewer));

  /* The gallery: Ctrl+click two photos, the later one first */
  {
    GtkWidget *gallery = derm_photo_gallery_new (fx.store, NULL);
    GtkWidget *opened;

    gtk_window_set_child (parent, gallery);
    derm_photo_gallery_set_client_id (DERM_PHOTO_GALLERY (gallery), fx.client_a);
    g_assert_null (derm_photo_gallery_pick_for_comparison (DERM_PHOTO_GALLERY (gallery), fx.front[2]));
    g_assert_null (find_toplevel (DERM_TYPE_COMPARE_WINDOW));
    opened = derm_photo_gallery_pick_for_comparison (DERM_PHOTO_GALLERY (gallery), fx.front[0]);
    g_assert_true (DERM_IS_COMPARE_WINDOW (opened));
    window = DERM_COMPARE_WINDOW (opened);
    comparison = derm_compare_window_get_comparison (window);
    g_assert_cmpint (derm_photo_get_id (derm_comparison_get_before (comparison)), ==, derm_photo_get_id (fx.front[0]));
    g_assert_cmpint (derm_photo_get_id (derm_comparison_get_after (comparison)), ==, derm_photo_get_id (fx.front[2]));
    derm_test_ui_await (settled, window, "settled");
    gtk_window_destroy (GTK_WINDOW (window));
  }
  gtk_window_destroy (parent);
  derm_test_ui_await_idle ();
}

static gboolean
refused_or_aligned (gpointer data)
{
  DermComparisonState state = derm_comparison_get_state (derm_compare_window_get_comparison (data));

  return !derm_compare_window_get_busy (data) &&
         (state == DERM_COMPARISON_STATE_ALIGNMENT_REFUSED || state == DERM_COMPARISON_STATE_ALIGNED);
}

static gboolean
not_aligning (gpointer data)
{
  return derm_comparison_get_state (data) != DERM_COMPARISON_STATE_ALIGNING;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action_name)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
manual_aligned (gpointer data)
{
  return derm_comparison_get_state (derm_compare_window_get_comparison (data)) == DERM_COMPARISON_STATE_MANUAL &&
         aligned_shown (data);
}

static void
test_alignment_refused (void)
{
  g_autoptr (GError) error = NULL;
  DermCompareWindow *window;
  DermCompareCanvas *canvas;
  DermComparison *comparison;
  const char *reason;
  const double points[] = { 100, 100, 1100, 120, 1080, 800, 120, 780 };

  window = DERM_COMPARE_WINDOW (derm_compare_window_new_default (fx.library, fx.client_a,
                                                                 DERM_PHOTO_VIEW_LEFT_45, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  canvas = derm_compare_window_get_canvas (window);
  comparison = derm_compare_window_get_comparison (window);
  derm_test_ui_await (refused_or_aligned, window, "refused or aligned");
  g_assert_cmpint (derm_comparison_get_state (comparison), ==, DERM_COMPARISON_STATE_ALIGNMENT_REFUSED);
  reason = derm_comparison_get_refused_reason (comparison);
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (derm_compare_window_get_status (window), reason));
  /* Still comparable unaligned; metrics wait for an alignment */
  g_assert_true (derm_compare_canvas_has_picture (canvas));
  g_assert_null (derm_metrics_panel_get_metrics (derm_compare_window_get_metrics_panel (window)));
  g_assert_true (g_str_has_prefix (derm_metrics_panel_get_message (derm_compare_window_get_metrics_panel (window)),
                                   "Not comparable: the photos could not be aligned"));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (window), "compare-refused"));

  /* Another try can be cancelled; the pair stays comparable unaligned */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.align", NULL);
  g_assert_cmpint (derm_comparison_get_state (comparison), ==, DERM_COMPARISON_STATE_ALIGNING);
  g_assert_true (gtk_widget_get_visible (find_button (GTK_WIDGET (window), "compare.cancel-align")));
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.cancel-align", NULL);
  derm_test_ui_await (not_aligning, comparison, "not aligning");
  g_assert_cmpint (derm_comparison_get_state (comparison), !=, DERM_COMPARISON_STATE_ALIGNED);

  /* By hand: four points on each photo */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.manual-align", NULL);
  g_assert_cmpint (derm_compare_canvas_get_tool (canvas), ==, DERM_COMPARE_TOOL_POINTS);
  g_assert_cmpint (derm_compare_canvas_get_mode (canvas), ==, DERM_COMPARE_MODE_SIDE_BY_SIDE);
  for (guint i = 0; i < 4; i++)
    {
      derm_compare_canvas_add_manual_point (canvas, FALSE, points[2 * i], points[2 * i + 1]);
      derm_compare_canvas_add_manual_point (canvas, TRUE, points[2 * i] + 5, points[2 * i + 1] - 3);
    }
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (window), "compare-manual-points"));
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.apply-manual", NULL);
  derm_test_ui_await (manual_aligned, window, "manual aligned");
  g_assert_nonnull (strstr (derm_compare_window_get_status (window), "by hand"));
  g_assert_cmpint (derm_compare_canvas_get_tool (canvas), ==, DERM_COMPARE_TOOL_PAN);
  g_assert_nonnull (derm_metrics_panel_get_metrics (derm_compare_window_get_metrics_panel (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  derm_test_ui_await_idle ();
}

/* The colour chart's corners marked by hand: four clicks on the before
 * photo, then both photos are calibrated by the chart found there (and
 * mapped into the after photo through the alignment) */
static void
test_chart_marked_by_hand (void)
{
  g_autoptr (GError) error = NULL;
  DermCompareWindow *window;
  DermCompareCanvas *canvas;
  DermComparison *comparison;
  const DermComparisonMetrics *metrics;
  /* The photo of session 1 is the scene itself: scene pixels are photo pixels.
   * Beside the brown patch, the bluish-green, the black, the white. */
  const double corners[8] = {
    CHART_X0 - 0.5, CHART_Y0 - 0.5, CHART_X0 + 16.75 * CHART_UNIT - 0.5, CHART_Y0 - 0.5,
    CHART_X0 + 16.75 * CHART_UNIT - 0.5, CHART_Y0 + 11.25 * CHART_UNIT - 0.5, CHART_X0 - 0.5,
    CHART_Y0 + 11.25 * CHART_UNIT - 0.5,
  };
  double marked[8];

  window = DERM_COMPARE_WINDOW (derm_compare_window_new_default (fx.library, fx.client_c, DERM_PHOTO_VIEW_FRONT,
                                                                 &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  canvas = derm_compare_window_get_canvas (window);
  comparison = derm_compare_window_get_comparison (window);
  derm_test_ui_await (refused_or_aligned, window, "refused or aligned");
  g_assert_cmpint (derm_comparison_get_state (comparison), ==, DERM_COMPARISON_STATE_ALIGNED);
  derm_test_ui_await (settled, window, "settled");

  gtk_widget_activate_action (GTK_WIDGET (window), "compare.white-balance", "s", "chart-marked");
  g_assert_cmpint (derm_compare_canvas_get_tool (canvas), ==, DERM_COMPARE_TOOL_CHART);
  /* Until the fourth corner nothing is measured with it */
  g_assert_cmpint (derm_comparison_get_white_balance (comparison), ==, DERM_WB_NONE);
  for (guint i = 0; i < 3; i++)
    derm_compare_canvas_add_chart_corner (canvas, corners[2 * i], corners[2 * i + 1]);
  g_assert_cmpuint (derm_compare_canvas_get_n_chart_corners (canvas), ==, 3);
  g_assert_false (derm_comparison_get_chart_corners (comparison, NULL));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (window), "compare-chart-corners"));
  derm_compare_canvas_add_chart_corner (canvas, corners[6], corners[7]);

  g_assert_cmpint (derm_compare_canvas_get_tool (canvas), ==, DERM_COMPARE_TOOL_PAN);
  g_assert_cmpint (derm_comparison_get_white_balance (comparison), ==, DERM_WB_CHART);
  g_assert_true (derm_comparison_get_chart_corners (comparison, marked));
  g_assert_cmpmem (marked, sizeof marked, corners, sizeof corners);
  derm_test_ui_await (settled, window, "settled");
  metrics = derm_metrics_panel_get_metrics (derm_compare_window_get_metrics_panel (window));
  g_assert_nonnull (metrics);
  g_assert_nonnull (strstr (metrics->settings_key, "chart:"));
  g_assert_true (metrics->values.has_chart);
  g_assert_nonnull (strstr (metrics->settings_label, "marked by hand"));
  g_assert_false (metrics->values.chart_before.found_automatically);
  g_assert_false (metrics->values.chart_after.found_automatically);
  g_test_message ("chart marked by hand: mean CIEDE2000 %.2f before, %.2f after",
                  metrics->values.chart_before.delta_e_mean, metrics->values.chart_after.delta_e_mean);
  g_assert_cmpfloat (metrics->values.chart_before.delta_e_mean, <=, DERM_CHART_MAX_MEAN_DELTA_E);
  g_assert_cmpfloat (metrics->values.chart_after.delta_e_mean, <=, DERM_CHART_MAX_MEAN_DELTA_E);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (window), "compare-chart-marked"));

  /* Chosen again, it is marked again; Escape after two corners keeps the
   * balance in use */
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.white-balance", "s", "chart-marked");
  g_assert_cmpint (derm_compare_canvas_get_tool (canvas), ==, DERM_COMPARE_TOOL_CHART);
  derm_compare_canvas_add_chart_corner (canvas, corners[0], corners[1]);
  derm_compare_canvas_add_chart_corner (canvas, corners[2], corners[3]);
  gtk_widget_activate_action (GTK_WIDGET (window), "compare.tool", "s", "pan");
  g_assert_cmpint (derm_compare_canvas_get_tool (canvas), ==, DERM_COMPARE_TOOL_PAN);
  g_assert_cmpuint (derm_compare_canvas_get_n_chart_corners (canvas), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  derm_test_ui_await_idle ();
}

/* Renders the canvas as the window would and returns the milliseconds */
static double
time_frame (GtkWidget *canvas)
{
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (canvas));
  int width = gtk_widget_get_width (canvas), height = gtk_widget_get_height (canvas);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (canvas);
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  gint64 start = g_get_monotonic_time ();

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* 24 MP: frames drawn from the pyramid level that matches the zoom (the
 * times are reported, not asserted: speed is measured by benchmarks) */
static void
test_large_pair (void)
{
  g_autofree char *camera = g_build_filename (fx.data_dir, "camera-24mp", NULL);
  g_autofree char *before_path = NULL;
  g_autofree char *after_path = NULL;
  g_autoptr (DermPhoto) before = NULL;
  g_autoptr (DermPhoto) after = NULL;
  g_autoptr (GError) error = NULL;
  DermCompareWindow *window;
  DermCompareCanvas *canvas;
  const double zooms[] = { 1.0, 2.0, 4.0, 8.0, 16.0 };
  gint64 start;

  if (!g_test_slow ())
    {
      g_test_skip ("Makes two 24 MP photos: run with -m slow");
      return;
    }
  g_mkdir_with_parents (camera, 0700);
  before_path = make_photo_sized (camera, "large-1.jpg", 6000, 4000, 0, 0, 0, 1.0, 1.0, FALSE);
  after_path = make_photo_sized (camera, "large-2.jpg", 6000, 4000, 20, -10, 1.0, 1.0, 0.5, FALSE);
  before = import (fx.client_b, before_path, 0, DERM_PHOTO_VIEW_CLOSE_UP);
  after = import (fx.client_b, after_path, 0, DERM_PHOTO_VIEW_CLOSE_UP);

  start = g_get_monotonic_time ();
  window = DERM_COMPARE_WINDOW (derm_compare_window_new_for_photos (fx.library, before, after, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  canvas = derm_compare_window_get_canvas (window);
  derm_test_ui_await (has_picture, window, "has picture");
  g_test_message ("24 MP: first picture after %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  derm_test_ui_await (aligned_shown, window, "aligned shown");
  g_test_message ("24 MP: full pyramid, aligned and measured after %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);

  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      double ms;

      derm_compare_canvas_set_zoom (canvas, zooms[i]);
      /* The widget's node is made at the next frame */
      derm_test_ui_await_frame (GTK_WIDGET (canvas));
      time_frame (GTK_WIDGET (canvas));
      ms = time_frame (GTK_WIDGET (canvas));
      g_test_message ("24 MP: zoom %.0fx draws the %.3f level in %.1f ms", derm_compare_canvas_get_zoom (canvas),
                      derm_compare_canvas_get_drawn_level_scale (canvas), ms);
      if (i == 0)
        g_assert_cmpfloat (derm_compare_canvas_get_drawn_level_scale (canvas), <=, 0.125 + 1e-3);
      if (zooms[i] == 4.0)
        g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (window), "compare-24mp-zoomed"));
    }
  gtk_window_destroy (GTK_WINDOW (window));
  derm_test_ui_await_idle ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = derm_test_make_tmp_dir ("ui-compare-cache");
  int result;

  /* Widgets that make their own thumbnailer cache into the default dir */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  derm_test_ui_init (&argc, &argv);
  fixture_set_up ();

  g_test_add_func ("/ui/compare/views-regions-metrics-trend", test_views);
  g_test_add_func ("/ui/compare/entries-client-page-viewer-gallery", test_entries);
  g_test_add_func ("/ui/compare/different-clients-refused", test_different_clients);
  g_test_add_func ("/ui/compare/removed-photo-closes", test_removed_photo);
  g_test_add_func ("/ui/compare/alignment-refused-then-by-hand", test_alignment_refused);
  g_test_add_func ("/ui/compare/colour-chart-corners-marked-by-hand", test_chart_marked_by_hand);
  g_test_add_func ("/ui/compare/large-pair-24mp", test_large_pair);

  result = g_test_run ();
  fixture_tear_down ();
  derm_test_remove_dir (cache);
  return result;
}

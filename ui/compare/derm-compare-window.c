/* derm-compare-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window owns the DermComparison and everything asynchronous about
 * it (loading and alignment, regions, metrics, the heatmap, export), each
 * with its own GCancellable that a newer request or a swapped photo
 * cancels. Swapping a photo makes a new DermComparison; the canvas and
 * the lists follow it. Modes, tools, white balance and the unaligned
 * toggle are string and boolean properties with property actions, so
 * the header's toggles, the menu and the tests all go through them.
 */
#define G_LOG_DOMAIN "derm-compare-window"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "derm-client.h"
#include "derm-comparison-export.h"
#include "derm-compare-window.h"
#include "derm-photo-use-confirm.h"
#include "derm-report-dialog.h"
#include "derm-message-dialog.h"
#include "derm-store.h"
#include "derm-thumbnailer.h"
#include "derm-trend-view.h"
#include "derm-validate.h"
#include "derm-toast.h"

#define MAP_SIDE 2048   /* longer side of the heatmap: finer than any fitted view */

/* The sidebar's width at text scale 1 */
#define SIDEBAR_WIDTH 480

struct _DermCompareWindow
{
  AdwWindow          parent_instance;

  /* The client's name for the export's file name, read on the store's
   * worker when the pair is set (NULL until it is back) */
  char              *client_name;
  GCancellable      *name_read;

  AdwToastOverlay   *toast_overlay;
  GtkWidget         *sidebar;
  AdwClamp          *sidebar_clamp;
  GtkWidget         *status_spinner;
  GtkImage          *status_icon;
  GtkLabel          *status_label;
  GtkProgressBar    *status_progress;
  GtkWidget         *cancel_button;
  GtkWidget         *align_button;
  GtkWidget         *manual_button;
  GtkWidget         *unaligned_check;
  GtkWidget         *wipe_hint;
  GtkDropDown       *heatmap_dropdown;
  GtkWidget         *opacity_box;
  GtkAdjustment     *opacity_adjustment;
  DermCompareCanvas *canvas;
  GtkRevealer       *manual_revealer;
  GtkLabel          *manual_label;
  GtkListView       *strip;
  GtkListBox        *regions_list;
  GtkLabel          *tool_hint;
  DermMetricsPanel  *metrics_panel;

  DermComparison    *comparison;
  GListStore        *strip_photos;
  GListStore        *region_sections;   /* [whole photo], regions */
  GtkFlattenListModel *region_items;
  DermRegion        *selected_region;

  GCancellable      *work_cancellable;     /* load and alignment */
  GCancellable      *metrics_cancellable;
  GCancellable      *map_cancellable;
  GCancellable      *regions_cancellable;
  char              *metrics_key;
  char              *map_key;
  gboolean           metrics_running;
  gboolean           map_running;
  gboolean           regions_running;
  gboolean           regions_requested;
  guint              n_exports;   /* exports being confirmed or written */
  GFile             *export_file; /* where the export being confirmed goes */

  char              *mode;
  char              *tool;
  char              *white_balance;
  gboolean           show_unaligned;
  gboolean           has_patch;
  DermCompareMode    mode_before_manual;
  gboolean           manual;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (DermCompareWindow, derm_compare_window, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_MODE,
  PROP_TOOL,
  PROP_WHITE_BALANCE,
  PROP_SHOW_UNALIGNED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void set_comparison (DermCompareWindow *self,
                            DermComparison    *comparison);
static void refresh_metrics (DermCompareWindow *self);
static void refresh_map (DermCompareWindow *self);
static void set_tool (DermCompareWindow *self,
                      const char        *tool);

static gboolean
is_aligned (DermCompareWindow *self)
{
  DermComparisonState state = derm_comparison_get_state (self->comparison);

  return state == DERM_COMPARISON_STATE_ALIGNED || state == DERM_COMPARISON_STATE_MANUAL;
}

static void
toast (DermCompareWindow *self,
       const char        *text)
{
  derm_toast_show (GTK_WIDGET (self->toast_overlay), text);
}

static void
replace_cancellable (GCancellable **slot)
{
  if (*slot != NULL)
    g_cancellable_cancel (*slot);
  g_clear_object (slot);
  *slot = g_cancellable_new ();
}

static void
cancel_all (DermCompareWindow *self)
{
  GCancellable **slots[] = { &self->work_cancellable, &self->metrics_cancellable, &self->map_cancellable,
                             &self->regions_cancellable };

  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      if (*slots[i] != NULL)
        g_cancellable_cancel (*slots[i]);
      g_clear_object (slots[i]);
    }
}

/* ------------------------------------------------------------ status */

static void
update_actions (DermCompareWindow *self)
{
  DermComparisonState state;
  gboolean full;
  gboolean working;
  guint nb = 0, na = 0;

  if (self->comparison == NULL)
    return;
  state = derm_comparison_get_state (self->comparison);
  full = derm_comparison_has_full_images (self->comparison);
  working = state == DERM_COMPARISON_STATE_ALIGNING;

  derm_compare_canvas_get_manual_points (self->canvas, FALSE, &nb);
  derm_compare_canvas_get_manual_points (self->canvas, TRUE, &na);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.align",
                                 full && !working && state != DERM_COMPARISON_STATE_ALIGNED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.manual-align", full && !working && !self->manual);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.cancel-align", working);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.apply-manual",
                                 self->manual && !working && nb == na && nb >= 3);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.clear-points", self->manual && (nb > 0 || na > 0));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.export",
                                 derm_compare_canvas_has_picture (self->canvas) && state != DERM_COMPARISON_STATE_PHOTO_REMOVED);
}

static void
sync_status (DermCompareWindow *self)
{
  DermComparisonState state = derm_comparison_get_state (self->comparison);
  DermAlignmentResult alignment = { 0 };
  g_autofree char *text = NULL;
  const char *icon = NULL;
  gboolean busy = FALSE, cancel = FALSE, align = FALSE, manual = FALSE, toggle = FALSE;

  switch (state)
    {
    case DERM_COMPARISON_STATE_LOADING_PREVIEW:
      text = g_strdup (_("Loading the photos…"));
      busy = TRUE;
      break;

    case DERM_COMPARISON_STATE_PREVIEW_READY:
    case DERM_COMPARISON_STATE_LOADING_FULL:
      text = g_strdup (_("Loading the full-resolution photos…"));
      busy = TRUE;
      break;

    case DERM_COMPARISON_STATE_UNALIGNED:
      text = g_strdup (_("Not aligned: the after photo is shown as taken"));
      icon = "dialog-information-symbolic";
      align = manual = TRUE;
      break;

    case DERM_COMPARISON_STATE_ALIGNING:
      text = g_strdup (_("Aligning the after photo onto the before photo…"));
      busy = cancel = TRUE;
      break;

    case DERM_COMPARISON_STATE_ALIGNED:
      derm_comparison_get_alignment (self->comparison, &alignment);
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Aligned: %d matching point (%.0f %% of matches), error %.1f px, covers %.0f %%",
                                           "Aligned: %d matching points (%.0f %% of matches), error %.1f px, covers %.0f %%",
                                           (gulong) alignment.n_inliers),
                              alignment.n_inliers, alignment.inlier_ratio * 100, alignment.rms_error,
                              alignment.overlap * 100);
      icon = "emblem-ok-symbolic";
      manual = toggle = TRUE;
      break;

    case DERM_COMPARISON_STATE_MANUAL:
      derm_comparison_get_alignment (self->comparison, &alignment);
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Aligned by hand from %d point, error %.1f px",
                                           "Aligned by hand from %d points, error %.1f px", (gulong) alignment.n_inliers),
                              alignment.n_inliers,
                              alignment.rms_error);
      icon = "emblem-ok-symbolic";
      manual = toggle = align = TRUE;
      break;

    case DERM_COMPARISON_STATE_ALIGNMENT_REFUSED:
      {
        const char *reason = derm_comparison_get_refused_reason (self->comparison);
        gboolean stop = reason != NULL && g_str_has_suffix (reason, ".");

        /* TRANSLATORS: why alignment was refused, then what to do */
        text = g_strdup_printf (stop ? _("%s You can still compare them unaligned, or align them by hand.")
                                     : _("%s. You can still compare them unaligned, or align them by hand."),
                                reason != NULL ? reason : _("The photos could not be aligned"));
      }
      icon = "dialog-warning-symbolic";
      manual = TRUE;
      break;

    case DERM_COMPARISON_STATE_FAILED:
    case DERM_COMPARISON_STATE_PHOTO_REMOVED:
      text = g_strdup (derm_comparison_get_error_message (self->comparison));
      icon = "dialog-error-symbolic";
      break;

    default:
      g_assert_not_reached ();
    }

  if (self->manual)
    manual = align = FALSE;
  gtk_label_set_label (self->status_label, text != NULL ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), text);
  gtk_widget_set_visible (self->status_spinner, busy);
  if (busy)
    gtk_spinner_start (GTK_SPINNER (self->status_spinner));
  else
    gtk_spinner_stop (GTK_SPINNER (self->status_spinner));
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), icon != NULL);
  if (icon != NULL)
    gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->status_progress), busy);
  gtk_progress_bar_set_fraction (self->status_progress, derm_comparison_get_progress (self->comparison));
  gtk_widget_set_visible (self->cancel_button, cancel);
  gtk_widget_set_visible (self->align_button, align);
  gtk_widget_set_visible (self->manual_button, manual);
  gtk_widget_set_visible (self->unaligned_check, toggle);
  update_actions (self);
}

static void
sync_mode_controls (DermCompareWindow *self)
{
  DermCompareMode mode = derm_compare_canvas_get_mode (self->canvas);

  gtk_widget_set_visible (self->wipe_hint, mode == DERM_COMPARE_MODE_WIPE);
  gtk_widget_set_visible (GTK_WIDGET (self->heatmap_dropdown), mode == DERM_COMPARE_MODE_HEATMAP);
  gtk_widget_set_visible (self->opacity_box, mode == DERM_COMPARE_MODE_BLEND || mode == DERM_COMPARE_MODE_HEATMAP);
}

static void
sync_tool_hint (DermCompareWindow *self)
{
  const char *hint;

  switch (derm_compare_canvas_get_tool (self->canvas))
    {
    case DERM_COMPARE_TOOL_RECT:
      hint = _("Drag on the before photo to draw a rectangle. Press Escape to cancel.");
      break;
    case DERM_COMPARE_TOOL_POLYGON:
      hint = _("Click the corners on the before photo; double-click or press Enter to close the region, "
               "Backspace removes the last corner, Escape cancels.");
      break;
    case DERM_COMPARE_TOOL_WB_PATCH:
      hint = _("Drag over the grey card on the before photo to balance both photos to it.");
      break;
    case DERM_COMPARE_TOOL_POINTS:
      hint = _("Mark matching points on both photos.");
      break;
    case DERM_COMPARE_TOOL_CHART:
      hint = _("Click the colour chart’s four outer corners on the before photo: beside the brown patch, "
               "the bluish-green patch, the black patch, then the white patch. Backspace removes the last "
               "corner, Escape cancels.");
      break;
    case DERM_COMPARE_TOOL_PAN:
    default:
      hint = _("Click a region, here or on the photo, to see its metrics. Drag to pan, scroll to zoom.");
      break;
    }
  gtk_label_set_label (self->tool_hint, hint);
}

/* ------------------------------------------------------------ metrics and maps */

static char *
analysis_key (DermCompareWindow *self,
              const char        *what)
{
  DermAnalysisSettings settings;
  DermAlignmentResult alignment = { 0 };
  g_autofree char *settings_key = NULL;
  g_autofree char *geometry = NULL;

  derm_comparison_get_settings (self->comparison, &settings);
  settings_key = derm_analysis_settings_to_key (&settings);
  derm_comparison_get_alignment (self->comparison, &alignment);
  geometry = self->selected_region != NULL ? derm_region_dup_geometry_hash (self->selected_region) : g_strdup ("");
  return g_strdup_printf ("%s|%s|%s|%d|%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g", what, settings_key, geometry,
                          derm_comparison_has_full_images (self->comparison), alignment.h[0], alignment.h[1],
                          alignment.h[2], alignment.h[3], alignment.h[4], alignment.h[5], alignment.h[6],
                          alignment.h[7]);
}

static void
metrics_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (DermCompareWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  DermComparisonMetrics *metrics;

  metrics = derm_comparison_compute_metrics_finish (DERM_COMPARISON (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->metrics_running = FALSE;
  if (DERM_COMPARISON (source) != self->comparison)
    {
      g_clear_pointer (&metrics, derm_comparison_metrics_free);
      return;
    }
  if (metrics == NULL)
    {
      g_clear_pointer (&self->metrics_key, g_free);
      derm_metrics_panel_show_message (self->metrics_panel, error->message);
      return;
    }
  derm_metrics_panel_set_metrics (self->metrics_panel, metrics);
}

static void
refresh_metrics (DermCompareWindow *self)
{
  g_autofree char *key = NULL;
  DermComparisonState state = derm_comparison_get_state (self->comparison);

  if (!is_aligned (self))
    {
      replace_cancellable (&self->metrics_cancellable);
      self->metrics_running = FALSE;
      g_clear_pointer (&self->metrics_key, g_free);
      if (state == DERM_COMPARISON_STATE_ALIGNMENT_REFUSED)
        derm_metrics_panel_show_message (self->metrics_panel,
                                         _("Not comparable: the photos could not be aligned, and metrics compare "
                                           "the same skin. Align them by hand to compare."));
      else if (state == DERM_COMPARISON_STATE_UNALIGNED)
        derm_metrics_panel_show_message (self->metrics_panel,
                                         _("Metrics compare the same skin, so they need aligned photos. "
                                           "Align them automatically or by hand."));
      else if (state == DERM_COMPARISON_STATE_FAILED || state == DERM_COMPARISON_STATE_PHOTO_REMOVED)
        derm_metrics_panel_show_message (self->metrics_panel, derm_comparison_get_error_message (self->comparison));
      else
        derm_metrics_panel_show_message (self->metrics_panel,
                                         _("Metrics appear once the photos are loaded and aligned."));
      return;
    }
  if (self->white_balance != NULL && g_str_equal (self->white_balance, "patch") && !self->has_patch)
    return;
  if (self->white_balance != NULL && g_str_equal (self->white_balance, "chart-marked") &&
      !derm_comparison_get_chart_corners (self->comparison, NULL))
    return;
  key = analysis_key (self, "metrics");
  if (g_strcmp0 (key, self->metrics_key) == 0)
    return;
  g_free (self->metrics_key);
  self->metrics_key = g_steal_pointer (&key);
  replace_cancellable (&self->metrics_cancellable);
  self->metrics_running = TRUE;
  derm_metrics_panel_show_loading (self->metrics_panel);
  derm_comparison_compute_metrics_async (self->comparison, self->selected_region, self->metrics_cancellable,
                                         metrics_done, g_object_ref (self));
}

static void
map_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr (DermCompareWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  DermComparisonMap *map;

  map = derm_comparison_compute_map_finish (DERM_COMPARISON (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->map_running = FALSE;
  if (DERM_COMPARISON (source) != self->comparison)
    {
      g_clear_pointer (&map, derm_comparison_map_free);
      return;
    }
  if (map == NULL)
    {
      g_clear_pointer (&self->map_key, g_free);
      derm_compare_canvas_set_map_status (self->canvas, error->message);
      return;
    }
  derm_compare_canvas_set_map (self->canvas, map);
}

static void
refresh_map (DermCompareWindow *self)
{
  DermComparisonMapKind kind = gtk_drop_down_get_selected (self->heatmap_dropdown);
  g_autofree char *key = NULL;

  if (derm_compare_canvas_get_mode (self->canvas) != DERM_COMPARE_MODE_HEATMAP)
    return;
  if (!derm_comparison_has_full_images (self->comparison))
    {
      derm_compare_canvas_set_map (self->canvas, NULL);
      derm_compare_canvas_set_map_status (self->canvas, _("The heatmap appears once the full photos are loaded"));
      return;
    }
  if (kind != DERM_COMPARISON_MAP_A_STAR_BEFORE && !is_aligned (self))
    {
      replace_cancellable (&self->map_cancellable);
      self->map_running = FALSE;
      g_clear_pointer (&self->map_key, g_free);
      derm_compare_canvas_set_map (self->canvas, NULL);
      derm_compare_canvas_set_map_status (self->canvas,
                                          _("This map needs aligned photos: align them automatically or by hand"));
      return;
    }
  {
    g_autofree char *what = g_strdup_printf ("map-%d", kind);
    key = analysis_key (self, what);
  }
  if (g_strcmp0 (key, self->map_key) == 0)
    return;
  g_free (self->map_key);
  self->map_key = g_steal_pointer (&key);
  replace_cancellable (&self->map_cancellable);
  self->map_running = TRUE;
  derm_compare_canvas_set_map (self->canvas, NULL);
  derm_compare_canvas_set_map_status (self->canvas, _("Making the heatmap…"));
  derm_comparison_compute_map_async (self->comparison, kind, NULL, MAP_SIDE, self->map_cancellable, map_done,
                                     g_object_ref (self));
}

/* ------------------------------------------------------------ comparison signals */

static void
leave_manual (DermCompareWindow *self)
{
  if (!self->manual)
    return;
  self->manual = FALSE;
  derm_compare_canvas_clear_manual_points (self->canvas);
  set_tool (self, "pan");
  derm_compare_canvas_set_mode (self->canvas, self->mode_before_manual);
  gtk_revealer_set_reveal_child (self->manual_revealer, FALSE);
  g_free (self->mode);
  self->mode = g_strdup (g_enum_get_value (g_type_class_peek (DERM_TYPE_COMPARE_MODE),
                                           self->mode_before_manual)->value_nick);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
  sync_mode_controls (self);
}

static void regions_done (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
on_state_changed (DermCompareWindow *self)
{
  /* Saved regions are mapped onto the full before photo */
  if (!self->regions_requested && derm_comparison_has_full_images (self->comparison))
    {
      self->regions_requested = TRUE;
      self->regions_running = TRUE;
      derm_comparison_load_regions_async (self->comparison, self->regions_cancellable, regions_done,
                                          g_object_ref (self));
    }
  sync_status (self);
  refresh_metrics (self);
  refresh_map (self);
}

static void
on_photo_removed (DermCompareWindow *self,
                  DermPhoto         *photo)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkWidget *dialog;

  dialog = derm_message_dialog_new (parent, _("Comparison Closed"),
                                   derm_comparison_get_error_message (self->comparison));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_active_changed (DermCompareWindow *self)
{
  /* A photo removed elsewhere (the gallery, dermis-cli) while this
   * window was in the background */
  if (gtk_window_is_active (GTK_WINDOW (self)) && self->comparison != NULL)
    derm_comparison_check_photos (self->comparison);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (DermCompareWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  /* The state tells the rest; a failure shows its message there */
  if (!derm_comparison_load_finish (DERM_COMPARISON (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Loading the comparison stopped: %s", error->message);
}

static void
align_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (DermCompareWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!derm_comparison_align_finish (DERM_COMPARISON (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_ALIGNMENT_REFUSED))
    toast (self, error->message);
}

static void
regions_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (DermCompareWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  guint n_skipped = 0;

  if (!derm_comparison_load_regions_finish (DERM_COMPARISON (source), result, &n_skipped, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->regions_running = FALSE;
      toast (self, error->message);
      return;
    }
  self->regions_running = FALSE;
  if (n_skipped > 0 && DERM_COMPARISON (source) == self->comparison)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u saved region could not be placed on this photo",
                                      "%u saved regions could not be placed on this photo", n_skipped),
                         n_skipped);
      toast (self, text);
    }
}

/* ------------------------------------------------------------ regions list */

static GtkWidget *
create_region_row (gpointer item,
                   gpointer user_data)
{
  GtkWidget *row = adw_action_row_new ();

  if (DERM_IS_REGION (item))
    {
      DermRegion *region = item;
      guint n_points = 0;
      GtkWidget *button;
      g_autofree char *subtitle = NULL;

      derm_region_get_points (region, &n_points);
      subtitle = derm_region_get_kind (region) == DERM_REGION_RECT
                 ? g_strdup (_("Rectangle"))
                 : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Polygon, %u corner", "Polygon, %u corners",
                                                 n_points), n_points);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), derm_region_get_name (region));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Delete Region"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Delete Region"), -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "compare.remove-region");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", derm_region_get_id (region));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      g_object_set_data_full (G_OBJECT (row), "derm-region", g_object_ref (region), g_object_unref);
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Whole photo"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Every pixel both photos show"));
    }
  return row;
}

static void
select_row_of (DermCompareWindow *self,
               DermRegion        *region)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->regions_list, i)) != NULL; i++)
    if (g_object_get_data (G_OBJECT (row), "derm-region") == (gpointer) region)
      {
        gtk_list_box_select_row (self->regions_list, row);
        return;
      }
  gtk_list_box_select_row (self->regions_list, gtk_list_box_get_row_at_index (self->regions_list, 0));
}

static void
on_row_selected (GtkListBox        *list,
                 GtkListBoxRow     *row,
                 DermCompareWindow *self)
{
  DermRegion *region = row != NULL ? g_object_get_data (G_OBJECT (row), "derm-region") : NULL;

  if (row == NULL)
    return;
  if (!g_set_object (&self->selected_region, region))
    return;
  derm_compare_canvas_set_selected_region (self->canvas, region);
  refresh_metrics (self);
}

static void
on_regions_changed (DermCompareWindow *self)
{
  DermRegion *region = self->selected_region;
  GListModel *regions = derm_comparison_get_regions (self->comparison);
  gboolean still_there = FALSE;

  for (guint i = 0; region != NULL && i < g_list_model_get_n_items (regions); i++)
    {
      g_autoptr (DermRegion) item = g_list_model_get_item (regions, i);
      still_there |= item == region;
    }
  if (!still_there)
    g_clear_object (&self->selected_region);
  derm_compare_canvas_set_selected_region (self->canvas, self->selected_region);
  select_row_of (self, self->selected_region);
  refresh_metrics (self);
}

/* ------------------------------------------------------------ region naming */

static void
on_name_changed (GtkEditable      *entry,
                 AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "save", *name != '\0');
}

static void
on_suggestion_clicked (GtkButton   *button,
                       GtkEditable *entry)
{
  gtk_editable_set_text (entry, gtk_button_get_label (button));
}

static void
on_name_response (AdwMessageDialog  *dialog,
                  const char        *response,
                  DermCompareWindow *self)
{
  DermRegion *region = g_object_get_data (G_OBJECT (dialog), "derm-region");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "derm-entry");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr (GError) error = NULL;

  if (!g_str_equal (response, "save") || *name == '\0' || self->comparison == NULL)
    return;
  derm_region_set_name (region, name);
  if (!derm_comparison_save_region (self->comparison, region, &error))
    {
      toast (self, error->message);
      return;
    }
  derm_compare_window_select_region (self, region);
}

static void
on_region_drawn (DermCompareWindow *self,
                 DermRegion        *region)
{
  const char * const *names = derm_region_get_suggested_names ();
  GtkWidget *dialog, *box, *entry, *flow;

  set_tool (self, "pan");
  dialog = derm_message_dialog_new (GTK_WINDOW (self), _("Name the Region"),
                                   _("Choose a name or type your own. The region is kept for this "
                                     "client's later comparisons of the same view."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Region name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Region name"), -1);
  flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 3);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  for (guint i = 0; names[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (names[i]);

      g_signal_connect (button, "clicked", G_CALLBACK (on_suggestion_clicked), entry);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
    }
  gtk_box_append (GTK_BOX (box), flow);
  gtk_box_append (GTK_BOX (box), entry);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", FALSE);
  g_object_set_data_full (G_OBJECT (dialog), "derm-region", g_object_ref (region), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "derm-entry", entry);
  g_signal_connect (entry, "changed", G_CALLBACK (on_name_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_name_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
on_chart_marked (DermCompareWindow *self,
                 const double      *corners)
{
  derm_comparison_set_chart_corners (self->comparison, corners);
  derm_comparison_set_white_balance (self->comparison, DERM_WB_CHART);
  set_tool (self, "pan");
  refresh_metrics (self);
  refresh_map (self);
}

static void
on_patch_marked (DermCompareWindow *self,
                 int                x,
                 int                y,
                 int                width,
                 int                height)
{
  derm_comparison_set_wb_patch (self->comparison, x, y, width, height);
  derm_comparison_set_white_balance (self->comparison, DERM_WB_PATCH);
  self->has_patch = TRUE;
  set_tool (self, "pan");
  refresh_metrics (self);
  refresh_map (self);
}

static void
on_points_changed (DermCompareWindow *self)
{
  guint nb = 0, na = 0;
  g_autofree char *text = NULL;

  derm_compare_canvas_get_manual_points (self->canvas, FALSE, &nb);
  derm_compare_canvas_get_manual_points (self->canvas, TRUE, &na);
  text = g_strdup_printf (_("Click the same 3 or 4 features in the same order on both photos "
                            "(before: %u, after: %u)."), nb, na);
  gtk_label_set_label (self->manual_label, text);
  update_actions (self);
}

/* ------------------------------------------------------------ photo strip */

typedef struct
{
  GtkPicture *picture;
  char       *sha256;
} ThumbRequest;

static void
thumb_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ThumbRequest *request = user_data;
  g_autofree char *path = derm_thumbnailer_ensure_finish (DERM_THUMBNAILER (source), result, NULL);

  if (path != NULL && g_strcmp0 (g_object_get_data (G_OBJECT (request->picture), "derm-sha256"),
                                 request->sha256) == 0)
    {
      g_autoptr (GdkTexture) texture = gdk_texture_new_from_filename (path, NULL);

      if (texture != NULL)
        gtk_picture_set_paintable (request->picture, GDK_PAINTABLE (texture));
    }
  g_object_unref (request->picture);
  g_free (request->sha256);
  g_free (request);
}

static void
strip_setup (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *date = gtk_label_new (NULL);
  GtkWidget *role = gtk_label_new (NULL);

  gtk_widget_set_size_request (picture, 120, 80);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_add_css_class (date, "caption");
  gtk_widget_add_css_class (role, "caption-heading");
  gtk_widget_add_css_class (role, "accent");
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), date);
  gtk_box_append (GTK_BOX (box), role);
  gtk_menu_button_set_child (GTK_MENU_BUTTON (button), box);
  gtk_menu_button_set_has_frame (GTK_MENU_BUTTON (button), FALSE);
  gtk_widget_set_margin_start (button, 3);
  gtk_widget_set_margin_end (button, 3);
  gtk_widget_set_margin_top (button, 6);
  gtk_widget_set_margin_bottom (button, 6);
  gtk_list_item_set_child (item, button);
  gtk_list_item_set_activatable (item, FALSE);
  g_object_set_data (G_OBJECT (item), "derm-picture", picture);
  g_object_set_data (G_OBJECT (item), "derm-date", date);
  g_object_set_data (G_OBJECT (item), "derm-role", role);
}

static char *
photo_date (DermPhoto *photo)
{
  const char *iso = derm_photo_get_session_date (photo);
  char *text;

  if (iso == NULL)
    iso = derm_photo_get_captured_at (photo);
  if (iso == NULL)
    iso = derm_photo_get_imported_at (photo);
  text = derm_date_format_display (iso, FALSE);
  return text != NULL ? text : g_strdup (_("Unknown date"));
}

static void
strip_bind (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            DermCompareWindow        *self)
{
  DermPhoto *photo = gtk_list_item_get_item (item);
  GtkWidget *button = gtk_list_item_get_child (item);
  GtkPicture *picture = g_object_get_data (G_OBJECT (item), "derm-picture");
  GtkLabel *date_label = g_object_get_data (G_OBJECT (item), "derm-date");
  GtkLabel *role_label = g_object_get_data (G_OBJECT (item), "derm-role");
  DermPhotoLibrary *library = derm_comparison_get_library (self->comparison);
  g_autoptr (GMenu) menu = g_menu_new ();
  g_autoptr (GMenuItem) as_before = g_menu_item_new (_("Use as _Before"), NULL);
  g_autoptr (GMenuItem) as_after = g_menu_item_new (_("Use as _After"), NULL);
  g_autofree char *date = photo_date (photo);
  g_autofree char *original = derm_photo_library_get_original_path (library, derm_photo_get_sha256 (photo));
  gint64 id = derm_photo_get_id (photo);
  const char *role = "";
  ThumbRequest *request;

  if (id == derm_photo_get_id (derm_comparison_get_before (self->comparison)))
    role = _("Before");
  else if (id == derm_photo_get_id (derm_comparison_get_after (self->comparison)))
    role = _("After");
  gtk_label_set_label (date_label, date);
  gtk_label_set_label (role_label, role);
  gtk_widget_set_tooltip_text (button, _("Use this photo as the before or the after photo"));

  g_menu_item_set_action_and_target_value (as_before, "compare.set-before", g_variant_new_int64 (id));
  g_menu_item_set_action_and_target_value (as_after, "compare.set-after", g_variant_new_int64 (id));
  g_menu_append_item (menu, as_before);
  g_menu_append_item (menu, as_after);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));

  gtk_picture_set_paintable (picture, NULL);
  g_object_set_data_full (G_OBJECT (picture), "derm-sha256", g_strdup (derm_photo_get_sha256 (photo)), g_free);
  request = g_new0 (ThumbRequest, 1);
  request->picture = g_object_ref (picture);
  request->sha256 = g_strdup (derm_photo_get_sha256 (photo));
  derm_thumbnailer_ensure_async (derm_photo_library_get_thumbnailer (library), derm_photo_get_sha256 (photo),
                                 original, derm_photo_get_mime_type (photo), DERM_THUMBNAIL_SIZE, NULL,
                                 thumb_done, request);
}

static void
fill_strip (DermCompareWindow *self)
{
  DermPhoto *before = derm_comparison_get_before (self->comparison);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) photos = NULL;

  photos = derm_comparison_list_same_view (derm_comparison_get_library (self->comparison),
                                           derm_photo_get_client_id (before), derm_photo_get_view (before), &error);
  if (photos == NULL)
    {
      toast (self, error->message);
      g_list_store_remove_all (self->strip_photos);
      return;
    }
  g_list_store_splice (self->strip_photos, 0, g_list_model_get_n_items (G_LIST_MODEL (self->strip_photos)),
                       photos->pdata, photos->len);
}

static DermPhoto *
strip_photo (DermCompareWindow *self,
             gint64             id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->strip_photos)); i++)
    {
      g_autoptr (DermPhoto) photo = g_list_model_get_item (G_LIST_MODEL (self->strip_photos), i);

      if (derm_photo_get_id (photo) == id)
        return photo;
    }
  return NULL;
}

static void
swap_photo (DermCompareWindow *self,
            gboolean           as_after,
            gint64             id)
{
  DermPhoto *chosen = strip_photo (self, id);
  DermPhoto *before = derm_comparison_get_before (self->comparison);
  DermPhoto *after = derm_comparison_get_after (self->comparison);
  g_autoptr (DermComparison) comparison = NULL;
  g_autoptr (GError) error = NULL;

  if (chosen == NULL)
    return;
  if (as_after)
    {
      if (derm_photo_get_id (after) == id)
        return;
      /* Choosing the before photo as the after photo swaps the two */
      comparison = derm_comparison_new (derm_comparison_get_library (self->comparison),
                                        derm_photo_get_id (before) == id ? after : before, chosen, &error);
    }
  else
    {
      if (derm_photo_get_id (before) == id)
        return;
      comparison = derm_comparison_new (derm_comparison_get_library (self->comparison), chosen,
                                        derm_photo_get_id (after) == id ? before : after, &error);
    }
  if (comparison == NULL)
    {
      toast (self, error->message);
      return;
    }
  set_comparison (self, comparison);
}

/* ------------------------------------------------------------ comparison */

static void
disconnect_comparison (DermCompareWindow *self)
{
  if (self->comparison == NULL)
    return;
  cancel_all (self);
  self->metrics_running = self->map_running = self->regions_running = FALSE;
  g_signal_handlers_disconnect_by_data (self->comparison, self);
  g_signal_handlers_disconnect_by_data (derm_comparison_get_regions (self->comparison), self);
  g_clear_object (&self->comparison);
}

static gboolean
read_client_name (DermStore  *store,
                  gpointer    data,
                  gpointer   *result,
                  GError    **error)
{
  g_autoptr (DermClient) client = derm_store_get_client (store, *(gint64 *) data, NULL);

  *result = client != NULL ? g_strdup (derm_client_get_name (client)) : NULL;
  return TRUE;
}

static void
on_client_name_read (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr (DermCompareWindow) self = user_data;
  char *name = NULL;

  if (!derm_store_run_finish (DERM_STORE (source), result, (gpointer *) &name, NULL))
    return;
  g_free (self->client_name);
  self->client_name = name;
}

static void
read_client_name_async (DermCompareWindow *self,
                        DermComparison    *comparison)
{
  gint64 client_id = derm_photo_get_client_id (derm_comparison_get_before (comparison));

  if (self->name_read != NULL)
    g_cancellable_cancel (self->name_read);
  g_clear_object (&self->name_read);
  g_clear_pointer (&self->client_name, g_free);
  self->name_read = g_cancellable_new ();
  derm_store_run_async (derm_photo_library_get_store (derm_comparison_get_library (comparison)), read_client_name,
                        g_memdup2 (&client_id, sizeof client_id), g_free, g_free, self->name_read,
                        on_client_name_read, g_object_ref (self));
}

static void
set_comparison (DermCompareWindow *self,
                DermComparison    *comparison)
{
  g_autoptr (GtkStringObject) whole = gtk_string_object_new (_("Whole photo"));
  g_autoptr (GListStore) first = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_autofree char *title = NULL;
  DermWhiteBalanceMode wb = DERM_WB_NONE;

  leave_manual (self);
  disconnect_comparison (self);
  self->comparison = g_object_ref (comparison);
  read_client_name_async (self, comparison);
  g_clear_object (&self->selected_region);
  g_clear_pointer (&self->metrics_key, g_free);
  g_clear_pointer (&self->map_key, g_free);
  self->has_patch = FALSE;

  /* The white balance chosen applies to the new pair too; a grey card
   * is marked again, on the new before photo */
  if (g_strcmp0 (self->white_balance, "grey-world") == 0)
    wb = DERM_WB_GREY_WORLD;
  else if (g_strcmp0 (self->white_balance, "chart") == 0)
    wb = DERM_WB_CHART;   /* found again in each photo of the new pair */
  else if (g_strcmp0 (self->white_balance, "patch") == 0 || g_strcmp0 (self->white_balance, "chart-marked") == 0)
    {
      g_free (self->white_balance);
      self->white_balance = g_strdup ("none");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WHITE_BALANCE]);
    }
  derm_comparison_set_white_balance (comparison, wb);

  self->work_cancellable = g_cancellable_new ();
  self->metrics_cancellable = g_cancellable_new ();
  self->map_cancellable = g_cancellable_new ();
  self->regions_cancellable = g_cancellable_new ();

  g_signal_connect_swapped (comparison, "notify::state", G_CALLBACK (on_state_changed), self);
  g_signal_connect_swapped (comparison, "notify::progress", G_CALLBACK (sync_status), self);
  g_signal_connect_swapped (comparison, "photo-removed", G_CALLBACK (on_photo_removed), self);

  derm_compare_canvas_set_comparison (self->canvas, comparison);
  derm_compare_canvas_set_selected_region (self->canvas, NULL);

  g_list_store_append (first, whole);
  g_list_store_remove_all (self->region_sections);
  g_list_store_append (self->region_sections, first);
  g_list_store_append (self->region_sections, derm_comparison_get_regions (comparison));
  g_signal_connect_swapped (derm_comparison_get_regions (comparison), "items-changed",
                            G_CALLBACK (on_regions_changed), self);
  select_row_of (self, NULL);

  /* TRANSLATORS: window title: the photo view compared, e.g. "Compare Front Photos" */
  title = g_strdup_printf (_("Compare %s Photos"),
                           derm_photo_view_to_label (derm_photo_get_view (derm_comparison_get_before (comparison))));
  gtk_window_set_title (GTK_WINDOW (self), title);

  fill_strip (self);
  sync_status (self);
  refresh_metrics (self);
  refresh_map (self);

  self->regions_requested = FALSE;
  derm_comparison_load_async (comparison, TRUE, self->work_cancellable, load_done, g_object_ref (self));
}

/* ------------------------------------------------------------ properties */

static void
set_mode (DermCompareWindow *self,
          const char        *mode)
{
  GEnumValue *value = g_enum_get_value_by_nick (g_type_class_peek (DERM_TYPE_COMPARE_MODE), mode);

  if (value == NULL || g_strcmp0 (self->mode, mode) == 0)
    return;
  /* Hand alignment marks points side by side */
  leave_manual (self);
  g_free (self->mode);
  self->mode = g_strdup (mode);
  derm_compare_canvas_set_mode (self->canvas, value->value);
  sync_mode_controls (self);
  if (self->comparison != NULL)
    refresh_map (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

static void
set_tool (DermCompareWindow *self,
          const char        *tool)
{
  GEnumValue *value;

  /* Choosing the active drawing tool again puts it down */
  if (g_strcmp0 (self->tool, tool) == 0 && !g_str_equal (tool, "pan") && !self->manual)
    tool = "pan";
  value = g_enum_get_value_by_nick (g_type_class_peek (DERM_TYPE_COMPARE_TOOL), tool);
  if (value == NULL)
    return;
  if ((g_strcmp0 (self->tool, "wb-patch") == 0 && !g_str_equal (tool, "wb-patch") && !self->has_patch &&
       g_strcmp0 (self->white_balance, "patch") == 0) ||
      (g_strcmp0 (self->tool, "chart-corners") == 0 && !g_str_equal (tool, "chart-corners") &&
       !derm_comparison_get_chart_corners (self->comparison, NULL) && g_strcmp0 (self->white_balance, "chart-marked") == 0))
    {
      /* Left without marking a grey card or a chart: back to the balance in use */
      DermWhiteBalanceMode in_use = derm_comparison_get_white_balance (self->comparison);

      g_free (self->white_balance);
      self->white_balance = g_strdup (derm_wb_mode_to_key (in_use));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WHITE_BALANCE]);
    }
  g_free (self->tool);
  self->tool = g_strdup (tool);
  derm_compare_canvas_set_tool (self->canvas, value->value);
  sync_tool_hint (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

static void
set_white_balance (DermCompareWindow *self,
                   const char        *key)
{
  DermWhiteBalanceMode mode;
  /* "chart-marked": the colour chart with its corners marked by hand */
  gboolean marked = g_strcmp0 (key, "chart-marked") == 0;

  if (!marked && !derm_wb_mode_from_key (key, &mode))
    return;
  g_free (self->white_balance);
  self->white_balance = g_strdup (key);
  if (marked)
    {
      /* Marked again each time it is chosen: the chart may have moved */
      derm_comparison_set_chart_corners (self->comparison, NULL);
      set_tool (self, "chart-corners");
      toast (self, _("Click the colour chart’s four corners on the before photo"));
    }
  else if (mode == DERM_WB_PATCH)
    {
      /* Marked again each time it is chosen: the card may have moved */
      self->has_patch = FALSE;
      set_tool (self, "wb-patch");
      toast (self, _("Drag over the grey card on the before photo"));
    }
  else
    {
      if (g_strcmp0 (self->tool, "wb-patch") == 0 || g_strcmp0 (self->tool, "chart-corners") == 0)
        set_tool (self, "pan");
      /* "Colour Chart": found automatically in each photo */
      derm_comparison_set_chart_corners (self->comparison, NULL);
      derm_comparison_set_white_balance (self->comparison, mode);
      refresh_metrics (self);
      refresh_map (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WHITE_BALANCE]);
}

static void
set_show_unaligned (DermCompareWindow *self,
                    gboolean           show)
{
  show = !!show;
  if (self->show_unaligned == show)
    return;
  self->show_unaligned = show;
  derm_compare_canvas_set_show_unaligned (self->canvas, show);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_UNALIGNED]);
}

/* ------------------------------------------------------------ actions */

static void
align_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (widget);

  replace_cancellable (&self->work_cancellable);
  derm_comparison_align_async (self->comparison, self->work_cancellable, align_done, g_object_ref (self));
}

static void
cancel_align_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (widget);

  replace_cancellable (&self->work_cancellable);
}

static void
manual_align_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (widget);

  if (self->manual)
    return;
  self->mode_before_manual = derm_compare_canvas_get_mode (self->canvas);
  set_mode (self, "side-by-side");
  self->manual = TRUE;
  set_tool (self, "points");
  derm_compare_canvas_clear_manual_points (self->canvas);
  gtk_revealer_set_reveal_child (self->manual_revealer, TRUE);
  sync_status (self);
}

static void
manual_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (DermCompareWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!derm_comparison_align_manual_finish (DERM_COMPARISON (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("These points cannot align the photos: %s"), error->message);
          toast (self, text);
        }
      update_actions (self);
      return;
    }
  leave_manual (self);
  sync_status (self);
  toast (self, _("Photos aligned by hand"));
}

static void
apply_manual_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (widget);
  const double *before, *after;
  guint nb = 0, na = 0;

  before = derm_compare_canvas_get_manual_points (self->canvas, FALSE, &nb);
  after = derm_compare_canvas_get_manual_points (self->canvas, TRUE, &na);
  if (nb != na || nb < 3)
    return;
  replace_cancellable (&self->work_cancellable);
  derm_comparison_align_manual_async (self->comparison, before, after, nb, self->work_cancellable, manual_done,
                                      g_object_ref (self));
}

static void
clear_points_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  derm_compare_canvas_clear_manual_points (DERM_COMPARE_WINDOW (widget)->canvas);
}

static void
cancel_manual_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (widget);

  leave_manual (self);
  sync_status (self);
}

static void
set_photo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  swap_photo (DERM_COMPARE_WINDOW (widget), g_str_equal (action_name, "compare.set-after"),
              g_variant_get_int64 (param));
}

typedef struct
{
  DermCompareWindow *self;
  DermRegion        *region;
} UndoRemove;

static void
undo_remove_free (gpointer data)
{
  UndoRemove *undo = data;

  g_object_unref (undo->self);
  g_object_unref (undo->region);
  g_free (undo);
}

static void
on_undo_remove (AdwToast   *toast_,
                UndoRemove *undo)
{
  g_autoptr (DermRegion) copy = derm_region_copy (undo->region, FALSE);
  g_autoptr (GError) error = NULL;

  if (undo->self->comparison == NULL)
    return;
  if (!derm_comparison_save_region (undo->self->comparison, copy, &error))
    toast (undo->self, error->message);
  else
    derm_compare_window_select_region (undo->self, copy);
}

static void
remove_region_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (widget);
  GListModel *regions = derm_comparison_get_regions (self->comparison);
  gint64 id = g_variant_get_int64 (param);

  for (guint i = 0; i < g_list_model_get_n_items (regions); i++)
    {
      g_autoptr (DermRegion) region = g_list_model_get_item (regions, i);
      g_autoptr (GError) error = NULL;
      g_autofree char *text = NULL;
      UndoRemove *undo;
      AdwToast *t;

      if (derm_region_get_id (region) != id)
        continue;
      if (!derm_comparison_remove_region (self->comparison, region, &error))
        {
          toast (self, error->message);
          return;
        }
      /* TRANSLATORS: toast after deleting a region, e.g. "“Left cheek” deleted" */
      text = g_strdup_printf (_("“%s” deleted"), derm_region_get_name (region));
      undo = g_new0 (UndoRemove, 1);
      undo->self = g_object_ref (self);
      undo->region = g_object_ref (region);
      t = derm_toast_new_with_button (GTK_WIDGET (self->toast_overlay), text, _("_Undo"),
                                      g_cclosure_new (G_CALLBACK (on_undo_remove), undo,
                                                      (GClosureNotify) (void (*) (void)) undo_remove_free));
      adw_toast_overlay_add_toast (self->toast_overlay, t);
      return;
    }
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (widget);
  double zoom = derm_compare_canvas_get_zoom (self->canvas);

  if (g_str_equal (action_name, "compare.zoom-in"))
    derm_compare_canvas_set_zoom (self->canvas, zoom * 1.5);
  else if (g_str_equal (action_name, "compare.zoom-out"))
    derm_compare_canvas_set_zoom (self->canvas, zoom / 1.5);
  else
    derm_compare_canvas_set_zoom (self->canvas, 1.0);
}

static void
show_trend_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (widget);
  DermPhoto *before = derm_comparison_get_before (self->comparison);
  DermAnalysisSettings settings;
  GtkWidget *trend;

  derm_comparison_get_settings (self->comparison, &settings);
  trend = derm_trend_view_new (derm_comparison_get_library (self->comparison), derm_photo_get_client_id (before),
                               derm_photo_get_view (before), derm_comparison_get_regions (self->comparison),
                               self->selected_region, DERM_METRIC_A_MEAN, &settings);
  gtk_window_set_transient_for (GTK_WINDOW (trend), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (trend));
}

/* The client's progress report for this view, with this comparison's
 * settings (white balance), so its words are those of the metrics panel */
static void
progress_report_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (widget);
  DermPhoto *before = derm_comparison_get_before (self->comparison);
  DermAnalysisSettings settings;
  GtkWidget *dialog;

  derm_comparison_get_settings (self->comparison, &settings);
  dialog = derm_report_dialog_new (GTK_WINDOW (self), derm_comparison_get_library (self->comparison),
                                   derm_photo_get_client_id (before), (int) derm_photo_get_view (before), &settings);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (DermCompareWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  self->n_exports--;
  if (!derm_comparison_export_png_finish (DERM_COMPARISON (source), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not export the comparison: %s"), error->message);
      toast (self, text);
    }
  else
    toast (self, _("Comparison exported"));
}

static void
start_export (DermCompareWindow *self,
              GFile             *file)
{
  DermComparisonExportOptions options;
  g_autofree char *path = NULL;

  derm_comparison_export_options_init (&options);
  options.show_aligned = derm_compare_canvas_has_aligned (self->canvas) && !self->show_unaligned;
  if (derm_compare_canvas_get_mode (self->canvas) == DERM_COMPARE_MODE_HEATMAP)
    {
      options.overlay = derm_compare_canvas_get_map (self->canvas);
      options.overlay_opacity = derm_compare_canvas_get_opacity (self->canvas);
    }
  options.region = self->selected_region;
  options.metrics = derm_metrics_panel_get_metrics (self->metrics_panel);
  path = g_file_get_path (file);
  self->n_exports++;
  derm_comparison_export_png_async (self->comparison, &options, path, NULL, export_done, g_object_ref (self));
}

static void
export_confirmed (gpointer      user_data,
                  gboolean      go,
                  const GError *error)
{
  DermCompareWindow *self = user_data;
  g_autoptr (GFile) file = g_steal_pointer (&self->export_file);

  self->n_exports--;
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not export the comparison: %s"), error->message);

      toast (self, text);
    }
  else if (go && self->comparison != NULL && file != NULL)
    start_export (self, file);
}

void
derm_compare_window_export_to_file (DermCompareWindow *self,
                                    GFile             *file,
                                    DermPhotoUse       use)
{
  g_autoptr (GPtrArray) photos = g_ptr_array_new ();

  g_return_if_fail (DERM_IS_COMPARE_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail ((guint) use < DERM_N_PHOTO_USES);

  if (self->comparison == NULL || self->export_file != NULL)
    return;
  /* The export shows both photos: both must be covered for the use */
  g_ptr_array_add (photos, derm_comparison_get_before (self->comparison));
  g_ptr_array_add (photos, derm_comparison_get_after (self->comparison));
  self->export_file = g_object_ref (file);
  self->n_exports++;
  derm_photo_use_confirm_export (GTK_WINDOW (self),
                                 derm_photo_library_get_store (derm_comparison_get_library (self->comparison)),
                                 photos, use, "comparison-export", export_confirmed, self);
}

static void
on_export_response (GtkNativeDialog   *dialog,
                    int                response,
                    DermCompareWindow *self)
{
  g_autoptr (GFile) file = NULL;

  const char *use_key = NULL;
  DermPhotoUse use = DERM_PHOTO_USE_CLINICAL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      use_key = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "use");
      derm_photo_use_from_key (use_key, &use);
    }
  g_clear_object (&self->chooser);
  if (file != NULL && self->comparison != NULL)
    derm_compare_window_export_to_file (self, file, use);
}

/* The date a file name carries: ISO, so names sort by date */
static char *
photo_file_date (DermPhoto *photo)
{
  const char *iso = derm_photo_get_session_date (photo);

  if (iso == NULL)
    iso = derm_photo_get_captured_at (photo);
  if (iso == NULL)
    iso = derm_photo_get_imported_at (photo);
  return iso != NULL && strlen (iso) >= 10 ? g_strndup (iso, 10) : g_strdup (_("undated"));
}

char *
derm_compare_window_dup_export_name (DermCompareWindow *self)
{
  DermPhoto *before;
  DermPhoto *after;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  char *name;

  g_return_val_if_fail (DERM_IS_COMPARE_WINDOW (self), NULL);

  if (self->comparison == NULL)
    return g_strdup (_("Comparison.png"));
  before = derm_comparison_get_before (self->comparison);
  after = derm_comparison_get_after (self->comparison);
  from = photo_file_date (before);
  to = photo_file_date (after);
  if (self->client_name != NULL)
    /* Translators: a comparison's file name: client, view, "2026-01-05 to 2026-03-05" */
    name = g_strdup_printf (_("%s, %s, %s to %s.png"), self->client_name,
                            derm_photo_view_to_label (derm_photo_get_view (before)), from, to);
  else
    name = g_strdup_printf (_("%s, %s to %s.png"), derm_photo_view_to_label (derm_photo_get_view (before)), from, to);

  /* A name is one file name, whatever the client is called */
  for (char *p = name; *p != '\0'; p++)
    if (*p == '/' || *p == '\\')
      *p = '-';
  return name;
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (widget);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Comparison"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  {
    /* What the copy is for, checked against both photos' photo-use consent */
    static const char *ids[] = { "clinical", "education", "marketing", NULL };
    g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
    const char *texts[DERM_N_PHOTO_USES + 1] = { NULL };

    derm_photo_use_confirm_fill_uses (labels);
    for (guint i = 0; i < DERM_N_PHOTO_USES; i++)
      texts[i] = gtk_string_list_get_string (labels, i);
    gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (self->chooser), "use", _("For"), ids, texts);
    gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (self->chooser), "use", "clinical");
  }
  {
    g_autofree char *name = derm_compare_window_dup_export_name (self);

    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  }
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ------------------------------------------------------------ GObject */

static void
derm_compare_window_dispose (GObject *object)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (object);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  disconnect_comparison (self);
  if (self->name_read != NULL)
    g_cancellable_cancel (self->name_read);
  g_clear_object (&self->name_read);
  if (self->regions_list != NULL)
    gtk_list_box_bind_model (self->regions_list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_COMPARE_WINDOW);
  g_clear_object (&self->selected_region);
  g_clear_object (&self->strip_photos);
  g_clear_object (&self->region_items);
  g_clear_object (&self->region_sections);

  G_OBJECT_CLASS (derm_compare_window_parent_class)->dispose (object);
}

static void
derm_compare_window_finalize (GObject *object)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (object);

  g_clear_object (&self->export_file);
  g_free (self->client_name);
  g_free (self->metrics_key);
  g_free (self->map_key);
  g_free (self->mode);
  g_free (self->tool);
  g_free (self->white_balance);

  G_OBJECT_CLASS (derm_compare_window_parent_class)->finalize (object);
}

static void
derm_compare_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_string (value, self->mode);
      break;
    case PROP_TOOL:
      g_value_set_string (value, self->tool);
      break;
    case PROP_WHITE_BALANCE:
      g_value_set_string (value, self->white_balance);
      break;
    case PROP_SHOW_UNALIGNED:
      g_value_set_boolean (value, self->show_unaligned);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_compare_window_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DermCompareWindow *self = DERM_COMPARE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      set_mode (self, g_value_get_string (value));
      break;
    case PROP_TOOL:
      set_tool (self, g_value_get_string (value));
      break;
    case PROP_WHITE_BALANCE:
      set_white_balance (self, g_value_get_string (value));
      break;
    case PROP_SHOW_UNALIGNED:
      set_show_unaligned (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_compare_window_class_init (DermCompareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_compare_window_dispose;
  object_class->finalize = derm_compare_window_finalize;
  object_class->get_property = derm_compare_window_get_property;
  object_class->set_property = derm_compare_window_set_property;

  properties[PROP_MODE] =
    g_param_spec_string ("mode", NULL, NULL, "side-by-side",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOOL] =
    g_param_spec_string ("tool", NULL, NULL, "pan",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WHITE_BALANCE] =
    g_param_spec_string ("white-balance", NULL, NULL, "none",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_UNALIGNED] =
    g_param_spec_boolean ("show-unaligned", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DERM_TYPE_COMPARE_CANVAS);
  g_type_ensure (DERM_TYPE_METRICS_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-compare-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, sidebar_clamp);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, status_progress);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, align_button);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, manual_button);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, unaligned_check);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, wipe_hint);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, heatmap_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, opacity_box);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, opacity_adjustment);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, manual_revealer);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, manual_label);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, strip);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, regions_list);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, tool_hint);
  gtk_widget_class_bind_template_child (widget_class, DermCompareWindow, metrics_panel);

  gtk_widget_class_install_property_action (widget_class, "compare.mode", "mode");
  gtk_widget_class_install_property_action (widget_class, "compare.tool", "tool");
  gtk_widget_class_install_property_action (widget_class, "compare.white-balance", "white-balance");
  gtk_widget_class_install_property_action (widget_class, "compare.show-unaligned", "show-unaligned");
  gtk_widget_class_install_action (widget_class, "compare.align", NULL, align_action);
  gtk_widget_class_install_action (widget_class, "compare.cancel-align", NULL, cancel_align_action);
  gtk_widget_class_install_action (widget_class, "compare.manual-align", NULL, manual_align_action);
  gtk_widget_class_install_action (widget_class, "compare.apply-manual", NULL, apply_manual_action);
  gtk_widget_class_install_action (widget_class, "compare.clear-points", NULL, clear_points_action);
  gtk_widget_class_install_action (widget_class, "compare.cancel-manual", NULL, cancel_manual_action);
  gtk_widget_class_install_action (widget_class, "compare.set-before", "x", set_photo_action);
  gtk_widget_class_install_action (widget_class, "compare.set-after", "x", set_photo_action);
  gtk_widget_class_install_action (widget_class, "compare.remove-region", "x", remove_region_action);
  gtk_widget_class_install_action (widget_class, "compare.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "compare.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "compare.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "compare.show-trend", NULL, show_trend_action);
  gtk_widget_class_install_action (widget_class, "compare.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "compare.progress-report", NULL, progress_report_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "compare.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "compare.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "compare.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "compare.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "compare.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

/* The sidebar holds its content at 480 px with text at its normal size;
 * with larger text (GNOME's text scaling sets gtk-xft-dpi) it widens in
 * proportion, so its columns keep fitting */
static void
sync_sidebar_width (DermCompareWindow *self)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));
  int dpi = 0;
  int width;

  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  /* A tenth more than the text's growth: the metrics' wording grows a
   * little faster than the font (wider digits, wrapped notes) */
  width = dpi > 96 * 1024 ? (int) ceil (SIDEBAR_WIDTH * (1 + 1.1 * (dpi / (96.0 * 1024) - 1))) : SIDEBAR_WIDTH;
  gtk_widget_set_size_request (self->sidebar, width, -1);
  adw_clamp_set_maximum_size (self->sidebar_clamp, width);
  adw_clamp_set_tightening_threshold (self->sidebar_clamp, width);
}

static void
derm_compare_window_init (DermCompareWindow *self)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->mode = g_strdup ("side-by-side");
  self->tool = g_strdup ("pan");
  self->white_balance = g_strdup ("none");
  gtk_widget_init_template (GTK_WIDGET (self));

  self->strip_photos = g_list_store_new (DERM_TYPE_PHOTO);
  g_signal_connect (factory, "setup", G_CALLBACK (strip_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (strip_bind), self);
  gtk_list_view_set_factory (self->strip, factory);
  gtk_list_view_set_model (self->strip, GTK_SELECTION_MODEL (gtk_no_selection_new (
                                          g_object_ref (G_LIST_MODEL (self->strip_photos)))));

  self->region_sections = g_list_store_new (G_TYPE_LIST_MODEL);
  self->region_items = gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->region_sections)));
  gtk_list_box_bind_model (self->regions_list, G_LIST_MODEL (self->region_items), create_region_row, self, NULL);
  g_signal_connect (self->regions_list, "row-selected", G_CALLBACK (on_row_selected), self);

  g_object_bind_property (self->opacity_adjustment, "value", self->canvas, "opacity",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_signal_connect_swapped (self->heatmap_dropdown, "notify::selected", G_CALLBACK (refresh_map), self);
  g_signal_connect_swapped (self->canvas, "region-drawn", G_CALLBACK (on_region_drawn), self);
  g_signal_connect_swapped (self->canvas, "patch-marked", G_CALLBACK (on_patch_marked), self);
  g_signal_connect_swapped (self->canvas, "chart-marked", G_CALLBACK (on_chart_marked), self);
  g_signal_connect_swapped (self->canvas, "region-activated", G_CALLBACK (derm_compare_window_select_region), self);
  g_signal_connect_swapped (self->canvas, "points-changed", G_CALLBACK (on_points_changed), self);
  g_signal_connect_swapped (self, "notify::is-active", G_CALLBACK (on_active_changed), self);
  g_signal_connect_object (gtk_widget_get_settings (GTK_WIDGET (self)), "notify::gtk-xft-dpi",
                           G_CALLBACK (sync_sidebar_width), self, G_CONNECT_SWAPPED);
  sync_sidebar_width (self);
  sync_mode_controls (self);
  sync_tool_hint (self);
  on_points_changed (self);
}

/* ------------------------------------------------------------ public */

GtkWidget *
derm_compare_window_new (DermComparison *comparison)
{
  DermCompareWindow *self;

  g_return_val_if_fail (DERM_IS_COMPARISON (comparison), NULL);

  self = g_object_new (DERM_TYPE_COMPARE_WINDOW, NULL);
  set_comparison (self, comparison);
  return GTK_WIDGET (self);
}

GtkWidget *
derm_compare_window_new_for_photos (DermPhotoLibrary  *library,
                                    DermPhoto         *before,
                                    DermPhoto         *after,
                                    GError           **error)
{
  g_autoptr (DermComparison) comparison = derm_comparison_new (library, before, after, error);

  return comparison != NULL ? derm_compare_window_new (comparison) : NULL;
}

GtkWidget *
derm_compare_window_new_default (DermPhotoLibrary  *library,
                                 gint64             client_id,
                                 DermPhotoView      view,
                                 GError           **error)
{
  g_autoptr (DermComparison) comparison = derm_comparison_new_default (library, client_id, view, error);

  return comparison != NULL ? derm_compare_window_new (comparison) : NULL;
}

gboolean
derm_compare_window_find_default_view (DermPhotoLibrary *library,
                                       gint64            client_id,
                                       DermPhotoView     preferred,
                                       DermPhotoView    *view)
{
  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), FALSE);

  for (int i = -1; i < DERM_N_PHOTO_VIEWS; i++)
    {
      DermPhotoView candidate = i < 0 ? preferred : (DermPhotoView) i;
      g_autoptr (GPtrArray) photos = derm_comparison_list_same_view (library, client_id, candidate, NULL);

      if (photos != NULL && photos->len >= 2)
        {
          if (view != NULL)
            *view = candidate;
          return TRUE;
        }
    }
  return FALSE;
}

static GtkWidget *
present_or_explain (GtkWindow *parent,
                    GtkWidget *window,
                    GError    *error)
{
  GtkWidget *dialog;

  if (window != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (window), parent);
      gtk_window_present (GTK_WINDOW (window));
      return window;
    }
  dialog = derm_message_dialog_new (parent, _("Cannot Compare These Photos"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  return NULL;
}

GtkWidget *
derm_compare_window_open (GtkWindow        *parent,
                          DermPhotoLibrary *library,
                          DermPhoto        *before,
                          DermPhoto        *after)
{
  g_autoptr (GError) error = NULL;
  GtkWidget *window = derm_compare_window_new_for_photos (library, before, after, &error);

  return present_or_explain (parent, window, error);
}

GtkWidget *
derm_compare_window_open_default (GtkWindow        *parent,
                                  DermPhotoLibrary *library,
                                  gint64            client_id,
                                  DermPhotoView     view)
{
  g_autoptr (GError) error = NULL;
  GtkWidget *window = derm_compare_window_new_default (library, client_id, view, &error);

  return present_or_explain (parent, window, error);
}

DermComparison *
derm_compare_window_get_comparison (DermCompareWindow *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_WINDOW (self), NULL);
  return self->comparison;
}

DermCompareCanvas *
derm_compare_window_get_canvas (DermCompareWindow *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_WINDOW (self), NULL);
  return self->canvas;
}

DermMetricsPanel *
derm_compare_window_get_metrics_panel (DermCompareWindow *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_WINDOW (self), NULL);
  return self->metrics_panel;
}

GListModel *
derm_compare_window_get_strip (DermCompareWindow *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_WINDOW (self), NULL);
  return G_LIST_MODEL (self->strip_photos);
}

const char *
derm_compare_window_get_status (DermCompareWindow *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_WINDOW (self), NULL);
  return gtk_label_get_label (self->status_label);
}

DermRegion *
derm_compare_window_get_selected_region (DermCompareWindow *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_WINDOW (self), NULL);
  return self->selected_region;
}

void
derm_compare_window_select_region (DermCompareWindow *self,
                                   DermRegion        *region)
{
  g_return_if_fail (DERM_IS_COMPARE_WINDOW (self));
  g_return_if_fail (region == NULL || DERM_IS_REGION (region));

  select_row_of (self, region);
}

gboolean
derm_compare_window_get_busy (DermCompareWindow *self)
{
  DermComparisonState state;

  g_return_val_if_fail (DERM_IS_COMPARE_WINDOW (self), FALSE);

  state = derm_comparison_get_state (self->comparison);
  return self->metrics_running || self->map_running || self->regions_running || self->n_exports > 0 ||
         state == DERM_COMPARISON_STATE_LOADING_PREVIEW || state == DERM_COMPARISON_STATE_PREVIEW_READY ||
         state == DERM_COMPARISON_STATE_LOADING_FULL || state == DERM_COMPARISON_STATE_ALIGNING;
}

/* test-ui-photos.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The photo gallery under Xvfb: an import through the widget fills the
 * grid (a section per session, each starting on its own row under its
 * heading; placeholders replaced by thumbnails), a bad file is reported,
 * the view filter narrows the grid, the viewer opens showing its real fit
 * zoom, zooms and removes a photo to Recently removed with undo.
 * Screenshots: gallery.png, photo-viewer.png.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "derm-client.h"
#include "derm-photo-gallery.h"
#include "derm-photo-import-dialog.h"
#include "derm-photo-import-item.h"
#include "derm-photo-viewer.h"
#include "derm-store-photos.h"
#include "derm-store.h"
#include "derm-treatment.h"
#include "derm-test-utils.h"
#include "test-ui-util.h"

typedef struct
{
  guint8 r, g, b;
} Tint;

/* @tint, shaded from the top left corner to the bottom right one */
static void
shaded (int      x,
        int      y,
        guint8   rgb[3],
        gpointer data)
{
  const Tint *tint = data;
  double shade = 0.6 + 0.4 * (double) (x + y) / (800 + 600);

  rgb[0] = (guint8) (tint->r * shade);
  rgb[1] = (guint8) (tint->g * shade);
  rgb[2] = (guint8) (tint->b * shade);
}

static char *
make_photo (const char *dir,
            const char *name,
            guint8      r,
            guint8      g,
            guint8      b)
{
  Tint tint = { r, g, b };

  return derm_test_make_image (dir, name, 800, 600, shaded, &tint);
}

static gboolean
import_finished (gpointer data)
{
  DermPhotoGallery *gallery = data;

  return !derm_photo_library_get_importing (derm_photo_gallery_get_library (gallery)) &&
         g_list_model_get_n_items (derm_photo_gallery_get_sections (gallery)) > 0;
}

static gboolean
thumbnails_loaded (gpointer data)
{
  return derm_photo_gallery_get_n_loading (data) == 0;
}

static gboolean
viewer_loaded (gpointer data)
{
  return derm_photo_viewer_get_loaded (data);
}

static gboolean
failure_dialog_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          *(GtkWindow **) data = GTK_WINDOW (window);
          return TRUE;
        }
    }
  return FALSE;
}

static guint
count_photos (GListModel *sections)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (sections); i++)
    {
      g_autoptr (GListModel) section = g_list_model_get_item (sections, i);

      for (guint j = 0; j < g_list_model_get_n_items (section); j++)
        {
          g_autoptr (GObject) item = g_list_model_get_item (section, j);
          n += DERM_IS_PHOTO (item) ? 1 : 0;
        }
    }
  return n;
}

/* Every photo of section @index is filed under the same session */
static gint64
section_session (GListModel *sections,
                 guint       index)
{
  g_autoptr (GListModel) section = g_list_model_get_item (sections, index);
  g_autoptr (DermPhoto) first = g_list_model_get_item (section, 0);

  for (guint j = 1; j < g_list_model_get_n_items (section); j++)
    {
      g_autoptr (DermPhoto) photo = g_list_model_get_item (section, j);
      g_assert_cmpint (derm_photo_get_treatment_id (photo), ==, derm_photo_get_treatment_id (first));
    }
  return derm_photo_get_treatment_id (first);
}

static void
collect_by_type (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_by_type (child, type, found);
}

static GtkWidget *
find_widget_by_type (GtkWidget *widget,
                     GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_by_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

struct Narrower
{
  GtkWidget *window;
  int        width;
};

static gboolean
narrower (gpointer data)
{
  struct Narrower *n = data;

  return gtk_widget_get_width (n->window) < n->width;
}

static graphene_rect_t
bounds_in (GtkWidget *widget,
           GtkWidget *ancestor)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, ancestor, &bounds));
  return bounds;
}

/* As laid out: each session's tiles start at the left edge on a row of
 * their own, below the session's heading and below every tile of the
 * session before */
static void
assert_sections_start_new_rows (GtkWidget *gallery,
                                guint      n_sections)
{
  g_autoptr (GPtrArray) boxes = g_ptr_array_new ();
  double left = G_MAXDOUBLE;
  double previous_bottom = -1;

  collect_by_type (gallery, GTK_TYPE_FLOW_BOX, boxes);
  g_assert_cmpuint (boxes->len, ==, n_sections);
  for (guint i = 0; i < boxes->len; i++)
    {
      GtkWidget *first = gtk_widget_get_first_child (g_ptr_array_index (boxes, i));

      g_assert_nonnull (first);
      left = MIN (left, bounds_in (first, gallery).origin.x);
    }
  for (guint i = 0; i < boxes->len; i++)
    {
      GtkWidget *box = g_ptr_array_index (boxes, i);
      GtkWidget *heading = gtk_widget_get_prev_sibling (box);
      graphene_rect_t heading_bounds;
      double bottom = -1;

      g_assert_true (GTK_IS_BOX (heading));
      heading_bounds = bounds_in (heading, gallery);
      g_assert_cmpfloat (heading_bounds.origin.y, >=, previous_bottom);
      for (GtkWidget *child = gtk_widget_get_first_child (box); child; child = gtk_widget_get_next_sibling (child))
        {
          graphene_rect_t tile = bounds_in (child, gallery);

          g_assert_cmpfloat (tile.origin.y, >=, heading_bounds.origin.y + heading_bounds.size.height);
          bottom = MAX (bottom, tile.origin.y + tile.size.height);
        }
      g_assert_true (G_APPROX_VALUE (bounds_in (gtk_widget_get_first_child (box), gallery).origin.x, left, 0.5));
      previous_bottom = bottom;
    }
}

/* What the viewer's zoom label must read when the photo is fitted */
static char *
fit_label (GtkWidget *viewer,
           DermPhoto *photo)
{
  GtkWidget *picture = find_widget_by_type (viewer, GTK_TYPE_PICTURE);
  GtkWidget *scroller = gtk_widget_get_ancestor (picture, GTK_TYPE_SCROLLED_WINDOW);
  double fit = MIN ((double) gtk_widget_get_width (scroller) / derm_photo_get_width (photo),
                    (double) gtk_widget_get_height (scroller) / derm_photo_get_height (photo));

  g_assert_cmpfloat (fit, >, 0);
  return g_strdup_printf ("%.0f %%", fit * 100);
}

/* The gallery's list came back from the store's worker */
static gboolean
gallery_listed (gpointer gallery)
{
  return !derm_photo_gallery_get_reloading (DERM_PHOTO_GALLERY (gallery));
}

static gboolean
has_n_photos (gpointer data)
{
  gpointer *args = data;

  return count_photos (args[0]) == GPOINTER_TO_UINT (args[1]);
}

typedef struct
{
  GtkWidget  *viewer;
  DermPhoto  *photo;
  GtkLabel   *label;
  const char *before;
} FitChange;

/* The window got smaller: so did the fit zoom, and its label says so */
static gboolean
fit_changed (gpointer data)
{
  FitChange *change = data;
  g_autofree char *now = fit_label (change->viewer, change->photo);

  return g_strcmp0 (now, change->before) != 0 && g_strcmp0 (gtk_label_get_label (change->label), now) == 0;
}

static GtkLabel *
find_zoom_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "numeric"))
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_zoom_label (child);

      if (label != NULL)
        return label;
    }
  return NULL;
}

static void
test_gallery_import_and_viewer (void)
{
  g_autofree char *data_dir = derm_test_make_data_dir ();
  g_autofree char *files_dir = g_build_filename (data_dir, "camera", NULL);
  g_autofree char *cache_dir = g_build_filename (data_dir, "cache", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = derm_store_open (data_dir, &error);
  g_autoptr (DermThumbnailer) thumbnailer = derm_thumbnailer_new (cache_dir);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  const char *names[] = { "front.jpg", "left-45.jpg", "right-45.jpg", "close-up.jpg", "chin.jpg", "neck.jpg" };
  const guint8 colours[][3] = { { 214, 150, 130 }, { 200, 140, 120 }, { 190, 130, 115 },
                                { 220, 120, 110 }, { 180, 140, 125 }, { 205, 160, 140 } };
  GtkWindow *window;
  GtkWidget *gallery;
  GtkWindow *dialog = NULL;
  GtkWidget *page;
  GtkWidget *viewer;
  GListModel *sections;
  GtkDropDown *dropdown;
  gint64 close_up_session = -1;
  DermPhoto *photo = NULL;
  g_autoptr (GPtrArray) listed = NULL;

  gint64 client_id;
  gint64 session_id;

  g_assert_no_error (error);
  client_id = derm_test_add_client (store, "Maria González");
  session_id = derm_test_add_session (store, client_id, "2025-02-03");

  g_mkdir_with_parents (files_dir, 0700);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = make_photo (files_dir, names[i], colours[i][0], colours[i][1], colours[i][2]);
      g_ptr_array_add (files, g_file_new_for_path (path));
    }
  {
    g_autofree char *bad = g_build_filename (files_dir, "notes.txt", NULL);
    g_file_set_contents (bad, "not a photo", -1, NULL);
    g_ptr_array_add (files, g_file_new_for_path (bad));
  }

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 900, 620);
  gallery = derm_photo_gallery_new (store, thumbnailer);
  gtk_widget_set_margin_start (gallery, 12);
  gtk_widget_set_margin_end (gallery, 12);
  gtk_widget_set_margin_top (gallery, 12);
  gtk_widget_set_margin_bottom (gallery, 12);
  /* In a scrolled page, as on the client page */
  page = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (page), gallery);
  gtk_window_set_child (window, page);
  derm_photo_gallery_set_client_id (DERM_PHOTO_GALLERY (gallery), client_id);
  gtk_window_present (window);

  sections = derm_photo_gallery_get_sections (DERM_PHOTO_GALLERY (gallery));
  g_assert_cmpuint (g_list_model_get_n_items (sections), ==, 0);

  /* Import through the widget, as a drop does; the window stays live */
  derm_photo_gallery_import (DERM_PHOTO_GALLERY (gallery), (GFile **) files->pdata, files->len);
  g_assert_true (derm_photo_library_get_importing (derm_photo_gallery_get_library (DERM_PHOTO_GALLERY (gallery))));
  derm_test_ui_await (import_finished, gallery, "import finished");
  derm_test_ui_await (gallery_listed, gallery, "the photos listed");

  /* Photos without a capture date go under "No session": one section */
  g_assert_cmpuint (count_photos (sections), ==, G_N_ELEMENTS (names));
  g_assert_cmpuint (g_list_model_get_n_items (sections), ==, 1);
  g_assert_cmpint (section_session (sections, 0), ==, 0);

  /* The bad file is listed with its reason */
  derm_test_ui_await (failure_dialog_shown, &dialog, "failure dialog shown");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "notes.txt"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "close");

  /* File two under the session and views; the grid groups them */
  listed = derm_store_list_photos (store, client_id, DERM_PHOTO_LIST_ACTIVE, &error);
  for (guint i = 0; i < listed->len; i++)
    {
      DermPhoto *p = g_ptr_array_index (listed, i);

      derm_photo_set_view (p, g_str_equal (derm_photo_get_original_name (p), "front.jpg") ? DERM_PHOTO_VIEW_FRONT
                              : g_str_equal (derm_photo_get_original_name (p), "close-up.jpg") ? DERM_PHOTO_VIEW_CLOSE_UP
                              : DERM_PHOTO_VIEW_OTHER);
      if (i < 3)
        derm_photo_set_treatment_id (p, session_id);
      if (derm_photo_get_view (p) == DERM_PHOTO_VIEW_CLOSE_UP)
        close_up_session = derm_photo_get_treatment_id (p);
      derm_store_update_photo (store, p, &error);
      g_assert_no_error (error);
    }
  derm_photo_gallery_reload (DERM_PHOTO_GALLERY (gallery));
  derm_test_ui_await (gallery_listed, gallery, "the photos listed again");
  g_assert_cmpuint (g_list_model_get_n_items (sections), ==, 2);
  g_assert_cmpuint (count_photos (sections), ==, G_N_ELEMENTS (names));
  g_assert_cmpint (section_session (sections, 0), ==, session_id);
  g_assert_cmpint (section_session (sections, 1), ==, 0);

  derm_test_ui_await (thumbnails_loaded, gallery, "thumbnails loaded");
  derm_test_ui_await_frame (gallery);
  assert_sections_start_new_rows (gallery, 2);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (window), "gallery"));
  /* The gallery does not scroll inside the page: it is as tall as its
   * photos, the page scrolls, the wheel over a tile scrolls the page, and
   * the last row of tiles lies inside the gallery's card */
  {
    int width = gtk_widget_get_width (GTK_WIDGET (window));
    g_autoptr (GPtrArray) boxes = g_ptr_array_new ();
    GtkWidget *card;
    GtkWidget *last;
    GtkAdjustment *outer = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (page));
    graphene_rect_t card_bounds, tile_bounds;

    collect_by_type (gallery, GTK_TYPE_FLOW_BOX, boxes);
    g_assert_cmpuint (boxes->len, >, 0);
    g_assert_true (gtk_widget_get_ancestor (g_ptr_array_index (boxes, 0), GTK_TYPE_SCROLLED_WINDOW) == page);
    card = gtk_widget_get_parent (gtk_widget_get_parent (g_ptr_array_index (boxes, boxes->len - 1)));
    g_assert_true (gtk_widget_has_css_class (card, "card"));

    /* Narrow: one tile a row, more rows than any fixed height holds */
    gtk_window_set_default_size (window, 360, 620);
    derm_test_ui_await (narrower, (gpointer) &(struct Narrower) { GTK_WIDGET (window), width }, "a narrower window");
    derm_test_ui_await_frame (gallery);
    last = gtk_widget_get_last_child (g_ptr_array_index (boxes, boxes->len - 1));
    card_bounds = bounds_in (card, gallery);
    tile_bounds = bounds_in (last, gallery);
    g_assert_cmpfloat (tile_bounds.origin.y + tile_bounds.size.height, <=,
                       card_bounds.origin.y + card_bounds.size.height + 0.5);
    g_assert_cmpfloat (card_bounds.origin.y + card_bounds.size.height, <=, gtk_widget_get_height (gallery) + 0.5);
    g_assert_cmpfloat (gtk_adjustment_get_upper (outer), >=, gtk_widget_get_height (gallery));
    g_assert_cmpint (gtk_widget_get_height (gallery), >, 620);
    gtk_window_set_default_size (window, 900, 620);
  }

  /* One view: only the sessions holding such photos stay */
  dropdown = GTK_DROP_DOWN (find_widget_by_type (gallery, GTK_TYPE_DROP_DOWN));
  gtk_drop_down_set_selected (dropdown, 1 + DERM_PHOTO_VIEW_CLOSE_UP);
  g_assert_cmpuint (count_photos (sections), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (sections), ==, 1);
  g_assert_cmpint (section_session (sections, 0), ==, close_up_session);
  derm_test_ui_await_frame (gallery);
  assert_sections_start_new_rows (gallery, 1);
  gtk_drop_down_set_selected (dropdown, 0);
  g_assert_cmpuint (count_photos (sections), ==, G_N_ELEMENTS (names));
  g_assert_cmpuint (g_list_model_get_n_items (sections), ==, 2);
  derm_test_ui_await_frame (gallery);
  assert_sections_start_new_rows (gallery, 2);

  /* Open the first photo of the session, zoom, look at it */
  {
    g_autoptr (GListModel) first = g_list_model_get_item (sections, 0);
    photo = g_list_model_get_item (first, 0);
  }
  g_assert_nonnull (photo);
  viewer = derm_photo_gallery_open_photo (DERM_PHOTO_GALLERY (gallery), photo);
  derm_test_ui_await (viewer_loaded, viewer, "viewer loaded");
  derm_test_ui_await_frame (viewer);
  /* Fitted, the label gives the real scale as soon as it is laid out,
   * and follows the window's size */
  {
    GtkLabel *zoom_label = find_zoom_label (viewer);
    g_autofree char *expected = fit_label (viewer, photo);
    g_autofree char *smaller = NULL;

    g_assert_nonnull (zoom_label);
    g_assert_cmpstr (expected, !=, "100 %");
    g_assert_cmpstr (gtk_label_get_label (zoom_label), ==, expected);
    g_assert_true (derm_test_ui_screenshot (viewer, "photo-viewer"));
    gtk_window_set_default_size (GTK_WINDOW (viewer), 760, 520);
    {
      FitChange change = { viewer, photo, zoom_label, expected };

      derm_test_ui_await (fit_changed, &change, "the fit zoom to follow the smaller window");
    }
    smaller = fit_label (viewer, photo);
    g_assert_cmpstr (smaller, !=, expected);
    g_assert_cmpstr (gtk_label_get_label (zoom_label), ==, smaller);
  }
  gtk_widget_activate_action (viewer, "viewer.zoom-100", NULL);
  g_assert_cmpfloat (derm_photo_viewer_get_zoom (DERM_PHOTO_VIEWER (viewer)), ==, 1.0);
  gtk_widget_activate_action (viewer, "viewer.zoom-fit", NULL);
  g_assert_cmpfloat (derm_photo_viewer_get_zoom (DERM_PHOTO_VIEWER (viewer)), ==, 0.0);

  /* Remove: it leaves the grid for Recently removed; the file stays */
  gtk_widget_activate_action (viewer, "viewer.remove", NULL);
  {
    gpointer args[] = { sections, GUINT_TO_POINTER (G_N_ELEMENTS (names) - 1) };

    derm_test_ui_await (has_n_photos, args, "the removed photo to leave the grid");
  }
  {
    g_autofree char *original = derm_photo_library_get_original_path (
      derm_photo_gallery_get_library (DERM_PHOTO_GALLERY (gallery)), derm_photo_get_sha256 (photo));
    g_assert_true (g_file_test (original, G_FILE_TEST_EXISTS));
  }
  /* Undo, as the toast's button does */
  g_assert_true (derm_photo_library_restore (derm_photo_gallery_get_library (DERM_PHOTO_GALLERY (gallery)), photo, &error));
  derm_photo_gallery_reload (DERM_PHOTO_GALLERY (gallery));
  derm_test_ui_await (gallery_listed, gallery, "the restored photo listed");
  g_assert_cmpuint (count_photos (sections), ==, G_N_ELEMENTS (names));
  g_object_unref (photo);

  gtk_window_destroy (window);
  derm_test_ui_await_idle ();
  derm_test_remove_dir (data_dir);
}

static gboolean
not_scanning (gpointer data)
{
  return !derm_photo_import_dialog_get_scanning (data);
}

static gboolean
import_idle (gpointer data)
{
  return !derm_photo_library_get_importing (derm_photo_gallery_get_library (data));
}

static DermPhotoImportItem *
item_named (DermPhotoImportDialog *dialog,
            const char            *name)
{
  GListModel *items = derm_photo_import_dialog_get_items (dialog);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (DermPhotoImportItem) item = g_list_model_get_item (items, i);

      if (g_str_equal (derm_photo_import_item_get_name (item), name))
        return item;
    }
  g_error ("No photo %s in the dialog", name);
}

static DermPhoto *
photo_named (GPtrArray  *photos,
             const char *name)
{
  for (guint i = 0; i < photos->len; i++)
    if (g_str_equal (derm_photo_get_original_name (g_ptr_array_index (photos, i)), name))
      return g_ptr_array_index (photos, i);
  g_error ("No photo %s imported", name);
}

static gboolean
import_allowed (DermPhotoImportDialog *dialog)
{
  return gtk_widget_is_sensitive (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                             DERM_TYPE_PHOTO_IMPORT_DIALOG,
                                                                             "import_button")));
}

/* Add Photos: session, view and area for the whole batch, changed for
 * single photos; photos without a capture date wait for their session
 * to be chosen instead of landing in "No session" unseen */
static void
test_import_dialog_choices (void)
{
  g_autofree char *data_dir = derm_test_make_data_dir ();
  g_autofree char *files_dir = g_build_filename (data_dir, "camera", NULL);
  g_autofree char *cache_dir = g_build_filename (data_dir, "cache", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = derm_store_open (data_dir, &error);
  g_autoptr (DermThumbnailer) thumbnailer = derm_thumbnailer_new (cache_dir);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) photos = NULL;
  const char *names[] = { "a-february.jpg", "b-march.jpg", "c-undated.jpg", "d-undated.jpg" };
  const char *dates[] = { "2025:02:03 10:15:00", "2025:03:10 16:40:00", NULL, NULL };
  DermPhotoImportDialog *dialog;
  AdwComboRow *session_row, *view_row;
  GArray *sessions;
  GtkWindow *window;
  GtkWidget *gallery;
  gpointer weak;
  gint64 client_id, february, march;

  g_assert_no_error (error);
  client_id = derm_test_add_client (store, "Maria González");
  february = derm_test_add_session (store, client_id, "2025-02-03");
  march = derm_test_add_session (store, client_id, "2025-03-10");
  g_mkdir_with_parents (files_dir, 0700);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = make_photo (files_dir, names[i], 200, 150, (guint8) (100 + 30 * i));

      if (dates[i] != NULL)
        derm_test_set_capture_date (path, dates[i]);
    }
  g_ptr_array_add (files, g_file_new_for_path (files_dir));

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1366, 768);
  gallery = derm_photo_gallery_new (store, thumbnailer);
  gtk_window_set_child (window, gallery);
  derm_photo_gallery_set_client_id (DERM_PHOTO_GALLERY (gallery), client_id);
  gtk_window_present (window);

  /* A folder, as Add Folder… or a drop gives it */
  dialog = DERM_PHOTO_IMPORT_DIALOG (derm_photo_gallery_choose_import (DERM_PHOTO_GALLERY (gallery),
                                                                      (GFile **) files->pdata, files->len));
  g_assert_nonnull (dialog);
  derm_test_ui_await (not_scanning, dialog, "the files looked at");
  derm_test_ui_await_frame (GTK_WIDGET (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (derm_photo_import_dialog_get_items (dialog)), ==, 4);
  sessions = derm_photo_import_dialog_get_sessions (dialog);
  g_assert_cmpuint (sessions->len, ==, 4);
  g_assert_cmpint (g_array_index (sessions, gint64, 0), ==, DERM_PHOTO_SUGGEST_SESSION);
  g_assert_cmpint (g_array_index (sessions, gint64, 1), ==, march);
  g_assert_cmpint (g_array_index (sessions, gint64, 2), ==, february);
  g_assert_cmpint (g_array_index (sessions, gint64, 3), ==, 0);

  /* By capture date: the dated ones go to their day's session, the
   * undated ones must be chosen */
  g_assert_cmpint (derm_photo_import_item_get_suggested_session (item_named (dialog, "a-february.jpg")), ==, february);
  g_assert_cmpint (derm_photo_import_item_get_suggested_session (item_named (dialog, "b-march.jpg")), ==, march);
  g_assert_true (derm_photo_import_item_get_needs_session (item_named (dialog, "c-undated.jpg")));
  g_assert_cmpstr (derm_photo_import_dialog_get_status (dialog), ==,
                   "2 photos have no capture date. Choose their session, or No session.");
  g_assert_false (import_allowed (dialog));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "photo-import-dialog"));

  /* The whole batch: No session, then back to the capture date */
  session_row = ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_PHOTO_IMPORT_DIALOG,
                                                              "session_row"));
  view_row = ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (dialog), DERM_TYPE_PHOTO_IMPORT_DIALOG,
                                                           "view_row"));
  adw_combo_row_set_selected (session_row, 3);
  g_assert_true (import_allowed (dialog));
  g_assert_cmpint (derm_photo_import_item_get_session (item_named (dialog, "a-february.jpg")), ==, 0);
  adw_combo_row_set_selected (session_row, 0);
  g_assert_false (import_allowed (dialog));
  adw_combo_row_set_selected (view_row, DERM_PHOTO_VIEW_FRONT);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                     DERM_TYPE_PHOTO_IMPORT_DIALOG, "area_row")),
                         "Left cheek");

  /* Single photos, as their menus and field in the list change them */
  derm_photo_import_item_set_session (item_named (dialog, "c-undated.jpg"), march);
  g_assert_cmpstr (derm_photo_import_dialog_get_status (dialog), ==,
                   "1 photo has no capture date. Choose its session, or No session.");
  derm_photo_import_item_set_session (item_named (dialog, "d-undated.jpg"), 0);
  derm_photo_import_item_set_view (item_named (dialog, "d-undated.jpg"), DERM_PHOTO_VIEW_RIGHT_45);
  derm_photo_import_item_set_area (item_named (dialog, "d-undated.jpg"), "Neck");
  g_assert_cmpstr (derm_photo_import_dialog_get_status (dialog), ==, "4 photos will be imported.");
  g_assert_true (import_allowed (dialog));
  derm_test_ui_await_frame (GTK_WIDGET (dialog));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "photo-import-dialog-chosen"));

  /* Import: the dialog goes, the gallery imports with its progress */
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.confirm", NULL));
  derm_test_ui_await_finalized (&weak);
  derm_test_ui_await (import_finished, gallery, "the import");

  photos = derm_store_list_photos (store, client_id, DERM_PHOTO_LIST_ACTIVE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photos->len, ==, 4);
  g_assert_cmpint (derm_photo_get_treatment_id (photo_named (photos, "a-february.jpg")), ==, february);
  g_assert_cmpint (derm_photo_get_treatment_id (photo_named (photos, "b-march.jpg")), ==, march);
  g_assert_cmpint (derm_photo_get_treatment_id (photo_named (photos, "c-undated.jpg")), ==, march);
  g_assert_cmpint (derm_photo_get_treatment_id (photo_named (photos, "d-undated.jpg")), ==, 0);
  g_assert_cmpint (derm_photo_get_view (photo_named (photos, "a-february.jpg")), ==, DERM_PHOTO_VIEW_FRONT);
  g_assert_cmpint (derm_photo_get_view (photo_named (photos, "c-undated.jpg")), ==, DERM_PHOTO_VIEW_FRONT);
  g_assert_cmpint (derm_photo_get_view (photo_named (photos, "d-undated.jpg")), ==, DERM_PHOTO_VIEW_RIGHT_45);
  g_assert_cmpstr (derm_photo_get_area (photo_named (photos, "b-march.jpg")), ==, "Left cheek");
  g_assert_cmpstr (derm_photo_get_area (photo_named (photos, "d-undated.jpg")), ==, "Neck");

  /* Cancel writes nothing */
  dialog = DERM_PHOTO_IMPORT_DIALOG (derm_photo_gallery_choose_import (DERM_PHOTO_GALLERY (gallery),
                                                                      (GFile **) files->pdata, files->len));
  derm_test_ui_await (not_scanning, dialog, "the files looked at again");
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_window_close (GTK_WINDOW (dialog));
  derm_test_ui_await_finalized (&weak);
  derm_test_ui_await (import_idle, gallery, "no import");
  g_clear_pointer (&photos, g_ptr_array_unref);
  photos = derm_store_list_photos (store, client_id, DERM_PHOTO_LIST_ALL, &error);
  g_assert_cmpuint (photos->len, ==, 4);

  gtk_window_destroy (window);
  derm_test_ui_await_idle ();
  derm_test_remove_dir (data_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = derm_test_make_tmp_dir ("ui-photos-cache");

  /* Never the real thumbnail cache */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  derm_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/photos/import-gallery-viewer", test_gallery_import_and_viewer);
  g_test_add_func ("/ui/photos/import-dialog-batch-and-single-choices", test_import_dialog_choices);
  {
    int status = g_test_run ();
    derm_test_remove_dir (cache);
    return status;
  }
}

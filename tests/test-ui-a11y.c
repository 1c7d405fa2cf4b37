/* test-ui-a11y.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accessibility and small screens: every main view's accessible tree is
 * walked and each interactive widget a screen reader can reach must have a
 * name (its own label, a labelled-by relation, or, for buttons, a label
 * inside); a photo tile opens with Return, space and keypad Enter; and
 * with text at 1.5 times its size every main view fits a 1366x768 screen.
 * The other windows (the photo viewer, the comparison, the screening,
 * session, plan and booking dialogs) are walked at text scale 1.25 and
 * 1.5 on that screen: every control named, no label given less room than
 * its text needs or lying outside the window, and Tab going once through
 * every control in turn, each one visible, then out of the window.
 */
#define G_LOG_DOMAIN "test-ui-a11y"

#include "config.h"

#include <adwaita.h>

#include "derm-application.h"
#include "derm-agenda-view.h"
#include "derm-book-dialog.h"
#include "derm-client-merge.h"
#include "derm-compare-window.h"
#include "derm-compare-canvas.h"
#include "derm-plan-dialog.h"
#include "derm-planner.h"
#include "derm-planner-ui.h"
#include "derm-replan-dialog.h"
#include "derm-store-planner.h"
#include "derm-store-documents.h"
#include "derm-toast.h"
#include "derm-unsaved.h"
#include "derm-validate.h"
#include "derm-screening-dialog.h"
#include "derm-treatment-dialog.h"
#include "derm-client.h"
#include "derm-client-list.h"
#include "derm-client-page.h"
#include "derm-photo-gallery.h"
#include "derm-photo-viewer.h"
#include "derm-preferences-window.h"
#include "derm-store.h"
#include "derm-store-photos.h"
#include "derm-photo-library.h"
#include "derm-imaging.h"
#include "derm-treatment.h"
#include "derm-window.h"
#include "derm-test-utils.h"
#include "test-ui-util.h"

static DermApplication *app;

typedef struct
{
  char       *data_dir;
  DermStore  *store;
  DermWindow *window;
  gint64      client_id;
  /* The Monday of the week the series are booked in */
  GDate       week;
} Fixture;

/* A clinic as the screenshots should show it: clients with their dates
 * of birth and phones, sessions, a booked series for the client the page
 * shows and for others, so that a week has bookings (dates from today) */
static const struct
{
  const char *name;
  const char *born;
  const char *phone;
  int         time;     /* the series' first appointment, minutes; -1 none */
} clients[] = {
  { "Zoë Müller",        "1988-04-12", "06 12 34 56 78",   10 * 60 },
  { "Amélie Laurent",    "1979-09-30", "06 98 76 54 32",   9 * 60 },
  { "Søren Ødegård",     "1992-01-17", "+47 912 34 567",   11 * 60 + 30 },
  { "Fatima Haddad",     "1985-06-03", "07 11 22 33 44",   14 * 60 },
  { "Camille Dubois",    "2001-12-24", "06 55 44 33 22",   16 * 60 },
  { "Elif Yılmaz",       "1974-03-08", "+90 532 123 45 67", -1 },
  { "Julia Wagner",      "1996-10-21", "0170 1234567",      -1 },
  { "Nadia Benali",      "1969-07-15", "06 01 02 03 04",    -1 },
};

static char *
days_from_today (int days)
{
  GDate day;

  derm_date_today (&day);
  if (days >= 0)
    g_date_add_days (&day, days);
  else
    g_date_subtract_days (&day, -days);
  return derm_date_format (&day);
}

static void
book_series (Fixture      *fixture,
             DermProtocol *protocol,
             gint64        client_id,
             int           time)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPlanner) planner = derm_store_load_planner (fixture->store, NULL, &error);
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autofree char *start = NULL;
  DermPlanRequest request = { 0 };
  GDate day = fixture->week;

  /* One a weekday, Monday to Friday */
  g_date_add_days (&day, (guint) (client_id % 5));
  start = derm_date_format (&day);

  g_assert_no_error (error);
  request.protocol = protocol;
  request.client_id = client_id;
  request.start_date = start;
  request.preferred_time = time;
  request.with_follow_up = TRUE;
  proposal = derm_planner_propose_series (planner, &request, &error);
  g_assert_no_error (error);
  g_assert_true (derm_store_book_proposal (fixture->store, proposal, &error));
  g_assert_no_error (error);
}

static void
populate (Fixture *fixture)
{
  const char * const rooms[] = { "Room 1", "Room 2", NULL };
  const char * const practitioners[] = { "Dr Ana Silva", "Léa Martin", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClinic) clinic = derm_store_load_clinic (fixture->store, &error);
  g_autoptr (GPtrArray) protocols = NULL;
  DermProtocol *protocol;
  GDate next_week;

  g_assert_no_error (error);
  g_assert_true (derm_store_set_letterhead (fixture->store, "Lumen Skin Clinic", "12 High Street, Bath", NULL,
                                            DERM_PAPER_A4, &error));
  g_assert_no_error (error);
  derm_clinic_set_rooms (clinic, rooms);
  derm_clinic_set_practitioners (clinic, practitioners);
  g_assert_true (derm_store_save_clinic (fixture->store, clinic, &error));
  g_assert_no_error (error);
  protocols = derm_store_list_protocols (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (protocols->len, >, 0);
  protocol = g_ptr_array_index (protocols, 0);

  /* Next week: whatever today is, its Monday is not past */
  derm_date_today (&next_week);
  g_date_add_days (&next_week, 7);
  derm_planner_ui_week_start (&next_week, &fixture->week);

  for (gsize i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autoptr (DermClient) client = derm_client_new ();

      derm_client_set_name (client, clients[i].name);
      derm_client_set_date_of_birth (client, clients[i].born);
      derm_client_set_phone (client, clients[i].phone);
      g_assert_true (derm_store_add_client (fixture->store, client, &error));
      g_assert_no_error (error);
      if (i == 0)
        fixture->client_id = derm_client_get_id (client);
      /* Two sessions done for each of the first three */
      if (i < 3)
        for (int k = 0; k < 2; k++)
          {
            g_autoptr (DermTreatment) session = derm_treatment_new ();
            g_autofree char *day = days_from_today (-70 + 28 * k - (int) i);

            derm_treatment_set_client_id (session, derm_client_get_id (client));
            derm_treatment_set_date (session, day);
            derm_treatment_set_practitioner (session, practitioners[k % 2]);
            derm_treatment_set_device (session, "Dermapen 4");
            derm_treatment_set_cartridge_lot (session, "LOT 24-117");
            derm_treatment_set_passes (session, 3);
            derm_treatment_set_depth (session, "forehead", 0.5);
            derm_treatment_set_depth (session, "cheeks", 1.0);
            g_assert_true (derm_store_add_treatment (fixture->store, session, &error));
            g_assert_no_error (error);
          }
      if (clients[i].time >= 0)
        book_series (fixture, protocol, derm_client_get_id (client), clients[i].time);
    }
}

static gboolean
window_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

static gboolean
list_loaded (gpointer data)
{
  DermClientList *list = data;

  return !derm_client_list_get_loading (list) && derm_client_list_get_n_clients (list) > 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");

  fixture->data_dir = derm_test_make_data_dir ();
  g_setenv ("DERMIS_DATA_DIR", fixture->data_dir, TRUE);
  fixture->store = derm_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  populate (fixture);

  fixture->window = g_object_ref_sink (derm_window_new (app, fixture->store));
  gtk_window_present (GTK_WINDOW (fixture->window));
  derm_test_ui_await (window_allocated, fixture->window, "window allocated");
  derm_test_ui_await (list_loaded, derm_window_get_client_list (fixture->window), "list loaded");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr (GList) toplevels = NULL;

  derm_test_ui_await_tooltips ();
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != fixture->window)
      gtk_window_destroy (l->data);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  derm_test_ui_await_idle ();
  g_clear_object (&fixture->store);
  derm_test_remove_dir (fixture->data_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
}

typedef struct
{
  DermClientPage *page;
  gint64          id;
} ShownWait;

static gboolean
page_shows (gpointer data)
{
  ShownWait *wait = data;

  return derm_client_get_id (derm_client_page_get_client (wait->page)) == wait->id &&
         !derm_client_page_get_loading (wait->page);
}

/* win.show-client reads the client on the store's worker: until the page
 * shows them with their records */
static void
await_client_shown (DermWindow *window,
                    gint64      id)
{
  ShownWait wait = { derm_window_get_client_page (window), id };

  derm_test_ui_await (page_shows, &wait, "the client page to show the client");
}

static void
activate (Fixture    *fixture,
          const char *action,
          GVariant   *param)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window), action, param));
  /* Laid out and drawn as the action left it */
  derm_test_ui_await_frame (GTK_WIDGET (fixture->window));
}

/* --- the walk ------------------------------------------------------------ */

/* Roles a user acts on */
static const GtkAccessibleRole interactive_roles[] = {
  GTK_ACCESSIBLE_ROLE_BUTTON, GTK_ACCESSIBLE_ROLE_CHECKBOX, GTK_ACCESSIBLE_ROLE_RADIO,
  GTK_ACCESSIBLE_ROLE_SWITCH, GTK_ACCESSIBLE_ROLE_LINK, GTK_ACCESSIBLE_ROLE_MENU_ITEM,
  GTK_ACCESSIBLE_ROLE_MENU_ITEM_CHECKBOX, GTK_ACCESSIBLE_ROLE_MENU_ITEM_RADIO,
  GTK_ACCESSIBLE_ROLE_COMBO_BOX, GTK_ACCESSIBLE_ROLE_SPIN_BUTTON, GTK_ACCESSIBLE_ROLE_SLIDER,
  GTK_ACCESSIBLE_ROLE_SEARCH_BOX, GTK_ACCESSIBLE_ROLE_TEXT_BOX, GTK_ACCESSIBLE_ROLE_TAB,
};

/* Of those, the ones a screen reader names from the text they show */
static const GtkAccessibleRole named_from_content_roles[] = {
  GTK_ACCESSIBLE_ROLE_BUTTON, GTK_ACCESSIBLE_ROLE_CHECKBOX, GTK_ACCESSIBLE_ROLE_RADIO,
  GTK_ACCESSIBLE_ROLE_LINK, GTK_ACCESSIBLE_ROLE_MENU_ITEM, GTK_ACCESSIBLE_ROLE_MENU_ITEM_CHECKBOX,
  GTK_ACCESSIBLE_ROLE_MENU_ITEM_RADIO, GTK_ACCESSIBLE_ROLE_TAB,
};

static gboolean
role_in (GtkAccessibleRole        role,
         const GtkAccessibleRole *roles,
         gsize                    n)
{
  for (gsize i = 0; i < n; i++)
    if (roles[i] == role)
      return TRUE;
  return FALSE;
}

static gboolean
has_interactive_descendant (GtkWidget *widget);

static gboolean
is_interactive (GtkWidget *widget)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  /* A photo tile: a flow box child that is itself what one activates, not
   * a wrapper around a button that is checked on its own */
  return role_in (role, interactive_roles, G_N_ELEMENTS (interactive_roles)) ||
         (GTK_IS_FLOW_BOX_CHILD (widget) && gtk_widget_get_focusable (widget) &&
          !has_interactive_descendant (widget));
}

static gboolean
has_interactive_descendant (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (is_interactive (child) || has_interactive_descendant (child))
      return TRUE;
  return FALSE;
}

static gboolean
has_text_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_text_label (child))
      return TRUE;
  return FALSE;
}

static gboolean
is_named (GtkWidget *widget)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  /* The button inside a menu button takes the menu button's name */
  if (GTK_IS_MENU_BUTTON (parent))
    return is_named (parent);
  /* A libadwaita row is read by its title */
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      *adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)) != '\0')
    return TRUE;
  /* A button reads the text it shows; a container of a picture does not */
  if (role_in (role, named_from_content_roles, G_N_ELEMENTS (named_from_content_roles)))
    return has_text_label (widget);
  return FALSE;
}

/* The chain of types from the window down, to find the widget in a report */
static char *
widget_path (GtkWidget *widget)
{
  g_autoptr (GString) path = g_string_new (G_OBJECT_TYPE_NAME (widget));

  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *name = gtk_widget_get_name (w);

      g_string_prepend (path, " > ");
      if (name != NULL && !g_str_equal (name, G_OBJECT_TYPE_NAME (w)))
        {
          g_string_prepend (path, ")");
          g_string_prepend (path, name);
          g_string_prepend (path, "(");
        }
      g_string_prepend (path, G_OBJECT_TYPE_NAME (w));
    }
  return g_string_free (g_steal_pointer (&path), FALSE);
}

/* Widgets that a screen reader reaches: mapped, and not hidden from it */
static void
collect_unnamed (GtkWidget *widget,
                 GPtrArray *unnamed,
                 guint     *n_interactive)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  /* The toolkits' own buttons, not ours: the title bar's (close,
   * maximize) and a toast's close button (libadwaita 1.7 leaves it unnamed) */
  if (GTK_IS_WINDOW_CONTROLS (widget) ||
      g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget"))
    return;
  if (gtk_test_accessible_has_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN))
    {
      /* NULL when hidden is TRUE, else a message the caller frees */
      g_autofree char *mismatch = gtk_test_accessible_check_state (GTK_ACCESSIBLE (widget),
                                                                   GTK_ACCESSIBLE_STATE_HIDDEN, TRUE);
      if (mismatch == NULL)
        return;
    }
  if (is_interactive (widget))
    {
      (*n_interactive)++;
      if (!is_named (widget))
        g_ptr_array_add (unnamed, widget_path (widget));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, unnamed, n_interactive);
}

/* @at_least: how many controls the view has for sure (the walk saw
 * them, or it proves nothing) */
static void
assert_named_of (GtkWidget  *root,
                 const char *view,
                 guint       at_least)
{
  g_autoptr (GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);
  guint n_interactive = 0;

  collect_unnamed (root, unnamed, &n_interactive);
  g_assert_cmpuint (n_interactive, >=, at_least);
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("%s: unnamed %s", view, (const char *) g_ptr_array_index (unnamed, i));
  if (unnamed->len > 0)
    g_test_fail_printf ("%s: %u of %u interactive widgets have no accessible name, first: %s",
                        view, unnamed->len, n_interactive, (const char *) g_ptr_array_index (unnamed, 0));
}

static void
assert_all_named (GtkWidget  *root,
                  const char *view)
{
  assert_named_of (root, view, 3);
}

static GtkWidget *find_mapped (GtkWidget *widget, GType type);

static gboolean
agenda_loaded (gpointer data)
{
  return !derm_agenda_view_get_loading (data);
}

/* The week the series are booked in */
static void
show_booked_week (Fixture *fixture)
{
  GtkWidget *agenda = find_mapped (GTK_WIDGET (fixture->window), DERM_TYPE_AGENDA_VIEW);

  g_assert_nonnull (agenda);
  derm_agenda_view_set_week (DERM_AGENDA_VIEW (agenda), &fixture->week);
  derm_test_ui_await (agenda_loaded, agenda, "the week to load");
  derm_test_ui_await_frame (agenda);
}

static void
test_main_views_named (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  /* A 1366x768 screen less a top bar and a panel: each view is kept as a
   * screenshot for a look */
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 688);
  activate (fixture, "win.show-client", g_variant_new_int64 (fixture->client_id));
  await_client_shown (fixture->window, fixture->client_id);
  assert_all_named (window, "client page");
  g_assert_true (derm_test_ui_screenshot (window, "1366-client-page"));

  activate (fixture, "win.show-calendar", NULL);
  activate (fixture, "win.calendar-mode", g_variant_new_string ("week"));
  show_booked_week (fixture);
  assert_all_named (window, "week calendar");
  g_assert_true (derm_test_ui_screenshot (window, "1366-week"));
  activate (fixture, "win.calendar-mode", g_variant_new_string ("month"));
  assert_all_named (window, "month calendar");
  g_assert_true (derm_test_ui_screenshot (window, "1366-month"));

  activate (fixture, "win.show-due", NULL);
  assert_all_named (window, "Due list");
  g_assert_true (derm_test_ui_screenshot (window, "1366-due"));
}

static void
test_preferences_named (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *preferences = GTK_WIDGET (derm_preferences_window_new (fixture->store));
  derm_test_ui_await_unset (preferences, "loading");

  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (preferences));
  derm_test_ui_await (window_allocated, preferences, "window allocated");
  assert_all_named (preferences, "preferences");
  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* --- photo tiles --------------------------------------------------------- */

static GFile *
make_photo (const char *dir,
            const char *name)
{
  int width = 320, height = 240;
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  DermImage *image = NULL;

  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      rgb[i * 3] = 210;
      rgb[i * 3 + 1] = (guint8) (140 + i % 40);
      rgb[i * 3 + 2] = 120;
    }
  g_assert_cmpint (derm_image_new_from_rgb (width, height, rgb, (size_t) width * 3, &image, NULL), ==, DERM_STATUS_OK);
  g_assert_cmpint (derm_image_save (image, path, 90, NULL), ==, DERM_STATUS_OK);
  derm_image_free (image);
  return g_file_new_for_path (path);
}

static GtkWidget *
find_mapped (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_mapped (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
tiles_shown (gpointer data)
{
  DermPhotoGallery *gallery = data;

  return !derm_photo_library_get_importing (derm_photo_gallery_get_library (gallery)) &&
         derm_photo_gallery_get_n_loading (gallery) == 0 &&
         find_mapped (GTK_WIDGET (gallery), GTK_TYPE_FLOW_BOX_CHILD) != NULL;
}

static gboolean
viewer_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (DERM_IS_PHOTO_VIEWER (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          *(GtkWindow **) data = GTK_WINDOW (window);
          return TRUE;
        }
    }
  return FALSE;
}

/* The key's shortcut on the tile, run as GTK runs it for a key press */
static gboolean
press_key (GtkWidget  *tile,
           const char *key)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (tile);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_str_equal (trigger, key))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, tile, NULL);
        }
    }
  return FALSE;
}

static void
test_photo_tiles (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const keys[] = { "Return", "space", "KP_Enter" };
  g_autofree char *camera = g_build_filename (fixture->data_dir, "camera", NULL);
  GFile *files[2];
  DermPhotoGallery *gallery;
  GtkWidget *tile;

  activate (fixture, "win.show-client", g_variant_new_int64 (fixture->client_id));
  await_client_shown (fixture->window, fixture->client_id);
  gallery = DERM_PHOTO_GALLERY (find_mapped (GTK_WIDGET (fixture->window), DERM_TYPE_PHOTO_GALLERY));
  g_assert_nonnull (gallery);

  g_assert_cmpint (g_mkdir_with_parents (camera, 0700), ==, 0);
  files[0] = make_photo (camera, "front.jpg");
  files[1] = make_photo (camera, "chin.jpg");
  derm_photo_gallery_import (gallery, files, G_N_ELEMENTS (files));
  derm_test_ui_await (tiles_shown, gallery, "tiles shown");
  g_object_unref (files[0]);
  g_object_unref (files[1]);

  /* With tiles on screen, the page is still all named */
  assert_all_named (GTK_WIDGET (fixture->window), "client page with photos");

  tile = find_mapped (GTK_WIDGET (gallery), GTK_TYPE_FLOW_BOX_CHILD);
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWindow *viewer = NULL;

      gtk_widget_grab_focus (tile);
      g_assert_true (gtk_widget_is_focus (tile));
      g_assert_true (press_key (tile, keys[i]));
      derm_test_ui_await (viewer_shown, &viewer, "viewer shown");
      gtk_window_destroy (viewer);
      derm_test_ui_await_idle ();
    }
}

/* --- text scale 1.5 on a 1366x768 screen --------------------------------- */

static void
assert_fits (GtkWidget  *window,
             const char *view)
{
  int min_width = 0;
  int min_height = 0;

  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, 1366, &min_height, NULL, NULL, NULL);
  g_test_message ("%s: smallest window at text scale 1.5: %d x %d", view, min_width, min_height);
  /* 768 less a top bar and a dock or panel of 40 px each */
  if (min_width > 1366 || min_height > 768 - 80)
    g_test_fail_printf ("%s needs %d x %d at text scale 1.5, more than a 1366x768 screen offers",
                        view, min_width, min_height);
}

static void
test_large_text_fits (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkSettings *settings = gtk_settings_get_default ();
  int dpi = 0;
  GtkWidget *window = GTK_WIDGET (fixture->window);

  int min_width = 0;

  /* The metainfo requires a display of at least 480 px: the window fits */
  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_test_message ("smallest window width at text scale 1: %d", min_width);
  g_assert_cmpint (min_width, <=, 480);

  /* What GNOME's text-scaling-factor 1.5 sets: 96 dpi times 1.5, in 1024ths */
  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  g_object_set (settings, "gtk-xft-dpi", 96 * 1024 * 3 / 2, NULL);
  derm_test_ui_await_frame (window);

  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 688);
  activate (fixture, "win.show-client", g_variant_new_int64 (fixture->client_id));
  await_client_shown (fixture->window, fixture->client_id);
  assert_fits (window, "client page");
  g_assert_true (derm_test_ui_screenshot (window, "large-text-client-page"));
  activate (fixture, "win.show-calendar", NULL);
  activate (fixture, "win.calendar-mode", g_variant_new_string ("week"));
  show_booked_week (fixture);
  assert_fits (window, "week calendar");
  g_assert_true (derm_test_ui_screenshot (window, "large-text-week"));
  activate (fixture, "win.calendar-mode", g_variant_new_string ("month"));
  assert_fits (window, "month calendar");
  g_assert_true (derm_test_ui_screenshot (window, "large-text-month"));
  activate (fixture, "win.show-due", NULL);
  assert_fits (window, "Due list");
  g_assert_true (derm_test_ui_screenshot (window, "large-text-due"));

  g_object_set (settings, "gtk-xft-dpi", dpi, NULL);
}

/* --- the other windows at large text ------------------------------------- */

/* Inside these, the part out of view scrolls into it, or arrow keys move
 * between the items once Tab has reached the list */
static gboolean
inside_scroller (GtkWidget *widget)
{
  return gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW) != NULL ||
         gtk_widget_get_ancestor (widget, GTK_TYPE_VIEWPORT) != NULL;
}

static gboolean
inside_arrow_list (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  return parent != NULL &&
         (gtk_widget_get_ancestor (parent, GTK_TYPE_LIST_BOX) != NULL ||
          gtk_widget_get_ancestor (parent, GTK_TYPE_FLOW_BOX) != NULL ||
          gtk_widget_get_ancestor (parent, GTK_TYPE_LIST_VIEW) != NULL ||
          gtk_widget_get_ancestor (parent, GTK_TYPE_GRID_VIEW) != NULL ||
          gtk_widget_get_ancestor (parent, GTK_TYPE_DROP_DOWN) != NULL);
}

static gboolean
outside_window (GtkWidget *widget,
                GtkWidget *window)
{
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (widget, window, &bounds))
    return TRUE;
  return bounds.origin.x < -0.5 || bounds.origin.y < -0.5 ||
         bounds.origin.x + bounds.size.width > gtk_widget_get_width (window) + 0.5 ||
         bounds.origin.y + bounds.size.height > gtk_widget_get_height (window) + 0.5;
}

/* Labels given less room than their text needs (GTK 4.18 warns, 4.8 cuts
 * the text silently) or lying outside the window where nothing scrolls,
 * and panels that scroll sideways */
static void
collect_cut (GtkWidget *widget,
             GtkWidget *window,
             GPtrArray *cut)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    {
      graphene_rect_t bounds;
      int margin_x = gtk_widget_get_margin_start (widget) + gtk_widget_get_margin_end (widget);
      int margin_y = gtk_widget_get_margin_top (widget) + gtk_widget_get_margin_bottom (widget);
      int min_width, min_height;

      g_assert_true (gtk_widget_compute_bounds (widget, widget, &bounds));
      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
      gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, (int) bounds.size.width + margin_x,
                          &min_height, NULL, NULL, NULL);
      if (bounds.size.width + margin_x + 1 < min_width || bounds.size.height + margin_y + 1 < min_height)
        g_ptr_array_add (cut, g_strdup_printf ("“%s” is %.0f x %.0f, needs %d x %d",
                                               gtk_label_get_text (GTK_LABEL (widget)),
                                               bounds.size.width, bounds.size.height,
                                               min_width - margin_x, min_height - margin_y));
      else if (!inside_scroller (widget) && outside_window (widget, window))
        g_ptr_array_add (cut, g_strdup_printf ("“%s” lies outside the window",
                                               gtk_label_get_text (GTK_LABEL (widget))));
    }
  /* A panel that scrolls sideways hides the end of its lines; a strip
   * of photos laid out sideways is meant to */
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (widget));
      GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (widget));

      if (GTK_IS_VIEWPORT (content))
        content = gtk_viewport_get_child (GTK_VIEWPORT (content));
      if (gtk_adjustment_get_upper (h) - gtk_adjustment_get_page_size (h) > 1 &&
          !(GTK_IS_LIST_VIEW (content) &&
            gtk_orientable_get_orientation (GTK_ORIENTABLE (content)) == GTK_ORIENTATION_HORIZONTAL))
        g_ptr_array_add (cut, g_strdup_printf ("%s shows %.0f of %.0f px sideways", widget_path (widget),
                                               gtk_adjustment_get_page_size (h), gtk_adjustment_get_upper (h)));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cut (child, window, cut);
}

static void
assert_nothing_cut (GtkWidget  *window,
                    const char *view)
{
  g_autoptr (GPtrArray) cut = g_ptr_array_new_with_free_func (g_free);

  collect_cut (window, window, cut);
  for (guint i = 0; i < cut->len; i++)
    g_test_message ("%s: %s", view, (const char *) g_ptr_array_index (cut, i));
  if (cut->len > 0)
    g_test_fail_printf ("%s: %u things cut off, first: %s", view, cut->len,
                        (const char *) g_ptr_array_index (cut, 0));
}

/* Controls Tab must reach: interactive, focusable, sensitive and shown,
 * and not an item of a list that arrow keys move through */
static void
collect_tab_stops (GtkWidget *widget,
                   GPtrArray *stops)
{
  if (!gtk_widget_get_mapped (widget) || !gtk_widget_is_sensitive (widget) ||
      GTK_IS_WINDOW_CONTROLS (widget))
    return;
  if (is_interactive (widget) && gtk_widget_get_focusable (widget) && !inside_arrow_list (widget) &&
      !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)) &&
      !GTK_IS_DROP_DOWN (gtk_widget_get_parent (widget)))
    g_ptr_array_add (stops, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_tab_stops (child, stops);
}

static gboolean
is_or_inside (GtkWidget *widget,
              GtkWidget *ancestor)
{
  return widget == ancestor || gtk_widget_is_ancestor (widget, ancestor);
}

/* Tab from nothing focused, as GTK moves focus, until it is back at the
 * first stop: each stop shown and sensitive, none twice before that,
 * every control that should be a stop reached */
static void
assert_focus_order (GtkWidget  *window,
                    const char *view,
                    guint       at_least)
{
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  g_autoptr (GPtrArray) expected = g_ptr_array_new ();
  gboolean left = FALSE;

  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  for (guint step = 0; step < 400 && !left; step++)
    {
      GtkWidget *focus;

      /* A window's focus wraps around: back at the first stop, Tab has
       * been through the window */
      if (!gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD) ||
          (order->len > 0 && gtk_root_get_focus (GTK_ROOT (window)) == g_ptr_array_index (order, 0)))
        {
          left = TRUE;
          break;
        }
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      if (g_ptr_array_find (order, focus, NULL))
        {
          g_test_fail_printf ("%s: Tab reaches %s twice", view, widget_path (focus));
          break;
        }
      g_ptr_array_add (order, focus);
      if (!gtk_widget_is_drawable (focus) || !gtk_widget_is_sensitive (focus) ||
          gtk_widget_get_width (focus) <= 0 || gtk_widget_get_height (focus) <= 0)
        g_test_fail_printf ("%s: Tab stop %u is not shown: %s", view, order->len, widget_path (focus));
      else if (!inside_scroller (focus) && outside_window (focus, window))
        g_test_fail_printf ("%s: Tab stop %u lies outside the window: %s", view, order->len, widget_path (focus));
    }
  g_test_message ("%s: %u Tab stops", view, order->len);
  if (!left)
    g_test_fail_printf ("%s: Tab never comes back to the first control", view);
  g_assert_cmpuint (order->len, >=, at_least);

  collect_tab_stops (window, expected);
  for (guint i = 0; i < expected->len; i++)
    {
      GtkWidget *control = g_ptr_array_index (expected, i);
      gboolean reached = FALSE;

      /* A stop on the control or inside it (an entry's text, a spin
       * button's text) */
      for (guint k = 0; k < order->len && !reached; k++)
        reached = is_or_inside (g_ptr_array_index (order, k), control);
      if (!reached)
        g_test_fail_printf ("%s: Tab never reaches %s", view, widget_path (control));
    }
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
}

static void
assert_fits_screen (GtkWidget  *window,
                    const char *view)
{
  int min_width = 0;
  int min_height = 0;

  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  /* At the screen's width, never below the window's minimum (which GTK
   * 4.18 warns about) */
  gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, MAX (1366, min_width), &min_height, NULL, NULL, NULL);
  g_test_message ("%s: smallest window %d x %d", view, min_width, min_height);
  if (min_width > 1366 || min_height > 768 - 80)
    g_test_fail_printf ("%s needs %d x %d, more than a 1366x768 screen offers", view, min_width, min_height);
}

/* @controls: how many the window has for sure */
static void
check_window_of (GtkWidget  *window,
                 const char *view,
                 const char *scale,
                 guint       controls)
{
  g_autofree char *name = g_strdup_printf ("%s at text scale %s", view, scale);
  g_autofree char *shot = g_strdup_printf ("large-text-%s-%s", scale, view);

  /* Two frames: what the first allocation sets (the viewer's zoom label
   * after the picture is fitted) is laid out in the second */
  derm_test_ui_await_frame (window);
  derm_test_ui_await_frame (window);
  g_strdelimit (shot, " .", '-');
  g_assert_true (derm_test_ui_screenshot (window, shot));
  assert_fits_screen (window, name);
  assert_named_of (window, name, controls);
  assert_nothing_cut (window, name);
  assert_focus_order (window, name, MIN (controls, 2));
}

static void
check_window (GtkWidget  *window,
              const char *view,
              const char *scale)
{
  check_window_of (window, view, scale, 3);
}

static GtkWindow *
find_window_of_type (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

typedef struct
{
  GType      type;
  GtkWindow *window;
} WindowWait;

static gboolean
window_shown (gpointer data)
{
  WindowWait *wait = data;

  wait->window = find_window_of_type (wait->type);
  return wait->window != NULL && gtk_widget_get_mapped (GTK_WIDGET (wait->window)) &&
         gtk_widget_get_width (GTK_WIDGET (wait->window)) > 0;
}

/* The window of @type the client page's @action opens */
static GtkWidget *
open_from_page (Fixture    *fixture,
                const char *action,
                GType       type)
{
  WindowWait wait = { type, NULL };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (derm_window_get_client_page (fixture->window)),
                                             action, NULL));
  derm_test_ui_await (window_shown, &wait, "the window to open");
  return GTK_WIDGET (wait.window);
}

static gboolean
viewer_loaded (gpointer data)
{
  return derm_photo_viewer_get_loaded (data);
}

static gboolean
comparison_settled (gpointer data)
{
  DermCompareWindow *window = data;

  return derm_compare_canvas_has_picture (derm_compare_window_get_canvas (window)) &&
         !derm_compare_window_get_busy (window);
}

static gboolean
plan_ready (gpointer data)
{
  return derm_plan_dialog_get_ready (data);
}

static gboolean
book_ready (gpointer data)
{
  return derm_book_dialog_get_ready (data);
}

static gboolean
replan_ready (gpointer data)
{
  return derm_replan_dialog_get_ready (data);
}

static void
answered (gpointer          owner,
          DermUnsavedChoice choice,
          gpointer          user_data)
{
}

static void
nothing (AdwToast *toast,
         gpointer  user_data)
{
}

/* The message dialog on screen, laid out */
static GtkWidget *
await_message_dialog (void)
{
  WindowWait wait = { ADW_TYPE_MESSAGE_DIALOG, NULL };

  derm_test_ui_await (window_shown, &wait, "the message dialog to open");
  return GTK_WIDGET (wait.window);
}

/* The confirmations and errors: each kind of message dialog Dermis shows
 * (a typed confirmation, Save/Discard/Cancel, three choices, an error
 * with an action), as the app opens them */
static void
check_message_dialogs (Fixture    *fixture,
                       const char *scale)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *dialog;

  /* Erase Client?: the name typed to confirm, Erase off until then */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (derm_window_get_client_page (fixture->window)),
                                             "client.erase", NULL));
  dialog = await_message_dialog ();
  check_window (dialog, "erase confirmation", scale);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Save Changes?: Cancel, Discard, Save */
  dialog = derm_unsaved_ask (GTK_WINDOW (window), NULL, NULL, TRUE, G_OBJECT (window), answered, NULL, NULL);
  dialog = await_message_dialog ();
  check_window (dialog, "unsaved changes question", scale);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Possible Duplicate: Cancel, Open, Create Anyway */
  {
    g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr (GError) error = NULL;
    DermClient *other = derm_store_get_client (fixture->store, fixture->client_id, &error);

    g_assert_no_error (error);
    g_object_set_data (G_OBJECT (other), "derm-duplicate-reason", GINT_TO_POINTER (DERM_DUPLICATE_NAME_AND_BIRTH));
    g_ptr_array_add (found, other);
    dialog = derm_client_merge_duplicate_question (GTK_WINDOW (window), found);
    gtk_window_present (GTK_WINDOW (dialog));
    dialog = await_message_dialog ();
    check_window (dialog, "duplicate question", scale);
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  /* An error too long for its toast: the Details dialog, with Retry */
  {
    GtkWidget *overlay = find_mapped (window, ADW_TYPE_TOAST_OVERLAY);
    AdwToast *toast = derm_toast_new_with_button (overlay,
                                                  "The client database is busy: another Dermis window or "
                                                  "dermis-cli is writing to it. Nothing was saved; try again "
                                                  "in a moment. Line 3 of clients.csv is not UTF-8 text.",
                                                  "_Retry", g_cclosure_new (G_CALLBACK (nothing), NULL, NULL));

    g_object_ref_sink (toast);
    g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Details");
    g_signal_emit_by_name (toast, "button-clicked");
    dialog = await_message_dialog ();
    check_window_of (dialog, "error details", scale, 2);
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_object_unref (toast);
  }
}

/* Skin-like texture, so the comparison aligns as it would a real pair */
static void
skin_pixel (int      x,
            int      y,
            guint8   rgb[3],
            gpointer user_data)
{
  int shift = GPOINTER_TO_INT (user_data);
  guint32 h = (guint32) ((x + shift) / 6) * 73856093u ^ (guint32) (y / 6) * 19349663u;

  rgb[0] = (guint8) (190 + h % 40);
  rgb[1] = (guint8) (130 + (h >> 8) % 30);
  rgb[2] = (guint8) (110 + (h >> 16) % 30);
}

static void
test_windows_large_text (Fixture       *fixture,
                         gconstpointer  data)
{
  static const struct { const char *name; int dpi; } scales[] = {
    { "1.25", 96 * 1024 * 5 / 4 }, { "1.5", 96 * 1024 * 3 / 2 },
  };
  GtkSettings *settings = gtk_settings_get_default ();
  g_autofree char *camera = g_build_filename (fixture->data_dir, "camera", NULL);
  g_autoptr (DermPhoto) before = NULL;
  g_autoptr (DermPhoto) after = NULL;
  g_autofree char *tomorrow = NULL;
  g_autoptr (DermAppointment) appointment = NULL;
  DermPhotoGallery *gallery;
  DermPhotoLibrary *library;
  gint64 second_session;
  int dpi = 0;

  activate (fixture, "win.show-client", g_variant_new_int64 (fixture->client_id));
  await_client_shown (fixture->window, fixture->client_id);
  gallery = DERM_PHOTO_GALLERY (find_mapped (GTK_WIDGET (fixture->window), DERM_TYPE_PHOTO_GALLERY));
  g_assert_nonnull (gallery);
  library = derm_photo_gallery_get_library (gallery);

  /* Two front photos of two sessions: a pair to compare */
  g_assert_cmpint (g_mkdir_with_parents (camera, 0700), ==, 0);
  {
    g_autofree char *day = days_from_today (-7);

    second_session = derm_test_add_session (fixture->store, fixture->client_id, day);
  }
  {
    g_autofree char *first = derm_test_make_image (camera, "front-1.jpg", 640, 480, skin_pixel, GINT_TO_POINTER (0));
    g_autofree char *second = derm_test_make_image (camera, "front-2.jpg", 640, 480, skin_pixel, GINT_TO_POINTER (12));
    before = derm_test_import (library, fixture->client_id, first, 0, DERM_PHOTO_VIEW_FRONT);
    after = derm_test_import (library, fixture->client_id, second, second_session, DERM_PHOTO_VIEW_FRONT);
  }
  derm_photo_gallery_reload (gallery);
  {
    g_autoptr (GDateTime) now = g_date_time_new_now_local ();
    g_autoptr (GDateTime) next = g_date_time_add_days (now, 1);

    tomorrow = g_date_time_format (next, "%Y-%m-%d");
  }

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) appointments = derm_store_list_client_appointments (fixture->store, fixture->client_id,
                                                                              &error);

    g_assert_no_error (error);
    g_assert_cmpuint (appointments->len, >, 0);
    appointment = g_object_ref (g_ptr_array_index (appointments, 0));
  }

  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1366, 688);
  for (gsize s = 0; s < G_N_ELEMENTS (scales); s++)
    {
      const char *scale = scales[s].name;
      GtkWidget *window;

      g_object_set (settings, "gtk-xft-dpi", scales[s].dpi, NULL);
      derm_test_ui_await_frame (GTK_WIDGET (fixture->window));

      window = derm_photo_gallery_open_photo (gallery, before);
      gtk_window_set_default_size (GTK_WINDOW (window), 1366, 688);
      derm_test_ui_await (viewer_loaded, window, "the viewer to load the photo");
      check_window (window, "photo viewer", scale);
      gtk_window_destroy (GTK_WINDOW (window));

      window = derm_compare_window_open (GTK_WINDOW (fixture->window), library, before, after);
      g_assert_nonnull (window);
      gtk_window_set_default_size (GTK_WINDOW (window), 1366, 688);
      derm_test_ui_await (comparison_settled, window, "the comparison to settle");
      check_window (window, "comparison", scale);
      gtk_window_destroy (GTK_WINDOW (window));

      window = open_from_page (fixture, "client.new-screening", DERM_TYPE_SCREENING_DIALOG);
      check_window (window, "screening dialog", scale);
      gtk_window_destroy (GTK_WINDOW (window));

      window = open_from_page (fixture, "client.add-session", DERM_TYPE_TREATMENT_DIALOG);
      check_window (window, "session dialog", scale);
      gtk_window_destroy (GTK_WINDOW (window));

      window = open_from_page (fixture, "client.plan-series", DERM_TYPE_PLAN_DIALOG);
      derm_test_ui_await (plan_ready, window, "the plan dialog to be ready");
      check_window (window, "plan dialog", scale);
      gtk_window_destroy (GTK_WINDOW (window));

      /* Move, and cancel with the replacement proposed */
      for (int k = 0; k < 2; k++)
        {
          window = derm_replan_dialog_new (fixture->store, appointment,
                                           k == 0 ? DERM_APPOINTMENT_BOOKED : DERM_APPOINTMENT_CANCELLED);
          gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (fixture->window));
          gtk_window_present (GTK_WINDOW (window));
          derm_test_ui_await (replan_ready, window, "the re-plan dialog to be ready");
          check_window (window, k == 0 ? "move dialog" : "cancel dialog", scale);
          gtk_window_destroy (GTK_WINDOW (window));
        }

      check_message_dialogs (fixture, scale);

      window = derm_book_dialog_new (fixture->store, tomorrow, 10 * 60, NULL, NULL);
      gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (fixture->window));
      gtk_window_present (GTK_WINDOW (window));
      derm_test_ui_await (book_ready, window, "the booking dialog to be ready");
      check_window (window, "booking dialog", scale);
      gtk_window_destroy (GTK_WINDOW (window));
      derm_test_ui_await_idle ();
    }
  g_object_set (settings, "gtk-xft-dpi", dpi, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  /* GTK's test accessibility backend keeps what each widget tells it, so
   * the walk reads the same properties a screen reader would get */
  g_setenv ("GTK_A11Y", "test", TRUE);
  derm_test_ui_init (&argc, &argv);

  app = derm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/ui/a11y/main-views-named", Fixture, NULL,
              fixture_set_up, test_main_views_named, fixture_tear_down);
  g_test_add ("/ui/a11y/preferences-named", Fixture, NULL,
              fixture_set_up, test_preferences_named, fixture_tear_down);
  g_test_add ("/ui/a11y/photo-tiles-named-and-keyboard", Fixture, NULL,
              fixture_set_up, test_photo_tiles, fixture_tear_down);
  g_test_add ("/ui/a11y/large-text-fits-1366x768", Fixture, NULL,
              fixture_set_up, test_large_text_fits, fixture_tear_down);
  g_test_add ("/ui/a11y/windows-and-dialogs-at-large-text", Fixture, NULL,
              fixture_set_up, test_windows_large_text, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}

/* test-ui-help.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keyboard shortcuts window lists keys that work: every shortcut of
 * the calendar, the photo viewer and the comparison that it names by its
 * action (the object id "key:ACTION[,ACTION]" in help-overlay.ui) is bound
 * to that action on the widget that has it, and the action runs. Help
 * (F1) is never a menu item that does nothing: without the Help app it
 * says so, and in a Flatpak, where the pages cannot be shown, it is not
 * offered.
 */
#define G_LOG_DOMAIN "test-ui-help"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "derm-agenda-view.h"
#include "derm-application.h"
#include "derm-compare-window.h"
#include "derm-month-view.h"
#include "derm-photo-library.h"
#include "derm-photo-viewer.h"
#include "derm-photo.h"
#include "derm-store.h"
#include "derm-test-utils.h"
#include "derm-validate.h"
#include "derm-window.h"

#include "test-ui-util.h"

/* TRUE when one of @widget's shortcut controllers binds @keyval with
 * @mods to the action @action */
static gboolean
widget_binds (GtkWidget       *widget,
              guint            keyval,
              GdkModifierType  mods,
              const char      *action)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *named = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) && GTK_IS_NAMED_ACTION (named) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods &&
              g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (named)), action))
            return TRUE;
        }
    }

  return FALSE;
}

typedef struct
{
  DermTestStore  store;
  DermWindow    *window;
  GtkWidget     *viewer;
  GtkWidget     *compare;
} Widgets;

static GtkWidget *
widget_for (Widgets    *w,
            const char *action)
{
  if (g_str_has_prefix (action, "agenda."))
    return GTK_WIDGET (derm_window_get_agenda_view (w->window));
  if (g_str_has_prefix (action, "month."))
    return GTK_WIDGET (derm_window_get_month_view (w->window));
  if (g_str_has_prefix (action, "viewer."))
    return w->viewer;
  if (g_str_has_prefix (action, "compare."))
    return w->compare;
  g_error ("No widget known for the action %s", action);
  return NULL;
}

static void
gradient (int      x,
          int      y,
          guint8   rgb[3],
          gpointer user_data)
{
  rgb[0] = (guint8) (x * 3);
  rgb[1] = (guint8) (y * 3);
  rgb[2] = (guint8) GPOINTER_TO_INT (user_data);
}

static void
test_listed_keys_are_bound (void)
{
  g_autoptr (GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PATH "/gtk/help-overlay.ui");
  g_autoptr (GSList) objects = gtk_builder_get_objects (builder);
  g_autoptr (DermPhoto) before = NULL;
  g_autoptr (DermPhoto) after = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before_path = NULL;
  g_autofree char *after_path = NULL;
  GtkWindow *overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  Widgets w = { { 0 } };
  gint64 client_id;
  GDate week;
  GDate moved;
  guint checked = 0;

  derm_test_store_set_up (&w.store, "ui-help");
  w.window = g_object_ref_sink (derm_window_new (NULL, w.store.store));
  client_id = derm_test_add_client (w.store.store, "Zoë Müller");
  before_path = derm_test_make_image (w.store.files_dir, "before.jpg", 80, 60, gradient, GINT_TO_POINTER (10));
  after_path = derm_test_make_image (w.store.files_dir, "after.jpg", 80, 60, gradient, GINT_TO_POINTER (90));
  before = derm_test_import (w.store.library, client_id, before_path, 0, DERM_PHOTO_VIEW_FRONT);
  after = derm_test_import (w.store.library, client_id, after_path, 0, DERM_PHOTO_VIEW_FRONT);
  w.viewer = g_object_ref_sink (derm_photo_viewer_new (w.store.library, before));
  w.compare = derm_compare_window_new_for_photos (w.store.library, before, after, &error);
  g_assert_no_error (error);
  g_object_ref_sink (w.compare);

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      const char *id = gtk_buildable_get_buildable_id (l->data);
      g_autofree char *accelerator = NULL;
      g_auto (GStrv) accels = NULL;
      g_auto (GStrv) actions = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data) || id == NULL || !g_str_has_prefix (id, "key:"))
        continue;

      g_object_get (l->data, "accelerator", &accelerator, NULL);
      accels = g_strsplit (accelerator, " ", -1);
      actions = g_strsplit (id + strlen ("key:"), ",", -1);
      for (guint a = 0; actions[a] != NULL; a++)
        {
          GtkWidget *widget = widget_for (&w, actions[a]);

          for (guint k = 0; accels[k] != NULL; k++)
            {
              guint keyval = 0;
              GdkModifierType mods = 0;

              g_assert_true (gtk_accelerator_parse (accels[k], &keyval, &mods));
              if (!widget_binds (widget, keyval, mods, actions[a]))
                g_error ("The shortcuts window lists %s for %s, which %s does not bind",
                         accels[k], actions[a], G_OBJECT_TYPE_NAME (widget));
              checked++;
            }

          /* The action the key runs exists and is enabled (an export
           * would open a file chooser) */
          if (!g_str_equal (actions[a], "compare.export"))
            g_assert_true (gtk_widget_activate_action (widget, actions[a], NULL));
        }
    }
  g_assert_cmpuint (checked, >=, 12);

  /* What the calendar keys do: Page Down shows the next week, Ctrl+T today's */
  gtk_widget_activate_action (GTK_WIDGET (derm_window_get_agenda_view (w.window)), "agenda.today", NULL);
  derm_agenda_view_get_week (derm_window_get_agenda_view (w.window), &week);
  gtk_widget_activate_action (GTK_WIDGET (derm_window_get_agenda_view (w.window)), "agenda.next", NULL);
  derm_agenda_view_get_week (derm_window_get_agenda_view (w.window), &moved);
  g_assert_cmpint (g_date_days_between (&week, &moved), ==, 7);
  gtk_widget_activate_action (GTK_WIDGET (derm_window_get_agenda_view (w.window)), "agenda.today", NULL);
  derm_agenda_view_get_week (derm_window_get_agenda_view (w.window), &moved);
  g_assert_cmpint (g_date_compare (&week, &moved), ==, 0);

  /* The second page of the shortcuts window, laid out whole */
  g_object_set (overlay, "section-name", "views", NULL);
  gtk_window_present (overlay);
  derm_test_ui_await_frame (GTK_WIDGET (overlay));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (overlay), "shortcuts-calendar-photos"));

  gtk_window_destroy (overlay);
  gtk_window_destroy (GTK_WINDOW (w.compare));
  gtk_window_destroy (GTK_WINDOW (w.viewer));
  gtk_window_destroy (GTK_WINDOW (w.window));
  g_clear_object (&w.compare);
  g_clear_object (&w.viewer);
  g_clear_object (&w.window);
  derm_test_ui_await_idle ();
  derm_test_store_tear_down (&w.store);
}

static void
test_help_says_when_it_cannot_open (void)
{
  g_autoptr (DermApplication) app = derm_application_new ();
  g_autofree char *dir = derm_test_make_data_dir ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) accels = NULL;
  g_autofree char *yelp = NULL;

  g_autoptr (DermStore) store = derm_store_open (dir, &error);

  /* A folder with a database: the main window opens without a question */
  g_assert_no_error (error);
  g_clear_object (&store);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  derm_application_set_data_dir (app, dir);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  derm_test_ui_await_toplevel (DERM_TYPE_WINDOW);

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.help");
  g_assert_cmpstr (accels[0], ==, "F1");

  /* No Help app (Yelp) on the test machine: the failure is said */
  yelp = g_find_program_in_path ("yelp");
  if (yelp == NULL)
    {
      g_action_group_activate_action (G_ACTION_GROUP (app), "help", NULL);
      g_assert_true (derm_test_ui_answer_question ("close", DERM_TEST_UI_TIMEOUT_MS));
    }
  else
    g_test_skip ("Yelp is installed: the help opens in it");

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
       l = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (l->data);
  derm_test_ui_await_idle ();
  derm_test_remove_dir (dir);
}

/* A mapped label reading @text inside @widget */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
popover_shown (gpointer data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (data);

  return popover != NULL && gtk_widget_get_mapped (GTK_WIDGET (popover));
}

/* The main menu as it shows, and whether Help is among its items */
static gboolean
menu_offers_help (GtkWindow *window)
{
  GtkWidget *button = find_menu_button (GTK_WIDGET (window));
  GtkPopover *popover;
  gboolean found;

  g_assert_nonnull (button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  derm_test_ui_await (popover_shown, button, "the main menu to open");
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  derm_test_ui_await_frame (GTK_WIDGET (popover));
  /* An item the menu always has: the walk reads the menu as shown */
  g_assert_nonnull (find_label (GTK_WIDGET (popover), "Keyboard Shortcuts"));
  found = find_label (GTK_WIDGET (popover), "Help") != NULL;
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  return found;
}

static gboolean
shortcut_listed (GtkWidget  *widget,
                 const char *action)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget) && gtk_widget_get_visible (widget))
    {
      g_autofree char *name = NULL;

      g_object_get (widget, "action-name", &name, NULL);
      if (g_strcmp0 (name, action) == 0)
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shortcut_listed (child, action))
      return TRUE;
  return FALSE;
}

/* In a Flatpak the help: URI reaches the host's Help app, which cannot
 * read the pages inside the sandbox: Dermis offers no Help there (no
 * menu item, no F1, nothing in the shortcuts window), and everywhere
 * else it does */
static void
test_help_offered_only_where_it_works (void)
{
  static const gboolean sandboxed[] = { FALSE, TRUE };

  for (gsize i = 0; i < G_N_ELEMENTS (sandboxed); i++)
    {
      g_autoptr (DermApplication) app = NULL;
      g_autofree char *dir = derm_test_make_data_dir ();
      g_autoptr (GError) error = NULL;
      g_autoptr (DermStore) store = derm_store_open (dir, &error);
      g_auto (GStrv) accels = NULL;
      GtkWindow *window;
      GtkShortcutsWindow *overlay;

      g_assert_no_error (error);
      g_clear_object (&store);
      /* What flatpak run sets in the sandbox */
      if (sandboxed[i])
        g_setenv ("FLATPAK_ID", APPLICATION_ID, TRUE);
      else
        g_unsetenv ("FLATPAK_ID");
      app = derm_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
      derm_application_set_data_dir (app, dir);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
      g_application_activate (G_APPLICATION (app));
      window = derm_test_ui_await_toplevel (DERM_TYPE_WINDOW);

      g_assert_true (derm_application_get_help_available (app) == !sandboxed[i]);
      g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "help") == !sandboxed[i]);
      accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.help");
      g_assert_true ((accels[0] != NULL) == !sandboxed[i]);
      g_assert_true (menu_offers_help (window) == !sandboxed[i]);
      overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
      g_assert_nonnull (overlay);
      g_assert_true (shortcut_listed (GTK_WIDGET (overlay), "app.preferences"));
      g_assert_true (shortcut_listed (GTK_WIDGET (overlay), "app.help") == !sandboxed[i]);

      derm_test_ui_await_tooltips ();
      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
           l = gtk_application_get_windows (GTK_APPLICATION (app)))
        gtk_window_destroy (l->data);
      derm_test_ui_await_idle ();
      derm_test_remove_dir (dir);
    }
  g_unsetenv ("FLATPAK_ID");
}

int
main (int   argc,
      char *argv[])
{
  derm_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/help/shortcuts-window-lists-keys-that-work", test_listed_keys_are_bound);
  g_test_add_func ("/ui/help/help-says-when-it-cannot-open", test_help_says_when_it_cannot_open);
  g_test_add_func ("/ui/help/offered-only-where-it-works", test_help_offered_only_where_it_works);

  return g_test_run ();
}

/* test-ui-l10n.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dermis in German: started under de_DE.UTF-8 with the translations built
 * in po/, the main window shows translated labels; every main view (client
 * list and page, week and month calendar, Due list, preferences) is walked
 * and no text it shows (labels, row titles, tooltips) is English; imaging
 * errors and counted phrases reach the user translated.
 */
#define G_LOG_DOMAIN "test-ui-l10n"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "derm-application.h"
#include "derm-client-list.h"
#include "derm-imaging-error.h"
#include "derm-preferences-window.h"
#include "derm-store.h"
#include "derm-test-utils.h"
#include "derm-window.h"
#include "test-ui-util.h"

/* Words that give an English text away; none is German */
static GRegex *english;

static gboolean
window_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

/* A text the user sees is English when the catalogue translates it (it
 * was shown without going through gettext) or when it holds a word that
 * is English and not German */
static gboolean
is_english (const char *text)
{
  const char *translated;

  if (text == NULL || *text == '\0')
    return FALSE;
  translated = g_dgettext (GETTEXT_PACKAGE, text);
  if (translated != text && g_strcmp0 (translated, text) != 0)
    return TRUE;
  return g_regex_match (english, text, 0, NULL);
}

static void
collect_english (GtkWidget *widget,
                 GPtrArray *found,
                 guint     *n_texts)
{
  const char *texts[3] = { NULL, NULL, NULL };

  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    texts[0] = gtk_label_get_label (GTK_LABEL (widget));
  if (ADW_IS_PREFERENCES_ROW (widget))
    texts[1] = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  texts[2] = gtk_widget_get_tooltip_text (widget);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (texts[i] != NULL && *texts[i] != '\0')
      {
        (*n_texts)++;
        if (is_english (texts[i]))
          g_ptr_array_add (found, g_strdup_printf ("%s “%s”", G_OBJECT_TYPE_NAME (widget), texts[i]));
      }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_english (child, found, n_texts);
}

static void
assert_german (GtkWidget  *root,
               const char *view)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  guint n_texts = 0;

  derm_test_ui_await_frame (root);
  collect_english (root, found, &n_texts);
  if (GTK_IS_WINDOW (root) && is_english (gtk_window_get_title (GTK_WINDOW (root))))
    g_ptr_array_add (found, g_strdup_printf ("title “%s”", gtk_window_get_title (GTK_WINDOW (root))));
  /* The walk saw the view, or it proves nothing */
  g_assert_cmpuint (n_texts, >=, 5);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("%s: English %s", view, (const char *) g_ptr_array_index (found, i));
  if (found->len > 0)
    g_test_fail_printf ("%s: %u of %u texts are English, first: %s", view, found->len, n_texts,
                        (const char *) g_ptr_array_index (found, 0));
}

static gboolean
list_loaded (gpointer data)
{
  return !derm_client_list_get_loading (data) && derm_client_list_get_n_clients (data) > 0;
}

static void
activate (GtkWidget  *window,
          const char *action,
          GVariant   *param)
{
  g_assert_true (gtk_widget_activate_action_variant (window, action, param));
  derm_test_ui_await_frame (window);
}

static void
test_main_views_german (void)
{
  g_autoptr (DermApplication) app = derm_application_new ();
  g_autofree char *data_dir = derm_test_make_data_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = NULL;
  GtkWidget *window, *preferences;
  gint64 client_id;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  store = derm_store_open (data_dir, &error);
  g_assert_no_error (error);
  /* A client with a session and no screening: the page shows its warnings */
  client_id = derm_test_add_client (store, "Zoë Müller");
  derm_test_add_session (store, client_id, "2026-11-24");

  window = GTK_WIDGET (g_object_ref_sink (derm_window_new (app, store)));
  gtk_window_present (GTK_WINDOW (window));
  derm_test_ui_await (window_allocated, window, "the window to get its size");
  derm_test_ui_await (list_loaded, derm_window_get_client_list (DERM_WINDOW (window)), "the list to load");

  activate (window, "win.show-client", g_variant_new_int64 (client_id));
  assert_german (window, "client page");
  g_assert_true (derm_test_ui_screenshot (window, "client-page-de"));
  activate (window, "win.show-calendar", NULL);
  activate (window, "win.calendar-mode", g_variant_new_string ("week"));
  assert_german (window, "week calendar");
  g_assert_true (derm_test_ui_screenshot (window, "week-de"));
  activate (window, "win.calendar-mode", g_variant_new_string ("month"));
  assert_german (window, "month calendar");
  activate (window, "win.show-due", NULL);
  assert_german (window, "Due list");

  preferences = GTK_WIDGET (derm_preferences_window_new (store));
  derm_test_ui_await_unset (preferences, "loading");
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (preferences));
  derm_test_ui_await (window_allocated, preferences, "the preferences to get their size");
  assert_german (preferences, "preferences");
  g_assert_true (derm_test_ui_screenshot (preferences, "preferences-de"));
  gtk_window_destroy (GTK_WINDOW (preferences));

  derm_test_ui_await_tooltips ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  derm_test_ui_await_idle ();
  derm_test_remove_dir (data_dir);
}

/* An imaging error (English in the library) and a count, as the user gets them */
static void
test_messages_german (void)
{
  DermImage *image = NULL;
  DermError err = { 0 };
  g_autofree char *message = NULL;

  g_assert_cmpint (derm_image_load_file ("/nonexistent/photo.jpg", NULL, &image, &err), ==, DERM_STATUS_NOT_FOUND);
  g_assert_cmpstr (err.message, ==, "No such file: /nonexistent/photo.jpg");
  message = derm_imaging_error_message (&err);
  g_assert_cmpstr (message, ==, "Datei nicht gefunden: /nonexistent/photo.jpg");

  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u photo", "%u photos", 1), ==, "%u Foto");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u photo", "%u photos", 2), ==, "%u Fotos");
}

static void
test_german_window (void)
{
  g_autoptr (DermApplication) app = derm_application_new ();
  g_autofree char *data_dir = derm_test_make_data_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = NULL;
  DermWindow *window;

  /* The catalogue itself, then what the window shows */
  g_assert_cmpstr (_("Calendar"), ==, "Kalender");

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  store = derm_store_open (data_dir, &error);
  g_assert_no_error (error);

  window = g_object_ref_sink (derm_window_new (app, store));
  gtk_window_present (GTK_WINDOW (window));
  derm_test_ui_await (window_allocated, window, "the window to get its size");

  /* The view switcher's "Calendar" and "Clients", in German */
  g_assert_true (has_label (GTK_WIDGET (window), "Kalender"));
  g_assert_true (has_label (GTK_WIDGET (window), "Kundschaft"));
  g_assert_false (has_label (GTK_WIDGET (window), "Calendar"));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (window), "window-de"));

  derm_test_ui_await_tooltips ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  derm_test_ui_await_idle ();
  derm_test_remove_dir (data_dir);
}

int
main (int   argc,
      char *argv[])
{
  const char *locale_dir = g_getenv ("DERMIS_LOCALE_DIR");

  /* As a German desktop session starts it; bootstrap generates the locale */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LC_ALL", "de_DE.UTF-8", TRUE);
  g_assert_nonnull (setlocale (LC_ALL, ""));
  g_assert_nonnull (locale_dir);
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  english = g_regex_new ("\\b(the|and|of|to|is|are|no|not|add|new|with|from|session|sessions|client|clients|"
                         "photo|photos|today|week|month|due|booked|none|never|save|cancel|choose|show)\\b",
                         G_REGEX_CASELESS, 0, NULL);
  derm_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/l10n/german-window", test_german_window);
  g_test_add_func ("/ui/l10n/main-views", test_main_views_german);
  g_test_add_func ("/ui/l10n/messages", test_messages_german);
  return g_test_run ();
}

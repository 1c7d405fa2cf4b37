/* test-ui-l10n.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dermis in German: started under de_DE.UTF-8 with the translations built
 * in po/, the main window shows translated labels.
 */
#define G_LOG_DOMAIN "test-ui-l10n"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "derm-application.h"
#include "derm-client-list.h"
#include "derm-store.h"
#include "derm-window.h"
#include "test-ui-util.h"

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
  g_assert_true (has_label (GTK_WIDGET (window), "Kundinnen und Kunden"));
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

  derm_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/l10n/german-window", test_german_window);
  return g_test_run ();
}

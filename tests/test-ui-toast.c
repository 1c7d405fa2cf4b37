/* test-ui-toast.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libadwaita 1.2 cuts a toast's title to one line. Every message Dermis
 * shows in a toast is readable whole: one that fits is the title as it
 * is written (markup characters and all); a longer one, at the window's
 * width and text size, gets a Details button whose dialog holds all of
 * it, and a toast with a button of its own (Retry, Undo) keeps that
 * action in the dialog. The case the issue met: a CSV file that is not
 * UTF-8, imported into the main window.
 */
#define G_LOG_DOMAIN "test-ui-toast"

#include "config.h"

#include <adwaita.h>

#include "derm-application.h"
#include "derm-client-import-dialog.h"
#include "derm-store.h"
#include "derm-test-utils.h"
#include "derm-toast.h"
#include "derm-window.h"

#include "test-ui-util.h"

static DermApplication *app;

#define LONG_MESSAGE "clients.csv: Line 3 is not UTF-8 text. Save the file as “CSV UTF-8” and try again."

typedef struct
{
  GtkWidget *window;
  GtkWidget *overlay;
} Overlay;

static void
overlay_open (Overlay *o,
              int      width)
{
  o->window = gtk_window_new ();
  o->overlay = adw_toast_overlay_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (o->overlay), gtk_label_new ("Content"));
  gtk_window_set_child (GTK_WINDOW (o->window), o->overlay);
  gtk_window_set_default_size (GTK_WINDOW (o->window), width, 400);
  gtk_window_present (GTK_WINDOW (o->window));
  derm_test_ui_await_frame (o->window);
}

static void
overlay_close (Overlay *o)
{
  derm_test_ui_await_tooltips ();
  gtk_window_destroy (GTK_WINDOW (o->window));
  derm_test_ui_await_idle ();
}

/* The toast's title label as libadwaita lays it out */
static GtkWidget *
find_toast_widget (GtkWidget *widget)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget") && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toast_widget (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_child (GtkWidget *widget,
            GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_child (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
toast_shown (gpointer data)
{
  return find_toast_widget (data) != NULL;
}

/* The toast on screen: its title, whether libadwaita cut it, and its
 * button (NULL when none shows) */
static GtkWidget *
shown_toast (GtkWidget   *overlay,
             const char **title,
             gboolean    *cut,
             GtkWidget  **button)
{
  GtkWidget *toast;
  GtkWidget *label;

  derm_test_ui_await (toast_shown, overlay, "a toast to show");
  toast = find_toast_widget (overlay);
  derm_test_ui_await_frame (toast);
  /* The title is the first label; the buttons come after it */
  label = find_child (toast, GTK_TYPE_LABEL);
  g_assert_nonnull (label);
  *title = gtk_label_get_text (GTK_LABEL (label));
  *cut = pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label)));
  *button = NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (toast);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child) && gtk_widget_get_visible (child) && gtk_button_get_label (GTK_BUTTON (child)) != NULL &&
        *gtk_button_get_label (GTK_BUTTON (child)) != '\0')
      *button = child;
  return toast;
}

static gboolean
toast_gone (gpointer data)
{
  return find_toast_widget (data) == NULL;
}

static void
dismiss_all (GtkWidget *overlay)
{
  GtkWidget *toast;

  /* The close button: the last button of the toast */
  while ((toast = find_toast_widget (overlay)) != NULL)
    {
      GtkWidget *close = gtk_widget_get_last_child (toast);

      g_assert_true (GTK_IS_BUTTON (close));
      g_signal_emit_by_name (close, "clicked");
      derm_test_ui_await (toast_gone, overlay, "the toast to go");
    }
}

/* The message dialog a Details button opened: its heading and body put
 * together are the whole message */
static GtkWindow *
assert_details_dialog (const char *message)
{
  GtkWindow *dialog = derm_test_ui_await_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  const char *heading = adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog));
  const char *body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_autofree char *joined = g_strdup_printf ("%s: %s", heading, body);
  g_autofree char *sentence = g_strdup_printf ("%s. %s", heading, body);

  g_test_message ("Details: “%s” / “%s”", heading, body);
  g_assert_true (g_ascii_strcasecmp (joined, message) == 0 || g_ascii_strcasecmp (sentence, message) == 0 ||
                 g_str_equal (body, message));
  return dialog;
}

static void
test_short_fits_long_gets_details (void)
{
  static const struct { int width; int dpi; } screens[] = {
    { 1366, 96 * 1024 }, { 480, 96 * 1024 }, { 1366, 96 * 1024 * 3 / 2 },
  };
  GtkSettings *settings = gtk_settings_get_default ();
  int dpi = 0;

  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (screens); i++)
    {
      Overlay o;
      const char *title;
      gboolean cut;
      GtkWidget *button;
      GtkWindow *dialog;

      g_object_set (settings, "gtk-xft-dpi", screens[i].dpi, NULL);
      overlay_open (&o, screens[i].width);

      /* Short, with markup characters: shown as written, no button */
      derm_toast_show (o.overlay, "Saved <b> & done");
      shown_toast (o.overlay, &title, &cut, &button);
      g_assert_cmpstr (title, ==, "Saved <b> & done");
      g_assert_false (cut);
      g_assert_null (button);
      dismiss_all (o.overlay);

      /* As long as the window: whatever libadwaita shows of it, all of it
       * is a click away */
      derm_toast_show (o.overlay, LONG_MESSAGE " " LONG_MESSAGE " " LONG_MESSAGE);
      shown_toast (o.overlay, &title, &cut, &button);
      g_assert_nonnull (button);
      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Details");
      g_signal_emit_by_name (button, "clicked");
      dialog = assert_details_dialog (LONG_MESSAGE " " LONG_MESSAGE " " LONG_MESSAGE);
      gtk_window_destroy (dialog);
      dismiss_all (o.overlay);

      /* The CSV error: whole in the title where it fits, else Details */
      derm_toast_show (o.overlay, LONG_MESSAGE);
      shown_toast (o.overlay, &title, &cut, &button);
      g_test_message ("%d px at %d dpi: %s", screens[i].width, screens[i].dpi / 1024,
                      button != NULL ? "Details" : "whole");
      if (button == NULL)
        {
          g_assert_cmpstr (title, ==, LONG_MESSAGE);
          g_assert_false (cut);
        }
      else
        {
          g_signal_emit_by_name (button, "clicked");
          gtk_window_destroy (assert_details_dialog (LONG_MESSAGE));
        }
      /* A 480 px window has no room for it */
      if (screens[i].width == 480)
        g_assert_nonnull (button);
      dismiss_all (o.overlay);
      overlay_close (&o);
    }
  g_object_set (settings, "gtk-xft-dpi", dpi, NULL);
}

static void
count_click (AdwToast *toast,
             guint    *clicks)
{
  (*clicks)++;
}

/* Retry and Undo stay on the toast when the message fits beside them,
 * else they are offered in the dialog */
static void
test_own_button_kept (void)
{
  static const int widths[] = { 1366, 480 };

  for (gsize i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      Overlay o;
      const char *title;
      gboolean cut;
      GtkWidget *button;
      guint clicks = 0;
      const char *message = "The client database is busy: another Dermis window or dermis-cli is writing to it. "
                            "Nothing was saved; try again in a moment.";

      overlay_open (&o, widths[i]);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (o.overlay),
                                   derm_toast_new_with_button (o.overlay, message, "_Retry",
                                                               g_cclosure_new (G_CALLBACK (count_click), &clicks, NULL)));
      shown_toast (o.overlay, &title, &cut, &button);
      g_assert_nonnull (button);
      if (widths[i] == 1366)
        {
          g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Retry");
          g_assert_false (cut);
          g_signal_emit_by_name (button, "clicked");
        }
      else
        {
          GtkWindow *dialog;

          g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Details");
          g_signal_emit_by_name (button, "clicked");
          dialog = assert_details_dialog (message);
          g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "action"));
          g_assert_cmpstr (adw_message_dialog_get_response_label (ADW_MESSAGE_DIALOG (dialog), "action"), ==, "_Retry");
          g_assert_cmpuint (clicks, ==, 0);
          g_assert_true (derm_test_ui_answer_question ("action", DERM_TEST_UI_TIMEOUT_MS));
        }
      derm_test_ui_await_idle ();
      g_assert_cmpuint (clicks, ==, 1);
      dismiss_all (o.overlay);
      overlay_close (&o);
    }
}

static gboolean
dialog_gone (gpointer data)
{
  return derm_test_ui_find_question () == NULL;
}

/* The case of the issue: a CSV file in Latin-1 imported into a 480 px
 * main window */
static void
test_csv_error_readable (void)
{
  DermTestStore store;
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  DermWindow *window;
  GtkWidget *overlay;
  const char *title;
  gboolean cut;
  GtkWidget *button;
  GtkWindow *dialog;

  derm_test_store_set_up (&store, "ui-toast");
  path = g_build_filename (store.files_dir, "clients.csv", NULL);
  /* "Zoë" in Latin-1 */
  g_assert_true (g_file_set_contents (path, "name,phone\nAnna,0612\nZo\xeb,0613\n", -1, &error));
  g_assert_no_error (error);
  file = g_file_new_for_path (path);

  window = g_object_ref_sink (derm_window_new (app, store.store));
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 700);
  gtk_window_present (GTK_WINDOW (window));
  derm_test_ui_await_frame (GTK_WIDGET (window));
  /* The first-run assistant may open over it: not this test's business */
  derm_client_import_dialog_open_file (GTK_WINDOW (window), store.store, file);

  overlay = find_child (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY);
  g_assert_nonnull (overlay);
  shown_toast (overlay, &title, &cut, &button);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Details");
  g_signal_emit_by_name (button, "clicked");
  dialog = derm_test_ui_await_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "clients.csv");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "not UTF-8"));
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "toast-details-csv"));
  g_assert_true (derm_test_ui_answer_question ("close", DERM_TEST_UI_TIMEOUT_MS));
  derm_test_ui_await (dialog_gone, NULL, "the dialog to close");

  derm_test_ui_await_tooltips ();
  {
    g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (l->data != (gpointer) window)
        gtk_window_destroy (l->data);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  derm_test_ui_await_idle ();
  derm_test_store_tear_down (&store);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  derm_test_ui_init (&argc, &argv);

  app = derm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/toast/short-fits-long-gets-details", test_short_fits_long_gets_details);
  g_test_add_func ("/ui/toast/own-button-kept", test_own_button_kept);
  g_test_add_func ("/ui/toast/csv-error-readable", test_csv_error_readable);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}

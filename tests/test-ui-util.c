/* test-ui-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-ui-util"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "test-ui-util.h"

void
derm_test_ui_init (int    *argc,
                   char ***argv)
{
  const char *dir;

  g_test_init (argc, argv, NULL);

  gtk_init ();
  adw_init ();

  /* Transitions end at once: state is final as soon as an action
   * returns, screenshots never catch a half-slid page, and libadwaita
   * 1.2's leaflet slide animation (not our code) leaks render nodes
   * under LeakSanitizer. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  dir = g_getenv ("DERMIS_SCREENSHOT_DIR");
  if (dir != NULL && *dir != '\0')
    g_mkdir_with_parents (dir, 0755);
}

static gboolean
on_timeout (gpointer data)
{
  gboolean *done = data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

void
derm_test_ui_wait (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
derm_test_ui_wait_until (gboolean (*cond) (gpointer),
                         gpointer   data,
                         guint      timeout_ms)
{
  gint64 deadline;

  g_return_val_if_fail (cond != NULL, FALSE);

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () >= deadline)
        return cond (data);

      /* Non-blocking iterations with a short sleep, so the deadline is
       * checked even when no source is ready. */
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }

  return TRUE;
}

static gboolean
widget_allocated (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

gboolean
derm_test_ui_screenshot (GtkWidget  *widget,
                         const char *name)
{
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GdkPaintable) paintable = NULL;
  GskRenderer *renderer;
  GtkNative *native;
  const char *dir;
  int width;
  int height;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  /* Let pending layout and drawing happen first; a window just
   * presented on a busy machine may take a while to get its size. */
  derm_test_ui_wait_until (widget_allocated, widget, 5000);
  derm_test_ui_wait (100);

  native = gtk_widget_get_native (widget);
  if (native == NULL)
    return FALSE;
  renderer = gtk_native_get_renderer (native);
  if (renderer == NULL)
    return FALSE;

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  if (width <= 0 || height <= 0)
    return FALSE;

  /* GtkWidgetPaintable is the public way to run a widget's own
   * snapshot() into a GtkSnapshot. */
  paintable = gtk_widget_paintable_new (widget);

  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return FALSE;

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (texture == NULL)
    return FALSE;

  dir = g_getenv ("DERMIS_SCREENSHOT_DIR");
  if (dir == NULL || *dir == '\0')
    dir = ".";
  g_mkdir_with_parents (dir, 0755);

  filename = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, filename, NULL);

  if (!gdk_texture_save_to_png (texture, path))
    return FALSE;

  g_test_message ("Screenshot saved to %s", path);
  return TRUE;
}

GtkWindow *
derm_test_ui_find_question (void)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

static gboolean
question_shown (gpointer data)
{
  return derm_test_ui_find_question () != NULL;
}

gboolean
derm_test_ui_answer_question (const char *response,
                              guint       timeout_ms)
{
  GtkWindow *question;

  if (!derm_test_ui_wait_until (question_shown, NULL, timeout_ms))
    return FALSE;

  question = derm_test_ui_find_question ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (question), response);
  gtk_window_close (question);
  return TRUE;
}

char *
derm_test_make_data_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *path;

  path = g_dir_make_tmp ("dermis-test-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);

  return path;
}

void
derm_test_remove_dir (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  g_return_if_fail (path != NULL);

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    {
      g_remove (path);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
          !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        derm_test_remove_dir (child);
      else
        g_remove (child);
    }

  g_clear_pointer (&dir, g_dir_close);
  g_rmdir (path);
}

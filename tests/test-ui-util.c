/* test-ui-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-ui-util"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "derm-test-utils.h"
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

#if defined(GDK_WINDOWING_X11) && defined(HAVE_X11_LIB)
  /* The pointer rests in the screen's far corner, off every test window:
   * no hover highlight in screenshots, and no tooltip timer started on a
   * window the test is about to destroy (GTK 4.8 then queries the dead
   * surface when the timer fires, a critical) */
  {
    GdkDisplay *display = gdk_display_get_default ();

    if (GDK_IS_X11_DISPLAY (display))
      {
        Display *xdisplay = gdk_x11_display_get_xdisplay (display);
        Window root = DefaultRootWindow (xdisplay);
        XWindowAttributes attributes;

        XGetWindowAttributes (xdisplay, root, &attributes);
        XWarpPointer (xdisplay, None, root, 0, 0, 0, 0, attributes.width - 1, attributes.height - 1);
        XFlush (xdisplay);
      }
  }
#endif

  dir = g_getenv ("DERMIS_SCREENSHOT_DIR");
  if (dir != NULL && *dir != '\0')
    g_mkdir_with_parents (dir, 0755);
}

static gboolean
on_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
derm_test_ui_wait_until (gboolean (*cond) (gpointer),
                         gpointer   data,
                         guint      timeout_ms)
{
  gint64 deadline;
  guint tick;

  g_return_val_if_fail (cond != NULL, FALSE);

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  /* Wakes the loop every few milliseconds, so that a condition set off the
   * main context (a worker's flag) and the deadline are both seen */
  tick = g_timeout_add (5, on_tick, NULL);

  while (!cond (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  return cond (data);
}

void
derm_test_ui_await (gboolean   (*cond) (gpointer),
                    gpointer     data,
                    const char  *what)
{
  if (!derm_test_ui_wait_until (cond, data, DERM_TEST_UI_TIMEOUT_MS))
    g_error ("Timed out after %u ms waiting for %s", DERM_TEST_UI_TIMEOUT_MS, what);
}

/* GTK 4.8 keeps the display as the data of its tooltip timers; one still
 * pending when its popover or window goes away queries the dead surface
 * when it fires (a critical), so a test lets them run out first */
static gboolean
no_tooltip_timer (gpointer data)
{
  return g_main_context_find_source_by_user_data (NULL, gdk_display_get_default ()) == NULL;
}

void
derm_test_ui_await_idle (void)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) DERM_TEST_UI_TIMEOUT_MS * 1000;

  /* Until nothing is ready to dispatch: events, idles, due timeouts */
  while (g_main_context_iteration (NULL, FALSE))
    if (g_get_monotonic_time () >= deadline)
      g_error ("The main loop did not settle within %u ms", DERM_TEST_UI_TIMEOUT_MS);
}

void
derm_test_ui_await_tooltips (void)
{
  derm_test_ui_await (no_tooltip_timer, NULL, "GTK's tooltip timer to run out");
  derm_test_ui_await_idle ();
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  gboolean *painted = data;

  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
widget_allocated (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

void
derm_test_ui_await_frame (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong handler;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  derm_test_ui_await (is_mapped, widget, "the widget to be shown");
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (widget);
  derm_test_ui_await (is_true, &painted, "a frame to be painted");
  g_signal_handler_disconnect (clock, handler);
  /* A window just presented on a busy machine may take a while to get its size */
  derm_test_ui_await (widget_allocated, widget, "the widget to get its size");
  derm_test_ui_await_idle ();
}

static gboolean
is_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

void
derm_test_ui_await_mapped (GtkWidget *widget,
                           gboolean   mapped)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  derm_test_ui_await (mapped ? is_mapped : is_unmapped, widget,
                      mapped ? "a widget to be shown" : "a widget to be hidden");
}

static gboolean
is_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

typedef struct
{
  GObject    *object;
  const char *property;
} PropertyWait;

static gboolean
property_unset (gpointer data)
{
  PropertyWait *wait = data;
  gboolean value = TRUE;

  g_object_get (wait->object, wait->property, &value, NULL);
  return !value;
}

void
derm_test_ui_await_unset (gpointer    object,
                          const char *property)
{
  PropertyWait wait = { G_OBJECT (object), property };
  g_autofree char *what = g_strdup_printf ("%s's \"%s\" to be FALSE", G_OBJECT_TYPE_NAME (object), property);

  derm_test_ui_await (property_unset, &wait, what);
}

void
derm_test_ui_await_visible (GtkWidget *widget)
{
  derm_test_ui_await (is_visible, widget, "a widget to become visible");
}

typedef struct
{
  GType      type;
  GtkWindow *found;
} ToplevelSearch;

static gboolean
toplevel_shown (gpointer data)
{
  ToplevelSearch *search = data;
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, search->type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          search->found = window;
          return TRUE;
        }
    }
  return FALSE;
}

GtkWindow *
derm_test_ui_await_toplevel (GType type)
{
  ToplevelSearch search = { type, NULL };
  g_autofree char *what = g_strdup_printf ("a %s window to be shown", g_type_name (type));

  derm_test_ui_await (toplevel_shown, &search, what);
  return search.found;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
derm_test_ui_await_finalized (gpointer *weak_pointer)
{
  derm_test_ui_await (pointer_cleared, weak_pointer, "an object to be finalized");
}

static GskRenderNode *
snapshot_children (GtkWidget *widget,
                   int        width,
                   int        height,
                   gboolean   strict)
{
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  const GdkRGBA background = { 0.98f, 0.98f, 0.98f, 1.0f };

  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autoptr (GdkPaintable) paintable = NULL;
      graphene_rect_t bounds;

      if (!gtk_widget_get_mapped (child) || !gtk_widget_compute_bounds (child, widget, &bounds))
        continue;
      g_autoptr (GtkSnapshot) child_snapshot = gtk_snapshot_new ();
      g_autoptr (GskRenderNode) child_node = NULL;

      paintable = gtk_widget_paintable_new (child);
      gdk_paintable_snapshot (paintable, child_snapshot, bounds.size.width, bounds.size.height);
      child_node = gtk_snapshot_free_to_node (g_steal_pointer (&child_snapshot));
      /* A child not drawn since it changed: the picture would miss it.
       * Past a few frames, it is a child that draws nothing. */
      if (child_node == NULL && strict)
        return NULL;
      if (child_node == NULL)
        continue;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &bounds.origin);
      gtk_snapshot_append_node (snapshot, child_node);
      gtk_snapshot_restore (snapshot);
    }
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
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

  /* Pending layout and drawing first */
  derm_test_ui_await_frame (widget);

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
   * snapshot() into a GtkSnapshot. GTK 4.18's shows the render node the
   * widget last drew, and a window keeps none of its own: the window is
   * put together from its children's nodes, over its background. A widget
   * resized since its last frame has no node until the next one. */
  for (int attempt = 0; attempt < 10 && node == NULL; attempt++)
    {
      if (attempt > 0)
        derm_test_ui_await_frame (widget);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      g_clear_object (&paintable);
      paintable = gtk_widget_paintable_new (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        node = snapshot_children (widget, width, height, attempt < 5);
    }
  if (node == NULL)
    return FALSE;

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (texture == NULL)
    return FALSE;

  /* Outside meson test (a test binary run by hand) nothing is written
   * into the current folder: the rendering alone is checked */
  dir = g_getenv ("DERMIS_SCREENSHOT_DIR");
  if (dir == NULL || *dir == '\0')
    return TRUE;
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
  return derm_test_make_tmp_dir ("test");
}

void
derm_test_remove_dir (const char *path)
{
  derm_test_remove_tree (path);
}

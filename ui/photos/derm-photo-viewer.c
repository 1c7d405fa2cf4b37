/* derm-photo-viewer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The full-resolution decode runs in a worker thread; until it is done
 * the cached thumbnail stands in, so the window opens at once. Zoom is
 * the picture's size request inside a GtkScrolledWindow: "fit" lets the
 * picture fill the window (GtkPicture scales it to the space, up or
 * down), any other zoom asks for width x zoom. In fit mode the label
 * follows the viewport: its adjustments change whenever it is laid out.
 */
#define G_LOG_DOMAIN "derm-photo-viewer"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "derm-compare-window.h"
#include "derm-photo-decode.h"
#include "derm-photo-viewer.h"
#include "derm-photo.h"
#include "derm-store-photos.h"
#include "derm-store.h"
#include "derm-store-wait.h"
#include "derm-treatment.h"

#define ZOOM_MIN 0.05
#define ZOOM_MAX 8.0

struct _DermPhotoViewer
{
  AdwWindow          parent_instance;

  DermPhotoLibrary  *library;
  DermPhoto         *photo;
  GCancellable      *cancellable;
  GArray            *session_ids;   /* gint64, parallel to the session row's model */
  double             zoom;          /* 0: fit */
  double             gesture_start_zoom;
  double             drag_start_x, drag_start_y;
  gboolean           loaded;
  gboolean           updating;
  guint              fit_label_idle;
  /* Filing, removing and restoring run on the store's worker */
  DermStoreWait     *wait;
  guint              n_saving;

  AdwToastOverlay   *toast_overlay;
  AdwWindowTitle    *window_title;
  GtkLabel          *zoom_label;
  GtkWidget         *remove_button;
  GtkWidget         *restore_button;
  GtkWidget         *spinner;
  GtkScrolledWindow *scroller;
  GtkPicture        *picture;
  AdwComboRow       *session_row;
  AdwComboRow       *view_row;
  AdwEntryRow       *area_row;
  AdwActionRow      *captured_row;
  AdwActionRow      *camera_row;
  AdwActionRow      *size_row;
};

G_DEFINE_FINAL_TYPE (DermPhotoViewer, derm_photo_viewer, ADW_TYPE_WINDOW)

enum {
  PHOTO_CHANGED,
  PHOTO_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- zoom -------------------------------------------------------------- */

static double
effective_zoom (DermPhotoViewer *self)
{
  int width = derm_photo_get_width (self->photo);
  int height = derm_photo_get_height (self->photo);
  int view_width = gtk_widget_get_width (GTK_WIDGET (self->scroller));
  int view_height = gtk_widget_get_height (GTK_WIDGET (self->scroller));

  if (self->zoom > 0)
    return self->zoom;
  if (width <= 0 || height <= 0 || view_width <= 0 || view_height <= 0)
    return 1.0;
  return MIN ((double) view_width / width, (double) view_height / height);
}

static void
update_zoom_label (DermPhotoViewer *self)
{
  g_autofree char *text = NULL;

  /* Before the first layout there is no fit scale to give */
  if (self->zoom == 0 && gtk_widget_get_width (GTK_WIDGET (self->scroller)) <= 0)
    text = g_strdup ("");
  else
    text = g_strdup_printf ("%.0f %%", effective_zoom (self) * 100);
  /* A label queues a resize even when given its own text again */
  if (g_strcmp0 (gtk_label_get_label (self->zoom_label), text) != 0)
    gtk_label_set_label (self->zoom_label, text);
}

static gboolean
update_fit_label_idle (gpointer data)
{
  DermPhotoViewer *self = data;

  self->fit_label_idle = 0;
  if (self->zoom == 0)
    update_zoom_label (self);
  return G_SOURCE_REMOVE;
}

/* The viewport configures its adjustments whenever it is laid out. The
 * label waits until the frame is done: a resize queued during layout
 * would leave the header bar without an allocation. */
static void
on_viewport_changed (DermPhotoViewer *self)
{
  if (self->zoom == 0 && self->fit_label_idle == 0)
    self->fit_label_idle = g_idle_add (update_fit_label_idle, self);
}

void
derm_photo_viewer_set_zoom (DermPhotoViewer *self,
                            double           zoom)
{
  GtkAdjustment *h, *v;
  double old = effective_zoom (self);
  double fx = 0.5, fy = 0.5;

  g_return_if_fail (DERM_IS_PHOTO_VIEWER (self));

  /* Keep the centre of the view where it was */
  h = gtk_scrolled_window_get_hadjustment (self->scroller);
  v = gtk_scrolled_window_get_vadjustment (self->scroller);
  if (gtk_adjustment_get_upper (h) > 0)
    fx = (gtk_adjustment_get_value (h) + gtk_adjustment_get_page_size (h) / 2) / gtk_adjustment_get_upper (h);
  if (gtk_adjustment_get_upper (v) > 0)
    fy = (gtk_adjustment_get_value (v) + gtk_adjustment_get_page_size (v) / 2) / gtk_adjustment_get_upper (v);

  self->zoom = zoom <= 0 ? 0 : CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  if (self->zoom == 0)
    {
      gtk_widget_set_size_request (GTK_WIDGET (self->picture), -1, -1);
      gtk_scrolled_window_set_policy (self->scroller, GTK_POLICY_NEVER, GTK_POLICY_NEVER);
    }
  else
    {
      int width = (int) (derm_photo_get_width (self->photo) * self->zoom);
      int height = (int) (derm_photo_get_height (self->photo) * self->zoom);

      gtk_scrolled_window_set_policy (self->scroller, GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
      gtk_widget_set_size_request (GTK_WIDGET (self->picture), width, height);
      /* After the next layout the adjustments know the new size */
      gtk_adjustment_set_upper (h, MAX (width, gtk_adjustment_get_page_size (h)));
      gtk_adjustment_set_upper (v, MAX (height, gtk_adjustment_get_page_size (v)));
      gtk_adjustment_set_value (h, fx * width - gtk_adjustment_get_page_size (h) / 2);
      gtk_adjustment_set_value (v, fy * height - gtk_adjustment_get_page_size (v) / 2);
    }
  if (old != effective_zoom (self) || zoom <= 0)
    update_zoom_label (self);
}

double
derm_photo_viewer_get_zoom (DermPhotoViewer *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_VIEWER (self), 0);
  return self->zoom;
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  derm_photo_viewer_set_zoom (DERM_PHOTO_VIEWER (widget), 0);
}

static void
zoom_100_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  derm_photo_viewer_set_zoom (DERM_PHOTO_VIEWER (widget), 1.0);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           DermPhotoViewer          *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(state & GDK_CONTROL_MASK))
    return FALSE;
  derm_photo_viewer_set_zoom (self, effective_zoom (self) * pow (1.1, -dy));
  return TRUE;
}

static void
on_zoom_begin (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               DermPhotoViewer  *self)
{
  self->gesture_start_zoom = effective_zoom (self);
}

static void
on_zoom_scale_changed (GtkGestureZoom  *gesture,
                       double           scale,
                       DermPhotoViewer *self)
{
  derm_photo_viewer_set_zoom (self, self->gesture_start_zoom * scale);
}

static void
on_drag_begin (GtkGestureDrag  *gesture,
               double           x,
               double           y,
               DermPhotoViewer *self)
{
  self->drag_start_x = gtk_adjustment_get_value (gtk_scrolled_window_get_hadjustment (self->scroller));
  self->drag_start_y = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller));
}

static void
on_drag_update (GtkGestureDrag  *gesture,
                double           offset_x,
                double           offset_y,
                DermPhotoViewer *self)
{
  gtk_adjustment_set_value (gtk_scrolled_window_get_hadjustment (self->scroller), self->drag_start_x - offset_x);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), self->drag_start_y - offset_y);
}

/* --- loading ----------------------------------------------------------- */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DermPhoto *photo = task_data;
  DermPhotoViewer *self = source_object;
  g_autofree char *path = derm_photo_library_get_original_path (self->library, derm_photo_get_sha256 (photo));
  GError *error = NULL;
  DermImage *image;
  g_autoptr (GBytes) bytes = NULL;
  guint8 *rgb;
  int width, height;

  image = derm_photo_decode_file (path, derm_photo_format_from_mime (derm_photo_get_mime_type (photo)),
                                  0, NULL, NULL, &error);
  if (image == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  width = derm_image_get_width (image);
  height = derm_image_get_height (image);
  rgb = g_malloc ((gsize) width * height * 3);
  derm_image_copy_rgb (image, rgb, (size_t) width * 3);
  derm_image_free (image);
  bytes = g_bytes_new_take (rgb, (gsize) width * height * 3);
  g_task_return_pointer (task,
                         gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, (gsize) width * 3),
                         g_object_unref);
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  DermPhotoViewer *self = DERM_PHOTO_VIEWER (object);
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_visible (self->spinner, FALSE);
  if (texture == NULL)
    {
      adw_window_title_set_subtitle (self->window_title, error->message);
      return;
    }
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  self->loaded = TRUE;
  update_zoom_label (self);
}

static void
show_thumbnail (DermPhotoViewer *self)
{
  DermThumbnailer *thumbnailer = derm_photo_library_get_thumbnailer (self->library);
  g_autofree char *path = derm_thumbnailer_get_path (thumbnailer, derm_photo_get_sha256 (self->photo),
                                                     DERM_THUMBNAIL_SIZE);
  g_autoptr (GdkTexture) texture = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    texture = gdk_texture_new_from_filename (path, NULL);
  if (texture != NULL)
    gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

/* --- filing ------------------------------------------------------------ */

static gboolean
update_photo_call (DermStore  *store,
                   gpointer    data,
                   gpointer   *result,
                   GError    **error)
{
  *result = GINT_TO_POINTER (TRUE);
  return derm_store_update_photo (store, data, error);
}

static void
photo_saved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (DermPhotoViewer) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean ok = derm_store_call_finish (DERM_STORE (source), result, update_photo_call, &error) != NULL;

  /* Later saves carry the whole photo: only the last one's answer counts */
  if (--self->n_saving > 0)
    return;
  if (!ok)
    {
      derm_store_wait_failed (self->wait, error);
      return;
    }
  derm_store_wait_end (self->wait);
  if (self->photo != NULL)
    g_signal_emit (self, signals[PHOTO_CHANGED], 0, self->photo);
}

/* Files the photo as the form shows it, on the store's worker; Retry
 * (when another program held the database) saves it again */
static void
save_photo (DermPhotoViewer *self)
{
  if (self->n_saving++ == 0)
    {
      derm_store_wait_set_retry_action (self->wait, "viewer.save");
      derm_store_wait_begin (self->wait);
    }
  derm_store_call_async (derm_photo_library_get_store (self->library), update_photo_call, update_photo_call,
                         derm_photo_copy (self->photo), g_object_unref, NULL,
                         NULL, photo_saved, g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save_photo (DERM_PHOTO_VIEWER (widget));
}

static void
on_session_selected (DermPhotoViewer *self)
{
  guint selected = adw_combo_row_get_selected (self->session_row);

  if (self->updating || selected >= self->session_ids->len)
    return;
  derm_photo_set_treatment_id (self->photo, g_array_index (self->session_ids, gint64, selected));
  save_photo (self);
}

static void update_compare_action (DermPhotoViewer *self);

static void
on_view_selected (DermPhotoViewer *self)
{
  guint selected = adw_combo_row_get_selected (self->view_row);

  if (self->updating || selected >= DERM_N_PHOTO_VIEWS)
    return;
  derm_photo_set_view (self->photo, (DermPhotoView) selected);
  save_photo (self);
  update_compare_action (self);
}

static void
on_area_apply (DermPhotoViewer *self)
{
  derm_photo_set_area (self->photo, gtk_editable_get_text (GTK_EDITABLE (self->area_row)));
  save_photo (self);
}

/* Compare with…: this photo and the one furthest from it in time among
 * the client's photos of the same view (the comparison's strip swaps
 * either); the earlier photo is the before photo */
static gboolean
find_compare_pair (DermPhotoViewer  *self,
                   DermPhoto       **before,
                   DermPhoto       **after)
{
  g_autoptr (GPtrArray) photos = NULL;
  DermPhoto *first, *last;

  if (derm_photo_get_removed_at (self->photo) != NULL)
    return FALSE;
  photos = derm_comparison_list_same_view (self->library, derm_photo_get_client_id (self->photo),
                                           derm_photo_get_view (self->photo), NULL);
  if (photos == NULL || photos->len < 2)
    return FALSE;
  first = g_ptr_array_index (photos, 0);
  last = g_ptr_array_index (photos, photos->len - 1);
  if (derm_photo_get_id (first) == derm_photo_get_id (self->photo))
    {
      *before = g_object_ref (first);
      *after = g_object_ref (last);
    }
  else
    {
      *before = g_object_ref (first);
      *after = g_object_ref (self->photo);
    }
  return TRUE;
}

static void
update_compare_action (DermPhotoViewer *self)
{
  g_autoptr (DermPhoto) before = NULL;
  g_autoptr (DermPhoto) after = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.compare", find_compare_pair (self, &before, &after));
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DermPhotoViewer *self = DERM_PHOTO_VIEWER (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autoptr (DermPhoto) before = NULL;
  g_autoptr (DermPhoto) after = NULL;

  if (!find_compare_pair (self, &before, &after))
    return;
  derm_compare_window_open (parent != NULL ? parent : GTK_WINDOW (self), self->library, before, after);
}

static void
update_removed_state (DermPhotoViewer *self)
{
  gboolean removed = derm_photo_get_removed_at (self->photo) != NULL;

  gtk_widget_set_visible (self->remove_button, !removed);
  gtk_widget_set_visible (self->restore_button, removed);
  update_compare_action (self);
}

typedef struct
{
  DermPhotoLibrary *library;
  DermPhoto        *photo;     /* the worker's copy */
  gboolean          remove;
} RemoveCall;

static void
remove_call_free (gpointer data)
{
  RemoveCall *call = data;

  g_clear_object (&call->library);
  g_clear_object (&call->photo);
  g_free (call);
}

/* On the store's worker: moves the copy to, or back from, Recently
 * removed; the result is the copy with its new removal time */
static gboolean
remove_photo_call (DermStore  *store,
                   gpointer    data,
                   gpointer   *result,
                   GError    **error)
{
  RemoveCall *call = data;
  gboolean ok;

  if (call->remove)
    ok = derm_photo_library_remove (call->library, call->photo, error);
  else
    ok = derm_photo_library_restore (call->library, call->photo, error);
  if (ok)
    *result = g_object_ref (call->photo);
  return ok;
}

static void
photo_removed (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (DermPhotoViewer) self = user_data;
  g_autoptr (DermPhoto) stored = NULL;
  g_autoptr (GError) error = NULL;

  stored = derm_store_call_finish (DERM_STORE (source), result, remove_photo_call, &error);
  if (stored == NULL)
    {
      derm_store_wait_failed (self->wait, error);
      return;
    }
  derm_store_wait_end (self->wait);
  if (self->photo == NULL)
    return;

  /* Applied here, on the main thread, to the photo the gallery shows */
  derm_photo_set_removed_at (self->photo, derm_photo_get_removed_at (stored));
  if (derm_photo_get_removed_at (stored) != NULL)
    {
      g_autoptr (DermPhoto) photo = g_object_ref (self->photo);

      g_signal_emit (self, signals[PHOTO_REMOVED], 0, photo);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  update_removed_state (self);
  g_signal_emit (self, signals[PHOTO_CHANGED], 0, self->photo);
}

static void
remove_or_restore (DermPhotoViewer *self,
                   gboolean         remove)
{
  RemoveCall *call;

  if (!derm_store_wait_begin (self->wait))
    return;
  derm_store_wait_set_retry_action (self->wait, remove ? "viewer.remove" : "viewer.restore");
  call = g_new0 (RemoveCall, 1);
  call->library = g_object_ref (self->library);
  call->photo = derm_photo_copy (self->photo);
  call->remove = remove;
  derm_store_call_async (derm_photo_library_get_store (self->library), remove_photo_call, remove_photo_call,
                         call, remove_call_free, g_object_unref, NULL, photo_removed, g_object_ref (self));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  remove_or_restore (DERM_PHOTO_VIEWER (widget), TRUE);
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  remove_or_restore (DERM_PHOTO_VIEWER (widget), FALSE);
}

static gboolean
list_sessions_call (DermStore  *store,
                    gpointer    data,
                    gpointer   *result,
                    GError    **error)
{
  return (*result = derm_store_list_treatments (store, *(gint64 *) data, error)) != NULL;
}

static void
sessions_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (DermPhotoViewer) self = user_data;
  g_autoptr (GtkStringList) sessions = NULL;
  g_autoptr (GPtrArray) treatments = NULL;
  g_autoptr (GError) error = NULL;
  guint selected = 0;
  gint64 none = 0;

  treatments = derm_store_call_finish (DERM_STORE (source), result, list_sessions_call, &error);
  if (self->photo == NULL)
    return;
  if (treatments == NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->session_row), error->message);
      return;
    }

  sessions = gtk_string_list_new (NULL);
  g_array_set_size (self->session_ids, 0);
  gtk_string_list_append (sessions, _("No session"));
  g_array_append_val (self->session_ids, none);
  for (guint i = 0; i < treatments->len; i++)
    {
      DermTreatment *t = g_ptr_array_index (treatments, i);
      gint64 id = derm_treatment_get_id (t);

      gtk_string_list_append (sessions, derm_treatment_get_date (t));
      g_array_append_val (self->session_ids, id);
      if (id == derm_photo_get_treatment_id (self->photo))
        selected = i + 1;
    }
  self->updating = TRUE;
  adw_combo_row_set_model (self->session_row, G_LIST_MODEL (sessions));
  adw_combo_row_set_selected (self->session_row, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->session_row), TRUE);
  self->updating = FALSE;
}

static void
fill_details (DermPhotoViewer *self)
{
  g_autoptr (GtkStringList) views = gtk_string_list_new (NULL);
  g_autofree char *camera = derm_photo_dup_camera (self->photo);
  g_autofree char *size = NULL;
  const char *captured = derm_photo_get_captured_at (self->photo);
  gint64 client_id = derm_photo_get_client_id (self->photo);

  self->updating = TRUE;
  adw_window_title_set_title (self->window_title, derm_photo_get_original_name (self->photo));

  /* The client's sessions are read on the store's worker; the row waits */
  g_array_set_size (self->session_ids, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->session_row), FALSE);
  derm_store_call_async (derm_photo_library_get_store (self->library), list_sessions_call, list_sessions_call,
                         g_memdup2 (&client_id, sizeof client_id), g_free, (GDestroyNotify) g_ptr_array_unref,
                         NULL, sessions_listed, g_object_ref (self));

  for (guint i = 0; i < DERM_N_PHOTO_VIEWS; i++)
    gtk_string_list_append (views, derm_photo_view_to_label ((DermPhotoView) i));
  adw_combo_row_set_model (self->view_row, G_LIST_MODEL (views));
  adw_combo_row_set_selected (self->view_row, derm_photo_get_view (self->photo));

  gtk_editable_set_text (GTK_EDITABLE (self->area_row),
                         derm_photo_get_area (self->photo) ? derm_photo_get_area (self->photo) : "");

  adw_action_row_set_subtitle (self->captured_row, captured ? captured : _("Unknown"));
  adw_action_row_set_subtitle (self->camera_row, camera ? camera : _("Unknown"));
  size = g_strdup_printf ("%d × %d", derm_photo_get_width (self->photo), derm_photo_get_height (self->photo));
  adw_action_row_set_subtitle (self->size_row, size);
  update_removed_state (self);
  self->updating = FALSE;
}

/* --- object ------------------------------------------------------------ */

static void
derm_photo_viewer_dispose (GObject *object)
{
  DermPhotoViewer *self = DERM_PHOTO_VIEWER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->wait != NULL)
    derm_store_wait_detach (self->wait);
  g_clear_object (&self->wait);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->library);
  g_clear_object (&self->photo);
  g_clear_pointer (&self->session_ids, g_array_unref);
  g_clear_handle_id (&self->fit_label_idle, g_source_remove);

  G_OBJECT_CLASS (derm_photo_viewer_parent_class)->dispose (object);
}

static void
derm_photo_viewer_class_init (DermPhotoViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_photo_viewer_dispose;

  signals[PHOTO_CHANGED] = g_signal_new ("photo-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, DERM_TYPE_PHOTO);
  signals[PHOTO_REMOVED] = g_signal_new ("photo-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, DERM_TYPE_PHOTO);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-photo-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, window_title);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, remove_button);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, restore_button);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, spinner);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, scroller);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, picture);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, session_row);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, view_row);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, area_row);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, captured_row);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, camera_row);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoViewer, size_row);
  gtk_widget_class_bind_template_callback (widget_class, on_area_apply);

  gtk_widget_class_install_action (widget_class, "viewer.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-100", NULL, zoom_100_action);
  gtk_widget_class_install_action (widget_class, "viewer.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "viewer.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "viewer.restore", NULL, restore_action);
  gtk_widget_class_install_action (widget_class, "viewer.compare", NULL, compare_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "viewer.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "viewer.zoom-100", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
derm_photo_viewer_init (DermPhotoViewer *self)
{
  GtkEventController *scroll;
  GtkGesture *zoom, *drag;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->wait = derm_store_wait_new (GTK_WIDGET (self), self->toast_overlay, NULL);
  self->session_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), scroll);

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), GTK_EVENT_CONTROLLER (zoom));

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect_object (gtk_scrolled_window_get_hadjustment (self->scroller), "changed",
                           G_CALLBACK (on_viewport_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "changed",
                           G_CALLBACK (on_viewport_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->session_row, "notify::selected", G_CALLBACK (on_session_selected), self);
  g_signal_connect_swapped (self->view_row, "notify::selected", G_CALLBACK (on_view_selected), self);
}

GtkWidget *
derm_photo_viewer_new (DermPhotoLibrary *library,
                       DermPhoto        *photo)
{
  DermPhotoViewer *self;
  g_autoptr (GTask) task = NULL;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);
  g_return_val_if_fail (DERM_IS_PHOTO (photo), NULL);

  self = g_object_new (DERM_TYPE_PHOTO_VIEWER, NULL);
  self->library = g_object_ref (library);
  self->photo = g_object_ref (photo);
  self->cancellable = g_cancellable_new ();
  fill_details (self);
  show_thumbnail (self);
  derm_photo_viewer_set_zoom (self, 0);

  task = g_task_new (self, self->cancellable, on_loaded, NULL);
  g_task_set_task_data (task, g_object_ref (photo), g_object_unref);
  g_task_run_in_thread (task, load_thread);
  return GTK_WIDGET (self);
}

DermPhoto *
derm_photo_viewer_get_photo (DermPhotoViewer *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_VIEWER (self), NULL);
  return self->photo;
}

gboolean
derm_photo_viewer_get_loaded (DermPhotoViewer *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_VIEWER (self), FALSE);
  return self->loaded;
}

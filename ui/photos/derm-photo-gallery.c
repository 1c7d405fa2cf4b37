/* derm-photo-gallery.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's GridView has no sections, so each session is a section of a
 * vertical box that follows the model of sessions: a heading, then a
 * GtkFlowBox bound to that session's photos (a GtkFilterListModel over a
 * GListStore, sharing one view filter); a session's tiles always start on
 * a new line. The gallery does not scroll by itself (the client page
 * around it does), so every tile is laid out anyway: a list view would
 * recycle nothing, and one in a scrolled window that never scrolls is
 * measured too short under GTK 4.18, cutting off the last row. A new tile
 * shows a placeholder of the photo's shape at once and asks a worker
 * thread for its thumbnail (made from the original if the cache lacks it,
 * then decoded to a texture), so the grid never waits on a decode.
 */
#define G_LOG_DOMAIN "derm-photo-gallery"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-compare-window.h"
#include "derm-photo-gallery.h"
#include "derm-photo-import-dialog.h"
#include "derm-message-dialog.h"
#include "derm-photo-viewer.h"
#include "derm-store-wait.h"
#include "derm-photo.h"
#include "derm-store-photos.h"
#include "derm-store.h"
#include "derm-validate.h"
#include "derm-toast.h"

#define TILE_SIZE 150
/* Thinner than this and a panorama's tile would be a sliver */
#define TILE_MIN_SIDE 48
#define TEXTURE_CACHE_MAX 600
/* Dropdown positions after the views */
#define FILTER_ALL     0
#define FILTER_REMOVED (DERM_N_PHOTO_VIEWS + 1)

struct _DermPhotoGallery
{
  AdwBin            parent_instance;

  DermStore        *store;
  DermThumbnailer  *thumbnailer;
  DermPhotoLibrary *library;
  gint64            client_id;
  GPtrArray        *photos;          /* DermPhoto of the current list */
  gboolean          listing_removed; /* self->photos is Recently removed */
  GListStore       *sections;        /* GtkFilterListModel per session */
  GtkCustomFilter  *view_filter;     /* the dropdown's view, on photos */
  GtkCustomFilter  *nonempty_filter; /* hides sessions the view empties */
  GtkFilterListModel *visible_sections;
  GHashTable       *textures;        /* sha256 -> GdkTexture */
  GCancellable     *import_cancellable;
  GPtrArray        *orphans;         /* sha256 found without a row */
  guint             n_loading;
  DermPhoto        *compare_first;   /* Ctrl+clicked, waiting for a second */
  guint             reload_serial;   /* only the latest list asked for is shown */
  guint             n_reloading;     /* lists asked of the store's worker */
  DermStoreWait    *wait;            /* a write on the store's worker */
  DermPhoto        *undo_photo;      /* the photo Undo brings back */

  AdwToastOverlay  *toast_overlay;
  GtkDropDown      *view_dropdown;
  GtkLabel         *count_label;
  GtkWidget        *empty_button;
  GtkRevealer      *progress_revealer;
  GtkProgressBar   *progress_bar;
  GtkRevealer      *orphans_revealer;
  GtkLabel         *orphans_label;
  GtkStack         *stack;
  AdwStatusPage    *status_page;
  GtkBox           *section_box;     /* a section widget per visible session */
};

G_DEFINE_FINAL_TYPE (DermPhotoGallery, derm_photo_gallery, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_THUMBNAILER,
  PROP_N_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static guint photos_changed_signal;

static void
show_toast (DermPhotoGallery *self,
            const char       *text)
{
  derm_toast_show (GTK_WIDGET (self->toast_overlay), text);
}

static void
show_error (DermPhotoGallery *self,
            const GError     *error)
{
  show_toast (self, error->message);
}

/* --- the sections model ----------------------------------------------- */

static gboolean
passes_view_filter (gpointer item,
                    gpointer user_data)
{
  DermPhotoGallery *self = user_data;
  guint selected = gtk_drop_down_get_selected (self->view_dropdown);

  if (selected == FILTER_ALL || selected == FILTER_REMOVED || selected == GTK_INVALID_LIST_POSITION)
    return TRUE;
  return derm_photo_get_view (DERM_PHOTO (item)) == (DermPhotoView) (selected - 1);
}

static gboolean
section_not_empty (gpointer item,
                   gpointer user_data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (item)) > 0;
}

/* All photos of a section's session, whatever the view filter */
static GListModel *
section_photos (GListModel *section)
{
  return gtk_filter_list_model_get_model (GTK_FILTER_LIST_MODEL (section));
}

static gint64
section_session (GListModel *section)
{
  g_autoptr (DermPhoto) first = g_list_model_get_item (section_photos (section), 0);

  return first != NULL ? derm_photo_get_treatment_id (first) : -1;
}

static GListModel *
section_new (DermPhotoGallery *self,
             DermPhoto       **photos,
             guint             n_photos)
{
  GListStore *store = g_list_store_new (DERM_TYPE_PHOTO);

  g_list_store_splice (store, 0, 0, (gpointer *) photos, n_photos);
  return G_LIST_MODEL (gtk_filter_list_model_new (G_LIST_MODEL (store),
                                                  GTK_FILTER (g_object_ref (self->view_filter))));
}

static guint
count_shown (DermPhotoGallery *self)
{
  GListModel *visible = G_LIST_MODEL (self->visible_sections);
  guint shown = 0;

  for (guint i = 0; i < g_list_model_get_n_items (visible); i++)
    {
      g_autoptr (GListModel) section = g_list_model_get_item (visible, i);

      shown += g_list_model_get_n_items (section);
    }
  return shown;
}

static void
update_summary (DermPhotoGallery *self)
{
  guint shown = count_shown (self);
  gboolean removed = gtk_drop_down_get_selected (self->view_dropdown) == FILTER_REMOVED;
  g_autofree char *count = g_strdup_printf (ngettext ("%u photo", "%u photos", shown), shown);

  gtk_stack_set_visible_child_name (self->stack, shown > 0 ? "grid" : "empty");
  if (removed)
    {
      adw_status_page_set_title (self->status_page, _("Recently Removed Is Empty"));
      adw_status_page_set_description (self->status_page, _("Removed photos stay here until you empty the list."));
    }
  else if (self->photos != NULL && self->photos->len > 0)
    {
      adw_status_page_set_title (self->status_page, _("No Photos of This View"));
      adw_status_page_set_description (self->status_page, _("Choose another view, or file photos under this one in the viewer."));
    }
  else
    {
      adw_status_page_set_title (self->status_page, _("No Photos"));
      adw_status_page_set_description (self->status_page, _("Add photos from the session, or drop them here."));
    }
  gtk_widget_set_visible (self->empty_button, removed && shown > 0);
  gtk_label_set_label (self->count_label, count);
}

/* Groups self->photos (in session order) into sections. A section whose
 * session is still at the same place keeps its model, and only its
 * photos are replaced, so the list keeps its scroll position when one
 * photo is refiled or removed. */
static void
sync_sections (DermPhotoGallery *self)
{
  GListModel *sections = G_LIST_MODEL (self->sections);
  guint n_old = g_list_model_get_n_items (sections);
  guint n_groups = 0;
  guint i = 0;

  while (self->photos != NULL && i < self->photos->len)
    {
      DermPhoto **group = (DermPhoto **) self->photos->pdata + i;
      gint64 session = derm_photo_get_treatment_id (group[0]);
      guint n = 0;
      g_autoptr (GListModel) old = NULL;

      while (i + n < self->photos->len && derm_photo_get_treatment_id (group[n]) == session)
        n++;
      i += n;

      if (n_groups < n_old)
        old = g_list_model_get_item (sections, n_groups);
      if (old != NULL && section_session (old) == session)
        {
          GListStore *store = G_LIST_STORE (section_photos (old));

          g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                               (gpointer *) group, n);
        }
      else
        {
          g_autoptr (GListModel) section = section_new (self, group, n);

          g_list_store_splice (self->sections, n_groups, old != NULL ? 1 : 0, (gpointer *) &section, 1);
        }
      n_groups++;
    }
  if (n_old > n_groups)
    g_list_store_splice (self->sections, n_groups, n_old - n_groups, NULL, 0);

  gtk_filter_changed (GTK_FILTER (self->nonempty_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_summary (self);
}

typedef struct
{
  gint64            client_id;
  DermPhotoListKind kind;
} ListCall;

static gboolean
list_photos_call (DermStore  *store,
                  gpointer    data,
                  gpointer   *result,
                  GError    **error)
{
  ListCall *call = data;

  return (*result = derm_store_list_photos (store, call->client_id, call->kind, error)) != NULL;
}

typedef struct
{
  DermPhotoGallery *self;
  guint             serial;
  gboolean          removed;
} ListContext;

static void
photos_listed (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ListContext *ctx = user_data;
  g_autoptr (DermPhotoGallery) self = ctx->self;
  g_autoptr (GPtrArray) photos = NULL;
  g_autoptr (GError) error = NULL;
  gboolean latest = ctx->serial == self->reload_serial;
  gboolean removed = ctx->removed;

  g_free (ctx);
  photos = derm_store_call_finish (DERM_STORE (source), result, list_photos_call, &error);
  self->n_reloading--;
  /* A later reload (another client, another list) supersedes this one */
  if (!latest || self->sections == NULL)
    return;
  if (photos == NULL)
    show_error (self, error);
  g_clear_pointer (&self->photos, g_ptr_array_unref);
  self->photos = g_steal_pointer (&photos);
  self->listing_removed = removed;
  sync_sections (self);
  g_signal_emit (self, photos_changed_signal, 0);
}

void
derm_photo_gallery_reload (DermPhotoGallery *self)
{
  gboolean removed;
  ListCall *call;
  ListContext *ctx;

  g_return_if_fail (DERM_IS_PHOTO_GALLERY (self));

  removed = gtk_drop_down_get_selected (self->view_dropdown) == FILTER_REMOVED;
  self->reload_serial++;
  if (self->client_id <= 0)
    {
      g_clear_pointer (&self->photos, g_ptr_array_unref);
      self->listing_removed = removed;
      sync_sections (self);
      g_signal_emit (self, photos_changed_signal, 0);
      return;
    }

  /* The list is read on the store's worker; the one shown stays until
   * the new one is here */
  call = g_new (ListCall, 1);
  call->client_id = self->client_id;
  call->kind = removed ? DERM_PHOTO_LIST_REMOVED : DERM_PHOTO_LIST_ACTIVE;
  ctx = g_new (ListContext, 1);
  ctx->self = g_object_ref (self);
  ctx->serial = self->reload_serial;
  ctx->removed = removed;
  self->n_reloading++;
  derm_store_call_async (self->store, list_photos_call, list_photos_call, call, g_free,
                         (GDestroyNotify) g_ptr_array_unref, NULL, photos_listed, ctx);
}

gboolean
derm_photo_gallery_get_reloading (DermPhotoGallery *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_GALLERY (self), FALSE);

  return self->n_reloading > 0;
}

static void
on_filter_changed (DermPhotoGallery *self)
{
  /* Between views the photos are already here; Recently removed is
   * another list */
  if ((gtk_drop_down_get_selected (self->view_dropdown) == FILTER_REMOVED) != self->listing_removed)
    {
      derm_photo_gallery_reload (self);
      return;
    }
  gtk_filter_changed (GTK_FILTER (self->view_filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (self->nonempty_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_summary (self);
}

/* --- tiles ------------------------------------------------------------- */

typedef struct
{
  char       *sha256;
  char       *original;
  char       *mime_type;
  GWeakRef    picture;   /* the tile's, gone if the tile was dropped */
} ThumbRequest;

static void
thumb_request_free (gpointer data)
{
  ThumbRequest *request = data;

  g_free (request->sha256);
  g_free (request->original);
  g_free (request->mime_type);
  g_weak_ref_clear (&request->picture);
  g_free (request);
}

static void
thumb_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  DermThumbnailer *thumbnailer = source_object;
  ThumbRequest *request = task_data;
  GError *error = NULL;
  g_autofree char *path = NULL;
  GdkTexture *texture;

  if (g_task_return_error_if_cancelled (task))
    return;
  path = derm_thumbnailer_ensure (thumbnailer, request->sha256, request->original,
                                  request->mime_type, DERM_THUMBNAIL_SIZE, &error);
  if (path == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  texture = gdk_texture_new_from_filename (path, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
set_n_loading (DermPhotoGallery *self,
               guint             n)
{
  if (self->n_loading == n)
    return;
  self->n_loading = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_LOADING]);
}

static void
on_thumb_ready (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (DermPhotoGallery) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);
  ThumbRequest *request = g_task_get_task_data (G_TASK (result));
  g_autoptr (GtkWidget) picture = g_weak_ref_get (&request->picture);

  set_n_loading (self, self->n_loading - 1);
  /* The gallery may have been disposed while the worker ran */
  if (self->textures == NULL)
    return;
  if (texture == NULL)
    {
      if (picture != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_widget_set_tooltip_text (picture, error->message);
      return;
    }

  if (g_hash_table_size (self->textures) >= TEXTURE_CACHE_MAX)
    g_hash_table_remove_all (self->textures);
  g_hash_table_insert (self->textures, g_strdup (request->sha256), g_object_ref (texture));
  if (picture != NULL)
    gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
}

static void
cancel_and_unref (gpointer data)
{
  g_cancellable_cancel (data);
  g_object_unref (data);
}

/* The tile's photo fitted in a TILE_SIZE square, so the placeholder has
 * the photo's shape and nothing moves when the thumbnail arrives */
static void
tile_size (DermPhoto *photo,
           int       *width,
           int       *height)
{
  int w = derm_photo_get_width (photo);
  int h = derm_photo_get_height (photo);

  *width = *height = TILE_SIZE;
  if (w <= 0 || h <= 0)
    return;
  if (w >= h)
    *height = MAX (TILE_MIN_SIDE, (int) ((gint64) TILE_SIZE * h / w));
  else
    *width = MAX (TILE_MIN_SIDE, (int) ((gint64) TILE_SIZE * w / h));
}

/* The flow box child around a tile: named for screen readers (GTK 4.8
 * does not read the tooltip), and opened with Return, space or keypad
 * Enter as a click opens it; the flow box's own keys need a cursor that
 * focus moved in by Tab does not set. */
static GtkWidget *
wrap_tile (GtkWidget *tile,
           DermPhoto *photo)
{
  static const guint keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter, GDK_KEY_space };
  GtkWidget *child = gtk_flow_box_child_new ();
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  g_autofree char *name = NULL;

  /* Translators: a photo tile for screen readers: the view (Front,
   * Left 45°...), then the photo's file name */
  name = g_strdup_printf (_("%s photo, %s"), derm_photo_view_to_label (derm_photo_get_view (photo)),
                          derm_photo_get_original_name (photo));
  gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i], 0),
                                                            gtk_signal_action_new ("activate")));
  gtk_widget_add_controller (child, shortcuts);
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), tile);
  return child;
}

static GtkWidget *
create_tile (gpointer item,
             gpointer user_data)
{
  DermPhotoGallery *self = user_data;
  DermPhoto *photo = DERM_PHOTO (item);
  GtkWidget *tile = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *child = wrap_tile (tile, photo);
  GtkWidget *frame = gtk_overlay_new ();
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *placeholder = gtk_image_new_from_icon_name ("image-x-generic-symbolic");
  GtkWidget *caption = gtk_label_new (derm_photo_view_to_label (derm_photo_get_view (photo)));
  GdkTexture *texture;
  g_autoptr (GTask) task = NULL;
  g_autoptr (GCancellable) cancellable = NULL;
  ThumbRequest *request;
  int width, height;

  g_object_set_data_full (G_OBJECT (tile), "photo", g_object_ref (photo), g_object_unref);
  gtk_widget_set_tooltip_text (tile, derm_photo_get_original_name (photo));

  /* Cells are as tall as a row's tallest photo; the others sit on its
   * bottom, so captions line up whatever the photos' shapes */
  tile_size (photo, &width, &height);
  gtk_widget_set_size_request (frame, width, height);
  gtk_widget_set_halign (frame, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (frame, GTK_ALIGN_END);
  gtk_widget_set_vexpand (frame, TRUE);
  gtk_widget_add_css_class (frame, "card");
  gtk_widget_set_overflow (frame, GTK_OVERFLOW_HIDDEN);
  gtk_image_set_pixel_size (GTK_IMAGE (placeholder), 32);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_overlay_set_child (GTK_OVERLAY (frame), placeholder);
  gtk_overlay_add_overlay (GTK_OVERLAY (frame), picture);

  gtk_label_set_ellipsize (GTK_LABEL (caption), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (caption), 1);
  gtk_widget_set_size_request (caption, TILE_SIZE, -1);
  gtk_widget_add_css_class (caption, "caption");

  gtk_box_append (GTK_BOX (tile), frame);
  gtk_box_append (GTK_BOX (tile), caption);

  texture = g_hash_table_lookup (self->textures, derm_photo_get_sha256 (photo));
  if (texture != NULL)
    {
      gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
      return child;
    }

  request = g_new0 (ThumbRequest, 1);
  request->sha256 = g_strdup (derm_photo_get_sha256 (photo));
  request->original = derm_photo_library_get_original_path (self->library, request->sha256);
  request->mime_type = g_strdup (derm_photo_get_mime_type (photo));
  g_weak_ref_init (&request->picture, picture);

  /* A tile dropped before its thumbnail is ready cancels the request */
  cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (tile), "cancellable", g_object_ref (cancellable), cancel_and_unref);
  task = g_task_new (self->thumbnailer, cancellable, on_thumb_ready, g_object_ref (self));
  g_task_set_source_tag (task, create_tile);
  g_task_set_task_data (task, request, thumb_request_free);
  set_n_loading (self, self->n_loading + 1);
  g_task_run_in_thread (task, thumb_thread);
  return child;
}

static void
on_tile_activated (GtkFlowBox       *flow_box,
                   GtkFlowBoxChild  *child,
                   DermPhotoGallery *self)
{
  DermPhoto *photo = g_object_get_data (G_OBJECT (gtk_flow_box_child_get_child (child)), "photo");
  GdkDevice *keyboard = gdk_seat_get_keyboard (gdk_display_get_default_seat (gtk_widget_get_display (GTK_WIDGET (self))));

  if (photo == NULL)
    return;
  /* Ctrl+click picks two photos to compare */
  if (keyboard != NULL && (gdk_device_get_modifier_state (keyboard) & GDK_CONTROL_MASK) != 0)
    derm_photo_gallery_pick_for_comparison (self, photo);
  else
    derm_photo_gallery_open_photo (self, photo);
}

/* --- session rows -------------------------------------------------------- */

static char *
format_session (DermPhoto *first)
{
  const char *date = first != NULL ? derm_photo_get_session_date (first) : NULL;
  g_autofree char *day = NULL;

  if (date == NULL)
    return g_strdup (_("No session"));
  day = derm_date_format_display (date, TRUE);
  if (day == NULL)
    day = g_strdup (date);
  /* TRANSLATORS: a heading over the photos of one session */
  return g_strdup_printf (_("Session of %s"), day);
}

static void
update_heading (GtkWidget  *row,
                GListModel *section)
{
  GtkLabel *title = g_object_get_data (G_OBJECT (row), "title");
  GtkLabel *count = g_object_get_data (G_OBJECT (row), "count");
  g_autoptr (DermPhoto) first = g_list_model_get_item (section, 0);
  guint n = g_list_model_get_n_items (section);
  g_autofree char *title_text = format_session (first);
  g_autofree char *count_text = g_strdup_printf (ngettext ("%u photo", "%u photos", n), n);

  gtk_label_set_label (title, title_text);
  gtk_label_set_label (count, count_text);
}

static void
on_section_items_changed (GListModel *section,
                          guint       position,
                          guint       removed,
                          guint       added,
                          GtkWidget  *row)
{
  update_heading (row, section);
}

/* A session's heading and its tiles, bound to the session's photos */
static GtkWidget *
section_new_widget (DermPhotoGallery *self,
                    GListModel       *section)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *count = gtk_label_new (NULL);
  GtkWidget *flow_box = gtk_flow_box_new ();

  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 12);
  gtk_widget_set_margin_start (row, 6);
  gtk_widget_set_margin_end (row, 6);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_set_valign (title, GTK_ALIGN_BASELINE);
  gtk_widget_add_css_class (title, "title-4");
  gtk_label_set_xalign (GTK_LABEL (count), 0);
  gtk_widget_set_hexpand (count, TRUE);
  gtk_widget_set_valign (count, GTK_ALIGN_BASELINE);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_box_append (GTK_BOX (heading), title);
  gtk_box_append (GTK_BOX (heading), count);

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow_box), GTK_SELECTION_NONE);
  gtk_flow_box_set_activate_on_single_click (GTK_FLOW_BOX (flow_box), TRUE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow_box), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow_box), 2);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow_box), 12);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow_box), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow_box), 12);
  gtk_widget_set_valign (flow_box, GTK_ALIGN_START);
  g_signal_connect (flow_box, "child-activated", G_CALLBACK (on_tile_activated), self);

  gtk_box_append (GTK_BOX (row), heading);
  gtk_box_append (GTK_BOX (row), flow_box);
  g_object_set_data (G_OBJECT (row), "title", title);
  g_object_set_data (G_OBJECT (row), "count", count);
  g_object_set_data (G_OBJECT (row), "flow-box", flow_box);
  g_object_set_data_full (G_OBJECT (row), "section", g_object_ref (section), g_object_unref);

  update_heading (row, section);
  g_signal_connect_object (section, "items-changed", G_CALLBACK (on_section_items_changed), row, 0);
  gtk_flow_box_bind_model (GTK_FLOW_BOX (flow_box), section, create_tile, self, NULL);
  return row;
}

static void
section_remove_widget (DermPhotoGallery *self,
                       GtkWidget        *row)
{
  GListModel *section = g_object_get_data (G_OBJECT (row), "section");

  g_signal_handlers_disconnect_by_func (section, on_section_items_changed, row);
  /* Drops the tiles, which cancels the thumbnails they still wait for */
  gtk_flow_box_bind_model (g_object_get_data (G_OBJECT (row), "flow-box"), NULL, NULL, NULL, NULL);
  gtk_box_remove (self->section_box, row);
}

/* The box follows the visible sessions as a list view would */
static void
on_visible_sections_changed (GListModel       *visible,
                             guint             position,
                             guint             removed,
                             guint             added,
                             DermPhotoGallery *self)
{
  GtkWidget *before = NULL;
  GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->section_box));

  for (guint i = 0; i < position && row != NULL; i++)
    {
      before = row;
      row = gtk_widget_get_next_sibling (row);
    }
  for (guint i = 0; i < removed && row != NULL; i++)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (row);

      section_remove_widget (self, row);
      row = next;
    }
  for (guint i = 0; i < added; i++)
    {
      g_autoptr (GListModel) section = g_list_model_get_item (visible, position + i);
      GtkWidget *widget = section_new_widget (self, section);

      gtk_box_insert_child_after (self->section_box, widget, before);
      before = widget;
    }
}

/* --- viewer ------------------------------------------------------------ */

typedef struct
{
  DermPhotoLibrary *library;
  DermPhoto        *photo;      /* the worker's copy */
  gint64            client_id;
  GPtrArray        *orphans;    /* sha256 */
  gboolean          adopt;
} GalleryWrite;

static void
gallery_write_free (gpointer data)
{
  GalleryWrite *w = data;

  g_clear_object (&w->library);
  g_clear_object (&w->photo);
  g_clear_pointer (&w->orphans, g_ptr_array_unref);
  g_free (w);
}

static GalleryWrite *
gallery_write_new (DermPhotoGallery *self)
{
  GalleryWrite *w = g_new0 (GalleryWrite, 1);

  w->library = g_object_ref (self->library);
  w->client_id = self->client_id;
  return w;
}

/* A write is done: the list is read again whether it worked or not (a
 * part of it may have) */
static void
gallery_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (DermPhotoGallery) self = user_data;
  g_autoptr (GError) error = NULL;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  if (derm_store_call_finish (DERM_STORE (source), result, tag, &error) == NULL)
    derm_store_wait_failed (self->wait, error);
  else
    derm_store_wait_end (self->wait);
  if (self->sections != NULL)
    derm_photo_gallery_reload (self);
}

static gboolean
restore_photo_call (DermStore  *store,
                    gpointer    data,
                    gpointer   *result,
                    GError    **error)
{
  GalleryWrite *w = data;

  *result = GINT_TO_POINTER (TRUE);
  return derm_photo_library_restore (w->library, w->photo, error);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DermPhotoGallery *self = DERM_PHOTO_GALLERY (widget);
  GalleryWrite *w;

  if (self->undo_photo == NULL || !derm_store_wait_begin (self->wait))
    return;
  derm_store_wait_set_retry_action (self->wait, "gallery.undo-remove");
  w = gallery_write_new (self);
  w->photo = derm_photo_copy (self->undo_photo);
  derm_store_call_async (self->store, restore_photo_call, restore_photo_call, w, gallery_write_free, NULL,
                         NULL, gallery_written, g_object_ref (self));
}

static void
on_undo_remove (AdwToast *toast,
                gpointer  user_data)
{
  DermPhotoGallery *self = g_object_get_data (G_OBJECT (toast), "gallery");
  DermPhoto *photo = user_data;

  g_set_object (&self->undo_photo, photo);
  gtk_widget_activate_action (GTK_WIDGET (self), "gallery.undo-remove", NULL);
}

static void
on_photo_removed (DermPhotoGallery *self,
                  DermPhoto        *photo)
{
  AdwToast *toast = adw_toast_new (_("Photo moved to Recently removed"));

  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data (G_OBJECT (toast), "gallery", self);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_remove),
                         g_object_ref (photo), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  derm_photo_gallery_reload (self);
}

GtkWidget *
derm_photo_gallery_open_photo (DermPhotoGallery *self,
                               DermPhoto        *photo)
{
  GtkWidget *viewer;
  GtkRoot *root;

  g_return_val_if_fail (DERM_IS_PHOTO_GALLERY (self), NULL);
  g_return_val_if_fail (DERM_IS_PHOTO (photo), NULL);

  viewer = derm_photo_viewer_new (self->library, photo);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (viewer), GTK_WINDOW (root));
  g_signal_connect_object (viewer, "photo-changed", G_CALLBACK (derm_photo_gallery_reload),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewer, "photo-removed", G_CALLBACK (on_photo_removed),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (viewer));
  return viewer;
}

/* The earlier of two photos by session date, else capture, else import */
static const char *
photo_date (DermPhoto *photo)
{
  const char *date = derm_photo_get_session_date (photo);

  if (date == NULL)
    date = derm_photo_get_captured_at (photo);
  return date != NULL ? date : derm_photo_get_imported_at (photo);
}

GtkWidget *
derm_photo_gallery_pick_for_comparison (DermPhotoGallery *self,
                                        DermPhoto        *photo)
{
  g_autoptr (DermPhoto) first = NULL;
  GtkRoot *root;
  gboolean first_is_before;
  int order;

  g_return_val_if_fail (DERM_IS_PHOTO_GALLERY (self), NULL);
  g_return_val_if_fail (DERM_IS_PHOTO (photo), NULL);

  if (self->compare_first == NULL || derm_photo_get_id (self->compare_first) == derm_photo_get_id (photo))
    {
      g_set_object (&self->compare_first, photo);
      show_toast (self, _("Ctrl+click a second photo to compare the two"));
      return NULL;
    }
  first = g_steal_pointer (&self->compare_first);
  order = g_strcmp0 (photo_date (first), photo_date (photo));
  /* Same day (or same import second): the one imported first is the before */
  if (order == 0)
    order = derm_photo_get_id (first) < derm_photo_get_id (photo) ? -1 : 1;
  first_is_before = order < 0;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  return derm_compare_window_open (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->library,
                                   first_is_before ? first : photo, first_is_before ? photo : first);
}

/* --- import ------------------------------------------------------------ */

static void
update_progress (DermPhotoGallery *self)
{
  guint done, total;
  g_autofree char *text = NULL;

  g_object_get (self->library, "n-done", &done, "n-total", &total, NULL);
  gtk_progress_bar_set_fraction (self->progress_bar, derm_photo_library_get_progress (self->library));
  text = total > 0 ? g_strdup_printf (_("Importing %u of %u"), MIN (done + 1, total), total)
                   : g_strdup (_("Looking for photos…"));
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_revealer_set_reveal_child (self->progress_revealer, derm_photo_library_get_importing (self->library));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.cancel-import",
                                 derm_photo_library_get_importing (self->library));
}

static void
show_failures (DermPhotoGallery      *self,
               DermPhotoImportReport *report)
{
  g_autoptr (GString) body = g_string_new (NULL);
  GtkWidget *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  for (guint i = 0; i < report->failures->len; i++)
    {
      DermPhotoImportFailure *failure = g_ptr_array_index (report->failures, i);

      g_string_append_printf (body, "%s%s: %s", i ? "\n" : "", failure->name, failure->error->message);
    }
  dialog = derm_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   ngettext ("%u File Was Not Imported", "%u Files Were Not Imported",
                                             report->failures->len),
                                   NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog),
                                     ngettext ("%u File Was Not Imported", "%u Files Were Not Imported",
                                               report->failures->len),
                                     report->failures->len);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_import_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (DermPhotoGallery) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPhotoImportReport) report = NULL;
  g_autofree char *text = NULL;

  report = derm_photo_library_import_finish (DERM_PHOTO_LIBRARY (object), result, &error);
  /* The gallery may have been disposed while the import ran */
  if (self->library == NULL)
    return;
  g_clear_object (&self->import_cancellable);
  update_progress (self);
  if (report == NULL)
    {
      show_error (self, error);
      return;
    }

  derm_photo_gallery_reload (self);
  if (report->cancelled)
    text = g_strdup_printf (ngettext ("Import cancelled; %u photo was added", "Import cancelled; %u photos were added",
                                      report->imported->len), report->imported->len);
  else
    text = g_strdup_printf (ngettext ("%u photo added", "%u photos added", report->imported->len),
                            report->imported->len);
  show_toast (self, text);
  if (report->failures->len > 0)
    show_failures (self, report);
}

/* FALSE, with the reason told, while another import runs */
static gboolean
can_import (DermPhotoGallery *self)
{
  if (derm_photo_library_get_importing (self->library))
    {
      show_toast (self, _("Photos are already being imported. Wait for that import to finish."));
      return FALSE;
    }
  return TRUE;
}

void
derm_photo_gallery_import (DermPhotoGallery  *self,
                           GFile            **files,
                           guint              n_files)
{
  g_return_if_fail (DERM_IS_PHOTO_GALLERY (self));

  if (self->client_id <= 0 || n_files == 0 || !can_import (self))
    return;
  self->import_cancellable = g_cancellable_new ();
  derm_photo_library_import_async (self->library, self->client_id, files, n_files, NULL,
                                   self->import_cancellable, on_import_done, g_object_ref (self));
  update_progress (self);
}

static void
on_import_chosen (DermPhotoImportDialog *dialog,
                  GPtrArray             *items,
                  DermPhotoGallery      *self)
{
  if (self->client_id <= 0 || !can_import (self))
    return;
  self->import_cancellable = g_cancellable_new ();
  derm_photo_library_import_items_async (self->library, self->client_id, items,
                                         self->import_cancellable, on_import_done, g_object_ref (self));
  update_progress (self);
}

GtkWidget *
derm_photo_gallery_choose_import (DermPhotoGallery  *self,
                                  GFile            **files,
                                  guint              n_files)
{
  GtkRoot *root;
  DermPhotoImportDialog *dialog;

  g_return_val_if_fail (DERM_IS_PHOTO_GALLERY (self), NULL);

  if (self->client_id <= 0 || n_files == 0 || !can_import (self))
    return NULL;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = derm_photo_import_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->library,
                                         self->client_id, files, n_files);
  g_signal_connect_object (dialog, "import", G_CALLBACK (on_import_chosen), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}

static void
on_chooser_response (GtkNativeDialog *native,
                     int              response,
                     gpointer         user_data)
{
  DermPhotoGallery *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));
      g_autoptr (GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
      derm_photo_gallery_choose_import (self, (GFile **) array->pdata, array->len);
    }
  g_object_unref (native);
}

static void
open_chooser (DermPhotoGallery     *self,
              GtkFileChooserAction  action)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *native;
  GtkFileFilter *filter;

  native = gtk_file_chooser_native_new (action == GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                        ? _("Add a Folder of Photos") : _("Add Photos"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        action, _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);
  if (action == GTK_FILE_CHOOSER_ACTION_OPEN)
    {
      filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _("Photos (JPEG, PNG, TIFF, HEIC)"));
      gtk_file_filter_add_mime_type (filter, "image/jpeg");
      gtk_file_filter_add_mime_type (filter, "image/png");
      gtk_file_filter_add_mime_type (filter, "image/tiff");
      gtk_file_filter_add_mime_type (filter, "image/heic");
      gtk_file_filter_add_mime_type (filter, "image/heif");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
      g_object_unref (filter);
    }
  g_signal_connect (native, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
import_files_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  open_chooser (DERM_PHOTO_GALLERY (widget), GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
import_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  open_chooser (DERM_PHOTO_GALLERY (widget), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DermPhotoGallery *self = DERM_PHOTO_GALLERY (widget);

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
}

static gboolean
on_drop (GtkDropTarget    *target,
         const GValue     *value,
         double            x,
         double            y,
         DermPhotoGallery *self)
{
  GSList *list = g_value_get_boxed (value);
  g_autoptr (GPtrArray) files = g_ptr_array_new ();

  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  derm_photo_gallery_choose_import (self, (GFile **) files->pdata, files->len);
  return files->len > 0 && self->client_id > 0;
}

/* --- recently removed -------------------------------------------------- */

static gboolean
empty_removed_call (DermStore  *store,
                    gpointer    data,
                    gpointer   *result,
                    GError    **error)
{
  GalleryWrite *w = data;

  *result = GINT_TO_POINTER (TRUE);
  return derm_photo_library_empty_removed (w->library, w->client_id, NULL, error);
}

static void
on_empty_response (AdwMessageDialog *dialog,
                   const char       *response,
                   DermPhotoGallery *self)
{
  if (g_strcmp0 (response, "empty") != 0 || !derm_store_wait_begin (self->wait))
    return;
  /* Retry asks again: erasing is for good */
  derm_store_wait_set_retry_action (self->wait, "gallery.empty-removed");
  derm_store_call_async (self->store, empty_removed_call, empty_removed_call,
                         gallery_write_new (self), gallery_write_free, NULL,
                         NULL, gallery_written, g_object_ref (self));
}

static void
empty_removed_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DermPhotoGallery *self = DERM_PHOTO_GALLERY (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  dialog = derm_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Erase Removed Photos?"),
                                   _("The photos in Recently removed will be erased from this computer. This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "empty", _("_Erase"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "empty",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_empty_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- orphans ----------------------------------------------------------- */

static void
update_orphans (DermPhotoGallery *self)
{
  guint n = self->orphans ? self->orphans->len : 0;
  g_autofree char *text = NULL;

  text = g_strdup_printf (ngettext ("%u stored photo has no record (an import was interrupted). Add it to this client or delete it.",
                                    "%u stored photos have no record (an import was interrupted). Add them to this client or delete them.",
                                    n), n);
  gtk_label_set_label (self->orphans_label, text);
  gtk_revealer_set_reveal_child (self->orphans_revealer, n > 0 && self->client_id > 0);
}

static void
recover_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  DermPhotoLibrary *library = task_data;
  GError *error = NULL;
  GPtrArray *orphans = derm_photo_library_recover (library, NULL, &error);

  if (orphans == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, orphans, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_recovered (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  DermPhotoGallery *self = DERM_PHOTO_GALLERY (object);
  g_autoptr (GError) error = NULL;
  GPtrArray *orphans = g_task_propagate_pointer (G_TASK (result), &error);

  if (orphans == NULL)
    {
      g_warning ("Photo recovery: %s", error->message);
      return;
    }
  /* The gallery may have been disposed while recovery ran */
  if (self->library == NULL)
    {
      g_ptr_array_unref (orphans);
      return;
    }
  g_clear_pointer (&self->orphans, g_ptr_array_unref);
  self->orphans = orphans;
  update_orphans (self);
}

/* Adopts (into the client) or deletes every orphan; the first failure
 * stops and is reported, what was done stays done */
static gboolean
handle_orphans_call (DermStore  *store,
                     gpointer    data,
                     gpointer   *result,
                     GError    **error)
{
  GalleryWrite *w = data;

  for (guint i = 0; i < w->orphans->len; i++)
    {
      const char *sha256 = g_ptr_array_index (w->orphans, i);

      if (w->adopt)
        {
          g_autoptr (DermPhoto) photo = derm_photo_library_adopt_orphan (w->library, sha256, w->client_id, NULL, error);

          if (photo == NULL)
            return FALSE;
        }
      else if (!derm_photo_library_delete_orphan (w->library, sha256, error))
        return FALSE;
    }
  *result = GINT_TO_POINTER (TRUE);
  return TRUE;
}

static void
orphans_handled (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (DermPhotoGallery) self = user_data;
  g_autoptr (GTask) task = NULL;

  gallery_written (source, result, g_object_ref (self));
  if (self->library == NULL)
    return;
  /* What is left unhandled is offered again */
  task = g_task_new (self, NULL, on_recovered, NULL);
  g_task_set_task_data (task, g_object_ref (self->library), g_object_unref);
  g_task_run_in_thread (task, recover_thread);
}

static void
handle_orphans (DermPhotoGallery *self,
                gboolean          adopt)
{
  GalleryWrite *w;

  if (self->orphans == NULL || self->orphans->len == 0 || !derm_store_wait_begin (self->wait))
    return;
  derm_store_wait_set_retry_action (self->wait, adopt ? "gallery.adopt-orphans" : "gallery.delete-orphans");
  w = gallery_write_new (self);
  w->adopt = adopt;
  w->orphans = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->orphans->len; i++)
    g_ptr_array_add (w->orphans, g_strdup (g_ptr_array_index (self->orphans, i)));
  g_clear_pointer (&self->orphans, g_ptr_array_unref);
  update_orphans (self);
  derm_store_call_async (self->store, handle_orphans_call, handle_orphans_call, w, gallery_write_free, NULL,
                         NULL, orphans_handled, g_object_ref (self));
}

static void
adopt_orphans_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  handle_orphans (DERM_PHOTO_GALLERY (widget), TRUE);
}

static void
delete_orphans_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  handle_orphans (DERM_PHOTO_GALLERY (widget), FALSE);
}

/* --- object ------------------------------------------------------------ */

static void
derm_photo_gallery_constructed (GObject *object)
{
  DermPhotoGallery *self = DERM_PHOTO_GALLERY (object);
  g_autoptr (GTask) task = NULL;

  G_OBJECT_CLASS (derm_photo_gallery_parent_class)->constructed (object);

  g_return_if_fail (DERM_IS_STORE (self->store));
  self->library = derm_photo_library_new (self->store, self->thumbnailer);
  if (self->thumbnailer == NULL)
    self->thumbnailer = g_object_ref (derm_photo_library_get_thumbnailer (self->library));
  g_signal_connect_object (self->library, "notify", G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  update_progress (self);

  /* Start-up recovery: stray temporary files go, orphans are offered */
  task = g_task_new (self, NULL, on_recovered, NULL);
  g_task_set_task_data (task, g_object_ref (self->library), g_object_unref);
  g_task_run_in_thread (task, recover_thread);
}

static void
derm_photo_gallery_dispose (GObject *object)
{
  DermPhotoGallery *self = DERM_PHOTO_GALLERY (object);

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->compare_first);
  g_clear_object (&self->undo_photo);
  if (self->wait != NULL)
    derm_store_wait_detach (self->wait);
  g_clear_object (&self->wait);
  /* Drops the rows and their tiles before the models they show go (on
   * the first dispose only: the view is gone after that) */
  if (self->view_filter != NULL)
    {
      GtkWidget *row;

      g_signal_handlers_disconnect_by_func (self->visible_sections, on_visible_sections_changed, self);
      while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->section_box))) != NULL)
        section_remove_widget (self, row);
      gtk_custom_filter_set_filter_func (self->view_filter, NULL, NULL, NULL);
    }
  g_clear_object (&self->visible_sections);
  g_clear_object (&self->sections);
  g_clear_object (&self->nonempty_filter);
  g_clear_object (&self->view_filter);
  g_clear_pointer (&self->photos, g_ptr_array_unref);
  g_clear_pointer (&self->orphans, g_ptr_array_unref);
  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_object (&self->library);
  g_clear_object (&self->thumbnailer);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_photo_gallery_parent_class)->dispose (object);
}

static void
derm_photo_gallery_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DermPhotoGallery *self = DERM_PHOTO_GALLERY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_THUMBNAILER:
      g_value_set_object (value, self->thumbnailer);
      break;
    case PROP_N_LOADING:
      g_value_set_uint (value, self->n_loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_photo_gallery_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DermPhotoGallery *self = DERM_PHOTO_GALLERY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_THUMBNAILER:
      self->thumbnailer = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_photo_gallery_class_init (DermPhotoGalleryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = derm_photo_gallery_constructed;
  object_class->dispose = derm_photo_gallery_dispose;
  object_class->get_property = derm_photo_gallery_get_property;
  object_class->set_property = derm_photo_gallery_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DERM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THUMBNAILER] =
    g_param_spec_object ("thumbnailer", NULL, NULL, DERM_TYPE_THUMBNAILER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_LOADING] =
    g_param_spec_uint ("n-loading", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DermPhotoGallery::photos-changed:
   *
   * Emitted after the photos were read again: imported, filed under
   * another session or view in the viewer, removed or restored.
   */
  photos_changed_signal =
    g_signal_new ("photos-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-photo-gallery.ui");
  gtk_widget_class_bind_template_child (widget_class, DermPhotoGallery, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoGallery, view_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoGallery, count_label);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoGallery, empty_button);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoGallery, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoGallery, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoGallery, orphans_revealer);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoGallery, orphans_label);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoGallery, stack);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoGallery, status_page);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoGallery, section_box);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);

  gtk_widget_class_install_action (widget_class, "gallery.import-files", NULL, import_files_action);
  gtk_widget_class_install_action (widget_class, "gallery.import-folder", NULL, import_folder_action);
  gtk_widget_class_install_action (widget_class, "gallery.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "gallery.empty-removed", NULL, empty_removed_action);
  gtk_widget_class_install_action (widget_class, "gallery.undo-remove", NULL, undo_remove_action);
  gtk_widget_class_install_action (widget_class, "gallery.adopt-orphans", NULL, adopt_orphans_action);
  gtk_widget_class_install_action (widget_class, "gallery.delete-orphans", NULL, delete_orphans_action);
}

static void
derm_photo_gallery_init (DermPhotoGallery *self)
{
  g_autoptr (GtkStringList) filters = gtk_string_list_new (NULL);
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->wait = derm_store_wait_new (GTK_WIDGET (self), self->toast_overlay, NULL);
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->sections = g_list_store_new (G_TYPE_LIST_MODEL);
  self->view_filter = gtk_custom_filter_new (passes_view_filter, self, NULL);
  self->nonempty_filter = gtk_custom_filter_new (section_not_empty, NULL, NULL);
  self->visible_sections = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->sections)),
                                                      GTK_FILTER (g_object_ref (self->nonempty_filter)));

  gtk_string_list_append (filters, _("All Views"));
  for (guint i = 0; i < DERM_N_PHOTO_VIEWS; i++)
    gtk_string_list_append (filters, derm_photo_view_to_label ((DermPhotoView) i));
  gtk_string_list_append (filters, _("Recently Removed"));
  gtk_drop_down_set_model (self->view_dropdown, G_LIST_MODEL (filters));

  g_signal_connect (self->visible_sections, "items-changed", G_CALLBACK (on_visible_sections_changed), self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  gtk_widget_set_visible (self->empty_button, FALSE);
}

GtkWidget *
derm_photo_gallery_new (DermStore       *store,
                        DermThumbnailer *thumbnailer)
{
  g_return_val_if_fail (DERM_IS_STORE (store), NULL);

  return g_object_new (DERM_TYPE_PHOTO_GALLERY, "store", store, "thumbnailer", thumbnailer, NULL);
}

DermPhotoLibrary *
derm_photo_gallery_get_library (DermPhotoGallery *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_GALLERY (self), NULL);
  return self->library;
}

void
derm_photo_gallery_set_client_id (DermPhotoGallery *self,
                                  gint64            client_id)
{
  g_return_if_fail (DERM_IS_PHOTO_GALLERY (self));

  if (self->import_cancellable != NULL && self->client_id != client_id)
    g_cancellable_cancel (self->import_cancellable);
  /* Another client's photos never show under this one, not even while
   * this one's are read */
  if (self->client_id != client_id && self->photos != NULL)
    {
      g_clear_pointer (&self->photos, g_ptr_array_unref);
      sync_sections (self);
    }
  self->client_id = client_id;
  g_clear_object (&self->compare_first);
  gtk_widget_set_sensitive (GTK_WIDGET (self), client_id > 0);
  update_orphans (self);
  derm_photo_gallery_reload (self);
}

gint64
derm_photo_gallery_get_client_id (DermPhotoGallery *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_GALLERY (self), 0);
  return self->client_id;
}

GListModel *
derm_photo_gallery_get_sections (DermPhotoGallery *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_GALLERY (self), NULL);
  return G_LIST_MODEL (self->visible_sections);
}

guint
derm_photo_gallery_get_n_loading (DermPhotoGallery *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_GALLERY (self), 0);
  return self->n_loading;
}

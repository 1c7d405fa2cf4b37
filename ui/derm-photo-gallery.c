/* derm-photo-gallery.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's GridView has no sections, so the grid's model is flattened:
 * each session starts with a heading tile (a GtkStringObject) followed by
 * its photos. Tiles are recycled by the GridView; a bound tile shows a
 * placeholder at once and asks a worker thread for its thumbnail (made
 * from the original if the cache lacks it, then decoded to a texture), so
 * the grid never waits on a decode.
 */
#define G_LOG_DOMAIN "derm-photo-gallery"

#include "config.h"

#include <glib/gi18n.h>

#include "dermis-resources.h"
#include "derm-photo-gallery.h"
#include "derm-photo-viewer.h"
#include "derm-photo.h"
#include "derm-store-photos.h"
#include "derm-store.h"

#define TILE_SIZE 150
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
  GListStore       *items;           /* flattened: headings and photos */
  GHashTable       *textures;        /* sha256 -> GdkTexture */
  GCancellable     *import_cancellable;
  GPtrArray        *orphans;         /* sha256 found without a row */
  guint             n_loading;

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
  GtkGridView      *grid_view;
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

static void
show_toast (DermPhotoGallery *self,
            const char       *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
show_error (DermPhotoGallery *self,
            const GError     *error)
{
  show_toast (self, error->message);
}

/* --- the flattened model ----------------------------------------------- */

static gboolean
passes_filter (DermPhotoGallery *self,
               DermPhoto        *photo)
{
  guint selected = gtk_drop_down_get_selected (self->view_dropdown);

  if (selected == FILTER_ALL || selected == FILTER_REMOVED || selected == GTK_INVALID_LIST_POSITION)
    return TRUE;
  return derm_photo_get_view (photo) == (DermPhotoView) (selected - 1);
}

static char *
format_session (const char *date,
                guint       n)
{
  g_autoptr (GDateTime) dt = NULL;
  g_autofree char *day = NULL;

  if (date == NULL)
    return g_strdup_printf (ngettext ("No session\n%u photo", "No session\n%u photos", n), n);
  if (strlen (date) >= 10)
    {
      g_autofree char *iso = g_strdup_printf ("%.10sT00:00:00Z", date);
      dt = g_date_time_new_from_iso8601 (iso, NULL);
    }
  /* TRANSLATORS: a session heading, e.g. "14 March 2024" */
  day = dt ? g_date_time_format (dt, _("%-d %B %Y")) : g_strdup (date);
  return g_strdup_printf (ngettext ("Session of %s\n%u photo", "Session of %s\n%u photos", n), day, n);
}

static void
rebuild_items (DermPhotoGallery *self)
{
  g_autoptr (GPtrArray) flat = g_ptr_array_new_with_free_func (g_object_unref);
  guint shown = 0;
  guint i = 0;

  while (self->photos != NULL && i < self->photos->len)
    {
      DermPhoto *first = g_ptr_array_index (self->photos, i);
      gint64 session = derm_photo_get_treatment_id (first);
      const char *date = derm_photo_get_session_date (first);
      g_autoptr (GPtrArray) group = g_ptr_array_new ();
      g_autofree char *heading = NULL;

      for (; i < self->photos->len; i++)
        {
          DermPhoto *photo = g_ptr_array_index (self->photos, i);

          if (derm_photo_get_treatment_id (photo) != session)
            break;
          if (passes_filter (self, photo))
            g_ptr_array_add (group, photo);
        }
      if (group->len == 0)
        continue;

      heading = format_session (date, group->len);
      g_ptr_array_add (flat, gtk_string_object_new (heading));
      for (guint j = 0; j < group->len; j++)
        g_ptr_array_add (flat, g_object_ref (g_ptr_array_index (group, j)));
      shown += group->len;
    }

  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       flat->pdata, flat->len);

  gtk_stack_set_visible_child_name (self->stack, shown > 0 ? "grid" : "empty");
  if (gtk_drop_down_get_selected (self->view_dropdown) == FILTER_REMOVED)
    {
      adw_status_page_set_title (self->status_page, _("Recently Removed Is Empty"));
      adw_status_page_set_description (self->status_page, _("Removed photos stay here until you empty the list."));
    }
  else
    {
      adw_status_page_set_title (self->status_page, _("No Photos"));
      adw_status_page_set_description (self->status_page, _("Add photos from the session, or drop them here."));
    }
  gtk_widget_set_visible (self->empty_button,
                          gtk_drop_down_get_selected (self->view_dropdown) == FILTER_REMOVED && shown > 0);
  {
    g_autofree char *count = g_strdup_printf (ngettext ("%u photo", "%u photos", shown), shown);
    gtk_label_set_label (self->count_label, count);
  }
}

void
derm_photo_gallery_reload (DermPhotoGallery *self)
{
  g_autoptr (GError) error = NULL;
  DermPhotoListKind kind;

  g_return_if_fail (DERM_IS_PHOTO_GALLERY (self));

  g_clear_pointer (&self->photos, g_ptr_array_unref);
  kind = gtk_drop_down_get_selected (self->view_dropdown) == FILTER_REMOVED
         ? DERM_PHOTO_LIST_REMOVED : DERM_PHOTO_LIST_ACTIVE;
  if (self->client_id > 0)
    {
      self->photos = derm_store_list_photos (self->store, self->client_id, kind, &error);
      if (self->photos == NULL)
        show_error (self, error);
    }
  rebuild_items (self);
}

static void
on_filter_changed (DermPhotoGallery *self)
{
  derm_photo_gallery_reload (self);
}

/* --- tiles ------------------------------------------------------------- */

typedef struct
{
  char       *sha256;
  char       *original;
  char       *mime_type;
} ThumbRequest;

static void
thumb_request_free (gpointer data)
{
  ThumbRequest *request = data;

  g_free (request->sha256);
  g_free (request->original);
  g_free (request->mime_type);
  g_free (request);
}

static void
thumb_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  DermPhotoGallery *self = source_object;
  ThumbRequest *request = task_data;
  GError *error = NULL;
  g_autofree char *path = NULL;
  GdkTexture *texture;

  if (g_task_return_error_if_cancelled (task))
    return;
  path = derm_thumbnailer_ensure (self->thumbnailer, request->sha256, request->original,
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
  DermPhotoGallery *self = DERM_PHOTO_GALLERY (object);
  g_autoptr (GtkListItem) item = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);
  ThumbRequest *request = g_task_get_task_data (G_TASK (result));
  GtkWidget *tile = gtk_list_item_get_child (item);
  GtkPicture *picture = tile ? g_object_get_data (G_OBJECT (tile), "picture") : NULL;
  DermPhoto *photo = DERM_IS_PHOTO (gtk_list_item_get_item (item)) ? gtk_list_item_get_item (item) : NULL;

  set_n_loading (self, self->n_loading - 1);
  if (texture == NULL)
    {
      if (tile != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_widget_set_tooltip_text (tile, error->message);
      return;
    }

  if (g_hash_table_size (self->textures) >= TEXTURE_CACHE_MAX)
    g_hash_table_remove_all (self->textures);
  g_hash_table_insert (self->textures, g_strdup (request->sha256), g_object_ref (texture));

  /* The tile may have been recycled for another photo meanwhile */
  if (picture != NULL && photo != NULL && g_strcmp0 (derm_photo_get_sha256 (photo), request->sha256) == 0)
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
}

static void
setup_tile (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *placeholder = gtk_image_new_from_icon_name ("image-x-generic-symbolic");
  GtkWidget *heading = gtk_label_new (NULL);
  GtkWidget *caption = gtk_label_new (NULL);

  gtk_widget_set_size_request (overlay, TILE_SIZE, TILE_SIZE);
  gtk_widget_add_css_class (overlay, "card");
  gtk_widget_set_overflow (overlay, GTK_OVERFLOW_HIDDEN);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_image_set_pixel_size (GTK_IMAGE (placeholder), 32);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_label_set_justify (GTK_LABEL (heading), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_set_margin_start (heading, 6);
  gtk_widget_set_margin_end (heading, 6);
  gtk_widget_set_valign (caption, GTK_ALIGN_END);
  gtk_widget_set_halign (caption, GTK_ALIGN_START);
  gtk_widget_set_margin_start (caption, 6);
  gtk_widget_set_margin_bottom (caption, 4);
  gtk_widget_add_css_class (caption, "osd");
  gtk_widget_add_css_class (caption, "caption");

  gtk_overlay_set_child (GTK_OVERLAY (overlay), placeholder);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), picture);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), heading);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), caption);
  g_object_set_data (G_OBJECT (overlay), "picture", picture);
  g_object_set_data (G_OBJECT (overlay), "placeholder", placeholder);
  g_object_set_data (G_OBJECT (overlay), "heading", heading);
  g_object_set_data (G_OBJECT (overlay), "caption", caption);
  gtk_list_item_set_child (item, overlay);
}

static void
bind_tile (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  DermPhotoGallery *self = user_data;
  GObject *object = gtk_list_item_get_item (item);
  GtkWidget *tile = gtk_list_item_get_child (item);
  GtkPicture *picture = g_object_get_data (G_OBJECT (tile), "picture");
  GtkWidget *placeholder = g_object_get_data (G_OBJECT (tile), "placeholder");
  GtkLabel *heading = g_object_get_data (G_OBJECT (tile), "heading");
  GtkLabel *caption = g_object_get_data (G_OBJECT (tile), "caption");
  DermPhoto *photo;
  GdkTexture *texture;
  g_autoptr (GTask) task = NULL;
  g_autoptr (GCancellable) cancellable = NULL;
  ThumbRequest *request;

  gtk_picture_set_paintable (picture, NULL);
  gtk_widget_set_tooltip_text (tile, NULL);

  if (GTK_IS_STRING_OBJECT (object))
    {
      gtk_list_item_set_activatable (item, FALSE);
      gtk_widget_remove_css_class (tile, "card");
      gtk_widget_set_visible (placeholder, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (caption), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (heading), TRUE);
      gtk_label_set_label (heading, gtk_string_object_get_string (GTK_STRING_OBJECT (object)));
      return;
    }

  photo = DERM_PHOTO (object);
  gtk_list_item_set_activatable (item, TRUE);
  gtk_widget_add_css_class (tile, "card");
  gtk_widget_set_visible (placeholder, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (heading), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (caption), TRUE);
  gtk_label_set_label (caption, derm_photo_view_to_label (derm_photo_get_view (photo)));
  gtk_widget_set_tooltip_text (tile, derm_photo_get_original_name (photo));

  texture = g_hash_table_lookup (self->textures, derm_photo_get_sha256 (photo));
  if (texture != NULL)
    {
      gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
      return;
    }

  request = g_new0 (ThumbRequest, 1);
  request->sha256 = g_strdup (derm_photo_get_sha256 (photo));
  request->original = derm_photo_library_get_original_path (self->library, request->sha256);
  request->mime_type = g_strdup (derm_photo_get_mime_type (photo));

  cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (item), "cancellable", g_object_ref (cancellable), g_object_unref);
  task = g_task_new (self, cancellable, on_thumb_ready, g_object_ref (item));
  g_task_set_task_data (task, request, thumb_request_free);
  set_n_loading (self, self->n_loading + 1);
  g_task_run_in_thread (task, thumb_thread);
}

static void
unbind_tile (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  GCancellable *cancellable = g_object_get_data (G_OBJECT (item), "cancellable");

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  g_object_set_data (G_OBJECT (item), "cancellable", NULL);
}

/* --- viewer ------------------------------------------------------------ */

static void
on_undo_remove (AdwToast *toast,
                gpointer  user_data)
{
  DermPhotoGallery *self = g_object_get_data (G_OBJECT (toast), "gallery");
  DermPhoto *photo = user_data;
  g_autoptr (GError) error = NULL;

  if (!derm_photo_library_restore (self->library, photo, &error))
    show_error (self, error);
  derm_photo_gallery_reload (self);
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

static void
on_grid_activate (DermPhotoGallery *self,
                  guint             position)
{
  g_autoptr (GObject) item = g_list_model_get_item (G_LIST_MODEL (self->items), position);

  if (DERM_IS_PHOTO (item))
    derm_photo_gallery_open_photo (self, DERM_PHOTO (item));
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
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
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

void
derm_photo_gallery_import (DermPhotoGallery  *self,
                           GFile            **files,
                           guint              n_files)
{
  g_return_if_fail (DERM_IS_PHOTO_GALLERY (self));

  if (self->client_id <= 0 || n_files == 0)
    return;
  if (derm_photo_library_get_importing (self->library))
    {
      show_toast (self, _("Photos are already being imported. Wait for that import to finish."));
      return;
    }
  self->import_cancellable = g_cancellable_new ();
  derm_photo_library_import_async (self->library, self->client_id, files, n_files, NULL,
                                   self->import_cancellable, on_import_done, g_object_ref (self));
  update_progress (self);
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
      derm_photo_gallery_import (self, (GFile **) array->pdata, array->len);
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
  derm_photo_gallery_import (self, (GFile **) files->pdata, files->len);
  return files->len > 0 && self->client_id > 0;
}

/* --- recently removed -------------------------------------------------- */

static void
on_empty_response (AdwMessageDialog *dialog,
                   const char       *response,
                   DermPhotoGallery *self)
{
  g_autoptr (GError) error = NULL;

  if (g_strcmp0 (response, "empty") != 0)
    return;
  if (!derm_photo_library_empty_removed (self->library, self->client_id, NULL, &error))
    show_error (self, error);
  derm_photo_gallery_reload (self);
}

static void
empty_removed_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DermPhotoGallery *self = DERM_PHOTO_GALLERY (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
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
  g_clear_pointer (&self->orphans, g_ptr_array_unref);
  self->orphans = orphans;
  update_orphans (self);
}

static void
handle_orphans (DermPhotoGallery *self,
                gboolean          adopt)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 0; self->orphans != NULL && i < self->orphans->len; i++)
    {
      const char *sha256 = g_ptr_array_index (self->orphans, i);
      g_autoptr (DermPhoto) photo = NULL;

      if (adopt)
        photo = derm_photo_library_adopt_orphan (self->library, sha256, self->client_id, NULL, &error);
      else
        derm_photo_library_delete_orphan (self->library, sha256, &error);
      if (error != NULL)
        {
          show_error (self, error);
          g_clear_error (&error);
        }
    }
  g_clear_pointer (&self->orphans, g_ptr_array_unref);
  update_orphans (self);
  derm_photo_gallery_reload (self);
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
  g_clear_object (&self->items);
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

  /* Pulls the compiled resources out of the static library, whose
   * constructor then registers them */
  (void) dermis_get_resource ();

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
  gtk_widget_class_bind_template_child (widget_class, DermPhotoGallery, grid_view);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_grid_activate);

  gtk_widget_class_install_action (widget_class, "gallery.import-files", NULL, import_files_action);
  gtk_widget_class_install_action (widget_class, "gallery.import-folder", NULL, import_folder_action);
  gtk_widget_class_install_action (widget_class, "gallery.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "gallery.empty-removed", NULL, empty_removed_action);
  gtk_widget_class_install_action (widget_class, "gallery.adopt-orphans", NULL, adopt_orphans_action);
  gtk_widget_class_install_action (widget_class, "gallery.delete-orphans", NULL, delete_orphans_action);
}

static void
derm_photo_gallery_init (DermPhotoGallery *self)
{
  g_autoptr (GtkStringList) filters = gtk_string_list_new (NULL);
  GtkListItemFactory *factory;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (G_TYPE_OBJECT);
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  gtk_string_list_append (filters, _("All Views"));
  for (guint i = 0; i < DERM_N_PHOTO_VIEWS; i++)
    gtk_string_list_append (filters, derm_photo_view_to_label ((DermPhotoView) i));
  gtk_string_list_append (filters, _("Recently Removed"));
  gtk_drop_down_set_model (self->view_dropdown, G_LIST_MODEL (filters));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_tile), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_tile), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_tile), self);
  gtk_grid_view_set_factory (self->grid_view, factory);
  g_object_unref (factory);
  {
    GtkSelectionModel *selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->items))));
    gtk_grid_view_set_model (self->grid_view, selection);
    g_object_unref (selection);
  }

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
  self->client_id = client_id;
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
derm_photo_gallery_get_items (DermPhotoGallery *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_GALLERY (self), NULL);
  return G_LIST_MODEL (self->items);
}

guint
derm_photo_gallery_get_n_loading (DermPhotoGallery *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_GALLERY (self), 0);
  return self->n_loading;
}

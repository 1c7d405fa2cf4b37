/* derm-photo-import-dialog.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-photo-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-photo-import-item.h"
#include "derm-store.h"
#include "derm-treatment.h"
#include "derm-validate.h"

#include "derm-photo-import-dialog.h"

struct _DermPhotoImportDialog
{
  AdwWindow          parent_instance;

  DermPhotoLibrary  *library;
  gint64             client_id;
  GCancellable      *cancellable;
  gboolean           scanning;
  GListStore        *items;      /* DermPhotoImportItem */
  GArray            *session_ids; /* gint64, one per session choice */
  GtkStringList     *session_labels;
  GtkStringList     *view_labels;
  GHashTable        *session_names; /* gint64 * -> char *, for the photos' lines */
  char              *status;

  GtkButton         *import_button;
  GtkSpinner        *spinner;
  AdwComboRow       *session_row;
  AdwComboRow       *view_row;
  AdwEntryRow       *area_row;
  GtkLabel          *status_label;
  GtkListView       *photos_view;
};

G_DEFINE_FINAL_TYPE (DermPhotoImportDialog, derm_photo_import_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SCANNING,
  N_PROPS
};

enum {
  IMPORT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static guint
session_index (DermPhotoImportDialog *self,
               gint64                 id)
{
  for (guint i = 0; i < self->session_ids->len; i++)
    if (g_array_index (self->session_ids, gint64, i) == id)
      return i;
  return 0;
}

static gint64
session_id (DermPhotoImportDialog *self,
            guint                  index)
{
  if (index >= self->session_ids->len)
    return DERM_PHOTO_SUGGEST_SESSION;
  return g_array_index (self->session_ids, gint64, index);
}

static guint
count_needing_session (DermPhotoImportDialog *self)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr (DermPhotoImportItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      n += derm_photo_import_item_get_needs_session (item);
    }
  return n;
}

static void
update_status (DermPhotoImportDialog *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  guint n_needing = count_needing_session (self);

  g_clear_pointer (&self->status, g_free);
  if (self->scanning)
    self->status = g_strdup (_("Looking for photos…"));
  else if (n_items == 0)
    self->status = g_strdup (_("No JPEG, PNG, TIFF or HEIC files were found. Choose other files or folders."));
  else if (n_needing > 0)
    self->status = g_strdup_printf (ngettext ("%u photo has no capture date. Choose its session, or No session.",
                                              "%u photos have no capture date. Choose their session, or No session.",
                                              n_needing),
                                    n_needing);
  else
    self->status = g_strdup_printf (ngettext ("%u photo will be imported.", "%u photos will be imported.", n_items),
                                    n_items);

  gtk_label_set_text (self->status_label, self->status);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->scanning);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.confirm",
                                 !self->scanning && n_items > 0 && n_needing == 0);
}

/* "Taken 30 Nov 2026 · session of 30 Nov 2026", or why a session is needed */
static char *
describe_item (DermPhotoImportDialog *self,
               DermPhotoImportItem   *item)
{
  const char *captured = derm_photo_import_item_get_captured_at (item);
  g_autofree char *taken = captured != NULL ? derm_date_format_display (captured, FALSE) : NULL;
  gint64 suggested = derm_photo_import_item_get_suggested_session (item);
  const char *name;

  if (derm_photo_import_item_get_needs_session (item))
    return g_strdup (_("No capture date: choose its session"));
  if (taken == NULL)
    return g_strdup (_("No capture date"));
  if (derm_photo_import_item_get_session (item) != DERM_PHOTO_SUGGEST_SESSION)
    /* Translators: "Taken 30 Nov 2026" */
    return g_strdup_printf (_("Taken %s"), taken);
  name = suggested > 0 ? g_hash_table_lookup (self->session_names, &suggested) : NULL;
  if (name == NULL)
    /* Translators: "Taken 30 Nov 2026 · no session that day" */
    return g_strdup_printf (_("Taken %s · no session that day"), taken);
  /* Translators: "Taken 30 Nov 2026 · session of 30 Nov 2026" */
  return g_strdup_printf (_("Taken %s · session of %s"), taken, name);
}

/* --- the photos' rows ---------------------------------------------------- */

typedef struct
{
  GtkLabel    *name;
  GtkLabel    *detail;
  GtkDropDown *session;
  GtkDropDown *view;
  GtkEntry    *area;
} RowWidgets;

static void
update_detail (DermPhotoImportItem *item,
               GParamSpec          *pspec,
               GtkListItem         *list_item)
{
  DermPhotoImportDialog *self = g_object_get_data (G_OBJECT (list_item), "dialog");
  RowWidgets *widgets = g_object_get_data (G_OBJECT (list_item), "widgets");
  g_autofree char *text = describe_item (self, item);

  gtk_label_set_text (widgets->detail, text);
  if (derm_photo_import_item_get_needs_session (item))
    gtk_widget_add_css_class (GTK_WIDGET (widgets->detail), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (widgets->detail), "warning");
}

static gboolean
session_to_selected (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  g_value_set_uint (to, session_index (user_data, g_value_get_int64 (from)));
  return TRUE;
}

static gboolean
selected_to_session (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  if (g_value_get_uint (from) == GTK_INVALID_LIST_POSITION)
    return FALSE;
  g_value_set_int64 (to, session_id (user_data, g_value_get_uint (from)));
  return TRUE;
}

static gboolean
area_to_text (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  const char *area = g_value_get_string (from);

  g_value_set_string (to, area != NULL ? area : "");
  return TRUE;
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           DermPhotoImportDialog    *self)
{
  RowWidgets *widgets = g_new0 (RowWidgets, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

  widgets->name = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (widgets->name, 0);
  gtk_label_set_ellipsize (widgets->name, PANGO_ELLIPSIZE_MIDDLE);
  widgets->detail = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (widgets->detail, 0);
  gtk_label_set_wrap (widgets->detail, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (widgets->detail), "caption");
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (widgets->name));
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (widgets->detail));
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);

  widgets->session = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->session_labels)), NULL));
  widgets->view = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->view_labels)), NULL));
  widgets->area = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (widgets->area, _("Area"));
  gtk_editable_set_width_chars (GTK_EDITABLE (widgets->area), 10);
  gtk_widget_set_tooltip_text (GTK_WIDGET (widgets->session), _("Session"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (widgets->view), _("View"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (widgets->session), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Session"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widgets->view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("View"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widgets->area), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Area"), -1);
  gtk_box_append (GTK_BOX (box), text);
  {
    GtkWidget *choices[] = { GTK_WIDGET (widgets->session), GTK_WIDGET (widgets->view), GTK_WIDGET (widgets->area) };

    for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
      {
        gtk_widget_set_valign (choices[i], GTK_ALIGN_CENTER);
        gtk_box_append (GTK_BOX (box), choices[i]);
      }
  }
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  g_object_set_data_full (G_OBJECT (list_item), "widgets", widgets, g_free);
  g_object_set_data (G_OBJECT (list_item), "dialog", self);
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_child (list_item, box);
}

static void
unbind_all (gpointer data)
{
  GPtrArray *bindings = data;

  for (guint i = 0; i < bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (bindings, i));
  g_ptr_array_unref (bindings);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          DermPhotoImportDialog    *self)
{
  RowWidgets *widgets = g_object_get_data (G_OBJECT (list_item), "widgets");
  DermPhotoImportItem *item = gtk_list_item_get_item (list_item);
  GPtrArray *bindings = g_ptr_array_new ();

  gtk_label_set_text (widgets->name, derm_photo_import_item_get_name (item));
  g_ptr_array_add (bindings,
                   g_object_bind_property_full (item, "session", widgets->session, "selected",
                                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                session_to_selected, selected_to_session, self, NULL));
  g_ptr_array_add (bindings,
                   g_object_bind_property (item, "view", widgets->view, "selected",
                                           G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE));
  g_ptr_array_add (bindings,
                   g_object_bind_property_full (item, "area", widgets->area, "text",
                                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                area_to_text, NULL, NULL, NULL));
  g_object_set_data_full (G_OBJECT (list_item), "bindings", bindings, unbind_all);
  g_signal_connect_object (item, "notify::needs-session", G_CALLBACK (update_detail), list_item, 0);
  g_signal_connect_object (item, "notify::session", G_CALLBACK (update_detail), list_item, 0);
  update_detail (item, NULL, list_item);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            DermPhotoImportDialog    *self)
{
  DermPhotoImportItem *item = gtk_list_item_get_item (list_item);

  g_object_set_data (G_OBJECT (list_item), "bindings", NULL);
  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, update_detail, list_item);
}

/* --- the whole batch ------------------------------------------------------ */

static void
on_batch_session (DermPhotoImportDialog *self)
{
  gint64 id = session_id (self, adw_combo_row_get_selected (self->session_row));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr (DermPhotoImportItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      derm_photo_import_item_set_session (item, id);
    }
  update_status (self);
}

static void
on_batch_view (DermPhotoImportDialog *self)
{
  guint view = adw_combo_row_get_selected (self->view_row);

  if (view > DERM_PHOTO_VIEW_OTHER)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr (DermPhotoImportItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      derm_photo_import_item_set_view (item, (DermPhotoView) view);
    }
}

static void
on_batch_area (DermPhotoImportDialog *self)
{
  g_autofree char *area = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->area_row))));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr (DermPhotoImportItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      derm_photo_import_item_set_area (item, area);
    }
}

static void
on_item_changed (DermPhotoImportDialog *self)
{
  update_status (self);
}

/* --- looking at the files ------------------------------------------------- */

typedef struct
{
  gint64      client_id;
  GPtrArray  *files;     /* GFile */
  GPtrArray  *items;     /* DermPhotoImportItem, the result */
  GPtrArray  *sessions;  /* DermTreatment, the result */
} Scan;

static void
scan_free (gpointer data)
{
  Scan *scan = data;

  g_clear_pointer (&scan->files, g_ptr_array_unref);
  g_clear_pointer (&scan->items, g_ptr_array_unref);
  g_clear_pointer (&scan->sessions, g_ptr_array_unref);
  g_free (scan);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DermPhotoLibrary *library = source_object;
  Scan *scan = task_data;
  GError *error = NULL;

  scan->sessions = derm_store_list_treatments (derm_photo_library_get_store (library), scan->client_id, &error);
  if (scan->sessions == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  scan->items = derm_photo_library_scan (library, scan->client_id, (GFile **) scan->files->pdata,
                                         scan->files->len, cancellable);
  g_task_return_boolean (task, TRUE);
}

static void
on_scanned (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (DermPhotoImportDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  Scan *scan = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->scanning = FALSE;
      update_status (self);
      gtk_label_set_text (self->status_label, error->message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNING]);
      return;
    }

  /* In the store's order (newest first), as the gallery lists them */
  for (guint i = 0; i < scan->sessions->len; i++)
    {
      DermTreatment *treatment = g_ptr_array_index (scan->sessions, i);
      gint64 id = derm_treatment_get_id (treatment);
      g_autofree char *date = derm_date_format_display (derm_treatment_get_date (treatment), FALSE);
      const char *areas = derm_treatment_get_areas (treatment);
      g_autofree char *label = NULL;
      gint64 *key = g_new (gint64, 1);

      *key = id;
      label = areas != NULL && *areas != '\0'
              /* Translators: a session in a menu: "30 Nov 2026 · cheeks" */
              ? g_strdup_printf (_("%s · %s"), date != NULL ? date : derm_treatment_get_date (treatment), areas)
              : g_strdup (date != NULL ? date : derm_treatment_get_date (treatment));
      g_hash_table_insert (self->session_names, key, g_strdup (date != NULL ? date : derm_treatment_get_date (treatment)));
      g_array_insert_val (self->session_ids, self->session_ids->len - 1, id);
      gtk_string_list_splice (self->session_labels, self->session_ids->len - 2, 0,
                              (const char * const[]) { label, NULL });
    }

  for (guint i = 0; i < scan->items->len; i++)
    {
      DermPhotoImportItem *item = g_ptr_array_index (scan->items, i);

      g_signal_connect_object (item, "notify::needs-session", G_CALLBACK (on_item_changed), self, G_CONNECT_SWAPPED);
    }
  g_list_store_splice (self->items, 0, 0, scan->items->pdata, scan->items->len);
  self->scanning = FALSE;
  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNING]);
}

/* --- the dialog ----------------------------------------------------------- */

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DermPhotoImportDialog *self = DERM_PHOTO_IMPORT_DIALOG (widget);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->scanning || count_needing_session (self) > 0)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (self->items), i));
  if (items->len == 0)
    return;

  g_signal_emit (self, signals[IMPORT], 0, items);
  gtk_window_close (GTK_WINDOW (self));
}

DermPhotoImportDialog *
derm_photo_import_dialog_new (GtkWindow         *parent,
                              DermPhotoLibrary  *library,
                              gint64             client_id,
                              GFile            **files,
                              guint              n_files)
{
  DermPhotoImportDialog *self;
  g_autoptr (GTask) task = NULL;
  Scan *scan;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);
  g_return_val_if_fail (files != NULL || n_files == 0, NULL);

  self = g_object_new (DERM_TYPE_PHOTO_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->library = g_object_ref (library);
  self->client_id = client_id;

  scan = g_new0 (Scan, 1);
  scan->client_id = client_id;
  scan->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (scan->files, g_object_ref (files[i]));
  task = g_task_new (library, self->cancellable, on_scanned, g_object_ref (self));
  g_task_set_task_data (task, scan, scan_free);
  g_task_run_in_thread (task, scan_thread);

  return self;
}

gboolean
derm_photo_import_dialog_get_scanning (DermPhotoImportDialog *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_IMPORT_DIALOG (self), FALSE);

  return self->scanning;
}

GListModel *
derm_photo_import_dialog_get_items (DermPhotoImportDialog *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_IMPORT_DIALOG (self), NULL);

  return G_LIST_MODEL (self->items);
}

GArray *
derm_photo_import_dialog_get_sessions (DermPhotoImportDialog *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_IMPORT_DIALOG (self), NULL);

  return self->session_ids;
}

const char *
derm_photo_import_dialog_get_status (DermPhotoImportDialog *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_IMPORT_DIALOG (self), NULL);

  return self->status;
}

static gboolean
derm_photo_import_dialog_close_request (GtkWindow *window)
{
  DermPhotoImportDialog *self = DERM_PHOTO_IMPORT_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (derm_photo_import_dialog_parent_class)->close_request (window);
}

static void
derm_photo_import_dialog_dispose (GObject *object)
{
  DermPhotoImportDialog *self = DERM_PHOTO_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_PHOTO_IMPORT_DIALOG);

  G_OBJECT_CLASS (derm_photo_import_dialog_parent_class)->dispose (object);
}

static void
derm_photo_import_dialog_finalize (GObject *object)
{
  DermPhotoImportDialog *self = DERM_PHOTO_IMPORT_DIALOG (object);

  g_clear_object (&self->library);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->items);
  g_clear_object (&self->session_labels);
  g_clear_object (&self->view_labels);
  g_clear_pointer (&self->session_ids, g_array_unref);
  g_clear_pointer (&self->session_names, g_hash_table_unref);
  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (derm_photo_import_dialog_parent_class)->finalize (object);
}

static void
derm_photo_import_dialog_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  DermPhotoImportDialog *self = DERM_PHOTO_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SCANNING:
      g_value_set_boolean (value, self->scanning);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_photo_import_dialog_class_init (DermPhotoImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_photo_import_dialog_dispose;
  object_class->finalize = derm_photo_import_dialog_finalize;
  object_class->get_property = derm_photo_import_dialog_get_property;
  GTK_WINDOW_CLASS (klass)->close_request = derm_photo_import_dialog_close_request;

  properties[PROP_SCANNING] =
    g_param_spec_boolean ("scanning", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DermPhotoImportDialog::import:
   * @items: (element-type DermPhotoImportItem): the photos with their choices
   *
   * Import was chosen; the dialog closes.
   */
  signals[IMPORT] = g_signal_new ("import", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-photo-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DermPhotoImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoImportDialog, session_row);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoImportDialog, view_row);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoImportDialog, area_row);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoImportDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, DermPhotoImportDialog, photos_view);

  gtk_widget_class_install_action (widget_class, "import.confirm", NULL, confirm_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
derm_photo_import_dialog_init (DermPhotoImportDialog *self)
{
  GtkListItemFactory *factory;
  gint64 suggest = DERM_PHOTO_SUGGEST_SESSION;
  gint64 none = 0;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->scanning = TRUE;
  self->cancellable = g_cancellable_new ();
  self->items = g_list_store_new (DERM_TYPE_PHOTO_IMPORT_ITEM);
  self->session_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->session_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (self->session_ids, suggest);
  g_array_append_val (self->session_ids, none);
  self->session_labels = gtk_string_list_new ((const char * const[]) { _("By capture date"), _("No session"), NULL });
  self->view_labels = gtk_string_list_new (NULL);
  for (guint v = DERM_PHOTO_VIEW_FRONT; v <= DERM_PHOTO_VIEW_OTHER; v++)
    gtk_string_list_append (self->view_labels, derm_photo_view_to_label ((DermPhotoView) v));

  adw_combo_row_set_model (self->session_row, G_LIST_MODEL (self->session_labels));
  adw_combo_row_set_model (self->view_row, G_LIST_MODEL (self->view_labels));
  adw_combo_row_set_selected (self->view_row, DERM_PHOTO_VIEW_OTHER);
  g_signal_connect_swapped (self->session_row, "notify::selected", G_CALLBACK (on_batch_session), self);
  g_signal_connect_swapped (self->view_row, "notify::selected", G_CALLBACK (on_batch_view), self);
  g_signal_connect_swapped (self->area_row, "changed", G_CALLBACK (on_batch_area), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->photos_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->photos_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->items)))));

  update_status (self);
}

/* derm-client-import-dialog.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-client-import-dialog.h"
#include "derm-client.h"
#include "derm-store.h"

struct _DermClientImportDialog
{
  AdwWindow             parent_instance;

  AdwWindowTitle       *window_title;
  GtkWidget            *import_button;
  GtkWidget            *spinner;
  GtkLabel             *status_label;
  AdwPreferencesGroup  *columns_group;
  GtkListView          *rows_view;

  DermStore            *store;
  DermClientCsv        *csv;
  GtkWindow            *parent;      /* weak */
  GtkStringList        *rows;        /* row indices as text, errors first */
  GPtrArray            *column_rows; /* AdwComboRow, one per column */
  GCancellable         *cancellable;
  gboolean              busy;
  gboolean              updating;
};

G_DEFINE_FINAL_TYPE (DermClientImportDialog, derm_client_import_dialog, ADW_TYPE_WINDOW)

static void
update (DermClientImportDialog *self)
{
  guint n_rows = derm_client_csv_get_n_rows (self->csv);
  guint n_errors = derm_client_csv_get_n_errors (self->csv);
  const char *mapping_error = derm_client_csv_get_mapping_error (self->csv);
  g_autofree char *status = NULL;
  g_autoptr (GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  gboolean ready = derm_client_csv_is_ready (self->csv) && !self->busy;

  if (mapping_error != NULL)
    status = g_strdup (mapping_error);
  else if (n_rows == 0)
    status = g_strdup (_("The file has no clients below its first row."));
  else if (n_errors > 0)
    status = g_strdup_printf (ngettext ("%u row of %u has an error. Correct the file and import it again; nothing is written until every row is valid.",
                                        "%u rows of %u have errors. Correct the file and import it again; nothing is written until every row is valid.",
                                        n_errors),
                              n_errors, n_rows);
  else
    status = g_strdup_printf (ngettext ("%u client is ready to import.", "%u clients are ready to import.", n_rows),
                              n_rows);

  gtk_label_set_text (self->status_label, status);
  if (ready)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.confirm", ready);

  /* Errors first, then the rest in file order */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n_rows; i++)
      if ((derm_client_csv_get_error (self->csv, i) != NULL) == (pass == 0))
        g_ptr_array_add (order, g_strdup_printf ("%u", i));
  g_ptr_array_add (order, NULL);
  gtk_string_list_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                          (const char * const *) order->pdata);
}

static void
on_column_selected (AdwComboRow            *row,
                    GParamSpec             *pspec,
                    DermClientImportDialog *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "column"));

  if (self->updating)
    return;

  derm_client_csv_set_mapping (self->csv, column, (DermClientColumn) adw_combo_row_get_selected (row));

  /* A field taken from another column shows there as not imported */
  self->updating = TRUE;
  for (guint c = 0; c < self->column_rows->len; c++)
    adw_combo_row_set_selected (g_ptr_array_index (self->column_rows, c),
                                derm_client_csv_get_mapping (self->csv, c));
  self->updating = FALSE;

  update (self);
}

static void
build_columns (DermClientImportDialog *self)
{
  g_autoptr (GtkStringList) fields = gtk_string_list_new (NULL);
  guint n_columns = derm_client_csv_get_n_columns (self->csv);

  for (guint f = 0; f < DERM_N_CLIENT_COLUMNS; f++)
    gtk_string_list_append (fields, derm_client_column_to_label ((DermClientColumn) f));

  for (guint c = 0; c < n_columns; c++)
    {
      AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
      const char *header = derm_client_csv_get_header (self->csv, c);
      g_autofree char *title = NULL;

      if (header[0] != '\0')
        title = g_markup_escape_text (header, -1);
      else
        /* Translators: a CSV column without a name in its first row */
        title = g_strdup_printf (_("Column %u"), c + 1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (derm_client_csv_get_n_rows (self->csv) > 0)
        {
          g_autofree char *sample = g_markup_escape_text (derm_client_csv_get_value (self->csv, 0, c), -1);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sample);
          adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
        }
      adw_combo_row_set_model (row, G_LIST_MODEL (fields));
      adw_combo_row_set_selected (row, derm_client_csv_get_mapping (self->csv, c));
      g_object_set_data (G_OBJECT (row), "column", GUINT_TO_POINTER (c));
      g_signal_connect (row, "notify::selected", G_CALLBACK (on_column_selected), self);
      adw_preferences_group_add (self->columns_group, GTK_WIDGET (row));
      g_ptr_array_add (self->column_rows, row);
    }
}

/* The rows' list items: the row number and name, then its error or what it holds */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (subtitle), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          DermClientImportDialog   *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  GtkStringObject *object = gtk_list_item_get_item (item);
  guint row = (guint) g_ascii_strtoull (gtk_string_object_get_string (object), NULL, 10);
  DermClient *client = derm_client_csv_get_client (self->csv, row);
  const char *error = derm_client_csv_get_error (self->csv, row);
  g_autofree char *heading = NULL;

  if (client != NULL)
    {
      g_autoptr (GPtrArray) parts = g_ptr_array_new ();
      g_autofree char *details = NULL;

      /* Translators: a row of the imported file and the client it makes: "Row 4 · Zoë Müller" */
      heading = g_strdup_printf (_("Row %u · %s"), derm_client_csv_get_row_number (self->csv, row),
                                 derm_client_get_name (client));
      if (derm_client_get_date_of_birth (client) != NULL)
        g_ptr_array_add (parts, (gpointer) derm_client_get_date_of_birth (client));
      if (derm_client_get_phone (client) != NULL)
        g_ptr_array_add (parts, (gpointer) derm_client_get_phone (client));
      if (derm_client_get_email (client) != NULL)
        g_ptr_array_add (parts, (gpointer) derm_client_get_email (client));
      g_ptr_array_add (parts, NULL);
      details = g_strjoinv (" · ", (char **) parts->pdata);
      gtk_label_set_text (GTK_LABEL (subtitle), details);
      gtk_widget_set_visible (subtitle, details[0] != '\0');
      gtk_widget_remove_css_class (subtitle, "error");
      gtk_widget_add_css_class (subtitle, "dim-label");
    }
  else
    {
      heading = g_strdup_printf (_("Row %u"), derm_client_csv_get_row_number (self->csv, row));
      gtk_label_set_text (GTK_LABEL (subtitle), error != NULL ? error : "");
      gtk_widget_set_visible (subtitle, error != NULL);
      gtk_widget_remove_css_class (subtitle, "dim-label");
      gtk_widget_add_css_class (subtitle, "error");
    }
  gtk_label_set_text (GTK_LABEL (title), heading);
}

/* Import */

static gboolean
import_on_worker (DermStore  *store,
                  gpointer    data,
                  gpointer   *result,
                  GError    **error)
{
  GPtrArray *clients = data;

  if (!derm_store_add_clients (store, clients, error))
    return FALSE;
  *result = GUINT_TO_POINTER (clients->len);
  return TRUE;
}

static void
set_busy (DermClientImportDialog *self,
          gboolean                busy)
{
  self->busy = busy;
  gtk_widget_set_visible (self->spinner, busy);
  for (guint c = 0; c < self->column_rows->len; c++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->column_rows, c), !busy);
  update (self);
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (DermClientImportDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  guint n;

  n = GPOINTER_TO_UINT (derm_store_call_finish (DERM_STORE (source), result, import_on_worker, &error));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      set_busy (self, FALSE);
      gtk_label_set_text (self->status_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      return;
    }

  if (self->parent != NULL)
    {
      g_autofree char *message = g_strdup_printf (ngettext ("Imported %u client", "Imported %u clients", n), n);

      gtk_widget_activate_action (GTK_WIDGET (self->parent), "win.refresh", NULL);
      gtk_widget_activate_action (GTK_WIDGET (self->parent), "win.show-toast", "s", message);
    }
  self->busy = FALSE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DermClientImportDialog *self = DERM_CLIENT_IMPORT_DIALOG (widget);
  GPtrArray *clients;

  if (self->busy || !derm_client_csv_is_ready (self->csv))
    return;

  clients = derm_client_csv_dup_clients (self->csv);
  set_busy (self, TRUE);
  derm_store_call_async (self->store, import_on_worker, import_on_worker, clients,
                         (GDestroyNotify) g_ptr_array_unref, NULL, self->cancellable,
                         on_imported, g_object_ref (self));
}

static gboolean
derm_client_import_dialog_close_request (GtkWindow *window)
{
  DermClientImportDialog *self = DERM_CLIENT_IMPORT_DIALOG (window);

  /* The transaction is under way: it ends whole either way, then the
   * dialog closes itself */
  return self->busy;
}

static void
derm_client_import_dialog_dispose (GObject *object)
{
  DermClientImportDialog *self = DERM_CLIENT_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->parent);
  g_clear_pointer (&self->column_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), DERM_TYPE_CLIENT_IMPORT_DIALOG);

  G_OBJECT_CLASS (derm_client_import_dialog_parent_class)->dispose (object);
}

static void
derm_client_import_dialog_finalize (GObject *object)
{
  DermClientImportDialog *self = DERM_CLIENT_IMPORT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->csv);
  g_clear_object (&self->rows);

  G_OBJECT_CLASS (derm_client_import_dialog_parent_class)->finalize (object);
}

static void
derm_client_import_dialog_class_init (DermClientImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_client_import_dialog_dispose;
  object_class->finalize = derm_client_import_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = derm_client_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-client-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DermClientImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DermClientImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, DermClientImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, DermClientImportDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, DermClientImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, DermClientImportDialog, rows_view);

  gtk_widget_class_install_action (widget_class, "import.confirm", NULL, confirm_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
derm_client_import_dialog_init (DermClientImportDialog *self)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->column_rows = g_ptr_array_new ();
  self->rows = gtk_string_list_new (NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  gtk_list_view_set_factory (self->rows_view, factory);
  gtk_list_view_set_model (self->rows_view, GTK_SELECTION_MODEL (selection));
}

DermClientImportDialog *
derm_client_import_dialog_new (GtkWindow     *parent,
                               DermStore     *store,
                               DermClientCsv *csv,
                               const char    *file_name)
{
  DermClientImportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DERM_IS_STORE (store), NULL);
  g_return_val_if_fail (DERM_IS_CLIENT_CSV (csv), NULL);

  self = g_object_new (DERM_TYPE_CLIENT_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->csv = g_object_ref (csv);
  g_set_weak_pointer (&self->parent, parent);
  if (file_name != NULL)
    adw_window_title_set_subtitle (self->window_title, file_name);

  build_columns (self);
  update (self);

  return self;
}

DermClientCsv *
derm_client_import_dialog_get_csv (DermClientImportDialog *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_IMPORT_DIALOG (self), NULL);

  return self->csv;
}

AdwComboRow *
derm_client_import_dialog_get_column_row (DermClientImportDialog *self,
                                          guint                   column)
{
  g_return_val_if_fail (DERM_IS_CLIENT_IMPORT_DIALOG (self), NULL);
  g_return_val_if_fail (column < self->column_rows->len, NULL);

  return g_ptr_array_index (self->column_rows, column);
}

GListModel *
derm_client_import_dialog_get_rows (DermClientImportDialog *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_IMPORT_DIALOG (self), NULL);

  return G_LIST_MODEL (self->rows);
}

const char *
derm_client_import_dialog_get_status (DermClientImportDialog *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_IMPORT_DIALOG (self), NULL);

  return gtk_label_get_text (self->status_label);
}

/* Reading the file */

typedef struct
{
  DermStore *store;
  GtkWindow *parent;  /* weak */
  char      *path;
  char      *display_name;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_object (&data->store);
  g_clear_weak_pointer (&data->parent);
  g_free (data->path);
  g_free (data->display_name);
  g_free (data);
}

static void
read_file_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  OpenData *data = task_data;
  g_autoptr (GError) error = NULL;
  DermClientCsv *csv = derm_client_csv_new_from_file (data->path, NULL, &error);

  if (csv == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, csv, g_object_unref);
}

static void
on_file_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OpenData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClientCsv) csv = g_task_propagate_pointer (G_TASK (result), &error);
  DermClientImportDialog *dialog;

  if (data->parent == NULL)
    return;

  if (csv == NULL)
    {
      /* Translators: "clients.csv: Row 4: a double quote (") inside a field …" */
      g_autofree char *message = g_strdup_printf (_("%s: %s"), data->display_name, error->message);

      gtk_widget_activate_action (GTK_WIDGET (data->parent), "win.show-toast", "s", message);
      return;
    }

  dialog = derm_client_import_dialog_new (data->parent, data->store, csv, data->display_name);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
derm_client_import_dialog_open_file (GtkWindow *parent,
                                     DermStore *store,
                                     GFile     *file)
{
  g_autoptr (GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (DERM_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (OpenData, 1);
  data->store = g_object_ref (store);
  g_set_weak_pointer (&data->parent, parent);
  data->path = g_file_get_path (file);
  data->display_name = data->path != NULL ? g_filename_display_basename (data->path) : NULL;

  if (data->path == NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-toast", "s",
                                  _("Only files on this computer can be imported. Copy the file here first."));
      open_data_free (data);
      return;
    }

  task = g_task_new (NULL, NULL, on_file_read, NULL);
  g_task_set_source_tag (task, derm_client_import_dialog_open_file);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, read_file_in_thread);
}

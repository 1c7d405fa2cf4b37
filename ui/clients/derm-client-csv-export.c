/* derm-client-csv-export.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-client-csv-export.h"
#include "derm-client-csv.h"
#include "derm-export-file.h"
#include "derm-store.h"

typedef struct
{
  char     *path;
  gboolean  bom;
  gboolean  archived;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_free (data->path);
  g_free (data);
}

static gboolean
export_on_worker (DermStore  *store,
                  gpointer    user_data,
                  gpointer   *result,
                  GError    **error)
{
  ExportData *data = user_data;
  g_autoptr (GPtrArray) clients = NULL;
  g_autoptr (GBytes) bytes = NULL;

  if (!(clients = derm_store_list_clients (store, data->archived, error)))
    return FALSE;

  bytes = derm_client_csv_export (clients, data->bom);
  /* The file chooser asked before replacing a file */
  if (!derm_export_file_write (data->path, derm_store_get_data_dir (store), TRUE,
                               g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    return FALSE;

  *result = g_memdup2 (&clients->len, sizeof clients->len);
  return TRUE;
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (GtkWidget) parent = g_weak_ref_get (ref);
  g_autoptr (GError) error = NULL;
  g_autofree guint *n = derm_store_call_finish (DERM_STORE (source), result, export_on_worker, &error);
  g_autofree char *message = NULL;

  g_weak_ref_clear (ref);
  g_free (ref);
  if (parent == NULL)
    return;

  if (n == NULL)
    message = g_strdup_printf (_("Could not export the clients: %s"), error->message);
  else
    message = g_strdup_printf (ngettext ("Exported %u client", "Exported %u clients", *n), *n);
  gtk_widget_activate_action (parent, "win.show-toast", "s", message);
}

void
derm_client_csv_export_to_file (GtkWindow *parent,
                                DermStore *store,
                                GFile     *file,
                                gboolean   bom,
                                gboolean   archived)
{
  ExportData *data;
  GWeakRef *ref;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (DERM_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (ExportData, 1);
  data->path = g_file_get_path (file);
  data->bom = bom;
  data->archived = archived;
  if (data->path == NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-toast", "s",
                                  _("Choose a folder on this computer to export to."));
      export_data_free (data);
      return;
    }

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, parent);
  derm_store_call_async (store, export_on_worker, export_on_worker, data,
                         (GDestroyNotify) export_data_free, g_free, NULL, on_exported, ref);
}

typedef struct
{
  GtkWindow *parent;  /* weak */
  DermStore *store;
} AskData;

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     AskData         *data)
{
  if (response == GTK_RESPONSE_ACCEPT && data->parent != NULL)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      const char *bom = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "bom");
      const char *archived = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "archived");

      derm_client_csv_export_to_file (data->parent, data->store, file,
                                      g_strcmp0 (bom, "true") == 0, g_strcmp0 (archived, "true") == 0);
    }

  g_clear_weak_pointer (&data->parent);
  g_clear_object (&data->store);
  g_free (data);
  g_object_unref (chooser);
}

void
derm_client_csv_export_ask (GtkWindow *parent,
                            DermStore *store)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  AskData *data;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (DERM_IS_STORE (store));

  chooser = gtk_file_chooser_native_new (_("Export Clients"), parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* Translators: the file name suggested for the client list export */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("clients.csv"));
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "bom",
                               _("For spreadsheets (UTF-8 with byte order mark)"), NULL, NULL);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "bom", "true");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "archived",
                               _("Include archived clients"), NULL, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  data = g_new0 (AskData, 1);
  g_set_weak_pointer (&data->parent, parent);
  data->store = g_object_ref (store);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

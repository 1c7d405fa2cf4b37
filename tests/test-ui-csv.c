/* test-ui-csv.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import Clients… and Export Clients… in the main window: the preview
 * maps the columns, lists the rows with their errors first, writes
 * nothing until Import and nothing at all while a row is bad; an import
 * lands in the list in one go; an export reads back. Screenshots go to
 * $DERMIS_SCREENSHOT_DIR.
 */
#define G_LOG_DOMAIN "test-ui-csv"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "derm-client-csv-export.h"
#include "derm-client-csv.h"
#include "derm-client-import-dialog.h"
#include "derm-client-list.h"
#include "derm-client.h"
#include "derm-csv.h"
#include "derm-store.h"
#include "derm-window.h"

#include "test-ui-util.h"

typedef struct
{
  char       *data_dir;
  char       *files_dir;
  DermStore  *store;
  DermWindow *window;
} Fixture;

static gboolean
list_loaded (gpointer data)
{
  DermClientList *list = data;

  return !derm_client_list_get_loading (list) && derm_client_list_get_n_clients (list) > 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr (DermClient) client = derm_client_new ();

  g_settings_reset (settings, "window-maximized");
  g_settings_set_int (settings, "window-width", 1366);
  g_settings_set_int (settings, "window-height", 768);

  fixture->data_dir = derm_test_make_data_dir ();
  fixture->files_dir = derm_test_make_data_dir ();
  fixture->store = derm_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);

  derm_client_set_name (client, "Paul Mulder");
  g_assert_true (derm_store_add_client (fixture->store, client, &error));
  g_assert_no_error (error);

  fixture->window = g_object_ref_sink (derm_window_new (NULL, fixture->store));
  gtk_window_present (GTK_WINDOW (fixture->window));
  derm_test_ui_await (list_loaded, derm_window_get_client_list (fixture->window), "list loaded");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr (GList) toplevels = NULL;

  derm_test_ui_await_tooltips ();
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != (gpointer) fixture->window)
      gtk_window_destroy (l->data);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  derm_test_ui_await_idle ();

  g_clear_object (&fixture->store);
  derm_test_remove_dir (fixture->data_dir);
  derm_test_remove_dir (fixture->files_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
  g_clear_pointer (&fixture->files_dir, g_free);
}

static GFile *
write_csv (Fixture    *fixture,
           const char *name,
           const char *text)
{
  g_autofree char *path = g_build_filename (fixture->files_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return g_file_new_for_path (path);
}

static DermClientImportDialog *
open_preview (Fixture *fixture,
              GFile   *file)
{
  derm_client_import_dialog_open_file (GTK_WINDOW (fixture->window), fixture->store, file);
  return DERM_CLIENT_IMPORT_DIALOG (derm_test_ui_await_toplevel (DERM_TYPE_CLIENT_IMPORT_DIALOG));
}

static guint
stored_clients (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) clients = derm_store_list_clients (fixture->store, TRUE, &error);

  g_assert_no_error (error);
  return clients->len;
}

static gboolean
import_enabled (DermClientImportDialog *dialog)
{
  /* The Import button follows its action */
  return gtk_widget_is_sensitive (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                             DERM_TYPE_CLIENT_IMPORT_DIALOG,
                                                                             "import_button")));
}

static gboolean
list_has_three (gpointer data)
{
  DermClientList *list = data;

  return !derm_client_list_get_loading (list) && derm_client_list_get_n_clients (list) == 3;
}

static void
test_preview_mapping_and_import (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr (GFile) file = write_csv (fixture, "clients.csv",
                                      DERM_CSV_BOM "Kundin,Phone,Hobby\r\n"
                                      "\"Müller, Zoë\",06 12 34 56 78,Tennis\r\n"
                                      "Søren Ødegård,,\r\n");
  DermClientImportDialog *dialog = open_preview (fixture, file);
  gpointer weak = dialog;
  g_autoptr (GPtrArray) audit = NULL;
  g_autoptr (GError) error = NULL;
  guint imports = 0;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  derm_test_ui_await_frame (GTK_WIDGET (dialog));

  /* "Kundin" names no field: no name column, nothing can be imported */
  g_assert_cmpint (adw_combo_row_get_selected (derm_client_import_dialog_get_column_row (dialog, 0)), ==,
                   DERM_CLIENT_COLUMN_IGNORE);
  g_assert_cmpint (adw_combo_row_get_selected (derm_client_import_dialog_get_column_row (dialog, 1)), ==,
                   DERM_CLIENT_COLUMN_PHONE);
  g_assert_nonnull (strstr (derm_client_import_dialog_get_status (dialog), "names"));
  g_assert_false (import_enabled (dialog));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.confirm", NULL);
  derm_test_ui_await_idle ();
  g_assert_cmpuint (stored_clients (fixture), ==, 1);

  /* Choosing the name column in the preview makes both rows clients */
  adw_combo_row_set_selected (derm_client_import_dialog_get_column_row (dialog, 0), DERM_CLIENT_COLUMN_NAME);
  g_assert_cmpstr (derm_client_import_dialog_get_status (dialog), ==, "2 clients are ready to import.");
  g_assert_true (import_enabled (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (derm_client_import_dialog_get_rows (dialog)), ==, 2);
  derm_test_ui_await_frame (GTK_WIDGET (dialog));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "client-import-preview"));
  g_assert_cmpuint (stored_clients (fixture), ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.confirm", NULL));
  derm_test_ui_await_finalized (&weak);
  derm_test_ui_await (list_has_three, derm_window_get_client_list (fixture->window), "the imported clients listed");
  g_assert_cmpuint (stored_clients (fixture), ==, 3);

  audit = derm_store_list_audit (fixture->store, 10, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      const char *action = NULL;

      g_variant_get (g_ptr_array_index (audit, i), "(x&s&s&sx&s)", NULL, NULL, &action, NULL, NULL, NULL);
      imports += g_str_equal (action, "import");
    }
  g_assert_cmpuint (imports, ==, 2);
}

static void
test_bad_rows_write_nothing (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr (GFile) file = write_csv (fixture, "bad.csv",
                                      "name,date_of_birth,email\n"
                                      "Ann Lee,1985-03-14,ann@example.com\n"
                                      "Bob Roe,01/06/1985,\n"
                                      "Cy Poe,,cy@\n");
  DermClientImportDialog *dialog = open_preview (fixture, file);
  GListModel *rows = derm_client_import_dialog_get_rows (dialog);
  g_autoptr (GtkStringObject) first = NULL;
  DermClientCsv *csv = derm_client_import_dialog_get_csv (dialog);
  gpointer weak;

  derm_test_ui_await_frame (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (derm_client_import_dialog_get_status (dialog), "2 rows of 3 have errors"));
  g_assert_false (import_enabled (dialog));

  /* The rows with errors come first, each with its row number */
  first = g_list_model_get_item (rows, 0);
  g_assert_cmpstr (gtk_string_object_get_string (first), ==, "1");
  g_assert_true (g_str_has_prefix (derm_client_csv_get_error (csv, 1), "Row 3: Date of birth"));
  g_assert_true (g_str_has_prefix (derm_client_csv_get_error (csv, 2), "Row 4: Email"));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (dialog), "client-import-errors"));

  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.confirm", NULL);
  derm_test_ui_await_idle ();
  g_assert_cmpuint (stored_clients (fixture), ==, 1);

  /* Cancel writes nothing either */
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  derm_test_ui_await_finalized (&weak);
  g_assert_cmpuint (stored_clients (fixture), ==, 1);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_IS_REGULAR);
}

static void
test_export_reads_back (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->files_dir, "export.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (DermClientCsv) csv = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length;

  derm_client_csv_export_to_file (GTK_WINDOW (fixture->window), fixture->store, file, TRUE, FALSE);
  derm_test_ui_await (file_exists, path, "the export written");
  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  g_assert_true (g_str_has_prefix (text, DERM_CSV_BOM "id,name,"));

  csv = derm_client_csv_new_from_data (text, length, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (derm_client_csv_is_ready (csv));
  g_assert_cmpuint (derm_client_csv_get_n_rows (csv), ==, 1);
  g_assert_cmpstr (derm_client_get_name (derm_client_csv_get_client (csv, 0)), ==, "Paul Mulder");
}

int
main (int   argc,
      char *argv[])
{
  derm_test_ui_init (&argc, &argv);

  g_test_add ("/ui/csv/preview-mapping-then-import", Fixture, NULL,
              fixture_set_up, test_preview_mapping_and_import, fixture_tear_down);
  g_test_add ("/ui/csv/bad-rows-listed-first-nothing-written", Fixture, NULL,
              fixture_set_up, test_bad_rows_write_nothing, fixture_tear_down);
  g_test_add ("/ui/csv/export-reads-back", Fixture, NULL,
              fixture_set_up, test_export_reads_back, fixture_tear_down);

  return g_test_run ();
}

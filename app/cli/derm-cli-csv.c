/* derm-cli-csv.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Clients to and from CSV files: client import, and client export
 * without an ID (derm-cli-backup.c's command, which hands it here). The
 * reading, the column names and the checks are derm-client-csv.c's, the
 * same the app's import preview uses.
 */

#define G_LOG_DOMAIN "derm-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-cli-common.h"
#include "derm-cli-csv.h"
#include "derm-client-csv.h"
#include "derm-client.h"
#include "derm-export-file.h"
#include "derm-store.h"

static int
cmd_client_import (DermCliInvocation *inv)
{
  g_autoptr (DermClientCsv) csv = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GPtrArray) clients = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) unknown = NULL;
  gboolean dry_run = FALSE;
  guint n_rows;
  int rc;
  const GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Check the file and write nothing"), NULL },
    { NULL }
  };

  inv->help_extra = _("The first row names the columns: name (required), date_of_birth (YYYY-MM-DD), "
                      "phone, email, fitzpatrick (I to VI), concerns (comma-separated keys), goals, "
                      "notes and archived (yes or no), as client export writes them; other columns "
                      "are left out. The file is UTF-8 (a byte order mark is fine), at most 8 MB. "
                      "Nothing is written unless every row is valid.");

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("CSV file"))))
    return rc;

  if (!(csv = derm_client_csv_new_from_file (inv->args[0], NULL, &error)))
    return derm_cli_fail_with_error (error);

  unknown = derm_client_csv_dup_unknown_headers (csv);
  for (guint i = 0; unknown[i] != NULL; i++)
    {
      g_autofree char *header = derm_cli_make_printable (g_strdup (unknown[i]));

      derm_cli_warn (_("Column “%s” is not a client field; it is not imported."), header);
    }

  if (derm_client_csv_get_mapping_error (csv) != NULL)
    return derm_cli_fail (DERM_EXIT_INVALID, _("%s The first row must name the columns, for example name,phone,email."),
                          derm_client_csv_get_mapping_error (csv));

  n_rows = derm_client_csv_get_n_rows (csv);
  if (derm_client_csv_get_n_errors (csv) > 0)
    {
      for (guint i = 0; i < n_rows; i++)
        {
          const char *message = derm_client_csv_get_error (csv, i);

          if (message != NULL)
            {
              g_autofree char *line = derm_cli_make_printable (g_strdup (message));

              derm_cli_warn ("%s", line);
            }
        }
      return derm_cli_fail (DERM_EXIT_INVALID,
                            ngettext ("%u row of %u has an error; nothing was imported.",
                                      "%u rows of %u have errors; nothing was imported.",
                                      derm_client_csv_get_n_errors (csv)),
                            derm_client_csv_get_n_errors (csv), n_rows);
    }

  clients = derm_client_csv_dup_clients (csv);

  if (!dry_run)
    {
      if (!(store = derm_cli_open_store (inv, &rc)))
        return rc;
      if (!derm_store_add_clients (store, clients, &error))
        return derm_cli_fail_with_error (error);
    }

  if (inv->json)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();
      JsonArray *ids = json_array_new ();

      for (guint i = 0; i < clients->len; i++)
        json_array_add_int_element (ids, derm_client_get_id (g_ptr_array_index (clients, i)));
      json_object_set_boolean_member (object, "dry_run", dry_run);
      json_object_set_int_member (object, "clients", clients->len);
      if (dry_run)
        json_array_unref (ids);
      else
        json_object_set_array_member (object, "ids", ids);
      json_node_take_object (node, object);
      derm_cli_print_json (node);
    }
  else if (dry_run)
    derm_cli_out (ngettext ("%u client would be imported; nothing was written.\n",
                            "%u clients would be imported; nothing was written.\n", clients->len),
                  clients->len);
  else
    derm_cli_out (ngettext ("Imported %u client.\n", "Imported %u clients.\n", clients->len), clients->len);

  return DERM_EXIT_OK;
}

int
derm_cli_export_clients_csv (DermCliInvocation *inv,
                             const char        *out,
                             gboolean           force,
                             gboolean           archived,
                             gboolean           bom)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GPtrArray) clients = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  int rc;

  if (!(store = derm_cli_open_store (inv, &rc)))
    return rc;
  if (!(clients = derm_store_list_clients (store, archived, &error)))
    return derm_cli_fail_with_error (error);

  bytes = derm_client_csv_export (clients, bom);
  if (!derm_export_file_write (out, derm_store_get_data_dir (store), force,
                               g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    return derm_cli_fail_with_error (error);

  if (inv->json)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "file", out);
      json_object_set_int_member (object, "clients", clients->len);
      json_node_take_object (node, object);
      derm_cli_print_json (node);
    }
  else
    derm_cli_out (ngettext ("Wrote %u client to %s.\n", "Wrote %u clients to %s.\n", clients->len),
                  clients->len, out);

  return DERM_EXIT_OK;
}

const DermCliCommand derm_cli_csv_commands[] = {
  { "client import", "FILE [--dry-run]",
    N_("Adds the clients of a CSV file, all or none: every row is checked first."), cmd_client_import },
  { NULL }
};

/* derm-cli-backup.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   dermis-cli backup create DEST [--keep N]
 *   dermis-cli backup verify DEST [--snapshot NAME]
 *   dermis-cli backup restore DEST --data-dir NEW [--snapshot NAME]
 *   dermis-cli client export [ID] --out FILE [--force] [--archived] [--bom]
 *   dermis-cli client erase ID --yes
 */
#define G_LOG_DOMAIN "derm-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-backup.h"
#include "derm-client-archive.h"
#include "derm-client.h"
#include "derm-photo-library.h"
#include "derm-cli-backup.h"
#include "derm-cli-csv.h"

static int
fail_backup (const GError *error)
{
  if (error->domain == DERM_BACKUP_ERROR)
    {
      switch ((DermBackupError) error->code)
        {
        case DERM_BACKUP_ERROR_DAMAGED:
        case DERM_BACKUP_ERROR_NO_SNAPSHOT:
          return derm_cli_fail (DERM_EXIT_MISMATCH, "%s", error->message);
        case DERM_BACKUP_ERROR_INVALID:
        case DERM_BACKUP_ERROR_NOT_EMPTY:
          return derm_cli_fail (DERM_EXIT_INVALID, "%s", error->message);
        case DERM_BACKUP_ERROR_BUSY:
        case DERM_BACKUP_ERROR_IO:
        default:
          return derm_cli_fail (DERM_EXIT_STORAGE, "%s", error->message);
        }
    }
  return derm_cli_fail_with_error (error);
}

static void
print_report (DermCliInvocation      *inv,
              const char             *dest,
              const DermBackupReport *report,
              const char             *text)
{
  if (inv->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "backup");
      json_builder_add_string_value (b, dest);
      json_builder_set_member_name (b, "snapshot");
      json_builder_add_string_value (b, report->snapshot);
      json_builder_set_member_name (b, "snapshots");
      json_builder_add_int_value (b, report->n_snapshots);
      json_builder_set_member_name (b, "photos");
      json_builder_add_int_value (b, report->n_photos);
      json_builder_set_member_name (b, "photos_copied");
      json_builder_add_int_value (b, report->n_copied);
      json_builder_set_member_name (b, "bytes_copied");
      json_builder_add_int_value (b, (gint64) report->bytes_copied);
      json_builder_set_member_name (b, "snapshots_removed");
      json_builder_add_int_value (b, report->n_removed);
      json_builder_set_member_name (b, "unfinished");
      json_builder_add_int_value (b, report->n_unfinished);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      derm_cli_print_json (node);
    }
  else
    derm_cli_out ("%s\n", text);
}

static int
cmd_create (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (DermBackupReport) report = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *originals = NULL, *copied = NULL, *kept = NULL;
  int keep = DERM_BACKUP_DEFAULT_KEEP;
  const GOptionEntry entries[] = {
    { "keep", 0, 0, G_OPTION_ARG_INT, &keep, N_("Keep the newest N backups (default 10)"), N_("N") },
    { NULL }
  };
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("backup folder"))))
    return rc;
  if (keep < 1 || keep > 1000)
    return derm_cli_usage_error (inv, _("--keep must be between 1 and 1000."));
  if (!(store = derm_cli_open_store (inv, &rc)))
    return rc;

  if (!derm_backup_create (store, inv->args[0], (guint) keep, &report, NULL, &error))
    return fail_backup (error);
  originals = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u original", "%u originals", report.n_photos),
                               report.n_photos);
  copied = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u copied this time (%llu bytes)",
                                         "%u copied this time (%llu bytes)", report.n_copied),
                            report.n_copied, (unsigned long long) report.bytes_copied);
  kept = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u backup kept", "%u backups kept", report.n_snapshots),
                          report.n_snapshots);
  /* TRANSLATORS: "Backup NAME written to FOLDER: 12 originals, 3 copied this time (...); 10 backups kept." */
  text = g_strdup_printf (_("Backup %s written to %s: %s, %s; %s."),
                          report.snapshot, inv->args[0], originals, copied, kept);
  print_report (inv, inv->args[0], &report, text);
  return DERM_EXIT_OK;
}

static int
cmd_verify (DermCliInvocation *inv)
{
  g_autoptr (GError) error = NULL;
  g_auto (DermBackupReport) report = { 0 };
  g_autofree char *snapshot = NULL;
  g_autofree char *text = NULL;
  const GOptionEntry entries[] = {
    { "snapshot", 0, 0, G_OPTION_ARG_STRING, &snapshot, N_("Check only this backup"), N_("NAME") },
    { NULL }
  };
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("backup folder"))))
    return rc;
  if (!derm_backup_verify (inv->args[0], snapshot, &report, &error))
    return fail_backup (error);
  {
    g_autofree char *backups = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u complete backup", "%u complete backups",
                                                             report.n_snapshots), report.n_snapshots);
    g_autofree char *originals = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u original", "%u originals",
                                                               report.n_photos), report.n_photos);

    /* TRANSLATORS: "3 complete backups in FOLDER verified; the newest, NAME, holds 12 originals." */
    text = g_strdup_printf (_("%s in %s verified; the newest, %s, holds %s."),
                            backups, inv->args[0], report.snapshot, originals);
  }
  print_report (inv, inv->args[0], &report, text);
  return DERM_EXIT_OK;
}

static int
cmd_restore (DermCliInvocation *inv)
{
  g_autoptr (GError) error = NULL;
  g_auto (DermBackupReport) report = { 0 };
  g_autofree char *snapshot = NULL;
  g_autofree char *text = NULL;
  const GOptionEntry entries[] = {
    { "snapshot", 0, 0, G_OPTION_ARG_STRING, &snapshot, N_("Restore this backup (default: the newest)"), N_("NAME") },
    { NULL }
  };
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("backup folder"))))
    return rc;
  if (inv->data_dir == NULL)
    return derm_cli_usage_error (inv, _("Give the new data folder to restore into: --data-dir NEW."));
  if (!derm_backup_restore (inv->args[0], snapshot, inv->data_dir, &report, &error))
    return fail_backup (error);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Backup %s restored into %s with %u original. Start Dermis with --data-dir %s to use it.",
                                       "Backup %s restored into %s with %u originals. Start Dermis with --data-dir %s to use it.",
                                       report.n_photos),
                          report.snapshot, inv->data_dir, report.n_photos, inv->data_dir);
  print_report (inv, inv->args[0], &report, text);
  return DERM_EXIT_OK;
}

static int
cmd_client_export (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  gboolean force = FALSE;
  gboolean archived = FALSE;
  gboolean bom = FALSE;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Write the archive (ZIP), or without ID the CSV, to FILE"), N_("FILE") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace FILE if it exists"), NULL },
    { "archived", 0, 0, G_OPTION_ARG_NONE, &archived, N_("Without ID: include archived clients"), NULL },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom,
      N_("Without ID: start the CSV with a byte order mark, so that spreadsheets read it as UTF-8"), NULL },
    { NULL }
  };
  guint n_photos = 0;
  gint64 id;
  int rc;

  inv->help_extra = _("With a client ID, the file is a ZIP archive of that client’s record and photos. "
                      "Without one, it is the client list as CSV (UTF-8, one row per client: id, name, "
                      "date_of_birth, phone, email, fitzpatrick, concerns, goals, notes, archived), "
                      "which client import reads back.");

  if ((rc = derm_cli_parse (inv, entries, 0, 1, NULL)))
    return rc;
  if (out == NULL)
    return derm_cli_usage_error (inv, _("Give the file to write: --out FILE."));
  if (inv->n_args == 0)
    return derm_cli_export_clients_csv (inv, out, force, archived, bom);
  if (archived || bom)
    return derm_cli_usage_error (inv, _("--archived and --bom are for the CSV client list, written without a client ID."));
  if ((rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &id)))
    return rc;
  if (!(store = derm_cli_open_store (inv, &rc)) ||
      !(client = derm_cli_get_client (store, id, &rc)))
    return rc;

  library = derm_photo_library_new (store, NULL);
  if (!derm_client_archive_export (library, id, out, force, &n_photos, &error))
    return derm_cli_fail_with_error (error);
  if (inv->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "client_id");
      json_builder_add_int_value (b, id);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, out);
      json_builder_set_member_name (b, "photos");
      json_builder_add_int_value (b, n_photos);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      derm_cli_print_json (node);
    }
  else
    derm_cli_out (ngettext ("The record of client %lld (%s), with %u photo, written to %s\n",
                            "The record of client %lld (%s), with %u photos, written to %s\n", n_photos),
                  (long long) id, derm_client_get_name (client), n_photos, out);
  return DERM_EXIT_OK;
}

static int
cmd_client_erase (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (GError) error = NULL;
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes, N_("Erase for good: there is no undo"), NULL },
    { NULL }
  };
  guint n_files = 0;
  gint64 id;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("client ID"))) ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &id)) ||
      !(store = derm_cli_open_store (inv, &rc)) ||
      !(client = derm_cli_get_client (store, id, &rc)))
    return rc;
  if (!yes)
    return derm_cli_usage_error (inv, _("Erasing client %lld (%s) removes every record and photo of theirs for good. Add --yes to erase."),
                                 (long long) id, derm_client_get_name (client));

  library = derm_photo_library_new (store, NULL);
  if (!derm_photo_library_erase_client (library, id, &n_files, &error))
    return derm_cli_fail_with_error (error);
  if (inv->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "erased_client");
      json_builder_add_int_value (b, id);
      json_builder_set_member_name (b, "erased_files");
      json_builder_add_int_value (b, n_files);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      derm_cli_print_json (node);
    }
  else
    derm_cli_out (ngettext ("Client %lld erased with their records; %u original file erased\n",
                            "Client %lld erased with their records; %u original files erased\n", n_files),
                  (long long) id, n_files);
  return DERM_EXIT_OK;
}

const DermCliCommand derm_cli_backup_commands[] = {
  { "backup create", "DEST [--keep N]",
    N_("Backs up the records and originals into DEST while Dermis runs; only new originals are copied."),
    cmd_create, DERM_CLI_READS },
  { "backup verify", "DEST [--snapshot NAME]",
    N_("Checks every backup in DEST against its manifest of SHA-256s; exit status 6 on a problem."),
    cmd_verify, DERM_CLI_READS },
  { "backup restore", "DEST --data-dir NEW [--snapshot NAME]",
    N_("Restores the newest (or the named) backup into the new, empty data folder NEW."),
    cmd_restore, DERM_CLI_WRITES },
  { "client export", "[ID] --out FILE [--force] [--archived] [--bom]",
    N_("Writes a client’s whole record and original photos into one ZIP archive, for the client to take away; "
       "without ID, the client list as CSV."),
    cmd_client_export, DERM_CLI_READS },
  { "client erase", "ID --yes",
    N_("Erases a client for good: records, photos no other client uses, thumbnails and cached analyses."),
    cmd_client_erase, DERM_CLI_WRITES },
  { NULL }
};

/* derm-cli.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * dermis-cli: the client records, photos and treatment plan from the
 * command line, for clinic IT and scripting, on the same store as the app.
 * This file holds main(), the options accepted before the command, the
 * overall --help and the list of command tables; each command lives in the
 * file of its group and uses derm-cli-common.h for everything it shares.
 *
 * It is built twice. dermis-cli-full (installed in libexecdir) has every
 * command. dermis-cli, the program people run, is built with
 * DERM_CLI_FRONT and only the records and plan tables (without plan
 * export-ics), so it links neither OpenCV nor the photo codecs (libheif,
 * exiv2, libtiff, libpng) nor libical and ICU: --version, client list or
 * plan create do not pay for loading ~40 libraries they never call.
 * Anything it does not run itself (the photo, analyze, align, compare,
 * backup and export-ics commands, a group's or the overall --help, an
 * unknown command) it hands to dermis-cli-full with execv(), arguments,
 * environment and exit code unchanged.
 */

#define G_LOG_DOMAIN "derm-cli"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "derm-cli-backup.h"
#include "derm-cli-common.h"
#include "derm-cli-csv.h"
#include "derm-cli-plan.h"
#include "derm-cli-records.h"
#ifndef DERM_CLI_FRONT
#include "derm-cli-consent.h"
#include "derm-cli-documents.h"
#include "derm-cli-clinic.h"
#include "derm-cli-imaging.h"
#include "derm-cli-photo.h"
#endif

#define PROGRAM_NAME DERM_CLI_PROGRAM_NAME

#ifdef DERM_CLI_FRONT

/* What the front runs itself */
static const DermCliCommand * const derm_cli_tables[] = {
  derm_cli_records_commands,
  derm_cli_csv_commands,
  derm_cli_plan_commands,
  NULL
};

/* Runs dermis-cli-full with our own arguments: found beside this program
 * (the build tree), else where it is installed. Returns only on failure. */
static int
run_full (char *argv[])
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *path = NULL;
  int saved;

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);

      path = g_build_filename (dir, DERM_CLI_FULL_NAME, NULL);
    }
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_free (path);
      path = g_build_filename (LIBEXECDIR, DERM_CLI_FULL_NAME, NULL);
    }
  execv (path, argv);
  saved = errno;
  return derm_cli_fail (DERM_EXIT_FAILURE, _("Cannot run %s: %s. Reinstall Dermis."), path, g_strerror (saved));
}

#else

/* Every command, in the order --help lists them */
static const DermCliCommand * const derm_cli_tables[] = {
  derm_cli_records_commands,
  derm_cli_csv_commands,
  derm_cli_photo_commands,
  derm_cli_plan_commands,
  derm_cli_imaging_commands,
  derm_cli_backup_commands,
  derm_cli_documents_commands,
  derm_cli_clinic_commands,
  derm_cli_consent_commands,
  NULL
};

#endif

static void
print_usage (void)
{
  derm_cli_out (_("Usage: %s [--data-dir DIR] [--json] COMMAND [SUBCOMMAND] [ARGUMENTS]\n"
                  "\n"
                  "Client records, photos and the treatment plan, on the same store as Dermis.\n"
                  "\n"
                  "Commands:\n"),
                PROGRAM_NAME);
  derm_cli_print_commands (derm_cli_tables, NULL, FALSE);
  derm_cli_out (_("\n"
                  "Options (before or after the command):\n"
                  "  --data-dir DIR  Use the records in DIR (default: $DERMIS_DATA_DIR, else\n"
                  "                  $XDG_DATA_HOME/dermis)\n"
                  "  --json          Print one JSON document instead of text\n"
                  "  -h, --help      Show this help\n"
                  "  --version       Show the version\n"
                  "\n"
                  "Run “%s COMMAND --help” for a command’s arguments and options,\n"
                  "and “%s GROUP --help” (client, photo, plan, …) for a group’s commands.\n"
                  "\n"),
                PROGRAM_NAME, PROGRAM_NAME);
  derm_cli_out ("%s\n", derm_cli_exit_status_help ());
}

int
main (int   argc,
      char *argv[])
{
  const char *data_dir = NULL;
  gboolean json = FALSE;
  int i;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname (PROGRAM_NAME);

  /* Options before the command */
  for (i = 1; i < argc && argv[i][0] == '-'; i++)
    {
      const char *arg = argv[i];

      if (derm_cli_is_help (arg))
        {
#ifdef DERM_CLI_FRONT
          return run_full (argv);
#endif
          print_usage ();
          return DERM_EXIT_OK;
        }
      else if (g_str_equal (arg, "--version"))
        {
          derm_cli_out ("%s %s\n", PROGRAM_NAME, PACKAGE_VERSION);
          return DERM_EXIT_OK;
        }
      else if (g_str_equal (arg, "--json"))
        json = TRUE;
      else if (g_str_equal (arg, "--data-dir"))
        {
          if (i + 1 >= argc)
            return derm_cli_usage_error (NULL, _("Missing argument for --data-dir."));
          data_dir = argv[++i];
        }
      else if (g_str_has_prefix (arg, "--data-dir="))
        data_dir = arg + strlen ("--data-dir=");
      else if (g_str_equal (arg, "--"))
        {
          i++;
          break;
        }
      else
        return derm_cli_usage_error (NULL, _("Unknown option %s."), arg);
    }

  if (i >= argc)
    return derm_cli_usage_error (NULL, _("Missing command."));

#ifdef DERM_CLI_FRONT
  if (!derm_cli_tables_have (derm_cli_tables, argc - i, argv + i))
    return run_full (argv);
#endif

  /* "dermis-cli help" and "dermis-cli help COMMAND [SUBCOMMAND]" */
  if (g_str_equal (argv[i], "help"))
    {
      g_autoptr (GPtrArray) args = g_ptr_array_new ();

      if (i + 1 >= argc)
        {
          print_usage ();
          return DERM_EXIT_OK;
        }
      for (int k = i + 1; k < argc; k++)
        g_ptr_array_add (args, argv[k]);
      g_ptr_array_add (args, (char *) "--help");
      g_ptr_array_add (args, NULL);
      return derm_cli_dispatch (derm_cli_tables, data_dir, json,
                                (int) args->len - 1, (char **) args->pdata);
    }

  return derm_cli_dispatch (derm_cli_tables, data_dir, json, argc - i, argv + i);
}

/* derm-cli-common.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every dermis-cli command shares: the command table, option parsing
 * (with --data-dir, --json and --help/-h), the exit codes and the one map
 * from errors to them, output (raw UTF-8 text, tables, JSON), opening the
 * store and looking records up by ID. Every message a command prints about
 * its command line, a missing record or a failure comes from here, so it
 * has one wording in every command.
 *
 * How to add a command
 * --------------------
 * 1. Write the handler in the file of its group (derm-cli-records.c for
 *    client/screening/session, derm-cli-photo.c, derm-cli-plan.c,
 *    derm-cli-imaging.c), or in a new derm-cli-GROUP.c:
 *
 *      static int
 *      cmd_client_erase (DermCliInvocation *inv)
 *      {
 *        g_autoptr (DermStore) store = NULL;
 *        g_autoptr (DermClient) client = NULL;
 *        gboolean yes = FALSE;
 *        const GOptionEntry entries[] = {
 *          { "yes", 0, 0, G_OPTION_ARG_NONE, &yes, N_("Erase for good"), NULL },
 *          { NULL }
 *        };
 *        gint64 id;
 *        int rc;
 *
 *        if ((rc = derm_cli_parse (inv, entries, 1, 1, _("client ID"))) ||
 *            (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &id)) ||
 *            !(store = derm_cli_open_store (inv, &rc)) ||
 *            !(client = derm_cli_get_client (store, id, &rc)))
 *          return rc;
 *        ...
 *        if (!derm_store_erase_client (store, id, &error))
 *          return derm_cli_fail_with_error (error);
 *        if (inv->json) derm_cli_print_json (node); else derm_cli_out (...);
 *        return DERM_EXIT_OK;
 *      }
 *
 *    derm_cli_parse() handles --help/-h (prints the command's help built
 *    from the table line and @entries, and returns DERM_CLI_HELP_SHOWN,
 *    which the dispatcher turns into exit status 0), --data-dir and --json
 *    before or after the command, unknown options and the argument count,
 *    each with the "See “dermis-cli COMMAND --help”." hint.
 *
 * 2. Add one line to that file's table, which ends with { NULL }:
 *
 *      { "client erase", "ID [--yes]", N_("Erases a client and all their records for good."), cmd_client_erase },
 *
 *    The name is one word ("analyze") or two ("client erase"); commands
 *    sharing a first word form a group (`dermis-cli client --help`).
 *    `dermis-cli --help` lists every line of every table, in table order.
 *
 * 3. Only for a new file: declare its table in its header, list the table
 *    in derm_cli_tables[] in derm-cli.c, and add the file to meson.build.
 *
 * 4. Test it in tests/test-cli.c: /cli/help/every-command checks that
 *    `--help` and `-h` work for it from the table, with no change there.
 *
 * Failures: return derm_cli_fail (code, ...) for your own checks, and
 * derm_cli_fail_with_error (error) for a GError, which picks the exit code
 * from derm_cli_exit_code_for_error(). A new error domain gets its line in
 * that function, not a map of its own.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "derm-client.h"
#include "derm-photo-use.h"
#include "derm-store.h"

G_BEGIN_DECLS

#define DERM_CLI_PROGRAM_NAME "dermis-cli"

typedef enum
{
  DERM_EXIT_OK        = 0,
  DERM_EXIT_FAILURE   = 1,  /* unexpected failure */
  DERM_EXIT_USAGE     = 2,  /* bad command line */
  DERM_EXIT_NOT_FOUND = 3,  /* no such client, session, photo, appointment, file */
  DERM_EXIT_INVALID   = 4,  /* input that fails validation, an unreadable image */
  DERM_EXIT_STORAGE   = 5,  /* the store could not be opened, read or written */
  DERM_EXIT_MISMATCH  = 6,  /* verification failed: damaged or missing photo files */
} DermExitCode;

/* Returned by derm_cli_parse() when it printed the help: the handler
 * returns it as it is and the dispatcher exits with status 0. */
#define DERM_CLI_HELP_SHOWN (-1)

typedef struct _DermCliInvocation DermCliInvocation;

typedef int (*DermCliHandler) (DermCliInvocation *inv);

/* Whether a command may create the database (derm_cli_open_store()) */
typedef enum
{
  DERM_CLI_WRITES = 0,  /* the default: may create the data folder and database */
  DERM_CLI_READS,       /* only reads: a folder without a database is an error (exit 5) */
} DermCliAccess;

typedef struct
{
  const char     *name;      /* "client add", "analyze" */
  const char     *synopsis;  /* what follows the name: "ID [--undo]", or NULL */
  const char     *help;      /* one sentence, marked N_() */
  DermCliHandler  handler;
  DermCliAccess   access;    /* DERM_CLI_READS for list, show, verify, export */
} DermCliCommand;

struct _DermCliInvocation
{
  const DermCliCommand *command;

  /* May be set before derm_cli_parse(): more text for the command's --help,
   * shown above the exit status list; owned by the handler */
  const char  *help_extra;

  /* Set by derm_cli_parse() */
  const char  *data_dir;   /* NULL: the default data directory */
  gboolean     json;
  char       **args;       /* positional arguments, NULL-terminated */
  guint        n_args;

  /*< private >*/
  int          argc;       /* the arguments after the command name */
  char       **argv;
  const char  *global_data_dir;
  gboolean     global_json;
  char        *local_data_dir;
  GStrv        strv;
};

/* The exit status list, for help texts ("Exit status: 0 done, ...") */
const char *derm_cli_exit_status_help (void);

/* --- running commands (derm-cli.c) ------------------------------------- */

/* Whether @argv names a command of @tables: a one-word command, or a
 * group and a subcommand of it. What the front program runs itself (see
 * derm-cli.c). */
gboolean derm_cli_tables_have            (const DermCliCommand * const *tables,
                                          int                           argc,
                                          char                        **argv);

/* Finds the command named by argv[0] (and argv[1] for a two-word name) in
 * @tables (NULL-terminated list of { NULL }-terminated tables), runs it and
 * returns its exit code. Prints the group's list for "GROUP --help" and a
 * usage error for an unknown command. */
int      derm_cli_dispatch              (const DermCliCommand * const *tables,
                                         const char                   *global_data_dir,
                                         gboolean                      global_json,
                                         int                           argc,
                                         char                        **argv);

/* Prints "  NAME   HELP" for every command of @tables whose first word is
 * @group (every command when NULL). With @synopsis, the argument synopsis
 * is printed under each name. */
void     derm_cli_print_commands        (const DermCliCommand * const *tables,
                                         const char                   *group,
                                         gboolean                      synopsis);

/* Whether @arg asks for help: --help, -h or help */
gboolean derm_cli_is_help               (const char *arg);

/* --- parsing ----------------------------------------------------------- */

/* Parses the options of @inv with @entries (may be NULL) plus the common
 * ones, then checks there are @min_args to @max_args positional arguments
 * (G_MAXUINT: any number); @missing names what is missing ("client ID").
 * Returns DERM_EXIT_OK, DERM_CLI_HELP_SHOWN, or a usage error's code. */
int      derm_cli_parse                 (DermCliInvocation  *inv,
                                         const GOptionEntry *entries,
                                         guint               min_args,
                                         guint               max_args,
                                         const char         *missing);

typedef enum
{
  DERM_CLI_CLIENT,
  DERM_CLI_SESSION,
  DERM_CLI_PHOTO,
  DERM_CLI_APPOINTMENT,
} DermCliRecord;

/* Parses a record ID (a positive number) or prints the one usage error */
int      derm_cli_parse_id              (DermCliInvocation *inv,
                                         DermCliRecord      kind,
                                         const char        *text,
                                         gint64            *id);

/* Parses YYYY-MM-DD given to @option, or prints the usage error */
int      derm_cli_parse_date            (DermCliInvocation *inv,
                                         const char        *option,
                                         const char        *text,
                                         GDate             *date);

/* --- failing ----------------------------------------------------------- */

/* Prints "dermis-cli: MESSAGE" as one line on stderr and returns @exit_code */
int      derm_cli_fail                  (int         exit_code,
                                         const char *format,
                                         ...) G_GNUC_PRINTF (2, 3);

/* A usage error with the hint: "MESSAGE See “dermis-cli COMMAND --help”." */
int      derm_cli_usage_error           (DermCliInvocation *inv,
                                         const char        *format,
                                         ...) G_GNUC_PRINTF (2, 3);

/* Prints "dermis-cli: MESSAGE" on stderr and goes on (one failed file of many) */
/* Replaces, in place, every control character of @text (a newline, an
 * escape) by "?", so a name from outside shows as one harmless line;
 * returns @text */
char    *derm_cli_make_printable        (char       *text);
void     derm_cli_warn                  (const char *format,
                                         ...) G_GNUC_PRINTF (1, 2);

/* The one error -> exit code map */
int      derm_cli_exit_code_for_error   (const GError *error);

/* The imaging library's status codes (derm-imaging.h) -> exit code */
int      derm_cli_exit_code_for_status  (int status);

/* Prints @error's message and returns its exit code */
int      derm_cli_fail_with_error       (const GError *error);

/* "No client with ID 999. Use “dermis-cli client list --archived” to see every ID." */
int      derm_cli_fail_not_found        (DermCliRecord kind,
                                         gint64        id);

/* After a failed lookup of @kind @id: the not-found message when @error
 * says not found, else @error's message; returns the exit code */
int      derm_cli_fail_lookup           (DermCliRecord  kind,
                                         gint64         id,
                                         const GError  *error);

/* --- output ------------------------------------------------------------ */

/* stdout as raw UTF-8: g_print() would convert to the locale's charset and
 * mangle names and JSON under LANG=C */
void     derm_cli_out                   (const char *format,
                                         ...) G_GNUC_PRINTF (1, 2);

/* One JSON document, indented, with a final newline */
void     derm_cli_print_json            (JsonNode *node);

/* Makes the JSON of one record of a list */
typedef JsonNode *(*DermCliToJson)      (gpointer item);
/* A JSON array of @to_json's node for each of @items, in order */
JsonNode *derm_cli_json_array           (GPtrArray     *items,
                                         DermCliToJson  to_json);

/* Terminal width of @text: wide (CJK) characters take two cells */
gsize    derm_cli_display_width         (const char *text);

/* Appends @text to @line, padded with blanks to @width cells */
void     derm_cli_append_padded         (GString    *line,
                                         const char *text,
                                         gsize       width);

/* Prints @cells (row-major, @n_columns per row, NULL shown as empty) under
 * @headers, columns two spaces apart, lined up for any script */
void     derm_cli_print_table           (const char * const *headers,
                                         guint               n_columns,
                                         GPtrArray          *cells);

/* Label/value pairs for derm_cli_print_fields(); a NULL or empty value is left out */
void     derm_cli_add_field             (GPtrArray  *fields,
                                         const char *label,
                                         const char *value);
void     derm_cli_print_fields          (GPtrArray  *fields);

/* --- the store --------------------------------------------------------- */

/* For a DERM_CLI_READS command, a folder without a database fails with
 * "No Dermis database in ..." (exit 5) and nothing is created: a mistyped
 * --data-dir must not pass as an empty set of records */
DermStore  *derm_cli_open_store         (DermCliInvocation *inv,
                                         int               *exit_code);

/* The client, or NULL with the not-found message (or the store's error) printed */
DermClient *derm_cli_get_client         (DermStore *store,
                                         gint64     id,
                                         int       *exit_code);

/* --- photo-use consent (derm-photo-use.h) ------------------------------ */

/* --use TEXT (NULL: the clinical record), or prints the usage error */
int         derm_cli_parse_photo_use    (DermCliInvocation *inv,
                                         const char        *text,
                                         DermPhotoUse      *use);

/* The check before an export of @photos for @use (@what: "photo-export",
 * "report"): DERM_EXIT_OK, or the one-line refusal naming the photo and
 * --override-consent printed and DERM_EXIT_INVALID (4) returned; with
 * @override the export goes ahead and is written to the audit log */
int         derm_cli_check_photo_use    (DermStore         *store,
                                         GPtrArray         *photos,
                                         DermPhotoUse       use,
                                         gboolean           override,
                                         const char        *what);

G_END_DECLS

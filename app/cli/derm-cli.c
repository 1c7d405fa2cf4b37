/* derm-cli.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * dermis-cli: the client records from the command line, for clinic IT
 * and scripting, on the same store as the app. Each subcommand parses
 * its own options with a GOptionContext; the common ones (--data-dir,
 * --json) are accepted before the command and after it. Output goes to
 * stdout as raw UTF-8 (text or one JSON document), errors to stderr as
 * one line, and the exit code says what kind of failure it was
 * (derm-cli-common.h).
 */

#define G_LOG_DOMAIN "derm-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "derm-cli-common.h"
#include "derm-cli-imaging.h"
#include "derm-cli-photo.h"
#include "derm-cli-plan.h"
#include "derm-client.h"
#include "derm-enums.h"
#include "derm-finding.h"
#include "derm-json.h"
#include "derm-screening-rules.h"
#include "derm-screening.h"
#include "derm-store.h"
#include "derm-treatment.h"
#include "derm-validate.h"

#define PROGRAM_NAME "dermis-cli"

/* Options accepted before the command */
typedef struct
{
  const char *data_dir;
  gboolean    json;
} CliGlobals;

/* What a subcommand handler gets once its options are parsed */
typedef struct
{
  const char  *data_dir;
  gboolean     json;
  char       **args;      /* positional arguments after the subcommand */
  guint        n_args;
} CliContext;

/* Output helpers
 *
 * g_print() and g_printerr() convert to the locale's charset, which
 * would mangle names and JSON under LANG=C; the CLI writes UTF-8 as is.
 */

static void out (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
out (const char *format,
     ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  fputs (text, stdout);
}

static int fail (int         exit_code,
                 const char *format,
                 ...) G_GNUC_PRINTF (2, 3);

static int
fail (int         exit_code,
      const char *format,
      ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "%s: %s\n", PROGRAM_NAME, text);
  return exit_code;
}

static int
exit_code_for_error (const GError *error)
{
  if (error->domain == DERM_VALIDATION_ERROR)
    return DERM_EXIT_INVALID;
  if (g_error_matches (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND))
    return DERM_EXIT_NOT_FOUND;
  if (error->domain == DERM_STORE_ERROR ||
      error->domain == G_IO_ERROR ||
      error->domain == G_FILE_ERROR)
    return DERM_EXIT_STORAGE;
  if (error->domain == G_OPTION_ERROR)
    return DERM_EXIT_USAGE;

  return DERM_EXIT_FAILURE;
}

static int
fail_with_error (const GError *error)
{
  return fail (exit_code_for_error (error), "%s", error->message);
}

static void
print_json (JsonNode *node)
{
  g_autofree char *text = derm_json_to_string (node, TRUE);

  out ("%s\n", text);
}

/* Width on a terminal: wide (CJK) characters take two cells,
 * combining marks none, so columns line up with any name. */
static gsize
display_width (const char *text)
{
  gsize width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

static void
append_padded (GString    *line,
               const char *text,
               gsize       width)
{
  g_string_append (line, text);
  for (gsize i = display_width (text); i < width; i++)
    g_string_append_c (line, ' ');
}

/* Prints one table row; trailing blanks of empty last cells are cut */
static void
print_row (const char * const *cells,
           const gsize        *widths,
           guint               n_columns)
{
  g_autoptr (GString) line = g_string_new (NULL);

  for (guint c = 0; c < n_columns; c++)
    {
      append_padded (line, cells[c] != NULL ? cells[c] : "", widths[c]);
      if (c + 1 < n_columns)
        g_string_append (line, "  ");
    }

  while (line->len > 0 && line->str[line->len - 1] == ' ')
    g_string_truncate (line, line->len - 1);

  out ("%s\n", line->str);
}

/* Prints @cells (row-major, @n_columns per row, NULL shown as empty)
 * under @headers, columns two spaces apart. */
static void
print_table (const char * const *headers,
             guint               n_columns,
             GPtrArray          *cells)
{
  g_autofree gsize *widths = g_new0 (gsize, n_columns);

  for (guint c = 0; c < n_columns; c++)
    widths[c] = display_width (headers[c]);
  for (guint i = 0; i < cells->len; i++)
    {
      const char *cell = g_ptr_array_index (cells, i);

      if (cell != NULL)
        widths[i % n_columns] = MAX (widths[i % n_columns], display_width (cell));
    }

  print_row (headers, widths, n_columns);
  for (guint i = 0; i + n_columns <= cells->len; i += n_columns)
    print_row ((const char * const *) &cells->pdata[i], widths, n_columns);
}

/* Label/value pairs, printed as an aligned block; pairs with a NULL
 * or empty value are left out. */
static void
add_field (GPtrArray  *fields,
           const char *label,
           const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;

  g_ptr_array_add (fields, g_strdup (label));
  g_ptr_array_add (fields, g_strdup (value));
}

static void
print_fields (GPtrArray *fields)
{
  gsize width = 0;

  for (guint i = 0; i < fields->len; i += 2)
    width = MAX (width, display_width (g_ptr_array_index (fields, i)));

  for (guint i = 0; i < fields->len; i += 2)
    {
      g_autofree char *label = g_strdup_printf ("%s:", (char *) g_ptr_array_index (fields, i));
      g_autoptr (GString) line = g_string_new (NULL);

      append_padded (line, label, width + 3);
      out ("%s%s\n", line->str, (char *) g_ptr_array_index (fields, i + 1));
    }
}

static char *
concerns_to_labels (DermConcerns concerns)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  for (guint i = 0; i < DERM_N_CONCERNS; i++)
    {
      DermConcerns concern = derm_concern_nth (i);

      if ((concerns & concern) != 0)
        g_ptr_array_add (labels, (gpointer) derm_concern_to_label (concern));
    }
  g_ptr_array_add (labels, NULL);

  return g_strjoinv (", ", (char **) labels->pdata);
}

static void
print_findings (GPtrArray *findings)
{
  gsize width = 0;

  if (findings == NULL || findings->len == 0)
    {
      out ("  %s\n", _("Nothing found that stands against treatment."));
      return;
    }

  for (guint i = 0; i < findings->len; i++)
    {
      DermFinding *finding = g_ptr_array_index (findings, i);

      width = MAX (width, display_width (derm_severity_to_label (derm_finding_get_severity (finding))));
    }

  for (guint i = 0; i < findings->len; i++)
    {
      DermFinding *finding = g_ptr_array_index (findings, i);
      const char *until = derm_finding_get_until (finding);

      g_autoptr (GString) line = g_string_new ("  ");

      append_padded (line, derm_severity_to_label (derm_finding_get_severity (finding)), width + 2);
      g_string_append (line, derm_finding_get_reason (finding));
      if (until != NULL)
        {
          g_string_append_c (line, ' ');
          /* Translators: %s is an ISO date such as 2026-09-01 */
          g_string_append_printf (line, _("(until %s)"), until);
        }
      out ("%s\n", line->str);
    }
}

/* Option parsing */

/* "active-infection, open-wounds, …" for help and error messages */
static char *
question_keys (void)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();

  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    g_ptr_array_add (keys, (gpointer) derm_question_to_key ((DermQuestion) q));
  g_ptr_array_add (keys, NULL);

  return g_strjoinv (", ", (char **) keys->pdata);
}

static char *
concern_keys (void)
{
  g_auto (GStrv) keys = NULL;
  g_autofree char *all = derm_concerns_to_string (DERM_CONCERN_ALL);

  keys = g_strsplit (all, ",", -1);
  return g_strjoinv (", ", keys);
}

/* Parses @argv (argv[0] is the subcommand) with @entries plus the common
 * options, and fills @ctx with what is left. @args_out keeps the strings
 * alive. Returns DERM_EXIT_OK or the exit code to return. */
static int
parse_subcommand (const char          *command,
                  const char          *parameters,
                  const char          *summary,
                  const GOptionEntry  *entries,
                  const CliGlobals    *globals,
                  int                  argc,
                  char               **argv,
                  char               **data_dir_out,
                  GStrv               *args_out,
                  CliContext          *ctx)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *parameter_string = NULL;
  g_auto (GStrv) strv = NULL;
  gboolean json = FALSE;
  const GOptionEntry common_entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, data_dir_out,
      N_("Use the records in DIR instead of the default data directory"), N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON document instead of text"), NULL },
    { NULL }
  };

  parameter_string = g_strdup_printf ("%s%s%s", command,
                                      parameters != NULL ? " " : "",
                                      parameters != NULL ? parameters : "");
  context = g_option_context_new (parameter_string);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);

  /* GOptionContext skips argv[0]; give it the program name there */
  strv = g_new0 (char *, argc + 1);
  strv[0] = g_strdup (PROGRAM_NAME);
  for (int i = 1; i < argc; i++)
    strv[i] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (context, &strv, &error))
    return fail (DERM_EXIT_USAGE, _("%s. See “%s %s --help”."),
                 error->message, PROGRAM_NAME, command);

  ctx->data_dir = *data_dir_out != NULL ? *data_dir_out : globals->data_dir;
  if (ctx->data_dir != NULL && ctx->data_dir[0] == '\0')
    return fail (DERM_EXIT_USAGE, _("The data directory is empty. Give a directory: --data-dir DIR."));
  ctx->json = json || globals->json;
  ctx->args = strv + 1;
  ctx->n_args = g_strv_length (ctx->args);
  *args_out = g_steal_pointer (&strv);

  return DERM_EXIT_OK;
}

static int
expect_args (const char       *command,
             const CliContext *ctx,
             guint             n_args,
             const char       *what)
{
  if (ctx->n_args < n_args)
    return fail (DERM_EXIT_USAGE, _("Missing %s. See “%s %s --help”."),
                 what, PROGRAM_NAME, command);
  if (ctx->n_args > n_args)
    return fail (DERM_EXIT_USAGE, _("Unexpected argument “%s”. See “%s %s --help”."),
                 ctx->args[n_args], PROGRAM_NAME, command);

  return DERM_EXIT_OK;
}

static int
parse_id (const char *text,
          gint64     *id)
{
  if (!g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, id, NULL))
    return fail (DERM_EXIT_USAGE,
                 _("“%s” is not a client ID. Use the number shown by “%s client list”."),
                 text, PROGRAM_NAME);

  return DERM_EXIT_OK;
}

/* Splits "key=value" at the first '=' */
static gboolean
split_assignment (const char  *text,
                  char       **key,
                  const char **value)
{
  const char *eq = strchr (text, '=');

  if (eq == NULL || eq == text)
    return FALSE;

  *key = g_strndup (text, eq - text);
  *value = eq + 1;
  return TRUE;
}

/* Store access */

static DermStore *
open_store (const CliContext *ctx,
            int              *exit_code)
{
  g_autoptr (GError) error = NULL;
  DermStore *store;

  store = derm_store_open (ctx->data_dir, &error);
  if (store == NULL)
    {
      /* Whatever went wrong, nothing could be read or written */
      *exit_code = fail (DERM_EXIT_STORAGE, "%s", error->message);
      return NULL;
    }

  return store;
}

static DermClient *
lookup_client (DermStore *store,
               gint64     id,
               int       *exit_code)
{
  g_autoptr (GError) error = NULL;
  DermClient *client;

  client = derm_store_get_client (store, id, &error);
  if (client == NULL)
    {
      if (g_error_matches (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND))
        *exit_code = fail (DERM_EXIT_NOT_FOUND,
                           _("No client with ID %lld. Use “%s client list --archived” to see every ID."),
                           (long long) id, PROGRAM_NAME);
      else
        *exit_code = fail_with_error (error);
      return NULL;
    }

  return client;
}

/* client add / update */

typedef struct
{
  char *name;
  char *dob;
  char *phone;
  char *email;
  char *fitzpatrick;
  char *concerns;
  char *goals;
  char *notes;
} ClientOptions;

static void
client_options_clear (ClientOptions *opts)
{
  g_clear_pointer (&opts->name, g_free);
  g_clear_pointer (&opts->dob, g_free);
  g_clear_pointer (&opts->phone, g_free);
  g_clear_pointer (&opts->email, g_free);
  g_clear_pointer (&opts->fitzpatrick, g_free);
  g_clear_pointer (&opts->concerns, g_free);
  g_clear_pointer (&opts->goals, g_free);
  g_clear_pointer (&opts->notes, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ClientOptions, client_options_clear)

static gboolean
client_options_empty (const ClientOptions *opts)
{
  return opts->name == NULL && opts->dob == NULL && opts->phone == NULL &&
         opts->email == NULL && opts->fitzpatrick == NULL && opts->concerns == NULL &&
         opts->goals == NULL && opts->notes == NULL;
}

/* Copies the options that were given onto @client; an empty value
 * clears the field. Validation of the rest is the store's. */
static int
apply_client_options (DermClient          *client,
                      const ClientOptions *opts)
{
  if (opts->fitzpatrick != NULL)
    {
      guint type = DERM_FITZPATRICK_UNSET;

      if (opts->fitzpatrick[0] != '\0' &&
          !derm_fitzpatrick_from_string (opts->fitzpatrick, &type))
        return fail (DERM_EXIT_INVALID,
                     _("Skin type “%s” is not a Fitzpatrick type. Use I, II, III, IV, V or VI."),
                     opts->fitzpatrick);
      derm_client_set_fitzpatrick (client, type);
    }

  if (opts->concerns != NULL)
    {
      DermConcerns concerns = DERM_CONCERN_NONE;
      g_autofree char *bad_key = NULL;

      if (opts->concerns[0] != '\0' &&
          !derm_concerns_from_string (opts->concerns, &concerns, &bad_key))
        {
          g_autofree char *keys = concern_keys ();

          return fail (DERM_EXIT_INVALID,
                       _("“%s” is not a known concern. Use a comma-separated list of: %s."),
                       bad_key != NULL ? bad_key : opts->concerns, keys);
        }
      derm_client_set_concerns (client, concerns);
    }

  if (opts->name != NULL)
    derm_client_set_name (client, opts->name);
  if (opts->dob != NULL)
    derm_client_set_date_of_birth (client, opts->dob);
  if (opts->phone != NULL)
    derm_client_set_phone (client, opts->phone);
  if (opts->email != NULL)
    derm_client_set_email (client, opts->email);
  if (opts->goals != NULL)
    derm_client_set_goals (client, opts->goals);
  if (opts->notes != NULL)
    derm_client_set_notes (client, opts->notes);

  return DERM_EXIT_OK;
}

#define CLIENT_OPTION_ENTRIES(opts) \
  { "name", 0, 0, G_OPTION_ARG_STRING, &(opts).name, N_("Full name"), N_("NAME") }, \
  { "dob", 0, 0, G_OPTION_ARG_STRING, &(opts).dob, N_("Date of birth"), N_("YYYY-MM-DD") }, \
  { "phone", 0, 0, G_OPTION_ARG_STRING, &(opts).phone, N_("Phone number"), N_("PHONE") }, \
  { "email", 0, 0, G_OPTION_ARG_STRING, &(opts).email, N_("Email address"), N_("EMAIL") }, \
  { "fitzpatrick", 0, 0, G_OPTION_ARG_STRING, &(opts).fitzpatrick, N_("Fitzpatrick skin type"), N_("I..VI") }, \
  { "concerns", 0, 0, G_OPTION_ARG_STRING, &(opts).concerns, \
    N_("Skin concerns: texture, pores, acne-scars, fine-lines, uneven-tone, redness, dullness"), N_("KEY,…") }, \
  { "goals", 0, 0, G_OPTION_ARG_STRING, &(opts).goals, N_("Treatment goals"), N_("TEXT") }, \
  { "notes", 0, 0, G_OPTION_ARG_STRING, &(opts).notes, N_("Notes"), N_("TEXT") }

static int
print_client_result (DermStore  *store,
                     gint64      id,
                     gboolean    json,
                     const char *message)
{
  g_autoptr (DermClient) client = NULL;
  g_autoptr (JsonNode) node = NULL;
  int exit_code = DERM_EXIT_OK;

  if (!json)
    {
      out ("%s\n", message);
      return DERM_EXIT_OK;
    }

  /* Re-read so the timestamps and last visit are the stored ones */
  if (!(client = lookup_client (store, id, &exit_code)))
    return exit_code;

  node = derm_json_from_client (client);
  print_json (node);
  return DERM_EXIT_OK;
}

static int
cmd_client_add (const CliGlobals  *globals,
                int                argc,
                char             **argv)
{
  g_auto (ClientOptions) opts = { 0 };
  g_autofree char *data_dir = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id_text = NULL;
  CliContext ctx;
  int exit_code;
  const GOptionEntry entries[] = {
    CLIENT_OPTION_ENTRIES (opts),
    { NULL }
  };

  if ((exit_code = parse_subcommand ("client add", NULL, _("Adds a client and prints the new ID."),
                                     entries, globals, argc, argv, &data_dir, &args, &ctx)) ||
      (exit_code = expect_args ("client add", &ctx, 0, NULL)))
    return exit_code;

  if (opts.name == NULL)
    return fail (DERM_EXIT_USAGE, _("Missing --name. Give the client’s full name with --name NAME."));

  client = derm_client_new ();
  if ((exit_code = apply_client_options (client, &opts)))
    return exit_code;

  if (!(store = open_store (&ctx, &exit_code)))
    return exit_code;

  if (!derm_store_add_client (store, client, &error))
    return fail_with_error (error);

  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, derm_client_get_id (client));
  return print_client_result (store, derm_client_get_id (client), ctx.json, id_text);
}

static int
cmd_client_update (const CliGlobals  *globals,
                   int                argc,
                   char             **argv)
{
  g_auto (ClientOptions) opts = { 0 };
  g_autofree char *data_dir = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  CliContext ctx;
  gint64 id;
  int exit_code;
  const GOptionEntry entries[] = {
    CLIENT_OPTION_ENTRIES (opts),
    { NULL }
  };

  if ((exit_code = parse_subcommand ("client update", "ID",
                                     _("Changes the given fields of a client; an empty value clears a field."),
                                     entries, globals, argc, argv, &data_dir, &args, &ctx)) ||
      (exit_code = expect_args ("client update", &ctx, 1, _("client ID"))) ||
      (exit_code = parse_id (ctx.args[0], &id)))
    return exit_code;

  if (client_options_empty (&opts))
    return fail (DERM_EXIT_USAGE, _("Nothing to change. Give at least one field, for example --phone PHONE."));

  if (!(store = open_store (&ctx, &exit_code)) ||
      !(client = lookup_client (store, id, &exit_code)))
    return exit_code;

  if ((exit_code = apply_client_options (client, &opts)))
    return exit_code;

  if (!derm_store_update_client (store, client, &error))
    return fail_with_error (error);

  message = g_strdup_printf (_("Client %lld updated."), (long long) id);
  return print_client_result (store, id, ctx.json, message);
}

static int
cmd_client_archive (const CliGlobals  *globals,
                    int                argc,
                    char             **argv)
{
  g_autofree char *data_dir = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean undo = FALSE;
  CliContext ctx;
  gint64 id;
  int exit_code;
  const GOptionEntry entries[] = {
    { "undo", 0, 0, G_OPTION_ARG_NONE, &undo, N_("Bring an archived client back"), NULL },
    { NULL }
  };

  if ((exit_code = parse_subcommand ("client archive", "ID",
                                     _("Archives a client: kept with all records, hidden from the list."),
                                     entries, globals, argc, argv, &data_dir, &args, &ctx)) ||
      (exit_code = expect_args ("client archive", &ctx, 1, _("client ID"))) ||
      (exit_code = parse_id (ctx.args[0], &id)))
    return exit_code;

  if (!(store = open_store (&ctx, &exit_code)) ||
      !(client = lookup_client (store, id, &exit_code)))
    return exit_code;

  if (!derm_store_set_client_archived (store, id, !undo, &error))
    return fail_with_error (error);

  if (undo)
    message = g_strdup_printf (_("Client %lld restored."), (long long) id);
  else
    message = g_strdup_printf (_("Client %lld archived."), (long long) id);
  return print_client_result (store, id, ctx.json, message);
}

static int
cmd_client_list (const CliGlobals  *globals,
                 int                argc,
                 char             **argv)
{
  const char *headers[] = { _("ID"), _("Name"), _("Phone"), _("Email"), _("Last visit") };
  g_autofree char *data_dir = NULL;
  g_autofree char *search = NULL;
  g_autofree char *folded = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GPtrArray) clients = NULL;
  g_autoptr (GPtrArray) matches = NULL;
  g_autoptr (GPtrArray) cells = NULL;
  g_autoptr (GError) error = NULL;
  gboolean archived = FALSE;
  CliContext ctx;
  int exit_code;
  const GOptionEntry entries[] = {
    { "archived", 0, 0, G_OPTION_ARG_NONE, &archived, N_("Include archived clients"), NULL },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only clients whose name, phone or email contain every word of TEXT"), N_("TEXT") },
    { NULL }
  };

  if ((exit_code = parse_subcommand ("client list", NULL, _("Lists clients by name."),
                                     entries, globals, argc, argv, &data_dir, &args, &ctx)) ||
      (exit_code = expect_args ("client list", &ctx, 0, NULL)))
    return exit_code;

  if (!(store = open_store (&ctx, &exit_code)))
    return exit_code;

  if (!(clients = derm_store_list_clients (store, archived, &error)))
    return fail_with_error (error);

  folded = derm_fold_for_search (search != NULL ? search : "");
  matches = g_ptr_array_new ();
  for (guint i = 0; i < clients->len; i++)
    {
      DermClient *client = g_ptr_array_index (clients, i);

      if (derm_client_matches (client, folded))
        g_ptr_array_add (matches, client);
    }

  if (ctx.json)
    {
      g_autoptr (JsonNode) node = derm_json_from_clients (matches);

      print_json (node);
      return DERM_EXIT_OK;
    }

  if (matches->len == 0)
    {
      out ("%s\n", _("No clients found."));
      return DERM_EXIT_OK;
    }

  cells = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < matches->len; i++)
    {
      DermClient *client = g_ptr_array_index (matches, i);

      g_ptr_array_add (cells, g_strdup_printf ("%" G_GINT64_FORMAT, derm_client_get_id (client)));
      if (derm_client_get_archived (client))
        /* Translators: a client name in the list, marked as archived */
        g_ptr_array_add (cells, g_strdup_printf (_("%s (archived)"), derm_client_get_name (client)));
      else
        g_ptr_array_add (cells, g_strdup (derm_client_get_name (client)));
      g_ptr_array_add (cells, g_strdup (derm_client_get_phone (client)));
      g_ptr_array_add (cells, g_strdup (derm_client_get_email (client)));
      g_ptr_array_add (cells, g_strdup (derm_client_get_last_visit (client)));
    }
  print_table (headers, G_N_ELEMENTS (headers), cells);

  return DERM_EXIT_OK;
}

static int
cmd_client_show (const CliGlobals  *globals,
                 int                argc,
                 char             **argv)
{
  g_autofree char *data_dir = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermScreening) latest = NULL;
  g_autoptr (GPtrArray) treatments = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GError) error = NULL;
  CliContext ctx;
  gint64 id;
  int exit_code;

  if ((exit_code = parse_subcommand ("client show", "ID",
                                     _("Shows a client with the findings of their latest screening."),
                                     NULL, globals, argc, argv, &data_dir, &args, &ctx)) ||
      (exit_code = expect_args ("client show", &ctx, 1, _("client ID"))) ||
      (exit_code = parse_id (ctx.args[0], &id)))
    return exit_code;

  if (!(store = open_store (&ctx, &exit_code)) ||
      !(client = lookup_client (store, id, &exit_code)))
    return exit_code;

  latest = derm_store_get_latest_screening (store, id, &error);
  if (error != NULL)
    return fail_with_error (error);
  if (!(treatments = derm_store_list_treatments (store, id, &error)))
    return fail_with_error (error);
  findings = derm_screening_evaluate (latest, NULL);

  if (ctx.json)
    {
      g_autoptr (JsonNode) node = derm_json_from_client (client);
      JsonObject *object = json_node_get_object (node);

      json_object_set_int_member (object, "session_count", treatments->len);
      if (latest != NULL)
        json_object_set_string_member (object, "screening_date", derm_screening_get_date (latest));
      else
        json_object_set_null_member (object, "screening_date");
      json_object_set_member (object, "findings", derm_json_from_findings (findings));
      print_json (node);
    }
  else
    {
      g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_autofree char *concerns = concerns_to_labels (derm_client_get_concerns (client));
      g_autofree char *sessions = g_strdup_printf ("%u", treatments->len);

      add_field (fields, _("ID"), id_text);
      add_field (fields, _("Name"), derm_client_get_name (client));
      add_field (fields, _("Date of birth"), derm_client_get_date_of_birth (client));
      add_field (fields, _("Phone"), derm_client_get_phone (client));
      add_field (fields, _("Email"), derm_client_get_email (client));
      add_field (fields, _("Skin type"), derm_fitzpatrick_to_roman (derm_client_get_fitzpatrick (client)));
      add_field (fields, _("Concerns"), concerns);
      add_field (fields, _("Goals"), derm_client_get_goals (client));
      add_field (fields, _("Notes"), derm_client_get_notes (client));
      if (derm_client_get_archived (client))
        add_field (fields, _("Status"), _("Archived"));
      add_field (fields, _("Sessions"), sessions);
      add_field (fields, _("Last visit"), derm_client_get_last_visit (client));
      add_field (fields, _("Created"), derm_client_get_created_at (client));
      add_field (fields, _("Updated"), derm_client_get_updated_at (client));
      print_fields (fields);

      out ("\n");
      if (latest != NULL)
        out (_("Findings of the screening of %s:\n"), derm_screening_get_date (latest));
      else
        out ("%s\n", _("Findings:"));
      print_findings (findings);
    }

  return DERM_EXIT_OK;
}

/* screening */

static int
lookup_question (const char   *key,
                 DermQuestion *question)
{
  if (!derm_question_from_key (key, question))
    {
      g_autofree char *keys = question_keys ();

      return fail (DERM_EXIT_INVALID, _("“%s” is not a screening question. Use one of: %s."),
                   key, keys);
    }

  return DERM_EXIT_OK;
}

/* Applies the --answer, --details and --date-for assignments */
static int
apply_screening_options (DermScreening  *screening,
                         char          **answers,
                         char          **details,
                         char          **dates)
{
  int exit_code;

  for (guint i = 0; answers != NULL && answers[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      const char *value;
      DermQuestion question;
      DermAnswer answer;

      if (!split_assignment (answers[i], &key, &value))
        return fail (DERM_EXIT_INVALID, _("“%s” is not an answer. Write it as KEY=yes, KEY=no or KEY=unknown."),
                     answers[i]);
      if ((exit_code = lookup_question (key, &question)))
        return exit_code;
      if (!derm_answer_from_key (value, &answer))
        return fail (DERM_EXIT_INVALID, _("“%s” is not an answer to %s. Use yes, no or unknown."),
                     value, key);
      derm_screening_set_answer (screening, question, answer);
    }

  for (guint i = 0; details != NULL && details[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      const char *value;
      DermQuestion question;

      if (!split_assignment (details[i], &key, &value))
        return fail (DERM_EXIT_INVALID, _("“%s” is not a detail. Write it as KEY=TEXT."), details[i]);
      if ((exit_code = lookup_question (key, &question)))
        return exit_code;
      derm_screening_set_details (screening, question, value);
    }

  for (guint i = 0; dates != NULL && dates[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      const char *value;
      DermQuestion question;

      if (!split_assignment (dates[i], &key, &value))
        return fail (DERM_EXIT_INVALID, _("“%s” is not a dated answer. Write it as KEY=YYYY-MM-DD."), dates[i]);
      if ((exit_code = lookup_question (key, &question)))
        return exit_code;
      if (!derm_question_has_date (question))
        return fail (DERM_EXIT_INVALID,
                     _("The question %s has no date. Only isotretinoin, topical-retinoids and consent take --date-for."),
                     key);
      derm_screening_set_date_for (screening, question, value);
    }

  return DERM_EXIT_OK;
}

static void
print_screening (DermScreening *screening)
{
  const char *headers[] = { _("Question"), _("Answer"), _("Date"), _("Details") };
  g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    {
      DermQuestion question = (DermQuestion) q;

      g_ptr_array_add (cells, g_strdup (derm_question_to_label (question)));
      g_ptr_array_add (cells, g_strdup (derm_answer_to_label (derm_screening_get_answer (screening, question))));
      g_ptr_array_add (cells, g_strdup (derm_screening_get_date_for (screening, question)));
      g_ptr_array_add (cells, g_strdup (derm_screening_get_details (screening, question)));
    }

  out (_("Screening %lld of %s\n"),
       (long long) derm_screening_get_id (screening), derm_screening_get_date (screening));
  print_table (headers, G_N_ELEMENTS (headers), cells);
}

static int
cmd_screening_add (const CliGlobals  *globals,
                   int                argc,
                   char             **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *date = NULL;
  g_auto (GStrv) answers = NULL;
  g_auto (GStrv) details = NULL;
  g_auto (GStrv) dates = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermScreening) screening = NULL;
  g_autoptr (DermScreening) latest = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GError) error = NULL;
  CliContext ctx;
  gint64 id;
  int exit_code;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_("Date of the screening (default today)"), N_("YYYY-MM-DD") },
    { "answer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &answers,
      N_("Answer to a question; repeat for each question"), N_("KEY=yes|no|unknown") },
    { "details", 0, 0, G_OPTION_ARG_STRING_ARRAY, &details,
      N_("Details of an answer, such as the medication"), N_("KEY=TEXT") },
    { "date-for", 0, 0, G_OPTION_ARG_STRING_ARRAY, &dates,
      N_("Date of an answer: last dose of isotretinoin, retinoids stopped on, consent signed on"),
      N_("KEY=YYYY-MM-DD") },
    { NULL }
  };

  if ((exit_code = parse_subcommand ("screening add", "CLIENT_ID",
                                     _("Records a medical screening and prints what it finds."),
                                     entries, globals, argc, argv, &data_dir, &args, &ctx)) ||
      (exit_code = expect_args ("screening add", &ctx, 1, _("client ID"))) ||
      (exit_code = parse_id (ctx.args[0], &id)))
    return exit_code;

  screening = derm_screening_new ();
  derm_screening_set_client_id (screening, id);
  if (date != NULL)
    derm_screening_set_date (screening, date);
  else
    {
      g_autofree char *today = NULL;
      GDate now;

      derm_date_today (&now);
      today = derm_date_format (&now);
      derm_screening_set_date (screening, today);
    }
  if ((exit_code = apply_screening_options (screening, answers, details, dates)))
    return exit_code;

  if (!(store = open_store (&ctx, &exit_code)) ||
      !(client = lookup_client (store, id, &exit_code)))
    return exit_code;

  if (!derm_store_add_screening (store, screening, &error))
    return fail_with_error (error);

  /* The findings that count are those of the latest screening, which
   * is not this one when an older screening was entered late. */
  latest = derm_store_get_latest_screening (store, id, &error);
  if (error != NULL)
    return fail_with_error (error);
  findings = derm_screening_evaluate (latest, NULL);

  if (ctx.json)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_member (object, "screening", derm_json_from_screening (screening));
      json_object_set_member (object, "findings", derm_json_from_findings (findings));
      json_node_take_object (node, object);
      print_json (node);
    }
  else
    {
      out (_("Screening %lld saved for %s.\n"),
           (long long) derm_screening_get_id (screening), derm_client_get_name (client));
      if (latest != NULL && derm_screening_get_id (latest) != derm_screening_get_id (screening))
        out (_("Findings of the later screening of %s:\n"), derm_screening_get_date (latest));
      else
        out ("%s\n", _("Findings:"));
      print_findings (findings);
    }

  return DERM_EXIT_OK;
}

static int
cmd_screening_show (const CliGlobals  *globals,
                    int                argc,
                    char             **argv)
{
  g_autofree char *data_dir = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GPtrArray) screenings = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GError) error = NULL;
  DermScreening *latest;
  gboolean all = FALSE;
  CliContext ctx;
  gint64 id;
  int exit_code;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Show every screening, newest first"), NULL },
    { NULL }
  };

  if ((exit_code = parse_subcommand ("screening show", "CLIENT_ID",
                                     _("Shows the answers of a client’s latest screening and its findings."),
                                     entries, globals, argc, argv, &data_dir, &args, &ctx)) ||
      (exit_code = expect_args ("screening show", &ctx, 1, _("client ID"))) ||
      (exit_code = parse_id (ctx.args[0], &id)))
    return exit_code;

  if (!(store = open_store (&ctx, &exit_code)) ||
      !(client = lookup_client (store, id, &exit_code)))
    return exit_code;

  /* Newest first, so the latest is the first */
  if (!(screenings = derm_store_list_screenings (store, id, &error)))
    return fail_with_error (error);
  latest = screenings->len > 0 ? g_ptr_array_index (screenings, 0) : NULL;
  findings = derm_screening_evaluate (latest, NULL);

  if (ctx.json)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "client_id", id);
      if (latest != NULL)
        json_object_set_member (object, "latest", derm_json_from_screening (latest));
      else
        json_object_set_null_member (object, "latest");
      json_object_set_member (object, "findings", derm_json_from_findings (findings));
      if (all)
        json_object_set_member (object, "screenings", derm_json_from_screenings (screenings));
      json_node_take_object (node, object);
      print_json (node);
      return DERM_EXIT_OK;
    }

  if (latest == NULL)
    out (_("%s has not been screened yet.\n"), derm_client_get_name (client));
  for (guint i = 0; i < (all ? screenings->len : MIN (screenings->len, 1)); i++)
    {
      if (i > 0)
        out ("\n");
      print_screening (g_ptr_array_index (screenings, i));
    }
  out ("\n%s\n", _("Findings:"));
  print_findings (findings);

  return DERM_EXIT_OK;
}

/* session */

static int
cmd_session_add (const CliGlobals  *globals,
                 int                argc,
                 char             **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *date = NULL;
  g_autofree char *practitioner = NULL;
  g_autofree char *areas = NULL;
  g_autofree char *depths = NULL;
  g_autofree char *device = NULL;
  g_autofree char *lot = NULL;
  g_autofree char *topical = NULL;
  g_autofree char *anaesthetic = NULL;
  g_autofree char *response = NULL;
  g_autofree char *notes = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermTreatment) treatment = NULL;
  g_autoptr (GError) error = NULL;
  gboolean aftercare = FALSE;
  int passes = 0;
  CliContext ctx;
  gint64 id;
  int exit_code;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_("Date of the session"), N_("YYYY-MM-DD") },
    { "practitioner", 0, 0, G_OPTION_ARG_STRING, &practitioner, N_("Who treated"), N_("NAME") },
    { "areas", 0, 0, G_OPTION_ARG_STRING, &areas, N_("Treated areas"), N_("TEXT") },
    { "depth", 0, 0, G_OPTION_ARG_STRING, &depths,
      N_("Needle depth per zone in millimetres, e.g. \"forehead=0.5,left cheek=1.5\""), N_("ZONE=MM,…") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("Device"), N_("TEXT") },
    { "lot", 0, 0, G_OPTION_ARG_STRING, &lot, N_("Cartridge lot number"), N_("TEXT") },
    { "passes", 0, 0, G_OPTION_ARG_INT, &passes, N_("Number of passes"), N_("N") },
    { "topical", 0, 0, G_OPTION_ARG_STRING, &topical, N_("Topical applied"), N_("TEXT") },
    { "anaesthetic", 0, 0, G_OPTION_ARG_STRING, &anaesthetic, N_("Anaesthetic used"), N_("TEXT") },
    { "response", 0, 0, G_OPTION_ARG_STRING, &response, N_("Immediate skin response"), N_("TEXT") },
    { "aftercare", 0, 0, G_OPTION_ARG_NONE, &aftercare, N_("Aftercare instructions were given"), NULL },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, N_("Notes"), N_("TEXT") },
    { NULL }
  };

  if ((exit_code = parse_subcommand ("session add", "CLIENT_ID",
                                     _("Records a treatment session and prints its ID."),
                                     entries, globals, argc, argv, &data_dir, &args, &ctx)) ||
      (exit_code = expect_args ("session add", &ctx, 1, _("client ID"))) ||
      (exit_code = parse_id (ctx.args[0], &id)))
    return exit_code;

  if (date == NULL)
    return fail (DERM_EXIT_USAGE, _("Missing --date. Give the date of the session with --date YYYY-MM-DD."));
  if (passes < 0)
    return fail (DERM_EXIT_INVALID, _("Passes must be a positive number, not %d."), passes);

  treatment = derm_treatment_new ();
  derm_treatment_set_client_id (treatment, id);
  derm_treatment_set_date (treatment, date);
  derm_treatment_set_practitioner (treatment, practitioner);
  derm_treatment_set_areas (treatment, areas);
  derm_treatment_set_device (treatment, device);
  derm_treatment_set_cartridge_lot (treatment, lot);
  derm_treatment_set_passes (treatment, (guint) passes);
  derm_treatment_set_topical (treatment, topical);
  derm_treatment_set_anaesthetic (treatment, anaesthetic);
  derm_treatment_set_immediate_response (treatment, response);
  derm_treatment_set_aftercare_given (treatment, aftercare);
  derm_treatment_set_notes (treatment, notes);
  if (depths != NULL && !derm_treatment_parse_depths (treatment, depths, &error))
    return fail (DERM_EXIT_INVALID, "%s", error->message);

  if (!(store = open_store (&ctx, &exit_code)) ||
      !(client = lookup_client (store, id, &exit_code)))
    return exit_code;

  if (!derm_store_add_treatment (store, treatment, &error))
    return fail_with_error (error);

  if (ctx.json)
    {
      g_autoptr (JsonNode) node = derm_json_from_treatment (treatment);

      print_json (node);
    }
  else
    out ("%" G_GINT64_FORMAT "\n", derm_treatment_get_id (treatment));

  return DERM_EXIT_OK;
}

static int
cmd_session_list (const CliGlobals  *globals,
                  int                argc,
                  char             **argv)
{
  const char *headers[] = { _("ID"), _("Date"), _("Practitioner"), _("Areas"), _("Depths") };
  g_autofree char *data_dir = NULL;
  g_auto (GStrv) args = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GPtrArray) treatments = NULL;
  g_autoptr (GPtrArray) cells = NULL;
  g_autoptr (GError) error = NULL;
  CliContext ctx;
  gint64 id;
  int exit_code;

  if ((exit_code = parse_subcommand ("session list", "CLIENT_ID",
                                     _("Lists a client’s treatment sessions, newest first."),
                                     NULL, globals, argc, argv, &data_dir, &args, &ctx)) ||
      (exit_code = expect_args ("session list", &ctx, 1, _("client ID"))) ||
      (exit_code = parse_id (ctx.args[0], &id)))
    return exit_code;

  if (!(store = open_store (&ctx, &exit_code)) ||
      !(client = lookup_client (store, id, &exit_code)))
    return exit_code;

  if (!(treatments = derm_store_list_treatments (store, id, &error)))
    return fail_with_error (error);

  if (ctx.json)
    {
      g_autoptr (JsonNode) node = derm_json_from_treatments (treatments);

      print_json (node);
      return DERM_EXIT_OK;
    }

  if (treatments->len == 0)
    {
      out (_("No sessions recorded for %s.\n"), derm_client_get_name (client));
      return DERM_EXIT_OK;
    }

  cells = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < treatments->len; i++)
    {
      DermTreatment *treatment = g_ptr_array_index (treatments, i);

      g_ptr_array_add (cells, g_strdup_printf ("%" G_GINT64_FORMAT, derm_treatment_get_id (treatment)));
      g_ptr_array_add (cells, g_strdup (derm_treatment_get_date (treatment)));
      g_ptr_array_add (cells, g_strdup (derm_treatment_get_practitioner (treatment)));
      g_ptr_array_add (cells, g_strdup (derm_treatment_get_areas (treatment)));
      g_ptr_array_add (cells, derm_treatment_format_depths (treatment));
    }
  print_table (headers, G_N_ELEMENTS (headers), cells);

  return DERM_EXIT_OK;
}

/* Dispatch */

typedef int (*CommandFunc) (const CliGlobals  *globals,
                            int                argc,
                            char             **argv);

static const struct {
  const char  *group;
  const char  *name;
  CommandFunc  func;
} commands[] = {
  { "client", "add", cmd_client_add },
  { "client", "list", cmd_client_list },
  { "client", "show", cmd_client_show },
  { "client", "update", cmd_client_update },
  { "client", "archive", cmd_client_archive },
  { "screening", "add", cmd_screening_add },
  { "screening", "show", cmd_screening_show },
  { "session", "add", cmd_session_add },
  { "session", "list", cmd_session_list },
};

static void
print_usage (void)
{
  g_autofree char *questions = question_keys ();
  g_autofree char *concerns = concern_keys ();

  out (
           _("Usage: %s [--data-dir DIR] COMMAND SUBCOMMAND [ARGUMENTS] [--json]\n"
             "\n"
             "Client records, on the same store as Dermis.\n"
             "\n"
             "Clients:\n"
             "  client add --name NAME [--dob YYYY-MM-DD] [--phone PHONE] [--email EMAIL]\n"
             "             [--fitzpatrick I..VI] [--concerns KEY,…] [--goals TEXT] [--notes TEXT]\n"
             "  client list [--archived] [--search TEXT]\n"
             "  client show ID\n"
             "  client update ID [options of client add]\n"
             "  client archive ID [--undo]\n"
             "\n"
             "Screenings:\n"
             "  screening add CLIENT_ID [--date YYYY-MM-DD] [--answer KEY=yes|no|unknown]…\n"
             "                [--details KEY=TEXT]… [--date-for KEY=YYYY-MM-DD]…\n"
             "  screening show CLIENT_ID [--all]\n"
             "\n"
             "Sessions:\n"
             "  session add CLIENT_ID --date YYYY-MM-DD [--practitioner NAME] [--areas TEXT]\n"
             "              [--depth ZONE=MM,…] [--device TEXT] [--lot TEXT] [--passes N]\n"
             "              [--topical TEXT] [--anaesthetic TEXT] [--response TEXT]\n"
             "              [--aftercare] [--notes TEXT]\n"
             "  session list CLIENT_ID\n"
             "\n"
             "Photos: analyze, align, compare; see “%s analyze --help”.\n"
             "\n"
             "Options:\n"
             "  --data-dir DIR  Use the records in DIR (default: $DERMIS_DATA_DIR, else\n"
             "                  $XDG_DATA_HOME/dermis)\n"
             "  --json          Print one JSON document instead of text\n"
             "  -h, --help      Show this help; “%s COMMAND SUBCOMMAND --help” for details\n"
             "  --version       Show the version\n"
             "\n"
             "Screening keys: %s\n"
             "Concern keys: %s\n"
             "\n"
             "Exit status: 0 done, 2 bad command line, 3 not found, 4 invalid input,\n"
             "5 the records could not be read or written.\n"),
           PROGRAM_NAME, PROGRAM_NAME, PROGRAM_NAME, questions, concerns);
}

static gboolean
is_help (const char *arg)
{
  return g_strcmp0 (arg, "--help") == 0 || g_strcmp0 (arg, "-h") == 0 || g_strcmp0 (arg, "help") == 0;
}

static int
dispatch_records (const CliGlobals  *globals,
                  int                argc,
                  char             **argv)
{
  const char *group = argv[0];
  gboolean known_group = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    known_group |= g_str_equal (commands[i].group, group);

  if (!known_group)
    return fail (DERM_EXIT_USAGE, _("Unknown command “%s”. See “%s --help”."), group, PROGRAM_NAME);

  if (argc < 2)
    return fail (DERM_EXIT_USAGE, _("Missing subcommand after “%s”. See “%s --help”."),
                 group, PROGRAM_NAME);

  if (is_help (argv[1]))
    {
      print_usage ();
      return DERM_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (commands[i].group, group) && g_str_equal (commands[i].name, argv[1]))
        return commands[i].func (globals, argc - 1, argv + 1);
    }

  return fail (DERM_EXIT_USAGE, _("Unknown command “%s %s”. See “%s --help”."),
               group, argv[1], PROGRAM_NAME);
}

int
main (int   argc,
      char *argv[])
{
  CliGlobals globals = { NULL, FALSE };
  g_autoptr (GPtrArray) sub_args = NULL;
  char **sub_argv;
  int sub_argc;
  int exit_code;
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

      if (is_help (arg))
        {
          print_usage ();
          return DERM_EXIT_OK;
        }
      else if (g_str_equal (arg, "--version"))
        {
          out ("%s %s\n", PROGRAM_NAME, PACKAGE_VERSION);
          return DERM_EXIT_OK;
        }
      else if (g_str_equal (arg, "--json"))
        globals.json = TRUE;
      else if (g_str_equal (arg, "--data-dir"))
        {
          if (i + 1 >= argc)
            return fail (DERM_EXIT_USAGE, _("Missing argument for --data-dir. Give a directory: --data-dir DIR."));
          globals.data_dir = argv[++i];
        }
      else if (g_str_has_prefix (arg, "--data-dir="))
        {
          globals.data_dir = arg + strlen ("--data-dir=");
        }
      else if (g_str_equal (arg, "--"))
        {
          i++;
          break;
        }
      else
        return fail (DERM_EXIT_USAGE, _("Unknown option %s. See “%s --help”."), arg, PROGRAM_NAME);
    }

  if (i >= argc)
    return fail (DERM_EXIT_USAGE, _("Missing command. See “%s --help”."), PROGRAM_NAME);

  if (is_help (argv[i]))
    {
      print_usage ();
      return DERM_EXIT_OK;
    }

  /* The photo commands parse their own arguments; they find the data
   * directory the same way the store does. */
  if (globals.data_dir != NULL && globals.data_dir[0] != '\0')
    g_setenv ("DERMIS_DATA_DIR", globals.data_dir, TRUE);
  /* ... and see a --json given before the command as if it came after */
  sub_args = g_ptr_array_new ();
  for (int k = i; k < argc; k++)
    g_ptr_array_add (sub_args, argv[k]);
  if (globals.json)
    g_ptr_array_add (sub_args, (char *) "--json");
  sub_argc = (int) sub_args->len;
  g_ptr_array_add (sub_args, NULL);
  sub_argv = (char **) sub_args->pdata;

  if (derm_cli_imaging_dispatch (sub_argc, sub_argv, &exit_code))
    return exit_code;
  if (derm_cli_photo_dispatch (sub_argc, sub_argv, &exit_code))
    return exit_code;
  if (derm_cli_plan_dispatch (sub_argc, sub_argv, &exit_code))
    return exit_code;

  return dispatch_records (&globals, argc - i, argv + i);
}

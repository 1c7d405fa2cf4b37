/* derm-cli-common.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plumbing every dermis-cli command shares (see derm-cli-common.h for
 * how a command uses it). One place for the wording of every usage,
 * not-found and failure message, and one map from errors to exit codes.
 */

#define G_LOG_DOMAIN "derm-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "derm-cli-common.h"
#include "derm-csv.h"
#include "derm-export-file.h"
#include "derm-imaging.h"
#include "derm-json.h"
#include "derm-photo.h"
#include "derm-photo-use.h"
#include "derm-planner.h"
#include "derm-validate.h"

#define PROGRAM_NAME DERM_CLI_PROGRAM_NAME

const char *
derm_cli_exit_status_help (void)
{
  return _("Exit status: 0 done, 1 unexpected failure, 2 bad command line, 3 not found,\n"
           "4 invalid input, 5 the records could not be read or written,\n"
           "6 verification failed (damaged or missing photo files).");
}

/* --- output ------------------------------------------------------------ */

char *
derm_cli_make_printable (char *text)
{
  for (char *p = text; p != NULL && *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = '?';
  return text;
}

static void vout (FILE       *stream,
                  const char *prefix,
                  const char *format,
                  va_list     args) G_GNUC_PRINTF (3, 0);

static void
vout (FILE       *stream,
      const char *prefix,
      const char *format,
      va_list     args)
{
  g_autofree char *text = g_strdup_vprintf (format, args);

  /* A message is one line, and a file name in it (a newline, a terminal
   * escape) must not break it or drive the terminal */
  if (prefix != NULL)
    derm_cli_make_printable (text);
  if (prefix != NULL)
    fprintf (stream, "%s: %s\n", prefix, text);
  else
    fputs (text, stream);
}

void
derm_cli_out (const char *format,
              ...)
{
  va_list args;

  va_start (args, format);
  vout (stdout, NULL, format, args);
  va_end (args);
}

void
derm_cli_print_json (JsonNode *node)
{
  g_autofree char *text = derm_json_to_string (node, TRUE);

  fputs (text, stdout);
  fputc ('\n', stdout);
}

JsonNode *
derm_cli_json_array (GPtrArray     *items,
                     DermCliToJson  to_json)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, to_json (g_ptr_array_index (items, i)));
  json_node_take_array (node, array);
  return node;
}

gsize
derm_cli_display_width (const char *text)
{
  gsize width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c;

      /* Most cells are ASCII: one cell each, without Unicode lookups */
      if ((guchar) *p < 0x80)
        {
          width++;
          continue;
        }
      c = g_utf8_get_char (p);

      /* Combining marks take no cell */
      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

void
derm_cli_append_padded (GString    *line,
                        const char *text,
                        gsize       width)
{
  g_string_append (line, text);
  for (gsize i = derm_cli_display_width (text); i < width; i++)
    g_string_append_c (line, ' ');
}

/* One table row, its cells' display widths known; trailing blanks of
 * empty last cells are cut */
static void
print_row (GString            *line,
           const char * const *cells,
           const gsize        *cell_widths,
           const gsize        *widths,
           guint               n_columns)
{
  g_string_truncate (line, 0);
  for (guint c = 0; c < n_columns; c++)
    {
      g_string_append (line, cells[c] != NULL ? cells[c] : "");
      for (gsize i = cell_widths[c]; i < widths[c]; i++)
        g_string_append_c (line, ' ');
      if (c + 1 < n_columns)
        g_string_append (line, "  ");
    }

  while (line->len > 0 && line->str[line->len - 1] == ' ')
    g_string_truncate (line, line->len - 1);

  g_string_append_c (line, '\n');
  fwrite (line->str, 1, line->len, stdout);
}

void
derm_cli_print_table (const char * const *headers,
                      guint               n_columns,
                      GPtrArray          *cells)
{
  g_autofree gsize *widths = g_new0 (gsize, n_columns);
  g_autofree gsize *header_widths = g_new0 (gsize, n_columns);
  /* Each cell measured once: a 10,000-client list has 50,000 of them */
  g_autofree gsize *cell_widths = g_new0 (gsize, MAX (cells->len, 1));
  g_autoptr (GString) line = g_string_new (NULL);

  for (guint c = 0; c < n_columns; c++)
    widths[c] = header_widths[c] = derm_cli_display_width (headers[c]);
  for (guint i = 0; i < cells->len; i++)
    {
      const char *cell = g_ptr_array_index (cells, i);

      cell_widths[i] = cell != NULL ? derm_cli_display_width (cell) : 0;
      widths[i % n_columns] = MAX (widths[i % n_columns], cell_widths[i]);
    }

  print_row (line, headers, header_widths, widths, n_columns);
  for (guint i = 0; i + n_columns <= cells->len; i += n_columns)
    print_row (line, (const char * const *) &cells->pdata[i], &cell_widths[i], widths, n_columns);
}

void
derm_cli_add_field (GPtrArray  *fields,
                    const char *label,
                    const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;

  g_ptr_array_add (fields, g_strdup (label));
  g_ptr_array_add (fields, g_strdup (value));
}

void
derm_cli_print_fields (GPtrArray *fields)
{
  gsize width = 0;

  for (guint i = 0; i < fields->len; i += 2)
    width = MAX (width, derm_cli_display_width (g_ptr_array_index (fields, i)));

  for (guint i = 0; i < fields->len; i += 2)
    {
      g_autofree char *label = g_strdup_printf ("%s:", (char *) g_ptr_array_index (fields, i));
      g_autoptr (GString) line = g_string_new (NULL);

      derm_cli_append_padded (line, label, width + 3);
      derm_cli_out ("%s%s\n", line->str, (char *) g_ptr_array_index (fields, i + 1));
    }
}

/* --- failing ----------------------------------------------------------- */

void
derm_cli_warn (const char *format,
               ...)
{
  va_list args;

  va_start (args, format);
  vout (stderr, PROGRAM_NAME, format, args);
  va_end (args);
}

int
derm_cli_fail (int         exit_code,
               const char *format,
               ...)
{
  va_list args;

  va_start (args, format);
  vout (stderr, PROGRAM_NAME, format, args);
  va_end (args);

  return exit_code;
}

static char *
help_hint (const char *command)
{
  /* Translators: the hint after every command-line mistake; %s %s is
   * "dermis-cli client add" or "dermis-cli" alone */
  if (command != NULL)
    return g_strdup_printf (_("See “%s %s --help”."), PROGRAM_NAME, command);
  return g_strdup_printf (_("See “%s --help”."), PROGRAM_NAME);
}

static int
usage_error_for (const char *command,
                 const char *message)
{
  g_autofree char *hint = help_hint (command);

  return derm_cli_fail (DERM_EXIT_USAGE, "%s %s", message, hint);
}

int
derm_cli_usage_error (DermCliInvocation *inv,
                      const char        *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  return usage_error_for (inv != NULL ? inv->command->name : NULL, message);
}

int
derm_cli_exit_code_for_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, DERM_EXIT_FAILURE);

  if (g_error_matches (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND) ||
      g_error_matches (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_NOT_FOUND) ||
      g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return DERM_EXIT_NOT_FOUND;

  if (g_error_matches (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_MISMATCH))
    return DERM_EXIT_MISMATCH;

  /* What the user gave does not hold: a bad value, an image that cannot
   * be used, a plan with problems, an export destination refused */
  if (error->domain == DERM_VALIDATION_ERROR ||
      error->domain == DERM_CSV_ERROR ||
      (error->domain == DERM_EXPORT_ERROR && error->code != DERM_EXPORT_ERROR_IO) ||
      error->domain == DERM_PLANNER_ERROR ||
      (error->domain == DERM_PHOTO_ERROR &&
       error->code != DERM_PHOTO_ERROR_IO && error->code != DERM_PHOTO_ERROR_BUSY))
    return DERM_EXIT_INVALID;

  /* Nothing could be read or written */
  if (error->domain == DERM_STORE_ERROR ||
      error->domain == DERM_PHOTO_ERROR ||
      error->domain == DERM_EXPORT_ERROR ||
      error->domain == G_IO_ERROR ||
      error->domain == G_FILE_ERROR)
    return DERM_EXIT_STORAGE;

  if (error->domain == G_OPTION_ERROR)
    return DERM_EXIT_USAGE;

  return DERM_EXIT_FAILURE;
}

int
derm_cli_exit_code_for_status (int status)
{
  switch ((DermStatus) status)
    {
    case DERM_STATUS_OK:
      return DERM_EXIT_OK;
    case DERM_STATUS_NOT_FOUND:
      return DERM_EXIT_NOT_FOUND;
    case DERM_STATUS_IO:
    case DERM_STATUS_UNSUPPORTED:
    case DERM_STATUS_CORRUPT:
    case DERM_STATUS_TOO_LARGE:
    case DERM_STATUS_TOO_SMALL:
    case DERM_STATUS_BAD_ROI:
    case DERM_STATUS_ALIGNMENT_REFUSED:
      return DERM_EXIT_INVALID;
    case DERM_STATUS_INVALID_ARGUMENT:
    case DERM_STATUS_NO_MEMORY:
    case DERM_STATUS_INTERNAL:
    default:
      return DERM_EXIT_FAILURE;
    }
}

int
derm_cli_fail_with_error (const GError *error)
{
  return derm_cli_fail (derm_cli_exit_code_for_error (error), "%s", error->message);
}

typedef struct
{
  const char *noun;      /* "client" */
  const char *list_hint; /* how to see every ID */
} RecordInfo;

static const RecordInfo *
record_info (DermCliRecord kind)
{
  static const RecordInfo infos[] = {
    [DERM_CLI_CLIENT] = { N_("client"), "client list --archived" },
    [DERM_CLI_SESSION] = { N_("session"), "session list CLIENT_ID" },
    [DERM_CLI_PHOTO] = { N_("photo"), "photo list CLIENT_ID" },
    [DERM_CLI_APPOINTMENT] = { N_("appointment"), "plan list" },
  };

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (infos), &infos[0]);
  return &infos[kind];
}

int
derm_cli_fail_not_found (DermCliRecord kind,
                         gint64        id)
{
  const RecordInfo *info = record_info (kind);

  /* Translators: "No client with ID 999. Use “dermis-cli client list --archived” to see every ID." */
  return derm_cli_fail (DERM_EXIT_NOT_FOUND, _("No %s with ID %lld. Use “%s %s” to see every ID."),
                        _(info->noun), (long long) id, PROGRAM_NAME, info->list_hint);
}

int
derm_cli_fail_lookup (DermCliRecord  kind,
                      gint64         id,
                      const GError  *error)
{
  if (g_error_matches (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND))
    return derm_cli_fail_not_found (kind, id);

  return derm_cli_fail_with_error (error);
}

/* --- parsing ----------------------------------------------------------- */

gboolean
derm_cli_is_help (const char *arg)
{
  return g_strcmp0 (arg, "--help") == 0 || g_strcmp0 (arg, "-h") == 0 || g_strcmp0 (arg, "help") == 0;
}

int
derm_cli_parse (DermCliInvocation  *inv,
                const GOptionEntry *entries,
                guint               min_args,
                guint               max_args,
                const char         *missing)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *parameters = NULL;
  g_autofree char *description = NULL;
  gboolean json = FALSE;
  gboolean help = FALSE;
  const GOptionEntry common_entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &inv->local_data_dir,
      N_("Use the records in DIR instead of the default data directory"), N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON document instead of text"), NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, N_("Show this help"), NULL },
    { NULL }
  };

  g_return_val_if_fail (inv != NULL && inv->command != NULL, DERM_EXIT_FAILURE);
  g_return_val_if_fail (inv->strv == NULL, DERM_EXIT_FAILURE);

  parameters = g_strdup_printf ("%s%s%s", inv->command->name,
                                inv->command->synopsis != NULL ? " " : "",
                                inv->command->synopsis != NULL ? inv->command->synopsis : "");
  context = g_option_context_new (parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(inv->command->help));
  if (inv->help_extra != NULL)
    description = g_strdup_printf ("%s\n\n%s", inv->help_extra, derm_cli_exit_status_help ());
  else
    description = g_strdup (derm_cli_exit_status_help ());
  g_option_context_set_description (context, description);
  /* Our own --help: GOption's would exit() from inside the handler */
  g_option_context_set_help_enabled (context, FALSE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);

  /* GOptionContext skips argv[0]; give it the program name there */
  inv->strv = g_new0 (char *, inv->argc + 2);
  inv->strv[0] = g_strdup (PROGRAM_NAME);
  for (int i = 0; i < inv->argc; i++)
    inv->strv[i + 1] = g_strdup (inv->argv[i]);

  if (!g_option_context_parse_strv (context, &inv->strv, &error))
    {
      g_autofree char *message = g_strdup_printf ("%s.", error->message);

      return usage_error_for (inv->command->name, message);
    }

  if (help)
    {
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);

      derm_cli_out ("%s", text);
      return DERM_CLI_HELP_SHOWN;
    }

  inv->data_dir = inv->local_data_dir != NULL ? inv->local_data_dir : inv->global_data_dir;
  if (inv->data_dir != NULL && inv->data_dir[0] == '\0')
    return derm_cli_fail (DERM_EXIT_USAGE, _("The data directory is empty. Give a directory: --data-dir DIR."));
  inv->json = json || inv->global_json;
  inv->args = inv->strv + 1;
  inv->n_args = g_strv_length (inv->args);

  if (inv->n_args < min_args)
    return derm_cli_usage_error (inv, _("Missing %s."), missing != NULL ? missing : _("argument"));
  if (inv->n_args > max_args)
    return derm_cli_usage_error (inv, _("Unexpected argument “%s”."), inv->args[max_args]);

  return DERM_EXIT_OK;
}

int
derm_cli_parse_id (DermCliInvocation *inv,
                   DermCliRecord      kind,
                   const char        *text,
                   gint64            *id)
{
  const RecordInfo *info = record_info (kind);

  if (!g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, id, NULL))
    /* Translators: "“abc” is not a client ID. Use the number shown by “dermis-cli client list --archived”." */
    return derm_cli_usage_error (inv, _("“%s” is not a %s ID. Use the number shown by “%s %s”."),
                                 text, _(info->noun), PROGRAM_NAME, info->list_hint);

  return DERM_EXIT_OK;
}

int
derm_cli_parse_date (DermCliInvocation *inv,
                     const char        *option,
                     const char        *text,
                     GDate             *date)
{
  if (!derm_date_parse (text, date))
    return derm_cli_usage_error (inv, _("%s “%s” is not a date. Write it as YYYY-MM-DD."), option, text);

  return DERM_EXIT_OK;
}

/* --- the store --------------------------------------------------------- */

DermStore *
derm_cli_open_store (DermCliInvocation *inv,
                     int               *exit_code)
{
  g_autoptr (GError) error = NULL;
  DermStore *store;

  if (inv->command != NULL && inv->command->access == DERM_CLI_READS)
    store = derm_store_open_existing (inv->data_dir, &error);
  else
    store = derm_store_open (inv->data_dir, &error);
  if (store == NULL)
    {
      /* Whatever went wrong, nothing could be read or written */
      *exit_code = derm_cli_fail (DERM_EXIT_STORAGE, "%s", error->message);
      return NULL;
    }

  return store;
}

DermClient *
derm_cli_get_client (DermStore *store,
                     gint64     id,
                     int       *exit_code)
{
  g_autoptr (GError) error = NULL;
  DermClient *client;

  client = derm_store_get_client (store, id, &error);
  if (client == NULL)
    *exit_code = derm_cli_fail_lookup (DERM_CLI_CLIENT, id, error);

  return client;
}

/* --- photo-use consent ------------------------------------------------- */

int
derm_cli_parse_photo_use (DermCliInvocation *inv,
                          const char        *text,
                          DermPhotoUse      *use)
{
  *use = DERM_PHOTO_USE_CLINICAL;
  if (text != NULL && !derm_photo_use_from_key (text, use))
    return derm_cli_usage_error (inv, _("“%s” is not a photo use: use clinical, education or marketing."), text);
  return DERM_EXIT_OK;
}

int
derm_cli_check_photo_use (DermStore    *store,
                          GPtrArray    *photos,
                          DermPhotoUse  use,
                          gboolean      override,
                          const char   *what)
{
  g_autoptr (GError) error = NULL;

  if (derm_photo_use_check_export (store, photos, use, override, what, &error))
    return DERM_EXIT_OK;
  if (g_error_matches (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_NOT_CONSENTED))
    {
      g_autoptr (GPtrArray) uncovered = derm_photo_use_uncovered (photos, use);
      g_autofree char *line = derm_photo_use_describe (uncovered, use);

      return derm_cli_fail (DERM_EXIT_INVALID,
                            _("%s Nothing was exported. Change it with “dermis-cli photo consent”, or give "
                              "--override-consent to export anyway (written to the audit log)."), line);
    }
  return derm_cli_fail_with_error (error);
}

/* --- dispatch ---------------------------------------------------------- */

/* The first word of @name, or all of it */
static gboolean
has_group (const char *name,
           const char *group)
{
  gsize len = strlen (group);

  return strncmp (name, group, len) == 0 && (name[len] == '\0' || name[len] == ' ');
}

/* What --help lists together: the first word of a two-word name
 * ("client"), or "" for the one-word commands (analyze, align, compare) */
static char *
block_of (const char *name)
{
  const char *space = strchr (name, ' ');

  return space != NULL ? g_strndup (name, space - name) : g_strdup ("");
}

void
derm_cli_print_commands (const DermCliCommand * const *tables,
                         const char                   *group,
                         gboolean                      synopsis)
{
  g_autofree char *last_block = NULL;
  gsize width = 0;

  for (guint t = 0; tables[t] != NULL; t++)
    for (const DermCliCommand *c = tables[t]; c->name != NULL; c++)
      if (group == NULL || has_group (c->name, group))
        width = MAX (width, derm_cli_display_width (c->name));

  for (guint t = 0; tables[t] != NULL; t++)
    for (const DermCliCommand *c = tables[t]; c->name != NULL; c++)
      {
        g_autofree char *block = NULL;

        if (group != NULL && !has_group (c->name, group))
          continue;

        block = block_of (c->name);
        if (last_block != NULL && !g_str_equal (last_block, block))
          derm_cli_out ("\n");
        g_free (last_block);
        last_block = g_steal_pointer (&block);

        if (synopsis)
          {
            /* "  client add --name NAME …" then the help, indented */
            derm_cli_out ("  %s%s%s\n      %s\n", c->name,
                          c->synopsis != NULL ? " " : "",
                          c->synopsis != NULL ? c->synopsis : "", _(c->help));
          }
        else
          {
            g_autoptr (GString) line = g_string_new ("  ");

            derm_cli_append_padded (line, c->name, width + 2);
            g_string_append (line, _(c->help));
            derm_cli_out ("%s\n", line->str);
          }
      }
}

static const DermCliCommand *
find_command (const DermCliCommand * const *tables,
              const char                   *name)
{
  for (guint t = 0; tables[t] != NULL; t++)
    for (const DermCliCommand *c = tables[t]; c->name != NULL; c++)
      if (g_str_equal (c->name, name))
        return c;

  return NULL;
}

static gboolean
is_group (const DermCliCommand * const *tables,
          const char                   *group)
{
  for (guint t = 0; tables[t] != NULL; t++)
    for (const DermCliCommand *c = tables[t]; c->name != NULL; c++)
      if (strchr (c->name, ' ') != NULL && has_group (c->name, group))
        return TRUE;

  return FALSE;
}

gboolean
derm_cli_tables_have (const DermCliCommand * const *tables,
                      int                           argc,
                      char                        **argv)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (tables != NULL, FALSE);

  if (argc < 1)
    return FALSE;
  if (find_command (tables, argv[0]) != NULL)
    return TRUE;
  if (argc < 2)
    return FALSE;
  name = g_strdup_printf ("%s %s", argv[0], argv[1]);
  return find_command (tables, name) != NULL;
}

static int
run (const DermCliCommand *command,
     const char           *global_data_dir,
     gboolean              global_json,
     int                   argc,
     char                **argv)
{
  DermCliInvocation inv = { 0 };
  int exit_code;

  inv.command = command;
  inv.global_data_dir = global_data_dir;
  inv.global_json = global_json;
  inv.argc = argc;
  inv.argv = argv;

  exit_code = command->handler (&inv);

  g_clear_pointer (&inv.local_data_dir, g_free);
  g_clear_pointer (&inv.strv, g_strfreev);

  return exit_code == DERM_CLI_HELP_SHOWN ? DERM_EXIT_OK : exit_code;
}

int
derm_cli_dispatch (const DermCliCommand * const *tables,
                   const char                   *global_data_dir,
                   gboolean                      global_json,
                   int                           argc,
                   char                        **argv)
{
  const DermCliCommand *command;
  g_autofree char *name = NULL;

  g_return_val_if_fail (argc >= 1, DERM_EXIT_USAGE);

  /* A one-word command: analyze, align, compare */
  if ((command = find_command (tables, argv[0])) != NULL)
    return run (command, global_data_dir, global_json, argc - 1, argv + 1);

  if (!is_group (tables, argv[0]))
    {
      g_autofree char *message = g_strdup_printf (_("Unknown command “%s”."), argv[0]);

      return usage_error_for (NULL, message);
    }

  if (argc < 2)
    {
      g_autofree char *message = g_strdup_printf (_("Missing subcommand after “%s”."), argv[0]);

      return usage_error_for (argv[0], message);
    }

  if (derm_cli_is_help (argv[1]))
    {
      derm_cli_out (_("Usage: %s [--data-dir DIR] [--json] %s SUBCOMMAND [ARGUMENTS]\n\n"),
                    PROGRAM_NAME, argv[0]);
      derm_cli_print_commands (tables, argv[0], TRUE);
      derm_cli_out ("\n");
      derm_cli_out (_("Run “%s %s SUBCOMMAND --help” for its options.\n"), PROGRAM_NAME, argv[0]);
      derm_cli_out ("%s\n", derm_cli_exit_status_help ());
      return DERM_EXIT_OK;
    }

  name = g_strdup_printf ("%s %s", argv[0], argv[1]);
  if ((command = find_command (tables, name)) != NULL)
    return run (command, global_data_dir, global_json, argc - 2, argv + 2);

  {
    g_autofree char *message = g_strdup_printf (_("Unknown command “%s”."), name);

    return usage_error_for (argv[0], message);
  }
}

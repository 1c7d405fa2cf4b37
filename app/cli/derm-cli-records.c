/* derm-cli-records.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client records from the command line: the client, screening and
 * session commands. The plumbing (options, exit codes, output, store) is
 * derm-cli-common.c's.
 */

#define G_LOG_DOMAIN "derm-cli"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "derm-cli-common.h"
#include "derm-cli-records.h"
#include "derm-photo-use.h"
#include "derm-store-photos.h"
#include "derm-client.h"
#include "derm-enums.h"
#include "derm-finding.h"
#include "derm-json.h"
#include "derm-screening-rules.h"
#include "derm-screening.h"
#include "derm-store.h"
#include "derm-store-merge.h"
#include "derm-treatment.h"
#include "derm-validate.h"

#define PROGRAM_NAME DERM_CLI_PROGRAM_NAME

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
      derm_cli_out ("  %s\n", _("Nothing found that stands against treatment."));
      return;
    }

  for (guint i = 0; i < findings->len; i++)
    {
      DermFinding *finding = g_ptr_array_index (findings, i);

      width = MAX (width, derm_cli_display_width (derm_severity_to_label (derm_finding_get_severity (finding))));
    }

  for (guint i = 0; i < findings->len; i++)
    {
      DermFinding *finding = g_ptr_array_index (findings, i);
      const char *until = derm_finding_get_until (finding);

      g_autoptr (GString) line = g_string_new ("  ");

      derm_cli_append_padded (line, derm_severity_to_label (derm_finding_get_severity (finding)), width + 2);
      g_string_append (line, derm_finding_get_reason (finding));
      if (until != NULL)
        {
          g_string_append_c (line, ' ');
          /* Translators: %s is an ISO date such as 2026-09-01 */
          g_string_append_printf (line, _("(until %s)"), until);
        }
      derm_cli_out ("%s\n", line->str);
    }
}

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
        return derm_cli_fail (DERM_EXIT_INVALID,
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

          return derm_cli_fail (DERM_EXIT_INVALID,
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
      derm_cli_out ("%s\n", message);
      return DERM_EXIT_OK;
    }

  /* Re-read so the timestamps and last visit are the stored ones */
  if (!(client = derm_cli_get_client (store, id, &exit_code)))
    return exit_code;

  node = derm_json_from_client (client);
  derm_cli_print_json (node);
  return DERM_EXIT_OK;
}

static int
cmd_client_add (DermCliInvocation *inv)
{
  g_auto (ClientOptions) opts = { 0 };
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) duplicates = NULL;
  g_autofree char *id_text = NULL;
  gboolean allow_duplicate = FALSE;
  int exit_code;
  const GOptionEntry entries[] = {
    CLIENT_OPTION_ENTRIES (opts),
    { "allow-duplicate", 0, 0, G_OPTION_ARG_NONE, &allow_duplicate,
      N_("Create the client even when one with the same name and date of birth, phone or email exists"), NULL },
    { NULL }
  };

  inv->help_extra = _("A client with the same name (accents and case aside) and date of birth, or the same "
                      "phone number or email address, is a possible duplicate: nothing is created and the "
                      "exit status is 4, unless --allow-duplicate is given.");
  if ((exit_code = derm_cli_parse (inv, entries, 0, 0, NULL)))
    return exit_code;

  if (opts.name == NULL)
    return derm_cli_usage_error (inv, _("Missing --name. Give the client’s full name with --name NAME."));

  client = derm_client_new ();
  if ((exit_code = apply_client_options (client, &opts)))
    return exit_code;

  if (!(store = derm_cli_open_store (inv, &exit_code)))
    return exit_code;

  if (!allow_duplicate)
    {
      DermClient *first;
      g_autofree char *message = NULL;

      if (!(duplicates = derm_store_find_duplicates (store, client, &error)))
        return derm_cli_fail_with_error (error);
      if (duplicates->len > 0)
        {
          first = g_ptr_array_index (duplicates, 0);
          message = derm_client_describe_duplicate (first, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (first),
                                                                                               "derm-duplicate-reason")));
          derm_cli_make_printable (message);
          return derm_cli_fail (DERM_EXIT_INVALID, _("%s. Nothing was created; add --allow-duplicate to create "
                                                     "the client anyway."), message);
        }
    }

  if (!derm_store_add_client (store, client, &error))
    return derm_cli_fail_with_error (error);

  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, derm_client_get_id (client));
  return print_client_result (store, derm_client_get_id (client), inv->json, id_text);
}

static int
cmd_client_update (DermCliInvocation *inv)
{
  g_auto (ClientOptions) opts = { 0 };
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  gint64 id;
  int exit_code;
  const GOptionEntry entries[] = {
    CLIENT_OPTION_ENTRIES (opts),
    { NULL }
  };

  if ((exit_code = derm_cli_parse (inv, entries, 1, 1, _("client ID"))) ||
      (exit_code = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &id)))
    return exit_code;

  if (client_options_empty (&opts))
    return derm_cli_usage_error (inv, _("Nothing to change. Give at least one field, for example --phone PHONE."));

  if (!(store = derm_cli_open_store (inv, &exit_code)) ||
      !(client = derm_cli_get_client (store, id, &exit_code)))
    return exit_code;

  if ((exit_code = apply_client_options (client, &opts)))
    return exit_code;

  if (!derm_store_update_client (store, client, &error))
    return derm_cli_fail_with_error (error);

  message = g_strdup_printf (_("Client %lld updated."), (long long) id);
  return print_client_result (store, id, inv->json, message);
}

static int
cmd_client_archive (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean undo = FALSE;
  gint64 id;
  int exit_code;
  const GOptionEntry entries[] = {
    { "undo", 0, 0, G_OPTION_ARG_NONE, &undo, N_("Bring an archived client back"), NULL },
    { NULL }
  };

  if ((exit_code = derm_cli_parse (inv, entries, 1, 1, _("client ID"))) ||
      (exit_code = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &id)))
    return exit_code;

  if (!(store = derm_cli_open_store (inv, &exit_code)) ||
      !(client = derm_cli_get_client (store, id, &exit_code)))
    return exit_code;

  if (!derm_store_set_client_archived (store, id, !undo, &error))
    return derm_cli_fail_with_error (error);

  if (undo)
    message = g_strdup_printf (_("Client %lld restored."), (long long) id);
  else
    message = g_strdup_printf (_("Client %lld archived."), (long long) id);
  return print_client_result (store, id, inv->json, message);
}

/* The cells of the client table, kept in one string chunk: a list of
 * 10,000 clients makes 60,000 of them */
typedef struct
{
  GStringChunk *chunk;
  GPtrArray    *cells;
} ClientCells;

static void
add_cell (ClientCells *table,
          const char  *text)
{
  g_ptr_array_add (table->cells, text != NULL ? g_string_chunk_insert (table->chunk, text) : NULL);
}

static void
add_client_row (const DermClientListRow *row,
                gpointer                 user_data)
{
  ClientCells *table = user_data;
  char id[24];

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, row->id);
  add_cell (table, id);
  if (row->archived)
    {
      /* Translators: a client name in the list, marked as archived */
      g_autofree char *name = g_strdup_printf (_("%s (archived)"), row->name);

      add_cell (table, name);
    }
  else
    add_cell (table, row->name);
  add_cell (table, row->phone);
  add_cell (table, row->email);
  add_cell (table, row->last_visit);
  /* The first contraindication of the latest screening, today */
  add_cell (table, row->do_not_treat);
}

static int
cmd_client_list (DermCliInvocation *inv)
{
  const char *headers[] = { _("ID"), _("Name"), _("Phone"), _("Email"), _("Last visit"), _("Do Not Treat") };
  g_autofree char *search = NULL;
  g_autofree char *folded = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GPtrArray) clients = NULL;
  g_autoptr (GPtrArray) cells = g_ptr_array_new ();
  g_autoptr (GStringChunk) chunk = g_string_chunk_new (64 * 1024);
  g_autoptr (GError) error = NULL;
  ClientCells table = { chunk, cells };
  gboolean archived = FALSE;
  int exit_code;
  const GOptionEntry entries[] = {
    { "archived", 0, 0, G_OPTION_ARG_NONE, &archived, N_("Include archived clients"), NULL },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only clients whose name, phone or email contain every word of TEXT"), N_("TEXT") },
    { NULL }
  };

  if ((exit_code = derm_cli_parse (inv, entries, 0, 0, NULL)))
    return exit_code;

  if (!(store = derm_cli_open_store (inv, &exit_code)))
    return exit_code;

  if (search == NULL && !inv->json)
    {
      /* The plain list: printed from the rows, no object per client */
      if (!derm_store_foreach_client (store, archived, add_client_row, &table, &error))
        return derm_cli_fail_with_error (error);
    }
  else
    {
      g_autoptr (GPtrArray) matches = g_ptr_array_new ();

      if (!(clients = derm_store_list_clients (store, archived, &error)))
        return derm_cli_fail_with_error (error);
      folded = derm_fold_for_search (search != NULL ? search : "");
      for (guint i = 0; i < clients->len; i++)
        {
          DermClient *client = g_ptr_array_index (clients, i);

          if (derm_client_matches (client, folded))
            g_ptr_array_add (matches, client);
        }
      if (inv->json)
        {
          g_autoptr (JsonNode) node = derm_json_from_clients (matches);

          derm_cli_print_json (node);
          return DERM_EXIT_OK;
        }
      for (guint i = 0; i < matches->len; i++)
        {
          DermClient *client = g_ptr_array_index (matches, i);
          DermClientListRow row = {
            derm_client_get_id (client), derm_client_get_name (client), derm_client_get_phone (client),
            derm_client_get_email (client), derm_client_get_last_visit (client),
            derm_client_get_do_not_treat (client), derm_client_get_archived (client),
          };

          add_client_row (&row, &table);
        }
    }

  if (cells->len == 0)
    derm_cli_out ("%s\n", _("No clients found."));
  else
    derm_cli_print_table (headers, G_N_ELEMENTS (headers), cells);
  return DERM_EXIT_OK;
}

static int
cmd_client_show (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermScreening) latest = NULL;
  g_autoptr (GPtrArray) treatments = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GError) error = NULL;
  DermPhotoUse photo_use = DERM_PHOTO_USE_CLINICAL;
  gint64 id;
  int exit_code;

  if ((exit_code = derm_cli_parse (inv, NULL, 1, 1, _("client ID"))) ||
      (exit_code = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &id)))
    return exit_code;

  if (!(store = derm_cli_open_store (inv, &exit_code)) ||
      !(client = derm_cli_get_client (store, id, &exit_code)))
    return exit_code;

  latest = derm_store_get_latest_screening (store, id, &error);
  if (error != NULL)
    return derm_cli_fail_with_error (error);
  if (!(treatments = derm_store_list_treatments (store, id, &error)))
    return derm_cli_fail_with_error (error);
  findings = derm_screening_evaluate (latest, NULL);
  if (!derm_store_get_client_photo_use (store, id, &photo_use, &error))
    return derm_cli_fail_with_error (error);

  if (inv->json)
    {
      g_autoptr (JsonNode) node = derm_json_from_client (client);
      JsonObject *object = json_node_get_object (node);

      json_object_set_int_member (object, "session_count", treatments->len);
      json_object_set_string_member (object, "photo_use", derm_photo_use_to_key (photo_use));
      if (latest != NULL)
        json_object_set_string_member (object, "screening_date", derm_screening_get_date (latest));
      else
        json_object_set_null_member (object, "screening_date");
      json_object_set_member (object, "findings", derm_json_from_findings (findings));
      derm_cli_print_json (node);
    }
  else
    {
      g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_autofree char *concerns = concerns_to_labels (derm_client_get_concerns (client));
      g_autofree char *sessions = g_strdup_printf ("%u", treatments->len);

      derm_cli_add_field (fields, _("ID"), id_text);
      derm_cli_add_field (fields, _("Name"), derm_client_get_name (client));
      derm_cli_add_field (fields, _("Date of birth"), derm_client_get_date_of_birth (client));
      derm_cli_add_field (fields, _("Phone"), derm_client_get_phone (client));
      derm_cli_add_field (fields, _("Email"), derm_client_get_email (client));
      derm_cli_add_field (fields, _("Skin type"), derm_fitzpatrick_to_roman (derm_client_get_fitzpatrick (client)));
      derm_cli_add_field (fields, _("Concerns"), concerns);
      derm_cli_add_field (fields, _("Goals"), derm_client_get_goals (client));
      derm_cli_add_field (fields, _("Notes"), derm_client_get_notes (client));
      derm_cli_add_field (fields, _("Photo use"), derm_photo_use_to_label (photo_use));
      if (derm_client_get_archived (client))
        derm_cli_add_field (fields, _("Status"), _("Archived"));
      derm_cli_add_field (fields, _("Sessions"), sessions);
      derm_cli_add_field (fields, _("Last visit"), derm_client_get_last_visit (client));
      derm_cli_add_field (fields, _("Created"), derm_client_get_created_at (client));
      derm_cli_add_field (fields, _("Updated"), derm_client_get_updated_at (client));
      derm_cli_print_fields (fields);

      derm_cli_out ("\n");
      if (latest != NULL)
        derm_cli_out (_("Findings of the screening of %s:\n"), derm_screening_get_date (latest));
      else
        derm_cli_out ("%s\n", _("Findings:"));
      print_findings (findings);
    }

  return DERM_EXIT_OK;
}

static int
cmd_client_photo_use (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GError) error = NULL;
  DermPhotoUse use = DERM_PHOTO_USE_CLINICAL;
  gint64 id;
  int exit_code;

  if ((exit_code = derm_cli_parse (inv, NULL, 1, 2, _("client ID"))) ||
      (exit_code = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &id)))
    return exit_code;
  if (inv->n_args == 2 && !derm_photo_use_from_key (inv->args[1], &use))
    return derm_cli_usage_error (inv, _("“%s” is not a photo use: use clinical, education or marketing."), inv->args[1]);
  if (!(store = derm_cli_open_store (inv, &exit_code)) ||
      !(client = derm_cli_get_client (store, id, &exit_code)))
    return exit_code;
  if ((inv->n_args == 2 && !derm_store_set_client_photo_use (store, id, use, &error)) ||
      !derm_store_get_client_photo_use (store, id, &use, &error))
    return derm_cli_fail_with_error (error);
  if (inv->json)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "client_id", id);
      json_object_set_string_member (object, "photo_use", derm_photo_use_to_key (use));
      json_node_take_object (node, object);
      derm_cli_print_json (node);
    }
  else
    derm_cli_out ("%s\n", derm_photo_use_to_label (use));
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

      return derm_cli_fail (DERM_EXIT_INVALID, _("“%s” is not a screening question. Use one of: %s."),
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
        return derm_cli_fail (DERM_EXIT_INVALID, _("“%s” is not an answer. Write it as KEY=yes, KEY=no or KEY=unknown."),
                              answers[i]);
      if ((exit_code = lookup_question (key, &question)))
        return exit_code;
      if (!derm_answer_from_key (value, &answer))
        return derm_cli_fail (DERM_EXIT_INVALID, _("“%s” is not an answer to %s. Use yes, no or unknown."),
                              value, key);
      derm_screening_set_answer (screening, question, answer);
    }

  for (guint i = 0; details != NULL && details[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      const char *value;
      DermQuestion question;

      if (!split_assignment (details[i], &key, &value))
        return derm_cli_fail (DERM_EXIT_INVALID, _("“%s” is not a detail. Write it as KEY=TEXT."), details[i]);
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
        return derm_cli_fail (DERM_EXIT_INVALID, _("“%s” is not a dated answer. Write it as KEY=YYYY-MM-DD."), dates[i]);
      if ((exit_code = lookup_question (key, &question)))
        return exit_code;
      if (!derm_question_has_date (question))
        return derm_cli_fail (DERM_EXIT_INVALID,
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

  derm_cli_out (_("Screening %lld of %s\n"),
                (long long) derm_screening_get_id (screening), derm_screening_get_date (screening));
  derm_cli_print_table (headers, G_N_ELEMENTS (headers), cells);
}

static int
cmd_screening_add (DermCliInvocation *inv)
{
  g_autofree char *date = NULL;
  g_auto (GStrv) answers = NULL;
  g_auto (GStrv) details = NULL;
  g_auto (GStrv) dates = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermScreening) screening = NULL;
  g_autoptr (DermScreening) latest = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GError) error = NULL;
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

  g_autofree char *keys = question_keys ();
  g_autofree char *help_extra = g_strdup_printf (_("Screening keys: %s."), keys);

  inv->help_extra = help_extra;
  if ((exit_code = derm_cli_parse (inv, entries, 1, 1, _("client ID"))) ||
      (exit_code = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &id)))
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

  if (!(store = derm_cli_open_store (inv, &exit_code)) ||
      !(client = derm_cli_get_client (store, id, &exit_code)))
    return exit_code;

  if (!derm_store_add_screening (store, screening, &error))
    return derm_cli_fail_with_error (error);

  /* The findings that count are those of the latest screening, which
   * is not this one when an older screening was entered late. */
  latest = derm_store_get_latest_screening (store, id, &error);
  if (error != NULL)
    return derm_cli_fail_with_error (error);
  findings = derm_screening_evaluate (latest, NULL);

  if (inv->json)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_member (object, "screening", derm_json_from_screening (screening));
      json_object_set_member (object, "findings", derm_json_from_findings (findings));
      json_node_take_object (node, object);
      derm_cli_print_json (node);
    }
  else
    {
      derm_cli_out (_("Screening %lld saved for %s.\n"),
                    (long long) derm_screening_get_id (screening), derm_client_get_name (client));
      if (latest != NULL && derm_screening_get_id (latest) != derm_screening_get_id (screening))
        derm_cli_out (_("Findings of the later screening of %s:\n"), derm_screening_get_date (latest));
      else
        derm_cli_out ("%s\n", _("Findings:"));
      print_findings (findings);
    }

  return DERM_EXIT_OK;
}

static int
cmd_screening_show (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GPtrArray) screenings = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GError) error = NULL;
  DermScreening *latest;
  gboolean all = FALSE;
  gint64 id;
  int exit_code;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Show every screening, newest first"), NULL },
    { NULL }
  };

  if ((exit_code = derm_cli_parse (inv, entries, 1, 1, _("client ID"))) ||
      (exit_code = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &id)))
    return exit_code;

  if (!(store = derm_cli_open_store (inv, &exit_code)) ||
      !(client = derm_cli_get_client (store, id, &exit_code)))
    return exit_code;

  /* Newest first, so the latest is the first */
  if (!(screenings = derm_store_list_screenings (store, id, &error)))
    return derm_cli_fail_with_error (error);
  latest = screenings->len > 0 ? g_ptr_array_index (screenings, 0) : NULL;
  findings = derm_screening_evaluate (latest, NULL);

  if (inv->json)
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
      derm_cli_print_json (node);
      return DERM_EXIT_OK;
    }

  if (latest == NULL)
    derm_cli_out (_("%s has not been screened yet.\n"), derm_client_get_name (client));
  for (guint i = 0; i < (all ? screenings->len : MIN (screenings->len, 1)); i++)
    {
      if (i > 0)
        derm_cli_out ("\n");
      print_screening (g_ptr_array_index (screenings, i));
    }
  derm_cli_out ("\n%s\n", _("Findings:"));
  print_findings (findings);

  return DERM_EXIT_OK;
}

/* session */

static int
cmd_session_add (DermCliInvocation *inv)
{
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
  g_autofree char *override = NULL;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermTreatment) treatment = NULL;
  g_autoptr (GError) error = NULL;
  gboolean aftercare = FALSE;
  int passes = 0;
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
    { "override-contraindication", 0, 0, G_OPTION_ARG_STRING, &override,
      N_("Record the session despite a contraindication, for this written reason (kept on the session and in the audit log)"),
      N_("REASON") },
    { NULL }
  };

  if ((exit_code = derm_cli_parse (inv, entries, 1, 1, _("client ID"))) ||
      (exit_code = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &id)))
    return exit_code;

  if (date == NULL)
    return derm_cli_usage_error (inv, _("Missing --date. Give the date of the session with --date YYYY-MM-DD."));
  if (passes < 0)
    return derm_cli_fail (DERM_EXIT_INVALID, _("Passes must be a positive number, not %d."), passes);

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
  derm_treatment_set_override_reason (treatment, override);
  if (depths != NULL && !derm_treatment_parse_depths (treatment, depths, &error))
    return derm_cli_fail (DERM_EXIT_INVALID, "%s", error->message);

  if (!(store = derm_cli_open_store (inv, &exit_code)) ||
      !(client = derm_cli_get_client (store, id, &exit_code)))
    return exit_code;

  /* The cautions are listed, and recorded as acknowledged by whoever ran this */
  {
    g_autoptr (DermScreening) latest = derm_store_get_latest_screening (store, id, NULL);
    g_autoptr (GPtrArray) findings = NULL;
    g_autofree char *cautions = NULL;
    GDate day;

    if (derm_date_parse (date, &day))
      {
        findings = derm_screening_evaluate (latest, &day);
        cautions = derm_findings_caution_codes (findings);
        derm_treatment_set_cautions_acknowledged (treatment, cautions);
      }
    if (!derm_store_add_treatment (store, treatment, &error))
      {
        if (g_error_matches (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_CONTRAINDICATED))
          return derm_cli_fail (DERM_EXIT_INVALID, _("%s Use --override-contraindication REASON to record it anyway."),
                                error->message);
        return derm_cli_fail_with_error (error);
      }
    for (guint i = 0; findings != NULL && i < findings->len; i++)
      {
        DermFinding *finding = g_ptr_array_index (findings, i);

        if (derm_finding_get_severity (finding) != DERM_SEVERITY_INFO)
          derm_cli_warn ("%s: %s", derm_severity_to_label (derm_finding_get_severity (finding)),
                         derm_finding_get_reason (finding));
      }
  }

  if (inv->json)
    {
      g_autoptr (JsonNode) node = derm_json_from_treatment (treatment);

      derm_cli_print_json (node);
    }
  else
    derm_cli_out ("%" G_GINT64_FORMAT "\n", derm_treatment_get_id (treatment));

  return DERM_EXIT_OK;
}

static int
cmd_session_list (DermCliInvocation *inv)
{
  const char *headers[] = { _("ID"), _("Date"), _("Practitioner"), _("Areas"), _("Depths") };
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GPtrArray) treatments = NULL;
  g_autoptr (GPtrArray) cells = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id;
  int exit_code;

  if ((exit_code = derm_cli_parse (inv, NULL, 1, 1, _("client ID"))) ||
      (exit_code = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &id)))
    return exit_code;

  if (!(store = derm_cli_open_store (inv, &exit_code)) ||
      !(client = derm_cli_get_client (store, id, &exit_code)))
    return exit_code;

  if (!(treatments = derm_store_list_treatments (store, id, &error)))
    return derm_cli_fail_with_error (error);

  if (inv->json)
    {
      g_autoptr (JsonNode) node = derm_json_from_treatments (treatments);

      derm_cli_print_json (node);
      return DERM_EXIT_OK;
    }

  if (treatments->len == 0)
    {
      derm_cli_out (_("No sessions recorded for %s.\n"), derm_client_get_name (client));
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
  derm_cli_print_table (headers, G_N_ELEMENTS (headers), cells);

  return DERM_EXIT_OK;
}

static JsonNode *
merge_report_json (gint64                 from_id,
                   gint64                 into_id,
                   gboolean               dry_run,
                   const DermMergeReport *report)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  const DermClientCounts *moved = &report->moved;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "from");
  json_builder_add_int_value (builder, from_id);
  json_builder_set_member_name (builder, "into");
  json_builder_add_int_value (builder, into_id);
  json_builder_set_member_name (builder, "merged");
  json_builder_add_boolean_value (builder, !dry_run);
  json_builder_set_member_name (builder, "moved");
  json_builder_begin_object (builder);
#define COUNT(key, field) \
  json_builder_set_member_name (builder, key); \
  json_builder_add_int_value (builder, moved->field);
  COUNT ("screenings", screenings);
  COUNT ("sessions", sessions);
  COUNT ("photos", photos);
  COUNT ("series", series);
  COUNT ("appointments", appointments);
  COUNT ("regions", regions);
#undef COUNT
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "screening_combined");
  json_builder_add_boolean_value (builder, report->screening_combined);
  json_builder_set_member_name (builder, "overlapping_bookings");
  json_builder_begin_array (builder);
  for (guint i = 0; report->overlaps != NULL && i < report->overlaps->len; i++)
    {
      const DermMergeOverlap *o = &g_array_index (report->overlaps, DermMergeOverlap, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "from_appointment");
      json_builder_add_int_value (builder, o->from_id);
      json_builder_set_member_name (builder, "from_start");
      json_builder_add_string_value (builder, o->from_start);
      json_builder_set_member_name (builder, "into_appointment");
      json_builder_add_int_value (builder, o->into_id);
      json_builder_set_member_name (builder, "into_start");
      json_builder_add_string_value (builder, o->into_start);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static int
cmd_client_merge (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClient) from = NULL;
  g_autoptr (DermClient) into = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (DermMergeReport) report = { 0 };
  g_autofree char *moved = NULL;
  gboolean dry_run = FALSE;
  gint64 from_id;
  gint64 into_id;
  int rc;
  const GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Only say what would move"), NULL },
    { NULL }
  };

  if ((rc = derm_cli_parse (inv, entries, 2, 2, _("the IDs of the two clients"))) ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &from_id)) ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[1], &into_id)))
    return rc;
  if (from_id == into_id)
    return derm_cli_fail (DERM_EXIT_INVALID, _("A client cannot be merged into themselves. "
                                               "Give the IDs of two different clients."));
  if (!(store = derm_cli_open_store (inv, &rc)) ||
      !(from = derm_cli_get_client (store, from_id, &rc)) ||
      !(into = derm_cli_get_client (store, into_id, &rc)))
    return rc;

  if (dry_run ? !derm_store_preview_merge (store, from_id, into_id, &report, &error)
              : !derm_store_merge_clients (store, from_id, into_id, &report, &error))
    return derm_cli_fail_with_error (error);

  if (inv->json)
    {
      g_autoptr (JsonNode) node = merge_report_json (from_id, into_id, dry_run, &report);

      derm_cli_print_json (node);
      return DERM_EXIT_OK;
    }

  moved = derm_client_counts_describe (&report.moved);
  if (dry_run)
    derm_cli_out (_("Merging client %lld into client %lld would move %s.\n"),
                  (long long) from_id, (long long) into_id, moved);
  else
    derm_cli_out (_("Client %lld merged into client %lld: %s moved.\n"),
                  (long long) from_id, (long long) into_id, moved);
  if (report.screening_combined)
    derm_cli_out (_("A screening with the answers of both was added, so every finding of either still applies.\n"));
  for (guint i = 0; i < report.overlaps->len; i++)
    {
      const DermMergeOverlap *o = &g_array_index (report.overlaps, DermMergeOverlap, i);

      derm_cli_out (_("Overlapping bookings: appointment %lld (%s) and appointment %lld (%s). Move or cancel one.\n"),
                    (long long) o->from_id, o->from_start, (long long) o->into_id, o->into_start);
    }

  return DERM_EXIT_OK;
}

const DermCliCommand derm_cli_records_commands[] = {
  { "client add", "--name NAME [--dob YYYY-MM-DD] [--phone PHONE] [--email EMAIL] [--fitzpatrick I..VI] "
                  "[--concerns KEY,…] [--goals TEXT] [--notes TEXT] [--allow-duplicate]",
    N_("Adds a client and prints the new ID."), cmd_client_add },
  { "client list", "[--archived] [--search TEXT]", N_("Lists clients by name."), cmd_client_list, DERM_CLI_READS },
  { "client show", "ID", N_("Shows a client with the findings of their latest screening."), cmd_client_show, DERM_CLI_READS },
  { "client update", "ID [options of client add]",
    N_("Changes the given fields of a client; an empty value clears a field."), cmd_client_update },
  { "client photo-use", "ID [clinical|education|marketing]",
    N_("Shows or sets what the client’s photos may be used for: the clinical record only, also education, also marketing."),
    cmd_client_photo_use },
  { "client archive", "ID [--undo]",
    N_("Archives a client: kept with all records, hidden from the list."), cmd_client_archive },
  { "client merge", "FROM INTO [--dry-run]",
    N_("Moves every record of client FROM to client INTO and removes FROM."), cmd_client_merge },
  { "screening add", "CLIENT_ID [--date YYYY-MM-DD] [--answer KEY=yes|no|unknown]… [--details KEY=TEXT]… "
                     "[--date-for KEY=YYYY-MM-DD]…",
    N_("Records a medical screening and prints what it finds."), cmd_screening_add },
  { "screening show", "CLIENT_ID [--all]",
    N_("Shows the answers of a client’s latest screening and its findings."), cmd_screening_show, DERM_CLI_READS },
  { "session add", "CLIENT_ID --date YYYY-MM-DD [--practitioner NAME] [--areas TEXT] [--depth ZONE=MM,…] "
                   "[--device TEXT] [--lot TEXT] [--passes N] [--topical TEXT] [--anaesthetic TEXT] "
                   "[--response TEXT] [--aftercare] [--notes TEXT] [--override-contraindication REASON]",
    N_("Records a treatment session and prints its ID."), cmd_session_add },
  { "session list", "CLIENT_ID", N_("Lists a client’s treatment sessions, newest first."), cmd_session_list, DERM_CLI_READS },
  { NULL }
};

/* derm-cli-photo.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   dermis-cli photo import CLIENT FILE... [--session ID|none] [--view VIEW] [--area TEXT]
 *   dermis-cli photo list CLIENT [--removed]
 *   dermis-cli photo verify
 *   dermis-cli photo recover [--adopt CLIENT | --delete]
 *   dermis-cli photo remove|restore PHOTO
 *   dermis-cli photo empty-removed [CLIENT]
 *   dermis-cli photo export PHOTO FILE
 *
 * Each accepts --data-dir DIR and --json. Output is UTF-8 on stdout,
 * errors one line each on stderr, exit codes as in derm-cli-common.h.
 */
#define G_LOG_DOMAIN "derm-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "derm-cli-common.h"
#include "derm-cli-photo.h"
#include "derm-client.h"
#include "derm-photo-library.h"
#include "derm-photo.h"
#include "derm-store-photos.h"
#include "derm-store.h"
#include "derm-validate.h"

#define PROGRAM_NAME "dermis-cli"

typedef struct
{
  char     *data_dir;
  gboolean  json;
  char    **args;
} PhotoContext;

static void
photo_context_clear (PhotoContext *ctx)
{
  g_clear_pointer (&ctx->data_dir, g_free);
  g_clear_pointer (&ctx->args, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PhotoContext, photo_context_clear)

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

static int fail (int exit_code, const char *format, ...) G_GNUC_PRINTF (2, 3);

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
  if (g_error_matches (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND) ||
      g_error_matches (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_NOT_FOUND))
    return DERM_EXIT_NOT_FOUND;
  if (g_error_matches (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_MISMATCH))
    return DERM_EXIT_MISMATCH;
  if (error->domain == DERM_VALIDATION_ERROR ||
      (error->domain == DERM_PHOTO_ERROR && error->code != DERM_PHOTO_ERROR_IO))
    return DERM_EXIT_INVALID;
  if (error->domain == DERM_STORE_ERROR || error->domain == DERM_PHOTO_ERROR ||
      error->domain == G_IO_ERROR || error->domain == G_FILE_ERROR)
    return DERM_EXIT_STORAGE;
  if (error->domain == G_OPTION_ERROR)
    return DERM_EXIT_USAGE;
  return DERM_EXIT_FAILURE;
}

static void
print_json (JsonNode *node)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  out ("%s\n", text);
}

/* Parses the subcommand's options (the common ones included) and leaves
 * the positional arguments in ctx->args */
static int
parse_options (const char    *usage,
               GOptionEntry  *entries,
               int            argc,
               char         **argv,
               guint          min_args,
               guint          max_args,
               PhotoContext  *ctx)
{
  g_autoptr (GOptionContext) context = g_option_context_new (usage);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) copy = NULL;
  char **args = NULL;
  const GOptionEntry common[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &ctx->data_dir,
      N_("Use the records in DIR"), N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &ctx->json, N_("Print JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };
  guint n;

  g_option_context_set_help_enabled (context, TRUE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  copy = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    copy[i] = g_strdup (argv[i]);
  {
    char **strv = copy;

    if (!g_option_context_parse_strv (context, &strv, &error))
      return fail (DERM_EXIT_USAGE, "%s", error->message);
  }

  ctx->args = args ? args : g_new0 (char *, 1);
  n = g_strv_length (ctx->args);
  if (n < min_args || n > max_args)
    return fail (DERM_EXIT_USAGE, _("Usage: %s photo %s"), PROGRAM_NAME, usage);

  if (ctx->data_dir == NULL)
    {
      const char *env = g_getenv ("DERMIS_DATA_DIR");

      ctx->data_dir = env && *env ? g_strdup (env) : NULL;
    }
  return DERM_EXIT_OK;
}

static int
parse_number (const char *text,
              const char *what,
              gint64     *id)
{
  if (!g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, id, NULL))
    return fail (DERM_EXIT_USAGE, _("“%s” is not a %s ID."), text, what);
  return DERM_EXIT_OK;
}

static int
open_library (PhotoContext      *ctx,
              DermPhotoLibrary **library)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = derm_store_open (ctx->data_dir, &error);

  if (store == NULL)
    return fail (DERM_EXIT_STORAGE, "%s", error->message);
  *library = derm_photo_library_new (store, NULL);
  return DERM_EXIT_OK;
}

static JsonNode *
photo_to_json (DermPhoto *photo)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, derm_photo_get_id (photo));
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_int_value (builder, derm_photo_get_client_id (photo));
  json_builder_set_member_name (builder, "session_id");
  if (derm_photo_get_treatment_id (photo) != 0)
    json_builder_add_int_value (builder, derm_photo_get_treatment_id (photo));
  else
    json_builder_add_null_value (builder);
#define STRING_MEMBER(name, value) \
  json_builder_set_member_name (builder, name); \
  if ((value) != NULL) json_builder_add_string_value (builder, value); \
  else json_builder_add_null_value (builder);
  STRING_MEMBER ("session_date", derm_photo_get_session_date (photo));
  STRING_MEMBER ("sha256", derm_photo_get_sha256 (photo));
  STRING_MEMBER ("original_name", derm_photo_get_original_name (photo));
  STRING_MEMBER ("mime_type", derm_photo_get_mime_type (photo));
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, derm_photo_get_width (photo));
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, derm_photo_get_height (photo));
  json_builder_set_member_name (builder, "orientation");
  json_builder_add_int_value (builder, derm_photo_get_orientation (photo));
  STRING_MEMBER ("captured_at", derm_photo_get_captured_at (photo));
  STRING_MEMBER ("camera_make", derm_photo_get_camera_make (photo));
  STRING_MEMBER ("camera_model", derm_photo_get_camera_model (photo));
  STRING_MEMBER ("view", derm_photo_view_to_key (derm_photo_get_view (photo)));
  STRING_MEMBER ("area", derm_photo_get_area (photo));
  STRING_MEMBER ("imported_at", derm_photo_get_imported_at (photo));
  STRING_MEMBER ("removed_at", derm_photo_get_removed_at (photo));
#undef STRING_MEMBER
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* --- import ------------------------------------------------------------ */

static int
cmd_import (int    argc,
            char **argv)
{
  g_auto (PhotoContext) ctx = { 0 };
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *session = NULL;
  g_autofree char *view = NULL;
  g_autofree char *area = NULL;
  DermPhotoImportOptions options;
  GOptionEntry entries[] = {
    { "session", 0, 0, G_OPTION_ARG_STRING, &session,
      N_("File the photos under session ID (\"none\": no session; default: the session of the capture day)"), N_("ID") },
    { "view", 0, 0, G_OPTION_ARG_STRING, &view,
      N_("front, left-45, right-45, left-90, right-90, close-up or other"), N_("VIEW") },
    { "area", 0, 0, G_OPTION_ARG_STRING, &area, N_("Treated area shown"), N_("TEXT") },
    { NULL }
  };
  gint64 client_id;
  int worst = DERM_EXIT_OK;
  int rc;

  if ((rc = parse_options ("import CLIENT FILE...", entries, argc, argv, 2, G_MAXUINT, &ctx)) ||
      (rc = parse_number (ctx.args[0], _("client"), &client_id)))
    return rc;

  derm_photo_import_options_init (&options);
  if (session != NULL && g_ascii_strcasecmp (session, "none") == 0)
    options.treatment_id = 0;
  else if (session != NULL && (rc = parse_number (session, _("session"), &options.treatment_id)))
    return rc;
  if (view != NULL && !derm_photo_view_from_key (view, &options.view))
    return fail (DERM_EXIT_USAGE,
                 _("“%s” is not a view. Use front, left-45, right-45, left-90, right-90, close-up or other."),
                 view);
  options.area = area;

  if ((rc = open_library (&ctx, &library)))
    return rc;

  json_builder_begin_array (builder);
  for (guint i = 1; ctx.args[i] != NULL; i++)
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (ctx.args[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (DermPhoto) photo = NULL;

      photo = derm_photo_library_import_file (library, client_id, file, &options, NULL, &error);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, ctx.args[i]);
      if (photo != NULL)
        {
          if (!ctx.json)
            out (_("%s: imported as photo %lld\n"), ctx.args[i], (long long) derm_photo_get_id (photo));
          json_builder_set_member_name (builder, "photo");
          json_builder_add_value (builder, photo_to_json (photo));
        }
      else
        {
          gboolean duplicate = g_error_matches (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_DUPLICATE);

          fprintf (stderr, "%s: %s: %s\n", PROGRAM_NAME, ctx.args[i], error->message);
          json_builder_set_member_name (builder, duplicate ? "duplicate" : "error");
          json_builder_add_string_value (builder, error->message);
          /* A duplicate is not a failure: the photo is there */
          if (!duplicate)
            {
              int code = exit_code_for_error (error);

              /* A client that does not exist fails every file alike */
              if (g_error_matches (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND))
                {
                  json_builder_end_object (builder);
                  return code;
                }
              if (worst == DERM_EXIT_OK)
                worst = code;
            }
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (ctx.json)
    {
      g_autoptr (JsonNode) root = json_builder_get_root (builder);

      print_json (root);
    }
  return worst;
}

/* --- list -------------------------------------------------------------- */

static int
cmd_list (int    argc,
          char **argv)
{
  g_auto (PhotoContext) ctx = { 0 };
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (GPtrArray) photos = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClient) client = NULL;
  gboolean removed = FALSE;
  GOptionEntry entries[] = {
    { "removed", 0, 0, G_OPTION_ARG_NONE, &removed, N_("List Recently removed instead"), NULL },
    { NULL }
  };
  gint64 client_id;
  int rc;

  if ((rc = parse_options ("list CLIENT", entries, argc, argv, 1, 1, &ctx)) ||
      (rc = parse_number (ctx.args[0], _("client"), &client_id)) ||
      (rc = open_library (&ctx, &library)))
    return rc;

  client = derm_store_get_client (derm_photo_library_get_store (library), client_id, &error);
  if (client == NULL)
    return fail (exit_code_for_error (error), "%s", error->message);
  photos = derm_store_list_photos (derm_photo_library_get_store (library), client_id,
                                   removed ? DERM_PHOTO_LIST_REMOVED : DERM_PHOTO_LIST_ACTIVE, &error);
  if (photos == NULL)
    return fail (exit_code_for_error (error), "%s", error->message);

  if (ctx.json)
    {
      g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < photos->len; i++)
        json_array_add_element (array, photo_to_json (g_ptr_array_index (photos, i)));
      json_node_take_array (root, array);
      print_json (root);
      return DERM_EXIT_OK;
    }

  for (guint i = 0; i < photos->len; i++)
    {
      DermPhoto *photo = g_ptr_array_index (photos, i);
      const char *date = derm_photo_get_session_date (photo);
      const char *captured = derm_photo_get_captured_at (photo);

      out ("%-6lld %-10s %-9s %-19s %5dx%-5d %s%s%s\n",
           (long long) derm_photo_get_id (photo),
           date ? date : "-",
           derm_photo_view_to_key (derm_photo_get_view (photo)),
           captured ? captured : "-",
           derm_photo_get_width (photo), derm_photo_get_height (photo),
           derm_photo_get_original_name (photo),
           derm_photo_get_area (photo) ? "  " : "",
           derm_photo_get_area (photo) ? derm_photo_get_area (photo) : "");
    }
  return DERM_EXIT_OK;
}

/* --- verify ------------------------------------------------------------ */

static int
cmd_verify (int    argc,
            char **argv)
{
  g_auto (PhotoContext) ctx = { 0 };
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  guint n_checked = 0;
  int rc;

  if ((rc = parse_options ("verify", NULL, argc, argv, 0, 0, &ctx)) ||
      (rc = open_library (&ctx, &library)))
    return rc;

  problems = derm_photo_library_verify (library, NULL, &n_checked, &error);
  if (problems == NULL)
    return fail (exit_code_for_error (error), "%s", error->message);

  if (ctx.json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "checked");
      json_builder_add_int_value (builder, n_checked);
      json_builder_set_member_name (builder, "problems");
      json_builder_begin_array (builder);
      for (guint i = 0; i < problems->len; i++)
        {
          DermPhotoProblem *problem = g_ptr_array_index (problems, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, problem->kind == DERM_PHOTO_PROBLEM_MISSING
                                                  ? "missing" : "mismatch");
          json_builder_set_member_name (builder, "sha256");
          json_builder_add_string_value (builder, problem->sha256);
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, problem->path);
          json_builder_set_member_name (builder, "photo_ids");
          json_builder_begin_array (builder);
          for (guint j = 0; j < problem->photo_ids->len; j++)
            json_builder_add_int_value (builder, g_array_index (problem->photo_ids, gint64, j));
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      print_json (root);
    }
  else
    {
      for (guint i = 0; i < problems->len; i++)
        {
          DermPhotoProblem *problem = g_ptr_array_index (problems, i);
          g_autoptr (GString) ids = g_string_new (NULL);

          for (guint j = 0; j < problem->photo_ids->len; j++)
            g_string_append_printf (ids, "%s%lld", j ? ", " : "",
                                    (long long) g_array_index (problem->photo_ids, gint64, j));
          if (problem->kind == DERM_PHOTO_PROBLEM_MISSING)
            out (_("missing   %s (photos %s): the file is gone; restore the photos folder from a backup\n"),
                 problem->path, ids->str);
          else
            out (_("damaged   %s (photos %s): the file changed since it was imported; restore it from a backup\n"),
                 problem->path, ids->str);
        }
      out (ngettext ("%u stored file checked, %u problem\n",
                     "%u stored files checked, %u problems\n", n_checked),
           n_checked, problems->len);
    }

  return problems->len > 0 ? DERM_EXIT_MISMATCH : DERM_EXIT_OK;
}

/* --- recover ----------------------------------------------------------- */

static int
cmd_recover (int    argc,
             char **argv)
{
  g_auto (PhotoContext) ctx = { 0 };
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (GPtrArray) orphans = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *adopt = NULL;
  gboolean delete = FALSE;
  GOptionEntry entries[] = {
    { "adopt", 0, 0, G_OPTION_ARG_STRING, &adopt,
      N_("Add every file without a record to client ID"), N_("ID") },
    { "delete", 0, 0, G_OPTION_ARG_NONE, &delete, N_("Delete every file without a record"), NULL },
    { NULL }
  };
  guint n_stray = 0;
  gint64 client_id = 0;
  int worst = DERM_EXIT_OK;
  int rc;

  if ((rc = parse_options ("recover [--adopt CLIENT | --delete]", entries, argc, argv, 0, 0, &ctx)))
    return rc;
  if (adopt != NULL && delete)
    return fail (DERM_EXIT_USAGE, _("Choose either --adopt or --delete."));
  if (adopt != NULL && (rc = parse_number (adopt, _("client"), &client_id)))
    return rc;
  if ((rc = open_library (&ctx, &library)))
    return rc;

  orphans = derm_photo_library_recover (library, &n_stray, &error);
  if (orphans == NULL)
    return fail (exit_code_for_error (error), "%s", error->message);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "stray_removed");
  json_builder_add_int_value (builder, n_stray);
  json_builder_set_member_name (builder, "orphans");
  json_builder_begin_array (builder);
  if (!ctx.json && n_stray > 0)
    out (ngettext ("Removed %u unfinished import\n", "Removed %u unfinished imports\n", n_stray), n_stray);

  for (guint i = 0; i < orphans->len; i++)
    {
      const char *sha256 = g_ptr_array_index (orphans, i);
      g_autoptr (GError) local_error = NULL;
      const char *outcome = "listed";

      if (adopt != NULL)
        {
          g_autoptr (DermPhoto) photo = derm_photo_library_adopt_orphan (library, sha256, client_id,
                                                                         NULL, &local_error);
          outcome = photo != NULL ? "adopted" : "failed";
        }
      else if (delete)
        outcome = derm_photo_library_delete_orphan (library, sha256, &local_error) ? "deleted" : "failed";

      if (local_error != NULL)
        {
          fprintf (stderr, "%s: %s: %s\n", PROGRAM_NAME, sha256, local_error->message);
          if (worst == DERM_EXIT_OK)
            worst = exit_code_for_error (local_error);
        }
      if (!ctx.json)
        {
          g_autofree char *path = derm_photo_library_get_original_path (library, sha256);

          out ("%-8s %s\n", outcome, path);
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, sha256);
      json_builder_set_member_name (builder, "outcome");
      json_builder_add_string_value (builder, outcome);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (ctx.json)
    {
      g_autoptr (JsonNode) root = json_builder_get_root (builder);

      print_json (root);
    }
  else if (orphans->len > 0 && adopt == NULL && !delete)
    out (_("These files have no photo record. Add them to a client with --adopt CLIENT, or delete them with --delete.\n"));
  return worst;
}

/* --- remove, restore, empty-removed, export ---------------------------- */

static int
cmd_set_removed (int       argc,
                 char    **argv,
                 gboolean  removed)
{
  g_auto (PhotoContext) ctx = { 0 };
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (DermPhoto) photo = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id;
  int rc;

  if ((rc = parse_options (removed ? "remove PHOTO" : "restore PHOTO", NULL, argc, argv, 1, 1, &ctx)) ||
      (rc = parse_number (ctx.args[0], _("photo"), &id)) ||
      (rc = open_library (&ctx, &library)))
    return rc;

  photo = derm_store_get_photo (derm_photo_library_get_store (library), id, &error);
  if (photo == NULL ||
      !(removed ? derm_photo_library_remove (library, photo, &error)
                : derm_photo_library_restore (library, photo, &error)))
    return fail (exit_code_for_error (error), "%s", error->message);

  if (!ctx.json)
    out (removed ? _("Photo %lld moved to Recently removed\n") : _("Photo %lld restored\n"), (long long) id);
  else
    {
      g_autoptr (JsonNode) root = photo_to_json (photo);

      print_json (root);
    }
  return DERM_EXIT_OK;
}

static int
cmd_empty_removed (int    argc,
                   char **argv)
{
  g_auto (PhotoContext) ctx = { 0 };
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (GError) error = NULL;
  guint n_erased = 0;
  gint64 client_id = 0;
  int rc;

  if ((rc = parse_options ("empty-removed [CLIENT]", NULL, argc, argv, 0, 1, &ctx)) ||
      (ctx.args[0] != NULL && (rc = parse_number (ctx.args[0], _("client"), &client_id))) ||
      (rc = open_library (&ctx, &library)))
    return rc;

  if (!derm_photo_library_empty_removed (library, client_id, &n_erased, &error))
    return fail (exit_code_for_error (error), "%s", error->message);
  if (ctx.json)
    out ("{\n  \"erased_files\" : %u\n}\n", n_erased);
  else
    out (ngettext ("Recently removed emptied; %u file erased\n",
                   "Recently removed emptied; %u files erased\n", n_erased), n_erased);
  return DERM_EXIT_OK;
}

static int
cmd_export (int    argc,
            char **argv)
{
  g_auto (PhotoContext) ctx = { 0 };
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (DermPhoto) photo = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id;
  int rc;

  if ((rc = parse_options ("export PHOTO FILE", NULL, argc, argv, 2, 2, &ctx)) ||
      (rc = parse_number (ctx.args[0], _("photo"), &id)) ||
      (rc = open_library (&ctx, &library)))
    return rc;

  photo = derm_store_get_photo (derm_photo_library_get_store (library), id, &error);
  if (photo == NULL || !derm_photo_library_export (library, photo, ctx.args[1], &error))
    return fail (exit_code_for_error (error), "%s", error->message);
  if (!ctx.json)
    out (_("Photo %lld exported to %s without location data\n"), (long long) id, ctx.args[1]);
  return DERM_EXIT_OK;
}

static void
print_photo_usage (void)
{
  out (_("Usage: %s photo SUBCOMMAND [ARGUMENTS] [--data-dir DIR] [--json]\n"
         "\n"
         "  import CLIENT FILE... [--session ID|none] [--view VIEW] [--area TEXT]\n"
         "  list CLIENT [--removed]\n"
         "  verify                 Re-hash every stored photo (exit code 6 on problems)\n"
         "  recover [--adopt CLIENT | --delete]\n"
         "  remove PHOTO | restore PHOTO\n"
         "  empty-removed [CLIENT]\n"
         "  export PHOTO FILE      Copy the original without location data\n"),
       PROGRAM_NAME);
}

gboolean
derm_cli_photo_dispatch (int    argc,
                         char **argv,
                         int   *exit_code)
{
  const char *sub;

  g_return_val_if_fail (exit_code != NULL, FALSE);

  if (argc < 1 || g_strcmp0 (argv[0], "photo") != 0)
    return FALSE;

  sub = argc > 1 ? argv[1] : NULL;
  if (sub == NULL || g_str_equal (sub, "--help") || g_str_equal (sub, "-h") || g_str_equal (sub, "help"))
    {
      print_photo_usage ();
      *exit_code = sub == NULL ? DERM_EXIT_USAGE : DERM_EXIT_OK;
      return TRUE;
    }

  /* argv + 1: the subcommand stands where GOption expects the program */
  if (g_str_equal (sub, "import"))
    *exit_code = cmd_import (argc - 1, argv + 1);
  else if (g_str_equal (sub, "list"))
    *exit_code = cmd_list (argc - 1, argv + 1);
  else if (g_str_equal (sub, "verify"))
    *exit_code = cmd_verify (argc - 1, argv + 1);
  else if (g_str_equal (sub, "recover"))
    *exit_code = cmd_recover (argc - 1, argv + 1);
  else if (g_str_equal (sub, "remove"))
    *exit_code = cmd_set_removed (argc - 1, argv + 1, TRUE);
  else if (g_str_equal (sub, "restore"))
    *exit_code = cmd_set_removed (argc - 1, argv + 1, FALSE);
  else if (g_str_equal (sub, "empty-removed"))
    *exit_code = cmd_empty_removed (argc - 1, argv + 1);
  else if (g_str_equal (sub, "export"))
    *exit_code = cmd_export (argc - 1, argv + 1);
  else
    *exit_code = fail (DERM_EXIT_USAGE, _("Unknown photo command “%s”. See “%s photo --help”."),
                       sub, PROGRAM_NAME);
  return TRUE;
}

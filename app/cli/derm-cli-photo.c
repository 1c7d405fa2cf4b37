/* derm-cli-photo.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The photo commands of dermis-cli: import, list, verify, recover, remove,
 * restore, empty-removed and export (the table at the end). Originals are
 * stored byte for byte by the photo library; this file only reads the
 * command line and prints.
 */
#define G_LOG_DOMAIN "derm-cli"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "derm-cli-common.h"
#include "derm-cli-photo.h"
#include "derm-photo-use.h"
#include "derm-client.h"
#include "derm-photo-library.h"
#include "derm-photo.h"
#include "derm-store-photos.h"
#include "derm-store.h"
#include "derm-treatment.h"
#include "derm-validate.h"

DermPhotoLibrary *
derm_cli_open_library (DermCliInvocation *inv,
                       int               *exit_code)
{
  g_autoptr (DermStore) store = derm_cli_open_store (inv, exit_code);

  if (store == NULL)
    return NULL;
  return derm_photo_library_new (store, NULL);
}

static DermPhoto *
get_photo (DermPhotoLibrary *library,
           gint64            id,
           int              *exit_code)
{
  g_autoptr (GError) error = NULL;
  DermPhoto *photo = derm_store_get_photo (derm_photo_library_get_store (library), id, &error);

  if (photo == NULL)
    *exit_code = derm_cli_fail_lookup (DERM_CLI_PHOTO, id, error);
  return photo;
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
  STRING_MEMBER ("photo_use", derm_photo_use_to_key (derm_photo_get_use (photo)));
  STRING_MEMBER ("photo_use_from", derm_photo_get_use_is_own (photo) ? "photo" : "client");
#undef STRING_MEMBER
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* --- import ------------------------------------------------------------ */

static int
cmd_import (DermCliInvocation *inv)
{
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (DermClient) client = NULL;
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

  if ((rc = derm_cli_parse (inv, entries, 2, G_MAXUINT, _("client ID and files"))) ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &client_id)))
    return rc;

  derm_photo_import_options_init (&options);
  if (session != NULL && g_ascii_strcasecmp (session, "none") == 0)
    options.treatment_id = 0;
  else if (session != NULL && (rc = derm_cli_parse_id (inv, DERM_CLI_SESSION, session, &options.treatment_id)))
    return rc;
  if (view != NULL && !derm_photo_view_from_key (view, &options.view))
    return derm_cli_usage_error (inv, _("“%s” is not a view. Use front, left-45, right-45, left-90, right-90, "
                                 "close-up or other."),
                                 view);
  options.area = area;

  if (!(library = derm_cli_open_library (inv, &rc)) ||
      !(client = derm_cli_get_client (derm_photo_library_get_store (library), client_id, &rc)))
    return rc;
  if (options.treatment_id > 0)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (DermTreatment) treatment = derm_store_get_treatment (derm_photo_library_get_store (library),
                                                                      options.treatment_id, &error);

      if (treatment == NULL)
        return derm_cli_fail_lookup (DERM_CLI_SESSION, options.treatment_id, error);
    }

  json_builder_begin_array (builder);
  for (guint i = 1; inv->args[i] != NULL; i++)
    {
      g_autoptr (GFile) given = g_file_new_for_commandline_arg (inv->args[i]);
      /* A folder gives its photos, sub folders included, each once */
      g_autoptr (GPtrArray) files = derm_photo_library_collect_files (&given, 1, NULL);

      if (files->len == 0)
        {
          derm_cli_warn ("%s: %s", inv->args[i], _("No JPEG, PNG, TIFF or HEIC files in this folder."));
          if (worst == DERM_EXIT_OK)
            worst = DERM_EXIT_INVALID;
          continue;
        }
      for (guint f = 0; f < files->len; f++)
        {
          GFile *file = g_ptr_array_index (files, f);
          g_autofree char *relative = g_file_get_relative_path (given, file);
          /* One line per file whatever its name holds (JSON escapes it) */
          g_autofree char *name = relative != NULL ? g_build_filename (inv->args[i], relative, NULL)
                                                   : g_strdup (inv->args[i]);
          g_autofree char *shown = derm_cli_make_printable (g_strdup (name));
          g_autoptr (GError) error = NULL;
          g_autoptr (DermPhoto) photo = NULL;

          photo = derm_photo_library_import_file (library, client_id, file, &options, NULL, &error);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "file");
          json_builder_add_string_value (builder, name);
          if (photo != NULL)
            {
              if (!inv->json)
                derm_cli_out (_("%s: imported as photo %lld\n"), shown, (long long) derm_photo_get_id (photo));
              json_builder_set_member_name (builder, "photo");
              json_builder_add_value (builder, photo_to_json (photo));
              /* Filed by its capture date, which it has not: said, not silent */
              if (options.treatment_id == DERM_PHOTO_SUGGEST_SESSION && derm_photo_get_captured_at (photo) == NULL)
                {
                  const char *note = _("no capture date, so filed under no session. "
                                       "Give its session with --session ID, or --session none.");

                  derm_cli_warn ("%s: %s", shown, note);
                  json_builder_set_member_name (builder, "note");
                  json_builder_add_string_value (builder, note);
                }
            }
          else
            {
              gboolean duplicate = g_error_matches (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_DUPLICATE);

              derm_cli_warn ("%s: %s", shown, error->message);
              json_builder_set_member_name (builder, duplicate ? "duplicate" : "error");
              json_builder_add_string_value (builder, error->message);
              /* A duplicate is not a failure: the photo is there */
              if (!duplicate)
                {
                  int code = derm_cli_exit_code_for_error (error);

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
    }
  json_builder_end_array (builder);

  if (inv->json)
    {
      g_autoptr (JsonNode) root = json_builder_get_root (builder);

      derm_cli_print_json (root);
    }
  return worst;
}

/* --- list -------------------------------------------------------------- */

static int
cmd_list (DermCliInvocation *inv)
{
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

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("client ID"))) ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &client_id)) ||
      !(library = derm_cli_open_library (inv, &rc)) ||
      !(client = derm_cli_get_client (derm_photo_library_get_store (library), client_id, &rc)))
    return rc;
  photos = derm_store_list_photos (derm_photo_library_get_store (library), client_id,
                                   removed ? DERM_PHOTO_LIST_REMOVED : DERM_PHOTO_LIST_ACTIVE, &error);
  if (photos == NULL)
    return derm_cli_fail_with_error (error);

  if (inv->json)
    {
      g_autoptr (JsonNode) root = derm_cli_json_array (photos, (DermCliToJson) photo_to_json);

      derm_cli_print_json (root);
      return DERM_EXIT_OK;
    }

  for (guint i = 0; i < photos->len; i++)
    {
      DermPhoto *photo = g_ptr_array_index (photos, i);
      const char *date = derm_photo_get_session_date (photo);
      const char *captured = derm_photo_get_captured_at (photo);

      derm_cli_out ("%-6lld %-10s %-9s %-19s %5dx%-5d %s%s%s\n",
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
cmd_verify (DermCliInvocation *inv)
{
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  guint n_checked = 0;
  int rc;

  if ((rc = derm_cli_parse (inv, NULL, 0, 0, NULL)) ||
      !(library = derm_cli_open_library (inv, &rc)))
    return rc;

  problems = derm_photo_library_verify (library, NULL, &n_checked, &error);
  if (problems == NULL)
    return derm_cli_fail_with_error (error);

  if (inv->json)
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
      derm_cli_print_json (root);
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
            derm_cli_out (_("missing   %s (photos %s): the file is gone; restore the photos folder from a backup\n"),
                          problem->path, ids->str);
          else
            derm_cli_out (_("damaged   %s (photos %s): the file changed since it was imported; restore it from a backup\n"),
                          problem->path, ids->str);
        }
      derm_cli_out (ngettext ("%u stored file checked, %u problem\n",
                    "%u stored files checked, %u problems\n", n_checked),
                    n_checked, problems->len);
    }

  return problems->len > 0 ? DERM_EXIT_MISMATCH : DERM_EXIT_OK;
}

/* --- recover ----------------------------------------------------------- */

static int
cmd_recover (DermCliInvocation *inv)
{
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

  if ((rc = derm_cli_parse (inv, entries, 0, 0, NULL)))
    return rc;
  if (adopt != NULL && delete)
    return derm_cli_usage_error (inv, _("Choose either --adopt or --delete."));
  if (adopt != NULL && (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, adopt, &client_id)))
    return rc;
  if (!(library = derm_cli_open_library (inv, &rc)))
    return rc;
  if (adopt != NULL)
    {
      g_autoptr (DermClient) client = derm_cli_get_client (derm_photo_library_get_store (library), client_id, &rc);

      if (client == NULL)
        return rc;
    }

  orphans = derm_photo_library_recover (library, &n_stray, &error);
  if (orphans == NULL)
    return derm_cli_fail_with_error (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "stray_removed");
  json_builder_add_int_value (builder, n_stray);
  json_builder_set_member_name (builder, "orphans");
  json_builder_begin_array (builder);
  if (!inv->json && n_stray > 0)
    derm_cli_out (ngettext ("Removed %u unfinished import\n", "Removed %u unfinished imports\n", n_stray), n_stray);

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
          derm_cli_warn ("%s: %s", sha256, local_error->message);
          if (worst == DERM_EXIT_OK)
            worst = derm_cli_exit_code_for_error (local_error);
        }
      if (!inv->json)
        {
          g_autofree char *path = derm_photo_library_get_original_path (library, sha256);

          derm_cli_out ("%-8s %s\n", outcome, path);
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

  if (inv->json)
    {
      g_autoptr (JsonNode) root = json_builder_get_root (builder);

      derm_cli_print_json (root);
    }
  else if (orphans->len > 0 && adopt == NULL && !delete)
    derm_cli_out (_("These files have no photo record. Add them to a client with --adopt CLIENT, or delete them with --delete.\n"));
  return worst;
}

/* --- remove, restore, empty-removed, export ---------------------------- */

static int
set_removed (DermCliInvocation *inv,
             gboolean           removed)
{
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (DermPhoto) photo = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id;
  int rc;

  if ((rc = derm_cli_parse (inv, NULL, 1, 1, _("photo ID"))) ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_PHOTO, inv->args[0], &id)) ||
      !(library = derm_cli_open_library (inv, &rc)) ||
      !(photo = get_photo (library, id, &rc)))
    return rc;

  if (!(removed ? derm_photo_library_remove (library, photo, &error)
                : derm_photo_library_restore (library, photo, &error)))
    return derm_cli_fail_with_error (error);

  if (!inv->json)
    derm_cli_out (removed ? _("Photo %lld moved to Recently removed\n") : _("Photo %lld restored\n"), (long long) id);
  else
    {
      g_autoptr (JsonNode) root = photo_to_json (photo);

      derm_cli_print_json (root);
    }
  return DERM_EXIT_OK;
}

static int
cmd_remove (DermCliInvocation *inv)
{
  return set_removed (inv, TRUE);
}

static int
cmd_restore (DermCliInvocation *inv)
{
  return set_removed (inv, FALSE);
}

static int
cmd_empty_removed (DermCliInvocation *inv)
{
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (GError) error = NULL;
  guint n_erased = 0;
  gint64 client_id = 0;
  int rc;

  if ((rc = derm_cli_parse (inv, NULL, 0, 1, NULL)) ||
      (inv->n_args == 1 && (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &client_id))) ||
      !(library = derm_cli_open_library (inv, &rc)))
    return rc;
  if (client_id > 0)
    {
      g_autoptr (DermClient) client = derm_cli_get_client (derm_photo_library_get_store (library), client_id, &rc);

      if (client == NULL)
        return rc;
    }

  if (!derm_photo_library_empty_removed (library, client_id, &n_erased, &error))
    return derm_cli_fail_with_error (error);
  if (inv->json)
    {
      g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "erased_files", n_erased);
      json_node_take_object (root, object);
      derm_cli_print_json (root);
    }
  else
    derm_cli_out (ngettext ("Recently removed emptied; %u file erased\n",
                  "Recently removed emptied; %u files erased\n", n_erased), n_erased);
  return DERM_EXIT_OK;
}

static int
cmd_export (DermCliInvocation *inv)
{
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (DermPhoto) photo = NULL;
  g_autoptr (GPtrArray) photos = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *use_text = NULL;
  gboolean force = FALSE;
  gboolean override = FALSE;
  const GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace FILE if it exists"), NULL },
    { "use", 0, 0, G_OPTION_ARG_STRING, &use_text,
      N_("What the copy is for (default: clinical); checked against the photo-use consent"), N_("clinical|education|marketing") },
    { "override-consent", 0, 0, G_OPTION_ARG_NONE, &override,
      N_("Export even when the photo-use consent does not cover the use (written to the audit log)"), NULL },
    { NULL }
  };
  DermPhotoUse use = DERM_PHOTO_USE_CLINICAL;
  gint64 id;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 2, 2, _("photo ID and file"))) ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_PHOTO, inv->args[0], &id)) ||
      (rc = derm_cli_parse_photo_use (inv, use_text, &use)) ||
      !(library = derm_cli_open_library (inv, &rc)) ||
      !(photo = get_photo (library, id, &rc)))
    return rc;

  g_ptr_array_add (photos, photo);
  if ((rc = derm_cli_check_photo_use (derm_photo_library_get_store (library), photos, use, override, "photo-export")))
    return rc;
  if (!derm_photo_library_export (library, photo, inv->args[1], force, &error))
    return derm_cli_fail_with_error (error);
  if (inv->json)
    {
      g_autoptr (JsonNode) root = photo_to_json (photo);
      JsonObject *object = json_node_get_object (root);

      json_object_set_string_member (object, "file", inv->args[1]);
      json_object_set_string_member (object, "use", derm_photo_use_to_key (use));
      json_object_set_boolean_member (object, "consent_overridden",
                                      !derm_photo_use_allows (derm_photo_get_use (photo), use));
      derm_cli_print_json (root);
    }
  else
    derm_cli_out (_("Photo %lld exported to %s without location data\n"), (long long) id, inv->args[1]);
  return DERM_EXIT_OK;
}

static int
cmd_consent (DermCliInvocation *inv)
{
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (DermPhoto) photo = NULL;
  g_autoptr (GError) error = NULL;
  DermPhotoUse use = DERM_PHOTO_USE_CLINICAL;
  gboolean own = TRUE;
  gint64 id;
  int rc;

  if ((rc = derm_cli_parse (inv, NULL, 1, 2, _("photo ID"))) ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_PHOTO, inv->args[0], &id)))
    return rc;
  if (inv->n_args == 2)
    {
      own = !g_str_equal (inv->args[1], "client");
      if (own && (rc = derm_cli_parse_photo_use (inv, inv->args[1], &use)))
        return rc;
    }
  if (!(library = derm_cli_open_library (inv, &rc)))
    return rc;
  if (inv->n_args == 2 &&
      !derm_store_set_photo_use (derm_photo_library_get_store (library), id, own, use, &error))
    return derm_cli_fail_lookup (DERM_CLI_PHOTO, id, error);
  if (!(photo = get_photo (library, id, &rc)))
    return rc;
  if (inv->json)
    {
      g_autoptr (JsonNode) root = photo_to_json (photo);

      derm_cli_print_json (root);
    }
  else if (derm_photo_get_use_is_own (photo))
    derm_cli_out (_("Photo %lld: %s\n"), (long long) id, derm_photo_use_to_label (derm_photo_get_use (photo)));
  else
    derm_cli_out (_("Photo %lld: %s (the client’s consent)\n"), (long long) id,
                  derm_photo_use_to_label (derm_photo_get_use (photo)));
  return DERM_EXIT_OK;
}

const DermCliCommand derm_cli_photo_commands[] = {
  { "photo import", "CLIENT_ID FILE|FOLDER… [--session ID|none] [--view VIEW] [--area TEXT]",
    N_("Imports photos into a client’s records."), cmd_import },
  { "photo list", "CLIENT_ID [--removed]", N_("Lists a client’s photos."), cmd_list, DERM_CLI_READS },
  { "photo verify", NULL, N_("Re-hashes every stored original; exit status 6 on a damaged or missing file."),
    cmd_verify, DERM_CLI_READS },
  { "photo recover", "[--adopt CLIENT_ID | --delete]",
    N_("Lists, adopts or deletes stored files that no photo record points to."), cmd_recover },
  { "photo remove", "PHOTO_ID", N_("Moves a photo to Recently removed."), cmd_remove },
  { "photo restore", "PHOTO_ID", N_("Brings a photo back from Recently removed."), cmd_restore },
  { "photo empty-removed", "[CLIENT_ID]", N_("Erases the photos in Recently removed for good."),
    cmd_empty_removed },
  { "photo export", "PHOTO_ID FILE [--force] [--use clinical|education|marketing [--override-consent]]",
    N_("Copies an original without location data (GPS, XMP, IPTC), never over an existing file unless --force."), cmd_export, DERM_CLI_READS },
  { "photo consent", "PHOTO_ID [clinical|education|marketing|client]",
    N_("Shows or sets what a photo may be used for (client: as the client’s photo-use consent)."), cmd_consent },
  { NULL }
};

/* derm-cli-consent.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-cli-consent.h"
#include "derm-cli-photo.h"
#include "derm-consent-document.h"
#include "derm-store-consent.h"
#include "derm-validate.h"

static int
parse_protocol (DermCliInvocation *inv,
                const char        *text,
                gint64            *id)
{
  char *end = NULL;
  gint64 value;

  if (text == NULL)
    return derm_cli_usage_error (inv, _("Give the protocol: its ID from “dermis-cli plan protocols”, or 0 for sessions outside a series."));
  value = g_ascii_strtoll (text, &end, 10);
  if (end == text || *end != '\0' || value < 0)
    return derm_cli_usage_error (inv, _("“%s” is not a protocol ID: give a number from “dermis-cli plan protocols”, or 0."), text);
  *id = value;
  return DERM_EXIT_OK;
}

static JsonNode *
template_to_json (DermConsentTemplate *t)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "protocol_id");
  json_builder_add_int_value (b, derm_consent_template_get_protocol_id (t));
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, derm_consent_template_get_version (t));
  json_builder_set_member_name (b, "built_in");
  json_builder_add_boolean_value (b, derm_consent_template_get_version (t) == 0);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, derm_consent_template_get_title (t));
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, derm_consent_template_get_body (t));
  json_builder_set_member_name (b, "created_at");
  if (*derm_consent_template_get_created_at (t) != '\0')
    json_builder_add_string_value (b, derm_consent_template_get_created_at (t));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
print_template (DermConsentTemplate *t,
                gboolean             json)
{
  if (json)
    {
      g_autoptr (JsonNode) node = template_to_json (t);

      derm_cli_print_json (node);
      return;
    }
  if (derm_consent_template_get_version (t) == 0)
    derm_cli_out (_("%s (built-in form, not edited)\n\n%s\n"), derm_consent_template_get_title (t),
                  derm_consent_template_get_body (t));
  else
    derm_cli_out (_("%s (version %u, %s)\n\n%s\n"), derm_consent_template_get_title (t),
                  derm_consent_template_get_version (t), derm_consent_template_get_created_at (t),
                  derm_consent_template_get_body (t));
}

static int
cmd_template_show (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermConsentTemplate) t = NULL;
  g_autoptr (GError) error = NULL;
  int version = 0;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_INT, &version, N_("Show this version (default: the latest)"), N_("N") },
    { NULL }
  };
  gint64 protocol_id = 0;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("protocol ID"))) ||
      (rc = parse_protocol (inv, inv->args[0], &protocol_id)) ||
      !(store = derm_cli_open_store (inv, &rc)))
    return rc;
  if (version > 0)
    {
      g_autoptr (GPtrArray) all = derm_store_list_consent_templates (store, protocol_id, &error);

      if (all == NULL)
        return derm_cli_fail_with_error (error);
      for (guint i = 0; i < all->len; i++)
        if (derm_consent_template_get_version (g_ptr_array_index (all, i)) == (guint) version)
          t = g_object_ref (g_ptr_array_index (all, i));
      if (t == NULL)
        return derm_cli_fail (DERM_EXIT_NOT_FOUND, _("The consent form of protocol %lld has no version %d."),
                              (long long) protocol_id, version);
    }
  else if (!(t = derm_store_get_consent_template (store, protocol_id, &error)))
    return derm_cli_fail_with_error (error);
  print_template (t, inv->json);
  return DERM_EXIT_OK;
}

static int
cmd_template_set (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermConsentTemplate) t = NULL;
  g_autoptr (DermConsentTemplate) old = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text_file = NULL;
  g_autofree char *body = NULL;
  const GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The form's title (default: the current one)"), N_("TITLE") },
    { "text-file", 0, 0, G_OPTION_ARG_FILENAME, &text_file, N_("The form's text, UTF-8; blank lines separate paragraphs"), N_("FILE") },
    { NULL }
  };
  gint64 protocol_id = 0;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("protocol ID"))) ||
      (rc = parse_protocol (inv, inv->args[0], &protocol_id)))
    return rc;
  if (title == NULL && text_file == NULL)
    return derm_cli_usage_error (inv, _("Give what to change: --title, --text-file or both."));
  if (text_file != NULL)
    {
      if (!g_file_get_contents (text_file, &body, NULL, &error))
        return derm_cli_fail_with_error (error);
      if (!g_utf8_validate (body, -1, NULL))
        return derm_cli_fail (DERM_EXIT_INVALID, _("%s is not UTF-8 text. Save it as UTF-8 and try again."), text_file);
    }
  if (!(store = derm_cli_open_store (inv, &rc)))
    return rc;
  if (!(old = derm_store_get_consent_template (store, protocol_id, &error)))
    return derm_cli_fail_with_error (error);
  t = derm_consent_template_new (protocol_id, title != NULL ? title : derm_consent_template_get_title (old),
                                 body != NULL ? g_strchomp (body) : derm_consent_template_get_body (old));
  if (!derm_store_save_consent_template (store, t, &error))
    return derm_cli_fail_with_error (error);
  print_template (t, inv->json);
  return DERM_EXIT_OK;
}

static JsonNode *
form_to_json (DermConsentForm *form)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, derm_consent_form_get_id (form));
  json_builder_set_member_name (b, "client_id");
  json_builder_add_int_value (b, derm_consent_form_get_client_id (form));
  json_builder_set_member_name (b, "protocol_id");
  json_builder_add_int_value (b, derm_consent_form_get_protocol_id (form));
  json_builder_set_member_name (b, "protocol_name");
  json_builder_add_string_value (b, derm_consent_form_get_protocol_name (form));
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, derm_consent_form_get_version (form));
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, derm_consent_form_get_title (form));
  json_builder_set_member_name (b, "signer");
  json_builder_add_string_value (b, derm_consent_form_get_signer (form));
  json_builder_set_member_name (b, "practitioner");
  json_builder_add_string_value (b, derm_consent_form_get_practitioner (form));
  json_builder_set_member_name (b, "signed_on");
  json_builder_add_string_value (b, derm_consent_form_get_signed_on (form));
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, derm_consent_method_to_key (derm_consent_form_get_method (form)));
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, derm_consent_form_get_sha256 (form));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static int
cmd_import (DermCliInvocation *inv)
{
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermConsentTemplate) t = NULL;
  g_autoptr (DermConsentForm) form = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *protocol = NULL;
  g_autofree char *signer = NULL;
  g_autofree char *practitioner = NULL;
  g_autofree char *date = NULL;
  g_autofree char *today = NULL;
  const GOptionEntry entries[] = {
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol, N_("The protocol whose form was signed (0: sessions outside a series)"), N_("ID") },
    { "signer", 0, 0, G_OPTION_ARG_STRING, &signer, N_("Who signed (default: the client)"), N_("NAME") },
    { "practitioner", 0, 0, G_OPTION_ARG_STRING, &practitioner, N_("The practitioner it was signed before"), N_("NAME") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_("Signed on (default: today)"), N_("YYYY-MM-DD") },
    { NULL }
  };
  DermConsentSigning signing = { 0 };
  gint64 client_id, protocol_id = 0;
  GDate day;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 2, 2, _("client ID and the scan of the signed form"))) ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &client_id)) ||
      (rc = parse_protocol (inv, protocol, &protocol_id)) ||
      (date != NULL && (rc = derm_cli_parse_date (inv, "--date", date, &day))))
    return rc;
  if (practitioner == NULL)
    return derm_cli_usage_error (inv, _("Give the practitioner the form was signed before: --practitioner NAME."));
  if (date == NULL)
    {
      derm_date_today (&day);
      today = derm_date_format (&day);
    }
  if (!(library = derm_cli_open_library (inv, &rc)) ||
      !(client = derm_cli_get_client (derm_photo_library_get_store (library), client_id, &rc)))
    return rc;
  if (!(t = derm_store_get_consent_template (derm_photo_library_get_store (library), protocol_id, &error)))
    return derm_cli_fail_with_error (error);
  signing.client_id = client_id;
  signing.template_ = t;
  signing.signer = signer != NULL ? signer : derm_client_get_name (client);
  signing.practitioner = practitioner;
  signing.signed_on = date != NULL ? date : today;
  signing.scan_path = inv->args[1];
  form = derm_consent_sign (library, &signing, &error);
  if (form == NULL)
    return derm_cli_fail_with_error (error);
  if (inv->json)
    {
      g_autoptr (JsonNode) node = form_to_json (form);

      derm_cli_print_json (node);
    }
  else
    derm_cli_out (_("Signed paper form stored as consent form %lld (version %u of “%s”)\n"),
                  (long long) derm_consent_form_get_id (form), derm_consent_form_get_version (form),
                  derm_consent_form_get_title (form));
  return DERM_EXIT_OK;
}

static int
cmd_list (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GPtrArray) forms = NULL;
  g_autoptr (GError) error = NULL;
  gint64 client_id = 0;
  int rc;

  if ((rc = derm_cli_parse (inv, NULL, 0, 1, NULL)) ||
      (inv->n_args == 1 && (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &client_id))) ||
      !(store = derm_cli_open_store (inv, &rc)))
    return rc;
  if (client_id != 0)
    {
      g_autoptr (DermClient) client = derm_cli_get_client (store, client_id, &rc);

      if (client == NULL)
        return rc;
    }
  forms = derm_store_list_consent_forms (store, client_id, &error);
  if (forms == NULL)
    return derm_cli_fail_with_error (error);
  if (inv->json)
    {
      g_autoptr (JsonNode) node = derm_cli_json_array (forms, (DermCliToJson) form_to_json);

      derm_cli_print_json (node);
    }
  else
    {
      const char *headers[] = { _("ID"), _("Client"), _("Signed on"), _("Form"), _("Version"), _("Signed by"), _("How") };
      g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < forms->len; i++)
        {
          DermConsentForm *f = g_ptr_array_index (forms, i);

          g_ptr_array_add (cells, g_strdup_printf ("%lld", (long long) derm_consent_form_get_id (f)));
          g_ptr_array_add (cells, g_strdup_printf ("%lld", (long long) derm_consent_form_get_client_id (f)));
          g_ptr_array_add (cells, g_strdup (derm_consent_form_get_signed_on (f)));
          g_ptr_array_add (cells, g_strdup (derm_consent_form_get_title (f)));
          g_ptr_array_add (cells, g_strdup_printf ("%u", derm_consent_form_get_version (f)));
          g_ptr_array_add (cells, derm_cli_make_printable (g_strdup (derm_consent_form_get_signer (f))));
          g_ptr_array_add (cells, g_strdup (derm_consent_form_get_method (f) == DERM_CONSENT_SIGNED_ON_PAPER
                                            ? _("paper") : _("on screen")));
        }
      derm_cli_print_table (headers, G_N_ELEMENTS (headers), cells);
    }
  return DERM_EXIT_OK;
}

static int
cmd_export (DermCliInvocation *inv)
{
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (DermConsentForm) form = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Write the signed PDF to FILE"), N_("FILE.pdf") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace FILE if it exists"), NULL },
    { NULL }
  };
  char *end = NULL;
  gint64 id;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("consent form ID"))))
    return rc;
  id = g_ascii_strtoll (inv->args[0], &end, 10);
  if (end == inv->args[0] || *end != '\0' || id <= 0)
    return derm_cli_usage_error (inv, _("“%s” is not a consent form ID: see “dermis-cli consent list”."), inv->args[0]);
  if (out == NULL)
    return derm_cli_usage_error (inv, _("Give the PDF to write: --out FILE.pdf."));
  if (!(library = derm_cli_open_library (inv, &rc)))
    return rc;
  form = derm_store_get_consent_form (derm_photo_library_get_store (library), id, &error);
  if (form == NULL)
    return derm_cli_fail_with_error (error);
  if (!derm_consent_export (library, form, out, force, &error))
    return derm_cli_fail_with_error (error);
  if (inv->json)
    {
      g_autoptr (JsonNode) node = form_to_json (form);

      json_object_set_string_member (json_node_get_object (node), "file", out);
      derm_cli_print_json (node);
    }
  else
    derm_cli_out (_("Signed consent form %lld written to %s\n"), (long long) id, out);
  return DERM_EXIT_OK;
}

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
  problems = derm_consent_verify (library, &n_checked, &error);
  if (problems == NULL)
    return derm_cli_fail_with_error (error);
  if (inv->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "checked");
      json_builder_add_int_value (b, n_checked);
      json_builder_set_member_name (b, "problems");
      json_builder_begin_array (b);
      for (guint i = 0; i < problems->len; i++)
        {
          DermPhotoProblem *p = g_ptr_array_index (problems, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, p->kind == DERM_PHOTO_PROBLEM_MISSING ? "missing" : "mismatch");
          json_builder_set_member_name (b, "consent_form_id");
          json_builder_add_int_value (b, g_array_index (p->photo_ids, gint64, 0));
          json_builder_set_member_name (b, "sha256");
          json_builder_add_string_value (b, p->sha256);
          json_builder_set_member_name (b, "path");
          json_builder_add_string_value (b, p->path);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      derm_cli_print_json (node);
    }
  else
    {
      for (guint i = 0; i < problems->len; i++)
        {
          DermPhotoProblem *p = g_ptr_array_index (problems, i);

          derm_cli_warn (p->kind == DERM_PHOTO_PROBLEM_MISSING
                         ? _("Signed consent form %lld: its PDF %s is missing.")
                         : _("Signed consent form %lld: its PDF %s was changed after signing."),
                         (long long) g_array_index (p->photo_ids, gint64, 0), p->path);
        }
      derm_cli_out (ngettext ("%u stored document checked, %u damaged or missing\n",
                              "%u stored documents checked, %u damaged or missing\n", n_checked),
                    n_checked, problems->len);
    }
  return problems->len > 0 ? DERM_EXIT_MISMATCH : DERM_EXIT_OK;
}

const DermCliCommand derm_cli_consent_commands[] = {
  { "consent template-show", "PROTOCOL_ID [--version N]",
    N_("Shows the text of a protocol’s consent form (0: sessions outside a series)."), cmd_template_show, DERM_CLI_READS },
  { "consent template-set", "PROTOCOL_ID [--title TITLE] [--text-file FILE]",
    N_("Stores a new version of a protocol’s consent form; forms signed before keep their text."), cmd_template_set },
  { "consent import", "CLIENT_ID SCAN --protocol ID --practitioner NAME [--signer NAME] [--date YYYY-MM-DD]",
    N_("Stores a signed paper consent form, scanned or photographed, as a PDF."), cmd_import },
  { "consent list", "[CLIENT_ID]", N_("Lists signed consent forms, newest first."), cmd_list, DERM_CLI_READS },
  { "consent export", "FORM_ID --out FILE.pdf [--force]",
    N_("Writes a signed consent form’s PDF, after checking it was not changed."), cmd_export, DERM_CLI_READS },
  { "documents verify", NULL,
    N_("Re-hashes every stored signed document; exit status 6 on a damaged or missing one."), cmd_verify, DERM_CLI_READS },
  { NULL }
};

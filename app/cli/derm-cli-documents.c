/* derm-cli-documents.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-aftercare-sheet.h"
#include "derm-cli-documents.h"
#include "derm-document.h"
#include "derm-export-file.h"
#include "derm-photo-library.h"
#include "derm-progress-report.h"
#include "derm-store-documents.h"

static int
parse_paper (DermCliInvocation *inv,
             const char        *text,
             DermPaper         *paper)
{
  if (text != NULL && !derm_paper_from_key (text, paper))
    return derm_cli_usage_error (inv, _("--paper “%s” is not a paper size: use a4 or letter."), text);
  return DERM_EXIT_OK;
}

/* Checks the destination @out before anything is read and laid out, and
 * takes the clinic's paper size unless --paper (@paper_text) gave one */
static int
begin_pdf (DermStore       *store,
           const char      *out,
           gboolean         force,
           const char      *paper_text,
           DermPaper       *paper,
           DermExportFile **file)
{
  g_autoptr (GError) error = NULL;

  if (!(*file = derm_export_file_begin (out, derm_store_get_data_dir (store), force, &error)))
    return derm_cli_fail_with_error (error);
  if (paper_text == NULL && !derm_store_get_letterhead (store, NULL, NULL, NULL, paper, &error))
    return derm_cli_fail_with_error (error);
  return DERM_EXIT_OK;
}

/* Lays @doc out on @paper and writes it to @file, which it takes */
static int
finish_pdf (DermDocument    *doc,
            DermPaper        paper,
            DermExportFile **file)
{
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GError) error = NULL;

  if (!(pdf = derm_document_to_pdf (doc, paper, &error)))
    return derm_cli_fail_with_error (error);
  if (!derm_export_file_finish (g_steal_pointer (file), g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    return derm_cli_fail_with_error (error);
  return DERM_EXIT_OK;
}

static void
print_letterhead (const char *name,
                  const char *contact,
                  GBytes     *logo,
                  DermPaper   paper,
                  gboolean    json)
{
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "clinic_name");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "contact");
      json_builder_add_string_value (b, contact);
      json_builder_set_member_name (b, "logo_bytes");
      if (logo != NULL)
        json_builder_add_int_value (b, (gint64) g_bytes_get_size (logo));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "paper");
      json_builder_add_string_value (b, derm_paper_to_key (paper));
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      derm_cli_print_json (node);
    }
  else
    {
      g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *logo_text = logo != NULL ? g_strdup_printf (_("PNG, %zu bytes"), g_bytes_get_size (logo))
                                                : g_strdup (_("none"));

      derm_cli_add_field (fields, _("Clinic name"), *name != '\0' ? name : _("(not set)"));
      derm_cli_add_field (fields, _("Contact"), contact);
      derm_cli_add_field (fields, _("Logo"), logo_text);
      derm_cli_add_field (fields, _("Paper"), paper == DERM_PAPER_LETTER ? "Letter" : "A4");
      derm_cli_print_fields (fields);
    }
}

static int
cmd_clinic_show (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *contact = NULL;
  g_autoptr (GBytes) logo = NULL;
  DermPaper paper;
  int rc;

  if ((rc = derm_cli_parse (inv, NULL, 0, 0, NULL)) ||
      !(store = derm_cli_open_store (inv, &rc)))
    return rc;
  if (!derm_store_get_letterhead (store, &name, &contact, &logo, &paper, &error))
    return derm_cli_fail_with_error (error);
  print_letterhead (name, contact, logo, paper, inv->json);
  return DERM_EXIT_OK;
}

static int
cmd_clinic_set (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *logo_path = NULL;
  g_autofree char *paper_text = NULL;
  g_autofree char *old_name = NULL;
  g_autofree char *old_contact = NULL;
  g_autoptr (GBytes) logo = NULL;
  gboolean no_logo = FALSE;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The clinic’s name, printed on every document"), N_("NAME") },
    { "contact", 0, 0, G_OPTION_ARG_STRING, &contact, N_("One line under the name: address, phone"), N_("TEXT") },
    { "logo", 0, 0, G_OPTION_ARG_FILENAME, &logo_path, N_("The logo, a PNG image"), N_("FILE.png") },
    { "no-logo", 0, 0, G_OPTION_ARG_NONE, &no_logo, N_("Print no logo"), NULL },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper_text, N_("Paper size of saved documents"), N_("a4|letter") },
    { NULL }
  };
  DermPaper paper, new_paper = DERM_PAPER_A4;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 0, 0, NULL)) ||
      (rc = parse_paper (inv, paper_text, &new_paper)))
    return rc;
  if (logo_path != NULL && no_logo)
    return derm_cli_usage_error (inv, _("Give either --logo or --no-logo, not both."));
  if (name == NULL && contact == NULL && logo_path == NULL && !no_logo && paper_text == NULL)
    return derm_cli_usage_error (inv, _("Give what to change: --name, --contact, --logo, --no-logo or --paper."));
  if (logo_path != NULL)
    {
      g_autofree char *data = NULL;
      gsize size;

      if (!g_file_get_contents (logo_path, &data, &size, &error))
        return derm_cli_fail_with_error (error);
      logo = g_bytes_new_take (g_steal_pointer (&data), size);
      if (!derm_document_check_logo (logo, &error))
        return derm_cli_fail_with_error (error);
    }
  if (!(store = derm_cli_open_store (inv, &rc)))
    return rc;
  {
    g_autoptr (GBytes) old_logo = NULL;

    if (!derm_store_get_letterhead (store, &old_name, &old_contact, &old_logo, &paper, &error))
      return derm_cli_fail_with_error (error);
    if (logo == NULL && !no_logo)
      logo = g_steal_pointer (&old_logo);
  }
  if (paper_text != NULL)
    paper = new_paper;
  if (!derm_store_set_letterhead (store, name != NULL ? name : old_name, contact != NULL ? contact : old_contact,
                                  logo, paper, &error))
    return derm_cli_fail_with_error (error);
  g_clear_pointer (&old_name, g_free);
  g_clear_pointer (&old_contact, g_free);
  g_clear_pointer (&logo, g_bytes_unref);
  if (!derm_store_get_letterhead (store, &old_name, &old_contact, &logo, &paper, &error))
    return derm_cli_fail_with_error (error);
  print_letterhead (old_name, old_contact, logo, paper, inv->json);
  return DERM_EXIT_OK;
}

static int
cmd_aftercare (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermDocument) doc = NULL;
  g_autoptr (DermExportFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *paper_text = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Write the PDF to FILE"), N_("FILE.pdf") },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper_text, N_("Paper size (default: the clinic’s)"), N_("a4|letter") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace FILE if it exists"), NULL },
    { NULL }
  };
  DermPaper paper = DERM_PAPER_A4;
  gint64 id;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("session ID"))) ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_SESSION, inv->args[0], &id)) ||
      (rc = parse_paper (inv, paper_text, &paper)))
    return rc;
  if (out == NULL)
    return derm_cli_usage_error (inv, _("Give the PDF to write: --out FILE.pdf."));
  if (!(store = derm_cli_open_store (inv, &rc)) ||
      (rc = begin_pdf (store, out, force, paper_text, &paper, &file)))
    return rc;
  doc = derm_aftercare_sheet_new (store, id, &error);
  if (doc == NULL)
    return derm_cli_fail_lookup (DERM_CLI_SESSION, id, error);
  if ((rc = finish_pdf (doc, paper, &file)))
    return rc;
  if (inv->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "session_id");
      json_builder_add_int_value (b, id);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, out);
      json_builder_set_member_name (b, "paper");
      json_builder_add_string_value (b, derm_paper_to_key (paper));
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      derm_cli_print_json (node);
    }
  else
    derm_cli_out (_("Aftercare sheet for session %lld written to %s\n"), (long long) id, out);
  return DERM_EXIT_OK;
}

static int
cmd_report (DermCliInvocation *inv)
{
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermPhotoLibrary) library = NULL;
  g_autoptr (DermProgressReport) report = NULL;
  g_autoptr (DermDocument) doc = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermExportFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *paper_text = NULL;
  g_autofree char *view_text = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *use_text = NULL;
  gboolean force = FALSE;
  gboolean override = FALSE;
  const GOptionEntry entries[] = {
    { "view", 0, 0, G_OPTION_ARG_STRING, &view_text,
      N_("Only this view: front, left-45, right-45, left-90, right-90, close-up or other"), N_("VIEW") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Sessions and photos from this day"), N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Sessions and photos up to this day (the report’s date)"),
      N_("YYYY-MM-DD") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Write the PDF to FILE"), N_("FILE.pdf") },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper_text, N_("Paper size (default: the clinic’s)"), N_("a4|letter") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace FILE if it exists"), NULL },
    { "use", 0, 0, G_OPTION_ARG_STRING, &use_text,
      N_("What the report is for (default: clinical); checked against the photo-use consent of every photo "
         "printed"), N_("clinical|education|marketing") },
    { "override-consent", 0, 0, G_OPTION_ARG_NONE, &override,
      N_("Write the report even when a photo’s consent does not cover the use (written to the audit log)"), NULL },
    { NULL }
  };
  DermPaper paper = DERM_PAPER_A4;
  DermPhotoView view = DERM_PHOTO_VIEW_FRONT;
  DermPhotoUse use = DERM_PHOTO_USE_CLINICAL;
  gboolean overridden;
  GDate from_day, to_day;
  gint64 id;
  int rc;

  if ((rc = derm_cli_parse (inv, entries, 1, 1, _("client ID"))) ||
      (rc = derm_cli_parse_id (inv, DERM_CLI_CLIENT, inv->args[0], &id)) ||
      (rc = parse_paper (inv, paper_text, &paper)) ||
      (rc = derm_cli_parse_photo_use (inv, use_text, &use)) ||
      (from != NULL && (rc = derm_cli_parse_date (inv, "--from", from, &from_day))) ||
      (to != NULL && (rc = derm_cli_parse_date (inv, "--to", to, &to_day))))
    return rc;
  if (view_text != NULL && !derm_photo_view_from_key (view_text, &view))
    return derm_cli_usage_error (inv, _("--view “%s” is not a view: use front, left-45, right-45, left-90, "
                                        "right-90, close-up or other."), view_text);
  if (out == NULL)
    return derm_cli_usage_error (inv, _("Give the PDF to write: --out FILE.pdf."));
  if (from != NULL && to != NULL && g_date_compare (&from_day, &to_day) > 0)
    return derm_cli_fail (DERM_EXIT_INVALID, _("--from %s is after --to %s. Swap the dates."), from, to);
  if (!(store = derm_cli_open_store (inv, &rc)))
    return rc;
  if (!(client = derm_cli_get_client (store, id, &rc)) ||
      (rc = begin_pdf (store, out, force, paper_text, &paper, &file)))
    return rc;
  library = derm_photo_library_new (store, NULL);
  report = derm_progress_report_new (library, id);
  if (view_text != NULL)
    derm_progress_report_set_view (report, view);
  derm_progress_report_set_date_range (report, from, to);
  doc = derm_progress_report_build (report, NULL, &error);
  if (doc == NULL)
    return derm_cli_fail_lookup (DERM_CLI_CLIENT, id, error);
  /* The photos it prints are known now; nothing is written unless their
   * consent covers the use */
  {
    g_autoptr (GPtrArray) uncovered = derm_photo_use_uncovered (derm_progress_report_get_photos (report), use);

    overridden = uncovered->len > 0;
  }
  if ((rc = derm_cli_check_photo_use (store, derm_progress_report_get_photos (report), use, override, "report")) ||
      (rc = finish_pdf (doc, paper, &file)))
    return rc;
  if (inv->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "client_id");
      json_builder_add_int_value (b, id);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, out);
      json_builder_set_member_name (b, "paper");
      json_builder_add_string_value (b, derm_paper_to_key (paper));
      json_builder_set_member_name (b, "pages");
      json_builder_add_int_value (b, derm_document_get_n_pages (doc));
      json_builder_set_member_name (b, "views");
      json_builder_add_int_value (b, derm_progress_report_get_n_views (report));
      json_builder_set_member_name (b, "photos");
      json_builder_add_int_value (b, derm_progress_report_get_n_photos (report));
      json_builder_set_member_name (b, "use");
      json_builder_add_string_value (b, derm_photo_use_to_key (use));
      json_builder_set_member_name (b, "consent_overridden");
      json_builder_add_boolean_value (b, overridden);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      derm_cli_print_json (node);
    }
  else
    derm_cli_out (g_dngettext (GETTEXT_PACKAGE, "Progress report for client %lld (%u page) written to %s\n",
                               "Progress report for client %lld (%u pages) written to %s\n",
                               derm_document_get_n_pages (doc)),
                  (long long) id, derm_document_get_n_pages (doc), out);
  return DERM_EXIT_OK;
}

const DermCliCommand derm_cli_documents_commands[] = {
  { "clinic show", NULL, N_("Shows the clinic’s name, contact line, logo and paper size printed on documents."),
    cmd_clinic_show, DERM_CLI_READS },
  { "clinic set", "[--name NAME] [--contact TEXT] [--logo FILE.png | --no-logo] [--paper a4|letter]",
    N_("Sets what every printed document carries at its top, and the paper size."),
    cmd_clinic_set, DERM_CLI_WRITES },
  { "aftercare", "SESSION_ID --out FILE.pdf [--paper a4|letter] [--force]",
    N_("Writes the aftercare sheet of a session (the protocol’s advice, the session and the next appointment) as PDF."),
    cmd_aftercare, DERM_CLI_READS },
  { "report", "CLIENT_ID [--view VIEW] [--from YYYY-MM-DD] [--to YYYY-MM-DD] --out FILE.pdf [--paper a4|letter] [--force] "
    "[--use clinical|education|marketing [--override-consent]]",
    N_("Writes the client’s progress report as PDF: the series, per view the first and last photo aligned with "
       "the change map, the metrics per region in plain words, and trend charts. A use the photos’ consent does "
       "not cover is refused (exit status 4)."),
    cmd_report, DERM_CLI_READS },
  { NULL }
};

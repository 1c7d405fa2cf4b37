/* derm-consent-document.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-document"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "derm-client.h"
#include "derm-consent-document.h"
#include "derm-export-file.h"
#include "derm-photo-decode.h"
#include "derm-protocol.h"
#include "derm-store-planner.h"
#include "derm-store-consent.h"
#include "derm-store-photos.h"
#include "derm-validate.h"

/* A scan is printed at most this many pixels on its longer side */
#define SCAN_MAX_SIDE 2400

static void
draw_signature (cairo_t  *cr,
                double    width,
                double    height,
                gpointer  user_data)
{
  DermSignature *signature = user_data;

  /* The line signed on, under the strokes */
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, 0.75);
  cairo_move_to (cr, 0, height - 0.5);
  cairo_line_to (cr, width * 0.6, height - 0.5);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.05, 0.1, 0.35);
  derm_signature_draw (signature, cr, width * 0.6, height - 4);
}

static cairo_surface_t *
load_scan (const char  *path,
           GError     **error)
{
  g_autoptr (GError) local_error = NULL;
  DermPhotoFormat format = DERM_PHOTO_FORMAT_UNKNOWN;
  DermImage *image;
  cairo_surface_t *surface;
  g_autofree guint8 *rgb = NULL;
  guint8 *dst;
  int fd, width, height, dst_stride;

  /* The import's checks: a regular file, a photo by its first bytes, not too large */
  fd = derm_photo_open (path, &format, NULL, error);
  if (fd < 0)
    return NULL;
  close (fd);
  image = derm_photo_decode_file (path, format, SCAN_MAX_SIDE, NULL, NULL, error);
  if (image == NULL)
    return NULL;
  width = derm_image_get_width (image);
  height = derm_image_get_height (image);
  rgb = g_malloc ((gsize) width * height * 3);
  derm_image_copy_rgb (image, rgb, (size_t) width * 3);
  derm_image_free (image);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_TOO_LARGE,
                   _("The scan is too large to print. Scan it at a lower resolution."));
      return NULL;
    }
  cairo_surface_flush (surface);
  dst = cairo_image_surface_get_data (surface);
  dst_stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    {
      const guint8 *s = rgb + (gsize) y * width * 3;
      guint32 *d = (guint32 *) (void *) (dst + (gsize) y * dst_stride);

      for (int x = 0; x < width; x++)
        d[x] = 0xff000000u | ((guint32) s[3 * x] << 16) | ((guint32) s[3 * x + 1] << 8) | s[3 * x + 2];
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

static gboolean
check_signing (const DermConsentSigning  *signing,
               GError                   **error)
{
  if ((signing->signature != NULL) == (signing->scan_path != NULL))
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                   _("A consent form is signed either on screen or on paper. Sign it, or import the signed paper form."));
      return FALSE;
    }
  if (signing->signature != NULL && !derm_signature_is_signed (signing->signature))
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                   _("The form is not signed yet. Ask the client to sign in the box."));
      return FALSE;
    }
  if (signing->signer == NULL || *signing->signer == '\0')
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                   _("Enter the name of the person signing."));
      return FALSE;
    }
  if (signing->practitioner == NULL || *signing->practitioner == '\0')
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                   _("Enter the practitioner the form is signed before."));
      return FALSE;
    }
  return derm_validate_name (signing->signer, error) &&
         derm_validate_line (_("Practitioner"), signing->practitioner, error) &&
         derm_validate_date (_("Signed on"), signing->signed_on, DERM_DATE_NOT_FUTURE, TRUE, NULL, error) &&
         derm_consent_template_validate (signing->template_, error);
}

DermDocument *
derm_consent_document_new (DermStore                 *store,
                           const DermConsentSigning  *signing,
                           const char                *protocol_name,
                           GError                   **error)
{
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermDocument) doc = NULL;
  g_autofree char *day = NULL;
  g_autofree char *version = NULL;
  DermConsentTemplate *t;

  g_return_val_if_fail (DERM_IS_STORE (store), NULL);
  g_return_val_if_fail (signing != NULL && DERM_IS_CONSENT_TEMPLATE (signing->template_), NULL);

  if (!check_signing (signing, error))
    return NULL;
  client = derm_store_get_client (store, signing->client_id, error);
  if (client == NULL)
    return NULL;

  t = signing->template_;
  day = derm_date_format_display (signing->signed_on, TRUE);
  doc = derm_document_new (derm_consent_template_get_title (t), day);
  if (!derm_document_load_letterhead (doc, store, error))
    return NULL;

  derm_document_add_heading (doc, derm_consent_template_get_title (t));
  derm_document_add_field (doc, _("Client"), derm_client_get_name (client));
  derm_document_add_field (doc, _("Date of birth"), derm_client_get_date_of_birth (client));
  derm_document_add_field (doc, _("Treatment"), protocol_name != NULL && *protocol_name != '\0'
                                                ? protocol_name : _("Sessions outside a series"));
  /* The version stored when signing: the built-in text becomes version 1 */
  version = g_strdup_printf ("%u", MAX (derm_consent_template_get_version (t), 1));
  derm_document_add_field (doc, _("Form version"), version);
  derm_document_add_paragraph (doc, derm_consent_template_get_body (t));

  derm_document_add_heading (doc, _("Signature"));
  derm_document_add_field (doc, _("Signed by"), signing->signer);
  derm_document_add_field (doc, _("Date"), day);
  derm_document_add_field (doc, _("Practitioner"), signing->practitioner);
  if (signing->signature != NULL)
    {
      derm_document_add_field (doc, _("Signed"), _("On screen"));
      derm_document_add_drawing (doc, 90, draw_signature, g_object_ref (signing->signature), g_object_unref);
    }
  else
    {
      cairo_surface_t *scan = load_scan (signing->scan_path, error);
      const char *caption = _("The signed paper form, as scanned");

      if (scan == NULL)
        return NULL;
      derm_document_add_field (doc, _("Signed"), _("On paper (scan on the next page)"));
      derm_document_add_page_break (doc);
      derm_document_add_images (doc, &scan, &caption, 1, 640);
      cairo_surface_destroy (scan);
    }
  return g_steal_pointer (&doc);
}

char *
derm_consent_form_get_path (DermPhotoLibrary *library,
                            DermConsentForm  *form)
{
  return derm_photo_library_get_original_path (library, derm_consent_form_get_sha256 (form));
}

DermConsentForm *
derm_consent_sign (DermPhotoLibrary          *library,
                   const DermConsentSigning  *signing,
                   GError                   **error)
{
  DermStore *store;
  g_autoptr (DermDocument) doc = NULL;
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (DermConsentForm) form = NULL;
  g_autofree char *protocol_name = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;
  gint64 protocol_id;
  DermPaper paper = DERM_PAPER_A4;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);
  g_return_val_if_fail (signing != NULL && DERM_IS_CONSENT_TEMPLATE (signing->template_), NULL);

  store = derm_photo_library_get_store (library);
  protocol_id = derm_consent_template_get_protocol_id (signing->template_);
  if (protocol_id != 0)
    {
      g_autoptr (DermProtocol) protocol = derm_store_get_protocol (store, protocol_id, error);

      if (protocol == NULL)
        return NULL;
      protocol_name = g_strdup (derm_protocol_get_name (protocol));
    }
  doc = derm_consent_document_new (store, signing, protocol_name, error);
  if (doc == NULL ||
      !derm_store_get_letterhead (store, NULL, NULL, NULL, &paper, error))
    return NULL;
  pdf = derm_document_to_pdf (doc, paper, error);
  if (pdf == NULL)
    return NULL;
  sha256 = derm_photo_library_store_bytes (library, pdf, &path, error);
  if (sha256 == NULL)
    return NULL;

  form = derm_consent_form_new ();
  derm_consent_form_set_client_id (form, signing->client_id);
  derm_consent_form_set_protocol_name (form, protocol_name != NULL ? protocol_name : "");
  derm_consent_form_set_signer (form, signing->signer);
  derm_consent_form_set_practitioner (form, signing->practitioner);
  derm_consent_form_set_signed_on (form, signing->signed_on);
  derm_consent_form_set_method (form, signing->signature != NULL ? DERM_CONSENT_SIGNED_ON_SCREEN
                                                                 : DERM_CONSENT_SIGNED_ON_PAPER);
  derm_consent_form_set_sha256 (form, sha256);
  if (!derm_store_add_consent_form (store, form, signing->template_, path, error))
    {
      /* The PDF no row refers to is erased, unless another form has the same bytes */
      derm_store_unlink_unreferenced (store, sha256, path, NULL, NULL);
      return NULL;
    }
  return g_steal_pointer (&form);
}

GPtrArray *
derm_consent_verify (DermPhotoLibrary  *library,
                     guint             *n_checked,
                     GError           **error)
{
  g_autoptr (GPtrArray) forms = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  guint checked = 0;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);

  forms = derm_store_list_consent_forms (derm_photo_library_get_store (library), 0, error);
  if (forms == NULL)
    return NULL;
  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) derm_photo_problem_free);
  for (guint i = 0; i < forms->len; i++)
    {
      DermConsentForm *form = g_ptr_array_index (forms, i);
      g_autofree char *path = derm_consent_form_get_path (library, form);
      g_autofree char *actual = derm_photo_library_hash_file (path, NULL, NULL);
      DermPhotoProblem *problem;
      gint64 id = derm_consent_form_get_id (form);

      checked++;
      if (actual != NULL && g_str_equal (actual, derm_consent_form_get_sha256 (form)))
        continue;
      problem = g_new0 (DermPhotoProblem, 1);
      problem->kind = g_file_test (path, G_FILE_TEST_EXISTS) ? DERM_PHOTO_PROBLEM_MISMATCH
                                                             : DERM_PHOTO_PROBLEM_MISSING;
      problem->sha256 = g_strdup (derm_consent_form_get_sha256 (form));
      problem->path = g_steal_pointer (&path);
      problem->photo_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (problem->photo_ids, id);
      g_ptr_array_add (problems, problem);
    }
  if (n_checked != NULL)
    *n_checked = checked;
  return g_steal_pointer (&problems);
}

/* The stored PDF's bytes, after checking they are the ones signed */
static char *
read_checked (DermPhotoLibrary  *library,
              DermConsentForm   *form,
              gsize             *size,
              gboolean           opening,
              GError           **error)
{
  g_autofree char *path = derm_consent_form_get_path (library, form);
  g_autofree char *data = NULL;
  g_autofree char *actual = NULL;

  if (!g_file_get_contents (path, &data, size, NULL))
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_NOT_FOUND,
                   _("The stored PDF of signed form %lld is missing. Restore the data folder from a backup."),
                   (long long) derm_consent_form_get_id (form));
      return NULL;
    }
  actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, *size);
  if (!g_str_equal (actual, derm_consent_form_get_sha256 (form)))
    {
      if (opening)
        g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_MISMATCH,
                     _("The stored PDF of signed form %lld was changed after signing; it was not opened. "
                       "Restore the data folder from a backup."), (long long) derm_consent_form_get_id (form));
      else
        g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_MISMATCH,
                     _("The stored PDF of signed form %lld was changed after signing; it was not exported. "
                       "Restore the data folder from a backup."), (long long) derm_consent_form_get_id (form));
      return NULL;
    }
  return g_steal_pointer (&data);
}

gboolean
derm_consent_check (DermPhotoLibrary  *library,
                    DermConsentForm   *form,
                    GError           **error)
{
  g_autofree char *data = NULL;
  gsize size;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), FALSE);
  g_return_val_if_fail (DERM_IS_CONSENT_FORM (form), FALSE);

  data = read_checked (library, form, &size, TRUE, error);
  return data != NULL;
}

gboolean
derm_consent_export (DermPhotoLibrary  *library,
                     DermConsentForm   *form,
                     const char        *dest,
                     gboolean           overwrite,
                     GError           **error)
{
  g_autofree char *data = NULL;
  gsize size;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), FALSE);
  g_return_val_if_fail (DERM_IS_CONSENT_FORM (form), FALSE);
  g_return_val_if_fail (dest != NULL, FALSE);

  data = read_checked (library, form, &size, FALSE, error);
  if (data == NULL)
    return FALSE;
  return derm_export_file_write (dest, derm_store_get_data_dir (derm_photo_library_get_store (library)),
                                 overwrite, data, size, error);
}

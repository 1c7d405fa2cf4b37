/* derm-consent-document.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Signed consent forms as PDFs: the form's text (the version it was
 * signed under), the client, the protocol, the form's version, the
 * signer, the date and the practitioner, and the signature drawn from the
 * pad's strokes, or, for a paper form, the scan or photo of it on its own
 * page. The PDF is stored content-addressed beside the photos (the photo
 * library's store) and never changed; verification re-hashes it.
 */
#pragma once

#include "derm-consent-form.h"
#include "derm-consent-template.h"
#include "derm-document.h"
#include "derm-photo-library.h"
#include "derm-signature.h"

G_BEGIN_DECLS

/* What a form is signed with */
typedef struct
{
  gint64               client_id;
  DermConsentTemplate *template_;     /* the version the client read */
  const char          *signer;        /* the name of who signed */
  const char          *practitioner;
  const char          *signed_on;     /* YYYY-MM-DD */
  DermSignature       *signature;     /* signed on screen, or NULL */
  const char          *scan_path;     /* a signed paper form (JPEG, PNG, TIFF, HEIC), or NULL */
} DermConsentSigning;

/* Renders, stores and records a signed form: exactly one of @signing's
 * signature (which must be signed: derm_signature_is_signed ()) and
 * scan_path. A scan goes through the photo import's checks (a regular
 * file, a photo by its first bytes, size and pixel limits, it decodes).
 * Nothing is recorded on failure. Any thread. */
DermConsentForm *derm_consent_sign           (DermPhotoLibrary          *library,
                                              const DermConsentSigning  *signing,
                                              GError                   **error);

/* The form's document, as it is stored (for previews and tests) */
DermDocument    *derm_consent_document_new   (DermStore                 *store,
                                              const DermConsentSigning  *signing,
                                              const char                *protocol_name,
                                              GError                   **error);

/* <data dir>/photos/ab/abcdef... of the form's PDF */
char            *derm_consent_form_get_path  (DermPhotoLibrary          *library,
                                              DermConsentForm           *form);

/* Re-hashes the PDF of every signed form. Returns the problems
 * (DermPhotoProblem, photo_ids holding the form ids), empty when all is
 * well; @n_checked receives the number of PDFs hashed. */
GPtrArray       *derm_consent_verify         (DermPhotoLibrary          *library,
                                              guint                     *n_checked,
                                              GError                   **error);

/* Copies the stored PDF to @dest after checking its hash (never over an
 * existing file unless @overwrite, never inside the data folder);
 * DERM_PHOTO_ERROR_MISMATCH when the stored PDF was damaged */
gboolean         derm_consent_export         (DermPhotoLibrary          *library,
                                              DermConsentForm           *form,
                                              const char                *dest,
                                              gboolean                   overwrite,
                                              GError                   **error);

/* Checks the stored PDF is there and unchanged (before it is opened as
 * it is, read-only, in a viewer); DERM_PHOTO_ERROR_MISMATCH or _NOT_FOUND */
gboolean         derm_consent_check          (DermPhotoLibrary          *library,
                                              DermConsentForm           *form,
                                              GError                   **error);

G_END_DECLS

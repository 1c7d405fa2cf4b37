/* derm-consent-window.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The consent form shown full-window for the client to read and sign:
 * the protocol's current form text in large type, the signer's and the
 * practitioner's names, and the signature pad. Sign (consent.sign)
 * renders and stores the signed PDF on a worker thread; Import Signed
 * Paper Form… (consent.import-paper) stores a scan or photo of a form
 * signed on paper instead. "signed" is emitted with the new form's id.
 */
#pragma once

#include <adwaita.h>

#include "derm-photo-library.h"
#include "derm-signature-pad.h"

G_BEGIN_DECLS

#define DERM_TYPE_CONSENT_WINDOW (derm_consent_window_get_type ())
G_DECLARE_FINAL_TYPE (DermConsentWindow, derm_consent_window, DERM, CONSENT_WINDOW, AdwWindow)

/* @protocol_id: the form shown first (0: sessions outside a series) */
DermConsentWindow *derm_consent_window_new           (GtkWindow        *parent,
                                                      DermPhotoLibrary *library,
                                                      gint64            client_id,
                                                      gint64            protocol_id,
                                                      const char       *practitioner);
DermSignaturePad  *derm_consent_window_get_pad       (DermConsentWindow *self);
/* The version shown (0: the built-in text) */
guint              derm_consent_window_get_version   (DermConsentWindow *self);
void               derm_consent_window_set_signer    (DermConsentWindow *self,
                                                      const char        *name);
void               derm_consent_window_set_practitioner (DermConsentWindow *self,
                                                      const char        *name);
/* Stores a paper form from @path (what the file chooser's answer does) */
void               derm_consent_window_import_paper  (DermConsentWindow *self,
                                                      const char        *path);
/* The id of the form signed in this window, 0 before; the error shown
 * when signing failed (or NULL) */
gint64             derm_consent_window_get_form_id   (DermConsentWindow *self);
const char        *derm_consent_window_get_error     (DermConsentWindow *self);
/* Whether signing is under way on the worker (the "busy" property) */
gboolean           derm_consent_window_get_busy      (DermConsentWindow *self);

G_END_DECLS

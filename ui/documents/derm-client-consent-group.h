/* derm-client-consent-group.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client page's Consent group: the client's photo-use consent (the
 * clinical record only, also education, also marketing: derm-photo-use.h)
 * with who recorded it and when, and the consent forms the client signed,
 * each with its date, protocol and form version, opened or exported as
 * the PDF stored at signing (checked against its hash first, copied byte
 * for byte). Every read and write runs on the store's worker; the hashing
 * in a thread of its own.
 */
#pragma once

#include <adwaita.h>

#include "derm-photo-library.h"

G_BEGIN_DECLS

#define DERM_TYPE_CLIENT_CONSENT_GROUP (derm_client_consent_group_get_type ())
G_DECLARE_FINAL_TYPE (DermClientConsentGroup, derm_client_consent_group, DERM, CLIENT_CONSENT_GROUP,
                      AdwPreferencesGroup)

GtkWidget  *derm_client_consent_group_new           (DermPhotoLibrary       *library);
/* Shows client @id (0: none yet), read on the worker; also what to call
 * after a form was signed */
void        derm_client_consent_group_set_client_id (DermClientConsentGroup *self,
                                                     gint64                  id);
/* The "busy" property: TRUE while a read, a write, an open or an export runs */
gboolean    derm_client_consent_group_get_busy      (DermClientConsentGroup *self);
/* The signed forms shown (DermConsentForm), newest first */
GListModel *derm_client_consent_group_get_forms     (DermClientConsentGroup *self);
/* What the row says: the stored consent and who recorded it when */
DermPhotoUse derm_client_consent_group_get_photo_use (DermClientConsentGroup *self);
const char *derm_client_consent_group_get_photo_use_note (DermClientConsentGroup *self);
/* Records @use as the client's consent (as choosing it in the row does) */
void        derm_client_consent_group_set_photo_use (DermClientConsentGroup *self,
                                                     DermPhotoUse            use);
/* Copies signed form @form_id's stored PDF to @file (what the Export
 * button does after its file chooser) */
void        derm_client_consent_group_export_form   (DermClientConsentGroup *self,
                                                     gint64                  form_id,
                                                     GFile                  *file);
/* Checks signed form @form_id's stored PDF and opens it, read-only as it
 * is stored, in the PDF viewer (what the Open button does) */
void        derm_client_consent_group_open_form     (DermClientConsentGroup *self,
                                                     gint64                  form_id);

G_END_DECLS

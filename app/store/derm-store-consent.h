/* derm-store-consent.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Consent forms in the store (schema step 12 -> 13): the versions of each
 * protocol's form text, never changed once stored, and the signed forms,
 * each naming the version it was signed under and the SHA-256 of its PDF
 * (stored by the photo library beside the photos). Signing a form links
 * the client's latest screening's consent answer to it.
 *
 * A protocol whose form is kept here needs a signed form of its latest
 * version: until there is one, the screening's consent finding stays,
 * whatever the consent answer says (derm_screening_get_consent_problem ()).
 * A protocol with no stored form keeps the consent answer alone, as before.
 */
#pragma once

#include "derm-consent-form.h"
#include "derm-consent-template.h"
#include "derm-store.h"

G_BEGIN_DECLS

/* The latest stored version of @protocol_id's form (0: sessions outside
 * a series), or the built-in form (version 0) when none is stored */
DermConsentTemplate *derm_store_get_consent_template   (DermStore            *self,
                                                        gint64                protocol_id,
                                                        GError              **error);
/* Every stored version, newest first (empty when none) */
GPtrArray           *derm_store_list_consent_templates (DermStore            *self,
                                                        gint64                protocol_id,
                                                        GError              **error);
DermConsentTemplate *derm_store_get_consent_template_by_id (DermStore        *self,
                                                        gint64                id,
                                                        GError              **error);
/* Validates and stores @template_ as the protocol's next version, and
 * sets its id, version and created-at. Text equal to the latest version
 * stores nothing and takes that version's id and number. A protocol id
 * that names no protocol is DERM_STORE_ERROR_NOT_FOUND. */
gboolean             derm_store_save_consent_template  (DermStore            *self,
                                                        DermConsentTemplate  *template_,
                                                        GError              **error);

/* Records @form (id 0), signed under @template_ (stored first as the next
 * version when it is the built-in text), whose PDF @required_file must
 * exist when the row commits; links the client's latest screening's
 * consent answer to it ("yes", signed on the form's date). Sets the
 * form's id, template id, version and created-at. */
gboolean             derm_store_add_consent_form       (DermStore            *self,
                                                        DermConsentForm      *form,
                                                        DermConsentTemplate  *template_,
                                                        const char           *required_file,
                                                        GError              **error);
DermConsentForm     *derm_store_get_consent_form       (DermStore            *self,
                                                        gint64                id,
                                                        GError              **error);
/* @client_id 0: every client's; newest signature first */
GPtrArray           *derm_store_list_consent_forms     (DermStore            *self,
                                                        gint64                client_id,
                                                        GError              **error);

G_END_DECLS

/* derm-consent-form.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A signed consent form: who signed which version of which protocol's
 * form, when, before which practitioner, signed on screen or on paper
 * (scanned). The form itself is a PDF stored content-addressed beside the
 * photos (derm_consent_form_get_sha256 ()); neither the PDF nor the row
 * is ever changed.
 */
#pragma once

#include <glib-object.h>

#include "derm-types.h"

G_BEGIN_DECLS

typedef enum
{
  DERM_CONSENT_SIGNED_ON_SCREEN = 0,  /* drawn on the signature pad */
  DERM_CONSENT_SIGNED_ON_PAPER,       /* a signed paper form, scanned or photographed */
} DermConsentMethod;

/* "on-screen", "paper" */
const char *derm_consent_method_to_key   (DermConsentMethod  method);
gboolean    derm_consent_method_from_key (const char        *key,
                                          DermConsentMethod *method);

#define DERM_TYPE_CONSENT_FORM (derm_consent_form_get_type ())
G_DECLARE_FINAL_TYPE (DermConsentForm, derm_consent_form, DERM, CONSENT_FORM, GObject)

DermConsentForm  *derm_consent_form_new                (void);

gint64            derm_consent_form_get_id             (DermConsentForm   *self);
void              derm_consent_form_set_id             (DermConsentForm   *self,
                                                        gint64             id);
gint64            derm_consent_form_get_client_id      (DermConsentForm   *self);
void              derm_consent_form_set_client_id      (DermConsentForm   *self,
                                                        gint64             client_id);
gint64            derm_consent_form_get_template_id    (DermConsentForm   *self);
void              derm_consent_form_set_template_id    (DermConsentForm   *self,
                                                        gint64             template_id);
gint64            derm_consent_form_get_protocol_id    (DermConsentForm   *self);
void              derm_consent_form_set_protocol_id    (DermConsentForm   *self,
                                                        gint64             protocol_id);
guint             derm_consent_form_get_version        (DermConsentForm   *self);
void              derm_consent_form_set_version        (DermConsentForm   *self,
                                                        guint              version);
DermConsentMethod derm_consent_form_get_method         (DermConsentForm   *self);
void              derm_consent_form_set_method         (DermConsentForm   *self,
                                                        DermConsentMethod  method);
/* The protocol's name when signed ("" for sessions outside a series) */
const char       *derm_consent_form_get_protocol_name  (DermConsentForm   *self);
void              derm_consent_form_set_protocol_name  (DermConsentForm   *self,
                                                        const char        *name);
const char       *derm_consent_form_get_title          (DermConsentForm   *self);
void              derm_consent_form_set_title          (DermConsentForm   *self,
                                                        const char        *title);
const char       *derm_consent_form_get_signer         (DermConsentForm   *self);
void              derm_consent_form_set_signer         (DermConsentForm   *self,
                                                        const char        *signer);
const char       *derm_consent_form_get_practitioner   (DermConsentForm   *self);
void              derm_consent_form_set_practitioner   (DermConsentForm   *self,
                                                        const char        *practitioner);
/* YYYY-MM-DD */
const char       *derm_consent_form_get_signed_on      (DermConsentForm   *self);
void              derm_consent_form_set_signed_on      (DermConsentForm   *self,
                                                        const char        *date);
const char       *derm_consent_form_get_sha256         (DermConsentForm   *self);
void              derm_consent_form_set_sha256         (DermConsentForm   *self,
                                                        const char        *sha256);
const char       *derm_consent_form_get_created_at     (DermConsentForm   *self);
void              derm_consent_form_set_created_at     (DermConsentForm   *self,
                                                        const char        *created_at);

G_END_DECLS

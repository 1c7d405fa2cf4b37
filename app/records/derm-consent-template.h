/* derm-consent-template.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text of a protocol's consent form, one version of it. Templates are
 * never changed in place: saving an edit stores a new version, and a
 * signed form names the version it was signed under, so its text is
 * always the one the client read. A protocol never given a form uses the
 * built-in text (version 0, stored as version 1 when first signed).
 */
#pragma once

#include <glib-object.h>

#include "derm-types.h"

G_BEGIN_DECLS

/* Longest title and body accepted, in characters */
#define DERM_CONSENT_TITLE_MAX 200
#define DERM_CONSENT_BODY_MAX  20000

#define DERM_TYPE_CONSENT_TEMPLATE (derm_consent_template_get_type ())
G_DECLARE_FINAL_TYPE (DermConsentTemplate, derm_consent_template, DERM, CONSENT_TEMPLATE, GObject)

/* The built-in form for @protocol_id (id 0, version 0) */
DermConsentTemplate *derm_consent_template_new_default (gint64               protocol_id);
DermConsentTemplate *derm_consent_template_new         (gint64               protocol_id,
                                                        const char          *title,
                                                        const char          *body);

gint64       derm_consent_template_get_id          (DermConsentTemplate *self);
void         derm_consent_template_set_id          (DermConsentTemplate *self,
                                                    gint64               id);
gint64       derm_consent_template_get_protocol_id (DermConsentTemplate *self);
/* 0 for the built-in text not yet stored */
guint        derm_consent_template_get_version     (DermConsentTemplate *self);
void         derm_consent_template_set_version     (DermConsentTemplate *self,
                                                    guint                version);
const char  *derm_consent_template_get_title       (DermConsentTemplate *self);
void         derm_consent_template_set_title       (DermConsentTemplate *self,
                                                    const char          *title);
const char  *derm_consent_template_get_body        (DermConsentTemplate *self);
void         derm_consent_template_set_body        (DermConsentTemplate *self,
                                                    const char          *body);
const char  *derm_consent_template_get_created_at  (DermConsentTemplate *self);
void         derm_consent_template_set_created_at  (DermConsentTemplate *self,
                                                    const char          *created_at);

/* A title of one line and a body, neither empty nor too long
 * (DERM_VALIDATION_ERROR naming the field) */
gboolean     derm_consent_template_validate        (DermConsentTemplate *self,
                                                    GError             **error);

G_END_DECLS

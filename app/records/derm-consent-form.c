/* derm-consent-form.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-consent"

#include "config.h"

#include "derm-consent-form.h"

struct _DermConsentForm
{
  GObject            parent_instance;

  gint64             id;
  gint64             client_id;
  gint64             template_id;
  gint64             protocol_id;
  guint              version;
  DermConsentMethod  method;
  char              *protocol_name;
  char              *title;
  char              *signer;
  char              *practitioner;
  char              *signed_on;
  char              *sha256;
  char              *created_at;
};

G_DEFINE_FINAL_TYPE (DermConsentForm, derm_consent_form, G_TYPE_OBJECT)

const char *
derm_consent_method_to_key (DermConsentMethod method)
{
  return method == DERM_CONSENT_SIGNED_ON_PAPER ? "paper" : "on-screen";
}

gboolean
derm_consent_method_from_key (const char        *key,
                              DermConsentMethod *method)
{
  if (g_strcmp0 (key, "paper") == 0)
    *method = DERM_CONSENT_SIGNED_ON_PAPER;
  else if (g_strcmp0 (key, "on-screen") == 0)
    *method = DERM_CONSENT_SIGNED_ON_SCREEN;
  else
    return FALSE;
  return TRUE;
}

static void
derm_consent_form_finalize (GObject *object)
{
  DermConsentForm *self = DERM_CONSENT_FORM (object);

  g_free (self->protocol_name);
  g_free (self->title);
  g_free (self->signer);
  g_free (self->practitioner);
  g_free (self->signed_on);
  g_free (self->sha256);
  g_free (self->created_at);

  G_OBJECT_CLASS (derm_consent_form_parent_class)->finalize (object);
}

static void
derm_consent_form_class_init (DermConsentFormClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = derm_consent_form_finalize;
}

static void
derm_consent_form_init (DermConsentForm *self)
{
}

DermConsentForm *
derm_consent_form_new (void)
{
  return g_object_new (DERM_TYPE_CONSENT_FORM, NULL);
}

#define SCALAR_ACCESSORS(type, field, dflt) \
type \
derm_consent_form_get_##field (DermConsentForm *self) \
{ \
  g_return_val_if_fail (DERM_IS_CONSENT_FORM (self), dflt); \
  return self->field; \
} \
\
void \
derm_consent_form_set_##field (DermConsentForm *self, \
                               type             value) \
{ \
  g_return_if_fail (DERM_IS_CONSENT_FORM (self)); \
  self->field = value; \
}

#define TEXT_ACCESSORS(field) \
const char * \
derm_consent_form_get_##field (DermConsentForm *self) \
{ \
  g_return_val_if_fail (DERM_IS_CONSENT_FORM (self), NULL); \
  return self->field != NULL ? self->field : ""; \
} \
\
void \
derm_consent_form_set_##field (DermConsentForm *self, \
                               const char      *text) \
{ \
  g_return_if_fail (DERM_IS_CONSENT_FORM (self)); \
  g_free (self->field); \
  self->field = g_strdup (text); \
}

SCALAR_ACCESSORS (gint64, id, 0)
SCALAR_ACCESSORS (gint64, client_id, 0)
SCALAR_ACCESSORS (gint64, template_id, 0)
SCALAR_ACCESSORS (gint64, protocol_id, 0)
SCALAR_ACCESSORS (guint, version, 0)
SCALAR_ACCESSORS (DermConsentMethod, method, DERM_CONSENT_SIGNED_ON_SCREEN)
TEXT_ACCESSORS (protocol_name)
TEXT_ACCESSORS (title)
TEXT_ACCESSORS (signer)
TEXT_ACCESSORS (practitioner)
TEXT_ACCESSORS (signed_on)
TEXT_ACCESSORS (sha256)
TEXT_ACCESSORS (created_at)

/* derm-consent-template.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-consent"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-consent-template.h"
#include "derm-validate.h"

struct _DermConsentTemplate
{
  GObject  parent_instance;

  gint64   id;
  gint64   protocol_id;
  guint    version;
  char    *title;
  char    *body;
  char    *created_at;
};

G_DEFINE_FINAL_TYPE (DermConsentTemplate, derm_consent_template, G_TYPE_OBJECT)

static void
derm_consent_template_finalize (GObject *object)
{
  DermConsentTemplate *self = DERM_CONSENT_TEMPLATE (object);

  g_free (self->title);
  g_free (self->body);
  g_free (self->created_at);

  G_OBJECT_CLASS (derm_consent_template_parent_class)->finalize (object);
}

static void
derm_consent_template_class_init (DermConsentTemplateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = derm_consent_template_finalize;
}

static void
derm_consent_template_init (DermConsentTemplate *self)
{
  self->title = g_strdup ("");
  self->body = g_strdup ("");
}

DermConsentTemplate *
derm_consent_template_new (gint64      protocol_id,
                           const char *title,
                           const char *body)
{
  DermConsentTemplate *self = g_object_new (DERM_TYPE_CONSENT_TEMPLATE, NULL);

  self->protocol_id = protocol_id;
  derm_consent_template_set_title (self, title);
  derm_consent_template_set_body (self, body);
  return self;
}

DermConsentTemplate *
derm_consent_template_new_default (gint64 protocol_id)
{
  return derm_consent_template_new (protocol_id, _("Consent to microneedling treatment"),
    _("I have been told what microneedling is: a fine-needle device makes many tiny punctures in the "
      "skin's surface to prompt it to renew itself. Several sessions are usually needed, and results "
      "differ from person to person; no particular result has been promised to me.\n\n"
      "I understand the usual effects: redness, warmth, tightness and mild swelling for one to three days, "
      "and dryness or light flaking for up to a week. Less often there may be pinpoint bleeding, bruising, "
      "breakouts, a flare of cold sores, changes in skin colour, infection or, rarely, scarring.\n\n"
      "I have answered the medical questions truthfully and will tell the clinic of any change to my health, "
      "medicines or skin care before each session. I have read the aftercare advice and will follow it.\n\n"
      "I have been able to ask questions and have had them answered. I agree to the treatment and know I may "
      "stop it at any time."));
}

gint64
derm_consent_template_get_id (DermConsentTemplate *self)
{
  g_return_val_if_fail (DERM_IS_CONSENT_TEMPLATE (self), 0);
  return self->id;
}

void
derm_consent_template_set_id (DermConsentTemplate *self,
                              gint64               id)
{
  g_return_if_fail (DERM_IS_CONSENT_TEMPLATE (self));
  self->id = id;
}

gint64
derm_consent_template_get_protocol_id (DermConsentTemplate *self)
{
  g_return_val_if_fail (DERM_IS_CONSENT_TEMPLATE (self), 0);
  return self->protocol_id;
}

guint
derm_consent_template_get_version (DermConsentTemplate *self)
{
  g_return_val_if_fail (DERM_IS_CONSENT_TEMPLATE (self), 0);
  return self->version;
}

void
derm_consent_template_set_version (DermConsentTemplate *self,
                                   guint                version)
{
  g_return_if_fail (DERM_IS_CONSENT_TEMPLATE (self));
  self->version = version;
}

#define TEXT_ACCESSORS(field) \
const char * \
derm_consent_template_get_##field (DermConsentTemplate *self) \
{ \
  g_return_val_if_fail (DERM_IS_CONSENT_TEMPLATE (self), NULL); \
  return self->field; \
} \
\
void \
derm_consent_template_set_##field (DermConsentTemplate *self, \
                                   const char          *text) \
{ \
  g_return_if_fail (DERM_IS_CONSENT_TEMPLATE (self)); \
  g_free (self->field); \
  self->field = g_strdup (text != NULL ? text : ""); \
}

TEXT_ACCESSORS (title)
TEXT_ACCESSORS (body)
TEXT_ACCESSORS (created_at)

gboolean
derm_consent_template_validate (DermConsentTemplate *self,
                                GError             **error)
{
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (DERM_IS_CONSENT_TEMPLATE (self), FALSE);

  title = g_strstrip (g_strdup (self->title));
  body = g_strstrip (g_strdup (self->body));
  if (*title == '\0' || *body == '\0')
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                   *title == '\0' ? _("The consent form has no title. Give it one, such as “Consent to microneedling”.")
                                  : _("The consent form has no text. Write what the client agrees to."));
      return FALSE;
    }
  if (g_utf8_strlen (self->title, -1) > DERM_CONSENT_TITLE_MAX ||
      g_utf8_strlen (self->body, -1) > DERM_CONSENT_BODY_MAX)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_TOO_LONG,
                   _("The consent form is too long (at most %d characters of title and %d of text). Shorten it."),
                   DERM_CONSENT_TITLE_MAX, DERM_CONSENT_BODY_MAX);
      return FALSE;
    }
  return derm_validate_line (_("Consent form title"), self->title, error) &&
         derm_validate_text (_("Consent form text"), self->body, DERM_CONSENT_BODY_MAX, TRUE, error);
}

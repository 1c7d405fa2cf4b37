/* derm-aftercare-template.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-aftercare"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-aftercare-template.h"
#include "derm-validate.h"

/* The sections, in the order the sheet prints them */
enum
{
  TEXT_SUN,
  TEXT_SKINCARE,
  TEXT_ACTIVES,
  TEXT_NORMAL,
  TEXT_CALL,
  N_TEXTS
};

struct _DermAftercareTemplate
{
  GObject  parent_instance;

  gint64   protocol_id;
  char    *texts[N_TEXTS];
  guint    actives_days;
  char    *updated_at;
};

G_DEFINE_FINAL_TYPE (DermAftercareTemplate, derm_aftercare_template, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROTOCOL_ID,
  PROP_SUN,
  PROP_SKINCARE,
  PROP_ACTIVES,
  PROP_NORMAL,
  PROP_CALL,
  PROP_ACTIVES_DAYS,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* PROP_SUN .. PROP_CALL are the texts in order */
#define TEXT_OF_PROP(p) ((p) - PROP_SUN)

static void
set_text (DermAftercareTemplate *self,
          guint                  index,
          const char            *text)
{
  if (g_strcmp0 (self->texts[index], text) == 0)
    return;
  g_free (self->texts[index]);
  self->texts[index] = g_strdup (text != NULL ? text : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUN + index]);
}

static void
derm_aftercare_template_finalize (GObject *object)
{
  DermAftercareTemplate *self = DERM_AFTERCARE_TEMPLATE (object);

  for (guint i = 0; i < N_TEXTS; i++)
    g_free (self->texts[i]);
  g_free (self->updated_at);

  G_OBJECT_CLASS (derm_aftercare_template_parent_class)->finalize (object);
}

static void
derm_aftercare_template_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  DermAftercareTemplate *self = DERM_AFTERCARE_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL_ID:
      g_value_set_int64 (value, self->protocol_id);
      break;
    case PROP_SUN:
    case PROP_SKINCARE:
    case PROP_ACTIVES:
    case PROP_NORMAL:
    case PROP_CALL:
      g_value_set_string (value, self->texts[TEXT_OF_PROP (prop_id)]);
      break;
    case PROP_ACTIVES_DAYS:
      g_value_set_uint (value, self->actives_days);
      break;
    case PROP_UPDATED_AT:
      g_value_set_string (value, self->updated_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_aftercare_template_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  DermAftercareTemplate *self = DERM_AFTERCARE_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL_ID:
      derm_aftercare_template_set_protocol_id (self, g_value_get_int64 (value));
      break;
    case PROP_SUN:
    case PROP_SKINCARE:
    case PROP_ACTIVES:
    case PROP_NORMAL:
    case PROP_CALL:
      set_text (self, TEXT_OF_PROP (prop_id), g_value_get_string (value));
      break;
    case PROP_ACTIVES_DAYS:
      derm_aftercare_template_set_actives_days (self, g_value_get_uint (value));
      break;
    case PROP_UPDATED_AT:
      derm_aftercare_template_set_updated_at (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_aftercare_template_class_init (DermAftercareTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_aftercare_template_finalize;
  object_class->get_property = derm_aftercare_template_get_property;
  object_class->set_property = derm_aftercare_template_set_property;

  properties[PROP_PROTOCOL_ID] = g_param_spec_int64 ("protocol-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SUN] = g_param_spec_string ("sun", NULL, NULL, "", flags);
  properties[PROP_SKINCARE] = g_param_spec_string ("skincare", NULL, NULL, "", flags);
  properties[PROP_ACTIVES] = g_param_spec_string ("actives", NULL, NULL, "", flags);
  properties[PROP_NORMAL] = g_param_spec_string ("normal", NULL, NULL, "", flags);
  properties[PROP_CALL] = g_param_spec_string ("call", NULL, NULL, "", flags);
  properties[PROP_ACTIVES_DAYS] = g_param_spec_uint ("actives-days", NULL, NULL, 0, DERM_AFTERCARE_MAX_DAYS, 0, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_string ("updated-at", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_aftercare_template_init (DermAftercareTemplate *self)
{
  for (guint i = 0; i < N_TEXTS; i++)
    self->texts[i] = g_strdup ("");
}

DermAftercareTemplate *
derm_aftercare_template_new_default (gint64 protocol_id)
{
  DermAftercareTemplate *self = g_object_new (DERM_TYPE_AFTERCARE_TEMPLATE, NULL);

  self->protocol_id = protocol_id;
  set_text (self, TEXT_SUN,
            _("Keep out of direct sun for 48 hours and do not use a sunbed or sauna for a week. "
              "From the day after the session, apply a broad-spectrum sunscreen of SPF 50 every "
              "morning and again every two hours outdoors, for at least two weeks."));
  set_text (self, TEXT_SKINCARE,
            _("For the first 24 hours do not wash the treated skin or wear make-up. Then wash "
              "twice a day with a gentle, fragrance-free cleanser and lukewarm water, pat dry "
              "and apply a plain moisturiser. Use a clean pillowcase and do not touch or pick "
              "the skin."));
  set_text (self, TEXT_ACTIVES,
            _("retinol and other retinoids, exfoliating acids (AHA, BHA, PHA), vitamin C serums, "
              "benzoyl peroxide, scrubs and peels"));
  self->actives_days = 5;
  set_text (self, TEXT_NORMAL,
            _("Redness like a mild sunburn for one to three days, warmth, tightness and mild "
              "swelling, small pinpoint marks, and dryness or light flaking from the third day."));
  set_text (self, TEXT_CALL,
            _("Call the clinic if redness or swelling gets worse after 48 hours, if you see "
              "blisters, pus, crusts or spreading pain, if you have a fever, or if anything "
              "worries you."));
  return self;
}

DermAftercareTemplate *
derm_aftercare_template_copy (DermAftercareTemplate *self)
{
  DermAftercareTemplate *copy;

  g_return_val_if_fail (DERM_IS_AFTERCARE_TEMPLATE (self), NULL);

  copy = g_object_new (DERM_TYPE_AFTERCARE_TEMPLATE, NULL);
  copy->protocol_id = self->protocol_id;
  for (guint i = 0; i < N_TEXTS; i++)
    set_text (copy, i, self->texts[i]);
  copy->actives_days = self->actives_days;
  copy->updated_at = g_strdup (self->updated_at);
  return copy;
}

gint64
derm_aftercare_template_get_protocol_id (DermAftercareTemplate *self)
{
  g_return_val_if_fail (DERM_IS_AFTERCARE_TEMPLATE (self), 0);
  return self->protocol_id;
}

void
derm_aftercare_template_set_protocol_id (DermAftercareTemplate *self,
                                         gint64                 protocol_id)
{
  g_return_if_fail (DERM_IS_AFTERCARE_TEMPLATE (self));
  if (self->protocol_id == protocol_id)
    return;
  self->protocol_id = protocol_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOL_ID]);
}

#define TEXT_ACCESSORS(name, index) \
  const char * \
  derm_aftercare_template_get_##name (DermAftercareTemplate *self) \
  { \
    g_return_val_if_fail (DERM_IS_AFTERCARE_TEMPLATE (self), NULL); \
    return self->texts[index]; \
  } \
  void \
  derm_aftercare_template_set_##name (DermAftercareTemplate *self, \
                                      const char            *text) \
  { \
    g_return_if_fail (DERM_IS_AFTERCARE_TEMPLATE (self)); \
    set_text (self, index, text); \
  }

TEXT_ACCESSORS (sun, TEXT_SUN)
TEXT_ACCESSORS (skincare, TEXT_SKINCARE)
TEXT_ACCESSORS (actives, TEXT_ACTIVES)
TEXT_ACCESSORS (normal, TEXT_NORMAL)
TEXT_ACCESSORS (call, TEXT_CALL)

guint
derm_aftercare_template_get_actives_days (DermAftercareTemplate *self)
{
  g_return_val_if_fail (DERM_IS_AFTERCARE_TEMPLATE (self), 0);
  return self->actives_days;
}

void
derm_aftercare_template_set_actives_days (DermAftercareTemplate *self,
                                          guint                  days)
{
  g_return_if_fail (DERM_IS_AFTERCARE_TEMPLATE (self));
  if (self->actives_days == days)
    return;
  self->actives_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVES_DAYS]);
}

const char *
derm_aftercare_template_get_updated_at (DermAftercareTemplate *self)
{
  g_return_val_if_fail (DERM_IS_AFTERCARE_TEMPLATE (self), NULL);
  return self->updated_at;
}

void
derm_aftercare_template_set_updated_at (DermAftercareTemplate *self,
                                        const char            *iso)
{
  g_return_if_fail (DERM_IS_AFTERCARE_TEMPLATE (self));
  if (g_strcmp0 (self->updated_at, iso) == 0)
    return;
  g_free (self->updated_at);
  self->updated_at = g_strdup (iso);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

gboolean
derm_aftercare_template_validate (DermAftercareTemplate *self,
                                  GError               **error)
{
  const char *labels[N_TEXTS] = {
    [TEXT_SUN] = _("Sun and SPF"),
    [TEXT_SKINCARE] = _("Cleanser and moisturiser"),
    [TEXT_ACTIVES] = _("Active ingredients to avoid"),
    [TEXT_NORMAL] = _("What is normal"),
    [TEXT_CALL] = _("When to call the clinic"),
  };

  g_return_val_if_fail (DERM_IS_AFTERCARE_TEMPLATE (self), FALSE);

  for (guint i = 0; i < N_TEXTS; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (self->texts[i]));

      if (*stripped == '\0')
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                       _("%s is empty. Write the advice the client should read."), labels[i]);
          return FALSE;
        }
      if (g_utf8_strlen (self->texts[i], -1) > DERM_AFTERCARE_MAX_TEXT)
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_TOO_LONG,
                       _("%s is longer than %d characters. Shorten it to fit the sheet."),
                       labels[i], DERM_AFTERCARE_MAX_TEXT);
          return FALSE;
        }
      if (!derm_text_is_clean (self->texts[i], TRUE))
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                       _("%s holds control characters. Retype it without them."), labels[i]);
          return FALSE;
        }
    }
  if (self->actives_days > DERM_AFTERCARE_MAX_DAYS)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("Days without active ingredients must be from 0 to %d."), DERM_AFTERCARE_MAX_DAYS);
      return FALSE;
    }
  return TRUE;
}

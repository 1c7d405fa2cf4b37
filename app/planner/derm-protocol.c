/* derm-protocol.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-protocol"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-protocol.h"
#include "derm-validate.h"

struct _DermProtocol
{
  GObject  parent_instance;

  gint64   id;
  char    *name;
  guint    sessions;
  guint    interval_weeks;
  guint    min_interval_weeks;
  guint    max_interval_weeks;
  guint    duration_minutes;
  guint    follow_up_weeks;
};

G_DEFINE_FINAL_TYPE (DermProtocol, derm_protocol, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_SESSIONS,
  PROP_INTERVAL_WEEKS,
  PROP_MIN_INTERVAL_WEEKS,
  PROP_MAX_INTERVAL_WEEKS,
  PROP_DURATION_MINUTES,
  PROP_FOLLOW_UP_WEEKS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
derm_protocol_finalize (GObject *object)
{
  DermProtocol *self = (DermProtocol *) object;

  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (derm_protocol_parent_class)->finalize (object);
}

static guint *
uint_field (DermProtocol *self,
            guint         prop_id)
{
  switch (prop_id)
    {
    case PROP_SESSIONS:           return &self->sessions;
    case PROP_INTERVAL_WEEKS:     return &self->interval_weeks;
    case PROP_MIN_INTERVAL_WEEKS: return &self->min_interval_weeks;
    case PROP_MAX_INTERVAL_WEEKS: return &self->max_interval_weeks;
    case PROP_DURATION_MINUTES:   return &self->duration_minutes;
    case PROP_FOLLOW_UP_WEEKS:    return &self->follow_up_weeks;
    default:                      return NULL;
    }
}

static void
set_uint (DermProtocol *self,
          guint         prop_id,
          guint         value)
{
  guint *field = uint_field (self, prop_id);

  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
derm_protocol_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DermProtocol *self = DERM_PROTOCOL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_SESSIONS:
    case PROP_INTERVAL_WEEKS:
    case PROP_MIN_INTERVAL_WEEKS:
    case PROP_MAX_INTERVAL_WEEKS:
    case PROP_DURATION_MINUTES:
    case PROP_FOLLOW_UP_WEEKS:
      g_value_set_uint (value, *uint_field (self, prop_id));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_protocol_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DermProtocol *self = DERM_PROTOCOL (object);

  switch (prop_id)
    {
    case PROP_ID:
      derm_protocol_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_NAME:
      derm_protocol_set_name (self, g_value_get_string (value));
      break;

    case PROP_SESSIONS:
    case PROP_INTERVAL_WEEKS:
    case PROP_MIN_INTERVAL_WEEKS:
    case PROP_MAX_INTERVAL_WEEKS:
    case PROP_DURATION_MINUTES:
    case PROP_FOLLOW_UP_WEEKS:
      set_uint (self, prop_id, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_protocol_class_init (DermProtocolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_protocol_finalize;
  object_class->get_property = derm_protocol_get_property;
  object_class->set_property = derm_protocol_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, flags);
  /* Ranges are wide on purpose: derm_protocol_validate() judges them, so
   * the UI can hold an invalid value while the user types */
  properties[PROP_SESSIONS] =
    g_param_spec_uint ("sessions", NULL, NULL, 0, G_MAXUINT, 4, flags);
  properties[PROP_INTERVAL_WEEKS] =
    g_param_spec_uint ("interval-weeks", NULL, NULL, 0, G_MAXUINT, 4, flags);
  properties[PROP_MIN_INTERVAL_WEEKS] =
    g_param_spec_uint ("min-interval-weeks", NULL, NULL, 0, G_MAXUINT, 4, flags);
  properties[PROP_MAX_INTERVAL_WEEKS] =
    g_param_spec_uint ("max-interval-weeks", NULL, NULL, 0, G_MAXUINT, 6, flags);
  properties[PROP_DURATION_MINUTES] =
    g_param_spec_uint ("duration-minutes", NULL, NULL, 0, G_MAXUINT, 60, flags);
  properties[PROP_FOLLOW_UP_WEEKS] =
    g_param_spec_uint ("follow-up-weeks", NULL, NULL, 0, G_MAXUINT, 12, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_protocol_init (DermProtocol *self)
{
  self->sessions = 4;
  self->interval_weeks = 4;
  self->min_interval_weeks = 4;
  self->max_interval_weeks = 6;
  self->duration_minutes = 60;
  self->follow_up_weeks = 12;
}

DermProtocol *
derm_protocol_new (void)
{
  return g_object_new (DERM_TYPE_PROTOCOL, NULL);
}

DermProtocol *
derm_protocol_copy (DermProtocol *self)
{
  DermProtocol *copy;

  g_return_val_if_fail (DERM_IS_PROTOCOL (self), NULL);

  copy = derm_protocol_new ();
  copy->id = self->id;
  copy->name = g_strdup (self->name);
  copy->sessions = self->sessions;
  copy->interval_weeks = self->interval_weeks;
  copy->min_interval_weeks = self->min_interval_weeks;
  copy->max_interval_weeks = self->max_interval_weeks;
  copy->duration_minutes = self->duration_minutes;
  copy->follow_up_weeks = self->follow_up_weeks;
  return copy;
}

gint64
derm_protocol_get_id (DermProtocol *self)
{
  g_return_val_if_fail (DERM_IS_PROTOCOL (self), 0);
  return self->id;
}

void
derm_protocol_set_id (DermProtocol *self,
                      gint64        id)
{
  g_return_if_fail (DERM_IS_PROTOCOL (self));

  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
derm_protocol_get_name (DermProtocol *self)
{
  g_return_val_if_fail (DERM_IS_PROTOCOL (self), NULL);
  return self->name;
}

void
derm_protocol_set_name (DermProtocol *self,
                        const char   *name)
{
  g_return_if_fail (DERM_IS_PROTOCOL (self));

  if (name != NULL && name[0] == '\0')
    name = NULL;
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

#define UINT_ACCESSORS(field, PROP)                                  \
guint                                                                \
derm_protocol_get_##field (DermProtocol *self)                       \
{                                                                    \
  g_return_val_if_fail (DERM_IS_PROTOCOL (self), 0);                 \
  return self->field;                                                \
}                                                                    \
                                                                     \
void                                                                 \
derm_protocol_set_##field (DermProtocol *self,                       \
                           guint         value)                      \
{                                                                    \
  g_return_if_fail (DERM_IS_PROTOCOL (self));                        \
  set_uint (self, PROP, value);                                      \
}

UINT_ACCESSORS (sessions, PROP_SESSIONS)
UINT_ACCESSORS (interval_weeks, PROP_INTERVAL_WEEKS)
UINT_ACCESSORS (min_interval_weeks, PROP_MIN_INTERVAL_WEEKS)
UINT_ACCESSORS (max_interval_weeks, PROP_MAX_INTERVAL_WEEKS)
UINT_ACCESSORS (duration_minutes, PROP_DURATION_MINUTES)
UINT_ACCESSORS (follow_up_weeks, PROP_FOLLOW_UP_WEEKS)

#undef UINT_ACCESSORS

gboolean
derm_protocol_validate (DermProtocol  *self,
                        GError       **error)
{
  g_return_val_if_fail (DERM_IS_PROTOCOL (self), FALSE);

  if (!derm_validate_text (_("Protocol name"), self->name, DERM_MAX_NAME_LENGTH, TRUE, error))
    return FALSE;

  if (self->sessions < 1 || self->sessions > DERM_PROTOCOL_MAX_SESSIONS)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("Number of sessions must be between 1 and %d."), DERM_PROTOCOL_MAX_SESSIONS);
      return FALSE;
    }
  if (self->min_interval_weeks < 1 || self->max_interval_weeks > DERM_PROTOCOL_MAX_INTERVAL_WEEKS)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("Intervals must be between 1 and %d weeks."), DERM_PROTOCOL_MAX_INTERVAL_WEEKS);
      return FALSE;
    }
  if (self->min_interval_weeks > self->interval_weeks ||
      self->interval_weeks > self->max_interval_weeks)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("Interval must lie between the minimum and the maximum interval (%u ≤ %u ≤ %u weeks does not hold)."),
                   self->min_interval_weeks, self->interval_weeks, self->max_interval_weeks);
      return FALSE;
    }
  if (self->duration_minutes < DERM_PROTOCOL_MIN_DURATION ||
      self->duration_minutes > DERM_PROTOCOL_MAX_DURATION)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("Appointment length must be between %d and %d minutes."),
                   DERM_PROTOCOL_MIN_DURATION, DERM_PROTOCOL_MAX_DURATION);
      return FALSE;
    }
  if (self->follow_up_weeks > DERM_PROTOCOL_MAX_INTERVAL_WEEKS)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("Follow-up photo delay must be at most %d weeks (0 for none)."),
                   DERM_PROTOCOL_MAX_INTERVAL_WEEKS);
      return FALSE;
    }
  return TRUE;
}

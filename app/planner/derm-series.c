/* derm-series.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-series"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-series.h"

struct _DermSeries
{
  GObject           parent_instance;

  gint64            id;
  gint64            client_id;
  gint64            protocol_id;
  guint             sessions;
  guint             interval_weeks;
  guint             min_interval_weeks;
  guint             max_interval_weeks;
  guint             duration_minutes;
  guint             follow_up_weeks;
  guint             version;
  DermSeriesStatus  status;

  char             *protocol_name;
  char             *start_date;
  char             *practitioner;
  char             *room;
  char             *created_at;
  char             *client_name;
};

G_DEFINE_FINAL_TYPE (DermSeries, derm_series, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CLIENT_ID,
  PROP_PROTOCOL_ID,
  PROP_SESSIONS,
  PROP_INTERVAL_WEEKS,
  PROP_MIN_INTERVAL_WEEKS,
  PROP_MAX_INTERVAL_WEEKS,
  PROP_DURATION_MINUTES,
  PROP_FOLLOW_UP_WEEKS,
  PROP_VERSION,
  PROP_STATUS,
  PROP_PROTOCOL_NAME,
  PROP_START_DATE,
  PROP_PRACTITIONER,
  PROP_ROOM,
  PROP_CREATED_AT,
  PROP_CLIENT_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
derm_series_status_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { DERM_SERIES_ACTIVE, "DERM_SERIES_ACTIVE", "active" },
        { DERM_SERIES_COMPLETED, "DERM_SERIES_COMPLETED", "completed" },
        { DERM_SERIES_CANCELLED, "DERM_SERIES_CANCELLED", "cancelled" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static ("DermSeriesStatus", values);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

const char *
derm_series_status_to_key (DermSeriesStatus status)
{
  switch (status)
    {
    case DERM_SERIES_ACTIVE:    return "active";
    case DERM_SERIES_COMPLETED: return "completed";
    case DERM_SERIES_CANCELLED: return "cancelled";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
derm_series_status_to_label (DermSeriesStatus status)
{
  switch (status)
    {
    case DERM_SERIES_ACTIVE:    return _("Active");
    case DERM_SERIES_COMPLETED: return _("Completed");
    case DERM_SERIES_CANCELLED: return _("Cancelled");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
derm_series_status_from_key (const char       *key,
                             DermSeriesStatus *out)
{
  for (int s = DERM_SERIES_ACTIVE; s <= DERM_SERIES_CANCELLED; s++)
    {
      if (g_strcmp0 (key, derm_series_status_to_key (s)) == 0)
        {
          *out = s;
          return TRUE;
        }
    }
  return FALSE;
}

static char **
string_field (DermSeries *self,
              guint       prop_id)
{
  switch (prop_id)
    {
    case PROP_PROTOCOL_NAME: return &self->protocol_name;
    case PROP_START_DATE:    return &self->start_date;
    case PROP_PRACTITIONER:  return &self->practitioner;
    case PROP_ROOM:          return &self->room;
    case PROP_CREATED_AT:    return &self->created_at;
    case PROP_CLIENT_NAME:   return &self->client_name;
    default:                 return NULL;
    }
}

static guint *
uint_field (DermSeries *self,
            guint       prop_id)
{
  switch (prop_id)
    {
    case PROP_SESSIONS:           return &self->sessions;
    case PROP_INTERVAL_WEEKS:     return &self->interval_weeks;
    case PROP_MIN_INTERVAL_WEEKS: return &self->min_interval_weeks;
    case PROP_MAX_INTERVAL_WEEKS: return &self->max_interval_weeks;
    case PROP_DURATION_MINUTES:   return &self->duration_minutes;
    case PROP_FOLLOW_UP_WEEKS:    return &self->follow_up_weeks;
    case PROP_VERSION:            return &self->version;
    default:                      return NULL;
    }
}

static gint64 *
int64_field (DermSeries *self,
             guint       prop_id)
{
  switch (prop_id)
    {
    case PROP_ID:          return &self->id;
    case PROP_CLIENT_ID:   return &self->client_id;
    case PROP_PROTOCOL_ID: return &self->protocol_id;
    default:               return NULL;
    }
}

static void
set_string (DermSeries *self,
            guint       prop_id,
            const char *value)
{
  char **field = string_field (self, prop_id);

  if (value != NULL && value[0] == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_uint (DermSeries *self,
          guint       prop_id,
          guint       value)
{
  guint *field = uint_field (self, prop_id);

  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_int64 (DermSeries *self,
           guint       prop_id,
           gint64      value)
{
  gint64 *field = int64_field (self, prop_id);

  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
derm_series_finalize (GObject *object)
{
  DermSeries *self = (DermSeries *) object;

  g_clear_pointer (&self->protocol_name, g_free);
  g_clear_pointer (&self->start_date, g_free);
  g_clear_pointer (&self->practitioner, g_free);
  g_clear_pointer (&self->room, g_free);
  g_clear_pointer (&self->created_at, g_free);
  g_clear_pointer (&self->client_name, g_free);

  G_OBJECT_CLASS (derm_series_parent_class)->finalize (object);
}

static void
derm_series_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DermSeries *self = DERM_SERIES (object);

  switch (prop_id)
    {
    case PROP_ID:
    case PROP_CLIENT_ID:
    case PROP_PROTOCOL_ID:
      g_value_set_int64 (value, *int64_field (self, prop_id));
      break;
    case PROP_SESSIONS:
    case PROP_INTERVAL_WEEKS:
    case PROP_MIN_INTERVAL_WEEKS:
    case PROP_MAX_INTERVAL_WEEKS:
    case PROP_DURATION_MINUTES:
    case PROP_FOLLOW_UP_WEEKS:
    case PROP_VERSION:
      g_value_set_uint (value, *uint_field (self, prop_id));
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_PROTOCOL_NAME:
    case PROP_START_DATE:
    case PROP_PRACTITIONER:
    case PROP_ROOM:
    case PROP_CREATED_AT:
    case PROP_CLIENT_NAME:
      g_value_set_string (value, *string_field (self, prop_id));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_series_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DermSeries *self = DERM_SERIES (object);

  switch (prop_id)
    {
    case PROP_ID:
    case PROP_CLIENT_ID:
    case PROP_PROTOCOL_ID:
      set_int64 (self, prop_id, g_value_get_int64 (value));
      break;
    case PROP_SESSIONS:
    case PROP_INTERVAL_WEEKS:
    case PROP_MIN_INTERVAL_WEEKS:
    case PROP_MAX_INTERVAL_WEEKS:
    case PROP_DURATION_MINUTES:
    case PROP_FOLLOW_UP_WEEKS:
    case PROP_VERSION:
      set_uint (self, prop_id, g_value_get_uint (value));
      break;
    case PROP_STATUS:
      derm_series_set_status (self, g_value_get_enum (value));
      break;
    case PROP_PROTOCOL_NAME:
    case PROP_START_DATE:
    case PROP_PRACTITIONER:
    case PROP_ROOM:
    case PROP_CREATED_AT:
    case PROP_CLIENT_NAME:
      set_string (self, prop_id, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_series_class_init (DermSeriesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_series_finalize;
  object_class->get_property = derm_series_get_property;
  object_class->set_property = derm_series_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CLIENT_ID] = g_param_spec_int64 ("client-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PROTOCOL_ID] = g_param_spec_int64 ("protocol-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SESSIONS] = g_param_spec_uint ("sessions", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_INTERVAL_WEEKS] = g_param_spec_uint ("interval-weeks", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_MIN_INTERVAL_WEEKS] = g_param_spec_uint ("min-interval-weeks", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_MAX_INTERVAL_WEEKS] = g_param_spec_uint ("max-interval-weeks", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_DURATION_MINUTES] = g_param_spec_uint ("duration-minutes", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_FOLLOW_UP_WEEKS] = g_param_spec_uint ("follow-up-weeks", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_VERSION] = g_param_spec_uint ("version", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, DERM_TYPE_SERIES_STATUS, DERM_SERIES_ACTIVE, flags);
  properties[PROP_PROTOCOL_NAME] = g_param_spec_string ("protocol-name", NULL, NULL, NULL, flags);
  properties[PROP_START_DATE] = g_param_spec_string ("start-date", NULL, NULL, NULL, flags);
  properties[PROP_PRACTITIONER] = g_param_spec_string ("practitioner", NULL, NULL, NULL, flags);
  properties[PROP_ROOM] = g_param_spec_string ("room", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_string ("created-at", NULL, NULL, NULL, flags);
  properties[PROP_CLIENT_NAME] = g_param_spec_string ("client-name", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_series_init (DermSeries *self)
{
}

DermSeries *
derm_series_new (void)
{
  return g_object_new (DERM_TYPE_SERIES, NULL);
}

DermSeries *
derm_series_new_from_protocol (DermProtocol *protocol,
                               gint64        client_id,
                               const char   *start_date)
{
  DermSeries *self;

  g_return_val_if_fail (DERM_IS_PROTOCOL (protocol), NULL);

  self = derm_series_new ();
  self->client_id = client_id;
  self->protocol_id = derm_protocol_get_id (protocol);
  self->protocol_name = g_strdup (derm_protocol_get_name (protocol));
  self->sessions = derm_protocol_get_sessions (protocol);
  self->interval_weeks = derm_protocol_get_interval_weeks (protocol);
  self->min_interval_weeks = derm_protocol_get_min_interval_weeks (protocol);
  self->max_interval_weeks = derm_protocol_get_max_interval_weeks (protocol);
  self->duration_minutes = derm_protocol_get_duration_minutes (protocol);
  self->follow_up_weeks = derm_protocol_get_follow_up_weeks (protocol);
  self->start_date = g_strdup (start_date);
  return self;
}

DermSeries *
derm_series_copy (DermSeries *self)
{
  DermSeries *copy;

  g_return_val_if_fail (DERM_IS_SERIES (self), NULL);

  copy = derm_series_new ();
  copy->id = self->id;
  copy->client_id = self->client_id;
  copy->protocol_id = self->protocol_id;
  copy->sessions = self->sessions;
  copy->interval_weeks = self->interval_weeks;
  copy->min_interval_weeks = self->min_interval_weeks;
  copy->max_interval_weeks = self->max_interval_weeks;
  copy->duration_minutes = self->duration_minutes;
  copy->follow_up_weeks = self->follow_up_weeks;
  copy->version = self->version;
  copy->status = self->status;
  copy->protocol_name = g_strdup (self->protocol_name);
  copy->start_date = g_strdup (self->start_date);
  copy->practitioner = g_strdup (self->practitioner);
  copy->room = g_strdup (self->room);
  copy->created_at = g_strdup (self->created_at);
  copy->client_name = g_strdup (self->client_name);
  return copy;
}

#define INT64_ACCESSORS(field, PROP)                                   \
gint64                                                                 \
derm_series_get_##field (DermSeries *self)                             \
{                                                                      \
  g_return_val_if_fail (DERM_IS_SERIES (self), 0);                     \
  return self->field;                                                  \
}                                                                      \
                                                                       \
void                                                                   \
derm_series_set_##field (DermSeries *self,                             \
                         gint64      value)                            \
{                                                                      \
  g_return_if_fail (DERM_IS_SERIES (self));                            \
  set_int64 (self, PROP, value);                                       \
}

#define UINT_ACCESSORS(field, PROP)                                    \
guint                                                                  \
derm_series_get_##field (DermSeries *self)                             \
{                                                                      \
  g_return_val_if_fail (DERM_IS_SERIES (self), 0);                     \
  return self->field;                                                  \
}                                                                      \
                                                                       \
void                                                                   \
derm_series_set_##field (DermSeries *self,                             \
                         guint       value)                            \
{                                                                      \
  g_return_if_fail (DERM_IS_SERIES (self));                            \
  set_uint (self, PROP, value);                                        \
}

#define STRING_ACCESSORS(field, PROP)                                  \
const char *                                                           \
derm_series_get_##field (DermSeries *self)                             \
{                                                                      \
  g_return_val_if_fail (DERM_IS_SERIES (self), NULL);                  \
  return self->field;                                                  \
}                                                                      \
                                                                       \
void                                                                   \
derm_series_set_##field (DermSeries *self,                             \
                         const char *value)                            \
{                                                                      \
  g_return_if_fail (DERM_IS_SERIES (self));                            \
  set_string (self, PROP, value);                                      \
}

INT64_ACCESSORS (id, PROP_ID)
INT64_ACCESSORS (client_id, PROP_CLIENT_ID)
INT64_ACCESSORS (protocol_id, PROP_PROTOCOL_ID)
UINT_ACCESSORS (sessions, PROP_SESSIONS)
UINT_ACCESSORS (interval_weeks, PROP_INTERVAL_WEEKS)
UINT_ACCESSORS (min_interval_weeks, PROP_MIN_INTERVAL_WEEKS)
UINT_ACCESSORS (max_interval_weeks, PROP_MAX_INTERVAL_WEEKS)
UINT_ACCESSORS (duration_minutes, PROP_DURATION_MINUTES)
UINT_ACCESSORS (follow_up_weeks, PROP_FOLLOW_UP_WEEKS)
UINT_ACCESSORS (version, PROP_VERSION)
STRING_ACCESSORS (protocol_name, PROP_PROTOCOL_NAME)
STRING_ACCESSORS (start_date, PROP_START_DATE)
STRING_ACCESSORS (practitioner, PROP_PRACTITIONER)
STRING_ACCESSORS (room, PROP_ROOM)
STRING_ACCESSORS (created_at, PROP_CREATED_AT)
STRING_ACCESSORS (client_name, PROP_CLIENT_NAME)

#undef INT64_ACCESSORS
#undef UINT_ACCESSORS
#undef STRING_ACCESSORS

DermSeriesStatus
derm_series_get_status (DermSeries *self)
{
  g_return_val_if_fail (DERM_IS_SERIES (self), DERM_SERIES_ACTIVE);
  return self->status;
}

void
derm_series_set_status (DermSeries       *self,
                        DermSeriesStatus  status)
{
  g_return_if_fail (DERM_IS_SERIES (self));
  g_return_if_fail (status <= DERM_SERIES_CANCELLED);

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

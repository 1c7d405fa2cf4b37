/* derm-appointment.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-appointment"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "derm-appointment.h"

struct _DermAppointment
{
  GObject                parent_instance;

  gint64                 id;
  gint64                 client_id;
  gint64                 series_id;
  gint64                 treatment_id;
  guint                  session_index;
  guint                  session_count;
  guint                  sequence;
  guint                  duration_minutes;
  DermAppointmentStatus  status;
  DermAppointmentKind    kind;
  gboolean               rescreen_first;
  gboolean               screening_outdated;
  gboolean               never_screened;

  char                  *start_local;
  char                  *time_zone;
  char                  *room;
  char                  *practitioner;
  char                  *note;
  char                  *client_name;
  char                  *do_not_treat;
  guint                  problems;          /* DermPlanProblems found by re-validation */
  char                  *problem_message;
  char                  *updated_at;
  char                  *protocol_name;

  /* derived from start_local and time_zone */
  gint64                 start_unix;
};

G_DEFINE_FINAL_TYPE (DermAppointment, derm_appointment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CLIENT_ID,
  PROP_SERIES_ID,
  PROP_TREATMENT_ID,
  PROP_SESSION_INDEX,
  PROP_SESSION_COUNT,
  PROP_SEQUENCE,
  PROP_UPDATED_AT,
  PROP_DURATION_MINUTES,
  PROP_STATUS,
  PROP_KIND,
  PROP_RESCREEN_FIRST,
  PROP_START_LOCAL,
  PROP_TIME_ZONE,
  PROP_ROOM,
  PROP_PRACTITIONER,
  PROP_NOTE,
  PROP_CLIENT_NAME,
  PROP_DO_NOT_TREAT,
  PROP_PROTOCOL_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- enums ------------------------------------------------------------- */

GType
derm_appointment_status_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { DERM_APPOINTMENT_BOOKED, "DERM_APPOINTMENT_BOOKED", "booked" },
        { DERM_APPOINTMENT_DONE, "DERM_APPOINTMENT_DONE", "done" },
        { DERM_APPOINTMENT_CANCELLED, "DERM_APPOINTMENT_CANCELLED", "cancelled" },
        { DERM_APPOINTMENT_NO_SHOW, "DERM_APPOINTMENT_NO_SHOW", "no-show" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static ("DermAppointmentStatus", values);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

const char *
derm_appointment_status_to_key (DermAppointmentStatus status)
{
  switch (status)
    {
    case DERM_APPOINTMENT_BOOKED:    return "booked";
    case DERM_APPOINTMENT_DONE:      return "done";
    case DERM_APPOINTMENT_CANCELLED: return "cancelled";
    case DERM_APPOINTMENT_NO_SHOW:   return "no-show";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
derm_appointment_status_to_label (DermAppointmentStatus status)
{
  switch (status)
    {
    case DERM_APPOINTMENT_BOOKED:    return _("Booked");
    case DERM_APPOINTMENT_DONE:      return _("Done");
    case DERM_APPOINTMENT_CANCELLED: return _("Cancelled");
    case DERM_APPOINTMENT_NO_SHOW:   return _("No-show");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
derm_appointment_status_from_key (const char            *key,
                                  DermAppointmentStatus *out)
{
  for (int s = DERM_APPOINTMENT_BOOKED; s <= DERM_APPOINTMENT_NO_SHOW; s++)
    {
      if (g_strcmp0 (key, derm_appointment_status_to_key (s)) == 0)
        {
          *out = s;
          return TRUE;
        }
    }
  return FALSE;
}

GType
derm_appointment_kind_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { DERM_APPOINTMENT_SESSION, "DERM_APPOINTMENT_SESSION", "session" },
        { DERM_APPOINTMENT_FOLLOW_UP_PHOTO, "DERM_APPOINTMENT_FOLLOW_UP_PHOTO", "follow-up-photo" },
        { DERM_APPOINTMENT_CONSULTATION, "DERM_APPOINTMENT_CONSULTATION", "consultation" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static ("DermAppointmentKind", values);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

const char *
derm_appointment_kind_to_key (DermAppointmentKind kind)
{
  switch (kind)
    {
    case DERM_APPOINTMENT_SESSION:         return "session";
    case DERM_APPOINTMENT_FOLLOW_UP_PHOTO: return "follow-up-photo";
    case DERM_APPOINTMENT_CONSULTATION:    return "consultation";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
derm_appointment_kind_to_label (DermAppointmentKind kind)
{
  switch (kind)
    {
    case DERM_APPOINTMENT_SESSION:         return _("Session");
    case DERM_APPOINTMENT_FOLLOW_UP_PHOTO: return _("Follow-up photo");
    case DERM_APPOINTMENT_CONSULTATION:    return _("Consultation");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
derm_appointment_kind_from_key (const char          *key,
                                DermAppointmentKind *out)
{
  if (g_strcmp0 (key, "session") == 0)
    *out = DERM_APPOINTMENT_SESSION;
  else if (g_strcmp0 (key, "follow-up-photo") == 0)
    *out = DERM_APPOINTMENT_FOLLOW_UP_PHOTO;
  else if (g_strcmp0 (key, "consultation") == 0)
    *out = DERM_APPOINTMENT_CONSULTATION;
  else
    return FALSE;
  return TRUE;
}

/* --- object ------------------------------------------------------------ */

static char **
string_field (DermAppointment *self,
              guint            prop_id)
{
  switch (prop_id)
    {
    case PROP_ROOM:          return &self->room;
    case PROP_PRACTITIONER:  return &self->practitioner;
    case PROP_NOTE:          return &self->note;
    case PROP_CLIENT_NAME:   return &self->client_name;
    case PROP_DO_NOT_TREAT:  return &self->do_not_treat;
    case PROP_UPDATED_AT:    return &self->updated_at;
    case PROP_PROTOCOL_NAME: return &self->protocol_name;
    default:                 return NULL;
    }
}

static void
set_string (DermAppointment *self,
            guint            prop_id,
            const char      *value)
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
derm_appointment_finalize (GObject *object)
{
  DermAppointment *self = (DermAppointment *) object;

  g_clear_pointer (&self->start_local, g_free);
  g_clear_pointer (&self->time_zone, g_free);
  g_clear_pointer (&self->room, g_free);
  g_clear_pointer (&self->practitioner, g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->client_name, g_free);
  g_clear_pointer (&self->do_not_treat, g_free);
  g_clear_pointer (&self->problem_message, g_free);
  g_clear_pointer (&self->updated_at, g_free);
  g_clear_pointer (&self->protocol_name, g_free);

  G_OBJECT_CLASS (derm_appointment_parent_class)->finalize (object);
}

static void
derm_appointment_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DermAppointment *self = DERM_APPOINTMENT (object);

  switch (prop_id)
    {
    case PROP_ID:               g_value_set_int64 (value, self->id); break;
    case PROP_CLIENT_ID:        g_value_set_int64 (value, self->client_id); break;
    case PROP_SERIES_ID:        g_value_set_int64 (value, self->series_id); break;
    case PROP_TREATMENT_ID:     g_value_set_int64 (value, self->treatment_id); break;
    case PROP_SESSION_INDEX:    g_value_set_uint (value, self->session_index); break;
    case PROP_SESSION_COUNT:    g_value_set_uint (value, self->session_count); break;
    case PROP_SEQUENCE:         g_value_set_uint (value, self->sequence); break;
    case PROP_DURATION_MINUTES: g_value_set_uint (value, self->duration_minutes); break;
    case PROP_STATUS:           g_value_set_enum (value, self->status); break;
    case PROP_KIND:             g_value_set_enum (value, self->kind); break;
    case PROP_RESCREEN_FIRST:   g_value_set_boolean (value, self->rescreen_first); break;
    case PROP_START_LOCAL:      g_value_set_string (value, self->start_local); break;
    case PROP_TIME_ZONE:        g_value_set_string (value, self->time_zone); break;
    case PROP_ROOM:
    case PROP_PRACTITIONER:
    case PROP_NOTE:
    case PROP_CLIENT_NAME:
    case PROP_DO_NOT_TREAT:
    case PROP_UPDATED_AT:
    case PROP_PROTOCOL_NAME:
      g_value_set_string (value, *string_field (self, prop_id));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_appointment_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DermAppointment *self = DERM_APPOINTMENT (object);

  switch (prop_id)
    {
    case PROP_ID:               derm_appointment_set_id (self, g_value_get_int64 (value)); break;
    case PROP_CLIENT_ID:        derm_appointment_set_client_id (self, g_value_get_int64 (value)); break;
    case PROP_SERIES_ID:        derm_appointment_set_series_id (self, g_value_get_int64 (value)); break;
    case PROP_TREATMENT_ID:     derm_appointment_set_treatment_id (self, g_value_get_int64 (value)); break;
    case PROP_SESSION_INDEX:    derm_appointment_set_session_index (self, g_value_get_uint (value)); break;
    case PROP_SESSION_COUNT:    derm_appointment_set_session_count (self, g_value_get_uint (value)); break;
    case PROP_SEQUENCE:         derm_appointment_set_sequence (self, g_value_get_uint (value)); break;
    case PROP_DURATION_MINUTES: derm_appointment_set_duration_minutes (self, g_value_get_uint (value)); break;
    case PROP_STATUS:           derm_appointment_set_status (self, g_value_get_enum (value)); break;
    case PROP_KIND:             derm_appointment_set_kind (self, g_value_get_enum (value)); break;
    case PROP_RESCREEN_FIRST:   derm_appointment_set_rescreen_first (self, g_value_get_boolean (value)); break;
    case PROP_START_LOCAL:
      derm_appointment_set_start (self, g_value_get_string (value),
                                  self->time_zone ? self->time_zone : "UTC");
      break;
    case PROP_TIME_ZONE:
      if (self->start_local != NULL)
        derm_appointment_set_start (self, self->start_local, g_value_get_string (value));
      else if (g_strcmp0 (self->time_zone, g_value_get_string (value)) != 0)
        {
          g_free (self->time_zone);
          self->time_zone = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_ROOM:
    case PROP_PRACTITIONER:
    case PROP_NOTE:
    case PROP_CLIENT_NAME:
    case PROP_DO_NOT_TREAT:
    case PROP_UPDATED_AT:
    case PROP_PROTOCOL_NAME:
      set_string (self, prop_id, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_appointment_class_init (DermAppointmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_appointment_finalize;
  object_class->get_property = derm_appointment_get_property;
  object_class->set_property = derm_appointment_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CLIENT_ID] = g_param_spec_int64 ("client-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SERIES_ID] = g_param_spec_int64 ("series-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TREATMENT_ID] = g_param_spec_int64 ("treatment-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SESSION_INDEX] = g_param_spec_uint ("session-index", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SESSION_COUNT] = g_param_spec_uint ("session-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SEQUENCE] = g_param_spec_uint ("sequence", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_string ("updated-at", NULL, NULL, NULL, flags);
  properties[PROP_DURATION_MINUTES] = g_param_spec_uint ("duration-minutes", NULL, NULL, 0, G_MAXUINT, 60, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, DERM_TYPE_APPOINTMENT_STATUS, DERM_APPOINTMENT_BOOKED, flags);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, DERM_TYPE_APPOINTMENT_KIND, DERM_APPOINTMENT_SESSION, flags);
  properties[PROP_RESCREEN_FIRST] = g_param_spec_boolean ("rescreen-first", NULL, NULL, FALSE, flags);
  properties[PROP_START_LOCAL] = g_param_spec_string ("start-local", NULL, NULL, NULL, flags);
  properties[PROP_TIME_ZONE] = g_param_spec_string ("time-zone", NULL, NULL, NULL, flags);
  properties[PROP_ROOM] = g_param_spec_string ("room", NULL, NULL, NULL, flags);
  properties[PROP_PRACTITIONER] = g_param_spec_string ("practitioner", NULL, NULL, NULL, flags);
  properties[PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, flags);
  properties[PROP_CLIENT_NAME] = g_param_spec_string ("client-name", NULL, NULL, NULL, flags);
  properties[PROP_DO_NOT_TREAT] = g_param_spec_string ("do-not-treat", NULL, NULL, NULL, flags);
  properties[PROP_PROTOCOL_NAME] = g_param_spec_string ("protocol-name", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_appointment_init (DermAppointment *self)
{
  self->duration_minutes = 60;
}

DermAppointment *
derm_appointment_new (void)
{
  return g_object_new (DERM_TYPE_APPOINTMENT, NULL);
}

DermAppointment *
derm_appointment_copy (DermAppointment *self)
{
  DermAppointment *copy;

  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), NULL);

  copy = derm_appointment_new ();
  copy->id = self->id;
  copy->client_id = self->client_id;
  copy->series_id = self->series_id;
  copy->treatment_id = self->treatment_id;
  copy->session_index = self->session_index;
  copy->session_count = self->session_count;
  copy->sequence = self->sequence;
  copy->updated_at = g_strdup (self->updated_at);
  copy->duration_minutes = self->duration_minutes;
  copy->status = self->status;
  copy->kind = self->kind;
  copy->rescreen_first = self->rescreen_first;
  copy->screening_outdated = self->screening_outdated;
  copy->never_screened = self->never_screened;
  copy->start_local = g_strdup (self->start_local);
  copy->time_zone = g_strdup (self->time_zone);
  copy->room = g_strdup (self->room);
  copy->practitioner = g_strdup (self->practitioner);
  copy->note = g_strdup (self->note);
  copy->client_name = g_strdup (self->client_name);
  copy->do_not_treat = g_strdup (self->do_not_treat);
  copy->problems = self->problems;
  copy->problem_message = g_strdup (self->problem_message);
  copy->protocol_name = g_strdup (self->protocol_name);
  copy->start_unix = self->start_unix;
  return copy;
}

#define INT64_ACCESSORS(field, PROP)                                   \
gint64                                                                 \
derm_appointment_get_##field (DermAppointment *self)                   \
{                                                                      \
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), 0);                \
  return self->field;                                                  \
}                                                                      \
                                                                       \
void                                                                   \
derm_appointment_set_##field (DermAppointment *self,                   \
                              gint64           value)                  \
{                                                                      \
  g_return_if_fail (DERM_IS_APPOINTMENT (self));                       \
  if (self->field == value)                                            \
    return;                                                            \
  self->field = value;                                                 \
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);        \
}

#define UINT_ACCESSORS(field, PROP)                                    \
guint                                                                  \
derm_appointment_get_##field (DermAppointment *self)                   \
{                                                                      \
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), 0);                \
  return self->field;                                                  \
}                                                                      \
                                                                       \
void                                                                   \
derm_appointment_set_##field (DermAppointment *self,                   \
                              guint            value)                  \
{                                                                      \
  g_return_if_fail (DERM_IS_APPOINTMENT (self));                       \
  if (self->field == value)                                            \
    return;                                                            \
  self->field = value;                                                 \
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);        \
}

#define STRING_ACCESSORS(field, PROP)                                  \
const char *                                                           \
derm_appointment_get_##field (DermAppointment *self)                   \
{                                                                      \
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), NULL);             \
  return self->field;                                                  \
}                                                                      \
                                                                       \
void                                                                   \
derm_appointment_set_##field (DermAppointment *self,                   \
                              const char      *value)                  \
{                                                                      \
  g_return_if_fail (DERM_IS_APPOINTMENT (self));                       \
  set_string (self, PROP, value);                                      \
}

INT64_ACCESSORS (id, PROP_ID)
INT64_ACCESSORS (client_id, PROP_CLIENT_ID)
INT64_ACCESSORS (series_id, PROP_SERIES_ID)
INT64_ACCESSORS (treatment_id, PROP_TREATMENT_ID)
UINT_ACCESSORS (session_index, PROP_SESSION_INDEX)
UINT_ACCESSORS (session_count, PROP_SESSION_COUNT)
UINT_ACCESSORS (sequence, PROP_SEQUENCE)
UINT_ACCESSORS (duration_minutes, PROP_DURATION_MINUTES)
STRING_ACCESSORS (room, PROP_ROOM)
STRING_ACCESSORS (practitioner, PROP_PRACTITIONER)
STRING_ACCESSORS (note, PROP_NOTE)
STRING_ACCESSORS (client_name, PROP_CLIENT_NAME)
STRING_ACCESSORS (do_not_treat, PROP_DO_NOT_TREAT)
STRING_ACCESSORS (updated_at, PROP_UPDATED_AT)
STRING_ACCESSORS (protocol_name, PROP_PROTOCOL_NAME)

#undef INT64_ACCESSORS
#undef UINT_ACCESSORS
#undef STRING_ACCESSORS

DermAppointmentStatus
derm_appointment_get_status (DermAppointment *self)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), DERM_APPOINTMENT_BOOKED);
  return self->status;
}

void
derm_appointment_set_status (DermAppointment       *self,
                             DermAppointmentStatus  status)
{
  g_return_if_fail (DERM_IS_APPOINTMENT (self));
  g_return_if_fail (status <= DERM_APPOINTMENT_NO_SHOW);

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

DermAppointmentKind
derm_appointment_get_kind (DermAppointment *self)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), DERM_APPOINTMENT_SESSION);
  return self->kind;
}

void
derm_appointment_set_kind (DermAppointment     *self,
                           DermAppointmentKind  kind)
{
  g_return_if_fail (DERM_IS_APPOINTMENT (self));
  g_return_if_fail (kind <= DERM_APPOINTMENT_CONSULTATION);

  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

gboolean
derm_appointment_get_rescreen_first (DermAppointment *self)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), FALSE);
  return self->rescreen_first;
}

void
derm_appointment_set_rescreen_first (DermAppointment *self,
                                     gboolean         rescreen)
{
  g_return_if_fail (DERM_IS_APPOINTMENT (self));

  rescreen = !!rescreen;
  if (self->rescreen_first == rescreen)
    return;
  self->rescreen_first = rescreen;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESCREEN_FIRST]);
}

gboolean
derm_appointment_get_screening_outdated (DermAppointment *self)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), FALSE);
  return self->screening_outdated;
}

void
derm_appointment_set_screening_outdated (DermAppointment *self,
                                         gboolean         outdated)
{
  g_return_if_fail (DERM_IS_APPOINTMENT (self));
  self->screening_outdated = !!outdated;
}

gboolean
derm_appointment_get_never_screened (DermAppointment *self)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), FALSE);
  return self->never_screened;
}

void
derm_appointment_set_never_screened (DermAppointment *self,
                                     gboolean         never)
{
  g_return_if_fail (DERM_IS_APPOINTMENT (self));
  self->never_screened = !!never;
}

guint
derm_appointment_get_problems (DermAppointment *self)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), 0);
  return self->problems;
}

const char *
derm_appointment_get_problem_message (DermAppointment *self)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), NULL);
  return self->problem_message;
}

void
derm_appointment_set_problems (DermAppointment *self,
                               guint            problems,
                               const char      *message)
{
  g_return_if_fail (DERM_IS_APPOINTMENT (self));
  self->problems = problems;
  g_free (self->problem_message);
  self->problem_message = problems != 0 && message != NULL && *message != '\0' ? g_strdup (message) : NULL;
}

DermScreeningNeed
derm_appointment_get_screening_need (DermAppointment *self)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), DERM_SCREENING_NEED_NONE);

  if (!self->rescreen_first && !self->screening_outdated)
    return DERM_SCREENING_NEED_NONE;
  return self->never_screened ? DERM_SCREENING_NEED_FIRST : DERM_SCREENING_NEED_RESCREEN;
}

const char *
derm_screening_need_to_label (DermScreeningNeed need)
{
  switch (need)
    {
    case DERM_SCREENING_NEED_RESCREEN:
      return _("Re-screen the client first");
    case DERM_SCREENING_NEED_FIRST:
      return _("Screen the client first: never screened");
    case DERM_SCREENING_NEED_NONE:
    default:
      return NULL;
    }
}

const char *
derm_screening_need_to_short (DermScreeningNeed need)
{
  switch (need)
    {
    case DERM_SCREENING_NEED_RESCREEN:
      return _("re-screen first");
    case DERM_SCREENING_NEED_FIRST:
      return _("screen first (never screened)");
    case DERM_SCREENING_NEED_NONE:
    default:
      return NULL;
    }
}

const char *
derm_screening_need_to_key (DermScreeningNeed need)
{
  switch (need)
    {
    case DERM_SCREENING_NEED_RESCREEN:
      return "rescreen";
    case DERM_SCREENING_NEED_FIRST:
      return "first-screening";
    case DERM_SCREENING_NEED_NONE:
    default:
      return NULL;
    }
}

/* --- start ------------------------------------------------------------- */

static gboolean
parse_local (const char *text,
             int        *y,
             int        *mo,
             int        *d,
             int        *h,
             int        *mi)
{
  char sep;
  int consumed = 0;

  if (text == NULL || strlen (text) != 16)
    return FALSE;
  if (sscanf (text, "%4d-%2d-%2d%c%2d:%2d%n", y, mo, d, &sep, h, mi, &consumed) != 6 ||
      consumed != 16 || (sep != 'T' && sep != ' '))
    return FALSE;
  if (!g_date_valid_dmy (*d, *mo, *y) || *h < 0 || *h > 23 || *mi < 0 || *mi > 59)
    return FALSE;
  return TRUE;
}

/* GLib keeps a zone only while someone holds it, so building one per
 * appointment reads and parses the tzdata file every time (most of the
 * cost of loading a week). Zones are immutable and few: keep each one
 * asked for, for the life of the process. */
static GTimeZone *
zone_for_identifier (const char *identifier)
{
  static GMutex lock;
  static GHashTable *zones;
  GTimeZone *tz;

  g_mutex_lock (&lock);
  if (zones == NULL)
    zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_time_zone_unref);
  tz = g_hash_table_lookup (zones, identifier);
  if (tz == NULL && (tz = g_time_zone_new_identifier (identifier)) != NULL)
    g_hash_table_insert (zones, g_strdup (identifier), tz);
  if (tz != NULL)
    g_time_zone_ref (tz);
  g_mutex_unlock (&lock);
  return tz;
}

gboolean
derm_appointment_set_start (DermAppointment *self,
                            const char      *local,
                            const char      *time_zone)
{
  g_autoptr (GTimeZone) tz = NULL;
  g_autoptr (GDateTime) dt = NULL;
  g_autofree char *normalised = NULL;
  int y, mo, d, h, mi;
  gboolean local_changed, zone_changed;

  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), FALSE);

  if (time_zone == NULL || !parse_local (local, &y, &mo, &d, &h, &mi))
    return FALSE;
  tz = zone_for_identifier (time_zone);
  if (tz == NULL)
    return FALSE;
  dt = g_date_time_new (tz, y, mo, d, h, mi, 0);
  if (dt == NULL)
    return FALSE;

  normalised = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d", y, mo, d, h, mi);
  local_changed = g_strcmp0 (self->start_local, normalised) != 0;
  zone_changed = g_strcmp0 (self->time_zone, time_zone) != 0;

  self->start_unix = g_date_time_to_unix (dt);
  if (local_changed)
    {
      g_free (self->start_local);
      self->start_local = g_steal_pointer (&normalised);
    }
  if (zone_changed)
    {
      g_free (self->time_zone);
      self->time_zone = g_strdup (time_zone);
    }
  if (local_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START_LOCAL]);
  if (zone_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_ZONE]);
  return TRUE;
}

void
derm_appointment_set_start_date_time (DermAppointment *self,
                                      GDateTime       *start)
{
  g_autofree char *local = NULL;
  const char *zone;
  gboolean ok;

  g_return_if_fail (DERM_IS_APPOINTMENT (self));
  g_return_if_fail (start != NULL);

  zone = g_time_zone_get_identifier (g_date_time_get_timezone (start));
  local = g_date_time_format (start, "%Y-%m-%dT%H:%M");
  ok = derm_appointment_set_start (self, local, zone);
  g_return_if_fail (ok);
}

const char *
derm_appointment_get_start_local (DermAppointment *self)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), NULL);
  return self->start_local;
}

const char *
derm_appointment_get_time_zone (DermAppointment *self)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), NULL);
  return self->time_zone;
}

GDateTime *
derm_appointment_dup_start (DermAppointment *self)
{
  g_autoptr (GTimeZone) tz = NULL;
  int y, mo, d, h, mi;

  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), NULL);

  if (self->time_zone == NULL || !parse_local (self->start_local, &y, &mo, &d, &h, &mi))
    return NULL;
  tz = zone_for_identifier (self->time_zone);
  if (tz == NULL)
    return NULL;
  return g_date_time_new (tz, y, mo, d, h, mi, 0);
}

char *
derm_appointment_dup_when (DermAppointment *self)
{
  g_autoptr (GDateTime) start = NULL;
  int y, mo, d, h, mi;

  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), NULL);

  if (!parse_local (self->start_local, &y, &mo, &d, &h, &mi))
    return NULL;
  /* The wall-clock time as written, whatever zone this process runs in */
  start = g_date_time_new_utc (y, mo, d, h, mi, 0);
  if (start == NULL)
    return NULL;
  /* Translators: a day and time inside a sentence, "Monday 21 December 2026 at 10:00"; see g_date_time_format() */
  return g_date_time_format (start, _("%A %-d %B %Y at %H:%M"));
}

GDateTime *
derm_appointment_dup_end (DermAppointment *self)
{
  g_autoptr (GDateTime) start = derm_appointment_dup_start (self);

  if (start == NULL)
    return NULL;
  /* Real elapsed minutes: a session across a DST change still lasts its length */
  return g_date_time_add_minutes (start, self->duration_minutes);
}

gint64
derm_appointment_get_start_unix (DermAppointment *self)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), 0);
  return self->start_local != NULL ? self->start_unix : 0;
}

gint64
derm_appointment_get_end_unix (DermAppointment *self)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), 0);
  return self->start_local != NULL ? self->start_unix + (gint64) self->duration_minutes * 60 : 0;
}

gboolean
derm_appointment_get_local_date (DermAppointment *self,
                                 GDate           *out)
{
  int y, mo, d, h, mi;

  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), FALSE);

  if (!parse_local (self->start_local, &y, &mo, &d, &h, &mi))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, d, mo, y);
  return TRUE;
}

gboolean
derm_appointment_occupies (DermAppointment *self)
{
  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), FALSE);
  return self->status == DERM_APPOINTMENT_BOOKED || self->status == DERM_APPOINTMENT_DONE;
}

char *
derm_appointment_dup_title (DermAppointment *self)
{
  const char *name;

  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), NULL);

  name = self->client_name != NULL ? self->client_name : _("Client");

  if (self->kind == DERM_APPOINTMENT_FOLLOW_UP_PHOTO)
    /* Translators: calendar title: "Follow-up photo – Jane Doe" */
    return g_strdup_printf (_("Follow-up photo – %s"), name);
  if (self->kind == DERM_APPOINTMENT_CONSULTATION)
    /* Translators: calendar title: "Consultation – Jane Doe" */
    return g_strdup_printf (_("Consultation – %s"), name);

  if (self->session_count > 0)
    /* Translators: calendar title: "Microneedling, face 2/4 – Jane Doe" */
    return g_strdup_printf (_("%s %u/%u – %s"),
                            self->protocol_name != NULL ? self->protocol_name : _("Session"),
                            self->session_index, self->session_count, name);

  return g_strdup_printf (_("%s – %s"),
                          self->protocol_name != NULL ? self->protocol_name : _("Session"),
                          name);
}

/* "Zoë Müller" -> "Z. M." */
static char *
initials (const char *name)
{
  g_auto (GStrv) words = g_strsplit_set (name != NULL ? name : "", " \t-", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      gunichar c = g_utf8_get_char_validated (words[i], -1);

      if (words[i][0] == '\0' || c == (gunichar) -1 || c == (gunichar) -2)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_unichar (out, g_unichar_toupper (c));
      g_string_append_c (out, '.');
    }
  return g_string_free (out, FALSE);
}

char *
derm_appointment_dup_private_title (DermAppointment *self)
{
  g_autofree char *who = NULL;

  g_return_val_if_fail (DERM_IS_APPOINTMENT (self), NULL);

  who = initials (self->client_name);
  if (who[0] == '\0')
    {
      g_free (who);
      who = g_strdup (_("Client"));
    }
  if (self->kind == DERM_APPOINTMENT_FOLLOW_UP_PHOTO)
    /* Translators: calendar title without the name: "Follow-up photo – Z. M." */
    return g_strdup_printf (_("Follow-up photo – %s"), who);
  if (self->kind == DERM_APPOINTMENT_CONSULTATION)
    return g_strdup_printf (_("Consultation – %s"), who);
  if (self->session_count > 0)
    /* Translators: calendar title without the condition or name: "Treatment 2/4 – Z. M." */
    return g_strdup_printf (_("Treatment %u/%u – %s"), self->session_index, self->session_count, who);
  /* Translators: a single appointment: "Appointment – Z. M." */
  return g_strdup_printf (_("Appointment – %s"), who);
}

int
derm_appointment_compare_start (gconstpointer a,
                                gconstpointer b)
{
  DermAppointment *x = *(DermAppointment * const *) a;
  DermAppointment *y = *(DermAppointment * const *) b;
  gint64 sx = derm_appointment_get_start_unix (x);
  gint64 sy = derm_appointment_get_start_unix (y);

  if (sx != sy)
    return sx < sy ? -1 : 1;
  if (x->id != y->id)
    return x->id < y->id ? -1 : 1;
  return 0;
}

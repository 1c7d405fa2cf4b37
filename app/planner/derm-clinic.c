/* derm-clinic.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-clinic"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "derm-clinic.h"
#include "derm-validate.h"

#define N_WEEKDAYS 7

struct _DermClinic
{
  GObject          parent_instance;

  char            *time_zone_id;
  GTimeZone       *time_zone;
  guint            slot_step;
  gboolean         export_full_names;
  DermOpeningSpan  hours[N_WEEKDAYS][DERM_CLINIC_MAX_SPANS];
  guint            n_hours[N_WEEKDAYS];
  GHashTable      *closed;          /* julian day -> label (never NULL) */
  GStrv            rooms;
  GStrv            practitioners;
};

G_DEFINE_FINAL_TYPE (DermClinic, derm_clinic, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIME_ZONE_ID,
  PROP_SLOT_STEP,
  PROP_ROOMS,
  PROP_PRACTITIONERS,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
emit_changed (DermClinic *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
derm_clinic_finalize (GObject *object)
{
  DermClinic *self = (DermClinic *) object;

  g_clear_pointer (&self->time_zone_id, g_free);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->closed, g_hash_table_unref);
  g_clear_pointer (&self->rooms, g_strfreev);
  g_clear_pointer (&self->practitioners, g_strfreev);

  G_OBJECT_CLASS (derm_clinic_parent_class)->finalize (object);
}

static void
derm_clinic_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DermClinic *self = DERM_CLINIC (object);

  switch (prop_id)
    {
    case PROP_TIME_ZONE_ID:
      g_value_set_string (value, self->time_zone_id);
      break;
    case PROP_SLOT_STEP:
      g_value_set_uint (value, self->slot_step);
      break;
    case PROP_ROOMS:
      g_value_set_boxed (value, self->rooms);
      break;
    case PROP_PRACTITIONERS:
      g_value_set_boxed (value, self->practitioners);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_clinic_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DermClinic *self = DERM_CLINIC (object);

  switch (prop_id)
    {
    case PROP_TIME_ZONE_ID:
      derm_clinic_set_time_zone_id (self, g_value_get_string (value));
      break;
    case PROP_SLOT_STEP:
      derm_clinic_set_slot_step (self, g_value_get_uint (value));
      break;
    case PROP_ROOMS:
      derm_clinic_set_rooms (self, g_value_get_boxed (value));
      break;
    case PROP_PRACTITIONERS:
      derm_clinic_set_practitioners (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_clinic_class_init (DermClinicClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_clinic_finalize;
  object_class->get_property = derm_clinic_get_property;
  object_class->set_property = derm_clinic_set_property;

  properties[PROP_TIME_ZONE_ID] =
    g_param_spec_string ("time-zone-id", NULL, NULL, "UTC", flags);
  properties[PROP_SLOT_STEP] =
    g_param_spec_uint ("slot-step", NULL, NULL, 5, 120, 15, flags);
  properties[PROP_ROOMS] =
    g_param_spec_boxed ("rooms", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_PRACTITIONERS] =
    g_param_spec_boxed ("practitioners", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

char *
derm_clinic_dup_system_zone_id (void)
{
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  const char *id = g_time_zone_get_identifier (local);
  g_autoptr (GTimeZone) check = NULL;

  /* "Local" or a path cannot be stored and reopened elsewhere */
  if (id != NULL && strchr (id, '/') != NULL && id[0] != '/' &&
      (check = g_time_zone_new_identifier (id)) != NULL)
    return g_strdup (id);
  if (id != NULL && g_str_equal (id, "UTC"))
    return g_strdup (id);
  return g_strdup ("UTC");
}

static void
derm_clinic_init (DermClinic *self)
{
  g_autofree char *room = g_strdup (_("Room 1"));
  const char *rooms[] = { room, NULL };

  self->time_zone_id = derm_clinic_dup_system_zone_id ();
  self->time_zone = g_time_zone_new_identifier (self->time_zone_id);
  if (self->time_zone == NULL)
    self->time_zone = g_time_zone_new_utc ();
  self->slot_step = 15;
  self->closed = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->rooms = g_strdupv ((char **) rooms);
  self->practitioners = g_new0 (char *, 1);

  for (int day = G_DATE_MONDAY; day <= G_DATE_FRIDAY; day++)
    {
      self->hours[day - 1][0] = (DermOpeningSpan) { 9 * 60, 18 * 60 };
      self->n_hours[day - 1] = 1;
    }
  self->hours[G_DATE_SATURDAY - 1][0] = (DermOpeningSpan) { 9 * 60, 13 * 60 };
  self->n_hours[G_DATE_SATURDAY - 1] = 1;
}

DermClinic *
derm_clinic_new (void)
{
  return g_object_new (DERM_TYPE_CLINIC, NULL);
}

DermClinic *
derm_clinic_copy (DermClinic *self)
{
  DermClinic *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (DERM_IS_CLINIC (self), NULL);

  copy = derm_clinic_new ();
  derm_clinic_set_time_zone_id (copy, self->time_zone_id);
  copy->slot_step = self->slot_step;
  copy->export_full_names = self->export_full_names;
  memcpy (copy->hours, self->hours, sizeof self->hours);
  memcpy (copy->n_hours, self->n_hours, sizeof self->n_hours);
  g_hash_table_iter_init (&iter, self->closed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->closed, key, g_strdup (value));
  derm_clinic_set_rooms (copy, (const char * const *) self->rooms);
  derm_clinic_set_practitioners (copy, (const char * const *) self->practitioners);
  return copy;
}

const char *
derm_clinic_get_time_zone_id (DermClinic *self)
{
  g_return_val_if_fail (DERM_IS_CLINIC (self), NULL);
  return self->time_zone_id;
}

gboolean
derm_clinic_set_time_zone_id (DermClinic *self,
                              const char *id)
{
  GTimeZone *tz;

  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);

  if (id == NULL || id[0] == '\0')
    return FALSE;
  if (g_strcmp0 (self->time_zone_id, id) == 0)
    return TRUE;
  tz = g_time_zone_new_identifier (id);
  if (tz == NULL)
    return FALSE;

  g_time_zone_unref (self->time_zone);
  self->time_zone = tz;
  g_free (self->time_zone_id);
  self->time_zone_id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_ZONE_ID]);
  emit_changed (self);
  return TRUE;
}

GTimeZone *
derm_clinic_get_time_zone (DermClinic *self)
{
  g_return_val_if_fail (DERM_IS_CLINIC (self), NULL);
  return self->time_zone;
}

gboolean
derm_clinic_get_export_full_names (DermClinic *self)
{
  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);
  return self->export_full_names;
}

void
derm_clinic_set_export_full_names (DermClinic *self,
                                   gboolean    full)
{
  g_return_if_fail (DERM_IS_CLINIC (self));
  self->export_full_names = full != FALSE;
}

guint
derm_clinic_get_slot_step (DermClinic *self)
{
  g_return_val_if_fail (DERM_IS_CLINIC (self), 15);
  return self->slot_step;
}

void
derm_clinic_set_slot_step (DermClinic *self,
                           guint       minutes)
{
  g_return_if_fail (DERM_IS_CLINIC (self));

  minutes = CLAMP (minutes, 5, 120);
  if (self->slot_step == minutes)
    return;
  self->slot_step = minutes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOT_STEP]);
  emit_changed (self);
}

const DermOpeningSpan *
derm_clinic_get_hours (DermClinic   *self,
                       GDateWeekday  weekday,
                       guint        *n_spans)
{
  g_return_val_if_fail (DERM_IS_CLINIC (self), NULL);
  g_return_val_if_fail (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, NULL);
  g_return_val_if_fail (n_spans != NULL, NULL);

  *n_spans = self->n_hours[weekday - 1];
  return self->hours[weekday - 1];
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const DermOpeningSpan *x = a;
  const DermOpeningSpan *y = b;

  return (int) x->open - (int) y->open;
}

gboolean
derm_clinic_set_hours (DermClinic            *self,
                       GDateWeekday           weekday,
                       const DermOpeningSpan *spans,
                       guint                  n_spans,
                       GError               **error)
{
  DermOpeningSpan sorted[DERM_CLINIC_MAX_SPANS];

  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);
  g_return_val_if_fail (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, FALSE);
  g_return_val_if_fail (spans != NULL || n_spans == 0, FALSE);

  if (n_spans > DERM_CLINIC_MAX_SPANS)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("Opening hours can have at most %d periods a day."), DERM_CLINIC_MAX_SPANS);
      return FALSE;
    }

  if (n_spans > 0)
    memcpy (sorted, spans, n_spans * sizeof *spans);
  qsort (sorted, n_spans, sizeof *sorted, compare_spans);

  for (guint i = 0; i < n_spans; i++)
    {
      if (sorted[i].open >= sorted[i].close || sorted[i].close > 24 * 60)
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                       _("Opening hours: each period must close after it opens, by midnight."));
          return FALSE;
        }
      if (i > 0 && sorted[i].open < sorted[i - 1].close)
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                       _("Opening hours: the periods of a day must not overlap."));
          return FALSE;
        }
    }

  if (self->n_hours[weekday - 1] == n_spans &&
      (n_spans == 0 || memcmp (self->hours[weekday - 1], sorted, n_spans * sizeof *sorted) == 0))
    return TRUE;

  memset (self->hours[weekday - 1], 0, sizeof self->hours[weekday - 1]);
  if (n_spans > 0)
    memcpy (self->hours[weekday - 1], sorted, n_spans * sizeof *sorted);
  self->n_hours[weekday - 1] = n_spans;
  emit_changed (self);
  return TRUE;
}

char *
derm_clinic_dup_hours_string (DermClinic   *self,
                              GDateWeekday  weekday)
{
  GString *text = g_string_new (NULL);
  guint n;
  const DermOpeningSpan *spans = derm_clinic_get_hours (self, weekday, &n);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%02u:%02u-%02u:%02u", i > 0 ? "," : "",
                            spans[i].open / 60, spans[i].open % 60,
                            spans[i].close / 60, spans[i].close % 60);
  return g_string_free (text, FALSE);
}

static gboolean
parse_hhmm (const char *text,
            guint16    *out)
{
  guint minutes;

  /* A closing time may be the end of the day */
  if (g_str_equal (text, "24:00"))
    minutes = 24 * 60;
  else if (!derm_time_parse (text, &minutes))
    return FALSE;
  *out = (guint16) minutes;
  return TRUE;
}

gboolean
derm_clinic_set_hours_string (DermClinic    *self,
                              GDateWeekday   weekday,
                              const char    *text,
                              GError       **error)
{
  DermOpeningSpan spans[DERM_CLINIC_MAX_SPANS];
  g_auto (GStrv) parts = NULL;
  guint n = 0;

  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);

  if (text == NULL || text[0] == '\0' || g_ascii_strcasecmp (text, "closed") == 0)
    return derm_clinic_set_hours (self, weekday, NULL, 0, error);

  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto (GStrv) ends = g_strsplit (g_strstrip (parts[i]), "-", -1);

      if (n == DERM_CLINIC_MAX_SPANS || g_strv_length (ends) != 2 ||
          !parse_hhmm (g_strstrip (ends[0]), &spans[n].open) ||
          !parse_hhmm (g_strstrip (ends[1]), &spans[n].close))
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                       _("Opening hours “%s” are not understood. Write them as 09:00-13:00,14:00-19:00."),
                       text);
          return FALSE;
        }
      n++;
    }
  return derm_clinic_set_hours (self, weekday, spans, n, error);
}

void
derm_clinic_add_closed_date (DermClinic  *self,
                             const GDate *date,
                             const char  *label)
{
  guint julian;
  const char *old;

  g_return_if_fail (DERM_IS_CLINIC (self));
  g_return_if_fail (date != NULL && g_date_valid (date));

  julian = g_date_get_julian (date);
  old = g_hash_table_lookup (self->closed, GUINT_TO_POINTER (julian));
  if (label == NULL)
    label = "";
  if (old != NULL && g_str_equal (old, label))
    return;
  g_hash_table_insert (self->closed, GUINT_TO_POINTER (julian), g_strdup (label));
  emit_changed (self);
}

gboolean
derm_clinic_remove_closed_date (DermClinic  *self,
                                const GDate *date)
{
  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  if (!g_hash_table_remove (self->closed, GUINT_TO_POINTER (g_date_get_julian (date))))
    return FALSE;
  emit_changed (self);
  return TRUE;
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

GStrv
derm_clinic_dup_closed_dates (DermClinic *self)
{
  g_autoptr (GArray) days = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer key;
  GStrv result;

  g_return_val_if_fail (DERM_IS_CLINIC (self), NULL);

  g_hash_table_iter_init (&iter, self->closed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint julian = GPOINTER_TO_UINT (key);
      g_array_append_val (days, julian);
    }
  g_array_sort (days, compare_uint);

  result = g_new0 (char *, days->len + 1);
  for (guint i = 0; i < days->len; i++)
    {
      GDate date;

      g_date_clear (&date, 1);
      g_date_set_julian (&date, g_array_index (days, guint, i));
      result[i] = derm_date_format (&date);
    }
  return result;
}

const char *
derm_clinic_get_closed_label (DermClinic  *self,
                              const GDate *date)
{
  g_return_val_if_fail (DERM_IS_CLINIC (self), NULL);
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_hash_table_lookup (self->closed, GUINT_TO_POINTER (g_date_get_julian (date)));
}

gboolean
derm_clinic_is_open_on (DermClinic  *self,
                        const GDate *date)
{
  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  if (self->n_hours[g_date_get_weekday (date) - 1] == 0)
    return FALSE;
  return !g_hash_table_contains (self->closed, GUINT_TO_POINTER (g_date_get_julian (date)));
}

gboolean
derm_clinic_is_within_hours (DermClinic *self,
                             GDateTime  *start,
                             guint       minutes)
{
  g_autoptr (GDateTime) local = NULL;
  GDate date;
  guint n, from, to;
  const DermOpeningSpan *spans;

  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);
  g_return_val_if_fail (start != NULL, FALSE);

  local = g_date_time_to_timezone (start, self->time_zone);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (local),
                  g_date_time_get_month (local), g_date_time_get_year (local));
  if (!derm_clinic_is_open_on (self, &date))
    return FALSE;

  /* Wall-clock minutes: opening hours are wall-clock times */
  from = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  to = from + minutes;
  spans = derm_clinic_get_hours (self, g_date_get_weekday (&date), &n);
  for (guint i = 0; i < n; i++)
    {
      if (from >= spans[i].open && to <= spans[i].close)
        return TRUE;
    }
  return FALSE;
}

static GStrv
clean_names (const char * const *names)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *name = g_strstrip (g_strdup (names[i]));
      gboolean seen = FALSE;

      if (name[0] == '\0')
        continue;
      for (guint j = 0; j < i && !seen; j++)
        {
          g_autofree char *other = g_strstrip (g_strdup (names[j]));
          seen = g_str_equal (other, name);
        }
      if (!seen)
        g_strv_builder_add (builder, name);
    }
  return g_strv_builder_end (builder);
}

static void
set_names (DermClinic          *self,
           GStrv               *field,
           const char * const  *names,
           guint                prop_id)
{
  g_auto (GStrv) cleaned = clean_names (names);

  if (g_strv_equal ((const char * const *) *field, (const char * const *) cleaned))
    return;
  g_strfreev (*field);
  *field = g_steal_pointer (&cleaned);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  emit_changed (self);
}

const char * const *
derm_clinic_get_rooms (DermClinic *self)
{
  g_return_val_if_fail (DERM_IS_CLINIC (self), NULL);
  return (const char * const *) self->rooms;
}

void
derm_clinic_set_rooms (DermClinic         *self,
                       const char * const *rooms)
{
  g_return_if_fail (DERM_IS_CLINIC (self));
  set_names (self, &self->rooms, rooms, PROP_ROOMS);
}

const char * const *
derm_clinic_get_practitioners (DermClinic *self)
{
  g_return_val_if_fail (DERM_IS_CLINIC (self), NULL);
  return (const char * const *) self->practitioners;
}

void
derm_clinic_set_practitioners (DermClinic         *self,
                               const char * const *practitioners)
{
  g_return_if_fail (DERM_IS_CLINIC (self));
  set_names (self, &self->practitioners, practitioners, PROP_PRACTITIONERS);
}

gboolean
derm_clinic_has_room (DermClinic *self,
                      const char *room)
{
  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);
  return room != NULL && g_strv_contains ((const char * const *) self->rooms, room);
}

gboolean
derm_clinic_has_practitioner (DermClinic *self,
                              const char *practitioner)
{
  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);
  return practitioner != NULL &&
         g_strv_contains ((const char * const *) self->practitioners, practitioner);
}

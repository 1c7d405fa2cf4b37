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
  GHashTable      *availability;    /* practitioner name -> Availability */
};

/* A practitioner's own week: per weekday the clinic's hours (n_hours
 * -1), a day off (0) or their own spans; and their leave */
typedef struct
{
  DermOpeningSpan  hours[N_WEEKDAYS][DERM_CLINIC_MAX_SPANS];
  int              n_hours[N_WEEKDAYS];
  GHashTable      *leave;           /* julian day -> label (never NULL) */
} Availability;

static Availability *
availability_new (void)
{
  Availability *a = g_new0 (Availability, 1);

  for (guint i = 0; i < N_WEEKDAYS; i++)
    a->n_hours[i] = -1;
  a->leave = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  return a;
}

static void
availability_free (gpointer data)
{
  Availability *a = data;

  g_hash_table_unref (a->leave);
  g_free (a);
}

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
  g_clear_pointer (&self->availability, g_hash_table_unref);

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
  self->availability = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, availability_free);

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
  g_hash_table_iter_init (&iter, self->availability);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Availability *from = value;
      Availability *to = availability_new ();
      GHashTableIter leave;
      gpointer day, label;

      memcpy (to->hours, from->hours, sizeof from->hours);
      memcpy (to->n_hours, from->n_hours, sizeof from->n_hours);
      g_hash_table_iter_init (&leave, from->leave);
      while (g_hash_table_iter_next (&leave, &day, &label))
        g_hash_table_insert (to->leave, day, g_strdup (label));
      g_hash_table_insert (copy->availability, g_strdup (key), to);
    }
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

/* Sorts @spans into @sorted; FALSE when they cannot be a day's hours */
static gboolean
sort_spans (const DermOpeningSpan *spans,
            guint                  n_spans,
            DermOpeningSpan       *sorted,
            GError               **error)
{
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
  return TRUE;
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

  if (!sort_spans (spans, n_spans, sorted, error))
    return FALSE;

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

static char *
spans_to_string (const DermOpeningSpan *spans,
                 guint                  n)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%02u:%02u-%02u:%02u", i > 0 ? "," : "",
                            spans[i].open / 60, spans[i].open % 60,
                            spans[i].close / 60, spans[i].close % 60);
  return g_string_free (text, FALSE);
}

char *
derm_clinic_dup_hours_string (DermClinic   *self,
                              GDateWeekday  weekday)
{
  guint n;
  const DermOpeningSpan *spans = derm_clinic_get_hours (self, weekday, &n);

  return spans_to_string (spans, n);
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

/* "09:00-13:00,14:00-19:00" into @spans; "" or "closed" is no span */
static gboolean
parse_spans (const char      *text,
             DermOpeningSpan *spans,
             guint           *n_out,
             GError         **error)
{
  g_auto (GStrv) parts = NULL;
  guint n = 0;

  *n_out = 0;
  if (text == NULL || text[0] == '\0' || g_ascii_strcasecmp (text, "closed") == 0)
    return TRUE;

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
  *n_out = n;
  return TRUE;
}

gboolean
derm_clinic_set_hours_string (DermClinic    *self,
                              GDateWeekday   weekday,
                              const char    *text,
                              GError       **error)
{
  DermOpeningSpan spans[DERM_CLINIC_MAX_SPANS];
  guint n;

  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);

  return parse_spans (text, spans, &n, error) &&
         derm_clinic_set_hours (self, weekday, spans, n, error);
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

static GStrv julian_days_to_strv (GHashTable *days_table);

GStrv
derm_clinic_dup_closed_dates (DermClinic *self)
{
  g_return_val_if_fail (DERM_IS_CLINIC (self), NULL);

  return julian_days_to_strv (self->closed);
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
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (DERM_IS_CLINIC (self));
  set_names (self, &self->practitioners, practitioners, PROP_PRACTITIONERS);

  /* A practitioner who leaves takes their hours and leave along */
  g_hash_table_iter_init (&iter, self->availability);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_strv_contains ((const char * const *) self->practitioners, key))
      g_hash_table_iter_remove (&iter);
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

/* --- practitioners' hours and leave ------------------------------------- */

static Availability *
ensure_availability (DermClinic  *self,
                     const char  *practitioner,
                     GError     **error)
{
  Availability *a;

  if (!derm_clinic_has_practitioner (self, practitioner))
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("There is no practitioner “%s”. Add them first."), practitioner != NULL ? practitioner : "");
      return NULL;
    }
  if ((a = g_hash_table_lookup (self->availability, practitioner)) == NULL)
    {
      a = availability_new ();
      g_hash_table_insert (self->availability, g_strdup (practitioner), a);
    }
  return a;
}

gboolean
derm_clinic_get_practitioner_hours (DermClinic             *self,
                                    const char             *practitioner,
                                    GDateWeekday            weekday,
                                    const DermOpeningSpan **spans,
                                    guint                  *n_spans)
{
  Availability *a;

  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);
  g_return_val_if_fail (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, FALSE);

  a = practitioner != NULL ? g_hash_table_lookup (self->availability, practitioner) : NULL;
  if (a == NULL || a->n_hours[weekday - 1] < 0)
    {
      if (spans != NULL)
        *spans = self->hours[weekday - 1];
      if (n_spans != NULL)
        *n_spans = self->n_hours[weekday - 1];
      return FALSE;
    }
  if (spans != NULL)
    *spans = a->hours[weekday - 1];
  if (n_spans != NULL)
    *n_spans = (guint) a->n_hours[weekday - 1];
  return TRUE;
}

char *
derm_clinic_dup_practitioner_hours_string (DermClinic   *self,
                                           const char   *practitioner,
                                           GDateWeekday  weekday)
{
  const DermOpeningSpan *spans;
  guint n;

  g_return_val_if_fail (DERM_IS_CLINIC (self), NULL);

  if (!derm_clinic_get_practitioner_hours (self, practitioner, weekday, &spans, &n))
    return NULL;
  return spans_to_string (spans, n);
}

gboolean
derm_clinic_set_practitioner_hours_string (DermClinic    *self,
                                           const char    *practitioner,
                                           GDateWeekday   weekday,
                                           const char    *text,
                                           GError       **error)
{
  DermOpeningSpan spans[DERM_CLINIC_MAX_SPANS];
  DermOpeningSpan sorted[DERM_CLINIC_MAX_SPANS];
  Availability *a;
  guint n = 0;
  int n_new;

  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);
  g_return_val_if_fail (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, FALSE);

  if (text != NULL && g_ascii_strcasecmp (text, "off") == 0)
    text = "";
  if (text != NULL && !(parse_spans (text, spans, &n, error) && sort_spans (spans, n, sorted, error)))
    return FALSE;
  if ((a = ensure_availability (self, practitioner, error)) == NULL)
    return FALSE;

  n_new = text == NULL ? -1 : (int) n;
  if (a->n_hours[weekday - 1] == n_new &&
      (n_new <= 0 || memcmp (a->hours[weekday - 1], sorted, n * sizeof *sorted) == 0))
    return TRUE;
  memset (a->hours[weekday - 1], 0, sizeof a->hours[weekday - 1]);
  if (n_new > 0)
    memcpy (a->hours[weekday - 1], sorted, n * sizeof *sorted);
  a->n_hours[weekday - 1] = n_new;
  emit_changed (self);
  return TRUE;
}

gboolean
derm_clinic_add_practitioner_leave (DermClinic   *self,
                                    const char   *practitioner,
                                    const GDate  *date,
                                    const char   *label,
                                    GError      **error)
{
  Availability *a;
  const char *old;
  guint julian;

  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  if ((a = ensure_availability (self, practitioner, error)) == NULL)
    return FALSE;
  julian = g_date_get_julian (date);
  old = g_hash_table_lookup (a->leave, GUINT_TO_POINTER (julian));
  if (label == NULL)
    label = "";
  if (old != NULL && g_str_equal (old, label))
    return TRUE;
  g_hash_table_insert (a->leave, GUINT_TO_POINTER (julian), g_strdup (label));
  emit_changed (self);
  return TRUE;
}

gboolean
derm_clinic_remove_practitioner_leave (DermClinic  *self,
                                       const char  *practitioner,
                                       const GDate *date)
{
  Availability *a;

  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  a = practitioner != NULL ? g_hash_table_lookup (self->availability, practitioner) : NULL;
  if (a == NULL || !g_hash_table_remove (a->leave, GUINT_TO_POINTER (g_date_get_julian (date))))
    return FALSE;
  emit_changed (self);
  return TRUE;
}

static GStrv
julian_days_to_strv (GHashTable *days_table)
{
  g_autoptr (GArray) days = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer key;
  GStrv result;

  g_hash_table_iter_init (&iter, days_table);
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

GStrv
derm_clinic_dup_practitioner_leave (DermClinic *self,
                                    const char *practitioner)
{
  Availability *a;

  g_return_val_if_fail (DERM_IS_CLINIC (self), NULL);

  a = practitioner != NULL ? g_hash_table_lookup (self->availability, practitioner) : NULL;
  if (a == NULL)
    return g_new0 (char *, 1);
  return julian_days_to_strv (a->leave);
}

const char *
derm_clinic_get_practitioner_leave_label (DermClinic  *self,
                                          const char  *practitioner,
                                          const GDate *date)
{
  Availability *a;

  g_return_val_if_fail (DERM_IS_CLINIC (self), NULL);
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  a = practitioner != NULL ? g_hash_table_lookup (self->availability, practitioner) : NULL;
  if (a == NULL)
    return NULL;
  return g_hash_table_lookup (a->leave, GUINT_TO_POINTER (g_date_get_julian (date)));
}

gboolean
derm_clinic_is_practitioner_available (DermClinic *self,
                                       const char *practitioner,
                                       GDateTime  *start,
                                       guint       minutes)
{
  g_autoptr (GDateTime) local = NULL;
  const DermOpeningSpan *spans;
  Availability *a;
  GDate date;
  guint n, from, to;

  g_return_val_if_fail (DERM_IS_CLINIC (self), FALSE);
  g_return_val_if_fail (start != NULL, FALSE);

  /* No one named, or someone without hours or leave of their own: the
   * clinic's hours decide alone */
  if (practitioner == NULL ||
      (a = g_hash_table_lookup (self->availability, practitioner)) == NULL)
    return TRUE;

  local = g_date_time_to_timezone (start, self->time_zone);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (local),
                  g_date_time_get_month (local), g_date_time_get_year (local));
  if (g_hash_table_contains (a->leave, GUINT_TO_POINTER (g_date_get_julian (&date))))
    return FALSE;
  if (a->n_hours[g_date_get_weekday (&date) - 1] < 0)
    return TRUE;

  from = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  to = from + minutes;
  spans = a->hours[g_date_get_weekday (&date) - 1];
  n = (guint) a->n_hours[g_date_get_weekday (&date) - 1];
  for (guint i = 0; i < n; i++)
    if (from >= spans[i].open && to <= spans[i].close)
      return TRUE;
  return FALSE;
}

/* derm-treatment.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-treatment"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "derm-treatment.h"
#include "derm-validate.h"

typedef struct
{
  char   *zone;
  double  mm;
} DermDepth;

struct _DermTreatment
{
  GObject   parent_instance;

  gint64    id;
  gint64    client_id;
  char     *date;
  char     *practitioner;
  char     *areas;
  char     *device;
  char     *cartridge_lot;
  guint     passes;
  char     *topical;
  char     *anaesthetic;
  char     *immediate_response;
  gboolean  aftercare_given;
  char     *notes;
  char     *override_reason;
  char     *cautions_acknowledged;
  char     *created_at;
  char     *updated_at;

  GArray   *depths;  /* of DermDepth, in the order they were set */
};

G_DEFINE_FINAL_TYPE (DermTreatment, derm_treatment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CLIENT_ID,
  PROP_DATE,
  PROP_PRACTITIONER,
  PROP_AREAS,
  PROP_DEVICE,
  PROP_CARTRIDGE_LOT,
  PROP_PASSES,
  PROP_TOPICAL,
  PROP_ANAESTHETIC,
  PROP_IMMEDIATE_RESPONSE,
  PROP_AFTERCARE_GIVEN,
  PROP_NOTES,
  PROP_OVERRIDE_REASON,
  PROP_CAUTIONS_ACKNOWLEDGED,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

enum {
  DEPTHS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
derm_depth_clear (gpointer data)
{
  DermDepth *depth = data;

  g_clear_pointer (&depth->zone, g_free);
}

static GArray *
depth_array_new (void)
{
  GArray *array = g_array_new (FALSE, FALSE, sizeof (DermDepth));

  g_array_set_clear_func (array, derm_depth_clear);

  return array;
}

/* Empty strings are stored as NULL; TRUE when the value changed */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

static void
derm_treatment_finalize (GObject *object)
{
  DermTreatment *self = (DermTreatment *)object;

  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->practitioner, g_free);
  g_clear_pointer (&self->areas, g_free);
  g_clear_pointer (&self->device, g_free);
  g_clear_pointer (&self->cartridge_lot, g_free);
  g_clear_pointer (&self->topical, g_free);
  g_clear_pointer (&self->anaesthetic, g_free);
  g_clear_pointer (&self->immediate_response, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->override_reason, g_free);
  g_clear_pointer (&self->cautions_acknowledged, g_free);
  g_clear_pointer (&self->created_at, g_free);
  g_clear_pointer (&self->updated_at, g_free);
  g_clear_pointer (&self->depths, g_array_unref);

  G_OBJECT_CLASS (derm_treatment_parent_class)->finalize (object);
}

static void
derm_treatment_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DermTreatment *self = DERM_TREATMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_CLIENT_ID:
      g_value_set_int64 (value, self->client_id);
      break;

    case PROP_DATE:
      g_value_set_string (value, self->date);
      break;

    case PROP_PRACTITIONER:
      g_value_set_string (value, self->practitioner);
      break;

    case PROP_AREAS:
      g_value_set_string (value, self->areas);
      break;

    case PROP_DEVICE:
      g_value_set_string (value, self->device);
      break;

    case PROP_CARTRIDGE_LOT:
      g_value_set_string (value, self->cartridge_lot);
      break;

    case PROP_PASSES:
      g_value_set_uint (value, self->passes);
      break;

    case PROP_TOPICAL:
      g_value_set_string (value, self->topical);
      break;

    case PROP_ANAESTHETIC:
      g_value_set_string (value, self->anaesthetic);
      break;

    case PROP_IMMEDIATE_RESPONSE:
      g_value_set_string (value, self->immediate_response);
      break;

    case PROP_AFTERCARE_GIVEN:
      g_value_set_boolean (value, self->aftercare_given);
      break;

    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;

    case PROP_OVERRIDE_REASON:
      g_value_set_string (value, self->override_reason);
      break;

    case PROP_CAUTIONS_ACKNOWLEDGED:
      g_value_set_string (value, self->cautions_acknowledged);
      break;

    case PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_string (value, self->updated_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_treatment_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DermTreatment *self = DERM_TREATMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      derm_treatment_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_CLIENT_ID:
      derm_treatment_set_client_id (self, g_value_get_int64 (value));
      break;

    case PROP_DATE:
      derm_treatment_set_date (self, g_value_get_string (value));
      break;

    case PROP_PRACTITIONER:
      derm_treatment_set_practitioner (self, g_value_get_string (value));
      break;

    case PROP_AREAS:
      derm_treatment_set_areas (self, g_value_get_string (value));
      break;

    case PROP_DEVICE:
      derm_treatment_set_device (self, g_value_get_string (value));
      break;

    case PROP_CARTRIDGE_LOT:
      derm_treatment_set_cartridge_lot (self, g_value_get_string (value));
      break;

    case PROP_PASSES:
      derm_treatment_set_passes (self, g_value_get_uint (value));
      break;

    case PROP_TOPICAL:
      derm_treatment_set_topical (self, g_value_get_string (value));
      break;

    case PROP_ANAESTHETIC:
      derm_treatment_set_anaesthetic (self, g_value_get_string (value));
      break;

    case PROP_IMMEDIATE_RESPONSE:
      derm_treatment_set_immediate_response (self, g_value_get_string (value));
      break;

    case PROP_AFTERCARE_GIVEN:
      derm_treatment_set_aftercare_given (self, g_value_get_boolean (value));
      break;

    case PROP_NOTES:
      derm_treatment_set_notes (self, g_value_get_string (value));
      break;

    case PROP_OVERRIDE_REASON:
      derm_treatment_set_override_reason (self, g_value_get_string (value));
      break;

    case PROP_CAUTIONS_ACKNOWLEDGED:
      derm_treatment_set_cautions_acknowledged (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      derm_treatment_set_created_at (self, g_value_get_string (value));
      break;

    case PROP_UPDATED_AT:
      derm_treatment_set_updated_at (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_treatment_class_init (DermTreatmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_treatment_finalize;
  object_class->get_property = derm_treatment_get_property;
  object_class->set_property = derm_treatment_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_CLIENT_ID] =
    g_param_spec_int64 ("client-id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_DATE] =
    g_param_spec_string ("date", NULL, NULL, NULL, rw);
  properties[PROP_PRACTITIONER] =
    g_param_spec_string ("practitioner", NULL, NULL, NULL, rw);
  properties[PROP_AREAS] =
    g_param_spec_string ("areas", NULL, NULL, NULL, rw);
  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, NULL, rw);
  properties[PROP_CARTRIDGE_LOT] =
    g_param_spec_string ("cartridge-lot", NULL, NULL, NULL, rw);
  properties[PROP_PASSES] =
    g_param_spec_uint ("passes", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_TOPICAL] =
    g_param_spec_string ("topical", NULL, NULL, NULL, rw);
  properties[PROP_ANAESTHETIC] =
    g_param_spec_string ("anaesthetic", NULL, NULL, NULL, rw);
  properties[PROP_IMMEDIATE_RESPONSE] =
    g_param_spec_string ("immediate-response", NULL, NULL, NULL, rw);
  properties[PROP_AFTERCARE_GIVEN] =
    g_param_spec_boolean ("aftercare-given", NULL, NULL, FALSE, rw);
  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL, NULL, rw);
  properties[PROP_OVERRIDE_REASON] =
    g_param_spec_string ("override-reason", NULL, NULL, NULL, rw);
  properties[PROP_CAUTIONS_ACKNOWLEDGED] =
    g_param_spec_string ("cautions-acknowledged", NULL, NULL, NULL, rw);
  properties[PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL, NULL, rw);
  properties[PROP_UPDATED_AT] =
    g_param_spec_string ("updated-at", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DermTreatment::depths-changed:
   *
   * Emitted after a needle depth was set, replaced or removed.
   */
  signals[DEPTHS_CHANGED] =
    g_signal_new ("depths-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
derm_treatment_init (DermTreatment *self)
{
  self->depths = depth_array_new ();
}

DermTreatment *
derm_treatment_new (void)
{
  return g_object_new (DERM_TYPE_TREATMENT, NULL);
}

/**
 * derm_treatment_copy:
 * @self: a #DermTreatment
 *
 * Returns: (transfer full): a new treatment with every field and depth
 *   of @self, including its id
 */
DermTreatment *
derm_treatment_copy (DermTreatment *self)
{
  DermTreatment *copy;

  g_return_val_if_fail (DERM_IS_TREATMENT (self), NULL);

  copy = derm_treatment_new ();
  copy->id = self->id;
  copy->client_id = self->client_id;
  copy->date = g_strdup (self->date);
  copy->practitioner = g_strdup (self->practitioner);
  copy->areas = g_strdup (self->areas);
  copy->device = g_strdup (self->device);
  copy->cartridge_lot = g_strdup (self->cartridge_lot);
  copy->passes = self->passes;
  copy->topical = g_strdup (self->topical);
  copy->anaesthetic = g_strdup (self->anaesthetic);
  copy->immediate_response = g_strdup (self->immediate_response);
  copy->aftercare_given = self->aftercare_given;
  copy->notes = g_strdup (self->notes);
  copy->override_reason = g_strdup (self->override_reason);
  copy->cautions_acknowledged = g_strdup (self->cautions_acknowledged);
  copy->created_at = g_strdup (self->created_at);
  copy->updated_at = g_strdup (self->updated_at);

  for (guint i = 0; i < self->depths->len; i++)
    {
      const DermDepth *depth = &g_array_index (self->depths, DermDepth, i);
      DermDepth dup = { g_strdup (depth->zone), depth->mm };

      g_array_append_val (copy->depths, dup);
    }

  return copy;
}

#define DEFINE_STRING_GETTER(name)                                          \
const char *                                                                 \
derm_treatment_get_##name (DermTreatment *self)                              \
{                                                                            \
  g_return_val_if_fail (DERM_IS_TREATMENT (self), NULL);                     \
  return self->name;                                                         \
}

DEFINE_STRING_GETTER (date)
DEFINE_STRING_GETTER (practitioner)
DEFINE_STRING_GETTER (areas)
DEFINE_STRING_GETTER (device)
DEFINE_STRING_GETTER (cartridge_lot)
DEFINE_STRING_GETTER (topical)
DEFINE_STRING_GETTER (anaesthetic)
DEFINE_STRING_GETTER (immediate_response)
DEFINE_STRING_GETTER (notes)
DEFINE_STRING_GETTER (override_reason)
DEFINE_STRING_GETTER (cautions_acknowledged)
DEFINE_STRING_GETTER (created_at)
DEFINE_STRING_GETTER (updated_at)

#undef DEFINE_STRING_GETTER

static void
set_string_property (DermTreatment  *self,
                     char          **field,
                     const char     *value,
                     guint           prop_id)
{
  if (set_string (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
derm_treatment_set_date (DermTreatment *self,
                         const char    *date)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  set_string_property (self, &self->date, date, PROP_DATE);
}

void
derm_treatment_set_practitioner (DermTreatment *self,
                                 const char    *name)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  set_string_property (self, &self->practitioner, name, PROP_PRACTITIONER);
}

void
derm_treatment_set_areas (DermTreatment *self,
                          const char    *areas)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  set_string_property (self, &self->areas, areas, PROP_AREAS);
}

void
derm_treatment_set_device (DermTreatment *self,
                           const char    *device)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  set_string_property (self, &self->device, device, PROP_DEVICE);
}

void
derm_treatment_set_cartridge_lot (DermTreatment *self,
                                  const char    *lot)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  set_string_property (self, &self->cartridge_lot, lot, PROP_CARTRIDGE_LOT);
}

void
derm_treatment_set_topical (DermTreatment *self,
                            const char    *topical)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  set_string_property (self, &self->topical, topical, PROP_TOPICAL);
}

void
derm_treatment_set_anaesthetic (DermTreatment *self,
                                const char    *anaesthetic)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  set_string_property (self, &self->anaesthetic, anaesthetic, PROP_ANAESTHETIC);
}

void
derm_treatment_set_immediate_response (DermTreatment *self,
                                       const char    *response)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  set_string_property (self, &self->immediate_response, response, PROP_IMMEDIATE_RESPONSE);
}

void
derm_treatment_set_notes (DermTreatment *self,
                          const char    *notes)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  set_string_property (self, &self->notes, notes, PROP_NOTES);
}

void
derm_treatment_set_override_reason (DermTreatment *self,
                                    const char    *reason)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  set_string_property (self, &self->override_reason, reason, PROP_OVERRIDE_REASON);
}

void
derm_treatment_set_cautions_acknowledged (DermTreatment *self,
                                          const char    *codes)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  set_string_property (self, &self->cautions_acknowledged, codes, PROP_CAUTIONS_ACKNOWLEDGED);
}

void
derm_treatment_set_created_at (DermTreatment *self,
                               const char    *timestamp)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  set_string_property (self, &self->created_at, timestamp, PROP_CREATED_AT);
}

void
derm_treatment_set_updated_at (DermTreatment *self,
                               const char    *timestamp)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  set_string_property (self, &self->updated_at, timestamp, PROP_UPDATED_AT);
}

gint64
derm_treatment_get_id (DermTreatment *self)
{
  g_return_val_if_fail (DERM_IS_TREATMENT (self), 0);

  return self->id;
}

void
derm_treatment_set_id (DermTreatment *self,
                       gint64         id)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));
  g_return_if_fail (id >= 0);

  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
}

gint64
derm_treatment_get_client_id (DermTreatment *self)
{
  g_return_val_if_fail (DERM_IS_TREATMENT (self), 0);

  return self->client_id;
}

void
derm_treatment_set_client_id (DermTreatment *self,
                              gint64         client_id)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));
  g_return_if_fail (client_id >= 0);

  if (self->client_id != client_id)
    {
      self->client_id = client_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_ID]);
    }
}

guint
derm_treatment_get_passes (DermTreatment *self)
{
  g_return_val_if_fail (DERM_IS_TREATMENT (self), 0);

  return self->passes;
}

void
derm_treatment_set_passes (DermTreatment *self,
                           guint          passes)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  if (self->passes != passes)
    {
      self->passes = passes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSES]);
    }
}

gboolean
derm_treatment_get_aftercare_given (DermTreatment *self)
{
  g_return_val_if_fail (DERM_IS_TREATMENT (self), FALSE);

  return self->aftercare_given;
}

void
derm_treatment_set_aftercare_given (DermTreatment *self,
                                    gboolean       given)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  given = !!given;

  if (self->aftercare_given != given)
    {
      self->aftercare_given = given;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AFTERCARE_GIVEN]);
    }
}

guint
derm_treatment_get_n_depths (DermTreatment *self)
{
  g_return_val_if_fail (DERM_IS_TREATMENT (self), 0);

  return self->depths->len;
}

const char *
derm_treatment_get_depth_zone (DermTreatment *self,
                               guint          index)
{
  g_return_val_if_fail (DERM_IS_TREATMENT (self), NULL);
  g_return_val_if_fail (index < self->depths->len, NULL);

  return g_array_index (self->depths, DermDepth, index).zone;
}

double
derm_treatment_get_depth_mm (DermTreatment *self,
                             guint          index)
{
  g_return_val_if_fail (DERM_IS_TREATMENT (self), 0.0);
  g_return_val_if_fail (index < self->depths->len, 0.0);

  return g_array_index (self->depths, DermDepth, index).mm;
}

/* Index of @zone in @depths compared case-insensitively, or -1 */
static int
find_zone (GArray     *depths,
           const char *zone)
{
  g_autofree char *folded = g_utf8_casefold (zone, -1);

  for (guint i = 0; i < depths->len; i++)
    {
      g_autofree char *other = g_utf8_casefold (g_array_index (depths, DermDepth, i).zone, -1);

      if (strcmp (folded, other) == 0)
        return (int) i;
    }

  return -1;
}

/* Sets or replaces; TRUE when @depths changed */
static gboolean
depths_set (GArray     *depths,
            const char *zone,
            double      depth_mm)
{
  int index = find_zone (depths, zone);

  if (index >= 0)
    {
      DermDepth *depth = &g_array_index (depths, DermDepth, index);

      /* The latest spelling of the zone wins, in the same position */
      if (depth->mm == depth_mm && strcmp (depth->zone, zone) == 0)
        return FALSE;

      depth->mm = depth_mm;
      if (strcmp (depth->zone, zone) != 0)
        {
          g_free (depth->zone);
          depth->zone = g_strdup (zone);
        }
    }
  else
    {
      DermDepth depth = { g_strdup (zone), depth_mm };

      g_array_append_val (depths, depth);
    }

  return TRUE;
}

/**
 * derm_treatment_set_depth:
 * @self: a #DermTreatment
 * @zone: a non-empty zone name
 * @depth_mm: the needle depth in millimetres
 *
 * The range is not checked here: derm_validate_treatment() reports an
 * out-of-range depth in words before anything is saved.
 */
void
derm_treatment_set_depth (DermTreatment *self,
                          const char    *zone,
                          double         depth_mm)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));
  g_return_if_fail (zone != NULL && zone[0] != '\0');
  g_return_if_fail (isfinite (depth_mm));

  if (depths_set (self->depths, zone, depth_mm))
    g_signal_emit (self, signals[DEPTHS_CHANGED], 0);
}

gboolean
derm_treatment_remove_depth (DermTreatment *self,
                             const char    *zone)
{
  int index;

  g_return_val_if_fail (DERM_IS_TREATMENT (self), FALSE);
  g_return_val_if_fail (zone != NULL, FALSE);

  index = find_zone (self->depths, zone);
  if (index < 0)
    return FALSE;

  g_array_remove_index (self->depths, index);
  g_signal_emit (self, signals[DEPTHS_CHANGED], 0);

  return TRUE;
}

void
derm_treatment_clear_depths (DermTreatment *self)
{
  g_return_if_fail (DERM_IS_TREATMENT (self));

  if (self->depths->len == 0)
    return;

  g_array_set_size (self->depths, 0);
  g_signal_emit (self, signals[DEPTHS_CHANGED], 0);
}

/* "0.5", "1", "2.25": at most two decimals, no trailing zeros, in the
 * user's locale since this is for display. */
static char *
format_mm (double mm)
{
  double hundredths = round (mm * 100.0);

  if (fmod (hundredths, 100.0) == 0.0)
    return g_strdup_printf ("%.0f", hundredths / 100.0);
  else if (fmod (hundredths, 10.0) == 0.0)
    return g_strdup_printf ("%.1f", hundredths / 100.0);
  else
    return g_strdup_printf ("%.2f", hundredths / 100.0);
}

char *
derm_treatment_format_depths (DermTreatment *self)
{
  GString *str;

  g_return_val_if_fail (DERM_IS_TREATMENT (self), g_strdup (""));

  str = g_string_new (NULL);

  for (guint i = 0; i < self->depths->len; i++)
    {
      const DermDepth *depth = &g_array_index (self->depths, DermDepth, i);
      g_autofree char *mm = format_mm (depth->mm);

      if (i > 0)
        g_string_append (str, ", ");
      /* Translators: a needle depth in a list, e.g. "forehead 0.5 mm" */
      g_string_append_printf (str, _("%s %s mm"), depth->zone, mm);
    }

  return g_string_free (str, FALSE);
}

/* Parses "0.5" or "0.5 mm" in the C locale; no sign beyond a leading
 * one, no exponent, no hex, no nan or inf. */
static gboolean
parse_mm (const char *text,
          double     *out)
{
  g_autofree char *number = g_strstrip (g_strdup (text));
  gsize len = strlen (number);
  char *end = NULL;
  double value;

  if (len >= 2 && g_ascii_strcasecmp (number + len - 2, "mm") == 0)
    {
      number[len - 2] = '\0';
      g_strchomp (number);
    }

  if (number[0] == '\0')
    return FALSE;

  for (const char *p = number; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p) || *p == '.')
        continue;
      if ((*p == '-' || *p == '+') && p == number)
        continue;
      return FALSE;
    }

  value = g_ascii_strtod (number, &end);
  if (end == number || *end != '\0' || !isfinite (value))
    return FALSE;

  *out = value;

  return TRUE;
}

gboolean
derm_treatment_parse_depths (DermTreatment  *self,
                             const char     *text,
                             GError        **error)
{
  g_autoptr(GArray) depths = NULL;
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (DERM_IS_TREATMENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  depths = depth_array_new ();
  items = g_strsplit (text != NULL ? text : "", ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *sep;
      const char *zone;
      double mm;

      /* Tolerate "forehead=0.5," and doubled commas */
      if (item[0] == '\0')
        continue;

      sep = strpbrk (item, "=:");
      if (sep == NULL)
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                       _("Needle depth “%s” needs a zone and a depth in millimetres, "
                         "written like forehead=0.5."),
                       item);
          return FALSE;
        }

      *sep = '\0';
      zone = g_strstrip (item);

      if (zone[0] == '\0')
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                       _("Needle depth “=%s” has no zone. Write the zone before the "
                         "depth, like forehead=0.5."),
                       g_strstrip (sep + 1));
          return FALSE;
        }

      if (!parse_mm (sep + 1, &mm))
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                       _("Needle depth for %s: “%s” is not a depth in millimetres. "
                         "Write a number like 0.5."),
                       zone, g_strstrip (sep + 1));
          return FALSE;
        }

      if (!derm_validate_depth (zone, mm, error))
        return FALSE;

      if (find_zone (depths, zone) >= 0)
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                       _("Needle depth for %s is given twice. Give each zone once."),
                       zone);
          return FALSE;
        }

      depths_set (depths, zone, mm);
    }

  g_clear_pointer (&self->depths, g_array_unref);
  self->depths = g_steal_pointer (&depths);
  g_signal_emit (self, signals[DEPTHS_CHANGED], 0);

  return TRUE;
}

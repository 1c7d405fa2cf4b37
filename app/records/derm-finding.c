/* derm-finding.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-finding"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-finding.h"

struct _DermFinding
{
  GObject       parent_instance;

  DermSeverity  severity;
  char         *code;
  char         *reason;
  char         *until;
};

G_DEFINE_FINAL_TYPE (DermFinding, derm_finding, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SEVERITY,
  PROP_CODE,
  PROP_REASON,
  PROP_UNTIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
derm_severity_to_key (DermSeverity severity)
{
  switch (severity)
    {
    case DERM_SEVERITY_CONTRAINDICATION:
      return "contraindication";
    case DERM_SEVERITY_CAUTION:
      return "caution";
    case DERM_SEVERITY_INFO:
      return "info";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
derm_severity_to_label (DermSeverity severity)
{
  switch (severity)
    {
    case DERM_SEVERITY_CONTRAINDICATION:
      return _("Contraindication");
    case DERM_SEVERITY_CAUTION:
      return _("Caution");
    case DERM_SEVERITY_INFO:
      return _("Note");
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
derm_finding_finalize (GObject *object)
{
  DermFinding *self = (DermFinding *)object;

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->until, g_free);

  G_OBJECT_CLASS (derm_finding_parent_class)->finalize (object);
}

static void
derm_finding_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DermFinding *self = DERM_FINDING (object);

  switch (prop_id)
    {
    case PROP_SEVERITY:
      g_value_set_int (value, self->severity);
      break;

    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;

    case PROP_UNTIL:
      g_value_set_string (value, self->until);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_finding_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DermFinding *self = DERM_FINDING (object);
  const char *str;

  switch (prop_id)
    {
    case PROP_SEVERITY:
      self->severity = (DermSeverity) g_value_get_int (value);
      break;

    case PROP_CODE:
      self->code = g_value_dup_string (value);
      break;

    case PROP_REASON:
      self->reason = g_value_dup_string (value);
      break;

    case PROP_UNTIL:
      /* Empty means it does not lapse, like NULL */
      str = g_value_get_string (value);
      self->until = (str != NULL && str[0] != '\0') ? g_strdup (str) : NULL;
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_finding_class_init (DermFindingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_finding_finalize;
  object_class->get_property = derm_finding_get_property;
  object_class->set_property = derm_finding_set_property;

  /* An int rather than an enum: DermSeverity has no registered GType */
  properties[PROP_SEVERITY] =
    g_param_spec_int ("severity", NULL, NULL,
                      DERM_SEVERITY_CONTRAINDICATION, DERM_SEVERITY_INFO,
                      DERM_SEVERITY_INFO, flags);
  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL, flags);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  properties[PROP_UNTIL] =
    g_param_spec_string ("until", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_finding_init (DermFinding *self)
{
}

/**
 * derm_finding_new:
 * @severity: how much the finding matters
 * @code: a stable machine key, e.g. "isotretinoin-recent"
 * @reason: the translated plain-language sentence
 * @until: (nullable): the ISO date the finding stops applying
 *
 * Returns: (transfer full): a new #DermFinding
 */
DermFinding *
derm_finding_new (DermSeverity  severity,
                  const char   *code,
                  const char   *reason,
                  const char   *until)
{
  g_return_val_if_fail (severity == DERM_SEVERITY_CONTRAINDICATION ||
                        severity == DERM_SEVERITY_CAUTION ||
                        severity == DERM_SEVERITY_INFO, NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (reason != NULL, NULL);

  return g_object_new (DERM_TYPE_FINDING,
                       "severity", (int) severity,
                       "code", code,
                       "reason", reason,
                       "until", until,
                       NULL);
}

DermSeverity
derm_finding_get_severity (DermFinding *self)
{
  g_return_val_if_fail (DERM_IS_FINDING (self), DERM_SEVERITY_INFO);

  return self->severity;
}

const char *
derm_finding_get_code (DermFinding *self)
{
  g_return_val_if_fail (DERM_IS_FINDING (self), NULL);

  return self->code;
}

const char *
derm_finding_get_reason (DermFinding *self)
{
  g_return_val_if_fail (DERM_IS_FINDING (self), NULL);

  return self->reason;
}

const char *
derm_finding_get_until (DermFinding *self)
{
  g_return_val_if_fail (DERM_IS_FINDING (self), NULL);

  return self->until;
}

/* derm-due-item.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-due-item"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-due-item.h"

struct _DermDueItem
{
  GObject      parent_instance;

  DermDueKind  kind;
  DermSeries  *series;
  guint        session_index;
  char        *due_from;
  char        *due_until;
};

G_DEFINE_FINAL_TYPE (DermDueItem, derm_due_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_SERIES,
  PROP_SESSION_INDEX,
  PROP_DUE_FROM,
  PROP_DUE_UNTIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
derm_due_kind_to_key (DermDueKind kind)
{
  switch (kind)
    {
    case DERM_DUE_SOON:      return "due";
    case DERM_DUE_OVERDUE:   return "overdue";
    case DERM_DUE_FOLLOW_UP: return "follow-up";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
derm_due_kind_to_label (DermDueKind kind)
{
  switch (kind)
    {
    case DERM_DUE_SOON:      return _("Due soon");
    case DERM_DUE_OVERDUE:   return _("Overdue");
    case DERM_DUE_FOLLOW_UP: return _("Follow-up photo due");
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
derm_due_item_finalize (GObject *object)
{
  DermDueItem *self = (DermDueItem *) object;

  g_clear_object (&self->series);
  g_clear_pointer (&self->due_from, g_free);
  g_clear_pointer (&self->due_until, g_free);

  G_OBJECT_CLASS (derm_due_item_parent_class)->finalize (object);
}

static void
derm_due_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DermDueItem *self = DERM_DUE_ITEM (object);

  switch (prop_id)
    {
    case PROP_KIND:          g_value_set_int (value, self->kind); break;
    case PROP_SERIES:        g_value_set_object (value, self->series); break;
    case PROP_SESSION_INDEX: g_value_set_uint (value, self->session_index); break;
    case PROP_DUE_FROM:      g_value_set_string (value, self->due_from); break;
    case PROP_DUE_UNTIL:     g_value_set_string (value, self->due_until); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_due_item_class_init (DermDueItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_due_item_finalize;
  object_class->get_property = derm_due_item_get_property;

  /* An int rather than an enum, like DermFinding's severity */
  properties[PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, DERM_DUE_SOON, DERM_DUE_FOLLOW_UP,
                                            DERM_DUE_SOON, flags);
  properties[PROP_SERIES] = g_param_spec_object ("series", NULL, NULL, DERM_TYPE_SERIES, flags);
  properties[PROP_SESSION_INDEX] = g_param_spec_uint ("session-index", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_DUE_FROM] = g_param_spec_string ("due-from", NULL, NULL, NULL, flags);
  properties[PROP_DUE_UNTIL] = g_param_spec_string ("due-until", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_due_item_init (DermDueItem *self)
{
}

DermDueItem *
derm_due_item_new (DermDueKind  kind,
                   DermSeries  *series,
                   guint        session_index,
                   const char  *due_from,
                   const char  *due_until)
{
  DermDueItem *self;

  g_return_val_if_fail (DERM_IS_SERIES (series), NULL);

  self = g_object_new (DERM_TYPE_DUE_ITEM, NULL);
  self->kind = kind;
  self->series = g_object_ref (series);
  self->session_index = session_index;
  self->due_from = g_strdup (due_from);
  self->due_until = g_strdup (due_until);
  return self;
}

DermDueKind
derm_due_item_get_kind (DermDueItem *self)
{
  g_return_val_if_fail (DERM_IS_DUE_ITEM (self), DERM_DUE_SOON);
  return self->kind;
}

DermSeries *
derm_due_item_get_series (DermDueItem *self)
{
  g_return_val_if_fail (DERM_IS_DUE_ITEM (self), NULL);
  return self->series;
}

guint
derm_due_item_get_session_index (DermDueItem *self)
{
  g_return_val_if_fail (DERM_IS_DUE_ITEM (self), 0);
  return self->session_index;
}

const char *
derm_due_item_get_due_from (DermDueItem *self)
{
  g_return_val_if_fail (DERM_IS_DUE_ITEM (self), NULL);
  return self->due_from;
}

const char *
derm_due_item_get_due_until (DermDueItem *self)
{
  g_return_val_if_fail (DERM_IS_DUE_ITEM (self), NULL);
  return self->due_until;
}

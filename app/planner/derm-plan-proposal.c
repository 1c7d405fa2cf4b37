/* derm-plan-proposal.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-plan-proposal"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-plan-proposal.h"

typedef struct
{
  DermAppointment  *item;
  DermAppointment  *original;
  DermPlanFlags     flags;
  DermPlanProblems  problems;
  char             *message;
} Item;

struct _DermPlanProposal
{
  GObject               parent_instance;

  DermPlanProposalKind  kind;
  DermSeries           *series;
  char                 *blocked_reason;
  char                 *blocked_until;
  GArray               *items;   /* of Item */
  GPtrArray            *context; /* of DermAppointment */
};

G_DEFINE_FINAL_TYPE (DermPlanProposal, derm_plan_proposal, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BLOCKED,
  PROP_BLOCKED_REASON,
  PROP_BLOCKED_UNTIL,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
item_clear (gpointer data)
{
  Item *item = data;

  g_clear_object (&item->item);
  g_clear_object (&item->original);
  g_clear_pointer (&item->message, g_free);
}

static void
derm_plan_proposal_finalize (GObject *object)
{
  DermPlanProposal *self = (DermPlanProposal *) object;

  g_clear_object (&self->series);
  g_clear_pointer (&self->blocked_reason, g_free);
  g_clear_pointer (&self->blocked_until, g_free);
  g_clear_pointer (&self->items, g_array_unref);
  g_clear_pointer (&self->context, g_ptr_array_unref);

  G_OBJECT_CLASS (derm_plan_proposal_parent_class)->finalize (object);
}

static void
derm_plan_proposal_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DermPlanProposal *self = DERM_PLAN_PROPOSAL (object);

  switch (prop_id)
    {
    case PROP_BLOCKED:
      g_value_set_boolean (value, self->blocked_reason != NULL);
      break;
    case PROP_BLOCKED_REASON:
      g_value_set_string (value, self->blocked_reason);
      break;
    case PROP_BLOCKED_UNTIL:
      g_value_set_string (value, self->blocked_until);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_plan_proposal_class_init (DermPlanProposalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_plan_proposal_finalize;
  object_class->get_property = derm_plan_proposal_get_property;

  properties[PROP_BLOCKED] = g_param_spec_boolean ("blocked", NULL, NULL, FALSE, flags);
  properties[PROP_BLOCKED_REASON] = g_param_spec_string ("blocked-reason", NULL, NULL, NULL, flags);
  properties[PROP_BLOCKED_UNTIL] = g_param_spec_string ("blocked-until", NULL, NULL, NULL, flags);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_plan_proposal_init (DermPlanProposal *self)
{
  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (self->items, item_clear);
}

DermPlanProposal *
derm_plan_proposal_new (DermPlanProposalKind  kind,
                        DermSeries           *series)
{
  DermPlanProposal *self;

  g_return_val_if_fail (series == NULL || DERM_IS_SERIES (series), NULL);

  self = g_object_new (DERM_TYPE_PLAN_PROPOSAL, NULL);
  self->kind = kind;
  self->series = series != NULL ? g_object_ref (series) : NULL;
  return self;
}

DermPlanProposalKind
derm_plan_proposal_get_kind (DermPlanProposal *self)
{
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), DERM_PLAN_PROPOSAL_SERIES);
  return self->kind;
}

DermSeries *
derm_plan_proposal_get_series (DermPlanProposal *self)
{
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), NULL);
  return self->series;
}

gboolean
derm_plan_proposal_get_blocked (DermPlanProposal *self)
{
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), FALSE);
  return self->blocked_reason != NULL;
}

const char *
derm_plan_proposal_get_blocked_reason (DermPlanProposal *self)
{
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), NULL);
  return self->blocked_reason;
}

void
derm_plan_proposal_set_blocked (DermPlanProposal *self,
                                const char       *reason)
{
  gboolean was_blocked;

  g_return_if_fail (DERM_IS_PLAN_PROPOSAL (self));

  if (g_strcmp0 (self->blocked_reason, reason) == 0)
    return;
  was_blocked = self->blocked_reason != NULL;
  g_free (self->blocked_reason);
  self->blocked_reason = g_strdup (reason);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKED_REASON]);
  if (was_blocked != (reason != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKED]);
}

const char *
derm_plan_proposal_get_blocked_until (DermPlanProposal *self)
{
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), NULL);
  return self->blocked_until;
}

void
derm_plan_proposal_set_blocked_until (DermPlanProposal *self,
                                      const char       *until)
{
  g_return_if_fail (DERM_IS_PLAN_PROPOSAL (self));

  if (g_strcmp0 (self->blocked_until, until) == 0)
    return;
  g_free (self->blocked_until);
  self->blocked_until = g_strdup (until);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKED_UNTIL]);
}

guint
derm_plan_proposal_get_n_items (DermPlanProposal *self)
{
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), 0);
  return self->items->len;
}

static Item *
get_item (DermPlanProposal *self,
          guint             index)
{
  return &g_array_index (self->items, Item, index);
}

DermAppointment *
derm_plan_proposal_get_item (DermPlanProposal *self,
                             guint             index)
{
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return get_item (self, index)->item;
}

DermAppointment *
derm_plan_proposal_get_original (DermPlanProposal *self,
                                 guint             index)
{
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return get_item (self, index)->original;
}

DermPlanFlags
derm_plan_proposal_get_flags (DermPlanProposal *self,
                              guint             index)
{
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), 0);
  g_return_val_if_fail (index < self->items->len, 0);
  return get_item (self, index)->flags;
}

DermPlanProblems
derm_plan_proposal_get_problems (DermPlanProposal *self,
                                 guint             index)
{
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), 0);
  g_return_val_if_fail (index < self->items->len, 0);
  return get_item (self, index)->problems;
}

const char *
derm_plan_proposal_get_message (DermPlanProposal *self,
                                guint             index)
{
  Item *item;

  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);

  item = get_item (self, index);
  return item->message != NULL ? item->message : "";
}

guint
derm_plan_proposal_add_item (DermPlanProposal *self,
                             DermAppointment  *item,
                             DermAppointment  *original,
                             DermPlanFlags     flags)
{
  Item entry = { 0 };

  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), 0);
  g_return_val_if_fail (DERM_IS_APPOINTMENT (item), 0);
  g_return_val_if_fail (original == NULL || DERM_IS_APPOINTMENT (original), 0);

  entry.item = g_object_ref (item);
  entry.original = original != NULL ? g_object_ref (original) : NULL;
  entry.flags = flags;
  g_array_append_val (self->items, entry);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  return self->items->len - 1;
}

void
derm_plan_proposal_set_flags (DermPlanProposal *self,
                              guint             index,
                              DermPlanFlags     flags)
{
  g_return_if_fail (DERM_IS_PLAN_PROPOSAL (self));
  g_return_if_fail (index < self->items->len);
  get_item (self, index)->flags = flags;
}

void
derm_plan_proposal_set_problems (DermPlanProposal *self,
                                 guint             index,
                                 DermPlanProblems  problems,
                                 const char       *message)
{
  Item *item;

  g_return_if_fail (DERM_IS_PLAN_PROPOSAL (self));
  g_return_if_fail (index < self->items->len);

  item = get_item (self, index);
  item->problems = problems;
  g_free (item->message);
  item->message = g_strdup (message);
}

GPtrArray *
derm_plan_proposal_get_context (DermPlanProposal *self)
{
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), NULL);
  return self->context;
}

void
derm_plan_proposal_set_context (DermPlanProposal *self,
                                GPtrArray        *appointments)
{
  g_return_if_fail (DERM_IS_PLAN_PROPOSAL (self));

  if (appointments != NULL)
    g_ptr_array_ref (appointments);
  g_clear_pointer (&self->context, g_ptr_array_unref);
  self->context = appointments;
}

gboolean
derm_plan_proposal_is_bookable (DermPlanProposal *self)
{
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (self), FALSE);

  if (self->blocked_reason != NULL || self->items->len == 0)
    return FALSE;
  for (guint i = 0; i < self->items->len; i++)
    if (get_item (self, i)->problems != DERM_PLAN_PROBLEM_NONE)
      return FALSE;
  return TRUE;
}

static void
append (GString    *text,
        const char *part)
{
  if (text->len > 0)
    g_string_append (text, ", ");
  g_string_append (text, part);
}

char *
derm_plan_flags_to_string (DermPlanFlags flags)
{
  GString *text = g_string_new (NULL);

  if (flags & DERM_PLAN_FLAG_CHANGED)
    append (text, _("changed"));
  if (flags & DERM_PLAN_FLAG_NEW)
    append (text, _("replaces a missed session"));
  if (flags & DERM_PLAN_FLAG_SHIFTED)
    append (text, _("shifted to keep the minimum interval"));
  if (flags & DERM_PLAN_FLAG_EARLIER_THAN_DEFAULT)
    append (text, _("earlier than the usual interval"));
  if (flags & DERM_PLAN_FLAG_LATER_THAN_DEFAULT)
    append (text, _("later than the usual interval"));
  if (flags & DERM_PLAN_FLAG_BEYOND_MAX)
    append (text, _("later than the maximum interval: no earlier slot was free"));
  if (flags & DERM_PLAN_FLAG_DELAYED_BY_FINDING)
    append (text, _("delayed by a contraindication"));
  if ((flags & DERM_PLAN_FLAG_RESCREEN_FIRST) && (flags & DERM_PLAN_FLAG_NEVER_SCREENED))
    append (text, _("screen first: the client has never been screened"));
  else if (flags & DERM_PLAN_FLAG_RESCREEN_FIRST)
    append (text, _("re-screen first"));
  return g_string_free (text, FALSE);
}

GStrv
derm_plan_problems_to_keys (DermPlanProblems problems)
{
  static const char * const keys[] = {
    "closed-day", "outside-hours", "room-taken", "practitioner-taken", "too-soon",
    "contraindicated", "unknown-room", "unknown-practitioner", "overlaps-series",
    "no-start", "in-past", "off-step", "client-busy", "other-series",
    "follow-up-early", "too-close-next", "practitioner-away",
  };
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint bit = 0; bit < G_N_ELEMENTS (keys); bit++)
    if (problems & (1u << bit))
      g_strv_builder_add (builder, keys[bit]);
  return g_strv_builder_end (builder);
}

char *
derm_plan_problems_to_string (DermPlanProblems problems)
{
  GString *text = g_string_new (NULL);

  if (problems & DERM_PLAN_PROBLEM_NO_START)
    append (text, _("no date and time"));
  if (problems & DERM_PLAN_PROBLEM_CLOSED_DAY)
    append (text, _("the clinic is closed that day"));
  if (problems & DERM_PLAN_PROBLEM_OUTSIDE_HOURS)
    append (text, _("outside opening hours"));
  if (problems & DERM_PLAN_PROBLEM_ROOM_TAKEN)
    append (text, _("the room is taken"));
  if (problems & DERM_PLAN_PROBLEM_PRACTITIONER_TAKEN)
    append (text, _("the practitioner is busy"));
  if (problems & DERM_PLAN_PROBLEM_TOO_SOON)
    append (text, _("too soon after the previous session"));
  if (problems & DERM_PLAN_PROBLEM_CONTRAINDICATED)
    append (text, _("inside a contraindication window"));
  if (problems & DERM_PLAN_PROBLEM_UNKNOWN_ROOM)
    append (text, _("unknown room"));
  if (problems & DERM_PLAN_PROBLEM_UNKNOWN_PRACTITIONER)
    append (text, _("unknown practitioner"));
  if (problems & DERM_PLAN_PROBLEM_OVERLAPS_SERIES)
    append (text, _("overlaps another appointment of this plan"));
  if (problems & DERM_PLAN_PROBLEM_IN_PAST)
    append (text, _("in the past: record past treatments as sessions"));
  if (problems & DERM_PLAN_PROBLEM_OFF_STEP)
    append (text, _("not on the clinic’s time step"));
  if (problems & DERM_PLAN_PROBLEM_CLIENT_BUSY)
    append (text, _("the client has another appointment then"));
  if (problems & DERM_PLAN_PROBLEM_OTHER_SERIES)
    append (text, _("too close to a session of the client’s other series"));
  if (problems & DERM_PLAN_PROBLEM_FOLLOW_UP_EARLY)
    append (text, _("the follow-up photo would come too soon after the last session"));
  if (problems & DERM_PLAN_PROBLEM_TOO_CLOSE_NEXT)
    append (text, _("too close before the next session"));
  if (problems & DERM_PLAN_PROBLEM_PRACTITIONER_AWAY)
    append (text, _("the practitioner is on leave or does not work then"));
  return g_string_free (text, FALSE);
}

/* derm-plan-proposal.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the planner proposes, as plain data the UI shows and the user
 * adjusts before anything is booked: either a whole new series, or the
 * rescheduling of an existing one after an appointment was moved,
 * cancelled or missed. Items are DermAppointment objects the UI may edit
 * (start, room, practitioner); derm_planner_check_proposal() then
 * refreshes each item's problems. Nothing here touches the store:
 * derm_store_book_proposal() books it, re-checking inside its transaction.
 */
#pragma once

#include <glib-object.h>

#include "derm-appointment.h"
#include "derm-series.h"

G_BEGIN_DECLS

typedef enum
{
  DERM_PLAN_PROPOSAL_SERIES     = 0,  /* a new series: the series and its appointments are new */
  DERM_PLAN_PROPOSAL_RESCHEDULE = 1,  /* changes to a booked series */
} DermPlanProposalKind;

/* Why an item is where it is: information for the user, not problems */
typedef enum
{
  DERM_PLAN_FLAG_NONE                = 0,
  DERM_PLAN_FLAG_EARLIER_THAN_DEFAULT = 1 << 0,  /* between the minimum and the default interval */
  DERM_PLAN_FLAG_LATER_THAN_DEFAULT  = 1 << 1,  /* between the default and the maximum interval */
  DERM_PLAN_FLAG_BEYOND_MAX          = 1 << 2,  /* nothing fitted within the maximum interval */
  DERM_PLAN_FLAG_DELAYED_BY_FINDING  = 1 << 3,  /* a contraindication window pushed it back */
  DERM_PLAN_FLAG_RESCREEN_FIRST      = 1 << 4,  /* re-screen the client before this session */
  DERM_PLAN_FLAG_CHANGED             = 1 << 5,  /* reschedule: the booked appointment, changed */
  DERM_PLAN_FLAG_NEW                 = 1 << 6,  /* reschedule: a new appointment replacing a missed one */
  DERM_PLAN_FLAG_SHIFTED             = 1 << 7,  /* reschedule: moved to keep the minimum interval */
  DERM_PLAN_FLAG_NEVER_SCREENED      = 1 << 8,  /* with RESCREEN_FIRST: there is no screening at all ("screen first") */
} DermPlanFlags;

/* What would stop an item from being booked as it stands */
typedef enum
{
  DERM_PLAN_PROBLEM_NONE               = 0,
  DERM_PLAN_PROBLEM_CLOSED_DAY         = 1 << 0,  /* closed weekday or closed date */
  DERM_PLAN_PROBLEM_OUTSIDE_HOURS      = 1 << 1,
  DERM_PLAN_PROBLEM_ROOM_TAKEN         = 1 << 2,
  DERM_PLAN_PROBLEM_PRACTITIONER_TAKEN = 1 << 3,
  DERM_PLAN_PROBLEM_TOO_SOON           = 1 << 4,  /* less than the minimum interval after the previous session */
  DERM_PLAN_PROBLEM_CONTRAINDICATED    = 1 << 5,  /* inside a contraindication window */
  DERM_PLAN_PROBLEM_UNKNOWN_ROOM       = 1 << 6,
  DERM_PLAN_PROBLEM_UNKNOWN_PRACTITIONER = 1 << 7,
  DERM_PLAN_PROBLEM_OVERLAPS_SERIES    = 1 << 8,  /* overlaps another item of the same proposal */
  DERM_PLAN_PROBLEM_NO_START           = 1 << 9,  /* the start is unset */
  DERM_PLAN_PROBLEM_IN_PAST            = 1 << 10, /* starts before now: history is recorded as sessions */
  DERM_PLAN_PROBLEM_OFF_STEP           = 1 << 11, /* not on the clinic's slot step */
  DERM_PLAN_PROBLEM_CLIENT_BUSY        = 1 << 12, /* the client has another appointment then */
  DERM_PLAN_PROBLEM_OTHER_SERIES       = 1 << 13, /* within the minimum interval of a session of another series */
  DERM_PLAN_PROBLEM_FOLLOW_UP_EARLY    = 1 << 14, /* follow-up photo before the last session + its delay */
  DERM_PLAN_PROBLEM_TOO_CLOSE_NEXT     = 1 << 15, /* less than the minimum interval before the next session */
  DERM_PLAN_PROBLEM_PRACTITIONER_AWAY  = 1 << 16, /* on leave that day, or not working those hours */
} DermPlanProblems;

#define DERM_TYPE_PLAN_PROPOSAL (derm_plan_proposal_get_type ())
G_DECLARE_FINAL_TYPE (DermPlanProposal, derm_plan_proposal, DERM, PLAN_PROPOSAL, GObject)

/* Made by the planner; exposed for tests and the store */
DermPlanProposal   *derm_plan_proposal_new               (DermPlanProposalKind kind,
                                                          DermSeries          *series);

DermPlanProposalKind derm_plan_proposal_get_kind         (DermPlanProposal *self);
/* (transfer none) the new series (SERIES) or the series being changed
 * (RESCHEDULE); the store sets its id when booking a new one */
DermSeries         *derm_plan_proposal_get_series        (DermPlanProposal *self);

/* A contraindication without an end date: nothing can be booked and the
 * reason says why; the proposal then has no items */
gboolean            derm_plan_proposal_get_blocked       (DermPlanProposal *self);
const char         *derm_plan_proposal_get_blocked_reason (DermPlanProposal *self);
void                derm_plan_proposal_set_blocked       (DermPlanProposal *self,
                                                          const char       *reason);
/* ISO date before which a contraindication blocks treatment, NULL when none */
const char         *derm_plan_proposal_get_blocked_until (DermPlanProposal *self);
void                derm_plan_proposal_set_blocked_until (DermPlanProposal *self,
                                                          const char       *until);

guint               derm_plan_proposal_get_n_items       (DermPlanProposal *self);
/* (transfer none) the proposed appointment; editable */
DermAppointment    *derm_plan_proposal_get_item          (DermPlanProposal *self,
                                                          guint             index);
/* (transfer none) RESCHEDULE: the appointment as booked before the
 * change; NULL for new items */
DermAppointment    *derm_plan_proposal_get_original      (DermPlanProposal *self,
                                                          guint             index);
DermPlanFlags       derm_plan_proposal_get_flags         (DermPlanProposal *self,
                                                          guint             index);
DermPlanProblems    derm_plan_proposal_get_problems      (DermPlanProposal *self,
                                                          guint             index);
/* A translated sentence explaining flags and problems; "" when none */
const char         *derm_plan_proposal_get_message       (DermPlanProposal *self,
                                                          guint             index);
/* Adds an item (taking a reference on both); returns its index */
guint               derm_plan_proposal_add_item          (DermPlanProposal *self,
                                                          DermAppointment  *item,
                                                          DermAppointment  *original,
                                                          DermPlanFlags     flags);
void                derm_plan_proposal_set_flags         (DermPlanProposal *self,
                                                          guint             index,
                                                          DermPlanFlags     flags);
void                derm_plan_proposal_set_problems      (DermPlanProposal *self,
                                                          guint             index,
                                                          DermPlanProblems  problems,
                                                          const char       *message);
/* RESCHEDULE: the series' appointments as booked, which interval checks
 * need besides the items; (transfer none) NULL for a new series */
GPtrArray          *derm_plan_proposal_get_context       (DermPlanProposal *self);
void                derm_plan_proposal_set_context       (DermPlanProposal *self,
                                                          GPtrArray        *appointments);
/* Not blocked, at least one item, and no item with problems */
gboolean            derm_plan_proposal_is_bookable       (DermPlanProposal *self);

/* Translated text for flags and problems, comma-separated; newly allocated */
char               *derm_plan_flags_to_string            (DermPlanFlags    flags);
char               *derm_plan_problems_to_string         (DermPlanProblems problems);
/* Stable keys for JSON ("closed-day", "outside-hours", "room-taken", ...),
 * one per problem bit, in bit order; (transfer full) never NULL */
GStrv               derm_plan_problems_to_keys           (DermPlanProblems problems);

G_END_DECLS

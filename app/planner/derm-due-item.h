/* derm-due-item.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row of the Due list: a series whose next session falls due soon
 * and is not booked, one that is overdue, or a completed series due its
 * follow-up photo. Made by derm_planner_list_due().
 */
#pragma once

#include <glib-object.h>

#include "derm-series.h"

G_BEGIN_DECLS

typedef enum
{
  DERM_DUE_SOON      = 0,  /* next session due within the horizon, not booked */
  DERM_DUE_OVERDUE   = 1,  /* past the maximum interval, not booked */
  DERM_DUE_FOLLOW_UP = 2,  /* series completed, follow-up photo due and not booked */
} DermDueKind;

/* "due", "overdue", "follow-up" */
const char  *derm_due_kind_to_key   (DermDueKind kind);
const char  *derm_due_kind_to_label (DermDueKind kind);

#define DERM_TYPE_DUE_ITEM (derm_due_item_get_type ())
G_DECLARE_FINAL_TYPE (DermDueItem, derm_due_item, DERM, DUE_ITEM, GObject)

/* @due_from and @due_until are ISO dates: the window the session (or
 * photo) should happen in */
DermDueItem  *derm_due_item_new              (DermDueKind  kind,
                                              DermSeries  *series,
                                              guint        session_index,
                                              const char  *due_from,
                                              const char  *due_until);
DermDueKind   derm_due_item_get_kind         (DermDueItem *self);
/* (transfer none) */
DermSeries   *derm_due_item_get_series       (DermDueItem *self);
/* The session due (1-based), or n + 1 for the follow-up photo */
guint         derm_due_item_get_session_index (DermDueItem *self);
const char   *derm_due_item_get_due_from     (DermDueItem *self);
const char   *derm_due_item_get_due_until    (DermDueItem *self);

G_END_DECLS

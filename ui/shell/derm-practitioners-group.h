/* derm-practitioners-group.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The clinic's practitioners, as Preferences and the first-run assistant
 * show them: a list with Remove buttons and a row to add one, saved to
 * the database on the store's worker after each change.
 */
#pragma once

#include <adwaita.h>

#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_PRACTITIONERS_GROUP (derm_practitioners_group_get_type ())
G_DECLARE_FINAL_TYPE (DermPractitionersGroup, derm_practitioners_group, DERM, PRACTITIONERS_GROUP, AdwPreferencesGroup)

GtkWidget  *derm_practitioners_group_new        (void);
/* @clinic is edited in place and saved to @store after each change */
void        derm_practitioners_group_set_clinic (DermPractitionersGroup *self,
                                                 DermStore              *store,
                                                 DermClinic             *clinic);
/* The practitioners as shown, a GtkStringList */
GListModel *derm_practitioners_group_get_practitioners (DermPractitionersGroup *self);
/* Adds @name (trimmed) and saves; FALSE, with a toast, when it is empty
 * or already listed. A save that fails says so in a toast, with Retry
 * when the database stayed busy. */
gboolean    derm_practitioners_group_add        (DermPractitionersGroup *self,
                                                 const char             *name);
void        derm_practitioners_group_remove     (DermPractitionersGroup *self,
                                                 const char             *name);
/* TRUE while a save is on the store's worker */
gboolean    derm_practitioners_group_get_saving (DermPractitionersGroup *self);
/* Ends the saves' toasts: the window is going */
void        derm_practitioners_group_detach     (DermPractitionersGroup *self);

G_END_DECLS

/* derm-preferences-window.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The clinic's name (GSettings), its practitioners, and the planner's
 * pages: opening hours, closed days and rooms, protocols. Practitioners,
 * hours, rooms and protocols are kept in the database.
 */
#pragma once

#include <adwaita.h>

#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_PREFERENCES_WINDOW (derm_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (DermPreferencesWindow, derm_preferences_window, DERM, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* @store NULL (the records could not be opened) leaves only the
 * clinic's name to set. The clinic is read on the store's worker: the
 * practitioners and the planner's pages come when "loading" turns FALSE */
GtkWidget  *derm_preferences_window_new                  (DermStore             *store);
/* The practitioners as shown, a GtkStringList */
GListModel *derm_preferences_window_get_practitioners    (DermPreferencesWindow *self);
/* Adds @name (trimmed) to the list and saves it on the store's worker;
 * FALSE, with a toast, when it is empty or already listed. A save that
 * fails says so in a toast, with Retry when the database stayed busy. */
gboolean    derm_preferences_window_add_practitioner     (DermPreferencesWindow *self,
                                                          const char            *name);
void        derm_preferences_window_remove_practitioner  (DermPreferencesWindow *self,
                                                          const char            *name);
/* TRUE while a save of the practitioners is on the store's worker */
gboolean    derm_preferences_window_get_saving           (DermPreferencesWindow *self);

G_END_DECLS

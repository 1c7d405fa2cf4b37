/* derm-clinic-preferences-page.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The clinic's calendar in Preferences and the first-run assistant: its
 * time zone, opening hours per weekday, closed days and rooms, saved to the database as they are changed.
 */
#pragma once

#include <adwaita.h>

#include "derm-clinic.h"
#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_CLINIC_PREFERENCES_PAGE (derm_clinic_preferences_page_get_type ())
G_DECLARE_FINAL_TYPE (DermClinicPreferencesPage, derm_clinic_preferences_page, DERM, CLINIC_PREFERENCES_PAGE, AdwPreferencesPage)

GtkWidget *derm_clinic_preferences_page_new          (void);
/* @clinic is edited in place and saved to @store after each change, on
 * the store's worker thread */
void       derm_clinic_preferences_page_set_clinic   (DermClinicPreferencesPage *self,
                                                      DermStore                 *store,
                                                      DermClinic                *clinic);
/* As typing into the weekday's row and applying; FALSE (with the row
 * marked and a toast) when the text is no opening hours */
/* As typing @id ("Europe/Berlin") into the time zone row and applying;
 * FALSE (with the row marked and a toast) for an unknown zone */
gboolean   derm_clinic_preferences_page_set_time_zone (DermClinicPreferencesPage *self,
                                                       const char                *id);
/* TRUE while a save is queued or running */
gboolean   derm_clinic_preferences_page_get_saving   (DermClinicPreferencesPage *self);
gboolean   derm_clinic_preferences_page_set_hours    (DermClinicPreferencesPage *self,
                                                      GDateWeekday               weekday,
                                                      const char                *text);
/* "2026-12-25 Christmas": a date, then an optional label */
gboolean   derm_clinic_preferences_page_add_closed_day (DermClinicPreferencesPage *self,
                                                      const char                *text);
gboolean   derm_clinic_preferences_page_add_room     (DermClinicPreferencesPage *self,
                                                      const char                *name);

G_END_DECLS

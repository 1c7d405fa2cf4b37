/* derm-application.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application: opens the store without blocking the main loop,
 * shows the main window, or explains why the database could not be
 * opened. App-wide actions and every keyboard shortcut are set here.
 */
#pragma once

#include <adwaita.h>

#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_APPLICATION (derm_application_get_type ())
G_DECLARE_FINAL_TYPE (DermApplication, derm_application, DERM, APPLICATION, AdwApplication)

DermApplication *derm_application_new           (void);
/* NULL until the store is open */
DermStore       *derm_application_get_store     (DermApplication *self);
/* The directory given with --data-dir, or NULL for the default */
const char      *derm_application_get_data_dir  (DermApplication *self);
void             derm_application_set_data_dir  (DermApplication *self,
                                                 const char      *data_dir);
/* FALSE in a Flatpak, where the help pages cannot be shown: then there is
 * no Help item, no F1 and no Help in the shortcuts window */
gboolean         derm_application_get_help_available (DermApplication *self);

G_END_DECLS

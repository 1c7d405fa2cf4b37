/* derm-setup-assistant.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first-run assistant: on a database whose clinic is not set up (no
 * practitioner named yet), the clinic's name, time zone and opening hours,
 * its rooms, practitioners and protocols, one page after the other. Its
 * pages are Preferences' own widgets (the clinic page, the practitioners
 * group, the protocols page), saving as Preferences does, after each
 * change; Skip closes it, and Preferences holds the same settings;
 * "win.setup-clinic" (Set Up Clinic… in the main menu) opens it again.
 */
#pragma once

#include <adwaita.h>

#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_SETUP_ASSISTANT (derm_setup_assistant_get_type ())
G_DECLARE_FINAL_TYPE (DermSetupAssistant, derm_setup_assistant, DERM, SETUP_ASSISTANT, AdwWindow)

/* Reads the clinic of @store on its worker; "loading" is TRUE until then */
DermSetupAssistant *derm_setup_assistant_new          (GtkWindow          *parent,
                                                       DermStore          *store);
gboolean            derm_setup_assistant_get_loading  (DermSetupAssistant *self);
/* The page shown, 0 to 3 */
guint               derm_setup_assistant_get_page     (DermSetupAssistant *self);

/* Reads the clinic of @store on its worker and, when no practitioner is
 * named yet (the clinic is not set up) and the assistant was not closed
 * before (the "setup-skipped" setting), presents it over @parent.
 * Closing it before a practitioner is named sets "setup-skipped" and
 * shows a toast in @parent ("win.show-toast") saying where to name one. */
void                derm_setup_assistant_present_if_needed (GtkWindow *parent,
                                                            DermStore *store);

G_END_DECLS

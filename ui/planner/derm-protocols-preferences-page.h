/* derm-protocols-preferences-page.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Protocol templates in Preferences: name, number of sessions, interval
 * in weeks (default, minimum, maximum), appointment length and the
 * follow-up photo delay. Added, edited and deleted in the database.
 */
#pragma once

#include <adwaita.h>

#include "derm-protocol.h"
#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_PROTOCOLS_PREFERENCES_PAGE (derm_protocols_preferences_page_get_type ())
G_DECLARE_FINAL_TYPE (DermProtocolsPreferencesPage, derm_protocols_preferences_page, DERM, PROTOCOLS_PREFERENCES_PAGE, AdwPreferencesPage)

GtkWidget  *derm_protocols_preferences_page_new       (void);
void        derm_protocols_preferences_page_set_store (DermProtocolsPreferencesPage *self,
                                                       DermStore                    *store);
/* The DermProtocol objects shown, by name */
GListModel *derm_protocols_preferences_page_get_protocols (DermProtocolsPreferencesPage *self);

/* TRUE while a change or a reload runs on the store's worker */
gboolean    derm_protocols_preferences_page_get_busy (DermProtocolsPreferencesPage *self);

G_END_DECLS

/* derm-client-page.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One client's record: findings from the latest screening, details,
 * screening history and treatment sessions.
 */
#pragma once

#include <adwaita.h>

#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_CLIENT_PAGE (derm_client_page_get_type ())
G_DECLARE_FINAL_TYPE (DermClientPage, derm_client_page, DERM, CLIENT_PAGE, AdwBin)

GtkWidget  *derm_client_page_new          (DermStore      *store);
DermStore  *derm_client_page_get_store    (DermClientPage *self);
/* A client with id 0 (or NULL) shows the empty new-client form */
void        derm_client_page_set_client   (DermClientPage *self,
                                           DermClient     *client);
DermClient *derm_client_page_get_client   (DermClientPage *self);
/* Writes the client's whole record and originals to @path (a ZIP), in a
 * thread; a toast says when it is done (the client.export-record action
 * asks for @path with the file chooser) */
void        derm_client_page_export_record (DermClientPage *self,
                                            const char     *path);
gboolean    derm_client_page_get_folded   (DermClientPage *self);
/* TRUE while the client's screenings and sessions are read on the
 * store's worker; the findings, screenings and sessions models are
 * filled when it turns FALSE */
gboolean    derm_client_page_get_loading  (DermClientPage *self);
void        derm_client_page_set_folded   (DermClientPage *self,
                                           gboolean        folded);
/* The DermFinding objects shown at the top of the page, most severe first */
GListModel *derm_client_page_get_findings (DermClientPage *self);
/* The DermTreatment objects listed in the sessions group, newest first */
GListModel *derm_client_page_get_sessions (DermClientPage *self);
/* The earlier DermScreening objects, newest first (the latest excluded) */
GListModel *derm_client_page_get_screenings (DermClientPage *self);
/* TRUE when the form holds edits not saved yet */
gboolean    derm_client_page_has_unsaved_changes (DermClientPage *self);
/* Called with @proceed TRUE once the page may show something else: at
 * once without unsaved edits, else after asking Save / Discard / Cancel
 * (Save that fails, and Cancel, give FALSE; Discard reverts the form). */
typedef void (*DermClientPageLeaveFunc) (gpointer user_data,
                                         gboolean proceed);
void        derm_client_page_confirm_leave (DermClientPage         *self,
                                            DermClientPageLeaveFunc func,
                                            gpointer                user_data,
                                            GDestroyNotify          user_data_free);
/* Reads everything shown again after another program changed the
 * database: the record (unless the form holds unsaved edits, which stay),
 * findings, screenings, sessions, series and photos */
void        derm_client_page_refresh (DermClientPage *self);
/* Reads the client's series, appointments and sessions again */
void        derm_client_page_reload_planner (DermClientPage *self);

G_END_DECLS

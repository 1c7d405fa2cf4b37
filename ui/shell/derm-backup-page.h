/* derm-backup-page.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences -> Backup: the folder Dermis backs up to every day (chosen
 * through the file chooser portal), when the last backup was taken, with
 * a warning when it is more than 7 days old, and Back Up Now.
 */
#pragma once

#include <adwaita.h>

#include "derm-store.h"

G_BEGIN_DECLS

#define DERM_TYPE_BACKUP_PAGE (derm_backup_page_get_type ())
G_DECLARE_FINAL_TYPE (DermBackupPage, derm_backup_page, DERM, BACKUP_PAGE, AdwPreferencesPage)

GtkWidget  *derm_backup_page_new            (DermStore      *store,
                                             GSettings      *settings);
/* "Last backup: 3 Dec 2026, 09:50", or why there is none */
const char *derm_backup_page_get_status     (DermBackupPage *self);
/* TRUE while the status carries the "more than 7 days" warning */
gboolean    derm_backup_page_get_overdue    (DermBackupPage *self);
/* Backs up now to the chosen folder (the "backup.now" action) */
void        derm_backup_page_back_up_now    (DermBackupPage *self);
gboolean    derm_backup_page_get_running    (DermBackupPage *self);
/* For tests: TRUE while the folder is read for its newest backup */
gboolean    derm_backup_page_get_checking   (DermBackupPage *self);

G_END_DECLS

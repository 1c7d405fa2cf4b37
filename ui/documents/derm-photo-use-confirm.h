/* derm-photo-use-confirm.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app's side of derm_photo_use_check_export(): before a comparison or
 * a progress report leaves the app, the photos it shows are checked for
 * the use chosen. When a photo's consent does not cover it the user is
 * asked, in one line that names the photo and what its consent allows;
 * Cancel exports nothing, Export Anyway writes the override to the audit
 * log (on the store's worker) and goes on.
 */
#pragma once

#include <adwaita.h>

#include "derm-photo-use.h"
#include "derm-store.h"

G_BEGIN_DECLS

/* @go: export now. @error: the override could not be logged (nothing
 * may be exported then); NULL when the user cancelled or all is well. */
typedef void (*DermPhotoUseConfirmFunc) (gpointer      user_data,
                                         gboolean      go,
                                         const GError *error);

/* Fills @list with the uses an export may be for, in DermPhotoUse order:
 * "Clinical record or the client’s own copy", "Education", "Marketing" */
void derm_photo_use_confirm_fill_uses (GtkStringList           *list);

/* @photos: DermPhoto; @what: "comparison-export", "report". @func runs
 * once, on this thread: at once when every photo is covered, else after
 * the question. @user_data is a GObject, referenced until then. */
void derm_photo_use_confirm_export    (GtkWindow               *parent,
                                       DermStore               *store,
                                       GPtrArray               *photos,
                                       DermPhotoUse             use,
                                       const char              *what,
                                       DermPhotoUseConfirmFunc  func,
                                       gpointer                 user_data);

G_END_DECLS

/* derm-toast.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Toasts for messages of any length. libadwaita 1.2 shows a toast's title
 * on one line and cuts what does not fit ("The file is not UTF-8 te…");
 * a message too long for the toast gets a Details button that shows the
 * whole of it in a message dialog.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A toast showing @message (plain text, not markup) in @overlay, the
 * AdwToastOverlay or AdwPreferencesWindow it is for: its title when the
 * message fits the toast at @overlay's width and font, else the message
 * cut short with a Details button */
AdwToast *derm_toast_new           (GtkWidget  *overlay,
                                    const char *message);
/* A toast for @message with a button of its own (Undo, Retry) that
 * invokes @on_clicked (taken over; called as a "button-clicked" handler
 * of the toast). When @message does not fit beside the button, the
 * toast's button is Details, and the dialog it opens offers
 * @button_label as well as Close. */
AdwToast *derm_toast_new_with_button (GtkWidget  *overlay,
                                      const char *message,
                                      const char *button_label,
                                      GClosure   *on_clicked);
/* derm_toast_new() added to @overlay */
void      derm_toast_show          (GtkWidget  *overlay,
                                    const char *message);
/* Adds @toast to @overlay (an AdwToastOverlay or AdwPreferencesWindow) */
void      derm_toast_add           (GtkWidget  *overlay,
                                    AdwToast   *toast);
/* TRUE when @message shows whole as a toast title in @overlay, beside a
 * button labelled @button_label (none when NULL) */
gboolean  derm_toast_fits          (GtkWidget  *overlay,
                                    const char *message,
                                    const char *button_label);

G_END_DECLS

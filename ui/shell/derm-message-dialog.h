/* derm-message-dialog.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AdwMessageDialog as every Dermis confirmation and error uses it.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* adw_message_dialog_new(), with a heading that never asks for more width
 * than the dialog may get, and that reports one response only: a second
 * one (closing the dialog after adw_message_dialog_response()) never
 * reaches the handlers (see the .c file) */
GtkWidget *derm_message_dialog_new (GtkWindow  *parent,
                                    const char *heading,
                                    const char *body);

G_END_DECLS

/* derm-store-wait.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one way a form tells that a store write is under way on the
 * store's worker: while it runs the form keeps its write actions off
 * (it asks derm_store_wait_get_busy(), or follows "busy"); after a moment without an answer a toast says another Dermis window or
 * dermis-cli is writing; a failure is a toast with the message, and with
 * Retry when the database stayed busy. The window never waits.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DERM_TYPE_STORE_WAIT (derm_store_wait_get_type ())
G_DECLARE_FINAL_TYPE (DermStoreWait, derm_store_wait, DERM, STORE_WAIT, GObject)

/* @owner holds the returned object and has @overlay inside it (NULL
 * when @owner is an AdwPreferencesWindow, which has its own, or lies
 * inside one or inside an AdwToastOverlay, whose toasts it uses); Retry
 * activates @retry_action (e.g. "screening.save") on @owner. The owner
 * calls derm_store_wait_detach() when it is disposed. */
DermStoreWait *derm_store_wait_new        (GtkWidget        *owner,
                                           AdwToastOverlay  *overlay,
                                           const char       *retry_action);
/* The action Retry activates from now on (NULL: no Retry) */
void           derm_store_wait_set_retry_action (DermStoreWait *self,
                                           const char       *retry_action);
/* Starts a wait; FALSE (nothing started) when one is already under way */
gboolean       derm_store_wait_begin      (DermStoreWait    *self);
void           derm_store_wait_end        (DermStoreWait    *self);
gboolean       derm_store_wait_get_busy   (DermStoreWait    *self);
/* Ends the wait and shows @error: with Retry when the store was locked */
void           derm_store_wait_failed     (DermStoreWait    *self,
                                           const GError     *error);
/* The owner is going: no toast, no action from now on */
void           derm_store_wait_detach     (DermStoreWait    *self);

/* Shows @message (plain text) as a toast in the window @widget is in:
 * an AdwPreferencesWindow's own toasts, the nearest AdwToastOverlay
 * around @widget, else the window's "win.show-toast" */
void           derm_widget_show_toast     (GtkWidget        *widget,
                                           const char       *message);

G_END_DECLS

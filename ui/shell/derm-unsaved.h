/* derm-unsaved.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one "Save changes?" question every form asks before its edits
 * would be thrown away: Save, Discard or Cancel, as GNOME apps ask it.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  DERM_UNSAVED_CANCEL,
  DERM_UNSAVED_DISCARD,
  DERM_UNSAVED_SAVE,
} DermUnsavedChoice;

/* Called once, from an idle after the question has closed, while @owner
 * is still alive (never after it is finalized). @user_data_free, when
 * given, frees @user_data afterwards, or when no answer ever comes. */
typedef void (*DermUnsavedFunc) (gpointer          owner,
                                 DermUnsavedChoice choice,
                                 gpointer          user_data);

/* Presents the question transient for @parent. @what names the changes
 * ("the changes to Zoë Müller"); @can_save is FALSE when the form holds
 * errors, which leaves only Discard and Cancel. Returns the dialog. */
GtkWidget *derm_unsaved_ask (GtkWindow       *parent,
                             const char      *heading,
                             const char      *body,
                             gboolean         can_save,
                             GObject         *owner,
                             DermUnsavedFunc  func,
                             gpointer         user_data,
                             GDestroyNotify   user_data_free);

/* From a form window's close-request, with edits not yet saved: asks
 * (derm_unsaved_ask() with @window as parent and owner); Save runs
 * @save (@window, @save_action, NULL), the window's save action; Discard
 * destroys the window. Returns TRUE: the close waits for the answer. */
gboolean   derm_unsaved_ask_close (GtkWindow                   *window,
                                   const char                  *heading,
                                   const char                  *body,
                                   gboolean                     can_save,
                                   GtkWidgetActionActivateFunc  save,
                                   const char                  *save_action);

G_END_DECLS

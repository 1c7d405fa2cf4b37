/* derm-unsaved.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-unsaved"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-message-dialog.h"
#include "derm-unsaved.h"

typedef struct
{
  GWeakRef          owner;
  DermUnsavedFunc   func;
  gpointer          user_data;
  GDestroyNotify    user_data_free;
  DermUnsavedChoice choice;
  gboolean          answered;
} Question;

static void
question_free (Question *q)
{
  g_weak_ref_clear (&q->owner);
  if (q->user_data_free != NULL)
    q->user_data_free (q->user_data);
  g_free (q);
}

static gboolean
deliver (gpointer data)
{
  Question *q = data;
  g_autoptr (GObject) owner = g_weak_ref_get (&q->owner);

  if (owner != NULL)
    q->func (owner, q->choice, q->user_data);
  question_free (q);

  return G_SOURCE_REMOVE;
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Question         *q)
{
  /* From here the idle owns @q, whatever the dialog does next */
  g_signal_handlers_disconnect_by_data (dialog, q);
  q->answered = TRUE;

  if (g_strcmp0 (response, "save") == 0)
    q->choice = DERM_UNSAVED_SAVE;
  else if (g_strcmp0 (response, "discard") == 0)
    q->choice = DERM_UNSAVED_DISCARD;
  else
    q->choice = DERM_UNSAVED_CANCEL;

  /* The question is still finishing its response and is transient for
   * the window the answer may close: act once it is gone. */
  g_idle_add_full (G_PRIORITY_HIGH_IDLE, deliver, q, NULL);
}

static void
on_destroy (GtkWidget *dialog,
            Question  *q)
{
  /* Destroyed without any response (with its parent) */
  question_free (q);
}

GtkWidget *
derm_unsaved_ask (GtkWindow       *parent,
                  const char      *heading,
                  const char      *body,
                  gboolean         can_save,
                  GObject         *owner,
                  DermUnsavedFunc  func,
                  gpointer         user_data,
                  GDestroyNotify   user_data_free)
{
  AdwMessageDialog *dialog;
  Question *q;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_OBJECT (owner), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  dialog = ADW_MESSAGE_DIALOG (derm_message_dialog_new (parent,
                                                        heading != NULL ? heading : _("Save Changes?"),
                                                        NULL));
  if (body != NULL)
    adw_message_dialog_set_body (dialog, body);
  else if (can_save)
    adw_message_dialog_set_body (dialog, _("The changes are lost if you do not save them."));
  else
    adw_message_dialog_set_body (dialog, _("The form has errors and cannot be saved as it is. "
                                           "Cancel to correct them, or discard the changes."));

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "save", can_save);
  adw_message_dialog_set_default_response (dialog, can_save ? "save" : "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  q = g_new0 (Question, 1);
  g_weak_ref_init (&q->owner, owner);
  q->func = func;
  q->user_data = user_data;
  q->user_data_free = user_data_free;

  g_signal_connect (dialog, "response", G_CALLBACK (on_response), q);
  g_signal_connect (dialog, "destroy", G_CALLBACK (on_destroy), q);

  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WIDGET (dialog);
}

typedef struct
{
  GtkWidgetActionActivateFunc  save;
  const char                  *save_action;
} CloseAsk;

static void
on_close_answered (gpointer          owner,
                   DermUnsavedChoice choice,
                   gpointer          user_data)
{
  CloseAsk *ask = user_data;

  if (choice == DERM_UNSAVED_SAVE)
    ask->save (GTK_WIDGET (owner), ask->save_action, NULL);
  else if (choice == DERM_UNSAVED_DISCARD)
    gtk_window_destroy (GTK_WINDOW (owner));
}

gboolean
derm_unsaved_ask_close (GtkWindow                   *window,
                        const char                  *heading,
                        const char                  *body,
                        gboolean                     can_save,
                        GtkWidgetActionActivateFunc  save,
                        const char                  *save_action)
{
  CloseAsk *ask;

  g_return_val_if_fail (GTK_IS_WINDOW (window), FALSE);
  g_return_val_if_fail (save != NULL, FALSE);

  ask = g_new0 (CloseAsk, 1);
  ask->save = save;
  ask->save_action = save_action;
  derm_unsaved_ask (window, heading, body, can_save, G_OBJECT (window), on_close_answered, ask, g_free);
  return TRUE;
}

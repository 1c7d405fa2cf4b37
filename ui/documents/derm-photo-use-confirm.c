/* derm-photo-use-confirm.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-documents-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-message-dialog.h"
#include "derm-photo-use-confirm.h"

void
derm_photo_use_confirm_fill_uses (GtkStringList *list)
{
  g_return_if_fail (GTK_IS_STRING_LIST (list));

  gtk_string_list_append (list, _("Clinical record or the client’s own copy"));
  gtk_string_list_append (list, _("Education"));
  gtk_string_list_append (list, _("Marketing"));
}

typedef struct
{
  DermStore               *store;
  GPtrArray               *photos;
  DermPhotoUse             use;
  char                    *what;
  DermPhotoUseConfirmFunc  func;
  GObject                 *user_data;
} Confirm;

static void
confirm_free (gpointer data)
{
  Confirm *c = data;

  g_object_unref (c->store);
  g_ptr_array_unref (c->photos);
  g_free (c->what);
  g_object_unref (c->user_data);
  g_free (c);
}

static gboolean
override_call (DermStore  *store,
               gpointer    data,
               gpointer   *result,
               GError    **error)
{
  Confirm *c = data;

  return derm_photo_use_check_export (store, c->photos, c->use, TRUE, c->what, error);
}

static void
override_logged (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Confirm *c = user_data;
  g_autoptr (GError) error = NULL;

  derm_store_call_finish (DERM_STORE (source), result, override_call, &error);
  c->func (c->user_data, error == NULL, error);
  confirm_free (c);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             gpointer          user_data)
{
  Confirm *c = user_data;

  if (g_strcmp0 (response, "export") != 0)
    {
      c->func (c->user_data, FALSE, NULL);
      confirm_free (c);
      return;
    }
  /* The store's worker owns @c until the override is logged; it reads
   * only the photos' ids and their consent as they were shown */
  derm_store_call_async (c->store, override_call, override_call, c, NULL, NULL, NULL, override_logged, c);
}

void
derm_photo_use_confirm_export (GtkWindow               *parent,
                               DermStore               *store,
                               GPtrArray               *photos,
                               DermPhotoUse             use,
                               const char              *what,
                               DermPhotoUseConfirmFunc  func,
                               gpointer                 user_data)
{
  g_autoptr (GPtrArray) uncovered = NULL;
  g_autofree char *line = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  Confirm *c;

  g_return_if_fail (DERM_IS_STORE (store));
  g_return_if_fail (photos != NULL && what != NULL && func != NULL);
  g_return_if_fail (G_IS_OBJECT (user_data));

  uncovered = derm_photo_use_uncovered (photos, use);
  if (uncovered->len == 0)
    {
      func (user_data, TRUE, NULL);
      return;
    }
  c = g_new0 (Confirm, 1);
  c->store = g_object_ref (store);
  c->photos = g_ptr_array_ref (photos);
  c->use = use;
  c->what = g_strdup (what);
  c->func = func;
  c->user_data = g_object_ref (user_data);

  line = derm_photo_use_describe (uncovered, use);
  /* TRANSLATORS: the first %s says which photo's consent does not cover the use */
  body = g_strdup_printf (_("%s Change the consent on the client page, or export anyway: the override is written "
                            "to the audit log."), line);
  dialog = derm_message_dialog_new (parent, _("Not Covered by the Photo-Use Consent"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "export", _("_Export Anyway"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), c);
  gtk_window_present (GTK_WINDOW (dialog));
}

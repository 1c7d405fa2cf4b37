/* derm-documents-ui.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-documents-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-aftercare-sheet.h"
#include "derm-client.h"
#include "derm-document-output.h"
#include "derm-documents-ui.h"
#include "derm-message-dialog.h"
#include "derm-store-documents.h"
#include "derm-treatment.h"
#include "derm-validate.h"
#include "derm-toast.h"

typedef struct
{
  DermStore    *store;
  DermDocument *doc;
  GtkWindow    *parent;
  DermPaper     paper;
  char         *file_name;
} Offer;

static void
offer_free (gpointer data)
{
  Offer *offer = data;

  g_clear_object (&offer->store);
  g_clear_object (&offer->doc);
  g_clear_weak_pointer (&offer->parent);
  g_free (offer->file_name);
  g_free (offer);
}

static void
on_offer_response (AdwMessageDialog *dialog,
                   const char       *response,
                   Offer            *offer)
{
  if (g_str_equal (response, "print"))
    derm_document_output_print (offer->parent, offer->doc, offer->paper);
  else if (g_str_equal (response, "save"))
    derm_document_output_save (offer->parent, offer->doc, offer->paper, offer->file_name,
                               derm_store_get_data_dir (offer->store));
}

static void
toast (GtkWindow  *parent,
       const char *message)
{
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-toast", "s", message);
}

GtkWidget *
derm_documents_ui_offer_aftercare (GtkWindow *parent,
                                   DermStore *store,
                                   gint64     treatment_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermDocument) doc = NULL;
  g_autoptr (DermTreatment) treatment = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autofree char *day = NULL;
  g_autofree char *body = NULL;
  DermPaper paper = DERM_PAPER_A4;
  GtkWidget *dialog;
  Offer *offer;

  g_return_val_if_fail (DERM_IS_STORE (store), NULL);

  doc = derm_aftercare_sheet_new (store, treatment_id, &error);
  if (doc != NULL)
    treatment = derm_store_get_treatment (store, treatment_id, &error);
  if (treatment != NULL)
    client = derm_store_get_client (store, derm_treatment_get_client_id (treatment), &error);
  if (client == NULL || !derm_store_get_letterhead (store, NULL, NULL, NULL, &paper, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The aftercare sheet could not be made: %s"), error->message);

      toast (parent, message);
      return NULL;
    }

  day = derm_date_format_display (derm_treatment_get_date (treatment), TRUE);
  body = g_strdup_printf (_("For %s, session of %s: the protocol’s advice with the areas, depths and the "
                            "next appointment. Print it to hand over, or save it as PDF. Edit the advice "
                            "in Preferences → Documents."),
                          derm_client_get_name (client), day);
  dialog = derm_message_dialog_new (parent, _("Aftercare Sheet"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "close", _("_Not Now"),
                                    "save", _("_Save as PDF…"),
                                    "print", _("_Print…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "print", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "print");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");

  offer = g_new0 (Offer, 1);
  offer->store = g_object_ref (store);
  offer->doc = g_steal_pointer (&doc);
  g_set_weak_pointer (&offer->parent, parent);
  offer->paper = paper;
  offer->file_name = derm_document_output_file_name (_("Aftercare"), derm_treatment_get_date (treatment),
                                                     derm_client_get_name (client));
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_offer_response), offer,
                         (GClosureNotify) (void (*) (void)) offer_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* --- window actions ---------------------------------------------------- */

typedef struct
{
  AdwApplicationWindow *window;
  DermStore            *store;
  AdwToastOverlay      *toasts;
} Actions;

static void
actions_free (gpointer data)
{
  Actions *actions = data;

  g_clear_object (&actions->store);
  g_free (actions);
}

static void
aftercare_sheet_action (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  Actions *actions = user_data;

  derm_documents_ui_offer_aftercare (GTK_WINDOW (actions->window), actions->store, g_variant_get_int64 (param));
}

static void
on_aftercare_clicked (AdwToast             *toast,
                      AdwApplicationWindow *window)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (toast), "derm-treatment-id");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.aftercare-sheet", "x", id);
}

static void
session_saved_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  Actions *actions = user_data;
  const char *message;
  gint64 id;
  AdwToast *toast;

  g_variant_get (param, "(&sx)", &message, &id);
  /* In a narrow window the offer moves into the toast's Details */
  toast = derm_toast_new_with_button (GTK_WIDGET (actions->toasts), message, _("_Aftercare Sheet…"),
                                      g_cclosure_new_object (G_CALLBACK (on_aftercare_clicked),
                                                             G_OBJECT (actions->window)));
  g_object_set_data_full (G_OBJECT (toast), "derm-treatment-id", g_memdup2 (&id, sizeof id), g_free);
  if (adw_toast_get_timeout (toast) != 0)
    adw_toast_set_timeout (toast, 10);
  adw_toast_overlay_add_toast (actions->toasts, toast);
}

void
derm_documents_ui_install (AdwApplicationWindow *window,
                           DermStore            *store,
                           AdwToastOverlay      *toasts)
{
  Actions *actions;
  GSimpleAction *action;

  g_return_if_fail (ADW_IS_APPLICATION_WINDOW (window));
  g_return_if_fail (DERM_IS_STORE (store));

  actions = g_new0 (Actions, 1);
  actions->window = window;
  actions->store = g_object_ref (store);
  actions->toasts = toasts;
  /* Freed with the window */
  g_object_set_data_full (G_OBJECT (window), "derm-documents-actions", actions, actions_free);

  action = g_simple_action_new ("aftercare-sheet", G_VARIANT_TYPE_INT64);
  g_signal_connect (action, "activate", G_CALLBACK (aftercare_sheet_action), actions);
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
  g_object_unref (action);

  action = g_simple_action_new ("session-saved", G_VARIANT_TYPE ("(sx)"));
  g_signal_connect (action, "activate", G_CALLBACK (session_saved_action), actions);
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
  g_object_unref (action);
}

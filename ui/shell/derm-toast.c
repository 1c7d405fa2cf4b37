/* derm-toast.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libadwaita 1.2's toast is one line: a title label that ellipsizes, the
 * toast's button and its close button. Measured on 1.2.2, the title gets
 * the overlay's width less 94 px (the toast's margins, padding and close
 * button), and a button takes its label's width and 40 px more.
 */
#define G_LOG_DOMAIN "derm-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "derm-message-dialog.h"
#include "derm-toast.h"

#define TOAST_CHROME_PX  94
#define BUTTON_CHROME_PX 40
/* Before the overlay is laid out: the narrowest window Dermis allows */
#define FALLBACK_WIDTH_PX 360

typedef struct
{
  GWeakRef  overlay;
  char     *message;
  /* A button of the toast's own, offered in the dialog instead */
  char     *button_label;
  GClosure *on_clicked;
} Details;

static void
details_free (gpointer  data,
              GClosure *closure)
{
  Details *details = data;

  g_weak_ref_clear (&details->overlay);
  g_free (details->message);
  g_free (details->button_label);
  g_clear_pointer (&details->on_clicked, g_closure_unref);
  g_free (details);
}

/* What the dialog opened from a toast needs after the toast is gone */
typedef struct
{
  AdwToast *toast;
  GClosure *on_clicked;
} Answer;

static void
answer_free (gpointer  data,
             GClosure *closure)
{
  Answer *answer = data;

  g_clear_object (&answer->toast);
  g_clear_pointer (&answer->on_clicked, g_closure_unref);
  g_free (answer);
}

static void
on_answer (AdwMessageDialog *dialog,
           const char       *response,
           Answer           *answer)
{
  GValue toast = G_VALUE_INIT;

  if (!g_str_equal (response, "action"))
    return;
  /* As the toast's own button would have */
  g_value_init (&toast, ADW_TYPE_TOAST);
  g_value_set_object (&toast, answer->toast);
  g_closure_invoke (answer->on_clicked, NULL, 1, &toast, NULL);
  g_value_unset (&toast);
}

static int
text_width (GtkWidget  *widget,
            const char *text)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width = 0;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static int
overlay_width (GtkWidget *overlay)
{
  int width = gtk_widget_get_width (overlay);

  return width > 0 ? width : FALLBACK_WIDTH_PX;
}

gboolean
derm_toast_fits (GtkWidget  *overlay,
                 const char *message,
                 const char *button_label)
{
  int room;

  g_return_val_if_fail (GTK_IS_WIDGET (overlay), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  room = overlay_width (overlay) - TOAST_CHROME_PX;
  if (button_label != NULL)
    {
      g_autoptr (GString) label = g_string_new (button_label);

      /* The mnemonic's underline takes no room */
      g_string_replace (label, "_", "", 1);
      room -= text_width (overlay, label->str) + BUTTON_CHROME_PX;
    }
  return strchr (message, '\n') == NULL && text_width (overlay, message) <= room;
}

/* The dialog's heading and body: what comes before the first ": " or the
 * end of the first sentence when that is short, else a plain heading */
static void
split_message (const char  *message,
               char       **heading,
               char       **body)
{
  static const char * const marks[] = { ": ", ". " };

  for (gsize i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      const char *mark = strstr (message, marks[i]);

      if (mark != NULL && g_utf8_strlen (message, mark - message) <= 60 && mark[2] != '\0')
        {
          const char *rest = mark + 2;
          gunichar first = g_utf8_get_char (rest);
          char upper[8] = { 0 };

          g_unichar_to_utf8 (g_unichar_toupper (first), upper);
          *heading = g_strndup (message, mark - message);
          *body = g_strconcat (upper, g_utf8_next_char (rest), NULL);
          return;
        }
    }
  *heading = g_strdup (_("Message"));
  *body = g_strdup (message);
}

static void
on_details_clicked (AdwToast *toast,
                    Details  *details)
{
  g_autoptr (GtkWidget) overlay = g_weak_ref_get (&details->overlay);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root = overlay != NULL ? gtk_widget_get_root (overlay) : NULL;
  GtkWidget *dialog;

  split_message (details->message, &heading, &body);
  dialog = derm_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  if (details->on_clicked != NULL)
    {
      Answer *answer = g_new0 (Answer, 1);

      answer->toast = g_object_ref (toast);
      answer->on_clicked = g_closure_ref (details->on_clicked);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "action", details->button_label);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "action", ADW_RESPONSE_SUGGESTED);
      g_signal_connect_data (dialog, "response", G_CALLBACK (on_answer), answer, answer_free, 0);
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The toast for @message; a Details toast when it does not fit beside a
 * button (@on_clicked's, when there is one) */
static AdwToast *
toast_new (GtkWidget  *overlay,
           const char *message,
           const char *button_label,
           GClosure   *on_clicked)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;
  Details *details;

  /* The title is markup: the message is shown as it is written */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  if (derm_toast_fits (overlay, message, on_clicked != NULL ? button_label : NULL))
    {
      if (on_clicked != NULL)
        {
          adw_toast_set_button_label (toast, button_label);
          g_signal_connect_closure (toast, "button-clicked", on_clicked, FALSE);
        }
      return toast;
    }

  /* Cut at the first line; the dialog has it all */
  if (strchr (message, '\n') != NULL)
    {
      g_autofree char *line = g_strndup (message, strchr (message, '\n') - message);
      g_autofree char *first = g_strdup_printf ("%s…", line);

      g_free (escaped);
      escaped = g_markup_escape_text (first, -1);
      adw_toast_set_title (toast, escaped);
    }
  details = g_new0 (Details, 1);
  g_weak_ref_init (&details->overlay, overlay);
  details->message = g_strdup (message);
  if (on_clicked != NULL)
    {
      details->button_label = g_strdup (button_label);
      details->on_clicked = g_closure_ref (on_clicked);
    }
  adw_toast_set_button_label (toast, _("_Details"));
  /* A message the reader opens stays until it is read or closed */
  adw_toast_set_timeout (toast, 0);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_details_clicked), details, details_free, 0);
  return toast;
}

AdwToast *
derm_toast_new (GtkWidget  *overlay,
                const char *message)
{
  g_return_val_if_fail (GTK_IS_WIDGET (overlay), NULL);
  g_return_val_if_fail (message != NULL, NULL);

  return toast_new (overlay, message, NULL, NULL);
}

AdwToast *
derm_toast_new_with_button (GtkWidget  *overlay,
                            const char *message,
                            const char *button_label,
                            GClosure   *on_clicked)
{
  AdwToast *toast;

  g_return_val_if_fail (GTK_IS_WIDGET (overlay), NULL);
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (button_label != NULL, NULL);
  g_return_val_if_fail (on_clicked != NULL, NULL);

  g_closure_ref (on_clicked);
  g_closure_sink (on_clicked);
  /* Called with the toast only, as "button-clicked" calls it */
  g_closure_set_marshal (on_clicked, g_cclosure_marshal_VOID__VOID);
  toast = toast_new (overlay, message, button_label, on_clicked);
  g_closure_unref (on_clicked);
  return toast;
}

void
derm_toast_add (GtkWidget *overlay,
                AdwToast  *toast)
{
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay) || ADW_IS_PREFERENCES_WINDOW (overlay));

  if (ADW_IS_PREFERENCES_WINDOW (overlay))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (overlay), toast);
  else
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

void
derm_toast_show (GtkWidget  *overlay,
                 const char *message)
{
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay) || ADW_IS_PREFERENCES_WINDOW (overlay));

  derm_toast_add (overlay, derm_toast_new (overlay, message));
}

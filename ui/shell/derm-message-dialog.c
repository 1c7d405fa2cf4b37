/* derm-message-dialog.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Newer libadwaita (1.7 in Debian 13) keeps two heading labels in a
 * message dialog, a large one that never wraps and a small one that does,
 * and shows the large one only when it fits on one line. The heading is
 * as narrow as the narrower of the two may be, yet both are measured for
 * its width, so the large label is asked for its height at less than its
 * own minimum width; GTK 4.18 reports that as "Trying to measure GtkLabel
 * ... for width of 100, but it needs at least 144". So the large label may
 * wrap, which brings its minimum down to its widest character, and the
 * small one is kept at least that wide: neither is ever measured below its
 * minimum. The large label still never shows wrapped, because libadwaita
 * picks it only when its natural, one-line width fits.
 */
#define G_LOG_DOMAIN "derm-ui"

#include "config.h"

#include "derm-message-dialog.h"

static void
keep_small_heading_as_wide (GtkWidget *large)
{
  GtkWidget *small = g_object_get_data (G_OBJECT (large), "derm-small-heading");
  int large_min = 0;

  gtk_widget_measure (large, GTK_ORIENTATION_HORIZONTAL, -1, &large_min, NULL, NULL, NULL);
  gtk_widget_set_size_request (small, large_min, -1);
}

static void
on_large_heading_changed (GtkWidget  *large,
                          GParamSpec *pspec,
                          gpointer    user_data)
{
  keep_small_heading_as_wide (large);
}

/* The heading bin of libadwaita 1.7: a large "title-2" label and a small
 * wrapping one side by side */
static void
fix_heading_labels (GtkWidget *widget)
{
  if (gtk_widget_has_css_class (widget, "heading-bin"))
    {
      GtkWidget *large = NULL;
      GtkWidget *small = NULL;

      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "title-2"))
          large = child;
        else if (GTK_IS_LABEL (child))
          small = child;
      if (large == NULL || small == NULL)
        return;

      gtk_label_set_wrap (GTK_LABEL (large), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (large), PANGO_WRAP_WORD_CHAR);
      g_object_set_data (G_OBJECT (large), "derm-small-heading", small);
      keep_small_heading_as_wide (large);
      g_signal_connect (large, "notify::label", G_CALLBACK (on_large_heading_changed), NULL);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    fix_heading_labels (child);
}

/* A dialog answers once. libadwaita 1.2 closes the dialog itself before
 * it reports a clicked response, but adw_message_dialog_response() only
 * reports one: closing the dialog afterwards (Escape, the window
 * manager, gtk_window_close()) reports the close response as well, and a
 * handler that freed its data or acted on the first answer would run
 * again. This handler is connected before any other, so it sees each
 * response first and stops every one after the first. */
static void
on_response_first (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  if (g_object_get_data (G_OBJECT (dialog), "derm-answered") != NULL)
    {
      /* The emission as it was made: a detailed one stops only by its detail */
      GSignalInvocationHint *hint = g_signal_get_invocation_hint (dialog);

      g_debug ("Message dialog answered again (%s): ignored", response);
      g_signal_stop_emission (dialog, hint->signal_id, hint->detail);
      return;
    }
  g_object_set_data (G_OBJECT (dialog), "derm-answered", GINT_TO_POINTER (TRUE));
}

GtkWidget *
derm_message_dialog_new (GtkWindow  *parent,
                         const char *heading,
                         const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  g_signal_connect (dialog, "response", G_CALLBACK (on_response_first), NULL);

  /* libadwaita 1.2 has a single heading label, which wraps already, and
   * no heading bin. */
  fix_heading_labels (dialog);
  return dialog;
}

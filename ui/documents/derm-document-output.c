/* derm-document-output.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-documents-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-document-output.h"

static void
toast (GtkWindow  *parent,
       const char *message)
{
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-toast", "s", message);
}

/* --- printing ---------------------------------------------------------- */

static void
begin_print (GtkPrintOperation *op,
             GtkPrintContext   *context,
             DermDocument      *doc)
{
  guint n = derm_document_paginate (doc, gtk_print_context_get_width (context),
                                    gtk_print_context_get_height (context));

  gtk_print_operation_set_n_pages (op, (int) n);
}

static void
draw_page (GtkPrintOperation *op,
           GtkPrintContext   *context,
           int                page_nr,
           DermDocument      *doc)
{
  derm_document_draw_page (doc, gtk_print_context_get_cairo_context (context), (guint) page_nr);
}

static void
print_done (GtkPrintOperation       *op,
            GtkPrintOperationResult  result,
            GtkWindow               *parent)
{
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *message = NULL;

      gtk_print_operation_get_error (op, &error);
      message = g_strdup_printf (_("Printing failed: %s"), error != NULL ? error->message : _("unknown error"));
      toast (parent, message);
    }
  g_object_unref (op);
}

void
derm_document_output_print (GtkWindow    *parent,
                            DermDocument *doc,
                            DermPaper     paper)
{
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPaperSize) size = gtk_paper_size_new (paper == DERM_PAPER_LETTER ? GTK_PAPER_NAME_LETTER
                                                                                 : GTK_PAPER_NAME_A4);
  g_autoptr (GError) error = NULL;
  GtkPrintOperation *op;
  GtkPrintOperationResult result;

  g_return_if_fail (DERM_IS_DOCUMENT (doc));

  gtk_page_setup_set_paper_size_and_default_margins (setup, size);
  op = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (op, derm_document_get_title (doc));
  gtk_print_operation_set_default_page_setup (op, setup);
  /* The document draws its own margins, in points from the paper's corner */
  gtk_print_operation_set_use_full_page (op, TRUE);
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (op, TRUE);
  gtk_print_operation_set_allow_async (op, TRUE);
  g_signal_connect_data (op, "begin-print", G_CALLBACK (begin_print), g_object_ref (doc),
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page), doc);
  g_signal_connect_object (op, "done", G_CALLBACK (print_done), parent, 0);
  result = gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *message = g_strdup_printf (_("Printing failed: %s"), error->message);

      toast (parent, message);
    }
  if (result != GTK_PRINT_OPERATION_RESULT_IN_PROGRESS)
    g_object_unref (op);
}

/* --- saving ------------------------------------------------------------ */

typedef struct
{
  GtkWindow    *parent;
  DermDocument *doc;
  DermPaper     paper;
  char         *data_dir;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_weak_pointer (&data->parent);
  g_clear_object (&data->doc);
  g_free (data->data_dir);
  g_free (data);
}

static void
on_save_response (GtkNativeDialog *dialog,
                  int              response,
                  SaveData        *data)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;

      if (path == NULL)
        toast (data->parent, _("That place cannot be written to. Choose a folder on this computer."));
      /* The chooser asked before replacing a file */
      else if (!derm_document_write_pdf (data->doc, data->paper, path, data->data_dir, TRUE, &error))
        toast (data->parent, error->message);
      else
        {
          g_autofree char *base = g_path_get_basename (path);
          g_autofree char *message = g_strdup_printf (_("Saved as %s"), base);

          toast (data->parent, message);
        }
    }
  save_data_free (data);
  g_object_unref (dialog);
}

void
derm_document_output_save (GtkWindow    *parent,
                           DermDocument *doc,
                           DermPaper     paper,
                           const char   *file_name,
                           const char   *data_dir)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  SaveData *data;

  g_return_if_fail (DERM_IS_DOCUMENT (doc));

  chooser = gtk_file_chooser_native_new (_("Save as PDF"), parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  data = g_new0 (SaveData, 1);
  g_set_weak_pointer (&data->parent, parent);
  data->doc = g_object_ref (doc);
  data->paper = paper;
  data->data_dir = g_strdup (data_dir);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

char *
derm_document_output_file_name (const char *kind,
                                const char *date,
                                const char *name)
{
  g_autofree char *joined = g_strdup_printf ("%s %s %s.pdf", kind, date, name);

  return g_strdelimit (g_steal_pointer (&joined), "/\\:*?\"<>|", '-');
}

/* derm-report-dialog.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-documents-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-client.h"
#include "derm-document-output.h"
#include "derm-photo.h"
#include "derm-photo-use-confirm.h"
#include "derm-progress-report.h"
#include "derm-report-dialog.h"
#include "derm-store-documents.h"
#include "derm-validate.h"
#include "derm-toast.h"

struct _DermReportDialog
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwComboRow          *view_row;
  GtkStringList        *views;
  AdwEntryRow          *from_row;
  AdwEntryRow          *to_row;
  AdwComboRow          *paper_row;
  AdwComboRow          *use_row;
  GtkStringList        *uses;
  GtkWidget            *progress_box;
  GtkProgressBar       *progress_bar;
  GtkLabel             *status_label;
  GtkDrawingArea       *preview;
  GtkLabel             *page_label;

  DermPhotoLibrary     *library;
  gint64                client_id;
  DermAnalysisSettings  settings;
  char                 *client_name;
  DermProgressReport   *report;
  GCancellable         *cancellable;
  DermDocument         *document;
  DermPaper             paper;        /* the document's last layout */
  guint                 page;
  guint                 n_pages;
  char                 *report_date;  /* YYYY-MM-DD of the report made */
  char                 *save_path;    /* derm_report_dialog_save_to_file()'s, until confirmed */
};

G_DEFINE_FINAL_TYPE (DermReportDialog, derm_report_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUILDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Row i of the view list: 0 every view, then the views in their order */
#define ROW_OF_VIEW(view) ((view) == DERM_PROGRESS_REPORT_ALL_VIEWS ? 0u : (guint) (view) + 1)

static void
toast (DermReportDialog *self,
       const char       *message)
{
  derm_toast_show (GTK_WIDGET (self->toast_overlay), message);
}

static void
set_status (DermReportDialog *self,
            const char       *text)
{
  gtk_label_set_label (self->status_label, text);
}

static void
update_pages (DermReportDialog *self)
{
  g_autofree char *text = NULL;

  if (self->document != NULL)
    {
      double w, h;

      self->paper = adw_combo_row_get_selected (self->paper_row) == 1 ? DERM_PAPER_LETTER : DERM_PAPER_A4;
      derm_paper_get_size (self->paper, &w, &h);
      self->n_pages = derm_document_paginate (self->document, w, h);
      self->page = MIN (self->page, self->n_pages - 1);
      text = g_strdup_printf (_("Page %u of %u"), self->page + 1, self->n_pages);
    }
  else
    {
      self->n_pages = 0;
      self->page = 0;
    }
  gtk_label_set_label (self->page_label, text != NULL ? text : "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.previous-page", self->page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.next-page", self->page + 1 < self->n_pages);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.print", self->document != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.save", self->document != NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self->preview));
}

static void
draw_preview (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  DermReportDialog *self = user_data;
  double pw, ph, scale, x, y;

  if (self->document == NULL || self->n_pages == 0)
    return;
  derm_paper_get_size (self->paper, &pw, &ph);
  scale = MIN ((width - 32) / pw, (height - 32) / ph);
  if (scale <= 0)
    return;
  x = (width - pw * scale) / 2;
  y = (height - ph * scale) / 2;
  /* The sheet, with a shadow */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.18);
  cairo_rectangle (cr, x + 3, y + 3, pw * scale, ph * scale);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, pw * scale, ph * scale);
  cairo_fill (cr);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, scale, scale);
  cairo_rectangle (cr, 0, 0, pw, ph);
  cairo_clip (cr);
  derm_document_draw_page (self->document, cr, self->page);
  cairo_restore (cr);
}

static void
set_building (DermReportDialog *self,
              gboolean          building)
{
  gtk_widget_set_visible (self->progress_box, building);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDING]);
}

static void
build_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (DermReportDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermDocument) doc = derm_progress_report_build_finish (DERM_PROGRESS_REPORT (source), result, &error);

  /* A newer build replaced this one (it reports for itself), or the
   * dialog was closed */
  if (DERM_PROGRESS_REPORT (source) != self->report)
    return;
  g_clear_object (&self->cancellable);
  set_building (self, FALSE);
  if (doc == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, _("Cancelled. Make the report again when you are ready."));
      else
        {
          g_autofree char *text = g_strdup_printf (_("The report could not be made: %s"), error->message);

          set_status (self, text);
        }
      return;
    }
  g_set_object (&self->document, doc);
  self->page = 0;
  update_pages (self);
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The report is ready: %u page.",
                                                          "The report is ready: %u pages.", self->n_pages),
                                             self->n_pages);

    set_status (self, text);
  }
}

/* Reads the options, refuses a date that is not one, and starts a new
 * report in a worker (cancelling one still being made) */
static void
build (DermReportDialog *self)
{
  const char *from = gtk_editable_get_text (GTK_EDITABLE (self->from_row));
  const char *to = gtk_editable_get_text (GTK_EDITABLE (self->to_row));
  guint row = adw_combo_row_get_selected (self->view_row);
  GDate day;

  if ((*from != '\0' && !derm_date_parse (from, &day)) || (*to != '\0' && !derm_date_parse (to, &day)))
    {
      set_status (self, _("Write the dates as YYYY-MM-DD, e.g. 2026-03-01, or leave them empty."));
      return;
    }
  if (*from != '\0' && *to != '\0' && g_strcmp0 (from, to) > 0)
    {
      set_status (self, _("The period starts after it ends. Swap the dates."));
      return;
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_object (&self->report);
  self->report = derm_progress_report_new (self->library, self->client_id);
  derm_progress_report_set_view (self->report, row == 0 ? DERM_PROGRESS_REPORT_ALL_VIEWS : (int) row - 1);
  derm_progress_report_set_date_range (self->report, from, to);
  derm_progress_report_set_settings (self->report, &self->settings);
  g_object_bind_property (self->report, "progress", self->progress_bar, "fraction", G_BINDING_SYNC_CREATE);
  g_clear_object (&self->document);
  update_pages (self);
  g_free (self->report_date);
  if (*to != '\0')
    self->report_date = g_strdup (to);
  else
    {
      derm_date_today (&day);
      self->report_date = derm_date_format (&day);
    }
  set_status (self, _("Making the report…"));
  derm_progress_report_build_async (self->report, self->cancellable, build_done, g_object_ref (self));
  set_building (self, TRUE);
}

static void
on_option_changed (DermReportDialog *self)
{
  build (self);
}

static void
build_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  build (DERM_REPORT_DIALOG (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DermReportDialog *self = DERM_REPORT_DIALOG (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DermReportDialog *self = DERM_REPORT_DIALOG (widget);

  if (g_str_equal (action_name, "report.previous-page") && self->page > 0)
    self->page--;
  else if (g_str_equal (action_name, "report.next-page") && self->page + 1 < self->n_pages)
    self->page++;
  update_pages (self);
}

/* Print or save once the photos' consent covers the use chosen (or the
 * override is logged): the report as it is now, whatever is made next */
typedef enum { OUTPUT_PRINT, OUTPUT_SAVE } Output;

static void
output (DermReportDialog *self,
        Output            what)
{
  g_autofree char *name = NULL;

  if (what == OUTPUT_PRINT)
    {
      derm_document_output_print (GTK_WINDOW (self), self->document, self->paper);
      return;
    }
  if (self->save_path != NULL)
    {
      g_autofree char *path = g_steal_pointer (&self->save_path);
      g_autoptr (GError) error = NULL;
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *message = g_strdup_printf (_("Saved as %s"), base);

      if (!derm_document_write_pdf (self->document, self->paper, path,
                                    derm_store_get_data_dir (derm_photo_library_get_store (self->library)), TRUE,
                                    &error))
        toast (self, error->message);
      else
        toast (self, message);
      return;
    }
  name = derm_document_output_file_name (_("Progress report"), self->report_date, self->client_name);
  derm_document_output_save (GTK_WINDOW (self), self->document, self->paper, name,
                             derm_store_get_data_dir (derm_photo_library_get_store (self->library)));
}

static void
output_confirmed (gpointer      user_data,
                  gboolean      go,
                  const GError *error,
                  Output        what)
{
  DermReportDialog *self = user_data;

  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Nothing was exported: %s"), error->message);

      toast (self, text);
    }
  else if (go && self->document != NULL)
    output (self, what);
  g_clear_pointer (&self->save_path, g_free);
}

static void
print_confirmed (gpointer      user_data,
                 gboolean      go,
                 const GError *error)
{
  output_confirmed (user_data, go, error, OUTPUT_PRINT);
}

static void
save_confirmed (gpointer      user_data,
                gboolean      go,
                const GError *error)
{
  output_confirmed (user_data, go, error, OUTPUT_SAVE);
}

static void
print_or_save (DermReportDialog       *self,
               DermPhotoUseConfirmFunc confirmed)
{
  guint use = adw_combo_row_get_selected (self->use_row);

  if (self->document == NULL || self->report == NULL)
    return;
  derm_photo_use_confirm_export (GTK_WINDOW (self), derm_photo_library_get_store (self->library),
                                 derm_progress_report_get_photos (self->report),
                                 use < DERM_N_PHOTO_USES ? (DermPhotoUse) use : DERM_PHOTO_USE_CLINICAL,
                                 "report", confirmed, self);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  print_or_save (DERM_REPORT_DIALOG (widget), print_confirmed);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  print_or_save (DERM_REPORT_DIALOG (widget), save_confirmed);
}

/* What derm-document-output shows through "win.show-toast" */
static void
show_toast_activated (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  toast (DERM_REPORT_DIALOG (user_data), g_variant_get_string (param, NULL));
}

static void
on_paper_changed (DermReportDialog *self)
{
  update_pages (self);
}

static void
derm_report_dialog_dispose (GObject *object)
{
  DermReportDialog *self = DERM_REPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  /* A build still running finishes into a closed dialog: it no longer
   * matches the report, so it touches no widget */
  g_clear_object (&self->report);
  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_REPORT_DIALOG);

  G_OBJECT_CLASS (derm_report_dialog_parent_class)->dispose (object);
}

static void
derm_report_dialog_finalize (GObject *object)
{
  DermReportDialog *self = DERM_REPORT_DIALOG (object);

  g_clear_object (&self->library);
  g_clear_object (&self->report);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->document);
  g_free (self->client_name);
  g_free (self->report_date);
  g_free (self->save_path);

  G_OBJECT_CLASS (derm_report_dialog_parent_class)->finalize (object);
}

static void
derm_report_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DermReportDialog *self = DERM_REPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_BUILDING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_report_dialog_class_init (DermReportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_report_dialog_dispose;
  object_class->finalize = derm_report_dialog_finalize;
  object_class->get_property = derm_report_dialog_get_property;

  /* TRUE while a report is being made */
  properties[PROP_BUILDING] =
    g_param_spec_boolean ("building", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-report-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DermReportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DermReportDialog, view_row);
  gtk_widget_class_bind_template_child (widget_class, DermReportDialog, views);
  gtk_widget_class_bind_template_child (widget_class, DermReportDialog, from_row);
  gtk_widget_class_bind_template_child (widget_class, DermReportDialog, to_row);
  gtk_widget_class_bind_template_child (widget_class, DermReportDialog, paper_row);
  gtk_widget_class_bind_template_child (widget_class, DermReportDialog, use_row);
  gtk_widget_class_bind_template_child (widget_class, DermReportDialog, uses);
  gtk_widget_class_bind_template_child (widget_class, DermReportDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, DermReportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DermReportDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, DermReportDialog, preview);
  gtk_widget_class_bind_template_child (widget_class, DermReportDialog, page_label);
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed);

  gtk_widget_class_install_action (widget_class, "report.build", NULL, build_action);
  gtk_widget_class_install_action (widget_class, "report.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "report.previous-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "report.next-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "report.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "report.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "report.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "report.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "report.print", NULL);
}

static void
derm_report_dialog_init (DermReportDialog *self)
{
  static const GActionEntry win_actions[] = {
    { "show-toast", show_toast_activated, "s", NULL, NULL, { 0 } },
  };
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  derm_analysis_settings_init (&self->settings);
  derm_photo_use_confirm_fill_uses (self->uses);
  gtk_string_list_append (self->views, _("Every view with photos"));
  for (int v = 0; v < DERM_N_PHOTO_VIEWS; v++)
    gtk_string_list_append (self->views, derm_photo_view_to_label ((DermPhotoView) v));
  gtk_drawing_area_set_draw_func (self->preview, draw_preview, self, NULL);
  g_action_map_add_action_entries (G_ACTION_MAP (group), win_actions, G_N_ELEMENTS (win_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "win", G_ACTION_GROUP (group));
  update_pages (self);
}

/* What the dialog shows before the report: the client's name and the
 * clinic's paper size, read on the store's worker */
typedef struct
{
  char      *client_name;   /* NULL: no such client */
  DermPaper  paper;
} ReportHeading;

static void
report_heading_free (gpointer data)
{
  ReportHeading *heading = data;

  g_free (heading->client_name);
  g_free (heading);
}

static gboolean
read_heading (DermStore  *store,
              gpointer    data,
              gpointer   *result,
              GError    **error)
{
  ReportHeading *heading = g_new0 (ReportHeading, 1);
  g_autoptr (DermClient) client = derm_store_get_client (store, *(gint64 *) data, NULL);

  heading->client_name = client != NULL ? g_strdup (derm_client_get_name (client)) : NULL;
  heading->paper = DERM_PAPER_A4;
  derm_store_get_letterhead (store, NULL, NULL, NULL, &heading->paper, NULL);
  *result = heading;
  return TRUE;
}

static void
on_heading_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (DermReportDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  ReportHeading *heading = NULL;

  if (!derm_store_run_finish (DERM_STORE (source), result, (gpointer *) &heading, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->cancellable);
      set_building (self, FALSE);
      set_status (self, error->message);
      return;
    }
  g_free (self->client_name);
  self->client_name = g_strdup (heading->client_name != NULL ? heading->client_name : "");
  if (heading->client_name != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Progress Report for %s"), heading->client_name);

      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  adw_combo_row_set_selected (self->paper_row, heading->paper == DERM_PAPER_LETTER ? 1 : 0);
  report_heading_free (heading);
  g_signal_connect_object (self->paper_row, "notify::selected", G_CALLBACK (on_paper_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_row, "notify::selected", G_CALLBACK (on_option_changed), self,
                           G_CONNECT_SWAPPED);
  build (self);
}

GtkWidget *
derm_report_dialog_new (GtkWindow                  *parent,
                        DermPhotoLibrary           *library,
                        gint64                      client_id,
                        int                         view,
                        const DermAnalysisSettings *settings)
{
  DermReportDialog *self;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);
  g_return_val_if_fail (view == DERM_PROGRESS_REPORT_ALL_VIEWS || (view >= 0 && view < DERM_N_PHOTO_VIEWS), NULL);

  self = g_object_new (DERM_TYPE_REPORT_DIALOG, "transient-for", parent, NULL);
  self->library = g_object_ref (library);
  self->client_id = client_id;
  if (settings != NULL)
    self->settings = *settings;
  self->client_name = g_strdup ("");
  adw_combo_row_set_selected (self->view_row, ROW_OF_VIEW (view));
  /* The client's name and the paper size come from the store's worker;
   * the report is made once they are back ("building" meanwhile) */
  self->cancellable = g_cancellable_new ();
  set_status (self, _("Making the report…"));
  set_building (self, TRUE);
  derm_store_run_async (derm_photo_library_get_store (library), read_heading,
                        g_memdup2 (&client_id, sizeof client_id), g_free, report_heading_free,
                        self->cancellable, on_heading_read, g_object_ref (self));
  return GTK_WIDGET (self);
}

DermDocument *
derm_report_dialog_get_document (DermReportDialog *self)
{
  g_return_val_if_fail (DERM_IS_REPORT_DIALOG (self), NULL);
  return self->document;
}

guint
derm_report_dialog_get_page (DermReportDialog *self)
{
  g_return_val_if_fail (DERM_IS_REPORT_DIALOG (self), 0);
  return self->page;
}

guint
derm_report_dialog_get_n_pages (DermReportDialog *self)
{
  g_return_val_if_fail (DERM_IS_REPORT_DIALOG (self), 0);
  return self->n_pages;
}

const char *
derm_report_dialog_get_status (DermReportDialog *self)
{
  g_return_val_if_fail (DERM_IS_REPORT_DIALOG (self), NULL);
  return gtk_label_get_label (self->status_label);
}

void
derm_report_dialog_set_period (DermReportDialog *self,
                               const char       *from,
                               const char       *to)
{
  g_return_if_fail (DERM_IS_REPORT_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->from_row), from != NULL ? from : "");
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), to != NULL ? to : "");
}

void
derm_report_dialog_set_use (DermReportDialog *self,
                            DermPhotoUse      use)
{
  g_return_if_fail (DERM_IS_REPORT_DIALOG (self));
  g_return_if_fail ((guint) use < DERM_N_PHOTO_USES);

  adw_combo_row_set_selected (self->use_row, (guint) use);
}

void
derm_report_dialog_save_to_file (DermReportDialog *self,
                                 GFile            *file)
{
  g_return_if_fail (DERM_IS_REPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->document == NULL)
    return;
  g_free (self->save_path);
  self->save_path = g_file_get_path (file);
  print_or_save (self, save_confirmed);
}

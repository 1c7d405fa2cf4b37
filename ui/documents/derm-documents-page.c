/* derm-documents-page.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-documents-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-aftercare-template.h"
#include "derm-document.h"
#include "derm-documents-page.h"
#include "derm-protocol.h"
#include "derm-store-documents.h"
#include "derm-store-planner.h"
#include "derm-toast.h"

enum { SECTION_SUN, SECTION_SKINCARE, SECTION_ACTIVES, SECTION_NORMAL, SECTION_CALL, N_SECTIONS };

static const char * const section_keys[N_SECTIONS] = { "sun", "skincare", "actives", "normal", "call" };

struct _DermDocumentsPage
{
  AdwPreferencesPage    parent_instance;

  DermStore            *store;
  GBytes               *logo;
  GtkFileChooserNative *chooser;
  gboolean              loading;
  char                 *message;

  AdwEntryRow          *name_row;
  AdwEntryRow          *contact_row;
  AdwActionRow         *logo_row;
  GtkWidget            *remove_logo_button;
  AdwComboRow          *paper_row;

  AdwComboRow          *protocol_row;
  GArray               *protocol_ids;   /* gint64, parallel to the combo's items */
  GtkTextView          *sun_view;
  GtkTextView          *skincare_view;
  GtkTextView          *actives_view;
  GtkTextView          *normal_view;
  GtkTextView          *call_view;
  GtkTextBuffer        *buffers[N_SECTIONS];
  GtkSpinButton        *days;
  AdwActionRow         *advice_status_row;
};

G_DEFINE_FINAL_TYPE (DermDocumentsPage, derm_documents_page, ADW_TYPE_PREFERENCES_PAGE)

static void
show_message (DermDocumentsPage *self,
              const char        *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_free (self->message);
  self->message = g_strdup (message);
  if (ADW_IS_PREFERENCES_WINDOW (root))
    {
      derm_toast_show (GTK_WIDGET (root), message);
    }
}

/* --- the letterhead ---------------------------------------------------- */

static void
update_logo_row (DermDocumentsPage *self)
{
  g_autofree char *subtitle = NULL;

  if (self->logo != NULL)
    subtitle = g_strdup_printf (_("PNG image, %s"), g_format_size (g_bytes_get_size (self->logo)));
  adw_action_row_set_subtitle (self->logo_row, subtitle != NULL ? subtitle : _("None"));
  gtk_widget_set_sensitive (self->remove_logo_button, self->logo != NULL);
}

static void
load_letterhead (DermDocumentsPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *contact = NULL;
  DermPaper paper = DERM_PAPER_A4;

  g_clear_pointer (&self->logo, g_bytes_unref);
  if (!derm_store_get_letterhead (self->store, &name, &contact, &self->logo, &paper, &error))
    {
      show_message (self, error->message);
      return;
    }
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  gtk_editable_set_text (GTK_EDITABLE (self->contact_row), contact);
  adw_combo_row_set_selected (self->paper_row, paper == DERM_PAPER_LETTER ? 1 : 0);
  self->loading = FALSE;
  update_logo_row (self);
}

/* Saves the rows as they are with @logo; on failure says why and shows
 * what is stored again */
static gboolean
save_letterhead (DermDocumentsPage *self,
                 GBytes            *logo)
{
  g_autoptr (GError) error = NULL;
  DermPaper paper = adw_combo_row_get_selected (self->paper_row) == 1 ? DERM_PAPER_LETTER : DERM_PAPER_A4;

  if (self->loading)
    return TRUE;
  if (!derm_store_set_letterhead (self->store, gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                                  gtk_editable_get_text (GTK_EDITABLE (self->contact_row)),
                                  logo, paper, &error))
    {
      show_message (self, error->message);
      load_letterhead (self);
      return FALSE;
    }
  load_letterhead (self);
  show_message (self, _("Letterhead saved"));
  return TRUE;
}

static void
on_letterhead_apply (DermDocumentsPage *self)
{
  save_letterhead (self, self->logo);
}

static void
on_paper_changed (DermDocumentsPage *self)
{
  if (self->store == NULL)
    return;
  save_letterhead (self, self->logo);
}

static void
on_logo_chosen (GtkNativeDialog   *dialog,
                int                response,
                DermDocumentsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) bytes = file != NULL ? g_file_load_bytes (file, NULL, NULL, &error) : NULL;

      if (bytes == NULL)
        show_message (self, error != NULL ? error->message : _("That file cannot be read."));
      else if (!derm_document_check_logo (bytes, &error))
        show_message (self, error->message);
      else
        save_letterhead (self, bytes);
    }
  g_clear_object (&self->chooser);
}

static void
choose_logo_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DermDocumentsPage *self = DERM_DOCUMENTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Clinic Logo"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_logo_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
remove_logo_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  save_letterhead (DERM_DOCUMENTS_PAGE (widget), NULL);
}

/* --- aftercare advice -------------------------------------------------- */

static gint64
selected_protocol (DermDocumentsPage *self)
{
  guint i = adw_combo_row_get_selected (self->protocol_row);

  if (i == GTK_INVALID_LIST_POSITION || i >= self->protocol_ids->len)
    return 0;
  return g_array_index (self->protocol_ids, gint64, i);
}

static void
load_advice (DermDocumentsPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermAftercareTemplate) advice = derm_store_get_aftercare_template (self->store, selected_protocol (self),
                                                                                &error);
  const char *texts[N_SECTIONS];
  const char *updated;

  if (advice == NULL)
    {
      show_message (self, error->message);
      return;
    }
  texts[SECTION_SUN] = derm_aftercare_template_get_sun (advice);
  texts[SECTION_SKINCARE] = derm_aftercare_template_get_skincare (advice);
  texts[SECTION_ACTIVES] = derm_aftercare_template_get_actives (advice);
  texts[SECTION_NORMAL] = derm_aftercare_template_get_normal (advice);
  texts[SECTION_CALL] = derm_aftercare_template_get_call (advice);
  for (guint i = 0; i < N_SECTIONS; i++)
    gtk_text_buffer_set_text (self->buffers[i], texts[i], -1);
  gtk_spin_button_set_value (self->days, derm_aftercare_template_get_actives_days (advice));
  updated = derm_aftercare_template_get_updated_at (advice);
  if (updated != NULL)
    {
      g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (updated, NULL);
      g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%-d %b %Y, %H:%M") : g_strdup (updated);
      g_autofree char *subtitle = g_strdup_printf (_("Edited for this protocol, %s"), g_strstrip (when));

      adw_action_row_set_subtitle (self->advice_status_row, subtitle);
    }
  else
    adw_action_row_set_subtitle (self->advice_status_row, _("The built-in advice: never edited for this protocol"));
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
save_advice_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DermDocumentsPage *self = DERM_DOCUMENTS_PAGE (widget);
  g_autoptr (DermAftercareTemplate) advice = derm_aftercare_template_new_default (selected_protocol (self));
  g_autoptr (GError) error = NULL;
  char *texts[N_SECTIONS] = { NULL };

  for (guint i = 0; i < N_SECTIONS; i++)
    texts[i] = buffer_text (self->buffers[i]);
  derm_aftercare_template_set_sun (advice, texts[SECTION_SUN]);
  derm_aftercare_template_set_skincare (advice, texts[SECTION_SKINCARE]);
  derm_aftercare_template_set_actives (advice, texts[SECTION_ACTIVES]);
  derm_aftercare_template_set_normal (advice, texts[SECTION_NORMAL]);
  derm_aftercare_template_set_call (advice, texts[SECTION_CALL]);
  gtk_spin_button_update (self->days);
  derm_aftercare_template_set_actives_days (advice, (guint) gtk_spin_button_get_value_as_int (self->days));
  for (guint i = 0; i < N_SECTIONS; i++)
    g_free (texts[i]);

  if (!derm_store_save_aftercare_template (self->store, advice, &error))
    {
      /* The edits stay in the form, to be corrected */
      show_message (self, error->message);
      return;
    }
  load_advice (self);
  show_message (self, _("Aftercare advice saved"));
}

static void
reset_advice_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  DermDocumentsPage *self = DERM_DOCUMENTS_PAGE (widget);
  g_autoptr (GError) error = NULL;

  if (!derm_store_reset_aftercare_template (self->store, selected_protocol (self), &error))
    {
      show_message (self, error->message);
      return;
    }
  load_advice (self);
  show_message (self, _("Built-in advice restored"));
}

static void
load_protocols (DermDocumentsPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) protocols = derm_store_list_protocols (self->store, &error);
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  gint64 none = 0;

  g_array_set_size (self->protocol_ids, 0);
  gtk_string_list_append (names, _("Sessions outside a series"));
  g_array_append_val (self->protocol_ids, none);
  if (protocols == NULL)
    show_message (self, error->message);
  for (guint i = 0; protocols != NULL && i < protocols->len; i++)
    {
      DermProtocol *protocol = g_ptr_array_index (protocols, i);
      gint64 id = derm_protocol_get_id (protocol);

      gtk_string_list_append (names, derm_protocol_get_name (protocol));
      g_array_append_val (self->protocol_ids, id);
    }
  adw_combo_row_set_model (self->protocol_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->protocol_row, protocols != NULL && protocols->len > 0 ? 1 : 0);
}

static void
on_protocol_changed (DermDocumentsPage *self)
{
  if (self->store != NULL)
    load_advice (self);
}

gboolean
derm_documents_page_select_protocol (DermDocumentsPage *self,
                                     gint64             protocol_id)
{
  g_return_val_if_fail (DERM_IS_DOCUMENTS_PAGE (self), FALSE);

  for (guint i = 0; i < self->protocol_ids->len; i++)
    if (g_array_index (self->protocol_ids, gint64, i) == protocol_id)
      {
        adw_combo_row_set_selected (self->protocol_row, i);
        return TRUE;
      }
  return FALSE;
}

GtkTextBuffer *
derm_documents_page_get_buffer (DermDocumentsPage *self,
                                const char        *section)
{
  g_return_val_if_fail (DERM_IS_DOCUMENTS_PAGE (self), NULL);

  for (guint i = 0; i < N_SECTIONS; i++)
    if (g_str_equal (section, section_keys[i]))
      return self->buffers[i];
  g_return_val_if_reached (NULL);
}

GtkSpinButton *
derm_documents_page_get_days (DermDocumentsPage *self)
{
  g_return_val_if_fail (DERM_IS_DOCUMENTS_PAGE (self), NULL);
  return self->days;
}

const char *
derm_documents_page_get_message (DermDocumentsPage *self)
{
  g_return_val_if_fail (DERM_IS_DOCUMENTS_PAGE (self), NULL);
  return self->message;
}

/* --- the page ---------------------------------------------------------- */

GtkWidget *
derm_documents_page_new (DermStore *store)
{
  DermDocumentsPage *self;

  g_return_val_if_fail (DERM_IS_STORE (store), NULL);

  self = g_object_new (DERM_TYPE_DOCUMENTS_PAGE, NULL);
  self->store = g_object_ref (store);
  load_letterhead (self);
  load_protocols (self);
  load_advice (self);
  return GTK_WIDGET (self);
}

static void
derm_documents_page_dispose (GObject *object)
{
  DermDocumentsPage *self = DERM_DOCUMENTS_PAGE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  G_OBJECT_CLASS (derm_documents_page_parent_class)->dispose (object);
}

static void
derm_documents_page_finalize (GObject *object)
{
  DermDocumentsPage *self = DERM_DOCUMENTS_PAGE (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->logo, g_bytes_unref);
  g_array_unref (self->protocol_ids);
  g_free (self->message);
  G_OBJECT_CLASS (derm_documents_page_parent_class)->finalize (object);
}

static void
derm_documents_page_class_init (DermDocumentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_documents_page_dispose;
  object_class->finalize = derm_documents_page_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-documents-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DermDocumentsPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, DermDocumentsPage, contact_row);
  gtk_widget_class_bind_template_child (widget_class, DermDocumentsPage, logo_row);
  gtk_widget_class_bind_template_child (widget_class, DermDocumentsPage, remove_logo_button);
  gtk_widget_class_bind_template_child (widget_class, DermDocumentsPage, paper_row);
  gtk_widget_class_bind_template_child (widget_class, DermDocumentsPage, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, DermDocumentsPage, advice_status_row);
  gtk_widget_class_bind_template_child (widget_class, DermDocumentsPage, sun_view);
  gtk_widget_class_bind_template_child (widget_class, DermDocumentsPage, skincare_view);
  gtk_widget_class_bind_template_child (widget_class, DermDocumentsPage, actives_view);
  gtk_widget_class_bind_template_child (widget_class, DermDocumentsPage, normal_view);
  gtk_widget_class_bind_template_child (widget_class, DermDocumentsPage, call_view);
  gtk_widget_class_bind_template_child (widget_class, DermDocumentsPage, days);
  gtk_widget_class_bind_template_callback (widget_class, on_letterhead_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_paper_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_protocol_changed);
  gtk_widget_class_install_action (widget_class, "documents.choose-logo", NULL, choose_logo_action);
  gtk_widget_class_install_action (widget_class, "documents.remove-logo", NULL, remove_logo_action);
  gtk_widget_class_install_action (widget_class, "documents.save-advice", NULL, save_advice_action);
  gtk_widget_class_install_action (widget_class, "documents.reset-advice", NULL, reset_advice_action);
}

static void
derm_documents_page_init (DermDocumentsPage *self)
{
  GtkTextView *views[N_SECTIONS];

  self->protocol_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_init_template (GTK_WIDGET (self));
  views[SECTION_SUN] = self->sun_view;
  views[SECTION_SKINCARE] = self->skincare_view;
  views[SECTION_ACTIVES] = self->actives_view;
  views[SECTION_NORMAL] = self->normal_view;
  views[SECTION_CALL] = self->call_view;
  for (guint i = 0; i < N_SECTIONS; i++)
    self->buffers[i] = gtk_text_view_get_buffer (views[i]);
  /* The limit the store checks, kept in one place */
  gtk_spin_button_set_range (self->days, 0, DERM_AFTERCARE_MAX_DAYS);
}

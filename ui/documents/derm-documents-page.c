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
      g_autofree char *escaped = g_markup_escape_text (message, -1);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (escaped));
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
  gtk_widget_class_install_action (widget_class, "documents.choose-logo", NULL, choose_logo_action);
  gtk_widget_class_install_action (widget_class, "documents.remove-logo", NULL, remove_logo_action);
  gtk_widget_class_install_action (widget_class, "documents.save-advice", NULL, save_advice_action);
  gtk_widget_class_install_action (widget_class, "documents.reset-advice", NULL, reset_advice_action);
}

static GtkWidget *
suffix_button (const char *mnemonic,
               const char *action)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (mnemonic);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  return button;
}

static void
derm_documents_page_init (DermDocumentsPage *self)
{
  const char *section_titles[N_SECTIONS] = {
    [SECTION_SUN] = _("Sun and SPF"),
    [SECTION_SKINCARE] = _("Cleanser and moisturiser"),
    [SECTION_ACTIVES] = _("Active ingredients to leave out"),
    [SECTION_NORMAL] = _("What is normal"),
    [SECTION_CALL] = _("When to call the clinic"),
  };
  g_autoptr (GtkStringList) papers = gtk_string_list_new ((const char *[]) { "A4", "Letter", NULL });
  GtkWidget *group, *row, *box;

  self->protocol_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Documents"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "x-office-document-symbolic");

  /* Letterhead */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Letterhead"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Printed at the top of every document Dermis makes, such as the aftercare sheet."));
  self->name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), _("Clinic name"));
  adw_entry_row_set_show_apply_button (self->name_row, TRUE);
  g_signal_connect_swapped (self->name_row, "apply", G_CALLBACK (on_letterhead_apply), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->name_row));
  self->contact_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->contact_row), _("Contact line (address, phone)"));
  adw_entry_row_set_show_apply_button (self->contact_row, TRUE);
  g_signal_connect_swapped (self->contact_row, "apply", G_CALLBACK (on_letterhead_apply), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->contact_row));
  self->logo_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->logo_row), _("Logo"));
  self->remove_logo_button = suffix_button (_("_Remove"), "documents.remove-logo");
  adw_action_row_add_suffix (self->logo_row, suffix_button (_("C_hoose…"), "documents.choose-logo"));
  adw_action_row_add_suffix (self->logo_row, self->remove_logo_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->logo_row));
  self->paper_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->paper_row), _("Paper size"));
  adw_combo_row_set_model (self->paper_row, G_LIST_MODEL (papers));
  g_signal_connect_swapped (self->paper_row, "notify::selected", G_CALLBACK (on_paper_changed), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->paper_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));

  /* Aftercare advice */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Aftercare Sheet"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("The advice printed for each protocol, merged with the session’s date, areas, depths, practitioner and next appointment."));
  self->protocol_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->protocol_row), _("Protocol"));
  g_signal_connect_swapped (self->protocol_row, "notify::selected", G_CALLBACK (on_protocol_changed), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->protocol_row));
  self->advice_status_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->advice_status_row), _("Advice"));
  adw_action_row_add_suffix (self->advice_status_row, suffix_button (_("Restore _Built-in"), "documents.reset-advice"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->advice_status_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  for (guint i = 0; i < N_SECTIONS; i++)
    {
      GtkWidget *label = gtk_label_new (section_titles[i]);
      GtkWidget *view = gtk_text_view_new ();
      GtkWidget *frame = gtk_frame_new (NULL);

      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_widget_set_margin_bottom (box, 12);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "heading");
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
      gtk_widget_set_size_request (view, -1, 64);
      gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, section_titles[i], -1);
      gtk_frame_set_child (GTK_FRAME (frame), view);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), frame);
      self->buffers[i] = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), box);
      if (i == SECTION_ACTIVES)
        {
          GtkWidget *list = gtk_list_box_new ();

          gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
          gtk_widget_add_css_class (list, "boxed-list");
          gtk_widget_set_margin_bottom (list, 12);
          row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Days without them after the session"));
          self->days = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, DERM_AFTERCARE_MAX_DAYS, 1));
          gtk_widget_set_valign (GTK_WIDGET (self->days), GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (self->days), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Days without active ingredients"), -1);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->days));
          gtk_list_box_append (GTK_LIST_BOX (list), row);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
        }
    }
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_halign (box, GTK_ALIGN_END);
  {
    GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save Advice"));

    gtk_widget_add_css_class (save, "suggested-action");
    gtk_actionable_set_action_name (GTK_ACTIONABLE (save), "documents.save-advice");
    gtk_box_append (GTK_BOX (box), save);
  }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), box);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));
}

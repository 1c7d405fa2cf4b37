/* derm-treatment-dialog.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-treatment-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-client.h"
#include "derm-date-row.h"
#include "derm-enums.h"
#include "derm-clinic.h"
#include "derm-finding.h"
#include "derm-screening.h"
#include "derm-screening-rules.h"
#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-treatment.h"
#include "derm-validate.h"

#include "derm-treatment-dialog.h"
#include "derm-message-dialog.h"
#include "derm-store-wait.h"
#include "derm-unsaved.h"
#include "derm-toast.h"

struct _DermTreatmentDialog
{
  AdwWindow        parent_instance;

  DermStore       *store;
  DermClient      *client;
  DermTreatment   *existing;
  /* The clinic's practitioners, from the database */
  GStrv            practitioners;
  GMenu           *zone_menu;
  /* The AdwEntryRow of each needle depth, in form order */
  GPtrArray       *zone_rows;
  /* The latest screening, and its findings on the date in the form */
  DermScreening   *screening;
  GPtrArray       *findings;
  char            *findings_date;
  /* The rows shown in findings_group; a caution's row holds its check button */
  GPtrArray       *finding_rows;

  /* Template children */
  AdwPreferencesGroup *findings_group;
  AdwPreferencesGroup *override_group;
  AdwEntryRow     *override_row;
  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;
  AdwEntryRow     *date_row;
  AdwEntryRow     *practitioner_row;
  GtkWidget       *practitioner_button;
  GMenu           *practitioner_section;
  AdwEntryRow     *areas_row;
  GtkListBox      *depths_list;
  AdwEntryRow     *device_row;
  AdwEntryRow     *lot_row;
  GtkSpinButton   *passes_spin;
  AdwEntryRow     *topical_row;
  AdwEntryRow     *anaesthetic_row;
  AdwEntryRow     *response_row;
  GtkSwitch       *aftercare_switch;
  GtkTextView     *notes_view;
  GtkWidget       *delete_button;
  GtkLabel        *depth_error_label;

  /* The form as opened, to tell whether closing would lose edits */
  char            *initial_form;
  /* A save or delete under way on the store's worker */
  DermStoreWait   *wait;

  guint            loading : 1;
  guint            reading : 1;   /* the screening and the rest on the store's worker */
  guint            form_valid : 1;
  guint            close_confirmed : 1;
};

G_DEFINE_FINAL_TYPE (DermTreatmentDialog, derm_treatment_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT,
  PROP_EXISTING,
  PROP_LOADING,
  N_PROPS
};

enum {
  SAVED,
  DELETED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A session already stored: an "existing" with id 0 is a new session
 * prefilled from it (from an appointment being marked done) */
static gboolean
is_editing (DermTreatmentDialog *self)
{
  return self->existing != NULL && derm_treatment_get_id (self->existing) != 0;
}

static void
show_toast (DermTreatmentDialog *self,
            const char          *message)
{
  AdwToast *toast = derm_toast_new (GTK_WIDGET (self->toast_overlay), message);

  if (adw_toast_get_timeout (toast) != 0)
    adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static char *
get_row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
set_row_text (AdwEntryRow *row,
              const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static GtkSpinButton *
zone_row_get_spin (AdwEntryRow *row)
{
  return g_object_get_data (G_OBJECT (row), "depth-spin");
}

/* The depth as typed: the spin button would clamp 7 to 3.00 without a
 * word, so its text is read and judged like the CLI's --depth */
static gboolean
zone_row_get_depth (AdwEntryRow *row,
                    double      *depth_mm,
                    GError     **error)
{
  g_autofree char *zone = get_row_text (row);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (zone_row_get_spin (row)))));
  char *end = NULL;
  double mm;

  g_strdelimit (text, ",", '.');
  mm = g_ascii_strtod (text, &end);
  if (*text == '\0' || end == NULL || *g_strchug (end) != '\0')
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("Needle depth for %s: “%s” is not a depth in millimetres. "
                     "Write a number like 0.5."),
                   *zone != '\0' ? zone : _("a zone"), text);
      return FALSE;
    }

  if (!derm_validate_depth (zone, mm, error))
    return FALSE;

  *depth_mm = mm;
  return TRUE;
}

static gboolean
mark_row (AdwEntryRow  *row,
          const GError *error)
{
  if (error == NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), NULL);
      return TRUE;
    }

  gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), error->message);
  return FALSE;
}

static void update_validation (DermTreatmentDialog *self);

static gboolean
has_contraindication (DermTreatmentDialog *self)
{
  for (guint i = 0; self->findings != NULL && i < self->findings->len; i++)
    if (derm_finding_get_severity (g_ptr_array_index (self->findings, i)) == DERM_SEVERITY_CONTRAINDICATION)
      return TRUE;
  return FALSE;
}

static const char *
severity_icon (DermSeverity severity)
{
  switch (severity)
    {
    case DERM_SEVERITY_CONTRAINDICATION:
      return "dialog-error-symbolic";
    case DERM_SEVERITY_CAUTION:
      return "dialog-warning-symbolic";
    case DERM_SEVERITY_INFO:
    default:
      return "dialog-information-symbolic";
    }
}

/* The findings on the date in the form; a new date re-evaluates them and
 * asks again for the acknowledgements */
static void
update_findings (DermTreatmentDialog *self)
{
  g_autofree char *date = get_row_text (self->date_row);
  GDate day;

  /* An edited session was recorded with its findings; they are not asked again */
  if (is_editing (self))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->findings_group), FALSE);
      return;
    }
  if (self->reading)
    {
      /* Nothing is said about the client until their screening is here */
      GtkWidget *row = adw_action_row_new ();

      for (guint i = 0; i < self->finding_rows->len; i++)
        adw_preferences_group_remove (self->findings_group, g_ptr_array_index (self->finding_rows, i));
      g_ptr_array_set_size (self->finding_rows, 0);
      g_clear_pointer (&self->findings, g_ptr_array_unref);
      g_clear_pointer (&self->findings_date, g_free);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Reading the screening…"));
      adw_preferences_group_add (self->findings_group, row);
      g_ptr_array_add (self->finding_rows, row);
      gtk_widget_set_visible (GTK_WIDGET (self->override_group), FALSE);
      return;
    }
  if (!derm_date_parse (date, &day))
    derm_date_today (&day);
  g_free (date);
  date = derm_date_format (&day);
  if (self->findings != NULL && g_strcmp0 (date, self->findings_date) == 0)
    return;

  g_free (self->findings_date);
  self->findings_date = g_steal_pointer (&date);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  self->findings = derm_screening_evaluate (self->screening, &day);

  for (guint i = 0; i < self->finding_rows->len; i++)
    adw_preferences_group_remove (self->findings_group, g_ptr_array_index (self->finding_rows, i));
  g_ptr_array_set_size (self->finding_rows, 0);

  for (guint i = 0; i < self->findings->len; i++)
    {
      DermFinding *finding = g_ptr_array_index (self->findings, i);
      DermSeverity severity = derm_finding_get_severity (finding);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (severity_icon (severity));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), derm_severity_to_label (severity));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), derm_finding_get_reason (finding));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      if (severity == DERM_SEVERITY_CONTRAINDICATION)
        gtk_widget_add_css_class (icon, "error");
      else if (severity == DERM_SEVERITY_CAUTION)
        {
          GtkWidget *check = gtk_check_button_new_with_mnemonic (_("_Acknowledged"));

          gtk_widget_add_css_class (icon, "warning");
          gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
          g_object_set_data (G_OBJECT (row), "check", check);
          g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_validation), self);
        }
      g_object_set_data_full (G_OBJECT (row), "finding", g_object_ref (finding), g_object_unref);
      adw_preferences_group_add (self->findings_group, row);
      g_ptr_array_add (self->finding_rows, row);
    }

  if (self->findings->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing found that affects treatment"));
      adw_preferences_group_add (self->findings_group, row);
      g_ptr_array_add (self->finding_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->override_group), has_contraindication (self));
}

/* The codes of the cautions ticked, comma-separated; *all_ticked tells
 * whether every caution is */
static char *
acknowledged_codes (DermTreatmentDialog *self,
                    gboolean            *all_ticked)
{
  GString *codes = g_string_new (NULL);

  *all_ticked = TRUE;
  for (guint i = 0; i < self->finding_rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->finding_rows, i);
      GtkCheckButton *check = g_object_get_data (row, "check");
      DermFinding *finding = g_object_get_data (row, "finding");

      if (check == NULL)
        continue;
      if (gtk_check_button_get_active (check))
        g_string_append_printf (codes, "%s%s", codes->len > 0 ? "," : "", derm_finding_get_code (finding));
      else
        *all_ticked = FALSE;
    }
  if (codes->len == 0)
    {
      g_string_free (codes, TRUE);
      return NULL;
    }
  return g_string_free (codes, FALSE);
}

/* Save and Delete while no write is under way (and Save with a valid form) */
static void
sync_write_actions (DermTreatmentDialog *self)
{
  gboolean busy = self->wait != NULL && derm_store_wait_get_busy (self->wait);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "treatment.save", self->form_valid && !busy && !self->reading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "treatment.delete", is_editing (self) && !busy);
}

static void
update_validation (DermTreatmentDialog *self)
{
  g_autofree char *date = get_row_text (self->date_row);
  g_autofree char *reason = NULL;
  g_autofree char *codes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) depth_messages = g_string_new (NULL);
  gboolean valid, all_ticked;

  derm_validate_date (_("Session date"), date, DERM_DATE_NOT_FUTURE, TRUE, NULL, &error);
  valid = mark_row (self->date_row, error);

  update_findings (self);
  if (!is_editing (self))
    {
      codes = acknowledged_codes (self, &all_ticked);
      valid &= all_ticked;
      reason = get_row_text (self->override_row);
      if (has_contraindication (self) &&
          g_utf8_strlen (reason, -1) < DERM_OVERRIDE_REASON_MIN_LENGTH)
        valid = FALSE;
    }

  for (guint i = 0; i < self->zone_rows->len; i++)
    {
      AdwEntryRow *row = g_ptr_array_index (self->zone_rows, i);
      g_autofree char *zone = get_row_text (row);
      g_autoptr (GError) zone_error = NULL;
      double mm;

      if (derm_validate_text (_("Zone"), zone, DERM_MAX_SHORT_LENGTH, TRUE, &zone_error) &&
          !zone_row_get_depth (row, &mm, &zone_error))
        {
          if (depth_messages->len > 0)
            g_string_append_c (depth_messages, '\n');
          g_string_append (depth_messages, zone_error->message);
        }
      valid &= mark_row (row, zone_error);
    }

  gtk_label_set_text (self->depth_error_label, depth_messages->str);
  gtk_widget_set_visible (GTK_WIDGET (self->depth_error_label), depth_messages->len > 0);

  self->form_valid = valid;
  sync_write_actions (self);
}

static void
on_form_changed (DermTreatmentDialog *self)
{
  if (self->loading)
    return;

  update_validation (self);
}

static gboolean
form_to_treatment (DermTreatmentDialog *self,
                   DermTreatment       *treatment,
                   GError             **error)
{
  g_autofree char *date = get_row_text (self->date_row);
  g_autofree char *practitioner = get_row_text (self->practitioner_row);
  g_autofree char *areas = get_row_text (self->areas_row);
  g_autofree char *device = get_row_text (self->device_row);
  g_autofree char *lot = get_row_text (self->lot_row);
  g_autofree char *topical = get_row_text (self->topical_row);
  g_autofree char *anaesthetic = get_row_text (self->anaesthetic_row);
  g_autofree char *response = get_row_text (self->response_row);
  g_autofree char *notes = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = g_strchomp (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));

  gtk_spin_button_update (self->passes_spin);

  derm_treatment_set_client_id (treatment, derm_client_get_id (self->client));
  derm_treatment_set_date (treatment, date);
  derm_treatment_set_practitioner (treatment, practitioner);
  derm_treatment_set_areas (treatment, areas);
  derm_treatment_set_device (treatment, device);
  derm_treatment_set_cartridge_lot (treatment, lot);
  derm_treatment_set_passes (treatment, (guint) gtk_spin_button_get_value_as_int (self->passes_spin));
  derm_treatment_set_topical (treatment, topical);
  derm_treatment_set_anaesthetic (treatment, anaesthetic);
  derm_treatment_set_immediate_response (treatment, response);
  derm_treatment_set_aftercare_given (treatment, gtk_switch_get_active (self->aftercare_switch));
  derm_treatment_set_notes (treatment, notes);
  if (!is_editing (self))
    {
      g_autofree char *reason = get_row_text (self->override_row);
      g_autofree char *codes = NULL;
      gboolean all_ticked;

      update_findings (self);
      codes = acknowledged_codes (self, &all_ticked);
      if (!all_ticked)
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                       _("Read and acknowledge every caution before recording the session."));
          return FALSE;
        }
      derm_treatment_set_cautions_acknowledged (treatment, codes);
      derm_treatment_set_override_reason (treatment, has_contraindication (self) ? reason : NULL);
    }

  derm_treatment_clear_depths (treatment);
  for (guint i = 0; i < self->zone_rows->len; i++)
    {
      AdwEntryRow *row = g_ptr_array_index (self->zone_rows, i);
      g_autofree char *zone = get_row_text (row);
      g_autofree char *folded = NULL;
      double mm;

      if (!derm_validate_text (_("Zone"), zone, DERM_MAX_SHORT_LENGTH, TRUE, error))
        return FALSE;
      if (!zone_row_get_depth (row, &mm, error))
        return FALSE;

      /* The treatment would silently keep only the last depth of a zone
       * given twice; the practitioner should decide which one is right. */
      folded = g_utf8_casefold (zone, -1);
      if (g_hash_table_contains (seen, folded))
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                       _("Needle depth: “%s” is listed twice. Remove one of the rows."), zone);
          return FALSE;
        }
      g_hash_table_add (seen, g_steal_pointer (&folded));

      derm_treatment_set_depth (treatment, zone, mm);
    }

  return derm_validate_treatment (treatment, NULL, error);
}

/* Needle depth rows */

static void
zone_pick (GSimpleAction *action,
           GVariant      *param,
           gpointer       user_data)
{
  gtk_editable_set_text (GTK_EDITABLE (user_data), g_variant_get_string (param, NULL));
}

static void
zone_remove (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  AdwEntryRow *row = user_data;
  GtkWidget *dialog = gtk_widget_get_ancestor (GTK_WIDGET (row), DERM_TYPE_TREATMENT_DIALOG);
  DermTreatmentDialog *self;

  g_return_if_fail (DERM_IS_TREATMENT_DIALOG (dialog));

  self = DERM_TREATMENT_DIALOG (dialog);
  g_ptr_array_remove (self->zone_rows, row);
  gtk_list_box_remove (self->depths_list, GTK_WIDGET (row));
  update_validation (self);
}

static AdwEntryRow *
add_zone_row (DermTreatmentDialog *self,
              const char          *zone,
              double               depth_mm)
{
  static const GActionEntry entries[] = {
    { "pick", zone_pick, "s" },
    { "remove", zone_remove },
  };
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *suggestions = gtk_menu_button_new ();
  /* Wider than the allowed depths on purpose: a typed 7 must stay 7 and
   * be refused with a message, not become 3.00 without a word */
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 100, 0.05);
  GtkWidget *unit = gtk_label_new (_("mm"));
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Zone"));
  set_row_text (ADW_ENTRY_ROW (row), zone);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (suggestions), "pan-down-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (suggestions), G_MENU_MODEL (self->zone_menu));
  gtk_widget_set_tooltip_text (suggestions, _("Choose Zone"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (suggestions), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose Zone"), -1);
  gtk_widget_set_valign (suggestions, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (suggestions, "flat");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), suggestions);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 2);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), depth_mm);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Needle depth in millimetres"),
                                  -1);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), spin);

  gtk_widget_add_css_class (unit, "dim-label");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), unit);

  gtk_widget_set_tooltip_text (remove, _("Remove Zone"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Zone"), -1);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "zone.remove");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), row);
  gtk_widget_insert_action_group (row, "zone", G_ACTION_GROUP (group));

  g_object_set_data (G_OBJECT (row), "depth-spin", spin);
  g_signal_connect_object (row, "changed", G_CALLBACK (on_form_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (spin, "changed", G_CALLBACK (on_form_changed), self, G_CONNECT_SWAPPED);

  gtk_list_box_append (self->depths_list, row);
  g_ptr_array_add (self->zone_rows, row);

  return ADW_ENTRY_ROW (row);
}

/* Actions */

static void
treatment_add_zone (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DermTreatmentDialog *self = DERM_TREATMENT_DIALOG (widget);
  double depth = 0.5;
  AdwEntryRow *row;

  /* A new zone usually starts from the depth just used */
  if (self->zone_rows->len > 0)
    {
      GtkSpinButton *last = zone_row_get_spin (g_ptr_array_index (self->zone_rows, self->zone_rows->len - 1));

      depth = gtk_spin_button_get_value (last);
    }

  row = add_zone_row (self, NULL, depth);
  update_validation (self);
  gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
treatment_pick_practitioner (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  DermTreatmentDialog *self = DERM_TREATMENT_DIALOG (widget);

  set_row_text (self->practitioner_row, g_variant_get_string (param, NULL));
}

/* Ticks the caution with code @param, as its "Acknowledged" check does */
static void
treatment_acknowledge (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  DermTreatmentDialog *self = DERM_TREATMENT_DIALOG (widget);
  const char *code = g_variant_get_string (param, NULL);

  for (guint i = 0; i < self->finding_rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->finding_rows, i);
      GtkCheckButton *check = g_object_get_data (row, "check");
      DermFinding *finding = g_object_get_data (row, "finding");

      if (check != NULL && g_strcmp0 (derm_finding_get_code (finding), code) == 0)
        gtk_check_button_set_active (check, TRUE);
    }
}

static gboolean
save_treatment_call (DermStore  *store,
                     gpointer    data,
                     gpointer   *result,
                     GError    **error)
{
  DermTreatment *treatment = data;
  gboolean ok;

  if (derm_treatment_get_id (treatment) != 0)
    ok = derm_store_update_treatment (store, treatment, error);
  else
    ok = derm_store_add_treatment (store, treatment, error);
  if (ok)
    *result = g_object_ref (treatment);
  return ok;
}

static void
treatment_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (DermTreatmentDialog) self = user_data;
  g_autoptr (DermTreatment) treatment = NULL;
  g_autoptr (GError) error = NULL;

  treatment = derm_store_call_finish (DERM_STORE (source), result, save_treatment_call, &error);
  if (treatment == NULL)
    {
      /* The form keeps what was typed: nothing is lost */
      derm_store_wait_failed (self->wait, error);
      sync_write_actions (self);
      return;
    }
  derm_store_wait_end (self->wait);
  g_signal_emit (self, signals[SAVED], 0, treatment);
  self->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
treatment_save (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DermTreatmentDialog *self = DERM_TREATMENT_DIALOG (widget);
  g_autoptr (DermTreatment) treatment = NULL;
  g_autoptr (GError) error = NULL;

  if (derm_store_wait_get_busy (self->wait))
    return;

  treatment = self->existing != NULL ? derm_treatment_copy (self->existing) : derm_treatment_new ();
  if (!form_to_treatment (self, treatment, &error))
    {
      show_toast (self, error->message);
      return;
    }
  derm_store_wait_begin (self->wait);
  sync_write_actions (self);
  derm_store_call_async (self->store, save_treatment_call, save_treatment_call,
                         g_steal_pointer (&treatment), g_object_unref, g_object_unref,
                         NULL, treatment_saved, g_object_ref (self));
}

static gboolean
destroy_in_idle (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static gboolean
delete_treatment_call (DermStore  *store,
                       gpointer    data,
                       gpointer   *result,
                       GError    **error)
{
  *result = GINT_TO_POINTER (TRUE);
  return derm_store_delete_treatment (store, *(gint64 *) data, error);
}

static void
treatment_deleted (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (DermTreatmentDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  gint64 id = derm_treatment_get_id (self->existing);

  if (derm_store_call_finish (DERM_STORE (source), result, delete_treatment_call, &error) == NULL)
    {
      derm_store_wait_failed (self->wait, error);
      sync_write_actions (self);
      return;
    }
  derm_store_wait_end (self->wait);
  g_signal_emit (self, signals[DELETED], 0, id);
  self->close_confirmed = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, destroy_in_idle, g_object_ref (self), g_object_unref);
}

static void
on_delete_response (AdwMessageDialog    *dialog,
                    const char          *response,
                    DermTreatmentDialog *self)
{
  gint64 id = derm_treatment_get_id (self->existing);

  if (!derm_store_wait_begin (self->wait))
    return;
  sync_write_actions (self);
  derm_store_call_async (self->store, delete_treatment_call, delete_treatment_call,
                         g_memdup2 (&id, sizeof id), g_free, NULL,
                         NULL, treatment_deleted, g_object_ref (self));
}

static void
treatment_delete (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  DermTreatmentDialog *self = DERM_TREATMENT_DIALOG (widget);
  GtkWidget *dialog;

  if (!is_editing (self))
    return;

  dialog = derm_message_dialog_new (GTK_WINDOW (self), _("Delete Session?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The session of %s will be deleted permanently. This cannot be undone."),
                                  derm_treatment_get_date (self->existing));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response::delete",
                           G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
load_practitioners (DermTreatmentDialog *self)
{
  const char * const *names = (const char * const *) self->practitioners;
  guint n = 0;

  g_menu_remove_all (self->practitioner_section);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr (GMenuItem) item = NULL;

      if (*names[i] == '\0')
        continue;

      item = g_menu_item_new (names[i], NULL);
      g_menu_item_set_action_and_target_value (item, "treatment.pick-practitioner",
                                               g_variant_new_string (names[i]));
      g_menu_append_item (self->practitioner_section, item);
      n++;
    }

  /* With no list, the row is a plain entry */
  gtk_widget_set_visible (self->practitioner_button, n > 0);
}

static void
load_form (DermTreatmentDialog *self)
{
  DermTreatment *t = self->existing;
  guint n = derm_treatment_get_n_depths (t);

  set_row_text (self->date_row, derm_treatment_get_date (t));
  set_row_text (self->practitioner_row, derm_treatment_get_practitioner (t));
  set_row_text (self->areas_row, derm_treatment_get_areas (t));
  set_row_text (self->device_row, derm_treatment_get_device (t));
  set_row_text (self->lot_row, derm_treatment_get_cartridge_lot (t));
  gtk_spin_button_set_value (self->passes_spin, derm_treatment_get_passes (t));
  set_row_text (self->topical_row, derm_treatment_get_topical (t));
  set_row_text (self->anaesthetic_row, derm_treatment_get_anaesthetic (t));
  set_row_text (self->response_row, derm_treatment_get_immediate_response (t));
  gtk_switch_set_active (self->aftercare_switch, derm_treatment_get_aftercare_given (t));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            derm_treatment_get_notes (t) != NULL ? derm_treatment_get_notes (t) : "", -1);

  for (guint i = 0; i < n; i++)
    add_zone_row (self, derm_treatment_get_depth_zone (t, i), derm_treatment_get_depth_mm (t, i));
}

/* Everything the practitioner can change, as one string */
static char *
form_signature (DermTreatmentDialog *self)
{
  AdwEntryRow *rows[] = {
    self->date_row, self->practitioner_row, self->areas_row, self->device_row, self->lot_row,
    self->topical_row, self->anaesthetic_row, self->response_row, self->override_row,
  };
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  g_autofree char *notes = NULL;
  GtkTextIter start, end;
  GString *sig = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_string_append_printf (sig, "%s\x1f", gtk_editable_get_text (GTK_EDITABLE (rows[i])));
  for (guint i = 0; i < self->zone_rows->len; i++)
    {
      AdwEntryRow *row = g_ptr_array_index (self->zone_rows, i);

      g_string_append_printf (sig, "%s=%s\x1f", gtk_editable_get_text (GTK_EDITABLE (row)),
                              gtk_editable_get_text (GTK_EDITABLE (zone_row_get_spin (row))));
    }
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_string_append_printf (sig, "%s\x1f%s\x1f%d", gtk_editable_get_text (GTK_EDITABLE (self->passes_spin)),
                          notes, gtk_switch_get_active (self->aftercare_switch));

  return g_string_free (sig, FALSE);
}

static gboolean
has_unsaved_changes (DermTreatmentDialog *self)
{
  g_autofree char *now = NULL;

  if (self->initial_form == NULL)
    return FALSE;

  now = form_signature (self);
  return g_strcmp0 (now, self->initial_form) != 0;
}

static gboolean
derm_treatment_dialog_close_request (GtkWindow *window)
{
  DermTreatmentDialog *self = DERM_TREATMENT_DIALOG (window);

  /* A save under way ends by closing the dialog, or by saying why not */
  if (derm_store_wait_get_busy (self->wait))
    return TRUE;

  if (!self->close_confirmed && has_unsaved_changes (self))
    return derm_unsaved_ask_close (window, _("Save the Session?"), NULL, self->form_valid,
                                   treatment_save, "treatment.save");

  return GTK_WINDOW_CLASS (derm_treatment_dialog_parent_class)->close_request (window);
}

/* A new session starts from the client's last one: same zones and
 * depths, device, cartridge lot and passes, which change rarely */
static void
prefill_from_last_session (DermTreatmentDialog *self,
                           DermTreatment       *last)
{
  g_autofree char *date = NULL;
  g_autofree char *message = NULL;

  for (guint i = 0; i < derm_treatment_get_n_depths (last); i++)
    add_zone_row (self, derm_treatment_get_depth_zone (last, i), derm_treatment_get_depth_mm (last, i));
  set_row_text (self->device_row, derm_treatment_get_device (last));
  set_row_text (self->lot_row, derm_treatment_get_cartridge_lot (last));
  if (derm_treatment_get_passes (last) > 0)
    gtk_spin_button_set_value (self->passes_spin, derm_treatment_get_passes (last));

  date = derm_date_format_display (derm_treatment_get_date (last), FALSE);
  message = g_strdup_printf (_("Zones, depths, device, lot and passes are those of the session of %s"),
                             date != NULL ? date : derm_treatment_get_date (last));
  show_toast (self, message);
}

/* What the dialog reads of the client, on the store's worker */
typedef struct
{
  DermScreening *screening;
  GError        *screening_error;
  GStrv          practitioners;
  GError        *clinic_error;
  DermTreatment *last;           /* the latest session, or NULL */
} Reads;

static void
reads_free (gpointer data)
{
  Reads *r = data;

  g_clear_object (&r->screening);
  g_clear_error (&r->screening_error);
  g_strfreev (r->practitioners);
  g_clear_error (&r->clinic_error);
  g_clear_object (&r->last);
  g_free (r);
}

static gboolean
read_client_call (DermStore  *store,
                  gpointer    data,
                  gpointer   *result,
                  GError    **error)
{
  gint64 id = *(gint64 *) data;
  Reads *r = g_new0 (Reads, 1);
  g_autoptr (DermClinic) clinic = derm_store_load_clinic (store, &r->clinic_error);
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (GError) sessions_error = NULL;

  r->screening = derm_store_get_latest_screening (store, id, &r->screening_error);
  if (clinic != NULL)
    r->practitioners = g_strdupv ((char **) derm_clinic_get_practitioners (clinic));
  sessions = derm_store_list_treatments (store, id, &sessions_error);
  if (sessions == NULL)
    g_debug ("No earlier session to start from: %s", sessions_error->message);
  else if (sessions->len > 0)
    r->last = g_object_ref (g_ptr_array_index (sessions, 0));
  *result = r;
  return TRUE;
}

static void
client_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (DermTreatmentDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  Reads *r = derm_store_call_finish (DERM_STORE (source), result, read_client_call, &error);
  gboolean untouched;

  if (self->finding_rows == NULL)
    {
      g_clear_pointer (&r, reads_free);
      return;
    }
  /* Prefilled only when the practitioner has not started on the form */
  untouched = self->initial_form != NULL && !has_unsaved_changes (self);
  self->reading = FALSE;
  self->loading = TRUE;
  if (r != NULL)
    {
      if (r->screening_error != NULL)
        {
          /* Unknown findings must not read as "nothing found" */
          g_warning ("Could not read the screening: %s", r->screening_error->message);
          show_toast (self, r->screening_error->message);
        }
      self->screening = g_steal_pointer (&r->screening);
      if (r->clinic_error != NULL)
        g_warning ("Could not read the practitioners: %s", r->clinic_error->message);
      g_strfreev (self->practitioners);
      self->practitioners = g_steal_pointer (&r->practitioners);
      load_practitioners (self);

      if (self->existing == NULL && untouched)
        {
          const char * const *names = (const char * const *) self->practitioners;

          /* A one-practitioner clinic should not have to type the name each time */
          if (names != NULL && names[0] != NULL && names[1] == NULL)
            set_row_text (self->practitioner_row, names[0]);
          if (r->last != NULL)
            prefill_from_last_session (self, r->last);
        }
      reads_free (r);
    }
  else
    show_toast (self, error->message);
  self->loading = FALSE;

  update_validation (self);
  if (untouched)
    {
      g_free (self->initial_form);
      self->initial_form = form_signature (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* GObject */

static void
derm_treatment_dialog_constructed (GObject *object)
{
  DermTreatmentDialog *self = DERM_TREATMENT_DIALOG (object);
  const char *name;
  gint64 id;

  G_OBJECT_CLASS (derm_treatment_dialog_parent_class)->constructed (object);

  g_return_if_fail (DERM_IS_STORE (self->store));
  g_return_if_fail (DERM_IS_CLIENT (self->client));

  name = derm_client_get_name (self->client);
  adw_window_title_set_subtitle (self->window_title, name != NULL ? name : "");

  self->loading = TRUE;
  self->reading = TRUE;

  if (is_editing (self))
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Session"));
      adw_window_title_set_title (self->window_title, _("Edit Session"));
      gtk_widget_set_visible (self->delete_button, TRUE);
      load_form (self);
    }
  else if (self->existing != NULL)
    load_form (self);
  else
    {
      g_autofree char *date = NULL;
      GDate today;

      derm_date_today (&today);
      date = derm_date_format (&today);
      set_row_text (self->date_row, date);
    }

  self->loading = FALSE;

  update_validation (self);
  self->initial_form = form_signature (self);

  /* The screening (the findings), the practitioners and the last session
   * are read on the store's worker; Save waits for them */
  id = derm_client_get_id (self->client);
  derm_store_call_async (self->store, read_client_call, read_client_call,
                         g_memdup2 (&id, sizeof id), g_free, reads_free,
                         NULL, client_read, g_object_ref (self));
}

static void
derm_treatment_dialog_dispose (GObject *object)
{
  DermTreatmentDialog *self = DERM_TREATMENT_DIALOG (object);

  if (self->wait != NULL)
    derm_store_wait_detach (self->wait);
  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_TREATMENT_DIALOG);

  g_clear_object (&self->wait);
  g_clear_pointer (&self->initial_form, g_free);
  g_clear_pointer (&self->zone_rows, g_ptr_array_unref);
  g_clear_pointer (&self->finding_rows, g_ptr_array_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->findings_date, g_free);
  g_clear_object (&self->screening);
  g_clear_object (&self->zone_menu);
  g_clear_pointer (&self->practitioners, g_strfreev);
  g_clear_object (&self->existing);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_treatment_dialog_parent_class)->dispose (object);
}

static void
derm_treatment_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DermTreatmentDialog *self = DERM_TREATMENT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_EXISTING:
      g_value_set_object (value, self->existing);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->reading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_treatment_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DermTreatmentDialog *self = DERM_TREATMENT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_EXISTING:
      self->existing = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_treatment_dialog_class_init (DermTreatmentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = derm_treatment_dialog_constructed;
  object_class->dispose = derm_treatment_dialog_dispose;
  object_class->get_property = derm_treatment_dialog_get_property;
  object_class->set_property = derm_treatment_dialog_set_property;
  GTK_WINDOW_CLASS (klass)->close_request = derm_treatment_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DERM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         DERM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_EXISTING] =
    g_param_spec_object ("existing", NULL, NULL,
                         DERM_TYPE_TREATMENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* TRUE while the screening, the practitioners and the last session are
   * read on the store's worker; Save waits for them */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DermTreatmentDialog::saved:
   * @treatment: the session as stored, with its id
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DERM_TYPE_TREATMENT);

  /**
   * DermTreatmentDialog::deleted:
   * @id: the id the deleted session had
   */
  signals[DELETED] =
    g_signal_new ("deleted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-treatment-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, findings_group);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, override_group);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, override_row);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, practitioner_row);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, practitioner_button);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, practitioner_section);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, areas_row);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, depths_list);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, device_row);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, lot_row);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, passes_spin);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, topical_row);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, anaesthetic_row);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, response_row);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, aftercare_switch);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, notes_view);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, delete_button);
  gtk_widget_class_bind_template_child (widget_class, DermTreatmentDialog, depth_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);

  gtk_widget_class_install_action (widget_class, "treatment.save", NULL, treatment_save);
  gtk_widget_class_install_action (widget_class, "treatment.acknowledge", "s", treatment_acknowledge);
  gtk_widget_class_install_action (widget_class, "treatment.delete", NULL, treatment_delete);
  gtk_widget_class_install_action (widget_class, "treatment.add-zone", NULL, treatment_add_zone);
  gtk_widget_class_install_action (widget_class, "treatment.pick-practitioner", "s",
                                   treatment_pick_practitioner);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "treatment.save", NULL);
}

static void
derm_treatment_dialog_init (DermTreatmentDialog *self)
{
  const char * const *zones = derm_zone_suggestions ();

  gtk_widget_init_template (GTK_WIDGET (self));
  derm_date_row_attach (self->date_row);

  self->wait = derm_store_wait_new (GTK_WIDGET (self), self->toast_overlay, "treatment.save");
  self->zone_rows = g_ptr_array_new ();
  self->finding_rows = g_ptr_array_new ();
  self->zone_menu = g_menu_new ();
  for (guint i = 0; zones[i] != NULL; i++)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (zones[i], NULL);

      g_menu_item_set_action_and_target_value (item, "zone.pick", g_variant_new_string (zones[i]));
      g_menu_append_item (self->zone_menu, item);
    }
}

GtkWidget *
derm_treatment_dialog_new (DermStore     *store,
                           DermClient    *client,
                           DermTreatment *existing)
{
  g_return_val_if_fail (DERM_IS_STORE (store), NULL);
  g_return_val_if_fail (DERM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (existing == NULL || DERM_IS_TREATMENT (existing), NULL);

  return g_object_new (DERM_TYPE_TREATMENT_DIALOG,
                       "store", store,
                       "client", client,
                       "existing", existing,
                       NULL);
}

void
derm_treatment_dialog_add_zone (DermTreatmentDialog *self,
                                const char          *zone,
                                double               depth_mm)
{
  g_return_if_fail (DERM_IS_TREATMENT_DIALOG (self));

  add_zone_row (self, zone, depth_mm);
  update_validation (self);
}

GPtrArray *
derm_treatment_dialog_get_findings (DermTreatmentDialog *self)
{
  g_return_val_if_fail (DERM_IS_TREATMENT_DIALOG (self), NULL);

  update_findings (self);
  return self->findings;
}

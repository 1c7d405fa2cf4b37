/* derm-screening-dialog.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-screening-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-client.h"
#include "derm-date-row.h"
#include "derm-finding.h"
#include "derm-screening-rules.h"
#include "derm-store.h"
#include "derm-validate.h"

#include "derm-screening-dialog.h"
#include "derm-store-wait.h"
#include "derm-unsaved.h"

typedef struct
{
  AdwActionRow    *row;
  GtkWidget       *buttons;
  GtkToggleButton *yes;
  GtkToggleButton *no;
  GtkToggleButton *unknown;
  GtkLabel        *answer_label;
  AdwEntryRow     *details_row;
  AdwEntryRow     *date_row;   /* NULL for questions without a date */
} QuestionWidgets;

struct _DermScreeningDialog
{
  AdwWindow        parent_instance;

  DermStore       *store;
  DermClient      *client;
  DermScreening   *existing;
  GListStore      *findings;

  QuestionWidgets  questions[DERM_N_QUESTIONS];

  /* Template children */
  AdwWindowTitle      *window_title;
  GtkWidget           *cancel_button;
  GtkWidget           *save_button;
  AdwToastOverlay     *toast_overlay;
  AdwPreferencesGroup *findings_group;
  GtkListBox          *findings_list;
  AdwEntryRow         *date_row;
  AdwPreferencesGroup *questions_group;

  /* The form as opened, to tell whether closing would lose answers */
  char            *initial_form;
  /* A save under way on the store's worker */
  DermStoreWait   *wait;

  guint            loading : 1;
  guint            form_valid : 1;
  guint            close_confirmed : 1;
};

G_DEFINE_FINAL_TYPE (DermScreeningDialog, derm_screening_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT,
  PROP_EXISTING,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
format_display_date (const char *iso)
{
  char *text = derm_date_format_display (iso, FALSE);

  return text != NULL ? text : g_strdup (iso != NULL ? iso : "");
}

static char *
get_row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static DermAnswer
get_answer (DermScreeningDialog *self,
            DermQuestion         q)
{
  if (gtk_toggle_button_get_active (self->questions[q].yes))
    return DERM_ANSWER_YES;
  if (gtk_toggle_button_get_active (self->questions[q].no))
    return DERM_ANSWER_NO;
  return DERM_ANSWER_UNKNOWN;
}

/* The screening the form describes. For the live preview, dates that
 * are not (yet) valid are left out rather than failing. */
static DermScreening *
form_to_screening (DermScreeningDialog *self,
                   gboolean             preview)
{
  g_autoptr (DermScreening) screening = derm_screening_new ();
  g_autofree char *date = get_row_text (self->date_row);
  GDate parsed;

  derm_screening_set_client_id (screening, derm_client_get_id (self->client));
  if (!preview || derm_date_parse (date, &parsed))
    derm_screening_set_date (screening, date);

  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    {
      QuestionWidgets *w = &self->questions[q];
      DermAnswer answer = get_answer (self, q);

      derm_screening_set_answer (screening, q, answer);
      if (answer != DERM_ANSWER_YES)
        continue;

      if (q != DERM_QUESTION_CONSENT)
        {
          g_autofree char *details = get_row_text (w->details_row);

          derm_screening_set_details (screening, q, details);
        }

      if (w->date_row != NULL)
        {
          g_autofree char *qdate = get_row_text (w->date_row);

          if (!preview || derm_date_parse (qdate, &parsed))
            derm_screening_set_date_for (screening, q, qdate);
        }
    }

  return g_steal_pointer (&screening);
}

static gboolean
mark_date_row (AdwEntryRow *row,
               const char  *field,
               gboolean     required)
{
  g_autofree char *text = get_row_text (row);
  g_autoptr (GError) error = NULL;

  if (derm_validate_date (field, text, DERM_DATE_NOT_FUTURE, required, NULL, &error))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), NULL);
      return TRUE;
    }

  gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), error->message);
  return FALSE;
}

static void
update_form (DermScreeningDialog *self)
{
  g_autoptr (DermScreening) screening = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  gboolean read_only = self->existing != NULL;
  gboolean valid = TRUE;

  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    {
      QuestionWidgets *w = &self->questions[q];
      gboolean yes = get_answer (self, q) == DERM_ANSWER_YES;

      if (read_only)
        {
          g_autofree char *details = get_row_text (w->details_row);

          gtk_widget_set_visible (GTK_WIDGET (w->details_row), *details != '\0');
          if (w->date_row != NULL)
            {
              g_autofree char *date = get_row_text (w->date_row);

              gtk_widget_set_visible (GTK_WIDGET (w->date_row), *date != '\0');
            }
          continue;
        }

      /* A signed consent form needs its date, not a description */
      gtk_widget_set_visible (GTK_WIDGET (w->details_row), yes && q != DERM_QUESTION_CONSENT);
      if (w->date_row != NULL)
        {
          g_autofree char *field = g_strdup_printf ("%s (%s)", derm_question_to_label (q),
                                                    derm_question_date_label (q));

          gtk_widget_set_visible (GTK_WIDGET (w->date_row), yes);
          if (yes)
            valid &= mark_date_row (w->date_row, field, FALSE);
        }
    }

  if (!read_only)
    valid &= mark_date_row (self->date_row, _("Screening date"), TRUE);

  self->form_valid = valid;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "screening.save",
                                 !read_only && valid && !derm_store_wait_get_busy (self->wait));

  screening = read_only ? g_object_ref (self->existing) : form_to_screening (self, TRUE);
  findings = derm_screening_evaluate (screening, NULL);
  g_list_store_splice (self->findings, 0, g_list_model_get_n_items (G_LIST_MODEL (self->findings)),
                       findings->pdata, findings->len);
}

static void
on_form_changed (DermScreeningDialog *self)
{
  if (self->loading)
    return;

  update_form (self);
}

static void
on_answer_toggled (DermScreeningDialog *self,
                   GtkToggleButton     *button)
{
  if (self->loading || !gtk_toggle_button_get_active (button))
    return;

  /* A consent signed today is the common case: offer the screening date */
  if (button == self->questions[DERM_QUESTION_CONSENT].yes)
    {
      AdwEntryRow *date_row = self->questions[DERM_QUESTION_CONSENT].date_row;
      g_autofree char *date = get_row_text (date_row);

      if (*date == '\0')
        gtk_editable_set_text (GTK_EDITABLE (date_row),
                               gtk_editable_get_text (GTK_EDITABLE (self->date_row)));
    }

  update_form (self);
}

static GtkWidget *
create_finding_row (gpointer item,
                    gpointer user_data)
{
  DermFinding *finding = item;
  DermSeverity severity = derm_finding_get_severity (finding);
  const char *until = derm_finding_get_until (finding);
  g_autofree char *title = g_strdup_printf ("%s: %s", derm_severity_to_label (severity),
                                            derm_finding_get_reason (finding));
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  if (until != NULL)
    {
      g_autofree char *date = format_display_date (until);
      g_autofree char *subtitle = g_strdup_printf (_("Until %s"), date);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }

  switch (severity)
    {
    case DERM_SEVERITY_CONTRAINDICATION:
      icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      gtk_widget_add_css_class (row, "error");
      break;

    case DERM_SEVERITY_CAUTION:
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (row, "warning");
      break;

    case DERM_SEVERITY_INFO:
    default:
      icon = gtk_image_new_from_icon_name ("dialog-information-symbolic");
      break;
    }

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  return row;
}

static GtkToggleButton *
add_answer_button (GtkWidget       *box,
                   DermAnswer       answer,
                   GtkToggleButton *group)
{
  GtkWidget *button = gtk_toggle_button_new_with_label (derm_answer_to_label (answer));

  if (group != NULL)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
  gtk_box_append (GTK_BOX (box), button);

  return GTK_TOGGLE_BUTTON (button);
}

static void
build_questions (DermScreeningDialog *self)
{
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    {
      QuestionWidgets *w = &self->questions[q];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GtkWidget *label = gtk_label_new (NULL);
      GtkWidget *details = adw_entry_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), derm_question_to_label (q));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

      gtk_widget_add_css_class (box, "linked");
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      w->yes = add_answer_button (box, DERM_ANSWER_YES, NULL);
      w->no = add_answer_button (box, DERM_ANSWER_NO, w->yes);
      w->unknown = add_answer_button (box, DERM_ANSWER_UNKNOWN, w->yes);
      gtk_toggle_button_set_active (w->unknown, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, derm_question_to_label (q),
                                      -1);
      g_signal_connect_object (w->yes, "toggled", G_CALLBACK (on_answer_toggled), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (w->no, "toggled", G_CALLBACK (on_answer_toggled), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (w->unknown, "toggled", G_CALLBACK (on_answer_toggled), self, G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);

      gtk_widget_set_visible (label, FALSE);
      gtk_widget_add_css_class (label, "heading");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

      w->row = ADW_ACTION_ROW (row);
      w->buttons = box;
      w->answer_label = GTK_LABEL (label);
      adw_preferences_group_add (self->questions_group, row);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (details), _("Details"));
      gtk_widget_set_visible (details, FALSE);
      gtk_widget_set_margin_start (details, 0);
      g_signal_connect_object (details, "changed", G_CALLBACK (on_form_changed), self, G_CONNECT_SWAPPED);
      w->details_row = ADW_ENTRY_ROW (details);
      adw_preferences_group_add (self->questions_group, details);

      if (derm_question_has_date (q))
        {
          GtkWidget *date = adw_entry_row_new ();
          g_autofree char *title = g_strdup_printf (_("%s (YYYY-MM-DD)"), derm_question_date_label (q));

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (date), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (date), title);
          gtk_widget_set_visible (date, FALSE);
          g_signal_connect_object (date, "changed", G_CALLBACK (on_form_changed), self, G_CONNECT_SWAPPED);
          w->date_row = ADW_ENTRY_ROW (date);
          derm_date_row_attach (w->date_row);
          adw_preferences_group_add (self->questions_group, date);
        }
    }
}

/* Shows @self->existing; the form cannot be edited */
static void
load_existing (DermScreeningDialog *self)
{
  g_autofree char *date = format_display_date (derm_screening_get_date (self->existing));
  g_autofree char *title = g_strdup_printf (_("Screening of %s"), date);

  self->loading = TRUE;

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  gtk_widget_set_visible (self->save_button, FALSE);
  gtk_button_set_label (GTK_BUTTON (self->cancel_button), _("_Close"));
  adw_preferences_group_set_description (self->findings_group,
                                         _("What this screening means as of today"));
  /* Read, not answered: what it means comes first */
  gtk_box_reorder_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->findings_group))),
                               GTK_WIDGET (self->findings_group), NULL);
  adw_preferences_group_set_description (self->questions_group, NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->date_row), derm_screening_get_date (self->existing));
  gtk_editable_set_editable (GTK_EDITABLE (self->date_row), FALSE);

  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    {
      QuestionWidgets *w = &self->questions[q];
      DermAnswer answer = derm_screening_get_answer (self->existing, q);
      const char *details = derm_screening_get_details (self->existing, q);

      gtk_toggle_button_set_active (answer == DERM_ANSWER_YES ? w->yes :
                                    answer == DERM_ANSWER_NO ? w->no : w->unknown, TRUE);
      gtk_widget_set_visible (w->buttons, FALSE);
      gtk_label_set_text (w->answer_label, derm_answer_to_label (answer));
      if (answer == DERM_ANSWER_UNKNOWN)
        gtk_widget_add_css_class (GTK_WIDGET (w->answer_label), "dim-label");
      gtk_widget_set_visible (GTK_WIDGET (w->answer_label), TRUE);

      gtk_editable_set_text (GTK_EDITABLE (w->details_row), details != NULL ? details : "");
      gtk_editable_set_editable (GTK_EDITABLE (w->details_row), FALSE);

      if (w->date_row != NULL)
        {
          const char *qdate = derm_screening_get_date_for (self->existing, q);

          gtk_editable_set_text (GTK_EDITABLE (w->date_row), qdate != NULL ? qdate : "");
          gtk_editable_set_editable (GTK_EDITABLE (w->date_row), FALSE);
        }
    }

  self->loading = FALSE;
}

static gboolean
add_screening_call (DermStore  *store,
                    gpointer    data,
                    gpointer   *result,
                    GError    **error)
{
  if (!derm_store_add_screening (store, data, error))
    return FALSE;
  *result = g_object_ref (data);
  return TRUE;
}

static void
screening_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (DermScreeningDialog) self = user_data;
  g_autoptr (DermScreening) screening = NULL;
  g_autoptr (GError) error = NULL;

  screening = derm_store_call_finish (DERM_STORE (source), result, add_screening_call, &error);
  if (screening == NULL)
    {
      /* The answers stay in the form: nothing is lost */
      derm_store_wait_failed (self->wait, error);
      update_form (self);
      return;
    }
  derm_store_wait_end (self->wait);
  g_signal_emit (self, signals[SAVED], 0, screening);
  self->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
screening_save (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DermScreeningDialog *self = DERM_SCREENING_DIALOG (widget);

  if (self->existing != NULL || !derm_store_wait_begin (self->wait))
    return;

  update_form (self);
  /* The worker gets its own screening; the form stays the window's */
  derm_store_call_async (self->store, add_screening_call, add_screening_call,
                         form_to_screening (self, FALSE), g_object_unref, g_object_unref,
                         NULL, screening_saved, g_object_ref (self));
}

/* Everything the practitioner can change, as one string */
static char *
form_signature (DermScreeningDialog *self)
{
  GString *sig = g_string_new (gtk_editable_get_text (GTK_EDITABLE (self->date_row)));

  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    {
      QuestionWidgets *w = &self->questions[q];

      g_string_append_printf (sig, "\x1f%d\x1f%s", get_answer (self, q),
                              gtk_editable_get_text (GTK_EDITABLE (w->details_row)));
      if (w->date_row != NULL)
        g_string_append_printf (sig, "\x1f%s", gtk_editable_get_text (GTK_EDITABLE (w->date_row)));
    }

  return g_string_free (sig, FALSE);
}

static gboolean
has_unsaved_changes (DermScreeningDialog *self)
{
  g_autofree char *now = NULL;

  if (self->existing != NULL || self->initial_form == NULL)
    return FALSE;

  now = form_signature (self);
  return g_strcmp0 (now, self->initial_form) != 0;
}

static gboolean
derm_screening_dialog_close_request (GtkWindow *window)
{
  DermScreeningDialog *self = DERM_SCREENING_DIALOG (window);

  /* A save under way ends by closing the dialog, or by saying why not */
  if (derm_store_wait_get_busy (self->wait))
    return TRUE;

  if (!self->close_confirmed && has_unsaved_changes (self))
    return derm_unsaved_ask_close (window, _("Save the Screening?"),
                                   self->form_valid ? _("The answers are lost if you do not save them.") : NULL,
                                   self->form_valid, screening_save, "screening.save");

  return GTK_WINDOW_CLASS (derm_screening_dialog_parent_class)->close_request (window);
}

static void
derm_screening_dialog_constructed (GObject *object)
{
  DermScreeningDialog *self = DERM_SCREENING_DIALOG (object);
  const char *name;

  G_OBJECT_CLASS (derm_screening_dialog_parent_class)->constructed (object);

  g_return_if_fail (DERM_IS_STORE (self->store));
  g_return_if_fail (DERM_IS_CLIENT (self->client));

  name = derm_client_get_name (self->client);
  adw_window_title_set_subtitle (self->window_title, name != NULL ? name : "");

  if (self->existing != NULL)
    {
      load_existing (self);
    }
  else
    {
      GDate today;
      g_autofree char *date = NULL;

      derm_date_today (&today);
      date = derm_date_format (&today);
      self->loading = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
      self->loading = FALSE;
    }

  update_form (self);
  self->initial_form = form_signature (self);
}

static void
derm_screening_dialog_dispose (GObject *object)
{
  DermScreeningDialog *self = DERM_SCREENING_DIALOG (object);

  if (self->wait != NULL)
    derm_store_wait_detach (self->wait);
  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_SCREENING_DIALOG);

  g_clear_object (&self->wait);
  g_clear_pointer (&self->initial_form, g_free);
  g_clear_object (&self->findings);
  g_clear_object (&self->existing);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_screening_dialog_parent_class)->dispose (object);
}

static void
derm_screening_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DermScreeningDialog *self = DERM_SCREENING_DIALOG (object);

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

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_screening_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DermScreeningDialog *self = DERM_SCREENING_DIALOG (object);

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
derm_screening_dialog_class_init (DermScreeningDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = derm_screening_dialog_constructed;
  object_class->dispose = derm_screening_dialog_dispose;
  object_class->get_property = derm_screening_dialog_get_property;
  object_class->set_property = derm_screening_dialog_set_property;
  GTK_WINDOW_CLASS (klass)->close_request = derm_screening_dialog_close_request;

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
                         DERM_TYPE_SCREENING,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DermScreeningDialog::saved:
   * @screening: the screening as stored, with its id
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DERM_TYPE_SCREENING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-screening-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DermScreeningDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DermScreeningDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DermScreeningDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, DermScreeningDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DermScreeningDialog, findings_group);
  gtk_widget_class_bind_template_child (widget_class, DermScreeningDialog, findings_list);
  gtk_widget_class_bind_template_child (widget_class, DermScreeningDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, DermScreeningDialog, questions_group);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);

  gtk_widget_class_install_action (widget_class, "screening.save", NULL, screening_save);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "screening.save", NULL);
}

static void
derm_screening_dialog_init (DermScreeningDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  derm_date_row_attach (self->date_row);

  self->wait = derm_store_wait_new (GTK_WIDGET (self), self->toast_overlay, "screening.save");
  self->findings = g_list_store_new (DERM_TYPE_FINDING);
  gtk_list_box_bind_model (self->findings_list, G_LIST_MODEL (self->findings),
                           create_finding_row, NULL, NULL);

  self->loading = TRUE;
  build_questions (self);
  self->loading = FALSE;
}

GtkWidget *
derm_screening_dialog_new (DermStore     *store,
                           DermClient    *client,
                           DermScreening *existing)
{
  g_return_val_if_fail (DERM_IS_STORE (store), NULL);
  g_return_val_if_fail (DERM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (existing == NULL || DERM_IS_SCREENING (existing), NULL);

  return g_object_new (DERM_TYPE_SCREENING_DIALOG,
                       "store", store,
                       "client", client,
                       "existing", existing,
                       NULL);
}

gboolean
derm_screening_dialog_get_read_only (DermScreeningDialog *self)
{
  g_return_val_if_fail (DERM_IS_SCREENING_DIALOG (self), FALSE);

  return self->existing != NULL;
}

void
derm_screening_dialog_set_answer (DermScreeningDialog *self,
                                  DermQuestion         question,
                                  DermAnswer           answer)
{
  QuestionWidgets *w;

  g_return_if_fail (DERM_IS_SCREENING_DIALOG (self));
  g_return_if_fail ((guint) question < DERM_N_QUESTIONS);
  g_return_if_fail (self->existing == NULL);

  w = &self->questions[question];
  switch (answer)
    {
    case DERM_ANSWER_YES:
      gtk_toggle_button_set_active (w->yes, TRUE);
      break;

    case DERM_ANSWER_NO:
      gtk_toggle_button_set_active (w->no, TRUE);
      break;

    case DERM_ANSWER_UNKNOWN:
    default:
      gtk_toggle_button_set_active (w->unknown, TRUE);
      break;
    }
}

void
derm_screening_dialog_set_details (DermScreeningDialog *self,
                                   DermQuestion         question,
                                   const char          *details)
{
  g_return_if_fail (DERM_IS_SCREENING_DIALOG (self));
  g_return_if_fail ((guint) question < DERM_N_QUESTIONS);
  g_return_if_fail (self->existing == NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->questions[question].details_row),
                         details != NULL ? details : "");
}

void
derm_screening_dialog_set_date_for (DermScreeningDialog *self,
                                    DermQuestion         question,
                                    const char          *iso)
{
  g_return_if_fail (DERM_IS_SCREENING_DIALOG (self));
  g_return_if_fail ((guint) question < DERM_N_QUESTIONS);
  g_return_if_fail (self->existing == NULL);
  g_return_if_fail (self->questions[question].date_row != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->questions[question].date_row),
                         iso != NULL ? iso : "");
}

GListModel *
derm_screening_dialog_get_findings (DermScreeningDialog *self)
{
  g_return_val_if_fail (DERM_IS_SCREENING_DIALOG (self), NULL);

  return G_LIST_MODEL (self->findings);
}

/* derm-client-page.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-client-page"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-client.h"
#include "derm-combo-row.h"
#include "derm-date-row.h"
#include "derm-enums.h"
#include "derm-finding.h"
#include "derm-screening.h"
#include "derm-screening-rules.h"
#include "derm-store.h"
#include "derm-treatment.h"
#include "derm-validate.h"

#include "derm-client-archive.h"
#include "derm-client-consent-group.h"
#include "derm-client-merge.h"
#include "derm-client-page.h"
#include "derm-compare-window.h"
#include "derm-photo-gallery.h"
#include "derm-progress-report.h"
#include "derm-report-dialog.h"
#include "derm-message-dialog.h"
#include "derm-plan-dialog.h"
#include "derm-planner-ui.h"
#include "derm-screening-dialog.h"
#include "derm-consent-window.h"
#include "derm-series.h"
#include "derm-series-timeline.h"
#include "derm-store-planner.h"
#include "derm-treatment-dialog.h"
#include "derm-unsaved.h"
#include "derm-toast.h"

struct _DermClientPage
{
  AdwBin          parent_instance;

  DermStore      *store;
  /* What the form was loaded from; id 0 is a client not created yet */
  DermClient     *client;
  DermScreening  *latest_screening;

  GListStore     *findings;
  GListModel     *contra_findings;
  GListModel     *caution_findings;
  GListModel     *info_findings;
  GListStore     *sessions;
  GListStore     *screenings;
  GPtrArray      *earlier_rows;

  GtkCheckButton *concern_checks[DERM_N_CONCERNS];

  /* Template children */
  AdwWindowTitle      *window_title;
  GtkWidget           *back_button;
  GtkWidget           *menu_button;
  GtkButton           *save_button;
  GMenu               *archive_section;
  GtkScrolledWindow   *scrolled_window;
  GtkWidget           *findings_box;
  GtkWidget           *contra_card;
  GtkWidget           *caution_card;
  GtkLabel            *contra_subtitle;
  GtkListBox          *contra_list;
  GtkListBox          *caution_list;
  GtkListBox          *info_list;
  AdwEntryRow         *name_row;
  AdwEntryRow         *dob_row;
  AdwEntryRow         *phone_row;
  AdwEntryRow         *email_row;
  AdwComboRow         *fitzpatrick_row;
  GtkLabel            *error_label;
  GtkFlowBox          *concerns_box;
  GtkTextView         *goals_view;
  GtkTextView         *notes_view;
  GtkWidget           *screening_group;
  GtkWidget           *sessions_group;
  GtkWidget           *photos_group;    /* built in constructed(): the photo gallery */
  GtkWidget           *photo_gallery;
  GtkWidget           *consent_group;   /* built in constructed(): photo use and signed forms */
  GtkWidget           *series_group;
  DermSeriesTimeline  *series_timeline;
  AdwActionRow        *latest_screening_row;
  AdwExpanderRow      *earlier_screenings_row;
  GtkListBox          *sessions_list;

  guint           loading : 1;
  guint           saving : 1;     /* a save or archive is on the store's worker */
  gint64          erasing_id;     /* the client an erase on the worker is for */
  guint           records_serial; /* only the latest records asked for are shown */
  guint           n_records_loading;
  guint           wait_source;    /* shows wait_toast when a save takes long */
  AdwToast       *wait_toast;
  guint           folded : 1;
  /* The required-name error waits until a name has been typed once */
  guint           name_touched : 1;
  guint           form_valid : 1;
};

G_DEFINE_FINAL_TYPE (DermClientPage, derm_client_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT,
  PROP_FOLDED,
  PROP_LOADING,
  N_PROPS
};

enum {
  CLIENT_SAVED,
  CLIENT_DELETED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
show_toast (DermClientPage *self,
            const char     *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
}

static GtkWindow *
get_parent_window (DermClientPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* "3 Nov 2026" from "2026-11-03"; the text itself when it is no date */
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

/* The date of birth as typed, in ISO when it reads as a date in ISO or
 * in the locale's order ("01/06/1990"); otherwise as typed, for the
 * validation to name */
static char *
get_dob_text (DermClientPage *self)
{
  g_autofree char *text = get_row_text (self->dob_row);
  char *iso = derm_date_row_read_text (text);

  return iso != NULL ? iso : g_steal_pointer (&text);
}

static char *
get_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  /* Trailing blank lines are an accident of typing, not content */
  g_strchomp (text);
  return text;
}

static void
set_row_text (AdwEntryRow *row,
              const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
set_view_text (GtkTextView *view,
               const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

/* Copies the form into @client */
static void
form_apply (DermClientPage *self,
            DermClient     *client)
{
  g_autofree char *name = get_row_text (self->name_row);
  g_autofree char *dob = get_dob_text (self);
  g_autofree char *phone = get_row_text (self->phone_row);
  g_autofree char *email = get_row_text (self->email_row);
  g_autofree char *goals = get_view_text (self->goals_view);
  g_autofree char *notes = get_view_text (self->notes_view);
  DermConcerns concerns = DERM_CONCERN_NONE;
  guint fitzpatrick;

  for (guint i = 0; i < DERM_N_CONCERNS; i++)
    if (gtk_check_button_get_active (self->concern_checks[i]))
      concerns |= derm_concern_nth (i);

  fitzpatrick = adw_combo_row_get_selected (self->fitzpatrick_row);
  if (fitzpatrick > DERM_FITZPATRICK_MAX)
    fitzpatrick = DERM_FITZPATRICK_UNSET;

  derm_client_set_name (client, name);
  derm_client_set_date_of_birth (client, dob);
  derm_client_set_phone (client, phone);
  derm_client_set_email (client, email);
  derm_client_set_fitzpatrick (client, fitzpatrick);
  derm_client_set_concerns (client, concerns);
  derm_client_set_goals (client, goals);
  derm_client_set_notes (client, notes);
}

static gboolean
form_differs (DermClientPage *self)
{
  g_autoptr (DermClient) edited = derm_client_copy (self->client);

  form_apply (self, edited);

  return g_strcmp0 (derm_client_get_name (edited), derm_client_get_name (self->client)) != 0 ||
         g_strcmp0 (derm_client_get_date_of_birth (edited), derm_client_get_date_of_birth (self->client)) != 0 ||
         g_strcmp0 (derm_client_get_phone (edited), derm_client_get_phone (self->client)) != 0 ||
         g_strcmp0 (derm_client_get_email (edited), derm_client_get_email (self->client)) != 0 ||
         g_strcmp0 (derm_client_get_goals (edited), derm_client_get_goals (self->client)) != 0 ||
         g_strcmp0 (derm_client_get_notes (edited), derm_client_get_notes (self->client)) != 0 ||
         derm_client_get_fitzpatrick (edited) != derm_client_get_fitzpatrick (self->client) ||
         derm_client_get_concerns (edited) != derm_client_get_concerns (self->client);
}

/* Marks @row as invalid when @error is set, and collects its message */
static gboolean
mark_row (GtkWidget    *row,
          const GError *error,
          gboolean      show,
          GString      *messages)
{
  if (error != NULL && show)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, error->message);
      if (messages->len > 0)
        g_string_append_c (messages, '\n');
      g_string_append (messages, error->message);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, NULL);
    }

  return error == NULL;
}

static void
update_validation (DermClientPage *self)
{
  g_autoptr (GString) messages = g_string_new (NULL);
  g_autoptr (GError) name_error = NULL;
  g_autoptr (GError) dob_error = NULL;
  g_autoptr (GError) phone_error = NULL;
  g_autoptr (GError) email_error = NULL;
  g_autofree char *name = get_row_text (self->name_row);
  g_autofree char *dob = get_dob_text (self);
  g_autofree char *phone = get_row_text (self->phone_row);
  g_autofree char *email = get_row_text (self->email_row);
  gboolean valid = TRUE;
  gboolean show_name;

  if (*name != '\0' || derm_client_get_id (self->client) != 0)
    self->name_touched = TRUE;

  derm_validate_name (name, &name_error);
  derm_validate_date (_("Date of birth"), dob, DERM_DATE_NOT_FUTURE, FALSE, NULL, &dob_error);
  derm_validate_phone (phone, &phone_error);
  derm_validate_email (email, &email_error);

  show_name = self->name_touched ||
              !g_error_matches (name_error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED);

  valid &= mark_row (GTK_WIDGET (self->name_row), name_error, show_name, messages);
  valid &= mark_row (GTK_WIDGET (self->dob_row), dob_error, TRUE, messages);
  valid &= mark_row (GTK_WIDGET (self->phone_row), phone_error, TRUE, messages);
  valid &= mark_row (GTK_WIDGET (self->email_row), email_error, TRUE, messages);

  gtk_label_set_text (self->error_label, messages->str);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), messages->len > 0);

  self->form_valid = valid;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.save",
                                 valid && !self->saving && form_differs (self));
}

static void
on_field_changed (DermClientPage *self)
{
  if (self->loading)
    return;

  update_validation (self);
}

static void
load_form (DermClientPage *self)
{
  DermConcerns concerns = derm_client_get_concerns (self->client);
  guint fitzpatrick = derm_client_get_fitzpatrick (self->client);

  self->loading = TRUE;

  set_row_text (self->name_row, derm_client_get_name (self->client));
  set_row_text (self->dob_row, derm_client_get_date_of_birth (self->client));
  set_row_text (self->phone_row, derm_client_get_phone (self->client));
  set_row_text (self->email_row, derm_client_get_email (self->client));
  adw_combo_row_set_selected (self->fitzpatrick_row,
                              fitzpatrick <= DERM_FITZPATRICK_MAX ? fitzpatrick : 0);
  for (guint i = 0; i < DERM_N_CONCERNS; i++)
    gtk_check_button_set_active (self->concern_checks[i],
                                 (concerns & derm_concern_nth (i)) != 0);
  set_view_text (self->goals_view, derm_client_get_goals (self->client));
  set_view_text (self->notes_view, derm_client_get_notes (self->client));

  self->loading = FALSE;
  self->name_touched = FALSE;

  update_validation (self);
}

/* Title, menu, and what a not-yet-created client cannot do */
static void
sync_chrome (DermClientPage *self)
{
  gboolean is_new = derm_client_get_id (self->client) == 0;
  gboolean archived = derm_client_get_archived (self->client);
  const char *name = derm_client_get_name (self->client);
  g_autoptr (GMenuItem) item = NULL;

  adw_window_title_set_title (self->window_title,
                              is_new ? _("New Client") : (name != NULL ? name : ""));
  adw_window_title_set_subtitle (self->window_title,
                                 !is_new && archived ? _("Archived") : NULL);

  gtk_button_set_label (self->save_button, is_new ? _("_Create") : _("_Save"));
  gtk_widget_set_visible (self->menu_button, !is_new);

  item = g_menu_item_new (archived ? _("_Restore Client") : _("_Archive Client"),
                          "client.archive");
  g_menu_remove_all (self->archive_section);
  g_menu_append_item (self->archive_section, item);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.archive", !is_new);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.erase", !is_new);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.merge", !is_new);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.export-record", !is_new);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.new-screening", !is_new);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.open-latest-screening", !is_new);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.open-screening", !is_new);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.add-session", !is_new);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.edit-session", !is_new);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.plan-series", !is_new);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.sign-consent", !is_new);

  gtk_widget_set_visible (self->screening_group, !is_new);
  gtk_widget_set_visible (self->sessions_group, !is_new);
  if (self->photos_group != NULL)
    gtk_widget_set_visible (self->photos_group, !is_new);
  gtk_widget_set_visible (self->series_group, !is_new);
}

static void
update_findings_visibility (DermClientPage *self)
{
  guint n_contra = g_list_model_get_n_items (self->contra_findings);
  guint n_caution = g_list_model_get_n_items (self->caution_findings);
  guint n_info = g_list_model_get_n_items (self->info_findings);

  gtk_widget_set_visible (self->contra_card, n_contra > 0);
  gtk_widget_set_visible (self->caution_card, n_caution > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->info_list), n_info > 0);
  gtk_widget_set_visible (self->findings_box, n_contra + n_caution + n_info > 0);
}

static void
clear_earlier_rows (DermClientPage *self)
{
  for (guint i = 0; i < self->earlier_rows->len; i++)
    adw_expander_row_remove (self->earlier_screenings_row, g_ptr_array_index (self->earlier_rows, i));
  g_ptr_array_set_size (self->earlier_rows, 0);
}

static char *
summarize_findings (GPtrArray *findings)
{
  guint counts[3] = { 0, 0, 0 };
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < findings->len; i++)
    {
      DermSeverity severity = derm_finding_get_severity (g_ptr_array_index (findings, i));

      if ((guint) severity < G_N_ELEMENTS (counts))
        counts[severity]++;
    }

  if (counts[DERM_SEVERITY_CONTRAINDICATION] > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u contraindication", "%u contraindications",
                                                       counts[DERM_SEVERITY_CONTRAINDICATION]),
                                             counts[DERM_SEVERITY_CONTRAINDICATION]));
  if (counts[DERM_SEVERITY_CAUTION] > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u caution", "%u cautions",
                                                       counts[DERM_SEVERITY_CAUTION]),
                                             counts[DERM_SEVERITY_CAUTION]));
  if (parts->len == 0)
    return g_strdup (_("No contraindications or cautions"));

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (", ", (char **) parts->pdata);
}

/* What the page shows of a client's records, read on the store's worker */
typedef struct
{
  DermScreening *latest;
  GError        *latest_error;   /* the screening could not be read */
  GPtrArray     *screenings;
  GError        *screenings_error;
  GPtrArray     *treatments;
  GError        *treatments_error;
} Records;

static void
records_free (gpointer data)
{
  Records *r = data;

  g_clear_object (&r->latest);
  g_clear_error (&r->latest_error);
  g_clear_pointer (&r->screenings, g_ptr_array_unref);
  g_clear_error (&r->screenings_error);
  g_clear_pointer (&r->treatments, g_ptr_array_unref);
  g_clear_error (&r->treatments_error);
  g_free (r);
}

static gboolean
load_records_call (DermStore  *store,
                   gpointer    data,
                   gpointer   *result,
                   GError    **error)
{
  gint64 id = *(gint64 *) data;
  Records *r = g_new0 (Records, 1);

  r->latest = derm_store_get_latest_screening (store, id, &r->latest_error);
  r->screenings = derm_store_list_screenings (store, id, &r->screenings_error);
  r->treatments = derm_store_list_treatments (store, id, &r->treatments_error);
  *result = r;
  return TRUE;
}

static void
apply_records (DermClientPage *self,
               Records        *records)
{
  g_autoptr (GPtrArray) findings = NULL;

  g_set_object (&self->latest_screening, records->latest);
  if (records->latest_error != NULL)
    {
      /* Without the screening we cannot say the client is safe to treat:
       * say so where the findings would be. */
      g_autofree char *reason = g_strdup_printf (_("The screening could not be read: %s"),
                                                 records->latest_error->message);
      g_autoptr (DermFinding) finding = derm_finding_new (DERM_SEVERITY_CONTRAINDICATION,
                                                          "screening-unreadable", reason, NULL);

      g_list_store_append (self->findings, finding);
      show_toast (self, records->latest_error->message);
    }
  else
    {
      findings = derm_screening_evaluate (self->latest_screening, NULL);
      g_list_store_splice (self->findings, 0, 0, findings->pdata, findings->len);
    }

  if (self->latest_screening != NULL)
    {
      g_autofree char *date = format_display_date (derm_screening_get_date (self->latest_screening));
      g_autofree char *title = g_strdup_printf (_("Screened %s"), date);
      g_autofree char *summary = findings != NULL ? summarize_findings (findings) : NULL;
      g_autofree char *subtitle = g_strdup_printf (_("From the screening of %s"), date);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->latest_screening_row), title);
      adw_action_row_set_subtitle (self->latest_screening_row, summary != NULL ? summary : "");
      gtk_label_set_text (self->contra_subtitle, subtitle);
    }
  else if (records->latest_error == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->latest_screening_row),
                                     _("Never screened"));
      adw_action_row_set_subtitle (self->latest_screening_row,
                                   _("Screen the client before the first session"));
      gtk_label_set_text (self->contra_subtitle, _("No medical screening on record"));
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->latest_screening_row),
                                     _("The screening could not be read"));
      adw_action_row_set_subtitle (self->latest_screening_row, records->latest_error->message);
      gtk_label_set_text (self->contra_subtitle, _("The screening could not be read"));
    }

  if (records->screenings == NULL)
    show_toast (self, records->screenings_error->message);
  else
    {
      for (guint i = 0; i < records->screenings->len; i++)
        {
          DermScreening *screening = g_ptr_array_index (records->screenings, i);
          g_autofree char *date = NULL;
          GtkWidget *row;

          if (self->latest_screening != NULL &&
              derm_screening_get_id (screening) == derm_screening_get_id (self->latest_screening))
            continue;

          g_list_store_append (self->screenings, screening);

          date = format_display_date (derm_screening_get_date (screening));
          row = adw_action_row_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), date);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "client.open-screening");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "x", derm_screening_get_id (screening));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          adw_expander_row_add_row (self->earlier_screenings_row, row);
          g_ptr_array_add (self->earlier_rows, row);
        }
    }

  {
    guint n = g_list_model_get_n_items (G_LIST_MODEL (self->screenings));
    g_autofree char *subtitle = g_strdup_printf (ngettext ("%u earlier screening",
                                                           "%u earlier screenings", n), n);

    adw_expander_row_set_subtitle (self->earlier_screenings_row, subtitle);
    gtk_widget_set_visible (GTK_WIDGET (self->earlier_screenings_row), n > 0);
  }

  if (records->treatments == NULL)
    show_toast (self, records->treatments_error->message);
  else
    g_list_store_splice (self->sessions, 0, 0, records->treatments->pdata, records->treatments->len);

  update_findings_visibility (self);
}

typedef struct
{
  DermClientPage *self;
  guint           serial;
} RecordsContext;

static void
records_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RecordsContext *ctx = user_data;
  g_autoptr (DermClientPage) self = ctx->self;
  g_autoptr (GError) error = NULL;
  Records *records;
  gboolean latest = ctx->serial == self->records_serial;

  g_free (ctx);
  records = derm_store_call_finish (DERM_STORE (source), result, load_records_call, &error);
  self->n_records_loading--;
  /* Another client, or a newer reload, has been asked for since */
  if (latest && records != NULL && self->findings != NULL)
    {
      gtk_widget_set_sensitive (self->screening_group, TRUE);
      gtk_widget_set_sensitive (self->sessions_group, TRUE);
      apply_records (self, records);
    }
  else if (latest && records == NULL)
    show_toast (self, error->message);
  if (records != NULL)
    records_free (records);
  if (self->n_records_loading == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Reads the client's screenings and sessions again, on the store's
 * worker. Until they are here the page states nothing about them: no
 * findings, no "Never screened", the sections greyed out. */
static void
reload_records (DermClientPage *self)
{
  gint64 id = derm_client_get_id (self->client);
  RecordsContext *ctx;

  self->records_serial++;
  derm_series_timeline_set_client_id (self->series_timeline, id);
  g_list_store_remove_all (self->findings);
  g_list_store_remove_all (self->screenings);
  g_list_store_remove_all (self->sessions);
  clear_earlier_rows (self);
  g_clear_object (&self->latest_screening);

  if (id == 0)
    {
      update_findings_visibility (self);
      return;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->latest_screening_row), _("Reading the screening…"));
  adw_action_row_set_subtitle (self->latest_screening_row, "");
  gtk_widget_set_visible (GTK_WIDGET (self->earlier_screenings_row), FALSE);
  gtk_widget_set_sensitive (self->screening_group, FALSE);
  gtk_widget_set_sensitive (self->sessions_group, FALSE);
  update_findings_visibility (self);

  ctx = g_new (RecordsContext, 1);
  ctx->self = g_object_ref (self);
  ctx->serial = self->records_serial;
  if (self->n_records_loading++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  derm_store_call_async (self->store, load_records_call, load_records_call,
                         g_memdup2 (&id, sizeof id), g_free, records_free,
                         NULL, records_loaded, ctx);
}

static GtkWidget *
create_finding_row (gpointer item,
                    gpointer user_data)
{
  DermFinding *finding = item;
  const char *until = derm_finding_get_until (finding);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), derm_finding_get_reason (finding));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  if (until != NULL)
    {
      g_autofree char *date = format_display_date (until);
      g_autofree char *subtitle = g_strdup_printf (_("Until %s"), date);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }

  switch (derm_finding_get_severity (finding))
    {
    case DERM_SEVERITY_CONTRAINDICATION:
      gtk_widget_add_css_class (row, "error");
      break;

    case DERM_SEVERITY_CAUTION:
      gtk_widget_add_css_class (row, "warning");
      break;

    case DERM_SEVERITY_INFO:
    default:
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("dialog-information-symbolic"));
      break;
    }

  return row;
}

static GtkWidget *
create_session_row (gpointer item,
                    gpointer user_data)
{
  DermTreatment *treatment = item;
  const char *practitioner = derm_treatment_get_practitioner (treatment);
  g_autofree char *date = format_display_date (derm_treatment_get_date (treatment));
  g_autofree char *depths = derm_treatment_format_depths (treatment);
  g_autoptr (GString) subtitle = g_string_new (NULL);
  GtkWidget *row = adw_action_row_new ();

  if (practitioner != NULL && *practitioner != '\0')
    g_string_append (subtitle, practitioner);
  if (*depths != '\0')
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append (subtitle, depths);
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), date);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);

  if (derm_treatment_get_aftercare_given (treatment))
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
      GtkWidget *label = gtk_label_new (_("Aftercare sheet given"));

      gtk_widget_add_css_class (box, "success");
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
    }

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "client.edit-session");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "x", derm_treatment_get_id (treatment));

  return row;
}

static gboolean
filter_severity (gpointer item,
                 gpointer user_data)
{
  return derm_finding_get_severity (item) == (DermSeverity) GPOINTER_TO_INT (user_data);
}

static GListModel *
bind_findings (DermClientPage *self,
               GtkListBox     *list,
               DermSeverity    severity)
{
  GtkCustomFilter *filter = gtk_custom_filter_new (filter_severity, GINT_TO_POINTER (severity), NULL);
  GtkFilterListModel *model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->findings)),
                                                         GTK_FILTER (filter));

  gtk_list_box_bind_model (list, G_LIST_MODEL (model), create_finding_row, NULL, NULL);
  g_signal_connect_object (model, "items-changed",
                           G_CALLBACK (update_findings_visibility), self, G_CONNECT_SWAPPED);

  return G_LIST_MODEL (model);
}

static void sync_compare_action (DermClientPage *self);

/* Actions */

/* Toasts go to the window's overlay, which holds every page */
static GtkWidget *
toast_overlay (DermClientPage *self)
{
  return gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
}

/* Shows @message, with a Retry button that calls @on_retry when the
 * store was locked; a long message gets Details (derm-toast.h) */
static AdwToast *
add_error_toast (DermClientPage *self,
                 const GError   *error,
                 GCallback       on_retry)
{
  GtkWidget *overlay = toast_overlay (self);
  AdwToast *toast;

  if (overlay == NULL)
    return NULL;
  if (g_error_matches (error, DERM_STORE_ERROR, DERM_STORE_ERROR_LOCKED))
    toast = derm_toast_new_with_button (overlay, error->message, _("_Retry"),
                                        g_cclosure_new_object (on_retry, G_OBJECT (self)));
  else
    toast = derm_toast_new (overlay, error->message);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return toast;
}

static void
add_toast (DermClientPage *self,
           AdwToast       *toast)
{
  GtkWidget *overlay = toast_overlay (self);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static gboolean
show_wait_toast (gpointer user_data)
{
  DermClientPage *self = user_data;

  self->wait_source = 0;
  g_clear_object (&self->wait_toast);
  if (toast_overlay (self) == NULL)
    return G_SOURCE_REMOVE;
  self->wait_toast = derm_toast_new (toast_overlay (self),
                                     _("Saving… another Dermis window or dermis-cli is writing to the client database; waiting for it to finish."));
  adw_toast_set_timeout (self->wait_toast, 0);
  add_toast (self, g_object_ref (self->wait_toast));
  return G_SOURCE_REMOVE;
}

/* A store write is under way: the form stays usable, the window draws,
 * and after a moment the toast says why nothing has happened yet */
static void
begin_saving (DermClientPage *self)
{
  self->saving = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.save", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.archive", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.erase", FALSE);
  self->wait_source = g_timeout_add (400, show_wait_toast, self);
}

static void
end_saving (DermClientPage *self)
{
  gboolean is_new = self->client == NULL || derm_client_get_id (self->client) == 0;

  self->saving = FALSE;
  g_clear_handle_id (&self->wait_source, g_source_remove);
  if (self->wait_toast != NULL)
    adw_toast_dismiss (self->wait_toast);
  g_clear_object (&self->wait_toast);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.archive", !is_new);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.erase", !is_new);
  update_validation (self);
}

static void
on_retry_clicked (AdwToast       *toast,
                  DermClientPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "client.save", NULL);
}

/* A failed save: the form keeps what was typed, so nothing is lost; when
 * another program held the database, the toast offers to try again */
static void
save_failed (DermClientPage *self,
             const GError   *error)
{
  add_error_toast (self, error, G_CALLBACK (on_retry_clicked));
}

typedef struct
{
  DermClientPageLeaveFunc func;
  gpointer                user_data;
  GDestroyNotify          user_data_free;
} Leave;

static void
leave_free (gpointer data)
{
  Leave *leave = data;

  if (leave->user_data_free != NULL)
    leave->user_data_free (leave->user_data);
  g_free (leave);
}

typedef struct
{
  DermClientPage *self;
  DermClient     *from;      /* the record the form showed when saving began */
  Leave          *then;      /* leaving the page waits for the save: told if it worked */
} SaveContext;

static void
save_context_free (SaveContext *ctx)
{
  g_object_unref (ctx->self);
  g_clear_object (&ctx->from);
  g_clear_pointer (&ctx->then, leave_free);
  g_free (ctx);
}

static void
save_context_done (SaveContext *ctx,
                   gboolean     saved)
{
  if (ctx->then != NULL)
    ctx->then->func (ctx->then->user_data, saved);
  save_context_free (ctx);
}

static void
client_saved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SaveContext *ctx = user_data;
  DermClientPage *self = ctx->self;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GError) error = NULL;
  gboolean created = derm_client_get_id (ctx->from) == 0;

  client = derm_store_save_client_finish (DERM_STORE (source), result, &error);
  end_saving (self);
  if (client == NULL)
    {
      save_failed (self, error);
      save_context_done (ctx, FALSE);
      return;
    }

  /* Only when the form still shows what was saved: the practitioner may
   * have moved to another client while the store was busy */
  if (self->client == ctx->from)
    {
      g_set_object (&self->client, client);
      sync_chrome (self);
      if (created)
        {
          reload_records (self);
          /* The gallery was showing "no client": it now has one to add photos to */
          if (self->photo_gallery != NULL)
            derm_photo_gallery_set_client_id (DERM_PHOTO_GALLERY (self->photo_gallery),
                                              derm_client_get_id (self->client));
          sync_compare_action (self);
        }
      update_validation (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
    }

  show_toast (self, created ? _("Client created") : _("Client saved"));
  g_signal_emit (self, signals[CLIENT_SAVED], 0, client);
  save_context_done (ctx, TRUE);
}

/* A new client that may be someone already on file: the question has
 * the saving paused; no "waiting for another program" toast meanwhile */
typedef struct
{
  SaveContext *ctx;
  DermClient  *client;   /* the copy to save */
} DuplicateCheck;

static void
duplicate_check_free (gpointer data)
{
  DuplicateCheck *check = data;

  g_clear_pointer (&check->ctx, save_context_free);
  g_clear_object (&check->client);
  g_free (check);
}

static void
pause_wait_toast (DermClientPage *self)
{
  g_clear_handle_id (&self->wait_source, g_source_remove);
  if (self->wait_toast != NULL)
    adw_toast_dismiss (self->wait_toast);
  g_clear_object (&self->wait_toast);
}

static void
on_duplicate_response (AdwMessageDialog *dialog,
                       const char       *response,
                       DermClientPage   *self)
{
  DuplicateCheck *check = g_object_get_data (G_OBJECT (dialog), "derm-duplicate-check");
  SaveContext *ctx = g_steal_pointer (&check->ctx);

  /* Answered once: closing the dialog afterwards answers again */
  if (ctx == NULL)
    return;

  if (g_str_equal (response, "create"))
    {
      derm_store_save_client_async (self->store, check->client, NULL, client_saved, ctx);
      return;
    }

  end_saving (self);
  if (g_str_equal (response, "open") && self->client == ctx->from)
    {
      gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "client-id");

      /* The draft was the same person: it goes, and the record on file opens */
      load_form (self);
      save_context_done (ctx, FALSE);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-client", "x", id);
      return;
    }
  save_context_done (ctx, FALSE);
}

static void
on_duplicates_read (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DuplicateCheck *check = user_data;
  DermClientPage *self = check->ctx->self;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog;

  found = derm_client_merge_find_duplicates_finish (DERM_STORE (source), result, &error);
  if (found == NULL)
    {
      end_saving (self);
      save_failed (self, error);
      save_context_done (g_steal_pointer (&check->ctx), FALSE);
      duplicate_check_free (check);
      return;
    }
  if (found->len == 0)
    {
      derm_store_save_client_async (self->store, check->client, NULL, client_saved, g_steal_pointer (&check->ctx));
      duplicate_check_free (check);
      return;
    }

  pause_wait_toast (self);
  dialog = derm_client_merge_duplicate_question (get_parent_window (self), found);
  g_object_set_data_full (G_OBJECT (dialog), "derm-duplicate-check", check, duplicate_check_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_duplicate_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Saves the form on the store's worker; @then (taken) learns whether it worked */
static void
save_then (DermClientPage *self,
           Leave          *then)
{
  g_autoptr (DermClient) client = NULL;
  SaveContext *ctx;

  if (self->saving || self->store == NULL)
    {
      if (then != NULL)
        {
          then->func (then->user_data, FALSE);
          leave_free (then);
        }
      return;
    }

  /* The worker gets its own copy: the form and the page's record stay
   * the window's alone while it saves */
  client = derm_client_copy (self->client);
  form_apply (self, client);

  ctx = g_new0 (SaveContext, 1);
  ctx->self = g_object_ref (self);
  ctx->from = g_object_ref (self->client);
  ctx->then = then;
  begin_saving (self);
  if (derm_client_get_id (client) == 0)
    {
      /* Create: first, is this someone already on file? */
      DuplicateCheck *check = g_new0 (DuplicateCheck, 1);

      check->ctx = ctx;
      check->client = g_steal_pointer (&client);
      derm_client_merge_find_duplicates_async (self->store, check->client, on_duplicates_read, check);
      return;
    }
  derm_store_save_client_async (self->store, client, NULL, client_saved, ctx);
}

static void
on_clients_merged (gpointer    owner,
                   gint64      from_id,
                   gint64      into_id,
                   const char *message)
{
  /* Both records changed, and the calendar with them */
  gtk_widget_activate_action (GTK_WIDGET (owner), "win.refresh", NULL);
  gtk_widget_activate_action (GTK_WIDGET (owner), "win.planner-changed", NULL);
}

static void
client_merge (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  DermClientPage *self = DERM_CLIENT_PAGE (widget);

  if (self->store == NULL || derm_client_get_id (self->client) == 0)
    return;
  derm_client_merge_start (widget, self->store, self->client, on_clients_merged);
}

static void
client_save (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  save_then (DERM_CLIENT_PAGE (widget), NULL);
}

static void on_undo_archive (AdwToast       *toast,
                             DermClientPage *self);

static void
client_archived (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SaveContext *ctx = user_data;
  DermClientPage *self = ctx->self;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GError) error = NULL;
  gboolean archived;

  client = derm_store_set_client_archived_finish (DERM_STORE (source), result, &error);
  end_saving (self);
  if (client == NULL)
    {
      show_toast (self, error->message);
      save_context_free (ctx);
      return;
    }

  archived = derm_client_get_archived (client);
  /* Unsaved edits in the form stay; only the record underneath changes */
  if (self->client == ctx->from)
    {
      g_set_object (&self->client, client);
      sync_chrome (self);
      update_validation (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
    }

  if (archived)
    {
      /* Like removing a photo: one click brings the client back */
      AdwToast *toast = adw_toast_new (_("Client archived"));
      gint64 id = derm_client_get_id (client);

      adw_toast_set_button_label (toast, _("_Undo"));
      g_object_set_data_full (G_OBJECT (toast), "derm-client-id", g_memdup2 (&id, sizeof id), g_free);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_archive), self, 0);
      add_toast (self, toast);
    }
  else
    show_toast (self, _("Client restored"));
  g_signal_emit (self, signals[CLIENT_SAVED], 0, client);
  save_context_free (ctx);
}

static void
on_undo_archive (AdwToast       *toast,
                 DermClientPage *self)
{
  const gint64 *id = g_object_get_data (G_OBJECT (toast), "derm-client-id");
  SaveContext *ctx;

  if (id == NULL || self->store == NULL)
    return;
  if (self->saving)
    {
      show_toast (self, _("The client could not be restored while a save is under way; use Restore Client in the client's menu"));
      return;
    }

  ctx = g_new0 (SaveContext, 1);
  ctx->self = g_object_ref (self);
  /* The page may show another client by now: only this one is restored */
  if (self->client != NULL && derm_client_get_id (self->client) == *id)
    ctx->from = g_object_ref (self->client);
  begin_saving (self);
  derm_store_set_client_archived_async (self->store, *id, FALSE, NULL, client_archived, ctx);
}

static void
client_archive (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DermClientPage *self = DERM_CLIENT_PAGE (widget);
  SaveContext *ctx;

  if (self->saving || self->store == NULL)
    return;

  ctx = g_new0 (SaveContext, 1);
  ctx->self = g_object_ref (self);
  ctx->from = g_object_ref (self->client);
  begin_saving (self);
  derm_store_set_client_archived_async (self->store, derm_client_get_id (self->client),
                                        !derm_client_get_archived (self->client),
                                        NULL, client_archived, ctx);
}

static DermPhotoLibrary *
get_library (DermClientPage *self)
{
  return derm_photo_gallery_get_library (DERM_PHOTO_GALLERY (self->photo_gallery));
}

typedef struct
{
  DermPhotoLibrary *library;
  gint64            id;
} EraseCall;

static void
erase_call_free (gpointer data)
{
  EraseCall *call = data;

  g_clear_object (&call->library);
  g_free (call);
}

/* On the store's worker: records, photos no other client uses,
 * thumbnails, cached analyses */
static gboolean
erase_client_call (DermStore  *store,
                   gpointer    data,
                   gpointer   *result,
                   GError    **error)
{
  EraseCall *call = data;

  *result = GINT_TO_POINTER (TRUE);
  return derm_photo_library_erase_client (call->library, call->id, NULL, error);
}

static void erase_client (DermClientPage *self,
                          gint64          id);

static void
on_erase_retry_clicked (AdwToast       *toast,
                        DermClientPage *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (toast), "client-id");

  erase_client (self, id);
}

static void
client_erased (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (DermClientPage) self = user_data;
  g_autoptr (GError) error = NULL;
  gint64 id = self->erasing_id;

  self->erasing_id = 0;
  end_saving (self);
  if (derm_store_call_finish (DERM_STORE (source), result, erase_client_call, &error) == NULL)
    {
      /* Already confirmed: Retry erases the same client without asking again */
      AdwToast *toast = add_error_toast (self, error, G_CALLBACK (on_erase_retry_clicked));

      if (toast != NULL)
        g_object_set_data_full (G_OBJECT (toast), "client-id", g_memdup2 (&id, sizeof id), g_free);
      return;
    }

  show_toast (self, _("Client erased"));
  g_signal_emit (self, signals[CLIENT_DELETED], 0, id);

  /* Unless a handler moved on, the page must not keep showing a client
   * who no longer exists. */
  if (self->client != NULL && derm_client_get_id (self->client) == id)
    derm_client_page_set_client (self, NULL);
}

static void
erase_client (DermClientPage *self,
              gint64          id)
{
  EraseCall *call;

  if (self->saving || self->store == NULL)
    return;

  call = g_new0 (EraseCall, 1);
  call->library = g_object_ref (get_library (self));
  call->id = id;
  self->erasing_id = id;
  begin_saving (self);
  derm_store_call_async (self->store, erase_client_call, erase_client_call, call, erase_call_free, NULL,
                         NULL, client_erased, g_object_ref (self));
}

static void
on_erase_response (AdwMessageDialog *dialog,
                   const char       *response,
                   DermClientPage   *self)
{
  erase_client (self, *(gint64 *) g_object_get_data (G_OBJECT (dialog), "client-id"));
}

static void
on_erase_confirm_changed (GtkEditable      *entry,
                          AdwMessageDialog *dialog)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "client-name");

  adw_message_dialog_set_response_enabled (dialog, "erase",
                                           g_strcmp0 (gtk_editable_get_text (entry), name) == 0);
}

/* Erasing is for good: the practitioner types the client's name to confirm */
static void
client_erase (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  DermClientPage *self = DERM_CLIENT_PAGE (widget);
  gint64 id = derm_client_get_id (self->client);
  const char *name = derm_client_get_name (self->client);
  GtkWidget *dialog;
  GtkWidget *entry;

  dialog = derm_message_dialog_new (get_parent_window (self), _("Erase Client?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Everything about %s will be erased for good: the record, every "
                                    "screening, session and appointment, and the photos no other client "
                                    "shares. This cannot be undone; export the record first if it may be "
                                    "needed. Type the client’s name to confirm."),
                                  name != NULL ? name : "");
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The client’s name, to confirm"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "erase", _("_Erase"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "erase",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "erase", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "client-id", g_memdup2 (&id, sizeof id), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "client-name", g_strdup (name), g_free);
  g_signal_connect (entry, "changed", G_CALLBACK (on_erase_confirm_changed), dialog);
  g_signal_connect_object (dialog, "response::erase",
                           G_CALLBACK (on_erase_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  DermPhotoLibrary *library;
  gint64            id;
  char             *path;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *d = data;

  g_clear_object (&d->library);
  g_free (d->path);
  g_free (d);
}

static void
export_record_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  ExportData *d = task_data;
  GError *error = NULL;

  /* The save dialog has asked before replacing a file */
  if (derm_client_archive_export (d->library, d->id, d->path, TRUE, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_record_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DermClientPage *self = DERM_CLIENT_PAGE (source);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not export the record: %s"), error->message);

      show_toast (self, message);
    }
  else
    show_toast (self, _("Record exported"));
}

void
derm_client_page_export_record (DermClientPage *self,
                                const char     *path)
{
  g_autoptr (GTask) task = NULL;
  ExportData *d;

  g_return_if_fail (DERM_IS_CLIENT_PAGE (self));
  g_return_if_fail (path != NULL);

  d = g_new0 (ExportData, 1);
  d->library = g_object_ref (get_library (self));
  d->id = derm_client_get_id (self->client);
  d->path = g_strdup (path);
  task = g_task_new (self, NULL, export_record_done, NULL);
  g_task_set_task_data (task, d, export_data_free);
  g_task_run_in_thread (task, export_record_thread);
}

static void
on_export_record_response (GtkNativeDialog *dialog,
                           int              response,
                           DermClientPage  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        derm_client_page_export_record (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
client_export_record (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  DermClientPage *self = DERM_CLIENT_PAGE (widget);
  g_autofree char *name = g_strdup_printf (_("%s record.zip"), derm_client_get_name (self->client));
  GtkFileChooserNative *chooser;

  for (char *p = name; *p; p++)
    if (*p == '/')
      *p = '-';
  chooser = gtk_file_chooser_native_new (_("Export Record"), get_parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_record_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void refresh_list_row (DermClientPage *self);

static void
on_screening_saved (DermClientPage *self,
                    DermScreening  *screening)
{
  reload_records (self);
  refresh_list_row (self);
  show_toast (self, _("Screening saved"));
}

static void
open_screening (DermClientPage *self,
                DermScreening  *existing)
{
  GtkWidget *dialog = derm_screening_dialog_new (self->store, self->client, existing);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), get_parent_window (self));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_screening_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
client_new_screening (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  open_screening (DERM_CLIENT_PAGE (widget), NULL);
}

static void
client_open_latest_screening (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  DermClientPage *self = DERM_CLIENT_PAGE (widget);

  /* "Never screened" leads straight to taking one */
  open_screening (self, self->latest_screening);
}

static void
client_open_screening (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  DermClientPage *self = DERM_CLIENT_PAGE (widget);
  gint64 id = g_variant_get_int64 (param);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->screenings));

  if (self->latest_screening != NULL && derm_screening_get_id (self->latest_screening) == id)
    {
      open_screening (self, self->latest_screening);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DermScreening) screening = g_list_model_get_item (G_LIST_MODEL (self->screenings), i);

      if (derm_screening_get_id (screening) == id)
        {
          open_screening (self, screening);
          return;
        }
    }

  show_toast (self, _("That screening is no longer on record"));
}

static void
list_row_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (DermClientPage) self = user_data;
  g_autoptr (DermClient) fresh = NULL;

  fresh = derm_store_get_client_finish (DERM_STORE (source), result, NULL);
  if (fresh == NULL || self->client == NULL ||
      derm_client_get_id (fresh) != derm_client_get_id (self->client))
    return;
  /* Only what the list shows beside the form's fields; edits stay */
  derm_client_set_last_visit (self->client, derm_client_get_last_visit (fresh));
  derm_client_set_do_not_treat (self->client, derm_client_get_do_not_treat (fresh));
  g_signal_emit (self, signals[CLIENT_SAVED], 0, self->client);
}

/* A screening or a session changes what the client list says of the
 * client (the last visit, Do Not Treat): read it again on the store's
 * worker, after the change, and tell the window */
static void
refresh_list_row (DermClientPage *self)
{
  if (self->client == NULL || derm_client_get_id (self->client) == 0)
    return;
  derm_store_get_client_async (self->store, derm_client_get_id (self->client), NULL,
                               list_row_read, g_object_ref (self));
}

static void
on_session_saved (DermClientPage *self,
                  DermTreatment  *treatment)
{
  reload_records (self);
  refresh_list_row (self);
  /* The toast offers the aftercare sheet (ui/documents) */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.session-saved", "(sx)",
                              _("Session saved"), derm_treatment_get_id (treatment));
}

static void
on_session_deleted (DermClientPage *self,
                    gint64          id)
{
  reload_records (self);
  refresh_list_row (self);
  show_toast (self, _("Session deleted"));
}

static void
open_session (DermClientPage *self,
              DermTreatment  *existing)
{
  GtkWidget *dialog = derm_treatment_dialog_new (self->store, self->client, existing);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), get_parent_window (self));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_session_saved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "deleted", G_CALLBACK (on_session_deleted), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
client_add_session (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  open_session (DERM_CLIENT_PAGE (widget), NULL);
}

static void
client_edit_session (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  DermClientPage *self = DERM_CLIENT_PAGE (widget);
  gint64 id = g_variant_get_int64 (param);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sessions));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DermTreatment) treatment = g_list_model_get_item (G_LIST_MODEL (self->sessions), i);

      if (derm_treatment_get_id (treatment) == id)
        {
          open_session (self, treatment);
          return;
        }
    }

  show_toast (self, _("That session is no longer on record"));
}

static void
on_series_booked (DermClientPage   *self,
                  DermPlanProposal *proposal)
{
  reload_records (self);
  show_toast (self, _("Series booked"));
  derm_planner_ui_notify_changed (GTK_WIDGET (self));
}

static void
on_consent_signed (DermClientPage *self,
                   gint64          form_id)
{
  reload_records (self);
  derm_client_consent_group_set_client_id (DERM_CLIENT_CONSENT_GROUP (self->consent_group),
                                           derm_client_get_id (self->client));
  show_toast (self, _("Consent form signed and stored"));
}

/* The consent form of the client's active series (its protocol and
 * practitioner), else the form for sessions outside a series */
static void
client_sign_consent (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  DermClientPage *self = DERM_CLIENT_PAGE (widget);
  g_autoptr (GPtrArray) series = NULL;
  DermConsentWindow *window;
  const char *practitioner = NULL;
  gint64 protocol_id = 0;

  series = derm_store_list_series (self->store, derm_client_get_id (self->client), NULL);
  for (guint i = 0; series != NULL && i < series->len; i++)
    {
      DermSeries *s = g_ptr_array_index (series, i);

      if (derm_series_get_status (s) == DERM_SERIES_ACTIVE)
        {
          protocol_id = derm_series_get_protocol_id (s);
          practitioner = derm_series_get_practitioner (s);
          break;
        }
    }
  window = derm_consent_window_new (get_parent_window (self), get_library (self),
                                    derm_client_get_id (self->client), protocol_id, practitioner);
  g_signal_connect_object (window, "signed", G_CALLBACK (on_consent_signed), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static void
client_plan_series (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DermClientPage *self = DERM_CLIENT_PAGE (widget);
  GtkWidget *dialog = derm_plan_dialog_new (self->store, self->client);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), get_parent_window (self));
  g_signal_connect_object (dialog, "booked", G_CALLBACK (on_series_booked), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Compare: the earliest and the latest photo of a view with two or more
 * (the front view when it has them) */
static gboolean
find_compare_view (DermClientPage *self,
                   DermPhotoView  *view)
{
  if (self->photo_gallery == NULL || self->client == NULL || derm_client_get_id (self->client) <= 0)
    return FALSE;
  return derm_compare_window_find_default_view (
    derm_photo_gallery_get_library (DERM_PHOTO_GALLERY (self->photo_gallery)), derm_client_get_id (self->client),
    DERM_PHOTO_VIEW_FRONT, view);
}

static void
sync_compare_action (DermClientPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.compare-photos", find_compare_view (self, NULL));
}

static void
client_compare_photos (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  DermClientPage *self = DERM_CLIENT_PAGE (widget);
  DermPhotoView view;

  if (!find_compare_view (self, &view))
    return;
  derm_compare_window_open_default (get_parent_window (self),
                                    derm_photo_gallery_get_library (DERM_PHOTO_GALLERY (self->photo_gallery)),
                                    derm_client_get_id (self->client), view);
}

/* The progress report of every view, in its dialog */
static void
client_progress_report (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  DermClientPage *self = DERM_CLIENT_PAGE (widget);
  GtkWidget *dialog;

  if (self->photo_gallery == NULL || self->client == NULL || derm_client_get_id (self->client) <= 0)
    return;
  dialog = derm_report_dialog_new (get_parent_window (self),
                                   derm_photo_gallery_get_library (DERM_PHOTO_GALLERY (self->photo_gallery)),
                                   derm_client_get_id (self->client), DERM_PROGRESS_REPORT_ALL_VIEWS, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
derm_client_page_constructed (GObject *object)
{
  DermClientPage *self = DERM_CLIENT_PAGE (object);

  G_OBJECT_CLASS (derm_client_page_parent_class)->constructed (object);

  g_return_if_fail (DERM_IS_STORE (self->store));

  self->photos_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->photos_group), _("Photos"));
  self->photo_gallery = derm_photo_gallery_new (self->store, NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->photos_group), self->photo_gallery);
  {
    GtkWidget *compare = gtk_button_new_with_mnemonic (_("_Compare…"));

    gtk_widget_set_tooltip_text (compare, _("Compare the earliest and the latest photo of a view"));
    gtk_widget_set_valign (compare, GTK_ALIGN_CENTER);
    gtk_actionable_set_action_name (GTK_ACTIONABLE (compare), "client.compare-photos");
    adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self->photos_group), compare);
    g_signal_connect_object (derm_photo_gallery_get_sections (DERM_PHOTO_GALLERY (self->photo_gallery)),
                             "items-changed", G_CALLBACK (sync_compare_action), self, G_CONNECT_SWAPPED);
    /* Filing a photo under Front in the viewer changes no section */
    g_signal_connect_object (self->photo_gallery, "photos-changed",
                             G_CALLBACK (sync_compare_action), self, G_CONNECT_SWAPPED);
  }
  gtk_widget_insert_after (self->photos_group, gtk_widget_get_parent (self->sessions_group),
                           self->sessions_group);
  gtk_widget_set_visible (self->photos_group, gtk_widget_get_visible (self->sessions_group));

  self->consent_group = derm_client_consent_group_new (derm_photo_gallery_get_library (DERM_PHOTO_GALLERY (self->photo_gallery)));
  gtk_widget_insert_after (self->consent_group, gtk_widget_get_parent (self->photos_group), self->photos_group);
  g_object_bind_property (self->photos_group, "visible", self->consent_group, "visible", G_BINDING_SYNC_CREATE);

  derm_series_timeline_set_store (self->series_timeline, self->store);
}

static void
derm_client_page_dispose (GObject *object)
{
  DermClientPage *self = DERM_CLIENT_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_CLIENT_PAGE);

  g_clear_handle_id (&self->wait_source, g_source_remove);
  g_clear_object (&self->wait_toast);

  g_clear_object (&self->contra_findings);
  g_clear_object (&self->caution_findings);
  g_clear_object (&self->info_findings);
  g_clear_object (&self->findings);
  g_clear_object (&self->sessions);
  g_clear_object (&self->screenings);
  g_clear_object (&self->latest_screening);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_pointer (&self->earlier_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (derm_client_page_parent_class)->dispose (object);
}

static void
derm_client_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DermClientPage *self = DERM_CLIENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->n_records_loading > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_client_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DermClientPage *self = DERM_CLIENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_CLIENT:
      derm_client_page_set_client (self, g_value_get_object (value));
      break;

    case PROP_FOLDED:
      derm_client_page_set_folded (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_client_page_class_init (DermClientPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = derm_client_page_constructed;
  object_class->dispose = derm_client_page_dispose;
  object_class->get_property = derm_client_page_get_property;
  object_class->set_property = derm_client_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DERM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         DERM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* TRUE while the client's screenings and sessions are read */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DermClientPage::client-saved:
   * @client: the client as now stored
   *
   * Emitted after the client was created, updated, archived or restored.
   */
  signals[CLIENT_SAVED] =
    g_signal_new ("client-saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DERM_TYPE_CLIENT);

  /**
   * DermClientPage::client-deleted:
   * @id: the id the deleted client had
   */
  signals[CLIENT_DELETED] =
    g_signal_new ("client-deleted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-client-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, menu_button);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, archive_section);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, findings_box);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, contra_card);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, caution_card);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, contra_subtitle);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, contra_list);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, caution_list);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, info_list);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, dob_row);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, fitzpatrick_row);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, concerns_box);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, goals_view);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, notes_view);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, screening_group);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, sessions_group);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, latest_screening_row);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, earlier_screenings_row);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, sessions_list);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, series_group);
  gtk_widget_class_bind_template_child (widget_class, DermClientPage, series_timeline);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);

  gtk_widget_class_install_action (widget_class, "client.save", NULL, client_save);
  gtk_widget_class_install_action (widget_class, "client.archive", NULL, client_archive);
  gtk_widget_class_install_action (widget_class, "client.erase", NULL, client_erase);
  gtk_widget_class_install_action (widget_class, "client.merge", NULL, client_merge);
  gtk_widget_class_install_action (widget_class, "client.export-record", NULL, client_export_record);
  gtk_widget_class_install_action (widget_class, "client.new-screening", NULL, client_new_screening);
  gtk_widget_class_install_action (widget_class, "client.open-latest-screening", NULL,
                                   client_open_latest_screening);
  gtk_widget_class_install_action (widget_class, "client.open-screening", "x", client_open_screening);
  gtk_widget_class_install_action (widget_class, "client.add-session", NULL, client_add_session);
  gtk_widget_class_install_action (widget_class, "client.edit-session", "x", client_edit_session);
  gtk_widget_class_install_action (widget_class, "client.plan-series", NULL, client_plan_series);
  gtk_widget_class_install_action (widget_class, "client.sign-consent", NULL, client_sign_consent);
  gtk_widget_class_install_action (widget_class, "client.compare-photos", NULL, client_compare_photos);
  gtk_widget_class_install_action (widget_class, "client.progress-report", NULL, client_progress_report);

  g_type_ensure (DERM_TYPE_SERIES_TIMELINE);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "client.save", NULL);
}

static void
derm_client_page_init (DermClientPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  derm_date_row_attach (self->dob_row);
  derm_combo_row_show_whole_items (self->fitzpatrick_row);

  self->client = derm_client_new ();
  self->findings = g_list_store_new (DERM_TYPE_FINDING);
  self->sessions = g_list_store_new (DERM_TYPE_TREATMENT);
  self->screenings = g_list_store_new (DERM_TYPE_SCREENING);
  self->earlier_rows = g_ptr_array_new ();

  self->contra_findings = bind_findings (self, self->contra_list, DERM_SEVERITY_CONTRAINDICATION);
  self->caution_findings = bind_findings (self, self->caution_list, DERM_SEVERITY_CAUTION);
  self->info_findings = bind_findings (self, self->info_list, DERM_SEVERITY_INFO);

  gtk_list_box_bind_model (self->sessions_list, G_LIST_MODEL (self->sessions),
                           create_session_row, NULL, NULL);

  for (guint i = 0; i < DERM_N_CONCERNS; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (derm_concern_to_label (derm_concern_nth (i)));

      g_signal_connect_object (check, "toggled", G_CALLBACK (on_field_changed), self, G_CONNECT_SWAPPED);
      gtk_flow_box_append (self->concerns_box, check);
      self->concern_checks[i] = GTK_CHECK_BUTTON (check);
    }

  g_signal_connect_object (gtk_text_view_get_buffer (self->goals_view), "changed",
                           G_CALLBACK (on_field_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->notes_view), "changed",
                           G_CALLBACK (on_field_changed), self, G_CONNECT_SWAPPED);

  load_form (self);
  sync_chrome (self);
  update_findings_visibility (self);
}

GtkWidget *
derm_client_page_new (DermStore *store)
{
  g_return_val_if_fail (DERM_IS_STORE (store), NULL);

  return g_object_new (DERM_TYPE_CLIENT_PAGE,
                       "store", store,
                       NULL);
}

DermStore *
derm_client_page_get_store (DermClientPage *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_PAGE (self), NULL);

  return self->store;
}

void
derm_client_page_set_client (DermClientPage *self,
                             DermClient     *client)
{
  g_autoptr (DermClient) shown = NULL;

  g_return_if_fail (DERM_IS_CLIENT_PAGE (self));
  g_return_if_fail (client == NULL || DERM_IS_CLIENT (client));

  shown = client != NULL ? g_object_ref (client) : derm_client_new ();
  g_set_object (&self->client, shown);

  load_form (self);
  sync_chrome (self);
  reload_records (self);
  if (self->photo_gallery != NULL)
    derm_photo_gallery_set_client_id (DERM_PHOTO_GALLERY (self->photo_gallery),
                                      derm_client_get_id (self->client));
  if (self->consent_group != NULL)
    derm_client_consent_group_set_client_id (DERM_CLIENT_CONSENT_GROUP (self->consent_group),
                                             derm_client_get_id (self->client));
  sync_compare_action (self);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

DermClient *
derm_client_page_get_client (DermClientPage *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_PAGE (self), NULL);

  return self->client;
}

gboolean
derm_client_page_get_folded (DermClientPage *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_PAGE (self), FALSE);

  return self->folded;
}

void
derm_client_page_set_folded (DermClientPage *self,
                             gboolean        folded)
{
  g_return_if_fail (DERM_IS_CLIENT_PAGE (self));

  folded = !!folded;
  if (self->folded == folded)
    return;

  self->folded = folded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

GListModel *
derm_client_page_get_findings (DermClientPage *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_PAGE (self), NULL);

  return G_LIST_MODEL (self->findings);
}

GListModel *
derm_client_page_get_sessions (DermClientPage *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_PAGE (self), NULL);

  return G_LIST_MODEL (self->sessions);
}

gboolean
derm_client_page_get_loading (DermClientPage *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_PAGE (self), FALSE);

  return self->n_records_loading > 0;
}

GListModel *
derm_client_page_get_screenings (DermClientPage *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_PAGE (self), NULL);

  return G_LIST_MODEL (self->screenings);
}

void
derm_client_page_reload_planner (DermClientPage *self)
{
  g_return_if_fail (DERM_IS_CLIENT_PAGE (self));

  /* Marking an appointment done also records a session */
  if (derm_client_get_id (self->client) != 0)
    {
      reload_records (self);
      refresh_list_row (self);
    }
}

gboolean
derm_client_page_has_unsaved_changes (DermClientPage *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_PAGE (self), FALSE);

  return form_differs (self);
}

static void
on_leave_answered (gpointer          owner,
                   DermUnsavedChoice choice,
                   gpointer          user_data)
{
  DermClientPage *self = owner;
  Leave *leave = user_data;
  gboolean proceed = FALSE;

  switch (choice)
    {
    case DERM_UNSAVED_SAVE:
      {
        /* Leaving waits for the save; a refused save keeps the form, and
         * the page, as they are. The question's copy of @leave is emptied. */
        Leave *then = g_new0 (Leave, 1);

        *then = *leave;
        leave->user_data = NULL;
        leave->user_data_free = NULL;
        save_then (self, then);
        return;
      }

    case DERM_UNSAVED_DISCARD:
      load_form (self);
      proceed = TRUE;
      break;

    case DERM_UNSAVED_CANCEL:
    default:
      break;
    }

  leave->func (leave->user_data, proceed);
}

void
derm_client_page_confirm_leave (DermClientPage         *self,
                                DermClientPageLeaveFunc func,
                                gpointer                user_data,
                                GDestroyNotify          user_data_free)
{
  g_autofree char *heading = NULL;
  const char *name;
  Leave *leave;

  g_return_if_fail (DERM_IS_CLIENT_PAGE (self));
  g_return_if_fail (func != NULL);

  if (!form_differs (self))
    {
      func (user_data, TRUE);
      if (user_data_free != NULL)
        user_data_free (user_data);
      return;
    }

  name = derm_client_get_name (self->client);
  if (derm_client_get_id (self->client) == 0)
    heading = g_strdup (_("Create the New Client?"));
  else
    heading = g_strdup_printf (_("Save Changes to %s?"), name != NULL ? name : "");

  leave = g_new0 (Leave, 1);
  leave->func = func;
  leave->user_data = user_data;
  leave->user_data_free = user_data_free;

  derm_unsaved_ask (get_parent_window (self), heading, NULL, self->form_valid,
                    G_OBJECT (self), on_leave_answered, leave, leave_free);
}

typedef struct
{
  DermClientPage *self;
  gint64          id;
} RefreshContext;

static void
fresh_client_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RefreshContext *ctx = user_data;
  g_autoptr (DermClientPage) self = ctx->self;
  g_autoptr (DermClient) fresh = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id = ctx->id;

  g_free (ctx);
  fresh = derm_store_get_client_finish (DERM_STORE (source), result, &error);
  /* The page moved to another client meanwhile */
  if (self->client == NULL || derm_client_get_id (self->client) != id)
    return;

  if (fresh == NULL)
    {
      /* Deleted elsewhere: let the window move on, unless edits would go */
      if (g_error_matches (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND) && !form_differs (self))
        {
          g_signal_emit (self, signals[CLIENT_DELETED], 0, id);
          if (derm_client_get_id (self->client) == id)
            derm_client_page_set_client (self, NULL);
        }
      return;
    }

  if (!form_differs (self))
    {
      g_set_object (&self->client, fresh);
      load_form (self);
      sync_chrome (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
    }

  reload_records (self);
  if (self->photo_gallery != NULL)
    derm_photo_gallery_reload (DERM_PHOTO_GALLERY (self->photo_gallery));
  sync_compare_action (self);
}

void
derm_client_page_refresh (DermClientPage *self)
{
  RefreshContext *ctx;

  g_return_if_fail (DERM_IS_CLIENT_PAGE (self));

  if (derm_client_get_id (self->client) == 0)
    return;

  ctx = g_new (RefreshContext, 1);
  ctx->self = g_object_ref (self);
  ctx->id = derm_client_get_id (self->client);
  derm_store_get_client_async (self->store, ctx->id, NULL, fresh_client_read, ctx);
}

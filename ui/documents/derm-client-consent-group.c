/* derm-client-consent-group.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-documents-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-consent-document.h"
#include "derm-photo-use.h"
#include "derm-store-consent.h"
#include "derm-store-photos.h"
#include "derm-validate.h"

#include "derm-client-consent-group.h"

struct _DermClientConsentGroup
{
  AdwPreferencesGroup   parent_instance;

  DermPhotoLibrary     *library;
  gint64                client_id;
  guint                 serial;       /* only the latest read is shown */
  guint                 n_busy;
  gboolean              applying;     /* the row is being set from the store */
  DermPhotoUse          use;          /* as stored */
  char                 *note;
  GListStore           *forms;
  GtkFileChooserNative *chooser;
  gint64                export_id;

  /* Template children */
  AdwComboRow          *photo_use_row;
  GtkStringList        *uses;
  GtkListBox           *forms_list;
};

G_DEFINE_FINAL_TYPE (DermClientConsentGroup, derm_client_consent_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_LIBRARY,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (DermClientConsentGroup *self,
       const char             *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
}

static void
begin_busy (DermClientConsentGroup *self)
{
  if (self->n_busy++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
end_busy (DermClientConsentGroup *self)
{
  g_return_if_fail (self->n_busy > 0);
  if (--self->n_busy == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static DermStore *
get_store (DermClientConsentGroup *self)
{
  return derm_photo_library_get_store (self->library);
}

static DermConsentForm *
find_form (DermClientConsentGroup *self,
           gint64                  id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->forms)); i++)
    {
      g_autoptr (DermConsentForm) form = g_list_model_get_item (G_LIST_MODEL (self->forms), i);

      if (derm_consent_form_get_id (form) == id)
        return form;
    }
  return NULL;
}

/* --- reading, on the store's worker ---------------------------------------- */

typedef struct
{
  DermPhotoUse  use;
  gint64        recorded_at;
  char         *recorded_by;
  GPtrArray    *forms;
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *l = data;

  g_free (l->recorded_by);
  g_clear_pointer (&l->forms, g_ptr_array_unref);
  g_free (l);
}

static gboolean
load_call (DermStore  *store,
           gpointer    data,
           gpointer   *result,
           GError    **error)
{
  gint64 id = *(gint64 *) data;
  Loaded *l = g_new0 (Loaded, 1);

  if (!derm_store_get_client_photo_use_record (store, id, &l->use, &l->recorded_at, &l->recorded_by, error) ||
      !(l->forms = derm_store_list_consent_forms (store, id, error)))
    {
      loaded_free (l);
      return FALSE;
    }
  *result = l;
  return TRUE;
}

static char *
describe_record (const Loaded *l)
{
  g_autoptr (GDateTime) at = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *day = NULL;

  if (l->recorded_by == NULL)
    return g_strdup (_("Not asked yet: photos are kept for the clinical record only"));
  at = g_date_time_new_from_unix_local (l->recorded_at);
  iso = at != NULL ? g_date_time_format (at, "%Y-%m-%d") : NULL;
  day = iso != NULL ? derm_date_format_display (iso, TRUE) : NULL;
  /* TRANSLATORS: who recorded the photo-use consent, and the day */
  return g_strdup_printf (_("Recorded by %s on %s"), l->recorded_by, day != NULL ? day : "?");
}

typedef struct
{
  DermClientConsentGroup *self;
  guint                   serial;
} LoadContext;

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  LoadContext *ctx = user_data;
  g_autoptr (DermClientConsentGroup) self = ctx->self;
  g_autoptr (GError) error = NULL;
  Loaded *l = derm_store_call_finish (DERM_STORE (source), result, load_call, &error);
  gboolean latest = ctx->serial == self->serial;

  g_free (ctx);
  if (latest && l != NULL)
    {
      self->use = l->use;
      g_free (self->note);
      self->note = describe_record (l);
      self->applying = TRUE;
      adw_combo_row_set_selected (self->photo_use_row, (guint) l->use);
      self->applying = FALSE;
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->photo_use_row), self->note);
      g_list_store_splice (self->forms, 0, g_list_model_get_n_items (G_LIST_MODEL (self->forms)),
                           l->forms->pdata, l->forms->len);
      gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
    }
  else if (latest)
    {
      g_autofree char *text = g_strdup_printf (_("The consent could not be read: %s"), error->message);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->photo_use_row), text);
      toast (self, text);
    }
  if (l != NULL)
    loaded_free (l);
  end_busy (self);
}

static void
reload (DermClientConsentGroup *self)
{
  LoadContext *ctx;

  self->serial++;
  g_list_store_remove_all (self->forms);
  if (self->client_id <= 0)
    return;
  /* Until the consent is read the row says nothing about it */
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->photo_use_row), _("Reading the consent…"));
  ctx = g_new (LoadContext, 1);
  ctx->self = g_object_ref (self);
  ctx->serial = self->serial;
  begin_busy (self);
  derm_store_call_async (get_store (self), load_call, load_call, g_memdup2 (&self->client_id, sizeof (gint64)),
                         g_free, loaded_free, NULL, loaded, ctx);
}

/* --- recording the photo-use consent --------------------------------------- */

typedef struct
{
  gint64       client_id;
  DermPhotoUse use;
} UseWrite;

static gboolean
set_use_call (DermStore  *store,
              gpointer    data,
              gpointer   *result,
              GError    **error)
{
  UseWrite *w = data;

  return derm_store_set_client_photo_use (store, w->client_id, w->use, error);
}

static void
use_recorded (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (DermClientConsentGroup) self = user_data;
  g_autoptr (GError) error = NULL;

  derm_store_call_finish (DERM_STORE (source), result, set_use_call, &error);
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The photo-use consent was not recorded: %s"), error->message);

      /* The row shows what is stored */
      self->applying = TRUE;
      adw_combo_row_set_selected (self->photo_use_row, (guint) self->use);
      self->applying = FALSE;
      toast (self, text);
    }
  else
    {
      toast (self, _("Photo-use consent recorded"));
      reload (self);
    }
  end_busy (self);
}

void
derm_client_consent_group_set_photo_use (DermClientConsentGroup *self,
                                         DermPhotoUse            use)
{
  UseWrite *w;

  g_return_if_fail (DERM_IS_CLIENT_CONSENT_GROUP (self));
  g_return_if_fail ((guint) use < DERM_N_PHOTO_USES);

  if (self->client_id <= 0)
    return;
  if (adw_combo_row_get_selected (self->photo_use_row) != (guint) use)
    {
      self->applying = TRUE;
      adw_combo_row_set_selected (self->photo_use_row, (guint) use);
      self->applying = FALSE;
    }
  w = g_new (UseWrite, 1);
  w->client_id = self->client_id;
  w->use = use;
  begin_busy (self);
  derm_store_call_async (get_store (self), set_use_call, set_use_call, w, g_free, NULL, NULL,
                         use_recorded, g_object_ref (self));
}

static void
on_use_selected (DermClientConsentGroup *self)
{
  guint selected = adw_combo_row_get_selected (self->photo_use_row);

  if (self->applying || selected >= DERM_N_PHOTO_USES || (DermPhotoUse) selected == self->use)
    return;
  derm_client_consent_group_set_photo_use (self, (DermPhotoUse) selected);
}

/* --- the signed forms ------------------------------------------------------ */

static GtkWidget *
create_form_row (gpointer item,
                 gpointer user_data)
{
  DermConsentForm *form = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *day = derm_date_format_display (derm_consent_form_get_signed_on (form), TRUE);
  const char *protocol = derm_consent_form_get_protocol_name (form);
  g_autofree char *subtitle = NULL;
  gint64 id = derm_consent_form_get_id (form);
  GtkWidget *open = gtk_button_new_from_icon_name ("document-open-symbolic");
  GtkWidget *save = gtk_button_new_from_icon_name ("document-save-as-symbolic");

  /* TRANSLATORS: a signed form: the day signed, the protocol, the form's version, who signed */
  subtitle = g_strdup_printf (_("Signed %s · %s · version %u · by %s"), day != NULL ? day : derm_consent_form_get_signed_on (form),
                              protocol != NULL && *protocol != '\0' ? protocol : _("Sessions outside a series"),
                              derm_consent_form_get_version (form), derm_consent_form_get_signer (form));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), derm_consent_form_get_title (form));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_tooltip_text (open, _("Open the signed PDF"));
  gtk_widget_set_tooltip_text (save, _("Export the signed PDF…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Open the signed PDF"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (save), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Export the signed PDF"), -1);
  for (GtkWidget *b = open; b != NULL; b = b == open ? save : NULL)
    {
      gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (b, "flat");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (b), "x", id);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), b);
    }
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "consent-group.open-form");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (save), "consent-group.export-form");
  return row;
}

typedef struct
{
  DermPhotoLibrary *library;
  DermConsentForm  *form;
  char             *path;       /* export: where to; NULL: open */
} FileJob;

static void
file_job_free (gpointer data)
{
  FileJob *j = data;

  g_object_unref (j->library);
  g_object_unref (j->form);
  g_free (j->path);
  g_free (j);
}

static void
file_job_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  FileJob *j = task_data;
  GError *error = NULL;
  gboolean ok;

  /* The chooser asked before replacing a file */
  if (j->path != NULL)
    ok = derm_consent_export (j->library, j->form, j->path, TRUE, &error);
  else
    ok = derm_consent_check (j->library, j->form, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
shown (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr (DermClientConsentGroup) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The signed PDF could not be opened: %s"), error->message);

      toast (self, text);
    }
}

static void
file_job_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  DermClientConsentGroup *self = DERM_CLIENT_CONSENT_GROUP (source);
  FileJob *j = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    toast (self, error->message);
  else if (j->path != NULL)
    toast (self, _("Signed form exported"));
  else
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      g_autofree char *stored = derm_consent_form_get_path (j->library, j->form);
      g_autoptr (GFile) file = g_file_new_for_path (stored);
      g_autofree char *uri = g_file_get_uri (file);

      if (GTK_IS_WINDOW (root))
        gtk_show_uri_full (GTK_WINDOW (root), uri, GDK_CURRENT_TIME, NULL, shown, g_object_ref (self));
    }
  end_busy (self);
}

static void
run_file_job (DermClientConsentGroup *self,
              gint64                  form_id,
              const char             *path)
{
  DermConsentForm *form = find_form (self, form_id);
  g_autoptr (GTask) task = NULL;
  FileJob *j;

  if (form == NULL)
    return;
  j = g_new0 (FileJob, 1);
  j->library = g_object_ref (self->library);
  j->form = g_object_ref (form);
  j->path = g_strdup (path);
  task = g_task_new (self, NULL, file_job_done, NULL);
  g_task_set_task_data (task, j, file_job_free);
  begin_busy (self);
  g_task_run_in_thread (task, file_job_thread);
}

void
derm_client_consent_group_open_form (DermClientConsentGroup *self,
                                     gint64                  form_id)
{
  g_return_if_fail (DERM_IS_CLIENT_CONSENT_GROUP (self));
  run_file_job (self, form_id, NULL);
}

void
derm_client_consent_group_export_form (DermClientConsentGroup *self,
                                       gint64                  form_id,
                                       GFile                  *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (DERM_IS_CLIENT_CONSENT_GROUP (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      toast (self, _("Choose a folder on this computer to export to."));
      return;
    }
  run_file_job (self, form_id, path);
}

static void
open_form_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  derm_client_consent_group_open_form (DERM_CLIENT_CONSENT_GROUP (widget), g_variant_get_int64 (param));
}

static void
on_export_response (GtkNativeDialog        *dialog,
                    int                     response,
                    DermClientConsentGroup *self)
{
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (file != NULL)
    derm_client_consent_group_export_form (self, self->export_id, file);
}

static void
export_form_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DermClientConsentGroup *self = DERM_CLIENT_CONSENT_GROUP (widget);
  DermConsentForm *form = find_form (self, g_variant_get_int64 (param));
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (form == NULL || self->chooser != NULL)
    return;
  self->export_id = derm_consent_form_get_id (form);
  self->chooser = gtk_file_chooser_native_new (_("Export Signed Form"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  /* TRANSLATORS: a file name: the form's title and the day signed */
  name = g_strdup_printf (_("%s, signed %s.pdf"), derm_consent_form_get_title (form),
                          derm_consent_form_get_signed_on (form));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* --- GObject --------------------------------------------------------------- */

static void
derm_client_consent_group_dispose (GObject *object)
{
  DermClientConsentGroup *self = DERM_CLIENT_CONSENT_GROUP (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_CLIENT_CONSENT_GROUP);

  G_OBJECT_CLASS (derm_client_consent_group_parent_class)->dispose (object);
}

static void
derm_client_consent_group_finalize (GObject *object)
{
  DermClientConsentGroup *self = DERM_CLIENT_CONSENT_GROUP (object);

  g_clear_object (&self->library);
  g_clear_object (&self->forms);
  g_free (self->note);

  G_OBJECT_CLASS (derm_client_consent_group_parent_class)->finalize (object);
}

static void
derm_client_consent_group_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  DermClientConsentGroup *self = DERM_CLIENT_CONSENT_GROUP (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      g_value_set_object (value, self->library);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->n_busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_client_consent_group_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  DermClientConsentGroup *self = DERM_CLIENT_CONSENT_GROUP (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      self->library = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_client_consent_group_class_init (DermClientConsentGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_client_consent_group_dispose;
  object_class->finalize = derm_client_consent_group_finalize;
  object_class->get_property = derm_client_consent_group_get_property;
  object_class->set_property = derm_client_consent_group_set_property;

  properties[PROP_LIBRARY] =
    g_param_spec_object ("library", NULL, NULL, DERM_TYPE_PHOTO_LIBRARY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-client-consent-group.ui");
  gtk_widget_class_bind_template_child (widget_class, DermClientConsentGroup, photo_use_row);
  gtk_widget_class_bind_template_child (widget_class, DermClientConsentGroup, uses);
  gtk_widget_class_bind_template_child (widget_class, DermClientConsentGroup, forms_list);

  gtk_widget_class_install_action (widget_class, "consent-group.open-form", "x", open_form_action);
  gtk_widget_class_install_action (widget_class, "consent-group.export-form", "x", export_form_action);
}

static void
derm_client_consent_group_init (DermClientConsentGroup *self)
{
  GtkWidget *empty;

  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < DERM_N_PHOTO_USES; i++)
    gtk_string_list_append (self->uses, derm_photo_use_to_label ((DermPhotoUse) i));
  self->forms = g_list_store_new (DERM_TYPE_CONSENT_FORM);
  gtk_list_box_bind_model (self->forms_list, G_LIST_MODEL (self->forms), create_form_row, NULL, NULL);
  empty = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (empty), _("No signed consent forms"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (empty), _("Forms signed on screen or imported from paper are kept here"));
  gtk_list_box_set_placeholder (self->forms_list, empty);
  g_signal_connect_object (self->photo_use_row, "notify::selected", G_CALLBACK (on_use_selected), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
derm_client_consent_group_new (DermPhotoLibrary *library)
{
  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);

  return g_object_new (DERM_TYPE_CLIENT_CONSENT_GROUP, "library", library, NULL);
}

void
derm_client_consent_group_set_client_id (DermClientConsentGroup *self,
                                         gint64                  id)
{
  g_return_if_fail (DERM_IS_CLIENT_CONSENT_GROUP (self));

  self->client_id = id;
  reload (self);
}

gboolean
derm_client_consent_group_get_busy (DermClientConsentGroup *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_CONSENT_GROUP (self), FALSE);
  return self->n_busy > 0;
}

GListModel *
derm_client_consent_group_get_forms (DermClientConsentGroup *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_CONSENT_GROUP (self), NULL);
  return G_LIST_MODEL (self->forms);
}

DermPhotoUse
derm_client_consent_group_get_photo_use (DermClientConsentGroup *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_CONSENT_GROUP (self), DERM_PHOTO_USE_CLINICAL);
  return self->use;
}

const char *
derm_client_consent_group_get_photo_use_note (DermClientConsentGroup *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_CONSENT_GROUP (self), NULL);
  return self->note;
}

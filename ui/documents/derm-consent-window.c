/* derm-consent-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-documents"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-client.h"
#include "derm-consent-document.h"
#include "derm-consent-window.h"
#include "derm-protocol.h"
#include "derm-store-consent.h"
#include "derm-store-planner.h"
#include "derm-validate.h"
#include "derm-toast.h"

#define RESOURCE_PATH "/io/github/dermis/Dermis"

struct _DermConsentWindow
{
  AdwWindow            parent_instance;

  AdwToastOverlay     *toasts;
  AdwComboRow         *protocol_row;
  GtkLabel            *title_label;
  GtkLabel            *version_label;
  GtkLabel            *body_label;
  AdwEntryRow         *signer_row;
  AdwEntryRow         *practitioner_row;
  DermSignaturePad    *pad;

  DermPhotoLibrary    *library;
  gint64               client_id;
  GArray              *protocol_ids;   /* gint64, in the combo's order */
  DermConsentTemplate *template_;      /* the form shown */
  gint64               form_id;
  char                *error;
  gboolean             busy;           /* signing */
  guint                n_loading;      /* reads on the store's worker */
  guint                load_serial;    /* only the latest read is shown */
  gboolean             filling;        /* the protocol row is being filled */
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (DermConsentWindow, derm_consent_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SIGNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_busy (DermConsentWindow *self)
{
  return self->busy || self->n_loading > 0;
}

static void
update_actions (DermConsentWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "consent.sign",
                                 !is_busy (self) && self->template_ != NULL &&
                                 derm_signature_pad_get_signed (self->pad));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "consent.import-paper",
                                 !is_busy (self) && self->template_ != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->protocol_row), !is_busy (self));
}

static void
set_busy (DermConsentWindow *self,
          gboolean           busy)
{
  gboolean was = is_busy (self);

  self->busy = busy;
  update_actions (self);
  if (was != is_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
add_loading (DermConsentWindow *self,
             int                delta)
{
  gboolean was = is_busy (self);

  self->n_loading += delta;
  update_actions (self);
  if (was != is_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_error (DermConsentWindow *self,
            const char        *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  derm_toast_show (GTK_WIDGET (self->toasts), message);
}

static void
show_template (DermConsentWindow   *self,
               DermConsentTemplate *template_)
{
  g_autofree char *version = NULL;

  g_set_object (&self->template_, template_);
  gtk_label_set_text (self->title_label, derm_consent_template_get_title (self->template_));
  if (derm_consent_template_get_version (self->template_) == 0)
    version = g_strdup (_("Built-in form"));
  else
    version = g_strdup_printf (_("Version %u"), derm_consent_template_get_version (self->template_));
  gtk_label_set_text (self->version_label, version);
  gtk_label_set_text (self->body_label, derm_consent_template_get_body (self->template_));
  update_actions (self);
}

/* --- reading on the store's worker --------------------------------------- */

typedef struct
{
  gint64   client_id;     /* 0: the client is not asked for */
  gboolean protocols;     /* the protocols are asked for */
  gint64   protocol_id;   /* the form shown */
} LoadRequest;

typedef struct
{
  char                *client_name;
  GPtrArray           *protocols;
  DermConsentTemplate *template_;
  GError              *protocols_error;
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *l = data;

  g_free (l->client_name);
  g_clear_pointer (&l->protocols, g_ptr_array_unref);
  g_clear_object (&l->template_);
  g_clear_error (&l->protocols_error);
  g_free (l);
}

static gboolean
load_call (DermStore  *store,
           gpointer    data,
           gpointer   *result,
           GError    **error)
{
  LoadRequest *r = data;
  Loaded *l = g_new0 (Loaded, 1);

  if (r->client_id > 0)
    {
      g_autoptr (DermClient) client = derm_store_get_client (store, r->client_id, NULL);

      l->client_name = client != NULL ? g_strdup (derm_client_get_name (client)) : NULL;
    }
  /* Without the list the form asked for can still be read and signed */
  if (r->protocols)
    l->protocols = derm_store_list_protocols (store, &l->protocols_error);
  l->template_ = derm_store_get_consent_template (store, r->protocol_id, error);
  if (l->template_ == NULL)
    {
      loaded_free (l);
      return FALSE;
    }
  *result = l;
  return TRUE;
}

typedef struct
{
  DermConsentWindow *self;
  guint              serial;
  gint64             protocol_id;
} LoadContext;

static void
fill_protocols (DermConsentWindow *self,
                GPtrArray         *protocols,
                gint64             protocol_id)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;
  gint64 none = 0;

  g_array_set_size (self->protocol_ids, 0);
  for (guint i = 0; protocols != NULL && i < protocols->len; i++)
    {
      DermProtocol *p = g_ptr_array_index (protocols, i);
      gint64 id = derm_protocol_get_id (p);

      if (id == protocol_id)
        selected = self->protocol_ids->len;
      g_array_append_val (self->protocol_ids, id);
      gtk_string_list_append (names, derm_protocol_get_name (p));
    }
  if (protocol_id == 0)
    selected = self->protocol_ids->len;
  g_array_append_val (self->protocol_ids, none);
  gtk_string_list_append (names, _("Sessions outside a series"));
  self->filling = TRUE;
  adw_combo_row_set_model (self->protocol_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->protocol_row, selected);
  self->filling = FALSE;
}

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  LoadContext *ctx = user_data;
  g_autoptr (DermConsentWindow) self = ctx->self;
  g_autoptr (GError) error = NULL;
  Loaded *l = derm_store_call_finish (DERM_STORE (source), result, load_call, &error);

  if (ctx->serial == self->load_serial)
    {
      if (l == NULL)
        {
          gtk_label_set_text (self->title_label, _("The form could not be read"));
          gtk_label_set_text (self->body_label, error->message);
          show_error (self, error->message);
        }
      else
        {
          const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->signer_row));

          if (l->client_name != NULL && *typed == '\0')
            gtk_editable_set_text (GTK_EDITABLE (self->signer_row), l->client_name);
          if (l->protocols != NULL || l->protocols_error != NULL)
            fill_protocols (self, l->protocols, ctx->protocol_id);
          if (l->protocols_error != NULL)
            show_error (self, l->protocols_error->message);
          show_template (self, l->template_);
        }
    }
  if (l != NULL)
    loaded_free (l);
  g_free (ctx);
  add_loading (self, -1);
}

/* Reads the form of @protocol_id (and, the first time, the client's name
 * and the protocols) on the store's worker; until then the window says so
 * and nothing can be signed */
static void
load (DermConsentWindow *self,
      gint64             protocol_id,
      gboolean           first)
{
  LoadRequest *r = g_new0 (LoadRequest, 1);
  LoadContext *ctx = g_new0 (LoadContext, 1);

  r->client_id = first ? self->client_id : 0;
  r->protocols = first;
  r->protocol_id = protocol_id;
  ctx->self = g_object_ref (self);
  ctx->serial = ++self->load_serial;
  ctx->protocol_id = protocol_id;
  g_clear_object (&self->template_);
  gtk_label_set_text (self->title_label, _("Reading the form…"));
  gtk_label_set_text (self->version_label, "");
  gtk_label_set_text (self->body_label, "");
  add_loading (self, 1);
  derm_store_call_async (derm_photo_library_get_store (self->library), load_call, load_call, r, g_free,
                         loaded_free, NULL, loaded, ctx);
}

static void
on_protocol_changed (DermConsentWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->protocol_row);

  if (self->filling || self->protocol_ids == NULL || selected >= self->protocol_ids->len)
    return;
  load (self, g_array_index (self->protocol_ids, gint64, selected), FALSE);
}

static void
on_signed_changed (DermConsentWindow *self)
{
  update_actions (self);
}

/* --- signing on the worker ----------------------------------------------- */

typedef struct
{
  DermPhotoLibrary    *library;
  gint64               client_id;
  DermConsentTemplate *template_;
  char                *signer;
  char                *practitioner;
  char                *signed_on;
  DermSignature       *signature;
  char                *scan_path;
} SignData;

static void
sign_data_free (gpointer data)
{
  SignData *d = data;

  g_object_unref (d->library);
  g_object_unref (d->template_);
  g_free (d->signer);
  g_free (d->practitioner);
  g_free (d->signed_on);
  g_clear_object (&d->signature);
  g_free (d->scan_path);
  g_free (d);
}

static void
sign_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SignData *d = task_data;
  DermConsentSigning signing = {
    d->client_id, d->template_, d->signer, d->practitioner, d->signed_on, d->signature, d->scan_path,
  };
  GError *error = NULL;
  DermConsentForm *form = derm_consent_sign (d->library, &signing, &error);

  if (form != NULL)
    g_task_return_pointer (task, form, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
sign_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  DermConsentWindow *self = DERM_CONSENT_WINDOW (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermConsentForm) form = g_task_propagate_pointer (G_TASK (result), &error);

  set_busy (self, FALSE);
  if (form == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  self->form_id = derm_consent_form_get_id (form);
  g_clear_pointer (&self->error, g_free);
  g_signal_emit (self, signals[SIGNAL_SIGNED], 0, self->form_id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
start_signing (DermConsentWindow *self,
               DermSignature     *signature,
               const char        *scan_path)
{
  g_autoptr (GTask) task = NULL;
  SignData *d;
  GDate today;

  if (is_busy (self) || self->template_ == NULL)
    return;
  derm_date_today (&today);
  d = g_new0 (SignData, 1);
  d->library = g_object_ref (self->library);
  d->client_id = self->client_id;
  d->template_ = g_object_ref (self->template_);
  d->signer = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->signer_row))));
  d->practitioner = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->practitioner_row))));
  d->signed_on = derm_date_format (&today);
  d->signature = signature != NULL ? g_object_ref (signature) : NULL;
  d->scan_path = g_strdup (scan_path);

  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, sign_done, NULL);
  g_task_set_task_data (task, d, sign_data_free);
  g_task_run_in_thread (task, sign_thread);
}

static void
sign_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DermConsentWindow *self = DERM_CONSENT_WINDOW (widget);

  start_signing (self, derm_signature_pad_get_signature (self->pad), NULL);
}

void
derm_consent_window_import_paper (DermConsentWindow *self,
                                  const char        *path)
{
  g_return_if_fail (DERM_IS_CONSENT_WINDOW (self));
  g_return_if_fail (path != NULL);

  start_signing (self, NULL, path);
}

static void
on_paper_response (GtkNativeDialog   *dialog,
                   int                response,
                   DermConsentWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        derm_consent_window_import_paper (self, path);
      else
        show_error (self, _("The scan must be a file on this computer. Copy it here and choose it again."));
    }
  g_object_unref (dialog);
}

static void
import_paper_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DermConsentWindow *self = DERM_CONSENT_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Signed Paper Form"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Scans and photos"));
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/tiff");
  gtk_file_filter_add_mime_type (filter, "image/heic");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_paper_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- the object ---------------------------------------------------------- */

static void
derm_consent_window_dispose (GObject *object)
{
  DermConsentWindow *self = DERM_CONSENT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_CONSENT_WINDOW);
  g_clear_object (&self->library);
  g_clear_object (&self->template_);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->protocol_ids, g_array_unref);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (derm_consent_window_parent_class)->dispose (object);
}

static void
derm_consent_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DermConsentWindow *self = DERM_CONSENT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, is_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_consent_window_class_init (DermConsentWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_consent_window_dispose;
  object_class->get_property = derm_consent_window_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SIGNED] = g_signal_new ("signed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (DERM_TYPE_SIGNATURE_PAD);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-consent-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DermConsentWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, DermConsentWindow, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, DermConsentWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, DermConsentWindow, version_label);
  gtk_widget_class_bind_template_child (widget_class, DermConsentWindow, body_label);
  gtk_widget_class_bind_template_child (widget_class, DermConsentWindow, signer_row);
  gtk_widget_class_bind_template_child (widget_class, DermConsentWindow, practitioner_row);
  gtk_widget_class_bind_template_child (widget_class, DermConsentWindow, pad);
  gtk_widget_class_bind_template_callback (widget_class, on_protocol_changed);
  gtk_widget_class_install_action (widget_class, "consent.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "consent.import-paper", NULL, import_paper_action);
}

static void
derm_consent_window_init (DermConsentWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->pad, "notify::signed", G_CALLBACK (on_signed_changed), self, G_CONNECT_SWAPPED);
}

DermConsentWindow *
derm_consent_window_new (GtkWindow        *parent,
                         DermPhotoLibrary *library,
                         gint64            client_id,
                         gint64            protocol_id,
                         const char       *practitioner)
{
  DermConsentWindow *self;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);

  self = g_object_new (DERM_TYPE_CONSENT_WINDOW, "transient-for", parent, NULL);
  self->library = g_object_ref (library);
  self->client_id = client_id;
  if (practitioner != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->practitioner_row), practitioner);
  self->protocol_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  load (self, protocol_id, TRUE);
  /* For the client to read, nothing else on screen */
  gtk_window_fullscreen (GTK_WINDOW (self));
  return self;
}

DermSignaturePad *
derm_consent_window_get_pad (DermConsentWindow *self)
{
  g_return_val_if_fail (DERM_IS_CONSENT_WINDOW (self), NULL);
  return self->pad;
}

guint
derm_consent_window_get_version (DermConsentWindow *self)
{
  g_return_val_if_fail (DERM_IS_CONSENT_WINDOW (self), 0);
  return self->template_ != NULL ? derm_consent_template_get_version (self->template_) : 0;
}

void
derm_consent_window_set_signer (DermConsentWindow *self,
                                const char        *name)
{
  g_return_if_fail (DERM_IS_CONSENT_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->signer_row), name != NULL ? name : "");
}

void
derm_consent_window_set_practitioner (DermConsentWindow *self,
                                      const char        *name)
{
  g_return_if_fail (DERM_IS_CONSENT_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->practitioner_row), name != NULL ? name : "");
}

gint64
derm_consent_window_get_form_id (DermConsentWindow *self)
{
  g_return_val_if_fail (DERM_IS_CONSENT_WINDOW (self), 0);
  return self->form_id;
}

const char *
derm_consent_window_get_error (DermConsentWindow *self)
{
  g_return_val_if_fail (DERM_IS_CONSENT_WINDOW (self), NULL);
  return self->error;
}

gboolean
derm_consent_window_get_busy (DermConsentWindow *self)
{
  g_return_val_if_fail (DERM_IS_CONSENT_WINDOW (self), FALSE);
  return is_busy (self);
}

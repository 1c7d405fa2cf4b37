/* derm-store-wait.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-store-wait"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-store.h"
#include "derm-store-wait.h"
#include "derm-toast.h"

/* A write answered within this time shows no waiting toast */
#define WAIT_TOAST_DELAY_MS 400

struct _DermStoreWait
{
  GObject          parent_instance;

  GtkWidget       *owner;       /* not owned: it owns us */
  AdwToastOverlay *overlay;     /* not owned: inside the owner */
  char            *retry_action;
  gboolean         busy;
  guint            toast_source;
  AdwToast        *toast;
};

G_DEFINE_FINAL_TYPE (DermStoreWait, derm_store_wait, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The toast overlay of the window @widget is in: an AdwPreferencesWindow
 * has its own; a group of Preferences or a page of the first-run
 * assistant lies inside one, or inside an AdwToastOverlay */
static GtkWidget *
toast_overlay_of (GtkWidget *widget)
{
  GtkRoot *root = widget != NULL ? gtk_widget_get_root (widget) : NULL;

  if (ADW_IS_PREFERENCES_WINDOW (root))
    return GTK_WIDGET (root);
  return widget != NULL ? gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY) : NULL;
}

void
derm_widget_show_toast (GtkWidget  *widget,
                        const char *message)
{
  GtkWidget *overlay;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

  overlay = toast_overlay_of (widget);
  if (overlay != NULL)
    derm_toast_show (overlay, message);
  else if (gtk_widget_get_root (widget) != NULL)
    gtk_widget_activate_action (widget, "win.show-toast", "s", message);
}

/* Where this wait's toasts go, or NULL */
static GtkWidget *
wait_overlay (DermStoreWait *self)
{
  if (self->overlay != NULL)
    return GTK_WIDGET (self->overlay);
  return toast_overlay_of (self->owner);
}

static gboolean
show_wait_toast (gpointer user_data)
{
  DermStoreWait *self = user_data;

  self->toast_source = 0;
  if (self->owner == NULL)
    return G_SOURCE_REMOVE;
  g_clear_object (&self->toast);
  if (wait_overlay (self) == NULL)
    return G_SOURCE_REMOVE;
  self->toast = derm_toast_new (wait_overlay (self),
                                _("Saving… another Dermis window or dermis-cli is writing to the client database; waiting for it to finish."));
  adw_toast_set_timeout (self->toast, 0);
  derm_toast_add (wait_overlay (self), g_object_ref (self->toast));
  return G_SOURCE_REMOVE;
}

void
derm_store_wait_set_retry_action (DermStoreWait *self,
                                  const char    *retry_action)
{
  g_return_if_fail (DERM_IS_STORE_WAIT (self));

  g_free (self->retry_action);
  self->retry_action = g_strdup (retry_action);
}

gboolean
derm_store_wait_begin (DermStoreWait *self)
{
  g_return_val_if_fail (DERM_IS_STORE_WAIT (self), FALSE);

  if (self->busy)
    return FALSE;
  self->busy = TRUE;
  self->toast_source = g_timeout_add (WAIT_TOAST_DELAY_MS, show_wait_toast, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  return TRUE;
}

static void
clear_waiting (DermStoreWait *self)
{
  g_clear_handle_id (&self->toast_source, g_source_remove);
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  g_clear_object (&self->toast);
}

void
derm_store_wait_end (DermStoreWait *self)
{
  g_return_if_fail (DERM_IS_STORE_WAIT (self));

  clear_waiting (self);
  if (!self->busy)
    return;
  self->busy = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
derm_store_wait_get_busy (DermStoreWait *self)
{
  g_return_val_if_fail (DERM_IS_STORE_WAIT (self), FALSE);

  return self->busy;
}

static void
on_retry_clicked (AdwToast      *toast,
                  DermStoreWait *self)
{
  if (self->owner != NULL && self->retry_action != NULL)
    gtk_widget_activate_action (self->owner, self->retry_action, NULL);
}

void
derm_store_wait_failed (DermStoreWait *self,
                        const GError  *error)
{
  GtkWidget *overlay;

  g_return_if_fail (DERM_IS_STORE_WAIT (self));
  g_return_if_fail (error != NULL);

  derm_store_wait_end (self);
  overlay = wait_overlay (self);
  if (self->owner == NULL || overlay == NULL)
    return;

  if (g_error_matches (error, DERM_STORE_ERROR, DERM_STORE_ERROR_LOCKED) && self->retry_action != NULL)
    derm_toast_add (overlay, derm_toast_new_with_button (overlay, error->message, _("_Retry"),
                                                         g_cclosure_new_object (G_CALLBACK (on_retry_clicked),
                                                                                G_OBJECT (self))));
  else
    derm_toast_show (overlay, error->message);
}

void
derm_store_wait_detach (DermStoreWait *self)
{
  g_return_if_fail (DERM_IS_STORE_WAIT (self));

  clear_waiting (self);
  self->owner = NULL;
  self->overlay = NULL;
}

DermStoreWait *
derm_store_wait_new (GtkWidget       *owner,
                     AdwToastOverlay *overlay,
                     const char      *retry_action)
{
  DermStoreWait *self;

  g_return_val_if_fail (GTK_IS_WIDGET (owner), NULL);
  g_return_val_if_fail (overlay == NULL || ADW_IS_TOAST_OVERLAY (overlay), NULL);

  self = g_object_new (DERM_TYPE_STORE_WAIT, NULL);
  self->owner = owner;
  self->overlay = overlay;
  self->retry_action = g_strdup (retry_action);
  return self;
}

static void
derm_store_wait_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DermStoreWait *self = DERM_STORE_WAIT (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_store_wait_finalize (GObject *object)
{
  DermStoreWait *self = DERM_STORE_WAIT (object);

  clear_waiting (self);
  g_free (self->retry_action);

  G_OBJECT_CLASS (derm_store_wait_parent_class)->finalize (object);
}

static void
derm_store_wait_class_init (DermStoreWaitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = derm_store_wait_get_property;
  object_class->finalize = derm_store_wait_finalize;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_store_wait_init (DermStoreWait *self)
{
}

/* derm-setup-assistant.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-setup-assistant"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-clinic.h"
#include "derm-store.h"
#include "derm-store-planner.h"

#include "derm-clinic-preferences-page.h"
#include "derm-practitioners-group.h"
#include "derm-protocols-preferences-page.h"
#include "derm-setup-assistant.h"
#include "derm-toast.h"

#define N_PAGES 4

struct _DermSetupAssistant
{
  AdwWindow                  parent_instance;

  GSettings                 *settings;
  DermStore                 *store;
  DermClinic                *clinic;
  gboolean                   loading;

  AdwToastOverlay           *toast_overlay;
  AdwCarousel               *carousel;
  GtkButton                 *back_button;
  GtkButton                 *next_button;
  AdwEntryRow               *clinic_name_row;
  DermClinicPreferencesPage *clinic_page;
  DermPractitionersGroup    *practitioners_group;
  DermProtocolsPreferencesPage *protocols_page;
};

G_DEFINE_FINAL_TYPE (DermSetupAssistant, derm_setup_assistant, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_buttons (DermSetupAssistant *self)
{
  guint page = derm_setup_assistant_get_page (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.back", page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.next", !self->loading);
  gtk_button_set_label (self->next_button, page + 1 < N_PAGES ? _("_Next") : _("_Done"));
}

static void
on_page_changed (DermSetupAssistant *self,
                 guint               index)
{
  update_buttons (self);
}

static void
go_to (DermSetupAssistant *self,
       guint               page)
{
  adw_carousel_scroll_to (self->carousel, adw_carousel_get_nth_page (self->carousel, page), TRUE);
  update_buttons (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DermSetupAssistant *self = DERM_SETUP_ASSISTANT (widget);
  guint page = derm_setup_assistant_get_page (self);

  if (page > 0)
    go_to (self, page - 1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DermSetupAssistant *self = DERM_SETUP_ASSISTANT (widget);
  guint page = derm_setup_assistant_get_page (self);

  if (page + 1 < N_PAGES)
    go_to (self, page + 1);
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* Closed before a practitioner is named (Skip, Escape, the close button,
 * Done): remembered, so it does not come back at every start, and the
 * window says where the clinic is set up later */
static gboolean
derm_setup_assistant_close_request (GtkWindow *window)
{
  DermSetupAssistant *self = DERM_SETUP_ASSISTANT (window);
  GtkWindow *parent = gtk_window_get_transient_for (window);

  if (self->clinic == NULL || derm_clinic_get_practitioners (self->clinic)[0] == NULL)
    {
      g_settings_set_boolean (self->settings, "setup-skipped", TRUE);
      if (parent != NULL)
        gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-toast", "s",
                                    _("No practitioner is named yet. Name them in Preferences, or with Set Up Clinic… in the main menu."));
    }

  return GTK_WINDOW_CLASS (derm_setup_assistant_parent_class)->close_request (window);
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
show_toast_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  DermSetupAssistant *self = DERM_SETUP_ASSISTANT (widget);
  derm_toast_show (GTK_WIDGET (self->toast_overlay), g_variant_get_string (param, NULL));
}

static void
clinic_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (DermSetupAssistant) self = user_data;
  g_autoptr (GError) error = NULL;

  self->clinic = derm_store_load_clinic_finish (DERM_STORE (source), result, &error);
  self->loading = FALSE;
  if (self->clinic == NULL)
    {
      derm_toast_show (GTK_WIDGET (self->toast_overlay), error->message);
    }
  else
    {
      /* One clinic, edited in place by both, as in Preferences */
      derm_clinic_preferences_page_set_clinic (self->clinic_page, self->store, self->clinic);
      derm_practitioners_group_set_clinic (self->practitioners_group, self->store, self->clinic);
    }
  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

DermSetupAssistant *
derm_setup_assistant_new (GtkWindow *parent,
                          DermStore *store)
{
  DermSetupAssistant *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DERM_IS_STORE (store), NULL);

  self = g_object_new (DERM_TYPE_SETUP_ASSISTANT, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->loading = TRUE;
  derm_protocols_preferences_page_set_store (self->protocols_page, store);
  update_buttons (self);
  derm_store_load_clinic_async (store, NULL, clinic_loaded, g_object_ref (self));

  return self;
}

gboolean
derm_setup_assistant_get_loading (DermSetupAssistant *self)
{
  g_return_val_if_fail (DERM_IS_SETUP_ASSISTANT (self), FALSE);

  return self->loading;
}

guint
derm_setup_assistant_get_page (DermSetupAssistant *self)
{
  g_return_val_if_fail (DERM_IS_SETUP_ASSISTANT (self), 0);

  return (guint) (adw_carousel_get_position (self->carousel) + 0.5);
}

/* Whether to show it */

typedef struct
{
  GtkWindow *parent;  /* weak */
  DermStore *store;
} Check;

static void
check_free (Check *check)
{
  g_clear_weak_pointer (&check->parent);
  g_clear_object (&check->store);
  g_free (check);
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Check *check = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClinic) clinic = derm_store_load_clinic_finish (DERM_STORE (source), result, &error);
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);

  if (clinic == NULL)
    g_debug ("Could not read the clinic: %s", error->message);
  else if (check->parent != NULL && gtk_widget_get_visible (GTK_WIDGET (check->parent)) &&
           derm_clinic_get_practitioners (clinic)[0] == NULL &&
           !g_settings_get_boolean (settings, "setup-skipped"))
    gtk_window_present (GTK_WINDOW (derm_setup_assistant_new (check->parent, check->store)));

  check_free (check);
}

void
derm_setup_assistant_present_if_needed (GtkWindow *parent,
                                        DermStore *store)
{
  Check *check;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (DERM_IS_STORE (store));

  check = g_new0 (Check, 1);
  g_set_weak_pointer (&check->parent, parent);
  check->store = g_object_ref (store);
  derm_store_load_clinic_async (store, NULL, on_checked, check);
}

static void
derm_setup_assistant_dispose (GObject *object)
{
  DermSetupAssistant *self = DERM_SETUP_ASSISTANT (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_SETUP_ASSISTANT);

  G_OBJECT_CLASS (derm_setup_assistant_parent_class)->dispose (object);
}

static void
derm_setup_assistant_finalize (GObject *object)
{
  DermSetupAssistant *self = DERM_SETUP_ASSISTANT (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->clinic);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_setup_assistant_parent_class)->finalize (object);
}

static void
derm_setup_assistant_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DermSetupAssistant *self = DERM_SETUP_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_setup_assistant_class_init (DermSetupAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_setup_assistant_dispose;
  object_class->finalize = derm_setup_assistant_finalize;
  object_class->get_property = derm_setup_assistant_get_property;
  GTK_WINDOW_CLASS (klass)->close_request = derm_setup_assistant_close_request;

  /* TRUE while the clinic is read */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DERM_TYPE_CLINIC_PREFERENCES_PAGE);
  g_type_ensure (DERM_TYPE_PRACTITIONERS_GROUP);
  g_type_ensure (DERM_TYPE_PROTOCOLS_PREFERENCES_PAGE);

  gtk_widget_class_install_action (widget_class, "setup.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "setup.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "setup.skip", NULL, skip_action);
  /* What the pages use for their messages outside Preferences */
  gtk_widget_class_install_action (widget_class, "win.show-toast", "s", show_toast_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "setup.skip", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-setup-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, DermSetupAssistant, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DermSetupAssistant, carousel);
  gtk_widget_class_bind_template_child (widget_class, DermSetupAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, DermSetupAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, DermSetupAssistant, clinic_name_row);
  gtk_widget_class_bind_template_child (widget_class, DermSetupAssistant, clinic_page);
  gtk_widget_class_bind_template_child (widget_class, DermSetupAssistant, practitioners_group);
  gtk_widget_class_bind_template_child (widget_class, DermSetupAssistant, protocols_page);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);
}

static void
derm_setup_assistant_init (DermSetupAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The clinic's name is kept where Preferences keeps it */
  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "clinic-name", self->clinic_name_row, "text", G_SETTINGS_BIND_DEFAULT);
}

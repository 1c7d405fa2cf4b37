/* derm-preferences-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-store.h"
#include "derm-store-planner.h"

#include "derm-backup-page.h"
#include "derm-documents-page.h"
#include "derm-clinic-preferences-page.h"
#include "derm-practitioners-group.h"
#include "derm-preferences-window.h"
#include "derm-protocols-preferences-page.h"
#include "derm-toast.h"

struct _DermPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  /* The practitioners, rooms and hours live in the database */
  DermStore            *store;
  DermClinic           *clinic;
  gboolean              loading;   /* the clinic is read on the store's worker */

  AdwEntryRow          *clinic_name_row;
  DermPractitionersGroup *practitioners_group;
};

G_DEFINE_FINAL_TYPE (DermPreferencesWindow, derm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_toast (DermPreferencesWindow *self,
            const char            *message)
{
  derm_toast_show (GTK_WIDGET (self), message);
}

gboolean
derm_preferences_window_add_practitioner (DermPreferencesWindow *self,
                                          const char            *name)
{
  g_return_val_if_fail (DERM_IS_PREFERENCES_WINDOW (self), FALSE);

  return derm_practitioners_group_add (self->practitioners_group, name);
}

void
derm_preferences_window_remove_practitioner (DermPreferencesWindow *self,
                                             const char            *name)
{
  g_return_if_fail (DERM_IS_PREFERENCES_WINDOW (self));

  derm_practitioners_group_remove (self->practitioners_group, name);
}

gboolean
derm_preferences_window_get_saving (DermPreferencesWindow *self)
{
  g_return_val_if_fail (DERM_IS_PREFERENCES_WINDOW (self), FALSE);

  return derm_practitioners_group_get_saving (self->practitioners_group);
}

GListModel *
derm_preferences_window_get_practitioners (DermPreferencesWindow *self)
{
  g_return_val_if_fail (DERM_IS_PREFERENCES_WINDOW (self), NULL);

  return derm_practitioners_group_get_practitioners (self->practitioners_group);
}

static void
clinic_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (DermPreferencesWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  GtkWidget *page;

  self->clinic = derm_store_load_clinic_finish (DERM_STORE (source), result, &error);
  self->loading = FALSE;
  if (self->clinic == NULL)
    {
      g_warning ("Could not read the clinic settings: %s", error->message);
      show_toast (self, error->message);
    }
  else if (self->practitioners_group != NULL)
    {
      /* The window is still open: the pages that live in the database */
      gtk_widget_set_visible (GTK_WIDGET (self->practitioners_group), TRUE);
      derm_practitioners_group_set_clinic (self->practitioners_group, self->store, self->clinic);

      page = derm_clinic_preferences_page_new ();
      derm_clinic_preferences_page_set_clinic (DERM_CLINIC_PREFERENCES_PAGE (page), self->store, self->clinic);
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));

      page = derm_protocols_preferences_page_new ();
      derm_protocols_preferences_page_set_store (DERM_PROTOCOLS_PREFERENCES_PAGE (page), self->store);
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));

      page = derm_backup_page_new (self->store, self->settings);
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));

      page = derm_documents_page_new (self->store);
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

GtkWidget *
derm_preferences_window_new (DermStore *store)
{
  DermPreferencesWindow *self;

  g_return_val_if_fail (store == NULL || DERM_IS_STORE (store), NULL);

  self = g_object_new (DERM_TYPE_PREFERENCES_WINDOW, NULL);

  /* Without the records (they could not be opened) only the clinic's
   * name can be set; with them, the rest comes once the clinic is read
   * on the store's worker */
  gtk_widget_set_visible (GTK_WIDGET (self->practitioners_group), FALSE);
  if (store != NULL)
    {
      self->store = g_object_ref (store);
      self->loading = TRUE;
      derm_store_load_clinic_async (store, NULL, clinic_loaded, g_object_ref (self));
    }

  return GTK_WIDGET (self);
}

static void
derm_preferences_window_dispose (GObject *object)
{
  DermPreferencesWindow *self = (DermPreferencesWindow *)object;

  if (self->practitioners_group != NULL)
    derm_practitioners_group_detach (self->practitioners_group);
  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (derm_preferences_window_parent_class)->dispose (object);
}

static void
derm_preferences_window_finalize (GObject *object)
{
  DermPreferencesWindow *self = (DermPreferencesWindow *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->clinic);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_preferences_window_parent_class)->finalize (object);
}

static void
derm_preferences_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  DermPreferencesWindow *self = DERM_PREFERENCES_WINDOW (object);

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
derm_preferences_window_class_init (DermPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_preferences_window_dispose;
  object_class->finalize = derm_preferences_window_finalize;
  object_class->get_property = derm_preferences_window_get_property;

  /* TRUE while the clinic (practitioners, hours, rooms) is read */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DERM_TYPE_PRACTITIONERS_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/dermis/Dermis/derm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DermPreferencesWindow, clinic_name_row);
  gtk_widget_class_bind_template_child (widget_class, DermPreferencesWindow, practitioners_group);
}

static void
derm_preferences_window_init (DermPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);

  g_settings_bind (self->settings, "clinic-name",
                   self->clinic_name_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
}

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
#include "derm-preferences-window.h"
#include "derm-protocols-preferences-page.h"
#include "derm-store-wait.h"

struct _DermPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GtkStringList        *practitioners;
  /* The practitioners, rooms and hours live in the database */
  DermStore            *store;
  DermClinic           *clinic;
  /* Saves of the practitioners, on the store's worker in the order made */
  DermStoreWait        *wait;
  guint                 n_saving;
  gboolean              loading;   /* the clinic is read on the store's worker */

  AdwEntryRow          *clinic_name_row;
  GtkWidget            *practitioners_group;
  GtkListBox           *practitioners_list;
  AdwEntryRow          *add_row;
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
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
}

static const char * const *
get_names (DermPreferencesWindow *self)
{
  static const char * const none[] = { NULL };

  return self->clinic != NULL ? derm_clinic_get_practitioners (self->clinic) : none;
}

static gboolean
save_clinic_call (DermStore  *store,
                  gpointer    data,
                  gpointer   *result,
                  GError    **error)
{
  *result = GINT_TO_POINTER (TRUE);
  return derm_store_save_clinic (store, data, error);
}

static void load_practitioners (DermPreferencesWindow *self);

static void
clinic_saved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (DermPreferencesWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (derm_store_call_finish (DERM_STORE (source), result, save_clinic_call, &error) != NULL)
    {
      if (--self->n_saving == 0)
        derm_store_wait_end (self->wait);
      return;
    }

  /* Later saves queued behind this one carry the whole list: only the
   * last failure needs saying, and Retry saves the list as shown */
  if (--self->n_saving == 0)
    derm_store_wait_failed (self->wait, error);
}

/* Saves the clinic as it is now, on the store's worker: the window keeps
 * drawing while another program holds the database */
static void
save_clinic (DermPreferencesWindow *self)
{
  if (self->n_saving++ == 0)
    derm_store_wait_begin (self->wait);
  derm_store_call_async (self->store, save_clinic_call, save_clinic_call,
                         derm_clinic_copy (self->clinic), g_object_unref, NULL,
                         NULL, clinic_saved, g_object_ref (self));
}

static void
retry_save_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  DermPreferencesWindow *self = DERM_PREFERENCES_WINDOW (widget);

  if (self->clinic != NULL)
    save_clinic (self);
}

static gboolean
set_names (DermPreferencesWindow *self,
           const char * const    *names)
{
  if (self->clinic == NULL)
    return FALSE;

  derm_clinic_set_practitioners (self->clinic, names);
  save_clinic (self);
  return TRUE;
}

static void
load_practitioners (DermPreferencesWindow *self)
{
  const char * const *names = get_names (self);

  gtk_string_list_splice (self->practitioners,
                          0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->practitioners)),
                          (const char * const *)names);
  gtk_widget_set_visible (GTK_WIDGET (self->practitioners_list), names[0] != NULL);
}

static GtkWidget *
create_practitioner_row (gpointer item,
                         gpointer user_data)
{
  const char *name = gtk_string_object_get_string (item);
  g_autofree char *tooltip = NULL;
  GtkWidget *row;
  GtkWidget *button;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);

  /* Translators: %s is a practitioner's name */
  tooltip = g_strdup_printf (_("Remove %s"), name);
  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "prefs.remove-practitioner");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

gboolean
derm_preferences_window_add_practitioner (DermPreferencesWindow *self,
                                          const char            *name)
{
  const char * const *names = NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  g_auto (GStrv) new_names = NULL;
  g_autofree char *trimmed = NULL;
  gboolean ok;

  g_return_val_if_fail (DERM_IS_PREFERENCES_WINDOW (self), FALSE);

  trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));
  if (*trimmed == '\0')
    {
      show_toast (self, _("Enter the practitioner’s name first"));
      return FALSE;
    }

  names = get_names (self);
  if (g_strv_contains (names, trimmed))
    {
      g_autofree char *message = g_strdup_printf (_("%s is already listed"), trimmed);

      show_toast (self, message);
      return FALSE;
    }

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **)names);
  g_strv_builder_add (builder, trimmed);
  new_names = g_strv_builder_end (builder);

  ok = set_names (self, (const char * const *)new_names);
  load_practitioners (self);
  return ok;
}

void
derm_preferences_window_remove_practitioner (DermPreferencesWindow *self,
                                             const char            *name)
{
  const char * const *names = NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  g_auto (GStrv) new_names = NULL;

  g_return_if_fail (DERM_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (name != NULL);

  names = get_names (self);
  builder = g_strv_builder_new ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!g_str_equal (names[i], name))
        g_strv_builder_add (builder, names[i]);
    }
  new_names = g_strv_builder_end (builder);

  set_names (self, (const char * const *)new_names);
  load_practitioners (self);
}

gboolean
derm_preferences_window_get_saving (DermPreferencesWindow *self)
{
  g_return_val_if_fail (DERM_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->n_saving > 0;
}

GListModel *
derm_preferences_window_get_practitioners (DermPreferencesWindow *self)
{
  g_return_val_if_fail (DERM_IS_PREFERENCES_WINDOW (self), NULL);

  return G_LIST_MODEL (self->practitioners);
}

static void
on_add_row_apply (DermPreferencesWindow *self,
                  AdwEntryRow           *row)
{
  if (derm_preferences_window_add_practitioner (self, gtk_editable_get_text (GTK_EDITABLE (row))))
    gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static void
remove_practitioner_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  DermPreferencesWindow *self = DERM_PREFERENCES_WINDOW (widget);

  derm_preferences_window_remove_practitioner (self, g_variant_get_string (param, NULL));
  gtk_widget_grab_focus (GTK_WIDGET (self->add_row));
}

static gboolean
load_clinic_call (DermStore  *store,
                  gpointer    data,
                  gpointer   *result,
                  GError    **error)
{
  return (*result = derm_store_load_clinic (store, error)) != NULL;
}

static void
clinic_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (DermPreferencesWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  GtkWidget *page;

  self->clinic = derm_store_call_finish (DERM_STORE (source), result, load_clinic_call, &error);
  self->loading = FALSE;
  if (self->clinic == NULL)
    {
      g_warning ("Could not read the clinic settings: %s", error->message);
      show_toast (self, error->message);
    }
  else if (self->practitioners_group != NULL)
    {
      /* The window is still open: the pages that live in the database */
      gtk_widget_set_visible (self->practitioners_group, TRUE);
      load_practitioners (self);

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
  gtk_widget_set_visible (self->practitioners_group, FALSE);
  load_practitioners (self);
  if (store != NULL)
    {
      self->store = g_object_ref (store);
      self->loading = TRUE;
      derm_store_call_async (store, load_clinic_call, load_clinic_call, NULL, NULL, g_object_unref,
                             NULL, clinic_loaded, g_object_ref (self));
    }

  return GTK_WIDGET (self);
}

static void
derm_preferences_window_dispose (GObject *object)
{
  DermPreferencesWindow *self = (DermPreferencesWindow *)object;

  if (self->wait != NULL)
    derm_store_wait_detach (self->wait);
  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (derm_preferences_window_parent_class)->dispose (object);
}

static void
derm_preferences_window_finalize (GObject *object)
{
  DermPreferencesWindow *self = (DermPreferencesWindow *)object;

  g_clear_object (&self->wait);
  g_clear_object (&self->settings);
  g_clear_object (&self->practitioners);
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

  gtk_widget_class_install_action (widget_class, "prefs.remove-practitioner", "s",
                                   remove_practitioner_action);
  gtk_widget_class_install_action (widget_class, "prefs.retry-save", NULL, retry_save_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/dermis/Dermis/derm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DermPreferencesWindow, clinic_name_row);
  gtk_widget_class_bind_template_child (widget_class, DermPreferencesWindow, practitioners_group);
  gtk_widget_class_bind_template_child (widget_class, DermPreferencesWindow, practitioners_list);
  gtk_widget_class_bind_template_child (widget_class, DermPreferencesWindow, add_row);
  gtk_widget_class_bind_template_callback (widget_class, on_add_row_apply);
}

static void
derm_preferences_window_init (DermPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->wait = derm_store_wait_new (GTK_WIDGET (self), NULL, "prefs.retry-save");
  self->settings = g_settings_new (APPLICATION_ID);
  self->practitioners = gtk_string_list_new (NULL);

  g_settings_bind (self->settings, "clinic-name",
                   self->clinic_name_row, "text",
                   G_SETTINGS_BIND_DEFAULT);

  gtk_list_box_bind_model (self->practitioners_list,
                           G_LIST_MODEL (self->practitioners),
                           create_practitioner_row,
                           NULL, NULL);
}

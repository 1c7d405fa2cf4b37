/* derm-practitioners-group.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-practitioners-group"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-clinic.h"
#include "derm-store.h"
#include "derm-store-planner.h"

#include "derm-practitioners-group.h"
#include "derm-store-wait.h"

struct _DermPractitionersGroup
{
  AdwPreferencesGroup   parent_instance;

  GtkStringList        *practitioners;
  DermStore            *store;
  DermClinic           *clinic;
  /* Saves, on the store's worker in the order made */
  DermStoreWait        *wait;
  guint                 n_saving;

  GtkListBox           *practitioners_list;
  AdwEntryRow          *add_row;
};

G_DEFINE_FINAL_TYPE (DermPractitionersGroup, derm_practitioners_group, ADW_TYPE_PREFERENCES_GROUP)

static void
show_toast (DermPractitionersGroup *self,
            const char             *message)
{
  derm_widget_show_toast (GTK_WIDGET (self), message);
}

static const char * const *
get_names (DermPractitionersGroup *self)
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

static void
clinic_saved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (DermPractitionersGroup) self = user_data;
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
save_clinic (DermPractitionersGroup *self)
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
  DermPractitionersGroup *self = DERM_PRACTITIONERS_GROUP (widget);

  if (self->clinic != NULL)
    save_clinic (self);
}

static gboolean
set_names (DermPractitionersGroup *self,
           const char * const     *names)
{
  if (self->clinic == NULL)
    return FALSE;

  derm_clinic_set_practitioners (self->clinic, names);
  save_clinic (self);
  return TRUE;
}

static void
load_practitioners (DermPractitionersGroup *self)
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
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "practitioners.remove");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

gboolean
derm_practitioners_group_add (DermPractitionersGroup *self,
                              const char             *name)
{
  const char * const *names = NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  g_auto (GStrv) new_names = NULL;
  g_autofree char *trimmed = NULL;
  gboolean ok;

  g_return_val_if_fail (DERM_IS_PRACTITIONERS_GROUP (self), FALSE);

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
derm_practitioners_group_remove (DermPractitionersGroup *self,
                                 const char             *name)
{
  const char * const *names = NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  g_auto (GStrv) new_names = NULL;

  g_return_if_fail (DERM_IS_PRACTITIONERS_GROUP (self));
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
derm_practitioners_group_get_saving (DermPractitionersGroup *self)
{
  g_return_val_if_fail (DERM_IS_PRACTITIONERS_GROUP (self), FALSE);

  return self->n_saving > 0;
}

GListModel *
derm_practitioners_group_get_practitioners (DermPractitionersGroup *self)
{
  g_return_val_if_fail (DERM_IS_PRACTITIONERS_GROUP (self), NULL);

  return G_LIST_MODEL (self->practitioners);
}

void
derm_practitioners_group_set_clinic (DermPractitionersGroup *self,
                                     DermStore              *store,
                                     DermClinic             *clinic)
{
  g_return_if_fail (DERM_IS_PRACTITIONERS_GROUP (self));
  g_return_if_fail (DERM_IS_STORE (store));
  g_return_if_fail (DERM_IS_CLINIC (clinic));

  g_set_object (&self->store, store);
  g_set_object (&self->clinic, clinic);
  load_practitioners (self);
}

void
derm_practitioners_group_detach (DermPractitionersGroup *self)
{
  g_return_if_fail (DERM_IS_PRACTITIONERS_GROUP (self));

  if (self->wait != NULL)
    derm_store_wait_detach (self->wait);
}

static void
on_add_row_apply (DermPractitionersGroup *self,
                  AdwEntryRow            *row)
{
  if (derm_practitioners_group_add (self, gtk_editable_get_text (GTK_EDITABLE (row))))
    gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DermPractitionersGroup *self = DERM_PRACTITIONERS_GROUP (widget);

  derm_practitioners_group_remove (self, g_variant_get_string (param, NULL));
  gtk_widget_grab_focus (GTK_WIDGET (self->add_row));
}

GtkWidget *
derm_practitioners_group_new (void)
{
  return g_object_new (DERM_TYPE_PRACTITIONERS_GROUP, NULL);
}

static void
derm_practitioners_group_dispose (GObject *object)
{
  DermPractitionersGroup *self = DERM_PRACTITIONERS_GROUP (object);

  derm_practitioners_group_detach (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_PRACTITIONERS_GROUP);

  G_OBJECT_CLASS (derm_practitioners_group_parent_class)->dispose (object);
}

static void
derm_practitioners_group_finalize (GObject *object)
{
  DermPractitionersGroup *self = DERM_PRACTITIONERS_GROUP (object);

  g_clear_object (&self->wait);
  g_clear_object (&self->practitioners);
  g_clear_object (&self->clinic);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_practitioners_group_parent_class)->finalize (object);
}

static void
derm_practitioners_group_class_init (DermPractitionersGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_practitioners_group_dispose;
  object_class->finalize = derm_practitioners_group_finalize;

  gtk_widget_class_install_action (widget_class, "practitioners.remove", "s", remove_action);
  gtk_widget_class_install_action (widget_class, "practitioners.retry-save", NULL, retry_save_action);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-practitioners-group.ui");
  gtk_widget_class_bind_template_child (widget_class, DermPractitionersGroup, practitioners_list);
  gtk_widget_class_bind_template_child (widget_class, DermPractitionersGroup, add_row);
  gtk_widget_class_bind_template_callback (widget_class, on_add_row_apply);
}

static void
derm_practitioners_group_init (DermPractitionersGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->wait = derm_store_wait_new (GTK_WIDGET (self), NULL, "practitioners.retry-save");
  self->practitioners = gtk_string_list_new (NULL);
  gtk_list_box_bind_model (self->practitioners_list,
                           G_LIST_MODEL (self->practitioners),
                           create_practitioner_row,
                           NULL, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->practitioners_list), FALSE);
}

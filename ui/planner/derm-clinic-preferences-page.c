/* derm-clinic-preferences-page.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-clinic-preferences-page"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-validate.h"

#include "derm-clinic-preferences-page.h"
#include "derm-date-row.h"
#include "derm-planner-ui.h"
#include "derm-store-wait.h"

struct _DermClinicPreferencesPage
{
  AdwPreferencesPage  parent_instance;

  DermStore          *store;
  DermClinic         *clinic;
  AdwEntryRow        *hours_rows[7];

  /* Template children */
  AdwEntryRow         *zone_row;
  AdwPreferencesGroup *hours_group;
  GtkWidget           *hours_error;
  GtkListBox          *closed_list;
  AdwEntryRow         *add_closed_row;
  GtkListBox          *rooms_list;
  AdwEntryRow         *add_room_row;
  GtkSwitch           *names_switch;
  gboolean             loading;
  /* Saves queued on the store's worker and not finished */
  guint                saving;
};

G_DEFINE_FINAL_TYPE (DermClinicPreferencesPage, derm_clinic_preferences_page, ADW_TYPE_PREFERENCES_PAGE)

static void
show_toast (DermClinicPreferencesPage *self,
            const char                *message)
{
  derm_widget_show_toast (GTK_WIDGET (self), message);
}

static void load (DermClinicPreferencesPage *self);

typedef struct
{
  GError     *error;    /* why the save failed, NULL when it worked */
  DermClinic *stored;   /* the clinic as stored after a failed save */
} ClinicSave;

static void
clinic_save_free (gpointer data)
{
  ClinicSave *save = data;

  g_clear_error (&save->error);
  g_clear_object (&save->stored);
  g_free (save);
}

static gboolean
write_clinic (DermStore  *store,
              gpointer    data,
              gpointer   *result,
              GError    **error)
{
  ClinicSave *save = g_new0 (ClinicSave, 1);

  if (!derm_store_save_clinic (store, data, &save->error))
    save->stored = derm_store_load_clinic (store, NULL);
  *result = save;
  return TRUE;
}

static void
on_clinic_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (DermClinicPreferencesPage) self = user_data;
  g_autoptr (GError) error = NULL;
  ClinicSave *save = NULL;

  if (self->saving > 0)
    self->saving--;
  if (!derm_store_run_finish (DERM_STORE (source), result, (gpointer *) &save, &error))
    {
      show_toast (self, error->message);
      return;
    }

  if (save->error != NULL)
    {
      /* Nothing was saved (the database was busy, say): say so, and show
       * the clinic as it is stored, so the form never claims what is not */
      show_toast (self, save->error->message);
      if (self->saving == 0 && save->stored != NULL)
        {
          g_set_object (&self->clinic, save->stored);
          load (self);
        }
    }
  clinic_save_free (save);
}

/* Saves a copy of the clinic as it is now on the store's worker; saves
 * run in the order made, and each one happens even if the page closes */
static gboolean
save (DermClinicPreferencesPage *self)
{
  if (self->store == NULL || self->clinic == NULL)
    return FALSE;

  self->saving++;
  derm_store_run_async (self->store, write_clinic, derm_clinic_copy (self->clinic), g_object_unref,
                        clinic_save_free, NULL, on_clinic_saved, g_object_ref (self));
  return TRUE;
}

gboolean
derm_clinic_preferences_page_set_time_zone (DermClinicPreferencesPage *self,
                                            const char                *id)
{
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (DERM_IS_CLINIC_PREFERENCES_PAGE (self), FALSE);

  if (self->clinic == NULL)
    return FALSE;

  stripped = g_strstrip (g_strdup (id != NULL ? id : ""));
  if (*stripped == '\0' || !derm_clinic_set_time_zone_id (self->clinic, stripped))
    {
      g_autofree char *message = g_strdup_printf (_("Unknown time zone “%s”. Try Europe/Berlin."), stripped);

      gtk_widget_add_css_class (GTK_WIDGET (self->zone_row), "error");
      show_toast (self, message);
      return FALSE;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->zone_row), "error");
  gtk_editable_set_text (GTK_EDITABLE (self->zone_row), derm_clinic_get_time_zone_id (self->clinic));
  return save (self);
}

static void
on_zone_apply (DermClinicPreferencesPage *self,
               AdwEntryRow               *row)
{
  derm_clinic_preferences_page_set_time_zone (self, gtk_editable_get_text (GTK_EDITABLE (row)));
}

gboolean
derm_clinic_preferences_page_get_saving (DermClinicPreferencesPage *self)
{
  g_return_val_if_fail (DERM_IS_CLINIC_PREFERENCES_PAGE (self), FALSE);

  return self->saving > 0;
}

static GtkWidget *
removable_row (const char *title,
               const char *subtitle,
               const char *action,
               const char *target)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  /* Translators: %s is a room or a closed day */
  g_autofree char *tooltip = g_strdup_printf (_("Remove %s"), title);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
load (DermClinicPreferencesPage *self)
{
  g_auto (GStrv) closed = NULL;
  const char * const *rooms;

  if (self->clinic == NULL)
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->zone_row), derm_clinic_get_time_zone_id (self->clinic));
  gtk_widget_remove_css_class (GTK_WIDGET (self->zone_row), "error");

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *hours = derm_clinic_dup_hours_string (self->clinic, (GDateWeekday) (i + 1));

      gtk_editable_set_text (GTK_EDITABLE (self->hours_rows[i]), hours);
      gtk_widget_remove_css_class (GTK_WIDGET (self->hours_rows[i]), "error");
    }

  clear_list (self->closed_list);
  closed = derm_clinic_dup_closed_dates (self->clinic);
  for (guint i = 0; closed[i] != NULL; i++)
    {
      g_autofree char *title = derm_planner_ui_format_iso_date (closed[i]);
      const char *label = NULL;
      GDate date;

      if (derm_date_parse (closed[i], &date))
        label = derm_clinic_get_closed_label (self->clinic, &date);
      gtk_list_box_append (self->closed_list,
                           removable_row (title, label, "clinic.remove-closed-day", closed[i]));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->closed_list), closed[0] != NULL);

  clear_list (self->rooms_list);
  rooms = derm_clinic_get_rooms (self->clinic);
  for (guint i = 0; rooms[i] != NULL; i++)
    gtk_list_box_append (self->rooms_list, removable_row (rooms[i], NULL, "clinic.remove-room", rooms[i]));
  gtk_widget_set_visible (GTK_WIDGET (self->rooms_list), rooms[0] != NULL);

  self->loading = TRUE;
  gtk_switch_set_active (self->names_switch, derm_clinic_get_export_full_names (self->clinic));
  self->loading = FALSE;
}

static void
on_names_switch (DermClinicPreferencesPage *self)
{
  if (self->loading || self->clinic == NULL)
    return;
  derm_clinic_set_export_full_names (self->clinic, gtk_switch_get_active (self->names_switch));
  save (self);
}

gboolean
derm_clinic_preferences_page_set_hours (DermClinicPreferencesPage *self,
                                        GDateWeekday               weekday,
                                        const char                *text)
{
  g_autoptr (GError) error = NULL;
  AdwEntryRow *row;

  g_return_val_if_fail (DERM_IS_CLINIC_PREFERENCES_PAGE (self), FALSE);
  g_return_val_if_fail (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, FALSE);

  if (self->clinic == NULL)
    return FALSE;

  row = self->hours_rows[weekday - 1];
  if (!derm_clinic_set_hours_string (self->clinic, weekday, text, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), error->message);
      {
        g_autofree char *message = g_strdup_printf (_("%s: %s"),
                                                    adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                                    error->message);

        gtk_label_set_text (GTK_LABEL (self->hours_error), message);
      }
      gtk_widget_set_visible (self->hours_error, TRUE);
      return FALSE;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), NULL);
  gtk_widget_set_visible (self->hours_error, FALSE);
  if (!save (self))
    return FALSE;

  {
    /* Shown as the clinic now reads it: "9:00-13:00" becomes "09:00-13:00" */
    g_autofree char *normal = derm_clinic_dup_hours_string (self->clinic, weekday);

    if (g_strcmp0 (normal, gtk_editable_get_text (GTK_EDITABLE (row))) != 0)
      gtk_editable_set_text (GTK_EDITABLE (row), normal);
  }

  return TRUE;
}

static void
on_hours_apply (AdwEntryRow               *row,
                DermClinicPreferencesPage *self)
{
  for (guint i = 0; i < 7; i++)
    if (self->hours_rows[i] == row)
      derm_clinic_preferences_page_set_hours (self, (GDateWeekday) (i + 1),
                                              gtk_editable_get_text (GTK_EDITABLE (row)));
}

gboolean
derm_clinic_preferences_page_add_closed_day (DermClinicPreferencesPage *self,
                                             const char                *text)
{
  g_autofree char *iso = NULL;
  g_autofree char *label = NULL;
  const char *rest = "";
  GDate date;

  g_return_val_if_fail (DERM_IS_CLINIC_PREFERENCES_PAGE (self), FALSE);

  if (self->clinic == NULL)
    return FALSE;

  /* The date in ISO or in the locale's order, then its name */
  iso = derm_date_row_read_leading (text, &rest);
  label = g_strstrip (g_strdup (rest));

  if (iso == NULL || !derm_date_parse (iso, &date))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->add_closed_row), "error");
      show_toast (self, _("Type the closed day as YYYY-MM-DD, then its name if you like"));
      return FALSE;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->add_closed_row), "error");
  derm_clinic_add_closed_date (self->clinic, &date, label);
  if (!save (self))
    return FALSE;

  load (self);
  return TRUE;
}

static void
on_add_closed_apply (DermClinicPreferencesPage *self,
                     AdwEntryRow               *row)
{
  if (derm_clinic_preferences_page_add_closed_day (self, gtk_editable_get_text (GTK_EDITABLE (row))))
    gtk_editable_set_text (GTK_EDITABLE (row), "");
}

gboolean
derm_clinic_preferences_page_add_room (DermClinicPreferencesPage *self,
                                       const char                *name)
{
  g_autofree char *trimmed = NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  g_auto (GStrv) rooms = NULL;

  g_return_val_if_fail (DERM_IS_CLINIC_PREFERENCES_PAGE (self), FALSE);

  if (self->clinic == NULL)
    return FALSE;

  trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));
  if (*trimmed == '\0')
    {
      show_toast (self, _("Enter the room’s name first"));
      return FALSE;
    }
  if (derm_clinic_has_room (self->clinic, trimmed))
    {
      g_autofree char *message = g_strdup_printf (_("%s is already listed"), trimmed);

      show_toast (self, message);
      return FALSE;
    }

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) derm_clinic_get_rooms (self->clinic));
  g_strv_builder_add (builder, trimmed);
  rooms = g_strv_builder_end (builder);
  derm_clinic_set_rooms (self->clinic, (const char * const *) rooms);
  if (!save (self))
    return FALSE;

  load (self);
  return TRUE;
}

static void
on_add_room_apply (DermClinicPreferencesPage *self,
                   AdwEntryRow               *row)
{
  if (derm_clinic_preferences_page_add_room (self, gtk_editable_get_text (GTK_EDITABLE (row))))
    gtk_editable_set_text (GTK_EDITABLE (row), "");
}

/* Actions */

static void
remove_closed_day (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  DermClinicPreferencesPage *self = DERM_CLINIC_PREFERENCES_PAGE (widget);
  GDate date;

  if (self->clinic == NULL || !derm_date_parse (g_variant_get_string (param, NULL), &date))
    return;

  derm_clinic_remove_closed_date (self->clinic, &date);
  save (self);
  load (self);
}

static void
remove_room (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DermClinicPreferencesPage *self = DERM_CLINIC_PREFERENCES_PAGE (widget);
  const char *name = g_variant_get_string (param, NULL);
  const char * const *rooms;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) kept = NULL;

  if (self->clinic == NULL)
    return;

  rooms = derm_clinic_get_rooms (self->clinic);
  for (guint i = 0; rooms[i] != NULL; i++)
    if (!g_str_equal (rooms[i], name))
      g_strv_builder_add (builder, rooms[i]);
  kept = g_strv_builder_end (builder);
  derm_clinic_set_rooms (self->clinic, (const char * const *) kept);
  save (self);
  load (self);
}

/* GObject */

static void
derm_clinic_preferences_page_dispose (GObject *object)
{
  DermClinicPreferencesPage *self = DERM_CLINIC_PREFERENCES_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_CLINIC_PREFERENCES_PAGE);

  g_clear_object (&self->clinic);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_clinic_preferences_page_parent_class)->dispose (object);
}

static void
derm_clinic_preferences_page_class_init (DermClinicPreferencesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_clinic_preferences_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-clinic-preferences-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DermClinicPreferencesPage, zone_row);
  gtk_widget_class_bind_template_child (widget_class, DermClinicPreferencesPage, hours_group);
  gtk_widget_class_bind_template_callback (widget_class, on_zone_apply);
  gtk_widget_class_bind_template_child (widget_class, DermClinicPreferencesPage, closed_list);
  gtk_widget_class_bind_template_child (widget_class, DermClinicPreferencesPage, add_closed_row);
  gtk_widget_class_bind_template_child (widget_class, DermClinicPreferencesPage, rooms_list);
  gtk_widget_class_bind_template_child (widget_class, DermClinicPreferencesPage, add_room_row);
  gtk_widget_class_bind_template_child (widget_class, DermClinicPreferencesPage, names_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_names_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_add_closed_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_add_room_apply);

  gtk_widget_class_install_action (widget_class, "clinic.remove-closed-day", "s", remove_closed_day);
  gtk_widget_class_install_action (widget_class, "clinic.remove-room", "s", remove_room);
}

static void
derm_clinic_preferences_page_init (DermClinicPreferencesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  derm_date_row_attach_leading (self->add_closed_row);

  for (guint i = 0; i < 7; i++)
    {
      /* 1 January 2024 was a Monday */
      g_autoptr (GDateTime) day = g_date_time_new_utc (2024, 1, 1 + i, 12, 0, 0);
      g_autofree char *name = g_date_time_format (day, "%A");
      GtkWidget *row = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
      g_signal_connect_object (row, "apply", G_CALLBACK (on_hours_apply), self, 0);
      g_signal_connect_object (row, "entry-activated", G_CALLBACK (on_hours_apply), self, 0);
      adw_preferences_group_add (self->hours_group, row);
      self->hours_rows[i] = ADW_ENTRY_ROW (row);
    }

  /* What is wrong with a day's hours, in full under the days: a toast cut
   * the longer messages off */
  self->hours_error = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->hours_error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->hours_error), 0);
  gtk_widget_set_margin_top (self->hours_error, 6);
  gtk_widget_add_css_class (self->hours_error, "error");
  gtk_widget_set_visible (self->hours_error, FALSE);
  adw_preferences_group_add (self->hours_group, self->hours_error);
}

GtkWidget *
derm_clinic_preferences_page_new (void)
{
  return g_object_new (DERM_TYPE_CLINIC_PREFERENCES_PAGE, NULL);
}

void
derm_clinic_preferences_page_set_clinic (DermClinicPreferencesPage *self,
                                         DermStore                 *store,
                                         DermClinic                *clinic)
{
  g_return_if_fail (DERM_IS_CLINIC_PREFERENCES_PAGE (self));
  g_return_if_fail (DERM_IS_STORE (store));
  g_return_if_fail (DERM_IS_CLINIC (clinic));

  g_set_object (&self->store, store);
  g_set_object (&self->clinic, clinic);
  load (self);
}

/* derm-backup-page.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small page, laid out in code: three rows and a button.
 */
#define G_LOG_DOMAIN "derm-backup-page"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-backup.h"
#include "derm-backup-page.h"
#include "derm-export-file.h"
#include "derm-toast.h"

#define OVERDUE_SECONDS (7 * 24 * 3600)

struct _DermBackupPage
{
  AdwPreferencesPage    parent_instance;

  DermStore            *store;
  GSettings            *settings;
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;

  AdwActionRow         *folder_row;
  AdwActionRow         *status_row;
  GtkWidget            *warning_icon;
  GtkWidget            *now_button;
  char                 *status;
  gboolean              overdue;
  gboolean              running;
  GCancellable         *reading;   /* the folder's read under way */
  GDateTime            *last;      /* its newest backup, once read */
};

G_DEFINE_FINAL_TYPE (DermBackupPage, derm_backup_page, ADW_TYPE_PREFERENCES_PAGE)

static void
update (DermBackupPage *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "backup-folder");
  g_autoptr (GDateTime) last = NULL;

  adw_action_row_set_subtitle (self->folder_row, *folder != '\0' ? folder : _("Not chosen: Dermis does not back up on its own"));
  g_clear_pointer (&self->status, g_free);
  self->overdue = FALSE;

  if (*folder != '\0' && self->last != NULL)
    last = g_date_time_ref (self->last);
  if (self->running)
    self->status = g_strdup (_("Backing up…"));
  else if (self->reading != NULL)
    self->status = g_strdup (_("Looking for backups in the folder…"));
  else if (last != NULL)
    {
      g_autoptr (GDateTime) local = g_date_time_to_local (last);
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *when = g_date_time_format (local, "%e %b %Y, %H:%M");

      self->overdue = g_date_time_difference (now, last) / G_TIME_SPAN_SECOND > OVERDUE_SECONDS;
      self->status = self->overdue
        ? g_strdup_printf (_("Last backup: %s, more than 7 days ago. Connect the backup drive and choose Back Up Now."), g_strstrip (when))
        : g_strdup_printf (_("Last backup: %s"), g_strstrip (when));
    }
  else if (*folder != '\0')
    {
      self->overdue = TRUE;
      self->status = g_strdup (_("Last backup: none yet in this folder. Choose Back Up Now."));
    }
  else
    {
      self->overdue = TRUE;
      self->status = g_strdup (_("Last backup: never. Choose a backup folder on another disk."));
    }

  adw_action_row_set_subtitle (self->status_row, self->status);
  gtk_widget_set_visible (self->warning_icon, self->overdue);
  gtk_widget_set_sensitive (self->now_button, *folder != '\0' && !self->running && self->store != NULL);
}

static void
on_last_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (DermBackupPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) last = derm_backup_last_time_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->reading);
  g_clear_pointer (&self->last, g_date_time_unref);
  self->last = g_steal_pointer (&last);
  update (self);
}

/* Reads the folder's newest backup off the main thread (a sleeping disk,
 * a network share), then shows it */
static void
refresh (DermBackupPage *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "backup-folder");

  if (self->reading != NULL)
    g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  g_clear_pointer (&self->last, g_date_time_unref);
  if (*folder != '\0')
    {
      self->reading = g_cancellable_new ();
      derm_backup_last_time_async (folder, self->reading, on_last_read, g_object_ref (self));
    }
  update (self);
}

gboolean
derm_backup_page_get_checking (DermBackupPage *self)
{
  g_return_val_if_fail (DERM_IS_BACKUP_PAGE (self), FALSE);
  return self->reading != NULL;
}

static void
toast (DermBackupPage *self,
       const char     *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    derm_toast_show (GTK_WIDGET (root), message);
}

static void
backup_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (DermBackupPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_auto (DermBackupReport) report = { 0 };

  self->running = FALSE;
  if (!derm_backup_create_finish (result, &report, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("The backup failed: %s"), error->message);

          toast (self, message);
        }
    }
  else
    toast (self, _("Backup complete"));
  refresh (self);
}

void
derm_backup_page_back_up_now (DermBackupPage *self)
{
  g_autofree char *folder = NULL;

  g_return_if_fail (DERM_IS_BACKUP_PAGE (self));

  folder = g_settings_get_string (self->settings, "backup-folder");
  if (self->running || self->store == NULL || *folder == '\0')
    return;
  self->running = TRUE;
  update (self);
  derm_backup_create_async (self->store, folder, 0, self->cancellable, backup_done, g_object_ref (self));
}

static void
on_folder_chosen (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  DermBackupPage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL && self->store != NULL &&
          (derm_path_is_inside (path, derm_store_get_data_dir (self->store)) ||
           derm_path_is_inside (derm_store_get_data_dir (self->store), path)))
        toast (self, _("Choose a folder outside the Dermis data folder, ideally on another disk."));
      else if (path != NULL)
        {
          g_settings_set_string (self->settings, "backup-folder", path);
          derm_backup_page_back_up_now (self);
        }
    }
  g_clear_object (&self->chooser);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  DermBackupPage *self = DERM_BACKUP_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  /* Native: inside the Flatpak this is the portal, which also grants
   * access to the folder chosen */
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Backup Folder"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_folder_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
now_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  derm_backup_page_back_up_now (DERM_BACKUP_PAGE (widget));
}

const char *
derm_backup_page_get_status (DermBackupPage *self)
{
  g_return_val_if_fail (DERM_IS_BACKUP_PAGE (self), NULL);
  return self->status;
}

gboolean
derm_backup_page_get_overdue (DermBackupPage *self)
{
  g_return_val_if_fail (DERM_IS_BACKUP_PAGE (self), FALSE);
  return self->overdue;
}

gboolean
derm_backup_page_get_running (DermBackupPage *self)
{
  g_return_val_if_fail (DERM_IS_BACKUP_PAGE (self), FALSE);
  return self->running;
}

static void
on_setting_changed (DermBackupPage *self)
{
  refresh (self);
}

GtkWidget *
derm_backup_page_new (DermStore *store,
                      GSettings *settings)
{
  DermBackupPage *self = g_object_new (DERM_TYPE_BACKUP_PAGE, NULL);

  g_set_object (&self->store, store);
  g_set_object (&self->settings, settings);
  g_signal_connect_object (settings, "changed::backup-folder", G_CALLBACK (on_setting_changed),
                           self, G_CONNECT_SWAPPED);
  refresh (self);
  return GTK_WIDGET (self);
}

static void
derm_backup_page_dispose (GObject *object)
{
  DermBackupPage *self = DERM_BACKUP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->reading != NULL)
    g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  G_OBJECT_CLASS (derm_backup_page_parent_class)->dispose (object);
}

static void
derm_backup_page_finalize (GObject *object)
{
  DermBackupPage *self = DERM_BACKUP_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->last, g_date_time_unref);
  g_free (self->status);
  G_OBJECT_CLASS (derm_backup_page_parent_class)->finalize (object);
}

static void
derm_backup_page_class_init (DermBackupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_backup_page_dispose;
  object_class->finalize = derm_backup_page_finalize;
  gtk_widget_class_install_action (widget_class, "backup.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "backup.now", NULL, now_action);
}

static void
derm_backup_page_init (DermBackupPage *self)
{
  GtkWidget *group;
  GtkWidget *button;

  self->cancellable = g_cancellable_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Backup"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "drive-harddisk-symbolic");

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Daily Backup"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Every day Dermis copies the records and new photos to this folder while it runs. Keep it on another disk: an external drive or a network share."));

  self->folder_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->folder_row), _("Backup folder"));
  button = gtk_button_new_with_mnemonic (_("C_hoose…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "backup.choose-folder");
  adw_action_row_add_suffix (self->folder_row, button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->folder_row));

  self->status_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), _("Status"));
  self->warning_icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (self->warning_icon, "warning");
  adw_action_row_add_prefix (self->status_row, self->warning_icon);
  self->now_button = gtk_button_new_with_mnemonic (_("_Back Up Now"));
  gtk_widget_set_valign (self->now_button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->now_button), "backup.now");
  adw_action_row_add_suffix (self->status_row, self->now_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->status_row));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));
}

/* derm-application.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-application"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-store.h"
#include "derm-application.h"
#include "derm-backup.h"
#include "derm-message-dialog.h"
#include "derm-preferences-window.h"
#include "derm-setup-assistant.h"
#include "derm-window.h"

struct _DermApplication
{
  AdwApplication  parent_instance;

  char           *data_dir;
  DermStore      *store;
  GCancellable   *cancellable;
  GtkWindow      *error_window;
  GCancellable   *backup_cancellable;
  guint           backup_timer;
  guint           opening : 1;
  guint           backing_up : 1;
};

G_DEFINE_FINAL_TYPE (DermApplication, derm_application, ADW_TYPE_APPLICATION)

/* Every keyboard shortcut of the app, in one place. Ctrl+S belongs to
 * the client page ("client.save"), which installs it on its own class. */
static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.shortcuts", { "<Control>question", NULL } },
  { "app.help", { "F1", NULL } },
  { "win.show-help-overlay", { NULL } },
  { "win.new-client", { "<Control>n", NULL } },
  { "win.search", { "<Control>f", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.show-clients", { "<Alt>1", NULL } },
  { "win.show-calendar", { "<Alt>2", NULL } },
  { "win.show-due", { "<Alt>3", NULL } },
};

static GtkWindow *
derm_application_get_main_window (DermApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (DERM_IS_WINDOW (l->data))
        return l->data;
    }

  return NULL;
}

static char *
derm_application_dup_db_path (DermApplication *self)
{
  g_autofree char *dir = NULL;

  if (self->data_dir != NULL)
    dir = g_strdup (self->data_dir);
  else
    dir = derm_store_default_data_dir ();

  return g_build_filename (dir, "dermis.db", NULL);
}

static void
describe_error (const GError  *error,
                const char    *path,
                char         **title,
                char         **description)
{
  const char *what;
  const char *todo;

  if (error->domain != DERM_STORE_ERROR)
    {
      *title = g_strdup (_("Could Not Open the Client Records"));
      what = _("The client records could not be opened.");
      todo = _("Check that the disk is connected and has free space, then open Dermis again.");
    }
  else
    {
      switch ((DermStoreError)error->code)
        {
        case DERM_STORE_ERROR_LOCKED:
          *title = g_strdup (_("The Client Records Are in Use"));
          what = _("Another copy of Dermis, or the dermis-cli tool, is using the client records.");
          todo = _("Close the other Dermis window or finish the command, then choose Try Again.");
          break;

        case DERM_STORE_ERROR_CORRUPT:
          *title = g_strdup (_("The Client Records Are Damaged"));
          what = _("The database file is damaged and cannot be read safely.");
          todo = _("Restore the file from your latest backup. If you have none, keep a copy of the damaged file and ask for help before doing anything else.");
          break;

        case DERM_STORE_ERROR_FOREIGN:
          *title = g_strdup (_("This Is Not a Dermis Database"));
          what = _("The file where Dermis keeps its client records belongs to another program.");
          todo = _("Move the file somewhere else, or start Dermis with another folder using --data-dir.");
          break;

        case DERM_STORE_ERROR_TOO_NEW:
          *title = g_strdup (_("The Client Records Need a Newer Dermis"));
          what = _("These client records were saved by a newer version of Dermis.");
          todo = _("Update Dermis to the latest version, then open it again.");
          break;

        case DERM_STORE_ERROR_READ_ONLY:
          *title = g_strdup (_("The Client Records Cannot Be Saved"));
          what = _("Dermis is not allowed to write to the folder of its client records.");
          todo = _("Make the folder writable for your user account, then choose Try Again.");
          break;

        case DERM_STORE_ERROR_FULL:
          *title = g_strdup (_("The Disk Is Full"));
          what = _("There is no space left to open the client records.");
          todo = _("Free some disk space, then choose Try Again.");
          break;

        case DERM_STORE_ERROR_NOT_FOUND:
        case DERM_STORE_ERROR_IO:
        case DERM_STORE_ERROR_NO_DATABASE:
        case DERM_STORE_ERROR_OFFLINE:
        case DERM_STORE_ERROR_CONSTRAINT:
        case DERM_STORE_ERROR_REFUSED:
        default:
          *title = g_strdup (_("Could Not Open the Client Records"));
          what = _("The client records could not be opened.");
          todo = _("Check that the disk is connected and has free space, then choose Try Again.");
          break;
        }
    }

  *description = g_strdup_printf ("%s\n\n%s\n%s\n\n%s\n\n%s",
                                  what,
                                  _("Database file:"),
                                  path,
                                  _("The file was left untouched."),
                                  todo);
}

static void
derm_application_show_error (DermApplication *self,
                             const GError    *error)
{
  g_autofree char *path = derm_application_dup_db_path (self);
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *markup = NULL;
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *status;
  GtkWidget *box_child;
  GtkWidget *buttons;
  GtkWidget *button;
  GtkWidget *details;

  g_warning ("Could not open the store at %s: %s", path, error->message);

  describe_error (error, path, &title, &description);

  if (self->error_window != NULL)
    gtk_window_destroy (self->error_window);

  window = adw_application_window_new (GTK_APPLICATION (self));
  gtk_window_set_title (GTK_WINDOW (window), _("Dermis"));
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 720);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), gtk_label_new (NULL));
  gtk_widget_add_css_class (header, "flat");
  gtk_box_append (GTK_BOX (box), header);

  status = adw_status_page_new ();
  gtk_widget_set_vexpand (status, TRUE);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-warning-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), title);
  markup = g_markup_escape_text (description, -1);
  adw_status_page_set_description (ADW_STATUS_PAGE (status), markup);

  box_child = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_box_set_homogeneous (GTK_BOX (buttons), TRUE);

  button = gtk_button_new_with_mnemonic (_("_Quit"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.quit");
  gtk_widget_add_css_class (button, "pill");
  gtk_box_append (GTK_BOX (buttons), button);

  button = gtk_button_new_with_mnemonic (_("_Try Again"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.retry");
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_box_append (GTK_BOX (buttons), button);
  gtk_box_append (GTK_BOX (box_child), buttons);

  /* The technical message, for whoever helps the clinic */
  details = gtk_label_new (error->message);
  gtk_label_set_wrap (GTK_LABEL (details), TRUE);
  gtk_label_set_selectable (GTK_LABEL (details), TRUE);
  gtk_label_set_justify (GTK_LABEL (details), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_box_append (GTK_BOX (box_child), details);

  adw_status_page_set_child (ADW_STATUS_PAGE (status), box_child);
  gtk_box_append (GTK_BOX (box), status);

  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  self->error_window = GTK_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&self->error_window);

  gtk_window_present (GTK_WINDOW (window));
}

static void
derm_application_show_main_window (DermApplication *self)
{
  DermWindow *window;

  if (self->error_window != NULL)
    gtk_window_destroy (self->error_window);

  window = derm_window_new (self, self->store);
  gtk_window_present (GTK_WINDOW (window));
  /* A clinic not set up yet: the first-run assistant over the window */
  derm_setup_assistant_present_if_needed (GTK_WINDOW (window), self->store);
}

/* --- the daily backup ------------------------------------------------- */

#define BACKUP_EVERY_SECONDS (24 * 3600)

static void
daily_backup_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (DermApplication) self = user_data;
  g_autoptr (GError) error = NULL;
  g_auto (DermBackupReport) report = { 0 };

  self->backing_up = FALSE;
  if (!derm_backup_create_finish (result, &report, &error))
    g_message ("The daily backup failed: %s", error->message);
  else
    g_debug ("Daily backup %s: %u originals copied", report.snapshot, report.n_copied);
}

/* Backs up to the folder chosen in Preferences when the last backup
 * there is a day old (or there is none); an unplugged drive is tried
 * again the next hour, and Preferences shows how old the last one is */
typedef struct
{
  DermApplication *self;
  char            *folder;
} BackupCheck;

/* The folder read off the main thread (a sleeping disk, a share): back up
 * when its newest backup is a day old or there is none */
static void
backup_check_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BackupCheck *check = user_data;
  g_autoptr (DermApplication) self = check->self;
  g_autofree char *folder = check->folder;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) last = derm_backup_last_time_finish (result, &error);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  g_free (check);
  self->backing_up = FALSE;
  /* Not there (unplugged): tried again the next hour */
  if (error != NULL || self->store == NULL)
    return;
  if (last != NULL && g_date_time_difference (now, last) / G_TIME_SPAN_SECOND < BACKUP_EVERY_SECONDS)
    return;

  self->backing_up = TRUE;
  derm_backup_create_async (self->store, folder, 0, self->backup_cancellable,
                            daily_backup_done, g_object_ref (self));
}

static gboolean
derm_application_check_backup (gpointer user_data)
{
  DermApplication *self = user_data;
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *folder = g_settings_get_string (settings, "backup-folder");
  BackupCheck *check;

  if (self->store == NULL || self->backing_up || *folder == '\0')
    return G_SOURCE_CONTINUE;

  /* Busy from the folder's read to the backup's end */
  self->backing_up = TRUE;
  g_clear_object (&self->backup_cancellable);
  self->backup_cancellable = g_cancellable_new ();
  check = g_new0 (BackupCheck, 1);
  check->self = g_object_ref (self);
  check->folder = g_steal_pointer (&folder);
  derm_backup_last_time_async (check->folder, self->backup_cancellable, backup_check_read, check);
  return G_SOURCE_CONTINUE;
}

static void
open_store_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (DermApplication) self = user_data;
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GError) error = NULL;

  store = derm_store_open_finish (result, &error);

  self->opening = FALSE;
  g_clear_object (&self->cancellable);
  g_application_release (G_APPLICATION (self));

  if (store == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        derm_application_show_error (self, error);
      return;
    }

  g_set_object (&self->store, store);
  derm_application_show_main_window (self);

  derm_application_check_backup (self);
  if (self->backup_timer == 0)
    self->backup_timer = g_timeout_add_seconds (3600, derm_application_check_backup, self);
}

static void derm_application_open_store_now (DermApplication *self);

static void
create_database_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             gpointer          user_data)
{
  g_autoptr (DermApplication) self = user_data;

  g_application_release (G_APPLICATION (self));
  if (g_str_equal (response, "create"))
    derm_application_open_store_now (self);
}

/* A folder given on the command line that holds no records is most
 * likely a typo: ask before creating an empty database there */
static gboolean
derm_application_confirm_new_folder (DermApplication *self)
{
  g_autofree char *default_dir = derm_store_default_data_dir ();
  GtkWidget *dialog;

  if (self->data_dir == NULL || g_str_equal (self->data_dir, default_dir) ||
      derm_store_database_exists (self->data_dir))
    return FALSE;

  dialog = derm_message_dialog_new (NULL, _("Start New Client Records?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The folder %s holds no Dermis client records. Create new, empty records there, or quit and check the folder."),
                                  self->data_dir);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "quit", _("_Quit"),
                                    "create", _("_Create Records"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "quit");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "quit");
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_application_hold (G_APPLICATION (self));
  g_signal_connect (dialog, "response", G_CALLBACK (create_database_response_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
derm_application_open_store (DermApplication *self)
{
  if (self->opening || derm_application_confirm_new_folder (self))
    return;
  derm_application_open_store_now (self);
}

static void
derm_application_open_store_now (DermApplication *self)
{
  if (self->opening)
    return;

  self->opening = TRUE;
  self->cancellable = g_cancellable_new ();

  /* Keep running while the store opens, even with no window yet */
  g_application_hold (G_APPLICATION (self));

  derm_store_open_async (self->data_dir,
                         self->cancellable,
                         open_store_cb,
                         g_object_ref (self));
}

static void
derm_application_activate (GApplication *app)
{
  DermApplication *self = DERM_APPLICATION (app);
  GtkWindow *window;

  window = derm_application_get_main_window (self);
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->store != NULL)
    {
      derm_application_show_main_window (self);
      return;
    }

  if (self->error_window != NULL)
    {
      gtk_window_present (self->error_window);
      return;
    }

  derm_application_open_store (self);
}

static int
derm_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  DermApplication *self = DERM_APPLICATION (app);
  g_autofree char *data_dir = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("dermis %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "data-dir", "^ay", &data_dir))
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (data_dir);
      g_autofree char *path = g_file_get_path (file);

      derm_application_set_data_dir (self, path != NULL ? path : data_dir);

      /* Another folder means other records: don't hand this over to a
       * Dermis already running on the default folder. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
retry_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  DermApplication *self = user_data;

  if (self->store != NULL)
    {
      derm_application_activate (G_APPLICATION (self));
      return;
    }

  /* The error window stays until the store opens or fails again, so the
   * app never runs without a window to show for it. */
  derm_application_open_store (self);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  DermApplication *self = user_data;
  g_autoptr (GList) windows = NULL;

  /* Closing the windows, rather than quitting outright, saves their size */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);

  /* A window with unsaved edits asks first and stays until answered;
   * the application ends by itself when its last window goes. */
  if (gtk_application_get_windows (GTK_APPLICATION (self)) == NULL)
    g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  DermApplication *self = user_data;
  const char *developers[] = { _("The Dermis developers"), NULL };
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Dermis"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Dermis developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/dermis/dermis",
                        "issue-url", "https://github.com/dermis/dermis/issues",
                        "copyright", _("© The Dermis developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "comments", _("Client records, medical screening and treatment sessions for microneedling clinics"),
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (about);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  DermApplication *self = user_data;
  GtkWindow *parent;
  GtkWindow *window;

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  window = GTK_WINDOW (derm_preferences_window_new (self->store));
  if (parent != NULL)
    gtk_window_set_transient_for (window, parent);
  gtk_window_set_modal (window, TRUE);
  gtk_window_present (window);
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  DermApplication *self = user_data;
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = derm_application_get_main_window (self);
  if (window == NULL)
    return;

  /* GtkApplication gives every window the help overlay from
   * gtk/help-overlay.ui and the action to show it */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
on_help_shown (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GtkWindow *window = GTK_WINDOW (source);
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog;

  if (gtk_show_uri_full_finish (window, result, &error))
    return;

  /* Never a Help item that does nothing: say what is missing */
  g_debug ("Could not show the help: %s", error->message);
  dialog = derm_message_dialog_new (window, _("Help Could Not Be Opened"),
                                    _("Dermis’s help opens in the Help app (Yelp), which is not installed here. "
                                      "Install it to read the help, or read the README that comes with Dermis."));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Help opens the Mallard pages with a help: URI. Inside a Flatpak that
 * goes through the OpenURI portal to the host's Help app (Yelp), which
 * looks for the pages in the host's own folders: the ones in the sandbox
 * (/app/share/help) are never exported, so it says "Document Not Found",
 * and the GNOME runtime has no Yelp of its own to show them inside. So in
 * a Flatpak Dermis offers no Help (README, "Help"). */
gboolean
derm_application_get_help_available (DermApplication *self)
{
  g_return_val_if_fail (DERM_IS_APPLICATION (self), FALSE);

  return g_getenv ("FLATPAK_ID") == NULL && !g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

/* The shortcuts window lists no Help key where there is no Help */
static void
hide_help_shortcut (GtkWidget *widget)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *action = NULL;

      g_object_get (widget, "action-name", &action, NULL);
      if (g_strcmp0 (action, "app.help") == 0)
        gtk_widget_set_visible (widget, FALSE);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    hide_help_shortcut (child);
}

static void
derm_application_window_added (GtkApplication *app,
                               GtkWindow      *window)
{
  /* GtkApplication gives the window its shortcuts window here */
  GTK_APPLICATION_CLASS (derm_application_parent_class)->window_added (app, window);

  if (GTK_IS_APPLICATION_WINDOW (window) && !derm_application_get_help_available (DERM_APPLICATION (app)))
    {
      GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));

      if (overlay != NULL)
        hide_help_shortcut (GTK_WIDGET (overlay));
    }
}

static void
help_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  DermApplication *self = user_data;
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = derm_application_get_main_window (self);
  if (window == NULL)
    return;

  /* The Mallard pages of help/C, installed by meson's gnome.yelp() */
  gtk_show_uri_full (window, "help:" APPLICATION_ID, GDK_CURRENT_TIME, NULL, on_help_shown, NULL);
}

static const GActionEntry app_entries[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "shortcuts", shortcuts_action },
  { "help", help_action },
  { "retry", retry_action },
};

static void
derm_application_startup (GApplication *app)
{
  DermApplication *self = DERM_APPLICATION (app);

  /* Loads style.css and gtk/help-overlay.ui from the resources */
  G_APPLICATION_CLASS (derm_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_entries,
                                   G_N_ELEMENTS (app_entries),
                                   self);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action,
                                           accels[i].accels);

  /* No Help item (hidden when its action is off) and no F1 where the
   * pages cannot be shown */
  if (!derm_application_get_help_available (self))
    {
      static const char * const no_accels[] = { NULL };

      g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "help")), FALSE);
      gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", no_accels);
    }
}

static void
derm_application_shutdown (GApplication *app)
{
  DermApplication *self = DERM_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);

  g_clear_handle_id (&self->backup_timer, g_source_remove);
  g_cancellable_cancel (self->backup_cancellable);

  /* Close the database cleanly now: a widget or a late task may still
   * hold the store, but nothing will write after shutdown */
  if (self->store != NULL)
    derm_store_close (self->store);

  G_APPLICATION_CLASS (derm_application_parent_class)->shutdown (app);
}

static void
derm_application_finalize (GObject *object)
{
  DermApplication *self = (DermApplication *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->backup_cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->data_dir, g_free);

  G_OBJECT_CLASS (derm_application_parent_class)->finalize (object);
}

static void
derm_application_class_init (DermApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->finalize = derm_application_finalize;

  app_class->activate = derm_application_activate;
  app_class->startup = derm_application_startup;
  app_class->shutdown = derm_application_shutdown;
  app_class->handle_local_options = derm_application_handle_local_options;
  gtk_app_class->window_added = derm_application_window_added;
}

static void
derm_application_init (DermApplication *self)
{
  g_application_add_main_option (G_APPLICATION (self),
                                 "data-dir",
                                 0,
                                 G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_FILENAME,
                                 _("Keep the client records in DIR instead of the default folder"),
                                 _("DIR"));
  g_application_add_main_option (G_APPLICATION (self),
                                 "version",
                                 0,
                                 G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE,
                                 _("Print the version and exit"),
                                 NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Client records, screening, photos and treatment plans "
                                              "for microneedling clinics. Without options, opens the "
                                              "records in the default folder."));
}

DermApplication *
derm_application_new (void)
{
  return g_object_new (DERM_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

DermStore *
derm_application_get_store (DermApplication *self)
{
  g_return_val_if_fail (DERM_IS_APPLICATION (self), NULL);

  return self->store;
}

const char *
derm_application_get_data_dir (DermApplication *self)
{
  g_return_val_if_fail (DERM_IS_APPLICATION (self), NULL);

  return self->data_dir;
}

void
derm_application_set_data_dir (DermApplication *self,
                               const char      *data_dir)
{
  g_return_if_fail (DERM_IS_APPLICATION (self));

  if (g_strcmp0 (self->data_dir, data_dir) == 0)
    return;

  g_free (self->data_dir);
  self->data_dir = g_strdup (data_dir);
}

/* derm-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-client.h"
#include "derm-client-csv-export.h"
#include "derm-client-import-dialog.h"
#include "derm-documents-ui.h"
#include "derm-store.h"
#include "derm-validate.h"

#include "derm-agenda-view.h"
#include "derm-due-list.h"
#include "derm-month-view.h"
#include "derm-series-timeline.h"
#include "derm-unsaved.h"
#include "derm-setup-assistant.h"
#include "derm-window.h"
#include "derm-toast.h"

struct _DermWindow
{
  AdwApplicationWindow  parent_instance;

  DermStore            *store;
  GSettings            *settings;
  DermClientPage       *client_page;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkSearchEntry       *search_entry;
  DermClientList       *client_list;
  GtkStack             *content_stack;
  AdwStatusPage        *empty_page;
  GtkWidget            *add_client_button;
  AdwViewStack         *main_stack;
  GtkWidget            *sidebar_switcher;
  GtkWidget            *sidebar_title;
  AdwViewSwitcherTitle *calendar_switcher_title;
  AdwViewSwitcherTitle *due_switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkStack             *calendar_stack;
  DermAgendaView       *agenda_view;
  DermMonthView        *month_view;
  DermDueList          *due_list;

  /* Changes made by another program: data_version, read on a worker */
  guint                 watch_id;
  GCancellable         *watch_cancellable;
  gint64                data_version;
  guint                 watching : 1;
  guint                 have_data_version : 1;

  /* Set once unsaved edits were settled, so closing goes ahead */
  guint                 close_confirmed : 1;
};

G_DEFINE_FINAL_TYPE (DermWindow, derm_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
derm_window_show_content (DermWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content_stack));
}

static void
derm_window_show_empty (DermWindow *self)
{
  gtk_stack_set_visible_child_name (self->content_stack, "empty");
}

static void
derm_window_show_client (DermWindow *self,
                          DermClient *client)
{
  derm_client_page_set_client (self->client_page, client);
  gtk_stack_set_visible_child (self->content_stack, GTK_WIDGET (self->client_page));
  derm_window_show_content (self);
}

typedef struct
{
  DermWindow *window;
  DermClient *client;   /* what to show next; id 0 is the new-client form */
} PendingClient;

static void
pending_client_free (gpointer data)
{
  PendingClient *pending = data;

  g_clear_object (&pending->window);
  g_clear_object (&pending->client);
  g_free (pending);
}

/* The list shows what the page shows, also after a Cancel */
static void
derm_window_sync_selection (DermWindow *self)
{
  gint64 id = derm_client_get_id (derm_client_page_get_client (self->client_page));

  if (id == 0 || !derm_client_list_select_client (self->client_list, id))
    derm_client_list_unselect (self->client_list);
}

static void
on_leave_for_client (gpointer user_data,
                     gboolean proceed)
{
  PendingClient *pending = user_data;
  DermWindow *self = pending->window;
  gint64 id = derm_client_get_id (pending->client);

  if (!proceed)
    {
      derm_window_sync_selection (self);
      return;
    }

  if (id == 0)
    derm_client_list_unselect (self->client_list);
  else
    {
      adw_view_stack_set_visible_child_name (self->main_stack, "clients");
      derm_client_list_select_client (self->client_list, id);
    }
  derm_window_show_client (self, pending->client);
}

/* Shows @client (a copy the page may edit) once unsaved edits of the
 * client shown are saved or discarded */
static void
derm_window_switch_client (DermWindow *self,
                           DermClient *client)
{
  PendingClient *pending = g_new0 (PendingClient, 1);

  pending->window = g_object_ref (self);
  pending->client = g_object_ref (client);
  derm_client_page_confirm_leave (self->client_page, on_leave_for_client,
                                  pending, pending_client_free);
}

static void
derm_window_update_empty_page (DermWindow *self)
{
  gboolean no_clients;

  no_clients = !derm_client_list_get_loading (self->client_list) &&
               derm_client_list_get_n_clients (self->client_list) == 0;

  if (no_clients)
    {
      adw_status_page_set_title (self->empty_page, _("No Clients Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Add your first client to keep their details, screenings and treatment sessions"));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("Select a Client"));
      adw_status_page_set_description (self->empty_page,
                                       _("Choose a client from the list, or add a new one"));
    }

  gtk_widget_set_visible (self->add_client_button, no_clients);
}

static void
on_n_clients_changed (DermWindow     *self,
                      GParamSpec     *pspec,
                      DermClientList *list)
{
  derm_window_update_empty_page (self);
}

static void
on_client_activated (DermWindow     *self,
                     DermClient     *client,
                     DermClientList *list)
{
  g_autoptr (DermClient) copy = NULL;

  /* The page edits its own copy; the list shows what is saved */
  copy = derm_client_copy (client);
  if (derm_client_get_id (copy) == derm_client_get_id (derm_client_page_get_client (self->client_page)) &&
      gtk_stack_get_visible_child (self->content_stack) == GTK_WIDGET (self->client_page))
    {
      /* The client already shown: keep the edits, just bring the page up */
      derm_window_show_content (self);
      return;
    }
  derm_window_switch_client (self, copy);
}

static void
on_search_changed (DermWindow     *self,
                   GtkSearchEntry *entry)
{
  derm_client_list_set_query (self->client_list,
                              gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_stop_search (DermWindow     *self,
                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
on_search_activate (DermWindow     *self,
                    GtkSearchEntry *entry)
{
  g_autoptr (DermClient) client = NULL;
  GListModel *model;

  /* Enter opens the first match */
  derm_client_list_set_query (self->client_list,
                              gtk_editable_get_text (GTK_EDITABLE (entry)));
  model = derm_client_list_get_model (self->client_list);
  client = g_list_model_get_item (model, 0);
  if (client == NULL)
    return;

  on_client_activated (self, client, self->client_list);
}

static void
on_client_saved (DermWindow     *self,
                 DermClient     *client,
                 DermClientPage *page)
{
  g_return_if_fail (DERM_IS_CLIENT (client));

  derm_client_list_update_client (self->client_list, client);
  derm_client_list_select_client (self->client_list, derm_client_get_id (client));
  derm_window_update_empty_page (self);
}

static void
on_client_deleted (DermWindow     *self,
                   gint64          id,
                   DermClientPage *page)
{
  derm_client_list_remove_client (self->client_list, id);
  derm_client_list_unselect (self->client_list);
  derm_window_show_empty (self);
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  derm_window_update_empty_page (self);
}

static void
on_leaflet_visible_child_changed (DermWindow *self,
                                  GParamSpec *pspec,
                                  AdwLeaflet *leaflet)
{
  /* Folded, the list is a page of its own: clear the selection when
   * going back to it so that tapping the same client opens it again. */
  if (adw_leaflet_get_folded (leaflet) &&
      adw_leaflet_get_visible_child (leaflet) == self->sidebar)
    derm_client_list_unselect (self->client_list);
}

/* Narrow, the switcher moves from the header bars to the bottom bar */
static void
update_switcher_bar (DermWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->main_stack);
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  gboolean reveal;

  if (g_strcmp0 (page, "calendar") == 0)
    reveal = adw_view_switcher_title_get_title_visible (self->calendar_switcher_title);
  else if (g_strcmp0 (page, "due") == 0)
    reveal = adw_view_switcher_title_get_title_visible (self->due_switcher_title);
  else
    reveal = folded;

  /* Shown rather than revealed: libadwaita 1.2's reveal transition
   * allocates the bar's buttons a negative height on its first frame */
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_bar), reveal);
  gtk_widget_set_visible (self->sidebar_switcher, !folded);
  gtk_widget_set_visible (self->sidebar_title, folded);
}

static void
on_main_page_changed (DermWindow   *self,
                      GParamSpec   *pspec,
                      AdwViewStack *stack)
{
  const char *page = adw_view_stack_get_visible_child_name (stack);

  /* Days pass while the window stays open: what is due is read afresh */
  if (g_strcmp0 (page, "due") == 0)
    derm_due_list_reload (self->due_list);
  else if (g_strcmp0 (page, "calendar") == 0)
    {
      derm_agenda_view_reload (self->agenda_view);
      derm_month_view_reload (self->month_view);
    }

  update_switcher_bar (self);
}

static void
on_month_day_activated (DermWindow    *self,
                        const char    *iso,
                        DermMonthView *view)
{
  GDate date;

  if (!derm_date_parse (iso, &date))
    return;

  derm_agenda_view_set_week (self->agenda_view, &date);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.calendar-mode", "s", "week");
}

static void
apply_sort_setting (DermWindow *self)
{
  g_autofree char *sort = g_settings_get_string (self->settings, "client-sort");
  GAction *action;

  derm_client_list_set_sort (self->client_list,
                             g_str_equal (sort, "last-visit") ? DERM_CLIENT_SORT_LAST_VISIT
                                                              : DERM_CLIENT_SORT_NAME);

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "sort");
  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (sort));
}

static void
apply_show_archived_setting (DermWindow *self)
{
  gboolean show_archived = g_settings_get_boolean (self->settings, "show-archived");
  GAction *action;

  derm_client_list_set_show_archived (self->client_list, show_archived);

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-archived");
  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (show_archived));
}

static void
on_settings_changed (DermWindow *self,
                     const char *key,
                     GSettings  *settings)
{
  if (g_str_equal (key, "client-sort"))
    apply_sort_setting (self);
  else if (g_str_equal (key, "show-archived"))
    apply_show_archived_setting (self);
}

static void
sort_change_state (GSimpleAction *action,
                   GVariant      *value,
                   gpointer       user_data)
{
  DermWindow *self = user_data;
  const char *sort = g_variant_get_string (value, NULL);

  if (!g_str_equal (sort, "name") && !g_str_equal (sort, "last-visit"))
    return;

  /* The settings' change handler updates the list and the state */
  g_settings_set_string (self->settings, "client-sort", sort);
}

static void
show_archived_change_state (GSimpleAction *action,
                            GVariant      *value,
                            gpointer       user_data)
{
  DermWindow *self = user_data;

  /* The settings' change handler updates the list and the state */
  g_settings_set_boolean (self->settings, "show-archived", g_variant_get_boolean (value));
}

static void
new_client_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  DermWindow *self = user_data;
  g_autoptr (DermClient) client = derm_client_new ();

  derm_window_switch_client (self, client);
}

static void
search_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  DermWindow *self = user_data;

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
show_list_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  DermWindow *self = user_data;

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
show_toast_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  DermWindow *self = user_data;

  derm_window_add_toast (self, g_variant_get_string (param, NULL));
}

static void
show_page_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  DermWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  adw_view_stack_set_visible_child_name (self->main_stack, name + strlen ("show-"));
}

static void
calendar_mode_change_state (GSimpleAction *action,
                            GVariant      *value,
                            gpointer       user_data)
{
  DermWindow *self = user_data;
  const char *mode = g_variant_get_string (value, NULL);

  if (!g_str_equal (mode, "week") && !g_str_equal (mode, "month"))
    return;

  if (g_str_equal (mode, "month"))
    {
      GDate monday;
      GDate shown;
      GDate today;

      /* A week across two months leads to the month holding today, or
       * else the one holding most of the week (its Thursday's) */
      derm_agenda_view_get_week (self->agenda_view, &monday);
      derm_date_today (&today);
      shown = monday;
      g_date_add_days (&shown, 3);
      if (g_date_days_between (&monday, &today) >= 0 && g_date_days_between (&monday, &today) < 7)
        shown = today;
      derm_month_view_set_month (self->month_view, &shown);
    }

  gtk_stack_set_visible_child_name (self->calendar_stack, mode);
  adw_view_stack_set_visible_child_name (self->main_stack, "calendar");
  g_simple_action_set_state (action, value);
}

static void
planner_changed_action (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  DermWindow *self = user_data;

  derm_agenda_view_reload (self->agenda_view);
  derm_month_view_reload (self->month_view);
  derm_due_list_reload (self->due_list);
  derm_client_page_reload_planner (self->client_page);
}

static void
client_to_show_read (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr (DermWindow) self = user_data;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id;

  client = derm_store_get_client_finish (DERM_STORE (source), result, &error);
  if (client == NULL)
    {
      derm_window_add_toast (self, error->message);
      return;
    }
  if (self->client_page == NULL)
    return;

  id = derm_client_get_id (client);
  adw_view_stack_set_visible_child_name (self->main_stack, "clients");
  if (id == derm_client_get_id (derm_client_page_get_client (self->client_page)))
    {
      derm_client_list_select_client (self->client_list, id);
      gtk_stack_set_visible_child (self->content_stack, GTK_WIDGET (self->client_page));
      derm_window_show_content (self);
      return;
    }
  derm_window_switch_client (self, client);
}

/* The client is read on the store's worker, then shown */
static void
show_client_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  DermWindow *self = user_data;

  derm_store_get_client_async (self->store, g_variant_get_int64 (param), NULL,
                               client_to_show_read, g_object_ref (self));
}

/* --- changes made by another program ----------------------------------- */

static void
read_data_version (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  DermStore *store = task_data;
  g_autoptr (GError) error = NULL;
  gint64 version;

  if (!derm_store_get_data_version (store, &version, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_memdup2 (&version, sizeof version), g_free);
}

static void
derm_window_refresh (DermWindow *self)
{
  /* What is on screen is read again; selection, search and unsaved
   * edits stay as they are */
  derm_client_list_reload (self->client_list);
  derm_client_page_refresh (self->client_page);
  derm_agenda_view_reload (self->agenda_view);
  derm_month_view_reload (self->month_view);
  derm_due_list_reload (self->due_list);
}

static void
on_data_version (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gint64 *version = g_task_propagate_pointer (G_TASK (result), &error);
  DermWindow *self;

  /* Cancelled in dispose: the window may be gone, touch nothing */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = DERM_WINDOW (user_data);
  self->watching = FALSE;
  if (version == NULL)
    {
      g_debug ("Could not read the data version: %s", error->message);
      return;
    }

  if (self->have_data_version && *version != self->data_version)
    derm_window_refresh (self);
  self->data_version = *version;
  self->have_data_version = TRUE;
}

static gboolean
watch_tick (gpointer user_data)
{
  DermWindow *self = user_data;
  g_autoptr (GTask) task = NULL;

  if (self->watching || self->store == NULL)
    return G_SOURCE_CONTINUE;

  self->watching = TRUE;
  /* No reference on the window: closing it is not held up by a read */
  task = g_task_new (NULL, self->watch_cancellable, on_data_version, self);
  g_task_set_source_tag (task, watch_tick);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, read_data_version);

  return G_SOURCE_CONTINUE;
}

static void
refresh_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  derm_window_refresh (DERM_WINDOW (user_data));
}

static void
on_import_chooser_response (GtkNativeDialog *chooser,
                            int              response,
                            DermWindow      *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->store != NULL)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      derm_client_import_dialog_open_file (GTK_WINDOW (self), self->store, file);
    }

  g_object_unref (self);
  g_object_unref (chooser);
}

static void
import_clients_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  DermWindow *self = user_data;
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Clients"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_clients_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  DermWindow *self = user_data;

  derm_client_csv_export_ask (GTK_WINDOW (self), self->store);
}

static void
setup_clinic_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  DermWindow *self = user_data;

  gtk_window_present (GTK_WINDOW (derm_setup_assistant_new (GTK_WINDOW (self), self->store)));
}

static const GActionEntry win_entries[] = {
  { "new-client", new_client_action },
  { "search", search_action },
  { "show-list", show_list_action },
  { "show-toast", show_toast_action, "s" },
  /* Stateful, mirroring the "client-sort" and "show-archived" settings */
  { "sort", NULL, "s", "'name'", sort_change_state },
  { "show-archived", NULL, NULL, "false", show_archived_change_state },
  /* The views of the main stack */
  { "show-clients", show_page_action },
  { "show-calendar", show_page_action },
  { "show-due", show_page_action },
  { "calendar-mode", NULL, "s", "'week'", calendar_mode_change_state },
  /* Something changed the calendar: every planner view reloads */
  { "planner-changed", planner_changed_action },
  { "show-client", show_client_action, "x" },
  /* Read again what is on screen (after an import) */
  { "refresh", refresh_action },
  /* Clients from and to CSV files */
  { "import-clients", import_clients_action },
  { "export-clients", export_clients_action },
  /* The first-run assistant, again */
  { "setup-clinic", setup_clinic_action },
};

void
derm_window_add_toast (DermWindow *self,
                       const char *message)
{
  g_return_if_fail (DERM_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* Escaped (a client's name may hold an "&"); a long one gets Details */
  derm_toast_show (GTK_WIDGET (self->toast_overlay), message);
}

static void
on_leave_for_close (gpointer user_data,
                    gboolean proceed)
{
  DermWindow *self = user_data;

  if (!proceed)
    return;

  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
derm_window_close_request (GtkWindow *window)
{
  DermWindow *self = DERM_WINDOW (window);
  int width;
  int height;

  if (!self->close_confirmed && derm_client_page_has_unsaved_changes (self->client_page))
    {
      /* Show what the question is about */
      adw_view_stack_set_visible_child_name (self->main_stack, "clients");
      gtk_stack_set_visible_child (self->content_stack, GTK_WIDGET (self->client_page));
      derm_window_show_content (self);
      derm_client_page_confirm_leave (self->client_page, on_leave_for_close,
                                      g_object_ref (self), g_object_unref);
      return TRUE;
    }

  gtk_window_get_default_size (window, &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (derm_window_parent_class)->close_request (window);
}

static void
derm_window_constructed (GObject *object)
{
  DermWindow *self = (DermWindow *)object;

  G_OBJECT_CLASS (derm_window_parent_class)->constructed (object);

  g_assert (DERM_IS_STORE (self->store));

  derm_documents_ui_install (ADW_APPLICATION_WINDOW (self), self->store, self->toast_overlay);
  self->client_page = DERM_CLIENT_PAGE (derm_client_page_new (self->store));
  gtk_stack_add_named (self->content_stack, GTK_WIDGET (self->client_page), "client");
  g_object_bind_property (self->leaflet, "folded",
                          self->client_page, "folded",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->client_page,
                           "client-saved",
                           G_CALLBACK (on_client_saved),
                           self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client_page,
                           "client-deleted",
                           G_CALLBACK (on_client_deleted),
                           self,
                           G_CONNECT_SWAPPED);

  derm_client_list_set_store (self->client_list, self->store);
  derm_window_update_empty_page (self);

  derm_agenda_view_set_store (self->agenda_view, self->store);
  derm_month_view_set_store (self->month_view, self->store);
  derm_due_list_set_store (self->due_list, self->store);
  update_switcher_bar (self);

  /* Another program's changes show within a second: a PRAGMA every
   * 400 ms, off the main thread */
  self->watch_cancellable = g_cancellable_new ();
  self->watch_id = g_timeout_add (400, watch_tick, self);
  watch_tick (self);
}

static void
derm_window_dispose (GObject *object)
{
  DermWindow *self = (DermWindow *)object;

  g_clear_handle_id (&self->watch_id, g_source_remove);
  if (self->watch_cancellable != NULL)
    g_cancellable_cancel (self->watch_cancellable);
  g_clear_object (&self->watch_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_WINDOW);

  G_OBJECT_CLASS (derm_window_parent_class)->dispose (object);
}

static void
derm_window_finalize (GObject *object)
{
  DermWindow *self = (DermWindow *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_window_parent_class)->finalize (object);
}

static void
derm_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DermWindow *self = DERM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DermWindow *self = DERM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* For bench-records: with DERMIS_EXIT_AFTER_FIRST_FRAME set, say when the
 * first frame has been painted and quit, so start-up can be timed from
 * outside the process. */
static void
on_first_frame (GdkFrameClock *clock,
                DermWindow    *self)
{
  const char *linger = g_getenv ("DERMIS_EXIT_AFTER_FIRST_FRAME");

  g_signal_handlers_disconnect_by_func (clock, on_first_frame, self);
  g_print ("first-frame\n");
  /* A number is how long to stay open first, in ms (to let loading finish) */
  g_timeout_add_once ((guint) g_ascii_strtoull (linger, NULL, 10),
                      (GSourceOnceFunc) gtk_window_destroy, self);
}

static void
derm_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (derm_window_parent_class)->realize (widget);

  if (g_getenv ("DERMIS_EXIT_AFTER_FIRST_FRAME") != NULL)
    g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                             G_CALLBACK (on_first_frame), widget, 0);
}

static void
derm_window_class_init (DermWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = derm_window_constructed;
  object_class->dispose = derm_window_dispose;
  object_class->finalize = derm_window_finalize;
  object_class->get_property = derm_window_get_property;
  object_class->set_property = derm_window_set_property;
  widget_class->realize = derm_window_realize;

  window_class->close_request = derm_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DERM_TYPE_STORE,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DERM_TYPE_CLIENT_LIST);
  g_type_ensure (DERM_TYPE_AGENDA_VIEW);
  g_type_ensure (DERM_TYPE_MONTH_VIEW);
  g_type_ensure (DERM_TYPE_DUE_LIST);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/dermis/Dermis/derm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DermWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, client_list);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, add_client_button);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, sidebar_switcher);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, calendar_switcher_title);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, due_switcher_title);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, calendar_stack);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, agenda_view);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, month_view);
  gtk_widget_class_bind_template_child (widget_class, DermWindow, due_list);
  gtk_widget_class_bind_template_callback (widget_class, on_main_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_month_day_activated);
  gtk_widget_class_bind_template_callback (widget_class, update_switcher_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_client_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_n_clients_changed);
}

static void
derm_window_init (DermWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   win_entries,
                                   G_N_ELEMENTS (win_entries),
                                   self);

  g_signal_connect_object (self->settings,
                           "changed",
                           G_CALLBACK (on_settings_changed),
                           self,
                           G_CONNECT_SWAPPED);
  apply_sort_setting (self);
  apply_show_archived_setting (self);

  g_signal_connect_object (self->leaflet,
                           "notify::folded",
                           G_CALLBACK (update_switcher_bar),
                           self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet,
                           "notify::visible-child",
                           G_CALLBACK (on_leaflet_visible_child_changed),
                           self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client_list,
                           "notify::loading",
                           G_CALLBACK (on_n_clients_changed),
                           self,
                           G_CONNECT_SWAPPED);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

DermWindow *
derm_window_new (DermApplication *app,
                 DermStore       *store)
{
  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (DERM_IS_STORE (store), NULL);

  return g_object_new (DERM_TYPE_WINDOW,
                       "application", app,
                       "store", store,
                       NULL);
}

DermStore *
derm_window_get_store (DermWindow *self)
{
  g_return_val_if_fail (DERM_IS_WINDOW (self), NULL);

  return self->store;
}

DermClientList *
derm_window_get_client_list (DermWindow *self)
{
  g_return_val_if_fail (DERM_IS_WINDOW (self), NULL);

  return self->client_list;
}

DermClientPage *
derm_window_get_client_page (DermWindow *self)
{
  g_return_val_if_fail (DERM_IS_WINDOW (self), NULL);

  return self->client_page;
}

DermAgendaView *
derm_window_get_agenda_view (DermWindow *self)
{
  g_return_val_if_fail (DERM_IS_WINDOW (self), NULL);

  return self->agenda_view;
}

DermMonthView *
derm_window_get_month_view (DermWindow *self)
{
  g_return_val_if_fail (DERM_IS_WINDOW (self), NULL);

  return self->month_view;
}

DermDueList *
derm_window_get_due_list (DermWindow *self)
{
  g_return_val_if_fail (DERM_IS_WINDOW (self), NULL);

  return self->due_list;
}

GtkWidget *
derm_window_get_search_entry (DermWindow *self)
{
  g_return_val_if_fail (DERM_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->search_entry);
}

/* derm-protocols-preferences-page.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-protocols-preferences-page"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-store.h"
#include "derm-store-planner.h"

#include "derm-protocols-preferences-page.h"
#include "derm-message-dialog.h"
#include "derm-store-wait.h"

enum {
  FIELD_SESSIONS,
  FIELD_INTERVAL,
  FIELD_MIN_INTERVAL,
  FIELD_MAX_INTERVAL,
  FIELD_DURATION,
  FIELD_FOLLOW_UP,
  N_FIELDS
};

struct _DermProtocolsPreferencesPage
{
  AdwPreferencesPage  parent_instance;

  DermStore          *store;
  GListStore         *protocols;
  /* The protocol to open after a reload (a new one), 0 for none */
  gint64              expand_id;
  /* Reads and writes on the store's worker not finished yet */
  guint               busy;

  /* Template children */
  GtkListBox         *list_box;
};

G_DEFINE_FINAL_TYPE (DermProtocolsPreferencesPage, derm_protocols_preferences_page, ADW_TYPE_PREFERENCES_PAGE)

static void
show_toast (DermProtocolsPreferencesPage *self,
            const char                   *message)
{
  derm_widget_show_toast (GTK_WIDGET (self), message);
}

/* Every change and every reload runs on the store's worker: the change
 * (if any), then the protocols as stored */

typedef enum
{
  CHANGE_NONE,
  CHANGE_ADD,
  CHANGE_UPDATE,
  CHANGE_DELETE,
} ChangeKind;

typedef struct
{
  ChangeKind    kind;
  DermProtocol *protocol;   /* ADD, UPDATE: a copy the worker owns */
  gint64        id;         /* DELETE */
} Change;

typedef struct
{
  GError    *error;         /* why the change failed; the list is read anyway */
  GPtrArray *protocols;
  gint64     added_id;
  ChangeKind kind;
} ChangeDone;

static void
change_free (gpointer data)
{
  Change *change = data;

  g_clear_object (&change->protocol);
  g_free (change);
}

static void
change_done_free (gpointer data)
{
  ChangeDone *done = data;

  g_clear_error (&done->error);
  g_clear_pointer (&done->protocols, g_ptr_array_unref);
  g_free (done);
}

static gboolean
run_change (DermStore  *store,
            gpointer    data,
            gpointer   *result,
            GError    **error)
{
  Change *change = data;
  ChangeDone *done = g_new0 (ChangeDone, 1);

  done->kind = change->kind;
  switch (change->kind)
    {
    case CHANGE_ADD:
      {
        g_autofree char *name = g_strdup (derm_protocol_get_name (change->protocol));

        /* Names are unique; the user renames it at once anyway */
        for (guint n = 2; ; n++)
          {
            g_autoptr (DermProtocol) existing = derm_store_find_protocol (store, name, NULL);

            if (existing == NULL)
              break;
            g_free (name);
            name = g_strdup_printf (_("New Protocol %u"), n);
          }
        derm_protocol_set_name (change->protocol, name);
        if (derm_store_add_protocol (store, change->protocol, &done->error))
          done->added_id = derm_protocol_get_id (change->protocol);
      }
      break;

    case CHANGE_UPDATE:
      derm_store_update_protocol (store, change->protocol, &done->error);
      break;

    case CHANGE_DELETE:
      derm_store_delete_protocol (store, change->id, &done->error);
      break;

    case CHANGE_NONE:
    default:
      break;
    }

  if ((done->protocols = derm_store_list_protocols (store, error)) == NULL)
    {
      change_done_free (done);
      return FALSE;
    }
  *result = done;
  return TRUE;
}

static void
on_change_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (DermProtocolsPreferencesPage) self = user_data;
  g_autoptr (GError) error = NULL;
  ChangeDone *done = NULL;

  if (self->busy > 0)
    self->busy--;
  if (!derm_store_run_finish (DERM_STORE (source), result, (gpointer *) &done, &error))
    {
      show_toast (self, error->message);
      return;
    }

  if (done->added_id > 0)
    self->expand_id = done->added_id;
  else if (done->kind == CHANGE_UPDATE && done->error == NULL)
    self->expand_id = 0;
  if (self->protocols != NULL)
    g_list_store_splice (self->protocols, 0, g_list_model_get_n_items (G_LIST_MODEL (self->protocols)),
                         done->protocols->pdata, done->protocols->len);

  if (done->error != NULL)
    show_toast (self, done->error->message);
  else if (done->kind == CHANGE_UPDATE)
    show_toast (self, _("Protocol saved"));
  else if (done->kind == CHANGE_DELETE)
    show_toast (self, _("Protocol deleted"));
  change_done_free (done);
}

static void
run (DermProtocolsPreferencesPage *self,
     Change                       *change)
{
  if (self->store == NULL)
    {
      change_free (change);
      return;
    }
  self->busy++;
  derm_store_run_async (self->store, run_change, change, change_free, change_done_free, NULL,
                        on_change_done, g_object_ref (self));
}

static void
reload (DermProtocolsPreferencesPage *self)
{
  run (self, g_new0 (Change, 1));
}

gboolean
derm_protocols_preferences_page_get_busy (DermProtocolsPreferencesPage *self)
{
  g_return_val_if_fail (DERM_IS_PROTOCOLS_PREFERENCES_PAGE (self), FALSE);

  return self->busy > 0;
}

static char *
describe (DermProtocol *protocol)
{
  guint sessions = derm_protocol_get_sessions (protocol);
  g_autofree char *count = g_strdup_printf (ngettext ("%u session", "%u sessions", sessions), sessions);
  g_autofree char *photo = NULL;

  if (derm_protocol_get_follow_up_weeks (protocol) > 0)
    photo = g_strdup_printf (ngettext (", photo after %u week", ", photo after %u weeks",
                                       derm_protocol_get_follow_up_weeks (protocol)),
                             derm_protocol_get_follow_up_weeks (protocol));

  /* Translators: "4 sessions, every 4 weeks (4–6), 60 min, photo after 12 weeks" */
  return g_strdup_printf (_("%s, every %u weeks (%u–%u), %u min%s"), count,
                          derm_protocol_get_interval_weeks (protocol),
                          derm_protocol_get_min_interval_weeks (protocol),
                          derm_protocol_get_max_interval_weeks (protocol),
                          derm_protocol_get_duration_minutes (protocol),
                          photo != NULL ? photo : "");
}

static GtkWidget *
spin_row (const char *title,
          const char *unit,
          double      min,
          double      max,
          double      value,
          GtkWidget **spin_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (unit != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), unit);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  *spin_out = spin;

  return row;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  DermProtocolsPreferencesPage *self = user_data;
  DermProtocol *protocol = item;
  gint64 id = derm_protocol_get_id (protocol);
  g_autofree char *subtitle = describe (protocol);
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *name = adw_entry_row_new ();
  GtkWidget *spins[N_FIELDS];
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *buttons_row = gtk_list_box_row_new ();
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *delete = gtk_button_new_with_mnemonic (_("_Delete"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), derm_protocol_get_name (protocol));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name), _("Name"));
  gtk_editable_set_text (GTK_EDITABLE (name), derm_protocol_get_name (protocol));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), name);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                            spin_row (_("Sessions"), NULL, 1, DERM_PROTOCOL_MAX_SESSIONS,
                                      derm_protocol_get_sessions (protocol), &spins[FIELD_SESSIONS]));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                            spin_row (_("Interval"), _("Weeks between two sessions, as planned"),
                                      1, DERM_PROTOCOL_MAX_INTERVAL_WEEKS,
                                      derm_protocol_get_interval_weeks (protocol), &spins[FIELD_INTERVAL]));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                            spin_row (_("Minimum Interval"), _("Weeks; never booked closer"),
                                      1, DERM_PROTOCOL_MAX_INTERVAL_WEEKS,
                                      derm_protocol_get_min_interval_weeks (protocol), &spins[FIELD_MIN_INTERVAL]));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                            spin_row (_("Maximum Interval"), _("Weeks; later is overdue"),
                                      1, DERM_PROTOCOL_MAX_INTERVAL_WEEKS,
                                      derm_protocol_get_max_interval_weeks (protocol), &spins[FIELD_MAX_INTERVAL]));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                            spin_row (_("Appointment Length"), _("Minutes"),
                                      DERM_PROTOCOL_MIN_DURATION, DERM_PROTOCOL_MAX_DURATION,
                                      derm_protocol_get_duration_minutes (protocol), &spins[FIELD_DURATION]));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                            spin_row (_("Follow-up Photo"), _("Weeks after the last session; 0 for none"),
                                      0, DERM_PROTOCOL_MAX_INTERVAL_WEEKS,
                                      derm_protocol_get_follow_up_weeks (protocol), &spins[FIELD_FOLLOW_UP]));

  gtk_widget_add_css_class (save, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (save), "protocols.save");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (save), "x", id);
  gtk_widget_add_css_class (delete, "destructive-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (delete), "protocols.delete");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (delete), "x", id);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 9);
  gtk_widget_set_margin_bottom (buttons, 9);
  gtk_widget_set_margin_end (buttons, 12);
  gtk_box_append (GTK_BOX (buttons), delete);
  gtk_box_append (GTK_BOX (buttons), save);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (buttons_row), buttons);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (buttons_row), FALSE);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), buttons_row);

  /* The save action reads the fields back from here */
  g_object_set_data (G_OBJECT (expander), "name-row", name);
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *key = g_strdup_printf ("spin-%u", i);

      g_object_set_data (G_OBJECT (expander), key, spins[i]);
    }
  g_object_set_data_full (G_OBJECT (expander), "protocol", g_object_ref (protocol), g_object_unref);

  if (id == self->expand_id)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);

  return expander;
}

static GtkWidget *
find_row (DermProtocolsPreferencesPage *self,
          gint64                        id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      DermProtocol *protocol = g_object_get_data (G_OBJECT (child), "protocol");

      if (protocol != NULL && derm_protocol_get_id (protocol) == id)
        return child;
    }

  return NULL;
}

/* Actions */

static void
protocols_save (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DermProtocolsPreferencesPage *self = DERM_PROTOCOLS_PREFERENCES_PAGE (widget);
  GtkWidget *row = find_row (self, g_variant_get_int64 (param));
  g_autoptr (DermProtocol) protocol = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  guint values[N_FIELDS];

  if (row == NULL)
    return;

  protocol = derm_protocol_copy (g_object_get_data (G_OBJECT (row), "protocol"));
  name = g_strstrip (g_strdup (gtk_editable_get_text (g_object_get_data (G_OBJECT (row), "name-row"))));
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *key = g_strdup_printf ("spin-%u", i);
      GtkSpinButton *spin = g_object_get_data (G_OBJECT (row), key);

      gtk_spin_button_update (spin);
      values[i] = (guint) gtk_spin_button_get_value_as_int (spin);
    }

  derm_protocol_set_name (protocol, name);
  derm_protocol_set_sessions (protocol, values[FIELD_SESSIONS]);
  /* Widest bounds first, so no setter sees min > default > max on the way */
  derm_protocol_set_max_interval_weeks (protocol, values[FIELD_MAX_INTERVAL]);
  derm_protocol_set_min_interval_weeks (protocol, values[FIELD_MIN_INTERVAL]);
  derm_protocol_set_interval_weeks (protocol, values[FIELD_INTERVAL]);
  derm_protocol_set_duration_minutes (protocol, values[FIELD_DURATION]);
  derm_protocol_set_follow_up_weeks (protocol, values[FIELD_FOLLOW_UP]);

  if (!derm_protocol_validate (protocol, &error))
    {
      show_toast (self, error->message);
      return;
    }

  {
    Change *change = g_new0 (Change, 1);

    change->kind = CHANGE_UPDATE;
    change->protocol = g_steal_pointer (&protocol);
    run (self, change);
  }
}

static void
on_delete_response (AdwMessageDialog             *dialog,
                    const char                   *response,
                    DermProtocolsPreferencesPage *self)
{
  Change *change = g_new0 (Change, 1);

  change->kind = CHANGE_DELETE;
  change->id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "protocol-id");
  run (self, change);
}

static void
protocols_delete (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  DermProtocolsPreferencesPage *self = DERM_PROTOCOLS_PREFERENCES_PAGE (widget);
  gint64 id = g_variant_get_int64 (param);
  GtkWidget *row = find_row (self, id);
  GtkRoot *root = gtk_widget_get_root (widget);
  DermProtocol *protocol;
  GtkWidget *dialog;

  if (row == NULL)
    return;

  protocol = g_object_get_data (G_OBJECT (row), "protocol");
  dialog = derm_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete Protocol?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” will no longer be offered. Series already booked with it keep their plan."),
                                  derm_protocol_get_name (protocol));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "protocol-id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_object (dialog, "response::delete", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
protocols_add (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DermProtocolsPreferencesPage *self = DERM_PROTOCOLS_PREFERENCES_PAGE (widget);
  Change *change = g_new0 (Change, 1);

  change->kind = CHANGE_ADD;
  change->protocol = derm_protocol_new ();
  derm_protocol_set_name (change->protocol, _("New Protocol"));
  run (self, change);
}

/* GObject */

static void
derm_protocols_preferences_page_dispose (GObject *object)
{
  DermProtocolsPreferencesPage *self = DERM_PROTOCOLS_PREFERENCES_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_PROTOCOLS_PREFERENCES_PAGE);

  g_clear_object (&self->protocols);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_protocols_preferences_page_parent_class)->dispose (object);
}

static void
derm_protocols_preferences_page_class_init (DermProtocolsPreferencesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_protocols_preferences_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-protocols-preferences-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DermProtocolsPreferencesPage, list_box);

  gtk_widget_class_install_action (widget_class, "protocols.add", NULL, protocols_add);
  gtk_widget_class_install_action (widget_class, "protocols.save", "x", protocols_save);
  gtk_widget_class_install_action (widget_class, "protocols.delete", "x", protocols_delete);
}

static void
derm_protocols_preferences_page_init (DermProtocolsPreferencesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->protocols = g_list_store_new (DERM_TYPE_PROTOCOL);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->protocols), create_row, self, NULL);
}

GtkWidget *
derm_protocols_preferences_page_new (void)
{
  return g_object_new (DERM_TYPE_PROTOCOLS_PREFERENCES_PAGE, NULL);
}

void
derm_protocols_preferences_page_set_store (DermProtocolsPreferencesPage *self,
                                           DermStore                    *store)
{
  g_return_if_fail (DERM_IS_PROTOCOLS_PREFERENCES_PAGE (self));
  g_return_if_fail (DERM_IS_STORE (store));

  g_set_object (&self->store, store);
  reload (self);
}

GListModel *
derm_protocols_preferences_page_get_protocols (DermProtocolsPreferencesPage *self)
{
  g_return_val_if_fail (DERM_IS_PROTOCOLS_PREFERENCES_PAGE (self), NULL);

  return G_LIST_MODEL (self->protocols);
}

/* derm-due-list.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-due-list"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-due-item.h"
#include "derm-planner.h"
#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-validate.h"

#include "derm-due-list.h"
#include "derm-planner-ui.h"

struct _DermDueList
{
  GtkWidget       parent_instance;

  DermStore      *store;
  GListStore     *items;
  GListStore     *outcome;      /* DermAppointment: past, still booked */
  GListStore     *attention;    /* DermAppointment: to come, breaking a rule now */
  GCancellable   *reload;       /* the reload under way */

  /* Template children */
  GtkStack       *stack;
  GtkListView    *list_view;
  GtkListView    *outcome_view;
  GtkWidget      *outcome_box;
  GtkLabel       *outcome_heading;
  GtkListView    *attention_view;
  GtkWidget      *attention_box;
  GtkLabel       *attention_heading;
  GtkLabel       *due_heading;
  GtkOverlay     *overlay;   /* the top child: unparented by gtk_widget_dispose_template() */
  GtkProgressBar *progress;
};

G_DEFINE_FINAL_TYPE (DermDueList, derm_due_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Reading runs on the store's worker; the list shows what it read */

typedef struct
{
  GPtrArray *due;
  GPtrArray *outcome;
  GPtrArray *attention;
} DueRead;

static void
due_read_free (gpointer data)
{
  DueRead *read = data;

  g_clear_pointer (&read->due, g_ptr_array_unref);
  g_clear_pointer (&read->outcome, g_ptr_array_unref);
  g_clear_pointer (&read->attention, g_ptr_array_unref);
  g_free (read);
}

static gboolean
read_due (DermStore  *store,
          gpointer    data,
          gpointer   *result,
          GError    **error)
{
  const GDate *today = data;
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GPtrArray) outcome = NULL;
  g_autoptr (GPtrArray) attention = NULL;
  DueRead *read;

  /* Re-validation runs here, on the store's worker, like every read */
  if ((due = derm_store_list_due (store, today, DERM_DUE_HORIZON_DAYS, error)) == NULL ||
      (outcome = derm_store_list_needs_outcome (store, NULL, error)) == NULL ||
      (attention = derm_store_list_needs_attention (store, error)) == NULL)
    return FALSE;

  read = g_new0 (DueRead, 1);
  read->due = g_steal_pointer (&due);
  read->outcome = g_steal_pointer (&outcome);
  read->attention = g_steal_pointer (&attention);
  *result = read;
  return TRUE;
}

static void
set_loading (DermDueList *self,
             gboolean     loading)
{
  if (loading)
    derm_planner_ui_progress_start (self->progress);
  else
    derm_planner_ui_progress_stop (self->progress);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_due_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (DermDueList) self = user_data;
  g_autoptr (GError) error = NULL;
  DueRead *read = NULL;
  guint n_outcome, n_attention;
  g_autofree char *heading = NULL;
  g_autofree char *attention_heading = NULL;

  if (!derm_store_run_finish (DERM_STORE (source), result, (gpointer *) &read, &error))
    {
      if (derm_planner_ui_is_cancelled (error))
        return;
      g_clear_object (&self->reload);
      set_loading (self, FALSE);
      derm_planner_ui_load_failed (GTK_WIDGET (self), error);
      return;
    }

  g_clear_object (&self->reload);
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       read->due->pdata, read->due->len);
  g_list_store_splice (self->outcome, 0, g_list_model_get_n_items (G_LIST_MODEL (self->outcome)),
                       read->outcome->pdata, read->outcome->len);
  g_list_store_splice (self->attention, 0, g_list_model_get_n_items (G_LIST_MODEL (self->attention)),
                       read->attention->pdata, read->attention->len);

  n_attention = read->attention->len;
  attention_heading = g_strdup_printf (_("Needs attention (%u)"), n_attention);
  gtk_label_set_text (self->attention_heading, attention_heading);
  gtk_widget_set_visible (self->attention_box, n_attention > 0);

  n_outcome = read->outcome->len;
  heading = g_strdup_printf (_("Needs outcome (%u)"), n_outcome);
  gtk_label_set_text (self->outcome_heading, heading);
  gtk_widget_set_visible (self->outcome_box, n_outcome > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->due_heading), read->due->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->list_view), read->due->len > 0);
  gtk_stack_set_visible_child_name (self->stack, read->due->len + n_outcome + n_attention > 0 ? "list" : "empty");
  due_read_free (read);
  set_loading (self, FALSE);
}

void
derm_due_list_reload (DermDueList *self)
{
  GDate *today;

  g_return_if_fail (DERM_IS_DUE_LIST (self));

  if (self->store == NULL)
    return;

  /* The newest reload wins: one asked for meanwhile replaces this one */
  if (self->reload != NULL)
    g_cancellable_cancel (self->reload);
  g_clear_object (&self->reload);
  self->reload = g_cancellable_new ();

  today = g_new (GDate, 1);
  derm_date_today (today);
  set_loading (self, TRUE);
  derm_store_run_async (self->store, read_due, today, g_free, due_read_free, self->reload,
                        on_due_read, g_object_ref (self));
}

gboolean
derm_due_list_get_loading (DermDueList *self)
{
  g_return_val_if_fail (DERM_IS_DUE_LIST (self), FALSE);

  return self->reload != NULL;
}

GListModel *
derm_due_list_get_attention_model (DermDueList *self)
{
  g_return_val_if_fail (DERM_IS_DUE_LIST (self), NULL);

  return G_LIST_MODEL (self->attention);
}

GListModel *
derm_due_list_get_outcome_model (DermDueList *self)
{
  g_return_val_if_fail (DERM_IS_DUE_LIST (self), NULL);

  return G_LIST_MODEL (self->outcome);
}

/* Rows */

typedef struct
{
  GtkImage  *icon;
  GtkLabel  *name;
  GtkLabel  *detail;
  GtkLabel  *window;
  GtkLabel  *badge;
  GtkButton *button;
} RowWidgets;

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  RowWidgets *widgets = g_new0 (RowWidgets, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  widgets->icon = GTK_IMAGE (gtk_image_new ());
  gtk_image_set_icon_size (widgets->icon, GTK_ICON_SIZE_LARGE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (widgets->icon));

  widgets->name = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (widgets->name, 0);
  gtk_label_set_ellipsize (widgets->name, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (widgets->name), "heading");
  widgets->detail = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (widgets->detail, 0);
  gtk_label_set_ellipsize (widgets->detail, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (widgets->detail), "dim-label");
  widgets->window = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (widgets->window, 0);
  gtk_label_set_wrap (widgets->window, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (widgets->window), "caption");
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (widgets->name));
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (widgets->detail));
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (widgets->window));
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);

  widgets->badge = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_valign (GTK_WIDGET (widgets->badge), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (widgets->badge), "derm-tag");
  gtk_widget_add_css_class (GTK_WIDGET (widgets->badge), "caption");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (widgets->badge));

  widgets->button = GTK_BUTTON (gtk_button_new ());
  gtk_button_set_use_underline (widgets->button, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (widgets->button), GTK_ALIGN_CENTER);
  /* The target first: the name alone would not match the action's type */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (widgets->button), "x", (gint64) 0);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (widgets->button), "due.book");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (widgets->button));

  g_object_set_data_full (G_OBJECT (box), "widgets", widgets, g_free);
  gtk_list_item_set_child (list_item, box);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  DermDueItem *item = gtk_list_item_get_item (list_item);
  RowWidgets *widgets = g_object_get_data (G_OBJECT (gtk_list_item_get_child (list_item)), "widgets");
  DermSeries *series = derm_due_item_get_series (item);
  DermDueKind kind = derm_due_item_get_kind (item);
  guint index = derm_due_item_get_session_index (item);
  guint n = derm_series_get_sessions (series);
  const char *client = derm_series_get_client_name (series);
  g_autofree char *from = derm_planner_ui_format_iso_date (derm_due_item_get_due_from (item));
  g_autofree char *until = derm_planner_ui_format_iso_date (derm_due_item_get_due_until (item));
  g_autofree char *detail = NULL;
  g_autofree char *window = NULL;
  g_autofree char *accessible = NULL;

  if (kind == DERM_DUE_FOLLOW_UP)
    {
      /* Translators: a protocol name, then what is due */
      detail = g_strdup_printf (_("%s · follow-up photo"), derm_series_get_protocol_name (series));
      window = g_strdup_printf (_("Photo due from %s"), from);
      gtk_image_set_from_icon_name (widgets->icon, "camera-photo-symbolic");
      gtk_button_set_label (widgets->button, _("_Book Photo…"));
    }
  else
    {
      /* Translators: a protocol name, then the session due: "Microneedling, face · session 3 of 4" */
      detail = g_strdup_printf (_("%s · session %u of %u"), derm_series_get_protocol_name (series), index, n);
      if (kind == DERM_DUE_OVERDUE)
        window = g_strdup_printf (_("Overdue: was due by %s"), until);
      else
        /* Translators: a due window, "Due Tue 3 Mar 2026 – Tue 17 Mar 2026" */
        window = g_strdup_printf (_("Due %s – %s"), from, until);
      gtk_image_set_from_icon_name (widgets->icon, kind == DERM_DUE_OVERDUE ? "dialog-warning-symbolic"
                                                                           : "x-office-calendar-symbolic");
      gtk_button_set_label (widgets->button, _("_Book…"));
    }

  gtk_label_set_text (widgets->name, client != NULL ? client : "");
  gtk_label_set_text (widgets->detail, detail);
  gtk_label_set_text (widgets->window, window);
  gtk_label_set_text (widgets->badge, derm_due_kind_to_label (kind));

  if (kind == DERM_DUE_OVERDUE)
    {
      gtk_widget_add_css_class (GTK_WIDGET (widgets->window), "error");
      gtk_widget_add_css_class (GTK_WIDGET (widgets->badge), "error");
      gtk_widget_add_css_class (GTK_WIDGET (widgets->icon), "error");
      gtk_widget_add_css_class (GTK_WIDGET (widgets->button), "suggested-action");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (widgets->window), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (widgets->badge), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (widgets->icon), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (widgets->button), "suggested-action");
    }

  gtk_actionable_set_action_target (GTK_ACTIONABLE (widgets->button), "x", derm_series_get_id (series));
  accessible = g_strdup_printf ("%s, %s", client != NULL ? client : "", detail);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widgets->button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, accessible, -1);
}

/* Rows of "Needs outcome": what the appointment was, and its outcomes */

/* and of "Needs attention": what the appointment is, the rule it breaks
 * now, and the ways out (move it, cancel it) */

typedef struct
{
  GtkLabel  *name;
  GtkLabel  *detail;
  GtkLabel  *reason;      /* "Needs attention" only */
  GtkButton *buttons[3];
  guint      n_buttons;
} OutcomeWidgets;

static GtkButton *
outcome_button (GtkWidget  *box,
                const char *label,
                const char *action)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", (gint64) 0);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_box_append (GTK_BOX (box), button);
  return GTK_BUTTON (button);
}

static void
setup_outcome_row (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   gpointer                  user_data)
{
  gboolean attention = GPOINTER_TO_INT (user_data);
  OutcomeWidgets *widgets = g_new0 (OutcomeWidgets, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *icon = gtk_image_new_from_icon_name (attention ? "dialog-warning-symbolic"
                                                            : "dialog-question-symbolic");

  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_image_set_icon_size (GTK_IMAGE (icon), GTK_ICON_SIZE_LARGE);
  gtk_widget_add_css_class (icon, attention ? "error" : "warning");
  gtk_widget_set_margin_end (icon, 6);
  gtk_box_append (GTK_BOX (box), icon);

  widgets->name = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (widgets->name, 0);
  gtk_label_set_ellipsize (widgets->name, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (widgets->name), "heading");
  widgets->detail = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (widgets->detail, 0);
  gtk_label_set_wrap (widgets->detail, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (widgets->detail), "caption");
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (widgets->name));
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (widgets->detail));
  if (attention)
    {
      widgets->reason = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (widgets->reason, 0);
      gtk_label_set_wrap (widgets->reason, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (widgets->reason), "caption");
      gtk_widget_add_css_class (GTK_WIDGET (widgets->reason), "error");
      gtk_box_append (GTK_BOX (text), GTK_WIDGET (widgets->reason));
    }
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);

  if (attention)
    {
      widgets->buttons[widgets->n_buttons++] = outcome_button (box, _("_Move…"), "planner.move");
      widgets->buttons[widgets->n_buttons++] = outcome_button (box, _("_Cancel…"), "planner.cancel");
    }
  else
    {
      widgets->buttons[widgets->n_buttons++] = outcome_button (box, _("Mark _Done…"), "planner.mark-done");
      widgets->buttons[widgets->n_buttons++] = outcome_button (box, _("_No-Show…"), "planner.no-show");
      widgets->buttons[widgets->n_buttons++] = outcome_button (box, _("_Cancel…"), "planner.cancel");
    }

  g_object_set_data_full (G_OBJECT (box), "widgets", widgets, g_free);
  gtk_list_item_set_child (list_item, box);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
bind_outcome_row (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  DermAppointment *appointment = gtk_list_item_get_item (list_item);
  OutcomeWidgets *widgets = g_object_get_data (G_OBJECT (gtk_list_item_get_child (list_item)), "widgets");
  const char *client = derm_appointment_get_client_name (appointment);
  g_autofree char *when = derm_planner_ui_format_appointment_time (appointment);
  g_autofree char *what = NULL;
  g_autofree char *detail = NULL;
  gint64 id = derm_appointment_get_id (appointment);

  if (derm_appointment_get_kind (appointment) != DERM_APPOINTMENT_SESSION)
    what = g_strdup (derm_appointment_kind_to_label (derm_appointment_get_kind (appointment)));
  else if (derm_appointment_get_series_id (appointment) == 0)
    what = g_strdup (_("Single appointment"));
  else
    what = g_strdup_printf (_("Session %u of %u"), derm_appointment_get_session_index (appointment),
                            derm_appointment_get_session_count (appointment));
  /* Translators: what the appointment was, then when: "Session 2 of 4 · Tue 3 Mar 2026, 10:00–11:00" */
  detail = g_strdup_printf (_("%s · %s"), what, when);

  gtk_label_set_text (widgets->name, client != NULL ? client : "");
  gtk_label_set_text (widgets->detail, detail);
  if (widgets->reason != NULL)
    {
      const char *reason = derm_appointment_get_problem_message (appointment);

      gtk_label_set_text (widgets->reason, reason != NULL ? reason : "");
    }
  for (guint i = 0; i < widgets->n_buttons; i++)
    {
      g_autofree char *accessible = g_strdup_printf ("%s, %s", client != NULL ? client : "", detail);

      gtk_actionable_set_action_target (GTK_ACTIONABLE (widgets->buttons[i]), "x", id);
      gtk_accessible_update_property (GTK_ACCESSIBLE (widgets->buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, accessible, -1);
    }
}

/* Actions */

/* GObject */

static void
derm_due_list_dispose (GObject *object)
{
  DermDueList *self = DERM_DUE_LIST (object);

  if (self->reload != NULL)
    g_cancellable_cancel (self->reload);
  g_clear_object (&self->reload);
  if (self->progress != NULL)
    derm_planner_ui_progress_stop (self->progress);

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_DUE_LIST);

  g_clear_object (&self->outcome);
  g_clear_object (&self->attention);
  g_clear_object (&self->items);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_due_list_parent_class)->dispose (object);
}

static void
derm_due_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DermDueList *self = DERM_DUE_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->reload != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_due_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DermDueList *self = DERM_DUE_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      derm_due_list_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The Retry of a failed load's toast */
static void
due_reload (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  derm_due_list_reload (DERM_DUE_LIST (widget));
}

static void
derm_due_list_class_init (DermDueListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_due_list_dispose;
  object_class->get_property = derm_due_list_get_property;
  object_class->set_property = derm_due_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DERM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* TRUE while a reload reads the store */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-due-list.ui");
  gtk_widget_class_bind_template_child (widget_class, DermDueList, stack);
  gtk_widget_class_bind_template_child (widget_class, DermDueList, list_view);
  gtk_widget_class_bind_template_child (widget_class, DermDueList, outcome_view);
  gtk_widget_class_bind_template_child (widget_class, DermDueList, outcome_box);
  gtk_widget_class_bind_template_child (widget_class, DermDueList, outcome_heading);
  gtk_widget_class_bind_template_child (widget_class, DermDueList, attention_view);
  gtk_widget_class_bind_template_child (widget_class, DermDueList, attention_box);
  gtk_widget_class_bind_template_child (widget_class, DermDueList, attention_heading);
  gtk_widget_class_bind_template_child (widget_class, DermDueList, due_heading);
  gtk_widget_class_bind_template_child (widget_class, DermDueList, overlay);
  gtk_widget_class_bind_template_child (widget_class, DermDueList, progress);

  gtk_widget_class_install_action (widget_class, "planner.reload", NULL, due_reload);
  derm_planner_ui_install_appointment_actions (widget_class, NULL, FALSE, "due.book");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dermduelist");
}

static void
derm_due_list_init (DermDueList *self)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (DERM_TYPE_DUE_ITEM);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  self->outcome = g_list_store_new (DERM_TYPE_APPOINTMENT);
  {
    g_autoptr (GtkListItemFactory) outcome_factory = gtk_signal_list_item_factory_new ();
    g_autoptr (GtkNoSelection) outcome_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->outcome)));

    g_signal_connect (outcome_factory, "setup", G_CALLBACK (setup_outcome_row), GINT_TO_POINTER (FALSE));
    g_signal_connect (outcome_factory, "bind", G_CALLBACK (bind_outcome_row), NULL);
    gtk_list_view_set_factory (self->outcome_view, outcome_factory);
    gtk_list_view_set_model (self->outcome_view, GTK_SELECTION_MODEL (outcome_selection));
  }
  self->attention = g_list_store_new (DERM_TYPE_APPOINTMENT);
  {
    g_autoptr (GtkListItemFactory) attention_factory = gtk_signal_list_item_factory_new ();
    g_autoptr (GtkNoSelection) attention_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->attention)));

    g_signal_connect (attention_factory, "setup", G_CALLBACK (setup_outcome_row), GINT_TO_POINTER (TRUE));
    g_signal_connect (attention_factory, "bind", G_CALLBACK (bind_outcome_row), NULL);
    gtk_list_view_set_factory (self->attention_view, attention_factory);
    gtk_list_view_set_model (self->attention_view, GTK_SELECTION_MODEL (attention_selection));
  }
  gtk_widget_set_visible (self->attention_box, FALSE);
  gtk_widget_set_visible (self->outcome_box, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
derm_due_list_new (void)
{
  return g_object_new (DERM_TYPE_DUE_LIST, NULL);
}

DermStore *
derm_due_list_get_store (DermDueList *self)
{
  g_return_val_if_fail (DERM_IS_DUE_LIST (self), NULL);

  return self->store;
}

void
derm_due_list_set_store (DermDueList *self,
                         DermStore   *store)
{
  g_return_if_fail (DERM_IS_DUE_LIST (self));
  g_return_if_fail (store == NULL || DERM_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      derm_due_list_reload (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

GListModel *
derm_due_list_get_model (DermDueList *self)
{
  g_return_val_if_fail (DERM_IS_DUE_LIST (self), NULL);

  return G_LIST_MODEL (self->items);
}

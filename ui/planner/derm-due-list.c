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
  GtkWidget    parent_instance;

  DermStore   *store;
  GListStore  *items;

  /* Template children */
  GtkStack    *stack;
  GtkListView *list_view;
};

G_DEFINE_FINAL_TYPE (DermDueList, derm_due_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
derm_due_list_reload (DermDueList *self)
{
  g_autoptr (GPtrArray) series = NULL;
  g_autoptr (GPtrArray) appointments = NULL;
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GError) error = NULL;
  GDate today;

  g_return_if_fail (DERM_IS_DUE_LIST (self));

  if (self->store == NULL)
    return;

  /* One read: the series not finished and their appointments */
  if (!derm_store_list_due_series (self->store, &series, &appointments, &error))
    {
      derm_planner_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }

  derm_date_today (&today);
  due = derm_planner_list_due (series, appointments, &today, DERM_DUE_HORIZON_DAYS);

  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       due->pdata, due->len);
  gtk_stack_set_visible_child_name (self->stack, due->len > 0 ? "list" : "empty");
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

/* Actions */

static void
due_book (GtkWidget  *widget,
          const char *action_name,
          GVariant   *param)
{
  DermDueList *self = DERM_DUE_LIST (widget);

  derm_planner_ui_book_due (widget, self->store, g_variant_get_int64 (param));
}

/* GObject */

static void
derm_due_list_dispose (GObject *object)
{
  DermDueList *self = DERM_DUE_LIST (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_DUE_LIST);

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

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-due-list.ui");
  gtk_widget_class_bind_template_child (widget_class, DermDueList, stack);
  gtk_widget_class_bind_template_child (widget_class, DermDueList, list_view);

  gtk_widget_class_install_action (widget_class, "due.book", "x", due_book);

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
